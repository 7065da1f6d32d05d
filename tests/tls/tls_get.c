/*
 * Test driver for tls_client: connect, send a fixed HTTP/1.0 GET, print the
 * response on stdout; exit 0, or print the reason on stderr and exit 1.
 *
 *   tls_get [-a ANCHORS.pem]... [-c CHAIN.pem -k KEY.pem] [-n EPOCH]
 *           [-t MS] HOST ADDRESS PORT
 *
 * With -a the server is authenticated against the anchors (every
 * certificate of each file), else provisionally (blind accept). -c: the
 * client certificate, then its intermediates.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device_identity.h"
#include "tls_client.h"

#define MAX_CERTS 8

static struct tls_conn conn;

static void usage(void)
{
	fprintf(stderr, "usage: tls_get [-a ANCHORS.pem]... [-c CHAIN.pem -k KEY.pem [-D]] [-n EPOCH] "
			"[-t MS] HOST ADDRESS PORT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct errbuf e = { 0 };
	static struct client_identity id;
	static struct device_identity dev;
	const uint8_t *dev_der[1 + DEVICE_INTERMEDIATES_MAX];
	size_t dev_len[1 + DEVICE_INTERMEDIATES_MAX];
	int as_device = 0;
	struct x509_cert anchors[MAX_CERTS];
	uint8_t *amem[MAX_CERTS] = { 0 };
	size_t na = 0, nfiles = 0;
	struct tls_params p = { 0 };
	struct addrinfo hints = { 0 }, *ai = NULL;
	const char *chain_path = NULL, *key_path = NULL;
	char req[512], buf[4096];
	int opt, rc = 1, connected = 0;
	long n;

	p.auth = TLS_AUTH_PROVISIONAL;
	p.timeout_ms = 5000;
	p.now = time(NULL);
	while ((opt = getopt(argc, argv, "a:c:Dk:n:t:")) != -1) {
		switch (opt) {
		case 'a':
			if (nfiles == MAX_CERTS)
				usage();
			if (cert_file_load(optarg, &amem[nfiles++], anchors, MAX_CERTS, &na, &e) < 0)
				goto out;
			p.auth = TLS_AUTH_ANCHORS;
			break;
		case 'c': chain_path = optarg; break;
		case 'D': as_device = 1; break;
		case 'k': key_path = optarg; break;
		case 'n': p.now = strtoll(optarg, NULL, 10); break;
		case 't': p.timeout_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (argc - optind != 3 || !chain_path != !key_path)
		usage();
	if (chain_path && as_device) {
		/* The device's own loader: IDevID + intermediates (R79). */
		if (device_identity_load(&dev, chain_path, key_path, NULL, &e) < 0)
			goto out;
		p.client_chain_der = dev_der;
		p.client_chain_len = dev_len;
		p.client_chain_n = device_identity_chain(&dev, dev_der, dev_len, 1 + DEVICE_INTERMEDIATES_MAX);
		p.client_key = &dev.key;
	} else if (chain_path) {
		if (client_identity_load(&id, chain_path, key_path, &e) < 0)
			goto out;
		p.client_chain_der = id.der;
		p.client_chain_len = id.len;
		p.client_chain_n = id.n;
		p.client_key = &id.key;
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(argv[optind + 1], argv[optind + 2], &hints, &ai) != 0) {
		errf(&e, "bad address `%s' port `%s'", argv[optind + 1], argv[optind + 2]);
		goto out;
	}
	p.host = argv[optind];
	p.addr = ai->ai_addr;
	p.addrlen = ai->ai_addrlen;
	p.anchors = anchors;
	p.nanchors = na;
	connected = 1;
	if (tls_connect(&conn, &p, &e) < 0)
		goto out;
	snprintf(req, sizeof(req), "GET /index.html HTTP/1.0\r\nHost: %s\r\n\r\n", p.host);
	if (tls_write_all(&conn, req, strlen(req), &e) < 0)
		goto out;
	while ((n = tls_read(&conn, buf, sizeof(buf), &e)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	if (n == 0)
		rc = 0;
out:
	if (connected)
		tls_close(&conn);
	if (rc)
		fprintf(stderr, "tls_get: %s\n", e.msg);
	if (ai)
		freeaddrinfo(ai);
	client_identity_free(&id);
	device_identity_wipe(&dev);
	for (size_t i = 0; i < nfiles; i++)
		free(amem[i]);
	return rc;
}
