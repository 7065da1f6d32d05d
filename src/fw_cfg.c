/* See fw_cfg.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#define FW_CFG_PIO 1
#endif

#include "fw_cfg.h"

#define DIR_ENTRY 64
#define KEY_SIGNATURE 0x0000
#define KEY_FILE_DIR 0x0019

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int fw_cfg_dir_find(const uint8_t *dir, size_t len, const char *name, uint16_t *select,
		    uint32_t *size, struct errbuf *e)
{
	size_t nlen = strlen(name);

	if (len < 4)
		return errf(e, "fw_cfg: file directory truncated");
	uint32_t count = be32(dir);
	if (count > FW_CFG_FILES_MAX)
		return errf(e, "fw_cfg: file directory claims %u files", count);
	if (len - 4 < (size_t)count * DIR_ENTRY)
		return errf(e, "fw_cfg: file directory truncated");
	if (nlen == 0 || nlen >= FW_CFG_NAME_MAX)
		return 1;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *ent = dir + 4 + (size_t)i * DIR_ENTRY;
		const char *ename = (const char *)ent + 8;

		/* A name fills its 56 bytes with a NUL somewhere, or it is not
		 * one we could have asked for. */
		if (!memchr(ename, 0, FW_CFG_NAME_MAX))
			continue;
		if (!strcmp(ename, name)) {
			*size = be32(ent);
			*select = (uint16_t)(ent[4] << 8 | ent[5]);
			return 0;
		}
	}
	return 1;
}

#ifdef FW_CFG_PIO
#define PORT_SELECTOR 0x510
#define PORT_DATA 0x511

static void fw_select(uint16_t key)
{
	outw(key, PORT_SELECTOR); /* the selector is little-endian on x86 */
}

static void fw_read(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = inb(PORT_DATA);
}

int fw_cfg_read(const char *name, size_t max, int missing_ok, uint8_t **buf, size_t *len,
		struct errbuf *e)
{
	uint8_t sig[4], hdr[4], *dir = NULL, *p = NULL;
	uint16_t sel;
	uint32_t size;
	int r = -1;

	*buf = NULL;
	if (ioperm(PORT_SELECTOR, 2, 1) < 0)
		return errf(e, "fw_cfg: cannot access I/O ports 0x510-0x511: %s", strerror(errno));
	fw_select(KEY_SIGNATURE);
	fw_read(sig, sizeof(sig));
	if (memcmp(sig, "QEMU", 4)) {
		/* No device: reads of an unclaimed port give 0xff. */
		r = missing_ok ? 1 : errf(e, "fw_cfg: no QEMU fw_cfg device");
		goto out;
	}
	fw_select(KEY_FILE_DIR);
	fw_read(hdr, sizeof(hdr));
	uint32_t count = be32(hdr);
	if (count > FW_CFG_FILES_MAX) {
		errf(e, "fw_cfg: file directory claims %u files", count);
		goto out;
	}
	size_t dlen = 4 + (size_t)count * DIR_ENTRY;
	dir = malloc(dlen);
	if (!dir) {
		errf(e, "out of memory");
		goto out;
	}
	memcpy(dir, hdr, 4);
	fw_read(dir + 4, dlen - 4);
	r = fw_cfg_dir_find(dir, dlen, name, &sel, &size, e);
	if (r != 0) {
		if (r == 1 && !missing_ok)
			r = errf(e, "fw_cfg: no file %s", name);
		goto out;
	}
	r = -1;
	if (size > max) {
		errf(e, "fw_cfg: %s is larger than the %zu-byte limit", name, max);
		goto out;
	}
	p = malloc((size_t)size + 1);
	if (!p) {
		errf(e, "out of memory");
		goto out;
	}
	fw_select(sel);
	fw_read(p, size);
	p[size] = 0;
	*buf = p;
	*len = size;
	p = NULL;
	r = 0;
out:
	free(p);
	free(dir);
	ioperm(PORT_SELECTOR, 2, 0);
	return r;
}
#else
int fw_cfg_read(const char *name, size_t max, int missing_ok, uint8_t **buf, size_t *len,
		struct errbuf *e)
{
	(void)name, (void)max, (void)len;
	*buf = NULL;
	/* On other machines fw_cfg is memory-mapped and the kernel driver
	 * finds it in the device tree: use its sysfs files instead. */
	return missing_ok ? 1 : errf(e, "fw_cfg: I/O port access exists only on x86");
}
#endif
