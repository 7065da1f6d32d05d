/* Strict RFC 4648 base64: see base64.h for what is accepted. */
#include <limits.h>

#include "base64.h"
#include "sztp.h"

/* All ones if lo <= c <= hi, else zero, without branching on c (c, lo, hi
 * < 2^31, so a borrow shows up in bit 31 of either difference). */
static uint32_t ct_range(uint32_t c, uint32_t lo, uint32_t hi)
{
	return (((c - lo) | (hi - c)) >> 31) - 1;
}

/* RFC 4648 table 1, inverted: the 6-bit value of c; *bad gets nonzero bits
 * if c is outside the alphabet ('=' included: padding is handled apart). */
static uint32_t b64_value(unsigned char ch, uint32_t *bad)
{
	uint32_t c = ch, v = 0, ok = 0, m;

	m = ct_range(c, 'A', 'Z'); v |= m & (c - 'A');      ok |= m;
	m = ct_range(c, 'a', 'z'); v |= m & (c - 'a' + 26); ok |= m;
	m = ct_range(c, '0', '9'); v |= m & (c - '0' + 52); ok |= m;
	m = ct_range(c, '+', '+'); v |= m & 62;             ok |= m;
	m = ct_range(c, '/', '/'); v |= m & 63;             ok |= m;
	*bad |= ~ok;
	return v;
}

/* RFC 4648 table 1: the character for 6-bit value v. */
static char b64_char(uint32_t v)
{
	uint32_t c = 0;

	c |= ct_range(v, 0, 25) & (v + 'A');
	c |= ct_range(v, 26, 51) & (v - 26 + 'a');
	c |= ct_range(v, 52, 61) & (v - 52 + '0');
	c |= ct_range(v, 62, 62) & '+';
	c |= ct_range(v, 63, 63) & '/';
	return (char)c;
}

size_t base64_decoded_max(size_t len)
{
	return len / 4 * 3;
}

long base64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t pad = 0, n, o = 0;
	uint32_t bad = 0;

	if (len % 4 != 0)
		return -1; /* RFC 4648 3.2: padding is required */
	if (len == 0)
		return 0;
	/* Where the padding is follows from the decoded length, which is
	 * public: branching on it leaks nothing about the data. */
	if (s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	n = len / 4 * 3 - pad;
	if (n > cap || n > LONG_MAX)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		size_t k = i + 4 == len ? 4 - pad : 4; /* data characters in this quantum */
		uint32_t v[4] = { 0, 0, 0, 0 }, w;

		for (size_t j = 0; j < k; j++)
			v[j] = b64_value(s[i + j], &bad);
		w = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
		out[o++] = (uint8_t)(w >> 16);
		if (k >= 3)
			out[o++] = (uint8_t)(w >> 8);
		if (k == 4)
			out[o++] = (uint8_t)w;
		/* RFC 4648 3.5: the bits under the padding must be zero, so that
		 * each byte string has exactly one encoding. */
		if (k == 3)
			bad |= v[2] & 0x3;
		else if (k == 2)
			bad |= v[1] & 0xf;
	}
	if (bad) {
		sztp_wipe(out, n);
		return -1;
	}
	return (long)n;
}

long base64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need, o = 0, i = 0;

	if (len > (size_t)LONG_MAX / 4 * 3 - 3)
		return -1;
	need = (len + 2) / 3 * 4;
	if (cap == 0 || need > cap - 1)
		return -1;
	for (; len - i >= 3; i += 3) {
		uint32_t w = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = b64_char(w >> 18);
		out[o++] = b64_char((w >> 12) & 0x3f);
		out[o++] = b64_char((w >> 6) & 0x3f);
		out[o++] = b64_char(w & 0x3f);
	}
	if (len - i > 0) {
		uint32_t w = (uint32_t)in[i] << 16;

		if (len - i == 2)
			w |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64_char(w >> 18);
		out[o++] = b64_char((w >> 12) & 0x3f);
		out[o++] = len - i == 2 ? b64_char((w >> 6) & 0x3f) : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return (long)o;
}
