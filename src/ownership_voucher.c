/* RFC 8572 5.4 step 1 and RFC 8366 5.3: validating the ownership voucher. */
#include <stdio.h>
#include <string.h>

#include "cms.h"
#include "json.h"
#include "ownership_voucher.h"
#include "timefmt.h"
#include "yang_json.h"

#define VOUCHER_MAX_TOKENS 64

static const char *const voucher_members[] = {
	"created-on", "expires-on", "assertion", "serial-number", "idevid-issuer",
	"pinned-domain-cert", "domain-cert-revocation-checks", "nonce", "last-renewal-date", NULL,
};

static int get_time(const struct json_doc *d, long i, const char *what, int64_t *t, struct errbuf *e)
{
	const struct json_tok *k = &d->tok[i];

	if (rfc3339_parse(d->src + k->start + 1, k->len - 2, t) < 0)
		return errf(e, "%s is not a date-and-time", what);
	return 0;
}

/*
 * Assertions this device accepts (RFC 8366 5.3 leaves it to local policy,
 * R111): "verified" and "logged". "proximity" asserts that the registrar
 * proved it is near the device (BRSKI); SZTP has no such proof, so a
 * proximity voucher is not acted on.
 */
static int assertion_accepted(const struct json_doc *d, long i, struct errbuf *e)
{
	char s[32];

	if (json_str(d, (size_t)i, s, sizeof(s)) < 0)
		return errf(e, "assertion is not a short string");
	if (!strcmp(s, "verified") || !strcmp(s, "logged"))
		return 0;
	if (!strcmp(s, "proximity"))
		return errf(e, "assertion \"proximity\" not accepted (this device accepts verified, logged)");
	return errf(e, "assertion \"%s\" is not a voucher assertion", s);
}

/* domain-cert-revocation-checks: the RFC 7951 boolean, or the string form
 * RFC 8366's own example prints (R124). */
static int revocation_flag(const struct json_doc *d, long i, int *flag, struct errbuf *e)
{
	*flag = 0;
	if (i < 0)
		return 0;
	if (d->tok[i].type == JSON_TRUE || d->tok[i].type == JSON_FALSE) {
		*flag = d->tok[i].type == JSON_TRUE;
		return 0;
	}
	if (json_str_eq(d, (size_t)i, "true") || json_str_eq(d, (size_t)i, "false")) {
		*flag = json_str_eq(d, (size_t)i, "true");
		return 0;
	}
	return errf(e, "domain-cert-revocation-checks is not a boolean");
}

static int check_content(const struct json_doc *d, size_t v, const struct voucher_policy *p,
			 struct ownership_voucher *out, struct errbuf *e)
{
	const char *w = "voucher";
	long created, expires, assertion, serial, issuer, pinned, revocation, nonce, renewal;
	char sn[128];
	uint8_t buf[64];
	int64_t t_created, t_expires = 0;
	int rev;
	char ts[32];

	if (yj_only_members(d, v, voucher_members, w, e) < 0 ||
	    yj_mandatory(d, v, "created-on", JSON_STRING, &created, w, e) < 0 ||
	    yj_member(d, v, "expires-on", JSON_STRING, &expires, w, e) < 0 ||
	    yj_mandatory(d, v, "assertion", JSON_STRING, &assertion, w, e) < 0 ||
	    yj_mandatory(d, v, "serial-number", JSON_STRING, &serial, w, e) < 0 ||
	    yj_member(d, v, "idevid-issuer", JSON_STRING, &issuer, w, e) < 0 ||
	    yj_mandatory(d, v, "pinned-domain-cert", JSON_STRING, &pinned, w, e) < 0 ||
	    yj_member(d, v, "nonce", JSON_STRING, &nonce, w, e) < 0 ||
	    yj_member(d, v, "last-renewal-date", JSON_STRING, &renewal, w, e) < 0)
		return -1;
	revocation = json_get(d, v, "domain-cert-revocation-checks");

	/* Is this voucher for this device? (R112) */
	if (yj_string(d, (size_t)serial, sn, sizeof(sn), "serial-number", e) < 0)
		return -1;
	if (strcmp(sn, p->serial))
		return errf(e, "serial-number \"%s\" does not match this device (\"%s\")", sn, p->serial);

	/* RFC 8366 5.3: nonce and expires-on are mutually exclusive;
	 * last-renewal-date requires expires-on. */
	if (nonce >= 0 && expires >= 0)
		return errf(e, "voucher has both nonce and expires-on");
	if (renewal >= 0 && expires < 0)
		return errf(e, "voucher has last-renewal-date without expires-on");

	/* R113: idevid-issuer is the AKI of the IDevID certificate. RFC 8366
	 * names "the Authority Key Identifier OCTET STRING": we accept the
	 * keyIdentifier value, or the whole extension value. */
	if (issuer >= 0) {
		long n = yj_binary(d, (size_t)issuer, buf, sizeof(buf), "idevid-issuer", e);

		if (n < 0)
			return -1;
		if (!p->idevid)
			return errf(e, "voucher names an idevid-issuer, but this device's IDevID certificate is unknown");
		if (!((p->idevid->aki && (size_t)n == p->idevid->aki_len && !memcmp(buf, p->idevid->aki, (size_t)n)) ||
		      (p->idevid->aki_ext && (size_t)n == p->idevid->aki_ext_len &&
		       !memcmp(buf, p->idevid->aki_ext, (size_t)n))))
			return errf(e, "idevid-issuer does not match this device's IDevID authority key identifier");
	}

	/* R110: dates, under the clock policy. */
	if (get_time(d, created, "created-on", &t_created, e) < 0)
		return -1;
	if (expires >= 0 && get_time(d, expires, "expires-on", &t_expires, e) < 0)
		return -1;
	if (p->clk->accurate && t_created > p->clk->now) {
		rfc3339_format(t_created, ts, sizeof(ts));
		return errf(e, "voucher created-on %s is in the future", ts);
	}
	if (expires >= 0 && t_expires <= p->clk->now) {
		rfc3339_format(t_expires, ts, sizeof(ts));
		return errf(e, "voucher expired (expires-on %s)", ts);
	}

	if (assertion_accepted(d, assertion, e) < 0)
		return -1;

	/* R114: a voucher nonce must be the one this device sent. */
	if (nonce >= 0) {
		long n = yj_binary(d, (size_t)nonce, buf, sizeof(buf), "nonce", e);

		if (n < 0)
			return -1;
		if (n < 8 || n > 32)
			return errf(e, "voucher nonce is %ld bytes (8..32 allowed)", n);
		if (!p->nonce)
			return errf(e, "voucher carries a nonce, but this device sent none");
		if ((size_t)n != p->nonce_len || memcmp(buf, p->nonce, (size_t)n))
			return errf(e, "voucher nonce does not match the nonce this device sent");
	}

	/* R118: revocation status of the owner's chain would need CRLs or
	 * OCSP responses checked for freshness; not implemented yet, so a
	 * voucher that demands it is refused rather than half-honoured. */
	if (revocation_flag(d, revocation, &rev, e) < 0)
		return -1;
	if (rev)
		return errf(e, "domain-cert-revocation-checks is true, but this device cannot establish revocation status (CRL/OCSP checking not supported)");

	long n = yj_binary(d, (size_t)pinned, out->pinned_der, sizeof(out->pinned_der),
			   "pinned-domain-cert", e);
	if (n < 0)
		return -1;
	out->pinned_len = (size_t)n;
	if (x509_cert_parse(&out->pinned, out->pinned_der, out->pinned_len) < 0)
		return errf(e, "pinned-domain-cert is not a DER X.509 certificate");
	return 0;
}

int ownership_voucher_decode(const uint8_t *json, size_t len, const struct voucher_policy *p,
			     struct ownership_voucher *out, struct errbuf *e)
{
	struct json_tok tok[VOUCHER_MAX_TOKENS];
	struct json_doc doc;
	struct json_limits lim = json_default_limits;
	long v;

	lim.max_bytes = VOUCHER_CMS_MAX;
	if (json_parse(&doc, (const char *)json, len, tok, VOUCHER_MAX_TOKENS, &lim, e) < 0)
		return -1;
	if (doc.tok[0].type != JSON_OBJECT || doc.tok[0].size != 1 ||
	    (v = json_get(&doc, 0, "ietf-voucher:voucher")) < 0 || doc.tok[v].type != JSON_OBJECT)
		return errf(e, "not an ietf-voucher:voucher document");
	return check_content(&doc, (size_t)v, p, out, e);
}

int ownership_voucher_validate(const struct artifact *a, const struct voucher_policy *p,
			       struct ownership_voucher *out, struct errbuf *e)
{
	struct cms_signed_data sd;
	struct chain_key key;
	enum content_type ct;
	long signer;

	if (a->form != ARTIFACT_SIGNED)
		return errf(e, "not a signed voucher (RFC 8366 5.4 wants CMS SignedData)");
	if (cms_signed_data_parse(&a->signed_data, &sd, e) < 0)
		return -1;
	/* RFC 8572 3.3: id-ct-animaJSONVoucher, or id-data holding JSON. */
	ct = content_type_of(&sd.econtent_type);
	if (ct != CT_VOUCHER_JSON && ct != CT_DATA)
		return errf(e, "eContentType is not a voucher content type");
	if (!sd.has_econtent)
		return errf(e, "voucher content is missing");
	if (content_encoding(ct, sd.econtent.val, sd.econtent.len) != 'J')
		return errf(e, "voucher content is not JSON");

	/* R109: the signer chains to a voucher trust anchor, through the
	 * certificates the voucher carries. */
	signer = cms_signer_cert(&sd, sd.certs, sd.ncerts);
	if (signer < 0)
		return errf(e, "voucher signer's certificate is not in the voucher");
	if (certchain_validate(&sd.certs[signer], sd.certs, sd.ncerts, p->anchors, p->nanchors,
			       p->clk, &key, e) < 0)
		return errwrap(e, "voucher signer does not chain to a voucher trust anchor (", ")");
	if (!(key.usages & BR_KEYTYPE_SIGN))
		return errf(e, "voucher signer's keyUsage lacks digitalSignature");
	if (cms_signer_verify(&sd, &key, e) < 0)
		return -1;
	/* Only authenticated content is interpreted (RFC 8572 5.4 step 1). */
	return ownership_voucher_decode(sd.econtent.val, sd.econtent.len, p, out, e);
}
