/* SPDX-License-Identifier: Apache-2.0 */
/* base/map.h: a string -> uint32 hash map (open addressing, linear probing, backward-shift
 * deletion). Keys are not copied: the caller keeps each key's bytes alive while it is in the map
 * (they usually live in an arena or in the object the value indexes). */
#ifndef CPW_MAP_H
#define CPW_MAP_H

#include "base/base.h"

typedef struct cpw__map_slot {
  const char *key;   /* NULL: empty */
  uint32_t len;
  uint32_t hash;
  uint32_t value;
} cpw__map_slot;

typedef struct cpw__map {
  cpw_ctx *ctx;
  cpw__map_slot *slots;
  size_t cap;        /* a power of two, or 0 */
  size_t count;
} cpw__map;

/* FNV-1a over 32 bits, then a final avalanche (murmur3 fmix32). The steps are here so that a
 * loop that reads the bytes anyway (a case id's check) hashes them in the same pass. */
#define CPW__HASH_INIT 0x811c9dc5u
static inline uint32_t cpw__hash_byte(uint32_t h, unsigned char c)
{
  return (h ^ c) * 0x01000193u;
}
static inline uint32_t cpw__hash_finish(uint32_t h)
{
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}
uint32_t cpw__hash(const void *data, size_t len);

void cpw__map_init(cpw__map *m, cpw_ctx *ctx);
void cpw__map_free(cpw__map *m);
/* Size the table for `n` keys in advance. */
int cpw__map_reserve(cpw__map *m, size_t n);
/* 1 and *value if found, else 0. */
int cpw__map_get(const cpw__map *m, const char *key, size_t len, uint32_t *value);
/* Insert or replace. CPW_OK, CPW_ENOMEM or CPW_ELIMIT (keys longer than 4 GiB). */
int cpw__map_put(cpw__map *m, const char *key, size_t len, uint32_t value);
/* Remove; 1 if it was there. */
int cpw__map_remove(cpw__map *m, const char *key, size_t len);
/* Bytes allocated (for memory figures). */
size_t cpw__map_bytes(const cpw__map *m);

#endif
