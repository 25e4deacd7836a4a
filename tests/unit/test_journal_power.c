/* SPDX-License-Identifier: Apache-2.0 */
/* Power cuts, not only killed processes: a workload of Georgia's referral workflow runs through
 * the journal over the power-cut simulator of tests/support/powerfs.h, and at EVERY sync point
 * (every fsync of the file or its directory) the file a power cut there would leave is built
 * in every way the simulator knows (nothing kept, everything kept, a prefix of the sectors,
 * any sectors with the size grown, not grown, or up to the last kept sector), written to a
 * copy, and opened by a writer with the real file functions. Each open must be clean or a
 * clear CPW_ECORRUPT, and no acknowledged entry may be lost:
 *
 * - clean: the journal holds exactly the acknowledged commits, or those and the commit being
 *   written (all of it: a commit is never half there); the head hash is the one after that
 *   commit; every 64th copy is also replayed and compared case by case with the workload;
 * - CPW_ECORRUPT: the explicit repair (cpw_journal_repair) keeps every acknowledged entry.
 *
 * A CPW_ECORRUPT after a power cut is rare: a lost piece of a sector of fewer than 8 bytes at
 * the start of the commit or the end of the file cannot be told from damage (docs/
 * journal-format.md). Set CPW_POWER_DEBUG to see each one.
 *
 * Sizes: CPW_POWER_SCALE (default 1) multiplies the workloads, for long runs (the README
 * gives the figures of one); under valgrind a tenth. */
#include "cmocka_all.h"

#include <time.h>

#include "journal/journal_int.h"
#include "journal_testutil.h"
#include "powerfs.h"
#include "testalloc.h"

typedef struct fx {
  char dir[512];
  char path[600];
  char img[600];
  char aside[600];
  cpw_ctx *ctx;
  cpw_policy *pol;
  int scale, divide;
} fx;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  const char *s = getenv("CPW_POWER_SCALE");
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 1) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  snprintf(f->img, sizeof f->img, "%s/cut.cpwj", f->dir);
  snprintf(f->aside, sizeof f->aside, "%s/aside.bin", f->dir);
  f->scale = s != NULL && atoi(s) > 0 ? atoi(s) : 1;
  f->divide = getenv("CPW_UNDER_VALGRIND") != NULL ? 10 : 1;
  if (cpw_ctx_new(&f->ctx, NULL) != CPW_OK || cpw_policy_default(&f->pol, f->ctx) != CPW_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  jt_rmdir(f->dir);
  free(f);
  return 0;
}

/* ------------------------------------------------------------------ one power cut */

typedef struct loop {
  fx *f;
  const jt_workload *w;
  cpw_journal *j;            /* NULL while the journal is being created */
  uint32_t seed;
  long images, clean, corrupt, in_flight_kept, replayed;
  long sync_points;
  char *problem;             /* the first failure, for the test to report */
} loop;

/* keep the first failure, formatted */
#define PROBLEM(lp, ...)                                                                      \
  do {                                                                                        \
    if ((lp)->problem == NULL && ((lp)->problem = malloc(1024)) != NULL)                      \
      snprintf((lp)->problem, 1024, __VA_ARGS__);                                             \
  } while (0)

/* the journal at lp->f->img holds `entries` (acknowledged, or those and the one in flight):
 * its head hash must be the one after them; sometimes replay it and compare */
static void check_kept(loop *lp, cpw_journal *j, uint64_t acked, uint64_t in_flight,
                       const char *acked_head, const char *flight_head)
{
  const cpw_journal_recovery *rec = cpw_journal_recovery_info(j);
  if (rec->entries == acked) {
    if (strcmp(rec->head_hash, acked_head) != 0)
      PROBLEM(lp, "sync point %ld: %ld acknowledged entries kept, but another head hash",
              lp->sync_points, (long)acked);
  } else if (in_flight > 0 && rec->entries == acked + in_flight) {
    lp->in_flight_kept++;
    if (strcmp(rec->head_hash, flight_head) != 0)
      PROBLEM(lp, "sync point %ld: the commit in flight kept (%ld entries), but another head "
              "hash", lp->sync_points, (long)rec->entries);
  } else {
    PROBLEM(lp, "sync point %ld: %ld entries after the power cut, acknowledged %ld",
            lp->sync_points, (long)rec->entries, (long)acked);
    return;
  }
  if (lp->images % 64 == 0) {
    cpw_caseload *a = NULL, *b = NULL;
    char why[256];
    lp->replayed++;
    if (cpw_caseload_new(&a, lp->f->ctx, lp->f->pol) != CPW_OK ||
        cpw_caseload_new(&b, lp->f->ctx, lp->f->pol) != CPW_OK ||
        cpw_journal_replay(j, a) != CPW_OK ||
        jt_workload_reference(lp->w, b, (size_t)rec->entries) != CPW_OK)
      PROBLEM(lp, "sync point %ld: replay of %ld entries failed: %s", lp->sync_points,
              (long)rec->entries, cpw_ctx_last_error(lp->f->ctx)->message);
    else if (jt_caseloads_differ(a, b, why, sizeof why))
      PROBLEM(lp, "sync point %ld: replay of %ld entries differs: %s", lp->sync_points,
              (long)rec->entries, why);
    cpw_caseload_free(a);
    cpw_caseload_free(b);
  }
}

static void at_sync(powerfs *pf, void *payload)
{
  loop *lp = payload;
  fx *f = lp->f;
  uint64_t acked = 0, in_flight = 0;
  char acked_head[65], flight_head[65];
  int mode;
  lp->sync_points++;
  if (lp->j != NULL) {
    /* inside a commit: the entries before it are acknowledged; the pending ones are in
     * flight, their marker already chained */
    acked = lp->j->rec.entries;
    in_flight = lp->j->npending;
    cpw__hex(acked_head, lp->j->committed_chain, 32);
    cpw__hex(flight_head, lp->j->chain, 32);
  } else {
    acked_head[0] = flight_head[0] = '\0';
  }
  for (mode = 0; mode < PF_NMODES; mode++) {
    size_t len;
    unsigned char *img = pf_image(pf, mode, &lp->seed, &len);
    cpw_journal *j = NULL;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    int rc;
    if (img == NULL || jt_write_file(f->img, img, len) != 0) {
      free(img);
      PROBLEM(lp, "sync point %ld: cannot write the image", lp->sync_points);
      return;
    }
    free(img);
    lp->images++;
    o.flags = CPW_JOURNAL_CREATE; /* a journal whose creation was cut short starts again */
    rc = cpw_journal_open(&j, f->ctx, f->img, f->pol, &o);
    if (rc == CPW_OK) {
      lp->clean++;
      if (lp->j == NULL) {
        if (cpw_journal_recovery_info(j)->entries != 0)
          PROBLEM(lp, "sync point %ld: entries in a journal being created", lp->sync_points);
      } else {
        check_kept(lp, j, acked, in_flight, acked_head, flight_head);
      }
      cpw_journal_close(j);
    } else if (rc == CPW_ECORRUPT && lp->j != NULL) {
      cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
      lp->corrupt++;
      if (getenv("CPW_POWER_DEBUG") != NULL)
        fprintf(stderr, "sync point %ld, mode %d: %s\n", lp->sync_points, mode,
                cpw_ctx_last_error(f->ctx)->message);
      remove(f->aside);
      if (cpw_journal_repair(f->ctx, f->img, f->aside, &st) != CPW_OK ||
          cpw_journal_open(&j, f->ctx, f->img, f->pol, &o) != CPW_OK) {
        PROBLEM(lp, "sync point %ld (mode %d): damage that the repair cannot mend: %s",
                lp->sync_points, mode, cpw_ctx_last_error(f->ctx)->message);
      } else {
        check_kept(lp, j, acked, in_flight, acked_head, flight_head);
        cpw_journal_close(j);
      }
    } else {
      PROBLEM(lp, "sync point %ld (mode %d): %s", lp->sync_points, mode,
              cpw_ctx_last_error(f->ctx)->message);
    }
  }
}

/* Run the first `nops` operations of `w` through a journal with group commit `group` over the
 * simulator, cutting the power at every sync point. */
static void power_loop(fx *f, const jt_workload *w, size_t group, uint32_t seed,
                       const char *name)
{
  powerfs pf;
  loop lp;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_caseload *cl;
  size_t i, entries = 0;
  double t0 = now();
  memset(&lp, 0, sizeof lp);
  lp.f = f;
  lp.w = w;
  lp.seed = seed;
  pf_init(&pf, at_sync, &lp);
  remove(f->path);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = group;
  assert_int_equal(cpw__journal_open_io(&lp.j, f->ctx, f->path, f->pol, &o, &pf.io), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  for (i = 0; i < w->nops && lp.problem == NULL; i++) {
    const jt_op *op = &w->ops[i];
    int rc;
    if (op->open)
      rc = cpw_journal_case_open(lp.j, cl, NULL, w->ids[op->case_no], "referral", op->fields,
                                 op->nfields, op->at, "u-open", op->role);
    else
      rc = cpw_journal_case_apply(lp.j, cpw_caseload_find(cl, w->ids[op->case_no]), op->event,
                                  "u-7", op->role, op->at, op->fields, op->nfields);
    if (rc == CPW_OK)
      entries++;
    else if (rc != CPW_EDENIED || op->accepted)
      fail_msg("%s: op %zu: %s", name, i, cpw_ctx_last_error(f->ctx)->message);
  }
  if (lp.problem == NULL)
    assert_int_equal(cpw_journal_commit(lp.j, f->ctx), CPW_OK);
  cpw_journal_close(lp.j);
  cpw_caseload_free(cl);
  assert_false(pf.oom);
  pf_free(&pf);
  if (lp.problem != NULL) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", lp.problem);
    free(lp.problem);
    fail_msg("%s: %s", name, msg);
  }
  assert_int_equal(lp.clean + lp.corrupt, lp.images);
  print_message("      %s: %zu entries, %ld sync points, %ld power cuts: %ld clean (%ld kept "
                "the commit in flight), %ld CPW_ECORRUPT mended by a repair; 0 acknowledged "
                "entries lost; %ld replays compared; %.1f s\n", name, entries, lp.sync_points,
                lp.images, lp.clean, lp.in_flight_kept, lp.corrupt, lp.replayed, now() - t0);
}

static void test_power__every_entry_committed(void **state)
{
  fx *f = *state;
  jt_workload w;
  uint32_t seed;
  size_t n = (size_t)(600 * f->scale / f->divide);
  for (seed = 1; seed <= 2; seed++) {
    char name[64];
    assert_int_equal(jt_workload_make(&w, f->ctx, f->pol, n, (unsigned)(n / 8), 100 + seed), 0);
    snprintf(name, sizeof name, "group commit 0, seed %u", seed);
    power_loop(f, &w, 0, seed * 7919u, name);
    jt_workload_free(&w);
  }
}

static void test_power__group_commit(void **state)
{
  fx *f = *state;
  jt_workload w;
  uint32_t seed;
  size_t n = (size_t)(3000 * f->scale / f->divide);
  static const size_t groups[] = { 7, 50 };
  for (seed = 1; seed <= 2; seed++) {
    char name[64];
    assert_int_equal(jt_workload_make(&w, f->ctx, f->pol, n, (unsigned)(n / 8), 200 + seed), 0);
    snprintf(name, sizeof name, "group commit %zu, seed %u", groups[seed - 1], seed);
    power_loop(f, &w, groups[seed - 1], seed * 104729u, name);
    jt_workload_free(&w);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_power__every_entry_committed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_power__group_commit, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
