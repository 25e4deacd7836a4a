/* SPDX-License-Identifier: Apache-2.0 */
/* policy/check.c: resolves names, checks types and builds the policy model.
 *
 * Declarations may come in any order and from several files: a first pass registers every
 * name (fields, parameters, definitions, calendars, programmes), a second checks the formulas. */
#include "policy/check.h"
#include "policy/value.h"

#include <stdio.h>

#include "base/buf.h"
#include "policy/basis_syntax.h"
#include "policy/builtins.h"

/* ------------------------------------------------------------------ helpers */

static void err(cpw__checker *ck, const cpw__node *n, const char *fmt, ...) CPW__PRINTF(3, 4);
static void err(cpw__checker *ck, const cpw__node *n, const char *fmt, ...)
{
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cpw__diag_add(ck->diags, CPW__SEV_ERROR, ck->file, n->line, n->col, "%s", msg);
}

#define err_at cpw__check_error /* a short local name (check.h) */

void *cpw__check_alloc(cpw__checker *ck, size_t n)
{
  void *p = cpw__arena_alloc(&ck->pol->arena, n != 0 ? n : 1);
  if (p == NULL)
    ck->diags->oom = 1;
  return p;
}

const char *cpw__pol_str(cpw__checker *ck, const char *s, size_t n)
{
  const char *r = cpw__arena_strndup(&ck->pol->arena, s != NULL ? s : "", s != NULL ? n : 0);
  if (r == NULL)
    ck->diags->oom = 1;
  return r;
}

const char *cpw__type_name(uint8_t type)
{
  switch (type) {
  case T_BOOL: return "bool";
  case T_INT: return "int";
  case T_MONEY: return "money";
  case T_DATE: return "date";
  case T_DATETIME: return "datetime";
  case T_TEXT: return "text";
  case T_ENUM: return "enum";
  case T_SET: return "set";
  case T_DURATION: return "duration";
  default: return "invalid";
  }
}

/* "enum(a, b, c)" for messages (members cut after a few). */
static void enum_desc(const cpw_policy *pol, uint16_t id, char *buf, size_t size)
{
  const cpw__enum *e;
  size_t used = 0;
  uint32_t i;
  if (id >= pol->nenums) {
    snprintf(buf, size, "enum");
    return;
  }
  e = &pol->enums[id];
  used = (size_t)snprintf(buf, size, "one of ");
  for (i = 0; i < e->nmembers && used < size; i++) {
    if (i == 8) {
      snprintf(buf + used, size - used, ", ...");
      return;
    }
    used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", e->members[i]);
  }
}

static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
  size_t row[64], i, j;
  if (na >= 63 || nb >= 63)
    return 99;
  for (j = 0; j <= nb; j++)
    row[j] = j;
  for (i = 1; i <= na; i++) {
    size_t prev = row[0], tmp;
    row[0] = i;
    for (j = 1; j <= nb; j++) {
      size_t best = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
      if (row[j] + 1 < best)
        best = row[j] + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      tmp = row[j];
      row[j] = best;
      prev = tmp;
    }
  }
  return row[nb];
}

/* The closest known name to s (distance <= 2), or NULL. */
static const char *suggest(const cpw__checker *ck, const cpw__scope *sc, const char *s,
                           size_t n)
{
  const char *best = NULL;
  size_t bestd = 3, d;
  uint32_t i;
  for (i = 0; i < sc->nfields; i++) {
    d = edit_distance(s, n, sc->fields[i].name, strlen(sc->fields[i].name));
    if (d < bestd) {
      bestd = d;
      best = sc->fields[i].name;
    }
  }
  for (i = 0; i < ck->pol->nparams; i++) {
    d = edit_distance(s, n, ck->pol->params[i].name, strlen(ck->pol->params[i].name));
    if (d < bestd) {
      bestd = d;
      best = ck->pol->params[i].name;
    }
  }
  if (sc->allow_defines)
    for (i = 0; i < ck->pol->ndefines; i++) {
      d = edit_distance(s, n, ck->pol->defines[i].name, strlen(ck->pol->defines[i].name));
      if (d < bestd) {
        bestd = d;
        best = ck->pol->defines[i].name;
      }
    }
  return best;
}

/* Formulas are walked recursively by the compiler, the batch loader and the explainer, with
 * every definition they use written out in place. This bounds how deep that tree may be. */
#define MAX_INLINED_DEPTH 200

/* The depth of n's tree with the definitions it uses written out (each definition's own depth
 * is known once it is checked). The recursion is bounded by the parser's nesting limit. */
static uint32_t inlined_depth(const cpw_policy *pol, const cpw__node *n)
{
  uint32_t d = 0, x, i;
  if (n == NULL)
    return 0;
  if (n->kind == N_NAME && n->ref == R_DEFINE && n->index < pol->ndefines)
    return 1 + pol->defines[n->index].depth;
  x = inlined_depth(pol, n->a);
  d = x > d ? x : d;
  x = inlined_depth(pol, n->b);
  d = x > d ? x : d;
  x = inlined_depth(pol, n->c);
  d = x > d ? x : d;
  for (i = 0; i < n->nargs; i++) {
    x = inlined_depth(pol, n->args[i]);
    d = x > d ? x : d;
  }
  return d + 1;
}

static int is_asof(const char *s, size_t n)
{
  return (n == 5 && memcmp(s, "as_of", 5) == 0) || (n == 5 && memcmp(s, "today", 5) == 0);
}

/* Does this name resolve to a symbol (not an enum member)? */
static int is_symbol(const cpw__checker *ck, const cpw__scope *sc, const cpw__node *n)
{
  if (n->kind != N_NAME)
    return 1;
  if (sc->allow_asof && is_asof(n->str, n->slen))
    return 1;
  if (cpw__map_get(sc->index, n->str, n->slen, NULL))
    return 1;
  if (sc->allow_defines && cpw__map_get(&ck->pol->define_index, n->str, n->slen, NULL))
    return 1;
  return cpw__map_get(&ck->pol->param_index, n->str, n->slen, NULL);
}

static uint8_t set_type(cpw__node *n, uint8_t t, uint16_t enum_id)
{
  n->type = t;
  n->enum_id = enum_id;
  return t;
}

static int ordered(uint8_t t)
{
  return t == T_INT || t == T_MONEY || t == T_DATE || t == T_DATETIME;
}

static void check_define(cpw__checker *ck, uint32_t index);

static uint8_t check_name(cpw__checker *ck, const cpw__scope *sc, cpw__node *n,
                          uint16_t enum_ctx)
{
  uint32_t v;
  char desc[200];
  const char *hint;
  if (sc->allow_asof && is_asof(n->str, n->slen)) {
    n->ref = R_ASOF;
    return set_type(n, T_DATE, 0);
  }
  if (cpw__map_get(sc->index, n->str, n->slen, &v)) {
    n->ref = R_FIELD;
    n->index = v;
    return set_type(n, sc->fields[v].type, sc->fields[v].enum_id);
  }
  if (sc->allow_defines && cpw__map_get(&ck->pol->define_index, n->str, n->slen, &v)) {
    const cpw__define *d = &ck->pol->defines[v];
    n->ref = R_DEFINE;
    n->index = v;
    if (d->state != 2)
      check_define(ck, v);
    return set_type(n, d->type, d->enum_id);
  }
  if (cpw__map_get(&ck->pol->param_index, n->str, n->slen, &v)) {
    n->ref = R_PARAM;
    n->index = v;
    return set_type(n, ck->pol->params[v].type, ck->pol->params[v].enum_id);
  }
  if (enum_ctx != CPW__NO_ENUM && enum_ctx < ck->pol->nenums) {
    if (cpw__map_get(&ck->pol->enums[enum_ctx].index, n->str, n->slen, &v)) {
      n->ref = R_MEMBER;
      n->index = v;
      return set_type(n, T_ENUM, enum_ctx);
    }
    enum_desc(ck->pol, enum_ctx, desc, sizeof desc);
    err(ck, n, "unknown value '%.*s': expected %s", (int)(n->slen > 60 ? 60 : n->slen), n->str,
        desc);
    return set_type(n, T_ERROR, 0);
  }
  hint = suggest(ck, sc, n->str, n->slen);
  if (hint != NULL)
    err(ck, n, "unknown name '%.*s' (did you mean '%s'?)", (int)(n->slen > 60 ? 60 : n->slen),
        n->str, hint);
  else if (sc->allow_defines)
    err(ck, n, "unknown name '%.*s': declare it with 'field', 'param' or 'define'",
        (int)(n->slen > 60 ? 60 : n->slen), n->str);
  else
    err(ck, n, "unknown name '%.*s'", (int)(n->slen > 60 ? 60 : n->slen), n->str);
  return set_type(n, T_ERROR, 0);
}

static uint8_t check_setlit(cpw__checker *ck, const cpw__scope *sc, cpw__node *n,
                            uint16_t enum_id)
{
  uint32_t i;
  int bad = 0;
  if (enum_id == CPW__NO_ENUM) {
    err(ck, n, "a set { ... } needs an enum on the other side, e.g. 'city in {tbilisi, batumi}'");
    return set_type(n, T_ERROR, 0);
  }
  for (i = 0; i < n->nargs; i++) {
    cpw__node *m = n->args[i];
    if (m->kind != N_NAME) {
      err(ck, m, "a set holds enum values (names), not %s", m->kind == N_TEXT ? "strings"
                                                                                  : "numbers");
      bad = 1;
      continue;
    }
    if (cpw__check_expr(ck, sc, m, T_ERROR, enum_id) == T_ERROR)
      bad = 1;
    else if (m->ref != R_MEMBER) {
      err(ck, m, "a set literal holds enum values; '%.*s' is a %s", (int)m->slen, m->str,
          m->ref == R_FIELD ? "field" : "name");
      bad = 1;
    }
  }
  return set_type(n, bad ? T_ERROR : T_SET, enum_id);
}

static uint8_t check_cmp(cpw__checker *ck, const cpw__scope *sc, cpw__node *n)
{
  uint8_t ta, tb;
  cpw__node *a = n->a, *b = n->b;
  if (!is_symbol(ck, sc, a) && is_symbol(ck, sc, b)) {
    /* "georgian = citizenship": resolve the right side first */
    tb = cpw__check_expr(ck, sc, b, T_ERROR, CPW__NO_ENUM);
    ta = cpw__check_expr(ck, sc, a, T_ERROR,
                         tb == T_ENUM || tb == T_SET ? b->enum_id : CPW__NO_ENUM);
  } else {
    ta = cpw__check_expr(ck, sc, a, T_ERROR, CPW__NO_ENUM);
    if (b->kind == N_SETLIT && ta == T_SET)
      tb = check_setlit(ck, sc, b, a->enum_id);
    else
      tb = cpw__check_expr(ck, sc, b, T_ERROR,
                           ta == T_ENUM || ta == T_SET ? a->enum_id : CPW__NO_ENUM);
  }
  if (ta == T_ERROR || tb == T_ERROR)
    return set_type(n, T_ERROR, 0);
  if (n->op == TK_EQ || n->op == TK_NE) {
    if (ta != tb || ((ta == T_ENUM || ta == T_SET) && a->enum_id != b->enum_id)) {
      if ((ta == T_MONEY && tb == T_INT) || (ta == T_INT && tb == T_MONEY))
        err(ck, n, "cannot compare money with a plain number: write the amount in GEL "
                   "(e.g. 1000 GEL)");
      else
        err(ck, n, "cannot compare %s with %s", cpw__type_name(ta), cpw__type_name(tb));
      return set_type(n, T_ERROR, 0);
    }
    if (ta == T_DURATION) {
      err(ck, n, "durations cannot be compared; compare dates instead");
      return set_type(n, T_ERROR, 0);
    }
    return set_type(n, T_BOOL, 0);
  }
  if (!ordered(ta) || ta != tb) {
    if ((ta == T_MONEY && tb == T_INT) || (ta == T_INT && tb == T_MONEY))
      err(ck, n, "cannot compare money with a plain number: write the amount in GEL "
                 "(e.g. 1000 GEL)");
    else if (ta == tb)
      err(ck, n, "values of type %s have no order: use = or != (or 'in')", cpw__type_name(ta));
    else
      err(ck, n, "cannot compare %s with %s", cpw__type_name(ta), cpw__type_name(tb));
    return set_type(n, T_ERROR, 0);
  }
  return set_type(n, T_BOOL, 0);
}

static uint8_t check_arith(cpw__checker *ck, const cpw__scope *sc, cpw__node *n)
{
  uint8_t ta = cpw__check_expr(ck, sc, n->a, T_ERROR, CPW__NO_ENUM);
  uint8_t tb = cpw__check_expr(ck, sc, n->b, T_ERROR, CPW__NO_ENUM);
  if (ta == T_ERROR || tb == T_ERROR)
    return set_type(n, T_ERROR, 0);
  if (tb == T_DURATION) {
    uint8_t unit = n->b->unit;
    if (n->op != TK_PLUS && n->op != TK_MINUS) {
      err(ck, n, "a duration can only be added or subtracted");
      return set_type(n, T_ERROR, 0);
    }
    if (ta == T_DATE) {
      if (unit == U_HOURS || unit == U_MINUTES) {
        err(ck, n, "a date has no time of day: add days, weeks, months or years "
                   "(or use a datetime)");
        return set_type(n, T_ERROR, 0);
      }
    } else if (ta != T_DATETIME) {
      err(ck, n, "a duration can only be added to a date or a datetime, not to %s",
          cpw__type_name(ta));
      return set_type(n, T_ERROR, 0);
    }
    if (unit == U_WORKING_DAYS && !ck->has_calendar) {
      err(ck, n->b, "working days need a calendar: declare one with 'calendar'");
      return set_type(n, T_ERROR, 0);
    }
    return set_type(n, ta, 0);
  }
  if (ta == T_DURATION) {
    err(ck, n, "write the date first: 'return_date + 1 year'");
    return set_type(n, T_ERROR, 0);
  }
  if ((ta == T_DATE && tb == T_DATE) || (ta == T_DATETIME && tb == T_DATETIME)) {
    if (n->op == TK_MINUS)
      return set_type(n, T_INT, 0); /* days (dates) or seconds (date-times) */
    err(ck, n, "dates can only be subtracted from each other (giving days)");
    return set_type(n, T_ERROR, 0);
  }
  if (ta == T_DATE || ta == T_DATETIME || tb == T_DATE || tb == T_DATETIME) {
    err(ck, n, "add a duration to a date, e.g. 'return_date + 30 days'");
    return set_type(n, T_ERROR, 0);
  }
  if (ta == T_INT && tb == T_INT)
    return set_type(n, T_INT, 0);
  if (ta == T_MONEY && tb == T_MONEY && (n->op == TK_PLUS || n->op == TK_MINUS))
    return set_type(n, T_MONEY, 0);
  if (n->op == TK_STAR && ((ta == T_MONEY && tb == T_INT) || (ta == T_INT && tb == T_MONEY)))
    return set_type(n, T_MONEY, 0);
  if (n->op == TK_SLASH && ta == T_MONEY && tb == T_INT)
    return set_type(n, T_MONEY, 0);
  if (n->op == TK_SLASH && ta == T_MONEY && tb == T_MONEY)
    return set_type(n, T_INT, 0);
  err(ck, n, "cannot apply %s to %s and %s", cpw__tok_name((cpw__tok)n->op),
      cpw__type_name(ta), cpw__type_name(tb));
  return set_type(n, T_ERROR, 0);
}

static uint8_t check_call(cpw__checker *ck, const cpw__scope *sc, cpw__node *n)
{
  const cpw__builtin *b = cpw__builtin_find(n->str, n->slen);
  uint32_t j;
  int bad = 0;
  if (b == NULL) {
    char known[400];
    cpw__builtin_names(known, sizeof known);
    err(ck, n, "unknown function '%.*s' (known: %s)", (int)(n->slen > 40 ? 40 : n->slen),
        n->str, known);
    return set_type(n, T_ERROR, 0);
  }
  if (n->nargs < b->min || n->nargs > b->max) {
    if (b->min == b->max)
      err(ck, n, "%s() takes %u argument%s", b->name, b->min, b->min == 1 ? "" : "s");
    else
      err(ck, n, "%s() takes %u or %u arguments", b->name, b->min, b->max);
    return set_type(n, T_ERROR, 0);
  }
  n->index = (uint32_t)(b - cpw__builtins);
  for (j = 0; j < n->nargs; j++) {
    uint8_t t = cpw__check_expr(ck, sc, n->args[j], T_ERROR, CPW__NO_ENUM);
    if (t == T_ERROR)
      bad = 1;
    else if (b->args[j] != T_ERROR && t != b->args[j]) {
      err(ck, n->args[j], "argument %u of %s() must be a %s, not %s", j + 1, b->name,
          cpw__type_name(b->args[j]), cpw__type_name(t));
      bad = 1;
    }
  }
  if (bad)
    return set_type(n, T_ERROR, 0);
  if (b->needs_calendar && !ck->has_calendar) {
    err(ck, n, "%s() needs a calendar: declare one with 'calendar'", b->name);
    return set_type(n, T_ERROR, 0);
  }
  if (b->result == T_ERROR) { /* the arguments' type: min, max */
    uint8_t ta = n->args[0]->type, tb = n->args[1]->type;
    if (ta != tb || !ordered(ta)) {
      err(ck, n, "%s() needs two values of the same type (int, money, date or datetime)",
          b->name);
      return set_type(n, T_ERROR, 0);
    }
    return set_type(n, ta, 0);
  }
  if (b->shape == CPW__B_ASOF && n->nargs < b->max && !sc->allow_asof) {
    err(ck, n, "%s(date) means the age on the evaluation date, which is not known here: "
               "write %s(date, on)", b->name, b->name);
    return set_type(n, T_ERROR, 0);
  }
  return set_type(n, b->result, 0);
}

uint8_t cpw__check_expr(cpw__checker *ck, const cpw__scope *sc, cpw__node *n, uint8_t want,
                        uint16_t enum_ctx)
{
  uint8_t t = T_ERROR, ta, tb;
  switch ((cpw__nkind)n->kind) {
  case N_BOOL: t = set_type(n, T_BOOL, 0); break;
  case N_INT: t = set_type(n, T_INT, 0); break;
  case N_MONEY: t = set_type(n, T_MONEY, 0); break;
  case N_DATE: t = set_type(n, T_DATE, 0); break;
  case N_DATETIME: t = set_type(n, T_DATETIME, 0); break;
  case N_TEXT: t = set_type(n, T_TEXT, 0); break;
  case N_DURATION: t = set_type(n, T_DURATION, 0); break;
  case N_NAME: t = check_name(ck, sc, n, enum_ctx); break;
  case N_SETLIT: t = check_setlit(ck, sc, n, enum_ctx); break;
  case N_CALL: t = check_call(ck, sc, n); break;
  case N_NEG:
    ta = cpw__check_expr(ck, sc, n->a, T_ERROR, CPW__NO_ENUM);
    if (ta != T_ERROR && ta != T_INT && ta != T_MONEY) {
      err(ck, n, "'-' needs an int or money, not %s", cpw__type_name(ta));
      ta = T_ERROR;
    }
    t = set_type(n, ta, 0);
    break;
  case N_NOT:
    ta = cpw__check_expr(ck, sc, n->a, T_BOOL, CPW__NO_ENUM);
    t = set_type(n, ta == T_BOOL ? T_BOOL : T_ERROR, 0);
    break;
  case N_AND:
  case N_OR:
    ta = cpw__check_expr(ck, sc, n->a, T_BOOL, CPW__NO_ENUM);
    tb = cpw__check_expr(ck, sc, n->b, T_BOOL, CPW__NO_ENUM);
    t = set_type(n, ta == T_BOOL && tb == T_BOOL ? T_BOOL : T_ERROR, 0);
    break;
  case N_CMP: t = check_cmp(ck, sc, n); break;
  case N_ARITH: t = check_arith(ck, sc, n); break;
  case N_IN:
  case N_CONTAINS: {
    cpw__node *elem = n->kind == N_IN ? n->a : n->b;
    cpw__node *set = n->kind == N_IN ? n->b : n->a;
    uint8_t ts = T_ERROR, te = T_ERROR;
    if (set->kind == N_SETLIT || !is_symbol(ck, sc, elem)) {
      if (set->kind == N_SETLIT) {
        te = cpw__check_expr(ck, sc, elem, T_ERROR, CPW__NO_ENUM);
        if (te == T_ENUM)
          ts = check_setlit(ck, sc, set, elem->enum_id);
        else if (te != T_ERROR)
          err(ck, elem, "'in { ... }' needs an enum value on the left, not %s",
              cpw__type_name(te));
      } else {
        ts = cpw__check_expr(ck, sc, set, T_ERROR, CPW__NO_ENUM);
        if (ts == T_SET) {
          te = cpw__check_expr(ck, sc, elem, T_ERROR, set->enum_id);
        } else if (ts != T_ERROR) { /* "e contains x" with e an enum: said, not dropped */
          err(ck, set, "expected a set of values (a set field or { a, b }), not %s",
              cpw__type_name(ts));
          ts = T_ERROR;
        }
      }
    } else {
      te = cpw__check_expr(ck, sc, elem, T_ERROR, CPW__NO_ENUM);
      ts = cpw__check_expr(ck, sc, set, T_ERROR, te == T_ENUM ? elem->enum_id : CPW__NO_ENUM);
    }
    if (te == T_ERROR || ts == T_ERROR) {
      t = set_type(n, T_ERROR, 0);
      break;
    }
    if (ts != T_SET) {
      err(ck, set, "expected a set of values (a set field or { a, b }), not %s",
          cpw__type_name(ts));
      t = set_type(n, T_ERROR, 0);
    } else if (te != T_ENUM || elem->enum_id != set->enum_id) {
      char de[200], ds[200];
      if (te == T_ENUM) {
        enum_desc(ck->pol, elem->enum_id, de, sizeof de);
        enum_desc(ck->pol, set->enum_id, ds, sizeof ds);
        err(ck, elem, "the value (%s) is not of the set's type (%s)", de, ds);
      } else {
        err(ck, elem, "a set holds enum values, not %s", cpw__type_name(te));
      }
      t = set_type(n, T_ERROR, 0);
    } else {
      t = set_type(n, T_BOOL, 0);
    }
    break;
  }
  case N_BETWEEN:
    ta = cpw__check_expr(ck, sc, n->a, T_ERROR, CPW__NO_ENUM);
    tb = cpw__check_expr(ck, sc, n->b, T_ERROR, CPW__NO_ENUM);
    t = cpw__check_expr(ck, sc, n->c, T_ERROR, CPW__NO_ENUM);
    if (ta == T_ERROR || tb == T_ERROR || t == T_ERROR) {
      t = set_type(n, T_ERROR, 0);
    } else if (!ordered(ta) || ta != tb || ta != t) {
      err(ck, n, "'between' needs three values of one ordered type (int, money, date, "
                 "datetime)");
      t = set_type(n, T_ERROR, 0);
    } else {
      t = set_type(n, T_BOOL, 0);
    }
    break;
  case N_MISSING:
    ta = cpw__check_expr(ck, sc, n->a, T_ERROR, CPW__NO_ENUM);
    t = set_type(n, ta == T_ERROR ? T_ERROR : T_BOOL, 0);
    break;
  case N_IF:
    ta = cpw__check_expr(ck, sc, n->a, T_BOOL, CPW__NO_ENUM);
    tb = cpw__check_expr(ck, sc, n->b, want, enum_ctx);
    t = cpw__check_expr(ck, sc, n->c, want, tb == T_ENUM ? n->b->enum_id : enum_ctx);
    if (ta != T_BOOL || tb == T_ERROR || t == T_ERROR) {
      t = set_type(n, T_ERROR, 0);
    } else if (tb != t || ((t == T_ENUM || t == T_SET) && n->b->enum_id != n->c->enum_id)) {
      err(ck, n, "both branches of 'if' must have the same type (%s and %s)",
          cpw__type_name(tb), cpw__type_name(t));
      t = set_type(n, T_ERROR, 0);
    } else if (t == T_DURATION || t == T_SET) {
      err(ck, n, "'if' must give a plain value (bool, int, money, date, datetime, enum, text)");
      t = set_type(n, T_ERROR, 0);
    } else {
      t = set_type(n, t, n->b->enum_id);
    }
    break;
  }
  if (t == T_DURATION && want != T_DURATION && n->kind == N_DURATION) {
    /* a bare duration is only meaningful inside date arithmetic (checked by the caller) */
  }
  if (want != T_ERROR && t != T_ERROR && t != want) {
    if (want == T_BOOL)
      err(ck, n, "expected a condition (true or false), but this is %s", cpw__type_name(t));
    else
      err(ck, n, "expected %s, but this is %s", cpw__type_name(want), cpw__type_name(t));
    return T_ERROR;
  }
  return t;
}

/* ------------------------------------------------------------------ constants */

int cpw__const_value(cpw__checker *ck, const cpw__scope *sc, cpw__node *n, uint8_t type,
                     uint16_t enum_id, int64_t *out)
{
  uint8_t t;
  if (n->kind == N_NEG && (n->a->kind == N_INT || n->a->kind == N_MONEY)) {
    if (cpw__const_value(ck, sc, n->a, type, enum_id, out) != CPW_OK)
      return CPW_EINVALID;
    *out = -*out;
    n->type = type;
    return CPW_OK;
  }
  switch (n->kind) {
  case N_BOOL: case N_INT: case N_MONEY: case N_DATE: case N_DATETIME: case N_TEXT:
    break;
  case N_NAME:
    if (type == T_ENUM)
      break;
    /* fall through */
  default:
    err(ck, n, "expected a constant value here (a number, amount, date, true/false or an enum "
               "value)");
    return CPW_EINVALID;
  }
  t = cpw__check_expr(ck, sc, n, type, type == T_ENUM ? enum_id : CPW__NO_ENUM);
  if (t == T_ERROR)
    return CPW_EINVALID;
  if (n->kind == N_NAME) {
    if (n->ref != R_MEMBER) {
      err(ck, n, "expected an enum value here");
      return CPW_EINVALID;
    }
    *out = n->index;
  } else if (n->kind == N_TEXT) {
    const char *s = cpw__pol_str(ck, n->str, n->slen);
    if (s == NULL)
      return CPW_ENOMEM;
    *out = (int64_t)(intptr_t)s;
  } else {
    *out = n->ival;
  }
  return CPW_OK;
}

/* ------------------------------------------------------------------ declarations */

uint16_t cpw__intern_enum(cpw__checker *ck, const cpw__ast_type *t, const char *file)
{
  cpw_policy *pol = ck->pol;
  cpw__buf key;
  uint32_t i, id;
  cpw__enum *e;
  char *k;
  size_t klen;

  if (t->nmembers > CPW__MAX_ENUM_MEMBERS) {
    err_at(ck, file, t->line, t->col, "an enum may have at most %d values",
           CPW__MAX_ENUM_MEMBERS);
    return CPW__NO_ENUM;
  }
  for (i = 0; i < t->nmembers; i++) {
    uint32_t j;
    if (cpw__is_reserved(t->members[i], t->member_lens[i])) {
      err_at(ck, file, t->line, t->col, "'%.*s' is a reserved word and cannot be an enum value",
             (int)t->member_lens[i], t->members[i]);
      return CPW__NO_ENUM;
    }
    for (j = 0; j < i; j++)
      if (t->member_lens[i] == t->member_lens[j] &&
          memcmp(t->members[i], t->members[j], t->member_lens[i]) == 0) {
        err_at(ck, file, t->line, t->col, "enum value '%.*s' is listed twice",
               (int)t->member_lens[i], t->members[i]);
        return CPW__NO_ENUM;
      }
  }
  cpw__buf_init(&key, pol->ctx);
  for (i = 0; i < t->nmembers; i++)
    if (cpw__buf_add(&key, t->members[i], t->member_lens[i]) != CPW_OK ||
        cpw__buf_addc(&key, ',') != CPW_OK) {
      cpw__buf_free(&key);
      ck->diags->oom = 1;
      return CPW__NO_ENUM;
    }
  if (cpw__map_get(&ck->enum_keys, key.data, key.len, &id)) {
    cpw__buf_free(&key);
    return (uint16_t)id;
  }
  klen = key.len; /* cpw__buf_free resets it */
  k = cpw__arena_strndup(&pol->arena, key.data, key.len);
  cpw__buf_free(&key);
  if (k == NULL || pol->nenums >= CPW__NO_ENUM - 1) {
    ck->diags->oom = 1;
    return CPW__NO_ENUM;
  }
  /* grow the enum table (arena arrays are copied on growth) */
  {
    cpw__enum *ne = cpw__arena_alloc(&pol->arena, (pol->nenums + 1) * sizeof *ne);
    if (ne == NULL) {
      ck->diags->oom = 1;
      return CPW__NO_ENUM;
    }
    if (pol->nenums != 0)
      memcpy(ne, pol->enums, pol->nenums * sizeof *ne);
    pol->enums = ne;
  }
  id = pol->nenums;
  e = &pol->enums[id];
  memset(e, 0, sizeof *e);
  cpw__map_init(&e->index, pol->ctx);
  pol->nenums++;
  e->members = cpw__arena_alloc(&pol->arena, (t->nmembers + 1) * sizeof *e->members);
  e->lens = cpw__arena_alloc(&pol->arena, (t->nmembers + 1) * sizeof *e->lens);
  if (e->members == NULL || e->lens == NULL) {
    ck->diags->oom = 1;
    return CPW__NO_ENUM;
  }
  for (i = 0; i < t->nmembers; i++) {
    e->members[i] = cpw__pol_str(ck, t->members[i], t->member_lens[i]);
    e->lens[i] = (uint32_t)t->member_lens[i];
    if (e->members[i] == NULL ||
        cpw__map_put(&e->index, e->members[i], t->member_lens[i], i) != CPW_OK) {
      ck->diags->oom = 1;
      return CPW__NO_ENUM;
    }
    e->nmembers++;
  }
  cpw__enum_hash(e);
  if (cpw__map_put(&ck->enum_keys, k, klen, id) != CPW_OK) {
    ck->diags->oom = 1;
    return CPW__NO_ENUM;
  }
  return (uint16_t)id;
}

int cpw__declare_field(cpw__checker *ck, cpw__field **fields, uint32_t *n, cpw__map *index,
                       const cpw__ast_name *name, const cpw__ast_type *type, const char *title,
                       uint32_t title_len, const char *file)
{
  cpw_policy *pol = ck->pol;
  uint32_t prev;
  cpw__field *f;
  uint16_t enum_id = 0;

  if (cpw__map_get(index, name->str, name->len, &prev)) {
    err_at(ck, file, name->line, name->col, "field '%.*s' is already declared at line %d",
           (int)name->len, name->str, (*fields)[prev].line);
    return CPW_EINVALID;
  }
  if (is_asof(name->str, name->len)) {
    err_at(ck, file, name->line, name->col, "'%.*s' is a built-in name (the evaluation date)",
           (int)name->len, name->str);
    return CPW_EINVALID;
  }
  if (type->base == T_ENUM || type->base == T_SET) {
    enum_id = cpw__intern_enum(ck, type, file);
    if (enum_id == CPW__NO_ENUM)
      return CPW_EINVALID;
  }
  if ((*n & (*n - 1)) == 0) { /* grow at powers of two */
    size_t cap = *n == 0 ? 4 : (size_t)*n * 2;
    cpw__field *nf = cpw__arena_alloc(&pol->arena, cap * sizeof *nf);
    if (nf == NULL) {
      ck->diags->oom = 1;
      return CPW_ENOMEM;
    }
    if (*n != 0)
      memcpy(nf, *fields, *n * sizeof *nf);
    *fields = nf;
  }
  f = &(*fields)[*n];
  f->name = cpw__pol_str(ck, name->str, name->len);
  f->title = cpw__pol_str(ck, title, title_len);
  if (f->name == NULL || f->title == NULL)
    return CPW_ENOMEM;
  f->type = type->base;
  f->enum_id = enum_id;
  f->file = file;
  f->line = name->line;
  f->col = name->col;
  if (cpw__map_put(index, f->name, name->len, *n) != CPW_OK) {
    ck->diags->oom = 1;
    return CPW_ENOMEM;
  }
  (*n)++;
  return CPW_OK;
}

static cpw__scope policy_scope(const cpw_policy *pol)
{
  cpw__scope sc;
  sc.fields = pol->fields;
  sc.nfields = pol->nfields;
  sc.index = &pol->field_index;
  sc.allow_defines = 1;
  sc.allow_asof = 1;
  return sc;
}

static void check_define(cpw__checker *ck, uint32_t index)
{
  cpw__define *d = &ck->pol->defines[index];
  cpw__scope sc;
  const char *saved = ck->file;
  if (d->state == 1) {
    err_at(ck, d->file, d->line, d->col, "'%s' is defined in terms of itself", d->name);
    d->type = T_ERROR;
    d->state = 2;
    return;
  }
  if (ck->define_nesting >= MAX_INLINED_DEPTH) {
    /* a chain of definitions each using the next: stop before the stack does */
    err_at(ck, d->file, d->line, d->col, "'%s' is nested too deeply: more than %d levels, "
           "counting the definitions it uses", d->name, MAX_INLINED_DEPTH);
    d->type = T_ERROR;
    d->state = 2;
    return;
  }
  d->state = 1;
  ck->define_nesting++;
  sc = policy_scope(ck->pol);
  ck->file = d->file;
  d->type = cpw__check_expr(ck, &sc, d->expr, T_ERROR, CPW__NO_ENUM);
  d->enum_id = d->expr->enum_id;
  ck->file = saved;
  ck->define_nesting--;
  if (d->type == T_DURATION) {
    err_at(ck, d->file, d->line, d->col, "a definition cannot be a bare duration");
    d->type = T_ERROR;
  }
  d->depth = inlined_depth(ck->pol, d->expr);
  if (d->type != T_ERROR && d->depth > MAX_INLINED_DEPTH) {
    err_at(ck, d->file, d->line, d->col, "'%s' is nested too deeply: more than %d levels, "
           "counting the definitions it uses", d->name, MAX_INLINED_DEPTH);
    d->type = T_ERROR;
  }
  d->state = 2;
}

static int name_taken(cpw__checker *ck, const cpw__ast_name *name, const char *file)
{
  const cpw_policy *pol = ck->pol;
  const char *what = NULL;
  if (cpw__map_get(&pol->field_index, name->str, name->len, NULL))
    what = "a field";
  else if (cpw__map_get(&pol->param_index, name->str, name->len, NULL))
    what = "a parameter";
  else if (cpw__map_get(&pol->define_index, name->str, name->len, NULL))
    what = "a definition";
  else if (is_asof(name->str, name->len))
    what = "a built-in name";
  if (what == NULL)
    return 0;
  err_at(ck, file, name->line, name->col, "'%.*s' is already declared as %s", (int)name->len,
         name->str, what);
  return 1;
}

static void declare_param(cpw__checker *ck, cpw__decl *d)
{
  cpw_policy *pol = ck->pol;
  cpw__param *pm;
  cpw__scope sc = policy_scope(pol);
  uint32_t i;
  uint16_t enum_id = 0;
  if (name_taken(ck, &d->name, d->file))
    return;
  if (d->type.base == T_SET) {
    err_at(ck, d->file, d->type.line, d->type.col, "a parameter cannot be a set");
    return;
  }
  if (d->type.base == T_ENUM) {
    enum_id = cpw__intern_enum(ck, &d->type, d->file);
    if (enum_id == CPW__NO_ENUM)
      return;
  }
  pm = &pol->params[pol->nparams];
  memset(pm, 0, sizeof *pm);
  pm->name = cpw__pol_str(ck, d->name.str, d->name.len);
  pm->title = cpw__pol_str(ck, d->title, d->title_len);
  pm->from = cpw__arena_alloc(&pol->arena, d->nperiods * sizeof *pm->from);
  pm->values = cpw__arena_alloc(&pol->arena, d->nperiods * sizeof *pm->values);
  if (pm->name == NULL || pm->title == NULL || pm->from == NULL || pm->values == NULL) {
    ck->diags->oom = 1;
    return;
  }
  pm->type = d->type.base;
  pm->enum_id = enum_id;
  pm->until = d->until;
  pm->line = d->name.line;
  pm->col = d->name.col;
  pm->nperiods = d->nperiods;
  pm->rules = cpw__arena_alloc(&pol->arena, d->nperiods * sizeof *pm->rules);
  pm->from_prec = cpw__arena_alloc(&pol->arena, d->nperiods);
  if (pm->rules == NULL || pm->from_prec == NULL) {
    ck->diags->oom = 1;
    return;
  }
  for (i = 0; i < d->nperiods; i++) {
    const cpw__ast_period *per = &d->periods[i];
    char name[300], when[CPW_DATE_BUFSIZE];
    if (cpw__const_value(ck, &sc, per->value, pm->type, enum_id, &pm->values[i]) != CPW_OK)
      return;
    pm->from[i] = per->from;
    pm->from_prec[i] = per->from_prec;
    cpw__date_text(when, per->from, per->from_prec);
    snprintf(name, sizeof name, "%s from %s", pm->name, when);
    {
      /* the rule as written: the parameter's name and this value */
      char prefix[300];
      snprintf(prefix, sizeof prefix, "param %s = ", pm->name);
      pm->rules[i] = cpw__rule_add(ck, CPW_RULE_PARAM, d->file, per->line,
                                   cpw__pol_str(ck, name, strlen(name)), &per->basis,
                                   CPW__NO_RULE,
                                   cpw__fold_text(ck, prefix, per->basis.text,
                                                  per->basis.text_len),
                                   per->from, per->from_prec);
    }
    if (i > 0 && pm->from[i] <= pm->from[i - 1]) {
      err_at(ck, d->file, d->periods[i].line, d->periods[i].col,
             "the values of a parameter must be listed in date order (each 'from' later than "
             "the one before)");
      return;
    }
  }
  if (d->until < pm->from[d->nperiods - 1]) {
    err_at(ck, d->file, d->line, d->col, "'until' is before the last value's 'from'");
    return;
  }
  if (cpw__map_put(&pol->param_index, pm->name, d->name.len, pol->nparams) != CPW_OK) {
    ck->diags->oom = 1;
    return;
  }
  pol->nparams++;
}

static void declare_calendar(cpw__checker *ck, cpw__decl *d)
{
  cpw_policy *pol = ck->pol;
  cpw_calendar *cal = NULL;
  uint32_t i;
  const char *name;
  int rc;
  for (i = 0; i < pol->ncalendars; i++)
    if (strlen(pol->calendars[i].name) == d->name.len &&
        memcmp(pol->calendars[i].name, d->name.str, d->name.len) == 0) {
      err_at(ck, d->file, d->name.line, d->name.col, "calendar '%.*s' is already declared",
             (int)d->name.len, d->name.str);
      return;
    }
  name = cpw__pol_str(ck, d->name.str, d->name.len);
  if (name == NULL)
    return;
  rc = cpw_calendar_new(&cal, pol->ctx, name);
  if (rc == CPW_OK)
    rc = cpw_calendar_set_weekend(cal, d->weekend_mask);
  if (rc == CPW_EINVALID) {
    err_at(ck, d->file, d->line, d->col, "a calendar needs at least one working day a week");
    cpw_calendar_free(cal);
    return;
  }
  pol->calendars[pol->ncalendars].rule =
    cpw__rule_add(ck, CPW_RULE_CALENDAR, d->file, d->name.line, name, &d->basis, CPW__NO_RULE,
                  NULL, CPW_DATE_MIN, -1);
  for (i = 0; rc == CPW_OK && i < d->nholidays; i++) {
    const cpw__ast_holiday *h = &d->holidays[i];
    char hname[200], rname[300];
    size_t hlen = h->name != NULL && h->name_len < sizeof hname ? h->name_len : 0;
    if (h->name != NULL && h->name_len >= sizeof hname) /* cut between characters */
      for (hlen = sizeof hname - 1;
           hlen > 0 && ((unsigned char)h->name[hlen] & 0xC0) == 0x80; hlen--)
        ;
    snprintf(hname, sizeof hname, "%.*s", (int)hlen, h->name != NULL ? h->name : "");
    if (h->kind == 0)
      rc = cpw_calendar_add_annual(cal, h->month, h->day, hname, (cpw_date)h->from,
                                   (cpw_date)h->until);
    else if (h->kind == 1)
      rc = cpw_calendar_add_easter(cal, h->offset, hname, (cpw_date)h->from, (cpw_date)h->until);
    else if (h->kind == 2)
      rc = cpw_calendar_add_date(cal, (cpw_date)h->date, hname);
    else {
      int64_t day;
      for (day = h->date; rc == CPW_OK && day <= h->date_to; day++)
        rc = cpw_calendar_add_date(cal, (cpw_date)day, hname);
    }
    if (rc == CPW_EINVALID) {
      err_at(ck, d->file, h->line, h->col, "invalid holiday");
      rc = CPW_OK;
    }
    snprintf(rname, sizeof rname, "%s: %s", name, hname[0] ? hname : "holiday");
    if (h->kind >= 2)
      cpw__rule_add(ck, h->kind == 3 ? CPW_RULE_DAY_OFF : CPW_RULE_HOLIDAY, d->file, h->line,
                    cpw__pol_str(ck, rname, strlen(rname)), &h->basis,
                    pol->calendars[pol->ncalendars].rule, NULL, h->date, CPW__PREC_DAY);
    else
      cpw__rule_add(ck, CPW_RULE_HOLIDAY, d->file, h->line,
                    cpw__pol_str(ck, rname, strlen(rname)), &h->basis,
                    pol->calendars[pol->ncalendars].rule, NULL, h->from,
                    h->from != CPW_DATE_MIN ? h->from_prec : -1);
  }
  if (rc != CPW_OK) {
    cpw_calendar_free(cal);
    ck->diags->oom = 1;
    return;
  }
  pol->calendars[pol->ncalendars].name = name;
  pol->calendars[pol->ncalendars].cal = cal;
  pol->ncalendars++;
}

static void declare_define(cpw__checker *ck, cpw__decl *d)
{
  cpw_policy *pol = ck->pol;
  cpw__define *df;
  if (name_taken(ck, &d->name, d->file))
    return;
  df = &pol->defines[pol->ndefines];
  memset(df, 0, sizeof *df);
  df->name = cpw__pol_str(ck, d->name.str, d->name.len);
  if (df->name == NULL)
    return;
  df->expr = d->expr;
  df->line = d->name.line;
  df->col = d->name.col;
  df->file = d->file;
  if (cpw__map_put(&pol->define_index, df->name, d->name.len, pol->ndefines) != CPW_OK) {
    ck->diags->oom = 1;
    return;
  }
  pol->ndefines++;
}

static void declare_program(cpw__checker *ck, cpw__decl *d)
{
  cpw_policy *pol = ck->pol;
  struct cpw_program *pg;
  uint32_t prev, i, nitems = d->nbenefits + d->nservices;
  char iname[600];
  if (cpw__map_get(&pol->program_index, d->name.str, d->name.len, &prev)) {
    err_at(ck, d->file, d->name.line, d->name.col,
           "programme '%.*s' is already declared at line %d", (int)d->name.len, d->name.str,
           pol->programs[prev].line);
    return;
  }
  pg = &pol->programs[pol->nprograms];
  memset(pg, 0, sizeof *pg);
  pg->policy = pol;
  pg->index = pol->nprograms;
  pg->id = cpw__pol_str(ck, d->name.str, d->name.len);
  pg->title = cpw__pol_str(ck, d->title, d->title_len);
  pg->source = cpw__pol_str(ck, d->text2, d->text2_len);
  pg->items = cpw__arena_alloc(&pol->arena, (nitems + 1) * sizeof *pg->items);
  if (pg->id == NULL || pg->title == NULL || pg->source == NULL || pg->items == NULL) {
    ck->diags->oom = 1;
    return;
  }
  pg->from = d->from;
  pg->from_prec = d->from_prec;
  pg->until = d->until;
  pg->rule = d->expr;
  pg->file = d->file;
  pg->line = d->name.line;
  pg->col = d->name.col;
  for (i = 0; i < nitems; i++) {
    const cpw__ast_item *it = &d->items[i];
    uint32_t j;
    for (j = 0; j < i; j++)
      if (d->items[j].id.len == it->id.len &&
          memcmp(d->items[j].id.str, it->id.str, it->id.len) == 0) {
        err_at(ck, d->file, it->id.line, it->id.col, "'%.*s' is listed twice in programme '%s'",
               (int)it->id.len, it->id.str, pg->id);
        return;
      }
    pg->items[i].id = cpw__pol_str(ck, it->id.str, it->id.len);
    pg->items[i].title = cpw__pol_str(ck, it->title, it->title_len);
    if (pg->items[i].id == NULL || pg->items[i].title == NULL)
      return;
    pg->items[i].period = it->period;
    pg->items[i].cap = it->cap;
    pg->items[i].when_ast = it->when;
    pg->items[i].amount_ast = it->amount;
  }
  pg->rule_index = cpw__rule_add(ck, CPW_RULE_PROGRAM, d->file, d->name.line, pg->id, &d->basis,
                                 CPW__NO_RULE, NULL, d->from, d->has_from ? d->from_prec : -1);
  for (i = 0; i < nitems; i++) {
    snprintf(iname, sizeof iname, "%s.%s", pg->id, pg->items[i].id);
    pg->items[i].rule = cpw__rule_add(ck, i < d->nbenefits ? CPW_RULE_BENEFIT : CPW_RULE_SERVICE,
                                      d->file, d->items[i].id.line,
                                      cpw__pol_str(ck, iname, strlen(iname)), &d->items[i].basis,
                                      pg->rule_index, NULL, CPW_DATE_MIN, -1);
  }
  pg->nbenefits = d->nbenefits;
  pg->nservices = d->nservices;
  if (cpw__map_put(&pol->program_index, pg->id, d->name.len, pol->nprograms) != CPW_OK) {
    ck->diags->oom = 1;
    return;
  }
  pol->nprograms++;
}

static void check_formula(cpw__checker *ck, const cpw__scope *sc, cpw__node *n, uint8_t want)
{
  if (cpw__check_expr(ck, sc, n, want, CPW__NO_ENUM) != T_ERROR &&
      inlined_depth(ck->pol, n) > MAX_INLINED_DEPTH)
    err(ck, n, "this formula is nested too deeply: more than %d levels, counting the "
               "definitions it uses", MAX_INLINED_DEPTH);
}

static void check_program(cpw__checker *ck, struct cpw_program *pg)
{
  cpw__scope sc = policy_scope(ck->pol);
  uint32_t i;
  ck->file = pg->file;
  check_formula(ck, &sc, pg->rule, T_BOOL);
  for (i = 0; i < pg->nbenefits + pg->nservices; i++) {
    cpw__item *it = &pg->items[i];
    if (it->amount_ast != NULL)
      check_formula(ck, &sc, it->amount_ast, T_MONEY);
    if (it->when_ast != NULL)
      check_formula(ck, &sc, it->when_ast, T_BOOL);
  }
}

static size_t count_kind(const cpw__decl *d, uint8_t kind)
{
  size_t n = 0;
  for (; d != NULL; d = d->next)
    n += d->kind == kind;
  return n;
}

void cpw__check_decls(cpw__checker *ck, cpw__decl *decls)
{
  cpw_policy *pol = ck->pol;
  cpw__decl *d;
  const cpw__decl *policy_decl = NULL, *tz_decl = NULL;
  uint32_t i;

  pol->params = cpw__arena_alloc(&pol->arena, (count_kind(decls, D_PARAM) + 1) * sizeof *pol->params);
  pol->defines = cpw__arena_alloc(&pol->arena,
                                  (count_kind(decls, D_DEFINE) + 1) * sizeof *pol->defines);
  pol->programs = cpw__arena_alloc(&pol->arena,
                                   (count_kind(decls, D_PROGRAM) + 1) * sizeof *pol->programs);
  pol->calendars = cpw__arena_alloc(&pol->arena, (count_kind(decls, D_CALENDAR) + 1) *
                                                   sizeof *pol->calendars);
  if (pol->params == NULL || pol->defines == NULL || pol->programs == NULL ||
      pol->calendars == NULL) {
    ck->diags->oom = 1;
    return;
  }
  /* pass 0: sources, which every other declaration may cite */
  cpw__declare_sources(ck, decls);
  /* pass 1: names */
  for (d = decls; d != NULL && !ck->diags->oom; d = d->next) {
    ck->file = d->file;
    switch ((cpw__dkind)d->kind) {
    case D_POLICY:
      if (policy_decl != NULL) {
        err_at(ck, d->file, d->line, d->col, "the policy is already named at %s:%d",
               policy_decl->file, policy_decl->line);
        break;
      }
      policy_decl = d;
      pol->name = cpw__pol_str(ck, d->name.str, d->name.len);
      pol->title = cpw__pol_str(ck, d->title, d->title_len);
      pol->version = cpw__pol_str(ck, d->text2, d->text2_len);
      break;
    case D_TIMEZONE:
      if (tz_decl != NULL) {
        err_at(ck, d->file, d->line, d->col, "the time zone is already set at %s:%d",
               tz_decl->file, tz_decl->line);
        break;
      }
      tz_decl = d;
      pol->tz_minutes = d->tz_minutes;
      break;
    case D_CALENDAR:
      declare_calendar(ck, d);
      break;
    case D_FIELD:
      if (name_taken(ck, &d->name, d->file))
        break;
      cpw__declare_field(ck, &pol->fields, &pol->nfields, &pol->field_index, &d->name, &d->type,
                         d->title, d->title_len, d->file);
      break;
    case D_PARAM:
      break; /* after the fields and enums: a parameter's values may be enum members */
    case D_DEFINE:
      declare_define(ck, d);
      break;
    case D_PROGRAM:
      declare_program(ck, d);
      break;
    default:
      break;
    }
  }
  ck->has_calendar = pol->ncalendars > 0;
  for (d = decls; d != NULL && !ck->diags->oom; d = d->next)
    if (d->kind == D_PARAM) {
      ck->file = d->file;
      declare_param(ck, d);
    }
  if (pol->name == NULL)
    pol->name = cpw__pol_str(ck, "unnamed", 7);
  if (pol->title == NULL)
    pol->title = cpw__pol_str(ck, "", 0);
  if (pol->version == NULL)
    pol->version = cpw__pol_str(ck, "", 0);
  /* pass 2: formulas */
  for (i = 0; i < pol->ndefines && !ck->diags->oom; i++)
    if (pol->defines[i].state != 2)
      check_define(ck, i);
  for (i = 0; i < pol->nprograms && !ck->diags->oom; i++)
    check_program(ck, &pol->programs[i]);
  for (i = 0; i < pol->nprograms && !ck->diags->oom && ck->diags->errors == 0; i++)
    cpw__collect_params(ck, &pol->programs[i]);
}
