/*
 * Conveyed information (RFC 8572 6.1, module ietf-sztp-conveyed-info),
 * JSON encoded (RFC 7951): decoded strictly against the module, then
 * written back out, or used to check a boot image.
 */
#ifndef SZTP_CONVEYED_INFO_H
#define SZTP_CONVEYED_INFO_H

#include <stdio.h>

#include "json.h"
#include "sztp.h"

#define CONVEYED_INFO_MAX (4u * 1024 * 1024)
#define CONVEYED_INFO_MAX_TOKENS 4096

enum conveyed_type { REDIRECT_INFORMATION = 1, ONBOARDING_INFORMATION };

struct conveyed_info {
	enum conveyed_type type;
	struct json_doc doc;
	size_t body;                        /* token of the inner container */
	struct json_tok tok[CONVEYED_INFO_MAX_TOKENS];
};

/* Parse and check against the YANG module. The JSON must outlive ci. */
int conveyed_info_parse(struct conveyed_info *ci, const uint8_t *json, size_t len, struct errbuf *e);
/* Write as compact RFC 7951 JSON; trust-anchor members left out when
 * drop_trust_anchors (provisional redirect information, RFC 8572 5.5). */
int conveyed_info_write(const struct conveyed_info *ci, int drop_trust_anchors, FILE *f);
/* RFC 8572 5.6: the file's SHA-256 matches the image-verification list. */
int conveyed_info_check_image(const struct conveyed_info *ci, const char *path, struct errbuf *e);

#endif
