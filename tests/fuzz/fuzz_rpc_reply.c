/*
 * libFuzzer: bootstrapping_data_from_reply(), the body of a
 * get-bootstrapping-data reply (RFC 8572 7.3 output). What it takes must
 * have a conveyed-information, an owner-certificate only with a voucher,
 * each within its limit, and a reporting level; whatever it allocated,
 * accepted or not, bootstrapping_data_close() frees (LeakSanitizer).
 */
#include <stdlib.h>
#include <string.h>

#include "bootstrapping_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootstrapping_data bd;
	struct errbuf e = { 0 };
	char level[8];

	memset(&bd, 0, sizeof(bd));
	memset(level, 'x', sizeof(level));
	if (bootstrapping_data_from_reply(&bd, data, size, level, &e) == 0) {
		if (!bd.ci.der || bd.ci.len > CONVEYED_INFO_CMS_MAX || !bd.oc.der != !bd.ov.der ||
		    bd.oc.len > OWNER_CERT_CMS_MAX || bd.ov.len > VOUCHER_CMS_MAX)
			abort();
		if (strcmp(level, "minimal") && strcmp(level, "verbose"))
			abort();
	} else if (!e.msg[0]) {
		abort();
	}
	bootstrapping_data_close(&bd);
	return 0;
}
