/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/notifications.c: `cpw report --notifications`: the notifications a journal's
 * referral cases registered, per year, by reporter type, case type and channel (what Decree
 * 437's statistics count), from cpw_caseload_tally over the `registered_on` field. */
#include "cpw.h"

#include <string.h>

static const char *const breakdowns[] = { "reporter_type", "case_type", "channel" };

static int field_index(const cpw_workflow *wf, const char *name, size_t *out)
{
  size_t i;
  for (i = 0; i < cpw_workflow_field_count(wf); i++)
    if (strcmp(cpw_workflow_field(wf, i), name) == 0) {
      *out = i;
      return 1;
    }
  return 0;
}

static void year_range(int y, cpw_date from, cpw_date to, cpw_date *a, cpw_date *b)
{
  cpw_date_from_ymd(a, y, 1, 1);
  cpw_date_from_ymd(b, y, 12, 31);
  if (*a < from)
    *a = from;
  if (*b > to)
    *b = to;
}

/* one line: a label and its count for every year */
static void row(const cpw_caseload *cl, int y0, int y1, cpw_date from, cpw_date to,
                const char *field, const char *value, const char *label, int csv)
{
  int y;
  if (!csv)
    printf("  %-24s", label);
  for (y = y0; y <= y1; y++) {
    cpw_date a, b;
    int64_t n;
    year_range(y, from, to, &a, &b);
    n = cpw_caseload_tally(cl, "referral", "registered_on", a, b, field, value);
    if (csv)
      printf("notifications,%s,%s,%d,%lld\n", field != NULL ? field : "", label, y,
             (long long)n);
    else
      printf(" %8lld", (long long)n);
  }
  if (!csv)
    putchar('\n');
}

int cpw_tool_notifications(cpw_ctx *ctx, const cpw_policy *pol, cpw_journal *j, cpw_date from,
                           cpw_date to, int csv)
{
  cpw_caseload *cl = NULL;
  const cpw_workflow *wf = cpw_policy_workflow(pol, "referral");
  size_t k, f;
  int y0, y1, y, rc;
  if (wf == NULL || !field_index(wf, "registered_on", &f)) {
    fprintf(stderr, "cpw report: the policy has no referral workflow with registered_on\n");
    return CPW_EXIT_FAILURE;
  }
  rc = cpw_caseload_new(&cl, ctx, pol);
  if (rc == CPW_OK)
    rc = cpw_journal_replay(j, cl);
  if (rc != CPW_OK) {
    cpw_caseload_free(cl);
    cpw_tool_fail(ctx, rc, "report");
    return rc == CPW_ECORRUPT || rc == CPW_EINVALID ? CPW_EXIT_FAILURE : CPW_EXIT_ERROR;
  }
  cpw_date_to_ymd(from, &y0, NULL, NULL);
  cpw_date_to_ymd(to, &y1, NULL, NULL);
  if (csv) {
    printf("indicator,field,value,year,count\n");
  } else {
    printf("Notifications registered (referral cases, by the year of registered_on)\n");
    printf("  %-24s", "");
    for (y = y0; y <= y1; y++)
      printf(" %8d", y);
    putchar('\n');
  }
  row(cl, y0, y1, from, to, NULL, NULL, "total", csv);
  for (k = 0; k < sizeof breakdowns / sizeof breakdowns[0]; k++) {
    size_t v, n;
    if (!field_index(wf, breakdowns[k], &f))
      continue;
    if (!csv)
      printf("%s\n", breakdowns[k]);
    n = cpw_workflow_field_value_count(wf, f);
    for (v = 0; v < n; v++)
      row(cl, y0, y1, from, to, breakdowns[k], cpw_workflow_field_value(wf, f, v),
          cpw_workflow_field_value(wf, f, v), csv);
    if (csv) /* "" counts the cases where it was not recorded */
      row(cl, y0, y1, from, to, breakdowns[k], "", "", csv);
    else
      row(cl, y0, y1, from, to, breakdowns[k], "", "(not recorded)", csv);
  }
  cpw_caseload_free(cl);
  return CPW_EXIT_OK;
}
