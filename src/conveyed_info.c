/* ietf-sztp-conveyed-info@2019-04-30, as RFC 7951 JSON. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bearssl.h>

#include "base64.h"
#include "cms.h"
#include "conveyed_info.h"
#include "oid.h"
#include "yang_json.h"
#include "hex.h"

#define MOD "ietf-sztp-conveyed-info"

/* A YANG binary leaf: valid base64 (and, for cms leaves, the caller
 * checks the decoded bytes). Returns decoded bytes in *out (malloc'd). */
static long check_binary(const struct json_doc *d, long i, const char *what, uint8_t **out,
			 struct errbuf *e)
{
	const struct json_tok *t = &d->tok[i];
	size_t cap = base64_decoded_max(t->len) + 1;
	uint8_t *buf = malloc(cap);
	long n;

	if (!buf)
		return errf(e, "out of memory");
	n = yj_binary(d, (size_t)i, buf, cap, what, e);
	if (n < 0 || !out)
		free(buf);
	else
		*out = buf;
	return n;
}

/* inet:host: a domain name or an IP address literal, checked for shape. */
static int valid_host(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 253)
		return 0;
	for (const char *p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '-' || *p == ':' || *p == '_' || *p == '%'))
			return 0;
	return 1;
}

/* trust-anchor (6.3, R134): a certs-only SignedData holding a chain. */
static int check_trust_anchor(const struct json_doc *d, long i, struct errbuf *e)
{
	uint8_t *der = NULL;
	long n = check_binary(d, i, "trust-anchor", &der, e);
	struct der_tlv ctype, content;
	struct cms_signed_data sd;
	int r = -1;

	if (n < 0)
		return -1;
	if (cms_content_info(der, (size_t)n, &ctype, &content, e) < 0 ||
	    !DER_OID_IS(&ctype, OID_SIGNED_DATA) || cms_signed_data_parse(&content, &sd, e) < 0 ||
	    sd.ncerts == 0) {
		e->set = 0;
		errf(e, "trust-anchor is not a certs-only CMS SignedData with certificates");
		goto out;
	}
	r = 0;
out:
	free(der);
	return r;
}

static int parse_redirect(struct conveyed_info *ci, size_t r, struct errbuf *e)
{
	static const char *const top[] = { "bootstrap-server", NULL };
	static const char *const entry[] = { "address", "port", "trust-anchor", NULL };
	const struct json_doc *d = &ci->doc;
	const char *w = "redirect-information";
	long list;

	if (yj_only_members(d, r, top, w, e) < 0 ||
	    yj_mandatory(d, r, "bootstrap-server", JSON_ARRAY, &list, w, e) < 0)
		return -1;
	if (d->tok[list].size < 1)
		return errf(e, "%s: bootstrap-server needs at least one entry", w);
	for (long s = json_child(d, (size_t)list); s >= 0 && (size_t)s < d->tok[list].next; s = d->tok[s].next) {
		const char *we = "bootstrap-server";
		char host[254];
		long addr, port, ta;
		uint64_t pv;

		if (d->tok[s].type != JSON_OBJECT)
			return errf(e, "%s: entries must be objects", we);
		if (yj_only_members(d, (size_t)s, entry, we, e) < 0 ||
		    yj_mandatory(d, (size_t)s, "address", JSON_STRING, &addr, we, e) < 0 ||
		    yj_member(d, (size_t)s, "port", JSON_NUMBER, &port, we, e) < 0 ||
		    yj_member(d, (size_t)s, "trust-anchor", JSON_STRING, &ta, we, e) < 0)
			return -1;
		if (json_str(d, (size_t)addr, host, sizeof(host)) < 0 || !valid_host(host))
			return errf(e, "%s: address is not a host name or IP address", we);
		/* RFC 7951 6.1: uint16 is a JSON number. */
		if (port >= 0 && json_uint(d, (size_t)port, 65535, &pv) < 0)
			return errf(e, "%s: port is not a port number", we);
		if (ta >= 0 && check_trust_anchor(d, ta, e) < 0)
			return -1;
		/* The list is keyed by address. */
		for (long o = json_child(d, (size_t)list); o >= 0 && o < s; o = d->tok[o].next)
			if (json_str_eq(d, (size_t)json_get(d, (size_t)o, "address"), host))
				return errf(e, "%s: duplicate address \"%s\"", we, host);
	}
	return 0;
}

/* yang:hex-string: "xx(:xx)*". Returns octets, or -1. */
static long hex_string(const struct json_doc *d, long i, uint8_t *out, size_t cap)
{
	char s[200];
	long n = json_str(d, (size_t)i, s, sizeof(s));
	size_t k = 0;

	if (n < 2 || (n + 1) % 3)
		return -1;
	for (long p = 0; p < n; p += 3) {
		int hi = hex_digit(s[p]), lo = hex_digit(s[p + 1]);

		if (hi < 0 || lo < 0 || (p + 2 < n && s[p + 2] != ':') || k == cap)
			return -1;
		out[k++] = (uint8_t)(hi << 4 | lo);
	}
	return (long)k;
}

static int parse_boot_image(const struct json_doc *d, size_t b, struct errbuf *e)
{
	static const char *const members[] = { "os-name", "os-version", "download-uri", "image-verification", NULL };
	static const char *const iv_members[] = { "hash-algorithm", "hash-value", NULL };
	const char *w = "boot-image";
	long name, version, uris, ivs;

	if (yj_only_members(d, b, members, w, e) < 0 ||
	    yj_member(d, b, "os-name", JSON_STRING, &name, w, e) < 0 ||
	    yj_member(d, b, "os-version", JSON_STRING, &version, w, e) < 0 ||
	    yj_member(d, b, "download-uri", JSON_ARRAY, &uris, w, e) < 0 ||
	    yj_member(d, b, "image-verification", JSON_ARRAY, &ivs, w, e) < 0)
		return -1;
	if (uris >= 0)
		for (long u = json_child(d, (size_t)uris); u >= 0 && (size_t)u < d->tok[uris].next; u = d->tok[u].next)
			if (d->tok[u].type != JSON_STRING || d->tok[u].len <= 2)
				return errf(e, "%s: download-uri entries must be non-empty strings", w);
	if (ivs >= 0) {
		/* must '../download-uri' */
		if (uris < 0 || d->tok[uris].size == 0)
			return errf(e, "%s: image-verification without download-uri", w);
		int seen_sha256 = 0;
		for (long v = json_child(d, (size_t)ivs); v >= 0 && (size_t)v < d->tok[ivs].next; v = d->tok[v].next) {
			long alg, val;
			uint8_t h[64];

			if (d->tok[v].type != JSON_OBJECT)
				return errf(e, "%s: image-verification entries must be objects", w);
			if (yj_only_members(d, (size_t)v, iv_members, "image-verification", e) < 0 ||
			    yj_mandatory(d, (size_t)v, "hash-algorithm", JSON_STRING, &alg, "image-verification", e) < 0 ||
			    yj_mandatory(d, (size_t)v, "hash-value", JSON_STRING, &val, "image-verification", e) < 0)
				return -1;
			/* sha-256 is the only identity the module defines. */
			if (!yj_identity_is(d, (size_t)alg, MOD, "sha-256"))
				return errf(e, "image-verification: unsupported hash-algorithm");
			if (seen_sha256++)
				return errf(e, "image-verification: duplicate hash-algorithm sha-256");
			if (hex_string(d, val, h, sizeof(h)) != 32)
				return errf(e, "image-verification: hash-value is not a 32-octet hex-string");
		}
	}
	return 0;
}

static int parse_onboarding(struct conveyed_info *ci, size_t o, struct errbuf *e)
{
	static const char *const members[] = {
		"boot-image", "configuration-handling", "pre-configuration-script",
		"configuration", "post-configuration-script", NULL,
	};
	const struct json_doc *d = &ci->doc;
	const char *w = "onboarding-information";
	long boot, handling, pre, conf, post;

	if (yj_only_members(d, o, members, w, e) < 0 ||
	    yj_member(d, o, "boot-image", JSON_OBJECT, &boot, w, e) < 0 ||
	    yj_member(d, o, "configuration-handling", JSON_STRING, &handling, w, e) < 0 ||
	    yj_member(d, o, "pre-configuration-script", JSON_STRING, &pre, w, e) < 0 ||
	    yj_member(d, o, "configuration", JSON_STRING, &conf, w, e) < 0 ||
	    yj_member(d, o, "post-configuration-script", JSON_STRING, &post, w, e) < 0)
		return -1;
	if (boot >= 0 && parse_boot_image(d, (size_t)boot, e) < 0)
		return -1;
	if (handling >= 0 && !json_str_eq(d, (size_t)handling, "merge") &&
	    !json_str_eq(d, (size_t)handling, "replace"))
		return errf(e, "%s: configuration-handling must be merge or replace", w);
	/* Each must the other (6.3). */
	if ((handling >= 0) != (conf >= 0))
		return errf(e, "%s: configuration and configuration-handling must appear together", w);
	if ((pre >= 0 && check_binary(d, pre, "pre-configuration-script", NULL, e) < 0) ||
	    (conf >= 0 && check_binary(d, conf, "configuration", NULL, e) < 0) ||
	    (post >= 0 && check_binary(d, post, "post-configuration-script", NULL, e) < 0))
		return -1;
	return 0;
}

int conveyed_info_parse(struct conveyed_info *ci, const uint8_t *json, size_t len, struct errbuf *e)
{
	struct json_limits lim = json_default_limits;
	long r, o;

	if (len > CONVEYED_INFO_MAX)
		return errf(e, "conveyed information larger than %u bytes", CONVEYED_INFO_MAX);
	lim.max_bytes = CONVEYED_INFO_MAX;
	if (json_parse(&ci->doc, (const char *)json, len, ci->tok, CONVEYED_INFO_MAX_TOKENS, &lim, e) < 0)
		return -1;
	if (ci->doc.tok[0].type != JSON_OBJECT || ci->doc.tok[0].size != 1)
		return errf(e, "conveyed information must be one object with one member");
	/* choice information-type, mandatory. */
	r = json_get(&ci->doc, 0, MOD ":redirect-information");
	o = json_get(&ci->doc, 0, MOD ":onboarding-information");
	if (r < 0 && o < 0)
		return errf(e, "neither redirect-information nor onboarding-information");
	ci->body = (size_t)(r >= 0 ? r : o);
	ci->type = r >= 0 ? REDIRECT_INFORMATION : ONBOARDING_INFORMATION;
	if (ci->doc.tok[ci->body].type != JSON_OBJECT)
		return errf(e, "%s must be an object", r >= 0 ? "redirect-information" : "onboarding-information");
	return r >= 0 ? parse_redirect(ci, ci->body, e) : parse_onboarding(ci, ci->body, e);
}

/* Re-emit token i (and its subtree) compactly; members named skip are
 * left out of objects. */
static size_t emit(const struct json_doc *d, size_t i, const char *skip, FILE *f)
{
	const struct json_tok *t = &d->tok[i];

	if (t->type != JSON_OBJECT && t->type != JSON_ARRAY) {
		fwrite(d->src + t->start, 1, t->len, f);
		return t->next;
	}
	fputc(t->type == JSON_OBJECT ? '{' : '[', f);
	int first = 1;
	for (long c = json_child(d, i); c >= 0 && (size_t)c < t->next;) {
		if (t->type == JSON_OBJECT) {
			if (skip && json_str_eq(d, (size_t)c, skip)) {
				c = d->tok[c + 1].next;
				continue;
			}
			if (!first)
				fputc(',', f);
			fwrite(d->src + d->tok[c].start, 1, d->tok[c].len, f);
			fputc(':', f);
			c = (long)emit(d, (size_t)c + 1, skip, f);
		} else {
			if (!first)
				fputc(',', f);
			c = (long)emit(d, (size_t)c, skip, f);
		}
		first = 0;
	}
	fputc(t->type == JSON_OBJECT ? '}' : ']', f);
	return t->next;
}

int conveyed_info_write(const struct conveyed_info *ci, int drop_trust_anchors, FILE *f)
{
	emit(&ci->doc, 0, drop_trust_anchors ? "trust-anchor" : NULL, f);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

int conveyed_info_check_image(const struct conveyed_info *ci, const char *path, struct errbuf *e)
{
	const struct json_doc *d = &ci->doc;
	long boot, ivs, want_i = -1;
	uint8_t want[32], got[32], buf[65536];
	br_sha256_context sc;
	ssize_t n;
	int fd;

	boot = ci->type == ONBOARDING_INFORMATION ? json_get(d, ci->body, "boot-image") : -1;
	ivs = boot >= 0 ? json_get(d, (size_t)boot, "image-verification") : -1;
	for (long v = ivs >= 0 ? json_child(d, (size_t)ivs) : -1; v >= 0 && (size_t)v < d->tok[ivs].next; v = d->tok[v].next)
		want_i = json_get(d, (size_t)v, "hash-value");
	if (want_i < 0)
		return errf(e, "%s: no image-verification hash to check the image against", path);
	hex_string(d, want_i, want, sizeof(want));

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "%s: cannot open the image", path);
	/* Streamed: memory stays bounded whatever the image size. */
	br_sha256_init(&sc);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		br_sha256_update(&sc, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return errf(e, "%s: read error", path);
	br_sha256_out(&sc, got);
	if (memcmp(got, want, sizeof(got)))
		return errf(e, "%s: image sha-256 does not match image-verification", path);
	return 0;
}
