/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failures in the policy floor: compiling (the default policy, and a policy with
 * errors and its diagnostics), records (every setter, text and JSON input), evaluation with
 * explanations, and batch evaluation. Each scenario runs with allocation 0, 1, 2, ... failing
 * (once, and from then on) until it runs clean; each run must report CPW_ENOMEM or succeed,
 * and free everything (cpw_oom_run in tests/support/testalloc.h). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

/* A scenario's first failing status, but only if nothing failed before. */
#define STEP(rc_var, call)                                                                  \
  do {                                                                                      \
    if ((rc_var) == CPW_OK)                                                                 \
      (rc_var) = (call);                                                                    \
  } while (0)

/* ------------------------------------------------------------------ compiling */

static int scenario_compile_default(cpw_ctx *ctx, void *arg)
{
  cpw_policy *pol = NULL;
  int rc = cpw_policy_default(&pol, ctx);
  (void)arg;
  if (rc == CPW_OK && cpw_policy_program_count(pol) != 9)
    rc = CPW_ERROR;
  cpw_policy_free(pol);
  return rc;
}

/* Every declaration and most expression kinds, in two files. */
static const char RICH_1[] =
  "policy rich \"Rich\" version \"1\"\n"
  "timezone \"+04:00\"\n"
  "calendar ge { weekend saturday, sunday\n"
  "  holiday 1 January \"New Year\"\n  holiday easter - 2 days \"Good Friday\"\n"
  "  holiday 2024-05-10\n  holiday 17 May from 2024-01-01 until 2030-12-31 }\n"
  "field birth: date \"Birth\"\nfield at: datetime\nfield s: text\nfield m: money\n"
  "field city: enum(tbilisi, batumi, other)\nfield needs: set of enum(food, shelter)\n"
  "param limit: money = 100 GEL from 2020-01-01, 150.50 GEL from 2022-01-01 until 2030-12-31\n"
  "param tag: text = \"a\" from 2020-01-01\n";
static const char RICH_2[] =
  "define child = age(birth) < 18 and years_between(birth, as_of) >= 0\n"
  "define due = date_of(at) + 3 working days\n"
  "program p \"P\" {\n  source \"Law\"\n  in force from 2020-01-01\n"
  "  eligible when child and m <= limit and city in {tbilisi, batumi}\n"
  "    and (if s = tag then due > today else count(needs) between 1 and 2)\n"
  "    and not (needs contains food) and s is given and max(m, 1 GEL) > 0 GEL\n"
  "  benefit b limit - m monthly when m < limit \"Top-up\"\n"
  "  service shelter when shelter in needs\n}\n";

static int scenario_compile_rich(cpw_ctx *ctx, void *arg)
{
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  cpw_policy_source src[2] = { { "rich1.cpw", RICH_1, sizeof RICH_1 - 1 },
                               { "rich2.cpw", RICH_2, sizeof RICH_2 - 1 } };
  int rc = cpw_policy_compile(&pol, ctx, src, 2, &dg);
  (void)arg;
  if (rc == CPW_OK && (cpw_policy_program_count(pol) != 1 || cpw_diagnostics_count(dg) != 0))
    rc = CPW_ERROR;
  cpw_diagnostics_free(dg);
  cpw_policy_free(pol);
  return rc;
}

/* A policy with errors of every phase; with diagnostics, the compile fails with CPW_EPOLICY
 * and the diagnostics, or with CPW_ENOMEM and no diagnostics. */
static const char BROKEN[] =
  "policy broken \"Errors everywhere\"\n"
  "calendar c { holiday 1 January \"New Year\" holiday easter - 2 days }\n"
  "field n: int\n"
  "field e: enum(x, y, z)\n"
  "field bad int\n"
  "field d: date \"unterminated\n"
  "param p: int = 1 from 2021-01-01, 2 from 2020-01-01\n"
  "define a = b + 1\n"
  "define b = a + 1\n"
  "program q \"Q\" { eligible when n > 1 and e = w and m > 1000 }\n"
  "program q \"Q again\" { eligible when n = 2019-02-30 }\n";

static const char TYPE_ERRORS[] =
  "field n: int\n"
  "field e: enum(x, y, z)\n"
  "param p: int = 1 from 2021-01-01, 2 from 2020-01-01\n"
  "define a = b + 1\n"
  "define b = a + 1\n"
  "program q \"Q\" { eligible when nn > 1 and e = w and n > 10 GEL\n"
  "  service s when n\n  service t when e < x }\n"
  "program q \"Q again\" { eligible when n > 2 }\n";

typedef struct broken_arg {
  const char *text;
  size_t ndiags;   /* expected diagnostics (from a run without failures) */
} broken_arg;

static int scenario_compile_errors(cpw_ctx *ctx, void *arg)
{
  broken_arg *b = arg;
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  cpw_policy_source src;
  size_t i;
  int rc;
  src.name = "broken.cpw";
  src.text = b->text;
  src.len = strlen(b->text);
  rc = cpw_policy_compile(&pol, ctx, &src, 1, &dg);
  if (pol != NULL)
    return CPW_ERROR; /* it must not compile */
  if (rc == CPW_ENOMEM) {
    if (dg != NULL)
      rc = CPW_ERROR;
    cpw_diagnostics_free(dg);
    return rc;
  }
  if (rc != CPW_EPOLICY || dg == NULL)
    return CPW_ERROR;
  /* every diagnostic survived, each with its message */
  if (cpw_diagnostics_count(dg) != b->ndiags)
    rc = CPW_ERROR;
  for (i = 0; rc == CPW_EPOLICY && i < cpw_diagnostics_count(dg); i++)
    if (cpw_diagnostics_get(dg, i)->message[0] == '\0')
      rc = CPW_ERROR;
  cpw_diagnostics_free(dg);
  return rc == CPW_EPOLICY ? CPW_OK : rc;
}

/* ------------------------------------------------------------------ records */

static const char RECORD_POLICY[] =
  "field b: bool\n"
  "field n: int\n"
  "field m: money\n"
  "field d: date\n"
  "field t: datetime\n"
  "field s: text\n"
  "field s2: text\n"
  "field e: enum(x, y, z)\n"
  "field st: set of enum(x, y, z)\n"
  "program p \"P\" {\n"
  "  eligible when b and n > 1 and m < 10 GEL and s = \"yes\" and e in {x, y}\n"
  "  service a when st contains x\n"
  "  service b when s2 is given\n"
  "  benefit c m * n monthly\n"
  "}\n";

static int scenario_record(cpw_ctx *ctx, void *arg)
{
  static const char *const xz[] = { "x", "z" };
  static const char json[] =
    "{\"b\": true, \"n\": 5, \"m\": 1.5, \"d\": \"2020-02-29\", \"t\": \"2024-01-01T09:00:00Z\","
    " \"s\": \"yes\", \"s2\": \"a longer text, escaped \\u10d0\", \"e\": \"y\","
    " \"st\": [\"x\", \"y\"], \"unknown\": {\"nested\": [1, 2, 3]}}";
  static const char with_id[] = "{\"id\": 7, \"s2\": \"with an id\"}";
  static const char failing[] = "{\"s\": \"staged\", \"s2\": \"also staged\", \"n\": \"bad\"}";
  const cpw_policy *pol = arg;
  cpw_record *r = NULL;
  int rc = cpw_record_new(&r, ctx, pol);
  STEP(rc, cpw_record_set_bool(r, "b", 1));
  STEP(rc, cpw_record_set_int(r, "n", 5));
  STEP(rc, cpw_record_set_money(r, "m", 150));
  STEP(rc, cpw_record_set_date(r, "d", 18000));
  STEP(rc, cpw_record_set_datetime(r, "t", 1700000000));
  STEP(rc, cpw_record_set_text(r, "s", "yes"));
  STEP(rc, cpw_record_set_text(r, "s", "replaced"));
  STEP(rc, cpw_record_set_enum(r, "e", "y"));
  STEP(rc, cpw_record_set_members(r, "st", xz, 2));
  STEP(rc, cpw_record_set_string(r, "s2", "text from a CSV cell", 20));
  STEP(rc, cpw_record_set_string(r, "n", "42", 2));
  STEP(rc, cpw_record_set_string(r, "st", "x|y", 3));
  STEP(rc, cpw_record_set_json(r, json, sizeof json - 1, CPW_RECORD_IGNORE_UNKNOWN));
  STEP(rc, cpw_record_set_json_except(r, with_id, sizeof with_id - 1, 0, "id"));
  if (rc == CPW_OK) {
    /* a failing JSON leaves the record as it was, without leaking what it staged */
    int frc = cpw_record_set_json(r, failing, sizeof failing - 1, 0);
    if (frc == CPW_ENOMEM)
      rc = frc;
    else if (frc != CPW_EINVALID || strcmp(cpw_record_get_text(r, "s"), "yes") != 0)
      rc = CPW_ERROR;
  }
  STEP(rc, cpw_record_unset(r, "s2"));
  cpw_record_clear(r);
  cpw_record_free(r);
  return rc;
}

/* Keys in JSON: 300 unknown keys (every fifth with an escape, so copied) and a field are kept to
 * find a key given twice (the inline keys, then the index as it grows); the same keys and one
 * of them again are refused as CPW_EINVALID, leaving the record as it was. */
static int scenario_record_keys(cpw_ctx *ctx, void *arg)
{
  const cpw_policy *pol = arg;
  cpw_record *r = NULL;
  char json[8192];
  size_t len = 0, i;
  int64_t v = 0;
  int rc;
  json[len++] = '{';
  for (i = 0; i < 300; i++)
    len += (size_t)snprintf(json + len, sizeof json - len, "\"%sey%zu\": %zu, ",
                            i % 5 == 0 ? "\\u006b" : "k", i, i);
  len += (size_t)snprintf(json + len, sizeof json - len, "\"n\": 3}");
  rc = cpw_record_new(&r, ctx, pol);
  STEP(rc, cpw_record_set_json(r, json, len, CPW_RECORD_IGNORE_UNKNOWN));
  if (rc == CPW_OK && (cpw_record_get(r, "n", &v) != 1 || v != 3))
    rc = CPW_ERROR;
  if (rc == CPW_OK) {
    int frc;
    len += (size_t)snprintf(json + len - 1, sizeof json - len + 1, ", \"key7\": 0}") - 1;
    frc = cpw_record_set_json(r, json, len, CPW_RECORD_IGNORE_UNKNOWN);
    if (frc == CPW_ENOMEM)
      rc = frc;
    else if (frc != CPW_EINVALID ||
             strcmp(cpw_ctx_last_error(ctx)->message, "a key is given twice (line 1, column 4590)")
               != 0)
      rc = CPW_ERROR;
  }
  cpw_record_free(r);
  return rc;
}

/* ------------------------------------------------------------------ evaluation */

typedef struct eval_arg {
  const cpw_policy *pol;
} eval_arg;

static int evaluate(cpw_decision *dec, const cpw_policy *pol, cpw_record *r, const char *id,
                    const char *json, cpw_date as_of, int want)
{
  int rc;
  cpw_record_clear(r);
  rc = cpw_record_set_json(r, json, strlen(json), 0);
  if (rc == CPW_OK)
    rc = cpw_evaluate(dec, cpw_policy_program(pol, id), r, as_of, CPW_EVAL_EXPLAIN);
  if (rc == CPW_OK && cpw_decision_outcome(dec) != want)
    rc = CPW_ERROR;
  if (rc == CPW_OK && cpw_decision_explain(dec)[0] == '\0')
    rc = CPW_ERROR;
  return rc;
}

static int scenario_evaluate(cpw_ctx *ctx, void *arg)
{
  eval_arg *a = arg;
  cpw_record *r = NULL;
  cpw_decision *dec = NULL;
  int rc = cpw_record_new(&r, ctx, a->pol);
  STEP(rc, cpw_decision_new(&dec, ctx));
  STEP(rc, evaluate(dec, a->pol, r, "reintegration_assistance",
                    "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 13, "
                    "\"return_date\": \"2020-03-01\", \"registration_date\": \"2021-03-01\", "
                    "\"city\": \"tbilisi\"}", 19000, CPW_ELIGIBLE));
  STEP(rc, evaluate(dec, a->pol, r, "reintegration_assistance",
                    "{\"citizenship\": \"stateless\", \"months_abroad_irregular\": 12}", 19000,
                    CPW_UNDETERMINED));
  STEP(rc, evaluate(dec, a->pol, r, "reintegration_assistance",
                    "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 10, "
                    "\"asylum_applied_abroad\": false, \"asylum_granted_abroad\": false, "
                    "\"return_date\": \"2020-03-01\", \"registration_date\": \"2021-03-01\"}",
                    19000, CPW_NOT_ELIGIBLE));
  STEP(rc, evaluate(dec, a->pol, r, "street_children_services",
                    "{\"birth_date\": \"2010-06-15\", \"street_situation\": true}", 19000,
                    CPW_ELIGIBLE));
  STEP(rc, evaluate(dec, a->pol, r, "tsa_child_benefit",
                    "{\"tsa_registered\": true, \"tsa_score\": 5, \"birth_date\": \"2010-06-15\"}",
                    19800, CPW_ELIGIBLE));
  STEP(rc, evaluate(dec, a->pol, r, "tsa_child_benefit", "{\"tsa_registered\": true}", 19800,
                    CPW_UNDETERMINED));
  STEP(rc, evaluate(dec, a->pol, r, "tsa_child_benefit", "{}", 19800, CPW_UNDETERMINED));
  STEP(rc, evaluate(dec, a->pol, r, "tsa_child_benefit", "{}", 16000, CPW_NOT_ELIGIBLE));
  cpw_decision_free(dec);
  cpw_record_free(r);
  return rc;
}

static int scenario_batch(cpw_ctx *ctx, void *arg)
{
  eval_arg *a = arg;
  static int64_t scores[100], births[100], registered[100];
  static uint8_t missing[100], outcomes[100];
  static uint64_t services[100];
  cpw_column cols[3];
  int i, rc;
  for (i = 0; i < 100; i++) {
    scores[i] = i * 2000;
    births[i] = 14000 + i * 30;
    registered[i] = i % 2;
    missing[i] = i % 9 == 0;
  }
  cols[0].field = "tsa_score";
  cols[0].values = scores;
  cols[0].texts = NULL;
  cols[0].missing = missing;
  cols[1].field = "birth_date";
  cols[1].values = births;
  cols[1].texts = NULL;
  cols[1].missing = NULL;
  cols[2].field = "tsa_registered";
  cols[2].values = registered;
  cols[2].texts = NULL;
  cols[2].missing = NULL;
  rc = cpw_evaluate_batch(ctx, cpw_policy_program(a->pol, "tsa_child_benefit"), 19800, cols, 3,
                          100, outcomes, services);
  STEP(rc, cpw_evaluate_batch(ctx, cpw_policy_program(a->pol, "street_children_services"),
                              19800, cols, 3, 100, outcomes, services));
  return rc;
}

/* A policy read from a file (the default policy's sources written to one file first). */
static int scenario_from_file(cpw_ctx *ctx, void *arg)
{
  cpw_policy *pol = NULL;
  int rc = cpw_policy_from_file(&pol, ctx, (const char *)arg);
  if (rc == CPW_OK && cpw_policy_program_count(pol) != 9)
    rc = CPW_ERROR;
  cpw_policy_free(pol);
  return rc;
}

/* ------------------------------------------------------------------ tests */

static void test_policy__oom_from_file(void **state)
{
  char path[] = "/tmp/cpw-oom-policy-XXXXXX";
  int fd = mkstemp(path);
  FILE *f;
  size_t i;
  (void)state;
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  assert_non_null(f);
  for (i = 0; i < cpw_policy_default_source_count(); i++) {
    size_t len;
    const char *text = cpw_policy_default_source(i, NULL, &len);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_true(fputc('\n', f) != EOF);
  }
  assert_int_equal(fclose(f), 0);
  CPW_ASSERT_OOM_CLEAN(scenario_from_file, path);
  assert_int_equal(remove(path), 0);
}

static void test_policy__oom_compile_default(void **state)
{
  (void)state;
  CPW_ASSERT_OOM_CLEAN(scenario_compile_default, NULL);
}

static void test_policy__oom_compile_rich(void **state)
{
  (void)state;
  CPW_ASSERT_OOM_CLEAN(scenario_compile_rich, NULL);
}

static size_t count_diags(const char *text)
{
  cpw_ctx *ctx = NULL;
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  cpw_policy_source src = { "broken.cpw", text, 0 };
  size_t n;
  src.len = strlen(text);
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_compile(&pol, ctx, &src, 1, &dg), CPW_EPOLICY);
  n = cpw_diagnostics_count(dg);
  cpw_diagnostics_free(dg);
  cpw_ctx_free(ctx);
  return n;
}

static void test_policy__oom_compile_errors(void **state)
{
  broken_arg syntax, types;
  (void)state;
  syntax.text = BROKEN;
  syntax.ndiags = count_diags(BROKEN);
  assert_true(syntax.ndiags >= 3);
  CPW_ASSERT_OOM_CLEAN(scenario_compile_errors, &syntax);
  types.text = TYPE_ERRORS;
  types.ndiags = count_diags(TYPE_ERRORS);
  assert_true(types.ndiags >= 5);
  CPW_ASSERT_OOM_CLEAN(scenario_compile_errors, &types);
}

static void test_policy__oom_record(void **state)
{
  cpw_ctx *ctx = NULL;
  cpw_policy *pol = NULL;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "record.cpw", RECORD_POLICY,
                                          sizeof RECORD_POLICY - 1), CPW_OK);
  CPW_ASSERT_OOM_CLEAN(scenario_record, pol);
  CPW_ASSERT_OOM_CLEAN(scenario_record_keys, pol);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

static void test_policy__oom_evaluate(void **state)
{
  cpw_ctx *ctx = NULL;
  eval_arg a;
  cpw_policy *pol = NULL;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_default(&pol, ctx), CPW_OK);
  a.pol = pol;
  CPW_ASSERT_OOM_CLEAN(scenario_evaluate, &a);
  CPW_ASSERT_OOM_CLEAN(scenario_batch, &a);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_policy__oom_compile_default),
    cmocka_unit_test(test_policy__oom_compile_rich),
    cmocka_unit_test(test_policy__oom_from_file),
    cmocka_unit_test(test_policy__oom_compile_errors),
    cmocka_unit_test(test_policy__oom_record),
    cmocka_unit_test(test_policy__oom_evaluate),
  };
  return cmocka_run_group_tests_name("oom.policy", tests, NULL, NULL);
}
