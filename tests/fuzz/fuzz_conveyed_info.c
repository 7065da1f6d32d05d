/* libFuzzer: conveyed-information JSON decoding and re-encoding. */
#include <stdio.h>
#include <stdlib.h>

#include "conveyed_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conveyed_info ci;
	static FILE *devnull;
	struct errbuf e = { 0 };

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (conveyed_info_parse(&ci, data, size, &e) == 0) {
		conveyed_info_write(&ci, 1, devnull);
		conveyed_info_write(&ci, 0, devnull);
		conveyed_info_check_image(&ci, "/dev/null", &e);
	}
	return 0;
}
