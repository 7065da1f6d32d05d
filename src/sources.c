/* See sources.h. */
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_dhcp.h"
#include "source_dns.h"
#include "source_network.h"
#include "sources.h"

/* Is any interface but loopback up? Without one, no network source runs. */
static int network_up(void)
{
	struct ifaddrs *ifa, *i;
	int up = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i; i = i->ifa_next)
		if ((i->ifa_flags & IFF_UP) && !(i->ifa_flags & IFF_LOOPBACK))
			up = 1;
	freeifaddrs(ifa);
	return up;
}

struct round {
	int have_dhcp;
	struct dhcp_findings dhcp;
};

/* DHCP findings, once per round: the DHCP source and the DNS source's servers and domains. */
static struct dhcp_findings *dhcp_findings(struct device *d, struct round *r)
{
	struct errbuf e = { 0 };

	if (!r->have_dhcp) {
		memset(&r->dhcp, 0, sizeof(r->dhcp));
		if (source_dhcp_collect(d->board.net_dir, 2000, &r->dhcp, &e) < 0)
			sztp_err("dhcp: %s", e.msg);
		r->have_dhcp = 1;
	}
	return &r->dhcp;
}

static enum source_result try_dhcp(struct device *d, struct round *r)
{
	struct dhcp_findings *f = dhcp_findings(d, r);
	enum source_result res = SOURCE_NOTHING;

	for (size_t i = 0; i < f->nlists; i++)
		if (source_network_list(d, &f->lists[i].list, f->lists[i].origin) == SOURCE_FAILED)
			res = SOURCE_FAILED;
	return res;
}

static enum source_result try_dns(struct device *d, struct round *r)
{
	static struct dns_config cfg;
	static struct dns_device_data txt;
	static struct bootstrap_server_list srv;
	struct dhcp_findings *f = dhcp_findings(d, r);
	struct errbuf e = { 0 };
	enum source_result res = SOURCE_NOTHING;
	int found;

	dns_config_init(&cfg);
	for (size_t i = 0; i < f->ndns && cfg.nservers < DNS_SERVERS_MAX; i++) {
		cfg.server[cfg.nservers].addr = f->dns[i];
		cfg.server[cfg.nservers].len = f->dns[i].ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
									       : sizeof(struct sockaddr_in);
		cfg.nservers++;
	}
	for (size_t i = 0; i < f->ndomains; i++)
		dns_config_add_domain(&cfg, f->domain[i], &e);
	if (!cfg.nservers)
		dns_config_from_resolv_conf("/etc/resolv.conf", &cfg, &e);

	/* R47: device-specific records first. */
	memset(&e, 0, sizeof(e));
	found = dns_lookup_device(d->id.serial, NULL, &cfg, &txt, &e);
	if (found < 0) {
		sztp_err("dns: TXT %s._sztp: %s", d->id.serial, e.msg);
	} else if (found > 0) {
		static struct bootstrapping_data bd;

		memset(&bd, 0, sizeof(bd));
		bd.ci.der = txt.ci.p;
		bd.ci.len = txt.ci.len;
		bd.ci.name = "dns ci";
		if (txt.oc.p) {
			bd.oc.der = txt.oc.p;
			bd.oc.len = txt.oc.len;
			bd.oc.name = "dns oc";
		}
		if (txt.ov.p) {
			bd.ov.der = txt.ov.p;
			bd.ov.len = txt.ov.len;
			bd.ov.name = "dns ov";
		}
		sztp_log("dns: TXT records for %s._sztp (ci %zu octets%s)", d->id.serial, txt.ci.len,
			 txt.oc.p ? ", oc, ov" : "");
		res = source_network_artifacts(d, &bd, "dns TXT");
		bootstrapping_data_close(&bd);
	} else {
		sztp_log("dns: no TXT records for %s._sztp", d->id.serial);
	}

	memset(&e, 0, sizeof(e));
	found = dns_lookup_servers(NULL, &cfg, &srv, NULL, &e);
	if (found < 0)
		sztp_err("dns: SRV _sztp._tcp: %s", e.msg);
	else if (found > 0 && source_network_list(d, &srv, "dns SRV") == SOURCE_FAILED)
		res = SOURCE_FAILED;
	else if (!found)
		sztp_log("dns: no SRV records for _sztp._tcp");
	return res;
}

enum source_result sources_round(struct device *d)
{
	static struct round r;
	char words[sizeof(d->board.sources)], *w, *save = NULL;
	enum source_result res = SOURCE_NOTHING, one;
	int net = -1;

	r.have_dhcp = 0;
	snprintf(words, sizeof(words), "%s", d->board.sources);
	for (w = strtok_r(words, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
		int is_net = strcmp(w, "usb") != 0;

		if (is_net && net < 0)
			net = network_up();
		if (is_net && !net)
			continue;
		if (!strcmp(w, "usb"))
			one = source_removable_try(d);
		else if (!strcmp(w, "dns"))
			one = try_dns(d, &r);
		else if (!strcmp(w, "dhcp"))
			one = try_dhcp(d, &r);
		else if (!strcmp(w, "servers"))
			one = source_network_well_known(d);
		else
			continue; /* board_parse refuses unknown words */
		if (one == SOURCE_FAILED)
			res = SOURCE_FAILED;
		/* Installed, on trial, but the hand-over failed: stop here. */
		if (d->st.state == STATE_TRIAL)
			return SOURCE_FAILED;
	}
	return res;
}
