/*
 * Test driver for http_client and the boot image download (92-http.sh).
 *
 *   http_fetch [-a ANCHORS.pem]... [-c CHAIN.pem -k KEY.pem] [-t MS] [-r N]
 *              -s SHA256HEX -o SLOT URI...
 *       boot_image_install() with these download-uris (tried in order) and
 *       that image-verification, into SLOT (an existing file standing in
 *       for the slot: see boot_image.h); prints
 *       "ok bytes=N resumes=R handshakes=H".
 *   http_fetch [TLS options] -n COUNT URI
 *       COUNT GETs of URI on one connection, bodies discarded; prints
 *       "ok requests=N status=S bytes=B handshakes=H".
 *   http_fetch [TLS options] [-X METHOD] [-d BODYFILE] [-T TYPE] [-H FIELD] URI
 *       one request; prints "status N" and the body.
 *
 * With -a the servers are authenticated against the anchors (every
 * certificate of each file), else provisionally (RFC 8572 R152). -c: the
 * client certificate, then its intermediates. -t: the timeout of connect
 * and each read or write (default 5000 ms); -r: resumes (default 5).
 * Exit 0, or the reason on stderr and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot_image.h"
#include "device_identity.h"
#include "http_client.h"
#include "readfile.h"

#define MAX_CERTS 8

static struct http_conn conn;
static struct http_response resp;
static struct conveyed_info ci;
static char json[32768];

static void usage(void)
{
	fprintf(stderr,
		"usage: http_fetch [-a ANCHORS.pem]... [-c CHAIN.pem -k KEY.pem] [-t MS] [-r N]\n"
		"                  (-s SHA256HEX -o SLOT URI... | -n COUNT URI |\n"
		"                   [-X METHOD] [-d BODYFILE] [-T TYPE] [-H FIELD] URI)\n");
	exit(2);
}

/* "status N" first (the head is complete when the body starts), then the body. */
static int status_printed;

static void print_status(void)
{
	if (!status_printed)
		printf("status %d\n", resp.status);
	status_printed = 1;
}

static void to_stdout(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	print_status();
	fwrite(p, 1, n, stdout);
}

/* The boot image path: onboarding information made of the arguments. */
static int install(struct boot_image_net *net, const char *hex, const char *slot, char **uris,
		   int nuris, struct errbuf *e)
{
	struct boot_image_info bi;
	char hash[100];
	size_t n;

	if (strlen(hex) != 64)
		return errf(e, "-s wants 64 hex digits");
	for (int i = 0; i < 32; i++)
		snprintf(hash + 3 * i, 4, "%.2s%s", hex + 2 * i, i < 31 ? ":" : "");
	n = (size_t)snprintf(json, sizeof(json),
			     "{\"ietf-sztp-conveyed-info:onboarding-information\":{\"boot-image\":{"
			     "\"os-name\":\"T\",\"os-version\":\"1\",\"download-uri\":[");
	for (int i = 0; i < nuris && n < sizeof(json); i++) {
		if (strpbrk(uris[i], "\"\\"))
			return errf(e, "URI with a quote or backslash: not for this driver");
		n += (size_t)snprintf(json + n, sizeof(json) - n, "%s\"%s\"", i ? "," : "", uris[i]);
	}
	if (n < sizeof(json))
		n += (size_t)snprintf(json + n, sizeof(json) - n,
				      "],\"image-verification\":[{\"hash-algorithm\":\"sha-256\","
				      "\"hash-value\":\"%s\"}]}}}", hash);
	if (n >= sizeof(json))
		return errf(e, "too many URIs");
	if (conveyed_info_parse(&ci, (const uint8_t *)json, n, e) < 0 || boot_image_info(&ci, &bi, e) < 0)
		return -1;
	return boot_image_install(&ci, &bi, NULL, net, slot, e);
}

/* Connect to the first address of the URI's host that answers (R129). */
static int connect_uri(const char *uri, struct http_uri *u, const struct http_tls *tls,
		       unsigned timeout_ms, struct errbuf *e)
{
	struct http_target t[HTTP_CLIENT_MAX_ADDRS];
	int n;

	if (http_uri_parse(uri, u, e) < 0 ||
	    (n = http_client_resolve(u->host, u->port, u->https, t, HTTP_CLIENT_MAX_ADDRS, e)) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct errbuf le = { 0 };

		if (http_conn_use(&conn, &t[i], tls, timeout_ms, &le) == 0)
			return 0;
		if (i == n - 1)
			return errf(e, "%s", le.msg);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct errbuf e = { 0 };
	static struct client_identity id;
	struct x509_cert anchors[MAX_CERTS];
	uint8_t *amem[MAX_CERTS] = { 0 }, *body = NULL;
	size_t na = 0, nfiles = 0, body_len = 0;
	static struct http_uri u;
	struct boot_image_net net = { 0 };
	const char *chain_path = NULL, *key_path = NULL, *sha = NULL, *slot = NULL;
	const char *method = "GET", *body_path = NULL, *type = NULL, *field = NULL;
	unsigned long count = 0;
	int opt, rc = 1;

	net.conn = &conn;
	net.tls.auth = TLS_AUTH_PROVISIONAL;
	net.tls.now = time(NULL);
	net.timeout_ms = 5000;
	net.max_resumes = 5;
	while ((opt = getopt(argc, argv, "a:c:k:t:r:s:o:n:X:d:T:H:")) != -1) {
		switch (opt) {
		case 'a':
			if (nfiles == MAX_CERTS)
				usage();
			if (cert_file_load(optarg, &amem[nfiles++], anchors, MAX_CERTS, &na, &e) < 0)
				goto out;
			net.tls.auth = TLS_AUTH_ANCHORS;
			break;
		case 'c': chain_path = optarg; break;
		case 'k': key_path = optarg; break;
		case 't': net.timeout_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': net.max_resumes = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': sha = optarg; break;
		case 'o': slot = optarg; break;
		case 'n': count = strtoul(optarg, NULL, 10); break;
		case 'X': method = optarg; break;
		case 'd': body_path = optarg; break;
		case 'T': type = optarg; break;
		case 'H': field = optarg; break;
		default: usage();
		}
	}
	if (optind == argc || !chain_path != !key_path || !sha != !slot ||
	    ((slot || count) && (body_path || type || field || strcmp(method, "GET"))) ||
	    (!slot && argc - optind != 1))
		usage();
	if (chain_path) {
		if (client_identity_load(&id, chain_path, key_path, &e) < 0)
			goto out;
		net.tls.client_chain_der = id.der;
		net.tls.client_chain_len = id.len;
		net.tls.client_chain_n = id.n;
		net.tls.client_key = &id.key;
	}
	net.tls.anchors = anchors;
	net.tls.nanchors = na;

	if (slot) {
		if (install(&net, sha, slot, argv + optind, argc - optind, &e) < 0)
			goto out;
		printf("ok bytes=%llu resumes=%u handshakes=%u\n", (unsigned long long)net.bytes,
		       net.resumes, conn.handshakes);
		rc = 0;
		goto out;
	}
	if (body_path && read_file(body_path, 1 << 20, 0, &body, &body_len, &e) < 0)
		goto out;
	if (connect_uri(argv[optind], &u, &net.tls, net.timeout_ms, &e) < 0)
		goto out;
	if (count) {
		struct http_target t = conn.t;
		uint64_t bytes = 0;

		/* The same target each time, as a client would ask: http_conn_use
		 * keeps the connection open if it may. */
		for (unsigned long i = 0; i < count; i++) {
			if (http_conn_use(&conn, &t, &net.tls, net.timeout_ms, &e) < 0 ||
			    http_conn_request(&conn, "GET", u.path, NULL, NULL, 0, "*/*", NULL, &resp,
					      UINT64_MAX, (struct http_body_sink){ NULL, NULL }, &e) < 0)
				goto out;
			bytes += resp.body_len;
		}
		printf("ok requests=%lu status=%d bytes=%llu handshakes=%u\n", count, resp.status,
		       (unsigned long long)bytes, conn.handshakes);
		rc = 0;
		goto out;
	}
	if (http_conn_request(&conn, method, u.path, type, body, body_len, "*/*", field, &resp,
			      64u << 20, (struct http_body_sink){ to_stdout, NULL }, &e) < 0)
		goto out;
	print_status();
	rc = 0;
out:
	http_conn_close(&conn);
	if (rc)
		fprintf(stderr, "http_fetch: %s\n", e.msg);
	client_identity_free(&id);
	for (size_t i = 0; i < nfiles; i++)
		free(amem[i]);
	free(body);
	return rc;
}
