/* PEM (RFC 7468) objects, one at a time, into the caller's buffer. */
#ifndef SZTP_PEM_H
#define SZTP_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "der.h"
#include "sztp.h"

/*
 * Decode the next PEM object from *in (which advances past it). The label
 * ("CERTIFICATE", "PRIVATE KEY", ...) goes to name, the decoded bytes to
 * out. Returns 1 when an object was decoded, 0 at the end of the input,
 * -1 on malformed input or an object larger than cap (errbuf says which).
 */
int pem_next(struct der *in, char *name, size_t namecap, uint8_t *out, size_t cap,
	     size_t *outlen, struct errbuf *e);

#endif
