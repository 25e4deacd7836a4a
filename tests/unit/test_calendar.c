/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of base/calendar.c: weekends, holiday rules, working-day arithmetic and Georgia's
 * public holidays. */
#include "cmocka_all.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "testalloc.h"

/* ------------------------------------------------------------------ helpers */

static cpw_date ymd(int y, int m, int d)
{
  cpw_date out = 0;
  if (cpw_date_from_ymd(&out, y, m, d) != CPW_OK)
    fail_msg("bad test date %04d-%02d-%02d", y, m, d);
  return out;
}

static const char *fmt(cpw_date d, char *buf)
{
  if (cpw_date_format(buf, CPW_DATE_BUFSIZE, d) != CPW_OK)
    snprintf(buf, CPW_DATE_BUFSIZE, "(%d)", (int)(d % 100000));
  return buf;
}

typedef struct fixture {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_calendar *ge;
} fixture;

static int setup(void **state)
{
  static fixture f;
  memset(&f, 0, sizeof f);
  cpw_test_alloc_init(&f.ta);
  f.ctx = cpw_test_ctx(&f.ta);
  if (f.ctx == NULL || cpw_calendar_new_georgia(&f.ge, f.ctx) != CPW_OK)
    return -1;
  *state = &f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  cpw_calendar_free(f->ge);
  cpw_ctx_free(f->ctx);
  if (f->ta.live_blocks != 0 || f->ta.bad_sizes != 0) {
    fprintf(stderr, "leak: %ld blocks, %ld bad sizes\n", f->ta.live_blocks, f->ta.bad_sizes);
    return -1;
  }
  return 0;
}

/* from + n working days must be `expect`. */
static void check_add(const cpw_calendar *cal, cpw_date from, int n, cpw_date expect)
{
  cpw_date got = 0;
  char a[CPW_DATE_BUFSIZE], b[CPW_DATE_BUFSIZE], c[CPW_DATE_BUFSIZE];
  int rc = cpw_calendar_add_working_days(cal, &got, from, n);
  if (rc != CPW_OK || got != expect)
    fail_msg("%s %+d working days: rc %d, got %s, expected %s", fmt(from, a), n, rc,
             fmt(got, b), fmt(expect, c));
}

static int64_t between(const cpw_calendar *cal, cpw_date from, cpw_date to)
{
  int64_t n = -999;
  assert_int_equal(cpw_calendar_working_days_between(cal, &n, from, to), CPW_OK);
  return n;
}

/* ------------------------------------------------------------------ life cycle */

static void test_calendar__new_and_name(void **state)
{
  fixture *f = *state;
  cpw_calendar *cal = NULL;
  char name[16] = "My office";
  assert_int_equal(cpw_calendar_new(&cal, f->ctx, name), CPW_OK);
  name[0] = 'X'; /* the name was copied */
  assert_string_equal(cpw_calendar_name(cal), "My office");
  cpw_calendar_free(cal);
  assert_int_equal(cpw_calendar_new(&cal, f->ctx, NULL), CPW_OK);
  assert_string_equal(cpw_calendar_name(cal), "");
  /* an empty calendar: only the weekend is off */
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 1, 1), NULL), 0);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 1, 1)), 1);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 1, 4)), 0);
  cpw_calendar_free(cal);
  cpw_calendar_free(NULL);
  assert_string_equal(cpw_calendar_name(NULL), "");
  assert_string_equal(cpw_calendar_name(f->ge), "Georgia");
  cal = (cpw_calendar *)f; /* must be reset to NULL on failure */
  assert_int_equal(cpw_calendar_new(&cal, NULL, "x"), CPW_EINVALID);
  assert_int_equal(cpw_calendar_new(NULL, f->ctx, "x"), CPW_EINVALID);
  assert_int_equal(cpw_calendar_new_georgia(NULL, f->ctx), CPW_EINVALID);
  assert_int_equal(cpw_calendar_new_georgia(&cal, NULL), CPW_EINVALID);
  assert_null(cal);
}

static void test_calendar__weekend(void **state)
{
  fixture *f = *state;
  cpw_calendar *cal = NULL;
  assert_int_equal(cpw_calendar_new(&cal, f->ctx, "weekend"), CPW_OK);
  /* 2025-06-06 is a Friday */
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 6, 6)), 1);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 6, 7)), 0);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 6, 8)), 0);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 6, 7), NULL), 0); /* not a holiday */
  /* Friday and Saturday weekend */
  assert_int_equal(cpw_calendar_set_weekend(cal, CPW_WEEKDAY_BIT(5) | CPW_WEEKDAY_BIT(6)),
                   CPW_OK);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 6, 6)), 0);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 6, 8)), 1);
  check_add(cal, ymd(2025, 6, 5), 1, ymd(2025, 6, 8));
  /* no weekend at all */
  assert_int_equal(cpw_calendar_set_weekend(cal, 0), CPW_OK);
  check_add(cal, ymd(2025, 6, 5), 3, ymd(2025, 6, 8));
  assert_int_equal(between(cal, ymd(2025, 1, 1), ymd(2026, 1, 1)), 365);
  /* refusals leave the weekend as it was */
  assert_int_equal(cpw_calendar_set_weekend(cal, 0x7f), CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "weekend mask 0x7f"));
  assert_int_equal(cpw_calendar_set_weekend(cal, 0x80), CPW_EINVALID);
  assert_int_equal(cpw_calendar_set_weekend(cal, UINT_MAX), CPW_EINVALID);
  assert_int_equal(cpw_calendar_set_weekend(NULL, 0), CPW_EINVALID);
  assert_int_equal(cpw_calendar_is_working_day(cal, ymd(2025, 6, 7)), 1);
  cpw_calendar_free(cal);
}

/* ------------------------------------------------------------------ Georgia */

typedef struct holiday {
  int month, day;
  const char *name;
} holiday;

/* Every date of `year` that is a holiday of `cal` must be in `expect` (in date order) with the
 * same name, and the other way round. */
static void check_year(const cpw_calendar *cal, int year, const holiday *expect, size_t n)
{
  cpw_date d, end = ymd(year, 12, 31);
  size_t i = 0;
  char buf[CPW_DATE_BUFSIZE];
  for (d = ymd(year, 1, 1); d <= end; d++) {
    const char *name = NULL;
    if (!cpw_calendar_is_holiday(cal, d, &name))
      continue;
    if (i >= n || d != ymd(year, expect[i].month, expect[i].day))
      fail_msg("unexpected holiday %s (%s)", fmt(d, buf), name);
    if (expect[i].name != NULL && strcmp(name, expect[i].name) != 0)
      fail_msg("holiday %s is '%s', expected '%s'", fmt(d, buf), name, expect[i].name);
    assert_int_equal(cpw_calendar_is_working_day(cal, d), 0);
    i++;
  }
  if (i != n)
    fail_msg("%d: %zu holidays found, %zu expected (missing %02d-%02d)", year, i, n,
             expect[i].month, expect[i].day);
}

static void test_calendar__georgia_2025(void **state)
{
  fixture *f = *state;
  static const holiday h2025[] = {
    { 1, 1, "New Year" },
    { 1, 2, "New Year" },
    { 1, 7, "Orthodox Christmas" },
    { 1, 19, "Epiphany (Natlisgheba)" },
    { 3, 3, "Mother's Day" },
    { 3, 8, "International Women's Day" },
    { 4, 9, "Day of National Unity" },
    { 4, 18, "Orthodox Good Friday" },
    { 4, 19, "Holy Saturday" },
    { 4, 20, "Orthodox Easter Sunday" },
    { 4, 21, "Easter Monday (Day of Remembrance of the Deceased)" },
    { 5, 9, "Victory Day" },
    { 5, 12, "Day of St Andrew the First-Called" },
    { 5, 17, "Day of Family Sanctity and Respect for Parents" },
    { 5, 26, "Independence Day" },
    { 8, 28, "Mariamoba (Dormition of the Mother of God)" },
    { 8, 29, "Day off for administrative bodies (Decree 381 of 2025)" },
    { 10, 14, "Svetitskhovloba" },
    { 11, 23, "Giorgoba (St George's Day)" },
  };
  check_year(f->ge, 2025, h2025, CPW__ARRAY_LEN(h2025));
}

static void test_calendar__georgia_other_years(void **state)
{
  fixture *f = *state;
  /* 2024: Easter 5 May; the Government's days off for administrative bodies (3-5 January,
   * 7, 8 and 10 May, and 17 May, a holiday by law only from 2025) */
  static const holiday h2024[] = {
    { 1, 1, NULL }, { 1, 2, NULL }, { 1, 3, NULL }, { 1, 4, NULL }, { 1, 5, NULL },
    { 1, 7, NULL }, { 1, 19, NULL }, { 3, 3, NULL }, { 3, 8, NULL }, { 4, 9, NULL },
    { 5, 3, "Orthodox Good Friday" }, { 5, 4, NULL }, { 5, 5, NULL }, { 5, 6, NULL },
    { 5, 7, NULL }, { 5, 8, NULL }, { 5, 9, NULL },
    { 5, 10, "Day off for administrative bodies (Government resolution, 7, 8 and 10 May 2024)" },
    { 5, 12, NULL },
    { 5, 17, "Day off for administrative bodies (Resolution 167 of 2024): Day of Family "
             "Sanctity" },
    { 5, 26, NULL }, { 8, 28, NULL }, { 10, 14, NULL }, { 11, 23, NULL },
  };
  /* 2023: Easter 16 April; days off 3-6 January; no 17 May */
  static const holiday h2023[] = {
    { 1, 1, NULL }, { 1, 2, NULL }, { 1, 3, NULL }, { 1, 4, NULL }, { 1, 5, NULL },
    { 1, 6, NULL }, { 1, 7, NULL }, { 1, 19, NULL }, { 3, 3, NULL },
    { 3, 8, NULL }, { 4, 9, NULL }, { 4, 14, NULL }, { 4, 15, NULL }, { 4, 16, NULL },
    { 4, 17, NULL }, { 5, 9, NULL }, { 5, 12, NULL }, { 5, 26, NULL }, { 8, 28, NULL },
    { 10, 14, NULL }, { 11, 23, NULL },
  };
  /* 2026: days off 5-6 January; Easter 12 April, right after 9 April */
  static const holiday h2026[] = {
    { 1, 1, NULL }, { 1, 2, NULL }, { 1, 5, NULL }, { 1, 6, NULL }, { 1, 7, NULL },
    { 1, 19, NULL }, { 3, 3, NULL }, { 3, 8, NULL }, { 4, 9, NULL }, { 4, 10, NULL },
    { 4, 11, NULL }, { 4, 12, NULL }, { 4, 13, NULL }, { 5, 9, NULL }, { 5, 12, NULL },
    { 5, 17, "Day of Family Sanctity and Respect for Parents" }, { 5, 26, NULL },
    { 8, 28, NULL }, { 10, 14, NULL }, { 11, 23, NULL },
  };
  const char *name = NULL;
  check_year(f->ge, 2024, h2024, CPW__ARRAY_LEN(h2024));
  check_year(f->ge, 2023, h2023, CPW__ARRAY_LEN(h2023));
  check_year(f->ge, 2026, h2026, CPW__ARRAY_LEN(h2026));
  /* holidays on a weekend are not moved: 19 January 2025 is a Sunday, 20 January works */
  assert_int_equal(cpw_date_weekday(ymd(2025, 1, 19)), 7);
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(2025, 1, 19), NULL), 1);
  assert_int_equal(cpw_calendar_is_working_day(f->ge, ymd(2025, 1, 20)), 1);
  assert_int_equal(cpw_calendar_is_working_day(f->ge, ymd(2025, 3, 10)), 1); /* 8 March: Sat */
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(2026, 4, 13), &name), 1);
  assert_string_equal(name, "Easter Monday (Day of Remembrance of the Deceased)");
  /* far years work and do not crash */
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(1, 1, 1), NULL), 1);
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(9999, 11, 23), NULL), 1);
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(9999, 6, 27), NULL), 1); /* Easter */
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(1, 3, 25), NULL), 1);    /* Easter */
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(1, 3, 23), NULL), 1);    /* Good Friday */
  assert_int_equal(cpw_calendar_is_holiday(f->ge, ymd(2023, 5, 17), NULL), 0);
  /* out of range and NULL */
  assert_int_equal(cpw_calendar_is_holiday(f->ge, CPW_DATE_MAX + 1, &name), 0);
  assert_int_equal(cpw_calendar_is_holiday(NULL, 0, &name), 0);
  assert_int_equal(cpw_calendar_is_working_day(f->ge, CPW_DATE_MIN - 1), 0);
  assert_int_equal(cpw_calendar_is_working_day(NULL, ymd(2025, 6, 6)), 0);
}

/* The two rules of a year that meet: Easter Monday on 9 May (Easter Sunday on 8 May). */
static void test_calendar__georgia_coinciding_rules(void **state)
{
  fixture *f = *state;
  int y, found = 0;
  for (y = 1900; y <= 2200 && !found; y++) {
    cpw_date e;
    const char *name = NULL;
    assert_int_equal(cpw_date_orthodox_easter(&e, y), CPW_OK);
    if (e + 1 != ymd(y, 5, 9))
      continue;
    found = y;
    assert_int_equal(cpw_calendar_is_holiday(f->ge, e + 1, &name), 1);
    assert_string_equal(name, "Victory Day"); /* the fixed dates were added first */
  }
  assert_int_equal(found, 1983); /* Orthodox Easter 1983: 8 May */
}

static void test_calendar__new_year(void **state)
{
  fixture *f = *state;
  /* 2025-12-31 Wednesday; 1, 2 January 2026 Thursday, Friday; then a weekend; 5, 6 January
   * days off for administrative bodies; 7 January Wed */
  check_add(f->ge, ymd(2025, 12, 31), 1, ymd(2026, 1, 8));
  check_add(f->ge, ymd(2025, 12, 31), 2, ymd(2026, 1, 9));
  check_add(f->ge, ymd(2025, 12, 31), 3, ymd(2026, 1, 12));
  check_add(f->ge, ymd(2026, 1, 8), -1, ymd(2025, 12, 31));
  check_add(f->ge, ymd(2026, 1, 1), 1, ymd(2026, 1, 8)); /* from a holiday */
  /* 2024-12-31 Tuesday: 1, 2 January 2025 Wed, Thu -> Friday 3 January */
  check_add(f->ge, ymd(2024, 12, 31), 1, ymd(2025, 1, 3));
  check_add(f->ge, ymd(2025, 1, 3), -1, ymd(2024, 12, 31));
  assert_int_equal(between(f->ge, ymd(2024, 12, 31), ymd(2025, 1, 3)), 1);
  assert_int_equal(between(f->ge, ymd(2025, 12, 31), ymd(2026, 1, 8)), 1);
  assert_int_equal(between(f->ge, ymd(2025, 12, 31), ymd(2026, 1, 12)), 3);
}

static void test_calendar__christmas(void **state)
{
  fixture *f = *state;
  /* 7 January 2025 is a Tuesday */
  check_add(f->ge, ymd(2025, 1, 6), 1, ymd(2025, 1, 8));
  check_add(f->ge, ymd(2025, 1, 8), -1, ymd(2025, 1, 6));
  check_add(f->ge, ymd(2025, 1, 7), 0, ymd(2025, 1, 7));
  /* 19 January 2026 (Monday, Epiphany) */
  check_add(f->ge, ymd(2026, 1, 16), 1, ymd(2026, 1, 20));
}

static void test_calendar__easter(void **state)
{
  fixture *f = *state;
  /* 2024: Easter 5 May; Good Friday 3 May to Easter Monday 6 May, days off 7, 8 and 10 May,
   * Victory Day Thu 9 May; 17 May a day off too */
  check_add(f->ge, ymd(2024, 5, 2), 1, ymd(2024, 5, 13));
  check_add(f->ge, ymd(2024, 5, 2), 2, ymd(2024, 5, 14));
  check_add(f->ge, ymd(2024, 5, 2), 3, ymd(2024, 5, 15));
  check_add(f->ge, ymd(2024, 5, 2), 4, ymd(2024, 5, 16));
  check_add(f->ge, ymd(2024, 5, 2), 5, ymd(2024, 5, 20));
  check_add(f->ge, ymd(2024, 5, 13), -1, ymd(2024, 5, 2));
  check_add(f->ge, ymd(2024, 5, 4), 1, ymd(2024, 5, 13));
  assert_int_equal(between(f->ge, ymd(2024, 5, 2), ymd(2024, 5, 13)), 1);
  /* 2025: Easter 20 April; Good Friday 18 April to Easter Monday 21 April */
  check_add(f->ge, ymd(2025, 4, 17), 1, ymd(2025, 4, 22));
  check_add(f->ge, ymd(2025, 4, 22), -1, ymd(2025, 4, 17));
  check_add(f->ge, ymd(2025, 4, 8), 1, ymd(2025, 4, 10)); /* 9 April, Wednesday */
  assert_int_equal(between(f->ge, ymd(2025, 4, 17), ymd(2025, 4, 22)), 1);
  /* 2026: 9 April (Thursday) then Easter 12 April: five days off in a row */
  check_add(f->ge, ymd(2026, 4, 8), 1, ymd(2026, 4, 14));
  check_add(f->ge, ymd(2026, 4, 9), 3, ymd(2026, 4, 16)); /* the demo's example */
  check_add(f->ge, ymd(2026, 4, 14), -1, ymd(2026, 4, 8));
  assert_int_equal(between(f->ge, ymd(2026, 4, 8), ymd(2026, 4, 14)), 1);
  assert_int_equal(between(f->ge, ymd(2026, 4, 14), ymd(2026, 4, 8)), -1);
}

static void test_calendar__may(void **state)
{
  fixture *f = *state;
  /* 26 May 2025 is a Monday */
  check_add(f->ge, ymd(2025, 5, 23), 1, ymd(2025, 5, 27));
  check_add(f->ge, ymd(2025, 5, 27), -1, ymd(2025, 5, 23));
  /* 26 May 2026 is a Tuesday */
  check_add(f->ge, ymd(2026, 5, 25), 1, ymd(2026, 5, 27));
  /* 17 May 2027 is a Monday (a holiday by law from 2025); 17 May 2023 (Wednesday) was not */
  check_add(f->ge, ymd(2027, 5, 14), 1, ymd(2027, 5, 18));
  check_add(f->ge, ymd(2023, 5, 16), 1, ymd(2023, 5, 17));
  /* 9 and 12 May 2025: Friday and Monday */
  check_add(f->ge, ymd(2025, 5, 8), 1, ymd(2025, 5, 13));
}

static void test_calendar__weekends_and_zero(void **state)
{
  fixture *f = *state;
  /* 2025-06-06 Friday, 7 Saturday, 8 Sunday, 9 Monday */
  check_add(f->ge, ymd(2025, 6, 6), 1, ymd(2025, 6, 9));
  check_add(f->ge, ymd(2025, 6, 7), 1, ymd(2025, 6, 9));
  check_add(f->ge, ymd(2025, 6, 8), 1, ymd(2025, 6, 9));
  check_add(f->ge, ymd(2025, 6, 9), -1, ymd(2025, 6, 6));
  check_add(f->ge, ymd(2025, 6, 7), -1, ymd(2025, 6, 6));
  check_add(f->ge, ymd(2025, 6, 8), -1, ymd(2025, 6, 6));
  check_add(f->ge, ymd(2025, 6, 9), 5, ymd(2025, 6, 16));
  check_add(f->ge, ymd(2025, 6, 16), -5, ymd(2025, 6, 9));
  check_add(f->ge, ymd(2025, 6, 9), 10, ymd(2025, 6, 23));
  /* n == 0: the date itself, working day or not */
  check_add(f->ge, ymd(2025, 6, 7), 0, ymd(2025, 6, 7));
  check_add(f->ge, ymd(2025, 6, 9), 0, ymd(2025, 6, 9));
  check_add(f->ge, ymd(2025, 5, 26), 0, ymd(2025, 5, 26));
  assert_int_equal(between(f->ge, ymd(2025, 6, 7), ymd(2025, 6, 7)), 0);
  assert_int_equal(between(f->ge, ymd(2025, 6, 6), ymd(2025, 6, 8)), 0);
  assert_int_equal(between(f->ge, ymd(2025, 6, 6), ymd(2025, 6, 9)), 1);
  assert_int_equal(between(f->ge, ymd(2025, 6, 9), ymd(2025, 6, 6)), -1);
  /* a whole year: 365 days - 104 weekend days - 12 holidays and 1 day off (29 August) on
   * weekdays (2025) */
  assert_int_equal(between(f->ge, ymd(2024, 12, 31), ymd(2025, 12, 31)), 365 - 104 - 13);
}

/* working_days_between(d, add_working_days(d, n)) == n, for many d and n. */
static void test_calendar__between_consistent_with_add(void **state)
{
  fixture *f = *state;
  cpw_date d, end = ymd(2027, 12, 31);
  int n;
  for (d = ymd(2023, 1, 1); d <= end; d++) {
    for (n = -45; n <= 45; n += (n > -3 && n < 3) ? 1 : 7) {
      cpw_date r;
      assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, d, n), CPW_OK);
      if (n != 0)
        assert_int_equal(cpw_calendar_is_working_day(f->ge, r), 1);
      if (n >= 0 || cpw_calendar_is_working_day(f->ge, d))
        assert_int_equal(between(f->ge, d, r), n);
    }
  }
}

/* The year masks of the range functions agree with the rule walk of is_working_day. */
static void check_masks_agree(const cpw_calendar *cal, int y0, int y1)
{
  cpw_date d, end = ymd(y1, 12, 31);
  char buf[CPW_DATE_BUFSIZE];
  for (d = ymd(y0, 1, 1); d <= end; d++) {
    int64_t one;
    if (d == CPW_DATE_MIN)
      continue; /* no day before it */
    one = between(cal, d - 1, d);
    if (one != cpw_calendar_is_working_day(cal, d))
      fail_msg("%s: between says %d, is_working_day %d", fmt(d, buf), (int)one,
               cpw_calendar_is_working_day(cal, d));
  }
}

static void test_calendar__masks_agree_with_rules(void **state)
{
  fixture *f = *state;
  cpw_calendar *cal = NULL;
  check_masks_agree(f->ge, 1995, 2035);
  check_masks_agree(f->ge, 2, 4);
  check_masks_agree(f->ge, 9997, 9999);
  /* Easter offsets that cross into the previous and next year */
  assert_int_equal(cpw_calendar_new(&cal, f->ctx, "offsets"), CPW_OK);
  assert_int_equal(cpw_calendar_add_easter(cal, 300, "late", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_OK);
  assert_int_equal(cpw_calendar_add_easter(cal, -300, "early", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_OK);
  assert_int_equal(cpw_calendar_add_easter(cal, 366, "edge", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_OK);
  assert_int_equal(cpw_calendar_add_easter(cal, -366, "edge", ymd(2020, 1, 1), ymd(2022, 6, 30)),
                   CPW_OK);
  check_masks_agree(cal, 2015, 2030);
  check_masks_agree(cal, 1, 3);
  check_masks_agree(cal, 9997, 9999);
  cpw_calendar_free(cal);
}

static void test_calendar__custom_rules(void **state)
{
  fixture *f = *state;
  cpw_calendar *cal = NULL;
  const char *name = NULL;
  char label[8] = "Leap";
  assert_int_equal(cpw_calendar_new(&cal, f->ctx, "custom"), CPW_OK);
  /* 29 February: only in leap years */
  assert_int_equal(cpw_calendar_add_annual(cal, 2, 29, label, CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_OK);
  label[0] = 'X'; /* copied */
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2024, 2, 29), &name), 1);
  assert_string_equal(name, "Leap");
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2023, 2, 28), NULL), 0);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2023, 3, 1), NULL), 0);
  check_add(cal, ymd(2024, 2, 28), 1, ymd(2024, 3, 1));
  /* effective range: 1 June only from 2020 to 2022 */
  assert_int_equal(cpw_calendar_add_annual(cal, 6, 1, "Ranged", ymd(2020, 1, 1),
                                           ymd(2022, 12, 31)), CPW_OK);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2019, 6, 1), NULL), 0);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2020, 6, 1), NULL), 1);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2022, 6, 1), NULL), 1);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2023, 6, 1), NULL), 0);
  /* Pentecost (Easter + 49) and a NULL name */
  assert_int_equal(cpw_calendar_add_easter(cal, 49, NULL, CPW_DATE_MIN, CPW_DATE_MAX), CPW_OK);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 6, 8), &name), 1);
  assert_string_equal(name, "");
  /* a one-off date; an earlier rule on the same date keeps its name */
  assert_int_equal(cpw_calendar_add_date(cal, ymd(2025, 7, 15), "Office move"), CPW_OK);
  assert_int_equal(cpw_calendar_add_date(cal, ymd(2024, 2, 29), "Second"), CPW_OK);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 7, 15), &name), 1);
  assert_string_equal(name, "Office move");
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2026, 7, 15), NULL), 0);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2024, 2, 29), &name), 1);
  assert_string_equal(name, "Leap");
  check_add(cal, ymd(2025, 7, 14), 1, ymd(2025, 7, 16));
  /* refusals, with a message in the context */
  assert_int_equal(cpw_calendar_add_annual(cal, 2, 30, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message,
                      "annual holiday 02-30 is not a day of the year");
  assert_int_equal(cpw_calendar_add_annual(cal, 13, 1, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_annual(cal, 0, 1, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_annual(cal, 4, 31, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_annual(cal, 4, 0, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_annual(cal, 4, 1, "x", ymd(2025, 1, 1), ymd(2024, 1, 1)),
                   CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "effective range"));
  assert_int_equal(cpw_calendar_add_annual(cal, 4, 1, "x", CPW_DATE_MIN - 1, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_easter(cal, 367, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_easter(cal, INT_MIN, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_easter(cal, 0, "x", CPW_DATE_MAX, CPW_DATE_MAX + 1),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_date(cal, CPW_DATE_MAX + 1, "x"), CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_annual(NULL, 1, 1, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_easter(NULL, 0, "x", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_date(NULL, 0, "x"), CPW_EINVALID);
  /* nothing was added by the refusals */
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 4, 1), NULL), 0);
  cpw_calendar_free(cal);
}

static void test_calendar__range_limits(void **state)
{
  fixture *f = *state;
  cpw_date r = 77;
  int64_t total = 0, n = 5;
  /* 9999-12-31 is a Friday, 9999-12-30 a Thursday */
  check_add(f->ge, ymd(9999, 12, 30), 1, ymd(9999, 12, 31));
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, ymd(9999, 12, 31), 1),
                   CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "leave the date range"));
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, ymd(9999, 12, 30), 2),
                   CPW_EINVALID);
  /* 0001-01-01 is a Monday and a holiday; 0001-01-03 (Wednesday) is the first working day */
  check_add(f->ge, ymd(1, 1, 8), -1, ymd(1, 1, 5));
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, ymd(1, 1, 3), -1), CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, CPW_DATE_MIN, -1), CPW_EINVALID);
  /* huge n fails at once, without overflow */
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, ymd(2025, 1, 1), INT_MAX),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, ymd(2025, 1, 1), INT_MIN),
                   CPW_EINVALID);
  /* bad arguments */
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, CPW_DATE_MAX + 1, 0), CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_working_days(f->ge, NULL, 0, 1), CPW_EINVALID);
  assert_int_equal(cpw_calendar_add_working_days(NULL, &r, 0, 1), CPW_EINVALID);
  assert_int_equal(r, 77);
  assert_int_equal(cpw_calendar_working_days_between(f->ge, &n, CPW_DATE_MIN - 1, 0),
                   CPW_EINVALID);
  assert_int_equal(cpw_calendar_working_days_between(f->ge, &n, 0, INT32_MAX), CPW_EINVALID);
  assert_int_equal(cpw_calendar_working_days_between(f->ge, NULL, 0, 1), CPW_EINVALID);
  assert_int_equal(cpw_calendar_working_days_between(NULL, &n, 0, 1), CPW_EINVALID);
  assert_int_equal(n, 5);
  /* the whole range: count, then walk it back and forth */
  total = between(f->ge, CPW_DATE_MIN, CPW_DATE_MAX);
  assert_true(total > 2400000 && total < 2600000);
  check_add(f->ge, CPW_DATE_MIN, (int)total, CPW_DATE_MAX);
  check_add(f->ge, CPW_DATE_MAX, -(int)total + 1, ymd(1, 1, 3));
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, CPW_DATE_MIN, (int)total + 1),
                   CPW_EINVALID);
  assert_int_equal(between(f->ge, CPW_DATE_MAX, CPW_DATE_MIN), -total);
}

static void test_calendar__many_working_days(void **state)
{
  fixture *f = *state;
  cpw_date start = ymd(2025, 3, 4), r;
  int n;
  for (n = 1000; n <= 5000; n += 1000) {
    assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, start, n), CPW_OK);
    assert_int_equal(between(f->ge, start, r), n);
    check_add(f->ge, r, -n, start);
  }
  /* roughly 245 working days a year */
  assert_int_equal(cpw_calendar_add_working_days(f->ge, &r, start, 2450), CPW_OK);
  assert_true(r > ymd(2034, 6, 1) && r < ymd(2035, 6, 1));
}

/* ------------------------------------------------------------------ allocation failures */

static int scenario_georgia(cpw_ctx *ctx, void *arg)
{
  cpw_calendar *cal = NULL;
  cpw_date due;
  int64_t n = 0;
  const char *name = NULL;
  int rc;
  (void)arg;
  rc = cpw_calendar_new_georgia(&cal, ctx);
  if (rc != CPW_OK) {
    if (cal != NULL)
      return CPW_ERROR; /* *out must stay NULL on failure */
    return rc;
  }
  if (cpw_calendar_add_working_days(cal, &due, ymd(2026, 4, 9), 3) != CPW_OK ||
      due != ymd(2026, 4, 16) ||
      cpw_calendar_working_days_between(cal, &n, ymd(2026, 4, 9), ymd(2026, 4, 16)) != CPW_OK ||
      n != 3 || !cpw_calendar_is_holiday(cal, ymd(2026, 4, 13), &name) ||
      strcmp(name, "Easter Monday (Day of Remembrance of the Deceased)") != 0) {
    cpw_calendar_free(cal);
    return CPW_ERROR;
  }
  /* adding to an existing calendar: a failure leaves it working */
  rc = cpw_calendar_add_date(cal, ymd(2026, 4, 14), "Extra day off");
  if (rc == CPW_OK && !cpw_calendar_is_holiday(cal, ymd(2026, 4, 14), NULL))
    rc = CPW_ERROR;
  if (rc == CPW_ENOMEM && (cpw_calendar_is_holiday(cal, ymd(2026, 4, 14), NULL) ||
                           !cpw_calendar_is_holiday(cal, ymd(2026, 4, 13), NULL)))
    rc = CPW_ERROR;
  cpw_calendar_free(cal);
  return rc;
}

static void test_calendar__oom(void **state)
{
  cpw_oom_result r;
  (void)state;
  CPW_ASSERT_OOM_CLEAN(scenario_georgia, NULL);
  assert_int_equal(cpw_oom_run(scenario_georgia, NULL, &r), 0);
  assert_true(r.allocations >= 20); /* calendar, names, rule array */
}

/* An allocation failure while adding a rule leaves the calendar as it was, and usable. */
static void test_calendar__oom_leaves_calendar_usable(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_calendar *cal = NULL;
  int i, attempt;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_non_null(ctx);
  assert_int_equal(cpw_calendar_new(&cal, ctx, "oom"), CPW_OK);
  /* fill the rule array to its capacity, so the next add must grow it (and copy a name) */
  for (i = 1; i <= 8; i++)
    assert_int_equal(cpw_calendar_add_annual(cal, 1, i, "Jan", CPW_DATE_MIN, CPW_DATE_MAX),
                     CPW_OK);
  for (attempt = 0; attempt < 2; attempt++) {
    ta.fail_at = ta.count + attempt; /* 0: the array growth fails; 1: the name copy fails */
    assert_int_equal(cpw_calendar_add_annual(cal, 2, 10, "Feb", CPW_DATE_MIN, CPW_DATE_MAX),
                     CPW_ENOMEM);
    assert_int_equal(cpw_ctx_last_error(ctx)->code, CPW_ENOMEM);
    ta.fail_at = -1;
    assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 2, 10), NULL), 0);
    assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 1, 8), NULL), 1);
    check_add(cal, ymd(2024, 12, 31), 1, ymd(2025, 1, 9));
  }
  assert_int_equal(cpw_calendar_add_annual(cal, 2, 10, "Feb", CPW_DATE_MIN, CPW_DATE_MAX),
                   CPW_OK);
  assert_int_equal(cpw_calendar_is_holiday(cal, ymd(2025, 2, 10), NULL), 1);
  /* creation failing at each allocation returns ENOMEM and *out NULL, leaking nothing */
  for (attempt = 0; attempt < 2; attempt++) {
    cpw_calendar *other = (cpw_calendar *)&ta;
    ta.fail_at = ta.count + attempt;
    assert_int_equal(cpw_calendar_new(&other, ctx, "x"), CPW_ENOMEM);
    assert_null(other);
    ta.fail_at = -1;
  }
  cpw_calendar_free(cal);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_calendar__new_and_name),
    cmocka_unit_test(test_calendar__weekend),
    cmocka_unit_test(test_calendar__georgia_2025),
    cmocka_unit_test(test_calendar__georgia_other_years),
    cmocka_unit_test(test_calendar__georgia_coinciding_rules),
    cmocka_unit_test(test_calendar__new_year),
    cmocka_unit_test(test_calendar__christmas),
    cmocka_unit_test(test_calendar__easter),
    cmocka_unit_test(test_calendar__may),
    cmocka_unit_test(test_calendar__weekends_and_zero),
    cmocka_unit_test(test_calendar__between_consistent_with_add),
    cmocka_unit_test(test_calendar__masks_agree_with_rules),
    cmocka_unit_test(test_calendar__custom_rules),
    cmocka_unit_test(test_calendar__range_limits),
    cmocka_unit_test(test_calendar__many_working_days),
    cmocka_unit_test(test_calendar__oom),
    cmocka_unit_test(test_calendar__oom_leaves_calendar_usable),
  };
  return cmocka_run_group_tests_name("calendar", tests, setup, teardown);
}
