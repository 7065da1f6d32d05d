/*
 * DNS as a bootstrapping source (RFC 8572 4.2; checklist C, R45-R59): the
 * two lookups and their transports. Message formats: dns_msg.h.
 *
 * Trust: none (R46). Whatever these return is data an attacker on the path
 * (or owning the domain DHCP handed out) may have written: artifacts must
 * validate as signed data (5.4), servers are reached provisionally (R70).
 *
 * Order (R47, R48): the caller asks for device-specific data first
 * (dns_lookup_device) and only if that does not bootstrap, for
 * device-independent data (dns_lookup_servers). Each asks mDNS first (when
 * cfg->mdns), then unicast DNS, for every domain in turn, each domain at
 * every server in turn until one answers.
 *
 *   device-specific     TXT  <serial>._sztp.local        (mDNS)
 *                       TXT  <serial>._sztp.<domain>     (unicast)
 *   device-independent  SRV  _sztp._tcp.local            (mDNS)
 *                       SRV  _sztp._tcp.<domain>         (unicast)
 *
 * The serial number must be one DNS label: 1..63 octets, no '.' (RFC 8572
 * says nothing about other serial numbers: O.10).
 *
 * Unicast (RFC 1035, RFC 7766): a connected UDP socket on a kernel-chosen
 * (randomised) port, a random id from getrandom(), EDNS(0) offering
 * DNS_EDNS_UDP octets. Only a datagram from the server's address and port
 * that answers our question is read; others are dropped and the wait goes
 * on. cfg->timeout_ms per attempt, cfg->attempts attempts per server. A
 * truncated answer (TC) is asked again over TCP (R58): 2-octet length
 * prefix, at most DNS_MSG_MAX octets, the whole exchange within
 * 3 * cfg->timeout_ms. A server that answers (found or not) ends the search
 * in that domain; one that fails (timeout, SERVFAIL, malformed) hands over to
 * the next.
 *
 * mDNS (RFC 6762): a one-shot query (5.1) from an ephemeral port to
 * cfg->mdns_addr (224.0.0.251:5353), multicast TTL 255 (11); responders
 * answer by unicast (6.7). Accepted: datagrams of at most DNS_MDNS_MAX
 * octets (17), from the responder port, from an address on a local link (11:
 * an IPv6 link-local address, or one inside the prefix of an address of one
 * of our interfaces). Answers are collected for cfg->mdns_window_ms; TXT
 * ends at the first message with a "ci". IPv4 only (no ff02::fb).
 *
 * Results: 1 found, 0 not found anywhere, -1 no answer at all or a bad
 * argument (reason in e). Diagnostics go to sztp_log().
 */
#ifndef SZTP_SOURCE_DNS_H
#define SZTP_SOURCE_DNS_H

#include <sys/socket.h>

#include "dhcp_sztp.h"
#include "dns_msg.h"
#include "sztp.h"

#define DNS_SERVERS_MAX 4   /* resolv.conf's MAXNS is 3 */
#define DNS_DOMAINS_MAX 6   /* resolv.conf's "search" limit */
#define DNS_PORT        53
#define MDNS_PORT       5353

struct dns_server {
	struct sockaddr_storage addr;
	socklen_t len;
};

struct dns_config {
	struct dns_server server[DNS_SERVERS_MAX];
	size_t nservers;
	char domain[DNS_DOMAINS_MAX][254];  /* no trailing dot */
	size_t ndomains;
	unsigned timeout_ms;      /* one UDP attempt (default 2000) */
	unsigned attempts;        /* UDP attempts per server (default 2) */
	int mdns;                 /* ask mDNS first, R48 (default 1) */
	struct dns_server mdns_addr; /* 224.0.0.251:5353; tests point it elsewhere */
	unsigned mdns_window_ms;  /* default 1000 */
};

/* Defaults as above, no servers, no domains. */
void dns_config_init(struct dns_config *cfg);

/* "192.0.2.1", "192.0.2.1:5300", "2001:db8::1", "[2001:db8::1]:5300". */
int dns_server_parse(const char *s, struct dns_server *out, struct errbuf *e);
int dns_config_add_server(struct dns_config *cfg, const char *s, struct errbuf *e);
int dns_config_add_domain(struct dns_config *cfg, const char *domain, struct errbuf *e);

/*
 * Add the "nameserver" addresses of a resolv.conf (resolv.conf(5); no port
 * syntax there: 53) and replace the domains by its last "domain" or "search"
 * line. At most 64 KiB; unknown lines and bad addresses are skipped; servers
 * and domains beyond the limits are dropped. 0, or -1 if it cannot be read.
 */
int dns_config_from_resolv_conf(const char *path, struct dns_config *cfg, struct errbuf *e);

/*
 * Device-specific TXT records (N.3). domain NULL: every cfg->domain. out is
 * large (DNS_MSG_MAX): not for the stack of a small thread.
 */
int dns_lookup_device(const char *serial, const char *domain, const struct dns_config *cfg,
		      struct dns_device_data *out, struct errbuf *e);

/*
 * Device-independent SRV records (N.4): out is an unsigned redirect list,
 * priority order, each priority in RFC 2782 weighted random order. info
 * (NULL, or SZTP_MAX_BOOTSTRAP_SERVERS entries) receives priority, weight
 * and address hints (R57) per server. Found means at least one usable server.
 */
int dns_lookup_servers(const char *domain, const struct dns_config *cfg,
		       struct bootstrap_server_list *out, struct dns_srv_info *info, struct errbuf *e);

#endif
