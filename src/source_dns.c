/* DNS as a bootstrapping source, RFC 8572 4.2: see source_dns.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "readfile.h"
#include "netaddr.h"
#include "source_dns.h"

#define RESOLV_CONF_MAX (64 * 1024)

/* --- configuration --------------------------------------------------------- */

void dns_config_init(struct dns_config *cfg)
{
	struct sockaddr_in *m = (struct sockaddr_in *)(void *)&cfg->mdns_addr.addr;

	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = 2000;
	cfg->attempts = 2;
	cfg->mdns = 1;
	cfg->mdns_window_ms = 1000;
	m->sin_family = AF_INET;
	m->sin_port = htons(MDNS_PORT);
	m->sin_addr.s_addr = htonl(0xe00000fb); /* 224.0.0.251, RFC 6762 3 */
	cfg->mdns_addr.len = sizeof(*m);
}

int dns_server_parse(const char *s, struct dns_server *out, struct errbuf *e)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&out->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&out->addr;
	const char *h = s, *port = NULL, *colon = strchr(s, ':');
	char host[INET6_ADDRSTRLEN];
	size_t hlen = strlen(s);
	unsigned long p = DNS_PORT;

	memset(out, 0, sizeof(*out));
	if (s[0] == '[') { /* "[v6]" or "[v6]:port" */
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			goto bad;
		h = s + 1;
		hlen = (size_t)(close - h);
		port = close[1] ? close + 2 : NULL;
	} else if (colon && !strchr(colon + 1, ':')) { /* one ':' -- "v4:port" */
		hlen = (size_t)(colon - s);
		port = colon + 1;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (port) {
		char *end;

		if (port[0] < '0' || port[0] > '9')
			goto bad;
		errno = 0;
		p = strtoul(port, &end, 10);
		if (*end || errno || p == 0 || p > 65535)
			goto bad;
	}
	if (s[0] != '[' && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		out->len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		out->len = sizeof(*v6);
		return 0;
	}
bad:
	memset(out, 0, sizeof(*out));
	return errf(e, "bad DNS server address `%s'", s);
}

int dns_config_add_server(struct dns_config *cfg, const char *s, struct errbuf *e)
{
	if (cfg->nservers == DNS_SERVERS_MAX)
		return errf(e, "more than %d DNS servers", DNS_SERVERS_MAX);
	if (dns_server_parse(s, &cfg->server[cfg->nservers], e) < 0)
		return -1;
	cfg->nservers++;
	return 0;
}

int dns_config_add_domain(struct dns_config *cfg, const char *domain, struct errbuf *e)
{
	size_t n = strlen(domain);

	if (n > 0 && domain[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(cfg->domain[0]))
		return errf(e, "bad DNS domain `%s'", domain);
	if (cfg->ndomains == DNS_DOMAINS_MAX)
		return errf(e, "more than %d DNS domains", DNS_DOMAINS_MAX);
	memcpy(cfg->domain[cfg->ndomains], domain, n);
	cfg->domain[cfg->ndomains++][n] = '\0';
	return 0;
}

int dns_config_from_resolv_conf(const char *path, struct dns_config *cfg, struct errbuf *e)
{
	uint8_t *buf;
	size_t len;
	char *save, *line;

	if (read_file(path, RESOLV_CONF_MAX, 0, &buf, &len, e) < 0)
		return -1;
	for (line = strtok_r((char *)buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s2, *key = strtok_r(line, " \t\r", &s2), *arg;

		if (!key || key[0] == '#' || key[0] == ';')
			continue;
		if (!strcmp(key, "nameserver")) {
			arg = strtok_r(NULL, " \t\r", &s2);
			if (arg && cfg->nservers < DNS_SERVERS_MAX &&
			    dns_server_parse(arg, &cfg->server[cfg->nservers], NULL) == 0)
				cfg->nservers++;
		} else if (!strcmp(key, "domain") || !strcmp(key, "search")) {
			/* resolv.conf(5): the last of these lines wins. */
			cfg->ndomains = 0;
			while ((arg = strtok_r(NULL, " \t\r", &s2)))
				dns_config_add_domain(cfg, arg, NULL);
		}
	}
	free(buf);
	return 0;
}

/* --- sockets --------------------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Query ids and SRV weighting (RFC 5452 9.2: ids unpredictable). */
static int random_bytes(void *p, size_t n, struct errbuf *e)
{
	int fd;
	ssize_t r;

	if (getrandom(p, n, GRND_NONBLOCK) == (ssize_t)n)
		return 0;
	/* Pool not yet initialised at early boot, or no getrandom(2). */
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "cannot open /dev/urandom: %s", strerror(errno));
	r = read(fd, p, n);
	close(fd);
	if (r != (ssize_t)n)
		return errf(e, "cannot read /dev/urandom");
	return 0;
}

static unsigned addr_port(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)a)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)(const void *)a)->sin6_port);
}

/* The address octets of a (4 or 16), or NULL. */
static const uint8_t *addr_octets(const struct sockaddr *a, size_t *n)
{
	if (a->sa_family == AF_INET) {
		*n = 4;
		return (const uint8_t *)&((const struct sockaddr_in *)(const void *)a)->sin_addr;
	}
	if (a->sa_family == AF_INET6) {
		*n = 16;
		return ((const struct sockaddr_in6 *)(const void *)a)->sin6_addr.s6_addr;
	}
	return NULL;
}

static int same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	size_t na, nb;
	const uint8_t *pa = addr_octets((const struct sockaddr *)a, &na);
	const uint8_t *pb = addr_octets((const struct sockaddr *)b, &nb);

	return pa && pb && a->ss_family == b->ss_family && addr_port(a) == addr_port(b) &&
	       !memcmp(pa, pb, na);
}

/*
 * RFC 6762 11: a response must come from the local link -- an IPv6
 * link-local address, or an address inside the prefix of one of ours.
 */
static int on_link(const struct sockaddr_storage *from)
{
	struct ifaddrs *ifa, *i;
	const uint8_t *f;
	size_t n;
	int ok = 0;

	f = addr_octets((const struct sockaddr *)from, &n);
	if (!f)
		return 0;
	if (n == 16 && f[0] == 0xfe && (f[1] & 0xc0) == 0x80)
		return 1;
	if (getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i && !ok; i = i->ifa_next) {
		const uint8_t *a, *m;
		size_t an, mn;

		if (!i->ifa_addr || !i->ifa_netmask || i->ifa_addr->sa_family != from->ss_family)
			continue;
		a = addr_octets(i->ifa_addr, &an);
		m = addr_octets(i->ifa_netmask, &mn);
		if (!a || !m || an != n || mn != n)
			continue;
		ok = 1;
		for (size_t k = 0; k < n; k++)
			if ((a[k] ^ f[k]) & m[k])
				ok = 0;
	}
	freeifaddrs(ifa);
	return ok;
}

/* 1 ready, 0 deadline passed, -1 poll failed. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		uint64_t now = now_ms();
		int r;

		if (now >= deadline)
			return 0;
		r = poll(&p, 1, deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now));
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * One UDP query to srv. The socket is connected, so the kernel already drops
 * datagrams from elsewhere; the source is checked again anyway. Returns the
 * length of an answer to q in buf, 0 on timeout, -1 on error.
 */
static long udp_exchange(const struct dns_server *srv, const struct dns_question *q,
			 const uint8_t *query, size_t qlen, uint8_t *buf, unsigned timeout_ms,
			 struct errbuf *e)
{
	struct sockaddr_storage from;
	socklen_t fl;
	uint64_t deadline;
	long rc = -1;
	int fd;

	fd = socket(srv->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errf(e, "socket: %s", strerror(errno));
	if (connect(fd, (const struct sockaddr *)&srv->addr, srv->len) < 0 ||
	    send(fd, query, qlen, 0) != (ssize_t)qlen) {
		errf(e, "cannot send: %s", strerror(errno));
		goto out;
	}
	deadline = now_ms() + timeout_ms;
	for (;;) {
		ssize_t n;
		int w = wait_fd(fd, POLLIN, deadline);

		if (w <= 0) {
			rc = w == 0 ? 0 : errf(e, "poll: %s", strerror(errno));
			break;
		}
		fl = sizeof(from);
		n = recvfrom(fd, buf, DNS_MSG_MAX, MSG_TRUNC, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			errf(e, "%s", strerror(errno)); /* ICMP unreachable shows up here */
			break;
		}
		if (n <= DNS_MSG_MAX && same_addr(&from, &srv->addr) &&
		    dns_response_is_for(buf, (size_t)n, q)) {
			rc = n;
			break;
		}
	}
out:
	close(fd);
	return rc;
}

/* All n octets in or out before the deadline. */
static int tcp_io(int fd, uint8_t *p, size_t n, int out, uint64_t deadline, struct errbuf *e)
{
	while (n > 0) {
		ssize_t r = out ? send(fd, p, n, MSG_NOSIGNAL) : read(fd, p, n);
		int w;

		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r == 0)
			return errf(e, "connection closed by the server");
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errf(e, "%s", strerror(errno));
		w = wait_fd(fd, out ? POLLOUT : POLLIN, deadline);
		if (w <= 0)
			return errf(e, w == 0 ? "timed out" : "poll failed");
	}
	return 0;
}

/* RFC 7766 8 / RFC 1035 4.2.2: the query and the answer, each after a
 * two-octet length. Returns the answer's length, or -1. */
static long tcp_exchange(const struct dns_server *srv, const struct dns_question *q,
			 const uint8_t *query, size_t qlen, uint8_t *buf, unsigned timeout_ms,
			 struct errbuf *e)
{
	uint8_t out[2 + DNS_QUERY_MAX], len2[2];
	uint64_t deadline = now_ms() + 3 * (uint64_t)timeout_ms;
	size_t mlen;
	long rc = -1;
	int fd, soerr = 0;
	socklen_t sl = sizeof(soerr);

	fd = socket(srv->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errf(e, "socket: %s", strerror(errno));
	if (connect(fd, (const struct sockaddr *)&srv->addr, srv->len) < 0) {
		int w;

		if (errno != EINPROGRESS) {
			errf(e, "TCP: cannot connect: %s", strerror(errno));
			goto out;
		}
		w = wait_fd(fd, POLLOUT, deadline);
		if (w > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
			soerr = errno;
		if (w <= 0 || soerr) {
			errf(e, "TCP: cannot connect: %s", w == 0 ? "timed out" : strerror(soerr ? soerr : errno));
			goto out;
		}
	}
	out[0] = (uint8_t)(qlen >> 8);
	out[1] = (uint8_t)qlen;
	memcpy(out + 2, query, qlen);
	if (tcp_io(fd, out, 2 + qlen, 1, deadline, e) < 0 || tcp_io(fd, len2, 2, 0, deadline, e) < 0)
		goto fail;
	mlen = (size_t)len2[0] << 8 | len2[1];
	if (tcp_io(fd, buf, mlen, 0, deadline, e) < 0)
		goto fail;
	if (!dns_response_is_for(buf, mlen, q)) {
		errf(e, "TCP: the answer is not for our question");
		goto out;
	}
	rc = (long)mlen;
	goto out;
fail:
	errwrap(e, "TCP: ", "");
out:
	close(fd);
	return rc;
}

/* --- the lookups ----------------------------------------------------------- */

struct lookup {
	uint16_t type;
	struct dns_device_data *dev;  /* TXT */
	struct dns_srv_list srv;      /* SRV */
	uint8_t *buf;                 /* DNS_MSG_MAX */
};

static int parse(struct lookup *lk, size_t n, const struct dns_question *q, struct errbuf *e)
{
	int r;

	if (lk->type == DNS_TYPE_TXT)
		return dns_txt_device(lk->buf, n, q, lk->dev, e);
	r = dns_srv_add(&lk->srv, lk->buf, n, q, e);
	/* An answer, but nothing to connect to: not found here. */
	return r == DNS_FOUND && lk->srv.out->n == 0 ? DNS_NOT_FOUND : r;
}

/* mDNS, one-shot (RFC 6762 5.1): 1 found, 0 nothing, -1 could not ask. */
static int mdns_ask(const struct dns_config *cfg, struct lookup *lk, const char *name,
		    struct errbuf *e)
{
	const struct dns_server *grp = &cfg->mdns_addr;
	struct dns_question q;
	uint8_t query[DNS_QUERY_MAX];
	uint16_t id;
	size_t qlen, n;
	const uint8_t *ga = addr_octets((const struct sockaddr *)&grp->addr, &n);
	uint64_t deadline;
	int fd, ttl = 255, found = 0;

	if (!ga || random_bytes(&id, sizeof(id), e) < 0 ||
	    dns_question_set(&q, name, lk->type, id, DNS_Q_MDNS, e) < 0)
		return errf(e, "mDNS: cannot ask");
	qlen = dns_query_build(&q, 0, query, sizeof(query));
	fd = socket(grp->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errf(e, "mDNS: socket: %s", strerror(errno));
	/* RFC 6762 11: sent with TTL / hop limit 255. */
	if (n == 4 && (ga[0] & 0xf0) == 0xe0)
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	else if (n == 16 && ga[0] == 0xff)
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl));
	if (sendto(fd, query, qlen, 0, (const struct sockaddr *)&grp->addr, grp->len) != (ssize_t)qlen) {
		errf(e, "mDNS: cannot send: %s", strerror(errno));
		close(fd);
		return -1;
	}
	deadline = now_ms() + cfg->mdns_window_ms;
	while (wait_fd(fd, POLLIN, deadline) == 1) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		struct errbuf pe = { 0 };
		ssize_t m = recvfrom(fd, lk->buf, DNS_MSG_MAX, MSG_TRUNC, (struct sockaddr *)&from, &fl);
		char where[64];
		int r;

		if (m < 0 || m > DNS_MDNS_MAX || addr_port(&from) != addr_port(&grp->addr) ||
		    !on_link(&from) || !dns_response_is_for(lk->buf, (size_t)m, &q))
			continue;
		r = parse(lk, (size_t)m, &q, &pe);
		if (r < 0) {
			sockaddr_text((const struct sockaddr *)&from, where, sizeof(where));
			sztp_log("dns: mDNS answer from %s for %s ignored: %s", where, name, pe.msg);
		} else if (r == DNS_FOUND) {
			found = 1;
			if (lk->type == DNS_TYPE_TXT)
				break; /* SRV: every responder may add servers */
		}
	}
	close(fd);
	return found;
}

/* Unicast: the first server that answers decides. An outcome, or -1. */
static int unicast_ask(const struct dns_config *cfg, struct lookup *lk, const char *name,
		       struct errbuf *e)
{
	struct errbuf se = { 0 };

	if (cfg->nservers == 0)
		return errf(e, "no DNS server to ask");
	for (size_t i = 0; i < cfg->nservers; i++) {
		const struct dns_server *srv = &cfg->server[i];
		char where[64];

		sockaddr_text((const struct sockaddr *)&srv->addr, where, sizeof(where));
		for (unsigned a = 0; a < cfg->attempts; a++) {
			struct dns_question q;
			uint8_t query[DNS_QUERY_MAX];
			uint16_t id;
			size_t qlen;
			long n;
			int r;

			memset(&se, 0, sizeof(se));
			if (random_bytes(&id, sizeof(id), &se) < 0 ||
			    dns_question_set(&q, name, lk->type, id, 0, &se) < 0)
				break;
			qlen = dns_query_build(&q, DNS_EDNS_UDP, query, sizeof(query));
			n = udp_exchange(srv, &q, query, qlen, lk->buf, cfg->timeout_ms, &se);
			if (n == 0) {
				errf(&se, "no answer within %u ms", cfg->timeout_ms);
				continue;
			}
			if (n < 0)
				break;
			r = parse(lk, (size_t)n, &q, &se);
			if (r == DNS_TRUNCATED) {
				sztp_log("dns: %s truncated the answer for %s; asking over TCP", where, name);
				n = tcp_exchange(srv, &q, query, qlen, lk->buf, cfg->timeout_ms, &se);
				r = n < 0 ? -1 : parse(lk, (size_t)n, &q, &se);
				if (r == DNS_TRUNCATED)
					r = errf(&se, "TCP answer truncated");
			}
			if (r >= 0)
				return r;
			break;
		}
		sztp_log("dns: %s, %s: %s", where, name, se.msg);
	}
	return errf(e, "DNS %s: %s", name, se.msg);
}

/* mDNS first, then each domain over unicast (R48). */
static int lookup(const struct dns_config *cfg, struct lookup *lk, const char *label,
		  const char *domain, struct errbuf *e)
{
	const char *doms[DNS_DOMAINS_MAX];
	struct errbuf le = { 0 };
	size_t nd = 0;
	char name[DNS_NAME_MAX + 16];
	int rc = 1, answered = 0;

	lk->buf = malloc(DNS_MSG_MAX);
	if (!lk->buf)
		return errf(e, "out of memory");
	if (cfg->mdns) {
		int r;

		snprintf(name, sizeof(name), "%s.local", label);
		r = mdns_ask(cfg, lk, name, &le);
		if (r == 1)
			goto out;
		if (r < 0)
			sztp_log("dns: %s", le.msg);
		answered = 1; /* silence is the mDNS "no" */
	}
	if (domain)
		doms[nd++] = domain;
	else
		for (; nd < cfg->ndomains; nd++)
			doms[nd] = cfg->domain[nd];
	memset(&le, 0, sizeof(le));
	if (nd == 0)
		errf(&le, "no DNS domain to ask in");
	for (size_t i = 0; i < nd; i++) {
		struct errbuf de = { 0 };
		size_t dl = strlen(doms[i]);
		int r = -1;

		if (dl > 0 && doms[i][dl - 1] == '.')
			dl--;
		if ((size_t)snprintf(name, sizeof(name), "%s.%.*s", label, (int)dl, doms[i]) >= sizeof(name))
			errf(&de, "DNS name for domain `%s' too long", doms[i]);
		else
			r = unicast_ask(cfg, lk, name, &de);
		if (r == DNS_FOUND)
			goto out;
		if (r == DNS_NOT_FOUND)
			answered = 1;
		else
			le = de; /* the last reason */
	}
	rc = answered ? 0 : errf(e, "%s", le.msg);
out:
	free(lk->buf);
	return rc;
}

int dns_lookup_device(const char *serial, const char *domain, const struct dns_config *cfg,
		      struct dns_device_data *out, struct errbuf *e)
{
	struct lookup lk;
	char label[DNS_LABEL_MAX + 8];
	size_t n = strlen(serial);
	int r;

	/* R50; O.10: a serial number that is not one label has no name. */
	if (n == 0 || n > DNS_LABEL_MAX || memchr(serial, '.', n))
		return errf(e, "serial number `%s' is not one DNS label (1..63 octets, no '.')", serial);
	memset(&lk, 0, sizeof(lk));
	lk.type = DNS_TYPE_TXT;
	lk.dev = out;
	snprintf(label, sizeof(label), "%s._sztp", serial);
	r = lookup(cfg, &lk, label, domain, e);
	if (r != 1) {
		memset(&out->ci, 0, sizeof(out->ci));
		memset(&out->oc, 0, sizeof(out->oc));
		memset(&out->ov, 0, sizeof(out->ov));
	}
	return r;
}

int dns_lookup_servers(const char *domain, const struct dns_config *cfg,
		       struct bootstrap_server_list *out, struct dns_srv_info *info, struct errbuf *e)
{
	struct lookup lk;
	uint32_t seed = 0;
	int r;

	memset(&lk, 0, sizeof(lk));
	lk.type = DNS_TYPE_SRV;
	dns_srv_init(&lk.srv, out);
	r = lookup(cfg, &lk, "_sztp._tcp", domain, e);
	if (r == 1) {
		random_bytes(&seed, sizeof(seed), NULL); /* seed 0 still orders */
		dns_srv_weigh(&lk.srv, seed);
		if (info)
			memcpy(info, lk.srv.info, sizeof(lk.srv.info));
	} else {
		size_t skipped = out->skipped;

		memset(out, 0, sizeof(*out));
		out->skipped = skipped;
	}
	return r;
}
