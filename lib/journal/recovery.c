/* SPDX-License-Identifier: Apache-2.0 */
/* journal/recovery.c: what a journal file holds. The scan reads every entry from the header on
 * and tells an unfinished last commit (a torn write: cut off by a writer) from damage (a writer
 * refuses the file and changes nothing); verification, the check with its details, and the
 * explicit repair that cuts a damaged file and keeps the removed bytes aside. The rules are in
 * docs/journal-format.md ("Opening and recovery"); keep the two in step.
 *
 * The guarantee: a writer never removes an entry that was committed. What a crash can leave
 * after the last acknowledged commit is the bytes of one commit write that did not complete:
 * a prefix of them (a killed process), or, after a power cut, some of their 512-byte sectors
 * with the others read back as zeros (the file's size may or may not have grown). Anything
 * else after the last valid commit is damage. */
#include <errno.h>
#include <stdio.h>

#include "base/crc32c.h"
#include "base/sha256.h"
#include "journal/journal_int.h"

#define SECTOR 512u
/* a run of zeros at least this long in place of a sector is a sector lost in a power cut: no
 * valid entry holds such a run (strings hold no NUL; numbers, checksums and chain values
 * break every run long before). A run that starts where an entry starts (the end of the last
 * valid commit) or ends at the end of the file needs only LOST_EDGE_MIN bytes: no entry
 * starts with more than two zero bytes (its length), and the last bytes of a file are a
 * chain value (random). */
#define LOST_SECTOR_MIN 64u
#define LOST_EDGE_MIN 8u
#define MARKER_BYTES (4u + CPW__J_COMMIT_BODY + CPW__J_TRAILER)

/* ------------------------------------------------------------------ looking past the damage */

/* Does [from, to) touch a sector lost in a power cut: a 512-byte sector of the file whose part
 * after the last valid commit (`lo`) and before the end of the file (`hi`) is all zeros, at
 * least LOST_SECTOR_MIN bytes of it (LOST_EDGE_MIN at lo or hi)? 1 or 0, or a negative CPW
 * code. */
static int lost_sector(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t from, uint64_t to,
                       uint64_t lo, uint64_t hi)
{
  unsigned char buf[SECTOR];
  uint64_t s;
  for (s = from - from % SECTOR; s < to && s < hi; s += SECTOR) {
    uint64_t a = s < lo ? lo : s, b = s + SECTOR < hi ? s + SECTOR : hi;
    size_t got, i;
    int e;
    if (b <= a || b - a < (a == lo || b == hi ? LOST_EDGE_MIN : LOST_SECTOR_MIN))
      continue;
    e = io->read(io, fd, buf, (size_t)(b - a), a, &got);
    if (e != 0)
      return cpw__set_os_error(ctx, e, NULL, "cannot read the journal");
    for (i = 0; i < got && buf[i] == 0; i++)
      ;
    if (got == b - a && i == got)
      return 1;
  }
  return 0;
}

/* The commit markers (right length and kind, valid CRC) anywhere in [from, size), at any byte:
 * the first that could close the one unfinished commit after the last valid one (at its own
 * stored offset, with the next commit number), and whether there is any other. */
typedef struct markers {
  int64_t next_commit;      /* the first marker of commit `commits + 1` at its own offset, or -1 */
  int other;                /* a marker that is not that one */
} markers;

static int find_markers(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t from, uint64_t size,
                        uint64_t commits, markers *m)
{
  enum { N = 1 << 16 };
  unsigned char *buf;
  uint64_t off = from;
  int e;
  m->next_commit = -1;
  m->other = 0;
  buf = cpw__malloc(ctx, N + MARKER_BYTES);
  if (buf == NULL)
    return CPW_ENOMEM;
  while (off + MARKER_BYTES <= size) {
    size_t got, i;
    e = io->read(io, fd, buf, N + MARKER_BYTES, off, &got);
    if (e != 0) {
      cpw__free(ctx, buf, N + MARKER_BYTES);
      return cpw__set_os_error(ctx, e, NULL, "cannot read the journal");
    }
    for (i = 0; i + MARKER_BYTES <= got && i < N; i++) {
      const unsigned char *b, *kind;
      uint64_t at;
      /* jump to the next byte that can be a marker's kind (memchr is fast) */
      kind = memchr(buf + i + 4, CPW__J_KIND_COMMIT,
                    (got - MARKER_BYTES < N - 1 ? got - MARKER_BYTES : N - 1) - i + 1);
      if (kind == NULL)
        break;
      i = (size_t)(kind - buf) - 4;
      b = buf + i;
      at = off + i;
      if (cpw__get32(b) != CPW__J_COMMIT_BODY ||
          cpw__get32(b + 4 + CPW__J_COMMIT_BODY) != cpw__crc32c(0, b, 4 + CPW__J_COMMIT_BODY))
        continue;
      if (m->next_commit < 0 && cpw__get64(b + 4 + 48) == at &&
          cpw__get64(b + 4 + 32) == commits + 1)
        m->next_commit = (int64_t)at;
      else
        m->other = 1;
    }
    off += N;
  }
  cpw__free(ctx, buf, N + MARKER_BYTES);
  return CPW_OK;
}

/* Is the entry at `at` (file of `size` bytes) a complete commit marker whose length field
 * alone is damaged: the 56-byte marker's kind, number, commit number and offset all there? */
static int marker_but_length(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t at, uint64_t size,
                             uint64_t seq, uint64_t commits)
{
  unsigned char b[MARKER_BYTES];
  size_t got;
  int e;
  if (at + MARKER_BYTES > size)
    return 0;
  e = io->read(io, fd, b, sizeof b, at, &got);
  if (e != 0)
    return cpw__set_os_error(ctx, e, NULL, "cannot read the journal");
  return got == sizeof b && b[4] == CPW__J_KIND_COMMIT && cpw__get64(b + 6) == seq &&
         cpw__get64(b + 4 + 32) == commits + 1 && cpw__get64(b + 4 + 48) == at;
}

/* The file ends inside the entry at `at`, whose length field says `body`: are the bytes there
 * the beginning of an entry numbered `seq`? Its kind, flags and number, as far as they are
 * there, must be those of an entry (a commit marker has its own length); where the body is all
 * there, the checksum and chain value bytes after it must be the first bytes of the right
 * ones. A byte removed, inserted or changed shows. 1 yes, 0 no, or a negative CPW code. */
static int torn_prefix(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t at, uint64_t size,
                       uint32_t body, uint64_t seq, const uint8_t chain[32])
{
  unsigned char *b, want[CPW__J_TRAILER], num[8];
  size_t have = (size_t)(size - at), got, i;
  cpw__sha256_ctx h;
  int e, ok = 1;
  b = cpw__malloc(ctx, have);
  if (b == NULL)
    return CPW_ENOMEM;
  e = io->read(io, fd, b, have, at, &got);
  if (e != 0 || got != have) {
    cpw__free(ctx, b, have);
    return e != 0 ? cpw__set_os_error(ctx, e, NULL, "cannot read the journal") : 0;
  }
  if (have > 4)
    ok = (b[4] >= CPW_JOURNAL_CASE_OPEN && b[4] <= CPW__J_KIND_LAST) ||
         (b[4] == CPW__J_KIND_COMMIT && body == CPW__J_COMMIT_BODY);
  if (ok && have > 5)
    ok = b[5] == 0;
  cpw__put64(num, seq);
  for (i = 6; ok && i < 14 && i < have; i++)
    ok = b[i] == num[i - 6];
  if (ok && have >= 4 + (size_t)body) {
    cpw__put32(want, cpw__crc32c(0, b, 4 + body));
    cpw__sha256_init(&h);
    cpw__sha256_update(&h, chain, 32);
    cpw__sha256_update(&h, b, 4 + body);
    cpw__sha256_update(&h, want, 4);
    cpw__sha256_final(&h, want + 4);
    for (i = 4 + body; i < have && ok; i++)
      ok = b[i] == want[i - 4 - body];
  }
  cpw__free(ctx, b, have);
  return ok;
}

/* The first bad entry is at `at`, after the last valid commit at `res->committed_end`. Is what
 * follows an unfinished commit (0) or damage (1)? A negative CPW code when the file cannot be
 * read: then nothing may be cut. */
static int is_damage(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t size, const cpw__jscan *res,
                     const cpw__jreader *r, int st, uint64_t at, const char **why)
{
  markers m;
  int rc;
  uint32_t body;
  unsigned char len[4];
  size_t got;
  /* checksum and chain hold, contents wrong: written so, not cut short */
  if (st == CPW__RD_BAD && r->sealed)
    return 1;
  /* a commit marker after it: the commit it closes was written whole. Only a power cut during
   * the last commit can leave that commit's marker with lost sectors before it. */
  rc = find_markers(ctx, io, fd, at + 1, size, res->commits, &m);
  if (rc != CPW_OK)
    return rc;
  if (m.other) {
    *why = st == CPW__RD_TORN ? "damaged entry length (the entry would end past the end of the "
                                "file), and a commit follows it"
                              : *why;
    return 1;
  }
  if (m.next_commit >= 0) {
    rc = lost_sector(ctx, io, fd, res->committed_end, (uint64_t)m.next_commit,
                     res->committed_end, size);
    return rc < 0 ? rc : !rc;
  }
  /* No commit marker follows, so the entry's own commit is unfinished, unless the entry is
   * that commit's marker. An entry that is all there with a bad checksum or chain value is
   * damage, unless it lost a sector in a power cut. A length too large to be one is damage
   * (a lost sector reads as zeros: it makes a length smaller, never larger); one too small is
   * a torn write only when it is all zeros. An entry that runs past the end of the file is a
   * torn write when what is there is a prefix of an entry. And the last commit's marker,
   * complete but for a damaged length, is damage. */
  {
    int e = io->read(io, fd, len, 4, at, &got);
    if (e != 0)
      return cpw__set_os_error(ctx, e, NULL, "cannot read the journal");
    body = got == 4 ? cpw__get32(len) : 0;
  }
  if (st == CPW__RD_BAD) {
    if (body >= CPW__J_MIN_BODY && body <= CPW__J_MAX_BODY) {
      rc = lost_sector(ctx, io, fd, at, at + 4 + body + CPW__J_TRAILER, res->committed_end,
                       size);
      return rc < 0 ? rc : !rc;
    }
    if (body > CPW__J_MAX_BODY)
      return 1;
    if (body != 0)
      return 1;
  } else if (got == 4) {
    rc = torn_prefix(ctx, io, fd, at, size, body, r->seq, r->chain);
    if (rc <= 0) {
      *why = "the last entry is not the beginning of an entry (bytes removed, inserted or "
             "changed, not cut off)";
      return rc < 0 ? rc : 1;
    }
  }
  rc = marker_but_length(ctx, io, fd, at, size, r->seq, res->commits);
  if (rc > 0)
    *why = "the commit marker's length is damaged";
  return rc;
}

/* ------------------------------------------------------------------ the scan */

/* A policy_changed annotation: the policy and hash it names (NULL when it names none). */
static const char *annotated_policy(const cpw_journal_entry *e, const char **name)
{
  size_t i;
  const char *hash = NULL;
  *name = "";
  if (e->kind != CPW_JOURNAL_ANNOTATION || strcmp(e->name, "policy_changed") != 0)
    return NULL;
  for (i = 0; i < e->nfields; i++) {
    if (e->fields[i].value == NULL)
      continue;
    if (strcmp(e->fields[i].field, "hash") == 0 && strlen(e->fields[i].value) == 64)
      hash = e->fields[i].value;
    else if (strcmp(e->fields[i].field, "policy") == 0)
      *name = e->fields[i].value;
  }
  return hash;
}

int cpw__journal_scan(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t size,
                      uint64_t header_len, const uint8_t chain0[32], cpw__jscan *res)
{
  cpw__jreader r;
  cpw_journal_entry e;
  uint64_t commit[3], at, since_commit = 0;
  int st, rc = CPW_OK, pend_policy = 0;
  const char *why = NULL;
  char pend_hash[65], pend_name[256];
  memset(res, 0, sizeof *res);
  cpw__jreader_init(&r, ctx, io, fd, size, header_len, chain0);
  res->committed_end = header_len;
  res->next_seq = 1;
  memcpy(res->chain, chain0, 32);
  for (;;) {
    st = cpw__jreader_next(&r, &e, commit, &at, &why, &rc);
    if (rc != CPW_OK || st == CPW__RD_END)
      break;
    if (st == CPW__RD_OK && e.kind == CPW__J_KIND_COMMIT) {
      if (commit[0] != res->commits + 1 || commit[1] != since_commit) {
        st = CPW__RD_BAD; /* sealed: its checksum and chain held */
        why = "commit marker does not match the entries before it";
      } else {
        res->commits++;
        res->entries += since_commit;
        since_commit = 0;
        res->committed_end = r.off + r.pos;
        res->next_seq = r.seq;
        memcpy(res->chain, r.chain, 32);
        if (pend_policy) {
          res->policy_changed = 1;
          memcpy(res->policy_hash, pend_hash, sizeof pend_hash);
          memcpy(res->policy_name, pend_name, sizeof pend_name);
          pend_policy = 0;
        }
        continue;
      }
    } else if (st == CPW__RD_OK) {
      const char *name, *hash = annotated_policy(&e, &name);
      if (hash != NULL) {
        pend_policy = 1;
        memcpy(pend_hash, hash, 65);
        snprintf(pend_name, sizeof pend_name, "%s", name);
      }
      since_commit++;
      continue;
    }
    /* the first entry that is not whole and valid, at `at` */
    {
      unsigned char head[5];
      size_t got = 0;
      int d = is_damage(ctx, io, fd, size, res, &r, st, at, &why);
      if (d < 0) {
        rc = d;
        break;
      }
      if (d) {
        res->damaged = 1;
        res->bad_at = at;
        res->bad_entry = res->entries + since_commit + 1;
        res->why = why;
        /* a marker (by its length and kind) is named as one */
        if (io->read(io, fd, head, 5, at, &got) == 0 && got == 5 &&
            cpw__get32(head) == CPW__J_COMMIT_BODY && head[4] == CPW__J_KIND_COMMIT)
          res->bad_marker = 1;
      }
    }
    break;
  }
  res->tail_entries = since_commit;
  cpw__jreader_free(&r);
  return rc;
}

int cpw__journal_damage_error(cpw_ctx *ctx, const char *path, const cpw__jscan *s,
                              const char *then)
{
  int rc;
  if (s->bad_marker)
    rc = cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0,
                           "journal damaged at offset %llu, in the commit marker after entry "
                           "%llu: %s%s", (unsigned long long)s->bad_at,
                           (unsigned long long)(s->bad_entry - 1), s->why, then);
  else
    rc = cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0,
                           "journal entry %llu at offset %llu is damaged: %s%s",
                           (unsigned long long)s->bad_entry, (unsigned long long)s->bad_at,
                           s->why, then);
  cpw__error_offset(ctx, (int64_t)s->bad_at);
  return rc;
}

/* ------------------------------------------------------------------ verify, check, repair */

static void fill_status(cpw_journal_status *st, const cpw__jscan *s, uint64_t size)
{
  st->rec.entries = s->entries;
  st->rec.commits = s->commits;
  st->rec.file_bytes = size;
  st->rec.truncated_bytes = s->committed_end < size ? (int64_t)(size - s->committed_end) : 0;
  st->rec.truncated_at = s->committed_end < size ? (int64_t)s->committed_end : -1;
  cpw__hex(st->rec.head_hash, s->chain, 32);
  st->tail_entries = s->damaged ? 0 : s->tail_entries;
  st->damaged = s->damaged;
  st->damaged_at = s->damaged ? (int64_t)s->bad_at : -1;
  st->damaged_entry = s->damaged ? s->bad_entry : 0;
}

/* Open `path` read-only (or, to repair, read-write with the writer's lock) and scan it. */
static int check_file(cpw_ctx *ctx, const char *path, cpw_journal_status *st, const cpw__io *io,
                      int for_repair, int *fd_out, cpw__jscan *s)
{
  int fd, created, e, rc;
  uint64_t size;
  cpw__jheader hd;
  uint8_t chain0[32];
  memset(s, 0, sizeof *s); /* defined on every path (clang-analyzer cannot see the scan does it) */
  e = io->open(io, path, 0, !for_repair, &fd, &created);
  if (e != 0)
    return cpw__set_os_error(ctx, e, path, "cannot open the journal");
  if (for_repair) {
    e = io->lock(io, fd);
    if (e != 0) {
      io->close(io, fd);
      if (e == EWOULDBLOCK)
        return cpw__set_error_at(ctx, CPW_EBUSY, path, 0, 0,
                                 "the journal is open for writing elsewhere: close it first");
      return cpw__set_os_error(ctx, e, path, "cannot lock the journal");
    }
  }
  e = io->size(io, fd, &size);
  if (e != 0) {
    io->close(io, fd);
    return cpw__set_os_error(ctx, e, path, "cannot read the journal's size");
  }
  rc = cpw__journal_read_header(ctx, io, fd, path, size, &hd, chain0);
  if (rc == CPW_OK)
    rc = cpw__journal_scan(ctx, io, fd, size, hd.len, chain0, s);
  if (rc == CPW_ECORRUPT) {
    /* the header: nothing to keep */
    st->rec.file_bytes = size;
    st->rec.truncated_at = -1;
    st->damaged = 1;
    st->damaged_at = 0;
  }
  if (rc != CPW_OK) {
    io->close(io, fd);
    return rc;
  }
  fill_status(st, s, size);
  if (fd_out != NULL)
    *fd_out = fd;
  else
    io->close(io, fd);
  return CPW_OK;
}

static int status_start(cpw_ctx *ctx, const char *path, cpw_journal_status *st, const char *fn)
{
  unsigned int version;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (path == NULL || st == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "%s: NULL argument", fn);
  version = st->version;
  if (cpw__check_version(ctx, version, CPW_JOURNAL_STATUS_VERSION, "journal status") != CPW_OK)
    return CPW_EVERSION;
  memset(st, 0, sizeof *st);
  st->version = version;
  st->rec.truncated_at = -1;
  st->damaged_at = -1;
  return CPW_OK;
}

int cpw__journal_check_io(cpw_ctx *ctx, const char *path, cpw_journal_status *st,
                          const cpw__io *io)
{
  cpw__jscan s;
  int rc = status_start(ctx, path, st, "cpw_journal_check");
  memset(&s, 0, sizeof s);
  if (rc != CPW_OK)
    return rc;
  rc = check_file(ctx, path, st, io, 0, NULL, &s);
  if (rc == CPW_OK && s.damaged)
    rc = cpw__journal_damage_error(ctx, path, &s, "");
  return rc;
}

int cpw_journal_check(cpw_ctx *ctx, const char *path, cpw_journal_status *st)
{
  return cpw__journal_check_io(ctx, path, st, &cpw__posix_io);
}

int cpw__journal_verify_io(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info,
                           const cpw__io *io)
{
  cpw_journal_status st;
  int rc;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (path == NULL || info == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_verify: NULL argument");
  memset(info, 0, sizeof *info);
  info->truncated_at = -1;
  memset(&st, 0, sizeof st);
  st.version = CPW_JOURNAL_STATUS_VERSION;
  rc = cpw__journal_check_io(ctx, path, &st, io);
  if (rc == CPW_OK)
    *info = st.rec;
  return rc;
}

int cpw_journal_verify(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info)
{
  return cpw__journal_verify_io(ctx, path, info, &cpw__posix_io);
}

/* copy [from, size) of fd to a new file `aside` (refused if it exists), durably */
static int write_aside(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t from, uint64_t size,
                       const char *aside)
{
  enum { N = 1 << 16 };
  unsigned char *buf;
  int afd, created, e;
  uint64_t off;
  e = io->open(io, aside, 1, 0, &afd, &created);
  if (e == 0 && !created) {
    io->close(io, afd);
    return cpw__set_error_at(ctx, CPW_EINVALID, aside, 0, 0,
                             "the file for the removed bytes exists already: name a new one");
  }
  if (e != 0)
    return cpw__set_os_error(ctx, e, aside, "cannot create the file for the removed bytes");
  buf = cpw__malloc(ctx, N);
  if (buf == NULL) {
    io->close(io, afd);
    return CPW_ENOMEM;
  }
  for (off = from; e == 0 && off < size;) {
    size_t got = 0, want = size - off < N ? (size_t)(size - off) : N;
    e = io->read(io, fd, buf, want, off, &got);
    if (e == 0 && got != want)
      e = EIO; /* the journal shrank under us: it is locked, so this is an I/O fault */
    if (e == 0)
      e = io->write(io, afd, buf, got, off - from);
    off += got;
  }
  cpw__free(ctx, buf, N);
  if (e == 0)
    e = io->sync(io, afd);
  io->close(io, afd);
  if (e == 0)
    e = io->sync_dir(io, aside);
  if (e != 0)
    return cpw__set_os_error(ctx, e, aside, "cannot write the removed bytes aside (the journal "
                             "is unchanged)");
  return CPW_OK;
}

int cpw__journal_repair_io(cpw_ctx *ctx, const char *path, const char *aside,
                           cpw_journal_status *st, const cpw__io *io)
{
  cpw__jscan s;
  int fd = -1, e, rc = status_start(ctx, path, st, "cpw_journal_repair");
  memset(&s, 0, sizeof s);
  uint64_t size;
  if (rc != CPW_OK)
    return rc;
  if (aside == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_repair: name a file for the removed "
                                             "bytes");
  rc = check_file(ctx, path, st, io, 1, &fd, &s);
  if (rc == CPW_ECORRUPT && st->damaged_at == 0) {
    char why[CPW__ERRMSG_SIZE]; /* the message is rewritten from a copy, not from itself */
    snprintf(why, sizeof why, "%s", cpw_ctx_last_error(ctx)->message);
    return cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0,
                             "the journal's header is damaged: there is nothing a repair can "
                             "keep (%s)", why);
  }
  if (rc != CPW_OK)
    return rc;
  size = st->rec.file_bytes;
  if (s.committed_end < size) {
    rc = write_aside(ctx, io, fd, s.committed_end, size, aside);
    if (rc == CPW_OK) {
      e = io->truncate(io, fd, s.committed_end);
      if (e == 0)
        e = io->sync(io, fd);
      if (e != 0)
        rc = cpw__set_os_error(ctx, e, path, "cannot cut the journal (the removed bytes are "
                               "kept aside)");
    }
    if (rc == CPW_OK)
      st->rec.file_bytes = s.committed_end;
  }
  io->close(io, fd);
  return rc;
}

int cpw_journal_repair(cpw_ctx *ctx, const char *path, const char *aside_path,
                       cpw_journal_status *st)
{
  return cpw__journal_repair_io(ctx, path, aside_path, st, &cpw__posix_io);
}
