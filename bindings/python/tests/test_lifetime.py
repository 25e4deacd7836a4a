# SPDX-License-Identifier: Apache-2.0
"""Lifetimes: objects outliving the variables of their parents, reference cycles, and
interpreter exit. A mistake here is a crash, so several checks run in a subprocess."""
import gc
import os
import subprocess
import sys
import textwrap

import cpw

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code):
    env = dict(os.environ, PYTHONPATH=PKG_ROOT)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_decision_outlives_policy():
    d = cpw.Policy.default().evaluate("trafficking_services",
                                      {"trafficking_victim_status": True}, as_of="2020-01-01")
    gc.collect()
    assert d.outcome == "eligible" and d.services and d.explain()
    assert d.policy.name == "georgia"  # the decision keeps its policy


def test_case_outlives_caseload_variable():
    pol = cpw.Policy.default()
    cl = pol.caseload()
    c = cl.open_case("referral", "C", at="2026-03-02T09:00:00Z", actor="u", role="reporter")
    del cl, pol
    gc.collect()
    assert c.apply("register", actor="u", role="intake_officer",
                   at="2026-03-02T10:00:00Z") == "registered"
    assert c.deadlines and c.fields["immediate_danger"] is False
    assert len(c.caseload) == 1


def test_children_outlive_parents():
    rec = cpw.Policy.default().record({"citizenship": "georgian"})
    wf = cpw.Policy.default().workflow("referral")
    cal = cpw.Policy.default().calendar()
    cols = cpw.Policy.default().columns({"citizenship": ["georgian"]})
    reg = cpw.Policy.default().registry()
    reg.add_child("c", "2010-01-01")
    ind = reg.indicators("2020-01-01", "2020-12-31")
    del reg
    gc.collect()
    assert rec["citizenship"] == "georgian"
    assert rec.policy.evaluate("barnahus", rec).outcome == "undetermined"
    assert wf.states[0] == "notified" and wf.diagram()
    assert cal.is_holiday("2026-01-01")
    assert cols.policy.evaluate_many("barnahus", cols) == ["undetermined"]
    assert ind.table() and ind.registry.current("c") is None


def test_policy_caseload_cycle_is_collected():
    for i in range(20):
        pol = cpw.Policy.default()
        pol.open_case("referral", "C%d" % i, at="2026-03-02T09:00:00Z", actor="u",
                      role="reporter")
        pol.evaluate("barnahus", {})
        del pol
        gc.collect()


def test_journal_cycle_is_collected(tmp_path):
    path = str(tmp_path / "cycle.journal")
    for i in range(5):
        j = cpw.Journal.open(path, policy=cpw.Policy.default(), group_commit=50,
                             hook=lambda e: None)
        j.open_case("referral", "J%d" % i, at="2026-03-02T09:00:00Z", actor="u",
                    role="reporter")
        j.registry.add_child("c%d" % i, "2010-01-01")
        del j
        gc.collect()
    assert cpw.Journal.verify_file(path).entries == 10


def test_exit_with_live_objects_and_cycles(tmp_path):
    """Interpreter exit frees objects in any order: it must not crash, and an open journal
    is committed at exit."""
    path = str(tmp_path / "exit.journal")
    r = run_python("""
        import cpw
        seen = []
        pol = cpw.Policy.default()
        c = pol.open_case("referral", "C", at="2026-03-02T09:00:00Z", actor="u",
                          role="reporter")
        d = pol.evaluate("barnahus", {})
        j = cpw.Journal.open(%r, policy=pol, group_commit=100, hook=seen.append)
        jc = j.open_case("referral", "J", at="2026-03-02T09:00:00Z", actor="u",
                         role="reporter")
        reg = j.registry
        reg.add_child("x", "2010-01-01")
        rec = pol.record({"citizenship": "georgian"})
        cols = pol.columns([{"citizenship": "georgian"}])
        ind = reg.indicators("2020-01-01", "2020-12-31")
        cal = cpw.Calendar.georgia()
        class Holder: pass
        h = Holder(); h.self = h; h.things = [pol, c, d, j, jc, reg, rec, cols, ind, cal]
        print("ok")
    """ % path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
    assert cpw.Journal.verify_file(path).entries == 2


def test_exit_with_unreachable_cycles():
    r = run_python("""
        import cpw
        for i in range(50):
            pol = cpw.Policy.default()
            cl = pol.cases
            cl.open_case("referral", "C", at="2026-03-02T09:00:00Z", actor="u",
                         role="reporter")
            reg = pol.registry()
            pol.x = (cl, reg, pol.record(), pol.columns({"city": ["tbilisi"]}))
        print("ok")
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


def test_threads_exit_while_holding_policy_scratch():
    r = run_python("""
        import threading, cpw
        pol = cpw.Policy.default()
        def work():
            for _ in range(50):
                pol.evaluate("barnahus", {"alleged_sexual_violence": True})
        ts = [threading.Thread(target=work) for _ in range(4)]
        for t in ts: t.start()
        for t in ts: t.join()
        print("ok")
    """)
    assert r.returncode == 0, r.stderr
