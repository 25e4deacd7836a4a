/* SPDX-License-Identifier: Apache-2.0 */
/* A journal's errors are reported in the context the caller passes, even when it is not the
 * journal's own: memory the journal's context cannot get while a caller appends through its
 * own context (a thread's) is CPW_ENOMEM in the caller's context too, with the message; the
 * entry is not taken and the journal goes on once memory is back. And a journal named by a
 * path without a directory (the current one is made durable with it). */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "journal_testutil.h"
#include "testalloc.h"

static int hook(const cpw_journal_entry *e, void *payload)
{
  (void)e;
  ++*(int *)payload;
  return 0;
}

static void test_contexts__enomem_in_the_callers_context(void **state)
{
  char dir[512], path[600];
  cpw_test_alloc ta;
  cpw_ctx *own, *caller;
  cpw_policy *pol;
  cpw_journal *j = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal_entry e;
  cpw_field_value fv[40];
  static char big[60000];
  int calls = 0, i;
  (void)state;
  assert_int_equal(jt_tmpdir(dir, sizeof dir, 1), 0);
  snprintf(path, sizeof path, "%s/j.cpwj", dir);
  cpw_test_alloc_init(&ta);
  own = cpw_test_ctx(&ta);
  assert_non_null(own);
  assert_int_equal(cpw_ctx_new(&caller, NULL), CPW_OK);
  assert_int_equal(cpw_policy_default(&pol, caller), CPW_OK);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = 100;
  o.hook = hook;
  o.hook_payload = &calls;
  assert_int_equal(cpw_journal_open(&j, own, path, pol, &o), CPW_OK);
  memset(big, 'x', sizeof big - 1);
  for (i = 0; i < 40; i++) {
    fv[i].field = i == 0 ? "note" : "n";
    fv[i].value = i == 0 ? big : "1";
  }
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.at = 1767250800;
  e.actor = "u-1";
  e.name = "note";
  e.fields = fv;
  e.nfields = 1;
  /* the pending buffer cannot grow: the journal's context has no memory */
  ta.fail_at = ta.count;
  ta.sticky = true;
  assert_int_equal(cpw_journal_append(j, caller, &e), CPW_ENOMEM);
  assert_int_equal(cpw_ctx_last_error(caller)->code, CPW_ENOMEM);
  assert_true(cpw_ctx_last_error(caller)->message[0] != '\0');
  assert_int_equal(cpw_journal_pending(j), 0);
  /* nor can the room the hook needs for more fields than any entry had */
  e.nfields = 40;
  fv[0].value = "short";
  assert_int_equal(cpw_journal_append(j, caller, &e), CPW_ENOMEM);
  assert_int_equal(cpw_ctx_last_error(caller)->code, CPW_ENOMEM);
  assert_int_equal(cpw_journal_pending(j), 0);
  /* memory back: both go in, and are committed */
  ta.fail_at = -1;
  ta.sticky = false;
  if (cpw_journal_append(j, caller, &e) != CPW_OK)
    fail_msg("%s", cpw_ctx_last_error(caller)->message);
  e.nfields = 1;
  fv[0].value = big;
  assert_int_equal(cpw_journal_append(j, caller, &e), CPW_OK);
  assert_int_equal(cpw_journal_commit(j, caller), CPW_OK);
  assert_int_equal(calls, 2);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  cpw_journal_close(j);
  cpw_policy_free(pol);
  cpw_ctx_free(caller);
  cpw_ctx_free(own);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(jt_rmdir(dir), 0);
}

static void test_contexts__relative_path(void **state)
{
  char dir[512], cwd[4096];
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_journal *j = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal_entry e;
  (void)state;
  assert_int_equal(jt_tmpdir(dir, sizeof dir, 1), 0);
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(dir), 0);
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_int_equal(cpw_policy_default(&pol, ctx), CPW_OK);
  o.flags = CPW_JOURNAL_CREATE;
  assert_int_equal(cpw_journal_open(&j, ctx, "rel.cpwj", pol, &o), CPW_OK);
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.at = 1767250800;
  e.actor = "u-1";
  e.name = "note";
  assert_int_equal(cpw_journal_append(j, ctx, &e), CPW_OK);
  cpw_journal_close(j);
  o.flags = CPW_JOURNAL_READONLY;
  assert_int_equal(cpw_journal_open(&j, ctx, "rel.cpwj", pol, &o), CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 1);
  cpw_journal_close(j);
  assert_int_equal(chdir(cwd), 0);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  assert_int_equal(jt_rmdir(dir), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_contexts__enomem_in_the_callers_context),
    cmocka_unit_test(test_contexts__relative_path),
  };
  return cmocka_run_group_tests_name("journal_contexts", tests, NULL, NULL);
}
