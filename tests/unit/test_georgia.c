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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_georgia__tsa_child_benefit_history),
  };
  return cmocka_run_group_tests_name("georgia", tests, NULL, NULL);
}
