/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of Georgia's default policy against the domain review of 2026-12
 * (../shared/reviews/domain-2026-12.md; issue 12, part 2): each correction is checked through
 * the public API, and each test failed on the policy before its correction. */
#include "policytest.h"

#include "journal_testutil.h"

#define WF_DAY_SECONDS ((cpw_time)86400)

/* ------------------------------------------------------------------ helpers */

static cpw_money benefit_of(const pt_env *e, const char *name)
{
  size_t i;
  for (i = 0; i < cpw_decision_benefit_count(e->dec); i++) {
    cpw_money m = 0;
    if (strcmp(cpw_decision_benefit(e->dec, i, &m, NULL), name) == 0)
      return m;
  }
  return -1;
}

static const cpw_rule *rule_named(const cpw_policy *pol, const char *name)
{
  size_t i;
  for (i = 0; i < cpw_policy_rule_count(pol); i++)
    if (strcmp(cpw_rule_name(cpw_policy_rule_at(pol, i)), name) == 0)
      return cpw_policy_rule_at(pol, i);
  fail_msg("no rule '%s'", name);
  return NULL;
}

/* ------------------------------------------------------------------ TSA child benefit */

/* The benefit's history as dated values (review 0.1 and 1.1): 10 GEL from 2015 and 50 GEL from
 * 2019 (years sourced, days not), then 100 GEL with the score limit raised from 100,000 to
 * "less than 120,000" on 2021-07-01, 150 GEL from 2022-06-01, 200 GEL and "not more than
 * 120,000" from 2023-07-01; children under 16. */
static void test_georgia__tsa_child_benefit_history(void **state)
{
  pt_env e;
  cpw_date d;
  (void)state;
  pt_open_default(&e);
  /* as of 2022-03-01 a child under 16 in a household scoring 90,000 gets 100 GEL a month */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 90000, "
                           "\"birth_date\": \"2012-02-29\"}", "2022-03-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 10000);
  /* the amounts of each period */
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2022-06-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 15000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-06-30"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 15000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-07-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 20000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2021-06-30"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 5000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2019-01-01"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 5000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2018-12-31"), CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "child_benefit"), 1000);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2014-12-31"), CPW_NOT_ELIGIBLE);
  /* each period's boundary: at most 100,000; then less than 120,000; then at most 120,000 */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 100000, "
                           "\"birth_date\": \"2012-02-29\"}", "2021-06-30"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 100001, "
                           "\"birth_date\": \"2012-02-29\"}", "2021-06-30"), CPW_NOT_ELIGIBLE);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2021-07-01"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 119999, "
                           "\"birth_date\": \"2012-02-29\"}", "2023-06-30"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 120000, "
                           "\"birth_date\": \"2012-02-29\"}", "2023-06-30"), CPW_NOT_ELIGIBLE);
  assert_non_null(strstr(pt_explain(&e), "tsa_score is 120000, but must be less than"));
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2023-07-01"), CPW_ELIGIBLE);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 120001, "
                           "\"birth_date\": \"2012-02-29\"}", "2023-07-01"), CPW_NOT_ELIGIBLE);
  /* under 16: the 16th birthday ends it (a 29 February birthday is reached on 1 March) */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 50000, "
                           "\"birth_date\": \"2008-02-29\"}", "2024-02-28"), CPW_ELIGIBLE);
  assert_int_equal(pt_run(&e, "tsa_child_benefit", "2024-02-29"), CPW_NOT_ELIGIBLE);
  /* the starts whose day is not known are marked as such */
  assert_int_equal(cpw_rule_start(cpw_program_rule(pt_program(&e, "tsa_child_benefit")), &d),
                   CPW_PRECISION_YEAR);
  assert_int_equal(d, pt_date("2015-01-01"));
  assert_int_equal(cpw_rule_start(rule_named(e.pol, "tsa_child_benefit_gel from 2019"), &d),
                   CPW_PRECISION_YEAR);
  assert_int_equal(cpw_rule_start(rule_named(e.pol, "tsa_child_benefit_gel from 2021-07-01"), &d),
                   CPW_PRECISION_DAY);
  /* the decision names the value in force and its basis */
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 90000, "
                           "\"birth_date\": \"2012-02-29\"}", "2022-03-01"), CPW_ELIGIBLE);
  assert_non_null(strstr(cpw_decision_basis(e.dec), "tsa_child_benefit_gel from 2021-07-01: "
                                                    "proposal, not confirmed"));
  pt_close(&e);
}


/* ------------------------------------------------------------------ holidays and days off */

/* The days off the Government declared for administrative bodies under Labour Code Art. 30(3)
 * (review 2.2), and 17 May: a one-off day off in 2024, a holiday by law from 2025. */
static void test_georgia__days_off_for_administrative_bodies(void **state)
{
  static const char *const off[] = {
    "2021-01-04", "2021-01-05", "2021-01-06", "2021-01-08", "2021-01-11", "2021-01-12",
    "2021-01-13", "2021-01-14", "2021-01-15", "2022-01-03", "2022-01-04", "2022-01-05",
    "2022-01-06", "2023-01-03", "2023-01-04", "2023-01-05", "2023-01-06", "2024-01-03",
    "2024-01-04", "2024-01-05", "2024-05-07", "2024-05-08", "2024-05-10", "2024-05-17",
    "2025-08-29", "2026-01-05", "2026-01-06", "2027-05-17",
  };
  pt_env e;
  const cpw_calendar *cal;
  const cpw_rule *r;
  const char *name = NULL;
  size_t i;
  (void)state;
  pt_open_default(&e);
  cal = cpw_policy_calendar(e.pol, "georgia");
  for (i = 0; i < sizeof off / sizeof off[0]; i++)
    if (cpw_calendar_is_working_day(cal, pt_date(off[i])) != 0)
      fail_msg("%s is a working day", off[i]);
  /* 17 May was a working day before 2024 (2023-05-17 is a Wednesday) */
  assert_int_equal(cpw_calendar_is_working_day(cal, pt_date("2023-05-17")), 1);
  /* the days off are rules of their own, regulations with their instruments */
  r = rule_named(e.pol, "georgia: Day off for administrative bodies (Government resolution, "
                        "7, 8 and 10 May 2024)");
  assert_int_equal(cpw_rule_kind_of(r), CPW_RULE_DAY_OFF);
  assert_int_equal(cpw_rule_status(r), CPW_BASIS_REGULATION);
  assert_int_equal(cpw_calendar_is_holiday(cal, pt_date("2025-08-29"), &name), 1);
  assert_non_null(strstr(name, "Day off for administrative bodies"));
  r = rule_named(e.pol, "georgia: Day off for administrative bodies (Decree 381 of 2025)");
  assert_non_null(strstr(cpw_rule_basis(r), "Decree No 381"));
  /* the holidays of the law cite the Labour Code, Art. 30 */
  r = rule_named(e.pol, "georgia: Victory Day");
  assert_int_equal(cpw_rule_status(r), CPW_BASIS_LAW);
  assert_non_null(strstr(cpw_rule_basis(r), "Labour Code of Georgia, Art. 30"));
  for (i = 0; i < cpw_policy_rule_count(e.pol); i++)
    if (strstr(cpw_rule_text(cpw_policy_rule_at(e.pol, i)), "Art. 20") != NULL)
      fail_msg("rule %s still cites Art. 20", cpw_rule_name(cpw_policy_rule_at(e.pol, i)));
  pt_close(&e);
}

/* Working-day deadlines count the days off: a case registered on Thursday 2 May 2024 must be
 * assessed within 3 working days, by Wednesday 15 May (3 May Good Friday, 6 May Easter Monday,
 * 7, 8 and 10 May days off, 9 May Victory Day). */
static void test_georgia__working_days_count_days_off(void **state)
{
  pt_env e;
  cpw_caseload *cl;
  cpw_case *c;
  cpw_deadline dl[8];
  size_t i, n;
  int found = 0;
  cpw_time t = pt_time("2024-05-02T10:00:00+04:00");
  (void)state;
  pt_open_default(&e);
  assert_int_equal(cpw_caseload_new(&cl, e.ctx, e.pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "R-1", "referral", NULL, 0, t, "u", "reporter"),
                   CPW_OK);
  assert_int_equal(cpw_case_apply(c, "register", "u", "intake_officer", t, NULL, 0), CPW_OK);
  n = cpw_case_deadlines(c, dl, 8);
  for (i = 0; i < n; i++)
    if (strcmp(dl[i].event, "start_assessment") == 0) {
      assert_int_equal(dl[i].due, pt_time("2024-05-15T10:00:00+04:00"));
      found = 1;
    }
  assert_true(found);
  cpw_caseload_free(cl);
  pt_close(&e);
}

/* The built-in calendar (cpw_calendar_new_georgia) is the policy's: one list, no drift. */
static void test_georgia__built_in_calendar_is_the_policys(void **state)
{
  pt_env e;
  cpw_calendar *ge = NULL;
  const cpw_calendar *cal;
  cpw_date d;
  (void)state;
  pt_open_default(&e);
  cal = cpw_policy_calendar(e.pol, "georgia");
  assert_int_equal(cpw_calendar_new_georgia(&ge, e.ctx), CPW_OK);
  for (d = pt_date("2015-01-01"); d <= pt_date("2030-12-31"); d++) {
    const char *a = NULL, *b = NULL;
    int ha = cpw_calendar_is_holiday(cal, d, &a), hb = cpw_calendar_is_holiday(ge, d, &b);
    char buf[CPW_DATE_BUFSIZE];
    if (ha != hb || (ha && strcmp(a, b) != 0)) {
      cpw_date_format(buf, sizeof buf, d);
      fail_msg("%s: the policy says %d (%s), the built-in calendar %d (%s)", buf, ha,
               a ? a : "", hb, b ? b : "");
    }
    assert_int_equal(cpw_calendar_is_working_day(cal, d), cpw_calendar_is_working_day(ge, d));
  }
  cpw_calendar_free(ge);
  pt_close(&e);
}

/* ------------------------------------------------------------------ the referral workflow */

typedef struct ref_fx {
  pt_env e;
  cpw_caseload *cl;
  unsigned serial;
} ref_fx;

static void ref_open(ref_fx *r)
{
  pt_open_default(&r->e);
  assert_int_equal(cpw_caseload_new(&r->cl, r->e.ctx, r->e.pol), CPW_OK);
  r->serial = 0;
}

static void ref_close(ref_fx *r)
{
  cpw_caseload_free(r->cl);
  pt_close(&r->e);
}

/* a new referral case, notified at `at` */
static cpw_case *ref_case(ref_fx *r, cpw_time at)
{
  char id[32];
  cpw_case *c = NULL;
  snprintf(id, sizeof id, "R-%u", ++r->serial);
  assert_int_equal(cpw_caseload_open(r->cl, &c, id, "referral", NULL, 0, at, "u", "reporter"),
                   CPW_OK);
  return c;
}

/* apply an event that must be accepted, with up to two field values ("field=value") */
static int ref_apply(ref_fx *r, cpw_case *c, const char *event, const char *role, cpw_time at,
                     const char *fv1, const char *fv2)
{
  cpw_field_value fv[2];
  char buf[2][64];
  size_t n = 0, k;
  const char *given[2];
  given[0] = fv1;
  given[1] = fv2;
  for (k = 0; k < 2; k++)
    if (given[k] != NULL) {
      char *eq;
      snprintf(buf[n], sizeof buf[n], "%s", given[k]);
      eq = strchr(buf[n], '=');
      assert_non_null(eq);
      *eq = '\0';
      fv[n].field = buf[n];
      fv[n].value = eq + 1;
      n++;
    }
  (void)r;
  return cpw_case_apply(c, event, "u", role, at, fv, n);
}

#define ref_ok(c, event, role, at, fv1, fv2)                                                  \
  do {                                                                                        \
    if (ref_apply(&r, (c), (event), (role), (at), (fv1), (fv2)) != CPW_OK)                    \
      fail_msg("line %d: %s by %s in %s: %s (%s)", __LINE__, (event), (role),                 \
               cpw_case_state(c), cpw_ctx_last_error(r.e.ctx)->message,                       \
               cpw_case_explain(c));                                                          \
  } while (0)

/* the pending deadline for `event`, or fail */
static cpw_deadline ref_deadline(const cpw_case *c, const char *event)
{
  cpw_deadline dl[16];
  size_t i, n = cpw_case_deadlines(c, dl, 16);
  for (i = 0; i < n && i < 16; i++)
    if (strcmp(dl[i].event, event) == 0)
      return dl[i];
  fail_msg("case %s in %s: no deadline for %s (%zu pending)", cpw_case_id(c),
           cpw_case_state(c), event, n);
  return dl[0];
}

static int ref_has_deadline(const cpw_case *c, const char *event)
{
  cpw_deadline dl[16];
  size_t i, n = cpw_case_deadlines(c, dl, 16);
  for (i = 0; i < n && i < 16; i++)
    if (strcmp(dl[i].event, event) == 0)
      return 1;
  return 0;
}

/* Urgent cases never lose their clock (review 3.1.1): the 24-hour response clock runs from
 * the registration (or the flag) with an immediate danger whatever state the case moves to;
 * urgent_response has clocks; the assessment is finished within 20 working days of the
 * registration whichever route the case takes; a notification waits at most a working day
 * for its registration (review 3.1.4). */
static void test_georgia__urgent_cases_keep_their_clock(void **state)
{
  ref_fx r;
  cpw_case *c;
  cpw_deadline d;
  cpw_time t0 = pt_time("2026-03-02T10:00:00+04:00"); /* a Monday */
  (void)state;
  ref_open(&r);
  /* notified: a clock for the registration */
  c = ref_case(&r, t0);
  d = ref_deadline(c, "register");
  assert_int_equal(d.due, pt_time("2026-03-04T10:00:00+04:00")); /* 3 March is a holiday */
  assert_int_equal(cpw_rule_status(cpw_deadline_rule(&d)), CPW_BASIS_AGENCY_DEFAULT);
  /* registered with an immediate danger, then flagged urgent: the clock keeps running */
  ref_ok(c, "register", "intake_officer", t0 + 600, "immediate_danger=true", NULL);
  d = ref_deadline(c, "start_assessment");
  assert_int_equal(d.due, t0 + 600 + 24 * 3600);
  ref_ok(c, "flag_urgent", "social_worker", t0 + 7200, "immediate_danger=true", NULL);
  assert_string_equal(cpw_case_state(c), "urgent_response");
  d = ref_deadline(c, "start_assessment");
  assert_int_equal(d.started, t0 + 600);
  assert_int_equal(d.due, t0 + 600 + 24 * 3600);
  assert_int_equal(cpw_caseload_overdue(r.cl, t0 + 600 + 24 * 3600 + 1, NULL, 0), 1);
  /* the assessment's own clock from the registration, across states */
  d = ref_deadline(c, "assessment_done");
  assert_int_equal(d.started, t0 + 600);
  ref_ok(c, "start_assessment", "social_worker", t0 + 8000, NULL, NULL);
  assert_false(ref_has_deadline(c, "start_assessment"));
  /* the assessment's state clock starts, and the one from the registration runs on */
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 2);
  {
    cpw_deadline dl[4];
    assert_int_equal(cpw_case_deadlines(c, dl, 4), 2);
    assert_string_equal(dl[0].event, "assessment_done");
    assert_int_equal(dl[0].started, t0 + 8000);
    assert_string_equal(dl[1].event, "assessment_done");
    assert_int_equal(dl[1].started, t0 + 600);
    assert_int_equal(dl[1].due, pt_time("2026-03-31T10:10:00+04:00")); /* 20 working days */
  }
  /* a case registered without danger and flagged later: 24 hours from the flag */
  c = ref_case(&r, t0);
  ref_ok(c, "register", "intake_officer", t0 + 600, "immediate_danger=false", NULL);
  assert_int_equal(ref_deadline(c, "start_assessment").due,
                   pt_time("2026-03-06T10:10:00+04:00")); /* 3 working days: 4, 5, 6 */
  ref_ok(c, "flag_urgent", "police", t0 + 3600, "immediate_danger=true", NULL);
  d = ref_deadline(c, "start_assessment");
  assert_int_equal(d.due, t0 + 3600 + 24 * 3600);
  /* flagged during the assessment: urgent_response has a clock too */
  c = ref_case(&r, t0);
  ref_ok(c, "register", "intake_officer", t0 + 600, "immediate_danger=false", NULL);
  ref_ok(c, "start_assessment", "social_worker", t0 + 1200, NULL, NULL);
  ref_ok(c, "flag_urgent", "social_worker", t0 + 3600, "immediate_danger=true", NULL);
  assert_string_equal(cpw_case_state(c), "urgent_response");
  assert_int_equal(ref_deadline(c, "start_assessment").due, t0 + 3600 + 24 * 3600);
  assert_true(ref_has_deadline(c, "assessment_done"));
  /* screening out stops the assessment's clock */
  c = ref_case(&r, t0);
  ref_ok(c, "register", "intake_officer", t0 + 600, "immediate_danger=false", NULL);
  ref_ok(c, "screen_out", "supervisor", t0 + 1200, NULL, NULL);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  ref_close(&r);
}

/* the index of a workflow's field */
static int wf_field_index(const cpw_workflow *wf, const char *name, size_t *out)
{
  size_t i;
  for (i = 0; i < cpw_workflow_field_count(wf); i++)
    if (strcmp(cpw_workflow_field(wf, i), name) == 0) {
      *out = i;
      return CPW_OK;
    }
  return CPW_ENOTFOUND;
}

static int64_t ref_get(const cpw_case *c, const char *field)
{
  int64_t v = -99;
  int rc = cpw_case_get(c, field, &v);
  if (rc < 0)
    fail_msg("case %s: no field %s", cpw_case_id(c), field);
  return rc == 1 ? v : -1; /* -1: missing */
}

/* Separation follows the Code on the Rights of the Child (in force 2020-09-01; review 0.3 and
 * 3.1.2): the social worker's conclusion and the court's permission, the court's decision an
 * event of the `court` role in any open state; a police restraining order is recorded and
 * does not separate a child by itself (its separation path is dated before the Code); in an
 * immediate danger the child may be separated first, then the court is applied to and
 * decides (a proposal: the article was not found); a separation records the child's view and
 * starts a follow-up clock. */
static void test_georgia__separation_follows_the_code(void **state)
{
  ref_fx r;
  cpw_case *c;
  cpw_deadline d;
  cpw_time t = pt_time("2026-03-02T10:00:00+04:00");
  static const char *const open_states[] = { "registered", "assessment", "case_planning" };
  size_t i;
  (void)state;
  ref_open(&r);
  /* during an assessment: no separation on a restraining order, nor without the court */
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
  ref_ok(c, "start_assessment", "social_worker", t + 60, NULL, NULL);
  assert_int_equal(ref_apply(&r, c, "separate_child", "social_worker", t + 120,
                             "restraining_order=true", NULL), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_GUARD);
  assert_int_equal(cpw_rule_status(cpw_case_refusal_rule(c)), CPW_BASIS_LAW);
  assert_non_null(strstr(cpw_rule_basis(cpw_case_refusal_rule(c)), "Code on the Rights of the "
                                                                  "Child"));
  /* the court permits; the social worker separates, having heard the child */
  assert_int_equal(ref_apply(&r, c, "court_decision", "social_worker", t + 180,
                             "court_order=true", NULL), CPW_EDENIED); /* the court's act */
  ref_ok(c, "court_decision", "court", t + 180, "court_order=true", NULL);
  assert_string_equal(cpw_case_state(c), "assessment");
  assert_int_equal(ref_get(c, "separated"), 0);
  ref_ok(c, "separate_child", "social_worker", t + 240, "child_view_heard=true", NULL);
  assert_int_equal(ref_get(c, "separated"), 1);
  assert_int_equal(ref_get(c, "emergency_separation"), 0);
  assert_int_equal(ref_get(c, "child_view_heard"), 1);
  assert_int_equal(ref_get(c, "separated_on"), pt_date("2026-03-02"));
  d = ref_deadline(c, "follow_up");
  assert_int_equal(d.started, t + 240);
  assert_int_equal(cpw_rule_status(cpw_deadline_rule(&d)), CPW_BASIS_AGENCY_DEFAULT);
  ref_ok(c, "follow_up", "social_worker", t + WF_DAY_SECONDS, NULL, NULL);
  assert_false(ref_has_deadline(c, "follow_up"));
  /* an immediate danger: separation first, then the application to the court and its
   * decision, each with a clock (proposals) */
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=true", NULL);
  ref_ok(c, "flag_urgent", "police", t + 60, "immediate_danger=true", NULL);
  ref_ok(c, "separate_child", "social_worker", t + 120, "restraining_order=true",
         "child_view_heard=true");
  assert_int_equal(ref_get(c, "separated"), 1);
  assert_int_equal(ref_get(c, "emergency_separation"), 1);
  d = ref_deadline(c, "apply_to_court");
  assert_int_equal(d.due, t + 120 + 24 * 3600);
  assert_int_equal(cpw_rule_status(cpw_deadline_rule(&d)), CPW_BASIS_PROPOSAL);
  ref_ok(c, "apply_to_court", "social_worker", t + 3600, NULL, NULL);
  assert_false(ref_has_deadline(c, "apply_to_court"));
  d = ref_deadline(c, "court_decision");
  assert_int_equal(cpw_rule_status(cpw_deadline_rule(&d)), CPW_BASIS_PROPOSAL);
  /* the court refuses: the child returns */
  ref_ok(c, "court_decision", "court", t + 7200, "court_order=false", NULL);
  assert_false(ref_has_deadline(c, "court_decision"));
  assert_int_equal(ref_get(c, "separated"), 0);
  /* a restraining order is recorded; it does not separate the child */
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
  ref_ok(c, "record_restraining_order", "police", t + 60, "restraining_order=true", NULL);
  assert_int_equal(ref_get(c, "restraining_order"), 1);
  assert_int_equal(ref_get(c, "separated"), 0);
  /* before the Code (2019): the domestic-violence path, on a restraining order */
  c = ref_case(&r, pt_time("2019-05-06T10:00:00+04:00"));
  ref_ok(c, "register", "intake_officer", pt_time("2019-05-06T10:00:00+04:00"),
         "immediate_danger=true", NULL);
  ref_ok(c, "flag_urgent", "police", pt_time("2019-05-06T11:00:00+04:00"),
         "immediate_danger=true", NULL);
  ref_ok(c, "separate_child", "social_worker", pt_time("2019-05-06T12:00:00+04:00"),
         "restraining_order=true", NULL);
  assert_int_equal(ref_get(c, "separated"), 1);
  assert_int_equal(ref_get(c, "emergency_separation"), 0);
  assert_false(ref_has_deadline(c, "apply_to_court"));
  /* a court's decision arrives in any open state */
  for (i = 0; i < sizeof open_states / sizeof open_states[0]; i++) {
    c = ref_case(&r, t);
    ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
    if (i >= 1)
      ref_ok(c, "start_assessment", "social_worker", t + 60, NULL, NULL);
    if (i >= 2)
      ref_ok(c, "assessment_done", "social_worker", t + 120, "concern_confirmed=true", NULL);
    assert_string_equal(cpw_case_state(c), open_states[i]);
    ref_ok(c, "court_decision", "court", t + 180, "court_order=true", NULL);
    assert_string_equal(cpw_case_state(c), open_states[i]);
    assert_int_equal(ref_get(c, "court_order"), 1);
  }
  ref_close(&r);
}

/* Closing a case after the assessment needs the supervisor, like every other closure, and a
 * closure records its reason (review 3.1.6). Events before the day the agency adopted these
 * rules (closure_rules_from, 2026-12-01 by default) keep the rules of policy 2026.1, so that
 * journals written under it replay. */
static void test_georgia__closure_needs_the_supervisor_and_a_reason(void **state)
{
  ref_fx r;
  cpw_case *c;
  char reason[32];
  cpw_time t = pt_time("2026-12-07T10:00:00+04:00"); /* a Monday */
  (void)state;
  ref_open(&r);
  /* the assessment finds no concern: the supervisor decides on the closure */
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
  ref_ok(c, "start_assessment", "social_worker", t + 60, NULL, NULL);
  ref_ok(c, "assessment_done", "social_worker", t + 120, "concern_confirmed=false", NULL);
  assert_string_equal(cpw_case_state(c), "closure_review");
  assert_true(ref_has_deadline(c, "close"));
  assert_int_equal(ref_apply(&r, c, "close", "social_worker", t + 180,
                             "closure_reason=no_concern", NULL), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_ROLE);
  assert_int_equal(ref_apply(&r, c, "close", "supervisor", t + 180, NULL, NULL), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_GUARD);
  ref_ok(c, "close", "supervisor", t + 240, "closure_reason=no_concern", NULL);
  assert_string_equal(cpw_case_state(c), "closed");
  assert_int_equal(cpw_case_get_string(c, "closure_reason", reason, sizeof reason), 1);
  assert_string_equal(reason, "no_concern");
  /* or sends the case back to the assessment */
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
  ref_ok(c, "start_assessment", "social_worker", t + 60, NULL, NULL);
  ref_ok(c, "assessment_done", "social_worker", t + 120, "concern_confirmed=false", NULL);
  ref_ok(c, "start_assessment", "supervisor", t + 180, NULL, NULL);
  assert_string_equal(cpw_case_state(c), "assessment");
  /* a closure after services also records its reason */
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
  ref_ok(c, "start_assessment", "social_worker", t + 60, NULL, NULL);
  ref_ok(c, "assessment_done", "social_worker", t + 120, "concern_confirmed=true", NULL);
  ref_ok(c, "approve_plan", "supervisor", t + 180, NULL, NULL);
  assert_int_equal(ref_apply(&r, c, "close", "supervisor", t + 240, NULL, NULL), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_GUARD);
  ref_ok(c, "close", "supervisor", t + 300, "closure_reason=resolved", NULL);
  assert_string_equal(cpw_case_state(c), "closed");
  /* before the day: the rules of policy 2026.1 (an old journal's events replay) */
  t = pt_time("2026-06-01T10:00:00+04:00");
  c = ref_case(&r, t);
  ref_ok(c, "register", "intake_officer", t, "immediate_danger=false", NULL);
  ref_ok(c, "start_assessment", "social_worker", t + 60, NULL, NULL);
  ref_ok(c, "assessment_done", "social_worker", t + 120, "concern_confirmed=false", NULL);
  assert_string_equal(cpw_case_state(c), "closed");
  assert_int_equal(cpw_rule_status(rule_named(r.e.pol, "closure_rules_from from 0001-01-01")),
                   CPW_BASIS_AGENCY_DEFAULT);
  ref_close(&r);
}

/* A notification records what Decree 437's statistics need (review 3.1.7): the case type (the
 * forms of violence; street child; labour or begging exploitation; trafficking; a child without
 * parental care), the reporter type and the channel; registered notifications are counted per
 * year by each (cpw_caseload_tally over registered_on). */
static void test_georgia__notifications_counted_by_reporter_and_case_type(void **state)
{
  static const struct {
    const char *at, *case_type, *reporter, *channel;
  } notes[] = {
    { "2018-02-05T10:00:00+04:00", "physical", "school", "written" },
    { "2018-03-12T10:00:00+04:00", "neglect", "police", "emergency_112" },
    { "2018-06-04T10:00:00+04:00", "sexual", "school", "hotline_111" },
    { "2018-11-05T10:00:00+04:00", "street_child", "citizen", "in_person" },
    { "2019-01-14T10:00:00+04:00", "labour_exploitation", "municipality", "hotline_116006" },
    { "2019-02-04T10:00:00+04:00", "without_parental_care", "medical", "written" },
  };
  static const char *const case_types[] = {
    "physical", "sexual", "psychological", "economic", "coercion", "neglect", "street_child",
    "labour_exploitation", "begging", "trafficking", "without_parental_care", "other",
  };
  ref_fx r;
  const cpw_workflow *wf;
  size_t i, k, f = 0;
  cpw_date y18 = pt_date("2018-01-01"), e18 = pt_date("2018-12-31");
  (void)state;
  ref_open(&r);
  wf = cpw_policy_workflow(r.e.pol, "referral");
  /* the case types are the decree's forms of violence and situations */
  assert_int_equal(wf_field_index(wf, "case_type", &f), CPW_OK);
  assert_int_equal(cpw_workflow_field_value_count(wf, f), sizeof case_types / sizeof *case_types);
  for (k = 0; k < sizeof case_types / sizeof *case_types; k++)
    assert_string_equal(cpw_workflow_field_value(wf, f, k), case_types[k]);
  for (i = 0; i < sizeof notes / sizeof notes[0]; i++) {
    cpw_time t = pt_time(notes[i].at);
    char ct[64], rt[64], ch[64];
    cpw_field_value fv[3];
    cpw_case *c = NULL;
    char id[16];
    snprintf(ct, sizeof ct, "%s", notes[i].case_type);
    snprintf(rt, sizeof rt, "%s", notes[i].reporter);
    snprintf(ch, sizeof ch, "%s", notes[i].channel);
    fv[0].field = "case_type";
    fv[0].value = ct;
    fv[1].field = "reporter_type";
    fv[1].value = rt;
    fv[2].field = "channel";
    fv[2].value = ch;
    snprintf(id, sizeof id, "N-%zu", i);
    /* the reporter and channel are known at the notification; the case type may come at the
     * registration */
    assert_int_equal(cpw_caseload_open(r.cl, &c, id, "referral", fv + 1, 2, t, "u", "reporter"),
                     CPW_OK);
    if (cpw_case_apply(c, "register", "u", "intake_officer", t + 600, fv, 1) != CPW_OK)
      fail_msg("register: %s", cpw_ctx_last_error(r.e.ctx)->message);
  }
  /* one notification of 2018 not registered: not counted */
  (void)ref_case(&r, pt_time("2018-12-28T10:00:00+04:00"));
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18, NULL, NULL),
                   4);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18,
                                      "reporter_type", "school"), 2);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18,
                                      "reporter_type", "police"), 1);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18, "case_type",
                                      "sexual"), 1);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18, "channel",
                                      "hotline_111"), 1);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", pt_date("2019-01-01"),
                                      pt_date("2019-06-30"), "case_type",
                                      "without_parental_care"), 1);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18, "case_type",
                                      ""), 0);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "registered_on", y18, e18, "nope", "x"),
                   CPW_ENOTFOUND);
  assert_int_equal(cpw_caseload_tally(r.cl, "referral", "case_type", y18, e18, NULL, NULL),
                   CPW_EINVALID);
  ref_close(&r);
}

/* ------------------------------------------------------------------ trafficking */

/* Trafficking (review 1.1, 3.2): the 48-hour clock is for the Permanent Group's decision (grant
 * or refuse), and says so; the law-enforcement route to the status exists; potential victims
 * awaiting the decision get the services given before status (shelter, psychological and
 * medical care), not the compensation. */
static void test_georgia__trafficking_decision_and_routes(void **state)
{
  ref_fx r;
  cpw_case *c = NULL;
  cpw_deadline d;
  char route[32];
  cpw_time t = pt_time("2026-03-06T15:00:00+04:00");
  (void)state;
  ref_open(&r);
  assert_int_equal(cpw_caseload_open(r.cl, &c, "T-1", "trafficking_status", NULL, 0, t, "u",
                                     "social_worker"), CPW_OK);
  d = ref_deadline(c, "decide");
  assert_int_equal(d.due, t + 48 * 3600);
  assert_int_equal(cpw_rule_status(cpw_deadline_rule(&d)), CPW_BASIS_LAW);
  ref_ok(c, "decide", "permanent_group", t + 3600, "status_granted=false", NULL);
  assert_string_equal(cpw_case_state(c), "refused");
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  assert_int_equal(cpw_caseload_open(r.cl, &c, "T-2", "trafficking_status", NULL, 0, t, "u",
                                     "social_worker"), CPW_OK);
  ref_ok(c, "decide", "permanent_group", t + 3600, "status_granted=true", NULL);
  assert_string_equal(cpw_case_state(c), "granted");
  assert_int_equal(cpw_case_get_string(c, "status_route", route, sizeof route), 1);
  assert_string_equal(route, "permanent_group");
  /* the law-enforcement route: statutory victim status through the investigation */
  assert_int_equal(cpw_caseload_open(r.cl, &c, "T-3", "trafficking_status", NULL, 0, t, "u",
                                     "social_worker"), CPW_OK);
  ref_ok(c, "recognise_by_law_enforcement", "law_enforcement", t + 3600, NULL, NULL);
  assert_string_equal(cpw_case_state(c), "granted");
  assert_int_equal(cpw_case_get_string(c, "status_route", route, sizeof route), 1);
  assert_string_equal(route, "law_enforcement");
  /* the names of policy 2026.1 still work */
  assert_int_equal(cpw_caseload_open(r.cl, &c, "T-4", "trafficking_status", NULL, 0, t, "u",
                                     "social_worker"), CPW_OK);
  ref_ok(c, "grant", "permanent_group", t + 3600, NULL, NULL);
  assert_string_equal(cpw_case_state(c), "granted");
  /* services before the status */
  assert_int_equal(pt_eval(&r.e, "trafficking_services",
                           "{\"trafficking_victim_status\": false, "
                           "\"potential_trafficking_victim\": true}", "2026-03-06"),
                   CPW_ELIGIBLE);
  assert_string_equal(pt_services(&r.e), "shelter,psychological,medical");
  assert_int_equal(pt_eval(&r.e, "trafficking_services",
                           "{\"trafficking_victim_status\": true}", "2026-03-06"), CPW_ELIGIBLE);
  assert_string_equal(pt_services(&r.e), "shelter,psychological,medical,legal");
  assert_int_equal(pt_eval(&r.e, "trafficking_compensation",
                           "{\"trafficking_victim_status\": false, "
                           "\"potential_trafficking_victim\": true, "
                           "\"compensation_received\": false}", "2026-03-06"),
                   CPW_NOT_ELIGIBLE);
  ref_close(&r);
}

/* ------------------------------------------------------------------ ages */

/* "X წლამდე" is "under X" (review 1.7): S2's "0-დან 7 წლამდე" for the Tbilisi Infant House is
 * 0 to under 7, i.e. ages 0 to 6 in completed years, as "18 წლამდე" is under 18 elsewhere. */
static void test_georgia__ages_under_x(void **state)
{
  pt_env e;
  cpw_registry *reg = NULL;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  const char *opts[16];
  size_t i, n;
  int infant_home = 0;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(cpw_registry_new(&reg, e.ctx, e.pol), CPW_OK);
  /* 7 on 2026-05-01 */
  assert_int_equal(cpw_registry_add_child(reg, "c7", pt_date("2019-05-01"), NULL), CPW_OK);
  /* 6 on 2026-05-01, 7 the next day */
  assert_int_equal(cpw_registry_add_child(reg, "c6", pt_date("2020-05-02"), NULL), CPW_OK);
  req.facility = "tbilisi_infant_house";
  req.date = pt_date("2026-05-01");
  req.actor = "u";
  req.role = "social_worker";
  req.emergency = 1;
  req.child = "c7";
  assert_int_equal(cpw_registry_place(reg, &req), CPW_EDENIED);
  assert_non_null(strstr(cpw_registry_explain(reg), "age"));
  n = cpw_registry_options(reg, "c7", req.date, 1, 0, opts, 16);
  for (i = 0; i < n; i++)
    infant_home |= strcmp(opts[i], "infant_home") == 0;
  assert_false(infant_home);
  req.child = "c6";
  assert_int_equal(cpw_registry_place(reg, &req), CPW_OK);
  cpw_registry_free(reg);
  pt_close(&e);
}

/* ------------------------------------------------------------------ where a service is */

/* "Providing temporary accommodation (only in Tbilisi)" (S0) says where the service is given,
 * not who may have it (review 1.1): a returnee who lives in Kutaisi gets it too. The street
 * children's services are keyed to where the child is found (found_in), not to a residence a
 * street child often does not have; a record with only `city` keeps today's answer. */
static void test_georgia__services_keyed_to_their_place(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(pt_eval(&e, "reintegration_assistance",
                           "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 13, "
                           "\"return_date\": \"2020-03-01\", "
                           "\"registration_date\": \"2020-04-01\", \"city\": \"kutaisi\"}",
                           "2024-01-01"), CPW_ELIGIBLE);
  assert_non_null(strstr(pt_services(&e), "temporary_accommodation"));
  /* a child living in Batumi found in the streets of Rustavi */
  assert_int_equal(pt_eval(&e, "street_children_services",
                           "{\"birth_date\": \"2012-01-01\", \"street_situation\": true, "
                           "\"city\": \"batumi\", \"found_in\": \"rustavi\"}", "2024-01-01"),
                   CPW_ELIGIBLE);
  assert_string_equal(pt_services(&e), "mobile_group,day_centre,shelter_24h");
  /* a child with no residence */
  assert_int_equal(pt_eval(&e, "street_children_services",
                           "{\"birth_date\": \"2012-01-01\", \"street_situation\": true, "
                           "\"found_in\": \"kutaisi\"}", "2024-01-01"), CPW_ELIGIBLE);
  assert_string_equal(pt_services(&e), "mobile_group,day_centre,shelter_24h");
  /* today's records: city alone */
  assert_int_equal(pt_eval(&e, "street_children_services",
                           "{\"birth_date\": \"2012-01-01\", \"street_situation\": true, "
                           "\"city\": \"batumi\"}", "2024-01-01"), CPW_ELIGIBLE);
  assert_string_equal(pt_services(&e), "mobile_group");
  pt_close(&e);
}

/* ------------------------------------------------------------------ a year abroad */

/* "Abroad for more than one year illegally" (S0, S3) is counted in dates, not whole months
 * (review 1.1): 12 months and 20 days is more than one year. The date the irregular stay began
 * (irregular_stay_from) decides with the return date; records that give only whole months
 * keep their answer where months decide (13 or more: yes; under 12: no), and 12 whole months
 * ask for the date. */
static void test_georgia__more_than_a_year_abroad_in_dates(void **state)
{
  pt_env e;
  char json[400];
  (void)state;
  pt_open_default(&e);
#define ABROAD(extra)                                                                       \
  (snprintf(json, sizeof json,                                                              \
            "{\"citizenship\": \"georgian\", \"asylum_applied_abroad\": false, "             \
            "\"asylum_granted_abroad\": false, \"return_date\": \"2024-01-30\", "             \
            "\"registration_date\": \"2024-02-01\"%s}", extra),                              \
   pt_eval(&e, "reintegration_assistance", json, "2024-03-01"))
  /* one year and 20 days */
  assert_int_equal(ABROAD(", \"irregular_stay_from\": \"2023-01-10\""), CPW_ELIGIBLE);
  assert_int_equal(ABROAD(", \"irregular_stay_from\": \"2023-01-10\", "
                          "\"months_abroad_irregular\": 12"), CPW_ELIGIBLE);
  /* exactly one year is not more than one year; one day more is */
  assert_int_equal(ABROAD(", \"irregular_stay_from\": \"2023-01-30\""), CPW_NOT_ELIGIBLE);
  assert_int_equal(ABROAD(", \"irregular_stay_from\": \"2023-01-29\""), CPW_ELIGIBLE);
  /* whole months only */
  assert_int_equal(ABROAD(", \"months_abroad_irregular\": 13"), CPW_ELIGIBLE);
  assert_int_equal(ABROAD(", \"months_abroad_irregular\": 11"), CPW_NOT_ELIGIBLE);
  assert_int_equal(ABROAD(", \"months_abroad_irregular\": 12"), CPW_UNDETERMINED);
  assert_string_equal(pt_missing(&e), "irregular_stay_from");
#undef ABROAD
  pt_close(&e);
}

/* ------------------------------------------------------------------ violence support */

/* The crisis centres and shelters S2 reports are those for victims of violence against women
 * and domestic violence (review 1.1): the programme and its fields say so, and the law they
 * rest on is cited by its name since 2017 (No 3143). The shelter's need of the victim status
 * stays a labelled proposal. */
static void test_georgia__violence_support_scope(void **state)
{
  pt_env e;
  const cpw_program *p;
  const cpw_source *law;
  size_t i;
  (void)state;
  pt_open_default(&e);
  p = pt_program(&e, "violence_victim_support");
  assert_non_null(strstr(cpw_program_title(p), "violence against women"));
  assert_non_null(strstr(cpw_program_title(p), "domestic violence"));
  assert_int_equal(cpw_policy_field_index(e.pol, "violence_victim_status", &i), CPW_OK);
  assert_non_null(strstr(cpw_policy_field_description(e.pol, i), "domestic violence"));
  assert_int_equal(cpw_policy_field_index(e.pol, "alleged_violence_victim", &i), CPW_OK);
  assert_non_null(strstr(cpw_policy_field_description(e.pol, i), "domestic violence"));
  law = cpw_policy_source_find(e.pol, "dv_law");
  assert_non_null(law);
  assert_non_null(strstr(cpw_source_citation(law), "Violence against Women"));
  assert_string_equal(cpw_source_number(law), "3143");
  assert_int_equal(pt_eval(&e, "violence_victim_support",
                           "{\"violence_victim_status\": false, \"alleged_violence_victim\": true}",
                           "2024-01-01"), CPW_ELIGIBLE);
  assert_string_equal(pt_services(&e), "crisis_centre");
  assert_int_equal(cpw_rule_status(rule_named(e.pol, "violence_victim_support.shelter")),
                   CPW_BASIS_PROPOSAL);
  pt_close(&e);
}

/* ------------------------------------------------------------------ Barnahus */

/* The Barnahus-model centre opened in Tbilisi in July 2022 (review 1.1: UNICEF Georgia,
 * 14 December 2023): in force from 2022-07, the month sourced and the day not; before it a
 * child is not eligible, and the explanation says why. */
static void test_georgia__barnahus_from_july_2022(void **state)
{
  pt_env e;
  cpw_date d;
  (void)state;
  pt_open_default(&e);
  pt_record(&e, "{\"birth_date\": \"2012-01-01\", \"alleged_sexual_violence\": true}");
  assert_int_equal(pt_run(&e, "barnahus", "2022-06-30"), CPW_NOT_ELIGIBLE);
  assert_string_equal(pt_explain(&e), "not eligible: the programme is in force from 2022-07 (the "
                                      "day is not known); the evaluation date is 2022-06-30");
  assert_int_equal(pt_run(&e, "barnahus", "2022-07-01"), CPW_ELIGIBLE);
  assert_int_equal(cpw_rule_start(cpw_program_rule(pt_program(&e, "barnahus")), &d),
                   CPW_PRECISION_MONTH);
  assert_int_equal(d, pt_date("2022-07-01"));
  assert_int_equal(cpw_program_from(pt_program(&e, "barnahus")), pt_date("2022-07-01"));
  pt_close(&e);
}

/* ------------------------------------------------------------------ income grant */

/* The returnees' income-generation grant is competitive, up to 4,000 GEL (MIG, 2021): the
 * decision gives the cap as a maximum ("up to"), not as an amount every eligible returnee is
 * owed (review 1.1), and the child benefit stays an amount owed. */
static void test_georgia__income_grant_is_a_cap(void **state)
{
  pt_env e;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(pt_eval(&e, "reintegration_assistance",
                           "{\"citizenship\": \"georgian\", \"months_abroad_irregular\": 13, "
                           "\"return_date\": \"2022-03-01\", "
                           "\"registration_date\": \"2022-04-01\"}", "2022-05-01"),
                   CPW_ELIGIBLE);
  assert_int_equal(benefit_of(&e, "income_grant"), 400000);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 0), 1);
  assert_int_equal(pt_eval(&e, "tsa_child_benefit",
                           "{\"tsa_registered\": true, \"tsa_score\": 90000, "
                           "\"birth_date\": \"2012-02-29\"}", "2022-03-01"), CPW_ELIGIBLE);
  assert_int_equal(cpw_decision_benefit_is_cap(e.dec, 0), 0);
  pt_close(&e);
}

/* ------------------------------------------------------------------ specialised home */

/* The specialised small family-type homes are for children with severe and profound
 * disabilities (S2; review 1.1): gatekeeping refuses a child without that disability, and a
 * child whose disability was not assessed (it could not be checked); the denial names the
 * rule's basis. */
static void test_georgia__specialised_home_needs_the_disability(void **state)
{
  pt_env e;
  cpw_registry *reg = NULL;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  const char *opts[16];
  size_t i, n;
  int found;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(cpw_registry_new(&reg, e.ctx, e.pol), CPW_OK);
  assert_int_equal(cpw_registry_add_child(reg, "a", pt_date("2015-03-01"), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(reg, "b", pt_date("2015-03-01"), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(reg, "c", pt_date("2015-03-01"), NULL), CPW_OK);
  req.setting = "specialised_group_home";
  req.region = "Tbilisi";
  req.date = pt_date("2026-05-01");
  req.actor = "u";
  req.role = "social_worker";
  req.child = "a";
  req.disability = "moderate";
  assert_int_equal(cpw_registry_place(reg, &req), CPW_EDENIED);
  assert_non_null(strstr(cpw_registry_explain(reg), "severe or profound"));
  assert_non_null(strstr(cpw_registry_explain(reg), "[basis: proposal, not confirmed"));
  req.child = "b";
  req.disability = NULL;
  assert_int_equal(cpw_registry_place(reg, &req), CPW_EDENIED);
  assert_non_null(strstr(cpw_registry_explain(reg), "could not be checked"));
  req.child = "c";
  req.disability = "profound";
  assert_int_equal(cpw_registry_place(reg, &req), CPW_OK);
  /* the options of a child with and without the disability */
  req.child = "a";
  req.disability = "severe";
  n = cpw_registry_request_options(reg, &req, opts, 16);
  for (i = 0, found = 0; i < n; i++)
    found |= strcmp(opts[i], "specialised_group_home") == 0;
  assert_true(found);
  req.disability = "none";
  n = cpw_registry_request_options(reg, &req, opts, 16);
  for (i = 0, found = 0; i < n; i++)
    found |= strcmp(opts[i], "specialised_group_home") == 0;
  assert_false(found);
  cpw_registry_free(reg);
  pt_close(&e);
}

/* ------------------------------------------------------------------ DI indicators */

static void di_put(cpw_registry *reg, const char *child, const char *where, cpw_date d, int move)
{
  cpw_placement_request r = CPW_PLACEMENT_REQUEST_INIT;
  int facility = cpw_registry_occupancy(reg, where) >= 0;
  r.child = child;
  r.facility = facility ? where : NULL;
  r.setting = facility ? NULL : where;
  r.region = "Tbilisi";
  r.date = d;
  r.actor = "u";
  r.role = "social_worker";
  r.flags = CPW_PLACE_EXISTING;
  assert_int_equal(move ? cpw_registry_move(reg, &r) : cpw_registry_place(reg, &r), CPW_OK);
}

/* The reform's definitions (review 2; UNICEF ECA's definitions of formal alternative care): a
 * child living with their own family with support is not in alternative care; the family-based
 * share is foster and kinship care against all formal care; a child who moves from an
 * institution into foster care has moved within care, not left it. */
static void test_georgia__di_indicators_follow_the_reform(void **state)
{
  pt_env e;
  cpw_registry *reg = NULL;
  cpw_indicators *ind = NULL;
  const cpw_indicator_summary *s;
  static const char *const kids[] = { "R1", "R2", "R3", "R4", "R5" };
  size_t i;
  (void)state;
  pt_open_default(&e);
  assert_int_equal(cpw_registry_new(&reg, e.ctx, e.pol), CPW_OK);
  for (i = 0; i < 5; i++)
    assert_int_equal(cpw_registry_add_child(reg, kids[i], pt_date("2012-01-01"), NULL), CPW_OK);
  /* R1: Kojori, moved into foster care */
  di_put(reg, "R1", "kojori", pt_date("2019-06-01"), 0);
  di_put(reg, "R1", "foster_care", pt_date("2020-03-01"), 1);
  /* R2: Kojori, ended as fostered and placed in foster care the same day */
  di_put(reg, "R2", "kojori", pt_date("2019-01-01"), 0);
  assert_int_equal(cpw_registry_end(reg, "R2", pt_date("2020-04-01"), CPW_EXIT_FOSTERED, "u",
                                    "social_worker"), CPW_OK);
  di_put(reg, "R2", "foster_care", pt_date("2020-04-01"), 0);
  /* R3: at home with support */
  di_put(reg, "R3", "biological_family", pt_date("2020-02-01"), 0);
  /* R4: Kojori, went home */
  di_put(reg, "R4", "kojori", pt_date("2019-01-01"), 0);
  assert_int_equal(cpw_registry_end(reg, "R4", pt_date("2020-05-01"), CPW_EXIT_REUNIFIED, "u",
                                    "social_worker"), CPW_OK);
  /* R5: Kojori throughout */
  di_put(reg, "R5", "kojori", pt_date("2019-01-01"), 0);
  assert_int_equal(cpw_registry_indicators(reg, e.ctx, pt_date("2020-01-01"),
                                           pt_date("2020-12-31"), NULL, &ind), CPW_OK);
  s = cpw_indicators_summary(ind);
  /* in formal care at the end: R1 and R2 in foster care, R5 in Kojori; not R3 */
  assert_int_equal(s->placed_at_end, 3);
  assert_int_equal(s->family_at_end, 2);
  assert_true(s->family_share > 0.666 && s->family_share < 0.667);
  assert_int_equal(s->entries, 2);
  assert_int_equal(cpw_indicators_care(ind)->own_family_at_end, 1);
  /* R4 left care; R1 and R2 moved within it */
  assert_int_equal(cpw_indicators_care(ind)->left_care, 1);
  assert_int_equal(cpw_indicators_care(ind)->moved_within_care, 2);
  cpw_indicators_free(ind);
  cpw_registry_free(reg);
  pt_close(&e);
}

/* ------------------------------------------------------------------ old journals */

/* Journals written under policy 2026.1 (tests/fixtures/georgia-2026.1.cpw) replay under the
 * current default policy: no event name was renamed, and the rules that became stricter keep
 * the old ones for events before the agency adopted them (closure_rules_from). Random
 * workloads, every event of the referral workflow; each case ends in the same state. */
static void test_georgia__journals_of_policy_2026_1_replay(void **state)
{
  const char *src = getenv("CPW_SOURCE_DIR");
  char path[1024], dir[512], jpath[600];
  unsigned char *text;
  size_t len = 0, i, k;
  pt_env e;
  cpw_policy *old = NULL;
  uint32_t seeds[] = { 1, 20261202, 77 };
  (void)state;
  if (src == NULL)
    skip();
  snprintf(path, sizeof path, "%s/tests/fixtures/georgia-2026.1.cpw", src);
  text = jt_read_file(path, &len);
  assert_non_null(text);
  pt_open_default(&e);
  assert_int_equal(cpw_policy_from_string(&old, e.ctx, "georgia-2026.1.cpw", (const char *)text,
                                          len), CPW_OK);
  free(text);
  assert_string_equal(cpw_policy_version(old), "2026.1");
  assert_int_equal(jt_tmpdir(dir, sizeof dir, 1), 0);
  for (k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
    jt_workload w;
    cpw_journal *j = NULL;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    cpw_caseload *written, *replayed;
    snprintf(jpath, sizeof jpath, "%s/old-%zu.cpwj", dir, k);
    assert_int_equal(jt_workload_make(&w, e.ctx, old, 3000, 400, seeds[k]), 0);
    /* write it under the old policy */
    o.flags = CPW_JOURNAL_CREATE;
    o.group_commit = 1000;
    assert_int_equal(cpw_journal_open(&j, e.ctx, jpath, old, &o), CPW_OK);
    assert_int_equal(cpw_caseload_new(&written, e.ctx, old), CPW_OK);
    for (i = 0; i < w.nops; i++) {
      const jt_op *op = &w.ops[i];
      if (!op->accepted)
        continue;
      if (op->open)
        assert_int_equal(cpw_journal_case_open(j, written, NULL, w.ids[op->case_no], "referral",
                                               op->fields, op->nfields, op->at, "u-open",
                                               op->role), CPW_OK);
      else
        assert_int_equal(cpw_journal_case_apply(j, cpw_caseload_find(written, w.ids[op->case_no]),
                                                op->event, "u-7", op->role, op->at, op->fields,
                                                op->nfields), CPW_OK);
    }
    assert_int_equal(cpw_journal_commit(j, e.ctx), CPW_OK);
    cpw_journal_close(j);
    /* replay it under the current default policy */
    o.flags = CPW_JOURNAL_ALLOW_POLICY_CHANGE;
    assert_int_equal(cpw_journal_open(&j, e.ctx, jpath, e.pol, &o), CPW_OK);
    assert_int_equal(cpw_caseload_new(&replayed, e.ctx, e.pol), CPW_OK);
    if (cpw_journal_replay(j, replayed) != CPW_OK)
      fail_msg("seed %u: %s", seeds[k], cpw_ctx_last_error(e.ctx)->message);
    assert_int_equal(cpw_caseload_case_count(replayed), cpw_caseload_case_count(written));
    for (i = 0; i < cpw_caseload_case_count(written); i++) {
      const cpw_case *a = cpw_caseload_case_at(written, i), *b = cpw_caseload_case_at(replayed, i);
      assert_string_equal(cpw_case_id(a), cpw_case_id(b));
      assert_string_equal(cpw_case_state(a), cpw_case_state(b));
      assert_int_equal(cpw_case_event_count(a), cpw_case_event_count(b));
    }
    cpw_journal_close(j);
    cpw_caseload_free(replayed);
    cpw_caseload_free(written);
    jt_workload_free(&w);
  }
  jt_rmdir(dir);
  cpw_policy_free(old);
  pt_close(&e);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_georgia__tsa_child_benefit_history),
    cmocka_unit_test(test_georgia__days_off_for_administrative_bodies),
    cmocka_unit_test(test_georgia__working_days_count_days_off),
    cmocka_unit_test(test_georgia__built_in_calendar_is_the_policys),
    cmocka_unit_test(test_georgia__urgent_cases_keep_their_clock),
    cmocka_unit_test(test_georgia__separation_follows_the_code),
    cmocka_unit_test(test_georgia__closure_needs_the_supervisor_and_a_reason),
    cmocka_unit_test(test_georgia__notifications_counted_by_reporter_and_case_type),
    cmocka_unit_test(test_georgia__trafficking_decision_and_routes),
    cmocka_unit_test(test_georgia__ages_under_x),
    cmocka_unit_test(test_georgia__services_keyed_to_their_place),
    cmocka_unit_test(test_georgia__more_than_a_year_abroad_in_dates),
    cmocka_unit_test(test_georgia__violence_support_scope),
    cmocka_unit_test(test_georgia__barnahus_from_july_2022),
    cmocka_unit_test(test_georgia__income_grant_is_a_cap),
    cmocka_unit_test(test_georgia__specialised_home_needs_the_disability),
    cmocka_unit_test(test_georgia__di_indicators_follow_the_reform),
    cmocka_unit_test(test_georgia__journals_of_policy_2026_1_replay),
  };
  return cmocka_run_group_tests_name("georgia", tests, NULL, NULL);
}
