/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the journal (lib/journal): the file layout of docs/journal-format.md byte by
 * byte, reopening, commits and group commit, the writer lock, format versions, policy changes,
 * the hook, reading back, verification, refused strings, apply-then-append when the append
 * fails, deterministic replay, and damage: every byte flipped, every tail length cut. */
#include "cmocka_all.h"

#include "base/crc32c.h"
#include "base/sha256.h"
#include "journal/journal_int.h"
#include "journal_testutil.h"
#include "testalloc.h"

typedef struct fx {
  char dir[512];
  char path[600];
  char work[600];
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  if (f == NULL || jt_tmpdir(f->dir, sizeof f->dir, 0) != 0)
    return -1;
  snprintf(f->path, sizeof f->path, "%s/j.cpwj", f->dir);
  snprintf(f->work, sizeof f->work, "%s/work.cpwj", f->dir);
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL || cpw_policy_default(&f->pol, f->ctx) != CPW_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  assert_int_equal(jt_rmdir(f->dir), 0);
  free(f);
  return 0;
}

/* ------------------------------------------------------------------ helpers */

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }
static uint64_t le64(const unsigned char *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

static void put32(unsigned char *p, uint32_t v)
{
  int i;
  for (i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static cpw_journal_options opts_of(unsigned flags, size_t group)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  o.flags = flags;
  o.group_commit = group;
  return o;
}

static cpw_journal *jopen(fx *f, const char *path, const cpw_policy *pol, unsigned flags,
                          size_t group)
{
  cpw_journal_options o = opts_of(flags, group);
  cpw_journal *j = NULL;
  int rc = cpw_journal_open(&j, f->ctx, path, pol, &o);
  if (rc != CPW_OK)
    fail_msg("cpw_journal_open(%s): %d %s", path, rc, cpw_ctx_last_error(f->ctx)->message);
  return j;
}

static cpw_journal_entry entry(int kind, cpw_time at, const char *subject, const char *name,
                               const cpw_field_value *fields, size_t nfields)
{
  cpw_journal_entry e;
  memset(&e, 0, sizeof e);
  e.kind = kind;
  e.at = at;
  e.actor = "u-1";
  e.role = "social_worker";
  e.subject = subject;
  e.name = name;
  e.fields = fields;
  e.nfields = nfields;
  return e;
}

static void append_ok(fx *f, cpw_journal *j, int kind, cpw_time at, const char *subject,
                      const char *name)
{
  cpw_field_value fv[2] = { { "note", "x" }, { "missing", NULL } };
  cpw_journal_entry e = entry(kind, at, subject, name, fv, 2);
  int rc = cpw__journal_append(j, f->ctx, &e);
  if (rc != CPW_OK)
    fail_msg("append: %d %s", rc, cpw_ctx_last_error(f->ctx)->message);
}

static size_t header_len(const cpw_policy *pol)
{
  return 8 + 4 + 4 + 8 + 32 + 2 + strlen(cpw_policy_name(pol)) + 2 +
         strlen(cpw_policy_version(pol)) + 4;
}

/* A flattened copy of an entry, for comparing what was read with what was written. */
typedef struct flat {
  int kind;
  uint64_t seq;
  cpw_time at;
  char text[512];
} flat;

static void flatten(const cpw_journal_entry *e, flat *out)
{
  size_t i, n;
  out->kind = e->kind;
  out->seq = e->seq;
  out->at = e->at;
  n = (size_t)snprintf(out->text, sizeof out->text, "%s|%s|%s|%s|%zu", e->actor, e->role,
                       e->subject, e->name, e->nfields);
  for (i = 0; i < e->nfields && n < sizeof out->text; i++)
    n += (size_t)snprintf(out->text + n, sizeof out->text - n, "|%s=%s", e->fields[i].field,
                          e->fields[i].value != NULL ? e->fields[i].value : "(null)");
}

typedef struct collect {
  flat items[256];
  size_t n;
  int stop_at; /* return non-zero when n reaches it (0: never) */
} collect;

static int collect_fn(const cpw_journal_entry *e, void *payload)
{
  collect *c = payload;
  if (c->n < 256)
    flatten(e, &c->items[c->n]);
  c->n++;
  return c->stop_at != 0 && (int)c->n == c->stop_at;
}

static void read_all(fx *f, cpw_journal *j, collect *c)
{
  int rc;
  memset(c, 0, sizeof *c);
  rc = cpw_journal_foreach(j, f->ctx, collect_fn, c);
  if (rc != CPW_OK)
    fail_msg("foreach: %d %s", rc, cpw_ctx_last_error(f->ctx)->message);
}

static void assert_same_entries(const collect *a, const collect *b, size_t n)
{
  size_t i;
  assert_true(a->n >= n && b->n >= n);
  for (i = 0; i < n; i++) {
    assert_int_equal(a->items[i].kind, b->items[i].kind);
    assert_int_equal(a->items[i].seq, b->items[i].seq);
    assert_int_equal(a->items[i].at, b->items[i].at);
    assert_string_equal(a->items[i].text, b->items[i].text);
  }
}

static cpw_policy *other_policy(fx *f);

/* ------------------------------------------------------------------ what may be appended */

/* Issue 16, points 6, 7 and 9: the public append writes annotations only (a case or placement
 * entry the engines never checked could make a journal that verifies but never replays), never
 * the journal's own policy_changed topic, and every entry names its actor. */
static void test_journal__append_checks(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_caseload *cl;
  cpw_case *c;
  cpw_field_value fv[2] = { { "policy", "other" }, { "hash", NULL } };
  char hash[65];
  int kinds[3] = { CPW_JOURNAL_CASE_OPEN, CPW_JOURNAL_CASE_EVENT, CPW_JOURNAL_PLACEMENT }, k;
  cpw_journal_entry e;
  static const char *const bad_ids[] = { "", " u-1", "u-1 ", "u\n1", "u\t1" };
  size_t i;
  /* a case event for a case never opened, a second opening, a placement: refused, unwritten */
  for (k = 0; k < 3; k++) {
    e = entry(kinds[k], 100, "C-404", k == 0 ? "referral" : "register", NULL, 0);
    assert_int_equal(cpw_journal_append(j, f->ctx, &e), CPW_EINVALID);
    assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "annotations only"));
  }
  /* the policy_changed topic: refused, so the journal's policy stays */
  snprintf(hash, sizeof hash, "%s", cpw_policy_hash(f->pol));
  hash[0] = hash[0] == 'a' ? 'b' : 'a';
  fv[1].value = hash;
  e = entry(CPW_JOURNAL_ANNOTATION, 100, "", "policy_changed", fv, 2);
  assert_int_equal(cpw_journal_append(j, f->ctx, &e), CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "CPW_JOURNAL_ALLOW_POLICY_CHANGE"));
  assert_string_equal(cpw_journal_policy_hash(j), cpw_policy_hash(f->pol));
  /* every entry names its actor */
  for (i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
    e = entry(CPW_JOURNAL_ANNOTATION, 100, "s", "note", NULL, 0);
    e.actor = bad_ids[i];
    assert_int_equal(cpw_journal_append(j, f->ctx, &e), CPW_EINVALID);
    assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "actor"));
  }
  e = entry(CPW_JOURNAL_ANNOTATION, 100, "s", "note", NULL, 0);
  e.actor = NULL;
  assert_int_equal(cpw_journal_append(j, f->ctx, &e), CPW_EINVALID);
  /* through the case functions too: nothing opened or changed, nothing written */
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, 100, "",
                                         "reporter"), CPW_EINVALID);
  assert_int_equal(cpw_caseload_case_count(cl), 0);
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, 100, "u-1",
                                         "reporter"), CPW_OK);
  assert_int_equal(cpw_journal_case_apply(j, c, "register", "", "intake_officer", 160, NULL, 0),
                   CPW_EINVALID);
  assert_string_equal(cpw_case_state(c), "notified");
  /* case ids with a line break or spaces at either end: refused by the caseload itself */
  for (i = 1; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
    assert_int_equal(cpw_journal_case_open(j, cl, NULL, bad_ids[i], "referral", NULL, 0, 100,
                                           "u-1", "reporter"), CPW_EINVALID);
    assert_int_equal(cpw_caseload_open(cl, NULL, bad_ids[i], "referral", NULL, 0, 100, "u-1",
                                       "reporter"), CPW_EINVALID);
  }
  assert_int_equal(cpw_caseload_case_count(cl), 1);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 1);
  cpw_caseload_free(cl);
  /* an annotation with its actor is fine */
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 5, "s", "note");
  cpw_journal_close(j);
}

/* Issue 16, point 8: a reader with another policy is refused as a writer is, unless it says it
 * knows (CPW_JOURNAL_ALLOW_POLICY_CHANGE), and then the journal's own policy stays visible. */
static void test_journal__reader_other_policy(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_journal_options o = opts_of(CPW_JOURNAL_READONLY, 0);
  cpw_policy *p2;
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 5, "s", "note");
  cpw_journal_close(j);
  p2 = other_policy(f);
  j = NULL;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, p2, &o), CPW_EINVALID);
  assert_null(j);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "not this policy"));
  o.flags |= CPW_JOURNAL_ALLOW_POLICY_CHANGE;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, p2, &o), CPW_OK);
  assert_string_equal(cpw_journal_policy_hash(j), cpw_policy_hash(f->pol));
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 1); /* a reader recorded nothing */
  cpw_journal_close(j);
  o.flags = CPW_JOURNAL_READONLY;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, NULL, &o), CPW_OK);
  assert_string_equal(cpw_journal_policy_hash(j), cpw_policy_hash(f->pol));
  cpw_journal_close(j);
  assert_null(cpw_journal_policy_hash(NULL));
  cpw_policy_free(p2);
}

/* ------------------------------------------------------------------ the file layout */

static void test_journal__header(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  const cpw_journal_recovery *rec = cpw_journal_recovery_info(j);
  const char *name = cpw_policy_name(f->pol), *version = cpw_policy_version(f->pol);
  size_t nl = strlen(name), vl = strlen(version), h = header_len(f->pol), len;
  unsigned char *b = jt_read_file(f->path, &len);
  uint8_t chain0[32];
  char hex[65];

  assert_non_null(b);
  assert_int_equal(len, h);
  assert_memory_equal(b, "CPWJRNL1", 8);
  assert_int_equal(le32(b + 8), 1);
  assert_int_equal(le32(b + 12), h);
  assert_int_equal(le64(b + 16), 0);
  cpw__hex(hex, b + 24, 32);
  assert_string_equal(hex, cpw_policy_hash(f->pol));
  assert_int_equal(le16(b + 56), nl);
  assert_memory_equal(b + 58, name, nl);
  assert_int_equal(le16(b + 58 + nl), vl);
  assert_memory_equal(b + 60 + nl, version, vl);
  assert_int_equal(le32(b + h - 4), cpw__crc32c(0, b, h - 4));
  /* the chain starts as SHA-256 of the header */
  cpw__sha256(b, h, chain0);
  cpw__hex(hex, chain0, 32);
  assert_string_equal(rec->head_hash, hex);
  assert_string_equal(cpw_journal_head_hash(j), hex);
  assert_int_equal(rec->entries, 0);
  assert_int_equal(rec->commits, 0);
  assert_int_equal(rec->truncated_bytes, 0);
  assert_int_equal(rec->truncated_at, -1);
  assert_int_equal(rec->file_bytes, h);
  assert_int_equal(cpw_journal_pending(j), 0);
  free(b);
  cpw_journal_close(j);
}

/* docs/journal-format.md's example: the case opening C-1 is 93 bytes, its marker 96. */
static void test_journal__doc_example(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_caseload *cl;
  cpw_case *c = NULL;
  cpw_time at = 1767261600;
  size_t h = header_len(f->pol), len;
  unsigned char *b, *e, *m;
  uint8_t chain[32], next[32];
  cpw__sha256_ctx s;
  char hex[65];

  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, at, "u1",
                                         "reporter"), CPW_OK);
  assert_non_null(c);
  b = jt_read_file(f->path, &len);
  assert_non_null(b);
  assert_int_equal(len, h + 93 + 96);
  cpw__sha256(b, h, chain);

  e = b + h;
  assert_int_equal(le32(e), 53);               /* body length */
  assert_int_equal(e[4], 1);                   /* kind: case opened */
  assert_int_equal(e[5], 0);                   /* flags */
  assert_int_equal(le64(e + 6), 1);            /* sequence number */
  assert_int_equal(le64(e + 14), at);          /* time */
  assert_int_equal(le16(e + 22), 2);
  assert_memory_equal(e + 24, "u1", 3);        /* with its NUL */
  assert_int_equal(le16(e + 27), 8);
  assert_memory_equal(e + 29, "reporter", 9);
  assert_int_equal(le16(e + 38), 3);
  assert_memory_equal(e + 40, "C-1", 4);
  assert_int_equal(le16(e + 44), 8);
  assert_memory_equal(e + 46, "referral", 9);
  assert_int_equal(le16(e + 55), 0);           /* no fields */
  assert_int_equal(le32(e + 57), cpw__crc32c(0, e, 57));
  cpw__sha256_init(&s);
  cpw__sha256_update(&s, chain, 32);
  cpw__sha256_update(&s, e, 61);
  cpw__sha256_final(&s, next);
  assert_memory_equal(e + 61, next, 32);
  memcpy(chain, next, 32);

  m = e + 93;
  assert_int_equal(le32(m), 56);
  assert_int_equal(m[4], 15);
  assert_int_equal(m[5], 0);
  assert_int_equal(le64(m + 6), 2);            /* markers are numbered too */
  assert_int_equal(le64(m + 14), 0);           /* a marker's time is 0 */
  {
    static const unsigned char empty[14] = { 0 }; /* four empty strings, no fields */
    assert_memory_equal(m + 22, empty, 14);
  }
  assert_int_equal(le64(m + 36), 1);           /* commit number */
  assert_int_equal(le64(m + 44), 1);           /* entries in the commit */
  assert_int_equal(le64(m + 52), h + 93);      /* the marker's own offset */
  assert_int_equal(le32(m + 60), cpw__crc32c(0, m, 60));
  cpw__sha256_init(&s);
  cpw__sha256_update(&s, chain, 32);
  cpw__sha256_update(&s, m, 64);
  cpw__sha256_final(&s, next);
  assert_memory_equal(m + 64, next, 32);
  cpw__hex(hex, next, 32);
  assert_string_equal(cpw_journal_head_hash(j), hex);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 1);
  assert_int_equal(cpw_journal_recovery_info(j)->commits, 1);
  assert_int_equal(cpw_journal_recovery_info(j)->file_bytes, len);
  free(b);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
}

/* ------------------------------------------------------------------ opening again */

static void test_journal__reopen(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  const cpw_journal_recovery *rec;
  char head[65];
  collect c;
  cpw_journal_options o = opts_of(0, 0);

  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 10, "s", "a");
  append_ok(f, j, CPW_JOURNAL_PLACEMENT, 11, "child-1", "place");
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 12, "s", "b");
  snprintf(head, sizeof head, "%s", cpw_journal_head_hash(j));
  cpw_journal_close(j);

  j = jopen(f, f->path, f->pol, 0, 0);
  rec = cpw_journal_recovery_info(j);
  assert_int_equal(rec->entries, 3);
  assert_int_equal(rec->commits, 3);
  assert_int_equal(rec->truncated_bytes, 0);
  assert_int_equal(rec->truncated_at, -1);
  assert_int_equal(rec->file_bytes, (uint64_t)jt_file_size(f->path));
  assert_string_equal(rec->head_hash, head);
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 13, "s", "c");
  read_all(f, j, &c);
  assert_int_equal(c.n, 4);
  /* entries 1, 2, 3, 4: on disk the commit markers take the even numbers, but users count
   * entries (docs/journal-format.md) */
  assert_int_equal(c.items[0].seq, 1);
  assert_int_equal(c.items[1].seq, 2);
  assert_int_equal(c.items[2].seq, 3);
  assert_int_equal(c.items[3].seq, 4);
  assert_string_equal(c.items[1].text, "u-1|social_worker|child-1|place|2|note=x|missing=(null)");
  cpw_journal_close(j);

  /* a missing file without CPW_JOURNAL_CREATE */
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &o), CPW_EIO);
  assert_null(j);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->os_error, ENOENT);
  assert_int_equal(jt_file_size(f->work), -1);
}

/* An existing empty file (a creation cut short) becomes a new journal. */
static void test_journal__empty_file(void **state)
{
  fx *f = *state;
  cpw_journal *j;
  cpw_journal_options ro = opts_of(CPW_JOURNAL_READONLY, 0);
  assert_int_equal(jt_write_file(f->path, "", 0), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, NULL, &ro), CPW_ECORRUPT);
  j = jopen(f, f->path, f->pol, 0, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 0);
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 1, "s", "a");
  cpw_journal_close(j);
  j = jopen(f, f->path, f->pol, 0, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 1);
  cpw_journal_close(j);
}

/* A header cut short while the journal was being created (a crash): a writer of the same
 * policy starts the journal again; anything else is not a journal and is left alone. */
static void test_journal__torn_header(void **state)
{
  fx *f = *state;
  cpw_journal *j;
  cpw_journal_recovery info;
  cpw_journal_options ro = opts_of(CPW_JOURNAL_READONLY, 0), rw = opts_of(0, 0);
  unsigned char *hdr;
  size_t len, cut;
  j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_journal_close(j);
  hdr = jt_read_file(f->path, &len);
  assert_non_null(hdr);
  for (cut = 1; cut < len; cut++) {
    assert_int_equal(jt_write_file(f->work, hdr, cut), 0);
    assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_ECORRUPT);
    assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, NULL, &ro), CPW_ECORRUPT);
    j = jopen(f, f->work, f->pol, 0, 0);
    assert_int_equal(cpw_journal_recovery_info(j)->entries, 0);
    cpw_journal_close(j);
    assert_int_equal(jt_file_size(f->work), (long)len);
  }
  /* not the beginning of this policy's header: refused, not overwritten */
  hdr[9] ^= 0x40;
  assert_int_equal(jt_write_file(f->work, hdr, 40), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_ECORRUPT);
  assert_int_equal(jt_file_size(f->work), 40);
  assert_int_equal(jt_write_file(f->work, "hello world", 11), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_ECORRUPT);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, 0);
  assert_int_equal(jt_file_size(f->work), 11);
  free(hdr);
}

/* ------------------------------------------------------------------ commits */

static void test_journal__group_commit(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 3), *r;
  const cpw_journal_recovery *rec = cpw_journal_recovery_info(j);
  long h = (long)header_len(f->pol), s1;
  char head0[65], head1[65];
  collect c;

  snprintf(head0, sizeof head0, "%s", cpw_journal_head_hash(j));
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 1, "s", "a");
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 2, "s", "b");
  /* pending: not in the file, not visible to a reader, not counted */
  assert_int_equal(cpw_journal_pending(j), 2);
  assert_int_equal(jt_file_size(f->path), h);
  assert_int_equal(rec->commits, 0);
  assert_int_equal(rec->entries, 0);
  assert_string_equal(cpw_journal_head_hash(j), head0);
  r = jopen(f, f->path, NULL, CPW_JOURNAL_READONLY, 0);
  assert_int_equal(cpw_journal_recovery_info(r)->entries, 0);
  cpw_journal_close(r);

  /* the third entry commits all three */
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 3, "s", "c");
  assert_int_equal(cpw_journal_pending(j), 0);
  assert_int_equal(rec->commits, 1);
  assert_int_equal(rec->entries, 3);
  s1 = jt_file_size(f->path);
  assert_int_equal(rec->file_bytes, s1);
  assert_string_not_equal(cpw_journal_head_hash(j), head0);
  snprintf(head1, sizeof head1, "%s", cpw_journal_head_hash(j));

  /* nothing pending: a commit writes nothing */
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(rec->commits, 1);
  assert_int_equal(jt_file_size(f->path), s1);

  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 4, "s", "d");
  assert_int_equal(cpw_journal_pending(j), 1);
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(cpw_journal_pending(j), 0);
  assert_int_equal(rec->commits, 2);
  assert_int_equal(rec->entries, 4);
  assert_string_not_equal(cpw_journal_head_hash(j), head1);
  assert_true(jt_file_size(f->path) > s1);

  /* closing commits what is pending */
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 5, "s", "e");
  cpw_journal_close(j);
  j = jopen(f, f->path, f->pol, 0, 3);
  rec = cpw_journal_recovery_info(j);
  assert_int_equal(rec->entries, 5);
  assert_int_equal(rec->commits, 3);
  read_all(f, j, &c);
  assert_int_equal(c.n, 5);
  /* on disk, commit markers are numbered too (1 2 3 [4] 5 [6] 7 [8]); entries are 1 to 5 */
  assert_int_equal(c.items[2].seq, 3);
  assert_int_equal(c.items[3].seq, 4);
  assert_int_equal(c.items[4].seq, 5);
  cpw_journal_close(j);
}

/* ------------------------------------------------------------------ one writer, many readers */

static void test_journal__writer_lock(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0), *j2 = NULL, *r1, *r2;
  cpw_journal_options o = opts_of(0, 0), oc = opts_of(CPW_JOURNAL_CREATE, 0);
  cpw_journal_entry e = entry(CPW_JOURNAL_ANNOTATION, 1, "s", "x", NULL, 0);
  cpw_journal_recovery info;
  collect c;

  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 1, "s", "a");
  assert_int_equal(cpw_journal_open(&j2, f->ctx, f->path, f->pol, &o), CPW_EBUSY);
  assert_null(j2);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EBUSY);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "for writing"));
  assert_int_equal(cpw_journal_open(&j2, f->ctx, f->path, f->pol, &oc), CPW_EBUSY);

  /* readers open beside the writer, with or without the policy */
  r1 = jopen(f, f->path, NULL, CPW_JOURNAL_READONLY, 0);
  r2 = jopen(f, f->path, f->pol, CPW_JOURNAL_READONLY, 0);
  assert_int_equal(cpw_journal_recovery_info(r1)->entries, 1);
  read_all(f, r2, &c);
  assert_int_equal(c.n, 1);
  assert_int_equal(cpw__journal_append(r1, f->ctx, &e), CPW_EINVALID);
  assert_int_equal(cpw_journal_commit(r1, f->ctx), CPW_EINVALID);
  assert_string_equal(cpw_journal_head_hash(r1), cpw_journal_head_hash(j));

  /* the writer goes on; a reader sees what was committed when it opened */
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 2, "s", "b");
  read_all(f, r1, &c);
  assert_int_equal(c.n, 1);
  assert_int_equal(cpw_journal_verify(f->ctx, f->path, &info), CPW_OK);
  assert_int_equal(info.entries, 2);
  assert_string_equal(info.head_hash, cpw_journal_head_hash(j));
  cpw_journal_close(r1);
  cpw_journal_close(r2);

  cpw_journal_close(j);
  j = jopen(f, f->path, f->pol, 0, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  cpw_journal_close(j);
  cpw_journal_close(NULL);
}

/* ------------------------------------------------------------------ versions and policies */

static void test_journal__newer_version(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_journal_options rw = opts_of(0, 0), ro = opts_of(CPW_JOURNAL_READONLY, 0);
  cpw_journal_recovery info;
  unsigned char *b;
  size_t len, h = header_len(f->pol);
  const char *msg;

  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 1, "s", "a");
  cpw_journal_close(j);
  b = jt_read_file(f->path, &len);
  assert_non_null(b);
  put32(b + 8, 2);
  put32(b + h - 4, cpw__crc32c(0, b, h - 4));
  assert_int_equal(jt_write_file(f->work, b, len), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_EVERSION);
  msg = cpw_ctx_last_error(f->ctx)->message;
  assert_non_null(strstr(msg, "version 2"));
  assert_non_null(strstr(msg, "newer"));
  assert_non_null(strstr(msg, "(1)"));
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, NULL, &ro), CPW_EVERSION);
  assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_EVERSION);
  assert_int_equal(jt_file_size(f->work), (long)len);

  /* the same number with a header that does not check out is damage, not a newer version */
  put32(b + h - 4, cpw__crc32c(0, b, h - 4) ^ 1u);
  assert_int_equal(jt_write_file(f->work, b, len), 0);
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_ECORRUPT);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, 0);
  free(b);

  /* options of a newer version */
  rw.version = CPW_JOURNAL_OPTIONS_VERSION + 1;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &rw), CPW_EVERSION);
  assert_int_equal(cpw_journal_options_init(&rw, CPW_JOURNAL_OPTIONS_VERSION), CPW_OK);
  assert_int_equal(cpw_journal_options_init(&rw, 0), CPW_EVERSION);
}

/* the default policy's sources with a comment added: the same name, another hash */
static cpw_policy *other_policy(fx *f)
{
  size_t n = cpw_policy_default_source_count(), i;
  cpw_policy_source *src = calloc(n, sizeof *src);
  char *changed;
  cpw_policy *p = NULL;
  assert_non_null(src);
  for (i = 0; i < n; i++)
    src[i].text = cpw_policy_default_source(i, &src[i].name, &src[i].len);
  changed = malloc(src[n - 1].len + 32);
  assert_non_null(changed);
  memcpy(changed, src[n - 1].text, src[n - 1].len);
  memcpy(changed + src[n - 1].len, "\n# amended\n", 12);
  src[n - 1].text = changed;
  src[n - 1].len += 11;
  assert_int_equal(cpw_policy_compile(&p, f->ctx, src, n, NULL), CPW_OK);
  free(changed);
  free(src);
  assert_string_not_equal(cpw_policy_hash(p), cpw_policy_hash(f->pol));
  assert_string_equal(cpw_policy_name(p), cpw_policy_name(f->pol));
  return p;
}

static void test_journal__policy_change(void **state)
{
  fx *f = *state;
  cpw_policy *p2 = other_policy(f);
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_journal_options rw = opts_of(0, 0);
  long size;
  collect c;

  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 1, "s", "a");
  cpw_journal_close(j);
  size = jt_file_size(f->path);

  /* another policy: refused, and nothing written */
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, p2, &rw), CPW_EINVALID);
  assert_null(j);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "policy"));
  assert_int_equal(jt_file_size(f->path), size);

  /* allowed: an annotation records the change, committed before open returns */
  j = jopen(f, f->path, p2, CPW_JOURNAL_ALLOW_POLICY_CHANGE, 5);
  assert_int_equal(cpw_journal_pending(j), 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  assert_int_equal(cpw_journal_recovery_info(j)->commits, 2);
  read_all(f, j, &c);
  assert_int_equal(c.n, 2);
  assert_int_equal(c.items[1].kind, CPW_JOURNAL_ANNOTATION);
  {
    char want[256];
    snprintf(want, sizeof want, "system|system||policy_changed|2|policy=%s|hash=%s",
             cpw_policy_name(p2),
             cpw_policy_hash(p2));
    assert_string_equal(c.items[1].text, want);
  }
  cpw_journal_close(j);

  /* the journal's policy is now p2: no flag needed, no second annotation */
  j = jopen(f, f->path, p2, 0, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  cpw_journal_close(j);
  /* going back to the first policy is a change again */
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &rw), CPW_EINVALID);
  /* readers check it too (issue 16, point 8), unless they allow it; they record nothing */
  {
    cpw_journal_options ro = opts_of(CPW_JOURNAL_READONLY, 0);
    assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &ro), CPW_EINVALID);
  }
  j = jopen(f, f->path, f->pol, CPW_JOURNAL_READONLY | CPW_JOURNAL_ALLOW_POLICY_CHANGE, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  assert_string_equal(cpw_journal_policy_hash(j), cpw_policy_hash(p2));
  cpw_journal_close(j);
  j = jopen(f, f->path, f->pol, CPW_JOURNAL_ALLOW_POLICY_CHANGE, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 3);
  cpw_journal_close(j);
  j = jopen(f, f->path, f->pol, 0, 0);
  cpw_journal_close(j);
  cpw_policy_free(p2);
}

/* ------------------------------------------------------------------ the hook */

static void test_journal__hook(void **state)
{
  fx *f = *state;
  collect seen, all;
  cpw_journal_options o = opts_of(CPW_JOURNAL_CREATE, 4);
  cpw_journal *j = NULL;
  char name[16];
  int i;

  memset(&seen, 0, sizeof seen);
  o.hook = collect_fn;
  o.hook_payload = &seen;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &o), CPW_OK);
  for (i = 1; i <= 10; i++) {
    snprintf(name, sizeof name, "e%d", i);
    append_ok(f, j, CPW_JOURNAL_ANNOTATION, i, "s", name);
    /* only committed entries reach the hook */
    assert_int_equal(seen.n, (size_t)(i / 4 * 4));
  }
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(seen.n, 10);
  read_all(f, j, &all);
  assert_int_equal(all.n, 10);
  assert_same_entries(&seen, &all, 10);
  for (i = 1; i < 10; i++)
    assert_true(seen.items[i].seq > seen.items[i - 1].seq);

  /* a hook that stops: CPW_EUSER, the entries stay committed, the rest of that commit is not
   * shown to the hook, and later commits are shown from where they start */
  seen.stop_at = 12;
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 11, "s", "e11");
  {
    cpw_journal_entry e = entry(CPW_JOURNAL_ANNOTATION, 12, "s", "e12", NULL, 0);
    assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
    e.name = "e13";
    assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
  }
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_EUSER);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EUSER);
  assert_int_equal(cpw_journal_pending(j), 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 13);
  assert_int_equal(seen.n, 12);
  seen.stop_at = 0;
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 14, "s", "e14");
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(seen.n, 13);
  assert_non_null(strstr(seen.items[12].text, "|e14|"));
  cpw_journal_close(j);
  j = jopen(f, f->path, f->pol, 0, 0);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 14);
  cpw_journal_close(j);
}

/* A hook that stops, through the case functions: the event is applied and journaled. */
static void test_journal__hook_stops_case_apply(void **state)
{
  fx *f = *state;
  collect seen;
  cpw_journal_options o = opts_of(CPW_JOURNAL_CREATE, 0);
  cpw_journal *j = NULL;
  cpw_caseload *cl;
  cpw_case *c;
  memset(&seen, 0, sizeof seen);
  seen.stop_at = 2;
  o.hook = collect_fn;
  o.hook_payload = &seen;
  assert_int_equal(cpw_journal_open(&j, f->ctx, f->path, f->pol, &o), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, 100, "u",
                                         "reporter"), CPW_OK);
  assert_int_equal(cpw_journal_case_apply(j, c, "register", "u", "intake_officer", 200, NULL, 0),
                   CPW_EUSER);
  assert_string_equal(cpw_case_state(c), "registered");
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  seen.stop_at = 3;
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-2", "referral", NULL, 0, 300, "u",
                                         "reporter"), CPW_EUSER);
  assert_non_null(c);
  assert_non_null(cpw_caseload_find(cl, "C-2"));
  assert_int_equal(seen.n, 3);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
}

/* ------------------------------------------------------------------ reading and verifying */

static void test_journal__foreach(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 100);
  cpw_field_value fv[4] = { { "a", "1" }, { "empty", "" }, { "none", NULL },
                            { "\xe1\x83\xa5\xe1\x83\x94", "\xe1\x83\x97\xe1\x83\x91\xe1\x83\x98" } };
  cpw_journal_entry e;
  collect c;

  e = entry(CPW_JOURNAL_CASE_OPEN, -5, "C-\xe1\x83\x90", "referral", fv, 4);
  assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
  e = entry(CPW_JOURNAL_CASE_EVENT, INT64_MAX, "C-1", "register", NULL, 0);
  e.role = ""; /* an empty role is written as it is (every entry names its actor) */
  assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
  e = entry(CPW_JOURNAL_PLACEMENT, INT64_MIN, "child", "move", fv + 3, 1);
  assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
  /* pending entries are not read */
  read_all(f, j, &c);
  assert_int_equal(c.n, 0);
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  read_all(f, j, &c);
  assert_int_equal(c.n, 3);
  assert_int_equal(c.items[0].kind, CPW_JOURNAL_CASE_OPEN);
  assert_int_equal(c.items[0].at, -5);
  assert_string_equal(c.items[0].text, "u-1|social_worker|C-\xe1\x83\x90|referral|4|a=1|empty=|"
                                       "none=(null)|\xe1\x83\xa5\xe1\x83\x94=\xe1\x83\x97\xe1\x83"
                                       "\x91\xe1\x83\x98");
  assert_int_equal(c.items[1].at, INT64_MAX);
  assert_string_equal(c.items[1].text, "u-1||C-1|register|0");
  assert_int_equal(c.items[2].kind, CPW_JOURNAL_PLACEMENT);
  assert_int_equal(c.items[2].at, INT64_MIN);
  /* stopping */
  memset(&c, 0, sizeof c);
  c.stop_at = 2;
  assert_int_equal(cpw_journal_foreach(j, f->ctx, collect_fn, &c), CPW_EUSER);
  assert_int_equal(c.n, 2);
  assert_int_equal(cpw_journal_foreach(j, f->ctx, NULL, NULL), CPW_EINVALID);
  assert_int_equal(cpw_journal_foreach(NULL, f->ctx, collect_fn, &c), CPW_EINVALID);
  cpw_journal_close(j);
}

static void test_journal__verify(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 2);
  cpw_journal_recovery info;
  unsigned char *b;
  size_t len, h = header_len(f->pol);
  long committed;
  int i;

  for (i = 0; i < 5; i++)
    append_ok(f, j, CPW_JOURNAL_ANNOTATION, i, "s", "n");
  assert_int_equal(cpw_journal_verify(f->ctx, f->path, &info), CPW_OK);
  assert_int_equal(info.entries, 4);
  assert_int_equal(info.commits, 2);
  assert_string_equal(info.head_hash, cpw_journal_head_hash(j));
  assert_int_equal(info.truncated_bytes, 0);
  assert_int_equal(info.truncated_at, -1);
  assert_int_equal(info.file_bytes, (uint64_t)jt_file_size(f->path));
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(cpw_journal_verify(f->ctx, f->path, &info), CPW_OK);
  assert_int_equal(info.entries, 5);
  assert_int_equal(info.commits, 3);
  assert_string_equal(info.head_hash, cpw_journal_head_hash(j));
  cpw_journal_close(j);

  /* an unfinished tail is reported, not cut */
  b = jt_read_file(f->path, &len);
  assert_non_null(b);
  committed = (long)len;
  assert_int_equal(jt_write_file(f->work, b, len), 0);
  assert_int_equal(jt_add_torn_tail(f->work, f->ctx, f->pol, 50), 0); /* an entry's start */
  assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_OK);
  assert_int_equal(info.entries, 5);
  assert_int_equal(info.truncated_bytes, 50);
  assert_int_equal(info.truncated_at, committed);
  assert_int_equal(info.file_bytes, (uint64_t)committed + 50);
  assert_int_equal(jt_file_size(f->work), committed + 50);

  /* a changed byte in committed data */
  b[h + 30] ^= 0x20;
  assert_int_equal(jt_write_file(f->work, b, len), 0);
  assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_ECORRUPT);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, (int64_t)h);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "entry 1 "));
  free(b);

  assert_int_equal(cpw_journal_verify(f->ctx, f->dir, &info), CPW_EIO);
  snprintf(f->work, sizeof f->work, "%s/none", f->dir);
  assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_EIO);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->os_error, ENOENT);
  assert_int_equal(cpw_journal_verify(f->ctx, NULL, &info), CPW_EINVALID);
}

/* ------------------------------------------------------------------ refused strings */

static void test_journal__bad_strings(void **state)
{
  fx *f = *state;
  static const char *const bad[] = { "\xff", "a\xc0\xaf", "\xed\xa0\x80", "\xe1\x83", "\x80x" };
  size_t g, k, s;
  char *big = malloc(70000);
  assert_non_null(big);
  for (g = 0; g < 2; g++) {
    cpw_journal *j;
    long size0;
    collect c;
    int rc;
    remove(f->path);
    j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, g == 0 ? 0 : 3);
    size0 = jt_file_size(f->path);
    for (k = 0; k < CPW__ARRAY_LEN(bad); k++) {
      for (s = 0; s < 6; s++) {
        cpw_field_value fv = { "f", "v" };
        cpw_journal_entry e = entry(CPW_JOURNAL_CASE_EVENT, 1, "C-1", "register", &fv, 1);
        switch (s) {
        case 0: e.actor = bad[k]; break;
        case 1: e.role = bad[k]; break;
        case 2: e.subject = bad[k]; break;
        case 3: e.name = bad[k]; break;
        case 4: fv.field = bad[k]; break;
        default: fv.value = bad[k]; break;
        }
        rc = cpw__journal_append(j, f->ctx, &e);
        assert_int_equal(rc, CPW_EINVALID);
        assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "UTF-8"));
        assert_int_equal(cpw_journal_pending(j), 0);
        assert_int_equal(jt_file_size(f->path), size0);
      }
    }
    /* 65534 bytes is the longest string */
    memset(big, 'a', 65535);
    big[65535] = '\0';
    {
      cpw_journal_entry e = entry(CPW_JOURNAL_ANNOTATION, 1, big, "n", NULL, 0);
      cpw_field_value fv[20];
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_EINVALID);
      assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "65534"));
      e.subject = "s";
      e.name = big;
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_EINVALID);
      /* an entry over 1 MiB */
      big[65534] = '\0';
      for (s = 0; s < 20; s++) {
        fv[s].field = "f";
        fv[s].value = big;
      }
      e.name = "n";
      e.fields = fv;
      e.nfields = 20;
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_ELIMIT);
      e.kind = 0;
      e.nfields = 0;
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_EINVALID);
      e.kind = 15;
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_EINVALID);
      e.kind = CPW_JOURNAL_ANNOTATION;
      e.fields = NULL;
      e.nfields = 1;
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_EINVALID);
      assert_int_equal(cpw_journal_pending(j), 0);
      assert_int_equal(jt_file_size(f->path), size0);
      e.nfields = 0;
      e.subject = big;
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
    }
    append_ok(f, j, CPW_JOURNAL_ANNOTATION, 2, "s", "after");
    assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
    read_all(f, j, &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.items[0].seq, 1); /* refused entries took no number */
    assert_int_equal(c.items[1].seq, 2);
    cpw_journal_close(j);
  }
  free(big);
}

/* Through the case functions: a refused string leaves the case as it was. */
static void test_journal__bad_strings_case(void **state)
{
  fx *f = *state;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 0);
  cpw_caseload *cl;
  cpw_case *c = NULL;
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, 100, "\xff",
                                         "reporter"), CPW_EINVALID);
  assert_null(c);
  assert_int_equal(cpw_caseload_case_count(cl), 0);
  assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, 100, "u",
                                         "reporter"), CPW_OK);
  assert_int_equal(cpw_journal_case_apply(j, c, "register", "\xc3", "intake_officer", 200, NULL,
                                          0), CPW_EINVALID);
  assert_string_equal(cpw_case_state(c), "notified");
  assert_int_equal(cpw_case_event_count(c), 1);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 1);
  assert_int_equal(cpw_journal_case_apply(j, c, "register", "u", "intake_officer", 200, NULL, 0),
                   CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, 2);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
}

/* ------------------------------------------------------------------ apply, then append */

static void check_replay_equals(fx *f, const cpw_caseload *want)
{
  cpw_journal *j = jopen(f, f->path, f->pol, 0, 0);
  cpw_caseload *cl;
  char why[256];
  assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, cl), CPW_OK);
  if (jt_caseloads_differ(want, cl, why, sizeof why))
    fail_msg("replay differs: %s", why);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
}

/* The append fails (a write or an fsync): the case is unchanged and the error is returned. */
static void test_journal__append_fails(void **state)
{
  fx *f = *state;
  static const int errs[] = { ENOSPC, EIO, EROFS, EACCES };
  size_t g, x;
  for (g = 0; g < 2; g++) {
    for (x = 0; x < 2 * CPW__ARRAY_LEN(errs); x++) {
      jt_fio fio;
      cpw_journal_options o = opts_of(CPW_JOURNAL_CREATE, g == 0 ? 0 : 2);
      cpw_journal *j;
      cpw_caseload *cl, *ref;
      cpw_case *c, *cr;
      char why[256];
      long size;
      int err = errs[x / 2], on_sync = (int)(x % 2);
      const cpw_error *le = cpw_ctx_last_error(f->ctx);

      remove(f->path);
      jt_fio_init(&fio, JT_NONE, 0, 0, 0);
      assert_int_equal(cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio.io), CPW_OK);
      assert_int_equal(cpw_caseload_new(&cl, f->ctx, f->pol), CPW_OK);
      assert_int_equal(cpw_caseload_new(&ref, f->ctx, f->pol), CPW_OK);
      assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-1", "referral", NULL, 0, 100, "u",
                                             "reporter"), CPW_OK);
      assert_int_equal(cpw_caseload_open(ref, &cr, "C-1", "referral", NULL, 0, 100, "u",
                                         "reporter"), CPW_OK);
      /* group 2: this commits both; group 0: this one */
      assert_int_equal(cpw_journal_case_apply(j, c, "register", "u", "intake_officer", 200,
                                              NULL, 0), CPW_OK);
      assert_int_equal(cpw_case_apply(cr, "register", "u", "intake_officer", 200, NULL, 0),
                       CPW_OK);
      if (g == 1) {
        /* one pending entry, then the one that fills the group fails to commit */
        assert_int_equal(cpw_journal_case_apply(j, c, "notify_police", "u", "social_worker",
                                                250, NULL, 0), CPW_OK);
        assert_int_equal(cpw_case_apply(cr, "notify_police", "u", "social_worker", 250, NULL,
                                        0), CPW_OK);
        assert_int_equal(cpw_journal_pending(j), 1);
      }
      size = jt_file_size(f->path);
      fio.mode = JT_FAIL;
      fio.err = err;
      fio.k = fio.ops + 1 + on_sync; /* the next write, or the fsync after it */
      assert_int_equal(cpw_journal_case_apply(j, c, "start_assessment", "u", "social_worker",
                                              300, NULL, 0), CPW_EIO);
      assert_true(fio.fired);
      assert_int_equal(le->code, CPW_EIO);
      assert_int_equal(le->os_error, err);
      assert_non_null(strstr(le->message, strerror(err)));
      assert_non_null(le->file);
      assert_string_equal(le->file, f->path);
      if (jt_caseloads_differ(ref, cl, why, sizeof why))
        fail_msg("the case changed: %s", why);
      assert_string_equal(cpw_case_state(c), "registered");
      assert_int_equal(jt_file_size(f->path), size);
      assert_int_equal(cpw_journal_pending(j), g == 0 ? 0 : 1);

      /* a case opening that fails opens nothing */
      fio.fired = 0;
      fio.k = fio.ops + 1 + on_sync;
      assert_int_equal(cpw_journal_case_open(j, cl, &c, "C-2", "referral", NULL, 0, 310, "u",
                                             "reporter"), CPW_EIO);
      assert_null(c);
      assert_null(cpw_caseload_find(cl, "C-2"));
      assert_int_equal(cpw_caseload_case_count(cl), 1);
      c = cpw_caseload_find(cl, "C-1");

      /* the next try works */
      assert_int_equal(cpw_journal_case_apply(j, c, "start_assessment", "u", "social_worker",
                                              300, NULL, 0), CPW_OK);
      assert_int_equal(cpw_case_apply(cr, "start_assessment", "u", "social_worker", 300, NULL,
                                      0), CPW_OK);
      assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
      cpw_journal_close(j);
      check_replay_equals(f, ref);
      check_replay_equals(f, cl);
      cpw_caseload_free(cl);
      cpw_caseload_free(ref);
    }
  }
}

/* cpw_journal_commit fails: the entries stay pending and a later commit writes them. */
static void test_journal__commit_retry(void **state)
{
  fx *f = *state;
  jt_fio fio;
  cpw_journal_options o = opts_of(CPW_JOURNAL_CREATE, 100);
  cpw_journal *j;
  char head[65];
  collect c;
  jt_fio_init(&fio, JT_NONE, 0, 0, 0);
  assert_int_equal(cpw__journal_open_io(&j, f->ctx, f->path, f->pol, &o, &fio.io), CPW_OK);
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 1, "s", "a");
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 2, "s", "b");
  snprintf(head, sizeof head, "%s", cpw_journal_head_hash(j));
  fio.mode = JT_SHORT;
  fio.err = ENOSPC;
  fio.k = fio.ops + 1;
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_EIO);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->os_error, ENOSPC);
  assert_int_equal(cpw_journal_pending(j), 2);
  assert_string_equal(cpw_journal_head_hash(j), head);
  assert_int_equal(jt_file_size(f->path), (long)header_len(f->pol));
  append_ok(f, j, CPW_JOURNAL_ANNOTATION, 3, "s", "c");
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->commits, 1);
  read_all(f, j, &c);
  assert_int_equal(c.n, 3);
  assert_int_equal(c.items[2].seq, 3);
  cpw_journal_close(j);
}

/* ------------------------------------------------------------------ replay */

static void test_journal__replay_deterministic(void **state)
{
  fx *f = *state;
  jt_workload w;
  cpw_journal *j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 5);
  cpw_caseload *live, *a, *b, *ref;
  cpw_policy *p2;
  size_t i, n;
  uint64_t events = 0;
  char why[256];

  assert_int_equal(jt_workload_make(&w, f->ctx, f->pol, 1500, 120, 12345), 0);
  assert_true(w.refused > 50);
  assert_int_equal(cpw_caseload_new(&live, f->ctx, f->pol), CPW_OK);
  for (i = 0; i < w.nops; i++) {
    const jt_op *op = &w.ops[i];
    int rc;
    if (op->open)
      rc = cpw_journal_case_open(j, live, NULL, w.ids[op->case_no], "referral", op->fields,
                                 op->nfields, op->at, "u-open", op->role);
    else
      rc = cpw_journal_case_apply(j, cpw_caseload_find(live, w.ids[op->case_no]), op->event,
                                  "u-7", op->role, op->at, op->fields, op->nfields);
    assert_int_equal(rc, op->accepted ? CPW_OK : CPW_EDENIED);
  }
  assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, w.entries);

  assert_int_equal(cpw_caseload_new(&a, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_caseload_new(&b, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_caseload_new(&ref, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, a), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, b), CPW_OK);
  assert_int_equal(jt_workload_reference(&w, ref, w.entries), CPW_OK);
  if (jt_caseloads_differ(a, b, why, sizeof why))
    fail_msg("two replays differ: %s", why);
  if (jt_caseloads_differ(live, a, why, sizeof why))
    fail_msg("replay differs from the live caseload: %s", why);
  if (jt_caseloads_differ(ref, a, why, sizeof why))
    fail_msg("replay differs from the reference: %s", why);
  n = cpw_caseload_case_count(a);
  assert_int_equal(n, w.ncases);
  for (i = 0; i < n; i++)
    events += cpw_case_event_count(cpw_caseload_case_at(a, i));
  assert_int_equal(events, w.entries);
  {
    /* some deadlines are pending, so they were compared */
    cpw_deadline d[4];
    assert_true(cpw_caseload_due_before(a, INT64_MAX, d, 4) > 0);
  }
  /* replaying into a caseload that already has the cases: the first opening is refused */
  assert_int_equal(cpw_journal_replay(j, b), CPW_ECORRUPT);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "entry 1 "));
  cpw_caseload_free(b);
  cpw_journal_close(j);

  /* again after reopening, and from a reader */
  j = jopen(f, f->path, f->pol, 0, 0);
  assert_int_equal(cpw_caseload_new(&b, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, b), CPW_OK);
  if (jt_caseloads_differ(a, b, why, sizeof why))
    fail_msg("replay after reopening differs: %s", why);
  cpw_caseload_free(b);
  /* a caseload of another policy */
  p2 = other_policy(f);
  assert_int_equal(cpw_caseload_new(&b, f->ctx, p2), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, b), CPW_EINVALID);
  cpw_caseload_free(b);
  cpw_journal_close(j);
  j = jopen(f, f->path, NULL, CPW_JOURNAL_READONLY, 0);
  assert_int_equal(cpw_caseload_new(&b, f->ctx, f->pol), CPW_OK);
  assert_int_equal(cpw_journal_replay(j, b), CPW_OK);
  if (jt_caseloads_differ(a, b, why, sizeof why))
    fail_msg("replay from a reader differs: %s", why);
  cpw_caseload_free(b);
  cpw_journal_close(j);
  cpw_policy_free(p2);

  cpw_caseload_free(a);
  cpw_caseload_free(ref);
  cpw_caseload_free(live);
  jt_workload_free(&w);
}

/* ------------------------------------------------------------------ damage */

/* A small journal of four commits, its entries, and where everything is. */
typedef struct small {
  unsigned char *bytes;
  size_t len;
  size_t commit_end[5];      /* the end of commit k (commit_end[0]: the header) */
  size_t ncommits;
  char head[5][65];          /* the head hash after commit k */
  uint64_t entries[5];       /* entries after commit k */
  size_t entry_at[32];       /* the offset of every entry and marker */
  char entry_name[32][80];   /* how an error message names it */
  char entry_alt[32][80];    /* a marker whose length or kind is damaged: as the next entry */
  size_t nentries;
  collect all;
} small;

static void build_small(fx *f, small *s)
{
  cpw_journal *j;
  static const char *const names[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
  static const size_t per_commit[4] = { 1, 3, 2, 2 };
  cpw_field_value fv[2] = { { "k", "v" }, { "gone", NULL } };
  size_t k, i, n = 0, off;

  memset(s, 0, sizeof *s);
  remove(f->path);
  j = jopen(f, f->path, f->pol, CPW_JOURNAL_CREATE, 100);
  s->commit_end[0] = header_len(f->pol);
  snprintf(s->head[0], 65, "%s", cpw_journal_head_hash(j));
  for (k = 0; k < 4; k++) {
    for (i = 0; i < per_commit[k]; i++, n++) {
      cpw_journal_entry e = entry(n % 2 ? CPW_JOURNAL_CASE_EVENT : CPW_JOURNAL_PLACEMENT,
                                  (cpw_time)(1000 + n), "C-9", names[n], fv, i % 3);
      assert_int_equal(cpw__journal_append(j, f->ctx, &e), CPW_OK);
    }
    assert_int_equal(cpw_journal_commit(j, f->ctx), CPW_OK);
    s->commit_end[k + 1] = (size_t)jt_file_size(f->path);
    snprintf(s->head[k + 1], 65, "%s", cpw_journal_head_hash(j));
    s->entries[k + 1] = cpw_journal_recovery_info(j)->entries;
  }
  s->ncommits = 4;
  read_all(f, j, &s->all);
  cpw_journal_close(j);
  s->bytes = jt_read_file(f->path, &s->len);
  assert_non_null(s->bytes);
  for (off = s->commit_end[0], n = 0; off < s->len; off += 4 + le32(s->bytes + off) + 36) {
    /* users count entries, not commit markers */
    snprintf(s->entry_alt[s->nentries], sizeof s->entry_alt[0], "entry %zu at offset %zu ",
             n + 1, off);
    if (s->bytes[off + 4] == 15)
      snprintf(s->entry_name[s->nentries], sizeof s->entry_name[0],
               "offset %zu, in the commit marker after entry %zu:", off, n);
    else
      snprintf(s->entry_name[s->nentries], sizeof s->entry_name[0], "entry %zu at offset %zu ",
               ++n, off);
    s->entry_at[s->nentries++] = off;
  }
  assert_int_equal(off, s->len);
}

/* the entry that holds byte p */
static size_t entry_index(const small *s, size_t p)
{
  size_t i = s->nentries;
  while (i > 0 && s->entry_at[i - 1] > p)
    i--;
  return i - 1;
}

/* a journal that opened: it must be exactly commits 1..k of the original */
static void check_prefix(fx *f, const small *s, size_t k, const char *path, size_t p)
{
  cpw_journal *j = jopen(f, path, f->pol, CPW_JOURNAL_READONLY, 0);
  cpw_journal_recovery info;
  collect c;
  if (strcmp(cpw_journal_head_hash(j), s->head[k]) != 0)
    fail_msg("byte %zu: head hash is not that of commit %zu", p, k);
  assert_int_equal(cpw_journal_recovery_info(j)->entries, s->entries[k]);
  assert_int_equal(cpw_journal_recovery_info(j)->commits, k);
  read_all(f, j, &c);
  assert_int_equal(c.n, s->entries[k]);
  assert_same_entries(&c, &s->all, c.n);
  cpw_journal_close(j);
  assert_int_equal(cpw_journal_verify(f->ctx, path, &info), CPW_OK);
  assert_string_equal(info.head_hash, s->head[k]);
  assert_int_equal(info.truncated_bytes, 0);
}

static void test_journal__damage_every_byte(void **state)
{
  fx *f = *state;
  small s;
  unsigned char *copy;
  size_t tail_len, total, p, x, committed_end;
  static const unsigned char flips[] = { 0xFF, 0x01, 0x80, 0x10 };
  cpw_journal_options rw = opts_of(0, 0);
  long recovered = 0, corrupt = 0;

  build_small(f, &s);
  /* the file: commits 1-3, then half of commit 4 (an interrupted write) */
  committed_end = s.commit_end[3];
  tail_len = (s.commit_end[4] - s.commit_end[3]) / 2;
  total = committed_end + tail_len;
  copy = malloc(total);
  assert_non_null(copy);
  for (x = 0; x < sizeof flips; x++) {
    for (p = 0; p < total; p++) {
      cpw_journal *j = NULL;
      cpw_journal_recovery info;
      int rc, vrc;
      memcpy(copy, s.bytes, total);
      copy[p] ^= flips[x];
      assert_int_equal(jt_write_file(f->work, copy, total), 0);
      vrc = cpw_journal_verify(f->ctx, f->work, &info);
      rc = cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw);
      if (vrc != rc)
        fail_msg("byte %zu ^ %02x: verify says %d, open %d", p, flips[x], vrc, rc);
      if (rc == CPW_ECORRUPT) {
        const cpw_error *le = cpw_ctx_last_error(f->ctx);
        corrupt++;
        assert_null(j);
        /* nothing changed */
        assert_int_equal(jt_file_size(f->work), (long)total);
        if (p < s.commit_end[0]) {
          assert_int_equal(le->offset, 0);
        } else if (p < committed_end) {
          /* committed, the last marker included: named exactly */
          size_t i = entry_index(&s, p);
          if (le->offset != (int64_t)s.entry_at[i])
            fail_msg("byte %zu ^ %02x: offset %lld, not %zu (%s)", p, flips[x],
                     (long long)le->offset, s.entry_at[i], le->message);
          if (strstr(le->message, s.entry_name[i]) == NULL &&
              strstr(le->message, s.entry_alt[i]) == NULL)
            fail_msg("byte %zu: '%s' does not name '%s'", p, le->message, s.entry_name[i]);
        } else if (le->offset < (int64_t)committed_end) {
          /* a changed byte in the unfinished commit may be called damage, at that commit */
          fail_msg("byte %zu ^ %02x in the tail: %s", p, flips[x], le->message);
        }
        continue;
      }
      if (rc != CPW_OK)
        fail_msg("byte %zu ^ %02x: %d %s", p, flips[x], rc, cpw_ctx_last_error(f->ctx)->message);
      recovered++;
      /* recovered: only a change in the unfinished commit may do that, and only that commit
       * is cut: a writer never removes a committed entry */
      if (p < committed_end)
        fail_msg("byte %zu ^ %02x (committed) was accepted", p, flips[x]);
      {
        const cpw_journal_recovery *rec = cpw_journal_recovery_info(j);
        assert_int_equal(rec->truncated_at, (int64_t)committed_end);
        assert_int_equal(rec->truncated_bytes, (int64_t)(total - committed_end));
        assert_int_equal(rec->file_bytes, committed_end);
        assert_int_equal(info.truncated_at, (int64_t)committed_end);
        assert_int_equal(info.truncated_bytes, (int64_t)(total - committed_end));
        assert_string_equal(info.head_hash, s.head[3]);
        cpw_journal_close(j);
        assert_int_equal(jt_file_size(f->work), committed_end);
        check_prefix(f, &s, 3, f->work, p);
      }
    }
  }
  print_message("      %ld damaged copies refused, %ld recovered to a committed prefix\n",
                corrupt, recovered);
  free(copy);
  free(s.bytes);
}

/* Cut the file at every offset of its last commit: the previous commits remain. */
static void test_journal__truncate_every_offset(void **state)
{
  fx *f = *state;
  small s;
  size_t t, start, end;
  build_small(f, &s);
  start = s.commit_end[3];
  end = s.commit_end[4];
  /* the last commit holds entries 7 and 8 and its marker */
  assert_true(end - start > 2 * 60 + 96);
  for (t = start; t < end; t++) {
    cpw_journal *j;
    cpw_journal_recovery info;
    const cpw_journal_recovery *rec;
    assert_int_equal(jt_write_file(f->work, s.bytes, t), 0);
    assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_OK);
    assert_int_equal(info.truncated_bytes, (int64_t)(t - start));
    assert_int_equal(info.truncated_at, t > start ? (int64_t)start : -1);
    assert_string_equal(info.head_hash, s.head[3]);
    /* a reader reports the tail and leaves it */
    j = jopen(f, f->work, NULL, CPW_JOURNAL_READONLY, 0);
    assert_int_equal(cpw_journal_recovery_info(j)->truncated_bytes, (int64_t)(t - start));
    cpw_journal_close(j);
    assert_int_equal(jt_file_size(f->work), (long)t);
    /* a writer cuts it */
    j = jopen(f, f->work, f->pol, 0, 0);
    rec = cpw_journal_recovery_info(j);
    assert_int_equal(rec->entries, s.entries[3]);
    assert_int_equal(rec->commits, 3);
    assert_int_equal(rec->truncated_bytes, (int64_t)(t - start));
    assert_int_equal(rec->truncated_at, t > start ? (int64_t)start : -1);
    assert_int_equal(rec->file_bytes, start);
    assert_string_equal(rec->head_hash, s.head[3]);
    cpw_journal_close(j);
    assert_int_equal(jt_file_size(f->work), (long)start);
    check_prefix(f, &s, 3, f->work, t);
  }
  /* and the whole file is the whole journal */
  assert_int_equal(jt_write_file(f->work, s.bytes, end), 0);
  check_prefix(f, &s, 4, f->work, end);
  free(s.bytes);
}

/* Recompute every CRC and chain value after the header: a forged file that checks out. */
static void rechain(unsigned char *b, size_t len, size_t h)
{
  uint8_t chain[32];
  size_t off;
  cpw__sha256(b, h, chain);
  for (off = h; off + 8 <= len;) {
    size_t body = le32(b + off);
    cpw__sha256_ctx s;
    if (off + 8 + body + 32 > len)
      break;
    put32(b + off + 4 + body, cpw__crc32c(0, b + off, 4 + body));
    cpw__sha256_init(&s);
    cpw__sha256_update(&s, chain, 32);
    cpw__sha256_update(&s, b + off, 8 + body);
    cpw__sha256_final(&s, chain);
    memcpy(b + off + 8 + body, chain, 32);
    off += 8 + body + 32;
  }
}

/* Entries and markers whose checksums and chain hold but whose contents are wrong: damage,
 * named by the entry's own number and offset, wherever it is (the last marker too). */
static void test_journal__forged_entries(void **state)
{
  fx *f = *state;
  small s;
  unsigned char *b;
  size_t which, field;
  build_small(f, &s);
  b = malloc(s.len);
  assert_non_null(b);
  for (which = 0; which < s.nentries; which++) {
    size_t off = s.entry_at[which];
    int is_marker = b != NULL && s.bytes[off + 4] == 15;
    for (field = 0; field < 5; field++) {
      cpw_journal_recovery info;
      cpw_journal *j = NULL;
      cpw_journal_options rw = opts_of(0, 0);
      memcpy(b, s.bytes, s.len);
      switch (field) {
      case 0: b[off + 4 + 2] ^= 1; break;                   /* the entry number */
      case 1: b[off + 4 + 1] = 1; break;                    /* flags */
      case 2: b[off + 4] = is_marker ? 4 : 9; break;        /* the kind */
      case 3: if (!is_marker) continue;
              b[off + 4 + 32] ^= 2; break;                  /* the commit number */
      default: if (!is_marker) continue;
               b[off + 4 + (field == 4 ? 40 : 48)] ^= 1;    /* the entry count */
      }
      rechain(b, s.len, s.commit_end[0]);
      assert_int_equal(jt_write_file(f->work, b, s.len), 0);
      assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_ECORRUPT);
      assert_int_equal(cpw_journal_open(&j, f->ctx, f->work, f->pol, &rw), CPW_ECORRUPT);
      assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, (int64_t)off);
      if (strstr(cpw_ctx_last_error(f->ctx)->message, s.entry_name[which]) == NULL &&
          strstr(cpw_ctx_last_error(f->ctx)->message, s.entry_alt[which]) == NULL)
        fail_msg("entry %zu field %zu: '%s' does not name '%s'", which, field,
                 cpw_ctx_last_error(f->ctx)->message, s.entry_name[which]);
      assert_int_equal(jt_file_size(f->work), (long)s.len);
    }
    /* a marker's own offset */
    if (is_marker) {
      cpw_journal_recovery info;
      memcpy(b, s.bytes, s.len);
      b[off + 4 + 48] ^= 8;
      rechain(b, s.len, s.commit_end[0]);
      assert_int_equal(jt_write_file(f->work, b, s.len), 0);
      assert_int_equal(cpw_journal_verify(f->ctx, f->work, &info), CPW_ECORRUPT);
      assert_int_equal(cpw_ctx_last_error(f->ctx)->offset, (int64_t)off);
      assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "wrong offset"));
    }
  }
  free(b);
  free(s.bytes);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_journal__append_checks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__reader_other_policy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__header, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__doc_example, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__reopen, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__empty_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__torn_header, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__group_commit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__writer_lock, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__newer_version, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__policy_change, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__hook, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__hook_stops_case_apply, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__foreach, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__verify, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__bad_strings, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__bad_strings_case, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__append_fails, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__commit_retry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__replay_deterministic, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__damage_every_byte, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__truncate_every_offset, setup, teardown),
    cmocka_unit_test_setup_teardown(test_journal__forged_entries, setup, teardown),
  };
  return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
