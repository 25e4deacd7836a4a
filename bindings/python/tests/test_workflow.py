# SPDX-License-Identifier: Apache-2.0
"""Workflows, caseloads, cases, events, refusals and deadlines."""
import datetime as dt
from decimal import Decimal

import pytest

import cpw

GE = dt.timezone(dt.timedelta(hours=4))

VISIT_POLICY = """
policy wftest "Workflow test" version "1"
timezone "+04:00"
calendar work "Work days" {
  weekend saturday, sunday
  holiday 1 January "New Year"
}
workflow visit "Home visit" {
  calendar work
  roles worker, boss
  field urgent: bool = false "Urgent"
  field visits: int = 0 "Visits"
  field cost: money "Cost"
  field planned: date "Planned date"
  field seen_at: datetime "Seen at"
  field risk: enum(low, high) = low "Risk"
  field needs: set of enum(food, school) "Needs"
  state open initial "Open"
  state visiting "Visiting"
  state done final "Done"
  event start carries urgent, planned "Start"
  event visit carries cost, seen_at, risk, needs "Visit"
  event finish "Finish"
  event late "A deadline ran out"
  event never "Unused"
  on start: open -> visiting by worker
  on visit: visiting by worker set visits = visits + 1
  on finish: visiting -> done by boss when visits > 0
  on late: visiting by boss
  deadline visit within 2 working days in visiting when not urgent
  deadline visit within 4 hours in visiting when urgent
  escalate late to boss
}
"""


@pytest.fixture
def visit_policy():
    return cpw.Policy.from_string(VISIT_POLICY, name="visit.cpw")


def t(s):
    return dt.datetime.fromisoformat(s)


def test_policy_warnings(visit_policy):
    w = visit_policy.warnings
    assert len(w) == 1 and w[0].severity == "warning"
    assert "never" in w[0].message and w[0].file == "visit.cpw" and w[0].line > 0


def test_workflow_introspection(policy, visit_policy):
    wf = policy.workflow("referral")
    assert wf.name == "referral" and wf.title == "Child protection referral"
    assert wf.states[0] == "notified" and "monitoring" in wf.states
    assert wf.initial_state == "notified"
    assert wf.final_states == ["merged"]
    assert wf.is_final("merged") and not wf.is_final("closed")
    assert "register" in wf.events and "deadline_missed" in wf.events
    assert wf.roles == ["reporter", "intake_officer", "social_worker", "supervisor", "police",
                        "court"]
    assert wf.fields["immediate_danger"] == "bool"
    assert wf.fields["last_review"] == "date"
    assert wf == policy.workflow("referral") and hash(wf) == hash(policy.workflow("referral"))
    assert "referral" in repr(wf)
    v = visit_policy.workflow("visit")
    assert v.fields == {"urgent": "bool", "visits": "int", "cost": "money", "planned": "date",
                        "seen_at": "datetime", "risk": "enum", "needs": "set"}
    with pytest.raises(cpw.NotFound):
        policy.workflow("nope")
    with pytest.raises(cpw.NotFound):
        wf.is_final("nowhere")


def test_diagrams(policy):
    wf = policy.workflow("referral")
    m = wf.diagram("mermaid")
    assert "stateDiagram-v2" in m and "[*] --> notified" in m
    assert "notified --> registered" in m
    d = wf.diagram("dot")
    assert d.startswith('digraph "referral"') and d.rstrip().endswith("}")
    assert wf.diagram() == m
    with pytest.raises(cpw.InvalidInput):
        wf.diagram("svg")


def test_open_and_apply(fresh_policy):
    c = fresh_policy.open_case("referral", case_id="C-1", at="2026-03-02T09:00:00+04:00",
                               actor="u7", role="reporter")
    assert c.id == "C-1" and c.state == "notified"
    assert c.workflow.name == "referral"
    assert c.event_count == 1
    assert c.state_since == t("2026-03-02T09:00:00+04:00")
    assert c.state_since.utcoffset() == dt.timedelta(hours=4)
    new = c.apply("register", actor="u7", role="intake_officer", at="2026-03-02T10:00:00+04:00",
                  fields={"immediate_danger": False})
    assert new == "registered" == c.state
    assert c.event_count == 2
    assert c.refusal == "accepted" and c.explanation == ""
    assert c.last_time == t("2026-03-02T10:00:00+04:00")
    assert fresh_policy.cases["C-1"] == c
    assert "C-1" in repr(c)


def test_policy_owned_caseload(fresh_policy):
    assert fresh_policy.cases is fresh_policy.cases
    fresh_policy.open_case("referral", "A", at="2026-03-02T09:00:00Z", actor="x", role="reporter")
    assert len(fresh_policy.cases) == 1
    other = fresh_policy.caseload()
    assert len(other) == 0 and other is not fresh_policy.cases


def test_fields_are_typed(visit_policy):
    c = visit_policy.open_case("visit", "V1", at="2026-01-02T09:00:00+04:00", actor="a",
                               role="worker")
    assert c.fields == {"urgent": False, "visits": 0, "cost": None, "planned": None,
                        "seen_at": None, "risk": "low", "needs": None}
    c.apply("start", actor="a", role="worker", at="2026-01-02T10:00:00+04:00",
            fields={"planned": dt.date(2026, 1, 5)})
    c.apply("visit", actor="a", role="worker", at="2026-01-02T11:00:00+04:00",
            fields={"cost": Decimal("12.50"), "seen_at": t("2026-01-02T07:00:00+00:00"),
                    "risk": "high", "needs": ["food", "school"]})
    f = c.fields
    assert f["visits"] == 1
    assert f["cost"] == Decimal("12.50")
    assert f["planned"] == dt.date(2026, 1, 5)
    assert f["seen_at"] == t("2026-01-02T11:00:00+04:00")
    assert f["risk"] == "high"
    assert f["needs"] == frozenset({"food", "school"})
    assert c.get("cost") == Decimal("12.50")
    with pytest.raises(cpw.NotFound):
        c.get("nothing_here")
    c.apply("visit", actor="a", role="worker", at="2026-01-02T12:00:00+04:00",
            fields={"cost": 3, "needs": "food"})
    assert c.get("cost") == Decimal("3.00") and c.get("needs") == frozenset({"food"})


def test_refusal_reasons(fresh_policy):
    cl = fresh_policy.caseload()
    c = cl.open_case("referral", "R", at="2026-03-02T09:00:00+04:00", actor="u", role="reporter")
    # no transition
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("approve_plan", actor="u", role="supervisor", at="2026-03-02T10:00:00+04:00")
    assert e.value.reason == "no_transition"
    assert "no transition from notified on approve_plan" in e.value.explanation
    assert e.value.event == "approve_plan" and e.value.state == "notified"
    assert e.value.code == cpw._lib.CPW_EDENIED and isinstance(e.value, cpw.Denied)
    assert c.state == "notified" and c.refusal == "no_transition"
    assert c.explanation == e.value.explanation
    # role
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("register", actor="u", role="police", at="2026-03-02T10:00:00+04:00")
    assert e.value.reason == "role" and "police" in e.value.explanation
    # time: earlier than the last event
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("register", actor="u", role="intake_officer", at="2026-03-01T10:00:00+04:00")
    assert e.value.reason == "time"
    c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00+04:00")
    # guard
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("flag_urgent", actor="p", role="police", at="2026-03-02T11:00:00+04:00")
    assert e.value.reason == "guard" and "immediate_danger" in e.value.explanation
    assert c.state == "registered"
    # final
    m = cl.open_case("referral", "M", at="2026-03-02T09:00:00+04:00", actor="u", role="reporter")
    m.apply("merge", actor="u", role="intake_officer", at="2026-03-02T09:30:00+04:00")
    with pytest.raises(cpw.TransitionRefused) as e:
        m.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00+04:00")
    assert e.value.reason == "final"


def test_apply_errors(fresh_policy):
    c = fresh_policy.open_case("referral", "E", at="2026-03-02T09:00:00Z", actor="u",
                               role="reporter")
    with pytest.raises(cpw.NotFound):
        c.apply("explode", actor="u", role="intake_officer", at="2026-03-02T10:00:00Z")
    with pytest.raises(cpw.NotFound):
        c.apply("register", actor="u", role="janitor", at="2026-03-02T10:00:00Z")
    with pytest.raises(cpw.InvalidInput):  # register does not carry court_order
        c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00Z",
                fields={"court_order": True})
    with pytest.raises(cpw.InvalidInput):
        c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00Z",
                fields={"immediate_danger": "perhaps"})
    with pytest.raises(TypeError):
        c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00Z",
                fields=[("immediate_danger", True)])
    assert c.state == "notified" and c.event_count == 1


def test_open_errors(fresh_policy):
    cl = fresh_policy.caseload()
    cl.open_case("referral", "dup", at="2026-03-02T09:00:00Z", actor="u", role="reporter")
    with pytest.raises(cpw.AlreadyExists):
        cl.open_case("referral", "dup", at="2026-03-02T09:00:00Z", actor="u", role="reporter")
    with pytest.raises(cpw.NotFound):
        cl.open_case("nowhere", "x", at="2026-03-02T09:00:00Z", actor="u", role="reporter")
    with pytest.raises(cpw.NotFound):
        cl.open_case("referral", "x", at="2026-03-02T09:00:00Z", actor="u", role="nobody")
    with pytest.raises(cpw.InvalidInput):
        cl.open_case("referral", "", at="2026-03-02T09:00:00Z", actor="u", role="reporter")
    with pytest.raises(cpw.InvalidInput):
        cl.open_case("referral", "x", at="2026-03-02 09:00", actor="u", role="reporter")
    assert len(cl) == 1


def test_open_with_fields(fresh_policy):
    c = fresh_policy.open_case("referral", "F", at="2026-03-02T09:00:00Z", actor="u",
                               role="reporter", fields={"immediate_danger": True})
    assert c.fields["immediate_danger"] is True


def test_allowed_events(fresh_policy):
    c = fresh_policy.open_case("referral", "AE", at="2026-03-02T09:00:00+04:00", actor="u",
                               role="reporter")
    assert "register" in c.allowed_events("intake_officer")
    # the court's decision on a separation may arrive in any open state
    assert c.allowed_events("court") == ["court_decision"]
    assert c.allowed_events("reporter") == []
    c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00+04:00")
    sw = c.allowed_events(role="social_worker")
    # flag_urgent's guard reads immediate_danger, which the event itself carries: allowed
    assert "start_assessment" in sw and "flag_urgent" in sw
    assert c.allowed_events("nobody") == []


def test_deadlines_working_days(fresh_policy):
    c = fresh_policy.open_case("referral", "D", at="2026-03-06T09:00:00+04:00", actor="u",
                               role="reporter")
    # a notification waits a working day for its registration (an agency default)
    assert c.deadlines == [("register", t("2026-03-09T09:00:00+04:00"))]
    assert c.deadlines[0].status == "agency_default"
    c.apply("register", actor="u", role="intake_officer", at="2026-03-06T10:00:00+04:00")
    (event, due), assessment = c.deadlines
    # Friday 6 March + 3 working days: Monday 9 is a working day, so Wednesday 11 March
    # (8 March, Women's Day, is a Sunday anyway)
    assert event == "start_assessment"
    assert due == t("2026-03-11T10:00:00+04:00")
    # and the assessment is due 20 working days after the registration, whatever the route
    assert assessment == ("assessment_done", t("2026-04-03T10:00:00+04:00"))
    assert "agency default, not law" in assessment.basis
    d = c.deadlines[0]
    assert d.event == event and d.due == due and d.case_id == "D"
    assert d.escalation == "deadline_missed" and d.role == "supervisor"
    assert d.started == t("2026-03-06T10:00:00+04:00")
    assert d == ("start_assessment", due)
    assert "start_assessment" in repr(d)


def test_deadlines_urgent_hours(fresh_policy):
    c = fresh_policy.open_case("referral", "U", at="2026-03-02T09:00:00+04:00", actor="u",
                               role="reporter")
    c.apply("register", actor="u", role="intake_officer", at="2026-03-02T10:00:00+04:00",
            fields={"immediate_danger": True})
    assert c.deadlines == [("start_assessment", t("2026-03-03T10:00:00+04:00")),
                           ("assessment_done", t("2026-03-31T10:00:00+04:00"))]
    # flagged urgent, the 24-hour clock runs on from the registration
    c.apply("flag_urgent", actor="u", role="police", at="2026-03-02T11:00:00+04:00",
            fields={"immediate_danger": True})
    assert c.state == "urgent_response"
    assert c.deadlines[0] == ("start_assessment", t("2026-03-03T10:00:00+04:00"))
    assert c.deadlines[0].started == t("2026-03-02T10:00:00+04:00")


def test_caseload_queries(fresh_policy):
    cl = fresh_policy.caseload()
    for i in range(5):
        c = cl.open_case("referral", "Q%d" % i, at="2026-03-02T09:00:00+04:00", actor="u",
                         role="reporter")
        if i < 3:
            c.apply("register", actor="u", role="intake_officer",
                    at="2026-03-02T1%d:00:00+04:00" % i)
    assert len(cl) == 5
    assert [c.id for c in cl] == ["Q0", "Q1", "Q2", "Q3", "Q4"]
    assert "Q1" in cl and "Z" not in cl and 5 not in cl
    assert cl.get("Z") is None and cl.get("Z", 0) == 0
    with pytest.raises(KeyError):
        cl["Z"]
    assert cl.count("referral", "registered") == 3
    assert cl.count("referral", "notified") == 2
    assert cl.counts() == {("referral", "registered"): 3, ("referral", "notified"): 2}
    with pytest.raises(cpw.NotFound):
        cl.count("referral", "nowhere")
    # the two notifications not registered were due on Wednesday 4 March (3 March is
    # Mother's Day); registered Monday 2 March: due Friday 6 March 10:00, 11:00, 12:00
    od = cl.overdue("2026-03-06T00:00:00+04:00")
    assert [(d.case_id, d.event) for d in od] == [("Q3", "register"), ("Q4", "register")]
    od = cl.overdue("2026-03-06T11:00:00+04:00")
    assert [d.case_id for d in od] == ["Q3", "Q4", "Q0"]
    assert od[2].due == t("2026-03-06T10:00:00+04:00")
    due = cl.due_before("2026-03-06T11:00:00+04:00")
    assert [d.case_id for d in due] == ["Q3", "Q4", "Q0", "Q1"]
    # and each registered case's assessment, 20 working days from its registration
    assert len(cl.overdue("2027-01-01T00:00:00Z")) == 8
    assert len(cl.overdue("2027-01-01T00:00:00Z", limit=2)) == 2
    assert cl.memory > 0
    assert "5 cases" in repr(cl)


def test_caseload_requires_policy():
    with pytest.raises(TypeError):
        cpw.Caseload("georgia")
