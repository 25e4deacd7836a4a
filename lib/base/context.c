/* SPDX-License-Identifier: Apache-2.0 */
/* base/context.c: cpw_ctx, the allocator and the last error. */
#include "base/base.h"
#include "base/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void *default_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
  (void)ud;
  (void)old_size;
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, new_size);
}

int cpw_ctx_options_init(cpw_ctx_options *opts, unsigned int version)
{
  if (opts == NULL)
    return CPW_EINVALID;
  if (version == 0 || version > CPW_CTX_OPTIONS_VERSION)
    return CPW_EVERSION;
  memset(opts, 0, sizeof *opts);
  opts->version = version;
  return CPW_OK;
}

static void clear_error(cpw_ctx *ctx)
{
  ctx->msg[0] = '\0';
  ctx->file[0] = '\0';
  ctx->err.code = CPW_OK;
  ctx->err.message = ctx->msg;
  ctx->err.file = NULL;
  ctx->err.line = 0;
  ctx->err.column = 0;
  ctx->err.os_error = 0;
  ctx->err.offset = -1;
}

int cpw_ctx_new(cpw_ctx **out, const cpw_ctx_options *opts)
{
  cpw_allocator alloc = { default_realloc, NULL };
  cpw_ctx *ctx;

  if (out == NULL)
    return CPW_EINVALID;
  *out = NULL;
  if (opts != NULL) {
    if (opts->version == 0 || opts->version > CPW_CTX_OPTIONS_VERSION)
      return CPW_EVERSION;
    if (opts->allocator.realloc != NULL)
      alloc = opts->allocator;
  }
  ctx = alloc.realloc(alloc.user_data, NULL, 0, sizeof *ctx);
  if (ctx == NULL)
    return CPW_ENOMEM;
  memset(ctx, 0, sizeof *ctx);
  ctx->alloc = alloc;
  clear_error(ctx);
  *out = ctx;
  return CPW_OK;
}

void cpw_ctx_free(cpw_ctx *ctx)
{
  if (ctx == NULL)
    return;
  ctx->alloc.realloc(ctx->alloc.user_data, ctx, sizeof *ctx, 0);
}

static const cpw_error no_context_error = {
  CPW_EINVALID, "no context (NULL)", NULL, 0, 0, 0, -1
};

const cpw_error *cpw_ctx_last_error(const cpw_ctx *ctx)
{
  return ctx != NULL ? &ctx->err : &no_context_error;
}

void cpw_ctx_clear_error(cpw_ctx *ctx)
{
  if (ctx != NULL)
    clear_error(ctx);
}

/* ------------------------------------------------------------------ allocation */

void *cpw__realloc(cpw_ctx *ctx, void *ptr, size_t old_size, size_t new_size)
{
  void *p;
  if (new_size == 0) {
    if (ptr != NULL)
      ctx->alloc.realloc(ctx->alloc.user_data, ptr, old_size, 0);
    return NULL;
  }
  p = ctx->alloc.realloc(ctx->alloc.user_data, ptr, ptr != NULL ? old_size : 0, new_size);
  if (p == NULL)
    cpw__set_error(ctx, CPW_ENOMEM, "out of memory (%zu bytes)", new_size);
  return p;
}

void *cpw__malloc(cpw_ctx *ctx, size_t size)
{
  return cpw__realloc(ctx, NULL, 0, size != 0 ? size : 1);
}

void *cpw__calloc(cpw_ctx *ctx, size_t count, size_t size)
{
  void *p;
  if (size != 0 && count > SIZE_MAX / size) {
    cpw__set_error(ctx, CPW_ENOMEM, "allocation size overflows");
    return NULL;
  }
  p = cpw__malloc(ctx, count * size);
  if (p != NULL)
    memset(p, 0, count * size != 0 ? count * size : 1);
  return p;
}

void cpw__free(cpw_ctx *ctx, void *ptr, size_t size)
{
  if (ptr != NULL)
    ctx->alloc.realloc(ctx->alloc.user_data, ptr, size != 0 ? size : 1, 0);
}

int cpw__grow(cpw_ctx *ctx, void **array, size_t *cap, size_t need, size_t elem)
{
  size_t ncap;
  void *p;
  if (need <= *cap)
    return CPW_OK;
  ncap = *cap != 0 ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2)
      return cpw__set_error(ctx, CPW_ELIMIT, "array too large");
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / elem)
    return cpw__set_error(ctx, CPW_ELIMIT, "array too large");
  p = cpw__realloc(ctx, *array, *cap * elem, ncap * elem);
  if (p == NULL)
    return CPW_ENOMEM;
  *array = p;
  *cap = ncap;
  return CPW_OK;
}

char *cpw__strndup(cpw_ctx *ctx, const char *s, size_t len)
{
  char *p;
  if (len == SIZE_MAX) {
    cpw__set_error(ctx, CPW_ENOMEM, "allocation size overflows");
    return NULL;
  }
  p = cpw__malloc(ctx, len + 1);
  if (p != NULL) {
    if (len != 0)
      memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

/* Exported blocks: a 16-byte header holding the total size keeps the payload aligned. */
#define EXPORT_HEADER 16

void *cpw__export_alloc(cpw_ctx *ctx, size_t size)
{
  unsigned char *p;
  if (size > SIZE_MAX - EXPORT_HEADER) {
    cpw__set_error(ctx, CPW_ENOMEM, "allocation size overflows");
    return NULL;
  }
  p = cpw__malloc(ctx, size + EXPORT_HEADER);
  if (p == NULL)
    return NULL;
  size += EXPORT_HEADER;
  memcpy(p, &size, sizeof size);
  return p + EXPORT_HEADER;
}

void cpw_free(cpw_ctx *ctx, void *ptr)
{
  unsigned char *p;
  size_t size;
  if (ctx == NULL || ptr == NULL)
    return;
  p = (unsigned char *)ptr - EXPORT_HEADER;
  memcpy(&size, p, sizeof size);
  cpw__free(ctx, p, size);
}

/* ------------------------------------------------------------------ errors */

int cpw__set_error_v(cpw_ctx *ctx, int code, const char *fmt, va_list ap)
{
  if (ctx == NULL)
    return code;
  clear_error(ctx);
  ctx->err.code = code;
  vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
  cpw__utf8_sanitize(ctx->msg);
  return code;
}

int cpw__set_error(cpw_ctx *ctx, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  cpw__set_error_v(ctx, code, fmt, ap);
  va_end(ap);
  return code;
}

int cpw__set_error_at(cpw_ctx *ctx, int code, const char *file, int line, int column,
                      const char *fmt, ...)
{
  va_list ap;
  if (ctx == NULL)
    return code;
  va_start(ap, fmt);
  cpw__set_error_v(ctx, code, fmt, ap);
  va_end(ap);
  if (file != NULL) {
    snprintf(ctx->file, sizeof ctx->file, "%s", file);
    ctx->err.file = ctx->file;
  }
  ctx->err.line = line;
  ctx->err.column = column;
  return code;
}

int cpw__set_os_error(cpw_ctx *ctx, int os_errno, const char *file, const char *fmt, ...)
{
  va_list ap;
  size_t n;
  if (ctx == NULL)
    return CPW_EIO;
  va_start(ap, fmt);
  cpw__set_error_v(ctx, CPW_EIO, fmt, ap);
  va_end(ap);
  n = strlen(ctx->msg);
  if (n < sizeof ctx->msg)
    snprintf(ctx->msg + n, sizeof ctx->msg - n, ": %s", strerror(os_errno));
  cpw__utf8_sanitize(ctx->msg);
  if (file != NULL) {
    snprintf(ctx->file, sizeof ctx->file, "%s", file);
    ctx->err.file = ctx->file;
  }
  ctx->err.os_error = os_errno;
  return CPW_EIO;
}

/* s appended to ctx's message at *used; 1 when it had to be cut */
static int cat_piece(cpw_ctx *ctx, size_t *used, const char *s)
{
  size_t n = strlen(s);
  int cut = 0;
  if (n > sizeof ctx->msg - 1 - *used) {
    n = sizeof ctx->msg - 1 - *used;
    cut = 1;
  }
  memcpy(ctx->msg + *used, s, n);
  *used += n;
  return cut;
}

/* The two below: the pieces from first to a NULL, joined; the message is made valid UTF-8
 * always, or (utf8, the pieces known valid) only when a cut may have split a character. */
static int set_error_cat_v(cpw_ctx *ctx, int code, int utf8, const char *first, va_list ap)
{
  const char *s;
  size_t used = 0;
  int cut = 0;
  clear_error(ctx);
  ctx->err.code = code;
  for (s = first; s != NULL; s = va_arg(ap, const char *))
    cut |= cat_piece(ctx, &used, s);
  ctx->msg[used] = '\0';
  if (!utf8 || cut)
    cpw__utf8_sanitize(ctx->msg);
  return code;
}

int cpw__set_error_cat(cpw_ctx *ctx, int code, const char *first, ...)
{
  va_list ap;
  if (ctx == NULL)
    return code;
  va_start(ap, first);
  (void)set_error_cat_v(ctx, code, 0, first, ap);
  va_end(ap);
  return code;
}

int cpw__set_error_cat_utf8(cpw_ctx *ctx, int code, const char *first, ...)
{
  va_list ap;
  if (ctx == NULL)
    return code;
  va_start(ap, first);
  (void)set_error_cat_v(ctx, code, 1, first, ap);
  va_end(ap);
  return code;
}

void cpw__error_offset(cpw_ctx *ctx, int64_t offset)
{
  if (ctx != NULL)
    ctx->err.offset = offset;
}

void cpw__copy_error(cpw_ctx *dst, const cpw_ctx *src)
{
  if (dst == NULL || src == NULL || dst == src)
    return;
  memcpy(dst->msg, src->msg, sizeof dst->msg);
  memcpy(dst->file, src->file, sizeof dst->file);
  dst->err = src->err;
  dst->err.message = dst->msg;
  dst->err.file = src->err.file != NULL ? dst->file : NULL;
}

int cpw__check_version(cpw_ctx *ctx, unsigned int version, unsigned int newest, const char *what)
{
  if (version == 0 || version > newest)
    return cpw__set_error(ctx, CPW_EVERSION,
                          "%s version %u is not supported (this library knows 1 to %u)", what,
                          version, newest);
  return CPW_OK;
}

const char *cpw_strerror(int code)
{
  switch (code) {
  case CPW_OK: return "success";
  case CPW_ERROR: return "internal error";
  case CPW_ENOMEM: return "out of memory";
  case CPW_EINVALID: return "invalid argument or input";
  case CPW_ENOTFOUND: return "not found";
  case CPW_ESTATE: return "not allowed in the current state";
  case CPW_EVERSION: return "unsupported version";
  case CPW_ELIMIT: return "limit reached";
  case CPW_EPOLICY: return "policy error";
  case CPW_EIO: return "input/output error";
  case CPW_EBUSY: return "resource busy";
  case CPW_ECORRUPT: return "data is corrupt";
  case CPW_EEXISTS: return "already exists";
  case CPW_EDENIED: return "denied by a rule";
  case CPW_EUSER: return "stopped by a callback";
  case CPW_ITEROVER: return "no more items";
  default: return "unknown error code";
  }
}

void cpw_version(int *major, int *minor, int *patch)
{
  if (major != NULL)
    *major = CPW_VERSION_MAJOR;
  if (minor != NULL)
    *minor = CPW_VERSION_MINOR;
  if (patch != NULL)
    *patch = CPW_VERSION_PATCH;
}

const char *cpw_version_string(void)
{
  return CPW_VERSION_STRING;
}
