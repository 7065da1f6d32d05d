/* Base64: RFC 4648 test vectors, then a table of malformed encodings. */
#include <stdlib.h>

#include "base64.h"
#include "test.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* RFC 4648 10 */
static const struct {
	const char *plain;
	const char *b64;
} vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static const struct {
	const char *in;
	size_t len; /* 0: strlen(in) */
	long want;  /* decoded length, or -1 */
} decode_rows[] = {
	{ "AAAA", 0, 3 },
	{ "////", 0, 3 },
	{ "+++/", 0, 3 },
	{ "AA==", 0, 1 },
	{ "AAA=", 0, 2 },
	{ "/w==", 0, 1 },
	{ "//8=", 0, 2 },
	/* length and padding: RFC 4648 3.2 */
	{ "Zg", 0, -1 },
	{ "Zg=", 0, -1 },
	{ "Zm9", 0, -1 },
	{ "Zm9vY", 0, -1 },
	{ "Zm9v=", 0, -1 },
	{ "Z", 0, -1 },
	{ "=", 0, -1 },
	{ "==", 0, -1 },
	{ "====", 0, -1 },
	{ "Z===", 0, -1 },
	{ "Zg=A", 0, -1 },
	{ "Z=g=", 0, -1 },
	{ "=Zg=", 0, -1 },
	{ "Zg==Zg==", 0, -1 },
	{ "Zm8=Zm9v", 0, -1 },
	{ "Zm9vYmFy====", 0, -1 },
	/* characters outside the alphabet: RFC 4648 3.3 */
	{ "Zm9v\n", 0, -1 },
	{ "Zm9v\nYmFy", 0, -1 },
	{ " Zm9v", 0, -1 },
	{ "Zm9 ", 0, -1 },
	{ "Zm9v YmF", 0, -1 },
	{ "Zm9vYmF\t", 0, -1 },
	{ "Zm-v", 0, -1 },        /* base64url */
	{ "Zm_v", 0, -1 },
	{ "Zm9.", 0, -1 },
	{ "Zm9v\x00\x00\x00\x00", 8, -1 },
	{ "Zm\x00v", 4, -1 },
	{ "\xff\xff\xff\xff", 0, -1 },
	{ "Zm\xc3\xa9", 0, -1 },
	{ "Zm9@", 0, -1 },         /* '@' = 'A' - 1 */
	{ "Zm9[", 0, -1 },         /* '[' = 'Z' + 1 */
	{ "Zm9`", 0, -1 },         /* '`' = 'a' - 1 */
	{ "Zm9{", 0, -1 },         /* '{' = 'z' + 1 */
	{ "Zm9:", 0, -1 },         /* ':' = '9' + 1 */
	{ "Zm9*", 0, -1 },         /* '*' = '+' - 1 */
	{ "Zm9,", 0, -1 },         /* ',' = '+' + 1 */
	{ "Zm9-", 0, -1 },         /* '-' = '/' - 2 */
	/* non-zero bits under the padding: RFC 4648 3.5 */
	{ "Zh==", 0, -1 },
	{ "Zn==", 0, -1 },
	{ "Z/==", 0, -1 },
	{ "Zm9=", 0, -1 },
	{ "Zm+=", 0, -1 },
	{ "Zm/=", 0, -1 },
	{ "Zm9vYh==", 0, -1 },
	{ "Zm9vYmF=", 0, -1 },
	{ "Zm9vYmG=", 0, -1 },
	{ "Zm9vYmH=", 0, -1 },
	{ "Zm9vYmE=", 0, 5 },
};

static size_t ref_value(int c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (size_t)(p - alphabet) : 64;
}

/* Decode from an exactly-sized heap copy, so ASan sees any read past the end. */
static long decode_copy(const char *in, size_t len, uint8_t *out, size_t cap)
{
	char *copy = malloc(len ? len : 1);
	long r;

	if (!copy)
		return -2;
	memcpy(copy, in, len);
	r = base64_decode(copy, len, out, cap);
	free(copy);
	return r;
}

int main(void)
{
	uint8_t out[64];
	char enc[128];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const char *p = vectors[i].plain, *b = vectors[i].b64;
		size_t pl = strlen(p), bl = strlen(b);
		long r;

		r = decode_copy(b, bl, out, sizeof(out));
		CHECKF(r == (long)pl && !memcmp(out, p, pl), "decode %s -> %ld", b, r);
		CHECKF(decode_copy(b, bl, out, pl) == (long)pl, "decode %s into exact cap", b);
		CHECKF(pl == 0 || decode_copy(b, bl, out, pl - 1) == -1, "decode %s into cap - 1", b);
		CHECKF(base64_decoded_max(bl) == pl + (size_t)(b + bl - (strchr(b, '=') ? strchr(b, '=') : b + bl)),
		       "decoded_max %s", b);
		memset(enc, 'x', sizeof(enc));
		r = base64_encode((const uint8_t *)p, pl, enc, sizeof(enc));
		CHECKF(r == (long)bl && !strcmp(enc, b), "encode %s -> %s", p, enc);
		CHECKF(base64_encode((const uint8_t *)p, pl, enc, bl + 1) == (long)bl, "encode %s exact cap", p);
		CHECKF(base64_encode((const uint8_t *)p, pl, enc, bl) == -1, "encode %s short cap", p);
	}
	CHECK(base64_encode((const uint8_t *)"", 0, enc, 0) == -1);
	CHECK(base64_encode((const uint8_t *)"", 0, enc, 1) == 0 && enc[0] == '\0');
	CHECK(base64_encode((const uint8_t *)"", (size_t)-1, enc, sizeof(enc)) == -1);
	CHECK(base64_decoded_max(0) == 0 && base64_decoded_max(3) == 0 && base64_decoded_max(4) == 3 &&
	      base64_decoded_max(7) == 3 && base64_decoded_max(8) == 6);

	for (size_t i = 0; i < sizeof(decode_rows) / sizeof(decode_rows[0]); i++) {
		size_t len = decode_rows[i].len ? decode_rows[i].len : strlen(decode_rows[i].in);
		long r = decode_copy(decode_rows[i].in, len, out, sizeof(out));

		CHECKF(r == decode_rows[i].want, "row %zu `%s' -> %ld, want %ld", i, decode_rows[i].in, r,
		       decode_rows[i].want);
	}

	/* Every byte value in every position of a quantum, against the
	 * alphabet: the branch-free lookup must agree with a plain search. */
	for (int pos = 0; pos < 4; pos++) {
		for (int c = 0; c < 256; c++) {
			char q[4] = { 'A', 'A', 'A', 'A' };
			size_t v = ref_value(c);
			long r;

			q[pos] = (char)c;
			r = decode_copy(q, 4, out, sizeof(out));
			if (c == '=' && pos == 3) {
				CHECK(r == 2 && out[0] == 0 && out[1] == 0); /* "AAA=" is padding */
			} else if (v == 64) {
				CHECKF(r == -1, "byte 0x%02x at %d accepted", c, pos);
			} else {
				uint32_t w = (uint32_t)v << (18 - 6 * pos);

				CHECKF(r == 3 && out[0] == (uint8_t)(w >> 16) && out[1] == (uint8_t)(w >> 8) &&
					       out[2] == (uint8_t)w,
				       "byte '%c' at %d", c, pos);
			}
		}
	}

	/* Round trip of every length up to 48 and every byte value. */
	{
		uint8_t plain[48], back[48];

		for (size_t i = 0; i < sizeof(plain); i++)
			plain[i] = (uint8_t)(i * 167 + 13);
		for (size_t n = 0; n <= sizeof(plain); n++) {
			long el = base64_encode(plain, n, enc, sizeof(enc));

			CHECKF(el == (long)((n + 2) / 3 * 4) && strlen(enc) == (size_t)el, "encode %zu", n);
			CHECKF(decode_copy(enc, (size_t)el, back, sizeof(back)) == (long)n && !memcmp(back, plain, n),
			       "round trip %zu", n);
			CHECKF(base64_decoded_max((size_t)el) >= n, "decoded_max %zu", n);
		}
		for (int c = 0; c < 256; c++) {
			uint8_t b = (uint8_t)c;

			CHECK(base64_encode(&b, 1, enc, sizeof(enc)) == 4 &&
			      decode_copy(enc, 4, back, 1) == 1 && back[0] == b);
		}
		for (size_t v = 0; v < 64; v++) {
			uint8_t b[3] = { 0, 0, (uint8_t)v };

			CHECK(base64_encode(b, 3, enc, sizeof(enc)) == 4 && enc[3] == alphabet[v]);
		}
	}

	/* A rejected decode leaves nothing of the input behind. */
	memset(out, 0xaa, sizeof(out));
	CHECK(decode_copy("Zm9vYmFyZm9=", 12, out, sizeof(out)) == -1);
	CHECK(out[0] == 0 && out[5] == 0 && out[7] == 0);
	/* Too small for the output: refused before anything is written. */
	memset(out, 0xaa, sizeof(out));
	CHECK(decode_copy("Zm9vYmFy", 8, out, 5) == -1 && out[0] == 0xaa);
	CHECK(decode_copy("Zm9vYg==", 8, out, 3) == -1);
	CHECK(decode_copy("Zm9vYg==", 8, out, 4) == 4);
	CHECK(decode_copy("", 0, NULL, 0) == 0);
	TEST_END();
}
