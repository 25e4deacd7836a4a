# SPDX-License-Identifier: Apache-2.0
"""Referral workflows, caseloads, cases, events and deadlines."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

from ._common import (Ctx, TimeLike, TYPE_NAMES, cstr, date_to_days, get_language,
                      money_to_tetri, own, str_of, seconds_to_time, text_options,
                      time_to_seconds)
from ._ffi import ffi, lib
from . import basis as _basis
from .errors import InvalidInput, NotFound, TransitionRefused, error_from
from .policy import _ENGINES, Policy, convert_int64

if TYPE_CHECKING:  # pragma: no cover
    from .journal import Journal

__all__ = ["Workflow", "Caseload", "Case", "Deadline"]

#: cpw_refusal -> "accepted", "no_transition", "role", "guard", "final", "time"
REFUSALS = {r: ffi.string(lib.cpw_refusal_name(r)).decode("ascii")
            for r in range(lib.CPW_ACCEPTED, lib.CPW_REFUSED_TIME + 1)}
_DIAGRAMS = {"dot": lib.CPW_DIAGRAM_DOT, "mermaid": lib.CPW_DIAGRAM_MERMAID}
_HAVE_FIELD_TYPE = True


class Workflow:
    """A workflow of a policy: roles, states, events and case fields (read-only; keeps the
    policy alive)."""

    policy: Policy
    _ptr: Any

    def __init__(self, *a, **k):
        raise TypeError("use policy.workflow(name)")

    @classmethod
    def _get(cls, policy: Policy, name: str) -> "Workflow":
        if not isinstance(name, str):
            raise TypeError("a workflow name must be a str")
        p = lib.cpw_policy_workflow(policy._ptr, name.encode("utf-8"))
        if p == ffi.NULL:
            raise NotFound("the policy has no workflow '%s' (it has: %s)"
                           % (name, ", ".join(policy.workflows)))
        return cls._wrap(policy, p)

    @classmethod
    def _wrap(cls, policy: Policy, p) -> "Workflow":
        self = object.__new__(cls)
        self.policy = policy
        self._ptr = p
        return self

    @property
    def name(self) -> str:
        return str_of(lib.cpw_workflow_name(self._ptr))

    @property
    def title(self) -> str:
        return str_of(lib.cpw_workflow_title(self._ptr))

    @property
    def rule(self) -> Optional[_basis.Rule]:
        """The workflow's own rule: the basis of its stages and roles."""
        return _basis.workflow_rule(self._ptr)

    @property
    def states(self) -> List[str]:
        return [str_of(lib.cpw_workflow_state(self._ptr, i))
                for i in range(lib.cpw_workflow_state_count(self._ptr))]

    @property
    def final_states(self) -> List[str]:
        return [str_of(lib.cpw_workflow_state(self._ptr, i))
                for i in range(lib.cpw_workflow_state_count(self._ptr))
                if lib.cpw_workflow_state_is_final(self._ptr, i)]

    @property
    def initial_state(self) -> str:
        """The state cases open in (read from the Mermaid diagram's ``[*] -->`` line: the C
        API has no accessor for it)."""
        m = re.search(r"\[\*\]\s*-->\s*(\S+)", self.diagram("mermaid", lang=""))
        return m.group(1) if m else self.states[0]

    @property
    def events(self) -> List[str]:
        return [str_of(lib.cpw_workflow_event(self._ptr, i))
                for i in range(lib.cpw_workflow_event_count(self._ptr))]

    @property
    def roles(self) -> List[str]:
        return [str_of(lib.cpw_workflow_role(self._ptr, i))
                for i in range(lib.cpw_workflow_role_count(self._ptr))]

    @property
    def fields(self) -> Dict[str, str]:
        """The case fields and their types ("bool", "int", "money", "date", "datetime",
        "enum", "set"), in declaration order."""
        return {str_of(lib.cpw_workflow_field(self._ptr, i)): self._field_type(i)
                for i in range(lib.cpw_workflow_field_count(self._ptr))}

    def field_values(self, field: str) -> List[str]:
        """The values of an enum or set case field ("school", "police", ...); [] for other
        fields."""
        for i in range(lib.cpw_workflow_field_count(self._ptr)):
            if str_of(lib.cpw_workflow_field(self._ptr, i)) == field:
                return [str_of(lib.cpw_workflow_field_value(self._ptr, i, v))
                        for v in range(lib.cpw_workflow_field_value_count(self._ptr, i))]
        raise NotFound("workflow %s has no field '%s'" % (self.name, field))

    def _field_type(self, i: int) -> str:
        global _HAVE_FIELD_TYPE
        if _HAVE_FIELD_TYPE:
            try:
                return TYPE_NAMES.get(lib.cpw_workflow_field_type(self._ptr, i), "unknown")
            except AttributeError:  # a libcpw 1.0 without it
                _HAVE_FIELD_TYPE = False
        return "unknown"

    def _index(self, fn, kind: str, name: str) -> int:
        if not isinstance(name, str):
            raise TypeError("a %s name must be a str" % kind)
        i = fn(self._ptr, name.encode("utf-8"))
        if i < 0:
            raise NotFound("workflow %s has no %s '%s'" % (self.name, kind, name))
        return i

    def is_final(self, state: str) -> bool:
        return bool(lib.cpw_workflow_state_is_final(
            self._ptr, self._index(lib.cpw_workflow_state_index, "state", state)))

    def label(self, kind: str, name: Optional[str] = None, lang: Optional[str] = None) -> str:
        """The label of the workflow (kind "workflow") or of one of its states, events,
        roles or case fields in a language (None: :func:`cpw.get_language`), else the name:
        ``wf.label("state", "assessment", "ka")``."""
        lang = lang if lang is not None else get_language()
        if name is None:
            kind, name = "workflow", self.name
        key = name if kind in ("role", "workflow") else "%s.%s" % (self.name, name)
        label = self.policy.label(kind, key, lang) if lang else None
        return label if label is not None else name

    def state_label(self, state: str, lang: Optional[str] = None) -> str:
        """A state's label ("საჭიროებების შეფასება (სოციალური მუშაკი)" in "ka")."""
        return self.label("state", state, lang)

    def event_label(self, event: str, lang: Optional[str] = None) -> str:
        """An event's label ("შეფასების დაწყება" in "ka")."""
        return self.label("event", event, lang)

    def role_label(self, role: str, lang: Optional[str] = None) -> str:
        """A role's label ("სოციალური მუშაკი" in "ka")."""
        return self.label("role", role, lang)

    def diagram(self, format: str = "mermaid", lang: Optional[str] = None) -> str:
        """The workflow drawn as a Mermaid stateDiagram-v2 ("mermaid") or Graphviz DOT
        ("dot"): states, transitions labelled with event, roles and guard; deadlines as
        notes. `lang` draws it with the labels of a language ("ka"; None:
        :func:`cpw.get_language`)."""
        try:
            fmt = _DIAGRAMS[format]
        except KeyError:
            raise InvalidInput("diagram format must be 'mermaid' or 'dot', not %r"
                               % (format,)) from None
        ctx = Ctx()
        out = ffi.new("char **")
        n = ffi.new("size_t *")
        lang = lang if lang is not None else get_language()
        if lang:
            opts, _keep = text_options(lang)
            ctx.check(lib.cpw_workflow_diagram_with(self._ptr, ctx.ptr, fmt, opts, out, n))
        else:
            ctx.check(lib.cpw_workflow_diagram(self._ptr, ctx.ptr, fmt, out, n))
        try:
            return ffi.unpack(out[0], n[0]).decode("utf-8")
        finally:
            lib.cpw_free(ctx.ptr, out[0])

    def __eq__(self, other):
        return isinstance(other, Workflow) and other._ptr == self._ptr

    def __hash__(self):
        return hash((Workflow, self.name))

    def __repr__(self) -> str:
        return "<cpw.Workflow %s>" % self.name


class Deadline(tuple):
    """A pending deadline: a 2-tuple ``(event, due)`` (the event expected, and the aware
    datetime by which it is due), with more in attributes: ``case_id``, ``escalation`` (the
    event due when it runs out), ``role`` (who must act on the escalation), ``started``, and
    the clock's basis: ``status`` ("law", "regulation", "agency_default", "proposal" or
    "none"), ``basis`` (as users read it: "agency default, not law (...)") and ``rule`` (the
    :class:`cpw.basis.Rule`, or None).
    """

    case_id: str
    escalation: str
    role: str
    started: Optional[_dt.datetime]
    rule: Optional[_basis.Rule]

    def __new__(cls, event: str, due: _dt.datetime, *, case_id: str = "",
                escalation: str = "", role: str = "", started: Optional[_dt.datetime] = None,
                rule: Optional[_basis.Rule] = None):
        self = tuple.__new__(cls, (event, due))
        self.case_id = case_id
        self.escalation = escalation
        self.role = role
        self.started = started
        self.rule = rule
        return self

    @property
    def status(self) -> str:
        """The basis's status of the clock ("agency_default": not law)."""
        return self.rule.status if self.rule is not None else "none"

    @property
    def basis(self) -> str:
        """The clock's basis as users read it ("agency default, not law (...)")."""
        return self.rule.basis if self.rule is not None else ""

    @property
    def event(self) -> str:
        return self[0]

    @property
    def due(self) -> _dt.datetime:
        return self[1]

    def __repr__(self) -> str:
        return "Deadline(%r, %s, case_id=%r, escalation=%r, role=%r, status=%r)" % (
            self[0], self[1].isoformat(), self.case_id, self.escalation, self.role,
            self.status)


def _deadlines(arr, n, tz) -> List[Deadline]:
    return [Deadline(str_of(arr[i].event), seconds_to_time(arr[i].due, tz),
                     case_id=str_of(arr[i].case_id), escalation=str_of(arr[i].escalation),
                     role=str_of(arr[i].role), started=seconds_to_time(arr[i].started, tz),
                     rule=_basis.deadline_rule(arr + i))
            for i in range(n)]


def field_text(value: Any, what: str) -> Optional[str]:
    """A Python value as the text libcpw reads for a case or journal field."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (Decimal, float)):
        t = money_to_tetri(value, what)
        return "%s%d.%02d" % ("-" if t < 0 else "", abs(t) // 100, abs(t) % 100)
    if isinstance(value, _dt.datetime):
        s = time_to_seconds(value, what)
        return seconds_to_time(s).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return "|".join(value)
    raise TypeError("%s: cannot pass a %s as a field value" % (what, type(value).__name__))


class _FieldValues:
    """Keeps a ``cpw_field_value[]`` and its strings alive for one call."""

    __slots__ = ("arr", "n", "keep")

    def __init__(self, fields: Optional[Mapping[str, Any]]):
        self.keep = []
        if not fields:
            self.arr, self.n = ffi.NULL, 0
            return
        if not isinstance(fields, Mapping):
            raise TypeError("fields must be a mapping of field names to values")
        self.n = len(fields)
        self.arr = ffi.new("cpw_field_value[]", self.n)
        for i, (k, v) in enumerate(fields.items()):
            kb = cstr(k, "field name")
            vb = cstr(field_text(v, "field %s" % k), "field %s" % k)
            self.keep += [kb, vb]
            self.arr[i].field = kb
            self.arr[i].value = vb


class Caseload:
    """Many cases of one policy: lookup by id, counts by state, deadlines.

    ``caseload[case_id]`` (KeyError when absent), ``case_id in caseload``, ``len(caseload)``
    and iteration (cases in the order they were opened). Keeps the policy alive; like every
    libcpw object, for one thread at a time.
    """

    def __init__(self, policy: Policy):
        if not isinstance(policy, Policy):
            raise TypeError("Caseload(policy): policy must be a cpw.Policy")
        self.policy = policy
        self._ctx = Ctx()
        out = ffi.new("cpw_caseload **")
        self._ctx.check(lib.cpw_caseload_new(out, self._ctx.ptr, policy._ptr))
        self._ptr = own(out[0], lib.cpw_caseload_free, self._ctx, policy._ptr)
        self._journal: Optional["Journal"] = None

    def open_case(self, workflow: str, case_id: str, *, at: TimeLike, actor: str, role: str,
                  fields: Optional[Mapping[str, Any]] = None) -> "Case":
        """Open a case of `workflow` in its initial state at time `at`, by `actor` in `role`,
        with the workflow's default field values overridden by `fields`. Deadlines of the
        initial state start.

        Raises :class:`cpw.AlreadyExists` (the id is taken), :class:`cpw.NotFound`
        (workflow, role or field unknown), :class:`cpw.InvalidInput` (a bad value or time).
        """
        t = time_to_seconds(at, "at", self._ctx)
        fv = _FieldValues(fields)
        out = ffi.new("cpw_case **")
        args = (out, cstr(case_id, "case_id"), cstr(workflow, "workflow"), fv.arr, fv.n, t,
                cstr(actor, "actor"), cstr(role, "role"))
        if self._journal is not None:
            j = self._journal._live()
            rc = lib.cpw_journal_case_open(j, self._ptr, *args)
            if rc == lib.CPW_EUSER:
                self._journal._raise_hook_error(self._ctx)
        else:
            rc = lib.cpw_caseload_open(self._ptr, *args)
        self._ctx.check(rc)
        return Case(self, out[0])

    def get(self, case_id: str, default=None) -> Optional["Case"]:
        p = lib.cpw_caseload_find(self._ptr, cstr(case_id, "case_id"))
        return default if p == ffi.NULL else Case(self, p)

    def __getitem__(self, case_id: str) -> "Case":
        c = self.get(case_id)
        if c is None:
            raise KeyError(case_id)
        return c

    def __contains__(self, case_id: object) -> bool:
        return isinstance(case_id, str) and self.get(case_id) is not None

    def __len__(self) -> int:
        return lib.cpw_caseload_case_count(self._ptr)

    def __iter__(self) -> Iterator["Case"]:
        for i in range(len(self)):
            yield Case(self, lib.cpw_caseload_case_at(self._ptr, i))

    def count(self, workflow: str, state: str) -> int:
        """How many cases of `workflow` are in `state` now."""
        n = lib.cpw_caseload_count(self._ptr, cstr(workflow, "workflow"), cstr(state, "state"))
        if n == lib.CPW_ENOTFOUND:
            raise NotFound("unknown workflow '%s' or state '%s'" % (workflow, state))
        if n < 0:
            raise error_from(int(n), None)
        return n

    def counts(self) -> Dict[Tuple[str, str], int]:
        """Cases by (workflow, state), for every state with at least one case."""
        out = {}
        for w in self.policy.workflows:
            for s in self.policy.workflow(w).states:
                n = self.count(w, s)
                if n:
                    out[(w, s)] = n
        return out

    def tally(self, workflow: str, date_field: str, start, end, field: Optional[str] = None,
              value: Optional[str] = None) -> int:
        """How many cases of `workflow` have the date field `date_field` between `start` and
        `end` (both included) and, when `field` and `value` are given, that value ("" counts
        the cases where it is missing): e.g. the notifications registered in 2018 by a
        school, ``tally("referral", "registered_on", "2018-01-01", "2018-12-31",
        "reporter_type", "school")``."""
        n = lib.cpw_caseload_tally(
            self._ptr, cstr(workflow, "workflow"), cstr(date_field, "date_field"),
            date_to_days(start, "start"), date_to_days(end, "end"),
            cstr(field, "field") if field is not None else ffi.NULL,
            cstr(value, "value") if value is not None else ffi.NULL)
        if n == lib.CPW_ENOTFOUND:
            raise NotFound("unknown workflow '%s' or field" % workflow)
        if n < 0:
            raise error_from(int(n), None)
        return n

    def _deadline_query(self, fn, at: TimeLike, limit: Optional[int]) -> List[Deadline]:
        t = time_to_seconds(at, "at", self._ctx)
        n = fn(self._ptr, t, ffi.NULL, 0)
        if limit is not None:
            n = min(n, limit)
        if n == 0:
            return []
        arr = ffi.new("cpw_deadline[]", n)
        n = min(n, fn(self._ptr, t, arr, n))
        return _deadlines(arr, n, self.policy.timezone)

    def overdue(self, at: TimeLike, limit: Optional[int] = None) -> List[Deadline]:
        """Deadlines that ran out before `at` (due < at), earliest first."""
        return self._deadline_query(lib.cpw_caseload_overdue, at, limit)

    def due_before(self, at: TimeLike, limit: Optional[int] = None) -> List[Deadline]:
        """Deadlines due on or before `at` (due <= at), earliest first."""
        return self._deadline_query(lib.cpw_caseload_due_before, at, limit)

    @property
    def memory(self) -> int:
        """Bytes the caseload uses (cases, fields, index, deadline queue)."""
        return lib.cpw_caseload_memory(self._ptr)

    @property
    def journal(self) -> Optional["Journal"]:
        """The journal this caseload's changes are appended to, or None."""
        return self._journal

    def __repr__(self) -> str:
        return "<cpw.Caseload %d cases%s>" % (len(self), " (journaled)" if self._journal else "")


class Case:
    """One case of a caseload (keeps its caseload, and so its policy, alive).

    Events are applied with :meth:`apply`; a case of a journaled caseload (one from
    :meth:`cpw.Journal.open_case`) appends every accepted event to the journal in the same
    call.
    """

    __slots__ = ("caseload", "_ptr")

    def __init__(self, caseload: Caseload, ptr):
        self.caseload = caseload
        self._ptr = ptr

    @property
    def id(self) -> str:
        return str_of(lib.cpw_case_id(self._ptr))

    @property
    def workflow(self) -> Workflow:
        return Workflow._wrap(self.caseload.policy, lib.cpw_case_workflow(self._ptr))

    @property
    def state(self) -> str:
        return str_of(lib.cpw_case_state(self._ptr))

    @property
    def state_since(self) -> _dt.datetime:
        """When the case entered its state (in the policy's time zone)."""
        return seconds_to_time(lib.cpw_case_state_since(self._ptr), self.caseload.policy.timezone)

    @property
    def last_time(self) -> _dt.datetime:
        """The time of the last accepted event (the opening counts)."""
        return seconds_to_time(lib.cpw_case_last_time(self._ptr), self.caseload.policy.timezone)

    @property
    def event_count(self) -> int:
        """Accepted events, the opening included."""
        return lib.cpw_case_event_count(self._ptr)

    def get(self, field: str, default: Any = None) -> Any:
        """A case field's value (typed: bool, int, Decimal GEL, date, datetime, enum value
        name, frozenset), or `default` when missing. :class:`cpw.NotFound` for an unknown
        field."""
        wf = lib.cpw_case_workflow(self._ptr)
        fb = cstr(field, "field")
        out = ffi.new("int64_t *")
        rc = lib.cpw_case_get(self._ptr, fb, out)
        if rc == lib.CPW_ENOTFOUND:
            raise NotFound("workflow %s has no field '%s'"
                           % (str_of(lib.cpw_workflow_name(wf)), field))
        if rc < 0:
            raise error_from(rc, None)
        if rc == 0:
            return default
        t = "unknown"
        for i in range(lib.cpw_workflow_field_count(wf)):
            if str_of(lib.cpw_workflow_field(wf, i)) == field:
                t = Workflow._wrap(self.caseload.policy, wf)._field_type(i)
                break
        if t in ("enum", "set", "unknown"):
            buf = ffi.new("char[]", 1024)
            lib.cpw_case_get_string(self._ptr, fb, buf, 1024)
            text = str_of(buf)
            if t == "enum" or t == "unknown":
                return text
            return frozenset(x for x in text.split("|") if x)
        return convert_int64(t, out[0], (), self.caseload.policy.timezone)

    @property
    def fields(self) -> Dict[str, Any]:
        """The case's field values (missing fields are None)."""
        wf = lib.cpw_case_workflow(self._ptr)
        return {str_of(lib.cpw_workflow_field(wf, i)):
                self.get(str_of(lib.cpw_workflow_field(wf, i)))
                for i in range(lib.cpw_workflow_field_count(wf))}

    def apply(self, event: str, *, actor: str, role: str, at: TimeLike,
              fields: Optional[Mapping[str, Any]] = None) -> str:
        """Apply `event` at time `at` by `actor` in `role`, with the field values the event
        carries; return the new state.

        Atomic: either accepted (state, fields and deadlines change) or refused, and then
        nothing changes and :class:`cpw.TransitionRefused` is raised with ``reason``
        ("no_transition", "role", "guard", "final", "time") and ``explanation``. Other
        errors: :class:`cpw.NotFound` (unknown event or role), :class:`cpw.InvalidInput`
        (a field the event does not carry, a bad value).
        """
        cl = self.caseload
        t = time_to_seconds(at, "at", cl._ctx)
        fv = _FieldValues(fields)
        eb, ab, rb = cstr(event, "event"), cstr(actor, "actor"), cstr(role, "role")
        if cl._journal is not None:
            rc = lib.cpw_journal_case_apply(cl._journal._live(), self._ptr, eb, ab, rb, t,
                                            fv.arr, fv.n)
            if rc == lib.CPW_EUSER:
                cl._journal._raise_hook_error(cl._ctx)
        else:
            rc = lib.cpw_case_apply(self._ptr, eb, ab, rb, t, fv.arr, fv.n)
        if rc == lib.CPW_EDENIED:
            reason = REFUSALS.get(lib.cpw_case_refusal(self._ptr), "refused")
            exc = cl._ctx.fail(rc, cls=TransitionRefused, reason=reason,
                               explanation=self.explain(),
                               event=event, state=self.state)
            # the rule that refused it, with its basis (None for no transition, final, time)
            exc.rule = _basis.refusal_rule(self._ptr)
            raise exc
        cl._ctx.check(rc)
        return self.state

    @property
    def refusal(self) -> str:
        """The reason of this case's last refusal ("accepted" after an accepted event)."""
        return REFUSALS.get(lib.cpw_case_refusal(self._ptr), "refused")

    @property
    def explanation(self) -> str:
        """The explanation of this case's last refusal ("" after an accepted event), in
        :func:`cpw.get_language`'s language."""
        return self.explain()

    def explain(self, lang: Optional[str] = None) -> str:
        """The explanation of this case's last refusal in a language ("ka": "ეტაპზე „...“
        მოქმედება „...“ არ არის გათვალისწინებული"; None: :func:`cpw.get_language`)."""
        lang = lang if lang is not None else get_language()
        if not lang:
            return str_of(lib.cpw_case_explain(self._ptr))
        opts, _keep = text_options(lang)
        return str_of(lib.cpw_case_explain_with(self._ptr, opts))

    def allowed_events(self, role: str) -> List[str]:
        """The events `role` may fire now (a transition exists from the current state for the
        role and its guard is not false on the current fields)."""
        rb = cstr(role, "role")
        n = lib.cpw_case_allowed_events(self._ptr, rb, ffi.NULL, 0)
        if n == 0:
            return []
        names = ffi.new("const char *[]", n)
        n = min(n, lib.cpw_case_allowed_events(self._ptr, rb, names, n))
        return [str_of(names[i]) for i in range(n)]

    @property
    def deadlines(self) -> List[Deadline]:
        """The pending deadlines: (event, due) pairs (:class:`Deadline`), earliest first."""
        n = lib.cpw_case_deadlines(self._ptr, ffi.NULL, 0)
        if n == 0:
            return []
        arr = ffi.new("cpw_deadline[]", n)
        n = min(n, lib.cpw_case_deadlines(self._ptr, arr, n))
        return sorted(_deadlines(arr, n, self.caseload.policy.timezone), key=lambda d: d[1])

    def __eq__(self, other):
        return isinstance(other, Case) and other._ptr == self._ptr

    def __hash__(self):
        return hash((Case, self.id))

    def __repr__(self) -> str:
        return "<cpw.Case %s %s: %s>" % (self.id, str_of(lib.cpw_workflow_name(
            lib.cpw_case_workflow(self._ptr))), self.state)


_ENGINES["Workflow"] = Workflow
_ENGINES["Caseload"] = Caseload
