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

#include "conveyed_info.h"
#include "device.h"

/* Returns only on failure (-1, reason in e): on success it kexecs. */
int onboarding_process(struct device *d, const struct conveyed_info *ci, const char *media_root,
		       struct errbuf *e);

#endif
