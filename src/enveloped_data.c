/*
 * CMS EnvelopedData decryption (RFC 5652 section 6) for the device's
 * IDevID key: RSA key transport (RFC 5652 6.2.1, RFC 8017) and ephemeral-
 * static ECDH key agreement (RFC 5652 6.2.2, RFC 5753), AES key wrap
 * (RFC 3565, RFC 3394) and AES-CBC content encryption (RFC 3565).
 *
 * Order of work (cheap, decisive checks first): the whole structure and
 * the content-encryption algorithm are checked before any private-key
 * operation, and only a RecipientInfo that names the device certificate
 * and fits the device key type ever reaches the key.
 */
#include <stdio.h>
#include <string.h>

#include "aes_keywrap.h"
#include "enveloped_data.h"
#include "rsa_decrypt.h"
#include "x963_kdf.h"
#include "x509_cert.h"

/* Object identifiers, content octets only. */
static const uint8_t OID_ENVELOPED_DATA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03 };
static const uint8_t OID_RSA_ENCRYPTION[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const uint8_t OID_RSAES_OAEP[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x07 };
static const uint8_t OID_MGF1[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08 };
static const uint8_t OID_PSPECIFIED[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x09 };
static const uint8_t OID_EC_PUBLIC_KEY[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };

static const uint8_t OID_SHA1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };
static const uint8_t OID_SHA224[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04 };
static const uint8_t OID_SHA256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const uint8_t OID_SHA384[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 };
static const uint8_t OID_SHA512[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 };

static const uint8_t OID_AES128_CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02 };
static const uint8_t OID_AES192_CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16 };
static const uint8_t OID_AES256_CBC[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a };
static const uint8_t OID_AES128_WRAP[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x05 };
static const uint8_t OID_AES192_WRAP[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x19 };
static const uint8_t OID_AES256_WRAP[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2d };

/* RFC 5753 7.1.4 / SEC 1: dhSinglePass-{std,cofactor}DH-shaNNNkdf-scheme. */
static const uint8_t OID_STDDH_SHA1KDF[] = { 0x2b, 0x81, 0x05, 0x10, 0x86, 0x48, 0x3f, 0x00, 0x02 };
static const uint8_t OID_COFDH_SHA1KDF[] = { 0x2b, 0x81, 0x05, 0x10, 0x86, 0x48, 0x3f, 0x00, 0x03 };
static const uint8_t OID_STDDH_SHA224KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0b, 0x00 };
static const uint8_t OID_STDDH_SHA256KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0b, 0x01 };
static const uint8_t OID_STDDH_SHA384KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0b, 0x02 };
static const uint8_t OID_STDDH_SHA512KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0b, 0x03 };
static const uint8_t OID_COFDH_SHA224KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0e, 0x00 };
static const uint8_t OID_COFDH_SHA256KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0e, 0x01 };
static const uint8_t OID_COFDH_SHA384KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0e, 0x02 };
static const uint8_t OID_COFDH_SHA512KDF[] = { 0x2b, 0x81, 0x04, 0x01, 0x0e, 0x03 };

static const uint8_t OID_P256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t OID_P384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t OID_P521[] = { 0x2b, 0x81, 0x04, 0x00, 0x23 };

struct oid_entry {
	const uint8_t *oid;
	size_t len;
	const br_hash_class *hash; /* hash tables */
	size_t keylen;             /* AES tables: key bytes; curve table: field bytes */
	int curve;                 /* curve table */
};
#define OID_ENTRY(o, h, k, c) { o, sizeof(o), h, k, c }

/* RFC 4055 section 2.1 hash functions for OAEP. */
static const struct oid_entry oaep_hashes[] = {
	OID_ENTRY(OID_SHA1, &br_sha1_vtable, 0, 0),
	OID_ENTRY(OID_SHA224, &br_sha224_vtable, 0, 0),
	OID_ENTRY(OID_SHA256, &br_sha256_vtable, 0, 0),
	OID_ENTRY(OID_SHA384, &br_sha384_vtable, 0, 0),
	OID_ENTRY(OID_SHA512, &br_sha512_vtable, 0, 0),
};

/* The cofactor of P-256/384/521 is 1, so cofactor ECDH is standard ECDH. */
static const struct oid_entry kdf_schemes[] = {
	OID_ENTRY(OID_STDDH_SHA1KDF, &br_sha1_vtable, 0, 0),
	OID_ENTRY(OID_STDDH_SHA224KDF, &br_sha224_vtable, 0, 0),
	OID_ENTRY(OID_STDDH_SHA256KDF, &br_sha256_vtable, 0, 0),
	OID_ENTRY(OID_STDDH_SHA384KDF, &br_sha384_vtable, 0, 0),
	OID_ENTRY(OID_STDDH_SHA512KDF, &br_sha512_vtable, 0, 0),
	OID_ENTRY(OID_COFDH_SHA1KDF, &br_sha1_vtable, 0, 0),
	OID_ENTRY(OID_COFDH_SHA224KDF, &br_sha224_vtable, 0, 0),
	OID_ENTRY(OID_COFDH_SHA256KDF, &br_sha256_vtable, 0, 0),
	OID_ENTRY(OID_COFDH_SHA384KDF, &br_sha384_vtable, 0, 0),
	OID_ENTRY(OID_COFDH_SHA512KDF, &br_sha512_vtable, 0, 0),
};

/* RFC 3565 section 4.1 (content) and 2.3.2 (key wrap). */
static const struct oid_entry content_algs[] = {
	OID_ENTRY(OID_AES128_CBC, NULL, 16, 0),
	OID_ENTRY(OID_AES192_CBC, NULL, 24, 0),
	OID_ENTRY(OID_AES256_CBC, NULL, 32, 0),
};
static const struct oid_entry wrap_algs[] = {
	OID_ENTRY(OID_AES128_WRAP, NULL, 16, 0),
	OID_ENTRY(OID_AES192_WRAP, NULL, 24, 0),
	OID_ENTRY(OID_AES256_WRAP, NULL, 32, 0),
};

/* RFC 5480 section 2.1.1.1 named curves. */
static const struct oid_entry curves[] = {
	OID_ENTRY(OID_P256, NULL, 32, BR_EC_secp256r1),
	OID_ENTRY(OID_P384, NULL, 48, BR_EC_secp384r1),
	OID_ENTRY(OID_P521, NULL, 66, BR_EC_secp521r1),
};

#define LOOKUP(table, t) lookup((table), sizeof(table) / sizeof((table)[0]), (t))
static const struct oid_entry *lookup(const struct oid_entry *tab, size_t n, const struct der_tlv *oid)
{
	for (size_t i = 0; i < n; i++)
		if (der_oid_is(oid, tab[i].oid, tab[i].len))
			return &tab[i];
	return NULL;
}

/* Dotted form of an OID for error messages; "(malformed OID)" if it is not one. */
static const char *oid_text(const struct der_tlv *t, char *buf, size_t cap)
{
	uint64_t v = 0;
	size_t o = 0;
	int first = 1, n;

	buf[0] = 0;
	if (t->tag != DER_OID || t->len == 0 || (t->val[t->len - 1] & 0x80))
		return "(malformed OID)";
	for (size_t i = 0; i < t->len; i++) {
		if (v >> 56)
			return "(malformed OID)";
		v = (v << 7) | (t->val[i] & 0x7f);
		if (t->val[i] & 0x80)
			continue;
		if (first) {
			unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;

			n = snprintf(buf + o, cap - o, "%u.%llu", a, (unsigned long long)(v - 40 * a));
			first = 0;
		} else {
			n = snprintf(buf + o, cap - o, ".%llu", (unsigned long long)v);
		}
		if (n < 0 || (size_t)n >= cap - o)
			break; /* truncated: still a useful message */
		o += (size_t)n;
		v = 0;
	}
	return buf;
}

/*
 * AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
 * params->tag is 0 when parameters are absent.
 */
static int alg_id(const struct der_tlv *seq, struct der_tlv *oid, struct der_tlv *params)
{
	struct der d = der_inner(seq);

	memset(params, 0, sizeof(*params));
	if (seq->tag != DER_SEQUENCE || der_expect(&d, DER_OID, oid) < 0)
		return -1;
	if (d.len && der_next(&d, params) < 0)
		return -1;
	return d.len ? -1 : 0;
}

/* Parameters absent or NULL, as hash and AES-wrap identifiers carry them. */
static int params_empty(const struct der_tlv *params)
{
	return params->tag == 0 || (params->tag == DER_NULL && params->len == 0);
}

/* What identifies the device certificate as a recipient (RFC 5652 6.2). */
/*
 * RecipientIdentifier (RFC 5652 6.2.1) / KeyAgreeRecipientIdentifier
 * (6.2.2): 1 if it names the device certificate, 0 if not, -1 if
 * malformed. skitag is the tag the subjectKeyIdentifier choice has here.
 */
static int rid_match(const struct der_tlv *rid, unsigned skitag, const struct x509_cert *id)
{
	struct der d = der_inner(rid);
	struct der_tlv a, b;

	if (rid->tag == DER_SEQUENCE) {
		/* IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber } */
		if (der_expect(&d, DER_SEQUENCE, &a) < 0 || der_expect(&d, DER_INTEGER, &b) < 0 || d.len)
			return -1;
		return der_same(&a, &id->issuer) && der_same(&b, &id->serial);
	}
	if (rid->tag != skitag)
		return -1;
	if (skitag == DER_CTXC(0)) {
		/* rKeyId: RecipientKeyIdentifier ::= SEQUENCE { subjectKeyIdentifier,
		 * date GeneralizedTime OPTIONAL, other OtherKeyAttribute OPTIONAL } */
		if (der_expect(&d, DER_OCTET_STRING, &a) < 0 || der_optional(&d, DER_GENTIME, &b) < 0 ||
		    der_optional(&d, DER_SEQUENCE, &b) < 0 || d.len)
			return -1;
	} else {
		a = *rid;
	}
	return id->ski && a.len == id->ski_len && !memcmp(a.val, id->ski, a.len);
}

/* One decryption in progress. */
struct recipient {
	const struct device_key *key;
	struct x509_cert id;
	size_t cek_len;         /* from the content-encryption algorithm */
	uint8_t cek[32];
	struct errbuf unusable; /* why a RecipientInfo for us could not be used */
	char oid[64];
};

/* Result of trying one RecipientInfo. */
enum { RI_SKIP = 0, RI_CEK = 1, RI_FAIL = -1 };

#define MALFORMED(e, what) errf((e), "malformed EnvelopedData: %s", (what))

/*
 * RSAES-OAEP-params (RFC 4055 section 4.1); defaults SHA-1, MGF1-SHA-1,
 * empty label. 0 if usable, 1 if well-formed but unsupported (reason in
 * r->unusable), -1 if malformed (reason in e).
 */
static int oaep_params(struct recipient *r, const struct der_tlv *params,
		       const br_hash_class **hash, const uint8_t **label, size_t *labellen,
		       struct errbuf *e)
{
	const struct oid_entry *h = &oaep_hashes[0], *mh = &oaep_hashes[0];
	struct der_tlv t, oid, p, moid, mp;
	struct der d, x;

	*label = NULL;
	*labellen = 0;
	if (params->tag != 0) {
		if (params->tag != DER_SEQUENCE)
			return MALFORMED(e, "RSAES-OAEP-params");
		d = der_inner(params);
		if (der_optional(&d, DER_CTXC(0), &t) == 1) {
			x = der_inner(&t);
			if (der_next(&x, &t) < 0 || x.len || alg_id(&t, &oid, &p) < 0 || !params_empty(&p))
				return MALFORMED(e, "OAEP hashAlgorithm");
			if (!(h = LOOKUP(oaep_hashes, &oid))) {
				errf(&r->unusable, "unsupported OAEP hash algorithm OID %s",
				     oid_text(&oid, r->oid, sizeof(r->oid)));
				return 1;
			}
		}
		if (der_optional(&d, DER_CTXC(1), &t) == 1) {
			x = der_inner(&t);
			if (der_next(&x, &t) < 0 || x.len || alg_id(&t, &oid, &p) < 0)
				return MALFORMED(e, "OAEP maskGenAlgorithm");
			if (!DER_OID_IS(&oid, OID_MGF1)) {
				errf(&r->unusable, "unsupported OAEP mask generation function OID %s",
				     oid_text(&oid, r->oid, sizeof(r->oid)));
				return 1;
			}
			if (alg_id(&p, &moid, &mp) < 0 || !params_empty(&mp))
				return MALFORMED(e, "OAEP MGF1 parameters");
			if (!(mh = LOOKUP(oaep_hashes, &moid))) {
				errf(&r->unusable, "unsupported OAEP MGF1 hash algorithm OID %s",
				     oid_text(&moid, r->oid, sizeof(r->oid)));
				return 1;
			}
		}
		if (der_optional(&d, DER_CTXC(2), &t) == 1) {
			x = der_inner(&t);
			if (der_next(&x, &t) < 0 || x.len || alg_id(&t, &oid, &p) < 0 ||
			    !DER_OID_IS(&oid, OID_PSPECIFIED) || p.tag != DER_OCTET_STRING)
				return MALFORMED(e, "OAEP pSourceAlgorithm");
			*label = p.val;
			*labellen = p.len;
		}
		if (d.len)
			return MALFORMED(e, "RSAES-OAEP-params");
	}
	/* BearSSL's OAEP uses one hash for the label and for MGF1. */
	if (h != mh) {
		errf(&r->unusable, "unsupported OAEP parameters: MGF1 hash differs from the OAEP hash");
		return 1;
	}
	*hash = h->hash;
	return 0;
}

/* RFC 5652 6.2.1 KeyTransRecipientInfo, for an RSA device key. */
static int try_ktri(struct recipient *r, const struct der_tlv *ri, struct errbuf *e)
{
	struct der d = der_inner(ri);
	struct der_tlv ver, rid, alg, oid, params, ek;
	uint64_t v;
	int m;

	if (der_expect(&d, DER_INTEGER, &ver) < 0 || der_uint(&ver, &v) < 0 ||
	    der_next(&d, &rid) < 0 || der_expect(&d, DER_SEQUENCE, &alg) < 0 ||
	    der_expect(&d, DER_OCTET_STRING, &ek) < 0 || d.len || alg_id(&alg, &oid, &params) < 0)
		return MALFORMED(e, "KeyTransRecipientInfo");
	/* Version 0 with issuerAndSerialNumber, 2 with subjectKeyIdentifier. */
	if (v != 0 && v != 2)
		return errf(e, "unsupported KeyTransRecipientInfo version %llu", (unsigned long long)v);
	if ((m = rid_match(&rid, DER_CTX(0), &r->id)) < 0)
		return MALFORMED(e, "KeyTransRecipientInfo rid");
	if (!m || r->key->type != BR_KEYTYPE_RSA)
		return RI_SKIP;

	if (DER_OID_IS(&oid, OID_RSA_ENCRYPTION)) {
		if (!params_empty(&params))
			return MALFORMED(e, "rsaEncryption parameters");
		/* Bad padding yields a substitute CEK: the content check fails. */
		if (rsa_pkcs1_decrypt_key(&r->key->rsa, ek.val, ek.len, r->cek, r->cek_len) < 0)
			return errf(e, "decryption failed");
		return RI_CEK;
	}
	if (DER_OID_IS(&oid, OID_RSAES_OAEP)) {
		const br_hash_class *hash = NULL;
		const uint8_t *label = NULL;
		size_t labellen = 0, n = 0;
		int u = oaep_params(r, &params, &hash, &label, &labellen, e);

		if (u != 0)
			return u < 0 ? RI_FAIL : RI_SKIP;
		if (rsa_oaep_decrypt_key(&r->key->rsa, hash, label, labellen, ek.val, ek.len,
					 r->cek, sizeof(r->cek), &n) < 0 || n != r->cek_len) {
			sztp_wipe(r->cek, sizeof(r->cek));
			return errf(e, "decryption failed");
		}
		return RI_CEK;
	}
	errf(&r->unusable, "unsupported key transport algorithm OID %s",
	     oid_text(&oid, r->oid, sizeof(r->oid)));
	return RI_SKIP;
}

/*
 * Ephemeral-static ECDH (RFC 5753 section 3.1.2 receiver side): shared
 * secret Z = x(d * Q), KEK = X9.63-KDF(Z, ECC-CMS-SharedInfo), CEK =
 * AES-unwrap(KEK, encryptedKey). 0 with r->cek set; 1 if the originator
 * key or ukm cannot be used (reason in r->unusable); -1 "decryption failed".
 */
static int kari_unwrap(struct recipient *r, const struct der_tlv *pubkey, const struct oid_entry *curve,
		       const br_hash_class *kdf_hash, const struct der_tlv *wrap_alg, size_t keklen,
		       const struct der_tlv *ukm, const struct der_tlv *ek, struct errbuf *e)
{
	const br_ec_impl *ec = br_ec_get_default();
	uint8_t pt[1 + 2 * 66], kek[32], info[320];
	size_t plen = 1 + 2 * curve->keylen, infolen, n;
	int ret = -1;

	/* BIT STRING, no unused bits, an uncompressed point (SEC 1 2.3.3). */
	if (pubkey->len != 1 + plen || pubkey->val[0] != 0 || pubkey->val[1] != 0x04) {
		errf(&r->unusable, "originator public key is not an uncompressed point on the device key's curve");
		return 1;
	}
	if (ecc_cms_shared_info(wrap_alg->raw, wrap_alg->rawlen, ukm->tag ? ukm->val : NULL,
				ukm->len, (uint32_t)(keklen * 8), info, sizeof(info), &infolen) < 0) {
		errf(&r->unusable, "ukm too long (%zu bytes)", ukm->len);
		return 1;
	}
	memcpy(pt, pubkey->val + 1, plen);
	/* mul() rejects points off the curve and the point at infinity. */
	if (!ec->mul(pt, plen, r->key->ec.x, r->key->ec.xlen, r->key->ec.curve))
		goto out;
	if (x963_kdf(kdf_hash, pt + 1, curve->keylen, info, infolen, kek, keklen) < 0)
		goto out;
	if (aes_key_unwrap(kek, keklen, ek->val, ek->len, r->cek, sizeof(r->cek), &n) < 0)
		goto out;
	if (n != r->cek_len) {
		sztp_wipe(r->cek, sizeof(r->cek));
		goto out;
	}
	ret = 0;
out:
	sztp_wipe(pt, sizeof(pt));
	sztp_wipe(kek, sizeof(kek));
	if (ret < 0)
		errf(e, "decryption failed");
	return ret;
}

/* RFC 5652 6.2.2 KeyAgreeRecipientInfo, for an EC device key. */
static int try_kari(struct recipient *r, const struct der_tlv *ri, struct errbuf *e)
{
	struct der d = der_inner(ri), x;
	struct der_tlv ver, orig, okey, ukm = { 0 }, kea, reks, kea_oid, wrap, wrap_oid, wrap_params;
	struct der_tlv ek = { 0 }, oalg, ooid, oparams, opub;
	const struct oid_entry *scheme, *wrapper, *curve;
	uint64_t v;
	int found = 0;

	if (der_expect(&d, DER_INTEGER, &ver) < 0 || der_uint(&ver, &v) < 0 ||
	    der_expect(&d, DER_CTXC(0), &orig) < 0 || der_optional(&d, DER_CTXC(1), &ukm) < 0 ||
	    der_expect(&d, DER_SEQUENCE, &kea) < 0 || der_expect(&d, DER_SEQUENCE, &reks) < 0 || d.len)
		return MALFORMED(e, "KeyAgreeRecipientInfo");
	if (v != 3)
		return errf(e, "unsupported KeyAgreeRecipientInfo version %llu", (unsigned long long)v);
	/* originator [0] EXPLICIT OriginatorIdentifierOrKey: exactly one choice. */
	x = der_inner(&orig);
	if (der_next(&x, &okey) < 0 || x.len)
		return MALFORMED(e, "KeyAgreeRecipientInfo originator");
	/* ukm [1] EXPLICIT UserKeyingMaterial (an OCTET STRING). */
	if (ukm.tag) {
		x = der_inner(&ukm);
		if (der_expect(&x, DER_OCTET_STRING, &ukm) < 0 || x.len)
			return MALFORMED(e, "KeyAgreeRecipientInfo ukm");
	}
	/* RecipientEncryptedKeys ::= SEQUENCE OF SEQUENCE { rid, encryptedKey } */
	x = der_inner(&reks);
	while (x.len) {
		struct der_tlv rek, rid, key;
		struct der y;
		int m;

		if (der_expect(&x, DER_SEQUENCE, &rek) < 0)
			return MALFORMED(e, "RecipientEncryptedKey");
		y = der_inner(&rek);
		if (der_next(&y, &rid) < 0 || der_expect(&y, DER_OCTET_STRING, &key) < 0 || y.len ||
		    (m = rid_match(&rid, DER_CTXC(0), &r->id)) < 0)
			return MALFORMED(e, "RecipientEncryptedKey");
		if (m && !found) {
			ek = key;
			found = 1;
		}
	}
	if (!found || r->key->type != BR_KEYTYPE_EC)
		return RI_SKIP;

	/* keyEncryptionAlgorithm: the KDF scheme, its parameter the key wrap. */
	if (alg_id(&kea, &kea_oid, &wrap) < 0)
		return MALFORMED(e, "KeyAgreeRecipientInfo keyEncryptionAlgorithm");
	if (!(scheme = LOOKUP(kdf_schemes, &kea_oid))) {
		errf(&r->unusable, "unsupported key agreement algorithm OID %s",
		     oid_text(&kea_oid, r->oid, sizeof(r->oid)));
		return RI_SKIP;
	}
	if (alg_id(&wrap, &wrap_oid, &wrap_params) < 0)
		return MALFORMED(e, "KeyWrapAlgorithm");
	if (!(wrapper = LOOKUP(wrap_algs, &wrap_oid))) {
		errf(&r->unusable, "unsupported key wrap algorithm OID %s",
		     oid_text(&wrap_oid, r->oid, sizeof(r->oid)));
		return RI_SKIP;
	}
	/* RFC 3565 2.3.2: AES key wrap parameters absent (NULL tolerated). */
	if (!params_empty(&wrap_params))
		return MALFORMED(e, "AES key wrap parameters");
	/* originatorKey [1] OriginatorPublicKey ::= SEQUENCE { algorithm, publicKey BIT STRING } */
	if (okey.tag != DER_CTXC(1)) {
		errf(&r->unusable, "static-static ECDH (originator named by certificate) not supported");
		return RI_SKIP;
	}
	x = der_inner(&okey);
	if (der_expect(&x, DER_SEQUENCE, &oalg) < 0 || der_expect(&x, DER_BIT_STRING, &opub) < 0 ||
	    x.len || alg_id(&oalg, &ooid, &oparams) < 0 || opub.len < 2)
		return MALFORMED(e, "originatorKey");
	if (!DER_OID_IS(&ooid, OID_EC_PUBLIC_KEY)) {
		errf(&r->unusable, "unsupported originator key algorithm OID %s",
		     oid_text(&ooid, r->oid, sizeof(r->oid)));
		return RI_SKIP;
	}
	curve = NULL;
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].curve == r->key->ec.curve)
			curve = &curves[i];
	if (!curve) {
		errf(&r->unusable, "device key curve %d not supported", r->key->ec.curve);
		return RI_SKIP;
	}
	/* RFC 5753 7.1.1: parameters absent or NULL; tolerate the named curve. */
	if (!params_empty(&oparams) && !(oparams.tag == DER_OID && LOOKUP(curves, &oparams) == curve)) {
		errf(&r->unusable, "originator key is not on the device key's curve");
		return RI_SKIP;
	}
	switch (kari_unwrap(r, &opub, curve, scheme->hash, &wrap, wrapper->keylen, &ukm, &ek, e)) {
	case 0:
		return RI_CEK;
	case 1:
		return RI_SKIP;
	default:
		return RI_FAIL;
	}
}

/* RFC 5652 6.3 content decryption, then the PKCS#7 padding check in constant time. */
static int decrypt_content(const uint8_t *cek, size_t ceklen, const uint8_t iv[16],
			   const struct der_tlv *ct, uint8_t *out, size_t *outlen, struct errbuf *e)
{
	br_aes_ct_cbcdec_keys aes;
	uint8_t ivbuf[16];
	size_t len = ct->len;
	uint32_t p, bad;

	memmove(out, ct->val, len);
	memcpy(ivbuf, iv, 16);
	br_aes_ct_cbcdec_init(&aes, cek, ceklen);
	br_aes_ct_cbcdec_run(&aes, ivbuf, out, len);
	sztp_wipe(&aes, sizeof(aes));

	/* Valid: 1 <= p <= 16 and the last p octets all equal p. */
	p = out[len - 1];
	bad = ((p - 1) >> 31) | ((16 - p) >> 31);
	for (uint32_t i = 0; i < 16; i++) {
		uint32_t in_pad = (i - p) >> 31, diff = out[len - 1 - i] ^ p;

		bad |= in_pad & ((diff | (0u - diff)) >> 31);
	}
	if (bad) {
		sztp_wipe(out, len);
		return errf(e, "decryption failed");
	}
	*outlen = len - p;
	return 0;
}

int enveloped_data_decrypt(const struct der_tlv *env, const struct device_key *key,
			   const uint8_t *cert, size_t certlen,
			   uint8_t *out, size_t cap, size_t *outlen,
			   struct der_tlv *ctype, struct errbuf *e)
{
	struct recipient r;
	struct der d, ris;
	struct der_tlv t, ver, ri_set, eci, type, calg, coid, iv, ct;
	const struct oid_entry *content;
	uint64_t v;
	int ret = -1, got = 0;

	memset(&r, 0, sizeof(r));
	r.key = key;
	if (!key || (key->type != BR_KEYTYPE_RSA && key->type != BR_KEYTYPE_EC))
		return errf(e, "no device key loaded");
	if (x509_cert_parse(&r.id, cert, certlen) < 0)
		return errf(e, "malformed device certificate");

	/* EnvelopedData ::= SEQUENCE { version, originatorInfo [0] IMPLICIT OPTIONAL,
	 *   recipientInfos SET, encryptedContentInfo, unprotectedAttrs [1] IMPLICIT OPTIONAL } */
	if (env->tag != DER_SEQUENCE)
		return MALFORMED(e, "not a SEQUENCE");
	d = der_inner(env);
	if (der_expect(&d, DER_INTEGER, &ver) < 0 || der_uint(&ver, &v) < 0)
		return MALFORMED(e, "version");
	if (v > 4) /* RFC 5652 6.1: 0, 2, 3 or 4 */
		return errf(e, "unsupported EnvelopedData version %llu", (unsigned long long)v);
	if (der_optional(&d, DER_CTXC(0), &t) < 0 || der_expect(&d, DER_SET, &ri_set) < 0 ||
	    der_expect(&d, DER_SEQUENCE, &eci) < 0 || der_optional(&d, DER_CTXC(1), &t) < 0 || d.len)
		return MALFORMED(e, "EnvelopedData fields");

	/* EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm,
	 *   encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL } */
	d = der_inner(&eci);
	if (der_expect(&d, DER_OID, &type) < 0 || der_expect(&d, DER_SEQUENCE, &calg) < 0 ||
	    alg_id(&calg, &coid, &iv) < 0)
		return MALFORMED(e, "encryptedContentInfo");
	if (!(content = LOOKUP(content_algs, &coid)))
		return errf(e, "unsupported content encryption algorithm OID %s",
			    oid_text(&coid, r.oid, sizeof(r.oid)));
	/* RFC 3565 4.1: AES-IV ::= OCTET STRING (SIZE(16)) */
	if (iv.tag != DER_OCTET_STRING || iv.len != 16)
		return MALFORMED(e, "AES-CBC parameters (IV)");
	if (der_peek(&d) == DER_CTXC(0))
		return errf(e, "constructed (BER) encryptedContent not supported");
	if (der_optional(&d, DER_CTX(0), &ct) != 1)
		return errf(e, "encryptedContent absent (detached content not supported)");
	if (d.len)
		return MALFORMED(e, "encryptedContentInfo");
	if (ct.len == 0 || ct.len % 16)
		return errf(e, "encryptedContent length %zu is not a positive multiple of 16", ct.len);
	if (ct.len > cap)
		return errf(e, "plaintext buffer too small (%zu bytes needed, %zu available)", ct.len, cap);
	r.cek_len = content->keylen;

	/* RecipientInfos ::= SET SIZE (1..MAX) OF RecipientInfo */
	ris = der_inner(&ri_set);
	if (ris.len == 0)
		return MALFORMED(e, "no recipientInfos");
	while (ris.len && !got) {
		if (der_next(&ris, &t) < 0) {
			MALFORMED(e, "recipientInfos");
			goto out;
		}
		switch (t.tag) {
		case DER_SEQUENCE: /* ktri */
			got = try_ktri(&r, &t, e);
			break;
		case DER_CTXC(1): /* kari [1] */
			got = try_kari(&r, &t, e);
			break;
		default: /* kekri [2], pwri [3], ori [4]: not for a device key */
			break;
		}
		if (got < 0)
			goto out;
	}
	if (!got) {
		if (r.unusable.set)
			errf(e, "%s", r.unusable.msg);
		else
			errf(e, "not encrypted to this device");
		goto out;
	}
	if (decrypt_content(r.cek, r.cek_len, iv.val, &ct, out, outlen, e) < 0)
		goto out;
	*ctype = type;
	ret = 0;
out:
	sztp_wipe(&r, sizeof(r));
	return ret;
}

int enveloped_data_from_content_info(const uint8_t *buf, size_t len, struct der_tlv *env,
				     struct errbuf *e)
{
	struct der_tlv ci, oid, wrap;
	struct der d;

	/* ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT ANY } */
	if (der_whole(buf, len, &ci) < 0 || ci.tag != DER_SEQUENCE)
		return errf(e, "malformed ContentInfo");
	d = der_inner(&ci);
	if (der_expect(&d, DER_OID, &oid) < 0)
		return errf(e, "malformed ContentInfo");
	if (!DER_OID_IS(&oid, OID_ENVELOPED_DATA))
		return errf(e, "ContentInfo is not id-envelopedData");
	if (der_expect(&d, DER_CTXC(0), &wrap) < 0 || d.len)
		return errf(e, "malformed ContentInfo");
	d = der_inner(&wrap);
	if (der_expect(&d, DER_SEQUENCE, env) < 0 || d.len)
		return errf(e, "malformed ContentInfo");
	return 0;
}
