/* SPDX-License-Identifier: Apache-2.0 */
/* eligibility/record.c: records of field values, with typed setters, text and JSON input. */
#include "eligibility/record.h"

#include <stdio.h>

#include "base/arena.h"
#include "base/json.h"
#include "base/map.h"
#include "base/utf8.h"
#include "policy/value.h"

/* A record of n fields is one block: the struct (rounded up to 8 bytes), then 4 arrays of
 * n + 1 words (pointers take no more than a word). */
#define RECORD_HEAD ((sizeof(cpw_record) + 7) & ~(size_t)7)

static size_t record_size(uint32_t n)
{
  return RECORD_HEAD + 4 * ((size_t)n + 1) * sizeof(int64_t);
}

int cpw_record_new(cpw_record **out, cpw_ctx *ctx, const cpw_policy *policy)
{
  cpw_record *r;
  uint32_t i, n;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL || policy == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_record_new: NULL argument");
  n = policy->nfields;
  /* one block, the struct then what an evaluation reads, in the order it reads it (known
   * marks, values), then the VM's column pointers and the texts: a few neighbouring cache
   * lines a record */
  r = cpw__calloc(ctx, 1, record_size(n));
  if (r == NULL)
    return CPW_ENOMEM;
  r->ctx = ctx;
  r->policy = policy;
  r->n = n;
  r->known = (uint64_t *)(void *)((char *)r + RECORD_HEAD);
  r->vals = (int64_t *)(r->known + n + 1);
  r->cols = (const int64_t **)(void *)(r->vals + n + 1);
  r->texts = (char **)(void *)((char *)r->cols + ((size_t)n + 1) * sizeof(int64_t));
  for (i = 0; i < n; i++)
    r->cols[i] = &r->vals[i];
  *out = r;
  return CPW_OK;
}

/* Field f is set (k 1) or not (k 0): its mark in known[] and in the mask, always together */
static void mark(cpw_record *r, uint32_t f, uint64_t k)
{
  r->known[f] = k;
  if (f < 64)
    r->mask = (r->mask & ~(UINT64_C(1) << f)) | (k << f);
}

static void drop_text(cpw_record *r, uint32_t f)
{
  if (r->texts[f] != NULL) {
    cpw__free(r->ctx, r->texts[f], strlen(r->texts[f]) + 1);
    r->texts[f] = NULL;
  }
}

void cpw_record_free(cpw_record *r)
{
  uint32_t i;
  if (r == NULL)
    return;
  for (i = 0; i < r->n; i++)
    drop_text(r, i);
  cpw__free(r->ctx, r, record_size(r->n));
}

void cpw_record_clear(cpw_record *r)
{
  uint32_t i;
  if (r == NULL)
    return;
  for (i = 0; i < r->n; i++) {
    drop_text(r, i);
    mark(r, i, 0);
    r->vals[i] = 0;
  }
}

/* Find field `name`; check its type is one of `types` (bit per cpw__type). */
static int lookup(cpw_record *r, const char *name, unsigned types, uint32_t *f)
{
  const cpw_policy *pol;
  *f = 0; /* defined on every path, errors included */
  if (r == NULL)
    return CPW_EINVALID;
  if (name == NULL)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field name is NULL");
  pol = r->policy;
  if (!cpw__map_get(&pol->field_index, name, strlen(name), f)) {
    size_t n = strlen(name);
    return cpw__set_error(r->ctx, CPW_ENOTFOUND, "unknown field '%.*s'", (int)(n > 64 ? 64 : n),
                          name);
  }
  if (types != 0 && !((types >> pol->fields[*f].type) & 1u))
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s' is of type %s",
                          pol->fields[*f].name, cpw__type_name(pol->fields[*f].type));
  return CPW_OK;
}

static void store(cpw_record *r, uint32_t f, int64_t v)
{
  drop_text(r, f);
  r->vals[f] = v;
  mark(r, f, 1);
}

#define TBIT(t) (1u << (t))

int cpw_record_set_bool(cpw_record *r, const char *field, int value)
{
  uint32_t f;
  int rc = lookup(r, field, TBIT(T_BOOL), &f);
  if (rc == CPW_OK)
    store(r, f, value != 0);
  return rc;
}

int cpw_record_set_int(cpw_record *r, const char *field, int64_t value)
{
  uint32_t f;
  int rc = lookup(r, field, TBIT(T_INT), &f);
  if (rc == CPW_OK)
    store(r, f, value);
  return rc;
}

int cpw_record_set_money(cpw_record *r, const char *field, cpw_money value)
{
  uint32_t f;
  int rc = lookup(r, field, TBIT(T_MONEY), &f);
  if (rc == CPW_OK)
    store(r, f, value);
  return rc;
}

int cpw_record_set_date(cpw_record *r, const char *field, cpw_date value)
{
  uint32_t f;
  int rc = lookup(r, field, TBIT(T_DATE), &f);
  if (rc != CPW_OK)
    return rc;
  if (value < CPW_DATE_MIN || value > CPW_DATE_MAX)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': date out of range", field);
  store(r, f, value);
  return CPW_OK;
}

int cpw_record_set_datetime(cpw_record *r, const char *field, cpw_time value)
{
  uint32_t f;
  int rc = lookup(r, field, TBIT(T_DATETIME), &f);
  if (rc != CPW_OK)
    return rc;
  if (value < (int64_t)CPW_DATE_MIN * 86400 || value > ((int64_t)CPW_DATE_MAX + 1) * 86400 - 1)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': time out of range", field);
  store(r, f, value);
  return CPW_OK;
}

static int member(cpw_record *r, uint32_t f, const char *value, size_t len, int64_t *out)
{
  const cpw_policy *pol = r->policy;
  uint32_t v;
  *out = 0; /* defined on every path, errors included */
  if (!cpw__map_get(&pol->enums[pol->fields[f].enum_id].index, value, len, &v))
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': not one of its values",
                          pol->fields[f].name);
  *out = v;
  return CPW_OK;
}

int cpw_record_set_enum(cpw_record *r, const char *field, const char *value)
{
  uint32_t f;
  int64_t v = 0;
  int rc = lookup(r, field, TBIT(T_ENUM), &f);
  if (rc != CPW_OK)
    return rc;
  if (value == NULL)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': value is NULL", field);
  rc = member(r, f, value, strlen(value), &v);
  if (rc == CPW_OK)
    store(r, f, v);
  return rc;
}

static int set_text(cpw_record *r, uint32_t f, const char *text, size_t len)
{
  char *copy;
  if (!cpw__utf8_valid(text, len) || memchr(text, '\0', len) != NULL)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': text is not valid UTF-8",
                          r->policy->fields[f].name);
  copy = cpw__strndup(r->ctx, text, len);
  if (copy == NULL)
    return CPW_ENOMEM;
  drop_text(r, f);
  r->texts[f] = copy;
  r->vals[f] = (int64_t)(intptr_t)copy;
  mark(r, f, 1);
  return CPW_OK;
}

int cpw_record_set_text(cpw_record *r, const char *field, const char *text)
{
  uint32_t f;
  int rc = lookup(r, field, TBIT(T_TEXT), &f);
  if (rc != CPW_OK)
    return rc;
  if (text == NULL)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': text is NULL", field);
  return set_text(r, f, text, strlen(text));
}

int cpw_record_set_members(cpw_record *r, const char *field, const char *const *values,
                           size_t count)
{
  uint32_t f;
  int64_t mask = 0, v = 0;
  size_t i;
  int rc = lookup(r, field, TBIT(T_SET), &f);
  if (rc != CPW_OK)
    return rc;
  if (values == NULL && count != 0)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': values are NULL", field);
  for (i = 0; i < count; i++) {
    if (values[i] == NULL)
      return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': value %zu is NULL", field, i);
    rc = member(r, f, values[i], strlen(values[i]), &v);
    if (rc != CPW_OK)
      return rc;
    mask |= (int64_t)(UINT64_C(1) << v);
  }
  store(r, f, mask);
  return CPW_OK;
}

int cpw_record_unset(cpw_record *r, const char *field)
{
  uint32_t f;
  int rc = lookup(r, field, 0, &f);
  if (rc != CPW_OK)
    return rc;
  drop_text(r, f);
  mark(r, f, 0);
  r->vals[f] = 0;
  return CPW_OK;
}

int cpw_record_is_set(const cpw_record *r, const char *field)
{
  uint32_t f;
  if (r == NULL || field == NULL)
    return CPW_EINVALID;
  if (!cpw__map_get(&r->policy->field_index, field, strlen(field), &f))
    return CPW_ENOTFOUND;
  return r->known[f] != 0;
}

int cpw_record_get(const cpw_record *r, const char *field, int64_t *value)
{
  uint32_t f;
  if (r == NULL || field == NULL)
    return CPW_EINVALID;
  if (!cpw__map_get(&r->policy->field_index, field, strlen(field), &f))
    return CPW_ENOTFOUND;
  if (r->policy->fields[f].type == T_TEXT)
    return CPW_EINVALID;
  if (!r->known[f])
    return 0;
  if (value != NULL)
    *value = r->vals[f];
  return 1;
}

const char *cpw_record_get_text(const cpw_record *r, const char *field)
{
  uint32_t f;
  if (r == NULL || field == NULL || !cpw__map_get(&r->policy->field_index, field, strlen(field), &f))
    return NULL;
  return r->policy->fields[f].type == T_TEXT && r->known[f] ? r->texts[f] : NULL;
}

int cpw__record_parse(cpw_ctx *ctx, const cpw_policy *pol, uint32_t f, const char *s,
                      size_t len, int64_t *value)
{
  return cpw__value_parse(ctx, pol, &pol->fields[f], s, len, value);
}

int cpw_record_set_string(cpw_record *r, const char *field, const char *text, size_t len)
{
  uint32_t f;
  int64_t v = 0;
  int rc = lookup(r, field, 0, &f);
  if (rc != CPW_OK)
    return rc;
  if (text == NULL && len != 0)
    return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': text is NULL", field);
  if (len == 0) {
    drop_text(r, f);
    mark(r, f, 0);
    r->vals[f] = 0;
    return CPW_OK;
  }
  if (r->policy->fields[f].type == T_TEXT)
    return set_text(r, f, text, len);
  rc = cpw__record_parse(r->ctx, r->policy, f, text, len, &v);
  if (rc == CPW_OK)
    store(r, f, v);
  return rc;
}

/* ------------------------------------------------------------------ JSON */

typedef struct staged {
  uint32_t f;
  int64_t v;
  int known;
  char *text;      /* owned until committed */
} staged;

static int json_value(cpw_record *r, cpw__json_reader *jr, const cpw__json_token *key,
                      uint32_t f, staged *st)
{
  const cpw_policy *pol = r->policy;
  const cpw__field *fd = &pol->fields[f];
  cpw__json_token t;
  int rc = cpw__json_next(jr, &t);
  (void)key;
  if (rc != CPW_OK)
    return rc;
  st->f = f;
  st->known = 1;
  st->text = NULL;
  switch (t.type) {
  case CPW__JSON_NULL:
    st->known = 0;
    st->v = 0;
    return CPW_OK;
  case CPW__JSON_TRUE:
  case CPW__JSON_FALSE:
    if (fd->type != T_BOOL)
      break;
    st->v = t.type == CPW__JSON_TRUE;
    return CPW_OK;
  case CPW__JSON_NUMBER:
    if (fd->type == T_INT && t.is_int) {
      st->v = t.i;
      return CPW_OK;
    }
    if (fd->type == T_MONEY) {
      if (cpw__parse_money(t.str, t.len, &st->v) != 0)
        return cpw__set_error(r->ctx, CPW_EINVALID,
                              "field '%s': expected an amount in GEL with at most 2 decimals",
                              fd->name);
      return CPW_OK;
    }
    if (fd->type == T_BOOL && t.is_int && (t.i == 0 || t.i == 1)) {
      st->v = t.i;
      return CPW_OK;
    }
    break;
  case CPW__JSON_STRING:
    if (fd->type == T_TEXT) {
      if (memchr(t.str, '\0', t.len) != NULL)
        return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': text holds a NUL character",
                              fd->name);
      st->text = cpw__strndup(r->ctx, t.str, t.len);
      if (st->text == NULL)
        return CPW_ENOMEM;
      st->v = (int64_t)(intptr_t)st->text;
      return CPW_OK;
    }
    if (fd->type == T_INT || fd->type == T_MONEY)
      break; /* numbers come as JSON numbers; a boolean may also be "yes", "true", "1"... */
    if (t.len == 0) {
      st->known = 0;
      return CPW_OK;
    }
    return cpw__record_parse(r->ctx, pol, f, t.str, t.len, &st->v);
  case CPW__JSON_ARRAY: {
    uint64_t mask = 0;
    if (fd->type != T_SET) {
      rc = cpw__json_skip(jr, &t);
      if (rc != CPW_OK)
        return rc;
      break;
    }
    for (;;) {
      uint32_t v;
      rc = cpw__json_next(jr, &t);
      if (rc != CPW_OK)
        return rc;
      if (t.type == CPW__JSON_ARRAY_END)
        break;
      if (t.type != CPW__JSON_STRING)
        return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': a set is a list of value names",
                              fd->name);
      if (!cpw__map_get(&pol->enums[fd->enum_id].index, t.str, t.len, &v))
        return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s': not one of its values",
                              fd->name);
      mask |= UINT64_C(1) << v;
    }
    st->v = (int64_t)mask;
    return CPW_OK;
  }
  case CPW__JSON_OBJECT:
    rc = cpw__json_skip(jr, &t);
    if (rc != CPW_OK)
      return rc;
    break;
  default:
    break;
  }
  return cpw__set_error(r->ctx, CPW_EINVALID, "field '%s' is of type %s: a JSON %s does not fit",
                        fd->name, cpw__type_name(fd->type),
                        t.type == CPW__JSON_NUMBER ? "number"
                        : t.type == CPW__JSON_STRING ? "string"
                        : t.type == CPW__JSON_TRUE || t.type == CPW__JSON_FALSE ? "boolean"
                        : t.type == CPW__JSON_ARRAY ? "array" : "object");
}

/* The keys of one JSON object, to refuse a key given twice whether it is a field or a key
 * skipped (an unknown key with CPW_RECORD_IGNORE_UNKNOWN, the `except` key). Keys are compared
 * as the reader decodes them. A kept key points at the field's name in the policy, or into the
 * JSON text (a key without escapes), or at a copy in `copies` (a key with escapes: the reader's
 * scratch buffer holds it only until its next call); none moves while the object is read.
 * The first KEYS_LINEAR keys are looked up by a linear scan (at most 16 * 15 / 2 comparisons,
 * no allocation: the common record is a handful of fields); past that, every key goes into a
 * map (base/map.h), so that an object of n keys costs O(n), not O(n^2). */
#define KEYS_LINEAR 16

typedef struct keyset {
  const char *p[KEYS_LINEAR];
  size_t len[KEYS_LINEAR];
  size_t n;
  cpw__map map;    /* every key once n reaches KEYS_LINEAR */
  cpw__arena copies;
} keyset;

static void keyset_init(keyset *ks, cpw_ctx *ctx)
{
  ks->n = 0;
  cpw__map_init(&ks->map, ctx);
  cpw__arena_init(&ks->copies, ctx);
}

static void keyset_free(keyset *ks)
{
  cpw__map_free(&ks->map);
  cpw__arena_free(&ks->copies);
}

/* Keep key p[0..len) (stable: the caller copied it if needed) unless it is kept already:
 * CPW_OK and *twice 0 or 1, or CPW_ENOMEM. */
static int keyset_add(keyset *ks, const char *p, size_t len, int *twice)
{
  size_t i;
  uint32_t v;
  *twice = 0;
  if (ks->n < KEYS_LINEAR) {
    for (i = 0; i < ks->n; i++)
      if (ks->len[i] == len && memcmp(ks->p[i], p, len) == 0) {
        *twice = 1;
        return CPW_OK;
      }
    ks->p[ks->n] = p;
    ks->len[ks->n++] = len;
    if (ks->n < KEYS_LINEAR)
      return CPW_OK;
    for (i = 0; i < KEYS_LINEAR; i++) { /* the last linear key: all of them into the map */
      int rc = cpw__map_put(&ks->map, ks->p[i], ks->len[i], 0);
      if (rc != CPW_OK)
        return rc;
    }
    return CPW_OK;
  }
  if (cpw__map_get(&ks->map, p, len, &v)) {
    *twice = 1;
    return CPW_OK;
  }
  return cpw__map_put(&ks->map, p, len, 0);
}

int cpw_record_set_json(cpw_record *r, const char *json, size_t len, unsigned int flags)
{
  return cpw_record_set_json_except(r, json, len, flags, NULL);
}

int cpw_record_set_json_except(cpw_record *r, const char *json, size_t len, unsigned int flags,
                               const char *except)
{
  cpw__json_reader jr;
  cpw__json_token t;
  staged *st = NULL;
  size_t nst = 0, cap = 0, i;
  keyset keys;
  int rc;
  if (r == NULL)
    return CPW_EINVALID;
  if (json == NULL && len != 0)
    return cpw__set_error(r->ctx, CPW_EINVALID, "cpw_record_set_json: NULL text");
  if ((flags & ~CPW_RECORD_IGNORE_UNKNOWN) != 0)
    return cpw__set_error(r->ctx, CPW_EINVALID, "cpw_record_set_json: unknown flags 0x%x",
                          flags & ~CPW_RECORD_IGNORE_UNKNOWN);
  cpw__json_reader_init(&jr, r->ctx, json != NULL ? json : "", len);
  keyset_init(&keys, r->ctx);
  rc = cpw__json_next(&jr, &t);
  if (rc == CPW_OK && t.type != CPW__JSON_OBJECT)
    rc = cpw__set_error(r->ctx, CPW_EINVALID, "a record must be a JSON object");
  while (rc == CPW_OK) {
    uint32_t f;
    const char *key;
    int field, is_except = 0, twice = 0;
    rc = cpw__json_next(&jr, &t);
    if (rc != CPW_OK || t.type == CPW__JSON_OBJECT_END)
      break;
    field = cpw__map_get(&r->policy->field_index, t.str, t.len, &f);
    if (!field) {
      is_except = except != NULL && strlen(except) == t.len && memcmp(except, t.str, t.len) == 0;
      if (!is_except && !(flags & CPW_RECORD_IGNORE_UNKNOWN)) {
        rc = cpw__set_error(r->ctx, CPW_ENOTFOUND, "unknown field '%.*s' (line %d, column %d)",
                            (int)(t.len > 64 ? 64 : t.len), t.str, t.line, t.column);
        break;
      }
    }
    /* the key as kept: a field's name, the text itself, or a copy of what the reader decoded */
    if (field)
      key = r->policy->fields[f].name;
    else if (t.len == 0)
      key = ""; /* never NULL: the map takes a NULL key for an empty slot */
    else if (t.str != jr.scratch)
      key = t.str;
    else if ((key = cpw__arena_strndup(&keys.copies, t.str, t.len)) == NULL) {
      rc = CPW_ENOMEM;
      break;
    }
    rc = keyset_add(&keys, key, t.len, &twice);
    if (rc != CPW_OK)
      break;
    if (twice) {
      if (field)
        rc = cpw__set_error(r->ctx, CPW_EINVALID,
                            "field '%s' is given twice (line %d, column %d)",
                            r->policy->fields[f].name, t.line, t.column);
      else if (is_except)
        rc = cpw__set_error(r->ctx, CPW_EINVALID, "key '%.*s' is given twice (line %d, column %d)",
                            (int)(t.len > 64 ? 64 : t.len), except, t.line, t.column);
      else /* a key nobody declared could be anything: not quoted */
        rc = cpw__set_error(r->ctx, CPW_EINVALID, "a key is given twice (line %d, column %d)",
                            t.line, t.column);
      break;
    }
    if (!field) {
      rc = cpw__json_skip(&jr, &t);
      continue;
    }
    rc = cpw__grow(r->ctx, (void **)&st, &cap, nst + 1, sizeof *st);
    if (rc != CPW_OK)
      break;
    rc = json_value(r, &jr, &t, f, &st[nst]);
    if (rc == CPW_OK)
      nst++;
  }
  if (rc == CPW_OK) {
    rc = cpw__json_next(&jr, &t);
    if (rc == CPW_OK && t.type != CPW__JSON_EOF)
      rc = cpw__set_error(r->ctx, CPW_EINVALID, "unexpected data after the JSON object");
  }
  cpw__json_reader_free(&jr);
  keyset_free(&keys);
  if (rc == CPW_OK) {
    for (i = 0; i < nst; i++) {
      drop_text(r, st[i].f);
      r->texts[st[i].f] = st[i].text;
      r->vals[st[i].f] = st[i].v;
      mark(r, st[i].f, st[i].known != 0);
    }
  } else {
    for (i = 0; i < nst; i++)
      if (st[i].text != NULL)
        cpw__free(r->ctx, st[i].text, strlen(st[i].text) + 1);
  }
  cpw__free(r->ctx, st, cap * sizeof *st);
  return rc;
}
