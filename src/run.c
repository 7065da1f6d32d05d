/*
 * sztpboot run: what the initramfs does at every power-up (RFC 8572 5.2).
 *   provisioned, SZTP off  -> boot the active slot
 *   trial                  -> count an attempt and boot the trial slot, or,
 *                             with none left, fall back and go on
 *   SZTP on                -> walk the board's sources until one succeeds
 * Until a bootloader reads the environment itself, this is the bootloader.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "fsutil.h"
#include "source_network.h"
#include "source_removable.h"
#include "sources.h"
#include "sztp.h"

static const char usage_text[] =
	"Usage: sztpboot run [--board FILE]\n\n"
	"Boot or provision this device, as the initramfs does at power-up.\n"
	"  --board FILE   board description (default " BOARD_DEFAULT_PATH ")\n";

/* A trial slot that never confirmed: back to what booted before (R144). */
static int fall_back(struct device *d, struct errbuf *e)
{
	struct device_state next = d->st;
	long staged = d->st.config_trial, committed = d->st.config_active;
	char msg[200], dir[400];

	snprintf(msg, sizeof(msg), "trial of slot %c was not confirmed after its boot attempts: falling back to %s",
		 slot_letter(d->st.trial_slot),
		 d->st.active_slot == SLOT_NONE ? "unprovisioned" : "the previous slot");
	sztp_err("%s", msg);
	next.state = d->st.active_slot == SLOT_NONE ? STATE_UNPROVISIONED : STATE_PROVISIONED;
	next.trial_slot = SLOT_NONE;
	next.trial_attempts = 0;
	next.config_trial = CONFIG_NONE;
	next.failures++;
	if (device_commit_state(d, &next, e) < 0)
		return -1;
	/* The staged configuration is discarded, never activated. */
	if (staged != CONFIG_NONE && staged != committed) {
		device_config_dir(d, staged, dir, sizeof(dir));
		remove_flat_dir(dir);
	}
	device_record_failure(d, msg);
	source_network_report_fallback(d, msg);
	return 0;
}

static void wait_round(unsigned seconds)
{
	unsigned long before = source_removable_fingerprint();

	/* Sleep, but wake early when removable storage comes or goes. */
	for (unsigned i = 0; i < seconds; i++) {
		sleep(1);
		if (source_removable_fingerprint() != before) {
			sleep(1); /* let partitions appear */
			return;
		}
	}
}

static int provision(struct device *d, struct errbuf *e)
{
	unsigned delay = d->board.retry_delay;

	if (device_load_identity(d, e) < 0)
		return errwrap(e, "refusing to provision: ", "");
	sztp_log("provisioning: serial number %s (from %s), manufacturer %s, sources: %s", d->id.serial,
		 d->serial_from, d->board.manufacturer, d->board.sources);
	for (unsigned round = 1;; round++) {
		/* RFC 8572 5.2: each source in turn; a success never returns. */
		sources_round(d);
		if (d->st.state == STATE_TRIAL)
			return errf(e, "slot %c was installed but did not start: counting its boot attempts",
				    slot_letter(d->st.trial_slot));
		if (d->board.rounds_before_boot && round >= d->board.rounds_before_boot &&
		    d->st.active_slot != SLOT_NONE) {
			sztp_log("no source succeeded in %u rounds: booting the installed system (board policy)", round);
			return device_boot_slot(d, d->st.active_slot, d->st.config_active, e);
		}
		sztp_log("round %u: no bootstrapping data; next round in %u s (insert removable storage at any time)",
			 round, delay);
		wait_round(delay);
		delay = delay * 2 > d->board.retry_delay_max ? d->board.retry_delay_max : delay * 2;
	}
}

int cmd_run(int argc, char **argv)
{
	static struct device d;
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *board = BOARD_DEFAULT_PATH;
	struct errbuf e = { 0 };
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'b') {
			board = optarg;
		} else if (c == 'h') {
			fputs(usage_text, stdout);
			return SZTP_EXIT_OK;
		} else {
			sztp_err("run: unknown or incomplete option `%s' (try --help)", argv[optind - 1]);
			return SZTP_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		sztp_err("run: unexpected argument `%s'", argv[optind]);
		return SZTP_EXIT_USAGE;
	}
	if (device_open(&d, board, &e) < 0 || device_mount_data(&d, &e) < 0)
		goto fail;
	sztp_log("state: %s, SZTP %s, active slot %c", device_state_name(d.st.state),
		 d.st.enabled ? "enabled" : "disabled", slot_letter(d.st.active_slot));

again:
	while (d.st.state == STATE_TRIAL) {
		struct device_state next = d.st;

		if (d.st.trial_attempts == 0) {
			if (fall_back(&d, &e) < 0)
				goto fail;
			break;
		}
		next.trial_attempts--;
		if (device_commit_state(&d, &next, &e) < 0)
			goto fail;
		sztp_log("trial: booting slot %c (%u attempts left)", slot_letter(d.st.trial_slot),
			 d.st.trial_attempts);
		device_boot_slot(&d, d.st.trial_slot, d.st.config_trial, &e);
		sztp_err("trial boot failed: %s", e.msg);
		memset(&e, 0, sizeof(e));
		device_mount_data(&d, &e);
	}
	if (!d.st.enabled && d.st.active_slot != SLOT_NONE) {
		/* R17: SZTP off: boot normally. */
		device_boot_slot(&d, d.st.active_slot, d.st.config_active, &e);
		goto fail;
	}
	if (!d.st.enabled) {
		errf(&e, "SZTP is disabled and no slot is installed: nothing to boot");
		goto fail;
	}
	provision(&d, &e);
	if (d.st.state == STATE_TRIAL) {
		/* The new slot's kexec failed: its attempts are counted here,
		 * as after a reset, down to the fallback. */
		sztp_err("%s", e.msg);
		memset(&e, 0, sizeof(e));
		goto again;
	}
fail:
	sztp_err("%s", e.msg);
	device_close(&d);
	return SZTP_EXIT_REJECT;
}
