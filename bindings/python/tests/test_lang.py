# SPDX-License-Identifier: Apache-2.0
"""Languages: explanations, labels, diagrams and tables in Georgian and English."""
import datetime as dt

import pytest

import cpw

RETURNEE = {"citizenship": "georgian", "months_abroad_irregular": 10,
            "asylum_applied_abroad": False, "asylum_granted_abroad": False}


@pytest.fixture
def policy():
    return cpw.Policy.default()


@pytest.fixture(autouse=True)
def no_default_language():
    cpw.set_language(None)
    yield
    cpw.set_language(None)


def test_explain_in_georgian(policy):
    d = policy.evaluate("reintegration_assistance", RETURNEE, as_of="2019-06-01")
    assert d.explain().startswith("not eligible: none of: months_abroad_irregular is 10")
    ka = d.explain(lang="ka")
    assert ka.startswith("არ აკმაყოფილებს პირობებს: არცერთი პირობა არ სრულდება: "
                         "საზღვარგარეთ არალეგალურად ყოფნის ხანგრძლივობა (თვე): 10 "
                         "(საჭიროა: მეტი, ვიდრე 12); ")
    assert "; და " not in ka  # alternatives are never joined with "and"
    assert d.explain(lang="en").startswith("not eligible: none of: months abroad without legal "
                                           "status is 10, but must be more than 12")
    assert d.explain() == d.explain(lang="")
    d2 = policy.evaluate("reintegration_assistance", RETURNEE, as_of="2019-06-01", lang="ka")
    assert d2.explain() == ka and d2.lang == "ka"
    assert d2.reasons[0].sentence.startswith("საზღვარგარეთ არალეგალურად ყოფნის")


def test_set_language_is_the_default(policy):
    cpw.set_language("ka")
    assert cpw.get_language() == "ka"
    d = policy.evaluate("tsa_child_benefit", {"tsa_registered": True}, as_of="2024-01-01")
    assert d.explain().startswith("ვერ დადგინდა: ")
    assert d.explain(lang="").startswith("undetermined: ")
    with pytest.raises(TypeError):
        cpw.set_language(5)


def test_unknown_language_is_not_found(policy):
    with pytest.raises(cpw.NotFound):
        policy.evaluate("barnahus", {}, as_of="2024-01-01", lang="xx")


def test_labels_on_fields_programmes_settings(policy):
    f = policy.field("citizenship")
    assert f.labels["ka"] == "მოქალაქეობა" and f.label("en") == "citizenship"
    assert f.value_label("georgian", "ka") == "საქართველოს მოქალაქე"
    assert f.label() == "citizenship"  # no language: the name
    p = policy.program("barnahus")
    assert p.label("ka").startswith("ბარნაჰუსი")
    s = {x.id: x for x in policy.settings}
    assert s["foster_care"].label("ka") == "მინდობით აღზრდა"
    assert policy.languages == ["ka", "en"]
    assert policy.name_of_label("field", "მოქალაქეობა") == "citizenship"
    assert policy.label("holiday", "Orthodox Good Friday", "ka") == "დიდი პარასკევი"
    assert policy.message("eligible", "ka") == "აკმაყოფილებს პირობებს"


def test_states_events_roles_and_diagrams(policy):
    wf = policy.workflow("referral")
    assert wf.state_label("assessment", "ka") == "საჭიროებების შეფასება (სოციალური მუშაკი)"
    assert wf.event_label("start_assessment", "ka") == "შეფასების დაწყება"
    assert wf.role_label("supervisor", "ka") == "პროფესიული ზედამხედველი"
    assert wf.label("workflow", lang="ka").startswith("ბავშვთა დაცვის მიმართვიანობა")
    m = wf.diagram(lang="ka")
    assert 'state "რეგისტრირებულია სააგენტოს მიერ" as registered' in m
    assert wf.initial_state == "notified"
    assert "digraph" in wf.diagram("dot", lang="en")


def test_case_refusal_in_georgian(policy):
    cl = policy.caseload()
    c = cl.open_case("referral", "C-1", at="2026-04-08T10:00:00+04:00", actor="a",
                     role="reporter")
    c.apply("register", actor="u", role="intake_officer", at="2026-04-08T11:00:00+04:00")
    with pytest.raises(cpw.TransitionRefused) as e:
        c.apply("approve_plan", actor="u", role="intake_officer",
                at="2026-04-08T12:00:00+04:00")
    assert e.value.explanation == "no transition from registered on approve_plan"
    assert c.explain("ka") == ("ეტაპზე „რეგისტრირებულია სააგენტოს მიერ“ მოქმედება "
                               "„შემთხვევის გეგმის დამტკიცება“ არ არის გათვალისწინებული")
    cpw.set_language("ka")
    assert c.explanation.startswith("ეტაპზე „")


def test_formats_and_catalogue():
    assert cpw.languages() == ["en", "ka"]
    assert cpw.language_name("ka") == "ქართული"
    assert cpw.format_date(dt.date(2026, 4, 12), "ka") == "2026 წლის 12 აპრილი"
    assert cpw.format_money("200", "ka") == "200 ₾"
    assert cpw.format_money("12.50", "ka") == "12,50 ₾"
    assert cpw.format_number(120000, "ka") == "120 000"
    assert cpw.message("overdue", "ka") == "ვადაგადაცილებული"
    assert cpw.message("no_such_key", "ka") is None
    with pytest.raises(cpw.InvalidInput):
        cpw.format_date("2026-04-12", "xx")


def test_readme_georgian_explanation(policy):
    """The README's Georgian explanation is what the library writes."""
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        text = f.read()
    block = text.split("## In Georgian", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    d = policy.evaluate("reintegration_assistance", RETURNEE, as_of="2019-06-01", lang="ka")
    assert block == d.explain()
