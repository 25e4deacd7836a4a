/* SPDX-License-Identifier: Apache-2.0 */
/* policy/parse.c: the parser of policy files (recursive descent, one-token lookahead).
 *
 * Top-level declarations:
 *   policy NAME ["title"] [version "v"]
 *   timezone "+04:00"
 *   calendar NAME ["title"] { weekend DAY, DAY   holiday ... }
 *   field NAME: TYPE ["description"]
 *   param NAME: TYPE = EXPR from DATE {, EXPR from DATE} [until DATE]
 *   define NAME = EXPR
 *   program NAME "title" { source "..."  in force from DATE [until DATE]  eligible when EXPR
 *                          benefit NAME [up to] EXPR once|monthly|yearly [when EXPR] ["text"]
 *                          service NAME [when EXPR] ["text"] }
 * The other declarations (workflow, setting, facility, placement, labels, source) have their
 * parsers in wf_parse.c, pl_parse.c, labels.c and basis.c; decls.c is the table of all kinds
 * and the file-level loop that dispatches to them, so this file knows none of them.
 * Expressions, loosest first: if-then-else; or; and; not; comparisons (= != < <= > >= is,
 * in, not in, contains, between .. and .., is [not] missing, is given); + -; * /; unary -. */
#include "policy/parse.h"

#include <stdio.h>

#include "base/arena.h"
#include "policy/basis_syntax.h"
#include "policy/diag.h"

/* ------------------------------------------------------------------ helpers */

void cpw__parse_advance(cpw__parser *p)
{
  p->prev_line = p->lx.cur.line;
  p->prev_end = p->lx.cur.off + p->lx.cur.len;
  cpw__lex_next(&p->lx);
}

int cpw__parse_check(cpw__parser *p, cpw__tok kind)
{
  return p->lx.cur.kind == kind;
}

int cpw__parse_accept(cpw__parser *p, cpw__tok kind)
{
  if (p->lx.cur.kind != kind)
    return 0;
  cpw__parse_advance(p);
  return 1;
}

static void error_va(cpw__parser *p, int line, int col, int at_current, const char *fmt,
                     va_list ap) CPW__PRINTF(5, 0);

static void error_va(cpw__parser *p, int line, int col, int at_current, const char *fmt,
                     va_list ap)
{
  char msg[300];
  /* one error per declaration: the rest would be noise; and at an invalid token the lexer has
   * already said what is wrong */
  if (!p->failed && !(at_current && p->lx.cur.kind == TK_ERROR)) {
    vsnprintf(msg, sizeof msg, fmt, ap);
    cpw__diag_add(p->diags, CPW__SEV_ERROR, p->lx.file, line, col, "%s", msg);
  }
  p->failed = 1;
}

void cpw__parse_error(cpw__parser *p, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  error_va(p, p->lx.cur.line, p->lx.cur.col, 1, fmt, ap);
  va_end(ap);
}

/* An error at an earlier token (the current one is what follows it). */
static void error_at(cpw__parser *p, int line, int col, const char *fmt, ...) CPW__PRINTF(4, 5);
static void error_at(cpw__parser *p, int line, int col, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  error_va(p, line, col, 0, fmt, ap);
  va_end(ap);
}

void cpw__parse_describe(const cpw__parser *p, char *buf, size_t size)
{
  const cpw__token *t = &p->lx.cur;
  if (t->kind == TK_IDENT)
    snprintf(buf, size, "'%.*s'", (int)(t->slen > 40 ? 40 : t->slen), t->str);
  else
    snprintf(buf, size, "%s", cpw__tok_name(t->kind));
}

int cpw__parse_expect(cpw__parser *p, cpw__tok kind, const char *what)
{
  char got[64];
  if (cpw__parse_accept(p, kind))
    return 1;
  if (p->lx.cur.kind != TK_ERROR) {
    cpw__parse_describe(p, got, sizeof got);
    cpw__parse_error(p, "expected %s%s%s, found %s", cpw__tok_name(kind), what ? " " : "",
                     what ? what : "", got);
  } else {
    p->failed = 1;
  }
  return 0;
}

int cpw__parse_is_word(const cpw__parser *p, const char *word)
{
  const cpw__token *t = &p->lx.cur;
  return t->kind == TK_IDENT && strlen(word) == t->slen && memcmp(word, t->str, t->slen) == 0;
}

int cpw__parse_accept_word(cpw__parser *p, const char *word)
{
  if (!cpw__parse_is_word(p, word))
    return 0;
  cpw__parse_advance(p);
  return 1;
}

void *cpw__parse_alloc(cpw__parser *p, size_t size)
{
  void *m = cpw__arena_alloc(p->arena, size);
  if (m == NULL) {
    p->diags->oom = 1;
    p->failed = 1;
  }
  return m;
}

void *cpw__parse_push(cpw__parser *p, void *array, uint32_t n, size_t elem)
{
  /* Arena arrays hold a power of two of items: they are full exactly when n is 0 or a power
   * of two, and then move to a block twice as big. */
  unsigned char *a;
  size_t cap;
  if (array != NULL && n != 0 && (n & (n - 1)) != 0)
    return array;
  if (n >= UINT32_MAX / 2) {
    cpw__parse_error(p, "too many items");
    return NULL;
  }
  cap = n == 0 ? 1 : (size_t)n * 2;
  a = cpw__parse_alloc(p, cap * elem);
  if (a == NULL)
    return NULL;
  if (array != NULL && n != 0)
    memcpy(a, array, (size_t)n * elem);
  return a;
}

int cpw__parse_name(cpw__parser *p, cpw__ast_name *out, const char *what)
{
  const cpw__token *t = &p->lx.cur;
  char got[64];
  if (t->kind != TK_IDENT) {
    if (t->kind >= TK_AND && t->kind < TK__COUNT)
      cpw__parse_error(p, "%s is a reserved word and cannot be used as %s",
                       cpw__tok_name(t->kind), what);
    else if (t->kind != TK_ERROR) {
      cpw__parse_describe(p, got, sizeof got);
      cpw__parse_error(p, "expected %s, found %s", what, got);
    } else
      p->failed = 1;
    return 0;
  }
  out->str = t->str;
  out->len = t->slen;
  out->line = t->line;
  out->col = t->col;
  cpw__parse_advance(p);
  return 1;
}

int cpw__parse_string(cpw__parser *p, const char **s, uint32_t *len)
{
  if (p->lx.cur.kind != TK_STRING)
    return 0;
  *s = p->lx.cur.str;
  *len = p->lx.cur.slen;
  cpw__parse_advance(p);
  return 1;
}

int cpw__parse_date(cpw__parser *p, int64_t *out, const char *what)
{
  char got[64];
  if (p->lx.cur.kind == TK_DATE) {
    *out = p->lx.cur.ival;
    cpw__parse_advance(p);
    return 1;
  }
  if (p->lx.cur.kind != TK_ERROR) {
    cpw__parse_describe(p, got, sizeof got);
    cpw__parse_error(p, "expected a date (YYYY-MM-DD) %s, found %s", what, got);
  } else
    p->failed = 1;
  return 0;
}

/* ------------------------------------------------------------------ types */

static int parse_members(cpw__parser *p, cpw__ast_type *out)
{
  if (!cpw__parse_expect(p, TK_LPAREN, "after 'enum'"))
    return 0;
  do {
    cpw__ast_name m;
    if (!cpw__parse_name(p, &m, "an enum value"))
      return 0;
    out->members = cpw__parse_push(p, (void *)out->members, out->nmembers, sizeof *out->members);
    out->member_lens = cpw__parse_push(p, out->member_lens, out->nmembers,
                                       sizeof *out->member_lens);
    if (out->members == NULL || out->member_lens == NULL)
      return 0;
    out->members[out->nmembers] = m.str;
    out->member_lens[out->nmembers] = m.len;
    out->nmembers++;
  } while (cpw__parse_accept(p, TK_COMMA));
  return cpw__parse_expect(p, TK_RPAREN, "after the enum values");
}

int cpw__parse_type(cpw__parser *p, cpw__ast_type *out)
{
  static const struct { const char *name; uint8_t type; } simple[] = {
    { "bool", T_BOOL }, { "int", T_INT }, { "money", T_MONEY }, { "date", T_DATE },
    { "datetime", T_DATETIME }, { "text", T_TEXT },
  };
  size_t i;
  memset(out, 0, sizeof *out);
  out->line = p->lx.cur.line;
  out->col = p->lx.cur.col;
  for (i = 0; i < CPW__ARRAY_LEN(simple); i++)
    if (cpw__parse_accept_word(p, simple[i].name)) {
      out->base = simple[i].type;
      return 1;
    }
  if (cpw__parse_accept_word(p, "enum")) {
    out->base = T_ENUM;
    return parse_members(p, out);
  }
  if (cpw__parse_accept(p, TK_SET)) {
    if (!cpw__parse_expect(p, TK_OF, "after 'set'"))
      return 0;
    if (!cpw__parse_accept_word(p, "enum")) {
      cpw__parse_error(p, "expected 'enum(...)' after 'set of'");
      return 0;
    }
    out->base = T_SET;
    return parse_members(p, out);
  }
  cpw__parse_error(p, "expected a type: bool, int, money, date, datetime, text, "
                      "enum(...) or set of enum(...)");
  return 0;
}

/* ------------------------------------------------------------------ expressions */

static cpw__node *new_node(cpw__parser *p, uint8_t kind, const cpw__token *at)
{
  cpw__node *n = cpw__parse_alloc(p, sizeof *n);
  if (n == NULL)
    return NULL;
  n->kind = kind;
  n->line = at->line;
  n->col = at->col;
  n->off = at->off;
  n->len = at->len;
  n->src = p->lx.src + at->off;
  return n;
}

/* Extend n's source span to the end of the previous token. */
static void span_to(cpw__node *n, const cpw__node *last)
{
  if (n != NULL && last != NULL && last->off + last->len > n->off)
    n->len = last->off + last->len - n->off;
}

static void span_tok(cpw__node *n, const cpw__token *t)
{
  if (n != NULL && t->off + t->len > n->off)
    n->len = t->off + t->len - n->off;
}

static cpw__node *parse_or(cpw__parser *p);
static cpw__node *parse_sum(cpw__parser *p);

static const struct { const char *word; uint8_t unit; } units[] = {
  { "minute", U_MINUTES }, { "minutes", U_MINUTES }, { "hour", U_HOURS }, { "hours", U_HOURS },
  { "day", U_DAYS }, { "days", U_DAYS }, { "week", U_WEEKS }, { "weeks", U_WEEKS },
  { "month", U_MONTHS }, { "months", U_MONTHS }, { "year", U_YEARS }, { "years", U_YEARS },
};

static cpw__node *parse_number(cpw__parser *p)
{
  cpw__token t = p->lx.cur;
  cpw__node *n;
  size_t i;
  cpw__parse_advance(p);
  if (cpw__parse_is_word(p, "GEL")) {
    n = new_node(p, N_MONEY, &t);
    if (n == NULL)
      return NULL;
    if (t.kind == TK_INT) {
      if (t.ival > INT64_MAX / 100) {
        cpw__parse_error(p, "amount too large");
        return NULL;
      }
      n->ival = t.ival * 100;
    } else {
      n->ival = t.ival;
    }
    span_tok(n, &p->lx.cur);
    cpw__parse_advance(p);
    return n;
  }
  if (t.kind == TK_DECIMAL) {
    cpw__parse_error(p, "a decimal number must be an amount in GEL (write '12.50 GEL')");
    return NULL;
  }
  if (cpw__parse_is_word(p, "working")) {
    cpw__parse_advance(p);
    if (!cpw__parse_is_word(p, "day") && !cpw__parse_is_word(p, "days")) {
      cpw__parse_error(p, "expected 'days' after 'working'");
      return NULL;
    }
    n = new_node(p, N_DURATION, &t);
    if (n == NULL)
      return NULL;
    n->unit = U_WORKING_DAYS;
    n->ival = t.ival;
    span_tok(n, &p->lx.cur);
    cpw__parse_advance(p);
    return n;
  }
  for (i = 0; i < CPW__ARRAY_LEN(units); i++)
    if (cpw__parse_is_word(p, units[i].word)) {
      n = new_node(p, N_DURATION, &t);
      if (n == NULL)
        return NULL;
      n->unit = units[i].unit;
      n->ival = t.ival;
      span_tok(n, &p->lx.cur);
      cpw__parse_advance(p);
      return n;
    }
  n = new_node(p, N_INT, &t);
  if (n != NULL)
    n->ival = t.ival;
  return n;
}

static cpw__node *parse_primary(cpw__parser *p)
{
  cpw__token t = p->lx.cur;
  cpw__node *n;
  char got[64];

  switch (t.kind) {
  case TK_INT:
  case TK_DECIMAL:
    return parse_number(p);
  case TK_TRUE:
  case TK_FALSE:
    n = new_node(p, N_BOOL, &t);
    if (n != NULL)
      n->ival = t.kind == TK_TRUE;
    cpw__parse_advance(p);
    return n;
  case TK_DATE:
  case TK_DATETIME:
    n = new_node(p, t.kind == TK_DATE ? N_DATE : N_DATETIME, &t);
    if (n != NULL)
      n->ival = t.ival;
    cpw__parse_advance(p);
    return n;
  case TK_STRING:
    n = new_node(p, N_TEXT, &t);
    if (n != NULL) {
      n->str = t.str;
      n->slen = t.slen;
    }
    cpw__parse_advance(p);
    return n;
  case TK_LPAREN: {
    cpw__node *inner;
    cpw__parse_advance(p);
    inner = cpw__parse_expr(p);
    if (inner == NULL)
      return NULL;
    if (!cpw__parse_check(p, TK_RPAREN)) {
      cpw__parse_expect(p, TK_RPAREN, "to close '('");
      return NULL;
    }
    /* the parentheses belong to the expression's text */
    inner->src = p->lx.src + t.off;
    inner->off = t.off;
    inner->len = p->lx.cur.off + p->lx.cur.len - t.off;
    cpw__parse_advance(p);
    return inner;
  }
  case TK_LBRACE:
    if (p->depth + 1 > CPW__MAX_DEPTH) {
      cpw__parse_error(p, "expression nested too deeply");
      return NULL;
    }
    n = new_node(p, N_SETLIT, &t);
    if (n == NULL)
      return NULL;
    cpw__parse_advance(p);
    if (!cpw__parse_check(p, TK_RBRACE)) {
      do {
        cpw__node *m;
        p->depth++;
        m = parse_primary(p);
        p->depth--;
        if (m == NULL)
          return NULL;
        n->args = cpw__parse_push(p, n->args, n->nargs, sizeof *n->args);
        if (n->args == NULL)
          return NULL;
        n->args[n->nargs++] = m;
      } while (cpw__parse_accept(p, TK_COMMA));
    }
    span_tok(n, &p->lx.cur);
    if (!cpw__parse_expect(p, TK_RBRACE, "to close the set"))
      return NULL;
    return n;
  case TK_IDENT:
    n = new_node(p, N_NAME, &t);
    if (n == NULL)
      return NULL;
    n->str = t.str;
    n->slen = t.slen;
    cpw__parse_advance(p);
    if (cpw__parse_check(p, TK_LPAREN)) {
      n->kind = N_CALL;
      cpw__parse_advance(p);
      if (!cpw__parse_check(p, TK_RPAREN)) {
        do {
          cpw__node *arg = cpw__parse_expr(p);
          if (arg == NULL)
            return NULL;
          n->args = cpw__parse_push(p, n->args, n->nargs, sizeof *n->args);
          if (n->args == NULL)
            return NULL;
          n->args[n->nargs++] = arg;
        } while (cpw__parse_accept(p, TK_COMMA));
      }
      span_tok(n, &p->lx.cur);
      if (!cpw__parse_expect(p, TK_RPAREN, "to close the argument list"))
        return NULL;
    } else if (cpw__parse_check(p, TK_DOT)) {
      /* a qualified name (event.risk): kept as one name */
      const cpw__token *dot = &p->lx.cur;
      const cpw__token *after = cpw__lex_peek(&p->lx);
      if (after->kind == TK_IDENT && dot->off == t.off + t.len && after->off == dot->off + 1) {
        cpw__parse_advance(p);
        n->slen = p->lx.cur.off + p->lx.cur.slen - t.off;
        span_tok(n, &p->lx.cur);
        cpw__parse_advance(p);
      }
    }
    return n;
  case TK_ERROR:
    p->failed = 1;
    return NULL;
  default:
    cpw__parse_describe(p, got, sizeof got);
    cpw__parse_error(p, "expected a value, a name or '(', found %s", got);
    return NULL;
  }
}

/* A prefix operator ('-' or 'not') at the current token, applied to `operand`: the operand is
 * parsed by the same rule again, so prefixes repeat; each counts toward the nesting bound. */
static cpw__node *prefix(cpw__parser *p, uint8_t kind, cpw__node *(*operand)(cpw__parser *))
{
  cpw__token t = p->lx.cur;
  cpw__node *n, *a;
  if (++p->depth > CPW__MAX_DEPTH) {
    cpw__parse_error(p, "expression nested too deeply");
    return NULL;
  }
  cpw__parse_advance(p);
  a = operand(p);
  p->depth--;
  if (a == NULL)
    return NULL;
  n = new_node(p, kind, &t);
  if (n == NULL)
    return NULL;
  n->a = a;
  span_to(n, a);
  return n;
}

static cpw__node *parse_unary(cpw__parser *p)
{
  if (cpw__parse_check(p, TK_MINUS))
    return prefix(p, N_NEG, parse_unary);
  return parse_primary(p);
}

/* One more operator in a chain (a + b + c ..., a and b and c ...): each makes the tree one
 * level deeper, so a chain counts toward the nesting bound like parentheses do. The caller
 * restores p->depth after the chain. */
static int chain_step(cpw__parser *p)
{
  if (++p->depth > CPW__MAX_DEPTH) {
    cpw__parse_error(p, "expression too long: more than %d terms in a row or nested levels "
                        "(split it with 'define', or list values with 'in { ... }')",
                     CPW__MAX_DEPTH);
    return 0;
  }
  return 1;
}

static cpw__node *binary(cpw__parser *p, uint8_t kind, uint8_t op, cpw__node *a, cpw__node *b)
{
  cpw__node *n;
  if (a == NULL || b == NULL)
    return NULL;
  n = cpw__parse_alloc(p, sizeof *n);
  if (n == NULL)
    return NULL;
  n->kind = kind;
  n->op = op;
  n->line = a->line;
  n->col = a->col;
  n->off = a->off;
  n->src = a->src;
  n->a = a;
  n->b = b;
  span_to(n, b);
  return n;
}

static cpw__node *parse_term(cpw__parser *p)
{
  cpw__node *a = parse_unary(p);
  int depth = p->depth;
  while (a != NULL && (cpw__parse_check(p, TK_STAR) || cpw__parse_check(p, TK_SLASH))) {
    uint8_t op = (uint8_t)p->lx.cur.kind;
    if (!chain_step(p)) {
      a = NULL;
      break;
    }
    cpw__parse_advance(p);
    a = binary(p, N_ARITH, op, a, parse_unary(p));
  }
  p->depth = depth;
  return a;
}

static cpw__node *parse_sum(cpw__parser *p)
{
  cpw__node *a = parse_term(p);
  int depth = p->depth;
  while (a != NULL && (cpw__parse_check(p, TK_PLUS) || cpw__parse_check(p, TK_MINUS))) {
    uint8_t op = (uint8_t)p->lx.cur.kind;
    if (!chain_step(p)) {
      a = NULL;
      break;
    }
    cpw__parse_advance(p);
    a = binary(p, N_ARITH, op, a, parse_term(p));
  }
  p->depth = depth;
  return a;
}

static cpw__node *parse_cmp(cpw__parser *p)
{
  cpw__node *a = parse_sum(p), *n;
  cpw__tok k;
  if (a == NULL)
    return NULL;
  k = p->lx.cur.kind;
  switch (k) {
  case TK_EQ: case TK_NE: case TK_LT: case TK_LE: case TK_GT: case TK_GE:
    cpw__parse_advance(p);
    return binary(p, N_CMP, (uint8_t)k, a, parse_sum(p));
  case TK_IN:
    cpw__parse_advance(p);
    return binary(p, N_IN, 0, a, parse_sum(p));
  case TK_CONTAINS:
    cpw__parse_advance(p);
    return binary(p, N_CONTAINS, 0, a, parse_sum(p));
  case TK_NOT:
    if (cpw__lex_peek(&p->lx)->kind == TK_IN) {
      cpw__parse_advance(p);
      cpw__parse_advance(p);
      n = binary(p, N_IN, 0, a, parse_sum(p));
      if (n != NULL)
        n->flag = 1;
      return n;
    }
    return a;
  case TK_BETWEEN: {
    cpw__node *lo, *hi;
    cpw__parse_advance(p);
    lo = parse_sum(p);
    if (lo == NULL)
      return NULL;
    if (!cpw__parse_expect(p, TK_AND, "in 'between ... and ...'"))
      return NULL;
    hi = parse_sum(p);
    n = binary(p, N_BETWEEN, 0, a, lo);
    if (n == NULL || hi == NULL)
      return NULL;
    n->c = hi;
    span_to(n, hi);
    return n;
  }
  case TK_IS: {
    int neg;
    cpw__token last;
    cpw__parse_advance(p);
    neg = cpw__parse_accept(p, TK_NOT);
    last = p->lx.cur;
    if (cpw__parse_accept(p, TK_MISSING) || cpw__parse_accept(p, TK_GIVEN)) {
      n = cpw__parse_alloc(p, sizeof *n);
      if (n == NULL)
        return NULL;
      n->kind = N_MISSING;
      /* flag 1: "is given" / "is not missing" */
      n->flag = (uint8_t)((last.kind == TK_GIVEN) != neg);
      n->line = a->line;
      n->col = a->col;
      n->off = a->off;
      n->src = a->src;
      n->a = a;
      span_tok(n, &last);
      return n;
    }
    return binary(p, N_CMP, neg ? TK_NE : TK_EQ, a, parse_sum(p));
  }
  default:
    return a;
  }
}

static cpw__node *parse_not(cpw__parser *p)
{
  if (cpw__parse_check(p, TK_NOT))
    return prefix(p, N_NOT, parse_not);
  return parse_cmp(p);
}

static cpw__node *parse_and(cpw__parser *p)
{
  cpw__node *a = parse_not(p);
  int depth = p->depth;
  while (a != NULL && cpw__parse_check(p, TK_AND)) {
    if (!chain_step(p)) {
      a = NULL;
      break;
    }
    cpw__parse_advance(p);
    a = binary(p, N_AND, 0, a, parse_not(p));
  }
  p->depth = depth;
  return a;
}

static cpw__node *parse_or(cpw__parser *p)
{
  cpw__node *a = parse_and(p);
  int depth = p->depth;
  while (a != NULL && cpw__parse_check(p, TK_OR)) {
    if (!chain_step(p)) {
      a = NULL;
      break;
    }
    cpw__parse_advance(p);
    a = binary(p, N_OR, 0, a, parse_and(p));
  }
  p->depth = depth;
  return a;
}

cpw__node *cpw__parse_expr(cpw__parser *p)
{
  cpw__node *n;
  if (++p->depth > CPW__MAX_DEPTH) {
    cpw__parse_error(p, "expression nested too deeply");
    p->depth--;
    return NULL;
  }
  if (cpw__parse_check(p, TK_IF)) {
    cpw__token t = p->lx.cur;
    cpw__node *c, *a, *b = NULL;
    cpw__parse_advance(p);
    c = cpw__parse_expr(p);
    a = c != NULL && cpw__parse_expect(p, TK_THEN, "after the condition of 'if'")
          ? cpw__parse_expr(p) : NULL;
    if (a != NULL && cpw__parse_expect(p, TK_ELSE, "in 'if ... then ... else ...'"))
      b = cpw__parse_expr(p);
    n = NULL;
    if (b != NULL) {
      n = new_node(p, N_IF, &t);
      if (n != NULL) {
        n->a = c;
        n->b = a;
        n->c = b;
        span_to(n, b);
      }
    }
  } else {
    n = parse_or(p);
  }
  p->depth--;
  return n;
}

/* ------------------------------------------------------------------ declarations */

int cpw__parse_policy(cpw__parser *p, cpw__decl *d)
{
  if (!cpw__parse_name(p, &d->name, "the policy's name"))
    return 0;
  cpw__parse_string(p, &d->title, &d->title_len);
  if (cpw__parse_accept_word(p, "version")) {
    if (!cpw__parse_string(p, &d->text2, &d->text2_len)) {
      cpw__parse_error(p, "expected the version as a string, e.g. version \"2026.1\"");
      return 0;
    }
  }
  return 1;
}

int cpw__parse_timezone(cpw__parser *p, cpw__decl *d)
{
  const char *s;
  uint32_t n;
  int sign, hh, mm;
  if (!cpw__parse_check(p, TK_STRING)) {
    cpw__parse_error(p, "expected the UTC offset as a string, e.g. timezone \"+04:00\"");
    return 0;
  }
  /* checked while the string is the current token, so that errors point at it */
  s = p->lx.cur.str;
  n = p->lx.cur.slen;
  if (n == 1 && s[0] == 'Z') {
    d->tz_minutes = 0;
    cpw__parse_advance(p);
    return 1;
  }
  if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || s[1] < '0' || s[1] > '9' ||
      s[2] < '0' || s[2] > '9' || s[4] < '0' || s[4] > '5' || s[5] < '0' || s[5] > '9') {
    cpw__parse_error(p, "a time zone is an offset from UTC such as \"+04:00\" or \"Z\"");
    return 0;
  }
  sign = s[0] == '-' ? -1 : 1;
  hh = (s[1] - '0') * 10 + (s[2] - '0');
  mm = (s[4] - '0') * 10 + (s[5] - '0');
  if (hh > 23) {
    cpw__parse_error(p, "a time zone offset must be under 24 hours");
    return 0;
  }
  d->tz_minutes = sign * (hh * 60 + mm);
  cpw__parse_advance(p);
  return 1;
}

static const char *const month_names[12] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December",
};
static const char *const day_names[7] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

static int parse_effective(cpw__parser *p, int64_t *from, uint8_t *from_prec, int64_t *until)
{
  int line = 0, col = 0;
  *from = CPW_DATE_MIN;
  *until = CPW_DATE_MAX;
  *from_prec = CPW__PREC_DAY;
  if (cpw__parse_accept(p, TK_FROM) &&
      !cpw__parse_date_prec(p, from, from_prec, "after 'from'"))
    return 0;
  if (cpw__parse_accept(p, TK_UNTIL)) {
    line = p->lx.cur.line;
    col = p->lx.cur.col;
    if (!cpw__parse_date(p, until, "after 'until'"))
      return 0;
  }
  if (*until < *from) {
    error_at(p, line, col, "'until' is before 'from'");
    return 0;
  }
  return 1;
}

static int push_holiday(cpw__parser *p, cpw__decl *d, const cpw__ast_holiday *h)
{
  d->holidays = cpw__parse_push(p, d->holidays, d->nholidays, sizeof *d->holidays);
  if (d->holidays == NULL)
    return 0;
  d->holidays[d->nholidays++] = *h;
  return 1;
}

/* day off DATE [to DATE] ["name"]: days off that the Government declares for administrative
 * bodies (the agency is one); not working days, like holidays. */
static int parse_day_off(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  cpw__ast_holiday h;
  memset(&h, 0, sizeof h);
  h.kind = 3;
  h.line = p->lx.cur.line;
  h.col = p->lx.cur.col;
  h.from = CPW_DATE_MIN;
  h.until = CPW_DATE_MAX;
  if (!cpw__parse_date(p, &h.date, "after 'day off'"))
    return 0;
  h.date_to = h.date;
  if (cpw__parse_accept_word(p, "to")) {
    if (cpw__parse_check(p, TK_DATE) &&
        (p->lx.cur.ival < h.date || p->lx.cur.ival - h.date > 31)) {
      cpw__parse_error(p, "days off run from a date to a later one, at most 31 days on");
      return 0;
    }
    if (!cpw__parse_date(p, &h.date_to, "after 'to'"))
      return 0;
  }
  cpw__parse_string(p, &h.name, &h.name_len);
  if (!cpw__parse_item_basis(p, &h.basis, start, 0))
    return 0;
  return push_holiday(p, d, &h);
}

static int parse_holiday(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  cpw__ast_holiday h;
  memset(&h, 0, sizeof h);
  h.line = p->lx.cur.line;
  h.col = p->lx.cur.col;
  h.from = CPW_DATE_MIN;
  h.until = CPW_DATE_MAX;
  if (cpw__parse_check(p, TK_DATE)) {
    h.kind = 2;
    h.date = p->lx.cur.ival;
    cpw__parse_advance(p);
  } else if (cpw__parse_accept_word(p, "easter")) {
    h.kind = 1;
    if (cpw__parse_check(p, TK_PLUS) || cpw__parse_check(p, TK_MINUS)) {
      int sign = cpw__parse_check(p, TK_MINUS) ? -1 : 1;
      cpw__parse_advance(p);
      if (!cpw__parse_check(p, TK_INT) || p->lx.cur.ival > 100) {
        cpw__parse_error(p, "expected a number of days (at most 100) after 'easter %c'",
                         sign < 0 ? '-' : '+');
        return 0;
      }
      h.offset = sign * (int)p->lx.cur.ival;
      cpw__parse_advance(p);
      if (!cpw__parse_accept_word(p, "days") && !cpw__parse_accept_word(p, "day")) {
        cpw__parse_error(p, "expected 'days' after the offset from Easter");
        return 0;
      }
    }
  } else if (cpw__parse_check(p, TK_INT)) {
    size_t m;
    h.day = (int)(p->lx.cur.ival > 31 ? 99 : p->lx.cur.ival);
    cpw__parse_advance(p);
    for (m = 0; m < 12; m++)
      if (cpw__parse_accept_word(p, month_names[m]))
        break;
    if (m == 12) {
      cpw__parse_error(p, "expected a month name (January ... December) after the day");
      return 0;
    }
    h.month = (int)m + 1;
    if (h.day < 1 || h.day > cpw_date_days_in_month(2000, h.month)) {
      cpw__parse_error(p, "day %d does not exist in %s", h.day, month_names[m]);
      return 0;
    }
  } else {
    cpw__parse_error(p, "expected a holiday: '1 January', 'easter - 2 days' or a date");
    return 0;
  }
  cpw__parse_string(p, &h.name, &h.name_len);
  if (h.kind != 2 && !parse_effective(p, &h.from, &h.from_prec, &h.until))
    return 0;
  if (!cpw__parse_item_basis(p, &h.basis, start, 0))
    return 0;
  return push_holiday(p, d, &h);
}

int cpw__parse_calendar(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  if (!cpw__parse_name(p, &d->name, "the calendar's name"))
    return 0;
  cpw__parse_string(p, &d->title, &d->title_len);
  cpw__basis_text(p, &d->basis, start);
  d->weekend_mask = CPW_WEEKDAY_BIT(6) | CPW_WEEKDAY_BIT(7);
  if (!cpw__parse_expect(p, TK_LBRACE, "to open the calendar"))
    return 0;
  while (!cpw__parse_check(p, TK_RBRACE) && !cpw__parse_check(p, TK_EOF)) {
    uint32_t item = p->lx.cur.off;
    if (cpw__parse_is_word(p, "basis")) {
      if (!cpw__parse_block_basis(p, &d->basis))
        return 0;
    } else if (cpw__parse_accept_word(p, "day")) {
      if (!cpw__parse_accept_word(p, "off")) {
        cpw__parse_error(p, "expected 'day off DATE'");
        return 0;
      }
      if (!parse_day_off(p, d, item))
        return 0;
    } else if (cpw__parse_accept_word(p, "weekend")) {
      d->weekend_mask = 0;
      do {
        size_t i;
        for (i = 0; i < 7; i++)
          if (cpw__parse_accept_word(p, day_names[i]))
            break;
        if (i == 7) {
          cpw__parse_error(p, "expected a day of the week (monday ... sunday)");
          return 0;
        }
        d->weekend_mask |= 1u << i;
      } while (cpw__parse_accept(p, TK_COMMA));
    } else if (cpw__parse_accept_word(p, "holiday")) {
      if (!parse_holiday(p, d, item))
        return 0;
    } else {
      cpw__parse_error(p, "expected 'weekend', 'holiday', 'day off' or 'basis' in a calendar");
      return 0;
    }
  }
  return cpw__parse_expect(p, TK_RBRACE, "to close the calendar");
}

int cpw__parse_field(cpw__parser *p, cpw__decl *d)
{
  if (!cpw__parse_name(p, &d->name, "a field name"))
    return 0;
  if (!cpw__parse_expect(p, TK_COLON, "after the field name"))
    return 0;
  if (!cpw__parse_type(p, &d->type))
    return 0;
  cpw__parse_string(p, &d->title, &d->title_len);
  return 1;
}

int cpw__parse_param(cpw__parser *p, cpw__decl *d)
{
  uint32_t per_start;
  if (!cpw__parse_name(p, &d->name, "a parameter name"))
    return 0;
  if (!cpw__parse_expect(p, TK_COLON, "after the parameter name"))
    return 0;
  if (!cpw__parse_type(p, &d->type))
    return 0;
  if (!cpw__parse_expect(p, TK_EQ, "before the parameter's value"))
    return 0;
  do {
    cpw__ast_period per;
    memset(&per, 0, sizeof per);
    per.line = p->lx.cur.line;
    per.col = p->lx.cur.col;
    per_start = p->lx.cur.off;
    per.value = cpw__parse_expr(p);
    if (per.value == NULL)
      return 0;
    if (!cpw__parse_expect(p, TK_FROM, "after the value (each value says when it applies)"))
      return 0;
    if (!cpw__parse_date_prec(p, &per.from, &per.from_prec, "after 'from'"))
      return 0;
    if (!cpw__parse_item_basis(p, &per.basis, per_start, 0))
      return 0;
    d->periods = cpw__parse_push(p, d->periods, d->nperiods, sizeof *d->periods);
    if (d->periods == NULL)
      return 0;
    d->periods[d->nperiods++] = per;
  } while (cpw__parse_accept(p, TK_COMMA));
  if (cpw__parse_accept(p, TK_UNTIL)) {
    int line = p->lx.cur.line, col = p->lx.cur.col;
    if (!cpw__parse_date(p, &d->until, "after 'until'"))
      return 0;
    if (d->until < d->periods[d->nperiods - 1].from) {
      error_at(p, line, col, "'until' is before the last value's 'from'");
      return 0;
    }
  }
  cpw__parse_string(p, &d->title, &d->title_len);
  return 1;
}

int cpw__parse_define(cpw__parser *p, cpw__decl *d)
{
  if (!cpw__parse_name(p, &d->name, "a name"))
    return 0;
  if (!cpw__parse_expect(p, TK_EQ, "after the name"))
    return 0;
  d->expr_line = p->lx.cur.line;
  d->expr_col = p->lx.cur.col;
  d->expr = cpw__parse_expr(p);
  return d->expr != NULL;
}

/* "up to" before a benefit's amount: the amount is a maximum (a capped, e.g. competitive, grant),
 * not what every eligible person is owed. "up" is read as a word only when "to" follows, so a
 * field or parameter named `up` still starts an amount. */
static int parse_benefit_cap(cpw__parser *p)
{
  const cpw__token *next;
  if (!cpw__parse_is_word(p, "up"))
    return 0;
  next = cpw__lex_peek(&p->lx);
  if (next->kind != TK_IDENT || next->slen != 2 || memcmp(next->str, "to", 2) != 0)
    return 0;
  cpw__parse_advance(p);
  cpw__parse_advance(p);
  return 1;
}

static int parse_item(cpw__parser *p, cpw__decl *d, int benefit, uint32_t start)
{
  cpw__ast_item it;
  memset(&it, 0, sizeof it);
  if (!cpw__parse_name(p, &it.id, benefit ? "the benefit's name" : "the service's name"))
    return 0;
  if (benefit) {
    it.cap = parse_benefit_cap(p);
    it.amount = cpw__parse_expr(p);
    if (it.amount == NULL)
      return 0;
    if (cpw__parse_accept_word(p, "once"))
      it.period = 0;
    else if (cpw__parse_accept_word(p, "monthly"))
      it.period = 1;
    else if (cpw__parse_accept_word(p, "yearly"))
      it.period = 2;
    else {
      cpw__parse_error(p, "expected 'once', 'monthly' or 'yearly' after the amount");
      return 0;
    }
  }
  if (cpw__parse_accept(p, TK_WHEN)) {
    it.when = cpw__parse_expr(p);
    if (it.when == NULL)
      return 0;
  }
  cpw__parse_string(p, &it.title, &it.title_len);
  if (!cpw__parse_item_basis(p, &it.basis, start, 0))
    return 0;
  d->items = cpw__parse_push(p, d->items, d->nbenefits + d->nservices, sizeof *d->items);
  if (d->items == NULL)
    return 0;
  if (benefit) {
    /* benefits are kept before services */
    memmove(d->items + d->nbenefits + 1, d->items + d->nbenefits,
            d->nservices * sizeof *d->items);
    d->items[d->nbenefits++] = it;
  } else {
    d->items[d->nbenefits + d->nservices++] = it;
  }
  return 1;
}

int cpw__parse_program(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  int seen_eligible = 0, seen_force = 0, seen_source = 0;
  if (!cpw__parse_name(p, &d->name, "the programme's id"))
    return 0;
  if (!cpw__parse_string(p, &d->title, &d->title_len)) {
    cpw__parse_error(p, "expected the programme's title as a string after its id");
    return 0;
  }
  cpw__basis_text(p, &d->basis, start);
  if (!cpw__parse_expect(p, TK_LBRACE, "to open the programme"))
    return 0;
  while (!cpw__parse_check(p, TK_RBRACE) && !cpw__parse_check(p, TK_EOF)) {
    uint32_t item = p->lx.cur.off;
    if (cpw__parse_is_word(p, "basis")) {
      if (!cpw__parse_block_basis(p, &d->basis))
        return 0;
    } else if (cpw__parse_accept_word(p, "source")) {
      if (seen_source++) {
        cpw__parse_error(p, "a programme has one 'source' line");
        return 0;
      }
      if (!cpw__parse_string(p, &d->text2, &d->text2_len)) {
        cpw__parse_error(p, "expected the source as a string");
        return 0;
      }
    } else if (cpw__parse_check(p, TK_IN)) {
      cpw__parse_advance(p);
      if (!cpw__parse_accept_word(p, "force")) {
        cpw__parse_error(p, "expected 'in force from DATE'");
        return 0;
      }
      if (seen_force++) {
        cpw__parse_error(p, "a programme has one 'in force' line");
        return 0;
      }
      if (!cpw__parse_check(p, TK_FROM) && !cpw__parse_check(p, TK_UNTIL)) {
        cpw__parse_error(p, "expected 'from DATE' or 'until DATE' after 'in force'");
        return 0;
      }
      if (!parse_effective(p, &d->from, &d->from_prec, &d->until))
        return 0;
      d->has_from = 1;
    } else if (cpw__parse_accept_word(p, "eligible")) {
      if (seen_eligible++) {
        cpw__parse_error(p, "a programme has one 'eligible when' rule (combine conditions "
                            "with 'and' / 'or')");
        return 0;
      }
      if (!cpw__parse_expect(p, TK_WHEN, "after 'eligible'"))
        return 0;
      d->expr_line = p->lx.cur.line;
      d->expr_col = p->lx.cur.col;
      d->expr = cpw__parse_expr(p);
      if (d->expr == NULL)
        return 0;
    } else if (cpw__parse_accept_word(p, "benefit")) {
      if (!parse_item(p, d, 1, item))
        return 0;
    } else if (cpw__parse_accept_word(p, "service")) {
      if (!parse_item(p, d, 0, item))
        return 0;
    } else {
      char got[64];
      cpw__parse_describe(p, got, sizeof got);
      cpw__parse_error(p, "expected 'source', 'in force', 'eligible when', 'benefit', "
                          "'service' or 'basis' in a programme, found %s", got);
      return 0;
    }
  }
  if (!cpw__parse_expect(p, TK_RBRACE, "to close the programme"))
    return 0;
  if (!seen_eligible) {
    cpw__diag_add(p->diags, CPW__SEV_ERROR, d->file, d->line, d->col,
                  "programme '%.*s' has no 'eligible when' rule", (int)d->name.len,
                  d->name.str);
    return 0;
  }
  return 1;
}
