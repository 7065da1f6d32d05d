/* RSA key transport: private-key operation, then constant-time unpadding. */
#include <string.h>

#include "rsa_decrypt.h"
#include "sztp.h"

/* 1 if x == 0, else 0; x < 2^31. No branches. */
static uint32_t ct_is_zero(uint32_t x)
{
	return ((x | (0u - x)) >> 31) ^ 1u;
}

uint32_t rsa_pkcs1_unpad_check(const uint8_t *em, size_t k, size_t mlen)
{
	size_t sep = k - mlen - 1; /* where the 00 separator must be */
	uint32_t ok;

	/* RFC 8017 7.2.2 step 3: EM = 0x00 || 0x02 || PS || 0x00 || M. */
	ok = ct_is_zero(em[0]) & ct_is_zero((uint32_t)em[1] ^ 0x02u);
	/* Every PS octet nonzero; with a known mlen, PS has a fixed extent. */
	for (size_t i = 2; i < sep; i++)
		ok &= ct_is_zero(em[i]) ^ 1u;
	ok &= ct_is_zero(em[sep]);
	return ok;
}

/*
 * The substitute key: HMAC-SHA256(SHA-256(private key), ciphertext),
 * so that a forged ciphertext always meets the same wrong key (an
 * attacker learns nothing by retrying) and no RNG is needed at early boot.
 */
static void substitute_key(const br_rsa_private_key *sk, const uint8_t *c, size_t clen,
			   uint8_t out[32])
{
	br_sha256_context h;
	br_hmac_key_context kc;
	br_hmac_context hc;
	uint8_t kdk[32];

	br_sha256_init(&h);
	br_sha256_update(&h, sk->p, sk->plen);
	br_sha256_update(&h, sk->q, sk->qlen);
	br_sha256_update(&h, sk->dp, sk->dplen);
	br_sha256_update(&h, sk->dq, sk->dqlen);
	br_sha256_update(&h, sk->iq, sk->iqlen);
	br_sha256_out(&h, kdk);
	br_hmac_key_init(&kc, &br_sha256_vtable, kdk, sizeof(kdk));
	br_hmac_init(&hc, &kc, 0);
	br_hmac_update(&hc, c, clen);
	br_hmac_out(&hc, out);
	sztp_wipe(&h, sizeof(h));
	sztp_wipe(&kc, sizeof(kc));
	sztp_wipe(&hc, sizeof(hc));
	sztp_wipe(kdk, sizeof(kdk));
}

int rsa_pkcs1_decrypt_key(const br_rsa_private_key *sk, const uint8_t *c, size_t clen,
			  uint8_t *key, size_t keylen)
{
	uint8_t em[RSA_DECRYPT_MAX_BYTES], sub[32];
	size_t k = (sk->n_bitlen + 7) / 8;
	uint32_t ok, mask;
	int ret = -1;

	if (k > sizeof(em) || clen != k || keylen == 0 || keylen > RSA_DECRYPT_MAX_KEY ||
	    k < keylen + 11)
		return -1;
	memcpy(em, c, k);
	/* Fails only when c >= n or the key is unusable: public facts. */
	if (!br_rsa_private_get_default()(em, sk))
		goto out;
	ok = rsa_pkcs1_unpad_check(em, k, keylen);
	substitute_key(sk, c, clen, sub);
	mask = 0u - ok; /* all ones if the padding was right */
	for (size_t i = 0; i < keylen; i++)
		key[i] = (uint8_t)((em[k - keylen + i] & mask) | (sub[i] & ~mask));
	ret = 0;
out:
	sztp_wipe(em, sizeof(em));
	sztp_wipe(sub, sizeof(sub));
	return ret;
}

int rsa_oaep_decrypt_key(const br_rsa_private_key *sk, const br_hash_class *hash,
			 const uint8_t *label, size_t labellen,
			 const uint8_t *c, size_t clen, uint8_t *out, size_t cap, size_t *outlen)
{
	uint8_t em[RSA_DECRYPT_MAX_BYTES];
	size_t k = (sk->n_bitlen + 7) / 8, len = clen;
	int ret = -1;

	if (k > sizeof(em) || clen != k)
		return -1;
	memcpy(em, c, k);
	if (!br_rsa_oaep_decrypt_get_default()(hash, label, labellen, sk, em, &len))
		goto out;
	if (len > cap)
		goto out;
	memcpy(out, em, len);
	*outlen = len;
	ret = 0;
out:
	sztp_wipe(em, sizeof(em));
	return ret;
}
