/*
 * libFuzzer: HTTP/1.1 response parser. The first octet picks the options
 * (HEAD request, eof at the end, body limit), the rest is the response. It
 * is fed whole, in three pieces at points derived from the data, and octet
 * by octet: every outcome (done or the same reason, octets consumed, head
 * fields, body octets) must agree, and the limits must hold.
 */
#include <stdlib.h>
#include <string.h>

#include "http_response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct http_response r;
	uint64_t hash; /* FNV-1a of the body, as delivered */
	uint64_t body;
	size_t consumed;
};

static void body(void *arg, const uint8_t *p, size_t n)
{
	struct run *o = arg;

	if (n == 0)
		abort(); /* empty callbacks are not made */
	for (size_t i = 0; i < n; i++)
		o->hash = (o->hash ^ p[i]) * 0x100000001b3ull;
	o->body += n;
}

static void feed(struct run *o, const uint8_t *p, size_t len, size_t *cuts, size_t ncuts,
		 uint64_t max_body, int head, int eof)
{
	struct http_body_sink sink = { body, o };
	size_t at = 0;

	memset(o, 0, sizeof(*o));
	o->hash = 0xcbf29ce484222325ull;
	http_response_init(&o->r, max_body, head);
	for (size_t k = 0; k <= ncuts; k++) {
		size_t end = k < ncuts ? cuts[k] : len;
		size_t c = http_response_push(&o->r, p + at, end - at, sink);

		if (c > end - at)
			abort();
		o->consumed += c;
		if (c < end - at && !http_response_done(&o->r) && !http_response_error(&o->r))
			abort(); /* stopping early means done or error */
		if (c < end - at)
			break;
		at = end;
	}
	if (eof)
		http_response_eof(&o->r);
}

static void same(const struct run *a, const struct run *b)
{
	const char *ea = http_response_error(&a->r), *eb = http_response_error(&b->r);

	if (http_response_done(&a->r) != http_response_done(&b->r) || !ea != !eb ||
	    (ea && strcmp(ea, eb)) || a->consumed != b->consumed || a->hash != b->hash ||
	    a->body != b->body || a->r.body_len != b->r.body_len || a->r.status != b->r.status ||
	    a->r.framing != b->r.framing || a->r.content_length != b->r.content_length ||
	    a->r.conn_close != b->r.conn_close || a->r.range_first != b->r.range_first ||
	    a->r.range_last != b->r.range_last || a->r.range_total != b->r.range_total ||
	    strcmp(a->r.content_type, b->r.content_type) || a->r.interim != b->r.interim)
		abort();
}

static void invariants(const struct run *o, size_t len, uint64_t max_body)
{
	const struct http_response *r = &o->r;
	const char *e = http_response_error(r);

	if (o->consumed > len || o->body != r->body_len || r->body_len > max_body)
		abort();
	if (e && (!*e || http_response_done(r) || !memchr(e, '\0', sizeof(r->err.msg))))
		abort();
	if (r->head_bytes > HTTP_HEAD_MAX + 1 || r->trailer_bytes > HTTP_TRAILER_MAX + 1 ||
	    r->nfields > HTTP_FIELDS_MAX + 1 || !memchr(r->content_type, '\0', sizeof(r->content_type)))
		abort();
	if (http_response_done(r)) {
		if (r->status < 200 || r->status > 599)
			abort();
		if (r->framing == HTTP_FRAMING_LENGTH && r->body_len != r->content_length)
			abort();
		if (r->framing == HTTP_FRAMING_NONE && r->body_len != 0)
			abort();
		if (r->has_te && r->has_content_length)
			abort();
		if (r->status == 206 && (!r->has_content_range || r->range_first > r->range_last))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t limits[] = { 0, 1, 10, 1000, UINT64_MAX };
	static struct run whole, split, octets;
	static size_t cuts[65536];
	uint64_t max_body, h = 0xcbf29ce484222325ull;
	int head, eof;
	size_t n;

	if (size < 1)
		return 0;
	head = data[0] & 1;
	eof = (data[0] >> 1) & 1;
	max_body = limits[(data[0] >> 2) % 5];
	data++;
	size--;

	feed(&whole, data, size, NULL, 0, max_body, head, eof);
	invariants(&whole, size, max_body);

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	cuts[0] = size ? (size_t)(h % (size + 1)) : 0;
	cuts[1] = cuts[0] + (size_t)((h >> 32) % (size - cuts[0] + 1));
	feed(&split, data, size, cuts, 2, max_body, head, eof);
	same(&whole, &split);

	n = size < sizeof(cuts) / sizeof(cuts[0]) ? size : sizeof(cuts) / sizeof(cuts[0]);
	for (size_t i = 0; i + 1 < n; i++)
		cuts[i] = i + 1;
	if (n == size) {
		feed(&octets, data, size, cuts, n ? n - 1 : 0, max_body, head, eof);
		same(&whole, &octets);
	}
	return 0;
}
