/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/context.h: the library context (allocator, last error) and library version. */
#ifndef CPW_CONTEXT_H
#define CPW_CONTEXT_H

#include "common.h"
#include "errors.h"

CPW_BEGIN_DECL

/**
 * A realloc-style allocator (the Lua shape). Called with ptr == NULL and old_size == 0 to
 * allocate, with new_size == 0 to free (the return value is then ignored), and otherwise to
 * resize. old_size is always the size the block was allocated with. Return NULL on failure:
 * the library then reports CPW_ENOMEM and leaves every object as it was.
 */
typedef void *(*cpw_realloc_fn)(void *user_data, void *ptr, size_t old_size, size_t new_size);

/** The allocator of a context: a realloc-style function and the user data passed to it. */
typedef struct cpw_allocator {
  cpw_realloc_fn realloc;  /**< NULL means the C library's realloc/free */
  void *user_data;         /**< passed to every call */
} cpw_allocator;

/** Options for cpw_ctx_new. Start from CPW_CTX_OPTIONS_INIT or cpw_ctx_options_init(). */
typedef struct cpw_ctx_options {
  unsigned int version;     /**< CPW_CTX_OPTIONS_VERSION */
  cpw_allocator allocator;  /**< every allocation made through the context uses it */
} cpw_ctx_options;

#define CPW_CTX_OPTIONS_VERSION 1
#define CPW_CTX_OPTIONS_INIT { CPW_CTX_OPTIONS_VERSION, { 0, 0 } }

/** Fill `opts` with the defaults of options `version`. CPW_EVERSION if version is 0 or newer
 *  than this library; CPW_EINVALID if opts is NULL. */
CPW_API int cpw_ctx_options_init(cpw_ctx_options *opts, unsigned int version);

/**
 * Create a context. `opts` may be NULL (defaults). On success *out owns the context; free it
 * with cpw_ctx_free after every object created with it has been freed.
 * Errors: CPW_EINVALID (out NULL), CPW_EVERSION (opts->version), CPW_ENOMEM.
 *
 * Threads: a context, and every object created with it, is used by one thread at a time.
 * Separate contexts are independent. A compiled cpw_policy is immutable and may be shared by
 * any number of threads, each with its own context. The library creates no threads.
 */
CPW_API int cpw_ctx_new(cpw_ctx **out, const cpw_ctx_options *opts);

/** Free a context. NULL is allowed. */
CPW_API void cpw_ctx_free(cpw_ctx *ctx);

/** The last error recorded in `ctx` (code CPW_OK if none). Never NULL, even for ctx NULL.
 *  The pointer is borrowed from the context and valid until its next failing call. */
CPW_API const cpw_error *cpw_ctx_last_error(const cpw_ctx *ctx);

/** Forget the last error. */
CPW_API void cpw_ctx_clear_error(cpw_ctx *ctx);

/** Free a block the library returned to the caller through a `char **` or `void **` out
 *  parameter (documented as "free with cpw_free"). NULL is allowed. */
CPW_API void cpw_free(cpw_ctx *ctx, void *ptr);

/** The run-time library version. Any of the pointers may be NULL. */
CPW_API void cpw_version(int *major, int *minor, int *patch);

/** The run-time library version as "MAJOR.MINOR.PATCH" (static storage). */
CPW_API const char *cpw_version_string(void);

CPW_END_DECL

#endif
