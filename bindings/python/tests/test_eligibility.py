# SPDX-License-Identifier: Apache-2.0
"""Single evaluations, decisions with explanations, and records."""
import datetime as dt
from decimal import Decimal

import pytest

import cpw


def test_readme_example(policy):
    d = policy.evaluate("reintegration_assistance",
                        {"citizenship": "georgian", "months_abroad_irregular": 10,
                         "asylum_applied_abroad": False, "asylum_granted_abroad": False},
                        as_of="2019-06-01")
    assert d.outcome == "not_eligible" and not d.eligible
    assert d.missing == []
    assert d.explain().startswith("not eligible: none of: months_abroad_irregular is 10, but "
                                  "must be more than 12; asylum_applied_abroad is false")
    assert d.program == "reintegration_assistance"
    assert d.as_of == dt.date(2019, 6, 1)
    assert d.policy is policy
    assert d.error is None


def test_eligible_with_services_and_benefits(policy, returnee):
    d = policy.evaluate("reintegration_assistance", returnee, as_of="2021-06-01")
    assert d.outcome == "eligible" and d.eligible
    assert "temporary_accommodation" in d.services  # provided in Tbilisi
    assert d.services[0] == "medical"
    (b,) = d.benefits
    assert b == cpw.Benefit("income_grant", Decimal("4000.00"), 400000, "once", up_to=True)
    assert d.explain().startswith("eligible")
    d2 = policy.evaluate("reintegration_assistance", dict(returnee, city="batumi"),
                         as_of="2021-06-01")
    assert "temporary_accommodation" in d2.services  # not a residence test


def test_undetermined_lists_missing(policy):
    d = policy.evaluate("reintegration_assistance", {"citizenship": "georgian"},
                        as_of="2019-06-01")
    assert d.outcome == "undetermined"
    assert "months_abroad_irregular" in d.missing
    assert d.services == [] and d.benefits == []
    assert any(r.holds is None for r in d.reasons)


def test_reasons_are_structured(policy):
    d = policy.evaluate("reintegration_assistance",
                        {"citizenship": "georgian", "months_abroad_irregular": 10,
                         "asylum_applied_abroad": False, "asylum_granted_abroad": False},
                        as_of="2019-06-01")
    r = d.reasons[0]
    assert r == cpw.Reason(False, "months_abroad_irregular", "10", "more than 12",
                           "months_abroad_irregular > 12", r.line, r.column,
                           "months_abroad_irregular is 10, but must be more than 12")
    assert r.line > 0 and r.column > 0
    assert all(x.sentence in d.explain() for x in d.reasons)


def test_explain_false_is_leaner(policy, returnee):
    d = policy.evaluate("reintegration_assistance", returnee, as_of="2021-06-01",
                        explain=False)
    assert d.outcome == "eligible" and d.explain() == "" and d.reasons == []
    assert d.services  # services do not need the explanation


def test_program_not_in_force(policy):
    d = policy.evaluate("tsa_child_benefit", {"tsa_registered": True, "tsa_score": 10,
                                              "birth_date": "2010-01-01"}, as_of="2014-06-01")
    assert d.outcome == "not_eligible"
    assert "in force from 2015 (the day is not known)" in d.explain()
    # the Barnahus centre opened in July 2022: the month is known, the day is not
    rec = {"alleged_sexual_violence": True, "birth_date": "2012-01-01"}
    d = policy.evaluate("barnahus", rec, as_of="2022-06-30")
    assert d.outcome == "not_eligible"
    assert "in force from 2022-07 (the day is not known)" in d.explain()
    assert policy.evaluate("barnahus", rec, as_of="2022-07-01").eligible


def test_money_benefit_and_ages(policy):
    d = policy.evaluate("tsa_child_benefit", {"tsa_registered": True, "tsa_score": 10,
                                              "birth_date": dt.date(2015, 1, 1)},
                        as_of=dt.date(2024, 1, 1))
    assert d.eligible
    assert d.benefits == [cpw.Benefit("child_benefit", Decimal("200.00"), 20000, "monthly")]


def test_age_rule_on_29_february(policy):
    rec = {"alleged_sexual_violence": True, "birth_date": "2008-02-29"}
    assert policy.evaluate("barnahus", rec, as_of="2026-02-28").eligible   # still 17
    assert not policy.evaluate("barnahus", rec, as_of="2026-03-01").eligible  # 18


def test_evaluate_default_as_of_is_today(policy, returnee):
    d = policy.evaluate("trafficking_services", {"trafficking_victim_status": True})
    assert d.as_of == policy.today()


def test_evaluate_all(policy, returnee):
    all_ = policy.evaluate_all(returnee, as_of="2021-06-01")
    assert list(all_) == policy.programs
    assert all_["reintegration_assistance"].eligible
    assert all_["trafficking_services"].outcome == "undetermined"


def test_decision_to_dict_and_repr(policy, returnee):
    d = policy.evaluate("reintegration_assistance", returnee, as_of="2021-06-01")
    dd = d.to_dict()
    assert dd["outcome"] == "eligible" and dd["as_of"] == "2021-06-01"
    assert dd["benefits"] == [{"name": "income_grant", "amount": "4000.00", "period": "once",
                              "up_to": True}]
    assert "eligible" in repr(d)


def test_value_errors(policy):
    with pytest.raises(cpw.NotFound):
        policy.evaluate("nope", {})
    with pytest.raises(cpw.NotFound):
        policy.evaluate("barnahus", {"shoe_size": 40})
    with pytest.raises(cpw.InvalidInput) as e:
        policy.evaluate("barnahus", {"citizenship": "martian"})
    assert isinstance(e.value, ValueError)
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("barnahus", {"alleged_sexual_violence": 3})
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("tsa_child_benefit", {"tsa_score": True})  # a bool is not an int
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("tsa_child_benefit", {"tsa_score": 1.5})
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("barnahus", {"birth_date": "2010-13-01"})
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("barnahus", {"birth_date": dt.datetime(2010, 1, 1, 12, 0)})
    with pytest.raises(TypeError):
        policy.evaluate("barnahus", {"birth_date": 20100101})
    with pytest.raises(TypeError):
        policy.evaluate("barnahus", [("birth_date", "2010-01-01")])
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("barnahus", {}, as_of="1 June 2019")
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("barnahus", {"citizenship": 1})


def test_strings_are_read_by_type(policy):
    d = policy.evaluate("tsa_child_benefit", {"tsa_registered": "yes", "tsa_score": "100",
                                              "birth_date": "2015-01-01"}, as_of="2024-01-01")
    assert d.eligible
    # the empty string is missing, like an empty CSV cell
    d = policy.evaluate("tsa_child_benefit", {"tsa_registered": "", "tsa_score": "100",
                                              "birth_date": "2015-01-01"}, as_of="2024-01-01")
    assert d.outcome == "undetermined" and d.missing == ["tsa_registered"]


def test_all_value_types(test_policy):
    rec = {"age": 10, "income": Decimal("499.99"), "born": dt.date(2015, 1, 1),
           "seen": dt.datetime(2024, 1, 1, 10, 0, tzinfo=dt.timezone.utc), "citizen": True,
           "region": "north", "needs": {"food"}, "note": "free text"}
    d = test_policy.evaluate("support", rec, as_of="2024-06-01")
    assert d.eligible and d.services == ["visits", "meals"]
    assert not test_policy.evaluate("support", dict(rec, income=500.01),
                                    as_of="2024-06-01").eligible
    assert test_policy.evaluate("support", dict(rec, income="500"), as_of="2024-06-01").eligible
    assert test_policy.evaluate("shelter", {"needs": ["shelter", "food"]}).eligible
    assert not test_policy.evaluate("shelter", {"needs": []}).eligible
    assert test_policy.evaluate("shelter", {"needs": "food|shelter"}).eligible
    with pytest.raises(cpw.InvalidInput):
        test_policy.evaluate("support", dict(rec, income=Decimal("1.001")))
    with pytest.raises(TypeError):
        test_policy.evaluate("support", dict(rec, income=True))
    with pytest.raises(cpw.InvalidInput):
        test_policy.evaluate("shelter", {"needs": ["rockets"]})
    with pytest.raises(cpw.InvalidInput):
        test_policy.evaluate("shelter", {"needs": 3})


def test_record_mapping(test_policy):
    r = test_policy.record({"age": 7, "region": "south"})
    assert isinstance(r, cpw.Record)
    assert r["age"] == 7 and r["region"] == "south"
    assert len(r) == 2 and set(r) == {"age", "region"}
    assert "age" in r and "income" not in r and "nothing" not in r and 3 not in r
    with pytest.raises(KeyError):
        r["income"]
    assert r.get("income") is None
    with pytest.raises(cpw.NotFound):
        r["nothing"]
    r["income"] = "12.50"
    r["born"] = "2010-05-01"
    r["seen"] = "2024-01-01T12:00:00+04:00"
    r["needs"] = ["school", "food"]
    r["note"] = "hello"
    r["citizen"] = False
    assert r.to_dict() == {
        "age": 7, "income": Decimal("12.50"), "born": dt.date(2010, 5, 1),
        "seen": dt.datetime(2024, 1, 1, 12, 0, tzinfo=test_policy.timezone),
        "citizen": False, "region": "south", "needs": frozenset({"food", "school"}),
        "note": "hello"}
    del r["age"]
    assert "age" not in r
    with pytest.raises(KeyError):
        del r["age"]
    r["region"] = None
    assert "region" not in r
    r.update(age=3)
    assert r["age"] == 3
    assert r.is_set("age")
    r.clear()
    assert len(r) == 0 and r.to_dict() == {}
    assert "Record" in repr(r)


def test_record_set_string_and_json(test_policy):
    r = cpw.Record(test_policy)
    r.set_string("age", "12")
    r.set_string("citizen", "yes")
    assert r["age"] == 12 and r["citizen"] is True
    r.set_json('{"id": 5, "income": 12.5, "region": "east", "needs": ["food"]}', skip="id")
    assert r["income"] == Decimal("12.50") and r["needs"] == frozenset({"food"})
    with pytest.raises(cpw.NotFound):
        r.set_json('{"unknown": 1}')
    r.set_json(b'{"unknown": 1, "age": 4}', ignore_unknown=True)
    assert r["age"] == 4
    with pytest.raises(cpw.InvalidInput):
        r.set_json('{"age": ')
    assert r["age"] == 4  # unchanged on error


def test_record_evaluated_directly(test_policy):
    r = test_policy.record({"citizen": True, "age": 3, "income": 0})
    assert test_policy.evaluate("support", r, as_of="2024-01-01").eligible
    r["age"] = 30
    assert not test_policy.evaluate("support", r, as_of="2024-01-01").eligible
    assert test_policy.evaluate_all(r, as_of="2024-01-01")["support"].outcome == "not_eligible"


def test_record_of_another_policy(policy, test_policy):
    r = test_policy.record({"age": 3})
    with pytest.raises(cpw.InvalidInput):
        policy.evaluate("barnahus", r)
    with pytest.raises(TypeError):
        cpw.Record("policy")
