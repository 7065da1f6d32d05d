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

static const struct row rows[] = {
	/* valid files */
	{ "minimal", REQ "serial-file = " SMBIOS "\n", NULL, 1, { SMBIOS } },
	{ "comments, blanks, CRLF, tabs",
	  "# a board\n\n\tmanufacturer\t=\tacme  # trailing\r\nslot-a=/dev/vda1\nslot-b =/dev/vda2\n"
	  "data= /dev/vda3\nserial-file = /s\n   \n# end", NULL, 1, { "/s" } },
	{ "no final newline", REQ "serial-file = /s", NULL, 1, { "/s" } },
	{ "every key", REQ "serial-file = /s\nidevid-cert = /c\nidevid-key = /k\nvoucher-ta = /t\n"
	  "fw-env-config = /f\ndata-fstype = ext4\nsources = usb\nrounds-before-boot = 3\n"
	  "retry-delay = 5\nretry-delay-max = 60\ntrial-attempts = 1\nrun-dir = /run/x\n", NULL, 1, { "/s" } },
	/* multiple serial sources */
	{ "two serial sources, in order", REQ "serial-file = " SMBIOS "\nserial-file = " FWCFG "\n",
	  NULL, 2, { SMBIOS, FWCFG } },
	{ "serial sources apart", "serial-file = /b\n" REQ "serial-file = /a\n", NULL, 2, { "/b", "/a" } },
	{ "four serial sources", REQ "serial-file = /1\nserial-file = /2\nserial-file = /3\nserial-file = /4\n",
	  NULL, 4, { "/1", "/2", "/3", "/4" } },
	{ "five serial sources", REQ "serial-file = /1\nserial-file = /2\nserial-file = /3\nserial-file = /4\n"
	  "serial-file = /5\n", "line 9: more than 4 `serial-file' lines", 0, { 0 } },
	{ "empty serial-file", REQ "serial-file = /1\nserial-file =\n", "line 6: `serial-file' wants a path", 0, { 0 } },
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
	{ "trial-attempts 0", REQ "serial-file = /s\ntrial-attempts = 0\n", "at least 1", 0, { 0 } },
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

int main(void)
{
	char text[2048];
	struct board b;
	struct errbuf e = { 0 };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(rows[i].name, rows[i].text, strlen(rows[i].text), rows[i].err, rows[i].nserial,
			  rows[i].serial);

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
	/* A line longer than the line buffer (even in a comment). */
	snprintf(text, sizeof(text), REQ "serial-file = /s\n# %s\n", xs(1, 600, "", ""));
	check_row("over-long line", text, strlen(text), "line 6: too long", 0, s1);
	/* A NUL byte inside a line. */
	static const char nul[] = REQ "serial-file = /s\0/t\n";
	check_row("NUL byte", nul, sizeof(nul) - 1, "line 5: NUL byte", 0, s1);

	TEST_END();
}
