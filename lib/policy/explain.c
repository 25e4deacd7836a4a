/* policy/explain.c: explanations of traced evaluations (see explain.h). */
#include "policy/explain.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/utf8.h"

void cpw__explainer_init(cpw__explainer *ex, cpw_ctx *ctx)
{
  memset(ex, 0, sizeof *ex);
  ex->ctx = ctx;
  cpw__buf_init(&ex->pool, ctx);
}

void cpw__explainer_free(cpw__explainer *ex)
{
  cpw__buf_free(&ex->pool);
  cpw__free(ex->ctx, ex->items, ex->cap * sizeof *ex->items);
  cpw__free(ex->ctx, ex->pub, ex->pub_cap * sizeof *ex->pub);
  ex->items = NULL;
  ex->pub = NULL;
  ex->count = ex->cap = ex->pub_cap = 0;
}

void cpw__explainer_reset(cpw__explainer *ex, const struct cpw_policy *pol,
                          const cpw__trace_entry *trace, uint32_t gen,
                          const char *const *slot_names)
{
  cpw__buf_clear(&ex->pool);
  ex->count = 0;
  ex->pol = pol;
  ex->trace = trace;
  ex->gen = gen;
  ex->slot_names = slot_names;
  ex->oom = 0;
}

/* Add a NUL-terminated string to the pool; returns its offset. */
static size_t pool_add(cpw__explainer *ex, const char *s, size_t n)
{
  size_t off = ex->pool.len;
  if (cpw__buf_add(&ex->pool, s, n) != CPW_OK || cpw__buf_addc(&ex->pool, '\0') != CPW_OK)
    ex->oom = 1;
  else
    cpw__utf8_sanitize(ex->pool.data + off); /* a value cut short may end inside a character */
  return off;
}

static size_t pool_adds(cpw__explainer *ex, const char *s)
{
  return pool_add(ex, s, strlen(s));
}

void cpw__format_value(const struct cpw_policy *pol, uint8_t type, uint16_t enum_id,
                       int64_t v, char *buf, size_t size)
{
  switch (type) {
  case T_BOOL:
    snprintf(buf, size, "%s", v ? "true" : "false");
    break;
  case T_MONEY: {
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (a % 100 == 0)
      snprintf(buf, size, "%s%" PRIu64 " GEL", v < 0 ? "-" : "", a / 100);
    else
      snprintf(buf, size, "%s%" PRIu64 ".%02u GEL", v < 0 ? "-" : "", a / 100,
               (unsigned)(a % 100));
    break;
  }
  case T_DATE:
    if (v < CPW_DATE_MIN || v > CPW_DATE_MAX || cpw_date_format(buf, size, (cpw_date)v) != CPW_OK)
      snprintf(buf, size, "(date out of range)");
    break;
  case T_DATETIME:
    if (cpw_time_format(buf, size, v, pol->tz_minutes) != CPW_OK)
      snprintf(buf, size, "(time out of range)");
    break;
  case T_ENUM:
    if (enum_id < pol->nenums && v >= 0 && (uint64_t)v < pol->enums[enum_id].nmembers)
      snprintf(buf, size, "%s", pol->enums[enum_id].members[v]);
    else
      snprintf(buf, size, "(invalid value)");
    break;
  case T_SET: {
    size_t used = 0;
    uint32_t i;
    int first = 1;
    used += (size_t)snprintf(buf, size, "{");
    for (i = 0; enum_id < pol->nenums && i < pol->enums[enum_id].nmembers && used < size; i++)
      if (((uint64_t)v >> i) & 1) {
        used += (size_t)snprintf(buf + used, size - used, "%s%s", first ? "" : ", ",
                                 pol->enums[enum_id].members[i]);
        first = 0;
      }
    if (used < size)
      snprintf(buf + used, size - used, "}");
    break;
  }
  case T_TEXT: {
    /* quoted, cut between characters when it does not fit */
    const char *t = v != 0 ? (const char *)(intptr_t)v : "";
    size_t n = strlen(t);
    if (size >= 3 && n > size - 3)
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

static const cpw__trace_entry *entry(const cpw__explainer *ex, const cpw__node *n)
{
  const cpw__trace_entry *e;
  if (n == NULL || n->id == 0)
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

static void node_text(const cpw__node *n, char *buf, size_t size)
{
  /* the expression as written, whitespace runs folded, long ones cut */
  size_t i, o = 0;
  int space = 0;
  if (n->src == NULL) {
    snprintf(buf, size, "this condition");
    return;
  }
  for (i = 0; i < n->len && o + 1 < size; i++) {
    char c = n->src[i];
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
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o < size ? o : size - 1] = '\0';
}

static void value_text(const cpw__explainer *ex, const cpw__node *n, char *buf, size_t size)
{
  const cpw__trace_entry *e = entry(ex, n);
  if (e == NULL) {
    snprintf(buf, size, "not evaluated");
    return;
  }
  if (!e->known) {
    snprintf(buf, size, "missing");
    return;
  }
  if (n->type == T_SET && n->kind == N_SETLIT) {
    cpw__format_value(ex->pol, T_SET, n->enum_id, e->value, buf, size);
    return;
  }
  cpw__format_value(ex->pol, n->type, n->enum_id, n->type == T_BOOL ? e->truth : e->value, buf,
                    size);
}

static const char *cmp_phrase(int op, uint8_t type, int negate)
{
  int dates = type == T_DATE || type == T_DATETIME;
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
  case TK_LT: return dates ? "before" : "less than";
  case TK_LE: return dates ? "on or before" : "at most";
  case TK_GT: return dates ? "after" : "more than";
  case TK_GE: return dates ? "on or after" : "at least";
  case TK_NE: return "not";
  default: return "";
  }
}

static void add_reason(cpw__explainer *ex, const cpw__node *at, int holds, const char *subject,
                       const char *value, const char *req, const char *sentence)
{
  cpw__xreason *r;
  char clause[200];
  if (cpw__grow(ex->ctx, (void **)&ex->items, &ex->cap, ex->count + 1, sizeof *ex->items) !=
      CPW_OK) {
    ex->oom = 1;
    return;
  }
  {
    size_t k;
    for (k = 0; k < ex->count; k++) /* the same sentence twice says nothing new */
      if (strcmp(cpw__buf_str(&ex->pool) + ex->items[k].sentence, sentence) == 0)
        return;
  }
  r = &ex->items[ex->count];
  r->holds = holds;
  r->line = at != NULL ? at->line : 0;
  r->col = at != NULL ? at->col : 0;
  if (at != NULL)
    node_text(at, clause, sizeof clause);
  else
    clause[0] = '\0';
  r->subject = pool_adds(ex, subject);
  r->value = pool_adds(ex, value);
  r->requirement = pool_adds(ex, req);
  r->clause = pool_adds(ex, clause);
  r->sentence = pool_adds(ex, sentence);
  if (!ex->oom)
    ex->count++;
}

void cpw__explain_note(cpw__explainer *ex, int holds, const char *sentence)
{
  add_reason(ex, NULL, holds, "", "", "", sentence);
}

/* subject text: a name, or the expression as written; with its value */
static void subject_of(const cpw__explainer *ex, const cpw__node *n, char *subj, size_t ssize,
                       char *val, size_t vsize)
{
  node_text(n, subj, ssize);
  value_text(ex, n, val, vsize);
}

/* "12", "return_date + 1 year (2020-03-01)" */
static void operand_desc(const cpw__explainer *ex, const cpw__node *n, char *buf, size_t size)
{
  char t[200], v[120];
  value_text(ex, n, v, sizeof v);
  if (is_const_node(n)) {
    snprintf(buf, size, "%s", v);
    return;
  }
  node_text(n, t, sizeof t);
  snprintf(buf, size, "%s (%s)", t, v);
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

static void leaf(cpw__explainer *ex, const cpw__node *n, int holds, int negated)
{
  char subj[200], val[200], req[300], sent[900], rhs[320];
  const cpw__node *a = n->a;
  switch (n->kind) {
  case N_CMP: {
    const char *ph;
    subject_of(ex, a, subj, sizeof subj, val, sizeof val);
    operand_desc(ex, n->b, rhs, sizeof rhs);
    ph = cmp_phrase(n->op, a->type, negated);
    snprintf(req, sizeof req, "%s%s%s", ph, ph[0] ? " " : "", rhs);
    break;
  }
  case N_IN:
  case N_CONTAINS: {
    const cpw__node *elem = n->kind == N_IN ? n->a : n->b;
    const cpw__node *set = n->kind == N_IN ? n->b : n->a;
    int neg = (n->flag != 0) != negated;
    subject_of(ex, n->kind == N_IN ? elem : set, subj, sizeof subj, val, sizeof val);
    if (n->kind == N_IN) {
      value_text(ex, set, rhs, sizeof rhs);
      if (set->kind == N_SETLIT && rhs[0] == '{') {
        size_t l = strlen(rhs);
        memmove(rhs, rhs + 1, l);
        if (l >= 2)
          rhs[l - 2] = '\0';
        snprintf(req, sizeof req, "%s %s", neg ? "none of" : "one of", rhs);
      } else {
        char st[200];
        node_text(set, st, sizeof st);
        snprintf(req, sizeof req, "%s %s (%s)", neg ? "not in" : "in", st, rhs);
      }
    } else {
      value_text(ex, elem, rhs, sizeof rhs);
      snprintf(req, sizeof req, "%s %s", neg ? "without" : "including", rhs);
    }
    break;
  }
  case N_BETWEEN: {
    char lo[320];
    subject_of(ex, a, subj, sizeof subj, val, sizeof val);
    operand_desc(ex, n->b, lo, sizeof lo);
    operand_desc(ex, n->c, rhs, sizeof rhs);
    snprintf(req, sizeof req, "%s %s and %s", negated ? "outside" : "between", lo, rhs);
    break;
  }
  case N_MISSING: {
    const cpw__trace_entry *e = entry(ex, a);
    node_text(a, subj, sizeof subj);
    snprintf(val, sizeof val, "%s", e == NULL ? "not evaluated" : e->known ? "given" : "missing");
    snprintf(req, sizeof req, "%s", ((n->flag != 0) != negated) ? "given" : "missing");
    break;
  }
  default:
    /* a boolean value: a field, parameter, call or other expression */
    node_text(n, subj, sizeof subj);
    value_text(ex, n, val, sizeof val);
    snprintf(req, sizeof req, "%s", negated ? "false" : "true");
    break;
  }
  if (holds < 0) {
    /* name what is missing: the inputs below this clause that have no value */
    const cpw__node *names[4];
    size_t k, nn = 0;
    size_t used = 0;
    missing_names(ex, n, names, &nn, 4, 0);
    sent[0] = '\0';
    for (k = 0; k < nn && used < sizeof sent; k++)
      used += (size_t)snprintf(sent + used, sizeof sent - used, "%s%.*s",
                               k == 0 ? "" : k + 1 == nn ? " and " : ", ", (int)names[k]->slen,
                               names[k]->str);
    if (nn == 0)
      snprintf(sent, sizeof sent, "%s is unknown", subj);
    else if (used < sizeof sent)
      snprintf(sent + used, sizeof sent - used, nn == 1 ? " is missing" : " are missing");
  } else if (holds == 0) {
    snprintf(sent, sizeof sent, "%s is %s; the rule needs %s", subj, val, req);
    /* NOLINTNEXTLINE(bugprone-branch-clone): an equality that holds needs no "req" clause */
  } else if (n->kind == N_CMP && (n->op == TK_EQ) != negated && (n->op == TK_EQ || negated)) {
    snprintf(sent, sizeof sent, "%s is %s", subj, val);
  } else if (n->kind == N_CMP || n->kind == N_BETWEEN || n->kind == N_IN ||
             n->kind == N_CONTAINS) {
    snprintf(sent, sizeof sent, "%s is %s, %s", subj, val, req);
  } else {
    snprintf(sent, sizeof sent, "%s is %s", subj, val);
  }
  add_reason(ex, n, holds, subj, val, req, sent);
}

static void explain(cpw__explainer *ex, const cpw__node *n, int negated, int depth)
{
  int v = truth_of(ex, n);
  int holds = v < 0 ? -1 : negated ? !v : v;
  if (depth > 200 || ex->oom)
    return;
  switch (n->kind) {
  case N_AND:
  case N_OR: {
    /* under negation, and/or swap roles (De Morgan) */
    int is_and = (n->kind == N_AND) != negated;
    int va = truth_of(ex, n->a), vb = truth_of(ex, n->b);
    int ha = va < 0 ? -1 : negated ? !va : va;
    int hb = vb < 0 ? -1 : negated ? !vb : vb;
    if (holds < 0) {
      if (ha < 0)
        explain(ex, n->a, negated, depth + 1);
      if (hb < 0 && !(is_and && ha == 0))
        explain(ex, n->b, negated, depth + 1);
    } else if (holds == (is_and ? 0 : 1)) {
      /* decided by one side: the first that decides */
      if (ha == holds)
        explain(ex, n->a, negated, depth + 1);
      else
        explain(ex, n->b, negated, depth + 1);
    } else {
      explain(ex, n->a, negated, depth + 1);
      explain(ex, n->b, negated, depth + 1);
    }
    return;
  }
  case N_NOT:
    explain(ex, n->a, !negated, depth + 1);
    return;
  case N_NAME:
    if (n->ref == R_DEFINE) {
      explain(ex, ex->pol->defines[n->index].expr, negated, depth + 1);
      return;
    }
    break;
  case N_IF: {
    int c = truth_of(ex, n->a);
    if (c < 0) {
      explain(ex, n->a, 0, depth + 1);
      return;
    }
    explain(ex, c ? n->b : n->c, negated, depth + 1);
    return;
  }
  default:
    break;
  }
  leaf(ex, n, holds, negated);
}

void cpw__explain_node(cpw__explainer *ex, const cpw__node *root)
{
  explain(ex, root, 0, 0);
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
