/* SPDX-License-Identifier: Apache-2.0 */
/* base/date.c: calendar dates, UTC instants and strict ISO 8601 text (see cpw/date.h).
 *
 * Dates are days since 1970-01-01 in the proleptic Gregorian calendar. The conversions use
 * Howard Hinnant's era-based algorithms ("chrono-Compatible Low-Level Date Algorithms") in
 * 64-bit arithmetic, so every int32 day number and every year in range converts without
 * overflow. Nothing here allocates.
 */
#include "base/base.h"

#define SECONDS_PER_DAY INT64_C(86400)
#define UNIX_EPOCH_JDN INT64_C(2440588) /* Julian Day Number of 1970-01-01 */

static const char *const month_names[12] = {
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December"
};

/* ------------------------------------------------------------------ arithmetic helpers */

static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

static int in_range(int64_t days)
{
  return days >= CPW_DATE_MIN && days <= CPW_DATE_MAX;
}

/* Days since 1970-01-01 of y-m-d (proleptic Gregorian; m 1-12, d 1-31, y any small value). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
  int64_t era, yoe, doy, doe;
  y -= m <= 2;
  era = floor_div(y, 400);
  yoe = y - era * 400;                                       /* [0, 399] */
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;     /* [0, 365] */
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;               /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
  int64_t era, doe, yoe, doy, mp;
  z += 719468;
  era = floor_div(z, 146097);
  doe = z - era * 146097;                                          /* [0, 146096] */
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;     /* [0, 399] */
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                   /* [0, 365] */
  mp = (5 * doy + 2) / 153;                                        /* [0, 11] */
  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

static int is_leap(int64_t y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int64_t y, int m)
{
  static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m < 1 || m > 12)
    return 0;
  return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* ------------------------------------------------------------------ dates */

int cpw_date_from_ymd(cpw_date *out, int year, int month, int day)
{
  if (out == NULL || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > month_length(year, month))
    return CPW_EINVALID;
  *out = (cpw_date)days_from_civil(year, month, day);
  return CPW_OK;
}

void cpw_date_to_ymd(cpw_date date, int *year, int *month, int *day)
{
  int64_t y;
  int m, d;
  civil_from_days(date, &y, &m, &d);
  if (year != NULL)
    *year = (int)y; /* |y| < 6 million for any int32 day number */
  if (month != NULL)
    *month = m;
  if (day != NULL)
    *day = d;
}

int cpw_date_is_leap_year(int year)
{
  return is_leap(year);
}

int cpw_date_days_in_month(int year, int month)
{
  return month_length(year, month);
}

int cpw_date_weekday(cpw_date date)
{
  /* 1970-01-01 was a Thursday (ISO 4). */
  return (int)(((int64_t)date + 3) - floor_div((int64_t)date + 3, 7) * 7) + 1;
}

int cpw_date_format(char *buf, size_t size, cpw_date date)
{
  int64_t y;
  int m, d;
  if (buf == NULL || size < CPW_DATE_BUFSIZE) {
    if (buf != NULL && size > 0)
      buf[0] = '\0';
    return CPW_EINVALID;
  }
  if (!in_range(date)) {
    buf[0] = '\0';
    return CPW_EINVALID;
  }
  civil_from_days(date, &y, &m, &d);
  buf[0] = (char)('0' + y / 1000);
  buf[1] = (char)('0' + y / 100 % 10);
  buf[2] = (char)('0' + y / 10 % 10);
  buf[3] = (char)('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + d / 10);
  buf[9] = (char)('0' + d % 10);
  buf[10] = '\0';
  return CPW_OK;
}

int cpw_date_add_days(cpw_date *out, cpw_date date, int64_t days)
{
  if (out == NULL || !in_range(date))
    return CPW_EINVALID;
  /* date is in range, so both bounds are small: no overflow in the comparison. */
  if (days > (int64_t)CPW_DATE_MAX - date || days < (int64_t)CPW_DATE_MIN - date)
    return CPW_EINVALID;
  *out = (cpw_date)(date + days);
  return CPW_OK;
}

/* year/month/day with the month-end rule: a missing day becomes the month's last day. */
static int make_clamped(cpw_date *out, int64_t year, int month, int day)
{
  int last;
  if (year < 1 || year > 9999)
    return CPW_EINVALID;
  last = month_length(year, month);
  *out = (cpw_date)days_from_civil(year, month, day < last ? day : last);
  return CPW_OK;
}

int cpw_date_add_months(cpw_date *out, cpw_date date, int months)
{
  int64_t y, total;
  int m, d;
  if (out == NULL || !in_range(date))
    return CPW_EINVALID;
  civil_from_days(date, &y, &m, &d);
  total = y * 12 + (m - 1) + (int64_t)months; /* |total| < 2^32: no overflow */
  return make_clamped(out, floor_div(total, 12), (int)(total - floor_div(total, 12) * 12) + 1,
                      d);
}

int cpw_date_add_years(cpw_date *out, cpw_date date, int years)
{
  int64_t y;
  int m, d;
  if (out == NULL || !in_range(date))
    return CPW_EINVALID;
  civil_from_days(date, &y, &m, &d);
  return make_clamped(out, y + years, m, d);
}

int cpw_date_age(int *years, cpw_date birth, cpw_date on)
{
  int64_t by, oy, age;
  int bm, bd, om, od;
  if (years == NULL || !in_range(birth) || !in_range(on) || on < birth)
    return CPW_EINVALID;
  civil_from_days(birth, &by, &bm, &bd);
  civil_from_days(on, &oy, &om, &od);
  age = oy - by;
  /* Plain (month, day) order also settles 29 February: in a common year neither 28 February
   * (2-28 < 2-29) counts as the birthday, and 1 March (3-1 > 2-29) does. */
  if (om < bm || (om == bm && od < bd))
    age--;
  *years = (int)age;
  return CPW_OK;
}

/* Days since 1970-01-01 of a date of the Julian calendar (valid for every year > -4800). */
static int64_t days_from_julian(int64_t y, int m, int d)
{
  int64_t a = (14 - m) / 12;
  int64_t yy = y + 4800 - a;
  int64_t mm = m + 12 * a - 3;
  int64_t jdn = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - 32083;
  return jdn - UNIX_EPOCH_JDN;
}

int cpw_date_orthodox_easter(cpw_date *out, int year)
{
  int a, b, c, d, e, month, day;
  int64_t days;
  if (out == NULL || year < 1 || year > 9999)
    return CPW_EINVALID;
  /* Meeus, Astronomical Algorithms, "Julian Easter": the date in the Julian calendar. */
  a = year % 4;
  b = year % 7;
  c = year % 19;
  d = (19 * c + 15) % 30;
  e = (2 * a + 4 * b - d + 34) % 7;
  month = (d + e + 114) / 31;
  day = (d + e + 114) % 31 + 1;
  /* Through the day number, not a fixed +13: the gap is 13 days only in 1900-2099. */
  days = days_from_julian(year, month, day);
  if (!in_range(days))
    return CPW_EINVALID; /* cannot happen for years 1-9999; kept as a guard */
  *out = (cpw_date)days;
  return CPW_OK;
}

/* ------------------------------------------------------------------ strict ISO 8601 text */

#define DATE_FORMAT "YYYY-MM-DD"
#define TIME_FORMAT "YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM"

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* The error for text[pos] not being `want`. Echoes at most that one character. */
static int bad_char(cpw_ctx *ctx, const char *format, const char *text, size_t len, size_t pos,
                    const char *want)
{
  unsigned char c;
  if (pos >= len) {
    if (len == 0)
      return cpw__set_error(ctx, CPW_EINVALID, "empty text (expected %s)", format);
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: the text ends after %zu characters",
                          format, len);
  }
  c = (unsigned char)text[pos];
  if (c == '\0')
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: a NUL byte at character %zu", format,
                          pos + 1);
  /* a letter or a digit may be part of personal data: named by its kind, never quoted */
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: character %zu should be %s, not %s",
                          format, pos + 1, want,
                          c <= '9' ? "a digit" : c >= 'a' ? "a lower-case letter"
                                                          : "an upper-case letter");
  if (c >= 0x20 && c < 0x7f)
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: character %zu should be %s, not '%c'",
                          format, pos + 1, want, (char)c);
  return cpw__set_error(ctx, CPW_EINVALID,
                        "expected %s: character %zu should be %s, not byte 0x%02x", format,
                        pos + 1, want, (unsigned)c);
}

/* Read `n` digits at *pos into *value. CPW_OK or CPW_EINVALID (error set). */
static int read_digits(cpw_ctx *ctx, const char *format, const char *text, size_t len,
                       size_t *pos, int n, int *value)
{
  int i, v = 0;
  for (i = 0; i < n; i++) {
    size_t p = *pos + (size_t)i;
    if (p >= len || !is_digit(text[p]))
      return bad_char(ctx, format, text, len, p, "a digit");
    v = v * 10 + (text[p] - '0');
  }
  *pos += (size_t)n;
  *value = v;
  return CPW_OK;
}

static int expect_char(cpw_ctx *ctx, const char *format, const char *text, size_t len,
                       size_t *pos, char c, const char *want)
{
  if (*pos >= len || text[*pos] != c)
    return bad_char(ctx, format, text, len, *pos, want);
  (*pos)++;
  return CPW_OK;
}

/* The "YYYY-MM-DD" at the start of text (len may be longer). */
static int parse_date_part(cpw_ctx *ctx, const char *format, const char *text, size_t len,
                           cpw_date *out)
{
  size_t pos = 0;
  int year = 0, month = 0, day = 0, rc;

  if (len == 0)
    return cpw__set_error(ctx, CPW_EINVALID, "empty text (expected %s)", format);
  if ((rc = read_digits(ctx, format, text, len, &pos, 4, &year)) != CPW_OK)
    return rc;
  if (pos < len && is_digit(text[pos]))
    return cpw__set_error(ctx, CPW_EINVALID,
                          "expected %s: the year has more than 4 digits (0001-9999)", format);
  if ((rc = expect_char(ctx, format, text, len, &pos, '-', "'-'")) != CPW_OK ||
      (rc = read_digits(ctx, format, text, len, &pos, 2, &month)) != CPW_OK ||
      (rc = expect_char(ctx, format, text, len, &pos, '-', "'-'")) != CPW_OK ||
      (rc = read_digits(ctx, format, text, len, &pos, 2, &day)) != CPW_OK)
    return rc;
  if (year < 1)
    return cpw__set_error(ctx, CPW_EINVALID, "year 0000 is out of range (0001-9999)");
  if (month < 1 || month > 12)
    return cpw__set_error(ctx, CPW_EINVALID, "month %02d is out of range (01-12)", month);
  if (day < 1 || day > 31)
    return cpw__set_error(ctx, CPW_EINVALID, "day %02d is out of range (01-31)", day);
  if (day > month_length(year, month))
    return cpw__set_error(ctx, CPW_EINVALID, "day %d does not exist in %s %04d", day,
                          month_names[month - 1], year);
  *out = (cpw_date)days_from_civil(year, month, day);
  return CPW_OK;
}

int cpw_date_parse(cpw_date *out, cpw_ctx *ctx, const char *text, size_t len)
{
  cpw_date d = 0;
  int rc;
  if (out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_date_parse: out is NULL");
  if (text == NULL) {
    if (len != 0)
      return cpw__set_error(ctx, CPW_EINVALID, "cpw_date_parse: text is NULL");
    return cpw__set_error(ctx, CPW_EINVALID, "empty text (expected %s)", DATE_FORMAT);
  }
  if ((rc = parse_date_part(ctx, DATE_FORMAT, text, len, &d)) != CPW_OK)
    return rc;
  if (len > 10)
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: %zu unexpected characters after the "
                          "date", DATE_FORMAT, len - 10);
  *out = d;
  return CPW_OK;
}

/* ------------------------------------------------------------------ instants */

/* Instants whose UTC date is within a day of the date range: beyond these no offset can
 * bring them back in range, and the arithmetic below cannot overflow. */
#define TIME_LOW (((int64_t)CPW_DATE_MIN - 1) * SECONDS_PER_DAY)
#define TIME_HIGH (((int64_t)CPW_DATE_MAX + 2) * SECONDS_PER_DAY)

int cpw_time_parse(cpw_time *out, cpw_ctx *ctx, const char *text, size_t len)
{
  cpw_date date = 0;
  size_t pos = 10;
  int rc, hour = 0, minute = 0, second = 0, off_h = 0, off_m = 0, sign = 1;

  if (out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_time_parse: out is NULL");
  if (text == NULL) {
    if (len != 0)
      return cpw__set_error(ctx, CPW_EINVALID, "cpw_time_parse: text is NULL");
    return cpw__set_error(ctx, CPW_EINVALID, "empty text (expected %s)", TIME_FORMAT);
  }
  if ((rc = parse_date_part(ctx, TIME_FORMAT, text, len, &date)) != CPW_OK)
    return rc;
  if (len == 10)
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: the time of day is missing",
                          TIME_FORMAT);
  if (text[pos] != 'T' && text[pos] != ' ')
    return bad_char(ctx, TIME_FORMAT, text, len, pos, "'T' or a space");
  pos++;
  if ((rc = read_digits(ctx, TIME_FORMAT, text, len, &pos, 2, &hour)) != CPW_OK ||
      (rc = expect_char(ctx, TIME_FORMAT, text, len, &pos, ':', "':'")) != CPW_OK ||
      (rc = read_digits(ctx, TIME_FORMAT, text, len, &pos, 2, &minute)) != CPW_OK)
    return rc;
  if (pos < len && text[pos] == ':') {
    pos++;
    if ((rc = read_digits(ctx, TIME_FORMAT, text, len, &pos, 2, &second)) != CPW_OK)
      return rc;
  }
  if (pos < len && (text[pos] == '.' || text[pos] == ','))
    return cpw__set_error(ctx, CPW_EINVALID, "fractional seconds are not supported: instants "
                          "are kept in whole seconds");
  if (pos >= len)
    return cpw__set_error(ctx, CPW_EINVALID, "the time has no UTC offset (add Z or +HH:MM): a "
                          "local time is ambiguous");
  if (text[pos] == 'Z') {
    pos++;
  } else if (text[pos] == '+' || text[pos] == '-') {
    sign = text[pos] == '-' ? -1 : 1;
    pos++;
    if ((rc = read_digits(ctx, TIME_FORMAT, text, len, &pos, 2, &off_h)) != CPW_OK ||
        (rc = expect_char(ctx, TIME_FORMAT, text, len, &pos, ':', "':'")) != CPW_OK ||
        (rc = read_digits(ctx, TIME_FORMAT, text, len, &pos, 2, &off_m)) != CPW_OK)
      return rc;
  } else {
    return bad_char(ctx, TIME_FORMAT, text, len, pos, "'Z', '+' or '-' (a UTC offset)");
  }
  if (pos < len)
    return cpw__set_error(ctx, CPW_EINVALID, "expected %s: %zu unexpected characters after the "
                          "offset", TIME_FORMAT, len - pos);
  if (hour > 23)
    return cpw__set_error(ctx, CPW_EINVALID, "hour %02d is out of range (00-23)", hour);
  if (minute > 59)
    return cpw__set_error(ctx, CPW_EINVALID, "minute %02d is out of range (00-59)", minute);
  if (second > 59)
    return cpw__set_error(ctx, CPW_EINVALID, "second %02d is out of range (00-59; leap seconds "
                          "are not supported)", second);
  if (off_h > 23 || off_m > 59)
    return cpw__set_error(ctx, CPW_EINVALID, "UTC offset %c%02d:%02d is out of range (at most "
                          "23:59)", sign < 0 ? '-' : '+', off_h, off_m);
  *out = (int64_t)date * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second -
         (int64_t)sign * (off_h * 3600 + off_m * 60);
  return CPW_OK;
}

static void put2(char *p, int v)
{
  p[0] = (char)('0' + v / 10);
  p[1] = (char)('0' + v % 10);
}

int cpw_time_format(char *buf, size_t size, cpw_time t, int offset_minutes)
{
  int64_t local, days, secs;
  int off;
  if (buf == NULL || size < CPW_TIME_BUFSIZE) {
    if (buf != NULL && size > 0)
      buf[0] = '\0';
    return CPW_EINVALID;
  }
  buf[0] = '\0';
  if (offset_minutes < -1439 || offset_minutes > 1439 || t < TIME_LOW || t > TIME_HIGH)
    return CPW_EINVALID;
  local = t + (int64_t)offset_minutes * 60;
  days = floor_div(local, SECONDS_PER_DAY);
  secs = local - days * SECONDS_PER_DAY;
  if (cpw_date_format(buf, size, (cpw_date)days) != CPW_OK) /* days fits: t is bounded */
    return CPW_EINVALID;
  buf[10] = 'T';
  put2(buf + 11, (int)(secs / 3600));
  buf[13] = ':';
  put2(buf + 14, (int)(secs / 60 % 60));
  buf[16] = ':';
  put2(buf + 17, (int)(secs % 60));
  if (offset_minutes == 0) {
    buf[19] = 'Z';
    buf[20] = '\0';
    return CPW_OK;
  }
  off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  buf[19] = offset_minutes < 0 ? '-' : '+';
  put2(buf + 20, off / 60);
  buf[22] = ':';
  put2(buf + 23, off % 60);
  buf[25] = '\0';
  return CPW_OK;
}

cpw_date cpw_time_to_date(cpw_time t, int offset_minutes)
{
  /* No days * 86400: for t near INT64_MIN the floored product would overflow. */
  int64_t days = t / SECONDS_PER_DAY, rem = t % SECONDS_PER_DAY;
  if (rem < 0) {
    rem += SECONDS_PER_DAY;                                    /* [0, 86399] */
    days--;
  }
  days += floor_div(rem + (int64_t)offset_minutes * 60, SECONDS_PER_DAY);
  if (days < INT32_MIN)
    return INT32_MIN;
  if (days > INT32_MAX)
    return INT32_MAX;
  return (cpw_date)days;
}

int cpw_time_from_date(cpw_time *out, cpw_date date, int hour, int minute, int second,
                       int offset_minutes)
{
  if (out == NULL || !in_range(date) || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59 || offset_minutes < -1439 || offset_minutes > 1439)
    return CPW_EINVALID;
  *out = (int64_t)date * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second -
         (int64_t)offset_minutes * 60;
  return CPW_OK;
}
