/* See device.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "device.h"
#include "fsutil.h"
#include "kexec.h"
#include "readfile.h"
#include "timefmt.h"

#define FAILURE_LOG_MAX 8192

int device_open(struct device *d, const char *board_path, struct errbuf *e)
{
	if (board_load(board_path, &d->board, e) < 0)
		return -1;
	if (fw_env_config_load(d->board.fw_env_config, &d->envcfg, e) < 0 ||
	    uboot_env_load(&d->env, &d->envcfg, e) < 0)
		return -1;
	return device_state_read(&d->env, &d->st, e);
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = 0;
}

int device_load_identity(struct device *d, struct errbuf *e)
{
	const struct board *b = &d->board;
	const char *from = NULL;
	uint8_t *buf;
	size_t len;
	char serial[65], tried[200] = "";
	struct errbuf le = { 0 };

	if (d->identity_loaded)
		return 0;
	/* The board's sources in order: the first that exists and is not
	 * empty gives the serial number; one that cannot be read stops us. */
	for (unsigned i = 0; i < b->nserial_files && !from; i++) {
		const char *f = b->serial_file[i];
		size_t n = strlen(tried);
		int r;

		/* sysfs files claim 4096 bytes whatever they hold. */
		if ((r = read_board_file(f, 4096, 1, &buf, &len, &le)) < 0)
			return errf(e, "serial number: %s: %s", f, le.msg);
		if (r == 0) {
			chomp((char *)buf);
			if (buf[0])
				from = f;
		}
		if (!from) {
			snprintf(tried + n, sizeof(tried) - n, "%s%s %s", n ? ", " : "", f,
				 r ? "does not exist" : "is empty");
			if (r == 0)
				free(buf);
		}
	}
	if (!from)
		return errf(e, "serial number: %s", tried);
	if (strlen((char *)buf) >= sizeof(serial)) {
		free(buf);
		return errf(e, "serial number: %s: longer than %zu bytes", from, sizeof(serial) - 1);
	}
	strcpy(serial, (char *)buf);
	free(buf);
	for (const char *p = serial; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return errf(e, "serial number \"%s\" is not usable as a directory name", serial);
	if (!strcmp(serial, ".") || !strcmp(serial, ".."))
		return errf(e, "serial number \"%s\" is not usable as a directory name", serial);
	d->serial_from = from;
	if (device_identity_load(&d->id, b->idevid_cert[0] ? b->idevid_cert : NULL,
				 b->idevid_key[0] ? b->idevid_key : NULL, serial, e) < 0)
		return -1;
	/* One device, one serial number: refuse to provision as someone else. */
	if (d->id.has_cert && d->id.cert.serial_number_attr[0] &&
	    strcmp(d->id.cert.serial_number_attr, serial))
		return errf(e, "serial number mismatch: %s says \"%s\", the IDevID certificate says \"%s\"",
			    from, serial, d->id.cert.serial_number_attr);
	d->nanchors = 0;
	if (cert_file_load(b->voucher_ta, &d->anchor_mem, d->anchors, VOUCHER_MAX_ANCHORS,
			   &d->nanchors, &le) < 0)
		return errf(e, "voucher trust anchors: %s: %s", b->voucher_ta, le.msg);
	d->identity_loaded = 1;
	return 0;
}

int device_mount_data(struct device *d, struct errbuf *e)
{
	if (d->data_mounted)
		return 0;
	snprintf(d->data_dir, sizeof(d->data_dir), "%s/data", d->board.run_dir);
	if (mkdir_p(d->data_dir, e) < 0)
		return -1;
	if (mount_any(d->board.data, d->data_dir, d->board.data_fstype, MS_NOSUID | MS_NODEV, e) < 0) {
		/* Already mounted (e.g. by the new system's init) is fine. */
		if (errno != EBUSY)
			return -1;
		e->set = 0;
	}
	d->data_mounted = 1;
	char dir[400];
	snprintf(dir, sizeof(dir), "%s/sztp/config", d->data_dir);
	return mkdir_p(dir, e);
}

int device_commit_state(struct device *d, const struct device_state *next, struct errbuf *e)
{
	if (device_state_write(next, &d->env, e) < 0)
		return -1;
	/* Both lines mark the window in which power may fail mid-write: the
	 * copy written is never the current one (uboot-env/README.md). */
	int target = d->env.redundant ? !d->env.active : 0;
	sztp_log("environment: writing state %s to copy %d", device_state_name(next->state), target);
	if (uboot_env_store(&d->env, &d->envcfg, e) < 0)
		return -1;
	sztp_log("environment: copy %d written and synced", target);
	d->st = *next;
	return 0;
}

void device_config_dir(const struct device *d, long gen, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/sztp/config/%ld", d->data_dir, gen);
}

void device_record_failure(struct device *d, const char *what)
{
	char path[400], line[512], t[32];
	uint8_t *old = NULL;
	size_t len = 0;
	struct errbuf e = { 0 };

	if (!d->data_mounted)
		return;
	snprintf(path, sizeof(path), "%s/sztp/failures.log", d->data_dir);
	rfc3339_format((int64_t)time(NULL), t, sizeof(t));
	snprintf(line, sizeof(line), "%s %s\n", t, what);
	if (read_file(path, FAILURE_LOG_MAX, 1, &old, &len, &e) < 0)
		len = 0;
	/* Bounded: keep the newest lines that fit. */
	size_t keep = len, ll = strlen(line);
	const uint8_t *start = old;
	while (keep + ll > FAILURE_LOG_MAX && keep) {
		const uint8_t *nl = memchr(start, '\n', keep);
		size_t cut = nl ? (size_t)(nl - start) + 1 : keep;

		start += cut;
		keep -= cut;
	}
	char *buf = malloc(keep + ll);
	if (buf) {
		if (keep)
			memcpy(buf, start, keep);
		memcpy(buf + keep, line, ll);
		atomic_write_file(path, buf, keep + ll, 0644, &e);
		free(buf);
	}
	free(old);
}

void device_last_failure(struct device *d, char *buf, size_t cap)
{
	char path[400];
	uint8_t *log = NULL;
	size_t len = 0;
	struct errbuf e = { 0 };

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/sztp/failures.log", d->data_dir);
	if (!d->data_mounted || read_file(path, FAILURE_LOG_MAX, 1, &log, &len, &e) != 0)
		return;
	while (len && log[len - 1] == '\n')
		len--;
	size_t s = len;
	while (s && log[s - 1] != '\n')
		s--;
	snprintf(buf, cap, "%.*s", (int)(len - s), (const char *)log + s);
	free(log);
}

int device_boot_slot(struct device *d, int slot, long config_gen, struct errbuf *e)
{
	char mnt[300], kernel[400], initrd[400], path[400], cmdline[1024];
	uint8_t *cl = NULL;
	size_t len = 0;
	struct errbuf le = { 0 };
	int n;

	snprintf(mnt, sizeof(mnt), "%s/boot-%c", d->board.run_dir, slot_letter(slot));
	if (mkdir_p(mnt, e) < 0)
		return -1;
	if (mount_any(d->board.slot[slot], mnt, "vfat,ext4", MS_RDONLY | MS_NOSUID | MS_NODEV, e) < 0)
		return -1;
	snprintf(kernel, sizeof(kernel), "%s/boot/vmlinuz", mnt);
	snprintf(initrd, sizeof(initrd), "%s/boot/initrd.img", mnt);
	snprintf(path, sizeof(path), "%s/boot/cmdline", mnt);
	if (read_file(path, 512, 1, &cl, &len, &le) < 0) {
		umount(mnt);
		return errf(e, "slot %c: %s: %s", slot_letter(slot), path, le.msg);
	}
	for (size_t i = 0; i < len; i++)
		if (cl[i] == '\n' || cl[i] == '\r' || cl[i] == '\t')
			cl[i] = ' ';
	while (len && cl[len - 1] == ' ')
		len--;
	/* The new system learns its slot and configuration from the command line. */
	n = snprintf(cmdline, sizeof(cmdline), "%.*s sztp.slot=%c", (int)len, cl ? (char *)cl : "",
		     slot_letter(slot));
	if (config_gen != CONFIG_NONE)
		snprintf(cmdline + n, sizeof(cmdline) - (size_t)n, " sztp.config=sztp/config/%ld", config_gen);
	free(cl);
	sztp_log("booting slot %c: %s", slot_letter(slot), cmdline);
	device_identity_wipe(&d->id);
	if (d->data_mounted) {
		sync();
		umount(d->data_dir);
		d->data_mounted = 0;
	}
	kexec_boot(kernel, initrd, cmdline, e);
	umount(mnt);
	return -1;
}

void device_close(struct device *d)
{
	device_identity_wipe(&d->id);
	free(d->anchor_mem);
	d->anchor_mem = NULL;
	if (d->data_mounted) {
		sync();
		umount(d->data_dir);
		d->data_mounted = 0;
	}
}
