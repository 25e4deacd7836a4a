/* SPDX-License-Identifier: Apache-2.0 */
/* examples/referral_intake.c: open a referral case, apply events, handle a refusal.
 *
 * A school reports a child; the intake officer registers the case, a social worker assesses;
 * an event in the wrong role is refused with a reason and changes nothing. */
#include <string.h>

#include "common.h"

int main(void)
{
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
  cpw_case *c;
  cpw_time t;
  cpw_deadline dl[4];
  cpw_field_value concern = { "concern_confirmed", "true" };
  const char *allowed[16];
  size_t i, n;
  int rc;

  CHECK(cpw_ctx_new(&ctx, NULL), NULL);
  CHECK(cpw_policy_default(&pol, ctx), ctx);
  CHECK(cpw_caseload_new(&cl, ctx, pol), ctx);
  CHECK(cpw_time_parse(&t, ctx, "2026-04-08T10:00:00+04:00", 25), ctx);

  CHECK(cpw_caseload_open(cl, &c, "C-2026-0001", "referral", NULL, 0, t, "school-7",
                          "reporter"), ctx);
  CHECK(cpw_case_apply(c, "register", "u-12", "intake_officer", t + 3600, NULL, 0), ctx);
  printf("case %s is %s\n", cpw_case_id(c), cpw_case_state(c));

  n = cpw_case_deadlines(c, dl, 4);
  for (i = 0; i < n; i++) {
    char due[CPW_TIME_BUFSIZE];
    cpw_time_format(due, sizeof due, dl[i].due, cpw_policy_timezone(pol));
    printf("deadline: %s by %s (else %s goes to the %s)\n", dl[i].event, due, dl[i].escalation,
           dl[i].role);
  }

  /* the intake officer may not approve a plan: refused, with the reason, nothing changes */
  rc = cpw_case_apply(c, "approve_plan", "u-12", "intake_officer", t + 7200, NULL, 0);
  if (rc != CPW_EDENIED)
    return 1;
  printf("refused (%s): %s\n", cpw_refusal_name(cpw_case_refusal(c)), cpw_case_explain(c));

  n = cpw_case_allowed_events(c, "social_worker", allowed, 16);
  printf("a social worker may now:");
  for (i = 0; i < n && i < 16; i++)
    printf(" %s", allowed[i]);
  printf("\n");

  CHECK(cpw_case_apply(c, "start_assessment", "u-40", "social_worker", t + 86400, NULL, 0), ctx);
  CHECK(cpw_case_apply(c, "assessment_done", "u-40", "social_worker", t + 5 * 86400, &concern,
                       1), ctx);
  rc = cpw_case_apply(c, "close", "u-3", "supervisor", t + 6 * 86400, NULL, 0);
  printf("close in %s: %s\n", cpw_case_state(c),
         rc == CPW_OK ? "accepted" : cpw_case_explain(c));
  printf("case %s is %s after %llu events\n", cpw_case_id(c), cpw_case_state(c),
         (unsigned long long)cpw_case_event_count(c));

  rc = strcmp(cpw_case_state(c), "case_planning") != 0; /* before the caseload is freed */
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
