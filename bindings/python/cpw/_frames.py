"""numpy arrays and pandas columns as the int64 columns of ``cpw_evaluate_batch``.

Neither library is imported unless the caller passes one of its objects. A column whose dtype
says what its values are (bool, int, unsigned, float, datetime64 naive or with a time zone,
pandas' nullable Int/boolean/Float, categorical) is converted with numpy operations, no
Python code per value; NaN, pd.NA and NaT are missing. Other columns (object, string) are
handed back as lists of Python objects for the value-by-value path of :mod:`cpw.batch`.

Messages name the record (its position, 0 for the first row, whatever the index) and the
column, and say what is wrong; they never quote a value.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ._common import DATE_MAX, DATE_MIN
from .errors import InvalidInput

__all__ = ["is_dataframe", "is_array_like", "to_list", "to_int64"]

_INT64_MAX = 2 ** 63 - 1


def _module(obj: Any) -> str:
    return type(obj).__module__ or ""


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
    numpy or pandas column; kind is numpy's ('b', 'i', 'u', 'f', 'M', 'O', ...)."""
    import numpy as np
    dtype = values.dtype
    name = str(dtype)
    if name == "category":  # codes, -1 for missing
        codes = values.cat.codes if hasattr(values, "cat") else values.codes
        codes = np.asarray(codes, dtype=np.int64)
        cats = [c for c in dtype.categories]
        return codes, (codes < 0), "category", cats, False
    if name.startswith("datetime64[") and "," in name:  # pandas: datetime64[ns, tz]
        if not hasattr(values, "dt"):
            import pandas as pd
            values = pd.Series(values)
        mask = np.asarray(values.isna())
        utc = values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        return utc, (mask if mask.any() else None), "M", None, True
    if _module(values).startswith("pandas"):
        kind = getattr(dtype, "kind", "O")
        mask = np.asarray(values.isna()) if hasattr(values, "isna") else None
        if mask is not None and not mask.any():
            mask = None
        if kind in "biu":  # nullable Int64/boolean: fill the missing slots first
            arr = values.to_numpy(dtype=np.int64 if kind != "u" else np.uint64,
                                  na_value=0) if mask is not None else values.to_numpy()
        elif kind == "f":
            arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
        elif kind == "M":
            arr = values.to_numpy()
        else:
            return None, None, "O", None, False
        return np.asarray(arr), mask, kind, None, False
    arr = np.asarray(values)
    kind = arr.dtype.kind
    mask = None
    if kind == "f":
        mask = np.isnan(arr)
    elif kind == "M":
        mask = np.isnat(arr)
    if mask is not None and not mask.any():
        mask = None
    return arr, mask, kind, None, False


def to_int64(values: Any, ftype: str, field_values: Tuple[str, ...], what: str
             ) -> Optional[Tuple[Any, Optional[Any]]]:
    """The column as (int64 numpy array, uint8 missing mask or None), or None when its dtype
    holds Python objects (the caller reads them one by one)."""
    import numpy as np
    if ftype in ("text", "set"):
        return None
    arr, mask, kind, cats, aware = _prepare(values)
    if kind == "O" or arr is None:
        return None
    present = ~mask if mask is not None else np.ones(len(arr), dtype=bool)

    if kind == "category":
        if ftype != "enum":
            return None  # categories of numbers or dates: value by value
        index = {v: i for i, v in enumerate(field_values)}
        lookup = np.full(len(cats) + 1, -1, dtype=np.int64)
        for i, c in enumerate(cats):
            lookup[i] = index.get(c, -1)
        out = lookup[arr]  # code -1 picks the last slot: -1, and it is masked
        bad = present & (out < 0)
        if bad.any():
            raise _fail(what, _first(bad), "not a value of enum field (%s)"
                        % ", ".join(field_values))
        out = np.where(present, out, 0)
        return np.ascontiguousarray(out, dtype=np.int64), _mask(mask)

    if ftype == "enum":
        return None  # names as strings: value by value

    if kind == "M":
        if ftype == "date":
            if aware:
                raise InvalidInput("%s: expected dates, got times with a time zone (use "
                                   ".dt.tz_convert(...).dt.normalize() or .dt.date)" % what)
            safe = np.where(present, arr, np.datetime64(0, "ns").astype(arr.dtype))
            days = safe.astype("datetime64[D]")
            timed = present & (days.astype(arr.dtype) != safe)
            if timed.any():
                raise _fail(what, _first(timed), "expected a date, got a datetime64 with a "
                                                 "time of day")
            out = days.astype(np.int64)
            out = np.where(present, out, 0)
            rng = present & ((out < DATE_MIN) | (out > DATE_MAX))
            if rng.any():
                raise _fail(what, _first(rng), "a date out of range (years 1 to 9999)")
            return np.ascontiguousarray(out, dtype=np.int64), _mask(mask)
        if ftype == "datetime":
            if not aware:
                raise InvalidInput("%s: naive datetime64 values have no time zone, so the "
                                   "instants they mean are ambiguous; tz_localize() the column "
                                   "(e.g. .dt.tz_localize('Asia/Tbilisi'))" % what)
            safe = np.where(present, arr, np.datetime64(0, "ns").astype(arr.dtype))
            secs = safe.astype("datetime64[s]").astype(np.int64)
            return np.ascontiguousarray(np.where(present, secs, 0), dtype=np.int64), _mask(mask)
        raise InvalidInput("%s is a%s %s field: a datetime64 column does not fit"
                           % (what, "n" if ftype[0] in "aeiou" else "", ftype))

    if kind not in "biuf":
        return None
    if ftype in ("date", "datetime"):
        raise InvalidInput("%s is a %s field: a column of numbers does not fit (give dates "
                           "as datetime64, datetime.date or YYYY-MM-DD)" % (what, ftype))

    if kind == "f":
        safe = np.where(present, arr, 0.0)
        if ftype == "money":
            cents = np.round(safe * 100.0)
            bad = present & (~np.isfinite(safe) | (np.abs(safe * 100.0 - cents) > 1e-6 *
                                                    np.maximum(1.0, np.abs(cents))))
            if bad.any():
                raise _fail(what, _first(bad), "an amount in GEL has at most 2 decimals")
            big = present & (np.abs(cents) >= 2.0 ** 62)
            if big.any():
                raise _fail(what, _first(big), "an amount out of range")
            out = cents.astype(np.int64)
        else:
            bad = present & (~np.isfinite(safe) | (safe != np.floor(safe)))
            if bad.any():
                raise _fail(what, _first(bad), "not a whole number")
            big = present & (np.abs(safe) >= 2.0 ** 63)
            if big.any():
                raise _fail(what, _first(big), "a number out of range")
            out = safe.astype(np.int64)
    elif kind == "u":
        big = present & (arr > _INT64_MAX)
        if big.any():
            raise _fail(what, _first(big), "a number out of range")
        out = np.where(present, arr, 0).astype(np.int64)
    else:
        out = np.where(present, arr, 0).astype(np.int64)
    if ftype == "money" and kind != "f":
        big = present & (np.abs(out) > _INT64_MAX // 100)
        if big.any():
            raise _fail(what, _first(big), "an amount out of range")
        out = out * 100
    if ftype == "bool":
        bad = present & (out != 0) & (out != 1)
        if bad.any():
            raise _fail(what, _first(bad), "a bool is true or false (1 or 0)")
    return np.ascontiguousarray(out, dtype=np.int64), _mask(mask)


def _mask(mask):
    import numpy as np
    if mask is None or not mask.any():
        return None
    return np.ascontiguousarray(mask, dtype=np.uint8)
