/*
 * Strict RFC 4648 base64 (section 4 alphabet) into and out of the caller's
 * buffer. Base64 carries keys and encrypted material here, so the alphabet
 * is mapped with arithmetic, not a table or branches on the data
 * (wireguard-tools' encoding.c idiom): timing depends only on the length.
 */
#ifndef SZTP_BASE64_H
#define SZTP_BASE64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Strict RFC 4648 section 4 decode: alphabet A-Z a-z 0-9 + /, '=' padding
 * required to a multiple of 4, non-zero unused bits rejected (RFC 4648 3.5),
 * no whitespace. Returns the decoded length, or -1 if malformed or out would
 * overflow cap. On -1 nothing decoded is left in out.
 */
long base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

/* Length decoding would need (upper bound; exact for well-formed input). */
size_t base64_decoded_max(size_t len);

/* Encode; returns length written (NUL-terminated, cap includes the NUL),
 * or -1 if it does not fit. */
long base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
