/* SPDX-License-Identifier: Apache-2.0 */
/* journal/io.h: the small file interface every journal I/O goes through, so that tests can
 * fail, shorten or "crash" the k-th write or fsync. Functions return 0 or an errno value. */
#ifndef CPW_JOURNAL_IO_H
#define CPW_JOURNAL_IO_H

#include <stddef.h>
#include <stdint.h>

typedef struct cpw__io cpw__io;
struct cpw__io {
  /* open `path` read-write (or read-only); create it when asked (mode 0600) and say so */
  int (*open)(const cpw__io *io, const char *path, int create, int readonly, int *fd,
              int *created);
  /* take an exclusive, non-blocking advisory lock: EWOULDBLOCK when someone holds it */
  int (*lock)(const cpw__io *io, int fd);
  /* read up to len bytes at off; *got < len only at the end of the file */
  int (*read)(const cpw__io *io, int fd, void *buf, size_t len, uint64_t off, size_t *got);
  /* write all len bytes at off */
  int (*write)(const cpw__io *io, int fd, const void *buf, size_t len, uint64_t off);
  /* make the data and the size durable (fdatasync, or fsync) */
  int (*sync)(const cpw__io *io, int fd);
  int (*truncate)(const cpw__io *io, int fd, uint64_t size);
  int (*size)(const cpw__io *io, int fd, uint64_t *size);
  /* fsync the directory that holds path (after creating a file) */
  int (*sync_dir)(const cpw__io *io, const char *path);
  void (*close)(const cpw__io *io, int fd);
  void *state;          /* for test implementations */
};

/* The real thing: POSIX open/flock/pread/pwrite/fdatasync/ftruncate/fstat. */
extern const cpw__io cpw__posix_io;

#endif
