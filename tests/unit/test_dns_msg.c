/* DNS messages (RFC 1035) for RFC 8572 4.2: tables of messages and results. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "dns_msg.h"
#include "source_dns.h"
#include "test.h"

/*
 * Messages are written in a small notation: hex octets, spaces ignored,
 * 'text' for ASCII, [ ... ] for a one-octet length of what is inside (labels,
 * character-strings), ( ... ) for a two-octet one (RDLENGTH).
 */
static size_t build(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0, st1[8], st2[8];
	int d1 = 0, d2 = 0;

	while (*s) {
		unsigned v;

		if (*s == ' ') {
			s++;
		} else if (*s == '[' || *s == '(') {
			if (d1 == 8 || d2 == 8 || n + 2 > cap)
				abort();
			if (*s++ == '[')
				st1[d1++] = n++;
			else
				st2[d2++] = (n += 2) - 2;
		} else if (*s == ']') {
			size_t at = st1[--d1];

			if (d1 < 0 || n - at - 1 > 255)
				abort();
			out[at] = (uint8_t)(n - at - 1);
			s++;
		} else if (*s == ')') {
			size_t at = st2[--d2];

			if (d2 < 0)
				abort();
			out[at] = (uint8_t)((n - at - 2) >> 8);
			out[at + 1] = (uint8_t)(n - at - 2);
			s++;
		} else if (*s == '\'') {
			for (s++; *s && *s != '\''; s++) {
				if (n == cap)
					abort();
				out[n++] = (uint8_t)*s;
			}
			if (*s++ != '\'')
				abort();
		} else {
			if (n == cap || sscanf(s, "%2x", &v) != 1 || !s[1])
				abort();
			out[n++] = (uint8_t)v;
			s += 2;
		}
	}
	if (d1 || d2)
		abort();
	return n;
}

/* id 1234, QR RD RA, one question; counts of answer, authority, additional. */
#define H(an, ns, ar) "1234 8180 0001 " an " " ns " " ar " "
#define HF(flags, an) "1234 " flags " 0001 " an " 0000 0000 "
#define QN "['SN1']['_sztp']['ex']00 "              /* at offset 12 */
#define Q_TXT QN "0010 0001 "
#define Q_SRV "['_sztp']['_tcp']['ex']00 0021 0001 " /* "ex" at offset 24 */
#define TTL " 00000e10 "
#define TXT(owner, data) owner " 0010 0001" TTL "(" data ") "
#define TXT0(data) TXT("c00c", data)
#define SRV(pri, w, port, target) "c00c 0021 0001" TTL "(" pri w port target ") "

static const struct {
	const char *name;
	const char *msg;
	int r;                       /* outcome, -1 error */
	const char *ci, *oc, *ov;    /* expected values (hex), NULL absent */
	size_t ignored;
	const char *err;             /* part of the reason */
} txts[] = {
	{ "one record", H("0001", "0000", "0000") Q_TXT TXT0("['ci=ABC']"), 1, "414243", NULL, NULL, 0, NULL },
	{ "character-strings concatenated", H("0001", "0000", "0000") Q_TXT
	  TXT0("['c']['i=A']['']['BC']"), 1, "414243", NULL, NULL, 0, NULL },
	{ "split at the first =", H("0001", "0000", "0000") Q_TXT TXT0("['ci=a=b']"), 1, "613d62", NULL,
	  NULL, 0, NULL },
	{ "three artifacts, binary values", H("0003", "0000", "0000") Q_TXT
	  TXT0("['ov=' 00 ff 0a]") TXT0("['ci=' 30 00 ['x']]") TXT0("['oc=' 00]"),
	  1, "30000178", "00", "00ff0a", 0, NULL },
	{ "keys in any case", H("0001", "0000", "0000") Q_TXT TXT0("['CI=ABC']"), 1, "414243", NULL, NULL, 0, NULL },
	{ "other keys ignored (R54)", H("0004", "0000", "0000") Q_TXT TXT0("['txtvers=1']")
	  TXT0("['flag']") TXT0("['ci=ABC']") TXT0("['cix=1']"), 1, "414243", NULL, NULL, 3, NULL },
	{ "empty RDATA ignored", H("0002", "0000", "0000") Q_TXT TXT0("") TXT0("['ci=A']"), 1, "41", NULL,
	  NULL, 1, NULL },
	{ "owner spelled out, other case", H("0001", "0000", "0000") Q_TXT
	  TXT("['sn1']['_SZTP']['EX']00", "['ci=ABC']"), 1, "414243", NULL, NULL, 0, NULL },
	{ "owner compressed twice", H("0002", "0000", "0000") Q_TXT TXT0("['xx=1']")
	  TXT("['SN1'] c010", "['ci=A']"), 1, "41", NULL, NULL, 1, NULL },
	{ "pointer to a pointer", H("0002", "0000", "0000") Q_TXT TXT0("['xx=1']")
	  TXT("c01e", "['ci=A']"), 1, "41", NULL, NULL, 1, NULL },
	{ "other owners and sections ignored", H("0001", "0001", "0001") Q_TXT
	  TXT("['SN2'] c010", "['ci=X']") TXT0("['ci=Y']") TXT0("['ci=Z']"), 0, NULL, NULL, NULL, 0, NULL },
	{ "TXT after a CNAME", H("0002", "0000", "0000") Q_TXT
	  "c00c 0005 0001" TTL "(['t'] c016)" TXT("['t'] c016", "['ci=C']"), 1, "43", NULL, NULL, 0, NULL },
	{ "EDNS OPT in additional", H("0001", "0000", "0001") Q_TXT TXT0("['ci=A']") "00 0029 04d0 00000000 0000",
	  1, "41", NULL, NULL, 0, NULL },
	{ "no answer (NODATA)", H("0000", "0000", "0000") Q_TXT, 0, NULL, NULL, NULL, 0, NULL },
	{ "NXDOMAIN", HF("8183", "0000") Q_TXT, 0, NULL, NULL, NULL, 0, NULL },
	{ "NXDOMAIN with SOA", "1234 8183 0001 0000 0001 0000 " Q_TXT
	  "c016 0006 0001" TTL "(['ns'] c016 ['h'] c016 00000001 00000002 00000003 00000004 00000005)",
	  0, NULL, NULL, NULL, 0, NULL },
	{ "TC set", HF("8380", "0000") Q_TXT, 2, NULL, NULL, NULL, 0, NULL },
	{ "TC set, cut in the question", HF("8380", "0000") "['SN1']", 2, NULL, NULL, NULL, 0, NULL },
	/* semantic errors */
	{ "key twice", H("0002", "0000", "0000") Q_TXT TXT0("['ci=A']") TXT0("['ci=A']"), -1, NULL, NULL,
	  NULL, 0, "more than one record" },
	{ "key twice, different case", H("0002", "0000", "0000") Q_TXT TXT0("['oc=A']") TXT0("['OC=B']['']"),
	  -1, NULL, NULL, NULL, 0, "more than one record" },
	{ "oc without ci", H("0001", "0000", "0000") Q_TXT TXT0("['oc=A']"), -1, NULL, NULL, NULL, 0,
	  "no `ci'" },
	{ "empty value", H("0001", "0000", "0000") Q_TXT TXT0("['ci=']"), -1, NULL, NULL, NULL, 0,
	  "empty value" },
	{ "SERVFAIL", HF("8182", "0000") Q_TXT, -1, NULL, NULL, NULL, 0, "SERVFAIL" },
	{ "REFUSED", HF("8185", "0000") Q_TXT, -1, NULL, NULL, NULL, 0, "REFUSED" },
	{ "CNAME loop", H("0002", "0000", "0000") Q_TXT "c00c 0005 0001" TTL "(['t'] c016)"
	  "c02a 0005 0001" TTL "(c00c)", -1, NULL, NULL, NULL, 0, "CNAMEs" },
	/* not an answer to our query */
	{ "other id", "4321 8180 0001 0001 0000 0000 " Q_TXT TXT0("['ci=A']"), -1, NULL, NULL, NULL, 0,
	  "not a response to our query" },
	{ "a query", "1234 0100 0001 0000 0000 0000 " Q_TXT, -1, NULL, NULL, NULL, 0, "not a response" },
	{ "opcode 2", HF("9180", "0000") Q_TXT, -1, NULL, NULL, NULL, 0, "opcode 2" },
	{ "other question type", H("0000", "0000", "0000") QN "0021 0001", -1, NULL, NULL, NULL, 0,
	  "not ours" },
	{ "other question name", H("0000", "0000", "0000") "['SN2']['_sztp']['ex']00 0010 0001", -1, NULL,
	  NULL, NULL, 0, "not ours" },
	{ "question class CH", H("0000", "0000", "0000") QN "0010 0003", -1, NULL, NULL, NULL, 0, "not ours" },
	{ "no question", "1234 8180 0000 0000 0000 0000", -1, NULL, NULL, NULL, 0, "no question" },
	{ "two questions", "1234 8180 0002 0000 0000 0000 " Q_TXT Q_TXT, -1, NULL, NULL, NULL, 0,
	  "2 questions" },
	{ "header only, short", "1234 8180 0001 0000 0000", -1, NULL, NULL, NULL, 0, "too short" },
	/* malformed */
	{ "question truncated", H("0000", "0000", "0000") QN "0010 00", -1, NULL, NULL, NULL, 0,
	  "question truncated" },
	{ "record truncated in its fixed part", H("0001", "0000", "0000") Q_TXT "c00c 0010 0001 0000", -1,
	  NULL, NULL, NULL, 0, "truncated" },
	{ "answer count beyond the message", H("0002", "0000", "0000") Q_TXT TXT0("['ci=A']"), -1, NULL,
	  NULL, NULL, 0, "runs past" },
	{ "RDLENGTH overruns", H("0001", "0000", "0000") Q_TXT "c00c 0010 0001" TTL "0006 ['ci=A']", -1,
	  NULL, NULL, NULL, 0, "RDLENGTH 6 overruns" },
	{ "character-string overruns its record", H("0001", "0000", "0000") Q_TXT TXT0("['ci=A'] 05 'ab'"),
	  -1, NULL, NULL, NULL, 0, "overruns it" },
	{ "octets after the last record", H("0001", "0000", "0000") Q_TXT TXT0("['ci=A']") "00", -1, NULL,
	  NULL, NULL, 0, "1 octets after" },
	{ "pointer forward", H("0001", "0000", "0000") Q_TXT TXT("c030", "['ci=A']") "['x']00", -1, NULL,
	  NULL, NULL, 0, "does not point back" },
	{ "pointer to itself", H("0001", "0000", "0000") Q_TXT TXT("c01e", "['ci=A']"), -1, NULL, NULL,
	  NULL, 0, "does not point back" },
	{ "pointer loop through a label", H("0001", "0000", "0000") Q_TXT TXT("['a'] c01e", "['ci=A']"),
	  -1, NULL, NULL, NULL, 0, "does not point back" },
	{ "pointer into the header", H("0001", "0000", "0000") Q_TXT TXT("c004", "['ci=A']"), -1, NULL,
	  NULL, NULL, 0, "does not point back" },
	{ "pointer cut", H("0001", "0000", "0000") Q_TXT "c0", -1, NULL, NULL, NULL, 0, "runs past" },
	{ "label type 01", H("0001", "0000", "0000") Q_TXT TXT("41 'a' 00", "['ci=A']"), -1, NULL, NULL,
	  NULL, 0, "label type 1" },
	{ "label type 10", H("0001", "0000", "0000") Q_TXT TXT("81 'a' 00", "['ci=A']"), -1, NULL, NULL,
	  NULL, 0, "label type 2" },
	{ "label runs past the message", H("0001", "0000", "0000") Q_TXT "3f 'abc'", -1, NULL, NULL, NULL,
	  0, "runs past" },
	{ "CNAME RDATA longer than its name", H("0001", "0000", "0000") Q_TXT
	  "c00c 0005 0001" TTL "(['t'] c016 00)", -1, NULL, NULL, NULL, 0, "does not end with its name" },
	{ "malformed additional record", H("0001", "0000", "0001") Q_TXT TXT0("['ci=A']") "c00c 0001 0001"
	  TTL "(c0a80001) 00", -1, NULL, NULL, NULL, 0, "1 octets after" },
};

/* mDNS (RFC 6762): id 0, no question, cache-flush bit; or a legacy unicast
 * reply echoing the id and the question. */
static const struct {
	const char *name;
	const char *msg;
	int r;
	const char *ci;
} mdns_txts[] = {
	{ "multicast style", "0000 8400 0000 0001 0000 0000 ['SN1']['_sztp']['local']00 0010 8001"
	  TTL "(['ci=M'])", 1, "4d" },
	{ "legacy unicast", "1234 8400 0001 0001 0000 0000 ['SN1']['_sztp']['local']00 0010 0001 c00c 0010 0001"
	  TTL "(['ci=L'])", 1, "4c" },
	{ "TC ignored", "0000 8600 0000 0001 0000 0000 ['SN1']['_sztp']['local']00 0010 8001"
	  TTL "(['ci=T'])", 1, "54" },
	{ "other id", "4321 8400 0000 0001 0000 0000 ['SN1']['_sztp']['local']00 0010 8001"
	  TTL "(['ci=M'])", -1, NULL },
	{ "other name", "0000 8400 0000 0001 0000 0000 ['SN2']['_sztp']['local']00 0010 8001"
	  TTL "(['ci=M'])", 0, NULL },
};

static const struct {
	const char *name;
	const char *msg;
	int r;
	const char *servers;   /* "host:port " each, in order */
	size_t skipped;
	int no_service;
} srvs[] = {
	/* RFC 8572 4.2.3 example */
	{ "RFC 8572 example", H("0004", "0000", "0000") Q_SRV
	  SRV("0000", "0000", "01bb", "['sztp3']['example']['com']00")
	  SRV("0001", "0000", "01bb", "['sztp2'] c037")
	  SRV("0000", "0000", "01bb", "['sztp1'] c037")
	  SRV("0002", "0000", "01bb", "['sztp4'] c037"),
	  1, "sztp3.example.com:443 sztp1.example.com:443 sztp2.example.com:443 sztp4.example.com:443 ", 0, 0 },
	{ "priority up, weight down", H("0004", "0000", "0000") Q_SRV
	  SRV("000a", "0005", "20fb", "['a'] c017") SRV("0000", "000a", "20fb", "['b'] c017")
	  SRV("0000", "0014", "20fb", "['c'] c017") SRV("000a", "0032", "20fb", "['d'] c017"),
	  1, "c.ex:8443 b.ex:8443 d.ex:8443 a.ex:8443 ", 0, 0 },
	{ "target \".\"", H("0001", "0000", "0000") Q_SRV SRV("0000", "0000", "0000", "00"), 1, "", 0, 1 },
	{ "bad targets skipped", H("0005", "0000", "0000") Q_SRV
	  SRV("0000", "0000", "01bb", "['a_b'] c017") SRV("0000", "0000", "0000", "['ok'] c017")
	  SRV("0000", "0000", "01bb", "['a.b'] c017") SRV("0000", "0000", "01bb", "['-x'] c017")
	  SRV("0001", "0000", "01bb", "['ok'] c017"),
	  1, "ok.ex:443 ", 4, 0 },
	{ "numeric target is an address", H("0001", "0000", "0000") Q_SRV
	  SRV("0000", "0000", "01bb", "['192']['0']['2']['1']00"), 1, "192.0.2.1:443 ", 0, 0 },
	{ "same server twice", H("0002", "0000", "0000") Q_SRV SRV("0000", "0000", "01bb", "['a'] c017")
	  SRV("0001", "0000", "01bb", "['A'] c017"), 1, "a.ex:443 ", 0, 0 },
	{ "other names and types ignored", H("0003", "0000", "0001") Q_SRV
	  "['x'] c017 0021 0001" TTL "(0000 0000 01bb ['x'] c017)"
	  "c00c 0010 0001" TTL "(['ci=A'])"
	  SRV("0005", "0000", "01bb", "['s'] c017")
	  SRV("0000", "0000", "01bb", "['t'] c017"), 1, "s.ex:443 ", 0, 0 },
	{ "NXDOMAIN", HF("8183", "0000") Q_SRV, 0, "", 0, 0 },
	{ "no SRV", H("0000", "0000", "0000") Q_SRV, 0, "", 0, 0 },
	{ "TC", HF("8380", "0000") Q_SRV, 2, "", 0, 0 },
	{ "RDATA too short", H("0001", "0000", "0000") Q_SRV SRV("0000", "0000", "01bb", ""), -1, "", 0, 0 },
	{ "target does not end the RDATA", H("0001", "0000", "0000") Q_SRV
	  SRV("0000", "0000", "01bb", "['a'] c017 00"), -1, "", 0, 0 },
	{ "target runs past the RDATA", H("0001", "0000", "0000") Q_SRV
	  SRV("0000", "0000", "01bb", "['a']") "['ex']00", -1, "", 0, 0 },
};

static int value_is(const struct dns_value *v, const char *want)
{
	uint8_t w[64];
	size_t n;

	if (!want)
		return v->p == NULL;
	n = unhex(want, w, sizeof(w));
	return v->p && v->len == n && !memcmp(v->p, w, n);
}

static uint8_t msg[DNS_MSG_MAX + 16];
static struct dns_device_data dev;

static void test_txt(void)
{
	struct dns_question q, qm;

	CHECK(dns_question_set(&q, "SN1._sztp.ex", DNS_TYPE_TXT, 0x1234, 0, NULL) == 0);
	CHECK(dns_question_set(&qm, "SN1._sztp.local", DNS_TYPE_TXT, 0x1234, DNS_Q_MDNS, NULL) == 0);
	for (size_t i = 0; i < sizeof(txts) / sizeof(txts[0]); i++) {
		struct errbuf e = { 0 };
		size_t n = build(txts[i].msg, msg, sizeof(msg));
		int r = dns_txt_device(msg, n, &q, &dev, &e);

		CHECKF(r == txts[i].r, "%s: %d, want %d (%s)", txts[i].name, r, txts[i].r, e.msg);
		if (r < 0) {
			CHECKF(txts[i].err && strstr(e.msg, txts[i].err), "%s: reason `%s'", txts[i].name, e.msg);
			CHECKF(!dev.ci.p && !dev.oc.p && !dev.ov.p, "%s: output not cleared", txts[i].name);
			continue;
		}
		CHECKF(value_is(&dev.ci, txts[i].ci), "%s: ci", txts[i].name);
		CHECKF(value_is(&dev.oc, txts[i].oc), "%s: oc", txts[i].name);
		CHECKF(value_is(&dev.ov, txts[i].ov), "%s: ov", txts[i].name);
		CHECKF(dev.ignored == txts[i].ignored, "%s: ignored %zu", txts[i].name, dev.ignored);
		/* Every prefix of a good message is rejected or cut by TC. */
		for (size_t cut = 0; cut < n && txts[i].r != 2; cut++) {
			struct errbuf ce = { 0 };

			CHECKF(dns_txt_device(msg, cut, &q, &dev, &ce) < 0, "%s: cut at %zu accepted",
			       txts[i].name, cut);
		}
	}
	for (size_t i = 0; i < sizeof(mdns_txts) / sizeof(mdns_txts[0]); i++) {
		struct errbuf e = { 0 };
		size_t n = build(mdns_txts[i].msg, msg, sizeof(msg));
		int r = dns_txt_device(msg, n, &qm, &dev, &e);

		CHECKF(r == mdns_txts[i].r, "mDNS %s: %d (%s)", mdns_txts[i].name, r, e.msg);
		if (r >= 0)
			CHECKF(value_is(&dev.ci, mdns_txts[i].ci), "mDNS %s: ci", mdns_txts[i].name);
		/* Without the mDNS flag the same message is not acceptable. */
		CHECKF(dns_txt_device(msg, n, &q, &dev, NULL) < 0 || !strcmp(mdns_txts[i].name, "other name"),
		       "mDNS %s accepted as unicast", mdns_txts[i].name);
	}
}

/* A value of 60000 octets in 236 character-strings, one record. */
static void test_txt_big(void)
{
	struct dns_question q;
	struct errbuf e = { 0 };
	size_t n = build(H("0001", "0000", "0000") Q_TXT "c00c 0010 0001" TTL, msg, sizeof(msg));
	size_t rd = n, val = 60000, left = val + 3, k = 0;

	CHECK(dns_question_set(&q, "SN1._sztp.ex", DNS_TYPE_TXT, 0x1234, 0, NULL) == 0);
	n += 2;
	while (left) {
		size_t c = left > 255 ? 255 : left;

		msg[n++] = (uint8_t)c;
		for (size_t j = 0; j < c; j++, k++)
			msg[n++] = k < 3 ? (uint8_t)"ov="[k] : (uint8_t)(k * 7);
		left -= c;
	}
	msg[rd] = (uint8_t)((n - rd - 2) >> 8);
	msg[rd + 1] = (uint8_t)(n - rd - 2);
	/* ov without ci is an error; make it ci. */
	msg[rd + 3] = 'c';
	msg[rd + 4] = 'i';
	CHECKF(dns_txt_device(msg, n, &q, &dev, &e) == 1, "big: %s", e.msg);
	CHECK(dev.ci.len == val);
	for (size_t j = 0; j < val && dev.ci.p; j++)
		if (dev.ci.p[j] != (uint8_t)((j + 3) * 7)) {
			CHECKF(0, "big: octet %zu", j);
			break;
		}
}

/* A chain of k pointers, each to the one before, the first to the question
 * name, in the RDATA of a NULL record; an A record owned by the last one. */
static size_t chain_msg(int k)
{
	size_t n = build("1234 8180 0001 0000 0000 0002 " Q_TXT "00 000a 0001" TTL, msg, sizeof(msg));
	size_t rd = n, prev = 12;

	n += 2;
	for (int i = 0; i < k; i++) {
		msg[n] = (uint8_t)(0xc0 | prev >> 8);
		msg[n + 1] = (uint8_t)prev;
		prev = n;
		n += 2;
	}
	msg[rd] = (uint8_t)((n - rd - 2) >> 8);
	msg[rd + 1] = (uint8_t)(n - rd - 2);
	msg[n] = (uint8_t)(0xc0 | prev >> 8);
	msg[n + 1] = (uint8_t)prev;
	n += 2;
	return n + build("0001 0001" TTL "(c0000201)", msg + n, sizeof(msg) - n);
}

/* Names longer than 255 octets through pointers; more than DNS_PTR_MAX jumps. */
static void test_names(void)
{
	struct dns_question q;
	struct errbuf e = { 0 };
	size_t n, prev, fourth = 0;

	CHECK(dns_question_set(&q, "SN1._sztp.ex", DNS_TYPE_TXT, 0x1234, 0, NULL) == 0);
	/* Additional records, each owned by one 63-octet label and a pointer to
	 * the previous owner: the fourth owner is 4 * 64 + 1 octets long. */
	n = build("1234 8180 0001 0000 0000 0004 " Q_TXT, msg, sizeof(msg));
	prev = 0;
	for (int i = 0; i < 4; i++) {
		size_t at = n;

		fourth = n;
		msg[n++] = 63;
		memset(msg + n, 'a' + i, 63);
		n += 63;
		if (i == 0) {
			msg[n++] = 0;
		} else {
			msg[n++] = (uint8_t)(0xc0 | prev >> 8);
			msg[n++] = (uint8_t)prev;
		}
		prev = at;
		n += build("0001 0001" TTL "(c0000201)", msg + n, sizeof(msg) - n);
	}
	CHECKF(dns_txt_device(msg, n, &q, &dev, &e) == -1 && strstr(e.msg, "longer than 255"), "%s", e.msg);
	/* Three of them are fine. */
	msg[11] = 3;
	CHECK(dns_txt_device(msg, fourth, &q, &dev, NULL) == 0);

	/* The owner pointer plus 31 in the chain: 32 jumps; one more is too many. */
	n = chain_msg(DNS_PTR_MAX - 1);
	memset(&e, 0, sizeof(e));
	CHECKF(dns_txt_device(msg, n, &q, &dev, &e) == 0, "%s", e.msg);
	n = chain_msg(DNS_PTR_MAX);
	CHECK(dns_txt_device(msg, n, &q, &dev, &e) == -1 && strstr(e.msg, "compression pointers"));
}

static void test_srv(void)
{
	struct dns_question q;
	struct bootstrap_server_list l;
	struct dns_srv_list s;

	CHECK(dns_question_set(&q, "_sztp._tcp.ex", DNS_TYPE_SRV, 0x1234, 0, NULL) == 0);
	for (size_t i = 0; i < sizeof(srvs) / sizeof(srvs[0]); i++) {
		struct errbuf e = { 0 };
		char got[512] = "";
		size_t n = build(srvs[i].msg, msg, sizeof(msg)), o = 0;
		int r;

		dns_srv_init(&s, &l);
		r = dns_srv_add(&s, msg, n, &q, &e);
		CHECKF(r == srvs[i].r, "%s: %d, want %d (%s)", srvs[i].name, r, srvs[i].r, e.msg);
		for (size_t j = 0; j < l.n; j++)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s:%u ", l.server[j].host, l.server[j].port);
		CHECKF(!strcmp(got, srvs[i].servers), "%s: servers `%s'", srvs[i].name, got);
		CHECKF(l.skipped == srvs[i].skipped, "%s: skipped %zu", srvs[i].name, l.skipped);
		CHECKF(s.no_service == srvs[i].no_service, "%s: no_service", srvs[i].name);
	}
}

/* R57: addresses in the additional section; merging messages; the limit. */
static void test_srv_more(void)
{
	struct dns_question q;
	struct bootstrap_server_list l;
	struct dns_srv_list s;
	struct errbuf e = { 0 };
	size_t n;
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	CHECK(dns_question_set(&q, "_sztp._tcp.ex", DNS_TYPE_SRV, 0x1234, 0, NULL) == 0);
	n = build(H("0002", "0000", "0003") Q_SRV SRV("0000", "0000", "01bb", "['a'] c017")
		  SRV("0001", "0000", "01bb", "['b'] c017")
		  "['a'] c017 0001 0001" TTL "(c0000201)"
		  "['A'] c017 001c 0001" TTL "(20010db8 00000000 00000000 00000001)"
		  "['c'] c017 0001 0001" TTL "(c0000203)", msg, sizeof(msg));
	dns_srv_init(&s, &l);
	CHECKF(dns_srv_add(&s, msg, n, &q, &e) == 1, "hints: %s", e.msg);
	CHECK(l.n == 2 && s.info[0].has_a && !memcmp(s.info[0].a, "\xc0\x00\x02\x01", 4));
	CHECK(s.info[0].has_aaaa && !memcmp(s.info[0].aaaa, v6, 16));
	CHECK(!s.info[1].has_a && !s.info[1].has_aaaa);

	/* A second message merges in order and is deduplicated. */
	n = build(H("0002", "0000", "0000") Q_SRV SRV("0000", "0005", "01bb", "['c'] c017")
		  SRV("0000", "0000", "01bb", "['a'] c017"), msg, sizeof(msg));
	CHECK(dns_srv_add(&s, msg, n, &q, &e) == 1);
	CHECK(l.n == 3 && !strcmp(l.server[0].host, "c.ex") && !strcmp(l.server[1].host, "a.ex") &&
	      !strcmp(l.server[2].host, "b.ex"));
	/* A bad message changes nothing. */
	n = build(H("0002", "0000", "0000") Q_SRV SRV("0000", "0009", "01bb", "['d'] c017")
		  SRV("0000", "0000", "01bb", ""), msg, sizeof(msg));
	CHECK(dns_srv_add(&s, msg, n, &q, NULL) == -1 && l.n == 3);

	/* 40 records, priorities 39..0: the 32 best are kept, in order. */
	n = build("1234 8180 0001 0028 0000 0000 " Q_SRV, msg, sizeof(msg));
	for (int i = 0; i < 40; i++) {
		char row[128];

		snprintf(row, sizeof(row), SRV("%04x", "0000", "01bb", "['h%d'] c017"), 39 - i, i);
		n += build(row, msg + n, sizeof(msg) - n);
	}
	dns_srv_init(&s, &l);
	CHECK(dns_srv_add(&s, msg, n, &q, &e) == 1);
	CHECK(l.n == SZTP_MAX_BOOTSTRAP_SERVERS && l.excess == 8);
	CHECK(!strcmp(l.server[0].host, "h39.ex") && !strcmp(l.server[31].host, "h8.ex"));
	for (size_t i = 1; i < l.n; i++)
		CHECK(s.info[i - 1].priority < s.info[i].priority);
}

/* RFC 2782 weighting: priorities stay in order; chances follow weights. */
static void test_weigh(void)
{
	struct dns_question q;
	struct bootstrap_server_list l;
	struct dns_srv_list s;
	size_t n, first[4] = { 0 };
	static const char *const hosts[4] = { "a.ex", "b.ex", "c.ex", "z.ex" };

	CHECK(dns_question_set(&q, "_sztp._tcp.ex", DNS_TYPE_SRV, 0x1234, 0, NULL) == 0);
	n = build(H("0005", "0000", "0000") Q_SRV SRV("0001", "0000", "01bb", "['z'] c017")
		  SRV("0001", "0064", "01bb", "['a'] c017") SRV("0001", "012c", "01bb", "['b'] c017")
		  SRV("0001", "0000", "01bb", "['c'] c017") SRV("0007", "0001", "01bb", "['late'] c017"),
		  msg, sizeof(msg));
	for (uint32_t seed = 1; seed <= 4000; seed++) {
		dns_srv_init(&s, &l);
		if (dns_srv_add(&s, msg, n, &q, NULL) != 1)
			abort();
		dns_srv_weigh(&s, seed * 2654435761u);
		if (l.n != 5 || strcmp(l.server[4].host, "late.ex")) {
			CHECKF(0, "seed %u: priority order broken", seed);
			break;
		}
		for (int k = 0; k < 4; k++)
			if (!strcmp(l.server[0].host, hosts[k]))
				first[k]++;
	}
	/* weights 100, 300, 0, 0: a quarter, three quarters, almost never. */
	CHECKF(first[0] > 800 && first[0] < 1200, "a first %zu times", first[0]);
	CHECKF(first[1] > 2800 && first[1] < 3200, "b first %zu times", first[1]);
	CHECKF(first[2] + first[3] < 80, "weight 0 first %zu times", first[2] + first[3]);
}

static void test_query(void)
{
	struct dns_question q;
	uint8_t want[DNS_QUERY_MAX], got[DNS_QUERY_MAX];
	char name[300];
	size_t n, w;

	CHECK(dns_question_set(&q, "SN1._sztp.ex.", DNS_TYPE_TXT, 0xbeef, 0, NULL) == 0);
	w = build("beef 0100 0001 0000 0000 0001 " Q_TXT "00 0029 04d0 00000000 0000", want, sizeof(want));
	n = dns_query_build(&q, DNS_EDNS_UDP, got, sizeof(got));
	CHECK(n == w && !memcmp(got, want, n));
	CHECK(dns_query_build(&q, DNS_EDNS_UDP, got, n - 1) == 0);
	CHECK(dns_question_set(&q, "_sztp._tcp.local", DNS_TYPE_SRV, 0, DNS_Q_MDNS | DNS_Q_QU, NULL) == 0);
	w = build("0000 0000 0001 0000 0000 0000 ['_sztp']['_tcp']['local']00 0021 8001", want, sizeof(want));
	n = dns_query_build(&q, 0, got, sizeof(got));
	CHECK(n == w && !memcmp(got, want, n));

	/* Labels: any octet but '.', 1..63 of them; names up to 255 octets. */
	CHECK(dns_question_set(&q, "a b\x01\xff.ex", DNS_TYPE_TXT, 1, 0, NULL) == 0 && q.name_len == 10);
	CHECK(dns_question_set(&q, "", DNS_TYPE_TXT, 1, 0, NULL) < 0);
	CHECK(dns_question_set(&q, ".", DNS_TYPE_TXT, 1, 0, NULL) < 0);
	CHECK(dns_question_set(&q, "a..b", DNS_TYPE_TXT, 1, 0, NULL) < 0);
	CHECK(dns_question_set(&q, ".a", DNS_TYPE_TXT, 1, 0, NULL) < 0);
	CHECK(dns_question_set(&q, "a.b..", DNS_TYPE_TXT, 1, 0, NULL) < 0);
	memset(name, 'x', 63);
	strcpy(name + 63, ".ex");
	CHECK(dns_question_set(&q, name, DNS_TYPE_TXT, 1, 0, NULL) == 0);
	memset(name, 'x', 64);
	strcpy(name + 64, ".ex");
	CHECK(dns_question_set(&q, name, DNS_TYPE_TXT, 1, 0, NULL) < 0);
	/* 4 labels of 63 octets + "a": 4*64 + 2 + 1 = 259 > 255; 3 + "a": 195. */
	for (int i = 0; i < 4; i++) {
		memset(name + i * 64, 'x', 63);
		name[i * 64 + 63] = '.';
	}
	strcpy(name + 256, "a");
	CHECK(dns_question_set(&q, name, DNS_TYPE_TXT, 1, 0, NULL) < 0);
	CHECK(dns_question_set(&q, name + 64, DNS_TYPE_TXT, 1, 0, NULL) == 0);
	/* 253 characters is the longest name: 255 wire octets. */
	memset(name, 'x', 253);
	for (int i = 63; i < 253; i += 64)
		name[i] = '.';
	name[253] = '\0';
	CHECK(dns_question_set(&q, name, DNS_TYPE_TXT, 1, 0, NULL) == 0 && q.name_len == 255);
	strcpy(name + 253, "y");
	CHECK(dns_question_set(&q, name, DNS_TYPE_TXT, 1, 0, NULL) < 0);
}

static void test_is_for(void)
{
	struct dns_question q, qm;
	size_t n;

	CHECK(dns_question_set(&q, "SN1._sztp.ex", DNS_TYPE_TXT, 0x1234, 0, NULL) == 0);
	CHECK(dns_question_set(&qm, "SN1._sztp.ex", DNS_TYPE_TXT, 0x1234, DNS_Q_MDNS, NULL) == 0);
	n = build(H("0000", "0000", "0000") Q_TXT, msg, sizeof(msg));
	CHECK(dns_response_is_for(msg, n, &q) && dns_response_is_for(msg, n, &qm));
	msg[1] ^= 1;
	CHECK(!dns_response_is_for(msg, n, &q) && !dns_response_is_for(msg, n, &qm));
	n = build(H("0000", "0000", "0000") "['SN1']['_sztp']['EX']00 0010 0001", msg, sizeof(msg));
	CHECK(dns_response_is_for(msg, n, &q));
	n = build(H("0000", "0000", "0000") QN "0010 0002", msg, sizeof(msg));
	CHECK(!dns_response_is_for(msg, n, &q));
	n = build("1234 0100 0001 0000 0000 0000 " Q_TXT, msg, sizeof(msg));
	CHECK(!dns_response_is_for(msg, n, &q));
	n = build("0000 8400 0000 0000 0000 0000", msg, sizeof(msg));
	CHECK(!dns_response_is_for(msg, n, &q) && dns_response_is_for(msg, n, &qm));
	CHECK(!dns_response_is_for(msg, 11, &qm));
}

static const struct {
	const char *s;
	int ok, family;
	unsigned port;
} servers[] = {
	{ "192.0.2.1", 1, AF_INET, 53 },
	{ "192.0.2.1:5300", 1, AF_INET, 5300 },
	{ "2001:db8::1", 1, AF_INET6, 53 },
	{ "::1", 1, AF_INET6, 53 },
	{ "[2001:db8::1]:5300", 1, AF_INET6, 5300 },
	{ "[2001:db8::1]", 1, AF_INET6, 53 },
	{ "192.0.2.1:0", 0, 0, 0 },
	{ "192.0.2.1:65536", 0, 0, 0 },
	{ "192.0.2.1:", 0, 0, 0 },
	{ "192.0.2.1:+53", 0, 0, 0 },
	{ "192.0.2.1:53x", 0, 0, 0 },
	{ "[192.0.2.1]:53", 0, 0, 0 },
	{ "[2001:db8::1]x", 0, 0, 0 },
	{ "[2001:db8::1", 0, 0, 0 },
	{ "host.example", 0, 0, 0 },
	{ "", 0, 0, 0 },
	{ "fe80::1%eth0", 0, 0, 0 },
};

static void test_config(void)
{
	struct dns_config cfg;
	char path[] = "/tmp/test_dns_resolvXXXXXX";
	FILE *f;
	int fd;

	for (size_t i = 0; i < sizeof(servers) / sizeof(servers[0]); i++) {
		struct dns_server s;
		int r = dns_server_parse(servers[i].s, &s, NULL);
		unsigned port = 0;

		if (r == 0)
			port = ntohs(s.addr.ss_family == AF_INET
					     ? ((struct sockaddr_in *)(void *)&s.addr)->sin_port
					     : ((struct sockaddr_in6 *)(void *)&s.addr)->sin6_port);
		CHECKF((r == 0) == servers[i].ok && (!servers[i].ok || (s.addr.ss_family == servers[i].family &&
								port == servers[i].port)),
		       "server `%s'", servers[i].s);
	}

	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# comment\n; comment\nnameserver 192.0.2.53\nnameserver   2001:db8::53 \n"
	      "nameserver bogus\nsearch a.example b.example.\noptions ndots:2\n"
	      "nameserver 192.0.2.54\nnameserver 192.0.2.55\nnameserver 192.0.2.56\n"
	      "domain last.example\n\nnameserver\n", f);
	fclose(f);
	dns_config_init(&cfg);
	CHECK(dns_config_from_resolv_conf(path, &cfg, NULL) == 0);
	CHECK(cfg.nservers == DNS_SERVERS_MAX && cfg.server[0].addr.ss_family == AF_INET &&
	      cfg.server[1].addr.ss_family == AF_INET6);
	CHECK(cfg.ndomains == 1 && !strcmp(cfg.domain[0], "last.example"));
	f = fopen(path, "w");
	fputs("search a.example b.example.\n", f);
	fclose(f);
	dns_config_init(&cfg);
	CHECK(dns_config_from_resolv_conf(path, &cfg, NULL) == 0);
	CHECK(cfg.nservers == 0 && cfg.ndomains == 2 && !strcmp(cfg.domain[1], "b.example"));
	unlink(path);
	CHECK(dns_config_from_resolv_conf(path, &cfg, NULL) < 0);
	CHECK(cfg.mdns == 1 && cfg.timeout_ms > 0 && cfg.attempts > 0);
}

/* Arguments checked before any packet is sent. */
static void test_lookup_args(void)
{
	struct dns_config cfg;
	struct errbuf e = { 0 };

	dns_config_init(&cfg);
	cfg.mdns = 0;
	CHECK(dns_lookup_device("a.b", "ex", &cfg, &dev, &e) < 0 && strstr(e.msg, "one DNS label"));
	CHECK(dns_lookup_device("", "ex", &cfg, &dev, NULL) < 0);
	memset(&e, 0, sizeof(e));
	CHECK(dns_lookup_device("SN1", "ex", &cfg, &dev, &e) < 0 && strstr(e.msg, "no DNS server"));
	memset(&e, 0, sizeof(e));
	CHECK(dns_config_add_server(&cfg, "127.0.0.1:53", NULL) == 0);
	CHECK(dns_lookup_device("SN1", NULL, &cfg, &dev, &e) < 0 && strstr(e.msg, "no DNS domain"));
}

int main(void)
{
	test_txt();
	test_txt_big();
	test_names();
	test_srv();
	test_srv_more();
	test_weigh();
	test_query();
	test_is_for();
	test_config();
	test_lookup_args();
	TEST_END();
}
