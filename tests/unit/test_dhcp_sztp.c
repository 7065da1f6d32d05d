/* SZTP redirect DHCP options (RFC 8572 8): tables of inputs and results. */
#include <stdlib.h>

#include "dhcp_sztp.h"
#include "test.h"

/* device-requirements.md N.1: the two entries and the whole option. */
#define E1 "001e68747470733a2f2f737a7470312e6578616d706c652e636f6d3a38343433" /* https://sztp1.example.com:8443 */
#define E2 "001568747470733a2f2f5b323030313a6462383a3a315d" /* https://[2001:db8::1] */
#define N1_DATA E1 E2
#define N1_OPTION "8f37" N1_DATA
#define E_HTTP "0012687474703a2f2f6578616d706c652e636f6d" /* http://example.com */
#define E_PATH "001568747470733a2f2f6578616d706c652e636f6d2f61" /* https://example.com/a */
/* N.1 split at octets 1 and 33, both uri-lengths straddling: overload 3. */
#define OVL_OPTIONS "3401038f0100ff"
#define OVL_FILE "8f201e68747470733a2f2f737a7470312e6578616d706c652e636f6d3a3834343300ff"
#define OVL_SNAME "8f161568747470733a2f2f5b323030313a6462383a3a315dff"
#define H1 "sztp1.example.com"
#define H2 "2001:db8::1"

static const struct {
	const char *s;
	int ok;
	const char *host;
	int is_ipv6;
	unsigned port;
} uris[] = {
	{ "https://sztp1.example.com:8443", 1, H1, 0, 8443 },
	{ "https://sztp1.example.com", 1, H1, 0, 443 },
	{ "HTTPS://SZTP.Example.COM", 1, "SZTP.Example.COM", 0, 443 },
	{ "HtTpS://localhost", 1, "localhost", 0, 443 },
	{ "https://[2001:db8::1]", 1, H2, 1, 443 },
	{ "https://[2001:db8::1]:9443", 1, H2, 1, 9443 },
	{ "https://[::ffff:192.0.2.1]", 1, "::ffff:192.0.2.1", 1, 443 },
	{ "https://[::1]/", 1, "::1", 1, 443 },
	{ "https://192.0.2.1", 1, "192.0.2.1", 0, 443 },
	{ "https://192.0.2.1:1", 1, "192.0.2.1", 0, 1 },
	{ "https://h:65535", 1, "h", 0, 65535 },
	{ "https://h:00443", 1, "h", 0, 443 },
	{ "https://example.com/", 1, "example.com", 0, 443 },
	{ "https://example.com:8443/", 1, "example.com", 0, 8443 },
	{ "https://a-b.3com.example", 1, "a-b.3com.example", 0, 443 },
	{ "https://xn--bcher-kva.example", 1, "xn--bcher-kva.example", 0, 443 },
	/* scheme */
	{ "http://example.com", 0, NULL, 0, 0 },
	{ "https:/example.com", 0, NULL, 0, 0 },
	{ "https:example.com", 0, NULL, 0, 0 },
	{ "httpsx://example.com", 0, NULL, 0, 0 },
	{ "ftp://example.com", 0, NULL, 0, 0 },
	{ " https://example.com", 0, NULL, 0, 0 },
	{ "example.com", 0, NULL, 0, 0 },
	/* port */
	{ "https://h:0", 0, NULL, 0, 0 },
	{ "https://h:65536", 0, NULL, 0, 0 },
	{ "https://h:+1", 0, NULL, 0, 0 },
	{ "https://h:-1", 0, NULL, 0, 0 },
	{ "https://h:", 0, NULL, 0, 0 },
	{ "https://h:000443", 0, NULL, 0, 0 },
	{ "https://h:44 3", 0, NULL, 0, 0 },
	{ "https://h:0x1bb", 0, NULL, 0, 0 },
	{ "https://h:443:443", 0, NULL, 0, 0 },
	{ "https://[::1]:0", 0, NULL, 0, 0 },
	{ "https://[::1]:", 0, NULL, 0, 0 },
	/* path, query, fragment, userinfo */
	{ "https://example.com/path", 0, NULL, 0, 0 },
	{ "https://example.com//", 0, NULL, 0, 0 },
	{ "https://example.com/?", 0, NULL, 0, 0 },
	{ "https://example.com:443/x", 0, NULL, 0, 0 },
	{ "https://example.com?x=1", 0, NULL, 0, 0 },
	{ "https://example.com#top", 0, NULL, 0, 0 },
	{ "https://user@example.com", 0, NULL, 0, 0 },
	{ "https://user:pw@example.com:443", 0, NULL, 0, 0 },
	{ "https://[::1]@example.com", 0, NULL, 0, 0 },
	/* host */
	{ "https://", 0, NULL, 0, 0 },
	{ "https:///", 0, NULL, 0, 0 },
	{ "https://:443", 0, NULL, 0, 0 },
	{ "https://[]", 0, NULL, 0, 0 },
	{ "https://[::1", 0, NULL, 0, 0 },
	{ "https://[::1]x", 0, NULL, 0, 0 },
	{ "https://[fe80::1%25eth0]", 0, NULL, 0, 0 },
	{ "https://[v1.fe80]", 0, NULL, 0, 0 },
	{ "https://[192.0.2.1]", 0, NULL, 0, 0 },
	{ "https://[2001:db8::g]", 0, NULL, 0, 0 },
	{ "https://2001:db8::1", 0, NULL, 0, 0 },
	{ "https://192.0.2.256", 0, NULL, 0, 0 },
	{ "https://192.0.2", 0, NULL, 0, 0 },
	{ "https://1.2.3.4.5", 0, NULL, 0, 0 },
	{ "https://01.2.3.4", 0, NULL, 0, 0 },
	{ "https://example.123", 0, NULL, 0, 0 },
	{ "https://123", 0, NULL, 0, 0 },
	{ "https://-ab.example", 0, NULL, 0, 0 },
	{ "https://ab-.example", 0, NULL, 0, 0 },
	{ "https://a_b.example", 0, NULL, 0, 0 },
	{ "https://example.com.", 0, NULL, 0, 0 },
	{ "https://.example.com", 0, NULL, 0, 0 },
	{ "https://a..b", 0, NULL, 0, 0 },
	{ "https://exa%6dple.com", 0, NULL, 0, 0 },
	{ "https://ex\xc3\xa4mple.com", 0, NULL, 0, 0 },
	{ "https://example.com ", 0, NULL, 0, 0 },
};

/* bootstrap-server-list data, hex. */
static const struct {
	const char *name;
	const char *hex;
	int ok;
	size_t n, skipped;
	const char *host0;
} lists[] = {
	{ "N.1 example", N1_DATA, 1, 2, 0, H1 },
	{ "one entry", E2, 1, 1, 0, H2 },
	{ "http entry skipped", E_HTTP E1, 1, 1, 1, H1 },
	{ "path entry skipped", E1 E_PATH E2, 1, 2, 1, H1 },
	{ "zero-length entry skipped", "0000" E2, 1, 1, 1, H2 },
	{ "overrunning length ends the list", E1 "0016" "68747470733a2f2f5b323030313a6462383a3a315d", 1, 1, 1, H1 },
	{ "huge length ends the list", E1 "ffff" E2, 1, 1, 1, H1 },
	{ "lone trailing octet", N1_DATA "00", 1, 2, 1, H1 },
	{ "length only", E2 "0005", 1, 1, 1, H2 },
	{ "all invalid", E_HTTP E_PATH, 0, 0, 0, NULL },
	{ "empty", "", 0, 0, 0, NULL },
	{ "single octet", "00", 0, 0, 0, NULL },
	{ "only a truncated entry", "001e68747470733a2f2f", 0, 0, 0, NULL },
	{ "NUL inside URI", "000a68747470733a2f2f6100", 0, 0, 0, NULL },
	{ "NUL inside IPv6 literal", "000e68747470733a2f2f5b3a3a31005d", 0, 0, 0, NULL },
};

/* DHCPv4 messages: a BOOTP header with op, the cookie, and these areas. */
static const struct {
	const char *name;
	unsigned op;
	const char *options, *file, *sname;
	size_t cut; /* octets removed from the end of the message */
	int ok;
	size_t n, skipped;
} v4[] = {
	{ "N.1 option", 2, "3501050104ffffff00" N1_OPTION "ff", "", "", 0, 1, 2, 0 },
	{ "no END option", 2, N1_OPTION, "", "", 0, 1, 2, 0 },
	{ "PAD before and padding after END", 2, "000000" N1_OPTION "ff000000", "", "", 0, 1, 2, 0 },
	{ "garbage after END is padding", 2, N1_OPTION "ff8fff01", "", "", 0, 1, 2, 0 },
	{ "143 after END is not read", 2, "0104ffffff00ff" N1_OPTION, "", "", 0, 0, 0, 0 },
	/* RFC 3396: three instances, both lengths straddle instance boundaries */
	{ "split over 3 instances", 2,
	  "8f01008f201e68747470733a2f2f737a7470312e6578616d706c652e636f6d3a38343433008f16"
	  "1568747470733a2f2f5b323030313a6462383a3a315dff", "", "", 0, 1, 2, 0 },
	{ "split inside URIs, other options between", 2,
	  "8f0a001e68747470733a2f2f0104ffffff008f1e737a7470312e6578616d706c652e636f6d3a3834"
	  "3433001568747470733a00008f0f2f2f5b323030313a6462383a3a315dff", "", "", 0, 1, 2, 0 },
	{ "empty instance between", 2, "8f00" N1_OPTION "8f00ff", "", "", 0, 1, 2, 0 },
	/* option 52: options field, then file, then sname */
	{ "overload 3: options, file, sname", 2, OVL_OPTIONS, OVL_FILE, OVL_SNAME, 0, 1, 2, 0 },
	{ "overload 1: file only, sname is a name", 2, "340101ff", N1_OPTION "ff", "8f04" "0002" "6869", 0, 1, 2, 0 },
	{ "overload 2: sname only", 2, "340102ff", "8f04" "0002" "6869", "8f17" E2 "ff", 0, 1, 1, 0 },
	{ "no overload: file not read", 2, "0104ffffff00ff", N1_OPTION "ff", "", 0, 0, 0, 0 },
	{ "52 after the 143 instances", 2, "8f0100340101ff", "8f36" "1e68747470733a2f2f737a7470312e6578616d706c652e636f6d3a38343433" E2 "ff", "", 0, 1, 2, 0 },
	{ "52 twice", 2, "340101340101" N1_OPTION "ff", "", "", 0, 0, 0, 0 },
	{ "52 in file", 2, "340101ff", "340102" N1_OPTION "ff", "", 0, 0, 0, 0 },
	{ "52 value 4", 2, "340104" N1_OPTION "ff", "", "", 0, 0, 0, 0 },
	{ "52 length 2", 2, "34020101" N1_OPTION "ff", "", "", 0, 0, 0, 0 },
	{ "option overruns file", 2, "340101ff", "8f7f" E2, "", 0, 0, 0, 0 },
	/* malformed or absent */
	{ "no option 143", 2, "3501050104ffffff00ff", "", "", 0, 0, 0, 0 },
	{ "no options at all", 2, "", "", "", 0, 0, 0, 0 },
	{ "option 143 all invalid", 2, "8f14" E_HTTP "ff", "", "", 0, 0, 0, 0 },
	{ "option 143 empty", 2, "8f00ff", "", "", 0, 0, 0, 0 },
	{ "BOOTREQUEST", 1, N1_OPTION "ff", "", "", 0, 0, 0, 0 },
	{ "option length overruns message", 2, N1_OPTION, "", "", 1, 0, 0, 0 },
	{ "option length octet missing", 2, "3501058f", "", "", 0, 0, 0, 0 },
	{ "one octet short of the cookie", 2, "", "", "", 1, 0, 0, 0 },
	{ "fixed part truncated", 2, "", "", "", 100, 0, 0, 0 },
};

/* DHCPv6 messages, hex. */
static const struct {
	const char *name;
	const char *hex;
	int ok;
	size_t n;
} v6[] = {
	{ "Reply with 136", "07abcdef" "000100040001aabb" "00880037" N1_DATA, 1, 2 },
	{ "Advertise with 136 first", "02000001" "00880037" N1_DATA "00170000", 1, 2 },
	{ "136 only an IPv6 URI", "07000001" "00880017" E2, 1, 1 },
	{ "136 absent", "07abcdef" "000100040001aabb", 0, 0 },
	{ "no options", "07abcdef", 0, 0 },
	{ "136 empty", "07abcdef" "00880000", 0, 0 },
	{ "136 all invalid", "07abcdef" "00880014" E_HTTP, 0, 0 },
	{ "136 truncated", "07abcdef" "00880038" N1_DATA, 0, 0 },
	{ "option header truncated", "07abcdef" "00880037" N1_DATA "0001", 0, 0 },
	{ "136 twice", "07abcdef" "00880017" E2 "00880017" E2, 0, 0 },
	{ "Relay-reply", "0d00" "00000000000000000000000000000000" "00000000000000000000000000000000", 0, 0 },
	{ "Solicit", "01abcdef" "00880017" E2, 0, 0 },
	{ "message truncated", "07abcd", 0, 0 },
	{ "empty", "", 0, 0 },
};

static const struct {
	const char *hex;
	int ok;
	size_t n;
} hexes[] = {
	{ N1_DATA, 1, 2 },
	{ "001E68747470733A2F2F737A7470312E6578616D706C652E636F6D3A38343433", 1, 1 },
	{ E1 "0", 0, 0 },
	{ E1 "zz", 0, 0 },
	{ E1 "\n", 0, 0 },
	{ "", 0, 0 },
	{ "opt143=" E1, 0, 0 },
	{ "00 1e", 0, 0 },
	{ E_HTTP, 0, 0 },
};

static size_t v4msg(uint8_t *m, size_t cap, unsigned op, const char *options, const char *file,
		    const char *sname)
{
	memset(m, 0, cap);
	m[0] = (uint8_t)op;
	m[1] = 1;
	m[2] = 6;
	unhex(sname, m + 44, 64);
	unhex(file, m + 108, 128);
	m[236] = 99; m[237] = 130; m[238] = 83; m[239] = 99;
	return 240 + unhex(options, m + 240, cap - 240);
}

/* Append an entry "https://hN.example:N" to a list buffer. */
static size_t put_entry(uint8_t *p, unsigned i)
{
	int n = snprintf((char *)p + 2, 64, "https://h%u.example:%u", i, 1000 + i);

	p[0] = 0;
	p[1] = (uint8_t)n;
	return 2 + (size_t)n;
}

int main(void)
{
	static uint8_t buf[4096], msg[2048];
	static struct bootstrap_server_list l;
	struct bootstrap_server_uri u;
	struct errbuf e;
	size_t n;
	int r;

	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		r = sztp_uri_parse(uris[i].s, strlen(uris[i].s), &u);
		CHECKF((r == 0) == uris[i].ok, "%s: %d", uris[i].s, r);
		if (r == 0 && uris[i].ok)
			CHECKF(!strcmp(u.host, uris[i].host) && u.is_ipv6 == uris[i].is_ipv6 &&
			       u.port == uris[i].port, "%s -> %s %d %u", uris[i].s, u.host, u.is_ipv6, u.port);
	}
	/* Label and name lengths: 63 and 253 are the limits (RFC 1035 2.3.4). */
	char name[300];
	strcpy(name, "https://");
	memset(name + 8, 'a', 63);
	strcpy(name + 8 + 63, ".example");
	CHECK(sztp_uri_parse(name, strlen(name), &u) == 0 && strlen(u.host) == 71);
	memset(name + 8, 'a', 64);
	strcpy(name + 8 + 64, ".example");
	CHECK(sztp_uri_parse(name, strlen(name), &u) < 0);
	for (size_t i = 8; i < 8 + 253; i++)
		name[i] = (i - 8) % 2 ? '.' : 'a';
	name[8 + 253] = '\0';
	CHECK(sztp_uri_parse(name, strlen(name), &u) == 0 && strlen(u.host) == 253);
	strcpy(name + 8 + 253, ".a");
	CHECK(sztp_uri_parse(name, strlen(name), &u) < 0);
	/* Only len octets are read; a NUL within them is an invalid character. */
	CHECK(sztp_uri_parse("https://example.comX", 19, &u) == 0 && !strcmp(u.host, "example.com"));
	CHECK(sztp_uri_parse("https://a\0b", 11, &u) < 0);
	CHECK(sztp_uri_parse("https://1.2.3.4\0", 16, &u) < 0);
	CHECK(sztp_uri_parse("https://[::1\0]", 14, &u) < 0);
	CHECK(sztp_uri_parse("https://h:1\0", 12, &u) < 0);

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		memset(&e, 0, sizeof(e));
		n = unhex(lists[i].hex, buf, sizeof(buf));
		r = sztp_server_list_decode(buf, n, &l, &e);
		CHECKF((r == 0) == lists[i].ok, "%s: %d %s", lists[i].name, r, e.msg);
		CHECKF(r < 0 ? e.set && l.n == 0 : !e.set, "%s: errbuf", lists[i].name);
		if (r == 0 && lists[i].ok)
			CHECKF(l.n == lists[i].n && l.skipped == lists[i].skipped &&
			       !strcmp(l.server[0].host, lists[i].host0), "%s: n %zu skipped %zu host %s",
			       lists[i].name, l.n, l.skipped, l.server[0].host);
	}
	/* N.1 in full. */
	n = unhex(N1_DATA, buf, sizeof(buf));
	CHECK(sztp_server_list_decode(buf, n, &l, NULL) == 0 && l.n == 2 &&
	      !strcmp(l.server[0].host, H1) && l.server[0].port == 8443 && !l.server[0].is_ipv6 &&
	      !strcmp(l.server[1].host, H2) && l.server[1].port == 443 && l.server[1].is_ipv6);
	/* The push decoder gives the same result fed one octet at a time. */
	{
		struct sztp_server_list_decoder d;

		sztp_server_list_init(&d, &l);
		for (size_t i = 0; i < n; i++)
			sztp_server_list_push(&d, buf + i, 1);
		CHECK(sztp_server_list_finish(&d, NULL) == 0 && l.n == 2 && !strcmp(l.server[1].host, H2));
	}
	/* Capacity: 40 valid entries keep 32, count 8 in excess. */
	n = 0;
	for (unsigned i = 0; i < 40; i++)
		n += put_entry(buf + n, i);
	CHECK(sztp_server_list_decode(buf, n, &l, NULL) == 0 && l.n == 32 && l.excess == 8 &&
	      l.skipped == 0 && l.server[31].port == 1031);
	/* An entry longer than any valid URI is skipped, the next one kept. */
	n = 0;
	buf[n++] = 0x01;
	buf[n++] = 0x2c; /* 300 */
	memcpy(buf + n, "https://", 8);
	memset(buf + n + 8, 'a', 292);
	n += 300;
	n += unhex(E2, buf + n, sizeof(buf) - n);
	CHECK(sztp_server_list_decode(buf, n, &l, NULL) == 0 && l.n == 1 && l.skipped == 1 &&
	      !strcmp(l.server[0].host, H2));

	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		memset(&e, 0, sizeof(e));
		n = v4msg(msg, sizeof(msg), v4[i].op, v4[i].options, v4[i].file, v4[i].sname) - v4[i].cut;
		r = dhcpv4_sztp_option(msg, n, &l, &e);
		CHECKF((r == 0) == v4[i].ok, "%s: %d %s", v4[i].name, r, e.msg);
		CHECKF(r < 0 ? e.set && l.n == 0 : !e.set, "%s: errbuf", v4[i].name);
		if (r == 0 && v4[i].ok)
			CHECKF(l.n == v4[i].n && l.skipped == v4[i].skipped, "%s: n %zu skipped %zu",
			       v4[i].name, l.n, l.skipped);
	}
	/* Order matters: overload 3 puts H1 first only if file comes before sname. */
	n = v4msg(msg, sizeof(msg), 2, OVL_OPTIONS, OVL_FILE, OVL_SNAME);
	CHECK(dhcpv4_sztp_option(msg, n, &l, NULL) == 0 && l.n == 2 && !strcmp(l.server[0].host, H1) &&
	      !strcmp(l.server[1].host, H2));
	/* The magic cookie is required. */
	n = v4msg(msg, sizeof(msg), 2, N1_OPTION "ff", "", "");
	CHECK(dhcpv4_sztp_option(msg, n, &l, NULL) == 0);
	msg[239] = 0;
	CHECK(dhcpv4_sztp_option(msg, n, &l, NULL) < 0 && l.n == 0);
	/* R67: a list longer than 255 octets, split into full instances. */
	{
		size_t dl = 0, off;

		for (unsigned i = 0; i < 20; i++)
			dl += put_entry(buf + dl, i);
		n = v4msg(msg, sizeof(msg), 2, "", "", "");
		for (off = 0; off < dl; off += 255) {
			size_t k = dl - off < 255 ? dl - off : 255;

			msg[n++] = 143;
			msg[n++] = (uint8_t)k;
			memcpy(msg + n, buf + off, k);
			n += k;
		}
		msg[n++] = 255;
		CHECK(dl > 255);
		CHECK(dhcpv4_sztp_option(msg, n, &l, NULL) == 0 && l.n == 20 && l.skipped == 0 &&
		      !strcmp(l.server[19].host, "h19.example") && l.server[19].port == 1019);
		/* Every shorter message is rejected or yields fewer servers, never more. */
		for (size_t cut = 1; cut <= n; cut++) {
			r = dhcpv4_sztp_option(msg, n - cut, &l, NULL);
			CHECKF(cut == 1 ? r == 0 && l.n == 20 : r < 0 || l.n < 20, "cut %zu: %d", cut, r);
		}
	}

	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		memset(&e, 0, sizeof(e));
		n = unhex(v6[i].hex, buf, sizeof(buf));
		r = dhcpv6_sztp_option(buf, n, &l, &e);
		CHECKF((r == 0) == v6[i].ok, "%s: %d %s", v6[i].name, r, e.msg);
		CHECKF(r < 0 ? e.set && l.n == 0 : !e.set, "%s: errbuf", v6[i].name);
		if (r == 0 && v6[i].ok)
			CHECKF(l.n == v6[i].n, "%s: n %zu", v6[i].name, l.n);
	}

	for (size_t i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
		memset(&e, 0, sizeof(e));
		r = dhcpv4_sztp_from_hex(hexes[i].hex, &l, &e);
		CHECKF((r == 0) == hexes[i].ok, "hex %zu: %d %s", i, r, e.msg);
		CHECKF(r < 0 ? e.set && l.n == 0 : !e.set && l.n == hexes[i].n, "hex %zu: n %zu", i, l.n);
	}
	/* The reason names the place. */
	memset(&e, 0, sizeof(e));
	CHECK(dhcpv4_sztp_from_hex("0", &l, &e) < 0 && strstr(e.msg, "odd"));
	memset(&e, 0, sizeof(e));
	n = unhex(E_HTTP, buf, sizeof(buf));
	CHECK(sztp_server_list_decode(buf, n, &l, &e) < 0 && strstr(e.msg, "no valid") && strstr(e.msg, "1 invalid"));
	TEST_END();
}
