# SPDX-License-Identifier: Apache-2.0
"""evaluate_many: columns, lists of dicts, conversions, missing values, errors."""
import datetime as dt
import random
from array import array
from decimal import Decimal

import pytest

import cpw

PROG = "reintegration_assistance"


def people(n, seed=7):
    """Random people over the fields reintegration_assistance reads (None = missing)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        ret = dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randrange(700))
        reg = ret + dt.timedelta(days=rnd.randrange(-30, 500))
        p = {
            "citizenship": rnd.choice(["georgian", "stateless", "foreign", None]),
            "stateless_status": rnd.choice([True, False, None]),
            "months_abroad_irregular": rnd.choice([0, 6, 13, 30, None]),
            "asylum_applied_abroad": rnd.choice([True, False, False, None]),
            "asylum_granted_abroad": rnd.choice([False, False, True]),
            "return_date": rnd.choice([ret, ret.isoformat(), None]),
            "registration_date": rnd.choice([reg, reg.isoformat()]),
            "city": rnd.choice(["tbilisi", "batumi", "other"]),
        }
        out.append(p)
    return out


def test_matches_single_evaluation(policy):
    rows = people(400)
    many = policy.evaluate_many(PROG, rows, as_of="2021-06-01")
    single = [policy.evaluate(PROG, r, as_of="2021-06-01", explain=False).outcome for r in rows]
    assert many == single
    assert {"eligible", "not_eligible", "undetermined"} <= set(many)


def test_dict_of_columns_equals_list_of_dicts(policy):
    rows = people(200, seed=3)
    cols = {k: [r[k] for r in rows] for k in rows[0]}
    assert policy.evaluate_many(PROG, cols, as_of="2021-06-01") == \
        policy.evaluate_many(PROG, rows, as_of="2021-06-01")
    assert policy.evaluate_many(PROG, tuple(rows), as_of="2021-06-01") == \
        policy.evaluate_many(PROG, rows, as_of="2021-06-01")


def test_services_flag(policy):
    rows = people(300, seed=11)
    res = policy.evaluate_many(PROG, rows, as_of="2021-06-01", services=True)
    for (outcome, services), r in zip(res, rows):
        d = policy.evaluate(PROG, r, as_of="2021-06-01", explain=False)
        assert outcome == d.outcome and services == d.services


def test_columns_reused_for_every_programme(policy):
    rows = people(50)
    cols = policy.columns(rows)
    assert len(cols) == 50 and "city" in cols.fields
    assert "50 records" in repr(cols)
    for p in policy.programs:
        assert policy.evaluate_many(p, cols, as_of="2021-06-01") == \
            policy.evaluate_many(p, rows, as_of="2021-06-01")
    other = cpw.Policy.default()
    with pytest.raises(cpw.InvalidInput):
        other.evaluate_many(PROG, cols)
    assert isinstance(cols, cpw.Columns)


def test_fast_paths(test_policy):
    n = 6
    cols = {
        "age": array("q", [1, 2, 3, 40, 5, 6]),          # a buffer: no copy
        "citizen": [True, True, False, True, True, True],
        "income": [0, 100, 0, 0, 600, 0],                  # GEL
        "region": ["north", "south", "east", "north", "north", "south"],
    }
    out = test_policy.evaluate_many("support", cols, as_of="2024-01-01", services=True)
    assert out == [("eligible", ["visits", "meals"]), ("eligible", ["meals"]),
                   ("not_eligible", []), ("not_eligible", []), ("not_eligible", []),
                   ("eligible", ["meals"])]
    assert len(out) == n


def test_missing_values_and_text_forms(test_policy):
    cols = {
        "age": [1, None, "3", 4.0, float("nan")],
        "citizen": [True, True, "yes", "false", True],
        "income": [Decimal("10.5"), "20", 30.25, None, 0],
        "region": ["north", None, "east", "north", "south"],
        "born": [dt.date(2015, 1, 1), "2015-01-01", None, "2015-01-01", None],
        "seen": ["2024-01-01T00:00:00Z", None,
                 dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), None, None],
        "needs": [["food"], "shelter|school", None, [], "food;shelter"],
        "note": ["a", None, "c", "d", "e"],
    }
    out = test_policy.evaluate_many("support", cols, as_of="2024-01-01")
    assert out == ["eligible", "undetermined", "eligible", "not_eligible", "undetermined"]
    assert test_policy.evaluate_many("shelter", cols) == \
        ["not_eligible", "eligible", "undetermined", "not_eligible", "eligible"]


def test_errors(policy, test_policy):
    with pytest.raises(cpw.NotFound) as e:
        policy.evaluate_many(PROG, {"citizenship": ["georgian"], "id": [1]})
    assert "ignore_unknown" in str(e.value)
    assert policy.evaluate_many(PROG, {"citizenship": ["georgian"], "id": [1]},
                                ignore_unknown=True) == ["undetermined"]
    with pytest.raises(cpw.InvalidInput) as e:
        policy.evaluate_many(PROG, {"citizenship": ["georgian", "martian", "georgian"]})
    assert "record 1" in str(e.value) and "martian" not in str(e.value)  # no value quoted
    assert "georgian, stateless, foreign" in str(e.value)
    with pytest.raises(cpw.InvalidInput) as e:
        policy.evaluate_many(PROG, {"return_date": ["2020-01-01", "2020-02-30"]})
    assert "record 1" in str(e.value)
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate_many(PROG, {"months_abroad_irregular": [1, "many"]})
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate_many(PROG, {"asylum_applied_abroad": [True, "perhaps"]})
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate_many(PROG, {"citizenship": ["georgian"], "city": ["tbilisi", "batumi"]})
    with pytest.raises(cpw.InvalidInput):  # a value out of range for its field (C check)
        policy.evaluate_many(PROG, {"asylum_applied_abroad": [0, 7]})
    with pytest.raises(cpw.InvalidInput):
        test_policy.evaluate_many("support", {"note": ["x", 5]})
    with pytest.raises(cpw.InvalidInput):
        test_policy.evaluate_many("shelter", {"needs": [["food"], ["rockets"]]})
    with pytest.raises(TypeError):
        policy.evaluate_many(PROG, "citizenship")
    with pytest.raises(TypeError):
        policy.evaluate_many(PROG, [("citizenship", "georgian")])
    with pytest.raises(cpw.NotFound):
        policy.evaluate_many("nope", {"citizenship": ["georgian"]})


def test_empty_inputs(policy):
    assert policy.evaluate_many(PROG, {}) == []
    assert policy.evaluate_many(PROG, []) == []
    assert policy.evaluate_many(PROG, {"citizenship": []}) == []
    assert policy.evaluate_many(PROG, [{}, {}]) == ["undetermined", "undetermined"]


def test_error_outcome_in_batch(policy):
    cols = {"citizenship": ["georgian"], "months_abroad_irregular": [20],
            "asylum_applied_abroad": [False], "asylum_granted_abroad": [False],
            "return_date": ["9999-12-01"], "registration_date": ["9999-12-30"]}
    assert policy.evaluate_many(PROG, cols, as_of="2020-01-01") == ["error"]
    d = policy.evaluate(PROG, {k: v[0] for k, v in cols.items()}, as_of="2020-01-01")
    assert d.outcome == "error" and "could not be evaluated" in d.error


def test_large_batch(policy):
    n = 20000
    cols = {"trafficking_victim_status": [i % 3 == 0 for i in range(n)]}
    out = policy.evaluate_many("trafficking_services", cols)
    assert out.count("eligible") == len(range(0, n, 3))


def test_byte_order_mark_in_a_column_name(policy, returnee):
    """A CSV saved as Excel's "CSV UTF-8" and read with encoding="utf-8" puts U+FEFF before
    the first column's name: it is not part of the name."""
    import csv
    import io
    text = "\ufeffcitizenship,months_abroad_irregular\ngeorgian,14\n"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert policy.evaluate_many("reintegration_assistance", rows, as_of="2021-06-01") == \
        ["undetermined"]
    assert policy.evaluate("reintegration_assistance", rows[0], as_of="2021-06-01").missing
    rec = policy.record()
    rec.set_json('\ufeff{"citizenship": "georgian"}')
    assert rec["citizenship"] == "georgian"

