/*
 * libFuzzer: fw_cfg_dir_find() on an arbitrary directory. The first input
 * byte picks the name looked up; a hit must lie inside the directory.
 */
#include <stdlib.h>
#include <string.h>

#include "fw_cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "opt/org.sztpboot/serial", "opt/org.sztpboot/idevid-cert",
				       "etc/table-loader", "x" };
	struct errbuf e = { 0 };
	uint16_t sel;
	uint32_t len;
	int r;

	if (size < 1)
		return 0;
	r = fw_cfg_dir_find(data + 1, size - 1, names[data[0] & 3], &sel, &len, &e);
	if (r < 0 && !e.msg[0])
		abort();
	if (r != -1 && r != 0 && r != 1)
		abort();
	return 0;
}
