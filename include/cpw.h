/* SPDX-License-Identifier: Apache-2.0 */
/* cpw.h: libcpw, an embeddable C library for child-protection case work.
 *
 * One header includes the whole public API:
 *   cpw/common.h    export macros and scalar types (dates, times, money)
 *   cpw/errors.h    status codes, cpw_error, cpw_strerror
 *   cpw/context.h   cpw_ctx (allocator, last error), version
 *   cpw/lang.h      the language of texts: catalogue of fixed words, dates and money
 *   cpw/date.h      dates, instants, ISO 8601, working-day calendars
 *   cpw/policy.h    compiling policies; fields, programmes, calendars of a policy
 *   cpw/eligibility.h  records, decisions with explanations, batch evaluation
 *   cpw/workflow.h  referral workflows, cases, caseloads, deadlines, diagrams
 *   cpw/placement.h placements, gatekeeping, deinstitutionalization indicators
 *   cpw/journal.h   the durable, tamper-evident journal: append, commit, recover, replay
 *
 * Conventions: functions return CPW_OK (0) or a negative cpw_status; out-parameters come
 * first; a pointer returned through `**out` is owned by the caller and freed with the matching
 * cpw_*_free; a pointer returned directly is borrowed from its parent object. Threads: see
 * cpw_ctx_new.
 */
#ifndef CPW_H
#define CPW_H

#include "cpw/common.h"
#include "cpw/version.h"
#include "cpw/errors.h"
#include "cpw/context.h"
#include "cpw/lang.h"
#include "cpw/date.h"
#include "cpw/policy.h"
#include "cpw/eligibility.h"
#include "cpw/workflow.h"
#include "cpw/placement.h"
#include "cpw/journal.h"

#endif
