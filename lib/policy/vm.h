/* SPDX-License-Identifier: Apache-2.0 */
/* policy/vm.h: the bytecode and the virtual machine that runs every formula of a policy:
 * eligibility rules, workflow guards and updates, deadline conditions, gatekeeping rules.
 *
 * The machine is a register machine over *lanes*: each instruction works on up to 64 records at
 * once (a batch evaluation runs 64 at a time; a single record is a batch of one lane). A
 * register holds, per lane, a 64-bit value (int, money in tetri, date in days, date-time in
 * seconds, enum member index, set bit mask, text pointer) or, for booleans, a bit in `truth`;
 * `known` has a bit per lane whose value is known (not missing). Booleans follow Kleene's
 * three-valued logic. Code never jumps backwards and always ends with OP_RET (a jump goes at
 * most to that OP_RET), so every run ends after at most as many steps as the code has
 * instructions.
 *
 * Short circuits: `a and b` skips b when a is known false in every lane (`a or b`: known true).
 * A lane whose a already decides the result is *inactive* while b runs: an evaluation error in
 * b does not count for it, exactly as a run of that record alone would never have evaluated b
 * (OP_NARROW / OP_WIDEN bracket a b that can fail; the machine keeps the active lanes).
 *
 * Superinstructions (fast code only: traced code is never fused, each node is traced): a list
 * of simple field tests (a field compared with constants, in a constant set, a bool field),
 * combined by `and` or `or`, runs as one OP_TALL / OP_TANY / OP_TANDANY / OP_TORALL head
 * followed by two OP_TEST slots per test (see cpw__test_kind), with the short-circuit jump of
 * its chain built in. Tests cannot fail, so the order of the operands of a chain none of whose
 * operands can fail does not change any result: the code generator puts the tests first.
 * Besides, OP_FCMPK, OP_FINSET fuse a field load with a test, and jumps to a jump on the same
 * register are threaded.
 *
 * One VM, several instantiations: vm.c instantiates the machine for one lane, 64 lanes and any
 * number of lanes, and a small one-lane instantiation for boolean tests; the one-record path
 * runs a formula's test graph when it has one and its fields are there (cpw__vm_run1_graph:
 * `and`, `or`, `not` over simple tests, compiled as a graph of tests besides the code), else
 * its test lists and logic with cpw__vm_run1_lists (below), inline. On 64 lanes,
 * a range test whose field's values fit int32 runs on 32-bit lanes (CPW__VECTORS, fits32).
 *
 * Instruction: op | dst | a | b | aux (32 bits) | k (64 bits)
 *   dst, a, b   registers (b is the comparison operator of OP_CMPK / OP_FCMPK)
 *   aux         field slot, parameter index, jump target, trace node id, time unit, c register
 *   k           constant, enum bit mask, comparison operator
 */
#ifndef CPW_POLICY_VM_H
#define CPW_POLICY_VM_H

#include "base/base.h"

#define CPW__LANES 64
#define CPW__MAX_REGS 250
#define CPW__MAX_CODE 65536

typedef enum cpw__op {
  /* values */
  OP_CONST,      /* dst = k */
  OP_MISSING,    /* dst = missing */
  OP_FIELD,      /* dst = slot aux (no copy: the register points at the input) */
  OP_PARAM,      /* dst = parameter aux as of the evaluation date */
  OP_ASOF,       /* dst = the evaluation date */
  OP_NEG,        /* dst = -a */
  OP_ADD, OP_SUB, OP_MUL, OP_DIV,   /* dst = a op b (overflow, division by zero: error lane) */
  OP_DATE_ADD,   /* dst = date a + k units aux (cpw__unit); U_WORKING_DAYS uses the calendar */
  OP_TIME_ADD,   /* dst = date-time a + k units aux */
  OP_AGE,        /* dst = completed years from date a to date b */
  OP_MONTHS,     /* dst = completed months from date a to date b */
  OP_YEARS,      /* dst = completed years from date a to date b (= AGE) */
  OP_MIN, OP_MAX,
  OP_COUNT,      /* dst = members in set a */
  OP_TODATE,     /* dst = local date of date-time a */
  OP_WDAYS,      /* dst = working days d with a < d <= b */
  OP_SELECT,     /* dst = truth(aux) ? a : b  (value registers) */
  /* booleans */
  OP_BCONST,     /* dst = k (0/1) */
  OP_BFIELD,     /* dst = slot aux != 0 */
  OP_BVALUE,     /* dst = value register a != 0 (a boolean parameter or field loaded as value) */
  OP_CMP,        /* dst = a (k: operator) b; aux 1: boolean operands */
  OP_CMPK,       /* dst = a (b: operator) constant k */
  OP_FCMPK,      /* dst = slot aux (b: operator) constant k: fused OP_FIELD + OP_CMPK */
  OP_INSET,      /* dst = (1 << a) & k != 0 */
  OP_FINSET,     /* dst = (1 << slot aux) & k != 0: fused */
  OP_HAS,        /* dst = set a & set b != 0 ... with b a member index: (a >> b) & 1 */
  OP_TEXTEQ,     /* dst = text a equals text b */
  OP_AND, OP_OR, OP_NOT,
  OP_ISMISSING,  /* dst = a is missing (k = 1: is given) */
  OP_BSELECT,    /* dst = truth(aux) ? a : b  (boolean registers) */
  OP_WORKDAY,    /* dst = date a is a working day */
  OP_HOLIDAY,    /* dst = date a is a holiday or a day off */
  /* control */
  OP_JALLF,      /* if every lane of a is known false: goto aux */
  OP_JALLT,      /* if every lane of a is known true: goto aux */
  OP_TRACE,      /* record lane 0 of a (value or boolean, k = 1 boolean) as node aux */
  OP_RET,        /* the result is register a */
  /* lanes a decided (fast code: the b of a chain that can fail; traced code: the b of every
   * `and` / `or`, which traced code always evaluates so that explanations see both sides) */
  OP_NARROW,     /* truth(dst) = active lanes; then deactivate the lanes that a decides:
                    k = 0 (before the b of `a and b`): a known false; k = 1 (`or`): known true */
  OP_WIDEN,      /* active lanes = truth(a) (as saved by the matching OP_NARROW) */
  /* superinstructions: a head, then `a` (1..255) tests of two OP_TEST slots each. A head
   * with b & CPW__LIST_CONTINUE continues the chain that register dst is building (dst and
   * ... / dst or ...); otherwise it starts it. `and` heads then jump to aux when every lane of
   * dst is known false, `or` heads when every lane is known true. With b & CPW__LIST_FINAL,
   * what follows the list and its jump target are both OP_RET dst: the run ends there.
   * The tests of OP_TANY and OP_TANDANY are stored negated (a or b = not (not a and not b)),
   * so one loop runs every list. */
  OP_TALL,       /* dst = [dst and] test 1 and test 2 ...   e.g. `age < 18 and registered` */
  OP_TANY,       /* dst = [dst or] test 1 or test 2 ...   e.g. `street or trafficking` */
  OP_TANDANY,    /* dst = [dst and] (test 1 or test 2 ...): an `or` of tests as an operand of
                    an `and` chain, e.g. `... and (months > 12 or asylum) and ...` */
  OP_TORALL,     /* dst = [dst or] (test 1 and test 2 ...): an `and` of tests as an operand of
                    an `or` chain, e.g. `... or (score < 100000 and children > 0) or ...` */
  OP_TEST,       /* one test of a list, never executed: first slot aux field slot, b kind
                    (cpw__test_kind), a 1 to negate (not for TEST_RANGE), k constant; second
                    slot k span */
  OP__COUNT
} cpw__op;

/* Simple field tests of the test lists, on the field's value v (as uint64_t). A test is
 * unknown in the lanes where the field is missing; negation (a = 1) flips the known lanes
 * only: Kleene's not. */
typedef enum cpw__test_kind {
  TEST_RANGE,    /* v - lo <= span (k lo, second slot's k span), in unsigned (wrapping)
                    arithmetic: lo <= v <= lo + span, or, when that wraps, its complement;
                    covers = != < <= > >= between with constants, enums in sets of consecutive
                    members, bool fields (v != 0: 1 <= v <= -1 wrapping) */
  TEST_IN,       /* v < 64 and bit v of mask k is set: enum in a constant set (mask 0: never) */
  TEST_ANYBIT    /* v & mask k != 0: set field contains a constant member */
} cpw__test_kind;

/* the b of a test list head */
#define CPW__LIST_CONTINUE 1 /* dst = dst and/or the list (else dst = the list) */
#define CPW__LIST_FINAL 2    /* the run ends with the list: return dst */

/* comparison operators in OP_CMP/OP_CMPK/OP_FCMPK */
enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

typedef struct cpw__insn {
  uint8_t op, dst, a, b;
  uint32_t aux;
  int64_t k;
} cpw__insn;

/* One node of a formula's test graph (cpw__code.graph): a simple field test (cpw__test_kind;
 * a negated test is stored with its two ways swapped), then the node to go on with when it is
 * false (next[0]) or true (next[1]), as its byte offset from the graph's start (CPW__G_NODE),
 * or the end: CPW__G_FALSE, CPW__G_TRUE. */
typedef struct cpw__gnode {
  uint64_t k;             /* TEST_RANGE lo, or the mask */
  uint64_t span;          /* TEST_RANGE span */
  uint32_t slot;          /* the field */
  uint16_t kind;
  uint16_t next[2];
} cpw__gnode;

#define CPW__G_FALSE 0xfffeu
#define CPW__G_TRUE 0xffffu
#define CPW__G_NODE(g, off) ((const cpw__gnode *)(const void *)((const char *)(g) + (off)))
#define CPW__G_MAX 64     /* tests in a graph at most (a larger formula runs on the VM only) */

/* A graph of range tests has a flat form too, when it has 2 to CPW__FLAT_MAX distinct tests
 * (cpw__code.flat): the tests, and the formula's value for each way they can come out (a
 * truth table). A run does every test and looks its answer up; the graph's walk does only the
 * tests on its path, but each step's loads wait for the step before, and the flat tests do
 * not wait on each other. */
typedef struct cpw__ftest {
  uint64_t k;             /* passes when value - k <= span (unsigned), as TEST_RANGE */
  uint64_t span;
  uint32_t slot;          /* the field (below 64) */
} cpw__ftest;

#define CPW__FLAT_MAX 12  /* distinct tests in a flat form at most (a table of 4096 bits) */

/* A compiled formula. `code` may be NULL for an absent formula (always true). */
typedef struct cpw__code {
  cpw__insn *code;
  cpw__gnode *graph;      /* a boolean formula of `and`, `or`, `not` over simple tests (fast
                             code): the same formula as a graph, entered at node 0; else NULL */
  uint64_t graph_need;    /* when every test of the graph is a range test of a field below 64:
                             the bit of each field it reads (else 0: no fast run) */
  const cpw__ftest *flat; /* when graph_need is not 0 and the graph has from 2 to
                             CPW__FLAT_MAX distinct tests: those (else NULL) */
  const uint64_t *flat_table; /* bit m: the formula's value when test t fails exactly when bit
                                 t of m is set */
  uint32_t nflat;         /* tests in flat (at least 2) */
  uint32_t n;
  uint32_t nregs;
  uint8_t is_bool;        /* the result is a boolean */
  uint8_t text;           /* the result is a text pointer */
  uint8_t shape;          /* CPW__SHAPE_*: a value formula the one-lane runner does inline */
  uint32_t shape_slot;    /* the field of the shape */
  int64_t shape_k;        /* its constant */
} cpw__code;

/* Shapes of value formulas that cpw__formula_value computes without the VM (set by the code
 * generator; the VM runs every other formula, and these too on many lanes). */
enum {
  CPW__SHAPE_NONE,
  CPW__SHAPE_CONST,       /* k */
  CPW__SHAPE_ADDK,        /* field + k (k + field), overflow an evaluation error */
  CPW__SHAPE_SUBK         /* field - k */
};

/* One traced node value (explanations). */
typedef struct cpw__trace_entry {
  int64_t value;
  uint32_t gen;           /* equals the run's generation when the node was evaluated */
  uint8_t known;
  uint8_t truth;
} cpw__trace_entry;

struct cpw_policy;
struct cpw_calendar;

/* The inputs a run reads: per slot, a pointer to the lane values and a mask of known lanes
 * (no bits beyond the lanes run). */
typedef struct cpw__vm_in {
  const int64_t *const *col;
  const uint64_t *known;
} cpw__vm_in;

/* Machine state, owned by whoever evaluates (a decision, a batch call, a case operation). */
typedef struct cpw__vm {
  cpw_ctx *ctx;
  uint32_t nregs;          /* registers allocated */
  uint32_t lanes_cap;      /* lanes allocated per register */
  int64_t *store;          /* nregs * lanes_cap values */
  const int64_t **p;       /* per register: where its lane values are */
  uint64_t *known;         /* per register */
  uint64_t *truth;         /* per register */
  /* per run */
  uint64_t err;            /* lanes that hit an evaluation error (set by each run) */
  int64_t as_of;
  int tz_minutes;
  const struct cpw_policy *policy;
  const struct cpw_calendar *calendar;
  cpw__trace_entry *trace; /* traced runs only */
  uint32_t trace_gen;
  int64_t bcast[4][CPW__LANES]; /* broadcast constants */
  /* batches: per field slot, nonzero when the values of its known lanes fit int32 in every
   * chunk (checked fields: bool, enum, date), so that 64-lane range tests may run on 32-bit
   * lanes; the values of other fields are checked chunk by chunk (NULL: no field is known to) */
  const uint8_t *fits32;
} cpw__vm;

int cpw__vm_init(cpw__vm *vm, cpw_ctx *ctx, uint32_t nregs, uint32_t lanes);
void cpw__vm_free(cpw__vm *vm);

/* Run `code` (not NULL) on lanes 0..n-1 of `in` (1 <= n <= the VM's lanes). The result is
 * register *result (bool: truth/known); vm->err has the lanes that hit an evaluation error. */
void cpw__vm_run(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in, uint32_t n,
                 uint32_t *result);

/* ------------------------------------------------------------------ one lane
 * The one-record path (a decision, a guard, a gatekeeping rule) runs a formula's test lists
 * and their logic (OP_TALL ... OP_TORALL, OP_AND, OP_OR, OP_JALLF, OP_JALLT, OP_RET)
 * with cpw__vm_run1_lists, which keeps no state but the registers' two bits; most rules are
 * nothing else. It stops at any other instruction, which cpw__vm_run1_from runs on. */

/* What a formula answers (cpw__formula, cpw__formula_value, cpw__shape_value) */
enum { CPW__UNKNOWN = -1, CPW__FALSE = 0, CPW__TRUE = 1, CPW__EVAL_ERROR = 2 };

/* cpw__vm_run1_lists's answer when the run goes on with cpw__vm_run1_from */
#define CPW__RUN1_MORE 3

/* The rest of a one-lane run from ip (1 true, 0 false, -1 unknown, 2 an evaluation error).
 * Set the VM's policy, calendar, time zone and date first. */
int cpw__vm_run1_from(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                      const cpw__insn *ip);

/* GCC and clang vector extensions on a little-endian target (the low half of an int64_t is
 * its first 32 bits), for the batch's 64-lane loops; each use has a portable fallback, which a
 * build with -DCPW_NO_VECTOR_EXT runs instead. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(CPW_NO_VECTOR_EXT)
#  define CPW__VECTORS 1
typedef uint32_t cpw__vu32x4 __attribute__((vector_size(16)));
typedef int32_t cpw__vi32x4 __attribute__((vector_size(16)));
typedef uint64_t cpw__vu64x2 __attribute__((vector_size(16)));
typedef uint64_t cpw__vu64x4 __attribute__((vector_size(32))); /* two SSE2 registers */
typedef uint8_t cpw__vu8x16 __attribute__((vector_size(16)));
#endif

/* On x86-64, an AVX2 form of the hottest of those loops, compiled for AVX2 alone
 * (CPW__TARGET_AVX2) and chosen per call when the CPU has it (CPW__HAS_AVX2); a build with
 * -DCPW_NO_AVX2 leaves it out. */
#if defined(CPW__VECTORS) && defined(__x86_64__) && !defined(CPW_NO_AVX2)
#  define CPW__AVX2 1
#  define CPW__TARGET_AVX2 __attribute__((target("avx2")))
#  define CPW__HAS_AVX2() __builtin_cpu_supports("avx2")
typedef uint32_t cpw__vu32x8 __attribute__((vector_size(32)));
typedef int32_t cpw__vi32x8 __attribute__((vector_size(32)));
#endif

#if defined(__GNUC__)
#  define CPW__ALWAYS_INLINE static inline __attribute__((always_inline))
#  define CPW__NOINLINE __attribute__((noinline))
#else
#  define CPW__ALWAYS_INLINE static inline
#  define CPW__NOINLINE
#endif

/* A simple test (cpw__test_kind `kind`, constant k, span) on the value v, not negated */
CPW__ALWAYS_INLINE uint64_t cpw__test1(const uint8_t kind, const uint64_t v, const uint64_t k,
                                       const uint64_t span)
{
  if (kind == TEST_RANGE)
    return v - k <= span;
  if (kind == TEST_IN)
    return v < 64 ? (k >> v) & 1 : 0;
  return (v & k) != 0;
}

/* Where a test graph reads a field: see cpw__vm_run1_graph */
enum { CPW__G_COLUMNS, CPW__G_VALUES, CPW__G_CASE };

/* A formula's test graph (code->graph, not NULL) of range tests only (code->graph_need not
 * 0), on a record's values (CPW__G_VALUES: vals[f]) or a case's under an event's
 * (CPW__G_CASE: over[f] where bit f of overm is set, else vals[f]), when `known` (the marks
 * of the fields below 64 as bits) holds every field the graph may read: 1 true, 0 false;
 * else CPW__RUN1_MORE, and the caller runs cpw__vm_run1_graph. Each test read decides where
 * to go, as `and` and `or` do when every value is known: no registers, no Kleene logic, no
 * mark read per test, no test kind (a comparison, a bool, an enum in consecutive members are
 * all ranges: most rules). A graph with a flat form runs that instead (cpw__ftest). */
CPW__ALWAYS_INLINE int cpw__vm_run1_ranges(const cpw__code *code, const int form,
                                           const int64_t *vals, const int64_t *over,
                                           const uint64_t overm, const uint64_t known)
{
  const cpw__gnode *const g = code->graph;
  const uint64_t need = code->graph_need;
  size_t i = 0; /* the node's offset (size_t: used as it is in the address) */
  if (need == 0 || (known & need) != need)
    return CPW__RUN1_MORE;
  if (code->flat != NULL) {
    /* every test, the last first: bit t of m is set when test t fails (the compare's carry,
     * so that no negation follows it) */
    const cpw__ftest *t = code->flat + code->nflat;
    uint32_t m = 0;
    do {
      const cpw__ftest *x = --t;
      const int64_t v = form == CPW__G_VALUES ? vals[x->slot]
                        : (overm >> x->slot) & 1 ? over[x->slot] : vals[x->slot];
      m = m + m + (x->span < (uint64_t)v - x->k);
    } while (t != code->flat);
    return (int)((code->flat_table[m >> 6] >> (m & 63)) & 1);
  }
  do {
    const cpw__gnode *x = CPW__G_NODE(g, i);
    const uint32_t f = x->slot;
    const int64_t v = form == CPW__G_VALUES ? vals[f] : (overm >> f) & 1 ? over[f] : vals[f];
    i = x->next[(uint64_t)v - x->k <= x->span];
  } while (i < CPW__G_FALSE);
  return (int)(i - CPW__G_FALSE);
}

/* A formula's test graph (code->graph, not NULL) on one record, case or lane 0 of columns:
 * 1 true, 0 false, or CPW__RUN1_MORE when a test's field is missing (the caller then runs
 * the formula's code, which knows what a missing field leaves unknown). Unused arguments of
 * the form may be NULL or 0. Where field f is read, in one of three forms (a constant):
 * CPW__G_COLUMNS, the VM's input (col[f][0], there when ink[f] & 1); CPW__G_VALUES, a
 * record's values (vals[f], ink[f] & 1; `known` the same marks as bits, for the fields below
 * 64); CPW__G_CASE, a case's values under an event's (f < 64: over[f] where bit f of overm is
 * set, else vals[f]; there when bit f of known is set). The last two run
 * cpw__vm_run1_ranges first. */
CPW__ALWAYS_INLINE int cpw__vm_run1_graph(const cpw__code *code, const int form,
                                          const int64_t *const *col, const int64_t *vals,
                                          const uint64_t *ink, const int64_t *over,
                                          const uint64_t overm, const uint64_t known)
{
  const cpw__gnode *const g = code->graph;
  uint32_t i = 0;
  if (form != CPW__G_COLUMNS) {
    const int v = cpw__vm_run1_ranges(code, form, vals, over, overm, known);
    if (v != CPW__RUN1_MORE)
      return v;
  }
  do {
    const cpw__gnode *x = CPW__G_NODE(g, i);
    const uint32_t f = x->slot;
    int64_t v;
    if (form == CPW__G_CASE ? ((known >> f) & 1) == 0 : (ink[f] & 1) == 0)
      return CPW__RUN1_MORE;
    v = form == CPW__G_COLUMNS ? col[f][0]
        : form == CPW__G_VALUES ? vals[f]
                                : (overm >> f) & 1 ? over[f] : vals[f];
    i = x->next[cpw__test1((uint8_t)x->kind, (uint64_t)v, x->k, x->span)];
  } while (i < CPW__G_FALSE);
  return (int)(i - CPW__G_FALSE);
}

/* A value formula of a shape (code->shape, CPW__SHAPE_*) on field values read as
 * cpw__vm_run1_graph reads them (form CPW__G_COLUMNS or CPW__G_CASE): CPW__TRUE with *value,
 * CPW__UNKNOWN when its field is missing, CPW__EVAL_ERROR when field + k overflows, or
 * CPW__RUN1_MORE for a formula of no shape (the caller runs its code). The one place the
 * shapes are computed: cpw__formula_value and the case engine's updates call it. */
CPW__ALWAYS_INLINE int cpw__shape_value(const cpw__code *code, const int form,
                                        const int64_t *const *col, const int64_t *vals,
                                        const uint64_t *ink, const int64_t *over,
                                        const uint64_t overm, const uint64_t known,
                                        int64_t *value)
{
  const uint32_t f = code->shape_slot;
  const int64_t k = code->shape_k;
  int64_t v;
  if (code->shape == CPW__SHAPE_CONST) {
    *value = k;
    return CPW__TRUE;
  }
  if (code->shape != CPW__SHAPE_ADDK && code->shape != CPW__SHAPE_SUBK)
    return CPW__RUN1_MORE;
  if (form == CPW__G_CASE ? ((known >> f) & 1) == 0 : (ink[f] & 1) == 0)
    return CPW__UNKNOWN;
  v = form == CPW__G_COLUMNS ? col[f][0] : (overm >> f) & 1 ? over[f] : vals[f];
  if (code->shape == CPW__SHAPE_ADDK ? (k > 0 ? v > INT64_MAX - k : v < INT64_MIN - k)
                                     : (k > 0 ? v < INT64_MIN + k : v > INT64_MAX + k))
    return CPW__EVAL_ERROR;
  *value = code->shape == CPW__SHAPE_ADDK ? v + k : v - k;
  return CPW__TRUE;
}

/* Run boolean fast `code` (not NULL, untraced) on lane 0 of col/ink from its start, for as long
 * as its instructions are test lists and logic; inline in its two callers (cpw_evaluate,
 * cpw__formula). Returns the result (1 true, 0 false, -1 unknown) when the run ends there,
 * else CPW__RUN1_MORE with *ip the instruction to go on from (its registers are in vm). Needs
 * only vm's registers, none of its other settings.
 *
 * Each register is two bits of lane 0, truth and known, as in the machine, so that
 * cpw__vm_run1_from goes on where this stops. A list's tests are read one by one until one
 * decides it (a test of an `and` list known false; the tests of an `or` list are stored
 * negated, so the same); then the list's chain, as the machine's lists do on many lanes: its
 * value is [dst and/or] the list, and an `and` chain known false (`or`: true) jumps. Tests
 * cannot fail: vm->err is left as it is (cpw__formula clears it; the machine sets it). */
CPW__ALWAYS_INLINE int cpw__vm_run1_lists(cpw__vm *vm, const cpw__code *code,
                                          const int64_t *const *col, const uint64_t *ink,
                                          const cpw__insn **ip)
{
  const cpw__insn *x = code->code;
  for (;;) {
    const uint8_t op = x->op;
    uint64_t t, f; /* what x sets, lane 0: known true, known false */
    if (op >= OP_TALL && op <= OP_TORALL) {
      const cpw__insn *s = x + 1, *const e = s + 2 * (uint32_t)x->a;
      const int and_chain = op == OP_TALL || op == OP_TANDANY;
      uint64_t hit = 0, unknown = 0; /* a test decides the list; a test is unknown */
      for (; s < e; s += 2) {
        uint64_t b;
        if ((ink[s->aux] & 1) == 0) {
          unknown = 1;
          continue;
        }
        b = cpw__test1(s->b, (uint64_t)col[s->aux][0], (uint64_t)s->k, (uint64_t)s[1].k);
        if (b == s->a) { /* the stored test is known not to hold */
          hit = 1;
          break;
        }
      }
      /* an `and` list is false on a hit, true when every test held; `or` the other way */
      t = op == OP_TALL || op == OP_TORALL ? !hit && !unknown : hit;
      f = op == OP_TALL || op == OP_TORALL ? hit : !hit && !unknown;
      if (x->b & CPW__LIST_CONTINUE) {
        uint64_t td = vm->truth[x->dst] & 1, fd = vm->known[x->dst] & ~vm->truth[x->dst] & 1;
        t = and_chain ? td & t : td | t;
        f = and_chain ? fd | f : fd & f;
      } /* else the list starts the chain: its value is the chain's */
      if (x->b & CPW__LIST_FINAL)
        return t ? 1 : f ? 0 : -1;
      vm->truth[x->dst] = t;
      vm->known[x->dst] = t | f;
      x = (and_chain ? f : t) ? code->code + x->aux : e;
    } else if (op == OP_AND || op == OP_OR) {
      uint64_t ta = vm->truth[x->a] & 1, fa = vm->known[x->a] & ~vm->truth[x->a] & 1;
      uint64_t tb = vm->truth[x->b] & 1, fb = vm->known[x->b] & ~vm->truth[x->b] & 1;
      t = op == OP_AND ? ta & tb : ta | tb;
      f = op == OP_AND ? fa | fb : fa & fb;
      vm->truth[x->dst] = t;
      vm->known[x->dst] = t | f;
      x++;
    } else if (op == OP_JALLF || op == OP_JALLT) {
      t = vm->truth[x->a] & 1;
      f = vm->known[x->a] & ~vm->truth[x->a] & 1;
      x = (op == OP_JALLF ? f : t) ? code->code + x->aux : x + 1;
    } else if (op == OP_RET) {
      return vm->truth[x->a] & 1 ? 1 : vm->known[x->a] & 1 ? 0 : -1;
    } else { /* the rest (OP_NOT too, rare in fast code): the machine */
      *ip = x;
      return CPW__RUN1_MORE;
    }
  }
}

/* ------------------------------------------------------------------ the formula runner
 * The one way the engines run a formula on one record, case or placement (eligibility rules
 * and amounts, workflow guards, deadline conditions and updates, gatekeeping rules); batches
 * run cpw__vm_run on many lanes. Set the VM's policy, calendar, time zone and date first.
 *
 * cpw__formula: boolean `code`, traced into `trace` (with a new generation from *gen) when
 * trace is not NULL. Returns CPW__TRUE, CPW__FALSE, CPW__UNKNOWN (a fact it needs is missing)
 * or CPW__EVAL_ERROR (a value out of range: the caller names the formula). NULL code (an
 * absent formula) is true. */
int cpw__formula(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                 cpw__trace_entry *trace, uint32_t *gen);

/* cpw__formula for a value: CPW__TRUE with *value (a boolean as 0 or 1), CPW__UNKNOWN when
 * it is missing, CPW__EVAL_ERROR; untraced. The shapes of cpw__code run inline. */
int cpw__formula_value(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                       int64_t *value);

#endif
