/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/pictures.h: the deinstitutionalization (DI) charts as SVG and the report page
 * as one self-contained HTML file (`cpw report --format svg|html`, `cpw demo --keep DIR`).
 *
 * Every number drawn comes from the public indicators API (cpw_registry_indicators): the
 * period's indicators, and the same call for each month (or year) of it. Every word a reader
 * sees comes from one table of strings (chart_text.c), chosen by language. */
#ifndef CPW_TOOL_PICTURES_H
#define CPW_TOOL_PICTURES_H

#include "cpw.h"

/* ---- the words (chart_text.c) ---- */

typedef enum cpw_tool_text_id {
  /* the page */
  T_LANG, T_PAGE_TITLE, T_PAGE_INTRO, T_PERIOD, T_TO, T_REGION, T_ALL_REGIONS, T_POLICY,
  T_VERSION, T_HASH, T_JOURNAL, T_SOURCE, T_SOURCE_TEXT, T_DEFINITION, T_NUMBERS,
  /* axes, units, periods */
  T_MONTH_END, T_YEAR_END, T_UNIT_CHILDREN, T_UNIT_PERCENT, T_UNIT_PLACEMENTS, T_UNIT_DAYS,
  T_JAN, T_FEB, T_MAR, T_APR, T_MAY, T_JUN, T_JUL, T_AUG, T_SEP, T_OCT, T_NOV, T_DEC,
  /* children in care by category */
  T_INCARE_TITLE, T_INCARE_DEF, T_CAT_FAMILY, T_CAT_FAMILY_TYPE, T_CAT_RESIDENTIAL, T_TOTAL,
  /* family-based share */
  T_SHARE_TITLE, T_SHARE_DEF, T_SHARE_LEGEND, T_NONE_IN_CARE,
  /* entries and exits */
  T_FLOWS_TITLE, T_FLOWS_DEF, T_ENTRIES, T_EXITS, T_EXITS_BY_REASON, T_SETTING, T_FLOWS_IDLE, T_FLOWS_NONE,
  T_REASON_REUNIFIED, T_REASON_KINSHIP, T_REASON_FOSTERED, T_REASON_ADOPTED, T_REASON_MOVED,
  T_REASON_AGED_OUT, T_REASON_DIED, T_REASON_OTHER,
  /* length of stay */
  T_STAY_TITLE, T_STAY_DEF, T_STAY_LEGEND, T_STAY_WHOLE, T_NONE_ENDED, T_ENDED,
  /* the caseload */
  T_CASELOAD_TITLE, T_STATES_TITLE, T_STATES_DEF, T_WORKFLOW, T_STATE, T_CASES, T_FINAL,
  T_NO_CASES, T_OVERDUE_TITLE, T_OVERDUE_DEF, T_OVERDUE_BY, T_DEADLINES, T_AGE_DAY,
  T_AGE_WEEK, T_AGE_MONTH, T_AGE_QUARTER, T_AGE_LONGER, T_ASSESS_TITLE, T_ASSESS_DEF,
  T_ASSESS_STARTED, T_ASSESS_ON_TIME, T_ASSESS_MEDIAN, T_ASSESS_DAYS, T_DAYS_0, T_DAYS_1,
  T_DAYS_3, T_DAYS_7, T_DAYS_14, T_ASSESS_NONE,
  T_COUNT
} cpw_tool_text_id;

/* The words of a language: Georgian for "ka", English for any other tag (NULL, "", "en", a
 * language only the policy declares labels in). NULL when the table has a gap. */
const char *const *cpw_tool_text(const char *lang);
/* The name a reader sees for a policy name of `kind` (as in cpw_policy_label: "setting",
 * "region", "state", "workflow"): its label in `lang` (NULL: English), else the name with
 * spaces for underscores. Into buf. */
void cpw_tool_label(const cpw_policy *pol, const char *lang, const char *kind,
                    const char *name, char *buf, size_t size);
/* A date as `lang` writes it (ISO 8601 in English). buf: CPW_TOOL_DATE_SIZE bytes. */
#define CPW_TOOL_DATE_SIZE 64
void cpw_tool_date_text(char *buf, cpw_date d, const char *lang);

/* ---- the data of the DI charts (chart.c) ---- */

typedef struct cpw_tool_di {
  const cpw_policy *pol;
  const char *lang;          /* the language of labels and dates (NULL: English) */
  const char *const *text;   /* its words: cpw_tool_text(lang) */
  const char *region;        /* NULL: all regions */
  const char *source;        /* the journal's file name, for the captions */
  cpw_indicators *whole;     /* [from, to] */
  cpw_indicators **parts;    /* [from, first month end], ..., [day after the last, to] */
  size_t nparts;
  int yearly;                /* parts are years (the period is longer than 36 months) */
} cpw_tool_di;

/* The indicators of [from, to] and of each of its months (years when more than 36 months),
 * all from cpw_registry_indicators, to be drawn in `lang` (NULL: English). CPW_OK, a library
 * error (in ctx), or CPW_ENOTFOUND when the language's table of words has a gap. */
int cpw_tool_di_new(cpw_tool_di *di, cpw_ctx *ctx, const cpw_registry *reg,
                    const cpw_policy *pol, const char *lang, cpw_date from, cpw_date to,
                    const char *region, const char *source);
void cpw_tool_di_free(cpw_tool_di *di);

/* The charts' names, in order (NULL-terminated): "in-care", "share", "flows", "stay". */
extern const char *const cpw_tool_chart_names[];
/* Write one chart (by name) or, with chart NULL, every chart, as SVG. standalone: an SVG
 * document (the XML prolog, the charts stacked in one <svg>); else inline <svg> elements
 * for a page, each followed by the table of its numbers. Returns 0, -1 for an unknown name. */
int cpw_tool_svg(FILE *f, const cpw_tool_di *di, const char *chart, int standalone);

/* Write s as XML text: & < > " ' escaped, bytes that are not valid UTF-8 and characters
 * XML forbids replaced by U+FFFD. */
void cpw_tool_xml(FILE *f, const char *s);

/* ---- the caseload and the page (html.c) ---- */

#define CPW_TOOL_AGES 5
typedef struct cpw_tool_caseload {
  cpw_caseload *cl;          /* the cases as the journal's events left them at `at` */
  cpw_time at;               /* the end of the period: 23:59:59 of its last day */
  size_t overdue;            /* deadlines run out by `at` */
  size_t overdue_by_age[CPW_TOOL_AGES]; /* < 1 day, 1-7, 8-30, 31-90, more */
  int has_assessment;        /* a workflow of the policy has the event start_assessment */
  size_t assessed;           /* assessments started in the period */
  size_t assessed_on_time;   /* ... by the deadline the policy set for them */
  size_t assessed_by_days[CPW_TOOL_AGES]; /* < 1 day, 1-3, 3-7, 7-14, 14 or more */
  double assess_median_days; /* calendar days from the case's opening */
} cpw_tool_caseload;

/* Replay the journal's cases up to the end of `to` (entries after it are left out). CPW_OK,
 * or a library error (CPW_ECORRUPT for an entry that cannot be replayed). */
int cpw_tool_caseload_new(cpw_tool_caseload *cs, cpw_ctx *ctx, cpw_journal *j,
                          const cpw_policy *pol, cpw_date from, cpw_date to);
void cpw_tool_caseload_free(cpw_tool_caseload *cs);

/* The page: the charts with their tables, the caseload summary, the policy. */
void cpw_tool_html(FILE *f, const cpw_tool_di *di, const cpw_tool_caseload *cs);

/* The page of a journal's period, from a registry replayed from it (report and demo), in
 * `lang` (NULL: English). CPW_OK or an error as cpw_tool_di_new's. */
int cpw_tool_page(FILE *f, cpw_ctx *ctx, cpw_journal *j, const cpw_registry *reg,
                  const cpw_policy *pol, const char *lang, cpw_date from, cpw_date to,
                  const char *region, const char *journal_path);

#endif
