/* SPDX-License-Identifier: Apache-2.0 */
/* policy/units.h: adding durations (minutes ... years, working days) to dates and instants. */
#ifndef CPW_POLICY_UNITS_H
#define CPW_POLICY_UNITS_H

#include "base/base.h"

/* date + k units (days, weeks, months, years, working days over cal); 0 or -1 on overflow,
 * out-of-range dates or a missing calendar. Months and years follow the month-end rule of
 * cpw_date_add_months. */
int cpw__date_add_unit(const cpw_calendar *cal, int64_t date, unsigned unit, int64_t k,
                       int64_t *out);
/* instant + k units. Minutes, hours, days and weeks are exact durations; months, years and
 * working days move the local calendar date (at UTC offset tz_minutes) and keep the local time
 * of day. */
int cpw__time_add_unit(const cpw_calendar *cal, int tz_minutes, int64_t t, unsigned unit,
                       int64_t k, int64_t *out);

#endif
