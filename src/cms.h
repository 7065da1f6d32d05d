/*
 * CMS (RFC 5652) as RFC 8572 section 3 uses it: ContentInfo, SignedData
 * (signed, and certs-only "degenerate"), and signature verification of one
 * SignerInfo against a known certificate. All results point into the
 * caller's buffer.
 */
#ifndef SZTP_CMS_H
#define SZTP_CMS_H

#include "certchain.h"
#include "der.h"
#include "sztp.h"
#include "x509_cert.h"

#define CMS_MAX_CERTS 16

struct cms_signed_data {
	struct der_tlv econtent_type;   /* OID element */
	int has_econtent;
	struct der_tlv econtent;        /* OCTET STRING element; val/len = the content */
	struct x509_cert certs[CMS_MAX_CERTS];
	size_t ncerts;
	int has_crls;
	size_t nsigners;
	struct der_tlv signer;          /* the first SignerInfo */
};

/* ContentInfo occupying exactly [p, p+len): contentType OID and the [0]
 * EXPLICIT content element. */
int cms_content_info(const uint8_t *p, size_t len, struct der_tlv *ctype,
		     struct der_tlv *content, struct errbuf *e);
/* Parse a SignedData SEQUENCE. */
int cms_signed_data_parse(const struct der_tlv *sd, struct cms_signed_data *out, struct errbuf *e);
/* Index of the certificate the (single) SignerInfo names, or -1. */
long cms_signer_cert(const struct cms_signed_data *sd, const struct x509_cert *certs, size_t n);
/* Verify the SignerInfo's signature over the eContent with key: digest
 * and signature algorithms, signed attributes (content-type equal to
 * eContentType, message-digest equal to the content's digest). */
int cms_signer_verify(const struct cms_signed_data *sd, const struct chain_key *key, struct errbuf *e);

#endif
