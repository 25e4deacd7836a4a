/* SPDX-License-Identifier: Apache-2.0 */
/* Labels per language (lib/policy/labels.c).
 *
 * The default policy: every name a user sees (fields and their values, definitions,
 * parameters, programmes, benefits, services, workflows, their states, events, roles and case
 * fields, calendars and holidays, settings, facilities, regions, gatekeeping reasons) has an
 * `en` and a `ka` label; the names are enumerated here from the compiled policy itself (and
 * the holidays from its calendar, day by day), not from the checker's list, and a failure
 * prints each missing label as the line to add to lib/policy/georgia/9x-labels-*.cpw.
 *
 * The checker: a label for a name the policy does not have and a name without a label are
 * warned about; a kind that does not exist, a bad tag and a label without text are errors; a
 * message may reword a fixed word or give one in a new language. */
#include "policytest.h"

#include "base/utf8.h"
#include "policy/labels_syntax.h"
#include "policy/pl_model.h"
#include "policy/wf_model.h"

/* ------------------------------------------------------------------ the default policy */

typedef struct missing_list {
  const cpw_policy *pol;
  const cpw__lang *lang;
  const char *tag;
  char text[16384];
  size_t used;
  int count, checked;
} missing_list;

static void need(missing_list *m, const char *kind, const char *name)
{
  const char *l = cpw__label(m->pol, m->lang, kind, name, strlen(name));
  m->checked++;
  if (l != NULL && l[0] != '\0') {
    assert_true(cpw__utf8_valid(l, strlen(l)));
    return;
  }
  m->count++;
  if (m->used < sizeof m->text - 200) {
    int quoted = strcmp(kind, "holiday") == 0 || strcmp(kind, "region") == 0 ||
                 strcmp(kind, "reason") == 0;
    m->used += (size_t)snprintf(m->text + m->used, sizeof m->text - m->used,
                                "  labels %s: %s %s%s%s \"...\"\n", m->tag, kind,
                                quoted ? "\"" : "", name, quoted ? "\"" : "");
  }
}

static void need2(missing_list *m, const char *kind, const char *a, const char *b)
{
  char name[400];
  snprintf(name, sizeof name, "%s.%s", a, b);
  need(m, kind, name);
}

static void values(missing_list *m, const char *wf, const cpw__field *f)
{
  uint32_t v;
  char name[400];
  if (f->type != T_ENUM && f->type != T_SET)
    return;
  for (v = 0; v < m->pol->enums[f->enum_id].nmembers; v++) {
    if (wf != NULL)
      snprintf(name, sizeof name, "%s.%s.%s", wf, f->name, m->pol->enums[f->enum_id].members[v]);
    else
      snprintf(name, sizeof name, "%s.%s", f->name, m->pol->enums[f->enum_id].members[v]);
    need(m, "value", name);
  }
}

static void every_name(missing_list *m)
{
  const cpw_policy *pol = m->pol;
  const cpw__placement_policy *pp = pol->placement;
  uint32_t i, j;
  cpw_date d, from, to;
  need(m, "policy", "");
  for (i = 0; i < pol->ncalendars; i++) {
    need(m, "calendar", pol->calendars[i].name);
    /* every holiday name of two years (Easter moves; 17 May is from 2024) */
    assert_int_equal(cpw_date_from_ymd(&from, 2024, 1, 1), CPW_OK);
    assert_int_equal(cpw_date_from_ymd(&to, 2025, 12, 31), CPW_OK);
    for (d = from; d <= to; d++) {
      const char *h = NULL;
      if (cpw_calendar_is_holiday(pol->calendars[i].cal, d, &h) == 1 && h != NULL && h[0])
        need(m, "holiday", h);
    }
  }
  for (i = 0; i < pol->nfields; i++) {
    need(m, "field", pol->fields[i].name);
    values(m, NULL, &pol->fields[i]);
  }
  for (i = 0; i < pol->ndefines; i++)
    need(m, "define", pol->defines[i].name);
  for (i = 0; i < pol->nparams; i++)
    need(m, "param", pol->params[i].name);
  for (i = 0; i < pol->nprograms; i++) {
    const cpw_program *g = cpw_policy_program_at(pol, i);
    need(m, "program", cpw_program_id(g));
    for (j = 0; j < cpw_program_benefit_count(g); j++)
      need2(m, "benefit", cpw_program_id(g), cpw_program_benefit(g, j));
    for (j = 0; j < cpw_program_service_count(g); j++)
      need2(m, "service", cpw_program_id(g), cpw_program_service(g, j));
  }
  for (i = 0; i < cpw_policy_workflow_count(pol); i++) {
    const cpw_workflow *wf = cpw_policy_workflow_at(pol, i);
    const char *w = cpw_workflow_name(wf);
    need(m, "workflow", w);
    for (j = 0; j < cpw_workflow_role_count(wf); j++)
      need(m, "role", cpw_workflow_role(wf, j));
    for (j = 0; j < cpw_workflow_state_count(wf); j++)
      need2(m, "state", w, cpw_workflow_state(wf, j));
    for (j = 0; j < cpw_workflow_event_count(wf); j++)
      need2(m, "event", w, cpw_workflow_event(wf, j));
    for (j = 0; j < cpw_workflow_field_count(wf); j++) {
      need2(m, "field", w, cpw_workflow_field(wf, j));
      values(m, w, &wf->fields[j]);
    }
  }
  assert_non_null(pp);
  for (i = 0; i < pp->nroles; i++)
    need(m, "role", pp->roles[i]);
  for (i = 0; i < cpw_policy_setting_count(pol); i++)
    need(m, "setting", cpw_policy_setting(pol, i));
  for (i = 0; i < pp->nfacilities; i++) {
    need(m, "facility", pp->facilities[i].id);
    if (pp->facilities[i].region[0] != '\0')
      need(m, "region", pp->facilities[i].region);
  }
  for (i = 0; i < pp->nrules; i++)
    need(m, "reason", pp->rules[i].reason);
}

static void test_labels__default_policy_has_en_and_ka_for_every_name(void **state)
{
  static const char *const tags[] = { "en", "ka" };
  pt_env e;
  size_t t;
  (void)state;
  pt_open_default(&e);
  for (t = 0; t < sizeof tags / sizeof tags[0]; t++) {
    missing_list *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->pol = e.pol;
    m->tag = tags[t];
    m->lang = cpw__policy_lang(e.pol, tags[t]);
    assert_non_null(m->lang);
    assert_non_null(cpw__labels_find(e.pol, tags[t]));
    every_name(m);
    assert_true(m->checked > 150); /* the policy's 160 names, at least */
    if (m->count > 0)
      fail_msg("%d names have no %s label; add to lib/policy/georgia/9x-labels-%s.cpw:\n%s",
               m->count, tags[t], tags[t], m->text);
    free(m);
  }
  pt_close(&e);
}

/* The default policy compiles without a warning: no label for an unknown name, none lacking. */
static void test_labels__default_policy_compiles_without_warnings(void **state)
{
  cpw_policy_source src[16];
  cpw_diagnostics *dg = NULL;
  cpw_policy *pol = NULL;
  cpw_ctx *ctx;
  size_t i, n = cpw_policy_default_source_count();
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_true(n <= 16);
  for (i = 0; i < n; i++)
    src[i].text = cpw_policy_default_source(i, &src[i].name, &src[i].len);
  assert_int_equal(cpw_policy_compile(&pol, ctx, src, n, &dg), CPW_OK);
  if (cpw_diagnostics_count(dg) > 0) {
    pt_print_diags(dg);
    fail_msg("the default policy has %zu diagnostics", cpw_diagnostics_count(dg));
  }
  cpw_diagnostics_free(dg);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
}

/* ------------------------------------------------------------------ the checker */

static const char BASE[] =
  "field city: enum(tbilisi, batumi) \"City\"\n"
  "field age: int\n"
  "program p \"P\" { eligible when age < 18 service s \"S\" }\n"
  "workflow w { roles clerk\n"
  "  state a initial\n  state b final\n  event go\n"
  "  on go: a -> b by clerk }\n";

/* Compile BASE + labels; every diagnostic as "line:col: message" lines into out. */
static int compile_labels(const char *labels, char *out, size_t size)
{
  cpw_policy_source src[2];
  cpw_diagnostics *dg = NULL;
  cpw_policy *pol = NULL;
  cpw_ctx *ctx;
  size_t i, used = 0;
  int rc;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  src[0].name = "base.cpw";
  src[0].text = BASE;
  src[0].len = strlen(BASE);
  src[1].name = "labels.cpw";
  src[1].text = labels;
  src[1].len = strlen(labels);
  rc = cpw_policy_compile(&pol, ctx, src, 2, &dg);
  out[0] = '\0';
  for (i = 0; i < cpw_diagnostics_count(dg); i++) {
    const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
    used += (size_t)snprintf(out + used, size - used, "%s %d:%d: %s\n",
                             g->severity == CPW_SEVERITY_ERROR ? "error" : "warning", g->line,
                             g->column, g->message);
  }
  cpw_diagnostics_free(dg);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}

#define ALL_LABELS                                                                         \
  "  policy \"Π\"\n  field city \"Ciudad\"\n  value city.tbilisi \"T\"\n"                   \
  "  value city.batumi \"B\"\n  field age \"Edad\"\n  program p \"Pe\"\n"                   \
  "  service p.s \"Ese\"\n  workflow w \"W\"\n  role clerk \"C\"\n  state w.a \"A\"\n"   \
  "  state w.b \"Be\"\n  event w.go \"Go\"\n"

static void test_labels__complete_labels_compile_cleanly(void **state)
{
  char out[4096];
  (void)state;
  assert_int_equal(compile_labels("labels ka {\n" ALL_LABELS "}\n", out, sizeof out), CPW_OK);
  assert_string_equal(out, "");
}

static void test_labels__a_name_without_a_label(void **state)
{
  char out[4096];
  (void)state;
  assert_int_equal(compile_labels("labels ka \"ქართული\" {\n  field city \"ქალაქი\"\n"
                                  "  value city.tbilisi \"თბილისი\"\n}\n", out, sizeof out),
                   CPW_OK);
  assert_string_equal(out,
                      "warning 1:1: labels ka: no label for the policy\n"
                      "warning 1:1: labels ka: no label for value city.batumi\n"
                      "warning 1:1: labels ka: no label for field age\n"
                      "warning 1:1: labels ka: no label for program p\n"
                      "warning 1:1: labels ka: no label for service p.s\n"
                      "warning 1:1: labels ka: no label for workflow w\n"
                      "warning 1:1: labels ka: no label for role clerk\n"
                      "warning 1:1: labels ka: no label for state w.a\n"
                      "warning 1:1: labels ka: no label for state w.b\n"
                      "warning 1:1: labels ka: no label for event w.go\n");
}

static void test_labels__a_label_for_an_unknown_name(void **state)
{
  char out[4096];
  (void)state;
  assert_int_equal(compile_labels("labels en {\n" ALL_LABELS
                                  "  field town \"Town\"\n"
                                  "  value city.kutaisi \"Kutaisi\"\n"
                                  "  state w.c \"C\"\n"
                                  "  service p.t \"T\"\n"
                                  "  reason \"the facility is full\" \"full\"\n"
                                  "  field age \"again\"\n"
                                  "  message no_such_word \"x\"\n"
                                  "}\n", out, sizeof out), CPW_OK);
  assert_string_equal(out,
                      "warning 14:3: labels en: a label for field 'town', which the policy "
                      "does not have\n"
                      "warning 15:3: labels en: a label for value 'city.kutaisi', which the "
                      "policy does not have\n"
                      "warning 16:3: labels en: a label for state 'w.c', which the policy does "
                      "not have\n"
                      "warning 17:3: labels en: a label for service 'p.t', which the policy "
                      "does not have\n"
                      "warning 18:3: labels en: a label for reason 'the facility is full', "
                      "which the policy does not have\n"
                      "warning 19:3: labels en: field 'age' has a label already\n"
                      "warning 20:3: labels en: there is no message 'no_such_word' (see "
                      "docs/policy-language.md)\n");
}

static void test_labels__errors(void **state)
{
  char out[4096];
  (void)state;
  assert_int_equal(compile_labels("labels ka {\n  colour city \"x\"\n}\n", out, sizeof out),
                   CPW_EPOLICY);
  assert_non_null(strstr(out, "error 2:3: labels ka: 'colour' is not a kind of name"));
  assert_int_equal(compile_labels("labels ka {\n  field city\n}\n", out, sizeof out),
                   CPW_EPOLICY);
  assert_non_null(strstr(out, "error 3:1: expected the label in quotes"));
  assert_int_equal(compile_labels("labels \"k a\" {\n}\n", out, sizeof out), CPW_EPOLICY);
  assert_non_null(strstr(out, "a language tag is letters, digits and '-'"));
  assert_int_equal(compile_labels("labels ka {\n  field city \"x\"\n", out, sizeof out),
                   CPW_EPOLICY);
  assert_non_null(strstr(out, "at the end of the labels"));
  /* an empty label is a warning (the name stays without one) */
  assert_int_equal(compile_labels("labels ka {\n" ALL_LABELS "  field city \"\"\n}\n", out,
                                  sizeof out), CPW_OK);
  assert_non_null(strstr(out, "labels ka: the label of field 'city' is empty"));
}

/* A language the library does not have: its words are English until translated. */
static void test_labels__a_new_language(void **state)
{
  char out[4096];
  pt_env e;
  const cpw__lang *ru;
  (void)state;
  assert_int_equal(compile_labels("labels ru \"русский\" {\n" ALL_LABELS
                                  "  message eligible \"имеет право\"\n}\n", out, sizeof out),
                   CPW_OK);
  assert_non_null(strstr(out, "warning 1:1: labels ru: "));
  assert_non_null(strstr(out, "of the library's fixed words are not translated"));
  pt_open(&e, "field age: int\nprogram p \"P\" { eligible when age < 18 }\n"
              "labels ru \"русский\" {\n  field age \"возраст\"\n  program p \"П\"\n"
              "  message eligible \"имеет право\"\n  message not_eligible \"не имеет права\"\n}\n"
              "labels ka {\n  field age \"ასაკი\"\n  program p \"პ\"\n"
              "  message eligible \"უფლება აქვს\"\n}\n");
  ru = cpw__policy_lang(e.pol, "ru");
  assert_non_null(ru);
  assert_string_equal(ru->msg[MSG_ELIGIBLE], "имеет право");
  assert_string_equal(ru->msg[MSG_UNDETERMINED], "undetermined"); /* not translated */
  assert_string_equal(cpw__label(e.pol, ru, "field", "age", 3), "возраст");
  /* a built-in language reworded by the policy */
  assert_string_equal(cpw__policy_lang(e.pol, "ka")->msg[MSG_ELIGIBLE], "უფლება აქვს");
  assert_string_equal(cpw__policy_lang(e.pol, "ka")->msg[MSG_UNDETERMINED], "ვერ დადგინდა");
  /* without labels: the built-in languages, and no other */
  assert_true(cpw__policy_lang(e.pol, "en") == cpw__lang_get("en"));
  assert_null(cpw__policy_lang(e.pol, "hy"));
  assert_true(cpw__policy_lang(e.pol, "") == cpw__lang_names());
  pt_close(&e);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_labels__default_policy_has_en_and_ka_for_every_name),
    cmocka_unit_test(test_labels__default_policy_compiles_without_warnings),
    cmocka_unit_test(test_labels__complete_labels_compile_cleanly),
    cmocka_unit_test(test_labels__a_name_without_a_label),
    cmocka_unit_test(test_labels__a_label_for_an_unknown_name),
    cmocka_unit_test(test_labels__errors),
    cmocka_unit_test(test_labels__a_new_language),
  };
  return cmocka_run_group_tests_name("labels", tests, NULL, NULL);
}
