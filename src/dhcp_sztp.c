/* SZTP redirect DHCP options, RFC 8572 section 8: see dhcp_sztp.h. */
#include <arpa/inet.h>
#include <string.h>

#include "dhcp_sztp.h"
#include "hex.h"

#define HTTPS_DEFAULT_PORT 443 /* RFC 8572 6.3 */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_ldh(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* LDH labels of 1..63 octets, no '-' at either end, 253 octets in all. */
static int dns_name_ok(const char *h, size_t n)
{
	size_t lab = 0;

	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || h[i] == '.') {
			if (lab == 0 || lab > 63 || h[i - lab] == '-' || h[i - 1] == '-')
				return 0;
			lab = 0;
		} else if (is_ldh((unsigned char)h[i])) {
			lab++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* The last label is all digits: RFC 3696 2 says that is an IPv4 address. */
static int looks_numeric(const char *h, size_t n)
{
	size_t i = n;

	while (i > 0 && h[i - 1] != '.') {
		if (!is_digit((unsigned char)h[i - 1]))
			return 0;
		i--;
	}
	return i < n;
}

/* ":" 1*5DIGIT, 1..65535, or nothing (443). */
static int port_parse(const char *p, size_t n, uint16_t *port)
{
	unsigned long v = 0;

	if (n == 0) {
		*port = HTTPS_DEFAULT_PORT;
		return 0;
	}
	if (p[0] != ':' || n < 2 || n > 6)
		return -1;
	for (size_t i = 1; i < n; i++) {
		if (!is_digit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int uri_parse(const char *s, size_t len, struct bootstrap_server_uri *out)
{
	static const char scheme[] = "https";
	const char *p;
	size_t n, hlen;

	/* RFC 8572 8.3: "https://<ip-address-or-hostname>[:<port>]" */
	if (len < 8 || memcmp(s + 5, "://", 3) != 0)
		return -1;
	for (size_t i = 0; i < 5; i++)
		if ((s[i] | 0x20) != scheme[i]) /* RFC 3986 3.1: case-insensitive */
			return -1;
	p = s + 8;
	n = len - 8;
	if (n > 0 && p[n - 1] == '/')
		n--; /* RFC 3986 6.2.3: "https://h/" is "https://h" */
	if (n == 0)
		return -1;

	if (p[0] == '[') {
		const char *close = memchr(p, ']', n);
		unsigned char a6[16];

		if (!close)
			return -1;
		hlen = (size_t)(close - p) - 1;
		if (hlen == 0 || hlen >= INET6_ADDRSTRLEN)
			return -1;
		memcpy(out->host, p + 1, hlen);
		out->host[hlen] = '\0';
		if (memchr(out->host, '\0', hlen)) /* inet_pton would stop there */
			return -1;
		if (inet_pton(AF_INET6, out->host, a6) != 1)
			return -1;
		out->is_ipv6 = 1;
		hlen += 2;
	} else {
		const char *colon = memchr(p, ':', n);

		hlen = colon ? (size_t)(colon - p) : n;
		/* Userinfo, path, query, fragment and percent-encoding all show up
		 * below as a character ('@' '/' '?' '#' '%') no host may contain. */
		if (hlen == 0 || hlen >= sizeof(out->host))
			return -1;
		memcpy(out->host, p, hlen);
		out->host[hlen] = '\0';
		if (looks_numeric(out->host, hlen)) {
			unsigned char a4[4];

			for (size_t i = 0; i < hlen; i++)
				if (!is_digit((unsigned char)p[i]) && p[i] != '.')
					return -1; /* inet_pton would stop at a NUL */
			if (inet_pton(AF_INET, out->host, a4) != 1)
				return -1;
		} else if (!dns_name_ok(out->host, hlen)) {
			return -1;
		}
		out->is_ipv6 = 0;
	}
	return port_parse(p + hlen, n - hlen, &out->port);
}

int sztp_uri_parse(const char *s, size_t len, struct bootstrap_server_uri *out)
{
	memset(out, 0, sizeof(*out));
	if (uri_parse(s, len, out) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void sztp_server_list_init(struct sztp_server_list_decoder *d, struct bootstrap_server_list *out)
{
	memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	d->out = out;
}

/* The entry in d->uri is complete: keep it or count it as skipped (R65). */
static void entry_done(struct sztp_server_list_decoder *d)
{
	struct bootstrap_server_list *l = d->out;
	struct bootstrap_server_uri u;

	if (d->ulen > sizeof(d->uri) || sztp_uri_parse(d->uri, d->ulen, &u) < 0)
		l->skipped++;
	else if (l->n == SZTP_MAX_BOOTSTRAP_SERVERS)
		l->excess++;
	else
		l->server[l->n++] = u;
	d->state = 0;
}

void sztp_server_list_push(struct sztp_server_list_decoder *d, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (d->state == 0) {
			d->ulen = (size_t)p[i++] << 8;
			d->state = 1;
		} else if (d->state == 1) {
			d->ulen |= p[i++];
			d->have = 0;
			d->state = 2;
			if (d->ulen == 0)
				entry_done(d);
		} else {
			size_t take = d->ulen - d->have;

			if (take > len - i)
				take = len - i;
			/* Octets past SZTP_URI_MAX are only counted: such an entry is invalid. */
			if (d->have < sizeof(d->uri)) {
				size_t keep = sizeof(d->uri) - d->have;

				memcpy(d->uri + d->have, p + i, take < keep ? take : keep);
			}
			d->have += take;
			i += take;
			if (d->have == d->ulen)
				entry_done(d);
		}
	}
}

int sztp_server_list_finish(struct sztp_server_list_decoder *d, struct errbuf *e)
{
	struct bootstrap_server_list *l = d->out;
	int cut = d->state != 0;

	/* RFC 8572 8.1/8.2: an overrunning entry ends the list; R66: none valid, none at all. */
	if (cut)
		l->skipped++;
	d->state = 0;
	if (l->n == 0) {
		size_t skipped = l->skipped;

		memset(l, 0, sizeof(*l));
		if (skipped == 0)
			return errf(e, "bootstrap-server-list: empty");
		return errf(e, "bootstrap-server-list: no valid https URI (%zu invalid%s)", skipped,
			    cut ? ", the last one truncated" : "");
	}
	return 0;
}

int sztp_server_list_decode(const uint8_t *p, size_t len, struct bootstrap_server_list *out,
			    struct errbuf *e)
{
	struct sztp_server_list_decoder d;

	sztp_server_list_init(&d, out);
	sztp_server_list_push(&d, p, len);
	return sztp_server_list_finish(&d, e);
}

/* --- DHCPv4 -------------------------------------------------------------- */

/* RFC 2131 2: BOOTP fixed part, then the magic cookie 99.130.83.99. */
#define BOOTP_SNAME_OFF 44
#define BOOTP_SNAME_LEN 64
#define BOOTP_FILE_OFF  108
#define BOOTP_FILE_LEN  128
#define BOOTP_FIXED_LEN 236
#define BOOTREPLY       2
#define DHCP_OPT_PAD      0
#define DHCP_OPT_OVERLOAD 52  /* RFC 2132 9.3 */
#define DHCP_OPT_END      255

enum { AREA_OPTIONS, AREA_FILE, AREA_SNAME };
static const char *const area_name[] = { "options", "file", "sname" };

/* One option area: every instance to fn; option 52 noted in *overload. */
static int v4_area(const uint8_t *p, size_t n, int area, dhcpv4_option_fn fn, void *arg,
		   int *overload, struct errbuf *e)
{
	size_t i = 0;

	while (i < n) {
		unsigned code = p[i], olen;
		int r;

		if (code == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (code == DHCP_OPT_END)
			break;
		if (n - i < 2 || p[i + 1] > n - i - 2)
			return errf(e, "DHCPv4 %s field: option %u overruns it", area_name[area], code);
		olen = p[i + 1];
		if (code == DHCP_OPT_OVERLOAD) {
			/* RFC 2131 4.1: only in the options field; once. */
			if (area != AREA_OPTIONS)
				return errf(e, "DHCPv4: option 52 (overload) in the %s field",
					    area_name[area]);
			if (*overload)
				return errf(e, "DHCPv4: option 52 (overload) more than once");
			if (olen != 1 || p[i + 2] < 1 || p[i + 2] > 3)
				return errf(e, "DHCPv4: bad option 52 (overload)");
			*overload = p[i + 2];
		}
		if ((r = fn(code, p + i + 2, olen, arg, e)) < 0)
			return r;
		i += 2 + olen;
	}
	return 0;
}

int dhcpv4_options_walk(const uint8_t *msg, size_t len, dhcpv4_option_fn fn, void *arg,
			struct errbuf *e)
{
	static const uint8_t cookie[4] = { 99, 130, 83, 99 };
	int overload = 0;

	if (len < BOOTP_FIXED_LEN + sizeof(cookie))
		return errf(e, "DHCPv4 message truncated (%zu octets)", len);
	if (memcmp(msg + BOOTP_FIXED_LEN, cookie, sizeof(cookie)) != 0)
		return errf(e, "DHCPv4 message: no magic cookie");
	if (v4_area(msg + BOOTP_FIXED_LEN + 4, len - BOOTP_FIXED_LEN - 4, AREA_OPTIONS, fn, arg,
		    &overload, e) < 0)
		return -1;
	if ((overload & 1) &&
	    v4_area(msg + BOOTP_FILE_OFF, BOOTP_FILE_LEN, AREA_FILE, fn, arg, &overload, e) < 0)
		return -1;
	if ((overload & 2) &&
	    v4_area(msg + BOOTP_SNAME_OFF, BOOTP_SNAME_LEN, AREA_SNAME, fn, arg, &overload, e) < 0)
		return -1;
	return 0;
}

struct v4_sztp {
	struct sztp_server_list_decoder d;
	int instances;
};

/* RFC 3396: every option-143 instance, concatenated in the order found. */
static int take_143(unsigned code, const uint8_t *val, size_t len, void *arg, struct errbuf *e)
{
	struct v4_sztp *v = arg;

	(void)e;
	if (code == DHCPV4_OPTION_SZTP_REDIRECT) {
		sztp_server_list_push(&v->d, val, len);
		v->instances++;
	}
	return 0;
}

int dhcpv4_sztp_option(const uint8_t *msg, size_t len, struct bootstrap_server_list *out,
		       struct errbuf *e)
{
	struct v4_sztp v = { .instances = 0 };

	sztp_server_list_init(&v.d, out);
	if (len >= 1 && msg[0] != BOOTREPLY)
		return errf(e, "DHCPv4 message: op %u is not BOOTREPLY", msg[0]);
	if (dhcpv4_options_walk(msg, len, take_143, &v, e) < 0)
		goto fail;
	if (v.instances == 0) {
		errf(e, "DHCPv4 message: no option 143");
		goto fail;
	}
	if (sztp_server_list_finish(&v.d, e) < 0)
		return e ? errwrap(e, "DHCPv4 option 143: ", "") : -1;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

int dhcpv4_sztp_from_hex(const char *hex, struct bootstrap_server_list *out, struct errbuf *e)
{
	struct sztp_server_list_decoder d;
	size_t n = strlen(hex);

	sztp_server_list_init(&d, out);
	if (n % 2)
		return errf(e, "opt143: odd number of hex digits (%zu)", n);
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit((unsigned char)hex[i]), lo = hex_digit((unsigned char)hex[i + 1]);
		uint8_t b;

		if (hi < 0 || lo < 0) {
			memset(out, 0, sizeof(*out));
			return errf(e, "opt143: not hex at offset %zu", hi < 0 ? i : i + 1);
		}
		b = (uint8_t)(hi << 4 | lo);
		sztp_server_list_push(&d, &b, 1);
	}
	if (sztp_server_list_finish(&d, e) < 0)
		return e ? errwrap(e, "opt143: ", "") : -1;
	return 0;
}

/* --- DHCPv6 -------------------------------------------------------------- */

#define DHCPV6_ADVERTISE 2 /* RFC 8415 7.3 */
#define DHCPV6_REPLY     7

int dhcpv6_sztp_option(const uint8_t *msg, size_t len, struct bootstrap_server_list *out,
		       struct errbuf *e)
{
	const uint8_t *data = NULL;
	size_t dlen = 0, i = 4;

	memset(out, 0, sizeof(*out));
	if (len < 4)
		return errf(e, "DHCPv6 message truncated (%zu octets)", len);
	if (msg[0] != DHCPV6_ADVERTISE && msg[0] != DHCPV6_REPLY)
		return errf(e, "DHCPv6 message type %u is not Advertise or Reply", msg[0]);
	/* RFC 8415 21.1: option-code(2) option-len(2) data, to the end of the message. */
	while (i < len) {
		unsigned code;
		size_t olen;

		if (len - i < 4)
			return errf(e, "DHCPv6 message: option header truncated at offset %zu", i);
		code = (unsigned)msg[i] << 8 | msg[i + 1];
		olen = (size_t)msg[i + 2] << 8 | msg[i + 3];
		if (olen > len - i - 4)
			return errf(e, "DHCPv6 message: option %u overruns it", code);
		if (code == DHCPV6_OPTION_SZTP_REDIRECT) {
			if (data) /* R68: a singleton */
				return errf(e, "DHCPv6 message: option 136 more than once");
			data = msg + i + 4;
			dlen = olen;
		}
		i += 4 + olen;
	}
	if (!data)
		return errf(e, "DHCPv6 message: no option 136");
	if (sztp_server_list_decode(data, dlen, out, e) < 0)
		return e ? errwrap(e, "DHCPv6 option 136: ", "") : -1;
	return 0;
}
