/* See readfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"

int read_file(const char *path, size_t max, int missing_ok, uint8_t **buf, size_t *len,
	      struct errbuf *e)
{
	struct stat st;
	uint8_t *p = NULL;
	size_t n = 0;
	int fd, r = -1;

	*buf = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return 1;
		return errf(e, "cannot open: %s", strerror(errno));
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		errf(e, "cannot read: %s", S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		errf(e, "file is larger than the %zu-byte limit", max);
		goto out;
	}
	/* Regular files: exactly their size (plus one byte to notice growth). */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size : max;
	p = malloc(cap + 1);
	if (!p) {
		errf(e, "out of memory");
		goto out;
	}
	/* Read one byte past the limit to notice files that grew. */
	for (;;) {
		ssize_t k = read(fd, p + n, cap + 1 - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			errf(e, "read error: %s", strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n > cap) {
			if (n > max)
				errf(e, "file is larger than the %zu-byte limit", max);
			else
				errf(e, "file grew while being read");
			goto out;
		}
	}
	p[n] = 0;
	*buf = p;
	*len = n;
	p = NULL;
	r = 0;
out:
	free(p);
	close(fd);
	return r;
}
