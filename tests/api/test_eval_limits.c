/* SPDX-License-Identifier: Apache-2.0 */
/* Arithmetic that leaves the range of its type is an evaluation error (outcome "error", with
 * an explanation), never a value: dates and date-times moved by months, years, working days,
 * days, weeks, hours or minutes past the years 1 to 9999, and integers that overflow; one
 * record and a batch agree. Before, a date-time moved by hours or minutes past year 9999
 * compared as a value ("t + 2000000000 hours is (time out of range), after t": eligible).
 * Public API only. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

static const char policy_text[] =
  "calendar cal {\n  weekend saturday, sunday\n}\n"
  "field d: date\n"
  "field t: datetime\n"
  "field m: money\n"
  "field n: int\n"
  "program months_far \"\" { eligible when d + 130000 months > d }\n"
  "program months_back \"\" { eligible when d - 130000 months < d }\n"
  "program years_far \"\" { eligible when d + 11000 years > d }\n"
  "program working_far \"\" { eligible when d + 200000 working days > d }\n"
  "program days_far \"\" { eligible when d + 4000000 days > d }\n"
  "program weeks_overflow \"\" { eligible when d + 2000000000000000000 weeks > d }\n"
  "program minutes_overflow \"\" { eligible when t + 9000000000000000 minutes > t }\n"
  "program hours_far \"\" { eligible when t + 2000000000 hours > t }\n"
  "program hours_back \"\" { eligible when t - 2000000000 hours < t }\n"
  "program days_far_time \"\" { eligible when t + 4000000 days > t }\n"
  "program months_far_time \"\" { eligible when t + 130000 months > t }\n"
  "program int_overflow \"\" { eligible when n * 3 > 0 }\n"
  "program weeks_back \"\" { eligible when d - 2000000000000000000 weeks < d }\n"
  "program years_back \"\" { eligible when d - 11000 years < d }\n"
  "program working_back \"\" { eligible when d - 2000000 working days < d }\n"
  "program months_back_time \"\" { eligible when t - 130000 months < t }\n"
  "program hours_overflow_back \"\" { eligible when t - 9000000000000000 hours < t }\n"
  "program hours_to_the_end \"\" { eligible when t + 2562047788015215 hours > t }\n"
  /* in range: values, not errors */
  "program near \"\" { eligible when t + 1 month > t and t - 3 working days < t and"
  " t + 36 hours > t and d + 1000 years > d }\n"
  "program money_negative \"\" { eligible when m > 0 GEL }\n"
  "program items \"\" { eligible when n > 0\n"
  "  benefit pay 10 GEL monthly when n * 3 > 0\n"
  "  service help when n > 1\n"
  "}\n";

static const struct {
  const char *program;
  int outcome;
} expected[] = {
  { "months_far", CPW_OUTCOME_ERROR }, { "months_back", CPW_OUTCOME_ERROR },
  { "years_far", CPW_OUTCOME_ERROR }, { "working_far", CPW_OUTCOME_ERROR },
  { "days_far", CPW_OUTCOME_ERROR }, { "weeks_overflow", CPW_OUTCOME_ERROR },
  { "minutes_overflow", CPW_OUTCOME_ERROR }, { "hours_far", CPW_OUTCOME_ERROR },
  { "hours_back", CPW_OUTCOME_ERROR }, { "days_far_time", CPW_OUTCOME_ERROR },
  { "months_far_time", CPW_OUTCOME_ERROR }, { "int_overflow", CPW_OUTCOME_ERROR },
  { "weeks_back", CPW_OUTCOME_ERROR }, { "years_back", CPW_OUTCOME_ERROR },
  { "working_back", CPW_OUTCOME_ERROR }, { "months_back_time", CPW_OUTCOME_ERROR },
  { "hours_overflow_back", CPW_OUTCOME_ERROR }, { "hours_to_the_end", CPW_OUTCOME_ERROR },
  { "near", CPW_ELIGIBLE }, { "money_negative", CPW_NOT_ELIGIBLE },
  { "items", CPW_OUTCOME_ERROR },
};

static void test_eval_limits__out_of_range_is_an_error(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record *rec;
  cpw_decision *dec;
  cpw_date as_of, d;
  cpw_time t;
  size_t i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_non_null(ctx);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "l.cpw", policy_text,
                                          sizeof policy_text - 1), CPW_OK);
  assert_int_equal(cpw_record_new(&rec, ctx, pol), CPW_OK);
  assert_int_equal(cpw_decision_new(&dec, ctx), CPW_OK);
  assert_int_equal(cpw_date_parse(&as_of, ctx, "2020-02-01", 10), CPW_OK);
  assert_int_equal(cpw_date_parse(&d, ctx, "2020-01-31", 10), CPW_OK);
  assert_int_equal(cpw_time_parse(&t, ctx, "2020-01-31T10:00:00Z", 20), CPW_OK);
  assert_int_equal(cpw_record_set_date(rec, "d", d), CPW_OK);
  assert_int_equal(cpw_record_set_datetime(rec, "t", t), CPW_OK);
  assert_int_equal(cpw_record_set_money(rec, "m", -505), CPW_OK);
  assert_int_equal(cpw_record_set_int(rec, "n", INT64_C(4611686018427387904)), CPW_OK);
  for (i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    const cpw_program *pg = cpw_policy_program(pol, expected[i].program);
    int64_t dv[3] = { d, d, d }, tv[3] = { t, t, t }, mv[3] = { -505, -505, -505 };
    int64_t nv[3] = { INT64_C(4611686018427387904), INT64_C(4611686018427387904),
                      INT64_C(4611686018427387904) };
    cpw_column cols[4];
    uint8_t out[3];
    int rc;
    assert_non_null(pg);
    rc = cpw_evaluate(dec, pg, rec, as_of, CPW_EVAL_EXPLAIN);
    if (cpw_decision_outcome(dec) != expected[i].outcome)
      fail_msg("%s: %s (%s)", expected[i].program, cpw_outcome_name(cpw_decision_outcome(dec)),
               cpw_decision_explain(dec));
    assert_int_equal(rc, expected[i].outcome == CPW_OUTCOME_ERROR ? CPW_EINVALID : CPW_OK);
    if (expected[i].outcome == CPW_OUTCOME_ERROR)
      assert_non_null(strstr(cpw_decision_explain(dec), "could not be evaluated"));
    /* a batch of three says the same */
    memset(cols, 0, sizeof cols);
    cols[0].field = "d";
    cols[0].values = dv;
    cols[1].field = "t";
    cols[1].values = tv;
    cols[2].field = "m";
    cols[2].values = mv;
    cols[3].field = "n";
    cols[3].values = nv;
    assert_int_equal(cpw_evaluate_batch(ctx, pg, as_of, cols, 4, 3, out, NULL), CPW_OK);
    assert_int_equal(out[0], expected[i].outcome);
    assert_int_equal(out[2], expected[i].outcome);
  }
  /* a negative amount explained with its sign */
  assert_int_equal(cpw_evaluate(dec, cpw_policy_program(pol, "money_negative"), rec, as_of,
                                CPW_EVAL_EXPLAIN), CPW_OK);
  assert_non_null(strstr(cpw_decision_explain(dec), "m is -5.05 GEL"));
  cpw_decision_free(dec);
  cpw_record_free(rec);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

/* A benefit's condition that cannot be evaluated makes the outcome an error naming it, one
 * record and batch alike (with or without the services array); a record of another policy
 * and an evaluation date out of range are refused. */
static void test_eval_limits__items_and_refusals(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol, *other;
  cpw_record *rec, *foreign;
  cpw_decision *dec;
  const cpw_program *items;
  cpw_date as_of;
  cpw_money amount = 0;
  int64_t nv[2] = { 5, INT64_C(4611686018427387904) };
  uint64_t svc[2];
  uint8_t out[2];
  cpw_column col;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_non_null(ctx);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "l.cpw", policy_text,
                                          sizeof policy_text - 1), CPW_OK);
  assert_int_equal(cpw_policy_from_string(&other, ctx, "o.cpw", policy_text,
                                          sizeof policy_text - 1), CPW_OK);
  items = cpw_policy_program(pol, "items");
  assert_int_equal(cpw_record_new(&rec, ctx, pol), CPW_OK);
  assert_int_equal(cpw_record_new(&foreign, ctx, other), CPW_OK);
  assert_int_equal(cpw_decision_new(&dec, ctx), CPW_OK);
  assert_int_equal(cpw_date_parse(&as_of, ctx, "2020-02-01", 10), CPW_OK);
  assert_int_equal(cpw_record_set_int(rec, "n", 5), CPW_OK);
  assert_int_equal(cpw_evaluate(dec, items, rec, as_of, 0), CPW_OK);
  assert_int_equal(cpw_decision_outcome(dec), CPW_ELIGIBLE);
  assert_int_equal(cpw_decision_benefit_count(dec), 1);
  assert_string_equal(cpw_decision_benefit(dec, 0, NULL, NULL), "pay");
  assert_string_equal(cpw_decision_benefit(dec, 0, &amount, NULL), "pay");
  assert_int_equal(amount, 1000);
  assert_null(cpw_decision_benefit(dec, 1, &amount, NULL));
  assert_int_equal(cpw_decision_service_count(dec), 1);
  /* the benefit's condition overflows */
  assert_int_equal(cpw_record_set_int(rec, "n", nv[1]), CPW_OK);
  assert_int_equal(cpw_evaluate(dec, items, rec, as_of, CPW_EVAL_EXPLAIN), CPW_EINVALID);
  assert_int_equal(cpw_decision_outcome(dec), CPW_OUTCOME_ERROR);
  assert_non_null(strstr(cpw_decision_explain(dec), "the condition of benefit"));
  assert_int_equal(cpw_evaluate(dec, items, rec, as_of, 0), CPW_EINVALID);
  assert_int_equal(cpw_decision_outcome(dec), CPW_OUTCOME_ERROR);
  memset(&col, 0, sizeof col);
  col.field = "n";
  col.values = nv;
  assert_int_equal(cpw_evaluate_batch(ctx, items, as_of, &col, 1, 2, out, svc), CPW_OK);
  assert_int_equal(out[0], CPW_ELIGIBLE);
  assert_int_equal(svc[0], 1);
  assert_int_equal(out[1], CPW_OUTCOME_ERROR);
  assert_int_equal(cpw_evaluate_batch(ctx, items, as_of, &col, 1, 2, out, NULL), CPW_OK);
  assert_int_equal(out[0], CPW_ELIGIBLE);
  assert_int_equal(out[1], CPW_OUTCOME_ERROR);
  /* refused: a record of another policy, a date out of range */
  assert_int_equal(cpw_record_set_int(foreign, "n", 5), CPW_OK);
  assert_int_equal(cpw_evaluate(dec, items, foreign, as_of, 0), CPW_EINVALID);
  assert_int_equal(cpw_evaluate(dec, items, rec, CPW_DATE_MAX + 1, 0), CPW_EINVALID);
  assert_int_equal(cpw_evaluate(dec, items, rec, CPW_DATE_MIN - 1, CPW_EVAL_EXPLAIN),
                   CPW_EINVALID);
  cpw_decision_free(dec);
  cpw_record_free(foreign);
  cpw_record_free(rec);
  cpw_policy_free(other);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_eval_limits__out_of_range_is_an_error),
    cmocka_unit_test(test_eval_limits__items_and_refusals),
  };
  return cmocka_run_group_tests_name("eval_limits", tests, NULL, NULL);
}
