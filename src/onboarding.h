/*
 * RFC 8572 5.6: processing trusted onboarding information, mapped onto
 * A/B slots and a trial boot:
 *   boot image (install into the inactive slot unless the installed image
 *   already matches) -> pre-configuration script -> configuration staged
 *   as a new generation on the data partition -> post-configuration script
 *   -> ONE environment write: the trial state -> kexec into the trial slot.
 * Any failure before the trial write leaves the environment, the active
 * slot and the committed configuration untouched.
 */
#ifndef SZTP_ONBOARDING_H
#define SZTP_ONBOARDING_H

#include "boot_image.h"
#include "conveyed_info.h"
#include "device.h"
#include "progress.h"

/* The trusted server to send bootstrap-complete to, on the data partition. */
#define ONBOARDING_REPORT_RECORD "sztp/report-server"

struct onboarding_ctx {
	const char *media_root;          /* removable storage: file: URIs; NULL: none */
	struct boot_image_net *net;      /* http: and https: URIs; NULL: none */
	struct progress *progress;       /* trusted server: reports; NULL: none (R141) */
	/* Called right before the trial write (records the server for the new
	 * system's bootstrap-complete); NULL: any old record is removed. */
	int (*before_trial)(void *arg, struct errbuf *e);
	void *arg;
};

/* Returns only on failure (-1, reason in e): on success it kexecs. */
int onboarding_process(struct device *d, const struct conveyed_info *ci, const struct onboarding_ctx *ctx,
		       struct errbuf *e);

#endif
