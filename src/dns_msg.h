/*
 * DNS messages for the DNS bootstrapping source (RFC 8572 4.2; checklist C,
 * R45-R59, N.3, N.4): building one query, reading the answer to it.
 *
 * Trust: none (4.2, R46). DNS data is untrusted even under DNSSEC; what
 * comes out of here is either artifacts the caller must validate as signed
 * data (RFC 8572 5.4), or servers the caller may only reach provisionally
 * (R70). This module only promises "well-formed".
 *
 * Reading a response (RFC 1035 4.1), strictly and within the message:
 *   - at most DNS_MSG_MAX octets, a 12-octet header at least; QR set,
 *     opcode 0, the id of our query; exactly one question that repeats ours
 *     (name case-insensitively, RFC 4343; type; class IN);
 *   - TC set: DNS_TRUNCATED before anything else is read -- the answer is to
 *     be asked again over TCP (RFC 7766, R58);
 *   - RCODE 3 (NXDOMAIN): DNS_NOT_FOUND, an answer and not a failure; any
 *     other non-zero RCODE is an error;
 *   - every record of every section is walked: its name (below), its fixed
 *     part and RDLENGTH inside the message, and no octet may follow the last
 *     record;
 *   - names: labels of 0..63 octets, 255 octets in all uncompressed;
 *     compression pointers (RFC 1035 4.1.4) must not point into the header
 *     and must point strictly before the start of the labels being read, so
 *     every jump goes further back and a loop cannot form; at most
 *     DNS_PTR_MAX jumps in one name. Label types 01 and 10 are rejected;
 *   - CNAME records in the answer section owned by the queried name are
 *     followed (DNS_CNAME_MAX hops) to the name that owns the data.
 * A response "for" the question is only one that passes dns_response_is_for()
 * (QR, id, question): a transport drops anything else unread and keeps
 * listening (RFC 5452 9.1).
 *
 * Multicast DNS (RFC 6762), question flag DNS_Q_MDNS: the question may be
 * absent from the response (18.1 vs. 6.7); the id may be 0; TC is ignored
 * (18.5); the cache-flush bit is masked from record classes (10.2).
 *
 * Device-specific TXT (R50, R53-R55, N.3): each TXT record in the answer
 * section owned by the queried name is read as ONE value: its
 * <character-string>s concatenated in order (RFC 1035 3.3.14; this is how
 * dnsmasq splits a long --txt-record value, and the reading N.3 proposes),
 * split at the first '=' into key and value (RFC 6763 6.3). Keys "ci", "oc"
 * and "ov" (any case, RFC 6763 6.4) are kept, their values raw binary
 * (R55, no base64); records without '=' or with other keys are ignored
 * (R54) and counted; a key kept twice, an empty value, or "oc"/"ov" without
 * "ci" is an error. Several records of one RRset in one message bound the
 * sum of all values below DNS_MSG_MAX, so one buffer of that size holds them.
 *
 * Device-independent SRV (R52, R56, N.4): each SRV record in the answer
 * section owned by the queried name becomes "https://<target>:<port>" as
 * sztp_uri_parse() accepts it (an unsigned redirect entry, like DHCP's);
 * targets that do not give such a URI are skipped and counted (R65); the
 * target "." says "no service" (RFC 2782). The same target and port twice is
 * kept once. Order: priority ascending; within one priority weight
 * descending, then as received -- deterministic; dns_srv_weigh() turns each
 * priority's order into RFC 2782's weighted random one. A and AAAA records
 * (answer or additional section) owned by a target are kept as address hints
 * for it (R57); they are as untrusted as everything else.
 *
 * Functions that take an errbuf return -1 with a one-line reason on error.
 */
#ifndef SZTP_DNS_MSG_H
#define SZTP_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "dhcp_sztp.h"
#include "sztp.h"

#define DNS_MSG_MAX   65535 /* RFC 1035 4.2.2: TCP length field */
#define DNS_UDP_PLAIN 512   /* RFC 1035 2.3.4: UDP without EDNS(0) */
#define DNS_EDNS_UDP  1232  /* EDNS(0) payload we offer (RFC 6891; no IP fragments) */
#define DNS_MDNS_MAX  9000  /* RFC 6762 17 */
#define DNS_NAME_MAX  255   /* wire octets, RFC 1035 2.3.4 */
#define DNS_LABEL_MAX 63
#define DNS_PTR_MAX   32    /* compression pointers followed in one name */
#define DNS_CNAME_MAX 8
#define DNS_QUERY_MAX (12 + DNS_NAME_MAX + 4 + 11) /* header, question, OPT */

#define DNS_TYPE_A     1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_TXT   16
#define DNS_TYPE_AAAA  28
#define DNS_TYPE_SRV   33
#define DNS_TYPE_OPT   41
#define DNS_CLASS_IN   1

enum dns_outcome {
	DNS_NOT_FOUND = 0,   /* NXDOMAIN, or no record of the type at the name */
	DNS_FOUND = 1,
	DNS_TRUNCATED = 2,   /* TC: ask again over TCP */
};

/* Question flags. */
#define DNS_Q_MDNS 1 /* RFC 6762 rules, above; the query has RD clear */
#define DNS_Q_QU   2 /* mDNS: ask for a unicast response (RFC 6762 5.4) */

struct dns_question {
	uint8_t name[DNS_NAME_MAX]; /* wire form, uncompressed */
	size_t name_len;
	uint16_t type;
	uint16_t id;
	unsigned flags;
};

/*
 * name is dotted ("SN1._sztp.example.com", one trailing '.' allowed). A
 * label is any 1..63 octets but '.': serial numbers need not be LDH.
 */
int dns_question_set(struct dns_question *q, const char *name, uint16_t type, uint16_t id,
		     unsigned flags, struct errbuf *e);

/*
 * The query for q into buf (DNS_QUERY_MAX is always enough). edns_udp > 0
 * adds an EDNS(0) OPT record offering that payload size. Returns its
 * length, or 0 when cap is too small.
 */
size_t dns_query_build(const struct dns_question *q, uint16_t edns_udp, uint8_t *buf, size_t cap);

/* 1 if msg answers q (QR, id, question echo), else 0. Reads nothing more. */
int dns_response_is_for(const uint8_t *msg, size_t len, const struct dns_question *q);

/* --- TXT: device-specific data (N.3) -------------------------------------- */

struct dns_value {
	const uint8_t *p;  /* into dns_device_data.buf; NULL: absent */
	size_t len;
};

struct dns_device_data {
	struct dns_value ci, oc, ov;
	size_t ignored;            /* TXT records without a kept key (R54) */
	uint8_t buf[DNS_MSG_MAX];  /* the values, reassembled */
};

/* DNS_FOUND (ci present), DNS_NOT_FOUND, DNS_TRUNCATED, or -1. The message
 * may be reused afterwards: out holds copies. */
int dns_txt_device(const uint8_t *msg, size_t len, const struct dns_question *q,
		   struct dns_device_data *out, struct errbuf *e);

/* --- SRV: device-independent data (N.4) ----------------------------------- */

struct dns_srv_info {
	uint16_t priority, weight;
	uint8_t has_a, has_aaaa;   /* address hints (R57) */
	uint8_t a[4], aaaa[16];
};

struct dns_srv_list {
	struct bootstrap_server_list *out;   /* the servers, ordered */
	struct dns_srv_info info[SZTP_MAX_BOOTSTRAP_SERVERS]; /* parallel to out->server */
	int no_service;                      /* a "." target was seen */
};

void dns_srv_init(struct dns_srv_list *s, struct bootstrap_server_list *out);

/*
 * Merge the SRV records of one response into s (mDNS answers come in several
 * messages). DNS_FOUND if it had SRV records for the name -- usable or not:
 * see out->n, out->skipped, no_service -- DNS_NOT_FOUND, DNS_TRUNCATED, or
 * -1 with s unchanged.
 */
int dns_srv_add(struct dns_srv_list *s, const uint8_t *msg, size_t len,
		const struct dns_question *q, struct errbuf *e);

/* RFC 2782 weighted random order within each priority, from seed. */
void dns_srv_weigh(struct dns_srv_list *s, uint32_t seed);

#endif
