/* SPDX-License-Identifier: Apache-2.0 */
/* Entries whose checksum and chain value hold but whose contents are wrong: written so, not
 * cut short. Each is damage wherever it is (the last commit included, rule 1 of "Opening and
 * recovery" in docs/journal-format.md): check, verify, readers and writers say CPW_ECORRUPT
 * at its offset with the reason, and a writer changes nothing. The journal's bytes are
 * forged here the way only a writer of the format could: the entry changed in place, then its
 * CRC32C and every chain value from it on computed again. Also: a header whose checksum holds
 * but whose version or lengths are wrong, and a journal changed under an open reader. */
#include "cmocka_all.h"

#include "base/crc32c.h"
#include "base/sha256.h"
#include "journal/journal_int.h"
#include "journal_testutil.h"

typedef struct fx {
  char dir[512];
  char path[600];
  char work[600];
  cpw_ctx *ctx;
  cpw_policy *pol;
  unsigned char *bytes;
  size_t len, header;
  size_t entry_at[32];
  size_t nentries;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  cpw_journal *j = NULL;
  cpw_caseload *cl = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_case *c;
  cpw_field_value urgent[1] = { { "immediate_danger", "true" } };
  size_t off;
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 1) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  snprintf(f->work, sizeof f->work, "%s/work.cpwj", f->dir);
  o.flags = CPW_JOURNAL_CREATE;
  if (cpw_ctx_new(&f->ctx, NULL) != CPW_OK || cpw_policy_default(&f->pol, f->ctx) != CPW_OK ||
      cpw_caseload_new(&cl, f->ctx, f->pol) != CPW_OK ||
      cpw_journal_open(&j, f->ctx, f->path, f->pol, &o) != CPW_OK)
    return -1;
  f->header = (size_t)jt_file_size(f->path);
  /* entries: a case opened with a field (0), its marker (1), an event (2), its marker (3) */
  if (cpw_journal_case_open(j, cl, &c, "C-1", "referral", urgent, 1, 1767250800, "u-1",
                            "reporter") != CPW_OK ||
      cpw_journal_case_apply(j, c, "register", "u-2", "intake_officer", 1767250900, NULL, 0) !=
        CPW_OK)
    return -1;
  cpw_journal_close(j);
  cpw_caseload_free(cl);
  f->bytes = jt_read_file(f->path, &f->len);
  if (f->bytes == NULL)
    return -1;
  for (off = f->header; off < f->len; off += 4 + cpw__get32(f->bytes + off) + CPW__J_TRAILER)
    f->entry_at[f->nentries++] = off;
  *state = f;
  return f->nentries == 4 ? 0 : -1;
}

static int teardown(void **state)
{
  fx *f = *state;
  free(f->bytes);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(jt_rmdir(f->dir), 0);
  free(f);
  return 0;
}

/* Compute every entry's CRC32C and chain value again, from the header on. */
static void reseal(unsigned char *b, size_t len, size_t header)
{
  uint8_t chain[32];
  size_t off;
  cpw__sha256(b, header, chain);
  for (off = header; off + 8 <= len;) {
    size_t body = cpw__get32(b + off);
    cpw__sha256_ctx h;
    assert_true(off + 4 + body + CPW__J_TRAILER <= len);
    cpw__put32(b + off + 4 + body, cpw__crc32c(0, b + off, 4 + body));
    cpw__sha256_init(&h);
    cpw__sha256_update(&h, chain, 32);
    cpw__sha256_update(&h, b + off, 8 + body);
    cpw__sha256_final(&h, chain);
    memcpy(b + off + 8 + body, chain, 32);
    off += 4 + body + CPW__J_TRAILER;
  }
}

/* The forged file is damage at `at` with `why` in the message, for every opener, unchanged. */
static void expect_forged(fx *f, const unsigned char *b, size_t len, size_t at, const char *why,
                          const char *what)
{
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  cpw_journal_recovery info;
  cpw_journal_options ro = CPW_JOURNAL_OPTIONS_INIT, rw = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  unsigned char *after;
  size_t n;
  ro.flags = CPW_JOURNAL_READONLY;
  assert_int_equal(jt_write_file(f->work, b, len), 0);
  if (cpw_journal_check(f->ctx, f->work, &st) != CPW_ECORRUPT || !st.damaged ||
      st.damaged_at != (int64_t)at)
    fail_msg("%s: check says damaged %d at %lld (%s)", what, st.damaged,
             (long long)st.damaged_at, cpw_ctx_last_error(f->ctx)->message);
  if (strstr(cpw_ctx_last_error(f->ctx)->message, why) == NULL)
    fail_msg("%s: '%s' not in '%s'", what, why, cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, (int64_t)at);
  assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_ECORRUPT);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &ro), CPW_ECORRUPT);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_ECORRUPT);
  assert_null(j);
  after = jt_read_file(f->work, &n);
  assert_non_null(after);
  assert_true(n == len && memcmp(after, b, len) == 0);
  free(after);
}

/* the offset of the byte after the four strings of the entry at `at` */
static size_t after_strings(const unsigned char *b, size_t at)
{
  size_t p = at + 4 + 18;
  int i;
  for (i = 0; i < 4; i++)
    p += 2 + cpw__get16(b + p) + 1;
  return p;
}

static void test_forged__entries(void **state)
{
  fx *f = *state;
  unsigned char *b = malloc(f->len);
  size_t e0 = f->entry_at[0], e2 = f->entry_at[2], m1 = f->entry_at[1], m3 = f->entry_at[3], p;
  assert_non_null(b);

  /* a string longer than the entry */
  memcpy(b, f->bytes, f->len);
  cpw__put16(b + e0 + 4 + 18, 60000);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e0, "malformed entry", "actor too long");

  /* a string without its NUL */
  memcpy(b, f->bytes, f->len);
  p = e0 + 4 + 18;
  b[p + 2 + cpw__get16(b + p)] = 'x';
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e0, "malformed entry", "actor without its NUL");

  /* a string that is not UTF-8 */
  memcpy(b, f->bytes, f->len);
  b[e0 + 4 + 18 + 2] = 0xFF;
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e0, "malformed entry", "actor not UTF-8");

  /* the field's name is malformed (its length runs past the entry) */
  memcpy(b, f->bytes, f->len);
  p = after_strings(b, e0);
  assert_int_equal(cpw__get16(b + p), 1); /* one field: immediate_danger */
  cpw__put16(b + p + 2, 60000);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e0, "malformed field", "field name");

  /* the field's value is malformed */
  memcpy(b, f->bytes, f->len);
  p = after_strings(b, e0) + 2;
  p += 2 + cpw__get16(b + p) + 1; /* the value's length */
  cpw__put16(b + p, 60000);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e0, "malformed field value", "field value");

  /* more fields than there are */
  memcpy(b, f->bytes, f->len);
  cpw__put16(b + after_strings(b, e0), 5);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e0, "malformed field", "field count");

  /* an unknown kind, flags, an entry number out of sequence */
  memcpy(b, f->bytes, f->len);
  b[e2 + 4] = 9;
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e2, "unknown entry kind", "kind 9");
  memcpy(b, f->bytes, f->len);
  b[e2 + 5] = 1;
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e2, "unknown entry kind", "flags 1");
  memcpy(b, f->bytes, f->len);
  cpw__put64(b + e2 + 6, 7);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, e2, "out of sequence", "number 7");

  /* commit markers: a count that is not the commit's, a number, an offset, a field */
  memcpy(b, f->bytes, f->len);
  cpw__put64(b + m1 + 4 + 40, 2);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, m1, "does not match", "marker count");
  memcpy(b, f->bytes, f->len);
  cpw__put64(b + m3 + 4 + 32, 5);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, m3, "does not match", "last marker's commit number");
  memcpy(b, f->bytes, f->len);
  cpw__put64(b + m3 + 4 + 48, m3 + 1);
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, m3, "commit marker", "last marker's offset");
  memcpy(b, f->bytes, f->len);
  cpw__put16(b + after_strings(b, m3), 1); /* a field in a marker: its name is the numbers */
  reseal(b, f->len, f->header);
  expect_forged(f, b, f->len, m3, "malformed", "a field in the last marker");
  free(b);
}

/* A header whose CRC holds but whose version, magic or lengths are wrong: CPW_ECORRUPT (or
 * CPW_EVERSION for a newer version) at offset 0, named. */
static void test_forged__header(void **state)
{
  fx *f = *state;
  unsigned char *b = malloc(f->len);
  size_t h = f->header;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  struct { size_t off; unsigned char value; int rc; const char *why; } cases[] = {
    { 8, 0, CPW_ECORRUPT, "unknown journal format version 0" },
    { 8, 2, CPW_EVERSION, "version 2" },
    { 7, '2', CPW_ECORRUPT, "unknown journal format version" },
    { 56, 200, CPW_ECORRUPT, "damaged (lengths)" },
  };
  size_t i;
  assert_non_null(b);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memcpy(b, f->bytes, f->len);
    b[cases[i].off] = cases[i].value;
    cpw__put32(b + h - 4, cpw__crc32c(0, b, h - 4));
    reseal(b, f->len, h);
    assert_int_equal(jt_write_file(f->work, b, f->len), 0);
    if (cpw_journal_check(f->ctx, f->work, &st) != cases[i].rc ||
        strstr(cpw_ctx_last_error(f->ctx)->message, cases[i].why) == NULL)
      fail_msg("header byte %zu = %u: %s", cases[i].off, cases[i].value,
               cpw_ctx_last_error(f->ctx)->message);
    assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, 0);
  }
  free(b);
}

/* The file changed under an open reader: reading its entries again finds the change and says
 * where, instead of handing out what is there now. */
static int count_fn(const cpw_journal_entry *e, void *payload)
{
  (void)e;
  ++*(int *)payload;
  return 0;
}

static void test_forged__changed_under_a_reader(void **state)
{
  fx *f = *state;
  cpw_journal_options ro = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  unsigned char *b = malloc(f->len);
  int n = 0;
  assert_non_null(b);
  ro.flags = CPW_JOURNAL_READONLY;
  assert_int_equal(jt_write_file(f->work, f->bytes, f->len), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &ro), CPW_OK);
  assert_int_equal(cpw_journal_foreach(j, f->ctx, count_fn, &n), CPW_OK);
  assert_int_equal(n, 2);
  memcpy(b, f->bytes, f->len);
  b[f->entry_at[2] + 30] ^= 1;
  assert_int_equal(jt_write_file(f->work, b, f->len), 0);
  n = 0;
  assert_int_equal(cpw_journal_foreach(j, f->ctx, count_fn, &n), CPW_ECORRUPT);
  assert_int_equal(n, 1);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, (int64_t)f->entry_at[2]);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "changed after it was opened"));
  cpw_journal_close(j);
  free(b);
}

/* Entries that are well formed but that the engines refuse: the journal verifies, and replay
 * says CPW_ECORRUPT naming the entry (a case event the workflow does not know, an event of a
 * case never opened, a placement event the registry does not know); replay into a caseload or
 * registry of another policy object is refused. */
static void replace_name(unsigned char *b, size_t at, const char *from, const char *to)
{
  size_t p = at + 4 + 18, k;
  for (k = 0; k < 4; k++) {
    size_t n = cpw__get16(b + p);
    if (n == strlen(from) && memcmp(b + p + 2, from, n) == 0) {
      memcpy(b + p + 2, to, n);
      return;
    }
    p += 2 + n + 1;
  }
  fail_msg("no string '%s' in the entry at %zu", from, at);
}

static void test_forged__meaningless_entries(void **state)
{
  fx *f = *state;
  cpw_journal_options ro = CPW_JOURNAL_OPTIONS_INIT, o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  cpw_journal *j = NULL;
  cpw_caseload *cl;
  cpw_registry *reg;
  cpw_policy *other;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  cpw_date born, when;
  unsigned char *b = malloc(f->len), *pb;
  size_t plen, off, place_at = 0;
  assert_non_null(b);
  ro.flags = CPW_JOURNAL_READONLY;
  /* a case event the workflow does not know */
  memcpy(b, f->bytes, f->len);
  replace_name(b, f->entry_at[2], "register", "regixter");
  reseal(b, f->len, f->header);
  assert_int_equal(jt_write_file(f->work, b, f->len), 0);
  assert_int_equal(cpw_journal_check(f->ctx, f->work, &st), CPW_OK);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &ro), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, cl), CPW_ECORRUPT);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "journal entry 2 cannot be"));
  cpw_caseload_free(cl);
  /* into a caseload of another policy object */
  assert_int_equal(cpw_policy_default(&other, f->ctx), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, other), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, cl), CPW_EINVALID);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
  /* an event of a case never opened */
  memcpy(b, f->bytes, f->len);
  replace_name(b, f->entry_at[2], "C-1", "C-2");
  reseal(b, f->len, f->header);
  assert_int_equal(jt_write_file(f->work, b, f->len), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &ro), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, cl), CPW_ECORRUPT);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "never opened"));
  cpw_caseload_free(cl);
  cpw_journal_close(j);
  free(b);

  /* placements: a facility, a child, a placement; then "place" becomes "plaze" */
  remove(f->work);
  o.flags = CPW_JOURNAL_CREATE;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &o), CPW_OK);
  assert_int_equal(cpw_registry_new(&reg, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_date_parse(&born, f->ctx, "2012-05-01", 10), CPW_OK);
  assert_int_equal(cpw_date_parse(&when, f->ctx, "2025-01-10", 10), CPW_OK);
  assert_int_equal(cpw_journal_add_facility(j, reg, "h1", "small_group_home", "H", "Gori", 8, 0,
                                            17), CPW_OK);
  assert_int_equal(cpw_journal_add_child(j, reg, "CH-1", born, NULL), CPW_OK);
  req.child = "CH-1";
  req.facility = "h1";
  req.date = when;
  req.actor = "sw-1";
  req.role = "social_worker";
  req.reason = "care plan";
  assert_int_equal(cpw_journal_place(j, reg, &req), CPW_OK);
  cpw_registry_free(reg);
  cpw_journal_close(j);
  pb = jt_read_file(f->work, &plen);
  assert_non_null(pb);
  for (off = f->header; off < plen; off += 4 + cpw__get32(pb + off) + CPW__J_TRAILER)
    if (pb[off + 4] == CPW_JOURNAL_PLACEMENT)
      place_at = off; /* the last placement entry: the placement */
  replace_name(pb, place_at, "place", "plaze");
  reseal(pb, plen, f->header);
  assert_int_equal(jt_write_file(f->work, pb, plen), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &ro), CPW_OK);
  assert_int_equal(cpw_registry_new(&reg, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay_registry(j, reg), CPW_ECORRUPT);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "unknown placement event"));
  cpw_registry_free(reg);
  /* into a registry of another policy object */
  assert_int_equal(cpw_registry_new(&reg, f->ctx, other), CPW_OK);
  assert_int_equal(cpw_journal_replay_registry(j, reg), CPW_EINVALID);
  cpw_registry_free(reg);
  cpw_journal_close(j);
  cpw_policy_free(other);
  free(pb);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_forged__entries),
    cmocka_unit_test(test_forged__header),
    cmocka_unit_test(test_forged__changed_under_a_reader),
    cmocka_unit_test(test_forged__meaningless_entries),
  };
  return cmocka_run_group_tests_name("journal_forged", tests, setup, teardown);
}
