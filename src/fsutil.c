/* See fsutil.h. */
#define _GNU_SOURCE /* syncfs */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	/* FAT, our data partition's file system, does not write a rename
	 * out on a directory fsync: flush the whole file system. */
	r = fsync(fd);
	if (r == 0)
		r = syncfs(fd);
	close(fd);
	return r;
}

int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0; /* a short write, not an error code */
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int atomic_write_file(const char *path, const void *data, size_t len, int mode, struct errbuf *e)
{
	char tmp[4096], dir[4096];
	char *slash;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return errf(e, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return errf(e, "%s: %s", tmp, strerror(errno));
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int err = errno;

		close(fd);
		unlink(tmp);
		return errf(e, "%s: %s", tmp, strerror(err));
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int err = errno;

		unlink(tmp);
		return errf(e, "%s: %s", path, strerror(err));
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = 0;
		if (fsync_dir(*dir ? dir : "/") < 0)
			return errf(e, "%s: fsync: %s", dir, strerror(errno));
	}
	return 0;
}

int mkdir_p(const char *path, struct errbuf *e)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return errf(e, "%s: path too long", path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return errf(e, "%s: %s", buf, strerror(errno));
			if (!c)
				break;
			*p = c;
		}
	}
	return 0;
}

int remove_flat_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char p[4096];

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		unlink(p);
	}
	closedir(d);
	if (rmdir(path) < 0)
		return -1;
	char parent[4096], *slash;
	snprintf(parent, sizeof(parent), "%s", path);
	if ((slash = strrchr(parent, '/')) && slash != parent) {
		*slash = 0;
		fsync_dir(parent);
	}
	return 0;
}

int mount_any(const char *dev, const char *dir, const char *fstypes, unsigned long flags,
	      struct errbuf *e)
{
	char types[128], *save = NULL;
	int err = ENODEV;

	snprintf(types, sizeof(types), "%s", fstypes);
	for (char *t = strtok_r(types, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (mount(dev, dir, t, flags, NULL) == 0)
			return 0;
		err = errno;
	}
	errf(e, "cannot mount %s (%s): %s", dev, fstypes, strerror(err));
	errno = err;
	return -1;
}
