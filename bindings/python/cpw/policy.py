# SPDX-License-Identifier: Apache-2.0
"""Policies, their fields and programmes; records and eligibility decisions."""
from __future__ import annotations

import datetime as _dt
import os
import threading
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field as _dc_field
from decimal import Decimal
from typing import (TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Sequence,
                    Tuple, Union, overload)

try:
    from typing import Literal
except ImportError:  # pragma: no cover - Python 3.7
    from typing_extensions import Literal  # type: ignore

from ._common import (UTC, Ctx, DateLike, TYPE_NAMES, cstr, date_to_days, days_to_date,
                      get_language, is_missing, money_to_tetri, opt_days_to_date, plain, pystr,
                      str_of, seconds_to_time, tetri_to_money, text_options, time_to_seconds,
                      tz_of_minutes, own)
from . import basis as _basis
from ._ffi import ffi, lib
from .calendar import Calendar
from .errors import Diagnostic, FileError, InvalidInput, NotFound

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # noqa: F401
    from .batch import Columns
    from .placement import Registry
    from .workflow import Case, Caseload, Workflow

#: U+FEFF, the byte order mark a CSV read with encoding="utf-8" may leave before a name
BOM = "\ufeff"

__all__ = ["Policy", "Field", "Program", "Record", "Decision", "Reason", "Benefit", "Setting",
           "Outcome"]

#: The outcome of an evaluation.
Outcome = Literal["eligible", "not_eligible", "undetermined", "error"]

#: cpw_outcome -> "not_eligible", "eligible", "undetermined", "error"
OUTCOMES = tuple(ffi.string(lib.cpw_outcome_name(i)).decode("ascii")
                 for i in range(lib.CPW_OUTCOME_ERROR + 1))
PERIODS = {lib.CPW_PERIOD_ONCE: "once", lib.CPW_PERIOD_MONTHLY: "monthly",
           lib.CPW_PERIOD_YEARLY: "yearly"}
#: cpw_category -> "family", "family_type", "residential", "own_family"
CATEGORIES = tuple(ffi.string(lib.cpw_category_name(i)).decode("ascii")
                   for i in range(lib.CPW_CATEGORY_OWN_FAMILY + 1))


@dataclass(frozen=True)
class Field:
    """A field of a policy's records.

    ``type`` is one of "bool", "int", "money" (GEL), "date", "datetime", "text", "enum",
    "set"; ``values`` lists the value names of an enum or set field (their position is the
    index batch columns use), else it is empty."""
    name: str
    type: str
    description: str
    values: Tuple[str, ...] = ()
    index: int = 0
    #: the field's label in each language the policy declares ({"ka": "მოქალაქეობა", ...})
    labels: Mapping[str, str] = _dc_field(default_factory=dict, compare=False)
    #: each value's labels ({"georgian": {"ka": "საქართველოს მოქალაქე"}, ...})
    value_labels: Mapping[str, Mapping[str, str]] = _dc_field(default_factory=dict,
                                                              compare=False)

    def label(self, lang: Optional[str] = None) -> str:
        """The label in a language (None: :func:`cpw.get_language`), else the name."""
        lang = lang if lang is not None else get_language()
        return self.labels.get(lang, self.name) if lang else self.name

    def value_label(self, value: str, lang: Optional[str] = None) -> str:
        """The label of one of the field's values in a language, else the value."""
        lang = lang if lang is not None else get_language()
        return self.value_labels.get(value, {}).get(lang, value) if lang else value


@dataclass(frozen=True)
class Program:
    """A programme of a policy: its id, title, the source it cites, when it is in force
    (None for an open end), the services and benefits it can give, ``fields``: the
    :class:`Field` objects it reads, in declaration order (the columns a table of people needs
    for it), its labels by language, and its rule (its legal basis,
    :class:`cpw.basis.Rule`)."""
    id: str
    title: str
    source: str
    in_force_from: Optional[_dt.date]
    in_force_until: Optional[_dt.date]
    services: Tuple[str, ...]
    benefits: Tuple[str, ...]
    fields: Tuple[Field, ...] = ()
    #: the programme's label in each language the policy declares
    labels: Mapping[str, str] = _dc_field(default_factory=dict, compare=False)

    def label(self, lang: Optional[str] = None) -> str:
        """The label in a language (None: :func:`cpw.get_language`), else the name."""
        lang = lang if lang is not None else get_language()
        return self.labels.get(lang, self.id) if lang else self.id
    rule: Optional[Any] = _dc_field(default=None, compare=False)   # its basis (cpw.basis.Rule)


@dataclass(frozen=True)
class Setting:
    """A care setting of a policy: id and category ("family", "family_type",
    "residential")."""
    id: str
    category: str
    #: the setting's label in each language the policy declares
    labels: Mapping[str, str] = _dc_field(default_factory=dict, compare=False)

    def label(self, lang: Optional[str] = None) -> str:
        """The label in a language (None: :func:`cpw.get_language`), else the name."""
        lang = lang if lang is not None else get_language()
        return self.labels.get(lang, self.id) if lang else self.id


@dataclass(frozen=True)
class Reason:
    """One clause of an explanation.

    ``holds`` is True when the clause is true, False when false, None when unknown (missing
    data); ``subject`` is what was looked at, ``value`` its value, ``requirement`` what the
    rule needs, ``clause`` the clause as written, ``line``/``column`` where it is in the
    policy, and ``sentence`` the plain-English sentence."""
    holds: Optional[bool]
    subject: str
    value: str
    requirement: str
    clause: str
    line: int
    column: int
    sentence: str


@dataclass(frozen=True)
class Benefit:
    """A benefit that applies: name, amount in GEL (``Decimal``), the same in tetri, and
    period ("once", "monthly", "yearly"); ``up_to`` is True when the amount is a maximum (a
    capped grant, "benefit NAME up to AMOUNT" in the policy), not the amount owed."""
    name: str
    amount: Decimal
    amount_tetri: int
    period: str
    up_to: bool = False


class Decision:
    """The result of one evaluation (a plain value: it holds no C memory).

    Attributes:
        policy: the :class:`Policy` (kept alive by the decision; a decision pickles with
            its policy's source texts).
        program: the programme id.
        as_of: the evaluation date.
        outcome: "eligible", "not_eligible", "undetermined" or "error" (:data:`Outcome`).
        missing: the fields the outcome needs but that are missing (when undetermined).
        services, benefits: what applies (when eligible).
        reasons: the clauses of the explanation (:class:`Reason`), when explained.
        error: the message when the outcome is "error", else None.
        rules: the rules that decided it, each with its basis (:class:`cpw.basis.Rule`: the
            programme, the parameter values in force, the benefits and services given).
        basis: those rules' bases as one text ("tsa_child_benefit: proposal, not confirmed
            (...); ...").
    """

    __slots__ = ("policy", "program", "as_of", "outcome", "missing", "services", "benefits",
                 "reasons", "_text", "error", "lang", "_redo", "rules", "basis")

    policy: "Policy"
    program: str
    as_of: _dt.date
    outcome: Outcome
    missing: List[str]
    services: List[str]
    benefits: List[Benefit]
    reasons: List[Reason]
    error: Optional[str]

    def __init__(self, policy: "Policy", program: str, as_of: _dt.date, outcome: Outcome,
                 missing: List[str], services: List[str], benefits: List[Benefit],
                 reasons: List[Reason], text: str, error: Optional[str] = None):
        self.policy = policy
        self.program = program
        self.as_of = as_of
        self.outcome = outcome
        self.missing = missing
        self.services = services
        self.benefits = benefits
        self.reasons = reasons
        self._text = text
        self.error = error
        self.lang = None    # the language of the explanation (None: the policy's names)
        self._redo = None   # lang -> the same evaluation's explanation in that language
        self.rules: List[Any] = []
        self.basis = ""

    def __getstate__(self) -> Dict[str, Any]:
        # the way to re-run the evaluation in another language stays in this process
        return {s: getattr(self, s, None) for s in self.__slots__ if s != "_redo"}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        self._redo = None   # explain(lang=...) then gives the text it was made in

    @property
    def eligible(self) -> bool:
        return self.outcome == "eligible"

    def explain(self, lang: Optional[str] = None) -> str:
        """The explanation ("not eligible: none of: months_abroad_irregular is 10, but must be
        more than 12; ..."); "" when evaluated with explain=False.

        `lang` asks for it in a language: "ka" (Georgian: "არ აკმაყოფილებს პირობებს: ..."),
        "en" (English with labels), or a language the policy declares; None gives the
        language the decision was made in (:func:`cpw.set_language`'s default then). The
        same evaluation is run again for another language."""
        if lang is None or lang == (self.lang or "") or self._redo is None or not self._text:
            return self._text
        return self._redo(lang)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "program": self.program, "as_of": self.as_of.isoformat(), "outcome": self.outcome,
            "missing": list(self.missing), "services": list(self.services),
            "benefits": [dict({"name": b.name, "amount": str(b.amount), "period": b.period},
                              **({"up_to": True} if b.up_to else {}))
                         for b in self.benefits],
            "explanation": self._text,
        }

    def __repr__(self) -> str:
        return "<Decision %s %s as of %s>" % (self.program, self.outcome, self.as_of)


def _read_decision(policy: "Policy", program: str, dec, explain: bool,
                   error: Optional[str] = None) -> Decision:
    outcome = OUTCOMES[lib.cpw_decision_outcome(dec) & 3]
    missing = [str_of(lib.cpw_decision_missing(dec, i))
               for i in range(lib.cpw_decision_missing_count(dec))]
    services = [str_of(lib.cpw_decision_service(dec, i))
                for i in range(lib.cpw_decision_service_count(dec))]
    benefits = []
    if lib.cpw_decision_benefit_count(dec):
        amount = ffi.new("cpw_money *")
        period = ffi.new("int *")
        for i in range(lib.cpw_decision_benefit_count(dec)):
            name = str_of(lib.cpw_decision_benefit(dec, i, amount, period))
            benefits.append(Benefit(name, tetri_to_money(amount[0]), amount[0],
                                    PERIODS.get(period[0], str(period[0])),
                                    lib.cpw_decision_benefit_is_cap(dec, i) == 1))
    reasons = []
    text = ""
    if explain:
        for i in range(lib.cpw_decision_reason_count(dec)):
            r = lib.cpw_decision_reason(dec, i)
            reasons.append(Reason(None if r.holds < 0 else bool(r.holds), str_of(r.subject),
                                  str_of(r.value), str_of(r.requirement),
                                  str_of(r.clause), r.line, r.column,
                                  str_of(r.sentence)))
        text = str_of(lib.cpw_decision_explain(dec))
    d = Decision(policy, program, days_to_date(lib.cpw_decision_as_of(dec)), outcome, missing,
                 services, benefits, reasons, text, error)
    d.rules, d.basis = _basis.decision_rules(dec)
    return d


class _Scratch(threading.local):
    """Per-thread objects of one policy: a context, a record and a decision."""

    def __init__(self, policy_ptr):
        self.ctx = Ctx()
        out = ffi.new("cpw_record **")
        self.ctx.check(lib.cpw_record_new(out, self.ctx.ptr, policy_ptr))
        self.record = own(out[0], lib.cpw_record_free, self.ctx, policy_ptr)
        dout = ffi.new("cpw_decision **")
        self.ctx.check(lib.cpw_decision_new(dout, self.ctx.ptr))
        self.decision = own(dout[0], lib.cpw_decision_free, self.ctx)



# The floors above this module (workflow, placement, batch) register their entry points here
# when the package is imported (cpw/__init__.py imports them all), so this module imports
# none of them: Policy's factories below (workflow(), columns(),
# evaluate_many(), caseload(), registry()) are thin wrappers over the engines' own
# constructors and functions (Caseload(policy), Registry(policy), batch.evaluate_many ...),
# as the C library's policy floor knows no engine.
_ENGINES: Dict[str, Any] = {}


def _engine(name: str) -> Any:
    try:
        return _ENGINES[name]
    except KeyError:
        raise RuntimeError("cpw.%s is not loaded: import cpw (the package), not cpw.policy "
                           "alone" % name) from None

class Policy:
    """A compiled policy: fields, programmes, workflows, care settings and calendars.

    A policy is immutable and may be shared by any number of threads: :meth:`evaluate` and
    :meth:`evaluate_many` use a context per thread. Objects made from it (records, caseloads,
    registries, journals) keep it alive, and each belongs to one thread at a time.

    Make one with :meth:`default` (Georgia's policy, embedded in the library),
    :meth:`from_string`, :meth:`from_file` or :meth:`from_sources`.
    """

    warnings: List[Diagnostic]
    _ctx: Ctx
    _ptr: Any
    _scratch_lock: Any
    _scratch_local: Optional[_Scratch]
    _fields: Optional[Dict[str, Field]]
    _programs: Dict[str, Any]
    _enum_tables: Dict[str, Dict[str, int]]
    _cases: Optional["Caseload"]
    _tz: _dt.timezone
    _sources: Optional[List[Tuple[str, bytes]]]
    _program_fields: Dict[str, Tuple[Field, ...]]

    def __init__(self, *args, **kwargs):
        raise TypeError("use cpw.Policy.default(), Policy.from_string(), Policy.from_file() or "
                        "Policy.from_sources()")

    # ---------------------------------------------------------------- construction
    @classmethod
    def _wrap(cls, ctx: Ctx, ptr, warnings: List[Diagnostic],
              sources: Optional[List[Tuple[str, bytes]]] = None) -> "Policy":
        self = object.__new__(cls)
        self._sources = sources
        self._program_fields = {}
        self._ctx = ctx
        self._ptr = own(ptr, lib.cpw_policy_free, ctx)
        self.warnings = warnings
        self._scratch_lock = threading.Lock()
        self._scratch_local = None
        self._fields = None
        self._programs = {}
        self._enum_tables = {}
        self._cases = None
        self._tz = tz_of_minutes(lib.cpw_policy_timezone(self._ptr))
        return self

    @classmethod
    def default(cls) -> "Policy":
        """Georgia's policy, embedded in the library (programmes, the referral workflow, care
        settings and the public-holiday calendar)."""
        ctx = Ctx()
        out = ffi.new("cpw_policy **")
        ctx.check(lib.cpw_policy_default(out, ctx.ptr))
        return cls._wrap(ctx, out[0], [])

    @staticmethod
    def default_sources() -> List[Tuple[str, str]]:
        """The embedded default policy's files as (name, text) pairs, e.g. to edit them."""
        out = []
        name = ffi.new("const char **")
        n = ffi.new("size_t *")
        for i in range(lib.cpw_policy_default_source_count()):
            text = lib.cpw_policy_default_source(i, name, n)
            out.append((str_of(name[0]), ffi.unpack(text, n[0]).decode("utf-8")))
        return out

    @classmethod
    def from_sources(cls, sources: Union[Mapping, Iterable[Tuple[str, Union[str, bytes]]]]
                     ) -> "Policy":
        """Compile several policy texts into one policy: `sources` maps (or pairs) names used
        in diagnostics to texts. Raises :class:`cpw.PolicyError` with every diagnostic."""
        items = list(sources.items()) if isinstance(sources, Mapping) else list(sources)
        ctx = Ctx()
        arr = ffi.new("cpw_policy_source[]", max(len(items), 1))
        keep = []
        texts = []
        for i, (name, text) in enumerate(items):
            tb = text.encode("utf-8") if isinstance(text, str) else bytes(text)
            nb, tbuf = cstr(str(name), "source name"), ffi.new("char[]", tb)
            keep += [nb, tbuf]
            texts.append((str(name), tb))
            arr[i].name, arr[i].text, arr[i].len = nb, tbuf, len(tb)
        out = ffi.new("cpw_policy **")
        dout = ffi.new("cpw_diagnostics **")
        rc = lib.cpw_policy_compile(out, ctx.ptr, arr, len(items), dout)
        diags = _read_diagnostics(dout[0])
        lib.cpw_diagnostics_free(dout[0])
        if rc < 0:
            if rc == lib.CPW_EPOLICY:
                raise ctx.fail(rc, diagnostics=diags)
            raise ctx.fail(rc)
        return cls._wrap(ctx, out[0], [d for d in diags if d.severity == "warning"], texts)

    @classmethod
    def from_string(cls, text: Union[str, bytes], name: str = "<string>") -> "Policy":
        """Compile one policy text; `name` appears in diagnostics."""
        return cls.from_sources([(name, text)])

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike]) -> "Policy":
        """Read and compile a policy file (its path appears in diagnostics). Raises
        :class:`cpw.FileError` when it cannot be read, :class:`cpw.PolicyError` when it does
        not compile."""
        path = os.fspath(path)
        try:
            with open(path, "rb") as f:
                text = f.read()
        except OSError as e:
            raise FileError("cannot read the policy: %s" % (e.strerror or e), file=path,
                             os_error=e.errno) from None
        return cls.from_sources([(path, text)])

    # ---------------------------------------------------------------- identity
    @property
    def name(self) -> str:
        return str_of(lib.cpw_policy_name(self._ptr))

    @property
    def title(self) -> str:
        return str_of(lib.cpw_policy_title(self._ptr))

    @property
    def version(self) -> str:
        return str_of(lib.cpw_policy_version(self._ptr))

    @property
    def hash(self) -> str:
        """SHA-256 of the policy's source texts (64 hex digits): every decision records it.
        File names are not part of it, so ``from_file("good.cpw")`` and the absolute path
        give one hash."""
        return str_of(lib.cpw_policy_hash(self._ptr))

    @property
    def timezone(self) -> _dt.timezone:
        """The policy's time zone (a fixed offset; Georgia: UTC+04:00). Times the library
        returns are in it."""
        return self._tz

    def today(self) -> _dt.date:
        """Today's date in the policy's time zone (the default ``as_of``)."""
        return _dt.datetime.now(self._tz).date()

    def __repr__(self) -> str:
        return "<cpw.Policy %s %s (%s...)>" % (self.name, self.version, self.hash[:12])

    # ---------------------------------------------------------------- source text
    @property
    def source_files(self) -> List[Tuple[str, str]]:
        """The policy's source files as (name, text) pairs, in compilation order (the embedded
        files for :meth:`default`). (:attr:`sources` are the legal sources it cites.)"""
        if self._sources is None:
            return self.default_sources()
        return [(n, t.decode("utf-8", "replace")) for n, t in self._sources]

    @property
    def source(self) -> str:
        """The policy's source text: the one file's text, or each file's text after a line
        ``# ---- NAME`` (what ``cpw show policy`` prints)."""
        src = self.source_files
        if len(src) == 1:
            return src[0][1]
        return "\n".join("# ---- %s\n%s%s" % (n, t, "" if t.endswith("\n") else "\n")
                         for n, t in src)

    # ---------------------------------------------------------------- pickling
    def __reduce__(self):
        # by its source texts and hash: multiprocessing and Dask send policies to workers,
        # which compile them again (once per process) and check that the hash is the same
        texts = None if self._sources is None else list(self._sources)
        return (_unpickle_policy, (texts, self.hash))

    # ---------------------------------------------------------------- fields
    @property
    def fields(self) -> Dict[str, Field]:
        """The fields records may hold, by name, in declaration order."""
        if self._fields is None:
            fields = {}
            for i in range(lib.cpw_policy_field_count(self._ptr)):
                name = str_of(lib.cpw_policy_field_name(self._ptr, i))
                t = TYPE_NAMES.get(lib.cpw_policy_field_type(self._ptr, i), "unknown")
                values = tuple(str_of(lib.cpw_policy_field_value(self._ptr, i, v))
                               for v in range(lib.cpw_policy_field_value_count(self._ptr, i)))
                fields[name] = Field(name, t,
                                     str_of(lib.cpw_policy_field_description(self._ptr, i)),
                                     values, i, self._labels("field", name),
                                     {v: self._labels("value", name + "." + v)
                                      for v in values})
            self._fields = fields
        return self._fields

    def field(self, name: str) -> Field:
        """The field `name`; :class:`cpw.NotFound` if the policy has none. A byte order mark
        before the name (the first column of a CSV saved as Excel's "CSV UTF-8" and read as
        utf-8) is not part of it."""
        try:
            return self.fields[name]
        except KeyError:
            if not isinstance(name, str):
                raise TypeError("a field name must be a str, not %s" % type(name).__name__)
            if name.startswith(BOM) and name[1:] in self.fields:
                return self.fields[name[1:]]
            raise NotFound("the policy has no field '%s'" % name) from None

    def _enum_table(self, field: Field) -> Dict[str, int]:
        t = self._enum_tables.get(field.name)
        if t is None:
            t = {v: i for i, v in enumerate(field.values)}
            self._enum_tables[field.name] = t
        return t

    # ---------------------------------------------------------------- programmes
    @property
    def programs(self) -> List[str]:
        """The ids of the policy's programmes, in declaration order."""
        return [str_of(lib.cpw_program_id(lib.cpw_policy_program_at(self._ptr, i)))
                for i in range(lib.cpw_policy_program_count(self._ptr))]

    def _program_ptr(self, program: Union[str, Program]):
        pid = program.id if isinstance(program, Program) else program
        p = self._programs.get(pid)
        if p is None:
            if not isinstance(pid, str):
                raise TypeError("a programme is given by its id (str), not %s"
                                % type(pid).__name__)
            p = lib.cpw_policy_program(self._ptr, pid.encode("utf-8"))
            if p == ffi.NULL:
                raise NotFound("the policy has no programme '%s' (it has: %s)"
                               % (pid, ", ".join(self.programs)))
            self._programs[pid] = p
        return p

    def _fields_of(self, pid: str, p) -> Tuple[Field, ...]:
        """The fields programme `p` reads (see :attr:`Program.fields`)."""
        got = self._program_fields.get(pid)
        if got is None:
            by_index = list(self.fields.values())
            got = tuple(by_index[lib.cpw_program_field(p, i)]
                        for i in range(lib.cpw_program_field_count(p)))
            self._program_fields[pid] = got
        return got

    def program(self, id: str) -> Program:
        """The programme `id` with its title, source, dates, services, benefits and the
        fields it reads."""
        p = self._program_ptr(id)
        return Program(
            str_of(lib.cpw_program_id(p)), str_of(lib.cpw_program_title(p)),
            str_of(lib.cpw_program_source(p)),
            opt_days_to_date(lib.cpw_program_from(p)), opt_days_to_date(lib.cpw_program_until(p)),
            tuple(str_of(lib.cpw_program_service(p, i))
                  for i in range(lib.cpw_program_service_count(p))),
            tuple(str_of(lib.cpw_program_benefit(p, i))
                  for i in range(lib.cpw_program_benefit_count(p))),
            self._fields_of(str_of(lib.cpw_program_id(p)), p),
            self._labels("program", str_of(lib.cpw_program_id(p))),
            _basis.program_rule(p))

    # ---------------------------------------------------------------- other declarations
    def rules(self, status: Optional[str] = None) -> List["_basis.Rule"]:
        """Every rule of the policy with its basis (:class:`cpw.basis.Rule`), or those of
        one status ("law", "regulation", "agency_default", "proposal", "none")."""
        return _basis.policy_rules(self._ptr, status)

    @property
    def sources(self) -> List["_basis.Source"]:
        """The sources the policy declares (:class:`cpw.basis.Source`)."""
        return _basis.policy_sources(self._ptr)

    @property
    def workflows(self) -> List[str]:
        """The names of the policy's workflows."""
        return [str_of(lib.cpw_workflow_name(lib.cpw_policy_workflow_at(self._ptr, i)))
                for i in range(lib.cpw_policy_workflow_count(self._ptr))]

    def workflow(self, name: str) -> "Workflow":
        """The workflow `name` (states, events, roles, diagrams)."""
        return _engine("Workflow")._get(self, name)

    @property
    def settings(self) -> List[Setting]:
        """The care settings, in declaration order."""
        n = lib.cpw_policy_setting_count(self._ptr)
        return [Setting(str_of(lib.cpw_policy_setting(self._ptr, i)),
                        CATEGORIES[lib.cpw_policy_setting_category(self._ptr, i)],
                        self._labels("setting", str_of(lib.cpw_policy_setting(self._ptr, i))))
                for i in range(n)]

    # ---------------------------------------------------------------- labels
    @property
    def languages(self) -> List[str]:
        """The languages the policy declares labels for ("ka", "en")."""
        return [str_of(lib.cpw_policy_language(self._ptr, i))
                for i in range(lib.cpw_policy_language_count(self._ptr))]

    def label(self, kind: str, name: str, lang: Optional[str] = None) -> Optional[str]:
        """The label of a name in a language (None: :func:`cpw.get_language`), or None:
        ``pol.label("state", "referral.assessment", "ka")``; kinds and names as in a
        policy's ``labels`` declaration."""
        lang = lang if lang is not None else get_language()
        if not lang:
            return None
        return pystr(lib.cpw_policy_label(self._ptr, cstr(lang, "lang"), cstr(kind, "kind"),
                                          cstr(name, "name")))

    def name_of_label(self, kind: str, label: str, lang: Optional[str] = None) -> Optional[str]:
        """The name whose label (in `lang`, or any language when None) is `label`:
        ``pol.name_of_label("field", "მოქალაქეობა")`` is "citizenship"."""
        return pystr(lib.cpw_policy_name_of_label(self._ptr, cstr(lang, "lang") if lang
                                                  else ffi.NULL, cstr(kind, "kind"),
                                                  cstr(label, "label")))

    def message(self, key: str, lang: Optional[str] = None) -> Optional[str]:
        """One of the library's fixed words ("eligible", "overdue") in a language, as this
        policy words it."""
        lang = lang if lang is not None else (get_language() or "")
        return pystr(lib.cpw_policy_message(self._ptr, cstr(lang, "lang"), cstr(key, "key")))

    def _labels(self, kind: str, name: str) -> Dict[str, str]:
        out = {}
        for lang in self.languages:
            p = lib.cpw_policy_label(self._ptr, lang.encode("utf-8"), kind.encode("utf-8"),
                                     name.encode("utf-8"))
            if p != ffi.NULL:
                out[lang] = ffi.string(p).decode("utf-8")
        return out

    def calendar(self, name: Optional[str] = None) -> "Calendar":
        """A working-day calendar the policy declares (the first one when `name` is None)."""
        return Calendar._from_policy(self, name)

    # ---------------------------------------------------------------- evaluation
    def _scratch(self) -> _Scratch:
        s = self._scratch_local
        if s is None:
            with self._scratch_lock:
                if self._scratch_local is None:
                    self._scratch_local = _Scratch(self._ptr)
                s = self._scratch_local
        return s

    def _as_of(self, as_of: Optional[DateLike]) -> int:
        return date_to_days(self.today() if as_of is None else as_of, "as_of")

    def record(self, values: Optional[Mapping[str, Any]] = None) -> "Record":
        """A new :class:`Record` of this policy, optionally filled from a dict."""
        return Record(self, values)

    def evaluate(self, program: Union[str, Program],
                 record: Union[Mapping[str, Any], "Record", None] = None,
                 as_of: Optional[DateLike] = None, *, explain: bool = True,
                 lang: Optional[str] = None) -> Decision:
        """Decide whether a person is eligible for a programme as of a date.

        Args:
            program: the programme id (see :attr:`programs`).
            record: the person's facts: a dict of field values (None for missing) or a
                :class:`Record`. Values: bool, int, money in GEL (int, Decimal, "12.50"),
                dates (``datetime.date`` or "YYYY-MM-DD"), times (aware ``datetime`` or ISO
                strings with an offset), enum value names, sets as iterables of names.
                Strings are read by the field's type, like CSV cells.
            as_of: the evaluation date (default: today in the policy's time zone).
            explain: build the explanation and reasons (a little slower).
            lang: the language of the explanation and reasons ("ka", "en", a language the
                policy declares; None: :func:`cpw.get_language`, else the policy's names).

        Returns a :class:`Decision`. Raises :class:`cpw.NotFound` for an unknown programme or
        field, :class:`cpw.InvalidInput` for a value that does not fit its field.
        """
        prog = self._program_ptr(program)
        s = self._scratch()
        days = self._as_of(as_of)
        lang = lang if lang is not None else get_language()
        if isinstance(record, Record):
            if record.policy is not self:
                raise InvalidInput("the record belongs to another policy")
            rec = record._ptr
        else:
            rec = s.record
            lib.cpw_record_clear(rec)
            if record:
                _fill(self, rec, s.ctx, record)
        flags = lib.CPW_EVAL_EXPLAIN if explain else 0
        if lang:  # libcpw 1.1 (a 1.0 library has no languages: the policy's names)
            opts, _keep = text_options(lang)
            rc = lib.cpw_evaluate_with(s.decision, prog, rec, days, flags, opts)
        else:
            rc = lib.cpw_evaluate(s.decision, prog, rec, days, flags)
        error = None
        if rc < 0:
            if lib.cpw_decision_outcome(s.decision) != lib.CPW_OUTCOME_ERROR:
                raise s.ctx.fail(rc)
            error = str_of(lib.cpw_ctx_last_error(s.ctx.ptr).message)
        pid = program.id if isinstance(program, Program) else program
        d = _read_decision(self, pid, s.decision, explain, error)
        d.lang = lang
        snapshot = record if isinstance(record, Record) else dict(record or {})
        d._redo = lambda other: self.evaluate(pid, snapshot, days_to_date(days),
                                              lang=other).explain()
        return d

    def evaluate_all(self, record: Union[Mapping[str, Any], "Record", None] = None,
                     as_of: Optional[DateLike] = None, *, explain: bool = True
                     ) -> Dict[str, Decision]:
        """:meth:`evaluate` for every programme: a dict programme id -> decision."""
        if not isinstance(record, Record):
            record = Record(self, record)
        return {p: self.evaluate(p, record, as_of, explain=explain) for p in self.programs}

    def columns(self, data, *, ignore_unknown: bool = False) -> "Columns":
        """Convert many records once (see :class:`cpw.Columns`), to evaluate several
        programmes over them with :meth:`evaluate_many` without converting again."""
        return _engine("Columns")(self, data, ignore_unknown=ignore_unknown)

    @overload
    def evaluate_many(self, program: Union[str, Program], records: "pandas.DataFrame",
                      as_of: Optional[DateLike] = None, *, services: Optional[bool] = None,
                      ignore_unknown: bool = False, explain: Optional[bool] = None
                      ) -> "pandas.DataFrame": ...

    @overload
    def evaluate_many(self, program: Union[str, Program], records: Any,
                      as_of: Optional[DateLike] = None, *,
                      services: Literal[None, False] = None, ignore_unknown: bool = False,
                      explain: Literal[None, False] = None) -> List[Outcome]: ...

    @overload
    def evaluate_many(self, program: Union[str, Program], records: Any,
                      as_of: Optional[DateLike] = None, *, services: Literal[True],
                      ignore_unknown: bool = False, explain: Literal[None, False] = None
                      ) -> List[Tuple[Outcome, List[str]]]: ...

    @overload
    def evaluate_many(self, program: Union[str, Program], records: Any,
                      as_of: Optional[DateLike] = None, *, services: Optional[bool] = None,
                      ignore_unknown: bool = False, explain: Literal[True]
                      ) -> List[Decision]: ...

    def evaluate_many(self, program: Union[str, Program], records: Any,
                      as_of: Optional[DateLike] = None, *, services: Optional[bool] = None,
                      ignore_unknown: bool = False, explain: Optional[bool] = None) -> Any:
        """Evaluate one programme for many records in one call to the C library.

        Args:
            records: a pandas DataFrame (one row per person, a column per field), a dict of
                columns (field name -> values, one per record: lists, numpy arrays or pandas
                Series), a list of dicts (transposed first), or :class:`cpw.Columns` made by
                :meth:`columns`. None, NaN, ``pd.NA``, ``NaT`` and the masked entries of a
                numpy masked array are missing values. numpy and pandas columns of bool, int,
                float, datetime64 (naive at midnight for dates; with a time zone for
                datetimes), nullable (Int64, boolean) and categorical dtypes, and numpy str
                arrays of enum values, are converted without Python code per value (an int64
                array is handed to C as it is).
            as_of: the evaluation date (default: today in the policy's time zone); a date,
                "YYYY-MM-DD", ``numpy.datetime64`` or ``pandas.Timestamp`` at midnight.
            services: also return the services that apply to each record (for a DataFrame
                with ``explain=False`` the default is True: the services column; False
                leaves it out, the fastest form, as a new list per row costs time).
            ignore_unknown: skip columns that are not fields of the policy (else
                :class:`cpw.NotFound`).
            explain: for a DataFrame (default True), add the columns missing, benefits
                (``"child_benefit:200.00:monthly"``) and explanation, at the cost of one
                evaluation per row; False gives only outcome and services, from the batch
                call. For other records, True returns one :class:`Decision` per record.

        Returns, for a DataFrame, a DataFrame on the same index with the columns outcome,
        missing, services, benefits, explanation (or outcome and services, or outcome alone):
        ``df.join()`` puts them beside the input. Otherwise a list of outcome strings
        ("eligible", "not_eligible", "undetermined", "error"), one per record; with
        ``services=True`` a list of (outcome, services) pairs; with ``explain=True`` a list
        of decisions.

        Errors (:class:`cpw.InvalidInput`) name the record by its position and the column,
        never the value.
        """
        return _engine("evaluate_many")(self, program, records, as_of, services=services,
                                        ignore_unknown=ignore_unknown, explain=explain)

    # ---------------------------------------------------------------- engines
    def caseload(self) -> "Caseload":
        """A new, empty :class:`cpw.Caseload` of this policy."""
        return _engine("Caseload")(self)

    @property
    def cases(self) -> "Caseload":
        """The caseload owned by this policy object, used by :meth:`open_case` (created on
        first use; like every caseload, for one thread at a time)."""
        if self._cases is None:
            self._cases = self.caseload()
        return self._cases

    def open_case(self, workflow: str, case_id: str, *, at, actor: str, role: str,
                  fields: Optional[Mapping[str, Any]] = None) -> "Case":
        """Open a case in :attr:`cases`, the caseload owned by this policy object. See
        :meth:`cpw.Caseload.open_case`."""
        return self.cases.open_case(workflow, case_id, at=at, actor=actor, role=role,
                                    fields=fields)

    def registry(self) -> "Registry":
        """A new placement :class:`cpw.Registry` with the policy's facilities."""
        return _engine("Registry")(self)


_UNPICKLED: Dict[str, Any] = {}
_UNPICKLED_LOCK = threading.Lock()


def _unpickle_policy(sources: Optional[List[Tuple[str, bytes]]], hash_: str) -> Policy:
    import weakref
    with _UNPICKLED_LOCK:
        ref = _UNPICKLED.get(hash_)
        pol = ref() if ref is not None else None
        if pol is None:
            pol = Policy.default() if sources is None else Policy.from_sources(sources)
            if pol.hash != hash_:
                raise InvalidInput("the pickled policy has hash %.16s..., but this library's "
                                   "compiles to %.16s... (another libcpw's default policy?)"
                                   % (hash_, pol.hash))
            _UNPICKLED[hash_] = weakref.ref(pol)
        return pol


def _read_diagnostics(diags) -> List[Diagnostic]:
    if diags == ffi.NULL:
        return []
    out = []
    for i in range(lib.cpw_diagnostics_count(diags)):
        d = lib.cpw_diagnostics_get(diags, i)
        out.append(Diagnostic("warning" if d.severity == lib.CPW_SEVERITY_WARNING else "error",
                              str_of(d.file), d.line, d.column, str_of(d.message)))
    return out


# ------------------------------------------------------------------ records

_TRUE = {"true", "yes", "1"}


def _enum_index(f: Field, text: str) -> Optional[int]:
    """The value `text` names: exactly, else in another case when only one value matches
    ("Tbilisi" for tbilisi), as cpw eval reads CSV cells."""
    try:
        return f.values.index(text)
    except ValueError:
        folded = [i for i, v in enumerate(f.values) if v.lower() == text.strip().lower()]
        return folded[0] if len(folded) == 1 else None


def _set_value(policy: Policy, rec, ctx: Ctx, name: str, value: Any) -> None:
    """Set one field; messages name the field and the kind of problem, never the value."""
    f = policy.field(name)
    name = f.name
    nb = name.encode("utf-8")
    value = plain(value)
    if is_missing(value):
        ctx.check(lib.cpw_record_unset(rec, nb))
        return
    t = f.type
    if isinstance(value, str) and "\0" in value:
        raise InvalidInput("field %s contains a NUL character" % name)
    if isinstance(value, str) and t == "enum":
        i = _enum_index(f, value)
        if i is None:
            raise InvalidInput("field %s: not one of its values (%s)"
                               % (name, ", ".join(f.values)))
        rc = lib.cpw_record_set_enum(rec, nb, f.values[i].encode("utf-8"))
    elif isinstance(value, str) and t != "text":
        text = value.strip()  # padding, as in a spreadsheet's cells
        if t == "bool":
            text = text.lower()  # TRUE, False
        b = text.encode("utf-8")
        rc = lib.cpw_record_set_string(rec, nb, b, len(b))
        if rc == lib.CPW_EINVALID and t == "set":
            raise InvalidInput("field %s: not a set of its values (%s)"
                               % (name, ", ".join(f.values)))
    elif t == "bool":
        if isinstance(value, bool) or (isinstance(value, (int, float)) and value in (0, 1)):
            rc = lib.cpw_record_set_bool(rec, nb, int(value))
        else:
            raise InvalidInput("field %s is a bool: the value is not true or false (a %s)"
                               % (name, type(value).__name__))
    elif t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise InvalidInput("field %s is an int: the value is not a whole number (a %s)"
                                   % (name, type(value).__name__))
        rc = lib.cpw_record_set_int(rec, nb, value)
    elif t == "money":
        rc = lib.cpw_record_set_money(rec, nb, money_to_tetri(value, "field %s" % name))
    elif t == "date":
        rc = lib.cpw_record_set_date(rec, nb, date_to_days(value, "field %s" % name))
    elif t == "datetime":
        rc = lib.cpw_record_set_datetime(rec, nb, time_to_seconds(value, "field %s" % name))
    elif t == "enum":
        raise InvalidInput("field %s is an enum: give a value name (%s), not a %s"
                           % (name, ", ".join(f.values), type(value).__name__))
    elif t == "text":
        rc = lib.cpw_record_set_text(rec, nb, cstr(value, "field %s" % name))
    elif t == "set":
        if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
            raise InvalidInput("field %s is a set: give an iterable of value names" % name)
        names = [cstr(v, "field %s" % name) for v in value]
        arr = ffi.new("const char *[]", names) if names else ffi.NULL
        rc = lib.cpw_record_set_members(rec, nb, arr, len(names))
        if rc == lib.CPW_EINVALID:
            raise InvalidInput("field %s: not a set of its values (%s)"
                               % (name, ", ".join(f.values)))
    else:  # pragma: no cover - a type this version does not know
        raise InvalidInput("field %s has a type the bindings do not know" % name)
    ctx.check(rc)


def _fill(policy: Policy, rec, ctx: Ctx, values: Mapping[str, Any]) -> None:
    if not isinstance(values, Mapping):
        raise TypeError("a record is a mapping of field names to values, not %s"
                        % type(values).__name__)
    for k, v in values.items():
        _set_value(policy, rec, ctx, k, v)


def _get_value(policy: Policy, rec, field: Field) -> Any:
    nb = field.name.encode("utf-8")
    if field.type == "text":
        p = lib.cpw_record_get_text(rec, nb)
        if p == ffi.NULL:
            raise KeyError(field.name)
        return str_of(p)
    out = ffi.new("int64_t *")
    rc = lib.cpw_record_get(rec, nb, out)
    if rc == 0:
        raise KeyError(field.name)
    if rc < 0:  # pragma: no cover - the field was found above
        raise NotFound("no field '%s'" % field.name)
    return convert_int64(field.type, out[0], field.values, policy.timezone)


def convert_int64(type_: str, v: int, values: Sequence[str] = (), tz=UTC) -> Any:
    """A value in the int64 form of batch columns, as a Python value of its type."""
    if type_ == "bool":
        return bool(v)
    if type_ == "int":
        return v
    if type_ == "money":
        return tetri_to_money(v)
    if type_ == "date":
        return days_to_date(v)
    if type_ == "datetime":
        return seconds_to_time(v, tz)
    if type_ == "enum":
        return values[v] if 0 <= v < len(values) else v
    if type_ == "set":
        return frozenset(n for i, n in enumerate(values) if (v >> i) & 1)
    return v


class Record(MutableMapping):
    """A reusable set of field values for one person, held by the C library.

    A mapping of field names to values: ``rec["citizenship"] = "georgian"``, ``del
    rec["tsa_score"]`` (missing again), ``rec.get("birth_date")``. Reading a missing field
    raises KeyError (so ``in`` and ``get`` work); an unknown field raises
    :class:`cpw.NotFound`. Keeps its policy alive; for one thread at a time.
    """

    def __init__(self, policy: Policy, values: Optional[Mapping[str, Any]] = None):
        if not isinstance(policy, Policy):
            raise TypeError("Record(policy, values): policy must be a cpw.Policy")
        self.policy = policy
        self._ctx = Ctx()
        out = ffi.new("cpw_record **")
        self._ctx.check(lib.cpw_record_new(out, self._ctx.ptr, policy._ptr))
        self._ptr = own(out[0], lib.cpw_record_free, self._ctx, policy._ptr)
        if values:
            self.update(values)

    def __setitem__(self, field: str, value: Any) -> None:
        _set_value(self.policy, self._ptr, self._ctx, field, value)

    def __getitem__(self, field: str) -> Any:
        return _get_value(self.policy, self._ptr, self.policy.field(field))

    def __delitem__(self, field: str) -> None:
        f = self.policy.field(field)
        if not self.is_set(f.name):
            raise KeyError(field)
        self._ctx.check(lib.cpw_record_unset(self._ptr, f.name.encode("utf-8")))

    def __iter__(self) -> Iterator[str]:
        return iter([f for f in self.policy.fields if self.is_set(f)])

    def __len__(self) -> int:
        return sum(1 for f in self.policy.fields if self.is_set(f))

    def __contains__(self, field: object) -> bool:
        return isinstance(field, str) and field in self.policy.fields and self.is_set(field)

    def is_set(self, field: str) -> bool:
        """True when the field has a value; :class:`cpw.NotFound` for an unknown field."""
        return self._ctx.check(lib.cpw_record_is_set(self._ptr, cstr(field, "field"))) == 1

    def clear(self) -> None:
        """Make every field missing again."""
        lib.cpw_record_clear(self._ptr)

    def set_string(self, field: str, text: str) -> None:
        """Set a field from text read by its type (CSV cells, form input); "" makes it
        missing."""
        b = text.encode("utf-8")
        self._ctx.check(lib.cpw_record_set_string(self._ptr, cstr(field, "field"), b, len(b)))

    def set_json(self, json_text: Union[str, bytes], *, ignore_unknown: bool = False,
                 skip: Optional[str] = None) -> None:
        """Set fields from a JSON object; unknown keys are an error unless `ignore_unknown`;
        the key `skip` (e.g. "id") is ignored. On error the record is unchanged."""
        b = json_text.encode("utf-8") if isinstance(json_text, str) else bytes(json_text)
        flags = lib.CPW_RECORD_IGNORE_UNKNOWN if ignore_unknown else 0
        if skip is None:
            rc = lib.cpw_record_set_json(self._ptr, b, len(b), flags)
        else:
            rc = lib.cpw_record_set_json_except(self._ptr, b, len(b), flags, cstr(skip))
        self._ctx.check(rc)

    def to_dict(self) -> Dict[str, Any]:
        """The set fields and their values."""
        return {k: self[k] for k in self}

    def __repr__(self) -> str:
        return "<cpw.Record %r>" % (self.to_dict(),)
