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
#define CPW__J_MAX_BODY (1u << 20)
#define CPW__J_MIN_BODY 32u            /* kind, flags, seq, time, 4 empty strings, 0 fields */
#define CPW__J_COMMIT_BODY (CPW__J_MIN_BODY + 24u)
#define CPW__J_TRAILER (4u + 32u)      /* CRC32C + chain value */

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
};

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
  uint64_t seq;                /* the number the next entry must have */
  int sealed;                  /* the last entry read had a valid CRC and chain value */
  cpw_field_value *fields;
  size_t fields_cap;
} cpw__jreader;

int cpw__journal_open_io(cpw_journal **out, cpw_ctx *ctx, const char *path,
                         const cpw_policy *policy, const cpw_journal_options *opts,
                         const cpw__io *io);
int cpw__journal_verify_io(cpw_ctx *ctx, const char *path, cpw_journal_recovery *info,
                           const cpw__io *io);

/* Encode an entry at the end of b, chaining from *chain (updated). */
int cpw__journal_encode(cpw__buf *b, cpw_ctx *ctx, const cpw_journal_entry *e, uint64_t seq,
                        uint8_t chain[32]);

/* Append an encoded entry under the lock, committing it when the options say so. The caller
 * holds j->lock. */
int cpw__journal_append_locked(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e);
int cpw__journal_commit_locked(cpw_journal *j, cpw_ctx *ctx);
/* Take back the last pending entry (after a failed commit of a single entry). */
void cpw__journal_drop_last(cpw_journal *j, size_t len_before, const uint8_t chain_before[32]);

#endif
