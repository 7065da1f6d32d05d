/* RFC 8572 5.4 step 2: the owner certificate chains to pinned-domain-cert. */
#include <stdio.h>
#include <string.h>

#include "owner_certificate.h"

/*
 * The end-entity certificate of a certs-only SignedData that carries "the
 * owner certificate and all intermediate certificates leading up to the
 * pinned-domain-cert" (3.2): the one certificate that issued none of the
 * others. More than one such leaf is ambiguous, and refused.
 */
static const struct x509_cert *find_leaf(const struct cms_signed_data *sd, struct errbuf *e)
{
	const struct x509_cert *leaf = NULL;

	for (size_t i = 0; i < sd->ncerts; i++) {
		int issues = 0;

		for (size_t j = 0; j < sd->ncerts; j++)
			if (i != j && x509_names_issue(&sd->certs[i], &sd->certs[j]) &&
			    !der_same(&sd->certs[j].subject, &sd->certs[j].issuer))
				issues = 1;
		if (issues)
			continue;
		if (leaf) {
			errf(e, "more than one end-entity certificate");
			return NULL;
		}
		leaf = &sd->certs[i];
	}
	if (!leaf)
		errf(e, "no end-entity certificate");
	return leaf;
}

int owner_certificate_validate(const struct artifact *a, const struct ownership_voucher *ov,
			       const struct validation_clock *clk, struct owner_certificate *out,
			       struct errbuf *e)
{
	if (a->form != ARTIFACT_SIGNED)
		return errf(e, "not a certs-only SignedData (RFC 8572 3.2)");
	if (cms_signed_data_parse(&a->signed_data, &out->sd, e) < 0)
		return -1;
	if (out->sd.nsigners != 0 || out->sd.ncerts == 0)
		return errf(e, "not a certs-only SignedData (RFC 8572 3.2)");
	if (out->sd.has_crls)
		sztp_log("%s: carries revocation objects; not consulted (revocation checks not requested)",
			 a->name);
	out->ee = find_leaf(&out->sd, e);
	if (!out->ee)
		return -1;
	/* R102: no keyUsage, or one that includes digitalSignature. */
	if (out->ee->has_key_usage && !(out->ee->key_usage & KU_DIGITAL_SIGNATURE))
		return errf(e, "owner certificate's keyUsage lacks digitalSignature");
	/* R117: path-validate to the pinned-domain-cert, through the
	 * intermediates carried here; also when it is the pinned cert. */
	if (certchain_validate(out->ee, out->sd.certs, out->sd.ncerts, &ov->pinned, 1, clk,
			       &out->key, e) < 0)
		return errwrap(e, "owner certificate does not chain to the voucher's pinned-domain-cert (", ")");
	if (!(out->key.usages & BR_KEYTYPE_SIGN))
		return errf(e, "owner certificate's keyUsage lacks digitalSignature");
	return 0;
}
