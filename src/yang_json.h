/*
 * RFC 7951 (JSON encoding of YANG data) checks shared by the voucher and
 * conveyed-information decoders: allowed member sets, typed leaf access.
 */
#ifndef SZTP_YANG_JSON_H
#define SZTP_YANG_JSON_H

#include "json.h"
#include "sztp.h"

/* Every member of object obj is in the NULL-terminated list `allowed`. */
int yj_only_members(const struct json_doc *d, size_t obj, const char *const *allowed,
		    const char *where, struct errbuf *e);
/* Member `name` of obj as an object/array/string/..; -1 (with reason) if
 * present with the wrong JSON type; 0 with *idx = -1 if absent. */
int yj_member(const struct json_doc *d, size_t obj, const char *name, int type, long *idx,
	      const char *where, struct errbuf *e);
/* As yj_member, but the member is mandatory. */
int yj_mandatory(const struct json_doc *d, size_t obj, const char *name, int type, long *idx,
		 const char *where, struct errbuf *e);
/* YANG binary leaf (RFC 7951 6.6): strict base64 into out. Returns the
 * decoded length or -1. */
long yj_binary(const struct json_doc *d, size_t i, uint8_t *out, size_t cap, const char *what,
	       struct errbuf *e);
/* YANG string leaf into out, NUL-terminated. -1 if it does not fit. */
long yj_string(const struct json_doc *d, size_t i, char *out, size_t cap, const char *what,
	       struct errbuf *e);
/* identityref (RFC 7951 6.8): "module:name" or, in the module's own
 * namespace, "name". True when it names module:name. */
int yj_identity_is(const struct json_doc *d, size_t i, const char *module, const char *name);

#endif
