/* SPDX-License-Identifier: Apache-2.0 */
/* The one formula runner seen from its engines: the same formula as an eligibility rule (one
 * record fast, one record explained) and as a workflow guard gives the same answer, and the
 * answer is the three-valued logic of the language (docs/policy-language.md: a missing field is
 * unknown; `false and unknown` is false, `true or unknown` is true), computed here by an
 * oracle written in C.
 *
 * Each formula G is the rule of programme p and the guard of two transitions of workflow w:
 * `on go: s0 -> yes when G` and `on go: s0 -> no when not (G)`. True: eligible, and the case
 * moves to yes; false: not eligible, and it moves to no; unknown: undetermined, and the event
 * is refused (CPW_REFUSED_GUARD: an undetermined guard stops the search). Every formula meets
 * every combination of a in {missing, 0, 3, 7, 12}, b in {missing, 1, 5}, e in {missing, x,
 * y, z} and f in {missing, no, yes}. The shapes are those the VM runs differently: one test,
 * ranges, sets, lists of `and` and `or` in every nesting, `not` of a list, arithmetic.
 * Public API only. */
#include "cmocka_all.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

/* three-valued: -1 unknown, 0 false, 1 true */
typedef struct vals {
  int has_a, has_b, has_e, has_f;
  int a, b, f;
  char e; /* 'x', 'y' or 'z' */
} vals;

static int and3(int x, int y)
{
  if (x == 0 || y == 0)
    return 0;
  return x == 1 && y == 1 ? 1 : -1;
}

static int or3(int x, int y)
{
  if (x == 1 || y == 1)
    return 1;
  return x == 0 && y == 0 ? 0 : -1;
}

static int not3(int x)
{
  return x < 0 ? -1 : !x;
}

/* a comparison of known values, else unknown */
#define K(known, cond) ((known) ? ((cond) ? 1 : 0) : -1)

static int g01(const vals *v) { return K(v->has_a, v->a < 5); }
static int g02(const vals *v) { return K(v->has_a, v->a >= 1 && v->a <= 9); }
static int g03(const vals *v) { return K(v->has_e, v->e == 'x' || v->e == 'y'); }
static int g04(const vals *v) { return K(v->has_f, v->f); }
static int g05(const vals *v) { return not3(g04(v)); }
static int g06(const vals *v) { return and3(g01(v), K(v->has_b, v->b > 2)); }
static int g07(const vals *v) { return or3(g01(v), K(v->has_b, v->b > 2)); }
static int g08(const vals *v)
{
  return and3(g06(v), or3(K(v->has_e, v->e == 'x'), g04(v)));
}
static int g09(const vals *v) { return and3(g07(v), K(v->has_e, v->e == 'x')); }
static int g10(const vals *v)
{
  return and3(and3(g01(v), or3(K(v->has_b, v->b > 2), g04(v))),
              K(v->has_e, v->e == 'x' || v->e == 'z'));
}
static int g11(const vals *v) { return not3(g06(v)); }
static int g12(const vals *v) { return K(v->has_a && v->has_b, v->a + v->b > 7); }
static int g13(const vals *v)
{
  return or3(g07(v), and3(K(v->has_e, v->e == 'y'), g04(v)));
}
static int g14(const vals *v)
{
  return or3(g06(v), and3(K(v->has_e, v->e == 'z'), g05(v)));
}
static int g15(const vals *v)
{
  return and3(K(v->has_a, v->a >= 3), K(v->has_a && v->has_b, v->a + v->b < 10));
}
static int g16(const vals *v)
{
  return and3(K(v->has_e, v->e != 'z'),
              or3(or3(K(v->has_a, v->a == 3), K(v->has_a, v->a == 7)), K(v->has_b, v->b == 5)));
}
static int g17(const vals *v)
{
  return and3(g04(v), or3(K(v->has_a, v->a > 100), K(v->has_b, v->b >= 0 && v->b <= 1)));
}
static int g18(const vals *v)
{
  return and3(or3(K(v->has_a, v->a >= 0 && v->a <= 4), K(v->has_a, v->a >= 6 && v->a <= 12)),
              not3(K(v->has_e, v->e == 'y')));
}
static int g19(const vals *v)
{
  return or3(K(v->has_a && v->has_b, v->a * 2 > v->b), and3(g04(v), K(v->has_e, v->e == 'x')));
}
static int g20(const vals *v) { return K(v->has_b, v->b != 1); }
static int g21(const vals *v)
{
  return or3(and3(g01(v), g04(v)), and3(K(v->has_b, v->b == 5), K(v->has_e, v->e == 'z')));
}
static int g22(const vals *v)
{
  return and3(and3(g03(v), g20(v)), or3(g05(v), K(v->has_a, v->a > 10)));
}

static const struct {
  const char *text;
  int (*oracle)(const vals *v);
} formulas[] = {
  { "a < 5", g01 },
  { "a between 1 and 9", g02 },
  { "e in {x, y}", g03 },
  { "f", g04 },
  { "not f", g05 },
  { "a < 5 and b > 2", g06 },
  { "a < 5 or b > 2", g07 },
  { "a < 5 and b > 2 and (e = x or f)", g08 },
  { "(a < 5 or b > 2) and e = x", g09 },
  { "a < 5 and (b > 2 or f) and e in {x, z}", g10 },
  { "not (a < 5 and b > 2)", g11 },
  { "a + b > 7", g12 },
  { "a < 5 or b > 2 or (e = y and f)", g13 },
  { "(a < 5 and b > 2) or (e = z and not f)", g14 },
  { "a >= 3 and a + b < 10", g15 },
  { "e != z and (a = 3 or a = 7 or b = 5)", g16 },
  { "f and (a > 100 or b between 0 and 1)", g17 },
  { "(a between 0 and 4 or a between 6 and 12) and not (e in {y})", g18 },
  { "a * 2 > b or (f and e = x)", g19 },
  { "b != 1", g20 },
  { "(a < 5 and f) or (b = 5 and e = z)", g21 },
  { "e in {x, y} and b != 1 and (not f or a > 10)", g22 },
};

static const char policy_format[] =
  "policy runner \"the formula runner\" version \"1\"\n"
  "timezone \"+04:00\"\n"
  "field a: int\n"
  "field b: int\n"
  "field e: enum(x, y, z)\n"
  "field f: bool\n"
  "program p \"P\" { eligible when %s }\n"
  "workflow w \"W\" {\n"
  "  roles r\n"
  "  field a: int\n"
  "  field b: int\n"
  "  field e: enum(x, y, z)\n"
  "  field f: bool\n"
  "  state s0 initial\n"
  "  state yes final\n"
  "  state no final\n"
  "  event go\n"
  "  on go: s0 -> yes when %s\n"
  "  on go: s0 -> no when not (%s)\n"
  "}\n";

static const int a_vals[] = { -1, 0, 3, 7, 12 };
static const int b_vals[] = { -1, 1, 5 };
static const char e_vals[] = { 0, 'x', 'y', 'z' };
static const int f_vals[] = { -1, 0, 1 };

static void check_formula(cpw_ctx *ctx, size_t g)
{
  char text[2048], num[4][16], id[32];
  cpw_policy *pol = NULL;
  cpw_caseload *cl = NULL;
  cpw_record *rec = NULL;
  cpw_decision *fast = NULL, *explained = NULL;
  const cpw_program *prog;
  size_t ia, ib, ie, i_f;
  const cpw_time t0 = (cpw_time)1772427600; /* 2026-03-02T09:00:00+04:00 */
  cpw_date day;
  size_t seen[3] = { 0, 0, 0 }; /* unknown, false, true */
  int n = snprintf(text, sizeof text, policy_format, formulas[g].text, formulas[g].text,
                   formulas[g].text);
  assert_true(n > 0 && (size_t)n < sizeof text);
  if (cpw_policy_from_string(&pol, ctx, "runner.cpw", text, (size_t)n) != CPW_OK) {
    fprintf(stderr, "formula %s: %s\n", formulas[g].text, cpw_ctx_last_error(ctx)->message);
    fail();
  }
  assert_int_equal(cpw_date_from_ymd(&day, 2026, 3, 2), CPW_OK);
  prog = cpw_policy_program(pol, "p");
  assert_non_null(prog);
  assert_int_equal(cpw_caseload_new(&cl, ctx, pol), CPW_OK);
  assert_int_equal(cpw_record_new(&rec, ctx, pol), CPW_OK);
  assert_int_equal(cpw_decision_new(&fast, ctx), CPW_OK);
  assert_int_equal(cpw_decision_new(&explained, ctx), CPW_OK);
  for (ia = 0; ia < 5; ia++)
    for (ib = 0; ib < 3; ib++)
      for (ie = 0; ie < 4; ie++)
        for (i_f = 0; i_f < 3; i_f++) {
          vals v;
          cpw_field_value fv[4];
          size_t nf = 0;
          cpw_case *c = NULL;
          int want, outcome, rc;
          memset(&v, 0, sizeof v);
          cpw_record_clear(rec);
          if (a_vals[ia] >= 0) {
            v.has_a = 1;
            v.a = a_vals[ia];
            snprintf(num[0], sizeof num[0], "%d", v.a);
            fv[nf].field = "a";
            fv[nf++].value = num[0];
            assert_int_equal(cpw_record_set_int(rec, "a", v.a), CPW_OK);
          }
          if (b_vals[ib] >= 0) {
            v.has_b = 1;
            v.b = b_vals[ib];
            snprintf(num[1], sizeof num[1], "%d", v.b);
            fv[nf].field = "b";
            fv[nf++].value = num[1];
            assert_int_equal(cpw_record_set_int(rec, "b", v.b), CPW_OK);
          }
          if (e_vals[ie] != 0) {
            v.has_e = 1;
            v.e = e_vals[ie];
            num[2][0] = v.e;
            num[2][1] = '\0';
            fv[nf].field = "e";
            fv[nf++].value = num[2];
            assert_int_equal(cpw_record_set_enum(rec, "e", num[2]), CPW_OK);
          }
          if (f_vals[i_f] >= 0) {
            v.has_f = 1;
            v.f = f_vals[i_f];
            fv[nf].field = "f";
            fv[nf++].value = v.f ? "yes" : "no";
            assert_int_equal(cpw_record_set_bool(rec, "f", v.f), CPW_OK);
          }
          want = formulas[g].oracle(&v);

          /* eligibility, fast and explained */
          assert_int_equal(cpw_evaluate(fast, prog, rec, day, 0),
                           CPW_OK);
          assert_int_equal(cpw_evaluate(explained, prog, rec, day,
                                        CPW_EVAL_EXPLAIN),
                           CPW_OK);
          outcome = cpw_decision_outcome(fast);
          if (outcome != (want == 1 ? CPW_ELIGIBLE
                          : want == 0 ? CPW_NOT_ELIGIBLE
                                      : CPW_UNDETERMINED) ||
              cpw_decision_outcome(explained) != outcome) {
            fprintf(stderr, "formula %s, a=%d b=%d e=%c f=%d: want %d, evaluate %s, explained "
                            "%s\n",
                    formulas[g].text, a_vals[ia], b_vals[ib], e_vals[ie] ? e_vals[ie] : '-',
                    f_vals[i_f], want, cpw_outcome_name(outcome),
                    cpw_outcome_name(cpw_decision_outcome(explained)));
            fail();
          }

          /* the workflow's guards */
          snprintf(id, sizeof id, "c%zu-%zu-%zu-%zu", ia, ib, ie, i_f);
          assert_int_equal(cpw_caseload_open(cl, &c, id, "w", fv, nf, t0, "u1", "r"), CPW_OK);
          rc = cpw_case_apply(c, "go", "u1", "r", t0 + 60, NULL, 0);
          if (want < 0 ? !(rc == CPW_EDENIED && cpw_case_refusal(c) == CPW_REFUSED_GUARD &&
                           strcmp(cpw_case_state(c), "s0") == 0)
                       : !(rc == CPW_OK &&
                           strcmp(cpw_case_state(c), want ? "yes" : "no") == 0)) {
            fprintf(stderr, "formula %s, a=%d b=%d e=%c f=%d: want %d, the case went to %s "
                            "(rc %d)\n",
                    formulas[g].text, a_vals[ia], b_vals[ib], e_vals[ie] ? e_vals[ie] : '-',
                    f_vals[i_f], want, cpw_case_state(c), rc);
            fail();
          }
          seen[want + 1]++;
        }
  /* the values chosen meet each formula true, false and unknown */
  if (seen[0] == 0 || seen[1] == 0 || seen[2] == 0) {
    fprintf(stderr, "formula %s: %zu unknown, %zu false, %zu true\n", formulas[g].text,
            seen[0], seen[1], seen[2]);
    fail();
  }
  cpw_decision_free(explained);
  cpw_decision_free(fast);
  cpw_record_free(rec);
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
}

static void test_formula_runner__engines_agree_with_the_logic(void **state)
{
  cpw_ctx *ctx = NULL;
  size_t g;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  for (g = 0; g < sizeof formulas / sizeof formulas[0]; g++)
    check_formula(ctx, g);
  cpw_ctx_free(ctx);
}

/* cpw_evaluate_batch refuses a value out of its field's range in a column the programme reads
 * (CPW_EINVALID, naming the record), wherever it sits in a chunk of 64, unless the record's
 * value is marked missing; the chunks checked first for "nothing out of range" must not let one
 * through: codes just past the range, negative, and 2^32 + k (whose low half is in range). */
static void test_formula_runner__batch_values_out_of_range(void **state)
{
  static const char text[] = "field e: enum(x, y, z)\n"
                             "field set_of: set of enum(p, q)\n"
                             "field flag: bool\n"
                             "program p \"P\" { eligible when e in {x, y} and not flag and "
                             "set_of contains q }\n";
  static const int64_t bad_e[] = { 3, 4, -1, INT64_MIN, INT64_MAX, (int64_t)1 << 32,
                                   ((int64_t)1 << 32) + 1, 0xffffffff, 0x7fffffff };
  static const size_t where[] = { 0, 1, 7, 8, 63, 64, 100, 127, 128, 129 };
  enum { NR = 130 };
  int64_t e[NR], sets[NR], flags[NR];
  uint8_t missing[NR], outcomes[NR];
  cpw_column col[3];
  cpw_ctx *ctx = NULL;
  cpw_policy *pol = NULL;
  const cpw_program *prog;
  size_t i, b, w, k;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "batch.cpw", text, sizeof text - 1), CPW_OK);
  prog = cpw_policy_program(pol, "p");
  assert_non_null(prog);
  memset(col, 0, sizeof col);
  col[0].field = "e";
  col[0].values = e;
  col[0].missing = missing;
  col[1].field = "set_of";
  col[1].values = sets;
  col[2].field = "flag";
  col[2].values = flags;
  for (b = 0; b < sizeof bad_e / sizeof bad_e[0]; b++)
    for (w = 0; w < sizeof where / sizeof where[0]; w++)
      for (k = 0; k < 2; k++) {
        char expect[64];
        for (i = 0; i < NR; i++) {
          e[i] = (int64_t)(i % 3);
          sets[i] = (int64_t)(i % 4); /* no member, p, q, both */
          flags[i] = (int64_t)(i % 5 == 0);
          missing[i] = (uint8_t)(i % 11 == 0 && i != where[w]);
        }
        e[where[w]] = bad_e[b];
        missing[where[w]] = (uint8_t)k;
        if (k == 1) { /* missing: its value is never looked at */
          assert_int_equal(cpw_evaluate_batch(ctx, prog, 0, col, 3, NR, outcomes, NULL), CPW_OK);
          for (i = 0; i < NR; i++) {
            int want = missing[i]   ? (flags[i] || !(sets[i] & 2) ? CPW_NOT_ELIGIBLE
                                                                  : CPW_UNDETERMINED)
                       : e[i] != 2 && !flags[i] && (sets[i] & 2) ? CPW_ELIGIBLE
                                                                 : CPW_NOT_ELIGIBLE;
            assert_int_equal(outcomes[i], want);
          }
          continue;
        }
        assert_int_equal(cpw_evaluate_batch(ctx, prog, 0, col, 3, NR, outcomes, NULL),
                         CPW_EINVALID);
        snprintf(expect, sizeof expect, "record %zu:", where[w]);
        if (strstr(cpw_ctx_last_error(ctx)->message, expect) == NULL) {
          fprintf(stderr, "value %lld at %zu: %s\n", (long long)bad_e[b], where[w],
                  cpw_ctx_last_error(ctx)->message);
          fail();
        }
      }
  /* a set column's value with a bit past its members, and a bool of 2 */
  for (i = 0; i < NR; i++) {
    e[i] = 0;
    sets[i] = 2;
    flags[i] = 0;
    missing[i] = 0;
  }
  sets[77] = 4;
  assert_int_equal(cpw_evaluate_batch(ctx, prog, 0, col, 3, NR, outcomes, NULL), CPW_EINVALID);
  sets[77] = 2;
  flags[64] = 2;
  assert_int_equal(cpw_evaluate_batch(ctx, prog, 0, col, 3, NR, outcomes, NULL), CPW_EINVALID);
  flags[64] = 0;
  assert_int_equal(cpw_evaluate_batch(ctx, prog, 0, col, 3, NR, outcomes, NULL), CPW_OK);
  for (i = 0; i < NR; i++)
    assert_int_equal(outcomes[i], CPW_ELIGIBLE);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

/* Updates and guards over a sequence of events on two cases in turn: a guard sees the values
 * the case has after the updates accepted before it, a field an update leaves unknown stays
 * unknown, and an event refused after its updates ran (an overflow) or for its guard leaves
 * nothing behind for the next one; cpw_case_allowed_events between them changes nothing. */
static const char update_text[] =
  "workflow u \"U\" {\n"
  "  roles r\n"
  "  field n: int = 0\n"
  "  field m: int\n"
  "  field k: int\n"
  "  state s0 initial\n"
  "  state s1\n"
  "  state low\n"
  "  state done final\n"
  "  event inc\n"
  "  event setk carries k\n"
  "  event check\n"
  "  event fin\n"
  "  event probe\n"
  "  on inc: s0 set n = n + 1, m = n + k\n"
  "  on setk: s0\n"
  "  on check: s0 -> s1 when n >= 2 and m > 3\n"
  "  on fin: s1 -> done when m != 100 and k = 5\n"
  "  on probe: s0 -> low when m <= 3\n"
  "  on fin: low -> done\n"
  "}\n";

static int allowed(const cpw_case *c, const char *event)
{
  const char *names[8];
  size_t n = cpw_case_allowed_events(c, "r", names, 8), i;
  for (i = 0; i < n && i < 8; i++)
    if (strcmp(names[i], event) == 0)
      return 1;
  return 0;
}

static int64_t field(const cpw_case *c, const char *name, int *set)
{
  int64_t v = 0;
  int rc = cpw_case_get(c, name, &v);
  assert_true(rc == 0 || rc == 1);
  *set = rc;
  return v;
}

static void test_formula_runner__updates_then_guards(void **state)
{
  cpw_ctx *ctx = NULL;
  cpw_policy *pol = NULL;
  cpw_caseload *cl = NULL;
  cpw_case *a = NULL, *b = NULL;
  cpw_field_value big = { "n", "9223372036854775807" }, k5 = { "k", "5" };
  cpw_time t = (cpw_time)1772427600;
  int set;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "u.cpw", update_text,
                                          sizeof update_text - 1), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, ctx, pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &a, "a", "u", NULL, 0, t, "u1", "r"), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &b, "b", "u", &big, 1, t, "u1", "r"), CPW_OK);

  /* a: n 1, m = n + k unknown (k missing) */
  assert_int_equal(cpw_case_apply(a, "inc", "u1", "r", t += 60, NULL, 0), CPW_OK);
  assert_int_equal(field(a, "n", &set), 1);
  assert_int_equal(set, 1);
  (void)field(a, "m", &set);
  assert_int_equal(set, 0);
  /* b: n + 1 overflows: refused after nothing is kept, n as it was */
  assert_int_equal(cpw_case_apply(b, "inc", "u1", "r", t += 60, NULL, 0), CPW_EINVALID);
  assert_int_equal(field(b, "n", &set), INT64_MAX);
  (void)field(b, "m", &set);
  assert_int_equal(set, 0);
  assert_int_equal(cpw_case_event_count(b), 1);
  /* b: n >= 2 holds, m is missing: listed as allowed (the guard is not false), but refused
   * as undetermined */
  assert_true(allowed(b, "check"));
  assert_int_equal(cpw_case_apply(b, "check", "u1", "r", t += 60, NULL, 0), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(b), CPW_REFUSED_GUARD);
  /* a: n 1 fails the guard */
  assert_true(allowed(a, "inc"));
  assert_false(allowed(a, "check"));
  assert_int_equal(cpw_case_apply(a, "check", "u1", "r", t += 60, NULL, 0), CPW_EDENIED);
  assert_string_equal(cpw_case_state(a), "s0");
  /* a: k 5, then n 2 and m = 2 + 5 (an update sees the ones before it) */
  assert_int_equal(cpw_case_apply(a, "setk", "u1", "r", t += 60, &k5, 1), CPW_OK);
  assert_int_equal(cpw_case_apply(b, "setk", "u1", "r", t += 60, &k5, 1), CPW_OK);
  assert_int_equal(cpw_case_apply(a, "inc", "u1", "r", t += 60, NULL, 0), CPW_OK);
  assert_int_equal(field(a, "n", &set), 2);
  assert_int_equal(field(a, "m", &set), 7);
  assert_int_equal(set, 1);
  /* b right after a's update made m known: b's m is still missing, so its probe is
   * undetermined (a guard that saw a's known bits would find b's m, 0, at most 3) */
  assert_int_equal(cpw_case_apply(b, "probe", "u1", "r", t += 60, NULL, 0), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(b), CPW_REFUSED_GUARD);
  assert_string_equal(cpw_case_state(b), "s0");
  /* b: still refused on its overflow, and m still missing after it */
  assert_int_equal(cpw_case_apply(b, "inc", "u1", "r", t += 60, NULL, 0), CPW_EINVALID);
  (void)field(b, "m", &set);
  assert_int_equal(set, 0);
  assert_true(allowed(b, "check"));
  assert_int_equal(cpw_case_apply(b, "check", "u1", "r", t += 60, NULL, 0), CPW_EDENIED);
  /* a: the guard holds now, and then the last one */
  assert_true(allowed(a, "check"));
  assert_int_equal(cpw_case_apply(a, "check", "u1", "r", t += 60, NULL, 0), CPW_OK);
  assert_string_equal(cpw_case_state(a), "s1");
  assert_true(allowed(a, "fin"));
  assert_int_equal(cpw_case_apply(a, "fin", "u1", "r", t += 60, NULL, 0), CPW_OK);
  assert_string_equal(cpw_case_state(a), "done");
  assert_int_equal(cpw_case_event_count(a), 6);
  assert_string_equal(cpw_case_state(b), "s0");
  assert_int_equal(cpw_case_event_count(b), 2);
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_formula_runner__engines_agree_with_the_logic),
    cmocka_unit_test(test_formula_runner__batch_values_out_of_range),
    cmocka_unit_test(test_formula_runner__updates_then_guards),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
