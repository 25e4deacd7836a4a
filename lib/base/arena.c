/* SPDX-License-Identifier: Apache-2.0 */
/* base/arena.c: see arena.h. */
#include "base/arena.h"

#define ARENA_ALIGN 8 /* the strictest alignment the library stores (int64_t, pointers, double) */
#define ARENA_CHUNK 8192

struct cpw__arena_chunk {
  cpw__arena_chunk *next;
  size_t size;                          /* payload bytes */
  _Alignas(16) unsigned char data[];
};

void cpw__arena_init(cpw__arena *a, cpw_ctx *ctx)
{
  a->ctx = ctx;
  a->head = NULL;
  a->used = 0;
  a->total = 0;
}

void cpw__arena_free(cpw__arena *a)
{
  cpw__arena_chunk *c = a->head;
  while (c != NULL) {
    cpw__arena_chunk *next = c->next;
    cpw__free(a->ctx, c, sizeof *c + c->size);
    c = next;
  }
  a->head = NULL;
  a->used = 0;
  a->total = 0;
}

static void *arena_take(cpw__arena *a, size_t size, size_t align)
{
  void *p;
  size_t at = (a->used + align - 1) & ~(align - 1); /* where an aligned block would start */
  if (a->head == NULL || at > a->head->size || a->head->size - at < size) {
    size_t csize = size > ARENA_CHUNK / 2 ? size : ARENA_CHUNK;
    cpw__arena_chunk *c;
    if (size > SIZE_MAX / 2) {
      cpw__set_error(a->ctx, CPW_ENOMEM, "allocation size overflows");
      return NULL;
    }
    c = cpw__malloc(a->ctx, sizeof *c + csize);
    if (c == NULL)
      return NULL;
    c->size = csize;
    if (a->head != NULL && size > ARENA_CHUNK / 2) {
      /* a big block gets its own chunk behind the current one, which stays in use */
      c->next = a->head->next;
      a->head->next = c;
      a->total += csize;
      memset(c->data, 0, size);
      return c->data;
    }
    c->next = a->head;
    a->head = c;
    a->total += csize;
    at = 0;
  }
  p = a->head->data + at;
  a->used = at + size;
  memset(p, 0, size);
  return p;
}

void *cpw__arena_alloc(cpw__arena *a, size_t size)
{
  size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (size == 0)
    size = ARENA_ALIGN;
  return arena_take(a, size, ARENA_ALIGN);
}

char *cpw__arena_strndup(cpw__arena *a, const char *s, size_t len)
{
  char *p;
  if (len == SIZE_MAX) {
    cpw__set_error(a->ctx, CPW_ENOMEM, "allocation size overflows");
    return NULL;
  }
  p = cpw__arena_alloc(a, len + 1);
  if (p != NULL) {
    if (len != 0)
      memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

char *cpw__arena_strndup_packed(cpw__arena *a, const char *s, size_t len)
{
  char *p;
  if (len == SIZE_MAX) {
    cpw__set_error(a->ctx, CPW_ENOMEM, "allocation size overflows");
    return NULL;
  }
  p = arena_take(a, len + 1, 1);
  if (p != NULL) {
    if (len != 0)
      memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}
