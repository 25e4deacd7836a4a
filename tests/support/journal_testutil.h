/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/journal_testutil.h: helpers shared by the journal tests (header only, every
 * function static and possibly unused):
 *
 * - a temporary directory (mkdtemp under $TMPDIR, or /dev/shm when asked, else /tmp) and its
 *   removal, and small whole-file helpers;
 * - a deterministic workload of Georgia's referral workflow: cases opened and events applied
 *   (mostly allowed ones, some refused), generated once against a plain caseload so that every
 *   run knows which operations become journal entries;
 * - comparison of two caseloads case by case (id, state, times, event count, every field, every
 *   deadline);
 * - a cpw__io wrapping the POSIX one that fails, short-writes or "crashes" at the k-th write or
 *   fsync (counted together, sync_dir included).
 *
 * Needs _POSIX_C_SOURCE >= 200809L (mkdtemp) and lib/ on the include path. */
#ifndef CPW_JOURNAL_TESTUTIL_H
#define CPW_JOURNAL_TESTUTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpw.h"
#include "journal/io.h"

#if defined(__GNUC__)
#  define JT_UNUSED __attribute__((unused))
#else
#  define JT_UNUSED
#endif

/* ------------------------------------------------------------------ files */

/* Create a fresh directory; prefer_shm: under /dev/shm when it exists (tmpfs: fast fsync). */
JT_UNUSED static int jt_tmpdir(char *out, size_t size, int prefer_shm)
{
  const char *base = getenv("TMPDIR");
  struct stat st;
  if (prefer_shm && stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
      access("/dev/shm", W_OK) == 0)
    base = "/dev/shm";
  if (base == NULL || base[0] == '\0')
    base = "/tmp";
  if ((size_t)snprintf(out, size, "%s/cpw-jtest-XXXXXX", base) >= size)
    return -1;
  return mkdtemp(out) != NULL ? 0 : -1;
}

/* Remove a directory made by jt_tmpdir and the plain files in it. */
JT_UNUSED static int jt_rmdir(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  char p[1024];
  if (d == NULL)
    return -1;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
    unlink(p);
  }
  closedir(d);
  return rmdir(dir);
}

/* Read a whole file into a malloc'ed buffer (NULL on failure). */
JT_UNUSED static unsigned char *jt_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (f == NULL)
    return NULL;
  do {
    if (n == cap) {
      unsigned char *nb;
      cap = cap ? cap * 2 : 65536;
      nb = realloc(buf, cap);
      if (nb == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *len = n;
  return buf;
}

JT_UNUSED static int jt_write_file(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  int ok;
  if (f == NULL)
    return -1;
  ok = fwrite(data, 1, len, f) == len;
  ok = fclose(f) == 0 && ok;
  return ok ? 0 : -1;
}

JT_UNUSED static long jt_file_size(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Give the journal at `path` an unfinished last commit of `nbytes` bytes, as a crash during a
 * commit write leaves it: commit one more entry (an annotation), then cut the file back to
 * `nbytes` bytes of that commit. 0, or -1 when something failed. */
JT_UNUSED static int jt_add_torn_tail(const char *path, cpw_ctx *ctx, const cpw_policy *pol,
                                      size_t nbytes)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j;
  cpw_journal_entry e;
  cpw_field_value fv[1] = { { "note", "written when the power went" } };
  long before = jt_file_size(path);
  int rc;
  if (before < 0 || cpw_journal_open(&j, ctx, path, pol, &o) != CPW_OK)
    return -1;
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.at = 1767250800;
  e.actor = "u-crash";
  e.role = "test";
  e.subject = "-";
  e.name = "note";
  e.fields = fv;
  e.nfields = 1;
  rc = cpw_journal_append(j, ctx, &e);
  cpw_journal_close(j);
  if (rc != CPW_OK || jt_file_size(path) < before + (long)nbytes)
    return -1;
  return truncate(path, (off_t)before + (off_t)nbytes) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ the referral workload */

typedef struct jt_op {
  int open;                 /* 1: open the case; 0: apply an event */
  unsigned case_no;
  const char *event;        /* the event (or "referral" for an opening) */
  const char *role;
  cpw_time at;
  cpw_field_value fields[2];
  size_t nfields;
  int accepted;             /* 1 when it becomes a journal entry */
} jt_op;

typedef struct jt_workload {
  jt_op *ops;
  size_t nops;
  size_t entries;           /* accepted operations (journal entries) */
  size_t refused;
  unsigned ncases;
  char (*ids)[16];          /* case ids by case_no */
} jt_workload;

JT_UNUSED static const char *const jt_roles[] = { "reporter", "intake_officer", "social_worker",
                                        "supervisor", "police", "court" };
JT_UNUSED static const char *const jt_events[] = {
  "register", "merge", "screen_out", "flag_urgent", "separate_child", "start_assessment",
  "assessment_done", "notify_police", "approve_plan", "start_service", "end_service",
  "begin_monitoring", "review", "close", "reopen", "deadline_missed"
};

JT_UNUSED static uint32_t jt_rand(uint32_t *s)
{
  /* xorshift32 */
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* the field values an event carries (static strings) */
JT_UNUSED static void jt_event_fields(jt_op *op, uint32_t *seed)
{
  const char *ev = op->event;
  uint32_t r = jt_rand(seed);
  op->nfields = 0;
  if (strcmp(ev, "register") == 0 || strcmp(ev, "flag_urgent") == 0) {
    op->fields[0].field = "immediate_danger";
    op->fields[0].value = (strcmp(ev, "flag_urgent") == 0 || r % 5 == 0) ? "true" : "false";
    op->nfields = 1;
  } else if (strcmp(ev, "separate_child") == 0) {
    op->fields[0].field = "court_order";
    op->fields[0].value = r % 4 == 0 ? "false" : "true";
    op->fields[1].field = "restraining_order";
    op->fields[1].value = r % 3 == 0 ? "true" : NULL; /* a missing value too */
    op->nfields = 2;
  } else if (strcmp(ev, "assessment_done") == 0) {
    op->fields[0].field = "concern_confirmed";
    op->fields[0].value = r % 4 == 0 ? "false" : "true";
    op->nfields = 1;
  } else if (strcmp(ev, "review") == 0 && r % 2 == 0) {
    op->fields[0].field = "last_review";
    op->fields[0].value = "2026-01-15";
    op->nfields = 1;
  }
}

JT_UNUSED static void jt_workload_free(jt_workload *w)
{
  free(w->ops);
  free(w->ids);
  memset(w, 0, sizeof *w);
}

/* Generate `nops` operations over at most `max_cases` cases, deciding acceptance with a plain
 * caseload of `pol`. About one operation in ten is a deliberately unlikely event (mostly
 * refused). Returns 0, or -1 when something unexpected failed. */
JT_UNUSED static int jt_workload_make(jt_workload *w, cpw_ctx *ctx, const cpw_policy *pol,
                                      size_t nops, unsigned max_cases, uint32_t seed)
{
  cpw_caseload *cl;
  cpw_time t = 1767250800; /* 2026-01-01T07:00:00Z */
  size_t i;
  memset(w, 0, sizeof *w);
  if (seed == 0)
    seed = 1;
  w->ops = calloc(nops, sizeof *w->ops);
  w->ids = calloc(max_cases, sizeof *w->ids);
  if (w->ops == NULL || w->ids == NULL || cpw_caseload_new(&cl, ctx, pol) != CPW_OK)
    return -1;
  for (i = 0; i < nops; i++) {
    jt_op *op = &w->ops[i];
    uint32_t r = jt_rand(&seed);
    int rc;
    t += 60 + (cpw_time)(jt_rand(&seed) % 7200);
    op->at = t;
    if (w->ncases < max_cases && (w->ncases == 0 || r % 6 == 0)) {
      op->open = 1;
      op->case_no = w->ncases++;
      snprintf(w->ids[op->case_no], sizeof w->ids[0], "C-%05u", op->case_no);
      op->event = "referral";
      op->role = r % 3 == 0 ? "intake_officer" : "reporter";
      if (r % 5 == 0) {
        op->fields[0].field = "immediate_danger";
        op->fields[0].value = "true";
        op->nfields = 1;
      }
      rc = cpw_caseload_open(cl, NULL, w->ids[op->case_no], "referral", op->fields,
                             op->nfields, op->at, "u-open", op->role);
    } else {
      /* mostly an event some role may fire now (of a case that is not final), else any */
      const char *pev[64], *prole[64];
      size_t n = 0, tries, ri, k;
      cpw_case *c = NULL;
      for (tries = 0; tries < 4 && n == 0; tries++) {
        op->case_no = jt_rand(&seed) % w->ncases;
        c = cpw_caseload_find(cl, w->ids[op->case_no]);
        for (ri = 0; ri < 6; ri++) {
          const char *names[16];
          size_t m = cpw_case_allowed_events(c, jt_roles[ri], names, 16);
          for (k = 0; k < m && k < 16 && n < 64; k++) {
            pev[n] = names[k];
            prole[n++] = jt_roles[ri];
          }
        }
      }
      if (n > 0 && jt_rand(&seed) % 12 != 0) {
        k = jt_rand(&seed) % n;
        /* merging ends a case for good: rarely */
        if (strcmp(pev[k], "merge") == 0 && jt_rand(&seed) % 8 != 0)
          k = (k + 1) % n;
        op->event = pev[k];
        op->role = prole[k];
      } else {
        op->event = jt_events[jt_rand(&seed) % 16];
        op->role = jt_roles[jt_rand(&seed) % 6];
      }
      jt_event_fields(op, &seed);
      rc = cpw_case_apply(c, op->event, "u-7", op->role, op->at, op->fields, op->nfields);
    }
    if (rc == CPW_OK) {
      op->accepted = 1;
      w->entries++;
    } else if (rc == CPW_EDENIED) {
      w->refused++;
    } else {
      fprintf(stderr, "jt_workload_make: op %zu (%s by %s): %s\n", i, op->event, op->role,
              cpw_ctx_last_error(ctx)->message);
      cpw_caseload_free(cl);
      return -1;
    }
  }
  w->nops = nops;
  cpw_caseload_free(cl);
  return 0;
}

/* Apply the first `entries` accepted operations to `cl` directly (no journal). */
JT_UNUSED static int jt_workload_reference(const jt_workload *w, cpw_caseload *cl,
                                           size_t entries)
{
  size_t i, done = 0;
  for (i = 0; i < w->nops && done < entries; i++) {
    const jt_op *op = &w->ops[i];
    int rc;
    if (!op->accepted)
      continue;
    if (op->open)
      rc = cpw_caseload_open(cl, NULL, w->ids[op->case_no], "referral", op->fields,
                             op->nfields, op->at, "u-open", op->role);
    else
      rc = cpw_case_apply(cpw_caseload_find(cl, w->ids[op->case_no]), op->event, "u-7",
                          op->role, op->at, op->fields, op->nfields);
    if (rc != CPW_OK)
      return rc;
    done++;
  }
  return done == entries ? CPW_OK : CPW_ERROR;
}

/* ------------------------------------------------------------------ comparing caseloads */

/* 0 when equal; otherwise 1 and why. */
JT_UNUSED static int jt_caseloads_differ(const cpw_caseload *a, const cpw_caseload *b, char *why,
                                         size_t size)
{
  size_t i, n = cpw_caseload_case_count(a);
  if (n != cpw_caseload_case_count(b)) {
    snprintf(why, size, "%zu cases against %zu", n, cpw_caseload_case_count(b));
    return 1;
  }
  for (i = 0; i < n; i++) {
    const cpw_case *x = cpw_caseload_case_at(a, i), *y = cpw_caseload_case_at(b, i);
    const cpw_workflow *wf = cpw_case_workflow(x);
    cpw_deadline dx[16], dy[16];
    size_t f, nd, k;
    if (strcmp(cpw_case_id(x), cpw_case_id(y)) != 0 || wf != cpw_case_workflow(y) ||
        strcmp(cpw_case_state(x), cpw_case_state(y)) != 0 ||
        cpw_case_state_since(x) != cpw_case_state_since(y) ||
        cpw_case_last_time(x) != cpw_case_last_time(y) ||
        cpw_case_event_count(x) != cpw_case_event_count(y)) {
      snprintf(why, size, "case %zu: %s %s since %lld, %llu events against %s %s since %lld, "
               "%llu events", i, cpw_case_id(x), cpw_case_state(x),
               (long long)cpw_case_state_since(x), (unsigned long long)cpw_case_event_count(x),
               cpw_case_id(y), cpw_case_state(y), (long long)cpw_case_state_since(y),
               (unsigned long long)cpw_case_event_count(y));
      return 1;
    }
    for (f = 0; f < cpw_workflow_field_count(wf); f++) {
      char vx[64], vy[64];
      const char *name = cpw_workflow_field(wf, f);
      int sx = cpw_case_get_string(x, name, vx, sizeof vx);
      int sy = cpw_case_get_string(y, name, vy, sizeof vy);
      if (sx != sy || strcmp(vx, vy) != 0) {
        snprintf(why, size, "case %s field %s: '%s' against '%s'", cpw_case_id(x), name, vx, vy);
        return 1;
      }
    }
    nd = cpw_case_deadlines(x, dx, 16);
    if (nd != cpw_case_deadlines(y, dy, 16)) {
      snprintf(why, size, "case %s: %zu deadlines against %zu", cpw_case_id(x), nd,
               cpw_case_deadlines(y, dy, 16));
      return 1;
    }
    for (k = 0; k < nd && k < 16; k++) {
      if (strcmp(dx[k].event, dy[k].event) != 0 || dx[k].due != dy[k].due ||
          dx[k].started != dy[k].started || strcmp(dx[k].escalation, dy[k].escalation) != 0 ||
          strcmp(dx[k].role, dy[k].role) != 0) {
        snprintf(why, size, "case %s deadline %zu: %s due %lld against %s due %lld",
                 cpw_case_id(x), k, dx[k].event, (long long)dx[k].due, dy[k].event,
                 (long long)dy[k].due);
        return 1;
      }
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ a fault-injecting io */

enum { JT_NONE = 0, JT_FAIL = 1, JT_SHORT = 2, JT_CRASH = 3 };
enum { JT_KEEP_NOTHING = 0, JT_KEEP_HALF = 1, JT_KEEP_ALL_BUT_ONE = 2, JT_KEEP_ALL = 3 };
enum { JT_OP_WRITE = 1, JT_OP_SYNC = 2, JT_OP_SYNC_DIR = 3 };

typedef struct jt_fio {
  cpw__io io;               /* io.state points back here */
  /* the plan */
  int mode;                 /* JT_NONE, JT_FAIL, JT_SHORT, JT_CRASH */
  long k;                   /* the operation (write, fsync or directory fsync, from 1) */
  int err;                  /* errno of the failure (JT_FAIL, JT_SHORT; a crash uses EIO) */
  int keep;                 /* JT_CRASH: how much of the data survives (JT_KEEP_*) */
  long fail_reads_at;       /* fail this read (from 1) with EIO; 0: never */
  /* what happened */
  long ops;                 /* writes and fsyncs so far */
  long reads;
  int last_kind;            /* JT_OP_* of the last counted operation */
  int fired;                /* the failure happened */
  int dead;                 /* after a crash: every call fails */
  int fd;                   /* the journal's file (the last one opened) */
  uint64_t synced;          /* its size at its last fsync */
  unsigned char *log;       /* if set: the JT_OP_* of each counted operation, from index 1 */
  long log_cap;
} jt_fio;

JT_UNUSED static jt_fio *jt_fio_of(const cpw__io *io) { return (jt_fio *)io->state; }

JT_UNUSED static uint64_t jt_keep(int keep, uint64_t n)
{
  switch (keep) {
  case JT_KEEP_NOTHING: return 0;
  case JT_KEEP_HALF: return n / 2;
  case JT_KEEP_ALL_BUT_ONE: return n > 0 ? n - 1 : 0;
  default: return n;
  }
}

JT_UNUSED static int jt_f_open(const cpw__io *io, const char *path, int create, int readonly, int *fd,
                     int *created)
{
  jt_fio *f = jt_fio_of(io);
  int e;
  uint64_t size = 0;
  if (f->dead)
    return EIO;
  e = cpw__posix_io.open(&cpw__posix_io, path, create, readonly, fd, created);
  if (e == 0 && !readonly) {
    f->fd = *fd;
    cpw__posix_io.size(&cpw__posix_io, *fd, &size);
    f->synced = size;
  }
  return e;
}

JT_UNUSED static int jt_f_lock(const cpw__io *io, int fd)
{
  if (jt_fio_of(io)->dead)
    return EIO;
  return cpw__posix_io.lock(&cpw__posix_io, fd);
}

JT_UNUSED static int jt_f_read(const cpw__io *io, int fd, void *buf, size_t len, uint64_t off, size_t *got)
{
  jt_fio *f = jt_fio_of(io);
  if (f->dead)
    return EIO;
  f->reads++;
  if (f->fail_reads_at > 0 && f->reads == f->fail_reads_at) {
    f->fired = 1;
    return EIO;
  }
  return cpw__posix_io.read(&cpw__posix_io, fd, buf, len, off, got);
}

/* is this operation the planned one? counts it */
JT_UNUSED static int jt_hit(jt_fio *f, int kind)
{
  f->ops++;
  f->last_kind = kind;
  if (f->log != NULL && f->ops < f->log_cap)
    f->log[f->ops] = (unsigned char)kind;
  return f->mode != JT_NONE && !f->fired && f->ops == f->k;
}

JT_UNUSED static int jt_f_write(const cpw__io *io, int fd, const void *buf, size_t len, uint64_t off)
{
  jt_fio *f = jt_fio_of(io);
  int e;
  if (f->dead)
    return EIO;
  if (!jt_hit(f, JT_OP_WRITE))
    return cpw__posix_io.write(&cpw__posix_io, fd, buf, len, off);
  f->fired = 1;
  switch (f->mode) {
  case JT_FAIL:
    return f->err;
  case JT_SHORT:
    e = cpw__posix_io.write(&cpw__posix_io, fd, buf, len / 2, off);
    return e != 0 ? e : f->err;
  default: /* JT_CRASH */
    {
      uint64_t n = jt_keep(f->keep, len);
      if (n > 0)
        cpw__posix_io.write(&cpw__posix_io, fd, buf, (size_t)n, off);
      f->dead = 1;
      return EIO;
    }
  }
}

JT_UNUSED static int jt_f_sync(const cpw__io *io, int fd)
{
  jt_fio *f = jt_fio_of(io);
  uint64_t size = 0;
  int e;
  if (f->dead)
    return EIO;
  if (!jt_hit(f, JT_OP_SYNC)) {
    e = cpw__posix_io.sync(&cpw__posix_io, fd);
    if (e == 0 && fd == f->fd && cpw__posix_io.size(&cpw__posix_io, fd, &size) == 0)
      f->synced = size;
    return e;
  }
  f->fired = 1;
  if (f->mode != JT_CRASH)
    return f->err;
  /* the machine dies: of the bytes written since the last fsync, only a prefix survives */
  if (fd == f->fd && cpw__posix_io.size(&cpw__posix_io, fd, &size) == 0 && size > f->synced)
    cpw__posix_io.truncate(&cpw__posix_io, fd, f->synced + jt_keep(f->keep, size - f->synced));
  f->dead = 1;
  return EIO;
}

JT_UNUSED static int jt_f_truncate(const cpw__io *io, int fd, uint64_t size)
{
  jt_fio *f = jt_fio_of(io);
  if (f->dead)
    return EIO;
  return cpw__posix_io.truncate(&cpw__posix_io, fd, size);
}

JT_UNUSED static int jt_f_size(const cpw__io *io, int fd, uint64_t *size)
{
  if (jt_fio_of(io)->dead)
    return EIO;
  return cpw__posix_io.size(&cpw__posix_io, fd, size);
}

JT_UNUSED static int jt_f_sync_dir(const cpw__io *io, const char *path)
{
  jt_fio *f = jt_fio_of(io);
  if (f->dead)
    return EIO;
  if (!jt_hit(f, JT_OP_SYNC_DIR))
    return cpw__posix_io.sync_dir(&cpw__posix_io, path);
  f->fired = 1;
  if (f->mode == JT_CRASH)
    f->dead = 1;
  return f->mode == JT_CRASH ? EIO : f->err;
}

JT_UNUSED static void jt_f_close(const cpw__io *io, int fd)
{
  (void)io;
  cpw__posix_io.close(&cpw__posix_io, fd); /* a dying process closes its files too */
}

/* Set up `f` with a plan: mode JT_NONE counts only. */
JT_UNUSED static void jt_fio_init(jt_fio *f, int mode, long k, int err, int keep)
{
  memset(f, 0, sizeof *f);
  f->io.open = jt_f_open;
  f->io.lock = jt_f_lock;
  f->io.read = jt_f_read;
  f->io.write = jt_f_write;
  f->io.sync = jt_f_sync;
  f->io.truncate = jt_f_truncate;
  f->io.size = jt_f_size;
  f->io.sync_dir = jt_f_sync_dir;
  f->io.close = jt_f_close;
  f->io.state = f;
  f->mode = mode;
  f->k = k;
  f->err = err;
  f->keep = keep;
  f->fd = -1;
}

#endif
