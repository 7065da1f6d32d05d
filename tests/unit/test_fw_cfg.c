/* fw_cfg: the file directory lookup (key 0x0019), on directories laid out
 * as QEMU's docs/specs/fw_cfg.rst describes them. */
#include <stdint.h>

#include "fw_cfg.h"
#include "test.h"

static uint8_t dir[4 + 8 * 64];

/* A directory of n entries; entry i names names[i] (NULL: 56 bytes, no NUL). */
static size_t mkdir_(const char **names, unsigned n)
{
	memset(dir, 0, sizeof(dir));
	dir[3] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = dir + 4 + i * 64;
		uint32_t size = 100 + i;

		e[0] = (uint8_t)(size >> 24), e[1] = (uint8_t)(size >> 16);
		e[2] = (uint8_t)(size >> 8), e[3] = (uint8_t)size;
		e[4] = 0x00, e[5] = (uint8_t)(0x20 + i); /* select 0x0020 + i, big-endian */
		if (names[i])
			memcpy(e + 8, names[i], strlen(names[i]) + 1);
		else
			memset(e + 8, 'x', 56);
	}
	return 4 + (size_t)n * 64;
}

int main(void)
{
	const char *names[] = { "etc/boot-fail-wait", "opt/org.sztpboot/serial",
				"opt/org.sztpboot/idevid-cert", NULL,
				"opt/org.sztpboot/idevid-key" };
	struct errbuf e = { 0 };
	uint16_t sel = 0;
	uint32_t size = 0;
	size_t len = mkdir_(names, 5);

	CHECK(fw_cfg_dir_find(dir, len, "opt/org.sztpboot/serial", &sel, &size, &e) == 0);
	CHECK(sel == 0x21 && size == 101);
	CHECK(fw_cfg_dir_find(dir, len, "opt/org.sztpboot/idevid-key", &sel, &size, &e) == 0);
	CHECK(sel == 0x24 && size == 104);
	/* An entry without a NUL is skipped, not read past. */
	CHECK(fw_cfg_dir_find(dir, len, "opt/org.sztpboot/nothing", &sel, &size, &e) == 1);
	CHECK(fw_cfg_dir_find(dir, len, "opt/org.sztpboot", &sel, &size, &e) == 1);
	CHECK(fw_cfg_dir_find(dir, len, "", &sel, &size, &e) == 1);
	char longname[80];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[79] = 0;
	CHECK(fw_cfg_dir_find(dir, len, longname, &sel, &size, &e) == 1);
	longname[56] = 0; /* 56 'x', as the unterminated entry holds */
	CHECK(fw_cfg_dir_find(dir, len, longname, &sel, &size, &e) == 1);

	/* Truncated: the count promises more entries than there are bytes. */
	memset(&e, 0, sizeof(e));
	CHECK(fw_cfg_dir_find(dir, len - 1, "opt/org.sztpboot/serial", &sel, &size, &e) == -1);
	CHECK(strstr(e.msg, "truncated") != NULL);
	CHECK(fw_cfg_dir_find(dir, 3, "opt/org.sztpboot/serial", &sel, &size, &e) == -1);
	/* A count above the limit is refused before anything is read. */
	dir[0] = 0xff;
	memset(&e, 0, sizeof(e));
	CHECK(fw_cfg_dir_find(dir, len, "opt/org.sztpboot/serial", &sel, &size, &e) == -1);
	CHECK(strstr(e.msg, "claims") != NULL);
	/* Empty directory. */
	len = mkdir_(names, 0);
	CHECK(fw_cfg_dir_find(dir, len, "opt/org.sztpboot/serial", &sel, &size, &e) == 1);
	TEST_END();
}
