#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A first look: eligibility with explanations, a batch, and a referral case.

    python3 quickstart.py
"""
import os
import sys

try:
    import cpw
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import cpw

pol = cpw.Policy.default()  # Georgia's policy, embedded in the library
print("libcpw %s, policy %s %s" % (cpw.__version__, pol.name, pol.version))

# one person, one programme, with the reasons
d = pol.evaluate("reintegration_assistance",
                 {"citizenship": "georgian", "months_abroad_irregular": 10,
                  "asylum_applied_abroad": False, "asylum_granted_abroad": False},
                 as_of="2019-06-01")
print(d.outcome)
print(d.explain())

# a fact is missing: the outcome says so, and names it
d = pol.evaluate("tsa_child_benefit", {"tsa_registered": True, "tsa_score": 90000},
                 as_of="2025-01-01")
print(d.outcome, "- missing:", ", ".join(d.missing))

# many people at once, column by column (one C call)
columns = {
    "tsa_registered": [True, True, False, None],
    "tsa_score": [90000, 150000, 10000, 5000],
    "birth_date": ["2015-03-01", "2012-07-19", "2018-01-01", "2019-05-05"],
}
print(pol.evaluate_many("tsa_child_benefit", columns, as_of="2025-01-01"))

# a referral case: events are accepted, or refused with the reason and nothing changes
case = pol.open_case("referral", case_id="C-1", at="2026-03-02T09:00:00+04:00",
                     actor="u7", role="intake_officer")
case.apply("register", actor="u7", role="intake_officer", at="2026-03-02T09:30:00+04:00",
           fields={"immediate_danger": False})
print(case.state, case.deadlines)
try:
    case.apply("approve_plan", actor="u7", role="intake_officer",
               at="2026-03-02T10:00:00+04:00")
except cpw.TransitionRefused as e:
    print("refused (%s): %s" % (e.reason, e.explanation))
print("the intake officer may now:", ", ".join(case.allowed_events(role="intake_officer")))
