/* SPDX-License-Identifier: Apache-2.0 */
/* journal/journal_int.h: the journal handle and the entry codec. */
#ifndef CPW_JOURNAL_INT_H
#define CPW_JOURNAL_INT_H

#include <pthread.h>

#include "base/buf.h"
#include "base/sha256.h"
#include "journal/io.h"
#include "policy/policy_int.h"

#define CPW__J_MAGIC "CPWJRNL1"
#define CPW__J_VERSION 1u
#define CPW__J_KIND_COMMIT 15u
#define CPW__J_KIND_LAST CPW_JOURNAL_ANNOTATION  /* the last kind an entry (not a marker) has */
#define CPW__J_MAX_BODY (1u << 20)
#define CPW__J_MIN_BODY 32u            /* kind, flags, seq, time, 4 empty strings, 0 fields */
#define CPW__J_COMMIT_BODY (CPW__J_MIN_BODY + 24u)
#define CPW__J_TRAILER (4u + 32u)      /* CRC32C + chain value */
/* the actor of entries the library writes on no person's behalf: a policy change recorded at
 * opening, a facility or child registered through a function whose 1.0 signature names no
 * actor (docs/journal-format.md) */
#define CPW__SYSTEM_ACTOR "system"

struct cpw_journal {
  cpw_ctx *ctx;
  const cpw_policy *policy;
  const cpw__io *io;
  int fd;
  unsigned flags;
  size_t group;
  cpw_journal_hook hook;
  void *hook_payload;
  pthread_mutex_t lock;
  char *path;
  size_t path_size;
  uint64_t header_len;
  uint64_t committed_size;     /* the file's committed length */
  uint64_t next_seq;           /* the next entry's number */
  uint64_t committed_seq;      /* the next number after the last committed entry */
  uint8_t chain[32];           /* after the last pending entry */
  uint8_t committed_chain[32]; /* after the last committed entry (a commit marker) */
  cpw__buf pending;            /* encoded entries waiting for a commit */
  size_t npending;
  cpw_journal_recovery rec;
  cpw_field_value *hook_fields; /* room for the fields of any pending entry, so that showing */
  size_t hook_fields_cap;       /* committed entries to the hook needs no memory */
  int broken;                  /* an I/O error left the file in an unknown state */
  char policy_hash[65];        /* the policy the journal belongs to (hex) */
};

/* little-endian integers */
static inline void cpw__put16(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}
static inline void cpw__put32(unsigned char *p, uint32_t v)
{
  cpw__put16(p, v & 0xFFFFu);
  cpw__put16(p + 2, v >> 16);
}
static inline void cpw__put64(unsigned char *p, uint64_t v)
{
  cpw__put32(p, (uint32_t)v);
  cpw__put32(p + 4, (uint32_t)(v >> 32));
}
static inline uint32_t cpw__get16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t cpw__get32(const unsigned char *p) { return cpw__get16(p) | cpw__get16(p + 2) << 16; }
static inline uint64_t cpw__get64(const unsigned char *p)
{
  return (uint64_t)cpw__get32(p) | (uint64_t)cpw__get32(p + 4) << 32;
}

/* ------------------------------------------------------------------ codec.c: bytes */

/* the header as read */
typedef struct cpw__jheader {
  uint32_t version;
  uint64_t len;
  uint8_t hash[32];
  char name[256];
} cpw__jheader;

/* the header a policy's journal starts with (it holds no time: always the same bytes) */
int cpw__journal_build_header(cpw__buf *b, const cpw_policy *pol);
/* Read and check the header of a file of `size` bytes; the chain starts as its SHA-256.
 * CPW_ECORRUPT (offset 0), CPW_EVERSION, CPW_EIO, CPW_ENOMEM. */
int cpw__journal_read_header(cpw_ctx *ctx, const cpw__io *io, int fd, const char *path,
                             uint64_t size, cpw__jheader *hd, uint8_t chain[32]);
/* CPW_ECORRUPT or another code at offset 0 of `path` */
int cpw__journal_header_error(cpw_ctx *ctx, int code, const char *path, const char *msg);
/* a commit marker closing `count` entries, for the marker at file offset `offset` */
int cpw__journal_encode_commit(cpw__buf *b, uint64_t seq, uint64_t commit_no, uint64_t count,
                               uint64_t offset, uint8_t chain[32]);

/* the reader: entries of a file in order, with their strings NUL-terminated in place */
typedef struct cpw__jreader {
  cpw_ctx *ctx;
  const cpw__io *io;
  int fd;
  uint64_t size;               /* bytes to read (file size, or the committed size) */
  uint64_t off;                /* the file offset of buf[0] */
  unsigned char *buf;
  size_t cap, len, pos;        /* buf holds file bytes [off, off + len); pos: next entry */
  uint8_t chain[32];
  uint64_t seq;                /* the on-disk number the next entry must have */
  uint64_t entry_no;           /* entries read so far (commit markers not counted) */
  int sealed;                  /* the last entry read had a valid CRC and chain value */
  cpw_field_value *fields;
  size_t fields_cap;
} cpw__jreader;

enum { CPW__RD_OK = 1, CPW__RD_END = 0, CPW__RD_TORN = -1, CPW__RD_BAD = -2 };

void cpw__jreader_init(cpw__jreader *r, cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t size,
                       uint64_t start, const uint8_t chain[32]);
void cpw__jreader_free(cpw__jreader *r);
/* Read the next entry. CPW__RD_OK: *e filled (kind CPW__J_KIND_COMMIT for commit markers, with
 * their numbers in commit[3]: commit number, entries, offset), e->seq the entry's number as
 * users see it (markers not counted); CPW__RD_END at the end; CPW__RD_TORN: the bytes end
 * inside the entry; CPW__RD_BAD: damaged (why in *why; r->sealed says whether its CRC and
 * chain value held). *at is the entry's offset. Memory and read errors: *rc. */
int cpw__jreader_next(cpw__jreader *r, cpw_journal_entry *e, uint64_t commit[3], uint64_t *at,
                      const char **why, int *rc);

/* ------------------------------------------------------------------ recovery.c: the scan */

/* What a file holds: its committed part, what follows it, and where it is damaged. */
typedef struct cpw__jscan {
  uint64_t committed_end;   /* the end of the last valid commit before any damage */
  uint64_t entries, commits, next_seq;
  uint8_t chain[32];        /* the chain value at committed_end */
  uint64_t tail_entries;    /* complete, valid entries after committed_end (never committed) */
  int damaged;              /* damage that is not an unfinished last commit */
  uint64_t bad_at;          /* where it is */
  uint64_t bad_entry;       /* the entry's number as users see it (markers not counted) */
  int bad_marker;           /* the damaged entry is a commit marker */
  const char *why;
  int policy_changed;       /* a committed policy_changed annotation names the policy now */
  char policy_hash[65];     /* ... its hash (hex) */
  char policy_name[256];    /* ... and name */
} cpw__jscan;

int cpw__journal_scan(cpw_ctx *ctx, const cpw__io *io, int fd, uint64_t size,
                      uint64_t header_len, const uint8_t chain0[32], cpw__jscan *res);
/* the CPW_ECORRUPT error for a damaged scan, naming the entry and its offset */
int cpw__journal_damage_error(cpw_ctx *ctx, const char *path, const cpw__jscan *s,
                              const char *then);

/* ------------------------------------------------------------------ placements.c: the codec */

/* The placement events of the journal, from the codec table: how many, the name and field
 * count of event i, and the name and type name of its field k (NULL past the end). For the
 * test that docs/journal-format.md lists the same. */
size_t cpw__journal_placement_events(void);
const char *cpw__journal_placement_event(size_t i, size_t *nfields);
const char *cpw__journal_placement_field(size_t i, size_t k, const char **type);

/* ------------------------------------------------------------------ journal.c: the handle */

int cpw__journal_open_io(cpw_journal **out, cpw_ctx *ctx, const char *path,
                         const cpw_policy *policy, const cpw_journal_options *opts,
                         const cpw__io *io);
int cpw__journal_verify_io(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info,
                           const cpw__io *io);
int cpw__journal_check_io(cpw_ctx *ctx, const char *path, cpw_journal_status *st,
                          const cpw__io *io);
int cpw__journal_repair_io(cpw_ctx *ctx, const char *path, const char *aside,
                           cpw_journal_status *st, const cpw__io *io);

/* Encode an entry at the end of b, chaining from *chain (updated). */
int cpw__journal_encode(cpw__buf *b, cpw_ctx *ctx, const cpw_journal_entry *e, uint64_t seq,
                        uint8_t chain[32]);

/* Append an encoded entry under the lock, committing it when the options say so. The caller
 * holds j->lock. */
int cpw__journal_append_locked(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e);
/* cpw_journal_append of any kind, without the checks a case or placement entry gets from the
 * engines (the library's own callers and tests of the byte layout only) */
int cpw__journal_append(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e);
int cpw__journal_commit_locked(cpw_journal *j, cpw_ctx *ctx);
/* Take back the last pending entry (after a failed commit of a single entry). */
void cpw__journal_drop_last(cpw_journal *j, size_t len_before, const uint8_t chain_before[32]);

#endif
