/*
 * TLS client for talking to bootstrap servers (RFC 8572 5.3, 5.5, 7, 9.16).
 *
 * TLS 1.2 only: BearSSL implements no TLS 1.3, although RFC 8572 9.16 names
 * TLS 1.3 (RFC 8446) as mandatory to implement (requirement R89). Cipher
 * suites: ECDHE with AES-GCM or AES-CBC-SHA256/384, for RSA and ECDSA
 * server certificates.
 *
 * Server authentication (R131-R133, R70):
 *   TLS_AUTH_ANCHORS      the server's certificate must path-validate to one
 *                         of the given anchors (certificates: each is used by
 *                         subject DN and key, as a CA), under the clock
 *                         policy (clock_policy.h), and name the host: a DNS
 *                         name is checked by BearSSL (RFC 6125), an IP
 *                         literal against the subjectAltName iPAddress
 *                         entries here.
 *   TLS_AUTH_PROVISIONAL  any server certificate is accepted; its public
 *                         key is still used for the handshake.
 * Client authentication (R77, R79): the IDevID certificate and intermediates
 * with the device key (RSA or EC), sent when the server asks for one.
 *
 * The caller owns all storage (struct tls_conn) and resolves the host: one
 * connection is one address (R129). Errors are sticky: after the first
 * failure every call fails with the same reason.
 */
#ifndef SZTP_TLS_CLIENT_H
#define SZTP_TLS_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <bearssl.h>

#include "certchain.h"
#include "clock_policy.h"
#include "device_key.h"
#include "sztp.h"
#include "x509_cert.h"

#define TLS_MAX_ANCHORS      8
#define TLS_MAX_CLIENT_CHAIN 8
#define TLS_MAX_CERT         8192  /* largest server certificate accepted */

enum tls_server_auth { TLS_AUTH_ANCHORS, TLS_AUTH_PROVISIONAL };

struct tls_params {
	const char *host;          /* DNS name or IP literal, as named: SNI (not for an IP) and name check */
	const struct sockaddr *addr;  /* the address to connect to */
	socklen_t addrlen;
	enum tls_server_auth auth;
	const struct x509_cert *anchors;  /* TLS_AUTH_ANCHORS: trust anchors (R24, R131) */
	size_t nanchors;
	/* IDevID certificate first, then intermediates (R77, R79); n = 0: none.
	 * The DER and the key must outlive the connection. */
	const uint8_t *const *client_chain_der;
	const size_t *client_chain_len;
	size_t client_chain_n;
	const struct device_key *client_key;
	unsigned timeout_ms;       /* connect, and each read or write; 0: no limit */
	int64_t now;               /* validation time (clock_policy.h) */
};

/*
 * Server certificate handling: an X.509 class wrapped around BearSSL's
 * minimal engine, seeing each certificate whole as it arrives. Private.
 */
struct tls_x509 {
	const br_x509_class *vtable;
	br_x509_minimal_context minimal;
	enum tls_server_auth auth;
	struct validation_clock clk;
	int ip_len;                        /* host is an IP literal: 4 or 16, else 0 */
	uint8_t ip[16];
	const char *host;
	unsigned ncert;                    /* certificates seen in this chain */
	size_t len, expect;
	int err;                           /* BR_ERR_X509_* of our own checks, 0 if none */
	char reason[160];                  /* set with err */
	struct chain_key ee_key;           /* provisional: the end-entity key */
	uint8_t cert[TLS_MAX_CERT];
};

struct tls_conn {
	int fd;
	int failed;
	int eof;                           /* peer closed TCP */
	int timed_out;
	int io_errno;                      /* socket error, 0 if none */
	int handshake_done;
	unsigned timeout_ms;
	struct errbuf err;                 /* the sticky reason */
	br_ssl_client_context cc;
	br_sslio_context io;
	struct tls_x509 x509;
	br_x509_trust_anchor ta[TLS_MAX_ANCHORS];
	struct chain_key ta_key[TLS_MAX_ANCHORS];
	br_x509_certificate chain[TLS_MAX_CLIENT_CHAIN];
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
};

/* Connect and complete the handshake. 0, or -1 with the reason in e (the
 * socket is then closed). Either way tls_close(c) follows: it wipes. */
int tls_connect(struct tls_conn *c, const struct tls_params *p, struct errbuf *e);
/* Write all n bytes and flush them. n, or -1. */
long tls_write_all(struct tls_conn *c, const void *p, size_t n, struct errbuf *e);
/* Read up to n bytes: the count, 0 at a clean close (close_notify), or -1
 * (a TCP close without close_notify is an error: the data may be cut). */
long tls_read(struct tls_conn *c, void *p, size_t n, struct errbuf *e);
/* Send close_notify (not waiting for the answer), close the socket, wipe. */
void tls_close(struct tls_conn *c);

/*
 * Does the DER certificate's subjectAltName hold this iPAddress (4 or 16
 * octets)? 1 yes, 0 no, -1 malformed. (Exposed for the fuzzer.)
 */
int tls_cert_names_ip(const uint8_t *der, size_t len, const uint8_t *ip, size_t iplen);

#endif
