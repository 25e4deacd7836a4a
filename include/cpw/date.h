/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/date.h: calendar dates, UTC instants, ISO 8601 and working-day calendars. */
#ifndef CPW_DATE_H
#define CPW_DATE_H

#include "common.h"

CPW_BEGIN_DECL

/* ------------------------------------------------------------------ dates
 * A cpw_date counts days since 1970-01-01 in the proleptic Gregorian calendar. Every function
 * that makes a date checks the range CPW_DATE_MIN..CPW_DATE_MAX (years 1 to 9999) and returns
 * CPW_EINVALID outside it, leaving *out unchanged.
 */

/** Bytes needed by cpw_date_format, with the terminating NUL ("2019-02-28"). */
#define CPW_DATE_BUFSIZE 11

/** The date of year-month-day. CPW_EINVALID for a day that does not exist (2019-02-29). */
CPW_API int cpw_date_from_ymd(cpw_date *out, int year, int month, int day);

/** Split a date into year, month (1-12) and day (1-31). Any pointer may be NULL. A date
 *  outside the range is split by the same proleptic rules (its year is then < 1 or > 9999). */
CPW_API void cpw_date_to_ymd(cpw_date date, int *year, int *month, int *day);

/**
 * Parse exactly "YYYY-MM-DD" (ISO 8601 calendar date, four-digit year 0001-9999). Nothing else
 * is accepted: no spaces, no time part, no two-digit fields. `len` is the length of `text`
 * (text need not be NUL-terminated; a NUL byte inside `len` is an error). CPW_EINVALID on
 * failure; when `ctx` is not NULL its last error says why ("day 30 does not exist in February
 * 2019", "month 13 is out of range (01-12)", "expected YYYY-MM-DD: character 5 should be
 * '-', not '/'"). Messages quote at most one punctuation character of the input
 * (a letter or digit is named by its kind: "not a digit").
 */
CPW_API int cpw_date_parse(cpw_date *out, cpw_ctx *ctx, const char *text, size_t len);

/** Write "YYYY-MM-DD" and a NUL into buf (at least CPW_DATE_BUFSIZE bytes).
 *  CPW_EINVALID if the date is out of range or buf is too small (buf is then "" if size > 0). */
CPW_API int cpw_date_format(char *buf, size_t size, cpw_date date);

/** date + days, range-checked (any int64 `days` is safe: no overflow). */
CPW_API int cpw_date_add_days(cpw_date *out, cpw_date date, int64_t days);

/**
 * date + months (negative to go back). Month-end rule: the day of month is kept when the
 * target month has it, otherwise the result is the target month's last day
 * (2019-01-31 + 1 month = 2019-02-28; 2020-01-31 + 1 month = 2020-02-29).
 */
CPW_API int cpw_date_add_months(cpw_date *out, cpw_date date, int months);

/** date + years, with the same month-end rule (2020-02-29 + 1 year = 2021-02-28). */
CPW_API int cpw_date_add_years(cpw_date *out, cpw_date date, int years);

/**
 * Age in completed years on date `on`: the number of birthdays reached by then. A birthday is
 * reached on its month and day; a 29 February birthday is reached on 1 March in common years
 * (someone born 2008-02-29 is 16 on 2025-02-28 and 17 on 2025-03-01). CPW_EINVALID if `on` is
 * before `birth`.
 */
CPW_API int cpw_date_age(int *years, cpw_date birth, cpw_date on);

/** ISO day of week: 1 = Monday ... 7 = Sunday. */
CPW_API int cpw_date_weekday(cpw_date date);

/** 1 if `year` is a Gregorian leap year, else 0. */
CPW_API int cpw_date_is_leap_year(int year);

/** Days in a month (28-31), or 0 if month is not 1-12. */
CPW_API int cpw_date_days_in_month(int year, int month);

/** The Gregorian date of Orthodox (Julian-computed) Easter Sunday in `year` (1-9999). */
CPW_API int cpw_date_orthodox_easter(cpw_date *out, int year);

/* ------------------------------------------------------------------ instants */

/** Bytes needed by cpw_time_format ("2026-03-02T09:00:00+04:00" and a NUL). */
#define CPW_TIME_BUFSIZE 26

/**
 * Parse an ISO 8601 date-time with an explicit offset: "YYYY-MM-DDTHH:MM:SSZ" or
 * "YYYY-MM-DDTHH:MM:SS+HH:MM" / "-HH:MM" (a space instead of 'T' is accepted; seconds may be
 * omitted; fractional seconds are refused because instants are kept in whole seconds). A time
 * without an offset is refused: a local time is ambiguous. Hours 00-23, minutes and seconds
 * 00-59 (no leap second), offsets up to 23:59 either way; 'T' and 'Z' are upper case.
 * CPW_EINVALID on failure, with the reason in ctx's last error when ctx is not NULL.
 */
CPW_API int cpw_time_parse(cpw_time *out, cpw_ctx *ctx, const char *text, size_t len);

/** Format `t` as seen at UTC offset `offset_minutes` (-1439..1439): "...Z" for 0, else
 *  "+HH:MM". buf needs CPW_TIME_BUFSIZE bytes whatever the offset. CPW_EINVALID if the offset,
 *  or the local date, is out of range, or buf is too small (buf is then "" if size > 0). */
CPW_API int cpw_time_format(char *buf, size_t size, cpw_time t, int offset_minutes);

/** The calendar date of `t` at UTC offset `offset_minutes` (days are floored: -1 s is
 *  1969-12-31 at offset 0). There is no error: an instant beyond the date range gives a date
 *  outside CPW_DATE_MIN..CPW_DATE_MAX (saturated to the int32 limits), which every function
 *  taking a date refuses. */
CPW_API cpw_date cpw_time_to_date(cpw_time t, int offset_minutes);

/** The instant of local time date hh:mm:ss at UTC offset `offset_minutes`. CPW_EINVALID if
 *  the date is out of range, hour is not 0-23, minute or second not 0-59, or the offset not
 *  -1439..1439. */
CPW_API int cpw_time_from_date(cpw_time *out, cpw_date date, int hour, int minute, int second,
                               int offset_minutes);

/* ------------------------------------------------------------------ calendars
 * A working-day calendar: a weekend (Saturday and Sunday by default) and holidays, each a fixed
 * month-day every year, an offset from Orthodox Easter Sunday, or a single date. Annual rules
 * may carry an effective range (a holiday introduced in 2024). Holidays falling on a weekend
 * are not moved (Georgian practice).
 */
typedef struct cpw_calendar cpw_calendar;

/** Weekday bits for cpw_calendar_set_weekend: bit (weekday - 1), Monday = bit 0. */
#define CPW_WEEKDAY_BIT(wd) (1u << ((wd) - 1))

/** An empty calendar (weekend Saturday and Sunday, no holidays). Free with
 *  cpw_calendar_free, before `ctx`: the calendar allocates through ctx and records its errors
 *  there. `name` (valid UTF-8) is copied; it may be NULL. CPW_EINVALID (out or ctx NULL, a
 *  name that is not UTF-8), CPW_ENOMEM. */
CPW_API int cpw_calendar_new(cpw_calendar **out, cpw_ctx *ctx, const char *name);

/** Georgia's calendar: a copy of the default policy's calendar `georgia`
 *  (lib/policy/georgia/00-policy.cpw, cpw_policy_default): the public holidays of the Labour
 *  Code of Georgia (Article 30), with Orthodox Good Friday, Holy Saturday, Easter Sunday and
 *  Easter Monday computed per year, and the days off the Government declared for
 *  administrative bodies. Named "Georgia". Compiles the default policy, so it costs a
 *  compile. CPW_EINVALID (out or ctx NULL), CPW_ENOMEM. */
CPW_API int cpw_calendar_new_georgia(cpw_calendar **out, cpw_ctx *ctx);

/** Free a calendar. NULL is allowed. */
CPW_API void cpw_calendar_free(cpw_calendar *cal);

/** The calendar's name ("" if none); borrowed from the calendar. */
CPW_API const char *cpw_calendar_name(const cpw_calendar *cal);

/** Set the weekend days (CPW_WEEKDAY_BIT mask; 0 for none, not all seven). */
CPW_API int cpw_calendar_set_weekend(cpw_calendar *cal, unsigned int weekday_mask);

/** A holiday on month/day every year, on the dates from `from` to `to` inclusive
 *  (CPW_DATE_MIN/MAX for always). `name` (valid UTF-8) is copied (NULL means ""). 29 February
 *  counts only in leap years. CPW_EINVALID for a month/day that no year has, a bad range or a
 *  name that is not UTF-8; CPW_ENOMEM leaves the calendar as it was. */
CPW_API int cpw_calendar_add_annual(cpw_calendar *cal, int month, int day, const char *name,
                                    cpw_date from, cpw_date to);

/** A holiday `offset` days (-366..366) from Orthodox Easter Sunday every year (-2 = Good
 *  Friday), on the dates from `from` to `to` inclusive. Errors as cpw_calendar_add_annual. */
CPW_API int cpw_calendar_add_easter(cpw_calendar *cal, int offset, const char *name,
                                    cpw_date from, cpw_date to);

/** A one-off holiday on `date`. Errors as cpw_calendar_add_annual. */
CPW_API int cpw_calendar_add_date(cpw_calendar *cal, cpw_date date, const char *name);

/** 1 if `date` is a holiday (and *name, if not NULL, is its borrowed name: the first rule
 *  added that matches), else 0. Weekends are not holidays. 0 for cal NULL or a date out of
 *  range. */
CPW_API int cpw_calendar_is_holiday(const cpw_calendar *cal, cpw_date date, const char **name);

/** 1 if `date` is neither a weekend day nor a holiday, else 0 (also for cal NULL or a date
 *  out of range). */
CPW_API int cpw_calendar_is_working_day(const cpw_calendar *cal, cpw_date date);

/**
 * The date `n` working days after `date` (before it when n < 0): each step moves to the next
 * (previous) working day, so from a Friday 1 working day is the next Monday, and from a
 * Saturday too. n == 0 gives `date` itself, even when it is not a working day.
 * CPW_EINVALID if `date` or the result is out of the date range. Any n is safe: the work is
 * bounded by the date range, and a few thousand working days take a few year-sized steps.
 */
CPW_API int cpw_calendar_add_working_days(const cpw_calendar *cal, cpw_date *out, cpw_date date,
                                          int n);

/** The number of working days d with from < d <= to; when to < from, minus the number with
 *  to < d <= from. So working_days_between(date, add_working_days(date, n)) == n for n >= 0,
 *  and for n < 0 when `date` is a working day. CPW_EINVALID for a date out of range. */
CPW_API int cpw_calendar_working_days_between(const cpw_calendar *cal, int64_t *out,
                                              cpw_date from, cpw_date to);

CPW_END_DECL

#endif
