# SPDX-License-Identifier: Apache-2.0
"""The legal basis of rules: the sources a policy declares, and every rule with its basis
(status "law", "regulation", "agency_default" or "proposal", the sources it cites, a note).

Rules and sources are plain values read from the policy (they hold no C memory)::

    pol = cpw.Policy.default()
    for r in pol.rules(status="proposal"):        # the list a ministry reviewer goes through
        print(r.name, r.basis)
"""
from __future__ import annotations

import datetime as _dt
from typing import List, Optional, Tuple

from ._common import str_of, days_to_date
from ._ffi import ffi, lib

__all__ = ["Rule", "Source", "STATUSES", "PRECISIONS"]

#: cpw_basis_status -> "none", "law", "regulation", "agency_default", "proposal"
STATUSES = {s: ffi.string(lib.cpw_basis_status_name(s)).decode("ascii")
            for s in range(lib.CPW_BASIS_NONE, lib.CPW_BASIS_PROPOSAL + 1)}
#: cpw_date_precision -> "day", "month", "year" (how much of a start date is sourced)
PRECISIONS = {lib.CPW_PRECISION_DAY: "day", lib.CPW_PRECISION_MONTH: "month",
              lib.CPW_PRECISION_YEAR: "year"}


def _date(fn, ptr) -> Tuple[Optional[_dt.date], Optional[str]]:
    d = ffi.new("cpw_date *")
    prec = fn(ptr, d)
    if prec < 0:
        return None, None
    return days_to_date(d[0]), PRECISIONS.get(prec, "day")


class Source:
    """A source declared in a policy: ``id``, ``citation`` (the act, report or page),
    ``number``, ``article``, ``date`` (or None) with ``date_precision`` ("day", "month",
    "year"), ``address`` (a web address) and ``note`` ("" when not given)."""

    __slots__ = ("id", "citation", "number", "article", "date", "date_precision", "address",
                 "note")

    def __init__(self, ptr):
        self.id = str_of(lib.cpw_source_id(ptr))
        self.citation = str_of(lib.cpw_source_citation(ptr))
        self.number = str_of(lib.cpw_source_number(ptr))
        self.article = str_of(lib.cpw_source_article(ptr))
        self.address = str_of(lib.cpw_source_address(ptr))
        self.note = str_of(lib.cpw_source_note(ptr))
        self.date, self.date_precision = _date(lib.cpw_source_date, ptr)

    def __repr__(self) -> str:
        return "<Source %s: %s>" % (self.id, self.citation)


class Rule:
    """A rule of a policy with its basis.

    Attributes:
        kind: "program", "benefit", "service", "param", "calendar", "holiday", "day_off",
            "workflow", "transition", "deadline", "setting", "facility", "placement",
            "gatekeeping".
        name: what it is ("tsa_child_benefit", "referral: deadline start_assessment").
        text: the rule as written in the policy, on one line.
        file, line: where it is.
        status: "law", "regulation", "agency_default", "proposal", or "none" (no basis
            stated).
        inherited: True when the rule has its block's basis (a service its programme's).
        note: the basis's note.
        sources: the cited sources, as (:class:`Source`, pinpoint) pairs.
        basis: the basis as users read it ("agency default, not law (...)").
        start, start_precision: when the rule starts to apply and how much of that date is
            sourced ("year": only the year), or None.
    """

    __slots__ = ("kind", "name", "text", "file", "line", "status", "inherited", "note",
                 "sources", "basis", "start", "start_precision")

    def __init__(self, ptr):
        line = ffi.new("int *")
        self.kind = str_of(lib.cpw_rule_kind_name(lib.cpw_rule_kind_of(ptr)))
        self.name = str_of(lib.cpw_rule_name(ptr))
        self.text = str_of(lib.cpw_rule_text(ptr))
        self.file = str_of(lib.cpw_rule_file(ptr, line))
        self.line = line[0]
        self.status = STATUSES.get(lib.cpw_rule_status(ptr), "none")
        self.inherited = bool(lib.cpw_rule_inherited(ptr))
        self.note = str_of(lib.cpw_rule_note(ptr))
        self.basis = str_of(lib.cpw_rule_basis(ptr))
        pin = ffi.new("const char **")
        self.sources = []
        for i in range(lib.cpw_rule_source_count(ptr)):
            s = lib.cpw_rule_source(ptr, i, pin)
            self.sources.append((Source(s), str_of(pin[0])))
        self.start, self.start_precision = _date(lib.cpw_rule_start, ptr)

    @property
    def status_label(self) -> str:
        """"law", "regulation", "agency default, not law", "proposal, not confirmed" or "no
        basis stated"."""
        code = next(k for k, v in STATUSES.items() if v == self.status)
        return str_of(lib.cpw_basis_status_label(code))

    def __repr__(self) -> str:
        return "<Rule %s %s: %s>" % (self.kind, self.name, self.status)


def rule_or_none(ptr) -> Optional[Rule]:
    return None if ptr == ffi.NULL else Rule(ptr)


def policy_rules(policy_ptr, status: Optional[str] = None) -> List[Rule]:
    if status is not None and lib.cpw_basis_status_from_name(status.encode("ascii")) < 0:
        raise ValueError("status is one of %s, not %r" % (", ".join(STATUSES.values()),
                                                           status))
    out = [Rule(lib.cpw_policy_rule_at(policy_ptr, i))
           for i in range(lib.cpw_policy_rule_count(policy_ptr))]
    return [r for r in out if status is None or r.status == status]


def policy_sources(policy_ptr) -> List[Source]:
    return [Source(lib.cpw_policy_source_at(policy_ptr, i))
            for i in range(lib.cpw_policy_source_count(policy_ptr))]


def policy_source(policy_ptr, id: str) -> Optional[Source]:
    p = lib.cpw_policy_source_find(policy_ptr, id.encode("utf-8"))
    return None if p == ffi.NULL else Source(p)


def decision_rules(dec) -> Tuple[List[Rule], str]:
    rules = [Rule(lib.cpw_decision_rule(dec, i)) for i in range(lib.cpw_decision_rule_count(dec))]
    return rules, str_of(lib.cpw_decision_basis(dec))


def program_rule(program_ptr) -> Optional[Rule]:
    return rule_or_none(lib.cpw_program_rule(program_ptr))


def workflow_rule(wf_ptr) -> Optional[Rule]:
    return rule_or_none(lib.cpw_workflow_rule(wf_ptr))


def refusal_rule(case_ptr) -> Optional[Rule]:
    return rule_or_none(lib.cpw_case_refusal_rule(case_ptr))


def deadline_rule(dl) -> Optional[Rule]:
    return rule_or_none(lib.cpw_deadline_rule(dl))
