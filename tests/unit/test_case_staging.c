/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of how a case applies an event in two steps (lib/workflow/case.c): the try stages
 * only the fields the event changes and the commit installs just those, so a refused event, an
 * error or a failed journal append leaves nothing behind for the next event to install; the
 * refusal's message in the context is written at once, its explanation built when asked for,
 * and both say the same in the policy's names, also when read after other operations. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpw.h"
#include "journal_testutil.h"
#include "testalloc.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static const char policy_text[] =
  "workflow w \"W\" {\n"
  "  roles a, b\n"
  "  field risk: enum(none, low, high) = none\n"
  "  field n: int = 0\n"
  "  field note: int\n"
  "  state open initial\n"
  "  state busy\n"
  "  state done final\n"
  "  event start carries risk, note\n"
  "  event bump carries risk\n"
  "  event finish\n"
  "  on start: open -> busy by a\n"
  "  on bump: busy when n < 2 set n = n + 1\n"
  "  on finish: busy -> done by a when risk != high\n"
  "}\n";

typedef struct fx {
  char dir[512];
  char path[600];
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 0) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL ||
      cpw_policy_from_string(&f->pol, f->ctx, "t.cpw", policy_text, strlen(policy_text)) !=
        CPW_OK ||
      cpw_caseload_new(&f->cl, f->ctx, f->pol) != CPW_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_caseload_free(f->cl);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  assert_int_equal(jt_rmdir(f->dir), 0);
  free(f);
  return 0;
}

static cpw_case *open_case(fx *f, const char *id)
{
  cpw_case *c = NULL;
  int rc = cpw_caseload_open(f->cl, &c, id, "w", NULL, 0, T0, "u", "a");
  if (rc != CPW_OK)
    fail_msg("open %s: %d %s", id, rc, cpw_ctx_last_error(f->ctx)->message);
  return c;
}

/* the case's fields as "risk/n/note" ("?" for an unknown one) */
static const char *fields_of(const cpw_case *c, char *buf, size_t size)
{
  char risk[32], n[32], note[32];
  if (cpw_case_get_string(c, "risk", risk, sizeof risk) != 1)
    snprintf(risk, sizeof risk, "?");
  if (cpw_case_get_string(c, "n", n, sizeof n) != 1)
    snprintf(n, sizeof n, "?");
  if (cpw_case_get_string(c, "note", note, sizeof note) != 1)
    snprintf(note, sizeof note, "?");
  snprintf(buf, size, "%s/%s/%s", risk, n, note);
  return buf;
}

static void expect_case(const cpw_case *c, const char *state, const char *fields)
{
  char buf[100];
  assert_string_equal(cpw_case_state(c), state);
  assert_string_equal(fields_of(c, buf, sizeof buf), fields);
}

static void accept(fx *f, cpw_case *c, const char *event, const char *role, cpw_time at,
                   const cpw_field_value *fv, size_t n)
{
  int rc = cpw_case_apply(c, event, "u", role, at, fv, n);
  if (rc != CPW_OK)
    fail_msg("%s by %s: %d %s", event, role, rc, cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_case_refusal(c), CPW_ACCEPTED);
}

static void refuse(fx *f, cpw_case *c, const char *event, const char *role, cpw_time at,
                   const cpw_field_value *fv, size_t n, int reason)
{
  int rc = cpw_case_apply(c, event, "u", role, at, fv, n);
  if (rc != CPW_EDENIED)
    fail_msg("%s by %s: expected a refusal, got %d %s", event, role, rc,
             cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_case_refusal(c), reason);
}

/* Values an event carried are installed only when it is accepted: refused (for every reason)
 * or in error, the next accepted event does not install them; updates see the carried values
 * and the case's others, whether or not the event carried any. */
static void test_case_staging__refused_values_stay_out(void **state)
{
  fx *f = *state;
  cpw_case *c = open_case(f, "c1");
  cpw_field_value high_note[2] = { { "risk", "high" }, { "note", "5" } };
  cpw_field_value low = { "risk", "low" }, high = { "risk", "high" };
  cpw_field_value bad[2] = { { "risk", "high" }, { "nothing", "1" } };
  cpw_field_value cleared = { "risk", "" };
  expect_case(c, "open", "none/0/?");
  /* a refusal for the role, then for the time: the values carried stay out */
  refuse(f, c, "start", "b", T0 + 10, high_note, 2, CPW_REFUSED_ROLE);
  expect_case(c, "open", "none/0/?");
  refuse(f, c, "start", "a", T0 - 10, high_note, 2, CPW_REFUSED_TIME);
  expect_case(c, "open", "none/0/?");
  /* an error after a value was staged (an unknown field second) */
  assert_int_equal(cpw_case_apply(c, "start", "u", "a", T0 + 10, bad, 2), CPW_ENOTFOUND);
  expect_case(c, "open", "none/0/?");
  /* a value of the wrong kind second */
  high_note[1].value = "five";
  assert_int_equal(cpw_case_apply(c, "start", "u", "a", T0 + 10, high_note, 2), CPW_EINVALID);
  expect_case(c, "open", "none/0/?");
  high_note[1].value = "5";
  /* no transition on bump from open: refused with its values */
  refuse(f, c, "bump", "a", T0 + 10, &high, 1, CPW_REFUSED_NO_TRANSITION);
  expect_case(c, "open", "none/0/?");
  /* accepted without values: nothing staged before comes in */
  accept(f, c, "start", "a", T0 + 20, NULL, 0);
  expect_case(c, "busy", "none/0/?");
  /* an update with a carried value (a guard and an update on the two) */
  accept(f, c, "bump", "b", T0 + 30, &low, 1);
  expect_case(c, "busy", "low/1/?");
  /* an update with none carried */
  accept(f, c, "bump", "b", T0 + 40, NULL, 0);
  expect_case(c, "busy", "low/2/?");
  /* the guard fails on n, with a value carried: refused, nothing changes */
  refuse(f, c, "bump", "a", T0 + 50, &high, 1, CPW_REFUSED_GUARD);
  expect_case(c, "busy", "low/2/?");
  assert_non_null(strstr(cpw_case_explain(c), "n is 2"));
  /* the guard of finish reads risk: the refused high did not stay */
  accept(f, c, "finish", "a", T0 + 60, NULL, 0);
  expect_case(c, "done", "low/2/?");
  refuse(f, c, "bump", "a", T0 + 70, &cleared, 1, CPW_REFUSED_FINAL);
  expect_case(c, "done", "low/2/?");
  assert_int_equal(cpw_case_event_count(c), 5);
  assert_int_equal(cpw_case_last_time(c), T0 + 60);
}

/* An accepted event that clears a value (an empty one) leaves it unknown; one that gives a
 * value to an unknown field makes it known. */
static void test_case_staging__cleared_and_given(void **state)
{
  fx *f = *state;
  cpw_case *c = open_case(f, "c2");
  cpw_field_value given[2] = { { "note", "7" }, { "risk", "high" } };
  cpw_field_value cleared = { "risk", "" };
  accept(f, c, "start", "a", T0 + 1, given, 2);
  expect_case(c, "busy", "high/0/7");
  accept(f, c, "bump", "a", T0 + 2, &cleared, 1);
  expect_case(c, "busy", "?/1/7");
  /* the guard of finish is undetermined without risk */
  refuse(f, c, "finish", "a", T0 + 3, NULL, 0, CPW_REFUSED_GUARD);
  expect_case(c, "busy", "?/1/7");
}

/* A journal append that fails after the event was tried: the case is unchanged, and the staged
 * values are not installed by the next event. */
static void test_case_staging__failed_append_discards(void **state)
{
  fx *f = *state;
  cpw_journal *j = NULL;
  cpw_journal_options o;
  cpw_case *c = NULL;
  cpw_field_value high_note[2] = { { "risk", "high" }, { "note", "5" } };
  cpw_field_value low = { "risk", "low" };
  assert_int_equal(cpw_journal_options_init(&o, CPW_JOURNAL_OPTIONS_VERSION), CPW_OK);
  o.flags = CPW_JOURNAL_CREATE;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &o), CPW_OK);
  assert_int_equal(cpw_journal_case_open(j, f->cl, &c, "c3", "w", NULL, 0, T0, "u", "a"),
                   CPW_OK);
  /* accepted by the case, refused by the journal (an actor with a control character) */
  assert_int_equal(cpw_journal_case_apply(j, c, "start", "bad\001actor", "a", T0 + 1,
                                          high_note, 2),
                   CPW_EINVALID);
  expect_case(c, "open", "none/0/?");
  assert_int_equal(cpw_case_event_count(c), 1);
  assert_int_equal(cpw_case_last_time(c), T0);
  /* the next event, journaled, carries nothing: the staged values stay out */
  assert_int_equal(cpw_journal_case_apply(j, c, "start", "u", "a", T0 + 2, NULL, 0), CPW_OK);
  expect_case(c, "busy", "none/0/?");
  /* a failed append of an update: not counted, not installed */
  assert_int_equal(cpw_journal_case_apply(j, c, "bump", "bad\001actor", "a", T0 + 3, &low, 1),
                   CPW_EINVALID);
  expect_case(c, "busy", "none/0/?");
  assert_int_equal(cpw_case_apply(c, "bump", "u", "a", T0 + 4, NULL, 0), CPW_OK);
  expect_case(c, "busy", "none/1/?");
  cpw_journal_close(j);
}

/* Each refusal's message in the context, and its explanation (the same sentence in the
 * policy's names), read after other operations: an accepted event of another case keeps it, a
 * refusal of another case takes it over. */
static void test_case_staging__refusal_messages(void **state)
{
  fx *f = *state;
  cpw_case *a = open_case(f, "case-a"), *d = open_case(f, "d");
  cpw_text_options en;
  static const struct {
    const char *event, *role;
    cpw_time at;
    int reason;
    const char *msg;
  } cases[] = {
    { "bump", "a", T0 + 1, CPW_REFUSED_NO_TRANSITION, "no transition from open on bump" },
    { "start", "b", T0 + 1, CPW_REFUSED_ROLE, "role b may not start in state open" },
    { "start", "a", T0 - 1, CPW_REFUSED_TIME,
      "event start at 2025-12-31T23:59:59Z is earlier than the case's last event at "
      "2026-01-01T00:00:00Z" },
  };
  size_t i;
  assert_int_equal(cpw_text_options_init(&en, CPW_TEXT_OPTIONS_VERSION), CPW_OK);
  en.lang = "en";
  for (i = 0; i < LEN(cases); i++) {
    char id[20];
    cpw_case *b;
    snprintf(id, sizeof id, "case-b%zu", i);
    b = open_case(f, id);
    refuse(f, a, cases[i].event, cases[i].role, cases[i].at, NULL, 0, cases[i].reason);
    assert_int_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EDENIED);
    assert_string_equal(cpw_ctx_last_error(f->ctx)->message, cases[i].msg);
    /* another case moves on: a's explanation is still there, in the names and in English */
    accept(f, b, "start", "a", T0 + 10, NULL, 0);
    assert_string_equal(cpw_case_explain(a), cases[i].msg);
    assert_string_equal(cpw_case_explain_with(a, &en), cases[i].msg);
    assert_string_equal(cpw_case_explain(a), cases[i].msg);
    assert_string_equal(cpw_case_explain(b), "");
    assert_int_equal(cpw_case_refusal(a), cases[i].reason);
    /* b back to open is not possible: b's refusal takes the explanation over */
    refuse(f, b, "start", "a", T0 + 20, NULL, 0, CPW_REFUSED_NO_TRANSITION);
    assert_string_equal(cpw_case_explain(a), "");
    assert_string_equal(cpw_case_explain(b), "no transition from busy on start");
    assert_string_equal(cpw_ctx_last_error(f->ctx)->message, cpw_case_explain(b));
    /* b's next accepted event clears it */
    accept(f, b, "bump", "a", T0 + 30, NULL, 0);
    assert_string_equal(cpw_case_explain(b), "");
  }
  /* the guard's refusal: its message points to the explanation, built from the fields the
   * guard saw even when read after the case's fields were read */
  accept(f, d, "start", "a", T0 + 1, NULL, 0);
  accept(f, d, "bump", "a", T0 + 2, NULL, 0);
  accept(f, d, "bump", "a", T0 + 3, NULL, 0);
  refuse(f, d, "bump", "a", T0 + 4, NULL, 0, CPW_REFUSED_GUARD);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message,
                      "the guard of bump from busy does not hold (cpw_case_explain says why)");
  accept(f, a, "start", "a", T0 + 5, NULL, 0);
  assert_non_null(strstr(cpw_case_explain(d), "n is 2"));
  /* a final state's */
  accept(f, a, "finish", "a", T0 + 6, NULL, 0);
  refuse(f, a, "bump", "b", T0 + 7, NULL, 0, CPW_REFUSED_FINAL);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message,
                      "case case-a is in final state done: no event applies");
  assert_string_equal(cpw_case_explain(d), "");
  assert_string_equal(cpw_case_explain(a), cpw_ctx_last_error(f->ctx)->message);
}

/* A refusal message longer than the context holds (names have up to 256 characters) is cut
 * at its last byte (names in a policy are ASCII: the cut never splits a character). */
static void test_case_staging__long_refusal_message(void **state)
{
  fx *f = *state;
  char state_name[257], event_name[257], text[2000], want[1000];
  cpw_policy *pol = NULL;
  cpw_caseload *cl = NULL;
  cpw_case *c = NULL;
  const cpw_error *e;
  int n;
  memset(state_name, 's', sizeof state_name - 1);
  state_name[sizeof state_name - 1] = '\0';
  memset(event_name, 'e', sizeof event_name - 1);
  event_name[sizeof event_name - 1] = '\0';
  n = snprintf(text, sizeof text,
               "workflow w \"W\" {\n  roles a\n  state %s initial\n  state z final\n"
               "  event %s\n  event go\n  on go: %s -> z\n}\n",
               state_name, event_name, state_name);
  assert_true(n > 0 && (size_t)n < sizeof text);
  assert_int_equal(cpw_policy_from_string(&pol, f->ctx, "long.cpw", text, (size_t)n), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "x", "w", NULL, 0, T0, "u", "a"), CPW_OK);
  assert_int_equal(cpw_case_apply(c, event_name, "u", "a", T0 + 1, NULL, 0), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_NO_TRANSITION);
  e = cpw_ctx_last_error(f->ctx);
  snprintf(want, sizeof want, "no transition from %s on %s", state_name, event_name);
  assert_true(strlen(want) > 511);
  assert_int_equal(strlen(e->message), 511);
  assert_memory_equal(e->message, want, 511);
  /* the explanation is the whole sentence (built in the room the caseload keeps for it) */
  assert_string_equal(cpw_case_explain(c), want);
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_case_staging__refused_values_stay_out, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_staging__cleared_and_given, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_staging__failed_append_discards, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_staging__refusal_messages, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_staging__long_refusal_message, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
