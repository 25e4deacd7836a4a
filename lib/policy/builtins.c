/* SPDX-License-Identifier: Apache-2.0 */
/* policy/builtins.c: the table of the policy language's functions (builtins.h). */
#include <stdio.h>
#include <string.h>

#include "policy/ast.h"
#include "policy/builtins.h"
#include "policy/vm.h"

const cpw__builtin cpw__builtins[] = {
  { "age", 1, 2, { T_DATE, T_DATE }, T_INT, 0, 1, CPW__B_ASOF, OP_AGE, "age(date[, on])",
    "completed years from `date` to `on`, the evaluation date when not given (an error if "
    "`on` is earlier)" },
  { "years_between", 2, 2, { T_DATE, T_DATE }, T_INT, 0, 1, CPW__B_BINARY, OP_YEARS,
    "years_between(a, b)", "completed years from `a` to `b` (negative when `b` is earlier)" },
  { "months_between", 2, 2, { T_DATE, T_DATE }, T_INT, 0, 1, CPW__B_BINARY, OP_MONTHS,
    "months_between(a, b)", "completed months from `a` to `b` (negative when `b` is earlier)" },
  { "days_between", 2, 2, { T_DATE, T_DATE }, T_INT, 0, 1, CPW__B_SWAPPED, OP_SUB,
    "days_between(a, b)", "`b - a` in days" },
  { "working_days_between", 2, 2, { T_DATE, T_DATE }, T_INT, 1, 1, CPW__B_BINARY, OP_WDAYS,
    "working_days_between(a, b)",
    "the working days `d` with `a < d <= b` (negative when `b < a`)" },
  { "is_working_day", 1, 1, { T_DATE, T_DATE }, T_BOOL, 1, 1, CPW__B_UNARY, OP_WORKDAY,
    "is_working_day(d)", "whether `d` is neither a weekend day nor a holiday" },
  { "is_holiday", 1, 1, { T_DATE, T_DATE }, T_BOOL, 1, 1, CPW__B_UNARY, OP_HOLIDAY,
    "is_holiday(d)", "whether `d` is a holiday or a day off of the calendar (a weekend day is "
    "not, unless it is one)" },
  { "date_of", 1, 1, { T_DATETIME, T_DATETIME }, T_DATE, 0, 0, CPW__B_UNARY, OP_TODATE,
    "date_of(t)", "the local date of the date-time `t`, in the policy's time zone" },
  { "count", 1, 1, { T_SET, T_SET }, T_INT, 0, 0, CPW__B_UNARY, OP_COUNT, "count(s)",
    "the number of values in the set `s`" },
  { "min", 2, 2, { T_ERROR, T_ERROR }, T_ERROR, 0, 0, CPW__B_BINARY, OP_MIN, "min(a, b)",
    "the smaller of two ints, amounts, dates or date-times" },
  { "max", 2, 2, { T_ERROR, T_ERROR }, T_ERROR, 0, 0, CPW__B_BINARY, OP_MAX, "max(a, b)",
    "the larger of two ints, amounts, dates or date-times" },
};

const size_t cpw__nbuiltins = sizeof cpw__builtins / sizeof cpw__builtins[0];

const cpw__builtin *cpw__builtin_find(const char *name, size_t len)
{
  size_t i;
  for (i = 0; i < cpw__nbuiltins; i++)
    if (strlen(cpw__builtins[i].name) == len && memcmp(cpw__builtins[i].name, name, len) == 0)
      return &cpw__builtins[i];
  return NULL;
}

void cpw__builtin_names(char *buf, size_t size)
{
  size_t i, used = 0;
  if (size == 0)
    return;
  buf[0] = '\0';
  for (i = 0; i < cpw__nbuiltins && used < size; i++) {
    int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", cpw__builtins[i].name);
    if (n < 0)
      break;
    used += (size_t)n;
  }
}
