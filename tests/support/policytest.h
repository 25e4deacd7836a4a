/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/policytest.h: helpers shared by the policy-language tests (cmocka).
 *
 * A pt_env holds a checking allocator, a context, a compiled policy, a record and a decision.
 * pt_open() compiles a policy text (failing the test with every diagnostic when it does not
 * compile); pt_eval() fills the record from JSON and evaluates a programme with an
 * explanation; pt_close() frees everything and checks that nothing leaked. pt_outcome() is the
 * one-line form used for operators: it compiles `decls` plus a programme whose rule is `cond`
 * and returns the outcome for one record. */
#ifndef CPW_POLICYTEST_H
#define CPW_POLICYTEST_H

#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

typedef struct pt_env {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record *rec;
  cpw_decision *dec;
} pt_env;

static inline cpw_date pt_date(const char *s)
{
  cpw_date d = 0;
  if (cpw_date_parse(&d, NULL, s, strlen(s)) != CPW_OK)
    fail_msg("bad test date '%s'", s);
  return d;
}

static inline cpw_time pt_time(const char *s)
{
  cpw_time t = 0;
  if (cpw_time_parse(&t, NULL, s, strlen(s)) != CPW_OK)
    fail_msg("bad test date-time '%s'", s);
  return t;
}

/* Print every diagnostic (to show why a compile that should work did not). */
static inline void pt_print_diags(const cpw_diagnostics *dg)
{
  size_t i;
  for (i = 0; i < cpw_diagnostics_count(dg); i++) {
    const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
    fprintf(stderr, "  %s:%d:%d: %s\n", g->file, g->line, g->column, g->message);
  }
}

static inline void pt_open_sources(pt_env *e, const cpw_policy_source *src, size_t n)
{
  cpw_diagnostics *dg = NULL;
  int rc;
  memset(e, 0, sizeof *e);
  cpw_test_alloc_init(&e->ta);
  e->ctx = cpw_test_ctx(&e->ta);
  assert_non_null(e->ctx);
  rc = cpw_policy_compile(&e->pol, e->ctx, src, n, &dg);
  if (rc != CPW_OK) {
    pt_print_diags(dg);
    cpw_diagnostics_free(dg);
    fail_msg("the policy does not compile (%d): %s", rc, cpw_ctx_last_error(e->ctx)->message);
  }
  cpw_diagnostics_free(dg);
  assert_int_equal(cpw_record_new(&e->rec, e->ctx, e->pol), CPW_OK);
  assert_int_equal(cpw_decision_new(&e->dec, e->ctx), CPW_OK);
}

static inline void pt_open(pt_env *e, const char *text)
{
  cpw_policy_source s;
  s.name = "test.cpw";
  s.text = text;
  s.len = strlen(text);
  pt_open_sources(e, &s, 1);
}

/* The embedded Georgian policy. */
static inline void pt_open_default(pt_env *e)
{
  memset(e, 0, sizeof *e);
  cpw_test_alloc_init(&e->ta);
  e->ctx = cpw_test_ctx(&e->ta);
  assert_non_null(e->ctx);
  assert_int_equal(cpw_policy_default(&e->pol, e->ctx), CPW_OK);
  assert_int_equal(cpw_record_new(&e->rec, e->ctx, e->pol), CPW_OK);
  assert_int_equal(cpw_decision_new(&e->dec, e->ctx), CPW_OK);
}

static inline void pt_close(pt_env *e)
{
  cpw_decision_free(e->dec);
  cpw_record_free(e->rec);
  cpw_policy_free(e->pol);
  cpw_ctx_free(e->ctx);
  assert_int_equal(e->ta.live_blocks, 0);
  assert_int_equal(e->ta.live_bytes, 0);
  assert_int_equal(e->ta.bad_sizes, 0);
}

/* Replace the record's values with a JSON object. */
static inline void pt_record(pt_env *e, const char *json)
{
  int rc;
  cpw_record_clear(e->rec);
  rc = cpw_record_set_json(e->rec, json, strlen(json), 0);
  if (rc != CPW_OK)
    fail_msg("record %s: %s", json, cpw_ctx_last_error(e->ctx)->message);
}

static inline const cpw_program *pt_program(pt_env *e, const char *id)
{
  const cpw_program *pg = cpw_policy_program(e->pol, id);
  if (pg == NULL)
    fail_msg("no programme '%s'", id);
  return pg;
}

/* Evaluate `program` for the current record on `as_of` with an explanation; the outcome. */
static inline int pt_run(pt_env *e, const char *program, const char *as_of)
{
  int rc = cpw_evaluate(e->dec, pt_program(e, program), e->rec, pt_date(as_of),
                        CPW_EVAL_EXPLAIN);
  if (rc != CPW_OK && rc != CPW_EINVALID)
    fail_msg("cpw_evaluate(%s): %d", program, rc);
  return cpw_decision_outcome(e->dec);
}

/* pt_record + pt_run. */
static inline int pt_eval(pt_env *e, const char *program, const char *json, const char *as_of)
{
  pt_record(e, json);
  return pt_run(e, program, as_of);
}

static inline const char *pt_explain(const pt_env *e)
{
  return cpw_decision_explain(e->dec);
}

/* "a,b,c": the decision's missing fields, services or benefits as one string. */
static inline const char *pt_missing(const pt_env *e)
{
  static char buf[512];
  size_t i, used = 0;
  buf[0] = '\0';
  for (i = 0; i < cpw_decision_missing_count(e->dec) && used < sizeof buf; i++)
    used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "",
                             cpw_decision_missing(e->dec, i));
  return buf;
}

static inline const char *pt_services(const pt_env *e)
{
  static char buf[512];
  size_t i, used = 0;
  buf[0] = '\0';
  for (i = 0; i < cpw_decision_service_count(e->dec) && used < sizeof buf; i++)
    used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "",
                             cpw_decision_service(e->dec, i));
  return buf;
}

/* "name=amount/period,..." with amounts in tetri and periods once/monthly/yearly. */
static inline const char *pt_benefits(const pt_env *e)
{
  static const char *const periods[] = { "once", "monthly", "yearly" };
  static char buf[512];
  size_t i, used = 0;
  buf[0] = '\0';
  for (i = 0; i < cpw_decision_benefit_count(e->dec) && used < sizeof buf; i++) {
    cpw_money amount = 0;
    int period = 0;
    const char *id = cpw_decision_benefit(e->dec, i, &amount, &period);
    used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s=%lld/%s", i ? "," : "", id,
                             (long long)amount,
                             period >= 0 && period <= 2 ? periods[period] : "?");
  }
  return buf;
}

/* Compile `decls` plus `program t "t" { eligible when <cond> }`, evaluate it for the record
 * `json` on `as_of` and return the outcome. The compile must succeed. */
static inline int pt_outcome_on(const char *decls, const char *cond, const char *json,
                                const char *as_of)
{
  static char text[8192];
  pt_env e;
  int o;
  snprintf(text, sizeof text, "%s\nprogram t \"t\" { eligible when %s }\n", decls, cond);
  pt_open(&e, text);
  o = pt_eval(&e, "t", json, as_of);
  pt_close(&e);
  return o;
}

#endif
