# SPDX-License-Identifier: Apache-2.0
"""Internals shared by the modules: contexts, ownership of C objects, value conversions."""
from __future__ import annotations

import datetime as _dt
import re
import threading
from decimal import Decimal, InvalidOperation
from typing import Any, Optional, Union

from ._ffi import ffi, lib
from .errors import InvalidInput, error_from

DateLike = Union[_dt.date, str]
TimeLike = Union[_dt.datetime, str]

EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()  # 719163
DATE_MIN = lib.CPW_DATE_MIN
DATE_MAX = lib.CPW_DATE_MAX
UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = _dt.timedelta(seconds=1)

#: cpw_type -> "bool", "int", "money", "date", "datetime", "text", "enum", "set"
TYPE_NAMES = {t: ffi.string(lib.cpw_type_name(t)).decode("ascii")
              for t in range(lib.CPW_TYPE_BOOL, lib.CPW_TYPE_SET + 1)}


class _Owned:
    """The destructor of one owned C object, and its place in the ownership graph.

    cffi frees a gc'ed cdata from its finalizer, and for garbage in a reference cycle
    CPython runs the finalizers in no particular order: references from a child to its
    parents (context, policy) cannot order the frees. So each owned object counts its live
    children: a parent whose destructor runs while children are alive is only marked dead,
    and is freed right after its last child. Everything happens while finalizers run, before
    the cycle collector clears any object, and needs no module global (they may be gone at
    interpreter exit).
    """

    __slots__ = ("free_fn", "ptr", "addr", "parents", "extra", "children", "dead", "nodes",
                 "lock")
    free_fn: Any
    ptr: Any
    addr: int
    parents: tuple
    extra: tuple
    children: int
    dead: bool
    nodes: dict
    lock: Any

    def __call__(self, ptr) -> None:
        with self.lock:
            self.dead = True
            if self.children == 0:
                self.release()

    def release(self) -> None:
        stack = [self]
        while stack:
            n = stack.pop()
            n.free_fn(n.ptr)
            n.nodes.pop(n.addr, None)
            for p in n.parents:
                p.children -= 1
                if p.dead and p.children == 0:
                    stack.append(p)
            n.parents = n.extra = ()


_NODES: dict = {}
_NODES_LOCK = threading.RLock()


def own(ptr, free_fn, *keep):
    """`ptr`, freed by `free_fn` once it is garbage. The parents in `keep` (owned cdata, or
    :class:`Ctx` objects) are freed only after it; other objects in `keep` are kept alive
    until it is freed."""
    node = _Owned()
    node.free_fn, node.ptr, node.children, node.dead = free_fn, ptr, 0, False
    node.addr = int(ffi.cast("uintptr_t", ptr))
    node.nodes, node.lock = _NODES, _NODES_LOCK
    parents, extra = [], []
    for k in keep:
        if isinstance(k, Ctx):
            k = k.ptr
        pn = _NODES.get(int(ffi.cast("uintptr_t", k))) if isinstance(k, ffi.CData) else None
        if pn is not None:
            parents.append(pn)
        elif k is not None:
            extra.append(k)
    node.parents, node.extra = tuple(parents), tuple(extra)
    with _NODES_LOCK:
        for pn in parents:
            pn.children += 1
        _NODES[node.addr] = node
    return ffi.gc(ptr, node)


class Ctx:
    """A ``cpw_ctx``: allocator and last error, for one object (or one thread)."""

    __slots__ = ("ptr", "__weakref__")

    def __init__(self):
        out = ffi.new("cpw_ctx **")
        rc = lib.cpw_ctx_new(out, ffi.NULL)
        if rc < 0:
            raise error_from(rc, None)
        self.ptr = own(out[0], lib.cpw_ctx_free)

    def check(self, rc: int) -> int:
        if rc < 0:
            raise error_from(rc, self.ptr)
        return rc

    def fail(self, rc: int, **kw):
        return error_from(rc, self.ptr, **kw)


class ThreadCtx(threading.local):
    """Per-thread scratch state (a context and whatever a thread keeps with it)."""

    def __init__(self):
        self.ctx = Ctx()


def cstr(value: Optional[str], what: str = "value"):
    """A Python str as a NUL-terminated UTF-8 char array (None stays NULL)."""
    if value is None:
        return ffi.NULL
    if isinstance(value, str):
        b = value.encode("utf-8")
    elif isinstance(value, bytes):
        b = value
    else:
        raise TypeError("%s must be a str, not %s" % (what, type(value).__name__))
    if b"\0" in b:
        raise InvalidInput("%s contains a NUL character" % what)
    return ffi.new("char[]", b)


def pystr(p) -> Optional[str]:
    """A borrowed ``const char *`` as a str (NULL gives None)."""
    if p == ffi.NULL:
        return None
    return ffi.string(p).decode("utf-8", "replace")


def str_of(p) -> str:
    """A borrowed ``const char *`` the library promises (NULL, which it should not be,
    gives "")."""
    if p == ffi.NULL:
        return ""
    return ffi.string(p).decode("utf-8", "replace")


# ------------------------------------------------------------------ values of other libraries

def is_missing(v: Any) -> bool:
    """None, a float NaN (numpy's too), pandas' NA and NaT, numpy's NaT: a missing value."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    t = type(v)
    if t.__name__ in ("NAType", "NaTType"):
        return True
    return t.__name__ == "datetime64" and t.__module__ == "numpy" and v != v


def plain(v: Any) -> Any:
    """A numpy scalar as the Python value it holds (np.bool_ -> bool, np.int64 -> int,
    np.float64 -> float); numpy's datetime64 and anything else as it is."""
    t = type(v)
    if t.__module__ == "numpy" and t.__name__ != "datetime64" and hasattr(v, "item"):
        return v.item()
    return v


def _datetime64_days(value, what: str) -> int:
    import numpy as np  # only reached with a numpy value
    day = value.astype("datetime64[D]")
    if day.astype(value.dtype) != value:
        raise InvalidInput("%s: expected a date, got a datetime64 with a time of day" % what)
    return int(day.astype(np.int64))


# ------------------------------------------------------------------ dates

def date_to_days(value: DateLike, what: str = "date", ctx=None) -> int:
    """A date as days since 1970-01-01: ``datetime.date``, "YYYY-MM-DD", a naive datetime at
    midnight (``pandas.Timestamp("2015-03-01")``, what ``read_csv(parse_dates=)`` gives) or
    ``numpy.datetime64`` at midnight. A time of day or a time zone is refused: which day it
    is depends on a time zone you must choose (use ``.date()`` of it)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None:
            raise InvalidInput("%s: expected a date, got a datetime with a time zone (use "
                               ".date() of it, in the time zone you mean)" % what)
        if value.time() != _dt.time(0):
            raise InvalidInput("%s: expected a date, got a datetime with a time of day (use "
                               ".date() of it)" % what)
        return value.date().toordinal() - EPOCH_ORDINAL
    if isinstance(value, _dt.date):
        return value.toordinal() - EPOCH_ORDINAL
    if type(value).__name__ == "datetime64" and type(value).__module__ == "numpy":
        if value != value:
            raise InvalidInput("%s: NaT is not a date" % what)
        return _datetime64_days(value, what)
    if isinstance(value, str):
        b = value.encode("utf-8")
        out = ffi.new("cpw_date *")
        c = ctx if ctx is not None else _scratch().ctx
        rc = lib.cpw_date_parse(out, c.ptr, b, len(b))
        if rc < 0:
            e = c.fail(rc)
            e.message = "%s: %s" % (what, e.message)
            e.args = (e.message,)
            raise e
        return out[0]
    raise TypeError("%s must be a datetime.date or an ISO 8601 date string (YYYY-MM-DD), not %s"
                    % (what, type(value).__name__))


def days_to_date(days: int) -> _dt.date:
    return _dt.date.fromordinal(days + EPOCH_ORDINAL)


def opt_days_to_date(days: int) -> Optional[_dt.date]:
    """A date, or None for the open ends CPW_DATE_MIN / CPW_DATE_MAX."""
    if days <= DATE_MIN or days >= DATE_MAX:
        return None
    return days_to_date(days)


def opt_date(value: Optional[DateLike], default: int, what: str) -> int:
    return default if value is None else date_to_days(value, what)


# ------------------------------------------------------------------ instants

def time_to_seconds(value: TimeLike, what: str = "time", ctx=None) -> int:
    """An instant (timezone-aware ``datetime`` or ISO 8601 string with an offset) as seconds
    since 1970-01-01T00:00:00Z. Naive datetimes are refused: a local time is ambiguous.
    Fractions of a second are dropped (instants are kept in whole seconds)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise InvalidInput(
                "%s: a naive datetime has no time zone, so the instant it means is ambiguous; "
                "give it a tzinfo (e.g. datetime(..., tzinfo=timezone.utc) or "
                "ZoneInfo('Asia/Tbilisi')), tz_localize() a pandas column, or pass an ISO 8601 "
                "string with an offset" % what)
        return (value - _EPOCH) // _SECOND
    if isinstance(value, _dt.date):
        raise TypeError("%s must be a timezone-aware datetime or an ISO 8601 string with an "
                        "offset, not a date" % what)
    if type(value).__name__ == "datetime64" and type(value).__module__ == "numpy":
        raise InvalidInput("%s: a numpy datetime64 has no time zone, so the instant it means is "
                           "ambiguous; give an aware datetime or an ISO 8601 string with an "
                           "offset" % what)
    if isinstance(value, str):
        b = value.encode("utf-8")
        out = ffi.new("cpw_time *")
        c = ctx if ctx is not None else _scratch().ctx
        rc = lib.cpw_time_parse(out, c.ptr, b, len(b))
        if rc < 0:
            e = c.fail(rc)
            e.message = "%s: %s" % (what, e.message)
            e.args = (e.message,)
            raise e
        return out[0]
    raise TypeError("%s must be a timezone-aware datetime or an ISO 8601 string with an offset, "
                    "not %s" % (what, type(value).__name__))


def seconds_to_time(seconds: int, tz: _dt.tzinfo = UTC) -> _dt.datetime:
    return (_EPOCH + _dt.timedelta(seconds=seconds)).astimezone(tz)


def tz_of_minutes(minutes: int) -> _dt.timezone:
    return UTC if minutes == 0 else _dt.timezone(_dt.timedelta(minutes=minutes))


# ------------------------------------------------------------------ money

_MONEY_RE = re.compile(r"^-?\d+(\.\d{1,2})?$")


def money_to_tetri(value: Any, what: str = "money") -> int:
    """An amount in GEL (int, Decimal, float with at most 2 decimals, or "12.50") as tetri.
    Messages say what is wrong, never the value."""
    value = plain(value)
    if isinstance(value, bool):
        raise TypeError("%s: a bool is not an amount of money" % what)
    if isinstance(value, int):
        return value * 100
    if isinstance(value, str):
        if not _MONEY_RE.match(value.strip()):
            raise InvalidInput("%s: not an amount in GEL (e.g. 1000 or 12.50)" % what)
        value = Decimal(value.strip())
    elif isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput("%s: not a finite amount" % what)
        try:
            t = value * 100
            if t != t.to_integral_value():
                raise InvalidInput("%s: an amount in GEL has at most 2 decimals" % what)
            return int(t)
        except InvalidOperation:
            raise InvalidInput("%s: not an amount in GEL" % what) from None
    raise TypeError("%s: an amount in GEL must be an int, Decimal, float or str, not %s"
                    % (what, type(value).__name__))


def tetri_to_money(tetri: int) -> Decimal:
    return Decimal(tetri).scaleb(-2)


# ------------------------------------------------------------------ scratch context

_tls = ThreadCtx()


def _scratch() -> ThreadCtx:
    """A context for the calling thread (for parsing and other one-off calls)."""
    return _tls



# ---------------------------------------------------------------- languages

_LANGUAGE: Optional[str] = None  # cpw.set_language(): the default of calls that write text


def set_language(lang: Optional[str]) -> None:
    """Set the language of the texts the package asks for by default: explanations,
    refusals, diagrams and indicator tables ("ka" Georgian, "en" English, a language the
    policy declares labels for, or None for the policy's own names in English words).
    A call's own ``lang=`` argument wins."""
    global _LANGUAGE
    if lang is not None and not isinstance(lang, str):
        raise TypeError("a language is a tag such as 'ka' or 'en', not %s" % type(lang).__name__)
    _LANGUAGE = lang or None


def get_language() -> Optional[str]:
    """The default language set with :func:`set_language` (None: the policy's own names)."""
    return _LANGUAGE


def text_options(lang: Optional[str]):
    """A ``cpw_text_options`` for `lang` (None: :func:`get_language`), with the bytes it
    points to kept alive by the returned tuple's second item."""
    lang = lang if lang is not None else _LANGUAGE
    opts = ffi.new("cpw_text_options *")
    opts.version = lib.CPW_TEXT_OPTIONS_VERSION
    keep = None
    if lang is not None:
        keep = ffi.new("char[]", lang.encode("utf-8"))
        opts.lang = keep
    else:
        opts.lang = ffi.new("char[]", b"")
        keep = opts.lang
    return opts, keep


def languages() -> list:
    """The languages built into the library ("en", "ka"); a policy may declare more."""
    return [ffi.string(lib.cpw_language_tag(i)).decode("ascii")
            for i in range(lib.cpw_language_count())]


def language_name(lang: str) -> Optional[str]:
    """A built-in language's name in itself ("ქართული" for "ka"), or None."""
    p = lib.cpw_language_name(cstr(lang, "lang"))
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8")


def message(key: str, lang: Optional[str] = None) -> Optional[str]:
    """A fixed word of the library's catalogue in a built-in language: ``message("overdue",
    "ka")`` is "ვადაგადაცილებული" (None: :func:`get_language`, else English)."""
    lang = lang if lang is not None else (_LANGUAGE or "")
    p = lib.cpw_message(lang.encode("utf-8"), cstr(key, "key"))
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8")


def _formatted(fn, value, lang: Optional[str], *extra) -> str:
    lang = lang if lang is not None else (_LANGUAGE or "")
    buf = ffi.new("char[]", 256)
    rc = fn(buf, 256, value, *extra, lang.encode("utf-8"))
    if rc != 0:
        raise InvalidInput("no built-in language '%s', or a value out of range" % lang)
    return ffi.string(buf).decode("utf-8")


def format_date(date, lang: Optional[str] = None) -> str:
    """A date as a language writes it: "2026 წლის 12 აპრილი" (ka), "2026-04-12" (en)."""
    return _formatted(lib.cpw_date_format_lang, date_to_days(date), lang)


def format_money(amount, lang: Optional[str] = None) -> str:
    """Money (GEL) as a language writes it: "200 ₾", "12,50 ₾" (ka), "200 GEL" (en)."""
    return _formatted(lib.cpw_money_format_lang, money_to_tetri(amount), lang)


def format_number(value: int, lang: Optional[str] = None) -> str:
    """A whole number as a language writes it: "120 000" (ka), "120000" (en)."""
    return _formatted(lib.cpw_number_format_lang, int(value), lang)
