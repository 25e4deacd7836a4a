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
  size_t used;        /* bytes used in head */
  size_t total;       /* bytes allocated in all chunks (for statistics) */
} cpw__arena;

void cpw__arena_init(cpw__arena *a, cpw_ctx *ctx);
void cpw__arena_free(cpw__arena *a);
/* `size` bytes aligned to 8, or NULL (CPW_ENOMEM recorded). Zeroed. */
void *cpw__arena_alloc(cpw__arena *a, size_t size);
/* A NUL-terminated copy of s[0..len) in the arena. */
char *cpw__arena_strndup(cpw__arena *a, const char *s, size_t len);
/* The same, packed: the copy is not aligned (len + 1 bytes, not rounded to 8). For an arena of
 * strings only (a caseload's case ids): an aligned allocation after it skips to the next 8. */
char *cpw__arena_strndup_packed(cpw__arena *a, const char *s, size_t len);

#endif
