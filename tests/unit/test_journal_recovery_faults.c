/* SPDX-License-Identifier: Apache-2.0 */
/* I/O faults while a journal with damage or an unfinished last commit is opened, checked,
 * verified or repaired: every read in turn fails, then every write and fsync of a repair or
 * of the cut a writer makes. Each failure is CPW_EIO with a message, never a wrong verdict:
 * the journal is left as it was (or, for a repair, either as it was or cut with every
 * removed byte aside), and with the failure gone the same call gives the same answer as
 * without faults. The files (tests/support/journal_testutil.h) live under /dev/shm when
 * there is one.
 *
 * The journals: 10 cases opened one commit each, then a long annotation in a commit of its
 * own (its bytes span a sector boundary), and these variants of it:
 * - commit_removed: the bytes of commit 3 removed (damage: markers follow);
 * - torn_tail: the last commit cut in the middle of its entry (an unfinished commit);
 * - power_cut: the last commit's first sector lost (zeros), its marker intact (an unfinished
 *   commit: a lost sector lies before the marker);
 * - bit_flip: a bit of the last commit's entry flipped (damage: its checksum, and its marker
 *   follows at its own offset with no lost sector);
 * - marker_length: the last commit's marker with its length zeroed (damage: only the length
 *   of the marker is damaged);
 * - entry_zero_length: the last commit's entry with its length zeroed and cut after it (an
 *   unfinished commit that reads as a lost length). */
#include "cmocka_all.h"

#include "journal/journal_int.h"
#include "journal_testutil.h"

typedef struct variant {
  const char *name;
  unsigned char *bytes;
  size_t len;
  int damaged;            /* the verdict without faults */
  size_t cut_at;          /* where a repair (or a writer, for an unfinished commit) cuts */
} variant;

enum { NVARIANTS = 6 };

typedef struct fx {
  char dir[512];
  char path[600];
  char aside[600];
  cpw_ctx *ctx;
  cpw_policy *pol;
  unsigned char *bytes;
  size_t len;
  size_t commit_end[16];
  size_t ncommits;
  variant v[NVARIANTS];
} fx;

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_variant(variant *v, const char *name, const unsigned char *b, size_t len,
                        int damaged, size_t cut_at)
{
  v->name = name;
  v->bytes = malloc(len + 1);
  assert_non_null(v->bytes);
  memcpy(v->bytes, b, len);
  v->len = len;
  v->damaged = damaged;
  v->cut_at = cut_at;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  cpw_journal *j = NULL;
  cpw_caseload *cl = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal_entry e;
  static char note[900];
  cpw_field_value fv[1] = { { "note", note } };
  cpw_time t = 1767250800;
  unsigned char *b;
  size_t i, last, len, entry_len;
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 1) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  snprintf(f->aside, sizeof f->aside, "%s/removed.bin", f->dir);
  o.flags = CPW_JOURNAL_CREATE;
  if (cpw_ctx_new(&f->ctx, NULL) != CPW_OK || cpw_policy_default(&f->pol, f->ctx) != CPW_OK ||
      cpw_caseload_new(&cl, f->ctx, f->pol) != CPW_OK ||
      cpw_journal_open(&j, f->ctx, f->path, f->pol, &o) != CPW_OK)
    return -1;
  f->commit_end[0] = (size_t)jt_file_size(f->path);
  for (i = 0; i < 10; i++) {
    char id[16];
    snprintf(id, sizeof id, "C-%02zu", i + 1);
    if (cpw_journal_case_open(j, cl, NULL, id, "referral", NULL, 0, t + (cpw_time)i * 60, "u-1",
                              "reporter") != CPW_OK)
      return -1;
    f->commit_end[i + 1] = (size_t)jt_file_size(f->path);
  }
  memset(note, 'n', sizeof note - 1);
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.at = t + 3600;
  e.actor = "u-2";
  e.name = "note";
  e.fields = fv;
  e.nfields = 1;
  if (cpw_journal_append(j, f->ctx, &e) != CPW_OK)
    return -1;
  f->commit_end[11] = (size_t)jt_file_size(f->path);
  f->ncommits = 11;
  cpw_journal_close(j);
  cpw_caseload_free(cl);
  f->bytes = jt_read_file(f->path, &f->len);
  if (f->bytes == NULL || f->len != f->commit_end[11])
    return -1;
  last = f->commit_end[10];
  entry_len = 4 + le32(f->bytes + last) + 36;
  b = malloc(f->len);
  if (b == NULL)
    return -1;

  /* commit 3 removed */
  len = f->commit_end[2];
  memcpy(b, f->bytes, len);
  memcpy(b + len, f->bytes + f->commit_end[3], f->len - f->commit_end[3]);
  set_variant(&f->v[0], "commit_removed", b, f->len - (f->commit_end[3] - f->commit_end[2]), 1,
              f->commit_end[2]);
  /* the last commit cut in its entry */
  set_variant(&f->v[1], "torn_tail", f->bytes, last + entry_len / 2, 0, last);
  /* the last commit's first sector lost: zeros from its start to the sector's end */
  memcpy(b, f->bytes, f->len);
  memset(b + last, 0, 512 - last % 512);
  if (last + (512 - last % 512) > last + entry_len) /* the marker must survive */
    return -1;
  set_variant(&f->v[2], "power_cut", b, f->len, 0, last);
  /* a bit of the last entry flipped */
  memcpy(b, f->bytes, f->len);
  b[last + 40] ^= 4;
  set_variant(&f->v[3], "bit_flip", b, f->len, 1, last);
  /* the last marker's length zeroed */
  memcpy(b, f->bytes, f->len);
  memset(b + last + entry_len, 0, 4);
  set_variant(&f->v[4], "marker_length", b, f->len, 1, last);
  /* the last entry's length zeroed, the file cut inside it */
  memcpy(b, f->bytes, f->len);
  memset(b + last, 0, 4);
  set_variant(&f->v[5], "entry_zero_length", b, last + 100, 0, last);
  free(b);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  size_t i;
  for (i = 0; i < NVARIANTS; i++)
    free(f->v[i].bytes);
  free(f->bytes);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(jt_rmdir(f->dir), 0);
  free(f);
  return 0;
}

static void put(fx *f, const variant *v)
{
  assert_int_equal(jt_write_file(f->path, v->bytes, v->len), 0);
  remove(f->aside);
}

static int file_is(const char *path, const unsigned char *b, size_t n)
{
  size_t len;
  unsigned char *got = jt_read_file(path, &len);
  int same = got != NULL && len == n && (n == 0 || memcmp(got, b, n) == 0);
  free(got);
  return same;
}

/* The verdicts without faults (through the fault io doing nothing), as the variants say. */
static void test_recovery_faults__verdicts(void **state)
{
  fx *f = *state;
  size_t i;
  for (i = 0; i < NVARIANTS; i++) {
    const variant *v = &f->v[i];
    cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
    jt_fio io;
    int rc;
    put(f, v);
    jt_fio_init(&io, JT_NONE, 0, 0, 0);
    rc = cpw__journal_check_io(f->ctx, f->path, &st, &io.io);
    if (rc != (v->damaged ? CPW_ECORRUPT : CPW_OK) || st.rec.truncated_at != (int64_t)v->cut_at)
      fail_msg("%s: check says %d (%s), cut at %lld", v->name, rc,
               cpw_ctx_last_error(f->ctx)->message, (long long)st.rec.truncated_at);
    assert_true(io.reads > 0);
  }
}

/* Every read of check, verify, a reader's and a writer's open fails in turn: CPW_EIO with a
 * message and the file unchanged, or (a read the verdict does not need: the one that names
 * a damaged entry a commit marker) the faultless verdict; once no read fails, that verdict. */
static void test_recovery_faults__reads(void **state)
{
  fx *f = *state;
  size_t i;
  for (i = 0; i < NVARIANTS; i++) {
    const variant *v = &f->v[i];
    int op;
    for (op = 0; op < 4; op++) {
      long k;
      for (k = 1; k < 200; k++) {
        cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
        cpw_journal_recovery info;
        cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
        cpw_journal *j = NULL;
        jt_fio io;
        int rc, want = v->damaged ? CPW_ECORRUPT : CPW_OK;
        put(f, v);
        jt_fio_init(&io, JT_NONE, 0, 0, 0);
        io.fail_reads_at = k;
        switch (op) {
        case 0:
          rc = cpw__journal_check_io(f->ctx, f->path, &st, &io.io);
          break;
        case 1:
          rc = cpw__journal_verify_io(f->ctx, f->path, &info, &io.io);
          break;
        case 2:
          o.flags = CPW_JOURNAL_READONLY;
          rc = cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &io.io);
          break;
        default:
          rc = cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &io.io);
          break;
        }
        cpw_journal_close(j);
        if (!io.fired) {
          /* every read done: the faultless verdict */
          if (rc != want)
            fail_msg("%s, op %d: %d without a fault (%s)", v->name, op, rc,
                     cpw_ctx_last_error(f->ctx)->message);
          break;
        }
        if (rc == want && op == 0 && st.rec.truncated_at == (int64_t)v->cut_at)
          continue; /* a read the verdict did not need (naming a damaged entry a marker) */
        if (rc == want && op != 0)
          continue;
        if (rc != CPW_EIO)
          fail_msg("%s, op %d, read %ld failing: %d (%s)", v->name, op, k, rc,
                   cpw_ctx_last_error(f->ctx)->message);
        assert_int_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EIO);
        assert_true(cpw_ctx_last_error(f->ctx)->message[0] != '\0');
        if (!file_is(f->path, v->bytes, v->len))
          fail_msg("%s, op %d, read %ld failing: the file changed", v->name, op, k);
      }
      assert_true(k < 200);
    }
  }
}

/* A repair with its k-th read, write or fsync failing: CPW_EIO, and the journal as it was,
 * or (a failure after the cut) cut with every removed byte aside; then a repair without faults
 * finishes the job. */
static void test_recovery_faults__repair(void **state)
{
  fx *f = *state;
  size_t i;
  for (i = 0; i < NVARIANTS; i++) {
    const variant *v = &f->v[i];
    int kind;
    for (kind = 0; kind < 2; kind++) {
      long k;
      for (k = 1; k < 200; k++) {
        cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
        jt_fio io;
        int rc;
        put(f, v);
        jt_fio_init(&io, kind == 0 ? JT_NONE : JT_FAIL, kind == 0 ? 0 : k, EIO, 0);
        if (kind == 0)
          io.fail_reads_at = k;
        rc = cpw__journal_repair_io(f->ctx, f->path, f->aside, &st, &io.io);
        if (!io.fired) {
          assert_int_equal(rc, CPW_OK);
          assert_int_equal(st.damaged, v->damaged);
          assert_true(file_is(f->path, v->bytes, v->cut_at));
          assert_true(file_is(f->aside, v->bytes + v->cut_at, v->len - v->cut_at));
          break;
        }
        if (rc == CPW_OK && kind == 0) {
          /* a read the verdict did not need: the repair is the faultless one */
          assert_true(file_is(f->path, v->bytes, v->cut_at));
          assert_true(file_is(f->aside, v->bytes + v->cut_at, v->len - v->cut_at));
          continue;
        }
        if (rc != CPW_EIO)
          fail_msg("%s, %s %ld failing: %d (%s)", v->name, kind == 0 ? "read" : "write/sync",
                   k, rc, cpw_ctx_last_error(f->ctx)->message);
        assert_true(cpw_ctx_last_error(f->ctx)->message[0] != '\0');
        if (file_is(f->path, v->bytes, v->len)) {
          /* not cut: a later repair (with a new file for the removed bytes) does it */
          remove(f->aside);
          jt_fio_init(&io, JT_NONE, 0, 0, 0);
          assert_int_equal(cpw__journal_repair_io(f->ctx, f->path, f->aside, &st, &io.io),
                           CPW_OK);
        }
        /* cut, with every removed byte aside */
        assert_true(file_is(f->path, v->bytes, v->cut_at));
        assert_true(file_is(f->aside, v->bytes + v->cut_at, v->len - v->cut_at));
      }
      assert_true(k < 200);
    }
  }
}

/* A writer cutting an unfinished commit with its k-th write or fsync failing: CPW_EIO (the
 * cut may or may not have happened: those bytes were never acknowledged), then it opens. */
static void test_recovery_faults__writer_cut(void **state)
{
  fx *f = *state;
  size_t i;
  for (i = 0; i < NVARIANTS; i++) {
    const variant *v = &f->v[i];
    long k;
    if (v->damaged)
      continue;
    for (k = 1; k < 50; k++) {
      cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
      cpw_journal *j = NULL;
      jt_fio io;
      int rc;
      put(f, v);
      jt_fio_init(&io, JT_FAIL, k, EIO, 0);
      rc = cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &io.io);
      cpw_journal_close(j);
      if (!io.fired) {
        assert_int_equal(rc, CPW_OK);
        break;
      }
      assert_int_equal(rc, CPW_EIO);
      assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "cut"));
      /* what was acknowledged is there */
      assert_true(jt_file_size(f->path) >= (long)v->cut_at);
      j = NULL;
      assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &o), CPW_OK);
      assert_int_equal(cpw_journal_recovery_info(j)->commits, 10);
      cpw_journal_close(j);
      assert_true(file_is(f->path, v->bytes, v->cut_at));
    }
    assert_true(k > 1 && k < 50);
  }
}

/* The file for the removed bytes cannot be created (its directory does not exist): CPW_EIO
 * naming it, nothing cut. */
static void test_recovery_faults__aside_cannot_be_created(void **state)
{
  fx *f = *state;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  char aside[700];
  snprintf(aside, sizeof aside, "%s/no/such/dir/removed.bin", f->dir);
  put(f, &f->v[0]);
  assert_int_equal(cpw_journal_repair(f->ctx, f->path, aside, &st), CPW_EIO);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "removed bytes"));
  assert_int_equal(cpw_ctx_last_error(f->ctx)->os_error, ENOENT);
  assert_true(file_is(f->path, f->v[0].bytes, f->v[0].len));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_recovery_faults__verdicts),
    cmocka_unit_test(test_recovery_faults__reads),
    cmocka_unit_test(test_recovery_faults__repair),
    cmocka_unit_test(test_recovery_faults__writer_cut),
    cmocka_unit_test(test_recovery_faults__aside_cannot_be_created),
  };
  return cmocka_run_group_tests_name("journal_recovery_faults", tests, setup, teardown);
}
