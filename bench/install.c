/*
 * Benchmark driver for the install pipeline (bench/run.sh): stream SRC
 * through boot_image_stream() into SLOT, as `sztpboot run` does for a
 * file: download-uri, and print the SHA-256 in hex. SLOT must exist: like
 * a slot device it is written from offset 0, never created.
 * Usage: install SRC SLOT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot_image.h"
#include "sztp.h"

int main(int argc, char **argv)
{
	struct errbuf e = { 0 };
	struct stat st;
	uint8_t sha[32];
	int fd, r;

	if (argc != 3) {
		fprintf(stderr, "usage: install SRC SLOT\n");
		return SZTP_EXIT_USAGE;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		sztp_err("%s: %s", argv[1], strerror(errno));
		return SZTP_EXIT_REJECT;
	}
	sztp_quiet = 1; /* no progress lines: the benchmark times the copy */
	r = boot_image_stream(fd, argv[2], (uint64_t)st.st_size, sha, &e);
	close(fd);
	if (r < 0) {
		sztp_err("%s", e.msg);
		return SZTP_EXIT_REJECT;
	}
	for (int i = 0; i < 32; i++)
		printf("%02x", sha[i]);
	printf("\n");
	return SZTP_EXIT_OK;
}
