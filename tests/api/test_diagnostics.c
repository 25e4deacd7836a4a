/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the policy compiler's diagnostics: every error the lexer, the parser and the
 * checker report, each at its file, line and column with a clear message; several errors in
 * one compile; and inputs that must never crash or hang the compiler (empty input, binary
 * junk, NUL bytes, very deep nesting, formulas that grow exponentially through definitions). */
#include "policytest.h"

/* The fields most cases use (8 lines: a rule written after them is on line 9). */
#define F                                                                                   \
  "field n: int\nfield m: money\nfield d: date\nfield t: datetime\nfield s: text\n"         \
  "field b: bool\nfield e: enum(x, y, z)\nfield st: set of enum(x, y, z)\n"
#define S(text) text, sizeof text - 1

typedef struct diag_case {
  const char *name;
  const char *text;
  size_t len;
  int line, column;
  const char *message;
} diag_case;

/* Each case has exactly one error, at line:column, with this message. */
static const diag_case cases[] = {
  { "bad_day", S(F "program p \"P\" { eligible when d > 2019-02-30 }\n"),
    9, 35, "invalid date: day 30 does not exist in month 2 of 2019" },
  { "bad_month", S(F "program p \"P\" { eligible when d > 2019-13-01 }\n"),
    9, 35, "invalid date: month 13 is out of range (1-12)" },
  { "year_zero", S(F "program p \"P\" { eligible when d > 0000-01-01 }\n"),
    9, 35, "invalid date: year 0000 does not exist" },
  { "bad_datetime", S(F "program p \"P\" { eligible when t > 2019-01-01T25:00:00Z }\n"),
    9, 35, "invalid date-time: expected YYYY-MM-DDTHH:MM:SS with Z or an offset such as +04:00" },
  { "datetime_no_offset", S(F "program p \"P\" { eligible when t > 2019-01-01T10:00:00 }\n"),
    9, 35, "invalid date-time: expected YYYY-MM-DDTHH:MM:SS with Z or an offset such as +04:00" },
  { "three_decimals", S(F "program p \"P\" { eligible when m > 1.505 GEL }\n"),
    9, 35, "a decimal number may have at most 2 digits after the point (tetri)" },
  { "number_word", S(F "program p \"P\" { eligible when d + 12months > d }\n"),
    9, 35, "a number must be followed by a space before a word" },
  { "number_too_large", S(F "program p \"P\" { eligible when n > 99999999999999999999 }\n"),
    9, 35, "number too large" },
  { "unterminated", S("field s: text \"Name\n"
      "field n: int\n"),
    1, 15, "unterminated string: a closing '\"' is missing on this line" },
  { "unterminated_eof", S("field s: text \"Name"),
    1, 15, "unterminated string: a closing '\"' is missing on this line" },
  { "unknown_escape", S("field s: text \"a\\qb\"\n"),
    1, 17, "unknown escape in string (use \\\" \\\\ \\n or \\t)" },
  { "bad_utf8", S("field s: text \"a\xff\"\n"),
    1, 17, "invalid UTF-8 in string" },
  { "nul_in_string", S("field s: text \"a\x00""b\"\n"),
    1, 17, "NUL byte in string" },
  { "control_in_string", S("field s: text \"a\x01""b\"\n"),
    1, 17, "control character in string (write \\n or \\t)" },
  { "bang", S(F "program p \"P\" { eligible when !b }\n"),
    9, 31, "unexpected '!' (write 'not' or '!=')" },
  { "nul", S("field n: int\n"
      "\x00"),
    2, 1, "unexpected NUL byte (is this a text file?)" },
  { "control", S("field n: int\x07\n"),
    1, 13, "unexpected control character 0x07" },
  { "utf8_outside", S("field \xe1\x83\x90: int\n"),
    1, 7, "unexpected character (only ASCII is allowed outside strings and comments)" },
  { "bad_utf8_outside", S("field n: int \xc3\n"),
    1, 14, "invalid UTF-8 byte 0xC3" },
  { "reserved_field", S("field and: int\n"),
    1, 7, "'and' is a reserved word and cannot be used as a field name" },
  { "reserved_enum", S("field e: enum(x, in)\n"),
    1, 18, "'in' is a reserved word and cannot be used as an enum value" },
  { "reserved_define", S("define missing = 1\n"),
    1, 8, "'missing' is a reserved word and cannot be used as a name" },
  { "missing_colon", S("field n int\n"),
    1, 9, "expected ':' after the field name, found 'int'" },
  { "bad_type", S("field n: integer\n"),
    1, 10, "expected a type: bool, int, money, date, datetime, text, enum(...) or set of enum(...)" },
  { "set_no_enum", S("field s: set of int\n"),
    1, 17, "expected 'enum(...)' after 'set of'" },
  { "enum_no_paren", S("field e: enum x, y\n"),
    1, 15, "expected '(' after 'enum', found 'x'" },
  { "enum_unclosed", S("field e: enum(x, y\n"),
    2, 1, "expected ')' after the enum values, found end of file" },
  { "amount_too_large", S(F "program p \"P\" { eligible when m > 99999999999999999 GEL }\n"),
    9, 53, "amount too large" },
  { "decimal_no_gel", S(F "program p \"P\" { eligible when n > 1.5 }\n"),
    9, 39, "a decimal number must be an amount in GEL (write '12.50 GEL')" },
  { "working_no_days", S(F "program p \"P\" { eligible when d + 3 working > d }\n"),
    9, 45, "expected 'days' after 'working'" },
  { "no_value", S(F "program p \"P\" { eligible when n > ) }\n"),
    9, 35, "expected a value, a name or '(', found ')'" },
  { "unclosed_paren", S(F "program p \"P\" { eligible when (n > 1 }\n"),
    9, 38, "expected ')' to close '(', found '}'" },
  { "unclosed_call", S(F "program p \"P\" { eligible when age(d > 1 }\n"),
    9, 41, "expected ')' to close the argument list, found '}'" },
  { "between_no_and", S(F "program p \"P\" { eligible when n between 1, 3 }\n"),
    9, 42, "expected 'and' in 'between ... and ...', found ','" },
  { "if_no_then", S(F "program p \"P\" { eligible when if b n > 1 else n < 1 }\n"),
    9, 36, "expected 'then' after the condition of 'if', found 'n'" },
  { "if_no_else", S(F "program p \"P\" { eligible when if b then n > 1 }\n"),
    9, 47, "expected 'else' in 'if ... then ... else ...', found '}'" },
  { "version_no_string", S("policy p version 2026\n"),
    1, 18, "expected the version as a string, e.g. version \"2026.1\"" },
  { "tz_no_string", S("timezone +04:00\n"),
    1, 10, "expected the UTC offset as a string, e.g. timezone \"+04:00\"" },
  { "tz_bad", S("timezone \"UTC+4\"\n"),
    1, 10, "a time zone is an offset from UTC such as \"+04:00\" or \"Z\"" },
  { "tz_24", S("timezone \"+24:00\"\n"),
    1, 10, "a time zone offset must be under 24 hours" },
  { "until_before_from_program", S("field n: int\n"
      "program p \"P\" {\n"
      "  in force from 2020-01-01 until 2019-12-31\n"
      "  eligible when n > 0\n"
      "}\n"),
    3, 34, "'until' is before 'from'" },
  { "until_before_from_holiday", S("calendar c { holiday 1 May from 2020-01-01 until 2019-01-01 }\n"),
    1, 50, "'until' is before 'from'" },
  { "easter_offset", S("calendar c { holiday easter - 200 days }\n"),
    1, 31, "expected a number of days (at most 100) after 'easter -'" },
  { "easter_no_days", S("calendar c { holiday easter + 2 }\n"),
    1, 33, "expected 'days' after the offset from Easter" },
  { "holiday_month", S("calendar c { holiday 1 Janvier }\n"),
    1, 24, "expected a month name (January ... December) after the day" },
  { "holiday_day", S("calendar c { holiday 30 February }\n"),
    1, 34, "day 30 does not exist in February" },
  { "holiday_bad", S("calendar c { holiday tomorrow }\n"),
    1, 22, "expected a holiday: '1 January', 'easter - 2 days' or a date" },
  { "weekday", S("calendar c { weekend sat }\n"),
    1, 22, "expected a day of the week (monday ... sunday)" },
  { "calendar_item", S("calendar c { workday monday }\n"),
    1, 14, "expected 'weekend', 'holiday', 'day off' or 'basis' in a calendar" },
  { "calendar_no_brace", S("calendar c weekend sunday\n"),
    1, 12, "expected '{' to open the calendar, found 'weekend'" },
  { "benefit_period", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      "  benefit b 10 GEL weekly }\n"),
    3, 20, "expected 'once', 'monthly' or 'yearly' after the amount" },
  { "program_no_title", S("field n: int\n"
      "program p { eligible when n > 0 }\n"),
    2, 11, "expected the programme's title as a string after its id" },
  { "two_sources", S("field n: int\n"
      "program p \"P\" { source \"a\" source \"b\" eligible when n > 0 }\n"),
    2, 35, "a programme has one 'source' line" },
  { "source_no_string", S("field n: int\n"
      "program p \"P\" { source law eligible when n > 0 }\n"),
    2, 24, "expected the source as a string" },
  { "in_no_force", S("field n: int\n"
      "program p \"P\" { in effect from 2020-01-01 eligible when n > 0 }\n"),
    2, 20, "expected 'in force from DATE'" },
  { "two_in_force", S("field n: int\n"
      "program p \"P\" { in force from 2020-01-01\n"
      " in force from 2021-01-01 eligible when n > 0 }\n"),
    3, 11, "a programme has one 'in force' line" },
  { "in_force_no_date", S("field n: int\n"
      "program p \"P\" { in force 2020-01-01 eligible when n > 0 }\n"),
    2, 26, "expected 'from DATE' or 'until DATE' after 'in force'" },
  { "from_no_date", S("field n: int\n"
      "program p \"P\" { in force from soon eligible when n > 0 }\n"),
    2, 31, "expected a date (YYYY-MM-DD) after 'from', found 'soon'" },
  { "two_eligible", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      " eligible when n < 5 }\n"),
    3, 11, "a programme has one 'eligible when' rule (combine conditions with 'and' / 'or')" },
  { "eligible_no_when", S("field n: int\n"
      "program p \"P\" { eligible if n > 0 }\n"),
    2, 26, "expected 'when' after 'eligible', found 'if'" },
  { "program_item", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      "  grant 10 GEL }\n"),
    3, 3, "expected 'source', 'in force', 'eligible when', 'benefit', 'service' or 'basis' in a programme, found 'grant'" },
  { "no_eligible", S("field n: int\n"
      "program p \"P\" {\n"
      "  service s\n"
      "}\n"),
    2, 1, "programme 'p' has no 'eligible when' rule" },
  { "program_unclosed", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"),
    3, 1, "expected '}' to close the programme, found end of file" },
  { "not_a_declaration", S("field n: int\n"
      "rule r = n > 0\n"),
    2, 1, "expected a declaration (policy, timezone, calendar, field, param, define, program, workflow, setting, facility, placement, labels, source), found 'rule'" },
  { "two_on_a_line", S("field a: int field b: int\n"),
    1, 14, "unexpected 'field' after the declaration" },
  { "param_no_from", S("param p: int = 5\n"),
    2, 1, "expected 'from' after the value (each value says when it applies), found end of file" },
  { "param_no_eq", S("param p: int 5 from 2020-01-01\n"),
    1, 14, "expected '=' before the parameter's value, found a number" },
  { "workflow_word", S("workflow w \"W\" {\n"
      "}\n"
      "field n: int\n"),
    1, 1, "workflow 'w' declares no states" },
  { "setting_word", S("setting s\n"),
    2, 1, "expected 'category family|family_type|residential|own_family'" },
  { "unknown_field", S(F "program p \"P\" { eligible when ages > 5 }\n"),
    9, 31, "unknown name 'ages': declare it with 'field', 'param' or 'define'" },
  { "type_mismatch", S(F "program p \"P\" { eligible when n = d }\n"),
    9, 31, "cannot compare int with date" },
  { "money_int", S(F "program p \"P\" { eligible when m > 1000 }\n"),
    9, 31, "cannot compare money with a plain number: write the amount in GEL (e.g. 1000 GEL)" },
  { "money_int_eq", S(F "program p \"P\" { eligible when 1000 = m }\n"),
    9, 31, "cannot compare money with a plain number: write the amount in GEL (e.g. 1000 GEL)" },
  { "unknown_enum", S(F "program p \"P\" { eligible when e = w }\n"),
    9, 35, "unknown value 'w': expected one of x, y, z" },
  { "unknown_enum_set", S(F "program p \"P\" { eligible when e in {x, w} }\n"),
    9, 40, "unknown value 'w': expected one of x, y, z" },
  { "dup_field", S("field a: int\n"
      "field b: int\n"
      "field a: date\n"),
    3, 7, "'a' is already declared as a field" },
  { "dup_program", S("field n: int\n"
      "program p \"P\" { eligible when n > 0 }\n"
      "program p \"Q\" { eligible when n > 1 }\n"),
    3, 9, "programme 'p' is already declared at line 2" },
  { "dup_service", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      "  service s\n"
      "  service s\n"
      "}\n"),
    4, 11, "'s' is listed twice in programme 'p'" },
  { "dup_benefit_service", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      "  benefit s 1 GEL once\n"
      "  service s\n"
      "}\n"),
    4, 11, "'s' is listed twice in programme 'p'" },
  { "dup_define", S("field n: int\n"
      "define n = 1\n"),
    2, 8, "'n' is already declared as a field" },
  { "dup_param", S("define a = 1\n"
      "param a: int = 1 from 2020-01-01\n"),
    2, 7, "'a' is already declared as a definition" },
  { "builtin_name", S("field today: date\n"),
    1, 7, "'today' is already declared as a built-in name" },
  { "dup_calendar", S("calendar c {}\n"
      "calendar c {}\n"),
    2, 10, "calendar 'c' is already declared" },
  { "dup_policy", S("policy a\n"
      "policy b\n"),
    2, 1, "the policy is already named at d.cpw:1" },
  { "dup_timezone", S("timezone \"+04:00\"\n"
      "timezone \"+04:00\"\n"),
    2, 1, "the time zone is already set at d.cpw:1" },
  { "enum_dup_value", S("field e: enum(x, y, x)\n"),
    1, 10, "enum value 'x' is listed twice" },
  { "param_set", S("param p: set of enum(x, y) = x from 2020-01-01\n"),
    1, 10, "a parameter cannot be a set" },
  { "params_order", S("param p: int = 1 from 2021-01-01, 2 from 2020-01-01\n"),
    1, 35, "the values of a parameter must be listed in date order (each 'from' later than the one before)" },
  { "params_same_date", S("param p: int = 1 from 2021-01-01, 2 from 2021-01-01\n"),
    1, 35, "the values of a parameter must be listed in date order (each 'from' later than the one before)" },
  { "param_until", S("param p: int = 1 from 2021-01-01 until 2020-01-01\n"),
    1, 40, "'until' is before the last value's 'from'" },
  { "param_not_const", S("field n: int\n"
      "param p: int = n from 2021-01-01\n"),
    2, 16, "expected a constant value here (a number, amount, date, true/false or an enum value)" },
  { "param_bad_enum", S("param p: enum(x, y) = w from 2021-01-01\n"),
    1, 23, "unknown value 'w': expected one of x, y" },
  { "param_type", S("param p: money = 5 from 2021-01-01\n"),
    1, 18, "expected money, but this is int" },
  { "working_no_calendar", S(F "program p \"P\" { eligible when d + 3 working days > d }\n"),
    9, 35, "working days need a calendar: declare one with 'calendar'" },
  { "wdb_no_calendar", S(F "program p \"P\" { eligible when working_days_between(d, d) > 0 }\n"),
    9, 31, "working_days_between() needs a calendar: declare one with 'calendar'" },
  { "iwd_no_calendar", S(F "program p \"P\" { eligible when is_working_day(d) }\n"),
    9, 31, "is_working_day() needs a calendar: declare one with 'calendar'" },
  { "weekend_all", S("calendar c { weekend monday, tuesday, wednesday, thursday, friday, saturday, sunday }\n"),
    1, 1, "a calendar needs at least one working day a week" },
  { "cycle", S("define a = b + 1\n"
      "define b = a + 1\n"
      "program p \"P\" { eligible when a > 0 }\n"),
    1, 8, "'a' is defined in terms of itself" },
  { "bare_duration", S("define a = 3 days\n"),
    1, 8, "a definition cannot be a bare duration" },
  { "no_order", S(F "program p \"P\" { eligible when e < x }\n"),
    9, 31, "values of type enum have no order: use = or != (or 'in')" },
  { "no_order_bool", S(F "program p \"P\" { eligible when b < b }\n"),
    9, 31, "values of type bool have no order: use = or != (or 'in')" },
  { "cmp_types", S(F "program p \"P\" { eligible when d = t }\n"),
    9, 31, "cannot compare date with datetime" },
  { "duration_mul", S(F "program p \"P\" { eligible when d * 2 days > d }\n"),
    9, 31, "a duration can only be added or subtracted" },
  { "date_hours", S(F "program p \"P\" { eligible when d + 2 hours > d }\n"),
    9, 31, "a date has no time of day: add days, weeks, months or years (or use a datetime)" },
  { "duration_int", S(F "program p \"P\" { eligible when n + 2 days > 1 }\n"),
    9, 31, "a duration can only be added to a date or a datetime, not to int" },
  { "duration_first", S(F "program p \"P\" { eligible when 2 days + d > d }\n"),
    9, 31, "write the date first: 'return_date + 1 year'" },
  { "date_plus_date", S(F "program p \"P\" { eligible when d + d > d }\n"),
    9, 31, "dates can only be subtracted from each other (giving days)" },
  { "date_plus_int", S(F "program p \"P\" { eligible when d + 1 > d }\n"),
    9, 31, "add a duration to a date, e.g. 'return_date + 30 days'" },
  { "bad_arith", S(F "program p \"P\" { eligible when b + n > 1 }\n"),
    9, 31, "cannot apply '+' to bool and int" },
  { "money_times_money", S(F "program p \"P\" { eligible when m * m > 1 GEL }\n"),
    9, 31, "cannot apply '*' to money and money" },
  { "int_div_money", S(F "program p \"P\" { eligible when n / m > 1 }\n"),
    9, 31, "cannot apply '/' to int and money" },
  { "unknown_function", S(F "program p \"P\" { eligible when length(s) > 3 }\n"),
    9, 31, "unknown function 'length' (known: age, years_between, months_between, days_between, working_days_between, is_working_day, is_holiday, date_of, count, min, max)" },
  { "arg_count", S(F "program p \"P\" { eligible when days_between(d) > 3 }\n"),
    9, 31, "days_between() takes 2 arguments" },
  { "arg_count_age", S(F "program p \"P\" { eligible when age() > 3 }\n"),
    9, 31, "age() takes 1 or 2 arguments" },
  { "arg_type", S(F "program p \"P\" { eligible when age(n) > 3 }\n"),
    9, 35, "argument 1 of age() must be a date, not int" },
  { "minmax_types", S(F "program p \"P\" { eligible when min(n, m) > 1 }\n"),
    9, 31, "min() needs two values of the same type (int, money, date or datetime)" },
  { "minmax_bool", S(F "program p \"P\" { eligible when max(b, b) }\n"),
    9, 31, "max() needs two values of the same type (int, money, date or datetime)" },
  { "neg_date", S(F "program p \"P\" { eligible when -d > d }\n"),
    9, 31, "'-' needs an int or money, not date" },
  { "setlit_no_enum", S(F "program p \"P\" { eligible when n = {x} }\n"),
    9, 35, "a set { ... } needs an enum on the other side, e.g. 'city in {tbilisi, batumi}'" },
  { "setlit_strings", S(F "program p \"P\" { eligible when e in {\"x\"} }\n"),
    9, 37, "a set holds enum values (names), not strings" },
  { "setlit_field", S(F "program p \"P\" { eligible when e in {x, n} }\n"),
    9, 40, "a set literal holds enum values; 'n' is a field" },
  { "in_not_enum", S(F "program p \"P\" { eligible when n in {x} }\n"),
    9, 31, "'in { ... }' needs an enum value on the left, not int" },
  { "in_not_set", S(F "program p \"P\" { eligible when e in e }\n"),
    9, 36, "expected a set of values (a set field or { a, b }), not enum" },
  { "in_other_enum", S("field e: enum(x, y)\n"
      "field st: set of enum(x, z)\n"
      "program p \"P\" { eligible when e in st }\n"),
    3, 31, "the value (one of x, y) is not of the set's type (one of x, z)" },
  { "between_types", S(F "program p \"P\" { eligible when n between 1 GEL and 2 GEL }\n"),
    9, 31, "'between' needs three values of one ordered type (int, money, date, datetime)" },
  { "if_branches", S(F "program p \"P\" { eligible when (if b then n else m) > 1 }\n"),
    9, 32, "both branches of 'if' must have the same type (int and money)" },
  { "if_set", S(F "program p \"P\" { eligible when (if b then st else st) = st }\n"),
    9, 32, "'if' must give a plain value (bool, int, money, date, datetime, enum, text)" },
  { "not_condition", S(F "program p \"P\" { eligible when n }\n"),
    9, 31, "expected a condition (true or false), but this is int" },
  { "and_condition", S(F "program p \"P\" { eligible when b and n }\n"),
    9, 37, "expected a condition (true or false), but this is int" },
  { "benefit_money", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      "  benefit b n once }\n"),
    3, 13, "expected money, but this is int" },
  { "when_condition", S("field n: int\n"
      "program p \"P\" { eligible when n > 0\n"
      "  service s when n }\n"),
    3, 18, "expected a condition (true or false), but this is int" },
  { "not_not_bool", S(F "program p \"P\" { eligible when not n }\n"),
    9, 35, "expected a condition (true or false), but this is int" },
  { "unclosed_set2", S("field e: enum(x, y)\n"
      "define a = e in {x, y\n"
      "field n: int\n"),
    3, 1, "expected '}' to close the set, found 'field'" },
  { "duration_cmp2", S(F "program p \"P\" { eligible when 1 day = 2 days }\n"),
    9, 31, "durations cannot be compared; compare dates instead" },
  { "n_in_set", S(F "program p \"P\" { eligible when n in st }\n"),
    9, 31, "a set holds enum values, not int" },
  { "did_you_mean_param", S("param limit: int = 1 from 2020-01-01\n"
      "field n: int\n"
      "program p \"P\" { eligible when n < limt }\n"),
    3, 35, "unknown name 'limt' (did you mean 'limit'?)" },
  { "did_you_mean_define", S("field n: int\n"
      "define adult = n >= 18\n"
      "program p \"P\" { eligible when adlt }\n"),
    3, 31, "unknown name 'adlt' (did you mean 'adult'?)" },
  { "did_you_mean_field", S("field birth_date: date\n"
      "program p \"P\" { eligible when age(birth_dat) > 5 }\n"),
    2, 35, "unknown name 'birth_dat' (did you mean 'birth_date'?)" },
};

/* The syntax of workflows and of care settings, facilities and placement rules: each case
 * has exactly one error. W is a small workflow's beginning (5 lines), WE its last
 * transition and its end, PL a care setting (1 line). */
#define W                                                                                   \
  "workflow w \"W\" {\n  roles r\n  state a initial\n  state b\n  event e\n"
#define WE "  on e: a -> b by r\n}\n"
#define PL "setting s \"S\" category family\n"
static const diag_case syntax_cases[] = {
  { "wf_no_name", S("workflow {\n}\n"),
    1, 10, "expected the workflow's name, found '{'" },
  { "wf_no_brace", S("workflow w \"W\"\n  state a initial\n"),
    2, 3, "expected '{' to open the workflow, found 'state'" },
  { "wf_state_number", S("workflow w \"W\" {\n  state 5\n}\n"),
    2, 9, "expected a state name, found a number" },
  { "wf_event_number", S(W "  event 5\n" WE),
    6, 9, "expected an event name, found a number" },
  { "wf_carries_number", S(W "  field f: bool\n  event g carries 5\n" WE),
    7, 19, "expected a field the event carries, found a number" },
  { "wf_field_no_name", S(W "  field : int\n" WE),
    6, 9, "expected a field name, found ':'" },
  { "wf_field_no_colon", S(W "  field f int\n" WE),
    6, 11, "expected ':' after the field name, found 'int'" },
  { "wf_field_bad_type", S(W "  field f: colour\n" WE),
    6, 12, "expected a type: bool, int, money, date, datetime, text, enum(...) or "
    "set of enum(...)" },
  { "wf_on_no_event", S(W "  on : a -> b\n}\n"),
    6, 6, "expected an event name, found ':'" },
  { "wf_on_no_colon", S(W "  on e a -> b\n}\n"),
    6, 8, "expected ':' after the event (on EVENT: FROM -> TO), found 'a'" },
  { "wf_on_no_from", S(W "  on e: -> b\n}\n"),
    6, 9, "expected a state, found '->'" },
  { "wf_on_no_to", S(W "  on e: a ->\n}\n"),
    7, 1, "expected the target state, found '}'" },
  { "wf_on_by_nothing", S(W "  on e: a -> b by\n}\n"),
    7, 1, "expected a role, found '}'" },
  { "wf_on_bad_guard", S(W "  on e: a -> b when\n}\n"),
    7, 1, "expected a value, a name or '(', found '}'" },
  { "wf_set_no_field", S(W "  field n: int = 0\n  on e: a -> b set = 1\n}\n"),
    7, 20, "expected a field to set, found '='" },
  { "wf_set_no_eq", S(W "  field n: int = 0\n  on e: a -> b set n 1\n}\n"),
    7, 22, "expected '=' after the field (set FIELD = VALUE), found a number" },
  { "wf_set_no_value", S(W "  field n: int = 0\n  on e: a -> b set n =\n}\n"),
    8, 1, "expected a value, a name or '(', found '}'" },
  { "wf_deadline_no_event", S(W "  on e: a -> b by r\n  deadline within 3 days in a\n}\n"),
    7, 19, "expected 'within' or 'every' after the deadline's event" },
  { "wf_deadline_no_within", S(W "  deadline e 3 days in a\n" WE),
    6, 14, "expected 'within' or 'every' after the deadline's event" },
  { "wf_deadline_zero", S(W "  deadline e within 0 days in a\n" WE),
    6, 21, "expected a duration such as '24 hours' or '3 working days' (1 to 100000 units)" },
  { "wf_deadline_word", S(W "  deadline e within three days in a\n" WE),
    6, 21, "expected a duration such as '24 hours' or '3 working days' (1 to 100000 units)" },
  { "wf_deadline_working_weeks", S(W "  deadline e within 3 working weeks in a\n" WE),
    6, 31, "expected 'days' after 'working'" },
  { "wf_deadline_bad_unit", S(W "  deadline e within 3 fortnights in a\n" WE),
    6, 23, "expected a unit: minutes, hours, days, working days, weeks, months or years" },
  { "wf_deadline_no_in", S(W "  deadline e within 3 days a\n" WE),
    6, 28, "expected 'in' before the state the deadline applies in (or 'from EVENT' for a clock "
    "that runs across states), found 'a'" },
  { "wf_deadline_in_nothing", S(W "  on e: a -> b by r\n  deadline e within 3 days in\n}\n"),
    8, 1, "expected a state, found '}'" },
  { "wf_deadline_bad_when", S(W "  on e: a -> b by r\n  deadline e within 3 days in a when\n}\n"),
    8, 1, "expected a value, a name or '(', found '}'" },
  { "wf_deadline_escalate_no_to", S(W "  deadline e within 3 days in a escalate e r\n" WE),
    6, 44, "expected 'to ROLE' after the escalation event" },
  { "wf_deadline_escalate_no_event", S(W "  deadline e within 3 days in a escalate to r\n" WE),
    6, 45, "expected 'to ROLE' after the escalation event" },
  { "wf_escalate_no_to", S(W "  escalate e r\n" WE),
    6, 14, "expected 'to ROLE' after the escalation event" },
  { "wf_escalate_no_role", S(W "  on e: a -> b by r\n  escalate e to\n}\n"),
    8, 1, "expected the role the escalation goes to, found '}'" },
  { "wf_roles_number", S("workflow w \"W\" {\n  roles 5\n}\n"),
    2, 9, "expected a role name, found a number" },
  { "wf_unknown_word", S(W "  transition e: a -> b\n" WE),
    6, 3, "expected calendar, roles, field, state, event, on, deadline, escalate or basis in a "
    "workflow" },
  { "wf_calendar_number", S(W "  calendar 5\n" WE),
    6, 12, "expected a calendar name, found a number" },
  { "wf_unclosed", S(W "  on e: a -> b by r\n"),
    7, 1, "expected '}' to close the workflow, found end of file" },
  { "pl_capacity_word", S("setting s \"S\" category family capacity many\n"),
    1, 40, "expected a capacity (a whole number up to 100000)" },
  { "pl_capacity_big", S("setting s \"S\" category family capacity 100001\n"),
    1, 40, "expected a capacity (a whole number up to 100000)" },
  { "pl_ages_no_to", S("setting s \"S\" category family ages 3 5\n"),
    1, 38, "expected 'ages A to B'" },
  { "pl_ages_reversed", S("setting s \"S\" category family ages 7 to 3\n"),
    2, 1, "the highest age is below the lowest" },
  { "pl_ages_big", S("setting s \"S\" category family ages 3 to 151\n"),
    1, 41, "expected the highest age (a whole number up to 150)" },
  { "pl_setting_no_name", S("setting \"S\" category family\n"),
    1, 9, "expected the setting's id, found a string" },
  { "pl_setting_bad_category", S("setting s \"S\" category orphanage\n"),
    1, 24, "the category is family, family_type, residential or own_family" },
  { "pl_facility_no_name", S(PL "facility \"F\" setting s\n"),
    2, 10, "expected the facility's id, found a string" },
  { "pl_facility_no_setting", S(PL "facility f \"F\" region \"R\"\n"),
    2, 16, "expected 'setting SETTING' (the facility's type)" },
  { "pl_facility_setting_number", S(PL "facility f \"F\" setting 5\n"),
    2, 24, "expected a setting, found a number" },
  { "pl_facility_region_word", S(PL "facility f \"F\" setting s region Tbilisi\n"),
    2, 33, "expected the region as a string" },
  { "pl_rules_word", S(PL "placement policy {\n}\n"),
    2, 11, "expected 'placement rules { ... }'" },
  { "pl_rules_no_brace", S(PL "placement rules\n  preference s\n"),
    3, 3, "expected '{' to open the placement rules, found 'preference'" },
  { "pl_preference_number", S(PL "placement rules {\n  preference 5\n}\n"),
    3, 14, "expected a setting, found a number" },
  { "pl_roles_number", S(PL "placement rules {\n  preference s\n  roles 5\n}\n"),
    4, 9, "expected a role, found a number" },
  { "pl_review_no_every", S(PL "placement rules {\n  preference s\n  review 3 months\n}\n"),
    4, 10, "expected 'review every N months'" },
  { "pl_review_zero", S(PL "placement rules {\n  preference s\n  review every 0 months\n}\n"),
    4, 18, "reviews need a period of at least 1" },
  { "pl_review_years", S(PL "placement rules {\n  preference s\n  review every 1 year\n}\n"),
    4, 18, "expected months, weeks or days" },
  { "pl_leaving_no_care", S(PL "placement rules {\n  preference s\n  leaving at 18\n}\n"),
    4, 11, "expected 'leaving care at AGE'" },
  { "pl_leaving_age_word", S(PL "placement rules {\n  preference s\n  leaving care at adult\n}\n"),
    4, 19, "expected an age (a whole number up to 150)" },
  { "pl_deny_no_reason", S(PL "placement rules {\n  preference s\n  deny when age < 3\n}\n"),
    4, 8, "expected the reason as a string: deny \"reason\" when ..." },
  { "pl_deny_no_when", S(PL "placement rules {\n  preference s\n  deny \"young\" age < 3\n}\n"),
    4, 16, "expected 'when' after the reason, found 'age'" },
  { "pl_rules_unknown", S(PL "placement rules {\n  preference s\n  allow \"x\" when true\n}\n"),
    4, 3, "expected preference, roles, review, leaving care, deny, warn or basis in placement "
    "rules" },
  { "pl_setting_twice", S(PL "setting s \"T\" category residential\n"),
    2, 9, "setting 's' is declared twice" },
  { "pl_facility_twice", S(PL "facility f \"F\" setting s\nfacility f \"G\" setting s\n"),
    3, 10, "facility 'f' is declared twice" },
  { "pl_facility_unknown_setting", S(PL "facility f \"F\" setting t\n"),
    2, 24, "unknown setting 't' (declare it with 'setting')" },
  { "pl_preference_unknown", S(PL "placement rules {\n  preference s, t\n}\n"),
    3, 17, "unknown setting 't' in the preference order" },
  { "pl_preference_twice", S(PL "placement rules {\n  preference s, s\n}\n"),
    3, 17, "setting 's' is listed twice in the preference order" },
  { "pl_rule_not_bool", S(PL "placement rules {\n  preference s\n  deny \"x\" when age + 1\n}\n"),
    4, 17, "expected a condition (true or false), but this is int" },
  { "pl_rules_twice", S(PL "placement rules {\n  preference s\n}\n"
      "placement rules {\n  preference s\n}\n"),
    5, 1, "placement rules are already declared at d.cpw:2" },
  { "pl_review_weeks_ok_then_error", S(PL "placement rules {\n  preference s\n"
      "  review every 2 weeks\n  leaving care at 18\n  deny \"x\" when nosuch\n}\n"),
    6, 17, "unknown name 'nosuch'" },
  { "pl_review_days_ok_then_error", S(PL "placement rules {\n  preference s\n"
      "  review every 10 days\n  warn \"x\" when nosuch\n}\n"),
    5, 17, "unknown name 'nosuch'" },
};
#undef W
#undef WE
#undef PL

/* Declarations (time zones, calendars, parameters, programmes) and the types of formulas:
 * each case has exactly one error. */
static const diag_case decl_type_cases[] = {
  { "enum_many_values", S("field big: enum(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9)\n"
      "program p \"P\" { eligible when big = w }\n"),
    2, 37, "unknown value 'w': expected one of v0, v1, v2, v3, v4, v5, v6, v7, ..." },
  { "long_unknown_name", S(F "program p \"P\" { eligible when "
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa > 1 }\n"),
    9, 31, "unknown name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': declare it with 'field', 'param' or "
    "'define'" },
  { "count_two_args", S(F "program p \"P\" { eligible when count(st, st) > 1 }\n"),
    9, 31, "count() takes 1 argument" },
  { "date_of_int", S(F "program p \"P\" { eligible when date_of(n) > d }\n"),
    9, 39, "argument 1 of date_of() must be a datetime, not int" },
  { "set_in_set", S(F "program p \"P\" { eligible when st in {x} }\n"),
    9, 31, "'in { ... }' needs an enum value on the left, not set" },
  { "contains_other_enum", S(F "field f: enum(q, r)\n"
      "program p \"P\" { eligible when st contains f }\n"),
    10, 43, "the value (one of q, r) is not of the set's type (one of x, y, z)" },
  { "contains_int_elem", S(F "program p \"P\" { eligible when st contains n }\n"),
    9, 43, "a set holds enum values, not int" },
  { "date_month_zero", S(F "program p \"P\" { eligible when d > 2019-00-10 }\n"),
    9, 35, "invalid date: month 0 is out of range (1-12)" },
  { "utf8_four_bytes", S("field s: text \"a\xf0\x9f\x98\x80\" x\n"),
    1, 23, "unexpected 'x' after the declaration" },
  { "datetime_letter", S(F "program p \"P\" { eligible when t > 2019-01-01T10:00:00X }\n"),
    9, 35, "invalid date-time: expected YYYY-MM-DDTHH:MM:SS with Z or an offset such as +04:00" },
  { "datetime_west", S(F "program p \"P\" { eligible when"
      " t > 2019-01-01T10:00:00-04:00 and x }\n"),
    9, 65, "unknown name 'x' (did you mean 'n'?)" },
  { "number_one_too_large", S(F "program p \"P\" { eligible when n > 9223372036854775808 }\n"),
    9, 35, "number too large" },
  { "number_largest", S(F "program p \"P\" { eligible when n > 9223372036854775807 and x }\n"),
    9, 59, "unknown name 'x' (did you mean 'n'?)" },
  { "tz_no_sign", S("timezone \"04:00\"\n"),
    1, 10, "a time zone is an offset from UTC such as \"+04:00\" or \"Z\"" },
  { "tz_short", S("timezone \"+4:00\"\n"),
    1, 10, "a time zone is an offset from UTC such as \"+04:00\" or \"Z\"" },
  { "tz_minutes", S("timezone \"+04:60\"\n"),
    1, 10, "a time zone is an offset from UTC such as \"+04:00\" or \"Z\"" },
  { "tz_letters", S("timezone \"+0a:00\"\n"),
    1, 10, "a time zone is an offset from UTC such as \"+04:00\" or \"Z\"" },
  { "tz_z", S("timezone \"Z\"\nfield n: int\n"
      "program p \"P\" { eligible when n > 1 and n > 2 and x }\n"),
    3, 51, "unknown name 'x' (did you mean 'n'?)" },
  { "holiday_easter_far", S("calendar c {\n  holiday easter + 200 days \"x\"\n}\n"),
    2, 20, "expected a number of days (at most 100) after 'easter +'" },
  { "holiday_easter_no_days", S("calendar c {\n  holiday easter + 2 \"x\"\n}\n"),
    2, 22, "expected 'days' after the offset from Easter" },
  { "holiday_feb_31", S("calendar c {\n  holiday 31 February \"x\"\n}\n"),
    2, 23, "day 31 does not exist in February" },
  { "holiday_day_zero", S("calendar c {\n  holiday 0 January \"x\"\n}\n"),
    2, 21, "day 0 does not exist in January" },
  { "param_until_before", S("param p: int = 1 from 2020-01-01 until 2019-01-01\n"),
    1, 40, "'until' is before the last value's 'from'" },
  { "param_until_word", S("param p: int = 1 from 2020-01-01 until soon\n"),
    1, 40, "expected a date (YYYY-MM-DD) after 'until', found 'soon'" },
  { "force_until_before", S(F "program p \"P\" {\n"
      "  in force from 2020-01-01 until 2019-01-01\n  eligible when b\n}\n"),
    10, 34, "'until' is before 'from'" },
  { "qualified_name", S(F "program p \"P\" { eligible when x.y > 1 }\n"),
    9, 31, "unknown name 'x.y': declare it with 'field', 'param' or 'define'" },
  { "qualified_name_space", S(F "program p \"P\" { eligible when x . y > 1 }\n"),
    9, 33, "expected 'source', 'in force', 'eligible when', 'benefit', 'service' or 'basis' in "
    "a programme, found '.'" },
  { "set_of_strings", S(F "program p \"P\" { eligible when e in {\"x\"} }\n"),
    9, 37, "a set holds enum values (names), not strings" },
  { "set_of_numbers", S(F "program p \"P\" { eligible when e in {1} }\n"),
    9, 37, "a set holds enum values (names), not numbers" },
  { "minus_bool", S(F "program p \"P\" { eligible when -b }\n"),
    9, 31, "'-' needs an int or money, not bool" },
  { "minus_text", S(F "program p \"P\" { eligible when -s = \"a\" }\n"),
    9, 31, "'-' needs an int or money, not text" },
  { "between_types", S(F "program p \"P\" { eligible when n between d and 5 }\n"),
    9, 31, "'between' needs three values of one ordered type (int, money, date, datetime)" },
  { "date_plus_hours", S(F "program p \"P\" { eligible when d + 3 hours > d }\n"),
    9, 31, "a date has no time of day: add days, weeks, months or years (or use a datetime)" },
  { "working_days_no_calendar", S(F "program p \"P\" { eligible when d + 3 working days > d }\n"),
    9, 35, "working days need a calendar: declare one with 'calendar'" },
  { "date_plus_int", S(F "program p \"P\" { eligible when d + 3 > d }\n"),
    9, 31, "add a duration to a date, e.g. 'return_date + 30 days'" },
  { "money_times_money", S(F "program p \"P\" { eligible when m * m > 2 GEL }\n"),
    9, 31, "cannot apply '*' to money and money" },
  { "min_one_arg", S(F "program p \"P\" { eligible when min(n) > 1 }\n"),
    9, 31, "min() takes 2 arguments" },
  { "days_between_one", S(F "program p \"P\" { eligible when days_between(d) > 1 }\n"),
    9, 31, "days_between() takes 2 arguments" },
  { "age_three", S(F "program p \"P\" { eligible when age(d, d, d) > 1 }\n"),
    9, 31, "age() takes 1 or 2 arguments" },
  { "if_set", S(F "program p \"P\" { eligible when (if b then st else st) contains x }\n"),
    9, 32, "'if' must give a plain value (bool, int, money, date, datetime, enum, text)" },
  { "if_types", S(F "program p \"P\" { eligible when (if b then n else m) > 1 }\n"),
    9, 32, "both branches of 'if' must have the same type (int and money)" },
  { "if_cond_int", S(F "program p \"P\" { eligible when (if n then n else n) > 1 }\n"),
    9, 35, "expected a condition (true or false), but this is int" },
  { "text_lt", S(F "program p \"P\" { eligible when s < \"b\" }\n"),
    9, 31, "values of type text have no order: use = or != (or 'in')" },
  { "bool_lt", S(F "program p \"P\" { eligible when b < b }\n"),
    9, 31, "values of type bool have no order: use = or != (or 'in')" },
  { "enum_vs_other_enum", S(F "field f: enum(x, q)\nprogram p \"P\" { eligible when e = f }\n"),
    10, 31, "cannot compare enum with enum" },
  { "duration_alone", S(F "program p \"P\" { eligible when 3 days > 2 }\n"),
    9, 31, "cannot compare duration with int" },
  { "in_not_enum", S(F "program p \"P\" { eligible when n in {x} }\n"),
    9, 31, "'in { ... }' needs an enum value on the left, not int" },
  { "contains_not_set", S(F "program p \"P\" { eligible when e contains x }\n"),
    9, 31, "expected a set of values (a set field or { a, b }), not enum" },
  { "contains_int", S(F "program p \"P\" { eligible when n contains x }\n"),
    9, 31, "expected a set of values (a set field or { a, b }), not int" },
  { "wf_enum_default_number", S("workflow w \"W\" {\n  roles r\n  field k: enum(a, b) = 5\n"
      "  state s0 initial\n  state s1\n  event e\n  on e: s0 -> s1 by r\n}\n"),
    3, 25, "expected enum, but this is int" },
  { "wf_set_wrong_enum", S("workflow w \"W\" {\n  roles r\n  field k: enum(a, b) = a\n"
      "  field j: enum(c, d) = c\n  state s0 initial\n  state s1\n  event e\n"
      "  on e: s0 -> s1 by r set k = j\n}\n"),
    8, 31, "the value is not one of field 'k''s values" },
  { "define_cycle", S("define a = c\ndefine c = a\nfield n: int\n"
      "program p \"P\" { eligible when a }\n"),
    1, 8, "'a' is defined in terms of itself" },
  { "benefit_no_amount", S(F "program p \"P\" {\n  eligible when b\n  benefit money1\n}\n"),
    12, 1, "expected a value, a name or '(', found '}'" },
  { "benefit_bad_period", S(F "program p \"P\" {\n  eligible when b\n"
      "  benefit money1 5 GEL fortnightly\n}\n"),
    11, 24, "expected 'once', 'monthly' or 'yearly' after the amount" },
  { "program_two_eligible", S(F "program p \"P\" {\n  eligible when b\n  eligible when b\n}\n"),
    11, 12, "a programme has one 'eligible when' rule (combine conditions with 'and' / 'or')" },
  { "program_two_force", S(F "program p \"P\" {\n  in force from 2020-01-01\n"
      "  in force from 2021-01-01\n  eligible when b\n}\n"),
    11, 12, "a programme has one 'in force' line" },
  { "program_force_word", S(F "program p \"P\" {\n  in force soon\n  eligible when b\n}\n"),
    10, 12, "expected 'from DATE' or 'until DATE' after 'in force'" },
  { "program_source_word", S(F "program p \"P\" {\n  source 5\n  eligible when b\n}\n"),
    10, 10, "expected the source as a string" },
  { "program_two_sources", S(F "program p \"P\" {\n  source \"a\"\n  source \"b\"\n"
      "  eligible when b\n}\n"),
    11, 10, "a programme has one 'source' line" },
  { "service_when_int", S(F "program p \"P\" {\n  eligible when b\n  service s1 when n\n}\n"),
    11, 19, "expected a condition (true or false), but this is int" },
  { "service_twice", S(F "program p \"P\" {\n  eligible when b\n  service s1\n  service s1\n"
      "}\n"),
    12, 11, "'s1' is listed twice in programme 'p'" },
  { "policy_name_number", S("policy 5 \"x\"\n"),
    1, 8, "expected the policy's name, found a number" },
  { "calendar_weekend_word", S("calendar c {\n  weekend funday\n}\n"),
    2, 11, "expected a day of the week (monday ... sunday)" },
  { "calendar_unknown", S("calendar c {\n  vacation 1 May\n}\n"),
    2, 3, "expected 'weekend', 'holiday', 'day off' or 'basis' in a calendar" },
};

/* Compile one text named d.cpw; returns the status and the diagnostics. */
static int compile(cpw_ctx *ctx, const char *text, size_t len, cpw_diagnostics **dg)
{
  cpw_policy *pol = NULL;
  cpw_policy_source src;
  int rc;
  src.name = "d.cpw";
  src.text = text;
  src.len = len;
  rc = cpw_policy_compile(&pol, ctx, &src, 1, dg);
  if (rc == CPW_OK)
    cpw_policy_free(pol);
  else
    assert_null(pol);
  return rc;
}

static void check_case(cpw_ctx *ctx, const diag_case *c)
{
  cpw_diagnostics *dg = NULL;
  const cpw_diagnostic *g;
  const cpw_error *err;
  int rc = compile(ctx, c->text, c->len, &dg);
  if (rc != CPW_EPOLICY || cpw_diagnostics_count(dg) != 1) {
    size_t n = cpw_diagnostics_count(dg);
    pt_print_diags(dg);
    cpw_diagnostics_free(dg);
    fail_msg("case %s: status %d with %zu diagnostics, expected one error", c->name, rc, n);
  }
  g = cpw_diagnostics_get(dg, 0);
  if (g->severity != CPW_SEVERITY_ERROR || strcmp(g->file, "d.cpw") != 0 ||
      g->line != c->line || g->column != c->column || strcmp(g->message, c->message) != 0) {
    pt_print_diags(dg);
    fail_msg("case %s: expected d.cpw:%d:%d: %s", c->name, c->line, c->column, c->message);
  }
  /* the context's last error is the same, with its position */
  err = cpw_ctx_last_error(ctx);
  assert_int_equal(err->code, CPW_EPOLICY);
  assert_string_equal(err->file, "d.cpw");
  assert_int_equal(err->line, c->line);
  assert_int_equal(err->column, c->column);
  assert_string_equal(err->message, c->message);
  cpw_diagnostics_free(dg);
}

static void test_diagnostics__every_error(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  size_t i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check_case(ctx, &cases[i]);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void test_diagnostics__workflow_and_placement_syntax(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  size_t i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  for (i = 0; i < sizeof syntax_cases / sizeof syntax_cases[0]; i++)
    check_case(ctx, &syntax_cases[i]);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void test_diagnostics__declarations_and_types(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  size_t i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  for (i = 0; i < sizeof decl_type_cases / sizeof decl_type_cases[0]; i++)
    check_case(ctx, &decl_type_cases[i]);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* More warnings than the list of diagnostics keeps, then one error: the error is in the list
 * and in the context's last error, with its position (it was counted, dropped, and the
 * compile failed with no error to show: found by fuzz_workflow). */
static void test_diagnostics__error_after_many_warnings(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_diagnostics *dg = NULL;
  char text[4096];
  size_t used = 0, i, errors = 0, warnings = 0;
  int k;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  /* 20 transitions on e from every state: each after the first is a warning in each of the 7
   * states (133), then the checker's errors: no final state, states never reached */
  used += (size_t)snprintf(text + used, sizeof text - used,
                           "workflow w \"W\" {\n  roles r\n  state s0 initial\n");
  for (k = 1; k < 7; k++)
    used += (size_t)snprintf(text + used, sizeof text - used, "  state s%d\n", k);
  used += (size_t)snprintf(text + used, sizeof text - used, "  event e\n");
  for (k = 0; k < 20; k++)
    used += (size_t)snprintf(text + used, sizeof text - used, "  on e: *\n");
  used += (size_t)snprintf(text + used, sizeof text - used, "}\n");
  assert_int_equal(compile(ctx, text, used, &dg), CPW_EPOLICY);
  for (i = 0; i < cpw_diagnostics_count(dg); i++) {
    const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
    if (g->severity == CPW_SEVERITY_ERROR)
      errors++;
    else
      warnings++;
  }
  if (errors == 0 || warnings < 80 || cpw_diagnostics_count(dg) > 100)
    fail_msg("%zu errors and %zu warnings", errors, warnings);
  assert_int_equal(cpw_ctx_last_error(ctx)->line, 3);
  assert_int_equal(cpw_ctx_last_error(ctx)->column, 9);
  assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, "leads to a final state"));
  cpw_diagnostics_free(dg);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* Every reserved word, used as a field name, a definition's name, an enum value and a
 * programme id, is refused by name. */
static void test_diagnostics__reserved_words(void **state)
{
  static const char *const words[] = {
    "and", "or", "not", "in", "is", "if", "then", "else", "true", "false", "between",
    "contains", "missing", "given", "when", "from", "until", "by", "set", "of",
  };
  static const struct { const char *before, *after; int column; const char *as; } uses[] = {
    { "field ", ": int\n", 7, "a field name" },
    { "define ", " = 1\n", 8, "a name" },
    { "field e: enum(a, ", ")\n", 18, "an enum value" },
    { "field n: int\nprogram ", " \"P\" { eligible when n > 0 }\n", 9, "the programme's id" },
  };
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  size_t w, u;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  for (w = 0; w < sizeof words / sizeof words[0]; w++)
    for (u = 0; u < sizeof uses / sizeof uses[0]; u++) {
      char text[200], msg[200];
      diag_case c;
      snprintf(text, sizeof text, "%s%s%s", uses[u].before, words[w], uses[u].after);
      snprintf(msg, sizeof msg, "'%s' is a reserved word and cannot be used as %s", words[w],
               uses[u].as);
      c.name = words[w];
      c.text = text;
      c.len = strlen(text);
      c.line = u == 3 ? 2 : 1;
      c.column = uses[u].column;
      c.message = msg;
      check_case(ctx, &c);
    }
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void test_diagnostics__enum_limit(void **state)
{
  char text[1200];
  size_t used = 0;
  int i;
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  diag_case c;
  cpw_diagnostics *dg = NULL;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  used += (size_t)snprintf(text, sizeof text, "field e: set of enum(");
  for (i = 0; i < 64; i++)
    used += (size_t)snprintf(text + used, sizeof text - used, "%sv%d", i ? ", " : "", i);
  snprintf(text + used, sizeof text - used, ")\n");
  assert_int_equal(compile(ctx, text, strlen(text), &dg), CPW_OK); /* 64 values: the limit */
  assert_int_equal(cpw_diagnostics_count(dg), 0);
  cpw_diagnostics_free(dg);
  snprintf(text + used, sizeof text - used, ", v64)\n");
  c.name = "65 values";
  c.text = text;
  c.len = strlen(text);
  c.line = 1;
  c.column = 10;
  c.message = "an enum may have at most 64 values";
  check_case(ctx, &c);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void expect_diag(const cpw_diagnostics *dg, size_t i, const char *file, int line,
                        int column, const char *message)
{
  const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
  assert_non_null(g);
  assert_string_equal(g->file, file);
  assert_int_equal(g->line, line);
  assert_int_equal(g->column, column);
  assert_string_equal(g->message, message);
}

/* The parser resumes at the next declaration: every broken declaration is reported, with the
 * count in cpw_diagnostics, and the context's last error is the first of them. */
static void test_diagnostics__several_errors(void **state)
{
  static const char syntax[] =
    "field a: int\n"
    "field b int\n"
    "field c: date\n"
    "field d: nope\n"
    "program p { }\n"
    "field x: int ; field y: int\n"
    "field e: enum(x\n";
  static const char names[] =
    "field n: int\n"
    "program p \"P\" { eligible when citizenship = georgian and n > 1.5 GEL }\n"
    "program p \"Q\" { eligible when n > 0 }\n"
    "define z = n + true\n";
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_diagnostics *dg = NULL;
  const cpw_error *err;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_int_equal(compile(ctx, S(syntax), &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 5);
  expect_diag(dg, 0, "d.cpw", 2, 9, "expected ':' after the field name, found 'int'");
  expect_diag(dg, 1, "d.cpw", 4, 10, "expected a type: bool, int, money, date, datetime, text, "
                                     "enum(...) or set of enum(...)");
  expect_diag(dg, 2, "d.cpw", 5, 11, "expected the programme's title as a string after its id");
  expect_diag(dg, 3, "d.cpw", 6, 14, "unexpected character ';'");
  expect_diag(dg, 4, "d.cpw", 8, 1, "expected ')' after the enum values, found end of file");
  err = cpw_ctx_last_error(ctx);
  assert_int_equal(err->line, 2);
  assert_int_equal(err->column, 9);
  assert_string_equal(err->message, "expected ':' after the field name, found 'int' "
                                    "(and more errors: see the diagnostics)");
  cpw_diagnostics_free(dg);

  /* name and type errors of every declaration, in source order */
  assert_int_equal(compile(ctx, S(names), &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 5);
  expect_diag(dg, 0, "d.cpw", 2, 31, "unknown name 'citizenship': declare it with 'field', "
                                     "'param' or 'define'");
  expect_diag(dg, 1, "d.cpw", 2, 45, "unknown name 'georgian': declare it with 'field', "
                                     "'param' or 'define'");
  expect_diag(dg, 2, "d.cpw", 2, 58, "cannot compare money with a plain number: write the amount "
                                     "in GEL (e.g. 1000 GEL)");
  expect_diag(dg, 3, "d.cpw", 3, 9, "programme 'p' is already declared at line 2");
  expect_diag(dg, 4, "d.cpw", 4, 12, "cannot apply '+' to int and bool");
  cpw_diagnostics_free(dg);

  /* the diagnostics API */
  assert_int_equal(cpw_diagnostics_count(NULL), 0);
  assert_null(cpw_diagnostics_get(NULL, 0));
  cpw_diagnostics_free(NULL);
  assert_int_equal(compile(ctx, S("field n: int\n"), &dg), CPW_OK);
  assert_int_equal(cpw_diagnostics_count(dg), 0);
  assert_null(cpw_diagnostics_get(dg, 0));
  cpw_diagnostics_free(dg);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* Errors in several files name their file, in the order the files were given. */
static void test_diagnostics__several_files(void **state)
{
  cpw_policy_source src[2];
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  pt_env e;
  (void)state;
  pt_open(&e, "field n: int\n");
  src[0].name = "a.cpw";
  src[0].text = "field n: int\nprogram p \"P\" { eligible when k > 0 }\n";
  src[0].len = strlen(src[0].text);
  src[1].name = "b.cpw";
  src[1].text = "field k: date\nfield n: int\n";
  src[1].len = strlen(src[1].text);
  assert_int_equal(cpw_policy_compile(&pol, e.ctx, src, 2, &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 2);
  expect_diag(dg, 0, "a.cpw", 2, 31, "cannot compare date with int");
  expect_diag(dg, 1, "b.cpw", 2, 7, "'n' is already declared as a field");
  cpw_diagnostics_free(dg);
  src[1].text = "field k: int\n]\n";
  src[1].len = strlen(src[1].text);
  assert_int_equal(cpw_policy_compile(&pol, e.ctx, src, 2, &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 1);
  expect_diag(dg, 0, "b.cpw", 2, 1, "unexpected character ']'");
  cpw_diagnostics_free(dg);
  pt_close(&e);
}

/* At most 100 diagnostics are kept; the compile still fails cleanly. */
static void test_diagnostics__many_errors(void **state)
{
  char *text = malloc(150 * 32);
  size_t used = 0;
  int i;
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_diagnostics *dg = NULL;
  (void)state;
  assert_non_null(text);
  for (i = 0; i < 150; i++)
    used += (size_t)sprintf(text + used, "field f%d: nope\n", i);
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_int_equal(compile(ctx, text, used, &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 100);
  expect_diag(dg, 99, "d.cpw", 100, 12, "expected a type: bool, int, money, date, datetime, "
                                        "text, enum(...) or set of enum(...)");
  cpw_diagnostics_free(dg);
  cpw_ctx_free(ctx);
  free(text);
  assert_int_equal(ta.live_blocks, 0);
}

/* An empty policy compiles (a set of files may hold an empty one) with a warning. */
static void test_diagnostics__empty_input(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_diagnostics *dg = NULL;
  cpw_policy *pol = NULL;
  const cpw_diagnostic *g;
  cpw_policy_source src[2] = { { "empty.cpw", "", 0 }, { "c.cpw", "# nothing\n", 10 } };
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_int_equal(compile(ctx, "", 0, &dg), CPW_OK);
  assert_int_equal(cpw_diagnostics_count(dg), 1);
  g = cpw_diagnostics_get(dg, 0);
  assert_int_equal(g->severity, CPW_SEVERITY_WARNING);
  expect_diag(dg, 0, "d.cpw", 1, 1, "the policy is empty: it declares nothing");
  cpw_diagnostics_free(dg);
  assert_int_equal(cpw_policy_compile(&pol, ctx, src, 2, &dg), CPW_OK);
  assert_int_equal(cpw_policy_field_count(pol), 0);
  assert_int_equal(cpw_diagnostics_count(dg), 1);
  expect_diag(dg, 0, "empty.cpw", 1, 1, "the policy is empty: it declares nothing");
  cpw_diagnostics_free(dg);
  cpw_policy_free(pol);
  /* an empty file among others is fine */
  src[1].text = "field n: int\n";
  src[1].len = strlen(src[1].text);
  assert_int_equal(cpw_policy_compile(&pol, ctx, src, 2, &dg), CPW_OK);
  assert_int_equal(cpw_diagnostics_count(dg), 0);
  cpw_diagnostics_free(dg);
  cpw_policy_free(pol);
  assert_int_equal(cpw_policy_compile(&pol, ctx, NULL, 0, &dg), CPW_OK);
  assert_int_equal(cpw_diagnostics_count(dg), 0);
  cpw_diagnostics_free(dg);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* Every diagnostic of a failed compile is positioned and says something. */
static void check_failure(cpw_ctx *ctx, const char *text, size_t len)
{
  cpw_diagnostics *dg = NULL;
  size_t i, errors = 0;
  int rc = compile(ctx, text, len, &dg);
  assert_true(rc == CPW_OK || rc == CPW_EPOLICY);
  for (i = 0; i < cpw_diagnostics_count(dg); i++) {
    const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
    assert_string_equal(g->file, "d.cpw");
    assert_true(g->line >= 1 && g->column >= 1);
    assert_true(g->message[0] != '\0');
    errors += g->severity == CPW_SEVERITY_ERROR;
  }
  assert_int_equal(rc == CPW_OK, errors == 0);
  cpw_diagnostics_free(dg);
}

static void test_diagnostics__binary_junk(void **state)
{
  static const char nul[] = "field a: int\n\0field b: int\n";
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_diagnostics *dg = NULL;
  char junk[512];
  uint32_t seed = 12345;
  int i, k;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  /* a NUL byte in the text: refused where it is, the rest of the line is skipped */
  assert_int_equal(compile(ctx, nul, sizeof nul - 1, &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 1);
  expect_diag(dg, 0, "d.cpw", 2, 1, "unexpected NUL byte (is this a text file?)");
  cpw_diagnostics_free(dg);
  /* every byte value */
  for (i = 0; i < 256; i++)
    junk[i] = (char)i;
  check_failure(ctx, junk, 256);
  assert_int_equal(compile(ctx, junk, 256, &dg), CPW_EPOLICY);
  expect_diag(dg, 0, "d.cpw", 1, 1, "unexpected NUL byte (is this a text file?)");
  cpw_diagnostics_free(dg);
  /* random bytes, and random bytes mixed with the words of the language */
  for (i = 0; i < 3000; i++) {
    static const char *const words[] = {
      "field ", "program ", "define ", "param ", "calendar ", "{", "}", "(", ")", "\"",
      " = ", " and ", " or ", " not ", "2020-01-01", " GEL", "12.5", ": int\n", "\n",
      "eligible when ", " in force from ", "enum(", "set of ", " if ", " then ", " else ",
      " + 3 working days", "holiday easter - 2 days", " is missing", "#", "\\", "x",
    };
    size_t len = 0, n;
    seed = seed * 1103515245u + 12345u;
    n = (seed >> 16) % 200;
    for (k = 0; k < (int)n && len + 40 < sizeof junk; k++) {
      seed = seed * 1103515245u + 12345u;
      if (i % 2 == 0) {
        junk[len++] = (char)(seed >> 24);
      } else {
        const char *w = words[(seed >> 16) % (sizeof words / sizeof words[0])];
        memcpy(junk + len, w, strlen(w));
        len += strlen(w);
      }
    }
    check_failure(ctx, junk, len);
  }
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* Words that start no declaration are errors, and the parser moves on to the next line that
 * starts one (it used to loop forever on words it half-knew). */
static void test_diagnostics__unknown_declarations(void **state)
{
  static const char *const words[] = { "rule", "import", "module", "table" };
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_diagnostics *dg = NULL;
  size_t i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  for (i = 0; i < sizeof words / sizeof words[0]; i++) {
    char text[200], msg[200];
    snprintf(text, sizeof text, "%s x \"X\" {\n}\n%s\nfield n: int\n", words[i], words[i]);
    snprintf(msg, sizeof msg, "expected a declaration (policy, timezone, calendar, field, "
                              "param, define, program, workflow, setting, facility, placement, "
                              "labels, source), found '%s'", words[i]);
    assert_int_equal(compile(ctx, text, strlen(text), &dg), CPW_EPOLICY);
    assert_int_equal(cpw_diagnostics_count(dg), 1); /* line 3 is skipped with the rest */
    expect_diag(dg, 0, "d.cpw", 1, 1, msg);
    cpw_diagnostics_free(dg);
  }
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* Build "prefix (repeat x n) middle (close x n) suffix" in a malloc'd buffer. */
static char *nest(const char *prefix, const char *open, int n, const char *middle,
                  const char *close, const char *suffix)
{
  size_t len = strlen(prefix) + (strlen(open) + strlen(close)) * (size_t)n + strlen(middle) +
               strlen(suffix) + 1;
  char *s = malloc(len), *o = s;
  int i;
  assert_non_null(s);
  o += sprintf(o, "%s", prefix);
  for (i = 0; i < n; i++)
    o += sprintf(o, "%s", open);
  o += sprintf(o, "%s", middle);
  for (i = 0; i < n; i++)
    o += sprintf(o, "%s", close);
  sprintf(o, "%s", suffix);
  return s;
}

/* RULE + first + (op x n) + tail */
static char *chain(const char *first, const char *op, int n, const char *tail)
{
  char *ops = nest("", op, n, "", "", ""), *s;
  size_t len = strlen(ops) + strlen(first) + strlen(tail) + 200;
  s = malloc(len);
  assert_non_null(s);
  snprintf(s, len, "field n: int\nfield b: bool\nfield e: enum(x, y)\n"
                   "program p \"P\" { eligible when %s%s%s", first, ops, tail);
  free(ops);
  return s;
}

static void expect_one(cpw_ctx *ctx, char *text, int line, int column, const char *message)
{
  diag_case c;
  c.name = "generated";
  c.text = text;
  c.len = strlen(text);
  c.line = line;
  c.column = column;
  c.message = message;
  check_case(ctx, &c);
  free(text);
}

static void expect_ok(cpw_ctx *ctx, char *text)
{
  cpw_diagnostics *dg = NULL;
  int rc = compile(ctx, text, strlen(text), &dg);
  if (rc != CPW_OK)
    pt_print_diags(dg);
  assert_int_equal(rc, CPW_OK);
  cpw_diagnostics_free(dg);
  free(text);
}

#define RULE "field n: int\nfield b: bool\nfield e: enum(x, y)\nprogram p \"P\" { eligible when "
#define NESTED "expression nested too deeply"
#define LONG                                                                                \
  "expression too long: more than 200 terms in a row or nested levels (split it with "      \
  "'define', or list values with 'in { ... }')"

/* Nesting is bounded (200 levels): a clean error, never a stack overflow, however deep the
 * input goes. */
static void test_diagnostics__deep_nesting(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  char *inner;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  expect_ok(ctx, nest(RULE, "(", 150, "n > 1", ")", " }\n"));
  expect_one(ctx, nest(RULE, "(", 300, "n > 1", ")", " }\n"), 4, 231, NESTED);
  expect_one(ctx, nest(RULE, "(", 100000, "n > 1", ")", " }\n"), 4, 231, NESTED);
  expect_one(ctx, nest(RULE, "not ", 100000, "b", "", " }\n"), 4, 827, NESTED);
  expect_one(ctx, nest(RULE, "- ", 100000, "n", "", " > 1 }\n"), 4, 429, NESTED);
  expect_one(ctx, nest(RULE, "e in {", 100000, "x", "}", " }\n"), 4, 39,
             "expected '}' to close the set, found 'in'");
  inner = nest("", "{", 100000, "x", "}", "");
  expect_one(ctx, nest(RULE, "e in ", 1, inner, "", " }\n"), 4, 235, NESTED);
  free(inner);
  expect_one(ctx, nest(RULE, "if b then ", 100000, "b", " else b", " }\n"), 4, 2024, NESTED);
  expect_one(ctx, nest(RULE, "max(n, ", 100000, "n", ")", " > 1 }\n"), 4, 1428, NESTED);
  /* long chains of one operator count too: they make the tree as deep */
  expect_ok(ctx, chain("n", " + 1", 150, " > 1 }\n"));
  expect_one(ctx, chain("n", " + 1", 300, " > 1 }\n"), 4, 829, LONG);
  expect_one(ctx, chain("n", " * 2", 100000, " > 1 }\n"), 4, 829, LONG);
  expect_one(ctx, chain("b", " or b", 100000, " }\n"), 4, 1028, LONG);
  expect_one(ctx, chain("b", " and b", 100000, " }\n"), 4, 1227, LONG);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* Definitions are written out in place when a formula is compiled: a chain that doubles at
 * each step would be 2^60 steps long. It is refused at once with a clean error, and so are
 * long chains of definitions, in either order (no stack overflow). */
static void test_diagnostics__formula_too_large(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  char *text = malloc(2000000), *o;
  int i;
  (void)state;
  assert_non_null(text);
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  /* doubling definitions */
  o = text + sprintf(text, "field n: int\ndefine a0 = n\n");
  for (i = 1; i <= 60; i++)
    o += sprintf(o, "define a%d = a%d + a%d\n", i, i - 1, i - 1);
  sprintf(o, "program p \"P\" { eligible when a60 > 1 }\n");
  {
    char *copy = malloc(strlen(text) + 1);
    assert_non_null(copy);
    strcpy(copy, text);
    expect_one(ctx, copy, 63, 31, "this formula is too large to evaluate (more than 65536 "
                                  "steps or nested more than 250 deep, counting definitions it "
                                  "uses)");
  }
  /* doubling definitions a programme does not use cost nothing */
  sprintf(o, "program p \"P\" { eligible when a3 > 1 }\n");
  {
    char *copy = malloc(strlen(text) + 1);
    assert_non_null(copy);
    strcpy(copy, text);
    expect_ok(ctx, copy);
  }
  /* a chain of definitions, each one level deeper */
  o = text + sprintf(text, "field n: int\ndefine a0 = n\n");
  for (i = 1; i <= 300; i++)
    o += sprintf(o, "define a%d = a%d + 1\n", i, i - 1);
  sprintf(o, "program p \"P\" { eligible when a300 > 1 }\n");
  {
    char *copy = malloc(strlen(text) + 1);
    cpw_diagnostics *dg = NULL;
    assert_non_null(copy);
    strcpy(copy, text);
    assert_int_equal(compile(ctx, copy, strlen(copy), &dg), CPW_EPOLICY);
    /* the first too deep, and each that uses it after that: one error */
    assert_int_equal(cpw_diagnostics_count(dg), 1);
    expect_diag(dg, 0, "d.cpw", 102, 8, "'a100' is nested too deeply: more than 200 levels, "
                                        "counting the definitions it uses");
    cpw_diagnostics_free(dg);
    free(copy);
  }
  /* the same chain declared from the top down: checked by recursion, bounded */
  o = text + sprintf(text, "field n: int\nprogram p \"P\" { eligible when a50000 > 1 }\n");
  for (i = 50000; i >= 1; i--)
    o += sprintf(o, "define a%d = a%d\n", i, i - 1);
  sprintf(o, "define a0 = n\n");
  check_failure(ctx, text, strlen(text));
  {
    cpw_diagnostics *dg = NULL;
    assert_int_equal(compile(ctx, text, strlen(text), &dg), CPW_EPOLICY);
    expect_diag(dg, 0, "d.cpw", 203, 8, "'a49800' is nested too deeply: more than 200 levels, "
                                        "counting the definitions it uses");
    cpw_diagnostics_free(dg);
  }
  /* a formula nested just under the limit through definitions compiles */
  o = text + sprintf(text, "field n: int\ndefine a0 = n\n");
  for (i = 1; i <= 90; i++)
    o += sprintf(o, "define a%d = a%d + 1\n", i, i - 1);
  sprintf(o, "program p \"P\" { eligible when a90 > 1 }\n");
  {
    char *copy = malloc(strlen(text) + 1);
    assert_non_null(copy);
    strcpy(copy, text);
    expect_ok(ctx, copy);
  }
  cpw_ctx_free(ctx);
  free(text);
  assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_diagnostics__every_error),
    cmocka_unit_test(test_diagnostics__workflow_and_placement_syntax),
    cmocka_unit_test(test_diagnostics__declarations_and_types),
    cmocka_unit_test(test_diagnostics__error_after_many_warnings),
    cmocka_unit_test(test_diagnostics__reserved_words),
    cmocka_unit_test(test_diagnostics__enum_limit),
    cmocka_unit_test(test_diagnostics__several_errors),
    cmocka_unit_test(test_diagnostics__several_files),
    cmocka_unit_test(test_diagnostics__many_errors),
    cmocka_unit_test(test_diagnostics__empty_input),
    cmocka_unit_test(test_diagnostics__binary_junk),
    cmocka_unit_test(test_diagnostics__unknown_declarations),
    cmocka_unit_test(test_diagnostics__deep_nesting),
    cmocka_unit_test(test_diagnostics__formula_too_large),
  };
  return cmocka_run_group_tests_name("diagnostics", tests, NULL, NULL);
}
