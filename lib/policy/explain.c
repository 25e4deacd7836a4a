/* SPDX-License-Identifier: Apache-2.0 */
/* policy/explain.c: explanations of traced evaluations (see explain.h). */
#include "policy/explain.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/utf8.h"
#include "policy/labels.h"
#include "policy/pl_model.h"
#include "policy/wf_model.h"

void cpw__explainer_init(cpw__explainer *ex, cpw_ctx *ctx)
{
  memset(ex, 0, sizeof *ex);
  ex->ctx = ctx;
  ex->lang = cpw__lang_names();
  cpw__buf_init(&ex->pool, ctx);
}

void cpw__explainer_free(cpw__explainer *ex)
{
  cpw__buf_free(&ex->pool);
  cpw__free(ex->ctx, ex->items, ex->cap * sizeof *ex->items);
  cpw__free(ex->ctx, ex->pub, ex->pub_cap * sizeof *ex->pub);
  cpw__free(ex->ctx, ex->nodes, ex->nodes_cap * sizeof *ex->nodes);
  cpw__free(ex->ctx, ex->kids, ex->kids_cap * sizeof *ex->kids);
  cpw__free(ex->ctx, ex->stack, ex->stack_cap * sizeof *ex->stack);
  cpw__free(ex->ctx, ex->roots, ex->roots_cap * sizeof *ex->roots);
  ex->items = NULL;
  ex->pub = NULL;
  ex->nodes = NULL;
  ex->kids = ex->stack = ex->roots = NULL;
  ex->count = ex->cap = ex->pub_cap = 0;
  ex->nnodes = ex->nodes_cap = ex->nkids = ex->kids_cap = 0;
  ex->nstack = ex->stack_cap = ex->nroots = ex->roots_cap = 0;
}

void cpw__explainer_reset(cpw__explainer *ex, const struct cpw_policy *pol,
                          const cpw__trace_entry *trace, uint32_t gen,
                          const char *const *slot_names)
{
  cpw__buf_clear(&ex->pool);
  ex->count = 0;
  ex->nnodes = ex->nkids = ex->nstack = ex->nroots = 0;
  ex->pol = pol;
  ex->trace = trace;
  ex->gen = gen;
  ex->slot_names = slot_names;
  ex->lang = cpw__lang_names();
  ex->wf = NULL;
  ex->placement = 0;
  ex->oom = 0;
}

void cpw__explainer_scope(cpw__explainer *ex, const struct cpw_workflow *wf, int placement)
{
  ex->wf = wf;
  ex->placement = placement;
}

void cpw__explainer_lang(cpw__explainer *ex, const cpw__lang *lang)
{
  ex->lang = lang != NULL ? lang : cpw__lang_names();
}

static const char *msg(const cpw__explainer *ex, int m)
{
  return ex->lang->msg[m];
}

/* Fill template m with up to three arguments. */
static void fill(const cpw__explainer *ex, char *buf, size_t size, int m, const char *a,
                 const char *b, const char *c)
{
  const char *args[3];
  args[0] = a;
  args[1] = b;
  args[2] = c;
  cpw__lang_fill(buf, size, msg(ex, m), args, 3);
}

/* Add a NUL-terminated string to the pool; returns its offset. */
static size_t pool_add(cpw__explainer *ex, const char *s, size_t n)
{
  size_t off = ex->pool.len;
  if (cpw__buf_add(&ex->pool, s, n) != CPW_OK || cpw__buf_addc(&ex->pool, '\0') != CPW_OK)
    ex->oom = 1;
  else
    cpw__utf8_sanitize(ex->pool.data + off); /* a quoted text may be invalid UTF-8 */
  return off;
}

static size_t pool_adds(cpw__explainer *ex, const char *s)
{
  return pool_add(ex, s, strlen(s));
}

/* ------------------------------------------------------------------ values */

/* Append s to buf[*used..size), cut between characters. */
static void append(char *buf, size_t size, size_t *used, const char *s)
{
  const char *args[1];
  if (*used + 1 >= size)
    return;
  args[0] = s;
  *used += cpw__lang_fill(buf + *used, size - *used, "{0}", args, 1);
}

const char *cpw__member_text(const struct cpw_policy *pol, const cpw__lang *lang,
                             const struct cpw_workflow *wf, uint16_t enum_id, uint32_t member)
{
  const char *l;
  const cpw__placement_policy *pp = pol->placement;
  if (enum_id >= pol->nenums || member >= pol->enums[enum_id].nmembers)
    return lang != NULL ? lang->msg[MSG_INVALID_VALUE] : "(invalid value)";
  if (lang == NULL || !lang->labels)
    return pol->enums[enum_id].members[member];
  l = cpw__enum_label(pol, lang, wf, enum_id, member);
  if (l != NULL)
    return l;
  if (pp != NULL && pp->nslots == CPW__PL_NSLOTS) { /* the placement facts' enums */
    if (enum_id == pp->slots[CPW__PL_CATEGORY].enum_id && member < 3)
      return lang->msg[MSG_CAT_FAMILY + (int)member];
    if (enum_id == pp->slots[CPW__PL_SETTING].enum_id) {
      const char *id = pol->enums[enum_id].members[member];
      l = cpw__label(pol, lang, "setting", id, strlen(id));
      if (l != NULL)
        return l;
    }
  }
  return pol->enums[enum_id].members[member];
}

void cpw__format_value_in(const struct cpw_policy *pol, const cpw__lang *lang,
                          const struct cpw_workflow *wf, uint8_t type, uint16_t enum_id,
                          int64_t v, char *buf, size_t size)
{
  int style = lang != NULL ? lang->style : CPW__STYLE_ISO;
  const char *const *m = lang != NULL ? lang->msg : cpw__lang_names()->msg;
  size_t used = 0;
  if (size == 0)
    return;
  buf[0] = '\0';
  switch (type) {
  case T_BOOL:
    append(buf, size, &used, m[v ? MSG_TRUE : MSG_FALSE]);
    break;
  case T_MONEY:
    cpw__lang_money(buf, size, style, v);
    break;
  case T_INT:
    cpw__lang_int(buf, size, style, v);
    break;
  case T_DATE:
    if (cpw__lang_date(buf, size, style, v) != CPW_OK)
      append(buf, size, &used, m[MSG_DATE_RANGE]);
    break;
  case T_DATETIME:
    if (cpw__lang_time(buf, size, style, v, pol->tz_minutes) != CPW_OK)
      append(buf, size, &used, m[MSG_TIME_RANGE]);
    break;
  case T_ENUM:
    if (enum_id < pol->nenums && v >= 0 && (uint64_t)v < pol->enums[enum_id].nmembers)
      append(buf, size, &used, cpw__member_text(pol, lang, wf, enum_id, (uint32_t)v));
    else
      append(buf, size, &used, m[MSG_INVALID_VALUE]);
    break;
  case T_SET: {
    uint32_t i;
    int first = 1;
    append(buf, size, &used, "{");
    for (i = 0; enum_id < pol->nenums && i < pol->enums[enum_id].nmembers; i++)
      if (((uint64_t)v >> i) & 1) {
        if (!first)
          append(buf, size, &used, ", ");
        append(buf, size, &used, cpw__member_text(pol, lang, wf, enum_id, i));
        first = 0;
      }
    append(buf, size, &used, "}");
    break;
  }
  case T_TEXT: {
    /* quoted, cut between characters when it does not fit */
    const char *t = v != 0 ? (const char *)(intptr_t)v : "";
    size_t n = strlen(t);
    if (size < 3)
      break;
    if (n > size - 3)
      for (n = size - 3; n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80; n--)
        ;
    snprintf(buf, size, "\"%.*s\"", (int)n, t);
    break;
  }
  default:
    snprintf(buf, size, "%" PRId64, v);
    break;
  }
}

void cpw__format_value(const struct cpw_policy *pol, uint8_t type, uint16_t enum_id, int64_t v,
                       char *buf, size_t size)
{
  cpw__format_value_in(pol, cpw__lang_names(), NULL, type, enum_id, v, buf, size);
}

static const cpw__trace_entry *entry(const cpw__explainer *ex, const cpw__node *n)
{
  const cpw__trace_entry *e;
  if (n == NULL || n->id == 0 || ex->trace == NULL)
    return NULL;
  e = &ex->trace[n->id];
  return e->gen == ex->gen ? e : NULL;
}

/* -1 unknown or not evaluated, 0 false, 1 true */
static int truth_of(const cpw__explainer *ex, const cpw__node *n)
{
  const cpw__trace_entry *e = entry(ex, n);
  if (e == NULL || !e->known)
    return -1;
  return e->truth;
}

/* 1, 0, -1: whether n holds as the rule needs it (under `negated`) */
static int holds_of(const cpw__explainer *ex, const cpw__node *n, int negated)
{
  int v = truth_of(ex, n);
  return v < 0 ? -1 : negated ? !v : v;
}

static int is_const_node(const cpw__node *n)
{
  switch (n->kind) {
  case N_INT: case N_MONEY: case N_DATE: case N_DATETIME: case N_BOOL: case N_TEXT:
  case N_SETLIT:
    return 1;
  case N_NAME:
    return n->ref == R_MEMBER;
  case N_NEG:
    return is_const_node(n->a);
  default:
    return 0;
  }
}

/* 1 when src[0..len) is "(...)" with the two parentheses matching each other */
static int enclosed(const char *src, size_t len)
{
  size_t i;
  int depth = 0;
  if (len < 2 || src[0] != '(' || src[len - 1] != ')')
    return 0;
  for (i = 0; i < len; i++) {
    if (src[i] == '"') /* a text literal: skip it */
      while (++i < len && src[i] != '"')
        i += src[i] == '\\';
    else if (src[i] == '(')
      depth++;
    else if (src[i] == ')' && --depth == 0 && i + 1 < len)
      return 0;
  }
  return depth == 0;
}

static void source_text(const cpw__lang *lang, const cpw__node *n, char *buf, size_t size)
{
  /* the expression as written, whitespace runs folded, long ones cut, without the
   * parentheses around the whole of it */
  size_t i, o = 0, len;
  const char *src = n->src;
  int space = 0;
  if (src == NULL) {
    size_t used = 0;
    buf[0] = '\0';
    append(buf, size, &used, lang->msg[MSG_THIS_CONDITION]);
    return;
  }
  len = n->len;
  while (enclosed(src, len)) {
    src++;
    len -= 2;
    while (len > 0 && (*src == ' ' || *src == '\n' || *src == '\t' || *src == '\r')) {
      src++;
      len--;
    }
    while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == '\n' || src[len - 1] == '\t' ||
                       src[len - 1] == '\r'))
      len--;
  }
  for (i = 0; i < len && o + 1 < size; i++) {
    char c = src[i];
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      if (!space && o > 0) {
        buf[o++] = ' ';
        space = 1;
      }
      continue;
    }
    space = 0;
    buf[o++] = c;
  }
  if (o > 80 && size > 84) {
    o = 77;
    while (o > 0 && ((unsigned char)buf[o] & 0xC0) == 0x80) /* cut between characters */
      o--;
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o < size ? o : size - 1] = '\0';
  cpw__utf8_sanitize(buf);
}

/* ------------------------------------------------------------------ formulas with labels */

typedef struct xtext {
  const struct cpw_policy *pol;
  const cpw__lang *lang;
  const struct cpw_workflow *wf;
  int placement;
  char *buf;
  size_t size, used;
} xtext;

static void xs(xtext *x, const char *s)
{
  append(x->buf, x->size, &x->used, s);
}

static void xname(xtext *x, const cpw__node *n)
{
  const char *l = NULL;
  char name[600];
  snprintf(name, sizeof name, "%.*s", (int)(n->slen > 200 ? 200 : n->slen), n->str);
  switch (n->ref) {
  case R_FIELD:
    if (x->placement && n->index < CPW__PL_NSLOTS) {
      l = x->lang->msg[MSG_FACT_AGE + (int)n->index];
    } else if (x->wf != NULL) {
      char q[1040];
      int k = snprintf(q, sizeof q, "%s.%s", x->wf->name, name);
      if (k > 0 && (size_t)k < sizeof q)
        l = cpw__label(x->pol, x->lang, "field", q, (size_t)k);
    } else {
      l = cpw__label(x->pol, x->lang, "field", name, strlen(name));
    }
    break;
  case R_PARAM:
    l = cpw__label(x->pol, x->lang, "param", name, strlen(name));
    break;
  case R_DEFINE:
    l = cpw__label(x->pol, x->lang, "define", name, strlen(name));
    break;
  case R_MEMBER:
    l = cpw__member_text(x->pol, x->lang, x->wf, n->enum_id, n->index);
    break;
  case R_ASOF:
    l = x->lang->msg[MSG_TODAY];
    break;
  default:
    break;
  }
  xs(x, l != NULL ? l : name);
}

static void xexpr(xtext *x, const cpw__node *n, int depth);

/* n, in parentheses when it is an `and` / `or` (inside another operator) */
static void xsub(xtext *x, const cpw__node *n, int depth)
{
  int paren = n->kind == N_AND || n->kind == N_OR || n->kind == N_IF;
  if (paren)
    xs(x, "(");
  xexpr(x, n, depth + 1);
  if (paren)
    xs(x, ")");
}

static void xexpr(xtext *x, const cpw__node *n, int depth)
{
  static const char *const cmp_ops[] = { " = ", " \xE2\x89\xA0 ", " < ", " \xE2\x89\xA4 ", " > ",
                                         " \xE2\x89\xA5 " };
  char v[200];
  uint32_t i;
  if (n == NULL || depth > 60 || x->used + 1 >= x->size)
    return;
  switch (n->kind) {
  case N_NAME:
    xname(x, n);
    return;
  case N_BOOL:
    xs(x, x->lang->msg[n->ival ? MSG_TRUE : MSG_FALSE]);
    return;
  case N_INT:
    cpw__lang_int(v, sizeof v, x->lang->style, n->ival);
    xs(x, v);
    return;
  case N_MONEY:
    cpw__lang_money(v, sizeof v, x->lang->style, n->ival);
    xs(x, v);
    return;
  case N_DATE:
    cpw__lang_date(v, sizeof v, x->lang->style, n->ival);
    xs(x, v);
    return;
  case N_DATETIME:
    cpw__lang_time(v, sizeof v, x->lang->style, n->ival, x->pol->tz_minutes);
    xs(x, v);
    return;
  case N_DURATION: {
    static const int unit_msg[] = { MSG_UNIT_DAY, MSG_UNIT_MINUTE, MSG_UNIT_HOUR, MSG_UNIT_DAY,
                                    MSG_UNIT_WEEK, MSG_UNIT_MONTH, MSG_UNIT_YEAR,
                                    MSG_UNIT_WORKING_DAY };
    int u = n->unit < CPW__ARRAY_LEN(unit_msg) ? unit_msg[n->unit] : MSG_UNIT_DAY;
    cpw__lang_int(v, sizeof v, x->lang->style, n->ival);
    xs(x, v);
    xs(x, " ");
    xs(x, x->lang->msg[n->ival == 1 || n->ival == -1 ? u : u + 1]);
    return;
  }
  case N_SETLIT:
    xs(x, "{");
    for (i = 0; i < n->nargs; i++) {
      if (i > 0)
        xs(x, ", ");
      xexpr(x, n->args[i], depth + 1);
    }
    xs(x, "}");
    return;
  case N_NEG:
    xs(x, "-");
    xsub(x, n->a, depth);
    return;
  case N_NOT:
    xs(x, x->lang->msg[MSG_X_NOT]);
    xsub(x, n->a, depth);
    return;
  case N_AND:
  case N_OR:
    xsub(x, n->a, depth);
    xs(x, x->lang->msg[n->kind == N_AND ? MSG_X_AND : MSG_X_OR]);
    xsub(x, n->b, depth);
    return;
  case N_CMP:
    xsub(x, n->a, depth);
    xs(x, cmp_ops[n->op == TK_NE ? 1 : n->op == TK_LT ? 2 : n->op == TK_LE ? 3 : n->op == TK_GT ? 4
                  : n->op == TK_GE ? 5 : 0]);
    xsub(x, n->b, depth);
    return;
  case N_ARITH:
    xsub(x, n->a, depth);
    xs(x, n->op == TK_PLUS ? " + " : n->op == TK_MINUS ? " - " : n->op == TK_STAR ? " \xC3\x97 "
                                                                                  : " / ");
    xsub(x, n->b, depth);
    return;
  case N_IN:
    xsub(x, n->a, depth);
    xs(x, n->flag ? " \xE2\x88\x89 " : " \xE2\x88\x88 ");
    xsub(x, n->b, depth);
    return;
  case N_CONTAINS:
    xsub(x, n->a, depth);
    xs(x, " \xE2\x88\x8B ");
    xsub(x, n->b, depth);
    return;
  case N_BETWEEN:
    xsub(x, n->b, depth);
    xs(x, " \xE2\x89\xA4 ");
    xsub(x, n->a, depth);
    xs(x, " \xE2\x89\xA4 ");
    xsub(x, n->c, depth);
    return;
  case N_MISSING:
    xsub(x, n->a, depth);
    xs(x, ": ");
    xs(x, x->lang->msg[n->flag ? MSG_GIVEN : MSG_MISSING]);
    return;
  case N_CALL:
    snprintf(v, sizeof v, "%.*s(", (int)(n->slen > 100 ? 100 : n->slen), n->str);
    xs(x, v);
    for (i = 0; i < n->nargs; i++) {
      if (i > 0)
        xs(x, ", ");
      xexpr(x, n->args[i], depth + 1);
    }
    xs(x, ")");
    return;
  default:
    source_text(x->lang, n, v, sizeof v);
    xs(x, v);
    return;
  }
}

void cpw__expr_text(const struct cpw_policy *pol, const cpw__lang *lang,
                    const struct cpw_workflow *wf, int placement, const cpw__node *n, char *buf,
                    size_t size)
{
  xtext x;
  if (size == 0)
    return;
  buf[0] = '\0';
  if (lang == NULL)
    lang = cpw__lang_names();
  if (!lang->labels) {
    source_text(lang, n, buf, size);
    return;
  }
  x.pol = pol;
  x.lang = lang;
  x.wf = wf;
  x.placement = placement;
  x.buf = buf;
  x.size = size;
  x.used = 0;
  xexpr(&x, n, 0);
}

/* The subject or an operand of a clause: as written, or by its labels. */
static void node_text(const cpw__explainer *ex, const cpw__node *n, char *buf, size_t size)
{
  cpw__expr_text(ex->pol, ex->lang, ex->wf, ex->placement, n, buf, size);
}

static void value_text(const cpw__explainer *ex, const cpw__node *n, char *buf, size_t size)
{
  const cpw__trace_entry *e = entry(ex, n);
  size_t used = 0;
  buf[0] = '\0';
  if (e == NULL) {
    append(buf, size, &used, msg(ex, MSG_NOT_EVALUATED));
    return;
  }
  if (!e->known) {
    append(buf, size, &used, msg(ex, MSG_MISSING));
    return;
  }
  cpw__format_value_in(ex->pol, ex->lang, ex->wf, n->type, n->enum_id,
                       n->type == T_BOOL ? e->truth : e->value, buf, size);
}

/* The message of a comparison (a requirement when pred is 0, a predicate when 1). */
static int cmp_msg(int op, uint8_t type, int negate, int pred)
{
  int dates = type == T_DATE || type == T_DATETIME, m;
  if (negate) {
    switch (op) {
    case TK_LT: op = TK_GE; break;
    case TK_LE: op = TK_GT; break;
    case TK_GT: op = TK_LE; break;
    case TK_GE: op = TK_LT; break;
    case TK_EQ: op = TK_NE; break;
    default: op = TK_EQ; break;
    }
  }
  switch (op) {
  case TK_LT: m = dates ? MSG_R_BEFORE : MSG_R_LT; break;
  case TK_LE: m = dates ? MSG_R_ON_OR_BEFORE : MSG_R_LE; break;
  case TK_GT: m = dates ? MSG_R_AFTER : MSG_R_GT; break;
  case TK_GE: m = dates ? MSG_R_ON_OR_AFTER : MSG_R_GE; break;
  case TK_NE: m = MSG_R_NE; break;
  default: m = MSG_R_EQ; break;
  }
  return pred ? m + (MSG_P_LT - MSG_R_LT) : m;
}

/* "12", "return_date + 1 year (2020-03-01)" */
static void operand_desc(const cpw__explainer *ex, const cpw__node *n, char *buf, size_t size)
{
  char t[600], v[360];
  value_text(ex, n, v, sizeof v);
  if (!is_const_node(n) && (entry(ex, n) == NULL || !entry(ex, n)->known)) {
    node_text(ex, n, buf, size); /* a missing operand: its name says it (no "(missing)") */
    return;
  }
  if (is_const_node(n)) {
    size_t used = 0;
    buf[0] = '\0';
    append(buf, size, &used, v);
    return;
  }
  node_text(ex, n, t, sizeof t);
  {
    const char *args[2];
    args[0] = t;
    args[1] = v;
    cpw__lang_fill(buf, size, msg(ex, MSG_OPERAND), args, 2);
  }
}

/* The field and parameter names under n that were evaluated and had no value. */
static void missing_names(const cpw__explainer *ex, const cpw__node *n, const cpw__node **out,
                          size_t *count, size_t max, int depth)
{
  const cpw__trace_entry *e = entry(ex, n);
  uint32_t i;
  if (n == NULL || depth > 200 || *count >= max || e == NULL || e->known)
    return;
  if (n->kind == N_NAME) {
    if (n->ref == R_FIELD || n->ref == R_PARAM) {
      size_t k;
      for (k = 0; k < *count; k++)
        if (out[k]->slen == n->slen && memcmp(out[k]->str, n->str, n->slen) == 0)
          return;
      out[(*count)++] = n;
    } else if (n->ref == R_DEFINE) {
      missing_names(ex, ex->pol->defines[n->index].expr, out, count, max, depth + 1);
    }
    return;
  }
  missing_names(ex, n->a, out, count, max, depth + 1);
  missing_names(ex, n->b, out, count, max, depth + 1);
  missing_names(ex, n->c, out, count, max, depth + 1);
  for (i = 0; i < n->nargs; i++)
    missing_names(ex, n->args[i], out, count, max, depth + 1);
}

/* ------------------------------------------------------------------ the tree */

/* A new node; returns its index (0 and ex->oom on failure: callers check ex->oom). */
static uint32_t new_node(cpw__explainer *ex, uint8_t kind, int holds, const cpw__node *at)
{
  cpw__xnode *x;
  if (ex->oom || cpw__grow(ex->ctx, (void **)&ex->nodes, &ex->nodes_cap, ex->nnodes + 1,
                           sizeof *ex->nodes) != CPW_OK) {
    ex->oom = 1;
    return 0;
  }
  x = &ex->nodes[ex->nnodes];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  x->holds = (int8_t)holds;
  x->at = at;
  return (uint32_t)ex->nnodes++;
}

static void push(cpw__explainer *ex, uint32_t id)
{
  if (ex->oom || cpw__grow(ex->ctx, (void **)&ex->stack, &ex->stack_cap, ex->nstack + 1,
                           sizeof *ex->stack) != CPW_OK) {
    ex->oom = 1;
    return;
  }
  ex->stack[ex->nstack++] = id;
}

/* A reason (once per sentence) and a leaf node for it. */
static uint32_t add_reason(cpw__explainer *ex, const cpw__node *at, int holds, int negated,
                           const char *subject, const char *value, const char *req,
                           const char *sentence)
{
  cpw__xreason *r;
  char clause[600];
  size_t k;
  uint32_t leaf = new_node(ex, X_LEAF, holds, at);
  if (ex->oom)
    return 0;
  ex->nodes[leaf].negated = (uint8_t)negated;
  for (k = 0; k < ex->count; k++) /* the same sentence twice is one reason */
    if (strcmp(cpw__buf_str(&ex->pool) + ex->items[k].sentence, sentence) == 0) {
      ex->nodes[leaf].reason = (uint32_t)k;
      return leaf;
    }
  if (cpw__grow(ex->ctx, (void **)&ex->items, &ex->cap, ex->count + 1, sizeof *ex->items) !=
      CPW_OK) {
    ex->oom = 1;
    return 0;
  }
  r = &ex->items[ex->count];
  r->holds = holds;
  r->line = at != NULL ? at->line : 0;
  r->col = at != NULL ? at->col : 0;
  if (at != NULL)
    source_text(ex->lang, at, clause, sizeof clause);
  else
    clause[0] = '\0';
  r->subject = pool_adds(ex, subject);
  r->value = pool_adds(ex, value);
  r->requirement = pool_adds(ex, req);
  r->clause = pool_adds(ex, clause);
  r->sentence = pool_adds(ex, sentence);
  if (ex->oom)
    return 0;
  ex->nodes[leaf].reason = (uint32_t)ex->count++;
  return leaf;
}

void cpw__explain_note(cpw__explainer *ex, int holds, const char *sentence)
{
  uint32_t id = add_reason(ex, NULL, holds, 0, "", "", "", sentence);
  if (ex->oom || cpw__grow(ex->ctx, (void **)&ex->roots, &ex->roots_cap, ex->nroots + 1,
                           sizeof *ex->roots) != CPW_OK) {
    ex->oom = 1;
    return;
  }
  ex->roots[ex->nroots++] = id;
}

/* One clause: its reason and leaf. */
static uint32_t leaf(cpw__explainer *ex, const cpw__node *n, int holds, int negated)
{
  char subj[600], val[600], req[900], pred[900], sent[2700], rhs[960];
  const cpw__node *a = n->a;
  int rm, pm; /* the requirement and predicate messages */
  switch (n->kind) {
  case N_CMP:
    node_text(ex, a, subj, sizeof subj);
    value_text(ex, a, val, sizeof val);
    operand_desc(ex, n->b, rhs, sizeof rhs);
    rm = cmp_msg(n->op, a->type, negated, 0);
    pm = cmp_msg(n->op, a->type, negated, 1);
    fill(ex, req, sizeof req, rm, rhs, NULL, NULL);
    fill(ex, pred, sizeof pred, pm, rhs, NULL, NULL);
    break;
  case N_IN:
  case N_CONTAINS: {
    const cpw__node *elem = n->kind == N_IN ? n->a : n->b;
    const cpw__node *set = n->kind == N_IN ? n->b : n->a;
    int neg = (n->flag != 0) != negated;
    const cpw__node *s = n->kind == N_IN ? elem : set;
    node_text(ex, s, subj, sizeof subj);
    value_text(ex, s, val, sizeof val);
    if (n->kind == N_IN) {
      value_text(ex, set, rhs, sizeof rhs);
      if (set->kind == N_SETLIT && rhs[0] == '{') {
        size_t l = strlen(rhs);
        memmove(rhs, rhs + 1, l);
        if (l >= 2 && rhs[l - 2] == '}')
          rhs[l - 2] = '\0';
        rm = neg ? MSG_R_NONE_OF : MSG_R_ONE_OF;
      } else {
        char st[600], both[960];
        const char *args[2];
        node_text(ex, set, st, sizeof st);
        args[0] = st;
        args[1] = rhs;
        cpw__lang_fill(both, sizeof both, "{0} ({1})", args, 2);
        memcpy(rhs, both, strlen(both) + 1);
        rm = neg ? MSG_R_NOT_IN : MSG_R_IN;
      }
    } else {
      value_text(ex, elem, rhs, sizeof rhs);
      rm = neg ? MSG_R_WITHOUT : MSG_R_INCLUDING;
    }
    pm = rm + (MSG_P_LT - MSG_R_LT);
    fill(ex, req, sizeof req, rm, rhs, NULL, NULL);
    fill(ex, pred, sizeof pred, pm, rhs, NULL, NULL);
    break;
  }
  case N_BETWEEN: {
    char lo[960];
    node_text(ex, a, subj, sizeof subj);
    value_text(ex, a, val, sizeof val);
    operand_desc(ex, n->b, lo, sizeof lo);
    operand_desc(ex, n->c, rhs, sizeof rhs);
    rm = negated ? MSG_R_OUTSIDE : MSG_R_BETWEEN;
    fill(ex, req, sizeof req, rm, lo, rhs, NULL);
    fill(ex, pred, sizeof pred, rm + (MSG_P_LT - MSG_R_LT), lo, rhs, NULL);
    break;
  }
  case N_MISSING: {
    const cpw__trace_entry *e = entry(ex, a);
    size_t used = 0;
    node_text(ex, a, subj, sizeof subj);
    val[0] = '\0';
    append(val, sizeof val, &used,
           msg(ex, e == NULL ? MSG_NOT_EVALUATED : e->known ? MSG_GIVEN : MSG_MISSING));
    rm = ((n->flag != 0) != negated) ? MSG_R_GIVEN : MSG_R_MISSING;
    fill(ex, req, sizeof req, rm, NULL, NULL, NULL);
    fill(ex, pred, sizeof pred, rm + (MSG_P_LT - MSG_R_LT), NULL, NULL, NULL);
    break;
  }
  default:
    /* a boolean value: a field, parameter, call or other expression */
    node_text(ex, n, subj, sizeof subj);
    value_text(ex, n, val, sizeof val);
    rm = negated ? MSG_R_FALSE : MSG_R_TRUE;
    fill(ex, req, sizeof req, rm, NULL, NULL, NULL);
    fill(ex, pred, sizeof pred, rm + (MSG_P_LT - MSG_R_LT), NULL, NULL, NULL);
    break;
  }
  if (holds < 0) {
    /* name what is missing: the inputs below this clause that have no value */
    const cpw__node *names[4];
    size_t k, nn = 0, used = 0;
    char list[900];
    missing_names(ex, n, names, &nn, 4, 0);
    list[0] = '\0';
    for (k = 0; k < nn; k++) {
      char one[600];
      node_text(ex, names[k], one, sizeof one);
      if (k > 0)
        append(list, sizeof list, &used, msg(ex, k + 1 == nn ? MSG_NAMES_LAST : MSG_NAMES_SEP));
      append(list, sizeof list, &used, one);
    }
    if (nn == 0)
      fill(ex, sent, sizeof sent, MSG_S_UNKNOWN, subj, NULL, NULL);
    else if (nn == 1 && strcmp(list, subj) == 0)
      fill(ex, sent, sizeof sent, MSG_S_MISSING, subj, pred, NULL);
    else
      fill(ex, sent, sizeof sent, nn == 1 ? MSG_S_MISSING_FOR : MSG_S_MISSING_FOR2, list, subj,
           pred);
  } else if (holds == 0) {
    fill(ex, sent, sizeof sent, MSG_S_FAILS, subj, val, pred);
  } else if ((n->kind == N_CMP && rm == MSG_R_EQ) || rm == MSG_R_TRUE || rm == MSG_R_FALSE ||
             rm == MSG_R_GIVEN || rm == MSG_R_MISSING) {
    /* the value says it all: "citizenship is georgian", "b is missing" */
    fill(ex, sent, sizeof sent, MSG_S_HOLDS, subj, val, NULL);
  } else {
    fill(ex, sent, sizeof sent, MSG_S_HOLDS_REQ, subj, val, req);
  }
  return add_reason(ex, n, holds, negated, subj, val, req, sent);
}

static uint32_t explain(cpw__explainer *ex, const cpw__node *n, int negated, int depth);

/* The connective of n under `negated` (De Morgan): N_AND, N_OR, or 0 for anything else. */
static int connective(const cpw__node *n, int negated)
{
  if (n->kind == N_AND)
    return negated ? N_OR : N_AND;
  if (n->kind == N_OR)
    return negated ? N_AND : N_OR;
  return 0;
}

typedef struct group {
  int kind;        /* N_AND or N_OR: the chain's connective */
  int holds;       /* the chain's value, as needed */
  int picked;      /* an `or` that holds: its first alternative that holds was taken */
} group;

/* The operands of a chain of g->kind (through `not` and nested chains of the same
 * connective): explains those that count and pushes them on ex->stack. */
static void operands(cpw__explainer *ex, const cpw__node *n, int negated, group *g, int depth)
{
  int h;
  if (ex->oom || depth > 200)
    return;
  if (n->kind == N_NOT && connective(n->a, !negated) == g->kind) {
    operands(ex, n->a, !negated, g, depth + 1);
    return;
  }
  if (connective(n, negated) == g->kind) {
    operands(ex, n->a, negated, g, depth + 1);
    operands(ex, n->b, negated, g, depth + 1);
    return;
  }
  h = holds_of(ex, n, negated);
  if (g->holds < 0) {
    if (h >= 0)
      return; /* undetermined: only the unknown operands leave it open */
  } else if (g->kind == N_AND ? g->holds == 0 && h != 0 : g->holds == 1 && (h != 1 || g->picked)) {
    return; /* a failed `and`: its failed conjuncts; an `or` that holds: one that holds */
  }
  if (g->kind == N_OR && g->holds == 1)
    g->picked = 1;
  push(ex, explain(ex, n, negated, depth + 1));
}

/* A group node for the children on the stack from `base` (one child: that child). */
static uint32_t make_group(cpw__explainer *ex, const cpw__node *n, int kind, int holds,
                           size_t base)
{
  size_t k, count = ex->nstack - base;
  uint32_t id;
  if (ex->oom)
    return 0;
  if (count == 1) {
    id = ex->stack[base];
    ex->nstack = base;
    return id;
  }
  id = new_node(ex, (uint8_t)kind, holds, n);
  if (ex->oom || cpw__grow(ex->ctx, (void **)&ex->kids, &ex->kids_cap, ex->nkids + count,
                           sizeof *ex->kids) != CPW_OK) {
    ex->oom = 1;
    return 0;
  }
  ex->nodes[id].kids = (uint32_t)ex->nkids;
  ex->nodes[id].nkids = (uint32_t)count;
  for (k = 0; k < count; k++)
    ex->kids[ex->nkids++] = ex->stack[base + k];
  ex->nstack = base;
  return id;
}

static uint32_t explain(cpw__explainer *ex, const cpw__node *n, int negated, int depth)
{
  int holds = holds_of(ex, n, negated);
  if (depth > 200 || ex->oom)
    return 0;
  switch (n->kind) {
  case N_AND:
  case N_OR: {
    group g;
    size_t base = ex->nstack;
    g.kind = connective(n, negated);
    g.holds = holds;
    g.picked = 0;
    operands(ex, n, negated, &g, depth);
    if (ex->nstack == base) /* nothing decided it (not evaluated): the clause itself */
      break;
    return make_group(ex, n, g.kind == N_AND ? X_ALL : holds == 0 ? X_NONE : X_ANY, holds,
                      base);
  }
  case N_NOT:
    return explain(ex, n->a, !negated, depth + 1);
  case N_NAME:
    if (n->ref == R_DEFINE)
      return explain(ex, ex->pol->defines[n->index].expr, negated, depth + 1);
    break;
  case N_IF: {
    int c = truth_of(ex, n->a);
    if (c < 0)
      return explain(ex, n->a, 0, depth + 1);
    return explain(ex, c ? n->b : n->c, negated, depth + 1);
  }
  default:
    break;
  }
  return leaf(ex, n, holds, negated);
}

void cpw__explain_node(cpw__explainer *ex, const cpw__node *root)
{
  uint32_t id = explain(ex, root, 0, 0);
  if (ex->oom || cpw__grow(ex->ctx, (void **)&ex->roots, &ex->roots_cap, ex->nroots + 1,
                           sizeof *ex->roots) != CPW_OK) {
    ex->oom = 1;
    return;
  }
  ex->roots[ex->nroots++] = id;
}

int cpw__explain_finish(cpw__explainer *ex)
{
  size_t i;
  const char *base;
  if (ex->oom)
    return CPW_ENOMEM;
  if (cpw__grow(ex->ctx, (void **)&ex->pub, &ex->pub_cap, ex->count + 1, sizeof *ex->pub) !=
      CPW_OK)
    return CPW_ENOMEM;
  base = cpw__buf_str(&ex->pool);
  for (i = 0; i < ex->count; i++) {
    const cpw__xreason *r = &ex->items[i];
    cpw_reason *p = &ex->pub[i];
    p->holds = r->holds;
    p->subject = base + r->subject;
    p->value = base + r->value;
    p->requirement = base + r->requirement;
    p->clause = base + r->clause;
    p->sentence = base + r->sentence;
    p->line = r->line;
    p->column = r->col;
  }
  return CPW_OK;
}

/* ------------------------------------------------------------------ rendering */

static int render(cpw__explainer *ex, uint32_t id, int nested, cpw__buf *out, int depth)
{
  cpw__xnode *x = &ex->nodes[id];
  uint32_t k;
  int rc = CPW_OK, paren, sep;
  x->span0 = out->len;
  if (x->kind == X_LEAF) {
    rc = cpw__buf_adds(out, cpw__buf_str(&ex->pool) + ex->items[x->reason].sentence);
    x->span1 = out->len;
    return rc;
  }
  if (depth > 200)
    return CPW_OK;
  if (x->kind == X_NONE) {
    rc = cpw__buf_adds(out, msg(ex, nested ? MSG_G_NONE_OPEN : MSG_G_NONE_TOP));
    paren = nested;
    sep = MSG_G_NONE_SEP;
  } else {
    paren = nested;
    sep = x->kind == X_ALL ? MSG_G_AND : MSG_G_OR;
    if (paren)
      rc = cpw__buf_adds(out, msg(ex, MSG_G_OPEN));
  }
  for (k = 0; rc == CPW_OK && k < x->nkids; k++) {
    if (k > 0)
      rc = cpw__buf_adds(out, msg(ex, sep));
    if (rc == CPW_OK)
      rc = render(ex, ex->kids[x->kids + k], 1, out, depth + 1);
    x = &ex->nodes[id];
  }
  if (rc == CPW_OK && paren)
    rc = cpw__buf_adds(out, msg(ex, MSG_G_CLOSE));
  x->span1 = out->len;
  return rc;
}

int cpw__explain_render(cpw__explainer *ex, cpw__buf *out)
{
  size_t i;
  int rc = CPW_OK;
  for (i = 0; rc == CPW_OK && i < ex->nroots; i++) {
    const cpw__xnode *x = &ex->nodes[ex->roots[i]];
    if (i > 0)
      rc = cpw__buf_adds(out, msg(ex, MSG_G_ROOT_SEP));
    if (rc == CPW_OK)
      rc = render(ex, ex->roots[i], 0, out, 0);
    /* an undetermined group: whether any one of the missing facts would do */
    if (rc == CPW_OK && x->kind != X_LEAF && x->holds < 0)
      rc = cpw__buf_adds(out, msg(ex, x->kind == X_ANY ? MSG_G_ANY_SUFFIX : MSG_G_ALL_SUFFIX));
  }
  return rc;
}

/* ------------------------------------------------------------------ missing inputs */

static void missing(const struct cpw_policy *pol, const cpw__node *n,
                    const cpw__trace_entry *trace, uint32_t gen, uint8_t *slots,
                    uint8_t *params, int depth)
{
  const cpw__trace_entry *e;
  uint32_t i;
  if (n == NULL || depth > 400)
    return;
  e = n->id != 0 ? &trace[n->id] : NULL;
  if (e == NULL || e->gen != gen || e->known)
    return; /* not evaluated, or known: nothing missing below that matters */
  switch (n->kind) {
  case N_NAME:
    if (n->ref == R_FIELD)
      slots[n->index] = 1;
    else if (n->ref == R_PARAM)
      params[n->index] = 1;
    else if (n->ref == R_DEFINE)
      missing(pol, pol->defines[n->index].expr, trace, gen, slots, params, depth + 1);
    return;
  case N_MISSING:
    return;
  default:
    break;
  }
  missing(pol, n->a, trace, gen, slots, params, depth + 1);
  missing(pol, n->b, trace, gen, slots, params, depth + 1);
  missing(pol, n->c, trace, gen, slots, params, depth + 1);
  for (i = 0; i < n->nargs; i++)
    missing(pol, n->args[i], trace, gen, slots, params, depth + 1);
}

void cpw__missing_inputs(const struct cpw_policy *pol, const cpw__node *root,
                         const cpw__trace_entry *trace, uint32_t gen, uint8_t *slots,
                         uint8_t *params)
{
  missing(pol, root, trace, gen, slots, params, 0);
}
