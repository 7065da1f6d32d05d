/* HTTP/1.1 client connections over TLS or plain TCP: see http_client.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <bearssl.h>

#include "http_client.h"
#include "netaddr.h"
#include "http_request.h"

/* What one request/response exchange came to. */
enum {
	XCHG_OK = 0,
	XCHG_FAIL = -1,
	XCHG_CLOSED = -2,  /* the peer closed (or reset) before any response octet */
};

/* --- addresses -------------------------------------------------------- */

void http_target_text(const struct http_target *t, char *buf, size_t cap)
{
	sockaddr_text((const struct sockaddr *)&t->addr, buf, cap);
}

int http_client_resolve(const char *host, uint16_t port, int https, struct http_target *out,
			size_t max, struct errbuf *e)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	uint8_t ip[16];
	char serv[8];
	size_t n = 0, hl = strlen(host);
	int r;

	if (hl == 0 || hl >= sizeof(out->host))
		return errf(e, "host name of %zu octets", hl);
	if (max == 0)
		return errf(e, "no room for an address");
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	/* A literal is never looked up (RFC 3986 3.2.2: it is the address). */
	if (inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1)
		hints.ai_flags |= AI_NUMERICHOST;
	snprintf(serv, sizeof(serv), "%u", (unsigned)port);
	r = getaddrinfo(host, serv, &hints, &res);
	if (r != 0)
		return errf(e, "cannot resolve `%s': %s", host, r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
	/* The resolver's order is the order to try them in (R129). */
	for (const struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next) {
		struct http_target *t = &out[n];

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(t->addr))
			continue;
		memset(t, 0, sizeof(*t));
		memcpy(t->host, host, hl + 1);
		t->port = port;
		t->https = https;
		memcpy(&t->addr, ai->ai_addr, ai->ai_addrlen);
		t->addrlen = ai->ai_addrlen;
		n++;
	}
	freeaddrinfo(res);
	if (n == 0)
		return errf(e, "`%s' has no IPv4 or IPv6 address", host);
	return (int)n;
}

static int addr_eq(const struct http_target *a, const struct http_target *b)
{
	const struct sockaddr *x = (const struct sockaddr *)&a->addr;
	const struct sockaddr *y = (const struct sockaddr *)&b->addr;

	if (x->sa_family != y->sa_family)
		return 0;
	if (x->sa_family == AF_INET) {
		const struct sockaddr_in *p = (const void *)x, *q = (const void *)y;

		return p->sin_port == q->sin_port && p->sin_addr.s_addr == q->sin_addr.s_addr;
	}
	if (x->sa_family == AF_INET6) {
		const struct sockaddr_in6 *p = (const void *)x, *q = (const void *)y;

		return p->sin6_port == q->sin6_port && p->sin6_scope_id == q->sin6_scope_id &&
		       !memcmp(&p->sin6_addr, &q->sin6_addr, sizeof(p->sin6_addr));
	}
	return 0;
}

/* --- the socket ------------------------------------------------------- */

/* 0 when fd is ready, -1 with errno (ETIMEDOUT after timeout_ms; 0: none). */
static int fd_wait(int fd, short events, unsigned timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int ms = timeout_ms == 0 ? -1 : timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms;
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

static int plain_connect(struct http_conn *c, struct errbuf *e)
{
	char where[80];
	int err = 0;
	socklen_t sl = sizeof(err);

	http_target_text(&c->t, where, sizeof(where));
	c->fd = socket(c->t.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return errf(e, "socket: %s", strerror(errno));
	if (connect(c->fd, (const struct sockaddr *)&c->t.addr, c->t.addrlen) < 0) {
		if (errno != EINPROGRESS)
			err = errno;
		else if (fd_wait(c->fd, POLLOUT, c->timeout_ms) < 0)
			err = errno;
		else if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
			err = errno;
	}
	if (!err)
		return 0;
	close(c->fd);
	c->fd = -1;
	if (err == ETIMEDOUT)
		return errf(e, "cannot connect to %s: timed out after %u ms", where, c->timeout_ms);
	return errf(e, "cannot connect to %s: %s", where, strerror(err));
}

static int is_peer_close(int err)
{
	return err == ECONNRESET || err == EPIPE;
}

/* Up to n octets: the count, 0 at a clean close, -1. *closed: the peer
 * closed or reset the connection (as opposed to a timeout or a TLS error). */
static long conn_read(struct http_conn *c, uint8_t *p, size_t n, int *closed, struct errbuf *e)
{
	if (c->https) {
		long r = tls_read(&c->tls, p, n, e);

		*closed = r == 0 || c->tls.eof || is_peer_close(c->tls.io_errno);
		return r;
	}
	for (;;) {
		ssize_t r = read(c->fd, p, n);

		if (r >= 0) {
			*closed = r == 0;
			return (long)r;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			*closed = is_peer_close(errno);
			return errf(e, "read failed: %s", strerror(errno));
		}
		if (fd_wait(c->fd, POLLIN, c->timeout_ms) < 0)
			return errf(e, "read failed: %s", errno == ETIMEDOUT ? "timed out" : strerror(errno));
	}
}

static int conn_write(struct http_conn *c, const void *p, size_t n, int *closed, struct errbuf *e)
{
	const uint8_t *b = p;

	if (c->https) {
		if (tls_write_all(&c->tls, p, n, e) >= 0)
			return 0;
		*closed = c->tls.eof || is_peer_close(c->tls.io_errno);
		return -1;
	}
	while (n > 0) {
		ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);

		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			*closed = is_peer_close(errno);
			return errf(e, "write failed: %s", strerror(errno));
		}
		if (fd_wait(c->fd, POLLOUT, c->timeout_ms) < 0)
			return errf(e, "write failed: %s", errno == ETIMEDOUT ? "timed out" : strerror(errno));
	}
	return 0;
}

/* --- connections ------------------------------------------------------ */

/*
 * Who the connection authenticated and who it presented: digests of the
 * anchors and of the client chain (DER is self-delimiting, so the
 * concatenation is unambiguous). Kept by value, so reuse never reads the
 * caller's anchors of an earlier use, which may be gone.
 */
static void auth_ids(const struct http_tls *tls, uint8_t anchors_id[32], uint8_t client_id[32])
{
	br_sha256_context h;

	br_sha256_init(&h);
	for (size_t i = 0; tls->auth == TLS_AUTH_ANCHORS && i < tls->nanchors; i++)
		br_sha256_update(&h, tls->anchors[i].whole.raw, tls->anchors[i].whole.rawlen);
	br_sha256_out(&h, anchors_id);
	br_sha256_init(&h);
	for (size_t i = 0; i < tls->client_chain_n; i++)
		br_sha256_update(&h, tls->client_chain_der[i], tls->client_chain_len[i]);
	br_sha256_out(&h, client_id);
}

static int conn_fits(const struct http_conn *c, const struct http_target *t, const struct http_tls *tls)
{
	uint8_t aid[32], cid[32];

	if (!c->open || c->https != t->https || strcmp(c->t.host, t->host) || !addr_eq(&c->t, t))
		return 0;
	if (!t->https)
		return 1;
	auth_ids(tls, aid, cid);
	if (memcmp(cid, c->client_id, sizeof(cid)))
		return 0;
	if (tls->auth == TLS_AUTH_PROVISIONAL)
		return 1;
	return c->auth == TLS_AUTH_ANCHORS && !memcmp(aid, c->anchors_id, sizeof(aid));
}

/* An idle connection has nothing to say: readable means the server closed
 * it (or sent octets that answer nothing), so it is not reused. */
static int conn_quiet(const struct http_conn *c)
{
	struct pollfd p = { .fd = c->https ? c->tls.fd : c->fd, .events = POLLIN };

	if (p.fd < 0 || (c->https && c->tls.failed))
		return 0;
	return poll(&p, 1, 0) == 0;
}

static int conn_open(struct http_conn *c, struct errbuf *e)
{
	c->requests = 0;
	c->rpos = c->rlen = 0;
	c->fd = -1;
	if (c->t.addrlen == 0)
		return errf(e, "no server address (http_conn_use first)");
	if (c->https) {
		struct tls_params p = {
			.host = c->t.host,
			.addr = (const struct sockaddr *)&c->t.addr,
			.addrlen = c->t.addrlen,
			.auth = c->cfg.auth,
			.anchors = c->cfg.anchors,
			.nanchors = c->cfg.nanchors,
			.client_chain_der = c->cfg.client_chain_der,
			.client_chain_len = c->cfg.client_chain_len,
			.client_chain_n = c->cfg.client_chain_n,
			.client_key = c->cfg.client_key,
			.timeout_ms = c->timeout_ms,
			.now = c->cfg.now,
		};

		if (tls_connect(&c->tls, &p, e) < 0) {
			tls_close(&c->tls);
			return -1;
		}
		c->handshakes++;
		c->cipher_suite = c->tls.cc.eng.session.cipher_suite;
		c->auth = c->cfg.auth;
		auth_ids(&c->cfg, c->anchors_id, c->client_id);
	} else if (plain_connect(c, e) < 0) {
		return -1;
	}
	c->open = 1;
	return 0;
}

int http_conn_use(struct http_conn *c, const struct http_target *t, const struct http_tls *tls,
		  unsigned timeout_ms, struct errbuf *e)
{
	static const struct http_tls none;

	if (t->https && !tls) {
		http_conn_close(c);
		return errf(e, "https without TLS settings");
	}
	if (conn_fits(c, t, tls) && conn_quiet(c)) {
		c->timeout_ms = c->tls.timeout_ms = timeout_ms;
		c->cfg = tls ? *tls : none;
		return 0;
	}
	http_conn_close(c);
	c->t = *t;
	c->https = t->https;
	c->timeout_ms = timeout_ms;
	c->cfg = tls ? *tls : none;
	return conn_open(c, e);
}

void http_conn_close(struct http_conn *c)
{
	if (c->open) {
		if (c->https)
			tls_close(&c->tls);
		else if (c->fd >= 0)
			close(c->fd);
	}
	c->open = 0;
	c->fd = -1;
	c->requests = 0;
	c->rpos = c->rlen = 0;
	sztp_wipe(c->rbuf, sizeof(c->rbuf));
}

/* --- one request ------------------------------------------------------ */

/*
 * Send the request and read its response. rbuf holds the head while it
 * is sent (the head is short, bounded by the path's limit), then the
 * response octets.
 */
static int exchange(struct http_conn *c, const char *method, const char *path,
		    const char *content_type, const void *body, size_t body_len, const char *accept,
		    const char *extra_header, struct http_response *r, uint64_t max_body,
		    struct http_body_sink sink, int *reusable, struct errbuf *e)
{
	uint64_t got = 0;
	int len, closed = 0;

	http_response_init(r, max_body, !strcmp(method, "HEAD"));
	len = http_request_write((char *)c->rbuf, sizeof(c->rbuf), method, c->t.host, c->t.port,
				 c->https, path, content_type, body_len, accept, extra_header);
	if (len < 0) {
		errf(e, "cannot make a %s request for this path or header", method);
		return XCHG_FAIL;
	}
	if (conn_write(c, c->rbuf, (size_t)len, &closed, e) < 0 ||
	    (body_len && conn_write(c, body, body_len, &closed, e) < 0))
		return closed ? XCHG_CLOSED : XCHG_FAIL;
	c->rpos = c->rlen = 0;
	while (!http_response_done(r)) {
		long n = conn_read(c, c->rbuf, sizeof(c->rbuf), &closed, e);
		const char *why;

		if (n <= 0 && got == 0 && closed) {
			errf(e, "connection closed by the server before the response");
			return XCHG_CLOSED;
		}
		if (n < 0)
			return XCHG_FAIL;
		if (n == 0) {
			*reusable = 0;
			/* A cut response is a transport failure: r keeps its
			 * state (not HTTP_RESPONSE_ERROR), so the caller may ask
			 * for the rest. */
			if (r->state == HTTP_RESPONSE_HEAD) {
				errf(e, "connection closed in the response head");
				return XCHG_FAIL;
			}
			if (r->framing == HTTP_FRAMING_LENGTH) {
				errf(e, "connection closed after %llu of %llu body octets",
				     (unsigned long long)r->body_len, (unsigned long long)r->content_length);
				return XCHG_FAIL;
			}
			if (r->framing == HTTP_FRAMING_CHUNKED) {
				errf(e, "connection closed in the chunked body, after %llu octets",
				     (unsigned long long)r->body_len);
				return XCHG_FAIL;
			}
			/* The end of an until-close body: on TLS this was a
			 * close_notify, so it is whole (http_response.h). */
			http_response_eof(r);
			break;
		}
		got += (uint64_t)n;
		c->rlen = (size_t)n;
		c->rpos = http_response_push(r, c->rbuf, c->rlen, sink);
		if (c->cancel) {
			errf(e, "response body refused");
			return XCHG_FAIL;
		}
		if ((why = http_response_error(r)) != NULL) {
			errf(e, "%s", why);
			return XCHG_FAIL;
		}
	}
	if (r->conn_close || c->rpos < c->rlen)
		*reusable = 0;
	c->rpos = c->rlen = 0;
	return XCHG_OK;
}

int http_conn_request(struct http_conn *c, const char *method, const char *path,
		      const char *content_type, const void *body, size_t body_len, const char *accept,
		      const char *extra_header, struct http_response *r, uint64_t max_body,
		      struct http_body_sink sink, struct errbuf *e)
{
	http_response_init(r, max_body, !strcmp(method, "HEAD"));
	c->cancel = 0;
	for (int attempt = 0;; attempt++) {
		struct errbuf le = { 0 };
		int reused, reusable = 1, x;

		if (!c->open && conn_open(c, &le) < 0)
			return errf(e, "%s", le.msg);
		reused = c->requests++ > 0;
		x = exchange(c, method, path, content_type, body, body_len, accept, extra_header, r,
			     max_body, sink, &reusable, &le);
		if (x == XCHG_OK) {
			if (!reusable)
				http_conn_close(c);
			return 0;
		}
		http_conn_close(c);
		/* RFC 9112 9.3.1: a persistent connection may be closed by the
		 * server at any time; a request it never answered is sent once
		 * more on a fresh connection. */
		if (x == XCHG_CLOSED && reused && attempt == 0)
			continue;
		return errf(e, "%s", le.msg);
	}
}

/* --- URIs ------------------------------------------------------------- */

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* pchar (RFC 3986 3.3) less pct-encoded, plus '/' and '?' (3.4). */
static int is_path_char(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("-._~!$&'()*+,;=:@/?", c) != NULL);
}

int http_uri_parse(const char *uri, struct http_uri *u, struct errbuf *e)
{
	const char *p, *end, *h, *hend;
	size_t hl, pl = 0;

	memset(u, 0, sizeof(*u));
	if (!strncasecmp(uri, "https://", 8)) {
		u->https = 1;
		p = uri + 8;
	} else if (!strncasecmp(uri, "http://", 7)) {
		p = uri + 7;
	} else {
		return errf(e, "not an http: or https: URI");
	}
	u->port = u->https ? 443 : 80;
	/* authority = [ userinfo "@" ] host [ ":" port ] (RFC 3986 3.2) */
	end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(end - p)))
		return errf(e, "URI with userinfo refused");
	if (*p == '[') {
		uint8_t ip[16];

		h = p + 1;
		hend = memchr(h, ']', (size_t)(end - h));
		if (!hend)
			return errf(e, "URI: unterminated IPv6 literal");
		hl = (size_t)(hend - h);
		if (hl == 0 || hl >= sizeof(u->host))
			return errf(e, "URI: bad IPv6 literal");
		memcpy(u->host, h, hl);
		if (inet_pton(AF_INET6, u->host, ip) != 1)
			return errf(e, "URI: bad IPv6 literal `%s'", u->host);
		p = hend + 1;
	} else {
		h = p;
		while (p < end && *p != ':') {
			if (!is_alnum(*p) && *p != '-' && *p != '.')
				return errf(e, "URI: invalid octet 0x%02x in the host", (unsigned char)*p);
			p++;
		}
		hl = (size_t)(p - h);
		if (hl == 0 || hl > 253)
			return errf(e, "URI: host name of %zu octets", hl);
		memcpy(u->host, h, hl);
	}
	if (p < end) {
		unsigned long port = 0;

		if (*p++ != ':')
			return errf(e, "URI: junk after the host");
		if (end - p > 5)
			return errf(e, "URI: bad port");
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return errf(e, "URI: bad port");
			port = port * 10 + (unsigned long)(*p - '0');
		}
		if (port > 65535 || (port == 0 && p[-1] != ':'))
			return errf(e, "URI: port out of range");
		if (port)
			u->port = (uint16_t)port;  /* ":" alone: the default (3.2.3) */
	}
	/* RFC 9112 3.2.1: an empty path is sent as "/". */
	if (*p != '/')
		u->path[pl++] = '/';
	for (; *p; p++) {
		if (*p == '#')
			return errf(e, "URI with a fragment refused");
		if (*p == '%' ? !is_hex(p[1]) || !is_hex(p[2]) : !is_path_char(*p))
			return errf(e, "URI: invalid octet 0x%02x in the path", (unsigned char)*p);
		if (pl + 1 >= sizeof(u->path))
			return errf(e, "URI: path of %d octets or more", HTTP_URI_PATH_MAX);
		u->path[pl++] = *p;
	}
	return 0;
}
