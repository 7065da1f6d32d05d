/* See onboarding.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "base64.h"
#include "boot_image.h"
#include "fsutil.h"
#include "onboarding.h"
#include "script.h"

/* A binary leaf of the onboarding information, decoded (malloc'd). */
static long leaf_binary(const struct conveyed_info *ci, const char *name, uint8_t **out)
{
	const struct json_doc *d = &ci->doc;
	long i = json_get(d, ci->body, name), n;

	*out = NULL;
	if (i < 0)
		return 0;
	*out = malloc(base64_decoded_max(d->tok[i].len) + 1);
	if (!*out)
		return -1;
	n = base64_decode(d->src + d->tok[i].start + 1, d->tok[i].len - 2, *out,
			  base64_decoded_max(d->tok[i].len) + 1);
	if (n < 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}

/* The next configuration generation: above every one in use or on disk. */
static long next_generation(const struct device *d)
{
	char dir[400];
	long next = 1;
	DIR *dp;
	struct dirent *de;

	if (d->st.config_active >= next)
		next = d->st.config_active + 1;
	if (d->st.config_trial >= next)
		next = d->st.config_trial + 1;
	snprintf(dir, sizeof(dir), "%s/sztp/config", d->data_dir);
	if ((dp = opendir(dir))) {
		while ((de = readdir(dp))) {
			char *end;
			long g = strtol(de->d_name, &end, 10);

			if (end != de->d_name && g >= next)
				next = g + 1;
		}
		closedir(dp);
	}
	return next;
}

/*
 * Stage the configuration (R159) as generation gen: written, synced and
 * renamed into place, so it exists whole or not at all. Nothing points at
 * it until the trial write; the old system never reads it.
 */
static int stage_configuration(struct device *d, const struct conveyed_info *ci, long gen,
			       struct errbuf *e)
{
	const struct json_doc *doc = &ci->doc;
	long h = json_get(doc, ci->body, "configuration-handling");
	char dir[400], tmp[420], path[460], handling[16];
	uint8_t *conf = NULL;
	long n = leaf_binary(ci, "configuration", &conf);
	int r = -1;

	if (n < 0)
		return errf(e, "configuration: cannot decode");
	json_str(doc, (size_t)h, handling, sizeof(handling));
	device_config_dir(d, gen, dir, sizeof(dir));
	snprintf(tmp, sizeof(tmp), "%s.tmp", dir);
	remove_flat_dir(tmp);
	if (mkdir_p(tmp, e) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/configuration", tmp);
	if (atomic_write_file(path, conf, (size_t)n, 0600, e) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/configuration-handling", tmp);
	if (atomic_write_file(path, handling, strlen(handling), 0644, e) < 0)
		goto out;
	if (rename(tmp, dir) < 0) {
		errf(e, "%s: cannot rename into place", dir);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/sztp/config", d->data_dir);
	fsync_dir(path);
	sztp_log("configuration (%s, %ld bytes) staged as generation %ld", handling, n, gen);
	r = 0;
out:
	if (conf) {
		sztp_wipe(conf, (size_t)n); /* RFC 8572 9.15: sensitive */
		free(conf);
	}
	if (r < 0)
		remove_flat_dir(tmp);
	return r;
}

static int run_script(struct device *d, const struct conveyed_info *ci, const char *leaf,
		      int slot, long gen, enum script_result *res, struct errbuf *e)
{
	uint8_t *body = NULL;
	long n = leaf_binary(ci, leaf, &body);
	char path[400], env_slot[300], env_dev[300], env_data[350], env_conf[450], env_name[64];
	enum script_result r;

	*res = SCRIPT_OK;
	if (n < 0)
		return errf(e, "%s: cannot decode", leaf);
	if (!body)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", d->board.run_dir, leaf);
	snprintf(env_slot, sizeof(env_slot), "SZTP_SLOT=%c", slot_letter(slot));
	snprintf(env_dev, sizeof(env_dev), "SZTP_SLOT_DEVICE=%s", d->board.slot[slot]);
	snprintf(env_data, sizeof(env_data), "SZTP_DATA_DIR=%s", d->data_dir);
	if (gen != CONFIG_NONE) {
		char dir[400];

		device_config_dir(d, gen, dir, sizeof(dir));
		snprintf(env_conf, sizeof(env_conf), "SZTP_CONFIG_DIR=%s", dir);
	} else {
		snprintf(env_conf, sizeof(env_conf), "SZTP_CONFIG_DIR=");
	}
	snprintf(env_name, sizeof(env_name), "SZTP_PHASE=%s", leaf);
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", env_slot, env_dev, env_data, env_conf,
			 env_name, NULL };
	r = script_run(leaf, path, body, (size_t)n, envp, e);
	sztp_wipe(body, (size_t)n);
	free(body);
	*res = r;
	return r == SCRIPT_ERROR ? -1 : 1;
}

/*
 * A step's reports (5.6): "<step>-initiated" before, then "-complete" or
 * "-warning" after; on failure "-error" (best effort) and the step fails.
 * A report the server does not take with 204 fails the step too.
 */
static int step_begin(struct progress *p, const char *step, struct errbuf *e)
{
	char type[40];

	snprintf(type, sizeof(type), "%s-initiated", step);
	return progress_report(p, type, NULL, e);
}

static int step_end(struct progress *p, const char *step, int ok, int warning, struct errbuf *e)
{
	char type[40];

	if (!ok) {
		snprintf(type, sizeof(type), "%s-error", step);
		progress_error(p, type, e->msg);
		return -1;
	}
	snprintf(type, sizeof(type), "%s-%s", step, warning ? "warning" : "complete");
	if (progress_report(p, type, NULL, e) < 0) {
		progress_error(p, "bootstrap-error", e->msg);
		return -1;
	}
	return 0;
}

/* A script step, reported only when the script is there. */
static int script_step(struct device *d, const struct conveyed_info *ci, const char *leaf,
		       const char *step, int slot, long gen, struct progress *p, struct errbuf *e)
{
	enum script_result res;
	int r;

	if (json_get(&ci->doc, ci->body, leaf) < 0)
		return 0;
	if (step_begin(p, step, e) < 0)
		return -1;
	r = run_script(d, ci, leaf, slot, gen, &res, e);
	return step_end(p, step, r >= 0, res == SCRIPT_WARNING, e);
}

int onboarding_process(struct device *d, const struct conveyed_info *ci, const struct onboarding_ctx *ctx,
		       struct errbuf *e)
{
	struct boot_image_info bi;
	struct device_state next = d->st;
	struct progress *p = ctx->progress;
	int slot, image_written = 0;
	long gen = CONFIG_NONE;

	/* A slot written and put on trial whose kexec then failed: never
	 * write over it in the same run; `sztpboot run` counts its attempts
	 * and falls back (R144). */
	if (d->st.state == STATE_TRIAL)
		return errf(e, "slot %c is on trial: no other onboarding until it has booted or been given up",
			    slot_letter(d->st.trial_slot));
	if (boot_image_info(ci, &bi, e) < 0) {
		progress_error(p, "boot-image-error", e->msg);
		return -1;
	}
	/* R148: does the installed image already meet the criteria? */
	slot = d->st.active_slot;
	if (bi.present && !(slot != SLOT_NONE && !strcmp(bi.os_name, d->st.os_name[slot]) &&
			    !strcmp(bi.os_version, d->st.os_version[slot]))) {
		slot = d->st.active_slot == 0 ? 1 : 0; /* the inactive slot */
		sztp_log("boot image %s %s differs from the installed one: installing into slot %c",
			 bi.os_name, bi.os_version, slot_letter(slot));
		if (progress_report(p, "boot-image-mismatch", NULL, e) < 0 || /* R150 */
		    step_begin(p, "boot-image", e) < 0)
			return step_end(p, "boot-image", 0, 0, e);
		/* R149: download, verify, install. */
		if (boot_image_install(ci, &bi, ctx->media_root, ctx->net, d->board.slot[slot], e) < 0)
			return step_end(p, "boot-image", 0, 0, e); /* R156 */
		image_written = 1;
		if (step_end(p, "boot-image", 1, 0, e) < 0)
			return -1;
	} else if (bi.present) {
		sztp_log("boot image %s %s is already installed in slot %c", bi.os_name, bi.os_version,
			 slot_letter(slot));
	}
	if (slot == SLOT_NONE) {
		errf(e, "onboarding-information has no boot-image and no system is installed");
		progress_error(p, "boot-image-error", e->msg);
		return -1;
	}

	/* R137: pre-configuration script, configuration, post-configuration script. */
	if (script_step(d, ci, "pre-configuration-script", "pre-script", slot, CONFIG_NONE, p, e) < 0)
		return -1; /* R158 */
	if (json_get(&ci->doc, ci->body, "configuration") >= 0) {
		gen = next_generation(d);
		if (step_begin(p, "config", e) < 0)
			return step_end(p, "config", 0, 0, e);
		if (step_end(p, "config", stage_configuration(d, ci, gen, e) == 0, 0, e) < 0)
			return -1; /* R160 */
	} else {
		gen = d->st.config_active; /* the trial keeps the current configuration */
	}
	if (script_step(d, ci, "post-configuration-script", "post-script", slot, gen, p, e) < 0) {
		if (gen != d->st.config_active) {
			char dir[400];

			device_config_dir(d, gen, dir, sizeof(dir));
			remove_flat_dir(dir);
		}
		return -1;
	}

	/* Who gets bootstrap-complete once the new system is up, if anyone. */
	if (ctx->before_trial) {
		if (ctx->before_trial(ctx->arg, e) < 0)
			return -1;
	} else {
		char path[400];

		snprintf(path, sizeof(path), "%s/%s", d->data_dir, ONBOARDING_REPORT_RECORD);
		unlink(path);
	}
	/* R154: the terminating report of this attempt, before the reboot
	 * (a kexec here); bootstrap-complete follows from the new system. */
	if (image_written)
		progress_error(p, "boot-image-installed-rebooting", NULL);

	/* The one write that makes anything new bootable. sztpboot uses the
	 * first attempt itself: the bootloader does not see a kexec. */
	next.state = STATE_TRIAL;
	next.trial_slot = slot;
	next.trial_attempts = d->board.trial_attempts - 1;
	next.config_trial = gen;
	if (image_written) {
		snprintf(next.os_name[slot], sizeof(next.os_name[slot]), "%s", bi.os_name);
		snprintf(next.os_version[slot], sizeof(next.os_version[slot]), "%s", bi.os_version);
	}
	if (device_commit_state(d, &next, e) < 0)
		return -1;
	if (gen == CONFIG_NONE)
		sztp_log("trial: slot %c, no configuration, %u attempts left", slot_letter(slot),
			 next.trial_attempts);
	else
		sztp_log("trial: slot %c, configuration %ld, %u attempts left", slot_letter(slot), gen,
			 next.trial_attempts);
	return device_boot_slot(d, slot, gen, e);
}
