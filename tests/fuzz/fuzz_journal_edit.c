/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_journal_edit: structural edits of VALID journals, checked against the recovery rules
 * (docs/journal-format.md, "Opening and recovery"). The guarantee under test: a writer never
 * removes an entry that was committed.
 *
 * Once per process three journals are written through the public API into an in-memory file
 * system (a cpw__io): cases opened and events applied one commit each; group commits of case
 * events, annotations and a note longer than a sector; placements (facilities, children,
 * placements, moves, ends). Each input picks one of them and a list of edits, applied in
 * turn to its bytes: an entry or a whole commit deleted, duplicated, moved before another or
 * swapped with another; bytes inserted or removed; the file truncated; a bit flipped; a
 * 512-byte sector (or a part of one) zeroed, inside the file or past its end (a file that
 * grew in a power cut). Offsets are absolute or relative to an entry of the edited bytes.
 *
 * The oracle needs no knowledge of the edits, only of the bytes: O is the journal, E the edited
 * file, P the length of their common prefix, K the commits of O that end at or before P (all
 * intact), `at` the start of O's entry that holds byte P (the first entry a reader finds bad),
 * tail the entries of O in [end of commit K, at). Then, exactly:
 * - E = O: opens with every commit;
 * - E shorter than the header: a writer starts the journal again when E is the beginning of
 *   the header or zeros (the creation was cut short), else CPW_ECORRUPT at offset 0; a reader
 *   always refuses;
 * - a header byte changed: CPW_ECORRUPT at offset 0 for every opener; repair refuses;
 * - otherwise the first bad entry is the one at `at`, and the rules of the documentation
 *   decide, in their order, between an unfinished commit (a writer opens with exactly the K
 *   commits, cuts the file at their end and reports `tail` complete entries in what it cut)
 *   and damage (CPW_ECORRUPT at offset `at`, naming entry entries(K) + tail + 1, the file
 *   unchanged): a commit marker (length, kind, CRC) anywhere after `at` is damage unless it is
 *   the only one, is commit K + 1 at its own offset, and a lost sector (zeros) lies before it;
 *   with no marker after it, the entry at `at` is damage when its length is impossible (not
 *   zeros), when it is all there and holds no lost sector, when the file ends inside it and
 *   its bytes are not the beginning of an entry with its number, or when it is the last
 *   commit's marker with only its length damaged. E a prefix of O (a cut) is never damage.
 *   The oracle implements the rules from docs/journal-format.md, not from recovery.c: where
 *   the two differ, one of them is wrong.
 * - cpw_journal_check agrees with the writer (status, offset, entry, commits, entries, head
 *   hash, truncated_at/bytes, tail entries); a reader agrees too (CPW_JOURNAL_SALVAGE opens
 *   the K commits); verify agrees;
 * - cpw_journal_repair (on a copy) cuts at the end of commit K, writes exactly the removed
 *   bytes aside, and then a writer opens cleanly with the K commits and no cut; with nothing to
 *   cut it writes nothing;
 * - after a writer's open the journal replays (cases, registry) to the builder's counts at
 *   commit K, takes an annotation and a commit, and reopens with one entry more;
 * - every allocation is freed (a counting allocator), and nothing crashes.
 * FUZZ_JOURNAL_EDIT_DEBUG set: print each input's expectation and the rule that decided it.
 *
 * Seeds: tests/fuzz/corpus/journal_edit/ (one edit of each kind on each journal). */
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
#define CHECK_RC(rc, want)                                                            \
  do {                                                                                \
    int rc_ = (rc), want_ = (want);                                                   \
    if (rc_ != want_) {                                                               \
      fprintf(stderr, "%s:%d: %s is %d, expected %d: %s\n", __FILE__, __LINE__, #rc,  \
              rc_, want_, cpw_ctx_last_error(ctx)->message);                          \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECTOR 512u
#define MARKER_BYTES (4u + CPW__J_COMMIT_BODY + CPW__J_TRAILER)
#define MAX_FILE (1u << 16)
#define MAX_EDITS 6

/* ------------------------------------------------------------------ in-memory files */

typedef struct mfile {
  const char *name;
  unsigned char *data;
  size_t len, cap;
  int exists;
} mfile;

enum { F_JOURNAL, F_ASIDE, NFILES };
static mfile files[NFILES] = { { "j.cpwj", 0, 0, 0, 0 }, { "aside", 0, 0, 0, 0 } };

static mfile *mf_of_fd(int fd)
{
  CHECK(fd >= 3 && fd < 3 + NFILES);
  return &files[fd - 3];
}

static int mf_reserve(mfile *f, size_t need)
{
  if (need > f->cap) {
    size_t cap = f->cap ? f->cap : 8192;
    unsigned char *p;
    while (cap < need)
      cap *= 2;
    p = realloc(f->data, cap);
    if (p == NULL)
      return ENOSPC;
    f->data = p;
    f->cap = cap;
  }
  return 0;
}

static void mf_set(mfile *f, const unsigned char *b, size_t n)
{
  CHECK(mf_reserve(f, n + 1) == 0);
  if (n > 0)
    memcpy(f->data, b, n);
  f->len = n;
  f->exists = 1;
}

static int m_open(const cpw__io *io, const char *path, int create, int readonly, int *fd,
                  int *created)
{
  size_t i;
  (void)io;
  *created = 0;
  for (i = 0; i < NFILES; i++)
    if (strcmp(path, files[i].name) == 0)
      break;
  if (i == NFILES)
    return ENOENT;
  if (!files[i].exists) {
    if (!create || readonly)
      return ENOENT;
    files[i].exists = 1;
    files[i].len = 0;
    *created = 1;
  }
  *fd = 3 + (int)i;
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
  mfile *f = mf_of_fd(fd);
  (void)io;
  *got = 0;
  if (off < f->len) {
    size_t n = f->len - (size_t)off < len ? f->len - (size_t)off : len;
    memcpy(buf, f->data + off, n);
    *got = n;
  }
  return 0;
}

static int m_write(const cpw__io *io, int fd, const void *buf, size_t len, uint64_t off)
{
  mfile *f = mf_of_fd(fd);
  (void)io;
  if (off > MAX_FILE * 4u || len > MAX_FILE * 4u || mf_reserve(f, (size_t)off + len) != 0)
    return ENOSPC;
  if (off > f->len)
    memset(f->data + f->len, 0, (size_t)off - f->len);
  memcpy(f->data + off, buf, len);
  if (off + len > f->len)
    f->len = (size_t)off + len;
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
  mfile *f = mf_of_fd(fd);
  (void)io;
  if (size > f->len) {
    if (size > MAX_FILE * 4u || mf_reserve(f, (size_t)size) != 0)
      return ENOSPC;
    memset(f->data + f->len, 0, (size_t)size - f->len);
  }
  f->len = (size_t)size;
  return 0;
}

static int m_size(const cpw__io *io, int fd, uint64_t *size)
{
  (void)io;
  *size = mf_of_fd(fd)->len;
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

/* ------------------------------------------------------------------ a counting allocator */

static long live_blocks;

static void *count_realloc(void *ud, void *p, size_t old_size, size_t new_size)
{
  void *q;
  (void)ud;
  (void)old_size;
  if (new_size == 0) {
    if (p != NULL)
      live_blocks--;
    free(p);
    return NULL;
  }
  q = realloc(p, new_size);
  if (q != NULL && p == NULL)
    live_blocks++;
  return q;
}

/* ------------------------------------------------------------------ the journals */

typedef struct base {
  unsigned char *bytes;
  size_t len;
  size_t ncommits;
  size_t commit_end[64];        /* commit_end[0]: the header's end */
  uint64_t entries_at[64];      /* entries (markers not counted) in the first k commits */
  size_t cases_at[64];          /* cases opened in the first k commits */
  size_t episodes_at[64];       /* placement episodes in the first k commits */
  char head_at[64][65];         /* the head hash after k commits */
  size_t nentries;
  size_t entry_at[128], entry_end[128];
  int entry_marker[128];
} base;

static cpw_ctx *ctx;
static cpw_policy *pol;
static base bases[3];

static const char *const wf_roles[] = { "reporter", "intake_officer", "social_worker",
                                        "supervisor" };

static void record_commit(base *b, cpw_journal *j, const cpw_caseload *cl,
                          const cpw_registry *reg)
{
  size_t k;
  CHECK(cpw_journal_pending(j) == 0);
  k = ++b->ncommits;
  CHECK(k < 64);
  b->commit_end[k] = files[F_JOURNAL].len;
  b->entries_at[k] = cpw_journal_recovery_info(j)->entries;
  b->cases_at[k] = cl != NULL ? cpw_caseload_case_count(cl) : 0;
  b->episodes_at[k] = reg != NULL ? cpw_registry_episode_count(reg) : 0;
  snprintf(b->head_at[k], sizeof b->head_at[k], "%s", cpw_journal_head_hash(j));
}

static cpw_journal *start(base *b, size_t group)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = NULL;
  files[F_JOURNAL].exists = 0;
  files[F_JOURNAL].len = 0;
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = group;
  CHECK(cpw__journal_open_io(&j, ctx, "j.cpwj", pol, &o, &mem_io) == CPW_OK);
  memset(b, 0, sizeof *b);
  b->commit_end[0] = files[F_JOURNAL].len;
  snprintf(b->head_at[0], sizeof b->head_at[0], "%s", cpw_journal_head_hash(j));
  return j;
}

static void finish(base *b, cpw_journal *j)
{
  size_t off;
  cpw_journal_close(j);
  b->len = files[F_JOURNAL].len;
  b->bytes = malloc(b->len);
  CHECK(b->bytes != NULL);
  memcpy(b->bytes, files[F_JOURNAL].data, b->len);
  CHECK(b->commit_end[b->ncommits] == b->len);
  for (off = b->commit_end[0]; off < b->len;) {
    size_t body = cpw__get32(b->bytes + off);
    CHECK(b->nentries < 128);
    b->entry_at[b->nentries] = off;
    b->entry_marker[b->nentries] = b->bytes[off + 4] == CPW__J_KIND_COMMIT;
    off += 4 + body + CPW__J_TRAILER;
    b->entry_end[b->nentries++] = off;
  }
  CHECK(off == b->len);
}

static cpw_time T0 = 1767250800; /* 2026-01-01T07:00:00Z */

/* 0: six cases, each opened and moved on in commits of their own */
static void build_cases(base *b)
{
  cpw_journal *j = start(b, 0);
  cpw_caseload *cl;
  cpw_field_value urgent[1] = { { "immediate_danger", "true" } };
  int i;
  CHECK(cpw_caseload_new(&cl, ctx, pol) == CPW_OK);
  for (i = 0; i < 6; i++) {
    char id[16];
    cpw_case *c;
    snprintf(id, sizeof id, "C-%d", i + 1);
    CHECK(cpw_journal_case_open(j, cl, &c, id, "referral", i % 3 == 0 ? urgent : NULL,
                                i % 3 == 0 ? 1 : 0, T0 + i * 600, "u-1", wf_roles[i % 2]) ==
          CPW_OK);
    record_commit(b, j, cl, NULL);
    if (i % 2 == 0) {
      CHECK(cpw_journal_case_apply(j, c, "register", "u-2", "intake_officer", T0 + i * 600 + 60,
                                   NULL, 0) == CPW_OK);
      record_commit(b, j, cl, NULL);
    }
  }
  cpw_caseload_free(cl);
  finish(b, j);
}

/* 1: group commits of case events and annotations, one note longer than a sector */
static void build_groups(base *b)
{
  cpw_journal *j = start(b, 1000);
  cpw_caseload *cl;
  cpw_journal_entry e;
  static char long_note[1400];
  cpw_field_value note[2] = { { "note", "checked by the supervisor" }, { "missing", NULL } };
  cpw_case *c[4];
  int i;
  memset(long_note, 'x', sizeof long_note - 1);
  CHECK(cpw_caseload_new(&cl, ctx, pol) == CPW_OK);
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.actor = "u-9";
  e.role = "supervisor";
  e.subject = "-";
  e.name = "note";
  e.fields = note;
  e.nfields = 2;
  for (i = 0; i < 4; i++) {
    char id[16];
    snprintf(id, sizeof id, "G-%d", i + 1);
    CHECK(cpw_journal_case_open(j, cl, &c[i], id, "referral", NULL, 0, T0 + i * 60, "u-1",
                                "reporter") == CPW_OK);
  }
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, cl, NULL);
  e.at = T0 + 300;
  CHECK(cpw_journal_append(j, ctx, &e) == CPW_OK);
  for (i = 0; i < 4; i += 2)
    CHECK(cpw_journal_case_apply(j, c[i], "register", "u-2", "intake_officer", T0 + 400 + i,
                                 NULL, 0) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, cl, NULL);
  note[0].value = long_note;
  e.at = T0 + 500;
  CHECK(cpw_journal_append(j, ctx, &e) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, cl, NULL);
  for (i = 1; i < 4; i += 2)
    CHECK(cpw_journal_case_apply(j, c[i], "register", "u-2", "intake_officer", T0 + 600 + i,
                                 NULL, 0) == CPW_OK);
  note[0].value = "two registered";
  e.at = T0 + 700;
  CHECK(cpw_journal_append(j, ctx, &e) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, cl, NULL);
  CHECK(cpw_journal_case_apply(j, c[0], "start_assessment", "u-3", "social_worker", T0 + 900,
                               NULL, 0) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, cl, NULL);
  cpw_caseload_free(cl);
  finish(b, j);
}

static cpw_date day(const char *s)
{
  cpw_date d;
  CHECK(cpw_date_parse(&d, ctx, s, strlen(s)) == CPW_OK);
  return d;
}

/* 2: placements */
static void build_placements(base *b)
{
  cpw_journal *j = start(b, 1000);
  cpw_registry *reg;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  CHECK(cpw_registry_new(&reg, ctx, pol) == CPW_OK);
  CHECK(cpw_journal_add_facility(j, reg, "sgh-1", "small_group_home", "Home 1", "Tbilisi", 8, 0,
                                 17) == CPW_OK);
  CHECK(cpw_journal_add_child(j, reg, "CH-1", day("2015-03-01"), NULL) == CPW_OK);
  CHECK(cpw_journal_add_child(j, reg, "CH-2", day("2012-07-09"), "S-1") == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, NULL, reg);
  req.child = "CH-1";
  req.facility = "kojori";
  req.date = day("2025-01-10");
  req.actor = "sw-1";
  req.role = "social_worker";
  req.reason = "care plan";
  CHECK(cpw_journal_place(j, reg, &req) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, NULL, reg);
  req.child = "CH-2";
  req.facility = NULL;
  req.setting = "foster_care";
  req.region = "Tbilisi";
  req.date = day("2025-02-01");
  CHECK(cpw_journal_place(j, reg, &req) == CPW_OK);
  req.child = "CH-1";
  req.facility = "sgh-1";
  req.setting = NULL;
  req.region = NULL;
  req.date = day("2025-06-01");
  CHECK(cpw_journal_move(j, reg, &req) == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, NULL, reg);
  CHECK(cpw_journal_review_placement(j, reg, "CH-2", day("2025-05-01"), "sw-1",
                                     "social_worker") == CPW_OK);
  CHECK(cpw_journal_end_placement(j, reg, "CH-2", day("2025-09-01"), CPW_EXIT_REUNIFIED,
                                  "sw-1", "social_worker") == CPW_OK);
  CHECK(cpw_journal_commit(j, ctx) == CPW_OK);
  record_commit(b, j, NULL, reg);
  cpw_registry_free(reg);
  finish(b, j);
}

/* ------------------------------------------------------------------ the edits */

typedef struct bytes {
  const uint8_t *p;
  size_t n;
} bytes;

static unsigned take(bytes *b)
{
  unsigned v;
  if (b->n == 0)
    return 0;
  v = b->p[0];
  b->p++;
  b->n--;
  return v;
}

static unsigned take16(bytes *b)
{
  unsigned lo = take(b);
  return lo | take(b) << 8;
}

typedef struct buf {
  unsigned char *p;
  size_t len;
} buf;

static unsigned char work[MAX_FILE * 2], scratch[MAX_FILE * 2];

/* the entries of the edited bytes, found by following their lengths from the header on (they
 * stop at the first impossible one) */
static size_t walk(const buf *e, size_t header, size_t *at, size_t max)
{
  size_t off = header, n = 0;
  while (n < max && off + 4 <= e->len) {
    uint32_t body = cpw__get32(e->p + off);
    if (body < CPW__J_MIN_BODY || body > CPW__J_MAX_BODY ||
        off + 4 + body + CPW__J_TRAILER > e->len)
      break;
    at[n++] = off;
    off += 4 + body + CPW__J_TRAILER;
  }
  at[n] = off;
  return n;
}

/* [a, b) of the edited bytes: an entry (kind 0), or a commit (kind 1: from after a marker to
 * the end of the next marker); `pick` chooses which */
static void span(const buf *e, size_t header, int commit, unsigned pick, size_t *a, size_t *b)
{
  size_t at[130], n = walk(e, header, at, 128), i, k, starts[130], ns = 0;
  if (n == 0) {
    *a = *b = header < e->len ? header : e->len;
    return;
  }
  if (!commit) {
    i = pick % n;
    *a = at[i];
    *b = at[i + 1];
    return;
  }
  starts[ns++] = 0;
  for (i = 0; i < n; i++)
    if (e->p[at[i] + 4] == CPW__J_KIND_COMMIT && i + 1 < n)
      starts[ns++] = i + 1;
  k = pick % ns;
  *a = at[starts[k]];
  for (i = starts[k]; i < n && e->p[at[i] + 4] != CPW__J_KIND_COMMIT; i++)
    ;
  *b = at[i < n ? i + 1 : n];
}

/* remove [a, b), insert `n` bytes of `ins` at a (ins may point into e->p) */
static int splice(buf *e, size_t a, size_t b, const unsigned char *ins, size_t n)
{
  if (a > e->len || b > e->len || b < a || e->len - (b - a) + n > MAX_FILE)
    return 0;
  if (n > 0)
    memcpy(scratch, ins, n);
  memmove(e->p + a + n, e->p + b, e->len - b);
  if (n > 0)
    memcpy(e->p + a, scratch, n);
  e->len = e->len - (b - a) + n;
  return 1;
}

/* an offset in the edited bytes: near an entry's start (relative) or anywhere after the
 * header; rarely inside the header */
static size_t offset(const buf *e, size_t header, bytes *in)
{
  unsigned mode = take(in);
  size_t a, b, off;
  if ((mode & 3) != 0) {
    span(e, header, 0, take(in), &a, &b);
    off = a + (size_t)(int)((int)(mode >> 2) - 8);   /* -8 .. +55 around an entry's start */
    if ((mode & 3) == 2)
      off = b - 1 - (size_t)((mode >> 2) % 40);      /* near its end (its chain value) */
    if (off > e->len)
      off = e->len;
    return off;
  }
  off = take16(in);
  if (mode & 4)
    return e->len == 0 ? 0 : off % (e->len + 1);
  return e->len <= header ? e->len : header + off % (e->len - header + 1);
}

static void edit(buf *e, size_t header, bytes *in)
{
  unsigned op = take(in), pick = take(in), pick2 = take(in);
  size_t a, b, c, d;
  switch (op % 12) {
  case 0: /* an entry deleted */
  case 1: /* a commit deleted */
    span(e, header, op % 12 == 1, pick, &a, &b);
    splice(e, a, b, NULL, 0);
    break;
  case 2: /* an entry doubled */
  case 3: /* a commit doubled */
    span(e, header, op % 12 == 3, pick, &a, &b);
    splice(e, b, b, e->p + a, b - a);
    break;
  case 4: /* an entry, or a commit, copied before another */
    span(e, header, pick & 1, pick >> 1, &a, &b);
    span(e, header, pick & 1, pick2, &c, &d);
    splice(e, c, c, e->p + a, b - a);
    break;
  case 5: /* two entries, or two commits, swapped */
    span(e, header, pick & 1, pick >> 1, &a, &b);
    span(e, header, pick & 1, pick2, &c, &d);
    if (c < a) {
      size_t t;
      t = a, a = c, c = t;
      t = b, b = d, d = t;
    }
    if (b <= c) { /* [a,b) [b,c) [c,d) -> [c,d) [b,c) [a,b) */
      memcpy(scratch, e->p + c, d - c);
      memcpy(scratch + (d - c), e->p + b, c - b);
      memcpy(scratch + (d - c) + (c - b), e->p + a, b - a);
      memcpy(e->p + a, scratch, d - a);
    }
    break;
  case 6: { /* bytes inserted */
    unsigned char ins[16];
    size_t n = 1 + pick % 16, i;
    for (i = 0; i < n; i++)
      ins[i] = (pick2 & 1) ? 0 : (unsigned char)take(in);
    a = offset(e, header, in);
    splice(e, a, a, ins, n);
    break;
  }
  case 7: /* bytes removed */
    a = offset(e, header, in);
    b = a + 1 + pick % 16;
    splice(e, a, b > e->len ? e->len : b, NULL, 0);
    break;
  case 8: /* cut */
    e->len = offset(e, header, in);
    break;
  case 9: /* a bit flipped */
    a = offset(e, header, in);
    if (a < e->len)
      e->p[a] ^= (unsigned char)(1u << (pick & 7));
    break;
  case 10: { /* a sector, or a part of it, zeroed: maybe past the end (the file grew) */
    size_t sectors = e->len / SECTOR + 2, s = header / SECTOR + pick % sectors;
    a = s * SECTOR;
    b = a + SECTOR;
    if (pick2 & 1)
      a += (pick2 >> 1) % SECTOR;
    if (pick2 & 2)
      b -= (pick2 >> 2) % (b - a);
    if (b > MAX_FILE)
      break;
    if (!(pick2 & 0x80) && b > e->len)
      b = e->len;
    if (b > e->len) {
      if (e->len < a)
        memset(e->p + e->len, 0, a - e->len);
      e->len = b;
    }
    if (a < b)
      memset(e->p + a, 0, b - a);
    break;
  }
  default: /* a byte overwritten */
    a = offset(e, header, in);
    if (a < e->len)
      e->p[a] = (unsigned char)pick2;
    break;
  }
}

/* ------------------------------------------------------------------ the oracle */

/* A lost sector in [from, to): a 512-byte sector of the file whose part after lo (the end of
 * the last valid commit) and before hi (the end of the file) is all zeros, at least 64 bytes
 * of it, or 8 where that part starts at lo or ends at hi. */
static int lost_sector(const buf *e, size_t from, size_t to, size_t lo, size_t hi)
{
  size_t s;
  for (s = from - from % SECTOR; s < to && s < hi; s += SECTOR) {
    size_t a = s < lo ? lo : s, b = s + SECTOR < hi ? s + SECTOR : hi, i;
    if (b <= a || b - a < (a == lo || b == hi ? 8u : 64u))
      continue;
    for (i = a; i < b && e->p[i] == 0; i++)
      ;
    if (i == b)
      return 1;
  }
  return 0;
}

enum { EXPECT_SAME, EXPECT_TORN, EXPECT_DAMAGE, EXPECT_HEADER, EXPECT_RESTART };

typedef struct oracle {
  int expect;
  int rule;                 /* which rule decided (for the statistics) */
  size_t P, K, at, tail;
  uint64_t seq;             /* the on-disk number of the entry at `at` */
} oracle;

/* the last commit's marker, complete, with only its length damaged */
static int marker_but_length(const base *o, const buf *e, const oracle *r)
{
  const unsigned char *m = e->p + r->at;
  (void)o;
  return r->at + MARKER_BYTES <= e->len && m[4] == CPW__J_KIND_COMMIT &&
         cpw__get64(m + 6) == r->seq && cpw__get64(m + 4 + 32) == r->K + 1 &&
         cpw__get64(m + 4 + 48) == r->at;
}

/* The file ends inside the entry at `at` (length `body`): is what is there the beginning of
 * an entry numbered r->seq (a kind an entry can have, flags 0, the number, and where the body
 * is all there the first bytes of the right checksum and chain value)? */
static int torn_prefix(const base *o, const buf *e, const oracle *r, uint32_t body)
{
  const unsigned char *b = e->p + r->at;
  size_t have = e->len - r->at, i;
  unsigned char num[8], want[CPW__J_TRAILER];
  int ok = 1;
  if (have > 4)
    ok = (b[4] >= CPW_JOURNAL_CASE_OPEN && b[4] <= CPW_JOURNAL_ANNOTATION) ||
         (b[4] == CPW__J_KIND_COMMIT && body == CPW__J_COMMIT_BODY);
  if (ok && have > 5)
    ok = b[5] == 0;
  cpw__put64(num, r->seq);
  for (i = 6; ok && i < 14 && i < have; i++)
    ok = b[i] == num[i - 6];
  if (ok && have >= 4 + (size_t)body) {
    cpw__sha256_ctx h;
    uint8_t chain[32];
    /* the chain value before `at`: the last 32 bytes of O's entry before it, or the header's */
    if (r->at == o->commit_end[0])
      cpw__sha256(o->bytes, o->commit_end[0], chain);
    else
      memcpy(chain, o->bytes + r->at - 32, 32);
    cpw__put32(want, cpw__crc32c(0, b, 4 + body));
    cpw__sha256_init(&h);
    cpw__sha256_update(&h, chain, 32);
    cpw__sha256_update(&h, b, 4 + body);
    cpw__sha256_update(&h, want, 4);
    cpw__sha256_final(&h, want + 4);
    for (i = 4 + body; ok && i < have; i++)
      ok = b[i] == want[i - 4 - body];
  }
  return ok;
}

/* What the rules say of E (the edited bytes) given O (the journal). */
static void judge(const base *o, const buf *e, oracle *r)
{
  size_t P = 0, lim = e->len < o->len ? e->len : o->len, i, hdr = o->commit_end[0], cK;
  int prefix;
  while (P < lim && e->p[P] == o->bytes[P])
    P++;
  prefix = P == e->len;
  memset(r, 0, sizeof *r);
  r->P = P;
  if (prefix && e->len == o->len) {
    r->expect = EXPECT_SAME;
    r->K = o->ncommits;
    r->at = o->len;
    return;
  }
  if (e->len <= hdr && !(prefix && e->len == hdr)) {
    /* what the creation of the header cut short leaves: its beginning, or zeros */
    for (i = 0; i < e->len && e->p[i] == 0; i++)
      ;
    r->expect = prefix || i == e->len ? EXPECT_RESTART : EXPECT_HEADER;
    return;
  }
  if (P < hdr) {
    r->expect = EXPECT_HEADER;
    return;
  }
  for (r->K = 0; r->K < o->ncommits && o->commit_end[r->K + 1] <= P; r->K++)
    ;
  cK = o->commit_end[r->K];
  r->at = o->len;
  r->seq = o->nentries + 1;
  for (i = 0; i < o->nentries; i++) {
    if (o->entry_at[i] < cK)
      continue;
    if (o->entry_end[i] > P) {
      r->at = o->entry_at[i];
      r->seq = i + 1;
      break;
    }
    if (!o->entry_marker[i])
      r->tail++;
  }
  if (prefix) {
    r->expect = EXPECT_TORN; /* a cut is never damage: it is what a crash leaves */
    r->rule = 1;
    return;
  }
  {
    size_t q, nmark = 0, first = 0;
    /* rule 2: a commit marker (length, kind, CRC) anywhere after E, at any byte */
    for (q = r->at + 1; q + MARKER_BYTES <= e->len; q++) {
      const unsigned char *m = e->p + q;
      if (cpw__get32(m) == CPW__J_COMMIT_BODY && m[4] == CPW__J_KIND_COMMIT &&
          cpw__get32(m + 4 + CPW__J_COMMIT_BODY) == cpw__crc32c(0, m, 4 + CPW__J_COMMIT_BODY)) {
        if (nmark++ == 0)
          first = q;
      }
    }
    if (nmark > 0) {
      /* except the marker of the next commit at its own offset after a lost sector (a power
       * cut during the last commit) */
      const unsigned char *m = e->p + first;
      int power_cut = nmark == 1 && cpw__get64(m + 4 + 48) == first &&
                      cpw__get64(m + 4 + 32) == r->K + 1 && lost_sector(e, cK, first, cK, e->len);
      r->expect = power_cut ? EXPECT_TORN : EXPECT_DAMAGE;
      r->rule = power_cut ? 2 : 3;
      return;
    }
  }
  /* rule 3: no marker follows */
  if (r->at + 4 > e->len) {
    r->expect = EXPECT_TORN; /* the file ends inside E's length */
    r->rule = 4;
    return;
  }
  {
    uint32_t body = cpw__get32(e->p + r->at);
    size_t end = r->at + 4 + (size_t)body + CPW__J_TRAILER;
    if (body > CPW__J_MAX_BODY || (body < CPW__J_MIN_BODY && body != 0)) {
      r->expect = EXPECT_DAMAGE; /* an impossible length that is not zeros */
      r->rule = 5;
    } else if (body == 0) {
      r->expect = marker_but_length(o, e, r) ? EXPECT_DAMAGE : EXPECT_TORN;
      r->rule = 6;
    } else if (end <= e->len) {
      /* all there with a bad checksum or chain value: damage unless it lost a sector */
      r->expect = lost_sector(e, r->at, end, cK, e->len) ? EXPECT_TORN : EXPECT_DAMAGE;
      r->rule = 7;
    } else {
      /* the file ends inside E */
      r->expect = torn_prefix(o, e, r, body) && !marker_but_length(o, e, r) ? EXPECT_TORN
                                                                            : EXPECT_DAMAGE;
      r->rule = 8;
    }
  }
}

/* ------------------------------------------------------------------ the checks */

static cpw_journal_options opts(unsigned flags)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  o.flags = flags;
  return o;
}

static int same_file(const mfile *f, const unsigned char *b, size_t n)
{
  return f->exists && f->len == n && (n == 0 || memcmp(f->data, b, n) == 0);
}

/* the committed part of a journal open for writing: replay, counts, append, reopen */
static void use_writer(const base *o, cpw_journal *j, size_t K)
{
  cpw_journal_options rw = opts(0);
  cpw_caseload *cl;
  cpw_registry *reg;
  cpw_journal_entry e;
  cpw_field_value fv[1] = { { "note", "after the edit" } };
  char head[65];
  CHECK(cpw_journal_recovery_info(j)->entries == o->entries_at[K]);
  CHECK(cpw_journal_recovery_info(j)->commits == K);
  CHECK(strcmp(cpw_journal_head_hash(j), o->head_at[K]) == 0);
  CHECK(cpw_caseload_new(&cl, ctx, pol) == CPW_OK);
  CHECK_RC(cpw_journal_replay(j, cl), CPW_OK);
  CHECK(cpw_caseload_case_count(cl) == o->cases_at[K]);
  cpw_caseload_free(cl);
  CHECK(cpw_registry_new(&reg, ctx, pol) == CPW_OK);
  CHECK_RC(cpw_journal_replay_registry(j, reg), CPW_OK);
  CHECK(cpw_registry_episode_count(reg) == o->episodes_at[K]);
  cpw_registry_free(reg);
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.at = T0 + 86400;
  e.actor = "u-fuzz";
  e.name = "note";
  e.fields = fv;
  e.nfields = 1;
  CHECK_RC(cpw_journal_append(j, ctx, &e), CPW_OK);
  CHECK_RC(cpw_journal_commit(j, ctx), CPW_OK);
  snprintf(head, sizeof head, "%s", cpw_journal_head_hash(j));
  cpw_journal_close(j);
  j = NULL;
  CHECK_RC(cpw__journal_open_io(&j, ctx, "j.cpwj", pol, &rw, &mem_io), CPW_OK);
  CHECK(cpw_journal_recovery_info(j)->entries == o->entries_at[K] + 1);
  CHECK(cpw_journal_recovery_info(j)->truncated_bytes == 0);
  CHECK(strcmp(cpw_journal_head_hash(j), head) == 0);
  cpw_journal_close(j);
}

static void check_edit(const base *o, const buf *e)
{
  oracle r;
  cpw_journal_options rw = opts(0), ro = opts(CPW_JOURNAL_READONLY),
                      salv = opts(CPW_JOURNAL_READONLY | CPW_JOURNAL_SALVAGE);
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  cpw_journal_recovery info;
  cpw_journal *j = NULL;
  int wrc, crc, rrc;
  size_t cK;

  judge(o, e, &r);
  cK = o->commit_end[r.K];
  if (getenv("FUZZ_JOURNAL_EDIT_DEBUG"))
    fprintf(stderr, "STAT expect=%d rule=%d K=%zu/%zu\n", r.expect, r.rule, r.K, o->ncommits);

  /* check (read only) */
  mf_set(&files[F_JOURNAL], e->p, e->len);
  crc = cpw__journal_check_io(ctx, "j.cpwj", &st, &mem_io);
  CHECK(same_file(&files[F_JOURNAL], e->p, e->len));
  if (r.expect == EXPECT_HEADER || r.expect == EXPECT_RESTART) {
    CHECK_RC(crc, CPW_ECORRUPT);
    CHECK(st.damaged && st.damaged_at == 0);
    CHECK(cpw_ctx_last_error(ctx)->offset == 0);
  } else {
    if (r.expect == EXPECT_DAMAGE)
      CHECK_RC(crc, CPW_ECORRUPT);
    else
      CHECK_RC(crc, CPW_OK);
    CHECK(st.rec.commits == r.K);
    CHECK(st.rec.entries == o->entries_at[r.K]);
    CHECK(strcmp(st.rec.head_hash, o->head_at[r.K]) == 0);
    CHECK(st.rec.file_bytes == e->len);
    CHECK(st.rec.truncated_at == (e->len > cK ? (int64_t)cK : -1));
    CHECK(st.rec.truncated_bytes == (int64_t)(e->len - cK));
    if (crc == CPW_ECORRUPT) {
      CHECK(st.damaged == 1);
      CHECK(st.damaged_at == (int64_t)r.at);
      CHECK(cpw_ctx_last_error(ctx)->offset == (int64_t)r.at);
      CHECK(r.at < e->len);
      CHECK(st.damaged_entry == o->entries_at[r.K] + r.tail + 1);
      CHECK(st.tail_entries == 0);
    } else {
      CHECK(st.damaged == 0 && st.damaged_at == -1);
      CHECK(st.tail_entries == r.tail);
    }
  }

  /* verify agrees */
  CHECK(cpw__journal_verify_io(ctx, "j.cpwj", &info, &mem_io) == crc);
  if (crc == CPW_OK)
    CHECK(info.entries == st.rec.entries && info.commits == st.rec.commits &&
          info.truncated_bytes == st.rec.truncated_bytes &&
          info.truncated_at == st.rec.truncated_at && info.file_bytes == st.rec.file_bytes &&
          strcmp(info.head_hash, st.rec.head_hash) == 0);

  /* a reader agrees; with CPW_JOURNAL_SALVAGE it gets the commits before the damage */
  rrc = cpw__journal_open_io(&j, ctx, "j.cpwj", pol, &ro, &mem_io);
  CHECK(rrc == crc);
  if (rrc == CPW_OK) {
    CHECK(cpw_journal_recovery_info(j)->commits == r.K);
    CHECK(cpw_journal_recovery_info(j)->truncated_at == st.rec.truncated_at);
    cpw_journal_close(j);
    j = NULL;
  }
  if (crc == CPW_ECORRUPT && r.expect != EXPECT_HEADER && r.expect != EXPECT_RESTART) {
    CHECK_RC(cpw__journal_open_io(&j, ctx, "j.cpwj", pol, &salv, &mem_io), CPW_OK);
    CHECK(cpw_journal_recovery_info(j)->commits == r.K);
    CHECK(strcmp(cpw_journal_head_hash(j), o->head_at[r.K]) == 0);
    cpw_journal_close(j);
    j = NULL;
  }
  CHECK(same_file(&files[F_JOURNAL], e->p, e->len));

  /* a writer */
  wrc = cpw__journal_open_io(&j, ctx, "j.cpwj", pol, &rw, &mem_io);
  if (getenv("FUZZ_JOURNAL_EDIT_DEBUG"))
    fprintf(stderr, "STAT result expect=%d wrc=%d\n", r.expect, wrc);
  if (r.expect == EXPECT_RESTART) {
    CHECK_RC(wrc, CPW_OK);
    CHECK(cpw_journal_recovery_info(j)->entries == 0);
    CHECK(same_file(&files[F_JOURNAL], o->bytes, o->commit_end[0]));
    use_writer(o, j, 0);
  } else if (crc == CPW_OK) {
    CHECK_RC(wrc, CPW_OK);
    CHECK(cpw_journal_recovery_info(j)->truncated_at == st.rec.truncated_at);
    CHECK(cpw_journal_recovery_info(j)->truncated_bytes == st.rec.truncated_bytes);
    /* exactly the commits before the edit, cut at their end */
    CHECK(same_file(&files[F_JOURNAL], o->bytes, cK));
    use_writer(o, j, r.K);
  } else {
    CHECK_RC(wrc, CPW_ECORRUPT);
    CHECK(j == NULL);
    CHECK(cpw_ctx_last_error(ctx)->offset == st.damaged_at);
    CHECK(same_file(&files[F_JOURNAL], e->p, e->len)); /* nothing changed */
  }

  /* the explicit repair */
  mf_set(&files[F_JOURNAL], e->p, e->len);
  files[F_ASIDE].exists = 0;
  files[F_ASIDE].len = 0;
  {
    cpw_journal_status rs = CPW_JOURNAL_STATUS_INIT;
    int prc = cpw__journal_repair_io(ctx, "j.cpwj", "aside", &rs, &mem_io);
    if (r.expect == EXPECT_HEADER || r.expect == EXPECT_RESTART) {
      CHECK_RC(prc, CPW_ECORRUPT);
      CHECK(!files[F_ASIDE].exists);
      CHECK(same_file(&files[F_JOURNAL], e->p, e->len));
      return;
    }
    CHECK_RC(prc, CPW_OK);
    CHECK(rs.damaged == st.damaged && rs.damaged_at == st.damaged_at);
    CHECK(rs.rec.file_bytes == cK);
    CHECK(same_file(&files[F_JOURNAL], o->bytes, cK));
    if (e->len > cK)
      CHECK(same_file(&files[F_ASIDE], e->p + cK, e->len - cK));
    else
      CHECK(!files[F_ASIDE].exists);
    CHECK_RC(cpw__journal_open_io(&j, ctx, "j.cpwj", pol, &rw, &mem_io), CPW_OK);
    CHECK(cpw_journal_recovery_info(j)->truncated_bytes == 0);
    use_writer(o, j, r.K);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static long baseline;
  const base *o;
  bytes in;
  buf e;
  unsigned nedits, i;
  if (ctx == NULL) {
    cpw_ctx_options co = CPW_CTX_OPTIONS_INIT;
    co.allocator.realloc = count_realloc;
    CHECK(cpw_ctx_new(&ctx, &co) == CPW_OK);
    CHECK(cpw_policy_default(&pol, ctx) == CPW_OK);
    build_cases(&bases[0]);
    build_groups(&bases[1]);
    build_placements(&bases[2]);
    baseline = live_blocks;
  }
  if (size == 0)
    return 0;
  in.p = data;
  in.n = size;
  o = &bases[take(&in) % 3];
  nedits = 1 + take(&in) % MAX_EDITS;
  memcpy(work, o->bytes, o->len);
  e.p = work;
  e.len = o->len;
  for (i = 0; i < nedits && in.n > 0; i++)
    edit(&e, o->commit_end[0], &in);
  check_edit(o, &e);
  CHECK(live_blocks == baseline); /* every allocation of this input was freed */
  return 0;
}
