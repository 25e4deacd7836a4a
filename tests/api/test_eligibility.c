/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of eligibility: three-valued logic, records (setters, text and JSON input),
 * decisions with their explanations, batch evaluation, and every programme of the default
 * Georgian policy at its boundaries. */
#include "policytest.h"

#define E CPW_ELIGIBLE
#define N CPW_NOT_ELIGIBLE
#define U CPW_UNDETERMINED
#define X CPW_OUTCOME_ERROR

/* ------------------------------------------------------------------ three-valued logic */

static const char LOGIC[] =
  "field a: bool\n"
  "field b: bool\n"
  "field n: int\n"
  "program a_and_b \"\" { eligible when a and b }\n"
  "program a_or_b \"\" { eligible when a or b }\n"
  "program b_and_a \"\" { eligible when b and a }\n"
  "program b_or_a \"\" { eligible when b or a }\n"
  "program not_b \"\" { eligible when not b }\n"
  "program not_a_and_b \"\" { eligible when not (a and b) }\n"
  "program if_a \"\" { eligible when if a then b else true }\n"
  "program b_missing \"\" { eligible when b is missing }\n"
  "program cmp \"\" { eligible when n > 3 and a }\n";

static void test_eligibility__three_valued_logic(void **state)
{
  pt_env e;
  const cpw_reason *r;
  (void)state;
  pt_open(&e, LOGIC);
  /* false and missing is false: the missing value is not needed */
  assert_int_equal(pt_eval(&e, "a_and_b", "{\"a\": false}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: a is false, but must be true");
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);
  assert_int_equal(pt_eval(&e, "b_and_a", "{\"a\": false}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: a is false, but must be true");
  /* true or missing is true */
  assert_int_equal(pt_eval(&e, "a_or_b", "{\"a\": true}", "2024-01-01"), E);
  assert_string_equal(pt_explain(&e), "eligible: a is true");
  assert_int_equal(pt_eval(&e, "b_or_a", "{\"a\": true}", "2024-01-01"), E);
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);
  /* missing and true is undetermined, and names what is missing */
  assert_int_equal(pt_eval(&e, "b_and_a", "{\"a\": true}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "b");
  assert_string_equal(pt_explain(&e), "undetermined: b is missing (it must be true)");
  assert_int_equal(cpw_decision_reason_count(e.dec), 1);
  r = cpw_decision_reason(e.dec, 0);
  assert_int_equal(r->holds, -1);
  assert_string_equal(r->subject, "b");
  assert_string_equal(r->value, "missing");
  assert_string_equal(r->requirement, "true");
  assert_string_equal(r->clause, "b");
  assert_int_equal(r->line, 6);
  assert_int_equal(r->column, 36);
  assert_string_equal(r->sentence, "b is missing (it must be true)");
  assert_int_equal(pt_eval(&e, "b_or_a", "{\"a\": false}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "b");
  /* not of missing is missing */
  assert_int_equal(pt_eval(&e, "not_b", "{}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "b");
  assert_string_equal(pt_explain(&e), "undetermined: b is missing (it must be false)");
  assert_int_equal(pt_eval(&e, "not_a_and_b", "{\"a\": false}", "2024-01-01"), E);
  assert_string_equal(pt_explain(&e), "eligible: a is false");
  /* both missing: both named, in declaration order */
  assert_int_equal(pt_eval(&e, "a_or_b", "{}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "a,b");
  assert_string_equal(pt_explain(&e), "undetermined: a is missing (it must be true); or b is "
                                      "missing (it must be true) — any one of them would suffice");
  /* a condition that is missing leaves if-then-else undetermined */
  assert_int_equal(pt_eval(&e, "if_a", "{\"b\": true}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "a");
  assert_int_equal(pt_eval(&e, "if_a", "{\"a\": false}", "2024-01-01"), E);
  /* 'is missing' is known even when the value is not */
  assert_int_equal(pt_eval(&e, "b_missing", "{}", "2024-01-01"), E);
  assert_string_equal(pt_explain(&e), "eligible: b is missing");
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);
  assert_int_equal(pt_eval(&e, "b_missing", "{\"b\": false}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: b is given, but must be missing");
  /* a comparison with a missing operand */
  assert_int_equal(pt_eval(&e, "cmp", "{\"a\": true}", "2024-01-01"), U);
  assert_string_equal(pt_explain(&e), "undetermined: n is missing (it must be more than 3)");
  assert_int_equal(pt_eval(&e, "cmp", "{\"n\": 3}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: n is 3, but must be more than 3");
  pt_close(&e);
}

/* ------------------------------------------------------------------ records */

/* The fast path (a rule of simple tests, no explanation) leaves nothing of the decision
 * before it: reasons, text, missing fields, services and the basis text are all the new
 * evaluation's. */
static void test_eligibility__fast_after_full(void **state)
{
  pt_env e;
  const cpw_program *n3 = NULL;
  (void)state;
  pt_open(&e, LOGIC);
  n3 = cpw_policy_program(e.pol, "cmp");
  assert_non_null(n3);
  /* missing: the full path names it */
  pt_record(&e, "{\"a\": true}");
  assert_int_equal(cpw_evaluate(e.dec, n3, e.rec, pt_date("2024-01-01"), 0), CPW_OK);
  assert_int_equal(cpw_decision_outcome(e.dec), U);
  assert_string_equal(pt_missing(&e), "n");
  /* then the fast path: nothing missing any more */
  pt_record(&e, "{\"a\": true, \"n\": 5}");
  assert_int_equal(cpw_evaluate(e.dec, n3, e.rec, pt_date("2024-01-01"), 0), CPW_OK);
  assert_int_equal(cpw_decision_outcome(e.dec), E);
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);
  /* an explained evaluation, then a fast one: no reasons, no text */
  assert_int_equal(cpw_evaluate(e.dec, n3, e.rec, pt_date("2024-01-01"), CPW_EVAL_EXPLAIN),
                   CPW_OK);
  assert_true(cpw_decision_reason_count(e.dec) > 0);
  assert_true(strlen(cpw_decision_explain(e.dec)) > 0);
  assert_int_equal(cpw_evaluate(e.dec, n3, e.rec, pt_date("2024-01-01"), 0), CPW_OK);
  assert_int_equal(cpw_decision_reason_count(e.dec), 0);
  assert_string_equal(cpw_decision_explain(e.dec), "");
  /* the basis text is the last evaluation's, built again when asked */
  assert_non_null(strstr(cpw_decision_basis(e.dec), "cmp"));
  pt_record(&e, "{\"a\": true, \"b\": true, \"n\": 5}");
  assert_int_equal(cpw_evaluate(e.dec, cpw_policy_program(e.pol, "a_and_b"), e.rec,
                                pt_date("2024-01-01"), 0), CPW_OK);
  assert_int_equal(cpw_decision_outcome(e.dec), E);
  assert_null(strstr(cpw_decision_basis(e.dec), "cmp"));
  assert_non_null(strstr(cpw_decision_basis(e.dec), "a_and_b"));
  pt_close(&e);
}

/* The graph of range tests runs on the record's marks kept as bits (fields below 64), and
 * the graph test by test otherwise: every way a field stops being set clears its bit (else a
 * cleared value, 0, would be read as a value), and fields from 64 on, and tests that are not
 * ranges, take the marked path with the same answers. */
static void test_eligibility__graph_marks(void **state)
{
  pt_env e;
  char text[2048];
  size_t used = 0;
  int i;
  const cpw_date day = pt_date("2024-01-01");
  const cpw_program *small, *high, *mixed, *inset;
  (void)state;
  used += (size_t)snprintf(text + used, sizeof text - used,
                           "field n: int\nfield a: bool\nfield e: enum(x, y, z)\n");
  for (i = 3; i < 70; i++) /* fields 3 ... 69: g69 is the 70th */
    used += (size_t)snprintf(text + used, sizeof text - used, "field g%d: int\n", i);
  snprintf(text + used, sizeof text - used,
           "program small \"\" { eligible when n < 18 and a }\n"
           "program high \"\" { eligible when g69 > 3 }\n"
           "program mixed \"\" { eligible when n < 18 and g69 > 3 }\n"
           "program inset \"\" { eligible when e in {x, z} }\n");
  pt_open(&e, text);
  small = cpw_policy_program(e.pol, "small");
  high = cpw_policy_program(e.pol, "high");
  mixed = cpw_policy_program(e.pol, "mixed");
  inset = cpw_policy_program(e.pol, "inset");
  assert_non_null(small);
  assert_non_null(inset);
#define OUT(prog) (assert_int_equal(cpw_evaluate(e.dec, (prog), e.rec, day, 0), CPW_OK), \
                   cpw_decision_outcome(e.dec))
  /* each way of unsetting n, after n = 10 made `small` eligible */
  for (i = 0; i < 5; i++) {
    cpw_record_clear(e.rec);
    assert_int_equal(cpw_record_set_int(e.rec, "n", 10), CPW_OK);
    assert_int_equal(cpw_record_set_bool(e.rec, "a", 1), CPW_OK);
    assert_int_equal(OUT(small), E);
    switch (i) {
    case 0: assert_int_equal(cpw_record_unset(e.rec, "n"), CPW_OK); break;
    case 1: assert_int_equal(cpw_record_set_string(e.rec, "n", "", 0), CPW_OK); break;
    case 2: assert_int_equal(cpw_record_set_json(e.rec, "{\"n\": null}", 11, 0), CPW_OK); break;
    case 3: cpw_record_clear(e.rec); break;
    default: /* a JSON object that fails changes nothing: n stays 10 */
      assert_int_not_equal(cpw_record_set_json(e.rec, "{\"n\": null, \"a\": 3}", 19, 0),
                           CPW_OK);
      break;
    }
    assert_int_equal(OUT(small), i == 4 ? E : U);
    if (i < 4)
      assert_string_equal(cpw_decision_missing(e.dec, 0), "n");
    assert_int_equal(cpw_record_set_json(e.rec, "{\"n\": 30, \"a\": true}", 20, 0), CPW_OK);
    assert_int_equal(OUT(small), N);
  }
  /* a field from 64 on: no bit, the marked path */
  cpw_record_clear(e.rec);
  assert_int_equal(OUT(high), U);
  assert_int_equal(cpw_record_set_int(e.rec, "g69", 5), CPW_OK);
  assert_int_equal(OUT(high), E);
  assert_int_equal(cpw_record_set_int(e.rec, "n", 10), CPW_OK);
  assert_int_equal(OUT(mixed), E);
  assert_int_equal(cpw_record_unset(e.rec, "g69"), CPW_OK);
  assert_int_equal(OUT(high), U);
  assert_int_equal(OUT(mixed), U);
  assert_string_equal(cpw_decision_missing(e.dec, 0), "g69");
  assert_int_equal(cpw_record_set_int(e.rec, "n", 20), CPW_OK);
  assert_int_equal(OUT(mixed), N); /* n decides before g69 is needed */
  /* a set of members that are not consecutive: a test that is not a range */
  assert_int_equal(OUT(inset), U);
  assert_int_equal(cpw_record_set_enum(e.rec, "e", "y"), CPW_OK);
  assert_int_equal(OUT(inset), N);
  assert_int_equal(cpw_record_set_enum(e.rec, "e", "z"), CPW_OK);
  assert_int_equal(OUT(inset), E);
  assert_int_equal(cpw_record_unset(e.rec, "e"), CPW_OK);
  assert_int_equal(OUT(inset), U);
#undef OUT
  pt_close(&e);
}

static const char RECORD[] =
  "field b: bool\n"
  "field n: int\n"
  "field m: money\n"
  "field d: date\n"
  "field t: datetime\n"
  "field s: text\n"
  "field e: enum(x, y, z)\n"
  "field st: set of enum(x, y, z)\n"
  "program p \"P\" { eligible when b }\n";

static int64_t get(pt_env *e, const char *field)
{
  int64_t v = -12345;
  int rc = cpw_record_get(e->rec, field, &v);
  if (rc != 1)
    fail_msg("field %s: cpw_record_get gave %d", field, rc);
  return v;
}

static void test_eligibility__record_setters(void **state)
{
  static const char *const xz[] = { "x", "z" };
  static const char *const bad[] = { "x", "w" };
  static const char *const nul[] = { "x", NULL };
  pt_env e;
  cpw_record *other = NULL;
  pt_env f;
  int64_t v = 7;
  (void)state;
  pt_open(&e, RECORD);
  /* every field starts missing */
  assert_int_equal(cpw_record_is_set(e.rec, "n"), 0);
  assert_int_equal(cpw_record_get(e.rec, "n", &v), 0);
  assert_int_equal(v, 7);
  assert_null(cpw_record_get_text(e.rec, "s"));
  /* one setter per type */
  assert_int_equal(cpw_record_set_bool(e.rec, "b", 5), CPW_OK);
  assert_int_equal(get(&e, "b"), 1);
  assert_int_equal(cpw_record_set_int(e.rec, "n", -42), CPW_OK);
  assert_int_equal(get(&e, "n"), -42);
  assert_int_equal(cpw_record_set_money(e.rec, "m", 1050), CPW_OK);
  assert_int_equal(get(&e, "m"), 1050);
  assert_int_equal(cpw_record_set_date(e.rec, "d", pt_date("2020-02-29")), CPW_OK);
  assert_int_equal(get(&e, "d"), pt_date("2020-02-29"));
  assert_int_equal(cpw_record_set_datetime(e.rec, "t", pt_time("2026-03-02T09:00:00+04:00")),
                   CPW_OK);
  assert_int_equal(get(&e, "t"), pt_time("2026-03-02T05:00:00Z"));
  assert_int_equal(cpw_record_set_text(e.rec, "s", "Tbilisi"), CPW_OK);
  assert_string_equal(cpw_record_get_text(e.rec, "s"), "Tbilisi");
  assert_int_equal(cpw_record_set_enum(e.rec, "e", "z"), CPW_OK);
  assert_int_equal(get(&e, "e"), 2);
  assert_int_equal(cpw_record_set_members(e.rec, "st", xz, 2), CPW_OK);
  assert_int_equal(get(&e, "st"), 5);
  assert_int_equal(cpw_record_set_members(e.rec, "st", NULL, 0), CPW_OK); /* the empty set */
  assert_int_equal(get(&e, "st"), 0);
  assert_int_equal(cpw_record_is_set(e.rec, "st"), 1);
  /* type errors name the field and its type */
  assert_int_equal(cpw_record_set_int(e.rec, "b", 1), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "field 'b' is of type bool");
  assert_int_equal(cpw_record_set_bool(e.rec, "n", 1), CPW_EINVALID);
  assert_int_equal(cpw_record_set_money(e.rec, "n", 1), CPW_EINVALID);
  assert_int_equal(cpw_record_set_date(e.rec, "t", 1), CPW_EINVALID);
  assert_int_equal(cpw_record_set_datetime(e.rec, "d", 1), CPW_EINVALID);
  assert_int_equal(cpw_record_set_text(e.rec, "e", "x"), CPW_EINVALID);
  assert_int_equal(cpw_record_set_enum(e.rec, "st", "x"), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "field 'st' is of type set");
  assert_int_equal(cpw_record_set_members(e.rec, "e", xz, 2), CPW_EINVALID);
  /* bad values; the field keeps its value */
  assert_int_equal(cpw_record_set_enum(e.rec, "e", "w"), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "field 'e': not one of its values");
  assert_int_equal(cpw_record_set_enum(e.rec, "e", NULL), CPW_EINVALID);
  assert_int_equal(get(&e, "e"), 2);
  assert_int_equal(cpw_record_set_members(e.rec, "st", bad, 2), CPW_EINVALID);
  assert_int_equal(cpw_record_set_members(e.rec, "st", nul, 2), CPW_EINVALID);
  assert_int_equal(cpw_record_set_members(e.rec, "st", NULL, 1), CPW_EINVALID);
  assert_int_equal(get(&e, "st"), 0);
  assert_int_equal(cpw_record_set_date(e.rec, "d", CPW_DATE_MAX + 1), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "field 'd': date out of range");
  assert_int_equal(cpw_record_set_date(e.rec, "d", CPW_DATE_MIN), CPW_OK);
  assert_int_equal(cpw_record_set_datetime(e.rec, "t", INT64_MAX), CPW_EINVALID);
  assert_int_equal(cpw_record_set_text(e.rec, "s", "bad \xff"), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "field 's': text is not valid UTF-8");
  assert_int_equal(cpw_record_set_text(e.rec, "s", NULL), CPW_EINVALID);
  assert_string_equal(cpw_record_get_text(e.rec, "s"), "Tbilisi");
  /* unknown fields */
  assert_int_equal(cpw_record_set_int(e.rec, "nn", 1), CPW_ENOTFOUND);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "unknown field 'nn'");
  assert_int_equal(cpw_record_set_text(e.rec, "zz", "x"), CPW_ENOTFOUND);
  assert_int_equal(cpw_record_unset(e.rec, "zz"), CPW_ENOTFOUND);
  assert_int_equal(cpw_record_is_set(e.rec, "zz"), CPW_ENOTFOUND);
  assert_int_equal(cpw_record_get(e.rec, "zz", &v), CPW_ENOTFOUND);
  assert_null(cpw_record_get_text(e.rec, "zz"));
  assert_int_equal(cpw_record_set_int(e.rec, NULL, 1), CPW_EINVALID);
  assert_int_equal(cpw_record_set_int(NULL, "n", 1), CPW_EINVALID);
  /* text fields are read with get_text */
  assert_int_equal(cpw_record_get(e.rec, "s", &v), CPW_EINVALID);
  assert_null(cpw_record_get_text(e.rec, "n"));
  /* unset and clear */
  assert_int_equal(cpw_record_unset(e.rec, "s"), CPW_OK);
  assert_int_equal(cpw_record_is_set(e.rec, "s"), 0);
  assert_null(cpw_record_get_text(e.rec, "s"));
  assert_int_equal(cpw_record_set_text(e.rec, "s", "again"), CPW_OK);
  cpw_record_clear(e.rec);
  assert_int_equal(cpw_record_is_set(e.rec, "s"), 0);
  assert_int_equal(cpw_record_is_set(e.rec, "n"), 0);
  cpw_record_clear(NULL);
  cpw_record_free(NULL);
  /* a record is bound to its policy */
  assert_int_equal(cpw_record_new(NULL, e.ctx, e.pol), CPW_EINVALID);
  assert_int_equal(cpw_record_new(&other, e.ctx, NULL), CPW_EINVALID);
  assert_null(other);
  pt_open(&f, RECORD);
  assert_int_equal(cpw_record_set_bool(f.rec, "b", 1), CPW_OK);
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "p"), f.rec, pt_date("2024-01-01"), 0),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "the record was made for another policy than the programme's");
  pt_close(&f);
  pt_close(&e);
}

static void string_ok(pt_env *e, const char *field, const char *text, int64_t want)
{
  int rc = cpw_record_set_string(e->rec, field, text, strlen(text));
  if (rc != CPW_OK)
    fail_msg("set_string(%s, \"%s\"): %s", field, text, cpw_ctx_last_error(e->ctx)->message);
  assert_int_equal(get(e, field), want);
}

static void string_bad(pt_env *e, const char *field, const char *text, const char *message)
{
  int rc = cpw_record_set_string(e->rec, field, text, strlen(text));
  if (rc != CPW_EINVALID)
    fail_msg("set_string(%s, \"%s\") gave %d, expected CPW_EINVALID", field, text, rc);
  assert_string_equal(cpw_ctx_last_error(e->ctx)->message, message);
}

static void test_eligibility__record_set_string(void **state)
{
  static const char *const ints[] = { "12a", "-", "+", "1.5", " 1", "9223372036854775808" };
  pt_env e;
  size_t i;
  (void)state;
  pt_open(&e, RECORD);
  string_ok(&e, "b", "true", 1);
  string_ok(&e, "b", "false", 0);
  string_ok(&e, "b", "yes", 1);
  string_ok(&e, "b", "no", 0);
  string_ok(&e, "b", "1", 1);
  string_ok(&e, "b", "0", 0);
  string_bad(&e, "b", "TRUE", "field 'b': expected true/false, yes/no or 1/0");
  string_ok(&e, "n", "-42", -42);
  string_ok(&e, "n", "+7", 7);
  string_ok(&e, "n", "9223372036854775807", INT64_MAX);
  string_ok(&e, "n", "-9223372036854775808", INT64_MIN);
  for (i = 0; i < sizeof ints / sizeof ints[0]; i++) /* ("" is missing: below) */
    string_bad(&e, "n", ints[i], "field 'n': expected a whole number");
  string_ok(&e, "m", "1000", 100000);
  string_ok(&e, "m", "12.5", 1250);
  string_ok(&e, "m", "12.50", 1250);
  string_ok(&e, "m", "-3.05", -305);
  string_ok(&e, "m", "-0.50", -50);
  string_bad(&e, "m", "1.234", "field 'm': expected an amount in GEL such as 1000 or 12.50");
  string_bad(&e, "m", ".5", "field 'm': expected an amount in GEL such as 1000 or 12.50");
  string_bad(&e, "m", "12,50", "field 'm': expected an amount in GEL such as 1000 or 12.50");
  string_bad(&e, "m", "5.", "field 'm': expected an amount in GEL such as 1000 or 12.50");
  string_ok(&e, "d", "2024-02-29", pt_date("2024-02-29"));
  string_bad(&e, "d", "2023-02-29", "field 'd': expected a date YYYY-MM-DD that exists");
  string_bad(&e, "d", "29.02.2024", "field 'd': expected a date YYYY-MM-DD that exists");
  string_ok(&e, "t", "2026-03-02T09:00:00+04:00", pt_time("2026-03-02T05:00:00Z"));
  string_bad(&e, "t", "2026-03-02T09:00:00", "field 't': expected a date-time such as "
                                             "2026-03-02T09:00:00+04:00");
  string_ok(&e, "e", "y", 1);
  string_bad(&e, "e", "Y", "field 'e': not one of its values");
  string_ok(&e, "st", "x|z", 5);
  string_ok(&e, "st", "y;z", 6);
  string_ok(&e, "st", "z||x;", 5);
  string_bad(&e, "st", "x|w", "field 'st': not one of its values");
  assert_int_equal(cpw_record_set_string(e.rec, "s", "as is, \"quoted\"", 15), CPW_OK);
  assert_string_equal(cpw_record_get_text(e.rec, "s"), "as is, \"quoted\"");
  assert_int_equal(cpw_record_set_string(e.rec, "s", "ab\0c", 4), CPW_EINVALID);
  /* an empty text makes any field missing */
  assert_int_equal(cpw_record_set_string(e.rec, "n", "", 0), CPW_OK);
  assert_int_equal(cpw_record_is_set(e.rec, "n"), 0);
  assert_int_equal(cpw_record_set_string(e.rec, "s", NULL, 0), CPW_OK);
  assert_int_equal(cpw_record_is_set(e.rec, "s"), 0);
  assert_int_equal(cpw_record_set_string(e.rec, "st", "", 0), CPW_OK);
  assert_int_equal(cpw_record_is_set(e.rec, "st"), 0);
  assert_int_equal(cpw_record_set_string(e.rec, "n", NULL, 3), CPW_EINVALID);
  assert_int_equal(cpw_record_set_string(e.rec, "nope", "1", 1), CPW_ENOTFOUND);
  pt_close(&e);
}

static void json_ok(pt_env *e, const char *json, unsigned flags)
{
  int rc = cpw_record_set_json(e->rec, json, strlen(json), flags);
  if (rc != CPW_OK)
    fail_msg("set_json(%s): %s", json, cpw_ctx_last_error(e->ctx)->message);
}

static void json_bad(pt_env *e, const char *json, unsigned flags, int code, const char *message)
{
  int rc = cpw_record_set_json(e->rec, json, strlen(json), flags);
  if (rc != code)
    fail_msg("set_json(%s) gave %d, expected %d", json, rc, code);
  if (message != NULL)
    assert_string_equal(cpw_ctx_last_error(e->ctx)->message, message);
}

static void test_eligibility__record_set_json(void **state)
{
  static const char all[] =
    "{\"b\": true, \"n\": -42, \"m\": 12.5, \"d\": \"2020-02-29\",\n"
    " \"t\": \"2026-03-02T09:00:00+04:00\", \"s\": \"\\u10d7\\u10d1\\u10d8\\u10da\\u10d8\\u10e1"
    "\\u10d8 \\\"c\\\"\",\n \"e\": \"z\", \"st\": [\"x\", \"z\"]}";
  pt_env e;
  (void)state;
  pt_open(&e, RECORD);
  /* every JSON kind into its field type */
  assert_int_equal(cpw_record_set_json(e.rec, all, sizeof all - 1, 0), CPW_OK);
  assert_int_equal(get(&e, "b"), 1);
  assert_int_equal(get(&e, "n"), -42);
  assert_int_equal(get(&e, "m"), 1250);
  assert_int_equal(get(&e, "d"), pt_date("2020-02-29"));
  assert_int_equal(get(&e, "t"), pt_time("2026-03-02T05:00:00Z"));
  assert_string_equal(cpw_record_get_text(e.rec, "s"),
                      "\xe1\x83\x97\xe1\x83\x91\xe1\x83\x98\xe1\x83\x9a\xe1\x83\x98\xe1\x83\xa1"
                      "\xe1\x83\x98 \"c\"");
  assert_int_equal(get(&e, "e"), 2);
  assert_int_equal(get(&e, "st"), 5);
  /* fields not in the object keep their values; null makes a field missing */
  pt_record(&e, "{\"n\": 1}");
  json_ok(&e, "{\"b\": false, \"n\": null}", 0);
  assert_int_equal(get(&e, "b"), 0);
  assert_int_equal(cpw_record_is_set(e.rec, "n"), 0);
  json_ok(&e, "{\"s\": null, \"st\": []}", 0);
  assert_int_equal(cpw_record_is_set(e.rec, "s"), 0);
  assert_int_equal(get(&e, "st"), 0);
  /* a key given twice is an error, not "the last wins" (issue 16 point 3); nothing changes */
  pt_record(&e, "{\"n\": 5}");
  json_bad(&e, "{\"n\": 1, \"s\": \"x\", \"n\": 2}", 0, CPW_EINVALID,
           "field 'n' is given twice (line 1, column 20)");
  assert_int_equal(get(&e, "n"), 5);
  assert_int_equal(cpw_record_is_set(e.rec, "s"), 0);
  /* a boolean may be a string as cpw_record_set_string reads it */
  json_ok(&e, "{\"b\": \"yes\"}", 0);
  assert_int_equal(get(&e, "b"), 1);
  json_ok(&e, "{\"b\": \"0\"}", 0);
  assert_int_equal(get(&e, "b"), 0);
  /* money: GEL with at most two decimals; int: whole numbers; bool: also 0 and 1 */
  pt_record(&e, "{\"m\": 1000, \"n\": 7, \"b\": 1}");
  assert_int_equal(get(&e, "m"), 100000);
  assert_int_equal(get(&e, "b"), 1);
  json_bad(&e, "{\"n\": 1e0}", 0, CPW_EINVALID, NULL); /* no exponent for an int */
  json_bad(&e, "{\"m\": 1.005}", 0, CPW_EINVALID,
           "field 'm': expected an amount in GEL with at most 2 decimals");
  json_bad(&e, "{\"m\": 1e3}", 0, CPW_EINVALID, NULL);
  /* strings of empty text are missing for dates and enums, a value for text */
  pt_record(&e, "{\"d\": \"\", \"e\": \"\", \"s\": \"\"}");
  assert_int_equal(cpw_record_is_set(e.rec, "d"), 0);
  assert_int_equal(cpw_record_is_set(e.rec, "e"), 0);
  assert_string_equal(cpw_record_get_text(e.rec, "s"), "");
  /* the wrong kind of JSON value */
  json_bad(&e, "{\"n\": \"12\"}", 0, CPW_EINVALID, "field 'n' is of type int: a JSON string "
                                                   "does not fit");
  json_bad(&e, "{\"n\": 1.5}", 0, CPW_EINVALID, "field 'n' is of type int: a JSON number does "
                                                "not fit");
  json_bad(&e, "{\"b\": \"maybe\"}", 0, CPW_EINVALID, NULL);
  json_bad(&e, "{\"b\": 2}", 0, CPW_EINVALID, NULL);
  json_bad(&e, "{\"d\": 20200101}", 0, CPW_EINVALID, NULL);
  json_bad(&e, "{\"d\": \"2023-02-29\"}", 0, CPW_EINVALID,
           "field 'd': expected a date YYYY-MM-DD that exists");
  json_bad(&e, "{\"s\": true}", 0, CPW_EINVALID, "field 's' is of type text: a JSON boolean "
                                                 "does not fit");
  json_bad(&e, "{\"e\": [\"x\"]}", 0, CPW_EINVALID, "field 'e' is of type enum: a JSON array "
                                                    "does not fit");
  json_bad(&e, "{\"st\": {\"x\": true}}", 0, CPW_EINVALID, "field 'st' is of type set: a JSON "
                                                           "object does not fit");
  json_bad(&e, "{\"st\": [\"x\", 1]}", 0, CPW_EINVALID, "field 'st': a set is a list of value "
                                                        "names");
  json_bad(&e, "{\"st\": [\"w\"]}", 0, CPW_EINVALID, "field 'st': not one of its values");
  json_bad(&e, "{\"s\": \"a\\u0000b\"}", 0, CPW_EINVALID, "field 's': text holds a NUL "
                                                          "character");
  /* not an object, malformed, trailing data */
  json_bad(&e, "[1]", 0, CPW_EINVALID, "a record must be a JSON object");
  json_bad(&e, "", 0, CPW_EINVALID, NULL);
  json_bad(&e, "{\"n\": 1", 0, CPW_EINVALID, NULL);
  json_bad(&e, "{\"n\": 1} {}", 0, CPW_EINVALID, NULL);
  assert_int_equal(cpw_record_set_json(e.rec, NULL, 5, 0), CPW_EINVALID);
  assert_int_equal(cpw_record_set_json(NULL, "{}", 2, 0), CPW_EINVALID);
  /* unknown keys: an error, or skipped (whatever their value) with the flag */
  json_bad(&e, "{\"n\": 1,\n \"age\": 3}", 0, CPW_ENOTFOUND,
           "unknown field 'age' (line 2, column 2)");
  json_ok(&e, "{\"n\": 5, \"age\": {\"a\": [1, {}]}, \"x\": null}", CPW_RECORD_IGNORE_UNKNOWN);
  assert_int_equal(get(&e, "n"), 5);
  pt_close(&e);
}

/* A failed cpw_record_set_json leaves the record exactly as it was. */
static void test_eligibility__record_set_json_atomic(void **state)
{
  static const char *const failing[] = {
    "{\"n\": 99, \"s\": \"new\", \"st\": [\"y\"], \"nope\": 1}",
    "{\"n\": 99, \"s\": \"new\", \"d\": \"2023-02-30\"}",
    "{\"s\": \"new\", \"n\": null, \"e\": \"w\"}",
    "{\"s\": \"new\", \"s\": \"newer\", \"b\": \"x\"}",
    "{\"n\": 99, \"s\": \"new\", \"m\": 1.001}",
    "{\"n\": 99, \"s\": \"new\"",
    "{\"n\": 99, \"s\": \"new\"}, 1",
  };
  pt_env e;
  size_t i;
  (void)state;
  pt_open(&e, RECORD);
  for (i = 0; i < sizeof failing / sizeof failing[0]; i++) {
    pt_record(&e, "{\"n\": 1, \"s\": \"old\", \"e\": \"x\", \"st\": [\"x\"]}");
    assert_int_not_equal(cpw_record_set_json(e.rec, failing[i], strlen(failing[i]), 0), CPW_OK);
    assert_int_equal(get(&e, "n"), 1);
    assert_string_equal(cpw_record_get_text(e.rec, "s"), "old");
    assert_int_equal(get(&e, "e"), 0);
    assert_int_equal(get(&e, "st"), 1);
    assert_int_equal(cpw_record_is_set(e.rec, "d"), 0);
    assert_int_equal(cpw_record_is_set(e.rec, "b"), 0);
    assert_int_equal(cpw_record_is_set(e.rec, "m"), 0);
  }
  pt_close(&e);
}

/* ------------------------------------------------------------------ decisions */

static void test_eligibility__decisions(void **state)
{
  pt_env e;
  cpw_decision *d = NULL;
  const cpw_reason *r;
  (void)state;
  pt_open_default(&e);
  /* the example of the documentation */
  assert_int_equal(pt_eval(&e, "reintegration_assistance",
                           "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 10, "
                           "\"asylum_applied_abroad\": false, \"asylum_granted_abroad\": false, "
                           "\"return_date\": \"2020-01-01\", \"registration_date\": "
                           "\"2020-06-01\"}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e),
                      "not eligible: none of: months_abroad_irregular is 10, but must be more than "
                      "12; asylum_applied_abroad is false, but must be true; asylum_granted_abroad "
                      "is false, but must be true");
  assert_int_equal(cpw_decision_reason_count(e.dec), 3);
  r = cpw_decision_reason(e.dec, 0);
  assert_int_equal(r->holds, 0);
  assert_string_equal(r->subject, "months_abroad_irregular");
  assert_string_equal(r->value, "10");
  assert_string_equal(r->requirement, "more than 12");
  assert_string_equal(r->clause, "months_abroad_irregular > 12");
  assert_string_equal(r->sentence, "months_abroad_irregular is 10, but must be more than 12");
  assert_int_equal(r->line, 52);
  assert_int_equal(r->column, 8);
  assert_null(cpw_decision_reason(e.dec, 3));
  assert_ptr_equal(cpw_decision_program(e.dec), pt_program(&e, "reintegration_assistance"));
  assert_int_equal(cpw_decision_as_of(e.dec), pt_date("2024-01-01"));
  assert_int_equal(cpw_decision_missing_count(e.dec), 0);
  assert_null(cpw_decision_missing(e.dec, 0));
  /* without CPW_EVAL_EXPLAIN: the same outcome, no explanation */
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "reintegration_assistance"), e.rec,
                                pt_date("2024-01-01"), 0), CPW_OK);
  assert_int_equal(cpw_decision_outcome(e.dec), N);
  assert_string_equal(cpw_decision_explain(e.dec), "");
  assert_int_equal(cpw_decision_reason_count(e.dec), 0);
  assert_null(cpw_decision_reason(e.dec, 0));
  /* an undetermined outcome lists what is missing also without an explanation */
  cpw_record_clear(e.rec);
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "trafficking_services"), e.rec,
                                pt_date("2024-01-01"), 0), CPW_OK);
  assert_int_equal(cpw_decision_outcome(e.dec), U);
  assert_string_equal(pt_missing(&e), "trafficking_victim_status,potential_trafficking_victim");
  /* names of outcomes */
  assert_string_equal(cpw_outcome_name(CPW_NOT_ELIGIBLE), "not_eligible");
  assert_string_equal(cpw_outcome_name(CPW_ELIGIBLE), "eligible");
  assert_string_equal(cpw_outcome_name(CPW_UNDETERMINED), "undetermined");
  assert_string_equal(cpw_outcome_name(CPW_OUTCOME_ERROR), "error");
  assert_string_equal(cpw_outcome_name(42), "unknown");
  /* bad arguments */
  assert_int_equal(cpw_decision_new(NULL, e.ctx), CPW_EINVALID);
  assert_int_equal(cpw_decision_new(&d, NULL), CPW_EINVALID);
  assert_int_equal(cpw_evaluate(NULL, pt_program(&e, "barnahus"), e.rec, 0, 0), CPW_EINVALID);
  assert_int_equal(cpw_evaluate(e.dec, NULL, e.rec, 0, 0), CPW_EINVALID);
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "barnahus"), NULL, 0, 0), CPW_EINVALID);
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "barnahus"), e.rec, CPW_DATE_MAX + 1, 0),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "the evaluation date is out of range");
  assert_int_equal(cpw_decision_outcome(NULL), U);
  assert_string_equal(cpw_decision_explain(NULL), "");
  assert_int_equal(cpw_decision_missing_count(NULL), 0);
  cpw_decision_free(NULL);
  pt_close(&e);
}

/* An evaluation error (a date out of range, a division by zero) is the outcome "error" with
 * CPW_EINVALID and a message naming the programme. */
static void test_eligibility__evaluation_errors(void **state)
{
  static const char P[] =
    "field n: int\n"
    "field k: int\n"
    "field birth: date\n"
    "program ratio \"R\" { eligible when n / k > 1 }\n"
    "program young \"Y\" { eligible when age(birth) < 5 }\n"
    "program svc \"S\" { eligible when n > 0\n  service s when n / k > 1 }\n"
    "program amount \"A\" { eligible when n > 0\n  benefit b 1 GEL * (n / k) once }\n";
  pt_env e;
  (void)state;
  pt_open(&e, P);
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "ratio"), e.rec, 0, 0), CPW_OK);
  pt_record(&e, "{\"n\": 3, \"k\": 0}");
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "ratio"), e.rec, pt_date("2024-01-01"),
                                CPW_EVAL_EXPLAIN), CPW_EINVALID);
  assert_int_equal(cpw_decision_outcome(e.dec), X);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "programme 'ratio': its rule could not be evaluated: a division by zero, "
                      "an overflow or a date out of range");
  assert_string_equal(cpw_decision_explain(e.dec), "error: its rule could not be evaluated: a "
                      "division by zero, an overflow or a date out of range");
  assert_int_equal(pt_eval(&e, "young", "{\"birth\": \"2025-01-01\"}", "2024-01-01"), X);
  assert_int_equal(pt_eval(&e, "young", "{\"birth\": \"2020-01-01\"}", "2024-01-01"), E);
  /* a service's condition: the whole decision is an error, in one record and in a batch */
  assert_int_equal(pt_eval(&e, "svc", "{\"n\": 3, \"k\": 0}", "2024-01-01"), X);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "programme 'svc': the condition of service 's' could not be evaluated: a "
                      "division by zero, an overflow or a date out of range");
  assert_int_equal(cpw_decision_service_count(e.dec), 0);
  assert_int_equal(pt_eval(&e, "svc", "{\"n\": 3, \"k\": 1}", "2024-01-01"), E);
  assert_string_equal(pt_services(&e), "s");
  /* a benefit's amount: an error too, never a benefit silently left out */
  assert_int_equal(pt_eval(&e, "amount", "{\"n\": 3, \"k\": 0}", "2024-01-01"), X);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "programme 'amount': the amount of benefit 'b' could not be evaluated: a "
                      "division by zero, an overflow or a date out of range");
  assert_int_equal(cpw_decision_benefit_count(e.dec), 0);
  assert_int_equal(pt_eval(&e, "amount", "{\"n\": 3, \"k\": 1}", "2024-01-01"), E);
  assert_string_equal(pt_benefits(&e), "b=300/once");
  /* the same records in a batch: record 0 fails in its service or amount, record 1 does not,
   * record 2 is not eligible (n = 0) so its service and amount do not matter */
  {
    static const int64_t n[3] = { 3, 3, 0 }, k[3] = { 0, 1, 0 };
    cpw_column cols[2] = { { "n", n, NULL, NULL }, { "k", k, NULL, NULL } };
    uint8_t out[3];
    uint64_t svc[3];
    assert_int_equal(cpw_evaluate_batch(e.ctx, pt_program(&e, "svc"), pt_date("2024-01-01"),
                                        cols, 2, 3, out, svc), CPW_OK);
    assert_true(out[0] == X && out[1] == E && out[2] == N);
    assert_true(svc[0] == 0 && svc[1] == 1 && svc[2] == 0);
    assert_int_equal(cpw_evaluate_batch(e.ctx, pt_program(&e, "amount"), pt_date("2024-01-01"),
                                        cols, 2, 3, out, svc), CPW_OK);
    assert_true(out[0] == X && out[1] == E && out[2] == N);
  }
  pt_close(&e);
}

/* ------------------------------------------------------------------ the Georgian policy */

#define RETURNED                                                                            \
  "\"citizenship\": \"georgian\", \"months_abroad_irregular\": 13, "                        \
  "\"asylum_applied_abroad\": false, \"asylum_granted_abroad\": false, "                    \
  "\"return_date\": \"2020-03-01\""

static void test_eligibility__reintegration_assistance(void **state)
{
  static const char *const services =
    "medical,psychosocial,income_generation,vocational_training,vocational_education,"
    "temporary_accommodation";
  pt_env e;
  char json[600];
  (void)state;
  pt_open_default(&e);
#define RUN(extra) (snprintf(json, sizeof json, "{" RETURNED "%s}", extra),                \
                    pt_eval(&e, "reintegration_assistance", json, "2024-01-01"))
  /* 13 months abroad, registered exactly one year after the return, in Tbilisi */
  assert_int_equal(RUN(", \"registration_date\": \"2021-03-01\", \"city\": \"tbilisi\""), E);
  assert_string_equal(pt_explain(&e),
                      "eligible: citizenship is georgian; and months_abroad_irregular is 13, "
                      "more than 12; and registration_date is 2021-03-01, on or after "
                      "return_date (2020-03-01); and registration_date is 2021-03-01, on or "
                      "before return_date + 1 year (2021-03-01)");
  assert_string_equal(pt_benefits(&e), "income_grant=400000/once");
  assert_string_equal(pt_services(&e), "medical,psychosocial,income_generation,"
                                       "vocational_training,vocational_education,"
                                       "temporary_accommodation");
  /* temporary accommodation is provided in Tbilisi, whatever the city of residence */
  assert_int_equal(RUN(", \"registration_date\": \"2021-03-01\", \"city\": \"batumi\""), E);
  assert_string_equal(pt_services(&e), services);
  assert_int_equal(RUN(", \"registration_date\": \"2021-03-01\""), E);
  assert_string_equal(pt_services(&e), services);
  assert_string_equal(pt_missing(&e), "");
  /* one day later is too late; before the return is not possible */
  assert_int_equal(RUN(", \"registration_date\": \"2021-03-02\""), N);
  assert_string_equal(pt_explain(&e), "not eligible: registration_date is 2021-03-02, but must be "
                                      "on or before return_date + 1 year (2021-03-01)");
  assert_int_equal(RUN(", \"registration_date\": \"2020-02-29\""), N);
  assert_string_equal(pt_explain(&e), "not eligible: registration_date is 2020-02-29, but must be "
                                      "on or after return_date (2020-03-01)");
  assert_int_equal(RUN(", \"registration_date\": \"2020-03-01\""), E);
  /* 12 whole months abroad may or may not be more than one year: the date the stay began
   * decides, unless asylum was applied for or granted */
  pt_record(&e, "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 12, "
                "\"asylum_applied_abroad\": false, \"asylum_granted_abroad\": false, "
                "\"return_date\": \"2020-03-01\", \"registration_date\": \"2020-04-01\"}");
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "irregular_stay_from");
  assert_int_equal(cpw_record_set_date(e.rec, "irregular_stay_from", pt_date("2019-03-01")),
                   CPW_OK);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e),
                      "not eligible: none of: return_date is 2020-03-01, but must be after "
                      "irregular_stay_from + 1 year (2020-03-01); asylum_applied_abroad is false, "
                      "but must be true; asylum_granted_abroad is false, but must be true");
  assert_int_equal(cpw_record_unset(e.rec, "irregular_stay_from"), CPW_OK);
  assert_int_equal(cpw_record_set_bool(e.rec, "asylum_applied_abroad", 1), CPW_OK);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), E);
  assert_int_equal(cpw_record_set_bool(e.rec, "asylum_applied_abroad", 0), CPW_OK);
  assert_int_equal(cpw_record_set_bool(e.rec, "asylum_granted_abroad", 1), CPW_OK);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), E);
  /* 12 months, and the date and the asylum questions unanswered: undetermined, all named */
  pt_record(&e, "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 12, "
                "\"return_date\": \"2020-03-01\", \"registration_date\": \"2020-04-01\"}");
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e),
                      "irregular_stay_from,asylum_applied_abroad,asylum_granted_abroad");
  assert_string_equal(pt_explain(&e), "undetermined: irregular_stay_from is missing "
                                      "(return_date must be after irregular_stay_from + 1 year); "
                                      "or asylum_applied_abroad is missing (it must be true); or "
                                      "asylum_granted_abroad is missing (it must be true) — any "
                                      "one of them would suffice");
  /* stateless persons need the status */
  pt_record(&e, "{\"citizenship\": \"stateless\", \"stateless_status\": true, "
                "\"months_abroad_irregular\": 20, \"return_date\": \"2020-03-01\", "
                "\"registration_date\": \"2020-04-01\"}");
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), E);
  assert_int_equal(cpw_record_set_bool(e.rec, "stateless_status", 0), CPW_OK);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: none of: citizenship is stateless, but must "
                                      "be georgian; stateless_status is false, but must be true");
  assert_int_equal(cpw_record_unset(e.rec, "stateless_status"), CPW_OK);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "stateless_status");
  assert_int_equal(cpw_record_set_enum(e.rec, "citizenship", "foreign"), CPW_OK);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2024-01-01"), N);
  /* a return on 29 February: one year later is 28 February */
  snprintf(json, sizeof json, "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 13, "
                              "\"return_date\": \"2020-02-29\", \"registration_date\": "
                              "\"2021-02-28\"}");
  assert_int_equal(pt_eval(&e, "reintegration_assistance", json, "2024-01-01"), E);
  snprintf(json, sizeof json, "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 13, "
                              "\"return_date\": \"2020-02-29\", \"registration_date\": "
                              "\"2021-03-01\"}");
  assert_int_equal(pt_eval(&e, "reintegration_assistance", json, "2024-01-01"), N);
  /* in force from 2015 */
  assert_int_equal(RUN(", \"registration_date\": \"2020-04-01\""), E);
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2014-12-31"), N);
  assert_string_equal(pt_explain(&e), "not eligible: the programme is in force from 2015 (the "
                                      "day is not known); the evaluation date is 2014-12-31");
  assert_int_equal(pt_run(&e, "reintegration_assistance", "2015-01-01"), E);
#undef RUN
  pt_close(&e);
}

static void test_eligibility__trafficking(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(pt_eval(&e, "trafficking_compensation",
                           "{\"trafficking_victim_status\": true, \"compensation_received\": false}",
                           "2024-01-01"), E);
  assert_string_equal(pt_benefits(&e), "compensation=100000/once");
  assert_string_equal(pt_explain(&e), "eligible: trafficking_victim_status is true; and "
                                      "compensation_received is false");
  assert_int_equal(pt_eval(&e, "trafficking_compensation",
                           "{\"trafficking_victim_status\": true, \"compensation_received\": true}",
                           "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: compensation_received is true, but must be "
                                      "false");
  assert_int_equal(cpw_decision_benefit_count(e.dec), 0);
  assert_int_equal(pt_eval(&e, "trafficking_compensation",
                           "{\"trafficking_victim_status\": false}", "2024-01-01"), N);
  assert_int_equal(pt_eval(&e, "trafficking_compensation",
                           "{\"trafficking_victim_status\": true}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "compensation_received");
  /* the amount is a parameter in force from 2006 */
  assert_int_equal(pt_eval(&e, "trafficking_compensation",
                           "{\"trafficking_victim_status\": true, \"compensation_received\": false}",
                           "2005-12-31"), E);
  assert_int_equal(cpw_decision_benefit_count(e.dec), 0);

  assert_int_equal(pt_eval(&e, "trafficking_services", "{\"trafficking_victim_status\": true}",
                           "2024-01-01"), E);
  assert_string_equal(pt_services(&e), "shelter,psychological,medical,legal");
  /* without the status, the services depend on being a potential victim */
  assert_int_equal(pt_eval(&e, "trafficking_services", "{\"trafficking_victim_status\": false}",
                           "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "potential_trafficking_victim");
  assert_int_equal(pt_eval(&e, "trafficking_services",
                           "{\"trafficking_victim_status\": false, "
                           "\"potential_trafficking_victim\": false}", "2024-01-01"), N);
  assert_int_equal(cpw_decision_service_count(e.dec), 0);
  pt_close(&e);
}

static void test_eligibility__street_children_services(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  /* born 15 June 2010: 5 on 15 June 2015, 18 on 15 June 2028 */
  pt_record(&e, "{\"birth_date\": \"2010-06-15\", \"street_situation\": true, "
                "\"city\": \"tbilisi\"}");
  assert_int_equal(pt_run(&e, "street_children_services", "2015-06-14"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age is 4, but must be at least 5");
  assert_int_equal(pt_run(&e, "street_children_services", "2015-06-15"), E);
  assert_string_equal(pt_explain(&e), "eligible: age is 5, at least 5; and age is 5, less than "
                                      "18; and street_situation is true");
  assert_string_equal(pt_services(&e), "mobile_group,day_centre,shelter_24h");
  assert_int_equal(pt_run(&e, "street_children_services", "2015-06-16"), E);
  assert_int_equal(pt_run(&e, "street_children_services", "2028-06-14"), E);
  assert_int_equal(pt_run(&e, "street_children_services", "2028-06-15"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age is 18, but must be less than 18");
  /* services by city */
  assert_int_equal(cpw_record_set_enum(e.rec, "city", "batumi"), CPW_OK);
  assert_int_equal(pt_run(&e, "street_children_services", "2020-01-01"), E);
  assert_string_equal(pt_services(&e), "mobile_group");
  assert_int_equal(cpw_record_set_enum(e.rec, "city", "rustavi"), CPW_OK);
  assert_int_equal(pt_run(&e, "street_children_services", "2020-01-01"), E);
  assert_string_equal(pt_services(&e), "mobile_group,day_centre,shelter_24h");
  assert_int_equal(cpw_record_set_enum(e.rec, "city", "kutaisi"), CPW_OK);
  assert_int_equal(pt_run(&e, "street_children_services", "2020-01-01"), E);
  assert_string_equal(pt_services(&e), "mobile_group,day_centre,shelter_24h");
  assert_int_equal(cpw_record_set_enum(e.rec, "city", "other"), CPW_OK);
  assert_int_equal(pt_run(&e, "street_children_services", "2020-01-01"), E);
  assert_string_equal(pt_services(&e), "");
  /* not in the street; age unknown; in force from 2014 */
  assert_int_equal(cpw_record_set_bool(e.rec, "street_situation", 0), CPW_OK);
  assert_int_equal(pt_run(&e, "street_children_services", "2020-01-01"), N);
  assert_int_equal(pt_eval(&e, "street_children_services", "{\"street_situation\": true}",
                           "2020-01-01"), U);
  assert_string_equal(pt_missing(&e), "birth_date");
  assert_string_equal(pt_explain(&e), "undetermined: birth_date is missing (age must be at least "
                                      "5); and birth_date is missing (age must be less than 18) — "
                                      "all of them are needed");
  assert_int_equal(pt_eval(&e, "street_children_services", "{\"birth_date\": \"2005-01-01\", "
                           "\"street_situation\": true}", "2013-12-31"), N);
  /* a child born on 29 February is 5 on 1 March of a common year, and 18 the same way */
  pt_record(&e, "{\"birth_date\": \"2012-02-29\", \"street_situation\": true}");
  assert_int_equal(pt_run(&e, "street_children_services", "2017-02-28"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age is 4, but must be at least 5");
  assert_int_equal(pt_run(&e, "street_children_services", "2017-03-01"), E);
  pt_record(&e, "{\"birth_date\": \"2008-02-29\", \"street_situation\": true}");
  assert_int_equal(pt_run(&e, "street_children_services", "2026-02-28"), E);
  assert_int_equal(pt_run(&e, "street_children_services", "2026-03-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age is 18, but must be less than 18");
  pt_close(&e);
}

static void test_eligibility__violence_victim_support(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(pt_eval(&e, "violence_victim_support", "{\"violence_victim_status\": true}",
                           "2024-01-01"), E);
  assert_string_equal(pt_services(&e), "crisis_centre,shelter");
  /* the shelter needs the status; crisis centres serve alleged victims too */
  assert_int_equal(pt_eval(&e, "violence_victim_support", "{\"violence_victim_status\": false, "
                           "\"alleged_violence_victim\": true}", "2024-01-01"), E);
  assert_string_equal(pt_services(&e), "crisis_centre");
  assert_int_equal(pt_eval(&e, "violence_victim_support", "{\"alleged_violence_victim\": true}",
                           "2024-01-01"), E);
  assert_string_equal(pt_services(&e), "crisis_centre");
  assert_string_equal(pt_missing(&e), "violence_victim_status");
  assert_int_equal(pt_eval(&e, "violence_victim_support", "{\"violence_victim_status\": false, "
                           "\"alleged_violence_victim\": false}", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: none of: violence_victim_status is false, but "
                                      "must be true; alleged_violence_victim is false, but must be "
                                      "true");
  assert_int_equal(pt_eval(&e, "violence_victim_support", "{\"violence_victim_status\": false}",
                           "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "alleged_violence_victim");
  pt_close(&e);
}

static void test_eligibility__specialised_family_home(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  pt_record(&e, "{\"birth_date\": \"2010-06-15\", \"disability_level\": \"severe\"}");
  assert_int_equal(pt_run(&e, "specialised_family_home", "2028-06-14"), E);
  assert_string_equal(pt_services(&e), "family_type_home");
  assert_string_equal(pt_explain(&e), "eligible: age is 17, less than 18; and disability_level "
                                      "is severe, one of severe, profound");
  assert_int_equal(pt_run(&e, "specialised_family_home", "2028-06-15"), N);
  assert_int_equal(cpw_record_set_enum(e.rec, "disability_level", "profound"), CPW_OK);
  assert_int_equal(pt_run(&e, "specialised_family_home", "2020-01-01"), E);
  assert_int_equal(cpw_record_set_enum(e.rec, "disability_level", "moderate"), CPW_OK);
  assert_int_equal(pt_run(&e, "specialised_family_home", "2020-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: disability_level is moderate, but must be one "
                                      "of severe, profound");
  assert_int_equal(cpw_record_set_enum(e.rec, "disability_level", "none"), CPW_OK);
  assert_int_equal(pt_run(&e, "specialised_family_home", "2020-01-01"), N);
  assert_int_equal(cpw_record_unset(e.rec, "disability_level"), CPW_OK);
  assert_int_equal(pt_run(&e, "specialised_family_home", "2020-01-01"), U);
  assert_string_equal(pt_missing(&e), "disability_level");
  pt_close(&e);
}

static void test_eligibility__integration_centre(void **state)
{
  static const char *const services = "language,socio_cultural,civic_education,consultation";
  pt_env e;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(pt_eval(&e, "integration_centre", "{\"international_protection\": true}",
                           "2024-01-01"), E);
  assert_string_equal(pt_services(&e), services);
  assert_int_equal(pt_eval(&e, "integration_centre", "{\"international_protection\": false, "
                           "\"asylum_seeker\": true}", "2024-01-01"), E);
  assert_int_equal(pt_eval(&e, "integration_centre", "{\"international_protection\": false, "
                           "\"asylum_seeker\": false, \"citizenship\": \"stateless\", "
                           "\"stateless_status\": true}", "2024-01-01"), E);
  assert_int_equal(pt_eval(&e, "integration_centre", "{\"international_protection\": false, "
                           "\"asylum_seeker\": false, \"citizenship\": \"stateless\", "
                           "\"stateless_status\": false}", "2024-01-01"), N);
  assert_int_equal(pt_eval(&e, "integration_centre", "{\"international_protection\": false, "
                           "\"asylum_seeker\": false, \"citizenship\": \"georgian\"}",
                           "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: none of: international_protection is false, "
                                      "but must be true; asylum_seeker is false, but must be true; "
                                      "citizenship is georgian, but must be stateless");
  assert_int_equal(pt_eval(&e, "integration_centre", "{\"international_protection\": false}",
                           "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "citizenship,stateless_status,asylum_seeker");
  pt_close(&e);
}

static void test_eligibility__barnahus(void **state)
{
  static const char *const services = "forensic_interview,medical,psychological,legal";
  pt_env e;
  (void)state;
  pt_open_default(&e);
  pt_record(&e, "{\"birth_date\": \"2010-06-15\", \"alleged_sexual_violence\": true}");
  assert_int_equal(pt_run(&e, "barnahus", "2028-06-14"), E);
  assert_string_equal(pt_services(&e), services);
  assert_int_equal(pt_run(&e, "barnahus", "2028-06-15"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age is 18, but must be less than 18");
  /* from birth (born after the centre opened in July 2022) */
  pt_record(&e, "{\"birth_date\": \"2023-06-15\", \"alleged_sexual_violence\": true}");
  assert_int_equal(pt_run(&e, "barnahus", "2023-06-15"), E);
  assert_int_equal(pt_run(&e, "barnahus", "2023-06-14"), X); /* before birth: an error */
  assert_int_equal(cpw_record_set_bool(e.rec, "alleged_sexual_violence", 0), CPW_OK);
  assert_int_equal(pt_run(&e, "barnahus", "2024-01-01"), N);
  assert_int_equal(pt_eval(&e, "barnahus", "{\"alleged_sexual_violence\": true}", "2024-01-01"),
                   U);
  assert_string_equal(pt_missing(&e), "birth_date");
  pt_close(&e);
}

static void test_eligibility__tsa_child_benefit(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  pt_record(&e, "{\"tsa_registered\": true, \"tsa_score\": 120000, "
                "\"birth_date\": \"2010-06-15\"}");
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-01-01"), E);
  assert_string_equal(pt_benefits(&e), "child_benefit=20000/monthly");
  assert_string_equal(pt_explain(&e), "eligible: tsa_registered is true; and tsa_score is "
                                      "120000, at most tsa_score_limit (120000); and age is 13, "
                                      "less than 16");
  assert_int_equal(cpw_record_set_int(e.rec, "tsa_score", 120001), CPW_OK);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-01-01"), N);
  assert_string_equal(pt_explain(&e), "not eligible: tsa_score is 120001, but must be at most "
                                      "tsa_score_limit (120000)");
  assert_int_equal(cpw_decision_benefit_count(e.dec), 0);
  /* age 15 and 16 around the 16th birthday */
  assert_int_equal(cpw_record_set_int(e.rec, "tsa_score", 0), CPW_OK);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2026-06-14"), E);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2026-06-15"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age is 16, but must be less than 16");
  /* 150 GEL until 30 June 2023, 200 GEL from 1 July 2023 (test_georgia.c: the whole history) */
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-06-30"), E);
  assert_string_equal(pt_benefits(&e), "child_benefit=15000/monthly");
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-07-01"), E);
  assert_string_equal(pt_benefits(&e), "child_benefit=20000/monthly");
  /* in force from 2015, the day not known */
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2014-12-31"), N);
  assert_string_equal(pt_explain(&e), "not eligible: the programme is in force from 2015 (the "
                                      "day is not known); the evaluation date is 2014-12-31");
  /* not registered; the score unknown */
  assert_int_equal(cpw_record_set_bool(e.rec, "tsa_registered", 0), CPW_OK);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-01-01"), N);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit", "{\"tsa_registered\": true, "
                           "\"birth_date\": \"2010-06-15\"}", "2024-01-01"), U);
  assert_string_equal(pt_missing(&e), "tsa_score");
  /* a child born on 29 February 2008 turned 16 on 29 February 2024 (a leap year) */
  pt_record(&e, "{\"tsa_registered\": true, \"tsa_score\": 1, \"birth_date\": \"2008-02-29\"}");
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-02-28"), E);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-02-29"), N);
  pt_close(&e);
}

/* Born on 29 February: the birthday is reached on 1 March in common years. */
static void test_eligibility__born_on_29_february(void **state)
{
  pt_env e;
  (void)state;
  pt_open(&e, "field birth: date\n"
               "program sixteen \"\" { eligible when age(birth) >= 16 }\n"
               "program on \"\" { eligible when age(birth, 2025-02-28) = 16 "
               "and age(birth, 2025-03-01) = 17 }\n");
  pt_record(&e, "{\"birth\": \"2008-02-29\"}");
  assert_int_equal(pt_run(&e, "sixteen", "2024-02-28"), N);
  assert_string_equal(pt_explain(&e), "not eligible: age(birth) is 15, but must be at least 16");
  assert_int_equal(pt_run(&e, "sixteen", "2024-02-29"), E);
  assert_int_equal(pt_run(&e, "on", "2024-01-01"), E);
  pt_record(&e, "{\"birth\": \"2007-02-28\"}");
  assert_int_equal(pt_run(&e, "on", "2024-01-01"), N);
  pt_close(&e);
}

/* ------------------------------------------------------------------ batch */

/* Columns built from records through the public API. */
typedef struct columns {
  size_t nf, n;
  cpw_column cols[32];
  int64_t values[32][200];
  const char *texts[32][200];
  char textstore[32][200][64];
  uint8_t missing[32][200];
} columns;

static void add_record(pt_env *e, columns *c, const char *json)
{
  size_t f;
  pt_record(e, json);
  c->nf = cpw_policy_field_count(e->pol);
  assert_true(c->nf <= 32 && c->n < 200);
  for (f = 0; f < c->nf; f++) {
    const char *name = cpw_policy_field_name(e->pol, f);
    c->cols[f].field = name;
    c->cols[f].values = c->values[f];
    c->cols[f].texts = c->texts[f];
    c->cols[f].missing = c->missing[f];
    if (cpw_policy_field_type(e->pol, f) == CPW_TYPE_TEXT) {
      const char *t = cpw_record_get_text(e->rec, name); /* NULL: missing */
      c->texts[f][c->n] = NULL;
      if (t != NULL) {
        snprintf(c->textstore[f][c->n], sizeof c->textstore[f][c->n], "%s", t);
        c->texts[f][c->n] = c->textstore[f][c->n];
      }
      c->missing[f][c->n] = 0;
    } else {
      c->missing[f][c->n] = cpw_record_get(e->rec, name, &c->values[f][c->n]) != 1;
    }
  }
  c->n++;
}

/* The batch gives, record by record, the outcome and services of the one-record API. */
static void batch_matches(pt_env *e, const char *program, const char *const *jsons, size_t n,
                          const char *as_of)
{
  static columns c;
  static uint8_t outcomes[200];
  static uint64_t services[200];
  const cpw_program *pg = pt_program(e, program);
  size_t i, j, k;
  memset(&c, 0, sizeof c);
  for (i = 0; i < n; i++)
    add_record(e, &c, jsons[i]);
  assert_int_equal(cpw_evaluate_batch(e->ctx, pg, pt_date(as_of), c.cols, c.nf, n, outcomes,
                                      services), CPW_OK);
  for (i = 0; i < n; i++) {
    uint64_t mask = 0;
    int o = pt_eval(e, program, jsons[i], as_of);
    if (outcomes[i] != o)
      fail_msg("%s, record %zu %s: batch %s, one record %s", program, i, jsons[i],
               cpw_outcome_name(outcomes[i]), cpw_outcome_name(o));
    for (j = 0; j < cpw_decision_service_count(e->dec); j++)
      for (k = 0; k < cpw_program_service_count(pg); k++)
        if (strcmp(cpw_decision_service(e->dec, j), cpw_program_service(pg, k)) == 0)
          mask |= UINT64_C(1) << k;
    if (services[i] != mask)
      fail_msg("%s, record %zu %s: batch services %llx, one record %llx", program, i, jsons[i],
               (unsigned long long)services[i], (unsigned long long)mask);
  }
}

static void test_eligibility__batch_default_policy(void **state)
{
  static const char *const street[] = {
    "{\"birth_date\": \"2010-06-15\", \"street_situation\": true, \"city\": \"tbilisi\"}",
    "{\"birth_date\": \"2010-06-15\", \"street_situation\": true, \"city\": \"batumi\"}",
    "{\"birth_date\": \"2010-06-15\", \"street_situation\": true, \"city\": \"other\"}",
    "{\"birth_date\": \"2010-06-15\", \"street_situation\": true}",
    "{\"birth_date\": \"2010-06-16\", \"street_situation\": true, \"city\": \"rustavi\"}",
    "{\"birth_date\": \"2010-06-15\", \"street_situation\": false, \"city\": \"tbilisi\"}",
    "{\"street_situation\": true, \"city\": \"kutaisi\"}",
    "{\"birth_date\": \"2000-01-01\", \"city\": \"kutaisi\"}",
    "{}",
  };
  static const char *const tsa[] = {
    "{\"tsa_registered\": true, \"tsa_score\": 120000, \"birth_date\": \"2010-06-15\"}",
    "{\"tsa_registered\": true, \"tsa_score\": 120001, \"birth_date\": \"2010-06-15\"}",
    "{\"tsa_registered\": true, \"birth_date\": \"2010-06-15\"}",
    "{\"tsa_registered\": false}",
    "{\"tsa_registered\": true, \"tsa_score\": 5, \"birth_date\": \"2008-02-29\"}",
    "{\"tsa_registered\": true, \"tsa_score\": 5, \"birth_date\": \"2030-01-01\"}",
  };
  static const char *const violence[] = {
    "{\"violence_victim_status\": true}",
    "{\"alleged_violence_victim\": true}",
    "{\"violence_victim_status\": false, \"alleged_violence_victim\": true}",
    "{\"violence_victim_status\": false}",
  };
  static const char *const reintegration[] = {
    "{" RETURNED ", \"registration_date\": \"2021-03-01\", \"city\": \"tbilisi\"}",
    "{" RETURNED ", \"registration_date\": \"2021-03-02\", \"city\": \"tbilisi\"}",
    "{" RETURNED ", \"registration_date\": \"2021-03-01\"}",
    ("{\"citizenship\": \"stateless\", \"months_abroad_irregular\": 13, "
     "\"return_date\": \"2020-03-01\", \"registration_date\": \"2020-04-01\"}"),
  };
  pt_env e;
  size_t i;
  (void)state;
  pt_open_default(&e);
  batch_matches(&e, "street_children_services", street, 9, "2024-01-01");
  batch_matches(&e, "street_children_services", street, 9, "2028-06-15");
  batch_matches(&e, "tsa_child_benefit", tsa, 6, "2024-02-28");
  batch_matches(&e, "tsa_child_benefit", tsa, 6, "2024-02-29");
  batch_matches(&e, "tsa_child_benefit", tsa, 6, "2023-06-30");
  batch_matches(&e, "violence_victim_support", violence, 4, "2024-01-01");
  batch_matches(&e, "reintegration_assistance", reintegration, 4, "2024-01-01");
  for (i = 0; i < cpw_policy_program_count(e.pol); i++)
    batch_matches(&e, cpw_program_id(cpw_policy_program_at(e.pol, i)), street, 9, "2024-01-01");
  pt_close(&e);
}

static void test_eligibility__batch_columns(void **state)
{
  static const char P[] =
    "field n: int\n"
    "field s: text\n"
    "field b: bool\n"
    "field d: date\n"
    "field e: enum(x, y, z)\n"
    "field st: set of enum(x, y, z)\n"
    "program p \"P\" {\n"
    "  eligible when n > 10 and s != \"no\"\n"
    "  service big when n > 100\n"
    "  service named when s = \"yes\"\n"
    "  service flagged when b\n"
    "}\n"
    "program q \"Q\" { in force from 2030-01-01\n eligible when n > 0\n service any }\n"
    "program r \"R\" { eligible when 100 / n > 1 }\n"
    "program v \"V\" { eligible when b or e = x or d > 2000-01-01 or st contains y }\n";
  static int64_t n[200], bools[3] = { 0, 1, 2 }, enums[3] = { 0, 2, 3 }, sets[3] = { 0, 7, 8 };
  static int64_t dates[3] = { 0, CPW_DATE_MAX, CPW_DATE_MAX + 1 };
  static const char *texts[200];
  static uint8_t miss[200], outcomes[200];
  static uint64_t services[200];
  cpw_column cols[3];
  pt_env e;
  const cpw_program *p, *q, *r, *v;
  const cpw_error *err;
  size_t i;
  (void)state;
  pt_open(&e, P);
  p = pt_program(&e, "p");
  q = pt_program(&e, "q");
  r = pt_program(&e, "r");
  v = pt_program(&e, "v");
  /* 200 records: more than one chunk of 64 */
  for (i = 0; i < 200; i++) {
    n[i] = (int64_t)i;
    texts[i] = i % 3 == 0 ? "yes" : i % 3 == 1 ? "no" : NULL;
    miss[i] = i % 7 == 0;
  }
  cols[0].field = "n";
  cols[0].values = n;
  cols[0].texts = NULL;
  cols[0].missing = miss;
  cols[1].field = "s";
  cols[1].values = NULL;
  cols[1].texts = texts;
  cols[1].missing = NULL;
  assert_int_equal(cpw_evaluate_batch(e.ctx, p, pt_date("2024-01-01"), cols, 2, 200, outcomes,
                                      services), CPW_OK);
  for (i = 0; i < 200; i++) {
    int want;
    uint64_t svc = 0;
    if (i % 3 == 1 && i > 10 && i % 7 != 0)
      want = N; /* s is "no" */
    else if (i % 7 == 0)
      want = (i % 3 == 1) ? N : U; /* n missing; s = "no" still decides */
    else if (i <= 10)
      want = N;
    else if (i % 3 == 2)
      want = U; /* s missing */
    else
      want = E;
    if (want == E)
      svc = (i > 100 ? 1u : 0u) | 2u; /* big, named; flagged needs b (no column) */
    if (outcomes[i] != want || services[i] != svc)
      fail_msg("record %zu: outcome %d services %llx, expected %d and %llx", i, outcomes[i],
               (unsigned long long)services[i], want, (unsigned long long)svc);
  }
  /* services may be NULL */
  assert_int_equal(cpw_evaluate_batch(e.ctx, p, pt_date("2024-01-01"), cols, 2, 200, outcomes,
                                      NULL), CPW_OK);
  /* a programme not in force: every record not eligible, no services */
  assert_int_equal(cpw_evaluate_batch(e.ctx, q, pt_date("2024-01-01"), cols, 1, 200, outcomes,
                                      services), CPW_OK);
  for (i = 0; i < 200; i++)
    assert_true(outcomes[i] == N && services[i] == 0);
  /* evaluation errors are per record */
  assert_int_equal(cpw_evaluate_batch(e.ctx, r, pt_date("2024-01-01"), cols, 1, 3, outcomes,
                                      services), CPW_OK);
  assert_int_equal(outcomes[0], U); /* n missing (record 0 is marked) */
  assert_int_equal(outcomes[1], E);
  assert_int_equal(outcomes[2], E);
  miss[0] = 0;
  assert_int_equal(cpw_evaluate_batch(e.ctx, r, pt_date("2024-01-01"), cols, 1, 3, outcomes,
                                      services), CPW_OK);
  assert_int_equal(outcomes[0], X); /* 100 / 0 */
  miss[0] = 1;
  /* no records, no columns */
  assert_int_equal(cpw_evaluate_batch(e.ctx, p, pt_date("2024-01-01"), cols, 2, 0, NULL, NULL),
                   CPW_OK);
  assert_int_equal(cpw_evaluate_batch(e.ctx, p, pt_date("2024-01-01"), NULL, 0, 3, outcomes,
                                      services), CPW_OK);
  assert_true(outcomes[0] == U && outcomes[1] == U && outcomes[2] == U);

  /* column validation: the message names the column and the record; a column the programme
   * does not read is not checked */
  cols[2].field = "e";
  cols[2].values = enums;
  cols[2].texts = NULL;
  cols[2].missing = NULL;
  assert_int_equal(cpw_evaluate_batch(e.ctx, p, 0, &cols[2], 1, 3, outcomes, services), CPW_OK);
  cols[2].field = "b";
  cols[2].values = bools;
  cols[2].texts = NULL;
  cols[2].missing = NULL;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services),
                   CPW_EINVALID);
  err = cpw_ctx_last_error(e.ctx);
  assert_string_equal(err->message, "column 'b', record 2: value out of range for a bool field");
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 2, outcomes, services), CPW_OK);
  cols[2].field = "e";
  cols[2].values = enums;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "column 'e', record 2: value out of range for an enum field");
  cols[2].field = "st";
  cols[2].values = sets;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "column 'st', record 2: value out of range for a set field");
  cols[2].field = "d";
  cols[2].values = dates;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message,
                      "column 'd', record 2: value out of range for a date field");
  miss[2] = 1; /* a missing value is not checked */
  cols[2].missing = miss;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services), CPW_OK);
  miss[2] = 0;
  cols[2].field = "nope";
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, cols, 3, 3, outcomes, services),
                   CPW_ENOTFOUND);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "unknown field 'nope' (column 2)");
  cols[2].field = NULL;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, cols, 3, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "column 2 has no field name");
  cols[2].field = "n";
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, cols, 3, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "field 'n' has two columns");
  cols[2].field = "s";
  cols[2].texts = NULL;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "column 's' is a text field: give "
                                                          "texts");
  cols[2].field = "n";
  cols[2].values = NULL;
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, &cols[2], 1, 3, outcomes, services),
                   CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(e.ctx)->message, "column 'n' has no values");
  /* bad arguments */
  assert_int_equal(cpw_evaluate_batch(NULL, p, 0, cols, 1, 3, outcomes, services), CPW_EINVALID);
  assert_int_equal(cpw_evaluate_batch(e.ctx, NULL, 0, cols, 1, 3, outcomes, services),
                   CPW_EINVALID);
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, NULL, 1, 3, outcomes, services), CPW_EINVALID);
  assert_int_equal(cpw_evaluate_batch(e.ctx, v, 0, cols, 1, 3, NULL, services), CPW_EINVALID);
  assert_int_equal(cpw_evaluate_batch(e.ctx, p, CPW_DATE_MIN - 1, cols, 1, 3, outcomes, services),
                   CPW_EINVALID);
  pt_close(&e);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_eligibility__three_valued_logic),
    cmocka_unit_test(test_eligibility__fast_after_full),
    cmocka_unit_test(test_eligibility__graph_marks),
    cmocka_unit_test(test_eligibility__record_setters),
    cmocka_unit_test(test_eligibility__record_set_string),
    cmocka_unit_test(test_eligibility__record_set_json),
    cmocka_unit_test(test_eligibility__record_set_json_atomic),
    cmocka_unit_test(test_eligibility__decisions),
    cmocka_unit_test(test_eligibility__evaluation_errors),
    cmocka_unit_test(test_eligibility__reintegration_assistance),
    cmocka_unit_test(test_eligibility__trafficking),
    cmocka_unit_test(test_eligibility__street_children_services),
    cmocka_unit_test(test_eligibility__violence_victim_support),
    cmocka_unit_test(test_eligibility__specialised_family_home),
    cmocka_unit_test(test_eligibility__integration_centre),
    cmocka_unit_test(test_eligibility__barnahus),
    cmocka_unit_test(test_eligibility__tsa_child_benefit),
    cmocka_unit_test(test_eligibility__born_on_29_february),
    cmocka_unit_test(test_eligibility__batch_default_policy),
    cmocka_unit_test(test_eligibility__batch_columns),
  };
  return cmocka_run_group_tests_name("eligibility", tests, NULL, NULL);
}
