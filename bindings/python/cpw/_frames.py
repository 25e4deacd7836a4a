# SPDX-License-Identifier: Apache-2.0
"""numpy arrays and pandas columns as the int64 columns of ``cpw_evaluate_batch``.

Neither library is imported unless the caller passes one of its objects. A column whose dtype
says what its values are (bool, int, unsigned, float, datetime64 naive or with a time zone,
pandas' nullable Int/boolean/Float, categorical, numpy str for enums) is converted with numpy
operations, no Python code per value; NaN, pd.NA, NaT and the masked entries of a numpy masked
array are missing. The cost per value is one or a few passes of numpy over the column:

* int64 (native byte order, contiguous): none, the array itself is handed to C;
* bool, other ints, ``datetime64[D]``: one cast (``datetime64[D]`` counts days since
  1970-01-01, as ``cpw_date`` does);
* categorical (enum field): a table from the categories to the field's values, then one take;
* numpy str (``<U``, enum field): the characters narrowed and read as 64-bit words; a hash
  of the first word (a table of a few slots) names the one value a row can be, and the row
  is compared with it in full (exact: a row that is no value is refused, whatever its hash);
* object and pandas ``string`` columns of enum names: one dict lookup per value, made in C
  (``map``), then one cast.

Other object columns are handed back as lists of Python objects for the value-by-value path of
:mod:`cpw.batch`. Messages name the record (its position, 0 for the first row, whatever the
index) and the column, and say what is wrong; they never quote a value.
"""
from __future__ import annotations

import functools
import sys
from typing import Any, Callable, List, Optional, Sequence, Tuple

from ._common import DATE_MAX, DATE_MIN, is_missing
from .errors import InvalidInput

__all__ = ["is_dataframe", "is_array_like", "to_list", "to_int64", "loaded_numpy"]

_INT64_MAX = 2 ** 63 - 1
_MISSING = 255  # enum codes of object columns, as bytes: a missing value
_NOT_A_VALUE = 254  # a value that is not one of the field's


def _module(obj: Any) -> str:
    return type(obj).__module__ or ""


def loaded_numpy():
    """numpy when something has imported it already (never imported here), else None."""
    return sys.modules.get("numpy")


def is_dataframe(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame" and _module(obj).startswith("pandas")


def is_array_like(obj: Any) -> bool:
    """A numpy array or a pandas Series, Index or array (an object with a dtype)."""
    m = _module(obj)
    return (m.startswith("numpy") or m.startswith("pandas")) and hasattr(obj, "dtype")


def to_list(values: Any) -> List[Any]:
    """The values as a list of Python objects (NaN, None, pd.NA, NaT kept as they are)."""
    if hasattr(values, "tolist"):
        return values.tolist()
    return list(values)


def _fail(what: str, index: int, problem: str) -> InvalidInput:
    return InvalidInput("record %d: %s: %s" % (index, what, problem))


def _first(mask) -> int:
    import numpy as np
    return int(np.flatnonzero(mask)[0])


def _prepare(values: Any):
    """(numpy array, missing mask or None, kind, category names or None, tz_aware) for a
    numpy or pandas column; kind is numpy's ('b', 'i', 'u', 'f', 'M', 'U', 'O', ...) or
    'category'. Object columns come back as object arrays, their mask not computed. A
    numpy masked array's masked entries are missing (their data is never read as values)."""
    import numpy as np
    if isinstance(values, np.ma.MaskedArray):
        masked = np.ma.getmaskarray(values)
        arr, mask, kind, cats, aware = _prepare(np.ma.getdata(values))
        if masked.any():
            mask = masked if mask is None else (mask | masked)
            if kind == "O":  # read value by value: the masked ones as None
                arr = arr.copy()
                arr[masked] = None
                mask = None
        return arr, mask, kind, cats, aware
    dtype = values.dtype
    if isinstance(dtype, np.dtype):  # a numpy array, or a pandas column held by one
        arr = values if isinstance(values, np.ndarray) else values.to_numpy()
        arr = np.asarray(arr)
        kind = arr.dtype.kind
        mask = None
        if kind == "f":
            mask = np.isnan(arr)
        elif kind in "mM":
            mask = np.isnat(arr)
        if mask is not None and not mask.any():
            mask = None
        return arr, mask, kind, None, False
    name = str(dtype)
    if name == "category":  # codes, -1 for missing
        codes = values.cat.codes if hasattr(values, "cat") else values.codes
        codes = np.asarray(codes)
        cats = list(dtype.categories)
        return codes, None, "category", cats, False
    if name.startswith("datetime64[") and "," in name:  # pandas: datetime64[ns, tz]
        if not hasattr(values, "dt"):
            import pandas as pd
            values = pd.Series(values)
        mask = np.asarray(values.isna())
        utc = values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        return utc, (mask if mask.any() else None), "M", None, True
    # pandas extension arrays: nullable Int/boolean/Float, string, ...
    kind = getattr(dtype, "kind", "O")
    mask = np.asarray(values.isna()) if hasattr(values, "isna") else None
    if mask is not None and not mask.any():
        mask = None
    if kind in "biu":  # nullable Int64/boolean: as their numpy dtype (to_numpy() alone
        # gives Python objects), the missing slots filled with 0
        target = np.dtype(getattr(dtype, "numpy_dtype", None) or
                          (np.uint64 if kind == "u" else np.int64))
        arr = values.to_numpy(dtype=target, na_value=target.type(0)) if mask is not None \
            else values.to_numpy(dtype=target)
    elif kind == "f":
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    elif kind == "M":
        arr = values.to_numpy()
    else:
        return np.asarray(values.to_numpy(dtype=object)), None, "O", None, False
    return np.asarray(arr), mask, kind, None, False


def _fresh(n: int, dtype):
    import numpy as np
    return np.empty(n, dtype=dtype)


def to_int64(values: Any, ftype: str, field_values: Tuple[str, ...], what: str,
             new: Optional[Callable[[int, Any], Any]] = None
             ) -> Optional[Tuple[Any, Optional[Any]]]:
    """The column as (C-contiguous int64 numpy array, uint8 missing mask or None), or None
    when its values are Python objects the caller reads one by one. `new(n, dtype)` gives
    the arrays the result and the larger temporaries are made in (default: np.empty); the
    result may also be `values`' own array (int64 in native order, contiguous)."""
    import numpy as np
    new = new or _fresh
    if ftype in ("text", "set"):
        return None
    arr, mask, kind, cats, aware = _prepare(values)

    if kind == "category":
        if ftype != "enum":
            return None  # categories of numbers or dates: value by value
        return _enum_from_categories(np, arr, cats, field_values, what, new)
    if kind == "U":
        if ftype != "enum":
            return None  # numbers or dates as text: value by value
        return _enum_from_str_array(np, arr, field_values, what, new, mask)
    if kind == "O":
        if ftype != "enum":
            return None
        return _enum_from_objects(np, arr, field_values, what, new)
    if ftype == "enum":
        return None  # numbers for an enum: value by value (refused there)

    if kind == "M":
        return _from_datetime64(np, arr, mask, ftype, aware, what, new)
    if kind not in "biuf":
        return None
    if ftype in ("date", "datetime"):
        raise InvalidInput("%s is a %s field: a column of numbers does not fit (give dates "
                           "as datetime64, datetime.date or YYYY-MM-DD)" % (what, ftype))

    def at(cond):  # cond where a value is given
        return cond if mask is None else cond & ~mask

    if kind == "f":
        safe = arr if mask is None else np.where(mask, 0.0, arr)
        if ftype == "money":
            cents = np.round(safe * 100.0)
            bad = at(~np.isfinite(safe) | (np.abs(safe * 100.0 - cents) > 1e-6 *
                                           np.maximum(1.0, np.abs(cents))))
            if bad.any():
                raise _fail(what, _first(bad), "an amount in GEL has at most 2 decimals")
            big = at(np.abs(cents) >= 2.0 ** 62)
            if big.any():
                raise _fail(what, _first(big), "an amount out of range")
            return _int64(np, cents, new), _mask(np, mask)
        bad = at(~np.isfinite(safe) | (safe != np.floor(safe)))
        if bad.any():
            raise _fail(what, _first(bad), "not a whole number")
        big = at(np.abs(safe) >= 2.0 ** 63)
        if big.any():
            raise _fail(what, _first(big), "a number out of range")
        out = safe.astype(np.int64)
    else:
        if kind == "u" and arr.dtype.itemsize == 8:
            big = at(arr > _INT64_MAX)
            if big.any():
                raise _fail(what, _first(big), "a number out of range")
        out = arr if mask is None else np.where(mask, 0, arr)
        if kind == "b":
            out = out.view(np.uint8) if out.dtype.itemsize == 1 else out
            if ftype == "bool":  # 0 and 1 already: nothing to check
                return _int64(np, out, new), _mask(np, mask)
    if ftype == "money":
        big = at(np.abs(out) > _INT64_MAX // 100)
        if big.any():
            raise _fail(what, _first(big), "an amount out of range")
        res = new(len(out), np.int64)
        np.multiply(out, 100, out=res, dtype=np.int64, casting="unsafe")
        return res, _mask(np, mask)
    if ftype == "bool":
        # one unsigned comparison: negatives wrap to huge values
        bad = at(out.view(out.dtype.str.replace("i", "u")) > 1)
        if bad.any():
            raise _fail(what, _first(bad), "a bool is true or false (1 or 0)")
    return _int64(np, out, new), _mask(np, mask)


def _int64(np, a, new):
    """`a` as a C-contiguous native int64 array: the same array when it is one already,
    else a copy made in new(n, int64)."""
    if a.dtype == np.int64 and a.dtype.isnative and a.flags.c_contiguous:
        return a
    out = new(len(a), np.int64)
    np.copyto(out, a, casting="unsafe")
    return out


def _mask(np, mask):
    if mask is None or not mask.any():
        return None
    return np.ascontiguousarray(mask).view(np.uint8)


def _from_datetime64(np, arr, mask, ftype: str, aware: bool, what: str, new):
    unit = np.datetime_data(arr.dtype)[0]
    if ftype == "date":
        if aware:
            raise InvalidInput("%s: expected dates, got times with a time zone (use "
                               ".dt.tz_convert(...).dt.normalize() or .dt.date)" % what)
        if unit == "D":  # days since 1970-01-01 already, as cpw_date counts them
            out = arr.view(np.int64)
            if mask is not None:
                out = np.where(mask, 0, out)
        else:
            safe = arr if mask is None else np.where(mask, np.datetime64(0, unit), arr)
            days = safe.astype("datetime64[D]")
            timed = days.astype(arr.dtype) != safe
            if timed.any():
                raise _fail(what, _first(timed), "expected a date, got a datetime64 with a "
                                                 "time of day")
            out = days.view(np.int64)
        rng = (out < DATE_MIN) | (out > DATE_MAX)
        if mask is not None:
            rng &= ~mask
        if rng.any():
            raise _fail(what, _first(rng), "a date out of range (years 1 to 9999)")
        return _int64(np, out, new), _mask(np, mask)
    if ftype == "datetime":
        if not aware:
            raise InvalidInput("%s: naive datetime64 values have no time zone, so the "
                               "instants they mean are ambiguous; tz_localize() the column "
                               "(e.g. .dt.tz_localize('Asia/Tbilisi'))" % what)
        safe = arr if mask is None else np.where(mask, np.datetime64(0, unit), arr)
        secs = safe.astype("datetime64[s]").view(np.int64)
        return _int64(np, secs, new), _mask(np, mask)
    raise InvalidInput("%s is a%s %s field: a datetime64 column does not fit"
                       % (what, "n" if ftype[0] in "aeiou" else "", ftype))


def _enum_error(what: str, index: int, field_values: Sequence[str]) -> InvalidInput:
    return _fail(what, index, "not a value of enum field (%s)" % ", ".join(field_values))


def _enum_from_categories(np, codes, cats, field_values, what, new):
    """pandas categorical codes (-1: missing) through a table category -> value index."""
    index = {v: i for i, v in enumerate(field_values)}
    lookup = np.full(len(cats) + 1, -1, dtype=np.int64)
    for i, c in enumerate(cats):
        lookup[i] = index.get(c, -1)
    out = new(len(codes), np.int64)
    np.take(lookup, codes, out=out, mode="wrap")  # code -1 picks the last slot: -1
    missing = codes < 0
    bad = (out < 0) & ~missing
    if bad.any():
        raise _enum_error(what, _first(bad), field_values)
    if missing.any():
        out[missing] = 0
        return out, missing.view(np.uint8)
    return out, None


_HASH_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                     0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53)


def _row_words(np, chars, size: int, new=_fresh):
    """Rows of characters (n, w) as 64-bit words covering every byte of each row, the
    characters narrowed to `size` bytes each (the caller checked they fit), so that two rows
    are equal exactly when all their words are. The words are strided views into one buffer
    of the narrowed rows (little-endian reads, so the first byte is the low one): a row of 8
    bytes or more is read at offsets 0, 8, ... and its last 8 bytes (which may overlap the
    word before); a shorter row is read as one word, masked to its bytes."""
    n, w = chars.shape
    length = w * size
    if size == 4 and length >= 8:
        buf = chars.reshape(-1).view(np.uint8)
    else:  # narrowed into one buffer, with 8 bytes of slack for the reads of short rows
        buf = new(n * length + 8, np.uint8)
        buf[n * length:] = 0
        narrow = buf[:n * length].view({1: np.uint8, 2: np.uint16, 4: np.uint32}[size])
        np.copyto(narrow.reshape(n, w), chars, casting="unsafe")
    le64 = np.dtype("<u8")
    if length < 8:
        word = np.ndarray((n,), dtype=le64, buffer=buf, offset=0, strides=(length,))
        return [word & np.uint64((1 << (8 * length)) - 1)]
    offsets = list(range(0, length - 7, 8))
    if length % 8:
        offsets.append(length - 8)
    return [np.ndarray((n,), dtype=le64, buffer=buf, offset=o, strides=(length,))
            for o in offsets]


_LOW_BITS_MAX = 10  # a table of at most 1024 slots (8 KiB: in L1) indexed by a word's low bits


def _slots(np, keys, k: int):
    """A hash (multiplier, arg, bits) under which the k candidate keys fall in distinct
    slots of a table of 2**bits, or None: the keys' low bits alone when at most
    _LOW_BITS_MAX of them tell the keys apart (multiplier None, arg the mask: one AND a
    row), else a multiplicative hash (arg the shift: a multiplication and a shift a row)."""
    base = max(1, (k - 1).bit_length())
    for bits in range(base, _LOW_BITS_MAX + 1):
        if len(np.unique(keys & np.uint64((1 << bits) - 1))) == k:
            return None, np.uint64((1 << bits) - 1), bits
    for bits in range(base, base + 5):
        shift = np.uint64(64 - bits)
        for a in _HASH_MULTIPLIERS:
            s = (keys * np.uint64(a)) >> shift
            if len(np.unique(s)) == k:
                return np.uint64(a), shift, bits
    return None


@functools.lru_cache(maxsize=256)
def _str_values(field_values: Tuple[str, ...], nchars: int, size: int):
    """What _enum_from_str_array needs of a field's values for columns of `nchars`
    characters narrowed to `size` bytes (made once per field, width and size): the words of
    each value (indexed by value index; zeros for values that cannot appear), the indexes of
    those that can, and the hash (multiplier or None, shift or mask, table slot -> value
    index; see _slots) or None when no hash of the first words separates them."""
    import numpy as np
    cand = [i for i, v in enumerate(field_values)
            if 0 < len(v) <= nchars and max(map(ord, v)) < (1 << (8 * size))]
    vchars = np.zeros((len(field_values), nchars), dtype=np.uint32)
    for i in cand:
        v = field_values[i]
        vchars[i, :len(v)] = [ord(c) for c in v]
    vwords = [np.array(w) for w in _row_words(np, vchars, size)]  # copies, kept
    for w in vwords:
        w.flags.writeable = False  # shared by every call (cached)
    if not cand:
        return vwords, cand, None
    found = _slots(np, vwords[0][cand], len(cand))
    if found is None:
        return vwords, cand, None
    mult, arg, bits = found
    table = np.full(1 << bits, cand[0], dtype=np.int64)  # an empty slot: any value (fails)
    keys = vwords[0][cand]
    table[((keys & arg) if mult is None else ((keys * mult) >> arg)).astype(np.intp)] = cand
    table.flags.writeable = False
    return vwords, cand, (mult, arg, table)


def _enum_from_str_array(np, arr, field_values, what, new, mask=None):
    """A numpy str column (<U) looked up in the field's values, exactly and without a Python
    loop per value. Each row's code points are narrowed to the smallest width that holds them
    all and read as 64-bit words; a hash of the first word (its low bits, or a multiplicative
    hash) picks the one value the row can be (a table of 2**bits slots), then every word of
    the row is compared with that value's. An empty string is not a value (a numpy str array
    has no missing value); the rows `mask` marks (a masked array's) are missing, their
    contents never compared."""
    n = len(arr)
    nchars = arr.dtype.itemsize // 4
    if n == 0:
        return np.zeros(0, dtype=np.int64), None
    if mask is not None and mask.all():
        out = new(n, np.int64)
        out.fill(0)
        return out, _mask(np, mask)
    if nchars == 0:
        raise _enum_error(what, _first_given(np, mask), field_values)
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    chars = np.ascontiguousarray(arr).view(np.uint32).reshape(n, nchars)
    if mask is not None:  # a masked row may hold anything: read as an empty string
        chars = np.where(mask[:, None], np.uint32(0), chars)
    top = int(chars.max())
    size = 1 if top < 0x100 else 2 if top < 0x10000 else 4
    vwords, cand, hashed = _str_values(tuple(field_values), nchars, size)
    if not cand:
        raise _enum_error(what, _first_given(np, mask), field_values)
    words = _row_words(np, chars, size, new)
    if hashed is not None:  # few fresh arrays: each is a page fault per 4 KiB the first time
        mult, arg, table = hashed
        tmp = new(n, np.uint64)
        if mult is None:  # the low bits: arg is the mask
            np.bitwise_and(words[0], arg, out=tmp)
        else:  # multiplicative: arg is the shift
            np.multiply(words[0], mult, out=tmp)
            np.right_shift(tmp, arg, out=tmp)
        out = new(n, np.int64)
        # mode "wrap", numpy's fastest take ("clip" tests each index): the slots are below
        # the table's length, the table's entries below the number of values
        np.take(table, tmp.view(np.int64), out=out, mode="wrap")
        np.take(vwords[0], out, out=tmp, mode="wrap")
        ok = new(n, np.bool_)
        np.equal(words[0], tmp, out=ok)
        if len(words) > 1:
            eq = new(n, np.bool_)
            for w, vw in zip(words[1:], vwords[1:]):
                np.take(vw, out, out=tmp, mode="wrap")
                np.equal(w, tmp, out=eq)
                ok &= eq
    else:  # values that share their first characters: one comparison per value
        out = new(n, np.int64)
        out.fill(0)
        ok = np.zeros(n, dtype=bool)
        for i in cand:
            eq = words[0] == vwords[0][i]
            for w, vw in zip(words[1:], vwords[1:]):
                eq &= w == vw[i]
            out[eq] = i
            ok |= eq
    if mask is not None:
        ok |= mask
        out[mask] = 0
    if not ok.all():
        raise _enum_error(what, _first(~ok), field_values)
    return out, _mask(np, mask)


def _first_given(np, mask) -> int:
    """The position of the first row not marked missing."""
    return 0 if mask is None else _first(~mask)


def _enum_from_objects(np, arr, field_values, what, new):
    """An object column of enum names (str; None, NaN, pd.NA, NaT missing): one dict lookup
    per value, made in C by map() into bytes, then one cast to int64."""
    if len(field_values) >= _NOT_A_VALUE:
        return None  # not in a byte: value by value
    values = arr.tolist()
    table = {v: i for i, v in enumerate(field_values)}
    try:
        codes = bytes(map(table.__getitem__, values))
    except (KeyError, TypeError):
        codes = None
    if codes is None:
        # the missing markers that are singletons, then whatever is left one by one
        table[None] = _MISSING
        for marker in _missing_singletons():
            table[marker] = _MISSING
        try:
            codes = bytes(map(table.__getitem__, values))
        except (KeyError, TypeError):
            codes = bytes(map(lambda v: _code_of(table, v), values))
    c = np.frombuffer(codes, dtype=np.uint8)
    if c.max(initial=0) >= _NOT_A_VALUE:
        bad = c == _NOT_A_VALUE
        if bad.any():
            raise _enum_error(what, _first(bad), field_values)
        missing = c == _MISSING
        out = _int64(np, c, new)
        out[missing] = 0
        return out, missing.view(np.uint8)
    return _int64(np, c, new), None


def _code_of(table, v) -> int:
    try:
        return table[v]
    except (KeyError, TypeError):
        return _MISSING if is_missing(v) else _NOT_A_VALUE


def _missing_singletons():
    out = []
    np = sys.modules.get("numpy")
    if np is not None:
        out.append(np.nan)
    pd = sys.modules.get("pandas")
    if pd is not None:
        out += [pd.NA, pd.NaT]
    return out
