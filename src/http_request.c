/* HTTP/1.1 request head writer: see http_request.h. */
#include <stdio.h>
#include <string.h>

#include "http_request.h"

#ifndef SZTP_VERSION
#define SZTP_VERSION "0"
#endif

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* tchar, RFC 9110 5.6.2 */
static int is_tchar(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int token_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_tchar(s[i]))
			return 0;
	return 1;
}

/* Visible US-ASCII and SP, no leading or trailing SP: a safe field value. */
static int value_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* DNS name / IPv4 literal, or IPv6 literal (*ipv6 set): see the header. */
static int host_ok(const char *h, int *ipv6)
{
	size_t n = strlen(h);

	*ipv6 = strchr(h, ':') != NULL;
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];

		if (*ipv6 ? !(is_alnum(c) && strchr("0123456789abcdefABCDEF", c)) && c != ':' && c != '.'
			  : !is_alnum(c) && c != '-' && c != '.')
			return 0;
	}
	return 1;
}

/* origin-form: absolute-path [ "?" query ], visible ASCII, no fragment. */
static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p > 0x7e || *p == '#')
			return 0;
	return 1;
}

static int extra_ok(const char *x)
{
	const char *colon = strchr(x, ':');
	const char *v;

	if (!colon || !token_ok(x, (size_t)(colon - x)))
		return 0;
	v = colon + 1;
	while (*v == ' ')
		v++;
	return value_ok(v);
}

static int has_body_semantics(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "DELETE");
}

/* Append to buf; *len stays > cap - 1 once it no longer fits. */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, const char *a, const char *b)
{
	int n;

	if (*len >= cap)
		return;
	n = snprintf(buf + *len, cap - *len, fmt, a, b);
	*len = n < 0 ? cap : *len + (size_t)n;
}

int http_request_write(char *buf, size_t cap, const char *method, const char *host,
		       uint16_t port, int https, const char *path, const char *content_type,
		       size_t content_length, const char *accept, const char *extra_header)
{
	char num[24];
	size_t len = 0;
	int ipv6;

	if (!buf || cap == 0 || !method || !host || !path)
		return -1;
	buf[0] = '\0';
	if (!token_ok(method, strlen(method)) || !host_ok(host, &ipv6) || port == 0 ||
	    !path_ok(path) || (content_type && !value_ok(content_type)) ||
	    (accept && !value_ok(accept)) || (extra_header && !extra_ok(extra_header)))
		return -1;

	put(buf, cap, &len, "%s %s HTTP/1.1\r\n", method, path);
	put(buf, cap, &len, ipv6 ? "Host: [%s]%s" : "Host: %s%s", host, "");
	if (port != (https ? 443 : 80)) {
		snprintf(num, sizeof(num), ":%u", (unsigned)port);
		put(buf, cap, &len, "%s%s", num, "");
	}
	put(buf, cap, &len, "\r\nUser-Agent: sztpboot/%s%s\r\n", SZTP_VERSION, "");
	if (accept)
		put(buf, cap, &len, "Accept: %s%s\r\n", accept, "");
	if (content_type)
		put(buf, cap, &len, "Content-Type: %s%s\r\n", content_type, "");
	if (content_length > 0 || content_type || has_body_semantics(method)) {
		snprintf(num, sizeof(num), "%zu", content_length);
		put(buf, cap, &len, "Content-Length: %s%s\r\n", num, "");
	}
	if (extra_header)
		put(buf, cap, &len, "%s%s\r\n", extra_header, "");
	put(buf, cap, &len, "\r\n%s%s", "", "");
	if (len >= cap || len > (size_t)INT32_MAX) {
		buf[0] = '\0';
		return -1;
	}
	return (int)len;
}
