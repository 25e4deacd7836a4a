/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_journal: arbitrary bytes as a journal file, through an in-memory cpw__io (no disk).
 *
 * The input is the file. It is opened read-only, read with foreach, replayed into a caseload of
 * Georgia's default policy and verified; then opened for writing (the policy change allowed),
 * replayed, appended to, committed, verified and opened again. Invariants:
 * - every call returns a status (no crash, no sanitizer report), and a failure comes with a
 *   message; damage is CPW_ECORRUPT with an offset inside the file;
 * - a read-only open and cpw_journal_verify agree (status, entries, commits, head hash, tail);
 * - foreach sees exactly the entries the open counted;
 * - a failed open for writing leaves the file byte for byte as it was;
 * - after a successful open for writing the file holds exactly the committed part, and after an
 *   append and a commit it verifies with the writer's head hash and one more entry (plus the
 *   policy change annotation when the policy differed), and reopens.
 *
 * Build (libFuzzer):
 *   clang -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE -I include \
 *     -I build/dev/include -I lib tests/fuzz/fuzz_journal.c lib/base/\*.c lib/policy/\*.c \
 *     lib/eligibility/\*.c lib/workflow/\*.c lib/journal/\*.c \
 *     build/dev/generated/default_policy.c -lpthread -o /tmp/fuzz_journal
 * Every input is run as it is and, when that changes it, with its header CRC and every entry's
 * CRC and chain value recomputed (following the length fields as they are), so that mutations
 * also reach the checks behind the checksums (forged entries and markers).
 *
 * Seed corpus: tests/fuzz/corpus/journal/ (small real journals, a few damaged ones). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crc32c.h"
#include "journal/journal_int.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------ the file, in memory */

typedef struct memfile {
  unsigned char *data;
  size_t len, cap;
  int exists;
} memfile;

static memfile mf;

static int m_grow(size_t need)
{
  if (need > mf.cap) {
    size_t cap = mf.cap ? mf.cap : 4096;
    unsigned char *p;
    while (cap < need)
      cap *= 2;
    p = realloc(mf.data, cap);
    if (p == NULL)
      return ENOSPC;
    mf.data = p;
    mf.cap = cap;
  }
  return 0;
}

static int m_open(const cpw__io *io, const char *path, int create, int readonly, int *fd,
                  int *created)
{
  (void)io;
  (void)path;
  *created = 0;
  if (!mf.exists) {
    if (!create || readonly)
      return ENOENT;
    mf.exists = 1;
    mf.len = 0;
    *created = 1;
  }
  *fd = 3;
  return 0;
}

static int m_lock(const cpw__io *io, int fd)
{
  (void)io;
  (void)fd;
  return 0;
}

static int m_read(const cpw__io *io, int fd, void *buf, size_t len, uint64_t off, size_t *got)
{
  (void)io;
  (void)fd;
  *got = 0;
  if (off < mf.len) {
    size_t n = mf.len - (size_t)off < len ? mf.len - (size_t)off : len;
    memcpy(buf, mf.data + off, n);
    *got = n;
  }
  return 0;
}

static int m_write(const cpw__io *io, int fd, const void *buf, size_t len, uint64_t off)
{
  (void)io;
  (void)fd;
  if (off > SIZE_MAX / 2 || len > SIZE_MAX / 2 || m_grow((size_t)off + len) != 0)
    return ENOSPC;
  if (off > mf.len)
    memset(mf.data + mf.len, 0, (size_t)off - mf.len);
  memcpy(mf.data + off, buf, len);
  if (off + len > mf.len)
    mf.len = (size_t)off + len;
  return 0;
}

static int m_sync(const cpw__io *io, int fd)
{
  (void)io;
  (void)fd;
  return 0;
}

static int m_truncate(const cpw__io *io, int fd, uint64_t size)
{
  (void)io;
  (void)fd;
  if (size > mf.len) {
    if (size > SIZE_MAX / 2 || m_grow((size_t)size) != 0)
      return ENOSPC;
    memset(mf.data + mf.len, 0, (size_t)size - mf.len);
  }
  mf.len = (size_t)size;
  return 0;
}

static int m_size(const cpw__io *io, int fd, uint64_t *size)
{
  (void)io;
  (void)fd;
  *size = mf.len;
  return 0;
}

static int m_sync_dir(const cpw__io *io, const char *path)
{
  (void)io;
  (void)path;
  return 0;
}

static void m_close(const cpw__io *io, int fd)
{
  (void)io;
  (void)fd;
}

static const cpw__io mem_io = {
  m_open, m_lock, m_read, m_write, m_sync, m_truncate, m_size, m_sync_dir, m_close, NULL,
};

/* ------------------------------------------------------------------ checks */

static cpw_ctx *ctx;
static cpw_policy *policy;

static int count_fn(const cpw_journal_entry *e, void *payload)
{
  CHECK(e->kind >= CPW_JOURNAL_CASE_OPEN && e->kind <= CPW_JOURNAL_ANNOTATION);
  CHECK(e->actor != NULL && e->role != NULL && e->subject != NULL && e->name != NULL);
  CHECK(e->nfields == 0 || e->fields != NULL);
  ++*(uint64_t *)payload;
  return 0;
}

static void check_failure(int rc, size_t file_len)
{
  const cpw_error *le = cpw_ctx_last_error(ctx);
  CHECK(rc < 0);
  CHECK(le->code == rc);
  CHECK(le->message != NULL && le->message[0] != '\0');
  if (rc == CPW_ECORRUPT)
    CHECK(le->offset >= 0 && (uint64_t)le->offset <= file_len);
}

static void replay(cpw_journal *j)
{
  cpw_caseload *cl;
  int rc;
  CHECK(cpw_caseload_new(&cl, ctx, policy) == CPW_OK);
  rc = cpw_journal_replay(j, cl);
  /* entries the caseload refuses are CPW_ECORRUPT; anything else is a bug */
  CHECK(rc == CPW_OK || rc == CPW_ECORRUPT || rc == CPW_ENOMEM);
  if (rc != CPW_OK)
    CHECK(cpw_ctx_last_error(ctx)->code == rc);
  cpw_caseload_free(cl);
}

static void reader(size_t size)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_recovery info;
  int rc, vrc;
  o.flags = CPW_JOURNAL_READONLY;
  rc = cpw__journal_open_io(&j, ctx, "fuzz.cpwj", NULL, &o, &mem_io);
  if (rc != CPW_OK) {
    check_failure(rc, size);
    CHECK(rc == CPW_ECORRUPT || rc == CPW_EVERSION || rc == CPW_ENOMEM);
    CHECK(j == NULL);
    vrc = cpw__journal_verify_io(ctx, "fuzz.cpwj", &info, &mem_io);
    CHECK(vrc == rc || size == 0);
  } else {
    const cpw_journal_recovery *rec = cpw_journal_recovery_info(j);
    uint64_t n = 0;
    CHECK(cpw_journal_foreach(j, ctx, count_fn, &n) == CPW_OK);
    CHECK(n == rec->entries);
    replay(j);
    vrc = cpw__journal_verify_io(ctx, "fuzz.cpwj", &info, &mem_io);
    CHECK(vrc == CPW_OK);
    CHECK(strcmp(info.head_hash, rec->head_hash) == 0);
    CHECK(info.entries == rec->entries && info.commits == rec->commits);
    CHECK(info.truncated_bytes == rec->truncated_bytes);
    CHECK(info.truncated_at == rec->truncated_at);
    CHECK(rec->truncated_bytes >= 0 && (uint64_t)rec->truncated_bytes <= size);
    cpw_journal_close(j);
  }
  CHECK(mf.len == size); /* readers change nothing */
}

static void writer(const uint8_t *data, size_t size, size_t group)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  cpw_journal_recovery info;
  const cpw_journal_recovery *rec;
  cpw_journal_entry e;
  cpw_field_value fv[2] = { { "note", "fuzz" }, { "missing", NULL } };
  uint64_t before;
  char head[65];
  int rc;

  o.flags = CPW_JOURNAL_ALLOW_POLICY_CHANGE;
  o.group_commit = group;
  rc = cpw__journal_open_io(&j, ctx, "fuzz.cpwj", policy, &o, &mem_io);
  if (rc != CPW_OK) {
    check_failure(rc, size);
    CHECK(rc == CPW_ECORRUPT || rc == CPW_EVERSION || rc == CPW_ENOMEM);
    /* nothing was changed */
    CHECK(mf.len == size && (size == 0 || memcmp(mf.data, data, size) == 0));
    return;
  }
  rec = cpw_journal_recovery_info(j);
  CHECK(rec->file_bytes == mf.len);
  CHECK(cpw_journal_pending(j) == 0);
  replay(j);
  before = rec->entries;
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.at = 1;
  e.actor = "fuzz";
  e.name = "note";
  e.fields = fv;
  e.nfields = 2;
  CHECK(cpw_journal_append(j, ctx, &e) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  CHECK(rec->entries == before + 1);
  CHECK(rec->file_bytes == mf.len);
  snprintf(head, sizeof head, "%s", cpw_journal_head_hash(j));
  rc = cpw__journal_verify_io(ctx, "fuzz.cpwj", &info, &mem_io);
  CHECK(rc == CPW_OK);
  CHECK(strcmp(info.head_hash, head) == 0 && info.entries == before + 1);
  CHECK(info.truncated_bytes == 0);
  cpw_journal_close(j);
  /* and again: the same journal, no change of policy now */
  o.flags = 0;
  rc = cpw__journal_open_io(&j, ctx, "fuzz.cpwj", policy, &o, &mem_io);
  CHECK(rc == CPW_OK);
  CHECK(strcmp(cpw_journal_head_hash(j), head) == 0);
  CHECK(cpw_journal_recovery_info(j)->entries == before + 1);
  cpw_journal_close(j);
}

static uint32_t rd32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* Recompute the header's CRC and every entry's CRC and chain value, following the lengths as
 * they are: the mutated bytes then reach the parser behind the checksums (forged entries).
 * Returns 1 when something was changed. */
static int reseal(unsigned char *b, size_t len)
{
  uint8_t chain[32];
  size_t h, off;
  unsigned char before[36];
  int changed = 0;
  if (len < 66)
    return 0;
  h = rd32(b + 12);
  if (h < 66 || h > len)
    return 0;
  if (rd32(b + h - 4) != cpw__crc32c(0, b, h - 4)) {
    wr32(b + h - 4, cpw__crc32c(0, b, h - 4));
    changed = 1;
  }
  cpw__sha256(b, h, chain);
  for (off = h; off + 8 <= len;) {
    size_t body = rd32(b + off);
    cpw__sha256_ctx s;
    if (body < 4 || body > CPW__J_MAX_BODY || off + 8 + body + 32 > len)
      break;
    memcpy(before, b + off + 4 + body, 36);
    wr32(b + off + 4 + body, cpw__crc32c(0, b + off, 4 + body));
    cpw__sha256_init(&s);
    cpw__sha256_update(&s, chain, 32);
    cpw__sha256_update(&s, b + off, 8 + body);
    cpw__sha256_final(&s, chain);
    memcpy(b + off + 8 + body, chain, 32);
    changed |= memcmp(before, b + off + 4 + body, 36) != 0;
    off += 8 + body + 32;
  }
  return changed;
}

static void run(const uint8_t *data, size_t size)
{
  mf.exists = 1;
  mf.len = 0;
  CHECK(m_grow(size + 1) == 0);
  if (size > 0)
    memcpy(mf.data, data, size);
  mf.len = size;
  reader(size);
  writer(data, size, size % 3 == 0 ? 0 : size % 3 == 1 ? 1 : 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  unsigned char *copy;
  if (ctx == NULL) {
    CHECK(cpw_ctx_new(&ctx, NULL) == CPW_OK);
    CHECK(cpw_policy_default(&policy, ctx) == CPW_OK);
  }
  if (size > (1u << 22))
    return 0;
  run(data, size);
  /* the same bytes with checksums and chain that hold */
  copy = malloc(size + 1);
  CHECK(copy != NULL);
  if (size > 0)
    memcpy(copy, data, size);
  if (reseal(copy, size))
    run(copy, size);
  free(copy);
  return 0;
}
