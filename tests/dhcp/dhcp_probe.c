/*
 * Test driver for dhcp_client and source_dhcp (tests/suites/74-dhcp.sh):
 * one exchange, its findings on stdout; exit 0, or the reason on stderr
 * and exit 1.
 *
 *   dhcp_probe [-t MS] inform LEASEFILE   DHCPINFORM from the lease
 *   dhcp_probe [-t MS] info6 IFNAME       DHCPv6 Information-request
 *   dhcp_probe [-t MS] lease LEASEFILE    the lease file's own fields
 *   dhcp_probe [-t MS] collect NETDIR     source_dhcp_collect()
 *
 * Output lines: "server HOST PORT", "skipped N", "dns ADDR", "domain NAME",
 * "origin ORIGIN" (collect, before each list's servers), "sztp absent" or
 * "sztp discarded: REASON" when there is no list.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp_client.h"
#include "source_dhcp.h"

static void usage(void)
{
	fprintf(stderr, "usage: dhcp_probe [-t MS] inform LEASEFILE | info6 IFNAME | "
			"lease LEASEFILE | collect NETDIR\n");
	exit(2);
}

static void servers(enum dhcp_sztp_state st, const struct bootstrap_server_list *l,
		    const char *why)
{
	if (st == DHCP_SZTP_ABSENT) {
		printf("sztp absent\n");
		return;
	}
	if (st == DHCP_SZTP_DISCARDED) {
		printf("sztp discarded: %s\n", why);
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		printf("server %s %u\n", l->server[i].host, (unsigned)l->server[i].port);
	printf("skipped %zu\n", l->skipped);
}

static void addr(int af, const void *a)
{
	char s[INET6_ADDRSTRLEN];

	printf("dns %s\n", inet_ntop(af, a, s, sizeof(s)));
}

int main(int argc, char **argv)
{
	static struct lease4 lease;
	static struct dhcp4_info i4;
	static struct dhcp6_info i6;
	static struct dhcp_findings f;
	struct errbuf e = { 0 };
	unsigned timeout = 3000;
	const char *cmd;
	int opt;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			usage();
		timeout = (unsigned)strtoul(optarg, NULL, 10);
	}
	if (argc - optind != 2)
		usage();
	cmd = argv[optind];
	if (!strcmp(cmd, "inform") || !strcmp(cmd, "lease")) {
		if (lease4_load(argv[optind + 1], &lease, &e) < 0)
			goto fail;
		if (!strcmp(cmd, "lease")) {
			struct errbuf he = { 0 };
			static struct bootstrap_server_list l;

			printf("interface %s\n", lease.ifname);
			if (!lease.opt143[0])
				servers(DHCP_SZTP_ABSENT, &l, "");
			else if (dhcpv4_sztp_from_hex(lease.opt143, &l, &he) < 0)
				servers(DHCP_SZTP_DISCARDED, &l, he.msg);
			else
				servers(DHCP_SZTP_OK, &l, "");
			for (size_t i = 0; i < lease.ndns; i++)
				addr(AF_INET, &lease.dns[i]);
			if (lease.domain[0])
				printf("domain %s\n", lease.domain);
			return 0;
		}
		if (dhcp4_inform(&lease, timeout, &i4, &e) < 0)
			goto fail;
		printf("from %s\n", inet_ntoa(i4.server));
		servers(i4.sztp, &i4.servers, i4.why);
		for (size_t i = 0; i < i4.ndns; i++)
			addr(AF_INET, &i4.dns[i]);
		if (i4.domain[0])
			printf("domain %s\n", i4.domain);
	} else if (!strcmp(cmd, "info6")) {
		if (dhcp6_info_request(argv[optind + 1], timeout, &i6, &e) < 0)
			goto fail;
		servers(i6.sztp, &i6.servers, i6.why);
		for (size_t i = 0; i < i6.ndns; i++)
			addr(AF_INET6, &i6.dns[i]);
		for (size_t i = 0; i < i6.ndomains; i++)
			printf("domain %s\n", i6.domain[i]);
	} else if (!strcmp(cmd, "collect")) {
		if (source_dhcp_collect(argv[optind + 1], timeout, &f, &e) < 0)
			goto fail;
		for (size_t k = 0; k < f.nlists; k++) {
			printf("origin %s\n", f.lists[k].origin);
			servers(DHCP_SZTP_OK, &f.lists[k].list, "");
		}
		for (size_t i = 0; i < f.ndns; i++) {
			const struct sockaddr_storage *ss = &f.dns[i];

			if (ss->ss_family == AF_INET)
				addr(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr);
			else
				addr(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr);
		}
		for (size_t i = 0; i < f.ndomains; i++)
			printf("domain %s\n", f.domain[i]);
	} else {
		usage();
	}
	return 0;
fail:
	fprintf(stderr, "dhcp_probe: %s\n", e.msg);
	return 1;
}
