/*
 * libFuzzer: fdt_check(), fdt_find_prop() and fdt_set_chosen() on arbitrary
 * bytes. A blob fdt_check() refuses is refused by the rewrite too; a
 * rewrite that succeeds fits its bound, passes fdt_check(), says in /chosen
 * exactly what it was given, and rewriting it again gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static uint8_t out[FDT_MAX_SIZE + 8192], again[FDT_MAX_SIZE + 8192];

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* A reservation of exactly [start, end) in a checked blob. */
static int reserves(const uint8_t *f, uint64_t start, uint64_t end)
{
	const uint8_t *r = f + ((size_t)f[16] << 24 | (size_t)f[17] << 16 | (size_t)f[18] << 8 | f[19]);

	for (; be64(r) || be64(r + 8); r += 16)
		if (end > start && be64(r) == start && be64(r + 8) == end - start)
			return 1;
	return 0;
}

static int has(const uint8_t *f, size_t len, const char *name, const void *want, size_t wlen)
{
	const uint8_t *v;
	size_t n;
	struct errbuf e = { 0 };
	int r = fdt_find_prop(f, len, "/chosen", name, &v, &n, &e);

	CHECK(r >= 0);
	if (!want)
		return r == 0;
	return r == 1 && n == wlen && !memcmp(v, want, wlen);
}

static void rewrite(const uint8_t *data, size_t size, const struct fdt_chosen *c, int valid)
{
	struct errbuf e = { 0 };
	size_t bound = fdt_set_chosen_bound(size, c), olen = 0, alen = 0;
	uint8_t b[8];

	if (bound > sizeof(out))
		return;
	if (fdt_set_chosen(data, size, c, out, bound, &olen, &e) < 0) {
		CHECK(e.set);
		/* Only a valid tree with two /chosen nodes fails here. */
		CHECK(!valid || strstr(e.msg, "two /chosen") || strstr(e.msg, "over the"));
		return;
	}
	CHECK(valid && olen <= bound);
	CHECK(fdt_check(out, olen, &e) == 0);
	CHECK(has(out, olen, "bootargs", c->bootargs, c->bootargs ? strlen(c->bootargs) + 1 : 0));
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(c->initrd_start >> (56 - 8 * i));
	CHECK(has(out, olen, "linux,initrd-start", c->initrd_end ? b : NULL, 8));
	CHECK(has(out, olen, "kaslr-seed", c->kaslr_seed, 8));
	CHECK(has(out, olen, "rng-seed", c->rng_seed, c->rng_seed_len));
	CHECK(has(out, olen, "linux,elfcorehdr", NULL, 0));
	if (c->initrd_end) {
		const uint8_t *v;
		size_t n;

		CHECK(fdt_find_prop(out, olen, "/chosen", "linux,initrd-end", &v, &n, &e) == 1);
		CHECK(n == 8 && be64(v) == c->initrd_end);
	}
	CHECK(fdt_set_chosen(out, olen, c, again, sizeof(again), &alen, &e) == 0);
	/* (Unless a reservation is exactly the new initrd: the second pass
	 * takes it for the previous initrd's and drops it.) */
	CHECK((alen == olen && !memcmp(again, out, olen)) || reserves(out, c->initrd_start, c->initrd_end));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t seed[8 + 32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const char *paths[] = { "/", "/chosen", "/memory@40000000", "/a/b/c" };
	struct fdt_chosen full = { "console=ttyAMA0 root=/dev/vda2 sztp.slot=b", 0x44010000, 0x44123457,
				   seed, seed + 8, 32 };
	struct fdt_chosen bare = { NULL, 0, 0, NULL, NULL, 0 };
	struct errbuf e = { 0 };
	int valid = fdt_check(data, size, &e) == 0;

	CHECK(valid || e.set);
	for (size_t i = 0; valid && i < sizeof(paths) / sizeof(paths[0]); i++) {
		const uint8_t *v;
		size_t n;
		int r = fdt_find_prop(data, size, paths[i], "reg", &v, &n, &e);

		CHECK(r == 0 || r == 1);
		if (r == 1)
			CHECK(v >= data && n <= size && v + n <= data + size);
	}
	rewrite(data, size, &full, valid);
	rewrite(data, size, &bare, valid);
	return 0;
}
