/* SPDX-License-Identifier: Apache-2.0 */
/* policy/labels.c: labels per language: their syntax, their checks (a label for an unknown
 * name, a name without a label) and looking them up (see labels.h). */
#include "policy/labels_syntax.h"

#include <stdio.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "policy/pl_model.h"
#include "policy/wf_model.h"

/* ---------------------------------------------------------------- syntax */

/* NAME or NAME.NAME... into one arena string */
static int parse_dotted(cpw__parser *p, cpw__label_entry *e)
{
  cpw__ast_name part;
  char buf[512];
  size_t n = 0;
  do {
    if (!cpw__parse_name(p, &part, "a name"))
      return 0;
    if (n + part.len + 2 > sizeof buf) {
      cpw__parse_error(p, "the name is too long");
      return 0;
    }
    if (n > 0)
      buf[n++] = '.';
    memcpy(buf + n, part.str, part.len);
    n += part.len;
  } while (cpw__parse_accept(p, TK_DOT));
  {
    char *s = cpw__parse_alloc(p, n + 1);
    if (s == NULL)
      return 0;
    memcpy(s, buf, n);
    e->name = s;
  }
  e->name_len = (uint32_t)n;
  return 1;
}

/* a language tag (BCP 47 style: "ka", "en", "ru", "hy", "az", "pt-BR") */
static int valid_tag(const char *s, uint32_t n)
{
  return cpw__lang_tag_ok(s, n);
}

int cpw__parse_labels(cpw__parser *p, cpw__decl *d)
{
  cpw__labels_ast *a = cpw__parse_alloc(p, sizeof *a);
  if (a == NULL)
    return 0;
  d->ext = a;
  if (cpw__parse_check(p, TK_STRING)) {
    d->name.str = p->lx.cur.str;
    d->name.len = p->lx.cur.slen;
    d->name.line = p->lx.cur.line;
    d->name.col = p->lx.cur.col;
    if (!valid_tag(d->name.str, d->name.len)) {
      cpw__parse_error(p, "a language tag is letters, digits and '-', such as ka, en or pt-BR");
      return 0;
    }
    cpw__parse_advance(p);
  } else if (!cpw__parse_name(p, &d->name, "a language tag such as ka or en")) {
    return 0;
  } else if (!valid_tag(d->name.str, d->name.len)) {
    cpw__parse_error(p, "a language tag starts with a letter, such as ka or en");
    return 0;
  }
  cpw__parse_string(p, &d->title, &d->title_len);
  if (!cpw__parse_expect(p, TK_LBRACE, "after the language"))
    return 0;
  while (!cpw__parse_check(p, TK_RBRACE) && !cpw__parse_check(p, TK_EOF)) {
    cpw__label_entry e;
    memset(&e, 0, sizeof e);
    e.line = p->lx.cur.line;
    e.col = p->lx.cur.col;
    if (!cpw__parse_name(p, &e.kind, "a kind of name (field, value, state, event, ...)"))
      return 0;
    if (e.kind.len == 6 && memcmp(e.kind.str, "policy", 6) == 0) {
      e.name = "";
    } else if (cpw__parse_check(p, TK_STRING)) {
      e.name = p->lx.cur.str;
      e.name_len = p->lx.cur.slen;
      cpw__parse_advance(p);
    } else if (!parse_dotted(p, &e)) {
      return 0;
    }
    if (!cpw__parse_string(p, &e.text, &e.text_len)) {
      cpw__parse_error(p, "expected the label in quotes, e.g. field birth_date \"Date of birth\"");
      return 0;
    }
    a->entries = cpw__parse_push(p, a->entries, a->nentries, sizeof *a->entries);
    if (a->entries == NULL)
      return 0;
    a->entries[a->nentries++] = e;
  }
  return cpw__parse_expect(p, TK_RBRACE, "at the end of the labels");
}

/* ---------------------------------------------------------------- the names a user sees */

static const char *const kinds[] = {
  "policy", "calendar", "holiday", "field", "value", "define", "param", "program", "benefit",
  "service", "workflow", "state", "event", "role", "setting", "facility", "region", "reason",
};

typedef struct names {
  cpw__checker *ck;
  cpw__arena arena;           /* the keys */
  cpw__map set;               /* "kind:name" -> index in order */
  const char **order;         /* the keys in the order met */
  uint32_t n, cap;
  int oom;
} names;

static void add_name(names *nm, const char *kind, const char *a, size_t alen, const char *b,
                     size_t blen, const char *c, size_t clen)
{
  size_t kl = strlen(kind), len = kl + 1 + alen + (b != NULL ? 1 + blen : 0) +
                                   (c != NULL ? 1 + clen : 0);
  char *key;
  size_t o;
  if (nm->oom)
    return;
  key = cpw__arena_alloc(&nm->arena, len + 1);
  if (key == NULL) {
    nm->oom = 1;
    return;
  }
  memcpy(key, kind, kl);
  key[kl] = ':';
  o = kl + 1;
  memcpy(key + o, a, alen);
  o += alen;
  if (b != NULL) {
    key[o++] = '.';
    memcpy(key + o, b, blen);
    o += blen;
  }
  if (c != NULL) {
    key[o++] = '.';
    memcpy(key + o, c, clen);
    o += clen;
  }
  key[o] = '\0';
  if (cpw__map_get(&nm->set, key, len, NULL))
    return;
  if (nm->n == nm->cap) {
    uint32_t cap = nm->cap == 0 ? 64 : nm->cap * 2;
    const char **o2 = cpw__arena_alloc(&nm->arena, cap * sizeof *o2);
    if (o2 == NULL) {
      nm->oom = 1;
      return;
    }
    if (nm->n > 0)
      memcpy((void *)o2, (const void *)nm->order, nm->n * sizeof *o2);
    nm->order = o2;
    nm->cap = cap;
  }
  if (cpw__map_put(&nm->set, key, len, nm->n) != CPW_OK) {
    nm->oom = 1;
    return;
  }
  nm->order[nm->n++] = key;
}

#define ADD1(k, s) add_name(nm, k, s, strlen(s), NULL, 0, NULL, 0)
#define ADD2(k, s, t) add_name(nm, k, s, strlen(s), t, strlen(t), NULL, 0)

static void field_values(names *nm, const cpw_policy *pol, const char *wf, const cpw__field *f)
{
  uint32_t m;
  if ((f->type != T_ENUM && f->type != T_SET) || f->enum_id >= pol->nenums)
    return;
  for (m = 0; m < pol->enums[f->enum_id].nmembers; m++) {
    const char *mem = pol->enums[f->enum_id].members[m];
    if (wf != NULL)
      add_name(nm, "value", wf, strlen(wf), f->name, strlen(f->name), mem, strlen(mem));
    else
      ADD2("value", f->name, mem);
  }
}

/* Every user-visible name of the checked policy, in declaration order. */
static void collect_names(names *nm, const cpw_policy *pol, cpw__decl *decls)
{
  uint32_t i, j;
  cpw__decl *d;
  const cpw__placement_policy *pp = pol->placement;
  ADD1("policy", "");
  for (d = decls; d != NULL; d = d->next)
    if (d->kind == D_CALENDAR) {
      add_name(nm, "calendar", d->name.str, d->name.len, NULL, 0, NULL, 0);
      for (i = 0; i < d->nholidays; i++)
        if (d->holidays[i].name != NULL && d->holidays[i].name_len > 0)
          add_name(nm, "holiday", d->holidays[i].name, d->holidays[i].name_len, NULL, 0, NULL,
                   0);
    }
  for (i = 0; i < pol->nfields; i++) {
    ADD1("field", pol->fields[i].name);
    field_values(nm, pol, NULL, &pol->fields[i]);
  }
  for (i = 0; i < pol->ndefines; i++)
    ADD1("define", pol->defines[i].name);
  for (i = 0; i < pol->nparams; i++)
    ADD1("param", pol->params[i].name);
  for (i = 0; i < pol->nprograms; i++) {
    const struct cpw_program *g = &pol->programs[i];
    ADD1("program", g->id);
    for (j = 0; j < g->nbenefits + g->nservices; j++)
      ADD2(j < g->nbenefits ? "benefit" : "service", g->id, g->items[j].id);
  }
  for (i = 0; i < pol->nworkflows; i++) {
    const struct cpw_workflow *wf = pol->workflows[i];
    ADD1("workflow", wf->name);
    for (j = 0; j < wf->nroles; j++)
      ADD1("role", wf->roles[j]);
    for (j = 0; j < wf->nfields; j++) {
      ADD2("field", wf->name, wf->fields[j].name);
      field_values(nm, pol, wf->name, &wf->fields[j]);
    }
    for (j = 0; j < wf->nstates; j++)
      ADD2("state", wf->name, wf->states[j]);
    for (j = 0; j < wf->nevents; j++)
      ADD2("event", wf->name, wf->events[j]);
  }
  if (pp != NULL) {
    for (i = 0; i < pp->nroles; i++)
      ADD1("role", pp->roles[i]);
    for (i = 0; i < pp->nsettings; i++)
      ADD1("setting", pp->settings[i].id);
    for (i = 0; i < pp->nfacilities; i++) {
      ADD1("facility", pp->facilities[i].id);
      if (pp->facilities[i].region != NULL && pp->facilities[i].region[0] != '\0')
        ADD1("region", pp->facilities[i].region);
    }
    for (i = 0; i < pp->nrules; i++)
      ADD1("reason", pp->rules[i].reason);
  }
}

/* ---------------------------------------------------------------- checks */

static int is_kind(const cpw__ast_name *k)
{
  size_t i;
  for (i = 0; i < CPW__ARRAY_LEN(kinds); i++)
    if (strlen(kinds[i]) == k->len && memcmp(kinds[i], k->str, k->len) == 0)
      return 1;
  return 0;
}

static cpw__labels *language(cpw__checker *ck, cpw__decl *d)
{
  cpw_policy *pol = ck->pol;
  cpw__labels *lab;
  const cpw__lang *base;
  char tag[40];
  uint32_t i;
  int m;
  for (i = 0; i < pol->nlabels; i++)
    if (strlen(pol->labels[i].tag) == d->name.len &&
        memcmp(pol->labels[i].tag, d->name.str, d->name.len) == 0)
      return &pol->labels[i];
  lab = &pol->labels[pol->nlabels];
  memset(lab, 0, sizeof *lab);
  lab->tag = cpw__pol_str(ck, d->name.str, d->name.len);
  lab->title = cpw__pol_str(ck, d->title, d->title_len);
  if (lab->tag == NULL || lab->title == NULL)
    return NULL;
  cpw__map_init(&lab->index, pol->ctx);
  lab->file = d->file;
  lab->line = d->line;
  lab->col = d->col;
  snprintf(tag, sizeof tag, "%s", lab->tag);
  base = cpw__lang_get(tag);
  if (base == NULL || tag[0] == '\0')
    base = cpw__lang_get("en"); /* a language the library does not have: English words */
  for (m = 0; m < MSG__COUNT; m++)
    lab->msgs[m] = base->msg[m];
  lab->lang.tag = lab->tag;
  lab->lang.name = lab->title[0] != '\0' ? lab->title : lab->tag;
  lab->lang.msg = lab->msgs;
  lab->lang.style = base->style;
  lab->lang.labels = 1;
  pol->nlabels++;
  return lab;
}

static void add_label(cpw__checker *ck, cpw__labels *lab, const char *key, size_t klen,
                      const cpw__label_entry *e, const char *file)
{
  uint32_t prev;
  const char *k, *text;
  if (cpw__map_get(&lab->index, key, klen, &prev)) {
    cpw__check_warning(ck, file, e->line, e->col, "labels %s: %.*s '%.*s' has a label already",
                       lab->tag, (int)e->kind.len, e->kind.str, (int)e->name_len, e->name);
    return;
  }
  if (lab->ntexts == lab->cap) {
    uint32_t cap = lab->cap == 0 ? 64 : lab->cap * 2;
    const char **t = cpw__check_alloc(ck, cap * sizeof *t);
    const char **ks = cpw__check_alloc(ck, cap * sizeof *ks);
    if (t == NULL || ks == NULL)
      return;
    if (lab->ntexts > 0) {
      memcpy((void *)t, (const void *)lab->texts, lab->ntexts * sizeof *t);
      memcpy((void *)ks, (const void *)lab->keys, lab->ntexts * sizeof *ks);
    }
    lab->texts = t;
    lab->keys = ks;
    lab->cap = cap;
  }
  k = cpw__pol_str(ck, key, klen);
  text = cpw__pol_str(ck, e->text, e->text_len);
  if (k == NULL || text == NULL)
    return;
  if (cpw__map_put(&lab->index, k, klen, lab->ntexts) != CPW_OK) {
    ck->diags->oom = 1;
    return;
  }
  lab->keys[lab->ntexts] = k;
  lab->texts[lab->ntexts++] = text;
}

static void check_entry(cpw__checker *ck, cpw__labels *lab, const names *nm,
                        const cpw__label_entry *e, const char *file)
{
  char key[600];
  size_t klen;
  if (e->kind.len == 7 && memcmp(e->kind.str, "message", 7) == 0) {
    int m = cpw__msg_find(e->name, e->name_len);
    if (m < 0) {
      cpw__check_warning(ck, file, e->line, e->col,
                         "labels %s: there is no message '%.*s' (see docs/policy-language.md)",
                         lab->tag, (int)(e->name_len > 60 ? 60 : e->name_len), e->name);
      return;
    }
    lab->msgs[m] = cpw__pol_str(ck, e->text, e->text_len);
    return;
  }
  if (!is_kind(&e->kind)) {
    cpw__check_error(ck, file, e->kind.line, e->kind.col,
                     "labels %s: '%.*s' is not a kind of name (policy, calendar, holiday, "
                     "field, value, define, param, program, benefit, service, workflow, "
                     "state, event, role, setting, facility, region, reason, message)",
                     lab->tag, (int)(e->kind.len > 40 ? 40 : e->kind.len), e->kind.str);
    return;
  }
  if (e->kind.len + 1 + e->name_len >= sizeof key) {
    cpw__check_warning(ck, file, e->line, e->col, "labels %s: the name is too long", lab->tag);
    return;
  }
  klen = (size_t)snprintf(key, sizeof key, "%.*s:%.*s", (int)e->kind.len, e->kind.str,
                          (int)e->name_len, e->name);
  if (!cpw__map_get(&nm->set, key, klen, NULL)) {
    cpw__check_warning(ck, file, e->line, e->col,
                       "labels %s: a label for %.*s '%.*s', which the policy does not have",
                       lab->tag, (int)e->kind.len, e->kind.str,
                       (int)(e->name_len > 120 ? 120 : e->name_len), e->name);
    return;
  }
  if (e->text_len == 0) {
    cpw__check_warning(ck, file, e->line, e->col, "labels %s: the label of %.*s '%.*s' is empty",
                       lab->tag, (int)e->kind.len, e->kind.str, (int)e->name_len, e->name);
    return;
  }
  add_label(ck, lab, key, klen, e, file);
}

void cpw__check_labels(cpw__checker *ck, cpw__decl *decls)
{
  cpw_policy *pol = ck->pol;
  names nm;
  cpw__decl *d;
  uint32_t count = 0, i, k;
  for (d = decls; d != NULL; d = d->next)
    count += d->kind == D_LABELS;
  if (count == 0)
    return;
  pol->labels = cpw__check_alloc(ck, count * sizeof *pol->labels);
  if (pol->labels == NULL)
    return;
  memset(&nm, 0, sizeof nm);
  nm.ck = ck;
  cpw__arena_init(&nm.arena, pol->ctx);
  cpw__map_init(&nm.set, pol->ctx);
  collect_names(&nm, pol, decls);
  if (nm.oom)
    ck->diags->oom = 1;
  for (d = decls; d != NULL && !ck->diags->oom; d = d->next) {
    const cpw__labels_ast *a = d->ext;
    cpw__labels *lab;
    if (d->kind != D_LABELS)
      continue;
    lab = language(ck, d);
    if (lab == NULL)
      break;
    for (i = 0; i < a->nentries && !ck->diags->oom; i++)
      check_entry(ck, lab, &nm, &a->entries[i], d->file);
  }
  /* every name a user sees, in every language declared */
  for (k = 0; k < pol->nlabels && !ck->diags->oom; k++) {
    const cpw__labels *lab = &pol->labels[k];
    const cpw__lang *builtin = cpw__lang_get(lab->tag);
    int untranslated = 0, m;
    for (i = 0; i < nm.n; i++) {
      const char *key = nm.order[i], *colon = strchr(key, ':');
      if (cpw__map_get(&lab->index, key, strlen(key), NULL))
        continue;
      if (colon[1] == '\0')
        cpw__check_warning(ck, lab->file, lab->line, lab->col, "labels %s: no label for the %.*s",
                           lab->tag, (int)(colon - key), key);
      else if (strncmp(key, "holiday:", 8) == 0 || strncmp(key, "region:", 7) == 0 ||
               strncmp(key, "reason:", 7) == 0) /* named by a text: as the line to add */
        cpw__check_warning(ck, lab->file, lab->line, lab->col,
                           "labels %s: no label for %.*s \"%s\"", lab->tag, (int)(colon - key),
                           key, colon + 1);
      else
        cpw__check_warning(ck, lab->file, lab->line, lab->col,
                           "labels %s: no label for %.*s %s", lab->tag, (int)(colon - key), key,
                           colon + 1);
    }
    /* a language the library does not have: its words are English until translated */
    for (m = 0; builtin == NULL && m < MSG__COUNT; m++)
      untranslated += lab->msgs[m] == cpw__lang_get("en")->msg[m];
    if (untranslated > 0)
      cpw__check_warning(ck, lab->file, lab->line, lab->col,
                         "labels %s: %d of the library's fixed words are not translated and "
                         "are shown in English (add message KEY \"...\" lines; "
                         "docs/policy-language.md lists the keys)",
                         lab->tag, untranslated);
  }
  cpw__map_free(&nm.set);
  cpw__arena_free(&nm.arena);
}

void cpw__labels_free_maps(struct cpw_policy *pol)
{
  uint32_t i;
  for (i = 0; i < pol->nlabels; i++)
    cpw__map_free(&pol->labels[i].index);
}

/* ---------------------------------------------------------------- lookup */

const cpw__labels *cpw__labels_find(const struct cpw_policy *pol, const char *tag)
{
  uint32_t i;
  if (pol == NULL || tag == NULL)
    return NULL;
  for (i = 0; i < pol->nlabels; i++)
    if (strcmp(pol->labels[i].tag, tag) == 0)
      return &pol->labels[i];
  return NULL;
}

const cpw__lang *cpw__policy_lang(const struct cpw_policy *pol, const char *tag)
{
  const cpw__labels *lab;
  if (tag == NULL || tag[0] == '\0')
    return cpw__lang_names();
  lab = cpw__labels_find(pol, tag);
  return lab != NULL ? &lab->lang : cpw__lang_get(tag);
}

const char *cpw__label(const struct cpw_policy *pol, const cpw__lang *lang, const char *kind,
                       const char *name, size_t name_len)
{
  const cpw__labels *lab;
  char key[600];
  size_t klen = strlen(kind);
  uint32_t v;
  if (lang == NULL || !lang->labels || pol == NULL || klen + 1 + name_len >= sizeof key)
    return NULL;
  lab = cpw__labels_find(pol, lang->tag);
  if (lab == NULL)
    return NULL;
  memcpy(key, kind, klen);
  key[klen] = ':';
  memcpy(key + klen + 1, name, name_len);
  klen += 1 + name_len;
  key[klen] = '\0';
  return cpw__map_get(&lab->index, key, klen, &v) ? lab->texts[v] : NULL;
}

static const char *member_label(const struct cpw_policy *pol, const cpw__lang *lang,
                                const char *wf, const cpw__field *f, const char *member)
{
  char name[400];
  int n = wf != NULL ? snprintf(name, sizeof name, "%s.%s.%s", wf, f->name, member)
                     : snprintf(name, sizeof name, "%s.%s", f->name, member);
  if (n < 0 || (size_t)n >= sizeof name)
    return NULL;
  return cpw__label(pol, lang, "value", name, (size_t)n);
}

const char *cpw__enum_label(const struct cpw_policy *pol, const cpw__lang *lang,
                            const struct cpw_workflow *wf, uint16_t enum_id, uint32_t member)
{
  uint32_t i;
  const char *mem, *l;
  if (lang == NULL || !lang->labels || enum_id >= pol->nenums ||
      member >= pol->enums[enum_id].nmembers)
    return NULL;
  mem = pol->enums[enum_id].members[member];
  if (wf != NULL)
    for (i = 0; i < wf->nfields; i++)
      if (wf->fields[i].enum_id == enum_id &&
          (wf->fields[i].type == T_ENUM || wf->fields[i].type == T_SET) &&
          (l = member_label(pol, lang, wf->name, &wf->fields[i], mem)) != NULL)
        return l;
  for (i = 0; i < pol->nfields; i++)
    if (pol->fields[i].enum_id == enum_id &&
        (pol->fields[i].type == T_ENUM || pol->fields[i].type == T_SET) &&
        (l = member_label(pol, lang, NULL, &pol->fields[i], mem)) != NULL)
      return l;
  return NULL;
}

/* ---------------------------------------------------------------- public */

const char *cpw_policy_label(const cpw_policy *policy, const char *lang, const char *kind,
                             const char *name)
{
  const cpw__labels *lab;
  if (policy == NULL || lang == NULL || kind == NULL || name == NULL)
    return NULL;
  lab = cpw__labels_find(policy, lang);
  return lab != NULL ? cpw__label(policy, &lab->lang, kind, name, strlen(name)) : NULL;
}

const char *cpw_policy_name_of_label(const cpw_policy *policy, const char *lang,
                                     const char *kind, const char *label)
{
  uint32_t i, k;
  size_t kl;
  if (policy == NULL || kind == NULL || label == NULL)
    return NULL;
  kl = strlen(kind);
  for (k = 0; k < policy->nlabels; k++) {
    const cpw__labels *lab = &policy->labels[k];
    if (lang != NULL && strcmp(lab->tag, lang) != 0)
      continue;
    for (i = 0; i < lab->ntexts; i++)
      if (strncmp(lab->keys[i], kind, kl) == 0 && lab->keys[i][kl] == ':' &&
          strcmp(lab->texts[i], label) == 0)
        return lab->keys[i] + kl + 1;
  }
  return NULL;
}

size_t cpw_policy_language_count(const cpw_policy *policy)
{
  return policy != NULL ? policy->nlabels : 0;
}

const char *cpw_policy_language(const cpw_policy *policy, size_t index)
{
  return policy != NULL && index < policy->nlabels ? policy->labels[index].tag : NULL;
}

const char *cpw_policy_message(const cpw_policy *policy, const char *lang, const char *key)
{
  const cpw__lang *l;
  int m;
  if (policy == NULL || key == NULL)
    return NULL;
  l = cpw__policy_lang(policy, lang);
  m = cpw__msg_find(key, strlen(key));
  return l != NULL && m >= 0 ? l->msg[m] : NULL;
}
