/*
 * libFuzzer: DNS responses (RFC 1035) read for RFC 8572 4.2 -- TXT
 * (device-specific) and SRV (device-independent), unicast and mDNS.
 *
 * The questions are fixed ("SN1._sztp.ex" TXT, "_sztp._tcp.ex" SRV, and
 * their ".local" forms for mDNS); the id is taken from the input, so that the
 * fuzzer reaches past the header without having to guess it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dns_device_data dev;

/* Inside the output buffer, not empty, smaller than the message. */
static void check_value(const struct dns_value *v, size_t size)
{
	if (v->p && (v->p < dev.buf || v->p + v->len > dev.buf + sizeof(dev.buf) || v->len == 0 ||
		     v->len >= size))
		abort();
}

static void check_srv(const struct dns_srv_list *s)
{
	const struct bootstrap_server_list *l = s->out;

	if (l->n > SZTP_MAX_BOOTSTRAP_SERVERS || (l->excess && l->n != SZTP_MAX_BOOTSTRAP_SERVERS))
		abort();
	for (size_t i = 0; i < l->n; i++) {
		char uri[SZTP_URI_MAX + 8];
		struct bootstrap_server_uri u;
		int n;

		if (i && s->info[i - 1].priority > s->info[i].priority)
			abort();
		if (!memchr(l->server[i].host, '\0', sizeof(l->server[i].host)) || l->server[i].is_ipv6)
			abort();
		n = snprintf(uri, sizeof(uri), "https://%s:%u", l->server[i].host, l->server[i].port);
		if (n < 0 || (size_t)n >= sizeof(uri) || sztp_uri_parse(uri, (size_t)n, &u) < 0 ||
		    strcmp(u.host, l->server[i].host) || u.port != l->server[i].port)
			abort();
		for (size_t j = 0; j < i; j++)
			if (!strcasecmp(l->server[j].host, l->server[i].host) &&
			    l->server[j].port == l->server[i].port)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[2][2] = { { "SN1._sztp.ex", "_sztp._tcp.ex" },
						 { "SN1._sztp.local", "_sztp._tcp.local" } };
	static struct bootstrap_server_list l;
	static struct dns_srv_list s;
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;

	for (int mdns = 0; mdns < 2; mdns++) {
		struct dns_question qt, qs;
		struct errbuf e = { 0 };
		int r, is_for;

		if (dns_question_set(&qt, names[mdns][0], DNS_TYPE_TXT, id, mdns ? DNS_Q_MDNS : 0, NULL) < 0 ||
		    dns_question_set(&qs, names[mdns][1], DNS_TYPE_SRV, id, mdns ? DNS_Q_MDNS : 0, NULL) < 0)
			abort();

		is_for = dns_response_is_for(data, size, &qt);
		r = dns_txt_device(data, size, &qt, &dev, &e);
		if (r < -1 || r > DNS_TRUNCATED || (r < 0 && !e.set))
			abort();
		if (r >= 0 && !is_for)
			abort(); /* whatever is parsed must pass the transport's filter */
		if (r == DNS_FOUND && !dev.ci.p)
			abort();
		if (r != DNS_FOUND && (dev.ci.p || dev.oc.p || dev.ov.p))
			abort();
		check_value(&dev.ci, size);
		check_value(&dev.oc, size);
		check_value(&dev.ov, size);

		memset(&e, 0, sizeof(e));
		is_for = dns_response_is_for(data, size, &qs);
		dns_srv_init(&s, &l);
		r = dns_srv_add(&s, data, size, &qs, &e);
		if (r < -1 || r > DNS_TRUNCATED || (r < 0 && !e.set) || (r >= 0 && !is_for))
			abort();
		if (r != DNS_FOUND && (l.n || l.skipped || s.no_service))
			abort();
		check_srv(&s);
		/* Merging the same message again adds nothing; weighing keeps the set. */
		if (r == DNS_FOUND) {
			size_t n = l.n;

			if (dns_srv_add(&s, data, size, &qs, NULL) != DNS_FOUND || l.n != n)
				abort();
			dns_srv_weigh(&s, id);
			check_srv(&s);
			if (l.n != n)
				abort();
		}
	}
	return 0;
}
