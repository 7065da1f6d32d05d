/* TLS 1.2 client on BearSSL for bootstrap servers (RFC 8572 5.3, 5.5, 9.16). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "timefmt.h"
#include "netaddr.h"
#include "tls_client.h"
#include "x509_cert.h"

/* id-ce-subjectAltName (RFC 5280 4.2.1.6). */
#define GN_IP_ADDRESS DER_CTX(7)  /* GeneralName iPAddress [7] OCTET STRING */

/*
 * ECDHE only (forward secrecy) with AES-GCM. The AES code is the
 * constant-time "ct" family that CMS decryption already links. CBC suites
 * would cost about 3 KB (CBC records, HMAC, the AES encryptor) for servers
 * that every TLS 1.2 stack of the last decade can serve with GCM.
 */
static const uint16_t tls_suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};

static const br_hash_class *const tls_hashes[] = {
	&br_sha1_vtable, &br_sha224_vtable, &br_sha256_vtable, &br_sha384_vtable, &br_sha512_vtable,
};

/* --- names for BearSSL's error codes ---------------------------------- */

static const char *alert_name(int a)
{
	switch (a) {
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	default: return "alert";
	}
}

static const char *br_err_name(int err)
{
	switch (err) {
	case BR_ERR_UNSUPPORTED_VERSION: return "server does not offer TLS 1.2";
	case BR_ERR_BAD_VERSION: return "bad protocol version";
	case BR_ERR_BAD_MAC: return "bad record MAC";
	case BR_ERR_NO_RANDOM: return "no entropy source";
	case BR_ERR_UNEXPECTED: return "unexpected message";
	case BR_ERR_BAD_HANDSHAKE: return "malformed handshake message";
	case BR_ERR_BAD_CIPHER_SUITE: return "no common cipher suite";
	case BR_ERR_BAD_SIGNATURE: return "bad server key exchange signature";
	case BR_ERR_WRONG_KEY_USAGE: return "server key usage forbids the key exchange";
	case BR_ERR_INVALID_ALGORITHM: return "unsupported algorithm";
	case BR_ERR_IO: return "I/O error";
	case BR_ERR_X509_EMPTY_CHAIN: return "server sent no certificate";
	case BR_ERR_X509_BAD_SIGNATURE: return "bad certificate signature";
	case BR_ERR_X509_UNSUPPORTED: return "unsupported certificate algorithm";
	case BR_ERR_X509_LIMIT_EXCEEDED: return "certificate chain too long";
	case BR_ERR_X509_WRONG_KEY_TYPE: return "wrong key type";
	case BR_ERR_X509_TIME_UNKNOWN: return "time unknown";
	case BR_ERR_X509_EXPIRED: return "certificate expired or not yet valid";
	case BR_ERR_X509_DN_MISMATCH: return "issuer name mismatch";
	case BR_ERR_X509_BAD_SERVER_NAME: return "server certificate does not name the host";
	case BR_ERR_X509_CRITICAL_EXTENSION: return "unsupported critical extension";
	case BR_ERR_X509_NOT_CA: return "issuer is not a CA";
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE: return "key usage forbids certificate signing";
	case BR_ERR_X509_WEAK_PUBLIC_KEY: return "public key too weak";
	case BR_ERR_X509_NOT_TRUSTED: return "server certificate not trusted: no path to a trust anchor";
	default: break;
	}
	if (err >= BR_ERR_X509_OK && err <= BR_ERR_X509_NOT_TRUSTED)
		return "malformed certificate";
	return "protocol error";
}

/* --- the server's certificates ------------------------------------------ */

/* RFC 6125 6.2.1, RFC 5280 4.2.1.6. Runs before any signature check: the
 * input is the peer's, bounded by the DER reader. */
int tls_cert_names_ip(const uint8_t *der, size_t len, const uint8_t *ip, size_t iplen)
{
	struct x509_cert c;
	struct der_tlv seq, gn;
	struct der gns;

	if (x509_cert_parse(&c, der, len) < 0)
		return -1;
	if (!c.san)
		return 0;
	if (der_whole(c.san, c.san_len, &seq) < 0 || seq.tag != DER_SEQUENCE)
		return -1;
	gns = der_inner(&seq);
	while (gns.len) {
		if (der_next(&gns, &gn) < 0)
			return -1;
		if (gn.tag == GN_IP_ADDRESS && gn.len == iplen && memcmp(gn.val, ip, iplen) == 0)
			return 1;
	}
	return 0;
}

static void x509_fail(struct tls_x509 *x, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void x509_fail(struct tls_x509 *x, int err, const char *fmt, ...)
{
	va_list ap;

	if (x->err)
		return;
	x->err = err;
	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof(x->reason), fmt, ap);
	va_end(ap);
}

static struct tls_x509 *x509_of(const br_x509_class **ctx)
{
	return (struct tls_x509 *)(void *)ctx;
}

static void x_start_chain(const br_x509_class **ctx, const char *server_name)
{
	struct tls_x509 *x = x509_of(ctx);

	x->ncert = 0;
	x->err = 0;
	x->reason[0] = 0;
	if (x->auth == TLS_AUTH_ANCHORS)
		x->minimal.vtable->start_chain(&x->minimal.vtable, server_name);
}

static void x_start_cert(const br_x509_class **ctx, uint32_t length)
{
	struct tls_x509 *x = x509_of(ctx);

	x->len = 0;
	x->expect = length;
}

static void x_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct tls_x509 *x = x509_of(ctx);

	if (x->len > sizeof(x->cert) || len > sizeof(x->cert) - x->len) {
		x->len = sizeof(x->cert) + 1;  /* too large: remembered until end_cert */
		return;
	}
	memcpy(x->cert + x->len, buf, len);
	x->len += len;
}

/*
 * Validity under the clock policy (clock_policy.h), checked here; BearSSL
 * then runs at a moment inside the certificate's period, so it checks what
 * we do not: signatures, names, constraints.
 */
static void x_check_anchored(struct tls_x509 *x, unsigned idx)
{
	struct x509_cert xc;
	char t[32];
	const char *what = idx ? "server chain" : "server";
	const br_x509_class **inner = &x->minimal.vtable;

	if (x509_cert_parse(&xc, x->cert, x->len) < 0)
		return x509_fail(x, BR_ERR_X509_INVALID_VALUE, "malformed %s certificate", what);
	if (xc.not_after < x->clk.now) {
		rfc3339_format(xc.not_after, t, sizeof(t));
		return x509_fail(x, BR_ERR_X509_EXPIRED, "%s certificate expired at %s", what, t);
	}
	if (x->clk.accurate && xc.not_before > x->clk.now) {
		rfc3339_format(xc.not_before, t, sizeof(t));
		return x509_fail(x, BR_ERR_X509_EXPIRED, "%s certificate not valid before %s", what, t);
	}
	if (idx == 0 && x->ip_len) {
		int r = tls_cert_names_ip(x->cert, x->len, x->ip, (size_t)x->ip_len);

		if (r < 0)
			return x509_fail(x, BR_ERR_X509_INVALID_VALUE, "malformed server certificate extensions");
		if (r == 0)
			return x509_fail(x, BR_ERR_X509_BAD_SERVER_NAME,
					 "server certificate does not name IP address %s", x->host);
	}
	int64_t when = xc.not_before > x->clk.now ? xc.not_before : x->clk.now;
	int64_t days = when / 86400, secs = when % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* BearSSL counts days from 0000-01-01; 1970-01-01 is day 719528. */
	br_x509_minimal_set_time(&x->minimal, (uint32_t)(days + 719528), (uint32_t)secs);
	(*inner)->start_cert(inner, (uint32_t)x->len);
	(*inner)->append(inner, x->cert, x->len);
	(*inner)->end_cert(inner);
}

static void x_end_cert(const br_x509_class **ctx)
{
	struct tls_x509 *x = x509_of(ctx);
	unsigned idx = x->ncert++;

	if (x->err)
		return;
	if (x->len > sizeof(x->cert) || x->len != x->expect)
		return x509_fail(x, BR_ERR_X509_LIMIT_EXCEEDED, "server certificate %u larger than %d bytes",
				 idx, TLS_MAX_CERT);
	if (x->auth == TLS_AUTH_ANCHORS)
		return x_check_anchored(x, idx);
	/* Provisional (RFC 8572 5.5): only the end-entity key matters. */
	if (idx == 0) {
		struct x509_cert whole = { 0 };

		whole.whole.raw = x->cert;
		whole.whole.rawlen = x->len;
		if (certchain_cert_key(&whole, &x->ee_key) < 0)
			x509_fail(x, BR_ERR_X509_UNSUPPORTED, "cannot decode the server's public key");
	}
}

static unsigned x_end_chain(const br_x509_class **ctx)
{
	struct tls_x509 *x = x509_of(ctx);

	if (x->err)
		return (unsigned)x->err;
	if (x->ncert == 0)
		return BR_ERR_X509_EMPTY_CHAIN;
	if (x->auth == TLS_AUTH_ANCHORS)
		return x->minimal.vtable->end_chain(&x->minimal.vtable);
	return 0;
}

static const br_x509_pkey *x_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	const struct tls_x509 *x = (const struct tls_x509 *)(const void *)ctx;

	if (x->auth == TLS_AUTH_ANCHORS)
		return x->minimal.vtable->get_pkey(&x->minimal.vtable, usages);
	if (usages)
		*usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
	return &x->ee_key.pkey;
}

static const br_x509_class tls_x509_vtable = {
	sizeof(struct tls_x509),
	x_start_chain,
	x_start_cert,
	x_append,
	x_end_cert,
	x_end_chain,
	x_get_pkey,
};

/* --- the socket ----------------------------------------------------------- */

/* Wait for the socket; 0 ready, -1 timed out or failed (recorded in c). */
static int sock_wait(struct tls_conn *c, short events)
{
	struct pollfd pfd = { .fd = c->fd, .events = events };
	int r;

	do
		r = poll(&pfd, 1, c->timeout_ms == 0 ? -1 : c->timeout_ms > INT_MAX ? INT_MAX : (int)c->timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		c->timed_out = 1;
		return -1;
	}
	if (r < 0) {
		c->io_errno = errno;
		return -1;
	}
	return 0;
}

static int sock_read(void *ctx, unsigned char *buf, size_t len)
{
	struct tls_conn *c = ctx;

	for (;;) {
		ssize_t r = read(c->fd, buf, len);

		if (r > 0)
			return (int)r;
		if (r == 0) {
			c->eof = 1;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			c->io_errno = errno;
			return -1;
		}
		if (sock_wait(c, POLLIN) < 0)
			return -1;
	}
}

static int sock_write(void *ctx, const unsigned char *buf, size_t len)
{
	struct tls_conn *c = ctx;

	for (;;) {
		ssize_t r = send(c->fd, buf, len, MSG_NOSIGNAL);

		if (r >= 0)
			return (int)r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			c->io_errno = errno;
			return -1;
		}
		if (sock_wait(c, POLLOUT) < 0)
			return -1;
	}
}

static int sock_connect(struct tls_conn *c, const struct tls_params *p, struct errbuf *e)
{
	char where[80];
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	sockaddr_text(p->addr, where, sizeof(where));
	c->fd = socket(p->addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return errf(e, "socket: %s", strerror(errno));
	if (connect(c->fd, p->addr, p->addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errf(e, "cannot connect to %s: %s", where, strerror(errno));
	if (sock_wait(c, POLLOUT) < 0)
		return errf(e, "cannot connect to %s: %s", where,
			    c->timed_out ? "timed out" : strerror(c->io_errno));
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr)
		return errf(e, "cannot connect to %s: %s", where, strerror(soerr));
	return 0;
}

/* --- the connection ------------------------------------------------------ */

/* Record the reason the engine stopped (once), close the socket. */
static int conn_fail(struct tls_conn *c, const char *what, struct errbuf *e)
{
	if (!c->failed) {
		int err = br_ssl_engine_last_error(&c->cc.eng);

		c->failed = 1;
		if (c->x509.err)
			errf(&c->err, "%s failed: %s", what, c->x509.reason);
		else if (c->timed_out)
			errf(&c->err, "%s failed: timed out after %u ms", what, c->timeout_ms);
		else if (c->io_errno)
			errf(&c->err, "%s failed: %s", what, strerror(c->io_errno));
		else if (c->eof)
			errf(&c->err, "%s failed: connection closed by the server%s", what,
			     c->handshake_done ? " without close_notify" : "");
		else if (err >= BR_ERR_SEND_FATAL_ALERT)
			errf(&c->err, "%s failed: BearSSL error %d (sent alert %s)", what, err,
			     alert_name(err - BR_ERR_SEND_FATAL_ALERT));
		else if (err >= BR_ERR_RECV_FATAL_ALERT)
			errf(&c->err, "%s failed: BearSSL error %d (server sent alert %s)", what, err,
			     alert_name(err - BR_ERR_RECV_FATAL_ALERT));
		else if (err)
			errf(&c->err, "%s failed: BearSSL error %d (%s)", what, err, br_err_name(err));
		else
			errf(&c->err, "%s failed: connection closed", what);
		if (c->fd >= 0) {
			close(c->fd);
			c->fd = -1;
		}
	}
	return errf(e, "%s", c->err.msg);
}

static int is_ip_literal(const char *host, uint8_t ip[16])
{
	if (inet_pton(AF_INET, host, ip) == 1)
		return 4;
	if (inet_pton(AF_INET6, host, ip) == 1)
		return 16;
	return 0;
}

static int setup_anchors(struct tls_conn *c, const struct tls_params *p, struct errbuf *e)
{
	if (p->nanchors == 0)
		return errf(e, "TLS: no trust anchor for the server");
	if (p->nanchors > TLS_MAX_ANCHORS)
		return errf(e, "TLS: more than %d trust anchors", TLS_MAX_ANCHORS);
	for (size_t i = 0; i < p->nanchors; i++) {
		const struct x509_cert *a = &p->anchors[i];

		if (certchain_cert_key(a, &c->ta_key[i]) < 0)
			return errf(e, "TLS: cannot decode trust anchor %zu's public key", i);
		c->ta[i].dn.data = (unsigned char *)a->subject.raw;
		c->ta[i].dn.len = a->subject.rawlen;
		c->ta[i].flags = BR_X509_TA_CA;
		c->ta[i].pkey = c->ta_key[i].pkey;
	}
	return 0;
}

static int setup_client_auth(struct tls_conn *c, const struct tls_params *p, struct errbuf *e)
{
	const struct device_key *k = p->client_key;

	if (p->client_chain_n == 0)
		return 0;
	if (p->client_chain_n > TLS_MAX_CLIENT_CHAIN)
		return errf(e, "TLS: client certificate chain longer than %d", TLS_MAX_CLIENT_CHAIN);
	if (!k || (k->type != BR_KEYTYPE_RSA && k->type != BR_KEYTYPE_EC))
		return errf(e, "TLS: client certificate without a private key");
	for (size_t i = 0; i < p->client_chain_n; i++) {
		c->chain[i].data = (unsigned char *)p->client_chain_der[i];
		c->chain[i].data_len = p->client_chain_len[i];
	}
	if (k->type == BR_KEYTYPE_RSA)
		br_ssl_client_set_single_rsa(&c->cc, c->chain, p->client_chain_n, &k->rsa,
					     br_rsa_pkcs1_sign_get_default());
	else
		br_ssl_client_set_single_ec(&c->cc, c->chain, p->client_chain_n, &k->ec,
					    BR_KEYTYPE_SIGN, BR_KEYTYPE_EC, br_ec_get_default(),
					    br_ecdsa_sign_asn1_get_default());
	return 0;
}

static void setup_engine(struct tls_conn *c)
{
	br_ssl_engine_context *eng = &c->cc.eng;
	br_x509_minimal_context *mc = &c->x509.minimal;

	br_ssl_client_zero(&c->cc);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(eng, tls_suites, sizeof(tls_suites) / sizeof(tls_suites[0]));
	br_ssl_engine_set_prf_sha256(eng, &br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(eng, &br_tls12_sha384_prf);
	br_ssl_engine_set_gcm(eng, &br_sslrec_in_gcm_vtable, &br_sslrec_out_gcm_vtable);
	/* AES-NI and PCLMULQDQ when the CPU has them (5x faster image
	 * downloads, bench/README.md), else the constant-time portable code. */
	{
		const br_block_ctr_class *ctr = br_aes_x86ni_ctr_get_vtable();
		br_ghash gh = br_ghash_pclmul_get();

		br_ssl_engine_set_aes_ctr(eng, ctr ? ctr : &br_aes_ct_ctr_vtable);
		br_ssl_engine_set_ghash(eng, gh ? gh : &br_ghash_ctmul64);
	}
	br_ssl_engine_set_ec(eng, br_ec_get_default());
	br_ssl_engine_set_ecdsa(eng, br_ecdsa_vrfy_asn1_get_default());
	br_ssl_engine_set_rsavrfy(eng, br_rsa_pkcs1_vrfy_get_default());

	br_x509_minimal_init(mc, &br_sha256_vtable, c->ta, 0);
	for (size_t i = 0; i < sizeof(tls_hashes) / sizeof(tls_hashes[0]); i++) {
		int id = (int)((tls_hashes[i]->desc >> BR_HASHDESC_ID_OFF) & BR_HASHDESC_ID_MASK);

		br_ssl_engine_set_hash(eng, id, tls_hashes[i]);
		br_x509_minimal_set_hash(mc, id, tls_hashes[i]);
	}
	br_x509_minimal_set_rsa(mc, br_rsa_pkcs1_vrfy_get_default());
	br_x509_minimal_set_ecdsa(mc, br_ec_get_default(), br_ecdsa_vrfy_asn1_get_default());
	br_x509_minimal_set_minrsa(mc, 256); /* 2048-bit RSA at least */
	c->x509.vtable = &tls_x509_vtable;
	br_ssl_engine_set_x509(eng, &c->x509.vtable);
	br_ssl_engine_set_buffer(eng, c->iobuf, sizeof(c->iobuf), 1);
}

int tls_connect(struct tls_conn *c, const struct tls_params *p, struct errbuf *e)
{
	struct tls_x509 *x = &c->x509;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->timeout_ms = p->timeout_ms;
	setup_engine(c);
	if (!p->host || !p->addr) {
		errf(e, "TLS: no host or address");
		goto fail;
	}
	x->auth = p->auth;
	x->host = p->host;
	validation_clock_init(&x->clk, p->now);
	x->ip_len = is_ip_literal(p->host, x->ip);
	if (p->auth == TLS_AUTH_ANCHORS) {
		if (setup_anchors(c, p, e) < 0)
			goto fail;
		x->minimal.trust_anchors = c->ta;
		x->minimal.trust_anchors_num = p->nanchors;
	}
	if (setup_client_auth(c, p, e) < 0)
		goto fail;
	/* SNI and BearSSL's name check for a DNS name; an IP literal is
	 * checked by x_check_anchored (RFC 6066 3: no SNI for addresses). */
	if (!br_ssl_client_reset(&c->cc, x->ip_len ? NULL : p->host, 0)) {
		errf(e, "TLS: cannot initialise: BearSSL error %d", br_ssl_engine_last_error(&c->cc.eng));
		goto fail;
	}
	if (sock_connect(c, p, e) < 0)
		goto fail;
	br_sslio_init(&c->io, &c->cc.eng, sock_read, c, sock_write, c);
	if (br_sslio_flush(&c->io) < 0)
		return conn_fail(c, "TLS handshake", e);
	c->handshake_done = 1;
	return 0;
fail:
	c->failed = 1;
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	if (e)
		errf(&c->err, "%s", e->msg);
	return -1;
}

long tls_write_all(struct tls_conn *c, const void *p, size_t n, struct errbuf *e)
{
	if (c->failed)
		return errf(e, "%s", c->err.msg);
	if (br_sslio_write_all(&c->io, p, n) < 0 || br_sslio_flush(&c->io) < 0)
		return conn_fail(c, "TLS write", e);
	return (long)n;
}

long tls_read(struct tls_conn *c, void *p, size_t n, struct errbuf *e)
{
	int r;

	if (c->failed)
		return errf(e, "%s", c->err.msg);
	if (n > INT_MAX)
		n = INT_MAX;
	r = br_sslio_read(&c->io, p, n);
	if (r >= 0)
		return r;
	if ((br_ssl_engine_current_state(&c->cc.eng) & BR_SSL_CLOSED) &&
	    br_ssl_engine_last_error(&c->cc.eng) == BR_ERR_OK)
		return 0;  /* close_notify */
	return conn_fail(c, "TLS read", e);
}

void tls_close(struct tls_conn *c)
{
	br_ssl_engine_context *eng = &c->cc.eng;

	if (c->fd >= 0 && !c->failed && c->handshake_done) {
		/* Our close_notify; the peer's answer is not awaited (RFC 5246 7.2.1). */
		br_ssl_engine_close(eng);
		for (int i = 0; i < 8; i++) {
			unsigned st = br_ssl_engine_current_state(eng);
			unsigned char *buf;
			size_t len;
			int w;

			if ((st & BR_SSL_CLOSED) || !(st & BR_SSL_SENDREC))
				break;
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			w = sock_write(c, buf, len);
			if (w <= 0)
				break;
			br_ssl_engine_sendrec_ack(eng, (size_t)w);
		}
	}
	if (c->fd >= 0)
		close(c->fd);
	sztp_wipe(c, sizeof(*c));
	c->fd = -1;
}
