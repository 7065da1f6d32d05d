/* Certificate field extraction with the strict DER reader (RFC 5280 4.1). */
#include <string.h>

#include "oid.h"
#include "x509_cert.h"

static int parse_extension(struct x509_cert *c, const struct der_tlv *ext)
{
	struct der in = der_inner(ext), v;
	struct der_tlv id, crit, val, t;

	if (der_expect(&in, DER_OID, &id) < 0)
		return -1;
	if (der_optional(&in, DER_BOOLEAN, &crit) < 0)
		return -1;
	if (der_expect(&in, DER_OCTET_STRING, &val) < 0 || in.len)
		return -1;
	v = der_inner(&val);
	if (DER_OID_IS(&id, OID_EXT_SKI)) {
		if (der_expect(&v, DER_OCTET_STRING, &t) < 0 || v.len)
			return -1;
		c->ski = t.val;
		c->ski_len = t.len;
	} else if (DER_OID_IS(&id, OID_EXT_AKI)) {
		struct der_tlv seq;

		if (der_expect(&v, DER_SEQUENCE, &seq) < 0 || v.len)
			return -1;
		c->aki_ext = val.val;
		c->aki_ext_len = val.len;
		v = der_inner(&seq);
		if (der_optional(&v, DER_CTX(0), &t) == 1) {
			c->aki = t.val;
			c->aki_len = t.len;
		}
	} else if (DER_OID_IS(&id, OID_EXT_SAN)) {
		c->san = val.val;
		c->san_len = val.len;
	} else if (DER_OID_IS(&id, OID_EXT_KEY_USAGE)) {
		if (der_expect(&v, DER_BIT_STRING, &t) < 0 || v.len || t.len < 1 || t.len > 3 ||
		    t.val[0] > 7)
			return -1;
		c->has_key_usage = 1;
		c->key_usage = 0;
		/* BIT STRING bit 0 is the most significant bit of the first octet. */
		for (size_t i = 1; i < t.len; i++)
			for (int b = 0; b < 8; b++)
				if (t.val[i] & (0x80 >> b))
					c->key_usage |= 1u << ((i - 1) * 8 + b);
	} else if (DER_OID_IS(&id, OID_EXT_BASIC_CONSTRAINTS)) {
		struct der_tlv seq, ca;

		if (der_expect(&v, DER_SEQUENCE, &seq) < 0 || v.len)
			return -1;
		v = der_inner(&seq);
		if (der_optional(&v, DER_BOOLEAN, &ca) == 1 && ca.len == 1 && ca.val[0] == 0xff)
			c->is_ca = 1;
	}
	return 0;
}

/* The subject's serialNumber attribute (RFC 5280 appendix A, X.520). */
static void find_serial_attr(struct x509_cert *c)
{
	struct der rdns = der_inner(&c->subject);
	struct der_tlv rdn;

	while (der_next(&rdns, &rdn) == 0 && rdn.tag == DER_SET) {
		struct der atvs = der_inner(&rdn);
		struct der_tlv atv;

		while (der_next(&atvs, &atv) == 0 && atv.tag == DER_SEQUENCE) {
			struct der a = der_inner(&atv);
			struct der_tlv type, value;

			if (der_expect(&a, DER_OID, &type) < 0 || der_next(&a, &value) < 0)
				continue;
			if (DER_OID_IS(&type, OID_AT_SERIAL_NUMBER) &&
			    (value.tag == DER_PRINTABLESTRING || value.tag == DER_UTF8STRING ||
			     value.tag == DER_IA5STRING) &&
			    value.len < sizeof(c->serial_number_attr) &&
			    !memchr(value.val, 0, value.len)) {
				memcpy(c->serial_number_attr, value.val, value.len);
				c->serial_number_attr[value.len] = 0;
				return;
			}
		}
	}
}

int x509_cert_parse_tlv(struct x509_cert *c, const struct der_tlv *t)
{
	struct der in, tbs_in, v;
	struct der_tlv tbs, alg, sig, ver, validity, nb, na, spki, exts, ext;

	memset(c, 0, sizeof(*c));
	if (t->tag != DER_SEQUENCE)
		return -1;
	c->whole = *t;
	in = der_inner(t);
	if (der_expect(&in, DER_SEQUENCE, &tbs) < 0 || der_expect(&in, DER_SEQUENCE, &alg) < 0 ||
	    der_expect(&in, DER_BIT_STRING, &sig) < 0 || in.len)
		return -1;
	tbs_in = der_inner(&tbs);
	if (der_optional(&tbs_in, DER_CTXC(0), &ver) < 0)
		return -1;
	if (der_expect(&tbs_in, DER_INTEGER, &c->serial) < 0 ||
	    der_expect(&tbs_in, DER_SEQUENCE, &alg) < 0 ||
	    der_expect(&tbs_in, DER_SEQUENCE, &c->issuer) < 0 ||
	    der_expect(&tbs_in, DER_SEQUENCE, &validity) < 0 ||
	    der_expect(&tbs_in, DER_SEQUENCE, &c->subject) < 0 ||
	    der_expect(&tbs_in, DER_SEQUENCE, &spki) < 0)
		return -1;
	v = der_inner(&validity);
	if (der_next(&v, &nb) < 0 || der_next(&v, &na) < 0 || v.len ||
	    der_time(&nb, &c->not_before) < 0 || der_time(&na, &c->not_after) < 0)
		return -1;
	/* issuerUniqueID [1], subjectUniqueID [2]: skipped. */
	while (der_peek(&tbs_in) == DER_CTX(1) || der_peek(&tbs_in) == DER_CTX(2))
		if (der_next(&tbs_in, &ext) < 0)
			return -1;
	if (der_optional(&tbs_in, DER_CTXC(3), &exts) == 1) {
		struct der e = der_inner(&exts), list;
		struct der_tlv seq;

		if (der_expect(&e, DER_SEQUENCE, &seq) < 0 || e.len)
			return -1;
		list = der_inner(&seq);
		while (list.len) {
			if (der_expect(&list, DER_SEQUENCE, &ext) < 0 || parse_extension(c, &ext) < 0)
				return -1;
		}
	}
	if (tbs_in.len)
		return -1;
	find_serial_attr(c);
	return 0;
}

int x509_cert_parse(struct x509_cert *c, const uint8_t *der, size_t len)
{
	struct der_tlv t;

	if (der_whole(der, len, &t) < 0)
		return -1;
	return x509_cert_parse_tlv(c, &t);
}

int x509_names_issue(const struct x509_cert *a, const struct x509_cert *b)
{
	return der_same(&a->subject, &b->issuer);
}

int x509_cert_same(const struct x509_cert *a, const struct x509_cert *b)
{
	return der_same(&a->whole, &b->whole);
}
