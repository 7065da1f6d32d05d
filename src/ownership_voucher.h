/*
 * Ownership voucher (RFC 8366), validated as RFC 8572 5.4 step 1 says.
 */
#ifndef SZTP_OWNERSHIP_VOUCHER_H
#define SZTP_OWNERSHIP_VOUCHER_H

#include "artifact.h"
#include "clock_policy.h"
#include "x509_cert.h"

#define VOUCHER_MAX_ANCHORS 8
#define PINNED_CERT_MAX 8192

/* What this device expects of a voucher. */
struct voucher_policy {
	const char *serial;                 /* this device's serial number */
	const struct x509_cert *idevid;     /* for idevid-issuer; NULL if unknown */
	const struct x509_cert *anchors;    /* voucher trust anchors (R10) */
	size_t nanchors;
	const uint8_t *nonce;               /* nonce this device sent, or NULL */
	size_t nonce_len;
	const struct validation_clock *clk;
};

struct ownership_voucher {
	uint8_t pinned_der[PINNED_CERT_MAX];
	size_t pinned_len;
	struct x509_cert pinned;            /* pinned-domain-cert, parsed */
};

#define VOUCHER_CMS_MAX (64u * 1024)

/* The voucher's JSON content checked against policy (no signature). */
int ownership_voucher_decode(const uint8_t *json, size_t len, const struct voucher_policy *p,
			     struct ownership_voucher *out, struct errbuf *e);
/* Validate an opened voucher artifact; fills out->pinned on success. */
int ownership_voucher_validate(const struct artifact *a, const struct voucher_policy *p,
			       struct ownership_voucher *out, struct errbuf *e);

#endif
