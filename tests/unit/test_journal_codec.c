/* SPDX-License-Identifier: Apache-2.0 */
/* The journal's vocabulary is data: docs/journal-format.md's table of placement events lists
 * exactly the events, fields and types of the codec table in lib/journal/placements.c, in
 * order; every entry kind has its name (cpw_journal_kind_name); and every placement event
 * written through the journal replays to the same registry. */
#include "cmocka_all.h"

#include "journal/journal_int.h"
#include "journal_testutil.h"

/* the rows of the "### Placement events" table: "| `name` | `f` (type), ... |" */
static char *read_doc(size_t *len)
{
  const char *src = getenv("CPW_SOURCE_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/docs/journal-format.md", src != NULL ? src : ".");
  return (char *)jt_read_file(path, len);
}

static void test_codec__doc_lists_the_codec_table(void **state)
{
  size_t len = 0, i = 0, k, nf = 0;
  char *doc = read_doc(&len), *p, *end;
  (void)state;
  assert_non_null(doc);
  doc = realloc(doc, len + 1);
  assert_non_null(doc);
  doc[len] = '\0';
  p = strstr(doc, "### Placement events");
  assert_non_null(p);
  p = strstr(p, "|---|---|");
  assert_non_null(p);
  p = strchr(p, '\n') + 1;
  /* each row in turn against the codec's events, in order */
  while (strncmp(p, "| `", 3) == 0) {
    char want[1024];
    size_t n;
    const char *name = cpw__journal_placement_event(i, &nf);
    end = strchr(p, '\n');
    assert_non_null(end);
    if (name == NULL)
      fail_msg("the doc lists more placement events than the codec: %.*s", (int)(end - p), p);
    n = (size_t)snprintf(want, sizeof want, "| `%s` | ", name);
    for (k = 0; k < nf; k++) {
      const char *type, *f = cpw__journal_placement_field(i, k, &type);
      n += (size_t)snprintf(want + n, sizeof want - n, "%s`%s` (%s)", k ? ", " : "", f, type);
    }
    snprintf(want + n, sizeof want - n, " |");
    if ((size_t)(end - p) != strlen(want) || strncmp(p, want, strlen(want)) != 0)
      fail_msg("docs/journal-format.md's row\n  %.*s\nis not the codec's\n  %s", (int)(end - p), p,
               want);
    p = end + 1;
    i++;
  }
  if (i != cpw__journal_placement_events())
    fail_msg("the doc lists %zu placement events, the codec %zu", i,
             cpw__journal_placement_events());
  assert_null(cpw__journal_placement_event(i, &nf));
  free(doc);
}

static void test_codec__kind_names(void **state)
{
  (void)state;
  assert_string_equal(cpw_journal_kind_name(CPW_JOURNAL_CASE_OPEN), "case_open");
  assert_string_equal(cpw_journal_kind_name(CPW_JOURNAL_CASE_EVENT), "case_event");
  assert_string_equal(cpw_journal_kind_name(CPW_JOURNAL_PLACEMENT), "placement");
  assert_string_equal(cpw_journal_kind_name(CPW_JOURNAL_ANNOTATION), "annotation");
  assert_string_equal(cpw_journal_kind_name(0), "unknown");
  assert_string_equal(cpw_journal_kind_name(CPW__J_KIND_LAST + 1), "unknown");
  assert_string_equal(cpw_journal_kind_name(CPW__J_KIND_COMMIT), "unknown");
  assert_string_equal(cpw_journal_kind_name(-1), "unknown");
}

/* every event of the table written and replayed: the same registry */
static void test_codec__every_event_round_trips(void **state)
{
  char dir[512], path[600];
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_registry *reg, *back;
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_placement_request rq = CPW_PLACEMENT_REQUEST_INIT;
  cpw_placement_info a, b;
  cpw_date d;
  (void)state;
  assert_int_equal(jt_tmpdir(dir, sizeof dir, 1), 0);
  snprintf(path, sizeof path, "%s/codec.cpwj", dir);
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_default(&pol, ctx), CPW_OK);
  assert_int_equal(cpw_registry_new(&reg, ctx, pol), CPW_OK);
  o.flags = CPW_JOURNAL_CREATE;
  assert_int_equal(cpw_journal_open(&j, ctx, path, pol, &o), CPW_OK);
  assert_int_equal(cpw_journal_add_facility(j, reg, "sgh-9", "small_group_home", "Home 9",
                                            "Kutaisi", 6, 3, 17), CPW_OK);
  assert_int_equal(cpw_date_parse(&d, ctx, "2015-04-01", 10), CPW_OK);
  assert_int_equal(cpw_journal_add_child(j, reg, "CH-9", d, "G9"), CPW_OK);
  assert_int_equal(cpw_journal_add_child(j, reg, "CH-10", CPW_DATE_MIN, NULL), CPW_OK);
  rq.child = "CH-9";
  rq.facility = "sgh-9";
  rq.actor = "sw-9";
  rq.role = "social_worker";
  rq.reason = "care plan";
  rq.keep_siblings_together = 1;
  assert_int_equal(cpw_date_parse(&rq.date, ctx, "2025-02-01", 10), CPW_OK);
  assert_int_equal(cpw_journal_place(j, reg, &rq), CPW_OK);
  assert_int_equal(cpw_date_parse(&d, ctx, "2025-05-01", 10), CPW_OK);
  assert_int_equal(cpw_journal_review_placement(j, reg, "CH-9", d, "sw-9", "social_worker"),
                   CPW_OK);
  rq.facility = NULL;
  rq.setting = "foster_care";
  rq.region = "Kutaisi";
  rq.emergency = 1;
  assert_int_equal(cpw_date_parse(&rq.date, ctx, "2025-08-01", 10), CPW_OK);
  assert_int_equal(cpw_journal_move(j, reg, &rq), CPW_OK);
  cpw_journal_close(j);
  o.flags = CPW_JOURNAL_READONLY;
  assert_int_equal(cpw_journal_open(&j, ctx, path, pol, &o), CPW_OK);
  assert_int_equal(cpw_registry_new(&back, ctx, pol), CPW_OK);
  assert_int_equal(cpw_journal_replay_registry(j, back), CPW_OK);
  assert_int_equal(cpw_registry_episode_count(back), cpw_registry_episode_count(reg));
  assert_int_equal(cpw_registry_current(reg, "CH-9", &a), CPW_OK);
  assert_int_equal(cpw_registry_current(back, "CH-9", &b), CPW_OK);
  assert_int_equal(a.start, b.start);
  assert_string_equal(a.setting, b.setting);
  assert_string_equal(a.region, b.region);
  assert_int_equal(a.category, b.category);
  assert_int_equal(a.review_due, b.review_due);
  cpw_journal_close(j);
  cpw_registry_free(back);
  cpw_registry_free(reg);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  jt_rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_codec__doc_lists_the_codec_table),
    cmocka_unit_test(test_codec__kind_names),
    cmocka_unit_test(test_codec__every_event_round_trips),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
