/* sztpboot status: where this device stands, for an operator or a script. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "sztp.h"

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const struct device *d, const char *last)
{
	const struct device_state *s = &d->st;
	char slot[2] = { 0, 0 };

	printf("{\"state\":\"%s\",\"sztp-enabled\":%s,\"active-slot\":", device_state_name(s->state),
	       s->enabled ? "true" : "false");
	slot[0] = slot_letter(s->active_slot);
	json_string(s->active_slot == SLOT_NONE ? "none" : slot);
	if (s->state == STATE_TRIAL) {
		slot[0] = slot_letter(s->trial_slot);
		printf(",\"trial-slot\":\"%s\",\"trial-attempts-left\":%u", slot, s->trial_attempts);
	}
	printf(",\"slots\":{");
	for (int i = 0; i < 2; i++) {
		printf("%s\"%c\":{\"os-name\":", i ? "," : "", 'a' + i);
		json_string(s->os_name[i]);
		printf(",\"os-version\":");
		json_string(s->os_version[i]);
		putchar('}');
	}
	printf("},\"configuration-active\":%ld", s->config_active);
	if (s->state == STATE_TRIAL)
		printf(",\"configuration-trial\":%ld", s->config_trial);
	printf(",\"failed-trials\":%u,\"last-failure\":", s->failures);
	json_string(last);
	printf("}\n");
}

static void print_text(const struct device *d, const char *last)
{
	const struct device_state *s = &d->st;

	printf("state:          %s\n", device_state_name(s->state));
	printf("sztp:           %s\n", s->enabled ? "enabled" : "disabled");
	printf("active slot:    %c\n", slot_letter(s->active_slot));
	if (s->state == STATE_TRIAL)
		printf("trial slot:     %c (%u boot attempts left)\n", slot_letter(s->trial_slot), s->trial_attempts);
	for (int i = 0; i < 2; i++)
		printf("slot %c:         %s %s\n", 'a' + i, s->os_name[i][0] ? s->os_name[i] : "-", s->os_version[i]);
	if (s->config_active == CONFIG_NONE)
		printf("configuration:  none committed\n");
	else
		printf("configuration:  generation %ld committed\n", s->config_active);
	if (s->state == STATE_TRIAL && s->config_trial != CONFIG_NONE)
		printf("                generation %ld on trial\n", s->config_trial);
	printf("failed trials:  %u\n", s->failures);
	printf("last failure:   %s\n", last[0] ? last : "-");
}

int cmd_status(int argc, char **argv)
{
	static struct device d;
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *board = BOARD_DEFAULT_PATH;
	struct errbuf e = { 0 };
	char last[512];
	int c, json = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': board = optarg; break;
		case 'j': json = 1; break;
		case 'h':
			printf("Usage: sztpboot status [--board FILE] [--json]\n");
			return SZTP_EXIT_OK;
		default:
			sztp_err("status: unknown or incomplete option `%s' (try --help)", argv[optind - 1]);
			return SZTP_EXIT_USAGE;
		}
	}
	if (device_open(&d, board, &e) < 0) {
		sztp_err("status: %s", e.msg);
		return SZTP_EXIT_REJECT;
	}
	memset(&e, 0, sizeof(e));
	if (device_mount_data(&d, &e) < 0)
		sztp_log("status: data partition: %s", e.msg);
	device_last_failure(&d, last, sizeof(last));
	if (json)
		print_json(&d, last);
	else
		print_text(&d, last);
	device_close(&d);
	return SZTP_EXIT_OK;
}
