/* SPDX-License-Identifier: Apache-2.0 */
/* policy/diag.h: diagnostics collected while compiling a policy (errors and warnings). */
#ifndef CPW_POLICY_DIAG_H
#define CPW_POLICY_DIAG_H

#include "base/base.h"

#define CPW__MAX_DIAGS 100

typedef struct cpw__diag {
  int severity;        /* CPW_SEVERITY_ERROR or CPW_SEVERITY_WARNING */
  const char *file;    /* borrowed from the compile's source list */
  int line, col;
  char *message;       /* owned: cpw__free(ctx, message, strlen + 1) */
} cpw__diag;

typedef struct cpw__diags {
  cpw_ctx *ctx;
  cpw__diag *items;
  size_t count, cap;
  size_t errors;
  int oom;             /* an allocation failed while compiling */
  int truncated;       /* more than CPW__MAX_DIAGS were reported */
} cpw__diags;

void cpw__diags_init(cpw__diags *d, cpw_ctx *ctx);
void cpw__diags_free(cpw__diags *d);
void cpw__diag_add(cpw__diags *d, int severity, const char *file, int line, int col,
                   const char *fmt, ...) CPW__PRINTF(6, 7);

#define CPW__SEV_ERROR 0
#define CPW__SEV_WARNING 1

#endif
