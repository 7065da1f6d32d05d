/* sztpboot: the subcommand dispatcher. */
#include <stdio.h>
#include <string.h>

#include "sztp.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "boot or provision this device (the initramfs runs this at power-up)" },
	{ "status", cmd_status, "show the provisioning state, slots and last failure" },
	{ "confirm", cmd_confirm, "confirm the trial boot of the running system" },
	{ "env", cmd_env, "print or set the U-Boot environment (as fw_printenv/fw_setenv), or write a fresh one" },
	{ "verify", cmd_verify, "validate bootstrapping artifacts (RFC 8572 5.4) and print the conveyed information" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: sztpboot COMMAND [OPTIONS]\n"
		   "       sztpboot --help | --version\n\n"
		   "Secure Zero Touch Provisioning (RFC 8572) device client.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'sztpboot COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return SZTP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return SZTP_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("sztpboot %s\n", SZTP_VERSION);
		return SZTP_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	sztp_err("unknown command `%s' (try --help)", argv[1]);
	return SZTP_EXIT_USAGE;
}
