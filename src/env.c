/*
 * sztpboot env: the U-Boot environment, as fw_printenv/fw_setenv see it
 * (uboot-env/README.md). Exit 0 done, 1 failed, 2 usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_env_config.h"
#include "readfile.h"
#include "sztp.h"
#include "uboot_env.h"

#define DEFAULT_CONFIG "/etc/fw_env.config"
/* An init file holds at most one environment's worth of text, plus comments. */
#define INIT_FILE_MAX (2 * UBOOT_ENV_MAX_SIZE)

/* Keep equal to uboot-env/default.env (tests/suites/60-env.sh checks). */
static const char factory_env[] =
	"sztp_enabled=1\n"
	"sztp_state=unprovisioned\n"
	"sztp_active_slot=none\n"
	"sztp_config_active=none\n";

static const char usage_text[] =
	"Usage: sztpboot env [-c FW_ENV_CONFIG] [-q] print [-n] [NAME...]\n"
	"       sztpboot env [-c FW_ENV_CONFIG] [-q] set NAME=VALUE...\n"
	"       sztpboot env [-c FW_ENV_CONFIG] [-q] init [-f FILE]\n\n"
	"Read and write the U-Boot environment exactly as fw_printenv/fw_setenv do\n"
	"(libubootenv; one copy, or two redundant copies).\n\n"
	"  print          every variable as NAME=VALUE, or only the NAMEs given;\n"
	"                 -n prints just the values\n"
	"  set            set each NAME to VALUE (NAME= deletes), then write the whole\n"
	"                 environment once, to the inactive copy; refused when no copy\n"
	"                 is valid (use init)\n"
	"  init           write a fresh environment to every copy: the variables of FILE\n"
	"                 (NAME=VALUE lines, '#' comments; - for stdin), else the factory\n"
	"                 defaults (uboot-env/default.env)\n\n"
	"  -c FILE        fw_env.config to use (default " DEFAULT_CONFIG ")\n"
	"  -q, --quiet    no informational messages\n\n"
	"Exit status: 0 done, 1 failed (one line on stderr says why), 2 usage error.\n";

/* The environment is 256 KiB: keep it off the stack. */
static struct uboot_env env;

static int usage_error(const char *what, const char *arg)
{
	sztp_err("env: %s `%s' (try --help)", what, arg);
	return SZTP_EXIT_USAGE;
}

static int load(const char *cfg_path, struct fw_env_config *cfg, struct errbuf *e)
{
	if (fw_env_config_load(cfg_path, cfg, e) < 0)
		return -1;
	return uboot_env_load(&env, cfg, e);
}

static int do_print(const char *cfg_path, int argc, char **argv)
{
	struct fw_env_config cfg;
	struct errbuf e = { 0, "" };
	int values_only = 0, rc = SZTP_EXIT_OK, i, names = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (argv[i][0] != '-')
			break;
		if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--no-header"))
			values_only = 1;
		else
			return usage_error("print: unknown option", argv[i]);
	}
	names = argc - i;
	if (values_only && !names) {
		sztp_err("env: print -n needs a NAME (try --help)");
		return SZTP_EXIT_USAGE;
	}
	if (load(cfg_path, &cfg, &e) < 0) {
		sztp_err("env: %s", e.msg);
		return SZTP_EXIT_REJECT;
	}
	if (!names) {
		for (const char *p = uboot_env_first(&env); p; p = uboot_env_next(&env, p))
			printf("%s\n", p);
	}
	for (; i < argc; i++) {
		const char *v = uboot_env_get(&env, argv[i]);

		if (!v) {
			sztp_err("env: `%s' is not set", argv[i]);
			rc = SZTP_EXIT_REJECT;
		} else if (values_only) {
			printf("%s\n", v);
		} else {
			printf("%s=%s\n", argv[i], v);
		}
	}
	if (fflush(stdout) || ferror(stdout)) {
		sztp_err("env: cannot write the output");
		return SZTP_EXIT_REJECT;
	}
	return rc;
}

static int do_set(const char *cfg_path, int argc, char **argv)
{
	struct fw_env_config cfg;
	struct errbuf e = { 0, "" };
	int lock, rc = SZTP_EXIT_REJECT;

	if (argc == 0) {
		sztp_err("env: set needs NAME=VALUE (try --help)");
		return SZTP_EXIT_USAGE;
	}
	for (int i = 0; i < argc; i++)
		if (!strchr(argv[i], '='))
			return usage_error("set: expected NAME=VALUE, not", argv[i]);
	/* Read-modify-write: fw_setenv must not write in between. */
	lock = uboot_env_lock();
	if (load(cfg_path, &cfg, &e) < 0) {
		/* Two bad copies hold nothing to modify: only init writes over them. */
		sztp_err("env: %s; not writing (`sztpboot env init' writes a fresh environment)",
			 e.msg);
		goto out;
	}
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		*eq = 0;
		if (uboot_env_set_err(&env, argv[i], eq[1] ? eq + 1 : NULL, &e) < 0) {
			sztp_err("env: set: %s; nothing written", e.msg);
			goto out;
		}
	}
	if (uboot_env_store(&env, &cfg, &e) < 0) {
		sztp_err("env: %s", e.msg);
		goto out;
	}
	sztp_log("env: wrote copy %d of %d (flags %u)", env.active, cfg.ncopies, env.flags);
	rc = SZTP_EXIT_OK;
out:
	uboot_env_unlock(lock);
	return rc;
}

static int do_init(const char *cfg_path, int argc, char **argv)
{
	struct fw_env_config cfg;
	struct errbuf e = { 0, "" };
	const char *file = NULL;
	uint8_t *text = NULL;
	size_t len;
	int lock = -1, rc = SZTP_EXIT_REJECT, active = 0;
	uint8_t flags = 0;

	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--file")) && i + 1 < argc)
			file = argv[++i];
		else
			return usage_error("init: unexpected argument", argv[i]);
	}
	if (fw_env_config_load(cfg_path, &cfg, &e) < 0) {
		sztp_err("env: %s", e.msg);
		return SZTP_EXIT_REJECT;
	}
	if (file) {
		if (read_file(!strcmp(file, "-") ? "/dev/stdin" : file, INIT_FILE_MAX, 0, &text, &len,
			      &e) < 0) {
			sztp_err("env: %s: %s", file, e.msg);
			return SZTP_EXIT_REJECT;
		}
	}
	lock = uboot_env_lock();
	/*
	 * Continue the flag sequence of a valid old environment, so that the
	 * copy written first is already the newest if power fails before the
	 * second; over two bad copies start where mkenvimage -r does.
	 */
	sztp_quiet++;
	if (uboot_env_load(&env, &cfg, &e) == 0) {
		active = env.active;
		flags = env.flags;
	}
	sztp_quiet--;
	e = (struct errbuf){ 0, "" };
	uboot_env_init(&env, cfg.copy[0].size, cfg.ncopies == 2);
	env.active = active;
	env.flags = flags;
	if (uboot_env_import_text(&env, text ? (const char *)text : factory_env,
				  text ? len : strlen(factory_env), &e) < 0) {
		sztp_err("env: %s: %s", file ? file : "factory defaults", e.msg);
		goto out;
	}
	if (uboot_env_store_all(&env, &cfg, &e) < 0) {
		sztp_err("env: %s", e.msg);
		goto out;
	}
	sztp_log("env: wrote %zu variables to %d cop%s (flags %u)", uboot_env_count(&env),
		 cfg.ncopies, cfg.ncopies == 2 ? "ies" : "y", env.flags);
	rc = SZTP_EXIT_OK;
out:
	uboot_env_unlock(lock);
	free(text);
	return rc;
}

int cmd_env(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cfg_path = DEFAULT_CONFIG, *action;
	int c;

	opterr = 0;
	/* '+': options end at the action, whose own arguments follow it. */
	while ((c = getopt_long(argc, argv, "+c:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': cfg_path = optarg; break;
		case 'q': sztp_quiet = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			return SZTP_EXIT_OK;
		default:
			return usage_error("unknown or incomplete option", argv[optind - 1]);
		}
	}
	if (optind == argc) {
		sztp_err("env: expected print, set or init (try --help)");
		return SZTP_EXIT_USAGE;
	}
	action = argv[optind++];
	argc -= optind;
	argv += optind;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return SZTP_EXIT_OK;
		}
	if (!strcmp(action, "print"))
		return do_print(cfg_path, argc, argv);
	if (!strcmp(action, "set"))
		return do_set(cfg_path, argc, argv);
	if (!strcmp(action, "init"))
		return do_init(cfg_path, argc, argv);
	return usage_error("unknown action", action);
}
