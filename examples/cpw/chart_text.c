/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/chart_text.c: every word of the charts and the report page, one table per
 * language. A language is a table of T_COUNT strings in the order of cpw_tool_text_id
 * (pictures.h), UTF-8, plain text (the writers escape it). Words are never glued into
 * sentences by printf formats: a caption is its table entry, then numbers and names.
 * Setting, region, workflow and state names are shown by the policy's labels in the language
 * (cpw_tool_label), dates as the library writes them in it (cpw_tool_date_text). The Georgian
 * table is a first translation, to be read by a Georgian-speaking reviewer. */
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

/* Georgian. The library's catalogue (lib/base/lang.c) has the words of the indicator tables:
 * the categories, the exit reasons, "setting", "entries", "exits", "state", "cases" are its. */
static const char *const ka[T_COUNT] = {
  [T_LANG] = "ka",
  [T_PAGE_TITLE] = "დეინსტიტუციონალიზაცია და შემთხვევები",
  [T_PAGE_INTRO] = "გამოთვლილია libcpw-ით ჟურნალში აღრიცხული განთავსებებისა და შემთხვევების "
                   "მოვლენებიდან, ქვემოთ დასახელებული პოლიტიკით. თითოეული დიაგრამის წარწერაში "
                   "მაჩვენებლის განმარტებაა; მის ქვემოთ ცხრილში დიაგრამაზე ასახული რიცხვებია.",
  [T_PERIOD] = "პერიოდი",
  [T_TO] = "\xE2\x80\x94",
  [T_REGION] = "რეგიონი",
  [T_ALL_REGIONS] = "ყველა რეგიონი",
  [T_POLICY] = "პოლიტიკა",
  [T_VERSION] = "ვერსია",
  [T_HASH] = "ჰეში",
  [T_JOURNAL] = "ჟურნალი",
  [T_SOURCE] = "წყარო",
  [T_SOURCE_TEXT] = "libcpw-ის მაჩვენებლები (cpw_registry_indicators), ჟურნალი",
  [T_DEFINITION] = "განმარტება",
  [T_NUMBERS] = "დიაგრამის რიცხვები",

  [T_MONTH_END] = "თვის ბოლო",
  [T_YEAR_END] = "წლის ბოლო",
  [T_UNIT_CHILDREN] = "ბავშვები",
  [T_UNIT_PERCENT] = "% ზრუნვაში მყოფი ბავშვებიდან",
  [T_UNIT_PLACEMENTS] = "განთავსებები",
  [T_UNIT_DAYS] = "დღე",
  [T_JAN] = "იან", [T_FEB] = "თებ", [T_MAR] = "მარ", [T_APR] = "აპრ", [T_MAY] = "მაი",
  [T_JUN] = "ივნ", [T_JUL] = "ივლ", [T_AUG] = "აგვ", [T_SEP] = "სექ", [T_OCT] = "ოქტ",
  [T_NOV] = "ნოე", [T_DEC] = "დეკ",

  [T_INCARE_TITLE] = "ალტერნატიულ ზრუნვაში მყოფი ბავშვები, ზრუნვის სახის მიხედვით",
  [T_INCARE_DEF] = "ბავშვები, რომელთა განთავსება დაიწყო თვის (ან წლის) ბოლო დღემდე და არ "
                   "დასრულებულა, იმ კატეგორიის მიხედვით, რომელსაც პოლიტიკა მათ ზრუნვის სახეს "
                   "მიაკუთვნებს.",
  [T_CAT_FAMILY] = "ოჯახზე დაფუძნებული",
  [T_CAT_FAMILY_TYPE] = "ოჯახის ტიპის",
  [T_CAT_RESIDENTIAL] = "რეზიდენციული",
  [T_TOTAL] = "სულ",

  [T_SHARE_TITLE] = "ოჯახზე დაფუძნებულ ზრუნვაში მყოფი ბავშვების წილი",
  [T_SHARE_DEF] = "თვის (ან წლის) ბოლო დღეს ოჯახზე დაფუძნებულ ზრუნვაში მყოფი ბავშვები, "
                  "გაყოფილი იმ დღეს ალტერნატიულ ზრუნვაში მყოფ ყველა ბავშვზე; წერტილი არ არის, "
                  "როცა ზრუნვაში არც ერთი ბავშვი არ იყო.",
  [T_SHARE_LEGEND] = "ოჯახზე დაფუძნებული ზრუნვის წილი",
  [T_NONE_IN_CARE] = "ზრუნვაში ბავშვი არ არის",

  [T_FLOWS_TITLE] = "დაწყებული და დასრულებული განთავსებები, ზრუნვის სახისა და მიზეზის მიხედვით",
  [T_FLOWS_DEF] = "შესვლა \xE2\x80\x94 პერიოდში დაწყებული განთავსებები, იმ ზრუნვის სახის "
                  "მიხედვით, სადაც ბავშვი მოხვდა; გასვლა \xE2\x80\x94 პერიოდში დასრულებული "
                  "განთავსებები, დატოვებული ზრუნვის სახისა და აღრიცხული მიზეზის მიხედვით. სხვა "
                  "მომსახურებაში გადაყვანა ერთ განთავსებას ასრულებს (მიზეზი: გადაყვანა) და "
                  "მეორეს იწყებს.",
  [T_ENTRIES] = "შესვლა",
  [T_EXITS] = "გასვლა",
  [T_EXITS_BY_REASON] = "გასვლა, მიზეზის მიხედვით:",
  [T_SETTING] = "ზრუნვის სახე",
  [T_FLOWS_IDLE] = "შესვლისა და გასვლის გარეშე",
  [T_FLOWS_NONE] = "პერიოდში არც ერთი განთავსება არ დაწყებულა და არ დასრულებულა.",
  [T_REASON_REUNIFIED] = "ოჯახთან დაბრუნება",
  [T_REASON_KINSHIP] = "ნათესავის მზრუნველობა",
  [T_REASON_FOSTERED] = "მინდობით აღზრდა",
  [T_REASON_ADOPTED] = "შვილად აყვანა",
  [T_REASON_MOVED] = "სხვა მომსახურებაში გადაყვანა",
  [T_REASON_AGED_OUT] = "სრულწლოვანების მიღწევა",
  [T_REASON_DIED] = "გარდაცვალება",
  [T_REASON_OTHER] = "სხვა",

  [T_STAY_TITLE] = "დასრულებული განთავსებების ხანგრძლივობა",
  [T_STAY_DEF] = "თვეში (ან წელიწადში) დასრულებული განთავსებების ხანგრძლივობის მედიანა "
                 "დღეებში, განთავსების დაწყებიდან დასრულებამდე; სვეტი არ არის, როცა არც ერთი "
                 "არ დასრულებულა. წყვეტილი ხაზი მთელი პერიოდის მედიანაა.",
  [T_STAY_LEGEND] = "ხანგრძლივობის მედიანა",
  [T_STAY_WHOLE] = "მთელი პერიოდი",
  [T_NONE_ENDED] = "არ დასრულებულა",
  [T_ENDED] = "დასრულებული განთავსებები",

  [T_CASELOAD_TITLE] = "შემთხვევები პერიოდის ბოლოს",
  [T_STATES_TITLE] = "შემთხვევები ეტაპების მიხედვით",
  [T_STATES_DEF] = "პერიოდის ბოლომდე გახსნილი შემთხვევები, იმ ეტაპზე, რომლამდეც ისინი მანამდე "
                   "მოვლენებმა მიიყვანა.",
  [T_WORKFLOW] = "პროცესი",
  [T_STATE] = "ეტაპი",
  [T_CASES] = "შემთხვევები",
  [T_FINAL] = "საბოლოო",
  [T_NO_CASES] = "პერიოდის ბოლომდე არც ერთი შემთხვევა არ გახსნილა.",
  [T_OVERDUE_TITLE] = "ვადაგადაცილებული ვადები, გადაცილების ხანგრძლივობის მიხედვით",
  [T_OVERDUE_DEF] = "შემთხვევების ვადები, რომლებიც პერიოდის ბოლოსთვის (ბოლო დღის 23:59:59, "
                    "პოლიტიკის დროის სარტყელში) ამოიწურა მოსალოდნელი მოვლენის გარეშე, "
                    "ამოწურვიდან გასული დროის მიხედვით.",
  [T_OVERDUE_BY] = "გადაცილება",
  [T_DEADLINES] = "ვადები",
  [T_AGE_DAY] = "ერთ დღეზე ნაკლები",
  [T_AGE_WEEK] = "1\xE2\x80\x93" "7 დღე",
  [T_AGE_MONTH] = "8\xE2\x80\x93" "30 დღე",
  [T_AGE_QUARTER] = "31\xE2\x80\x93" "90 დღე",
  [T_AGE_LONGER] = "90 დღეზე მეტი",
  [T_ASSESS_TITLE] = "დღეები შეტყობინებიდან შეფასების დაწყებამდე",
  [T_ASSESS_DEF] = "პერიოდში დაწყებული შეფასებები (მოვლენა start_assessment), კალენდარულ "
                   "დღეებში შემთხვევის გახსნიდან; დროულად ნიშნავს პოლიტიკით დადგენილ ვადაში "
                   "(რეგისტრაციიდან სამუშაო დღეები, სასწრაფო შემთხვევაში საათები).",
  [T_ASSESS_STARTED] = "დაწყებული შეფასებები",
  [T_ASSESS_ON_TIME] = "დროულად დაწყებული",
  [T_ASSESS_MEDIAN] = "მედიანა, დღე შეტყობინებიდან",
  [T_ASSESS_DAYS] = "დღე შეტყობინებიდან",
  [T_DAYS_0] = "1-ზე ნაკლები",
  [T_DAYS_1] = "1-დან 3-მდე",
  [T_DAYS_3] = "3-დან 7-მდე",
  [T_DAYS_7] = "7-დან 14-მდე",
  [T_DAYS_14] = "14 ან მეტი",
  [T_ASSESS_NONE] = "პოლიტიკის არც ერთ პროცესს არ აქვს მოვლენა start_assessment.",
};

/* The languages there are tables of; English, the first, for any other. A table with a
 * gap is not used. */
static const char *const *const tables[] = { en, ka };

const char *const *cpw_tool_text(const char *lang)
{
  size_t i, k, use = 0;
  for (i = 0; i < sizeof tables / sizeof tables[0]; i++)
    if (lang != NULL && strcmp(lang, tables[i][T_LANG]) == 0)
      use = i;
  for (k = 0; k < T_COUNT; k++)
    if (tables[use][k] == NULL)
      return NULL;
  return tables[use];
}
