/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/common.h: export macros, C++ guards and the basic scalar types of libcpw. */
#ifndef CPW_COMMON_H
#define CPW_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(CPW_CDEF)
/* Used when generating bindings/python/cpw/_cdef.h: no attributes at all. */
#  define CPW_API
#elif defined(CPW_STATIC)
#  define CPW_API
#elif defined(_WIN32)
#  if defined(CPW_BUILDING)
#    define CPW_API __declspec(dllexport)
#  else
#    define CPW_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define CPW_API __attribute__((visibility("default")))
#else
#  define CPW_API
#endif

#ifdef __cplusplus
#  define CPW_BEGIN_DECL extern "C" {
#  define CPW_END_DECL }
#else
#  define CPW_BEGIN_DECL
#  define CPW_END_DECL
#endif

CPW_BEGIN_DECL

/** A calendar date: days since 1970-01-01 (negative before). Valid range: 0001-01-01 to
 *  9999-12-31 (CPW_DATE_MIN .. CPW_DATE_MAX). */
typedef int32_t cpw_date;
#define CPW_DATE_MIN (-719162)
#define CPW_DATE_MAX 2932896

/** An instant: whole seconds since 1970-01-01T00:00:00Z (UTC), leap seconds ignored (POSIX). */
typedef int64_t cpw_time;

/** Money: an integer number of tetri (1 GEL = 100 tetri). */
typedef int64_t cpw_money;

/** The library context: allocator and last error. See cpw/context.h. */
typedef struct cpw_ctx cpw_ctx;

CPW_END_DECL

#endif
