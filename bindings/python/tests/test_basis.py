# SPDX-License-Identifier: Apache-2.0
"""The legal basis of rules: sources, rules and their status, and the bases carried by
decisions, deadlines (Deadline.basis, Deadline.status) and refusals."""
import datetime as dt

import pytest

import cpw

GE = dt.timezone(dt.timedelta(hours=4))

POLICY = """
policy bases "Bases" version "1"
timezone "+04:00"
source code "Code on Things" { number "12-a" date 2019-09-20 article "4" }
source news "A news report" { date 2021 }
calendar work { holiday 1 January basis law (code) }
field n: int
param amount: money = 50 GEL from 2019 basis proposal (news) note "year only",
                      100 GEL from 2021-07-01 basis regulation (code "Art. 9")
program p "P" {
  basis regulation (code)
  in force from 2015
  eligible when n < 16
  benefit money amount monthly
  service help "Help" basis proposal note "an inference"
}
workflow w "W" {
  roles a, b
  basis proposal (news) note "stages: a proposal"
  state s0 initial
  state s1
  state end final
  event go
  event finish
  event miss
  on go: s0 -> s1 by a
  on finish: s1 -> end by b when false basis law (code)
  on miss: * by b
  deadline go within 2 working days in s0 basis agency_default note "the agency's"
  deadline finish within 3 working days from go basis law (code "Art. 5")
  escalate miss to b
}
"""


@pytest.fixture
def pol():
    return cpw.Policy.from_string(POLICY)


def test_sources(pol):
    srcs = {s.id: s for s in pol.sources}
    assert list(srcs) == ["code", "news"]
    code = srcs["code"]
    assert (code.citation, code.number, code.article) == ("Code on Things", "12-a", "4")
    assert code.date == dt.date(2019, 9, 20) and code.date_precision == "day"
    assert srcs["news"].date == dt.date(2021, 1, 1) and srcs["news"].date_precision == "year"


def test_rules_and_status(pol):
    rules = {r.name: r for r in pol.rules()}
    p = rules["p"]
    assert (p.kind, p.status, p.inherited) == ("program", "regulation", False)
    assert p.start == dt.date(2015, 1, 1) and p.start_precision == "year"
    assert rules["p.money"].inherited and rules["p.money"].status == "regulation"
    assert rules["p.help"].basis == "proposal, not confirmed: an inference"
    assert rules["p.help"].status_label == "proposal, not confirmed"
    v = rules["amount from 2019"]
    assert v.kind == "param" and v.start_precision == "year" and v.note == "year only"
    assert [(s.id, pin) for s, pin in rules["amount from 2021-07-01"].sources] == [
        ("code", "Art. 9")]
    assert [r.name for r in pol.rules(status="agency_default")] == ["w: go"]
    assert [r.name for r in pol.rules(status="none")] == ["work"]  # the calendar's own
    with pytest.raises(ValueError):
        pol.rules(status="maybe")
    assert pol.program("p").rule.name == "p"
    assert pol.workflow("w").rule.status == "proposal"


def test_decision_carries_its_bases(pol):
    d = pol.evaluate("p", {"n": 3}, as_of="2021-08-01")
    assert d.eligible
    assert [r.name for r in d.rules] == ["p", "amount from 2021-07-01", "p.money", "p.help"]
    assert d.basis.startswith("p: regulation (Code on Things, Art. 4); amount from "
                              "2021-07-01: regulation (Code on Things, Art. 9)")
    assert "p.help: proposal, not confirmed: an inference" in d.basis


def test_deadline_carries_basis_and_status(pol):
    cl = pol.caseload()
    t = dt.datetime(2024, 5, 2, 10, 0, tzinfo=GE)
    c = cl.open_case("w", "C1", at=t, actor="u", role="a")
    (dl,) = c.deadlines
    assert dl.event == "go"
    assert dl.status == "agency_default"
    assert dl.basis == "agency default, not law: the agency's"
    assert "status='agency_default'" in repr(dl)
    c.apply("go", actor="u", role="a", at=t)
    (dl,) = c.deadlines
    assert dl.event == "finish" and dl.status == "law"
    assert dl.basis == "law (Code on Things, Art. 5)"
    assert dl.rule.kind == "deadline"
    (late,) = cl.overdue(t + dt.timedelta(days=30))
    assert late.status == "law"


def test_refusal_names_its_rule(pol):
    cl = pol.caseload()
    t = dt.datetime(2024, 5, 2, 10, 0, tzinfo=GE)
    c = cl.open_case("w", "C1", at=t, actor="u", role="a")
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("go", actor="u", role="b", at=t)
    assert e.value.reason == "role" and e.value.rule.name == "w: on go"
    assert e.value.rule.status == "proposal"
    c.apply("go", actor="u", role="a", at=t)
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("finish", actor="u", role="b", at=t)
    assert e.value.reason == "guard" and e.value.rule.status == "law"
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("go", actor="u", role="a", at=t)
    assert e.value.reason == "no_transition" and e.value.rule is None


def test_default_policy_deadlines_are_agency_defaults():
    pol = cpw.Policy.default()
    cl = pol.caseload()
    t = dt.datetime(2026, 4, 8, 10, 0, tzinfo=GE)
    c = cl.open_case("referral", "R-1", at=t, actor="u", role="reporter")
    c.apply("register", actor="u", role="intake_officer", at=t)
    assert c.deadlines
    assert all(d.status == "agency_default" for d in c.deadlines)
    assert all("agency default, not law" in d.basis for d in c.deadlines)
    assert pol.rules(status="none") == []
    assert any(r.status == "proposal" for r in pol.rules())


def test_notifications_counted_by_reporter_type():
    pol = cpw.Policy.default()
    wf = pol.workflow("referral")
    assert "school" in wf.field_values("reporter_type")
    assert "without_parental_care" in wf.field_values("case_type")
    assert wf.field_values("registered_on") == []
    with pytest.raises(cpw.NotFound):
        wf.field_values("nope")
    cl = pol.caseload()
    for i, who in enumerate(["school", "police", "school"]):
        c = cl.open_case("referral", "N%d" % i, at="2018-03-05T10:00:00+04:00", actor="u",
                         role="reporter", fields={"reporter_type": who})
        c.apply("register", actor="u", role="intake_officer", at="2018-03-05T11:00:00+04:00",
                fields={"case_type": "neglect"})
    assert cl.tally("referral", "registered_on", "2018-01-01", "2018-12-31") == 3
    assert cl.tally("referral", "registered_on", "2018-01-01", "2018-12-31",
                    "reporter_type", "school") == 2
    assert cl.tally("referral", "registered_on", "2019-01-01", "2019-12-31") == 0
    with pytest.raises(cpw.NotFound):
        cl.tally("referral", "registered_on", "2018-01-01", "2018-12-31", "nope", "x")
