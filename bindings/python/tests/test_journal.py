# SPDX-License-Identifier: Apache-2.0
"""The journal: appending through cases and placements, commits, hooks, verification,
replay, recovery and damage."""
import datetime as dt
import os

import pytest

import cpw

AT = "2026-03-02T09:00:00+04:00"


def at(hour, minute=0):
    return "2026-03-02T%02d:%02d:00+04:00" % (hour, minute)


@pytest.fixture
def jpath(tmp_path):
    return str(tmp_path / "cases.journal")


def write_some(path, policy, **kw):
    with cpw.Journal.open(path, policy=policy, **kw) as j:
        c = j.open_case("referral", "R-1", at=at(9), actor="u7", role="reporter")
        c.apply("register", actor="u7", role="intake_officer", at=at(10),
                fields={"immediate_danger": True})
        with pytest.raises(cpw.TransitionRefused):  # refused: not journaled
            c.apply("approve_plan", actor="u7", role="intake_officer", at=at(11))
        c.apply("start_assessment", actor="sw", role="social_worker", at=at(12))
        j.open_case("referral", "R-2", at=at(13), actor="u7", role="reporter")
        reg = j.registry
        reg.add_child("CH-1", "2015-05-01", sibling_group="G1")
        reg.place("CH-1", "2026-03-02", setting="foster_care", region="Tbilisi",
                  actor="sw", role="social_worker", reason="care plan")
        j.annotate("policy_note", at=at(14), actor="admin", subject="georgia",
                   fields={"note": "test"})
        return j.head_hash


def test_write_verify_replay(jpath, policy):
    head = write_some(jpath, policy)
    assert os.path.exists(jpath)
    info = cpw.Journal.verify_file(jpath)
    assert info.head_hash == head and len(head) == 64
    assert info.entries == 7 and info.commits == 7
    assert info.truncated_bytes == 0 and info.truncated_at is None
    assert info.file_bytes == os.path.getsize(jpath)
    with cpw.Journal.open(jpath, policy=policy, readonly=True) as j:
        assert j.verify() == info
        assert j.head_hash == head
        cl = j.replay()
        assert cl["R-1"].state == "assessment" and cl["R-2"].state == "notified"
        assert cl["R-1"].fields["immediate_danger"] is True
        assert cl.journal is None  # a replayed caseload is not journaled
        reg = j.replay_registry()
        assert reg.current("CH-1").setting == "foster_care"
        assert reg.journal is None


def test_entries(jpath, policy):
    write_some(jpath, policy)
    with cpw.Journal.open(jpath, readonly=True) as j:  # no policy needed to read
        entries = list(j.entries())
    kinds = [e["kind"] for e in entries]
    assert kinds == ["case_open", "case_event", "case_event", "case_open", "placement",
                     "placement", "annotation"]
    first = entries[0]
    assert first["subject"] == "R-1" and first["name"] == "referral"
    assert first["actor"] == "u7" and first["role"] == "reporter"
    assert first["at"] == dt.datetime.fromisoformat(at(9))
    assert first["at"].utcoffset() == dt.timedelta(0)  # UTC without a policy
    assert entries[1]["fields"] == {"immediate_danger": "true"}
    assert entries[-1]["fields"] == {"note": "test"} and entries[-1]["subject"] == "georgia"
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs)


def test_reopen_continues_cases(jpath, policy):
    write_some(jpath, policy)
    with cpw.Journal.open(jpath, policy=policy) as j:
        c = j.case("R-1")
        assert c.state == "assessment"
        c.apply("assessment_done", actor="sw", role="social_worker", at=at(15),
                fields={"concern_confirmed": True})
        assert j.caseload.journal is j
        assert j.registry.current("CH-1") is not None
        with pytest.raises(KeyError):
            j.case("R-9")
    with cpw.Journal.open(jpath, policy=policy, readonly=True) as j:
        assert j.replay()["R-1"].state == "case_planning"
        assert j.recovery.entries == 8


def test_group_commit_and_pending(jpath, policy):
    with cpw.Journal.open(jpath, policy=policy, group_commit=100) as j:
        before = j.head_hash
        j.open_case("referral", "G", at=AT, actor="u", role="reporter")
        assert j.pending == 1
        assert cpw.Journal.verify_file(jpath).entries == 0  # not durable yet
        assert j.head_hash == before
        j.commit()
        assert j.pending == 0 and j.head_hash != before
        assert cpw.Journal.verify_file(jpath).entries == 1
        j.open_case("referral", "H", at=AT, actor="u", role="reporter")
    # closing committed it
    assert cpw.Journal.verify_file(jpath).entries == 2


def test_hook_sees_committed_entries(jpath, policy):
    seen = []
    with cpw.Journal.open(jpath, policy=policy, group_commit=10, hook=seen.append) as j:
        j.open_case("referral", "K", at=AT, actor="u", role="reporter")
        assert seen == []
        j.commit()
        assert [e["subject"] for e in seen] == ["K"]
        assert seen[0]["at"].utcoffset() == dt.timedelta(hours=4)


def test_hook_exception_is_raised_after_commit(jpath, policy):
    def hook(entry):
        raise RuntimeError("mirror down")

    with cpw.Journal.open(jpath, policy=policy, hook=hook) as j:
        with pytest.raises(RuntimeError, match="mirror down"):
            j.open_case("referral", "X", at=AT, actor="u", role="reporter")
        # the entry is committed and the case opened all the same
        assert "X" in j.caseload
    assert cpw.Journal.verify_file(jpath).entries == 1


def test_closed_journal(jpath, policy):
    j = cpw.Journal.open(jpath, policy=policy)
    c = j.open_case("referral", "C", at=AT, actor="u", role="reporter")
    j.close()
    j.close()  # twice is fine
    assert j.closed and "closed" in repr(j)
    with pytest.raises(cpw.StateError):
        c.apply("register", actor="u", role="intake_officer", at=at(10))
    with pytest.raises(cpw.StateError):
        j.head_hash
    with pytest.raises(cpw.StateError):
        j.commit()
    assert c.state == "notified"


def test_busy_second_writer(jpath, policy):
    with cpw.Journal.open(jpath, policy=policy):
        with pytest.raises(cpw.Busy) as e:
            cpw.Journal.open(jpath, policy=policy)
        assert e.value.code == cpw._lib.CPW_EBUSY
        # a reader is fine
        with cpw.Journal.open(jpath, policy=policy, readonly=True) as r:
            assert r.recovery.entries == 0


def test_corrupt_journal(jpath, policy):
    write_some(jpath, policy)
    data = bytearray(open(jpath, "rb").read())
    data[len(data) // 2] ^= 0x55
    open(jpath, "wb").write(bytes(data))
    with pytest.raises(cpw.Corrupt) as e:
        cpw.Journal.verify_file(jpath)
    assert e.value.code == cpw._lib.CPW_ECORRUPT
    assert e.value.file == jpath
    with pytest.raises(cpw.Corrupt):
        cpw.Journal.open(jpath, policy=policy)


def torn_commit(jpath, policy, keep):
    """A commit cut `keep` bytes in, as a crash during its write leaves it; the size before."""
    size = os.path.getsize(jpath)
    with cpw.Journal.open(jpath, policy=policy) as j:
        j.annotate("note", at=at(15), actor="admin", subject="s", fields={"n": "1"})
    os.truncate(jpath, size + keep)
    return size


def test_unfinished_tail_is_cut(jpath, policy):
    write_some(jpath, policy)
    size = torn_commit(jpath, policy, 30)
    info = cpw.Journal.verify_file(jpath)
    assert info.truncated_bytes == 30 and info.truncated_at == size
    st = cpw.Journal.check_file(jpath)
    assert not st.damaged and st.tail_entries == 0 and st.info.truncated_bytes == 30
    with cpw.Journal.open(jpath, policy=policy) as j:
        assert j.recovery.truncated_bytes == 30
    assert os.path.getsize(jpath) == size


def test_damage_is_refused_then_repaired(jpath, policy, tmp_path):
    """Bytes removed in the middle are damage: a writer refuses the file and changes nothing;
    the explicit repair cuts it and keeps the removed bytes aside."""
    write_some(jpath, policy)
    data = open(jpath, "rb").read()
    damaged = data[:400] + data[401:]
    with open(jpath, "wb") as f:
        f.write(damaged)
    st = cpw.Journal.check_file(jpath)
    assert st.damaged and st.damaged_at is not None and st.damaged_entry >= 1
    with pytest.raises(cpw.Corrupt) as e:
        cpw.Journal.open(jpath, policy=policy)
    assert "offset" in str(e.value)
    assert open(jpath, "rb").read() == damaged
    aside = tmp_path / "removed.bin"
    rep = cpw.Journal.repair_file(jpath, aside)
    assert rep.damaged and rep.info.file_bytes == os.path.getsize(jpath)
    assert open(aside, "rb").read() == damaged[rep.info.file_bytes:]
    with cpw.Journal.open(jpath, policy=policy) as j:
        assert j.recovery.entries == rep.info.entries
    assert not cpw.Journal.repair_file(jpath, aside).damaged   # nothing left to cut
    with open(jpath, "wb") as f:
        f.write(damaged)
    with pytest.raises(cpw.InvalidInput):     # the aside file exists: refused, nothing cut
        cpw.Journal.repair_file(jpath, aside)
    assert open(jpath, "rb").read() == damaged


def test_io_error(tmp_path, policy):
    with pytest.raises(cpw.IOError) as e:
        cpw.Journal.open(str(tmp_path / "no" / "such" / "dir.journal"), policy=policy)
    assert e.value.os_error == 2 and isinstance(e.value, OSError)
    with pytest.raises(cpw.IOError):
        cpw.Journal.verify_file(str(tmp_path / "absent.journal"))


def test_not_created_without_create(jpath, policy):
    with pytest.raises(cpw.IOError):
        cpw.Journal.open(jpath, policy=policy, create=False)


def test_other_policy(jpath, policy, test_policy):
    write_some(jpath, policy)
    with pytest.raises(cpw.InvalidInput):
        cpw.Journal.open(jpath, policy=test_policy)


def test_reader_with_other_policy_is_refused(jpath, policy, test_policy):
    """Issue 16, point 8: replaying under another policy needs the documented flag, readers
    too; then the journal's own policy stays visible."""
    write_some(jpath, policy)
    with pytest.raises(cpw.InvalidInput):
        cpw.Journal.open(jpath, policy=test_policy, readonly=True)
    with cpw.Journal.open(jpath, policy=test_policy, readonly=True,
                          allow_policy_change=True) as j:
        assert j.policy_hash == policy.hash != test_policy.hash
    with cpw.Journal.open(jpath, policy=policy, readonly=True) as j:
        assert j.policy_hash == policy.hash


def test_annotations_cannot_change_the_policy_or_hide_the_actor(jpath, policy):
    """Issue 16, points 7 and 9: policy_changed is the journal's own topic; every entry names
    its actor; case ids with a line break or spaces around them are refused."""
    write_some(jpath, policy)
    with cpw.Journal.open(jpath, policy=policy) as j:
        n = j.recovery.entries
        with pytest.raises(cpw.InvalidInput):
            j.annotate("policy_changed", at=AT, actor="admin",
                       fields={"policy": "x", "hash": "0" * 64})
        for actor in ("", " admin", "ad\nmin"):
            with pytest.raises(cpw.InvalidInput):
                j.annotate("note", at=AT, actor=actor)
            with pytest.raises(cpw.InvalidInput):
                j.open_case("referral", "R-9", at=AT, actor=actor, role="reporter")
        for case_id in ("R-9\n", " R-9", "R-9 "):
            with pytest.raises(cpw.InvalidInput):
                j.open_case("referral", case_id, at=AT, actor="u7", role="reporter")
        assert j.recovery.entries == n and j.policy_hash == policy.hash


def test_policy_change_is_annotated(jpath, policy):
    write_some(jpath, policy)
    edited = cpw.Policy.from_sources(
        [(n, t + "\n# edited\n") for n, t in cpw.Policy.default_sources()])
    assert edited.hash != policy.hash
    with cpw.Journal.open(jpath, policy=edited, allow_policy_change=True) as j:
        last = list(j.entries())[-1]
    assert last["kind"] == "annotation"


def test_readonly_refuses_writes(jpath, policy):
    write_some(jpath, policy)
    with cpw.Journal.open(jpath, policy=policy, readonly=True) as j:
        with pytest.raises(cpw.InvalidInput):
            j.open_case("referral", "W", at=AT, actor="u", role="reporter")
        with pytest.raises(cpw.InvalidInput):
            j.annotate("x", at=AT, actor="u")


def test_without_policy(jpath, policy):
    write_some(jpath, policy)
    with cpw.Journal.open(jpath, readonly=True) as j:
        with pytest.raises(cpw.StateError):
            j.replay()
        with pytest.raises(cpw.StateError):
            j.caseload
        with pytest.raises(cpw.StateError):
            j.replay_registry()
    with pytest.raises(TypeError):
        cpw.Journal.open(jpath, policy="georgia")
    with pytest.raises(TypeError):
        cpw.Journal()


def test_limit_error(jpath, policy):
    big = {"f%d" % i: "x" * 60000 for i in range(20)}  # 1.2 MB in one entry
    with cpw.Journal.open(jpath, policy=policy) as j:
        with pytest.raises(cpw.LimitError):
            j.annotate("big", at=AT, actor="u", fields=big)
        with pytest.raises(cpw.InvalidInput):  # one string over 65534 bytes
            j.annotate("big", at=AT, actor="u", fields={"f": "x" * 70000})


def test_abandoned_journal_is_committed(jpath, policy):
    import gc
    j = cpw.Journal.open(jpath, policy=policy, group_commit=1000)
    j.open_case("referral", "A", at=AT, actor="u", role="reporter")
    del j
    gc.collect()
    assert cpw.Journal.verify_file(jpath).entries == 1
    cpw.Journal.open(jpath, policy=policy).close()  # the lock was released
