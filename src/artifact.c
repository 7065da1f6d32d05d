/* See artifact.h. */
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "cms.h"
#include "enveloped_data.h"
#include "oid.h"

enum content_type content_type_of(const struct der_tlv *oid)
{
	if (DER_OID_IS(oid, OID_DATA))
		return CT_DATA;
	if (DER_OID_IS(oid, OID_CT_CONVEYED_JSON))
		return CT_CONVEYED_JSON;
	if (DER_OID_IS(oid, OID_CT_CONVEYED_XML))
		return CT_CONVEYED_XML;
	if (DER_OID_IS(oid, OID_CT_VOUCHER_JSON))
		return CT_VOUCHER_JSON;
	return CT_OTHER;
}

int content_encoding(enum content_type t, const uint8_t *p, size_t len)
{
	size_t i = 0;

	switch (t) {
	case CT_CONVEYED_JSON:
	case CT_VOUCHER_JSON:
		return 'J';
	case CT_CONVEYED_XML:
		return 'X';
	case CT_DATA:
		while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
			i++;
		if (i < len && p[i] == '{')
			return 'J';
		if (i < len && p[i] == '<')
			return 'X';
		return 0;
	default:
		return 0;
	}
}

/* A ContentInfo we understand: signed data, or unsigned content. */
static int classify(struct artifact *a, const uint8_t *p, size_t len, struct errbuf *e)
{
	struct der_tlv ctype, content;

	if (cms_content_info(p, len, &ctype, &content, e) < 0)
		return -1;
	if (DER_OID_IS(&ctype, OID_SIGNED_DATA)) {
		if (content.tag != DER_SEQUENCE)
			return errf(e, "malformed SignedData");
		a->form = ARTIFACT_SIGNED;
		a->signed_data = content;
		return 0;
	}
	a->type = content_type_of(&ctype);
	if (a->type == CT_OTHER)
		return errf(e, "unexpected content type");
	if (content.tag != DER_OCTET_STRING)
		return errf(e, "malformed content (not a DER OCTET STRING)");
	a->form = ARTIFACT_DATA;
	a->data = content.val;
	a->data_len = content.len;
	return 0;
}

/*
 * What the plaintext of an EnvelopedData really is. RFC 8572 3.1 labels
 * it id-signedData (a SignedData), or the conveyed-information type or
 * id-data (the content itself); OpenSSL encrypts whole ContentInfos and
 * always says id-data. The label is never trusted over the bytes.
 */
static int classify_plaintext(struct artifact *a, const struct der_tlv *ectype, struct errbuf *e)
{
	const uint8_t *p = a->plain;
	size_t n = a->plain_len;
	struct der_tlv t, first;
	struct der in;

	if (n && p[0] == DER_SEQUENCE && der_whole(p, n, &t) == 0) {
		in = der_inner(&t);
		if (der_next(&in, &first) == 0 && first.tag == DER_OID)
			return classify(a, p, n, e); /* a ContentInfo */
		if (first.tag == DER_INTEGER) {
			a->form = ARTIFACT_SIGNED;    /* a bare SignedData */
			a->signed_data = t;
			return 0;
		}
		return errf(e, "decrypted content is not CMS");
	}
	a->form = ARTIFACT_DATA;
	a->type = content_type_of(ectype);
	if (a->type == CT_OTHER)
		a->type = CT_DATA; /* id-signedData label on unsigned bytes: sniff */
	a->data = p;
	a->data_len = n;
	return 0;
}

int artifact_open(struct artifact *a, const struct device_identity *dev, struct errbuf *e)
{
	struct der_tlv ctype, content, ectype;

	a->plain = NULL;
	a->encrypted = 0;
	if (cms_content_info(a->der, a->len, &ctype, &content, e) < 0)
		return -1;
	if (!DER_OID_IS(&ctype, OID_ENVELOPED_DATA))
		return classify(a, a->der, a->len, e);

	a->encrypted = 1;
	if (!dev->has_cert || dev->key.type == 0)
		return errf(e, "encrypted, but no device identity (--idevid-cert, --idevid-key) to decrypt it");
	a->plain = malloc(a->len);
	if (!a->plain)
		return errf(e, "out of memory");
	if (enveloped_data_decrypt(&content, &dev->key, dev->cert_der, dev->cert_len, a->plain,
				   a->len, &a->plain_len, &ectype, e) < 0)
		return -1;
	return classify_plaintext(a, &ectype, e);
}

void artifact_close(struct artifact *a)
{
	if (a->plain) {
		/* Decrypted content is sensitive (RFC 8572 9.15). */
		sztp_wipe(a->plain, a->len);
		free(a->plain);
		a->plain = NULL;
	}
}
