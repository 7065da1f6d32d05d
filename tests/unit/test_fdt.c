/*
 * fdt.c: dtc-compiled trees (fdt_fixture.h) rewritten and read back; then
 * a table of hostile blobs, each refused with a piece of the reason.
 *
 * With arguments it is the rewrite as a command, for tests/suites/45-fdt.sh
 * (dtc and QEMU's own tree):
 *   test_fdt IN.dtb OUT.dtb BOOTARGS [INITRD_START INITRD_END [SEEDHEX]]
 * SEEDHEX: 8 bytes of kaslr-seed, then the rng-seed bytes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fdt.h"
#include "fdt_fixture.h"
#include "fsutil.h"
#include "readfile.h"
#include "test.h"

static uint8_t in[8192], out[8192];

static size_t load(const char *hex)
{
	return unhex(hex, in, sizeof(in));
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Property value as a string ("" if absent), or its length (-1 absent). */
static const uint8_t *prop(const uint8_t *f, size_t len, const char *path, const char *name, size_t *vlen)
{
	const uint8_t *v = NULL;
	struct errbuf e = { 0 };

	*vlen = 0;
	if (fdt_find_prop(f, len, path, name, &v, vlen, &e) != 1)
		return NULL;
	return v;
}

static int has_str(const uint8_t *f, size_t len, const char *path, const char *name, const char *want)
{
	size_t n;
	const uint8_t *v = prop(f, len, path, name, &n);

	return v && n == strlen(want) + 1 && !memcmp(v, want, n);
}

static int has_u64(const uint8_t *f, size_t len, const char *path, const char *name, uint64_t want)
{
	size_t n;
	const uint8_t *v = prop(f, len, path, name, &n);

	return v && n == 8 && be64(v) == want;
}

static int absent(const uint8_t *f, size_t len, const char *path, const char *name)
{
	size_t n;

	return prop(f, len, path, name, &n) == NULL;
}

static size_t rsv_count(const uint8_t *f)
{
	size_t n = 0;

	for (const uint8_t *r = f + be32(f + 16); be64(r) || be64(r + 8); r += 16)
		n++;
	return n;
}

static void test_full(void)
{
	static uint8_t again[8192];
	uint8_t seed[8 + 64];
	struct fdt_chosen c = { "console=ttyAMA0 root=/dev/vda2 sztp.slot=b", 0x4a000000, 0x4a123457,
				seed, seed + 8, 64 };
	struct errbuf e = { 0 };
	size_t len = load(DTB_CHOSEN_FULL), olen = 0, alen = 0, n;
	const uint8_t *v;

	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0xa0 + i);
	CHECKF(fdt_check(in, len, &e) == 0, "%s", e.msg);
	/* What the fixture holds before. */
	CHECK(has_str(in, len, "/chosen", "bootargs", "console=ttyAMA0 root=/dev/old"));
	CHECK(has_str(in, len, "/soc/bus/dev", "bootargs", "not /chosen"));
	CHECK(rsv_count(in) == 2);

	CHECK(fdt_set_chosen_bound(len, &c) <= sizeof(out));
	CHECKF(fdt_set_chosen(in, len, &c, out, fdt_set_chosen_bound(len, &c), &olen, &e) == 0, "%s", e.msg);
	CHECKF(fdt_check(out, olen, &e) == 0, "%s", e.msg);
	CHECK(be32(out + 4) == olen);
	CHECK(be32(out + 20) == 17 && be32(out + 24) == 16);
	CHECK(has_str(out, olen, "/chosen", "bootargs", c.bootargs));
	CHECK(has_u64(out, olen, "/chosen", "linux,initrd-start", 0x4a000000));
	CHECK(has_u64(out, olen, "/chosen", "linux,initrd-end", 0x4a123457));
	v = prop(out, olen, "/chosen", "kaslr-seed", &n);
	CHECK(v && n == 8 && !memcmp(v, seed, 8));
	v = prop(out, olen, "/chosen", "rng-seed", &n);
	CHECK(v && n == 64 && !memcmp(v, seed + 8, 64));
	CHECK(absent(out, olen, "/chosen", "linux,elfcorehdr"));
	CHECK(absent(out, olen, "/chosen", "linux,usable-memory-range"));
	CHECK(absent(out, olen, "/chosen", "linux,ima-kexec-buffer"));
	/* Kept: other /chosen properties, its subnode, other nodes. */
	CHECK(has_str(out, olen, "/chosen", "stdout-path", "/pl011@9000000"));
	CHECK(has_u64(out, olen, "/chosen", "linux,uefi-system-table", 0x7fe00000));
	CHECK(has_str(out, olen, "/chosen/framebuffer", "compatible", "simple-framebuffer"));
	CHECK(has_str(out, olen, "/soc/bus/dev", "bootargs", "not /chosen"));
	v = prop(out, olen, "/soc/bus/dev", "leaf", &n);
	CHECK(v && n == 0);
	CHECK(has_str(out, olen, "/", "model", "sztpboot fixture"));
	/* The old initrd's reservation is gone, the firmware's kept. */
	CHECK(rsv_count(out) == 1);
	CHECK(be64(out + be32(out + 16)) == 0x4ff00000 && be64(out + be32(out + 16) + 8) == 0x1000);
	/* Rewriting the result again changes nothing. */
	CHECKF(fdt_set_chosen(out, olen, &c, again, sizeof(again), &alen, &e) == 0, "%s", e.msg);
	CHECK(alen == olen && !memcmp(again, out, olen));

	/* No initrd, no seeds: none of those properties. */
	struct fdt_chosen bare = { "quiet", 0, 0, NULL, NULL, 0 };

	CHECKF(fdt_set_chosen(in, len, &bare, out, sizeof(out), &olen, &e) == 0, "%s", e.msg);
	CHECK(has_str(out, olen, "/chosen", "bootargs", "quiet"));
	CHECK(absent(out, olen, "/chosen", "linux,initrd-start"));
	CHECK(absent(out, olen, "/chosen", "linux,initrd-end"));
	CHECK(absent(out, olen, "/chosen", "kaslr-seed"));
	CHECK(absent(out, olen, "/chosen", "rng-seed"));
	CHECK(rsv_count(out) == 1);
}

static void test_create_chosen(const char *hex, const char *what)
{
	struct fdt_chosen c = { "console=ttyS0", 0x90000000, 0x90001000, NULL, NULL, 0 };
	struct errbuf e = { 0 };
	size_t len = load(hex), olen = 0, n;

	CHECKF(fdt_set_chosen(in, len, &c, out, sizeof(out), &olen, &e) == 0, "%s: %s", what, e.msg);
	CHECKF(fdt_check(out, olen, &e) == 0, "%s: %s", what, e.msg);
	CHECKF(has_str(out, olen, "/chosen", "bootargs", "console=ttyS0"), "%s", what);
	CHECKF(has_u64(out, olen, "/chosen", "linux,initrd-start", 0x90000000), "%s", what);
	CHECKF(has_u64(out, olen, "/chosen", "linux,initrd-end", 0x90001000), "%s", what);
	CHECKF(prop(out, olen, "/", "#address-cells", &n) && n == 4, "%s", what);
	CHECKF(prop(out, olen, "/memory@80000000", "reg", &n) || prop(out, olen, "/memory@40000000", "reg", &n),
	       "%s", what);
}

static void test_limits(void)
{
	static char longargs[FDT_BOOTARGS_MAX + 1];
	struct fdt_chosen c = { longargs, 0, 0, NULL, NULL, 0 };
	struct errbuf e = { 0 };
	size_t len = load(DTB_NO_CHOSEN), olen;

	memset(longargs, 'x', FDT_BOOTARGS_MAX - 1);
	CHECKF(fdt_set_chosen(in, len, &c, out, sizeof(out), &olen, &e) == 0, "%s", e.msg);
	CHECK(has_str(out, olen, "/chosen", "bootargs", longargs));
	longargs[FDT_BOOTARGS_MAX - 1] = 'x';
	e.set = 0;
	CHECK(fdt_set_chosen(in, len, &c, out, sizeof(out), &olen, &e) < 0 && strstr(e.msg, "bootargs over"));

	/* The bound is enough; one byte less than needed is refused. */
	struct fdt_chosen d = { "a", 0x1000, 0x2000, NULL, NULL, 0 };

	e.set = 0;
	CHECK(fdt_set_chosen(in, len, &d, out, sizeof(out), &olen, &e) == 0);
	e.set = 0;
	CHECK(fdt_set_chosen(in, len, &d, out, olen - 1, &olen, &e) < 0 && strstr(e.msg, "does not fit"));
	struct fdt_chosen bad = { "a", 0x2000, 0x1000, NULL, NULL, 0 };
	e.set = 0;
	CHECK(fdt_set_chosen(in, len, &bad, out, sizeof(out), &olen, &e) < 0 && strstr(e.msg, "bad initrd range"));
	uint8_t s[8 + FDT_RNG_SEED_MAX + 1] = { 0 };
	struct fdt_chosen big = { "a", 0, 0, s, s + 8, FDT_RNG_SEED_MAX + 1 };
	e.set = 0;
	CHECK(fdt_set_chosen(in, len, &big, out, sizeof(out), &olen, &e) < 0 && strstr(e.msg, "rng-seed"));
}

/*
 * Hostile blobs. Mutations of a dtc-made tree at its header fields, and
 * small structure blocks assembled here (the only way to reach the deep
 * checks), each refused with a piece of the reason.
 */
struct blob {
	uint8_t b[2048];
	size_t n;
};

static void w32(struct blob *s, uint32_t v)
{
	set32(s->b + s->n, v);
	s->n += 4;
}

static void wstr(struct blob *s, const char *str, int pad)
{
	size_t n = strlen(str) + 1;

	memcpy(s->b + s->n, str, n);
	s->n += n;
	while (pad && s->n % 4)
		s->b[s->n++] = 0;
}

/* Header + empty reservation map + structure + strings. */
static size_t wrap(const struct blob *st, const char *strings, size_t slen)
{
	size_t off_struct = 40 + 16, off_strings = off_struct + st->n, total = off_strings + slen;

	memset(in, 0, sizeof(in));
	set32(in, 0xd00dfeed);
	set32(in + 4, (uint32_t)total);
	set32(in + 8, (uint32_t)off_struct);
	set32(in + 12, (uint32_t)off_strings);
	set32(in + 16, 40);
	set32(in + 20, 17);
	set32(in + 24, 16);
	set32(in + 32, (uint32_t)slen);
	set32(in + 36, (uint32_t)st->n);
	memcpy(in + off_struct, st->b, st->n);
	memcpy(in + off_strings, strings, slen);
	return total;
}

#define STRINGS "compatible\0model\0"

enum { T_BEGIN = 1, T_END_NODE = 2, T_PROP = 3, T_NOP = 4, T_END = 9 };

static void expect_bad(const char *what, size_t len, const char *reason)
{
	struct errbuf e = { 0 };
	struct fdt_chosen c = { "x", 0, 0, NULL, NULL, 0 };
	size_t olen;

	CHECKF(fdt_check(in, len, &e) < 0 && strstr(e.msg, reason), "%s: got `%s'", what, e.msg);
	e.set = 0;
	CHECKF(fdt_set_chosen(in, len, &c, out, sizeof(out), &olen, &e) < 0 && strstr(e.msg, reason),
	       "%s (rewrite): got `%s'", what, e.msg);
}

static void test_header_mutations(void)
{
	size_t len;

	len = load(DTB_CHOSEN_FULL);
	expect_bad("truncated header", 39, "too short");
	expect_bad("truncated blob", len - 1, "does not fit");
	in[0] ^= 1;
	expect_bad("bad magic", len, "bad magic");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 20, 16);
	expect_bad("version 16", len, "version 16");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 24, 18);
	expect_bad("last_comp 18", len, "last compatible version");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 4, FDT_MAX_SIZE + 1);
	expect_bad("totalsize over the limit", len, "over the");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 4, 20);
	expect_bad("totalsize under the header", len, "does not fit");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 8, be32(in + 8) + 2);
	expect_bad("misaligned structure block", len, "bad structure block");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 36, be32(in + 36) + 0x1000);
	expect_bad("structure block past the end", len, "bad structure block");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 8, 0xfffffffc);
	expect_bad("structure offset huge", len, "bad structure block");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 12, (uint32_t)len + 1);
	expect_bad("strings offset past the end", len, "bad strings block");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 32, 0xffffffff);
	expect_bad("strings size huge", len, "bad strings block");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 16, 44);
	expect_bad("misaligned reservation map", len, "memory reservation block offset");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 16, 8);
	expect_bad("reservation map in the header", len, "memory reservation block offset");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 12, be32(in + 16)); /* strings over the reservations */
	expect_bad("overlapping blocks", len, "overlapping");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 12, be32(in + 8));
	expect_bad("strings over structure", len, "overlapping");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 16, (uint32_t)((len - 8) & ~(size_t)7)); /* no (0, 0) before the end */
	memset(in + ((len - 8) & ~(size_t)7), 0xff, 8);
	expect_bad("reservations without a terminator", len, "reservation block runs past");
	len = load(DTB_CHOSEN_FULL);
	set32(in + 36, be32(in + 36) - 4); /* FDT_END cut off */
	expect_bad("no FDT_END", len, "without FDT_END");

	/* FDT_MAX_RSV + 1 reservations. */
	struct blob st = { .n = 0 };
	w32(&st, T_BEGIN);
	wstr(&st, "", 1);
	w32(&st, T_END_NODE);
	w32(&st, T_END);
	size_t nr = FDT_MAX_RSV + 1, off_rsv = 40, off_struct = off_rsv + 16 * (nr + 1);
	memset(in, 0, sizeof(in));
	len = off_struct + st.n;
	set32(in, 0xd00dfeed);
	set32(in + 4, (uint32_t)len);
	set32(in + 8, (uint32_t)off_struct);
	set32(in + 12, (uint32_t)len);
	set32(in + 16, (uint32_t)off_rsv);
	set32(in + 20, 17);
	set32(in + 24, 16);
	set32(in + 36, (uint32_t)st.n);
	for (size_t i = 0; i < nr; i++)
		set32(in + off_rsv + 16 * i + 12, 0x1000);
	memcpy(in + off_struct, st.b, st.n);
	expect_bad("too many reservations", len, "more than");
}

static void test_structure(void)
{
	struct blob s;
	size_t len;
	char name[400];
	struct errbuf e = { 0 };

#define BEGIN(nm) do { w32(&s, T_BEGIN); wstr(&s, nm, 1); } while (0)
#define PROP(len_, off) do { w32(&s, T_PROP); w32(&s, len_); w32(&s, off); } while (0)
#define RESET() (s.n = 0)

	/* A minimal valid tree: root with one property, NOPs about. */
	RESET(); w32(&s, T_NOP); BEGIN(""); PROP(4, 11); w32(&s, 0x41424300); w32(&s, T_NOP);
	BEGIN("chosen"); w32(&s, T_END_NODE); w32(&s, T_END_NODE); w32(&s, T_NOP); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	CHECKF(fdt_check(in, len, &e) == 0, "minimal: %s", e.msg);

	RESET(); w32(&s, T_BEGIN); memcpy(s.b + s.n, "abcd", 4); s.n += 4;
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("unterminated node name", len, "unterminated");
	RESET(); BEGIN(""); w32(&s, T_BEGIN);
	memset(name, 'n', sizeof(name) - 1);
	name[FDT_MAX_NAME + 1] = 0;
	wstr(&s, name, 1); w32(&s, T_END_NODE); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("node name too long", len, "over 255 bytes");
	RESET(); BEGIN(""); w32(&s, T_BEGIN);
	name[FDT_MAX_NAME] = 0;
	wstr(&s, name, 1); w32(&s, T_END_NODE); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	CHECKF(fdt_check(in, len, &e) == 0, "255-byte name: %s", e.msg);
	RESET(); BEGIN("root"); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("named root", len, "root node has a name");
	RESET(); BEGIN(""); BEGIN("a/b"); w32(&s, T_END_NODE); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("'/' in a node name", len, "bad node name");
	RESET(); BEGIN(""); BEGIN(""); w32(&s, T_END_NODE); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("empty node name", len, "bad node name");
	RESET(); BEGIN(""); BEGIN("a b"); w32(&s, T_END_NODE); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("space in a node name", len, "bad node name");

	/* Depth: FDT_MAX_DEPTH levels below the root pass, one more does not. */
	for (int extra = 0; extra < 2; extra++) {
		RESET(); BEGIN("");
		for (int i = 0; i < FDT_MAX_DEPTH + extra; i++)
			BEGIN("n");
		for (int i = 0; i < FDT_MAX_DEPTH + extra + 1; i++)
			w32(&s, T_END_NODE);
		w32(&s, T_END);
		len = wrap(&s, STRINGS, sizeof(STRINGS));
		if (!extra)
			CHECKF(fdt_check(in, len, &e) == 0, "depth %d: %s", FDT_MAX_DEPTH, e.msg);
		else
			expect_bad("too deep", len, "deeper than");
	}
	/* A tree that never closes (a loop of BEGIN_NODE). */
	RESET(); BEGIN("");
	while (s.n < 2000)
		BEGIN("n");
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("nodes that never close", len, "deeper than");

	RESET(); BEGIN(""); PROP(100, 0); w32(&s, 0); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("property length overrun", len, "runs past the block");
	RESET(); BEGIN(""); PROP(0xfffffffc, 0); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("property length huge", len, "runs past the block");
	RESET(); BEGIN(""); w32(&s, T_PROP); w32(&s, 0);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("property header cut", len, "runs past the block");
	RESET(); BEGIN(""); PROP(0, sizeof(STRINGS)); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("name offset past the strings", len, "outside the strings block");
	RESET(); BEGIN(""); PROP(0, 11); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, "compatible\0model", 16);
	expect_bad("unterminated property name", len, "unterminated");
	RESET(); BEGIN(""); PROP(0, 10); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("empty property name", len, "bad property name");
	RESET(); PROP(0, 0); BEGIN(""); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("property before the root", len, "outside any node");
	RESET(); BEGIN(""); w32(&s, T_END_NODE); PROP(0, 0); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("property after the root", len, "outside any node");
	RESET(); BEGIN(""); BEGIN("a"); w32(&s, T_END_NODE); PROP(0, 0); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("property after a subnode", len, "after a subnode");
	RESET(); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("END_NODE first", len, "outside any node");
	RESET(); BEGIN(""); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("FDT_END inside the root", len, "before the root node's end");
	RESET(); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("no root", len, "before the root node's end");
	RESET(); BEGIN(""); w32(&s, T_END_NODE); BEGIN(""); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("two roots", len, "second root");
	RESET(); BEGIN(""); w32(&s, 7); w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("unknown token", len, "unknown token 0x7");
	RESET(); BEGIN(""); w32(&s, T_END_NODE);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	expect_bad("FDT_END missing", len, "without FDT_END");

	/* Two /chosen nodes: which one Linux reads is not ours to guess. */
	struct fdt_chosen c = { "x", 0, 0, NULL, NULL, 0 };
	size_t olen;
	RESET(); BEGIN(""); BEGIN("chosen"); w32(&s, T_END_NODE); BEGIN("chosen"); w32(&s, T_END_NODE);
	w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	e.set = 0;
	CHECK(fdt_check(in, len, &e) == 0);
	CHECK(fdt_set_chosen(in, len, &c, out, sizeof(out), &olen, &e) < 0 && strstr(e.msg, "two /chosen"));
	/* A deeper chosen is not /chosen: a new one is added. */
	RESET(); BEGIN(""); BEGIN("a"); BEGIN("chosen"); w32(&s, T_END_NODE); w32(&s, T_END_NODE);
	w32(&s, T_END_NODE); w32(&s, T_END);
	len = wrap(&s, STRINGS, sizeof(STRINGS));
	e.set = 0;
	CHECKF(fdt_set_chosen(in, len, &c, out, sizeof(out), &olen, &e) == 0, "%s", e.msg);
	CHECK(has_str(out, olen, "/chosen", "bootargs", "x"));
	CHECK(absent(out, olen, "/a/chosen", "bootargs"));
}

static void test_find(void)
{
	struct errbuf e = { 0 };
	const uint8_t *v;
	size_t len = load(DTB_CHOSEN_FULL), n;

	CHECK(fdt_find_prop(in, len, "chosen", "bootargs", &v, &n, &e) < 0 && strstr(e.msg, "not absolute"));
	e.set = 0;
	CHECK(fdt_find_prop(in, len, "//chosen", "bootargs", &v, &n, &e) < 0 && strstr(e.msg, "bad path"));
	CHECK(fdt_find_prop(in, len, "/nochosen", "bootargs", &v, &n, &e) == 0);
	CHECK(fdt_find_prop(in, len, "/chosen", "nothing", &v, &n, &e) == 0);
	CHECK(fdt_find_prop(in, len, "/soc/bus/dev/x", "bootargs", &v, &n, &e) == 0);
	CHECK(fdt_find_prop(in, len, "/bus/dev", "bootargs", &v, &n, &e) == 0);
	CHECK(fdt_find_prop(in, len, "/memory", "reg", &v, &n, &e) == 0);
	CHECK(fdt_find_prop(in, len, "/memory@40000000", "reg", &v, &n, &e) == 1 && n == 16);
}

/* The rewrite as a command (tests/suites/45-fdt.sh). */
static int rewrite_cmd(int argc, char **argv)
{
	uint8_t *buf = NULL, *o = NULL, seed[8 + FDT_RNG_SEED_MAX];
	struct fdt_chosen c = { argv[3], 0, 0, NULL, NULL, 0 };
	struct errbuf e = { 0 };
	size_t len, olen, cap;
	int r = 1;

	if (argc > 5) {
		c.initrd_start = strtoull(argv[4], NULL, 0);
		c.initrd_end = strtoull(argv[5], NULL, 0);
	}
	if (argc > 6) {
		size_t n = unhex(argv[6], seed, sizeof(seed));

		if (n > 8) {
			c.kaslr_seed = seed;
			c.rng_seed = seed + 8;
			c.rng_seed_len = n - 8;
		}
	}
	if (read_file(argv[1], FDT_MAX_SIZE, 0, &buf, &len, &e) < 0)
		goto out;
	cap = fdt_set_chosen_bound(len, &c);
	o = malloc(cap);
	if (!o || fdt_set_chosen(buf, len, &c, o, cap, &olen, &e) < 0 ||
	    atomic_write_file(argv[2], o, olen, 0644, &e) < 0)
		goto out;
	r = 0;
out:
	if (r)
		fprintf(stderr, "test_fdt: %s: %s\n", argv[1], e.msg);
	free(buf);
	free(o);
	return r;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (argc < 4 || argc == 5) {
			fprintf(stderr, "usage: test_fdt IN OUT BOOTARGS [INITRD_START INITRD_END [SEEDHEX]]\n");
			return 2;
		}
		return rewrite_cmd(argc, argv);
	}
	test_full();
	test_create_chosen(DTB_NO_CHOSEN, "no /chosen");
	test_create_chosen(DTB_CHOSEN_EMPTY, "empty /chosen");
	test_limits();
	test_header_mutations();
	test_structure();
	test_find();
	TEST_END();
}
