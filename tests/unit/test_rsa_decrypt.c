/*
 * RSA key transport: the PKCS#1 v1.5 padding check on hand-built encoded
 * messages (RFC 8017 7.2.2 step 3), then round trips through a throwaway
 * key made here with BearSSL's key generator from a fixed seed.
 */
#include "rsa_decrypt.h"
#include "test.h"

/* Where in EM = 00 02 PS 00 M a test puts a byte. */
enum pos { NONE, AT_0, AT_1, PS_FIRST, PS_LAST, SEP, SEP_NEXT, M_FIRST, M_LAST };

static const struct {
	const char *name;
	size_t k, mlen;
	struct { enum pos at; unsigned char v; } set[2];
	uint32_t ok;
} unpad[] = {
	{ "valid", 128, 16, { { NONE, 0 }, { NONE, 0 } }, 1 },
	{ "valid, AES-256 key", 256, 32, { { NONE, 0 }, { NONE, 0 } }, 1 },
	{ "valid, shortest PS (8 octets)", 27, 16, { { NONE, 0 }, { NONE, 0 } }, 1 },
	{ "valid, zeros inside M", 128, 16, { { M_FIRST, 0 }, { M_LAST, 0 } }, 1 },
	{ "leading octet not 00", 128, 16, { { AT_0, 0x01 }, { NONE, 0 } }, 0 },
	{ "block type 1 (signature)", 128, 16, { { AT_1, 0x01 }, { NONE, 0 } }, 0 },
	{ "block type 0", 128, 16, { { AT_1, 0x00 }, { NONE, 0 } }, 0 },
	{ "block type 0x82 (high bit)", 128, 16, { { AT_1, 0x82 }, { NONE, 0 } }, 0 },
	{ "zero at the start of PS", 128, 16, { { PS_FIRST, 0 }, { NONE, 0 } }, 0 },
	{ "zero at the end of PS: M one octet longer", 128, 16, { { PS_LAST, 0 }, { SEP, 0x11 } }, 0 },
	{ "two zeros: separator early and on time", 128, 16, { { PS_LAST, 0 }, { NONE, 0 } }, 0 },
	{ "separator not zero", 128, 16, { { SEP, 0xff }, { NONE, 0 } }, 0 },
	{ "separator late: M one octet shorter", 128, 16, { { SEP, 0x01 }, { SEP_NEXT, 0 } }, 0 },
	{ "everything zero", 128, 16, { { AT_1, 0 }, { PS_FIRST, 0 } }, 0 },
};

static size_t where(enum pos at, size_t k, size_t mlen)
{
	switch (at) {
	case AT_0: return 0;
	case AT_1: return 1;
	case PS_FIRST: return 2;
	case PS_LAST: return k - mlen - 2;
	case SEP: return k - mlen - 1;
	case SEP_NEXT: return k - mlen;
	case M_FIRST: return k - mlen;
	case M_LAST: return k - 1;
	default: return 0;
	}
}

/* A well-formed EM carrying m; PS octets are 0x01..0xff, never zero. */
static void build_em(unsigned char *em, size_t k, const unsigned char *m, size_t mlen)
{
	em[0] = 0x00;
	em[1] = 0x02;
	for (size_t i = 2; i < k - mlen - 1; i++)
		em[i] = (unsigned char)(1 + (i * 37) % 255);
	em[k - mlen - 1] = 0x00;
	memcpy(em + k - mlen, m, mlen);
}

static br_rsa_private_key sk;
static br_rsa_public_key pk;
static unsigned char kbuf_priv[BR_RSA_KBUF_PRIV_SIZE(1024)], kbuf_pub[BR_RSA_KBUF_PUB_SIZE(1024)];

/* c = em^e mod n: what a sender holding the public key would transmit. */
static void raw_encrypt(const unsigned char *em, unsigned char *c, size_t k)
{
	memcpy(c, em, k);
	if (!br_rsa_public_get_default()(c, k, &pk))
		memset(c, 0, k);
}

int main(void)
{
	unsigned char em[512], c[512], c2[512], m[32], key[32], key2[32], out[256];
	br_hmac_drbg_context rng;
	size_t k, n;

	for (size_t i = 0; i < sizeof(unpad) / sizeof(unpad[0]); i++) {
		k = unpad[i].k;
		for (size_t j = 0; j < unpad[i].mlen; j++)
			m[j] = (unsigned char)(0xa0 + j);
		build_em(em, k, m, unpad[i].mlen);
		for (int s = 0; s < 2; s++)
			if (unpad[i].set[s].at != NONE)
				em[where(unpad[i].set[s].at, k, unpad[i].mlen)] = unpad[i].set[s].v;
		CHECKF(rsa_pkcs1_unpad_check(em, k, unpad[i].mlen) == unpad[i].ok, "unpad: %s", unpad[i].name);
	}

	/* A fixed seed: the same throwaway key every run. */
	br_hmac_drbg_init(&rng, &br_sha256_vtable, "sztpboot test_rsa_decrypt", 25);
	CHECK(br_rsa_keygen_get_default()(&rng.vtable, &sk, kbuf_priv, &pk, kbuf_pub, 1024, 65537) == 1);
	k = (sk.n_bitlen + 7) / 8;
	CHECK(k == 128);

	/* PKCS#1 v1.5: the real key when the padding is right. */
	for (size_t j = 0; j < 16; j++)
		m[j] = (unsigned char)(0x10 + j);
	build_em(em, k, m, 16);
	raw_encrypt(em, c, k);
	memset(key, 0, sizeof(key));
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k, key, 16) == 0 && !memcmp(key, m, 16));

	/* Asking for a different key length: the padding no longer fits, so a
	 * substitute comes back (not the tail of EM), the same one each time. */
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k, key, 24) == 0 && memcmp(key + 8, m, 16) != 0);
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k, key2, 24) == 0 && !memcmp(key, key2, 24));

	/* Bad padding of each kind from the table: substitute, deterministic,
	 * never the message, and different for a different ciphertext. */
	for (size_t i = 0; i < sizeof(unpad) / sizeof(unpad[0]); i++) {
		if (unpad[i].ok || unpad[i].k != 128)
			continue;
		build_em(em, k, m, 16);
		for (int s = 0; s < 2; s++)
			if (unpad[i].set[s].at != NONE)
				em[where(unpad[i].set[s].at, k, 16)] = unpad[i].set[s].v;
		raw_encrypt(em, c2, k);
		CHECKF(rsa_pkcs1_decrypt_key(&sk, c2, k, key, 16) == 0 && memcmp(key, m, 16) != 0,
		       "decrypt: %s", unpad[i].name);
		CHECKF(rsa_pkcs1_decrypt_key(&sk, c2, k, key2, 16) == 0 && !memcmp(key, key2, 16),
		       "decrypt twice: %s", unpad[i].name);
		c2[k - 1] ^= 1; /* another (garbage) ciphertext, another substitute */
		CHECKF(rsa_pkcs1_decrypt_key(&sk, c2, k, key2, 16) == 0 && memcmp(key, key2, 16) != 0,
		       "other ciphertext: %s", unpad[i].name);
	}

	/* Rejections that depend on public values only. */
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k - 1, key, 16) < 0);
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k + 1, key, 16) < 0);
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k, key, 0) < 0);
	CHECK(rsa_pkcs1_decrypt_key(&sk, c, k, key, RSA_DECRYPT_MAX_KEY + 1) < 0);
	memset(c2, 0xff, k); /* not below the modulus */
	CHECK(rsa_pkcs1_decrypt_key(&sk, c2, k, key, 16) < 0);

	/* OAEP: BearSSL's encryptor, our wrapper. */
	static const struct {
		const char *name;
		const br_hash_class *enc_hash, *dec_hash;
		const char *enc_label, *dec_label;
		int corrupt, ok;
	} oaep[] = {
		{ "SHA-1", &br_sha1_vtable, &br_sha1_vtable, "", "", 0, 1 },
		{ "SHA-256", &br_sha256_vtable, &br_sha256_vtable, "", "", 0, 1 },
		{ "SHA-256 with label", &br_sha256_vtable, &br_sha256_vtable, "ab", "ab", 0, 1 },
		{ "SHA-1 sent, SHA-256 expected", &br_sha1_vtable, &br_sha256_vtable, "", "", 0, 0 },
		{ "SHA-256 sent, SHA-1 expected", &br_sha256_vtable, &br_sha1_vtable, "", "", 0, 0 },
		{ "label mismatch", &br_sha1_vtable, &br_sha1_vtable, "ab", "ac", 0, 0 },
		{ "label expected but absent", &br_sha1_vtable, &br_sha1_vtable, "", "x", 0, 0 },
		{ "ciphertext corrupted", &br_sha256_vtable, &br_sha256_vtable, "", "", 1, 0 },
	};
	for (size_t i = 0; i < sizeof(oaep) / sizeof(oaep[0]); i++) {
		size_t clen = br_rsa_oaep_encrypt_get_default()(&rng.vtable, oaep[i].enc_hash,
				oaep[i].enc_label, strlen(oaep[i].enc_label), &pk, c, sizeof(c), m, 16);

		CHECKF(clen == k, "OAEP encrypt: %s", oaep[i].name);
		if (oaep[i].corrupt)
			c[k / 2] ^= 0x04;
		memset(out, 0, sizeof(out));
		n = 0;
		int r = rsa_oaep_decrypt_key(&sk, oaep[i].dec_hash, (const uint8_t *)oaep[i].dec_label,
					     strlen(oaep[i].dec_label), c, clen, out, sizeof(out), &n);
		CHECKF(oaep[i].ok ? (r == 0 && n == 16 && !memcmp(out, m, 16)) : r < 0, "OAEP: %s", oaep[i].name);
	}
	n = br_rsa_oaep_encrypt_get_default()(&rng.vtable, &br_sha1_vtable, NULL, 0, &pk, c, sizeof(c), m, 16);
	CHECK(rsa_oaep_decrypt_key(&sk, &br_sha1_vtable, NULL, 0, c, n, out, 15, &n) < 0);
	CHECK(rsa_oaep_decrypt_key(&sk, &br_sha1_vtable, NULL, 0, c, k - 1, out, sizeof(out), &n) < 0);
	/* Longest message for SHA-1 OAEP with a 1024-bit key: k - 2*20 - 2. */
	memset(out, 0x33, sizeof(out));
	n = br_rsa_oaep_encrypt_get_default()(&rng.vtable, &br_sha1_vtable, NULL, 0, &pk, c, sizeof(c), out, k - 42);
	CHECK(n == k && rsa_oaep_decrypt_key(&sk, &br_sha1_vtable, NULL, 0, c, n, em, sizeof(em), &n) == 0 &&
	      n == k - 42 && em[0] == 0x33 && em[n - 1] == 0x33);
	TEST_END();
}
