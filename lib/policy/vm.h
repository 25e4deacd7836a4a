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
 * runs a formula's leading test lists inline with the same list code (cpw__vm_run1 below).
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

/* A compiled formula. `code` may be NULL for an absent formula (always true). */
typedef struct cpw__code {
  cpw__insn *code;
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
} cpw__vm;

int cpw__vm_init(cpw__vm *vm, cpw_ctx *ctx, uint32_t nregs, uint32_t lanes);
void cpw__vm_free(cpw__vm *vm);

/* Run `code` (not NULL) on lanes 0..n-1 of `in` (1 <= n <= the VM's lanes). The result is
 * register *result (bool: truth/known); vm->err has the lanes that hit an evaluation error. */
void cpw__vm_run(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in, uint32_t n,
                 uint32_t *result);

/* ------------------------------------------------------------------ test lists
 * Here rather than in vm.c so that the one-record path runs a formula's leading test lists
 * inline (most rules are nothing else); vm.c runs them with the same functions. */

#if defined(__GNUC__)
#  define CPW__ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#  define CPW__ALWAYS_INLINE static inline
#endif

/* The lanes of one simple test (see cpw__test_kind) of the OP_TEST slots at t: bit i is the
 * test on a[i], negated when asked; the caller keeps the known lanes. Values of missing lanes
 * may be anything: only unsigned arithmetic and guarded shifts touch them. */
CPW__ALWAYS_INLINE uint64_t cpw__test_bits(const cpw__insn *t, const int64_t *restrict a,
                                           const uint32_t n)
{
  const uint64_t k = (uint64_t)t[0].k;
  uint64_t bits = 0;
  uint32_t i;
  if (t->b == TEST_RANGE) {
    const uint64_t span = (uint64_t)t[1].k;
    if (n % 8 == 0) { /* eight lanes a byte each, then their bits gathered by a multiply */
      for (i = 0; i < n; i += 8) {
        uint64_t w = 0;
        uint32_t j;
        for (j = 0; j < 8; j++)
          w |= (uint64_t)((uint64_t)a[i + j] - k <= span) << (8 * j);
        bits |= ((w * UINT64_C(0x0102040810204080)) >> 56) << i;
      }
      return bits;
    }
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
CPW__ALWAYS_INLINE const cpw__insn *cpw__run_list(const cpw__insn *x, const uint8_t op,
                                                 const cpw__insn *base,
                                                 uint64_t *restrict truth,
                                                 uint64_t *restrict known,
                                                 const int64_t *const *restrict col,
                                                 const uint64_t *restrict ink, const uint32_t n,
                                                 const uint64_t lanes)
{
  const cpw__insn *t = x + 1, *te = t + 2 * (uint32_t)x->a;
  const uint32_t d = x->dst;
  const int any = op == OP_TANY || op == OP_TANDANY;
  uint64_t all = lanes, some = 0; /* lanes where every (stored) test holds; some fails */
  uint64_t gt, gf, td, fd;
  for (; t < te && some != lanes; t += 2) {
    uint64_t k = ink[t->aux], bits = cpw__test_bits(t, col[t->aux], n);
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
CPW__ALWAYS_INLINE const cpw__insn *cpw__vm_logic(const cpw__insn *x, const uint8_t op,
                                                  const cpw__insn *base,
                                                  uint64_t *restrict truth,
                                                  uint64_t *restrict known,
                                                  const uint64_t lanes)
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

/* The rest of cpw__vm_run1 from ip (not a test list). */
int cpw__vm_run1_from(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                      const cpw__insn *ip);

/* cpw__vm_run1_start's answer when the run goes on out of line */
#define CPW__RUN1_MORE 3

/* The start of a one-lane run of boolean `code` (not NULL), inline in the caller: most formulas
 * start with a test list (many are nothing else), which runs here with no state but its two
 * bits (cpw__run_list for one lane, starting a chain). Returns the result (1 true, 0 false,
 * -1 unknown) when that ends the run, else CPW__RUN1_MORE: then cpw__vm_run1_from(*ip) does
 * the rest (set the VM's policy, calendar, time zone and date first). */
CPW__ALWAYS_INLINE int cpw__vm_run1_start(cpw__vm *vm, const cpw__code *code,
                                          const int64_t *const *col, const uint64_t *ink,
                                          const cpw__insn **ip)
{
  const cpw__insn *x = code->code, *t, *te;
  uint64_t all = 1, some = 0, gt, gf;
  int any, and_chain;
  *ip = x;
  if (x->op < OP_TALL || x->op > OP_TORALL)
    return CPW__RUN1_MORE;
  /* a list first in its chain (nothing to continue): its value is the chain's */
  for (t = x + 1, te = t + 2 * (uint32_t)x->a; t < te && !some; t += 2) {
    uint64_t k = ink[t->aux], bits = cpw__test_bits(t, col[t->aux], 1);
    all &= bits & k;
    some |= k & ~bits;
  }
  any = x->op == OP_TANY || x->op == OP_TANDANY; /* tests stored negated */
  and_chain = x->op == OP_TALL || x->op == OP_TANDANY;
  gt = any ? some : all;
  gf = any ? all : some;
  vm->err = 0;
  if (x->b & CPW__LIST_FINAL)
    return gt ? 1 : gf ? 0 : -1;
  if (and_chain ? gf : gt) { /* the chain is decided: the list jumps */
    *ip = code->code + x->aux;
    if ((*ip)->op == OP_RET && (*ip)->a == x->dst)
      return gt ? 1 : gf ? 0 : -1;
  } else if (te->op >= OP_TALL && te->op <= OP_TORALL && te->dst == x->dst &&
             (te->b & (CPW__LIST_CONTINUE | CPW__LIST_FINAL)) ==
               (CPW__LIST_CONTINUE | CPW__LIST_FINAL)) {
    /* a second list that ends the chain and the run (`t and t and (t or t)`) */
    const cpw__insn *y = te;
    all = 1;
    some = 0;
    for (t = y + 1, te = t + 2 * (uint32_t)y->a; t < te && !some; t += 2) {
      uint64_t k = ink[t->aux], bits = cpw__test_bits(t, col[t->aux], 1);
      all &= bits & k;
      some |= k & ~bits;
    }
    any = y->op == OP_TANY || y->op == OP_TANDANY;
    if (y->op == OP_TALL || y->op == OP_TANDANY) {
      gt &= any ? some : all;
      gf |= any ? all : some;
    } else {
      gt |= any ? some : all;
      gf &= any ? all : some;
    }
    return gt ? 1 : gf ? 0 : -1;
  }
  vm->truth[x->dst] = gt;
  vm->known[x->dst] = gt | gf;
  if (*ip == x)
    *ip = te;
  return CPW__RUN1_MORE;
}

/* Run boolean `code` on one lane (the single-record path): 1 true, 0 false, -1 unknown, 2 an
 * evaluation error. NULL code (an absent formula) is true. The VM's policy, calendar, time
 * zone and date must be set. */
CPW__ALWAYS_INLINE int cpw__vm_run1(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in)
{
  const cpw__insn *ip;
  int v;
  vm->err = 0;
  if (code->code == NULL)
    return 1;
  v = cpw__vm_run1_start(vm, code, in->col, in->known, &ip);
  return v != CPW__RUN1_MORE ? v : cpw__vm_run1_from(vm, code, in, ip);
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
enum { CPW__UNKNOWN = -1, CPW__FALSE = 0, CPW__TRUE = 1, CPW__EVAL_ERROR = 2 };

int cpw__formula(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                 cpw__trace_entry *trace, uint32_t *gen);

/* cpw__formula for a value: CPW__TRUE with *value (a boolean as 0 or 1), CPW__UNKNOWN when
 * it is missing, CPW__EVAL_ERROR; untraced. The shapes of cpw__code run inline. */
int cpw__formula_value(cpw__vm *vm, const cpw__code *code, const cpw__vm_in *in,
                       int64_t *value);

#endif
