/* SPDX-License-Identifier: Apache-2.0 */
/* The batch's range tests on 32-bit lanes (lib/policy/vm.c, range32 and range_bits32): a chunk
 * of 64 records whose values fit int32 runs each range test on 32-bit lanes, translated from
 * its 64-bit bounds; a chunk holding a value that does not fit, and the last chunk of fewer
 * than 64 records, run on 64 bits. Constants at and past the int32 bounds, values at them,
 * chunks that fit and chunks that do not (a value just past int32, or garbage in a missing
 * lane), all compared record by record with cpw_evaluate (one lane, never narrowed); a chunk
 * of nonnegative values, whose check that they fit int32 is one or, with one value past int32
 * in any lane; and the chunk's check of the values of checked fields, which finds a bad value
 * in any lane. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define NREC (64 * 7 + 23) /* seven full chunks and a tail */

static const char policy_text[] =
  "policy narrow \"32-bit lanes\" version \"1\"\n"
  "field x: int\n"
  "field y: int\n"
  "field m: money\n"
  "field b: bool\n"
  "field e: enum(e0, e1, e2, e3)\n"
  /* an interval inside int32, one clamped at either end, one past it */
  "program p01 \"\" { eligible when x between -3 and 5 }\n"
  "program p02 \"\" { eligible when x between -3000000000 and 3000000000 }\n"
  "program p03 \"\" { eligible when x >= -2147483648 }\n"
  "program p04 \"\" { eligible when x <= 2147483647 }\n"
  "program p05 \"\" { eligible when x > 2147483647 }\n"
  "program p06 \"\" { eligible when x < -2147483648 }\n"
  "program p07 \"\" { eligible when x > 3000000000 }\n"
  "program p08 \"\" { eligible when x = 3000000000 }\n"
  "program p09 \"\" { eligible when x between 2147483647 and 2147483648 }\n"
  "program p10 \"\" { eligible when x between -2147483649 and -2147483648 }\n"
  "program p11 \"\" { eligible when x < 0 }\n"
  "program p12 \"\" { eligible when x >= 7 }\n"
  "program p13 \"\" { eligible when x = 5 }\n"
  /* everything but a hole: inside int32, past it, covering it, at its ends */
  "program p14 \"\" { eligible when x != 5 }\n"
  "program p15 \"\" { eligible when x != 3000000000 }\n"
  "program p16 \"\" { eligible when not (x between 3 and 6) }\n"
  "program p17 \"\" { eligible when not (x between -3000000000 and 3000000000) }\n"
  "program p18 \"\" { eligible when not (x between -2147483648 and 2147483647) }\n"
  "program p19 \"\" { eligible when not (x between -2147483647 and 2147483646) }\n"
  "program p20 \"\" { eligible when not (x between -2147483648 and 0) }\n"
  "program p21 \"\" { eligible when not (x between 0 and 2147483647) }\n"
  "program p22 \"\" { eligible when x != -2147483648 }\n"
  /* lists of several tests, checked fields (bool, enum) beside unchecked ones */
  "program p23 \"\" { eligible when x < 0 and y >= 2 }\n"
  "program p24 \"\" { eligible when x < -2147483647 or y > 2147483646 or b }\n"
  "program p25 \"\" { eligible when e in {e1, e2} and b and m > 1 GEL }\n"
  "program p26 \"\" { eligible when (x > 1 or e = e3) and not (y between -1 and 1) }\n"
  "field c: enum(c0, c1, c2)\n"
  "field d: date\n"
  "program p27 \"\" { eligible when c = c1 and d > 2000-01-01 and b }\n";

/* values at the int32 bounds and small ones; past the bounds for chunks that do not fit */
static const int64_t in32[] = {
  INT32_MIN, INT32_MIN + 1, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, INT32_MAX - 1, INT32_MAX,
};
static const int64_t past32[] = {
  (int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1, INT64_C(3000000000), INT64_C(-3000000000),
  INT64_MAX, INT64_MIN,
};

static uint64_t next(uint64_t *rng)
{
  *rng ^= *rng >> 12;
  *rng ^= *rng << 25;
  *rng ^= *rng >> 27;
  return *rng * UINT64_C(2685821657736338717);
}

typedef struct narrow_case {
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record *recs[NREC];
  int64_t vals[5][NREC];
  uint8_t miss[5][NREC];
  cpw_column cols[5];
} narrow_case;

/* Chunk c's kind: 0 every value fits int32 (missing lanes hold small garbage), 1 one value of
 * x or y past int32, 2 garbage past int32 in missing lanes only, 3 random (mostly past). */
static void make(narrow_case *nc, uint64_t seed)
{
  static const char *const names[5] = { "x", "y", "m", "b", "e" };
  uint64_t rng = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
  size_t i, j;
  for (i = 0; i < NREC; i++) {
    int kind = (int)((i / 64 + seed) % 4);
    size_t past_at = (size_t)(next(&rng) % 64);
    if (nc->recs[i] == NULL)
      assert_int_equal(cpw_record_new(&nc->recs[i], nc->ctx, nc->pol), CPW_OK);
    cpw_record_clear(nc->recs[i]);
    for (j = 0; j < 5; j++) {
      int64_t v;
      int missing = next(&rng) % 8 == 0;
      if (j >= 3) /* b, e */
        v = (int64_t)(next(&rng) % (j == 3 ? 2 : 4));
      else if (kind == 3 && next(&rng) % 2 == 0)
        v = past32[next(&rng) % (sizeof past32 / sizeof past32[0])];
      else if (kind == 1 && j < 2 && i % 64 == past_at)
        v = past32[next(&rng) % 2];
      else
        v = in32[next(&rng) % (sizeof in32 / sizeof in32[0])];
      nc->miss[j][i] = (uint8_t)missing;
      if (missing) {
        nc->vals[j][i] = kind == 2 ? (int64_t)next(&rng) : (int64_t)(next(&rng) % 7);
        continue;
      }
      nc->vals[j][i] = v;
      switch (j) {
      case 0: case 1:
        assert_int_equal(cpw_record_set_int(nc->recs[i], names[j], v), CPW_OK);
        break;
      case 2:
        assert_int_equal(cpw_record_set_money(nc->recs[i], names[j], v), CPW_OK);
        break;
      case 3:
        assert_int_equal(cpw_record_set_bool(nc->recs[i], names[j], (int)v), CPW_OK);
        break;
      default:
        assert_int_equal(cpw_record_set_enum(nc->recs[i], names[j],
                                             cpw_policy_field_value(nc->pol, 4, (size_t)v)),
                         CPW_OK);
        break;
      }
    }
  }
  for (j = 0; j < 5; j++) {
    nc->cols[j].field = names[j];
    nc->cols[j].values = nc->vals[j];
    nc->cols[j].missing = nc->miss[j];
  }
}

static void test_batch_narrow__matches_one_record(void **state)
{
  static narrow_case nc;
  uint8_t out[NREC];
  cpw_decision *d;
  uint64_t seed;
  size_t p, i;
  long eligible = 0, not_eligible = 0;
  (void)state;
  memset(&nc, 0, sizeof nc);
  assert_int_equal(cpw_ctx_new(&nc.ctx, NULL), CPW_OK);
  if (cpw_policy_from_string(&nc.pol, nc.ctx, "narrow.cpw", policy_text, strlen(policy_text)) !=
      CPW_OK)
    fail_msg("policy: line %d: %s", cpw_ctx_last_error(nc.ctx)->line,
             cpw_ctx_last_error(nc.ctx)->message);
  assert_int_equal(cpw_decision_new(&d, nc.ctx), CPW_OK);
  for (seed = 1; seed <= 12; seed++) {
    make(&nc, seed);
    for (p = 0; p < cpw_policy_program_count(nc.pol); p++) {
      const cpw_program *pg = cpw_policy_program_at(nc.pol, p);
      /* all records (full chunks and the tail), and the first 64 only (no tail) */
      size_t n = seed % 3 == 0 ? 64 : NREC;
      assert_int_equal(cpw_evaluate_batch(nc.ctx, pg, 19000, nc.cols, 5, n, out, NULL), CPW_OK);
      for (i = 0; i < n; i++) {
        int want;
        assert_int_equal(cpw_evaluate(d, pg, nc.recs[i], 19000, 0), CPW_OK);
        want = cpw_decision_outcome(d);
        if (out[i] != want)
          fail_msg("seed %d, programme %s, record %d (chunk kind %d): batch %d, one record %d",
                   (int)seed, cpw_program_id(pg), (int)i, (int)((i / 64 + seed) % 4), out[i],
                   want);
        eligible += want == CPW_ELIGIBLE;
        not_eligible += want == CPW_NOT_ELIGIBLE;
      }
    }
  }
  assert_true(eligible > 1000);
  assert_true(not_eligible > 1000);
  cpw_decision_free(d);
  for (i = 0; i < NREC; i++)
    cpw_record_free(nc.recs[i]);
  cpw_policy_free(nc.pol);
  cpw_ctx_free(nc.ctx);
}

/* A value out of range in any lane of a full chunk or of the tail is an error naming it (the
 * chunk's quick check looks at two lanes an operation: an or for bools and enums of 2^k
 * members, an addition for other enums and dates), unless its lane is missing. */
static void test_batch_narrow__bad_value_in_any_lane(void **state)
{
  enum { N = 64 * 2 + 5, NBAD = 5 };
  static int64_t e[N], b[N], m[N], c[N], d[N];
  static uint8_t miss[N];
  static const struct {
    const char *field;
    int64_t *col;
    int64_t bad[NBAD];
  } cases[] = {
    { "e", e, { 4, -1, INT64_C(0x100000000), INT64_C(0xffffffff), INT64_MIN } },
    { "b", b, { 2, -1, INT64_C(0x100000001), INT64_MAX, 3 } },
    { "c", c, { 3, -1, INT64_C(0x100000000), INT64_C(0xffffffff), INT64_C(0x100000002) } },
    { "d", d, { CPW_DATE_MAX + 1, CPW_DATE_MIN - 1, INT64_MAX, INT64_MIN,
                INT64_C(0x100000000) + CPW_DATE_MIN } },
  };
  uint8_t out[N];
  cpw_column cols[5];
  cpw_ctx *ctx;
  cpw_policy *pol;
  const cpw_program *p25, *p27;
  size_t i, p, k, q;
  char want[64];
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "narrow.cpw", policy_text,
                                          strlen(policy_text)), CPW_OK);
  p25 = cpw_policy_program(pol, "p25"); /* e in {e1, e2} and b and m > 1 GEL */
  p27 = cpw_policy_program(pol, "p27"); /* c = c1 and d > 2000-01-01 and b */
  assert_non_null(p25);
  assert_non_null(p27);
  memset(cols, 0, sizeof cols);
  for (k = 0; k < 4; k++) {
    cols[k].field = cases[k].field;
    cols[k].values = cases[k].col;
    cols[k].missing = miss;
  }
  cols[4].field = "m";
  cols[4].values = m;
  for (i = 0; i < N; i++) {
    e[i] = (int64_t)(i % 4);
    b[i] = (int64_t)(i % 3 != 0);
    m[i] = (int64_t)i * 7;
    c[i] = (int64_t)(i % 3);
    d[i] = 19000 + (int64_t)i;
  }
  assert_int_equal(cpw_evaluate_batch(ctx, p25, 19000, cols, 5, N, out, NULL), CPW_OK);
  assert_int_equal(cpw_evaluate_batch(ctx, p27, 19000, cols, 5, N, out, NULL), CPW_OK);
  for (k = 0; k < 4; k++)
    for (p = 0; p < N; p++)
      for (q = 0; q < NBAD; q++) {
        const cpw_program *pg = k == 2 || k == 3 ? p27 : p25;
        int64_t keep = cases[k].col[p];
        cases[k].col[p] = cases[k].bad[q];
        miss[p] = 1; /* a missing lane's value is never looked at */
        assert_int_equal(cpw_evaluate_batch(ctx, pg, 19000, cols, 5, N, out, NULL), CPW_OK);
        miss[p] = 0;
        if (cpw_evaluate_batch(ctx, pg, 19000, cols, 5, N, out, NULL) != CPW_EINVALID)
          fail_msg("column '%s', record %d: value %lld not refused", cases[k].field, (int)p,
                   (long long)cases[k].bad[q]);
        snprintf(want, sizeof want, "column '%s', record %d:", cases[k].field, (int)p);
        assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, want));
        cases[k].col[p] = keep;
      }
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

/* A chunk of values from 0 to 2^31 - 1 passes the quick check (an or of the values); one
 * value at or past 2^31 in any lane (its low half small, or negative as an int32) sends the
 * chunk to the 64-bit test: each record as cpw_evaluate has it. */
static void test_batch_narrow__nonnegative_chunk_past_int32(void **state)
{
  enum { N = 64 * 2 };
  static const int64_t past[] = {
    INT64_C(0x80000000), INT64_C(0x80000005), INT64_C(0x100000003), INT64_C(0x100000000),
    INT64_C(0x10000000001), INT64_C(0x7fffffff00000004), INT64_MAX,
  };
  static const char *const progs[] = { "p01", "p11", "p12", "p13", "p14", "p23", "p26" };
  static int64_t x[N], y[N], e[N];
  static cpw_record *recs[N];
  uint8_t out[N];
  cpw_column cols[3];
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_decision *d;
  size_t i, q, p, lane;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "narrow.cpw", policy_text,
                                          strlen(policy_text)), CPW_OK);
  assert_int_equal(cpw_decision_new(&d, ctx), CPW_OK);
  memset(cols, 0, sizeof cols);
  cols[0].field = "x";
  cols[0].values = x;
  cols[1].field = "y";
  cols[1].values = y;
  cols[2].field = "e";
  cols[2].values = e;
  for (i = 0; i < N; i++) {
    x[i] = (int64_t)((i * 7) % 11);
    y[i] = (int64_t)((i * 5) % 9);
    e[i] = (int64_t)(i % 4);
    assert_int_equal(cpw_record_new(&recs[i], ctx, pol), CPW_OK);
  }
  for (lane = 0; lane < N; lane += 13)
    for (q = 0; q < sizeof past / sizeof past[0]; q++) {
      int64_t keep = x[lane];
      x[lane] = past[q];
      for (i = 0; i < N; i++) {
        cpw_record_clear(recs[i]);
        assert_int_equal(cpw_record_set_int(recs[i], "x", x[i]), CPW_OK);
        assert_int_equal(cpw_record_set_int(recs[i], "y", y[i]), CPW_OK);
        assert_int_equal(cpw_record_set_enum(recs[i], "e",
                                             cpw_policy_field_value(pol, 4, (size_t)e[i])),
                         CPW_OK);
      }
      for (p = 0; p < sizeof progs / sizeof progs[0]; p++) {
        const cpw_program *pg = cpw_policy_program(pol, progs[p]);
        assert_non_null(pg);
        assert_int_equal(cpw_evaluate_batch(ctx, pg, 19000, cols, 3, N, out, NULL), CPW_OK);
        for (i = 0; i < N; i++) {
          int want;
          assert_int_equal(cpw_evaluate(d, pg, recs[i], 19000, 0), CPW_OK);
          want = cpw_decision_outcome(d);
          if (out[i] != want)
            fail_msg("programme %s, value %lld in lane %d, record %d: batch %d, one record %d",
                     progs[p], (long long)past[q], (int)lane, (int)i, out[i], want);
        }
      }
      x[lane] = keep;
    }
  for (i = 0; i < N; i++)
    cpw_record_free(recs[i]);
  cpw_decision_free(d);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_batch_narrow__matches_one_record),
    cmocka_unit_test(test_batch_narrow__bad_value_in_any_lane),
    cmocka_unit_test(test_batch_narrow__nonnegative_chunk_past_int32),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
