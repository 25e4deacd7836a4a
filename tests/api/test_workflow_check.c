/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the workflow compiler's static checks (lib/policy/wf_check.c): each
 * diagnostic with its file, line, column and message, errors in the context's last error and
 * warnings in cpw_diagnostics; and the diagrams of the referral workflow (cpw_workflow_diagram,
 * DOT and Mermaid). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpw.h"
#include "testalloc.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct fx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_diagnostics *diags;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  assert_non_null(f->ctx);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_diagnostics_free(f->diags);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  free(f);
  return 0;
}

/* Compile `text` as "t.cpw"; returns the status. The previous policy and diagnostics go. */
static int compile(fx *f, const char *text)
{
  cpw_policy_source src = { "t.cpw", text, strlen(text) };
  cpw_diagnostics_free(f->diags);
  cpw_policy_free(f->pol);
  f->diags = NULL;
  f->pol = NULL;
  return cpw_policy_compile(&f->pol, f->ctx, &src, 1, &f->diags);
}

static size_t count(const fx *f, int severity)
{
  size_t i, n = 0;
  for (i = 0; i < cpw_diagnostics_count(f->diags); i++)
    n += cpw_diagnostics_get(f->diags, i)->severity == severity;
  return n;
}

static void dump(const fx *f)
{
  size_t i;
  for (i = 0; i < cpw_diagnostics_count(f->diags); i++) {
    const cpw_diagnostic *d = cpw_diagnostics_get(f->diags, i);
    fprintf(stderr, "  %s:%d:%d: %s: %s\n", d->file, d->line, d->column,
            d->severity == CPW_SEVERITY_ERROR ? "error" : "warning", d->message);
  }
}

/* A diagnostic with this severity, position and message is in the list. */
static void expect(const fx *f, int severity, int line, int column, const char *message)
{
  size_t i;
  for (i = 0; i < cpw_diagnostics_count(f->diags); i++) {
    const cpw_diagnostic *d = cpw_diagnostics_get(f->diags, i);
    if (strcmp(d->message, message) == 0 && d->severity == severity) {
      assert_string_equal(d->file, "t.cpw");
      if (d->line != line || d->column != column)
        fail_msg("'%s' at %d:%d, expected %d:%d", message, d->line, d->column, line, column);
      return;
    }
  }
  dump(f);
  fail_msg("no %s '%s'", severity == CPW_SEVERITY_ERROR ? "error" : "warning", message);
}

/* Exactly one error, also in the context's last error with its position. */
static void expect_only_error(fx *f, const char *text, int line, int column,
                              const char *message)
{
  const cpw_error *e;
  int rc = compile(f, text);
  if (rc != CPW_EPOLICY || count(f, CPW_SEVERITY_ERROR) != 1) {
    dump(f);
    fail_msg("expected exactly one error '%s' (status %d)", message, rc);
  }
  assert_null(f->pol);
  expect(f, CPW_SEVERITY_ERROR, line, column, message);
  e = cpw_ctx_last_error(f->ctx);
  assert_int_equal(e->code, CPW_EPOLICY);
  assert_string_equal(e->message, message);
  assert_non_null(e->file);
  assert_string_equal(e->file, "t.cpw");
  assert_int_equal(e->line, line);
  assert_int_equal(e->column, column);
}

static void expect_clean(fx *f, const char *text)
{
  if (compile(f, text) != CPW_OK) {
    dump(f);
    fail_msg("expected a clean compile: %s", cpw_ctx_last_error(f->ctx)->message);
  }
  assert_non_null(f->pol);
}

/* ------------------------------------------------------------------ the graph */

/* Updates run on one case by the one formula runner, which computes `n + k`, `k + n`, `n - k`
 * and constants inline: the same answers as the VM, an overflow refuses the event and changes
 * nothing, a missing operand makes the field missing, and other shapes still run. */
static void test_workflow_check__updates(void **state)
{
  fx *f = *state;
  cpw_caseload *cl;
  cpw_case *c;
  int64_t v = 0;
  cpw_time at = 1767225600;
  cpw_field_value big = { "n", "9223372036854775806" }, small = { "n", "-9223372036854775807" };
  cpw_field_value none = { "n", "" };
  assert_int_equal(compile(f, "workflow w \"W\" {\n"
                              "  roles r\n  field n: int = 0\n  field m: int = 5\n"
                              "  field e: enum(lo, hi) = lo\n"
                              "  state a initial\n  state z final\n"
                              "  event up carries n\n  event down carries n\n  event k\n"
                              "  event twice\n  event end\n"
                              "  on up: a by r set n = n + 1\n"
                              "  on down: a by r set n = n - 1\n"
                              "  on k: a by r set m = 2 + m, e = hi\n"
                              "  on twice: a by r set m = m * 2 - 1\n"
                              "  on end: a -> z by r\n}\n"),
                   CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "c-1", "w", NULL, 0, at, "x", "r"), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "up", "x", "r", ++at, &big, 1), CPW_OK);
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_true(v == INT64_MAX);
  /* n + 1 overflows: refused, nothing changes */
  assert_int_equal(cpw_case_apply(c, "up", "x", "r", ++at, NULL, 0), CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "field n could not be computed"));
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_true(v == INT64_MAX);
  assert_int_equal(cpw_case_event_count(c), 2);
  assert_int_equal(cpw_case_apply(c, "down", "x", "r", ++at, &small, 1), CPW_OK);
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_true(v == INT64_MIN);
  assert_int_equal(cpw_case_apply(c, "down", "x", "r", ++at, NULL, 0), CPW_EINVALID);
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_true(v == INT64_MIN);
  /* a missing operand: the field is missing after the update */
  assert_int_equal(cpw_case_apply(c, "up", "x", "r", ++at, &none, 1), CPW_OK);
  assert_int_equal(cpw_case_get(c, "n", &v), 0);
  /* constant first, a constant enum, and a formula of another shape */
  assert_int_equal(cpw_case_apply(c, "k", "x", "r", ++at, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_get(c, "m", &v), 1);
  assert_int_equal(v, 7);
  assert_int_equal(cpw_case_get(c, "e", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_case_apply(c, "twice", "x", "r", ++at, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_get(c, "m", &v), 1);
  assert_int_equal(v, 13);
  assert_int_equal(cpw_case_apply(c, "end", "x", "r", ++at, NULL, 0), CPW_OK);
  assert_string_equal(cpw_case_state(c), "z");
  cpw_caseload_free(cl);
}

/* Guards written in a language for the diagrams (cpw_workflow_diagram_with): every form of
 * expression, with the language's words, numbers, money, dates and durations, and the
 * operators as a reader writes them (no identifiers of the language). */
static void test_workflow_check__guards_in_a_language(void **state)
{
  fx *f = *state;
  static const char *const want_en[] = {
    "n + 1 > 2", "n - 1 \xE2\x89\xA5 0", "n \xC3\x97 2 \xE2\x89\xA4 10", "n / 2 < 5",
    "-n \xE2\x89\xA0 3", "e \xE2\x88\x88 {lo, hi}", "e \xE2\x88\x89 {hi}",
    "s \xE2\x88\x8B a", "1 \xE2\x89\xA4 n \xE2\x89\xA4 9", "d#58; missing", "d#58; given",
    "max(n, 3) = 3", "true", "false", "d < 2024-05-02", "d + 3 days", "d - 1 week",
    "m \xE2\x89\xA5 12.50", "(n = 1 or n = 2)", "not (n = 1 and n = 2)",
    "t < 2024-05-02T10#58;00",
  };
  char *out = NULL;
  size_t len = 0, i;
  cpw_text_options o = CPW_TEXT_OPTIONS_INIT;
  assert_int_equal(compile(f, "timezone \"+04:00\"\n"
                              "workflow w \"W\" {\n"
                              "  roles r\n  field n: int = 0\n  field e: enum(lo, hi) = lo\n"
                              "  field s: set of enum(a, b)\n  field d: date\n"
                              "  field m: money\n  field t: datetime\n"
                              "  state a initial\n  state z final\n"
                              "  event e1\n  event e2\n  event e3\n  event e4\n  event e5\n"
                              "  event e6\n  event e7\n  event e8\n  event e9\n  event e10\n"
                              "  event e11\n  event e12\n  event e13\n  event e14\n"
                              "  event e15\n  event e16\n  event e17\n  event e18\n"
                              "  on e1: a by r when n + 1 > 2\n"
                              "  on e2: a by r when n - 1 >= 0 and n * 2 <= 10 and n / 2 < 5\n"
                              "  on e3: a by r when -n != 3\n"
                              "  on e4: a by r when e in {lo, hi}\n"
                              "  on e5: a by r when e not in {hi}\n"
                              "  on e6: a by r when s contains a\n"
                              "  on e7: a by r when n between 1 and 9\n"
                              "  on e8: a by r when d is missing\n"
                              "  on e9: a by r when d is given\n"
                              "  on e10: a by r when max(n, 3) = 3\n"
                              "  on e11: a by r when true or false\n"
                              "  on e12: a by r when d < 2024-05-02\n"
                              "  on e13: a by r when d + 3 days > d - 1 week\n"
                              "  on e14: a by r when m >= 12.50 GEL\n"
                              "  on e15: a by r when (n = 1 or n = 2) and e = lo\n"
                              "  on e16: a by r when not (n = 1 and n = 2)\n"
                              "  on e17: a by r when t < 2024-05-02T10:00:00+04:00\n"
                              "  on e18: a -> z by r\n}\n"),
                   CPW_OK);
  o.lang = "en";
  assert_int_equal(cpw_workflow_diagram_with(cpw_policy_workflow(f->pol, "w"), f->ctx,
                                             CPW_DIAGRAM_MERMAID, &o, &out, &len),
                   CPW_OK);
  for (i = 0; i < LEN(want_en); i++)
    if (strstr(out, want_en[i]) == NULL)
      fail_msg("'%s' is not in:\n%s", want_en[i], out);
  cpw_free(f->ctx, out);
  /* in Georgian: the words of the catalogue, never the English ones */
  o.lang = "ka";
  assert_int_equal(cpw_workflow_diagram_with(cpw_policy_workflow(f->pol, "w"), f->ctx,
                                             CPW_DIAGRAM_DOT, &o, &out, &len),
                   CPW_OK);
  assert_null(strstr(out, "missing"));
  assert_null(strstr(out, " or "));
  assert_non_null(strstr(out, "\xE2\x88\x88")); /* the operators are the same */
  cpw_free(f->ctx, out);
}

static void test_workflow_check__valid_workflow_compiles(void **state)
{
  fx *f = *state;
  expect_clean(f, "workflow w \"W\" {\n"
                  "  roles a\n"
                  "  state s initial\n"
                  "  state done final\n"
                  "  event go\n"
                  "  on go: s -> done\n"
                  "}\n");
  assert_int_equal(cpw_diagnostics_count(f->diags), 0);
  assert_int_equal(cpw_policy_workflow_count(f->pol), 1);
  assert_string_equal(cpw_workflow_title(cpw_policy_workflow(f->pol, "w")), "W");
}

static void test_workflow_check__unreachable_state(void **state)
{
  fx *f = *state;
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  state s initial\n"
                    "  state lost\n"
                    "  state done final\n"
                    "  event go\n"
                    "  event back\n"
                    "  on go: s -> done\n"
                    "  on back: lost -> done\n"
                    "}\n",
                    4, 9, "workflow 'w': state 'lost' cannot be reached from the initial "
                          "state 's'");
  /* reachable only through a final state: still unreachable */
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  state s initial\n"
                    "  state done final\n"
                    "  state after final\n"
                    "  event go\n"
                    "  on go: s -> done\n"
                    "}\n",
                    5, 9, "workflow 'w': state 'after' cannot be reached from the initial "
                          "state 's'");
}

static void test_workflow_check__no_path_to_a_final_state(void **state)
{
  fx *f = *state;
  static const char text[] = "workflow w {\n"
                             "  roles a\n"
                             "  state s initial\n"
                             "  state stuck%s\n"
                             "  state done final\n"
                             "  event go\n"
                             "  event end\n"
                             "  on go: s -> stuck\n"
                             "  on end: s -> done\n"
                             "  on go: stuck\n"
                             "}\n";
  char buf[400];
  snprintf(buf, sizeof buf, text, "");
  expect_only_error(f, buf, 4, 9,
                    "workflow 'w': from state 'stuck' no sequence of events leads to a final "
                    "state (mark it 'ongoing' if cases may stay there)");
  /* 'ongoing' says cases may stay there */
  snprintf(buf, sizeof buf, text, " ongoing");
  expect_clean(f, buf);
  assert_int_equal(cpw_diagnostics_count(f->diags), 0);
  /* a workflow with no final state at all: every state ongoing */
  expect_clean(f, "workflow w {\n"
                  "  roles a\n"
                  "  state s initial ongoing\n"
                  "  state t ongoing\n"
                  "  event go\n"
                  "  on go: s -> t\n"
                  "  on go: t -> s\n"
                  "}\n");
  /* two states in a cycle with no way out: both reported */
  assert_int_equal(compile(f, "workflow w {\n"
                              "  roles a\n"
                              "  state s initial\n"
                              "  state t\n"
                              "  state done final\n"
                              "  event go\n"
                              "  on go: s -> t\n"
                              "  on go: t -> s\n"
                              "  on go: done -> s\n"
                              "}\n"),
                   CPW_EPOLICY);
  expect(f, CPW_SEVERITY_ERROR, 9, 10, "final state 'done' cannot have outgoing transitions");
}

static void test_workflow_check__initial_states(void **state)
{
  fx *f = *state;
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  state s\n"
                    "  state done final\n"
                    "  event go\n"
                    "  on go: s -> done\n"
                    "}\n",
                    1, 1, "workflow 'w' has no initial state (mark one 'initial')");
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  state s initial\n"
                    "  state t initial\n"
                    "  state done final\n"
                    "  event go\n"
                    "  on go: s, t -> done\n"
                    "}\n",
                    4, 9, "state 't' is a second initial state (a workflow has exactly one)");
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  state s initial final\n"
                    "}\n",
                    3, 9, "the initial state cannot be final");
  expect_only_error(f,
                    "\n"
                    "  workflow w {\n"
                    "  roles a\n"
                    "}\n",
                    2, 3, "workflow 'w' declares no states");
}

/* ------------------------------------------------------------------ unknown names */

static void test_workflow_check__unknown_names(void **state)
{
  fx *f = *state;
  int rc = compile(f, "calendar cal { weekend saturday, sunday }\n"              /* 1 */
                      "workflow w {\n"                                           /* 2 */
                      "  calendar nocal\n"                                       /* 3 */
                      "  roles a\n"                                              /* 4 */
                      "  field n: int = 0\n"                                     /* 5 */
                      "  state s initial\n"                                      /* 6 */
                      "  state done final\n"                                     /* 7 */
                      "  event go carries m\n"                                   /* 8 */
                      "  event stop\n"                                           /* 9 */
                      "  on nope: s -> done\n"                                   /* 10 */
                      "  on go: nowhere -> done by a\n"                          /* 11 */
                      "  on go: s -> elsewhere by b\n"                           /* 12 */
                      "  on stop: s -> done when q > 1\n"                        /* 13 */
                      "  on stop: s set r = 1\n"                                 /* 14 */
                      "  deadline gone within 2 days in s\n"                     /* 15 */
                      "  deadline go within 2 days in nowhere\n"                 /* 16 */
                      "  deadline go within 2 days in s escalate nothing to c\n" /* 17 */
                      "  escalate never to nobody\n"                             /* 18 */
                      "}\n");
  assert_int_equal(rc, CPW_EPOLICY);
  assert_null(f->pol);
  expect(f, CPW_SEVERITY_ERROR, 3, 12, "unknown calendar 'nocal'");
  expect(f, CPW_SEVERITY_ERROR, 8, 20, "event 'go' carries unknown field 'm'");
  expect(f, CPW_SEVERITY_ERROR, 10, 6, "unknown event 'nope': declare it with 'event NAME'");
  expect(f, CPW_SEVERITY_ERROR, 11, 10, "unknown state 'nowhere'");
  expect(f, CPW_SEVERITY_ERROR, 12, 15, "unknown state 'elsewhere'");
  expect(f, CPW_SEVERITY_ERROR, 12, 28, "unknown role 'b': declare it in 'roles'");
  expect(f, CPW_SEVERITY_ERROR, 13, 27, "unknown name 'q' (did you mean 'n'?)");
  expect(f, CPW_SEVERITY_ERROR, 14, 18,
         "unknown field 'r' (declare it with 'field' in the workflow)");
  expect(f, CPW_SEVERITY_ERROR, 15, 12, "unknown event 'gone' in deadline: declare it with "
                                        "'event'");
  expect(f, CPW_SEVERITY_ERROR, 16, 32, "unknown state 'nowhere' in deadline");
  /* both names of a deadline's escalation are reported */
  expect(f, CPW_SEVERITY_ERROR, 17, 43, "unknown event 'nothing' (escalation): declare it "
                                        "with 'event'");
  expect(f, CPW_SEVERITY_ERROR, 17, 54, "unknown role 'c'");
  expect(f, CPW_SEVERITY_ERROR, 18, 12, "unknown event 'never': declare it with 'event' and "
                                        "give it transitions");
  expect(f, CPW_SEVERITY_ERROR, 18, 21, "unknown role 'nobody'");
  assert_int_equal(count(f, CPW_SEVERITY_ERROR), 14);
  /* the context's last error is the first one, with a pointer to the rest */
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message,
                      "unknown calendar 'nocal' (and more errors: see the diagnostics)");
  assert_int_equal(cpw_ctx_last_error(f->ctx)->line, 3);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->column, 12);
}

static void test_workflow_check__types_of_guards_and_updates(void **state)
{
  fx *f = *state;
  int rc = compile(f, "workflow w {\n"                             /* 1 */
                      "  roles a\n"                                /* 2 */
                      "  field n: int = 0\n"                       /* 3 */
                      "  field k: enum(lo, hi) = lo\n"             /* 4 */
                      "  state s initial\n"                        /* 5 */
                      "  state done final\n"                       /* 6 */
                      "  event go\n"                               /* 7 */
                      "  on go: s -> done when n\n"                /* 8 */
                      "  on go: s set n = true\n"                  /* 9 */
                      "  deadline go within 1 days in s when k\n"  /* 10 */
                      "  escalate go to a\n"                       /* 11 */
                      "}\n");
  assert_int_equal(rc, CPW_EPOLICY);
  assert_int_equal(count(f, CPW_SEVERITY_ERROR), 3);
  expect(f, CPW_SEVERITY_ERROR, 8, 25, "expected a condition (true or false), but this is int");
  expect(f, CPW_SEVERITY_ERROR, 9, 20, "expected int, but this is bool");
}

/* ------------------------------------------------------------------ deadlines */

static void test_workflow_check__deadlines(void **state)
{
  fx *f = *state;
  static const char head[] = "workflow w {\n"           /* 1 */
                             "  roles a\n"              /* 2 */
                             "  state s initial\n"      /* 3 */
                             "  state done final\n"     /* 4 */
                             "  event go\n"             /* 5 */
                             "  event late\n"           /* 6 */
                             "  on go: s -> done\n"     /* 7 */
                             "  on late: s by a\n";     /* 8 */
  char buf[600];
  /* in a final state */
  snprintf(buf, sizeof buf, "%s  deadline go within 2 days in done escalate late to a\n}\n",
           head);
  expect_only_error(f, buf, 9, 32, "a deadline cannot run in final state 'done'");
  /* no escalation: neither its own nor the workflow's */
  snprintf(buf, sizeof buf, "%s  deadline go within 2 days in s\n}\n", head);
  expect_only_error(f, buf, 9, 12, "the deadline has no escalation: add 'escalate EVENT to "
                                   "ROLE' to it or to the workflow");
  /* the workflow's default escalation, declared after it, serves */
  snprintf(buf, sizeof buf, "%s  deadline go within 2 days in s\n  escalate late to a\n}\n",
           head);
  expect_clean(f, buf);
  /* working days with no calendar in the policy */
  snprintf(buf, sizeof buf, "%s  deadline go within 3 working days in s escalate late to a\n}\n",
           head);
  expect_only_error(f, buf, 9, 12, "working days need a calendar: declare one with "
                                   "'calendar'");
  /* with a calendar in the policy the workflow uses the first one */
  snprintf(buf, sizeof buf, "calendar c { weekend saturday, sunday }\n%s"
                            "  deadline go within 3 working days in s escalate late to a\n}\n",
           head);
  expect_clean(f, buf);
  /* at most 8 deadlines pending in a state, counting the clocks that run across states */
  snprintf(buf, sizeof buf, "%s  deadline go within 1 days in s\n"
                            "  deadline go within 2 days in s\n"
                            "  deadline go within 3 days in s\n"
                            "  deadline late within 4 days in s\n"
                            "  deadline late every 5 days in s\n"
                            "  deadline go within 6 days in s\n"
                            "  deadline go within 7 days from go\n"
                            "  deadline go within 8 days from late\n"
                            "  escalate late to a\n}\n",
           head);
  expect_clean(f, buf);
  snprintf(buf, sizeof buf, "%s  deadline go within 1 days in s\n"
                            "  deadline go within 2 days in s\n"
                            "  deadline go within 3 days in s\n"
                            "  deadline late within 4 days in s\n"
                            "  deadline late every 5 days in s\n"
                            "  deadline go within 6 days in s\n"
                            "  deadline go within 7 days from go\n"
                            "  deadline go within 8 days from late\n"
                            "  deadline go within 9 days from late until go\n"
                            "  escalate late to a\n}\n",
           head);
  expect_only_error(f, buf, 1, 1, "state 's' has more than 8 deadlines (counting the 3 clocks "
                                  "that run across states)");
}

/* ------------------------------------------------------------------ transitions */

static void test_workflow_check__final_state_with_outgoing_transition(void **state)
{
  fx *f = *state;
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  state s initial\n"
                    "  state done final\n"
                    "  event go\n"
                    "  event again\n"
                    "  on go: s -> done\n"
                    "  on again: s, done -> s\n"
                    "}\n",
                    8, 16, "final state 'done' cannot have outgoing transitions");
  /* '*' means every state that is not final: fine */
  expect_clean(f, "workflow w {\n"
                  "  roles a\n"
                  "  state s initial\n"
                  "  state done final\n"
                  "  event go\n"
                  "  event note\n"
                  "  on go: s -> done\n"
                  "  on note: *\n"
                  "}\n");
}

static void test_workflow_check__warnings(void **state)
{
  fx *f = *state;
  const cpw_workflow *wf;
  int rc = compile(f, "workflow w {\n"                             /* 1 */
                      "  roles a, b\n"                             /* 2 */
                      "  field n: int = 0\n"                       /* 3 */
                      "  state s initial\n"                        /* 4 */
                      "  state t\n"                                /* 5 */
                      "  state done final\n"                       /* 6 */
                      "  event go\n"                               /* 7 */
                      "  event unused\n"                           /* 8 */
                      "  on go: s -> t by a, b\n"                  /* 9 */
                      "  on go: s -> done by a\n"                  /* 10 */
                      "  on go: t -> done when n > 0\n"            /* 11 */
                      "  on go: t -> done by b\n"                  /* 12 */
                      "}\n");
  /* warnings do not stop the compile; they are in the diagnostics, not the last error */
  if (rc != CPW_OK) {
    dump(f);
    fail_msg("status %d", rc);
  }
  assert_int_equal(count(f, CPW_SEVERITY_ERROR), 0);
  assert_int_equal(count(f, CPW_SEVERITY_WARNING), 2);
  expect(f, CPW_SEVERITY_WARNING, 10, 6,
         "this transition on 'go' from 's' can never fire: the one at line 9 comes first, has "
         "no guard and allows the same roles");
  expect(f, CPW_SEVERITY_WARNING, 8, 9,
         "event 'unused' has no transition: no case will ever accept it");
  assert_int_not_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EPOLICY);
  wf = cpw_policy_workflow(f->pol, "w");
  assert_non_null(wf);
  assert_int_equal(cpw_workflow_event_count(wf), 2);
  /* a guarded transition first, or one for fewer roles, does not hide the next */
  expect_clean(f, "workflow w {\n"
                  "  roles a, b\n"
                  "  field n: int = 0\n"
                  "  state s initial\n"
                  "  state done final\n"
                  "  event go\n"
                  "  on go: s -> done by a when n > 0\n"
                  "  on go: s -> done by a\n"
                  "  on go: s -> done by b\n"
                  "}\n");
  assert_int_equal(cpw_diagnostics_count(f->diags), 0);
  /* no 'by': every role, which hides a later transition for any roles */
  assert_int_equal(compile(f, "workflow w {\n"
                              "  roles a, b\n"
                              "  state s initial\n"
                              "  state done final\n"
                              "  event go\n"
                              "  on go: s -> done\n"
                              "  on go: s by b\n"
                              "}\n"),
                   CPW_OK);
  expect(f, CPW_SEVERITY_WARNING, 7, 6,
         "this transition on 'go' from 's' can never fire: the one at line 6 comes first, has "
         "no guard and allows the same roles");
}

static void test_workflow_check__text_fields_refused(void **state)
{
  fx *f = *state;
  expect_only_error(f,
                    "workflow w {\n"
                    "  roles a\n"
                    "  field name: text\n"
                    "  state s initial\n"
                    "  state done final\n"
                    "  event go\n"
                    "  on go: s -> done\n"
                    "}\n",
                    3, 9, "case fields cannot be text: keep names and notes in the agency's "
                          "records, and use enums, flags, numbers and dates here");
}

static void test_workflow_check__duplicate_names(void **state)
{
  fx *f = *state;
  int rc = compile(f, "workflow w {\n"                  /* 1 */
                      "  roles a, b, a\n"               /* 2 */
                      "  field n: int = 0\n"            /* 3 */
                      "  field n: bool\n"               /* 4 */
                      "  state s initial\n"             /* 5 */
                      "  state done final\n"            /* 6 */
                      "  state s\n"                     /* 7 */
                      "  event go\n"                    /* 8 */
                      "  event go\n"                    /* 9 */
                      "  on go: s -> done\n"            /* 10 */
                      "}\n"                             /* 11 */
                      "workflow w {\n"                  /* 12 */
                      "  roles a\n"                     /* 13 */
                      "}\n");
  assert_int_equal(rc, CPW_EPOLICY);
  expect(f, CPW_SEVERITY_ERROR, 2, 15, "role 'a' is declared twice");
  expect(f, CPW_SEVERITY_ERROR, 4, 9, "field 'n' is already declared at line 3");
  expect(f, CPW_SEVERITY_ERROR, 7, 9, "state 's' is declared twice");
  expect(f, CPW_SEVERITY_ERROR, 9, 9, "event 'go' is declared twice");
  expect(f, CPW_SEVERITY_ERROR, 12, 10, "workflow 'w' is declared twice");
  assert_int_equal(count(f, CPW_SEVERITY_ERROR), 5);
}

static void add_text(char *buf, size_t size, size_t *used, const char *s)
{
  size_t n = strlen(s);
  assert_true(*used + n < size);
  memcpy(buf + *used, s, n + 1);
  *used += n;
}

static void test_workflow_check__at_most_64_roles(void **state)
{
  fx *f = *state;
  char buf[4000], role[16];
  size_t used = 0;
  int i, nroles;
  for (nroles = 64; nroles <= 65; nroles++) {
    used = 0;
    add_text(buf, sizeof buf, &used, "workflow w {\n  roles");
    for (i = 0; i < nroles; i++) {
      snprintf(role, sizeof role, "%s r%d", i ? "," : "", i);
      add_text(buf, sizeof buf, &used, role);
    }
    add_text(buf, sizeof buf, &used, "\n  state s initial\n  state done final\n  event go\n"
                                     "  on go: s -> done by r63\n}\n");
    if (nroles == 64) {
      expect_clean(f, buf);
      assert_int_equal(cpw_workflow_role_count(cpw_policy_workflow(f->pol, "w")), 64);
      assert_int_equal(cpw_workflow_role_index(cpw_policy_workflow(f->pol, "w"), "r63"), 63);
    } else {
      /* pointing at the 65th role: "  roles r0, r1, ..., r9, r10, ..., r63, r64" */
      int col = 9 + 10 * 4 + 54 * 5;
      expect_only_error(f, buf, 2, col, "a workflow may have at most 64 roles");
    }
  }
}

static void test_workflow_check__at_most_65535_transitions(void **state)
{
  fx *f = *state;
  static const char head[] = "workflow w {\n  roles a\n  state s initial ongoing\n"
                             "  event go\n";
  static const char line[] = "  on go: s by a\n";
  size_t n = 65536, size = sizeof head + n * (sizeof line - 1) + 8, used = 0, i;
  char *buf = malloc(size);
  assert_non_null(buf);
  add_text(buf, size, &used, head);
  for (i = 0; i < n; i++)
    add_text(buf, size, &used, line);
  add_text(buf, size, &used, "}\n");
  /* the 65536th transition is on line 4 + 65536 */
  expect_only_error(f, buf, 4 + 65536, 6, "a workflow may have at most 65535 transitions");
  free(buf);
}

/* Found by fuzz_workflow: a reserved declaration word this build has no parser for made the
 * parser's error recovery stop on it again and again, and the compile never returned. */
static void test_workflow_check__reserved_word_without_declaration(void **state)
{
  fx *f = *state;
  int rc = compile(f, "state x\n"
                      "workflow w {\n"
                      "  roles a\n"
                      "  state s initial ongoing\n"
                      "}\n"
                      "roles\n");
  assert_int_equal(rc, CPW_EPOLICY);
  assert_int_equal(count(f, CPW_SEVERITY_ERROR), 2);
  expect(f, CPW_SEVERITY_ERROR, 1, 1, "expected a declaration (policy, timezone, calendar, "
                                      "field, param, define, program, workflow, setting, "
                                      "facility, placement, labels, source), found 'state'");
  expect(f, CPW_SEVERITY_ERROR, 6, 1, "expected a declaration (policy, timezone, calendar, "
                                      "field, param, define, program, workflow, setting, "
                                      "facility, placement, labels, source), found 'roles'");
}

/* A policy holds at most 255 workflows (a case keeps its workflow in 8 bits): the 256th is an
 * error at its name, and 255 compile. */
static void test_workflow_check__too_many_workflows(void **state)
{
  fx *f = *state;
  size_t cap = 256 * 80, len = 0;
  char *text = malloc(cap);
  int i;
  assert_non_null(text);
  for (i = 0; i < 256; i++)
    len += (size_t)snprintf(text + len, cap - len,
                            "workflow w%d {\n  roles a\n  state s initial ongoing\n}\n", i);
  assert_int_equal(compile(f, text), CPW_EPOLICY);
  assert_int_equal(count(f, CPW_SEVERITY_ERROR), 1);
  expect(f, CPW_SEVERITY_ERROR, 1021, 10, "a policy may declare at most 255 workflows");
  text[len - strlen("workflow w255 {\n  roles a\n  state s initial ongoing\n}\n")] = '\0';
  assert_int_equal(compile(f, text), CPW_OK);
  assert_int_equal(cpw_policy_workflow_count(f->pol), 255);
  free(text);
}

/* ------------------------------------------------------------------ diagrams */

/* The referral workflow of the default policy 2026.1 (20-referral.cpw), kept here as it was so
 * that the diagram tests do not follow the default policy's changes; its basis is law, so no
 * edge or note is marked (test_workflow_check__diagram_marks checks the marks). */
static const char *const DIAGRAM_LINES[] = {
  "calendar georgia { holiday 1 January }\n",
  "workflow referral \"Child protection referral\" {\n",
  "  basis law\n",
  "  calendar georgia\n",
  "  roles reporter, intake_officer, social_worker, supervisor, police, court\n",
  "  field immediate_danger: bool = false \"An immediate threat to the child (Law on Social Work: urgent case)\"\n",
  "  field court_order: bool = false \"A court ordered the child's temporary separation\"\n",
  "  field restraining_order: bool = false \"Police issued a restraining order (DV law, 2016)\"\n",
  "  field separated: bool = false \"The child was separated from the abuser\"\n",
  "  field police_notified: bool = false \"The police were notified\"\n",
  "  field concern_confirmed: bool \"The assessment confirmed a child-protection concern\"\n",
  "  field active_services: int = 0 \"Services running for the child\"\n",
  "  field last_review: date \"Date of the last monitoring review\"\n",
  "  field escalations: int = 0 \"Deadlines missed and escalated\"\n",
  "  state notified initial \"Notification received (written, 1505, 111, 112, in person)\"\n",
  "  state registered \"Registered by the Agency\"\n",
  "  state urgent_response \"Urgent case: immediate threat\"\n",
  "  state assessment \"Needs assessment by the social worker\"\n",
  "  state case_planning \"Case plan being prepared\"\n",
  "  state services \"Services delivered\"\n",
  "  state monitoring \"Monitoring and review\"\n",
  "  state closed \"Case closed (it can be reopened)\"\n",
  "  state screened_out \"Screened out: no child-protection concern (it can be reopened)\"\n",
  "  state merged final \"Merged into another case (duplicate notification)\"\n",
  "  event register carries immediate_danger \"Register the notification as a case\"\n",
  "  event merge \"Merge a duplicate notification into an open case\"\n",
  "  event screen_out \"Screen out: no concern\"\n",
  "  event flag_urgent carries immediate_danger \"Flag an immediate threat\"\n",
  "  event separate_child carries court_order, restraining_order \"Separate the child from the abuser\"\n",
  "  event start_assessment \"Start the assessment\"\n",
  "  event assessment_done carries concern_confirmed \"Finish the assessment\"\n",
  "  event notify_police \"Notify the police\"\n",
  "  event approve_plan \"Approve the case plan\"\n",
  "  event start_service \"A service starts\"\n",
  "  event end_service \"A service ends\"\n",
  "  event begin_monitoring \"Move to monitoring\"\n",
  "  event review carries last_review \"Monitoring review\"\n",
  "  event close \"Close the case\"\n",
  "  event reopen \"Reopen on a new notification\"\n",
  "  event deadline_missed \"A deadline ran out: the supervisor acts\"\n",
  "  on register: notified -> registered by intake_officer, social_worker\n",
  "  on merge: notified, registered -> merged by intake_officer, supervisor\n",
  "  on screen_out: registered -> screened_out by supervisor\n",
  "  on flag_urgent: registered, assessment -> urgent_response by social_worker, police\n",
  "    when immediate_danger\n",
  "  on separate_child: urgent_response by social_worker\n",
  "    when court_order or restraining_order\n",
  "    set separated = true\n",
  "  on start_assessment: registered, urgent_response -> assessment by social_worker\n",
  "  on assessment_done: assessment -> case_planning by social_worker when concern_confirmed\n",
  "  on assessment_done: assessment -> closed by social_worker\n",
  "  on notify_police: * by social_worker, intake_officer set police_notified = true\n",
  "  on approve_plan: case_planning -> services by supervisor\n",
  "  on start_service: services, monitoring by social_worker\n",
  "    set active_services = active_services + 1\n",
  "  on end_service: services, monitoring by social_worker when active_services > 0\n",
  "    set active_services = active_services - 1\n",
  "  on begin_monitoring: services -> monitoring by social_worker\n",
  "  on review: monitoring by social_worker set last_review = today\n",
  "  on close: services, monitoring -> closed by supervisor when active_services = 0\n",
  "  on reopen: closed, screened_out -> registered by intake_officer\n",
  "  on deadline_missed: registered, urgent_response, assessment, case_planning, monitoring\n",
  "    by supervisor set escalations = escalations + 1\n",
  "  deadline start_assessment within 24 hours in registered when immediate_danger\n",
  "  deadline start_assessment within 3 working days in registered when not immediate_danger\n",
  "  deadline assessment_done within 10 working days in assessment\n",
  "  deadline approve_plan within 5 working days in case_planning\n",
  "  deadline review every 3 months in monitoring\n",
  "  escalate deadline_missed to supervisor\n",
  "}\n",
  "workflow trafficking_status \"Victim of trafficking status (Permanent Group)\" {\n",
  "  basis law\n",
  "  roles social_worker, permanent_group, supervisor\n",
  "  state referred initial \"Referred to the Permanent Group\"\n",
  "  state granted final \"Status granted\"\n",
  "  state refused final \"Status refused\"\n",
  "  event grant \"The Permanent Group grants the status\"\n",
  "  event refuse \"The Permanent Group refuses the status\"\n",
  "  event decision_overdue \"The 48 hours ran out\"\n",
  "  on grant: referred -> granted by permanent_group\n",
  "  on refuse: referred -> refused by permanent_group\n",
  "  on decision_overdue: referred by supervisor\n",
  "  deadline grant within 48 hours in referred escalate decision_overdue to supervisor\n",
  "}\n",
};

/* DIAGRAM_LINES as one text (a string literal that long is more than C99 promises) */
static const char *diagram_policy(void)
{
  static char text[8192];
  size_t i, used = 0;
  for (i = 0; i < sizeof DIAGRAM_LINES / sizeof DIAGRAM_LINES[0]; i++)
    used += (size_t)snprintf(text + used, sizeof text - used, "%s", DIAGRAM_LINES[i]);
  return text;
}

/* the referral workflow's (state, state, label) edges, from DIAGRAM_POLICY */
static const char *const referral_edges[] = {
  "notified|registered|register by intake_officer, social_worker",
  "notified|merged|merge by intake_officer, supervisor",
  "registered|merged|merge by intake_officer, supervisor",
  "registered|screened_out|screen_out by supervisor",
  "registered|urgent_response|flag_urgent by social_worker, police [immediate_danger]",
  "assessment|urgent_response|flag_urgent by social_worker, police [immediate_danger]",
  "urgent_response|urgent_response|separate_child by social_worker [court_order or "
  "restraining_order] / separated",
  "registered|assessment|start_assessment by social_worker",
  "urgent_response|assessment|start_assessment by social_worker",
  "assessment|case_planning|assessment_done by social_worker [concern_confirmed]",
  "assessment|closed|assessment_done by social_worker",
  "notified|notified|notify_police by intake_officer, social_worker / police_notified",
  "registered|registered|notify_police by intake_officer, social_worker / police_notified",
  "urgent_response|urgent_response|notify_police by intake_officer, social_worker / "
  "police_notified",
  "assessment|assessment|notify_police by intake_officer, social_worker / police_notified",
  "case_planning|case_planning|notify_police by intake_officer, social_worker / "
  "police_notified",
  "services|services|notify_police by intake_officer, social_worker / police_notified",
  "monitoring|monitoring|notify_police by intake_officer, social_worker / police_notified",
  "closed|closed|notify_police by intake_officer, social_worker / police_notified",
  "screened_out|screened_out|notify_police by intake_officer, social_worker / "
  "police_notified",
  "case_planning|services|approve_plan by supervisor",
  "services|services|start_service by social_worker / active_services",
  "monitoring|monitoring|start_service by social_worker / active_services",
  "services|services|end_service by social_worker [active_services > 0] / active_services",
  "monitoring|monitoring|end_service by social_worker [active_services > 0] / "
  "active_services",
  "services|monitoring|begin_monitoring by social_worker",
  "monitoring|monitoring|review by social_worker / last_review",
  "services|closed|close by supervisor [active_services = 0]",
  "monitoring|closed|close by supervisor [active_services = 0]",
  "closed|registered|reopen by intake_officer",
  "screened_out|registered|reopen by intake_officer",
  "registered|registered|deadline_missed by supervisor / escalations",
  "urgent_response|urgent_response|deadline_missed by supervisor / escalations",
  "assessment|assessment|deadline_missed by supervisor / escalations",
  "case_planning|case_planning|deadline_missed by supervisor / escalations",
  "monitoring|monitoring|deadline_missed by supervisor / escalations",
};

static size_t count_lines_with(const char *text, const char *needle)
{
  size_t n = 0;
  const char *line = text;
  while (*line != '\0') {
    const char *end = strchr(line, '\n');
    size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
    char buf[400];
    if (len < sizeof buf) {
      memcpy(buf, line, len);
      buf[len] = '\0';
      n += strstr(buf, needle) != NULL;
    }
    line += len + (end != NULL);
  }
  return n;
}

static void split_edge(const char *edge, char *from, char *to, char *label)
{
  const char *a = strchr(edge, '|'), *b = strchr(a + 1, '|');
  memcpy(from, edge, (size_t)(a - edge));
  from[a - edge] = '\0';
  memcpy(to, a + 1, (size_t)(b - a - 1));
  to[b - a - 1] = '\0';
  strcpy(label, b + 1);
}

static void test_workflow_check__mermaid_diagram(void **state)
{
  fx *f = *state;
  char *out = NULL;
  size_t len = 0, i;
  const cpw_workflow *wf;
  assert_int_equal(compile(f, diagram_policy()), CPW_OK);
  wf = cpw_policy_workflow(f->pol, "referral");
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_MERMAID, &out, &len), CPW_OK);
  assert_non_null(out);
  assert_int_equal(strlen(out), len);
  assert_int_equal(strncmp(out, "---\ntitle: \"Child protection referral\"\n---\n"
                                "stateDiagram-v2\n    [*] --> notified\n", 79), 0);
  assert_int_equal(count_lines_with(out, "stateDiagram-v2"), 1);
  /* the one final state */
  assert_non_null(strstr(out, "\n    merged --> [*]\n"));
  assert_int_equal(count_lines_with(out, "--> [*]"), 1);
  assert_int_equal(count_lines_with(out, "[*] -->"), 1);
  /* every edge, with roles, guard and updates, and no other */
  for (i = 0; i < LEN(referral_edges); i++) {
    char from[40], to[40], label[200], line[300];
    split_edge(referral_edges[i], from, to, label);
    snprintf(line, sizeof line, "\n    %s --> %s : %s\n", from, to, label);
    if (strstr(out, line) == NULL)
      fail_msg("no Mermaid edge %s", line + 1);
  }
  assert_int_equal(count_lines_with(out, " --> "), LEN(referral_edges) + 2);
  /* every state appears */
  for (i = 0; i < cpw_workflow_state_count(wf); i++) {
    char name[60];
    snprintf(name, sizeof name, " %s ", cpw_workflow_state(wf, i));
    assert_true(count_lines_with(out, name) > 0);
  }
  /* deadlines as notes */
  assert_int_equal(count_lines_with(out, "    note right of "), 5);
  assert_non_null(strstr(out, "\n    note right of registered : start_assessment within 24 "
                              "hours when immediate_danger, else deadline_missed to "
                              "supervisor\n"));
  assert_non_null(strstr(out, "\n    note right of monitoring : review every 3 months, else "
                              "deadline_missed to supervisor\n"));
  assert_non_null(strstr(out, "\n    note right of assessment : assessment_done within 10 "
                              "working days, else deadline_missed to supervisor\n"));
  assert_int_equal(out[len - 1], '\n');
  cpw_free(f->ctx, out);
  /* the trafficking workflow: two final states, the 48-hour note */
  wf = cpw_policy_workflow(f->pol, "trafficking_status");
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_MERMAID, &out, NULL), CPW_OK);
  assert_non_null(strstr(out, "\n    granted --> [*]\n"));
  assert_non_null(strstr(out, "\n    refused --> [*]\n"));
  assert_non_null(strstr(out, "\n    referred --> granted : grant by permanent_group\n"));
  assert_non_null(strstr(out, "\n    note right of referred : grant within 48 hours, else "
                              "decision_overdue to supervisor\n"));
  cpw_free(f->ctx, out);
}

/* Transitions and clocks whose basis is not law or regulation are marked; a clock that runs
 * across states is noted where its start event leads. */
static void test_workflow_check__diagram_marks(void **state)
{
  fx *f = *state;
  char *out = NULL;
  static const char text[] =
    "workflow w \"W\" {\n"
    "  basis proposal\n"
    "  roles a\n"
    "  state s0 initial\n"
    "  state s1\n"
    "  state end final\n"
    "  event go\n"
    "  event stop\n"
    "  event done\n"
    "  event late\n"
    "  on go: s0 -> s1 by a\n"
    "  on stop: s1 by a basis agency_default\n"
    "  on done: s1 -> end by a basis law\n"
    "  on late: * by a basis regulation\n"
    "  deadline go within 2 days in s0\n"
    "  deadline done within 3 days from go until stop when true basis agency_default\n"
    "  deadline done within 9 days from stop basis law\n"
    "  escalate late to a\n"
    "}\n";
  assert_int_equal(compile(f, text), CPW_OK);
  assert_int_equal(cpw_workflow_diagram(cpw_policy_workflow(f->pol, "w"), f->ctx,
                                        CPW_DIAGRAM_MERMAID, &out, NULL), CPW_OK);
  assert_non_null(strstr(out, "\n    s0 --> s1 : go by a (proposal)\n"));
  assert_non_null(strstr(out, "\n    s1 --> s1 : stop by a (agency default)\n"));
  assert_non_null(strstr(out, "\n    s1 --> end : done by a\n"));
  assert_non_null(strstr(out, "\n    s0 --> s0 : late by a\n"));
  assert_non_null(strstr(out, "\n    note right of s0 : go within 2 days, else late to a "
                              "(proposal)\n"));
  assert_non_null(strstr(out, "\n    note right of s1 : done within 3 days from go until stop "
                              "when true across states, else late to a (agency default)\n"));
  assert_non_null(strstr(out, "\n    note right of s1 : done within 9 days from stop across "
                              "states, else late to a\n"));
  assert_int_equal(count_lines_with(out, "note right of"), 3);
  cpw_free(f->ctx, out);
  assert_int_equal(cpw_workflow_diagram(cpw_policy_workflow(f->pol, "w"), f->ctx,
                                        CPW_DIAGRAM_DOT, &out, NULL), CPW_OK);
  assert_non_null(strstr(out, "\"s0\" -> \"s1\" [label=\"go\\nby a\\n(proposal)\"];\n"));
  assert_non_null(strstr(out, "[shape=note, label=\"done within 3 days from go until stop when "
                              "true across states\\nelse late to a (agency default)\"];\n"));
  cpw_free(f->ctx, out);
}

static void test_workflow_check__dot_diagram(void **state)
{
  fx *f = *state;
  char *out = NULL;
  size_t len = 0, i, depth = 0, quotes = 0;
  const cpw_workflow *wf;
  const char *p;
  assert_int_equal(compile(f, diagram_policy()), CPW_OK);
  wf = cpw_policy_workflow(f->pol, "referral");
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_DOT, &out, &len), CPW_OK);
  assert_int_equal(strlen(out), len);
  assert_int_equal(strncmp(out, "digraph \"referral\" {\n", 21), 0);
  assert_string_equal(out + len - 2, "}\n");
  /* braces balance outside strings; quotes pair up (none escaped in these labels) */
  for (p = out; *p != '\0'; p++) {
    if (*p == '"' && (p == out || p[-1] != '\\'))
      quotes++;
    else if (quotes % 2 == 0 && *p == '{')
      depth++;
    else if (quotes % 2 == 0 && *p == '}') {
      assert_true(depth > 0);
      depth--;
    }
  }
  assert_int_equal(depth, 0);
  assert_int_equal(quotes % 2, 0);
  assert_non_null(strstr(out, "  __start -> \"notified\";\n"));
  assert_non_null(strstr(out, "\n  \"merged\" [peripheries=2];\n"));
  assert_int_equal(count_lines_with(out, "[peripheries=2]"), 1);
  for (i = 0; i < LEN(referral_edges); i++) {
    char from[40], to[40], label[200], line[300], *s;
    split_edge(referral_edges[i], from, to, label);
    /* DOT puts roles, guard and updates on lines of their own: " by ", " [", " / " have
     * their space turned into "\n" */
    {
      static const char *const seps[] = { " by ", " [", " / " };
      size_t k;
      for (k = 0; k < LEN(seps); k++)
        if ((s = strstr(label, seps[k])) != NULL) {
          memmove(s + 2, s + 1, strlen(s + 1) + 1);
          memcpy(s, "\\n", 2);
        }
    }
    snprintf(line, sizeof line, "\n  \"%s\" -> \"%s\" [label=\"%s\"];\n", from, to, label);
    if (strstr(out, line) == NULL)
      fail_msg("no DOT edge %s", line + 1);
  }
  assert_int_equal(count_lines_with(out, "[label=\""), LEN(referral_edges));
  assert_int_equal(count_lines_with(out, "[shape=note, label=\""), 5);
  assert_int_equal(count_lines_with(out, "[style=dotted, arrowhead=none]"), 5);
  assert_non_null(strstr(out, "[shape=note, label=\"start_assessment within 3 working days "
                              "when not immediate_danger\\nelse deadline_missed to "
                              "supervisor\"];\n"));
  for (i = 0; i < cpw_workflow_state_count(wf); i++) {
    char name[60];
    snprintf(name, sizeof name, "\"%s\"", cpw_workflow_state(wf, i));
    assert_true(count_lines_with(out, name) > 0);
  }
  cpw_free(f->ctx, out);
}

static void test_workflow_check__diagram_arguments_and_titles(void **state)
{
  fx *f = *state;
  char *out = (char *)1;
  size_t len = 7;
  const cpw_workflow *wf;
  expect_clean(f, "workflow w \"Referral: \\\"Georgia\\\" # 2026\" {\n"
                  "  roles a\n"
                  "  state s initial\n"
                  "  state done final\n"
                  "  event go\n"
                  "  on go: s -> done\n"
                  "}\n"
                  "workflow untitled {\n"
                  "  roles a\n"
                  "  state s initial ongoing\n"
                  "}\n");
  wf = cpw_policy_workflow(f->pol, "w");
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, 7, &out, &len), CPW_EINVALID);
  assert_null(out);
  assert_int_equal(cpw_workflow_diagram(NULL, f->ctx, CPW_DIAGRAM_DOT, &out, &len),
                   CPW_EINVALID);
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_DOT, NULL, &len),
                   CPW_EINVALID);
  assert_int_equal(cpw_workflow_diagram(wf, NULL, CPW_DIAGRAM_DOT, &out, &len), CPW_EINVALID);
  /* a title with ': ', quotes and '#' stays one YAML string */
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_MERMAID, &out, &len), CPW_OK);
  assert_int_equal(strncmp(out, "---\ntitle: \"Referral: \\\"Georgia\\\" # 2026\"\n---\n", 46),
                   0);
  cpw_free(f->ctx, out);
  /* no title: the name; no final state: no '--> [*]' */
  wf = cpw_policy_workflow(f->pol, "untitled");
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_MERMAID, &out, &len), CPW_OK);
  assert_string_equal(out, "---\ntitle: \"untitled\"\n---\nstateDiagram-v2\n    [*] --> s\n");
  cpw_free(f->ctx, out);
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_DOT, &out, &len), CPW_OK);
  assert_string_equal(out, "digraph \"untitled\" {\n  rankdir=LR;\n  node [shape=box, "
                           "style=rounded];\n  __start [shape=point];\n  __start -> \"s\";\n}\n");
  cpw_free(f->ctx, out);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(test_workflow_check__##name, setup, teardown)
  const struct CMUnitTest tests[] = {
    T(valid_workflow_compiles),
    T(updates),
    T(guards_in_a_language),
    T(unreachable_state),
    T(no_path_to_a_final_state),
    T(initial_states),
    T(unknown_names),
    T(types_of_guards_and_updates),
    T(deadlines),
    T(final_state_with_outgoing_transition),
    T(warnings),
    T(text_fields_refused),
    T(duplicate_names),
    T(at_most_64_roles),
    T(at_most_65535_transitions),
    T(reserved_word_without_declaration),
    T(too_many_workflows),
    T(mermaid_diagram),
    T(dot_diagram),
    T(diagram_marks),
    T(diagram_arguments_and_titles),
  };
#undef T
  return cmocka_run_group_tests_name("workflow_check", tests, NULL, NULL);
}
