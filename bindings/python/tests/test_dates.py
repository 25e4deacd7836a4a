# SPDX-License-Identifier: Apache-2.0
"""Dates and times: conversions both ways, naive datetimes, time zones, calendars."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import cpw

UTC = dt.timezone.utc
TBILISI = ZoneInfo("Asia/Tbilisi")


def test_naive_datetime_is_refused(fresh_policy):
    with pytest.raises(cpw.InvalidInput) as e:
        fresh_policy.open_case("referral", "N", at=dt.datetime(2026, 3, 2, 9, 0), actor="u",
                               role="reporter")
    msg = str(e.value)
    assert "naive" in msg and "tzinfo" in msg and "at" in msg
    assert isinstance(e.value, ValueError)
    assert len(fresh_policy.cases) == 0
    c = fresh_policy.open_case("referral", "N", at=dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
                               actor="u", role="reporter")
    with pytest.raises(cpw.InvalidInput, match="naive"):
        c.apply("register", actor="u", role="intake_officer", at=dt.datetime(2026, 3, 2, 10))
    with pytest.raises(cpw.InvalidInput, match="naive"):
        fresh_policy.cases.overdue(dt.datetime(2026, 3, 2))


def test_strings_without_offset_are_refused(fresh_policy):
    with pytest.raises(cpw.InvalidInput) as e:
        fresh_policy.open_case("referral", "S", at="2026-03-02T09:00:00", actor="u",
                               role="reporter")
    assert str(e.value).startswith("at: ")


def test_a_date_is_not_a_time(fresh_policy):
    with pytest.raises(TypeError):
        fresh_policy.open_case("referral", "D", at=dt.date(2026, 3, 2), actor="u",
                               role="reporter")
    with pytest.raises(TypeError):
        fresh_policy.open_case("referral", "D", at=1772427600, actor="u", role="reporter")


def test_time_zones_are_converted(fresh_policy):
    # the same instant in three spellings
    a = fresh_policy.open_case("referral", "A", at="2026-03-02T05:00:00Z", actor="u",
                               role="reporter")
    b = fresh_policy.open_case("referral", "B", at=dt.datetime(2026, 3, 2, 9, tzinfo=TBILISI),
                               actor="u", role="reporter")
    c = fresh_policy.open_case(
        "referral", "C", at=dt.datetime(2026, 3, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        actor="u", role="reporter")
    assert a.state_since == b.state_since == c.state_since
    # returned in the policy's time zone (+04:00)
    s = a.state_since
    assert (s.hour, s.utcoffset()) == (9, dt.timedelta(hours=4))
    assert s.astimezone(UTC) == dt.datetime(2026, 3, 2, 5, tzinfo=UTC)


def test_fractions_of_a_second_are_dropped(fresh_policy):
    c = fresh_policy.open_case("referral", "F",
                               at=dt.datetime(2026, 3, 2, 9, 0, 0, 999999, tzinfo=UTC),
                               actor="u", role="reporter")
    assert c.state_since == dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
    # before 1970: floored, not truncated toward zero
    g = fresh_policy.open_case("referral", "G",
                               at=dt.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
                               actor="u", role="reporter")
    assert g.state_since == dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_dates_both_ways(policy):
    d = policy.evaluate("barnahus", {"alleged_sexual_violence": True,
                                     "birth_date": dt.date(2010, 5, 1)},
                        as_of=dt.date(2023, 1, 1))
    assert d.as_of == dt.date(2023, 1, 1) and d.eligible
    assert cpw.parse_date("2019-02-28") == dt.date(2019, 2, 28)
    for bad in ("2019-02-29", "2019-2-28", "20190228", "2019-02-28T00:00", " 2019-02-28"):
        with pytest.raises(cpw.InvalidInput):
            cpw.parse_date(bad)
    with pytest.raises(cpw.InvalidInput) as e:
        cpw.parse_date("2019-02-30")
    assert "February" in str(e.value)
    for day in (dt.date(1, 1, 1), dt.date(1969, 12, 31), dt.date(1970, 1, 1),
                dt.date(9999, 12, 31)):
        assert cpw.parse_date(day.isoformat()) == day


def test_datetime_given_for_a_date_is_refused(policy):
    with pytest.raises(cpw.InvalidInput, match="datetime"):
        policy.evaluate("barnahus", {}, as_of=dt.datetime(2020, 1, 1, tzinfo=UTC))


def test_parse_and_format_time():
    t = cpw.parse_time("2026-03-02T09:00:00+04:00")
    assert t == dt.datetime(2026, 3, 2, 5, tzinfo=UTC) and t.tzinfo == UTC
    assert cpw.parse_time("2026-03-02 09:00+04:00", tz=TBILISI).hour == 9
    assert cpw.format_time(t, 240) == "2026-03-02T09:00:00+04:00"
    assert cpw.format_time("2026-03-02T09:00:00+04:00") == "2026-03-02T05:00:00Z"
    with pytest.raises(cpw.InvalidInput):
        cpw.parse_time("2026-03-02T09:00:00.5Z")
    with pytest.raises(cpw.InvalidInput):
        cpw.format_time(t, 3000)


def test_date_rules():
    assert cpw.add_months("2019-01-31", 1) == dt.date(2019, 2, 28)
    assert cpw.add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert cpw.add_months("2020-03-31", -1) == dt.date(2020, 2, 29)
    assert cpw.add_years("2020-02-29", 1) == dt.date(2021, 2, 28)
    assert cpw.age("2008-02-29", "2025-02-28") == 16
    assert cpw.age("2008-02-29", "2025-03-01") == 17
    assert cpw.orthodox_easter(2026) == dt.date(2026, 4, 12)
    with pytest.raises(cpw.InvalidInput):
        cpw.age("2020-01-01", "2019-01-01")
    with pytest.raises(cpw.InvalidInput):
        cpw.add_years("9999-01-01", 1)
    with pytest.raises(cpw.InvalidInput):
        cpw.orthodox_easter(0)


def test_calendars():
    ge = cpw.Calendar.georgia()
    assert ge.holiday("2026-04-10") == "Orthodox Good Friday"
    assert ge.is_holiday("2026-01-07") and not ge.is_holiday("2026-01-08")
    assert not ge.is_working_day("2026-03-03")  # Mother's Day
    assert ge.add_working_days("2026-03-02", 1) == dt.date(2026, 3, 4)
    assert ge.working_days_between("2026-03-02", "2026-03-06") == 3
    assert ge.add_working_days(dt.date(2026, 3, 6), -3) == dt.date(2026, 3, 2)
    mine = cpw.Calendar("mine")
    assert mine.name == "mine" and not mine.read_only
    assert mine.is_working_day("2026-03-03")
    mine.add_annual(3, 3, "Mother's Day")
    mine.add_easter(1, "Easter Monday", start="2020-01-01")
    mine.add_date("2026-06-01", "One-off")
    assert mine.holiday("2026-03-03") == "Mother's Day"
    assert mine.holiday("2026-04-13") == "Easter Monday"
    assert mine.holiday("2019-04-29") is None  # before the rule's start
    assert mine.holiday("2026-06-01") == "One-off"
    mine.set_weekend(["friday", 6])
    assert not mine.is_working_day("2026-03-06") and mine.is_working_day("2026-03-08")
    mine.set_weekend([])
    assert mine.is_working_day("2026-03-07")
    with pytest.raises(cpw.InvalidInput):
        mine.set_weekend(range(1, 8))
    with pytest.raises(cpw.InvalidInput):
        mine.set_weekend(["caturday"])
    with pytest.raises(cpw.InvalidInput):
        mine.add_annual(2, 30, "never")
    assert "mine" in repr(mine)
