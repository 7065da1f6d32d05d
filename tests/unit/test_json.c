/* JSON parser: table of documents and the expected verdict and reason. */
#include <stdlib.h>

#include "json.h"
#include "test.h"

/* Small enough that each limit can be hit by a short document. */
static const struct json_limits small = {
	.max_bytes = 64,
	.max_depth = 2,
	.max_string = 4,
	.max_members = 3,
};

static const struct {
	const char *in;
	size_t len;                    /* 0: strlen(in) */
	const struct json_limits *lim; /* NULL: json_default_limits */
	size_t cap;                    /* tokens; 0: 64 */
	const char *err;               /* NULL: must parse; else a substring of the reason */
} rows[] = {
	/* top level: exactly one value of any type, whitespace around it */
	{ "null", 0, NULL, 0, NULL },
	{ "true", 0, NULL, 0, NULL },
	{ "false", 0, NULL, 0, NULL },
	{ "0", 0, NULL, 0, NULL },
	{ "\"\"", 0, NULL, 0, NULL },
	{ "[]", 0, NULL, 0, NULL },
	{ "{}", 0, NULL, 0, NULL },
	{ " \t\r\n[ 1 , 2 ] \n", 0, NULL, 0, NULL },
	{ "{ \"a\" : { \"b\" : [ 1 , { \"c\" : null } ] } }", 0, NULL, 0, NULL },
	{ "", 0, NULL, 0, "JSON: empty document" },
	{ " \n\t\r", 0, NULL, 0, "JSON: empty document" },
	{ "1 2", 0, NULL, 0, "JSON: trailing data at offset 2" },
	{ "{} x", 0, NULL, 0, "JSON: trailing data at offset 3" },
	{ "[]]", 0, NULL, 0, "trailing data at offset 2" },
	{ "null\x00", 5, NULL, 0, "trailing data at offset 4" },
	{ "\xef\xbb\xbf{}", 0, NULL, 0, "expected a value, got byte 0xef at offset 0" },
	{ "\f1", 0, NULL, 0, "expected a value" },
	{ "1\v", 0, NULL, 0, "trailing data at offset 1" },

	/* structure */
	{ "[1,]", 0, NULL, 0, "expected a value, got ']' at offset 3" },
	{ "[,1]", 0, NULL, 0, "expected a value, got ',' at offset 1" },
	{ "[1 2]", 0, NULL, 0, "expected ',' or ']', got '2' at offset 3" },
	{ "[1:2]", 0, NULL, 0, "expected ',' or ']'" },
	{ "{\"a\":1,}", 0, NULL, 0, "expected member name, got '}' at offset 7" },
	{ "{,}", 0, NULL, 0, "expected member name" },
	{ "{\"a\" 1}", 0, NULL, 0, "expected ':', got '1' at offset 5" },
	{ "{\"a\":}", 0, NULL, 0, "expected a value, got '}' at offset 5" },
	{ "{\"a\":1 \"b\":2}", 0, NULL, 0, "expected ',' or '}'" },
	{ "{1:2}", 0, NULL, 0, "expected member name" },
	{ "{\"a\"}", 0, NULL, 0, "expected ':'" },
	{ "{\"a\":1]", 0, NULL, 0, "expected ',' or '}'" },
	{ "[1}", 0, NULL, 0, "expected ',' or ']'" },
	{ "]", 0, NULL, 0, "expected a value" },
	{ "[", 0, NULL, 0, "unexpected end of document at offset 1" },
	{ "[1", 0, NULL, 0, "unexpected end of document at offset 2" },
	{ "[1,", 0, NULL, 0, "unexpected end of document" },
	{ "{", 0, NULL, 0, "unexpected end of document" },
	{ "{\"a\"", 0, NULL, 0, "unexpected end of document" },
	{ "{\"a\":", 0, NULL, 0, "unexpected end of document" },
	{ "{\"a\":1", 0, NULL, 0, "unexpected end of document" },
	{ "[\"a\"\x00]", 6, NULL, 0, "expected ',' or ']', got byte 0x00" },

	/* literals */
	{ "tru", 0, NULL, 0, "expected a value, got 't' at offset 0" },
	{ "nul", 0, NULL, 0, "expected a value" },
	{ "True", 0, NULL, 0, "expected a value" },
	{ "truex", 0, NULL, 0, "trailing data at offset 4" },
	{ "[nulll]", 0, NULL, 0, "expected ',' or ']'" },
	{ "NaN", 0, NULL, 0, "expected a value" },
	{ "Infinity", 0, NULL, 0, "expected a value" },
	{ "undefined", 0, NULL, 0, "expected a value" },

	/* numbers: RFC 8259 6 */
	{ "-0", 0, NULL, 0, NULL },
	{ "123", 0, NULL, 0, NULL },
	{ "1.5", 0, NULL, 0, NULL },
	{ "-1.5e10", 0, NULL, 0, NULL },
	{ "1E+2", 0, NULL, 0, NULL },
	{ "1e-2", 0, NULL, 0, NULL },
	{ "0.0e0", 0, NULL, 0, NULL },
	{ "[0,-0,10]", 0, NULL, 0, NULL },
	{ "01", 0, NULL, 0, "leading zero in number at offset 0" },
	{ "-01", 0, NULL, 0, "leading zero in number at offset 0" },
	{ "[00]", 0, NULL, 0, "leading zero in number at offset 1" },
	{ "+1", 0, NULL, 0, "expected a value, got '+'" },
	{ ".5", 0, NULL, 0, "expected a value, got '.'" },
	{ "1.", 0, NULL, 0, "invalid number at offset 0" },
	{ "[1.]", 0, NULL, 0, "invalid number at offset 1" },
	{ "1.e5", 0, NULL, 0, "invalid number" },
	{ "1e", 0, NULL, 0, "invalid number" },
	{ "1e+", 0, NULL, 0, "invalid number" },
	{ "1E-x", 0, NULL, 0, "invalid number" },
	{ "-", 0, NULL, 0, "invalid number" },
	{ "--1", 0, NULL, 0, "invalid number" },
	{ "-Infinity", 0, NULL, 0, "invalid number" },
	{ "-.5", 0, NULL, 0, "invalid number" },
	{ "0x10", 0, NULL, 0, "trailing data at offset 1" },
	{ "1.5.5", 0, NULL, 0, "trailing data at offset 3" },
	{ "1e5e5", 0, NULL, 0, "trailing data" },

	/* escapes: RFC 8259 7 */
	{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, NULL, 0, NULL },
	{ "\"\\u0000\"", 0, NULL, 0, NULL },
	{ "\"\\u00e9\\u00E9\\uFFFF\"", 0, NULL, 0, NULL },
	{ "\"\\uD83D\\uDE00\"", 0, NULL, 0, NULL },
	{ "\"\\udbff\\udfff\"", 0, NULL, 0, NULL },
	{ "\"\\x41\"", 0, NULL, 0, "JSON: invalid escape at offset 1" },
	{ "\"\\'\"", 0, NULL, 0, "invalid escape at offset 1" },
	{ "\"ab\\a\"", 0, NULL, 0, "invalid escape at offset 3" },
	{ "\"\\U0041\"", 0, NULL, 0, "invalid escape" },
	{ "\"\\u12\"", 0, NULL, 0, "invalid escape" },
	{ "\"\\u12G4\"", 0, NULL, 0, "invalid escape" },
	{ "\"\\u", 0, NULL, 0, "invalid escape" },
	{ "\"\\u004", 0, NULL, 0, "invalid escape" },
	{ "\"\\\x00\"", 4, NULL, 0, "invalid escape" },
	{ "\"\\", 0, NULL, 0, "unterminated string at offset 0" },
	{ "\"\\uD800\"", 0, NULL, 0, "unpaired surrogate escape at offset 1" },
	{ "\"\\uDC00\"", 0, NULL, 0, "unpaired surrogate escape at offset 1" },
	{ "\"\\uDFFF\\uD800\"", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uD800\\u0041\"", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uD800\\uD800\"", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uDE00\\uD83D\"", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uD800x\"", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uD800\\n\"", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uD800", 0, NULL, 0, "unpaired surrogate" },
	{ "\"\\uD800\\uDC0", 0, NULL, 0, "unpaired surrogate" },

	/* raw bytes in strings */
	{ "\"abc", 0, NULL, 0, "unterminated string at offset 0" },
	{ "[\"abc]", 0, NULL, 0, "unterminated string at offset 1" },
	{ "\"a\x01\"", 0, NULL, 0, "control character in string at offset 2" },
	{ "\"\t\"", 0, NULL, 0, "control character in string" },
	{ "\"\n\"", 0, NULL, 0, "control character in string" },
	{ "\"\x1f\"", 0, NULL, 0, "control character in string" },
	{ "\"a\x00\"", 4, NULL, 0, "control character in string at offset 2" },
	{ "\"\x7f\"", 0, NULL, 0, NULL },
	{ "\" ~\"", 0, NULL, 0, NULL },

	/* UTF-8: RFC 3629 4 */
	{ "\"\xc2\x80\"", 0, NULL, 0, NULL },             /* U+0080 */
	{ "\"\xdf\xbf\"", 0, NULL, 0, NULL },             /* U+07FF */
	{ "\"\xe0\xa0\x80\"", 0, NULL, 0, NULL },         /* U+0800 */
	{ "\"\xed\x9f\xbf\"", 0, NULL, 0, NULL },         /* U+D7FF */
	{ "\"\xee\x80\x80\"", 0, NULL, 0, NULL },         /* U+E000 */
	{ "\"\xef\xbf\xbf\"", 0, NULL, 0, NULL },         /* U+FFFF */
	{ "\"\xf0\x90\x80\x80\"", 0, NULL, 0, NULL },     /* U+10000 */
	{ "\"\xf4\x8f\xbf\xbf\"", 0, NULL, 0, NULL },     /* U+10FFFF */
	{ "\"\xf0\x9f\x98\x80 caf\xc3\xa9\"", 0, NULL, 0, NULL },
	{ "\"\x80\"", 0, NULL, 0, "invalid UTF-8 at offset 1" },       /* lone continuation */
	{ "\"\xbf\"", 0, NULL, 0, "invalid UTF-8 at offset 1" },
	{ "\"\xc0\x80\"", 0, NULL, 0, "invalid UTF-8 at offset 1" },   /* overlong NUL */
	{ "\"\xc1\xbf\"", 0, NULL, 0, "invalid UTF-8" },               /* overlong */
	{ "\"\xe0\x80\x80\"", 0, NULL, 0, "invalid UTF-8" },           /* overlong */
	{ "\"\xe0\x9f\xbf\"", 0, NULL, 0, "invalid UTF-8" },           /* overlong U+07FF */
	{ "\"\xed\xa0\x80\"", 0, NULL, 0, "invalid UTF-8" },           /* U+D800 */
	{ "\"\xed\xbf\xbf\"", 0, NULL, 0, "invalid UTF-8" },           /* U+DFFF */
	{ "\"\xed\xa0\xbd\xed\xb8\x80\"", 0, NULL, 0, "invalid UTF-8" }, /* CESU-8 pair */
	{ "\"\xf0\x80\x80\x80\"", 0, NULL, 0, "invalid UTF-8" },       /* overlong */
	{ "\"\xf0\x8f\xbf\xbf\"", 0, NULL, 0, "invalid UTF-8" },       /* overlong U+FFFF */
	{ "\"\xf4\x90\x80\x80\"", 0, NULL, 0, "invalid UTF-8" },       /* U+110000 */
	{ "\"\xf5\x80\x80\x80\"", 0, NULL, 0, "invalid UTF-8" },
	{ "\"\xf8\x88\x80\x80\x80\"", 0, NULL, 0, "invalid UTF-8" },   /* 5-byte form */
	{ "\"\xfe\"", 0, NULL, 0, "invalid UTF-8" },
	{ "\"\xff\"", 0, NULL, 0, "invalid UTF-8" },
	{ "\"\xc2\"", 0, NULL, 0, "invalid UTF-8 at offset 1" },       /* truncated */
	{ "\"\xe2\x82\"", 0, NULL, 0, "invalid UTF-8" },
	{ "\"\xf0\x9f\x98\"", 0, NULL, 0, "invalid UTF-8" },
	{ "\"\xe2\x82", 0, NULL, 0, "invalid UTF-8" },                 /* truncated by the end */
	{ "\"\xc2\x41\"", 0, NULL, 0, "invalid UTF-8" },               /* bad continuation */
	{ "\"\xe2\x28\xa1\"", 0, NULL, 0, "invalid UTF-8" },
	{ "\"\xf0\x90\x28\xbc\"", 0, NULL, 0, "invalid UTF-8" },

	/* duplicate member names, compared decoded */
	{ "{\"a\":1,\"a\":2}", 0, NULL, 0, "JSON: duplicate member \"a\" at offset 7" },
	{ "{\"a\":1,\"\\u0061\":2}", 0, NULL, 0, "duplicate member \"\\u0061\" at offset 7" },
	{ "{\"\\u0061\":1,\"a\":2}", 0, NULL, 0, "duplicate member \"a\"" },
	{ "{\"a\":[1,{\"x\":1}],\"b\":{},\"a\":3}", 0, NULL, 0, "duplicate member \"a\" at offset 24" },
	{ "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}", 0, NULL, 0, "duplicate member" },
	{ "{\"\\/\":1,\"/\":2}", 0, NULL, 0, "duplicate member" },
	{ "{\"\\u00e9\":1,\"\xc3\xa9\":2}", 0, NULL, 0, "duplicate member \"??\"" },
	{ "{\"\":1,\"\":2}", 0, NULL, 0, "duplicate member \"\"" },
	{ "{\"x\":{\"a\":1,\"b\":2,\"a\":3}}", 0, NULL, 0, "duplicate member \"a\"" },
	{ "{\"a\":1,\"A\":2}", 0, NULL, 0, NULL },
	{ "{\"a\":{\"a\":{}}}", 0, NULL, 0, NULL },
	{ "{\"a\":1,\"b\":{\"a\":2},\"c\":[{\"a\":3},{\"a\":4}]}", 0, NULL, 0, NULL },
	{ "{\"\\u00e9\":1,\"e\\u0301\":2}", 0, NULL, 0, NULL }, /* no normalization */
	{ "{\"a\":1,\"a\\u0000\":2}", 0, NULL, 0, NULL },
	{ "{\"ab\":1,\"a\":2,\"\\u0061b\\u0000\":3}", 0, NULL, 0, NULL },

	/* limits */
	{ "1                                                               ", 0, &small, 0, NULL },
	{ "1                                                                ", 0, &small, 0,
	  "JSON: document larger than 64 bytes" },
	{ "[[1]]", 0, &small, 0, NULL },
	{ "[[[1]]]", 0, &small, 0, "JSON: nesting deeper than 2" },
	{ "{\"a\":{\"b\":{}}}", 0, &small, 0, "nesting deeper than 2" },
	{ "[[],[],{}]", 0, &small, 0, NULL },
	{ "\"abcd\"", 0, &small, 0, NULL },
	{ "\"abcde\"", 0, &small, 0, "JSON: string longer than 4 bytes at offset 0" },
	{ "{\"abcde\":1}", 0, &small, 0, "string longer than 4 bytes at offset 1" },
	{ "\"\\u00e9\\u00e9\"", 0, &small, 0, NULL },
	{ "\"\\u00e9\\u00e9x\"", 0, &small, 0, "string longer than 4 bytes" },
	{ "\"\\ud83d\\ude00\"", 0, &small, 0, NULL },
	{ "\"\xf0\x9f\x98\x80x\"", 0, &small, 0, "string longer than 4 bytes" },
	{ "\"\\n\\n\\n\\n\"", 0, &small, 0, NULL },
	{ "\"\\n\\n\\n\\n\\n\"", 0, &small, 0, "string longer than 4 bytes" },
	{ "[1,2,3]", 0, &small, 0, NULL },
	{ "[1,2,3,4]", 0, &small, 0, "JSON: more than 3 elements in array at offset 7" },
	{ "{\"a\":1,\"b\":2,\"c\":3}", 0, &small, 0, NULL },
	{ "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", 0, &small, 0, "JSON: more than 3 members in object at offset 19" },
	{ "[1,2]", 0, NULL, 3, NULL },
	{ "[1,2,3]", 0, NULL, 3, "JSON: more than 3 tokens" },
	{ "{\"a\":1}", 0, NULL, 2, "more than 2 tokens" },
	{ "1", 0, NULL, 1, NULL },
	{ "[]", 0, NULL, 1, NULL },
};

/* The token layout of one document, field by field. */
static const char layout_doc[] = " {\"a\":[1,{\"b\":true}],\"c\":\"x\\n\"} ";
static const struct json_tok layout[] = {
	/* type, start, len, size, next */
	{ JSON_OBJECT, 1, 30, 2, 9 },
	{ JSON_STRING, 2, 3, 0, 2 },   /* "a" */
	{ JSON_ARRAY, 6, 14, 2, 7 },
	{ JSON_NUMBER, 7, 1, 0, 4 },
	{ JSON_OBJECT, 9, 10, 1, 7 },
	{ JSON_STRING, 10, 3, 0, 6 },  /* "b" */
	{ JSON_TRUE, 14, 4, 0, 7 },
	{ JSON_STRING, 21, 3, 0, 8 },  /* "c" */
	{ JSON_STRING, 25, 5, 0, 9 },  /* "x\n" */
};

/* Parse from an exactly-sized heap copy, so ASan sees any read past the end. */
static int parse_copy(struct json_doc *d, const char *in, size_t len, struct json_tok *tok,
		      size_t cap, const struct json_limits *lim, struct errbuf *e, char **copy)
{
	*copy = malloc(len ? len : 1);
	if (!*copy)
		return -1;
	memcpy(*copy, in, len);
	return json_parse(d, *copy, len, tok, cap, lim, e);
}

static void test_rows(void)
{
	struct json_tok tok[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = rows[i].len ? rows[i].len : strlen(rows[i].in);
		struct errbuf e = { 0, "" };
		struct json_doc d;
		char *copy;
		int r = parse_copy(&d, rows[i].in, len, tok, rows[i].cap ? rows[i].cap : 64, rows[i].lim,
				   &e, &copy);

		if (!rows[i].err) {
			CHECKF(r == 0 && d.ntok > 0 && !e.set, "row %zu `%s': %s", i, rows[i].in, e.msg);
		} else {
			CHECKF(r == -1 && d.ntok == 0 && e.set && strstr(e.msg, rows[i].err) &&
				       !strncmp(e.msg, "JSON: ", 6) && !strchr(e.msg, '\n'),
			       "row %zu `%s': want \"%s\", got \"%s\"", i, rows[i].in, rows[i].err, e.msg);
		}
		if (r == 0) {
			/* Every token's span lies inside the source; next is in range. */
			for (size_t k = 0; k < d.ntok; k++)
				CHECKF(tok[k].start + (size_t)tok[k].len <= len && tok[k].next > k &&
					       tok[k].next <= d.ntok && tok[k].type <= JSON_OBJECT,
				       "row %zu token %zu", i, k);
			CHECKF(tok[0].next == d.ntok, "row %zu root next %u", i, (unsigned)tok[0].next);
		}
		free(copy);
	}
}

static void test_layout(void)
{
	struct json_tok tok[16];
	struct json_doc d;
	struct errbuf e = { 0, "" };
	size_t n = sizeof(layout) / sizeof(layout[0]);

	CHECKF(json_parse(&d, layout_doc, strlen(layout_doc), tok, 16, NULL, &e) == 0, "%s", e.msg);
	CHECK(d.ntok == n);
	for (size_t i = 0; i < n && i < d.ntok; i++)
		CHECKF(tok[i].type == layout[i].type && tok[i].start == layout[i].start &&
			       tok[i].len == layout[i].len && tok[i].size == layout[i].size &&
			       tok[i].next == layout[i].next,
		       "token %zu: type %u start %u len %u size %u next %u", i, tok[i].type,
		       (unsigned)tok[i].start, (unsigned)tok[i].len, (unsigned)tok[i].size,
		       (unsigned)tok[i].next);
}

/* Nesting is a counter, not recursion: a 100000-deep document must fail at
 * the limit, quickly, for arrays and objects alike. */
static void test_deep(void)
{
	enum { DEEP = 100000 };
	static struct json_tok tok[64];
	struct json_doc d;
	char *buf = malloc(DEEP * 5 + 1), *copy;
	size_t n;

	if (!buf) {
		CHECK(buf != NULL);
		return;
	}
	for (size_t depth = 15; depth <= 17; depth++) {
		struct errbuf e = { 0, "" };

		memset(buf, '[', depth);
		memset(buf + depth, ']', depth);
		int r = parse_copy(&d, buf, 2 * depth, tok, 64, NULL, &e, &copy);
		CHECKF((r == 0) == (depth <= 16), "depth %zu: %s", depth, e.msg);
		if (depth > 16)
			CHECKF(strstr(e.msg, "JSON: nesting deeper than 16") != NULL, "%s", e.msg);
		free(copy);
	}

	static const char *open[] = { "[", "{\"a\":", "[{\"\":" };
	for (size_t k = 0; k < sizeof(open) / sizeof(open[0]); k++) {
		struct errbuf e = { 0, "" };
		size_t w = strlen(open[k]);

		for (n = 0; n + w <= DEEP * 5 && n / w < DEEP; n += w)
			memcpy(buf + n, open[k], w);
		int r = parse_copy(&d, buf, n, tok, 64, NULL, &e, &copy);
		CHECKF(r == -1 && !strcmp(e.msg, "JSON: nesting deeper than 16"), "%s: %s", open[k], e.msg);
		free(copy);
	}
	free(buf);
}

static void test_no_depth_limit_needed_for_stack(void)
{
	/* 50000 levels with the depth limit raised: proves there is no
	 * recursion (the parse itself must succeed without a deep stack). */
	enum { DEEP = 50000 };
	static struct json_tok tok[DEEP + 1];
	struct json_limits lim = json_default_limits;
	struct errbuf e = { 0, "" };
	struct json_doc d;
	char *buf = malloc(2 * DEEP + 1), *copy;

	if (!buf) {
		CHECK(buf != NULL);
		return;
	}
	memset(buf, '[', DEEP);
	buf[DEEP] = '0';
	memset(buf + DEEP + 1, ']', DEEP);
	lim.max_depth = DEEP;
	CHECKF(parse_copy(&d, buf, 2 * DEEP + 1, tok, DEEP + 1, &lim, &e, &copy) == 0, "%s", e.msg);
	CHECK(d.ntok == DEEP + 1 && tok[0].next == DEEP + 1 && tok[DEEP - 1].size == 1 &&
	      tok[DEEP].type == JSON_NUMBER && tok[1].len == 2 * DEEP - 1);
	free(copy);
	free(buf);
}

/* Accessors over one conveyed-information-like document. */
static const char access_doc[] =
	"{\"serial\":\"SN\\u00e9\",\"n\":42,\"big\":18446744073709551615,"
	"\"over\":18446744073709551616,\"neg\":-1,\"frac\":1.0,\"exp\":1e3,\"zero\":0,"
	"\"nul\":\"a\\u0000b\",\"\\u0065sc\":\"\\u0061\\\"\",\"arr\":[1,2,3],"
	"\"obj\":{\"serial\":\"inner\"},\"emoji\":\"\\ud83d\\ude00\",\"t\":true,\"lead\":007}";

static void test_access(void)
{
	static const struct {
		const char *name;
		uint64_t max;
		int ok;
		uint64_t v;
	} uints[] = {
		{ "n", 100, 1, 42 },
		{ "n", 42, 1, 42 },
		{ "n", 41, 0, 0 },
		{ "big", UINT64_MAX, 1, UINT64_MAX },
		{ "big", UINT64_MAX - 1, 0, 0 },
		{ "over", UINT64_MAX, 0, 0 },
		{ "neg", UINT64_MAX, 0, 0 },
		{ "frac", UINT64_MAX, 0, 0 },
		{ "exp", UINT64_MAX, 0, 0 },
		{ "zero", 0, 1, 0 },
		{ "serial", UINT64_MAX, 0, 0 },
		{ "t", UINT64_MAX, 0, 0 },
		{ "arr", UINT64_MAX, 0, 0 },
	};
	struct json_tok tok[64];
	struct json_doc d;
	struct errbuf e = { 0, "" };
	char out[16];
	long v, k;

	/* "lead":007 is not JSON: check it is refused, then parse without it. */
	CHECK(json_parse(&d, access_doc, strlen(access_doc), tok, 64, NULL, &e) == -1 &&
	      strstr(e.msg, "leading zero"));
	e.set = 0;
	CHECKF(json_parse(&d, access_doc, strlen(access_doc) - 11, tok, 64, NULL, &e) == -1,
	       "cut mid-document must fail");
	e.set = 0;
	{
		static char fixed[sizeof(access_doc)];
		size_t n = strlen(access_doc) - strlen(",\"lead\":007}");

		memcpy(fixed, access_doc, n);
		fixed[n] = '}';
		CHECKF(json_parse(&d, fixed, n + 1, tok, 64, NULL, &e) == 0, "%s", e.msg);
	}
	CHECK(tok[0].type == JSON_OBJECT && tok[0].size == 14);

	for (size_t i = 0; i < sizeof(uints) / sizeof(uints[0]); i++) {
		uint64_t u = 12345;

		k = json_get(&d, 0, uints[i].name);
		CHECKF(k > 0, "%s", uints[i].name);
		int r = json_uint(&d, (size_t)k, uints[i].max, &u);
		CHECKF((r == 0) == uints[i].ok && (!uints[i].ok || u == uints[i].v) &&
			       (uints[i].ok || u == 12345),
		       "json_uint %s max %llu: r %d v %llu", uints[i].name,
		       (unsigned long long)uints[i].max, r, (unsigned long long)u);
	}

	/* json_get: decoded key comparison, direct members only */
	k = json_get(&d, 0, "serial");
	CHECK(k == 2);
	CHECK(json_get(&d, 0, "esc") > 0);
	CHECK(json_get(&d, 0, "\\u0065sc") == -1);
	CHECK(json_get(&d, 0, "missing") == -1);
	CHECK(json_get(&d, 0, "") == -1);
	CHECK(json_get(&d, 0, "ser") == -1);
	CHECK(json_get(&d, 0, "seriall") == -1);
	CHECK(json_get(&d, 0, "a") == -1);     /* "a" is a value, not a key */
	CHECK(json_get(&d, 1, "serial") == -1); /* not an object */
	CHECK(json_get(&d, 999, "serial") == -1);
	v = json_get(&d, 0, "obj");
	CHECK(v > 0 && json_get(&d, (size_t)v, "serial") == v + 2);

	/* json_str: NUL-terminated, exact fit, refuses embedded U+0000 */
	CHECK(json_str(&d, (size_t)k, out, sizeof(out)) == 4 && !strcmp(out, "SN\xc3\xa9"));
	CHECK(json_str(&d, (size_t)k, out, 5) == 4);
	memcpy(out, "zzzz", 5);
	CHECK(json_str(&d, (size_t)k, out, 4) == -1 && out[0] == '\0');
	CHECK(json_str(&d, (size_t)k, out, 0) == -1);
	CHECK(json_str(&d, 1, out, sizeof(out)) == 6 && !strcmp(out, "serial"));
	CHECK(json_str(&d, (size_t)json_get(&d, 0, "esc"), out, sizeof(out)) == 2 && !strcmp(out, "a\""));
	CHECK(json_str(&d, (size_t)json_get(&d, 0, "emoji"), out, sizeof(out)) == 4 &&
	      !strcmp(out, "\xf0\x9f\x98\x80"));
	CHECK(json_str(&d, (size_t)json_get(&d, 0, "emoji"), out, 4) == -1);
	CHECK(json_str(&d, (size_t)json_get(&d, 0, "nul"), out, sizeof(out)) == -1 && out[0] == '\0');
	CHECK(json_str(&d, (size_t)json_get(&d, 0, "n"), out, sizeof(out)) == -1);
	CHECK(json_str(&d, 0, out, sizeof(out)) == -1);
	CHECK(json_str(&d, 999, out, sizeof(out)) == -1);

	/* json_str_eq: decoded comparison, embedded NUL never equals a C string */
	CHECK(json_str_eq(&d, (size_t)k, "SN\xc3\xa9"));
	CHECK(!json_str_eq(&d, (size_t)k, "SN"));
	CHECK(!json_str_eq(&d, (size_t)k, "SN\xc3\xa9x"));
	CHECK(!json_str_eq(&d, (size_t)k, "SN\\u00e9"));
	CHECK(json_str_eq(&d, 1, "serial"));
	CHECK(!json_str_eq(&d, (size_t)json_get(&d, 0, "nul"), "a"));
	CHECK(!json_str_eq(&d, (size_t)json_get(&d, 0, "nul"), "ab"));
	CHECK(json_str_eq(&d, (size_t)json_get(&d, 0, "esc"), "a\""));
	CHECK(!json_str_eq(&d, (size_t)json_get(&d, 0, "n"), "42"));
	CHECK(!json_str_eq(&d, 999, ""));

	/* iteration: keys by .next, array elements by .next */
	{
		long c = json_child(&d, 0);
		size_t members = 0;
		uint64_t sum = 0, x;

		for (; c > 0 && members < tok[0].size; members++)
			c = tok[c + 1].next;
		CHECK(members == 14 && (size_t)c == d.ntok);
		v = json_get(&d, 0, "arr");
		c = json_child(&d, (size_t)v);
		for (uint32_t i = 0; i < tok[v].size; i++, c = tok[c].next)
			if (json_uint(&d, (size_t)c, 10, &x) == 0)
				sum += x;
		CHECK(sum == 6 && c == (long)tok[v].next);
		CHECK(json_child(&d, (size_t)json_get(&d, 0, "n")) == -1);
		CHECK(json_child(&d, 999) == -1);
	}

	/* An empty container has no child. */
	CHECK(json_parse(&d, "{\"a\":[]}", 8, tok, 64, NULL, &e) == 0);
	CHECK(json_child(&d, 1 + 1) == -1 && json_child(&d, 0) == 1);
}

/* Errors are sticky: the first reason survives a later failure. */
static void test_sticky(void)
{
	struct json_tok tok[8];
	struct json_doc d;
	struct errbuf e = { 0, "" };

	CHECK(json_parse(&d, "[1,]", 4, tok, 8, NULL, &e) == -1);
	CHECK(json_parse(&d, "01", 2, tok, 8, NULL, &e) == -1);
	CHECK(strstr(e.msg, "expected a value") != NULL);
	CHECK(json_parse(&d, "[1]", 3, tok, 8, NULL, NULL) == 0);
	CHECK(json_parse(&d, "[1,]", 4, tok, 8, NULL, NULL) == -1);
}

/* Many members whose names share a long prefix and need decoding:
 * duplicate detection is quadratic in members but capped by max_members.
 * last: the raw name of the final member. */
static size_t many_members(char *buf, size_t cap, int members, const char *last)
{
	size_t n = 0;

	buf[n++] = '{';
	for (int i = 0; i < members - 1; i++)
		n += (size_t)snprintf(buf + n, cap - n, "\"%064d\\u0041\":%d,", i, i);
	n += (size_t)snprintf(buf + n, cap - n, "\"%s\":0}", last);
	return n;
}

static void test_many_members(void)
{
	enum { M = 256 };
	static struct json_tok tok[2 * M + 4];
	static char buf[M * 96];
	static const struct {
		int members;
		const char *last;
		const char *err;
	} cases[] = {
		{ M, "x", NULL },
		{ M + 1, "x", "JSON: more than 256 members in object at offset" },
		{ M, "0000000000000000000000000000000000000000000000000000000000000000A", "duplicate member" },
		{ M, "000000000000000000000000000000000000000000000000000000000000\\u0030254\\u0041",
		  "0000...\" at offset" },
		{ M, "0000000000000000000000000000000000000000000000000000000000000254a", NULL },
	};
	struct json_doc d;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct errbuf e = { 0, "" };
		size_t n = many_members(buf, sizeof(buf), cases[i].members, cases[i].last);
		int r = json_parse(&d, buf, n, tok, sizeof(tok) / sizeof(tok[0]), NULL, &e);

		if (!cases[i].err)
			CHECKF(r == 0 && d.ntok == 2 * (size_t)cases[i].members + 1, "case %zu: %s", i, e.msg);
		else
			CHECKF(r == -1 && strstr(e.msg, cases[i].err), "case %zu: %s", i, e.msg);
	}
	many_members(buf, sizeof(buf), M, "x");
	CHECK(json_parse(&d, buf, strlen(buf), tok, sizeof(tok) / sizeof(tok[0]), NULL, NULL) == 0);
	CHECK(json_get(&d, 0, "0000000000000000000000000000000000000000000000000000000000000254A") ==
	      2 * (M - 2) + 2);
	CHECK(json_get(&d, 0, "x") == 2 * M);
}

int main(void)
{
	test_rows();
	test_layout();
	test_deep();
	test_no_depth_limit_needed_for_stack();
	test_access();
	test_sticky();
	test_many_members();
	TEST_END();
}
