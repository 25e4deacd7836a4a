/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpw/experimental.h: functions and types not yet frozen. Define CPW_EXPERIMENTAL before
 * including this header (or pass -DCPW_EXPERIMENTAL) and link the static library
 * (`cpw::cpw_static`, `pkg-config --static cpw`, libcpw.a):
 *
 *   #define CPW_EXPERIMENTAL
 *   #include <cpw.h>
 *   #include <cpw/experimental.h>
 *
 * What is here may change shape or go away in any release, minor ones included; it is never
 * part of the stable ABI: the shared library libcpw.so.1 does not export it (the declarations
 * carry no default visibility), tests/tools/check_abi.py and abidiff never see it, and the
 * Python bindings do not bind it. When a function here has settled, it moves to its
 * module's header under a new CPW_1.n version node and the experimental name stays as an
 * alias for one minor release. docs/abi.md explains the lanes; docs/conventions.md how a
 * function enters this one.
 */
#ifndef CPW_EXPERIMENTAL_H
#define CPW_EXPERIMENTAL_H

#ifndef CPW_EXPERIMENTAL
#error "cpw/experimental.h: define CPW_EXPERIMENTAL to use the unfrozen API (static library only)"
#endif

#include "cpw/placement.h"

CPW_BEGIN_DECL

/** Visibility of the experimental functions: none (hidden in the shared library, present in
 *  the static one). */
#define CPW_XP_API

/** How a headline indicator is stored and written (cpw_xp_indicator_describe). */
typedef enum cpw_xp_indicator_kind {
  CPW_XP_INDICATOR_COUNT = 0,  /**< a number of children or placements (whole) */
  CPW_XP_INDICATOR_SHARE = 1,  /**< a share from 0 to 1 (the table writes it as a percentage) */
  CPW_XP_INDICATOR_RATIO = 2,  /**< a ratio (moves per child) */
  CPW_XP_INDICATOR_DAYS = 3    /**< a length in days */
} cpw_xp_indicator_kind;

/** What a headline indicator is: set `version` to CPW_XP_INDICATOR_INFO_VERSION; the library
 *  fills the rest with static strings. */
typedef struct cpw_xp_indicator_info {
  unsigned int version;
  const char *key;         /**< its key (cpw_indicator_key) */
  int kind;                /**< cpw_xp_indicator_kind */
  const char *name;        /**< the English name of the plain table */
  const char *definition;  /**< one line in English; docs/indicators.md gives the source */
} cpw_xp_indicator_info;

#define CPW_XP_INDICATOR_INFO_VERSION 1

/** Describe the headline indicator `key` (or the other name it answers to) in *info.
 *  CPW_EINVALID for a NULL argument, CPW_EVERSION for a version this library does not know
 *  (0 or above CPW_XP_INDICATOR_INFO_VERSION), CPW_ENOTFOUND for an unknown key; no context,
 *  so no message: the codes say it all. */
CPW_XP_API int cpw_xp_indicator_describe(const char *key, cpw_xp_indicator_info *info);

CPW_END_DECL

#endif
