/* See boot_image.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl.h>

#include "boot_image.h"
#include "hex.h"
#include "fsutil.h"

#define BLKGETSIZE64_ _IOR(0x12, 114, size_t)
#define COPY_CHUNK (64 * 1024)
#define PROGRESS_STEP (8u << 20)

int boot_image_info(const struct conveyed_info *ci, struct boot_image_info *bi, struct errbuf *e)
{
	const struct json_doc *d = &ci->doc;
	long b, v, ivs;

	memset(bi, 0, sizeof(*bi));
	b = json_get(d, ci->body, "boot-image");
	if (b < 0)
		return 0;
	bi->present = 1;
	if ((v = json_get(d, (size_t)b, "os-name")) >= 0 && json_str(d, (size_t)v, bi->os_name, sizeof(bi->os_name)) < 0)
		return errf(e, "boot-image: os-name too long");
	if ((v = json_get(d, (size_t)b, "os-version")) >= 0 &&
	    json_str(d, (size_t)v, bi->os_version, sizeof(bi->os_version)) < 0)
		return errf(e, "boot-image: os-version too long");
	ivs = json_get(d, (size_t)b, "image-verification");
	for (long i = ivs >= 0 ? json_child(d, (size_t)ivs) : -1; i >= 0 && (size_t)i < d->tok[ivs].next;
	     i = d->tok[i].next) {
		char hex[100];
		long h = json_get(d, (size_t)i, "hash-value");

		/* conveyed_info_parse checked: sha-256, 32 octets "xx:xx:..". */
		if (h < 0 || json_str(d, (size_t)h, hex, sizeof(hex)) != 95)
			return errf(e, "boot-image: bad hash-value");
		for (int k = 0; k < 32; k++)
			bi->sha256[k] = (uint8_t)(hex_digit(hex[3 * k]) << 4 | hex_digit(hex[3 * k + 1]));
		bi->has_hash = 1;
	}
	return 0;
}

static void hex32(const uint8_t *h, char *out)
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

int boot_image_stream(int src, const char *slot_dev, uint64_t total, uint8_t sha256[32],
		      struct errbuf *e)
{
	static uint8_t buf[COPY_CHUNK];
	br_sha256_context sc;
	uint64_t done = 0, next_report = PROGRESS_STEP, cap = 0;
	struct stat st;
	int fd, r = -1;

	fd = open(slot_dev, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "%s: %s", slot_dev, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64_, &cap) == 0 &&
	    total > cap) {
		errf(e, "boot image (%llu bytes) is larger than slot %s (%llu bytes)",
		     (unsigned long long)total, slot_dev, (unsigned long long)cap);
		goto out;
	}
	br_sha256_init(&sc);
	for (;;) {
		ssize_t n = read(src, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errf(e, "boot image read error: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (cap && done + (uint64_t)n > cap) {
			errf(e, "boot image is larger than slot %s", slot_dev);
			goto out;
		}
		br_sha256_update(&sc, buf, (size_t)n);
		if (write_all(fd, buf, (size_t)n) < 0) {
			errf(e, "%s: write error: %s", slot_dev, errno ? strerror(errno) : "short write");
			goto out;
		}
		done += (uint64_t)n;
		if (done >= next_report) {
			sztp_log("boot image: %llu of %llu MiB written to %s", (unsigned long long)(done >> 20),
				 (unsigned long long)(total >> 20), slot_dev);
			next_report += PROGRESS_STEP;
		}
	}
	if (fsync(fd) < 0) {
		errf(e, "%s: fsync: %s", slot_dev, strerror(errno));
		goto out;
	}
	br_sha256_out(&sc, sha256);
	sztp_log("boot image: %llu bytes written to %s and synced", (unsigned long long)done, slot_dev);
	r = 0;
out:
	close(fd);
	return r;
}

/* file: URI path (RFC 8089), percent-decoded; host empty or localhost. */
static int file_uri_path(const char *uri, char *out, size_t cap)
{
	const char *p = uri + 5;
	size_t n = 0;

	if (!strncmp(p, "//", 2)) {
		p += 2;
		if (!strncmp(p, "localhost", 9))
			p += 9;
		if (*p != '/')
			return -1;
	}
	if (*p != '/')
		return -1;
	for (; *p; p++) {
		char c = *p;

		if (c == '%') {
			int hi = hex_digit(p[1]), lo = hi >= 0 ? hex_digit(p[2]) : -1;

			if (lo < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			if (c == 0 || c == '/')
				return -1; /* no smuggled separators */
			p += 2;
		} else if (c == '?' || c == '#') {
			return -1;
		}
		if (n + 1 >= cap)
			return -1;
		out[n++] = c;
	}
	out[n] = 0;
	return 0;
}

/* Open a file: URI beneath root, never outside it. */
static int open_media_file(const char *root, const char *uri, uint64_t *size, struct errbuf *e)
{
	char rel[PATH_MAX], full[PATH_MAX], real_root[PATH_MAX], real[PATH_MAX];
	size_t rl;
	struct stat st;
	int fd;

	if (!root)
		return errf(e, "%s: file: URIs are only valid on removable storage", uri);
	if (file_uri_path(uri, rel, sizeof(rel)) < 0)
		return errf(e, "%s: not a usable file: URI", uri);
	/* No ".." segment, even one that would stay inside: refuse early,
	 * then check where the path really leads (symlinks) below. */
	for (const char *seg = rel; seg; seg = strchr(seg + 1, '/'))
		if (!strncmp(seg, "/..", 3) && (seg[3] == '/' || !seg[3]))
			return errf(e, "%s: escapes the removable storage", uri);
	if (snprintf(full, sizeof(full), "%s%s", root, rel) >= (int)sizeof(full) ||
	    !realpath(root, real_root) || !realpath(full, real))
		return errf(e, "%s: not found on the removable storage", uri);
	rl = strlen(real_root);
	if (strncmp(real, real_root, rl) || real[rl] != '/')
		return errf(e, "%s: escapes the removable storage", uri);
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errf(e, "%s: %s", uri, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errf(e, "%s: not a regular file", uri);
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

int boot_image_install(const struct conveyed_info *ci, const struct boot_image_info *bi,
		       const char *media_root, const char *slot_dev, struct errbuf *e)
{
	const struct json_doc *d = &ci->doc;
	long b = json_get(d, ci->body, "boot-image");
	long uris = b >= 0 ? json_get(d, (size_t)b, "download-uri") : -1;
	struct errbuf last = { 0 };

	/* R153: verified by a supplied hash; we know no embedded-signature scheme. */
	if (!bi->has_hash)
		return errf(e, "boot-image has no image-verification: the image cannot be verified");
	if (uris < 0)
		return errf(e, "boot-image has no download-uri");
	for (long u = json_child(d, (size_t)uris); u >= 0 && (size_t)u < d->tok[uris].next; u = d->tok[u].next) {
		char uri[2048], want[65], got[65];
		uint8_t sha[32];
		uint64_t size = 0;
		int fd;

		memset(&last, 0, sizeof(last));
		if (json_str(d, (size_t)u, uri, sizeof(uri)) < 0) {
			errf(&last, "download-uri too long");
			continue;
		}
		if (strncmp(uri, "file:", 5)) {
			errf(&last, "%s: unsupported download-uri scheme", uri);
			sztp_log("%s", last.msg);
			continue;
		}
		fd = open_media_file(media_root, uri, &size, &last);
		if (fd < 0) {
			sztp_log("%s", last.msg);
			continue;
		}
		sztp_log("boot image: streaming %s (%llu MiB) into %s", uri, (unsigned long long)(size >> 20), slot_dev);
		int r = boot_image_stream(fd, slot_dev, size, sha, &last);
		close(fd);
		if (r < 0) {
			sztp_log("%s", last.msg);
			continue;
		}
		hex32(sha, got);
		hex32(bi->sha256, want);
		sztp_log("boot image: sha-256 %s, image-verification %s", got, want);
		if (memcmp(sha, bi->sha256, 32)) {
			errf(&last, "boot image sha-256 does not match image-verification");
			sztp_log("%s: %s", uri, last.msg);
			continue;
		}
		return 0;
	}
	if (!last.set)
		errf(&last, "boot-image download-uri list is empty");
	return errf(e, "%s", last.msg);
}
