/*
 * Test driver for source_dns: one lookup, the result on stdout; exit 0, or
 * the reason on stderr and exit 1 (2: usage).
 *
 *   dns_lookup [-s ADDR[:PORT]]... [-r RESOLV.CONF] [-d DOMAIN]
 *              [-m ADDR:PORT | -M] [-t MS] [-a N] [-w MS] (txt SERIAL | srv)
 *
 * -s: a DNS server (repeatable); -r: servers and domains from a resolv.conf;
 * -d: the domain (else those of -r); -m: ask mDNS first, at ADDR:PORT (a
 * test responder); -M: the real mDNS group; without either, no mDNS.
 * -t: timeout per attempt; -a: attempts; -w: mDNS window.
 *
 * Output: "ci LEN SHA256" (and oc, ov) | "server HOST PORT PRIORITY WEIGHT"
 * plus "hint HOST ADDRESS" per address hint | "not found".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bearssl.h>

#include "source_dns.h"

static struct dns_device_data dev;

static void usage(void)
{
	fprintf(stderr, "usage: dns_lookup [-s ADDR[:PORT]]... [-r RESOLV.CONF] [-d DOMAIN] "
			"[-m ADDR:PORT | -M] [-t MS] [-a N] [-w MS] (txt SERIAL | srv)\n");
	exit(2);
}

static void show(const char *key, const struct dns_value *v)
{
	br_sha256_context h;
	uint8_t d[32];

	if (!v->p)
		return;
	br_sha256_init(&h);
	br_sha256_update(&h, v->p, v->len);
	br_sha256_out(&h, d);
	printf("%s %zu ", key, v->len);
	for (size_t i = 0; i < sizeof(d); i++)
		printf("%02x", d[i]);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct dns_config cfg;
	struct errbuf e = { 0 };
	struct bootstrap_server_list l;
	struct dns_srv_info info[SZTP_MAX_BOOTSTRAP_SERVERS];
	const char *domain = NULL;
	int opt, r = -1;

	dns_config_init(&cfg);
	cfg.mdns = 0;
	while ((opt = getopt(argc, argv, "s:r:d:m:Mt:a:w:")) != -1) {
		switch (opt) {
		case 's':
			if (dns_config_add_server(&cfg, optarg, &e) < 0)
				goto fail;
			break;
		case 'r':
			if (dns_config_from_resolv_conf(optarg, &cfg, &e) < 0)
				goto fail;
			break;
		case 'd': domain = optarg; break;
		case 'm':
			if (dns_server_parse(optarg, &cfg.mdns_addr, &e) < 0)
				goto fail;
			cfg.mdns = 1;
			break;
		case 'M': cfg.mdns = 1; break;
		case 't': cfg.timeout_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'a': cfg.attempts = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': cfg.mdns_window_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (argc - optind == 2 && !strcmp(argv[optind], "txt")) {
		r = dns_lookup_device(argv[optind + 1], domain, &cfg, &dev, &e);
		if (r == 1) {
			show("ci", &dev.ci);
			show("oc", &dev.oc);
			show("ov", &dev.ov);
			if (dev.ignored)
				printf("ignored %zu\n", dev.ignored);
		}
	} else if (argc - optind == 1 && !strcmp(argv[optind], "srv")) {
		r = dns_lookup_servers(domain, &cfg, &l, info, &e);
		for (size_t i = 0; r == 1 && i < l.n; i++) {
			char a[INET6_ADDRSTRLEN];

			printf("server %s %u %u %u\n", l.server[i].host, l.server[i].port, info[i].priority,
			       info[i].weight);
			if (info[i].has_a && inet_ntop(AF_INET, info[i].a, a, sizeof(a)))
				printf("hint %s %s\n", l.server[i].host, a);
			if (info[i].has_aaaa && inet_ntop(AF_INET6, info[i].aaaa, a, sizeof(a)))
				printf("hint %s %s\n", l.server[i].host, a);
		}
		if (l.skipped)
			printf("skipped %zu\n", l.skipped);
	} else {
		usage();
	}
	if (r == 0)
		printf("not found\n");
	if (r >= 0)
		return 0;
fail:
	fprintf(stderr, "dns_lookup: %s\n", e.msg);
	return 1;
}
