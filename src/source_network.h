/*
 * Bootstrap servers as a source (RFC 8572 4.4, 5.3, 5.5, 5.6 reporting):
 * walking a list of servers, in order, every address of each (R127-R130),
 * with the trust each entry has earned:
 *   well-known servers of the board, with its baked-in anchors (R73)  trusted
 *   entries of TRUSTED redirect information with a trust-anchor (R131) trusted
 *   entries without one (R132), from untrusted redirect information
 *   (R133: its anchors are dropped), from DHCP (R70) or DNS SRV         provisional
 * A provisional connection sends only signed-data-preferred (R81, R82),
 * accepts only signed data or unsigned redirect information (R74) and
 * never reports progress (R141). Redirects nest at most the board's
 * redirect-depth-max (<= 10, R28, R29).
 */
#ifndef SZTP_SOURCE_NETWORK_H
#define SZTP_SOURCE_NETWORK_H

#include "bootstrapping_data.h"
#include "device.h"
#include "dhcp_sztp.h"
#include "source_removable.h"
#include "tls_client.h"

/* One server to contact: a list entry, and the trust it carries. */
struct server_entry {
	char host[256];
	uint16_t port;
	struct x509_cert anchors[TLS_MAX_ANCHORS]; /* none: provisional */
	size_t nanchors;
	uint8_t *anchor_mem;                       /* owns the anchors' DER */
};

/* The board's well-known bootstrap servers (sources word "servers"). */
enum source_result source_network_well_known(struct device *d);
/* An unsigned, untrusted server list (DHCP option 143/136, DNS SRV). */
enum source_result source_network_list(struct device *d, const struct bootstrap_server_list *l,
				       const char *origin);
/*
 * Bootstrapping data from an untrusted source that is not a server (DNS
 * TXT records): validated as untrusted (R46), then processed as 5.3 says.
 */
enum source_result source_network_artifacts(struct device *d, struct bootstrapping_data *bd,
					    const char *origin);

/*
 * bootstrap-complete (and bootstrap-warning, R162) from the confirmed new
 * system to the server recorded at the trial write, if any. Logs; the
 * confirmation never depends on it.
 */
void source_network_report_complete(struct device *d, int sztp_still_enabled);
/* Forget the recorded server (a trial that fell back): bootstrap-error to it first. */
void source_network_report_fallback(struct device *d, const char *why);

#endif
