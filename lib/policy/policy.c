/* SPDX-License-Identifier: Apache-2.0 */
/* policy/policy.c: the public face of the policy floor: compile, free, read what a policy
 * declares, and the embedded default policy. */
#include <errno.h>
#include <stdio.h>

#include "base/sha256.h"
#include "policy/basis_syntax.h"
#include "policy/check.h"
#include "policy/code.h"
#include "policy/embedded.h"
#include "policy/labels_syntax.h"
#include "policy/parse.h"
#include "policy/pl_syntax.h"
#include "policy/wf_syntax.h"

/* ------------------------------------------------------------------ diagnostics */

struct cpw_diagnostics {
  cpw_ctx *ctx;
  cpw__arena arena;
  cpw_diagnostic *items;
  size_t count;
};

static int export_diags(cpw_ctx *ctx, const cpw__diags *d, cpw_diagnostics **out)
{
  cpw_diagnostics *x = cpw__calloc(ctx, 1, sizeof *x);
  size_t i;
  if (x == NULL)
    return CPW_ENOMEM;
  x->ctx = ctx;
  cpw__arena_init(&x->arena, ctx);
  x->items = cpw__arena_alloc(&x->arena, (d->count + 1) * sizeof *x->items);
  if (x->items == NULL)
    goto oom;
  for (i = 0; i < d->count; i++) {
    const cpw__diag *g = &d->items[i];
    cpw_diagnostic *o = &x->items[i];
    o->severity = g->severity;
    o->line = g->line;
    o->column = g->col;
    o->file = cpw__arena_strndup(&x->arena, g->file != NULL ? g->file : "",
                                 g->file != NULL ? strlen(g->file) : 0);
    o->message = cpw__arena_strndup(&x->arena, g->message, strlen(g->message));
    if (o->file == NULL || o->message == NULL)
      goto oom;
  }
  x->count = d->count;
  *out = x;
  return CPW_OK;
oom:
  cpw_diagnostics_free(x);
  return CPW_ENOMEM;
}

size_t cpw_diagnostics_count(const cpw_diagnostics *diags)
{
  return diags != NULL ? diags->count : 0;
}

const cpw_diagnostic *cpw_diagnostics_get(const cpw_diagnostics *diags, size_t i)
{
  return diags != NULL && i < diags->count ? &diags->items[i] : NULL;
}

void cpw_diagnostics_free(cpw_diagnostics *diags)
{
  if (diags == NULL)
    return;
  cpw__arena_free(&diags->arena);
  cpw__free(diags->ctx, diags, sizeof *diags);
}

/* Diagnostics are reported by phase (syntax, then names and types, then code); the API
 * promises them in source order: by file (in the order given), line, then column. */
static uint32_t file_rank(const cpw_policy *pol, const char *file)
{
  uint32_t k;
  for (k = 0; k < pol->nsources; k++)
    if (pol->source_names[k] == file)
      return k;
  return pol->nsources;
}

static int diag_before(const cpw_policy *pol, const cpw__diag *a, const cpw__diag *b)
{
  uint32_t fa = file_rank(pol, a->file), fb = file_rank(pol, b->file);
  if (fa != fb)
    return fa < fb;
  if (a->line != b->line)
    return a->line < b->line;
  return a->col < b->col;
}

static void sort_diags(const cpw_policy *pol, cpw__diags *d)
{
  size_t i, j;
  for (i = 1; i < d->count; i++) { /* stable insertion sort: at most CPW__MAX_DIAGS items */
    cpw__diag x = d->items[i];
    for (j = i; j > 0 && diag_before(pol, &x, &d->items[j - 1]); j--)
      d->items[j] = d->items[j - 1];
    d->items[j] = x;
  }
}

/* ------------------------------------------------------------------ compile */

void cpw_policy_free(cpw_policy *pol)
{
  uint32_t i;
  if (pol == NULL)
    return;
  for (i = 0; i < pol->ncalendars; i++)
    cpw_calendar_free(pol->calendars[i].cal);
  for (i = 0; i < pol->nenums; i++)
    cpw__map_free(&pol->enums[i].index);
  for (i = 0; i < pol->nworkflows; i++)
    cpw__workflow_free_maps(pol->workflows[i]);
  cpw__placement_free_maps(pol->placement);
  cpw__labels_free_maps(pol);
  cpw__map_free(&pol->field_index);
  cpw__map_free(&pol->param_index);
  cpw__map_free(&pol->define_index);
  cpw__map_free(&pol->program_index);
  cpw__map_free(&pol->workflow_index);
  cpw__map_free(&pol->cite_index);
  cpw__free(pol->ctx, pol->rules, pol->rules_cap * sizeof *pol->rules);
  cpw__arena_free(&pol->arena);
  cpw__free(pol->ctx, pol, sizeof *pol);
}

/* The content hash: SHA-256 over each text, in order, after its length (8 bytes, little
 * endian). Names are left out: how a path was spelled (good.cpw, ./good.cpw, /abs/good.cpw)
 * must not change the policy a journal or a decision records. */
static void hash_sources(cpw_policy *pol, const cpw_policy_source *src, size_t n)
{
  cpw__sha256_ctx h;
  size_t i;
  cpw__sha256_init(&h);
  for (i = 0; i < n; i++) {
    uint8_t len[8];
    uint64_t l = src[i].len;
    int b;
    for (b = 0; b < 8; b++)
      len[b] = (uint8_t)(l >> (8 * b));
    cpw__sha256_update(&h, len, sizeof len);
    cpw__sha256_update(&h, src[i].text, src[i].len);
  }
  cpw__sha256_final(&h, pol->hash);
  cpw__hex(pol->hash_hex, pol->hash, 32);
}

int cpw_policy_compile(cpw_policy **out, cpw_ctx *ctx, const cpw_policy_source *sources,
                       size_t nsources, cpw_diagnostics **diags_out)
{
  cpw_policy *pol;
  cpw__diags diags;
  cpw__checker ck;
  cpw__compiler cc;
  cpw__decl *decls = NULL, **tail = &decls;
  size_t i;
  int rc = CPW_OK;

  if (out != NULL)
    *out = NULL;
  if (diags_out != NULL)
    *diags_out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL || (sources == NULL && nsources != 0))
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_policy_compile: NULL argument");
  if (nsources > 10000)
    return cpw__set_error(ctx, CPW_ELIMIT, "too many policy sources");
  for (i = 0; i < nsources; i++)
    if (sources[i].text == NULL && sources[i].len != 0)
      return cpw__set_error(ctx, CPW_EINVALID, "policy source %zu has no text", i);

  pol = cpw__calloc(ctx, 1, sizeof *pol);
  if (pol == NULL)
    return CPW_ENOMEM;
  pol->ctx = ctx;
  cpw__arena_init(&pol->arena, ctx);
  cpw__map_init(&pol->field_index, ctx);
  cpw__map_init(&pol->param_index, ctx);
  cpw__map_init(&pol->define_index, ctx);
  cpw__map_init(&pol->program_index, ctx);
  cpw__map_init(&pol->workflow_index, ctx);
  cpw__map_init(&pol->cite_index, ctx);
  cpw__diags_init(&diags, ctx);
  memset(&ck, 0, sizeof ck);
  ck.pol = pol;
  ck.diags = &diags;
  cpw__map_init(&ck.enum_keys, ctx);
  cpw__compiler_init(&cc, pol, &diags);

  hash_sources(pol, sources, nsources);
  pol->source_names = cpw__arena_alloc(&pol->arena, (nsources + 1) * sizeof *pol->source_names);
  if (pol->source_names == NULL)
    diags.oom = 1;
  for (i = 0; i < nsources && !diags.oom; i++) {
    /* the policy keeps its own copy of each text: explanations quote it */
    const char *name = sources[i].name != NULL ? sources[i].name : "<policy>";
    char *text = cpw__arena_strndup(&pol->arena, sources[i].text != NULL ? sources[i].text : "",
                                    sources[i].len);
    const char *nm = cpw__arena_strndup(&pol->arena, name, strlen(name));
    if (text == NULL || nm == NULL) {
      diags.oom = 1;
      break;
    }
    pol->source_names[pol->nsources++] = nm;
    cpw__parse_file(nm, text, sources[i].len, &pol->arena, &diags, &tail);
  }
  if (!diags.oom && diags.errors == 0 && decls == NULL && nsources > 0)
    cpw__diag_add(&diags, CPW__SEV_WARNING, pol->source_names[0], 1, 1,
                  "the policy is empty: it declares nothing");
  if (!diags.oom && diags.errors == 0)
    cpw__check_decls(&ck, decls);
  if (!diags.oom && diags.errors == 0)
    cpw__compile_programs(&cc);
  if (!diags.oom && diags.errors == 0) {
    cpw__decl *d;
    for (d = decls; d != NULL && !diags.oom; d = d->next)
      if (d->kind == D_WORKFLOW)
        cpw__check_workflow(&ck, &cc, d);
    if (!diags.oom && diags.errors == 0)
      cpw__check_settings(&ck, &cc, decls);
    if (!diags.oom && diags.errors == 0)
      cpw__check_labels(&ck, decls);
  }
  cpw__compiler_free(&cc);
  cpw__map_free(&ck.enum_keys);
  if (!diags.oom)
    sort_diags(pol, &diags);

  if (diags.oom) {
    rc = cpw__set_error(ctx, CPW_ENOMEM, "out of memory while compiling the policy");
  } else if (diags.errors != 0) {
    const cpw__diag *first = NULL;
    for (i = 0; i < diags.count; i++)
      if (diags.items[i].severity == CPW__SEV_ERROR) {
        first = &diags.items[i];
        break;
      }
    if (first != NULL)
      cpw__set_error_at(ctx, CPW_EPOLICY, first->file, first->line, first->col, "%s%s",
                        first->message,
                        diags.errors > 1 ? " (and more errors: see the diagnostics)" : "");
    else
      cpw__set_error(ctx, CPW_EPOLICY, "the policy has errors");
    rc = CPW_EPOLICY;
  }
  if (diags_out != NULL && rc != CPW_ENOMEM) {
    int drc = export_diags(ctx, &diags, diags_out);
    if (drc != CPW_OK)
      rc = cpw__set_error(ctx, CPW_ENOMEM, "out of memory while reporting diagnostics");
  }
  cpw__diags_free(&diags);
  if (rc != CPW_OK) {
    cpw_policy_free(pol);
    return rc;
  }
  *out = pol;
  return CPW_OK;
}

int cpw_policy_from_string(cpw_policy **out, cpw_ctx *ctx, const char *name, const char *text,
                           size_t len)
{
  cpw_policy_source s;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (text == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_policy_from_string: NULL text");
  s.name = name != NULL ? name : "<string>";
  s.text = text;
  s.len = len;
  return cpw_policy_compile(out, ctx, &s, 1, NULL);
}

#define MAX_POLICY_FILE (64u * 1024u * 1024u)

int cpw_policy_from_file(cpw_policy **out, cpw_ctx *ctx, const char *path)
{
  FILE *f;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL || path == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_policy_from_file: NULL argument");
  f = fopen(path, "rb");
  if (f == NULL)
    return cpw__set_os_error(ctx, errno, path, "cannot open policy file");
  for (;;) {
    size_t got;
    if (len + 4096 > cap) {
      if (cap >= MAX_POLICY_FILE) {
        (void)fclose(f);
        cpw__free(ctx, buf, cap);
        return cpw__set_error(ctx, CPW_ELIMIT, "policy file is larger than 64 MiB");
      }
      if (cpw__grow(ctx, (void **)&buf, &cap, len + 4096, 1) != CPW_OK) {
        (void)fclose(f);
        cpw__free(ctx, buf, cap);
        return CPW_ENOMEM;
      }
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) {
        int e = errno;
        (void)fclose(f);
        cpw__free(ctx, buf, cap);
        return cpw__set_os_error(ctx, e, path, "cannot read policy file");
      }
      break;
    }
  }
  (void)fclose(f); /* read only: nothing to lose on close */
  {
    cpw_policy_source s;
    s.name = path;
    s.text = buf != NULL ? buf : "";
    s.len = len;
    rc = cpw_policy_compile(out, ctx, &s, 1, NULL);
  }
  cpw__free(ctx, buf, cap);
  return rc;
}

int cpw_policy_default(cpw_policy **out, cpw_ctx *ctx)
{
  cpw_policy_source src[16];
  unsigned i, n = cpw__default_policy_file_count;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (n > 16)
    return cpw__set_error(ctx, CPW_ERROR, "too many embedded policy files");
  for (i = 0; i < n; i++) {
    src[i].name = cpw__default_policy_files[i].name;
    src[i].text = cpw__default_policy_files[i].text;
    src[i].len = cpw__default_policy_files[i].len;
  }
  return cpw_policy_compile(out, ctx, src, n, NULL);
}

/* Georgia's calendar: the default policy's, copied, so that there is one list of holidays
 * and days off (00-policy.cpw) with their sources. */
int cpw_calendar_new_georgia(cpw_calendar **out, cpw_ctx *ctx)
{
  cpw_policy *pol = NULL;
  const cpw_calendar *cal;
  int rc;
  if (out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_calendar_new_georgia: out is NULL");
  *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  rc = cpw_policy_default(&pol, ctx);
  if (rc != CPW_OK)
    return rc;
  cal = cpw_policy_calendar(pol, "georgia");
  if (cal == NULL)
    rc = cpw__set_error(ctx, CPW_ERROR, "the default policy has no calendar 'georgia'");
  else
    rc = cpw__calendar_copy(out, ctx, cal, "Georgia");
  cpw_policy_free(pol);
  return rc;
}

size_t cpw_policy_default_source_count(void)
{
  return cpw__default_policy_file_count;
}

const char *cpw_policy_default_source(size_t index, const char **name, size_t *len)
{
  if (index >= cpw__default_policy_file_count)
    return NULL;
  if (name != NULL)
    *name = cpw__default_policy_files[index].name;
  if (len != NULL)
    *len = cpw__default_policy_files[index].len;
  return cpw__default_policy_files[index].text;
}

/* ------------------------------------------------------------------ accessors */

const char *cpw_policy_name(const cpw_policy *p) { return p != NULL ? p->name : NULL; }
const char *cpw_policy_title(const cpw_policy *p) { return p != NULL ? p->title : NULL; }
const char *cpw_policy_version(const cpw_policy *p) { return p != NULL ? p->version : NULL; }
const char *cpw_policy_hash(const cpw_policy *p) { return p != NULL ? p->hash_hex : NULL; }
int cpw_policy_timezone(const cpw_policy *p) { return p != NULL ? p->tz_minutes : 0; }

const cpw_calendar *cpw_policy_calendar(const cpw_policy *p, const char *name)
{
  uint32_t i;
  if (p == NULL || p->ncalendars == 0)
    return NULL;
  if (name == NULL)
    return p->calendars[0].cal;
  for (i = 0; i < p->ncalendars; i++)
    if (strcmp(p->calendars[i].name, name) == 0)
      return p->calendars[i].cal;
  return NULL;
}

size_t cpw_policy_field_count(const cpw_policy *p) { return p != NULL ? p->nfields : 0; }

int cpw_policy_field_index(const cpw_policy *p, const char *name, size_t *index)
{
  uint32_t v;
  if (p == NULL || name == NULL)
    return CPW_EINVALID;
  if (!cpw__map_get(&p->field_index, name, strlen(name), &v))
    return CPW_ENOTFOUND;
  if (index != NULL)
    *index = v;
  return CPW_OK;
}

const char *cpw_policy_field_name(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->nfields ? p->fields[i].name : NULL;
}

static int public_type(uint8_t t)
{
  switch (t) {
  case T_BOOL: return CPW_TYPE_BOOL;
  case T_INT: return CPW_TYPE_INT;
  case T_MONEY: return CPW_TYPE_MONEY;
  case T_DATE: return CPW_TYPE_DATE;
  case T_DATETIME: return CPW_TYPE_DATETIME;
  case T_TEXT: return CPW_TYPE_TEXT;
  case T_ENUM: return CPW_TYPE_ENUM;
  case T_SET: return CPW_TYPE_SET;
  default: return 0;
  }
}

int cpw_policy_field_type(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->nfields ? public_type(p->fields[i].type) : 0;
}

const char *cpw_policy_field_description(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->nfields ? p->fields[i].title : NULL;
}

size_t cpw_policy_field_value_count(const cpw_policy *p, size_t i)
{
  if (p == NULL || i >= p->nfields ||
      (p->fields[i].type != T_ENUM && p->fields[i].type != T_SET))
    return 0;
  return p->enums[p->fields[i].enum_id].nmembers;
}

const char *cpw_policy_field_value(const cpw_policy *p, size_t i, size_t v)
{
  if (v >= cpw_policy_field_value_count(p, i))
    return NULL;
  return p->enums[p->fields[i].enum_id].members[v];
}

int cpw_policy_field_value_index(const cpw_policy *p, size_t i, const char *value, size_t *out)
{
  uint32_t v;
  if (p == NULL || value == NULL || i >= p->nfields)
    return CPW_EINVALID;
  if (cpw_policy_field_value_count(p, i) == 0)
    return CPW_EINVALID;
  if (!cpw__map_get(&p->enums[p->fields[i].enum_id].index, value, strlen(value), &v))
    return CPW_ENOTFOUND;
  if (out != NULL)
    *out = v;
  return CPW_OK;
}

const char *cpw_type_name(int type)
{
  switch (type) {
  case CPW_TYPE_BOOL: return "bool";
  case CPW_TYPE_INT: return "int";
  case CPW_TYPE_MONEY: return "money";
  case CPW_TYPE_DATE: return "date";
  case CPW_TYPE_DATETIME: return "datetime";
  case CPW_TYPE_TEXT: return "text";
  case CPW_TYPE_ENUM: return "enum";
  case CPW_TYPE_SET: return "set";
  default: return "unknown";
  }
}

size_t cpw_policy_program_count(const cpw_policy *p) { return p != NULL ? p->nprograms : 0; }

const cpw_program *cpw_policy_program_at(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->nprograms ? &p->programs[i] : NULL;
}

const cpw_program *cpw_policy_program(const cpw_policy *p, const char *id)
{
  uint32_t v;
  if (p == NULL || id == NULL || !cpw__map_get(&p->program_index, id, strlen(id), &v))
    return NULL;
  return &p->programs[v];
}

const cpw_policy *cpw_program_policy(const cpw_program *g) { return g != NULL ? g->policy : NULL; }
const char *cpw_program_id(const cpw_program *g) { return g != NULL ? g->id : NULL; }
const char *cpw_program_title(const cpw_program *g) { return g != NULL ? g->title : NULL; }
const char *cpw_program_source(const cpw_program *g) { return g != NULL ? g->source : NULL; }
cpw_date cpw_program_from(const cpw_program *g) { return g != NULL ? (cpw_date)g->from : 0; }
cpw_date cpw_program_until(const cpw_program *g) { return g != NULL ? (cpw_date)g->until : 0; }
size_t cpw_program_service_count(const cpw_program *g) { return g != NULL ? g->nservices : 0; }
size_t cpw_program_benefit_count(const cpw_program *g) { return g != NULL ? g->nbenefits : 0; }

const char *cpw_program_service(const cpw_program *g, size_t i)
{
  return g != NULL && i < g->nservices ? g->items[g->nbenefits + i].id : NULL;
}

const char *cpw_program_benefit(const cpw_program *g, size_t i)
{
  return g != NULL && i < g->nbenefits ? g->items[i].id : NULL;
}

size_t cpw_program_field_count(const cpw_program *g)
{
  return g != NULL ? g->nslots_used : 0;
}

size_t cpw_program_field(const cpw_program *g, size_t i)
{
  return g != NULL && i < g->nslots_used ? g->slots_used[i] : (size_t)-1;
}
