/* SPDX-License-Identifier: Apache-2.0 */
/* policy/basis.c: the legal basis as data: declared sources, the table of rules with their
 * bases (built by the checkers as they compile each rule-bearing declaration), and the public
 * accessors (cpw/policy.h). */
#include "policy/basis_syntax.h"

#include <stdio.h>

#include "base/buf.h"
#include "base/utf8.h"

/* ------------------------------------------------------------------ names */

const char *cpw_basis_status_name(int status)
{
  switch (status) {
  case CPW_BASIS_NONE: return "none";
  case CPW_BASIS_LAW: return "law";
  case CPW_BASIS_REGULATION: return "regulation";
  case CPW_BASIS_AGENCY_DEFAULT: return "agency_default";
  case CPW_BASIS_PROPOSAL: return "proposal";
  default: return "unknown";
  }
}

int cpw_basis_status_from_name(const char *name)
{
  int s;
  if (name == NULL)
    return CPW_EINVALID;
  for (s = CPW_BASIS_NONE; s <= CPW_BASIS_PROPOSAL; s++)
    if (strcmp(name, cpw_basis_status_name(s)) == 0)
      return s;
  return CPW_ENOTFOUND;
}

const char *cpw_basis_status_label(int status)
{
  switch (status) {
  case CPW_BASIS_NONE: return "no basis stated";
  case CPW_BASIS_LAW: return "law";
  case CPW_BASIS_REGULATION: return "regulation";
  case CPW_BASIS_AGENCY_DEFAULT: return "agency default, not law";
  case CPW_BASIS_PROPOSAL: return "proposal, not confirmed";
  default: return "unknown";
  }
}

const char *cpw_rule_kind_name(int kind)
{
  switch (kind) {
  case CPW_RULE_PROGRAM: return "program";
  case CPW_RULE_BENEFIT: return "benefit";
  case CPW_RULE_SERVICE: return "service";
  case CPW_RULE_PARAM: return "param";
  case CPW_RULE_CALENDAR: return "calendar";
  case CPW_RULE_HOLIDAY: return "holiday";
  case CPW_RULE_DAY_OFF: return "day_off";
  case CPW_RULE_WORKFLOW: return "workflow";
  case CPW_RULE_TRANSITION: return "transition";
  case CPW_RULE_DEADLINE: return "deadline";
  case CPW_RULE_SETTING: return "setting";
  case CPW_RULE_FACILITY: return "facility";
  case CPW_RULE_PLACEMENT: return "placement";
  case CPW_RULE_GATEKEEPING: return "gatekeeping";
  default: return "unknown";
  }
}

const char *cpw__basis_mark(const struct cpw_rule *r)
{
  if (r == NULL)
    return "";
  switch (r->basis.status) {
  case CPW_BASIS_AGENCY_DEFAULT: return "agency default";
  case CPW_BASIS_PROPOSAL: return "proposal";
  case CPW_BASIS_NONE: return "no basis";
  default: return "";
  }
}

/* ------------------------------------------------------------------ sources */

static const char *str_or_empty(cpw__checker *ck, const char *s, uint32_t len)
{
  return cpw__pol_str(ck, s != NULL ? s : "", s != NULL ? len : 0);
}

void cpw__declare_sources(cpw__checker *ck, cpw__decl *decls)
{
  cpw_policy *pol = ck->pol;
  cpw__decl *d;
  uint32_t n = 0;
  for (d = decls; d != NULL; d = d->next)
    n += d->kind == D_SOURCE;
  pol->cites = cpw__check_alloc(ck, (n + 1) * sizeof *pol->cites);
  if (pol->cites == NULL)
    return;
  for (d = decls; d != NULL && !ck->diags->oom; d = d->next) {
    const cpw__ast_source *a = d->ext;
    struct cpw_source *s;
    uint32_t prev;
    if (d->kind != D_SOURCE)
      continue;
    if (cpw__map_get(&pol->cite_index, d->name.str, d->name.len, &prev)) {
      cpw__check_error(ck, d->file, d->name.line, d->name.col,
                       "source '%.*s' is already declared at %s:%d", (int)d->name.len,
                       d->name.str, pol->cites[prev].file, pol->cites[prev].line);
      continue;
    }
    s = &pol->cites[pol->ncites];
    memset(s, 0, sizeof *s);
    s->policy = pol;
    s->index = pol->ncites;
    s->id = cpw__pol_str(ck, d->name.str, d->name.len);
    s->citation = str_or_empty(ck, d->title, d->title_len);
    s->number = str_or_empty(ck, a->number, a->number_len);
    s->article = str_or_empty(ck, a->article, a->article_len);
    s->address = str_or_empty(ck, a->address, a->address_len);
    s->note = str_or_empty(ck, a->note, a->note_len);
    s->date = a->date;
    s->date_prec = a->date_prec;
    s->file = d->file;
    s->line = d->name.line;
    if (s->id == NULL || s->citation == NULL || s->number == NULL || s->article == NULL ||
        s->address == NULL || s->note == NULL ||
        cpw__map_put(&pol->cite_index, s->id, d->name.len, pol->ncites) != CPW_OK) {
      ck->diags->oom = 1;
      return;
    }
    pol->ncites++;
  }
}

/* ------------------------------------------------------------------ rules */

/* `prefix` and the rule as written, on one line: comments left out, runs of blanks made one space, cut
 * short (between characters) past 400 bytes. */
const char *cpw__fold_text(cpw__checker *ck, const char *prefix, const char *src, uint32_t len)
{
  char buf[420];
  size_t o = 0;
  uint32_t i;
  int space = 0, quoted = 0;
  if (prefix != NULL) {
    o = strlen(prefix);
    if (o > 200)
      o = 200;
    memcpy(buf, prefix, o);
  }
  for (i = 0; i < len && o < 400; i++) {
    char c = src[i];
    if (c == '#' && !quoted) {
      while (i + 1 < len && src[i + 1] != '\n')
        i++;
      continue;
    }
    if (c == '"' && (i == 0 || src[i - 1] != '\\'))
      quoted = !quoted;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = o > 0;
      continue;
    }
    if (space) {
      buf[o++] = ' ';
      space = 0;
    }
    buf[o++] = c;
  }
  if (i < len) {
    while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
      o--;
    if (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
      o--;
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o] = '\0';
  return cpw__pol_str(ck, buf, o);
}

static int add_citation(cpw__buf *b, const struct cpw_source *s, const char *pin)
{
  int rc = cpw__buf_adds(b, s->citation);
  if (rc == CPW_OK && pin[0] != '\0')
    rc = cpw__buf_printf(b, ", %s", pin);
  else if (rc == CPW_OK && s->article[0] != '\0')
    rc = cpw__buf_printf(b, ", Art. %s", s->article);
  return rc;
}

/* "agency default, not law (UN Guidelines, para. 22): the note" */
static const char *basis_text(cpw__checker *ck, const cpw__basis *bs)
{
  cpw__buf b;
  uint32_t i;
  const char *out = NULL;
  int rc;
  cpw__buf_init(&b, ck->pol->ctx);
  rc = cpw__buf_adds(&b, cpw_basis_status_label(bs->status));
  for (i = 0; rc == CPW_OK && i < bs->nrefs; i++) {
    rc = cpw__buf_adds(&b, i == 0 ? " (" : "; ");
    if (rc == CPW_OK)
      rc = add_citation(&b, &ck->pol->cites[bs->ref_source[i]], bs->ref_pin[i]);
  }
  if (rc == CPW_OK && bs->nrefs > 0)
    rc = cpw__buf_addc(&b, ')');
  if (rc == CPW_OK && bs->note[0] != '\0')
    rc = cpw__buf_printf(&b, ": %s", bs->note);
  if (rc == CPW_OK)
    out = cpw__pol_str(ck, cpw__buf_str(&b), b.len);
  else
    ck->diags->oom = 1;
  cpw__buf_free(&b);
  return out;
}

static int resolve_basis(cpw__checker *ck, const char *file, const cpw__ast_basis *a,
                         cpw__basis *out)
{
  cpw_policy *pol = ck->pol;
  uint32_t i;
  out->status = a->status;
  out->note = str_or_empty(ck, a->note, a->note_len);
  out->ref_source = cpw__check_alloc(ck, (a->nrefs + 1) * sizeof *out->ref_source);
  out->ref_pin = cpw__check_alloc(ck, (a->nrefs + 1) * sizeof *out->ref_pin);
  if (out->note == NULL || out->ref_source == NULL || out->ref_pin == NULL)
    return 0;
  for (i = 0; i < a->nrefs; i++) {
    const cpw__ast_ref *r = &a->refs[i];
    uint32_t s;
    if (!cpw__map_get(&pol->cite_index, r->source.str, r->source.len, &s)) {
      cpw__check_error(ck, file, r->source.line, r->source.col,
                       "unknown source '%.*s' (declare it with 'source ID \"citation\"')",
                       (int)r->source.len, r->source.str);
      return 0;
    }
    out->ref_source[out->nrefs] = s;
    out->ref_pin[out->nrefs] = str_or_empty(ck, r->pin, r->pin_len);
    if (out->ref_pin[out->nrefs] == NULL)
      return 0;
    out->nrefs++;
  }
  return 1;
}

uint32_t cpw__rule_add(cpw__checker *ck, int kind, const char *file, int line, const char *name,
                       const cpw__ast_basis *b, uint32_t inherit, const char *text_fallback,
                       int64_t start, int start_prec)
{
  cpw_policy *pol = ck->pol;
  struct cpw_rule *r;
  if (ck->diags->oom || name == NULL)
    return CPW__NO_RULE;
  if (cpw__grow(pol->ctx, (void **)&pol->rules, &pol->rules_cap, (size_t)pol->nrules + 1,
                sizeof *pol->rules) != CPW_OK) {
    ck->diags->oom = 1;
    return CPW__NO_RULE;
  }
  r = &pol->rules[pol->nrules];
  memset(r, 0, sizeof *r);
  r->policy = pol;
  r->index = pol->nrules;
  r->kind = (uint8_t)kind;
  r->name = name;
  r->file = file;
  r->line = line;
  r->start = start;
  r->start_prec = (int8_t)start_prec;
  if (text_fallback == NULL && b != NULL && b->text != NULL)
    r->text = cpw__fold_text(ck, NULL, b->text, b->text_len);
  else
    r->text = cpw__pol_str(ck, text_fallback != NULL ? text_fallback : name,
                           strlen(text_fallback != NULL ? text_fallback : name));
  if (r->text == NULL)
    return CPW__NO_RULE;
  if (b != NULL && b->present) {
    if (!resolve_basis(ck, file, b, &r->basis))
      return CPW__NO_RULE;
  } else if (inherit != CPW__NO_RULE && inherit < pol->nrules) {
    r->basis = pol->rules[inherit].basis;
    r->basis.inherited = 1;
  } else {
    r->basis.note = "";
  }
  r->basis_text = basis_text(ck, &r->basis);
  if (r->basis_text == NULL)
    return CPW__NO_RULE;
  return pol->nrules++;
}

const struct cpw_rule *cpw__rule(const struct cpw_policy *pol, uint32_t i)
{
  return pol != NULL && i < pol->nrules ? &pol->rules[i] : NULL;
}

void cpw__date_text(char buf[CPW_DATE_BUFSIZE], int64_t date, int prec)
{
  cpw_date_format(buf, CPW_DATE_BUFSIZE, (cpw_date)date);
  if (prec == CPW__PREC_YEAR)
    buf[4] = '\0';
  else if (prec == CPW__PREC_MONTH)
    buf[7] = '\0';
}

/* ------------------------------------------------------------------ parameters used */

static void walk_params(const cpw_policy *pol, const cpw__node *n, uint8_t *pmark,
                        uint8_t *dmark, int depth)
{
  uint32_t i;
  if (n == NULL || depth > 400)
    return;
  if (n->kind == N_NAME && n->ref == R_PARAM && n->index < pol->nparams)
    pmark[n->index] = 1;
  if (n->kind == N_NAME && n->ref == R_DEFINE && n->index < pol->ndefines &&
      !dmark[n->index]) {
    dmark[n->index] = 1;
    walk_params(pol, pol->defines[n->index].expr, pmark, dmark, depth + 1);
  }
  walk_params(pol, n->a, pmark, dmark, depth + 1);
  walk_params(pol, n->b, pmark, dmark, depth + 1);
  walk_params(pol, n->c, pmark, dmark, depth + 1);
  for (i = 0; i < n->nargs; i++)
    walk_params(pol, n->args[i], pmark, dmark, depth + 1);
}

void cpw__collect_params(cpw__checker *ck, struct cpw_program *pg)
{
  const cpw_policy *pol = ck->pol;
  uint8_t *pmark = cpw__check_alloc(ck, pol->nparams + 1);
  uint8_t *dmark = cpw__check_alloc(ck, pol->ndefines + 1);
  uint32_t i, n = 0;
  if (pmark == NULL || dmark == NULL)
    return;
  walk_params(pol, pg->rule, pmark, dmark, 0);
  for (i = 0; i < pg->nbenefits + pg->nservices; i++) {
    walk_params(pol, pg->items[i].when_ast, pmark, dmark, 0);
    walk_params(pol, pg->items[i].amount_ast, pmark, dmark, 0);
  }
  for (i = 0; i < pol->nparams; i++)
    n += pmark[i];
  pg->params_used = cpw__check_alloc(ck, (n + 1) * sizeof *pg->params_used);
  if (pg->params_used == NULL)
    return;
  for (i = 0; i < pol->nparams; i++)
    if (pmark[i])
      pg->params_used[pg->nparams_used++] = i;
}

/* ------------------------------------------------------------------ public: sources */

size_t cpw_policy_source_count(const cpw_policy *p) { return p != NULL ? p->ncites : 0; }

const cpw_source *cpw_policy_source_at(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->ncites ? &p->cites[i] : NULL;
}

const cpw_source *cpw_policy_source_find(const cpw_policy *p, const char *id)
{
  uint32_t v;
  if (p == NULL || id == NULL || !cpw__map_get(&p->cite_index, id, strlen(id), &v))
    return NULL;
  return &p->cites[v];
}

const char *cpw_source_id(const cpw_source *s) { return s != NULL ? s->id : NULL; }
const char *cpw_source_citation(const cpw_source *s) { return s != NULL ? s->citation : NULL; }
const char *cpw_source_number(const cpw_source *s) { return s != NULL ? s->number : NULL; }
const char *cpw_source_article(const cpw_source *s) { return s != NULL ? s->article : NULL; }
const char *cpw_source_address(const cpw_source *s) { return s != NULL ? s->address : NULL; }
const char *cpw_source_note(const cpw_source *s) { return s != NULL ? s->note : NULL; }

int cpw_source_date(const cpw_source *s, cpw_date *date)
{
  if (s == NULL)
    return CPW_EINVALID;
  if (s->date == CPW_DATE_MIN)
    return CPW_ENOTFOUND;
  if (date != NULL)
    *date = (cpw_date)s->date;
  return s->date_prec;
}

/* ------------------------------------------------------------------ public: rules */

size_t cpw_policy_rule_count(const cpw_policy *p) { return p != NULL ? p->nrules : 0; }

const cpw_rule *cpw_policy_rule_at(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->nrules ? &p->rules[i] : NULL;
}

int cpw_rule_kind_of(const cpw_rule *r) { return r != NULL ? r->kind : 0; }
const char *cpw_rule_name(const cpw_rule *r) { return r != NULL ? r->name : NULL; }
const char *cpw_rule_text(const cpw_rule *r) { return r != NULL ? r->text : NULL; }
int cpw_rule_status(const cpw_rule *r) { return r != NULL ? r->basis.status : CPW_BASIS_NONE; }
int cpw_rule_inherited(const cpw_rule *r) { return r != NULL ? r->basis.inherited : 0; }
const char *cpw_rule_note(const cpw_rule *r) { return r != NULL ? r->basis.note : NULL; }
const char *cpw_rule_basis(const cpw_rule *r) { return r != NULL ? r->basis_text : NULL; }
size_t cpw_rule_source_count(const cpw_rule *r) { return r != NULL ? r->basis.nrefs : 0; }

const char *cpw_rule_file(const cpw_rule *r, int *line)
{
  if (line != NULL)
    *line = r != NULL ? r->line : 0;
  return r != NULL ? r->file : NULL;
}

const cpw_source *cpw_rule_source(const cpw_rule *r, size_t i, const char **pinpoint)
{
  if (pinpoint != NULL)
    *pinpoint = NULL;
  if (r == NULL || i >= r->basis.nrefs)
    return NULL;
  if (pinpoint != NULL)
    *pinpoint = r->basis.ref_pin[i];
  return &r->policy->cites[r->basis.ref_source[i]];
}

int cpw_rule_start(const cpw_rule *r, cpw_date *start)
{
  if (r == NULL)
    return CPW_EINVALID;
  if (r->start_prec < 0)
    return CPW_ENOTFOUND;
  if (start != NULL)
    *start = (cpw_date)r->start;
  return r->start_prec;
}

const cpw_rule *cpw_program_rule(const cpw_program *g)
{
  return g != NULL ? cpw__rule(g->policy, g->rule_index) : NULL;
}
