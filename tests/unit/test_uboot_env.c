/*
 * U-Boot environment and fw_env.config: tables of images, operations and
 * configurations with the outcome libubootenv (Debian's fw_printenv and
 * fw_setenv 0.3.2) gives for the same input; tests/suites/60-env.sh runs
 * the real tools against the binary.
 */
#include <stdlib.h>
#include <unistd.h>

#include "fw_env_config.h"
#include "test.h"
#include "uboot_env.h"

/* A byte string with embedded NULs: pointer and length. */
#define B(s) s, sizeof(s) - 1

static struct uboot_env env;
static uint8_t img[2][UBOOT_ENV_MAX_SIZE];

static int data_is(const struct uboot_env *v, const char *want, size_t wlen)
{
	return v->used == wlen && !memcmp(v->data, want, wlen);
}

/* A raw copy: area bytes, the rest filled with pad; crc_ok 0 flips a CRC bit. */
static void mkcopy(uint8_t *out, size_t size, int redundant, uint8_t flags, const char *area,
		   size_t alen, uint8_t pad, int crc_ok)
{
	size_t hdr = uboot_env_header_size(redundant);
	uint32_t crc;

	memset(out + hdr, pad, size - hdr);
	memcpy(out + hdr, area, alen);
	if (redundant)
		out[4] = flags;
	crc = uboot_env_crc32(0, out + hdr, size - hdr) ^ (crc_ok ? 0 : 0x100);
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(crc >> (8 * i));
}

/* --- CRC ---------------------------------------------------------------- */

static const struct {
	const char *in;
	size_t len;
	uint32_t crc;
} crc_rows[] = {
	{ B(""), 0x00000000 },
	{ B("123456789"), 0xcbf43926 }, /* the CRC-32 check value */
	/* data areas computed with Python's zlib.crc32 */
	{ B("baz=qux\0foo=bar\0\0\0\0\0\0\0\0\0\0\0\0\0"), 0x8d9d1aa7 }, /* 28 bytes: 0x20 single */
	{ B("baz=qux\0foo=bar\0\0\0\0\0\0\0\0\0\0\0\0"), 0x9a7d2239 }, /* 27 bytes: 0x20 redundant */
	{ B("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), 0x1a7a52b3 },
};

static void test_crc(void)
{
	for (size_t i = 0; i < sizeof(crc_rows) / sizeof(crc_rows[0]); i++) {
		uint32_t c = uboot_env_crc32(0, crc_rows[i].in, crc_rows[i].len);

		CHECKF(c == crc_rows[i].crc, "row %zu: %08x", i, (unsigned)c);
		/* Streaming in two pieces gives the same. */
		size_t h = crc_rows[i].len / 2;
		c = uboot_env_crc32(uboot_env_crc32(0, crc_rows[i].in, h), crc_rows[i].in + h,
				    crc_rows[i].len - h);
		CHECKF(c == crc_rows[i].crc, "row %zu streamed: %08x", i, (unsigned)c);
	}
}

/* --- serialization -------------------------------------------------------- */

static void test_export(void)
{
	/* mkenvimage -s 0x20 of "foo=bar\nbaz=qux\n" with -p 0, but sorted as
	 * libubootenv writes: exact bytes, both layouts. */
	static const uint8_t single[0x20] = {
		0xa7, 0x1a, 0x9d, 0x8d, 'b', 'a', 'z', '=', 'q', 'u', 'x', 0,
		'f', 'o', 'o', '=', 'b', 'a', 'r', 0, 0,
	};
	static const uint8_t redund[0x20] = {
		0x39, 0x22, 0x7d, 0x9a, 0x07, 'b', 'a', 'z', '=', 'q', 'u', 'x', 0,
		'f', 'o', 'o', '=', 'b', 'a', 'r', 0, 0,
	};
	uint8_t out[0x20];

	for (int r = 0; r < 2; r++) {
		CHECK(uboot_env_init(&env, 0x20, r) == 0);
		CHECK(uboot_env_set(&env, "foo", "bar") == 0);
		CHECK(uboot_env_set(&env, "baz", "qux") == 0);
		memset(out, 0xee, sizeof(out));
		uboot_env_export(&env, 7, out);
		CHECKF(!memcmp(out, r ? redund : single, sizeof(out)), "layout %d", r);
		CHECK(uboot_env_check_copy(out, sizeof(out), r, NULL) == 0);
		/* And back. */
		CHECK(uboot_env_import(&env, out, sizeof(out), r, NULL) == 0);
		CHECK(data_is(&env, B("baz=qux\0foo=bar\0\0")));
		CHECK(env.flags == (r ? 7 : 0));
	}
	/* Unusable sizes. */
	CHECK(uboot_env_init(&env, 5, 0) == -1);
	CHECK(uboot_env_init(&env, 6, 1) == -1);
	CHECK(uboot_env_init(&env, UBOOT_ENV_MAX_SIZE + 1, 1) == -1);
	CHECK(uboot_env_init(&env, UBOOT_ENV_MAX_SIZE, 1) == 0);
	CHECK(uboot_env_init(&env, 6, 0) == 0);
	CHECK(uboot_env_first(&env) == NULL && uboot_env_count(&env) == 0);
}

/* --- import: what a copy on disk means ----------------------------------- */

static const struct {
	const char *name;
	const char *area;
	size_t alen;
	uint8_t pad;
	int crc_ok;
	const char *want; /* canonical data; NULL: the copy is refused */
	size_t wlen;
	const char *err;
} import_rows[] = {
	{ "empty", B("\0"), 0, 1, B("\0"), NULL },
	{ "all zero", B(""), 0, 1, B("\0"), NULL },
	{ "mkenvimage 0xff padding", B("a=1\0\0"), 0xff, 1, B("a=1\0\0"), NULL },
	{ "sorted", B("a=1\0b=2\0\0"), 0, 1, B("a=1\0b=2\0\0"), NULL },
	{ "unsorted is sorted", B("foo=bar\0baz=qux\0a=\0\0"), 0, 1, B("a=\0baz=qux\0foo=bar\0\0"), NULL },
	{ "duplicate: last wins", B("b=\0a=1\0b=2\0b=3\0\0"), 0, 1, B("a=1\0b=3\0\0"), NULL },
	{ "duplicate after others", B("b=1\0c=1\0a=1\0b=9\0\0"), 0, 1, B("a=1\0b=9\0c=1\0\0"), NULL },
	{ "no '=' skipped", B("k v\0a=1\0\0"), 0, 1, B("a=1\0\0"), NULL },
	{ "empty name skipped", B("=x\0a=1\0\0"), 0, 1, B("a=1\0\0"), NULL },
	{ "'=' in value", B("c==d\0\0"), 0, 1, B("c==d\0\0"), NULL },
	{ "newline in value kept", B("s=a\nb\0\0"), 0, 1, B("s=a\nb\0\0"), NULL },
	{ "blank in name kept", B("b=2\0 a=1\0\0"), 0, 1, B(" a=1\0b=2\0\0"), NULL },
	{ "bytes >= 0x80 order unsigned", B("\xc3\xa9=1\0z=2\0\0"), 0, 1, B("z=2\0\xc3\xa9=1\0\0"), NULL },
	{ "prefix names", B("ab=2\0a=1\0abc=3\0\0"), 0, 1, B("a=1\0ab=2\0abc=3\0\0"), NULL },
	{ "bad CRC", B("a=1\0\0"), 0, 0, NULL, 0, "bad CRC" },
	{ "torn: all 0xff", B(""), 0xff, 0, NULL, 0, "bad CRC" },
	{ "valid CRC, not terminated", B(""), 'x', 1, NULL, 0, "not terminated" },
	{ "valid CRC, no final empty string", B("a=1\0"), 'x', 1, NULL, 0, "not terminated" },
};

static void test_import(void)
{
	const size_t size = 0x40;

	for (size_t i = 0; i < sizeof(import_rows) / sizeof(import_rows[0]); i++) {
		for (int r = 0; r < 2; r++) {
			struct errbuf e = { 0, "" };
			int rc;

			mkcopy(img[0], size, r, 3, import_rows[i].area, import_rows[i].alen,
			       import_rows[i].pad, import_rows[i].crc_ok);
			rc = uboot_env_import(&env, img[0], size, r, &e);
			if (import_rows[i].want) {
				CHECKF(rc == 0, "%s/%d: %s", import_rows[i].name, r, e.msg);
				CHECKF(rc == 0 && data_is(&env, import_rows[i].want, import_rows[i].wlen),
				       "%s/%d: data", import_rows[i].name, r);
			} else {
				CHECKF(rc == -1 && strstr(e.msg, import_rows[i].err), "%s/%d: %d %s",
				       import_rows[i].name, r, rc, e.msg);
			}
		}
	}
	/* Variables filling the data area exactly, with no room for the final
	 * empty string: refused (libubootenv would read past the area). */
	char area[0x40];
	memset(area, 'v', sizeof(area));
	memcpy(area, "a=", 2);
	area[0x40 - 4 - 1] = 0;
	mkcopy(img[0], 0x40, 0, 0, area, 0x40 - 4, 0, 1);
	struct errbuf e = { 0, "" };
	CHECK(uboot_env_import(&env, img[0], 0x40, 0, &e) == -1 && strstr(e.msg, "end-of-environment"));
	/* One byte less: fits with its terminator. */
	area[0x40 - 4 - 2] = 0;
	area[0x40 - 4 - 1] = 0;
	mkcopy(img[0], 0x40, 0, 0, area, 0x40 - 4, 0, 1);
	CHECK(uboot_env_import(&env, img[0], 0x40, 0, NULL) == 0 && env.used == 0x40 - 4);
}

/* The variable limit: a hostile image cannot make loading quadratic. */
static void test_too_many(void)
{
	static char area[UBOOT_ENV_MAX_SIZE];
	const size_t size = 64 * 1024;
	size_t n = 0;

	for (int k = UBOOT_ENV_MAX_VARS; k >= 0; k--) /* descending: worst order */
		n += (size_t)sprintf(area + n, "v%05d=1", k) + 1;
	area[n++] = 0;
	mkcopy(img[0], size, 1, 1, area, n, 0, 1);
	struct errbuf e = { 0, "" };
	CHECK(uboot_env_import(&env, img[0], size, 1, &e) == -1 && strstr(e.msg, "more than"));
	/* At the limit it loads, sorted. */
	n = 0;
	for (int k = UBOOT_ENV_MAX_VARS - 1; k >= 0; k--)
		n += (size_t)sprintf(area + n, "v%05d=1", k) + 1;
	area[n++] = 0;
	mkcopy(img[0], size, 1, 1, area, n, 0, 1);
	CHECK(uboot_env_import(&env, img[0], size, 1, NULL) == 0);
	CHECK(uboot_env_count(&env) == UBOOT_ENV_MAX_VARS);
	CHECK(!strcmp(uboot_env_first(&env), "v00000=1"));
	CHECK(uboot_env_set(&env, "w", "1") == -1);    /* one more */
	CHECK(uboot_env_set(&env, "v00007", "2") == 0); /* replacing is fine */
}

/* --- set: one sequence of operations on a small environment --------------- */

static const struct {
	const char *name, *value;
	int rc;
	const char *after;
	size_t alen;
	const char *err;
} set_rows[] = {
	{ "b", "2", 0, B("b=2\0\0"), NULL },
	{ "a", "1", 0, B("a=1\0b=2\0\0"), NULL },
	{ "c", "3", 0, B("a=1\0b=2\0c=3\0\0"), NULL },
	{ "b", "22", 0, B("a=1\0b=22\0c=3\0\0"), NULL },
	{ "b", "", 0, B("a=1\0b=\0c=3\0\0"), NULL },
	{ "b", NULL, 0, B("a=1\0c=3\0\0"), NULL },
	{ "zz", NULL, 0, B("a=1\0c=3\0\0"), NULL },
	{ "a=b", "1", -1, B("a=1\0c=3\0\0"), "'='" },
	{ "", "1", -1, B("a=1\0c=3\0\0"), "empty name" },
	{ "a b", "1", -1, B("a=1\0c=3\0\0"), "blank" },
	{ "a\n", "1", -1, B("a=1\0c=3\0\0"), "control" },
	{ "t", "x\ny", -1, B("a=1\0c=3\0\0"), "newline" },
	{ "t", "x\ry", -1, B("a=1\0c=3\0\0"), "carriage return" },
	{ "t", "x\x1by", -1, B("a=1\0c=3\0\0"), "control" },
	{ "t", "x\ty z=;", 0, B("a=1\0c=3\0t=x\ty z=;\0\0"), NULL },
	{ "t", NULL, 0, B("a=1\0c=3\0\0"), NULL },
	/* 0x30 bytes single: 44 in the data area, 9 used, "big=" + v + NUL */
	{ "big", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", -1, B("a=1\0c=3\0\0"), "fit" },
	{ "big", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0,
	  B("a=1\0big=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0c=3\0\0"), NULL },
	{ "big", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", -1,
	  B("a=1\0big=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0c=3\0\0"), "fit" },
	{ "d", "", -1, B("a=1\0big=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0c=3\0\0"), "fit" },
	{ "big", "y", 0, B("a=1\0big=y\0c=3\0\0"), NULL },
};

static void test_set(void)
{
	CHECK(uboot_env_init(&env, 0x30, 0) == 0);
	for (size_t i = 0; i < sizeof(set_rows) / sizeof(set_rows[0]); i++) {
		struct errbuf e = { 0, "" };
		int rc = uboot_env_set_err(&env, set_rows[i].name, set_rows[i].value, &e);

		CHECKF(rc == set_rows[i].rc, "row %zu: %d %s", i, rc, e.msg);
		CHECKF(data_is(&env, set_rows[i].after, set_rows[i].alen), "row %zu: data", i);
		if (set_rows[i].err)
			CHECKF(strstr(e.msg, set_rows[i].err), "row %zu: %s", i, e.msg);
	}
	CHECK(!strcmp(uboot_env_get(&env, "big"), "y"));
	CHECK(!strcmp(uboot_env_get(&env, "a"), "1"));
	CHECK(uboot_env_get(&env, "b") == NULL && uboot_env_get(&env, "bi") == NULL);
	CHECK(uboot_env_get(&env, "a=1") == NULL && uboot_env_get(&env, "") == NULL);
	/* Iteration sees every variable once, in order. */
	const char *p = uboot_env_first(&env);
	CHECK(p && !strcmp(p, "a=1"));
	p = uboot_env_next(&env, p);
	CHECK(p && !strcmp(p, "big=y"));
	p = uboot_env_next(&env, p);
	CHECK(p && !strcmp(p, "c=3"));
	CHECK(uboot_env_next(&env, p) == NULL);
	/* A zeroed (never loaded) environment is refused, not written. */
	static struct uboot_env zero;
	CHECK(uboot_env_set(&zero, "a", "1") == -1 && uboot_env_get(&zero, "a") == NULL);
	CHECK(uboot_env_first(&zero) == NULL);
}

/* --- text: init files and default.env ----------------------------------- */

static const struct {
	const char *text;
	size_t len;
	const char *want;
	size_t wlen;
	const char *err;
} text_rows[] = {
	{ B("a=1\nb=2\n"), B("a=1\0b=2\0\0"), NULL },
	{ B("# comment\n\nb=2\na=1"), B("a=1\0b=2\0\0"), NULL },
	{ B("a=\n"), B("a=\0\0"), NULL },
	{ B("a=b=c\n"), B("a=b=c\0\0"), NULL },
	{ B(""), B("\0"), NULL },
	{ B("a=1\na=2\n"), NULL, 0, "line 2: `a' set twice" },
	{ B("a=1\nb\n"), NULL, 0, "line 2: expected NAME=VALUE" },
	{ B("=1\n"), NULL, 0, "empty name" },
	{ B("a=1\r\n"), NULL, 0, "carriage return" },
	{ B(" a=1\n"), NULL, 0, "blank" },
	{ B(" # not a comment\n"), NULL, 0, "NAME=VALUE" },
	{ B("a=1\0b=2\n"), NULL, 0, "NUL" },
	{ B("x=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"), NULL, 0, "line 1: `x': the environment would need" },
};

static void test_text(void)
{
	for (size_t i = 0; i < sizeof(text_rows) / sizeof(text_rows[0]); i++) {
		struct errbuf e = { 0, "" };
		int rc;

		uboot_env_init(&env, 0x30, 1);
		rc = uboot_env_import_text(&env, text_rows[i].text, text_rows[i].len, &e);
		if (text_rows[i].want)
			CHECKF(rc == 0 && data_is(&env, text_rows[i].want, text_rows[i].wlen), "row %zu: %s",
			       i, e.msg);
		else
			CHECKF(rc == -1 && strstr(e.msg, text_rows[i].err), "row %zu: %s", i, e.msg);
	}
}

/* --- which copy is current ------------------------------------------------ */

static const struct {
	int v0, f0, v1, f1;
	enum uboot_env_scheme scheme;
	int want;
} pick_rows[] = {
	/* counter (files, block devices): observed with Debian's fw_printenv */
	{ 1, 5, 1, 5, UBOOT_ENV_INCREMENTAL, 0 },
	{ 1, 1, 1, 0, UBOOT_ENV_INCREMENTAL, 0 },
	{ 1, 0, 1, 1, UBOOT_ENV_INCREMENTAL, 1 },
	{ 1, 255, 1, 0, UBOOT_ENV_INCREMENTAL, 1 },
	{ 1, 0, 1, 255, UBOOT_ENV_INCREMENTAL, 0 },
	{ 1, 255, 1, 1, UBOOT_ENV_INCREMENTAL, 0 },
	{ 1, 1, 1, 255, UBOOT_ENV_INCREMENTAL, 1 },
	{ 1, 255, 1, 255, UBOOT_ENV_INCREMENTAL, 0 },
	{ 1, 254, 1, 255, UBOOT_ENV_INCREMENTAL, 1 },
	{ 1, 127, 1, 128, UBOOT_ENV_INCREMENTAL, 1 },
	{ 0, 9, 1, 1, UBOOT_ENV_INCREMENTAL, 1 },
	{ 1, 1, 0, 9, UBOOT_ENV_INCREMENTAL, 0 },
	{ 0, 1, 0, 2, UBOOT_ENV_INCREMENTAL, -1 },
	/* boolean (NOR flash): 1 active, 0 obsolete, 0xff erased */
	{ 1, 1, 1, 0, UBOOT_ENV_BOOLEAN, 0 },
	{ 1, 0, 1, 1, UBOOT_ENV_BOOLEAN, 1 },
	{ 1, 1, 1, 1, UBOOT_ENV_BOOLEAN, 0 },
	{ 1, 0, 1, 0, UBOOT_ENV_BOOLEAN, 0 },
	{ 1, 0xff, 1, 0, UBOOT_ENV_BOOLEAN, 0 }, /* a counter would take copy 1 */
	{ 1, 0, 1, 0xff, UBOOT_ENV_BOOLEAN, 1 },
	{ 1, 0xff, 1, 1, UBOOT_ENV_BOOLEAN, 0 },
	{ 1, 1, 1, 0xff, UBOOT_ENV_BOOLEAN, 1 },
	{ 1, 0xff, 1, 0xff, UBOOT_ENV_BOOLEAN, 1 },
	{ 0, 1, 1, 0, UBOOT_ENV_BOOLEAN, 1 },
	{ 0, 1, 0, 0, UBOOT_ENV_BOOLEAN, -1 },
};

static void test_pick(void)
{
	for (size_t i = 0; i < sizeof(pick_rows) / sizeof(pick_rows[0]); i++) {
		int got = uboot_env_pick(pick_rows[i].v0, (uint8_t)pick_rows[i].f0, pick_rows[i].v1,
					 (uint8_t)pick_rows[i].f1, pick_rows[i].scheme);

		CHECKF(got == pick_rows[i].want, "row %zu: %d", i, got);
	}
	CHECK(uboot_env_next_flags(0, UBOOT_ENV_INCREMENTAL) == 1);
	CHECK(uboot_env_next_flags(254, UBOOT_ENV_INCREMENTAL) == 255);
	CHECK(uboot_env_next_flags(255, UBOOT_ENV_INCREMENTAL) == 0);
	CHECK(uboot_env_next_flags(0, UBOOT_ENV_BOOLEAN) == 1);
	CHECK(uboot_env_next_flags(1, UBOOT_ENV_BOOLEAN) == 1);
	/* Whatever the counter, the copy a write makes is picked next. */
	for (int f = 0; f < 256; f++) {
		uint8_t n = uboot_env_next_flags((uint8_t)f, UBOOT_ENV_INCREMENTAL);

		CHECKF(uboot_env_pick(1, (uint8_t)f, 1, n, UBOOT_ENV_INCREMENTAL) == 1 &&
		       uboot_env_pick(1, n, 1, (uint8_t)f, UBOOT_ENV_INCREMENTAL) == 0, "flag %d", f);
	}
}

/* --- load and store on a file: copies at 0x100 and 0x200 ------------------ */

static char path[64];

static void cfg_for(struct fw_env_config *cfg, int redundant)
{
	char text[200];
	struct errbuf e = { 0, "" };

	snprintf(text, sizeof(text), redundant ? "%s 0x100 0x100\n%s 0x200 0x100\n" : "%s 0x100 0x100\n",
		 path, path);
	CHECKF(fw_env_config_parse(text, strlen(text), cfg, &e) == 0, "%s", e.msg);
}

static void put_copy(int i, const uint8_t *c)
{
	FILE *f = fopen(path, "r+b");

	fseek(f, 0x100 * (i + 1), SEEK_SET);
	fwrite(c, 1, 0x100, f);
	fclose(f);
}

static void get_copy(int i, uint8_t *c)
{
	FILE *f = fopen(path, "rb");

	memset(c, 0, 0x100);
	fseek(f, 0x100 * (i + 1), SEEK_SET);
	if (fread(c, 1, 0x100, f) != 0x100)
		memset(c, 0, 0x100);
	fclose(f);
}

static const struct {
	const char *name;
	int ok0, f0, ok1, f1;
	int active;  /* -1: load fails */
	int written; /* the copy the next store writes, and its flag */
	int wflag;
} file_rows[] = {
	{ "copy 1 newer", 1, 1, 1, 2, 1, 0, 3 },
	{ "copy 0 newer", 1, 5, 1, 4, 0, 1, 6 },
	{ "equal flags", 1, 7, 1, 7, 0, 1, 8 },
	{ "wrapped: 0 after 255", 1, 255, 1, 0, 1, 0, 1 },
	{ "wrapped: 255 before 0", 1, 0, 1, 255, 0, 1, 1 },
	{ "write wraps to 0", 1, 254, 1, 255, 1, 0, 0 },
	{ "copy 0 torn", 0, 9, 1, 3, 1, 0, 4 },
	{ "copy 1 torn", 1, 3, 0, 9, 0, 1, 4 },
	{ "copy 0 torn, copy 1 at 255", 0, 0, 1, 255, 1, 0, 0 },
	{ "boolean image on a file: read as a counter", 1, 1, 1, 0, 0, 1, 2 },
	{ "both torn", 0, 1, 0, 2, -1, 0, 0 },
};

static void test_files(void)
{
	struct fw_env_config cfg;
	uint8_t before[0x100], after[0x100];
	int fd;

	strcpy(path, "/tmp/test_uboot_env.XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	cfg_for(&cfg, 1);
	for (size_t i = 0; i < sizeof(file_rows) / sizeof(file_rows[0]); i++) {
		struct errbuf e = { 0, "" };
		const char *nm = file_rows[i].name;
		int w = file_rows[i].written;

		CHECK(truncate(path, 0x300) == 0);
		mkcopy(img[0], 0x100, 1, (uint8_t)file_rows[i].f0, B("which=0\0\0"), 0xff, file_rows[i].ok0);
		mkcopy(img[1], 0x100, 1, (uint8_t)file_rows[i].f1, B("which=1\0\0"), 0xff, file_rows[i].ok1);
		put_copy(0, img[0]);
		put_copy(1, img[1]);
		if (file_rows[i].active < 0) {
			CHECKF(uboot_env_load(&env, &cfg, &e) == -1 &&
			       strstr(e.msg, "no valid environment copy"), "%s: %s", nm, e.msg);
			continue;
		}
		CHECKF(uboot_env_load(&env, &cfg, &e) == 0, "%s: %s", nm, e.msg);
		CHECKF(env.active == file_rows[i].active, "%s: active %d", nm, env.active);
		CHECKF(!strcmp(uboot_env_get(&env, "which"), file_rows[i].active ? "1" : "0"), "%s", nm);
		get_copy(!w, before);
		CHECK(uboot_env_set(&env, "w", "x") == 0);
		CHECKF(uboot_env_store(&env, &cfg, &e) == 0, "%s: %s", nm, e.msg);
		CHECKF(env.active == w && env.flags == file_rows[i].wflag, "%s: wrote %d flag %u", nm,
		       env.active, env.flags);
		/* The other copy, the one current before, is untouched. */
		get_copy(!w, after);
		CHECKF(!memcmp(before, after, sizeof(before)), "%s: copy %d changed", nm, !w);
		get_copy(w, after);
		CHECKF(uboot_env_check_copy(after, 0x100, 1, NULL) == 0 && after[4] == file_rows[i].wflag,
		       "%s: written copy", nm);
		/* Read back: the new copy is current and holds the change. */
		CHECKF(uboot_env_load(&env, &cfg, &e) == 0 && env.active == w, "%s: reload", nm);
		CHECKF(!strcmp(uboot_env_get(&env, "w"), "x"), "%s", nm);
	}

	/* A file too short for copy 1: copy 0 is used; the write extends it. */
	CHECK(truncate(path, 0x200) == 0);
	mkcopy(img[0], 0x100, 1, 4, B("a=1\0\0"), 0, 1);
	put_copy(0, img[0]);
	CHECK(truncate(path, 0x200) == 0);
	struct errbuf e = { 0, "" };
	CHECKF(uboot_env_load(&env, &cfg, &e) == 0 && env.active == 0, "%s", e.msg);
	CHECK(uboot_env_store(&env, &cfg, NULL) == 0 && env.active == 1 && env.flags == 5);
	CHECK(uboot_env_load(&env, &cfg, NULL) == 0 && env.active == 1);

	/* Factory write over two bad copies: both valid, equal flags, copy 0. */
	CHECK(truncate(path, 0) == 0 && truncate(path, 0x300) == 0);
	CHECK(uboot_env_load(&env, &cfg, NULL) == -1);
	CHECK(uboot_env_init(&env, 0x100, 1) == 0);
	CHECK(uboot_env_import_text(&env, B("sztp_state=unprovisioned\n"), NULL) == 0);
	CHECK(uboot_env_store_all(&env, &cfg, NULL) == 0);
	get_copy(0, before);
	get_copy(1, after);
	CHECK(!memcmp(before, after, 0x100) && before[4] == 1); /* as mkenvimage -r */
	CHECK(uboot_env_load(&env, &cfg, NULL) == 0 && env.active == 0);
	CHECK(!strcmp(uboot_env_get(&env, "sztp_state"), "unprovisioned"));
	CHECK(uboot_env_store(&env, &cfg, NULL) == 0 && env.active == 1 && env.flags == 2);
	/* ...and over a valid one, continuing its counter across the wrap. */
	env.flags = 255;
	CHECK(uboot_env_store_all(&env, &cfg, NULL) == 0 && env.active == 0 && env.flags == 0);
	get_copy(0, before);
	get_copy(1, after);
	CHECK(!memcmp(before, after, 0x100) && before[4] == 0);

	/* Single copy: rewritten in place, no flag byte. */
	cfg_for(&cfg, 0);
	mkcopy(img[0], 0x100, 0, 0, B("a=1\0\0"), 0xff, 1);
	put_copy(0, img[0]);
	CHECK(uboot_env_load(&env, &cfg, NULL) == 0 && !env.redundant);
	CHECK(uboot_env_set(&env, "b", "2") == 0 && uboot_env_store(&env, &cfg, NULL) == 0);
	get_copy(0, after);
	CHECK(uboot_env_check_copy(after, 0x100, 0, NULL) == 0 && !memcmp(after + 4, "a=1\0b=2\0\0", 9));
	mkcopy(img[0], 0x100, 0, 0, B("a=1\0\0"), 0xff, 0);
	put_copy(0, img[0]);
	e = (struct errbuf){ 0, "" };
	CHECK(uboot_env_load(&env, &cfg, &e) == -1 && strstr(e.msg, "no valid environment copy (bad CRC)"));

	/* A configuration that does not match the environment is refused. */
	struct fw_env_config two;
	cfg_for(&two, 1);
	CHECK(uboot_env_init(&env, 0x100, 0) == 0 && uboot_env_store(&env, &two, NULL) == -1);
	CHECK(uboot_env_init(&env, 0x80, 1) == 0 && uboot_env_store(&env, &two, NULL) == -1);
	/* A missing device is an error, not a bad copy. */
	strcpy(two.copy[1].device, "/nonexistent/env");
	e = (struct errbuf){ 0, "" };
	CHECK(uboot_env_load(&env, &two, &e) == -1 && strstr(e.msg, "/nonexistent/env: cannot open"));
	unlink(path);
}

/* --- fw_env.config --------------------------------------------------------- */

static const struct {
	const char *text;
	size_t len;
	int ncopies; /* 0: refused */
	uint64_t off0, off1;
	size_t size, sector;
	const char *err;
} cfg_rows[] = {
	{ B("/dev/vda 0x100000 0x20000\n/dev/vda 0x120000 0x20000\n"), 2, 0x100000, 0x120000, 0x20000, 0, NULL },
	{ B("# c\n  # indented\n\n/f 0 4000\n"), 1, 0, 0, 0x4000, 0, NULL },
	/* libubootenv: OFFSET is "%lli", the sizes "%zx" (hex even without 0x) */
	{ B("/f 1048576 20000\n"), 1, 0x100000, 0, 0x20000, 0, NULL },
	{ B("/f 04000000 0x20000\n"), 1, 0x100000, 0, 0x20000, 0, NULL },
	{ B("/f 0X10 0X4000 0x200 0x20\n"), 1, 0x10, 0, 0x4000, 0x200, NULL },
	{ B("/f +16 +4000 200\n"), 1, 16, 0, 0x4000, 0x200, NULL },
	{ B("/f\t0x0\t0x4000  # trailing comment\n"), 1, 0, 0, 0x4000, 0, NULL },
	{ B("/f 0 0x4000 0x1000 4 1\n"), 1, 0, 0, 0x4000, 0x1000, NULL },
	{ B("/f 0 0x4000\r\n/g 0 0x4000\r\n"), 2, 0, 0, 0x4000, 0, NULL },
	{ B("/f 0 0x4000\n/f 0x4000 0x4000"), 2, 0, 0x4000, 0x4000, 0, NULL },
	{ B("/f 0 0x4000 0x1000 4 1 7\n"), 0, 0, 0, 0, 0, "more than 6 fields" },
	{ B("/f 0\n"), 0, 0, 0, 0, 0, "line 1: expected DEVICE OFFSET ENVSIZE" },
	{ B("/f -0x4000 0x4000\n"), 0, 0, 0, 0, 0, "negative OFFSET" },
	{ B("/f 0 0\n"), 0, 0, 0, 0, 0, "outside" },
	{ B("/f 0 7\n"), 0, 0, 0, 0, 0, "outside" },
	{ B("/f 0 0x40001\n"), 0, 0, 0, 0, 0, "outside" },
	{ B("/f 0 131072\n"), 0, 0, 0, 0, 0, "always hex" },
	{ B("/f 0 4000x\n"), 0, 0, 0, 0, 0, "bad ENVSIZE" },
	{ B("/f 0x 0x4000\n"), 0, 0, 0, 0, 0, "bad OFFSET" },
	{ B("/f 08 0x4000\n"), 0, 0, 0, 0, 0, "bad OFFSET" },
	{ B("/f 0x1g 0x4000\n"), 0, 0, 0, 0, 0, "bad OFFSET" },
	{ B("/f 0 0x4000 0x10 zz\n"), 0, 0, 0, 0, 0, "bad NUMSECTORS" },
	{ B("/f 0 0x4000 0x\n"), 0, 0, 0, 0, 0, "bad SECTORSIZE" },
	{ B("/f 0 0x4000\n/f 0x2000 0x4000\n"), 0, 0, 0, 0, 0, "overlap" },
	{ B("/f 0x2000 0x4000\n/f 0 0x4000\n"), 0, 0, 0, 0, 0, "overlap" },
	{ B("/f 0 0x4000\n/g 0 0x2000\n"), 0, 0, 0, 0, 0, "differ in ENVSIZE" },
	{ B("/f 0 0x4000\n/g 0 0x4000\n/h 0 0x4000\n"), 0, 0, 0, 0, 0, "line 3: a third" },
	{ B(""), 0, 0, 0, 0, 0, "no environment copy" },
	{ B("# only\n"), 0, 0, 0, 0, 0, "no environment copy" },
	{ B("/f 0 0x4000\0\n"), 0, 0, 0, 0, 0, "NUL" },
	{ B("/f 18446744073709551615 0x4000\n"), 0, 0, 0, 0, 0, "overflows" },
	{ B("/f 18446744073709551616 0x4000\n"), 0, 0, 0, 0, 0, "bad OFFSET" },
	{ B("/f 0x10000000000000000 0x4000\n"), 0, 0, 0, 0, 0, "bad OFFSET" },
	{ B("/f 0 0x4000 0x10000000000000000\n"), 0, 0, 0, 0, 0, "bad SECTORSIZE" },
};

static void test_config(void)
{
	struct fw_env_config cfg;
	char longdev[400];

	for (size_t i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++) {
		struct errbuf e = { 0, "" };
		int rc = fw_env_config_parse(cfg_rows[i].text, cfg_rows[i].len, &cfg, &e);

		if (!cfg_rows[i].ncopies) {
			CHECKF(rc == -1 && strstr(e.msg, cfg_rows[i].err), "row %zu: %s", i, e.msg);
			continue;
		}
		CHECKF(rc == 0, "row %zu: %s", i, e.msg);
		CHECKF(cfg.ncopies == cfg_rows[i].ncopies && cfg.copy[0].offset == cfg_rows[i].off0 &&
		       cfg.copy[0].size == cfg_rows[i].size && cfg.copy[0].sector_size == cfg_rows[i].sector,
		       "row %zu: %d 0x%llx 0x%zx 0x%zx", i, cfg.ncopies, (unsigned long long)cfg.copy[0].offset,
		       cfg.copy[0].size, cfg.copy[0].sector_size);
		if (cfg.ncopies == 2)
			CHECKF(cfg.copy[1].offset == cfg_rows[i].off1 && cfg.copy[1].size == cfg_rows[i].size,
			       "row %zu: copy 1", i);
	}
	/* Device names: up to 255 bytes. */
	memset(longdev, 'd', sizeof(longdev));
	longdev[0] = '/';
	snprintf(longdev + 255, sizeof(longdev) - 255, " 0 0x4000\n");
	CHECK(fw_env_config_parse(longdev, strlen(longdev), &cfg, NULL) == 0 && strlen(cfg.copy[0].device) == 255);
	memset(longdev, 'd', sizeof(longdev));
	longdev[0] = '/';
	snprintf(longdev + 256, sizeof(longdev) - 256, " 0 0x4000\n");
	struct errbuf e = { 0, "" };
	CHECK(fw_env_config_parse(longdev, strlen(longdev), &cfg, &e) == -1 && strstr(e.msg, "longer than 255"));
	/* The file form names the file. */
	e = (struct errbuf){ 0, "" };
	CHECK(fw_env_config_load("/nonexistent/fw_env.config", &cfg, &e) == -1 &&
	      !strncmp(e.msg, "/nonexistent/fw_env.config: ", 28));
}

int main(void)
{
	sztp_quiet = 1;
	test_crc();
	test_export();
	test_import();
	test_too_many();
	test_set();
	test_text();
	test_pick();
	test_files();
	test_config();
	TEST_END();
}
