/* dhcp_client: lease files, DHCPINFORM and Information-request builders,
 * the parsers of their replies. Tables of inputs and results. */
#include <arpa/inet.h>
#include <stdlib.h>

#include "dhcp_client.h"
#include "test.h"

/* device-requirements.md N.1 (two URIs) and an entry that is not https. */
#define E1 "001e68747470733a2f2f737a7470312e6578616d706c652e636f6d3a38343433" /* https://sztp1.example.com:8443 */
#define E2 "001568747470733a2f2f5b323030313a6462383a3a315d" /* https://[2001:db8::1] */
#define N1_DATA E1 E2
#define E_HTTP "0012687474703a2f2f6578616d706c652e636f6d" /* http://example.com */
#define MAC "525400123456"
#define XID 0x1a2b3c4du
#define LEASE "interface=eth0\nip=10.0.2.15\nsubnet=255.255.255.0\nrouter=10.0.2.2\n" \
	"dns=10.0.2.3 10.0.2.4\ndomain=example.test\nserverid=10.0.2.2\nlease=86400\n" \
	"opt143=" N1_DATA "\n"

static const struct {
	const char *name, *text;
	int ok;
	const char *subnet;
	size_t nrouter, ndns;
	const char *domain;
	int has_serverid;
	unsigned long lease_s;
	const char *why; /* part of the reason */
} leases[] = {
	{ "as udhcpc.script writes it", LEASE, 1, "255.255.255.0", 1, 2, "example.test", 1, 86400, NULL },
	{ "minimal", "interface=eth0\nip=10.0.2.15\n", 1, "0.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "no final newline", "interface=eth0\nip=10.0.2.15", 1, "0.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "empty optional values", "interface=eth0\nip=10.0.2.15\nsubnet=\nrouter=\ndns=\ndomain=\n"
	  "serverid=\nlease=\nopt143=\n", 1, "0.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "prefix 24", "interface=eth0\nip=10.0.2.15\nsubnet=24\n", 1, "255.255.255.0", 0, 0, "", 0, 0, NULL },
	{ "prefix 0", "interface=eth0\nip=10.0.2.15\nsubnet=0\n", 1, "0.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "prefix 32", "interface=eth0\nip=10.0.2.15\nsubnet=32\n", 1, "255.255.255.255", 0, 0, "", 0, 0, NULL },
	{ "mask /1", "interface=eth0\nip=10.0.2.15\nsubnet=128.0.0.0\n", 1, "128.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "five name servers, four kept", "interface=eth0\nip=10.0.2.15\n"
	  "dns=1.1.1.1 2.2.2.2  3.3.3.3 4.4.4.4 5.5.5.5\n", 1, "0.0.0.0", 0, 4, "", 0, 0, NULL },
	{ "domain: trailing dot dropped", "interface=eth0\nip=10.0.2.15\ndomain=example.test.\n",
	  1, "0.0.0.0", 0, 0, "example.test", 0, 0, NULL },
	{ "domain: not a name, ignored", "interface=eth0\nip=10.0.2.15\ndomain=a b\n",
	  1, "0.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "domain: empty label, ignored", "interface=eth0\nip=10.0.2.15\ndomain=a..b\n",
	  1, "0.0.0.0", 0, 0, "", 0, 0, NULL },
	{ "lease 2^32-1", "interface=eth0\nip=10.0.2.15\nlease=4294967295\n", 1, "0.0.0.0", 0, 0, "",
	  0, 4294967295ul, NULL },
	{ "serverid 0.0.0.0: none", "interface=eth0\nip=10.0.2.15\nserverid=0.0.0.0\n", 1, "0.0.0.0",
	  0, 0, "", 0, 0, NULL },
	{ "serverid broadcast: none", "interface=eth0\nip=10.0.2.15\nserverid=255.255.255.255\n", 1,
	  "0.0.0.0", 0, 0, "", 0, 0, NULL },
	/* refused */
	{ "ip 0.0.0.0", "interface=eth0\nip=0.0.0.0\n", 0, NULL, 0, 0, NULL, 0, 0, "bad ip" },
	{ "ip multicast", "interface=eth0\nip=224.0.0.1\n", 0, NULL, 0, 0, NULL, 0, 0, "bad ip" },
	{ "ip broadcast", "interface=eth0\nip=255.255.255.255\n", 0, NULL, 0, 0, NULL, 0, 0, "bad ip" },
	{ "no ip", "interface=eth0\n", 0, NULL, 0, 0, NULL, 0, 0, "no `ip'" },
	{ "no interface", "ip=10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "no `interface'" },
	{ "empty", "", 0, NULL, 0, 0, NULL, 0, 0, "no `interface'" },
	{ "unknown key", LEASE "mask=24\n", 0, NULL, 0, 0, NULL, 0, 0, "line 10: unknown key `mask'" },
	{ "key twice", LEASE "ip=10.0.2.16\n", 0, NULL, 0, 0, NULL, 0, 0, "`ip' given twice" },
	{ "no =", "interface=eth0\nip 10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "line 2: not key=value" },
	{ "blank line", "interface=eth0\n\nip=10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "line 2" },
	{ "space before =", "interface=eth0\nip =10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "unknown key" },
	{ "bad ip", "interface=eth0\nip=10.0.2\n", 0, NULL, 0, 0, NULL, 0, 0, "bad ip `10.0.2'" },
	{ "empty ip", "interface=eth0\nip=\n", 0, NULL, 0, 0, NULL, 0, 0, "bad ip" },
	{ "mask with a hole", "interface=eth0\nip=10.0.2.15\nsubnet=255.0.255.0\n", 0, NULL, 0, 0,
	  NULL, 0, 0, "bad subnet" },
	{ "prefix 33", "interface=eth0\nip=10.0.2.15\nsubnet=33\n", 0, NULL, 0, 0, NULL, 0, 0, "bad subnet" },
	{ "prefix -1", "interface=eth0\nip=10.0.2.15\nsubnet=-1\n", 0, NULL, 0, 0, NULL, 0, 0, "bad subnet" },
	{ "bad router", "interface=eth0\nip=10.0.2.15\nrouter=10.0.2.2 gw\n", 0, NULL, 0, 0, NULL, 0,
	  0, "bad router" },
	{ "bad serverid", "interface=eth0\nip=10.0.2.15\nserverid=::1\n", 0, NULL, 0, 0, NULL, 0, 0,
	  "bad serverid" },
	{ "lease 2^32", "interface=eth0\nip=10.0.2.15\nlease=4294967296\n", 0, NULL, 0, 0, NULL, 0, 0,
	  "bad lease" },
	{ "lease +1", "interface=eth0\nip=10.0.2.15\nlease=+1\n", 0, NULL, 0, 0, NULL, 0, 0, "bad lease" },
	{ "opt143 odd", "interface=eth0\nip=10.0.2.15\nopt143=001\n", 0, NULL, 0, 0, NULL, 0, 0,
	  "bad opt143" },
	{ "opt143 not hex", "interface=eth0\nip=10.0.2.15\nopt143=0x\n", 0, NULL, 0, 0, NULL, 0, 0,
	  "bad opt143" },
	{ "interface with /", "interface=../x\nip=10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "bad interface" },
	{ "interface ..", "interface=..\nip=10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "bad interface" },
	{ "interface 16 chars", "interface=abcdefghijklmnop\nip=10.0.2.15\n", 0, NULL, 0, 0, NULL, 0,
	  0, "bad interface" },
	{ "CR", "interface=eth0\r\nip=10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "line 1: control" },
	{ "tab", "interface=eth0\nip=\t10.0.2.15\n", 0, NULL, 0, 0, NULL, 0, 0, "line 2: control" },
	{ "non-ASCII", "interface=eth0\nip=10.0.2.15\ndomain=\xc3\xa4.test\n", 0, NULL, 0, 0, NULL,
	  0, 0, "non-ASCII" },
};

/* A BOOTREPLY: op, our xid and MAC unless told, the cookie, options (hex). */
static size_t reply4(uint8_t *m, size_t cap, unsigned op, uint32_t xid, const char *mac,
		     const char *options, const char *file)
{
	memset(m, 0, cap);
	m[0] = (uint8_t)op;
	m[1] = 1;
	m[2] = 6;
	m[4] = (uint8_t)(xid >> 24);
	m[5] = (uint8_t)(xid >> 16);
	m[6] = (uint8_t)(xid >> 8);
	m[7] = (uint8_t)xid;
	unhex(mac, m + 28, 16);
	unhex(file, m + 108, 128);
	m[236] = 99; m[237] = 130; m[238] = 83; m[239] = 99;
	return 240 + unhex(options, m + 240, cap - 240);
}

static const struct {
	const char *name;
	unsigned op;
	uint32_t xid;
	const char *mac, *options, *file;
	int r;                       /* dhcp4_ack_parse() */
	enum dhcp_sztp_state sztp;
	size_t n, ndns;
	const char *domain, *server;
} acks[] = {
	{ "ACK: 54, 6, 15, 143", 2, XID, MAC, "350105" "36040a000202" "06080a0002030a000204"
	  "0f0c6578616d706c652e74657374" "8f37" N1_DATA "ff", "", 0, DHCP_SZTP_OK, 2, 2,
	  "example.test", "10.0.2.2" },
	{ "ACK: 143 in two instances, 6 between", 2, XID, MAC, "350105" "8f0f" "001e68747470733a2f2f737a747031"
	  "06040a000203" "8f28" "2e6578616d706c652e636f6d3a38343433" E2 "ff", "", 0, DHCP_SZTP_OK, 2, 1,
	  "", "0.0.0.0" },
	{ "ACK: 143 in the file field (52 = 1)", 2, XID, MAC, "350105340101ff", "8f37" N1_DATA "ff", 0,
	  DHCP_SZTP_OK, 2, 0, "", "0.0.0.0" },
	{ "ACK: no 143", 2, XID, MAC, "350105" "06040a000203" "ff", "", 0, DHCP_SZTP_ABSENT, 0, 1, "",
	  "0.0.0.0" },
	{ "ACK: 143 not https (R66)", 2, XID, MAC, "350105" "8f14" E_HTTP "ff", "", 0,
	  DHCP_SZTP_DISCARDED, 0, 0, "", "0.0.0.0" },
	{ "ACK: 15 NUL-terminated", 2, XID, MAC, "350105" "0f0d6578616d706c652e7465737400" "ff", "", 0,
	  DHCP_SZTP_ABSENT, 0, 0, "example.test", "0.0.0.0" },
	{ "ACK: 15 not a name", 2, XID, MAC, "350105" "0f0361206200" "ff", "", 0, DHCP_SZTP_ABSENT, 0,
	  0, "", "0.0.0.0" },
	{ "ACK: 6 of 6 octets ignored", 2, XID, MAC, "350105" "06060a0002030a00" "ff", "", 0,
	  DHCP_SZTP_ABSENT, 0, 0, "", "0.0.0.0" },
	{ "ACK: 6 with five, four kept", 2, XID, MAC, "350105" "0614" "0101010102020202030303030404040405050505"
	  "ff", "", 0, DHCP_SZTP_ABSENT, 0, 4, "", "0.0.0.0" },
	{ "ACK: 54 of 2 octets ignored", 2, XID, MAC, "350105" "36020a00" "ff", "", 0, DHCP_SZTP_ABSENT,
	  0, 0, "", "0.0.0.0" },
	/* errors: -1 */
	{ "NAK", 2, XID, MAC, "350106ff", "", -1, 0, 0, 0, NULL, NULL },
	{ "ACK: option overruns", 2, XID, MAC, "350105" "8f37" E1, "", -1, 0, 0, 0, NULL, NULL },
	{ "ACK: option overruns file", 2, XID, MAC, "350105340101ff", "8f7f" E1, -1, 0, 0, 0, NULL, NULL },
	/* option 52: once, only in the options field, 1..3 (RFC 2131 4.1) */
	{ "ACK: 52 twice", 2, XID, MAC, "350105" "340101" "340101ff", "", -1, 0, 0, 0, NULL, NULL },
	{ "ACK: 52 in the file field", 2, XID, MAC, "350105340101ff", "340102ff", -1, 0, 0, 0, NULL, NULL },
	{ "ACK: 52 = 4", 2, XID, MAC, "350105340104ff", "", -1, 0, 0, 0, NULL, NULL },
	/* not ours, or not an answer: 1 */
	{ "OFFER", 2, XID, MAC, "350102ff", "", 1, 0, 0, 0, NULL, NULL },
	{ "other xid", 2, XID + 1, MAC, "350105ff", "", 1, 0, 0, 0, NULL, NULL },
	{ "other MAC", 2, XID, "525400123457", "350105ff", "", 1, 0, 0, 0, NULL, NULL },
	{ "BOOTREQUEST", 1, XID, MAC, "350105ff", "", 1, 0, 0, 0, NULL, NULL },
	{ "BOOTP reply (no 53)", 2, XID, MAC, "ff", "", 1, 0, 0, 0, NULL, NULL },
	{ "53 of 2 octets", 2, XID, MAC, "35020505ff", "", 1, 0, 0, 0, NULL, NULL },
};

#define DUID "00030001" MAC
#define SID "0002000e000100012f3a4b5c0a0b0c0d0e0f" /* Server Identifier, a DUID-LLT */
static const struct {
	const char *name, *hex;
	int r;
	enum dhcp_sztp_state sztp;
	size_t n, ndns, ndomains;
	const char *domain0;
} replies[] = {
	{ "Reply: 136, 23, 24", "07abcdef" "0001000a" DUID SID "00170010" "fd990000000000000000000000000001"
	  "00180016" "076578616d706c650474657374000373697802657800" "00880037" N1_DATA, 0,
	  DHCP_SZTP_OK, 2, 1, 2, "example.test" },
	{ "Reply without Client Identifier", "07abcdef" SID "00880017" E2, 0, DHCP_SZTP_OK, 1, 0, 0, NULL },
	{ "Reply without 136", "07abcdef" SID "00170020" "fd990000000000000000000000000001"
	  "fd990000000000000000000000000002", 0, DHCP_SZTP_ABSENT, 0, 2, 0, NULL },
	{ "Reply: 136 twice (R68)", "07abcdef" SID "00880017" E2 "00880017" E2, 0, DHCP_SZTP_DISCARDED,
	  0, 0, 0, NULL },
	{ "Reply: 136 not https", "07abcdef" SID "00880014" E_HTTP, 0, DHCP_SZTP_DISCARDED, 0, 0, 0, NULL },
	{ "Reply: 23 of 17 octets ignored", "07abcdef" SID "00170011" "fd99000000000000000000000000000100",
	  0, DHCP_SZTP_ABSENT, 0, 0, 0, NULL },
	{ "Reply: 24, bad name skipped", "07abcdef" SID "0018000d" "03612062000178000178000000",
	  0, DHCP_SZTP_ABSENT, 0, 0, 2, "x" },
	{ "Reply: 24, compression pointer ends it", "07abcdef" SID "00180008" "01610000c00c0000",
	  0, DHCP_SZTP_ABSENT, 0, 0, 1, "a" },
	{ "Reply: 24, cut name", "07abcdef" SID "00180006" "016100037878", 0, DHCP_SZTP_ABSENT, 0, 0, 1, "a" },
	{ "Reply: 24, label overruns", "07abcdef" SID "00180003" "056162", 0, DHCP_SZTP_ABSENT, 0, 0, 0, NULL },
	/* errors */
	{ "Reply: option overruns", "07abcdef" SID "00880038" N1_DATA, -1, 0, 0, 0, 0, NULL },
	{ "Reply: option header cut", "07abcdef" SID "0088", -1, 0, 0, 0, 0, NULL },
	/* not ours */
	{ "Reply: no Server Identifier", "07abcdef" "00880017" E2, 1, 0, 0, 0, 0, NULL },
	{ "Reply: other Client Identifier", "07abcdef" "0001000a" "00030001525400123457" SID
	  "00880017" E2, 1, 0, 0, 0, 0, NULL },
	{ "Reply: Client Identifier of other length", "07abcdef" "00010004" "00030001" SID "00880017" E2,
	  1, 0, 0, 0, 0, NULL },
	{ "Reply: other xid", "07abcdee" SID "00880017" E2, 1, 0, 0, 0, 0, NULL },
	{ "Advertise", "02abcdef" SID "00880017" E2, 1, 0, 0, 0, 0, NULL },
	{ "short", "07abcd", 1, 0, 0, 0, 0, NULL },
};

int main(void)
{
	static struct lease4 l;
	static struct dhcp4_info i4;
	static struct dhcp6_info i6;
	static uint8_t m[1500], want[400];
	uint8_t mac[6], duid[DHCP6_DUID_LL_LEN];
	struct errbuf e;
	char a[INET_ADDRSTRLEN];
	size_t n;
	int r;

	unhex(MAC, mac, sizeof(mac));
	for (size_t i = 0; i < sizeof(leases) / sizeof(leases[0]); i++) {
		memset(&e, 0, sizeof(e));
		r = lease4_parse(leases[i].text, strlen(leases[i].text), &l, &e);
		CHECKF((r == 0) == leases[i].ok, "%s: %d %s", leases[i].name, r, e.msg);
		if (r < 0) {
			CHECKF(e.set && strstr(e.msg, leases[i].why) && l.ifname[0] == 0, "%s: `%s'",
			       leases[i].name, e.msg);
			continue;
		}
		if (!leases[i].ok)
			continue;
		CHECKF(!strcmp(l.ifname, "eth0") && l.ip.s_addr == inet_addr("10.0.2.15"), "%s: %s",
		       leases[i].name, l.ifname);
		CHECKF(!strcmp(inet_ntop(AF_INET, &l.subnet, a, sizeof(a)), leases[i].subnet), "%s: subnet %s",
		       leases[i].name, a);
		CHECKF(l.nrouter == leases[i].nrouter && l.ndns == leases[i].ndns &&
		       !strcmp(l.domain, leases[i].domain) && l.has_serverid == leases[i].has_serverid &&
		       l.lease_s == leases[i].lease_s, "%s: %zu %zu `%s' %d %lu", leases[i].name, l.nrouter,
		       l.ndns, l.domain, l.has_serverid, l.lease_s);
	}
	/* The full file, field by field. */
	CHECK(lease4_parse(LEASE, strlen(LEASE), &l, NULL) == 0 && l.router[0].s_addr == inet_addr("10.0.2.2") &&
	      l.dns[1].s_addr == inet_addr("10.0.2.4") && l.serverid.s_addr == inet_addr("10.0.2.2") &&
	      !strcmp(l.opt143, N1_DATA));
	/* A NUL is a control character, not the end of the file. */
	CHECK(lease4_parse("interface=eth0\nip=10.0.2.15\n\0x=1\n", 32, &l, NULL) < 0);
	/* opt143: LEASE4_OPT143_MAX octets fit, one more does not. */
	{
		static char big[3 * LEASE4_OPT143_MAX];
		size_t k = (size_t)sprintf(big, "interface=eth0\nip=10.0.2.15\nopt143=");

		memset(big + k, 'a', 2 * LEASE4_OPT143_MAX);
		CHECK(lease4_parse(big, k + 2 * LEASE4_OPT143_MAX, &l, NULL) == 0 &&
		      strlen(l.opt143) == 2 * LEASE4_OPT143_MAX);
		memset(big + k, 'a', 2 * LEASE4_OPT143_MAX + 2);
		memset(&e, 0, sizeof(e));
		CHECK(lease4_parse(big, k + 2 * LEASE4_OPT143_MAX + 2, &l, &e) < 0 && strstr(e.msg, "too long"));
	}
	/* Files: a missing one, and the reason names it. */
	memset(&e, 0, sizeof(e));
	CHECK(lease4_load("/nonexistent/eth0.lease4", &l, &e) < 0 && strstr(e.msg, "/nonexistent/eth0.lease4"));

	/* DHCPINFORM, byte for byte. */
	{
		struct in_addr ci = { inet_addr("10.0.2.15") };

		CHECK(dhcp4_inform_build(m, DHCP4_INFORM_LEN - 1, XID, 0, mac, ci) == 0);
		n = dhcp4_inform_build(m, sizeof(m), XID, 3, mac, ci);
		CHECK(n == DHCP4_INFORM_LEN);
		memset(want, 0, sizeof(want));
		unhex("010106001a2b3c4d000300000a00020f000000000000000000000000" MAC, want, sizeof(want));
		unhex("63825363" "350108" "3d0701" MAC "3703060f8f" "390205dc" "ff", want + 236, 64);
		CHECK(!memcmp(m, want, DHCP4_INFORM_LEN));
	}

	for (size_t i = 0; i < sizeof(acks) / sizeof(acks[0]); i++) {
		memset(&e, 0, sizeof(e));
		n = reply4(m, sizeof(m), acks[i].op, acks[i].xid, acks[i].mac, acks[i].options, acks[i].file);
		r = dhcp4_ack_parse(m, n, XID, mac, &i4, &e);
		CHECKF(r == acks[i].r, "%s: %d %s", acks[i].name, r, e.msg);
		CHECKF((r < 0) == e.set, "%s: errbuf", acks[i].name);
		if (r != 0 || acks[i].r != 0)
			continue;
		CHECKF(i4.sztp == acks[i].sztp && i4.servers.n == acks[i].n && i4.ndns == acks[i].ndns &&
		       !strcmp(i4.domain, acks[i].domain) &&
		       !strcmp(inet_ntop(AF_INET, &i4.server, a, sizeof(a)), acks[i].server),
		       "%s: sztp %d n %zu dns %zu `%s' %s", acks[i].name, i4.sztp, i4.servers.n, i4.ndns,
		       i4.domain, a);
		CHECKF((i4.sztp == DHCP_SZTP_DISCARDED) == (i4.why[0] != 0), "%s: why `%s'", acks[i].name, i4.why);
	}
	/* Every shorter ACK is refused or ignored or yields no more servers. */
	n = reply4(m, sizeof(m), 2, XID, MAC, "350105" "8f37" N1_DATA "ff", "");
	for (size_t cut = 1; cut <= n; cut++) {
		r = dhcp4_ack_parse(m, n - cut, XID, mac, &i4, NULL);
		CHECKF(r != 0 || i4.servers.n <= 2, "cut %zu", cut);
	}
	memset(&e, 0, sizeof(e));
	n = reply4(m, sizeof(m), 2, XID, MAC, "350106ff", "");
	CHECK(dhcp4_ack_parse(m, n, XID, mac, &i4, &e) < 0 && !strcmp(e.msg, "DHCPNAK"));

	/* Information-request, byte for byte. */
	dhcp6_duid_ll(mac, duid);
	n = unhex(DUID, want, sizeof(want));
	CHECK(n == DHCP6_DUID_LL_LEN && !memcmp(duid, want, n));
	CHECK(dhcp6_inforeq_build(m, 37, 0xabcdef, 0, duid) == 0);
	n = dhcp6_inforeq_build(m, sizeof(m), 0x12abcdef, 150, duid);
	CHECK(n == unhex("0babcdef" "0001000a" DUID "00080002" "0096" "0006000a" "00880017001800200053",
			 want, sizeof(want)) && !memcmp(m, want, n));

	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		memset(&e, 0, sizeof(e));
		n = unhex(replies[i].hex, m, sizeof(m));
		r = dhcp6_reply_parse(m, n, 0xabcdef, duid, &i6, &e);
		CHECKF(r == replies[i].r, "%s: %d %s", replies[i].name, r, e.msg);
		CHECKF((r < 0) == e.set, "%s: errbuf", replies[i].name);
		if (r != 0 || replies[i].r != 0)
			continue;
		CHECKF(i6.sztp == replies[i].sztp && i6.servers.n == replies[i].n &&
		       i6.ndns == replies[i].ndns && i6.ndomains == replies[i].ndomains,
		       "%s: sztp %d n %zu dns %zu domains %zu", replies[i].name, i6.sztp, i6.servers.n,
		       i6.ndns, i6.ndomains);
		if (replies[i].domain0)
			CHECKF(i6.ndomains > 0 && !strcmp(i6.domain[0], replies[i].domain0), "%s: `%s'",
			       replies[i].name, i6.domain[0]);
	}
	n = unhex(replies[0].hex, m, sizeof(m));
	CHECK(dhcp6_reply_parse(m, n, 0xabcdef, duid, &i6, NULL) == 0 && !strcmp(i6.domain[1], "six.ex") &&
	      i6.dns[0].s6_addr[0] == 0xfd && i6.dns[0].s6_addr[15] == 1 &&
	      !strcmp(i6.servers.server[1].host, "2001:db8::1"));

	/* Interface names become paths: only plain ones. */
	memset(&e, 0, sizeof(e));
	CHECK(dhcp_if_mac("../lo", mac, &e) < 0 && strstr(e.msg, "bad interface name"));
	CHECK(dhcp_if_mac("", mac, NULL) < 0 && dhcp_if_mac("a b", mac, NULL) < 0);
	TEST_END();
}
