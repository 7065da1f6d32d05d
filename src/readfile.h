/* Reading whole (small) files with a hard size limit. */
#ifndef SZTP_READFILE_H
#define SZTP_READFILE_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

/*
 * Read path into a new buffer of at most max bytes (plus a NUL after the
 * data, not counted). A larger file is refused before it is read, so
 * memory stays bounded by max. Returns 0; -1 with the reason in e; 1 if
 * the file does not exist and missing_ok.
 */
int read_file(const char *path, size_t max, int missing_ok, uint8_t **buf, size_t *len,
	      struct errbuf *e);

/*
 * read_file() for file names from the board configuration, which may also
 * name a QEMU fw_cfg file as "fw_cfg:NAME" (fw_cfg.h). Never for names
 * that come from bootstrapping data or removable storage.
 */
int read_board_file(const char *path, size_t max, int missing_ok, uint8_t **buf, size_t *len,
		    struct errbuf *e);

#endif
