/* SPDX-License-Identifier: Apache-2.0 */
/* base/calendar.c: working-day calendars (weekend, annual, Easter-relative and one-off
 * holidays); Georgia's is the default policy's (lib/policy/policy.c).
 *
 * A calendar is a short list of rules. Single-date questions walk the rules. Working-day
 * arithmetic works a year at a time: it builds a 366-bit mask of that year's non-working days
 * (O(rules) per year) and then steps through the mask, so adding or counting a few thousand
 * working days costs a few masks, and any loop is bounded by the date range (years 1-9999).
 */
#include "base/base.h"
#include "base/utf8.h"

typedef enum rule_kind {
  RULE_ANNUAL,  /* month/day every year */
  RULE_EASTER,  /* offset days from Orthodox Easter Sunday */
  RULE_DATE     /* a single date */
} rule_kind;

typedef struct rule {
  rule_kind kind;
  int month, day;     /* RULE_ANNUAL */
  int offset;         /* RULE_EASTER */
  cpw_date date;      /* RULE_DATE */
  cpw_date from, to;  /* the rule holds on dates from..to (inclusive) */
  char *name;         /* owned; allocated with name_len + 1 bytes */
  size_t name_len;
} rule;

struct cpw_calendar {
  cpw_ctx *ctx;
  char *name;          /* owned, never NULL; name_len + 1 bytes */
  size_t name_len;
  unsigned int weekend;
  rule *rules;
  size_t nrules, cap;
};

#define WEEKEND_DEFAULT (CPW_WEEKDAY_BIT(6) | CPW_WEEKDAY_BIT(7))
#define ALL_WEEKDAYS 0x7fu
#define YEAR_MASK_BYTES 46 /* 366 bits */

/* ------------------------------------------------------------------ helpers */

static int date_ok(cpw_date d)
{
  return d >= CPW_DATE_MIN && d <= CPW_DATE_MAX;
}

static int year_of(cpw_date d)
{
  int y;
  cpw_date_to_ymd(d, &y, NULL, NULL);
  return y;
}

/* The first and last day of `year` (1-9999). */
static void year_bounds(int year, cpw_date *first, cpw_date *last)
{
  cpw_date_from_ymd(first, year, 1, 1);
  cpw_date_from_ymd(last, year, 12, 31);
}

static int name_ok(const char *name)
{
  return name == NULL || cpw__utf8_valid(name, strlen(name));
}

static char *copy_name(cpw_ctx *ctx, const char *name, size_t *len)
{
  *len = name != NULL ? strlen(name) : 0;
  return cpw__strndup(ctx, name != NULL ? name : "", *len);
}

/* Does rule r make date d (in range) a holiday? */
static int rule_matches(const rule *r, cpw_date d)
{
  int y, m, day;
  if (d < r->from || d > r->to)
    return 0;
  switch (r->kind) {
  case RULE_ANNUAL:
    cpw_date_to_ymd(d, NULL, &m, &day);
    return m == r->month && day == r->day;
  case RULE_EASTER: {
    /* d is the holiday of the Easter Sunday d - offset, if that day is an Easter Sunday. */
    int64_t e = (int64_t)d - r->offset;
    cpw_date easter;
    if (e < CPW_DATE_MIN || e > CPW_DATE_MAX)
      return 0;
    y = year_of((cpw_date)e);
    return cpw_date_orthodox_easter(&easter, y) == CPW_OK && easter == e;
  }
  case RULE_DATE:
    return d == r->date;
  }
  return 0;
}

static void mask_set(unsigned char *mask, int64_t i)
{
  mask[i >> 3] = (unsigned char)(mask[i >> 3] | (1u << (i & 7)));
}

static int mask_get(const unsigned char *mask, int64_t i)
{
  return (int)((mask[i >> 3] >> (i & 7)) & 1u);
}

/* Bit i of mask: day first + i of `year` is not a working day. */
static void year_mask(const cpw_calendar *cal, int year, unsigned char mask[YEAR_MASK_BYTES])
{
  cpw_date first, last, d;
  int ndays, i, wd;
  size_t k;

  memset(mask, 0, YEAR_MASK_BYTES);
  year_bounds(year, &first, &last);
  ndays = (int)(last - first) + 1;
  wd = cpw_date_weekday(first);
  for (i = 0; i < ndays; i++) {
    if (cal->weekend & CPW_WEEKDAY_BIT(wd))
      mask_set(mask, i);
    wd = wd == 7 ? 1 : wd + 1;
  }
  for (k = 0; k < cal->nrules; k++) {
    const rule *r = &cal->rules[k];
    switch (r->kind) {
    case RULE_ANNUAL:
      if (cpw_date_from_ymd(&d, year, r->month, r->day) == CPW_OK && d >= r->from && d <= r->to)
        mask_set(mask, d - first);
      break;
    case RULE_EASTER: {
      /* The Easter Sundays whose holiday can fall in this year: those in the years of
       * first - offset .. last - offset (at most two or three years). */
      int64_t lo = (int64_t)first - r->offset, hi = (int64_t)last - r->offset;
      int ylo, yhi, ey;
      if (hi < CPW_DATE_MIN || lo > CPW_DATE_MAX)
        break;
      ylo = year_of((cpw_date)(lo < CPW_DATE_MIN ? CPW_DATE_MIN : lo));
      yhi = year_of((cpw_date)(hi > CPW_DATE_MAX ? CPW_DATE_MAX : hi));
      for (ey = ylo; ey <= yhi; ey++) {
        cpw_date easter;
        int64_t h;
        if (cpw_date_orthodox_easter(&easter, ey) != CPW_OK)
          continue;
        h = (int64_t)easter + r->offset;
        if (h >= first && h <= last && h >= r->from && h <= r->to)
          mask_set(mask, h - first);
      }
      break;
    }
    case RULE_DATE:
      if (r->date >= first && r->date <= last)
        mask_set(mask, r->date - first);
      break;
    }
  }
}

/* ------------------------------------------------------------------ life cycle */

int cpw_calendar_new(cpw_calendar **out, cpw_ctx *ctx, const char *name)
{
  cpw_calendar *cal;
  if (out != NULL)
    *out = NULL;
  if (out == NULL || ctx == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_calendar_new: out and ctx must not be NULL");
  if (!name_ok(name))
    return cpw__set_error(ctx, CPW_EINVALID, "a calendar name must be valid UTF-8");
  cal = cpw__malloc(ctx, sizeof *cal);
  if (cal == NULL)
    return CPW_ENOMEM;
  memset(cal, 0, sizeof *cal);
  cal->ctx = ctx;
  cal->weekend = WEEKEND_DEFAULT;
  cal->name = copy_name(ctx, name, &cal->name_len);
  if (cal->name == NULL) {
    cpw__free(ctx, cal, sizeof *cal);
    return CPW_ENOMEM;
  }
  *out = cal;
  return CPW_OK;
}

void cpw_calendar_free(cpw_calendar *cal)
{
  size_t i;
  cpw_ctx *ctx;
  if (cal == NULL)
    return;
  ctx = cal->ctx;
  for (i = 0; i < cal->nrules; i++)
    cpw__free(ctx, cal->rules[i].name, cal->rules[i].name_len + 1);
  cpw__free(ctx, cal->rules, cal->cap * sizeof *cal->rules);
  cpw__free(ctx, cal->name, cal->name_len + 1);
  cpw__free(ctx, cal, sizeof *cal);
}

const char *cpw_calendar_name(const cpw_calendar *cal)
{
  return cal != NULL ? cal->name : "";
}

int cpw_calendar_set_weekend(cpw_calendar *cal, unsigned int weekday_mask)
{
  if (cal == NULL)
    return CPW_EINVALID;
  if ((weekday_mask & ~ALL_WEEKDAYS) != 0 || weekday_mask == ALL_WEEKDAYS)
    return cpw__set_error(cal->ctx, CPW_EINVALID, "weekend mask 0x%x is invalid (bits 0-6 for "
                          "Monday-Sunday, not all seven)", weekday_mask);
  cal->weekend = weekday_mask;
  return CPW_OK;
}

/* Append a rule; on failure the calendar is unchanged. */
static int add_rule(cpw_calendar *cal, rule *r, const char *name)
{
  int rc;
  if (!name_ok(name))
    return cpw__set_error(cal->ctx, CPW_EINVALID, "a holiday name must be valid UTF-8");
  rc = cpw__grow(cal->ctx, (void **)&cal->rules, &cal->cap, cal->nrules + 1, sizeof *r);
  if (rc != CPW_OK)
    return rc;
  r->name = copy_name(cal->ctx, name, &r->name_len);
  if (r->name == NULL)
    return CPW_ENOMEM;
  cal->rules[cal->nrules++] = *r;
  return CPW_OK;
}

static int check_range(cpw_calendar *cal, cpw_date from, cpw_date to)
{
  if (!date_ok(from) || !date_ok(to) || from > to)
    return cpw__set_error(cal->ctx, CPW_EINVALID, "holiday effective range is invalid (dates "
                          "0001-01-01 to 9999-12-31, from <= to)");
  return CPW_OK;
}

int cpw_calendar_add_annual(cpw_calendar *cal, int month, int day, const char *name,
                            cpw_date from, cpw_date to)
{
  rule r;
  int rc;
  if (cal == NULL)
    return CPW_EINVALID;
  /* 2000 is a leap year: 29 February is accepted, and counts only in leap years. */
  if (month < 1 || month > 12 || day < 1 || day > cpw_date_days_in_month(2000, month))
    return cpw__set_error(cal->ctx, CPW_EINVALID, "annual holiday %02d-%02d is not a day of the "
                          "year", month, day);
  if ((rc = check_range(cal, from, to)) != CPW_OK)
    return rc;
  memset(&r, 0, sizeof r);
  r.kind = RULE_ANNUAL;
  r.month = month;
  r.day = day;
  r.from = from;
  r.to = to;
  return add_rule(cal, &r, name);
}

int cpw_calendar_add_easter(cpw_calendar *cal, int offset, const char *name, cpw_date from,
                            cpw_date to)
{
  rule r;
  int rc;
  if (cal == NULL)
    return CPW_EINVALID;
  if (offset < -366 || offset > 366)
    return cpw__set_error(cal->ctx, CPW_EINVALID, "Easter offset %d is out of range "
                          "(-366..366 days)", offset);
  if ((rc = check_range(cal, from, to)) != CPW_OK)
    return rc;
  memset(&r, 0, sizeof r);
  r.kind = RULE_EASTER;
  r.offset = offset;
  r.from = from;
  r.to = to;
  return add_rule(cal, &r, name);
}

int cpw_calendar_add_date(cpw_calendar *cal, cpw_date date, const char *name)
{
  rule r;
  if (cal == NULL)
    return CPW_EINVALID;
  if (!date_ok(date))
    return cpw__set_error(cal->ctx, CPW_EINVALID, "holiday date is out of range "
                          "(0001-01-01 to 9999-12-31)");
  memset(&r, 0, sizeof r);
  r.kind = RULE_DATE;
  r.date = date;
  r.from = date;
  r.to = date;
  return add_rule(cal, &r, name);
}

/* ------------------------------------------------------------------ queries */

int cpw_calendar_is_holiday(const cpw_calendar *cal, cpw_date date, const char **name)
{
  size_t i;
  if (cal == NULL || !date_ok(date))
    return 0;
  for (i = 0; i < cal->nrules; i++) {
    if (rule_matches(&cal->rules[i], date)) {
      if (name != NULL)
        *name = cal->rules[i].name;
      return 1;
    }
  }
  return 0;
}

int cpw_calendar_is_working_day(const cpw_calendar *cal, cpw_date date)
{
  if (cal == NULL || !date_ok(date))
    return 0;
  if (cal->weekend & CPW_WEEKDAY_BIT(cpw_date_weekday(date)))
    return 0;
  return !cpw_calendar_is_holiday(cal, date, NULL);
}

int cpw_calendar_add_working_days(const cpw_calendar *cal, cpw_date *out, cpw_date date, int n)
{
  if (cal == NULL || out == NULL)
    return CPW_EINVALID;
  return cpw__calendar_add_working_days(cal, cal->ctx, out, date, n);
}

int cpw__calendar_add_working_days(const cpw_calendar *cal, cpw_ctx *ctx, cpw_date *out,
                                   cpw_date date, int n)
{
  unsigned char mask[YEAR_MASK_BYTES];
  cpw_date first = 0, last = -1, cur = date;
  int64_t remaining = n < 0 ? -(int64_t)n : (int64_t)n;
  int step = n < 0 ? -1 : 1;

  if (!date_ok(date))
    return cpw__set_error(ctx, CPW_EINVALID, "date is out of range "
                          "(0001-01-01 to 9999-12-31)");
  /* Each working day is at least one day away: a result beyond the range is known now. */
  if ((step > 0 && remaining > (int64_t)CPW_DATE_MAX - date) ||
      (step < 0 && remaining > (int64_t)date - CPW_DATE_MIN))
    return cpw__set_error(ctx, CPW_EINVALID, "%d working days from the date leave the date "
                          "range (0001-01-01 to 9999-12-31)", n);
  while (remaining > 0) {
    if ((step > 0 && cur == CPW_DATE_MAX) || (step < 0 && cur == CPW_DATE_MIN))
      return cpw__set_error(ctx, CPW_EINVALID, "%d working days from the date leave the "
                            "date range (0001-01-01 to 9999-12-31)", n);
    cur += step;
    if (cur < first || cur > last) {
      int y = year_of(cur);
      year_mask(cal, y, mask);
      year_bounds(y, &first, &last);
    }
    if (!mask_get(mask, cur - first))
      remaining--;
  }
  *out = cur;
  return CPW_OK;
}

int cpw_calendar_working_days_between(const cpw_calendar *cal, int64_t *out, cpw_date from,
                                      cpw_date to)
{
  unsigned char mask[YEAR_MASK_BYTES];
  cpw_date lo, hi, first, last, d;
  int64_t count = 0;

  if (cal == NULL || out == NULL)
    return CPW_EINVALID;
  if (!date_ok(from) || !date_ok(to))
    return cpw__set_error(cal->ctx, CPW_EINVALID, "date is out of range "
                          "(0001-01-01 to 9999-12-31)");
  lo = from < to ? from : to;
  hi = from < to ? to : from;
  /* Count working days d with lo < d <= hi, one year at a time. */
  d = lo;
  while (d < hi) {
    int y = year_of(d + 1);
    cpw_date end;
    year_mask(cal, y, mask);
    year_bounds(y, &first, &last);
    end = last < hi ? last : hi;
    for (d = d + 1; d <= end; d++)
      count += !mask_get(mask, d - first);
    d = end;
  }
  *out = from <= to ? count : -count;
  return CPW_OK;
}

/* ------------------------------------------------------------------ copies */

/* Georgia's calendar is not listed here: cpw_calendar_new_georgia (lib/policy/policy.c) copies
 * the default policy's calendar (lib/policy/georgia/00-policy.cpw), so that the library has
 * one list of Georgia's holidays and days off, with their sources. */
int cpw__calendar_copy(cpw_calendar **out, cpw_ctx *ctx, const cpw_calendar *src,
                       const char *name)
{
  cpw_calendar *cal = NULL;
  size_t i;
  int rc = cpw_calendar_new(&cal, ctx, name);
  if (rc != CPW_OK || cal == NULL)
    return rc != CPW_OK ? rc : CPW_EINVALID;
  cal->weekend = src->weekend;
  for (i = 0; rc == CPW_OK && i < src->nrules; i++) {
    const rule *r = &src->rules[i];
    switch (r->kind) {
    case RULE_ANNUAL:
      rc = cpw_calendar_add_annual(cal, r->month, r->day, r->name, r->from, r->to);
      break;
    case RULE_EASTER:
      rc = cpw_calendar_add_easter(cal, r->offset, r->name, r->from, r->to);
      break;
    case RULE_DATE:
      rc = cpw_calendar_add_date(cal, r->date, r->name);
      break;
    }
  }
  if (rc != CPW_OK) {
    cpw_calendar_free(cal);
    return rc;
  }
  *out = cal;
  return CPW_OK;
}
