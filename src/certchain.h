/*
 * Certificate path validation (RFC 5280 6) for CMS signers: build a path
 * from a leaf through the certificates that arrived with it to one of the
 * given anchors, then let BearSSL's X.509 engine check signatures, CA
 * constraints and critical extensions. Validity periods are checked here,
 * under the clock policy (clock_policy.h).
 */
#ifndef SZTP_CERTCHAIN_H
#define SZTP_CERTCHAIN_H

#include <bearssl.h>

#include "clock_policy.h"
#include "sztp.h"
#include "x509_cert.h"

#define CERTCHAIN_MAX_DEPTH 8

/* The validated leaf key, copied out of BearSSL's context. */
struct chain_key {
	br_x509_pkey pkey;
	unsigned usages;           /* BR_KEYTYPE_SIGN / BR_KEYTYPE_KEYX */
	unsigned char data[BR_X509_BUFSIZE_KEY];
};

/*
 * Validate leaf against anchors (each usable as a trust anchor; a leaf that
 * is itself one of the anchors is accepted as is, after its validity
 * check). pool: candidate intermediates, in any order. what: names the
 * chain in error messages ("voucher signer", "owner certificate").
 * Returns 0 with the leaf's key in *key, or -1 with the reason in e.
 */
int certchain_validate(const struct x509_cert *leaf, const struct x509_cert *pool, size_t npool,
		       const struct x509_cert *anchors, size_t nanchors,
		       const struct validation_clock *clk, struct chain_key *key, struct errbuf *e);

/* Decode a certificate's public key with BearSSL (no validation). */
int certchain_cert_key(const struct x509_cert *c, struct chain_key *key);

#endif
