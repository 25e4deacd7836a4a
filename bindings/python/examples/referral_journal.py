#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Referral cases through the durable journal: open, apply, refuse, commit, verify the hash
chain from the file, and rebuild the cases from it.

    python3 referral_journal.py [JOURNAL]   (default: a file in a temporary directory)
"""
import os
import sys
import tempfile

try:
    import cpw
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import cpw


def main(path):
    pol = cpw.Policy.default()
    mirrored = []
    with cpw.Journal.open(path, policy=pol, group_commit=100, hook=mirrored.append) as j:
        for n, danger in enumerate([False, True, False], start=1):
            c = j.open_case("referral", "R-2026-%04d" % n, at="2026-03-02T09:%02d:00+04:00" % n,
                            actor="school-7", role="reporter")
            c.apply("register", actor="io-1", role="intake_officer",
                    at="2026-03-02T10:%02d:00+04:00" % n, fields={"immediate_danger": danger})
        urgent = j.case("R-2026-0002")
        try:  # an intake officer cannot flag the case: refused, not journaled
            urgent.apply("flag_urgent", actor="io-1", role="intake_officer",
                         at="2026-03-02T11:00:00+04:00")
        except cpw.TransitionRefused as e:
            print("refused (%s): %s" % (e.reason, e.explanation))
        urgent.apply("flag_urgent", actor="pol-3", role="police", at="2026-03-02T11:05:00+04:00")
        j.commit()
        print("committed %d entries; the hook mirrored %d" % (j.recovery.entries, len(mirrored)))
        head = j.head_hash
        for c in j.caseload:
            due = ", ".join("%s by %s" % (d.event, d.due.isoformat()) for d in c.deadlines)
            print("  %s %-16s %s" % (c.id, c.state, due))
        overdue = j.caseload.overdue("2026-03-10T00:00:00+04:00")
        print("overdue on 10 March:", [(d.case_id, d.event, d.escalation) for d in overdue])

    # what an auditor does: verify the file alone, compare the head hash kept elsewhere
    info = cpw.Journal.verify_file(path)
    print("verified %d entries in %d commits, head %s... %s" % (
        info.entries, info.commits, info.head_hash[:16],
        "matches" if info.head_hash == head else "DIFFERS"))
    with cpw.Journal.open(path, policy=pol, readonly=True) as j:
        cases = j.replay()
        print("replayed:", {c.id: c.state for c in cases})
        print("entries:", [(e["seq"], e["kind"], e["subject"], e["name"]) for e in j.entries()])
    diagram = pol.workflow("referral").diagram("mermaid")
    print("the workflow as a Mermaid diagram: %d transitions" % diagram.count("-->"))
    return 0 if info.head_hash == head else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1]))
    with tempfile.TemporaryDirectory() as d:
        sys.exit(main(os.path.join(d, "referrals.journal")))
