/* SPDX-License-Identifier: Apache-2.0 */
/* journal/io.c: the POSIX implementation of the journal's file interface. */
#define _DEFAULT_SOURCE 1 /* flock() */
#include "journal/io.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int p_open(const cpw__io *io, const char *path, int create, int readonly, int *fd,
                  int *created)
{
  int f, e = 0;
  struct stat st;
  (void)io;
  *created = 0;
  /* O_NONBLOCK: a FIFO at `path` must not block the open (it changes nothing for the regular
   * files a journal is made of: anything else is refused below) */
  do
    f = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK);
  while (f < 0 && errno == EINTR);
  if (f < 0 && errno == ENOENT && create && !readonly) {
    do
      f = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    while (f < 0 && errno == EINTR);
    if (f >= 0)
      *created = 1;
  }
  if (f < 0)
    return errno;
  if (fstat(f, &st) != 0)
    e = errno;
  else if (!S_ISREG(st.st_mode))
    e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
  if (e != 0) {
    close(f);
    return e;
  }
  *fd = f;
  return 0;
}

static int p_lock(const cpw__io *io, int fd)
{
  (void)io;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR)
      continue;
    return errno == EWOULDBLOCK ? EWOULDBLOCK : errno;
  }
  return 0;
}

static int p_read(const cpw__io *io, int fd, void *buf, size_t len, uint64_t off, size_t *got)
{
  size_t done = 0;
  (void)io;
  while (done < len) {
    ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    if (n == 0)
      break;
    done += (size_t)n;
  }
  *got = done;
  return 0;
}

static int p_write(const cpw__io *io, int fd, const void *buf, size_t len, uint64_t off)
{
  size_t done = 0;
  (void)io;
  while (done < len) {
    ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    if (n == 0)
      return EIO;
    done += (size_t)n;
  }
  return 0;
}

/* Make the file's data and size durable. fdatasync does that without flushing times (POSIX:
 * "metadata needed for a subsequent data retrieval", the size included, is flushed), which
 * saves a metadata write per commit; fsync where there is no fdatasync. */
static int p_sync(const cpw__io *io, int fd)
{
  (void)io;
#if defined(__linux__) || (defined(_POSIX_SYNCHRONIZED_IO) && _POSIX_SYNCHRONIZED_IO > 0)
  while (fdatasync(fd) != 0) {
#else
  while (fsync(fd) != 0) {
#endif
    if (errno != EINTR)
      return errno;
  }
  return 0;
}

static int p_truncate(const cpw__io *io, int fd, uint64_t size)
{
  (void)io;
  while (ftruncate(fd, (off_t)size) != 0) {
    if (errno != EINTR)
      return errno;
  }
  return 0;
}

static int p_size(const cpw__io *io, int fd, uint64_t *size)
{
  struct stat st;
  (void)io;
  if (fstat(fd, &st) != 0)
    return errno;
  *size = (uint64_t)st.st_size;
  return 0;
}

static int p_sync_dir(const cpw__io *io, const char *path)
{
  char dir[4096];
  const char *slash = strrchr(path, '/');
  size_t n;
  int fd, rc = 0;
  (void)io;
  if (slash == NULL) {
    dir[0] = '.';
    dir[1] = '\0';
  } else {
    n = (size_t)(slash - path);
    if (n == 0)
      n = 1; /* "/file" */
    if (n >= sizeof dir)
      return ENAMETOOLONG;
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  fd = open(dir, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  if (fsync(fd) != 0 && errno != EINVAL)
    rc = errno; /* some file systems cannot fsync a directory: EINVAL is fine */
  close(fd);
  return rc;
}

static void p_close(const cpw__io *io, int fd)
{
  (void)io;
  close(fd);
}

const cpw__io cpw__posix_io = {
  p_open, p_lock, p_read, p_write, p_sync, p_truncate, p_size, p_sync_dir, p_close, NULL,
};
