/* SPDX-License-Identifier: Apache-2.0 */
/* journal/codec.c: the journal's bytes: entries and commit markers encoded and decoded, the
 * header built and checked, and the reader that walks a file entry by entry. The layout is
 * documented in docs/journal-format.md; keep the two in step. */
#include <stdio.h>

#include "base/crc32c.h"
#include "base/utf8.h"
#include "journal/journal_int.h"

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
  cpw__put16(h, (uint32_t)n);
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
  cpw__put32((unsigned char *)b->data + start, (uint32_t)body);
  cpw__put32(t, cpw__crc32c(0, b->data + start, 4 + body));
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
  if (e->kind < CPW_JOURNAL_CASE_OPEN || e->kind > CPW__J_KIND_LAST)
    return cpw__set_error(ctx, CPW_EINVALID, "journal entry: unknown kind %d", e->kind);
  if (e->nfields > 65535 || (e->fields == NULL && e->nfields != 0))
    return cpw__set_error(ctx, CPW_EINVALID, "journal entry: bad field list");
  memset(h, 0, sizeof h);
  h[4] = (unsigned char)e->kind;
  cpw__put64(h + 6, seq);
  cpw__put64(h + 14, (uint64_t)e->at);
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
    cpw__put16(h, (uint32_t)e->nfields);
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
      cpw__put16(h, 0xFFFFu);
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

int cpw__journal_encode_commit(cpw__buf *b, uint64_t seq, uint64_t commit_no, uint64_t count,
                         uint64_t offset, uint8_t chain[32])
{
  unsigned char body[4 + CPW__J_COMMIT_BODY];
  size_t start = b->len;
  int rc;
  memset(body, 0, sizeof body);
  body[4] = CPW__J_KIND_COMMIT;
  cpw__put64(body + 6, seq);
  /* four empty strings: length 0 and a NUL each; then no fields */
  cpw__put64(body + 4 + 32, commit_no);
  cpw__put64(body + 4 + 40, count);
  cpw__put64(body + 4 + 48, offset);
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

int cpw__journal_build_header(cpw__buf *b, const cpw_policy *pol)
{
  unsigned char h[64];
  size_t n = header_size(pol->name, pol->version), nl = strlen(pol->name);
  size_t vl = strlen(pol->version);
  int rc;
  if (nl > 65535 || vl > 65535)
    return cpw__set_error(b->ctx, CPW_EINVALID, "policy name or version too long");
  memcpy(h, CPW__J_MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result): binary magic */
  cpw__put32(h + 8, CPW__J_VERSION);
  cpw__put32(h + 12, (uint32_t)n);
  cpw__put64(h + 16, 0); /* creation time: not recorded */
  memcpy(h + 24, pol->hash, 32);
  cpw__put16(h + 56, (uint32_t)nl);
  rc = cpw__buf_add(b, h, 58);
  if (rc == CPW_OK)
    rc = cpw__buf_add(b, pol->name, nl);
  if (rc == CPW_OK) {
    cpw__put16(h, (uint32_t)vl);
    rc = cpw__buf_add(b, h, 2);
  }
  if (rc == CPW_OK)
    rc = cpw__buf_add(b, pol->version, vl);
  if (rc == CPW_OK) {
    cpw__put32(h, cpw__crc32c(0, b->data, b->len));
    rc = cpw__buf_add(b, h, 4);
  }
  return rc;
}

#define HEADER_FIXED 16u                 /* magic, version, length: the same in every version */
#define HEADER_MIN (58u + 2u + 4u)       /* version 1 with empty name and version */
#define HEADER_MAX (58u + 2u * 65535u + 4u + 2u)

int cpw__journal_header_error(cpw_ctx *ctx, int code, const char *path, const char *msg)
{
  cpw__set_error_at(ctx, code, path, 0, 0, "%s", msg);
  cpw__error_offset(ctx, 0);
  return code;
}

/* Read and check the header; the chain starts as its SHA-256. The first 16 bytes and the CRC
 * at the header's end keep their places in every format version, so the CRC is checked first:
 * a version number that does not check out is damage, not a newer format. */
int cpw__journal_read_header(cpw_ctx *ctx, const cpw__io *io, int fd, const char *path, uint64_t size,
                             cpw__jheader *hd, uint8_t chain[32])
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
    return cpw__journal_header_error(ctx, CPW_ECORRUPT, path, "not a libcpw journal (bad magic number)");
  len = cpw__get32(fixed + 12);
  if (len < HEADER_MIN || len > HEADER_MAX || len > size)
    return cpw__journal_header_error(ctx, CPW_ECORRUPT, path, "the journal header is damaged (its length)");
  all = cpw__malloc(ctx, len);
  if (all == NULL)
    return CPW_ENOMEM;
  e = io->read(io, fd, all, len, 0, &got);
  if (e != 0 || got != len) {
    cpw__free(ctx, all, len);
    return e != 0 ? cpw__set_os_error(ctx, e, path, "cannot read the journal header")
                  : cpw__journal_header_error(ctx, CPW_ECORRUPT, path, "short journal header");
  }
  if (cpw__get32(all + len - 4) != cpw__crc32c(0, all, len - 4)) {
    cpw__free(ctx, all, len);
    return cpw__journal_header_error(ctx, CPW_ECORRUPT, path, "the journal header is damaged (checksum)");
  }
  hd->version = cpw__get32(all + 8);
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
  nl = cpw__get16(all + 56);
  vl = 58 + nl + 2 <= len ? cpw__get16(all + 58 + nl) : 0xFFFFFFFFu;
  if (58 + nl + 2 > len || 58 + nl + 2 + vl + 4 != len) {
    cpw__free(ctx, all, len);
    return cpw__journal_header_error(ctx, CPW_ECORRUPT, path, "the journal header is damaged (lengths)");
  }
  memcpy(hd->hash, all + 24, 32);
  snprintf(hd->name, sizeof hd->name, "%.*s", (int)nl, (const char *)all + 58);
  hd->len = len;
  cpw__sha256(all, len, chain);
  cpw__free(ctx, all, len);
  return CPW_OK;
}


/* ------------------------------------------------------------------ reading */

void cpw__jreader_init(cpw__jreader *r, cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t size,
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

void cpw__jreader_free(cpw__jreader *r)
{
  cpw__free(r->ctx, r->buf, r->cap);
  cpw__free(r->ctx, r->fields, r->fields_cap * sizeof *r->fields);
  r->buf = NULL;
  r->fields = NULL;
}

/* make [pos, pos + n) readable; 0, or CPW_ENOMEM / CPW_EIO; *short_read when the file ends */
static int jreader_need(cpw__jreader *r, size_t n, int *short_read)
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

/* a string at p (length, bytes, NUL), inside [p, end): advances *p; NULL when malformed
 * (too long, no NUL after it, a NUL inside it, not UTF-8) */
static const char *take_str(const unsigned char **p, const unsigned char *end)
{
  const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
  const unsigned char *s;
  size_t n, i = 0;
  if (end - *p < 2)
    return NULL;
  n = cpw__get16(*p);
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

int cpw__jreader_next(cpw__jreader *r, cpw_journal_entry *e, uint64_t commit[3], uint64_t *at,
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
    return CPW__RD_END;
  if ((*rc = jreader_need(r, 4, &short_read)) != CPW_OK)
    return CPW__RD_BAD;
  if (short_read) {
    *why = "the file ends inside an entry's length";
    return CPW__RD_TORN;
  }
  body = cpw__get32(r->buf + r->pos);
  if (body < CPW__J_MIN_BODY || body > CPW__J_MAX_BODY) {
    *why = "impossible entry length";
    return CPW__RD_BAD;
  }
  if ((*rc = jreader_need(r, 4 + body + CPW__J_TRAILER, &short_read)) != CPW_OK)
    return CPW__RD_BAD;
  if (short_read) {
    *why = "the file ends inside an entry";
    return CPW__RD_TORN;
  }
  base = r->buf + r->pos;
  if (cpw__get32(base + 4 + body) != cpw__crc32c(0, base, 4 + body)) {
    *why = "bad checksum (CRC32C)";
    return CPW__RD_BAD;
  }
  cpw__sha256_init(&h);
  cpw__sha256_update(&h, r->chain, 32);
  cpw__sha256_update(&h, base, 8 + body);
  cpw__sha256_final(&h, next);
  if (memcmp(next, base + 8 + body, 32) != 0) {
    *why = "broken hash chain (SHA-256)";
    return CPW__RD_BAD;
  }
  r->sealed = 1; /* from here on CPW__RD_BAD means: written so, not cut short */
  p = base + 4;
  end = p + body;
  memset(e, 0, sizeof *e);
  e->kind = p[0];
  e->seq = cpw__get64(p + 2);
  e->at = (cpw_time)cpw__get64(p + 10);
  if (e->seq != r->seq || p[1] != 0 ||
      (e->kind != CPW__J_KIND_COMMIT &&
       (e->kind < CPW_JOURNAL_CASE_OPEN || e->kind > CPW__J_KIND_LAST))) {
    *why = e->seq != r->seq ? "entry number out of sequence" : "unknown entry kind";
    return CPW__RD_BAD;
  }
  p += 18;
  e->actor = take_str(&p, end);
  e->role = e->actor ? take_str(&p, end) : NULL;
  e->subject = e->role ? take_str(&p, end) : NULL;
  e->name = e->subject ? take_str(&p, end) : NULL;
  if (e->name == NULL || end - p < 2) {
    *why = "malformed entry";
    return CPW__RD_BAD;
  }
  nf = cpw__get16(p);
  p += 2;
  if (nf > r->fields_cap &&
      cpw__grow(r->ctx, (void **)&r->fields, &r->fields_cap, nf, sizeof *r->fields) != CPW_OK) {
    *rc = CPW_ENOMEM;
    return CPW__RD_BAD;
  }
  for (i = 0; i < nf; i++) {
    r->fields[i].field = take_str(&p, end);
    if (r->fields[i].field == NULL) {
      *why = "malformed field";
      return CPW__RD_BAD;
    }
    if (end - p >= 2 && cpw__get16(p) == 0xFFFFu) {
      r->fields[i].value = NULL;
      p += 2;
    } else {
      r->fields[i].value = take_str(&p, end);
      if (r->fields[i].value == NULL) {
        *why = "malformed field value";
        return CPW__RD_BAD;
      }
    }
  }
  e->fields = r->fields;
  e->nfields = nf;
  if (e->kind == CPW__J_KIND_COMMIT) {
    if (body != CPW__J_COMMIT_BODY || nf != 0 || end - p != 24) {
      *why = "malformed commit marker";
      return CPW__RD_BAD;
    }
    commit[0] = cpw__get64(p);
    commit[1] = cpw__get64(p + 8);
    commit[2] = cpw__get64(p + 16);
    if (commit[2] != *at) {
      *why = "commit marker at the wrong offset";
      return CPW__RD_BAD;
    }
  } else if (p != end) {
    *why = "malformed entry (trailing bytes)";
    return CPW__RD_BAD;
  }
  memcpy(r->chain, next, 32);
  r->seq++;
  r->pos += 4 + body + CPW__J_TRAILER;
  if (e->kind != CPW__J_KIND_COMMIT)
    e->seq = ++r->entry_no; /* users count entries, not markers */
  return CPW__RD_OK;
}

const char *cpw_journal_kind_name(int kind)
{
  static const char *const names[] = { "case_open", "case_event", "placement", "annotation" };
  return kind >= CPW_JOURNAL_CASE_OPEN && kind <= CPW__J_KIND_LAST
           ? names[kind - CPW_JOURNAL_CASE_OPEN]
           : "unknown";
}
