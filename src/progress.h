/*
 * Progress reports of RFC 8572 5.6 to the trusted bootstrap server that gave
 * the onboarding information (never to an untrusted one: R92, R141, so a
 * NULL reporter means "send nothing" everywhere).
 *
 * Reporting levels (R138, R139; README "Progress reports"):
 *   minimal  bootstrap-initiated, the error reports, the terminating
 *            boot-image-installed-rebooting, bootstrap-warning and
 *            bootstrap-complete;
 *   verbose  also every *-initiated, *-warning and *-complete step.
 * A report that must be answered by 204 (R145, R163) and is not makes the
 * step fail; progress_error() then tries bootstrap-error (R146).
 */
#ifndef SZTP_PROGRESS_H
#define SZTP_PROGRESS_H

#include "bootstrap_server.h"

struct progress {
	struct http_conn *conn;     /* shared: image downloads may have used it meanwhile */
	const struct http_target *target;  /* the server, reconnected to when needed */
	const struct http_tls *tls;        /* with its anchors */
	unsigned timeout_ms;
	int verbose;
	unsigned sent;              /* reports answered 204 */
};

/*
 * Send a report if the level asks for it (error and terminating reports
 * always). 0 when sent and answered 204, or not sent; -1 (reason in e)
 * when the server did not answer 204. p may be NULL: 0.
 */
int progress_report(struct progress *p, const char *type, const char *message, struct errbuf *e);
/* An error report: best effort, the outcome is only logged. */
void progress_error(struct progress *p, const char *type, const char *message);

#endif
