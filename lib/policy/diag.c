/* SPDX-License-Identifier: Apache-2.0 */
/* policy/diag.c: see diag.h. */
#include "policy/diag.h"

#include <stdio.h>

#include "base/utf8.h"

void cpw__diags_init(cpw__diags *d, cpw_ctx *ctx)
{
  memset(d, 0, sizeof *d);
  d->ctx = ctx;
}

void cpw__diags_free(cpw__diags *d)
{
  size_t i;
  for (i = 0; i < d->count; i++)
    cpw__free(d->ctx, d->items[i].message, strlen(d->items[i].message) + 1);
  cpw__free(d->ctx, d->items, d->cap * sizeof *d->items);
  d->items = NULL;
  d->count = d->cap = 0;
}

void cpw__diag_add(cpw__diags *d, int severity, const char *file, int line, int col,
                   const char *fmt, ...)
{
  char msg[400];
  va_list ap;
  int n;
  cpw__diag *g;

  if (severity == CPW__SEV_ERROR)
    d->errors++;
  /* warnings leave the last tenth of the list to errors: a flood of warnings must not hide
   * the error that makes the compile fail (it was counted and dropped) */
  if (d->count >= CPW__MAX_DIAGS ||
      (severity != CPW__SEV_ERROR && d->count >= CPW__MAX_DIAGS - CPW__MAX_DIAGS / 10)) {
    d->truncated = 1;
    return;
  }
  va_start(ap, fmt);
  n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  cpw__utf8_sanitize(msg);
  if (cpw__grow(d->ctx, (void **)&d->items, &d->cap, d->count + 1, sizeof *d->items) != CPW_OK) {
    d->oom = 1;
    return;
  }
  g = &d->items[d->count];
  g->message = cpw__strndup(d->ctx, msg, strlen(msg));
  if (g->message == NULL) {
    d->oom = 1;
    return;
  }
  g->severity = severity;
  g->file = file;
  g->line = line;
  g->col = col;
  d->count++;
}
