/* See yang_json.h. */
#include <string.h>

#include "base64.h"
#include "yang_json.h"

static const char *type_name(int t)
{
	static const char *const names[] = { "null", "boolean", "boolean", "number", "string", "array", "object" };

	return t >= 0 && t <= JSON_OBJECT ? names[t] : "value";
}

int yj_only_members(const struct json_doc *d, size_t obj, const char *const *allowed,
		    const char *where, struct errbuf *e)
{
	for (long k = json_child(d, obj); k >= 0 && (size_t)k < d->tok[obj].next;
	     k = d->tok[k + 1].next) {
		int ok = 0;

		for (const char *const *a = allowed; *a && !ok; a++)
			ok = json_str_eq(d, (size_t)k, *a);
		if (!ok) {
			char name[64];

			if (json_str(d, (size_t)k, name, sizeof(name)) < 0)
				strcpy(name, "...");
			return errf(e, "%s: unknown member \"%s\"", where, name);
		}
	}
	return 0;
}

int yj_member(const struct json_doc *d, size_t obj, const char *name, int type, long *idx,
	      const char *where, struct errbuf *e)
{
	long i = json_get(d, obj, name);

	*idx = i;
	if (i < 0)
		return 0;
	int t = d->tok[i].type;
	if (type == JSON_TRUE ? (t != JSON_TRUE && t != JSON_FALSE) : t != type)
		return errf(e, "%s: \"%s\" must be a JSON %s", where, name, type_name(type));
	return 0;
}

int yj_mandatory(const struct json_doc *d, size_t obj, const char *name, int type, long *idx,
		 const char *where, struct errbuf *e)
{
	if (yj_member(d, obj, name, type, idx, where, e) < 0)
		return -1;
	if (*idx < 0)
		return errf(e, "%s: mandatory \"%s\" missing", where, name);
	return 0;
}

long yj_binary(const struct json_doc *d, size_t i, uint8_t *out, size_t cap, const char *what,
	       struct errbuf *e)
{
	const struct json_tok *t = &d->tok[i];
	long n;

	if (t->type != JSON_STRING)
		return errf(e, "%s: not a string", what);
	/* base64 never needs escapes; an escaped string is not valid base64. */
	n = base64_decode(d->src + t->start + 1, t->len - 2, out, cap);
	if (n < 0)
		return errf(e, "%s: invalid base64 (or larger than %zu bytes)", what, cap);
	return n;
}

long yj_string(const struct json_doc *d, size_t i, char *out, size_t cap, const char *what,
	       struct errbuf *e)
{
	long n = json_str(d, i, out, cap);

	if (n < 0)
		return errf(e, "%s: not a string of at most %zu bytes", what, cap - 1);
	return n;
}

int yj_identity_is(const struct json_doc *d, size_t i, const char *module, const char *name)
{
	char buf[128];
	size_t ml = strlen(module);

	if (json_str(d, i, buf, sizeof(buf)) < 0)
		return 0;
	if (!strcmp(buf, name))
		return 1;
	return !strncmp(buf, module, ml) && buf[ml] == ':' && !strcmp(buf + ml + 1, name);
}
