/*
 * See uboot_env.h; the on-disk format, the flag schemes and the write
 * protocol are described in uboot-env/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uboot_env.h"

/* zlib's CRC-32 (reflected 0xedb88320), four bits per step: a 64-byte table. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t uboot_env_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

size_t uboot_env_header_size(int redundant)
{
	/* uint32_t CRC (little-endian on our targets), then the flag byte. */
	return redundant ? 5 : 4;
}

/* The data area must at least hold an empty environment and one byte. */
static int size_ok(size_t size, int redundant)
{
	return size >= uboot_env_header_size(redundant) + 2 && size <= UBOOT_ENV_MAX_SIZE;
}

static size_t capacity(const struct uboot_env *env)
{
	return env->size - uboot_env_header_size(env->redundant);
}

/* The struct's invariant: data[0..used) is "N=V\0"... then "\0", within capacity. */
static int env_ok(const struct uboot_env *env)
{
	return size_ok(env->size, env->redundant) && env->used >= 1 &&
	       env->used <= capacity(env) && env->data[env->used - 1] == 0;
}

int uboot_env_init(struct uboot_env *env, size_t size, int redundant)
{
	redundant = !!redundant;
	if (!size_ok(size, redundant))
		return -1;
	env->size = size;
	env->redundant = redundant;
	env->active = 0;
	env->flags = 0;
	env->used = 1;
	env->data[0] = 0;
	return 0;
}

const char *uboot_env_first(const struct uboot_env *env)
{
	return env->used > 1 && env->used <= sizeof(env->data) ? env->data : NULL;
}

const char *uboot_env_next(const struct uboot_env *env, const char *cur)
{
	size_t pos = (size_t)(cur - env->data);
	const char *nul = memchr(cur, 0, env->used - pos);

	/* The last byte of used is the terminating empty string. */
	if (!nul || (size_t)(nul + 1 - env->data) >= env->used - 1)
		return NULL;
	return nul + 1;
}

size_t uboot_env_count(const struct uboot_env *env)
{
	size_t n = 0;

	for (const char *p = uboot_env_first(env); p; p = uboot_env_next(env, p))
		n++;
	return n;
}

/* strcmp() of the entry's name (up to its first '=') with name[0..nlen). */
static int cmp_name(const char *entry, const char *name, size_t nlen)
{
	for (size_t i = 0;; i++) {
		unsigned a = entry[i] == '=' ? 0 : (unsigned char)entry[i];
		unsigned b = i < nlen ? (unsigned char)name[i] : 0;

		if (a != b)
			return a < b ? -1 : 1;
		if (!a)
			return 0;
	}
}

/* Offset of the last entry (used > 1): entries are never empty. */
static size_t last_entry(const struct uboot_env *env)
{
	size_t i = env->used - 2;

	while (i > 0 && env->data[i - 1])
		i--;
	return i;
}

/* Where name is, or would go to keep names in strcmp() order. */
static size_t find(const struct uboot_env *env, const char *name, size_t nlen, int *found)
{
	size_t pos = 0, end = env->used - 1;

	*found = 0;
	if (end == 0)
		return 0;
	/* Images written in order (by us, libubootenv, U-Boot) append. */
	size_t last = last_entry(env);
	int c = cmp_name(env->data + last, name, nlen);

	if (c <= 0) {
		*found = c == 0;
		return c == 0 ? last : end;
	}
	while (pos < end) {
		const char *ent = env->data + pos;

		c = cmp_name(ent, name, nlen);
		if (c >= 0) {
			*found = c == 0;
			return pos;
		}
		pos += strlen(ent) + 1;
	}
	return pos;
}

const char *uboot_env_get(const struct uboot_env *env, const char *name)
{
	size_t nlen = strlen(name), pos;
	int found;

	if (!env_ok(env) || memchr(name, '=', nlen))
		return NULL;
	pos = find(env, name, nlen, &found);
	return found ? env->data + pos + nlen + 1 : NULL;
}

/*
 * Insert, replace (value) or delete (value NULL) one variable. Callers
 * that bounded the number of variables already skip counting them.
 */
static int put(struct uboot_env *env, const char *name, size_t nlen, const char *value,
	       size_t vlen, int count, struct errbuf *e)
{
	int found;
	size_t pos = find(env, name, nlen, &found);
	size_t oldlen = found ? strlen(env->data + pos) + 1 : 0;
	size_t newlen = value ? nlen + vlen + 2 : 0;
	size_t cap = capacity(env);

	if (!found && !value)
		return 0;
	if (value && (newlen > cap || env->used - oldlen > cap - newlen))
		return errf(e, "`%.*s': the environment would need %zu bytes, %zu fit", (int)nlen, name,
			    env->used - oldlen + newlen, cap);
	if (!found && count && uboot_env_count(env) >= UBOOT_ENV_MAX_VARS)
		return errf(e, "`%.*s': more than %d variables", (int)nlen, name, UBOOT_ENV_MAX_VARS);
	memmove(env->data + pos + newlen, env->data + pos + oldlen, env->used - pos - oldlen);
	if (value) {
		memcpy(env->data + pos, name, nlen);
		env->data[pos + nlen] = '=';
		memcpy(env->data + pos + nlen + 1, value, vlen);
		env->data[pos + newlen - 1] = 0;
	}
	env->used = env->used - oldlen + newlen;
	return 0;
}

/*
 * Names as U-Boot's setenv takes them (no '='), minus what a boot script
 * could not name: blanks and control characters.
 */
static const char *bad_name(const char *p, size_t len)
{
	if (len == 0)
		return "empty name";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '=')
			return "'=' in name";
		if (c <= ' ' || c == 0x7f)
			return "blank or control character in name";
	}
	return NULL;
}

/*
 * Values are one line: the image could hold a newline, but fw_printenv's
 * NAME=VALUE output, mkenvimage's input, `env import -t` and our init
 * file are line-based and would split it into two variables.
 */
static const char *bad_value(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n')
			return "newline in value";
		if (c == '\r')
			return "carriage return in value";
		if ((c < ' ' && c != '\t') || c == 0x7f)
			return "control character in value";
	}
	return NULL;
}

int uboot_env_set_err(struct uboot_env *env, const char *name, const char *value,
		      struct errbuf *e)
{
	size_t nlen = strlen(name), vlen = value ? strlen(value) : 0;
	const char *why;

	if (!env_ok(env))
		return errf(e, "environment not loaded");
	if ((why = bad_name(name, nlen)) || (value && (why = bad_value(value, vlen))))
		return errf(e, "`%s': %s", name, why);
	return put(env, name, nlen, value, vlen, 1, e);
}

int uboot_env_set(struct uboot_env *env, const char *name, const char *value)
{
	return uboot_env_set_err(env, name, value, NULL);
}

int uboot_env_check_copy(const uint8_t *img, size_t size, int redundant, struct errbuf *e)
{
	size_t hdr = uboot_env_header_size(redundant), cap, pos = 0, n = 0;
	uint32_t stored, crc;

	if (!size_ok(size, redundant))
		return errf(e, "size 0x%zx out of range", size);
	cap = size - hdr;
	stored = (uint32_t)img[0] | (uint32_t)img[1] << 8 | (uint32_t)img[2] << 16 |
		 (uint32_t)img[3] << 24;
	crc = uboot_env_crc32(0, img + hdr, cap);
	if (crc != stored)
		return errf(e, "bad CRC");
	/* The CRC only says the bytes are as written; the writer may have been broken. */
	img += hdr;
	while (pos < cap && img[pos]) {
		const uint8_t *nul = memchr(img + pos, 0, cap - pos);

		if (!nul)
			return errf(e, "last variable not terminated");
		if (++n > UBOOT_ENV_MAX_VARS)
			return errf(e, "more than %d variables", UBOOT_ENV_MAX_VARS);
		pos = (size_t)(nul - img) + 1;
	}
	if (pos >= cap)
		return errf(e, "no end-of-environment marker");
	return 0;
}

int uboot_env_pick(int valid0, uint8_t flags0, int valid1, uint8_t flags1,
		   enum uboot_env_scheme scheme)
{
	if (!valid0 || !valid1)
		return valid0 ? 0 : valid1 ? 1 : -1;
	if (scheme == UBOOT_ENV_BOOLEAN) {
		/* 1 active beats 0 obsolete; a copy still erased (0xff) beats both. */
		if (flags1 == 0xff)
			return 1;
		if (flags0 == 0xff)
			return 0;
		return flags1 > flags0;
	}
	/* A counter: the higher one is newer, except across the wrap 255 -> 0. */
	if (flags0 == 0xff && flags1 == 0)
		return 1;
	if (flags1 == 0xff && flags0 == 0)
		return 0;
	/* Equal flags: copy 0, as libubootenv and U-Boot choose. */
	return flags1 > flags0;
}

uint8_t uboot_env_next_flags(uint8_t flags, enum uboot_env_scheme scheme)
{
	return scheme == UBOOT_ENV_BOOLEAN ? 1 : (uint8_t)(flags + 1);
}

int uboot_env_import(struct uboot_env *env, const uint8_t *img, size_t size, int redundant,
		     struct errbuf *e)
{
	size_t hdr = uboot_env_header_size(redundant), pos = 0;
	const char *area;

	if (uboot_env_check_copy(img, size, redundant, e) < 0)
		return -1;
	uboot_env_init(env, size, redundant);
	env->flags = redundant ? img[4] : 0;
	area = (const char *)img + hdr;
	/* check_copy found the terminating empty string inside the area. */
	while (area[pos]) {
		const char *ent = area + pos, *eq;
		size_t len = strlen(ent);

		pos += len + 1;
		/* Skipped by libubootenv too: no '=', or "=value". */
		eq = memchr(ent, '=', len);
		if (!eq || eq == ent)
			continue;
		/* Cannot fail: the result is never larger than the copy, and
		 * check_copy bounded the number of variables. */
		if (put(env, ent, (size_t)(eq - ent), eq + 1, len - (size_t)(eq - ent) - 1, 0, e) < 0)
			return -1;
	}
	return 0;
}

void uboot_env_export(const struct uboot_env *env, uint8_t flags, uint8_t *img)
{
	size_t hdr = uboot_env_header_size(env->redundant), cap = env->size - hdr;
	size_t used = env->used >= 1 && env->used <= cap ? env->used : 0;
	uint32_t crc;

	memcpy(img + hdr, env->data, used);
	memset(img + hdr + used, 0, cap - used);
	if (env->redundant)
		img[4] = flags;
	crc = uboot_env_crc32(0, img + hdr, cap);
	img[0] = (uint8_t)crc;
	img[1] = (uint8_t)(crc >> 8);
	img[2] = (uint8_t)(crc >> 16);
	img[3] = (uint8_t)(crc >> 24);
}

int uboot_env_import_text(struct uboot_env *env, const char *text, size_t len, struct errbuf *e)
{
	size_t pos = 0, lineno = 0;

	if (!env_ok(env))
		return errf(e, "environment not initialized");
	if (memchr(text, 0, len))
		return errf(e, "NUL byte in environment text");
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos), *eq, *why;
		size_t n = nl ? (size_t)(nl - line) : len - pos, nlen;
		struct errbuf le = { 0, "" };
		int found;

		pos += n + (nl != NULL);
		lineno++;
		/* mkenvimage's input rules: '#' in column 1 is a comment. */
		if (n == 0 || line[0] == '#')
			continue;
		eq = memchr(line, '=', n);
		if (!eq)
			return errf(e, "line %zu: expected NAME=VALUE", lineno);
		nlen = (size_t)(eq - line);
		if ((why = bad_name(line, nlen)) || (why = bad_value(eq + 1, n - nlen - 1)))
			return errf(e, "line %zu: %s", lineno, why);
		find(env, line, nlen, &found);
		if (found)
			return errf(e, "line %zu: `%.*s' set twice", lineno, (int)nlen, line);
		if (put(env, line, nlen, eq + 1, n - nlen - 1, 1, &le) < 0)
			return errf(e, "line %zu: %s", lineno, le.msg);
	}
	return 0;
}

/* --- devices ------------------------------------------------------------ */

/* Linux MTD: MEMGETINFO and the NOR type (include/uapi/mtd/mtd-abi.h). */
struct mtd_info_user {
	uint8_t type;
	uint32_t flags, size, erasesize, writesize, oobsize;
	uint64_t padding;
};
#define SZTP_MEMGETINFO _IOR('M', 1, struct mtd_info_user)
#define SZTP_MTD_NORFLASH 3

/*
 * Open one copy's device. libubootenv's rule for the flag scheme: boolean
 * on NOR flash, a counter on everything else (files, block devices, NAND,
 * UBI). Writing is limited to files and block devices: flash needs erase
 * blocks handled, which nothing on our boards uses.
 */
static int open_copy(const struct fw_env_copy *c, int write, enum uboot_env_scheme *scheme,
		     struct errbuf *e)
{
	struct stat st;
	int fd = open(c->device, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);

	*scheme = UBOOT_ENV_INCREMENTAL;
	if (fd < 0)
		return errf(e, "%s: cannot open: %s", c->device, strerror(errno));
	if (fstat(fd, &st) < 0) {
		errf(e, "%s: %s", c->device, strerror(errno));
		goto fail;
	}
	if (S_ISCHR(st.st_mode)) {
		struct mtd_info_user mtd;

		if (ioctl(fd, SZTP_MEMGETINFO, &mtd) == 0 && mtd.type == SZTP_MTD_NORFLASH)
			*scheme = UBOOT_ENV_BOOLEAN;
		if (write) {
			errf(e, "%s: a character device (MTD/UBI): writing needs flash erase "
				"handling, sztpboot writes files and block devices only", c->device);
			goto fail;
		}
	} else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		errf(e, "%s: not a file or block device", c->device);
		goto fail;
	}
	if (c->offset > (uint64_t)INT64_MAX - c->size) {
		errf(e, "%s: offset 0x%llx out of range", c->device, (unsigned long long)c->offset);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* 0: read; -1: cannot open (a configuration error); 1: unreadable copy. */
static int read_copy(const struct fw_env_copy *c, uint8_t *buf, size_t size,
		     enum uboot_env_scheme *scheme, struct errbuf *e)
{
	size_t n = 0;
	int fd = open_copy(c, 0, scheme, e), r = 0;

	if (fd < 0)
		return -1;
	while (n < size) {
		ssize_t k = pread(fd, buf + n, size - n, (off_t)(c->offset + n));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k < 0)
				errf(e, "read error: %s", strerror(errno));
			else
				errf(e, "ends before offset+ENVSIZE");
			r = 1;
			break;
		}
		n += (size_t)k;
	}
	close(fd);
	return r;
}

static int write_copy(const struct fw_env_copy *c, const uint8_t *img, size_t size,
		      struct errbuf *e)
{
	enum uboot_env_scheme scheme;
	size_t n = 0;
	int fd = open_copy(c, 1, &scheme, e), r = -1;

	if (fd < 0)
		return -1;
	while (n < size) {
		ssize_t k = pwrite(fd, img + n, size - n, (off_t)(c->offset + n));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			errf(e, "%s: write at 0x%llx: %s", c->device,
			     (unsigned long long)(c->offset + n), k < 0 ? strerror(errno) : "no space");
			goto out;
		}
		n += (size_t)k;
	}
	/* On a block device this also flushes the disk's write cache. */
	if (fsync(fd) < 0) {
		errf(e, "%s: fsync: %s", c->device, strerror(errno));
		goto out;
	}
	r = 0;
out:
	if (close(fd) < 0 && r == 0)
		r = errf(e, "%s: close: %s", c->device, strerror(errno));
	return r;
}

static int cfg_ok(const struct fw_env_config *cfg, struct errbuf *e)
{
	if (cfg->ncopies < 1 || cfg->ncopies > 2)
		return errf(e, "fw_env.config: %d environment copies", cfg->ncopies);
	if (!size_ok(cfg->copy[0].size, cfg->ncopies == 2) ||
	    (cfg->ncopies == 2 && cfg->copy[1].size != cfg->copy[0].size))
		return errf(e, "fw_env.config: bad ENVSIZE");
	return 0;
}

static void where(const struct fw_env_config *cfg, int i, char *buf, size_t cap)
{
	snprintf(buf, cap, "copy %d (%s at 0x%llx)", i, cfg->copy[i].device,
		 (unsigned long long)cfg->copy[i].offset);
}

int uboot_env_load(struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e)
{
	size_t size;
	int n, redundant, act, valid[2] = { 0, 0 }, r = -1;
	uint8_t *buf, flags[2] = { 0, 0 };
	enum uboot_env_scheme scheme[2] = { UBOOT_ENV_INCREMENTAL, UBOOT_ENV_INCREMENTAL };
	struct errbuf why[2] = { { 0, "" }, { 0, "" } };
	char loc[300];

	if (cfg_ok(cfg, e) < 0)
		return -1;
	n = cfg->ncopies;
	redundant = n == 2;
	size = cfg->copy[0].size;
	buf = malloc(size * (size_t)n);
	if (!buf)
		return errf(e, "out of memory");
	for (int i = 0; i < n; i++) {
		uint8_t *img = buf + (size_t)i * size;
		int k = read_copy(&cfg->copy[i], img, size, &scheme[i], &why[i]);

		if (k < 0) {
			errf(e, "%s", why[i].msg);
			goto out;
		}
		valid[i] = k == 0 && uboot_env_check_copy(img, size, redundant, &why[i]) == 0;
		flags[i] = redundant ? img[4] : 0;
	}
	/* libubootenv takes the scheme of the first copy. */
	act = redundant ? uboot_env_pick(valid[0], flags[0], valid[1], flags[1], scheme[0])
			: valid[0] ? 0 : -1;
	if (act < 0) {
		if (redundant)
			errf(e, "no valid environment copy (copy 0: %s; copy 1: %s)", why[0].msg, why[1].msg);
		else
			errf(e, "no valid environment copy (%s)", why[0].msg);
		goto out;
	}
	if (redundant && !valid[!act]) {
		where(cfg, !act, loc, sizeof(loc));
		sztp_log("U-Boot environment: %s is invalid (%s); using copy %d", loc, why[!act].msg, act);
	}
	if (uboot_env_import(env, buf + (size_t)act * size, size, redundant, e) < 0)
		goto out;
	env->active = act;
	r = 0;
out:
	free(buf);
	return r;
}

/* The configuration must describe the environment as it was loaded. */
static int store_ok(const struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e)
{
	if (cfg_ok(cfg, e) < 0)
		return -1;
	if (!env_ok(env))
		return errf(e, "environment not loaded");
	if (cfg->ncopies != (env->redundant ? 2 : 1) || cfg->copy[0].size != env->size)
		return errf(e, "fw_env.config does not describe this environment");
	return 0;
}

int uboot_env_store(struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e)
{
	int target, r;
	uint8_t flags, *img;

	if (store_ok(env, cfg, e) < 0)
		return -1;
	/*
	 * Never the active copy: until the new one is complete and synced, the
	 * old one is what U-Boot and fw_printenv read.
	 */
	target = env->redundant ? !env->active : 0;
	flags = env->redundant ? uboot_env_next_flags(env->flags, UBOOT_ENV_INCREMENTAL) : 0;
	img = malloc(env->size);
	if (!img)
		return errf(e, "out of memory");
	uboot_env_export(env, flags, img);
	r = write_copy(&cfg->copy[target], img, env->size, e);
	if (r == 0) {
		env->active = target;
		env->flags = flags;
	}
	free(img);
	return r;
}

int uboot_env_store_all(struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e)
{
	int first, r = -1;
	uint8_t flags, *img;

	if (store_ok(env, cfg, e) < 0)
		return -1;
	first = env->redundant ? !env->active : 0;
	flags = env->redundant ? uboot_env_next_flags(env->flags, UBOOT_ENV_INCREMENTAL) : 0;
	img = malloc(env->size);
	if (!img)
		return errf(e, "out of memory");
	uboot_env_export(env, flags, img);
	/* The newer flag makes the first copy current before the other is touched. */
	if (write_copy(&cfg->copy[first], img, env->size, e) < 0)
		goto out;
	env->active = first;
	env->flags = flags;
	if (env->redundant) {
		if (write_copy(&cfg->copy[!first], img, env->size, e) < 0)
			goto out;
		/* Equal flags: both tools read copy 0. */
		env->active = 0;
	}
	r = 0;
out:
	free(img);
	return r;
}

int uboot_env_lock(void)
{
	int fd = open("/var/lock/fw_printenv.lock", O_WRONLY | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void uboot_env_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
