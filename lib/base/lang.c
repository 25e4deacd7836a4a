/* SPDX-License-Identifier: Apache-2.0 */
/* base/lang.c: the built-in message catalogues (English, Georgian) and the ways each writes
 * dates, numbers and money (see lang.h).
 *
 * Georgian wording follows ../shared/domain/GLOSSARY-ka.md: labels stay in the nominative and
 * sentences are "label: value" forms, so that no word is declined at run time; comparisons use
 * the fixed words of official texts (არაუმეტეს "at most", არანაკლებ "at least", არაუგვიანეს "not
 * later than"); dates are written "2026 წლის 12 აპრილი" and money "200 ₾". */
#include "base/lang.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/utf8.h"

/* message keys (for `message KEY "text"` in a policy's labels, and cpw_message), and the
 * words of each built-in language; tests/unit/test_lang.c checks every entry is there */
static const char *const keys[MSG__COUNT] = {
  [MSG_ELIGIBLE] = "eligible",
  [MSG_NOT_ELIGIBLE] = "not_eligible",
  [MSG_UNDETERMINED] = "undetermined",
  [MSG_ERROR] = "error",
  [MSG_GUARD_FAILED] = "guard_failed",
  [MSG_GUARD_UNDETERMINED] = "guard_undetermined",
  [MSG_TRUE] = "true",
  [MSG_FALSE] = "false",
  [MSG_MISSING] = "missing",
  [MSG_GIVEN] = "given",
  [MSG_NOT_EVALUATED] = "not_evaluated",
  [MSG_INVALID_VALUE] = "invalid_value",
  [MSG_DATE_RANGE] = "date_out_of_range",
  [MSG_TIME_RANGE] = "time_out_of_range",
  [MSG_THIS_CONDITION] = "this_condition",
  [MSG_R_LT] = "needs_less_than",
  [MSG_R_LE] = "needs_at_most",
  [MSG_R_GT] = "needs_more_than",
  [MSG_R_GE] = "needs_at_least",
  [MSG_R_BEFORE] = "needs_before",
  [MSG_R_ON_OR_BEFORE] = "needs_on_or_before",
  [MSG_R_AFTER] = "needs_after",
  [MSG_R_ON_OR_AFTER] = "needs_on_or_after",
  [MSG_R_EQ] = "needs_equal",
  [MSG_R_NE] = "needs_not_equal",
  [MSG_R_ONE_OF] = "needs_one_of",
  [MSG_R_NONE_OF] = "needs_none_of",
  [MSG_R_IN] = "needs_in",
  [MSG_R_NOT_IN] = "needs_not_in",
  [MSG_R_INCLUDING] = "needs_including",
  [MSG_R_WITHOUT] = "needs_without",
  [MSG_R_BETWEEN] = "needs_between",
  [MSG_R_OUTSIDE] = "needs_outside",
  [MSG_R_GIVEN] = "needs_given",
  [MSG_R_MISSING] = "needs_missing",
  [MSG_R_TRUE] = "needs_true",
  [MSG_R_FALSE] = "needs_false",
  [MSG_P_LT] = "must_less_than",
  [MSG_P_LE] = "must_at_most",
  [MSG_P_GT] = "must_more_than",
  [MSG_P_GE] = "must_at_least",
  [MSG_P_BEFORE] = "must_before",
  [MSG_P_ON_OR_BEFORE] = "must_on_or_before",
  [MSG_P_AFTER] = "must_after",
  [MSG_P_ON_OR_AFTER] = "must_on_or_after",
  [MSG_P_EQ] = "must_equal",
  [MSG_P_NE] = "must_not_equal",
  [MSG_P_ONE_OF] = "must_one_of",
  [MSG_P_NONE_OF] = "must_none_of",
  [MSG_P_IN] = "must_in",
  [MSG_P_NOT_IN] = "must_not_in",
  [MSG_P_INCLUDING] = "must_including",
  [MSG_P_WITHOUT] = "must_without",
  [MSG_P_BETWEEN] = "must_between",
  [MSG_P_OUTSIDE] = "must_outside",
  [MSG_P_GIVEN] = "must_given",
  [MSG_P_MISSING] = "must_missing",
  [MSG_P_TRUE] = "must_true",
  [MSG_P_FALSE] = "must_false",
  [MSG_S_FAILS] = "clause_fails",
  [MSG_S_HOLDS] = "clause_holds",
  [MSG_S_HOLDS_REQ] = "clause_holds_as",
  [MSG_S_MISSING] = "clause_missing",
  [MSG_S_MISSING_FOR] = "clause_missing_for",
  [MSG_S_MISSING_FOR2] = "clause_missing_for_many",
  [MSG_S_UNKNOWN] = "clause_unknown",
  [MSG_OPERAND] = "operand",
  [MSG_NAMES_SEP] = "names_sep",
  [MSG_NAMES_LAST] = "names_last",
  [MSG_G_AND] = "join_and",
  [MSG_G_OR] = "join_or",
  [MSG_G_NONE_SEP] = "join_none",
  [MSG_G_NONE_TOP] = "none_of_top",
  [MSG_G_NONE_OPEN] = "none_of_open",
  [MSG_G_OPEN] = "open",
  [MSG_G_CLOSE] = "close",
  [MSG_G_ANY_SUFFIX] = "any_suffix",
  [MSG_G_ALL_SUFFIX] = "all_suffix",
  [MSG_G_ROOT_SEP] = "notes_sep",
  [MSG_IN_FORCE_FROM] = "in_force_from",
  [MSG_IN_FORCE_UNTIL] = "in_force_until",
  [MSG_DAY_UNKNOWN] = "day_unknown",
  [MSG_DL_FROM] = "deadline_from",
  [MSG_DL_UNTIL] = "deadline_until",
  [MSG_DL_ACROSS] = "deadline_across",
  [MSG_MARK_DEFAULT] = "mark_agency_default",
  [MSG_MARK_PROPOSAL] = "mark_proposal",
  [MSG_MARK_NONE] = "mark_no_basis",
  [MSG_EVAL_ERROR] = "eval_error",
  [MSG_PART_RULE] = "part_rule",
  [MSG_PART_BENEFIT_WHEN] = "part_benefit_when",
  [MSG_PART_SERVICE_WHEN] = "part_service_when",
  [MSG_PART_BENEFIT_AMOUNT] = "part_benefit_amount",
  [MSG_TODAY] = "today",
  [MSG_FACT_AGE] = "fact_age",
  [MSG_FACT_CATEGORY] = "fact_category",
  [MSG_FACT_SETTING] = "fact_setting",
  [MSG_FACT_CAPACITY] = "fact_capacity",
  [MSG_FACT_OCCUPANCY] = "fact_occupancy",
  [MSG_FACT_MIN_AGE] = "fact_min_age",
  [MSG_FACT_MAX_AGE] = "fact_max_age",
  [MSG_FACT_EMERGENCY] = "fact_emergency",
  [MSG_FACT_KEEP_SIBLINGS] = "fact_keep_siblings_together",
  [MSG_FACT_SIBLINGS_ELSEWHERE] = "fact_siblings_elsewhere",
  [MSG_CAT_FAMILY] = "category_family",
  [MSG_CAT_FAMILY_TYPE] = "category_family_type",
  [MSG_CAT_RESIDENTIAL] = "category_residential",
  [MSG_EXIT_REUNIFIED] = "exit_reunified",
  [MSG_EXIT_KINSHIP] = "exit_kinship",
  [MSG_EXIT_FOSTERED] = "exit_fostered",
  [MSG_EXIT_ADOPTED] = "exit_adopted",
  [MSG_EXIT_MOVED] = "exit_moved",
  [MSG_EXIT_AGED_OUT] = "exit_aged_out",
  [MSG_EXIT_DIED] = "exit_died",
  [MSG_EXIT_OTHER] = "exit_other",
  [MSG_UNIT_MINUTE] = "unit_minute",
  [MSG_UNIT_MINUTES] = "unit_minutes",
  [MSG_UNIT_HOUR] = "unit_hour",
  [MSG_UNIT_HOURS] = "unit_hours",
  [MSG_UNIT_DAY] = "unit_day",
  [MSG_UNIT_DAYS] = "unit_days",
  [MSG_UNIT_WEEK] = "unit_week",
  [MSG_UNIT_WEEKS] = "unit_weeks",
  [MSG_UNIT_MONTH] = "unit_month",
  [MSG_UNIT_MONTHS] = "unit_months",
  [MSG_UNIT_YEAR] = "unit_year",
  [MSG_UNIT_YEARS] = "unit_years",
  [MSG_UNIT_WORKING_DAY] = "unit_working_day",
  [MSG_UNIT_WORKING_DAYS] = "unit_working_days",
  [MSG_X_AND] = "expr_and",
  [MSG_X_OR] = "expr_or",
  [MSG_X_NOT] = "expr_not",
  [MSG_REF_NO_TRANSITION] = "refused_no_transition",
  [MSG_REF_ROLE] = "refused_role",
  [MSG_REF_FINAL] = "refused_final",
  [MSG_REF_TIME] = "refused_time",
  [MSG_REFUSED] = "refused",
  [MSG_REFUSAL_NO_TRANSITION] = "refusal_no_transition",
  [MSG_REFUSAL_ROLE] = "refusal_role",
  [MSG_REFUSAL_GUARD] = "refusal_guard",
  [MSG_REFUSAL_FINAL] = "refusal_final",
  [MSG_REFUSAL_TIME] = "refusal_time",
  [MSG_DENIED] = "denied",
  [MSG_WARNING] = "warning",
  [MSG_NOT_CHECKED] = "could_not_be_checked",
  [MSG_DEADLINE_DUE] = "deadline_due",
  [MSG_OVERDUE] = "overdue",
  [MSG_DL_WITHIN] = "deadline_within",
  [MSG_DL_EVERY] = "deadline_every",
  [MSG_DL_WHEN] = "deadline_when",
  [MSG_DIAG_BY] = "diagram_by",
  [MSG_IND_TITLE] = "indicators_title",
  [MSG_IND_REGION] = "indicators_region",
  [MSG_IND_AT_END] = "indicators_at_end",
  [MSG_IND_SHARE] = "indicators_share",
  [MSG_IND_ENTRIES] = "indicators_entries",
  [MSG_IND_EXITS] = "indicators_exits",
  [MSG_IND_MOVES] = "indicators_moves",
  [MSG_IND_CHILDREN] = "indicators_children",
  [MSG_IND_MOVES_PER_CHILD] = "indicators_moves_per_child",
  [MSG_IND_MEDIAN_STAY] = "indicators_median_stay",
  [MSG_IND_DAYS] = "indicators_days",
  [MSG_IND_LEFT_CARE] = "indicators_left_care",
  [MSG_IND_MOVED_WITHIN] = "indicators_moved_within_care",
  [MSG_IND_OWN_FAMILY] = "indicators_own_family",
  [MSG_IND_RESIDENTIAL_UNDER3] = "indicators_residential_under3",
  [MSG_IND_COL_SETTING] = "indicators_col_setting",
  [MSG_IND_COL_AT_END] = "indicators_col_at_end",
  [MSG_IND_COL_ENTRIES] = "indicators_col_entries",
  [MSG_IND_COL_EXITS] = "indicators_col_exits",
  [MSG_IND_COL_REASONS] = "indicators_col_reasons",
  [MSG_IND_SERIES] = "indicators_series",
  [MSG_RPT_PROGRAMME] = "report_programme",
  [MSG_RPT_STATE] = "report_state",
  [MSG_RPT_CASES] = "report_cases",
  [MSG_RPT_MISSING] = "report_missing",
  [MSG_RPT_SERVICES] = "report_services",
  [MSG_RPT_BENEFITS] = "report_benefits",
  [MSG_RPT_ONCE] = "report_once",
  [MSG_RPT_MONTHLY] = "report_monthly",
  [MSG_RPT_YEARLY] = "report_yearly",
};

static const char *const en[MSG__COUNT] = {
  [MSG_ELIGIBLE] = "eligible",
  [MSG_NOT_ELIGIBLE] = "not eligible",
  [MSG_UNDETERMINED] = "undetermined",
  [MSG_ERROR] = "error",
  [MSG_GUARD_FAILED] = "guard failed",
  [MSG_GUARD_UNDETERMINED] = "guard undetermined",
  [MSG_TRUE] = "true",
  [MSG_FALSE] = "false",
  [MSG_MISSING] = "missing",
  [MSG_GIVEN] = "given",
  [MSG_NOT_EVALUATED] = "not evaluated",
  [MSG_INVALID_VALUE] = "(invalid value)",
  [MSG_DATE_RANGE] = "(date out of range)",
  [MSG_TIME_RANGE] = "(time out of range)",
  [MSG_THIS_CONDITION] = "this condition",
  [MSG_R_LT] = "less than {0}",
  [MSG_R_LE] = "at most {0}",
  [MSG_R_GT] = "more than {0}",
  [MSG_R_GE] = "at least {0}",
  [MSG_R_BEFORE] = "before {0}",
  [MSG_R_ON_OR_BEFORE] = "on or before {0}",
  [MSG_R_AFTER] = "after {0}",
  [MSG_R_ON_OR_AFTER] = "on or after {0}",
  [MSG_R_EQ] = "{0}",
  [MSG_R_NE] = "not {0}",
  [MSG_R_ONE_OF] = "one of {0}",
  [MSG_R_NONE_OF] = "none of {0}",
  [MSG_R_IN] = "in {0}",
  [MSG_R_NOT_IN] = "not in {0}",
  [MSG_R_INCLUDING] = "including {0}",
  [MSG_R_WITHOUT] = "without {0}",
  [MSG_R_BETWEEN] = "between {0} and {1}",
  [MSG_R_OUTSIDE] = "outside {0} and {1}",
  [MSG_R_GIVEN] = "given",
  [MSG_R_MISSING] = "missing",
  [MSG_R_TRUE] = "true",
  [MSG_R_FALSE] = "false",
  [MSG_P_LT] = "be less than {0}",
  [MSG_P_LE] = "be at most {0}",
  [MSG_P_GT] = "be more than {0}",
  [MSG_P_GE] = "be at least {0}",
  [MSG_P_BEFORE] = "be before {0}",
  [MSG_P_ON_OR_BEFORE] = "be on or before {0}",
  [MSG_P_AFTER] = "be after {0}",
  [MSG_P_ON_OR_AFTER] = "be on or after {0}",
  [MSG_P_EQ] = "be {0}",
  [MSG_P_NE] = "not be {0}",
  [MSG_P_ONE_OF] = "be one of {0}",
  [MSG_P_NONE_OF] = "not be one of {0}",
  [MSG_P_IN] = "be in {0}",
  [MSG_P_NOT_IN] = "not be in {0}",
  [MSG_P_INCLUDING] = "include {0}",
  [MSG_P_WITHOUT] = "not include {0}",
  [MSG_P_BETWEEN] = "be between {0} and {1}",
  [MSG_P_OUTSIDE] = "not be between {0} and {1}",
  [MSG_P_GIVEN] = "be given",
  [MSG_P_MISSING] = "be missing",
  [MSG_P_TRUE] = "be true",
  [MSG_P_FALSE] = "be false",
  [MSG_S_FAILS] = "{0} is {1}, but must {2}",
  [MSG_S_HOLDS] = "{0} is {1}",
  [MSG_S_HOLDS_REQ] = "{0} is {1}, {2}",
  [MSG_S_MISSING] = "{0} is missing (it must {1})",
  [MSG_S_MISSING_FOR] = "{0} is missing ({1} must {2})",
  [MSG_S_MISSING_FOR2] = "{0} are missing ({1} must {2})",
  [MSG_S_UNKNOWN] = "{0} is unknown",
  [MSG_OPERAND] = "{0} ({1})",
  [MSG_NAMES_SEP] = ", ",
  [MSG_NAMES_LAST] = " and ",
  [MSG_G_AND] = "; and ",
  [MSG_G_OR] = "; or ",
  [MSG_G_NONE_SEP] = "; ",
  [MSG_G_NONE_TOP] = "none of: ",
  [MSG_G_NONE_OPEN] = "none of (",
  [MSG_G_OPEN] = "(",
  [MSG_G_CLOSE] = ")",
  [MSG_G_ANY_SUFFIX] = " \xE2\x80\x94 any one of them would suffice",
  [MSG_G_ALL_SUFFIX] = " \xE2\x80\x94 all of them are needed",
  [MSG_G_ROOT_SEP] = "; ",
  [MSG_IN_FORCE_FROM] = "the programme is in force from {0}; the evaluation date is {1}",
  [MSG_IN_FORCE_UNTIL] = "the programme was in force until {0}; the evaluation date is {1}",
  [MSG_DAY_UNKNOWN] = " (the day is not known)",
  [MSG_DL_FROM] = " from {0}",
  [MSG_DL_UNTIL] = " until {0}",
  [MSG_DL_ACROSS] = " across states",
  [MSG_MARK_DEFAULT] = "agency default",
  [MSG_MARK_PROPOSAL] = "proposal",
  [MSG_MARK_NONE] = "no basis",
  /* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message in two literals */
  [MSG_EVAL_ERROR] = ("{0} could not be evaluated: a division by zero, an overflow or a date "
                     "out of range"),
  [MSG_PART_RULE] = "its rule",
  [MSG_PART_BENEFIT_WHEN] = "the condition of benefit '{0}'",
  [MSG_PART_SERVICE_WHEN] = "the condition of service '{0}'",
  [MSG_PART_BENEFIT_AMOUNT] = "the amount of benefit '{0}'",
  [MSG_TODAY] = "today",
  [MSG_FACT_AGE] = "the child's age",
  [MSG_FACT_CATEGORY] = "care category",
  [MSG_FACT_SETTING] = "care setting",
  [MSG_FACT_CAPACITY] = "capacity",
  [MSG_FACT_OCCUPANCY] = "places taken",
  [MSG_FACT_MIN_AGE] = "youngest age admitted",
  [MSG_FACT_MAX_AGE] = "oldest age admitted",
  [MSG_FACT_EMERGENCY] = "emergency",
  [MSG_FACT_KEEP_SIBLINGS] = "keeps siblings together",
  [MSG_FACT_SIBLINGS_ELSEWHERE] = "siblings placed elsewhere",
  [MSG_CAT_FAMILY] = "family-based care",
  [MSG_CAT_FAMILY_TYPE] = "family-type care",
  [MSG_CAT_RESIDENTIAL] = "residential care",
  [MSG_EXIT_REUNIFIED] = "reunified with the family",
  [MSG_EXIT_KINSHIP] = "kinship care",
  [MSG_EXIT_FOSTERED] = "fostered",
  [MSG_EXIT_ADOPTED] = "adopted",
  [MSG_EXIT_MOVED] = "moved",
  [MSG_EXIT_AGED_OUT] = "aged out",
  [MSG_EXIT_DIED] = "died",
  [MSG_EXIT_OTHER] = "other",
  [MSG_UNIT_MINUTE] = "minute",
  [MSG_UNIT_MINUTES] = "minutes",
  [MSG_UNIT_HOUR] = "hour",
  [MSG_UNIT_HOURS] = "hours",
  [MSG_UNIT_DAY] = "day",
  [MSG_UNIT_DAYS] = "days",
  [MSG_UNIT_WEEK] = "week",
  [MSG_UNIT_WEEKS] = "weeks",
  [MSG_UNIT_MONTH] = "month",
  [MSG_UNIT_MONTHS] = "months",
  [MSG_UNIT_YEAR] = "year",
  [MSG_UNIT_YEARS] = "years",
  [MSG_UNIT_WORKING_DAY] = "working day",
  [MSG_UNIT_WORKING_DAYS] = "working days",
  [MSG_X_AND] = " and ",
  [MSG_X_OR] = " or ",
  [MSG_X_NOT] = "not ",
  [MSG_REF_NO_TRANSITION] = "no transition from {0} on {1}",
  [MSG_REF_ROLE] = "role {0} may not {1} in state {2}",
  [MSG_REF_FINAL] = "case {0} is in final state {1}: no event applies",
  [MSG_REF_TIME] = "event {0} at {1} is earlier than the case's last event at {2}",
  [MSG_REFUSED] = "refused",
  [MSG_REFUSAL_NO_TRANSITION] = "no transition",
  [MSG_REFUSAL_ROLE] = "role not allowed",
  [MSG_REFUSAL_GUARD] = "condition not met",
  [MSG_REFUSAL_FINAL] = "case closed for good",
  [MSG_REFUSAL_TIME] = "earlier than the last event",
  [MSG_DENIED] = "denied",
  [MSG_WARNING] = "warning",
  [MSG_NOT_CHECKED] = " (could not be checked)",
  [MSG_DEADLINE_DUE] = "{0} due {1}",
  [MSG_OVERDUE] = "overdue",
  [MSG_DL_WITHIN] = "{0} within {1}{2}, else {3} to {4}",
  [MSG_DL_EVERY] = "{0} every {1}{2}, else {3} to {4}",
  [MSG_DL_WHEN] = " when {0}",
  [MSG_DIAG_BY] = "by",
  [MSG_IND_TITLE] = "Deinstitutionalization indicators, {0} to {1}{2}",
  [MSG_IND_REGION] = ", region {0}",
  [MSG_IND_AT_END] = "children in care at the end",
  [MSG_IND_SHARE] = "share in family-based care",
  [MSG_IND_ENTRIES] = "placements started (entries)",
  [MSG_IND_EXITS] = "placements ended (exits)",
  [MSG_IND_MOVES] = "moves",
  [MSG_IND_CHILDREN] = "children in care in the period",
  [MSG_IND_MOVES_PER_CHILD] = "moves per child",
  [MSG_IND_MEDIAN_STAY] = "median stay of ended placements",
  [MSG_IND_DAYS] = "days",
  [MSG_IND_LEFT_CARE] = "ended: the child left care",
  [MSG_IND_MOVED_WITHIN] = "ended: moved within care",
  [MSG_IND_OWN_FAMILY] = "with own family (not in care)",
  [MSG_IND_RESIDENTIAL_UNDER3] = "children under 3 in residential care",
  [MSG_IND_COL_SETTING] = "setting",
  [MSG_IND_COL_AT_END] = "at end",
  [MSG_IND_COL_ENTRIES] = "entries",
  [MSG_IND_COL_EXITS] = "exits",
  [MSG_IND_COL_REASONS] = "exits by reason",
  [MSG_IND_SERIES] = "residential care at month end",
  [MSG_RPT_PROGRAMME] = "programme",
  [MSG_RPT_STATE] = "state",
  [MSG_RPT_CASES] = "cases",
  [MSG_RPT_MISSING] = "missing",
  [MSG_RPT_SERVICES] = "services",
  [MSG_RPT_BENEFITS] = "benefits",
  [MSG_RPT_ONCE] = "once",
  [MSG_RPT_MONTHLY] = "monthly",
  [MSG_RPT_YEARLY] = "yearly",
};

/* Georgian: "label: value" forms; labels are never declined (../shared/domain/GLOSSARY-ka.md) */
static const char *const ka[MSG__COUNT] = {
  [MSG_ELIGIBLE] = "აკმაყოფილებს პირობებს",
  [MSG_NOT_ELIGIBLE] = "არ აკმაყოფილებს პირობებს",
  [MSG_UNDETERMINED] = "ვერ დადგინდა",
  [MSG_ERROR] = "შეცდომა",
  [MSG_GUARD_FAILED] = "პირობა არ სრულდება",
  [MSG_GUARD_UNDETERMINED] = "პირობა ვერ შემოწმდა",
  [MSG_TRUE] = "დიახ",
  [MSG_FALSE] = "არა",
  [MSG_MISSING] = "არ არის მითითებული",
  [MSG_GIVEN] = "მითითებულია",
  [MSG_NOT_EVALUATED] = "არ შემოწმებულა",
  [MSG_INVALID_VALUE] = "(არასწორი მნიშვნელობა)",
  [MSG_DATE_RANGE] = "(თარიღი დასაშვებ ფარგლებს გარეთაა)",
  [MSG_TIME_RANGE] = "(დრო დასაშვებ ფარგლებს გარეთაა)",
  [MSG_THIS_CONDITION] = "ეს პირობა",
  [MSG_R_LT] = "ნაკლები, ვიდრე {0}",
  [MSG_R_LE] = "არაუმეტეს {0}",
  [MSG_R_GT] = "მეტი, ვიდრე {0}",
  [MSG_R_GE] = "არანაკლებ {0}",
  [MSG_R_BEFORE] = "უფრო ადრე, ვიდრე {0}",
  [MSG_R_ON_OR_BEFORE] = "არაუგვიანეს {0}",
  [MSG_R_AFTER] = "უფრო გვიან, ვიდრე {0}",
  [MSG_R_ON_OR_AFTER] = "არაუადრეს {0}",
  [MSG_R_EQ] = "{0}",
  [MSG_R_NE] = "არა {0}",
  [MSG_R_ONE_OF] = "ერთ-ერთი: {0}",
  [MSG_R_NONE_OF] = "არცერთი: {0}",
  [MSG_R_IN] = "ერთ-ერთი: {0}",
  [MSG_R_NOT_IN] = "არცერთი: {0}",
  [MSG_R_INCLUDING] = "მოიცავს: {0}",
  [MSG_R_WITHOUT] = "არ მოიცავს: {0}",
  [MSG_R_BETWEEN] = "არანაკლებ {0} და არაუმეტეს {1}",
  [MSG_R_OUTSIDE] = "ნაკლები, ვიდრე {0}, ან მეტი, ვიდრე {1}",
  [MSG_R_GIVEN] = "მითითებული მნიშვნელობა",
  [MSG_R_MISSING] = "მნიშვნელობის გარეშე",
  [MSG_R_TRUE] = "დიახ",
  [MSG_R_FALSE] = "არა",
  [MSG_P_LT] = "ნაკლები, ვიდრე {0}",
  [MSG_P_LE] = "არაუმეტეს {0}",
  [MSG_P_GT] = "მეტი, ვიდრე {0}",
  [MSG_P_GE] = "არანაკლებ {0}",
  [MSG_P_BEFORE] = "უფრო ადრე, ვიდრე {0}",
  [MSG_P_ON_OR_BEFORE] = "არაუგვიანეს {0}",
  [MSG_P_AFTER] = "უფრო გვიან, ვიდრე {0}",
  [MSG_P_ON_OR_AFTER] = "არაუადრეს {0}",
  [MSG_P_EQ] = "{0}",
  [MSG_P_NE] = "არა {0}",
  [MSG_P_ONE_OF] = "ერთ-ერთი: {0}",
  [MSG_P_NONE_OF] = "არცერთი: {0}",
  [MSG_P_IN] = "ერთ-ერთი: {0}",
  [MSG_P_NOT_IN] = "არცერთი: {0}",
  [MSG_P_INCLUDING] = "მოიცავს: {0}",
  [MSG_P_WITHOUT] = "არ მოიცავს: {0}",
  [MSG_P_BETWEEN] = "არანაკლებ {0} და არაუმეტეს {1}",
  [MSG_P_OUTSIDE] = "ნაკლები, ვიდრე {0}, ან მეტი, ვიდრე {1}",
  [MSG_P_GIVEN] = "მითითებული მნიშვნელობა",
  [MSG_P_MISSING] = "მნიშვნელობის გარეშე",
  [MSG_P_TRUE] = "დიახ",
  [MSG_P_FALSE] = "არა",
  [MSG_S_FAILS] = "{0}: {1} (საჭიროა: {2})",
  [MSG_S_HOLDS] = "{0}: {1}",
  [MSG_S_HOLDS_REQ] = "{0}: {1} ({2})",
  [MSG_S_MISSING] = "{0}: არ არის მითითებული (საჭიროა: {1})",
  [MSG_S_MISSING_FOR] = "{0}: არ არის მითითებული (საჭიროა: {1} \xE2\x80\x94 {2})",
  [MSG_S_MISSING_FOR2] = "{0}: არ არის მითითებული (საჭიროა: {1} \xE2\x80\x94 {2})",
  [MSG_S_UNKNOWN] = "{0}: უცნობია",
  [MSG_OPERAND] = "{1} („{0}“)",
  [MSG_NAMES_SEP] = ", ",
  [MSG_NAMES_LAST] = " და ",
  [MSG_G_AND] = "; და ",
  [MSG_G_OR] = "; ან ",
  [MSG_G_NONE_SEP] = "; ",
  [MSG_G_NONE_TOP] = "არცერთი პირობა არ სრულდება: ",
  [MSG_G_NONE_OPEN] = "არცერთი პირობა არ სრულდება (",
  [MSG_G_OPEN] = "(",
  [MSG_G_CLOSE] = ")",
  [MSG_G_ANY_SUFFIX] = " \xE2\x80\x94 საკმარისია რომელიმე ერთი",
  [MSG_G_ALL_SUFFIX] = " \xE2\x80\x94 საჭიროა ყველა",
  [MSG_G_ROOT_SEP] = "; ",
  [MSG_IN_FORCE_FROM] = "პროგრამის ამოქმედების თარიღი: {0}; შეფასების თარიღი: {1}",
  [MSG_IN_FORCE_UNTIL] = "პროგრამის მოქმედების ბოლო დღე: {0}; შეფასების თარიღი: {1}",
  [MSG_DAY_UNKNOWN] = " (დღე ცნობილი არ არის)",
  [MSG_DL_FROM] = ", ათვლა: {0}",
  [MSG_DL_UNTIL] = ", დასრულება: {0}",
  [MSG_DL_ACROSS] = " (ეტაპის მიუხედავად)",
  [MSG_MARK_DEFAULT] = "სააგენტოს ნაგულისხმევი წესი",
  [MSG_MARK_PROPOSAL] = "წინადადება",
  [MSG_MARK_NONE] = "საფუძველი მითითებული არ არის",
  [MSG_EVAL_ERROR] = "{0} ვერ შეფასდა: ნულზე გაყოფა, გადავსება ან თარიღი დასაშვებ ფარგლებს გარეთ",
  [MSG_PART_RULE] = "პროგრამის პირობა",
  [MSG_PART_BENEFIT_WHEN] = "დახმარების „{0}“ პირობა",
  [MSG_PART_SERVICE_WHEN] = "მომსახურების „{0}“ პირობა",
  [MSG_PART_BENEFIT_AMOUNT] = "დახმარების „{0}“ ოდენობა",
  [MSG_TODAY] = "დღევანდელი თარიღი",
  [MSG_FACT_AGE] = "ბავშვის ასაკი (წელი)",
  [MSG_FACT_CATEGORY] = "ზრუნვის კატეგორია",
  [MSG_FACT_SETTING] = "ზრუნვის სახე",
  [MSG_FACT_CAPACITY] = "ადგილების რაოდენობა",
  [MSG_FACT_OCCUPANCY] = "დაკავებული ადგილები",
  [MSG_FACT_MIN_AGE] = "მინიმალური ასაკი",
  [MSG_FACT_MAX_AGE] = "მაქსიმალური ასაკი",
  [MSG_FACT_EMERGENCY] = "გადაუდებელი შემთხვევა",
  [MSG_FACT_KEEP_SIBLINGS] = "და-ძმა ერთად რჩება",
  [MSG_FACT_SIBLINGS_ELSEWHERE] = "და-ძმა სხვაგან არის განთავსებული",
  [MSG_CAT_FAMILY] = "ოჯახზე დაფუძნებული ზრუნვა",
  [MSG_CAT_FAMILY_TYPE] = "ოჯახის ტიპის ზრუნვა",
  [MSG_CAT_RESIDENTIAL] = "რეზიდენციული ზრუნვა",
  [MSG_EXIT_REUNIFIED] = "ოჯახთან დაბრუნება",
  [MSG_EXIT_KINSHIP] = "ნათესავის მზრუნველობა",
  [MSG_EXIT_FOSTERED] = "მინდობით აღზრდა",
  [MSG_EXIT_ADOPTED] = "შვილად აყვანა",
  [MSG_EXIT_MOVED] = "სხვა მომსახურებაში გადაყვანა",
  [MSG_EXIT_AGED_OUT] = "სრულწლოვანების მიღწევა",
  [MSG_EXIT_DIED] = "გარდაცვალება",
  [MSG_EXIT_OTHER] = "სხვა",
  [MSG_UNIT_MINUTE] = "წუთი",
  [MSG_UNIT_MINUTES] = "წუთი",
  [MSG_UNIT_HOUR] = "საათი",
  [MSG_UNIT_HOURS] = "საათი",
  [MSG_UNIT_DAY] = "დღე",
  [MSG_UNIT_DAYS] = "დღე",
  [MSG_UNIT_WEEK] = "კვირა",
  [MSG_UNIT_WEEKS] = "კვირა",
  [MSG_UNIT_MONTH] = "თვე",
  [MSG_UNIT_MONTHS] = "თვე",
  [MSG_UNIT_YEAR] = "წელი",
  [MSG_UNIT_YEARS] = "წელი",
  [MSG_UNIT_WORKING_DAY] = "სამუშაო დღე",
  [MSG_UNIT_WORKING_DAYS] = "სამუშაო დღე",
  [MSG_X_AND] = " და ",
  [MSG_X_OR] = " ან ",
  [MSG_X_NOT] = "არა ",
  [MSG_REF_NO_TRANSITION] = "ეტაპზე „{0}“ მოქმედება „{1}“ არ არის გათვალისწინებული",
  [MSG_REF_ROLE] = "როლს „{0}“ არ შეუძლია მოქმედება „{1}“ ეტაპზე „{2}“",
  [MSG_REF_FINAL] = "შემთხვევა {0} დასრულებულია (ეტაპი „{1}“): მოქმედება აღარ შეიძლება",
  /* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message in two literals */
  [MSG_REF_TIME] = ("მოქმედების „{0}“ დრო ({1}) უფრო ადრეა, ვიდრე შემთხვევის ბოლო მოქმედების "
                   "დრო ({2})"),
  [MSG_REFUSED] = "მოქმედება უარყოფილია",
  [MSG_REFUSAL_NO_TRANSITION] = "გადასვლა არ არის გათვალისწინებული",
  [MSG_REFUSAL_ROLE] = "როლს არ აქვს უფლება",
  [MSG_REFUSAL_GUARD] = "პირობა არ სრულდება",
  [MSG_REFUSAL_FINAL] = "შემთხვევა დასრულებულია",
  [MSG_REFUSAL_TIME] = "დრო ბოლო მოქმედებაზე ადრეა",
  [MSG_DENIED] = "უარი",
  [MSG_WARNING] = "გაფრთხილება",
  [MSG_NOT_CHECKED] = " (ვერ შემოწმდა)",
  [MSG_DEADLINE_DUE] = "{0} \xE2\x80\x94 ვადა: {1}",
  [MSG_OVERDUE] = "ვადაგადაცილებული",
  [MSG_DL_WITHIN] = "{0} \xE2\x80\x94 ვადა: {1}{2}; ვადის გასვლისას: {3} \xE2\x86\x92 {4}",
  [MSG_DL_EVERY] = "{0} \xE2\x80\x94 პერიოდულობა: {1}{2}; ვადის გასვლისას: {3} \xE2\x86\x92 {4}",
  [MSG_DL_WHEN] = " (პირობა: {0})",
  [MSG_DIAG_BY] = "როლი:",
  [MSG_IND_TITLE] = "დეინსტიტუციონალიზაციის მაჩვენებლები: {0} \xE2\x80\x94 {1}{2}",
  [MSG_IND_REGION] = "; რეგიონი: {0}",
  [MSG_IND_AT_END] = "ზრუნვაში მყოფი ბავშვები პერიოდის ბოლოს",
  [MSG_IND_SHARE] = "ოჯახზე დაფუძნებული ზრუნვის წილი",
  [MSG_IND_ENTRIES] = "დაწყებული განთავსებები",
  [MSG_IND_EXITS] = "დასრულებული განთავსებები",
  [MSG_IND_MOVES] = "გადაყვანები",
  [MSG_IND_CHILDREN] = "ზრუნვაში მყოფი ბავშვები პერიოდში",
  [MSG_IND_MOVES_PER_CHILD] = "გადაყვანები ერთ ბავშვზე",
  [MSG_IND_MEDIAN_STAY] = "დასრულებული განთავსებების ხანგრძლივობის მედიანა",
  [MSG_IND_DAYS] = "დღე",
  [MSG_IND_LEFT_CARE] = "დასრულდა: ბავშვმა დატოვა ზრუნვა",
  [MSG_IND_MOVED_WITHIN] = "დასრულდა: გადაყვანა ზრუნვის ფარგლებში",
  [MSG_IND_OWN_FAMILY] = "საკუთარ ოჯახში (არ არის ზრუნვაში)",
  [MSG_IND_RESIDENTIAL_UNDER3] = "3 წლამდე ასაკის ბავშვები რეზიდენციულ ზრუნვაში",
  [MSG_IND_COL_SETTING] = "ზრუნვის სახე",
  [MSG_IND_COL_AT_END] = "ბოლოს",
  [MSG_IND_COL_ENTRIES] = "შესვლა",
  [MSG_IND_COL_EXITS] = "გასვლა",
  [MSG_IND_COL_REASONS] = "გასვლის მიზეზები",
  [MSG_IND_SERIES] = "რეზიდენციულ ზრუნვაში მყოფი ბავშვები თვის ბოლოს",
  [MSG_RPT_PROGRAMME] = "პროგრამა",
  [MSG_RPT_STATE] = "ეტაპი",
  [MSG_RPT_CASES] = "შემთხვევები",
  [MSG_RPT_MISSING] = "აკლია",
  [MSG_RPT_SERVICES] = "მომსახურებები",
  [MSG_RPT_BENEFITS] = "დახმარებები",
  [MSG_RPT_ONCE] = "ერთჯერადად",
  [MSG_RPT_MONTHLY] = "ყოველთვიურად",
  [MSG_RPT_YEARLY] = "ყოველწლიურად",
};

static const cpw__lang langs[] = {
  { "", "English (the policy's own names)", en, CPW__STYLE_ISO, 0 },
  { "en", "English", en, CPW__STYLE_ISO, 1 },
  { "ka", "ქართული", ka, CPW__STYLE_KA, 1 },
};

int cpw__lang_tag_ok(const char *s, size_t n)
{
  size_t i;
  if (n == 0 || n > 35 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
    return 0;
  for (i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
          (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
      return 0;
  return 1;
}

const cpw__lang *cpw__lang_get(const char *tag)
{
  size_t i;
  if (tag == NULL)
    return &langs[0];
  for (i = 0; i < CPW__ARRAY_LEN(langs); i++)
    if (strcmp(tag, langs[i].tag) == 0)
      return &langs[i];
  return NULL;
}

const cpw__lang *cpw__lang_names(void)
{
  return &langs[0];
}

const char *cpw__msg_key(int msg)
{
  return msg >= 0 && msg < MSG__COUNT ? keys[msg] : NULL;
}

int cpw__msg_find(const char *key, size_t len)
{
  int i;
  for (i = 0; i < MSG__COUNT; i++)
    if (strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
      return i;
  return -1;
}

/* Cut s (a NUL-terminated text of n bytes written into a buffer that was too small) back to
 * the end of its last complete character. */
static size_t cut_char(char *s, size_t n)
{
  size_t i = n;
  /* back over continuation bytes to the last lead byte, and drop that character when it is
   * incomplete */
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
    i--;
  if (i > 0 && (unsigned char)s[i - 1] >= 0x80) {
    size_t lead = i - 1;
    if (cpw__utf8_seq((const unsigned char *)s + lead, n - lead) != n - lead)
      n = lead;
  }
  s[n] = '\0';
  return n;
}

size_t cpw__lang_fill(char *buf, size_t size, const char *tpl, const char *const *args,
                      int nargs)
{
  size_t o = 0;
  const char *p;
  int cut = 0;
  if (size == 0)
    return 0;
  for (p = tpl; *p != '\0' && !cut; p++) {
    const char *s = NULL;
    size_t n;
    if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      int k = p[1] - '0';
      s = k < nargs && args[k] != NULL ? args[k] : "";
      p += 2;
    }
    n = s != NULL ? strlen(s) : 1;
    if (o + n >= size) {
      n = size - 1 - o;
      cut = 1;
    }
    memcpy(buf + o, s != NULL ? s : p, n);
    o += n;
  }
  buf[o] = '\0';
  return cut ? cut_char(buf, o) : o;
}

/* ------------------------------------------------------------------ numbers, dates, money */

static const char *const ka_months[12] = {
  "იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო",
  "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი",
};

/* A text into buf, cut between characters. */
static void put(char *buf, size_t size, const char *s)
{
  size_t n = strlen(s);
  if (size == 0)
    return;
  if (n >= size) {
    memcpy(buf, s, size - 1);
    cut_char(buf, size - 1);
    return;
  }
  memcpy(buf, s, n + 1);
}

/* digits of a magnitude, grouped by three with spaces from five digits on (Georgian texts
 * write "1000 ლარი" and "120 000 ქულა") */
static void grouped(char *out, uint64_t a, int group)
{
  char d[24];
  int n = 0, i, o = 0;
  do {
    d[n++] = (char)('0' + a % 10);
    a /= 10;
  } while (a != 0);
  for (i = n - 1; i >= 0; i--) {
    out[o++] = d[i];
    if (group && n >= 5 && i > 0 && i % 3 == 0)
      out[o++] = ' ';
  }
  out[o] = '\0';
}

void cpw__lang_int(char *buf, size_t size, int style, int64_t v)
{
  char t[40], g[32];
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  grouped(g, a, style == CPW__STYLE_KA);
  snprintf(t, sizeof t, "%s%s", v < 0 ? "-" : "", g);
  put(buf, size, t);
}

void cpw__lang_money(char *buf, size_t size, int style, int64_t v)
{
  char t[48], g[32];
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int ka_style = style == CPW__STYLE_KA;
  grouped(g, a / 100, ka_style);
  if (a % 100 == 0)
    snprintf(t, sizeof t, "%s%s %s", v < 0 ? "-" : "", g, ka_style ? "\xE2\x82\xBE" : "GEL");
  else
    snprintf(t, sizeof t, "%s%s%c%02u %s", v < 0 ? "-" : "", g, ka_style ? ',' : '.',
             (unsigned)(a % 100), ka_style ? "\xE2\x82\xBE" : "GEL");
  put(buf, size, t);
}

int cpw__lang_date(char *buf, size_t size, int style, int64_t date)
{
  char iso[CPW_DATE_BUFSIZE], t[80];
  int y, m, d;
  if (size > 0)
    buf[0] = '\0';
  if (date < CPW_DATE_MIN || date > CPW_DATE_MAX ||
      cpw_date_format(iso, sizeof iso, (cpw_date)date) != CPW_OK)
    return CPW_EINVALID;
  if (style != CPW__STYLE_KA) {
    put(buf, size, iso);
    return CPW_OK;
  }
  cpw_date_to_ymd((cpw_date)date, &y, &m, &d);
  snprintf(t, sizeof t, "%d წლის %d %s", y, d, ka_months[m - 1]);
  put(buf, size, t);
  return CPW_OK;
}

int cpw__lang_time(char *buf, size_t size, int style, int64_t t, int tz_minutes)
{
  char iso[CPW_TIME_BUFSIZE], day[80], out[100];
  if (size > 0)
    buf[0] = '\0';
  if (cpw_time_format(iso, sizeof iso, t, tz_minutes) != CPW_OK)
    return CPW_EINVALID;
  if (style != CPW__STYLE_KA) {
    put(buf, size, iso);
    return CPW_OK;
  }
  /* the local date and the time of day (hours:minutes) in the policy's zone */
  if (cpw__lang_date(day, sizeof day, style, cpw_time_to_date(t, tz_minutes)) != CPW_OK)
    return CPW_EINVALID;
  snprintf(out, sizeof out, "%s, %.5s", day, iso + 11);
  put(buf, size, out);
  return CPW_OK;
}

/* ------------------------------------------------------------------ public */

int cpw_text_options_init(cpw_text_options *opts, unsigned int version)
{
  if (opts == NULL)
    return CPW_EINVALID;
  if (version == 0 || version > CPW_TEXT_OPTIONS_VERSION)
    return CPW_EVERSION;
  memset(opts, 0, sizeof *opts);
  opts->version = version;
  return CPW_OK;
}

int cpw_ctx_set_language(cpw_ctx *ctx, const char *lang)
{
  size_t n;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (lang == NULL)
    lang = "";
  n = strlen(lang);
  if (n > 0 && !cpw__lang_tag_ok(lang, n))
    return cpw__set_error(ctx, CPW_EINVALID, "a language tag is letters, digits and '-', "
                                             "starting with a letter (\"ka\", \"en\")");
  memcpy(ctx->lang, lang, n + 1);
  return CPW_OK;
}

const char *cpw_ctx_language(const cpw_ctx *ctx)
{
  return ctx != NULL ? ctx->lang : "";
}

size_t cpw_language_count(void)
{
  return CPW__ARRAY_LEN(langs) - 1; /* not the policy's own names */
}

const char *cpw_language_tag(size_t index)
{
  return index < CPW__ARRAY_LEN(langs) - 1 ? langs[index + 1].tag : NULL;
}

const char *cpw_language_name(const char *lang)
{
  const cpw__lang *l = lang != NULL && lang[0] != '\0' ? cpw__lang_get(lang) : NULL;
  return l != NULL ? l->name : NULL;
}

const char *cpw_message(const char *lang, const char *key)
{
  const cpw__lang *l = cpw__lang_get(lang);
  int m;
  if (l == NULL || key == NULL)
    return NULL;
  m = cpw__msg_find(key, strlen(key));
  return m >= 0 ? l->msg[m] : NULL;
}

/* the style of a built-in language, or -1 */
static int style_of(char *buf, size_t size, const char *lang)
{
  const cpw__lang *l = cpw__lang_get(lang);
  if (buf == NULL || size == 0)
    return -1;
  buf[0] = '\0';
  return l != NULL ? l->style : -1;
}

int cpw_date_format_lang(char *buf, size_t size, cpw_date date, const char *lang)
{
  int style = style_of(buf, size, lang);
  return style < 0 ? CPW_EINVALID : cpw__lang_date(buf, size, style, date);
}

int cpw_time_format_lang(char *buf, size_t size, cpw_time t, int offset_minutes,
                         const char *lang)
{
  int style = style_of(buf, size, lang);
  return style < 0 ? CPW_EINVALID : cpw__lang_time(buf, size, style, t, offset_minutes);
}

int cpw_money_format_lang(char *buf, size_t size, cpw_money tetri, const char *lang)
{
  int style = style_of(buf, size, lang);
  if (style < 0)
    return CPW_EINVALID;
  cpw__lang_money(buf, size, style, tetri);
  return CPW_OK;
}

int cpw_number_format_lang(char *buf, size_t size, int64_t value, const char *lang)
{
  int style = style_of(buf, size, lang);
  if (style < 0)
    return CPW_EINVALID;
  cpw__lang_int(buf, size, style, value);
  return CPW_OK;
}
