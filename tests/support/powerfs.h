/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/powerfs.h: a power-cut simulator for the journal, after SQLite's crash-test
 * file system (src/test6.c): a cpw__io that passes every call to the POSIX one (so reads see
 * what the page cache would) and remembers, for the journal's file, what is durable (its bytes
 * as of the last fsync) and what was written or truncated since. At any sync point it can
 * build the file as a power cut there would leave it:
 *
 * - the writes since the last fsync are lost, or kept in part at the granularity of 512-byte
 *   sectors, in any order (each sector of each write kept or lost on its own);
 * - the file's size is the durable one (its growth was not persisted), the new one (lost
 *   sectors read as zeros), or the end of the last kept sector;
 * - a truncation since the last fsync is kept or lost.
 *
 * Header only, static functions; needs lib/ on the include path. One journal file at a time
 * (the last one opened for writing). */
#ifndef CPW_POWERFS_H
#define CPW_POWERFS_H

#include <stdlib.h>
#include <string.h>

#include "journal/io.h"

#if defined(__GNUC__)
#  define PF_UNUSED __attribute__((unused))
#else
#  define PF_UNUSED
#endif

#define PF_SECTOR 512u

typedef struct pf_op {
  int truncate;            /* 1: a truncation to `off` */
  uint64_t off;
  size_t len;
  unsigned char *data;     /* a copy of what was written */
} pf_op;

typedef struct powerfs powerfs;
struct powerfs {
  cpw__io io;              /* io.state points back here */
  int fd;                  /* the journal's file, -1 before it is opened */
  unsigned char *durable;  /* its bytes as of the last fsync */
  size_t durable_len, durable_cap;
  pf_op *ops;              /* what happened since */
  size_t nops, ops_cap;
  long syncs;              /* sync points so far (fsync of the file or of its directory) */
  /* called at every sync point, before the sync is done: the test builds power-cut images */
  void (*at_sync)(powerfs *pf, void *payload);
  void *payload;
  int oom;                 /* a malloc of the simulator failed: the test must fail */
};

PF_UNUSED static powerfs *pf_of(const cpw__io *io) { return (powerfs *)io->state; }

PF_UNUSED static int pf_reserve(unsigned char **buf, size_t *cap, size_t need)
{
  if (need > *cap) {
    size_t ncap = *cap ? *cap : 4096;
    unsigned char *nb;
    while (ncap < need)
      ncap *= 2;
    nb = realloc(*buf, ncap);
    if (nb == NULL)
      return -1;
    *buf = nb;
    *cap = ncap;
  }
  return 0;
}

PF_UNUSED static void pf_clear_ops(powerfs *pf)
{
  size_t i;
  for (i = 0; i < pf->nops; i++)
    free(pf->ops[i].data);
  pf->nops = 0;
}

PF_UNUSED static void pf_add_op(powerfs *pf, int truncate, uint64_t off, const void *data,
                                size_t len)
{
  pf_op *op;
  if (pf->nops == pf->ops_cap) {
    size_t ncap = pf->ops_cap ? pf->ops_cap * 2 : 8;
    pf_op *n = realloc(pf->ops, ncap * sizeof *n);
    if (n == NULL) {
      pf->oom = 1;
      return;
    }
    pf->ops = n;
    pf->ops_cap = ncap;
  }
  op = &pf->ops[pf->nops];
  op->truncate = truncate;
  op->off = off;
  op->len = len;
  op->data = NULL;
  if (len > 0) {
    op->data = malloc(len);
    if (op->data == NULL) {
      pf->oom = 1;
      return;
    }
    memcpy(op->data, data, len);
  }
  pf->nops++;
}

/* apply op to (buf, len): a write at full, or only the sectors `keep` says (NULL: all) */
PF_UNUSED static int pf_apply(unsigned char **buf, size_t *len, size_t *cap, const pf_op *op,
                              const unsigned char *keep_sector)
{
  if (op->truncate) {
    if (op->off > *len) {
      if (pf_reserve(buf, cap, (size_t)op->off) != 0)
        return -1;
      memset(*buf + *len, 0, (size_t)op->off - *len);
    }
    *len = (size_t)op->off;
    return 0;
  }
  {
    uint64_t s, end = op->off + op->len;
    size_t k = 0;
    for (s = op->off - op->off % PF_SECTOR; s < end; s += PF_SECTOR, k++) {
      uint64_t a = s < op->off ? op->off : s, b = s + PF_SECTOR < end ? s + PF_SECTOR : end;
      if (keep_sector != NULL && !keep_sector[k])
        continue;
      if (b > *len) {
        if (pf_reserve(buf, cap, (size_t)b) != 0)
          return -1;
        memset(*buf + *len, 0, (size_t)b - *len);
        *len = (size_t)b;
      }
      memcpy(*buf + a, op->data + (a - op->off), (size_t)(b - a));
    }
  }
  return 0;
}

/* the number of sectors a write touches */
PF_UNUSED static size_t pf_sectors(const pf_op *op)
{
  uint64_t first = op->off / PF_SECTOR, last = (op->off + op->len + PF_SECTOR - 1) / PF_SECTOR;
  return op->len == 0 ? 0 : (size_t)(last - first);
}

PF_UNUSED static uint32_t pf_rand(uint32_t *s)
{
  uint32_t x = *s ? *s : 1;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* The ways a power cut leaves the pending writes. */
enum {
  PF_LOSE_ALL = 0,      /* nothing since the last fsync */
  PF_KEEP_ALL,          /* everything (the cut came after the data, before the sync returned) */
  PF_PREFIX,            /* the first sectors, in order */
  PF_RANDOM_NEW_SIZE,   /* any sectors; the size grew (lost sectors are zeros) */
  PF_RANDOM_OLD_SIZE,   /* any sectors; the size did not grow */
  PF_RANDOM_KEPT_SIZE,  /* any sectors; the size up to the last kept one */
  PF_NMODES
};

/* Build the file a power cut now would leave, in mode `mode` with random choices from *seed:
 * a malloc'ed buffer (*len bytes), or NULL when out of memory. */
PF_UNUSED static unsigned char *pf_image(const powerfs *pf, int mode, uint32_t *seed, size_t *len)
{
  unsigned char *img = NULL, *keep = NULL;
  size_t n = pf->durable_len, cap = 0, i, k, grown = pf->durable_len, kept_end = pf->durable_len;
  size_t keep_cap = 0;
  int prefix_on = 1;
  if (pf_reserve(&img, &cap, n + 1) != 0)
    return NULL;
  memcpy(img, pf->durable, n);
  for (i = 0; i < pf->nops; i++) {
    const pf_op *op = &pf->ops[i];
    size_t ns = pf_sectors(op);
    if (op->truncate) {
      if (mode != PF_LOSE_ALL && (mode == PF_KEEP_ALL || (pf_rand(seed) & 1)) &&
          pf_apply(&img, &n, &cap, op, NULL) != 0)
        goto oom;
      if (op->off < grown)
        grown = (size_t)op->off;
      continue;
    }
    if (ns > keep_cap) {
      unsigned char *nk = realloc(keep, ns);
      if (nk == NULL)
        goto oom;
      keep = nk;
      keep_cap = ns;
    }
    for (k = 0; k < ns; k++) {
      switch (mode) {
      case PF_LOSE_ALL: keep[k] = 0; break;
      case PF_KEEP_ALL: keep[k] = 1; break;
      case PF_PREFIX:
        if (prefix_on && pf_rand(seed) % 4 == 0)
          prefix_on = 0;
        keep[k] = (unsigned char)prefix_on;
        break;
      default: keep[k] = (unsigned char)(pf_rand(seed) & 1); break;
      }
    }
    if (pf_apply(&img, &n, &cap, op, keep) != 0)
      goto oom;
    if (op->off + op->len > grown)
      grown = (size_t)(op->off + op->len);
    for (k = 0; k < ns; k++) {
      uint64_t s = (op->off / PF_SECTOR + k) * PF_SECTOR;
      uint64_t e = s + PF_SECTOR < op->off + op->len ? s + PF_SECTOR : op->off + op->len;
      if (keep[k] && e > kept_end)
        kept_end = (size_t)e;
    }
  }
  {
    size_t want = n;
    switch (mode) {
    case PF_LOSE_ALL: want = pf->durable_len; break;
    case PF_RANDOM_NEW_SIZE: want = grown; break;
    case PF_RANDOM_OLD_SIZE: want = pf->durable_len; break;
    case PF_PREFIX:
    case PF_RANDOM_KEPT_SIZE: want = kept_end; break;
    default: want = n; break;
    }
    if (want > n) {
      if (pf_reserve(&img, &cap, want) != 0)
        goto oom;
      memset(img + n, 0, want - n);
    }
    n = want;
  }
  free(keep);
  *len = n;
  return img;
oom:
  free(keep);
  free(img);
  return NULL;
}

/* ------------------------------------------------------------------ the io */

PF_UNUSED static int pf_open(const cpw__io *io, const char *path, int create, int readonly,
                             int *fd, int *created)
{
  powerfs *pf = pf_of(io);
  int e = cpw__posix_io.open(&cpw__posix_io, path, create, readonly, fd, created);
  if (e == 0 && !readonly) {
    uint64_t size = 0;
    size_t got = 0;
    pf->fd = *fd;
    pf_clear_ops(pf);
    /* what is on disk now is durable */
    if (cpw__posix_io.size(&cpw__posix_io, *fd, &size) != 0 ||
        pf_reserve(&pf->durable, &pf->durable_cap, (size_t)size + 1) != 0 ||
        cpw__posix_io.read(&cpw__posix_io, *fd, pf->durable, (size_t)size, 0, &got) != 0)
      pf->oom = 1;
    pf->durable_len = got;
  }
  return e;
}

PF_UNUSED static int pf_lock(const cpw__io *io, int fd)
{
  (void)io;
  return cpw__posix_io.lock(&cpw__posix_io, fd);
}

PF_UNUSED static int pf_read(const cpw__io *io, int fd, void *buf, size_t len, uint64_t off,
                             size_t *got)
{
  (void)io;
  return cpw__posix_io.read(&cpw__posix_io, fd, buf, len, off, got);
}

PF_UNUSED static int pf_write(const cpw__io *io, int fd, const void *buf, size_t len,
                              uint64_t off)
{
  powerfs *pf = pf_of(io);
  int e = cpw__posix_io.write(&cpw__posix_io, fd, buf, len, off);
  if (e == 0 && fd == pf->fd)
    pf_add_op(pf, 0, off, buf, len);
  return e;
}

PF_UNUSED static int pf_truncate(const cpw__io *io, int fd, uint64_t size)
{
  powerfs *pf = pf_of(io);
  int e = cpw__posix_io.truncate(&cpw__posix_io, fd, size);
  if (e == 0 && fd == pf->fd)
    pf_add_op(pf, 1, size, NULL, 0);
  return e;
}

PF_UNUSED static int pf_sync(const cpw__io *io, int fd)
{
  powerfs *pf = pf_of(io);
  int e;
  size_t i;
  if (fd != pf->fd)
    return cpw__posix_io.sync(&cpw__posix_io, fd);
  pf->syncs++;
  if (pf->at_sync != NULL)
    pf->at_sync(pf, pf->payload);
  e = cpw__posix_io.sync(&cpw__posix_io, fd);
  if (e == 0) {
    for (i = 0; i < pf->nops; i++)
      if (pf_apply(&pf->durable, &pf->durable_len, &pf->durable_cap, &pf->ops[i], NULL) != 0)
        pf->oom = 1;
    pf_clear_ops(pf);
  }
  return e;
}

PF_UNUSED static int pf_size(const cpw__io *io, int fd, uint64_t *size)
{
  (void)io;
  return cpw__posix_io.size(&cpw__posix_io, fd, size);
}

PF_UNUSED static int pf_sync_dir(const cpw__io *io, const char *path)
{
  powerfs *pf = pf_of(io);
  pf->syncs++;
  if (pf->at_sync != NULL)
    pf->at_sync(pf, pf->payload);
  return cpw__posix_io.sync_dir(&cpw__posix_io, path);
}

PF_UNUSED static void pf_close(const cpw__io *io, int fd)
{
  powerfs *pf = pf_of(io);
  if (fd == pf->fd)
    pf->fd = -1;
  cpw__posix_io.close(&cpw__posix_io, fd);
}

PF_UNUSED static void pf_init(powerfs *pf, void (*at_sync)(powerfs *, void *), void *payload)
{
  memset(pf, 0, sizeof *pf);
  pf->io.open = pf_open;
  pf->io.lock = pf_lock;
  pf->io.read = pf_read;
  pf->io.write = pf_write;
  pf->io.sync = pf_sync;
  pf->io.truncate = pf_truncate;
  pf->io.size = pf_size;
  pf->io.sync_dir = pf_sync_dir;
  pf->io.close = pf_close;
  pf->io.state = pf;
  pf->fd = -1;
  pf->at_sync = at_sync;
  pf->payload = payload;
}

PF_UNUSED static void pf_free(powerfs *pf)
{
  pf_clear_ops(pf);
  free(pf->ops);
  free(pf->durable);
  pf->ops = NULL;
  pf->durable = NULL;
}

#endif
