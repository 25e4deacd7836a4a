/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failures in the workflow runtime: every allocation of each scenario fails in turn
 * (once, then from there on), and the scenario must end with CPW_ENOMEM (or CPW_OK) and free
 * everything (cpw_oom_run). After each failure the call must have changed nothing (a snapshot
 * of the case, or the caseload's cases and counts, is compared) and the objects stay usable:
 * the failed call is tried once more, which succeeds when only one allocation fails, and the
 * scenario goes on from there.
 *
 * Scenarios: creating caseloads, opening cases (past the first chunk of 4096 cases, so that
 * the case index, chunks and deadline queue grow), accepted events that start, restart and
 * clear deadlines, refused events (role, no transition, time, final, guard) with their
 * explanations, cpw_case_explain of a guard refusal, deadline queries, allowed events,
 * diagrams, and compiling a small workflow and running cases on it. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "cpw.h"
#include "testalloc.h"

static cpw_policy *georgia;   /* compiled once, outside the failing allocator */

typedef struct run {
  cpw_ctx *ctx;
  cpw_caseload *cl;
  int oom;                    /* an allocation failed somewhere (then: CPW_ENOMEM) */
} run;

static cpw_time T0;

/* ------------------------------------------------------------------ snapshots */
typedef struct snap {
  int state;
  cpw_time since, last;
  uint64_t nevents;
  int known[16];
  int64_t vals[16];
  size_t ndl;
  cpw_deadline dl[4];
  int refusal;
} snap;

static void take(const cpw_case *c, snap *s)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  size_t i;
  memset(s, 0, sizeof *s);
  s->state = cpw_case_state_index(c);
  s->since = cpw_case_state_since(c);
  s->last = cpw_case_last_time(c);
  s->nevents = cpw_case_event_count(c);
  for (i = 0; i < cpw_workflow_field_count(wf) && i < 16; i++)
    s->known[i] = cpw_case_get(c, cpw_workflow_field(wf, i), &s->vals[i]);
  s->ndl = cpw_case_deadlines(c, s->dl, 4);
  s->refusal = cpw_case_refusal(c);
}

static void same(const snap *a, const snap *b)
{
  size_t i;
  assert_int_equal(a->state, b->state);
  assert_int_equal(a->since, b->since);
  assert_int_equal(a->last, b->last);
  assert_int_equal(a->nevents, b->nevents);
  for (i = 0; i < 16; i++) {
    assert_int_equal(a->known[i], b->known[i]);
    if (a->known[i] == 1)
      assert_int_equal(a->vals[i], b->vals[i]);
  }
  assert_int_equal(a->ndl, b->ndl);
  for (i = 0; i < a->ndl; i++) {
    assert_int_equal(a->dl[i].due, b->dl[i].due);
    assert_string_equal(a->dl[i].event, b->dl[i].event);
  }
  assert_int_equal(a->refusal, b->refusal);
}

/* ------------------------------------------------------------------ steps
 * Each returns CPW_OK to go on, or CPW_ENOMEM when the call failed twice (the scenario then
 * frees what it has and returns). */

static int step_new(run *r, const cpw_policy *pol)
{
  int k;
  for (k = 0; k < 2; k++) {
    int rc = cpw_caseload_new(&r->cl, r->ctx, pol);
    if (rc == CPW_OK)
      return CPW_OK;
    assert_int_equal(rc, CPW_ENOMEM);
    assert_null(r->cl);
    r->oom = 1;
  }
  return CPW_ENOMEM;
}

static int step_open(run *r, cpw_case **out, const char *id, const char *workflow,
                     const cpw_field_value *fv, size_t n, cpw_time at)
{
  const char *role = strcmp(workflow, "request") == 0 ? "clerk" : "social_worker";
  int k;
  for (k = 0; k < 2; k++) {
    size_t before = cpw_caseload_case_count(r->cl);
    int rc = cpw_caseload_open(r->cl, out, id, workflow, fv, n, at, "oom", role);
    if (rc == CPW_OK) {
      assert_non_null(*out);
      assert_ptr_equal(cpw_caseload_find(r->cl, id), *out);
      return CPW_OK;
    }
    assert_int_equal(rc, CPW_ENOMEM);
    assert_int_equal(cpw_ctx_last_error(r->ctx)->code, CPW_ENOMEM);
    assert_null(*out);
    assert_int_equal(cpw_caseload_case_count(r->cl), before);
    assert_null(cpw_caseload_find(r->cl, id));
    r->oom = 1;
  }
  return CPW_ENOMEM;
}

/* Apply; expect `want` (CPW_OK or CPW_EDENIED with `reason` and `explanation`). A guard's
 * explanation may be cut to its short form when its memory fails. */
static int step_apply(run *r, cpw_case *c, const char *event, const char *role,
                      const cpw_field_value *fv, size_t n, cpw_time at, int want, int reason,
                      const char *explanation)
{
  int k;
  for (k = 0; k < 2; k++) {
    snap before, after;
    int rc;
    take(c, &before);
    rc = cpw_case_apply(c, event, "oom", role, at, fv, n);
    if (rc == CPW_ENOMEM) {
      take(c, &after);
      same(&before, &after);
      assert_int_equal(cpw_ctx_last_error(r->ctx)->code, CPW_ENOMEM);
      r->oom = 1;
      continue;
    }
    if (rc != want)
      fail_msg("%s by %s: status %d, expected %d (%s)", event, role, rc, want,
               cpw_ctx_last_error(r->ctx)->message);
    if (rc == CPW_EDENIED) {
      const char *e = cpw_case_explain(c);
      take(c, &after);
      before.refusal = reason;
      same(&before, &after);
      if (strcmp(e, explanation) != 0) {
        /* only a guard's explanation is built when asked, and it may fall short */
        assert_int_equal(reason, CPW_REFUSED_GUARD);
        if (strcmp(e, "guard failed") != 0 && strcmp(e, "guard undetermined") != 0)
          fail_msg("explanation '%s', expected '%s'", e, explanation);
        r->oom = 1;
      }
      assert_string_equal(cpw_case_explain(c), e);   /* stable */
    }
    return CPW_OK;
  }
  return CPW_ENOMEM;
}

/* queries never allocate: they work whatever failed before */
static void queries(const run *r, cpw_case *c, cpw_time at)
{
  cpw_deadline dl[8];
  const char *names[16];
  size_t n = cpw_caseload_overdue(r->cl, at, dl, 8), i;
  for (i = 1; i < n && i < 8; i++)
    assert_true(dl[i - 1].due <= dl[i].due);
  assert_true(cpw_caseload_due_before(r->cl, at, dl, 8) >= n);
  (void)cpw_case_deadlines(c, dl, 8);
  (void)cpw_case_allowed_events(c, "social_worker", names, 16);
  (void)cpw_caseload_count(r->cl, "referral", "registered");
  (void)cpw_caseload_memory(r->cl);
}

/* ------------------------------------------------------------------ scenarios */

static int scenario_cases(cpw_ctx *ctx, void *arg)
{
  run r = { ctx, NULL, 0 };
  cpw_case *a = NULL, *b = NULL, *t = NULL, *m = NULL;
  cpw_field_value danger = { "immediate_danger", "true" };
  cpw_field_value yes = { "concern_confirmed", "true" };
  (void)arg;
  if (step_new(&r, georgia) != CPW_OK)
    return CPW_ENOMEM;
  if (step_open(&r, &a, "a", "referral", NULL, 0, T0) != CPW_OK ||
      step_open(&r, &b, "b-with-a-longer-case-id", "referral", &danger, 1, T0) != CPW_OK ||
      step_open(&r, &t, "t", "trafficking_status", NULL, 0, T0) != CPW_OK ||
      step_open(&r, &m, "m", "referral", NULL, 0, T0) != CPW_OK)
    goto done;
  /* accepted: start, restart and clear deadlines */
  if (step_apply(&r, a, "register", "intake_officer", NULL, 0, T0 + 60, CPW_OK, 0, NULL) ||
      step_apply(&r, b, "register", "social_worker", NULL, 0, T0 + 60, CPW_OK, 0, NULL) ||
      step_apply(&r, a, "start_assessment", "social_worker", NULL, 0, T0 + 120, CPW_OK, 0,
                 NULL) ||
      step_apply(&r, a, "notify_police", "social_worker", NULL, 0, T0 + 180, CPW_OK, 0, NULL))
    goto done;
  queries(&r, a, T0 + 30 * 86400);
  /* refused, each with its explanation */
  if (step_apply(&r, a, "approve_plan", "supervisor", NULL, 0, T0 + 240, CPW_EDENIED,
                 CPW_REFUSED_NO_TRANSITION, "no transition from assessment on approve_plan") ||
      step_apply(&r, a, "assessment_done", "police", NULL, 0, T0 + 240, CPW_EDENIED,
                 CPW_REFUSED_ROLE, "role police may not assessment_done in state assessment") ||
      step_apply(&r, a, "assessment_done", "social_worker", NULL, 0, T0 + 240, CPW_EDENIED,
                 CPW_REFUSED_GUARD, "guard undetermined: concern_confirmed is missing (it must be "
                                    "true)") ||
      step_apply(&r, a, "assessment_done", "social_worker", NULL, 0, T0, CPW_EDENIED,
                 CPW_REFUSED_TIME,
                 "event assessment_done at 2026-03-02T09:00:00+04:00 is earlier than the "
                 "case's last event at 2026-03-02T09:03:00+04:00") ||
      step_apply(&r, b, "flag_urgent", "police", &(cpw_field_value){ "immediate_danger",
                                                                     "false" }, 1, T0 + 240,
                 CPW_EDENIED, CPW_REFUSED_GUARD,
                 "guard failed: immediate_danger is false, but must be true"))
    goto done;
  /* on to monitoring, the every-3-months review, then close */
  if (step_apply(&r, a, "assessment_done", "social_worker", &yes, 1, T0 + 300, CPW_OK, 0,
                 NULL) ||
      step_apply(&r, a, "approve_plan", "supervisor", NULL, 0, T0 + 360, CPW_OK, 0, NULL) ||
      step_apply(&r, a, "start_service", "social_worker", NULL, 0, T0 + 420, CPW_OK, 0, NULL) ||
      step_apply(&r, a, "begin_monitoring", "social_worker", NULL, 0, T0 + 480, CPW_OK, 0,
                 NULL) ||
      step_apply(&r, a, "close", "supervisor", NULL, 0, T0 + 500, CPW_EDENIED,
                 CPW_REFUSED_GUARD, "guard failed: active_services is 1, but must be 0") ||
      step_apply(&r, a, "review", "social_worker", NULL, 0, T0 + 540, CPW_OK, 0, NULL) ||
      step_apply(&r, a, "end_service", "social_worker", NULL, 0, T0 + 600, CPW_OK, 0, NULL) ||
      step_apply(&r, a, "close", "supervisor", NULL, 0, T0 + 660, CPW_OK, 0, NULL) ||
      step_apply(&r, t, "grant", "permanent_group", NULL, 0, T0 + 60, CPW_OK, 0, NULL) ||
      step_apply(&r, t, "refuse", "permanent_group", NULL, 0, T0 + 120, CPW_EDENIED,
                 CPW_REFUSED_FINAL, "case t is in final state granted: no event applies") ||
      step_apply(&r, m, "merge", "intake_officer", NULL, 0, T0 + 60, CPW_OK, 0, NULL))
    goto done;
  queries(&r, b, T0 + 86400);
  assert_string_equal(cpw_case_state(a), "closed");
done:
  if (a != NULL)
    queries(&r, a, T0 + 86400);
  cpw_caseload_free(r.cl);
  return r.oom ? CPW_ENOMEM : CPW_OK;
}

/* past the first chunk of cases: the index, the chunk table, the arena and the deadline queue
 * grow; a failed growth leaves every case where it was */
static int scenario_many(cpw_ctx *ctx, void *arg)
{
  run r = { ctx, NULL, 0 };
  unsigned i;
  (void)arg;
  if (step_new(&r, georgia) != CPW_OK)
    return CPW_ENOMEM;
  for (i = 0; i < 4200; i++) {
    char id[16];
    cpw_case *c = NULL;
    snprintf(id, sizeof id, "c%u", i);
    if (step_open(&r, &c, id, "referral", NULL, 0, T0 + i) != CPW_OK)
      break;
    if (i % 2 == 0 &&
        step_apply(&r, c, "register", "intake_officer", NULL, 0, T0 + i, CPW_OK, 0, NULL))
      break;
  }
  if (i == 4200) {
    assert_int_equal(cpw_caseload_case_count(r.cl), 4200);
    assert_int_equal(cpw_caseload_count(r.cl, "referral", "registered"), 2100);
    /* the notified cases wait for their registration; the registered ones for the start of
     * the assessment and for the assessment (20 working days from the registration) */
    assert_int_equal(cpw_caseload_due_before(r.cl, INT64_MAX, NULL, 0), 2100 + 2 * 2100);
  }
  cpw_caseload_free(r.cl);
  return r.oom ? CPW_ENOMEM : CPW_OK;
}

/* the diagrams: on failure *out is NULL and nothing leaks */
static int scenario_diagrams(cpw_ctx *ctx, void *arg)
{
  int oom = 0;
  size_t w;
  (void)arg;
  for (w = 0; w < cpw_policy_workflow_count(georgia); w++) {
    int format;
    for (format = CPW_DIAGRAM_DOT; format <= CPW_DIAGRAM_MERMAID; format++) {
      char *out = (char *)1;
      size_t len = 0;
      int rc = cpw_workflow_diagram(cpw_policy_workflow_at(georgia, w), ctx, format, &out,
                                    &len);
      if (rc == CPW_ENOMEM) {
        assert_null(out);
        oom = 1;
        continue;
      }
      assert_int_equal(rc, CPW_OK);
      assert_int_equal(strlen(out), len);
      cpw_free(ctx, out);
    }
  }
  return oom ? CPW_ENOMEM : CPW_OK;
}

/* a small workflow compiled under the failing allocator, then cases on it */
static const char small_policy[] =
  "calendar office { weekend saturday, sunday holiday 1 January \"New Year\" }\n"
  "workflow request \"A request: reviewed, then decided\" {\n"
  "  calendar office\n"
  "  roles clerk, manager\n"
  "  field urgent: bool = false\n"
  "  field level: enum(low, high) = low\n"
  "  field reviews: int = 0\n"
  "  state received initial\n"
  "  state review ongoing\n"
  "  state decided final\n"
  "  event accept carries urgent\n"
  "  event check\n"
  "  event decide carries level\n"
  "  event late\n"
  "  on accept: received -> review by clerk\n"
  "  on check: review by clerk, manager set reviews = reviews + 1\n"
  "  on decide: review -> decided by manager when level = high or reviews > 1\n"
  "  on late: review by manager\n"
  "  deadline decide within 2 working days in review when not urgent\n"
  "  deadline decide within 4 hours in review when urgent\n"
  "  deadline check every 1 weeks in review\n"
  "  escalate late to manager\n"
  "}\n";

static int scenario_compile(cpw_ctx *ctx, void *arg)
{
  run r = { ctx, NULL, 0 };
  cpw_policy *pol = NULL;
  cpw_case *c = NULL;
  int k, rc = CPW_ENOMEM;
  (void)arg;
  for (k = 0; k < 2 && rc == CPW_ENOMEM; k++) {
    rc = cpw_policy_from_string(&pol, ctx, "small.cpw", small_policy, sizeof small_policy - 1);
    if (rc == CPW_ENOMEM) {
      assert_null(pol);
      r.oom = 1;
    }
  }
  if (rc != CPW_OK) {
    assert_int_equal(rc, CPW_ENOMEM);
    return CPW_ENOMEM;
  }
  if (step_new(&r, pol) != CPW_OK)
    goto done;
  if (step_open(&r, &c, "r1", "request", NULL, 0, T0) ||
      step_apply(&r, c, "accept", "clerk", NULL, 0, T0 + 60, CPW_OK, 0, NULL) ||
      step_apply(&r, c, "decide", "manager", NULL, 0, T0 + 120, CPW_EDENIED, CPW_REFUSED_GUARD,
                 "guard failed: none of: level is low, but must be high; reviews is 0, but must be "
                 "more than 1") ||
      step_apply(&r, c, "check", "clerk", NULL, 0, T0 + 180, CPW_OK, 0, NULL) ||
      step_apply(&r, c, "decide", "clerk", NULL, 0, T0 + 240, CPW_EDENIED, CPW_REFUSED_ROLE,
                 "role clerk may not decide in state review") ||
      step_apply(&r, c, "decide", "manager", &(cpw_field_value){ "level", "high" }, 1,
                 T0 + 300, CPW_OK, 0, NULL))
    goto done;
  assert_string_equal(cpw_case_state(c), "decided");
done:
  cpw_caseload_free(r.cl);
  cpw_policy_free(pol);
  return r.oom ? CPW_ENOMEM : CPW_OK;
}

static void run_scenario(cpw_oom_scenario fn)
{
  cpw_oom_result res;
  if (cpw_oom_run(fn, NULL, &res) != 0)
    fail_msg("OOM harness: %s", res.problem);
  assert_true(res.allocations > 0);
  assert_int_equal(res.runs, 2 * res.allocations);
}

static void test_workflow__oom_cases(void **state)
{
  (void)state;
  run_scenario(scenario_cases);
}

static void test_workflow__oom_many_cases(void **state)
{
  (void)state;
  run_scenario(scenario_many);
}

static void test_workflow__oom_diagrams(void **state)
{
  (void)state;
  run_scenario(scenario_diagrams);
}

static void test_workflow__oom_compile_and_run(void **state)
{
  (void)state;
  run_scenario(scenario_compile);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_workflow__oom_cases),
    cmocka_unit_test(test_workflow__oom_many_cases),
    cmocka_unit_test(test_workflow__oom_diagrams),
    cmocka_unit_test(test_workflow__oom_compile_and_run),
  };
  cpw_ctx *ctx = NULL;
  cpw_date d;
  int rc;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK || cpw_policy_default(&georgia, ctx) != CPW_OK)
    return 1;
  cpw_date_from_ymd(&d, 2026, 3, 2);
  cpw_time_from_date(&T0, d, 9, 0, 0, 240);
  rc = cmocka_run_group_tests_name("oom_workflow", tests, NULL, NULL);
  cpw_policy_free(georgia);
  cpw_ctx_free(ctx);
  return rc;
}
