# SPDX-License-Identifier: Apache-2.0
"""evaluate_many from numpy arrays and pandas columns without Python code per value: int64
handed to C as it is, bool/int/dates by one cast, enums from numpy str arrays (an exact
lookup in 64-bit words), categorical codes and object columns; the same results as lists;
errors name the record and column, never the value; no Python call per record (counted with
sys.setprofile); the memory reused between calls never leaks into a result. Skipped when
numpy (and, for the DataFrame tests, pandas) is not installed."""
import random
import sys
import threading

import pytest

import cpw
from cpw import _frames, batch

np = pytest.importorskip("numpy", reason="numpy is not installed (Debian: python3-numpy)")

SRC = """
field age: int
field score: int
field registered: bool
field citizenship: enum(GE, stateless, other)
field city: enum(Tbilisi, Rustavi, Kutaisi, Batumi, Zugdidi, Gori, Telavi, Poti)
field level: enum(none, moderate, severe, profound)
field status: enum(registered_abroad_a, registered_abroad_b, returned, ab, abc)
field income: money
field born: date

program p "P" {
  eligible when age < 18 and citizenship != other and registered
    and (city in {Tbilisi, Batumi} or level in {severe, profound} or score < 100)
}

program q "Q" {
  eligible when status in {registered_abroad_b, abc} and income <= 500 GEL
  service visits when city = Tbilisi "Home visits"
  service meals "Meals"
}

program r "R" {
  eligible when age(born) < 18
}
"""

FIELDS = ("age", "score", "registered", "citizenship", "city", "level")


@pytest.fixture(scope="module")
def pol():
    return cpw.Policy.from_string(SRC, name="fast.cpw")


def people(n, seed=3):
    rnd = random.Random(seed)
    return {
        "age": [rnd.randrange(0, 40) for _ in range(n)],
        "score": [rnd.randrange(0, 300) for _ in range(n)],
        "registered": [rnd.random() < 0.7 for _ in range(n)],
        "citizenship": [rnd.choice(["GE", "stateless", "other"]) for _ in range(n)],
        "city": [rnd.choice(["Tbilisi", "Rustavi", "Kutaisi", "Batumi", "Zugdidi", "Gori",
                             "Telavi", "Poti"]) for _ in range(n)],
        "level": [rnd.choice(["none", "moderate", "severe", "profound"]) for _ in range(n)],
    }


def arrays(cols):
    return {"age": np.array(cols["age"], dtype=np.int64),
            "score": np.array(cols["score"], dtype=np.int64),
            "registered": np.array(cols["registered"], dtype=bool),
            "citizenship": np.array(cols["citizenship"]),
            "city": np.array(cols["city"]),
            "level": np.array(cols["level"])}


@pytest.fixture
def no_lists(monkeypatch):
    """Fail if a column goes through the value-by-value path (to_list)."""
    def refuse(values):
        raise AssertionError("a numpy or pandas column was read value by value")
    monkeypatch.setattr(_frames, "to_list", refuse)


def test_numpy_equals_lists(pol, no_lists):
    cols = people(3000)
    want = pol.evaluate_many("p", cols)
    assert want.count("eligible") > 100
    got = pol.evaluate_many("p", arrays(cols))
    assert got == want


def test_int64_is_handed_over_without_a_copy(pol):
    age = np.arange(10, dtype=np.int64)
    cols = pol.columns({"age": age})
    address = int(cpw._ffi.ffi.cast("uintptr_t", cols._cols[0].values))
    assert address == age.ctypes.data


def test_bool_int_and_date_arrays(pol, no_lists):
    reg = np.array([True, False, True])
    assert pol.evaluate_many("p", {"registered": reg, "age": np.array([1, 1, 1], np.int32),
                                   "citizenship": np.array(["GE"] * 3),
                                   "city": np.array(["Tbilisi"] * 3)}) == \
        ["eligible", "not_eligible", "eligible"]
    # an int column for a bool field: 0 and 1 only
    for bad in (np.array([1, 2, 0]), np.array([1, -1, 0]), np.array([1, 2, 0], np.uint8)):
        with pytest.raises(cpw.InvalidInput, match=r"record 1: column registered: .*true or"):
            pol.columns({"registered": bad})
    # dates as datetime64[D] are days since 1970-01-01, as cpw_date counts them
    born = np.array(["2010-05-01", "1990-01-01", "NaT"], dtype="datetime64[D]")
    assert pol.evaluate_many("r", {"born": born}, as_of="2024-01-01") == \
        ["eligible", "not_eligible", "undetermined"]


def test_money_from_small_unsigned_ints(pol, no_lists):
    """GEL in a uint8 column: 200 GEL is 20000 tetri, not a wrapped byte."""
    cols = {"status": np.array(["abc", "abc"]), "income": np.array([200, 255], np.uint8)}
    assert pol.evaluate_many("q", cols) == ["eligible", "eligible"]
    cols["income"] = np.array([501, 500], np.uint16)
    assert pol.evaluate_many("q", cols) == ["not_eligible", "eligible"]


@pytest.mark.parametrize("extra", [0, 1, 3, 7, 8, 9, 15])
def test_str_arrays_of_every_width(pol, extra, no_lists):
    """The lookup reads each row as 64-bit words (one masked word for a short row, an
    overlapping last word for a long one): every width maps each name to its index."""
    values = pol.fields["status"].values
    width = max(map(len, values)) + extra
    arr = np.array(list(values) * 3, dtype="<U%d" % width)
    got, miss = _frames.to_int64(arr, "enum", values, "column status")
    assert miss is None and got.tolist() == [0, 1, 2, 3, 4] * 3
    # a column too narrow for the longer names holds only the short ones
    short = np.array(["ab", "abc", "ab"])
    assert _frames.to_int64(short, "enum", values, "x")[0].tolist() == [3, 4, 3]
    # big-endian and strided arrays
    assert _frames.to_int64(arr.astype(">U%d" % width), "enum", values, "x")[0].tolist() == \
        [0, 1, 2, 3, 4] * 3
    assert _frames.to_int64(arr[::2], "enum", values, "x")[0].tolist() == \
        ([0, 1, 2, 3, 4] * 3)[::2]


def test_str_arrays_of_short_names(pol, no_lists):
    values = pol.fields["citizenship"].values
    for dtype in ("<U2", "<U9", "<U1"):
        arr = np.array(["GE", "other", "stateless", "GE"], dtype=dtype)
        if dtype == "<U1":  # "G", "o", "s", "G": no value
            with pytest.raises(cpw.InvalidInput, match="record 0"):
                _frames.to_int64(arr, "enum", values, "x")
            continue
        want = [0, 2, 1, 0] if dtype == "<U9" else None
        if want is None:  # "<U2" cuts "other" to "ot"
            with pytest.raises(cpw.InvalidInput, match="record 1"):
                _frames.to_int64(arr, "enum", values, "x")
        else:
            assert _frames.to_int64(arr, "enum", values, "x")[0].tolist() == want


@pytest.mark.parametrize("bad", ["", "Tbilis", "Tbilisii", "tbilisi", "Tbilisi ",
                                 "\u0154bilisi",  # its low byte is 'T'
                                 "\u10d7\u10d1\u10d8\u10da\u10d8\u10e1\u10d8",  # Georgian
                                 "Tbilisi\U0001F600"])
def test_str_arrays_refuse_other_names(pol, bad, no_lists):
    arr = np.array(["Batumi", "Tbilisi", bad, "Poti"])
    with pytest.raises(cpw.InvalidInput) as e:
        pol.evaluate_many("p", {"city": arr})
    msg = str(e.value)
    assert "record 2: column city: not a value of enum field (Tbilisi, Rustavi" in msg
    assert not bad or bad not in msg.split("(")[0]  # the valid values follow


def test_values_sharing_their_first_word(pol, no_lists):
    """registered_abroad_a and _b agree on their first 8 bytes: compared value by value."""
    values = pol.fields["status"].values
    arr = np.array(["registered_abroad_b", "returned", "registered_abroad_a", "abc"])
    assert _frames.to_int64(arr, "enum", values, "x")[0].tolist() == [1, 2, 0, 4]
    with pytest.raises(cpw.InvalidInput, match="record 1"):
        _frames.to_int64(np.array(["abc", "registered_abroad_c"]), "enum", values, "x")


def test_object_columns_of_names(pol, no_lists):
    values = pol.fields["city"].values
    nan = float("nan")  # not numpy's own nan object: found by the slower path
    arr = np.array(["Poti", None, "Gori", np.nan, nan, "Tbilisi"], dtype=object)
    got, miss = _frames.to_int64(arr, "enum", values, "x")
    assert miss.tolist() == [0, 1, 0, 1, 1, 0]
    assert got[miss == 0].tolist() == [7, 5, 0]
    with pytest.raises(cpw.InvalidInput, match="record 2"):
        _frames.to_int64(np.array(["Poti", None, 3], dtype=object), "enum", values, "x")


def test_no_python_call_per_record(pol):
    """The Python calls (and C calls from Python) of one evaluate_many do not grow with
    the number of records: nothing loops over the records in Python."""
    def count(records, **kw):
        pol.evaluate_many("q" if "status" in records else "p", records, **kw)  # warm
        calls = [0]

        def prof(frame, event, arg):
            calls[0] += 1
        sys.setprofile(prof)
        try:
            pol.evaluate_many("q" if "status" in records else "p", records, **kw)
        finally:
            sys.setprofile(None)
        return calls[0]

    small, large = arrays(people(50)), arrays(people(5000))
    assert count(small) == count(large)
    pd = pytest.importorskip("pandas")
    for kw in ({"explain": False}, {"explain": False, "services": False}):
        small_df, large_df = pd.DataFrame(small), pd.DataFrame(large)
        for df in (small_df, large_df):
            for k in ("citizenship", "city", "level"):
                df[k] = df[k].astype("category")
        assert count(small_df, **kw) == count(large_df, **kw)
    q = {"status": np.array(["abc", "returned"] * 25), "city": np.array(["Tbilisi"] * 50),
         "income": np.zeros(50, np.int64)}
    q_large = {k: np.concatenate([v] * 100) for k, v in q.items()}
    assert count(pd.DataFrame(q), explain=False) == count(pd.DataFrame(q_large), explain=False)


def test_reused_memory_never_shows_in_results(pol):
    """evaluate_many converts into memory kept for the next call: results and Columns made
    by Policy.columns must not change when later calls reuse it."""
    a, b = people(2000, seed=1), people(2000, seed=2)
    want_a, want_b = pol.evaluate_many("p", a), pol.evaluate_many("p", b)
    assert want_a != want_b
    kept = pol.columns(arrays(a))
    got_a = pol.evaluate_many("p", arrays(a))
    got_b = pol.evaluate_many("p", arrays(b))
    assert got_a == want_a and got_b == want_b
    assert pol.evaluate_many("p", kept) == want_a
    # a call while this thread's workspace is taken makes its arrays fresh
    ws = batch._workspace()
    try:
        assert batch._workspace() is None
        assert pol.evaluate_many("p", arrays(b)) == want_b
    finally:
        ws.done()


def test_threads_each_have_their_memory(pol):
    data = [people(3000, seed=s) for s in range(4)]
    want = [pol.evaluate_many("p", d) for d in data]
    errors = []

    def run(i):
        try:
            for _ in range(5):
                assert pol.evaluate_many("p", arrays(data[i])) == want[i]
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_dataframe_fast_forms(pol, no_lists):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    cols = people(1000)
    want = pol.evaluate_many("p", cols)
    df = pd.DataFrame(arrays(cols), index=pd.RangeIndex(5000, 6000, name="person"))
    objects = df.copy()
    for k in ("citizenship", "city", "level"):
        df[k] = df[k].astype("category")
        objects[k] = objects[k].astype(object)
    for frame in (df, objects):
        out = pol.evaluate_many("p", frame, explain=False, services=False)
        assert list(out.columns) == ["outcome"] and out.index.equals(frame.index)
        assert out["outcome"].tolist() == want
    out = pol.evaluate_many("p", df, explain=False)
    assert list(out.columns) == ["outcome", "services"]
    assert out["outcome"].tolist() == want


def test_dataframe_services_are_lists_of_their_own(pol):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    df = pd.DataFrame({"status": pd.Categorical(["abc", "abc", "returned", "abc"]),
                       "city": ["Tbilisi", "Gori", "Gori", "Gori"],
                       "income": np.array([0, 0, 0, 0])})
    out = pol.evaluate_many("q", df, explain=False)
    assert out["outcome"].tolist() == ["eligible", "eligible", "not_eligible", "eligible"]
    assert out["services"].tolist() == [["visits", "meals"], ["meals"], [], ["meals"]]
    out["services"][1].append("x")  # one row's list is its own
    assert out["services"][3] == ["meals"]
    same = pol.evaluate_many("q", {k: df[k] for k in df}, services=True)
    assert same == list(zip(out["outcome"], [["visits", "meals"], ["meals"], [], ["meals"]]))


@pytest.mark.parametrize("count", [3, 17])
def test_services_of_many_records(count):
    """Services by a table of masks (up to 16 services) or of the distinct masks."""
    services = "\n".join('  service s%d when n > %d "S%d"' % (j, j, j) for j in range(count))
    own = cpw.Policy.from_string("field n: int\nprogram p \"P\" {\n  eligible when n >= 0\n"
                                 + services + "\n}\n", name="svc.cpw")
    n = np.array([-1, 0, 1, 5, 40, 2, 1] * 50)
    got = own.evaluate_many("p", {"n": n}, services=True)
    for (outcome, svc), v in zip(got, n.tolist()):
        assert outcome == ("eligible" if v >= 0 else "not_eligible")
        assert svc == ([] if v < 0 else ["s%d" % j for j in range(count) if v > j])


def test_lists_of_services_do_not_run_the_collector(pol):
    """One list of services per record, built with the cyclic GC paused (a collection every
    700 new lists made it 6x slower in a large process); the GC's state is restored."""
    import gc
    n = 20000
    cols = {"status": np.array(["abc"] * n), "city": np.array(["Gori"] * n),
            "income": np.zeros(n, np.int64)}
    runs = []

    def seen(phase, info):
        if phase == "start":
            runs.append(info["generation"])
    gc.callbacks.append(seen)
    try:
        assert gc.isenabled()
        out = pol.evaluate_many("q", cols, services=True)
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(seen)
    assert out[0] == ("eligible", ["meals"]) and len(out) == n
    assert len(runs) < 5, runs  # not one per 700 lists
    gc.disable()
    try:
        pol.evaluate_many("q", cols, services=True)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nullable_columns_as_numbers_not_objects(pol, no_lists):
    """pandas' nullable boolean/Int/UInt columns reach numpy as their numpy dtype (their
    to_numpy() alone gives Python objects), with or without missing values."""
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    for data, dtype in (([True, False, True], "boolean"), ([1, 0, 1], "Int64"),
                        ([1, 0, 1], "UInt8")):
        for na in (False, True):
            values = pd.Series(pd.array(data[:2] + [None if na else data[2]], dtype=dtype))
            arr = _frames._prepare(values)[0]
            assert arr.dtype != object
            got, miss = _frames.to_int64(values, "bool", (), "x")
            assert got.tolist()[:2] == [1, 0]
            assert (miss is not None) == na and (na or got[2] == 1)
    cols = {"registered": pd.Series(pd.array([True, False, None], dtype="boolean")),
            "age": pd.Series(pd.array([5, 5, 5], dtype="Int64")),
            "citizenship": pd.Series(["GE"] * 3, dtype="category"),
            "city": pd.Series(["Tbilisi"] * 3, dtype="category")}
    assert pol.evaluate_many("p", cols) == ["eligible", "not_eligible", "undetermined"]


def _names_by_dict(values, names):
    """What the vectorised lookup must give: each name's index by a dict, None if absent."""
    index = {v: i for i, v in enumerate(values)}
    return [index.get(x) for x in names]


@pytest.mark.parametrize("field", ["citizenship", "city", "level", "status"])
def test_str_lookup_equals_a_dict_lookup(pol, field, no_lists):
    """The hashed lookup of numpy str arrays against a dict lookup, over names in every
    order, each repeated, in arrays of several widths, and with one name that is not a
    value put at each position (refused there, the first bad record named)."""
    values = pol.fields[field].values
    rnd = random.Random(field)
    for trial in range(30):
        names = [rnd.choice(values) for _ in range(rnd.randrange(1, 40))]
        width = max(map(len, names)) + rnd.choice([0, 0, 1, 5, 9])
        arr = np.array(names, dtype="<U%d" % width)
        got, miss = _frames.to_int64(arr, "enum", values, "column x")
        assert miss is None and got.tolist() == _names_by_dict(values, names)
        bad = rnd.randrange(len(names))
        wrong = list(names)
        wrong[bad] = rnd.choice(["", values[0][:-1], values[-1] + "x", values[1].upper(),
                                 "\u10d7" + values[0], values[0] + " "])
        first = next(i for i, x in enumerate(_names_by_dict(values, wrong)) if x is None)
        with pytest.raises(cpw.InvalidInput) as e:
            _frames.to_int64(np.array(wrong), "enum", values, "column x")
        assert str(e.value).startswith("record %d: column x: not a value of enum field ("
                                       % first)
        assert (wrong[bad] or "\0") not in str(e.value).split("(")[0]


def test_str_lookup_by_low_bits_and_by_multiplication(no_lists):
    """The hash of a row's first word is its low bits when they tell the values apart, else
    a multiplication: values that differ only in their 8th character (the word's high
    byte) take the second; both map every name, and refuse the names in between."""
    low = ("GE", "stateless", "other")
    high = ("abcdefgA", "abcdefgB", "abcdefgC", "abcdefgD")
    assert _frames._str_values(low, 9, 1)[2][0] is None  # low bits
    assert _frames._str_values(high, 8, 1)[2][0] is not None  # multiplicative
    for values in (low, high):
        names = [values[i] for i in (2, 0, 0, 1, 2, 1, 0)]
        got, _ = _frames.to_int64(np.array(names), "enum", values, "x")
        assert got.tolist() == _names_by_dict(values, names)
    with pytest.raises(cpw.InvalidInput, match="record 1: x: not a value"):
        _frames.to_int64(np.array(["abcdefgA", "abcdefgE"]), "enum", high, "x")


def test_empty_str_arrays(pol, no_lists):
    values = pol.fields["city"].values
    for dtype in ("<U7", "<U0", "<U1"):
        got, miss = _frames.to_int64(np.array([], dtype=dtype), "enum", values, "x")
        assert got.tolist() == [] and miss is None
    assert pol.evaluate_many("p", {"city": np.array([], dtype="<U7"),
                                   "age": np.array([], dtype=np.int64)}) == []
    with pytest.raises(cpw.InvalidInput, match="record 0"):  # "" is not a value
        _frames.to_int64(np.array(["", ""]), "enum", values, "x")


def test_masked_arrays_are_missing_values(pol, no_lists):
    """A numpy masked array's masked entries are missing, whatever their data holds (a name
    that is no value, another value, a number): as None in a list."""
    values = pol.fields["city"].values
    data = np.array(["Poti", "nowhere", "Gori", "Tbilisi", "Gori"])
    city = np.ma.masked_array(data, mask=[0, 1, 0, 1, 0])
    got, miss = _frames.to_int64(city, "enum", values, "x")
    assert miss.tolist() == [0, 1, 0, 1, 0]
    assert got[miss == 0].tolist() == [7, 5, 5]
    with pytest.raises(cpw.InvalidInput, match="record 1: x: not a value"):
        _frames.to_int64(np.ma.masked_array(data, mask=[1, 0, 0, 0, 0]), "enum", values, "x")
    got, miss = _frames.to_int64(np.ma.masked_array(data, mask=True), "enum", values, "x")
    assert miss.tolist() == [1] * 5
    objects = np.ma.masked_array(data.astype(object), mask=[0, 1, 0, 1, 0])
    got, miss = _frames.to_int64(objects, "enum", values, "x")
    assert miss.tolist() == [0, 1, 0, 1, 0] and got[miss == 0].tolist() == [7, 5, 5]

    m = np.ma.masked_array
    cols = {"age": m([5, 50, 5, 5, 5], mask=[0, 1, 0, 0, 0]),
            "score": m([5, 5, 5, 5, 500], mask=[0, 0, 0, 0, 1]),
            "registered": m([True, True, False, True, True], mask=[0, 0, 1, 0, 0]),
            "citizenship": m(["GE", "GE", "GE", "xx", "GE"], mask=[0, 0, 0, 1, 0]),
            "city": m(["Rustavi"] * 5, mask=[0, 0, 0, 0, 1]),
            "level": np.array(["none"] * 5)}
    want = pol.evaluate_many("p", {k: v.tolist() for k, v in cols.items()})
    assert want == ["eligible", "undetermined", "undetermined", "undetermined",
                    "undetermined"]
    assert pol.evaluate_many("p", cols) == want
