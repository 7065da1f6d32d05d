/*
 * Strict RFC 8259 JSON parser. Allocates nothing and never recurses: the
 * caller owns the token array, every token points into the caller's source
 * (which need not be NUL-terminated), and every dimension has a hard limit.
 *
 * Accepted: exactly one value of any type with only whitespace around it.
 * Rejected: trailing data, leading zeros, '+', bare '.', NaN/Infinity,
 * invalid UTF-8 (overlongs, UTF-8-encoded surrogates, > U+10FFFF), raw
 * control characters, escapes other than RFC 8259 7's, unpaired \u
 * surrogates, duplicate member names within one object (compared after
 * decoding, so "a" and "\u0061" collide), and anything over a limit.
 */
#ifndef SZTP_JSON_H
#define SZTP_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_tok {
	uint8_t type;      /* enum json_type */
	uint32_t start;    /* offset in the source of the token's first byte (for strings: the opening quote) */
	uint32_t len;      /* bytes of source the token spans (strings: including both quotes; containers: through the closing bracket) */
	uint32_t size;     /* arrays: element count; objects: member count; else 0 */
	uint32_t next;     /* index of the first token after this token's whole subtree */
};
/* An object's members are laid out as key (a JSON_STRING token) followed by
 * its value subtree. Token 0 is the root. */

struct json_limits {
	size_t max_bytes;   /* whole document */
	size_t max_depth;   /* nesting of arrays/objects */
	size_t max_string;  /* decoded bytes of one string */
	size_t max_members; /* members of one object / elements of one array */
};
extern const struct json_limits json_default_limits; /* 4 MiB, depth 16, 2 MiB string, 256 members */

struct json_doc {
	const char *src;
	size_t srclen;
	struct json_tok *tok;
	size_t ntok;
};

/*
 * Parse src into the caller's token array (cap tokens). Returns 0, or -1
 * with a one-line reason in e, e.g. "JSON: duplicate member \"x\" at
 * offset 12", "JSON: nesting deeper than 16", "JSON: more than N tokens",
 * "JSON: invalid escape at offset N", "JSON: document larger than N bytes",
 * "JSON: trailing data at offset N". lim == NULL means json_default_limits.
 * On failure d->ntok is 0. Documents over 4 GiB - 1 are always rejected
 * (offsets are 32-bit).
 */
int json_parse(struct json_doc *d, const char *src, size_t len, struct json_tok *tok, size_t cap,
	       const struct json_limits *lim, struct errbuf *e);

/* Index of the value of member `name` in object token `obj`, or -1 if absent
 * or obj is not an object (compares the decoded key with name). */
long json_get(const struct json_doc *d, size_t obj, const char *name);

/*
 * Decode string token i into out (NUL-terminated; cap includes the NUL).
 * Returns the decoded length, or -1 if it does not fit, i is not a string,
 * or the string contains U+0000 (a C string cannot hold it faithfully, and
 * a truncated name is a classic smuggling trick). On -1, out is "" if cap > 0.
 */
long json_str(const struct json_doc *d, size_t i, char *out, size_t cap);

/* String token i equals s (decoded comparison); 0 if i is not a string. */
int json_str_eq(const struct json_doc *d, size_t i, const char *s);

/* Number token i as a non-negative integer without fraction/exponent, <= max.
 * Returns 0 or -1. */
int json_uint(const struct json_doc *d, size_t i, uint64_t max, uint64_t *v);

/*
 * Iteration: the first child of container i (for objects: the first key) is
 * i + 1 when d->tok[i].size > 0; the next sibling after child/value c is
 * d->tok[c].next. In an object, key k's value is k + 1 and the next key is
 * d->tok[k + 1].next. json_child() returns the first child or -1.
 */
static inline long json_child(const struct json_doc *d, size_t i)
{
	if (i >= d->ntok || (d->tok[i].type != JSON_ARRAY && d->tok[i].type != JSON_OBJECT) ||
	    d->tok[i].size == 0)
		return -1;
	return (long)(i + 1);
}

#endif
