/*
 * DHCP as a bootstrapping source (RFC 8572 4.3, 8; checklist D, R60-R71).
 *
 * The initramfs runs BusyBox udhcpc on each network interface; its script
 * (initramfs/udhcpc.script) configures the lease and records it in
 * NETDIR/IF.lease4. source_dhcp_collect() then asks the servers itself:
 *   - for every NETDIR/IF.lease4: a DHCPINFORM from the leased address, and
 *     option 143 from the raw DHCPACK, all instances concatenated (R67). If
 *     no DHCPACK comes, the lease's opt143 is used instead (udhcpc's copy,
 *     which misses what did not fit in its small messages; see
 *     dhcp_client.h), and the log says so;
 *   - for every interface that is up (loopback aside): a DHCPv6
 *     Information-request for option 136 (R63).
 *
 * DHCP is untrusted (R61). Every list found here is unsigned redirect
 * information (4.3): the caller processes it as such (5.5), reaching each
 * bootstrap server over a provisional TLS connection (R70) that must then
 * return signed data or more unsigned redirects. The name servers and
 * domain names are as untrusted, and only feed the DNS source (4.2).
 *
 * Time: each exchange waits at most timeout_ms, and there are at most two
 * per interface (DHCP_IFACES_MAX interfaces of each kind are looked at).
 */
#ifndef SZTP_SOURCE_DHCP_H
#define SZTP_SOURCE_DHCP_H

#include <sys/socket.h>

#include "dhcp_client.h"
#include "dhcp_sztp.h"
#include "sztp.h"

#define SOURCE_DHCP_NETDIR    "/run/sztp/net"
#define DHCP_IFACES_MAX       8
#define DHCP_FINDINGS_LISTS   4  /* more are logged and dropped */
#define DHCP_FINDINGS_DNS     8
#define DHCP_FINDINGS_DOMAINS 8

struct dhcp_server_list {
	char origin[32]; /* where it came from: "dhcpv4 eth0", "dhcpv6 eth0" */
	struct bootstrap_server_list list;
};

struct dhcp_findings {
	struct dhcp_server_list lists[DHCP_FINDINGS_LISTS]; /* in interface order, v4 first */
	size_t nlists;
	/* Name servers, port 53; an IPv6 link-local one carries its interface
	 * as sin6_scope_id. Duplicates are dropped. */
	struct sockaddr_storage dns[DHCP_FINDINGS_DNS];
	size_t ndns;
	char domain[DHCP_FINDINGS_DOMAINS][DHCP_NAME_MAX]; /* option 15 and option 24 */
	size_t ndomains;
};

/*
 * Collect what the DHCP servers on every interface say (see above), logging
 * one line per finding ("dhcp: eth0: option 143: 2 bootstrap servers (0
 * skipped)"). An interface that gives nothing is logged, not an error.
 * Returns 0 (out->nlists may be 0); -1 only if netdir exists but cannot be
 * read. A missing netdir only means no DHCPv4 lease (no interface, or none
 * leased yet); DHCPv6 is still tried on the interfaces that are up.
 */
int source_dhcp_collect(const char *netdir, unsigned timeout_ms, struct dhcp_findings *out,
			struct errbuf *e);

#endif
