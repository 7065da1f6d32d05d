/*
 * The DHCP exchanges sztpboot makes itself (RFC 8572 4.3, 8; checklist D).
 *
 * BusyBox udhcpc gets the lease (initramfs/udhcpc.script writes it to
 * /run/sztp/net/IF.lease4), but its copy of option 143 cannot be relied on
 * for R67. Measured with Debian's busybox-static 1.35.0 (tests/suites/
 * 74-dhcp.sh): it does concatenate the instances of a split option for its
 * script (older BusyBox versions kept only the first instance, R71), but
 * it asks for at most 576-octet messages (option 57), so a server leaves a
 * long list out of its replies, and it ignores a message of more than
 * about 628 octets (its fixed buffer) altogether. A list of ten ordinary
 * URIs is already too long. Debian's BusyBox has no udhcpc6 at all. So,
 * once a lease exists, sztpboot
 *   - sends its own DHCPINFORM (RFC 2131 3.4, 4.4.3) from the leased
 *     address, offering DHCP4_MAX_MESSAGE octets, and decodes option 143
 *     from the raw DHCPACK, every instance concatenated
 *     (dhcpv4_sztp_option());
 *   - sends a DHCPv6 Information-request (RFC 8415 18.2.6) from the
 *     link-local address and decodes option 136 from the Reply (R63).
 * Both also return the name servers and domain names the server gave, for
 * the DNS source (RFC 8572 4.2).
 *
 * Everything here is untrusted (R61): the lists are unsigned redirect
 * information, and a well-formed reply proves nothing about its sender.
 *
 * Port 68 next to a running udhcpc (BusyBox 1.35, checked with ss(8) and
 * in 74-dhcp.sh): bound, udhcpc holds no socket at all; it opens one
 * (0.0.0.0:68, SO_REUSEADDR, bound to the interface) only while renewing,
 * from T1 on, and a raw packet socket only while it has no lease.
 * dhcp4_inform() sets SO_REUSEADDR and binds the leased address, so it
 * gets port 68 in either case, and a unicast DHCPACK to that address goes
 * to the more specific socket, ours. Should a renewal fall inside our
 * short window, udhcpc misses that one ACK and retransmits its DHCPREQUEST
 * (seen in the test: the renewal completes).
 *
 * All functions return 0, or -1 with a one-line reason in e.
 */
#ifndef SZTP_DHCP_CLIENT_H
#define SZTP_DHCP_CLIENT_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp_sztp.h"
#include "sztp.h"

#define DHCP_DNS_MAX      4    /* name servers kept per message; more are dropped */
#define DHCP_DOMAINS_MAX  4    /* DHCPv6 domain list entries kept */
#define DHCP_ROUTERS_MAX  4
#define DHCP_NAME_MAX     254  /* a DNS name in text, 253 octets + NUL */
/* What udhcpc can export: less than its largest message. */
#define LEASE4_OPT143_MAX 1024
#define LEASE4_FILE_MAX   4096

/*
 * One lease4 file: "key=value" lines, each key at most once, nothing else.
 *   interface  required; the interface name
 *   ip         required; the leased address (dotted quad)
 *   subnet     dotted netmask (contiguous) or prefix length 0..32
 *   router     routers, space separated (the first DHCP_ROUTERS_MAX kept)
 *   dns        name servers, space separated (the first DHCP_DNS_MAX kept)
 *   domain     option 15, a DNS name
 *   serverid   option 54, dotted quad
 *   lease      lease time, seconds
 *   opt143     udhcpc's hex of option 143 (see above: maybe cut or missing)
 * Optional keys may be empty. An empty or absent serverid means the
 * DHCPINFORM can only be broadcast.
 */
struct lease4 {
	char ifname[IF_NAMESIZE];
	struct in_addr ip;
	struct in_addr subnet;           /* 0.0.0.0 when absent */
	struct in_addr router[DHCP_ROUTERS_MAX];
	size_t nrouter;
	struct in_addr dns[DHCP_DNS_MAX];
	size_t ndns;
	char domain[DHCP_NAME_MAX];      /* "" when absent */
	struct in_addr serverid;         /* valid when has_serverid */
	int has_serverid;
	unsigned long lease_s;           /* 0 when absent */
	char opt143[2 * LEASE4_OPT143_MAX + 1]; /* hex; "" when absent */
};

int lease4_load(const char *path, struct lease4 *l, struct errbuf *e);
int lease4_parse(const char *text, size_t len, struct lease4 *l, struct errbuf *e);

/* What a server said about SZTP: the list, or why there is none. */
enum dhcp_sztp_state {
	DHCP_SZTP_ABSENT = 0,  /* no option 143/136 in the message */
	DHCP_SZTP_OK,          /* servers holds at least one server */
	DHCP_SZTP_DISCARDED,   /* present but nothing valid (R66): why says so */
};

struct dhcp4_info {
	struct in_addr server;           /* option 54, else the reply's source */
	struct in_addr dns[DHCP_DNS_MAX];  /* option 6 */
	size_t ndns;
	char domain[DHCP_NAME_MAX];      /* option 15; "" when absent or not a DNS name */
	enum dhcp_sztp_state sztp;
	char why[160];
	struct bootstrap_server_list servers; /* option 143, all instances (R67) */
};

struct dhcp6_info {
	struct in6_addr dns[DHCP_DNS_MAX]; /* OPTION_DNS_SERVERS (23), RFC 3646 */
	size_t ndns;
	char domain[DHCP_DOMAINS_MAX][DHCP_NAME_MAX]; /* OPTION_DOMAIN_LIST (24) */
	size_t ndomains;
	enum dhcp_sztp_state sztp;
	char why[160];
	struct bootstrap_server_list servers; /* option 136 */
};

/*
 * DHCPINFORM on l->ifname from l->ip, port 68: unicast to the server
 * identifier's port 67, then (and without a server identifier, only)
 * broadcast to 255.255.255.255; retransmitted within timeout_ms. The first
 * DHCPACK with our xid and hardware address is decoded into out. -1 on no
 * answer, a DHCPNAK, or a socket that cannot be had.
 */
int dhcp4_inform(const struct lease4 *l, unsigned timeout_ms, struct dhcp4_info *out,
		 struct errbuf *e);

/*
 * DHCPv6 Information-request on ifname from its link-local address, port
 * 546, to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547;
 * retransmitted within timeout_ms (RFC 8415 18.2.6, 15). Waits for the
 * link-local address to pass duplicate address detection. -1 on no Reply.
 */
int dhcp6_info_request(const char *ifname, unsigned timeout_ms, struct dhcp6_info *out,
		       struct errbuf *e);

/* --- message builders and parsers (exposed for the unit tests) --------- */

#define DHCP4_INFORM_LEN 300   /* BOOTP minimum (RFC 1542 2.1); ours fits */
#define DHCP4_MAX_MESSAGE 1500 /* option 57: what we accept, one Ethernet frame */
#define DHCP6_DUID_LL_LEN 10   /* DUID-LL over Ethernet, RFC 8415 11.4 */

/* The hardware address of ifname, from /sys/class/net/IF/address. */
int dhcp_if_mac(const char *ifname, uint8_t mac[6], struct errbuf *e);

/* A DHCPINFORM into buf (cap >= DHCP4_INFORM_LEN); returns its length. */
size_t dhcp4_inform_build(uint8_t *buf, size_t cap, uint32_t xid, uint16_t secs,
			  const uint8_t mac[6], struct in_addr ciaddr);
/*
 * A reply to it: BOOTREPLY with our xid and chaddr and the magic cookie.
 * Returns 0 for a DHCPACK (out filled), 1 for a message that is not ours
 * or not an ACK or NAK (ignore it), -1 for a DHCPNAK or an ACK whose
 * options are malformed (dhcp4_inform() keeps waiting for a better one
 * and reports this reason only if none comes).
 */
int dhcp4_ack_parse(const uint8_t *msg, size_t len, uint32_t xid, const uint8_t mac[6],
		    struct dhcp4_info *out, struct errbuf *e);

/* DUID-LL of mac (RFC 8415 11.4), DHCP6_DUID_LL_LEN octets. */
void dhcp6_duid_ll(const uint8_t mac[6], uint8_t duid[DHCP6_DUID_LL_LEN]);
/* An Information-request into buf; returns its length, 0 if cap is short. */
size_t dhcp6_inforeq_build(uint8_t *buf, size_t cap, uint32_t xid, uint16_t elapsed_cs,
			   const uint8_t duid[DHCP6_DUID_LL_LEN]);
/* A Reply to it: the same three return values as dhcp4_ack_parse(). */
int dhcp6_reply_parse(const uint8_t *msg, size_t len, uint32_t xid,
		      const uint8_t duid[DHCP6_DUID_LL_LEN], struct dhcp6_info *out,
		      struct errbuf *e);

#endif
