/* SPDX-License-Identifier: Apache-2.0 */
/* Damage that is not an unfinished last commit: bytes, entries or whole commits deleted,
 * inserted, duplicated or swapped in the middle of a journal, the last commit marker damaged.
 * The guarantee under test: a writer never removes an entry that was committed. Opening such
 * a file fails with CPW_ECORRUPT naming the first bad entry and its offset and changes
 * nothing; cpw_journal_check says the same with details; cpw_journal_repair is the explicit
 * cut, with the removed bytes written aside. Through the public API only (cpw.h). */
#include "cmocka_all.h"

#include "journal_testutil.h"
#include "testalloc.h"

typedef struct fx {
  char dir[512];
  char path[600];
  char work[600];
  char aside[600];
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  /* the journal: 10 cases opened, one commit each, then 2 events in one commit */
  unsigned char *bytes;
  size_t len;
  size_t commit_end[16];     /* commit_end[0]: the header's end */
  size_t ncommits;
  size_t entry_at[32];       /* every entry and marker */
  int entry_is_marker[32];
  size_t nentries;
} fx;

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static cpw_journal_options opts_of(unsigned flags)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  o.flags = flags;
  return o;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  cpw_journal *j = NULL;
  cpw_caseload *cl = NULL;
  cpw_journal_options o = opts_of(CPW_JOURNAL_CREATE);
  cpw_time t = 1767250800; /* 2026-01-01T07:00:00Z */
  size_t i, off;
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 1) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  snprintf(f->work, sizeof f->work, "%s/work.cpwj", f->dir);
  snprintf(f->aside, sizeof f->aside, "%s/removed.bin", f->dir);
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL || cpw_policy_default(&f->pol, f->ctx) != CPW_OK ||
      cpw_caseload_new(&cl, f->ctx, f->pol) != CPW_OK ||
      cpw_journal_open(&j, f->ctx, f->path, f->pol, &o) != CPW_OK)
    return -1;
  f->commit_end[0] = (size_t)jt_file_size(f->path);
  for (i = 0; i < 10; i++) {
    char id[16];
    snprintf(id, sizeof id, "C-%02zu", i + 1);
    if (cpw_journal_case_open(j, cl, NULL, id, "referral", NULL, 0, t + (cpw_time)i * 60,
                              "u-1", "reporter") != CPW_OK)
      return -1;
    f->commit_end[i + 1] = (size_t)jt_file_size(f->path);
  }
  f->ncommits = 10;
  cpw_journal_close(j);
  cpw_caseload_free(cl);
  f->bytes = jt_read_file(f->path, &f->len);
  if (f->bytes == NULL)
    return -1;
  for (off = f->commit_end[0]; off < f->len; off += 4 + le32(f->bytes + off) + 36) {
    f->entry_is_marker[f->nentries] = f->bytes[off + 4] == 15;
    f->entry_at[f->nentries++] = off;
  }
  *state = f;
  return off == f->len ? 0 : -1;
}

static int teardown(void **state)
{
  fx *f = *state;
  free(f->bytes);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(jt_rmdir(f->dir), 0);
  free(f);
  return 0;
}

/* Write `a` then `b` to the work file. */
static void write_parts(fx *f, const void *a, size_t na, const void *b, size_t nb)
{
  unsigned char *buf = malloc(na + nb + 1);
  assert_non_null(buf);
  if (na > 0)
    memcpy(buf, a, na);
  if (nb > 0)
    memcpy(buf + na, b, nb);
  assert_int_equal(jt_write_file(f->work, buf, na + nb), 0);
  free(buf);
}

/* The work file is damage: verify, check and a writer's open all say CPW_ECORRUPT at an entry
 * at or after `min_at` and before `max_at`, and the file is left exactly as it was. */
static void expect_damage(fx *f, size_t min_at, size_t max_at, const char *what)
{
  cpw_journal_recovery info;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_options rw = opts_of(0);
  size_t len0, len1;
  unsigned char *before = jt_read_file(f->work, &len0), *after;
  int64_t off;
  assert_non_null(before);
  if (cpw_journal_verify(f->ctx, f->work, &info) != CPW_ECORRUPT)
    fail_msg("%s: verify does not see damage", what);
  if (cpw_journal_check(f->ctx, f->work, &st) != CPW_ECORRUPT || !st.damaged)
    fail_msg("%s: check does not see damage", what);
  off = cpw_ctx_last_error(f->ctx)->offset;
  if (off < (int64_t)min_at || off >= (int64_t)max_at || st.damaged_at != off)
    fail_msg("%s: damage reported at %lld (check: %lld), not in [%zu, %zu): %s", what,
             (long long)off, (long long)st.damaged_at, min_at, max_at,
             cpw_ctx_last_error(f->ctx)->message);
  if (strstr(cpw_ctx_last_error(f->ctx)->message, "offset") == NULL)
    fail_msg("%s: the message does not give the offset: %s", what,
             cpw_ctx_last_error(f->ctx)->message);
  /* what a repair would keep: the commits before the damage, all of them valid */
  assert_true(st.rec.truncated_at >= (int64_t)f->commit_end[0]);
  assert_true(st.rec.truncated_at <= off);
  if (cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw) != CPW_ECORRUPT)
    fail_msg("%s: a writer opened it (%s)", what, cpw_ctx_last_error(f->ctx)->message);
  assert_null(j);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, off);
  after = jt_read_file(f->work, &len1);
  assert_non_null(after);
  if (len0 != len1 || memcmp(before, after, len0) != 0)
    fail_msg("%s: the writer changed the file", what);
  free(before);
  free(after);
}

/* The journal of the issue: 10 cases committed one by one; the bytes of the third commit
 * removed. The writer used to cut the 7 committed cases after it, silently. */
static void test_damage__commit_removed(void **state)
{
  fx *f = *state;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_options rw = opts_of(0);
  cpw_caseload *cl;
  unsigned char *aside;
  size_t n;
  write_parts(f, f->bytes, f->commit_end[2], f->bytes + f->commit_end[3],
              f->len - f->commit_end[3]);
  expect_damage(f, f->commit_end[2], f->commit_end[2] + 1, "commit 3 removed");
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "journal entry 3 at offset"));
  /* the explicit repair: cut after commit 2, the rest written aside, byte for byte */
  assert_int_equal(cpw_journal_repair(f->ctx, f->work, f->aside, &st), CPW_OK);
  assert_int_equal(st.damaged, 1);
  assert_int_equal(st.damaged_entry, 3);
  assert_int_equal(st.rec.entries, 2);
  assert_int_equal(st.rec.commits, 2);
  assert_int_equal(st.rec.truncated_at, (int64_t)f->commit_end[2]);
  assert_int_equal(st.rec.truncated_bytes,
                   (int64_t)(f->len - (f->commit_end[3] - f->commit_end[2]) - f->commit_end[2]));
  assert_int_equal(st.rec.file_bytes, f->commit_end[2]);
  assert_int_equal(jt_file_size(f->work), (long)f->commit_end[2]);
  aside = jt_read_file(f->aside, &n);
  assert_non_null(aside);
  assert_int_equal(n, f->len - f->commit_end[3]);
  assert_memory_equal(aside, f->bytes + f->commit_end[3], n);
  free(aside);
  /* and the repaired journal opens, with the two cases before the damage */
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, cl), CPW_OK);
  assert_int_equal(cpw_caseload_case_count(cl), 2);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
  /* a second repair has nothing to cut and writes nothing */
  remove(f->aside);
  assert_int_equal(cpw_journal_repair(f->ctx, f->work, f->aside, &st), CPW_OK);
  assert_int_equal(st.damaged, 0);
  assert_int_equal(st.rec.truncated_bytes, 0);
  assert_int_equal(jt_file_size(f->aside), -1);
}

/* A reader that asks for it (CPW_JOURNAL_SALVAGE) gets the commits before the damage; a
 * writer cannot ask. */
static void test_damage__salvage(void **state)
{
  fx *f = *state;
  cpw_journal *j = NULL;
  cpw_journal_options o = opts_of(CPW_JOURNAL_READONLY | CPW_JOURNAL_SALVAGE);
  cpw_caseload *cl;
  write_parts(f, f->bytes, f->commit_end[5], f->bytes + f->commit_end[5] + 1,
              f->len - f->commit_end[5] - 1);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &o), CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 5);
  assert_int_equal(cpw_journal_recovery_info(j)->truncated_at, (int64_t)f->commit_end[5]);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, cl), CPW_OK);
  assert_int_equal(cpw_caseload_case_count(cl), 5);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
  assert_int_equal(jt_file_size(f->work), (long)(f->len - 1));
  o = opts_of(CPW_JOURNAL_SALVAGE);
  j = NULL;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &o), CPW_EINVALID);
  assert_null(j);
}

/* One byte deleted or inserted at every offset after the header: never a cut. */
static void test_damage__byte_shifts(void **state)
{
  fx *f = *state;
  size_t p, last = f->commit_end[f->ncommits - 1];
  static const unsigned char ins[] = { 0x00, 0x5A };
  /* every offset of the first two commits and of the last two, and every 7th between */
  for (p = f->commit_end[0]; p < f->len; p += (p < f->commit_end[2] || p >= last) ? 1 : 7) {
    char what[64];
    size_t i;
    /* deleting the very last byte is a torn last commit: below */
    if (p + 1 < f->len) {
      snprintf(what, sizeof what, "byte %zu deleted", p);
      write_parts(f, f->bytes, p, f->bytes + p + 1, f->len - p - 1);
      expect_damage(f, f->commit_end[0], p + 1, what);
    }
    for (i = 0; i < sizeof ins; i++) {
      unsigned char *b = malloc(f->len + 1);
      assert_non_null(b);
      memcpy(b, f->bytes, p);
      b[p] = ins[i];
      memcpy(b + p + 1, f->bytes + p, f->len - p);
      snprintf(what, sizeof what, "byte %02x inserted at %zu", ins[i], p);
      assert_int_equal(jt_write_file(f->work, b, f->len + 1), 0);
      free(b);
      expect_damage(f, f->commit_end[0], p + 1, what);
    }
  }
}

/* Whole entries deleted or doubled, whole commits deleted, doubled or swapped. */
static void test_damage__entries_and_commits(void **state)
{
  fx *f = *state;
  size_t i, k;
  char what[64];
  for (i = 0; i < f->nentries; i++) {
    size_t at = f->entry_at[i], end = i + 1 < f->nentries ? f->entry_at[i + 1] : f->len;
    if (end == f->len) {
      /* the last marker deleted: the file ends after commit 9 plus commit 10's entry, a
       * torn-looking tail (no evidence of the commit remains): see torn_tail_reported */
      continue;
    }
    snprintf(what, sizeof what, "entry %zu deleted", i);
    write_parts(f, f->bytes, at, f->bytes + end, f->len - end);
    expect_damage(f, f->commit_end[0], at + 1, what);
    snprintf(what, sizeof what, "entry %zu doubled", i);
    write_parts(f, f->bytes, end, f->bytes + at, f->len - at);
    expect_damage(f, f->commit_end[0], end + 1, what);
  }
  for (k = 1; k < f->ncommits; k++) {
    size_t a = f->commit_end[k - 1], b = f->commit_end[k], c = f->commit_end[k + 1];
    unsigned char *buf = malloc(f->len);
    assert_non_null(buf);
    snprintf(what, sizeof what, "commit %zu deleted", k);
    write_parts(f, f->bytes, a, f->bytes + b, f->len - b);
    expect_damage(f, a, a + 1, what);
    /* commits k and k+1 swapped (k = 9: the last two) */
    memcpy(buf, f->bytes, a);
    memcpy(buf + a, f->bytes + b, c - b);
    memcpy(buf + a + (c - b), f->bytes + a, b - a);
    memcpy(buf + c, f->bytes + c, f->len - c);
    assert_int_equal(jt_write_file(f->work, buf, f->len), 0);
    snprintf(what, sizeof what, "commits %zu and %zu swapped", k, k + 1);
    expect_damage(f, a, a + 1, what);
    free(buf);
    snprintf(what, sizeof what, "commit %zu doubled", k);
    write_parts(f, f->bytes, b, f->bytes + a, f->len - a);
    expect_damage(f, b, b + 1, what);
  }
}

/* Every bit of the last commit (its entry and its marker): damage, never a cut of that
 * acknowledged commit. */
static void test_damage__last_commit_bits(void **state)
{
  fx *f = *state;
  size_t p, start = f->commit_end[f->ncommits - 1];
  unsigned char *b = malloc(f->len);
  assert_non_null(b);
  for (p = start; p < f->len; p++) {
    int bit;
    for (bit = 0; bit < 8; bit++) {
      char what[64];
      memcpy(b, f->bytes, f->len);
      b[p] ^= (unsigned char)(1u << bit);
      assert_int_equal(jt_write_file(f->work, b, f->len), 0);
      snprintf(what, sizeof what, "bit %d of byte %zu", bit, p);
      expect_damage(f, start, p + 1, what);
    }
  }
  free(b);
}

/* A torn last commit is not damage: check reports the bytes and the complete entries they
 * hold, a writer cuts them (they were never acknowledged). */
static void test_damage__torn_tail_reported(void **state)
{
  fx *f = *state;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_options rw = opts_of(0);
  size_t k9 = f->commit_end[9], entry_end;
  /* commit 10 without its marker: one complete entry */
  entry_end = k9 + 4 + le32(f->bytes + k9) + 36;
  assert_int_equal(jt_write_file(f->work, f->bytes, entry_end), 0);
  assert_int_equal(cpw_journal_check(f->ctx, f->work, &st), CPW_OK);
  assert_int_equal(st.damaged, 0);
  assert_int_equal(st.damaged_at, -1);
  assert_int_equal(st.tail_entries, 1);
  assert_int_equal(st.rec.truncated_at, (int64_t)k9);
  assert_int_equal(st.rec.truncated_bytes, (int64_t)(entry_end - k9));
  assert_int_equal(st.rec.entries, 9);
  /* half an entry: no complete entry */
  assert_int_equal(jt_write_file(f->work, f->bytes, k9 + 10), 0);
  assert_int_equal(cpw_journal_check(f->ctx, f->work, &st), CPW_OK);
  assert_int_equal(st.tail_entries, 0);
  assert_int_equal(st.rec.truncated_bytes, 10);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->truncated_bytes, 10);
  cpw_journal_close(j);
  assert_int_equal(jt_file_size(f->work), (long)k9);
}

/* The repair's refusals: no aside name, an aside that exists, a writer holding the journal, a
 * damaged header; each changes nothing. */
static void test_damage__repair_refusals(void **state)
{
  fx *f = *state;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT, bad = CPW_JOURNAL_STATUS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_options rw = opts_of(0);
  unsigned char *b;
  write_parts(f, f->bytes, f->commit_end[4], f->bytes + f->commit_end[5],
              f->len - f->commit_end[5]);
  assert_int_equal(cpw_journal_repair(f->ctx, f->work, NULL, &st), CPW_EINVALID);
  assert_int_equal(jt_write_file(f->aside, "x", 1), 0);
  assert_int_equal(cpw_journal_repair(f->ctx, f->work, f->aside, &st), CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "exists"));
  assert_int_equal(jt_file_size(f->aside), 1);
  remove(f->aside);
  /* a writer on an intact journal holds the lock */
  assert_int_equal(jt_write_file(f->path, f->bytes, f->len), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &rw), CPW_OK);
  assert_int_equal(cpw_journal_repair(f->ctx, f->path, f->aside, &st), CPW_EBUSY);
  cpw_journal_close(j);
  assert_int_equal(jt_file_size(f->aside), -1);
  assert_int_equal(jt_file_size(f->work), (long)(f->len - (f->commit_end[5] - f->commit_end[4])));
  /* a damaged header */
  b = malloc(f->len);
  assert_non_null(b);
  memcpy(b, f->bytes, f->len);
  b[20] ^= 1;
  assert_int_equal(jt_write_file(f->work, b, f->len), 0);
  free(b);
  assert_int_equal(cpw_journal_repair(f->ctx, f->work, f->aside, &st), CPW_ECORRUPT);
  assert_int_equal(st.damaged_at, 0);
  /* the message says why, once (it was written over itself) */
  if (strstr(cpw_ctx_last_error(f->ctx)->message, "there is nothing a repair can keep (the "
                                                   "journal header is damaged") == NULL)
    fail_msg("%s", cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(jt_file_size(f->aside), -1);
  assert_int_equal(jt_file_size(f->work), (long)f->len);
  /* bad arguments and versions */
  assert_int_equal(cpw_journal_check(f->ctx, NULL, &st), CPW_EINVALID);
  assert_int_equal(cpw_journal_check(f->ctx, f->work, NULL), CPW_EINVALID);
  assert_int_equal(cpw_journal_check(NULL, f->work, &st), CPW_EINVALID);
  bad.version = 0;
  assert_int_equal(cpw_journal_check(f->ctx, f->path, &bad), CPW_EVERSION);
  bad.version = CPW_JOURNAL_STATUS_VERSION + 1;
  assert_int_equal(cpw_journal_repair(f->ctx, f->path, f->aside, &bad), CPW_EVERSION);
  assert_int_equal(cpw_journal_check(f->ctx, f->dir, &st), CPW_EIO);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_damage__commit_removed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_damage__salvage, setup, teardown),
    cmocka_unit_test_setup_teardown(test_damage__byte_shifts, setup, teardown),
    cmocka_unit_test_setup_teardown(test_damage__entries_and_commits, setup, teardown),
    cmocka_unit_test_setup_teardown(test_damage__last_commit_bits, setup, teardown),
    cmocka_unit_test_setup_teardown(test_damage__torn_tail_reported, setup, teardown),
    cmocka_unit_test_setup_teardown(test_damage__repair_refusals, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
