/* CMS reading and SignerInfo verification (RFC 5652 5.3-5.6, 11). */
#include <string.h>

#include <bearssl.h>

#include "cms.h"
#include "oid.h"

int cms_content_info(const uint8_t *p, size_t len, struct der_tlv *ctype,
		     struct der_tlv *content, struct errbuf *e)
{
	struct der_tlv ci, wrap;
	struct der in, w;

	if (der_whole(p, len, &ci) < 0 || ci.tag != DER_SEQUENCE)
		return errf(e, "malformed DER (not one complete ContentInfo)");
	in = der_inner(&ci);
	if (der_expect(&in, DER_OID, ctype) < 0 || der_expect(&in, DER_CTXC(0), &wrap) < 0 || in.len)
		return errf(e, "malformed ContentInfo");
	w = der_inner(&wrap);
	if (der_next(&w, content) < 0 || w.len)
		return errf(e, "malformed ContentInfo content");
	return 0;
}

int cms_signed_data_parse(const struct der_tlv *sd, struct cms_signed_data *out, struct errbuf *e)
{
	struct der in, eci, set;
	struct der_tlv version, algs, encap, wrap, t;

	memset(out, 0, sizeof(*out));
	if (sd->tag != DER_SEQUENCE)
		return errf(e, "malformed SignedData");
	in = der_inner(sd);
	if (der_expect(&in, DER_INTEGER, &version) < 0 || der_expect(&in, DER_SET, &algs) < 0 ||
	    der_expect(&in, DER_SEQUENCE, &encap) < 0)
		return errf(e, "malformed SignedData");
	eci = der_inner(&encap);
	if (der_expect(&eci, DER_OID, &out->econtent_type) < 0)
		return errf(e, "malformed encapContentInfo");
	if (der_optional(&eci, DER_CTXC(0), &wrap) == 1) {
		struct der w = der_inner(&wrap);

		/* DER: the eContent OCTET STRING is primitive. */
		if (der_expect(&w, DER_OCTET_STRING, &out->econtent) < 0 || w.len)
			return errf(e, "malformed eContent (not a DER OCTET STRING)");
		out->has_econtent = 1;
	}
	if (eci.len)
		return errf(e, "malformed encapContentInfo");
	if (der_optional(&in, DER_CTXC(0), &t) == 1) {
		set = der_inner(&t);
		while (set.len) {
			struct der_tlv c;

			if (der_next(&set, &c) < 0)
				return errf(e, "malformed certificates");
			if (c.tag != DER_SEQUENCE)
				continue; /* other CertificateChoices: not used */
			if (out->ncerts == CMS_MAX_CERTS)
				return errf(e, "more than %d certificates", CMS_MAX_CERTS);
			if (x509_cert_parse_tlv(&out->certs[out->ncerts], &c) < 0)
				return errf(e, "malformed certificate #%zu", out->ncerts + 1);
			out->ncerts++;
		}
	}
	if (der_optional(&in, DER_CTXC(1), &t) == 1)
		out->has_crls = 1;
	if (der_expect(&in, DER_SET, &t) < 0 || in.len)
		return errf(e, "malformed signerInfos");
	set = der_inner(&t);
	while (set.len) {
		struct der_tlv si;

		if (der_expect(&set, DER_SEQUENCE, &si) < 0)
			return errf(e, "malformed SignerInfo");
		if (out->nsigners++ == 0)
			out->signer = si;
	}
	return 0;
}

struct signer_info {
	int sid_is_ski;
	struct der_tlv sid_issuer, sid_serial, sid_ski;
	struct der_tlv digest_alg, sig_alg, sig;
	int has_attrs;
	struct der_tlv attrs; /* [0] IMPLICIT SET OF Attribute */
};

static int parse_signer_info(const struct der_tlv *si, struct signer_info *s, struct errbuf *e)
{
	struct der in = der_inner(si), a;
	struct der_tlv version, sid, alg, t;

	memset(s, 0, sizeof(*s));
	if (der_expect(&in, DER_INTEGER, &version) < 0 || der_next(&in, &sid) < 0)
		return errf(e, "malformed SignerInfo");
	if (sid.tag == DER_SEQUENCE) {
		a = der_inner(&sid);
		if (der_expect(&a, DER_SEQUENCE, &s->sid_issuer) < 0 ||
		    der_expect(&a, DER_INTEGER, &s->sid_serial) < 0 || a.len)
			return errf(e, "malformed SignerInfo sid");
	} else if (sid.tag == DER_CTX(0)) {
		s->sid_is_ski = 1;
		s->sid_ski = sid;
	} else {
		return errf(e, "malformed SignerInfo sid");
	}
	if (der_expect(&in, DER_SEQUENCE, &alg) < 0)
		return errf(e, "malformed SignerInfo");
	a = der_inner(&alg);
	if (der_expect(&a, DER_OID, &s->digest_alg) < 0)
		return errf(e, "malformed digestAlgorithm");
	if (der_optional(&in, DER_CTXC(0), &s->attrs) == 1)
		s->has_attrs = 1;
	if (der_expect(&in, DER_SEQUENCE, &alg) < 0)
		return errf(e, "malformed SignerInfo");
	a = der_inner(&alg);
	if (der_expect(&a, DER_OID, &s->sig_alg) < 0)
		return errf(e, "malformed signatureAlgorithm");
	if (der_expect(&in, DER_OCTET_STRING, &s->sig) < 0)
		return errf(e, "malformed signature");
	if (der_optional(&in, DER_CTXC(1), &t) < 0 || in.len)
		return errf(e, "malformed SignerInfo");
	return 0;
}

long cms_signer_cert(const struct cms_signed_data *sd, const struct x509_cert *certs, size_t n)
{
	struct signer_info s;
	struct errbuf e = { 0 };

	if (sd->nsigners < 1 || parse_signer_info(&sd->signer, &s, &e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct x509_cert *c = &certs[i];

		if (s.sid_is_ski) {
			if (c->ski && c->ski_len == s.sid_ski.len && !memcmp(c->ski, s.sid_ski.val, c->ski_len))
				return (long)i;
		} else if (der_same(&s.sid_issuer, &c->issuer) && der_same(&s.sid_serial, &c->serial)) {
			return (long)i;
		}
	}
	return -1;
}

struct hash_alg {
	const uint8_t *oid;
	size_t oidlen;
	const br_hash_class *vt;
	const unsigned char *pkcs1_oid; /* BearSSL's DigestInfo OID form */
	size_t len;
};

static const struct hash_alg hashes[] = {
	{ OID_SHA256, sizeof(OID_SHA256), &br_sha256_vtable, BR_HASH_OID_SHA256, 32 },
	{ OID_SHA384, sizeof(OID_SHA384), &br_sha384_vtable, BR_HASH_OID_SHA384, 48 },
	{ OID_SHA512, sizeof(OID_SHA512), &br_sha512_vtable, BR_HASH_OID_SHA512, 64 },
};

static const struct {
	const uint8_t *oid;
	size_t oidlen;
	int key_type;
	size_t hash; /* index into hashes[], or SIZE_MAX: from digestAlgorithm */
} sig_algs[] = {
	{ OID_RSA_ENCRYPTION, sizeof(OID_RSA_ENCRYPTION), BR_KEYTYPE_RSA, (size_t)-1 },
	{ OID_SHA256_RSA, sizeof(OID_SHA256_RSA), BR_KEYTYPE_RSA, 0 },
	{ OID_SHA384_RSA, sizeof(OID_SHA384_RSA), BR_KEYTYPE_RSA, 1 },
	{ OID_SHA512_RSA, sizeof(OID_SHA512_RSA), BR_KEYTYPE_RSA, 2 },
	{ OID_ECDSA_SHA256, sizeof(OID_ECDSA_SHA256), BR_KEYTYPE_EC, 0 },
	{ OID_ECDSA_SHA384, sizeof(OID_ECDSA_SHA384), BR_KEYTYPE_EC, 1 },
	{ OID_ECDSA_SHA512, sizeof(OID_ECDSA_SHA512), BR_KEYTYPE_EC, 2 },
};

static void digest(const struct hash_alg *h, const void *p, size_t len, unsigned char *out)
{
	br_hash_compat_context hc;

	h->vt->init(&hc.vtable);
	h->vt->update(&hc.vtable, p, len);
	h->vt->out(&hc.vtable, out);
}

/* RFC 5652 5.3, 11.1, 11.2: each of content-type and message-digest
 * exactly once, single-valued; content-type equals eContentType. */
static int check_signed_attrs(const struct der_tlv *attrs, const struct cms_signed_data *sd,
			      const unsigned char *md, size_t mdlen, struct errbuf *e)
{
	struct der in = der_inner(attrs);
	int seen_ct = 0, seen_md = 0;

	while (in.len) {
		struct der_tlv attr, type, values, value;
		struct der a, v;

		if (der_expect(&in, DER_SEQUENCE, &attr) < 0)
			return errf(e, "malformed signed attributes");
		a = der_inner(&attr);
		if (der_expect(&a, DER_OID, &type) < 0 || der_expect(&a, DER_SET, &values) < 0 || a.len)
			return errf(e, "malformed signed attribute");
		v = der_inner(&values);
		if (DER_OID_IS(&type, OID_ATTR_CONTENT_TYPE)) {
			if (seen_ct++ || der_next(&v, &value) < 0 || v.len)
				return errf(e, "malformed content-type attribute");
			if (!der_same(&value, &sd->econtent_type))
				return errf(e, "content-type attribute differs from eContentType");
		} else if (DER_OID_IS(&type, OID_ATTR_MESSAGE_DIGEST)) {
			if (seen_md++ || der_expect(&v, DER_OCTET_STRING, &value) < 0 || v.len)
				return errf(e, "malformed message-digest attribute");
			if (value.len != mdlen || memcmp(value.val, md, mdlen))
				return errf(e, "message-digest does not match the content (tampered)");
		}
	}
	if (!seen_ct || !seen_md)
		return errf(e, "signed attributes lack %s", seen_ct ? "message-digest" : "content-type");
	return 0;
}

int cms_signer_verify(const struct cms_signed_data *sd, const struct chain_key *key, struct errbuf *e)
{
	struct signer_info s;
	const struct hash_alg *h = NULL;
	unsigned char md[64], tbs_md[64];
	size_t si;

	if (sd->nsigners != 1)
		return errf(e, "expected exactly one signer, found %zu", sd->nsigners);
	if (!sd->has_econtent)
		return errf(e, "signed content is missing (detached signature)");
	if (parse_signer_info(&sd->signer, &s, e) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (der_oid_is(&s.digest_alg, hashes[i].oid, hashes[i].oidlen))
			h = &hashes[i];
	if (!h)
		return errf(e, "unsupported digest algorithm (SHA-256/384/512 only)");
	for (si = 0; si < sizeof(sig_algs) / sizeof(sig_algs[0]); si++)
		if (der_oid_is(&s.sig_alg, sig_algs[si].oid, sig_algs[si].oidlen))
			break;
	if (si == sizeof(sig_algs) / sizeof(sig_algs[0]))
		return errf(e, "unsupported signature algorithm");
	if (sig_algs[si].hash != (size_t)-1 && &hashes[sig_algs[si].hash] != h)
		return errf(e, "signature algorithm and digest algorithm disagree");
	if (sig_algs[si].key_type != (int)key->pkey.key_type)
		return errf(e, "signature algorithm does not fit the signer's key");

	digest(h, sd->econtent.val, sd->econtent.len, md);
	if (s.has_attrs) {
		/* The signature covers the DER of the attributes as a SET OF
		 * (RFC 5652 5.4): the same bytes with the tag 0x31. */
		br_hash_compat_context hc;
		unsigned char tag = DER_SET;

		if (check_signed_attrs(&s.attrs, sd, md, h->len, e) < 0)
			return -1;
		h->vt->init(&hc.vtable);
		h->vt->update(&hc.vtable, &tag, 1);
		h->vt->update(&hc.vtable, s.attrs.raw + 1, s.attrs.rawlen - 1);
		h->vt->out(&hc.vtable, tbs_md);
	} else {
		/* Without signed attributes the eContentType must be id-data. */
		if (!DER_OID_IS(&sd->econtent_type, OID_DATA))
			return errf(e, "signed attributes missing (required for this content type)");
		memcpy(tbs_md, md, h->len);
	}

	if (key->pkey.key_type == BR_KEYTYPE_RSA) {
		unsigned char got[64];

		if (!br_rsa_pkcs1_vrfy_get_default()(s.sig.val, s.sig.len, h->pkcs1_oid, h->len,
						     &key->pkey.key.rsa, got) ||
		    memcmp(got, tbs_md, h->len))
			return errf(e, "signature verification failed");
	} else {
		if (!br_ecdsa_vrfy_asn1_get_default()(br_ec_get_default(), tbs_md, h->len,
						      &key->pkey.key.ec, s.sig.val, s.sig.len))
			return errf(e, "signature verification failed");
	}
	return 0;
}
