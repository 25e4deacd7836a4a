# SPDX-License-Identifier: Apache-2.0
"""pandas and numpy as analysts use them: a DataFrame in, a DataFrame out aligned on its index;
NaN, None, pd.NA and NaT are missing; numpy and pandas dtypes (bool, int, float, datetime64,
nullable, categorical) are read by the field's type, with clear errors that never quote a
value. Skipped when pandas or numpy is not installed (Debian: python3-pandas python3-numpy;
`sh tests/run.sh deps` installs them)."""
import datetime as dt
import pickle

import pytest

import cpw

np = pytest.importorskip("numpy", reason="numpy is not installed (Debian: python3-numpy)")
pd = pytest.importorskip("pandas", reason="pandas is not installed (Debian: python3-pandas)")

PROG = "tsa_child_benefit"  # birth_date (date), tsa_registered (bool), tsa_score (int)


def frame():
    return pd.DataFrame(
        {"birth_date": pd.to_datetime(["2015-03-01", "2016-01-01", None, "2010-05-05"]),
         "tsa_registered": [True, False, True, True],
         "tsa_score": [90000, 1000, 5000, 200000],
         "name": ["A", "B", "C", "D"]},
        index=pd.Index([30, 10, 20, 40], name="person"))


def test_dataframe_in_dataframe_out(policy):
    df = frame()
    out = policy.evaluate_many(PROG, df, as_of="2025-01-01", ignore_unknown=True)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == [30, 10, 20, 40] and out.index.name == "person"
    assert list(out.columns) == ["outcome", "missing", "services", "benefits", "explanation"]
    assert list(out["outcome"]) == ["eligible", "not_eligible", "undetermined", "not_eligible"]
    assert out.loc[20, "missing"] == ["birth_date"]
    assert out.loc[30, "benefits"] == ["child_benefit:200.00:monthly"]
    assert out.loc[30, "explanation"].startswith("eligible: ")
    # the same as one evaluation per person
    for label, row in df.iterrows():
        rec = {"tsa_registered": bool(row["tsa_registered"]), "tsa_score": int(row["tsa_score"]),
               "birth_date": None if pd.isna(row["birth_date"]) else row["birth_date"].date()}
        d = policy.evaluate(PROG, rec, as_of="2025-01-01")
        assert out.loc[label, "outcome"] == d.outcome
        assert out.loc[label, "explanation"] == d.explain()
    # aligned: it joins back onto the frame
    joined = df.join(out)
    assert joined.loc[10, "name"] == "B" and joined.loc[10, "outcome"] == "not_eligible"


def test_dataframe_without_explanations(policy):
    out = policy.evaluate_many(PROG, frame(), as_of="2025-01-01", ignore_unknown=True,
                               explain=False)
    assert list(out.columns) == ["outcome", "services"]
    assert list(out["outcome"]) == ["eligible", "not_eligible", "undetermined", "not_eligible"]


def test_dataframe_unknown_columns_refused(policy):
    with pytest.raises(cpw.NotFound, match="ignore_unknown"):
        policy.evaluate_many(PROG, frame(), as_of="2025-01-01")


def test_every_missing_marker(policy):
    """None, float NaN, pd.NA, pd.NaT and numpy NaT are missing values."""
    df = pd.DataFrame({
        "birth_date": pd.Series([pd.NaT, dt.date(2015, 1, 1), None, np.datetime64("NaT"),
                                 dt.date(2015, 1, 1)], dtype=object),
        "tsa_registered": pd.array([True, pd.NA, True, True, True], dtype="boolean"),
        "tsa_score": pd.array([1000, 1000, pd.NA, 1000, 1000], dtype="Int64"),
    })
    out = policy.evaluate_many(PROG, df, as_of="2025-01-01")
    assert list(out["outcome"]) == ["undetermined"] * 4 + ["eligible"]
    assert list(out["missing"][:4]) == [["birth_date"], ["tsa_registered"], ["birth_date",
                                        "tsa_score"], ["birth_date"]]


def test_float_series_with_nan(policy):
    """A float column with NaN, from a dict of Series (was KeyError: nan)."""
    cols = {"tsa_score": pd.Series([1000.0, np.nan, 3000.0, np.nan]),
            "tsa_registered": pd.Series([1.0, 1.0, np.nan, 0.0]),
            "birth_date": pd.Series(pd.to_datetime(["2015-01-01"] * 4))}
    assert policy.evaluate_many(PROG, cols, as_of="2025-01-01") == \
        ["eligible", "undetermined", "undetermined", "not_eligible"]
    with pytest.raises(cpw.InvalidInput, match="record 1: column tsa_score"):
        policy.evaluate_many(PROG, {"tsa_score": pd.Series([1.0, 2.5])})


def test_numpy_columns(policy):
    n = 6
    cols = {"tsa_registered": np.array([True, False] * 3),
            "tsa_score": np.arange(n, dtype=np.int32) * 1000,
            "birth_date": np.array(["2015-01-01"] * n, dtype="datetime64[D]")}
    want = ["eligible", "not_eligible"] * 3
    assert policy.evaluate_many(PROG, cols, as_of=np.datetime64("2025-01-01")) == want
    assert policy.evaluate_many(PROG, cols, as_of=pd.Timestamp("2025-01-01")) == want
    cols["birth_date"] = cols["birth_date"].astype("datetime64[ns]")  # read_csv(parse_dates=)
    assert policy.evaluate_many(PROG, cols, as_of="2025-01-01") == want
    cols["tsa_score"] = cols["tsa_score"].astype(np.float64)
    assert policy.evaluate_many(PROG, cols, as_of="2025-01-01") == want
    cols["tsa_score"] = cols["tsa_score"].astype(np.uint16)
    assert policy.evaluate_many(PROG, cols, as_of="2025-01-01") == want


def test_numpy_scalars_in_evaluate(policy):
    d = policy.evaluate(PROG, {"tsa_registered": np.bool_(True), "tsa_score": np.int64(1000),
                               "birth_date": np.datetime64("2015-01-01")},
                        as_of=pd.Timestamp("2025-01-01"))
    assert d.outcome == "eligible"
    d = policy.evaluate(PROG, {"tsa_registered": np.bool_(False), "tsa_score": np.float64(1000),
                               "birth_date": pd.Timestamp("2015-01-01")}, as_of="2025-01-01")
    assert d.outcome == "not_eligible"
    d = policy.evaluate(PROG, {"tsa_registered": pd.NA, "tsa_score": np.nan,
                               "birth_date": pd.NaT}, as_of="2025-01-01")
    assert d.missing == ["birth_date", "tsa_registered", "tsa_score"]


def test_categorical_and_string_dtypes(policy, returnee):
    df = pd.DataFrame([returnee] * 3)
    df["citizenship"] = pd.Categorical(["georgian", "foreign", None])
    df["city"] = pd.array(["tbilisi", "batumi", pd.NA], dtype="string")
    out = policy.evaluate_many("reintegration_assistance", df, as_of="2021-06-01")
    assert list(out["outcome"]) == ["eligible", "not_eligible", "undetermined"]
    df["citizenship"] = pd.Categorical(["georgian", "Nino Beridze", "foreign"])
    with pytest.raises(cpw.InvalidInput) as e:
        policy.evaluate_many("reintegration_assistance", df, as_of="2021-06-01")
    msg = str(e.value)
    assert "record 1" in msg and "citizenship" in msg and "georgian, stateless, foreign" in msg
    assert "Nino" not in msg


def test_dates_and_times_are_checked(policy, test_policy):
    with pytest.raises(cpw.InvalidInput, match="record 1: column birth_date: .*time of day"):
        policy.evaluate_many(PROG, {"birth_date": pd.to_datetime(["2015-01-01",
                                                                  "2015-01-01 10:30"])})
    # a datetime field needs a time zone: naive datetime64 is refused, aware is converted
    with pytest.raises(cpw.InvalidInput, match="column seen: .*time zone"):
        test_policy.evaluate_many("support", {"seen": pd.to_datetime(["2024-01-01 10:00"])})
    aware = pd.Series(pd.to_datetime(["2024-01-01 10:00", None]).tz_localize("Asia/Tbilisi"))
    cols = test_policy.columns({"seen": aware})
    assert len(cols) == 2
    rec = test_policy.record({"seen": aware[0]})
    assert rec["seen"] == dt.datetime(2024, 1, 1, 10, 0, tzinfo=test_policy.timezone)


def test_nullable_errors_are_clear(policy):
    with pytest.raises(cpw.InvalidInput) as e:
        policy.evaluate_many(PROG, {"tsa_registered": pd.array([1, 7, pd.NA], dtype="Int64")})
    assert "record 1" in str(e.value) and "tsa_registered" in str(e.value)
    assert "7" not in str(e.value).replace("record 1", "")


def test_policy_and_decision_pickle(policy):
    p2 = pickle.loads(pickle.dumps(policy))
    assert p2.hash == policy.hash and p2.programs == policy.programs
    own = cpw.Policy.from_string('field n: int\nprogram p "P" { eligible when n > 3 }\n',
                                 name="own.cpw")
    own2 = pickle.loads(pickle.dumps(own))
    assert own2.hash == own.hash and own2.evaluate("p", {"n": 4}).outcome == "eligible"
    d = policy.evaluate(PROG, {"tsa_registered": True, "tsa_score": 1000,
                               "birth_date": "2015-01-01"}, as_of="2025-01-01")
    d2 = pickle.loads(pickle.dumps(d))
    assert (d2.outcome, d2.missing, d2.benefits, d2.explain(), d2.as_of) == \
        (d.outcome, d.missing, d.benefits, d.explain(), d.as_of)
    assert d2.policy.hash == policy.hash


def _decide(args):
    pol, score = args
    return pol.evaluate(PROG, {"tsa_registered": True, "tsa_score": score,
                               "birth_date": "2015-01-01"}, as_of="2025-01-01")


def test_multiprocessing(policy):
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        out = pool.map(_decide, [(policy, 1000), (policy, 500000)])
    assert [d.outcome for d in out] == ["eligible", "not_eligible"]
