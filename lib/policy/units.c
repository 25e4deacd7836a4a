/* SPDX-License-Identifier: Apache-2.0 */
/* policy/units.c: see units.h. */
#include "policy/units.h"

#include "policy/ast.h"

#define SECONDS_PER_DAY INT64_C(86400)

static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

int cpw__date_add_unit(const cpw_calendar *cal, int64_t d, unsigned unit, int64_t k,
                       int64_t *out)
{
  cpw_date r;
  if (d < CPW_DATE_MIN || d > CPW_DATE_MAX)
    return -1;
  switch (unit) {
  case U_DAYS:
    if (cpw_date_add_days(&r, (cpw_date)d, k) != CPW_OK)
      return -1;
    break;
  case U_WEEKS:
    if (k > INT64_MAX / 7 || k < INT64_MIN / 7 || cpw_date_add_days(&r, (cpw_date)d, k * 7) != CPW_OK)
      return -1;
    break;
  case U_MONTHS:
    if (k > 120000 || k < -120000 || cpw_date_add_months(&r, (cpw_date)d, (int)k) != CPW_OK)
      return -1;
    break;
  case U_YEARS:
    if (k > 10000 || k < -10000 || cpw_date_add_years(&r, (cpw_date)d, (int)k) != CPW_OK)
      return -1;
    break;
  case U_WORKING_DAYS:
    if (cal == NULL || k > 1000000 || k < -1000000 ||
        cpw__calendar_add_working_days(cal, NULL, &r, (cpw_date)d, (int)k) != CPW_OK)
      return -1;
    break;
  default:
    return -1;
  }
  *out = r;
  return 0;
}

int cpw__time_add_unit(const cpw_calendar *cal, int tz_minutes, int64_t t, unsigned unit,
                       int64_t k, int64_t *out)
{
  int64_t step, local, day, secs, nd;
  switch (unit) {
  case U_MINUTES: step = 60; break;
  case U_HOURS: step = 3600; break;
  case U_DAYS: step = SECONDS_PER_DAY; break;
  case U_WEEKS: step = 7 * SECONDS_PER_DAY; break;
  default: step = 0; break;
  }
  if (step != 0) {
    if (k > INT64_MAX / step || k < INT64_MIN / step)
      return -1;
    if ((k > 0 && t > INT64_MAX - k * step) || (k < 0 && t < INT64_MIN - k * step))
      return -1;
    *out = t + k * step;
    return 0;
  }
  if (t < (int64_t)CPW_DATE_MIN * SECONDS_PER_DAY ||
      t > ((int64_t)CPW_DATE_MAX + 1) * SECONDS_PER_DAY)
    return -1;
  local = t + (int64_t)tz_minutes * 60;
  day = floor_div(local, SECONDS_PER_DAY);
  secs = local - day * SECONDS_PER_DAY;
  if (cpw__date_add_unit(cal, day, unit, k, &nd) != 0)
    return -1;
  *out = nd * SECONDS_PER_DAY + secs - (int64_t)tz_minutes * 60;
  return 0;
}
