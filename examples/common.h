/* SPDX-License-Identifier: Apache-2.0 */
/* examples/common.h: one helper the examples share: check a call, and on failure print the
 * library's message and exit. */
#ifndef CPW_EXAMPLES_COMMON_H
#define CPW_EXAMPLES_COMMON_H

#include <cpw.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call, ctx)                                                                  \
  do {                                                                                    \
    int rc_ = (call);                                                                     \
    if (rc_ != CPW_OK) {                                                                  \
      fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", __FILE__, __LINE__, #call,           \
              cpw_ctx_last_error(ctx)->message, cpw_strerror(rc_));                       \
      exit(1);                                                                            \
    }                                                                                     \
  } while (0)

#endif
