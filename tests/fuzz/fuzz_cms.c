/* libFuzzer: the DER reader, CMS ContentInfo/SignedData, certificates. */
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "cms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct device_identity dev; /* no key: envelopes stop early */
	static struct cms_signed_data sd;
	struct artifact a = { .name = "fuzz", .der = data, .len = size };
	struct errbuf e = { 0 };
	struct x509_cert c;

	if (artifact_open(&a, &dev, &e) == 0 && a.form == ARTIFACT_SIGNED &&
	    cms_signed_data_parse(&a.signed_data, &sd, &e) == 0) {
		cms_signer_cert(&sd, sd.certs, sd.ncerts);
		if (sd.ncerts) {
			struct chain_key k;
			struct validation_clock clk = { 0, 1 };
			struct errbuf e2 = { 0 };

			certchain_validate(&sd.certs[0], sd.certs, sd.ncerts, sd.certs + sd.ncerts - 1, 1,
					   &clk, &k, &e2);
			if (certchain_cert_key(&sd.certs[0], &k) == 0)
				cms_signer_verify(&sd, &k, &e2);
		}
	}
	artifact_close(&a);
	x509_cert_parse(&c, data, size);
	return 0;
}
