/* SPDX-License-Identifier: Apache-2.0 */
/* base/buf.h: a growable byte buffer (always NUL-terminated once anything was added). */
#ifndef CPW_BUF_H
#define CPW_BUF_H

#include "base/base.h"

typedef struct cpw__buf {
  cpw_ctx *ctx;
  char *data;   /* NULL until the first append */
  size_t len;   /* bytes used, not counting the NUL */
  size_t cap;   /* bytes allocated */
} cpw__buf;

void cpw__buf_init(cpw__buf *b, cpw_ctx *ctx);
void cpw__buf_free(cpw__buf *b);
void cpw__buf_clear(cpw__buf *b);                 /* len = 0, keeps the memory */
int cpw__buf_reserve(cpw__buf *b, size_t extra);  /* room for `extra` more bytes and a NUL */
int cpw__buf_add(cpw__buf *b, const void *data, size_t len);
int cpw__buf_adds(cpw__buf *b, const char *s);
int cpw__buf_addc(cpw__buf *b, char c);
int cpw__buf_printf(cpw__buf *b, const char *fmt, ...) CPW__PRINTF(2, 3);
/* The contents as a NUL-terminated string ("" when empty); borrowed. */
const char *cpw__buf_str(const cpw__buf *b);
/* Hand the contents to the caller as a block freed by cpw_free; the buffer is emptied. */
int cpw__buf_export(cpw__buf *b, char **out, size_t *len_out);

#endif
