# SPDX-License-Identifier: Apache-2.0
"""Batch evaluation: many records given column by column (``cpw_evaluate_batch``).

Python lists become C arrays of int64 with as little Python work per value as possible:

* int and bool columns are handed to ``array('q', column)`` in one C-level call (buffers of
  8-byte integers, such as ``array('q')`` or a NumPy int64 array, are used without a copy);
* enum columns go through a dict {value name: index} built once per policy, with
  ``bytes(map(dict.__getitem__, column))``, then widened to int64;
* dates, times, money, and any column with None (missing) values are converted through a
  table of the column's distinct values, so each distinct value is converted once;
* sets and text need a little Python per value.

A column is any sequence with one value per record; None, a float NaN, pandas' NA and NaT
are missing, and so are the masked entries of a numpy masked array. As in any numeric array,
booleans in int columns count as 1 and 0 (Record and evaluate refuse them for int fields).
numpy arrays and pandas columns whose dtype says what they hold (bool, int, float,
datetime64, nullable, categorical) are converted by numpy, with no Python code per value
(:mod:`cpw._frames`); a pandas DataFrame is a dict of its columns.

Messages name the record (its position) and the column and say what is wrong; they never
quote a value, which may be a person's data.
"""
from __future__ import annotations

import gc
import sys
import threading
from array import array
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _frames
from ._common import (date_to_days, is_missing, money_to_tetri, plain, str_of,
                      time_to_seconds)
from ._ffi import ffi, lib
from .errors import InvalidInput, NotFound
from .policy import (_ENGINES, BOM, OUTCOMES, Benefit, Field, Policy, Program,
                     _read_decision)

__all__ = ["Columns"]

_LITTLE_ENDIAN = sys.byteorder == "little"
_BOOL_TEXT = {"true": 1, "yes": 1, "1": 1, "false": 0, "no": 0, "0": 0}


_is_missing = is_missing


def _bool(v: Any, what: str) -> int:
    v = plain(v)
    if isinstance(v, bool) or (isinstance(v, int) and v in (0, 1)):
        return int(v)
    if isinstance(v, float) and v in (0.0, 1.0):
        return int(v)
    if isinstance(v, str) and v.strip().lower() in _BOOL_TEXT:
        return _BOOL_TEXT[v.strip().lower()]
    raise InvalidInput("%s is a bool: the value is not true or false (true/false, yes/no, 1/0)"
                       % what)


def _int(v: Any, what: str) -> int:
    v = plain(v)
    if isinstance(v, int):  # bool included: a column is a numeric array
        return int(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        try:
            return int(v.strip(), 10)
        except ValueError:
            pass
    raise InvalidInput("%s is an int: the value is not a whole number" % what)


def _converter(policy: Policy, f: Field):
    what = "column %s" % f.name
    t = f.type
    if t == "bool":
        return lambda v: _bool(v, what)
    if t == "int":
        return lambda v: _int(v, what)
    if t == "money":
        return lambda v: money_to_tetri(v, what)
    if t == "date":
        return lambda v: date_to_days(v, what)
    if t == "datetime":
        return lambda v: time_to_seconds(v, what)
    if t == "enum":
        table = policy._enum_table(f)

        def enum(v):
            try:
                return table[v]
            except (KeyError, TypeError):
                raise InvalidInput("%s: not a value of enum field %s (%s)"
                                   % (what, f.name, ", ".join(f.values))) from None
        return enum
    if t == "set":
        table = policy._enum_table(f)

        def members(v):
            names = v.replace(";", "|").split("|") if isinstance(v, str) else v
            mask = 0
            try:
                for n in names:
                    n = n.strip() if isinstance(n, str) else n
                    if n == "":
                        continue
                    mask |= 1 << table[n]
            except (KeyError, TypeError):
                raise InvalidInput("%s: not a set of values of %s (%s)"
                                   % (what, f.name, ", ".join(f.values))) from None
            return mask
        return members
    raise InvalidInput("%s: fields of type %s cannot be given as int64 values" % (what, t))


def _as_int64_buffer(values) -> Optional[memoryview]:
    """`values` as a memoryview of int64 when it is such a buffer (array('q'), NumPy)."""
    if isinstance(values, (list, tuple, str, bytes)):
        return None
    try:
        m = memoryview(values)
    except TypeError:
        return None
    if m.ndim == 1 and m.itemsize == 8 and m.format.lstrip("@=<") in ("q", "l") \
            and m.c_contiguous:
        return m
    return None


def _by_table(values: Sequence, n: int, convert) -> Tuple[array, Optional[bytes]]:
    """Convert each distinct value once; None, NaN, NA and NaT are missing."""
    # one pass makes the objects: a pandas Series makes a new NaN object at each pass, and
    # NaN is found again in a dict only as the same object
    values = values if isinstance(values, list) else list(values)
    try:
        distinct = set(values)
    except TypeError:  # unhashable values (lists for sets): one by one
        vals = array("q", bytes(8 * n))
        miss = bytearray(n)  # type: bytearray
        for i, v in enumerate(values):
            if _is_missing(v):
                miss[i] = 1
            else:
                vals[i] = _convert_at(convert, v, i)
        return vals, (bytes(miss) if any(miss) else None)
    table: Dict[Any, int] = {}
    missing: Dict[Any, int] = {}
    for v in distinct:
        if _is_missing(v):
            table[v] = 0
            missing[v] = 1
        else:
            try:
                table[v] = convert(v)
            except (InvalidInput, TypeError) as e:
                _reraise_at(e, values, v)
            missing[v] = 0
    out = array("q", map(table.__getitem__, values))
    return out, (bytes(map(missing.__getitem__, values)) if any(missing.values()) else None)


def _convert_at(convert, v, i):
    try:
        return convert(v)
    except (InvalidInput, TypeError) as e:
        e.args = ("record %d: %s" % (i, e.args[0] if e.args else e),)
        if isinstance(e, InvalidInput):
            e.message = e.args[0]
        raise


def _reraise_at(e: Exception, values: Sequence, v: Any):
    i = next((k for k, x in enumerate(values) if x is v), None)
    if i is None:
        try:
            i = list(values).index(v)
        except (ValueError, TypeError):  # pragma: no cover
            raise e
    msg = "record %d: %s" % (i, getattr(e, "message", None) or (e.args[0] if e.args else e))
    if isinstance(e, InvalidInput):
        e.message = msg
    e.args = (msg,)
    raise e


class Columns:
    """Many records, column by column, converted once into the C arrays of
    ``cpw_evaluate_batch``; reusable for any number of programmes and dates.

    Args:
        policy: the policy whose fields the columns hold.
        data: a dict of columns (field name -> sequence of values: lists, numpy arrays,
            pandas Series), a pandas DataFrame (its columns), or a list of dicts (one per
            record; transposed first).
        ignore_unknown: skip columns that are not fields of the policy (else
            :class:`cpw.NotFound`).

    ``len(columns)`` is the number of records; ``columns.fields`` the fields given;
    ``columns.index`` the DataFrame's index (None for other data).
    """

    def __init__(self, policy: Policy, data, *, ignore_unknown: bool = False, _new=None):
        self.policy = policy
        self._new = _new  # where numpy conversions make their arrays (see _Workspace)
        self.index = None
        rows = None
        if _frames.is_dataframe(data):
            if not data.columns.is_unique:
                raise InvalidInput("the DataFrame has a column name twice")
            columns = {name: data[name] for name in data.columns}
            rows = len(data)
            self.index = data.index
        elif isinstance(data, Mapping):
            columns = data
        elif isinstance(data, (list, tuple)):
            columns = _transpose(data)
            rows = len(data)
        else:
            raise TypeError("records must be a dict of columns, a pandas DataFrame or a list of "
                            "dicts, not %s" % type(data).__name__)
        fields = policy.fields
        n = None
        names: List[str] = []
        renamed: Dict[str, str] = {}
        for name, col in columns.items():
            if isinstance(name, str) and name.startswith(BOM) and name[1:] in fields:
                renamed[name[1:]] = name  # a byte order mark left by a CSV reader
                name = name[1:]
            if name not in fields:
                if ignore_unknown:
                    continue
                if not isinstance(name, str):
                    raise TypeError("column names must be str, not %s" % type(name).__name__)
                raise NotFound("column %s is not a field of the policy (pass "
                               "ignore_unknown=True to skip it)" % name)
            if n is None:
                n = len(col)
            elif len(col) != n:
                raise InvalidInput("column %s has %d values, the others %d"
                                   % (name, len(col), n))
            names.append(name)
        self._n = rows if rows is not None else (n or 0)
        self.fields = names
        self._keep: List[Any] = []
        self._cols = ffi.new("cpw_column[]", max(len(names), 1))
        for i, name in enumerate(names):
            self._fill(i, fields[name], columns[renamed.get(name, name)])

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return "<cpw.Columns %d records: %s>" % (self._n, ", ".join(self.fields))

    def _fill(self, i: int, f: Field, values) -> None:
        c = self._cols[i]
        fname = ffi.new("char[]", f.name.encode("utf-8"))
        self._keep.append(fname)
        c.field = fname
        n = self._n
        if _frames.is_array_like(values):
            fast = _frames.to_int64(values, f.type, f.values, "column %s" % f.name,
                                    self._new)
            if fast is not None:
                vals, miss = fast
                if n:
                    p = ffi.from_buffer("int64_t[]", vals)
                    self._keep += [vals, p]
                    c.values = p
                else:
                    c.values = ffi.NULL
                if miss is not None:
                    m = ffi.from_buffer("uint8_t[]", miss)
                    self._keep += [miss, m]
                    c.missing = m
                return
            values = _frames.to_list(values)
        if f.type == "text":
            texts = ffi.new("const char *[]", max(n, 1))
            for k, v in enumerate(values):
                if not _is_missing(v):
                    if not isinstance(v, str):
                        raise InvalidInput("record %d: column %s is text: a %s is not a str"
                                           % (k, f.name, type(v).__name__))
                    b = ffi.new("char[]", v.encode("utf-8"))
                    self._keep.append(b)
                    texts[k] = b
            self._keep.append(texts)
            c.texts = texts
            return
        miss: Optional[bytes] = None
        vals: Any = None
        if f.type in ("int", "bool"):
            buf = _as_int64_buffer(values)
            if buf is not None:
                vals = buf
            else:
                try:
                    vals = array("q", values)
                except (TypeError, OverflowError):
                    vals = None
        elif f.type == "enum":
            table = self.policy._enum_table(f)
            try:  # indexes < 64 (the language's limit): bytes() is the fastest C loop
                small = bytes(map(table.__getitem__, values))
            except (KeyError, TypeError):
                small = None
            if small is not None and _LITTLE_ENDIAN:
                # widen to int64 in C: each index is the low byte of its 8-byte slot
                wide = bytearray(8 * len(small))
                wide[0::8] = small
                vals = wide
            elif small is not None:
                vals = array("q", list(small))
        if vals is None:
            vals, miss = _by_table(values, n, _converter(self.policy, f))
        if n:
            p = ffi.from_buffer("int64_t[]", vals)
            self._keep += [vals, p]
            c.values = p
        else:
            c.values = ffi.NULL
        if miss is not None:
            m = ffi.from_buffer("uint8_t[]", miss)
            self._keep += [miss, m]
            c.missing = m


class _Workspace:
    """Memory that the numpy conversions of one evaluate_many call on one thread reuse from
    the call before, instead of fresh arrays: the first write to each page of a fresh array
    is a page fault (a few microseconds in a virtual machine), and the int64 columns of
    100,000 records are megabytes. Each array is a slice of one buffer, handed out in order;
    what does not fit is made fresh, and the buffer grows to the whole call's need for the
    next one, up to LIMIT bytes (kept per thread). Only evaluate_many's own, temporary
    Columns use it: nothing made in it outlives the call."""

    LIMIT = 64 << 20
    ALIGN = 64

    def __init__(self):
        self.buf = None
        self.used = 0
        self.busy = False

    def new(self, n: int, dtype):
        import numpy as np
        dtype = np.dtype(dtype)
        start = -(-self.used // self.ALIGN) * self.ALIGN
        end = start + n * dtype.itemsize
        self.used = end
        if self.buf is not None and end <= len(self.buf):
            return self.buf[start:end].view(dtype)
        return np.empty(n, dtype=dtype)

    def done(self) -> None:
        need = self.used
        self.used = 0
        self.busy = False
        if need and (self.buf is None or need > len(self.buf)) and need <= self.LIMIT:
            np = _frames.loaded_numpy()
            if np is not None:
                self.buf = np.empty(need, dtype=np.uint8)
                # touched now, by this call that grew it, rather than page by page by the
                # next one (100,000 records: 1,100 page faults, 20 ms on a loaded machine)
                self.buf.fill(0)


_WORKSPACES = threading.local()


def _workspace() -> Optional[_Workspace]:
    """This thread's workspace, or None while a call on this thread already uses it."""
    ws = getattr(_WORKSPACES, "ws", None)
    if ws is None:
        ws = _WORKSPACES.ws = _Workspace()
    if ws.busy:
        return None
    ws.busy = True
    return ws


def _transpose(rows: Sequence[Mapping]) -> Dict[str, list]:
    keys: Dict[str, None] = {}
    for r in rows:
        if not isinstance(r, Mapping):
            raise TypeError("records must be dicts, not %s" % type(r).__name__)
        for k in r:
            keys[k] = None
    return {k: [r.get(k) for r in rows] for k in keys}


def _run_batch(policy: Policy, program, as_of: int, cols: Columns, services: bool):
    """One cpw_evaluate_batch call: (outcome codes, service masks or None) as cffi arrays."""
    n = len(cols)
    s = policy._scratch()
    out = ffi.new("uint8_t[]", n)
    svc = ffi.new("uint64_t[]", n) if services else ffi.NULL
    rc = lib.cpw_evaluate_batch(s.ctx.ptr, program, as_of, cols._cols, len(cols.fields), n,
                                out, svc)
    if rc < 0:
        raise s.ctx.fail(rc)
    return out, (svc if services else None)


def _service_names(program) -> List[str]:
    return [ffi.string(lib.cpw_program_service(program, j)).decode()
            for j in range(lib.cpw_program_service_count(program))]


def _services_of(program, svc, n: int, np) -> List[Tuple[str, ...]]:
    """Each record's services as a tuple of names (one tuple per distinct set, shared)."""
    names = _service_names(program)
    if not names:
        return [()] * n

    def names_of(m: int) -> Tuple[str, ...]:
        return tuple(nm for j, nm in enumerate(names) if (m >> j) & 1)
    if np is not None:
        masks = np.frombuffer(ffi.buffer(svc, 8 * n), dtype=np.uint64)
        if len(names) <= 16:  # a table indexed by the mask itself: no sort
            idx = masks.astype(np.intp)
            table = np.empty(1 << len(names), dtype=object)
            for m in np.flatnonzero(np.bincount(idx, minlength=len(table))).tolist():
                table[m] = names_of(m)
            return table[idx].tolist()
        distinct, inverse = np.unique(masks, return_inverse=True)
        table = np.empty(len(distinct), dtype=object)
        for k, m in enumerate(distinct.tolist()):
            table[k] = names_of(m)
        return table[inverse].tolist()
    cache: Dict[int, Tuple[str, ...]] = {}
    for m in set(ffi.unpack(svc, n)):
        cache[m] = names_of(m)
    return list(map(cache.__getitem__, ffi.unpack(svc, n)))


def evaluate_columns(policy: Policy, program, as_of: int, cols: Columns, services: bool):
    """A list of outcome names, or of (outcome, services) pairs, from one batch call. With
    numpy loaded the outcome codes become names by one numpy take, else by map() in C."""
    n = len(cols)
    if n == 0:
        return []
    out, svc = _run_batch(policy, program, as_of, cols, services)
    np = _frames.loaded_numpy()
    if np is not None:
        outcomes = _outcome_names(np, out, n, cols._new).tolist()
    else:
        outcomes = list(map(OUTCOMES.__getitem__, ffi.buffer(out, n)[:]))
    if not services:
        return outcomes
    names = _services_of(program, svc, n, np)
    return _gc_paused(lambda: list(zip(outcomes, map(list, names))))


def _gc_paused(make):
    """make(), which builds one container object per record in a loop of C code (map, zip),
    with the cyclic garbage collector paused: otherwise it runs a collection every 700 new
    objects, promotes them all, and soon traverses the whole heap (in a process holding a
    million objects, 100,000 lists took 6x as long). make() runs no Python code, so no
    other thread runs while the collector is paused (the GIL is held throughout)."""
    if not gc.isenabled():
        return make()
    gc.disable()
    try:
        return make()
    finally:
        gc.enable()


_OUTCOME_ARRAYS: Dict[int, Any] = {}


def _outcome_array(np):
    """OUTCOMES as a numpy object array, indexed by outcome code (made once)."""
    a = _OUTCOME_ARRAYS.get(id(np))
    if a is None:
        a = np.empty(256, dtype=object)  # any byte indexes it; the library gives 0..3
        a[:] = "error"
        for i, name in enumerate(OUTCOMES):
            a[i] = name
        _OUTCOME_ARRAYS[id(np)] = a
    return a


def _outcome_names(np, out, n: int, new=None):
    """The n outcome codes of `out` as an object array of their names, by one numpy take.
    The codes are widened to intp first, in new(n, intp) (the call's workspace: a fresh
    array of 100,000 was 195 page faults a call, as malloc gave it back to the system each
    time): numpy indexes with intp, and casts any other index in small buffered chunks (for
    uint8 indexes that made the take about 2x slower than the widening and the take)."""
    codes = (new or _frames._fresh)(n, np.intp)
    np.copyto(codes, np.frombuffer(ffi.buffer(out, n), dtype=np.uint8))
    return _outcome_array(np)[codes]


def _object_array(np, items: list, n: int):
    """A list of n Python objects (lists, say) as a 1-d object array, each element as it is
    (numpy's setitem from a list of lists looks into each list, and is slow)."""
    try:
        return np.fromiter(items, dtype=object, count=n)
    except (TypeError, ValueError):  # numpy < 1.23: no object arrays from fromiter
        a = np.empty(n, dtype=object)
        for i, x in enumerate(items):
            a[i] = x
        return a


def frame_of_batch(policy: Policy, program, as_of: int, cols: Columns, services: bool = True):
    """The batch's outcomes (and services) as a DataFrame on the input's index: the outcome
    names by one numpy take; the services, a new list of names per row, cost a list each."""
    import numpy as np
    import pandas as pd
    n = len(cols)
    data = {}
    if n:
        out, svc = _run_batch(policy, program, as_of, cols, services)
        data["outcome"] = _outcome_names(np, out, n, cols._new)
        if services:
            names = _services_of(program, svc, n, np)
            lists = _gc_paused(lambda: list(map(list, names)))
            data["services"] = _object_array(np, lists, n)
    else:
        data["outcome"] = np.empty(0, dtype=object)
        if services:
            data["services"] = np.empty(0, dtype=object)
    return pd.DataFrame(data, index=cols.index, copy=False)


def decide_columns(policy: Policy, program, program_id: str, as_of: int, cols: Columns,
                   explain: bool = True) -> List[Any]:
    """One full :class:`cpw.Decision` per record of `cols` (missing facts, services, benefits,
    the explanation): each record is set from the converted columns and evaluated on its
    own, so this costs a C call per value given."""
    n = len(cols)
    s = policy._scratch()
    rec, dec, ctx = s.record, s.decision, s.ctx
    fields = policy.fields
    setters = []
    for i, name in enumerate(cols.fields):
        f = fields[name]
        c = cols._cols[i]
        names = [ffi.new("char[]", v.encode("utf-8")) for v in f.values]
        cols._keep.append(names)
        setters.append((f.type, c.field, c, names))
    flags = lib.CPW_EVAL_EXPLAIN if explain else 0
    out = []
    for k in range(n):
        lib.cpw_record_clear(rec)
        for t, fname, c, names in setters:
            if c.missing != ffi.NULL and c.missing[k]:
                continue
            if t == "text":
                p = c.texts[k]
                rc = lib.cpw_record_set_text(rec, fname, p) if p != ffi.NULL else 0
            elif t == "bool":
                rc = lib.cpw_record_set_bool(rec, fname, c.values[k])
            elif t == "int":
                rc = lib.cpw_record_set_int(rec, fname, c.values[k])
            elif t == "money":
                rc = lib.cpw_record_set_money(rec, fname, c.values[k])
            elif t == "date":
                rc = lib.cpw_record_set_date(rec, fname, c.values[k])
            elif t == "datetime":
                rc = lib.cpw_record_set_datetime(rec, fname, c.values[k])
            elif t == "enum":
                v = c.values[k]
                if not 0 <= v < len(names):
                    raise InvalidInput("record %d: column %s: value out of range for an enum "
                                       "field" % (k, str_of(fname)))
                rc = lib.cpw_record_set_enum(rec, fname, names[v])
            else:  # set: a bit mask of value indexes
                m = c.values[k]
                member = [names[j] for j in range(len(names)) if (m >> j) & 1]
                arr = ffi.new("const char *[]", member) if member else ffi.NULL
                rc = lib.cpw_record_set_members(rec, fname, arr, len(member))
            if rc < 0:
                e = ctx.fail(rc)
                e.message = "record %d: %s" % (k, e.message)
                e.args = (e.message,)
                raise e
        rc = lib.cpw_evaluate(dec, program, rec, as_of, flags)
        error = None
        if rc < 0:
            if lib.cpw_decision_outcome(dec) != lib.CPW_OUTCOME_ERROR:
                raise ctx.fail(rc)
            error = str_of(lib.cpw_ctx_last_error(ctx.ptr).message)
        out.append(_read_decision(policy, program_id, dec, explain, error))
    return out


def benefit_text(b: Benefit) -> str:
    """A benefit as `cpw eval` writes it: "child_benefit:200.00:monthly"."""
    return "%s:%s:%s" % (b.name, b.amount, b.period)


def frame_of(cols: Columns, decisions):
    """Full decisions as a pandas DataFrame on the input's index."""
    import pandas as pd
    data = {
        "outcome": [d.outcome for d in decisions],
        "missing": [list(d.missing) for d in decisions],
        "services": [list(d.services) for d in decisions],
        "benefits": [[benefit_text(b) for b in d.benefits] for d in decisions],
        "explanation": [d.explain() or (d.error or "") for d in decisions],
    }
    return pd.DataFrame(data, index=cols.index)


def evaluate_many(policy: Policy, program: Any, records: Any, as_of: Any = None, *,
                  services: Optional[bool] = None, ignore_unknown: bool = False,
                  explain: Optional[bool] = None) -> Any:
    """:meth:`cpw.Policy.evaluate_many` (its documentation says what it takes and gives)."""
    if isinstance(records, Columns):
        return _evaluate(policy, program, records, as_of, services, explain, False)
    ws = _workspace()
    try:
        cols = Columns(policy, records, ignore_unknown=ignore_unknown,
                       _new=ws.new if ws is not None else None)
        return _evaluate(policy, program, cols, as_of, services, explain,
                         _frames.is_dataframe(records))
    finally:
        if ws is not None:
            ws.done()


def _evaluate(policy: Policy, program: Any, cols: Columns, as_of: Any,
              services: Optional[bool], explain: Optional[bool], frame: bool) -> Any:
    if cols.policy is not policy:
        raise InvalidInput("the columns were made for another policy")
    prog = policy._program_ptr(program)
    pid = program.id if isinstance(program, Program) else program
    day = policy._as_of(as_of)
    if frame:
        if explain is None or explain:
            return frame_of(cols, decisions=decide_columns(policy, prog, pid, day, cols))
        return frame_of_batch(policy, prog, day, cols, services is not False)
    if explain:
        return decide_columns(policy, prog, pid, day, cols)
    return evaluate_columns(policy, prog, day, cols, bool(services))


_ENGINES["Columns"] = Columns
_ENGINES["evaluate_many"] = evaluate_many
