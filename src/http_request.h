/*
 * HTTP/1.1 request head writer (RFC 9112 3, RFC 9110 7.2), for RESTCONF
 * calls to a bootstrap server (RFC 8040, RFC 8572 7) and image downloads.
 *
 * Writes, into buf:
 *   METHOD SP path SP "HTTP/1.1" CRLF
 *   "Host: " host [ ":" port ] CRLF      port omitted when it is the scheme's
 *                                        default (443 with https, 80 without)
 *   "User-Agent: sztpboot/" VERSION CRLF
 *   [ "Accept: " accept CRLF ]           when accept is not NULL
 *   [ "Content-Type: " content_type CRLF ] when content_type is not NULL
 *   [ "Content-Length: " N CRLF ]        when N > 0, content_type is set, or
 *                                        the method is not GET/HEAD/DELETE
 *                                        (RFC 9110 8.6: a POST says its length,
 *                                        even 0)
 *   [ extra_header CRLF ]                one "Name: value", e.g. "Range: bytes=N-"
 *   CRLF
 * No Connection field: HTTP/1.1 persistence is the default, and the caller
 * decides whether to reuse the connection.
 *
 * Every field is checked before anything is written, so nothing can be
 * injected (no CR, LF, NUL or other control octet anywhere): method is a
 * token; host is a DNS name or IPv4 literal (letters, digits, '-', '.') or an
 * IPv6 literal without brackets (hex digits, ':', '.'; bracketed here); path
 * is origin-form, '/' then visible ASCII without '#'; content_type and
 * accept are visible ASCII and SP; extra_header is a token, ':', and such a
 * value. port 0 is refused.
 *
 * Returns the length written (buf is NUL-terminated; cap must leave room for
 * the NUL), or -1 if a field is refused or buf is too small.
 */
#ifndef SZTP_HTTP_REQUEST_H
#define SZTP_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

int http_request_write(char *buf, size_t cap, const char *method, const char *host,
		       uint16_t port, int https, const char *path, const char *content_type,
		       size_t content_length, const char *accept, const char *extra_header);

#endif
