/* SPDX-License-Identifier: Apache-2.0 */
/* base/lang.h: the message catalogue: the fixed words of explanations, refusals, deadlines and
 * reports in each built-in language (English `en`, Georgian `ka`), and how each language writes
 * dates, numbers and money.
 *
 * Messages are templates: {0}, {1}, {2} stand for the arguments (labels, values, phrases), so
 * that a language puts them in its own order; nothing is ever declined or inflected at run time
 * (Georgian labels stay in the nominative: "label: value"). A policy may add a language of its
 * own, or reword a message, with `message KEY "text"` lines in a `labels` declaration; the
 * keys are the names in cpw__msg_keys (lang.c). */
#ifndef CPW_BASE_LANG_H
#define CPW_BASE_LANG_H

#include "base/base.h"

typedef enum cpw__msg {
  /* outcomes and the heads of explanations */
  MSG_ELIGIBLE, MSG_NOT_ELIGIBLE, MSG_UNDETERMINED, MSG_ERROR,
  MSG_GUARD_FAILED, MSG_GUARD_UNDETERMINED,
  /* values */
  MSG_TRUE, MSG_FALSE, MSG_MISSING, MSG_GIVEN, MSG_NOT_EVALUATED, MSG_INVALID_VALUE,
  MSG_DATE_RANGE, MSG_TIME_RANGE, MSG_THIS_CONDITION,
  /* requirements: what a clause needs, as a phrase ("more than {0}") */
  MSG_R_LT, MSG_R_LE, MSG_R_GT, MSG_R_GE,
  MSG_R_BEFORE, MSG_R_ON_OR_BEFORE, MSG_R_AFTER, MSG_R_ON_OR_AFTER,
  MSG_R_EQ, MSG_R_NE, MSG_R_ONE_OF, MSG_R_NONE_OF, MSG_R_IN, MSG_R_NOT_IN,
  MSG_R_INCLUDING, MSG_R_WITHOUT, MSG_R_BETWEEN, MSG_R_OUTSIDE,
  MSG_R_GIVEN, MSG_R_MISSING, MSG_R_TRUE, MSG_R_FALSE,
  /* the same as predicates after "must" ("be more than {0}", "not be {0}") */
  MSG_P_LT, MSG_P_LE, MSG_P_GT, MSG_P_GE,
  MSG_P_BEFORE, MSG_P_ON_OR_BEFORE, MSG_P_AFTER, MSG_P_ON_OR_AFTER,
  MSG_P_EQ, MSG_P_NE, MSG_P_ONE_OF, MSG_P_NONE_OF, MSG_P_IN, MSG_P_NOT_IN,
  MSG_P_INCLUDING, MSG_P_WITHOUT, MSG_P_BETWEEN, MSG_P_OUTSIDE,
  MSG_P_GIVEN, MSG_P_MISSING, MSG_P_TRUE, MSG_P_FALSE,
  /* sentences of one clause: {0} subject, {1} value, {2} requirement or predicate */
  MSG_S_FAILS,        /* "{0} is {1}, but must {2}" */
  MSG_S_HOLDS,        /* "{0} is {1}" */
  MSG_S_HOLDS_REQ,    /* "{0} is {1}, {2}" */
  MSG_S_MISSING,      /* "{0} is missing (must {1})": the subject itself is missing */
  MSG_S_MISSING_FOR,  /* "{0} is missing ({1} must {2})": another name of the clause */
  MSG_S_MISSING_FOR2, /* the same with several names: "{0} are missing ({1} must {2})" */
  MSG_S_UNKNOWN,      /* "{0} is unknown" */
  MSG_OPERAND,        /* "{0} ({1})": an operand that is not a constant, {0} it, {1} its value */
  MSG_NAMES_SEP,      /* ", " between names */
  MSG_NAMES_LAST,     /* " and " before the last name */
  /* how clauses are joined: the formula's logic */
  MSG_G_AND,          /* "; and " between conditions that all fail, all hold, or all are needed */
  MSG_G_OR,           /* "; or " between alternatives, any one of which would do */
  MSG_G_NONE_SEP,     /* "; " between the alternatives of "none of" */
  MSG_G_NONE_TOP,     /* "none of: " a failed `or`, as the whole explanation */
  MSG_G_NONE_OPEN,    /* "none of (" a failed `or` inside another group */
  MSG_G_OPEN, MSG_G_CLOSE,
  MSG_G_ANY_SUFFIX,   /* " — any one of them would suffice" */
  MSG_G_ALL_SUFFIX,   /* " — all of them are needed" */
  MSG_G_ROOT_SEP,     /* "; " between separate notes */
  /* notes */
  MSG_IN_FORCE_FROM,  /* {0} from, {1} evaluation date */
  MSG_IN_FORCE_UNTIL,
  MSG_DAY_UNKNOWN,
  /* a clock that runs across states, and the basis marks of diagrams */
  MSG_DL_FROM,        /* " from {0}" its start events */
  MSG_DL_UNTIL,       /* " until {0}" its stop events */
  MSG_DL_ACROSS,      /* " across states" */
  MSG_MARK_DEFAULT, MSG_MARK_PROPOSAL, MSG_MARK_NONE,    /* " (the day is not known)" after a date known to its year or month */
  MSG_EVAL_ERROR,     /* {0} the part: "its rule", "the condition of benefit 'x'" */
  MSG_PART_RULE, MSG_PART_BENEFIT_WHEN, MSG_PART_SERVICE_WHEN, MSG_PART_BENEFIT_AMOUNT,
  /* names the library defines (shown when names are shown by their labels) */
  MSG_TODAY,
  MSG_FACT_AGE, MSG_FACT_CATEGORY, MSG_FACT_SETTING, MSG_FACT_CAPACITY, MSG_FACT_OCCUPANCY,
  MSG_FACT_MIN_AGE, MSG_FACT_MAX_AGE, MSG_FACT_EMERGENCY, MSG_FACT_KEEP_SIBLINGS,
  MSG_FACT_SIBLINGS_ELSEWHERE,  /* in the order of the placement slots (CPW__PL_*) */
  MSG_CAT_FAMILY, MSG_CAT_FAMILY_TYPE, MSG_CAT_RESIDENTIAL,
  MSG_EXIT_REUNIFIED, MSG_EXIT_KINSHIP, MSG_EXIT_FOSTERED, MSG_EXIT_ADOPTED, MSG_EXIT_MOVED,
  MSG_EXIT_AGED_OUT, MSG_EXIT_DIED, MSG_EXIT_OTHER,  /* in cpw_exit_reason order */
  /* units of time: one, and several (Georgian keeps the singular after a number) */
  MSG_UNIT_MINUTE, MSG_UNIT_MINUTES, MSG_UNIT_HOUR, MSG_UNIT_HOURS, MSG_UNIT_DAY,
  MSG_UNIT_DAYS, MSG_UNIT_WEEK, MSG_UNIT_WEEKS, MSG_UNIT_MONTH, MSG_UNIT_MONTHS, MSG_UNIT_YEAR,
  MSG_UNIT_YEARS, MSG_UNIT_WORKING_DAY, MSG_UNIT_WORKING_DAYS,
  /* a formula written out with labels (diagrams) */
  MSG_X_AND, MSG_X_OR, MSG_X_NOT,
  /* refusals of events: {0} {1} {2} as in each message */
  MSG_REF_NO_TRANSITION,  /* state, event */
  MSG_REF_ROLE,           /* role, event, state */
  MSG_REF_FINAL,          /* case, state */
  MSG_REF_TIME,           /* event, its time, the last event's time */
  MSG_REFUSED,
  MSG_REFUSAL_NO_TRANSITION, MSG_REFUSAL_ROLE, MSG_REFUSAL_GUARD, MSG_REFUSAL_FINAL,
  MSG_REFUSAL_TIME,
  /* gatekeeping: "denied: REASON (explanation)" */
  MSG_DENIED, MSG_WARNING, MSG_NOT_CHECKED,
  /* deadlines and diagrams */
  MSG_DEADLINE_DUE,       /* event, when */
  MSG_OVERDUE,
  MSG_DL_WITHIN,          /* event, amount, condition, escalation, role */
  MSG_DL_EVERY,
  MSG_DL_WHEN,            /* the condition */
  MSG_DIAG_BY,
  /* the indicator table */
  MSG_IND_TITLE,          /* from, to, region part */
  MSG_IND_REGION,         /* region */
  MSG_IND_AT_END, MSG_IND_SHARE, MSG_IND_ENTRIES, MSG_IND_EXITS, MSG_IND_MOVES,
  MSG_IND_CHILDREN, MSG_IND_MOVES_PER_CHILD, MSG_IND_MEDIAN_STAY, MSG_IND_DAYS,
  MSG_IND_LEFT_CARE, MSG_IND_MOVED_WITHIN, MSG_IND_OWN_FAMILY, MSG_IND_RESIDENTIAL_UNDER3,
  MSG_IND_COL_SETTING, MSG_IND_COL_AT_END, MSG_IND_COL_ENTRIES, MSG_IND_COL_EXITS,
  MSG_IND_COL_REASONS, MSG_IND_SERIES,
  /* reports */
  MSG_RPT_PROGRAMME, MSG_RPT_STATE, MSG_RPT_CASES, MSG_RPT_MISSING, MSG_RPT_SERVICES,
  MSG_RPT_BENEFITS, MSG_RPT_ONCE, MSG_RPT_MONTHLY, MSG_RPT_YEARLY,
  MSG__COUNT
} cpw__msg;

/* How a language writes dates, numbers and money. */
typedef enum cpw__style {
  CPW__STYLE_ISO = 0, /* 2026-04-12, 1000 GEL, 12.50 GEL, 120000 */
  CPW__STYLE_KA = 1   /* 2026 წლის 12 აპრილი, 1000 ₾, 12,50 ₾, 120 000 */
} cpw__style;

typedef struct cpw__lang {
  const char *tag;              /* "en", "ka"; "" for the policy's own names (no labels) */
  const char *name;             /* "English", "ქართული" */
  const char *const *msg;       /* MSG__COUNT templates */
  int style;                    /* cpw__style */
  int labels;                   /* names are shown by their labels in this language */
} cpw__lang;

/* 1 when s[0..n) is a language tag: letters, digits and '-', starting with a letter, at most
 * 35 bytes ("ka", "en", "pt-BR"). */
int cpw__lang_tag_ok(const char *s, size_t n);
/* The language for a tag: "en", "ka", or NULL / "" for the policy's own names in English
 * words (the default). NULL for any other tag. */
const cpw__lang *cpw__lang_get(const char *tag);
/* The default: English words, names as the policy writes them. */
const cpw__lang *cpw__lang_names(void);
/* The message key of msg ("eligible", "r_more_than", ...), or NULL. */
const char *cpw__msg_key(int msg);
/* The message with key `key` (its cpw__msg), or -1. */
int cpw__msg_find(const char *key, size_t len);

/* Fill a template: {0}..{9} are replaced by args[0..]; the result is cut between characters
 * when it does not fit (size >= 1). Returns the length written. */
size_t cpw__lang_fill(char *buf, size_t size, const char *tpl, const char *const *args,
                      int nargs);

/* Dates, date-times, integers and money in a style (cpw__style). Each writes a NUL-terminated
 * text cut between characters; CPW_OK, or CPW_EINVALID for a value out of range (buf ""). */
int cpw__lang_date(char *buf, size_t size, int style, int64_t date);
int cpw__lang_time(char *buf, size_t size, int style, int64_t t, int tz_minutes);
void cpw__lang_int(char *buf, size_t size, int style, int64_t v);
void cpw__lang_money(char *buf, size_t size, int style, int64_t tetri);

#endif
