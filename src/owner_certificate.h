/* Owner certificate (RFC 8572 3.2), validated as 5.4 step 2 says. */
#ifndef SZTP_OWNER_CERTIFICATE_H
#define SZTP_OWNER_CERTIFICATE_H

#include "artifact.h"
#include "cms.h"
#include "ownership_voucher.h"

struct owner_certificate {
	struct cms_signed_data sd;
	const struct x509_cert *ee;   /* the owner certificate itself */
	struct chain_key key;         /* its validated public key */
};

int owner_certificate_validate(const struct artifact *a, const struct ownership_voucher *ov,
			       const struct validation_clock *clk, struct owner_certificate *out,
			       struct errbuf *e);

#endif
