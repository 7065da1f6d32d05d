/* DHCPINFORM and DHCPv6 Information-request: see dhcp_client.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp_client.h"
#include "hex.h"

/* RFC 2131 2, 3; RFC 2132 */
#define BOOTREQUEST      1
#define BOOTREPLY        2
#define HTYPE_ETHERNET   1
#define BOOTP_FIXED_LEN  236
#define BOOTP_CHADDR_OFF 28
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define OPT_DNS          6
#define OPT_DOMAIN       15
#define OPT_MSG_TYPE     53
#define OPT_SERVER_ID    54
#define OPT_PRL          55
#define OPT_MAX_SIZE     57
#define OPT_CLIENT_ID    61
#define OPT_END          255
#define DHCPACK          5
#define DHCPNAK          6
#define DHCPINFORM       8
static const uint8_t cookie[4] = { 99, 130, 83, 99 };

/* RFC 8415 7, 21 */
#define DHCP6_CLIENT_PORT     546
#define DHCP6_SERVER_PORT     547
#define DHCP6_REPLY           7
#define DHCP6_INFO_REQUEST    11
#define OPT6_CLIENTID         1
#define OPT6_SERVERID         2
#define OPT6_ORO              6
#define OPT6_ELAPSED_TIME     8
#define OPT6_DNS_SERVERS      23  /* RFC 3646 */
#define OPT6_DOMAIN_LIST      24
#define OPT6_INFO_REFRESH     32  /* RFC 8415 21.23 */
#define OPT6_INF_MAX_RT       83  /* RFC 8415 21.25 */
#define DUID_LL               3
#define INF_TIMEOUT_MS        1000 /* RFC 8415 7.6 */

#define RECV_MAX 4096 /* larger datagrams are cut (MSG_TRUNC) and ignored */

/* --- small helpers ------------------------------------------------------ */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Transaction ids only need to be unguessable enough to not collide. */
static uint32_t xid_new(void)
{
	uint32_t v;
	struct timespec ts;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec * 2654435761u ^ (uint32_t)getpid();
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* A name we may put in a /sys or /run path and hand to SO_BINDTODEVICE. */
static int ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '/')
			return 0;
	return 1;
}

/*
 * A domain name in text: labels of 1..63 letters, digits, '-' or '_', 253
 * octets at most (RFC 1035 2.3.4). '_' is allowed because search domains
 * are not host names. Anything else from DHCP is dropped, not repaired.
 */
static int domain_ok(const char *s, size_t n)
{
	size_t lab = 0;

	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)s[i] : '.';

		if (c == '.') {
			if (lab == 0 || lab > 63)
				return 0;
			lab = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-' || c == '_') {
			lab++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Keep a name from DHCP if it is one (an optional trailing dot dropped). */
static void domain_take(char *dst, const char *s, size_t n)
{
	dst[0] = '\0';
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (domain_ok(s, n)) {
		memcpy(dst, s, n);
		dst[n] = '\0';
	}
}

int dhcp_if_mac(const char *ifname, uint8_t mac[6], struct errbuf *e)
{
	char path[64], text[64];
	ssize_t n;
	int fd;

	if (!ifname_ok(ifname))
		return errf(e, "bad interface name `%.*s'", IF_NAMESIZE, ifname);
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "%s: %s", path, strerror(errno));
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return errf(e, "%s: %s", path, strerror(errno));
	/* "xx:xx:xx:xx:xx:xx\n": anything else is not Ethernet-like. */
	if (n != 18 || text[17] != '\n')
		return errf(e, "%s: not a 6-octet hardware address", ifname);
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit((unsigned char)text[3 * i]);
		int lo = hex_digit((unsigned char)text[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && text[3 * i + 2] != ':'))
			return errf(e, "%s: not a 6-octet hardware address", ifname);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* --- lease4 files --------------------------------------------------------- */

enum { K_INTERFACE, K_IP, K_SUBNET, K_ROUTER, K_DNS, K_DOMAIN, K_SERVERID, K_LEASE, K_OPT143 };
static const char *const lease_key[] = {
	"interface", "ip", "subnet", "router", "dns", "domain", "serverid", "lease", "opt143",
};
#define NKEYS (sizeof(lease_key) / sizeof(lease_key[0]))

static int addr4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

/* Not 0.0.0.0/8, multicast or 255.255.255.255. */
static int unicast4(struct in_addr a)
{
	uint32_t v = ntohl(a.s_addr);

	return (v >> 24) != 0 && !IN_MULTICAST(v) && v != INADDR_BROADCAST;
}

/* Space-separated addresses; the first max are kept, the rest checked. */
static int addr4_list(char *s, struct in_addr *a, size_t max, size_t *n)
{
	char *tok, *save = NULL;
	struct in_addr x;

	*n = 0;
	for (tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (addr4(tok, &x) < 0)
			return -1;
		if (*n < max)
			a[(*n)++] = x;
	}
	return 0;
}

/* Dotted netmask (ones, then zeros) or a prefix length 0..32. */
static int netmask(const char *s, struct in_addr *m)
{
	uint32_t inv;
	unsigned long bits;
	char *end;

	if (strchr(s, '.')) {
		if (addr4(s, m) < 0)
			return -1;
		inv = ~ntohl(m->s_addr);
		return (inv & (inv + 1)) == 0 ? 0 : -1;
	}
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	bits = strtoul(s, &end, 10);
	if (*end || errno || bits > 32)
		return -1;
	m->s_addr = htonl(bits == 0 ? 0 : 0xffffffffu << (32 - bits));
	return 0;
}

static int key_value(struct lease4 *l, unsigned k, char *v)
{
	unsigned long n;
	char *end;
	size_t len = strlen(v);

	switch (k) {
	case K_INTERFACE:
		if (!ifname_ok(v))
			return -1;
		memcpy(l->ifname, v, len + 1);
		return 0;
	case K_IP: /* a unicast address: we send from it */
		if (addr4(v, &l->ip) < 0)
			return -1;
		return unicast4(l->ip) ? 0 : -1;
	case K_SUBNET:
		return len == 0 ? 0 : netmask(v, &l->subnet);
	case K_ROUTER:
		return addr4_list(v, l->router, DHCP_ROUTERS_MAX, &l->nrouter);
	case K_DNS:
		return addr4_list(v, l->dns, DHCP_DNS_MAX, &l->ndns);
	case K_DOMAIN:
		/* DHCP data, not ours: a value that is no DNS name is dropped. */
		domain_take(l->domain, v, len);
		return 0;
	case K_SERVERID:
		if (len == 0)
			return 0;
		if (addr4(v, &l->serverid) < 0)
			return -1;
		/* One we cannot unicast to is as good as none: broadcast only. */
		l->has_serverid = unicast4(l->serverid);
		return 0;
	case K_LEASE:
		if (len == 0)
			return 0;
		if (v[0] < '0' || v[0] > '9')
			return -1;
		errno = 0;
		n = strtoul(v, &end, 10);
		if (*end || errno || n > 0xffffffffu)
			return -1;
		l->lease_s = n;
		return 0;
	case K_OPT143:
		if (len % 2 || len > 2 * LEASE4_OPT143_MAX)
			return -1;
		for (size_t i = 0; i < len; i++)
			if (hex_digit((unsigned char)v[i]) < 0)
				return -1;
		memcpy(l->opt143, v, len + 1);
		return 0;
	}
	return -1;
}

int lease4_parse(const char *text, size_t len, struct lease4 *l, struct errbuf *e)
{
	char v[2 * LEASE4_OPT143_MAX + 2];
	unsigned seen = 0, lineno = 0;
	size_t i = 0;

	memset(l, 0, sizeof(*l));
	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i), *eq;
		size_t n = nl ? (size_t)(nl - line) : len - i, klen;
		unsigned k;

		lineno++;
		i += n + (nl != NULL);
		for (size_t j = 0; j < n; j++)
			if ((unsigned char)line[j] < 0x20 || (unsigned char)line[j] >= 0x7f)
				goto bad_char;
		eq = memchr(line, '=', n);
		if (!eq)
			goto fail_line;
		klen = (size_t)(eq - line);
		for (k = 0; k < NKEYS; k++)
			if (strlen(lease_key[k]) == klen && !memcmp(line, lease_key[k], klen))
				break;
		if (k == NKEYS) {
			errf(e, "line %u: unknown key `%.*s'", lineno, (int)(klen > 32 ? 32 : klen), line);
			goto fail;
		}
		if (seen & 1u << k) {
			errf(e, "line %u: `%s' given twice", lineno, lease_key[k]);
			goto fail;
		}
		seen |= 1u << k;
		if (n - klen - 1 >= sizeof(v)) {
			errf(e, "line %u: `%s' value too long", lineno, lease_key[k]);
			goto fail;
		}
		memcpy(v, eq + 1, n - klen - 1);
		v[n - klen - 1] = '\0';
		if (key_value(l, k, v) < 0) {
			errf(e, "line %u: bad %s `%.40s'", lineno, lease_key[k], v);
			goto fail;
		}
	}
	if (!(seen & 1u << K_INTERFACE) || !(seen & 1u << K_IP)) {
		errf(e, "no `%s'", seen & 1u << K_INTERFACE ? "ip" : "interface");
		goto fail;
	}
	return 0;
bad_char:
	errf(e, "line %u: control or non-ASCII character", lineno);
	goto fail;
fail_line:
	errf(e, "line %u: not key=value", lineno);
fail:
	memset(l, 0, sizeof(*l));
	return -1;
}

int lease4_load(const char *path, struct lease4 *l, struct errbuf *e)
{
	char buf[LEASE4_FILE_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int fd;

	memset(l, 0, sizeof(*l));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "%s: %s", path, strerror(errno));
	/* One octet more than allowed: a longer file is refused, not cut. */
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errf(e, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	if (len > LEASE4_FILE_MAX)
		return errf(e, "%s: larger than %d octets", path, LEASE4_FILE_MAX);
	if (lease4_parse(buf, len, l, e) < 0) {
		char pre[96];

		snprintf(pre, sizeof(pre), "%.80s: ", path);
		return e ? errwrap(e, pre, "") : -1;
	}
	return 0;
}

/* --- DHCPv4 --------------------------------------------------------------- */

size_t dhcp4_inform_build(uint8_t *buf, size_t cap, uint32_t xid, uint16_t secs,
			  const uint8_t mac[6], struct in_addr ciaddr)
{
	/* R62: 143 in the Parameter Request List; 6 and 15 for the DNS source. */
	static const uint8_t prl[] = { OPT_DNS, OPT_DOMAIN, DHCPV4_OPTION_SZTP_REDIRECT };
	size_t i = BOOTP_FIXED_LEN;

	if (cap < DHCP4_INFORM_LEN)
		return 0;
	memset(buf, 0, DHCP4_INFORM_LEN);
	buf[0] = BOOTREQUEST;
	buf[1] = HTYPE_ETHERNET;
	buf[2] = 6;
	buf[4] = (uint8_t)(xid >> 24);
	buf[5] = (uint8_t)(xid >> 16);
	buf[6] = (uint8_t)(xid >> 8);
	buf[7] = (uint8_t)xid;
	put16(buf + 8, secs);
	/* flags 0: the server unicasts to ciaddr (RFC 2131 4.3.5) */
	memcpy(buf + 12, &ciaddr.s_addr, 4);
	memcpy(buf + BOOTP_CHADDR_OFF, mac, 6);
	memcpy(buf + i, cookie, 4);
	i += 4;
	buf[i++] = OPT_MSG_TYPE;
	buf[i++] = 1;
	buf[i++] = DHCPINFORM;
	/* The same client identifier udhcpc sends, so the server sees one client. */
	buf[i++] = OPT_CLIENT_ID;
	buf[i++] = 7;
	buf[i++] = HTYPE_ETHERNET;
	memcpy(buf + i, mac, 6);
	i += 6;
	buf[i++] = OPT_PRL;
	buf[i++] = sizeof(prl);
	memcpy(buf + i, prl, sizeof(prl));
	i += sizeof(prl);
	buf[i++] = OPT_MAX_SIZE;
	buf[i++] = 2;
	put16(buf + i, DHCP4_MAX_MESSAGE);
	i += 2;
	buf[i++] = OPT_END;
	return DHCP4_INFORM_LEN; /* zero padding to the BOOTP minimum */
}

/* Options of a reply we want, each instance concatenated (RFC 3396). */
struct v4_want {
	unsigned code;
	uint8_t *buf;
	size_t cap;
	size_t len;  /* octets of all instances; more than cap means cut */
	int found;
};

struct v4_wants {
	struct v4_want *w;
	size_t n;
};

/* Every instance of a wanted option, concatenated (RFC 3396), cut at cap. */
static int take_wanted(unsigned code, const uint8_t *val, size_t len, void *arg, struct errbuf *e)
{
	struct v4_wants *ws = arg;

	(void)e;
	for (size_t k = 0; k < ws->n; k++) {
		struct v4_want *w = &ws->w[k];

		if (w->code != code)
			continue;
		if (w->len < w->cap) {
			size_t take = w->cap - w->len;

			memcpy(w->buf + w->len, val, len < take ? len : take);
		}
		w->len += len;
		w->found = 1;
	}
	return 0;
}

int dhcp4_ack_parse(const uint8_t *msg, size_t len, uint32_t xid, const uint8_t mac[6],
		    struct dhcp4_info *out, struct errbuf *e)
{
	uint8_t type = 0, sid[4], dns[4 * DHCP_DNS_MAX], dom[DHCP_NAME_MAX], s143;
	struct v4_want w[] = {
		{ OPT_MSG_TYPE, &type, 1, 0, 0 },
		{ OPT_SERVER_ID, sid, 4, 0, 0 },
		{ OPT_DNS, dns, sizeof(dns), 0, 0 },
		{ OPT_DOMAIN, dom, sizeof(dom), 0, 0 },
		{ DHCPV4_OPTION_SZTP_REDIRECT, &s143, 0, 0, 0 },
	};
	struct v4_wants ws = { w, sizeof(w) / sizeof(w[0]) };
	struct errbuf e143 = { 0 };

	memset(out, 0, sizeof(*out));
	if (len < BOOTP_FIXED_LEN + 4 || msg[0] != BOOTREPLY ||
	    get16(msg + 4) != (xid >> 16) || get16(msg + 6) != (xid & 0xffff) ||
	    memcmp(msg + BOOTP_CHADDR_OFF, mac, 6) != 0 || memcmp(msg + BOOTP_FIXED_LEN, cookie, 4) != 0)
		return 1;
	if (dhcpv4_options_walk(msg, len, take_wanted, &ws, e) < 0)
		return -1;
	if (w[0].len != 1)
		return 1; /* a BOOTP reply, or nonsense: not for us */
	if (type == DHCPNAK)
		return errf(e, "DHCPNAK");
	if (type != DHCPACK)
		return 1;

	if (w[1].len == 4)
		memcpy(&out->server.s_addr, sid, 4);
	/* Option 6: a multiple of 4 octets (RFC 2132 3.8); anything else is ignored. */
	if (w[2].found && w[2].len % 4 == 0 && w[2].len > 0) {
		out->ndns = w[2].len / 4 < DHCP_DNS_MAX ? w[2].len / 4 : DHCP_DNS_MAX;
		memcpy(out->dns, dns, 4 * out->ndns);
	}
	if (w[3].found && w[3].len < sizeof(dom)) {
		size_t n = w[3].len;

		while (n > 0 && dom[n - 1] == 0) /* some servers NUL-terminate it */
			n--;
		domain_take(out->domain, (const char *)dom, n);
	}
	if (w[4].found) {
		if (dhcpv4_sztp_option(msg, len, &out->servers, &e143) == 0) {
			out->sztp = DHCP_SZTP_OK;
		} else {
			out->sztp = DHCP_SZTP_DISCARDED;
			snprintf(out->why, sizeof(out->why), "%s", e143.msg);
		}
	}
	return 0;
}

/*
 * Wait until `until' (monotonic ms) for one datagram. Returns its length,
 * 0 on timeout, -1 on a socket error (errno set). Cut datagrams are
 * dropped here: nothing valid is that large.
 */
static ssize_t recv_until(int fd, uint64_t until, uint8_t *buf, size_t cap,
			  struct sockaddr_storage *from)
{
	for (;;) {
		uint64_t t = now_ms();
		struct pollfd pfd = { fd, POLLIN, 0 };
		socklen_t flen = sizeof(*from);
		ssize_t n;
		int r;

		if (t >= until)
			return 0;
		r = poll(&pfd, 1, until - t > INT_MAX ? INT_MAX : (int)(until - t));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		n = recvfrom(fd, buf, cap, MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)from, &flen);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return -1;
		if ((size_t)n <= cap && n > 0)
			return n;
	}
}

/* A UDP socket on ifname, address reuse on: see the header on port 68. */
static int udp_socket(int family, const char *ifname, struct errbuf *e)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return errf(e, "socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0) {
		errf(e, "%s: socket options: %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int dhcp4_inform(const struct lease4 *l, unsigned timeout_ms, struct dhcp4_info *out,
		 struct errbuf *e)
{
	uint8_t req[DHCP4_INFORM_LEN], mac[6], buf[RECV_MAX];
	struct sockaddr_in me = { 0 }, srv = { 0 }, bcast = { 0 };
	struct sockaddr_storage from;
	struct errbuf bad = { 0 }, sendfail = { 0 }, pe;
	uint64_t start, deadline, next;
	uint32_t xid = xid_new();
	unsigned round = 0;
	int fd, one = 1, rc = -1;
	char ip[INET_ADDRSTRLEN];

	memset(out, 0, sizeof(*out));
	if (dhcp_if_mac(l->ifname, mac, e) < 0)
		return -1;
	inet_ntop(AF_INET, &l->ip, ip, sizeof(ip));
	fd = udp_socket(AF_INET, l->ifname, e);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0) {
		errf(e, "%s: SO_BROADCAST: %s", l->ifname, strerror(errno));
		goto out;
	}
	me.sin_family = AF_INET;
	me.sin_port = htons(DHCP_CLIENT_PORT);
	me.sin_addr = l->ip;
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		errf(e, "%s: bind %s:%d: %s", l->ifname, ip, DHCP_CLIENT_PORT, strerror(errno));
		goto out;
	}
	srv.sin_family = bcast.sin_family = AF_INET;
	srv.sin_port = bcast.sin_port = htons(DHCP_SERVER_PORT);
	srv.sin_addr = l->serverid;
	bcast.sin_addr.s_addr = htonl(INADDR_BROADCAST);

	/*
	 * Three rounds, at 0, 1/3 and 2/3 of the timeout, one xid for all (a
	 * late answer to an early round still counts): first unicast to the
	 * server identifier (RFC 2131 4.4.3 allows either), then broadcast as
	 * well, for a server that is not the one named or not reachable.
	 */
	start = now_ms();
	deadline = start + timeout_ms;
	next = start;
	for (;;) {
		uint64_t t = now_ms(), until;
		ssize_t n;
		int r;

		if (t >= deadline)
			break;
		if (t >= next && round < 3) {
			size_t len = dhcp4_inform_build(req, sizeof(req), xid,
							(uint16_t)((t - start) / 1000), mac, l->ip);

			if (l->has_serverid &&
			    sendto(fd, req, len, 0, (struct sockaddr *)&srv, sizeof(srv)) < 0)
				errf(&sendfail, "send to %s: %s", inet_ntoa(l->serverid), strerror(errno));
			if ((!l->has_serverid || round > 0) &&
			    sendto(fd, req, len, 0, (struct sockaddr *)&bcast, sizeof(bcast)) < 0)
				errf(&sendfail, "broadcast: %s", strerror(errno));
			round++;
			next = start + (uint64_t)timeout_ms * round / 3;
		}
		until = round < 3 && next < deadline ? next : deadline;
		n = recv_until(fd, until, buf, sizeof(buf), &from);
		if (n < 0) {
			errf(e, "%s: receive: %s", l->ifname, strerror(errno));
			goto out;
		}
		if (n == 0)
			continue;
		pe.set = 0;
		r = dhcp4_ack_parse(buf, (size_t)n, xid, mac, out, &pe);
		if (r == 0) {
			if (out->server.s_addr == 0 && from.ss_family == AF_INET)
				out->server = ((struct sockaddr_in *)&from)->sin_addr;
			rc = 0;
			goto out;
		}
		if (r < 0) /* keep waiting; the latest bad answer is the one reported */
			bad = pe;
	}
	if (bad.set || sendfail.set)
		errf(e, "%s: DHCPINFORM from %s: no usable DHCPACK in %u ms (%s)", l->ifname, ip,
		     timeout_ms, bad.set ? bad.msg : sendfail.msg);
	else
		errf(e, "%s: DHCPINFORM from %s: no DHCPACK in %u ms", l->ifname, ip, timeout_ms);
out:
	close(fd);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* --- DHCPv6 --------------------------------------------------------------- */

void dhcp6_duid_ll(const uint8_t mac[6], uint8_t duid[DHCP6_DUID_LL_LEN])
{
	put16(duid, DUID_LL);
	put16(duid + 2, HTYPE_ETHERNET); /* hardware type, RFC 826 numbers */
	memcpy(duid + 4, mac, 6);
}

static uint8_t *opt6(uint8_t *p, unsigned code, const void *data, size_t len)
{
	put16(p, code);
	put16(p + 2, (unsigned)len);
	memcpy(p + 4, data, len);
	return p + 4 + len;
}

size_t dhcp6_inforeq_build(uint8_t *buf, size_t cap, uint32_t xid, uint16_t elapsed_cs,
			   const uint8_t duid[DHCP6_DUID_LL_LEN])
{
	/*
	 * RFC 8415 18.2.6, 21.7: the ORO asks for INF_MAX_RT and what we use;
	 * R63: 136. Information Refresh Time too, which a server may send
	 * only when asked (21.23).
	 */
	static const unsigned oro[] = {
		DHCPV6_OPTION_SZTP_REDIRECT, OPT6_DNS_SERVERS, OPT6_DOMAIN_LIST,
		OPT6_INFO_REFRESH, OPT6_INF_MAX_RT,
	};
	uint8_t o[2 * sizeof(oro) / sizeof(oro[0])], el[2], *p = buf;
	const size_t need = 4 + (4 + DHCP6_DUID_LL_LEN) + (4 + sizeof(el)) + (4 + sizeof(o));

	if (cap < need)
		return 0;
	for (size_t i = 0; i < sizeof(oro) / sizeof(oro[0]); i++)
		put16(o + 2 * i, oro[i]);
	put16(el, elapsed_cs);
	*p++ = DHCP6_INFO_REQUEST;
	*p++ = (uint8_t)(xid >> 16);
	*p++ = (uint8_t)(xid >> 8);
	*p++ = (uint8_t)xid;
	/* 18.2.6: a Client Identifier SHOULD be sent, Elapsed Time MUST. */
	p = opt6(p, OPT6_CLIENTID, duid, DHCP6_DUID_LL_LEN);
	p = opt6(p, OPT6_ELAPSED_TIME, el, sizeof(el));
	p = opt6(p, OPT6_ORO, o, sizeof(o));
	return (size_t)(p - buf);
}

/* OPTION_DOMAIN_LIST: uncompressed DNS wire-format names (RFC 8415 10). */
static void v6_domains(const uint8_t *p, size_t n, struct dhcp6_info *out)
{
	size_t i = 0;

	while (i < n && out->ndomains < DHCP_DOMAINS_MAX) {
		char name[DHCP_NAME_MAX];
		size_t k = 0;
		int fits = 1;

		for (;;) {
			unsigned ll;

			if (i >= n)
				return; /* a cut name: the rest is unusable */
			ll = p[i++];
			if (ll == 0)
				break;
			if (ll > 63 || ll > n - i)
				return; /* compression pointer, or overrun */
			if (k + (k > 0) + ll >= sizeof(name)) {
				fits = 0;
			} else {
				if (k > 0)
					name[k++] = '.';
				memcpy(name + k, p + i, ll);
				k += ll;
			}
			i += ll;
		}
		if (fits && k > 0 && domain_ok(name, k)) {
			memcpy(out->domain[out->ndomains], name, k);
			out->domain[out->ndomains++][k] = '\0';
		}
	}
}

int dhcp6_reply_parse(const uint8_t *msg, size_t len, uint32_t xid,
		      const uint8_t duid[DHCP6_DUID_LL_LEN], struct dhcp6_info *out,
		      struct errbuf *e)
{
	struct errbuf e136 = { 0 };
	int server = 0, has136 = 0;
	size_t i = 4;

	memset(out, 0, sizeof(*out));
	if (len < 4 || msg[0] != DHCP6_REPLY ||
	    ((uint32_t)msg[1] << 16 | (uint32_t)msg[2] << 8 | msg[3]) != (xid & 0xffffff))
		return 1;
	while (i < len) {
		unsigned code, olen;

		if (len - i < 4)
			return errf(e, "DHCPv6 Reply: option header cut at offset %zu", i);
		code = get16(msg + i);
		olen = get16(msg + i + 2);
		if (olen > len - i - 4)
			return errf(e, "DHCPv6 Reply: option %u overruns it", code);
		switch (code) {
		case OPT6_CLIENTID: /* 16.10: not our DUID, not our Reply */
			if (olen != DHCP6_DUID_LL_LEN || memcmp(msg + i + 4, duid, olen) != 0)
				return 1;
			break;
		case OPT6_SERVERID:
			server = 1;
			break;
		case OPT6_DNS_SERVERS: /* RFC 3646 3: a multiple of 16 octets */
			if (olen % 16 == 0 && out->ndns == 0) {
				out->ndns = olen / 16 < DHCP_DNS_MAX ? olen / 16 : DHCP_DNS_MAX;
				memcpy(out->dns, msg + i + 4, 16 * out->ndns);
			}
			break;
		case OPT6_DOMAIN_LIST:
			if (out->ndomains == 0)
				v6_domains(msg + i + 4, olen, out);
			break;
		case DHCPV6_OPTION_SZTP_REDIRECT:
			has136 = 1;
			break;
		}
		i += 4 + olen;
	}
	if (!server) { /* 16.10: a Reply without a Server Identifier is discarded */
		memset(out, 0, sizeof(*out));
		return 1;
	}
	if (has136) {
		if (dhcpv6_sztp_option(msg, len, &out->servers, &e136) == 0) {
			out->sztp = DHCP_SZTP_OK;
		} else {
			out->sztp = DHCP_SZTP_DISCARDED;
			snprintf(out->why, sizeof(out->why), "%s", e136.msg);
		}
	}
	return 0;
}

/* 1 and the first link-local address of ifname, 0 if it has none yet. */
static int link_local(const char *ifname, struct in6_addr *a)
{
	struct ifaddrs *all, *p;
	int found = 0;

	if (getifaddrs(&all) < 0)
		return 0;
	for (p = all; p && !found; p = p->ifa_next) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)p->ifa_addr;

		if (s && s->sin6_family == AF_INET6 && !strcmp(p->ifa_name, ifname) &&
		    IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr)) {
			*a = s->sin6_addr;
			found = 1;
		}
	}
	freeifaddrs(all);
	return found;
}

static int ipv6_disabled(const char *ifname)
{
	char path[80], c = '0';
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT; /* no such directory: no IPv6 on it */
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

int dhcp6_info_request(const char *ifname, unsigned timeout_ms, struct dhcp6_info *out,
		       struct errbuf *e)
{
	uint8_t mac[6], duid[DHCP6_DUID_LL_LEN], req[64], buf[RECV_MAX];
	struct sockaddr_in6 me = { 0 }, all = { 0 };
	struct sockaddr_storage from;
	struct errbuf bad = { 0 }, pe;
	uint64_t start = now_ms(), deadline = start + timeout_ms, first = 0, next;
	uint32_t xid = xid_new() & 0xffffff;
	unsigned ifindex, rt;
	int fd = -1, rc = -1, hops = 1;
	char ll[INET6_ADDRSTRLEN];

	memset(out, 0, sizeof(*out));
	if (dhcp_if_mac(ifname, mac, e) < 0)
		return -1;
	dhcp6_duid_ll(mac, duid);
	ifindex = if_nametoindex(ifname);
	if (ifindex == 0)
		return errf(e, "%s: %s", ifname, strerror(errno));
	if (ipv6_disabled(ifname))
		return errf(e, "%s: IPv6 is disabled", ifname);

	/* The link-local address appears when the link comes up ... */
	while (!link_local(ifname, &me.sin6_addr)) {
		if (now_ms() + 100 > deadline)
			return errf(e, "%s: no IPv6 link-local address after %u ms", ifname, timeout_ms);
		sleep_ms(100);
	}
	inet_ntop(AF_INET6, &me.sin6_addr, ll, sizeof(ll));
	fd = udp_socket(AF_INET6, ifname, e);
	if (fd < 0)
		return -1;
	me.sin6_family = AF_INET6;
	me.sin6_port = htons(DHCP6_CLIENT_PORT);
	me.sin6_scope_id = ifindex;
	/* ... and cannot be bound while tentative (duplicate address detection). */
	while (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		if (errno != EADDRNOTAVAIL) {
			errf(e, "%s: bind [%s]:%d: %s", ifname, ll, DHCP6_CLIENT_PORT, strerror(errno));
			goto out;
		}
		if (now_ms() + 100 > deadline) {
			errf(e, "%s: [%s] still tentative (duplicate address detection) after %u ms",
			     ifname, ll, timeout_ms);
			goto out;
		}
		sleep_ms(100);
	}
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0) {
		errf(e, "%s: multicast options: %s", ifname, strerror(errno));
		goto out;
	}
	all.sin6_family = AF_INET6;
	all.sin6_port = htons(DHCP6_SERVER_PORT);
	all.sin6_scope_id = ifindex;
	inet_pton(AF_INET6, "ff02::1:2", &all.sin6_addr); /* All_DHCP_Relay_Agents_and_Servers */

	/*
	 * RFC 8415 15: retransmit after RT, doubling, one xid throughout.
	 * INF_TIMEOUT (1 s) is shortened to a third of a short timeout so
	 * that there are retransmissions at all; the random initial delay of
	 * 18.2.6 is left out, as provisioning rounds already space devices.
	 */
	rt = timeout_ms / 3 < INF_TIMEOUT_MS ? timeout_ms / 3 : INF_TIMEOUT_MS;
	if (rt == 0)
		rt = 1;
	next = now_ms();
	for (;;) {
		uint64_t t = now_ms();
		ssize_t n;
		int r;

		if (t >= deadline)
			break;
		if (t >= next) {
			uint64_t cs = first ? (t - first) / 10 : 0;
			size_t len;

			if (!first)
				first = t;
			len = dhcp6_inforeq_build(req, sizeof(req), xid,
						  (uint16_t)(cs > 0xffff ? 0xffff : cs), duid);
			if (sendto(fd, req, len, 0, (struct sockaddr *)&all, sizeof(all)) < 0 && !bad.set)
				errf(&bad, "send: %s", strerror(errno));
			next = t + rt;
			rt *= 2;
		}
		n = recv_until(fd, next < deadline ? next : deadline, buf, sizeof(buf), &from);
		if (n < 0) {
			errf(e, "%s: receive: %s", ifname, strerror(errno));
			goto out;
		}
		if (n == 0)
			continue;
		pe.set = 0;
		r = dhcp6_reply_parse(buf, (size_t)n, xid, duid, out, &pe);
		if (r == 0) {
			rc = 0;
			goto out;
		}
		if (r < 0)
			bad = pe;
	}
	if (bad.set)
		errf(e, "%s: Information-request from [%s]: no usable Reply in %u ms (%s)", ifname, ll,
		     timeout_ms, bad.msg);
	else
		errf(e, "%s: Information-request from [%s]: no Reply in %u ms", ifname, ll, timeout_ms);
out:
	close(fd);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
