/* SPDX-License-Identifier: Apache-2.0 */
/* examples/journal_recovery.c: recover a journal after a crash.
 *
 * Cases are written through a journal with group commit; the first batch is committed, the
 * second is being written when the "crash" comes (we simulate it by cutting the file 15 bytes
 * into the second commit, as an interrupted write leaves it). cpw_journal_check tells an
 * unfinished commit from damage without changing anything; reopening cuts the unfinished
 * commit off, says how many bytes at which offset, and replay gives back exactly the
 * committed cases. */
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include <string.h>
#include <unistd.h>

#include "common.h"

int main(void)
{
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl, *back;
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  const cpw_journal_recovery *rec;
  char dir[] = "/tmp/cpw-example-XXXXXX", path[64], head[65];
  cpw_time t = 1775628000; /* 2026-04-08T10:00:00+04:00 */
  int i;
  long committed;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;

  if (mkdtemp(dir) == NULL)
    return 1;
  snprintf(path, sizeof path, "%s/cases.journal", dir);
  CHECK(cpw_ctx_new(&ctx, NULL), NULL);
  CHECK(cpw_policy_default(&pol, ctx), ctx);
  CHECK(cpw_caseload_new(&cl, ctx, pol), ctx);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = 1000; /* commit by hand */
  CHECK(cpw_journal_open(&j, ctx, path, pol, &o), ctx);
  for (i = 0; i < 10; i++) {
    char id[16];
    cpw_case *c;
    snprintf(id, sizeof id, "C-%d", i);
    CHECK(cpw_journal_case_open(j, cl, &c, id, "referral", NULL, 0, t, "school", "reporter"),
          ctx);
    CHECK(cpw_journal_case_apply(j, c, "register", "u", "intake_officer", t + 60, NULL, 0), ctx);
  }
  CHECK(cpw_journal_commit(j, ctx), ctx); /* durable: these 20 entries survive any crash */
  snprintf(head, sizeof head, "%s", cpw_journal_head_hash(j));
  printf("committed %llu entries, head %.16s...\n",
         (unsigned long long)cpw_journal_recovery_info(j)->entries, head);
  cpw_journal_close(j);

  /* the second batch, then the crash: only 15 bytes of its commit reached the disk */
  {
    FILE *f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (committed = ftell(f)) < 0)
      return 1;
    fclose(f);
  }
  CHECK(cpw_journal_open(&j, ctx, path, pol, &o), ctx);
  for (i = 10; i < 15; i++) {
    char id[16];
    snprintf(id, sizeof id, "C-%d", i);
    CHECK(cpw_journal_case_open(j, cl, NULL, id, "referral", NULL, 0, t + 600, "school",
                                "reporter"), ctx);
  }
  CHECK(cpw_journal_commit(j, ctx), ctx);
  cpw_journal_close(j);
  if (truncate(path, committed + 15) != 0)
    return 1;

  /* a look first, changing nothing: an unfinished commit, not damage */
  CHECK(cpw_journal_check(ctx, path, &st), ctx);
  printf("check: %s; %lld bytes after the last commit, holding %llu complete entries\n",
         st.damaged ? "damaged" : "intact", (long long)st.rec.truncated_bytes,
         (unsigned long long)st.tail_entries);

  CHECK(cpw_journal_open(&j, ctx, path, pol, &o), ctx);
  rec = cpw_journal_recovery_info(j);
  printf("recovered %llu entries in %llu commits; cut %lld unfinished bytes at offset %lld\n",
         (unsigned long long)rec->entries, (unsigned long long)rec->commits,
         (long long)rec->truncated_bytes, (long long)rec->truncated_at);
  printf("head %s the one kept before the crash\n",
         strcmp(head, cpw_journal_head_hash(j)) == 0 ? "matches" : "DOES NOT MATCH");
  CHECK(cpw_caseload_new(&back, ctx, pol), ctx);
  CHECK(cpw_journal_replay(j, back), ctx);
  printf("replayed %zu cases, %lld registered\n", cpw_caseload_case_count(back),
         (long long)cpw_caseload_count(back, "referral", "registered"));
  cpw_journal_close(j);
  unlink(path);
  rmdir(dir);
  cpw_caseload_free(back);
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rec == NULL;
}
