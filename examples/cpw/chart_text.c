/* examples/cpw/chart_text.c: every word of the charts and the report page, one table per
 * language. A language is a table of T_COUNT strings in the order of cpw_tool_text_id
 * (pictures.h), UTF-8, plain text (the writers escape it). Words are never glued into
 * sentences by printf formats: a caption is its table entry, then numbers and names.
 * Setting ids and region names come from the policy and the journal, not from here. */
#include "pictures.h"

#include <string.h>

static const char *const en[T_COUNT] = {
  [T_LANG] = "en",
  [T_PAGE_TITLE] = "Deinstitutionalization and the caseload",
  [T_PAGE_INTRO] = "Computed by libcpw from the journal's placement and case events, replayed "
                   "with the policy named below. Each chart's caption gives the indicator's "
                   "definition; the table under it gives the numbers drawn.",
  [T_PERIOD] = "Period",
  [T_TO] = "to",
  [T_REGION] = "Region",
  [T_ALL_REGIONS] = "all regions",
  [T_POLICY] = "Policy",
  [T_VERSION] = "version",
  [T_HASH] = "hash",
  [T_JOURNAL] = "Journal",
  [T_SOURCE] = "Source",
  [T_SOURCE_TEXT] = "libcpw indicators (cpw_registry_indicators) from the journal",
  [T_DEFINITION] = "Definition",
  [T_NUMBERS] = "The numbers drawn",

  [T_MONTH_END] = "end of month",
  [T_YEAR_END] = "end of year",
  [T_UNIT_CHILDREN] = "children",
  [T_UNIT_PERCENT] = "% of children in care",
  [T_UNIT_PLACEMENTS] = "placements",
  [T_UNIT_DAYS] = "days",
  [T_JAN] = "Jan", [T_FEB] = "Feb", [T_MAR] = "Mar", [T_APR] = "Apr", [T_MAY] = "May",
  [T_JUN] = "Jun", [T_JUL] = "Jul", [T_AUG] = "Aug", [T_SEP] = "Sep", [T_OCT] = "Oct",
  [T_NOV] = "Nov", [T_DEC] = "Dec",

  [T_INCARE_TITLE] = "Children in alternative care, by type of care",
  [T_INCARE_DEF] = "children whose placement had started by the last day of the month (or "
                   "year) and had not ended, by the category the policy gives their setting.",
  [T_CAT_FAMILY] = "family-based",
  [T_CAT_FAMILY_TYPE] = "family-type",
  [T_CAT_RESIDENTIAL] = "residential",
  [T_TOTAL] = "total",

  [T_SHARE_TITLE] = "Share of the children in care who are in family-based care",
  [T_SHARE_DEF] = "children in family-based care on the last day of the month (or year), "
                  "divided by all children in alternative care that day; no point where no "
                  "child was in care.",
  [T_SHARE_LEGEND] = "family-based share",
  [T_NONE_IN_CARE] = "no child in care",

  [T_FLOWS_TITLE] = "Placements started and ended, by setting and reason",
  [T_FLOWS_DEF] = "entries are placements that started in the period, by the setting "
                  "entered; exits are placements that ended in it, by the setting left and "
                  "the reason recorded. A move to another setting ends one placement "
                  "(reason: moved) and starts another.",
  [T_ENTRIES] = "entries",
  [T_EXITS] = "exits",
  [T_EXITS_BY_REASON] = "exits, by reason:",
  [T_SETTING] = "setting",
  [T_FLOWS_IDLE] = "No entries or exits",
  [T_FLOWS_NONE] = "No placement started or ended in the period.",
  [T_REASON_REUNIFIED] = "reunified",
  [T_REASON_KINSHIP] = "to kinship care",
  [T_REASON_FOSTERED] = "fostered",
  [T_REASON_ADOPTED] = "adopted",
  [T_REASON_MOVED] = "moved",
  [T_REASON_AGED_OUT] = "aged out",
  [T_REASON_DIED] = "died",
  [T_REASON_OTHER] = "other",

  [T_STAY_TITLE] = "Length of stay of the placements that ended",
  [T_STAY_DEF] = "the median, over the placements that ended in the month (or year), of the "
                 "days from the placement's start to its end; no bar where none ended. The "
                 "dashed line is the median over the whole period.",
  [T_STAY_LEGEND] = "median length of stay",
  [T_STAY_WHOLE] = "whole period",
  [T_NONE_ENDED] = "none ended",
  [T_ENDED] = "placements ended",

  [T_CASELOAD_TITLE] = "The caseload at the end of the period",
  [T_STATES_TITLE] = "Cases by state",
  [T_STATES_DEF] = "cases opened by the end of the period, in the state their events had "
                   "brought them to by then.",
  [T_WORKFLOW] = "workflow",
  [T_STATE] = "state",
  [T_CASES] = "cases",
  [T_FINAL] = "final",
  [T_NO_CASES] = "No case was opened by the end of the period.",
  [T_OVERDUE_TITLE] = "Overdue deadlines, by how long overdue",
  [T_OVERDUE_DEF] = "deadlines of cases that had run out by the end of the period (23:59:59 "
                    "on its last day, in the policy's time zone) without the event they wait "
                    "for, by the time since they ran out.",
  [T_OVERDUE_BY] = "overdue by",
  [T_DEADLINES] = "deadlines",
  [T_AGE_DAY] = "less than a day",
  [T_AGE_WEEK] = "1 to 7 days",
  [T_AGE_MONTH] = "8 to 30 days",
  [T_AGE_QUARTER] = "31 to 90 days",
  [T_AGE_LONGER] = "more than 90 days",
  [T_ASSESS_TITLE] = "Days from notification to the start of the assessment",
  [T_ASSESS_DEF] = "assessments started in the period (the event start_assessment), counted "
                   "in calendar days from the case's opening; on time means by the deadline "
                   "the policy set for it (working days after registration, hours when "
                   "urgent).",
  [T_ASSESS_STARTED] = "assessments started",
  [T_ASSESS_ON_TIME] = "started on time",
  [T_ASSESS_MEDIAN] = "median days after the notification",
  [T_ASSESS_DAYS] = "days after the notification",
  [T_DAYS_0] = "less than 1",
  [T_DAYS_1] = "1 to less than 3",
  [T_DAYS_3] = "3 to less than 7",
  [T_DAYS_7] = "7 to less than 14",
  [T_DAYS_14] = "14 or more",
  [T_ASSESS_NONE] = "No workflow of the policy has the event start_assessment.",
};

/* The languages there are tables of. A table with a missing entry is not used. */
static const char *const *const tables[] = { en };

const char *const *cpw_tool_text(const char *lang)
{
  size_t i, k;
  for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    if (lang != NULL && strcmp(lang, tables[i][T_LANG]) != 0)
      continue;
    for (k = 0; k < T_COUNT; k++)
      if (tables[i][k] == NULL)
        return NULL;
    return tables[i];
  }
  return NULL;
}
