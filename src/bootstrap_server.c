/* See bootstrap_server.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "bootstrap_server.h"

/* Bounded output: every append checks, the first overflow sticks. */
struct out {
	char *p;
	size_t cap, len;
	int over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->over || n >= o->cap - o->len) {
		o->over = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = 0;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/*
 * A JSON string. Only printable ASCII passes; anything else (control
 * octets, bytes that may not be UTF-8) becomes '?': messages are for
 * humans, and what a device sends must never be invalid JSON.
 */
static void put_str(struct out *o, const char *s, size_t max)
{
	put(o, "\"", 1);
	for (size_t i = 0; s[i] && i < max; i++) {
		char c = s[i];

		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', c };
			put(o, esc, 2);
		} else {
			c = (c >= 0x20 && c < 0x7f) ? c : '?';
			put(o, &c, 1);
		}
	}
	put(o, "\"", 1);
}

static void put_b64(struct out *o, const uint8_t *p, size_t n)
{
	long w;

	put(o, "\"", 1);
	if (o->over || (n + 2) / 3 * 4 + 1 >= o->cap - o->len) {
		o->over = 1;
		return;
	}
	w = base64_encode(p, n, o->p + o->len, o->cap - o->len);
	if (w < 0) {
		o->over = 1;
		return;
	}
	o->len += (size_t)w;
	put(o, "\"", 1);
}

long bs_request_body(const struct bs_request *rq, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap == 0 };

	puts_(&o, "{\"ietf-sztp-bootstrap-server:input\":{");
	if (!rq->trusted) {
		/* R81, R82: nothing but the wish for signed data. */
		puts_(&o, "\"signed-data-preferred\":[null]");
	} else {
		int first = 1;
		const char *names[] = { "hw-model", "os-name", "os-version" };
		const char *vals[] = { rq->hw_model, rq->os_name, rq->os_version };

		for (int i = 0; i < 3; i++) {
			if (!vals[i] || !vals[i][0])
				continue;
			if (!first)
				puts_(&o, ",");
			first = 0;
			puts_(&o, "\"");
			puts_(&o, names[i]);
			puts_(&o, "\":");
			put_str(&o, vals[i], 256);
		}
		if (rq->nonce) {
			if (!first)
				puts_(&o, ",");
			puts_(&o, "\"nonce\":");
			put_b64(&o, rq->nonce, rq->nonce_len);
		}
	}
	puts_(&o, "}}");
	return o.over ? -1 : (long)o.len;
}

long bs_report_body(const struct bs_report *r, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap == 0 };

	puts_(&o, "{\"ietf-sztp-bootstrap-server:input\":{\"progress-type\":");
	put_str(&o, r->type, 64);
	if (r->message && r->message[0]) {
		puts_(&o, ",\"message\":");
		put_str(&o, r->message, BS_MESSAGE_MAX);
	}
	/* The YANG "when": only with bootstrap-complete. */
	if (!strcmp(r->type, "bootstrap-complete") && r->nssh) {
		puts_(&o, ",\"ssh-host-keys\":{\"ssh-host-key\":[");
		for (size_t i = 0; i < r->nssh && i < BS_SSH_KEYS_MAX; i++) {
			if (i)
				puts_(&o, ",");
			puts_(&o, "{\"algorithm\":");
			put_str(&o, r->ssh_alg[i], 64);
			puts_(&o, ",\"key-data\":");
			put_str(&o, r->ssh_key_b64[i], 8192);
			puts_(&o, "}");
		}
		puts_(&o, "]}");
	}
	if (!strcmp(r->type, "bootstrap-complete") && r->nta) {
		puts_(&o, ",\"trust-anchor-certs\":{\"trust-anchor-cert\":[");
		for (size_t i = 0; i < r->nta && i < BS_TA_CERTS_MAX; i++) {
			if (i)
				puts_(&o, ",");
			put_b64(&o, r->ta_der[i], r->ta_len[i]);
		}
		puts_(&o, "]}");
	}
	puts_(&o, "}}");
	return o.over ? -1 : (long)o.len;
}

/* Reply bodies collect here, never beyond the cap. */
struct body {
	uint8_t *p;
	size_t len, cap;
};

static void body_add(void *arg, const uint8_t *p, size_t n)
{
	struct body *b = arg;

	if (n > b->cap - b->len)
		n = b->cap - b->len; /* cannot happen: max_body is the cap */
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

int bs_get_bootstrapping_data(struct http_conn *c, const struct bs_request *rq,
			      struct bootstrapping_data *bd, char level[8], struct errbuf *e)
{
	static struct http_response r;
	char req[1024];
	struct body b = { 0 };
	struct errbuf le = { 0 };
	long n = bs_request_body(rq, req, sizeof(req));
	int rc = -1;

	if (n < 0)
		return errf(e, "get-bootstrapping-data: request too large");
	b.cap = RPC_REPLY_MAX;
	if (!(b.p = malloc(b.cap)))
		return errf(e, "out of memory");
	if (http_conn_request(c, "POST", BS_PATH_GET, BS_MEDIA_TYPE, req, (size_t)n, BS_MEDIA_TYPE, NULL,
			      &r, RPC_REPLY_MAX, (struct http_body_sink){ body_add, &b }, &le) < 0) {
		errf(e, "get-bootstrapping-data: %s", le.msg);
		goto out;
	}
	if (r.status != 200) {
		errf(e, "get-bootstrapping-data: HTTP status %d", r.status);
		goto out;
	}
	if (bootstrapping_data_from_reply(bd, b.p, b.len, level, &le) < 0) {
		errf(e, "get-bootstrapping-data reply: %s", le.msg);
		goto out;
	}
	rc = 0;
out:
	free(b.p);
	return rc;
}

int bs_report_progress(struct http_conn *c, const struct bs_report *rp, struct errbuf *e)
{
	static struct http_response r;
	static char body[BS_REPORT_MAX];
	struct errbuf le = { 0 };
	long n = bs_report_body(rp, body, sizeof(body));

	if (n < 0)
		return errf(e, "report-progress %s: report too large", rp->type);
	if (http_conn_request(c, "POST", BS_PATH_REPORT, BS_MEDIA_TYPE, body, (size_t)n, BS_MEDIA_TYPE, NULL,
			      &r, 64 * 1024, (struct http_body_sink){ NULL, NULL }, &le) < 0)
		return errf(e, "report-progress %s: %s", rp->type, le.msg);
	if (r.status != 204) /* R86: anything else is an error */
		return errf(e, "report-progress %s: HTTP status %d, not 204", rp->type, r.status);
	return 0;
}
