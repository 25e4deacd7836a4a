/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/testalloc.h: a checking allocator and the allocation-failure (OOM) harness.
 *
 * The allocator records the size of every block and checks that the library passes the same
 * size back when it resizes or frees it; it counts live blocks and bytes (leaks), and can fail
 * the Nth allocation. cpw_oom_run() runs a scenario with allocation 0, 1, 2, ... failing (once
 * with only that allocation failing, once with every allocation from it on failing) until the
 * scenario runs without a failure, and checks each run: the scenario returns CPW_ENOMEM (or
 * CPW_OK if the failure hit nothing that mattered), and every byte is freed afterwards.
 */
#ifndef CPW_TESTALLOC_H
#define CPW_TESTALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include "cpw.h"

typedef struct cpw_test_alloc {
  long fail_at;        /* index of the allocation to fail; -1: never */
  bool sticky;         /* fail every allocation from fail_at on */
  long count;          /* allocations (and growing reallocs) so far */
  long failures;       /* allocations refused so far */
  long live_blocks;
  size_t live_bytes;
  size_t peak_bytes;
  long bad_sizes;      /* frees/reallocs whose old size did not match */
} cpw_test_alloc;

void cpw_test_alloc_init(cpw_test_alloc *ta);
void *cpw_test_realloc(void *ud, void *ptr, size_t old_size, size_t new_size);
/* A context whose allocator is `ta` (the context's own block counts as live until freed). */
cpw_ctx *cpw_test_ctx(cpw_test_alloc *ta);

/* A scenario creates what it needs with ctx, exercises it, frees it, and returns the status of
 * the first failing call (CPW_ENOMEM) or CPW_OK. `arg` is passed through. */
typedef int (*cpw_oom_scenario)(cpw_ctx *ctx, void *arg);

typedef struct cpw_oom_result {
  long runs;           /* failing runs made */
  long allocations;    /* allocations the scenario makes when nothing fails */
  int final_status;    /* the status of the run with no failure (must be CPW_OK) */
  char problem[256];   /* empty when every run was clean, else what went wrong first */
} cpw_oom_result;

/* Run `fn` under every single and sticky allocation failure. Returns 0 when clean. */
int cpw_oom_run(cpw_oom_scenario fn, void *arg, cpw_oom_result *res);

/* cmocka helper: run the harness and fail the test with the harness's explanation. */
#define CPW_ASSERT_OOM_CLEAN(fn, arg)                                        \
  do {                                                                       \
    cpw_oom_result r_;                                                       \
    if (cpw_oom_run((fn), (arg), &r_) != 0)                                  \
      fail_msg("OOM harness: %s", r_.problem);                               \
  } while (0)

#endif
