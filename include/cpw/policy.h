/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/policy.h: compiling policy files and reading what a compiled policy declares. */
#ifndef CPW_POLICY_H
#define CPW_POLICY_H

#include "common.h"
#include "date.h"

CPW_BEGIN_DECL

/** A compiled policy: immutable, and safe to share between threads once compiled. */
typedef struct cpw_policy cpw_policy;
/** A programme of a policy (borrowed from the policy). */
typedef struct cpw_program cpw_program;

/** One policy text to compile. `name` appears in diagnostics ("georgia.cpw"). */
typedef struct cpw_policy_source {
  const char *name;
  const char *text;
  size_t len;
} cpw_policy_source;

/** How serious a compile diagnostic is. */
typedef enum cpw_severity {
  CPW_SEVERITY_ERROR = 0,
  CPW_SEVERITY_WARNING = 1
} cpw_severity;

/** A compile diagnostic. Owned by its cpw_diagnostics. */
typedef struct cpw_diagnostic {
  int severity;          /**< cpw_severity */
  const char *file;      /**< the source name */
  int line;              /**< 1-based */
  int column;            /**< 1-based, in bytes */
  const char *message;   /**< valid UTF-8, as cpw_error.message */
} cpw_diagnostic;

/** The diagnostics of one compile (errors and warnings, in source order). */
typedef struct cpw_diagnostics cpw_diagnostics;

/**
 * Compile policy texts into a policy. All sources form one policy (declarations may refer to
 * each other across files). On success *out owns the policy (free with cpw_policy_free; it
 * must not outlive ctx). When `diags` is not NULL it receives every diagnostic, warnings
 * included, also on failure (free with cpw_diagnostics_free).
 * Errors: CPW_EPOLICY (the first error is in ctx's last error with file/line/column),
 * CPW_EINVALID (NULL arguments), CPW_ELIMIT (more than 10000 sources), CPW_ENOMEM.
 */
CPW_API int cpw_policy_compile(cpw_policy **out, cpw_ctx *ctx, const cpw_policy_source *sources,
                               size_t nsources, cpw_diagnostics **diags);

/** Compile one text; `name` is used in diagnostics. See cpw_policy_compile. */
CPW_API int cpw_policy_from_string(cpw_policy **out, cpw_ctx *ctx, const char *name,
                                   const char *text, size_t len);

/** Read and compile one file. CPW_EIO if it cannot be read. See cpw_policy_compile. */
CPW_API int cpw_policy_from_file(cpw_policy **out, cpw_ctx *ctx, const char *path);

/** Georgia's policy, embedded in the library: programmes, the referral workflow, care
 *  settings and the public-holiday calendar, with their sources. */
CPW_API int cpw_policy_default(cpw_policy **out, cpw_ctx *ctx);

/** The number of embedded default policy files, and each one's name and text (borrowed,
 *  static), e.g. to print or edit them: `cpw_policy_default_source(i, &name, &len)`. */
CPW_API size_t cpw_policy_default_source_count(void);
CPW_API const char *cpw_policy_default_source(size_t index, const char **name, size_t *len);

/** Free a policy. NULL is allowed. Every object created from it must be freed first. */
CPW_API void cpw_policy_free(cpw_policy *policy);

/** The number of diagnostics (0 for NULL). */
CPW_API size_t cpw_diagnostics_count(const cpw_diagnostics *diags);
/** The i-th diagnostic (borrowed), or NULL when i is out of range. */
CPW_API const cpw_diagnostic *cpw_diagnostics_get(const cpw_diagnostics *diags, size_t i);
/** Free diagnostics. NULL is allowed. */
CPW_API void cpw_diagnostics_free(cpw_diagnostics *diags);

/* ---- identity: every decision records these ---- */
CPW_API const char *cpw_policy_name(const cpw_policy *policy);
CPW_API const char *cpw_policy_title(const cpw_policy *policy);
CPW_API const char *cpw_policy_version(const cpw_policy *policy);
/** SHA-256 of the policy's source texts (each after its length, in order), as 64 lowercase
 *  hex digits. Source names are not part of it: a path spelled another way gives the same
 *  hash. */
CPW_API const char *cpw_policy_hash(const cpw_policy *policy);
/** The policy's time zone as minutes east of UTC (Georgia: 240). */
CPW_API int cpw_policy_timezone(const cpw_policy *policy);
/** A calendar declared in the policy (NULL name: the first one), or NULL. Borrowed. */
CPW_API const cpw_calendar *cpw_policy_calendar(const cpw_policy *policy, const char *name);

/* ---- fields ---- */
typedef enum cpw_type {
  CPW_TYPE_BOOL = 1,
  CPW_TYPE_INT = 2,
  CPW_TYPE_MONEY = 3,
  CPW_TYPE_DATE = 4,
  CPW_TYPE_DATETIME = 5,
  CPW_TYPE_TEXT = 6,
  CPW_TYPE_ENUM = 7,
  CPW_TYPE_SET = 8
} cpw_type;

/** The number of fields a record of the policy has (fields are numbered from 0). */
CPW_API size_t cpw_policy_field_count(const cpw_policy *policy);
/** The index of a field, or CPW_ENOTFOUND. */
CPW_API int cpw_policy_field_index(const cpw_policy *policy, const char *name, size_t *index);
CPW_API const char *cpw_policy_field_name(const cpw_policy *policy, size_t index);
/** The field's cpw_type, or 0 if index is out of range. */
CPW_API int cpw_policy_field_type(const cpw_policy *policy, size_t index);
CPW_API const char *cpw_policy_field_description(const cpw_policy *policy, size_t index);
/** Enum and set fields: the number of values and each value's name (its index is the value
 *  used in batch columns; a set column holds a bit mask of indexes). */
CPW_API size_t cpw_policy_field_value_count(const cpw_policy *policy, size_t index);
CPW_API const char *cpw_policy_field_value(const cpw_policy *policy, size_t index, size_t value);
/** The index of an enum value of a field, or CPW_ENOTFOUND. */
CPW_API int cpw_policy_field_value_index(const cpw_policy *policy, size_t index,
                                         const char *value, size_t *value_index);
/** The name of a cpw_type ("bool", "enum", ...). */
CPW_API const char *cpw_type_name(int type);

/* ---- programmes ---- */
CPW_API size_t cpw_policy_program_count(const cpw_policy *policy);
/** The i-th programme (declaration order) or NULL. Borrowed from the policy. */
CPW_API const cpw_program *cpw_policy_program_at(const cpw_policy *policy, size_t index);
/** A programme by id, or NULL. Borrowed from the policy. */
CPW_API const cpw_program *cpw_policy_program(const cpw_policy *policy, const char *id);
CPW_API const cpw_policy *cpw_program_policy(const cpw_program *program);
CPW_API const char *cpw_program_id(const cpw_program *program);
CPW_API const char *cpw_program_title(const cpw_program *program);
/** Where the rule comes from, as the policy states it ("" when not stated). */
CPW_API const char *cpw_program_source(const cpw_program *program);
/** In force from/until (inclusive); CPW_DATE_MIN / CPW_DATE_MAX when open. */
CPW_API cpw_date cpw_program_from(const cpw_program *program);
CPW_API cpw_date cpw_program_until(const cpw_program *program);
CPW_API size_t cpw_program_service_count(const cpw_program *program);
CPW_API const char *cpw_program_service(const cpw_program *program, size_t index);
CPW_API size_t cpw_program_benefit_count(const cpw_program *program);
CPW_API const char *cpw_program_benefit(const cpw_program *program, size_t index);
/** The fields a programme reads (its rule, and its services' and benefits' conditions and
 *  amounts), in the policy's field order: the columns cpw_evaluate_batch needs (CPW_1.1).
 *  cpw_program_field gives the policy's field index (cpw_policy_field_name names it), or
 *  (size_t)-1 when `index` is out of range. */
CPW_API size_t cpw_program_field_count(const cpw_program *program);
CPW_API size_t cpw_program_field(const cpw_program *program, size_t index);

/* ---- labels per language (declared in the policy: `labels ka { ... }`) ---- */

/**
 * The label of a name in a language the policy declares labels for, or NULL (no such
 * language, kind or name, or no label). `kind` and `name` are as in a labels declaration:
 * ("field", "citizenship"), ("value", "citizenship.georgian"), ("program", "barnahus"),
 * ("service", "barnahus.legal"), ("state", "referral.assessment"), ("event",
 * "referral.register"), ("role", "supervisor"), ("field", "referral.immediate_danger"),
 * ("setting", "foster_care"), ("holiday", "Orthodox Good Friday"), ("policy", ""). Borrowed
 * from the policy.
 */
CPW_API const char *cpw_policy_label(const cpw_policy *policy, const char *lang,
                                     const char *kind, const char *name);
/**
 * The name whose label in `lang` (NULL: in any language the policy declares) is `label`, for a
 * kind: ("field", "მოქალაქეობა") gives "citizenship", ("value", "საქართველოს მოქალაქე") gives
 * "citizenship.georgian". NULL when none; the first in declaration order when several.
 * Borrowed from the policy. For input given by label (a spreadsheet's headers and values).
 */
CPW_API const char *cpw_policy_name_of_label(const cpw_policy *policy, const char *lang,
                                             const char *kind, const char *label);
/** The languages the policy declares labels for, in declaration order ("ka", "en"). */
CPW_API size_t cpw_policy_language_count(const cpw_policy *policy);
CPW_API const char *cpw_policy_language(const cpw_policy *policy, size_t index);
/** A fixed word of the library (cpw_message) in a language as the policy has it: its
 *  `message` rewording, or the built-in word; for a language the policy adds, English where
 *  it has none. NULL for an unknown key or language. Borrowed. */
CPW_API const char *cpw_policy_message(const cpw_policy *policy, const char *lang,
                                       const char *key);


/* ---- the legal basis of rules (1.1) ----
 * Every rule-bearing declaration of a policy (programmes, their benefits and services, each
 * dated parameter value, calendars, holidays and days off, workflows, transitions and
 * deadlines, care settings, facilities, placement rules and gatekeeping rules) is a rule with
 * a basis: a status and the sources it cites. Sources are declared once in the policy
 * (`source ID "citation" {...}`) and cited by id. See docs/policy-language.md. */

/** How much authority stands behind a rule. */
typedef enum cpw_basis_status {
  CPW_BASIS_NONE = 0,           /**< the policy states no basis */
  CPW_BASIS_LAW = 1,            /**< an act of Parliament, cited */
  CPW_BASIS_REGULATION = 2,     /**< a Government decree or resolution, a ministerial order */
  CPW_BASIS_AGENCY_DEFAULT = 3, /**< the agency's own setting or practice: editable, not law */
  CPW_BASIS_PROPOSAL = 4        /**< a reading of a secondary source, not yet confirmed */
} cpw_basis_status;

/** What kind of declaration a rule is. */
typedef enum cpw_rule_kind {
  CPW_RULE_PROGRAM = 1, CPW_RULE_BENEFIT = 2, CPW_RULE_SERVICE = 3, CPW_RULE_PARAM = 4,
  CPW_RULE_CALENDAR = 5, CPW_RULE_HOLIDAY = 6, CPW_RULE_DAY_OFF = 7, CPW_RULE_WORKFLOW = 8,
  CPW_RULE_TRANSITION = 9, CPW_RULE_DEADLINE = 10, CPW_RULE_SETTING = 11,
  CPW_RULE_FACILITY = 12, CPW_RULE_PLACEMENT = 13, CPW_RULE_GATEKEEPING = 14
} cpw_rule_kind;

/** How much of a date is known: a start written "2015" has only its year sourced. */
typedef enum cpw_date_precision {
  CPW_PRECISION_DAY = 0,   /**< the whole date */
  CPW_PRECISION_MONTH = 1, /**< the year and month; the day is the 1st but not known */
  CPW_PRECISION_YEAR = 2   /**< the year; the date is 1 January but the day is not known */
} cpw_date_precision;

/** A source declared in a policy (borrowed from the policy). */
typedef struct cpw_source cpw_source;
/** A rule of a policy with its basis (borrowed from the policy). */
typedef struct cpw_rule cpw_rule;

/** "none", "law", "regulation", "agency_default", "proposal" ("unknown" otherwise). */
CPW_API const char *cpw_basis_status_name(int status);
/** The status of a name (as cpw_basis_status_name), CPW_ENOTFOUND, or CPW_EINVALID for NULL. */
CPW_API int cpw_basis_status_from_name(const char *name);
/** The status as users read it: "no basis stated", "law", "regulation", "agency default, not
 *  law", "proposal, not confirmed". */
CPW_API const char *cpw_basis_status_label(int status);
/** "program", "benefit", "service", "param", "calendar", "holiday", "day_off", "workflow",
 *  "transition", "deadline", "setting", "facility", "placement", "gatekeeping". */
CPW_API const char *cpw_rule_kind_name(int kind);

/** The sources the policy declares, in declaration order. */
CPW_API size_t cpw_policy_source_count(const cpw_policy *policy);
/** The i-th declared source, or NULL. */
CPW_API const cpw_source *cpw_policy_source_at(const cpw_policy *policy, size_t index);
/** A declared source by id, or NULL. */
CPW_API const cpw_source *cpw_policy_source_find(const cpw_policy *policy, const char *id);
/** The source's id and its citation as declared (the act, report or page). */
CPW_API const char *cpw_source_id(const cpw_source *source);
CPW_API const char *cpw_source_citation(const cpw_source *source);
/** The act's number, the article, the web address and a note ("" when not given). */
CPW_API const char *cpw_source_number(const cpw_source *source);
CPW_API const char *cpw_source_article(const cpw_source *source);
CPW_API const char *cpw_source_address(const cpw_source *source);
CPW_API const char *cpw_source_note(const cpw_source *source);
/** The source's date into *date: returns its cpw_date_precision, CPW_ENOTFOUND when it has
 *  none, CPW_EINVALID for NULL. */
CPW_API int cpw_source_date(const cpw_source *source, cpw_date *date);

/** The rules of the policy, in the order they were compiled (programmes, parameters,
 *  calendars, then workflows, then settings, facilities and placement rules). */
CPW_API size_t cpw_policy_rule_count(const cpw_policy *policy);
/** The i-th rule, or NULL. */
CPW_API const cpw_rule *cpw_policy_rule_at(const cpw_policy *policy, size_t index);
/** The rule's cpw_rule_kind (0 for NULL). */
CPW_API int cpw_rule_kind_of(const cpw_rule *rule);
/** What the rule is, as a short name ("tsa_child_benefit", "referral: on register"). */
CPW_API const char *cpw_rule_name(const cpw_rule *rule);
/** The rule as written in the policy, on one line (comments left out, cut after 400 bytes). */
CPW_API const char *cpw_rule_text(const cpw_rule *rule);
/** The policy file the rule is in, and its line into *line (may be NULL). */
CPW_API const char *cpw_rule_file(const cpw_rule *rule, int *line);
/** The rule's cpw_basis_status (CPW_BASIS_NONE when the policy states none). */
CPW_API int cpw_rule_status(const cpw_rule *rule);
/** 1 when the rule states no basis of its own and has its block's (the programme's for a
 *  service, the workflow's for a transition, the calendar's for a holiday). */
CPW_API int cpw_rule_inherited(const cpw_rule *rule);
/** The basis's note ("" when none). */
CPW_API const char *cpw_rule_note(const cpw_rule *rule);
/** The sources the basis cites; cpw_rule_source gives each and its pinpoint ("Art. 30(3)",
 *  "" when none) into *pinpoint (may be NULL). */
CPW_API size_t cpw_rule_source_count(const cpw_rule *rule);
CPW_API const cpw_source *cpw_rule_source(const cpw_rule *rule, size_t index,
                                          const char **pinpoint);
/** The basis as one line for users: the status label, the citations and the note
 *  ("agency default, not law (UN Guidelines for the Alternative Care of Children, para. 22)"). */
CPW_API const char *cpw_rule_basis(const cpw_rule *rule);
/** When the rule starts to apply (a programme's "in force from", a parameter value's "from",
 *  a holiday's "from", a day off's date) into *start: returns its cpw_date_precision
 *  (CPW_PRECISION_YEAR: the year is sourced, the day is not), CPW_ENOTFOUND when the rule has
 *  no start, CPW_EINVALID for NULL. */
CPW_API int cpw_rule_start(const cpw_rule *rule, cpw_date *start);
/** A programme's own rule (its basis; its benefits and services have theirs). */
CPW_API const cpw_rule *cpw_program_rule(const cpw_program *program);

CPW_END_DECL

#endif
