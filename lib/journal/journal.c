/* journal/journal.c: the journal file: header, entries, commits, recovery, verification.
 * The byte layout is documented in docs/journal-format.md; keep the two in step. */
#include <errno.h>
#include <stdio.h>

#include "base/crc32c.h"
#include "base/utf8.h"
#include "journal/journal_int.h"

/* ------------------------------------------------------------------ little-endian */

static void put16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v)
{
  int i;
  for (i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
static void put64(unsigned char *p, uint64_t v)
{
  int i;
  for (i = 0; i < 8; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const unsigned char *p)
{
  return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ------------------------------------------------------------------ encoding */

static int add_str(cpw__buf *b, cpw_ctx *ctx, const char *s, const char *what)
{
  size_t n = s != NULL ? strlen(s) : 0;
  unsigned char h[2];
  int rc;
  if (n > 65534)
    return cpw__set_error(ctx, CPW_EINVALID, "journal entry: %s is longer than 65534 bytes",
                          what);
  if (!cpw__utf8_valid(s, n))
    return cpw__set_error(ctx, CPW_EINVALID, "journal entry: %s is not valid UTF-8", what);
  put16(h, (uint32_t)n);
  rc = cpw__buf_add(b, h, 2);
  if (rc == CPW_OK && n != 0)
    rc = cpw__buf_add(b, s, n);
  if (rc == CPW_OK)
    rc = cpw__buf_addc(b, '\0');
  return rc;
}

/* finish the entry that starts at `start` in b: length, CRC, chain */
static int seal(cpw__buf *b, size_t start, uint8_t chain[32])
{
  unsigned char t[4];
  size_t body = b->len - start - 4;
  cpw__sha256_ctx h;
  uint8_t next[32];
  int rc;
  put32((unsigned char *)b->data + start, (uint32_t)body);
  put32(t, cpw__crc32c(0, b->data + start, 4 + body));
  rc = cpw__buf_add(b, t, 4);
  if (rc != CPW_OK)
    return rc;
  cpw__sha256_init(&h);
  cpw__sha256_update(&h, chain, 32);
  cpw__sha256_update(&h, b->data + start, 8 + body);
  cpw__sha256_final(&h, next);
  rc = cpw__buf_add(b, next, 32);
  if (rc == CPW_OK)
    memcpy(chain, next, 32);
  return rc;
}

int cpw__journal_encode(cpw__buf *b, cpw_ctx *ctx, const cpw_journal_entry *e, uint64_t seq,
                        uint8_t chain[32])
{
  size_t start = b->len, i;
  unsigned char h[22];
  int rc;
  if (e->kind < CPW_JOURNAL_CASE_OPEN || e->kind > CPW_JOURNAL_ANNOTATION)
    return cpw__set_error(ctx, CPW_EINVALID, "journal entry: unknown kind %d", e->kind);
  if (e->nfields > 65535 || (e->fields == NULL && e->nfields != 0))
    return cpw__set_error(ctx, CPW_EINVALID, "journal entry: bad field list");
  memset(h, 0, sizeof h);
  h[4] = (unsigned char)e->kind;
  put64(h + 6, seq);
  put64(h + 14, (uint64_t)e->at);
  rc = cpw__buf_add(b, h, sizeof h);
  if (rc == CPW_OK)
    rc = add_str(b, ctx, e->actor, "the actor");
  if (rc == CPW_OK)
    rc = add_str(b, ctx, e->role, "the role");
  if (rc == CPW_OK)
    rc = add_str(b, ctx, e->subject, "the subject id");
  if (rc == CPW_OK)
    rc = add_str(b, ctx, e->name, "the event name");
  if (rc == CPW_OK) {
    put16(h, (uint32_t)e->nfields);
    rc = cpw__buf_add(b, h, 2);
  }
  for (i = 0; rc == CPW_OK && i < e->nfields; i++) {
    if (e->fields[i].field == NULL) {
      rc = cpw__set_error(ctx, CPW_EINVALID, "journal entry: field %zu has no name", i);
      break;
    }
    rc = add_str(b, ctx, e->fields[i].field, "a field name");
    if (rc != CPW_OK)
      break;
    if (e->fields[i].value == NULL) {
      put16(h, 0xFFFFu);
      rc = cpw__buf_add(b, h, 2);
    } else {
      rc = add_str(b, ctx, e->fields[i].value, "a field value");
    }
  }
  if (rc == CPW_OK && b->len - start - 4 > CPW__J_MAX_BODY)
    rc = cpw__set_error(ctx, CPW_ELIMIT, "journal entry larger than 1 MiB");
  if (rc == CPW_OK)
    rc = seal(b, start, chain);
  if (rc != CPW_OK)
    b->len = start; /* nothing half-encoded stays */
  return rc;
}

static int encode_commit(cpw__buf *b, uint64_t seq, uint64_t commit_no, uint64_t count,
                         uint64_t offset, uint8_t chain[32])
{
  unsigned char body[4 + CPW__J_COMMIT_BODY];
  size_t start = b->len;
  int rc;
  memset(body, 0, sizeof body);
  body[4] = CPW__J_KIND_COMMIT;
  put64(body + 6, seq);
  /* four empty strings: length 0 and a NUL each; then no fields */
  put64(body + 4 + 32, commit_no);
  put64(body + 4 + 40, count);
  put64(body + 4 + 48, offset);
  rc = cpw__buf_add(b, body, sizeof body);
  if (rc == CPW_OK)
    rc = seal(b, start, chain);
  if (rc != CPW_OK)
    b->len = start;
  return rc;
}

/* ------------------------------------------------------------------ header */

static size_t header_size(const char *name, const char *version)
{
  return 8 + 4 + 4 + 8 + 32 + 2 + strlen(name) + 2 + strlen(version) + 4;
}

static int build_header(cpw__buf *b, const cpw_policy *pol, int64_t created)
{
  unsigned char h[64];
  size_t n = header_size(pol->name, pol->version), nl = strlen(pol->name);
  size_t vl = strlen(pol->version);
  int rc;
  if (nl > 65535 || vl > 65535)
    return cpw__set_error(b->ctx, CPW_EINVALID, "policy name or version too long");
  memcpy(h, CPW__J_MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result): binary magic */
  put32(h + 8, CPW__J_VERSION);
  put32(h + 12, (uint32_t)n);
  put64(h + 16, (uint64_t)created);
  memcpy(h + 24, pol->hash, 32);
  put16(h + 56, (uint32_t)nl);
  rc = cpw__buf_add(b, h, 58);
  if (rc == CPW_OK)
    rc = cpw__buf_add(b, pol->name, nl);
  if (rc == CPW_OK) {
    put16(h, (uint32_t)vl);
    rc = cpw__buf_add(b, h, 2);
  }
  if (rc == CPW_OK)
    rc = cpw__buf_add(b, pol->version, vl);
  if (rc == CPW_OK) {
    put32(h, cpw__crc32c(0, b->data, b->len));
    rc = cpw__buf_add(b, h, 4);
  }
  return rc;
}

typedef struct jheader {
  uint32_t version;
  uint64_t len;
  uint8_t hash[32];
  char name[256];
} jheader;

#define HEADER_FIXED 16u                 /* magic, version, length: the same in every version */
#define HEADER_MIN (58u + 2u + 4u)       /* version 1 with empty name and version */
#define HEADER_MAX (58u + 2u * 65535u + 4u + 2u)

static int header_error(cpw_ctx *ctx, int code, const char *path, const char *msg)
{
  cpw__set_error_at(ctx, code, path, 0, 0, "%s", msg);
  cpw__error_offset(ctx, 0);
  return code;
}

/* Read and check the header; the chain starts as its SHA-256. The first 16 bytes and the CRC
 * at the header's end keep their places in every format version, so the CRC is checked first:
 * a version number that does not check out is damage, not a newer format. */
static int read_header(cpw_ctx *ctx, const cpw__io *io, int fd, const char *path, uint64_t size,
                       jheader *hd, uint8_t chain[32])
{
  unsigned char fixed[HEADER_FIXED], *all;
  size_t got;
  int e;
  uint32_t nl, vl, len;
  hd->len = 0; /* defined on every path, errors included */
  if (size < HEADER_FIXED) {
    cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0,
                      "not a journal: the file is shorter than a header (%llu bytes)",
                      (unsigned long long)size);
    cpw__error_offset(ctx, 0);
    return CPW_ECORRUPT;
  }
  e = io->read(io, fd, fixed, sizeof fixed, 0, &got);
  if (e != 0)
    return cpw__set_os_error(ctx, e, path, "cannot read the journal header");
  if (got != sizeof fixed || memcmp(fixed, CPW__J_MAGIC, 7) != 0)
    return header_error(ctx, CPW_ECORRUPT, path, "not a libcpw journal (bad magic number)");
  len = get32(fixed + 12);
  if (len < HEADER_MIN || len > HEADER_MAX || len > size)
    return header_error(ctx, CPW_ECORRUPT, path, "the journal header is damaged (its length)");
  all = cpw__malloc(ctx, len);
  if (all == NULL)
    return CPW_ENOMEM;
  e = io->read(io, fd, all, len, 0, &got);
  if (e != 0 || got != len) {
    cpw__free(ctx, all, len);
    return e != 0 ? cpw__set_os_error(ctx, e, path, "cannot read the journal header")
                  : header_error(ctx, CPW_ECORRUPT, path, "short journal header");
  }
  if (get32(all + len - 4) != cpw__crc32c(0, all, len - 4)) {
    cpw__free(ctx, all, len);
    return header_error(ctx, CPW_ECORRUPT, path, "the journal header is damaged (checksum)");
  }
  hd->version = get32(all + 8);
  if (all[7] != '1' || hd->version != CPW__J_VERSION) {
    cpw__free(ctx, all, len);
    if (hd->version > CPW__J_VERSION) {
      cpw__set_error_at(ctx, CPW_EVERSION, path, 0, 0,
                        "journal format version %u is newer than this library's (%u): open "
                        "it with a newer libcpw", hd->version, CPW__J_VERSION);
      cpw__error_offset(ctx, 0);
      return CPW_EVERSION;
    }
    cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0, "unknown journal format version %u",
                      hd->version);
    cpw__error_offset(ctx, 0);
    return CPW_ECORRUPT;
  }
  nl = get16(all + 56);
  vl = 58 + nl + 2 <= len ? get16(all + 58 + nl) : 0xFFFFFFFFu;
  if (58 + nl + 2 > len || 58 + nl + 2 + vl + 4 != len) {
    cpw__free(ctx, all, len);
    return header_error(ctx, CPW_ECORRUPT, path, "the journal header is damaged (lengths)");
  }
  memcpy(hd->hash, all + 24, 32);
  snprintf(hd->name, sizeof hd->name, "%.*s", (int)nl, (const char *)all + 58);
  hd->len = len;
  cpw__sha256(all, len, chain);
  cpw__free(ctx, all, len);
  return CPW_OK;
}

/* Is the file (size bytes, less than a header) the beginning of the header `hb`, i.e. a
 * journal whose creation was cut short? 1 yes, 0 no, or a negative CPW code. */
static int torn_header(cpw_ctx *ctx, const cpw__io *io, int fd, const char *path, uint64_t size,
                       const cpw__buf *hb)
{
  unsigned char *b;
  size_t got;
  int e, same;
  if (size == 0 || size >= hb->len)
    return 0;
  b = cpw__malloc(ctx, (size_t)size);
  if (b == NULL)
    return CPW_ENOMEM;
  e = io->read(io, fd, b, (size_t)size, 0, &got);
  same = e == 0 && got == size && memcmp(b, hb->data, (size_t)size) == 0;
  cpw__free(ctx, b, (size_t)size);
  if (e != 0)
    return cpw__set_os_error(ctx, e, path, "cannot read the journal header");
  return same;
}

/* ------------------------------------------------------------------ reading */

static void reader_init(cpw__jreader *r, cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t size,
                        uint64_t start, const uint8_t chain[32])
{
  memset(r, 0, sizeof *r);
  r->ctx = ctx;
  r->io = io;
  r->fd = fd;
  r->size = size;
  r->off = start;
  r->seq = 1;
  memcpy(r->chain, chain, 32);
}

static void reader_free(cpw__jreader *r)
{
  cpw__free(r->ctx, r->buf, r->cap);
  cpw__free(r->ctx, r->fields, r->fields_cap * sizeof *r->fields);
  r->buf = NULL;
  r->fields = NULL;
}

/* make [pos, pos + n) readable; 0, or CPW_ENOMEM / CPW_EIO; *short_read when the file ends */
static int reader_need(cpw__jreader *r, size_t n, int *short_read)
{
  size_t got;
  int e;
  *short_read = 0;
  if (r->pos + n <= r->len)
    return CPW_OK;
  if (r->off + r->pos + n > r->size) {
    *short_read = 1;
    return CPW_OK;
  }
  /* move what is left to the front, grow if needed, read more */
  if (r->pos > 0) {
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->off += r->pos;
    r->len -= r->pos;
    r->pos = 0;
  }
  {
    /* read in chunks of 1 MiB (or the whole rest of a smaller file), at least the entry */
    uint64_t left = r->size - r->off;
    size_t want = left < (1u << 20) ? (size_t)left : (1u << 20);
    if (want < n)
      want = n;
    if (want > r->cap) {
      size_t ncap = (want + 4095) & ~(size_t)4095;
      unsigned char *nb = cpw__realloc(r->ctx, r->buf, r->cap, ncap);
      if (nb == NULL)
        return CPW_ENOMEM;
      r->buf = nb;
      r->cap = ncap;
    }
  }
  {
    uint64_t want = r->size - (r->off + r->len);
    size_t room = r->cap - r->len;
    if (want > room)
      want = room;
    e = r->io->read(r->io, r->fd, r->buf + r->len, (size_t)want, r->off + r->len, &got);
    if (e != 0)
      return cpw__set_os_error(r->ctx, e, NULL, "cannot read the journal");
    r->len += got;
  }
  if (r->pos + n > r->len)
    *short_read = 1;
  return CPW_OK;
}

enum { RD_OK = 1, RD_END = 0, RD_TORN = -1, RD_BAD = -2 };

/* a string at p (length, bytes, NUL), inside [p, end): advances *p; NULL when malformed
 * (too long, no NUL after it, a NUL inside it, not UTF-8) */
static const char *take_str(const unsigned char **p, const unsigned char *end)
{
  const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
  const unsigned char *s;
  size_t n, i = 0;
  if (end - *p < 2)
    return NULL;
  n = get16(*p);
  *p += 2;
  if (n == 0xFFFFu || (size_t)(end - *p) < n + 1 || (*p)[n] != '\0')
    return NULL;
  s = *p;
  /* one pass for the common case, ASCII without NUL, eight bytes at a time; the rest of a
   * string with other bytes gets the full checks */
  while (i + 8 <= n) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (((w | ((w - ones) & ~w)) & highs) != 0)
      break;
    i += 8;
  }
  while (i < n && (unsigned)s[i] - 1u < 0x7Fu)
    i++;
  if (i < n && (memchr(s + i, '\0', n - i) != NULL || !cpw__utf8_valid((const char *)s + i, n - i)))
    return NULL;
  *p += n + 1;
  return (const char *)s;
}

/* Read the next entry. RD_OK: *e filled (kind CPW__J_KIND_COMMIT for commit markers, with
 * commit fields in *commit); RD_END at the end; RD_TORN: the bytes end inside the entry;
 * RD_BAD: damaged (why in *why). *at is the entry's offset. Errors are negative CPW codes
 * below RD_BAD... returned through *rc. */
static int reader_next(cpw__jreader *r, cpw_journal_entry *e, uint64_t commit[3], uint64_t *at,
                       const char **why, int *rc)
{
  int short_read;
  uint32_t body, i, nf;
  const unsigned char *p, *end, *base;
  cpw__sha256_ctx h;
  uint8_t next[32];
  *rc = CPW_OK;
  r->sealed = 0;
  *at = r->off + r->pos;
  if (r->off + r->pos >= r->size)
    return RD_END;
  if ((*rc = reader_need(r, 4, &short_read)) != CPW_OK)
    return RD_BAD;
  if (short_read) {
    *why = "the file ends inside an entry's length";
    return RD_TORN;
  }
  body = get32(r->buf + r->pos);
  if (body < CPW__J_MIN_BODY || body > CPW__J_MAX_BODY) {
    *why = "impossible entry length";
    return RD_BAD;
  }
  if ((*rc = reader_need(r, 4 + body + CPW__J_TRAILER, &short_read)) != CPW_OK)
    return RD_BAD;
  if (short_read) {
    *why = "the file ends inside an entry";
    return RD_TORN;
  }
  base = r->buf + r->pos;
  if (get32(base + 4 + body) != cpw__crc32c(0, base, 4 + body)) {
    *why = "bad checksum (CRC32C)";
    return RD_BAD;
  }
  cpw__sha256_init(&h);
  cpw__sha256_update(&h, r->chain, 32);
  cpw__sha256_update(&h, base, 8 + body);
  cpw__sha256_final(&h, next);
  if (memcmp(next, base + 8 + body, 32) != 0) {
    *why = "broken hash chain (SHA-256)";
    return RD_BAD;
  }
  r->sealed = 1; /* from here on RD_BAD means: written so, not cut short */
  p = base + 4;
  end = p + body;
  memset(e, 0, sizeof *e);
  e->kind = p[0];
  e->seq = get64(p + 2);
  e->at = (cpw_time)get64(p + 10);
  if (e->seq != r->seq || p[1] != 0 ||
      (e->kind != CPW__J_KIND_COMMIT &&
       (e->kind < CPW_JOURNAL_CASE_OPEN || e->kind > CPW_JOURNAL_ANNOTATION))) {
    *why = e->seq != r->seq ? "entry number out of sequence" : "unknown entry kind";
    return RD_BAD;
  }
  p += 18;
  e->actor = take_str(&p, end);
  e->role = e->actor ? take_str(&p, end) : NULL;
  e->subject = e->role ? take_str(&p, end) : NULL;
  e->name = e->subject ? take_str(&p, end) : NULL;
  if (e->name == NULL || end - p < 2) {
    *why = "malformed entry";
    return RD_BAD;
  }
  nf = get16(p);
  p += 2;
  if (nf > r->fields_cap &&
      cpw__grow(r->ctx, (void **)&r->fields, &r->fields_cap, nf, sizeof *r->fields) != CPW_OK) {
    *rc = CPW_ENOMEM;
    return RD_BAD;
  }
  for (i = 0; i < nf; i++) {
    const unsigned char *save;
    r->fields[i].field = take_str(&p, end);
    if (r->fields[i].field == NULL) {
      *why = "malformed field";
      return RD_BAD;
    }
    save = p;
    if (end - p >= 2 && get16(p) == 0xFFFFu) {
      r->fields[i].value = NULL;
      p += 2;
    } else {
      r->fields[i].value = take_str(&p, end);
      if (r->fields[i].value == NULL) {
        (void)save;
        *why = "malformed field value";
        return RD_BAD;
      }
    }
  }
  e->fields = r->fields;
  e->nfields = nf;
  if (e->kind == CPW__J_KIND_COMMIT) {
    if (body != CPW__J_COMMIT_BODY || nf != 0 || end - p != 24) {
      *why = "malformed commit marker";
      return RD_BAD;
    }
    commit[0] = get64(p);
    commit[1] = get64(p + 8);
    commit[2] = get64(p + 16);
    if (commit[2] != *at) {
      *why = "commit marker at the wrong offset";
      return RD_BAD;
    }
  } else if (p != end) {
    *why = "malformed entry (trailing bytes)";
    return RD_BAD;
  }
  memcpy(r->chain, next, 32);
  r->seq++;
  r->pos += 4 + body + CPW__J_TRAILER;
  return RD_OK;
}

/* Is there a valid-looking commit marker anywhere in [from, size)? Used to tell damage inside
 * committed data (a later commit exists) from an unfinished tail (nothing committed after).
 * 1 or 0, or a negative CPW code (memory, a read error: then nothing may be cut). */
static int later_commit(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t from, uint64_t size)
{
  enum { N = 1 << 16 };
  unsigned char *buf;
  const size_t total = 4 + CPW__J_COMMIT_BODY + CPW__J_TRAILER;
  uint64_t off = from;
  int found = 0, e;
  buf = cpw__malloc(ctx, N + total);
  if (buf == NULL)
    return CPW_ENOMEM;
  while (!found && off + total <= size) {
    size_t got, i;
    e = io->read(io, fd, buf, N + total, off, &got);
    if (e != 0) {
      cpw__free(ctx, buf, N + total);
      return cpw__set_os_error(ctx, e, NULL, "cannot read the journal");
    }
    for (i = 0; i + total <= got && i < N; i++) {
      const unsigned char *b = buf + i;
      if (get32(b) == CPW__J_COMMIT_BODY && b[4] == CPW__J_KIND_COMMIT &&
          get64(b + 4 + 48) == off + i &&
          get32(b + 4 + CPW__J_COMMIT_BODY) == cpw__crc32c(0, b, 4 + CPW__J_COMMIT_BODY)) {
        found = 1;
        break;
      }
    }
    off += N;
  }
  cpw__free(ctx, buf, N + total);
  return found;
}

/* Scan the whole file: where the committed part ends and what follows it. */
typedef struct scan_result {
  uint64_t committed_end;
  uint64_t entries, commits, next_seq;
  uint8_t chain[32];
  int damaged;              /* a bad entry with committed data after it */
  uint64_t bad_at, bad_seq;
  const char *why;
  int policy_changed;       /* a committed policy_changed annotation names the policy now */
  char policy_hash[65];     /* ... its hash (hex) */
  char policy_name[256];    /* ... and name */
} scan_result;

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

static int scan(cpw_ctx *ctx, const cpw__io *io, int fd, const char *path, uint64_t size,
                uint64_t header_len, const uint8_t chain0[32], scan_result *res)
{
  cpw__jreader r;
  cpw_journal_entry e;
  uint64_t commit[3], at, since_commit = 0, bad_seq = 0;
  int st, rc = CPW_OK, pend_policy = 0;
  const char *why = NULL;
  char pend_hash[65], pend_name[256];
  memset(res, 0, sizeof *res);
  reader_init(&r, ctx, io, fd, size, header_len, chain0);
  res->committed_end = header_len;
  res->next_seq = 1;
  memcpy(res->chain, chain0, 32);
  for (;;) {
    st = reader_next(&r, &e, commit, &at, &why, &rc);
    if (rc != CPW_OK)
      break;
    if (st == RD_END)
      break;
    bad_seq = r.seq;
    if (st == RD_OK) {
      if (e.kind == CPW__J_KIND_COMMIT) {
        if (commit[0] != res->commits + 1 || commit[1] != since_commit) {
          st = RD_BAD;
          bad_seq = e.seq;
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
      } else {
        const char *name, *hash = annotated_policy(&e, &name);
        if (hash != NULL) {
          pend_policy = 1;
          memcpy(pend_hash, hash, 65);
          snprintf(pend_name, sizeof pend_name, "%s", name);
        }
        since_commit++;
        continue;
      }
    }
    /* RD_TORN or RD_BAD at `at`. An interrupted commit leaves a prefix of its bytes: nothing
     * committed can follow it. So when a commit marker follows, this is damage, also when the
     * entry looks cut short (its length field may be what is damaged). An entry whose checksum
     * and chain hold but whose contents are wrong (a number, a kind, a marker's counts) was
     * written so, not cut short: damage too, wherever it is. */
    {
      int later = (st == RD_BAD && r.sealed) ? 1 : later_commit(ctx, io, fd, at + 1, size);
      if (later < 0) {
        rc = later;
        break;
      }
      if (later) {
        if (st == RD_TORN)
          why = "damaged entry length (the entry would end past the end of the file)";
        res->damaged = 1;
        res->bad_at = at;
        res->bad_seq = bad_seq;
        res->why = why;
      }
    }
    break;
  }
  reader_free(&r);
  (void)path;
  return rc;
}

/* ------------------------------------------------------------------ open / close */

int cpw_journal_options_init(cpw_journal_options *opts, unsigned int version)
{
  if (opts == NULL)
    return CPW_EINVALID;
  if (version == 0 || version > CPW_JOURNAL_OPTIONS_VERSION)
    return CPW_EVERSION;
  memset(opts, 0, sizeof *opts);
  opts->version = version;
  return CPW_OK;
}

static void fill_rec(cpw_journal *j, const scan_result *s, uint64_t size)
{
  j->rec.entries = s->entries;
  j->rec.commits = s->commits;
  j->rec.file_bytes = size;
  cpw__hex(j->rec.head_hash, s->chain, 32);
}

static void journal_free(cpw_journal *j)
{
  if (j->fd >= 0)
    j->io->close(j->io, j->fd);
  cpw__buf_free(&j->pending);
  cpw__free(j->ctx, j->hook_fields, j->hook_fields_cap * sizeof *j->hook_fields);
  cpw__free(j->ctx, j->path, j->path_size);
  pthread_mutex_destroy(&j->lock);
  cpw__free(j->ctx, j, sizeof *j);
}

int cpw__journal_open_io(cpw_journal **out, cpw_ctx *ctx, const char *path,
                         const cpw_policy *policy, const cpw_journal_options *opts,
                         const cpw__io *io)
{
  cpw_journal *j;
  unsigned flags = 0;
  int e, created = 0, fresh = 0, changed = 0, rc;
  uint64_t size;
  jheader hd;
  uint8_t chain0[32];
  char cur_hash[65];
  scan_result s;
  cpw__buf hb;

  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL || path == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_open: NULL argument");
  if (opts != NULL) {
    rc = cpw__check_version(ctx, opts->version, CPW_JOURNAL_OPTIONS_VERSION, "journal options");
    if (rc != CPW_OK)
      return rc;
    flags = opts->flags;
    if ((flags & ~(CPW_JOURNAL_CREATE | CPW_JOURNAL_READONLY |
                   CPW_JOURNAL_ALLOW_POLICY_CHANGE)) != 0)
      return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_open: unknown flags 0x%x", flags);
  }
  if (policy == NULL && !(flags & CPW_JOURNAL_READONLY))
    return cpw__set_error(ctx, CPW_EINVALID, "a journal opened for writing needs its policy");
  j = cpw__calloc(ctx, 1, sizeof *j);
  if (j == NULL)
    return CPW_ENOMEM;
  j->ctx = ctx;
  j->policy = policy;
  j->io = io;
  j->fd = -1;
  j->flags = flags;
  if (opts != NULL) {
    j->group = opts->group_commit;
    j->hook = opts->hook;
    j->hook_payload = opts->hook_payload;
  }
  j->rec.truncated_at = -1;
  cpw__buf_init(&j->pending, ctx);
  if (pthread_mutex_init(&j->lock, NULL) != 0) {
    cpw__free(ctx, j, sizeof *j);
    return cpw__set_error(ctx, CPW_ERROR, "cannot create the journal's lock");
  }
  j->path_size = strlen(path) + 1;
  j->path = cpw__strndup(ctx, path, j->path_size - 1);
  if (j->path == NULL) {
    j->path_size = 0;
    journal_free(j);
    return CPW_ENOMEM;
  }
  e = io->open(io, path, (flags & CPW_JOURNAL_CREATE) != 0, (flags & CPW_JOURNAL_READONLY) != 0,
               &j->fd, &created);
  if (e != 0) {
    journal_free(j);
    return cpw__set_os_error(ctx, e, path, "cannot open the journal");
  }
  if (!(flags & CPW_JOURNAL_READONLY)) {
    e = io->lock(io, j->fd);
    if (e != 0) {
      journal_free(j);
      if (e == EWOULDBLOCK)
        return cpw__set_error_at(ctx, CPW_EBUSY, path, 0, 0,
                                 "the journal is open for writing elsewhere (one writer at a "
                                 "time)");
      return cpw__set_os_error(ctx, e, path, "cannot lock the journal");
    }
  }
  e = io->size(io, j->fd, &size);
  if (e != 0) {
    journal_free(j);
    return cpw__set_os_error(ctx, e, path, "cannot read the journal's size");
  }
  cpw__buf_init(&hb, ctx);
  if (!(flags & CPW_JOURNAL_READONLY)) {
    /* the header this policy's journal starts with (it holds no time: it is always the same) */
    rc = build_header(&hb, policy, 0);
    if (rc == CPW_OK)
      rc = created || size == 0 ? 1 : torn_header(ctx, io, j->fd, path, size, &hb);
    if (rc < 0) {
      cpw__buf_free(&hb);
      journal_free(j);
      return rc;
    }
    fresh = rc == 1; /* a new file, or one whose creation was cut short */
  } else if (size == 0) {
    journal_free(j);
    return header_error(ctx, CPW_ECORRUPT, path, "the journal is empty");
  }
  if (fresh) {
    /* a new journal: the header, durable with its directory entry */
    e = io->write(io, j->fd, hb.data, hb.len, 0);
    if (e == 0)
      e = io->sync(io, j->fd);
    if (e == 0)
      e = io->sync_dir(io, path);
    if (e != 0) {
      rc = cpw__set_os_error(ctx, e, path, "cannot write the new journal's header");
      io->truncate(io, j->fd, 0);
      cpw__buf_free(&hb);
      journal_free(j);
      return rc;
    }
    cpw__sha256(hb.data, hb.len, chain0);
    j->header_len = hb.len;
    size = hb.len;
    cpw__buf_free(&hb);
    memset(&s, 0, sizeof s);
    s.committed_end = size;
    s.next_seq = 1;
    memcpy(s.chain, chain0, 32);
  } else {
    cpw__buf_free(&hb);
    rc = read_header(ctx, io, j->fd, path, size, &hd, chain0);
    if (rc != CPW_OK) {
      journal_free(j);
      return rc;
    }
    j->header_len = hd.len;
    rc = scan(ctx, io, j->fd, path, size, hd.len, chain0, &s);
    if (rc != CPW_OK) {
      journal_free(j);
      return rc;
    }
    if (s.damaged) {
      rc = cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0,
                             "journal entry %llu at offset %llu is damaged: %s; committed "
                             "entries follow it, so nothing was changed",
                             (unsigned long long)s.bad_seq, (unsigned long long)s.bad_at, s.why);
      cpw__error_offset(ctx, (int64_t)s.bad_at);
      journal_free(j);
      return rc;
    }
    /* the journal's policy: the header's, or the one the last policy change names */
    if (s.policy_changed) {
      memcpy(cur_hash, s.policy_hash, sizeof cur_hash);
      snprintf(hd.name, sizeof hd.name, "%s", s.policy_name);
    } else {
      cpw__hex(cur_hash, hd.hash, 32);
    }
    changed = policy != NULL && strcmp(cur_hash, policy->hash_hex) != 0 &&
              !(flags & CPW_JOURNAL_READONLY);
    if (changed && !(flags & CPW_JOURNAL_ALLOW_POLICY_CHANGE)) {
      journal_free(j);
      return cpw__set_error_at(ctx, CPW_EINVALID, path, 0, 0,
                               "the journal was written under policy '%s' with hash %.16s..., "
                               "not this policy (%.16s...); open it with that policy or allow "
                               "the change", hd.name, cur_hash, policy->hash_hex);
    }
    if (s.committed_end < size) {
      /* an unfinished tail: cut it off, durably, and say so */
      j->rec.truncated_bytes = (int64_t)(size - s.committed_end);
      j->rec.truncated_at = (int64_t)s.committed_end;
      if (!(flags & CPW_JOURNAL_READONLY)) {
        e = io->truncate(io, j->fd, s.committed_end);
        if (e == 0)
          e = io->sync(io, j->fd);
        if (e != 0) {
          journal_free(j);
          return cpw__set_os_error(ctx, e, path, "cannot cut the journal's unfinished tail");
        }
        size = s.committed_end;
      }
    }
  }
  j->committed_size = s.committed_end;
  j->next_seq = s.next_seq;
  j->committed_seq = s.next_seq;
  memcpy(j->chain, s.chain, 32);
  memcpy(j->committed_chain, s.chain, 32);
  fill_rec(j, &s, size);
  if (changed) {
    /* the policy changed: record it */
    cpw_field_value f[2];
    cpw_journal_entry note;
    memset(&note, 0, sizeof note);
    f[0].field = "policy";
    f[0].value = policy->name;
    f[1].field = "hash";
    f[1].value = policy->hash_hex;
    note.kind = CPW_JOURNAL_ANNOTATION;
    note.name = "policy_changed";
    note.fields = f;
    note.nfields = 2;
    rc = cpw__journal_append_locked(j, ctx, &note);
    if (rc == CPW_OK && j->npending > 0)
      rc = cpw__journal_commit_locked(j, ctx);
    if (rc != CPW_OK) {
      journal_free(j);
      return rc;
    }
  }
  *out = j;
  return CPW_OK;
}

int cpw_journal_open(cpw_journal **out, cpw_ctx *ctx, const char *path, const cpw_policy *policy,
                     const cpw_journal_options *opts)
{
  return cpw__journal_open_io(out, ctx, path, policy, opts, &cpw__posix_io);
}

void cpw_journal_close(cpw_journal *j)
{
  if (j == NULL)
    return;
  pthread_mutex_lock(&j->lock);
  if (j->npending > 0 && !j->broken)
    cpw__journal_commit_locked(j, NULL);
  pthread_mutex_unlock(&j->lock);
  journal_free(j);
}

const cpw_journal_recovery *cpw_journal_recovery_info(const cpw_journal *j)
{
  return j != NULL ? &j->rec : NULL;
}

size_t cpw_journal_pending(const cpw_journal *j)
{
  return j != NULL ? j->npending : 0;
}

const char *cpw_journal_head_hash(const cpw_journal *j)
{
  return j != NULL ? j->rec.head_hash : NULL;
}

/* ------------------------------------------------------------------ appending, committing */

void cpw__journal_drop_last(cpw_journal *j, size_t len_before, const uint8_t chain_before[32])
{
  j->pending.len = len_before;
  j->npending--;
  j->next_seq--;
  memcpy(j->chain, chain_before, 32);
}

int cpw__journal_commit_locked(cpw_journal *j, cpw_ctx *ctx)
{
  cpw_ctx *ec = ctx != NULL ? ctx : j->ctx;
  size_t before = j->pending.len;
  uint8_t chain_before[32];
  uint64_t marker_at;
  int e, rc;
  if (j->flags & CPW_JOURNAL_READONLY)
    return cpw__set_error(ec, CPW_EINVALID, "the journal is open read-only");
  if (j->npending == 0)
    return CPW_OK;
  memcpy(chain_before, j->chain, 32);
  marker_at = j->committed_size + before;
  rc = encode_commit(&j->pending, j->next_seq, j->rec.commits + 1, j->npending, marker_at,
                     j->chain);
  if (rc != CPW_OK) {
    cpw__copy_error(ec, j->ctx);
    return rc;
  }
  e = j->io->write(j->io, j->fd, j->pending.data, j->pending.len, j->committed_size);
  if (e == 0)
    e = j->io->sync(j->io, j->fd);
  if (e != 0) {
    /* back to the last commit: cut the file, keep the entries pending for a retry */
    int te = j->io->truncate(j->io, j->fd, j->committed_size);
    if (te == 0)
      te = j->io->sync(j->io, j->fd);
    if (te != 0)
      j->broken = 1;
    j->pending.len = before;
    memcpy(j->chain, chain_before, 32);
    return cpw__set_os_error(ec, e, j->path, "cannot commit %zu journal entries (they stay "
                             "pending)", j->npending);
  }
  {
    /* durable: account, then let the host mirror the entries */
    size_t total = j->pending.len, npend = j->npending;
    uint64_t start = j->committed_size, first_seq = j->next_seq - npend;
    uint8_t old_chain[32];
    memcpy(old_chain, j->committed_chain, 32);
    j->committed_size += total;
    j->next_seq++;
    j->committed_seq = j->next_seq;
    memcpy(j->committed_chain, j->chain, 32);
    j->rec.entries += npend;
    j->rec.commits++;
    j->rec.file_bytes = j->committed_size;
    cpw__hex(j->rec.head_hash, j->chain, 32);
    rc = CPW_OK;
    if (j->hook != NULL) {
      /* decode the bytes just written, from memory, and hand each entry to the host */
      cpw__jreader r;
      cpw_journal_entry ent;
      uint64_t commit[3], at;
      const char *why = NULL;
      int st, rrc = CPW_OK;
      reader_init(&r, j->ctx, j->io, j->fd, start + total, start, old_chain);
      r.buf = (unsigned char *)j->pending.data;
      r.len = total;
      r.seq = first_seq;
      r.fields = j->hook_fields; /* reserved by the appends: no allocation here */
      r.fields_cap = j->hook_fields_cap;
      while (rc == CPW_OK) {
        st = reader_next(&r, &ent, commit, &at, &why, &rrc);
        if (st != RD_OK || rrc != CPW_OK || ent.kind == CPW__J_KIND_COMMIT)
          break;
        if (j->hook(&ent, j->hook_payload) != 0)
          rc = cpw__set_error(ec, CPW_EUSER, "the journal hook stopped (the entries are "
                                             "committed)");
      }
      j->hook_fields = r.fields;
      j->hook_fields_cap = r.fields_cap;
      r.buf = NULL; /* the pending buffer and the fields are not the reader's */
      r.fields = NULL;
      reader_free(&r);
    }
    cpw__buf_clear(&j->pending);
    j->npending = 0;
    return rc;
  }
}

int cpw__journal_append_locked(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e)
{
  cpw_ctx *ec = ctx != NULL ? ctx : j->ctx;
  size_t before = j->pending.len;
  uint8_t chain_before[32];
  int rc;
  if (j->flags & CPW_JOURNAL_READONLY)
    return cpw__set_error(ec, CPW_EINVALID, "the journal is open read-only");
  if (j->broken)
    return cpw__set_error(ec, CPW_EIO, "the journal had an I/O error it could not undo: close "
                                       "and reopen it");
  if (j->hook != NULL && e->nfields > j->hook_fields_cap && e->nfields <= 65535 &&
      cpw__grow(j->ctx, (void **)&j->hook_fields, &j->hook_fields_cap, e->nfields,
                sizeof *j->hook_fields) != CPW_OK) {
    cpw__copy_error(ec, j->ctx);
    return CPW_ENOMEM;
  }
  memcpy(chain_before, j->chain, 32);
  rc = cpw__journal_encode(&j->pending, ec, e, j->next_seq, j->chain);
  if (rc != CPW_OK) {
    j->pending.len = before;
    memcpy(j->chain, chain_before, 32);
    if (ec != j->ctx && rc == CPW_ENOMEM)
      cpw__copy_error(ec, j->ctx);
    return rc;
  }
  j->npending++;
  j->next_seq++;
  if (j->group == 0 || j->npending >= j->group) {
    rc = cpw__journal_commit_locked(j, ec);
    if (rc != CPW_OK && rc != CPW_EUSER) {
      /* not durable: this entry is taken back (the caller's change is not made); with group
       * commit the entries before it stay pending, as after a failed cpw_journal_commit */
      cpw__journal_drop_last(j, before, chain_before);
    }
  }
  return rc;
}

int cpw_journal_append(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e)
{
  int rc;
  if (j == NULL || e == NULL)
    return ctx != NULL ? cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_append: NULL argument")
                       : CPW_EINVALID;
  pthread_mutex_lock(&j->lock);
  rc = cpw__journal_append_locked(j, ctx, e);
  pthread_mutex_unlock(&j->lock);
  return rc;
}

int cpw_journal_commit(cpw_journal *j, cpw_ctx *ctx)
{
  int rc;
  if (j == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_commit: NULL journal");
  pthread_mutex_lock(&j->lock);
  rc = cpw__journal_commit_locked(j, ctx);
  pthread_mutex_unlock(&j->lock);
  return rc;
}

/* ------------------------------------------------------------------ reading back */

int cpw_journal_foreach(cpw_journal *j, cpw_ctx *ctx,
                        int (*fn)(const cpw_journal_entry *entry, void *payload), void *payload)
{
  cpw_ctx *ec = ctx != NULL ? ctx : (j != NULL ? j->ctx : NULL);
  cpw__jreader r;
  cpw_journal_entry e;
  uint64_t commit[3], at, end;
  const char *why = NULL;
  uint8_t chain0[32];
  jheader hd;
  int st, rc;
  if (j == NULL || fn == NULL)
    return ec != NULL ? cpw__set_error(ec, CPW_EINVALID, "cpw_journal_foreach: NULL argument")
                      : CPW_EINVALID;
  pthread_mutex_lock(&j->lock);
  end = j->committed_size;
  rc = read_header(ec, j->io, j->fd, j->path, end, &hd, chain0);
  if (rc != CPW_OK) {
    pthread_mutex_unlock(&j->lock);
    return rc;
  }
  reader_init(&r, ec, j->io, j->fd, end, hd.len, chain0);
  for (;;) {
    st = reader_next(&r, &e, commit, &at, &why, &rc);
    if (rc != CPW_OK || st == RD_END)
      break;
    if (st != RD_OK) {
      rc = cpw__set_error_at(ec, CPW_ECORRUPT, j->path, 0, 0,
                             "journal entry %llu at offset %llu: %s (the file changed after it "
                             "was opened)", (unsigned long long)r.seq, (unsigned long long)at,
                             why != NULL ? why : "damaged");
      cpw__error_offset(ec, (int64_t)at);
      break;
    }
    if (e.kind == CPW__J_KIND_COMMIT)
      continue;
    /* the callback may use the journal's own functions: release the lock around it */
    pthread_mutex_unlock(&j->lock);
    st = fn(&e, payload);
    pthread_mutex_lock(&j->lock);
    if (st != 0) {
      rc = ec != NULL && ec->err.code < 0 && st < 0 ? st : cpw__set_error(ec, CPW_EUSER, "stopped by the callback");
      break;
    }
  }
  reader_free(&r);
  pthread_mutex_unlock(&j->lock);
  return rc;
}

int cpw__journal_verify_io(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info,
                           const cpw__io *io)
{
  int fd, created, e, rc;
  uint64_t size;
  jheader hd;
  uint8_t chain0[32];
  scan_result s;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (path == NULL || info == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_verify: NULL argument");
  memset(info, 0, sizeof *info);
  info->truncated_at = -1;
  e = io->open(io, path, 0, 1, &fd, &created);
  if (e != 0)
    return cpw__set_os_error(ctx, e, path, "cannot open the journal");
  e = io->size(io, fd, &size);
  if (e != 0) {
    io->close(io, fd);
    return cpw__set_os_error(ctx, e, path, "cannot read the journal's size");
  }
  rc = read_header(ctx, io, fd, path, size, &hd, chain0);
  if (rc == CPW_OK)
    rc = scan(ctx, io, fd, path, size, hd.len, chain0, &s);
  io->close(io, fd);
  if (rc != CPW_OK)
    return rc;
  if (s.damaged) {
    rc = cpw__set_error_at(ctx, CPW_ECORRUPT, path, 0, 0,
                           "journal entry %llu at offset %llu is damaged: %s",
                           (unsigned long long)s.bad_seq, (unsigned long long)s.bad_at, s.why);
    cpw__error_offset(ctx, (int64_t)s.bad_at);
    return rc;
  }
  info->entries = s.entries;
  info->commits = s.commits;
  info->file_bytes = size;
  if (s.committed_end < size) {
    info->truncated_bytes = (int64_t)(size - s.committed_end);
    info->truncated_at = (int64_t)s.committed_end;
  }
  cpw__hex(info->head_hash, s.chain, 32);
  return CPW_OK;
}

int cpw_journal_verify(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info)
{
  return cpw__journal_verify_io(ctx, path, info, &cpw__posix_io);
}
