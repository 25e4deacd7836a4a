/* SPDX-License-Identifier: Apache-2.0 */
/* policy/vm.c: the lane-parallel register machine (see vm.h). */
#include "policy/vm.h"

#include "policy/policy_int.h"
#include "policy/units.h"

int cpw__vm_init(cpw__vm *vm, cpw_ctx *ctx, uint32_t nregs, uint32_t lanes)
{
  memset(vm, 0, sizeof *vm);
  vm->ctx = ctx;
  if (nregs == 0)
    nregs = 1;
  if (lanes == 0 || lanes > CPW__LANES)
    lanes = CPW__LANES;
  vm->nregs = nregs; /* recorded first: cpw__vm_free uses them after a partial failure */
  vm->lanes_cap = lanes;
  vm->store = cpw__calloc(ctx, (size_t)nregs * lanes, sizeof *vm->store);
  vm->p = cpw__calloc(ctx, nregs, sizeof *vm->p);
  vm->known = cpw__calloc(ctx, nregs, sizeof *vm->known);
  vm->truth = cpw__calloc(ctx, nregs, sizeof *vm->truth);
  if (vm->store == NULL || vm->p == NULL || vm->known == NULL || vm->truth == NULL) {
    cpw__vm_free(vm);
    return CPW_ENOMEM;
  }
  return CPW_OK;
}

void cpw__vm_free(cpw__vm *vm)
{
  uint32_t nregs = vm->nregs, lanes = vm->lanes_cap;
  if (vm->ctx == NULL)
    return;
  cpw__free(vm->ctx, vm->store, (size_t)nregs * lanes * sizeof *vm->store);
  cpw__free(vm->ctx, (void *)vm->p, nregs * sizeof *vm->p);
  cpw__free(vm->ctx, vm->known, nregs * sizeof *vm->known);
  cpw__free(vm->ctx, vm->truth, nregs * sizeof *vm->truth);
  memset(vm, 0, sizeof *vm);
}

#if defined(__GNUC__)
#  define ADD_OVF(a, b, r) __builtin_add_overflow(a, b, r)
#  define SUB_OVF(a, b, r) __builtin_sub_overflow(a, b, r)
#  define MUL_OVF(a, b, r) __builtin_mul_overflow(a, b, r)
#  define POPCOUNT(x) __builtin_popcountll(x)
#else
static int add_ovf(int64_t a, int64_t b, int64_t *r)
{
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
    return 1;
  *r = a + b;
  return 0;
}
static int sub_ovf(int64_t a, int64_t b, int64_t *r)
{
  if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
    return 1;
  *r = a - b;
  return 0;
}
static int mul_ovf(int64_t a, int64_t b, int64_t *r)
{
  if (a != 0 && b != 0) {
    if ((a == -1 && b == INT64_MIN) || (b == -1 && a == INT64_MIN))
      return 1;
    if ((a > 0) == (b > 0) ? (a > 0 ? a > INT64_MAX / b : a < INT64_MAX / b)
                           : (a > 0 ? b < INT64_MIN / a : a < INT64_MIN / b))
      return 1;
  }
  *r = a * b;
  return 0;
}
static int popcount64(uint64_t x)
{
  int n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}
#  define ADD_OVF(a, b, r) add_ovf(a, b, r)
#  define SUB_OVF(a, b, r) sub_ovf(a, b, r)
#  define MUL_OVF(a, b, r) mul_ovf(a, b, r)
#  define POPCOUNT(x) popcount64(x)
#endif

#define SECONDS_PER_DAY INT64_C(86400)

static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* Completed months from date a to date b (negative when b < a): a month is complete on the
 * same day of month (1 March after 31 January counts one month, 28 February does not). */
static int completed_months(int64_t a, int64_t b, int64_t *out)
{
  int ya, ma, da, yb, mb, db;
  int64_t m;
  if (a < CPW_DATE_MIN || a > CPW_DATE_MAX || b < CPW_DATE_MIN || b > CPW_DATE_MAX)
    return -1;
  cpw_date_to_ymd((cpw_date)a, &ya, &ma, &da);
  cpw_date_to_ymd((cpw_date)b, &yb, &mb, &db);
  m = ((int64_t)yb - ya) * 12 + (mb - ma);
  if (b >= a) {
    if (db < da)
      m--;
  } else {
    if (db > da)
      m++;
  }
  *out = m;
  return 0;
}

/* d + k units on the VM's calendar: cpw__date_add_unit, with the VM's tighter bound on
 * working days (100,000 either way). */
static int date_add(const cpw__vm *vm, int64_t d, uint32_t unit, int64_t k, int64_t *out)
{
  if (unit == U_WORKING_DAYS && (k > 100000 || k < -100000))
    return -1;
  return cpw__date_add_unit(vm->calendar, d, unit, k, out);
}

static int time_add(const cpw__vm *vm, int64_t t, uint32_t unit, int64_t k, int64_t *out)
{
  int64_t step, local, day, secs, nd;
  switch (unit) {
  case U_MINUTES: step = 60; break;
  case U_HOURS: step = 3600; break;
  case U_DAYS: step = SECONDS_PER_DAY; break;
  case U_WEEKS: step = 7 * SECONDS_PER_DAY; break;
  default: step = 0; break;
  }
  if (step != 0) {
    int64_t delta;
    if (MUL_OVF(k, step, &delta) || ADD_OVF(t, delta, out))
      return -1;
    /* past the dates a time can have: an error, as a date out of range is */
    return *out < (int64_t)CPW_DATE_MIN * SECONDS_PER_DAY ||
           *out > ((int64_t)CPW_DATE_MAX + 1) * SECONDS_PER_DAY - 1 ? -1 : 0;
  }
  /* months, years, working days move the local calendar date and keep the time of day */
  if (t < (int64_t)CPW_DATE_MIN * SECONDS_PER_DAY || t > (int64_t)CPW_DATE_MAX * SECONDS_PER_DAY)
    return -1;
  local = t + (int64_t)vm->tz_minutes * 60;
  day = floor_div(local, SECONDS_PER_DAY);
  secs = local - day * SECONDS_PER_DAY;
  if (date_add(vm, day, unit == U_MONTHS ? U_MONTHS : unit == U_YEARS ? U_YEARS : U_WORKING_DAYS,
               k, &nd) != 0)
    return -1;
  *out = nd * SECONDS_PER_DAY + secs - (int64_t)vm->tz_minutes * 60;
  return 0;
}

#define VAL(r) (vm->store + (size_t)(r) * vm->lanes_cap)

/* ------------------------------------------------------------------ test lists */

#define CPW__INLINE CPW__ALWAYS_INLINE

/* 64-lane range tests on 32-bit lanes need CPW__VECTORS (vm.h); elsewhere every test runs on
 * 64 bits. */
#if defined(CPW__VECTORS)
#  define CPW__NARROW 1

/* Values as int64_t from uint64_t, modulo 2^64, without implementation-defined conversion. */
static int64_t as_signed(uint64_t v)
{
  return v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
}

/* The 32-bit form of the range test v - lo <= span (TEST_RANGE, 64-bit unsigned arithmetic)
 * for the values v that fit int32: (uint32_t)v - *lo32 <= *span32 (32-bit unsigned) holds for
 * exactly the same int32 values. Returns 0 when no int32 value passes (the caller then runs
 * the 64-bit test). The 64-bit test holds on an arc of the int64 values; seen as signed, the
 * arc is an interval [slo, shi] or, when it crosses INT64_MAX to INT64_MIN, everything but
 * the interval [shi + 1, slo - 1]; either, clamped to int32, is an arc of the int32 values. */
static int range32(uint64_t lo, uint64_t span, uint32_t *lo32, uint32_t *span32)
{
  const int64_t slo = as_signed(lo), shi = as_signed(lo + span);
  int64_t l, h;
  if (slo <= shi) { /* the interval [slo, shi] */
    l = slo > INT32_MIN ? slo : INT32_MIN;
    h = shi < INT32_MAX ? shi : INT32_MAX;
    if (l > h)
      return 0;
    *lo32 = (uint32_t)((uint64_t)l & UINT32_MAX);
    *span32 = (uint32_t)(h - l);
    return 1;
  }
  /* everything but the hole [shi + 1, slo - 1] (empty when span is 2^64 - 1) */
  l = shi + 1 > INT32_MIN ? shi + 1 : INT32_MIN;
  h = slo - 1 < INT32_MAX ? slo - 1 : INT32_MAX;
  if (l > h) { /* the hole holds no int32 value */
    *lo32 = 0;
    *span32 = UINT32_MAX;
    return 1;
  }
  if (l == INT32_MIN && h == INT32_MAX) /* the hole holds every int32 value */
    return 0;
  *lo32 = (uint32_t)((uint64_t)(h + 1) & UINT32_MAX); /* from past the hole round to it */
  *span32 = (uint32_t)(UINT32_MAX - (uint64_t)(h - l + 1));
  return 1;
}

/* elements i, j, k, l of x0 then x1 (0..7) */
#  if defined(__clang__)
#    define SHUFFLE4(x0, x1, i, j, k, l) __builtin_shufflevector(x0, x1, i, j, k, l)
#  else
#    define SHUFFLE4(x0, x1, i, j, k, l) __builtin_shuffle(x0, x1, (cpw__vu32x4){ i, j, k, l })
#  endif
#  define LOW_HALVES(x0, x1) SHUFFLE4(x0, x1, 0, 2, 4, 6)

/* bit i of a 32-lane half: lanes 4j..4j+3 are vector j, weighted so that or-ing the weighted
 * masks of the 8 vectors and then the 4 elements gives the bits in lane order */
static const cpw__vu32x4 lane_weight[8] = {
  { 1u << 0, 1u << 1, 1u << 2, 1u << 3 },     { 1u << 4, 1u << 5, 1u << 6, 1u << 7 },
  { 1u << 8, 1u << 9, 1u << 10, 1u << 11 },   { 1u << 12, 1u << 13, 1u << 14, 1u << 15 },
  { 1u << 16, 1u << 17, 1u << 18, 1u << 19 }, { 1u << 20, 1u << 21, 1u << 22, 1u << 23 },
  { 1u << 24, 1u << 25, 1u << 26, 1u << 27 }, { 1u << 28, 1u << 29, 1u << 30, 1u << 31 },
};

/* Whether the 64 values of a fit int32: value + 2^31 < 2^32 */
static int fit32(const int64_t *a)
{
  const cpw__vu64x2 bias = { UINT64_C(0x80000000), UINT64_C(0x80000000) };
  cpw__vu64x2 wide = { 0, 0 };
  uint32_t i;
  for (i = 0; i < CPW__LANES; i += 2) {
    cpw__vu64x2 x;
    memcpy(&x, a + i, sizeof x);
    wide |= x + bias;
  }
  return ((wide[0] | wide[1]) >> 32) == 0;
}

/* *out bit i: (uint32_t)a[i] - lo32 <= span32, for the 64 lanes of a. Returns 1, or, with
 * `check`, 0 when some a[i] does not fit int32 (*out is then of no use: the caller runs the
 * 64-bit test). The unsigned comparison is a signed one with both sides offset by 2^31; four
 * lanes a vector, the low halves of two pairs of int64_t. The check first ors the values
 * together (values in 0 .. 2^31 - 1 leave bits 31 to 63 clear), then, only when some value is
 * negative or large, tests each value (fit32). *out is set either way, so that the compiler
 * computes the bits beside the or instead of keeping every value for after it. */
CPW__INLINE int range_bits32(const int64_t *restrict a, uint32_t lo32, uint32_t span32,
                             const int check, uint64_t *out)
{
  const uint32_t off = lo32 + UINT32_C(0x80000000);
  const uint32_t top = span32 ^ UINT32_C(0x80000000);
  const cpw__vu32x4 lo = { off, off, off, off };
  const int32_t top32 = top <= INT32_MAX ? (int32_t)top : -(int32_t)(~top) - 1;
  const cpw__vi32x4 s = { top32, top32, top32, top32 };
  cpw__vu64x2 all = { 0, 0 };
  cpw__vu32x4 acc0 = { 0, 0, 0, 0 }, acc1 = { 0, 0, 0, 0 };
  uint32_t i;
  for (i = 0; i < 32; i += 4) {
    cpw__vu32x4 x0, x1, y0, y1;
    memcpy(&x0, a + i, sizeof x0);
    memcpy(&x1, a + i + 2, sizeof x1);
    memcpy(&y0, a + i + 32, sizeof y0);
    memcpy(&y1, a + i + 34, sizeof y1);
    if (check)
      all |= (cpw__vu64x2)(x0 | x1 | y0 | y1);
    acc0 |= ~(cpw__vu32x4)((cpw__vi32x4)(LOW_HALVES(x0, x1) - lo) > s) & lane_weight[i / 4];
    acc1 |= ~(cpw__vu32x4)((cpw__vi32x4)(LOW_HALVES(y0, y1) - lo) > s) & lane_weight[i / 4];
  }
  { /* or the four elements of acc0 into the low half, of acc1 into the high half */
    const cpw__vu64x2 both = (cpw__vu64x2)(SHUFFLE4(acc0, acc1, 0, 4, 1, 5) |
                                           SHUFFLE4(acc0, acc1, 2, 6, 3, 7));
    *out = both[0] | both[1];
  }
  return !check || ((all[0] | all[1]) >> 31) == 0 || fit32(a);
}

#  if defined(CPW__AVX2)
/* LOW_HALVES8: the low halves of the eight int64_t in x0 then x1, in the order one shuffle
 * within each 128-bit half gives: values 0, 1, 4, 5, 2, 3, 6, 7 */
typedef float cpw__vf32x8 __attribute__((vector_size(32)));
#    if defined(__clang__)
#      define SHUFFLE8(x0, x1) __builtin_shufflevector(x0, x1, 0, 2, 8, 10, 4, 6, 12, 14)
#    else
#      define SHUFFLE8(x0, x1) \
        __builtin_shuffle(x0, x1, (cpw__vi32x8){ 0, 2, 8, 10, 4, 6, 12, 14 })
#    endif
/* as floats, so that the compiler picks the one shuffle (vshufps) */
#    define LOW_HALVES8(x0, x1) \
      ((cpw__vu32x8)SHUFFLE8((cpw__vf32x8)(x0), (cpw__vf32x8)(x1)))
#    define WEIGHT8(b)                                                                       \
      { 1u << (b), 1u << ((b) + 1), 1u << ((b) + 4), 1u << ((b) + 5), 1u << ((b) + 2),     \
        1u << ((b) + 3), 1u << ((b) + 6), 1u << ((b) + 7) }
/* bit i of a 32-lane half, lanes 8j..8j+7 in vector j, as LOW_HALVES8 orders them */
static const cpw__vu32x8 lane_weight8[4] = { WEIGHT8(0), WEIGHT8(8), WEIGHT8(16), WEIGHT8(24) };
#    undef WEIGHT8

/* range_bits32 on AVX2: eight lanes a vector, compiled for AVX2 alone; the caller runs it
 * only when the CPU has AVX2. Inlined only in the two functions below. */
CPW__INLINE CPW__TARGET_AVX2 int range_bits32_avx2(const int64_t *restrict a, uint32_t lo32,
                                                   uint32_t span32, const int check,
                                                   uint64_t *out)
{
  const uint32_t off = lo32 + UINT32_C(0x80000000);
  const uint32_t top = span32 ^ UINT32_C(0x80000000);
  const int32_t top32 = top <= INT32_MAX ? (int32_t)top : -(int32_t)(~top) - 1;
  const cpw__vu32x8 lo = { off, off, off, off, off, off, off, off };
  const cpw__vi32x8 s = { top32, top32, top32, top32, top32, top32, top32, top32 };
  cpw__vu64x4 all = { 0, 0, 0, 0 };
  cpw__vu32x8 acc0 = { 0 }, acc1 = { 0 };
  cpw__vu32x4 h[4];
  uint32_t i;
  for (i = 0; i < 32; i += 8) {
    cpw__vu32x8 x0, x1, y0, y1;
    memcpy(&x0, a + i, sizeof x0);
    memcpy(&x1, a + i + 4, sizeof x1);
    memcpy(&y0, a + i + 32, sizeof y0);
    memcpy(&y1, a + i + 36, sizeof y1);
    if (check)
      all |= (cpw__vu64x4)(x0 | x1 | y0 | y1);
    acc0 |= ~(cpw__vu32x8)((cpw__vi32x8)(LOW_HALVES8(x0, x1) - lo) > s) & lane_weight8[i / 8];
    acc1 |= ~(cpw__vu32x8)((cpw__vi32x8)(LOW_HALVES8(y0, y1) - lo) > s) & lane_weight8[i / 8];
  }
  memcpy(h, &acc0, sizeof acc0);
  memcpy(h + 2, &acc1, sizeof acc1);
  h[0] |= h[1];
  h[2] |= h[3];
  { /* or the four elements of h[0] into the low half, of h[2] into the high half */
    const cpw__vu64x2 both = (cpw__vu64x2)(SHUFFLE4(h[0], h[2], 0, 4, 1, 5) |
                                           SHUFFLE4(h[0], h[2], 2, 6, 3, 7));
    *out = both[0] | both[1];
  }
  return !check || ((all[0] | all[1] | all[2] | all[3]) >> 31) == 0 || fit32(a);
}

/* range_bits32_avx2 checking that the values fit int32, and for values known to */
static CPW__NOINLINE CPW__TARGET_AVX2 int range_bits32_avx2_check(const int64_t *restrict a,
                                                                  uint32_t lo32,
                                                                  uint32_t span32,
                                                                  uint64_t *out)
{
  return range_bits32_avx2(a, lo32, span32, 1, out);
}
static CPW__NOINLINE CPW__TARGET_AVX2 int range_bits32_avx2_fits(const int64_t *restrict a,
                                                                 uint32_t lo32,
                                                                 uint32_t span32,
                                                                 uint64_t *out)
{
  return range_bits32_avx2(a, lo32, span32, 0, out);
}
#  endif

#endif

/* The range test of the OP_TEST slots at t on a full chunk (the 64 lanes of a): on 32-bit
 * lanes when it has a 32-bit form and the values fit (known to when fits32[t->aux], else
 * checked), else eight lanes a byte each, their bits gathered by a multiply. Out of line: one
 * copy, not one in every instantiation of the machine that inlines test_bits. */
static CPW__NOINLINE uint64_t range_chunk(const cpw__insn *t, const int64_t *restrict a,
                                          const uint8_t *fits32)
{
  const uint64_t k = (uint64_t)t[0].k, span = (uint64_t)t[1].k;
  uint64_t bits = 0;
  uint32_t i, j;
#if defined(CPW__NARROW)
  uint32_t lo32, span32;
  if (range32(k, span, &lo32, &span32)) {
    const int check = fits32 == NULL || !fits32[t->aux];
#  if defined(CPW__AVX2)
    if (CPW__HAS_AVX2()) {
      if (check ? range_bits32_avx2_check(a, lo32, span32, &bits)
                : range_bits32_avx2_fits(a, lo32, span32, &bits))
        return bits;
    } else
#  endif
      if (check ? range_bits32(a, lo32, span32, 1, &bits)
                : range_bits32(a, lo32, span32, 0, &bits))
      return bits;
  }
  bits = 0; /* range_bits32 set it even when the values did not fit */
#else
  (void)fits32;
#endif
  for (i = 0; i < CPW__LANES; i += 8) {
    uint64_t w = 0;
    for (j = 0; j < 8; j++)
      w |= (uint64_t)((uint64_t)a[i + j] - k <= span) << (8 * j);
    bits |= ((w * UINT64_C(0x0102040810204080)) >> 56) << i;
  }
  return bits;
}

/* The lanes of one simple test (see cpw__test_kind) of the OP_TEST slots at t: bit i is the
 * test on a[i], negated when asked; the caller keeps the known lanes. Values of missing lanes
 * may be anything: only unsigned arithmetic and guarded shifts touch them. `fits32` (may be
 * NULL): per field, its known lanes' values fit int32. */
CPW__INLINE uint64_t test_bits(const cpw__insn *t, const int64_t *restrict a, const uint32_t n,
                               const uint8_t *fits32)
{
  const uint64_t k = (uint64_t)t[0].k;
  uint64_t bits = 0;
  uint32_t i;
  if (t->b == TEST_RANGE) {
    const uint64_t span = (uint64_t)t[1].k;
    if (n == CPW__LANES)
      return range_chunk(t, a, fits32);
    for (i = 0; i < n; i++)
      bits |= (uint64_t)((uint64_t)a[i] - k <= span) << i;
    return bits;
  }
  if (t->b == TEST_IN) {
    for (i = 0; i < n; i++) {
      uint64_t v = (uint64_t)a[i];
      bits |= ((k >> (v & 63)) & (uint64_t)(v < 64)) << i;
    }
  } else {
    for (i = 0; i < n; i++)
      bits |= (uint64_t)(((uint64_t)a[i] & k) != 0) << i;
  }
  return bits ^ (UINT64_C(0) - (uint64_t)t->a); /* a is 0 or 1 */
}

/* One test list: the head x (opcode op, a constant where the caller knows it) and its
 * tests. Sets register x->dst and returns the instruction to go on with, or NULL when the list
 * ends the run (CPW__LIST_FINAL). The tests of an `or` list (TANY, TANDANY) are stored
 * negated, so that one loop serves every list: `a or b` is `not (not a and not b)`. A list
 * stops once its value is known in every lane. */
CPW__INLINE const cpw__insn *run_list(const cpw__insn *x, const uint8_t op,
                                      const cpw__insn *base, uint64_t *restrict truth,
                                      uint64_t *restrict known,
                                      const int64_t *const *restrict col,
                                      const uint64_t *restrict ink, const uint32_t n,
                                      const uint64_t lanes, const uint8_t *fits32)
{
  const cpw__insn *t = x + 1, *te = t + 2 * (uint32_t)x->a;
  const uint32_t d = x->dst;
  const int any = op == OP_TANY || op == OP_TANDANY;
  uint64_t all = lanes, some = 0; /* lanes where every (stored) test holds; some fails */
  uint64_t gt, gf, td, fd;
  for (; t < te && some != lanes; t += 2) {
    uint64_t k = ink[t->aux], bits = test_bits(t, col[t->aux], n, fits32);
    all &= bits & k;
    some |= k & ~bits;
  }
  gt = any ? some : all; /* the list's true and false lanes */
  gf = any ? all : some;
  if (x->b & CPW__LIST_CONTINUE) {
    td = truth[d];
    fd = known[d] & ~td;
  } else if (op == OP_TALL || op == OP_TANDANY) {
    td = lanes; /* starts an `and` chain */
    fd = 0;
  } else {
    td = 0; /* starts an `or` chain */
    fd = lanes;
  }
  if (op == OP_TALL || op == OP_TANDANY) { /* dst and the list; skip when all false */
    td &= gt;
    fd |= gf;
    truth[d] = td;
    known[d] = td | fd;
    if (x->b & CPW__LIST_FINAL)
      return NULL;
    return fd == lanes ? base + x->aux : te;
  }
  td |= gt; /* dst or the list; skip when all true */
  fd &= gf;
  truth[d] = td;
  known[d] = td | fd;
  if (x->b & CPW__LIST_FINAL)
    return NULL;
  return td == lanes ? base + x->aux : te;
}

/* OP_AND, OP_OR, OP_JALLF, OP_JALLT (op, a constant where the caller knows it) at x: returns
 * the instruction to go on with. */
CPW__INLINE const cpw__insn *vm_logic(const cpw__insn *x, const uint8_t op,
                                      const cpw__insn *base, uint64_t *restrict truth,
                                      uint64_t *restrict known, const uint64_t lanes)
{
  uint64_t ta = truth[x->a], fa = known[x->a] & ~ta, t, f;
  switch (op) {
  case OP_JALLF: /* every lane known false */
    return (lanes & ~fa) == 0 ? base + x->aux : x + 1;
  case OP_JALLT: /* every lane known true */
    return (lanes & ~ta) == 0 ? base + x->aux : x + 1;
  case OP_AND:
    t = ta & truth[x->b];
    f = fa | (known[x->b] & ~truth[x->b]);
    break;
  default: /* OP_OR */
    t = ta | truth[x->b];
    f = fa & (known[x->b] & ~truth[x->b]);
    break;
  }
  truth[x->dst] = t;
  known[x->dst] = t | f;
  return x + 1;
}

/* The machine: runs from `start` to OP_RET and returns NULL, the result in *result. Code ends
 * with OP_RET (cpw__compile_expr guarantees it), so the loop needs no end test.
 * It is instantiated for one lane (n is the constant 1, so the compiler drops every lane loop:
 * the single-record path), for 64 lanes (full batch chunks) and for any number of lanes. With
 * `hot` (a constant) it handles only the instructions of boolean tests, which cannot fail, and
 * stops at any other, returning it: the one-record path (cpw__vm_run1_lists in vm.h, then
 * cpw__vm_run1_from) runs that small instantiation where the lists stop and goes on with the
 * full one only where a formula needs it. On many lanes, test lists are run_list above. */
CPW__INLINE const cpw__insn *vm_exec(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                                     const uint32_t n, const cpw__insn *start, const int hot,
                                     uint32_t *result)
{
  const cpw__insn *const base = code->code;
  const cpw__insn *ip = start;
  const uint64_t lanes = n >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
  const int64_t **restrict p = vm->p;
  uint64_t *restrict known = vm->known;
  uint64_t *restrict truth = vm->truth;
  const int64_t *const *restrict col = in->col;
  const uint64_t *restrict ink = in->known;
  uint64_t err = 0;          /* lanes that hit an evaluation error */
  uint64_t active = lanes;   /* lanes whose record alone would run this instruction */
  uint32_t i;

#define COLD if (hot) return x /* an instruction the small instantiation does not run */
  for (;;) {
    const cpw__insn *x = ip++;
    uint32_t d = x->dst;
    switch ((cpw__op)x->op) {
    case OP_CONST: {
      COLD;
      int64_t *o = VAL(d);
      for (i = 0; i < n; i++)
        o[i] = x->k;
      p[d] = o;
      known[d] = lanes;
      break;
    }
    case OP_MISSING:
      COLD;
      p[d] = VAL(d);
      known[d] = 0;
      break;
    case OP_FIELD:
      COLD;
      p[d] = col[x->aux];
      known[d] = ink[x->aux] & lanes;
      break;
    case OP_PARAM: {
      COLD;
      int ok = 0;
      int64_t v = cpw__param_value(vm->policy, x->aux, vm->as_of, &ok);
      int64_t *o = VAL(d);
      for (i = 0; i < n; i++)
        o[i] = v;
      p[d] = o;
      known[d] = ok ? lanes : 0;
      break;
    }
    case OP_ASOF: {
      COLD;
      int64_t *o = VAL(d);
      for (i = 0; i < n; i++)
        o[i] = vm->as_of;
      p[d] = o;
      known[d] = lanes;
      break;
    }
    case OP_NEG: {
      COLD;
      const int64_t *a = p[x->a];
      int64_t *o = VAL(d);
      uint64_t k = known[x->a], bad = 0;
      for (i = 0; i < n; i++) {
        if (a[i] == INT64_MIN)
          bad |= UINT64_C(1) << i;
        else
          o[i] = -a[i];
      }
      bad &= k;
      err |= bad & active;
      p[d] = o;
      known[d] = k & ~bad;
      break;
    }
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: {
      COLD;
      const int64_t *a = p[x->a], *b = p[x->b];
      int64_t *o = VAL(d);
      uint64_t k = known[x->a] & known[x->b], bad = 0;
      for (i = 0; i < n; i++) {
        int fail;
        if (!((k >> i) & 1))
          continue;
        switch (x->op) {
        case OP_ADD: fail = ADD_OVF(a[i], b[i], &o[i]); break;
        case OP_SUB: fail = SUB_OVF(a[i], b[i], &o[i]); break;
        case OP_MUL: fail = MUL_OVF(a[i], b[i], &o[i]); break;
        default:
          fail = b[i] == 0 || (a[i] == INT64_MIN && b[i] == -1);
          if (!fail)
            o[i] = a[i] / b[i];
          break;
        }
        if (fail)
          bad |= UINT64_C(1) << i;
      }
      err |= bad & active;
      p[d] = o;
      known[d] = k & ~bad;
      break;
    }
    case OP_DATE_ADD: case OP_TIME_ADD: {
      COLD;
      const int64_t *a = p[x->a];
      int64_t *o = VAL(d);
      uint64_t k = known[x->a], bad = 0;
      for (i = 0; i < n; i++) {
        if (!((k >> i) & 1))
          continue;
        if ((x->op == OP_DATE_ADD ? date_add(vm, a[i], x->aux, x->k, &o[i])
                                  : time_add(vm, a[i], x->aux, x->k, &o[i])) != 0)
          bad |= UINT64_C(1) << i;
      }
      err |= bad & active;
      p[d] = o;
      known[d] = k & ~bad;
      break;
    }
    case OP_AGE: case OP_MONTHS: case OP_YEARS: {
      COLD;
      const int64_t *a = p[x->a], *b = p[x->b];
      int64_t *o = VAL(d);
      uint64_t k = known[x->a] & known[x->b], bad = 0;
      for (i = 0; i < n; i++) {
        int64_t m;
        if (!((k >> i) & 1))
          continue;
        if (completed_months(a[i], b[i], &m) != 0 || (x->op == OP_AGE && b[i] < a[i])) {
          bad |= UINT64_C(1) << i;
          continue;
        }
        o[i] = x->op == OP_MONTHS ? m : m / 12;
      }
      err |= bad & active;
      p[d] = o;
      known[d] = k & ~bad;
      break;
    }
    case OP_MIN: case OP_MAX: {
      COLD;
      const int64_t *a = p[x->a], *b = p[x->b];
      int64_t *o = VAL(d);
      for (i = 0; i < n; i++)
        o[i] = (x->op == OP_MIN) == (a[i] < b[i]) ? a[i] : b[i];
      p[d] = o;
      known[d] = known[x->a] & known[x->b];
      break;
    }
    case OP_COUNT: {
      COLD;
      const int64_t *a = p[x->a];
      int64_t *o = VAL(d);
      for (i = 0; i < n; i++)
        o[i] = POPCOUNT((uint64_t)a[i]);
      p[d] = o;
      known[d] = known[x->a];
      break;
    }
    case OP_TODATE: {
      COLD;
      const int64_t *a = p[x->a];
      int64_t *o = VAL(d);
      uint64_t k = known[x->a];
      for (i = 0; i < n; i++)
        if ((k >> i) & 1)
          o[i] = floor_div(floor_div(a[i], 60) + vm->tz_minutes, 1440); /* no overflow */
      p[d] = o;
      known[d] = known[x->a];
      break;
    }
    case OP_WDAYS: {
      COLD;
      const int64_t *a = p[x->a], *b = p[x->b];
      int64_t *o = VAL(d);
      uint64_t k = known[x->a] & known[x->b], bad = 0;
      for (i = 0; i < n; i++) {
        if (!((k >> i) & 1))
          continue;
        if (vm->calendar == NULL || a[i] < CPW_DATE_MIN || a[i] > CPW_DATE_MAX ||
            b[i] < CPW_DATE_MIN || b[i] > CPW_DATE_MAX ||
            cpw_calendar_working_days_between(vm->calendar, &o[i], (cpw_date)a[i],
                                              (cpw_date)b[i]) != CPW_OK)
          bad |= UINT64_C(1) << i;
      }
      err |= bad & active;
      p[d] = o;
      known[d] = k & ~bad;
      break;
    }
    case OP_SELECT: {
      COLD;
      const int64_t *a = p[x->a], *b = p[x->b];
      int64_t *o = VAL(d);
      uint64_t ct = truth[x->aux], ck = known[x->aux];
      uint64_t cf = ck & ~ct;
      for (i = 0; i < n; i++)
        o[i] = (ct >> i) & 1 ? a[i] : b[i];
      p[d] = o;
      known[d] = (ct & known[x->a]) | (cf & known[x->b]);
      break;
    }
    case OP_BCONST:
      truth[d] = x->k ? lanes : 0;
      known[d] = lanes;
      break;
    case OP_BFIELD: {
      const int64_t *a = col[x->aux];
      uint64_t bits = 0, k = ink[x->aux] & lanes;
      for (i = 0; i < n; i++)
        bits |= (uint64_t)(a[i] != 0) << i;
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_BVALUE: {
      COLD;
      const int64_t *a = p[x->a];
      uint64_t bits = 0, k = known[x->a];
      for (i = 0; i < n; i++)
        bits |= (uint64_t)(a[i] != 0) << i;
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_CMP: {
      COLD;
      uint64_t bits = 0, k = known[x->a] & known[x->b];
      if (x->aux == 1) { /* booleans */
        uint64_t eq = ~(truth[x->a] ^ truth[x->b]);
        bits = x->k == CMP_EQ ? eq : ~eq;
      } else {
        const int64_t *a = p[x->a], *b = p[x->b];
        switch (x->k) {
        case CMP_EQ: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] == b[i]) << i; break;
        case CMP_NE: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] != b[i]) << i; break;
        case CMP_LT: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] < b[i]) << i; break;
        case CMP_LE: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] <= b[i]) << i; break;
        case CMP_GT: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] > b[i]) << i; break;
        default: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] >= b[i]) << i; break;
        }
      }
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_CMPK:
    case OP_FCMPK: {
      const int64_t *a;
      if (hot && x->op == OP_CMPK)
        return x;
      uint64_t bits = 0, k;
      const int64_t c = x->k;
      if (x->op == OP_FCMPK) {
        a = col[x->aux];
        k = ink[x->aux] & lanes;
      } else {
        a = p[x->a];
        k = known[x->a];
      }
      switch (x->b) {
      case CMP_EQ: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] == c) << i; break;
      case CMP_NE: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] != c) << i; break;
      case CMP_LT: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] < c) << i; break;
      case CMP_LE: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] <= c) << i; break;
      case CMP_GT: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] > c) << i; break;
      default: for (i = 0; i < n; i++) bits |= (uint64_t)(a[i] >= c) << i; break;
      }
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_INSET:
    case OP_FINSET: {
      const int64_t *a;
      if (hot && x->op == OP_INSET)
        return x;
      uint64_t bits = 0, k;
      const uint64_t mask = (uint64_t)x->k;
      if (x->op == OP_FINSET) {
        a = col[x->aux];
        k = ink[x->aux] & lanes;
      } else {
        a = p[x->a];
        k = known[x->a];
      }
      for (i = 0; i < n; i++) {
        uint64_t v = (uint64_t)a[i];
        bits |= (v < 64 ? (mask >> v) & 1 : 0) << i;
      }
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_HAS: {
      COLD;
      const int64_t *set = p[x->a], *m = p[x->b];
      uint64_t bits = 0, k = known[x->a] & known[x->b];
      for (i = 0; i < n; i++) {
        uint64_t v = (uint64_t)m[i];
        bits |= (v < 64 ? ((uint64_t)set[i] >> v) & 1 : 0) << i;
      }
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_TEXTEQ: {
      COLD;
      const int64_t *a = p[x->a], *b = p[x->b];
      uint64_t bits = 0, k = known[x->a] & known[x->b];
      for (i = 0; i < n; i++)
        if ((k >> i) & 1)
          bits |= (uint64_t)(strcmp((const char *)(intptr_t)a[i],
                                    (const char *)(intptr_t)b[i]) == 0) << i;
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_AND:
      ip = vm_logic(x, OP_AND, base, truth, known, lanes);
      break;
    case OP_OR:
      ip = vm_logic(x, OP_OR, base, truth, known, lanes);
      break;
    case OP_NOT: {
      uint64_t k = known[x->a];
      truth[d] = k & ~truth[x->a];
      known[d] = k;
      break;
    }
    case OP_ISMISSING: {
      uint64_t k = known[x->a];
      truth[d] = x->k ? k : (~k & lanes);
      known[d] = lanes;
      break;
    }
    case OP_BSELECT: {
      COLD;
      uint64_t ct = truth[x->aux], ck = known[x->aux];
      uint64_t cf = ck & ~ct;
      uint64_t t = (ct & truth[x->a]) | (cf & truth[x->b]);
      known[d] = (ct & known[x->a]) | (cf & known[x->b]);
      truth[d] = t;
      break;
    }
    case OP_WORKDAY:
    case OP_HOLIDAY: {
      COLD;
      const int64_t *a = p[x->a];
      uint64_t bits = 0, k = known[x->a], bad = 0;
      for (i = 0; i < n; i++) {
        if (!((k >> i) & 1))
          continue;
        if (vm->calendar == NULL || a[i] < CPW_DATE_MIN || a[i] > CPW_DATE_MAX)
          bad |= UINT64_C(1) << i;
        else
          bits |= (uint64_t)((x->op == OP_WORKDAY
                                 ? cpw_calendar_is_working_day(vm->calendar, (cpw_date)a[i])
                                 : cpw_calendar_is_holiday(vm->calendar, (cpw_date)a[i], NULL))
                             == 1) << i;
      }
      err |= bad & active;
      k &= ~bad;
      truth[d] = bits & k;
      known[d] = k;
      break;
    }
    case OP_JALLF:
      ip = vm_logic(x, OP_JALLF, base, truth, known, lanes);
      break;
    case OP_JALLT:
      ip = vm_logic(x, OP_JALLT, base, truth, known, lanes);
      break;
    case OP_NARROW:
      COLD;
      truth[d] = active;
      active &= x->k ? ~truth[x->a] : ~(known[x->a] & ~truth[x->a]);
      break;
    case OP_WIDEN:
      COLD;
      active = truth[x->a];
      break;
    case OP_TALL:
    case OP_TANY:
    case OP_TANDANY:
    case OP_TORALL: {
      const cpw__insn *next;
      if (x->op == OP_TALL) /* constant opcodes: each case its own instantiation */
        next = run_list(x, OP_TALL, base, truth, known, col, ink, n, lanes, vm->fits32);
      else if (x->op == OP_TANY)
        next = run_list(x, OP_TANY, base, truth, known, col, ink, n, lanes, vm->fits32);
      else if (x->op == OP_TANDANY)
        next = run_list(x, OP_TANDANY, base, truth, known, col, ink, n, lanes, vm->fits32);
      else
        next = run_list(x, OP_TORALL, base, truth, known, col, ink, n, lanes, vm->fits32);
      if (next == NULL) {
        *result = d;
        vm->err = err;
        return NULL;
      }
      ip = next;
      break;
    }
    case OP_TRACE:
      COLD;
      if (vm->trace != NULL) {
        cpw__trace_entry *e = &vm->trace[x->aux];
        e->gen = vm->trace_gen;
        e->known = (uint8_t)(known[x->a] & 1);
        e->truth = (uint8_t)(truth[x->a] & 1);
        e->value = x->k ? (int64_t)(truth[x->a] & 1) : p[x->a][0];
      }
      break;
    case OP_RET:
      *result = x->a;
      vm->err = err;
      return NULL;
    default: /* OP_TEST is never executed */
      *result = 0;
      vm->err = err;
      return NULL;
    }
  }
#undef COLD
}

void cpw__vm_run(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in, uint32_t n,
                 uint32_t *result)
{
  if (n == 1)
    vm_exec(vm, code, in, 1, code->code, 0, result);
  else if (n == CPW__LANES)
    vm_exec(vm, code, in, CPW__LANES, code->code, 0, result);
  else
    vm_exec(vm, code, in, n, code->code, 0, result);
}

/* One lane, the full instantiation from ip on (where the small one stopped). */
static CPW__NOINLINE void vm_resume1(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                                     const cpw__insn *ip, uint32_t *result)
{
  vm_exec(vm, code, in, 1, ip, 0, result);
}

int cpw__vm_run1_from(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                      const cpw__insn *ip)
{
  uint32_t r;
  ip = vm_exec(vm, code, in, 1, ip, 1, &r); /* the small instantiation */
  if (ip != NULL)
    vm_resume1(vm, code, in, ip, &r);
  if (vm->err & 1)
    return 2;
  if (!(vm->known[r] & 1))
    return -1;
  return (int)(vm->truth[r] & 1);
}

/* The one-lane run of a formula: its test graph when it has one and every field the graph
 * reads is there (cpw__vm_run1_graph); else its lists and logic (cpw__vm_run1_lists), then the
 * rest (cpw__vm_run1_from: its small instantiation first). Traced code is never fused: it goes to
 * the machine at once. */
int cpw__formula(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                 cpw__trace_entry *trace, uint32_t *gen)
{
  const cpw__insn *ip;
  int v;
  vm->trace = trace;
  vm->err = 0;
  if (code->code == NULL)
    return CPW__TRUE;
  if (trace != NULL) {
    vm->trace_gen = ++*gen;
    return cpw__vm_run1_from(vm, code, in, code->code);
  }
  if (code->graph != NULL &&
      (v = cpw__vm_run1_graph(code, CPW__G_COLUMNS, in->col, NULL, in->known, NULL, 0, 0)) !=
        CPW__RUN1_MORE)
    return v;
  v = cpw__vm_run1_lists(vm, code, in->col, in->known, &ip);
  return v != CPW__RUN1_MORE ? v : cpw__vm_run1_from(vm, code, in, ip);
}

int cpw__formula_value(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                       int64_t *value)
{
  uint32_t r;
  int w;
  vm->err = 0;
  vm->trace = NULL;
  w = cpw__shape_value(code, CPW__G_COLUMNS, in->col, NULL, in->known, NULL, 0, 0, value);
  if (w != CPW__RUN1_MORE) {
    vm->err = w == CPW__EVAL_ERROR;
    return w;
  }
  cpw__vm_run(vm, code, in, 1, &r);
  if (vm->err & 1)
    return CPW__EVAL_ERROR;
  if (!(vm->known[r] & 1))
    return CPW__UNKNOWN;
  *value = code->is_bool ? (int64_t)(vm->truth[r] & 1) : vm->p[r][0];
  return CPW__TRUE;
}

int64_t cpw__param_value(const struct cpw_policy *pol, uint32_t index, int64_t date, int *known)
{
  const cpw__param *pm = &pol->params[index];
  uint32_t lo = 0, hi = pm->nperiods;
  *known = 0;
  if (date > pm->until || pm->nperiods == 0 || date < pm->from[0])
    return 0;
  while (hi - lo > 1) { /* the last period starting on or before date */
    uint32_t mid = lo + (hi - lo) / 2;
    if (pm->from[mid] <= date)
      lo = mid;
    else
      hi = mid;
  }
  *known = 1;
  return pm->values[lo];
}
