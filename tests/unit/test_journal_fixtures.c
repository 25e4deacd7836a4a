/* SPDX-License-Identifier: Apache-2.0 */
/* Journals written by libcpw 1.0, kept in tests/fixtures/journal-v1 (its README says how they
 * were made): this release must verify them with the same head hashes, read every entry back
 * with the same kinds and names, and replay them under the current embedded policy (which a
 * reader must be allowed to use: its hash is not the one in the journals). The on-disk format
 * does not change within version 1; names in old journals keep working. */
#include "cmocka_all.h"

#include "journal_testutil.h"

typedef struct fixture {
  const char *file;
  uint64_t entries;
  const char *head;
  size_t cases;        /* cases after replay */
  size_t episodes;     /* placement episodes after replay */
} fixture;

static const fixture fixtures[] = {
  { "referral-group5.journal", 390,
    "5047e645bf02ba2af1a48a37390a1e289d024aca39c94e2307994d484b228ad9", 40, 2 },
  { "placements-seed.journal", 238,
    "3b8226f79eabdeeafa6120b2faec513e107f55a4a0e7b6cfc78ad71902eebd3c", 0, 119 },
};

typedef struct tally {
  uint64_t n, kinds[5];
  uint64_t last_seq;
  int ordered;
} tally;

static int count_fn(const cpw_journal_entry *e, void *payload)
{
  tally *t = payload;
  t->n++;
  if (e->kind >= 1 && e->kind <= 4)
    t->kinds[e->kind]++;
  if (e->seq != t->last_seq + 1)
    t->ordered = 0;
  t->last_seq = e->seq;
  return 0;
}

static void path_of(char *out, size_t size, const char *file)
{
  const char *src = getenv("CPW_SOURCE_DIR");
  snprintf(out, size, "%s/tests/fixtures/journal-v1/%s", src != NULL ? src : ".", file);
}

static void test_fixtures__verify_and_read(void **state)
{
  size_t i;
  (void)state;
  for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
    cpw_ctx *ctx;
    cpw_journal_recovery info;
    cpw_journal *j = NULL;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    tally t;
    char path[1024];
    path_of(path, sizeof path, fixtures[i].file);
    assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
    if (cpw_journal_verify(ctx, path, &info) != CPW_OK)
      fail_msg("%s: %s", path, cpw_ctx_last_error(ctx)->message);
    assert_int_equal(info.entries, fixtures[i].entries);
    assert_string_equal(info.head_hash, fixtures[i].head);
    assert_int_equal(info.truncated_bytes, 0);
    o.flags = CPW_JOURNAL_READONLY;
    assert_int_equal(cpw_journal_open(&j, ctx, path, NULL, &o), CPW_OK);
    memset(&t, 0, sizeof t);
    t.ordered = 1;
    assert_int_equal(cpw_journal_foreach(j, ctx, count_fn, &t), CPW_OK);
    assert_int_equal(t.n, fixtures[i].entries);
    assert_true(t.ordered); /* entries numbered 1, 2, 3 ... as users count them */
    assert_int_equal(t.kinds[1] + t.kinds[2] + t.kinds[3] + t.kinds[4], t.n);
    cpw_journal_close(j);
    cpw_ctx_free(ctx);
  }
}

static void test_fixtures__replay_under_the_current_policy(void **state)
{
  size_t i;
  (void)state;
  for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
    cpw_ctx *ctx;
    cpw_policy *pol;
    cpw_caseload *cl;
    cpw_registry *reg;
    cpw_journal *j = NULL;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    char path[1024];
    path_of(path, sizeof path, fixtures[i].file);
    assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
    assert_int_equal(cpw_policy_default(&pol, ctx), CPW_OK);
    o.flags = CPW_JOURNAL_READONLY | CPW_JOURNAL_ALLOW_POLICY_CHANGE;
    assert_int_equal(cpw_journal_open(&j, ctx, path, pol, &o), CPW_OK);
    assert_int_equal(cpw_caseload_new(&cl, ctx, pol), CPW_OK);
    assert_int_equal(cpw_registry_new(&reg, ctx, pol), CPW_OK);
    if (cpw_journal_replay(j, cl) != CPW_OK || cpw_journal_replay_registry(j, reg) != CPW_OK)
      fail_msg("%s does not replay under the current policy: %s", fixtures[i].file,
               cpw_ctx_last_error(ctx)->message);
    assert_int_equal(cpw_caseload_case_count(cl), fixtures[i].cases);
    assert_int_equal(cpw_registry_episode_count(reg), fixtures[i].episodes);
    cpw_registry_free(reg);
    cpw_caseload_free(cl);
    cpw_journal_close(j);
    cpw_policy_free(pol);
    cpw_ctx_free(ctx);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fixtures__verify_and_read),
    cmocka_unit_test(test_fixtures__replay_under_the_current_policy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
