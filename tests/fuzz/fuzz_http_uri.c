/*
 * libFuzzer: http_uri_parse(), on a NUL-terminated copy of the input. A
 * URI it takes must give a host, a port and an origin-form path, and must
 * print back to a URI that parses to the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct http_uri *u)
{
	size_t hl, pl;

	if (!memchr(u->host, '\0', sizeof(u->host)) || !memchr(u->path, '\0', sizeof(u->path)))
		abort();
	hl = strlen(u->host);
	pl = strlen(u->path);
	if (hl == 0 || u->path[0] != '/' || u->port == 0 || (u->https != 0 && u->https != 1))
		abort();
	/* Nothing that ends the authority in the host; no fragment, no space. */
	if (strpbrk(u->host, "/?#@[]") || strchr(u->path, '#'))
		abort();
	for (size_t i = 0; i < pl; i++)
		if ((unsigned char)u->path[i] <= ' ' || (unsigned char)u->path[i] >= 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[65536 + 1], again[65536];
	static struct http_uri u, v;
	struct errbuf e = { 0 };
	int n;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (http_uri_parse(in, &u, &e) < 0) {
		if (!e.msg[0])
			abort();
		return 0;
	}
	check(&u);

	/* An IPv6 literal is the only host with a ':'. */
	n = snprintf(again, sizeof(again), strchr(u.host, ':') ? "%s://[%s]:%u%s" : "%s://%s:%u%s",
		     u.https ? "https" : "http", u.host, (unsigned)u.port, u.path);
	if (n < 0 || (size_t)n >= sizeof(again))
		abort();
	memset(&e, 0, sizeof(e));
	if (http_uri_parse(again, &v, &e) < 0 || v.https != u.https || v.port != u.port ||
	    strcmp(v.host, u.host) || strcmp(v.path, u.path))
		abort();
	return 0;
}
