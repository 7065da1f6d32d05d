/*
 * board.conf: "key = value" lines, '#' comments, unknown keys refused.
 * serial-file may be given up to BOARD_SERIAL_FILES_MAX times (sources in
 * order); any other key given twice: the last one counts.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "readfile.h"

#define STR(f) offsetof(struct board, f), sizeof(((struct board *)0)->f)
#define NUM(f) offsetof(struct board, f), 0

static const struct {
	const char *key;
	size_t off, size; /* size 0: unsigned number */
} keys[] = {
	{ "manufacturer", STR(manufacturer) },
	{ "serial-file", STR(serial_file[0]) }, /* a list: see board_parse() */
	{ "idevid-cert", STR(idevid_cert) },
	{ "idevid-key", STR(idevid_key) },
	{ "voucher-ta", STR(voucher_ta) },
	{ "fw-env-config", STR(fw_env_config) },
	{ "slot-a", STR(slot[0]) },
	{ "slot-b", STR(slot[1]) },
	{ "data", STR(data) },
	{ "data-fstype", STR(data_fstype) },
	{ "sources", STR(sources) },
	{ "rounds-before-boot", NUM(rounds_before_boot) },
	{ "retry-delay", NUM(retry_delay) },
	{ "retry-delay-max", NUM(retry_delay_max) },
	{ "trial-attempts", NUM(trial_attempts) },
	{ "run-dir", STR(run_dir) },
};

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = 0;
	return s;
}

int board_parse(const char *text, size_t len, struct board *b, struct errbuf *e)
{
	char line[512];
	size_t pos = 0;
	unsigned lineno = 0;

	memset(b, 0, sizeof(*b));
	strcpy(b->fw_env_config, "/etc/fw_env.config");
	strcpy(b->data_fstype, "vfat");
	strcpy(b->sources, "usb");
	strcpy(b->run_dir, "/run/sztpboot");
	b->retry_delay = 2;
	b->retry_delay_max = 30;
	b->trial_attempts = 3;

	while (pos < len) {
		size_t n = 0;
		char *k, *v, *eq, *hash;

		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (n + 1 >= sizeof(line))
				return errf(e, "line %u: too long", lineno);
			line[n++] = text[pos++];
		}
		pos++;
		line[n] = 0;
		if (memchr(line, 0, n))
			return errf(e, "line %u: NUL byte", lineno);
		if ((hash = strchr(line, '#')))
			*hash = 0;
		k = trim(line);
		if (!*k)
			continue;
		eq = strchr(k, '=');
		if (!eq)
			return errf(e, "line %u: expected `key = value'", lineno);
		*eq = 0;
		k = trim(k);
		v = trim(eq + 1);
		size_t i;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(keys[i].key, k))
				break;
		if (i == sizeof(keys) / sizeof(keys[0]))
			return errf(e, "line %u: unknown key `%s'", lineno, k);
		char *field = (char *)b + keys[i].off;
		if (!strcmp(k, "serial-file")) {
			if (b->nserial_files == BOARD_SERIAL_FILES_MAX)
				return errf(e, "line %u: more than %d `serial-file' lines", lineno,
					    BOARD_SERIAL_FILES_MAX);
			if (!*v)
				return errf(e, "line %u: `serial-file' wants a path", lineno);
			field = b->serial_file[b->nserial_files++];
		}
		if (keys[i].size) {
			if (strlen(v) >= keys[i].size)
				return errf(e, "line %u: value of `%s' too long", lineno, k);
			strcpy(field, v);
		} else {
			char *endp;
			unsigned long u = strtoul(v, &endp, 10);

			if (!*v || *endp || u > 86400)
				return errf(e, "line %u: `%s' wants a number, not `%s'", lineno, k, v);
			*(unsigned *)(void *)field = (unsigned)u;
		}
	}
	if (!b->manufacturer[0] || !b->slot[0][0] || !b->slot[1][0] || !b->data[0] || !b->nserial_files)
		return errf(e, "manufacturer, serial-file, slot-a, slot-b and data are required");
	if (strchr(b->manufacturer, '/') || !strcmp(b->manufacturer, "..") || !strcmp(b->manufacturer, "."))
		return errf(e, "manufacturer `%s' is not a directory name", b->manufacturer);
	if (b->trial_attempts < 1)
		return errf(e, "trial-attempts must be at least 1");
	if (b->retry_delay < 1)
		b->retry_delay = 1;
	if (b->retry_delay_max < b->retry_delay)
		b->retry_delay_max = b->retry_delay;
	return 0;
}

int board_load(const char *path, struct board *b, struct errbuf *e)
{
	uint8_t *buf;
	size_t len;
	struct errbuf le = { 0 };
	int r;

	if (read_file(path, 64 * 1024, 0, &buf, &len, &le) < 0)
		return errf(e, "%s: %s", path, le.msg);
	r = board_parse((const char *)buf, len, b, &le);
	free(buf);
	if (r < 0)
		return errf(e, "%s: %s", path, le.msg);
	return 0;
}
