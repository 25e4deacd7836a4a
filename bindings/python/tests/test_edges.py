# SPDX-License-Identifier: Apache-2.0
"""Edge cases of conversions and callbacks that the other tests do not reach."""
import datetime as dt
from array import array
from decimal import Decimal

import pytest

import cpw

AT = "2026-03-02T09:00:00+04:00"


def test_nul_characters_are_refused(policy, fresh_policy):
    with pytest.raises(cpw.InvalidInput, match="NUL"):
        fresh_policy.open_case("referral", "a\0b", at=AT, actor="u", role="reporter")
    with pytest.raises(cpw.InvalidInput, match="NUL"):
        policy.evaluate("barnahus", {"citizenship": "georgian\0"})
    with pytest.raises(TypeError):
        fresh_policy.open_case("referral", 17, at=AT, actor="u", role="reporter")
    c = fresh_policy.open_case("referral", b"bytes-id", at=AT, actor="u", role="reporter")
    assert c.id == "bytes-id"


def test_amounts(test_policy):
    r = test_policy.record()
    for good, tetri in (("12.5", 1250), ("-3", -300), (7, 700), (0.1, 10),
                        (Decimal("2.00"), 200)):
        r["income"] = good
        assert r["income"] * 100 == tetri
    for bad in ("12.345", "abc", "1e3", float("inf")):
        with pytest.raises(cpw.InvalidInput):
            r["income"] = bad


def test_int_fields(policy, test_policy):
    r = test_policy.record({"age": 5.0})
    assert r["age"] == 5
    with pytest.raises(KeyError):
        r["note"]
    # columns are numeric arrays: a bool in an int column counts as 0 or 1, with or without
    # missing values (record values refuse it: see test_value_errors)
    for col in ([1, True, 0], [None, True, False]):
        out = policy.evaluate_many("tsa_child_benefit",
                                   {"tsa_score": col, "tsa_registered": [True] * 3,
                                    "birth_date": ["2020-01-01"] * 3}, as_of="2024-01-01")
        assert out[1:] == ["eligible", "eligible"]


def test_column_containers(test_policy):
    out = test_policy.evaluate_many(
        "support", {"age": range(3), "citizen": (True, True, True),
                    "income": array("i", [0, 0, 0]), "region": ["north"] * 3},
        as_of="2024-01-01")
    assert out == ["eligible"] * 3
    out = test_policy.evaluate_many("support", {"age": array("i", [1, 2, 30]),
                                                "citizen": [True] * 3, "income": [0] * 3},
                                    as_of="2024-01-01")
    assert out == ["eligible", "eligible", "not_eligible"]
    assert test_policy.evaluate_many("shelter", {"needs": ["food||shelter", "|"]}) == \
        ["eligible", "not_eligible"]
    with pytest.raises(TypeError):
        test_policy.evaluate_many("shelter", {3: [1]})


def test_enum_of_64_values():
    values = ["v%d" % i for i in range(64)]
    pol = cpw.Policy.from_string(
        "field code: enum(%s)\nprogram high \"High\" { eligible when code in {v63, v62} }\n"
        % ", ".join(values))
    col = ["v0", "v63", "v62", None, "v50"]
    assert pol.evaluate_many("high", {"code": col}) == \
        ["not_eligible", "eligible", "eligible", "undetermined", "not_eligible"]
    assert pol.evaluate_many("high", {"code": col[:3]}) == \
        ["not_eligible", "eligible", "eligible"]
    with pytest.raises(cpw.PolicyError, match="64"):
        cpw.Policy.from_string("field code: enum(%s, v64)\n" % ", ".join(values))


def test_hook_errors_on_every_journaled_call(tmp_path, policy):
    calls = []

    def hook(entry):
        calls.append(entry["name"])
        raise KeyError(entry["name"])

    with cpw.Journal.open(str(tmp_path / "h.journal"), policy=policy, hook=hook) as j:
        with pytest.raises(KeyError):
            c = j.open_case("referral", "A", at=AT, actor="u", role="reporter")
        c = j.case("A")
        with pytest.raises(KeyError, match="register"):
            c.apply("register", actor="u", role="intake_officer", at=AT)
        assert c.state == "registered"  # applied and committed before the hook ran
        with pytest.raises(KeyError):
            j.registry.add_child("k", "2012-01-01")
        with pytest.raises(KeyError):
            j.annotate("note", at=AT, actor="u")
    assert calls[:2] == ["referral", "register"] and calls[3] == "note" and len(calls) == 4
    with cpw.Journal.open(str(tmp_path / "g.journal"), policy=policy, group_commit=5,
                          hook=hook) as j:
        j.annotate("note", at=AT, actor="u")
        with pytest.raises(KeyError):
            j.commit()
        assert j.pending == 0


def test_journal_arguments(tmp_path, policy):
    with pytest.raises(ValueError):
        cpw.Journal.open(str(tmp_path / "a"), policy=policy, group_commit=-1)
    with pytest.raises(TypeError):
        cpw.Journal.open(str(tmp_path / "a"), policy=policy, hook="print")


def test_misc_reprs_and_hashes(fresh_policy):
    c = fresh_policy.open_case("referral", "H", at=AT, actor="u", role="reporter")
    assert {c: 1}[fresh_policy.cases["H"]] == 1
    reg = fresh_policy.registry()
    assert "0 episodes" in repr(reg)
    d = cpw.Diagnostic("error", "f.cpw", 1, 2, "m")
    assert d == cpw.Diagnostic("error", "f.cpw", 1, 2, "m") and d != "x"
    assert repr(d).startswith("Diagnostic(")
    e = cpw.IOError("cannot", file="x", line=3, os_error=13)
    assert str(e) == "x:3: cannot" and e.errno == 13 and e.filename == "x"
    with pytest.raises(TypeError):
        reg.end("c", "2020-01-01", True, actor="u", role="r")
    with pytest.raises(TypeError):
        fresh_policy.workflow(3)


def test_calendar_ranges():
    ge = cpw.Calendar.georgia()
    with pytest.raises(cpw.InvalidInput):
        ge.add_working_days("9999-12-30", 10)
    assert ge.working_days_between("2026-03-06", "2026-03-02") == -3
    assert ge.add_working_days(dt.date(2026, 3, 7), 0) == dt.date(2026, 3, 7)
