/*
 * The fields of an X.509 certificate (RFC 5280) that the trust engine
 * needs beyond what BearSSL's X.509 engine reports: names as raw DER for
 * path building, validity for our clock policy, key identifiers, key usage.
 * Everything points into the caller's copy of the certificate.
 */
#ifndef SZTP_X509_CERT_H
#define SZTP_X509_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "der.h"

/* keyUsage bits (RFC 5280 4.2.1.3), numbered as in the BIT STRING. */
#define KU_DIGITAL_SIGNATURE 0x0001
#define KU_KEY_ENCIPHERMENT  0x0004
#define KU_KEY_CERT_SIGN     0x0020

struct x509_cert {
	struct der_tlv whole;           /* the Certificate SEQUENCE */
	struct der_tlv serial;          /* INTEGER */
	struct der_tlv issuer, subject; /* Name SEQUENCEs */
	int64_t not_before, not_after;
	const uint8_t *ski;             /* subjectKeyIdentifier value, or NULL */
	size_t ski_len;
	const uint8_t *aki;             /* authorityKeyIdentifier keyIdentifier, or NULL */
	size_t aki_len;
	const uint8_t *aki_ext;         /* the whole AKI extnValue contents, or NULL */
	size_t aki_ext_len;
	const uint8_t *san;             /* subjectAltName extnValue (GeneralNames), or NULL */
	size_t san_len;
	int has_key_usage;
	unsigned key_usage;
	int is_ca;
	char serial_number_attr[65];    /* subject serialNumber (2.5.4.5), "" if none */
};

/* Parse one certificate occupying exactly [der, der+len). -1 if malformed. */
int x509_cert_parse(struct x509_cert *c, const uint8_t *der, size_t len);
/* Parse the certificate element t (e.g. one of a CMS certificates SET). */
int x509_cert_parse_tlv(struct x509_cert *c, const struct der_tlv *t);
/* Certificate a issued certificate b, by name (issuer(b) == subject(a)). */
int x509_names_issue(const struct x509_cert *a, const struct x509_cert *b);
/* Same certificate, byte for byte. */
int x509_cert_same(const struct x509_cert *a, const struct x509_cert *b);

#endif
