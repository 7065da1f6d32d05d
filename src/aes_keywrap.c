/* RFC 3394 2.2.2 key unwrap, index-based form, on BearSSL's constant-time AES. */
#include <string.h>

#include <bearssl.h>

#include "aes_keywrap.h"
#include "sztp.h"

int aes_key_unwrap(const uint8_t *kek, size_t keklen, const uint8_t *in, size_t inlen,
		   uint8_t *out, size_t cap, size_t *outlen)
{
	br_aes_ct_cbcdec_keys aes;
	uint8_t a[8], b[16], iv[16];
	size_t n;
	unsigned diff = 0;

	if (keklen != 16 && keklen != 24 && keklen != 32)
		return -1;
	/* RFC 3394 2: n >= 2 64-bit blocks of key data. */
	if (inlen % 8 != 0 || inlen < 24 || inlen > AES_KEYWRAP_MAX_IN || inlen - 8 > cap)
		return -1;
	n = inlen / 8 - 1;

	br_aes_ct_cbcdec_init(&aes, kek, keklen);
	memcpy(a, in, 8);
	memcpy(out, in + 8, inlen - 8);
	for (int j = 5; j >= 0; j--) {
		for (size_t i = n; i >= 1; i--) {
			uint64_t t = (uint64_t)n * (uint64_t)j + i;

			/* B = AES-1(K, (A ^ t) | R[i]) */
			memcpy(b, a, 8);
			for (int k = 0; k < 8; k++)
				b[7 - k] ^= (uint8_t)(t >> (8 * k));
			memcpy(b + 8, out + 8 * (i - 1), 8);
			/* One block of CBC with a zero IV is the raw block decryption. */
			memset(iv, 0, sizeof(iv));
			br_aes_ct_cbcdec_run(&aes, iv, b, 16);
			memcpy(a, b, 8);
			memcpy(out + 8 * (i - 1), b + 8, 8);
		}
	}
	/* RFC 3394 2.2.3.1: the default initial value A6A6A6A6A6A6A6A6. */
	for (int k = 0; k < 8; k++)
		diff |= a[k] ^ 0xa6u;
	sztp_wipe(&aes, sizeof(aes));
	sztp_wipe(b, sizeof(b));
	sztp_wipe(iv, sizeof(iv));
	sztp_wipe(a, sizeof(a));
	if (diff != 0) {
		sztp_wipe(out, inlen - 8);
		return -1;
	}
	*outlen = inlen - 8;
	return 0;
}
