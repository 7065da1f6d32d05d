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
	{ "bootstrap-server", STR(bootstrap_server[0]) },
	{ "bootstrap-server-ta", STR(bootstrap_server_ta) },
	{ "hw-model", STR(hw_model) },
	{ "network-interfaces", STR(network_interfaces) },
	{ "net-dir", STR(net_dir) },
	{ "net-timeout", NUM(net_timeout) },
	{ "redirect-depth-max", NUM(redirect_depth_max) },
	{ "ssh-host-key", STR(ssh_host_key[0]) },
	{ "trust-anchor-cert", STR(trust_anchor_cert[0]) },
};

/* Keys that may be repeated: each line adds one entry, in order. */
static const struct {
	const char *key;
	size_t off, count_off, max;
} lists[] = {
	{ "serial-file", offsetof(struct board, serial_file), offsetof(struct board, nserial_files),
	  BOARD_SERIAL_FILES_MAX },
	{ "bootstrap-server", offsetof(struct board, bootstrap_server),
	  offsetof(struct board, nbootstrap_servers), BOARD_LIST_MAX },
	{ "ssh-host-key", offsetof(struct board, ssh_host_key), offsetof(struct board, nssh_host_keys),
	  BOARD_LIST_MAX },
	{ "trust-anchor-cert", offsetof(struct board, trust_anchor_cert),
	  offsetof(struct board, ntrust_anchor_certs), BOARD_LIST_MAX },
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
	strcpy(b->net_dir, "/run/sztp/net");
	b->net_timeout = 10;
	b->redirect_depth_max = 10;

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
		for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
			unsigned *count = (unsigned *)(void *)((char *)b + lists[l].count_off);

			if (strcmp(k, lists[l].key))
				continue;
			if (*count == lists[l].max)
				return errf(e, "line %u: more than %zu `%s' lines", lineno, lists[l].max, k);
			if (!*v)
				return errf(e, "line %u: `%s' wants a value", lineno, k);
			field = (char *)b + lists[l].off + (size_t)(*count)++ * BOARD_PATH_MAX;
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
	/* The U-Boot boot script counts attempts with setexpr, which reads
	 * hex: 1..9 read the same in both bases (uboot-env/boot.cmd). */
	if (b->trial_attempts < 1 || b->trial_attempts > 9)
		return errf(e, "trial-attempts must be 1..9");
	{
		char words[sizeof(b->sources)], *w, *save = NULL;

		strcpy(words, b->sources);
		for (w = strtok_r(words, " ,", &save); w; w = strtok_r(NULL, " ,", &save))
			if (strcmp(w, "usb") && strcmp(w, "dns") && strcmp(w, "dhcp") && strcmp(w, "servers"))
				return errf(e, "sources: unknown source `%s' (usb, dns, dhcp, servers)", w);
	}
	if (b->redirect_depth_max < 1 || b->redirect_depth_max > 10)
		return errf(e, "redirect-depth-max must be 1..10 (RFC 8572 5.3)");
	if (b->net_timeout < 1)
		b->net_timeout = 1;
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
