/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the case runtime on Georgia's default `referral` workflow: every transition
 * fires for each role it allows and is refused (CPW_REFUSED_ROLE) for every other role; the
 * guards; refusals for no transition, final states and time; errors for unknown names and
 * bad values; cpw_case_allowed_events. Every refusal and error is checked to leave the case
 * (state, fields, times, event count, deadlines) and the caseload's counts as they were. */
#include "wfhelp.h"

/* Monday 2 March 2026, 09:00 in Tbilisi */
#define T0 wf_time(2026, 3, 2, 9, 0)

static const char *const roles[] = { "reporter", "intake_officer", "social_worker",
                                     "supervisor", "police", "court" };
static const char *const nonfinal[] = { "notified", "registered", "urgent_response",
                                        "assessment", "case_planning", "services",
                                        "monitoring", "closed", "screened_out" };

/* The referral workflow as lib/policy/georgia/20-referral.cpw declares it, written out here
 * independently of the compiled tables: each event with the states it leaves from ("*": every
 * state that is not final). */
static const struct {
  const char *event, *from;
} table[] = {
  { "register", "notified" },
  { "merge", "notified, registered" },
  { "screen_out", "registered" },
  { "flag_urgent", "registered, assessment" },
  { "separate_child", "registered, urgent_response, assessment, case_planning, services, "
                      "monitoring" },
  { "start_assessment", "registered, urgent_response, closure_review" },
  { "assessment_done", "assessment" },
  { "notify_police", "*" },
  { "approve_plan", "case_planning" },
  { "start_service", "services, monitoring" },
  { "end_service", "services, monitoring" },
  { "begin_monitoring", "services" },
  { "review", "monitoring" },
  { "close", "closure_review, services, monitoring" },
  { "reopen", "closed, screened_out" },
  { "deadline_missed", "*" },
  { "court_decision", "*" },
  { "apply_to_court", "*" },
  { "follow_up", "*" },
  { "record_restraining_order", "*" },
};

/* For every role of the workflow, a new case brought to `path` (a wf_case_in state), then
 * `event` with the field value given (field NULL: none): a role in `allowed` moves the case to
 * `to`; any other role is refused with CPW_REFUSED_ROLE and changes nothing. */
static void check_roles(wf_fx *f, const char *event, const char *path, const char *to,
                        const char *allowed, const char *field, const char *value)
{
  size_t r;
  assert_int_equal(cpw_workflow_role_count(f->wf), 6);
  for (r = 0; r < cpw_workflow_role_count(f->wf); r++) {
    const char *role = cpw_workflow_role(f->wf, r);
    cpw_time t;
    cpw_case *c = wf_case_in(f, path, T0, &t);
    cpw_field_value fv;
    fv.field = field;
    fv.value = value;
    if (wf_in_list(allowed, role)) {
      wf_fire(f, c, event, role, field ? &fv : NULL, field ? 1 : 0, t + 60, to);
    } else {
      char expl[200];
      snprintf(expl, sizeof expl, "role %s may not %s in state %s", role, event,
               cpw_case_state(c));
      wf_refuse(f, c, event, role, field ? &fv : NULL, field ? 1 : 0, t + 60, CPW_REFUSED_ROLE,
                expl);
    }
  }
}

static void test_workflow__declared(void **state)
{
  wf_fx *f = *state;
  size_t i;
  (void)state;
  assert_string_equal(cpw_workflow_name(f->wf), "referral");
  assert_string_equal(cpw_workflow_title(f->wf), "Child protection referral");
  assert_int_equal(cpw_workflow_state_count(f->wf), 11);
  assert_int_equal(cpw_workflow_event_count(f->wf), WF_LEN(table));
  assert_int_equal(cpw_workflow_field_count(f->wf), 20);
  for (i = 0; i < WF_LEN(table); i++) {
    assert_string_equal(cpw_workflow_event(f->wf, i), table[i].event);
    assert_int_equal(cpw_workflow_event_index(f->wf, table[i].event), (int)i);
  }
  for (i = 0; i < WF_LEN(roles); i++) {
    assert_string_equal(cpw_workflow_role(f->wf, i), roles[i]);
    assert_int_equal(cpw_workflow_role_index(f->wf, roles[i]), (int)i);
  }
  for (i = 0; i < WF_LEN(nonfinal); i++) {
    int s = cpw_workflow_state_index(f->wf, nonfinal[i]);
    assert_true(s >= 0);
    assert_int_equal(cpw_workflow_state_is_final(f->wf, (size_t)s), 0);
  }
  assert_int_equal(cpw_workflow_state_is_final(f->wf, 9), 1);
  assert_string_equal(cpw_workflow_state(f->wf, 9), "merged");
  assert_string_equal(cpw_workflow_state(f->wf, 0), "notified");
  assert_string_equal(cpw_workflow_state(f->wf, 10), "closure_review"); /* added in 2026.2 */
  assert_null(cpw_workflow_state(f->wf, 11));
  assert_null(cpw_workflow_event(f->wf, WF_LEN(table)));
  assert_null(cpw_workflow_role(f->wf, 6));
  assert_null(cpw_workflow_field(f->wf, 20));
  assert_int_equal(cpw_workflow_state_is_final(f->wf, 10), 0);
  assert_int_equal(cpw_workflow_state_is_final(f->wf, 11), 0);
  assert_int_equal(cpw_workflow_state_index(f->wf, "nowhere"), CPW_ENOTFOUND);
  assert_int_equal(cpw_workflow_event_index(f->wf, "approve"), CPW_ENOTFOUND);
  assert_int_equal(cpw_workflow_role_index(f->wf, "judge"), CPW_ENOTFOUND);
  assert_int_equal(cpw_workflow_state_index(f->wf, NULL), CPW_EINVALID);
  assert_int_equal(cpw_policy_workflow_count(f->pol), 2);
  assert_ptr_equal(cpw_policy_workflow_at(f->pol, 0), f->wf);
  assert_string_equal(cpw_workflow_name(cpw_policy_workflow_at(f->pol, 1)),
                      "trafficking_status");
  assert_null(cpw_policy_workflow_at(f->pol, 2));
  assert_null(cpw_policy_workflow(f->pol, "nope"));
  assert_string_equal(cpw_refusal_name(CPW_ACCEPTED), "accepted");
  assert_string_equal(cpw_refusal_name(CPW_REFUSED_NO_TRANSITION), "no_transition");
  assert_string_equal(cpw_refusal_name(CPW_REFUSED_ROLE), "role");
  assert_string_equal(cpw_refusal_name(CPW_REFUSED_GUARD), "guard");
  assert_string_equal(cpw_refusal_name(CPW_REFUSED_FINAL), "final");
  assert_string_equal(cpw_refusal_name(CPW_REFUSED_TIME), "time");
  assert_string_equal(cpw_refusal_name(99), "unknown");
}

/* ------------------------------------------------------------------ every transition */

static void test_workflow__register(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "register", "notified", "registered", "intake_officer, social_worker", NULL,
              NULL);
}

static void test_workflow__merge(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "merge", "notified", "merged", "intake_officer, supervisor", NULL, NULL);
  check_roles(f, "merge", "registered", "merged", "intake_officer, supervisor", NULL, NULL);
}

static void test_workflow__screen_out(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "screen_out", "registered", "screened_out", "supervisor", NULL, NULL);
}

static void test_workflow__flag_urgent(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "flag_urgent", "registered", "urgent_response", "social_worker, police",
              "immediate_danger", "true");
  check_roles(f, "flag_urgent", "assessment", "urgent_response", "social_worker, police",
              "immediate_danger", "true");
}

static void test_workflow__separate_child(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "separate_child", "urgent_response", "urgent_response", "social_worker",
              "court_order", "true");
  check_roles(f, "separate_child", "assessment", "assessment", "social_worker", "court_order",
              "true");
}

/* the events any open state takes, each for its own roles */
static void test_workflow__events_of_every_open_state(void **state)
{
  wf_fx *f = *state;
  size_t i;
  for (i = 0; i < WF_LEN(nonfinal); i++) {
    check_roles(f, "court_decision", nonfinal[i], nonfinal[i], "court", "court_order", "true");
    check_roles(f, "apply_to_court", nonfinal[i], nonfinal[i], "social_worker", NULL, NULL);
    check_roles(f, "follow_up", nonfinal[i], nonfinal[i], "social_worker", NULL, NULL);
    check_roles(f, "record_restraining_order", nonfinal[i], nonfinal[i],
                "social_worker, police", "restraining_order", "true");
  }
}

static void test_workflow__start_assessment(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "start_assessment", "registered", "assessment", "social_worker", NULL, NULL);
  check_roles(f, "start_assessment", "urgent_response", "assessment", "social_worker", NULL,
              NULL);
}

static void test_workflow__assessment_done_confirmed(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "assessment_done", "assessment", "case_planning", "social_worker",
              "concern_confirmed", "true");
}

static void test_workflow__assessment_done_unconfirmed(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "assessment_done", "assessment", "closed", "social_worker",
              "concern_confirmed", "false");
}

static void test_workflow__notify_police(void **state)
{
  wf_fx *f = *state;
  size_t i;
  for (i = 0; i < WF_LEN(nonfinal); i++)
    check_roles(f, "notify_police", nonfinal[i], nonfinal[i], "social_worker, intake_officer",
                NULL, NULL);
}

static void test_workflow__approve_plan(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "approve_plan", "case_planning", "services", "supervisor", NULL, NULL);
}

static void test_workflow__start_service(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "start_service", "services", "services", "social_worker", NULL, NULL);
  check_roles(f, "start_service", "monitoring", "monitoring", "social_worker", NULL, NULL);
}

static void test_workflow__end_service(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "end_service", "services+1", "services", "social_worker", NULL, NULL);
  check_roles(f, "end_service", "monitoring+1", "monitoring", "social_worker", NULL, NULL);
}

static void test_workflow__begin_monitoring(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "begin_monitoring", "services", "monitoring", "social_worker", NULL, NULL);
}

static void test_workflow__review(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "review", "monitoring", "monitoring", "social_worker", NULL, NULL);
}

static void test_workflow__close(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "close", "services", "closed", "supervisor", NULL, NULL);
  check_roles(f, "close", "monitoring", "closed", "supervisor", NULL, NULL);
}

static void test_workflow__reopen(void **state)
{
  wf_fx *f = *state;
  check_roles(f, "reopen", "closed", "registered", "intake_officer", NULL, NULL);
  check_roles(f, "reopen", "screened_out", "registered", "intake_officer", NULL, NULL);
}

static void test_workflow__deadline_missed(void **state)
{
  wf_fx *f = *state;
  /* clocks run in every state that is not final (some run across states): so does their
   * escalation */
  size_t i;
  for (i = 0; i < WF_LEN(nonfinal); i++)
    check_roles(f, "deadline_missed", nonfinal[i], nonfinal[i], "supervisor", NULL, NULL);
}


/* From closure_rules_from (2026-12-01) an assessment that found no concern goes to the
 * supervisor: only the supervisor closes, with a reason, or sends the case back to the
 * assessment (the other tests run in March 2026, under policy 2026.1's closure) */
static void test_workflow__closure_review(void **state)
{
  wf_fx *f = *state;
  cpw_field_value reason = { "closure_reason", "no_concern" };
  cpw_time t1 = wf_time(2026, 12, 7, 9, 0), t;
  size_t r, e;
  for (r = 0; r < WF_LEN(roles); r++) {
    char expl[200];
    cpw_case *c = wf_case_in(f, "closure_review", t1, &t);
    if (strcmp(roles[r], "supervisor") == 0) {
      wf_refuse(f, c, "close", roles[r], WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD, NULL);
      wf_fire(f, c, "close", roles[r], &reason, 1, t + 60, "closed");
      c = wf_case_in(f, "closure_review", t1, &t);
      wf_fire(f, c, "start_assessment", roles[r], WF_NOFIELDS, t + 60, "assessment");
      continue;
    }
    snprintf(expl, sizeof expl, "role %s may not close in state closure_review", roles[r]);
    wf_refuse(f, c, "close", roles[r], &reason, 1, t + 60, CPW_REFUSED_ROLE, expl);
    snprintf(expl, sizeof expl, "role %s may not start_assessment in state closure_review",
             roles[r]);
    wf_refuse(f, c, "start_assessment", roles[r], WF_NOFIELDS, t + 60, CPW_REFUSED_ROLE, expl);
  }
  /* the events with no transition from it */
  for (e = 0; e < WF_LEN(table); e++) {
    cpw_case *c;
    char expl[200];
    if (strcmp(table[e].from, "*") == 0 || wf_in_list(table[e].from, "closure_review"))
      continue;
    c = wf_case_in(f, "closure_review", t1, &t);
    snprintf(expl, sizeof expl, "no transition from closure_review on %s", table[e].event);
    wf_refuse(f, c, table[e].event, "supervisor", WF_NOFIELDS, t + 60,
              CPW_REFUSED_NO_TRANSITION, expl);
  }
  /* and a closure after services needs its reason too */
  {
    cpw_field_value resolved = { "closure_reason", "resolved" };
    cpw_case *c = wf_case_in(f, "services", t1, &t);
    wf_refuse(f, c, "close", "supervisor", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD, NULL);
    wf_fire(f, c, "close", "supervisor", &resolved, 1, t + 60, "closed");
  }
}

/* ------------------------------------------------------------------ no transition */

static void test_workflow__no_transition(void **state)
{
  wf_fx *f = *state;
  size_t s, e, refused = 0;
  cpw_time t;
  cpw_case *c = wf_case_in(f, "assessment", T0, &t);
  wf_refuse(f, c, "approve_plan", "supervisor", WF_NOFIELDS, t + 60, CPW_REFUSED_NO_TRANSITION,
            "no transition from assessment on approve_plan");
  /* every state that is not final, every event that has no transition from it, any role */
  for (s = 0; s < WF_LEN(nonfinal); s++) {
    c = wf_case_in(f, nonfinal[s], T0, &t);
    for (e = 0; e < WF_LEN(table); e++) {
      char expl[200];
      size_t r;
      if (strcmp(table[e].from, "*") == 0 || wf_in_list(table[e].from, nonfinal[s]))
        continue;
      snprintf(expl, sizeof expl, "no transition from %s on %s", nonfinal[s], table[e].event);
      for (r = 0; r < WF_LEN(roles); r++)
        wf_refuse(f, c, table[e].event, roles[r], WF_NOFIELDS, t + 60,
                  CPW_REFUSED_NO_TRANSITION, expl);
      refused++;
    }
  }
  /* 9 states x 20 events, less the 6 events of every state and the 26 other (state, event)
   * pairs that have transitions */
  assert_int_equal(refused, 9 * 20 - 6 * 9 - 26);
}

/* ------------------------------------------------------------------ guards */

static void test_workflow__flag_urgent_needs_immediate_danger(void **state)
{
  wf_fx *f = *state;
  cpw_field_value yes = { "immediate_danger", "true" }, no = { "immediate_danger", "false" };
  cpw_field_value missing = { "immediate_danger", "" };
  cpw_time t;
  int64_t v = -1;
  cpw_case *c = wf_case_in(f, "registered", T0, &t);
  wf_refuse(f, c, "flag_urgent", "social_worker", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD,
            "guard failed: immediate_danger is false, but must be true");
  wf_refuse(f, c, "flag_urgent", "police", &no, 1, t + 60, CPW_REFUSED_GUARD,
            "guard failed: immediate_danger is false, but must be true");
  wf_refuse(f, c, "flag_urgent", "police", &missing, 1, t + 60, CPW_REFUSED_GUARD,
            "guard undetermined: immediate_danger is missing (it must be true)");
  /* the refused values were not kept */
  assert_int_equal(cpw_case_get(c, "immediate_danger", &v), 1);
  assert_int_equal(v, 0);
  wf_fire(f, c, "flag_urgent", "police", &yes, 1, t + 120, "urgent_response");
  assert_int_equal(cpw_case_get(c, "immediate_danger", &v), 1);
  assert_int_equal(v, 1);
  /* registered with immediate danger: flag_urgent needs to carry nothing */
  c = wf_open(f, WF_NOFIELDS, T0);
  wf_fire(f, c, "register", "social_worker", &yes, 1, T0 + 60, "registered");
  wf_fire(f, c, "flag_urgent", "social_worker", WF_NOFIELDS, T0 + 120, "urgent_response");
  /* ... but the value it carries counts */
  c = wf_open(f, WF_NOFIELDS, T0);
  wf_fire(f, c, "register", "social_worker", &yes, 1, T0 + 60, "registered");
  wf_refuse(f, c, "flag_urgent", "social_worker", &no, 1, T0 + 120, CPW_REFUSED_GUARD,
            "guard failed: immediate_danger is false, but must be true");
  assert_int_equal(cpw_case_get(c, "immediate_danger", &v), 1);
  assert_int_equal(v, 1);
  /* from assessment too */
  c = wf_case_in(f, "assessment", T0, &t);
  wf_refuse(f, c, "flag_urgent", "social_worker", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD,
            "guard failed: immediate_danger is false, but must be true");
  wf_fire(f, c, "flag_urgent", "social_worker", &yes, 1, t + 60, "urgent_response");
}

/* the court's permission (the Code on the Rights of the Child); in an immediate danger a
 * separation before the court decides (test_georgia.c checks the rest) */
static void test_workflow__separate_child_needs_an_order(void **state)
{
  wf_fx *f = *state;
  cpw_field_value court = { "court_order", "true" };
  cpw_field_value restraining = { "restraining_order", "true" };
  cpw_field_value neither[2] = { { "court_order", "false" }, { "restraining_order", "false" } };
  cpw_time t, since;
  int64_t v = -1;
  cpw_case *c = wf_case_in(f, "assessment", T0, &t);
  since = cpw_case_state_since(c);
  wf_refuse(f, c, "separate_child", "social_worker", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD,
            "guard failed: court_order is false, but must be true");
  wf_refuse(f, c, "separate_child", "social_worker", neither, 2, t + 60, CPW_REFUSED_GUARD,
            NULL);
  wf_refuse(f, c, "separate_child", "social_worker", &restraining, 1, t + 60,
            CPW_REFUSED_GUARD, NULL);
  assert_int_equal(cpw_case_get(c, "separated", &v), 1);
  assert_int_equal(v, 0);
  wf_fire(f, c, "separate_child", "social_worker", &court, 1, t + 60, "assessment");
  assert_int_equal(cpw_case_get(c, "separated", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_case_get(c, "court_order", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_case_get(c, "restraining_order", &v), 1);
  assert_int_equal(v, 0);
  assert_int_equal(cpw_case_state_since(c), since); /* it stays in assessment */
  /* in urgent_response (an immediate danger): before the court decides */
  c = wf_case_in(f, "urgent_response", T0, &t);
  wf_fire(f, c, "separate_child", "social_worker", &restraining, 1, t + 60, "urgent_response");
  assert_int_equal(cpw_case_get(c, "separated", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_case_get(c, "court_order", &v), 1);
  assert_int_equal(v, 0);
  assert_int_equal(cpw_case_get(c, "emergency_separation", &v), 1);
  assert_int_equal(v, 1);
}

static void test_workflow__assessment_done_branches(void **state)
{
  wf_fx *f = *state;
  cpw_field_value yes = { "concern_confirmed", "true" }, no = { "concern_confirmed", "false" };
  cpw_field_value empty = { "concern_confirmed", "" }, null_value = { "concern_confirmed", NULL };
  cpw_time t;
  int64_t v = -1;
  char buf[16];
  cpw_case *c = wf_case_in(f, "assessment", T0, &t);
  assert_int_equal(cpw_case_get(c, "concern_confirmed", &v), 0); /* no default */
  assert_int_equal(cpw_case_get_string(c, "concern_confirmed", buf, sizeof buf), 0);
  assert_string_equal(buf, "");
  /* missing: undetermined, and it does not fall through to the transition to closed */
  wf_refuse(f, c, "assessment_done", "social_worker", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD,
            "guard undetermined: concern_confirmed is missing (it must be true)");
  wf_refuse(f, c, "assessment_done", "social_worker", &empty, 1, t + 60, CPW_REFUSED_GUARD,
            "guard undetermined: concern_confirmed is missing (it must be true)");
  wf_refuse(f, c, "assessment_done", "social_worker", &null_value, 1, t + 60,
            CPW_REFUSED_GUARD, "guard undetermined: concern_confirmed is missing (it must be true)");
  wf_fire(f, c, "assessment_done", "social_worker", &yes, 1, t + 60, "case_planning");
  assert_int_equal(cpw_case_get(c, "concern_confirmed", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_case_get_string(c, "concern_confirmed", buf, sizeof buf), 1);
  assert_string_equal(buf, "true");
  c = wf_case_in(f, "assessment", T0, &t);
  wf_fire(f, c, "assessment_done", "social_worker", &no, 1, t + 60, "closed");
  assert_int_equal(cpw_case_get(c, "concern_confirmed", &v), 1);
  assert_int_equal(v, 0);
  assert_int_equal(cpw_case_get_string(c, "concern_confirmed", buf, sizeof buf), 1);
  assert_string_equal(buf, "false");
}

static void test_workflow__services_count(void **state)
{
  wf_fx *f = *state;
  cpw_time t;
  int64_t v = -1;
  char buf[16];
  int i;
  cpw_case *c = wf_case_in(f, "services", T0, &t);
  assert_int_equal(cpw_case_get(c, "active_services", &v), 1);
  assert_int_equal(v, 0);
  wf_refuse(f, c, "end_service", "social_worker", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD,
            "guard failed: active_services is 0, but must be more than 0");
  for (i = 1; i <= 3; i++) {
    wf_fire(f, c, "start_service", "social_worker", WF_NOFIELDS, t + 60 * i, "services");
    assert_int_equal(cpw_case_get(c, "active_services", &v), 1);
    assert_int_equal(v, i);
  }
  wf_fire(f, c, "begin_monitoring", "social_worker", WF_NOFIELDS, t + 300, "monitoring");
  for (i = 2; i >= 0; i--) {
    wf_fire(f, c, "end_service", "social_worker", WF_NOFIELDS, t + 400, "monitoring");
    assert_int_equal(cpw_case_get(c, "active_services", &v), 1);
    assert_int_equal(v, i);
  }
  assert_int_equal(cpw_case_get_string(c, "active_services", buf, sizeof buf), 1);
  assert_string_equal(buf, "0");
  wf_refuse(f, c, "end_service", "social_worker", WF_NOFIELDS, t + 500, CPW_REFUSED_GUARD,
            "guard failed: active_services is 0, but must be more than 0");
  wf_fire(f, c, "start_service", "social_worker", WF_NOFIELDS, t + 600, "monitoring");
  assert_int_equal(cpw_case_get(c, "active_services", &v), 1);
  assert_int_equal(v, 1);
}

static void test_workflow__close_needs_no_active_service(void **state)
{
  wf_fx *f = *state;
  static const char *const from[] = { "services", "monitoring" };
  size_t i;
  for (i = 0; i < WF_LEN(from); i++) {
    cpw_time t;
    cpw_case *c = wf_case_in(f, from[i], T0, &t);
    wf_fire(f, c, "start_service", "social_worker", WF_NOFIELDS, t + 60, from[i]);
    wf_refuse(f, c, "close", "supervisor", WF_NOFIELDS, t + 60, CPW_REFUSED_GUARD,
              "guard failed: active_services is 1, but must be 0");
    wf_fire(f, c, "start_service", "social_worker", WF_NOFIELDS, t + 120, from[i]);
    wf_refuse(f, c, "close", "supervisor", WF_NOFIELDS, t + 180, CPW_REFUSED_GUARD,
              "guard failed: active_services is 2, but must be 0");
    /* the role comes before the guard */
    wf_refuse(f, c, "close", "social_worker", WF_NOFIELDS, t + 180, CPW_REFUSED_ROLE,
              i == 0 ? "role social_worker may not close in state services"
                     : "role social_worker may not close in state monitoring");
    wf_fire(f, c, "end_service", "social_worker", WF_NOFIELDS, t + 240, from[i]);
    wf_fire(f, c, "end_service", "social_worker", WF_NOFIELDS, t + 300, from[i]);
    wf_fire(f, c, "close", "supervisor", WF_NOFIELDS, t + 360, "closed");
  }
}

static void test_workflow__reopen_from_closed_and_screened_out(void **state)
{
  wf_fx *f = *state;
  static const char *const from[] = { "closed", "screened_out" };
  size_t i;
  for (i = 0; i < WF_LEN(from); i++) {
    cpw_time t;
    cpw_deadline dl[2];
    cpw_case *c = wf_case_in(f, from[i], T0, &t);
    assert_int_equal(cpw_case_deadlines(c, dl, 2), 0);
    wf_fire(f, c, "reopen", "intake_officer", WF_NOFIELDS, t + 60, "registered");
    /* the registration deadline starts again: 3 working days, 2 March 2026 -> 3 March is a
     * holiday (Mother's Day) -> 4, 5, 6 March; and the assessment's, 20 working days from
     * the reopening */
    assert_int_equal(cpw_case_deadlines(c, dl, 2), 2);
    assert_string_equal(dl[0].event, "start_assessment");
    assert_int_equal(dl[0].started, t + 60);
    assert_int_equal(dl[0].due, wf_time(2026, 3, 6, 9, 0) + (t + 60 - T0));
    assert_string_equal(dl[1].event, "assessment_done");
    assert_int_equal(dl[1].started, t + 60);
    assert_int_equal(dl[1].due, wf_time(2026, 3, 31, 9, 0) + (t + 60 - T0));
    wf_refuse(f, c, "reopen", "intake_officer", WF_NOFIELDS, t + 60, CPW_REFUSED_NO_TRANSITION,
              "no transition from registered on reopen");
  }
}

static void test_workflow__notify_police_in_any_state(void **state)
{
  wf_fx *f = *state;
  size_t i;
  for (i = 0; i < WF_LEN(nonfinal); i++) {
    cpw_time t, since;
    int64_t v = -1;
    wf_snap before, after;
    cpw_case *c = wf_case_in(f, nonfinal[i], T0, &t);
    assert_int_equal(cpw_case_get(c, "police_notified", &v), 1);
    assert_int_equal(v, 0);
    since = cpw_case_state_since(c);
    wf_take(c, &before);
    wf_fire(f, c, "notify_police", i % 2 ? "social_worker" : "intake_officer", WF_NOFIELDS,
            t + 60, nonfinal[i]);
    wf_take(c, &after);
    assert_int_equal(cpw_case_get(c, "police_notified", &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(cpw_case_state_since(c), since);
    /* a same-state event leaves the deadlines alone */
    assert_int_equal(after.ndl, before.ndl);
    if (before.ndl > 0)
      assert_int_equal(after.dl[0].due, before.dl[0].due);
    /* again: it stays true */
    wf_fire(f, c, "notify_police", "social_worker", WF_NOFIELDS, t + 120, nonfinal[i]);
    assert_int_equal(cpw_case_get(c, "police_notified", &v), 1);
    assert_int_equal(v, 1);
  }
}

static void test_workflow__merged_is_final(void **state)
{
  wf_fx *f = *state;
  cpw_time t;
  size_t e, r;
  const char *names[4];
  char expl[120];
  cpw_case *c = wf_case_in(f, "merged", T0, &t);
  snprintf(expl, sizeof expl, "case %s is in final state merged: no event applies",
           cpw_case_id(c));
  for (e = 0; e < WF_LEN(table); e++)
    for (r = 0; r < WF_LEN(roles); r++)
      wf_refuse(f, c, table[e].event, roles[r], WF_NOFIELDS, t + 60, CPW_REFUSED_FINAL, expl);
  /* with a carried value too */
  {
    cpw_field_value yes = { "immediate_danger", "true" };
    wf_refuse(f, c, "register", "intake_officer", &yes, 1, t + 60, CPW_REFUSED_FINAL, expl);
  }
  for (r = 0; r < WF_LEN(roles); r++)
    assert_int_equal(cpw_case_allowed_events(c, roles[r], names, 4), 0);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
}

static void test_workflow__earlier_event_refused(void **state)
{
  wf_fx *f = *state;
  cpw_time t;
  char expl[200], a[CPW_TIME_BUFSIZE], b[CPW_TIME_BUFSIZE];
  cpw_case *c = wf_case_in(f, "registered", T0, &t);
  snprintf(expl, sizeof expl,
           "event start_assessment at %s is earlier than the case's last event at %s",
           wf_fmt(a, t - 1), wf_fmt(b, t));
  assert_string_equal(expl, "event start_assessment at 2026-03-02T09:00:59+04:00 is earlier "
                            "than the case's last event at 2026-03-02T09:01:00+04:00");
  wf_refuse(f, c, "start_assessment", "social_worker", WF_NOFIELDS, t - 1, CPW_REFUSED_TIME,
            expl);
  /* time is checked before role and transition */
  wf_refuse(f, c, "approve_plan", "court", WF_NOFIELDS, t - WF_DAY, CPW_REFUSED_TIME, NULL);
  /* the same instant is not earlier */
  wf_fire(f, c, "start_assessment", "social_worker", WF_NOFIELDS, t, "assessment");
  /* in a final state an earlier event is refused for its time */
  c = wf_case_in(f, "merged", T0, &t);
  wf_refuse(f, c, "register", "intake_officer", WF_NOFIELDS, t - 60, CPW_REFUSED_TIME, NULL);
  /* a case opened later than the event */
  c = wf_open(f, WF_NOFIELDS, T0);
  wf_refuse(f, c, "register", "intake_officer", WF_NOFIELDS, T0 - 1, CPW_REFUSED_TIME, NULL);
  wf_fire(f, c, "register", "intake_officer", WF_NOFIELDS, T0, "registered");
}

/* ------------------------------------------------------------------ errors */

static void test_workflow__unknown_names_and_bad_values(void **state)
{
  wf_fx *f = *state;
  cpw_time t;
  int64_t v;
  char buf[8];
  cpw_field_value unknown = { "risk", "high" }, not_carried = { "active_services", "3" };
  cpw_field_value bad = { "concern_confirmed", "maybe" }, noname = { NULL, "1" };
  cpw_case *c = wf_case_in(f, "assessment", T0, &t), *other = NULL;
  /* a refusal first: errors keep it */
  wf_refuse(f, c, "approve_plan", "supervisor", WF_NOFIELDS, t, CPW_REFUSED_NO_TRANSITION,
            NULL);
  wf_error(f, c, "approve", "supervisor", WF_NOFIELDS, t + 60, CPW_ENOTFOUND,
           "workflow 'referral' has no event 'approve'");
  wf_error(f, c, "assessment_done", "judge", WF_NOFIELDS, t + 60, CPW_ENOTFOUND,
           "workflow 'referral' has no role 'judge'");
  wf_error(f, c, "assessment_done", "social_worker", &unknown, 1, t + 60, CPW_ENOTFOUND,
           "workflow 'referral' has no field 'risk'");
  wf_error(f, c, "assessment_done", "social_worker", &not_carried, 1, t + 60, CPW_EINVALID,
           "assessment_done does not carry field 'active_services'");
  wf_error(f, c, "assessment_done", "social_worker", &bad, 1, t + 60, CPW_EINVALID, NULL);
  wf_error(f, c, "assessment_done", "social_worker", &noname, 1, t + 60, CPW_EINVALID, NULL);
  wf_error(f, c, "assessment_done", "social_worker", NULL, 1, t + 60, CPW_EINVALID, NULL);
  wf_error(f, c, NULL, "social_worker", WF_NOFIELDS, t + 60, CPW_EINVALID, NULL);
  wf_error(f, c, "assessment_done", NULL, WF_NOFIELDS, t + 60, CPW_EINVALID, NULL);
  /* errors come before refusals: an unknown field on an earlier event */
  wf_error(f, c, "assessment_done", "social_worker", &unknown, 1, t - 60, CPW_ENOTFOUND, NULL);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_NO_TRANSITION);
  assert_string_equal(cpw_case_explain(c), "no transition from assessment on approve_plan");
  /* by index */
  assert_int_equal(cpw_case_apply_index(c, (int)WF_LEN(table), "x", 0, t + 60, NULL, 0),
                   CPW_ENOTFOUND);
  assert_int_equal(cpw_case_apply_index(c, -1, "x", 0, t + 60, NULL, 0), CPW_ENOTFOUND);
  assert_int_equal(cpw_case_apply_index(c, 0, "x", 6, t + 60, NULL, 0), CPW_ENOTFOUND);
  assert_int_equal(cpw_case_apply_index(c, 0, "x", -1, t + 60, NULL, 0), CPW_ENOTFOUND);
  assert_string_equal(cpw_case_state(c), "assessment");
  assert_int_equal(cpw_case_apply_index(NULL, 0, "x", 0, t, NULL, 0), CPW_EINVALID);
  assert_int_equal(cpw_case_apply(NULL, "register", "x", "reporter", t, NULL, 0),
                   CPW_EINVALID);
  assert_int_equal(
    cpw_case_apply_index(c, cpw_workflow_event_index(f->wf, "assessment_done"), "x",
                         cpw_workflow_role_index(f->wf, "social_worker"), t + 60,
                         (const cpw_field_value[]){ { "concern_confirmed", "true" } }, 1),
    CPW_OK);
  assert_string_equal(cpw_case_state(c), "case_planning");
  /* reading fields */
  assert_int_equal(cpw_case_get(c, "risk", &v), CPW_ENOTFOUND);
  assert_int_equal(cpw_case_get_string(c, "risk", buf, sizeof buf), CPW_ENOTFOUND);
  assert_int_equal(cpw_case_get(c, NULL, &v), CPW_EINVALID);
  assert_int_equal(cpw_case_get(NULL, "separated", &v), CPW_EINVALID);
  assert_int_equal(cpw_case_get(c, "separated", NULL), 1);
  assert_int_equal(cpw_case_get_string(c, "separated", buf, 0), CPW_EINVALID);
  /* opening */
  assert_int_equal(cpw_caseload_open(f->cl, &other, "x1", "adoption", NULL, 0, t, "a",
                                     "reporter"), CPW_ENOTFOUND);
  assert_null(other);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, "no workflow named 'adoption'");
  assert_int_equal(cpw_caseload_open(f->cl, &other, "x1", "referral", NULL, 0, t, "a",
                                     "judge"), CPW_ENOTFOUND);
  assert_int_equal(cpw_caseload_open(f->cl, &other, "x1", "referral", &unknown, 1, t, "a",
                                     "reporter"), CPW_ENOTFOUND);
  assert_int_equal(cpw_caseload_open(f->cl, &other, "x1", "referral", &bad, 1, t, "a",
                                     "reporter"), CPW_EINVALID);
  assert_int_equal(cpw_caseload_open(f->cl, &other, "", "referral", NULL, 0, t, "a",
                                     "reporter"), CPW_EINVALID);
  assert_int_equal(cpw_caseload_open(f->cl, &other, NULL, "referral", NULL, 0, t, "a",
                                     "reporter"), CPW_EINVALID);
  assert_int_equal(cpw_caseload_open(f->cl, &other, cpw_case_id(c), "referral", NULL, 0, t,
                                     "a", "reporter"), CPW_EEXISTS);
  assert_null(other);
  assert_int_equal(cpw_caseload_case_count(f->cl), 1);
  assert_null(cpw_caseload_find(f->cl, "x1"));
  assert_ptr_equal(cpw_caseload_find(f->cl, cpw_case_id(c)), c);
  assert_int_equal(cpw_caseload_count(f->cl, "referral", "nowhere"), CPW_ENOTFOUND);
  assert_int_equal(cpw_caseload_count(f->cl, "adoption", "closed"), CPW_ENOTFOUND);
  assert_int_equal(cpw_caseload_count(f->cl, "referral", "case_planning"), 1);
}

/* ------------------------------------------------------------------ allowed events */

static void expect_allowed(const cpw_case *c, const char *role, const char *expected)
{
  const char *names[16];
  char got[400] = "";
  size_t n = cpw_case_allowed_events(c, role, names, 16), i;
  assert_true(n <= 16);
  for (i = 0; i < n; i++)
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? ", " : "", names[i]);
  if (strcmp(got, expected) != 0)
    fail_msg("allowed events of %s in %s: '%s', expected '%s'", role, cpw_case_state(c), got,
             expected);
  assert_int_equal(cpw_case_allowed_events(c, role, NULL, 0), n);
}

static void test_workflow__allowed_events(void **state)
{
  wf_fx *f = *state;
  static const struct {
    const char *state, *role, *events;
  } cases[] = {
    { "notified", "reporter", "" },
    { "notified", "intake_officer", "register, merge, notify_police" },
    { "notified", "social_worker", "register, notify_police, apply_to_court, follow_up, "
                                   "record_restraining_order" },
    { "notified", "supervisor", "merge, deadline_missed" },
    { "notified", "police", "record_restraining_order" },
    { "notified", "court", "court_decision" },
    { "registered", "reporter", "" },
    { "registered", "intake_officer", "merge, notify_police" },
    /* flag_urgent carries immediate_danger: listed although the case's value is false */
    /* separate_child carries court_order: listed although the case's value is false */
    { "registered", "social_worker", "flag_urgent, separate_child, start_assessment, "
                                     "notify_police, apply_to_court, follow_up, "
                                     "record_restraining_order" },
    { "registered", "supervisor", "merge, screen_out, deadline_missed" },
    { "registered", "police", "flag_urgent, record_restraining_order" },
    { "registered", "court", "court_decision" },
    { "urgent_response", "social_worker", "separate_child, start_assessment, notify_police, "
                                          "apply_to_court, follow_up, "
                                          "record_restraining_order" },
    { "urgent_response", "intake_officer", "notify_police" },
    { "urgent_response", "supervisor", "deadline_missed" },
    { "urgent_response", "police", "record_restraining_order" },
    { "assessment", "social_worker", "flag_urgent, separate_child, assessment_done, "
                                     "notify_police, apply_to_court, follow_up, "
                                     "record_restraining_order" },
    { "assessment", "police", "flag_urgent, record_restraining_order" },
    { "assessment", "supervisor", "deadline_missed" },
    { "case_planning", "supervisor", "approve_plan, deadline_missed" },
    { "case_planning", "social_worker", "separate_child, notify_police, apply_to_court, "
                                        "follow_up, record_restraining_order" },
    /* end_service does not carry active_services: left out at 0 */
    { "services", "social_worker", "separate_child, notify_police, start_service, "
                                   "begin_monitoring, apply_to_court, follow_up, "
                                   "record_restraining_order" },
    { "services", "supervisor", "close, deadline_missed" },
    { "services+1", "social_worker",
      "separate_child, notify_police, start_service, end_service, begin_monitoring, "
      "apply_to_court, follow_up, record_restraining_order" },
    { "services+1", "supervisor", "deadline_missed" },
    { "monitoring", "supervisor", "close, deadline_missed" },
    { "monitoring+1", "social_worker", "separate_child, notify_police, start_service, "
                                       "end_service, review, apply_to_court, follow_up, "
                                       "record_restraining_order" },
    { "monitoring+1", "supervisor", "deadline_missed" },
    { "closed", "intake_officer", "notify_police, reopen" },
    { "closed", "social_worker", "notify_police, apply_to_court, follow_up, "
                                 "record_restraining_order" },
    { "closed", "supervisor", "deadline_missed" },
    { "screened_out", "intake_officer", "notify_police, reopen" },
    { "merged", "intake_officer", "" },
    { "merged", "supervisor", "" },
  };
  size_t i;
  const char *one[1];
  cpw_time t;
  cpw_case *c;
  for (i = 0; i < WF_LEN(cases); i++) {
    c = wf_case_in(f, cases[i].state, T0, &t);
    expect_allowed(c, cases[i].role, cases[i].events);
  }
  /* max smaller than the count: the first ones, and the count */
  c = wf_case_in(f, "registered", T0, &t);
  assert_int_equal(cpw_case_allowed_events(c, "social_worker", one, 1), 7);
  assert_string_equal(one[0], "flag_urgent");
  assert_int_equal(cpw_case_allowed_events(c, "judge", one, 1), 0);
  assert_int_equal(cpw_case_allowed_events(c, NULL, one, 1), 0);
  assert_int_equal(cpw_case_allowed_events(NULL, "social_worker", one, 1), 0);
  /* listed, yet refused for the value the event brings (or does not bring) */
  wf_refuse(f, c, "flag_urgent", "police", WF_NOFIELDS, t, CPW_REFUSED_GUARD, NULL);
  /* an event left out is refused */
  c = wf_case_in(f, "services", T0, &t);
  wf_refuse(f, c, "end_service", "social_worker", WF_NOFIELDS, t, CPW_REFUSED_GUARD, NULL);
  /* with immediate danger known, listing does not depend on it */
  {
    cpw_field_value yes = { "immediate_danger", "true" };
    c = wf_open(f, &yes, 1, T0);
    wf_fire(f, c, "register", "intake_officer", WF_NOFIELDS, T0 + 60, "registered");
    expect_allowed(c, "police", "flag_urgent, record_restraining_order");
  }
}

/* ------------------------------------------------------------------ explanations, cases */

static void test_workflow__explanation_belongs_to_last_refusal(void **state)
{
  wf_fx *f = *state;
  cpw_time t = T0 + WF_HOUR;
  cpw_case *a = wf_case_in(f, "services+1", T0, NULL);
  cpw_case *b = wf_case_in(f, "registered", T0, NULL);
  wf_refuse(f, a, "close", "supervisor", WF_NOFIELDS, t, CPW_REFUSED_GUARD,
            "guard failed: active_services is 1, but must be 0");
  /* an accepted event of another case keeps a's explanation */
  wf_fire(f, b, "notify_police", "social_worker", WF_NOFIELDS, t + 60, "registered");
  assert_string_equal(cpw_case_explain(a),
                      "guard failed: active_services is 1, but must be 0");
  /* a refusal of another case replaces it; a's reason stays */
  wf_refuse(f, b, "close", "supervisor", WF_NOFIELDS, t + 60, CPW_REFUSED_NO_TRANSITION,
            "no transition from registered on close");
  assert_string_equal(cpw_case_explain(a), "");
  assert_int_equal(cpw_case_refusal(a), CPW_REFUSED_GUARD);
  /* an accepted event clears the case's own */
  wf_fire(f, b, "start_assessment", "social_worker", WF_NOFIELDS, t + 120, "assessment");
  assert_int_equal(cpw_case_refusal(b), CPW_ACCEPTED);
  assert_string_equal(cpw_case_explain(b), "");
  assert_string_equal(cpw_case_explain(NULL), "");
  assert_int_equal(cpw_case_refusal(NULL), CPW_ACCEPTED);
}

static void test_workflow__open_and_counts(void **state)
{
  wf_fx *f = *state;
  cpw_field_value fields[2] = { { "immediate_danger", "true" }, { "active_services", "2" } };
  cpw_case *c = wf_open(f, fields, 2, T0), *d;
  int64_t v = -1;
  char buf[40];
  size_t i;
  assert_int_equal(cpw_case_event_count(c), 1);
  assert_int_equal(cpw_case_last_time(c), T0);
  assert_int_equal(cpw_case_state_since(c), T0);
  assert_int_equal(cpw_case_state_index(c), 0);
  assert_ptr_equal(cpw_case_workflow(c), f->wf);
  assert_int_equal(cpw_case_refusal(c), CPW_ACCEPTED);
  assert_int_equal(cpw_case_get(c, "immediate_danger", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_case_get(c, "active_services", &v), 1);
  assert_int_equal(v, 2);
  assert_int_equal(cpw_case_get(c, "escalations", &v), 1);   /* default 0 */
  assert_int_equal(v, 0);
  assert_int_equal(cpw_case_get(c, "last_review", &v), 0);   /* no default */
  assert_int_equal(cpw_case_get_string(c, "last_review", buf, sizeof buf), 0);
  assert_ptr_equal(cpw_caseload_policy(f->cl), f->pol);
  assert_ptr_equal(cpw_caseload_case_at(f->cl, 0), c);
  assert_null(cpw_caseload_case_at(f->cl, 1));
  /* counts move with the cases */
  d = wf_case_in(f, "services", T0, NULL);
  assert_int_equal(cpw_caseload_count(f->cl, "referral", "notified"), 1);
  assert_int_equal(cpw_caseload_count(f->cl, "referral", "services"), 1);
  wf_fire(f, c, "register", "intake_officer", WF_NOFIELDS, T0 + 60, "registered");
  wf_fire(f, d, "close", "supervisor", WF_NOFIELDS, T0 + WF_DAY, "closed");
  for (i = 0; i < cpw_workflow_state_count(f->wf); i++) {
    const char *s = cpw_workflow_state(f->wf, i);
    int64_t want = strcmp(s, "registered") == 0 || strcmp(s, "closed") == 0;
    assert_int_equal(cpw_caseload_count(f->cl, "referral", s), want);
  }
  assert_int_equal(cpw_caseload_count(f->cl, "trafficking_status", "referred"), 0);
  assert_true(cpw_caseload_memory(f->cl) > 0);
  /* review records the day in Tbilisi: 31 March 22:30 UTC is 1 April 02:30 there */
  {
    cpw_time t;
    cpw_case *m = wf_case_in(f, "monitoring", T0, &t);
    cpw_time late;
    assert_int_equal(cpw_time_parse(&late, f->ctx, "2026-03-31T22:30:00Z", 20), CPW_OK);
    wf_fire(f, m, "review", "social_worker", WF_NOFIELDS, late, "monitoring");
    assert_int_equal(cpw_case_get_string(m, "last_review", buf, sizeof buf), 1);
    assert_string_equal(buf, "2026-04-01");
    /* what review carries is overwritten by its own update */
    {
      cpw_field_value lr = { "last_review", "2020-01-01" };
      wf_fire(f, m, "review", "social_worker", &lr, 1, late + 60, "monitoring");
      assert_int_equal(cpw_case_get_string(m, "last_review", buf, sizeof buf), 1);
      assert_string_equal(buf, "2026-04-01");
    }
    wf_fire(f, m, "deadline_missed", "supervisor", WF_NOFIELDS, late + 120, "monitoring");
    assert_int_equal(cpw_case_get(m, "escalations", &v), 1);
    assert_int_equal(v, 1);
  }
}

static void test_workflow__trafficking_status(void **state)
{
  wf_fx *f = *state;
  static const char *const tr_roles[] = { "social_worker", "permanent_group", "supervisor" };
  static const struct {
    const char *event, *to, *allowed;
  } tr[] = {
    { "grant", "granted", "permanent_group" },
    { "refuse", "refused", "permanent_group" },
    { "decision_overdue", "referred", "supervisor" },
  };
  size_t e, r;
  unsigned n = 0;
  for (e = 0; e < WF_LEN(tr); e++)
    for (r = 0; r < WF_LEN(tr_roles); r++) {
      char id[16], expl[120];
      cpw_case *c = NULL;
      snprintf(id, sizeof id, "tip-%u", n++);
      assert_int_equal(cpw_caseload_open(f->cl, &c, id, "trafficking_status", NULL, 0, T0,
                                         "x", "social_worker"), CPW_OK);
      assert_string_equal(cpw_case_state(c), "referred");
      if (wf_in_list(tr[e].allowed, tr_roles[r])) {
        wf_fire(f, c, tr[e].event, tr_roles[r], WF_NOFIELDS, T0 + WF_HOUR, tr[e].to);
        if (strcmp(tr[e].to, "referred") != 0) {
          snprintf(expl, sizeof expl, "case %s is in final state %s: no event applies", id,
                   tr[e].to);
          wf_refuse(f, c, "grant", "permanent_group", WF_NOFIELDS, T0 + 2 * WF_HOUR,
                    CPW_REFUSED_FINAL, expl);
        }
      } else {
        snprintf(expl, sizeof expl, "role %s may not %s in state referred", tr_roles[r],
                 tr[e].event);
        wf_refuse(f, c, tr[e].event, tr_roles[r], WF_NOFIELDS, T0 + WF_HOUR, CPW_REFUSED_ROLE,
                  expl);
      }
    }
  {
    cpw_case *c = cpw_caseload_find(f->cl, "tip-0");
    wf_error(f, c, "register", "social_worker", WF_NOFIELDS, T0 + WF_DAY, CPW_ENOTFOUND,
             "workflow 'trafficking_status' has no event 'register'");
    wf_error(f, c, "grant", "intake_officer", WF_NOFIELDS, T0 + WF_DAY, CPW_ENOTFOUND, NULL);
  }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(test_workflow__##name, wf_setup, wf_teardown)
  const struct CMUnitTest tests[] = {
    T(declared),
    T(register),
    T(merge),
    T(screen_out),
    T(flag_urgent),
    T(separate_child),
    T(events_of_every_open_state),
    T(closure_review),
    T(start_assessment),
    T(assessment_done_confirmed),
    T(assessment_done_unconfirmed),
    T(notify_police),
    T(approve_plan),
    T(start_service),
    T(end_service),
    T(begin_monitoring),
    T(review),
    T(close),
    T(reopen),
    T(deadline_missed),
    T(no_transition),
    T(flag_urgent_needs_immediate_danger),
    T(separate_child_needs_an_order),
    T(assessment_done_branches),
    T(services_count),
    T(close_needs_no_active_service),
    T(reopen_from_closed_and_screened_out),
    T(notify_police_in_any_state),
    T(merged_is_final),
    T(earlier_event_refused),
    T(unknown_names_and_bad_values),
    T(allowed_events),
    T(explanation_belongs_to_last_refusal),
    T(open_and_counts),
    T(trafficking_status),
  };
#undef T
  return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
