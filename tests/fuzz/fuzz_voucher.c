/* libFuzzer: ownership voucher JSON decoding and policy checks. */
#include <string.h>

#include "ownership_voucher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ownership_voucher ov;
	static const uint8_t nonce[16] = "0123456789abcdef";
	static struct x509_cert idevid;
	struct validation_clock clk = { 1767225600, 1 }; /* 2026-01-01 */
	struct voucher_policy p = {
		.serial = "SN-1",
		.idevid = &idevid,
		.nonce = nonce,
		.nonce_len = sizeof(nonce),
		.clk = &clk,
	};
	struct errbuf e = { 0 };

	ownership_voucher_decode(data, size, &p, &ov, &e);
	p.idevid = NULL;
	p.nonce = NULL;
	clk.accurate = 0;
	memset(&e, 0, sizeof(e));
	ownership_voucher_decode(data, size, &p, &ov, &e);
	return 0;
}
