# SPDX-License-Identifier: Apache-2.0
"""Alternative-care placements, gatekeeping, and deinstitutionalization indicators."""
from __future__ import annotations

import datetime as _dt
import json as _json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from ._common import (DATE_MIN, Ctx, DateLike, cstr, date_to_days, days_to_date,
                      get_language, opt_days_to_date, own, pystr, str_of, text_options)
from ._ffi import ffi, lib
from .errors import InvalidInput, NotFound, PlacementDenied
from .policy import _ENGINES, CATEGORIES, Policy

if TYPE_CHECKING:  # pragma: no cover
    from .journal import Journal

__all__ = ["Registry", "Placement", "Indicators", "EXIT_REASONS", "DISABILITY_LEVELS"]

#: The reasons a placement ends, by name (the C library's cpw_exit_reason order).
EXIT_REASONS = tuple(ffi.string(lib.cpw_exit_reason_name(i)).decode()
                     for i in range(lib.CPW_EXIT_REASON_COUNT))

#: The degrees of disability a placement request may give (gatekeeping's `disability`).
DISABILITY_LEVELS = ("none", "moderate", "severe", "profound")


def _exit_reason(reason: Union[str, int]) -> int:
    if isinstance(reason, bool):
        raise TypeError("an exit reason is a name (%s)" % ", ".join(EXIT_REASONS))
    if isinstance(reason, int):
        if 0 <= reason < len(EXIT_REASONS):
            return reason
    elif isinstance(reason, str):
        r = lib.cpw_exit_reason_from_name(reason.encode("utf-8"))
        if r >= 0:
            return r
    else:
        raise TypeError("an exit reason is a name (%s)" % ", ".join(EXIT_REASONS))
    raise InvalidInput("unknown exit reason %r (one of: %s)" % (reason, ", ".join(EXIT_REASONS)))


@dataclass(frozen=True)
class Placement:
    """A child's current placement: setting, facility (or None for family settings),
    region, category ("family", "family_type", "residential"), start date, the date the
    next review is due (None without reviews) and the day the child reaches the leaving-care
    age (None if unknown)."""
    child: str
    setting: str
    facility: Optional[str]
    region: str
    category: str
    start: _dt.date
    review_due: Optional[_dt.date]
    turns_adult: Optional[_dt.date]


def _placement(info) -> Placement:
    return Placement(str_of(info.child), str_of(info.setting), pystr(info.facility),
                     str_of(info.region), CATEGORIES[info.category],
                     days_to_date(info.start), opt_days_to_date(info.review_due),
                     opt_days_to_date(info.turns_adult))


class Registry:
    """The registry of facilities, children and placement episodes of one policy.

    Make one with :meth:`cpw.Policy.registry`; the journal's own is
    :attr:`cpw.Journal.registry` (its changes are appended to the journal in the same call).
    Keeps the policy alive; for one thread at a time.
    """

    def __init__(self, policy: Policy):
        if not isinstance(policy, Policy):
            raise TypeError("Registry(policy): policy must be a cpw.Policy")
        self.policy = policy
        self._ctx = Ctx()
        out = ffi.new("cpw_registry **")
        self._ctx.check(lib.cpw_registry_new(out, self._ctx.ptr, policy._ptr))
        self._ptr = own(out[0], lib.cpw_registry_free, self._ctx, policy._ptr)
        self._journal: Optional["Journal"] = None

    def _j(self):
        return self._journal._live() if self._journal is not None else None

    def _done(self, rc: int) -> None:
        if rc == lib.CPW_EUSER and self._journal is not None:
            self._journal._raise_hook_error(self._ctx)
        self._ctx.check(rc)

    @property
    def journal(self) -> Optional["Journal"]:
        """The journal this registry's changes are appended to, or None."""
        return self._journal

    # ---------------------------------------------------------------- registering
    def add_facility(self, id: str, setting: str, *, name: Optional[str] = None,
                     region: Optional[str] = None, capacity: Optional[int] = None,
                     min_age: Optional[int] = None, max_age: Optional[int] = None) -> None:
        """Register a facility of a setting type; capacity and ages default to the
        setting's. :class:`cpw.AlreadyExists`, :class:`cpw.NotFound` (setting)."""
        args = (cstr(id, "id"), cstr(setting, "setting"), cstr(name, "name"),
                cstr(region, "region"), -1 if capacity is None else capacity,
                -1 if min_age is None else min_age, -1 if max_age is None else max_age)
        j = self._j()
        rc = lib.cpw_journal_add_facility(j, self._ptr, *args) if j is not None else \
            lib.cpw_registry_add_facility(self._ptr, *args)
        self._done(rc)

    def add_child(self, child: str, birth_date: Optional[DateLike] = None, *,
                  sibling_group: Optional[str] = None) -> None:
        """Register a child: an id (never a name), the birth date (None if unknown) and an
        optional sibling group id. :class:`cpw.AlreadyExists`."""
        birth = DATE_MIN if birth_date is None else date_to_days(birth_date, "birth_date")
        args = (cstr(child, "child"), birth, cstr(sibling_group, "sibling_group"))
        j = self._j()
        rc = lib.cpw_journal_add_child(j, self._ptr, *args) if j is not None else \
            lib.cpw_registry_add_child(self._ptr, *args)
        self._done(rc)

    # ---------------------------------------------------------------- placements
    def _request(self, child, date, facility, setting, region, actor, role, reason, emergency,
                 keep_siblings_together, existing, disability=None):
        req = ffi.new("cpw_placement_request *")
        keep = [cstr(child, "child"), cstr(facility, "facility"), cstr(setting, "setting"),
                cstr(region, "region"), cstr(actor, "actor"), cstr(role, "role"),
                cstr(reason, "reason"), cstr(disability, "disability")]
        req.version = lib.CPW_PLACEMENT_REQUEST_VERSION
        req.child, req.facility, req.setting, req.region, req.actor, req.role, req.reason = keep[:7]
        req.date = date_to_days(date, "date")
        req.emergency = 1 if emergency else 0
        req.keep_siblings_together = 1 if keep_siblings_together else 0
        req.flags = lib.CPW_PLACE_EXISTING if existing else 0
        req.disability = keep[7]
        return req, keep

    def _place(self, journal_fn, fn, *args) -> str:
        req, keep = self._request(*args)
        j = self._j()
        rc = journal_fn(j, self._ptr, req) if j is not None else fn(self._ptr, req)
        if rc == lib.CPW_EDENIED:
            raise self._ctx.fail(rc, cls=PlacementDenied, explanation=self.explanation)
        self._done(rc)
        return self.explanation

    def place(self, child: str, date: DateLike, *, facility: Optional[str] = None,
              setting: Optional[str] = None, region: Optional[str] = None, actor: str,
              role: str, reason: Optional[str] = None, emergency: bool = False,
              keep_siblings_together: bool = False, existing: bool = False,
              disability: Optional[str] = None) -> str:
        """Place a child who is not placed now, in a registered `facility` or a (family)
        `setting`, on `date`. The policy's gatekeeping rules run first: a denial raises
        :class:`cpw.PlacementDenied` with the rule's reasons and changes nothing. Returns
        the warnings of the placement ("" if none; e.g. siblings split).

        `disability` is the child's assessed degree ("none", "moderate", "severe",
        "profound"; None: not assessed), which gatekeeping rules may read.
        `existing` records a placement that already exists (data migration: gatekeeping is
        not applied). Other errors: :class:`cpw.NotFound` (child, facility, setting),
        :class:`cpw.StateError` (placed already: use :meth:`move`)."""
        return self._place(lib.cpw_journal_place, lib.cpw_registry_place, child, date,
                           facility, setting, region, actor, role, reason, emergency,
                           keep_siblings_together, existing, disability)

    def move(self, child: str, date: DateLike, *, facility: Optional[str] = None,
             setting: Optional[str] = None, region: Optional[str] = None, actor: str,
             role: str, reason: Optional[str] = None, emergency: bool = False,
             keep_siblings_together: bool = False, disability: Optional[str] = None) -> str:
        """Move a placed child: the current placement ends (exit reason "moved") and the new
        one starts on `date`, atomically (a denial changes nothing). Returns the warnings."""
        return self._place(lib.cpw_journal_move, lib.cpw_registry_move, child, date, facility,
                           setting, region, actor, role, reason, emergency,
                           keep_siblings_together, False, disability)

    def end(self, child: str, date: DateLike, reason: Union[str, int] = "reunified", *,
            actor: str, role: str) -> None:
        """End the child's placement on `date` with an exit reason (see
        :data:`cpw.EXIT_REASONS`). :class:`cpw.StateError` if the child is not placed."""
        args = (cstr(child, "child"), date_to_days(date, "date"), _exit_reason(reason),
                cstr(actor, "actor"), cstr(role, "role"))
        j = self._j()
        rc = lib.cpw_journal_end_placement(j, self._ptr, *args) if j is not None else \
            lib.cpw_registry_end(self._ptr, *args)
        self._done(rc)

    def review(self, child: str, date: DateLike, *, actor: str, role: str) -> None:
        """Record a review of the child's placement on `date` (the next is due a review
        period later)."""
        args = (cstr(child, "child"), date_to_days(date, "date"), cstr(actor, "actor"),
                cstr(role, "role"))
        j = self._j()
        rc = lib.cpw_journal_review_placement(j, self._ptr, *args) if j is not None else \
            lib.cpw_registry_review(self._ptr, *args)
        self._done(rc)

    @property
    def explanation(self) -> str:
        """The reasons of the last denial, or the warnings of the last placement."""
        return str_of(lib.cpw_registry_explain(self._ptr))

    # ---------------------------------------------------------------- queries
    def options(self, child: str, date: DateLike, *, emergency: bool = False,
                keep_siblings_together: bool = False,
                disability: Optional[str] = None) -> List[str]:
        """The settings the child could be placed in on `date` (not denied by gatekeeping),
        most preferred first; `disability` as for :meth:`place`."""
        self._known(child)
        if disability is not None and disability not in DISABILITY_LEVELS:
            raise InvalidInput("disability must be one of %s" % ", ".join(DISABILITY_LEVELS))
        if disability is None:
            cb, d = cstr(child, "child"), date_to_days(date, "date")

            def ask(arr, n):
                return lib.cpw_registry_options(self._ptr, cb, d, int(emergency),
                                                int(keep_siblings_together), arr, n)
        else:
            req, keep = self._request(child, date, None, None, None, None, None, None,
                                      emergency, keep_siblings_together, False, disability)

            def ask(arr, n):
                return lib.cpw_registry_request_options(self._ptr, req, arr, n)
        n = ask(ffi.NULL, 0)
        if n == 0:
            return []
        arr = ffi.new("const char *[]", n)
        n = min(n, ask(arr, n))
        return [str_of(arr[i]) for i in range(n)]

    def _known(self, child: str) -> None:
        info = ffi.new("cpw_placement_info *")
        if lib.cpw_registry_current(self._ptr, cstr(child, "child"), info) == lib.CPW_ENOTFOUND:
            raise NotFound("child '%s' is not registered" % child)

    def current(self, child: str) -> Optional[Placement]:
        """The child's current placement, or None when not placed. :class:`cpw.NotFound`
        for a child who is not registered."""
        info = ffi.new("cpw_placement_info *")
        rc = lib.cpw_registry_current(self._ptr, cstr(child, "child"), info)
        if rc == lib.CPW_ENOTFOUND:
            raise NotFound("child '%s' is not registered" % child)
        if rc == lib.CPW_ESTATE:
            return None
        self._ctx.check(rc)
        return _placement(info)

    def _list(self, fn, date: DateLike) -> List[Placement]:
        d = date_to_days(date, "date")
        n = fn(self._ptr, d, ffi.NULL, 0)
        if n == 0:
            return []
        arr = ffi.new("cpw_placement_info[]", n)
        n = min(n, fn(self._ptr, d, arr, n))
        return [_placement(arr[i]) for i in range(n)]

    def reviews_due(self, date: DateLike) -> List[Placement]:
        """Placements whose review is due on or before `date`, earliest first."""
        return self._list(lib.cpw_registry_reviews_due, date)

    def aging_out(self, date: DateLike) -> List[Placement]:
        """Placed children who reach the leaving-care age on or before `date`, earliest
        first."""
        return self._list(lib.cpw_registry_aging_out, date)

    def occupancy(self, facility: str) -> int:
        """Children placed now in a facility."""
        n = lib.cpw_registry_occupancy(self._ptr, cstr(facility, "facility"))
        if n < 0:
            raise NotFound("facility '%s' is not registered" % facility)
        return n

    @property
    def episode_count(self) -> int:
        """Placement episodes recorded (every placement and move starts one)."""
        return lib.cpw_registry_episode_count(self._ptr)

    def indicators(self, start: DateLike, end: DateLike, region: Optional[str] = None
                   ) -> "Indicators":
        """The deinstitutionalization indicators of [start, end] (both included) for one
        region or all."""
        return Indicators(self, start, end, region)

    def __repr__(self) -> str:
        return "<cpw.Registry %d episodes%s>" % (
            self.episode_count, " (journaled)" if self._journal else "")


def _indicator_keys() -> Tuple[str, ...]:
    """The headline indicators' keys, in the library's order (cpw_indicator_key): a key the
    library adds appears here, in ``Indicators.summary`` and in the charts' tables with no
    change to the package."""
    keys = []
    while True:
        p = lib.cpw_indicator_key(len(keys))
        if p == ffi.NULL:
            return tuple(keys)
        keys.append(ffi.string(p).decode("utf-8"))


_SUMMARY = _indicator_keys()
# the headline figures that are not counts (a share, a ratio, days); every other key is a
# whole number of children or placements
_REAL = frozenset(("family_share", "moves_per_child", "median_stay_days"))


class Indicators:
    """The deinstitutionalization indicators of a period.

    The headline figures are attributes (``placed_at_end``, ``family_at_end``,
    ``family_type_at_end``, ``residential_at_end``, ``family_share``, ``entries``,
    ``exits``, ``moves``, ``children``, ``moves_per_child``, ``median_stay_days``,
    ``left_care``, ``moved_within_care``, ``own_family_at_end``,
    ``residential_under3_at_end``: every key of the library's cpw_indicator_key, so an
    indicator the library adds is an attribute here too; and the period's ``start`` and
    ``end``); :attr:`summary` has them as a dict. "In care" is formal alternative care:
    a child with their own family with support is counted apart (``own_family_at_end``). By setting:
    :attr:`at_end`, :attr:`entries_by_setting`, :attr:`exits_by_setting`; residential care's
    population at each month end: :attr:`series`. Rendered: :meth:`table`, :meth:`csv`,
    :meth:`json`; month by month as a pandas DataFrame: :meth:`to_frame`; as charts
    (matplotlib): :meth:`plot`.
    """

    # the headline figures of this release, set from the library's keys (_SUMMARY)
    placed_at_end: int
    family_at_end: int
    family_type_at_end: int
    residential_at_end: int
    family_share: float
    entries: int
    exits: int
    moves: int
    children: int
    moves_per_child: float
    median_stay_days: float
    left_care: int
    moved_within_care: int
    own_family_at_end: int
    residential_under3_at_end: int

    def __init__(self, registry: Registry, start: DateLike, end: DateLike,
                 region: Optional[str] = None):
        self.registry = registry
        self.region = region
        self._ctx = Ctx()
        out = ffi.new("cpw_indicators **")
        self._ctx.check(lib.cpw_registry_indicators(
            registry._ptr, self._ctx.ptr, date_to_days(start, "start"), date_to_days(end, "end"),
            cstr(region, "region"), out))
        self._ptr = own(out[0], lib.cpw_indicators_free, self._ctx, registry._ptr)
        s = lib.cpw_indicators_summary(self._ptr)
        self.start: _dt.date = days_to_date(getattr(s, "from"))
        self.end: _dt.date = days_to_date(s.to)
        value = ffi.new("double *")
        for key in _SUMMARY:
            self._ctx.check(lib.cpw_indicators_value(self._ptr, key.encode("utf-8"), value))
            setattr(self, key, value[0] if key in _REAL else int(value[0]))
        self._settings = [st.id for st in registry.policy.settings]

    @property
    def summary(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"start": self.start, "end": self.end}
        d.update((k, getattr(self, k)) for k in _SUMMARY)
        return d

    @property
    def at_end(self) -> Dict[str, int]:
        """Children in care at the end of the period, by setting."""
        return {s: lib.cpw_indicators_at_end(self._ptr, i) for i, s in enumerate(self._settings)}

    @property
    def entries_by_setting(self) -> Dict[str, int]:
        """Placements that started in the period, by setting."""
        return {s: lib.cpw_indicators_entries(self._ptr, i)
                for i, s in enumerate(self._settings)}

    @property
    def exits_by_setting(self) -> Dict[str, Dict[str, int]]:
        """Placements that ended in the period, by setting and exit reason."""
        return {s: {r: lib.cpw_indicators_exits(self._ptr, i, k)
                    for k, r in enumerate(EXIT_REASONS)}
                for i, s in enumerate(self._settings)}

    @property
    def series(self) -> List[Tuple[_dt.date, int]]:
        """Residential care's population at each month end of the period (and at its
        end)."""
        d = ffi.new("cpw_date *")
        n = ffi.new("int64_t *")
        out = []
        for i in range(lib.cpw_indicators_series_count(self._ptr)):
            self._ctx.check(lib.cpw_indicators_series(self._ptr, i, d, n))
            out.append((days_to_date(d[0]), n[0]))
        return out

    def _format(self, fmt: int, lang: Optional[str] = "") -> str:
        out = ffi.new("char **")
        n = ffi.new("size_t *")
        lang = lang if lang is not None else get_language()
        if lang:
            opts, _keep = text_options(lang)
            self._ctx.check(lib.cpw_indicators_format_with(self._ptr, self._ctx.ptr, fmt, opts,
                                                           out, n))
        else:
            self._ctx.check(lib.cpw_indicators_format(self._ptr, self._ctx.ptr, fmt, out, n))
        try:
            return ffi.unpack(out[0], n[0]).decode("utf-8")
        finally:
            lib.cpw_free(self._ctx.ptr, out[0])

    def table(self, lang: Optional[str] = None) -> str:
        """Aligned plain text, in a language ("ka": Georgian headings, setting labels and
        dates; None: :func:`cpw.get_language`)."""
        return self._format(lib.CPW_INDICATORS_TABLE, lang)

    def csv(self) -> str:
        """indicator,setting,reason,value lines."""
        return self._format(lib.CPW_INDICATORS_CSV)

    def json(self) -> str:
        """One JSON object (``json.loads`` it for a dict, or use :meth:`to_dict`)."""
        return self._format(lib.CPW_INDICATORS_JSON)

    def to_dict(self) -> Dict[str, Any]:
        return _json.loads(self.json())

    def to_frame(self):
        """The series of the period as a pandas DataFrame: one row per month (per year when
        the period is longer than 36 months; the last ends on the period's end), indexed by
        the sub-period's end (``period_end``), with ``period_start`` and the headline figures
        of :attr:`summary` (``placed_at_end``, ``family_at_end``, ``family_type_at_end``,
        ``residential_at_end``, ``family_share``, ``entries``, ``exits``, ``moves``,
        ``children``, ``moves_per_child``, ``median_stay_days``, ``left_care``,
        ``moved_within_care``, ``own_family_at_end``), each computed by the
        library for that month, from the registry as it is now. Needs pandas (imported
        here)."""
        from . import _charts
        return _charts.to_frame(self)

    def plot(self, figure=None):
        """The four charts of ``cpw report --format svg`` as one matplotlib Figure (A4 wide):
        children in care at each month end by category, stacked; the family-based share;
        entries and exits by setting and reason; the median length of stay. Titles, period
        and region, axes with units, legends and captions with the definitions; colour-blind
        safe colours with hatches. Draws into ``figure`` when given (it gets 4 axes).
        Needs matplotlib (Debian: python3-matplotlib), imported only here; save the result
        with ``fig.savefig("di.png")``."""
        from . import _charts
        return _charts.plot(self, figure)

    def __repr__(self) -> str:
        return "<cpw.Indicators %s..%s%s: %d placed at end>" % (
            self.start, self.end, " " + self.region if self.region else "", self.placed_at_end)


_ENGINES["Registry"] = Registry
