/* See readfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw_cfg.h"
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
	/* Start from the size the file claims (pseudo-files in sysfs claim
	 * 4096 or 0), grow as needed, never past max. */
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 4096;
	if (cap > max)
		cap = max;
	p = malloc(cap + 1);
	if (!p) {
		errf(e, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t k;

		if (n == cap) {
			if (cap == max) {
				/* One more byte tells a full file from an oversized one. */
				uint8_t extra;

				k = read(fd, &extra, 1);
				if (k > 0) {
					errf(e, "file is larger than the %zu-byte limit", max);
					goto out;
				}
				break;
			}
			size_t ncap = cap * 2 > max ? max : cap * 2;
			uint8_t *np = realloc(p, ncap + 1);

			if (!np) {
				errf(e, "out of memory");
				goto out;
			}
			p = np;
			cap = ncap;
		}
		k = read(fd, p + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			errf(e, "read error: %s", strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
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

int read_board_file(const char *path, size_t max, int missing_ok, uint8_t **buf, size_t *len,
		    struct errbuf *e)
{
	size_t n = strlen(FW_CFG_PREFIX);

	if (!strncmp(path, FW_CFG_PREFIX, n))
		return fw_cfg_read(path + n, max, missing_ok, buf, len, e);
	return read_file(path, max, missing_ok, buf, len, e);
}
