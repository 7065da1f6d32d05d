/*
 * HTTP/1.1 response parser (RFC 9112), push API (BearSSL idiom): the caller
 * owns the context, feeds bytes as they arrive off the TLS or TCP stream, and
 * body octets leave through a callback as they are framed -- a 2 GiB boot
 * image goes straight to the hash and the slot writer, nothing is allocated,
 * nothing is copied but the head.
 *
 * What is accepted (anything else is an error, sticky, with a one-line
 * reason from http_response_error()):
 *   - status-line "HTTP/1.1" or "HTTP/1.0", SP, three digits 100..599, then
 *     SP and a reason phrase (ignored; VCHAR/SP/HTAB/obs-text) or nothing
 *     (RFC 9112 4 wants the SP; a bare code is harmless and common).
 *   - Lines end in CRLF, strictly: a bare LF or a bare CR is an error. RFC
 *     9112 2.2 lets a recipient accept bare LF; we do not need to, and one
 *     line-ending rule leaves nothing for a smuggler to play with.
 *   - field-line = token ":" OWS field-value OWS: no whitespace before ':',
 *     a value of VCHAR/SP/HTAB/obs-text only (no NUL, CR, LF or other CTL,
 *     RFC 9110 5.5); obs-fold (a line starting with SP/HTAB) is rejected
 *     (RFC 9112 5.2). At most HTTP_FIELDS_MAX field lines.
 *   - The status line and all field lines, CRLFs included, fit in
 *     HTTP_HEAD_MAX octets. Interim 1xx responses (100, 103; RFC 9110 15.2)
 *     are read and skipped; their heads count against the same budget. 101
 *     is an error: we never ask to switch protocols.
 *
 * Fields that are interpreted (names case-insensitive):
 *   Content-Length   1*DIGIT, no sign, no list, fits in 64 bits; repeated
 *                    only with the same value (RFC 9110 8.6).
 *   Transfer-Encoding a list whose only coding is "chunked", once (RFC 9112
 *                    6.1); any other coding ("gzip", "chunked;x=1") is an
 *                    error, and so is Transfer-Encoding in HTTP/1.0.
 *                    Transfer-Encoding with Content-Length is an error
 *                    (RFC 9112 6.3 item 3: the smuggling case).
 *   Connection       token list; "close" and "keep-alive" are noted.
 *   Content-Type     the value, up to HTTP_CONTENT_TYPE_MAX octets (a longer
 *                    one is cut and content_type_truncated set); once only.
 *   Content-Range    in 206 and 416 only, once: "bytes first-last/total",
 *                    "bytes first-last/" "*" or (416) the unsatisfied form
 *                    "bytes *" "/total"; first <= last < total. A 206 must carry one (multipart/
 *                    byteranges is not supported) and any Content-Length
 *                    must equal last - first + 1.
 * Everything else (Location included) is checked for syntax and dropped.
 *
 * Body framing (RFC 9112 6.3): a response to HEAD, 204 and 304 has none (a
 * 204 declaring a body -- chunked, or Content-Length > 0 -- is an error);
 * else chunked; else Content-Length, which must not exceed max_body; else
 * the body runs until the connection closes, which is allowed only when the
 * connection is known to close (Connection: close, or HTTP/1.0 without
 * keep-alive) and is ended by http_response_eof(). Over TLS, call that only
 * on a clean close_notify, or a truncated body looks complete.
 *
 * Chunked (RFC 9112 7.1): chunk-size is 1*HEXDIG below 2^63; extensions
 * (BWS ";" ...) are skipped; the chunk-size line is at most
 * HTTP_CHUNK_LINE_MAX octets; every chunk-data is followed by CRLF; the
 * trailer section is parsed like the head (same field syntax) within
 * HTTP_TRAILER_MAX octets and HTTP_FIELDS_MAX lines, and discarded. The body
 * in all (chunked, until-close) never exceeds max_body.
 *
 * Parsing stops at the end of the response: push returns how many octets it
 * consumed, and octets after the response (a 204 "with a body", a pipelined
 * response) are left to the caller. Every error is decided at one octet, so
 * the outcome does not depend on how the input was split.
 */
#ifndef SZTP_HTTP_RESPONSE_H
#define SZTP_HTTP_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

#define HTTP_HEAD_MAX 16384       /* status line + field lines, CRLFs included */
#define HTTP_FIELDS_MAX 64        /* field lines in the head, and in the trailers */
#define HTTP_CHUNK_LINE_MAX 1024  /* chunk-size [chunk-ext] CRLF */
#define HTTP_TRAILER_MAX 4096     /* trailer section, final CRLF included */
#define HTTP_CONTENT_TYPE_MAX 127

enum http_response_state {
	HTTP_RESPONSE_HEAD,         /* status line and fields */
	HTTP_RESPONSE_BODY_LENGTH,  /* Content-Length octets */
	HTTP_RESPONSE_BODY_CHUNKED, /* chunked, trailers included */
	HTTP_RESPONSE_BODY_CLOSE,   /* until the connection closes */
	HTTP_RESPONSE_DONE,
	HTTP_RESPONSE_ERROR,
};

enum http_framing {
	HTTP_FRAMING_NONE,    /* HEAD, 204, 304: no body */
	HTTP_FRAMING_LENGTH,  /* Content-Length */
	HTTP_FRAMING_CHUNKED,
	HTTP_FRAMING_CLOSE,   /* read until close */
};

/* Where body octets go; body may be NULL to discard them. */
struct http_body_sink {
	void (*body)(void *arg, const uint8_t *p, size_t n);
	void *arg;
};

struct http_response {
	/* Results: valid once the head is complete (state past HEAD). */
	int status;                 /* 200..599 (interim 1xx are skipped) */
	int version_minor;          /* HTTP/1.<0|1> */
	enum http_framing framing;
	int has_content_length;
	uint64_t content_length;
	int chunked;                /* Transfer-Encoding: chunked */
	int conn_close_token;       /* Connection: close */
	int conn_keep_alive_token;  /* Connection: keep-alive */
	int conn_close;             /* the connection is not reusable after this response */
	int has_content_type;
	int content_type_truncated;
	char content_type[HTTP_CONTENT_TYPE_MAX + 1];
	int has_content_range;
	int range_unsatisfied;      /* 416 unsatisfied-range: only range_total is set */
	int range_total_known;      /* 0 when the complete-length is "*" */
	uint64_t range_first, range_last, range_total;
	unsigned interim;           /* 1xx responses skipped */
	uint64_t body_len;          /* body octets delivered so far */

	/* Limits. */
	uint64_t max_body;
	int head_request;

	/* Parser state. */
	enum http_response_state state;
	int have_status;            /* status line of the current response read */
	int has_te;
	int cr;                     /* last octet was CR */
	int chunk_state;
	unsigned nfields;
	unsigned chunk_digits;
	size_t head_bytes;          /* against HTTP_HEAD_MAX, all heads */
	size_t trailer_bytes;
	size_t chunk_line;          /* octets of the chunk-size line so far */
	uint64_t remaining;         /* of the Content-Length body, or of the chunk */
	size_t line_len;
	uint8_t line[HTTP_HEAD_MAX];
	struct errbuf err;
};

/* Ready for one response; head_request: the request was HEAD (no body). */
void http_response_init(struct http_response *r, uint64_t max_body, int head_request);
/*
 * Consume up to len octets; returns how many were consumed (fewer than len
 * once the response is complete or in error; 0 from then on).
 */
size_t http_response_push(struct http_response *r, const uint8_t *p, size_t len,
			  struct http_body_sink sink);
/* The peer closed the connection: 0 if the response is complete, else -1. */
int http_response_eof(struct http_response *r);
/* The response is complete. */
int http_response_done(const struct http_response *r);
/* The reason of the first error, or NULL. */
const char *http_response_error(const struct http_response *r);

#endif
