/*
 * libFuzzer: the parsers of dhcp_client.h. The first octet picks one (0: a
 * lease4 file, 1: a DHCPACK, 2: a DHCPv6 Reply), the rest is its input.
 * The replies are taken as answers to a fixed xid and hardware address, so
 * a seed can be one of ours. What a parser keeps must hold its limits.
 */
#include <stdlib.h>
#include <string.h>

#include "dhcp_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define XID 0x1a2b3c4du
static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void check_name(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static void check_list(const struct bootstrap_server_list *l)
{
	if (l->n == 0 || l->n > SZTP_MAX_BOOTSTRAP_SERVERS || (l->excess && l->n != SZTP_MAX_BOOTSTRAP_SERVERS))
		abort();
	for (size_t i = 0; i < l->n; i++) {
		check_name(l->server[i].host, sizeof(l->server[i].host));
		if (!l->server[i].host[0] || l->server[i].port == 0)
			abort();
	}
}

/* The SZTP part of a reply: a list when OK, a reason when discarded. */
static void check_sztp(enum dhcp_sztp_state st, const char *why, size_t why_cap,
		       const struct bootstrap_server_list *l)
{
	check_name(why, why_cap);
	switch (st) {
	case DHCP_SZTP_ABSENT:
		if (l->n || why[0])
			abort();
		break;
	case DHCP_SZTP_OK:
		check_list(l);
		break;
	case DHCP_SZTP_DISCARDED:
		if (l->n || !why[0])
			abort();
		break;
	default:
		abort();
	}
}

static void lease(const uint8_t *data, size_t size)
{
	static struct lease4 l;
	static struct bootstrap_server_list list;
	struct errbuf e = { 0 };
	size_t n;

	if (lease4_parse((const char *)data, size, &l, &e) < 0) {
		if (!e.msg[0] || l.ifname[0] || l.ip.s_addr || l.opt143[0])
			abort(); /* a reason, and nothing kept */
		return;
	}
	check_name(l.ifname, sizeof(l.ifname));
	check_name(l.domain, sizeof(l.domain));
	check_name(l.opt143, sizeof(l.opt143));
	if (!l.ifname[0] || l.ip.s_addr == 0 || l.nrouter > DHCP_ROUTERS_MAX || l.ndns > DHCP_DNS_MAX)
		abort();
	n = strlen(l.opt143);
	if (n % 2 || n > 2 * LEASE4_OPT143_MAX)
		abort();
	/* What source_dhcp.c does with it when the DHCPINFORM goes unanswered. */
	memset(&e, 0, sizeof(e));
	if (dhcpv4_sztp_from_hex(l.opt143, &list, &e) == 0)
		check_list(&list);
	else if (!e.msg[0] || list.n)
		abort();
}

static void ack4(const uint8_t *data, size_t size)
{
	static struct dhcp4_info info;
	struct errbuf e = { 0 };
	int r = dhcp4_ack_parse(data, size, XID, mac, &info, &e);

	if (r < -1 || r > 1 || (r == -1 && !e.msg[0]))
		abort();
	if (r != 0)
		return;
	if (info.ndns > DHCP_DNS_MAX)
		abort();
	check_name(info.domain, sizeof(info.domain));
	check_sztp(info.sztp, info.why, sizeof(info.why), &info.servers);
}

static void reply6(const uint8_t *data, size_t size)
{
	static struct dhcp6_info info;
	uint8_t duid[DHCP6_DUID_LL_LEN];
	struct errbuf e = { 0 };
	int r;

	dhcp6_duid_ll(mac, duid);
	r = dhcp6_reply_parse(data, size, XID, duid, &info, &e);
	if (r < -1 || r > 1 || (r == -1 && !e.msg[0]))
		abort();
	if (r != 0)
		return;
	if (info.ndns > DHCP_DNS_MAX || info.ndomains > DHCP_DOMAINS_MAX)
		abort();
	for (size_t i = 0; i < info.ndomains; i++) {
		check_name(info.domain[i], sizeof(info.domain[i]));
		if (!info.domain[i][0])
			abort();
	}
	check_sztp(info.sztp, info.why, sizeof(info.why), &info.servers);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		lease(data + 1, size - 1);
		break;
	case 1:
		ack4(data + 1, size - 1);
		break;
	default:
		reply6(data + 1, size - 1);
		break;
	}
	return 0;
}
