/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/placement.h: alternative-care placements, gatekeeping, and deinstitutionalization (DI)
 * indicators. */
#ifndef CPW_PLACEMENT_H
#define CPW_PLACEMENT_H

#include "common.h"
#include "lang.h"
#include "policy.h"

CPW_BEGIN_DECL

/** The registry of facilities, children and placement episodes of one policy. */
typedef struct cpw_registry cpw_registry;

/** The categories of care settings of the reform's indicators: the three of formal alternative
 *  care, and (since 1.1) the child's own family with support, which is not alternative care. */
typedef enum cpw_category {
  CPW_CATEGORY_FAMILY = 0,       /**< family-based care: kinship and foster care */
  CPW_CATEGORY_FAMILY_TYPE = 1,  /**< small family-type homes */
  CPW_CATEGORY_RESIDENTIAL = 2,  /**< institutions, infant homes, 24-hour shelters */
  CPW_CATEGORY_OWN_FAMILY = 3    /**< the child's own (biological) family with support: not
                                      alternative care, so outside the care indicators */
} cpw_category;
#define CPW_CATEGORY_COUNT 4

/** "family", "family_type", "residential", "own_family". */
CPW_API const char *cpw_category_name(int category);

/** Why a placement ended. */
typedef enum cpw_exit_reason {
  CPW_EXIT_REUNIFIED = 0, CPW_EXIT_KINSHIP = 1, CPW_EXIT_FOSTERED = 2, CPW_EXIT_ADOPTED = 3,
  CPW_EXIT_MOVED = 4, CPW_EXIT_AGED_OUT = 5, CPW_EXIT_DIED = 6, CPW_EXIT_OTHER = 7
} cpw_exit_reason;
#define CPW_EXIT_REASON_COUNT 8

/** "reunified", "kinship", "fostered", "adopted", "moved", "aged_out", "died", "other". */
CPW_API const char *cpw_exit_reason_name(int reason);
/** The reason for a name, or CPW_ENOTFOUND. */
CPW_API int cpw_exit_reason_from_name(const char *name);

/** A registry for `policy` (which must outlive it). Its facilities are registered. */
CPW_API int cpw_registry_new(cpw_registry **out, cpw_ctx *ctx, const cpw_policy *policy);
CPW_API void cpw_registry_free(cpw_registry *reg);

/** Policy settings: count, id, category. */
CPW_API size_t cpw_policy_setting_count(const cpw_policy *policy);
CPW_API const char *cpw_policy_setting(const cpw_policy *policy, size_t index);
CPW_API int cpw_policy_setting_category(const cpw_policy *policy, size_t index);

/** Register a facility of a setting type. capacity, min_age, max_age < 0: the setting's
 *  (or none). CPW_EEXISTS, CPW_ENOTFOUND (setting), CPW_EINVALID (an id of 0 or more than 256
 *  bytes, bad numbers, strings that are not valid UTF-8). */
CPW_API int cpw_registry_add_facility(cpw_registry *reg, const char *id, const char *setting,
                                      const char *name, const char *region, int capacity,
                                      int min_age, int max_age);
/** Register a child: id (never a name), birth date (CPW_DATE_MIN if unknown), an optional
 *  sibling group id (children of one group are siblings). CPW_EEXISTS, CPW_EINVALID (an id of
 *  0 or more than 256 bytes, a date out of range, strings that are not valid UTF-8). */
CPW_API int cpw_registry_add_child(cpw_registry *reg, const char *child, cpw_date birth_date,
                                   const char *sibling_group);

/** Flags of a placement request. */
#define CPW_PLACE_EXISTING 1u   /**< record a placement that already exists (data migration):
                                     gatekeeping is not applied, the reason says so */

/** A request to place (or move) a child. Start from CPW_PLACEMENT_REQUEST_INIT. */
typedef struct cpw_placement_request {
  unsigned int version;          /**< CPW_PLACEMENT_REQUEST_VERSION */
  const char *child;
  const char *facility;          /**< a registered facility, or NULL with `setting` */
  const char *setting;           /**< a family setting type when there is no facility */
  const char *region;            /**< where (family settings); a facility's own otherwise */
  cpw_date date;
  const char *actor;
  const char *role;
  const char *reason;            /**< why (free text, no personal data) */
  int emergency;                 /**< an emergency placement */
  int keep_siblings_together;    /**< placed to keep siblings together */
  unsigned int flags;            /**< CPW_PLACE_* */
  /** Version 2 (since 1.1): the child's assessed degree of disability, as the gatekeeping
   *  rules read it (`disability`): "none", "moderate", "severe" or "profound"; NULL when not
   *  assessed (a rule that needs it then denies: it could not be checked). */
  const char *disability;
} cpw_placement_request;

#define CPW_PLACEMENT_REQUEST_VERSION 2
#define CPW_PLACEMENT_REQUEST_INIT { CPW_PLACEMENT_REQUEST_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Place a child who is not placed now. The policy's gatekeeping rules run first: a denial
 * returns CPW_EDENIED with the rule's reason in cpw_registry_explain() and changes nothing;
 * warnings (siblings split) let the placement go ahead and are listed by
 * cpw_registry_explain(). Other errors: CPW_ENOTFOUND (child, facility, setting),
 * CPW_ESTATE (the child is placed already: use cpw_registry_move), CPW_EVERSION (the request's
 * version), CPW_EINVALID (a date out of range, unknown flags, a region that is not UTF-8, ...).
 */
CPW_API int cpw_registry_place(cpw_registry *reg, const cpw_placement_request *req);

/** Move a placed child: the current placement ends (exit reason `moved`) and the new one
 *  starts on req->date, atomically (a denial changes nothing). */
CPW_API int cpw_registry_move(cpw_registry *reg, const cpw_placement_request *req);

/** End the child's placement on `date` with an exit reason (cpw_exit_reason). CPW_ESTATE if
 *  the child is not placed; CPW_EINVALID for a date before the placement's start. `actor` and
 *  `role` are not checked here (no policy rule names who may end or review a placement): the
 *  journaled twins, cpw_journal_end_placement and cpw_journal_review_placement, record them,
 *  and there the actor is required. */
CPW_API int cpw_registry_end(cpw_registry *reg, const char *child, cpw_date date, int reason,
                             const char *actor, const char *role);

/** Record a review of the child's placement on `date` (the next one is due a review period
 *  later). */
CPW_API int cpw_registry_review(cpw_registry *reg, const char *child, cpw_date date,
                                const char *actor, const char *role);

/** The reasons of the last denial, or the warnings of the last placement ("" if none);
 *  borrowed from the registry until its next call. */
CPW_API const char *cpw_registry_explain(const cpw_registry *reg);

/** The settings the child could be placed in on `date` (not denied by gatekeeping), most
 *  preferred first, as setting ids (borrowed from the policy). Returns how many there are. */
CPW_API size_t cpw_registry_options(cpw_registry *reg, const char *child, cpw_date date,
                                    int emergency, int keep_siblings_together,
                                    const char **settings, size_t max);

/** The settings the child of `req` could be placed in on req->date (not denied by
 *  gatekeeping), most preferred first, judged with the request's emergency,
 *  keep_siblings_together and (version 2) disability; its facility, setting, region and role
 *  are not used. Returns how many there are (0 for an unknown child or a bad request). Since
 *  1.1. */
CPW_API size_t cpw_registry_request_options(cpw_registry *reg, const cpw_placement_request *req,
                                            const char **settings, size_t max);

/* ---- queries ---- */

/** A placed child (a borrowed view; valid until the next change to the registry). */
typedef struct cpw_placement_info {
  const char *child;
  const char *setting;
  const char *facility;      /**< or NULL */
  const char *region;
  int category;
  cpw_date start;
  cpw_date review_due;       /**< CPW_DATE_MAX without reviews */
  cpw_date turns_adult;      /**< the day the child reaches the leaving-care age, or CPW_DATE_MAX */
} cpw_placement_info;

/** The child's current placement: CPW_OK, or CPW_ENOTFOUND / CPW_ESTATE (not placed). */
CPW_API int cpw_registry_current(const cpw_registry *reg, const char *child,
                                 cpw_placement_info *out);
/** Placements whose review is due on or before `date`, earliest first. */
CPW_API size_t cpw_registry_reviews_due(const cpw_registry *reg, cpw_date date,
                                        cpw_placement_info *out, size_t max);
/** Placed children who reach the leaving-care age (18) on or before `date`, earliest first. */
CPW_API size_t cpw_registry_aging_out(const cpw_registry *reg, cpw_date date,
                                      cpw_placement_info *out, size_t max);
/** Children placed now in a facility. */
CPW_API int64_t cpw_registry_occupancy(const cpw_registry *reg, const char *facility);
CPW_API size_t cpw_registry_episode_count(const cpw_registry *reg);

/* ---- indicators ---- */

/** Indicators computed for a period (cpw_registry_indicators); owned by the caller. */
typedef struct cpw_indicators cpw_indicators;

/** The headline figures of a period (all counts are children or episodes). "In care" is
 *  formal alternative care (UNICEF ECA's definitions: family-based care, i.e. kinship and
 *  foster care, and residential care; here also family-type homes): settings of the category
 *  own_family (the child's own family with support) are not counted in it. docs/indicators.md
 *  gives each definition with its source. */
typedef struct cpw_indicator_summary {
  cpw_date from, to;              /**< the period, both days included */
  int64_t placed_at_end;          /**< children in formal care at the end of `to` */
  int64_t family_at_end;          /**< ... in family-based care (kinship, foster care) */
  int64_t family_type_at_end;     /**< ... in family-type care */
  int64_t residential_at_end;     /**< ... in residential care */
  double family_share;            /**< family_at_end / placed_at_end: family-based care against
                                       all formal care (0 when none placed) */
  int64_t entries;                /**< formal-care placements that started in the period */
  int64_t exits;                  /**< formal-care placements that ended in the period (moves
                                       within care included: see left_care) */
  int64_t moves;                  /**< exits with reason `moved` */
  int64_t children;               /**< distinct children in formal care at some time in the
                                       period */
  double moves_per_child;         /**< moves / children (0 when none) */
  double median_stay_days;        /**< median length of the placements that ended (0: none) */
} cpw_indicator_summary;

/** Since 1.1: where the placements that ended went, and the children at home with support
 *  (cpw_indicators_care). Owned by the indicators; fields are only ever appended. */
typedef struct cpw_indicator_care {
  int64_t own_family_at_end;      /**< children living with their own family with support at
                                       the end (not in care) */
  int64_t left_care;              /**< formal-care placements that ended in the period with the
                                       child leaving formal care (no formal placement starts
                                       the same day; the reason is not `moved` or `fostered`) */
  int64_t moved_within_care;      /**< formal-care placements that ended in the period with the
                                       child staying in formal care (the next formal placement
                                       starts the same day, or the reason is `moved` or
                                       `fostered`): exits = left_care + moved_within_care */
} cpw_indicator_care;

/**
 * Compute the indicators of [from, to] (both included) for one region (valid UTF-8, else
 * CPW_EINVALID; the formats show its first 127 bytes), or all (region NULL):
 * the summary; children at the end by setting and category; entries by setting; exits by
 * setting and exit reason; and residential care's population at the end of every month.
 * Free with cpw_indicators_free.
 */
CPW_API int cpw_registry_indicators(const cpw_registry *reg, cpw_ctx *ctx, cpw_date from,
                                    cpw_date to, const char *region, cpw_indicators **out);
CPW_API void cpw_indicators_free(cpw_indicators *ind);
CPW_API const cpw_indicator_summary *cpw_indicators_summary(const cpw_indicators *ind);
/** Children who left care, moves within care, and children at home with support (1.1); NULL
 *  for NULL. Borrowed from the indicators. */
CPW_API const cpw_indicator_care *cpw_indicators_care(const cpw_indicators *ind);
/** By setting (index as cpw_policy_setting): children at the end, entries, exits. */
CPW_API int64_t cpw_indicators_at_end(const cpw_indicators *ind, size_t setting);
CPW_API int64_t cpw_indicators_entries(const cpw_indicators *ind, size_t setting);
CPW_API int64_t cpw_indicators_exits(const cpw_indicators *ind, size_t setting, int reason);
/** Residential care's population at each month end of the period (and at `to`). */
CPW_API size_t cpw_indicators_series_count(const cpw_indicators *ind);
CPW_API int cpw_indicators_series(const cpw_indicators *ind, size_t i, cpw_date *date,
                                  int64_t *residential);

/** Since 1.1: the headline indicators by key. cpw_indicator_key(i) for i = 0, 1, ... gives
 *  their keys in the order of the formats (the CSV and JSON names: "placed_at_end",
 *  "family_share", ...), then NULL. A static string; later releases may add keys, never
 *  remove one. */
CPW_API const char *cpw_indicator_key(size_t i);
/** Since 1.1: the value of the headline indicator `key` (a cpw_indicator_key, or the other
 *  name it answers to: "family_based_share" is "family_share") in *value, counts as whole
 *  numbers and shares from 0 to 1. CPW_EINVALID for a NULL argument; CPW_ENOTFOUND for an
 *  unknown key, with the known keys in the message of the context that computed the
 *  indicators. A new indicator is a new key, not a new function. */
CPW_API int cpw_indicators_value(const cpw_indicators *ind, const char *key, double *value);

/** Output formats of cpw_indicators_format. */
typedef enum cpw_indicator_format {
  CPW_INDICATORS_TABLE = 0,  /**< aligned plain text */
  CPW_INDICATORS_CSV = 1,    /**< indicator,setting,reason,value lines */
  CPW_INDICATORS_JSON = 2    /**< one JSON object */
} cpw_indicator_format;

/** Render; *out is NUL-terminated, free it with cpw_free(ctx, *out). */
CPW_API int cpw_indicators_format(const cpw_indicators *ind, cpw_ctx *ctx, int format,
                                  char **out, size_t *len);
/** cpw_indicators_format with the table in the language `opts` gives (NULL or a NULL lang: the
 *  context's default, which cpw_indicators_format uses): headings and exit reasons from the
 *  language's catalogue, settings and the region by their labels, dates as the language writes
 *  them, columns aligned by characters. CSV and JSON are for programs and stay the same in
 *  every language. Errors as cpw_indicators_format, and CPW_EVERSION, CPW_ENOTFOUND (a
 *  language neither built in nor declared by the policy). */
CPW_API int cpw_indicators_format_with(const cpw_indicators *ind, cpw_ctx *ctx, int format,
                                       const cpw_text_options *opts, char **out, size_t *len);

CPW_END_DECL

#endif
