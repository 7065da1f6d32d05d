/*
 * HTTP/1.1 client connections to bootstrap servers and image servers, over
 * TLS (tls_client.h) or plain TCP, with keep-alive reuse: RESTCONF calls
 * (RFC 8572 7), progress reports and image downloads (5.6) to the same
 * server share one connection, hence one TLS handshake per server.
 *
 * One connection is one address (R129): the caller walks the addresses of
 * a host name (http_client_resolve) and opens each in turn. Requests are
 * written with http_request_write() and the replies read with the push
 * parser of http_response.h: bodies stream through a sink, nothing is
 * buffered here but the protocol head.
 */
#ifndef SZTP_HTTP_CLIENT_H
#define SZTP_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "http_response.h"
#include "tls_client.h"

#define HTTP_CLIENT_MAX_ADDRS 8

/* How to reach one server at one address. */
struct http_target {
	char host[256];              /* as named: DNS name or IP literal (IPv6 without brackets) */
	uint16_t port;
	int https;
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

/* TLS settings for an https target (ignored for http). */
struct http_tls {
	enum tls_server_auth auth;
	const struct x509_cert *anchors;
	size_t nanchors;
	const uint8_t *const *client_chain_der;
	const size_t *client_chain_len;
	size_t client_chain_n;
	const struct device_key *client_key;
	int64_t now;
};

/*
 * A zeroed struct is a closed connection. The http_tls given to
 * http_conn_use is kept (tls) to open the connection again when a reused
 * one turns out dead: what it points to (anchors, chain, key) must stay
 * valid until the last http_conn_request of that use.
 */
struct http_conn {
	int open;
	int https;
	struct http_target t;
	enum tls_server_auth auth;   /* of the open TLS connection */
	int fd;                      /* plain TCP */
	unsigned timeout_ms;         /* connect, and each read or write */
	unsigned handshakes;         /* TLS handshakes made on this struct (benchmark, tests) */
	uint16_t cipher_suite;       /* of the last handshake (BR_TLS_*) */
	unsigned requests;           /* requests sent on the open connection (0: fresh) */
	size_t rpos, rlen;           /* rbuf[rpos..rlen): read, not yet parsed */
	uint8_t rbuf[4096];
	struct tls_conn tls;
	struct http_tls cfg;         /* the settings of the last http_conn_use */
	uint8_t anchors_id[32];      /* SHA-256 of the open connection's anchors (DER) */
	uint8_t client_id[32];       /* ... and of the client chain it offered */
	int cancel;                  /* set by a body sink that takes no more octets */
};

/*
 * Resolve host (a DNS name or an IP literal) and port into at most max
 * targets, in the resolver's order. Returns the count (>= 1), or -1.
 */
int http_client_resolve(const char *host, uint16_t port, int https, struct http_target *out,
			size_t max, struct errbuf *e);

/*
 * Make c connected to t with the given TLS settings: an open connection to
 * the same address, scheme, host name and (for https) an authentication at
 * least as strong (an anchored connection serves provisional requests, not
 * the reverse; anchored means the same anchors, compared by content) and
 * the same client certificate chain is kept, unless the server has closed
 * it meanwhile; anything else is closed and a new one opened.
 * 0, or -1 with the reason in e (c is then closed).
 */
int http_conn_use(struct http_conn *c, const struct http_target *t, const struct http_tls *tls,
		  unsigned timeout_ms, struct errbuf *e);

/*
 * One request and its response on c (http_conn_use first). body may be
 * NULL (body_len 0). The response is parsed into r (http_response_init'ed
 * here with max_body) and its body octets go to sink. When a reused
 * connection turns out closed by the server before any response octet, the
 * request is sent once more on a fresh connection (same settings).
 * Returns 0 when a complete response was read (any status: r->status), or
 * -1 with the reason in e (transport error, timeout, malformed or oversized
 * response, or a sink that set c->cancel); on -1 the connection is closed.
 * After a response that does not allow reuse (r->conn_close) the connection
 * is closed too, and so it is when octets follow the response: requests are
 * not pipelined, so they answer nothing we asked.
 *
 * On -1, r tells a transport failure (r->state is HEAD or a BODY state: the
 * octets stopped coming) from a refused response (HTTP_RESPONSE_ERROR).
 */
int http_conn_request(struct http_conn *c, const char *method, const char *path,
		      const char *content_type, const void *body, size_t body_len, const char *accept,
		      const char *extra_header, struct http_response *r, uint64_t max_body,
		      struct http_body_sink sink, struct errbuf *e);

/* Close (TLS close_notify, socket close, wipe). Safe on a closed conn. */
void http_conn_close(struct http_conn *c);

/* "192.0.2.1:443", "[2001:db8::1]:443" (for messages). */
void http_target_text(const struct http_target *t, char *buf, size_t cap);

/*
 * An http: or https: URI (RFC 9110 4.2, RFC 3986) as a request target:
 *   scheme   "http" or "https", any case
 *   host     a DNS name (letters, digits, '-', '.'; at most 253), an IPv4
 *            literal, or an IPv6 literal in brackets (no zone identifier)
 *   port     optional, 1..65535; the scheme's default when absent or empty
 *   path     origin-form: the path ("/" when empty) and the query, made of
 *            RFC 3986 pchar, '/' and '?' (percent-encodings kept as they
 *            are, each "%" HEXDIG HEXDIG)
 * Refused: userinfo ("user@"), a fragment ('#'), any other octet (control,
 * space, non-ASCII), a path of HTTP_URI_PATH_MAX octets or more.
 */
#define HTTP_URI_PATH_MAX 2048
struct http_uri {
	int https;
	uint16_t port;
	char host[256];              /* IPv6 without brackets */
	char path[HTTP_URI_PATH_MAX];
};
int http_uri_parse(const char *uri, struct http_uri *u, struct errbuf *e);

#endif
