# SPDX-License-Identifier: Apache-2.0
"""Working-day calendars and the library's date rules (month ends, ages, Orthodox Easter)."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Optional, Union

from ._common import (DATE_MAX, DATE_MIN, Ctx, DateLike, TimeLike, _scratch, cstr,
                      date_to_days, days_to_date, opt_date, own, str_of, seconds_to_time,
                      time_to_seconds)
from ._ffi import ffi, lib
from .errors import InvalidInput, NotFound, StateError

__all__ = ["Calendar", "add_months", "add_years", "age", "orthodox_easter", "parse_date",
           "parse_time", "format_time"]

_WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5,
             "saturday": 6, "sunday": 7}


class Calendar:
    """A working-day calendar: a weekend and holidays (fixed days every year, days from
    Orthodox Easter, or single dates).

    ``Calendar()`` is empty (weekend Saturday and Sunday), ``Calendar.georgia()`` has
    Georgia's public holidays, and :meth:`cpw.Policy.calendar` gives a calendar a policy
    declares (read-only; it keeps the policy alive).
    """

    _ctx: Ctx
    _ptr: Any
    _owner: Any

    def __init__(self, name: Optional[str] = None):
        self._ctx = Ctx()
        out = ffi.new("cpw_calendar **")
        self._ctx.check(lib.cpw_calendar_new(out, self._ctx.ptr, cstr(name, "name")))
        self._ptr = own(out[0], lib.cpw_calendar_free, self._ctx)
        self._owner = None

    @classmethod
    def georgia(cls) -> "Calendar":
        """Georgia's public holidays (Labour Code, Art. 20), with Orthodox Good Friday, Holy
        Saturday, Easter Sunday and Easter Monday computed per year."""
        self = object.__new__(cls)
        self._ctx = Ctx()
        out = ffi.new("cpw_calendar **")
        self._ctx.check(lib.cpw_calendar_new_georgia(out, self._ctx.ptr))
        self._ptr = own(out[0], lib.cpw_calendar_free, self._ctx)
        self._owner = None
        return self

    @classmethod
    def _from_policy(cls, policy, name: Optional[str]) -> "Calendar":
        p = lib.cpw_policy_calendar(policy._ptr, cstr(name, "name"))
        if p == ffi.NULL:
            raise NotFound("the policy declares no calendar%s" % (" '%s'" % name if name else ""))
        self = object.__new__(cls)
        self._ctx = _scratch().ctx
        self._ptr = ffi.cast("cpw_calendar *", p)
        self._owner = policy
        return self

    @property
    def name(self) -> str:
        return str_of(lib.cpw_calendar_name(self._ptr))

    @property
    def read_only(self) -> bool:
        """True for a policy's calendar (it cannot be changed)."""
        return self._owner is not None

    def _mut(self):
        if self._owner is not None:
            raise StateError("the calendar %s belongs to a policy and cannot be changed"
                             % self.name)
        return self._ptr

    def set_weekend(self, days: Iterable[Union[int, str]]) -> None:
        """The weekend days, as ISO weekday numbers (1 = Monday ... 7 = Sunday) or English
        names; none at all is allowed, all seven are not."""
        mask = 0
        for d in days:
            n = _WEEKDAYS.get(d.lower()) if isinstance(d, str) else d
            if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 7:
                raise InvalidInput("%r is not a weekday (1-7 or monday..sunday)" % (d,))
            mask |= 1 << (n - 1)
        self._ctx.check(lib.cpw_calendar_set_weekend(self._mut(), mask))

    def add_annual(self, month: int, day: int, name: str = "", *,
                   start: Optional[DateLike] = None, end: Optional[DateLike] = None) -> None:
        """A holiday on month/day every year (from `start` to `end` inclusive, when given)."""
        self._ctx.check(lib.cpw_calendar_add_annual(
            self._mut(), month, day, cstr(name, "name"), opt_date(start, DATE_MIN, "start"),
            opt_date(end, DATE_MAX, "end")))

    def add_easter(self, offset: int, name: str = "", *, start: Optional[DateLike] = None,
                   end: Optional[DateLike] = None) -> None:
        """A holiday `offset` days from Orthodox Easter Sunday every year (-2: Good
        Friday)."""
        self._ctx.check(lib.cpw_calendar_add_easter(
            self._mut(), offset, cstr(name, "name"), opt_date(start, DATE_MIN, "start"),
            opt_date(end, DATE_MAX, "end")))

    def add_date(self, date: DateLike, name: str = "") -> None:
        """A one-off holiday."""
        self._ctx.check(lib.cpw_calendar_add_date(self._mut(), date_to_days(date),
                                                  cstr(name, "name")))

    def holiday(self, date: DateLike) -> Optional[str]:
        """The holiday's name if `date` is a holiday, else None (weekends are not
        holidays)."""
        name = ffi.new("const char **")
        if lib.cpw_calendar_is_holiday(self._ptr, date_to_days(date), name):
            return str_of(name[0])
        return None

    def is_holiday(self, date: DateLike) -> bool:
        return self.holiday(date) is not None

    def is_working_day(self, date: DateLike) -> bool:
        """Neither a weekend day nor a holiday."""
        return bool(lib.cpw_calendar_is_working_day(self._ptr, date_to_days(date)))

    def add_working_days(self, date: DateLike, n: int) -> _dt.date:
        """The date `n` working days after `date` (before it when n < 0)."""
        out = ffi.new("cpw_date *")
        rc = lib.cpw_calendar_add_working_days(self._ptr, out, date_to_days(date), n)
        if rc < 0:
            raise InvalidInput("add_working_days: the result is out of the date range")
        return days_to_date(out[0])

    def working_days_between(self, start: DateLike, end: DateLike) -> int:
        """The number of working days d with start < d <= end (negative when end <
        start)."""
        out = ffi.new("int64_t *")
        rc = lib.cpw_calendar_working_days_between(self._ptr, out, date_to_days(start),
                                                   date_to_days(end))
        if rc < 0:
            raise InvalidInput("working_days_between: a date is out of range")
        return out[0]

    def __repr__(self) -> str:
        return "<cpw.Calendar %s>" % (self.name or "(unnamed)")


def _date_op(fn, date: DateLike, n: int, what: str) -> _dt.date:
    out = ffi.new("cpw_date *")
    if fn(out, date_to_days(date), n) < 0:
        raise InvalidInput("%s: the result is out of the date range" % what)
    return days_to_date(out[0])


def add_months(date: DateLike, months: int) -> _dt.date:
    """`date` + `months` with the library's month-end rule: the day is kept when the target
    month has it, else the month's last day (2019-01-31 + 1 month = 2019-02-28)."""
    return _date_op(lib.cpw_date_add_months, date, months, "add_months")


def add_years(date: DateLike, years: int) -> _dt.date:
    """`date` + `years` (2020-02-29 + 1 year = 2021-02-28)."""
    return _date_op(lib.cpw_date_add_years, date, years, "add_years")


def age(birth: DateLike, on: DateLike) -> int:
    """Age in completed years on `on` (a 29 February birthday is reached on 1 March in common
    years)."""
    out = ffi.new("int *")
    if lib.cpw_date_age(out, date_to_days(birth, "birth"), date_to_days(on, "on")) < 0:
        raise InvalidInput("age: %s is before the birth date %s" % (on, birth))
    return out[0]


def orthodox_easter(year: int) -> _dt.date:
    """The Gregorian date of Orthodox Easter Sunday in `year` (1-9999)."""
    out = ffi.new("cpw_date *")
    if lib.cpw_date_orthodox_easter(out, year) < 0:
        raise InvalidInput("orthodox_easter: year %r is out of range (1-9999)" % (year,))
    return days_to_date(out[0])


def parse_date(text: str) -> _dt.date:
    """Parse exactly "YYYY-MM-DD" (the library's strict ISO 8601 reader)."""
    return days_to_date(date_to_days(text, "date"))


def parse_time(text: str, tz: Optional[_dt.tzinfo] = None) -> _dt.datetime:
    """Parse an ISO 8601 date-time with an explicit offset ("2026-03-02T09:00:00+04:00");
    returned in `tz` (default: UTC)."""
    return seconds_to_time(time_to_seconds(text, "time"), tz or _dt.timezone.utc)


def format_time(value: TimeLike, offset_minutes: int = 0) -> str:
    """An instant as ISO 8601 at a UTC offset ("...Z" for 0, else "+HH:MM")."""
    buf = ffi.new("char[]", lib.CPW_TIME_BUFSIZE)
    if lib.cpw_time_format(buf, lib.CPW_TIME_BUFSIZE, time_to_seconds(value), offset_minutes) < 0:
        raise InvalidInput("format_time: offset %r or the date is out of range"
                           % (offset_minutes,))
    return str_of(buf)
