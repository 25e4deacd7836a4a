/* SPDX-License-Identifier: Apache-2.0 */
/* Differential test of the policy VM: the one-record API (cpw_evaluate, one lane, fused fast
 * code), the batch API (cpw_evaluate_batch, 64 lanes per chunk and a partial last chunk, fused
 * fast code) and a reference run of the programme's traced code (one lane, no fusion) must
 * agree on every outcome (and on the services that apply) for thousands of random records with
 * random missing fields. Missing values in batch columns hold garbage, which the VM must never
 * trip over (run under the sanitizers too). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/utf8.h"
#include "eligibility/record.h"
#include "policy/policy_int.h"
#include "testalloc.h"

#define NREC 3000

static const char policy_text[] =
  "policy lanes \"VM lanes differential test\" version \"1\"\n"
  "timezone \"+04:00\"\n"
  "calendar work \"test calendar\" {\n"
  "  weekend saturday, sunday\n"
  "  holiday 1 January \"New Year\"\n"
  "  holiday 26 May \"Independence Day\"\n"
  "}\n"
  "field a: int\n"
  "field b: int\n"
  "field c: int\n"
  "field m: money\n"
  "field f1: bool\n"
  "field f2: bool\n"
  "field f3: bool\n"
  "field e: enum(e0, e1, e2, e3, e4, e5)\n"
  "field s: set of enum(e0, e1, e2, e3, e4, e5)\n"
  "field d1: date\n"
  "field d2: date\n"
  "field t1: datetime\n"
  "field w1: date\n" /* working days: a calendar is slow across millennia */
  "field w2: date\n"
  "field txt: text\n"
  "param limit: money = 100 GEL from 2000-01-01, 150 GEL from 2022-01-01\n"
  "param steps: int = 3 from 2000-01-01 until 2030-01-01\n"
  "param flag: bool = true from 2000-01-01, false from 2022-01-01\n"
  "define both = f1 and f2\n"
  "define big = a > 10 or b > 10\n"
  "define adult = age(d1) >= 18\n"
  /* simple conjunctions and disjunctions of field tests */
  "program p01 \"\" { eligible when a > 3 and b < 5 }\n"
  "program p02 \"\" { eligible when a > 3 or b < 5 or f1 }\n"
  "program p03 \"\" { eligible when not (a between 2 and 7) and (f1 or not f2) }\n"
  "program p04 \"\" { eligible when (a < 0 or b >= 10) and (e in {e0, e2} or e not in {e1, e3}) }\n"
  "program p05 \"\" { eligible when s contains e2 or (e = e4 and not f3) }\n"
  "program p06 \"\" { eligible when"
    " f1 and f2 and f3 and a > 0 and b > 0 and c > 0 and e in {e1, e2, e3} }\n"
  "program p07 \"\" { eligible when f1 or f2 or f3 or a > 10 or b between -3 and 3 or c = 7 }\n"
  "program p08 \"\" { eligible when"
    " (f1 and a > 2) or (f2 and b > 2) or (f3 and c > 2 and not (e in {e0})) }\n"
  "program p09 \"\" { eligible when"
    " (a > 0 or b > 0) and (c > 0 or f1) and (d1 < 2010-01-01 or f2) }\n"
  "program p10 \"\" { eligible when not (f1 and not f2) or not (a > 1 or b > 1) }\n"
  "program p11 \"\" { eligible when 5 < a and 100 >= b and 0 != c }\n"
  "program p12 \"\" { eligible when a = 3 or a = 5 or a = 9 or e = e5 or a != -1 and b = 2 }\n"
  "program p13 \"\" { eligible when"
    " (a between 0 and 5 and (b between 3 and 1 or f1)) or c between -9223372036854775807 and"
    " 0 }\n"
  "program p14 \"\" { eligible when both and big or not both and not big }\n"
  "program p15 \"\" { eligible when"
    " e not in {e0} and e in {e0, e1, e2, e3, e4, e5} and (f1 or f2 or a >="
    " 9223372036854775807) }\n"
  "program p16 \"\" { eligible when"
    " (f1 or (f2 and (f3 or (a > 1 and (b > 1 or c > 1))))) and e != e3 }\n"
  "program p17 \"\" { eligible when true and a > 1 or false }\n"
  /* comparisons of two values, booleans, texts, conditionals */
  "program p20 \"\" { eligible when a between b and c }\n"
  "program p21 \"\" { eligible when f1 = f2 or (f3 != f1 and a >= 3) }\n"
  "program p22 \"\" { eligible when if f1 then a > b else m >= 1000 GEL }\n"
  "program p23 \"\" { eligible when (if e = e0 then a else b) > 5 }\n"
  "program p24 \"\" { eligible when a is missing or (b is given and b > a) }\n"
  "program p25 \"\" { eligible when txt = \"alpha\" or (txt != \"beta\" and f1) }\n"
  "program p26 \"\" { eligible when count(s) >= 2 and min(a, b) < max(b, c) }\n"
  "program p27 \"\" { eligible when s contains e3 and (if f2 then f3 else not f1) }\n"
  /* arithmetic, dates, parameters, calendars: evaluation errors */
  "program p30 \"\" { eligible when b != 0 and a / b > 2 }\n"
  "program p31 \"\" { eligible when a * b > 1000 or -a > 3 }\n"
  "program p32 \"\" { eligible when (a > 2 or a / b > 1) and f2 }\n"
  "program p33 \"\" { eligible when a > 2 and (b / c > 1 or f1) and m * 2 < 10000 GEL }\n"
  "program p34 \"\" { eligible when a + b > c and b - c < a }\n"
  "program p35 \"\" { eligible when d1 + 30 days < d2 and d2 <= as_of }\n"
  "program p36 \"\" { eligible when adult or months_between(d1, d2) > 6 }\n"
  "program p37 \"\" { eligible when m > limit and t1 + 2 hours > 2020-01-01T00:00:00+04:00 }\n"
  "program p38 \"\" { eligible when working_days_between(w1, w2) > 10 or is_working_day(d1) }\n"
  "program p39 \"\" { eligible when date_of(t1) = d1 or days_between(d1, d2) between 0 and 100 }\n"
  "program p40 \"\" { eligible when"
    " d1 + 1 month <= d2 and d2 - 2 weeks >= d1 and w1 + 3 working days < w2 }\n"
  "program p41 \"\" { eligible when years_between(d1, d2) >= steps and t1 + 1 month > t1 }\n"
  "program p42 \"\" { eligible when f1 and d1 + 1 year > d2 or f2 and a * 3 > 7 }\n"
  ;

/* more programmes (a second string: C compilers need not take strings over 4095 bytes) */
static const char policy_text2[] =
  /* every comparison of a field with a constant and of two values; an enum that is
   * computed, not a field; a set membership of two fields; a boolean parameter */
  "program p60 \"\" { eligible when flag and a > 1 or not flag and b > 1 }\n"
  "program p61 \"\" { eligible when a != b or a <= b - 3 or a < c and b >= c }\n"
  "program p62 \"\" { eligible when a != 3 and b <= 4 and c >= 2 and m != 100 GEL }\n"
  "program p63 \"\" { eligible when"
    " (if f1 then e else e) in {e1, e2} or (if f2 then e else e) not in {e0} }\n"
  "program p64 \"\" { eligible when s contains e or not (s contains e5) }\n"
  "program p65 \"\" { eligible when s contains (if f1 then e else e0) and f3 }\n"
  "program p66 \"\" { eligible when 3 >= a or 4 != b or 2 = c or -1 > a }\n"
  "program p67 \"\" { eligible when m <= limit and (flag or m >= 10 GEL) }\n"
  /* negated comparisons, a long formula and long texts: their explanations */
  "program p68 \"\" { eligible when"
    " not (a < 3) and not (b <= 2) or not (c > 4) and not (a >= 9) or not (e = e1) and"
    " not (d1 >= d2) }\n"
  "program p69 \"\" { eligible when"
    " (a + b + c) * 2 - (b - c) * 3 + (a * a) - (c * c) > (b + 1) * (c + 1) - 7 and big }\n"
  "program p70 \"\" { eligible when txt != \"gamma\" and txt != \"alpha\" or adult }\n"
  /* services, periods in force */
  "program p50 \"\" { eligible when a > 0 or f3\n"
  "  benefit money1 limit monthly\n"
  "  service sv1 when b > 0\n"
  "  service sv2 when f1 or e in {e1}\n"
  "  service sv3\n"
  "  service sv4 when not (c between 1 and 5) and s contains e3\n"
  "}\n"
  "program p51 \"\" { in force from 2030-01-01 eligible when a > 0 }\n"
  "program p52 \"\" { in force from 2000-01-01 until 2010-01-01 eligible when a > 0 }\n";

/* the last: longer than an explanation quotes, in Georgian letters (cut between characters) */
#define KA "\xe1\x83\x90\xe1\x83\x91\xe1\x83\x92\xe1\x83\x93\xe1\x83\x94"
static const char *const texts[] = { "alpha", "beta", "gamma", "",
                                     KA KA KA KA KA KA KA KA KA KA KA KA KA KA KA KA KA KA };

typedef struct fixture {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  size_t nf;
  cpw_record **recs;
  int64_t **vals;           /* per field: NREC column values (garbage where missing) */
  uint8_t **miss;           /* per field: NREC missing marks */
  const char ***txts;       /* per field: NREC texts (text fields) */
  cpw_column *cols;
  size_t ncols;
  uint64_t rng;
} fixture;

static uint64_t next(fixture *f)
{
  /* xorshift64* */
  f->rng ^= f->rng >> 12;
  f->rng ^= f->rng << 25;
  f->rng ^= f->rng >> 27;
  return f->rng * UINT64_C(2685821657736338717);
}

static int64_t pick(fixture *f, int64_t lo, int64_t hi)
{
  return lo + (int64_t)(next(f) % (uint64_t)(hi - lo + 1));
}

static int64_t rand_int(fixture *f)
{
  switch (next(f) % 16) {
  case 0: return INT64_MAX;
  case 1: return INT64_MIN;
  case 2: return (int64_t)next(f);
  case 3: return pick(f, -4000000000, 4000000000);
  default: return pick(f, -4, 14);
  }
}

static int64_t rand_date(fixture *f)
{
  switch (next(f) % 16) {
  case 0: return CPW_DATE_MAX - pick(f, 0, 40);
  case 1: return CPW_DATE_MIN + pick(f, 0, 40);
  default: return pick(f, 7300, 21000); /* 1990..2027 */
  }
}

static int setup(void **state)
{
  static fixture f;
  char *text;
  int rc;
  memset(&f, 0, sizeof f);
  cpw_test_alloc_init(&f.ta);
  f.ctx = cpw_test_ctx(&f.ta);
  if (f.ctx == NULL)
    return -1;
  text = malloc(sizeof policy_text + sizeof policy_text2);
  if (text == NULL)
    return -1;
  memcpy(text, policy_text, sizeof policy_text - 1);
  memcpy(text + sizeof policy_text - 1, policy_text2, sizeof policy_text2);
  rc = cpw_policy_from_string(&f.pol, f.ctx, "lanes.cpw", text, strlen(text));
  free(text);
  if (rc != CPW_OK) {
    fprintf(stderr, "policy: line %d: %s\n", cpw_ctx_last_error(f.ctx)->line,
            cpw_ctx_last_error(f.ctx)->message);
    return -1;
  }
  f.nf = cpw_policy_field_count(f.pol);
  f.recs = calloc(NREC, sizeof *f.recs);
  f.vals = calloc(f.nf, sizeof *f.vals);
  f.miss = calloc(f.nf, sizeof *f.miss);
  f.txts = calloc(f.nf, sizeof *f.txts);
  f.cols = calloc(f.nf, sizeof *f.cols);
  if (f.recs == NULL || f.vals == NULL || f.miss == NULL || f.txts == NULL || f.cols == NULL)
    return -1;
  *state = &f;
  return 0;
}

static void drop_records(fixture *f)
{
  size_t i;
  for (i = 0; i < NREC; i++) {
    cpw_record_free(f->recs[i]);
    f->recs[i] = NULL;
  }
  for (i = 0; i < f->nf; i++) {
    free(f->vals[i]);
    free(f->miss[i]);
    free((void *)f->txts[i]);
    f->vals[i] = NULL;
    f->miss[i] = NULL;
    f->txts[i] = NULL;
  }
}

static int teardown(void **state)
{
  fixture *f = *state;
  drop_records(f);
  free(f->recs);
  free(f->vals);
  free(f->miss);
  free(f->txts);
  free(f->cols);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  if (f->ta.live_blocks != 0 || f->ta.bad_sizes != 0) {
    fprintf(stderr, "leak: %ld blocks, %ld bad sizes\n", f->ta.live_blocks, f->ta.bad_sizes);
    return -1;
  }
  return 0;
}

/* Random records and the same data as columns. Per field a mode: 0 some values missing (the
 * column's missing marks, or NULL texts), 1 none missing (no missing array), 2 no column. */
static void make_records(fixture *f, uint64_t seed, int missing_percent)
{
  size_t i, j;
  drop_records(f);
  f->rng = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
  f->ncols = 0;
  for (i = 0; i < NREC; i++)
    assert_int_equal(cpw_record_new(&f->recs[i], f->ctx, f->pol), CPW_OK);
  for (j = 0; j < f->nf; j++) {
    const char *name = cpw_policy_field_name(f->pol, j);
    int type = cpw_policy_field_type(f->pol, j);
    size_t nvals = cpw_policy_field_value_count(f->pol, j);
    int mode = next(f) % 8 == 0 ? (int)(next(f) % 2) + 1 : 0;
    int is_text = type == CPW_TYPE_TEXT;
    f->vals[j] = calloc(NREC, sizeof **f->vals);
    f->miss[j] = calloc(NREC, 1);
    f->txts[j] = calloc(NREC, sizeof **f->txts);
    assert_non_null(f->vals[j]);
    assert_non_null(f->miss[j]);
    assert_non_null(f->txts[j]);
    for (i = 0; i < NREC; i++) {
      cpw_record *r = f->recs[i];
      int missing = mode == 2 || (mode == 0 && (int)(next(f) % 100) < missing_percent);
      int64_t v = 0;
      if (missing) {
        f->miss[j][i] = 1;
        f->vals[j][i] = (int64_t)next(f); /* garbage: the VM must not care */
        f->txts[j][i] = NULL;
        continue;
      }
      switch (type) {
      case CPW_TYPE_BOOL:
        v = (int64_t)(next(f) & 1);
        assert_int_equal(cpw_record_set_bool(r, name, (int)v), CPW_OK);
        break;
      case CPW_TYPE_INT:
        v = rand_int(f);
        assert_int_equal(cpw_record_set_int(r, name, v), CPW_OK);
        break;
      case CPW_TYPE_MONEY:
        v = next(f) % 16 == 0 ? rand_int(f) : pick(f, 0, 300000);
        assert_int_equal(cpw_record_set_money(r, name, v), CPW_OK);
        break;
      case CPW_TYPE_DATE:
        v = name[0] == 'w' ? pick(f, 7300, 21000) : rand_date(f);
        assert_int_equal(cpw_record_set_date(r, name, (cpw_date)v), CPW_OK);
        break;
      case CPW_TYPE_DATETIME:
        v = rand_date(f) * 86400 + pick(f, 0, 86399);
        assert_int_equal(cpw_record_set_datetime(r, name, v), CPW_OK);
        break;
      case CPW_TYPE_ENUM:
        v = pick(f, 0, (int64_t)nvals - 1);
        assert_int_equal(cpw_record_set_enum(r, name, cpw_policy_field_value(f->pol, j,
                                                                             (size_t)v)),
                         CPW_OK);
        break;
      case CPW_TYPE_SET: {
        const char *members[64];
        size_t k, n = 0;
        v = (int64_t)(next(f) & ((UINT64_C(1) << nvals) - 1));
        for (k = 0; k < nvals; k++)
          if ((v >> k) & 1)
            members[n++] = cpw_policy_field_value(f->pol, j, k);
        assert_int_equal(cpw_record_set_members(r, name, members, n), CPW_OK);
        break;
      }
      case CPW_TYPE_TEXT:
        f->txts[j][i] = texts[next(f) % 5];
        assert_int_equal(cpw_record_set_text(r, name, f->txts[j][i]), CPW_OK);
        break;
      default:
        fail_msg("field %s: unexpected type %d", name, type);
      }
      f->vals[j][i] = v;
    }
    if (mode == 2)
      continue;
    memset(&f->cols[f->ncols], 0, sizeof f->cols[f->ncols]);
    f->cols[f->ncols].field = name;
    if (is_text)
      f->cols[f->ncols].texts = f->txts[j];
    else
      f->cols[f->ncols].values = f->vals[j];
    /* text columns mark missing values by NULL; give some of them missing marks too */
    if (mode == 0 && (!is_text || next(f) % 2 == 0))
      f->cols[f->ncols].missing = f->miss[j];
    f->ncols++;
  }
}

/* The reference: the programme's traced code (unfused, every node traced) on one record, run on
 * a VM of one lane, with cpw_evaluate's rules around it (in force, items that fail). */
static int reference(cpw__vm *vm, const cpw_program *pg, const cpw_record *rec, cpw_date as_of,
                     uint64_t *services)
{
  cpw__vm_in in;
  uint32_t r, i;
  int outcome;
  *services = 0;
  if (as_of < pg->from || as_of > pg->until)
    return CPW_NOT_ELIGIBLE;
  in.col = rec->cols;
  in.known = rec->known;
  vm->as_of = as_of;
  vm->err = 0;
  vm->trace = NULL;
  if (pg->traced.code == NULL)
    return CPW_ELIGIBLE;
  cpw__vm_run(vm, &pg->traced, &in, 1, &r);
  if (vm->err & 1)
    return CPW_OUTCOME_ERROR;
  if (!(vm->known[r] & 1))
    return CPW_UNDETERMINED;
  outcome = (vm->truth[r] & 1) ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE;
  if (outcome != CPW_ELIGIBLE)
    return outcome;
  for (i = 0; i < pg->nbenefits + pg->nservices; i++) {
    const cpw__item *it = &pg->items[i];
    if (it->when_traced.code == NULL) {
      if (i >= pg->nbenefits)
        *services |= UINT64_C(1) << (i - pg->nbenefits);
      continue;
    }
    vm->err = 0;
    cpw__vm_run(vm, &it->when_traced, &in, 1, &r);
    if (vm->err & 1)
      return CPW_OUTCOME_ERROR;
    if ((vm->known[r] & vm->truth[r] & 1) && i >= pg->nbenefits)
      *services |= UINT64_C(1) << (i - pg->nbenefits);
  }
  return outcome;
}

static uint64_t single_services(const cpw_decision *d, const cpw_program *pg)
{
  uint64_t mask = 0;
  size_t i, j;
  for (i = 0; i < cpw_decision_service_count(d); i++) {
    const char *name = cpw_decision_service(d, i);
    for (j = 0; j < cpw_program_service_count(pg); j++)
      if (strcmp(cpw_program_service(pg, j), name) == 0)
        mask |= UINT64_C(1) << j;
  }
  return mask;
}

/* Every programme on every record: single == reference, batch == single. */
static void compare_all(fixture *f, cpw_date as_of, long *counts)
{
  cpw_decision *d;
  cpw__vm vm;
  uint8_t *out = calloc(NREC, 1);
  uint64_t *svc = calloc(NREC, sizeof *svc);
  uint8_t *single = calloc(NREC, 1);
  uint64_t *single_svc = calloc(NREC, sizeof *single_svc);
  size_t p, i, c;
  assert_non_null(out);
  assert_non_null(svc);
  assert_non_null(single);
  assert_non_null(single_svc);
  assert_int_equal(cpw_decision_new(&d, f->ctx), CPW_OK);
  assert_int_equal(cpw__vm_init(&vm, f->ctx, f->pol->max_regs, 1), CPW_OK);
  vm.policy = f->pol;
  vm.tz_minutes = f->pol->tz_minutes;
  vm.calendar = f->pol->ncalendars > 0 ? f->pol->calendars[0].cal : NULL;
  for (p = 0; p < cpw_policy_program_count(f->pol); p++) {
    const cpw_program *pg = cpw_policy_program_at(f->pol, p);
    static const size_t sizes[][2] = { { 0, 1 }, { 5, 63 }, { 7, 64 }, { 100, 65 }, { 0, 0 } };
    for (i = 0; i < NREC; i++) {
      uint64_t ref_svc;
      int ref = reference(&vm, pg, f->recs[i], as_of, &ref_svc);
      unsigned flags = i % 31 == 0 ? CPW_EVAL_EXPLAIN : 0;
      int rc = cpw_evaluate(d, pg, f->recs[i], as_of, flags);
      single[i] = (uint8_t)cpw_decision_outcome(d);
      single_svc[i] = single_services(d, pg);
      assert_int_equal(rc, single[i] == CPW_OUTCOME_ERROR ? CPW_EINVALID : CPW_OK);
      if (single[i] != ref || single_svc[i] != ref_svc)
        fail_msg("programme %s, record %zu: cpw_evaluate says %s (services %llx), the "
                 "unfused reference %s (services %llx)", cpw_program_id(pg), i,
                 cpw_outcome_name(single[i]), (unsigned long long)single_svc[i],
                 cpw_outcome_name(ref), (unsigned long long)ref_svc);
      if (flags & CPW_EVAL_EXPLAIN) {
        /* an explanation: valid UTF-8 (long texts are cut between characters), opening with
         * the outcome */
        static const char *const opening[] = { "not eligible", "eligible", "undetermined",
                                               "error" };
        const char *x = cpw_decision_explain(d);
        if (!cpw__utf8_valid(x, strlen(x)) || single[i] > 3 ||
            strncmp(x, opening[single[i]], strlen(opening[single[i]])) != 0)
          fail_msg("programme %s, record %zu: explanation '%s'", cpw_program_id(pg), i, x);
      }
      counts[single[i]]++;
    }
    memset(out, 0xee, NREC);
    assert_int_equal(cpw_evaluate_batch(f->ctx, pg, as_of, f->cols, f->ncols, NREC, out, svc),
                     CPW_OK);
    for (i = 0; i < NREC; i++)
      if (out[i] != single[i] || (single[i] == CPW_ELIGIBLE && svc[i] != single_svc[i]))
        fail_msg("programme %s, record %zu of %d: batch says %s (services %llx), "
                 "cpw_evaluate %s (services %llx)", cpw_program_id(pg), i, NREC,
                 cpw_outcome_name(out[i]), (unsigned long long)svc[i],
                 cpw_outcome_name(single[i]), (unsigned long long)single_svc[i]);
    /* windows: a single lane, partial chunks, chunks not aligned with the records */
    for (c = 0; sizes[c][1] != 0; c++) {
      size_t off = sizes[c][0], n = sizes[c][1], k;
      cpw_column win[32];
      assert_true(f->ncols <= 32);
      for (k = 0; k < f->ncols; k++) {
        win[k] = f->cols[k];
        if (win[k].values != NULL)
          win[k].values += off;
        if (win[k].texts != NULL)
          win[k].texts += off;
        if (win[k].missing != NULL)
          win[k].missing += off;
      }
      memset(out, 0xee, NREC);
      assert_int_equal(cpw_evaluate_batch(f->ctx, pg, as_of, win, f->ncols, n, out, svc),
                       CPW_OK);
      for (i = 0; i < n; i++)
        if (out[i] != single[off + i] ||
            (single[off + i] == CPW_ELIGIBLE && svc[i] != single_svc[off + i]))
          fail_msg("programme %s, record %zu (window of %zu at %zu): batch says %s, "
                   "cpw_evaluate %s", cpw_program_id(pg), off + i, n, off,
                   cpw_outcome_name(out[i]), cpw_outcome_name(single[off + i]));
      assert_int_equal(out[n], 0xee);
    }
  }
  cpw__vm_free(&vm);
  cpw_decision_free(d);
  free(out);
  free(svc);
  free(single);
  free(single_svc);
}

static void run_rounds(fixture *f, int missing_percent)
{
  long counts[4] = { 0, 0, 0, 0 };
  uint64_t seed;
  cpw_date as_of;
  assert_int_equal(cpw_date_parse(&as_of, NULL, "2024-01-01", 10), CPW_OK);
  for (seed = 1; seed <= 3; seed++) {
    make_records(f, seed * 1000 + (uint64_t)missing_percent, missing_percent);
    compare_all(f, seed == 3 ? as_of - 20 * 365 : as_of, counts);
  }
  /* every outcome must have happened, or the test compares too little */
  assert_true(counts[CPW_NOT_ELIGIBLE] > 0);
  assert_true(counts[CPW_ELIGIBLE] > 0);
  assert_true(counts[CPW_UNDETERMINED] > 0 || missing_percent == 0);
  assert_true(counts[CPW_OUTCOME_ERROR] > 0);
}

static void test_vm_lanes__few_missing(void **state)
{
  run_rounds(*state, 5);
}

static void test_vm_lanes__many_missing(void **state)
{
  run_rounds(*state, 40);
}

static void test_vm_lanes__all_known(void **state)
{
  run_rounds(*state, 0);
}

/* The same comparison on the embedded Georgia policy. */
static void test_vm_lanes__default_policy(void **state)
{
  fixture *f = *state;
  cpw_policy *mine = f->pol, *georgia;
  size_t nf = f->nf;
  drop_records(f);
  assert_int_equal(cpw_policy_default(&georgia, f->ctx), CPW_OK);
  f->pol = georgia;
  f->nf = cpw_policy_field_count(georgia);
  if (f->nf > nf) { /* the arrays of the fixture are per field */
    free(f->vals);
    free(f->miss);
    free((void *)f->txts);
    free(f->cols);
    f->vals = calloc(f->nf, sizeof *f->vals);
    f->miss = calloc(f->nf, sizeof *f->miss);
    f->txts = calloc(f->nf, sizeof *f->txts);
    f->cols = calloc(f->nf, sizeof *f->cols);
    assert_true(f->vals != NULL && f->miss != NULL && f->txts != NULL && f->cols != NULL);
    nf = f->nf;
  }
  run_rounds(f, 20);
  drop_records(f);
  cpw_policy_free(georgia);
  f->pol = mine;
  f->nf = cpw_policy_field_count(mine);
  assert_true(f->nf <= nf);
}

/* Batch values are checked as the chunks that hold them are loaded: a value out of range in a
 * column the programme reads is an error naming the column and the first such record; in a
 * missing lane, or in a column the programme does not read, it is not looked at. */
static void test_vm_lanes__batch_checks(void **state)
{
  fixture *f = *state;
  const cpw_program *p01 = cpw_policy_program(f->pol, "p01"); /* a > 3 and b < 5 */
  const cpw_program *p02 = cpw_policy_program(f->pol, "p02"); /* a > 3 or b < 5 or f1 */
  static int64_t a[200], b[200], f1[200], e[200];
  static uint8_t miss[200];
  uint8_t out[200];
  cpw_column cols[4];
  cpw_date as_of;
  size_t i;
  assert_int_equal(cpw_date_parse(&as_of, NULL, "2024-01-01", 10), CPW_OK);
  for (i = 0; i < 200; i++) {
    a[i] = (int64_t)i;
    b[i] = 3;
    f1[i] = (int64_t)(i & 1);
    e[i] = (int64_t)(i % 6);
  }
  memset(cols, 0, sizeof cols);
  cols[0].field = "a";
  cols[0].values = a;
  cols[1].field = "b";
  cols[1].values = b;
  cols[2].field = "f1";
  cols[2].values = f1;
  cols[2].missing = miss;
  cols[3].field = "e";
  cols[3].values = e;
  f1[130] = 2;       /* a bool out of range ... */
  miss[130] = 1;     /* ... in a missing lane: fine */
  e[10] = 99;        /* an enum out of range in a column p01 and p02 do not read: fine */
  assert_int_equal(cpw_evaluate_batch(f->ctx, p02, as_of, cols, 4, 200, out, NULL), CPW_OK);
  assert_int_equal(cpw_evaluate_batch(f->ctx, p01, as_of, cols, 4, 200, out, NULL), CPW_OK);
  for (i = 0; i < 200; i++)
    assert_int_equal(out[i], i > 3 ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
  miss[130] = 0;     /* now known: p02 reads f1 */
  f1[190] = -1;
  assert_int_equal(cpw_evaluate_batch(f->ctx, p01, as_of, cols, 4, 200, out, NULL), CPW_OK);
  assert_int_equal(cpw_evaluate_batch(f->ctx, p02, as_of, cols, 4, 200, out, NULL),
                   CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "column 'f1', record 130"));
  f1[130] = 1;
  assert_int_equal(cpw_evaluate_batch(f->ctx, p02, as_of, cols, 4, 200, out, NULL),
                   CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "column 'f1', record 190"));
  /* the first bad column in column order, even when a later one is bad in an earlier chunk */
  {
    const cpw_program *p07 = cpw_policy_program(f->pol, "p07"); /* reads f1, f2, f3, a, b, c */
    static int64_t f2[200];
    cpw_column more[5];
    memcpy(more, cols, sizeof cols);
    memset(&more[4], 0, sizeof more[4]);
    more[4].field = "f2";
    more[4].values = f2;
    f1[190] = 0;
    f1[150] = 7;
    f2[5] = 3;
    assert_int_equal(cpw_evaluate_batch(f->ctx, p07, as_of, more, 5, 200, out, NULL),
                     CPW_EINVALID);
    assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "column 'f1', record 150"));
    f1[150] = 1;
    assert_int_equal(cpw_evaluate_batch(f->ctx, p07, as_of, more, 5, 200, out, NULL),
                     CPW_EINVALID);
    assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "column 'f2', record 5"));
  }
}

/* Which formulas get a test graph (vm.h cpw__gnode: the one-lane run of `and`, `or`, `not`
 * over simple tests when their fields are there), and the graph's size limit. The differential
 * rounds above compare what the graphs answer with the batch and the traced runs; this checks
 * that they do run the graphs. */
static void test_vm_lanes__graphs(void **state)
{
  fixture *f = *state;
  static const char *const with[] = { "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08",
                                      "p09", "p10", "p11", "p12", "p13", "p14", "p15", "p16",
                                      "p62", "p66", "p50" };
  static const char *const without[] = { "p17", "p20", "p21", "p24", "p30", "p35", "p60",
                                         "p64", "p68" };
  cpw_policy *pol;
  const cpw_program *pg;
  cpw_record *rec;
  cpw_decision *d;
  char *text;
  size_t i, n;
  int t, ntests;
  for (i = 0; i < sizeof with / sizeof *with; i++) {
    pg = cpw_policy_program(f->pol, with[i]);
    assert_non_null(pg);
    if (pg->code.graph == NULL)
      fail_msg("programme %s has no test graph", with[i]);
    assert_null(pg->traced.graph); /* explanations run the traced code */
  }
  pg = cpw_policy_program(f->pol, "p50"); /* a service's condition: `f1 or e in {e1}` */
  assert_non_null(pg->items[pg->nbenefits + 1].when.graph);
  for (i = 0; i < sizeof without / sizeof *without; i++) {
    pg = cpw_policy_program(f->pol, without[i]);
    assert_non_null(pg);
    if (pg->code.graph != NULL)
      fail_msg("programme %s has a test graph", without[i]);
  }
  /* `a = 0 or a = 1 or ... or a = N-1`: CPW__G_MAX tests have a graph, one more has none; both
   * answer the same */
  for (ntests = CPW__G_MAX; ntests <= CPW__G_MAX + 1; ntests++) {
    text = malloc(64 + (size_t)ntests * 16);
    assert_non_null(text);
    n = (size_t)sprintf(text, "field a: int\nprogram big \"\" { eligible when a = 0");
    for (t = 1; t < ntests; t++)
      n += (size_t)sprintf(text + n, " or a = %d", t);
    n += (size_t)sprintf(text + n, " }\n");
    assert_int_equal(cpw_policy_from_string(&pol, f->ctx, "big.cpw", text, n), CPW_OK);
    free(text);
    pg = cpw_policy_program(pol, "big");
    assert_true((pg->code.graph != NULL) == (ntests <= CPW__G_MAX));
    assert_int_equal(cpw_record_new(&rec, f->ctx, pol), CPW_OK);
    assert_int_equal(cpw_decision_new(&d, f->ctx), CPW_OK);
    for (t = -1; t <= ntests; t++) {
      assert_int_equal(cpw_record_set_int(rec, "a", t), CPW_OK);
      assert_int_equal(cpw_evaluate(d, pg, rec, 20000, 0), CPW_OK);
      assert_int_equal(cpw_decision_outcome(d),
                       t >= 0 && t < ntests ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
    }
    cpw_decision_free(d);
    cpw_record_free(rec);
    cpw_policy_free(pol);
  }
}

/* The flat form of a graph (vm.h cpw__ftest): a test the graph makes twice is one, and only a
 * test with the same field, lower bound and span is the same; CPW__FLAT_MAX distinct tests have
 * a flat form, one more has the graph alone; every form answers what the formula says. */
static void test_vm_lanes__flat(void **state)
{
  fixture *f = *state;
  static const char text[] =
    "field a: int\nfield b: int\nfield c: int\n"
    /* a > 3 three times; a >= 3 and `a between 3 and 5` share their lower bound, not their span */
    "program dup \"\" { eligible when a > 3 and b = 2 or a > 3 and c = 3 or (a > 3 or b = 5) and c = 0 }\n"
    "program span \"\" { eligible when a between 3 and 5 and b = 1 or a >= 3 and c = 1 }\n"
    /* two tests, each made twice: a flat form of two; one test, twice: the graph alone */
    "program two \"\" { eligible when a > 3 and (b = 1 or a > 3) or a > 3 and b = 1 }\n"
    "program one \"\" { eligible when a > 3 or a > 3 and a > 3 }\n";
  cpw_policy *pol;
  const cpw_program *dup, *span, *pg;
  cpw_record *rec;
  cpw_decision *d;
  char *big;
  size_t n;
  int a, b, c, t, ntests, want;
  assert_int_equal(cpw_policy_from_string(&pol, f->ctx, "flat.cpw", text, sizeof text - 1),
                   CPW_OK);
  dup = cpw_policy_program(pol, "dup");
  span = cpw_policy_program(pol, "span");
  assert_non_null(dup->code.flat);
  assert_int_equal(dup->code.nflat, 5);
  assert_non_null(span->code.flat);
  assert_int_equal(span->code.nflat, 4);
  assert_int_equal(cpw_policy_program(pol, "two")->code.nflat, 2);
  assert_non_null(cpw_policy_program(pol, "one")->code.graph);
  assert_null(cpw_policy_program(pol, "one")->code.flat);
  assert_int_equal(cpw_record_new(&rec, f->ctx, pol), CPW_OK);
  assert_int_equal(cpw_decision_new(&d, f->ctx), CPW_OK);
  for (a = 0; a <= 8; a++)
    for (b = 0; b <= 6; b++)
      for (c = 0; c <= 4; c++) {
        assert_int_equal(cpw_record_set_int(rec, "a", a), CPW_OK);
        assert_int_equal(cpw_record_set_int(rec, "b", b), CPW_OK);
        assert_int_equal(cpw_record_set_int(rec, "c", c), CPW_OK);
        want = (a > 3 && b == 2) || (a > 3 && c == 3) || ((a > 3 || b == 5) && c == 0);
        assert_int_equal(cpw_evaluate(d, dup, rec, 20000, 0), CPW_OK);
        assert_int_equal(cpw_decision_outcome(d), want ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
        want = (a >= 3 && a <= 5 && b == 1) || (a >= 3 && c == 1);
        assert_int_equal(cpw_evaluate(d, span, rec, 20000, 0), CPW_OK);
        assert_int_equal(cpw_decision_outcome(d), want ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
        want = a > 3 && (b == 1 || a > 3);
        assert_int_equal(cpw_evaluate(d, cpw_policy_program(pol, "two"), rec, 20000, 0), CPW_OK);
        assert_int_equal(cpw_decision_outcome(d), want ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
        assert_int_equal(cpw_evaluate(d, cpw_policy_program(pol, "one"), rec, 20000, 0), CPW_OK);
        assert_int_equal(cpw_decision_outcome(d), a > 3 ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
      }
  cpw_decision_free(d);
  cpw_record_free(rec);
  cpw_policy_free(pol);
  /* `a = 0 or ... or a = N-1 or b = 0`, and b = 1 in every record: the last test is read */
  for (ntests = CPW__FLAT_MAX; ntests <= CPW__FLAT_MAX + 1; ntests++) {
    big = malloc(96 + (size_t)ntests * 16);
    assert_non_null(big);
    n = (size_t)sprintf(big, "field a: int\nfield b: int\nprogram big \"\" { eligible when a = 0");
    for (t = 1; t < ntests - 1; t++)
      n += (size_t)sprintf(big + n, " or a = %d", t);
    n += (size_t)sprintf(big + n, " or b = 0 }\n");
    assert_int_equal(cpw_policy_from_string(&pol, f->ctx, "big.cpw", big, n), CPW_OK);
    free(big);
    pg = cpw_policy_program(pol, "big");
    assert_non_null(pg->code.graph);
    assert_true((pg->code.flat != NULL) == (ntests <= CPW__FLAT_MAX));
    assert_int_equal(cpw_record_new(&rec, f->ctx, pol), CPW_OK);
    assert_int_equal(cpw_decision_new(&d, f->ctx), CPW_OK);
    for (b = 0; b <= 1; b++)
      for (t = -1; t <= ntests; t++) {
        assert_int_equal(cpw_record_set_int(rec, "a", t), CPW_OK);
        assert_int_equal(cpw_record_set_int(rec, "b", b), CPW_OK);
        assert_int_equal(cpw_evaluate(d, pg, rec, 20000, 0), CPW_OK);
        assert_int_equal(cpw_decision_outcome(d), (t >= 0 && t < ntests - 1) || b == 0
                                                    ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE);
      }
    cpw_decision_free(d);
    cpw_record_free(rec);
    cpw_policy_free(pol);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vm_lanes__few_missing),
    cmocka_unit_test(test_vm_lanes__many_missing),
    cmocka_unit_test(test_vm_lanes__all_known),
    cmocka_unit_test(test_vm_lanes__batch_checks),
    cmocka_unit_test(test_vm_lanes__graphs),
    cmocka_unit_test(test_vm_lanes__flat),
    cmocka_unit_test(test_vm_lanes__default_policy),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
