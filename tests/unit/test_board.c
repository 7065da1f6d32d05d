/* board.conf: a table of files, each accepted (with what it must yield) or
 * refused (with a piece of the reason). */
#include <stdlib.h>

#include "board.h"
#include "test.h"

#define REQ "manufacturer = acme\nslot-a = /dev/vda1\nslot-b = /dev/vda2\ndata = /dev/vda3\n"
#define SMBIOS "/sys/class/dmi/id/product_serial"
#define FWCFG "/sys/firmware/qemu_fw_cfg/by_name/opt/org.sztpboot/serial/raw"

/* A string of n 'x' (n < 600), for over-long values. */
static char longbuf[4][700];
static const char *xs(int slot, size_t n, const char *prefix, const char *suffix)
{
	char *p = longbuf[slot];
	size_t k = strlen(prefix);

	memcpy(p, prefix, k);
	memset(p + k, 'x', n);
	strcpy(p + k + n, suffix);
	return p;
}

struct row {
	const char *name;
	const char *text;
	const char *err;       /* NULL: accepted; else a substring of the reason */
	unsigned nserial;      /* accepted: how many serial sources ... */
	const char *serial[BOARD_SERIAL_FILES_MAX]; /* ... and which, in order */
};

#define BS "bootstrap-server = https://"

static const struct row rows[] = {
	/* valid files */
	{ "minimal", REQ "serial-file = " SMBIOS "\n", NULL, 1, { SMBIOS } },
	{ "comments, blanks, CRLF, tabs",
	  "# a board\n\n\tmanufacturer\t=\tacme  # trailing\r\nslot-a=/dev/vda1\nslot-b =/dev/vda2\n"
	  "data= /dev/vda3\nserial-file = /s\n   \n# end", NULL, 1, { "/s" } },
	{ "no final newline", REQ "serial-file = /s", NULL, 1, { "/s" } },
	{ "every key", REQ "serial-file = /s\nidevid-cert = /c\nidevid-key = /k\nvoucher-ta = /t\n"
	  "fw-env-config = /f\ndata-fstype = ext4\nsources = usb\nrounds-before-boot = 3\n"
	  "retry-delay = 5\nretry-delay-max = 60\ntrial-attempts = 1\nrun-dir = /run/x\n"
	  BS "a\nbootstrap-server-ta = /ta\nhw-model = m\nnetwork-interfaces = eth0\nnet-dir = /n\n"
	  "net-timeout = 5\nredirect-depth-max = 3\nssh-host-key = /h\ntrust-anchor-cert = /c\n", NULL, 1, { "/s" } },
	/* multiple serial sources */
	{ "two serial sources, in order", REQ "serial-file = " SMBIOS "\nserial-file = " FWCFG "\n",
	  NULL, 2, { SMBIOS, FWCFG } },
	{ "serial sources apart", "serial-file = /b\n" REQ "serial-file = /a\n", NULL, 2, { "/b", "/a" } },
	{ "four serial sources", REQ "serial-file = /1\nserial-file = /2\nserial-file = /3\nserial-file = /4\n",
	  NULL, 4, { "/1", "/2", "/3", "/4" } },
	{ "five serial sources", REQ "serial-file = /1\nserial-file = /2\nserial-file = /3\nserial-file = /4\n"
	  "serial-file = /5\n", "line 9: more than 4 `serial-file' lines", 0, { 0 } },
	{ "empty serial-file", REQ "serial-file = /1\nserial-file =\n", "line 6: `serial-file' wants a value", 0, { 0 } },
	{ "a comma is part of the path", REQ "serial-file = /a,/b\n", NULL, 1, { "/a,/b" } },
	/* unknown keys, syntax */
	{ "unknown key", REQ "serial-file = /s\nserial-files = /t\n", "line 6: unknown key `serial-files'", 0, { 0 } },
	{ "key case matters", REQ "Serial-File = /s\n", "unknown key `Serial-File'", 0, { 0 } },
	{ "no '='", REQ "serial-file /s\n", "line 5: expected `key = value'", 0, { 0 } },
	{ "'=' only in a comment", REQ "serial-file # = /s\n", "line 5: expected `key = value'", 0, { 0 } },
	/* missing required keys */
	{ "empty file", "", "are required", 0, { 0 } },
	{ "no serial-file", REQ, "are required", 0, { 0 } },
	{ "no manufacturer", "slot-a = /a\nslot-b = /b\ndata = /d\nserial-file = /s\n", "are required", 0, { 0 } },
	{ "no slot-b", "manufacturer = m\nslot-a = /a\ndata = /d\nserial-file = /s\n", "are required", 0, { 0 } },
	{ "empty data", REQ "data =\nserial-file = /s\n", "are required", 0, { 0 } },
	{ "manufacturer with '/'", "manufacturer = a/b\nslot-a = /a\nslot-b = /b\ndata = /d\nserial-file = /s\n",
	  "not a directory name", 0, { 0 } },
	{ "manufacturer '..'", "manufacturer = ..\nslot-a = /a\nslot-b = /b\ndata = /d\nserial-file = /s\n",
	  "not a directory name", 0, { 0 } },
	/* bad numbers */
	{ "number: empty", REQ "serial-file = /s\nretry-delay =\n", "`retry-delay' wants a number, not `'", 0, { 0 } },
	{ "number: word", REQ "serial-file = /s\ntrial-attempts = three\n", "wants a number", 0, { 0 } },
	{ "number: trailing junk", REQ "serial-file = /s\nretry-delay = 5s\n", "wants a number", 0, { 0 } },
	{ "number: negative", REQ "serial-file = /s\nretry-delay = -1\n", "wants a number", 0, { 0 } },
	{ "number: too big", REQ "serial-file = /s\nretry-delay-max = 86401\n", "wants a number", 0, { 0 } },
	{ "number: huge", REQ "serial-file = /s\nrounds-before-boot = 99999999999999999999999\n",
	  "wants a number", 0, { 0 } },
	{ "number: limit", REQ "serial-file = /s\nretry-delay-max = 86400\n", NULL, 1, { "/s" } },
	{ "trial-attempts 0", REQ "serial-file = /s\ntrial-attempts = 0\n", "1..9", 0, { 0 } },
	{ "trial-attempts 10", REQ "serial-file = /s\ntrial-attempts = 10\n", "1..9", 0, { 0 } },
	/* network sources (RFC 8572 4.2-4.4), bootstrap-complete (R164) */
	{ "five bootstrap servers", REQ "serial-file = /s\n" BS "1\n" BS "2\n" BS "3\n" BS "4\n" BS "5\n",
	  "line 10: more than 4 `bootstrap-server' lines", 0, { 0 } },
	{ "empty bootstrap-server", REQ "serial-file = /s\n" BS "a\nbootstrap-server =\n",
	  "line 7: `bootstrap-server' wants a value", 0, { 0 } },
	{ "five ssh-host-key", REQ "serial-file = /s\nssh-host-key = /1\nssh-host-key = /2\nssh-host-key = /3\n"
	  "ssh-host-key = /4\nssh-host-key = /5\n", "line 10: more than 4 `ssh-host-key' lines", 0, { 0 } },
	{ "five trust-anchor-cert", REQ "serial-file = /s\ntrust-anchor-cert = /1\ntrust-anchor-cert = /2\n"
	  "trust-anchor-cert = /3\ntrust-anchor-cert = /4\ntrust-anchor-cert = /5\n",
	  "line 10: more than 4 `trust-anchor-cert' lines", 0, { 0 } },
	{ "empty trust-anchor-cert", REQ "serial-file = /s\ntrust-anchor-cert =\n",
	  "line 6: `trust-anchor-cert' wants a value", 0, { 0 } },
	{ "net-timeout: word", REQ "serial-file = /s\nnet-timeout = ten\n", "`net-timeout' wants a number, not `ten'",
	  0, { 0 } },
	{ "redirect-depth-max 0", REQ "serial-file = /s\nredirect-depth-max = 0\n", "redirect-depth-max must be 1..10",
	  0, { 0 } },
	{ "redirect-depth-max 11", REQ "serial-file = /s\nredirect-depth-max = 11\n",
	  "redirect-depth-max must be 1..10", 0, { 0 } },
	{ "sources: unknown word", REQ "serial-file = /s\nsources = usb ftp dns\n", "sources: unknown source `ftp'",
	  0, { 0 } },
	{ "sources: case matters", REQ "serial-file = /s\nsources = USB\n", "sources: unknown source `USB'", 0,
	  { 0 } },
};

/* Accepted files and what one key kept, as text: lists in order, numbers in
 * decimal, a single key as one value. */
#define MIN REQ "serial-file = /s\n"
struct kept {
	const char *name;
	const char *text;
	const char *key;
	unsigned n;
	const char *value[BOARD_LIST_MAX];
};

static const struct kept kept[] = {
	/* defaults */
	{ "no bootstrap-server", MIN, "bootstrap-server", 0, { 0 } },
	{ "no ssh-host-key", MIN, "ssh-host-key", 0, { 0 } },
	{ "no trust-anchor-cert", MIN, "trust-anchor-cert", 0, { 0 } },
	{ "hw-model default", MIN, "hw-model", 1, { "" } },
	{ "net-dir default", MIN, "net-dir", 1, { "/run/sztp/net" } },
	{ "net-timeout default", MIN, "net-timeout", 1, { "10" } },
	{ "redirect-depth-max default", MIN, "redirect-depth-max", 1, { "10" } },
	{ "sources default", MIN, "sources", 1, { "usb" } },
	/* bootstrap-server: repeatable, in order */
	{ "one bootstrap-server", MIN BS "sztp.example.test\n", "bootstrap-server", 1,
	  { "https://sztp.example.test" } },
	{ "four bootstrap servers, in order", MIN BS "a:8443\n" BS "[2001:db8::1]\n" BS "192.0.2.1\n" BS "d\n",
	  "bootstrap-server", 4, { "https://a:8443", "https://[2001:db8::1]", "https://192.0.2.1", "https://d" } },
	{ "bootstrap servers apart", BS "b\n" REQ BS "a\nserial-file = /s\n", "bootstrap-server", 2,
	  { "https://b", "https://a" } },
	/* what bootstrap-complete carries (R164) */
	{ "two ssh-host-key", MIN "ssh-host-key = /etc/ssh/a.pub\nssh-host-key = /etc/ssh/b.pub\n", "ssh-host-key", 2,
	  { "/etc/ssh/a.pub", "/etc/ssh/b.pub" } },
	{ "four ssh-host-key", MIN "ssh-host-key = /1\nssh-host-key = /2\nssh-host-key = /3\nssh-host-key = /4\n",
	  "ssh-host-key", 4, { "/1", "/2", "/3", "/4" } },
	{ "ssh-host-key: a space is part of the path", MIN "ssh-host-key = /a /b\n", "ssh-host-key", 1, { "/a /b" } },
	{ "one trust-anchor-cert", MIN "trust-anchor-cert = /etc/ta.cms\n", "trust-anchor-cert", 1, { "/etc/ta.cms" } },
	{ "four trust-anchor-cert", MIN "trust-anchor-cert = /1\ntrust-anchor-cert = /2\ntrust-anchor-cert = /3\n"
	  "trust-anchor-cert = /4\n", "trust-anchor-cert", 4, { "/1", "/2", "/3", "/4" } },
	{ "lists apart", MIN "trust-anchor-cert = /t1\nssh-host-key = /k\n" BS "a\ntrust-anchor-cert = /t2\n",
	  "trust-anchor-cert", 2, { "/t1", "/t2" } },
	/* single keys */
	{ "hw-model", MIN "hw-model = qemu-x86_64\n", "hw-model", 1, { "qemu-x86_64" } },
	{ "hw-model given twice: the last", MIN "hw-model = a\nhw-model = b\n", "hw-model", 1, { "b" } },
	{ "net-dir", MIN "net-dir = /run/net\n", "net-dir", 1, { "/run/net" } },
	{ "net-timeout 30", MIN "net-timeout = 30\n", "net-timeout", 1, { "30" } },
	{ "net-timeout 0 becomes 1", MIN "net-timeout = 0\n", "net-timeout", 1, { "1" } },
	{ "redirect-depth-max 1", MIN "redirect-depth-max = 1\n", "redirect-depth-max", 1, { "1" } },
	{ "redirect-depth-max 10", MIN "redirect-depth-max = 10\n", "redirect-depth-max", 1, { "10" } },
	/* sources: words out of usb, dns, dhcp, servers */
	{ "sources: all four", MIN "sources = usb dns dhcp servers\n", "sources", 1, { "usb dns dhcp servers" } },
	{ "sources: commas", MIN "sources = dhcp,usb\n", "sources", 1, { "dhcp,usb" } },
};

static void check_row(const char *name, const char *text, size_t len, const char *err, unsigned nserial,
		      const char *const *serial)
{
	struct board b;
	struct errbuf e = { 0 };
	int r = board_parse(text, len, &b, &e);

	if (!err) {
		CHECKF(r == 0, "%s: refused: %s", name, e.msg);
		if (r != 0)
			return;
		CHECKF(b.nserial_files == nserial, "%s: %u serial sources, want %u", name, b.nserial_files, nserial);
		for (unsigned i = 0; i < nserial && i < b.nserial_files; i++)
			CHECKF(!strcmp(b.serial_file[i], serial[i]), "%s: serial-file %u is `%s', want `%s'", name, i,
			       b.serial_file[i], serial[i]);
	} else {
		CHECKF(r < 0, "%s: accepted", name);
		CHECKF(r >= 0 || strstr(e.msg, err), "%s: reason `%s' lacks `%s'", name, e.msg, err);
	}
}

/* What board_parse() kept for key, as text, in order; returns the count. */
static unsigned values(const struct board *b, const char *key, const char *v[BOARD_LIST_MAX])
{
	static char num[16];
	const char(*list)[BOARD_PATH_MAX];
	unsigned n;

	if (!strcmp(key, "bootstrap-server")) {
		list = b->bootstrap_server;
		n = b->nbootstrap_servers;
	} else if (!strcmp(key, "ssh-host-key")) {
		list = b->ssh_host_key;
		n = b->nssh_host_keys;
	} else if (!strcmp(key, "trust-anchor-cert")) {
		list = b->trust_anchor_cert;
		n = b->ntrust_anchor_certs;
	} else {
		v[0] = num;
		if (!strcmp(key, "hw-model"))
			v[0] = b->hw_model;
		else if (!strcmp(key, "net-dir"))
			v[0] = b->net_dir;
		else if (!strcmp(key, "sources"))
			v[0] = b->sources;
		else if (!strcmp(key, "net-timeout"))
			snprintf(num, sizeof(num), "%u", b->net_timeout);
		else if (!strcmp(key, "redirect-depth-max"))
			snprintf(num, sizeof(num), "%u", b->redirect_depth_max);
		else
			abort(); /* a row naming a key this function lacks */
		return 1;
	}
	for (unsigned i = 0; i < n && i < BOARD_LIST_MAX; i++)
		v[i] = list[i];
	return n;
}

static void check_kept(const struct kept *k)
{
	struct board b;
	struct errbuf e = { 0 };
	const char *v[BOARD_LIST_MAX] = { 0 };
	unsigned n;

	if (board_parse(k->text, strlen(k->text), &b, &e) < 0) {
		CHECKF(0, "%s: refused: %s", k->name, e.msg);
		return;
	}
	n = values(&b, k->key, v);
	CHECKF(n == k->n, "%s: %u `%s' values, want %u", k->name, n, k->key, k->n);
	for (unsigned i = 0; i < n && i < k->n; i++)
		CHECKF(!strcmp(v[i], k->value[i]), "%s: %s %u is `%s', want `%s'", k->name, k->key, i, v[i],
		       k->value[i]);
}

int main(void)
{
	char text[2048];
	struct board b;
	struct errbuf e = { 0 };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(rows[i].name, rows[i].text, strlen(rows[i].text), rows[i].err, rows[i].nserial,
			  rows[i].serial);
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		check_kept(&kept[i]);

	/* Defaults. */
	CHECK(board_parse(REQ "serial-file = /s\n", strlen(REQ "serial-file = /s\n"), &b, &e) == 0);
	CHECK(!strcmp(b.fw_env_config, "/etc/fw_env.config") && !strcmp(b.data_fstype, "vfat") &&
	      !strcmp(b.sources, "usb") && !strcmp(b.run_dir, "/run/sztpboot"));
	CHECK(b.retry_delay == 2 && b.retry_delay_max == 30 && b.trial_attempts == 3 && b.rounds_before_boot == 0);
	CHECK(!strcmp(b.manufacturer, "acme") && !strcmp(b.slot[0], "/dev/vda1") && !strcmp(b.slot[1], "/dev/vda2") &&
	      !strcmp(b.data, "/dev/vda3") && b.idevid_cert[0] == 0);
	/* retry-delay 0 becomes 1; a max below the delay is raised to it. */
	snprintf(text, sizeof(text), REQ "serial-file = /s\nretry-delay = 0\nretry-delay-max = 0\n");
	CHECK(board_parse(text, strlen(text), &b, &e) == 0 && b.retry_delay == 1 && b.retry_delay_max == 1);
	snprintf(text, sizeof(text), REQ "serial-file = /s\nretry-delay = 40\n");
	CHECK(board_parse(text, strlen(text), &b, &e) == 0 && b.retry_delay == 40 && b.retry_delay_max == 40);

	/* Over-long values: exactly the field's capacity minus one fits. */
	static const char *const s1[] = { NULL };
	const char *fits = xs(0, BOARD_PATH_MAX - 2, "/", "");
	snprintf(text, sizeof(text), REQ "serial-file = %s\n", fits);
	check_row("serial-file of 255 bytes", text, strlen(text), NULL, 1, (const char *const[]){ fits });
	snprintf(text, sizeof(text), REQ "serial-file = /s\nserial-file = %s\n", xs(1, BOARD_PATH_MAX - 1, "/", ""));
	check_row("second serial-file of 256 bytes", text, strlen(text), "line 6: value of `serial-file' too long", 0,
		  s1);
	snprintf(text, sizeof(text), REQ "serial-file = /s\nidevid-cert = %s\n", xs(1, BOARD_PATH_MAX, "/", ""));
	check_row("idevid-cert too long", text, strlen(text), "value of `idevid-cert' too long", 0, s1);
	snprintf(text, sizeof(text), "manufacturer = %s\nslot-a = /a\nslot-b = /b\ndata = /d\nserial-file = /s\n",
		 xs(1, 63, "", ""));
	check_row("manufacturer of 63 bytes", text, strlen(text), NULL, 1, (const char *const[]){ "/s" });
	snprintf(text, sizeof(text), "manufacturer = %s\nslot-a = /a\nslot-b = /b\ndata = /d\nserial-file = /s\n",
		 xs(1, 64, "", ""));
	check_row("manufacturer of 64 bytes", text, strlen(text), "line 1: value of `manufacturer' too long", 0, s1);
	snprintf(text, sizeof(text), REQ "serial-file = /s\ndata-fstype = %s\n", xs(1, 16, "", ""));
	check_row("data-fstype too long", text, strlen(text), "too long", 0, s1);
	snprintf(text, sizeof(text), REQ "serial-file = /s\nhw-model = %s\n", xs(1, 63, "", ""));
	check_row("hw-model of 63 bytes", text, strlen(text), NULL, 1, (const char *const[]){ "/s" });
	snprintf(text, sizeof(text), REQ "serial-file = /s\nhw-model = %s\n", xs(1, 64, "", ""));
	check_row("hw-model of 64 bytes", text, strlen(text), "line 6: value of `hw-model' too long", 0, s1);
	snprintf(text, sizeof(text), REQ "serial-file = /s\nbootstrap-server = %s\n",
		 xs(1, BOARD_PATH_MAX - 1 - 8, "https://", ""));
	check_row("bootstrap-server of 255 bytes", text, strlen(text), NULL, 1, (const char *const[]){ "/s" });
	snprintf(text, sizeof(text), REQ "serial-file = /s\nbootstrap-server = %s\n",
		 xs(1, BOARD_PATH_MAX - 8, "https://", ""));
	check_row("bootstrap-server of 256 bytes", text, strlen(text), "line 6: value of `bootstrap-server' too long",
		  0, s1);
	/* A line longer than the line buffer (even in a comment). */
	snprintf(text, sizeof(text), REQ "serial-file = /s\n# %s\n", xs(1, 600, "", ""));
	check_row("over-long line", text, strlen(text), "line 6: too long", 0, s1);
	/* A NUL byte inside a line. */
	static const char nul[] = REQ "serial-file = /s\0/t\n";
	check_row("NUL byte", nul, sizeof(nul) - 1, "line 5: NUL byte", 0, s1);

	TEST_END();
}
