/* libFuzzer: a server's end-entity certificate as tls_client.c reads it
 * before any signature is checked (RFC 6125 iPAddress match, validity). */
#include "tls_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ip4[4] = { 127, 0, 0, 1 };
	static const uint8_t ip6[16] = { [15] = 1 };
	struct x509_cert c;

	tls_cert_names_ip(data, size, ip4, sizeof(ip4));
	tls_cert_names_ip(data, size, ip6, sizeof(ip6));
	x509_cert_parse(&c, data, size);
	return 0;
}
