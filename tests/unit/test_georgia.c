/* Unit tests of Georgia's default policy against the domain review of 2026-12
 * (../shared/reviews/domain-2026-12.md; issue 12, part 2): each correction is checked through
 * the public API, and each test failed on the policy before its correction. */
#include "policytest.h"

/* ------------------------------------------------------------------ helpers */

static cpw_money benefit_of(const pt_env *e, const char *name)
{
  size_t i;
  for (i = 0; i < cpw_decision_benefit_count(e->dec); i++) {
    cpw_money m = 0;
    if (strcmp(cpw_decision_benefit(e->dec, i, &m, NULL), name) == 0)
      return m;
  }
  return -1;
}

static const cpw_rule *rule_named(const cpw_policy *pol, const char *name)
{
  size_t i;
  for (i = 0; i < cpw_policy_rule_count(pol); i++)
    if (strcmp(cpw_rule_name(cpw_policy_rule_at(pol, i)), name) == 0)
      return cpw_policy_rule_at(pol, i);
  fail_msg("no rule '%s'", name);
  return NULL;
}

/* ------------------------------------------------------------------ TSA child benefit */

/* The benefit's history as dated values (review 0.1 and 1.1): 10 GEL from 2015 and 50 GEL from
 * 2019 (years sourced, days not), then 100 GEL with the score limit raised from 100,000 to
 * "less than 120,000" on 2021-07-01, 150 GEL from 2022-06-01, 200 GEL and "not more than
 * 120,000" from 2023-07-01; children under 16. */
static void test_georgia__tsa_child_benefit_history(void **state)
{
  pt_env e;
  cpw_date d;
  (void)state;
  pt_open_default(&e);
  /* as of 2022-03-01 a child under 16 in a household scoring 90,000 gets 100 GEL a month */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 90000, "
                           "\"birth_date\": \"2012-02-29\"}", "2022-03-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 10000);
  /* the amounts of each period */
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2022-06-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 15000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-06-30"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 15000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-07-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 20000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2021-06-30"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 5000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2019-01-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 5000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2018-12-31"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 1000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2014-12-31"), CPW_NOT_ELIGIBLE);
  /* each period's boundary: at most 100,000; then less than 120,000; then at most 120,000 */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 100000, "
                           "\"birth_date\": \"2012-02-29\"}", "2021-06-30"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 100001, "
                           "\"birth_date\": \"2012-02-29\"}", "2021-06-30"), CPW_NOT_ELIGIBLE);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2021-07-01"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 119999, "
                           "\"birth_date\": \"2012-02-29\"}", "2023-06-30"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 120000, "
                           "\"birth_date\": \"2012-02-29\"}", "2023-06-30"), CPW_NOT_ELIGIBLE);
  assert_non_null(strstr(pt_explain(&e), "tsa_score is 120000; the rule needs less than"));
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-07-01"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 120001, "
                           "\"birth_date\": \"2012-02-29\"}", "2023-07-01"), CPW_NOT_ELIGIBLE);
  /* under 16: the 16th birthday ends it (a 29 February birthday is reached on 1 March) */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 50000, "
                           "\"birth_date\": \"2008-02-29\"}", "2024-02-28"), CPW_ELIGIBLE);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-02-29"), CPW_NOT_ELIGIBLE);
  /* the starts whose day is not known are marked as such */
  assert_int_equal(cpw_rule_start(cpw_program_rule(pt_program(&e, "tsa_child_benefit")), &d),
                   CPW_PRECISION_YEAR);
  assert_int_equal(d, pt_date("2015-01-01"));
  assert_int_equal(cpw_rule_start(rule_named(e.pol, "tsa_child_benefit_gel from 2019"), &d),
                   CPW_PRECISION_YEAR);
  assert_int_equal(cpw_rule_start(rule_named(e.pol, "tsa_child_benefit_gel from 2021-07-01"), &d),
                   CPW_PRECISION_DAY);
  /* the decision names the value in force and its basis */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 90000, "
                           "\"birth_date\": \"2012-02-29\"}", "2022-03-01"), CPW_ELIGIBLE);
  assert_non_null(strstr(cpw_decision_basis(e.dec), "tsa_child_benefit_gel from 2021-07-01: "
                                                    "proposal, not confirmed"));
  pt_close(&e);
}


/* ------------------------------------------------------------------ holidays and days off */

/* The days off the Government declared for administrative bodies under Labour Code Art. 30(3)
 * (review 2.2), and 17 May: a one-off day off in 2024, a holiday by law from 2025. */
static void test_georgia__days_off_for_administrative_bodies(void **state)
{
  static const char *const off[] = {
    "2021-01-04", "2021-01-05", "2021-01-06", "2021-01-08", "2021-01-11", "2021-01-12",
    "2021-01-13", "2021-01-14", "2021-01-15", "2022-01-03", "2022-01-04", "2022-01-05",
    "2022-01-06", "2023-01-03", "2023-01-04", "2023-01-05", "2023-01-06", "2024-01-03",
    "2024-01-04", "2024-01-05", "2024-05-07", "2024-05-08", "2024-05-10", "2024-05-17",
    "2025-08-29", "2026-01-05", "2026-01-06", "2027-05-17",
  };
  pt_env e;
  const cpw_calendar *cal;
  const cpw_rule *r;
  const char *name = NULL;
  size_t i;
  (void)state;
  pt_open_default(&e);
  cal = cpw_policy_calendar(e.pol, "georgia");
  for (i = 0; i < sizeof off / sizeof off[0]; i++)
    if (cpw_calendar_is_working_day(cal, pt_date(off[i])) != 0)
      fail_msg("%s is a working day", off[i]);
  /* 17 May was a working day before 2024 (2023-05-17 is a Wednesday) */
  assert_int_equal(cpw_calendar_is_working_day(cal, pt_date("2023-05-17")), 1);
  /* the days off are rules of their own, regulations with their instruments */
  r = rule_named(e.pol, "georgia: Day off for administrative bodies (Government resolution, "
                        "7, 8 and 10 May 2024)");
  assert_int_equal(cpw_rule_kind_of(r), CPW_RULE_DAY_OFF);
  assert_int_equal(cpw_rule_status(r), CPW_BASIS_REGULATION);
  assert_int_equal(cpw_calendar_is_holiday(cal, pt_date("2025-08-29"), &name), 1);
  assert_non_null(strstr(name, "Day off for administrative bodies"));
  r = rule_named(e.pol, "georgia: Day off for administrative bodies (Decree 381 of 2025)");
  assert_non_null(strstr(cpw_rule_basis(r), "Decree No 381"));
  /* the holidays of the law cite the Labour Code, Art. 30 */
  r = rule_named(e.pol, "georgia: Victory Day");
  assert_int_equal(cpw_rule_status(r), CPW_BASIS_LAW);
  assert_non_null(strstr(cpw_rule_basis(r), "Labour Code of Georgia, Art. 30"));
  for (i = 0; i < cpw_policy_rule_count(e.pol); i++)
    if (strstr(cpw_rule_text(cpw_policy_rule_at(e.pol, i)), "Art. 20") != NULL)
      fail_msg("rule %s still cites Art. 20", cpw_rule_name(cpw_policy_rule_at(e.pol, i)));
  pt_close(&e);
}

/* Working-day deadlines count the days off: a case registered on Thursday 2 May 2024 must be
 * assessed within 3 working days, by Wednesday 15 May (3 May Good Friday, 6 May Easter Monday,
 * 7, 8 and 10 May days off, 9 May Victory Day). */
static void test_georgia__working_days_count_days_off(void **state)
{
  pt_env e;
  cpw_caseload *cl;
  cpw_case *c;
  cpw_deadline dl[8];
  size_t i, n;
  int found = 0;
  cpw_time t = pt_time("2024-05-02T10:00:00+04:00");
  (void)state;
  pt_open_default(&e);
  assert_int_equal(cpw_caseload_new(&cl, e.ctx, e.pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "R-1", "referral", NULL, 0, t, "u", "reporter"),
                   CPW_OK);
  assert_int_equal(cpw_case_apply(c, "register", "u", "intake_officer", t, NULL, 0), CPW_OK);
  n = cpw_case_deadlines(c, dl, 8);
  for (i = 0; i < n; i++)
    if (strcmp(dl[i].event, "start_assessment") == 0) {
      assert_int_equal(dl[i].due, pt_time("2024-05-15T10:00:00+04:00"));
      found = 1;
    }
  assert_true(found);
  cpw_caseload_free(cl);
  pt_close(&e);
}

/* The built-in calendar (cpw_calendar_new_georgia) is the policy's: one list, no drift. */
static void test_georgia__built_in_calendar_is_the_policys(void **state)
{
  pt_env e;
  cpw_calendar *ge = NULL;
  const cpw_calendar *cal;
  cpw_date d;
  (void)state;
  pt_open_default(&e);
  cal = cpw_policy_calendar(e.pol, "georgia");
  assert_int_equal(cpw_calendar_new_georgia(&ge, e.ctx), CPW_OK);
  for (d = pt_date("2015-01-01"); d <= pt_date("2030-12-31"); d++) {
    const char *a = NULL, *b = NULL;
    int ha = cpw_calendar_is_holiday(cal, d, &a), hb = cpw_calendar_is_holiday(ge, d, &b);
    char buf[CPW_DATE_BUFSIZE];
    if (ha != hb || (ha && strcmp(a, b) != 0)) {
      cpw_date_format(buf, sizeof buf, d);
      fail_msg("%s: the policy says %d (%s), the built-in calendar %d (%s)", buf, ha,
               a ? a : "", hb, b ? b : "");
    }
    assert_int_equal(cpw_calendar_is_working_day(cal, d), cpw_calendar_is_working_day(ge, d));
  }
  cpw_calendar_free(ge);
  pt_close(&e);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_georgia__tsa_child_benefit_history),
    cmocka_unit_test(test_georgia__days_off_for_administrative_bodies),
    cmocka_unit_test(test_georgia__working_days_count_days_off),
    cmocka_unit_test(test_georgia__built_in_calendar_is_the_policys),
  };
  return cmocka_run_group_tests_name("georgia", tests, NULL, NULL);
}
