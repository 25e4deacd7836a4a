/* SPDX-License-Identifier: Apache-2.0 */
/* base/map.c: see map.h. */
#include "base/map.h"

uint32_t cpw__hash(const void *data, size_t len)
{
  const unsigned char *p = data;
  uint32_t h = CPW__HASH_INIT;
  size_t i;
  for (i = 0; i < len; i++)
    h = cpw__hash_byte(h, p[i]);
  return cpw__hash_finish(h);
}

void cpw__map_init(cpw__map *m, cpw_ctx *ctx)
{
  m->ctx = ctx;
  m->slots = NULL;
  m->cap = 0;
  m->count = 0;
}

void cpw__map_free(cpw__map *m)
{
  cpw__free(m->ctx, m->slots, m->cap * sizeof *m->slots);
  m->slots = NULL;
  m->cap = m->count = 0;
}

size_t cpw__map_bytes(const cpw__map *m)
{
  return m->cap * sizeof *m->slots;
}

static size_t find_slot(const cpw__map_slot *slots, size_t cap, const char *key, uint32_t len,
                        uint32_t hash)
{
  size_t mask = cap - 1;
  size_t i = hash & mask;
  for (;;) {
    const cpw__map_slot *s = &slots[i];
    if (s->key == NULL)
      return i;
    if (s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0)
      return i;
    i = (i + 1) & mask;
  }
}

static int rehash(cpw__map *m, size_t ncap)
{
  cpw__map_slot *n = cpw__calloc(m->ctx, ncap, sizeof *n);
  size_t i;
  if (n == NULL)
    return CPW_ENOMEM;
  for (i = 0; i < m->cap; i++) {
    const cpw__map_slot *s = &m->slots[i];
    if (s->key != NULL)
      n[find_slot(n, ncap, s->key, s->len, s->hash)] = *s;
  }
  cpw__free(m->ctx, m->slots, m->cap * sizeof *m->slots);
  m->slots = n;
  m->cap = ncap;
  return CPW_OK;
}

int cpw__map_reserve(cpw__map *m, size_t n)
{
  size_t ncap = m->cap != 0 ? m->cap : 16;
  if (n > SIZE_MAX / 4)
    return cpw__set_error(m->ctx, CPW_ELIMIT, "map too large");
  while (ncap * 3 < n * 4 + 4) /* load factor below 3/4 */
    ncap *= 2;
  if (ncap == m->cap)
    return CPW_OK;
  return rehash(m, ncap);
}

int cpw__map_get(const cpw__map *m, const char *key, size_t len, uint32_t *value)
{
  size_t i;
  uint32_t h;
  if (m->count == 0 || len > UINT32_MAX)
    return 0;
  h = cpw__hash(key, len);
  i = find_slot(m->slots, m->cap, key, (uint32_t)len, h);
  if (m->slots[i].key == NULL)
    return 0;
  if (value != NULL)
    *value = m->slots[i].value;
  return 1;
}

int cpw__map_put(cpw__map *m, const char *key, size_t len, uint32_t value)
{
  size_t i;
  uint32_t h;
  int rc;
  if (len > UINT32_MAX)
    return cpw__set_error(m->ctx, CPW_ELIMIT, "key too long");
  rc = cpw__map_reserve(m, m->count + 1);
  if (rc != CPW_OK)
    return rc;
  h = cpw__hash(key, len);
  i = find_slot(m->slots, m->cap, key, (uint32_t)len, h);
  if (m->slots[i].key == NULL) {
    m->slots[i].key = key;
    m->slots[i].len = (uint32_t)len;
    m->slots[i].hash = h;
    m->count++;
  }
  m->slots[i].value = value;
  return CPW_OK;
}

int cpw__map_remove(cpw__map *m, const char *key, size_t len)
{
  size_t i, j, mask;
  uint32_t h;
  if (m->count == 0 || len > UINT32_MAX)
    return 0;
  h = cpw__hash(key, len);
  mask = m->cap - 1;
  i = find_slot(m->slots, m->cap, key, (uint32_t)len, h);
  if (m->slots[i].key == NULL)
    return 0;
  /* backward-shift deletion keeps probe sequences intact without tombstones */
  j = i;
  for (;;) {
    size_t k;
    j = (j + 1) & mask;
    if (m->slots[j].key == NULL)
      break;
    k = m->slots[j].hash & mask;
    if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
      m->slots[i] = m->slots[j];
      i = j;
    }
  }
  m->slots[i].key = NULL;
  m->count--;
  return 1;
}
