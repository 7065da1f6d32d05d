/*
 * fw_env.config: where the U-Boot environment lives, in the format
 * libubootenv's fw_printenv/fw_setenv read (uboot-env/README.md):
 *
 *	# DEVICE      OFFSET     ENVSIZE  [SECTORSIZE [NUMSECTORS]]
 *	/dev/vda      0x100000   0x20000
 *	/dev/vda      0x120000   0x20000
 *
 * One line is a single copy, two lines are redundant copies. Numbers are
 * read exactly as libubootenv reads them, so that both tools agree on
 * every byte they touch: OFFSET is a C integer (0x.. hex, 0.. octal, else
 * decimal), but ENVSIZE, SECTORSIZE and NUMSECTORS are always hex, with or
 * without 0x ("20000" is 0x20000, never twenty thousand).
 */
#ifndef SZTP_FW_ENV_CONFIG_H
#define SZTP_FW_ENV_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

/* Largest fw_env.config text accepted, and longest line. */
#define FW_ENV_CONFIG_MAX (64 * 1024)
#define FW_ENV_CONFIG_LINE_MAX 1024

struct fw_env_copy {
	char device[256];
	uint64_t offset;
	size_t size;        /* ENVSIZE: bytes of this copy, header included */
	size_t sector_size; /* 0 when the line does not say */
};

struct fw_env_config {
	struct fw_env_copy copy[2];
	int ncopies; /* 1: single copy; 2: redundant */
};

/*
 * Parse fw_env.config text (need not be NUL-terminated). Refuses what
 * libubootenv would read differently or not at all: a line that is not a
 * comment and not "DEVICE OFFSET ENVSIZE ...", a size of zero or above
 * UBOOT_ENV_MAX_SIZE, copies of different sizes, overlapping copies,
 * negative offsets, a third copy. Returns 0, or -1 with the line in e.
 */
int fw_env_config_parse(const char *text, size_t len, struct fw_env_config *cfg, struct errbuf *e);

/* Read and parse the file at path. */
int fw_env_config_load(const char *path, struct fw_env_config *cfg, struct errbuf *e);

#endif
