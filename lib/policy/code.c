/* SPDX-License-Identifier: Apache-2.0 */
/* policy/code.c: the code generator. An expression's value goes to a target register r; its
 * sub-expressions use r + 1, r + 2, ... so the register count is the nesting depth. */
#include "policy/code.h"

#include <stdio.h>
#include <string.h>

#include "policy/builtins.h"

void cpw__compiler_init(cpw__compiler *c, struct cpw_policy *pol, cpw__diags *diags)
{
  memset(c, 0, sizeof *c);
  c->pol = pol;
  c->diags = diags;
}

void cpw__compiler_free(cpw__compiler *c)
{
  cpw__free(c->pol->ctx, c->code, c->cap * sizeof *c->code);
  c->code = NULL;
  c->n = c->cap = 0;
}

/* Append an instruction whose a and b are not registers (counts, flags, kinds). */
static uint32_t emit_raw(cpw__compiler *c, uint8_t op, uint32_t dst, uint8_t a, uint8_t b,
                         uint32_t aux, int64_t k)
{
  cpw__insn *i;
  if (c->overflow)
    return 0;
  if (dst >= CPW__MAX_REGS || c->n >= CPW__MAX_CODE) {
    c->overflow = 1;
    return 0;
  }
  if (cpw__grow(c->pol->ctx, (void **)&c->code, &c->cap, c->n + 1, sizeof *c->code) != CPW_OK) {
    c->diags->oom = 1;
    c->overflow = 1;
    return 0;
  }
  i = &c->code[c->n];
  i->op = op;
  i->dst = (uint8_t)dst;
  i->a = a;
  i->b = b;
  i->aux = aux;
  i->k = k;
  if (dst + 1 > c->maxreg)
    c->maxreg = dst + 1;
  return (uint32_t)c->n++;
}

static uint32_t emit(cpw__compiler *c, uint8_t op, uint32_t dst, uint32_t a, uint32_t b,
                     uint32_t aux, int64_t k)
{
  if (a >= CPW__MAX_REGS || b >= CPW__MAX_REGS) {
    c->overflow = 1;
    return 0;
  }
  if (!c->overflow) {
    if (a + 1 > c->maxreg)
      c->maxreg = a + 1;
    if (b + 1 > c->maxreg)
      c->maxreg = b + 1;
  }
  return emit_raw(c, op, dst, (uint8_t)a, (uint8_t)b, aux, k);
}

static int is_const(const cpw__node *n)
{
  switch (n->kind) {
  case N_INT: case N_MONEY: case N_DATE: case N_DATETIME: return 1;
  case N_NAME: return n->ref == R_MEMBER;
  case N_NEG: return n->a->kind == N_INT || n->a->kind == N_MONEY;
  default: return 0;
  }
}

static int64_t const_of(const cpw__node *n)
{
  if (n->kind == N_NAME)
    return n->index;
  if (n->kind == N_NEG)
    return -n->a->ival;
  return n->ival;
}

static int cmp_of(uint8_t tok)
{
  switch (tok) {
  case TK_EQ: return CMP_EQ;
  case TK_NE: return CMP_NE;
  case TK_LT: return CMP_LT;
  case TK_LE: return CMP_LE;
  case TK_GT: return CMP_GT;
  default: return CMP_GE;
  }
}

static int cmp_swap(int op)
{
  switch (op) {
  case CMP_LT: return CMP_GT;
  case CMP_LE: return CMP_GE;
  case CMP_GT: return CMP_LT;
  case CMP_GE: return CMP_LE;
  default: return op;
  }
}

static int is_field(const cpw__node *n)
{
  return n->kind == N_NAME && n->ref == R_FIELD;
}

static uint64_t set_mask(const cpw__node *n)
{
  uint64_t m = 0;
  uint32_t i;
  for (i = 0; i < n->nargs; i++)
    m |= UINT64_C(1) << n->args[i]->index;
  return m;
}

static void gen(cpw__compiler *c, cpw__node *n, uint32_t r);

static void gen_cmp(cpw__compiler *c, cpw__node *n, uint32_t r)
{
  int op = cmp_of(n->op);
  cpw__node *a = n->a, *b = n->b;
  uint8_t t = a->type;
  if (t == T_BOOL) {
    gen(c, a, r);
    gen(c, b, r + 1);
    emit(c, OP_CMP, r, r, r + 1, 1, op); /* aux 1: boolean operands */
    return;
  }
  if (t == T_TEXT) {
    gen(c, a, r);
    gen(c, b, r + 1);
    emit(c, OP_TEXTEQ, r, r, r + 1, 0, 0);
    if (op == CMP_NE)
      emit(c, OP_NOT, r, r, 0, 0, 0);
    return;
  }
  if (is_const(a) && !is_const(b)) {
    cpw__node *tmp = a;
    a = b;
    b = tmp;
    op = cmp_swap(op);
  }
  if (is_const(b)) {
    if (!c->traced && is_field(a)) {
      emit(c, OP_FCMPK, r, 0, (uint32_t)op, a->index, const_of(b));
      return;
    }
    gen(c, a, r);
    if (c->traced)
      gen(c, b, r + 1); /* traced so the explanation can show it */
    emit(c, OP_CMPK, r, r, (uint32_t)op, 0, const_of(b));
    return;
  }
  gen(c, a, r);
  gen(c, b, r + 1);
  emit(c, OP_CMP, r, r, r + 1, 0, op);
}

static void gen_call(cpw__compiler *c, cpw__node *n, uint32_t r)
{
  const cpw__builtin *b = &cpw__builtins[n->index];
  switch (b->shape) {
  case CPW__B_UNARY:
    gen(c, n->args[0], r);
    emit(c, b->op, r, r, 0, 0, 0);
    break;
  case CPW__B_SWAPPED:
    gen(c, n->args[1], r);
    gen(c, n->args[0], r + 1);
    emit(c, b->op, r, r, r + 1, 0, 0);
    break;
  case CPW__B_ASOF:
    gen(c, n->args[0], r);
    if (n->nargs == 2)
      gen(c, n->args[1], r + 1);
    else
      emit(c, OP_ASOF, r + 1, 0, 0, 0, 0);
    emit(c, b->op, r, r, r + 1, 0, 0);
    break;
  default: /* CPW__B_BINARY */
    gen(c, n->args[0], r);
    gen(c, n->args[1], r + 1);
    emit(c, b->op, r, r, r + 1, 0, 0);
    break;
  }
}

/* ------------------------------------------------------------------ fused chains
 * Fast code only. An `and` chain (a and b and c ..., through definitions) or an `or` chain
 * runs its simple field tests as OP_TALL / OP_TANY lists (vm.h) and its other operands as
 * usual, each followed by the chain's short-circuit jump. When no operand of the chain can
 * fail (evaluation errors), the order of its operands does not matter: the tests go first,
 * then the lists of tests of the opposite connective, then the rest. Otherwise the operands
 * keep their order (an error in an operand after a false one must not count). */

/* a simple field test (vm.h cpw__test_kind) */
typedef struct ftest {
  uint32_t slot;
  uint8_t kind, neg;
  uint64_t k;          /* lo, or the mask */
  uint64_t span;
} ftest;

#define MAX_DEPTH 400

static const cpw__node *resolve(const cpw__compiler *c, const cpw__node *n, int *depth)
{
  while (n->kind == N_NAME && n->ref == R_DEFINE && *depth < MAX_DEPTH) {
    n = c->pol->defines[n->index].expr;
    ++*depth;
  }
  return n;
}

static void set_never(ftest *t)
{
  t->kind = TEST_IN;
  t->neg = 0;
  t->k = 0;
  t->span = 0;
}

/* lo <= v <= hi (signed); never true when lo > hi */
static void set_range(ftest *t, int64_t lo, int64_t hi)
{
  if (lo > hi) {
    set_never(t);
    return;
  }
  t->kind = TEST_RANGE;
  t->neg = 0;
  t->k = (uint64_t)lo;
  t->span = (uint64_t)hi - (uint64_t)lo;
}

/* Kleene's not: a range's complement is the range around the rest of the (wrapping) line */
static void negate(ftest *t)
{
  if (t->kind == TEST_RANGE) {
    if (t->span == UINT64_MAX) {
      set_never(t);
    } else {
      t->k = t->k + t->span + 1;
      t->span = UINT64_MAX - t->span - 1;
    }
  } else if (t->kind == TEST_IN && t->k == 0 && !t->neg) {
    t->kind = TEST_RANGE; /* never -> always */
    t->k = 0;
    t->span = UINT64_MAX;
  } else {
    t->neg ^= 1;
  }
}

static void set_cmp(ftest *t, int op, int64_t k)
{
  switch (op) {
  case CMP_EQ: set_range(t, k, k); break;
  case CMP_NE: set_range(t, k, k); negate(t); break;
  case CMP_LT: if (k == INT64_MIN) set_never(t); else set_range(t, INT64_MIN, k - 1); break;
  case CMP_LE: set_range(t, INT64_MIN, k); break;
  case CMP_GT: if (k == INT64_MAX) set_never(t); else set_range(t, k + 1, INT64_MAX); break;
  default: set_range(t, k, INT64_MAX); break;
  }
}

/* v in the set `mask` of member indexes (v < 64); consecutive members make a range */
static void set_members(ftest *t, uint64_t mask)
{
  uint64_t m = mask;
  int64_t lo = 0, len = 0;
  if (mask == 0) {
    set_never(t);
    return;
  }
  while (!(m & 1)) {
    m >>= 1;
    lo++;
  }
  if ((m & (m + 1)) == 0) {
    while (m) {
      m >>= 1;
      len++;
    }
    set_range(t, lo, lo + len - 1);
    return;
  }
  t->kind = TEST_IN;
  t->neg = 0;
  t->k = mask;
  t->span = 0;
}

/* Is n (fast code) a simple test of one field? */
static int as_test(const cpw__compiler *c, const cpw__node *n, ftest *t, int depth)
{
  n = resolve(c, n, &depth);
  if (depth >= MAX_DEPTH)
    return 0;
  switch ((cpw__nkind)n->kind) {
  case N_NAME:
    if (n->ref != R_FIELD || n->type != T_BOOL)
      return 0;
    t->slot = n->index;
    set_range(t, 0, 0); /* v != 0: not (v between 0 and 0) */
    negate(t);
    return 1;
  case N_NOT:
    if (!as_test(c, n->a, t, depth + 1))
      return 0;
    negate(t);
    return 1;
  case N_CMP: {
    const cpw__node *a = n->a, *b = n->b;
    int op = cmp_of(n->op);
    if (a->type == T_BOOL || a->type == T_TEXT || a->type == T_SET)
      return 0;
    if (is_const(a) && !is_const(b)) {
      const cpw__node *tmp = a;
      a = b;
      b = tmp;
      op = cmp_swap(op);
    }
    if (!is_field(a) || !is_const(b))
      return 0;
    t->slot = a->index;
    set_cmp(t, op, const_of(b));
    return 1;
  }
  case N_BETWEEN:
    if (!is_field(n->a) || n->a->type == T_BOOL || n->a->type == T_TEXT ||
        !is_const(n->b) || !is_const(n->c))
      return 0;
    t->slot = n->a->index;
    set_range(t, const_of(n->b), const_of(n->c));
    return 1;
  case N_IN:
  case N_CONTAINS: {
    const cpw__node *elem = n->kind == N_IN ? n->a : n->b;
    const cpw__node *set = n->kind == N_IN ? n->b : n->a;
    if (set->kind == N_SETLIT && is_field(elem)) {
      t->slot = elem->index;
      set_members(t, set_mask(set));
    } else if (is_field(set) && set->type == T_SET && elem->kind == N_NAME &&
               elem->ref == R_MEMBER && elem->index < 64) {
      t->slot = set->index;
      t->kind = TEST_ANYBIT;
      t->neg = 0;
      t->k = UINT64_C(1) << elem->index;
      t->span = 0;
    } else {
      return 0;
    }
    if (n->flag)
      negate(t);
    return 1;
  }
  default:
    return 0;
  }
}

/* Can evaluating n hit an evaluation error (overflow, a date out of range, ...)? */
static int may_fail(const cpw__compiler *c, const cpw__node *n, int depth)
{
  uint32_t i;
  if (n == NULL)
    return 0;
  if (depth >= MAX_DEPTH)
    return 1;
  switch ((cpw__nkind)n->kind) {
  case N_NEG:
  case N_ARITH:
    return 1;
  case N_CALL:
    if (cpw__builtins[n->index].may_fail)
      return 1;
    break;
  case N_NAME:
    return n->ref == R_DEFINE && may_fail(c, c->pol->defines[n->index].expr, depth + 1);
  default:
    break;
  }
  if (may_fail(c, n->a, depth + 1) || may_fail(c, n->b, depth + 1) ||
      may_fail(c, n->c, depth + 1))
    return 1;
  for (i = 0; i < n->nargs; i++)
    if (may_fail(c, n->args[i], depth + 1))
      return 1;
  return 0;
}

/* Call fn on every operand of the chain n of connective `kind` (through definitions). */
typedef void (*operand_fn)(cpw__compiler *c, cpw__node *n, void *arg);

static void walk_chain(cpw__compiler *c, cpw__node *n, uint8_t kind, operand_fn fn, void *arg,
                       int depth)
{
  while (n->kind == N_NAME && n->ref == R_DEFINE && depth < MAX_DEPTH) {
    n = c->pol->defines[n->index].expr;
    depth++;
  }
  if (n->kind == kind && depth < MAX_DEPTH) {
    walk_chain(c, n->a, kind, fn, arg, depth + 1);
    walk_chain(c, n->b, kind, fn, arg, depth + 1);
    return;
  }
  fn(c, n, arg);
}

typedef struct chain {
  uint32_t r;          /* the register the chain builds */
  uint8_t kind;        /* N_AND or N_OR */
  uint8_t pass;        /* operands to emit: 0 tests, 1 lists, 2 others, 3 all in order */
  int first;           /* nothing emitted yet: r holds nothing */
  int fail;            /* some operand may fail */
  uint32_t pending;    /* jumps to the end of the chain: index + 1 of the last, linked by aux */
  uint32_t head;       /* the open list of tests: index + 1 of its head, or 0 */
  uint32_t count;      /* operands seen by a counting walk */
} chain;

static void count_tests(cpw__compiler *c, cpw__node *n, void *arg)
{
  chain *ch = arg;
  ftest t;
  if (as_test(c, n, &t, 0))
    ch->count++;
  else
    ch->fail = 1; /* here: not a test */
}

static uint8_t opposite(uint8_t kind)
{
  return kind == N_AND ? N_OR : N_AND;
}

/* 0: a test; 1: a chain of the opposite connective made of at most 255 tests; 2: other */
static int classify(cpw__compiler *c, cpw__node *n, uint8_t kind)
{
  ftest t;
  chain sub;
  if (as_test(c, n, &t, 0))
    return 0;
  if (n->kind != opposite(kind))
    return 2;
  memset(&sub, 0, sizeof sub);
  walk_chain(c, n, opposite(kind), count_tests, &sub, 0);
  return !sub.fail && sub.count <= 255 ? 1 : 2;
}

static void open_list(cpw__compiler *c, chain *ch, uint8_t op)
{
  uint32_t h = emit_raw(c, op, ch->r, 0, ch->first ? 0 : CPW__LIST_CONTINUE, ch->pending, 0);
  if (c->overflow)
    return;
  ch->pending = h + 1;
  ch->head = h + 1;
  ch->first = 0;
}

static void add_test(cpw__compiler *c, chain *ch, const ftest *test)
{
  ftest t = *test;
  uint8_t op;
  if (c->overflow)
    return;
  op = c->code[ch->head - 1].op;
  if (op == OP_TANY || op == OP_TANDANY)
    negate(&t); /* vm.h: the tests of an `or` list are stored negated */
  emit_raw(c, OP_TEST, 0, t.neg, t.kind, t.slot, (int64_t)t.k);
  emit_raw(c, OP_TEST, 0, 0, 0, 0, (int64_t)t.span);
  if (!c->overflow)
    c->code[ch->head - 1].a++;
}

static void add_list_test(cpw__compiler *c, cpw__node *n, void *arg)
{
  ftest t;
  if (as_test(c, n, &t, 0))
    add_test(c, (chain *)arg, &t);
}

static void chain_operand(cpw__compiler *c, cpw__node *n, void *arg)
{
  chain *ch = arg;
  int cls = classify(c, n, ch->kind);
  uint8_t natural = ch->kind == N_AND ? OP_TALL : OP_TANY;
  uint32_t r = ch->r;
  ftest t;
  if (c->overflow || (ch->pass != 3 && cls != ch->pass))
    return;
  if (cls == 0) {
    if (ch->head == 0 || c->code[ch->head - 1].op != natural || c->code[ch->head - 1].a == 255)
      open_list(c, ch, natural);
    if (!c->overflow && as_test(c, n, &t, 0))
      add_test(c, ch, &t);
    return;
  }
  ch->head = 0;
  if (cls == 1) {
    open_list(c, ch, natural == OP_TALL ? OP_TANDANY : OP_TORALL);
    if (!c->overflow)
      walk_chain(c, n, opposite(ch->kind), add_list_test, ch, 0);
    ch->head = 0;
    return;
  }
  if (ch->first) {
    gen(c, n, r);
    ch->first = 0;
  } else if (ch->fail && may_fail(c, n, 0)) {
    /* the lanes this chain has decided must not see n's errors */
    emit(c, OP_NARROW, r + 1, r, 0, 0, ch->kind == N_OR);
    gen(c, n, r + 2);
    emit(c, OP_WIDEN, 0, r + 1, 0, 0, 0);
    emit(c, ch->kind == N_AND ? OP_AND : OP_OR, r, r, r + 2, 0, 0);
  } else {
    gen(c, n, r + 1);
    emit(c, ch->kind == N_AND ? OP_AND : OP_OR, r, r, r + 1, 0, 0);
  }
  {
    uint32_t j = emit(c, ch->kind == N_AND ? OP_JALLF : OP_JALLT, 0, r, 0, ch->pending, 0);
    if (!c->overflow)
      ch->pending = j + 1;
  }
}

static void operand_may_fail(cpw__compiler *c, cpw__node *n, void *arg)
{
  chain *ch = arg;
  if (!ch->fail && may_fail(c, n, 0))
    ch->fail = 1;
}

static void gen_chain(cpw__compiler *c, cpw__node *n, uint32_t r)
{
  chain ch;
  memset(&ch, 0, sizeof ch);
  ch.r = r;
  ch.kind = n->kind;
  ch.first = 1;
  walk_chain(c, n, n->kind, operand_may_fail, &ch, 0);
  if (ch.fail) {
    ch.pass = 3;
    walk_chain(c, n, n->kind, chain_operand, &ch, 0);
  } else {
    for (ch.pass = 0; ch.pass < 3; ch.pass++)
      walk_chain(c, n, n->kind, chain_operand, &ch, 0);
  }
  if (c->overflow)
    return;
  /* a jump just before the end is useless */
  if (ch.pending == c->n &&
      (c->code[c->n - 1].op == OP_JALLF || c->code[c->n - 1].op == OP_JALLT)) {
    ch.pending = c->code[c->n - 1].aux;
    c->n--;
  }
  while (ch.pending != 0) {
    cpw__insn *j = &c->code[ch.pending - 1];
    ch.pending = j->aux;
    j->aux = (uint32_t)c->n;
  }
}

static int is_list(uint8_t op)
{
  return op == OP_TALL || op == OP_TANY || op == OP_TANDANY || op == OP_TORALL;
}

/* a test list head jumps when every lane of dst is known true (else known false) */
static int list_jumps_on_true(uint8_t op)
{
  return op == OP_TANY || op == OP_TORALL;
}

static int is_ret_of(const cpw__insn *x, uint32_t reg)
{
  return x->op == OP_RET && x->a == reg;
}

/* A test list whose run ends with it (it is followed by OP_RET of its register and jumps to
 * one) returns at once. */
static void mark_final_lists(cpw__insn *code, uint32_t n)
{
  uint32_t i;
  for (i = 0; i < n; i++) {
    cpw__insn *x = &code[i];
    uint32_t te;
    if (!is_list(x->op))
      continue;
    te = i + 1 + 2 * (uint32_t)x->a;
    if (te < n && x->aux < n && is_ret_of(&code[te], x->dst) && is_ret_of(&code[x->aux], x->dst))
      x->b |= CPW__LIST_FINAL;
    i = te - 1;
  }
}

/* A list of one test into r. */
static void gen_test(cpw__compiler *c, const ftest *t, uint32_t r)
{
  chain ch;
  memset(&ch, 0, sizeof ch);
  ch.r = r;
  ch.kind = N_AND;
  ch.first = 1;
  open_list(c, &ch, OP_TALL);
  if (!c->overflow) {
    add_test(c, &ch, t);
    c->code[ch.head - 1].aux = (uint32_t)c->n; /* nothing to skip */
  }
}

/* A jump (or list head) whose target is a jump on the same register that is sure to go the
 * same way, or sure not to go, is sent further on. Fast code only. */
static void thread_jumps(cpw__insn *code, uint32_t n)
{
  uint32_t i;
  for (i = 0; i < n; i++) {
    cpw__insn *x = &code[i];
    uint32_t reg;
    int when_true; /* the jump goes when every lane is known true (else known false) */
    if (x->op == OP_JALLF || x->op == OP_JALLT) {
      reg = x->a;
      when_true = x->op == OP_JALLT;
    } else if (is_list(x->op)) {
      reg = x->dst;
      when_true = list_jumps_on_true(x->op);
      i += 2 * (uint32_t)x->a; /* skip the tests */
    } else {
      continue;
    }
    while (x->aux < n) {
      const cpw__insn *y = &code[x->aux];
      if ((y->op == OP_JALLF || y->op == OP_JALLT) && y->a == reg) {
        /* same condition: it jumps too; the opposite: it cannot (there is at least one lane) */
        x->aux = (y->op == OP_JALLT) == when_true ? y->aux : x->aux + 1;
      } else if (is_list(y->op) && y->dst == reg && (y->b & CPW__LIST_CONTINUE) &&
                 list_jumps_on_true(y->op) == when_true) {
        /* it continues a chain that reg already decides: it leaves reg as is and jumps */
        x->aux = y->aux;
      } else {
        break;
      }
    }
  }
}

static void gen(cpw__compiler *c, cpw__node *n, uint32_t r)
{
  uint32_t j;
  if (c->overflow)
    return;
  switch ((cpw__nkind)n->kind) {
  case N_BOOL:
    emit(c, OP_BCONST, r, 0, 0, 0, n->ival);
    break;
  case N_INT: case N_MONEY: case N_DATE: case N_DATETIME:
    emit(c, OP_CONST, r, 0, 0, 0, n->ival);
    break;
  case N_TEXT: {
    const char *s = cpw__arena_strndup(&c->pol->arena, n->str, n->slen);
    if (s == NULL) {
      c->diags->oom = 1;
      c->overflow = 1;
      return;
    }
    emit(c, OP_CONST, r, 0, 0, 0, (int64_t)(intptr_t)s);
    break;
  }
  case N_DURATION:
    emit(c, OP_CONST, r, 0, 0, 0, n->ival); /* only traced; date arithmetic reads the node */
    break;
  case N_NAME:
    switch (n->ref) {
    case R_FIELD:
      emit(c, n->type == T_BOOL ? OP_BFIELD : OP_FIELD, r, 0, 0, n->index, 0);
      break;
    case R_PARAM:
      emit(c, OP_PARAM, r, 0, 0, n->index, 0);
      if (n->type == T_BOOL)
        emit(c, OP_BVALUE, r, r, 0, 0, 0);
      break;
    case R_DEFINE:
      gen(c, c->pol->defines[n->index].expr, r);
      break;
    case R_MEMBER:
      emit(c, OP_CONST, r, 0, 0, 0, n->index);
      break;
    default: /* R_ASOF */
      emit(c, OP_ASOF, r, 0, 0, 0, 0);
      break;
    }
    break;
  case N_SETLIT:
    emit(c, OP_CONST, r, 0, 0, 0, (int64_t)set_mask(n));
    break;
  case N_CALL:
    gen_call(c, n, r);
    break;
  case N_NEG:
    gen(c, n->a, r);
    emit(c, OP_NEG, r, r, 0, 0, 0);
    break;
  case N_NOT:
    gen(c, n->a, r);
    emit(c, OP_NOT, r, r, 0, 0, 0);
    break;
  case N_AND:
  case N_OR: {
    if (!c->traced) {
      gen_chain(c, n, r);
      break;
    }
    /* traced code (explanations) evaluates both sides, so that an explanation can name every
     * conjunct that fails; b's errors do not count where a already decides, exactly as the
     * fast code that skips b there (OP_NARROW / OP_WIDEN) */
    gen(c, n->a, r);
    emit(c, OP_NARROW, r + 1, r, 0, 0, n->kind == N_OR);
    gen(c, n->b, r + 2);
    emit(c, OP_WIDEN, 0, r + 1, 0, 0, 0);
    emit(c, n->kind == N_AND ? OP_AND : OP_OR, r, r, r + 2, 0, 0);
    break;
  }
  case N_CMP:
    gen_cmp(c, n, r);
    break;
  case N_ARITH:
    if (n->b->type == T_DURATION) {
      int64_t amount = n->op == TK_MINUS ? -n->b->ival : n->b->ival;
      gen(c, n->a, r);
      if (c->traced)
        gen(c, n->b, r + 1);
      emit(c, n->a->type == T_DATE ? OP_DATE_ADD : OP_TIME_ADD, r, r, 0, n->b->unit, amount);
    } else {
      static const uint8_t ops[] = { OP_ADD, OP_SUB, OP_MUL, OP_DIV };
      int k = n->op == TK_PLUS ? 0 : n->op == TK_MINUS ? 1 : n->op == TK_STAR ? 2 : 3;
      gen(c, n->a, r);
      gen(c, n->b, r + 1);
      /* money * int and int * money both multiply; money / int divides */
      emit(c, ops[k], r, r, r + 1, 0, 0);
    }
    break;
  case N_IN:
  case N_CONTAINS: {
    cpw__node *elem = n->kind == N_IN ? n->a : n->b;
    cpw__node *set = n->kind == N_IN ? n->b : n->a;
    if (set->kind == N_SETLIT) {
      if (!c->traced && is_field(elem)) {
        emit(c, OP_FINSET, r, 0, 0, elem->index, (int64_t)set_mask(set));
      } else {
        gen(c, elem, r);
        if (c->traced)
          gen(c, set, r + 1);
        emit(c, OP_INSET, r, r, 0, 0, (int64_t)set_mask(set));
      }
    } else {
      gen(c, set, r);
      gen(c, elem, r + 1);
      emit(c, OP_HAS, r, r, r + 1, 0, 0);
    }
    if (n->flag)
      emit(c, OP_NOT, r, r, 0, 0, 0);
    break;
  }
  case N_BETWEEN: {
    ftest t;
    if (!c->traced && as_test(c, n, &t, 0)) { /* one range test */
      gen_test(c, &t, r);
    } else {
      gen(c, n->a, r);
      gen(c, n->b, r + 1);
      emit(c, OP_CMP, r + 1, r, r + 1, 0, CMP_GE);
      gen(c, n->c, r + 2);
      emit(c, OP_CMP, r + 2, r, r + 2, 0, CMP_LE);
      emit(c, OP_AND, r, r + 1, r + 2, 0, 0);
    }
    break;
  }
  case N_MISSING:
    gen(c, n->a, r);
    emit(c, OP_ISMISSING, r, r, 0, 0, n->flag);
    break;
  case N_IF:
    gen(c, n->a, r + 1);
    gen(c, n->b, r + 2);
    gen(c, n->c, r + 3);
    emit(c, n->type == T_BOOL ? OP_BSELECT : OP_SELECT, r, r + 2, r + 3, r + 1, 0);
    break;
  }
  if (c->traced && n->id != 0)
    emit(c, OP_TRACE, 0, r, 0, n->id, n->type == T_BOOL);
  (void)j;
}

void cpw__number_nodes(struct cpw_policy *pol, cpw__node *n)
{
  uint32_t i;
  if (n == NULL || n->id != 0)
    return;
  n->id = ++pol->max_nodes;
  cpw__number_nodes(pol, n->a);
  cpw__number_nodes(pol, n->b);
  cpw__number_nodes(pol, n->c);
  for (i = 0; i < n->nargs; i++)
    cpw__number_nodes(pol, n->args[i]);
  if (n->kind == N_NAME && n->ref == R_DEFINE)
    cpw__number_nodes(pol, pol->defines[n->index].expr);
}

/* The shape of a value formula the one-lane runner computes inline (vm.h CPW__SHAPE_*): a
 * constant, or a field plus or minus a constant (`set n = n + 1`). */
static void shape_of(cpw__code *out)
{
  const cpw__insn *x = out->code;
  out->shape = CPW__SHAPE_NONE;
  if (out->is_bool || out->text)
    return;
  if (out->n == 2 && x[0].op == OP_CONST && x[1].op == OP_RET && x[1].a == x[0].dst) {
    out->shape = CPW__SHAPE_CONST;
    out->shape_k = x[0].k;
    return;
  }
  if (out->n == 4 && x[3].op == OP_RET && x[3].a == x[2].dst &&
      (x[2].op == OP_ADD || x[2].op == OP_SUB)) {
    const cpw__insn *f = NULL, *k = NULL;
    int i;
    for (i = 0; i < 2; i++) {
      if (x[i].op == OP_FIELD)
        f = &x[i];
      else if (x[i].op == OP_CONST)
        k = &x[i];
    }
    if (f == NULL || k == NULL || f->dst == k->dst)
      return;
    if (x[2].op == OP_ADD && ((x[2].a == f->dst && x[2].b == k->dst) ||
                              (x[2].a == k->dst && x[2].b == f->dst)))
      out->shape = CPW__SHAPE_ADDK;
    else if (x[2].op == OP_SUB && x[2].a == f->dst && x[2].b == k->dst)
      out->shape = CPW__SHAPE_SUBK;
    out->shape_slot = f->aux;
    out->shape_k = k->k;
  }
}

/* The test graph of a boolean formula (vm.h cpw__gnode), built backwards: the node for n,
 * going on to on_true or on_false, is added after the nodes it goes on to. Returns the node's
 * index, or -1 when n is not `and`, `or`, `not` over simple tests or the graph would be larger
 * than CPW__G_MAX. */
typedef struct graph {
  cpw__gnode node[CPW__G_MAX];
  uint32_t n;
} graph;

static int graph_of(const cpw__compiler *c, const cpw__node *n, uint32_t on_true,
                    uint32_t on_false, graph *g, int depth)
{
  ftest t;
  int b;
  n = resolve(c, n, &depth);
  if (depth >= MAX_DEPTH)
    return -1;
  if (as_test(c, n, &t, depth)) {
    cpw__gnode *x;
    if (g->n == CPW__G_MAX)
      return -1;
    x = &g->node[g->n];
    x->k = t.k;
    x->span = t.span;
    x->slot = t.slot;
    x->kind = t.kind;
    x->next[t.neg] = (uint16_t)on_false; /* not (v in S): false when v in S */
    x->next[!t.neg] = (uint16_t)on_true;
    return (int)g->n++;
  }
  switch ((cpw__nkind)n->kind) {
  case N_AND: /* a, then b if a holds */
    b = graph_of(c, n->b, on_true, on_false, g, depth + 1);
    return b < 0 ? -1 : graph_of(c, n->a, (uint32_t)b, on_false, g, depth + 1);
  case N_OR: /* a, then b if it does not */
    b = graph_of(c, n->b, on_true, on_false, g, depth + 1);
    return b < 0 ? -1 : graph_of(c, n->a, on_true, (uint32_t)b, g, depth + 1);
  case N_NOT:
    return graph_of(c, n->a, on_false, on_true, g, depth + 1);
  default:
    return -1;
  }
}

_Static_assert(CPW__G_MAX * sizeof(cpw__gnode) < CPW__G_FALSE, "a node's offset is 16 bits");

/* The flat form of out's graph of n range tests (vm.h cpw__ftest), when it has from 2 to
 * CPW__FLAT_MAX distinct tests (a test the graph makes twice, as `age < 18` in both operands of
 * an `or`, is one): its truth table comes from walking the graph once for each way the tests
 * can come out. */
static int make_flat(cpw__compiler *c, cpw__code *out, uint32_t n)
{
  cpw__ftest t[CPW__FLAT_MAX], *flat;
  uint8_t of[CPW__G_MAX]; /* node i's test */
  uint32_t nt = 0, i, j, m, words;
  uint64_t *table;
  for (i = 0; i < n; i++) {
    const cpw__gnode *x = &out->graph[i];
    for (j = 0; j < nt; j++)
      if (t[j].slot == x->slot && t[j].k == x->k && t[j].span == x->span)
        break;
    if (j == nt) {
      if (nt == CPW__FLAT_MAX)
        return CPW_OK; /* too many: the graph alone */
      t[nt].k = x->k;
      t[nt].span = x->span;
      t[nt].slot = x->slot;
      nt++;
    }
    of[i] = (uint8_t)j;
  }
  if (nt < 2)
    return CPW_OK; /* one test: nothing to overlap, and its walk is one step */
  words = nt <= 6 ? 1 : 1u << (nt - 6);
  flat = cpw__arena_alloc(&c->pol->arena, nt * sizeof *flat);
  table = cpw__arena_alloc(&c->pol->arena, words * sizeof *table);
  if (flat == NULL || table == NULL)
    return CPW_ENOMEM;
  memcpy(flat, t, nt * sizeof *flat);
  memset(table, 0, words * sizeof *table);
  for (m = 0; m < (1u << nt); m++) {
    uint32_t off = 0; /* from the entry, node by node (every path ends: the graph is acyclic) */
    while (off < CPW__G_FALSE) {
      i = off / (uint32_t)sizeof *out->graph;
      off = out->graph[i].next[!((m >> of[i]) & 1)]; /* bit set: failed */
    }
    if (off == CPW__G_TRUE)
      table[m >> 6] |= UINT64_C(1) << (m & 63);
  }
  out->flat = flat;
  out->flat_table = table;
  out->nflat = nt;
  return CPW_OK;
}

/* out->graph for the fast code of boolean n (NULL when n has no graph). The nodes are stored
 * in reverse, so that the entry is node 0 and a run goes on to nodes after it; a node names
 * the next by its byte offset (CPW__G_MAX nodes of 32 bytes: below CPW__G_FALSE). */
static int make_graph(cpw__compiler *c, const cpw__node *n, cpw__code *out)
{
  graph *g = cpw__malloc(c->pol->ctx, sizeof *g);
  uint32_t i, j;
  uint64_t need = 0;
  int ranges = 1; /* every test a range test of a field below 64 */
  if (g == NULL)
    return CPW_ENOMEM;
  g->n = 0;
  if (graph_of(c, n, CPW__G_TRUE, CPW__G_FALSE, g, 0) >= 0) {
    out->graph = cpw__arena_alloc(&c->pol->arena, g->n * sizeof *out->graph);
    if (out->graph == NULL) {
      cpw__free(c->pol->ctx, g, sizeof *g);
      return CPW_ENOMEM;
    }
    for (i = 0; i < g->n; i++) {
      cpw__gnode *x = &out->graph[g->n - 1 - i];
      *x = g->node[i];
      for (j = 0; j < 2; j++)
        if (x->next[j] < CPW__G_FALSE)
          x->next[j] = (uint16_t)((g->n - 1 - x->next[j]) * sizeof *x);
      ranges &= x->kind == TEST_RANGE && x->slot < 64;
      if (x->slot < 64)
        need |= UINT64_C(1) << x->slot;
    }
    out->graph_need = ranges ? need : 0;
    if (ranges && make_flat(c, out, g->n) != CPW_OK) {
      cpw__free(c->pol->ctx, g, sizeof *g);
      return CPW_ENOMEM;
    }
  }
  cpw__free(c->pol->ctx, g, sizeof *g);
  return CPW_OK;
}

int cpw__compile_expr(cpw__compiler *c, cpw__node *n, int traced, cpw__code *out)
{
  cpw__insn *code;
  memset(out, 0, sizeof *out);
  c->n = 0;
  c->maxreg = 1;
  c->traced = traced;
  c->overflow = 0;
  if (traced)
    cpw__number_nodes(c->pol, n);
  {
    ftest t;
    if (!traced && as_test(c, n, &t, 0))
      gen_test(c, &t, 0); /* a formula that is one test: a list, which the VM runs fastest */
    else
      gen(c, n, 0);
  }
  emit(c, OP_RET, 0, 0, 0, 0, 0);
  if (!traced && !c->overflow) {
    thread_jumps(c->code, (uint32_t)c->n);
    mark_final_lists(c->code, (uint32_t)c->n);
  }
  if (c->overflow) {
    if (c->diags->oom)
      return CPW_ENOMEM;
    cpw__diag_add(c->diags, CPW__SEV_ERROR, c->file, n->line, n->col,
                  "this formula is too large to evaluate (more than %d steps or nested more "
                  "than %d deep, counting definitions it uses)", CPW__MAX_CODE, CPW__MAX_REGS);
    return CPW_ELIMIT;
  }
  code = cpw__arena_alloc(&c->pol->arena, c->n * sizeof *code);
  if (code == NULL) {
    c->diags->oom = 1;
    return CPW_ENOMEM;
  }
  memcpy(code, c->code, c->n * sizeof *code);
  out->code = code;
  out->n = (uint32_t)c->n;
  out->nregs = c->maxreg + 1;
  out->is_bool = n->type == T_BOOL;
  out->text = n->type == T_TEXT;
  shape_of(out);
  if (out->is_bool && !traced && make_graph(c, n, out) != CPW_OK) {
    c->diags->oom = 1;
    return CPW_ENOMEM;
  }
  if (out->nregs > c->pol->max_regs)
    c->pol->max_regs = out->nregs;
  return CPW_OK;
}

/* The fields a programme reads (batch evaluation loads only their columns). */
static void collect_slots(const struct cpw_policy *pol, const cpw__node *n, uint8_t *used,
                          int depth)
{
  uint32_t i;
  if (n == NULL)
    return;
  if (depth > MAX_DEPTH) {
    /* deeper than the checker lets a formula be (200 levels with its definitions): never
     * drop a field the code may read, take them all */
    memset(used, 1, pol->nfields);
    return;
  }
  if (n->kind == N_NAME && n->ref == R_FIELD)
    used[n->index] = 1;
  if (n->kind == N_NAME && n->ref == R_DEFINE)
    collect_slots(pol, pol->defines[n->index].expr, used, depth + 1);
  collect_slots(pol, n->a, used, depth + 1);
  collect_slots(pol, n->b, used, depth + 1);
  collect_slots(pol, n->c, used, depth + 1);
  for (i = 0; i < n->nargs; i++)
    collect_slots(pol, n->args[i], used, depth + 1);
}

void cpw__compile_programs(cpw__compiler *c)
{
  struct cpw_policy *pol = c->pol;
  uint32_t i, j;
  for (i = 0; i < pol->nprograms && !c->diags->oom; i++) {
    struct cpw_program *pg = &pol->programs[i];
    uint8_t *used;
    uint32_t nitems = pg->nbenefits + pg->nservices;
    c->file = pg->file;
    if (cpw__compile_expr(c, pg->rule, 0, &pg->code) != CPW_OK ||
        cpw__compile_expr(c, pg->rule, 1, &pg->traced) != CPW_OK)
      continue;
    for (j = 0; j < nitems; j++) {
      cpw__item *it = &pg->items[j];
      if (it->when_ast != NULL &&
          (cpw__compile_expr(c, it->when_ast, 0, &it->when) != CPW_OK ||
           cpw__compile_expr(c, it->when_ast, 1, &it->when_traced) != CPW_OK))
        break;
      if (it->amount_ast != NULL && cpw__compile_expr(c, it->amount_ast, 0, &it->amount) != CPW_OK)
        break;
    }
    used = cpw__arena_alloc(&pol->arena, pol->nfields + 1);
    if (used == NULL) {
      c->diags->oom = 1;
      return;
    }
    collect_slots(pol, pg->rule, used, 0);
    for (j = 0; j < nitems; j++) {
      collect_slots(pol, pg->items[j].when_ast, used, 0);
      collect_slots(pol, pg->items[j].amount_ast, used, 0);
    }
    pg->slots_used = cpw__arena_alloc(&pol->arena, (pol->nfields + 1) * sizeof *pg->slots_used);
    if (pg->slots_used == NULL) {
      c->diags->oom = 1;
      return;
    }
    for (j = 0; j < pol->nfields; j++)
      if (used[j])
        pg->slots_used[pg->nslots_used++] = j;
  }
}
