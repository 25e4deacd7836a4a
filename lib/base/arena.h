/* SPDX-License-Identifier: Apache-2.0 */
/* base/arena.h: a bump allocator for objects that live and die together (an AST, a policy).
 * Blocks are taken from the context's allocator in chunks; cpw__arena_free releases all. */
#ifndef CPW_ARENA_H
#define CPW_ARENA_H

#include "base/base.h"

typedef struct cpw__arena_chunk cpw__arena_chunk;

typedef struct cpw__arena {
  cpw_ctx *ctx;
  cpw__arena_chunk *head;
  unsigned char *next; /* the free bytes of head: from here (NULL without a head) ... */
  size_t avail;        /* ... this many */
  size_t total;        /* bytes allocated in all chunks (for statistics) */
} cpw__arena;

void cpw__arena_init(cpw__arena *a, cpw_ctx *ctx);
void cpw__arena_free(cpw__arena *a);
/* `size` bytes aligned to 8, or NULL (CPW_ENOMEM recorded). Zeroed. */
void *cpw__arena_alloc(cpw__arena *a, size_t size);
/* A NUL-terminated copy of s[0..len) in the arena. */
char *cpw__arena_strndup(cpw__arena *a, const char *s, size_t len);

/* The slow paths of the inline functions below (a new chunk; or a size that overflows) */
char *cpw__arena_strndup_packed_chunk(cpw__arena *a, const char *s, size_t len);
void *cpw__arena_copy_chunk(cpw__arena *a, const void *src, size_t size);

/* The same, packed: the copy is not aligned (len + 1 bytes, not rounded to 8). For an arena of
 * strings only (a caseload's case ids): an aligned allocation after it skips to the next 8.
 * Inline: a caseload copies every case id it opens. */
static inline char *cpw__arena_strndup_packed(cpw__arena *a, const char *s, size_t len)
{
  if (len < a->avail) {
    char *p = (char *)a->next;
    a->next += len + 1;
    a->avail -= len + 1;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
  }
  return cpw__arena_strndup_packed_chunk(a, s, len);
}

/* A copy of src[0..size) in the arena, aligned to 8 (the bytes up to the next 8 are not
 * zeroed), or NULL (CPW_ENOMEM recorded). Inline: a caseload copies the field values of every
 * case it opens. */
static inline void *cpw__arena_copy(cpw__arena *a, const void *src, size_t size)
{
  size_t pad = (size_t)(-(uintptr_t)a->next & 7), n = pad + ((size + 7) & ~(size_t)7);
  if (size - 1 < a->avail && n <= a->avail) { /* size 0 or too big: the slow path says which */
    unsigned char *p = a->next + pad;
    a->next += n;
    a->avail -= n;
    memcpy(p, src, size);
    return p;
  }
  return cpw__arena_copy_chunk(a, src, size);
}

#endif
