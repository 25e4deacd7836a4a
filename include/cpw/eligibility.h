/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/eligibility.h: records, eligibility decisions with explanations, batch evaluation. */
#ifndef CPW_ELIGIBILITY_H
#define CPW_ELIGIBILITY_H

#include "common.h"
#include "lang.h"
#include "policy.h"

CPW_BEGIN_DECL

/* ------------------------------------------------------------------ records
 * A record holds values for the fields of one policy; a field that was never set (or was
 * unset) is *missing*. Setters check the field exists and the value fits its type:
 * CPW_ENOTFOUND for an unknown field, CPW_EINVALID for a wrong type or value (the message
 * names the field, never the value).
 */
typedef struct cpw_record cpw_record;

/** A record for `policy`'s fields, all missing. Free with cpw_record_free before the policy. */
CPW_API int cpw_record_new(cpw_record **out, cpw_ctx *ctx, const cpw_policy *policy);
CPW_API void cpw_record_free(cpw_record *record);
/** Make every field missing again. */
CPW_API void cpw_record_clear(cpw_record *record);
CPW_API int cpw_record_set_bool(cpw_record *record, const char *field, int value);
CPW_API int cpw_record_set_int(cpw_record *record, const char *field, int64_t value);
/** Money in tetri (100 tetri = 1 GEL). */
CPW_API int cpw_record_set_money(cpw_record *record, const char *field, cpw_money tetri);
CPW_API int cpw_record_set_date(cpw_record *record, const char *field, cpw_date value);
CPW_API int cpw_record_set_datetime(cpw_record *record, const char *field, cpw_time value);
/** An enum field, by value name ("georgian"). */
CPW_API int cpw_record_set_enum(cpw_record *record, const char *field, const char *value);
/** A text field (valid UTF-8; copied). */
CPW_API int cpw_record_set_text(cpw_record *record, const char *field, const char *text);
/** A set field from value names. */
CPW_API int cpw_record_set_members(cpw_record *record, const char *field,
                                   const char *const *values, size_t count);
/**
 * Set a field from text, read by the field's type (CSV cells, form input): bool "true",
 * "false", "yes", "no", "1", "0"; int digits with an optional sign; money "1000" or "12.50"
 * (GEL); date YYYY-MM-DD; datetime ISO 8601 with offset; enum a value name; set value names
 * separated by '|' or ';'; text as is. An empty text makes the field missing.
 */
CPW_API int cpw_record_set_string(cpw_record *record, const char *field, const char *text,
                                  size_t len);
/** Flags for cpw_record_set_json. */
#define CPW_RECORD_IGNORE_UNKNOWN 1u
/**
 * Set fields from a JSON object ({"citizenship": "georgian", "birth_date": "2010-05-01"}):
 * booleans (or a string as cpw_record_set_string reads it: "yes", "true", "1"...), numbers
 * (money in GEL, at most 2 decimals), strings (dates, enum values, text), arrays of strings
 * (sets), null (missing). Unknown keys are an error (CPW_ENOTFOUND) unless
 * CPW_RECORD_IGNORE_UNKNOWN skips them. A key given twice in the object is CPW_EINVALID, whether
 * it is a field or a key skipped (an unknown key, the `except` key of
 * cpw_record_set_json_except); keys are compared as JSON means them ("a" and "\u0061" are one
 * key), and the message names the key only when it is a field or the `except` key ("field 'x'
 * is given twice (line 1, column 20)", else "a key is given twice (...)"). Other flag bits are
 * CPW_EINVALID. A UTF-8 byte order mark before the object (the first line of a JSON Lines file
 * saved by Excel or Notepad) is skipped. On error the record is unchanged.
 */
CPW_API int cpw_record_set_json(cpw_record *record, const char *json, size_t len,
                                unsigned int flags);
/** cpw_record_set_json, also skipping the key `except` (e.g. the record's own "id" key, which
 *  is not a field) when it is not NULL and not a field's name; given twice, it is refused as
 *  "key 'id' is given twice (line 1, column 20)". */
CPW_API int cpw_record_set_json_except(cpw_record *record, const char *json, size_t len,
                                       unsigned int flags, const char *except);
/** Make one field missing (CPW_ENOTFOUND if there is no such field). */
CPW_API int cpw_record_unset(cpw_record *record, const char *field);
/** 1 if the field has a value, 0 if missing, CPW_ENOTFOUND if there is no such field. */
CPW_API int cpw_record_is_set(const cpw_record *record, const char *field);
/** A field's value in the form of a batch column (see cpw_column) into *value: returns 1 when
 *  set, 0 when missing, CPW_ENOTFOUND, or CPW_EINVALID for a text field (use
 *  cpw_record_get_text). */
CPW_API int cpw_record_get(const cpw_record *record, const char *field, int64_t *value);
/** A text field's value (borrowed from the record), or NULL when missing or not a text field. */
CPW_API const char *cpw_record_get_text(const cpw_record *record, const char *field);

/* ------------------------------------------------------------------ decisions */
typedef enum cpw_outcome {
  CPW_NOT_ELIGIBLE = 0,
  CPW_ELIGIBLE = 1,
  CPW_UNDETERMINED = 2,   /**< the rule needs fields that are missing (see missing list) */
  CPW_OUTCOME_ERROR = 3   /**< the rule, a condition or an amount could not be evaluated */
} cpw_outcome;

/** "not_eligible", "eligible", "undetermined", "error". */
CPW_API const char *cpw_outcome_name(int outcome);

/** How often a benefit is paid. */
typedef enum cpw_period {
  CPW_PERIOD_ONCE = 0,
  CPW_PERIOD_MONTHLY = 1,
  CPW_PERIOD_YEARLY = 2
} cpw_period;

/** One clause of an explanation. Owned by the decision; valid until its next evaluation. */
typedef struct cpw_reason {
  int holds;               /**< 1 the clause is true, 0 false, -1 unknown (missing data) */
  const char *subject;     /**< what was looked at, as written ("months_abroad_irregular") */
  const char *value;       /**< its value ("10", "missing") */
  const char *requirement; /**< what the rule needs ("more than 12"), or "" */
  const char *clause;      /**< the clause as written in the policy */
  int line, column;        /**< where the clause is in the policy */
  const char *sentence;    /**< "months_abroad_irregular is 10, but must be more than 12" */
} cpw_reason;

/** The result of an evaluation; reusable: each cpw_evaluate overwrites it. */
typedef struct cpw_decision cpw_decision;

/** A new, empty decision, owned by the caller (free with cpw_decision_free). Errors:
 *  CPW_EINVALID, CPW_ENOMEM. */
CPW_API int cpw_decision_new(cpw_decision **out, cpw_ctx *ctx);
/** Free a decision. NULL is allowed. */
CPW_API void cpw_decision_free(cpw_decision *decision);

/** Flags for cpw_evaluate. */
#define CPW_EVAL_EXPLAIN 1u  /**< build the explanation (reasons and text) */

/**
 * Decide whether `record` is eligible for `program` as of `as_of`. The decision records the
 * outcome, the missing fields (when undetermined), the services and benefits that apply (when
 * eligible), and with CPW_EVAL_EXPLAIN the reasons. A programme not in force on `as_of` is
 * CPW_NOT_ELIGIBLE with that reason. The record and programme must come from the same policy.
 * Returns CPW_OK also for not-eligible and undetermined outcomes. Errors: CPW_EINVALID (NULL
 * arguments, unknown flags, a record of another policy, or an evaluation error such as a division by zero
 * in the rule, a benefit's or service's condition or a benefit's amount: the outcome is then
 * CPW_OUTCOME_ERROR, with no benefits or services, and the message names the part at fault),
 * CPW_ENOMEM (the decision is left empty).
 * Threads: the policy may be shared; decision and record belong to the calling thread.
 */
CPW_API int cpw_evaluate(cpw_decision *decision, const cpw_program *program,
                         const cpw_record *record, cpw_date as_of, unsigned int flags);

/**
 * cpw_evaluate with the explanation (CPW_EVAL_EXPLAIN) written in the language `opts` gives
 * (cpw_text_options; NULL or a NULL lang: the context's default, which cpw_evaluate uses too).
 * In Georgian: "არ აკმაყოფილებს პირობებს: არცერთი პირობა არ სრულდება: ..."; the reasons'
 * subject, value, requirement and sentence are in that language too (their clause stays as
 * written in the policy). Errors as cpw_evaluate, and CPW_EVERSION (opts->version),
 * CPW_ENOTFOUND (a language neither built in nor declared by the programme's policy; the
 * decision is then left empty).
 */
CPW_API int cpw_evaluate_with(cpw_decision *decision, const cpw_program *program,
                              const cpw_record *record, cpw_date as_of, unsigned int flags,
                              const cpw_text_options *opts);

/** The outcome (cpw_outcome), the programme (borrowed from its policy: its policy gives the
 *  name, version and hash the decision was made under) and the evaluation date. */
CPW_API int cpw_decision_outcome(const cpw_decision *decision);
CPW_API const cpw_program *cpw_decision_program(const cpw_decision *decision);
CPW_API cpw_date cpw_decision_as_of(const cpw_decision *decision);
/** Fields (and parameters) the outcome needs but are missing. Borrowed names. */
CPW_API size_t cpw_decision_missing_count(const cpw_decision *decision);
CPW_API const char *cpw_decision_missing(const cpw_decision *decision, size_t index);
/** Services that apply (eligible, and the service's own condition holds). */
CPW_API size_t cpw_decision_service_count(const cpw_decision *decision);
CPW_API const char *cpw_decision_service(const cpw_decision *decision, size_t index);
/** Benefits that apply, with amount (tetri) and period (cpw_period). */
CPW_API size_t cpw_decision_benefit_count(const cpw_decision *decision);
CPW_API const char *cpw_decision_benefit(const cpw_decision *decision, size_t index,
                                         cpw_money *amount, int *period);
/** 1 if the benefit's amount is a maximum ("benefit NAME up to AMOUNT ...": a capped grant,
 *  e.g. a competitive one, whose amount a person is not owed), 0 if it is the amount owed;
 *  CPW_ENOTFOUND if there is no such benefit (or no decision). Since 1.1. */
CPW_API int cpw_decision_benefit_is_cap(const cpw_decision *decision, size_t index);
/** The explanation as text ("not eligible: ...", in the language of the evaluation); "" without
 *  CPW_EVAL_EXPLAIN.
 *  Valid UTF-8, as are the reasons' strings (a long value is quoted cut short). Borrowed from
 *  the decision. */
CPW_API const char *cpw_decision_explain(const cpw_decision *decision);
CPW_API size_t cpw_decision_reason_count(const cpw_decision *decision);
CPW_API const cpw_reason *cpw_decision_reason(const cpw_decision *decision, size_t index);

/** The rules that decided the decision (1.1), each with its basis (cpw_rule_basis): the
 *  programme; when it was in force on the evaluation date, the value then in force of each
 *  parameter its rule, benefits and services read; and the benefits and services that apply.
 *  Borrowed from the policy. */
CPW_API size_t cpw_decision_rule_count(const cpw_decision *decision);
CPW_API const cpw_rule *cpw_decision_rule(const cpw_decision *decision, size_t index);
/** Those rules and their bases as one text, "NAME: BASIS; NAME: BASIS" ("tsa_child_benefit:
 *  proposal, not confirmed (...); tsa_child_benefit_gel from 2021-07-01: ..."); "" after an
 *  allocation failure. Borrowed from the decision until its next evaluation. */
CPW_API const char *cpw_decision_basis(const cpw_decision *decision);

/* ------------------------------------------------------------------ batch */

/** One input column of a batch: the values of one field for every record. */
typedef struct cpw_column {
  const char *field;            /**< the field's name */
  /** Values for non-text fields: bool 0/1, int, money (tetri), date (days), datetime
   *  (seconds), enum (value index), set (bit mask of value indexes). */
  const int64_t *values;
  const char *const *texts;     /**< values of a text field (NULL entries are missing) */
  const uint8_t *missing;       /**< NULL: none missing; else non-zero marks a missing value */
} cpw_column;

/**
 * Evaluate `program` for `nrecords` records given column by column. outcomes[i] receives a
 * cpw_outcome; services (optional) receives for each record a bit mask of the programme's
 * services that apply (bit j = cpw_program_service(program, j)). Fields without a column are
 * missing. Nothing is allocated per record. Errors: CPW_ENOTFOUND (a column names an unknown
 * field), CPW_EINVALID (a value out of range for its field in a column the programme reads:
 * the message gives the column and record index; columns of fields the programme never reads
 * are not checked), CPW_ENOMEM. On an error the contents of outcomes and services are
 * unspecified.
 */
CPW_API int cpw_evaluate_batch(cpw_ctx *ctx, const cpw_program *program, cpw_date as_of,
                               const cpw_column *columns, size_t ncolumns, size_t nrecords,
                               uint8_t *outcomes, uint64_t *services);

CPW_END_DECL

#endif
