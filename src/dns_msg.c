/* DNS messages for RFC 8572 4.2: see dns_msg.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dns_msg.h"

#define HDR_LEN 12
#define FLAG_QR 0x8000
#define FLAG_TC 0x0200
#define FLAG_RD 0x0100
#define RCODE_NXDOMAIN 3
#define CLASS_TOP 0x8000 /* mDNS: QU bit in questions, cache-flush in records */

enum { SEC_ANSWER, SEC_AUTHORITY, SEC_ADDITIONAL };

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Wire names, case-insensitively (RFC 4343). Length octets are < 64, so
 * folding them too changes nothing. */
static int name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

int dns_question_set(struct dns_question *q, const char *name, uint16_t type, uint16_t id,
		     unsigned flags, struct errbuf *e)
{
	size_t n = strlen(name), o = 0, lab = 0;

	memset(q, 0, sizeof(*q));
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0)
		return errf(e, "empty DNS name");
	for (size_t i = 0; i <= n; i++) {
		if (i < n && name[i] != '.') {
			lab++;
			continue;
		}
		if (lab == 0)
			return errf(e, "DNS name `%s': empty label", name);
		if (lab > DNS_LABEL_MAX)
			return errf(e, "DNS name `%s': a label longer than %d octets", name, DNS_LABEL_MAX);
		if (o + 1 + lab + 1 > DNS_NAME_MAX)
			return errf(e, "DNS name `%s': longer than %d octets", name, DNS_NAME_MAX);
		q->name[o] = (uint8_t)lab;
		memcpy(q->name + o + 1, name + i - lab, lab);
		o += 1 + lab;
		lab = 0;
	}
	q->name[o++] = 0;
	q->name_len = o;
	q->type = type;
	q->id = id;
	q->flags = flags;
	return 0;
}

size_t dns_query_build(const struct dns_question *q, uint16_t edns_udp, uint8_t *buf, size_t cap)
{
	size_t n = HDR_LEN + q->name_len + 4 + (edns_udp ? 11 : 0);

	if (n > cap)
		return 0;
	memset(buf, 0, n);
	put16(buf, q->id);
	/* RFC 6762 18.2/18.6: RD is zero in mDNS; a resolver needs it. */
	put16(buf + 2, q->flags & DNS_Q_MDNS ? 0 : FLAG_RD);
	put16(buf + 4, 1);
	put16(buf + 10, edns_udp ? 1 : 0);
	memcpy(buf + HDR_LEN, q->name, q->name_len);
	put16(buf + HDR_LEN + q->name_len, q->type);
	put16(buf + HDR_LEN + q->name_len + 2,
	      DNS_CLASS_IN | ((q->flags & (DNS_Q_MDNS | DNS_Q_QU)) == (DNS_Q_MDNS | DNS_Q_QU) ? CLASS_TOP : 0));
	if (edns_udp) {
		/* RFC 6891 6.1.2: root owner, TYPE OPT, CLASS = payload size,
		 * TTL 0 (version 0, DO clear), no options; buf[n - 11] is the root. */
		put16(buf + n - 10, DNS_TYPE_OPT);
		put16(buf + n - 8, edns_udp);
	}
	return n;
}

/*
 * The name at off, uncompressed into out (DNS_NAME_MAX octets); *end is the
 * offset just after it where it was found. Every pointer must point before
 * the start of the run of labels it ends (seg), so jumps only go back.
 */
static int name_read(const uint8_t *m, size_t len, size_t off, uint8_t *out, size_t *outlen,
		     size_t *end, struct errbuf *e)
{
	size_t n = 0, pos = off, seg = off;
	unsigned jumps = 0;

	*end = 0;
	for (;;) {
		unsigned c;

		if (pos >= len)
			return errf(e, "DNS name at offset %zu runs past the message", off);
		c = m[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t t;

			if (len - pos < 2)
				return errf(e, "DNS name at offset %zu runs past the message", off);
			t = (size_t)(c & 0x3f) << 8 | m[pos + 1];
			if (t >= seg || t < HDR_LEN)
				return errf(e, "DNS name at offset %zu: compression pointer to %zu does "
					    "not point back", off, t);
			if (++jumps > DNS_PTR_MAX)
				return errf(e, "DNS name at offset %zu: more than %d compression pointers",
					    off, DNS_PTR_MAX);
			if (!*end)
				*end = pos + 2;
			pos = seg = t;
			continue;
		}
		if (c & 0xc0)
			return errf(e, "DNS name at offset %zu: label type %u", off, c >> 6);
		if (n + 1 + c > DNS_NAME_MAX)
			return errf(e, "DNS name at offset %zu: longer than %d octets", off, DNS_NAME_MAX);
		if (c >= len - pos)
			return errf(e, "DNS name at offset %zu runs past the message", off);
		memcpy(out + n, m + pos, 1 + c);
		n += 1 + c;
		pos += 1 + c;
		if (c == 0)
			break;
	}
	if (!*end)
		*end = pos;
	*outlen = n;
	return 0;
}

/* Dotted text of a wire name, no trailing dot ("" for the root). Only for
 * host names: a label with '.' or an octet outside 0x21..0x7e is refused. */
static int name_text(const uint8_t *w, size_t wl, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < wl && w[i]; i += 1 + w[i]) {
		for (size_t j = 1; j <= w[i]; j++) {
			if (w[i + j] <= 0x20 || w[i + j] >= 0x7f || w[i + j] == '.' || o + 2 >= cap)
				return -1;
			out[o++] = (char)w[i + j];
		}
		out[o++] = '.';
	}
	out[o ? o - 1 : 0] = '\0';
	return 0;
}

/* --- walking a response ---------------------------------------------------- */

struct walk {
	const uint8_t *m;
	size_t len, off;
	unsigned left[3];  /* records still to read, per section */
	int sec;
};

struct rr {
	uint8_t owner[DNS_NAME_MAX];
	size_t owner_len;
	unsigned type, cls;
	size_t rdoff, rdlen;
	int sec;
};

static const char *rcode_name(unsigned r)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
					     "REFUSED" };

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "an error";
}

/* The question section of m, read from *off: 1 it is q's, 0 not, -1 malformed. */
static int question_matches(const uint8_t *m, size_t len, size_t *off, const struct dns_question *q,
			    struct errbuf *e)
{
	uint8_t name[DNS_NAME_MAX];
	size_t nlen, end;
	unsigned cls;

	if (name_read(m, len, *off, name, &nlen, &end, e) < 0)
		return -1;
	if (len - end < 4)
		return errf(e, "DNS question truncated");
	*off = end + 4;
	cls = get16(m + end + 2);
	if (q->flags & DNS_Q_MDNS)
		cls &= ~CLASS_TOP;
	return name_eq(name, nlen, q->name, q->name_len) && get16(m + end) == q->type &&
	       cls == DNS_CLASS_IN;
}

/* Header checks shared by is_for and walk_open: 1 ours, 0 not, -1 malformed. */
static int header_ours(const uint8_t *m, size_t len, const struct dns_question *q, struct errbuf *e)
{
	unsigned id, flags;

	if (len < HDR_LEN)
		return errf(e, "DNS message too short (%zu octets)", len);
	if (len > DNS_MSG_MAX)
		return errf(e, "DNS message too long (%zu octets)", len);
	id = get16(m);
	flags = get16(m + 2);
	if (!(flags & FLAG_QR))
		return 0;
	if (q->flags & DNS_Q_MDNS)
		return id == q->id || id == 0;
	return id == q->id;
}

int dns_response_is_for(const uint8_t *msg, size_t len, const struct dns_question *q)
{
	size_t off = HDR_LEN;
	unsigned qd;

	if (header_ours(msg, len, q, NULL) != 1)
		return 0;
	qd = get16(msg + 4);
	if (!(q->flags & DNS_Q_MDNS) && (get16(msg + 2) & FLAG_TC))
		return qd <= 1; /* the question may be cut too */
	if (qd == 0)
		return (q->flags & DNS_Q_MDNS) != 0;
	return qd == 1 && question_matches(msg, len, &off, q, NULL) == 1;
}

/* Header and question: 0 records follow (w ready), or an outcome/-1. */
static int walk_open(struct walk *w, const uint8_t *m, size_t len, const struct dns_question *q,
		     struct errbuf *e)
{
	unsigned flags, qd, rcode;
	int r;

	memset(w, 0, sizeof(*w));
	r = header_ours(m, len, q, e);
	if (r < 0)
		return -1;
	if (r == 0)
		return errf(e, "DNS message is not a response to our query");
	flags = get16(m + 2);
	if ((flags >> 11 & 0xf) != 0)
		return errf(e, "DNS response: opcode %u", flags >> 11 & 0xf);
	qd = get16(m + 4);
	if (qd > 1)
		return errf(e, "DNS response: %u questions", qd);
	/* RFC 6762 18.5: TC means nothing in an mDNS response. */
	if ((flags & FLAG_TC) && !(q->flags & DNS_Q_MDNS))
		return DNS_TRUNCATED;
	w->m = m;
	w->len = len;
	w->off = HDR_LEN;
	w->left[0] = get16(m + 6);
	w->left[1] = get16(m + 8);
	w->left[2] = get16(m + 10);
	if (qd == 0 && !(q->flags & DNS_Q_MDNS))
		return errf(e, "DNS response: no question");
	if (qd == 1) {
		r = question_matches(m, len, &w->off, q, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return errf(e, "DNS response: the question is not ours");
	}
	rcode = flags & 0xf;
	if (rcode == RCODE_NXDOMAIN)
		return DNS_NOT_FOUND;
	if (rcode != 0)
		return errf(e, "DNS server answered %s (RCODE %u)", rcode_name(rcode), rcode);
	return 0;
}

/* Next record: 1, or 0 after the last one (no octet may follow it), or -1. */
static int walk_next(struct walk *w, struct rr *rr, struct errbuf *e)
{
	size_t end;

	while (w->sec < 3 && w->left[w->sec] == 0)
		w->sec++;
	if (w->sec == 3) {
		if (w->off != w->len)
			return errf(e, "DNS response: %zu octets after the last record", w->len - w->off);
		return 0;
	}
	w->left[w->sec]--;
	if (name_read(w->m, w->len, w->off, rr->owner, &rr->owner_len, &end, e) < 0)
		return -1;
	if (w->len - end < 10)
		return errf(e, "DNS record at offset %zu truncated", w->off);
	rr->type = get16(w->m + end);
	rr->cls = get16(w->m + end + 2);
	rr->rdlen = get16(w->m + end + 8);
	rr->rdoff = end + 10;
	rr->sec = w->sec;
	if (rr->rdlen > w->len - rr->rdoff)
		return errf(e, "DNS record at offset %zu: RDLENGTH %zu overruns the message", w->off,
			    rr->rdlen);
	w->off = rr->rdoff + rr->rdlen;
	return 1;
}

/* An answer record of type t and class IN owned by name (mDNS cache-flush masked). */
static int rr_is(const struct rr *rr, const struct dns_question *q, unsigned t, const uint8_t *name,
		 size_t nlen)
{
	unsigned cls = q->flags & DNS_Q_MDNS ? rr->cls & ~CLASS_TOP : rr->cls;

	return rr->sec == SEC_ANSWER && rr->type == t && cls == DNS_CLASS_IN &&
	       name_eq(rr->owner, rr->owner_len, name, nlen);
}

/* A name filling exactly the RDATA from at, to its end. */
static int rdata_name(const struct walk *w, const struct rr *rr, size_t at, uint8_t *out,
		      size_t *outlen, struct errbuf *e)
{
	size_t end;

	if (name_read(w->m, rr->rdoff + rr->rdlen, at, out, outlen, &end, e) < 0)
		return -1;
	if (end != rr->rdoff + rr->rdlen)
		return errf(e, "DNS record at offset %zu: RDATA does not end with its name", at);
	return 0;
}

/*
 * Open the response, check every record, and find the name owning the data:
 * q's name, or where a chain of CNAMEs in the answer section leads.
 */
static int open_all(struct walk *w, const uint8_t *m, size_t len, const struct dns_question *q,
		    uint8_t *owner, size_t *olen, struct errbuf *e)
{
	struct walk w0;
	struct rr rr;
	int r, hops = 0, moved = 1;

	r = walk_open(&w0, m, len, q, e);
	if (r != 0)
		return r;
	*w = w0;
	while ((r = walk_next(w, &rr, e)) == 1)
		;
	if (r < 0)
		return -1;
	memcpy(owner, q->name, q->name_len);
	*olen = q->name_len;
	while (moved) {
		moved = 0;
		*w = w0;
		while (walk_next(w, &rr, NULL) == 1) {
			if (!rr_is(&rr, q, DNS_TYPE_CNAME, owner, *olen))
				continue;
			if (++hops > DNS_CNAME_MAX)
				return errf(e, "DNS response: more than %d CNAMEs", DNS_CNAME_MAX);
			if (rdata_name(w, &rr, rr.rdoff, owner, olen, e) < 0)
				return -1;
			moved = 1;
			break;
		}
	}
	*w = w0;
	return 0;
}

/* --- TXT ------------------------------------------------------------------- */

int dns_txt_device(const uint8_t *msg, size_t len, const struct dns_question *q,
		   struct dns_device_data *out, struct errbuf *e)
{
	static const char keys[3][3] = { "ci", "oc", "ov" };
	struct dns_value *slot[3] = { &out->ci, &out->oc, &out->ov };
	uint8_t owner[DNS_NAME_MAX];
	size_t olen, used = 0;
	struct walk w;
	struct rr rr;
	int r;

	memset(&out->ci, 0, sizeof(out->ci));
	memset(&out->oc, 0, sizeof(out->oc));
	memset(&out->ov, 0, sizeof(out->ov));
	out->ignored = 0;
	r = open_all(&w, msg, len, q, owner, &olen, e);
	if (r != 0)
		return r;
	while (walk_next(&w, &rr, NULL) == 1) {
		size_t start = used, p = rr.rdoff, end = rr.rdoff + rr.rdlen, klen;
		const uint8_t *eq;
		int k;

		if (!rr_is(&rr, q, DNS_TYPE_TXT, owner, olen))
			continue;
		/* N.3: the character-strings of one record are one value. Their
		 * sum is below len, so buf (DNS_MSG_MAX) always has room. */
		while (p < end) {
			size_t l = msg[p];

			if (l >= end - p || l > sizeof(out->buf) - used) {
				errf(e, "DNS TXT record: character-string at offset %zu overruns it", p);
				goto fail;
			}
			memcpy(out->buf + used, msg + p + 1, l);
			used += l;
			p += 1 + l;
		}
		eq = memchr(out->buf + start, '=', used - start);
		klen = eq ? (size_t)(eq - (out->buf + start)) : 0;
		for (k = 0; k < 3; k++)
			if (klen == 2 && lower(out->buf[start]) == keys[k][0] &&
			    lower(out->buf[start + 1]) == keys[k][1])
				break;
		if (k == 3) { /* R54 */
			out->ignored++;
			used = start;
			continue;
		}
		if (slot[k]->p) {
			errf(e, "DNS TXT key `%s' in more than one record", keys[k]);
			goto fail;
		}
		if (used - start == 3) {
			errf(e, "DNS TXT key `%s' has an empty value", keys[k]);
			goto fail;
		}
		slot[k]->p = out->buf + start + 3;
		slot[k]->len = used - start - 3;
	}
	if (out->ci.p)
		return DNS_FOUND;
	if (out->oc.p || out->ov.p) {
		errf(e, "DNS TXT records carry `%s' but no `ci'", out->oc.p ? "oc" : "ov");
		goto fail;
	}
	return DNS_NOT_FOUND;
fail:
	memset(&out->ci, 0, sizeof(out->ci));
	memset(&out->oc, 0, sizeof(out->oc));
	memset(&out->ov, 0, sizeof(out->ov));
	return -1;
}

/* --- SRV ------------------------------------------------------------------- */

void dns_srv_init(struct dns_srv_list *s, struct bootstrap_server_list *out)
{
	memset(s, 0, sizeof(*s));
	memset(out, 0, sizeof(*out));
	s->out = out;
}

/* One SRV record, RFC 2782: priority, weight, port, target. */
static int srv_read(const struct walk *w, const struct rr *rr, struct dns_srv_info *in,
		    unsigned *port, uint8_t *target, size_t *tlen, struct errbuf *e)
{
	const uint8_t *p = w->m + rr->rdoff;

	if (rr->rdlen < 7)
		return errf(e, "DNS SRV record at offset %zu too short", rr->rdoff);
	memset(in, 0, sizeof(*in));
	in->priority = (uint16_t)get16(p);
	in->weight = (uint16_t)get16(p + 2);
	*port = get16(p + 4);
	return rdata_name(w, rr, rr->rdoff + 6, target, tlen, e);
}

/* Move entry j to position i (j >= i), shifting those between down. */
static void srv_move(struct dns_srv_list *s, size_t i, size_t j)
{
	struct bootstrap_server_uri u = s->out->server[j];
	struct dns_srv_info in = s->info[j];

	memmove(s->out->server + i + 1, s->out->server + i, (j - i) * sizeof(u));
	memmove(s->info + i + 1, s->info + i, (j - i) * sizeof(in));
	s->out->server[i] = u;
	s->info[i] = in;
}

/* Insert in order (priority up, weight down, then arrival); the worst falls
 * off a full list. */
static void srv_insert(struct dns_srv_list *s, const struct bootstrap_server_uri *u,
		       const struct dns_srv_info *in)
{
	struct bootstrap_server_list *l = s->out;
	size_t i = 0;

	for (size_t j = 0; j < l->n; j++)
		if (!strcasecmp(l->server[j].host, u->host) && l->server[j].port == u->port)
			return; /* the same server twice (several mDNS responders) */
	while (i < l->n && (s->info[i].priority < in->priority ||
			    (s->info[i].priority == in->priority && s->info[i].weight >= in->weight)))
		i++;
	if (l->n == SZTP_MAX_BOOTSTRAP_SERVERS) {
		l->excess++;
		if (i == l->n)
			return;
		l->n--;
	}
	l->server[l->n] = *u;
	s->info[l->n] = *in;
	srv_move(s, i, l->n++);
}

int dns_srv_add(struct dns_srv_list *s, const uint8_t *msg, size_t len,
		const struct dns_question *q, struct errbuf *e)
{
	uint8_t owner[DNS_NAME_MAX], target[DNS_NAME_MAX];
	size_t olen, tlen, found = 0;
	struct dns_srv_info in;
	unsigned port;
	struct walk w, w0;
	struct rr rr;
	int r;

	r = open_all(&w0, msg, len, q, owner, &olen, e);
	if (r != 0)
		return r;
	/* Check every SRV record first, so that a bad message changes nothing. */
	w = w0;
	while (walk_next(&w, &rr, NULL) == 1)
		if (rr_is(&rr, q, DNS_TYPE_SRV, owner, olen) &&
		    srv_read(&w, &rr, &in, &port, target, &tlen, e) < 0)
			return -1;
	w = w0;
	while (walk_next(&w, &rr, NULL) == 1) {
		char host[DNS_NAME_MAX], uri[SZTP_URI_MAX + 8];
		struct bootstrap_server_uri u;
		int n;

		if (!rr_is(&rr, q, DNS_TYPE_SRV, owner, olen))
			continue;
		srv_read(&w, &rr, &in, &port, target, &tlen, NULL);
		found++;
		if (tlen == 1) { /* RFC 2782: target "." -- decidedly not offered here */
			s->no_service = 1;
			continue;
		}
		if (name_text(target, tlen, host, sizeof(host)) < 0 ||
		    (n = snprintf(uri, sizeof(uri), "https://%s:%u", host, port)) < 0 ||
		    (size_t)n >= sizeof(uri) || sztp_uri_parse(uri, (size_t)n, &u) < 0) {
			s->out->skipped++;
			continue;
		}
		srv_insert(s, &u, &in);
	}
	if (!found)
		return DNS_NOT_FOUND;
	/* R57: addresses of the targets, wherever the responder put them. */
	w = w0;
	while (walk_next(&w, &rr, NULL) == 1) {
		unsigned cls = q->flags & DNS_Q_MDNS ? rr.cls & ~CLASS_TOP : rr.cls;
		char host[DNS_NAME_MAX];

		if (rr.sec == SEC_AUTHORITY || cls != DNS_CLASS_IN ||
		    !((rr.type == DNS_TYPE_A && rr.rdlen == 4) || (rr.type == DNS_TYPE_AAAA && rr.rdlen == 16)) ||
		    name_text(rr.owner, rr.owner_len, host, sizeof(host)) < 0)
			continue;
		for (size_t i = 0; i < s->out->n; i++) {
			struct dns_srv_info *h = &s->info[i];

			if (strcasecmp(s->out->server[i].host, host))
				continue;
			if (rr.type == DNS_TYPE_A && !h->has_a) {
				memcpy(h->a, msg + rr.rdoff, 4);
				h->has_a = 1;
			} else if (rr.type == DNS_TYPE_AAAA && !h->has_aaaa) {
				memcpy(h->aaaa, msg + rr.rdoff, 16);
				h->has_aaaa = 1;
			}
		}
	}
	return DNS_FOUND;
}

/*
 * RFC 2782 "Usage rules": within one priority, draw a number in
 * [0, sum of weights], walk the running sum -- weight-0 entries first -- and
 * take the first entry that reaches it; repeat with the rest. xorshift32 is
 * enough: this spreads load, it guards nothing.
 */
void dns_srv_weigh(struct dns_srv_list *s, uint32_t seed)
{
	struct bootstrap_server_list *l = s->out;
	uint32_t x = seed ? seed : 0x9e3779b9u;

	for (size_t g = 0, end; g < l->n; g = end) {
		for (end = g; end < l->n && s->info[end].priority == s->info[g].priority; end++)
			;
		for (size_t i = g; i + 1 < end; i++) {
			uint32_t sum = 0, run = 0, pick;
			size_t sel = end;

			for (size_t j = i; j < end; j++)
				sum += s->info[j].weight;
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			pick = x % (sum + 1);
			for (int zero = 1; zero >= 0 && sel == end; zero--)
				for (size_t j = i; j < end && sel == end; j++)
					if ((s->info[j].weight == 0) == zero &&
					    (run += s->info[j].weight) >= pick)
						sel = j;
			srv_move(s, i, sel);
		}
	}
}
