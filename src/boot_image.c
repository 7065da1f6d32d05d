/* See boot_image.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* --- the slot writer ----------------------------------------------------- */

/*
 * Every octet of the image passes here once, in order: into SHA-256 and
 * into the slot. The network hands over a few KB at a time, so writes are
 * gathered into COPY_CHUNK pieces; a whole chunk (the file: path) goes
 * straight through. Errors are sticky: after the first, writes are
 * ignored and slot_finish reports it.
 */
struct slot_writer {
	int fd;
	int failed;
	const char *dev;
	uint64_t cap;            /* the slot's size; 0: no limit (an empty regular file) */
	uint64_t total;          /* the image's size when known, for progress lines */
	uint64_t done;           /* octets accepted */
	uint64_t next_report;
	size_t fill;             /* octets waiting in slot_buf */
	struct errbuf err;
	br_sha256_context sc;
};

static uint8_t slot_buf[COPY_CHUNK];

static void slot_fail(struct slot_writer *w, const char *what)
{
	if (!w->failed)
		errf(&w->err, "%s: %s: %s", w->dev, what, errno ? strerror(errno) : "short write");
	w->failed = 1;
}

/* Back to offset 0 with a fresh hash: a new start of the image. */
static void slot_rewind(struct slot_writer *w)
{
	if (w->failed)
		return;
	w->done = 0;
	w->fill = 0;
	w->next_report = PROGRESS_STEP;
	br_sha256_init(&w->sc);
	if (lseek(w->fd, 0, SEEK_SET) < 0)
		slot_fail(w, "seek");
}

static int slot_open(struct slot_writer *w, const char *dev, struct errbuf *e)
{
	struct stat st;

	memset(w, 0, sizeof(*w));
	w->dev = dev;
	w->fd = open(dev, O_WRONLY | O_CLOEXEC);
	if (w->fd < 0)
		return errf(e, "%s: %s", dev, strerror(errno));
	if (fstat(w->fd, &st) < 0 || (S_ISBLK(st.st_mode) && ioctl(w->fd, BLKGETSIZE64_, &w->cap) < 0)) {
		errf(e, "%s: cannot get its size: %s", dev, strerror(errno));
		close(w->fd);
		return -1;
	}
	if (S_ISREG(st.st_mode))
		w->cap = (uint64_t)st.st_size;
	slot_rewind(w);
	return 0;
}

static void slot_put(struct slot_writer *w, const uint8_t *p, size_t n)
{
	errno = 0;
	if (write_all(w->fd, p, n) < 0)
		slot_fail(w, "write error");
}

static void slot_write(struct slot_writer *w, const uint8_t *p, size_t n)
{
	if (w->failed || n == 0)
		return;
	if (w->cap && n > w->cap - w->done) {
		errf(&w->err, "boot image is larger than slot %s (%llu bytes)", w->dev,
		     (unsigned long long)w->cap);
		w->failed = 1;
		return;
	}
	br_sha256_update(&w->sc, p, n);
	w->done += n;
	while (n > 0 && !w->failed) {
		size_t k = sizeof(slot_buf) - w->fill;

		if (w->fill == 0 && n >= sizeof(slot_buf)) {
			slot_put(w, p, n);
			break;
		}
		if (k > n)
			k = n;
		memcpy(slot_buf + w->fill, p, k);
		w->fill += k;
		p += k;
		n -= k;
		if (w->fill == sizeof(slot_buf)) {
			slot_put(w, slot_buf, w->fill);
			w->fill = 0;
		}
	}
	if (w->done >= w->next_report) {
		if (w->total)
			sztp_log("boot image: %llu of %llu MiB written to %s", (unsigned long long)(w->done >> 20),
				 (unsigned long long)(w->total >> 20), w->dev);
		else
			sztp_log("boot image: %llu MiB written to %s", (unsigned long long)(w->done >> 20), w->dev);
		w->next_report = (w->done / PROGRESS_STEP + 1) * PROGRESS_STEP;
	}
}

/* Flush, fsync (nothing counts before it is on the medium), the hash. */
static int slot_finish(struct slot_writer *w, uint8_t sha256[32], struct errbuf *e)
{
	if (!w->failed && w->fill) {
		slot_put(w, slot_buf, w->fill);
		w->fill = 0;
	}
	if (!w->failed && fsync(w->fd) < 0)
		slot_fail(w, "fsync");
	if (w->failed)
		return errf(e, "%s", w->err.msg);
	br_sha256_out(&w->sc, sha256);
	sztp_log("boot image: %llu bytes written to %s and synced", (unsigned long long)w->done, w->dev);
	return 0;
}

static void slot_close(struct slot_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

int boot_image_stream(int src, const char *slot_dev, uint64_t total, uint8_t sha256[32],
		      struct errbuf *e)
{
	static uint8_t buf[COPY_CHUNK];
	struct slot_writer w;
	int r = -1;

	if (slot_open(&w, slot_dev, e) < 0)
		return -1;
	w.total = total;
	if (w.cap && total > w.cap) {
		errf(e, "boot image (%llu bytes) is larger than slot %s (%llu bytes)",
		     (unsigned long long)total, slot_dev, (unsigned long long)w.cap);
		goto out;
	}
	while (!w.failed) {
		ssize_t n = read(src, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errf(e, "boot image read error: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		slot_write(&w, buf, (size_t)n);
	}
	r = slot_finish(&w, sha256, e);
out:
	slot_close(&w);
	return r;
}

/* --- http: and https: download-uris (R151, R152) ------------------------- */

/* One download from one address: the loop and the body sink share it. */
struct fetch {
	struct slot_writer *w;
	struct http_conn *conn;
	const struct http_response *r;
	uint64_t asked;          /* first octet asked for with Range; 0: the whole image */
	uint64_t total;          /* the image's length, once a response said it */
	int total_known;
	int began;               /* a 200 started the image */
	int judged;              /* this response's head has been looked at */
	int refused;             /* ... and it is not the image: its octets are dropped */
	struct errbuf err;       /* a response that contradicts the download: stop */
};

/*
 * Is this response the image, or the rest of it? Decided once the head is
 * complete, before its first body octet reaches the slot.
 */
static void fetch_judge(struct fetch *f)
{
	const struct http_response *r = f->r;

	f->judged = 1;
	if (r->status == 200) {
		/* RFC 9110 14.2: a server may ignore Range and send it all. */
		if (f->asked)
			sztp_log("boot image: the server ignored Range: restarting from 0");
		slot_rewind(f->w);
		f->began = 1;
		f->total_known = r->framing == HTTP_FRAMING_LENGTH;
		f->total = r->content_length;
		f->w->total = f->total;
		return;
	}
	f->refused = 1;
	if (r->status != 206 || !f->asked)
		return;  /* not the image: the caller reports the status */
	if (r->range_first != f->asked) {
		errf(&f->err, "206 response starts at octet %llu, not at the %llu asked for",
		     (unsigned long long)r->range_first, (unsigned long long)f->asked);
	} else if (r->range_total_known && f->total_known && r->range_total != f->total) {
		errf(&f->err, "206 response gives the image %llu octets, the first response %llu",
		     (unsigned long long)r->range_total, (unsigned long long)f->total);
	} else {
		if (r->range_total_known) {
			f->total_known = 1;
			f->total = f->w->total = r->range_total;
		}
		f->refused = 0;
		return;
	}
	f->conn->cancel = 1;
}

static void fetch_body(void *arg, const uint8_t *p, size_t n)
{
	struct fetch *f = arg;

	if (!f->judged)
		fetch_judge(f);
	if (f->refused)
		return;
	slot_write(f->w, p, n);
	if (f->w->failed)
		f->conn->cancel = 1;
}

/*
 * The image from one address into w. -1 with the reason; *next: this
 * address gave no response to speak of, try the next one (R129).
 */
static int fetch_target(struct boot_image_net *net, const struct http_target *t, const char *path,
			struct slot_writer *w, int *next, struct errbuf *e)
{
	static struct http_response r;
	struct fetch f = { .w = w, .conn = net->conn, .r = &r };
	struct http_body_sink sink = { fetch_body, &f };
	uint64_t max = w->cap ? w->cap : UINT64_MAX;

	*next = 0;
	slot_rewind(w);
	for (;;) {
		struct errbuf le = { 0 };
		char range[48];
		int rc;

		f.asked = w->done;
		f.judged = f.refused = 0;
		snprintf(range, sizeof(range), "Range: bytes=%llu-", (unsigned long long)f.asked);
		http_response_init(&r, max, 0);
		rc = http_conn_use(net->conn, t, &net->tls, net->timeout_ms, &le);
		if (rc == 0)
			rc = http_conn_request(net->conn, "GET", path, NULL, NULL, 0, "*/*",
					       f.asked ? range : NULL, &r, max, sink, &le);
		/* A head without body octets (yet) is judged all the same. */
		if (!f.judged && r.state != HTTP_RESPONSE_HEAD && r.state != HTTP_RESPONSE_ERROR)
			fetch_judge(&f);
		if (f.err.set)
			return errf(e, "%s", f.err.msg);
		if (w->failed)
			return errf(e, "%s", w->err.msg);
		if (rc == 0 && f.refused)
			return errf(e, "HTTP status %d%s", r.status,
				    r.status == 206 ? " to a request without Range" : "");
		if (rc == 0 && (!f.total_known || w->done == f.total))
			return 0;
		if (rc == 0) {
			errf(&le, "206 response ended at octet %llu of %llu", (unsigned long long)w->done,
			     (unsigned long long)f.total);
		} else if (!f.began || http_response_error(&r)) {
			/* Nothing started here (connect, TLS, no answer), or the
			 * server answered something malformed or too large. */
			*next = !f.began;
			return errf(e, "%s", le.msg);
		}
		/* The transfer stopped in the body (or a Range came back short):
		 * ask for the rest on a fresh connection. */
		if (net->resumes >= net->max_resumes)
			return errf(e, "%s (%u Range requests made)", le.msg, net->resumes);
		net->resumes++;
		sztp_log("boot image: connection dropped at %llu bytes: resuming with Range (%s)",
			 (unsigned long long)w->done, le.msg);
	}
}

int boot_image_download(struct boot_image_net *net, const char *uri, const char *slot_dev,
			uint8_t sha256[32], struct errbuf *e)
{
	static struct http_uri u;
	static struct http_target t[HTTP_CLIENT_MAX_ADDRS];
	struct slot_writer w;
	struct errbuf le = { 0 };
	int n, r = -1, next = 1;

	net->bytes = 0;
	net->resumes = 0;
	if (http_uri_parse(uri, &u, &le) < 0 ||
	    (n = http_client_resolve(u.host, u.port, u.https, t, HTTP_CLIENT_MAX_ADDRS, &le)) < 0)
		return errf(e, "%.100s: %s", uri, le.msg);
	if (slot_open(&w, slot_dev, e) < 0)
		return -1;
	for (int i = 0; i < n && next; i++) {
		char where[80];

		http_target_text(&t[i], where, sizeof(where));
		sztp_log("boot image: fetching %s (%s)", uri, where);
		memset(&le, 0, sizeof(le));
		if (fetch_target(net, &t[i], u.path, &w, &next, &le) == 0) {
			r = 0;
			break;
		}
		sztp_log("boot image: %s: %s", where, le.msg);
	}
	if (r == 0) {
		net->bytes = w.done;
		r = slot_finish(&w, sha256, e);
	} else {
		errf(e, "%.100s: %s", uri, le.msg);
	}
	slot_close(&w);
	return r;
}

/* --- file: download-uris -------------------------------------------------- */

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
		       const char *media_root, struct boot_image_net *net, const char *slot_dev,
		       struct errbuf *e)
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
		int r;

		memset(&last, 0, sizeof(last));
		if (json_str(d, (size_t)u, uri, sizeof(uri)) < 0) {
			errf(&last, "download-uri too long");
			continue;
		}
		if (!strncasecmp(uri, "https:", 6) || !strncasecmp(uri, "http:", 5)) {
			if (!net) {
				errf(&last, "%.100s: no network access for an http(s) download-uri", uri);
				sztp_log("%s", last.msg);
				continue;
			}
			r = boot_image_download(net, uri, slot_dev, sha, &last);
			size = net->bytes;
		} else if (!strncasecmp(uri, "file:", 5)) {
			int fd = open_media_file(media_root, uri, &size, &last);

			if (fd < 0) {
				sztp_log("%s", last.msg);
				continue;
			}
			sztp_log("boot image: streaming %s (%llu MiB) into %s", uri,
				 (unsigned long long)(size >> 20), slot_dev);
			r = boot_image_stream(fd, slot_dev, size, sha, &last);
			close(fd);
		} else {
			errf(&last, "%.100s: unsupported download-uri scheme", uri);
			sztp_log("%s", last.msg);
			continue;
		}
		if (r < 0) {
			sztp_log("%s", last.msg);
			continue;
		}
		hex32(sha, got);
		hex32(bi->sha256, want);
		sztp_log("boot image: sha-256 %s, image-verification %s", got, want);
		if (memcmp(sha, bi->sha256, 32)) {
			errf(&last, "boot image sha-256 does not match image-verification");
			sztp_log("%.100s: %s", uri, last.msg);
			continue;
		}
		sztp_log("boot image: %llu bytes, sha256 ok", (unsigned long long)size);
		return 0;
	}
	if (!last.set)
		errf(&last, "boot-image download-uri list is empty");
	return errf(e, "%s", last.msg);
}
