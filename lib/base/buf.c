/* SPDX-License-Identifier: Apache-2.0 */
/* base/buf.c: see buf.h. */
#include "base/buf.h"

#include <stdio.h>

void cpw__buf_init(cpw__buf *b, cpw_ctx *ctx)
{
  b->ctx = ctx;
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void cpw__buf_free(cpw__buf *b)
{
  cpw__free(b->ctx, b->data, b->cap);
  b->data = NULL;
  b->len = b->cap = 0;
}

void cpw__buf_clear(cpw__buf *b)
{
  b->len = 0;
  if (b->data != NULL)
    b->data[0] = '\0';
}

int cpw__buf_reserve(cpw__buf *b, size_t extra)
{
  size_t need;
  if (extra > SIZE_MAX - b->len - 1)
    return cpw__set_error(b->ctx, CPW_ELIMIT, "buffer too large");
  need = b->len + extra + 1;
  if (need <= b->cap)
    return CPW_OK;
  return cpw__grow(b->ctx, (void **)&b->data, &b->cap, need, 1);
}

int cpw__buf_add(cpw__buf *b, const void *data, size_t len)
{
  int rc = cpw__buf_reserve(b, len);
  if (rc != CPW_OK)
    return rc;
  if (len != 0)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return CPW_OK;
}

int cpw__buf_adds(cpw__buf *b, const char *s)
{
  return cpw__buf_add(b, s, strlen(s));
}

int cpw__buf_addc(cpw__buf *b, char c)
{
  return cpw__buf_add(b, &c, 1);
}

int cpw__buf_printf(cpw__buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;
  int rc;
  char small[256];

  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return cpw__set_error(b->ctx, CPW_ERROR, "formatting failed");
  if ((size_t)n < sizeof small)
    return cpw__buf_add(b, small, (size_t)n);
  rc = cpw__buf_reserve(b, (size_t)n);
  if (rc != CPW_OK)
    return rc;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return CPW_OK;
}

const char *cpw__buf_str(const cpw__buf *b)
{
  return b->data != NULL ? b->data : "";
}

int cpw__buf_export(cpw__buf *b, char **out, size_t *len_out)
{
  char *p = cpw__export_alloc(b->ctx, b->len + 1);
  if (p == NULL)
    return CPW_ENOMEM;
  if (b->len != 0)
    memcpy(p, b->data, b->len);
  p[b->len] = '\0';
  *out = p;
  if (len_out != NULL)
    *len_out = b->len;
  cpw__buf_clear(b);
  return CPW_OK;
}
