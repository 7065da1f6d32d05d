/* RFC 3394 AES key unwrap: the RFC's own section 4 vectors, then forgeries. */
#include "aes_keywrap.h"
#include "test.h"

static const struct {
	const char *name, *kek, *key, *wrapped;
} vectors[] = {
	{ "4.1 128-bit KEK, 128-bit key", "000102030405060708090A0B0C0D0E0F",
	  "00112233445566778899AABBCCDDEEFF", "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5" },
	{ "4.2 192-bit KEK, 128-bit key", "000102030405060708090A0B0C0D0E0F1011121314151617",
	  "00112233445566778899AABBCCDDEEFF", "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D" },
	{ "4.3 256-bit KEK, 128-bit key", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "00112233445566778899AABBCCDDEEFF", "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7" },
	{ "4.4 192-bit KEK, 192-bit key", "000102030405060708090A0B0C0D0E0F1011121314151617",
	  "00112233445566778899AABBCCDDEEFF0001020304050607",
	  "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2" },
	{ "4.5 256-bit KEK, 192-bit key", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "00112233445566778899AABBCCDDEEFF0001020304050607",
	  "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1" },
	{ "4.6 256-bit KEK, 256-bit key", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
	  "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21" },
};

/* Inputs rejected before any AES: lengths (RFC 3394 2: n >= 2 blocks of 64 bits). */
static const struct {
	const char *name;
	size_t keklen, inlen, cap;
} bad_lengths[] = {
	{ "one block of key data", 16, 16, 64 },
	{ "not a multiple of 8", 16, 25, 64 },
	{ "empty", 16, 0, 64 },
	{ "longer than the limit", 16, AES_KEYWRAP_MAX_IN + 8, 128 },
	{ "output too small", 16, 24, 15 },
	{ "KEK of 20 bytes", 20, 24, 64 },
	{ "KEK of 0 bytes", 0, 24, 64 },
};

static int all_zero(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

int main(void)
{
	unsigned char kek[32], key[32], in[AES_KEYWRAP_MAX_IN + 8], out[128];
	size_t keklen, keylen, inlen, outlen;

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		keklen = unhex(vectors[i].kek, kek, sizeof(kek));
		keylen = unhex(vectors[i].key, key, sizeof(key));
		inlen = unhex(vectors[i].wrapped, in, sizeof(in));
		outlen = 0;
		CHECKF(aes_key_unwrap(kek, keklen, in, inlen, out, sizeof(out), &outlen) == 0 &&
		       outlen == keylen && !memcmp(out, key, keylen), "%s", vectors[i].name);
		/* Exact-size output buffer is enough. */
		CHECKF(aes_key_unwrap(kek, keklen, in, inlen, out, keylen, &outlen) == 0,
		       "%s: exact cap", vectors[i].name);

		/* Any flipped bit of the wrapped key, or of the KEK, breaks the check value. */
		for (size_t j = 0; j < inlen; j++) {
			in[j] ^= 0x01;
			memset(out, 0x55, sizeof(out));
			CHECKF(aes_key_unwrap(kek, keklen, in, inlen, out, sizeof(out), &outlen) < 0 &&
			       all_zero(out, inlen - 8), "%s: byte %zu flipped", vectors[i].name, j);
			in[j] ^= 0x01;
		}
		kek[keklen - 1] ^= 0x80;
		CHECKF(aes_key_unwrap(kek, keklen, in, inlen, out, sizeof(out), &outlen) < 0,
		       "%s: wrong KEK", vectors[i].name);
		kek[keklen - 1] ^= 0x80;
		/* Truncation by one block: n changes, so does every t; must fail. */
		CHECKF(aes_key_unwrap(kek, keklen, in, inlen - 8, out, sizeof(out), &outlen) < 0,
		       "%s: truncated", vectors[i].name);
	}

	memset(kek, 0, sizeof(kek));
	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < sizeof(bad_lengths) / sizeof(bad_lengths[0]); i++)
		CHECKF(aes_key_unwrap(kek, bad_lengths[i].keklen, in, bad_lengths[i].inlen, out,
				      bad_lengths[i].cap, &outlen) < 0, "%s", bad_lengths[i].name);
	TEST_END();
}
