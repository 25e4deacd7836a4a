# SPDX-License-Identifier: Apache-2.0
"""Threads: one shared (immutable) policy, each thread with its own objects. cffi releases
the GIL during C calls, so these really run in parallel."""
import random
import threading

import cpw

THREADS = 6


def run_threads(fn, n=THREADS):
    errors = []
    results = [None] * n

    def wrap(i):
        try:
            results[i] = fn(i)
        except BaseException as e:  # noqa: B902
            errors.append(e)

    ts = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors
    return results


def person(rnd):
    return {
        "citizenship": rnd.choice(["georgian", "stateless", "foreign"]),
        "stateless_status": rnd.choice([True, False]),
        "months_abroad_irregular": rnd.randrange(30),
        "asylum_applied_abroad": rnd.choice([True, False]),
        "asylum_granted_abroad": False,
        "return_date": "2021-01-10",
        "registration_date": rnd.choice(["2021-02-01", "2022-06-01", None]),
        "birth_date": rnd.choice(["2010-01-01", "2000-01-01"]),
        "alleged_sexual_violence": rnd.choice([True, False, None]),
        "trafficking_victim_status": rnd.choice([True, False]),
        "compensation_received": rnd.choice([True, False]),
    }


def test_shared_policy_evaluate(policy):
    people = [person(random.Random(i)) for i in range(200)]
    expected = [[policy.evaluate(p, r, as_of="2021-06-01").explain() for p in policy.programs]
                for r in people]

    def work(i):
        out = []
        for _ in range(3):
            out = [[policy.evaluate(p, r, as_of="2021-06-01").explain()
                    for p in policy.programs] for r in people]
        return out

    for res in run_threads(work):
        assert res == expected


def test_shared_policy_evaluate_many(policy):
    people = [person(random.Random(i)) for i in range(3000)]
    expected = {p: policy.evaluate_many(p, people, as_of="2021-06-01") for p in policy.programs}

    def work(i):
        cols = policy.columns(people)  # each thread its own columns
        return {p: policy.evaluate_many(p, cols, as_of="2021-06-01") for p in policy.programs}

    for res in run_threads(work):
        assert res == expected


def test_errors_stay_in_their_thread(policy):
    def work(i):
        for k in range(200):
            if (i + k) % 2:
                try:
                    policy.evaluate("barnahus", {"citizenship": "martian%d" % i})
                except cpw.InvalidInput as e:
                    assert "citizenship" in str(e)
                else:
                    raise AssertionError("no error")
            else:
                assert policy.evaluate("barnahus", {"alleged_sexual_violence": False}).outcome \
                    == "not_eligible"
        return True

    assert all(run_threads(work))


def test_each_thread_its_caseload_and_registry(policy):
    def work(i):
        cl = policy.caseload()
        reg = policy.registry()
        for k in range(100):
            c = cl.open_case("referral", "T%d-%d" % (i, k), at="2026-03-02T09:00:00Z",
                             actor="u", role="reporter")
            c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00Z")
            reg.add_child("c%d" % k, "2012-01-01")
            reg.place("c%d" % k, "2020-01-01", setting="kinship", region="R", actor="u",
                      role="social_worker")
        return cl.count("referral", "registered"), reg.indicators(
            "2020-01-01", "2020-12-31").placed_at_end

    assert run_threads(work) == [(100, 100)] * THREADS


def test_threads_share_a_journal(policy, tmp_path):
    """The journal locks itself: threads append through one handle."""
    path = str(tmp_path / "threads.journal")
    seen = []
    with cpw.Journal.open(path, policy=policy, group_commit=64, hook=seen.append) as j:
        def work(i):
            for k in range(50):
                j.annotate("note", at="2026-03-02T09:00:00Z", actor="t%d" % i,
                           subject="%d-%d" % (i, k))
                if k % 10 == 0:
                    j.commit()
            return len(list(j.entries())) > 0

        assert all(run_threads(work))
        j.commit()
    assert cpw.Journal.verify_file(path).entries == THREADS * 50
    assert len(seen) == THREADS * 50
    assert sorted(e["subject"] for e in seen) == sorted(
        "%d-%d" % (i, k) for i in range(THREADS) for k in range(50))
