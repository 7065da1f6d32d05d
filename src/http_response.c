/* HTTP/1.1 response parser, RFC 9112: see http_response.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http_response.h"

/* Sub-states of the chunked body (RFC 9112 7.1). */
enum {
	CH_SIZE,     /* chunk-size HEXDIGs */
	CH_BWS,      /* BWS after chunk-size: only ";" may follow */
	CH_EXT,      /* chunk-ext, skipped up to CR */
	CH_SIZE_LF,  /* CR of the chunk-size line seen */
	CH_DATA,
	CH_DATA_CR,  /* CRLF after chunk-data */
	CH_DATA_LF,
	CH_TRAILER,  /* trailer-section, line by line */
};

#define CHUNK_SIZE_MAX ((uint64_t)INT64_MAX) /* below 2^63 */

static void fail(struct http_response *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct http_response *r, const char *fmt, ...)
{
	va_list ap;

	if (r->state == HTTP_RESPONSE_ERROR)
		return;
	va_start(ap, fmt);
	vsnprintf(r->err.msg, sizeof(r->err.msg), fmt, ap);
	va_end(ap);
	r->err.set = 1;
	r->state = HTTP_RESPONSE_ERROR;
}

/* A printable excerpt of untrusted octets for a message: 32 at most. */
struct quoted {
	char s[40];
};

static struct quoted quote(const uint8_t *p, size_t n)
{
	struct quoted q;
	size_t m = n > 32 ? 32 : n;

	for (size_t i = 0; i < m; i++)
		q.s[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	if (m < n)
		memcpy(q.s + m, "...", 4);
	else
		q.s[m] = '\0';
	return q;
}

static int is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(uint8_t c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* tchar, RFC 9110 5.6.2. */
static int is_tchar(uint8_t c)
{
	if (is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* field-vchar / SP / HTAB: VCHAR and obs-text (RFC 9110 5.5). */
static int is_field_octet(uint8_t c)
{
	return (c >= 0x20 && c != 0x7f) || c == '\t';
}

static int is_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
}

/* p[0..n) equals the lowercase s, ignoring case. */
static int eq_ci(const uint8_t *p, size_t n, const char *s)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(p[i]) != (uint8_t)s[i])
			return 0;
	return 1;
}

/* 1*DIGIT into 64 bits: 0, or -1 if empty, not digits, or too large. */
static int parse_u64(const uint8_t *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Next element of a #list (RFC 9110 5.6.1): *pos advances past it and its
 * comma; the element is trimmed of OWS and may be empty.
 */
static int list_next(const uint8_t *v, size_t n, size_t *pos, const uint8_t **el, size_t *el_len)
{
	size_t i = *pos, start, end;

	if (i > n)
		return 0;
	while (i < n && is_ows(v[i]))
		i++;
	start = i;
	while (i < n && v[i] != ',')
		i++;
	end = i;
	while (end > start && is_ows(v[end - 1]))
		end--;
	*el = v + start;
	*el_len = end - start;
	*pos = i + 1;
	return 1;
}

static void reset_fields(struct http_response *r)
{
	r->status = 0;
	r->version_minor = 0;
	r->has_content_length = 0;
	r->content_length = 0;
	r->chunked = 0;
	r->has_te = 0;
	r->conn_close_token = 0;
	r->conn_keep_alive_token = 0;
	r->has_content_type = 0;
	r->content_type_truncated = 0;
	r->content_type[0] = '\0';
	r->has_content_range = 0;
	r->range_unsatisfied = 0;
	r->range_total_known = 0;
	r->range_first = r->range_last = r->range_total = 0;
	r->nfields = 0;
	r->have_status = 0;
}

void http_response_init(struct http_response *r, uint64_t max_body, int head_request)
{
	memset(r, 0, sizeof(*r));
	r->max_body = max_body;
	r->head_request = head_request;
	r->state = HTTP_RESPONSE_HEAD;
	r->framing = HTTP_FRAMING_NONE;
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 4) */
static void status_line(struct http_response *r, const uint8_t *l, size_t n)
{
	size_t v = 0;

	if (n < 5 || memcmp(l, "HTTP/", 5) != 0) {
		fail(r, "not an HTTP status line `%s'", quote(l, n).s);
		return;
	}
	while (v < n && l[v] != ' ')
		v++;
	if (v != 8 || l[5] != '1' || l[6] != '.' || (l[7] != '0' && l[7] != '1')) {
		fail(r, "unsupported HTTP version `%s'", quote(l, v).s);
		return;
	}
	r->version_minor = l[7] - '0';
	if (n < 12 || !is_digit(l[9]) || !is_digit(l[10]) || !is_digit(l[11]) ||
	    (n > 12 && l[12] != ' ')) {
		fail(r, "malformed status line `%s'", quote(l, n).s);
		return;
	}
	r->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (r->status < 100 || r->status > 599) {
		fail(r, "status code %03d out of range", r->status);
		return;
	}
	for (size_t i = 13; i < n; i++) {
		if (!is_field_octet(l[i])) {
			fail(r, "invalid octet 0x%02x in reason phrase", l[i]);
			return;
		}
	}
	r->have_status = 1;
}

static void content_length(struct http_response *r, const uint8_t *v, size_t n)
{
	uint64_t cl;

	if (parse_u64(v, n, &cl) < 0) {
		fail(r, "invalid Content-Length `%s'", quote(v, n).s);
		return;
	}
	if (r->has_content_length && cl != r->content_length) {
		fail(r, "two different Content-Length values (%llu and %llu)",
		     (unsigned long long)r->content_length, (unsigned long long)cl);
		return;
	}
	r->has_content_length = 1;
	r->content_length = cl;
}

/* RFC 9112 6.1: "chunked", once, and nothing else. */
static void transfer_encoding(struct http_response *r, const uint8_t *v, size_t n)
{
	const uint8_t *el;
	size_t pos = 0, len;
	int any = 0;

	if (r->version_minor == 0) {
		fail(r, "Transfer-Encoding in an HTTP/1.0 response");
		return;
	}
	r->has_te = 1;
	while (list_next(v, n, &pos, &el, &len)) {
		if (len == 0)
			continue;
		any = 1;
		if (!eq_ci(el, len, "chunked")) {
			fail(r, "unsupported transfer coding `%s'", quote(el, len).s);
			return;
		}
		if (r->chunked) {
			fail(r, "Transfer-Encoding applies chunked twice");
			return;
		}
		r->chunked = 1;
	}
	if (!any)
		fail(r, "empty Transfer-Encoding");
}

static void connection(struct http_response *r, const uint8_t *v, size_t n)
{
	const uint8_t *el;
	size_t pos = 0, len;

	while (list_next(v, n, &pos, &el, &len)) {
		for (size_t i = 0; i < len; i++) {
			if (!is_tchar(el[i])) {
				fail(r, "invalid Connection option `%s'", quote(el, len).s);
				return;
			}
		}
		if (eq_ci(el, len, "close"))
			r->conn_close_token = 1;
		else if (eq_ci(el, len, "keep-alive"))
			r->conn_keep_alive_token = 1;
	}
}

static void content_type(struct http_response *r, const uint8_t *v, size_t n)
{
	if (r->has_content_type) {
		fail(r, "more than one Content-Type");
		return;
	}
	r->has_content_type = 1;
	if (n > HTTP_CONTENT_TYPE_MAX) {
		n = HTTP_CONTENT_TYPE_MAX;
		r->content_type_truncated = 1;
	}
	memcpy(r->content_type, v, n);
	r->content_type[n] = '\0';
}

/* Digits up to (not including) stop; *i advances past stop. */
static int range_number(const uint8_t *v, size_t n, size_t *i, uint8_t stop, uint64_t *out)
{
	size_t s = *i;

	while (*i < n && v[*i] != stop)
		(*i)++;
	if (parse_u64(v + s, *i - s, out) < 0)
		return -1;
	if (stop) {
		if (*i == n)
			return -1;
		(*i)++;
	}
	return 0;
}

/*
 * RFC 9110 14.4: Content-Range = range-unit SP ( range-resp / unsatisfied-range ),
 * range-resp = incl-range "/" ( complete-length / "*" ).
 */
static void content_range(struct http_response *r, const uint8_t *v, size_t n)
{
	size_t i = 6;

	if (r->has_content_range) {
		fail(r, "more than one Content-Range");
		return;
	}
	if (n < 6 || !eq_ci(v, 6, "bytes "))
		goto bad;
	if (i < n && v[i] == '*') {
		if (r->status != 416 || i + 1 >= n || v[i + 1] != '/')
			goto bad;
		i += 2;
		if (range_number(v, n, &i, 0, &r->range_total) < 0)
			goto bad;
		r->range_unsatisfied = 1;
		r->range_total_known = 1;
		r->has_content_range = 1;
		return;
	}
	if (range_number(v, n, &i, '-', &r->range_first) < 0 ||
	    range_number(v, n, &i, '/', &r->range_last) < 0)
		goto bad;
	if (i + 1 == n && v[i] == '*') {
		r->range_total_known = 0;
	} else {
		if (range_number(v, n, &i, 0, &r->range_total) < 0)
			goto bad;
		r->range_total_known = 1;
	}
	if (r->range_first > r->range_last ||
	    (r->range_total_known && r->range_last >= r->range_total))
		goto bad;
	r->has_content_range = 1;
	return;
bad:
	fail(r, "invalid Content-Range `%s'", quote(v, n).s);
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 5) */
static void field_line(struct http_response *r, const uint8_t *l, size_t n, int trailer)
{
	size_t c = 0, vs, ve;

	if (is_ows(l[0])) {
		fail(r, "obs-fold or whitespace before a field name is not accepted");
		return;
	}
	if (++r->nfields > HTTP_FIELDS_MAX) {
		fail(r, "more than %d %s fields", HTTP_FIELDS_MAX, trailer ? "trailer" : "header");
		return;
	}
	while (c < n && l[c] != ':') {
		if (!is_tchar(l[c])) {
			fail(r, "invalid octet 0x%02x in field name `%s'", l[c], quote(l, c).s);
			return;
		}
		c++;
	}
	if (c == n) {
		fail(r, "field line without ':': `%s'", quote(l, n).s);
		return;
	}
	if (c == 0) {
		fail(r, "empty field name");
		return;
	}
	for (size_t i = c + 1; i < n; i++) {
		if (!is_field_octet(l[i])) {
			fail(r, "invalid octet 0x%02x in the value of `%s'", l[i], quote(l, c).s);
			return;
		}
	}
	vs = c + 1;
	ve = n;
	while (vs < ve && is_ows(l[vs]))
		vs++;
	while (ve > vs && is_ows(l[ve - 1]))
		ve--;
	if (trailer)
		return; /* RFC 9110 6.5: nothing in a trailer changes framing; dropped */
	if (eq_ci(l, c, "content-length"))
		content_length(r, l + vs, ve - vs);
	else if (eq_ci(l, c, "transfer-encoding"))
		transfer_encoding(r, l + vs, ve - vs);
	else if (eq_ci(l, c, "connection"))
		connection(r, l + vs, ve - vs);
	else if (eq_ci(l, c, "content-type"))
		content_type(r, l + vs, ve - vs);
	else if (eq_ci(l, c, "content-range") && (r->status == 206 || r->status == 416))
		content_range(r, l + vs, ve - vs);
}

/* The empty line after the fields: decide the framing (RFC 9112 6.3). */
static void end_of_head(struct http_response *r)
{
	if (r->status == 101) {
		fail(r, "unexpected 101 Switching Protocols");
		return;
	}
	if (r->status < 200) { /* RFC 9110 15.2: interim, the final response follows */
		r->interim++;
		reset_fields(r);
		return;
	}
	if (r->has_te && r->has_content_length) {
		fail(r, "both Transfer-Encoding and Content-Length (RFC 9112 6.3)");
		return;
	}
	if (r->status == 206) {
		if (!r->has_content_range || r->range_unsatisfied) {
			fail(r, "206 without a single Content-Range");
			return;
		}
		if (r->has_content_length && (r->content_length == 0 ||
		    r->content_length - 1 != r->range_last - r->range_first)) {
			fail(r, "206 Content-Length %llu does not match Content-Range %llu-%llu",
			     (unsigned long long)r->content_length,
			     (unsigned long long)r->range_first, (unsigned long long)r->range_last);
			return;
		}
	}
	if (r->status == 204 && (r->chunked || r->content_length > 0)) {
		fail(r, "204 response with a body");
		return;
	}
	r->conn_close = r->conn_close_token || (r->version_minor == 0 && !r->conn_keep_alive_token);
	r->nfields = 0; /* the trailers have a count of their own */
	if (r->head_request || r->status == 204 || r->status == 304) {
		r->framing = HTTP_FRAMING_NONE;
		r->state = HTTP_RESPONSE_DONE;
	} else if (r->chunked) {
		r->framing = HTTP_FRAMING_CHUNKED;
		r->state = HTTP_RESPONSE_BODY_CHUNKED;
		r->chunk_state = CH_SIZE;
	} else if (r->has_content_length) {
		r->framing = HTTP_FRAMING_LENGTH;
		if (r->content_length > r->max_body) {
			fail(r, "body of %llu octets is larger than the limit of %llu",
			     (unsigned long long)r->content_length, (unsigned long long)r->max_body);
			return;
		}
		r->remaining = r->content_length;
		r->state = r->remaining ? HTTP_RESPONSE_BODY_LENGTH : HTTP_RESPONSE_DONE;
	} else {
		if (!r->conn_close) {
			fail(r, "no Content-Length or chunked on a persistent connection");
			return;
		}
		r->framing = HTTP_FRAMING_CLOSE;
		r->state = HTTP_RESPONSE_BODY_CLOSE;
	}
}

/*
 * One octet of a CRLF-terminated line into r->line; 1 when the line is
 * complete (r->line[0..line_len)). *count is checked against limit.
 */
static int line_octet(struct http_response *r, uint8_t c, size_t *count, size_t limit,
		      const char *what)
{
	if (++*count > limit) {
		fail(r, "%s longer than %zu octets", what, limit);
		return 0;
	}
	if (r->cr) {
		r->cr = 0;
		if (c != '\n') {
			fail(r, "bare CR in %s", what);
			return 0;
		}
		return 1;
	}
	if (c == '\r') {
		r->cr = 1;
		return 0;
	}
	if (c == '\n') {
		fail(r, "bare LF in %s (lines end in CRLF)", what);
		return 0;
	}
	/* line_len < *count <= limit <= sizeof(r->line) */
	r->line[r->line_len++] = c;
	return 0;
}

static void head_octet(struct http_response *r, uint8_t c)
{
	size_t n;

	if (!line_octet(r, c, &r->head_bytes, HTTP_HEAD_MAX, "response head"))
		return;
	n = r->line_len;
	r->line_len = 0;
	if (!r->have_status)
		status_line(r, r->line, n);
	else if (n == 0)
		end_of_head(r);
	else
		field_line(r, r->line, n, 0);
}

static void chunk_octet(struct http_response *r, uint8_t c)
{
	int d;

	if (r->chunk_state == CH_TRAILER) {
		if (!line_octet(r, c, &r->trailer_bytes, HTTP_TRAILER_MAX, "trailer section"))
			return;
		if (r->line_len == 0)
			r->state = HTTP_RESPONSE_DONE;
		else
			field_line(r, r->line, r->line_len, 1);
		r->line_len = 0;
		return;
	}
	if (r->chunk_state == CH_DATA_CR || r->chunk_state == CH_DATA_LF) {
		if (c != (r->chunk_state == CH_DATA_CR ? '\r' : '\n')) {
			fail(r, "missing CRLF after chunk data");
			return;
		}
		if (r->chunk_state == CH_DATA_CR) {
			r->chunk_state = CH_DATA_LF;
		} else {
			r->chunk_state = CH_SIZE;
			r->chunk_digits = 0;
			r->chunk_line = 0;
			r->remaining = 0;
		}
		return;
	}
	/* chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 7.1) */
	if (++r->chunk_line > HTTP_CHUNK_LINE_MAX) {
		fail(r, "chunk-size line longer than %d octets", HTTP_CHUNK_LINE_MAX);
		return;
	}
	switch (r->chunk_state) {
	case CH_SIZE:
		if ((d = hex_value(c)) >= 0) {
			if (r->remaining > (CHUNK_SIZE_MAX - (uint64_t)d) / 16) {
				fail(r, "chunk size too large (2^63 or more)");
				return;
			}
			r->remaining = r->remaining * 16 + (uint64_t)d;
			r->chunk_digits++;
			return;
		}
		if (r->chunk_digits == 0) {
			fail(r, "invalid chunk size: octet 0x%02x", c);
			return;
		}
		if (c == ';')
			r->chunk_state = CH_EXT;
		else if (is_ows(c))
			r->chunk_state = CH_BWS;
		else if (c == '\r')
			r->chunk_state = CH_SIZE_LF;
		else
			fail(r, "invalid octet 0x%02x after chunk size", c);
		return;
	case CH_BWS:
		if (c == ';')
			r->chunk_state = CH_EXT;
		else if (!is_ows(c))
			fail(r, "invalid octet 0x%02x after chunk size", c);
		return;
	case CH_EXT:
		if (c == '\r')
			r->chunk_state = CH_SIZE_LF;
		else if (!is_field_octet(c))
			fail(r, "invalid octet 0x%02x in chunk extension", c);
		return;
	case CH_SIZE_LF:
		if (c != '\n') {
			fail(r, "chunk-size line does not end in CRLF");
			return;
		}
		if (r->remaining == 0) {
			r->chunk_state = CH_TRAILER;
			r->line_len = 0;
			r->cr = 0;
			return;
		}
		if (r->remaining > r->max_body - r->body_len) {
			fail(r, "chunked body larger than the limit of %llu",
			     (unsigned long long)r->max_body);
			return;
		}
		r->chunk_state = CH_DATA;
		return;
	default:
		fail(r, "internal error: chunk state %d", r->chunk_state);
	}
}

static void emit(struct http_response *r, struct http_body_sink sink, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	r->body_len += n;
	if (sink.body)
		sink.body(sink.arg, p, n);
}

size_t http_response_push(struct http_response *r, const uint8_t *p, size_t len,
			  struct http_body_sink sink)
{
	size_t i = 0, n;

	while (i < len) {
		switch (r->state) {
		case HTTP_RESPONSE_HEAD:
			head_octet(r, p[i++]);
			break;
		case HTTP_RESPONSE_BODY_LENGTH:
			n = len - i < r->remaining ? len - i : (size_t)r->remaining;
			emit(r, sink, p + i, n);
			i += n;
			r->remaining -= n;
			if (r->remaining == 0)
				r->state = HTTP_RESPONSE_DONE;
			break;
		case HTTP_RESPONSE_BODY_CHUNKED:
			if (r->chunk_state != CH_DATA) {
				chunk_octet(r, p[i++]);
				break;
			}
			n = len - i < r->remaining ? len - i : (size_t)r->remaining;
			emit(r, sink, p + i, n);
			i += n;
			r->remaining -= n;
			if (r->remaining == 0)
				r->chunk_state = CH_DATA_CR;
			break;
		case HTTP_RESPONSE_BODY_CLOSE:
			n = len - i;
			if (n > r->max_body - r->body_len) {
				/* deliver up to the limit; the next octet is the error */
				n = (size_t)(r->max_body - r->body_len);
				emit(r, sink, p + i, n);
				i += n + 1;
				fail(r, "body larger than the limit of %llu",
				     (unsigned long long)r->max_body);
				break;
			}
			emit(r, sink, p + i, n);
			i += n;
			break;
		case HTTP_RESPONSE_DONE:
		case HTTP_RESPONSE_ERROR:
			return i;
		}
	}
	return i;
}

int http_response_eof(struct http_response *r)
{
	switch (r->state) {
	case HTTP_RESPONSE_BODY_CLOSE:
		r->state = HTTP_RESPONSE_DONE;
		return 0;
	case HTTP_RESPONSE_DONE:
		return 0;
	case HTTP_RESPONSE_ERROR:
		return -1;
	case HTTP_RESPONSE_HEAD:
		fail(r, "connection closed in the response head");
		return -1;
	case HTTP_RESPONSE_BODY_LENGTH:
		fail(r, "connection closed after %llu of %llu body octets",
		     (unsigned long long)r->body_len, (unsigned long long)r->content_length);
		return -1;
	case HTTP_RESPONSE_BODY_CHUNKED:
		fail(r, "connection closed inside the chunked body");
		return -1;
	}
	return -1;
}

int http_response_done(const struct http_response *r)
{
	return r->state == HTTP_RESPONSE_DONE;
}

const char *http_response_error(const struct http_response *r)
{
	return r->state == HTTP_RESPONSE_ERROR ? r->err.msg : NULL;
}
