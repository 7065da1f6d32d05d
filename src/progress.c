/* See progress.h. */
#include <string.h>

#include "progress.h"

/* Reports a minimal reporting-level still gets (M.5: errors, terminating). */
static int always(const char *type)
{
	static const char *const list[] = {
		"bootstrap-initiated", "boot-image-installed-rebooting", "bootstrap-complete",
		"bootstrap-warning",
	};
	size_t n = strlen(type);

	if (n > 6 && !strcmp(type + n - 6, "-error"))
		return 1;
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (!strcmp(type, list[i]))
			return 1;
	return 0;
}

int progress_report(struct progress *p, const char *type, const char *message, struct errbuf *e)
{
	struct bs_report r = { .type = type, .message = message };

	if (!p || (!p->verbose && !always(type)))
		return 0;
	if (http_conn_use(p->conn, p->target, p->tls, p->timeout_ms, e) < 0)
		return errwrap(e, "report-progress: ", "");
	if (bs_report_progress(p->conn, &r, e) < 0)
		return -1;
	p->sent++;
	sztp_log("progress: %s reported", type);
	return 0;
}

void progress_error(struct progress *p, const char *type, const char *message)
{
	struct errbuf e = { 0 };

	if (p && progress_report(p, type, message, &e) < 0)
		sztp_err("%s", e.msg);
}
