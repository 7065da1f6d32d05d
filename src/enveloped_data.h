/*
 * CMS EnvelopedData (RFC 5652 section 6) addressed to this device: RFC 8572
 * section 3.4 lets conveyed information, the owner certificate and the
 * ownership voucher be encrypted to the device's IDevID certificate.
 */
#ifndef SZTP_ENVELOPED_DATA_H
#define SZTP_ENVELOPED_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "der.h"
#include "device_key.h"
#include "sztp.h"

/*
 * RFC 5652 section 6: decrypt EnvelopedData addressed to this device.
 * env: the EnvelopedData SEQUENCE element (the [0] EXPLICIT content of a
 * ContentInfo whose contentType is id-envelopedData).
 * cert/certlen: the device's certificate (DER); a recipient matches by
 * issuerAndSerialNumber or subjectKeyIdentifier of this cert.
 * out/cap: plaintext buffer; cap must be >= the ciphertext length.
 * On success returns 0, *outlen = plaintext length, *ctype = the
 * encryptedContentInfo contentType OID element (points into env).
 * On failure returns -1 with a one-line reason in e: "not encrypted to this
 * device" (no RecipientInfo for this cert and key type), "decryption
 * failed" (any crypto, padding or unwrap failure: one message, so no
 * oracle), "unsupported ... algorithm OID ..." etc.; out is wiped.
 *
 * Supported: KeyTransRecipientInfo (RSA: rsaEncryption = PKCS#1 v1.5 with
 * the Bleichenbacher countermeasure; id-RSAES-OAEP with SHA-1, -224, -256,
 * -384 or -512, MGF1 with the same hash, any pSpecified label);
 * KeyAgreeRecipientInfo with an ephemeral originatorKey (RFC 5753
 * dhSinglePass-stdDH-shaNNNkdf-scheme and, the NIST curves having
 * cofactor 1, -cofactorDH-; SHA-1/224/256/384/512 KDF) and
 * id-aes128/192/256-wrap, on P-256, P-384, P-521; content encryption
 * AES-128/192/256-CBC (PKCS#7 padding checked in constant time and
 * removed). Other RecipientInfo choices are skipped. Every intermediate
 * secret (CEK, KEK, shared secret) is wiped before return.
 */
int enveloped_data_decrypt(const struct der_tlv *env, const struct device_key *key,
			   const uint8_t *cert, size_t certlen,
			   uint8_t *out, size_t cap, size_t *outlen,
			   struct der_tlv *ctype, struct errbuf *e);

/*
 * RFC 5652 section 3: buf is exactly one ContentInfo whose contentType is
 * id-envelopedData; *env receives its EnvelopedData SEQUENCE. Returns 0,
 * or -1 with a reason in e.
 */
int enveloped_data_from_content_info(const uint8_t *buf, size_t len, struct der_tlv *env,
				     struct errbuf *e);

#endif
