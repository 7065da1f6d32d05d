/*
 * Benchmark driver for the network install pipeline (bench/https.sh):
 * download URI through boot_image_download() into SLOT, as `sztpboot run`
 * does for an http: or https: download-uri -- TLS (provisional, R152),
 * HTTP, SHA-256, slot writes, fsync -- and print the SHA-256 in hex, then
 * "bytes=N handshakes=H resumes=R suite=0xXXXX" (the TLS cipher suite).
 * SLOT must exist (boot_image.h).
 * Usage: https_install [-c CHAIN.pem -k KEY.pem] URI SLOT
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "boot_image.h"
#include "device_identity.h"
#include "sztp.h"

static struct http_conn conn;
static struct client_identity id;

int main(int argc, char **argv)
{
	struct errbuf e = { 0 };
	struct boot_image_net net = { 0 };
	uint8_t sha[32];
	const char *chain_path = NULL, *key_path = NULL;
	int opt, rc = SZTP_EXIT_REJECT;

	while ((opt = getopt(argc, argv, "c:k:")) != -1) {
		switch (opt) {
		case 'c': chain_path = optarg; break;
		case 'k': key_path = optarg; break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || !chain_path != !key_path)
		goto usage;
	net.conn = &conn;
	net.tls.auth = TLS_AUTH_PROVISIONAL;
	net.tls.now = time(NULL);
	net.timeout_ms = 30000;
	net.max_resumes = 5;
	if (chain_path) {
		if (client_identity_load(&id, chain_path, key_path, &e) < 0)
			goto out;
		net.tls.client_chain_der = id.der;
		net.tls.client_chain_len = id.len;
		net.tls.client_chain_n = id.n;
		net.tls.client_key = &id.key;
	}
	sztp_quiet = 1; /* no progress lines: the benchmark times the transfer */
	if (boot_image_download(&net, argv[optind], argv[optind + 1], sha, &e) < 0)
		goto out;
	for (int i = 0; i < 32; i++)
		printf("%02x", sha[i]);
	printf("\nbytes=%llu handshakes=%u resumes=%u suite=0x%04x\n", (unsigned long long)net.bytes,
	       conn.handshakes, net.resumes, conn.cipher_suite);
	rc = SZTP_EXIT_OK;
out:
	http_conn_close(&conn);
	if (rc != SZTP_EXIT_OK)
		sztp_err("%s", e.msg);
	client_identity_free(&id);
	return rc;
usage:
	fprintf(stderr, "usage: https_install [-c CHAIN.pem -k KEY.pem] URI SLOT\n");
	return SZTP_EXIT_USAGE;
}
