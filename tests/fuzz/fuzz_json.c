/*
 * libFuzzer harness for the JSON parser. Parses each input twice (small
 * limits, where every limit is within the fuzzer's reach, and the default
 * ones), then checks what a successful parse promises: token spans inside
 * the input, a well-formed subtree layout, and accessors that agree with one
 * another (no duplicate member, so json_get must find exactly this key).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct json_limits small = {
	.max_bytes = 4096,
	.max_depth = 6,
	.max_string = 48,
	.max_members = 12,
};

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_doc(const struct json_doc *d, const struct json_limits *lim)
{
	const struct json_tok *tok = d->tok;
	char buf[64];

	CHECK(d->ntok > 0 && tok[0].next == d->ntok);
	CHECK(tok[0].start + (size_t)tok[0].len <= d->srclen);
	for (size_t i = 0; i < d->ntok; i++) {
		const struct json_tok *t = &tok[i];
		size_t c, n = 0;
		long k;

		CHECK(t->type <= JSON_OBJECT && t->next > i && t->next <= d->ntok);
		CHECK(t->len > 0 && t->start + (size_t)t->len <= d->srclen);
		switch (t->type) {
		case JSON_STRING:
			CHECK(t->next == i + 1 && d->src[t->start] == '"' &&
			      d->src[t->start + t->len - 1] == '"');
			k = json_str(d, i, buf, sizeof(buf));
			if (lim->max_string < sizeof(buf))
				CHECK(k <= (long)lim->max_string);
			if (k >= 0) {
				CHECK((size_t)k == strlen(buf));
				CHECK(json_str_eq(d, i, buf));
			}
			break;
		case JSON_NUMBER: {
			uint64_t v, w;

			CHECK(t->next == i + 1);
			if (json_uint(d, i, UINT64_MAX, &v) == 0) {
				/* A smaller bound accepts exactly the values under it. */
				CHECK(json_uint(d, i, v, &w) == 0 && w == v);
				CHECK(v == 0 || json_uint(d, i, v - 1, &w) == -1);
			}
			break;
		}
		case JSON_ARRAY:
		case JSON_OBJECT:
			CHECK(t->size <= lim->max_members);
			CHECK(d->src[t->start] == (t->type == JSON_OBJECT ? '{' : '[') &&
			      d->src[t->start + t->len - 1] == (t->type == JSON_OBJECT ? '}' : ']'));
			CHECK((t->size == 0) == (json_child(d, i) < 0));
			for (c = i + 1; n < t->size; n++) {
				CHECK(c < t->next);
				if (t->type == JSON_OBJECT) {
					CHECK(tok[c].type == JSON_STRING && c + 1 < t->next);
					/* Member names are unique, so lookup lands here. */
					if (json_str(d, c, buf, sizeof(buf)) >= 0)
						CHECK(json_get(d, i, buf) == (long)(c + 1));
					c++;
				}
				c = tok[c].next;
			}
			CHECK(c == t->next);
			break;
		default:
			CHECK(t->next == i + 1 && t->size == 0);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_tok tok[1024];
	struct json_doc d;
	struct errbuf e = { 0, "" };
	/* An exact-size copy: the parser must not need a terminator, and
	 * ASan must see any read past the end. */
	char *src = malloc(size ? size : 1);

	if (!src)
		return 0;
	memcpy(src, data, size);
	if (json_parse(&d, src, size, tok, 64, &small, &e) == 0) {
		check_doc(&d, &small);
	} else {
		CHECK(e.set && d.ntok == 0 && !strncmp(e.msg, "JSON: ", 6));
	}
	e.set = 0;
	if (json_parse(&d, src, size, tok, sizeof(tok) / sizeof(tok[0]), NULL, &e) == 0)
		check_doc(&d, &json_default_limits);
	else
		CHECK(e.set && d.ntok == 0);
	free(src);
	return 0;
}
