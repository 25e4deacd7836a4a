/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/wfhelp.h: helpers for the workflow tests (cmocka): a fixture with Georgia's
 * default policy and a caseload on the checking allocator, local times in Georgia, cases
 * brought to a state of the referral workflow, snapshots of a case, and "fires" / "is
 * refused" assertions that check a refusal changed nothing.
 *
 * Header-only (static inline) so that each test file takes what it uses. */
#ifndef CPW_WFHELP_H
#define CPW_WFHELP_H

#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpw.h"
#include "testalloc.h"

#define WF_TZ 240   /* Georgia: UTC+4 */
#define WF_LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct wf_fx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  const cpw_workflow *wf;   /* referral */
  cpw_caseload *cl;
  unsigned serial;          /* for case ids */
} wf_fx;

static inline int wf_setup(void **state)
{
  wf_fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  assert_non_null(f->ctx);
  assert_int_equal(cpw_policy_default(&f->pol, f->ctx), CPW_OK);
  f->wf = cpw_policy_workflow(f->pol, "referral");
  assert_non_null(f->wf);
  assert_int_equal(cpw_caseload_new(&f->cl, f->ctx, f->pol), CPW_OK);
  *state = f;
  return 0;
}

static inline int wf_teardown(void **state)
{
  wf_fx *f = *state;
  cpw_caseload_free(f->cl);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  free(f);
  return 0;
}

/* y-m-d h:mi local time in Georgia */
static inline cpw_time wf_time(int y, int mo, int d, int h, int mi)
{
  cpw_date date;
  cpw_time t;
  assert_int_equal(cpw_date_from_ymd(&date, y, mo, d), CPW_OK);
  assert_int_equal(cpw_time_from_date(&t, date, h, mi, 0, WF_TZ), CPW_OK);
  return t;
}

static inline const char *wf_fmt(char *buf, cpw_time t)
{
  if (cpw_time_format(buf, CPW_TIME_BUFSIZE, t, WF_TZ) != CPW_OK)
    snprintf(buf, CPW_TIME_BUFSIZE, "%lld", (long long)t);
  return buf;
}

#define WF_HOUR ((cpw_time)3600)
#define WF_DAY ((cpw_time)86400)

/* ------------------------------------------------------------------ snapshots */
#define WF_MAX_FIELDS 32
#define WF_MAX_DL 8
#define WF_MAX_STATES 16

typedef struct wf_snap {
  char state[64];
  int state_index;
  cpw_time since, last;
  uint64_t nevents;
  size_t nfields;
  int known[WF_MAX_FIELDS];
  int64_t vals[WF_MAX_FIELDS];
  char text[WF_MAX_FIELDS][64];
  size_t ndl;
  cpw_deadline dl[WF_MAX_DL];
  size_t nstates;
  int64_t counts[WF_MAX_STATES];   /* the caseload's count of each state of the workflow */
} wf_snap;

static inline void wf_take(const cpw_case *c, wf_snap *s)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  size_t i;
  memset(s, 0, sizeof *s);
  snprintf(s->state, sizeof s->state, "%s", cpw_case_state(c));
  s->state_index = cpw_case_state_index(c);
  s->since = cpw_case_state_since(c);
  s->last = cpw_case_last_time(c);
  s->nevents = cpw_case_event_count(c);
  s->nfields = cpw_workflow_field_count(wf);
  assert_true(s->nfields <= WF_MAX_FIELDS);
  for (i = 0; i < s->nfields; i++) {
    const char *name = cpw_workflow_field(wf, i);
    s->known[i] = cpw_case_get(c, name, &s->vals[i]);
    assert_true(s->known[i] == 0 || s->known[i] == 1);
    assert_int_equal(cpw_case_get_string(c, name, s->text[i], sizeof s->text[i]), s->known[i]);
  }
  s->ndl = cpw_case_deadlines(c, s->dl, WF_MAX_DL);
  assert_true(s->ndl <= WF_MAX_DL);
}

/* with the caseload's counts by state */
static inline void wf_take_all(const cpw_caseload *cl, const cpw_case *c, wf_snap *s)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  size_t i;
  wf_take(c, s);
  s->nstates = cpw_workflow_state_count(wf);
  assert_true(s->nstates <= WF_MAX_STATES);
  for (i = 0; i < s->nstates; i++)
    s->counts[i] = cpw_caseload_count(cl, cpw_workflow_name(wf), cpw_workflow_state(wf, i));
}

static inline void wf_assert_same(const wf_snap *a, const wf_snap *b, const char *what)
{
  size_t i;
  if (strcmp(a->state, b->state) != 0 || a->state_index != b->state_index)
    fail_msg("%s: state %s became %s", what, a->state, b->state);
  if (a->since != b->since || a->last != b->last)
    fail_msg("%s: the times changed", what);
  if (a->nevents != b->nevents)
    fail_msg("%s: event count %llu became %llu", what, (unsigned long long)a->nevents,
             (unsigned long long)b->nevents);
  for (i = 0; i < a->nfields; i++)
    if (a->known[i] != b->known[i] || (a->known[i] && a->vals[i] != b->vals[i]) ||
        strcmp(a->text[i], b->text[i]) != 0)
      fail_msg("%s: field %zu changed ('%s' became '%s')", what, i, a->text[i], b->text[i]);
  if (a->ndl != b->ndl)
    fail_msg("%s: %zu deadlines became %zu", what, a->ndl, b->ndl);
  for (i = 0; i < a->ndl; i++)
    if (a->dl[i].due != b->dl[i].due || a->dl[i].started != b->dl[i].started ||
        strcmp(a->dl[i].event, b->dl[i].event) != 0 || a->dl[i].c != b->dl[i].c ||
        strcmp(a->dl[i].escalation, b->dl[i].escalation) != 0 ||
        strcmp(a->dl[i].role, b->dl[i].role) != 0 ||
        strcmp(a->dl[i].case_id, b->dl[i].case_id) != 0)
      fail_msg("%s: deadline %zu changed", what, i);
  for (i = 0; i < a->nstates; i++)
    if (a->counts[i] != b->counts[i])
      fail_msg("%s: the caseload's count of state %zu changed", what, i);
}

/* ------------------------------------------------------------------ events */
#define WF_NOFIELDS NULL, 0

/* Apply and expect acceptance into `to`; returns nothing, fails the test otherwise. */
static inline void wf_fire(wf_fx *f, cpw_case *c, const char *event, const char *role,
                           const cpw_field_value *fv, size_t n, cpw_time at, const char *to)
{
  wf_snap before;
  int rc;
  wf_take(c, &before);
  rc = cpw_case_apply(c, event, "tester", role, at, fv, n);
  if (rc != CPW_OK)
    fail_msg("%s by %s in %s: refused (%d, %s): %s", event, role, before.state, rc,
             cpw_refusal_name(cpw_case_refusal(c)),
             rc == CPW_EDENIED ? cpw_case_explain(c) : cpw_ctx_last_error(f->ctx)->message);
  assert_string_equal(cpw_case_state(c), to);
  assert_int_equal(cpw_case_refusal(c), CPW_ACCEPTED);
  assert_string_equal(cpw_case_explain(c), "");
  assert_int_equal(cpw_case_event_count(c), before.nevents + 1);
  assert_int_equal(cpw_case_last_time(c), at);
  if (strcmp(before.state, to) == 0)
    assert_int_equal(cpw_case_state_since(c), before.since);
  else
    assert_int_equal(cpw_case_state_since(c), at);
}

/* Apply and expect a refusal for `reason` with `explanation` (NULL: not checked), leaving the
 * case and the caseload's counts as they were. */
static inline void wf_refuse(wf_fx *f, cpw_case *c, const char *event, const char *role,
                             const cpw_field_value *fv, size_t n, cpw_time at, int reason,
                             const char *explanation)
{
  wf_snap before, after;
  int rc;
  char what[160];
  wf_take_all(f->cl, c, &before);
  rc = cpw_case_apply(c, event, "tester", role, at, fv, n);
  snprintf(what, sizeof what, "%s by %s in %s", event, role, before.state);
  if (rc != CPW_EDENIED)
    fail_msg("%s: expected a refusal (%s), got %d (%s)", what, cpw_refusal_name(reason), rc,
             cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EDENIED);
  if (cpw_case_refusal(c) != reason)
    fail_msg("%s: refused for %s, expected %s (%s)", what,
             cpw_refusal_name(cpw_case_refusal(c)), cpw_refusal_name(reason),
             cpw_case_explain(c));
  if (explanation != NULL)
    assert_string_equal(cpw_case_explain(c), explanation);
  else
    assert_true(cpw_case_explain(c)[0] != '\0');
  wf_take_all(f->cl, c, &after);
  wf_assert_same(&before, &after, what);
}

/* Apply and expect an error `code` (not a refusal): nothing changes, the last refusal too. */
static inline void wf_error(wf_fx *f, cpw_case *c, const char *event, const char *role,
                            const cpw_field_value *fv, size_t n, cpw_time at, int code,
                            const char *message)
{
  wf_snap before, after;
  int refusal = cpw_case_refusal(c), rc;
  wf_take_all(f->cl, c, &before);
  rc = cpw_case_apply(c, event, "tester", role, at, fv, n);
  if (rc != code)
    fail_msg("%s by %s: expected status %d, got %d (%s)", event ? event : "(null)",
             role ? role : "(null)", code, rc, cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->code, code);
  if (message != NULL)
    assert_string_equal(cpw_ctx_last_error(f->ctx)->message, message);
  assert_int_equal(cpw_case_refusal(c), refusal);
  wf_take_all(f->cl, c, &after);
  wf_assert_same(&before, &after, "an error");
}

/* ------------------------------------------------------------------ cases */

/* Open a referral case at `at` (id "case-N"). */
static inline cpw_case *wf_open(wf_fx *f, const cpw_field_value *fv, size_t n, cpw_time at)
{
  char id[32];
  cpw_case *c = NULL;
  snprintf(id, sizeof id, "case-%u", f->serial++);
  if (cpw_caseload_open(f->cl, &c, id, "referral", fv, n, at, "tester", "reporter") != CPW_OK)
    fail_msg("open: %s", cpw_ctx_last_error(f->ctx)->message);
  assert_non_null(c);
  assert_string_equal(cpw_case_state(c), "notified");
  return c;
}

typedef struct wf_step {
  const char *event, *role, *field, *value;
} wf_step;

/* A new referral case brought to `state` along a fixed path, one minute per step from `at`;
 * *end (may be NULL) receives the time of the last step. State names: those of the workflow,
 * and "services+1" / "monitoring+1" for one service running. */
static inline cpw_case *wf_case_in(wf_fx *f, const char *state, cpw_time at, cpw_time *end)
{
  static const wf_step reg = { "register", "intake_officer", NULL, NULL };
  static const wf_step reg_urgent = { "register", "intake_officer", "immediate_danger",
                                      "true" };
  static const wf_step urgent = { "flag_urgent", "social_worker", NULL, NULL };
  static const wf_step assess = { "start_assessment", "social_worker", NULL, NULL };
  static const wf_step confirmed = { "assessment_done", "social_worker", "concern_confirmed",
                                     "true" };
  static const wf_step unconfirmed = { "assessment_done", "social_worker",
                                       "concern_confirmed", "false" };
  static const wf_step plan = { "approve_plan", "supervisor", NULL, NULL };
  static const wf_step monitor = { "begin_monitoring", "social_worker", NULL, NULL };
  static const wf_step service = { "start_service", "social_worker", NULL, NULL };
  static const wf_step screen = { "screen_out", "supervisor", NULL, NULL };
  static const wf_step close_no_concern = { "close", "supervisor", "closure_reason",
                                            "no_concern" };
  static const wf_step merge = { "merge", "intake_officer", NULL, NULL };
  static const struct {
    const char *name, *final;
    const wf_step *steps[6];
  } paths[] = {
    { "notified", "notified", { NULL } },
    { "registered", "registered", { &reg } },
    { "urgent_response", "urgent_response", { &reg_urgent, &urgent } },
    { "assessment", "assessment", { &reg, &assess } },
    { "case_planning", "case_planning", { &reg, &assess, &confirmed } },
    { "services", "services", { &reg, &assess, &confirmed, &plan } },
    { "services+1", "services", { &reg, &assess, &confirmed, &plan, &service } },
    { "monitoring", "monitoring", { &reg, &assess, &confirmed, &plan, &monitor } },
    { "monitoring+1", "monitoring", { &reg, &assess, &confirmed, &plan, &monitor, &service } },
    /* before closure_rules_from (2026-12-01): the assessment closes the case (policy
     * 2026.1); from it, the supervisor closes it with a reason */
    { "closed", "closed", { &reg, &assess, &unconfirmed } },
    { "closure_review", "closure_review", { &reg, &assess, &unconfirmed } },
    { "closed_with_reason", "closed", { &reg, &assess, &unconfirmed, &close_no_concern } },
    { "screened_out", "screened_out", { &reg, &screen } },
    { "merged", "merged", { &merge } },
  };
  size_t i, k;
  if (end != NULL)
    *end = at;
  for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
    if (strcmp(paths[i].name, state) == 0) {
      cpw_case *c = wf_open(f, WF_NOFIELDS, at);
      for (k = 0; k < 6 && paths[i].steps[k] != NULL; k++) {
        const wf_step *s = paths[i].steps[k];
        cpw_field_value fv;
        int rc;
        fv.field = s->field;
        fv.value = s->value;
        at += 60;
        rc = cpw_case_apply(c, s->event, "tester", s->role, at, s->field ? &fv : NULL,
                            s->field ? 1 : 0);
        if (rc != CPW_OK)
          fail_msg("bringing a case to %s: %s refused: %s", state, s->event,
                   cpw_case_explain(c));
      }
      assert_string_equal(cpw_case_state(c), paths[i].final);
      if (end != NULL)
        *end = at;
      return c;
    }
  fail_msg("no path to state %s", state);
  return NULL;
}

/* "a, b, c" contains "b" */
static inline int wf_in_list(const char *list, const char *name)
{
  size_t n = strlen(name);
  const char *p = list;
  while ((p = strstr(p, name)) != NULL) {
    int start = p == list || p[-1] == ' ' || p[-1] == ',';
    int end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
    if (start && end)
      return 1;
    p += n;
  }
  return 0;
}

#endif
