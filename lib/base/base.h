/* SPDX-License-Identifier: Apache-2.0 */
/* base/base.h: the context internals, allocation and error helpers every floor uses. */
#ifndef CPW_BASE_H
#define CPW_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cpw.h"

#if defined(__GNUC__)
#  define CPW__PRINTF(f, a) __attribute__((format(printf, f, a)))
#  define CPW__LIKELY(x) __builtin_expect(!!(x), 1)
#  define CPW__UNLIKELY(x) __builtin_expect(!!(x), 0)
#  define CPW__UNUSED __attribute__((unused))
#else
#  define CPW__PRINTF(f, a)
#  define CPW__LIKELY(x) (x)
#  define CPW__UNLIKELY(x) (x)
#  define CPW__UNUSED
#endif

#define CPW__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CPW__ERRMSG_SIZE 512
#define CPW__ERRFILE_SIZE 256

struct cpw_ctx {
  cpw_allocator alloc;
  cpw_error err;                      /* err.message and err.file point into the buffers */
  char msg[CPW__ERRMSG_SIZE];
  char file[CPW__ERRFILE_SIZE];
  char lang[40];                      /* the default language of texts ("" unless set) */
};

/* ---- allocation: every block goes through the context's allocator (Lua style: the size of a
 * block is passed back when it is resized or freed). On failure these record CPW_ENOMEM in ctx
 * and return NULL. */
void *cpw__malloc(cpw_ctx *ctx, size_t size);
void *cpw__calloc(cpw_ctx *ctx, size_t count, size_t size);
void *cpw__realloc(cpw_ctx *ctx, void *ptr, size_t old_size, size_t new_size);
void cpw__free(cpw_ctx *ctx, void *ptr, size_t size);
/* Array growth: ensures *cap >= need (doubling), elements of elem bytes. CPW_OK or CPW_ENOMEM
 * (also CPW_ELIMIT on size overflow). */
int cpw__grow(cpw_ctx *ctx, void **array, size_t *cap, size_t need, size_t elem);
/* A NUL-terminated copy of s[0..len); free with cpw__free(ctx, p, len + 1). */
char *cpw__strndup(cpw_ctx *ctx, const char *s, size_t len);
/* Blocks handed to the caller (freed by cpw_free) carry their size in a hidden header. */
void *cpw__export_alloc(cpw_ctx *ctx, size_t size);

/* ---- errors: each returns `code` so callers can `return cpw__set_error(...)`. */
int cpw__set_error(cpw_ctx *ctx, int code, const char *fmt, ...) CPW__PRINTF(3, 4);
int cpw__set_error_v(cpw_ctx *ctx, int code, const char *fmt, va_list ap) CPW__PRINTF(3, 0);
int cpw__set_error_at(cpw_ctx *ctx, int code, const char *file, int line, int column,
                      const char *fmt, ...) CPW__PRINTF(6, 7);
int cpw__set_os_error(cpw_ctx *ctx, int os_errno, const char *file, const char *fmt, ...)
  CPW__PRINTF(4, 5);
/* Set the last error to the concatenation of the NULL-terminated list of strings (no printf:
 * for hot paths such as refused events). */
int cpw__set_error_cat(cpw_ctx *ctx, int code, const char *first, ...);
/* cpw__set_error_cat for strings known to be valid UTF-8 (a policy's names, checked ids):
 * the message is checked for broken characters only when it had to be cut. */
int cpw__set_error_cat_utf8(cpw_ctx *ctx, int code, const char *first, ...);
/* Attach a byte offset to the last error. */
void cpw__error_offset(cpw_ctx *ctx, int64_t offset);
/* Copy the error of one context into another (used when an object's ctx differs). */
void cpw__copy_error(cpw_ctx *dst, const cpw_ctx *src);

/* A checked options version: CPW_OK, or CPW_EVERSION with a message naming `what`. */
int cpw__check_version(cpw_ctx *ctx, unsigned int version, unsigned int newest, const char *what);

/* cpw_calendar_add_working_days (cal and out not NULL) recording its error in `ctx`, which may
 * be NULL: evaluation and deadlines use a policy's calendar, shared by threads, whose own
 * context belongs to the thread that compiled the policy. */
int cpw__calendar_add_working_days(const cpw_calendar *cal, cpw_ctx *ctx, cpw_date *out,
                                   cpw_date date, int n);
/* A new calendar named `name` with src's weekend and rules (allocated through ctx). */
int cpw__calendar_copy(cpw_calendar **out, cpw_ctx *ctx, const cpw_calendar *src,
                       const char *name);

#endif
