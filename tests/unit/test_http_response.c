/*
 * HTTP/1.1 response parser (RFC 9112): a table of raw responses, each fed
 * whole, one octet at a time, and in random splits; all three must agree.
 */
#include <stdint.h>
#include <stdlib.h>

#include "http_response.h"
#include "test.h"

#define R(s) s, sizeof(s) - 1
#define NOLIMIT UINT64_MAX
#define H11 "HTTP/1.1 200 OK\r\n"
#define CT_JSON "Content-Type: application/yang-data+json\r\n"

enum { ERR = 0, OK = 1 };

struct row {
	const char *name;
	const char *raw;
	size_t len;
	uint64_t max_body;
	int head;        /* request was HEAD */
	int eof;         /* call http_response_eof() after the input */
	int ok;          /* done (OK) or error (ERR) */
	const char *want; /* OK: exact body; ERR: substring of the reason */
	int status;      /* OK: expected status */
	int framing;     /* OK: expected framing */
	size_t left;     /* OK: octets not consumed (after the response) */
};

static const struct row rows[] = {
	/* framing */
	{ "content-length", R(H11 "Content-Length: 5\r\n" CT_JSON "\r\nhello"), NOLIMIT, 0, 0, OK, "hello", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "content-length 0", R(H11 "Content-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "leading zeros in length", R(H11 "Content-Length: 0005\r\n\r\nhello"), NOLIMIT, 0, 0, OK, "hello", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "same length twice", R(H11 "Content-Length: 3\r\ncontent-length: 3\r\n\r\nabc"), NOLIMIT, 0, 0, OK, "abc", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "octets after the body stay", R(H11 "Content-Length: 2\r\n\r\nabHTTP/1.1"), NOLIMIT, 0, 0, OK, "ab", 200, HTTP_FRAMING_LENGTH, 8 },
	{ "chunked", R(H11 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), NOLIMIT, 0, 0, OK, "hello world", 200, HTTP_FRAMING_CHUNKED, 0 },
	{ "chunked, case and OWS", R(H11 "transfer-encoding:   Chunked  \r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"), NOLIMIT, 0, 0, OK, "0123456789", 200, HTTP_FRAMING_CHUNKED, 0 },
	{ "chunk extensions ignored", R(H11 "Transfer-Encoding: chunked\r\n\r\n3;name=\"v;x\"\r\nabc\r\n2 ; a=b\r\nde\r\n0;last\r\n\r\n"), NOLIMIT, 0, 0, OK, "abcde", 200, HTTP_FRAMING_CHUNKED, 0 },
	{ "trailers discarded", R(H11 "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nDigest: sha-256=abc\r\nContent-Length: 99\r\n\r\n"), NOLIMIT, 0, 0, OK, "x", 200, HTTP_FRAMING_CHUNKED, 0 },
	{ "chunk size leading zeros", R(H11 "Transfer-Encoding: chunked\r\n\r\n00000000000000000000000000002\r\nab\r\n000\r\n\r\n"), NOLIMIT, 0, 0, OK, "ab", 200, HTTP_FRAMING_CHUNKED, 0 },
	{ "empty list elements", R(H11 "Transfer-Encoding: , chunked,\r\n\r\n0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 200, HTTP_FRAMING_CHUNKED, 0 },
	{ "read until close", R(H11 "Connection: close\r\n\r\nall of it"), NOLIMIT, 0, 1, OK, "all of it", 200, HTTP_FRAMING_CLOSE, 0 },
	{ "connection token list", R(H11 "Connection: Upgrade, CLOSE\r\n\r\nx"), NOLIMIT, 0, 1, OK, "x", 200, HTTP_FRAMING_CLOSE, 0 },
	{ "HTTP/1.0 until close", R("HTTP/1.0 200 OK\r\n\r\nold"), NOLIMIT, 0, 1, OK, "old", 200, HTTP_FRAMING_CLOSE, 0 },
	{ "HTTP/1.0 with length", R("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nz"), NOLIMIT, 0, 0, OK, "z", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "status without reason", R("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "empty reason", R("HTTP/1.1 404 \r\nContent-Length: 2\r\n\r\nno"), NOLIMIT, 0, 0, OK, "no", 404, HTTP_FRAMING_LENGTH, 0 },
	{ "reason with obs-text", R("HTTP/1.1 200 \xc3\xa9t\xc3\xa9\tok\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 200, HTTP_FRAMING_LENGTH, 0 },
	{ "other fields kept out", R(H11 "Location: https://x/\r\nX-Empty:\r\nServer: a b\r\nContent-Length: 1\r\n\r\n!"), NOLIMIT, 0, 0, OK, "!", 200, HTTP_FRAMING_LENGTH, 0 },
	/* no body */
	{ "HEAD with length", R(H11 "Content-Length: 1000\r\n\r\n"), NOLIMIT, 1, 0, OK, "", 200, HTTP_FRAMING_NONE, 0 },
	{ "HEAD with length above max", R(H11 "Content-Length: 1000\r\n\r\n"), 10, 1, 0, OK, "", 200, HTTP_FRAMING_NONE, 0 },
	{ "204", R("HTTP/1.1 204 No Content\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 204, HTTP_FRAMING_NONE, 0 },
	{ "204 with Content-Length 0", R("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 204, HTTP_FRAMING_NONE, 0 },
	{ "204 then octets: not consumed", R("HTTP/1.1 204 No Content\r\n\r\nhello"), NOLIMIT, 0, 0, OK, "", 204, HTTP_FRAMING_NONE, 5 },
	{ "304 with length", R("HTTP/1.1 304 Not Modified\r\nContent-Length: 77\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 304, HTTP_FRAMING_NONE, 0 },
	{ "100 then 200", R("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"), NOLIMIT, 0, 0, OK, "ok", 201, HTTP_FRAMING_LENGTH, 0 },
	{ "103 with fields then 200", R("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\nContent-Length: 9\r\n\r\n" H11 "Content-Length: 1\r\n\r\n1"), NOLIMIT, 0, 0, OK, "1", 200, HTTP_FRAMING_LENGTH, 0 },
	/* 206 */
	{ "206 content-range", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 2-5/10\r\nContent-Length: 4\r\n\r\ncdef"), NOLIMIT, 0, 0, OK, "cdef", 206, HTTP_FRAMING_LENGTH, 0 },
	{ "206 unknown total", R("HTTP/1.1 206 Partial Content\r\ncontent-range: BYTES 0-0/*\r\nContent-Length: 1\r\n\r\na"), NOLIMIT, 0, 0, OK, "a", 206, HTTP_FRAMING_LENGTH, 0 },
	{ "416 unsatisfied range", R("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 416, HTTP_FRAMING_LENGTH, 0 },
	{ "Content-Range ignored in 200", R(H11 "Content-Range: junk\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 200, HTTP_FRAMING_LENGTH, 0 },

	/* smuggling (RFC 9112 6.3) */
	{ "CL and TE", R(H11 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "both Transfer-Encoding and Content-Length", 0, 0, 0 },
	{ "TE and CL", R(H11 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"), NOLIMIT, 0, 0, ERR, "both Transfer-Encoding and Content-Length", 0, 0, 0 },
	{ "two different CLs", R(H11 "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello"), NOLIMIT, 0, 0, ERR, "two different Content-Length", 0, 0, 0 },
	{ "CL list", R(H11 "Content-Length: 5, 5\r\n\r\nhello"), NOLIMIT, 0, 0, ERR, "invalid Content-Length `5, 5'", 0, 0, 0 },
	{ "chunked, gzip", R(H11 "Transfer-Encoding: chunked, gzip\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported transfer coding `gzip'", 0, 0, 0 },
	{ "gzip, chunked", R(H11 "Transfer-Encoding: gzip, chunked\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported transfer coding `gzip'", 0, 0, 0 },
	{ "chunked twice", R(H11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"), NOLIMIT, 0, 0, ERR, "chunked twice", 0, 0, 0 },
	{ "chunked with parameter", R(H11 "Transfer-Encoding: chunked;q=1\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported transfer coding", 0, 0, 0 },
	{ "identity", R(H11 "Transfer-Encoding: identity\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported transfer coding", 0, 0, 0 },
	{ "empty TE", R(H11 "Transfer-Encoding: \r\n\r\n"), NOLIMIT, 0, 0, ERR, "empty Transfer-Encoding", 0, 0, 0 },
	{ "TE in HTTP/1.0", R("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "HTTP/1.0", 0, 0, 0 },
	{ "negative length", R(H11 "Content-Length: -1\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Length `-1'", 0, 0, 0 },
	{ "plus sign", R(H11 "Content-Length: +5\r\n\r\nhello"), NOLIMIT, 0, 0, ERR, "invalid Content-Length", 0, 0, 0 },
	{ "empty length", R(H11 "Content-Length: \r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Length", 0, 0, 0 },
	{ "hex length", R(H11 "Content-Length: 0x10\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Length", 0, 0, 0 },
	{ "length 2^64", R(H11 "Content-Length: 18446744073709551616\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Length", 0, 0, 0 },
	{ "length 2^64-1 above max", R(H11 "Content-Length: 18446744073709551615\r\n\r\n"), 1000, 0, 0, ERR, "larger than the limit", 0, 0, 0 },
	{ "space before colon", R(H11 "Content-Length : 5\r\n\r\nhello"), NOLIMIT, 0, 0, ERR, "invalid octet 0x20 in field name", 0, 0, 0 },
	{ "obs-fold", R(H11 "X-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "obs-fold", 0, 0, 0 },
	{ "whitespace before first field", R(H11 " Content-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "obs-fold", 0, 0, 0 },
	{ "chunk size 2^63", R(H11 "Transfer-Encoding: chunked\r\n\r\n8000000000000000\r\n"), NOLIMIT, 0, 0, ERR, "chunk size too large", 0, 0, 0 },
	{ "chunk size 2^64+", R(H11 "Transfer-Encoding: chunked\r\n\r\n10000000000000001\r\nx"), NOLIMIT, 0, 0, ERR, "chunk size too large", 0, 0, 0 },
	{ "chunk size 2^63-1 above max", R(H11 "Transfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n"), 1 << 20, 0, 0, ERR, "chunked body larger than the limit", 0, 0, 0 },
	{ "missing CRLF after chunk", R(H11 "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "missing CRLF after chunk data", 0, 0, 0 },
	{ "LF only after chunk", R(H11 "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "missing CRLF after chunk data", 0, 0, 0 },
	{ "no chunk size", R(H11 "Transfer-Encoding: chunked\r\n\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid chunk size", 0, 0, 0 },
	{ "negative chunk size", R(H11 "Transfer-Encoding: chunked\r\n\r\n-1\r\n"), NOLIMIT, 0, 0, ERR, "invalid chunk size", 0, 0, 0 },
	{ "0x chunk size", R(H11 "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "after chunk size", 0, 0, 0 },
	{ "BWS without extension", R(H11 "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "after chunk size", 0, 0, 0 },
	{ "bare LF in chunk line", R(H11 "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "after chunk size", 0, 0, 0 },
	{ "CR alone in chunk line", R(H11 "Transfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "does not end in CRLF", 0, 0, 0 },
	{ "control in chunk extension", R(H11 "Transfer-Encoding: chunked\r\n\r\n5;a\x01\r\nhello\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "chunk extension", 0, 0, 0 },
	{ "bad trailer", R(H11 "Transfer-Encoding: chunked\r\n\r\n0\r\nNoColon\r\n\r\n"), NOLIMIT, 0, 0, ERR, "without ':'", 0, 0, 0 },
	{ "trailer obs-fold", R(H11 "Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n"), NOLIMIT, 0, 0, ERR, "obs-fold", 0, 0, 0 },

	/* line endings and octets */
	{ "bare LF", R("HTTP/1.1 200 OK\nContent-Length: 0\n\n"), NOLIMIT, 0, 0, ERR, "bare LF", 0, 0, 0 },
	{ "bare LF in a field", R(H11 "Content-Length: 0\n\r\n"), NOLIMIT, 0, 0, ERR, "bare LF", 0, 0, 0 },
	{ "bare CR", R(H11 "X: a\rb\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "bare CR", 0, 0, 0 },
	{ "NUL in value", R(H11 "X: a\0b\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid octet 0x00 in the value of `X'", 0, 0, 0 },
	{ "DEL in value", R(H11 "X: a\x7f\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid octet 0x7f", 0, 0, 0 },
	{ "NUL in name", R(H11 "X\0Y: a\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid octet 0x00 in field name", 0, 0, 0 },
	{ "empty name", R(H11 ": a\r\n\r\n"), NOLIMIT, 0, 0, ERR, "empty field name", 0, 0, 0 },
	{ "no colon", R(H11 "Content-Length\r\n\r\n"), NOLIMIT, 0, 0, ERR, "without ':'", 0, 0, 0 },

	/* status line */
	{ "HTTP/2", R("HTTP/2 200\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported HTTP version `HTTP/2'", 0, 0, 0 },
	{ "HTTP/2.0", R("HTTP/2.0 200 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported HTTP version `HTTP/2.0'", 0, 0, 0 },
	{ "HTTP/1.2", R("HTTP/1.2 200 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported HTTP version", 0, 0, 0 },
	{ "HTTP/1.10", R("HTTP/1.10 200 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "unsupported HTTP version", 0, 0, 0 },
	{ "lowercase http", R("http/1.1 200 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "not an HTTP status line", 0, 0, 0 },
	{ "garbage", R("<html>hello</html>\r\n\r\n"), NOLIMIT, 0, 0, ERR, "not an HTTP status line", 0, 0, 0 },
	{ "binary garbage", R("\x16\x03\x01\x00\xa5\r\n"), NOLIMIT, 0, 0, ERR, "not an HTTP status line `????", 0, 0, 0 },
	{ "TLS alert, no CRLF", R("\x15\x03\x03\x00\x02\x02\x28"), NOLIMIT, 0, 1, ERR, "connection closed in the response head", 0, 0, 0 },
	{ "empty line first", R("\r\nHTTP/1.1 200 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "not an HTTP status line", 0, 0, 0 },
	{ "two-digit status", R("HTTP/1.1 20 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "malformed status line", 0, 0, 0 },
	{ "four-digit status", R("HTTP/1.1 2000 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "malformed status line", 0, 0, 0 },
	{ "two spaces", R("HTTP/1.1  200 OK\r\n\r\n"), NOLIMIT, 0, 0, ERR, "malformed status line", 0, 0, 0 },
	{ "status 099", R("HTTP/1.1 099 X\r\n\r\n"), NOLIMIT, 0, 0, ERR, "out of range", 0, 0, 0 },
	{ "status 600", R("HTTP/1.1 600 X\r\n\r\n"), NOLIMIT, 0, 0, ERR, "out of range", 0, 0, 0 },
	{ "control in reason", R("HTTP/1.1 200 O\x01K\r\n\r\n"), NOLIMIT, 0, 0, ERR, "reason phrase", 0, 0, 0 },
	{ "101", R("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"), NOLIMIT, 0, 0, ERR, "101", 0, 0, 0 },

	/* limits and framing errors */
	{ "body larger than max", R(H11 "Content-Length: 11\r\n\r\nhello world"), 10, 0, 0, ERR, "body of 11 octets is larger than the limit of 10", 0, 0, 0 },
	{ "chunked larger than max", R(H11 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), 10, 0, 0, ERR, "chunked body larger than the limit of 10", 0, 0, 0 },
	{ "until-close larger than max", R(H11 "Connection: close\r\n\r\nhello world"), 10, 0, 1, ERR, "body larger than the limit of 10", 0, 0, 0 },
	{ "keep-alive without length", R(H11 "\r\nhello"), NOLIMIT, 0, 1, ERR, "persistent connection", 0, 0, 0 },
	{ "HTTP/1.0 keep-alive without length", R("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nx"), NOLIMIT, 0, 1, ERR, "persistent connection", 0, 0, 0 },
	{ "truncated body", R(H11 "Content-Length: 10\r\n\r\nhello"), NOLIMIT, 0, 1, ERR, "after 5 of 10 body octets", 0, 0, 0 },
	{ "truncated chunked", R(H11 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"), NOLIMIT, 0, 1, ERR, "inside the chunked body", 0, 0, 0 },
	{ "truncated head", R(H11 "Content-Length: 1"), NOLIMIT, 0, 1, ERR, "in the response head", 0, 0, 0 },
	{ "204 with Content-Length", R("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"), NOLIMIT, 0, 0, ERR, "204 response with a body", 0, 0, 0 },
	{ "204 chunked", R("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "204 response with a body", 0, 0, 0 },
	{ "two Content-Types", R(H11 "Content-Type: a/b\r\nContent-Type: c/d\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "more than one Content-Type", 0, 0, 0 },
	{ "bad Connection option", R(H11 "Connection: clo se\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Connection option", 0, 0, 0 },

	/* 206 / 416 */
	{ "206 without Content-Range", R("HTTP/1.1 206 Partial Content\r\nContent-Length: 4\r\n\r\ncdef"), NOLIMIT, 0, 0, ERR, "206 without a single Content-Range", 0, 0, 0 },
	{ "206 length mismatch", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 2-5/10\r\nContent-Length: 5\r\n\r\ncdefg"), NOLIMIT, 0, 0, ERR, "does not match Content-Range", 0, 0, 0 },
	{ "206 first > last", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-2/10\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range `bytes 5-2/10'", 0, 0, 0 },
	{ "206 last >= total", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-10/10\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range", 0, 0, 0 },
	{ "206 unsatisfied form", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes */10\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range", 0, 0, 0 },
	{ "206 other unit", R("HTTP/1.1 206 Partial Content\r\nContent-Range: items 0-1/2\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range", 0, 0, 0 },
	{ "206 negative", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes -1-2/10\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range", 0, 0, 0 },
	{ "206 overflow", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-18446744073709551616/*\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range", 0, 0, 0 },
	{ "206 trailing junk", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/2x\r\n\r\n"), NOLIMIT, 0, 0, ERR, "invalid Content-Range", 0, 0, 0 },
	{ "206 two ranges", R("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/2\r\nContent-Range: bytes 0-1/2\r\n\r\n"), NOLIMIT, 0, 0, ERR, "more than one Content-Range", 0, 0, 0 },
	{ "206 multipart", R("HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary=x\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, ERR, "206 without", 0, 0, 0 },
};

/* What a run produced. */
struct outcome {
	int done;
	char err[sizeof(((struct errbuf *)0)->msg)];
	size_t consumed;
	char body[256];
	size_t body_n;
	struct http_response r;
};

static void collect(void *arg, const uint8_t *p, size_t n)
{
	struct outcome *o = arg;

	if (o->body_n + n <= sizeof(o->body))
		memcpy(o->body + o->body_n, p, n);
	o->body_n += n;
}

static uint32_t rng;

static uint32_t next(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* mode 0: whole; 1: one octet at a time; 2: random pieces. */
static void run(struct outcome *o, const struct row *t, const char *raw, size_t len, int mode)
{
	struct http_body_sink sink = { collect, o };
	size_t i = 0;

	memset(o, 0, sizeof(*o));
	http_response_init(&o->r, t->max_body, t->head);
	while (i < len) {
		size_t n = mode == 0 ? len - i : mode == 1 ? 1 : 1 + next() % (len - i);
		size_t c = http_response_push(&o->r, (const uint8_t *)raw + i, n, sink);

		CHECK(c <= n);
		o->consumed += c;
		if (c < n)
			break; /* done or error: the rest is not ours */
		i += n;
	}
	if (t->eof)
		http_response_eof(&o->r);
	o->done = http_response_done(&o->r);
	if (http_response_error(&o->r))
		snprintf(o->err, sizeof(o->err), "%s", http_response_error(&o->r));
	/* sticky: nothing more is consumed */
	CHECK(http_response_push(&o->r, (const uint8_t *)"x", 1, sink) == 0);
}

static int same(const struct outcome *a, const struct outcome *b)
{
	return a->done == b->done && !strcmp(a->err, b->err) && a->consumed == b->consumed &&
	       a->body_n == b->body_n &&
	       !memcmp(a->body, b->body, a->body_n < sizeof(a->body) ? a->body_n : sizeof(a->body)) &&
	       a->r.status == b->r.status && a->r.framing == b->r.framing;
}

static void check_row(const struct row *t, const char *raw, size_t len)
{
	static struct outcome o[3];

	run(&o[0], t, raw, len, 0);
	run(&o[1], t, raw, len, 1);
	CHECKF(same(&o[0], &o[1]), "%s: whole and octet by octet differ (%s / %s)", t->name, o[0].err, o[1].err);
	for (int k = 0; k < 20; k++) {
		run(&o[2], t, raw, len, 2);
		CHECKF(same(&o[0], &o[2]), "%s: whole and random split differ (%s / %s)", t->name, o[0].err, o[2].err);
	}
	if (t->ok) {
		CHECKF(o[0].done && !o[0].err[0], "%s: not done: %s", t->name, o[0].err);
		CHECKF(o[0].r.status == t->status, "%s: status %d", t->name, o[0].r.status);
		CHECKF((int)o[0].r.framing == t->framing, "%s: framing %d", t->name, o[0].r.framing);
		CHECKF(o[0].consumed == len - t->left, "%s: consumed %zu of %zu", t->name, o[0].consumed, len);
		if (t->want)
			CHECKF(o[0].body_n == strlen(t->want) && !memcmp(o[0].body, t->want, o[0].body_n),
			       "%s: body %zu `%.*s'", t->name, o[0].body_n, (int)o[0].body_n, o[0].body);
		CHECK(o[0].r.body_len == o[0].body_n);
	} else {
		CHECKF(!o[0].done && o[0].err[0], "%s: no error", t->name);
		CHECKF(t->want && strstr(o[0].err, t->want), "%s: reason `%s', want `%s'", t->name, o[0].err, t->want);
	}
}

/* A head of exactly `size' octets with `fields' fields, and a 1-octet body. */
static size_t make_head(char *buf, size_t size, unsigned fields)
{
	size_t n = (size_t)sprintf(buf, H11 "Content-Length: 1\r\n");

	for (unsigned i = 1; i < fields - 1; i++)
		n += (size_t)sprintf(buf + n, "X-%u: v\r\n", i);
	/* the last field pads to size: "P: " value CRLF, then CRLF */
	size_t pad = size - n - 2 - 5;
	memcpy(buf + n, "P: ", 3);
	memset(buf + n + 3, 'p', pad);
	n += 3 + pad;
	memcpy(buf + n, "\r\n\r\nb", 5);
	return n + 5;
}

static void count_body(void *arg, const uint8_t *p, size_t n)
{
	(void)p;
	*(uint64_t *)arg += n;
}

int main(void)
{
	static char big[HTTP_HEAD_MAX + 4096];
	static struct http_response r;
	static struct outcome o;
	static uint8_t zeros[1 << 20];
	size_t n;

	rng = 1;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i], rows[i].raw, rows[i].len);

	/* Extracted values. */
	{
		static const struct row t = { "fields", R("HTTP/1.1 206 Partial Content\r\n"
			"Content-Type: application/octet-stream\r\nConnection: keep-alive, Close\r\n"
			"Content-Range: bytes 1048576-3145727/4294967296\r\nContent-Length: 2097152\r\n\r\n"),
			NOLIMIT, 1, 0, OK, "", 206, HTTP_FRAMING_NONE, 0 };

		run(&o, &t, t.raw, t.len, 1);
		CHECK(o.done && o.r.has_content_range && o.r.range_first == 1048576 &&
		      o.r.range_last == 3145727 && o.r.range_total_known && o.r.range_total == 4294967296ull);
		CHECK(o.r.has_content_length && o.r.content_length == 2097152);
		CHECK(!strcmp(o.r.content_type, "application/octet-stream") && !o.r.content_type_truncated);
		CHECK(o.r.conn_close && o.r.conn_close_token && o.r.conn_keep_alive_token);
		CHECK(o.r.version_minor == 1 && !o.r.chunked);
	}
	{
		static const struct row t = { "416", R("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */77\r\nContent-Length: 0\r\n\r\n"),
			NOLIMIT, 0, 0, OK, "", 416, HTTP_FRAMING_LENGTH, 0 };

		run(&o, &t, t.raw, t.len, 0);
		CHECK(o.done && o.r.range_unsatisfied && o.r.range_total == 77 && !o.r.conn_close);
	}
	{
		static const struct row t = { "1.0", R("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"),
			NOLIMIT, 0, 0, OK, "", 200, HTTP_FRAMING_LENGTH, 0 };

		run(&o, &t, t.raw, t.len, 0);
		CHECK(o.done && o.r.version_minor == 0 && !o.r.conn_close);
	}
	{
		static const struct row t = { "100 reset", R("HTTP/1.1 100 Continue\r\nContent-Type: a/b\r\n\r\n"
			"HTTP/1.1 200 OK\r\nContent-Type: c/d\r\nContent-Length: 0\r\n\r\n"), NOLIMIT, 0, 0, OK, "", 200, 1, 0 };

		run(&o, &t, t.raw, t.len, 0);
		CHECK(o.done && o.r.interim == 1 && !strcmp(o.r.content_type, "c/d"));
	}
	/* Content-Type: 127 octets kept, a longer one cut and flagged. */
	for (size_t len = 126; len <= 129; len++) {
		static const struct row t = { "content-type", NULL, 0, NOLIMIT, 0, 0, OK, "", 200, 1, 0 };

		n = (size_t)sprintf(big, H11 "Content-Type: ");
		memset(big + n, 't', len);
		n += len;
		n += (size_t)sprintf(big + n, "\r\nContent-Length: 0\r\n\r\n");
		run(&o, &t, big, n, 0);
		CHECKF(o.done && strlen(o.r.content_type) == (len > 127 ? 127 : len) &&
		       o.r.content_type_truncated == (len > 127), "content-type %zu", len);
	}

	/* Head limit: 16384 octets pass, 16385 do not; 64 fields pass, 65 do not. */
	{
		static const struct row ok = { "head at limit", NULL, 0, NOLIMIT, 0, 0, OK, "b", 200, HTTP_FRAMING_LENGTH, 0 };
		static const struct row over = { "head over limit", NULL, 0, NOLIMIT, 0, 0, ERR, "response head longer than 16384", 0, 0, 0 };
		static const struct row f64 = { "64 fields", NULL, 0, NOLIMIT, 0, 0, OK, "b", 200, HTTP_FRAMING_LENGTH, 0 };
		static const struct row f65 = { "65 fields", NULL, 0, NOLIMIT, 0, 0, ERR, "more than 64 header fields", 0, 0, 0 };

		n = make_head(big, HTTP_HEAD_MAX, 2);
		check_row(&ok, big, n);
		n = make_head(big, HTTP_HEAD_MAX + 1, 2);
		check_row(&over, big, n);
		n = make_head(big, 4000, 64);
		check_row(&f64, big, n);
		n = make_head(big, 4000, 65);
		check_row(&f65, big, n);
	}
	/* Trailer limit, chunk-size line limit. */
	{
		static const struct row tr = { "trailers over limit", NULL, 0, NOLIMIT, 0, 0, ERR, "trailer section longer than 4096", 0, 0, 0 };
		static const struct row cl = { "chunk line at limit", NULL, 0, NOLIMIT, 0, 0, OK, "x", 200, HTTP_FRAMING_CHUNKED, 0 };
		static const struct row cl2 = { "chunk line over limit", NULL, 0, NOLIMIT, 0, 0, ERR, "chunk-size line longer than 1024", 0, 0, 0 };
		static const struct row tf = { "65 trailer fields", NULL, 0, NOLIMIT, 0, 0, ERR, "more than 64 trailer fields", 0, 0, 0 };

		n = (size_t)sprintf(big, H11 "Transfer-Encoding: chunked\r\n\r\n0\r\nT: ");
		memset(big + n, 't', HTTP_TRAILER_MAX);
		n += HTTP_TRAILER_MAX;
		n += (size_t)sprintf(big + n, "\r\n\r\n");
		check_row(&tr, big, n);
		for (int over = 0; over <= 1; over++) {
			/* "1;" + pad + CRLF = 1024 (+1) octets */
			n = (size_t)sprintf(big, H11 "Transfer-Encoding: chunked\r\n\r\n1;");
			memset(big + n, 'e', HTTP_CHUNK_LINE_MAX - 4 + (size_t)over);
			n += HTTP_CHUNK_LINE_MAX - 4 + (size_t)over;
			n += (size_t)sprintf(big + n, "\r\nx\r\n0\r\n\r\n");
			check_row(over ? &cl2 : &cl, big, n);
		}
		n = (size_t)sprintf(big, H11 "Transfer-Encoding: chunked\r\n\r\n0\r\n");
		for (int i = 0; i < 65; i++)
			n += (size_t)sprintf(big + n, "T: %d\r\n", i);
		n += (size_t)sprintf(big + n, "\r\n");
		check_row(&tf, big, n);
	}
	/* Body exactly at max passes, for all three framings. */
	{
		static const struct row a = { "CL at max", R(H11 "Content-Length: 10\r\n\r\n0123456789"), 10, 0, 0, OK, "0123456789", 200, HTTP_FRAMING_LENGTH, 0 };
		static const struct row b = { "chunked at max", R(H11 "Transfer-Encoding: chunked\r\n\r\n4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n"), 10, 0, 0, OK, "0123456789", 200, HTTP_FRAMING_CHUNKED, 0 };
		static const struct row c = { "close at max", R(H11 "Connection: close\r\n\r\n0123456789"), 10, 0, 1, OK, "0123456789", 200, HTTP_FRAMING_CLOSE, 0 };

		check_row(&a, a.raw, a.len);
		check_row(&b, b.raw, b.len);
		check_row(&c, c.raw, c.len);
	}
	/* A 5 GB body streams through in 1 MiB pieces: 64-bit lengths, no buffering. */
	{
		static const char head[] = H11 "Content-Length: 5000000000\r\n\r\n";
		uint64_t got = 0, fed = 0, total = 5000000000ull;
		struct http_body_sink sink = { count_body, &got };

		http_response_init(&r, total, 0);
		CHECK(http_response_push(&r, (const uint8_t *)head, sizeof(head) - 1, sink) == sizeof(head) - 1);
		while (!http_response_done(&r) && !http_response_error(&r))
			fed += http_response_push(&r, zeros, sizeof(zeros), sink);
		CHECK(fed == total);
		CHECK(http_response_done(&r) && got == total && r.body_len == total);
		CHECK(http_response_eof(&r) == 0);
	}
	/* A NULL sink discards; eof on a complete response is fine. */
	{
		static const char raw[] = H11 "Content-Length: 3\r\n\r\nabc";
		struct http_body_sink none = { NULL, NULL };

		http_response_init(&r, NOLIMIT, 0);
		CHECK(http_response_push(&r, (const uint8_t *)raw, sizeof(raw) - 1, none) == sizeof(raw) - 1);
		CHECK(http_response_done(&r) && r.body_len == 3 && http_response_error(&r) == NULL);
		CHECK(http_response_eof(&r) == 0);
	}
	TEST_END();
}
