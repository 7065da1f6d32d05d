/*
 * Strict, bounded DER reader (X.690 DER subset). Allocates nothing: every
 * result points into the caller's buffer. Definite lengths only, minimal
 * length encodings, low tag numbers only (tag < 31), no value beyond the
 * input.
 */
#ifndef SZTP_DER_H
#define SZTP_DER_H

#include <stddef.h>
#include <stdint.h>

/* Tags as the identifier octet: class | constructed | number. */
#define DER_BOOLEAN     0x01
#define DER_INTEGER     0x02
#define DER_BIT_STRING  0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL        0x05
#define DER_OID         0x06
#define DER_UTF8STRING  0x0c
#define DER_PRINTABLESTRING 0x13
#define DER_IA5STRING   0x16
#define DER_UTCTIME     0x17
#define DER_GENTIME     0x18
#define DER_SEQUENCE    0x30
#define DER_SET         0x31
#define DER_CTX(n)      (0x80 | (n))  /* [n] IMPLICIT, primitive */
#define DER_CTXC(n)     (0xa0 | (n))  /* [n] constructed */

/* A span of bytes still to be read. */
struct der {
	const uint8_t *p;
	size_t len;
};

/* One decoded element. */
struct der_tlv {
	unsigned tag;        /* identifier octet */
	const uint8_t *raw;  /* first byte of the identifier */
	size_t rawlen;       /* identifier + length + value */
	const uint8_t *val;
	size_t len;
};

static inline struct der der_span(const void *p, size_t len)
{
	struct der d = { (const uint8_t *)p, len };
	return d;
}

/* The contents of a constructed element, for reading its children. */
static inline struct der der_inner(const struct der_tlv *t)
{
	return der_span(t->val, t->len);
}

/* Read the next element; -1 on malformed or truncated input. */
int der_next(struct der *in, struct der_tlv *t);
/* Read the next element and require its tag. */
int der_expect(struct der *in, unsigned tag, struct der_tlv *t);
/* If the next element has this tag, read it and return 1; 0 if another tag
 * or end of input; -1 on malformed input. */
int der_optional(struct der *in, unsigned tag, struct der_tlv *t);
/* Tag of the next element, or -1 at end of input. */
int der_peek(const struct der *in);
/* Exactly one element and nothing after it. */
int der_whole(const void *buf, size_t len, struct der_tlv *t);

/* Element is an OBJECT IDENTIFIER with these content octets. */
int der_oid_is(const struct der_tlv *t, const uint8_t *oid, size_t oidlen);
#define DER_OID_IS(t, arr) der_oid_is((t), (arr), sizeof(arr))

/* Non-negative INTEGER value that fits in 64 bits. */
int der_uint(const struct der_tlv *t, uint64_t *v);
/* Two elements' encodings are byte-identical. */
int der_same(const struct der_tlv *a, const struct der_tlv *b);
/* UTCTime or GeneralizedTime (DER forms, "Z") to seconds since the epoch. */
int der_time(const struct der_tlv *t, int64_t *secs);

#endif
