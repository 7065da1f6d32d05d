/*
 * sztpboot confirm: run by the new system once it is up. The trial slot
 * becomes the active slot, the staged configuration the committed one,
 * and SZTP is switched off (R2, R20) — all in one environment write.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "fsutil.h"
#include "readfile.h"
#include "source_network.h"
#include "sztp.h"

/* The slot this system was booted from: sztp.slot= on the command line. */
static int running_slot(const char *cmdline_path)
{
	uint8_t *cl;
	size_t len;
	struct errbuf e = { 0 };
	int slot = SLOT_NONE;

	if (read_file(cmdline_path, 4096, 0, &cl, &len, &e) < 0)
		return SLOT_NONE;
	for (char *p = (char *)cl; (p = strstr(p, "sztp.slot=")); p++)
		if ((p == (char *)cl || p[-1] == ' ') && (p[10] == 'a' || p[10] == 'b') &&
		    (p[11] == ' ' || p[11] == '\n' || !p[11]))
			slot = p[10] - 'a';
	free(cl);
	return slot;
}

/* Old configuration generations are garbage once one is committed. */
static void collect_garbage(struct device *d)
{
	char dir[400], path[700];
	DIR *dp;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "%s/sztp/config", d->data_dir);
	if (!(dp = opendir(dir)))
		return;
	while ((de = readdir(dp))) {
		char *end;
		long g = strtol(de->d_name, &end, 10);

		if (end == de->d_name || g == d->st.config_active)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		remove_flat_dir(path);
	}
	closedir(dp);
	fsync_dir(dir);
}

int cmd_confirm(int argc, char **argv)
{
	static struct device d;
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "slot", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *board = BOARD_DEFAULT_PATH, *slot_arg = NULL;
	struct errbuf e = { 0 };
	struct device_state next;
	int c, slot;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': board = optarg; break;
		case 's': slot_arg = optarg; break;
		case 'h':
			printf("Usage: sztpboot confirm [--board FILE] [--slot a|b]\n\n"
			       "Confirm the trial boot of this system (default slot: sztp.slot= on the\n"
			       "kernel command line): make it the active slot, commit its configuration,\n"
			       "switch SZTP off.\n");
			return SZTP_EXIT_OK;
		default:
			sztp_err("confirm: unknown or incomplete option `%s' (try --help)", argv[optind - 1]);
			return SZTP_EXIT_USAGE;
		}
	}
	if (slot_arg && (strlen(slot_arg) != 1 || (slot_arg[0] != 'a' && slot_arg[0] != 'b'))) {
		sztp_err("confirm: bad --slot `%s' (a or b)", slot_arg);
		return SZTP_EXIT_USAGE;
	}
	slot = slot_arg ? slot_arg[0] - 'a' : running_slot("/proc/cmdline");
	if (device_open(&d, board, &e) < 0)
		goto fail;
	if (slot == SLOT_NONE) {
		errf(&e, "cannot tell which slot is running (no sztp.slot= on the kernel command line)");
		goto fail;
	}
	/* Confirming the active slot again changes nothing, whatever the
	 * SZTP flag says (an operator may have switched SZTP back on). */
	if (d.st.state == STATE_PROVISIONED && d.st.active_slot == slot) {
		sztp_log("slot %c is already confirmed", slot_letter(slot));
		device_close(&d);
		return SZTP_EXIT_OK;
	}
	if (d.st.state != STATE_TRIAL || d.st.trial_slot != slot) {
		errf(&e, "slot %c is not on trial (state %s, trial slot %c)", slot_letter(slot),
		     device_state_name(d.st.state), slot_letter(d.st.trial_slot));
		goto fail;
	}
	next = d.st;
	next.state = STATE_PROVISIONED;
	next.enabled = 0;
	next.active_slot = slot;
	next.config_active = d.st.config_trial;
	next.trial_slot = SLOT_NONE;
	next.trial_attempts = 0;
	next.config_trial = CONFIG_NONE;
	if (device_commit_state(&d, &next, &e) < 0)
		goto fail;
	if (next.config_active == CONFIG_NONE)
		sztp_log("confirmed: slot %c is active, no configuration, SZTP disabled", slot_letter(slot));
	else
		sztp_log("confirmed: slot %c is active, configuration %ld committed, SZTP disabled",
			 slot_letter(slot), next.config_active);
	if (device_mount_data(&d, &e) == 0) {
		collect_garbage(&d);
		/* R163, R164: the server that onboarded us hears it worked. */
		source_network_report_complete(&d, next.enabled);
	}
	device_close(&d);
	return SZTP_EXIT_OK;
fail:
	sztp_err("confirm: %s", e.msg);
	device_close(&d);
	return SZTP_EXIT_REJECT;
}
