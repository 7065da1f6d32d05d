/* DHCP as a bootstrapping source, RFC 8572 4.3: see source_dhcp.h. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "source_dhcp.h"

#define LEASE_SUFFIX ".lease4"
#define DNS_PORT 53

/* The kept list, tagged with its origin; logged either way. */
static void take_list(struct dhcp_findings *out, const char *proto, const char *ifname,
		      unsigned code, enum dhcp_sztp_state st, const struct bootstrap_server_list *l,
		      const char *why)
{
	struct dhcp_server_list *d;

	if (st == DHCP_SZTP_ABSENT) {
		sztp_log("dhcp: %s: no option %u", ifname, code);
		return;
	}
	if (st == DHCP_SZTP_DISCARDED) { /* R66 */
		sztp_log("dhcp: %s: option %u discarded: %s", ifname, code, why);
		return;
	}
	if (l->excess)
		sztp_log("dhcp: %s: option %u: %zu bootstrap servers (%zu skipped, %zu more dropped)",
			 ifname, code, l->n, l->skipped, l->excess);
	else
		sztp_log("dhcp: %s: option %u: %zu bootstrap servers (%zu skipped)", ifname, code,
			 l->n, l->skipped);
	if (out->nlists == DHCP_FINDINGS_LISTS) {
		sztp_log("dhcp: %s: more than %d lists; this one is dropped", ifname,
			 DHCP_FINDINGS_LISTS);
		return;
	}
	d = &out->lists[out->nlists++];
	snprintf(d->origin, sizeof(d->origin), "%s %s", proto, ifname);
	d->list = *l;
}

static void take_dns(struct dhcp_findings *out, const struct sockaddr_storage *ss)
{
	for (size_t i = 0; i < out->ndns; i++)
		if (!memcmp(&out->dns[i], ss, sizeof(*ss)))
			return;
	if (out->ndns < DHCP_FINDINGS_DNS)
		out->dns[out->ndns++] = *ss;
}

static void take_dns4(struct dhcp_findings *out, struct in_addr a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin_family = AF_INET;
	s->sin_port = htons(DNS_PORT);
	s->sin_addr = a;
	take_dns(out, &ss);
}

static void take_dns6(struct dhcp_findings *out, const struct in6_addr *a, const char *ifname)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(DNS_PORT);
	s->sin6_addr = *a;
	if (IN6_IS_ADDR_LINKLOCAL(a))
		s->sin6_scope_id = if_nametoindex(ifname);
	take_dns(out, &ss);
}

static void take_domain(struct dhcp_findings *out, const char *name)
{
	if (!name[0])
		return;
	for (size_t i = 0; i < out->ndomains; i++)
		if (!strcasecmp(out->domain[i], name)) /* RFC 4343 */
			return;
	if (out->ndomains < DHCP_FINDINGS_DOMAINS)
		snprintf(out->domain[out->ndomains++], DHCP_NAME_MAX, "%s", name);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Interface names of NETDIR's IF.lease4 files, sorted. 1: no such directory. */
static int lease_ifaces(const char *netdir, char names[][IF_NAMESIZE], size_t *n,
			struct errbuf *e)
{
	const size_t sl = strlen(LEASE_SUFFIX);
	struct dirent *de;
	DIR *d;

	*n = 0;
	d = opendir(netdir);
	if (!d) {
		if (errno == ENOENT)
			return 1;
		return errf(e, "%s: %s", netdir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		/* IF.lease4 only: not the script's hidden temporary files. */
		if (de->d_name[0] == '.' || len <= sl || len - sl >= IF_NAMESIZE ||
		    strcmp(de->d_name + len - sl, LEASE_SUFFIX) != 0)
			continue;
		if (*n == DHCP_IFACES_MAX) {
			sztp_log("dhcp: more than %d leases in %s; the rest are ignored",
				 DHCP_IFACES_MAX, netdir);
			break;
		}
		memcpy(names[*n], de->d_name, len - sl);
		names[(*n)++][len - sl] = '\0';
	}
	closedir(d);
	qsort(names, *n, IF_NAMESIZE, name_cmp);
	return 0;
}

/* Interfaces that are up, loopback aside, sorted. */
static void up_ifaces(char names[][IF_NAMESIZE], size_t *n)
{
	struct ifaddrs *all, *p;

	*n = 0;
	if (getifaddrs(&all) < 0)
		return;
	for (p = all; p; p = p->ifa_next) {
		size_t i;

		if (!(p->ifa_flags & IFF_UP) || (p->ifa_flags & IFF_LOOPBACK) ||
		    strlen(p->ifa_name) >= IF_NAMESIZE)
			continue;
		for (i = 0; i < *n && strcmp(names[i], p->ifa_name); i++)
			;
		if (i < *n)
			continue;
		if (*n == DHCP_IFACES_MAX)
			break;
		snprintf(names[(*n)++], IF_NAMESIZE, "%s", p->ifa_name);
	}
	freeifaddrs(all);
	qsort(names, *n, IF_NAMESIZE, name_cmp);
}

static void collect4(const char *netdir, const char *ifname, unsigned timeout_ms,
		     struct dhcp_findings *out)
{
	static struct lease4 lease;
	static struct dhcp4_info info;
	struct errbuf e = { 0 };
	char path[512];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s%s", netdir, ifname, LEASE_SUFFIX) >=
	    sizeof(path)) {
		sztp_log("dhcp: %s: path too long", ifname);
		return;
	}
	if (lease4_load(path, &lease, &e) < 0) {
		sztp_log("dhcp: %s", e.msg);
		return;
	}
	if (strcmp(lease.ifname, ifname) != 0) {
		sztp_log("dhcp: %s names interface `%s'; ignored", path, lease.ifname);
		return;
	}
	if (dhcp4_inform(&lease, timeout_ms, &info, &e) == 0) {
		take_list(out, "dhcpv4", ifname, DHCPV4_OPTION_SZTP_REDIRECT, info.sztp, &info.servers,
			  info.why);
		for (size_t i = 0; i < info.ndns; i++)
			take_dns4(out, info.dns[i]);
		take_domain(out, info.domain);
		if (info.ndns > 0 || info.domain[0])
			return;
	} else {
		/* R71: udhcpc's copy, short of what its messages had no room for. */
		sztp_log("dhcp: %s", e.msg);
		if (!lease.opt143[0]) {
			sztp_log("dhcp: %s: no option 143 in the lease either", ifname);
		} else {
			static struct bootstrap_server_list l;
			struct errbuf he = { 0 };
			enum dhcp_sztp_state st = DHCP_SZTP_OK;

			sztp_log("dhcp: %s: falling back to the lease's option 143 (udhcpc's copy: "
				 "a list longer than its small messages hold is cut or missing)", ifname);
			if (dhcpv4_sztp_from_hex(lease.opt143, &l, &he) < 0)
				st = DHCP_SZTP_DISCARDED;
			take_list(out, "dhcpv4", ifname, DHCPV4_OPTION_SZTP_REDIRECT, st, &l, he.msg);
		}
	}
	/* No answer, or one without name servers: the lease's own. */
	for (size_t i = 0; i < lease.ndns; i++)
		take_dns4(out, lease.dns[i]);
	take_domain(out, lease.domain);
}

static void collect6(const char *ifname, unsigned timeout_ms, struct dhcp_findings *out)
{
	static struct dhcp6_info info;
	struct errbuf e = { 0 };

	if (dhcp6_info_request(ifname, timeout_ms, &info, &e) < 0) {
		sztp_log("dhcp: %s", e.msg);
		return;
	}
	take_list(out, "dhcpv6", ifname, DHCPV6_OPTION_SZTP_REDIRECT, info.sztp, &info.servers,
		  info.why);
	for (size_t i = 0; i < info.ndns; i++)
		take_dns6(out, &info.dns[i], ifname);
	for (size_t i = 0; i < info.ndomains; i++)
		take_domain(out, info.domain[i]);
}

int source_dhcp_collect(const char *netdir, unsigned timeout_ms, struct dhcp_findings *out,
			struct errbuf *e)
{
	char names[DHCP_IFACES_MAX][IF_NAMESIZE];
	size_t n;
	int r;

	memset(out, 0, sizeof(*out));
	r = lease_ifaces(netdir, names, &n, e);
	if (r < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		collect4(netdir, names[i], timeout_ms, out);
	up_ifaces(names, &n);
	for (size_t i = 0; i < n; i++)
		collect6(names[i], timeout_ms, out);
	return 0;
}
