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
