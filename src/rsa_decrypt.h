/*
 * RSA decryption of a content-encryption key (RFC 5652 6.2.1 key transport):
 * RSAES-PKCS1-v1_5 and RSAES-OAEP (RFC 8017 section 7), on BearSSL's
 * private-key engine.
 */
#ifndef SZTP_RSA_DECRYPT_H
#define SZTP_RSA_DECRYPT_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

/* Largest modulus, in bytes (BearSSL's own limit: 4096 bits). */
#define RSA_DECRYPT_MAX_BYTES 512
/* Largest key we recover with PKCS#1 v1.5: an AES-256 key. */
#define RSA_DECRYPT_MAX_KEY 32

/*
 * RSAES-PKCS1-v1_5 decryption of a key whose length the caller knows
 * (keylen, from the content-encryption algorithm). Bleichenbacher
 * countermeasure (RFC 5652 section 14, RFC 3218 2.3.2): the caller never
 * learns whether the padding was right. When it is wrong, or the message
 * length is not keylen, key receives a substitute derived from the
 * private key and the ciphertext (deterministic, so retries see the same
 * key); either way the later content decryption is what fails.
 * Returns 0 with key filled, or -1 only on conditions that depend on
 * public values (clen is not the modulus length, keylen out of range,
 * ciphertext not below the modulus).
 */
int rsa_pkcs1_decrypt_key(const br_rsa_private_key *sk, const uint8_t *c, size_t clen,
			  uint8_t *key, size_t keylen);

/*
 * Constant-time check that em (k bytes) is 00 02 PS 00 M with PS at least
 * 8 nonzero octets and M exactly mlen bytes (RFC 8017 7.2.2 step 3).
 * Returns 1 if so, 0 if not, with no branch or memory access that depends
 * on em. k must be >= mlen + 11.
 */
uint32_t rsa_pkcs1_unpad_check(const uint8_t *em, size_t k, size_t mlen);

/*
 * RSAES-OAEP decryption (RFC 8017 7.1.2) with hash used both for the
 * label and for MGF1 (BearSSL's br_rsa_oaep_decrypt). Returns 0 and sets
 * *outlen, or -1 on any failure; the padding check is constant-time up to
 * the final verdict.
 */
int rsa_oaep_decrypt_key(const br_rsa_private_key *sk, const br_hash_class *hash,
			 const uint8_t *label, size_t labellen,
			 const uint8_t *c, size_t clen, uint8_t *out, size_t cap, size_t *outlen);

#endif
