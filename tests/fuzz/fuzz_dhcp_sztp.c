/* libFuzzer: SZTP redirect DHCP options (URI, list, DHCPv4, udhcpc hex, DHCPv6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_sztp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every server kept must print back to a URI that parses to itself. */
static void check(const struct bootstrap_server_list *l)
{
	char uri[SZTP_URI_MAX + 8];
	struct bootstrap_server_uri u;

	if (l->n == 0 || l->n > SZTP_MAX_BOOTSTRAP_SERVERS || (l->excess && l->n != SZTP_MAX_BOOTSTRAP_SERVERS))
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct bootstrap_server_uri *s = &l->server[i];
		int n;

		if (!memchr(s->host, '\0', sizeof(s->host)) || s->port == 0)
			abort();
		n = snprintf(uri, sizeof(uri), s->is_ipv6 ? "https://[%s]:%u" : "https://%s:%u", s->host,
			     (unsigned)s->port);
		if (n < 0 || (size_t)n >= sizeof(uri) || sztp_uri_parse(uri, (size_t)n, &u) < 0 ||
		    strcmp(u.host, s->host) || u.port != s->port || u.is_ipv6 != s->is_ipv6)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootstrap_server_list l, l2;
	static char hex[8192];
	struct bootstrap_server_uri u;
	struct sztp_server_list_decoder d;
	struct errbuf e = { 0 };
	int r;

	if (sztp_uri_parse((const char *)data, size, &u) == 0 && !memchr(u.host, '\0', sizeof(u.host)))
		abort();

	/* One shot and pushed in two pieces: the same list. */
	r = sztp_server_list_decode(data, size, &l, &e);
	if (r == 0)
		check(&l);
	sztp_server_list_init(&d, &l2);
	sztp_server_list_push(&d, data, size / 2);
	sztp_server_list_push(&d, data + size / 2, size - size / 2);
	if ((sztp_server_list_finish(&d, NULL) == 0) != (r == 0) || l.n != l2.n ||
	    l.skipped != l2.skipped || l.excess != l2.excess)
		abort();
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.server[i].host, l2.server[i].host) || l.server[i].port != l2.server[i].port ||
		    l.server[i].is_ipv6 != l2.server[i].is_ipv6)
			abort();

	memset(&e, 0, sizeof(e));
	if (dhcpv4_sztp_option(data, size, &l, &e) == 0)
		check(&l);
	memset(&e, 0, sizeof(e));
	if (dhcpv6_sztp_option(data, size, &l, &e) == 0)
		check(&l);
	if (size < sizeof(hex)) {
		memcpy(hex, data, size);
		hex[size] = '\0';
		memset(&e, 0, sizeof(e));
		if (dhcpv4_sztp_from_hex(hex, &l, &e) == 0)
			check(&l);
	}
	return 0;
}
