/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/errors.h: error codes and the last-error record of a context. */
#ifndef CPW_ERRORS_H
#define CPW_ERRORS_H

#include "common.h"

CPW_BEGIN_DECL

/**
 * Return codes. Every function that can fail returns an int: CPW_OK (0) on success or one of
 * these negative values. The values are part of the ABI: they are never renumbered or reused.
 * Domain outcomes (not eligible, a refused transition's reason) are results, not errors, except
 * where a function documents otherwise.
 */
typedef enum cpw_status {
  CPW_OK = 0,
  CPW_ERROR = -1,      /**< an unexpected failure (a bug or an impossible state) */
  CPW_ENOMEM = -2,     /**< an allocation failed; every object is left as it was */
  CPW_EINVALID = -3,   /**< a bad argument or malformed input (a date, a record, a name) */
  CPW_ENOTFOUND = -4,  /**< a named thing (programme, field, case, event) does not exist */
  CPW_ESTATE = -5,     /**< refused in the current state (an event no transition accepts) */
  CPW_EVERSION = -6,   /**< an options struct or file format version this library cannot use */
  CPW_ELIMIT = -7,     /**< a size or evaluation limit was reached */
  CPW_EPOLICY = -8,    /**< a policy text failed to compile (see file/line/column) */
  CPW_EIO = -9,        /**< an operating-system I/O error (see cpw_error.os_error) */
  CPW_EBUSY = -10,     /**< the resource is held by someone else (a journal's writer lock) */
  CPW_ECORRUPT = -11,  /**< stored data failed verification (checksum, hash chain, structure) */
  CPW_EEXISTS = -12,   /**< an object with this id already exists */
  CPW_EDENIED = -13,   /**< refused by a rule: role not allowed, guard false, gatekeeping */
  CPW_EUSER = -30,     /**< a user callback asked to stop */
  CPW_ITEROVER = -31   /**< an iterator has no more items (not a failure) */
} cpw_status;

/**
 * The last error recorded in a context. The struct is owned by the context and stays valid
 * until the next call that uses the context. Fields are only ever appended.
 */
typedef struct cpw_error {
  int code;             /**< a cpw_status value; CPW_OK when no error is recorded */
  const char *message;  /**< a sentence without personal data beyond ids; never NULL; valid
                             UTF-8 (a byte of a quoted input that is not becomes '?') */
  const char *file;     /**< the policy or journal file the error is in, or NULL */
  int line;             /**< 1-based line in `file`, or 0 */
  int column;           /**< 1-based column (in bytes) in `file`, or 0 */
  int os_error;         /**< the errno of a CPW_EIO error, else 0 */
  int64_t offset;       /**< a byte offset in `file` (journal entries), or -1 */
} cpw_error;

/** A static description of a status code ("out of memory"); never NULL. */
CPW_API const char *cpw_strerror(int code);

CPW_END_DECL

#endif
