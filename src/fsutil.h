/* File-system primitives that survive a power cut (skalibs style). */
#ifndef SZTP_FSUTIL_H
#define SZTP_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

/* Replace path with data: write path.tmp, fsync, rename, fsync the
 * directory. On failure path is unchanged and path.tmp removed. */
int atomic_write_file(const char *path, const void *data, size_t len, int mode, struct errbuf *e);
/* write(2) until all of data is written (EINTR retried). Returns 0, or -1
 * with errno set (errno 0: a write that made no progress). */
int write_all(int fd, const void *data, size_t len);
/* fsync a directory by path, and its whole file system (see fsutil.c). */
int fsync_dir(const char *path);
/* mkdir -p (mode 0755). */
int mkdir_p(const char *path, struct errbuf *e);
/* Remove a directory holding only plain files (one level). */
int remove_flat_dir(const char *path);
/* Mount device at dir, trying the comma-separated file system types. */
int mount_any(const char *dev, const char *dir, const char *fstypes, unsigned long flags,
	      struct errbuf *e);

#endif
