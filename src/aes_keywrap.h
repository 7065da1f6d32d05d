/* RFC 3394 AES key unwrap (the id-aesNNN-wrap algorithms of RFC 3565). */
#ifndef SZTP_AES_KEYWRAP_H
#define SZTP_AES_KEYWRAP_H

#include <stddef.h>
#include <stdint.h>

/* Largest wrapped key we unwrap: a 512-bit key plus the 64-bit check. */
#define AES_KEYWRAP_MAX_IN 72

/*
 * Unwrap in (inlen bytes: a multiple of 8, at least 24) with the AES key
 * kek (16, 24 or 32 bytes) into out (cap >= inlen - 8). Returns 0 and sets
 * *outlen on success; -1 on a bad length or when the integrity check value
 * does not match, in which case out is wiped. The check is constant-time
 * and nothing but its final outcome leaks.
 */
int aes_key_unwrap(const uint8_t *kek, size_t keklen, const uint8_t *in, size_t inlen,
		   uint8_t *out, size_t cap, size_t *outlen);

#endif
