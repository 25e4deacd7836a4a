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
  a->next = NULL;
  a->avail = 0;
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
  cpw__arena_init(a, a->ctx);
}

/* `size` bytes aligned to `align` (a power of two), not zeroed, or NULL */
static void *arena_take(cpw__arena *a, size_t size, size_t align)
{
  unsigned char *p;
  size_t pad = (size_t)(-(uintptr_t)a->next & (align - 1)); /* to where an aligned block starts */
  if (a->head == NULL || pad > a->avail || a->avail - pad < size) {
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
    a->total += csize;
    if (a->head != NULL && size > ARENA_CHUNK / 2) {
      /* a big block gets its own chunk behind the current one, which stays in use */
      c->next = a->head->next;
      a->head->next = c;
      return c->data;
    }
    c->next = a->head;
    a->head = c;
    a->next = c->data;
    a->avail = csize;
    pad = 0;
  }
  p = a->next + pad;
  a->next = p + size;
  a->avail -= pad + size;
  return p;
}

void *cpw__arena_alloc(cpw__arena *a, size_t size)
{
  void *p;
  size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (size == 0)
    size = ARENA_ALIGN;
  p = arena_take(a, size, ARENA_ALIGN);
  if (p != NULL)
    memset(p, 0, size);
  return p;
}

void *cpw__arena_copy_chunk(cpw__arena *a, const void *src, size_t size)
{
  void *p = cpw__arena_alloc(a, size);
  if (p != NULL && size != 0)
    memcpy(p, src, size);
  return p;
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

char *cpw__arena_strndup_packed_chunk(cpw__arena *a, const char *s, size_t len)
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
