/* Strict DER reader: see der.h for what is accepted. */
#include <string.h>

#include "der.h"
#include "timefmt.h"

int der_next(struct der *in, struct der_tlv *t)
{
	const uint8_t *p = in->p;
	size_t n = in->len, len, hdr = 2;

	if (n < 2)
		return -1;
	if ((p[0] & 0x1f) == 0x1f)
		return -1; /* high tag numbers: never used by what we parse */
	len = p[1];
	if (len & 0x80) {
		size_t k = len & 0x7f;

		/* 0x80 is BER indefinite; 0xff reserved; > 4 octets is absurd here. */
		if (k == 0 || k > 4 || n - 2 < k)
			return -1;
		if (p[2] == 0)
			return -1; /* not minimal */
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = (len << 8) | p[2 + i];
		if (len < 0x80)
			return -1; /* short form was required */
		hdr += k;
	}
	if (len > n - hdr)
		return -1;
	t->tag = p[0];
	t->raw = p;
	t->rawlen = hdr + len;
	t->val = p + hdr;
	t->len = len;
	in->p += hdr + len;
	in->len -= hdr + len;
	return 0;
}

int der_expect(struct der *in, unsigned tag, struct der_tlv *t)
{
	if (der_next(in, t) < 0 || t->tag != tag)
		return -1;
	return 0;
}

int der_peek(const struct der *in)
{
	return in->len ? in->p[0] : -1;
}

int der_optional(struct der *in, unsigned tag, struct der_tlv *t)
{
	if (der_peek(in) != (int)tag)
		return 0;
	return der_next(in, t) < 0 ? -1 : 1;
}

int der_whole(const void *buf, size_t len, struct der_tlv *t)
{
	struct der in = der_span(buf, len);

	if (der_next(&in, t) < 0 || in.len != 0)
		return -1;
	return 0;
}

int der_oid_is(const struct der_tlv *t, const uint8_t *oid, size_t oidlen)
{
	return t->tag == DER_OID && t->len == oidlen && !memcmp(t->val, oid, oidlen);
}

int der_uint(const struct der_tlv *t, uint64_t *v)
{
	const uint8_t *p = t->val;
	size_t n = t->len;

	if (t->tag != DER_INTEGER || n == 0 || (p[0] & 0x80))
		return -1;
	if (n > 1 && p[0] == 0 && !(p[1] & 0x80))
		return -1; /* not minimal */
	if (p[0] == 0) {
		p++;
		n--;
	}
	if (n > 8)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = (*v << 8) | p[i];
	return 0;
}

int der_same(const struct der_tlv *a, const struct der_tlv *b)
{
	return a->rawlen == b->rawlen && !memcmp(a->raw, b->raw, a->rawlen);
}

static int digits(const uint8_t *p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*v = *v * 10 + (p[i] - '0');
	}
	return 0;
}

int der_time(const struct der_tlv *t, int64_t *secs)
{
	const uint8_t *p = t->val;
	int y, mo, d, h, mi, s;

	/* RFC 5280 4.1.2.5: YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ, seconds present. */
	if (t->tag == DER_UTCTIME && t->len == 13) {
		if (digits(p, 2, &y) < 0)
			return -1;
		y += y < 50 ? 2000 : 1900;
		p += 2;
	} else if (t->tag == DER_GENTIME && t->len == 15) {
		if (digits(p, 4, &y) < 0)
			return -1;
		p += 4;
	} else {
		return -1;
	}
	if (digits(p, 2, &mo) < 0 || digits(p + 2, 2, &d) < 0 || digits(p + 4, 2, &h) < 0 ||
	    digits(p + 6, 2, &mi) < 0 || digits(p + 8, 2, &s) < 0 || p[10] != 'Z')
		return -1;
	return civil_to_epoch(y, mo, d, h, mi, s, secs);
}
