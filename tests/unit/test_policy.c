/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the policy language: every construct compiles and means what it should, and
 * the accessors of cpw/policy.h report what a policy declares. Operators and functions are
 * checked one condition at a time: `cond` becomes the rule of a one-programme policy over the
 * fields of DECLS, evaluated for one record (see pt_outcome_on in policytest.h). */
#include "policytest.h"
#include "journal_testutil.h"

#define E CPW_ELIGIBLE
#define N CPW_NOT_ELIGIBLE
#define U CPW_UNDETERMINED
#define X CPW_OUTCOME_ERROR

/* Fields of every type, a calendar (for working days) and the Georgian time zone. */
static const char DECLS[] =
  "timezone \"+04:00\"\n"
  "calendar ge {\n"
  "  weekend saturday, sunday\n"
  "  holiday 1 January \"New Year's Day\"\n"
  "  holiday easter - 2 days \"Good Friday\"\n"
  "  holiday easter + 1 days \"Easter Monday\"\n"
  "  holiday 2024-05-10 \"One-off\"\n"
  "  holiday 17 May \"Family Day\" from 2024-01-01\n"
  "}\n"
  "field b: bool\n"
  "field b2: bool\n"
  "field n: int\n"
  "field k: int\n"
  "field m: money\n"
  "field m2: money\n"
  "field d: date\n"
  "field d2: date\n"
  "field t: datetime\n"
  "field t2: datetime\n"
  "field s: text\n"
  "field e: enum(x, y, z)\n"
  "field e2: enum(x, y, z)\n"
  "field st: set of enum(x, y, z)\n";

static const char *const outcome_names[] = { "not_eligible", "eligible", "undetermined",
                                             "error" };

/* `cond` over DECLS for record `json` on `as_of` must give `want`. */
static void check_on(int line, const char *cond, const char *json, const char *as_of, int want)
{
  int got = pt_outcome_on(DECLS, cond, json, as_of);
  if (got != want)
    fail_msg("line %d: '%s' for %s on %s: %s, expected %s", line, cond, json, as_of,
             outcome_names[got & 3], outcome_names[want & 3]);
}

#define CHECK_ON(cond, json, as_of, want) check_on(__LINE__, cond, json, as_of, want)
#define CHECK(cond, json, want) check_on(__LINE__, cond, json, "2024-06-01", want)

/* ------------------------------------------------------------------ fields of every type */

static void test_policy__field_types(void **state)
{
  (void)state;
  CHECK("b", "{\"b\": true}", E);
  CHECK("b", "{\"b\": false}", N);
  CHECK("b", "{}", U);
  CHECK("n = 3", "{\"n\": 3}", E);
  CHECK("n = -3", "{\"n\": -3}", E);
  CHECK("n = 3", "{\"n\": 4}", N);
  CHECK("m = 10.50 GEL", "{\"m\": 10.5}", E);
  CHECK("m = 1050 GEL", "{\"m\": 10.5}", N);
  CHECK("m = 0.05 GEL", "{\"m\": 0.05}", E);
  CHECK("d = 2020-02-29", "{\"d\": \"2020-02-29\"}", E);
  CHECK("d = 2020-02-29", "{\"d\": \"2020-03-01\"}", N);
  /* the same instant written in two offsets */
  CHECK("t = 2024-01-01T09:00:00+04:00", "{\"t\": \"2024-01-01T05:00:00Z\"}", E);
  CHECK("t = 2024-01-01T09:00:00Z", "{\"t\": \"2024-01-01T09:00:00+04:00\"}", N);
  CHECK("s = \"Tbilisi \\\"centre\\\"\"", "{\"s\": \"Tbilisi \\\"centre\\\"\"}", E);
  CHECK("s = \"\xe1\x83\x97\xe1\x83\x91\xe1\x83\x98\xe1\x83\x9a\xe1\x83\x98\xe1\x83\xa1\xe1\x83\x98\"",
        "{\"s\": \"\xe1\x83\x97\xe1\x83\x91\xe1\x83\x98\xe1\x83\x9a\xe1\x83\x98\xe1\x83\xa1\xe1\x83\x98\"}",
        E); /* Georgian text */
  CHECK("s = \"abc\"", "{\"s\": \"abd\"}", N);
  CHECK("e = y", "{\"e\": \"y\"}", E);
  CHECK("e = y", "{\"e\": \"z\"}", N);
  CHECK("st contains z", "{\"st\": [\"x\", \"z\"]}", E);
  CHECK("st contains y", "{\"st\": [\"x\", \"z\"]}", N);
  CHECK("st = {}", "{\"st\": []}", E);
}

/* Enum types are the same type when their values are the same list: fields, sets and
 * parameters declared with one list compare with each other. */
static void test_policy__enum_types_by_values(void **state)
{
  (void)state;
  CHECK("e = e2", "{\"e\": \"y\", \"e2\": \"y\"}", E);
  CHECK("e = e2", "{\"e\": \"y\", \"e2\": \"x\"}", N);
  CHECK("e in st", "{\"e\": \"y\", \"st\": [\"y\"]}", E);
  CHECK("e2 not in st", "{\"e2\": \"y\", \"st\": [\"x\"]}", E);
  CHECK("st contains e", "{\"e\": \"x\", \"st\": [\"y\"]}", N);
  assert_int_equal(pt_outcome_on("field a: enum(p, q)\nfield c: enum(p, q)\n"
                                 "param w: enum(p, q) = q from 2020-01-01\n",
                                 "a = c and c = w", "{\"a\": \"q\", \"c\": \"q\"}", "2024-01-01"),
                   E);
}

/* ------------------------------------------------------------------ parameters */

static const char PARAMS[] =
  "field v: int\n"
  "param limit: int = 100 from 2020-01-01, 200 from 2022-07-01, 300 from 2024-01-01\n"
  "  until 2025-12-31 \"Highest score\"\n"
  "param grant: money = 50 GEL from 2019-01-01, 75.50 GEL from 2021-01-01\n"
  "program value \"Value of limit\" {\n"
  "  eligible when limit is given\n"
  "  benefit limit 1 GEL * limit once\n"
  "}\n"
  "program grant \"Grant\" {\n"
  "  eligible when true\n"
  "  benefit grant grant monthly\n"
  "}\n"
  "program cmp \"Compare\" { eligible when v <= limit }\n";

/* The value of parameter `limit` on a date, read from the benefit (in GEL); -1 if missing. */
static long limit_on(pt_env *e, const char *date)
{
  cpw_money amount = -100;
  int o = pt_eval(e, "value", "{}", date);
  if (o != E)
    return -1;
  assert_int_equal(cpw_decision_benefit_count(e->dec), 1);
  cpw_decision_benefit(e->dec, 0, &amount, NULL);
  return (long)(amount / 100);
}

static void test_policy__params_effective_dating(void **state)
{
  pt_env e;
  cpw_money amount = 0;
  (void)state;
  pt_open(&e, PARAMS);
  /* before the first value, on and around each step, on and after 'until' */
  assert_int_equal(limit_on(&e, "2019-12-31"), -1);
  assert_string_equal(pt_explain(&e), "not eligible: limit is missing, but must be given");
  assert_int_equal(limit_on(&e, "2020-01-01"), 100);
  assert_int_equal(limit_on(&e, "2022-06-30"), 100);
  assert_int_equal(limit_on(&e, "2022-07-01"), 200);
  assert_int_equal(limit_on(&e, "2023-12-31"), 200);
  assert_int_equal(limit_on(&e, "2024-01-01"), 300);
  assert_int_equal(limit_on(&e, "2025-12-31"), 300);
  assert_int_equal(limit_on(&e, "2026-01-01"), -1);
  /* a money parameter without 'until' keeps its last value */
  assert_int_equal(pt_eval(&e, "grant", "{}", "2020-12-31"), E);
  cpw_decision_benefit(e.dec, 0, &amount, NULL);
  assert_int_equal(amount, 5000);
  assert_int_equal(pt_eval(&e, "grant", "{}", "2099-01-01"), E);
  cpw_decision_benefit(e.dec, 0, &amount, NULL);
  assert_int_equal(amount, 7550);
  /* before the first value: the grant has no amount, so no benefit */
  assert_int_equal(pt_eval(&e, "grant", "{}", "2018-12-31"), E);
  assert_int_equal(cpw_decision_benefit_count(e.dec), 0);
  /* a rule reading a parameter that has no value then is undetermined and names it */
  assert_int_equal(pt_eval(&e, "cmp", "{\"v\": 5}", "2019-06-01"), U);
  assert_string_equal(pt_missing(&e), "limit");
  assert_string_equal(pt_explain(&e), "undetermined: limit is missing (v must be at most limit)");
  assert_int_equal(pt_eval(&e, "cmp", "{\"v\": 200}", "2022-07-01"), E);
  assert_string_equal(pt_explain(&e), "eligible: v is 200, at most limit (200)");
  assert_int_equal(pt_eval(&e, "cmp", "{\"v\": 201}", "2022-07-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: v is 201, but must be at most limit (200)");
  pt_close(&e);
}

static void test_policy__params_of_every_type(void **state)
{
  static const char P[] =
    "param pb: bool = true from 2020-01-01, false from 2021-01-01\n"
    "param pn: int = -5 from 2020-01-01\n"
    "param pm: money = -2.50 GEL from 2020-01-01\n"
    "param pd: date = 2020-03-01 from 2020-01-01\n"
    "param pt: datetime = 2020-03-01T10:00:00+04:00 from 2020-01-01\n"
    "param ps: text = \"abc\" from 2020-01-01\n"
    "param pe: enum(x, y, z) = y from 2020-01-01, z from 2021-01-01\n"
    "field e: enum(x, y, z)\n";
  (void)state;
  assert_int_equal(pt_outcome_on(P, "pb", "{}", "2020-06-01"), E);
  assert_int_equal(pt_outcome_on(P, "pb", "{}", "2021-06-01"), N);
  assert_int_equal(pt_outcome_on(P, "pb", "{}", "2019-06-01"), U);
  assert_int_equal(pt_outcome_on(P, "pn = -5 and pm = -2.50 GEL", "{}", "2020-06-01"), E);
  assert_int_equal(pt_outcome_on(P, "pd = 2020-03-01", "{}", "2020-06-01"), E);
  assert_int_equal(pt_outcome_on(P, "pt = 2020-03-01T06:00:00Z", "{}", "2020-06-01"), E);
  assert_int_equal(pt_outcome_on(P, "ps = \"abc\"", "{}", "2020-06-01"), E);
  assert_int_equal(pt_outcome_on(P, "pe = y and e = pe", "{\"e\": \"y\"}", "2020-06-01"), E);
  assert_int_equal(pt_outcome_on(P, "pe = z", "{}", "2021-01-01"), E);
}

/* ------------------------------------------------------------------ definitions */

static void test_policy__defines(void **state)
{
  static const char P[] =
    "field n: int\n"
    "field city: enum(tbilisi, batumi)\n"
    "define quad = twice * 2   # uses a definition declared below\n"
    "define twice = n * 2\n"
    "define big = quad > 100\n"
    "define place = city\n"
    "program p \"P\" { eligible when big and place = tbilisi }\n";
  pt_env e;
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  (void)state;
  pt_open(&e, P);
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 26, \"city\": \"tbilisi\"}", "2024-01-01"), E);
  assert_string_equal(pt_explain(&e), "eligible: quad is 104, more than 100; and place is tbilisi");
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 25, \"city\": \"tbilisi\"}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: quad is 100, but must be more than 100");
  assert_int_equal(pt_eval(&e, "p", "{\"city\": \"tbilisi\"}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "n");
  assert_string_equal(pt_explain(&e), "undetermined: n is missing (quad must be more than 100)");
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 26, \"city\": \"batumi\"}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: place is batumi, but must be tbilisi");
  pt_close(&e);

  /* a cycle is a clean error at the definition */
  pt_open(&e, "field n: int\nprogram p \"P\" { eligible when n > 0 }\n");
  {
    const char *text = "define a = b + 1\ndefine b = a + 1\n"
                       "program p \"P\" { eligible when a > 0 }\n";
    assert_int_equal(cpw_policy_from_string(&pol, e.ctx, "cycle.cpw", text, strlen(text)),
                     CPW_EPOLICY);
  }
  assert_null(pol);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "'a' is defined in terms of itself");
  assert_int_equal(cpw_ctx_last_error(e.ctx)->line, 1);
  assert_int_equal(cpw_ctx_last_error(e.ctx)->column, 8);
  {
    cpw_policy_source s = { "self.cpw", "define a = a\nprogram p \"P\" { eligible when a }\n",
                            0 };
    s.len = strlen(s.text);
    assert_int_equal(cpw_policy_compile(&pol, e.ctx, &s, 1, &dg), CPW_EPOLICY);
    assert_int_equal(cpw_diagnostics_count(dg), 1);
    assert_string_equal(cpw_diagnostics_get(dg, 0)->message, "'a' is defined in terms of itself");
    cpw_diagnostics_free(dg);
  }
  pt_close(&e);
}

/* ------------------------------------------------------------------ programmes */

static void test_policy__program_in_force(void **state)
{
  static const char P[] =
    "field n: int\n"
    "program p \"Bounded\" {\n"
    "  source \"Decree 5 of 2019\"\n"
    "  in force from 2020-01-01 until 2020-12-31\n"
    "  eligible when n > 0\n"
    "}\n"
    "program q \"Until\" { in force until 2020-12-31\n eligible when n > 0 }\n"
    "program r \"Open\" { eligible when n > 0 }\n";
  pt_env e;
  const cpw_program *p, *q, *r;
  const cpw_reason *why;
  (void)state;
  pt_open(&e, P);
  p = pt_program(&e, "p");
  q = pt_program(&e, "q");
  r = pt_program(&e, "r");
  assert_int_equal(cpw_program_from(p), pt_date("2020-01-01"));
  assert_int_equal(cpw_program_until(p), pt_date("2020-12-31"));
  assert_int_equal(cpw_program_from(q), CPW_DATE_MIN);
  assert_int_equal(cpw_program_until(q), pt_date("2020-12-31"));
  assert_int_equal(cpw_program_from(r), CPW_DATE_MIN);
  assert_int_equal(cpw_program_until(r), CPW_DATE_MAX);
  assert_string_equal(cpw_program_source(p), "Decree 5 of 2019");
  assert_string_equal(cpw_program_source(r), "");

  assert_int_equal(pt_eval(&e, "p", "{\"n\": 1}", "2019-12-31"), N);
  assert_string_equal(pt_explain(&e), "not eligible: the programme is in force from 2020-01-01; "
                                      "the evaluation date is 2019-12-31");
  assert_int_equal(cpw_decision_reason_count(e.dec), 1);
  why = cpw_decision_reason(e.dec, 0);
  assert_int_equal(why->holds, 0);
  assert_int_equal(why->line, 0);
  assert_string_equal(why->sentence, "the programme is in force from 2020-01-01; the evaluation "
                                     "date is 2019-12-31");
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 1}", "2020-01-01"), E);
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 1}", "2020-12-31"), E);
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 1}", "2021-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: the programme was in force until 2020-12-31; "
                                      "the evaluation date is 2021-01-01");
  /* out of force wins over missing data */
  assert_int_equal(pt_eval(&e, "p", "{}", "2021-01-01"), N);
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);
  assert_int_equal(pt_eval(&e, "q", "{\"n\": 1}", "0001-01-01"), E);
  assert_int_equal(pt_eval(&e, "q", "{\"n\": 1}", "2021-01-01"), N);
  assert_int_equal(pt_eval(&e, "r", "{\"n\": 1}", "9999-12-31"), E);
  pt_close(&e);
}

static void test_policy__benefits_and_services(void **state)
{
  static const char P[] =
    "field children: int\n"
    "field city: enum(tbilisi, batumi, other)\n"
    "program p \"Allowance\" {\n"
    "  eligible when children >= 1\n"
    "  service visit when children > 3 \"Home visit\"\n"
    "  benefit start 300 GEL once \"Start-up grant\"\n"
    "  benefit per_child 50 GEL * children monthly\n"
    "  service office when city = tbilisi\n"
    "  benefit yearly 120.25 GEL yearly when children > 2\n"
    "  service hotline\n"
    "}\n";
  pt_env e;
  const cpw_program *pg;
  (void)state;
  pt_open(&e, P);
  pg = pt_program(&e, "p");
  /* benefits first, then services, each in declaration order */
  assert_int_equal(cpw_program_benefit_count(pg), 3);
  assert_string_equal(cpw_program_benefit(pg, 0), "start");
  assert_string_equal(cpw_program_benefit(pg, 1), "per_child");
  assert_string_equal(cpw_program_benefit(pg, 2), "yearly");
  assert_null(cpw_program_benefit(pg, 3));
  assert_int_equal(cpw_program_service_count(pg), 3);
  assert_string_equal(cpw_program_service(pg, 0), "visit");
  assert_string_equal(cpw_program_service(pg, 1), "office");
  assert_string_equal(cpw_program_service(pg, 2), "hotline");
  assert_null(cpw_program_service(pg, 3));

  assert_int_equal(pt_eval(&e, "p", "{\"children\": 3, \"city\": \"tbilisi\"}", "2024-01-01"), E);
  assert_string_equal(pt_benefits(&e), "start=30000/once,per_child=15000/monthly,"
                                       "yearly=12025/yearly");
  assert_string_equal(pt_services(&e), "office,hotline");
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);

  assert_int_equal(pt_eval(&e, "p", "{\"children\": 1, \"city\": \"batumi\"}", "2024-01-01"), E);
  assert_string_equal(pt_benefits(&e), "start=30000/once,per_child=5000/monthly");
  assert_string_equal(pt_services(&e), "hotline");

  /* a service whose condition needs missing data is left out, and the data is named */
  assert_int_equal(pt_eval(&e, "p", "{\"children\": 4}", "2024-01-01"), E);
  assert_string_equal(pt_services(&e), "visit,hotline");
  assert_string_equal(pt_missing(&e), "city");

  assert_int_equal(pt_eval(&e, "p", "{\"children\": 0, \"city\": \"tbilisi\"}", "2024-01-01"), N);
  assert_int_equal(cpw_decision_benefit_count(e.dec), 0);
  assert_int_equal(cpw_decision_service_count(e.dec), 0);
  assert_null(cpw_decision_benefit(e.dec, 0, NULL, NULL));
  assert_null(cpw_decision_service(e.dec, 0));
  pt_close(&e);
}

/* ------------------------------------------------------------------ calendars */

/* "benefit NAME up to AMOUNT ...": the amount is a maximum (a capped grant), not owed; a
 * parameter named `up` still starts an amount. */
static void test_policy__benefit_up_to(void **state)
{
  static const char P[] =
    "field children: int\n"
    "param up: money = 7 GEL from 2000-01-01\n"
    "program p \"Grants\" {\n"
    "  eligible when children >= 1\n"
    "  benefit grant up to 4000 GEL once \"Competitive grant, up to this amount\"\n"
    "  benefit owed 50 GEL monthly\n"
    "  benefit by_param up monthly\n"
    "  benefit both up to up * children yearly\n"
    "}\n";
  pt_env e;
  (void)state;
  pt_open(&e, P);
  assert_int_equal(pt_eval(&e, "p", "{\"children\": 2}", "2024-01-01"), E);
  assert_string_equal(pt_benefits(&e), "grant=400000/once,owed=5000/monthly,"
                                       "by_param=700/monthly,both=1400/yearly");
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 0), 1);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 1), 0);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 2), 0);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 3), 1);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 4), CPW_ENOTFOUND);
  assert_int_equal(cpw_decision_benefit_is_cap(NULL, 0), CPW_ENOTFOUND);
  assert_int_equal(pt_eval(&e, "p", "{\"children\": 0}", "2024-01-01"), N);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 0), CPW_ENOTFOUND);
  pt_close(&e);
}

static void test_policy__calendars(void **state)
{
  static const char P[] =
    "calendar ge \"Holidays\" {\n"
    "  weekend saturday, sunday\n"
    "  holiday 1 January \"New Year's Day\"\n"
    "  holiday easter - 2 days \"Good Friday\"\n"
    "  holiday easter \"Easter\"\n"
    "  holiday easter + 1 days\n"
    "  holiday 2024-05-10 \"One-off\"\n"
    "  holiday 17 May \"Family Day\" from 2024-01-01\n"
    "  holiday 9 May \"Victory Day\" until 2023-12-31\n"
    "}\n"
    "calendar gulf { weekend friday, saturday }\n"
    "field d: date\n"
    "program p \"P\" { eligible when is_working_day(d) }\n";
  pt_env e;
  const cpw_calendar *ge, *gulf;
  const char *name = NULL;
  (void)state;
  pt_open(&e, P);
  ge = cpw_policy_calendar(e.pol, NULL);
  assert_non_null(ge);
  assert_ptr_equal(cpw_policy_calendar(e.pol, "ge"), ge);
  assert_string_equal(cpw_calendar_name(ge), "ge");
  gulf = cpw_policy_calendar(e.pol, "gulf");
  assert_non_null(gulf);
  assert_null(cpw_policy_calendar(e.pol, "nope"));

  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-01-01"), &name), 1);
  assert_string_equal(name, "New Year's Day");
  /* Orthodox Easter 2024 is 5 May: Good Friday 3 May, Easter Monday 6 May */
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-05-03"), &name), 1);
  assert_string_equal(name, "Good Friday");
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-05-05"), &name), 1);
  assert_string_equal(name, "Easter");
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-05-06"), &name), 1);
  assert_string_equal(name, "");
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-05-10"), &name), 1);
  assert_string_equal(name, "One-off");
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2025-05-10"), NULL), 0);
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2023-05-17"), NULL), 0);
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-05-17"), NULL), 1);
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2023-05-09"), NULL), 1);
  assert_int_equal(cpw_calendar_is_holiday(ge, pt_date("2024-05-09"), NULL), 0);
  /* weekends */
  assert_int_equal(cpw_calendar_is_working_day(ge, pt_date("2024-05-04")), 0); /* Saturday */
  assert_int_equal(cpw_calendar_is_working_day(ge, pt_date("2024-05-07")), 1);
  assert_int_equal(cpw_calendar_is_working_day(gulf, pt_date("2024-05-03")), 0); /* Friday */
  assert_int_equal(cpw_calendar_is_working_day(gulf, pt_date("2024-05-05")), 1); /* Sunday */
  assert_int_equal(cpw_calendar_is_holiday(gulf, pt_date("2024-01-01"), NULL), 0);

  /* formulas use the first calendar */
  assert_int_equal(pt_eval(&e, "p", "{\"d\": \"2024-05-07\"}", "2024-01-01"), E);
  assert_int_equal(pt_eval(&e, "p", "{\"d\": \"2024-05-06\"}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: is_working_day(d) is false, but must be true");
  pt_close(&e);
}

static void test_policy__working_days(void **state)
{
  (void)state;
  /* Thursday 9 May 2024; Friday 10 May is a one-off holiday, then a weekend */
  CHECK("d + 1 working day = 2024-05-13", "{\"d\": \"2024-05-09\"}", E);
  CHECK("d + 3 working days = 2024-05-14", "{\"d\": \"2024-05-08\"}", E);
  CHECK("d - 1 working day = 2024-05-09", "{\"d\": \"2024-05-13\"}", E);
  CHECK("d - 2 working days = 2024-05-08", "{\"d\": \"2024-05-13\"}", E);
  /* from a Saturday, one working day is the next Monday; zero is the day itself */
  CHECK("d + 1 working day = 2024-05-13", "{\"d\": \"2024-05-11\"}", E);
  CHECK("d + 0 working days = d", "{\"d\": \"2024-05-11\"}", E);
  /* Easter: Good Friday 3 May and Easter Monday 6 May 2024 */
  CHECK("d + 1 working day = 2024-05-07", "{\"d\": \"2024-05-02\"}", E);
  CHECK("working_days_between(d, d2) = 3", "{\"d\": \"2024-05-08\", \"d2\": \"2024-05-14\"}", E);
  CHECK("working_days_between(d, d2) = -3", "{\"d\": \"2024-05-14\", \"d2\": \"2024-05-08\"}", E);
  CHECK("working_days_between(d, d2) = 0", "{\"d\": \"2024-05-10\", \"d2\": \"2024-05-12\"}", E);
  CHECK("is_working_day(d)", "{\"d\": \"2024-01-01\"}", N);
  CHECK("is_working_day(d)", "{\"d\": \"2024-01-02\"}", E);
  CHECK("is_working_day(d)", "{\"d\": \"2023-05-17\"}", E);
  CHECK("is_working_day(d)", "{\"d\": \"2024-05-17\"}", N);
  CHECK("is_working_day(d)", "{}", U);
  /* a date-time moves by working days at the same local time */
  CHECK("t + 1 working day = 2024-05-13T09:30:00+04:00",
        "{\"t\": \"2024-05-09T09:30:00+04:00\"}", E);
}

/* ------------------------------------------------------------------ operators */

static void test_policy__comparisons(void **state)
{
  (void)state;
  CHECK("n = 3", "{\"n\": 3}", E);
  CHECK("n != 3", "{\"n\": 3}", N);
  CHECK("n < 3", "{\"n\": 3}", N);
  CHECK("n <= 3", "{\"n\": 3}", E);
  CHECK("n > 3", "{\"n\": 3}", N);
  CHECK("n >= 3", "{\"n\": 3}", E);
  CHECK("n < 3", "{\"n\": 2}", E);
  CHECK("n > 3", "{\"n\": 4}", E);
  CHECK("n == 3", "{\"n\": 3}", E);  /* '==' is '=' */
  CHECK("n <> 4", "{\"n\": 3}", E);  /* '<>' is '!=' */
  CHECK("3 < n", "{\"n\": 4}", E);   /* the constant may come first */
  CHECK("n = k", "{\"n\": 3, \"k\": 3}", E);
  CHECK("m < m2", "{\"m\": 10, \"m2\": 10.01}", E);
  CHECK("m >= 1000 GEL", "{\"m\": 999.99}", N);
  CHECK("d < 2020-01-01", "{\"d\": \"2019-12-31\"}", E);
  CHECK("d <= d2", "{\"d\": \"2020-01-01\", \"d2\": \"2020-01-01\"}", E);
  CHECK("d > d2", "{\"d\": \"2020-01-01\", \"d2\": \"2020-01-01\"}", N);
  CHECK("t < t2", "{\"t\": \"2024-01-01T09:00:00+04:00\", \"t2\": \"2024-01-01T05:00:01Z\"}", E);
  CHECK("t >= 2024-01-01T09:00:00+04:00", "{\"t\": \"2024-01-01T05:00:00Z\"}", E);
  CHECK("s != \"abc\"", "{\"s\": \"abc\"}", N);
  CHECK("s = \"\"", "{\"s\": \"\"}", E); /* in JSON an empty text is a text */
  CHECK("b = b2", "{\"b\": false, \"b2\": false}", E);
  CHECK("b != b2", "{\"b\": true, \"b2\": false}", E);
  /* 'is' and 'is not' are '=' and '!=' */
  CHECK("e is y", "{\"e\": \"y\"}", E);
  CHECK("e is not y", "{\"e\": \"y\"}", N);
  CHECK("b is true", "{\"b\": true}", E);
  CHECK("b is not true", "{\"b\": false}", E);
  CHECK("y = e", "{\"e\": \"y\"}", E);   /* the enum value may come first */
  CHECK("e != x", "{\"e\": \"y\"}", E);
  CHECK("n = 3", "{}", U);
}

static void test_policy__membership(void **state)
{
  (void)state;
  CHECK("e in {x, y}", "{\"e\": \"y\"}", E);
  CHECK("e in {x, y}", "{\"e\": \"z\"}", N);
  CHECK("e not in {x, y}", "{\"e\": \"z\"}", E);
  CHECK("e not in {x, y}", "{\"e\": \"x\"}", N);
  CHECK("e in {x}", "{}", U);
  CHECK("e in st", "{\"e\": \"y\", \"st\": [\"x\", \"y\"]}", E);
  CHECK("e not in st", "{\"e\": \"z\", \"st\": [\"x\", \"y\"]}", E);
  CHECK("st contains x", "{\"st\": [\"x\"]}", E);
  CHECK("st contains e", "{\"st\": [\"x\"], \"e\": \"x\"}", E);
  CHECK("not (st contains x)", "{\"st\": []}", E);
  CHECK("st contains x", "{}", U);
  CHECK("{x, y} contains e", "{\"e\": \"x\"}", E);
  CHECK("st = {x, z}", "{\"st\": [\"z\", \"x\"]}", E);
  CHECK("st != {x}", "{\"st\": [\"z\", \"x\"]}", E);
  /* between is inclusive at both ends */
  CHECK("n between 3 and 5", "{\"n\": 3}", E);
  CHECK("n between 3 and 5", "{\"n\": 5}", E);
  CHECK("n between 3 and 5", "{\"n\": 6}", N);
  CHECK("n between 3 and 5", "{\"n\": 2}", N);
  CHECK("n between k and 5", "{\"n\": 4}", U);
  CHECK("d between 2024-01-01 and 2024-12-31", "{\"d\": \"2024-12-31\"}", E);
  CHECK("m between 10 GEL and 20 GEL", "{\"m\": 9.99}", N);
  CHECK("t between 2024-01-01T00:00:00Z and 2024-01-02T00:00:00Z",
        "{\"t\": \"2024-01-02T00:00:00Z\"}", E);
  /* is missing / is given, on fields and on expressions */
  CHECK("n is missing", "{}", E);
  CHECK("n is missing", "{\"n\": 0}", N);
  CHECK("n is given", "{\"n\": 0}", E);
  CHECK("n is given", "{}", N);
  CHECK("n is not missing", "{\"n\": 0}", E);
  CHECK("n is not given", "{}", E);
  CHECK("s is given", "{\"s\": \"x\"}", E);
  CHECK("st is missing", "{\"st\": []}", N); /* an empty set is a value */
  CHECK("(n + k) is missing", "{\"n\": 1}", E);
  CHECK("(n + k) is given", "{\"n\": 1, \"k\": 1}", E);
}

static void test_policy__logic(void **state)
{
  (void)state;
  CHECK("b and b2", "{\"b\": true, \"b2\": true}", E);
  CHECK("b and b2", "{\"b\": true, \"b2\": false}", N);
  CHECK("b or b2", "{\"b\": false, \"b2\": true}", E);
  CHECK("b or b2", "{\"b\": false, \"b2\": false}", N);
  CHECK("not b", "{\"b\": false}", E);
  CHECK("not not b", "{\"b\": true}", E);
  /* precedence: not binds tighter than and, and tighter than or */
  CHECK("not b and b2", "{\"b\": false, \"b2\": true}", E);
  CHECK("b or b2 and false", "{\"b\": true, \"b2\": true}", E);
  CHECK("(b or b2) and false", "{\"b\": true, \"b2\": true}", N);
  CHECK("not n = 3", "{\"n\": 4}", E); /* not (n = 3) */
  CHECK("true", "{}", E);
  CHECK("false", "{}", N);
}

static void test_policy__arithmetic(void **state)
{
  (void)state;
  CHECK("n + k = 7", "{\"n\": 3, \"k\": 4}", E);
  CHECK("n - k = -1", "{\"n\": 3, \"k\": 4}", E);
  CHECK("n * k = 12", "{\"n\": 3, \"k\": 4}", E);
  CHECK("n / k = 0", "{\"n\": 3, \"k\": 4}", E);
  CHECK("n / k = -3", "{\"n\": -7, \"k\": 2}", E); /* division rounds toward zero */
  CHECK("n + k * 2 = 11", "{\"n\": 3, \"k\": 4}", E);
  CHECK("(n + k) * 2 = 14", "{\"n\": 3, \"k\": 4}", E);
  CHECK("n - k - 1 = -2", "{\"n\": 3, \"k\": 4}", E); /* left to right */
  CHECK("-n = 5", "{\"n\": -5}", E);
  CHECK("- -n = 5", "{\"n\": 5}", E);
  CHECK("n + k = 7", "{\"n\": 3}", U);
  /* errors: division by zero, overflow */
  CHECK("n / k = 0", "{\"n\": 3, \"k\": 0}", X);
  CHECK("n * k > 0", "{\"n\": 4611686018427387904, \"k\": 4}", X);
  CHECK("n + k > 0", "{\"n\": 9223372036854775807, \"k\": 1}", X);
  CHECK("-n > 0", "{\"n\": -9223372036854775808}", X);
  /* money */
  CHECK("m + m2 = 15.75 GEL", "{\"m\": 10.5, \"m2\": 5.25}", E);
  CHECK("m - m2 = 5.25 GEL", "{\"m\": 10.5, \"m2\": 5.25}", E);
  CHECK("m * 3 = 31.50 GEL", "{\"m\": 10.5}", E);
  CHECK("3 * m = 31.50 GEL", "{\"m\": 10.5}", E);
  CHECK("m * n = 21 GEL", "{\"m\": 10.5, \"n\": 2}", E);
  CHECK("m / 4 = 2.62 GEL", "{\"m\": 10.5}", E); /* whole tetri, rounded toward zero */
  CHECK("m / m2 = 2", "{\"m\": 10.5, \"m2\": 5}", E);
  CHECK("-m = -10.50 GEL", "{\"m\": 10.5}", E);
  /* dates: days, weeks, months, years; the month-end rule */
  CHECK("d + 1 day = 2020-03-01", "{\"d\": \"2020-02-29\"}", E);
  CHECK("d + 2 weeks = 2024-01-15", "{\"d\": \"2024-01-01\"}", E);
  CHECK("d + 1 month = 2019-02-28", "{\"d\": \"2019-01-31\"}", E);
  CHECK("d + 1 month = 2020-02-29", "{\"d\": \"2020-01-31\"}", E);
  CHECK("d + 1 months = 2024-05-31", "{\"d\": \"2024-04-30\"}", N); /* 30 April -> 30 May */
  CHECK("d + 13 months = 2021-02-28", "{\"d\": \"2020-01-31\"}", E);
  CHECK("d - 1 month = 2019-02-28", "{\"d\": \"2019-03-31\"}", E);
  CHECK("d + 1 year = 2021-02-28", "{\"d\": \"2020-02-29\"}", E);
  CHECK("d + 4 years = 2024-02-29", "{\"d\": \"2020-02-29\"}", E);
  CHECK("d - 30 days = 2024-01-31", "{\"d\": \"2024-03-01\"}", E);
  CHECK("d + 1 day > d", "{}", U);
  CHECK("d + 1 year > d", "{\"d\": \"9999-06-01\"}", X); /* past the last date */
  /* date - date is days; datetime - datetime is seconds */
  CHECK("d2 - d = 366", "{\"d\": \"2020-01-01\", \"d2\": \"2021-01-01\"}", E);
  CHECK("d - d2 = -1", "{\"d\": \"2020-01-01\", \"d2\": \"2020-01-02\"}", E);
  CHECK("t2 - t = 5400", "{\"t\": \"2024-01-01T09:00:00Z\", \"t2\": \"2024-01-01T10:30:00Z\"}",
        E);
  /* date-times: minutes, hours, days, weeks; months keep the local time of day */
  CHECK("t + 2 hours = 2024-01-01T12:00:00+04:00", "{\"t\": \"2024-01-01T06:00:00Z\"}", E);
  CHECK("t + 90 minutes = 2024-01-01T07:30:00Z", "{\"t\": \"2024-01-01T06:00:00Z\"}", E);
  CHECK("t - 1 minute = 2024-01-01T05:59:00Z", "{\"t\": \"2024-01-01T06:00:00Z\"}", E);
  CHECK("t + 1 day = 2024-01-02T06:00:00Z", "{\"t\": \"2024-01-01T06:00:00Z\"}", E);
  CHECK("t + 1 week = 2024-01-08T06:00:00Z", "{\"t\": \"2024-01-01T06:00:00Z\"}", E);
  CHECK("t + 1 month = 2024-02-29T23:30:00+04:00", "{\"t\": \"2024-01-31T23:30:00+04:00\"}", E);
  CHECK("t + 1 year = 2025-01-31T23:30:00+04:00", "{\"t\": \"2024-01-31T23:30:00+04:00\"}", E);
  /* if then else: values and conditions */
  CHECK("(if b then n else k) = 3", "{\"b\": true, \"n\": 3, \"k\": 4}", E);
  CHECK("(if b then n else k) = 3", "{\"b\": false, \"n\": 3, \"k\": 4}", N);
  CHECK("(if b then n else k) = 3", "{\"n\": 3, \"k\": 3}", U);
  CHECK("(if b then n else k) = 4", "{\"b\": false, \"k\": 4}", E); /* n is not needed */
  CHECK("if b then n > 1 else n < 1", "{\"b\": false, \"n\": 0}", E);
  CHECK("(if b then m else 5 GEL) = 5 GEL", "{\"b\": false}", E);
  CHECK("(if b then e else z) = z", "{\"b\": false}", E);
  CHECK("(if b then d else d2 + 1 day) = 2020-01-02", "{\"b\": false, \"d2\": \"2020-01-01\"}",
        E);
  CHECK("(if b then \"yes\" else s) = \"no\"", "{\"b\": false, \"s\": \"no\"}", E);
  CHECK("if b then true else if b2 then true else false", "{\"b\": false, \"b2\": true}", E);
}

/* ------------------------------------------------------------------ functions */

static void test_policy__functions(void **state)
{
  (void)state;
  /* age: completed years on the evaluation date, or on a given date; 29 February birthdays
   * are reached on 1 March in common years */
  CHECK_ON("age(d) = 16", "{\"d\": \"2008-02-29\"}", "2025-02-28", E);
  CHECK_ON("age(d) = 17", "{\"d\": \"2008-02-29\"}", "2025-03-01", E);
  CHECK_ON("age(d) = 16", "{\"d\": \"2008-02-29\"}", "2024-02-29", E);
  CHECK_ON("age(d) = 15", "{\"d\": \"2008-02-29\"}", "2024-02-28", E);
  CHECK_ON("age(d) = 0", "{\"d\": \"2024-06-01\"}", "2024-06-01", E);
  CHECK_ON("age(d) = 0", "{\"d\": \"2024-06-02\"}", "2024-06-01", X); /* born later */
  CHECK("age(d, d2) = 17", "{\"d\": \"2008-02-29\", \"d2\": \"2025-03-01\"}", E);
  CHECK("age(d, d2) = 9", "{\"d\": \"2010-05-01\", \"d2\": \"2020-04-30\"}", E);
  CHECK("age(d, d2) = 10", "{\"d\": \"2010-05-01\", \"d2\": \"2020-05-01\"}", E);
  CHECK("age(d, d2) > 0", "{\"d\": \"2010-05-01\"}", U);
  /* years and months between: completed, negative backwards */
  CHECK("years_between(d, d2) = 0", "{\"d\": \"2020-02-29\", \"d2\": \"2021-02-28\"}", E);
  CHECK("years_between(d, d2) = 1", "{\"d\": \"2020-02-29\", \"d2\": \"2021-03-01\"}", E);
  CHECK("years_between(d, d2) = -1", "{\"d\": \"2021-03-01\", \"d2\": \"2020-02-29\"}", E);
  CHECK("months_between(d, d2) = 0", "{\"d\": \"2019-01-31\", \"d2\": \"2019-02-28\"}", E);
  CHECK("months_between(d, d2) = 1", "{\"d\": \"2019-01-31\", \"d2\": \"2019-03-01\"}", E);
  CHECK("months_between(d, d2) = 1", "{\"d\": \"2019-01-15\", \"d2\": \"2019-02-15\"}", E);
  CHECK("months_between(d, d2) = 25", "{\"d\": \"2019-01-15\", \"d2\": \"2021-02-20\"}", E);
  CHECK("months_between(d, d2) = -1", "{\"d\": \"2019-02-15\", \"d2\": \"2019-01-15\"}", E);
  CHECK("days_between(d, d2) = 29", "{\"d\": \"2024-02-01\", \"d2\": \"2024-03-01\"}", E);
  CHECK("days_between(d, d2) = -29", "{\"d\": \"2024-03-01\", \"d2\": \"2024-02-01\"}", E);
  /* date_of: the local date (the policy's time zone, +04:00) of a date-time */
  CHECK("date_of(t) = 2024-01-02", "{\"t\": \"2024-01-01T22:00:00Z\"}", E);
  CHECK("date_of(t) = 2024-01-01", "{\"t\": \"2024-01-01T19:59:59Z\"}", E);
  /* count of a set */
  CHECK("count(st) = 2", "{\"st\": [\"x\", \"z\"]}", E);
  CHECK("count(st) = 0", "{\"st\": []}", E);
  CHECK("count(st) = 0", "{}", U);
  /* min and max of ints, money, dates, date-times */
  CHECK("min(n, k) = 3 and max(n, k) = 4", "{\"n\": 4, \"k\": 3}", E);
  CHECK("min(m, m2) = 1 GEL", "{\"m\": 1, \"m2\": 2}", E);
  CHECK("max(d, d2) = 2024-01-02", "{\"d\": \"2024-01-02\", \"d2\": \"2024-01-01\"}", E);
  CHECK("min(t, t2) = t2", "{\"t\": \"2024-01-02T00:00:00Z\", \"t2\": \"2024-01-01T00:00:00Z\"}",
        E);
  CHECK("max(n, k) = 4", "{\"n\": 4}", U);
  /* the evaluation date */
  CHECK_ON("as_of = 2024-06-01 and today = as_of", "{}", "2024-06-01", E);
  CHECK_ON("d < today", "{\"d\": \"2024-05-31\"}", "2024-06-01", E);
}

/* ------------------------------------------------------------------ lexical rules */

static void test_policy__lexical(void **state)
{
  pt_env e;
  size_t i;
  (void)state;
  pt_open(&e, "policy lex\nfield score_1: int \"Score\\tone\\\\two\\nthree\"\n"
               "field amount: money \"\xe1\x83\x97\xe1\x83\x90\xe1\x83\x9c\xe1\x83\xae\xe1\x83\x90\"\n"
               "field source: text\n"
               "program p \"P\" {\n"
               "  eligible when score_1 = 120_000 and amount = 1_000.5 GEL # all in one\n"
               "  and source = \"a\\\"b\"\n}\n");
  assert_int_equal(cpw_policy_field_index(e.pol, "score_1", &i), CPW_OK);
  assert_string_equal(cpw_policy_field_description(e.pol, i), "Score\tone\\two\nthree");
  assert_int_equal(cpw_policy_field_index(e.pol, "amount", &i), CPW_OK);
  assert_string_equal(cpw_policy_field_description(e.pol, i),
                      "\xe1\x83\x97\xe1\x83\x90\xe1\x83\x9c\xe1\x83\xae\xe1\x83\x90");
  assert_int_equal(pt_eval(&e, "p", "{\"score_1\": 120000, \"amount\": 1000.50, "
                                    "\"source\": \"a\\\"b\"}", "2024-01-01"), E);
  pt_close(&e);
  /* a byte order mark, CRLF line ends and comments everywhere */
  pt_open(&e, "\xef\xbb\xbf# comment\r\npolicy lex \"Lexical \\\"rules\\\"\" version \"1.0\" # c\r\n"
               "field n: int\r\n# comment\r\nprogram p \"P\" { eligible when n > 0 } # c\r\n");
  assert_string_equal(cpw_policy_title(e.pol), "Lexical \"rules\"");
  assert_string_equal(cpw_policy_version(e.pol), "1.0");
  pt_close(&e);
  /* names may hold digits and underscores; words of declarations are not reserved */
  pt_open(&e, "field source: int\nfield days_2: int\nfield once: bool\n"
               "program program \"P\" { eligible when source = days_2 and once }\n");
  assert_int_equal(pt_eval(&e, "program", "{\"source\": 2, \"days_2\": 2, \"once\": true}",
                           "2024-01-01"), E);
  pt_close(&e);
}

/* ------------------------------------------------------------------ accessors */

static void test_policy__accessors(void **state)
{
  static const char P[] =
    "policy test \"A test policy\" version \"2026.1\"\n"
    "timezone \"-05:30\"\n"
    "field b: bool \"A flag\"\n"
    "field n: int\n"
    "field m: money\n"
    "field d: date\n"
    "field t: datetime\n"
    "field s: text\n"
    "field e: enum(x, y, z) \"An enum\"\n"
    "field st: set of enum(p, q)\n"
    "program one \"First\" { eligible when b }\n"
    "program two \"Second\" { source \"Law 7\" eligible when n > 1 service a service b\n"
    "  benefit c 1 GEL once }\n";
  static const struct { const char *name; int type; } fields[] = {
    { "b", CPW_TYPE_BOOL }, { "n", CPW_TYPE_INT }, { "m", CPW_TYPE_MONEY },
    { "d", CPW_TYPE_DATE }, { "t", CPW_TYPE_DATETIME }, { "s", CPW_TYPE_TEXT },
    { "e", CPW_TYPE_ENUM }, { "st", CPW_TYPE_SET },
  };
  static const char *const type_names[] = { "bool", "int", "money", "date", "datetime", "text",
                                            "enum", "set" };
  pt_env e, f;
  size_t i, v = 99;
  const cpw_program *pg;
  char hash[65];
  (void)state;
  pt_open(&e, P);
  assert_string_equal(cpw_policy_name(e.pol), "test");
  assert_string_equal(cpw_policy_title(e.pol), "A test policy");
  assert_string_equal(cpw_policy_version(e.pol), "2026.1");
  assert_int_equal(strlen(cpw_policy_hash(e.pol)), 64);
  assert_int_equal(strspn(cpw_policy_hash(e.pol), "0123456789abcdef"), 64);
  snprintf(hash, sizeof hash, "%s", cpw_policy_hash(e.pol));
  assert_int_equal(cpw_policy_timezone(e.pol), -330);
  assert_null(cpw_policy_calendar(e.pol, NULL));

  assert_int_equal(cpw_policy_field_count(e.pol), 8);
  for (i = 0; i < 8; i++) {
    size_t index = 99;
    assert_string_equal(cpw_policy_field_name(e.pol, i), fields[i].name);
    assert_int_equal(cpw_policy_field_type(e.pol, i), fields[i].type);
    assert_string_equal(cpw_type_name(fields[i].type), type_names[i]);
    assert_int_equal(cpw_policy_field_index(e.pol, fields[i].name, &index), CPW_OK);
    assert_int_equal(index, i);
  }
  assert_string_equal(cpw_type_name(0), "unknown");
  assert_int_equal(cpw_policy_field_index(e.pol, "nope", &i), CPW_ENOTFOUND);
  assert_int_equal(cpw_policy_field_index(e.pol, NULL, &i), CPW_EINVALID);
  assert_null(cpw_policy_field_name(e.pol, 8));
  assert_int_equal(cpw_policy_field_type(e.pol, 8), 0);
  assert_string_equal(cpw_policy_field_description(e.pol, 0), "A flag");
  assert_string_equal(cpw_policy_field_description(e.pol, 1), "");
  assert_null(cpw_policy_field_description(e.pol, 8));
  /* enum and set values */
  assert_int_equal(cpw_policy_field_value_count(e.pol, 6), 3);
  assert_string_equal(cpw_policy_field_value(e.pol, 6, 0), "x");
  assert_string_equal(cpw_policy_field_value(e.pol, 6, 2), "z");
  assert_null(cpw_policy_field_value(e.pol, 6, 3));
  assert_int_equal(cpw_policy_field_value_count(e.pol, 7), 2);
  assert_string_equal(cpw_policy_field_value(e.pol, 7, 1), "q");
  assert_int_equal(cpw_policy_field_value_count(e.pol, 1), 0);
  assert_null(cpw_policy_field_value(e.pol, 1, 0));
  assert_int_equal(cpw_policy_field_value_index(e.pol, 6, "y", &v), CPW_OK);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_policy_field_value_index(e.pol, 7, "p", &v), CPW_OK);
  assert_int_equal(v, 0);
  assert_int_equal(cpw_policy_field_value_index(e.pol, 6, "w", &v), CPW_ENOTFOUND);
  assert_int_equal(cpw_policy_field_value_index(e.pol, 1, "x", &v), CPW_EINVALID);
  assert_int_equal(cpw_policy_field_value_index(e.pol, 99, "x", &v), CPW_EINVALID);
  /* programmes */
  assert_int_equal(cpw_policy_program_count(e.pol), 2);
  pg = cpw_policy_program_at(e.pol, 1);
  assert_ptr_equal(pg, cpw_policy_program(e.pol, "two"));
  assert_ptr_equal(cpw_program_policy(pg), e.pol);
  assert_string_equal(cpw_program_id(pg), "two");
  assert_string_equal(cpw_program_title(pg), "Second");
  assert_string_equal(cpw_program_source(pg), "Law 7");
  assert_int_equal(cpw_program_service_count(pg), 2);
  assert_int_equal(cpw_program_benefit_count(pg), 1);
  assert_string_equal(cpw_program_id(cpw_policy_program_at(e.pol, 0)), "one");
  assert_null(cpw_policy_program_at(e.pol, 2));
  assert_null(cpw_policy_program(e.pol, "three"));
  assert_null(cpw_policy_program(e.pol, NULL));
  /* NULL is safe everywhere */
  assert_null(cpw_policy_name(NULL));
  assert_null(cpw_policy_hash(NULL));
  assert_int_equal(cpw_policy_timezone(NULL), 0);
  assert_int_equal(cpw_policy_field_count(NULL), 0);
  assert_int_equal(cpw_policy_program_count(NULL), 0);
  assert_null(cpw_program_id(NULL));
  assert_int_equal(cpw_program_service_count(NULL), 0);
  cpw_policy_free(NULL);

  /* the hash follows the text; an unnamed policy is "unnamed" */
  pt_open(&f, P);
  assert_string_equal(cpw_policy_hash(f.pol), hash);
  pt_close(&f);
  pt_open(&f, "field n: int\n");
  assert_string_not_equal(cpw_policy_hash(f.pol), hash);
  assert_string_equal(cpw_policy_name(f.pol), "unnamed");
  assert_string_equal(cpw_policy_title(f.pol), "");
  assert_string_equal(cpw_policy_version(f.pol), "");
  assert_int_equal(cpw_policy_timezone(f.pol), 0);
  pt_close(&f);
  pt_open(&f, "timezone \"+04:00\"\n");
  assert_int_equal(cpw_policy_timezone(f.pol), 240);
  pt_close(&f);
  pt_open(&f, "timezone \"Z\"\n");
  assert_int_equal(cpw_policy_timezone(f.pol), 0);
  pt_close(&f);
  pt_close(&e);
}

/* Several sources form one policy: names declared in one file are used in another, and
 * diagnostics name the file they are in. */
static void test_policy__several_sources(void **state)
{
  cpw_policy_source src[2];
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  const cpw_diagnostic *g;
  pt_env e;
  (void)state;
  src[0].name = "rules.cpw";
  src[0].text = "program p \"P\" { eligible when adult and n > limit }\n";
  src[0].len = strlen(src[0].text);
  src[1].name = "schema.cpw";
  src[1].text = "field n: int\nfield birth: date\ndefine adult = age(birth) >= 18\n"
                "param limit: int = 3 from 2000-01-01\n";
  src[1].len = strlen(src[1].text);
  pt_open_sources(&e, src, 2);
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 4, \"birth\": \"2000-01-01\"}", "2024-01-01"), E);
  pt_close(&e);

  pt_open(&e, "field n: int\n");
  src[1].text = "field n: int\nfield birth: date\ndefine adult = age(birth) >= 18\n"
                "param limit: int = 3 from 2000-01-01\nfield n: int\n";
  src[1].len = strlen(src[1].text);
  assert_int_equal(cpw_policy_compile(&pol, e.ctx, src, 2, &dg), CPW_EPOLICY);
  assert_int_equal(cpw_diagnostics_count(dg), 1);
  g = cpw_diagnostics_get(dg, 0);
  assert_string_equal(g->file, "schema.cpw");
  assert_int_equal(g->line, 5);
  assert_int_equal(g->column, 7);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->file, "schema.cpw");
  cpw_diagnostics_free(dg);
  /* bad arguments */
  assert_int_equal(cpw_policy_compile(NULL, e.ctx, src, 2, NULL), CPW_EINVALID);
  assert_int_equal(cpw_policy_compile(&pol, e.ctx, NULL, 2, NULL), CPW_EINVALID);
  assert_int_equal(cpw_policy_compile(&pol, NULL, src, 2, NULL), CPW_EINVALID);
  assert_int_equal(cpw_policy_from_string(&pol, e.ctx, "x", NULL, 0), CPW_EINVALID);
  /* no sources at all: an empty policy */
  assert_int_equal(cpw_policy_compile(&pol, e.ctx, NULL, 0, NULL), CPW_OK);
  assert_int_equal(cpw_policy_program_count(pol), 0);
  cpw_policy_free(pol);
  pt_close(&e);
}

static void test_policy__files_and_default(void **state)
{
  const char *dir = getenv("CPW_SOURCE_DIR");
  char path[1024];
  cpw_policy *pol = NULL;
  pt_env e;
  size_t i, len = 0;
  const char *name = NULL;
  (void)state;
  pt_open_default(&e);
  assert_string_equal(cpw_policy_name(e.pol), "georgia");
  assert_string_equal(cpw_policy_version(e.pol), "2026.2");
  assert_int_equal(cpw_policy_timezone(e.pol), 240);
  assert_non_null(cpw_policy_calendar(e.pol, "georgia"));
  assert_int_equal(cpw_policy_program_count(e.pol), 9);
  assert_int_equal(cpw_policy_default_source_count(), 7); /* 5 of rules, 2 of labels */
  for (i = 0; i < cpw_policy_default_source_count(); i++) {
    const char *text = cpw_policy_default_source(i, &name, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_true(strstr(name, ".cpw") != NULL);
  }
  assert_null(cpw_policy_default_source(cpw_policy_default_source_count(), &name, &len));
  assert_int_equal(cpw_policy_from_file(&pol, e.ctx, "/nonexistent/policy.cpw"), CPW_EIO);
  assert_null(pol);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->file, "/nonexistent/policy.cpw");
  if (dir != NULL) {
    /* one file of the default policy on its own: the sources it declares */
    snprintf(path, sizeof path, "%s/lib/policy/georgia/05-sources.cpw", dir);
    assert_int_equal(cpw_policy_from_file(&pol, e.ctx, path), CPW_OK);
    assert_true(cpw_policy_source_count(pol) > 10);
    assert_int_equal(cpw_policy_program_count(pol), 0);
    assert_null(cpw_policy_calendar(pol, NULL)); /* the calendar is in 00-policy.cpw */
    cpw_policy_free(pol);
  }
  pt_close(&e);
}

/* The content hash depends on the texts only: how a file's path was spelled (good.cpw,
 * ./good.cpw, /abs/good.cpw) or a renamed file gives the same hash, so a journal written under
 * a policy reopens from another working directory. */
static void test_policy__hash_is_content_only(void **state)
{
  static const char TEXT[] = "policy agency \"Agency\" version \"1\"\n"
                             "field n: int\nprogram p \"P\" { eligible when n > 3 }\n";
  const char *names[] = { "good.cpw", "./good.cpw", "/srv/policies/good.cpw", "renamed.cpw",
                          NULL };
  char dir[512], sub[600], file[700], cwd[1024], journal[700], hash[65];
  cpw_policy_source src[2];
  cpw_policy *a = NULL, *b = NULL;
  cpw_journal *j = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_ctx *ctx;
  FILE *fp;
  size_t i;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    src[0].name = names[i];
    src[0].text = TEXT;
    src[0].len = strlen(TEXT);
    assert_int_equal(cpw_policy_compile(&a, ctx, src, 1, NULL), CPW_OK);
    if (i == 0)
      snprintf(hash, sizeof hash, "%s", cpw_policy_hash(a));
    else
      assert_string_equal(cpw_policy_hash(a), hash);
    cpw_policy_free(a);
  }
  /* the texts' boundaries still count: "ab" + "c" is not "a" + "bc" */
  src[0].name = "one.cpw";
  src[0].text = "field a: int\n";
  src[0].len = strlen(src[0].text);
  src[1].name = "two.cpw";
  src[1].text = "field b: int\n";
  src[1].len = strlen(src[1].text);
  assert_int_equal(cpw_policy_compile(&a, ctx, src, 2, NULL), CPW_OK);
  src[0].text = "field a: int\nfield b: int\n";
  src[0].len = strlen(src[0].text);
  assert_int_equal(cpw_policy_compile(&b, ctx, src, 1, NULL), CPW_OK);
  assert_string_not_equal(cpw_policy_hash(a), cpw_policy_hash(b));
  cpw_policy_free(a);
  cpw_policy_free(b);

  /* cpw_policy_from_file with a relative and an absolute path; a journal written under the
   * first reopens for writing under the second, from another directory */
  assert_int_equal(jt_tmpdir(dir, sizeof dir, 0), 0);
  snprintf(sub, sizeof sub, "%s/elsewhere", dir);
  assert_int_equal(mkdir(sub, 0700), 0);
  snprintf(file, sizeof file, "%s/good.cpw", dir);
  snprintf(journal, sizeof journal, "%s/cases.cpwj", dir);
  fp = fopen(file, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(TEXT, 1, strlen(TEXT), fp), strlen(TEXT));
  assert_int_equal(fclose(fp), 0);
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(dir), 0);
  assert_int_equal(cpw_policy_from_file(&a, ctx, "./good.cpw"), CPW_OK);
  assert_string_equal(cpw_policy_hash(a), hash);
  o.flags = CPW_JOURNAL_CREATE;
  assert_int_equal(cpw_journal_open(&j, ctx, "cases.cpwj", a, &o), CPW_OK);
  cpw_journal_close(j);
  assert_int_equal(chdir(sub), 0);
  assert_int_equal(cpw_policy_from_file(&b, ctx, file), CPW_OK);
  assert_string_equal(cpw_policy_hash(b), hash);
  o.flags = 0;
  if (cpw_journal_open(&j, ctx, journal, b, &o) != CPW_OK)
    fail_msg("reopening from another directory: %s", cpw_ctx_last_error(ctx)->message);
  cpw_journal_close(j);
  cpw_policy_free(b);
  assert_int_equal(cpw_policy_from_file(&b, ctx, "../good.cpw"), CPW_OK);
  assert_string_equal(cpw_policy_hash(b), hash);
  cpw_policy_free(b);
  cpw_policy_free(a);
  assert_int_equal(chdir(cwd), 0);
  rmdir(sub);
  assert_int_equal(jt_rmdir(dir), 0);
  cpw_ctx_free(ctx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_policy__field_types),
    cmocka_unit_test(test_policy__hash_is_content_only),
    cmocka_unit_test(test_policy__enum_types_by_values),
    cmocka_unit_test(test_policy__params_effective_dating),
    cmocka_unit_test(test_policy__params_of_every_type),
    cmocka_unit_test(test_policy__defines),
    cmocka_unit_test(test_policy__program_in_force),
    cmocka_unit_test(test_policy__benefits_and_services),
    cmocka_unit_test(test_policy__benefit_up_to),
    cmocka_unit_test(test_policy__calendars),
    cmocka_unit_test(test_policy__working_days),
    cmocka_unit_test(test_policy__comparisons),
    cmocka_unit_test(test_policy__membership),
    cmocka_unit_test(test_policy__logic),
    cmocka_unit_test(test_policy__arithmetic),
    cmocka_unit_test(test_policy__functions),
    cmocka_unit_test(test_policy__lexical),
    cmocka_unit_test(test_policy__accessors),
    cmocka_unit_test(test_policy__several_sources),
    cmocka_unit_test(test_policy__files_and_default),
  };
  return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
