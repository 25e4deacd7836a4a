/* SPDX-License-Identifier: Apache-2.0 */
/* journal/journal.c: the journal handle: opening (with recovery), appending, group commit,
 * the commit hook, reading back. The bytes are in codec.c, what a file holds in recovery.c;
 * the layout is in docs/journal-format.md. */
#include <errno.h>
#include <stdio.h>

#include "base/utf8.h"
#include "journal/journal_int.h"

/* Is the file (size bytes, at most a header) what the creation of the header `hb` cut short
 * leaves: the beginning of it, or (after a power cut) the header with some of its 512-byte
 * sectors read back as zeros? The whole header intact is not: that is a journal. 1 yes, 0 no,
 * or a negative CPW code. */
static int torn_header(cpw_ctx *ctx, const cpw__io *io, int fd, const char *path, uint64_t size,
                       const cpw__buf *hb)
{
  unsigned char *b;
  size_t got, s, i;
  int e, torn, whole;
  if (size == 0 || size > hb->len)
    return 0;
  b = cpw__malloc(ctx, (size_t)size);
  if (b == NULL)
    return CPW_ENOMEM;
  e = io->read(io, fd, b, (size_t)size, 0, &got);
  torn = e == 0 && got == size;
  whole = torn && size == hb->len && memcmp(b, hb->data, hb->len) == 0;
  for (s = 0; torn && s < size; s += 512) {
    size_t n = size - s < 512 ? (size_t)(size - s) : 512;
    if (memcmp(b + s, (const char *)hb->data + s, n) == 0)
      continue;
    for (i = 0; i < n && b[s + i] == 0; i++)
      ;
    torn = i == n;
  }
  cpw__free(ctx, b, (size_t)size);
  if (e != 0)
    return cpw__set_os_error(ctx, e, path, "cannot read the journal header");
  return torn && !whole;
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

static void fill_rec(cpw_journal *j, const cpw__jscan *s, uint64_t size)
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
  cpw__jheader hd;
  uint8_t chain0[32];
  char cur_hash[65];
  cpw__jscan s;
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
                   CPW_JOURNAL_ALLOW_POLICY_CHANGE | CPW_JOURNAL_SALVAGE)) != 0)
      return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_open: unknown flags 0x%x", flags);
    if ((flags & CPW_JOURNAL_SALVAGE) && !(flags & CPW_JOURNAL_READONLY))
      return cpw__set_error(ctx, CPW_EINVALID, "cpw_journal_open: CPW_JOURNAL_SALVAGE is for "
                                               "readers (CPW_JOURNAL_READONLY) only");
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
    rc = cpw__journal_build_header(&hb, policy);
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
    return cpw__journal_header_error(ctx, CPW_ECORRUPT, path, "the journal is empty");
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
    rc = cpw__journal_read_header(ctx, io, j->fd, path, size, &hd, chain0);
    if (rc != CPW_OK) {
      journal_free(j);
      return rc;
    }
    j->header_len = hd.len;
    rc = cpw__journal_scan(ctx, io, j->fd, size, hd.len, chain0, &s);
    if (rc != CPW_OK) {
      journal_free(j);
      return rc;
    }
    if (s.damaged && (flags & CPW_JOURNAL_SALVAGE)) {
      /* a reader that asked for it gets the commits before the damage */
      j->rec.truncated_bytes = (int64_t)(size - s.committed_end);
      j->rec.truncated_at = (int64_t)s.committed_end;
    } else if (s.damaged) {
      rc = cpw__journal_damage_error(ctx, path, &s, "; this is damage, not an unfinished "
                                     "commit, so nothing was changed (a repair, cpw journal "
                                     "repair, cuts the file there and keeps the rest aside)");
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
    /* a reader with another policy is refused too: its replay would judge the entries by
     * other rules (CPW_JOURNAL_ALLOW_POLICY_CHANGE lets it, knowingly; nothing is written) */
    changed = policy != NULL && strcmp(cur_hash, policy->hash_hex) != 0;
    memcpy(j->policy_hash, cur_hash, sizeof j->policy_hash);
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
  if (fresh)
    memcpy(j->policy_hash, policy->hash_hex, sizeof j->policy_hash);
  if (changed && (flags & CPW_JOURNAL_READONLY))
    changed = 0; /* a reader records nothing */
  if (changed) {
    /* the policy changed: record it */
    cpw_field_value f[2];
    cpw_journal_entry note;
    memset(&note, 0, sizeof note);
    f[0].field = "policy";
    f[0].value = policy->name;
    f[1].field = "hash";
    f[1].value = policy->hash_hex;
    note.actor = CPW__SYSTEM_ACTOR; /* the library itself, on the opener's flag */
    note.role = "system";
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
    memcpy(j->policy_hash, policy->hash_hex, sizeof j->policy_hash);
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

const char *cpw_journal_policy_hash(const cpw_journal *j)
{
  return j != NULL ? j->policy_hash : NULL;
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
  rc = cpw__journal_encode_commit(&j->pending, j->next_seq, j->rec.commits + 1, j->npending, marker_at,
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
    uint64_t entries_before = j->rec.entries;
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
      cpw__jreader_init(&r, j->ctx, j->io, j->fd, start + total, start, old_chain);
      r.buf = (unsigned char *)j->pending.data;
      r.len = total;
      r.seq = first_seq;
      r.entry_no = entries_before;
      r.fields = j->hook_fields; /* reserved by the appends: no allocation here */
      r.fields_cap = j->hook_fields_cap;
      while (rc == CPW_OK) {
        st = cpw__jreader_next(&r, &ent, commit, &at, &why, &rrc);
        if (st != CPW__RD_OK || rrc != CPW_OK || ent.kind == CPW__J_KIND_COMMIT)
          break;
        if (j->hook(&ent, j->hook_payload) != 0)
          rc = cpw__set_error(ec, CPW_EUSER, "the journal hook stopped (the entries are "
                                             "committed)");
      }
      j->hook_fields = r.fields;
      j->hook_fields_cap = r.fields_cap;
      r.buf = NULL; /* the pending buffer and the fields are not the reader's */
      r.fields = NULL;
      cpw__jreader_free(&r);
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
  {
    /* every entry names who did it; case and placement entries name their case or child */
    const char *bad = cpw__id_problem(e->actor, 256);
    if (bad != NULL)
      return cpw__set_error(ec, CPW_EINVALID, "journal entry: the actor id %s (every journaled "
                            "entry names who did it: an id of 1 to 256 bytes, no control "
                            "character, no space at either end)", bad);
    if (e->kind != CPW_JOURNAL_ANNOTATION && (bad = cpw__id_problem(e->subject, 256)) != NULL)
      return cpw__set_error(ec, CPW_EINVALID, "journal entry: the %s id %s",
                            e->kind == CPW_JOURNAL_PLACEMENT ? "child or facility" : "case", bad);
  }
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

int cpw__journal_append(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e)
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

int cpw_journal_append(cpw_journal *j, cpw_ctx *ctx, const cpw_journal_entry *e)
{
  cpw_ctx *ec = ctx != NULL ? ctx : (j != NULL ? j->ctx : NULL);
  if (j == NULL || e == NULL)
    return ec != NULL ? cpw__set_error(ec, CPW_EINVALID, "cpw_journal_append: NULL argument")
                      : CPW_EINVALID;
  /* case and placement entries are written by the functions that apply them, which check
   * them as the engines do: a journal that verifies always replays */
  if (e->kind != CPW_JOURNAL_ANNOTATION)
    return cpw__set_error(ec, CPW_EINVALID,
                          "cpw_journal_append writes annotations only: case and placement "
                          "entries are written by cpw_journal_case_open, cpw_journal_case_apply "
                          "and cpw_journal_place (and the other placement functions), which "
                          "check them first");
  /* the journal's policy changes only through CPW_JOURNAL_ALLOW_POLICY_CHANGE */
  if (e->name != NULL && strcmp(e->name, "policy_changed") == 0)
    return cpw__set_error(ec, CPW_EINVALID,
                          "the topic 'policy_changed' is the journal's own: a journal's policy "
                          "changes only by opening it with CPW_JOURNAL_ALLOW_POLICY_CHANGE");
  return cpw__journal_append(j, ctx, e);
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
  cpw__jheader hd;
  int st, rc;
  if (j == NULL || fn == NULL)
    return ec != NULL ? cpw__set_error(ec, CPW_EINVALID, "cpw_journal_foreach: NULL argument")
                      : CPW_EINVALID;
  pthread_mutex_lock(&j->lock);
  end = j->committed_size;
  rc = cpw__journal_read_header(ec, j->io, j->fd, j->path, end, &hd, chain0);
  if (rc != CPW_OK) {
    pthread_mutex_unlock(&j->lock);
    return rc;
  }
  cpw__jreader_init(&r, ec, j->io, j->fd, end, hd.len, chain0);
  for (;;) {
    st = cpw__jreader_next(&r, &e, commit, &at, &why, &rc);
    if (rc != CPW_OK || st == CPW__RD_END)
      break;
    if (st != CPW__RD_OK) {
      rc = cpw__set_error_at(ec, CPW_ECORRUPT, j->path, 0, 0,
                             "journal entry %llu at offset %llu: %s (the file changed after it "
                             "was opened)", (unsigned long long)r.entry_no + 1, (unsigned long long)at,
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
  cpw__jreader_free(&r);
  pthread_mutex_unlock(&j->lock);
  return rc;
}
