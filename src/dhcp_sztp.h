/*
 * SZTP redirect DHCP options (RFC 8572 section 8; checklist D, R60-R71).
 *
 * What arrives:
 *   DHCPv4 option 143 (OPTION_V4_SZTP_REDIRECT) and DHCPv6 option 136
 *   (OPTION_V6_SZTP_REDIRECT) both carry a bootstrap-server-list (8.3, RFC
 *   7227 5.7): 1*( uri-length URI ), uri-length two octets in network byte
 *   order, URI that many US-ASCII octets, no terminator. DHCP is untrusted
 *   (4.3, R61): the list is unsigned redirect information and every server it
 *   names is reached over a provisional TLS connection (R70); nothing here
 *   trusts it further than "well-formed".
 *
 * What is accepted as one URI (8.3, R69): "https://<ip-address-or-hostname>
 * [:<port>]" and nothing more.
 *   - scheme "https", case-insensitive (RFC 3986 3.1), then "://";
 *   - host: a bracketed IPv6 literal that inet_pton(AF_INET6) accepts (no
 *     zone id, no IPvFuture); or an IPv4 dotted quad that inet_pton(AF_INET)
 *     accepts (a name whose last label is all digits must be one: RFC 3696
 *     2); or a DNS name of LDH labels, 1..63 octets each, no leading or
 *     trailing '-', 253 octets at most. No trailing dot: RFC 6066 3 forbids
 *     it in SNI and it buys nothing here. No percent-encoding, no '_';
 *   - port: ':' then 1..5 decimal digits, value 1..65535; absent means 443
 *     (6.3). An empty port ("host:") is rejected;
 *   - no userinfo, query or fragment, no path -- except that one trailing "/"
 *     is accepted and dropped: for https an empty path and "/" are the same
 *     URI (RFC 3986 6.2.3), and rejecting "https://host/" would only strand
 *     devices behind an operator's cosmetic choice.
 * The host is kept as sent (case included; IPv6 without brackets).
 *
 * The list (8.1, 8.2): entries that are not such URIs are skipped and counted
 * (R65); an entry longer than SZTP_URI_MAX is invalid, not a parse error. An
 * entry whose length (or the length field itself) overruns the data ends the
 * list: it is counted as skipped and the entries before it stay. Valid
 * entries beyond SZTP_MAX_BOOTSTRAP_SERVERS are counted in `excess' and
 * dropped. If no valid entry remains the whole option is discarded (R66):
 * -1 with a reason.
 *
 * DHCPv4 (R67, RFC 3396): the data of ALL option-143 instances are
 * concatenated in order -- options field, then the file field if option 52
 * (overload) says 1 or 3, then the sname field if it says 2 or 3 -- before
 * parsing, so an entry may straddle instances. The decoder is a push parser
 * (BearSSL idiom): instances are fed as found, nothing is copied or
 * allocated, so a list of any length needs no buffer. The message must be a
 * BOOTREPLY with the magic cookie; every option must fit inside its area;
 * PAD (0) is skipped; END (255) ends an area, and an area may also simply
 * run out at an option boundary (END is a MUST in RFC 2131, but what matters
 * for safety is only that nothing overruns). Option 52 must appear at most
 * once, in the options field, with length 1 and value 1..3.
 *
 * DHCPv6 (RFC 8415): a client-facing Advertise or Reply (msg-type, 3-octet
 * transaction-id, options); option 136 is taken from the top-level options
 * only and is a singleton (R68): a second instance makes the message
 * malformed. Relay messages are not handled (the client never sees them).
 *
 * BusyBox udhcpc (R71) exports an option it has no name for to its script
 * as "opt143=<hex>" (fill_envp(): sprintf "opt%u=", then bin2hex, lowercase,
 * no separators). dhcpv4_sztp_from_hex() takes that value; upper case is
 * accepted too. Debian's BusyBox 1.35 does concatenate split instances
 * (tests/suites/74-dhcp.sh), but it asks for messages of at most 576
 * octets (option 57) and ignores larger replies: a long list is left out
 * entirely (opt143 empty) or the lease fails. So the hex is a fallback;
 * sztpboot's own DHCPINFORM (dhcp_client.h) reads the full reply, and
 * dhcpv4_sztp_option() on it satisfies R67.
 *
 * All functions return 0, or -1 (with a one-line reason in e for those that
 * take one). On -1 the output is cleared. No reader looks outside its input.
 */
#ifndef SZTP_DHCP_SZTP_H
#define SZTP_DHCP_SZTP_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

#define DHCPV4_OPTION_SZTP_REDIRECT 143 /* RFC 8572 8.1 */
#define DHCPV6_OPTION_SZTP_REDIRECT 136 /* RFC 8572 8.2 */
#define SZTP_MAX_BOOTSTRAP_SERVERS 32
/* Longest URI that can be valid: "https://" + 253-octet name + ":65535/". */
#define SZTP_URI_MAX (8 + 253 + 6 + 1)

struct bootstrap_server_uri {
	char host[256]; /* DNS name, IPv4 literal, or IPv6 literal without brackets */
	int is_ipv6;
	uint16_t port; /* 443 when absent (RFC 8572 6.3 default) */
};

struct bootstrap_server_list {
	struct bootstrap_server_uri server[SZTP_MAX_BOOTSTRAP_SERVERS];
	size_t n;
	size_t skipped; /* invalid entries ignored (R65), a truncated last one included */
	size_t excess;  /* valid entries beyond SZTP_MAX_BOOTSTRAP_SERVERS, dropped */
};

/* One URI of the form above; len octets, need not be NUL-terminated. */
int sztp_uri_parse(const char *s, size_t len, struct bootstrap_server_uri *out);

/* A whole bootstrap-server-list (the data of option 143 or 136). */
int sztp_server_list_decode(const uint8_t *p, size_t len, struct bootstrap_server_list *out,
			    struct errbuf *e);

/*
 * The same as a push parser: init, push the data in any number of pieces
 * (an entry may straddle pieces), finish. out is filled as entries complete;
 * finish returns -1 (and clears out) when no valid entry remains.
 */
struct sztp_server_list_decoder {
	struct bootstrap_server_list *out;
	int state;        /* 0: length high octet, 1: length low octet, 2: URI */
	size_t ulen;      /* uri-length of the entry being read */
	size_t have;      /* its octets read so far */
	char uri[SZTP_URI_MAX];
};
void sztp_server_list_init(struct sztp_server_list_decoder *d, struct bootstrap_server_list *out);
void sztp_server_list_push(struct sztp_server_list_decoder *d, const uint8_t *p, size_t len);
int sztp_server_list_finish(struct sztp_server_list_decoder *d, struct errbuf *e);

/*
 * Every option instance of a DHCPv4 message (BOOTP fixed part, magic
 * cookie, options), in the order RFC 3396 concatenates them: the options
 * field, then file, then sname, as option 52 says (RFC 2131 4.1; only in
 * the options field, once, value 1..3). fn sees each instance but PAD and
 * END; a negative return stops the walk and is returned. -1 with the
 * reason in e if an option overruns its field or option 52 is malformed.
 */
typedef int (*dhcpv4_option_fn)(unsigned code, const uint8_t *val, size_t len, void *arg,
				 struct errbuf *e);
int dhcpv4_options_walk(const uint8_t *msg, size_t len, dhcpv4_option_fn fn, void *arg,
			struct errbuf *e);

/* DHCPv4 message (BOOTP fixed part, magic cookie, options): option 143. */
int dhcpv4_sztp_option(const uint8_t *msg, size_t len, struct bootstrap_server_list *out,
		       struct errbuf *e);

/* udhcpc's "opt143" environment value: the option data in hex. */
int dhcpv4_sztp_from_hex(const char *hex, struct bootstrap_server_list *out, struct errbuf *e);

/* DHCPv6 Advertise or Reply message: option 136. */
int dhcpv6_sztp_option(const uint8_t *msg, size_t len, struct bootstrap_server_list *out,
		       struct errbuf *e);

#endif
