/* HTTP/1.1 request head writer: a table of fields and the exact head, or -1. */
#include "http_request.h"
#include "test.h"

#define UA "User-Agent: sztpboot/" SZTP_VERSION "\r\n"
#define RPC "/restconf/operations/ietf-sztp-bootstrap-server:get-bootstrapping-data"
#define YJ "application/yang-data+json"

static const struct {
	const char *name;
	const char *method, *host;
	unsigned port;
	int https;
	const char *path, *content_type;
	size_t content_length;
	const char *accept, *extra;
	const char *want; /* NULL: refused */
} rows[] = {
	{ "RESTCONF RPC", "POST", "sztp1.example.com", 8443, 1, RPC, YJ, 42, YJ, NULL,
	  "POST " RPC " HTTP/1.1\r\nHost: sztp1.example.com:8443\r\n" UA "Accept: " YJ "\r\n"
	  "Content-Type: " YJ "\r\nContent-Length: 42\r\n\r\n" },
	{ "https default port omitted", "GET", "example.com", 443, 1, "/img.bin", NULL, 0, NULL, NULL,
	  "GET /img.bin HTTP/1.1\r\nHost: example.com\r\n" UA "\r\n" },
	{ "http default port omitted", "GET", "example.com", 80, 0, "/img.bin?v=2", NULL, 0, NULL, NULL,
	  "GET /img.bin?v=2 HTTP/1.1\r\nHost: example.com\r\n" UA "\r\n" },
	{ "443 over http is not default", "GET", "example.com", 443, 0, "/", NULL, 0, NULL, NULL,
	  "GET / HTTP/1.1\r\nHost: example.com:443\r\n" UA "\r\n" },
	{ "80 over https is not default", "GET", "example.com", 80, 1, "/", NULL, 0, NULL, NULL,
	  "GET / HTTP/1.1\r\nHost: example.com:80\r\n" UA "\r\n" },
	{ "IPv6 literal bracketed", "GET", "2001:db8::1", 9443, 1, "/", NULL, 0, NULL, NULL,
	  "GET / HTTP/1.1\r\nHost: [2001:db8::1]:9443\r\n" UA "\r\n" },
	{ "IPv4", "GET", "192.0.2.1", 443, 1, "/", NULL, 0, NULL, NULL,
	  "GET / HTTP/1.1\r\nHost: 192.0.2.1\r\n" UA "\r\n" },
	{ "resume with Range", "GET", "img.example", 443, 1, "/a", NULL, 0, NULL, "Range: bytes=1048576-",
	  "GET /a HTTP/1.1\r\nHost: img.example\r\n" UA "Range: bytes=1048576-\r\n\r\n" },
	{ "POST without body says 0", "POST", "h", 443, 1, RPC, NULL, 0, YJ, NULL,
	  "POST " RPC " HTTP/1.1\r\nHost: h\r\n" UA "Accept: " YJ "\r\nContent-Length: 0\r\n\r\n" },
	{ "HEAD", "HEAD", "h", 443, 1, "/x", NULL, 0, NULL, NULL,
	  "HEAD /x HTTP/1.1\r\nHost: h\r\n" UA "\r\n" },
	/* injection and malformed fields */
	{ "CRLF in path", "GET", "h", 443, 1, "/a\r\nX: y", NULL, 0, NULL, NULL, NULL },
	{ "LF in path", "GET", "h", 443, 1, "/a\nb", NULL, 0, NULL, NULL, NULL },
	{ "SP in path", "GET", "h", 443, 1, "/a b", NULL, 0, NULL, NULL, NULL },
	{ "fragment in path", "GET", "h", 443, 1, "/a#b", NULL, 0, NULL, NULL, NULL },
	{ "relative path", "GET", "h", 443, 1, "a", NULL, 0, NULL, NULL, NULL },
	{ "absolute-form path", "GET", "h", 443, 1, "https://h/a", NULL, 0, NULL, NULL, NULL },
	{ "non-ASCII path", "GET", "h", 443, 1, "/\xc3\xa9", NULL, 0, NULL, NULL, NULL },
	{ "CRLF in host", "GET", "h\r\nX: y", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "userinfo in host", "GET", "u@h", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "slash in host", "GET", "h/x", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "bracketed host", "GET", "[::1]", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "zone id", "GET", "fe80::1%eth0", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "empty host", "GET", "", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "port 0", "GET", "h", 0, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "SP in method", "GE T", "h", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "empty method", "", "h", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "CRLF in method", "GET /x HTTP/1.1\r\n", "h", 443, 1, "/", NULL, 0, NULL, NULL, NULL },
	{ "CRLF in content type", "POST", "h", 443, 1, "/", YJ "\r\nX: y", 1, NULL, NULL, NULL },
	{ "TAB in accept", "GET", "h", 443, 1, "/", NULL, 0, "a\tb", NULL, NULL },
	{ "LF in accept", "GET", "h", 443, 1, "/", NULL, 0, "a\nb", NULL, NULL },
	{ "empty accept", "GET", "h", 443, 1, "/", NULL, 0, "", NULL, NULL },
	{ "CRLF in extra", "GET", "h", 443, 1, "/", NULL, 0, NULL, "Range: bytes=0-\r\nX: y", NULL },
	{ "extra without colon", "GET", "h", 443, 1, "/", NULL, 0, NULL, "Range bytes=0-", NULL },
	{ "extra with SP in name", "GET", "h", 443, 1, "/", NULL, 0, NULL, "Ra nge: x", NULL },
	{ "extra with empty value", "GET", "h", 443, 1, "/", NULL, 0, NULL, "Range:", NULL },
	{ "extra with empty name", "GET", "h", 443, 1, "/", NULL, 0, NULL, ": x", NULL },
};

int main(void)
{
	char buf[1024];
	int n;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		n = http_request_write(buf, sizeof(buf), rows[i].method, rows[i].host, (uint16_t)rows[i].port,
				       rows[i].https, rows[i].path, rows[i].content_type,
				       rows[i].content_length, rows[i].accept, rows[i].extra);
		if (rows[i].want)
			CHECKF(n == (int)strlen(rows[i].want) && !strcmp(buf, rows[i].want), "%s: %d\n%s",
			       rows[i].name, n, n < 0 ? "" : buf);
		else
			CHECKF(n == -1 && buf[0] == '\0', "%s: %d", rows[i].name, n);
	}
	/* Capacity: exactly enough (length + NUL) works, one less does not. */
	n = http_request_write(buf, sizeof(buf), "GET", "example.com", 443, 1, "/", NULL, 0, NULL, NULL);
	CHECK(n > 0);
	for (size_t cap = 0; cap <= (size_t)n + 1; cap++) {
		char small[256];
		int m = http_request_write(cap ? small : NULL, cap, "GET", "example.com", 443, 1, "/", NULL, 0,
					   NULL, NULL);

		CHECKF(cap > (size_t)n ? m == n && !strcmp(small, buf) : m == -1, "cap %zu: %d", cap, m);
	}
	/* Required fields. */
	CHECK(http_request_write(buf, sizeof(buf), NULL, "h", 443, 1, "/", NULL, 0, NULL, NULL) == -1);
	CHECK(http_request_write(buf, sizeof(buf), "GET", NULL, 443, 1, "/", NULL, 0, NULL, NULL) == -1);
	CHECK(http_request_write(buf, sizeof(buf), "GET", "h", 443, 1, NULL, NULL, 0, NULL, NULL) == -1);
	TEST_END();
}
