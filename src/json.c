/*
 * Strict RFC 8259 JSON parser: see json.h for what is accepted.
 *
 * One pass, no recursion: nesting is tracked by threading a parent link
 * through the `next` field of each open container (it is overwritten with
 * its real value when the container closes), so the only state that grows
 * with depth lives in the caller's token array, and depth is a counter.
 */
#include <limits.h>
#include <string.h>

#include "json.h"

const struct json_limits json_default_limits = {
	.max_bytes = (size_t)4 << 20,
	.max_depth = 16,
	.max_string = (size_t)2 << 20,
	.max_members = 256,
};

/* Parent link of the root container: it has none. */
#define NO_PARENT UINT32_MAX

struct parser {
	const unsigned char *s;
	size_t len, pos;
	struct json_tok *tok;
	size_t n, cap;
	const struct json_limits *lim;
	struct errbuf *e;
};

static int is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static void skip_ws(struct parser *p)
{
	/* RFC 8259 2: the only four insignificant whitespace bytes. */
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* The code unit of the "\uXXXX" at s[q..n), or -1 if there is none. */
static long u_escape(const unsigned char *s, size_t n, size_t q)
{
	long v = 0;

	if (q > n || n - q < 6 || s[q] != '\\' || s[q + 1] != 'u')
		return -1;
	for (size_t i = 2; i < 6; i++) {
		int h = hexval(s[q + i]);

		if (h < 0)
			return -1;
		v = (v << 4) | h;
	}
	return v;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 (RFC 3629 4:
 * no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* U+D800..U+DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
	}
	if (n < k || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/*
 * Validate the string whose opening quote is at p->pos (RFC 8259 7) and set
 * *end to the offset of its closing quote. Counts decoded bytes against
 * max_string as it goes, so an oversized string is refused without being
 * scanned to its end.
 */
static int scan_string(struct parser *p, size_t *end)
{
	const unsigned char *s = p->s;
	size_t n = p->len, q = p->pos + 1, dec = 0;

	for (;;) {
		unsigned char c;

		if (q >= n)
			return errf(p->e, "JSON: unterminated string at offset %zu", p->pos);
		c = s[q];
		if (c == '"')
			break;
		if (c < 0x20)
			return errf(p->e, "JSON: control character in string at offset %zu", q);
		if (c == '\\') {
			long cp, lo;

			if (q + 1 >= n)
				return errf(p->e, "JSON: unterminated string at offset %zu", p->pos);
			switch (s[q + 1]) {
			case '"': case '\\': case '/':
			case 'b': case 'f': case 'n': case 'r': case 't':
				dec++;
				q += 2;
				break;
			case 'u':
				cp = u_escape(s, n, q);
				if (cp < 0)
					return errf(p->e, "JSON: invalid escape at offset %zu", q);
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return errf(p->e, "JSON: unpaired surrogate escape at offset %zu", q);
				if (cp >= 0xd800 && cp <= 0xdbff) {
					/* RFC 8259 7: a high surrogate needs a low one right after it. */
					lo = u_escape(s, n, q + 6);
					if (lo < 0xdc00 || lo > 0xdfff)
						return errf(p->e, "JSON: unpaired surrogate escape at offset %zu", q);
					dec += 4;
					q += 12;
				} else {
					dec += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
					q += 6;
				}
				break;
			default:
				return errf(p->e, "JSON: invalid escape at offset %zu", q);
			}
		} else {
			size_t k = utf8_len(s + q, n - q);

			if (k == 0)
				return errf(p->e, "JSON: invalid UTF-8 at offset %zu", q);
			dec += k;
			q += k;
		}
		if (dec > p->lim->max_string)
			return errf(p->e, "JSON: string longer than %zu bytes at offset %zu",
				    p->lim->max_string, p->pos);
	}
	*end = q;
	return 0;
}

/* RFC 8259 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int scan_number(struct parser *p, size_t *end)
{
	const unsigned char *s = p->s;
	size_t n = p->len, q = p->pos;

	if (s[q] == '-')
		q++;
	if (q >= n || !is_digit(s[q]))
		return errf(p->e, "JSON: invalid number at offset %zu", p->pos);
	if (s[q] == '0') {
		q++;
		if (q < n && is_digit(s[q]))
			return errf(p->e, "JSON: leading zero in number at offset %zu", p->pos);
	} else {
		while (q < n && is_digit(s[q]))
			q++;
	}
	if (q < n && s[q] == '.') {
		q++;
		if (q >= n || !is_digit(s[q]))
			return errf(p->e, "JSON: invalid number at offset %zu", p->pos);
		while (q < n && is_digit(s[q]))
			q++;
	}
	if (q < n && (s[q] == 'e' || s[q] == 'E')) {
		q++;
		if (q < n && (s[q] == '+' || s[q] == '-'))
			q++;
		if (q >= n || !is_digit(s[q]))
			return errf(p->e, "JSON: invalid number at offset %zu", p->pos);
		while (q < n && is_digit(s[q]))
			q++;
	}
	*end = q;
	return 0;
}

static struct json_tok *new_tok(struct parser *p, uint8_t type, size_t start, size_t len)
{
	struct json_tok *t;

	if (p->n >= p->cap) {
		errf(p->e, "JSON: more than %zu tokens", p->cap);
		return NULL;
	}
	t = &p->tok[p->n++];
	t->type = type;
	t->start = (uint32_t)start;
	t->len = (uint32_t)len;
	t->size = 0;
	t->next = (uint32_t)p->n;
	return t;
}

/* Count one more member/element of container c, whose next one starts at p->pos. */
static int add_member(struct parser *p, size_t c)
{
	struct json_tok *t = &p->tok[c];

	if (t->size >= p->lim->max_members)
		return errf(p->e, "JSON: more than %zu %s at offset %zu", p->lim->max_members,
			    t->type == JSON_OBJECT ? "members in object" : "elements in array", p->pos);
	t->size++;
	return 0;
}

/*
 * Decoded bytes of a string token, one at a time. Only ever run over strings
 * the parser accepted, but still bounded by the token so that a doctored
 * token cannot walk it off the end.
 */
struct sdec {
	const unsigned char *p, *end;
	unsigned char buf[4];
	unsigned nbuf, ibuf;
};

static int sdec_init(struct sdec *it, const struct json_doc *d, size_t i)
{
	const struct json_tok *t;

	if (i >= d->ntok || d->tok[i].type != JSON_STRING)
		return -1;
	t = &d->tok[i];
	if (t->len < 2 || t->start > d->srclen || t->len > d->srclen - t->start)
		return -1;
	it->p = (const unsigned char *)d->src + t->start + 1;
	it->end = (const unsigned char *)d->src + t->start + t->len - 1;
	it->nbuf = it->ibuf = 0;
	return 0;
}

static long hex4(const unsigned char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);

		if (h < 0)
			return -1;
		v = (v << 4) | h;
	}
	return v;
}

/* Next decoded byte, or -1 at the end. */
static int sdec_next(struct sdec *it)
{
	unsigned long cp;
	long u, lo;

	if (it->ibuf < it->nbuf)
		return it->buf[it->ibuf++];
	if (it->p >= it->end)
		return -1;
	if (*it->p != '\\')
		return *it->p++;
	if (it->end - it->p < 2)
		return -1;
	it->p += 2;
	switch (it->p[-1]) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'u': break;
	default: return it->p[-1]; /* '"', '\\', '/' */
	}
	if (it->end - it->p < 4 || (u = hex4(it->p)) < 0)
		return -1;
	it->p += 4;
	cp = (unsigned long)u;
	if (u >= 0xd800 && u <= 0xdbff) {
		if (it->end - it->p < 6 || (lo = hex4(it->p + 2)) < 0)
			return -1;
		it->p += 6;
		cp = 0x10000 + (((unsigned long)u - 0xd800) << 10) + ((unsigned long)lo - 0xdc00);
	}
	/* RFC 3629 3 */
	if (cp < 0x80) {
		return (int)cp;
	} else if (cp < 0x800) {
		it->buf[0] = (unsigned char)(0xc0 | (cp >> 6));
		it->nbuf = 2;
	} else if (cp < 0x10000) {
		it->buf[0] = (unsigned char)(0xe0 | (cp >> 12));
		it->buf[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		it->nbuf = 3;
	} else {
		it->buf[0] = (unsigned char)(0xf0 | (cp >> 18));
		it->buf[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		it->buf[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		it->nbuf = 4;
	}
	it->buf[it->nbuf - 1] = (unsigned char)(0x80 | (cp & 0x3f));
	it->ibuf = 1;
	return it->buf[0];
}

/* String tokens a and b decode to the same bytes. */
static int str_same(const struct json_doc *d, size_t a, size_t b)
{
	const struct json_tok *ta = &d->tok[a], *tb = &d->tok[b];
	const char *pa = d->src + ta->start + 1, *pb = d->src + tb->start + 1;
	size_t la = ta->len - 2, lb = tb->len - 2;
	struct sdec ia, ib;
	int ca, cb;

	if (la == lb && !memcmp(pa, pb, la))
		return 1;
	/* Without escapes the source bytes are the decoded bytes. */
	if (!memchr(pa, '\\', la) && !memchr(pb, '\\', lb))
		return 0;
	if (sdec_init(&ia, d, a) < 0 || sdec_init(&ib, d, b) < 0)
		return 0;
	do {
		ca = sdec_next(&ia);
		cb = sdec_next(&ib);
		if (ca != cb)
			return 0;
	} while (ca >= 0);
	return 1;
}

/* A member name for an error message: printable ASCII only, bounded. */
static void quote_name(char *out, size_t cap, const unsigned char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = s[i];

		if (k + 4 >= cap && i + 1 < n) {
			memcpy(out + k, "...", 3);
			k += 3;
			break;
		}
		out[k++] = (c < 0x20 || c >= 0x7f || c == '"') ? '?' : (char)c;
	}
	out[k] = '\0';
}

/* Key token k is the newest member of object c: refuse it if an earlier
 * member has the same decoded name (RFC 8259 4 leaves duplicates'
 * meaning open; a verifier must not guess which one counts). */
static int check_duplicate(struct parser *p, size_t c, size_t k)
{
	struct json_doc d = { (const char *)p->s, p->len, p->tok, p->n };
	size_t m = c + 1;

	for (uint32_t i = 0; i + 1 < p->tok[c].size; i++) {
		if (str_same(&d, m, k)) {
			char name[48];

			quote_name(name, sizeof(name), p->s + p->tok[k].start + 1, p->tok[k].len - 2);
			return errf(p->e, "JSON: duplicate member \"%s\" at offset %zu", name,
				    (size_t)p->tok[k].start);
		}
		m = p->tok[m + 1].next; /* past this member's value */
	}
	return 0;
}

/* Container c ends at p->pos: record its span, swap its parent link for
 * the real end of its subtree, and return the parent. */
static uint32_t close_container(struct parser *p, uint32_t c)
{
	struct json_tok *t = &p->tok[c];
	uint32_t parent = t->next;

	p->pos++;
	t->len = (uint32_t)(p->pos - t->start);
	t->next = (uint32_t)p->n;
	return parent;
}

static int unexpected(struct parser *p, const char *what)
{
	unsigned char c = p->s[p->pos];

	if (c > 0x20 && c < 0x7f)
		return errf(p->e, "JSON: expected %s, got '%c' at offset %zu", what, c, p->pos);
	return errf(p->e, "JSON: expected %s, got byte 0x%02x at offset %zu", what, c, p->pos);
}

int json_parse(struct json_doc *d, const char *src, size_t len, struct json_tok *tok, size_t cap,
	       const struct json_limits *lim, struct errbuf *e)
{
	static const struct {
		const char *word;
		size_t len;
		uint8_t type;
	} literals[] = {
		{ "true", 4, JSON_TRUE },
		{ "false", 5, JSON_FALSE },
		{ "null", 4, JSON_NULL },
	};
	struct parser p;
	/* VALUE: a value is due; KEY: a member name is due; AFTER: a value
	 * just ended; OPENED: a container just opened (may close at once). */
	enum { VALUE, KEY, AFTER, OPENED } st = VALUE;
	uint32_t cur = NO_PARENT; /* innermost open container */
	size_t depth = 0, end, max_len;
	struct json_tok *t;

	d->src = src;
	d->srclen = len;
	d->tok = tok;
	d->ntok = 0;
	if (!lim)
		lim = &json_default_limits;
	/* Offsets and indexes are 32-bit; NO_PARENT must stay out of range. */
	max_len = lim->max_bytes < UINT32_MAX ? lim->max_bytes : UINT32_MAX;
	if (cap > UINT32_MAX - 1)
		cap = UINT32_MAX - 1;
	if (len > max_len)
		return errf(e, "JSON: document larger than %zu bytes", max_len);
	p.s = (const unsigned char *)src;
	p.len = len;
	p.pos = 0;
	p.tok = tok;
	p.n = 0;
	p.cap = cap;
	p.lim = lim;
	p.e = e;

	skip_ws(&p);
	if (p.pos == len)
		return errf(e, "JSON: empty document");
	for (;;) {
		skip_ws(&p);
		if (st == AFTER && cur == NO_PARENT) {
			if (p.pos != len)
				return errf(e, "JSON: trailing data at offset %zu", p.pos);
			break;
		}
		if (p.pos >= len)
			return errf(e, "JSON: unexpected end of document at offset %zu", len);

		unsigned char c = p.s[p.pos];
		switch (st) {
		case OPENED:
			if (c == (tok[cur].type == JSON_OBJECT ? '}' : ']')) {
				cur = close_container(&p, cur);
				depth--;
				st = AFTER;
				break;
			}
			if (tok[cur].type == JSON_OBJECT) {
				st = KEY;
				break;
			}
			if (add_member(&p, cur) < 0)
				return -1;
			st = VALUE;
			break;

		case KEY:
			if (c != '"')
				return unexpected(&p, "member name");
			if (add_member(&p, cur) < 0 || scan_string(&p, &end) < 0)
				return -1;
			if (!new_tok(&p, JSON_STRING, p.pos, end + 1 - p.pos))
				return -1;
			if (check_duplicate(&p, cur, p.n - 1) < 0)
				return -1;
			p.pos = end + 1;
			skip_ws(&p);
			if (p.pos >= len)
				return errf(e, "JSON: unexpected end of document at offset %zu", len);
			if (p.s[p.pos] != ':')
				return unexpected(&p, "':'");
			p.pos++;
			st = VALUE;
			break;

		case AFTER:
			if (c == ',') {
				p.pos++;
				if (tok[cur].type == JSON_OBJECT) {
					st = KEY;
				} else {
					skip_ws(&p);
					if (add_member(&p, cur) < 0)
						return -1;
					st = VALUE;
				}
				break;
			}
			if (c != (tok[cur].type == JSON_OBJECT ? '}' : ']'))
				return unexpected(&p, tok[cur].type == JSON_OBJECT ? "',' or '}'" : "',' or ']'");
			cur = close_container(&p, cur);
			depth--;
			break;

		case VALUE:
			st = AFTER;
			if (c == '{' || c == '[') {
				if (depth >= lim->max_depth)
					return errf(e, "JSON: nesting deeper than %zu", lim->max_depth);
				t = new_tok(&p, c == '{' ? JSON_OBJECT : JSON_ARRAY, p.pos, 0);
				if (!t)
					return -1;
				t->next = cur;
				cur = (uint32_t)(p.n - 1);
				depth++;
				p.pos++;
				st = OPENED;
			} else if (c == '"') {
				if (scan_string(&p, &end) < 0 ||
				    !new_tok(&p, JSON_STRING, p.pos, end + 1 - p.pos))
					return -1;
				p.pos = end + 1;
			} else if (c == '-' || is_digit(c)) {
				if (scan_number(&p, &end) < 0 ||
				    !new_tok(&p, JSON_NUMBER, p.pos, end - p.pos))
					return -1;
				p.pos = end;
			} else {
				size_t i;

				for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++)
					if (len - p.pos >= literals[i].len &&
					    !memcmp(p.s + p.pos, literals[i].word, literals[i].len))
						break;
				if (i == sizeof(literals) / sizeof(literals[0]))
					return unexpected(&p, "a value");
				if (!new_tok(&p, literals[i].type, p.pos, literals[i].len))
					return -1;
				p.pos += literals[i].len;
			}
			break;
		}
	}
	d->ntok = p.n;
	return 0;
}

long json_get(const struct json_doc *d, size_t obj, const char *name)
{
	size_t k;

	if (obj >= d->ntok || d->tok[obj].type != JSON_OBJECT)
		return -1;
	k = obj + 1;
	for (uint32_t i = 0; i < d->tok[obj].size && k + 1 < d->ntok; i++) {
		if (json_str_eq(d, k, name))
			return (long)(k + 1);
		k = d->tok[k + 1].next;
	}
	return -1;
}

long json_str(const struct json_doc *d, size_t i, char *out, size_t cap)
{
	struct sdec it;
	size_t k = 0;
	int c;

	if (cap > 0)
		out[0] = '\0';
	if (sdec_init(&it, d, i) < 0)
		return -1;
	while ((c = sdec_next(&it)) >= 0) {
		if (c == 0 || k + 1 >= cap || k >= (size_t)LONG_MAX) {
			if (cap > 0)
				out[0] = '\0';
			return -1;
		}
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return (long)k;
}

int json_str_eq(const struct json_doc *d, size_t i, const char *s)
{
	struct sdec it;
	const struct json_tok *t;

	if (sdec_init(&it, d, i) < 0)
		return 0;
	t = &d->tok[i];
	/* Fast path: no escapes means the source bytes are the string. */
	if (!memchr(d->src + t->start + 1, '\\', t->len - 2))
		return strlen(s) == t->len - 2U && !memcmp(d->src + t->start + 1, s, t->len - 2);
	for (size_t k = 0;; k++) {
		int c = sdec_next(&it);

		if (s[k] == '\0')
			return c < 0;
		if (c != (unsigned char)s[k])
			return 0;
	}
}

int json_uint(const struct json_doc *d, size_t i, uint64_t max, uint64_t *v)
{
	const struct json_tok *t;
	const unsigned char *s;
	uint64_t x = 0;

	if (i >= d->ntok || d->tok[i].type != JSON_NUMBER)
		return -1;
	t = &d->tok[i];
	if (t->len == 0 || t->start > d->srclen || t->len > d->srclen - t->start)
		return -1;
	s = (const unsigned char *)d->src + t->start;
	for (uint32_t k = 0; k < t->len; k++) {
		unsigned dig;

		if (!is_digit(s[k]))
			return -1; /* '-', fraction or exponent */
		dig = s[k] - '0';
		if (dig > max || x > (max - dig) / 10)
			return -1;
		x = x * 10 + dig;
	}
	*v = x;
	return 0;
}
