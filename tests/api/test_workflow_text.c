/* SPDX-License-Identifier: Apache-2.0 */
/* A workflow as text: its diagrams (guards folded to one line, line ends and tabs as one
 * space, comments left out; every deadline unit; the fields a transition sets;
 * a title with quotes, a backslash and a tab) and a case's field values as text (money with
 * its sign and two decimals, sets joined by '|', cut to the buffer). Public API only. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

static const char policy_text[] =
  "calendar cal {\n  weekend saturday, sunday\n}\n"
  "workflow w \"The \\\"W\\\" flow\\\\one\\tand two\" {\n"
  "  calendar cal\n"
  "  roles clerk, boss\n"
  "  field fee: money = 0 GEL\n"
  "  field tags: set of enum(red, green, blue)\n"
  "  field level: enum(low, high) = low\n"
  "  state open initial\n"
  "  state review\n"
  "  state done final\n"
  "  event submit carries fee, tags\n"
  "  event approve\n"
  "  event close\n"
  "  event remind\n"
  "  event adjust carries fee\n"
  "  on submit: open -> review by clerk\n"
  "    when level != high   # a comment, and more\n"
  "     and\tfee > 10 GEL\n"
  "    set level = high, fee = fee * 2\n"
  "  on approve: review -> done by boss when tags contains red or\r\n      fee = 0 GEL\n"
  "  on close: * -> done by boss\n"
  "  deadline remind within 30 minutes in open escalate remind to boss\n"
  "  deadline remind within 2 hours in review escalate remind to boss\n"
  "  deadline approve within 3 days in review escalate remind to boss\n"
  "  deadline approve within 2 weeks in review escalate remind to boss\n"
  "  deadline approve within 1 month in review escalate remind to boss\n"
  "  deadline close within 1 year in open escalate remind to boss\n"
  "  deadline close within 5 working days in open escalate remind to boss\n"
  "  on remind: open, review by boss\n"
  "  on adjust: open by clerk\n"
  "}\n";

typedef struct fx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  if (f == NULL)
    return -1;
  *state = f;
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL ||
      cpw_policy_from_string(&f->pol, f->ctx, "w.cpw", policy_text, sizeof policy_text - 1) !=
        CPW_OK) {
    fprintf(stderr, "%s\n", f->ctx != NULL ? cpw_ctx_last_error(f->ctx)->message : "no ctx");
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  free(f);
  return 0;
}

static void test_workflow_text__diagrams(void **state)
{
  fx *f = *state;
  const cpw_workflow *wf = cpw_policy_workflow(f->pol, "w");
  char *out = NULL;
  size_t len = 0;
  static const char *const units[] = { "30 minutes", "2 hours", "3 days", "2 weeks", "1 months",
                                       "1 years", "5 working days" };
  size_t i;
  assert_non_null(wf);
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_MERMAID, &out, &len), CPW_OK);
  assert_int_equal(strlen(out), len);
  /* the title as a YAML string: quotes and the backslash escaped, the tab a space */
  if (strstr(out, "title: \"The \\\"W\\\" flow\\\\one and two\"") == NULL)
    fail_msg("title:\n%s", out);
  /* the guard on one line, the comment gone, the string's '#' kept, quotes as ' */
  if (strstr(out, "submit by clerk [level != high and fee > 10 GEL] / level, fee") == NULL)
    fail_msg("submit:\n%s", out);
  if (strstr(out, "approve by boss [tags contains red or fee = 0 GEL]") == NULL)
    fail_msg("approve:\n%s", out);
  for (i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strstr(out, units[i]) == NULL)
      fail_msg("no deadline of %s:\n%s", units[i], out);
  cpw_free(f->ctx, out);
  assert_int_equal(cpw_workflow_diagram(wf, f->ctx, CPW_DIAGRAM_DOT, &out, &len), CPW_OK);
  if (strstr(out, "submit\\nby clerk\\n[level != high and fee > 10 GEL]\\n/ level, fee") ==
      NULL)
    fail_msg("dot:\n%s", out);
  cpw_free(f->ctx, out);
}

static void test_workflow_text__values(void **state)
{
  fx *f = *state;
  cpw_caseload *cl;
  cpw_case *c;
  char buf[64], tiny[6];
  cpw_field_value fv[2] = { { "fee", "-5.05" }, { "tags", "red|blue" } };
  cpw_time t = 1767250800;
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "C-1", "w", NULL, 0, t, "u-1", "clerk"), CPW_OK);
  assert_int_equal(cpw_case_get_string(c, "fee", buf, sizeof buf), 1);
  assert_string_equal(buf, "0.00");
  assert_int_equal(cpw_case_get_string(c, "tags", buf, sizeof buf), 0); /* missing */
  assert_int_equal(cpw_case_get_string(c, "level", buf, sizeof buf), 1);
  assert_string_equal(buf, "low");
  assert_int_equal(cpw_case_get_string(c, "nope", buf, sizeof buf), CPW_ENOTFOUND);
  /* submit refused by its guard (fee not above 10 GEL): nothing changes */
  assert_int_equal(cpw_case_apply(c, "submit", "u-1", "clerk", t + 60, fv, 2), CPW_EDENIED);
  assert_int_equal(cpw_case_get_string(c, "fee", buf, sizeof buf), 1);
  assert_string_equal(buf, "0.00");
  fv[0].value = "12.30";
  assert_int_equal(cpw_case_apply(c, "submit", "u-1", "clerk", t + 120, fv, 2), CPW_OK);
  assert_int_equal(cpw_case_get_string(c, "fee", buf, sizeof buf), 1);
  assert_string_equal(buf, "24.60"); /* set fee = fee * 2 */
  assert_int_equal(cpw_case_get_string(c, "tags", buf, sizeof buf), 1);
  assert_string_equal(buf, "red|blue");
  assert_int_equal(cpw_case_get_string(c, "tags", tiny, sizeof tiny), 1);
  assert_string_equal(tiny, "red|b"); /* cut to the buffer, still a string */
  assert_int_equal(cpw_case_get_string(c, "level", buf, sizeof buf), 1);
  assert_string_equal(buf, "high");
  /* negative amounts keep their sign and two decimals */
  assert_int_equal(cpw_caseload_open(cl, &c, "C-2", "w", NULL, 0, t, "u-1", "clerk"), CPW_OK);
  fv[0].value = "-5.05";
  assert_int_equal(cpw_case_apply(c, "adjust", "u-1", "clerk", t + 60, fv, 1), CPW_OK);
  assert_int_equal(cpw_case_get_string(c, "fee", buf, sizeof buf), 1);
  assert_string_equal(buf, "-5.05");
  fv[0].value = "-0.50";
  assert_int_equal(cpw_case_apply(c, "adjust", "u-1", "clerk", t + 120, fv, 1), CPW_OK);
  assert_int_equal(cpw_case_get_string(c, "fee", buf, sizeof buf), 1);
  assert_string_equal(buf, "-0.50");
  cpw_caseload_free(cl);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_workflow_text__diagrams),
    cmocka_unit_test(test_workflow_text__values),
  };
  return cmocka_run_group_tests_name("workflow_text", tests, setup, teardown);
}
