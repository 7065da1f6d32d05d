/*
 * Boot image install: file: URIs resolve inside the removable storage and
 * never outside it; the hash decides; the slot is written whole. A table
 * of download-uri values and the expected outcome. Then http(s)
 * download-uris as request targets (http_uri_parse): a table too.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl.h>

#include "boot_image.h"
#include "test.h"

static char root[256], slot[300];
static uint8_t image[200000];
static char hash_hex[100];

static int write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		return -1;
	return close(fd);
}

/* Install the onboarding information with this download-uri list. */
static int install(const char *uris, const char *hash, struct errbuf *e)
{
	static struct conveyed_info ci;
	static char json[4096];
	struct boot_image_info bi;

	snprintf(json, sizeof(json),
		 "{\"ietf-sztp-conveyed-info:onboarding-information\":{\"boot-image\":{"
		 "\"os-name\":\"T\",\"os-version\":\"1\",\"download-uri\":[%s],"
		 "\"image-verification\":[{\"hash-algorithm\":\"sha-256\",\"hash-value\":\"%s\"}]}}}",
		 uris, hash);
	if (conveyed_info_parse(&ci, (const uint8_t *)json, strlen(json), e) < 0 ||
	    boot_image_info(&ci, &bi, e) < 0)
		return -1;
	write_file(slot, "", 0);
	return boot_image_install(&ci, &bi, root, NULL, slot, e);
}

static int slot_holds_image(void)
{
	static uint8_t buf[sizeof(image) + 1];
	int fd = open(slot, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)sizeof(image) && !memcmp(buf, image, sizeof(image));
}

int main(void)
{
	char path[400];
	uint8_t h[32];
	br_sha256_context sc;
	static const char zero_hash[] =
		"00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00";

	sztp_quiet = 1;

	snprintf(root, sizeof(root), "/tmp/sztp-test-boot-image-%d", (int)getpid());
	snprintf(slot, sizeof(slot), "%s.slot", root);
	mkdir(root, 0755);
	snprintf(path, sizeof(path), "%s/images", root);
	mkdir(path, 0755);
	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(i * 7 + (i >> 8));
	snprintf(path, sizeof(path), "%s/images/os.img", root);
	write_file(path, image, sizeof(image));
	snprintf(path, sizeof(path), "%s/link", root);
	symlink("/etc/hostname", path);
	snprintf(path, sizeof(path), "%s/images/dirlink", root);
	symlink("/etc", path);
	br_sha256_init(&sc);
	br_sha256_update(&sc, image, sizeof(image));
	br_sha256_out(&sc, h);
	for (int i = 0; i < 32; i++)
		snprintf(hash_hex + 3 * i, 4, "%02x%s", h[i], i < 31 ? ":" : "");

	static const struct {
		const char *uris;
		int ok;
		const char *why; /* expected in the error */
	} rows[] = {
		{ "\"file:///images/os.img\"", 1, NULL },
		{ "\"file://localhost/images/os.img\"", 1, NULL },
		{ "\"file:/images/os.img\"", 1, NULL },
		{ "\"file:///images/%6fs.img\"", 1, NULL },
		{ "\"https://example.com/os.img\", \"file:///images/os.img\"", 1, NULL },
		{ "\"file:///images/missing.img\", \"file:///images/os.img\"", 1, NULL },
		{ "\"file:///../etc/hostname\"", 0, "escapes" },
		{ "\"file:///images/../../etc/hostname\"", 0, "escapes" },
		{ "\"file:///%2e%2e/etc/hostname\"", 0, "escapes" },
		{ "\"file:///images%2f..%2f..%2fetc/hostname\"", 0, "not a usable file: URI" },
		{ "\"file:///link\"", 0, "escapes" },
		{ "\"file:///images/dirlink/hostname\"", 0, "escapes" },
		{ "\"file://evil.example/images/os.img\"", 0, "not a usable file: URI" },
		{ "\"file:///images/os.img?x=1\"", 0, "not a usable file: URI" },
		{ "\"file:///images\"", 0, "not a regular file" },
		{ "\"https://example.com/os.img\"", 0, "no network access for an http(s) download-uri" },
		{ "\"HTTP://example.com/os.img\"", 0, "no network access" },
		{ "\"ftp://example.com/os.img\"", 0, "unsupported download-uri scheme" },
		{ "\"file:///images/missing.img\"", 0, "not found" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct errbuf e = { 0 };
		int r = install(rows[i].uris, hash_hex, &e);

		CHECKF((r == 0) == rows[i].ok, "%s: %s", rows[i].uris, e.msg);
		if (rows[i].ok)
			CHECKF(slot_holds_image(), "%s: slot content", rows[i].uris);
		else
			CHECKF(strstr(e.msg, rows[i].why) != NULL, "%s: got `%s'", rows[i].uris, e.msg);
	}

	/* The hash decides. */
	struct errbuf e = { 0 };
	CHECK(install("\"file:///images/os.img\"", zero_hash, &e) < 0 &&
	      strstr(e.msg, "sha-256 does not match image-verification"));

	/* http: and https: download-uris (no network here: parsing only). */
	static const struct {
		const char *uri;
		int ok, https;
		const char *host;
		unsigned port;
		const char *path; /* or the expected error */
	} uris[] = {
		{ "https://images.example.com/os.img", 1, 1, "images.example.com", 443, "/os.img" },
		{ "HTTPS://Images.Example.com:8443/a/b.img?v=2&x=%41", 1, 1, "Images.Example.com", 8443,
		  "/a/b.img?v=2&x=%41" },
		{ "http://192.0.2.7/os.img", 1, 0, "192.0.2.7", 80, "/os.img" },
		{ "http://192.0.2.7:/os.img", 1, 0, "192.0.2.7", 80, "/os.img" },
		{ "https://[2001:db8::1]:444/os.img", 1, 1, "2001:db8::1", 444, "/os.img" },
		{ "https://[::ffff:192.0.2.1]/", 1, 1, "::ffff:192.0.2.1", 443, "/" },
		{ "https://example.com", 1, 1, "example.com", 443, "/" },
		{ "https://example.com?q", 1, 1, "example.com", 443, "/?q" },
		{ "https://user@example.com/os.img", 0, 0, NULL, 0, "userinfo" },
		{ "https://example.com/os.img#frag", 0, 0, NULL, 0, "fragment" },
		{ "https://example.com/os img", 0, 0, NULL, 0, "invalid octet 0x20 in the path" },
		{ "https://example.com/os\r\nX: y", 0, 0, NULL, 0, "invalid octet 0x0d" },
		{ "https://example.com/%zz", 0, 0, NULL, 0, "invalid octet 0x25" },
		{ "https://example.com/\"x", 0, 0, NULL, 0, "invalid octet 0x22" },
		{ "https://exa_mple.com/", 0, 0, NULL, 0, "invalid octet 0x5f in the host" },
		{ "https:///os.img", 0, 0, NULL, 0, "host name of 0 octets" },
		{ "https://[2001:db8::1/os.img", 0, 0, NULL, 0, "unterminated IPv6" },
		{ "https://[fe80::1%25eth0]/", 0, 0, NULL, 0, "bad IPv6 literal" },
		{ "https://[2001:db8::1]x/", 0, 0, NULL, 0, "junk after the host" },
		{ "https://example.com:0/", 0, 0, NULL, 0, "port out of range" },
		{ "https://example.com:65536/", 0, 0, NULL, 0, "port out of range" },
		{ "https://example.com:123456/", 0, 0, NULL, 0, "bad port" },
		{ "https://example.com:8x/", 0, 0, NULL, 0, "bad port" },
		{ "https:example.com/os.img", 0, 0, NULL, 0, "not an http: or https: URI" },
		{ "file:///os.img", 0, 0, NULL, 0, "not an http: or https: URI" },
	};
	static struct http_uri u;
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		struct errbuf ue = { 0 };
		int r = http_uri_parse(uris[i].uri, &u, &ue);

		CHECKF((r == 0) == uris[i].ok, "%s: %s", uris[i].uri, ue.msg);
		if (r == 0 && uris[i].ok)
			CHECKF(u.https == uris[i].https && !strcmp(u.host, uris[i].host) &&
			       u.port == uris[i].port && !strcmp(u.path, uris[i].path),
			       "%s: got https=%d host=%s port=%u path=%s", uris[i].uri, u.https, u.host,
			       u.port, u.path);
		else if (r < 0 && !uris[i].ok)
			CHECKF(strstr(ue.msg, uris[i].path) != NULL, "%s: got `%s'", uris[i].uri, ue.msg);
	}
	/* A path of HTTP_URI_PATH_MAX octets is refused, one less is not. */
	static char longuri[HTTP_URI_PATH_MAX + 64];
	int pre = snprintf(longuri, sizeof(longuri), "http://h");
	memset(longuri + pre, 'a', HTTP_URI_PATH_MAX - 1);
	longuri[pre] = '/';
	longuri[pre + HTTP_URI_PATH_MAX - 1] = '\0';
	CHECK(http_uri_parse(longuri, &u, &(struct errbuf){ 0 }) == 0 &&
	      strlen(u.path) == HTTP_URI_PATH_MAX - 1);
	longuri[pre + HTTP_URI_PATH_MAX - 1] = 'a';
	longuri[pre + HTTP_URI_PATH_MAX] = '\0';
	CHECK(http_uri_parse(longuri, &u, &(struct errbuf){ 0 }) < 0);

	snprintf(path, sizeof(path), "%s/images/os.img", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/link", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/images/dirlink", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/images", root);
	rmdir(path);
	rmdir(root);
	unlink(slot);
	TEST_END();
}
