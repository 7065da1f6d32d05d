/* See source_removable.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bootstrapping_data.h"
#include "clock_policy.h"
#include "fsutil.h"
#include "onboarding.h"
#include "source_removable.h"

#define MEDIA_FSTYPES "vfat,ext4,iso9660"

/* A disk sdX whose sysfs path goes through a USB host controller. */
static int is_usb_disk(const char *name)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (strncmp(name, "sd", 2))
		return 0;
	snprintf(link, sizeof(link), "/sys/block/%s", name);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = 0;
	return strstr(target, "/usb") != NULL;
}

unsigned long source_removable_fingerprint(void)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;
	unsigned long h = 5381;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (is_usb_disk(de->d_name))
			for (const char *p = de->d_name; *p; p++)
				h = h * 33 + (unsigned char)*p;
	closedir(d);
	return h;
}

/* RFC 8572 5.3 for one medium's data: validate, then act on it. */
static enum source_result try_media(struct device *d, const char *root, const char *devname)
{
	static struct bootstrapping_data bd;
	static struct validated_info vi;
	char dir[PATH_MAX], reason[300];
	struct validation_clock clk;
	struct errbuf e = { 0 };
	struct stat st;
	enum source_result r = SOURCE_FAILED;

	if (snprintf(dir, sizeof(dir), "%s/%s/%s/bootstrapping-data", root, d->board.manufacturer,
		     d->id.serial) >= (int)sizeof(dir) ||
	    stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sztp_log("%s: no bootstrapping data for serial number %s (looked for %s/%s/bootstrapping-data/)",
			 devname, d->id.serial, d->board.manufacturer, d->id.serial);
		return SOURCE_NOTHING;
	}
	sztp_log("%s: found %s/%s/bootstrapping-data/", devname, d->board.manufacturer, d->id.serial);
	memset(&bd, 0, sizeof(bd));
	validation_clock_init(&clk, (int64_t)time(NULL));
	if (!clk.accurate)
		sztp_log("clock is before this build: created-on and notBefore checks skipped");
	struct trust_inputs in = {
		.dev = &d->id,
		.voucher_anchors = d->anchors,
		.nvoucher_anchors = d->nanchors,
		.clk = &clk,
		.trusted_source = 0, /* R38 */
	};
	if (bootstrapping_data_read_dir(&bd, dir, &e) < 0 ||
	    bootstrapping_data_validate(&bd, &in, &vi, &e) < 0) {
		sztp_err("rejected: %s", e.msg);
		snprintf(reason, sizeof(reason), "%s: rejected: %s", devname, e.msg);
		device_record_failure(d, reason);
		goto out;
	}
	if (vi.ci.type == REDIRECT_INFORMATION) {
		/* Bootstrap servers are not reachable from this build yet. */
		sztp_err("%s: redirect-information (%s): bootstrap servers are not supported yet",
			 devname, vi.trust == PROVISIONAL ? "provisional" : "trusted");
		device_record_failure(d, "redirect-information: bootstrap servers not supported");
		goto out;
	}
	sztp_log("%s: onboarding-information validated (trusted)", devname);
	/* R30/R31: only trusted onboarding information gets here. */
	struct onboarding_ctx ctx = { .media_root = root };
	onboarding_process(d, &vi.ci, &ctx, &e);
	sztp_err("onboarding failed: %s", e.msg);
	snprintf(reason, sizeof(reason), "onboarding failed: %s", e.msg);
	device_record_failure(d, reason);
out:
	bootstrapping_data_close(&bd);
	return r;
}

static enum source_result try_device(struct device *d, const char *name)
{
	char dev[300], mnt[PATH_MAX];
	struct errbuf e = { 0 };
	enum source_result r;

	snprintf(dev, sizeof(dev), "/dev/%s", name);
	snprintf(mnt, sizeof(mnt), "%s/media-%s", d->board.run_dir, name);
	if (mkdir_p(mnt, &e) < 0)
		return SOURCE_NOTHING;
	/* Read-only, and nothing on it runs or counts as a device node. */
	if (mount_any(dev, mnt, MEDIA_FSTYPES, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, &e) < 0)
		return SOURCE_NOTHING;
	sztp_log("removable storage %s mounted read-only", dev);
	r = try_media(d, mnt, dev);
	umount(mnt);
	rmdir(mnt);
	return r;
}

enum source_result source_removable_try(struct device *d)
{
	DIR *dp = opendir("/sys/block");
	struct dirent *de;
	enum source_result best = SOURCE_NOTHING;
	char names[16][32];
	int n = 0;

	if (!dp)
		return SOURCE_NOTHING;
	while ((de = readdir(dp)) && n < 16)
		if (is_usb_disk(de->d_name) && strlen(de->d_name) < sizeof(names[0]))
			strcpy(names[n++], de->d_name);
	closedir(dp);
	for (int i = 0; i < n; i++) {
		/* Partitions first (sdX1..), then the whole disk (superfloppy). */
		char sys[300];
		DIR *pd;
		int tried = 0;

		snprintf(sys, sizeof(sys), "/sys/block/%s", names[i]);
		if ((pd = opendir(sys))) {
			struct dirent *pe;

			while ((pe = readdir(pd))) {
				if (strncmp(pe->d_name, names[i], strlen(names[i])) || !pe->d_name[strlen(names[i])])
					continue;
				tried = 1;
				if (try_device(d, pe->d_name) == SOURCE_FAILED)
					best = SOURCE_FAILED;
			}
			closedir(pd);
		}
		if (!tried && try_device(d, names[i]) == SOURCE_FAILED)
			best = SOURCE_FAILED;
	}
	return best;
}
