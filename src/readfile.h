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

#endif
