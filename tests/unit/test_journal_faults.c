/* SPDX-License-Identifier: Apache-2.0 */
/* Fault injection for the journal: a cpw__io wrapping the POSIX one (tests/support/
 * journal_testutil.h) fails, short-writes or "crashes" at the k-th write or fsync while a
 * workload of Georgia's referral workflow runs through cpw_journal_case_open/apply, for EVERY k:
 *
 * - crash: of the k-th write only a prefix reaches the file (nothing, half, all but one byte,
 *   all), or at the k-th fsync only such a prefix of the bytes written since the last fsync
 *   survives; every later call fails, as if the process died. Reopened with the real io, the
 *   journal must hold exactly the acknowledged commits, plus the one in flight only when all of
 *   its bytes survived; the chain verifies and replay gives the states of those events.
 * - failure: the k-th write or fsync fails with ENOSPC, EIO, EROFS or EACCES (or the k-th write
 *   writes half and fails): the call returns CPW_EIO with os_error and a clear message, the case
 *   is unchanged, the workload goes on, and the journal reopened at the end replays to exactly
 *   the live caseload.
 * - reads: every read of an open that has a tail to cut fails in turn: CPW_EIO, nothing cut.
 *
 * The files live in a directory under /dev/shm when there is one (fsync is cheap there). */
#include "cmocka_all.h"

#include <time.h>

#include "journal/journal_int.h"
#include "journal_testutil.h"
#include "testalloc.h"

/* Workload sizes: the crash loop is quadratic (each k reruns the workload up to k). */
#define BIG_OPS 2000     /* group commit 7 */
#define BIG_CASES 250
#define SMALL_OPS 400    /* group commit 0: a write and an fsync per entry */
#define SMALL_CASES 60

typedef struct fx {
  char dir[512];
  char path[600];
  cpw_ctx *ctx;
  cpw_policy *pol;
  jt_workload big, small;
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
  /* under valgrind (tests/run.sh valgrind) a tenth of each workload: the loop is quadratic,
   * and the full one already runs natively, under ASan and under coverage */
  int scale = getenv("CPW_UNDER_VALGRIND") != NULL ? 10 : 1;
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 1) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  if (cpw_ctx_new(&f->ctx, NULL) != CPW_OK || cpw_policy_default(&f->pol, f->ctx) != CPW_OK)
    return -1;
  if (jt_workload_make(&f->big, f->ctx, f->pol, BIG_OPS / scale, BIG_CASES / scale, 2024) != 0 ||
      jt_workload_make(&f->small, f->ctx, f->pol, SMALL_OPS / scale, SMALL_CASES / scale, 77) !=
        0)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  jt_workload_free(&f->big);
  jt_workload_free(&f->small);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  jt_rmdir(f->dir);
  free(f);
  return 0;
}

/* ------------------------------------------------------------------ one run */

typedef struct run {
  int failed;          /* a call failed (the planned fault) */
  int open_failed;     /* ... and it was the creation */
  uint64_t acked;      /* entries acknowledged (committed) before the failing call */
  uint64_t inflight;   /* entries of the commit that failed */
  size_t ok_ops;       /* operations that returned CPW_OK (entries the live caseload has) */
} run;

static void check_io_error(fx *f, int err)
{
  const cpw_error *le = cpw_ctx_last_error(f->ctx);
  if (le->code != CPW_EIO || le->os_error != err || strstr(le->message, strerror(err)) == NULL ||
      le->file == NULL || strcmp(le->file, f->path) != 0)
    fail_msg("I/O error not reported clearly: code %d os_error %d (want %d) '%s'", le->code,
             le->os_error, err, le->message);
}

/* Run the workload through the journal with `fio`. With stop_on_failure (a crash) the run
 * ends at the first failure; otherwise it goes on (the failed operation is simply not done).
 * *live_out receives the live caseload (or NULL). */
static void run_workload(fx *f, const jt_workload *w, size_t group, jt_fio *fio,
                         int stop_on_failure, run *res, cpw_caseload **live_out)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  cpw_caseload *cl;
  size_t i;
  int rc;

  memset(res, 0, sizeof *res);
  *live_out = NULL;
  remove(f->path);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = group;
  rc = cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio->io);
  if (rc != CPW_OK) {
    if (rc != CPW_EIO || !fio->fired)
      fail_msg("open: %d %s", rc, cpw_ctx_last_error(f->ctx)->message);
    if (!fio->dead)
      check_io_error(f, fio->err);
    res->failed = res->open_failed = 1;
    if (stop_on_failure)
      return;
    /* the application tries again */
    rc = cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio->io);
    if (rc != CPW_OK)
      fail_msg("open again: %d %s", rc, cpw_ctx_last_error(f->ctx)->message);
  }
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  for (i = 0; i < w->nops; i++) {
    const jt_op *op = &w->ops[i];
    uint64_t pend = cpw_journal_pending(j), acked = cpw_journal_recovery_info(j)->entries;
    cpw_case *c = op->open ? NULL : cpw_caseload_find(cl, w->ids[op->case_no]);
    if (op->open)
      rc = cpw_journal_case_open(j, cl, NULL, w->ids[op->case_no], "referral", op->fields,
                                 op->nfields, op->at, "u-open", op->role);
    else if (c == NULL && res->failed)
      continue; /* its opening failed */
    else
      rc = cpw_journal_case_apply(j, c, op->event, "u-7", op->role, op->at, op->fields,
                                  op->nfields);
    /* until a failure the outcomes are those of the plain caseload; after one, events of a
     * case that missed an event may go either way */
    if (rc == CPW_OK) {
      if (!op->accepted && !res->failed)
        fail_msg("op %zu accepted, but refused without the journal", i);
      res->ok_ops++;
      continue;
    }
    if (rc == CPW_EDENIED) {
      if (op->accepted && !res->failed)
        fail_msg("op %zu refused, but accepted without the journal", i);
      continue;
    }
    if (rc != CPW_EIO || !fio->fired)
      fail_msg("op %zu: %d %s", i, rc, cpw_ctx_last_error(f->ctx)->message);
    if (!fio->dead)
      check_io_error(f, fio->err);
    if (op->open && cpw_caseload_find(cl, w->ids[op->case_no]) != NULL)
      fail_msg("op %zu: a failed opening opened the case", i);
    res->failed = 1;
    res->acked = acked;
    res->inflight = pend + 1;
    if (stop_on_failure)
      break;
  }
  if (!res->failed || !stop_on_failure) {
    uint64_t acked = cpw_journal_recovery_info(j)->entries, pend = cpw_journal_pending(j);
    rc = cpw_journal_commit(j, f->ctx);
    if (rc != CPW_OK) {
      if (rc != CPW_EIO || !fio->fired || res->failed)
        fail_msg("final commit: %d %s", rc, cpw_ctx_last_error(f->ctx)->message);
      if (!fio->dead)
        check_io_error(f, fio->err);
      res->failed = 1;
      res->acked = acked;
      res->inflight = pend;
      if (!stop_on_failure && cpw_journal_commit(j, f->ctx) != CPW_OK)
        fail_msg("commit after a failed commit: %s", cpw_ctx_last_error(f->ctx)->message);
    }
  }
  cpw_journal_close(j);
  *live_out = cl;
}

/* The journal at f->path, reopened with the real io: `entries` entries, verifying, the first
 * `entries` journaled operations of w in order, replaying to `want` (or to the reference built
 * from w when want is NULL). */
static void check_journal(fx *f, const jt_workload *w, uint64_t entries, const cpw_caseload *want,
                          const char *what)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_recovery info;
  cpw_caseload *cl, *ref = NULL;
  long before = jt_file_size(f->path);
  char why[256];
  int rc;

  o.flags = CPW_JOURNAL_CREATE;
  rc = cpw_journal_open(&j, f->ctx, f->path, f->pol, &o);
  if (rc != CPW_OK)
    fail_msg("%s: reopening: %d %s", what, rc, cpw_ctx_last_error(f->ctx)->message);
  if (cpw_journal_recovery_info(j)->entries != entries)
    fail_msg("%s: %llu entries recovered, %llu expected", what,
             (unsigned long long)cpw_journal_recovery_info(j)->entries,
             (unsigned long long)entries);
  /* (a file shorter than its header was started again) */
  if (before >= (long)cpw_journal_recovery_info(j)->file_bytes &&
      cpw_journal_recovery_info(j)->truncated_bytes !=
        before - (long)cpw_journal_recovery_info(j)->file_bytes)
    fail_msg("%s: truncated_bytes %lld, the file went from %ld to %llu", what,
             (long long)cpw_journal_recovery_info(j)->truncated_bytes, before,
             (unsigned long long)cpw_journal_recovery_info(j)->file_bytes);
  rc = cpw_journal_verify(f->ctx, f->path, &info);
  if (rc != CPW_OK || strcmp(info.head_hash, cpw_journal_head_hash(j)) != 0 ||
      info.entries != entries || info.truncated_bytes != 0)
    fail_msg("%s: verify: %d %s", what, rc, cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  rc = cpw_journal_replay(j, cl);
  if (rc != CPW_OK)
    fail_msg("%s: replay: %d %s", what, rc, cpw_ctx_last_error(f->ctx)->message);
  if (want == NULL) {
    assert_int_equal(cpw_caseload_new(&ref, f->ctx, f->pol), CPW_OK);
    assert_int_equal(jt_workload_reference(w, ref, (size_t)entries), CPW_OK);
    want = ref;
  }
  if (jt_caseloads_differ(want, cl, why, sizeof why))
    fail_msg("%s: replay differs: %s", what, why);
  cpw_caseload_free(cl);
  cpw_caseload_free(ref);
  cpw_journal_close(j);
}

/* ------------------------------------------------------------------ crashes */

static const char *const keep_names[] = { "nothing", "half", "all but one byte", "all" };

static void crash_loop(fx *f, const jt_workload *w, size_t group, long *runs_out)
{
  jt_fio fio;
  run res;
  cpw_caseload *cl;
  long total, k, runs = 0;
  unsigned char *kinds;
  int keep;

  /* a clean run counts the writes and fsyncs and tells their kinds */
  jt_fio_init(&fio, JT_NONE, 0, 0, 0);
  kinds = calloc(100000, 1);
  assert_non_null(kinds);
  fio.log = kinds;
  fio.log_cap = 100000;
  run_workload(f, w, group, &fio, 1, &res, &cl);
  assert_false(res.failed);
  assert_int_equal(res.ok_ops, w->entries);
  total = fio.ops;
  assert_true(total < fio.log_cap);
  cpw_caseload_free(cl);
  check_journal(f, w, w->entries, NULL, "clean run");

  for (k = 1; k <= total; k++) {
    for (keep = JT_KEEP_NOTHING; keep <= JT_KEEP_ALL; keep++) {
      char what[160];
      uint64_t expect;
      if (kinds[k] == JT_OP_SYNC_DIR && keep != JT_KEEP_ALL)
        continue; /* no bytes to lose */
      jt_fio_init(&fio, JT_CRASH, k, EIO, keep);
      run_workload(f, w, group, &fio, 1, &res, &cl);
      cpw_caseload_free(cl);
      snprintf(what, sizeof what, "group %zu, crash at operation %ld (%s) keeping %s", group, k,
               kinds[k] == JT_OP_WRITE ? "write" : kinds[k] == JT_OP_SYNC ? "fsync" : "dir fsync",
               keep_names[keep]);
      if (!fio.fired || !res.failed)
        fail_msg("%s: the crash did not happen", what);
      /* the commit in flight survives whole only when all of its bytes do */
      expect = res.acked;
      if (keep == JT_KEEP_ALL && kinds[k] != JT_OP_SYNC_DIR && !res.open_failed)
        expect += res.inflight;
      check_journal(f, w, expect, NULL, what);
      runs++;
    }
  }
  free(kinds);
  *runs_out = runs;
}

static void test_journal_faults__crash_group_commit(void **state)
{
  fx *f = *state;
  long runs;
  double t0 = now();
  crash_loop(f, &f->big, 7, &runs);
  print_message("      %zu ops (%zu entries, %zu refused, %u cases), group commit 7: %ld crashes "
                "in %.1f s\n", f->big.nops, f->big.entries, f->big.refused, f->big.ncases, runs,
                now() - t0);
}

static void test_journal_faults__crash_every_entry(void **state)
{
  fx *f = *state;
  long runs;
  double t0 = now();
  crash_loop(f, &f->small, 0, &runs);
  print_message("      %zu ops (%zu entries, %zu refused, %u cases), group commit 0: %ld crashes "
                "in %.1f s\n", f->small.nops, f->small.entries, f->small.refused,
                f->small.ncases, runs, now() - t0);
}

/* ------------------------------------------------------------------ failures the process sees */

static void fail_loop(fx *f, const jt_workload *w, size_t group, int mode, long *runs_out)
{
  static const int errs[] = { ENOSPC, EIO, EROFS, EACCES };
  jt_fio fio;
  run res;
  cpw_caseload *cl;
  long total, k, runs = 0;
  unsigned char *kinds = calloc(100000, 1);

  assert_non_null(kinds);
  jt_fio_init(&fio, JT_NONE, 0, 0, 0);
  fio.log = kinds;
  fio.log_cap = 100000;
  run_workload(f, w, group, &fio, 0, &res, &cl);
  cpw_caseload_free(cl);
  total = fio.ops;
  for (k = 1; k <= total; k++) {
    char what[160];
    int err = errs[k % 4];
    if (mode == JT_SHORT && kinds[k] != JT_OP_WRITE)
      continue;
    jt_fio_init(&fio, mode, k, err, 0);
    run_workload(f, w, group, &fio, 0, &res, &cl);
    snprintf(what, sizeof what, "group %zu, %s at operation %ld with %s", group,
             mode == JT_SHORT ? "short write" : "failure", k, strerror(err));
    if (!fio.fired || !res.failed)
      fail_msg("%s: no failure seen", what);
    /* no entry lost, none extra: the journal replays to the live caseload */
    check_journal(f, w, res.ok_ops, cl, what);
    cpw_caseload_free(cl);
    runs++;
  }
  free(kinds);
  *runs_out = runs;
}

static void test_journal_faults__io_errors(void **state)
{
  fx *f = *state;
  long a, b, c, d;
  double t0 = now();
  fail_loop(f, &f->small, 0, JT_FAIL, &a);
  fail_loop(f, &f->small, 0, JT_SHORT, &b);
  fail_loop(f, &f->small, 7, JT_FAIL, &c);
  fail_loop(f, &f->small, 7, JT_SHORT, &d);
  print_message("      failed writes/fsyncs: %ld + %ld runs (group 0), %ld + %ld runs (group 7) "
                "in %.1f s\n", a, b, c, d, now() - t0);
}

/* The disk is full for a while: every write fails until space is freed; nothing is lost. */
static void test_journal_faults__disk_full(void **state)
{
  fx *f = *state;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j;
  cpw_caseload *cl;
  jt_fio fio;
  const jt_workload *w = &f->small;
  size_t i, failed = 0, oks = 0;
  const size_t lo = w->nops / 2, hi = lo + w->nops / 4; /* 200 to 299 of 400 operations */
  remove(f->path);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = 3;
  jt_fio_init(&fio, JT_NONE, 0, 0, 0);
  assert_int_equal(cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio.io), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  for (i = 0; i < w->nops; i++) {
    const jt_op *op = &w->ops[i];
    cpw_case *c = op->open ? NULL : cpw_caseload_find(cl, w->ids[op->case_no]);
    int rc;
    /* operations lo to hi - 1: every write fails with ENOSPC */
    if (i >= lo && i < hi) {
      fio.mode = JT_FAIL;
      fio.err = ENOSPC;
      fio.fired = 0;
      fio.k = fio.ops + 1;
    } else {
      fio.mode = JT_NONE;
    }
    if (op->open)
      rc = cpw_journal_case_open(j, cl, NULL, w->ids[op->case_no], "referral", op->fields,
                                 op->nfields, op->at, "u-open", op->role);
    else if (c == NULL)
      continue; /* its opening failed */
    else
      rc = cpw_journal_case_apply(j, c, op->event, "u-7", op->role, op->at, op->fields,
                                  op->nfields);
    if (rc == CPW_EIO) {
      check_io_error(f, ENOSPC);
      assert_true(i >= lo && i < hi);
      failed++;
    } else if (rc == CPW_OK) {
      oks++;
    } else {
      /* refused: by the workflow, or because an earlier event of the case was not made */
      assert_int_equal(rc, CPW_EDENIED);
    }
  }
  fio.mode = JT_NONE;
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_true(failed > (hi - lo) / 10);
  cpw_journal_close(j);
  check_journal(f, w, oks, cl, "disk full for a quarter of the operations");
  cpw_caseload_free(cl);
}

static void journal_with_tail(fx *f)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j;
  cpw_journal_entry e;
  remove(f->path);
  o.flags = CPW_JOURNAL_CREATE;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &o), CPW_OK);
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.actor = "u-1";
  e.name = "n";
  assert_int_equal(cpw_journal_append(j, f->ctx, &e), CPW_OK);
  assert_int_equal(cpw_journal_append(j, f->ctx, &e), CPW_OK);
  cpw_journal_close(j);
  assert_int_equal(jt_add_torn_tail(f->path, f->ctx, f->pol, 18), 0);
}

/* Every read of an open that must cut a tail fails in turn: CPW_EIO, and nothing is cut. */
static void test_journal_faults__read_errors(void **state)
{
  fx *f = *state;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j;
  jt_fio fio;
  long size, reads, r;
  journal_with_tail(f);
  size = jt_file_size(f->path);
  jt_fio_init(&fio, JT_NONE, 0, 0, 0);
  fio.fail_reads_at = 1000000;
  assert_int_equal(cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio.io), CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->truncated_bytes, 18);
  cpw_journal_close(j);
  reads = fio.reads;
  assert_true(reads >= 3);
  for (r = 1; r <= reads; r++) {
    journal_with_tail(f);
    jt_fio_init(&fio, JT_NONE, 0, 0, 0);
    fio.fail_reads_at = r;
    assert_int_equal(cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio.io), CPW_EIO);
    assert_null(j);
    assert_int_equal(cpw_ctx_last_error(f->ctx)->os_error, EIO);
    assert_int_equal(jt_file_size(f->path), size);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_journal_faults__crash_group_commit),
    cmocka_unit_test(test_journal_faults__crash_every_entry),
    cmocka_unit_test(test_journal_faults__io_errors),
    cmocka_unit_test(test_journal_faults__disk_full),
    cmocka_unit_test(test_journal_faults__read_errors),
  };
  return cmocka_run_group_tests_name("journal_faults", tests, setup, teardown);
}
