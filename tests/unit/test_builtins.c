/* SPDX-License-Identifier: Apache-2.0 */
/* The policy language's functions are one table (lib/policy/builtins.c): the docs' Functions
 * table lists exactly its rows, the checker's "unknown function" message lists its names, its
 * arity and types are what the checker enforces, and every row compiles and runs. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>

#include "policy/ast.h"
#include "policy/builtins.h"

static char *read_text(const char *rel)
{
  const char *src = getenv("CPW_SOURCE_DIR");
  char path[1024];
  FILE *f;
  char *buf;
  long n;
  snprintf(path, sizeof path, "%s/%s", src != NULL ? src : ".", rel);
  f = fopen(path, "rb");
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n > 0);
  rewind(f);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void test_builtins__docs_table_is_the_table(void **state)
{
  char *doc = read_text("docs/policy-language.md"), *p;
  size_t i;
  (void)state;
  p = strstr(doc, "## Functions");
  assert_non_null(p);
  p = strstr(p, "| --- | --- |\n");
  assert_non_null(p);
  p = strchr(p, '\n') + 1;
  for (i = 0; i < cpw__nbuiltins; i++) {
    char want[600];
    char *end = strchr(p, '\n');
    assert_non_null(end);
    snprintf(want, sizeof want, "| `%s` | %s |", cpw__builtins[i].signature,
             cpw__builtins[i].doc);
    if ((size_t)(end - p) != strlen(want) || strncmp(p, want, strlen(want)) != 0)
      fail_msg("docs/policy-language.md's Functions row %zu is\n  %.*s\nnot the table's\n  %s",
               i + 1, (int)(end - p), p, want);
    p = end + 1;
  }
  if (strncmp(p, "| ", 2) == 0)
    fail_msg("the docs list a function the table does not have: %.60s", p);
  free(doc);
}

static void test_builtins__rows_are_consistent(void **state)
{
  size_t i;
  (void)state;
  for (i = 0; i < cpw__nbuiltins; i++) {
    const cpw__builtin *b = &cpw__builtins[i];
    assert_true(b->min >= 1 && b->min <= b->max && b->max <= 2);
    assert_ptr_equal(cpw__builtin_find(b->name, strlen(b->name)), b);
    assert_int_equal(strncmp(b->signature, b->name, strlen(b->name)), 0);
    assert_int_equal(b->signature[strlen(b->name)], '(');
    assert_true(b->shape != CPW__B_ASOF || (b->min == 1 && b->max == 2));
  }
  assert_null(cpw__builtin_find("agee", 4));
  assert_null(cpw__builtin_find("ag", 2));
}

/* Every function, through the public API: the checker's message lists exactly the table's
 * names; each row's arity is enforced; each row compiles and evaluates. */
static void test_builtins__checker_and_vm_use_the_table(void **state)
{
  static const char *const uses[] = {
    "age(d) >= 0", "age(d, today) >= 0", "years_between(d, today) >= 0",
    "months_between(d, today) >= 0", "days_between(d, today) >= 0",
    "working_days_between(d, today) >= 0", "is_working_day(d)", "date_of(t) = d",
    "count(s) = 1", "min(d, today) = d", "max(n, 3) >= 3", "is_holiday(d)",
    "not is_holiday(d + 1 days)",
  };
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record *rec;
  cpw_decision *dec;
  char text[2000], known[400], want[600];
  size_t i;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  cpw__builtin_names(known, sizeof known);
  snprintf(text, sizeof text, "field n: int\nprogram p \"P\" { eligible when lenght(n) > 1 }\n");
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "b.cpw", text, strlen(text)), CPW_EPOLICY);
  snprintf(want, sizeof want, "unknown function 'lenght' (known: %s)", known);
  assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, want));
  for (i = 0; i < cpw__nbuiltins; i++) {
    /* one argument too many */
    snprintf(text, sizeof text, "field d: date\nprogram p \"P\" { eligible when %s(d, d, d) "
             "= 1 }\n", cpw__builtins[i].name);
    assert_int_equal(cpw_policy_from_string(&pol, ctx, "b.cpw", text, strlen(text)),
                     CPW_EPOLICY);
    assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, "takes"));
  }
  for (i = 0; i < cpw__nbuiltins; i++) { /* every row is used below */
    size_t k, found = 0;
    char call[64];
    snprintf(call, sizeof call, "%s(", cpw__builtins[i].name);
    for (k = 0; k < sizeof uses / sizeof uses[0]; k++)
      found += strncmp(uses[k], call, strlen(call)) == 0 ||
               strstr(uses[k], call) == uses[k] + 4; /* "not f(" */
    if (found == 0)
      fail_msg("no use of %s() in this test", cpw__builtins[i].name);
  }
  for (i = 0; i < sizeof uses / sizeof uses[0]; i++) {
    snprintf(text, sizeof text, "timezone \"+04:00\"\ncalendar ge { holiday 1 January }\n"
             "field d: date\nfield t: datetime\nfield n: int\nfield s: set of enum(a, b)\n"
             "program p \"P\" { eligible when %s }\n", uses[i]);
    if (cpw_policy_from_string(&pol, ctx, "b.cpw", text, strlen(text)) != CPW_OK)
      fail_msg("%s: %s", uses[i], cpw_ctx_last_error(ctx)->message);
    assert_int_equal(cpw_record_new(&rec, ctx, pol), CPW_OK);
    assert_int_equal(cpw_decision_new(&dec, ctx), CPW_OK);
    assert_int_equal(cpw_record_set_json(rec, "{\"d\": \"2020-01-01\", \"t\": "
                                         "\"2020-01-01T10:00:00+04:00\", \"n\": 5, \"s\": "
                                         "[\"a\"]}", 73, 0), CPW_OK);
    assert_int_equal(cpw_evaluate(dec, cpw_policy_program(pol, "p"), rec, 20000, 0), CPW_OK);
    if (cpw_decision_outcome(dec) != CPW_ELIGIBLE && strcmp(uses[i], "is_working_day(d)") != 0)
      fail_msg("%s is not eligible", uses[i]);
    cpw_decision_free(dec);
    cpw_record_free(rec);
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_builtins__docs_table_is_the_table),
    cmocka_unit_test(test_builtins__rows_are_consistent),
    cmocka_unit_test(test_builtins__checker_and_vm_use_the_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
