/*
 * ANSI X9.63 key derivation (SEC 1 v2 section 3.6.1), as used by the
 * ECDH key agreement schemes of CMS (RFC 5753 section 7.2).
 */
#ifndef SZTP_X963_KDF_H
#define SZTP_X963_KDF_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

/* Longest key we derive; CMS key-encryption keys are at most 32 bytes. */
#define X963_KDF_MAX_OUT 128

/*
 * out = Hash(Z || 00000001 || info) || Hash(Z || 00000002 || info) ...,
 * truncated to outlen bytes. Returns 0, or -1 if outlen is 0 or larger
 * than X963_KDF_MAX_OUT.
 */
int x963_kdf(const br_hash_class *hash, const uint8_t *z, size_t zlen,
	     const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen);

/*
 * DER of RFC 5753 section 7.2 ECC-CMS-SharedInfo:
 *   SEQUENCE { keyInfo AlgorithmIdentifier,
 *              entityUInfo [0] EXPLICIT OCTET STRING OPTIONAL,
 *              suppPubInfo [2] EXPLICIT OCTET STRING }
 * key_info is the key-wrap AlgorithmIdentifier exactly as it appears in
 * the KeyAgreeRecipientInfo (its DER is copied, not re-encoded); ukm is
 * the UserKeyingMaterial, or NULL when absent (an empty ukm is encoded as
 * present); keybits is the key-wrap key length in bits. Returns 0 and sets
 * *outlen, or -1 if the encoding does not fit in cap.
 */
int ecc_cms_shared_info(const uint8_t *key_info, size_t key_info_len,
			const uint8_t *ukm, size_t ukmlen, uint32_t keybits,
			uint8_t *out, size_t cap, size_t *outlen);

#endif
