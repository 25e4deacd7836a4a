/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of case deadlines on Georgia's default policy: the registration of a notification
 * (a working day), the start of the assessment (24 hours from the registration or the flag
 * with immediate danger, whatever the state; else 3 working days over Georgia's public
 * holidays and days off), assessment (10 working days, and 20 from the registration across
 * states), case planning (5 working days), the monitoring review every 3 months, the
 * 48-hour trafficking clock, escalations, the caseload's overdue / due-before queries against a
 * brute-force list over a few thousand cases, and replaying events into a new caseload.
 *
 * Expected dates were worked out by hand from the Labour Code's holidays and the Government's
 * days off for administrative bodies (00-policy.cpw); each is explained where it is used. */
#include "wfhelp.h"

/* The pending deadline of a case for `event` that started at `started`, checked whole (a case
 * may have others: the clocks that run across states). */
static void expect_deadline(const cpw_case *c, const char *event, cpw_time started,
                            cpw_time due)
{
  cpw_deadline dl[WF_MAX_DL];
  char a[CPW_TIME_BUFSIZE], b[CPW_TIME_BUFSIZE];
  size_t n = cpw_case_deadlines(c, dl, WF_MAX_DL), i;
  for (i = 0; i < n && i < WF_MAX_DL; i++)
    if (strcmp(dl[i].event, event) == 0 && dl[i].started == started)
      break;
  if (i >= n || i >= WF_MAX_DL)
    fail_msg("case %s in %s: no deadline %s started at %s (%zu pending)", cpw_case_id(c),
             cpw_case_state(c), event, wf_fmt(a, started), n);
  assert_ptr_equal(dl[i].c, c);
  assert_string_equal(dl[i].case_id, cpw_case_id(c));
  if (strcmp(cpw_workflow_name(cpw_case_workflow(c)), "referral") == 0)
    assert_string_equal(dl[i].escalation, "deadline_missed");
  else
    assert_string_equal(dl[i].escalation, "decision_overdue");
  assert_string_equal(dl[i].role, "supervisor");
  if (dl[i].due != due)
    fail_msg("case %s: %s due %s, expected %s", cpw_case_id(c), event, wf_fmt(a, dl[i].due),
             wf_fmt(b, due));
}

/* no pending deadline for `event` */
static void expect_no_deadline_for(const cpw_case *c, const char *event)
{
  cpw_deadline dl[WF_MAX_DL];
  size_t n = cpw_case_deadlines(c, dl, WF_MAX_DL), i;
  for (i = 0; i < n && i < WF_MAX_DL; i++)
    if (strcmp(dl[i].event, event) == 0)
      fail_msg("case %s in %s: a deadline for %s is pending", cpw_case_id(c), cpw_case_state(c),
               event);
}

static void expect_no_deadline(const cpw_case *c)
{
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
}

/* A case registered at `at` (with immediate danger or not). */
static cpw_case *registered_at(wf_fx *f, cpw_time at, int danger)
{
  cpw_field_value fv = { "immediate_danger", danger ? "true" : "false" };
  cpw_case *c = wf_open(f, WF_NOFIELDS, at - 3600);
  wf_fire(f, c, "register", "intake_officer", &fv, 1, at, "registered");
  return c;
}

/* ------------------------------------------------------------------ registration */

static void test_deadlines__registered_with_immediate_danger_24_hours(void **state)
{
  wf_fx *f = *state;
  cpw_field_value yes = { "immediate_danger", "true" };
  /* Friday 6 March 2026 17:30: 24 hours, whatever the weekend and 8 March */
  cpw_time at = wf_time(2026, 3, 6, 17, 30);
  cpw_case *c = registered_at(f, at, 1);
  expect_deadline(c, "start_assessment", at, at + 24 * WF_HOUR);
  expect_deadline(c, "start_assessment", at, wf_time(2026, 3, 7, 17, 30));
  /* the danger given when the case was opened counts as well */
  c = wf_open(f, &yes, 1, at);
  /* notified: the registration's clock, a working day (Sunday 8 March between) */
  expect_deadline(c, "register", at, wf_time(2026, 3, 9, 17, 30));
  wf_fire(f, c, "register", "social_worker", WF_NOFIELDS, at + 60, "registered");
  expect_deadline(c, "start_assessment", at + 60, at + 60 + 24 * WF_HOUR);
  /* on 31 December: still 24 hours */
  at = wf_time(2025, 12, 31, 23, 0);
  c = registered_at(f, at, 1);
  expect_deadline(c, "start_assessment", at, wf_time(2026, 1, 1, 23, 0));
  /* start_assessment answers it; the assessment clock starts: from 1 January 00:00, 10
   * working days are (5, 6 days off) 8, 9, 12, 13, 14, 15, 16 and, after Epiphany (Monday 19),
   * 20, 21, 22 */
  wf_fire(f, c, "start_assessment", "social_worker", WF_NOFIELDS, at + WF_HOUR, "assessment");
  expect_deadline(c, "assessment_done", at + WF_HOUR, wf_time(2026, 1, 22, 0, 0));
}

static void test_deadlines__registered_3_working_days(void **state)
{
  wf_fx *f = *state;
  static const struct {
    int y, m, d, h, mi;        /* registered (local time) */
    int dy, dm, dd;            /* due (same local time) */
    const char *why;
  } cases[] = {
    { 2026, 3, 2, 9, 0, 2026, 3, 6, "Mon; 3 March (Mother's Day) is a holiday: 4, 5, 6" },
    { 2026, 2, 12, 10, 0, 2026, 2, 17, "Thu: Fri 13, Mon 16, Tue 17" },
    { 2026, 2, 13, 16, 45, 2026, 2, 18, "Fri: Mon 16, Tue 17, Wed 18" },
    { 2026, 2, 14, 10, 0, 2026, 2, 18, "Sat: Mon 16, Tue 17, Wed 18" },
    { 2026, 2, 15, 23, 59, 2026, 2, 18, "Sun late: Mon 16, Tue 17, Wed 18" },
    { 2025, 12, 31, 10, 0, 2026, 1, 12,
      "Wed 31 Dec: 1-2 Jan holidays, weekend, 5-6 Jan days off, 7 Jan (Christmas), Thu 8, "
      "Fri 9, Mon 12" },
    { 2026, 1, 1, 12, 0, 2026, 1, 12, "New Year's Day itself: Thu 8, Fri 9, Mon 12" },
    { 2026, 1, 6, 9, 0, 2026, 1, 12, "Tue 6 Jan (a day off): Thu 8, Fri 9, Mon 12" },
    { 2026, 1, 5, 9, 0, 2026, 1, 12, "Mon 5 Jan (a day off): 6 off, 7 holiday, 8, 9, 12" },
    { 2024, 5, 2, 10, 0, 2024, 5, 15,
      "Thu 2 May 2024: Easter 3-6 May, days off 7, 8 and 10, Victory Day 9: 13, 14, 15" },
    { 2025, 4, 17, 11, 0, 2025, 4, 24,
      "Orthodox Easter 2025 (20 April): Good Friday 18 to Easter Monday 21, then 22, 23, 24" },
    { 2026, 4, 8, 11, 0, 2026, 4, 16,
      "9 April 2026 and Orthodox Easter (12 April): 9, 10, 13 off, then 14, 15, 16" },
    { 2026, 4, 9, 11, 0, 2026, 4, 16, "on 9 April itself: 14, 15, 16" },
    { 2026, 5, 25, 14, 0, 2026, 5, 29, "Mon 25 May 2026: 26 May (Tue) off, 27, 28, 29" },
    { 2025, 5, 23, 14, 0, 2025, 5, 29, "Fri 23 May 2025: weekend, 26 May (Mon) off, 27-29" },
  };
  size_t i;
  for (i = 0; i < WF_LEN(cases); i++) {
    cpw_time at = wf_time(cases[i].y, cases[i].m, cases[i].d, cases[i].h, cases[i].mi);
    cpw_time due = wf_time(cases[i].dy, cases[i].dm, cases[i].dd, cases[i].h, cases[i].mi);
    cpw_case *c = registered_at(f, at, 0);
    cpw_deadline dl;
    /* the state's clock first, then the assessment's from the registration */
    assert_int_equal(cpw_case_deadlines(c, &dl, 1), 2);
    if (dl.due != due) {
      char a[CPW_TIME_BUFSIZE], b[CPW_TIME_BUFSIZE];
      fail_msg("%s: due %s, expected %s", cases[i].why, wf_fmt(a, dl.due), wf_fmt(b, due));
    }
    expect_deadline(c, "start_assessment", at, due);
  }
}

static void test_deadlines__working_days_count_in_tbilisi(void **state)
{
  wf_fx *f = *state;
  cpw_time at, due;
  cpw_case *c;
  /* 15 February 2026 21:30 UTC is Monday 16 February 01:30 in Tbilisi: 17, 18, 19 February
   * (counting from the UTC date, a Sunday, would give the 18th) */
  assert_int_equal(cpw_time_parse(&at, f->ctx, "2026-02-15T21:30:00Z", 20), CPW_OK);
  assert_int_equal(cpw_time_parse(&due, f->ctx, "2026-02-18T21:30:00Z", 20), CPW_OK);
  c = registered_at(f, at, 0);
  expect_deadline(c, "start_assessment", at, due);
  assert_int_equal(due, wf_time(2026, 2, 19, 1, 30));
}

static void test_deadlines__registration_clock_is_chosen_by_the_danger(void **state)
{
  wf_fx *f = *state;
  cpw_time at = wf_time(2026, 2, 12, 10, 0);
  cpw_field_value missing = { "immediate_danger", "" };
  cpw_case *c;
  /* immediate_danger missing: neither condition holds, no clock for the start starts (the
   * assessment's, from the registration, does) */
  c = wf_open(f, WF_NOFIELDS, at);
  wf_fire(f, c, "register", "intake_officer", &missing, 1, at, "registered");
  expect_no_deadline_for(c, "start_assessment");
  expect_deadline(c, "assessment_done", at, wf_time(2026, 3, 13, 10, 0));
  /* the default (false): 3 working days */
  c = wf_open(f, WF_NOFIELDS, at);
  wf_fire(f, c, "register", "intake_officer", WF_NOFIELDS, at, "registered");
  expect_deadline(c, "start_assessment", at, wf_time(2026, 2, 17, 10, 0));
}

static void test_deadlines__cleared_when_answered_or_left(void **state)
{
  wf_fx *f = *state;
  cpw_time at = wf_time(2026, 3, 2, 9, 0);
  cpw_case *c = registered_at(f, at, 0);
  cpw_deadline dl;
  /* a same-state event keeps the clock; so does the escalation itself */
  wf_fire(f, c, "notify_police", "social_worker", WF_NOFIELDS, at + WF_HOUR, "registered");
  expect_deadline(c, "start_assessment", at, wf_time(2026, 3, 6, 9, 0));
  wf_fire(f, c, "deadline_missed", "supervisor", WF_NOFIELDS, wf_time(2026, 3, 6, 9, 1),
          "registered");
  expect_deadline(c, "start_assessment", at, wf_time(2026, 3, 6, 9, 0));
  /* leaving the state clears it: merged (final), screened_out */
  wf_fire(f, c, "merge", "supervisor", WF_NOFIELDS, wf_time(2026, 3, 6, 10, 0), "merged");
  expect_no_deadline(c);
  c = registered_at(f, at, 1);
  wf_fire(f, c, "screen_out", "supervisor", WF_NOFIELDS, at + 60, "screened_out");
  expect_no_deadline(c);
  /* reopened: the clock starts again from the reopening (the danger is still known) */
  wf_fire(f, c, "reopen", "intake_officer", WF_NOFIELDS, at + WF_DAY, "registered");
  expect_deadline(c, "start_assessment", at + WF_DAY, at + 2 * WF_DAY);
  /* flag_urgent: the clock runs on in urgent_response (it is not restarted) */
  wf_fire(f, c, "flag_urgent", "police", WF_NOFIELDS, at + WF_DAY + 60, "urgent_response");
  expect_deadline(c, "start_assessment", at + WF_DAY, at + 2 * WF_DAY);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 2); /* and the assessment's */
  assert_int_equal(cpw_caseload_overdue(f->cl, at + 365 * WF_DAY, &dl, 1), 2);
}

/* ------------------------------------------------------------------ assessment, planning */

static void test_deadlines__assessment_10_working_days(void **state)
{
  wf_fx *f = *state;
  cpw_time at = wf_time(2026, 3, 2, 9, 0);
  cpw_case *c = registered_at(f, at - WF_HOUR, 0);
  /* Mon 2 March: 3 March off; 4, 5, 6, 9 (8 March is a Sunday, not moved), 10, 11, 12, 13,
   * 16, 17 */
  wf_fire(f, c, "start_assessment", "social_worker", WF_NOFIELDS, at, "assessment");
  expect_deadline(c, "assessment_done", at, wf_time(2026, 3, 17, 9, 0));
  /* flag_urgent leaves assessment: in urgent_response the 24-hour clock runs (and the
   * assessment's from the registration); back in assessment its clock starts over */
  wf_fire(f, c, "flag_urgent", "social_worker",
          (const cpw_field_value[]){ { "immediate_danger", "true" } }, 1, at + WF_DAY,
          "urgent_response");
  expect_deadline(c, "start_assessment", at + WF_DAY, at + 2 * WF_DAY);
  expect_no_deadline_for(c, "approve_plan");
  /* Thu 2 April 2026: 3, 6, 7, 8, then 9 April, Good Friday 10 and Easter Monday 13 off, 14,
   * 15, 16, 17, 20, 21 */
  at = wf_time(2026, 4, 2, 15, 0);
  wf_fire(f, c, "start_assessment", "social_worker", WF_NOFIELDS, at, "assessment");
  expect_deadline(c, "assessment_done", at, wf_time(2026, 4, 21, 15, 0));
  /* a missing concern_confirmed is refused: the clock runs on */
  wf_refuse(f, c, "assessment_done", "social_worker", WF_NOFIELDS, at + WF_DAY,
            CPW_REFUSED_GUARD, "guard undetermined: concern_confirmed is missing (it must be true)");
  expect_deadline(c, "assessment_done", at, wf_time(2026, 4, 21, 15, 0));
}

static void test_deadlines__case_planning_5_working_days(void **state)
{
  wf_fx *f = *state;
  cpw_time t, at = wf_time(2026, 5, 6, 12, 0);
  cpw_case *c = wf_case_in(f, "assessment", at - WF_DAY, &t);
  /* Wed 6 May 2026: 7, 8, (9 May Victory Day is a Saturday), 11, 12 May (St Andrew) off,
   * 13, 14 */
  wf_fire(f, c, "assessment_done", "social_worker",
          (const cpw_field_value[]){ { "concern_confirmed", "true" } }, 1, at, "case_planning");
  expect_deadline(c, "approve_plan", at, wf_time(2026, 5, 14, 12, 0));
  wf_fire(f, c, "approve_plan", "supervisor", WF_NOFIELDS, at + WF_HOUR, "services");
  expect_no_deadline(c);   /* services: no clock */
  /* concern not confirmed: closed, no clock */
  c = wf_case_in(f, "assessment", at - WF_DAY, &t);
  wf_fire(f, c, "assessment_done", "social_worker",
          (const cpw_field_value[]){ { "concern_confirmed", "false" } }, 1, at, "closed");
  expect_no_deadline(c);
}

/* ------------------------------------------------------------------ monitoring */

static void test_deadlines__monitoring_review_every_3_months(void **state)
{
  wf_fx *f = *state;
  cpw_time t, at = wf_time(2026, 1, 31, 10, 0);
  cpw_case *c = wf_case_in(f, "services", at - WF_DAY, &t);
  /* entering monitoring on 31 January: 3 months later is 30 April (month-end rule) */
  wf_fire(f, c, "begin_monitoring", "social_worker", WF_NOFIELDS, at, "monitoring");
  expect_deadline(c, "review", at, wf_time(2026, 4, 30, 10, 0));
  /* other events in monitoring leave it alone; the escalation too */
  wf_fire(f, c, "start_service", "social_worker", WF_NOFIELDS, at + WF_DAY, "monitoring");
  wf_fire(f, c, "notify_police", "social_worker", WF_NOFIELDS, at + 2 * WF_DAY, "monitoring");
  wf_fire(f, c, "end_service", "social_worker", WF_NOFIELDS, at + 3 * WF_DAY, "monitoring");
  expect_deadline(c, "review", at, wf_time(2026, 4, 30, 10, 0));
  /* each review restarts it from the review */
  t = wf_time(2026, 3, 15, 11, 0);
  wf_fire(f, c, "review", "social_worker", WF_NOFIELDS, t, "monitoring");
  expect_deadline(c, "review", t, wf_time(2026, 6, 15, 11, 0));
  t = wf_time(2026, 5, 31, 8, 0);
  wf_fire(f, c, "review", "social_worker", WF_NOFIELDS, t, "monitoring");
  expect_deadline(c, "review", t, wf_time(2026, 8, 31, 8, 0));
  t = wf_time(2026, 11, 30, 8, 0);   /* -> 28 February 2027 */
  wf_fire(f, c, "review", "social_worker", WF_NOFIELDS, t, "monitoring");
  expect_deadline(c, "review", t, wf_time(2027, 2, 28, 8, 0));
  /* a late review (after the due time) restarts it too */
  t = wf_time(2027, 3, 3, 8, 0);
  wf_fire(f, c, "deadline_missed", "supervisor", WF_NOFIELDS, t, "monitoring");
  expect_deadline(c, "review", wf_time(2026, 11, 30, 8, 0), wf_time(2027, 2, 28, 8, 0));
  wf_fire(f, c, "review", "social_worker", WF_NOFIELDS, t + WF_HOUR, "monitoring");
  expect_deadline(c, "review", t + WF_HOUR, wf_time(2027, 6, 3, 9, 0));
  /* leaving monitoring clears it */
  wf_fire(f, c, "close", "supervisor",
          (const cpw_field_value[]){ { "closure_reason", "resolved" } }, 1, t + WF_DAY,
          "closed");
  expect_no_deadline(c);
  /* into a leap year: 30 November 2027 -> 29 February 2028 */
  at = wf_time(2027, 11, 30, 10, 0);
  c = wf_case_in(f, "services", at - WF_DAY, &t);
  wf_fire(f, c, "begin_monitoring", "social_worker", WF_NOFIELDS, at, "monitoring");
  expect_deadline(c, "review", at, wf_time(2028, 2, 29, 10, 0));
  /* months follow the date in Tbilisi: 31 January 22:00 UTC is 1 February 02:00 there, so the
   * review is due on 1 May at 02:00 (from the UTC date it would be 30 April) */
  assert_int_equal(cpw_time_parse(&at, f->ctx, "2026-01-31T22:00:00Z", 20), CPW_OK);
  c = wf_case_in(f, "services", at - WF_DAY, &t);
  wf_fire(f, c, "begin_monitoring", "social_worker", WF_NOFIELDS, at, "monitoring");
  expect_deadline(c, "review", at, wf_time(2026, 5, 1, 2, 0));
}

/* ------------------------------------------------------------------ trafficking status */

static void test_deadlines__trafficking_48_hours(void **state)
{
  wf_fx *f = *state;
  static const struct {
    int y, m, d, h;
  } starts[] = {
    { 2026, 3, 6, 15 },   /* Friday: over the weekend and 8 March, to Sunday 15:00 */
    { 2026, 4, 9, 9 },    /* 9 April: over Good Friday, to Saturday 09:00 */
    { 2025, 12, 31, 23 }, /* to 2 January 23:00 */
    { 2026, 2, 11, 0 },   /* a working Wednesday, to Friday */
  };
  size_t i;
  for (i = 0; i < WF_LEN(starts); i++) {
    char id[16];
    cpw_case *c = NULL;
    cpw_time at = wf_time(starts[i].y, starts[i].m, starts[i].d, starts[i].h, 0);
    snprintf(id, sizeof id, "tip-%zu", i);
    assert_int_equal(cpw_caseload_open(f->cl, &c, id, "trafficking_status", NULL, 0, at, "x",
                                       "social_worker"), CPW_OK);
    expect_deadline(c, "decide", at, at + 48 * WF_HOUR);
    /* the escalation event keeps the clock (it stays in referred) */
    wf_fire(f, c, "decision_overdue", "supervisor", WF_NOFIELDS, at + 49 * WF_HOUR,
            "referred");
    expect_deadline(c, "decide", at, at + 48 * WF_HOUR);
    if (i % 2 == 0)
      wf_fire(f, c, "grant", "permanent_group", WF_NOFIELDS, at + 50 * WF_HOUR, "granted");
    else
      wf_fire(f, c, "refuse", "permanent_group", WF_NOFIELDS, at + 50 * WF_HOUR, "refused");
    expect_no_deadline(c);
  }
  {
    cpw_case *c = NULL;
    cpw_time at = wf_time(2026, 3, 6, 15, 0);
    assert_int_equal(cpw_caseload_open(f->cl, &c, "tip-x", "trafficking_status", NULL, 0, at,
                                       "x", "social_worker"), CPW_OK);
    expect_deadline(c, "decide", at, wf_time(2026, 3, 8, 15, 0));
    /* exactly 48 hours: overdue only after the due instant, due-before at it */
    assert_int_equal(cpw_caseload_overdue(f->cl, at + 48 * WF_HOUR, NULL, 0), 0);
    assert_int_equal(cpw_caseload_overdue(f->cl, at + 48 * WF_HOUR + 1, NULL, 0), 1);
    assert_int_equal(cpw_caseload_due_before(f->cl, at + 48 * WF_HOUR, NULL, 0), 1);
    assert_int_equal(cpw_caseload_due_before(f->cl, at + 48 * WF_HOUR - 1, NULL, 0), 0);
  }
}

/* ------------------------------------------------------------------ many cases */

typedef struct rec {
  char id[16];
  const char *workflow;
  const char *event, *role;    /* NULL: an opening */
  cpw_field_value fv[1];
  size_t nfv;
  cpw_time at;
  int rc;
} rec;

#define NCASES 3000
#define MAXRECS (NCASES * 8)

static uint32_t rng_state;
static uint32_t rnd(uint32_t n)
{
  rng_state = rng_state * 1664525u + 1013904223u;
  return (rng_state >> 8) % n;
}

static int play(cpw_caseload *cl, rec *r)
{
  cpw_case *c;
  if (r->event == NULL)
    return cpw_caseload_open(cl, NULL, r->id, r->workflow, r->fv, r->nfv, r->at, "x",
                             "social_worker");
  c = cpw_caseload_find(cl, r->id);
  assert_non_null(c);
  return cpw_case_apply(c, r->event, "x", r->role, r->at, r->fv, r->nfv);
}

static size_t add(rec *recs, size_t n, const char *id, const char *workflow,
                  const char *event, const char *role, const char *field, const char *value,
                  cpw_time at)
{
  rec *r = &recs[n];
  assert_true(n < MAXRECS);
  memset(r, 0, sizeof *r);
  snprintf(r->id, sizeof r->id, "%s", id);
  r->workflow = workflow;
  r->event = event;
  r->role = role;
  r->at = at;
  if (field != NULL) {
    r->fv[0].field = field;
    r->fv[0].value = value;
    r->nfv = 1;
  }
  return n + 1;
}

/* Random cases: ids in a shuffled order (so that opening order is not id order), opening times
 * from a small set (many deadlines share a due time), random paths through both workflows,
 * and some refused events. Returns the number of records; each is applied to cl as it is
 * made and its status kept. */
static size_t make_cases(cpw_caseload *cl, rec *recs)
{
  static const char *const paths[][6] = {
    { NULL },
    { "register", NULL },
    { "register!", NULL },   /* with immediate danger */
    { "register", "start_assessment", NULL },
    { "register", "start_assessment", "assessment_done+", NULL },
    { "register", "start_assessment", "assessment_done+", "approve_plan", "begin_monitoring",
      NULL },
    { "register", "start_assessment", "assessment_done+", "approve_plan", "begin_monitoring",
      "review" },
    { "register", "start_assessment", "assessment_done-", NULL },
    { "register", "screen_out", "reopen", NULL },
    { "register", "approve_plan", NULL },   /* refused: no transition */
    { "register", "start_assessment", "assessment_done", NULL },   /* refused: guard */
  };
  static const char *const role_of[][2] = {
    { "register", "intake_officer" }, { "start_assessment", "social_worker" },
    { "assessment_done", "social_worker" }, { "approve_plan", "supervisor" },
    { "begin_monitoring", "social_worker" }, { "review", "social_worker" },
    { "screen_out", "supervisor" }, { "reopen", "intake_officer" },
  };
  static uint32_t perm[NCASES];
  size_t n = 0, i, k, j;
  cpw_time base = wf_time(2026, 1, 26, 9, 0);
  rng_state = 20260302u;
  for (i = 0; i < NCASES; i++)
    perm[i] = (uint32_t)i;
  for (i = NCASES - 1; i > 0; i--) {
    uint32_t x = rnd((uint32_t)i + 1), tmp = perm[i];
    perm[i] = perm[x];
    perm[x] = tmp;
  }
  for (i = 0; i < NCASES; i++) {
    char id[16];
    cpw_time at = base + (cpw_time)rnd(40) * 6 * WF_HOUR;
    snprintf(id, sizeof id, "k%05u", (unsigned)perm[i]);
    if (rnd(10) == 0) {
      n = add(recs, n, id, "trafficking_status", NULL, NULL, NULL, NULL, at);
      recs[n - 1].rc = play(cl, &recs[n - 1]);
      if (rnd(3) == 0) {
        n = add(recs, n, id, NULL, "grant", "permanent_group", NULL, NULL, at + WF_DAY);
        recs[n - 1].rc = play(cl, &recs[n - 1]);
      }
      continue;
    }
    n = add(recs, n, id, "referral", NULL, NULL, NULL, NULL, at);
    recs[n - 1].rc = play(cl, &recs[n - 1]);
    k = rnd((uint32_t)WF_LEN(paths));
    for (j = 0; j < 6 && paths[k][j] != NULL; j++) {
      const char *ev = paths[k][j], *event = NULL, *role = NULL, *field = NULL, *value = NULL;
      char name[32];
      size_t len = strlen(ev), r;
      snprintf(name, sizeof name, "%s", ev);
      if (ev[len - 1] == '!' || ev[len - 1] == '+' || ev[len - 1] == '-') {
        name[len - 1] = '\0';
        field = ev[len - 1] == '!' ? "immediate_danger" : "concern_confirmed";
        value = ev[len - 1] == '-' ? "false" : "true";
      }
      for (r = 0; r < WF_LEN(role_of); r++)
        if (strcmp(role_of[r][0], name) == 0) {
          event = role_of[r][0];   /* static: the record keeps the pointer */
          role = role_of[r][1];
        }
      assert_non_null(role);
      /* a few step lengths, so that many deadlines share a due time */
      at += (cpw_time)(1 + rnd(3)) * 8 * WF_HOUR;
      n = add(recs, n, id, NULL, event, role, field, value, at);
      recs[n - 1].rc = play(cl, &recs[n - 1]);
    }
  }
  return n;
}

static int cmp_deadline(const void *a, const void *b)
{
  const cpw_deadline *x = a, *y = b;
  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return strcmp(x->case_id, y->case_id);
}

/* every pending deadline, by (due, case id) */
static size_t all_deadlines(const cpw_caseload *cl, cpw_deadline *out)
{
  size_t n = 0, i;
  for (i = 0; i < cpw_caseload_case_count(cl); i++)
    n += cpw_case_deadlines(cpw_caseload_case_at(cl, i), out + n, WF_MAX_DL);
  qsort(out, n, sizeof *out, cmp_deadline);
  return n;
}

static void check_query(const cpw_caseload *cl, const cpw_deadline *all, size_t nall,
                        cpw_time at, size_t max, int inclusive, cpw_deadline *got)
{
  size_t expect = 0, n, i;
  for (i = 0; i < nall; i++)
    expect += inclusive ? all[i].due <= at : all[i].due < at;
  n = inclusive ? cpw_caseload_due_before(cl, at, got, max)
                : cpw_caseload_overdue(cl, at, got, max);
  assert_int_equal(n, expect);
  for (i = 0; i < max && i < n; i++) {
    if (got[i].due != all[i].due || strcmp(got[i].case_id, all[i].case_id) != 0)
      fail_msg("query at %lld (max %zu, %s): result %zu is %s at %lld, expected %s at %lld",
               (long long)at, max, inclusive ? "due before" : "overdue", i, got[i].case_id,
               (long long)got[i].due, all[i].case_id, (long long)all[i].due);
    assert_string_equal(got[i].event, all[i].event);
    assert_ptr_equal(got[i].c, all[i].c);
    assert_int_equal(got[i].started, all[i].started);
  }
  assert_int_equal(inclusive ? cpw_caseload_due_before(cl, at, NULL, 10)
                             : cpw_caseload_overdue(cl, at, NULL, 10), expect);
}

static void check_all_queries(const cpw_caseload *cl)
{
  static cpw_deadline all[NCASES * 2], got[NCASES * 2 + 8];
  size_t nall = all_deadlines(cl, all), i, m;
  cpw_time ats[12];
  size_t nats = 0, maxes[] = { 0, 1, 2, 7, 100, 0, 0 };
  assert_true(nall > 1000);
  maxes[5] = nall;
  maxes[6] = nall + 8;
  ats[nats++] = all[0].due - 1;
  ats[nats++] = all[0].due;                 /* the boundary: overdue 0, due-before > 0 */
  ats[nats++] = all[nall / 7].due;
  ats[nats++] = all[nall / 3].due;
  ats[nats++] = all[nall / 3].due + 1;
  ats[nats++] = all[nall / 2].due;
  ats[nats++] = all[nall - 1].due;
  ats[nats++] = all[nall - 1].due + 1;
  ats[nats++] = wf_time(2020, 1, 1, 0, 0);
  ats[nats++] = wf_time(2030, 1, 1, 0, 0);
  for (i = 0; i < nats; i++)
    for (m = 0; m < WF_LEN(maxes); m++) {
      check_query(cl, all, nall, ats[i], maxes[m], 0, got);
      check_query(cl, all, nall, ats[i], maxes[m], 1, got);
    }
  /* at a due time shared by many cases: ties in case id order, cut by max */
  {
    size_t run = 0, best = 0, start = 0;
    for (i = 1; i < nall; i++) {
      run = all[i].due == all[i - 1].due ? run + 1 : 0;
      if (run > best) {
        best = run;
        start = i - run;
      }
    }
    assert_true(best >= 5);
    check_query(cl, all, nall, all[start].due, start + 3, 1, got);
    check_query(cl, all, nall, all[start].due, start + 3, 0, got);
  }
  /* every deadline names its escalation */
  for (i = 0; i < nall; i++) {
    int referral = strcmp(cpw_workflow_name(cpw_case_workflow(all[i].c)), "referral") == 0;
    assert_string_equal(all[i].escalation, referral ? "deadline_missed" : "decision_overdue");
    assert_string_equal(all[i].role, "supervisor");
    assert_ptr_equal(cpw_caseload_find(cl, all[i].case_id), all[i].c);
  }
}

static rec recs[MAXRECS];

static void test_deadlines__overdue_queries_against_brute_force(void **state)
{
  wf_fx *f = *state;
  size_t n = make_cases(f->cl, recs), i, accepted = 0, refused = 0;
  assert_int_equal(cpw_caseload_case_count(f->cl), NCASES);
  for (i = 0; i < n; i++) {
    accepted += recs[i].rc == CPW_OK;
    refused += recs[i].rc == CPW_EDENIED;
  }
  assert_int_equal(accepted + refused, n);
  assert_true(refused > 100);
  check_all_queries(f->cl);
  /* move a third of the cases on (deadlines cleared, restarted, answered) and check again */
  for (i = 0; i < NCASES; i += 3) {
    cpw_case *c = cpw_caseload_case_at(f->cl, i);
    const char *s = cpw_case_state(c);
    cpw_time at = cpw_case_last_time(c) + WF_DAY;
    if (strcmp(s, "registered") == 0)
      wf_fire(f, c, "start_assessment", "social_worker", WF_NOFIELDS, at, "assessment");
    else if (strcmp(s, "assessment") == 0)
      wf_fire(f, c, "assessment_done", "social_worker",
              (const cpw_field_value[]){ { "concern_confirmed", "true" } }, 1, at,
              "case_planning");
    else if (strcmp(s, "monitoring") == 0)
      wf_fire(f, c, "review", "social_worker", WF_NOFIELDS, at, "monitoring");
    else if (strcmp(s, "case_planning") == 0)
      wf_fire(f, c, "approve_plan", "supervisor", WF_NOFIELDS, at, "services");
    else if (strcmp(s, "referred") == 0)
      wf_fire(f, c, "refuse", "permanent_group", WF_NOFIELDS, at, "refused");
  }
  check_all_queries(f->cl);
}

static void test_deadlines__replay_gives_the_same_caseload(void **state)
{
  wf_fx *f = *state;
  cpw_caseload *again = NULL;
  size_t n = make_cases(f->cl, recs), i;
  static cpw_deadline a[NCASES * 2], b[NCASES * 2];
  size_t na, nb;
  assert_int_equal(cpw_caseload_new(&again, f->ctx, f->pol), CPW_OK);
  for (i = 0; i < n; i++)
    assert_int_equal(play(again, &recs[i]), recs[i].rc);
  assert_int_equal(cpw_caseload_case_count(again), cpw_caseload_case_count(f->cl));
  for (i = 0; i < cpw_caseload_case_count(f->cl); i++) {
    const cpw_case *x = cpw_caseload_case_at(f->cl, i), *y = cpw_caseload_case_at(again, i);
    wf_snap sx, sy;
    size_t d;
    assert_string_equal(cpw_case_id(x), cpw_case_id(y));
    assert_int_equal(cpw_case_refusal(x), cpw_case_refusal(y));
    wf_take_all(f->cl, x, &sx);
    wf_take_all(again, y, &sy);
    /* the deadlines point at their own caseload's case */
    for (d = 0; d < sy.ndl; d++) {
      assert_ptr_equal(sy.dl[d].c, y);
      sy.dl[d].c = x;
    }
    wf_assert_same(&sx, &sy, cpw_case_id(x));
  }
  na = all_deadlines(f->cl, a);
  nb = all_deadlines(again, b);
  assert_int_equal(na, nb);
  for (i = 0; i < na; i++) {
    assert_int_equal(a[i].due, b[i].due);
    assert_string_equal(a[i].case_id, b[i].case_id);
  }
  {
    cpw_time at = a[na / 2].due;
    assert_int_equal(cpw_caseload_overdue(f->cl, at, NULL, 0),
                     cpw_caseload_overdue(again, at, NULL, 0));
  }
  cpw_caseload_free(again);
}

static void test_deadlines__empty_caseload_and_arguments(void **state)
{
  wf_fx *f = *state;
  cpw_deadline dl;
  assert_int_equal(cpw_caseload_overdue(f->cl, 0, &dl, 1), 0);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, &dl, 1), 0);
  assert_int_equal(cpw_caseload_overdue(NULL, 0, &dl, 1), 0);
  assert_int_equal(cpw_case_deadlines(NULL, &dl, 1), 0);
  /* a case in notified waits for its registration */
  (void)wf_open(f, WF_NOFIELDS, wf_time(2026, 3, 2, 9, 0));
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, &dl, 1), 1);
  assert_string_equal(dl.event, "register");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(test_deadlines__##name, wf_setup, wf_teardown)
  const struct CMUnitTest tests[] = {
    T(registered_with_immediate_danger_24_hours),
    T(registered_3_working_days),
    T(working_days_count_in_tbilisi),
    T(registration_clock_is_chosen_by_the_danger),
    T(cleared_when_answered_or_left),
    T(assessment_10_working_days),
    T(case_planning_5_working_days),
    T(monitoring_review_every_3_months),
    T(trafficking_48_hours),
    T(overdue_queries_against_brute_force),
    T(replay_gives_the_same_caseload),
    T(empty_caseload_and_arguments),
  };
#undef T
  return cmocka_run_group_tests_name("deadlines", tests, NULL, NULL);
}
