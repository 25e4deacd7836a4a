/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/testalloc.c: see testalloc.h. */
#include "testalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 16
#define MAGIC 0x43505741u /* "CPWA" */

typedef struct block_header {
  size_t size;
  uint32_t magic;
} block_header;

void cpw_test_alloc_init(cpw_test_alloc *ta)
{
  memset(ta, 0, sizeof *ta);
  ta->fail_at = -1;
}

static bool should_fail(cpw_test_alloc *ta)
{
  long index = ta->count++;
  if (ta->fail_at < 0)
    return false;
  if (index == ta->fail_at || (ta->sticky && index > ta->fail_at)) {
    ta->failures++;
    return true;
  }
  return false;
}

void *cpw_test_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
  cpw_test_alloc *ta = ud;
  unsigned char *raw = NULL;
  block_header h;

  if (ptr != NULL) {
    raw = (unsigned char *)ptr - HEADER;
    memcpy(&h, raw, sizeof h);
    if (h.magic != MAGIC) {
      fprintf(stderr, "testalloc: block %p was not allocated here\n", ptr);
      abort();
    }
    if (h.size != old_size)
      ta->bad_sizes++;
  }
  if (new_size == 0) {
    if (ptr != NULL) {
      ta->live_blocks--;
      ta->live_bytes -= h.size;
      memset(raw, 0xdd, HEADER + h.size); /* catch use after free */
      free(raw);
    }
    return NULL;
  }
  if (ptr == NULL || new_size > h.size) {
    if (should_fail(ta))
      return NULL;
  }
  {
    unsigned char *n = malloc(HEADER + new_size);
    if (n == NULL)
      return NULL;
    h.size = new_size;
    h.magic = MAGIC;
    memcpy(n, &h, sizeof h);
    if (ptr != NULL) {
      block_header old;
      memcpy(&old, raw, sizeof old);
      memcpy(n + HEADER, ptr, old.size < new_size ? old.size : new_size);
      ta->live_bytes -= old.size;
      memset(raw, 0xdd, HEADER + old.size);
      free(raw);
    } else {
      ta->live_blocks++;
      memset(n + HEADER, 0xcd, new_size); /* catch reads of uninitialised memory */
    }
    ta->live_bytes += new_size;
    if (ta->live_bytes > ta->peak_bytes)
      ta->peak_bytes = ta->live_bytes;
    return n + HEADER;
  }
}

cpw_ctx *cpw_test_ctx(cpw_test_alloc *ta)
{
  cpw_ctx_options o = CPW_CTX_OPTIONS_INIT;
  cpw_ctx *ctx = NULL;
  o.allocator.realloc = cpw_test_realloc;
  o.allocator.user_data = ta;
  if (cpw_ctx_new(&ctx, &o) != CPW_OK)
    return NULL;
  return ctx;
}

static int one_run(cpw_oom_scenario fn, void *arg, long fail_at, bool sticky,
                   cpw_oom_result *res, int *status)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  int rc;

  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  if (ctx == NULL) {
    snprintf(res->problem, sizeof res->problem, "could not create a context");
    return -1;
  }
  ta.count = 0;
  ta.fail_at = fail_at;
  ta.sticky = sticky;
  rc = fn(ctx, arg);
  ta.fail_at = -1;
  *status = rc;
  if (fail_at < 0)
    res->allocations = ta.count;
  if (rc != CPW_OK && rc != CPW_ENOMEM) {
    snprintf(res->problem, sizeof res->problem,
             "allocation %ld failing (%s) gave status %d (%s), not CPW_ENOMEM: %s", fail_at,
             sticky ? "sticky" : "once", rc, cpw_strerror(rc), cpw_ctx_last_error(ctx)->message);
    cpw_ctx_free(ctx);
    return -1;
  }
  if (rc == CPW_ENOMEM && ta.failures == 0) {
    snprintf(res->problem, sizeof res->problem,
             "CPW_ENOMEM reported with no allocation failing (fail_at %ld)", fail_at);
    cpw_ctx_free(ctx);
    return -1;
  }
  cpw_ctx_free(ctx);
  if (ta.live_blocks != 0 || ta.live_bytes != 0) {
    snprintf(res->problem, sizeof res->problem,
             "allocation %ld failing (%s): %ld blocks / %zu bytes leaked", fail_at,
             sticky ? "sticky" : "once", ta.live_blocks, ta.live_bytes);
    return -1;
  }
  if (ta.bad_sizes != 0) {
    snprintf(res->problem, sizeof res->problem,
             "allocation %ld failing: %ld frees passed a wrong size", fail_at, ta.bad_sizes);
    return -1;
  }
  return (int)(ta.failures > 0 ? 1 : 0); /* 1: a failure was injected */
}

int cpw_oom_run(cpw_oom_scenario fn, void *arg, cpw_oom_result *res)
{
  int status = 0;
  long n;
  memset(res, 0, sizeof *res);

  /* The clean run first: it must succeed and tells how many allocations there are. */
  if (one_run(fn, arg, -1, false, res, &status) < 0)
    return -1;
  res->final_status = status;
  if (status != CPW_OK) {
    snprintf(res->problem, sizeof res->problem, "the scenario fails with no allocation failing");
    return -1;
  }
  for (n = 0; n < res->allocations; n++) {
    int sticky;
    for (sticky = 0; sticky <= 1; sticky++) {
      if (one_run(fn, arg, n, sticky != 0, res, &status) < 0)
        return -1;
      res->runs++;
    }
  }
  return 0;
}
