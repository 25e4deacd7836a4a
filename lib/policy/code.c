/* policy/code.c: the code generator. An expression's value goes to a target register r; its
 * sub-expressions use r + 1, r + 2, ... so the register count is the nesting depth. */
#include "policy/code.h"

#include <stdio.h>

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

static uint32_t emit(cpw__compiler *c, uint8_t op, uint32_t dst, uint32_t a, uint32_t b,
                     uint32_t aux, int64_t k)
{
  cpw__insn *i;
  if (c->overflow)
    return 0;
  if (dst >= CPW__MAX_REGS || a >= CPW__MAX_REGS || b >= CPW__MAX_REGS || c->n >= CPW__MAX_CODE) {
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
  i->a = (uint8_t)a;
  i->b = (uint8_t)b;
  i->aux = aux;
  i->k = k;
  if (dst + 1 > c->maxreg)
    c->maxreg = dst + 1;
  if (a + 1 > c->maxreg)
    c->maxreg = a + 1;
  if (b + 1 > c->maxreg)
    c->maxreg = b + 1;
  return (uint32_t)c->n++;
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
  static const char *const names[] = { "age", "years_between", "months_between", "days_between",
                                       "working_days_between", "is_working_day", "date_of",
                                       "count", "min", "max" };
  const char *name = names[n->index];
  if (strcmp(name, "age") == 0) {
    gen(c, n->args[0], r);
    if (n->nargs == 2)
      gen(c, n->args[1], r + 1);
    else
      emit(c, OP_ASOF, r + 1, 0, 0, 0, 0);
    emit(c, OP_AGE, r, r, r + 1, 0, 0);
  } else if (strcmp(name, "years_between") == 0 || strcmp(name, "months_between") == 0 ||
             strcmp(name, "working_days_between") == 0) {
    gen(c, n->args[0], r);
    gen(c, n->args[1], r + 1);
    emit(c, name[0] == 'y' ? OP_YEARS : name[0] == 'm' ? OP_MONTHS : OP_WDAYS, r, r, r + 1, 0,
         0);
  } else if (strcmp(name, "days_between") == 0) {
    gen(c, n->args[1], r);
    gen(c, n->args[0], r + 1);
    emit(c, OP_SUB, r, r, r + 1, 0, 0);
  } else if (strcmp(name, "is_working_day") == 0) {
    gen(c, n->args[0], r);
    emit(c, OP_WORKDAY, r, r, 0, 0, 0);
  } else if (strcmp(name, "date_of") == 0) {
    gen(c, n->args[0], r);
    emit(c, OP_TODATE, r, r, 0, 0, 0);
  } else if (strcmp(name, "count") == 0) {
    gen(c, n->args[0], r);
    emit(c, OP_COUNT, r, r, 0, 0, 0);
  } else {
    gen(c, n->args[0], r);
    gen(c, n->args[1], r + 1);
    emit(c, name[1] == 'i' ? OP_MIN : OP_MAX, r, r, r + 1, 0, 0);
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
    uint32_t jump;
    gen(c, n->a, r);
    jump = emit(c, n->kind == N_AND ? OP_JALLF : OP_JALLT, 0, r, 0, 0, 0);
    gen(c, n->b, r + 1);
    emit(c, n->kind == N_AND ? OP_AND : OP_OR, r, r, r + 1, 0, 0);
    if (!c->overflow)
      c->code[jump].aux = (uint32_t)c->n;
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
  case N_BETWEEN:
    if (!c->traced && is_field(n->a) && is_const(n->b) && is_const(n->c)) {
      emit(c, OP_FCMPK, r, 0, CMP_GE, n->a->index, const_of(n->b));
      emit(c, OP_FCMPK, r + 1, 0, CMP_LE, n->a->index, const_of(n->c));
      emit(c, OP_AND, r, r, r + 1, 0, 0);
    } else {
      gen(c, n->a, r);
      gen(c, n->b, r + 1);
      emit(c, OP_CMP, r + 1, r, r + 1, 0, CMP_GE);
      gen(c, n->c, r + 2);
      emit(c, OP_CMP, r + 2, r, r + 2, 0, CMP_LE);
      emit(c, OP_AND, r, r + 1, r + 2, 0, 0);
    }
    break;
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
  gen(c, n, 0);
  emit(c, OP_RET, 0, 0, 0, 0, 0);
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
  if (out->nregs > c->pol->max_regs)
    c->pol->max_regs = out->nregs;
  return CPW_OK;
}

static void collect_slots(const struct cpw_policy *pol, const cpw__node *n, uint8_t *used,
                          int depth)
{
  uint32_t i;
  if (n == NULL || depth > 400)
    return;
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
