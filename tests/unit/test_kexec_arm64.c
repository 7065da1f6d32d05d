/*
 * kexec_arm64.c: Image headers (Debian's arm64 kernel's own, and broken
 * ones), /proc/iomem (as an arm64 Linux 6.1 guest on QEMU virt printed
 * it, and broken), the segment plan, the purgatory's bytes, and a whole
 * preparation with a dtc-compiled tree.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fdt.h"
#include "fdt_fixture.h"
#include "kexec_arm64.h"
#include "test.h"

/* The first 64 bytes of linux-image-6.1.0-56-arm64's vmlinuz (an
 * uncompressed, signed Image: PE "MZ", text_offset 0, image_size
 * 0x2010000, flags 0xa = 4K pages, placement anywhere). */
#define DEBIAN_HDR "4d5a40fa56a35914000000000000000000000102000000000a00000000000000" \
	"00000000000000000000000000000000000000000000000041524d6440000000"

/* /proc/iomem of that kernel on qemu-system-aarch64 -M virt -m 1G, with a
 * 14 MiB initramfs loaded by QEMU (the reserved range at 0x48000000). */
static const char IOMEM_QEMU_VIRT[] =
	"09000000-09000fff : pl011@9000000\n"
	"  09000000-09000fff : 9000000.pl011 pl011@9000000\n"
	"09010000-09010fff : pl031@9010000\n"
	"  09010000-09010fff : rtc-pl031\n"
	"09030000-09030fff : pl061@9030000\n"
	"  09030000-09030fff : 9030000.pl061 pl061@9030000\n"
	"10000000-3efeffff : pcie@10000000\n"
	"  10000000-1003ffff : 0000:00:01.0\n"
	"  10040000-10040fff : 0000:00:01.0\n"
	"40000000-7fffffff : System RAM\n"
	"  40210000-4185ffff : Kernel code\n"
	"  41860000-41eaffff : reserved\n"
	"  41eb0000-4220ffff : Kernel data\n"
	"  48000000-48da5fff : reserved\n"
	"  48e00000-48efffff : reserved\n"
	"  7ac00000-7fbfffff : reserved\n"
	"  7fc2b000-7fdabfff : reserved\n"
	"  7fdac000-7fdcafff : reserved\n"
	"  7fdcd000-7fdcffff : reserved\n"
	"  7fdd0000-7fdf3fff : reserved\n"
	"  7fdf4000-7fdfcfff : reserved\n"
	"  7fdfd000-7fffffff : reserved\n"
	"4010000000-401fffffff : PCI ECAM\n"
	"8000000000-ffffffffff : pcie@10000000\n"
	"  8000000000-8000003fff : 0000:00:01.0\n";

static uint8_t img[4096];

static void put64le(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header: Debian's, with text_offset, image_size, flags replaced. */
static void hdr(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(img, 0, sizeof(img));
	unhex(DEBIAN_HDR, img, 64);
	put64le(img + 0x08, text_offset);
	put64le(img + 0x10, image_size);
	put64le(img + 0x18, flags);
}

static void test_image(void)
{
	struct arm64_image h;
	struct errbuf e = { 0 };
	static const struct {
		const char *name;
		uint64_t text_offset, image_size, flags;
		size_t len;
		const char *err;
	} rows[] = {
		{ "old kernel, text_offset 0x80000", 0x80000, 0x1000000, 0x2, 4096, NULL },
		{ "image_size 0 (before 3.17)", 0, 0, 0xa, 4096, "without image_size" },
		{ "big-endian", 0, 0x2010000, 0xb, 4096, "big-endian" },
		{ "image_size under the file", 0, 4095, 0xa, 4096, "smaller than the file" },
		{ "image_size = file", 0, 4096, 0xa, 4096, NULL },
		{ "image_size over the limit", 0, ARM64_IMAGE_SIZE_MAX + 1, 0xa, 4096, "over the" },
		{ "image_size at the limit", 0, ARM64_IMAGE_SIZE_MAX, 0xa, 4096, NULL },
		{ "text_offset 2 MiB", 2u << 20, 0x2010000, 0xa, 4096, "not below 2 MiB" },
		{ "text_offset huge", UINT64_MAX, 0x2010000, 0xa, 4096, "not below 2 MiB" },
		{ "63 bytes", 0, 0x2010000, 0xa, 63, "too short" },
	};

	/* Debian's own header. */
	unhex(DEBIAN_HDR, img, 64);
	CHECKF(arm64_image_parse(img, 4096, &h, &e) == 0, "%s", e.msg);
	CHECK(h.text_offset == 0 && h.image_size == 0x2010000 && h.flags == 0xa);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		hdr(rows[i].text_offset, rows[i].image_size, rows[i].flags);
		e.set = 0;
		int r = arm64_image_parse(img, rows[i].len, &h, &e);
		if (rows[i].err)
			CHECKF(r < 0 && strstr(e.msg, rows[i].err), "%s: got `%s'", rows[i].name, e.msg);
		else
			CHECKF(r == 0 && h.image_size == rows[i].image_size && h.text_offset == rows[i].text_offset,
			       "%s: %s", rows[i].name, e.msg);
	}
	hdr(0, 0x2010000, 0xa);
	img[0x3b] = 0x65;
	e.set = 0;
	CHECK(arm64_image_parse(img, 4096, &h, &e) < 0 && strstr(e.msg, "not an arm64 Image"));
	/* Image.gz (gzip's magic and method) and EFI zboot ("MZ", "zimg"). */
	memcpy(img, "\x1f\x8b\x08\x00", 4);
	e.set = 0;
	CHECK(arm64_image_parse(img, 4096, &h, &e) < 0 && strstr(e.msg, "gzip-compressed"));
	e.set = 0;
	CHECK(arm64_image_parse(img, 2, &h, &e) < 0 && strstr(e.msg, "gzip-compressed"));
	memcpy(img, "MZ\0\0zimg", 8);
	e.set = 0;
	CHECK(arm64_image_parse(img, 4096, &h, &e) < 0 && strstr(e.msg, "EFI zboot"));
}

static int range_is(const struct ram_map *m, size_t i, uint64_t start, uint64_t last)
{
	return i < m->n && m->r[i].start == start && m->r[i].last == last;
}

static void test_iomem(void)
{
	static struct ram_map m;
	static char big[IOMEM_TEXT_MAX + 2];
	struct errbuf e = { 0 };

	CHECKF(iomem_parse_ram(IOMEM_QEMU_VIRT, strlen(IOMEM_QEMU_VIRT), &m, &e) == 0, "%s", e.msg);
	/* System RAM minus "reserved"; Kernel code/data stay usable. */
	CHECK(m.n == 6);
	CHECK(range_is(&m, 0, 0x40000000, 0x4185ffff));
	CHECK(range_is(&m, 1, 0x41eb0000, 0x47ffffff));
	CHECK(range_is(&m, 2, 0x48da6000, 0x48dfffff));
	CHECK(range_is(&m, 3, 0x48f00000, 0x7abfffff));
	CHECK(range_is(&m, 4, 0x7fc00000, 0x7fc2afff));
	CHECK(range_is(&m, 5, 0x7fdcb000, 0x7fdccfff));

	static const struct {
		const char *name, *text, *err;
		size_t n;
		uint64_t start0, last0;
	} rows[] = {
		{ "no final newline", "40000000-4fffffff : System RAM", NULL, 1, 0x40000000, 0x4fffffff },
		{ "two banks, out of order", "80000000-8fffffff : System RAM\n40000000-4fffffff : System RAM\n",
		  NULL, 2, 0x40000000, 0x4fffffff },
		{ "64-bit addresses", "8000000000-80ffffffff : System RAM\n", NULL, 1, 0x8000000000, 0x80ffffffff },
		{ "top of the address space", "fffffffffff00000-ffffffffffffffff : System RAM\n", NULL, 1,
		  0xfffffffffff00000, UINT64_MAX },
		{ "unknown nested range is cut out", "40000000-4fffffff : System RAM\n  40000000-400fffff : Crash kernel\n",
		  NULL, 1, 0x40100000, 0x4fffffff },
		{ "nested deeper, end of range", "40000000-4fffffff : System RAM\n  4ff00000-4fffffff : reserved\n"
		  "    4ff00000-4ff0ffff : x\n", NULL, 1, 0x40000000, 0x4fefffff },
		{ "whole range reserved", "40000000-4fffffff : System RAM\n  40000000-4fffffff : reserved\n"
		  "50000000-5fffffff : System RAM\n", NULL, 1, 0x50000000, 0x5fffffff },
		{ "nested under another parent", "10000000-1fffffff : pcie\n  10000000-1000ffff : reserved\n"
		  "40000000-4fffffff : System RAM\n", NULL, 1, 0x40000000, 0x4fffffff },
		{ "not root: addresses hidden", "00000000-00000000 : System RAM\n", "needs root", 0, 0, 0 },
		{ "no RAM", "09000000-09000fff : pl011@9000000\n", "no usable System RAM", 0, 0, 0 },
		{ "empty", "", "no usable System RAM", 0, 0, 0 },
		{ "all reserved", "40000000-4fffffff : System RAM\n  40000000-4fffffff : reserved\n",
		  "no usable System RAM", 0, 0, 0 },
		{ "end before start", "50000000-40000000 : System RAM\n", "ends before it starts", 0, 0, 0 },
		{ "17 hex digits", "10000000000000000-10000000000000001 : System RAM\n", "not `START-END", 0, 0, 0 },
		{ "no dash", "40000000 4fffffff : System RAM\n", "not `START-END", 0, 0, 0 },
		{ "no name", "40000000-4fffffff : \n", "not `START-END", 0, 0, 0 },
		{ "no separator", "40000000-4fffffff System RAM\n", "not `START-END", 0, 0, 0 },
		{ "upper-case hex", "4000000A-4fffffff : System RAM\n", "not `START-END", 0, 0, 0 },
		{ "blank line", "40000000-4fffffff : System RAM\n\n", "line 2", 0, 0, 0 },
		{ "tabs", "\t40000000-4fffffff : System RAM\n", "not `START-END", 0, 0, 0 },
		{ "overlapping banks", "40000000-4fffffff : System RAM\n48000000-5fffffff : System RAM\n",
		  "overlapping", 0, 0, 0 },
		{ "System RAM is exact", "40000000-4fffffff : System RAMx\n", "no usable System RAM", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		e.set = 0;
		int r = iomem_parse_ram(rows[i].text, strlen(rows[i].text), &m, &e);
		if (rows[i].err)
			CHECKF(r < 0 && strstr(e.msg, rows[i].err), "%s: got `%s'", rows[i].name, e.msg);
		else
			CHECKF(r == 0 && m.n == rows[i].n && range_is(&m, 0, rows[i].start0, rows[i].last0),
			       "%s: %s (n %zu)", rows[i].name, e.msg, m.n);
	}

	/* Limits: line length, total size, number of ranges. */
	for (int extra = 0; extra < 2; extra++) {
		static const char ram[] = "40000000-4fffffff : System RAM\n", kc[] = "40000000-4000ffff : Kernel code\n";
		size_t n = strlen(ram), pad = IOMEM_LINE_MAX - (strlen(kc) - 1) + (size_t)extra;

		memcpy(big, ram, n);
		memset(big + n, ' ', pad);
		strcpy(big + n + pad, kc);
		e.set = 0;
		int r = iomem_parse_ram(big, strlen(big), &m, &e);
		if (!extra)
			CHECKF(r == 0 && range_is(&m, 0, 0x40000000, 0x4fffffff), "%s", e.msg);
		else
			CHECK(r < 0 && strstr(e.msg, "line 2 is over 256 bytes"));
	}
	e.set = 0;
	CHECK(iomem_parse_ram(big, IOMEM_TEXT_MAX + 1, &m, &e) < 0 && strstr(e.msg, "over"));
	/* One bank cut into IOMEM_MAX_RANGES pieces, then one more. */
	for (int extra = 0; extra < 2; extra++) {
		size_t n = (size_t)sprintf(big, "100000000-1ffffffff : System RAM\n");

		for (int i = 1; i < IOMEM_MAX_RANGES + extra; i++)
			n += (size_t)sprintf(big + n, "  %llx-%llx : reserved\n", 0x100000000ull + 0x10000ull * (unsigned)i,
					     0x100000fffull + 0x10000ull * (unsigned)i);
		e.set = 0;
		int r = iomem_parse_ram(big, n, &m, &e);
		if (!extra)
			CHECKF(r == 0 && m.n == IOMEM_MAX_RANGES, "%s (n %zu)", e.msg, m.n);
		else
			CHECK(r < 0 && strstr(e.msg, "more than"));
	}
}

static void test_plan(void)
{
	static struct ram_map m;
	struct arm64_image h = { 0, 0x2010000, 0xa };
	struct arm64_plan p;
	struct errbuf e = { 0 };

	CHECK(iomem_parse_ram(IOMEM_QEMU_VIRT, strlen(IOMEM_QEMU_VIRT), &m, &e) == 0);
	/* Debian's kernel (32956352 bytes), a 1039827-byte initrd, a tree of
	 * at most 9000 bytes: the first range is too small, the second
	 * starts at 0x41eb0000, so the kernel goes to 0x42000000. */
	CHECKF(arm64_plan_segments(&m, &h, 32956352, 1039827, 9000, 4096, &p, &e) == 0, "%s", e.msg);
	CHECK(p.kernel == 0x42000000 && p.kernel_mem == 0x2010000);
	CHECK(p.initrd == 0x44010000 && p.initrd_mem == 0xfe000);
	CHECK(p.dtb == 0x4410e000 && p.dtb_mem == 0x3000);
	CHECK(p.purgatory == 0x44111000 && p.purgatory_mem == 0x1000);
	CHECK(p.purgatory + p.purgatory_mem - 1 <= 0x47ffffff);
	/* 64 KiB pages. */
	CHECKF(arm64_plan_segments(&m, &h, 32956352, 1039827, 9000, 65536, &p, &e) == 0, "%s", e.msg);
	CHECK(p.kernel == 0x42000000 && p.initrd == 0x44010000 && p.initrd_mem == 0x100000);
	CHECK(p.dtb == 0x44110000 && p.dtb_mem == 0x10000 && p.purgatory == 0x44120000);
	/* No initrd. */
	CHECKF(arm64_plan_segments(&m, &h, 4096, 0, 9000, 4096, &p, &e) == 0, "%s", e.msg);
	CHECK(p.initrd == 0 && p.initrd_mem == 0 && p.dtb == 0x44010000);
	/* An old kernel: text_offset 0x80000. */
	struct arm64_image old = { 0x80000, 0x1000000, 0x2 };
	CHECKF(arm64_plan_segments(&m, &old, 4096, 4096, 4096, 4096, &p, &e) == 0, "%s", e.msg);
	CHECK(p.kernel == 0x40080000);
	/* A 100 MiB initrd does not fit below 0x48000000: the next range. */
	CHECKF(arm64_plan_segments(&m, &h, 4096, 100u << 20, 9000, 4096, &p, &e) == 0, "%s", e.msg);
	CHECK(p.kernel == 0x49000000 && p.initrd == 0x4b010000);
	/* Too much for any range. */
	static const char small[] = "40000000-47ffffff : System RAM\n";
	CHECK(iomem_parse_ram(small, strlen(small), &m, &e) == 0);
	CHECKF(arm64_plan_segments(&m, &h, 4096, 64u << 20, 9000, 4096, &p, &e) == 0, "%s", e.msg);
	e.set = 0;
	CHECK(arm64_plan_segments(&m, &h, 4096, KEXEC_INITRD_MAX, 9000, 4096, &p, &e) < 0 &&
	      strstr(e.msg, "no RAM range holds"));
	e.set = 0;
	CHECK(arm64_plan_segments(&m, &h, 4096, KEXEC_INITRD_MAX + 1, 9000, 4096, &p, &e) < 0 &&
	      strstr(e.msg, "out of bounds"));
	e.set = 0;
	CHECK(arm64_plan_segments(&m, &h, 4096, 0, 9000, 3000, &p, &e) < 0 && strstr(e.msg, "page size"));
	e.set = 0;
	CHECK(arm64_plan_segments(&m, &old, 4096, 0, 9000, 65536, &p, &e) == 0);
	struct arm64_image odd = { 0x81000, 0x1000000, 0x2 };
	CHECK(arm64_plan_segments(&m, &odd, 4096, 0, 9000, 65536, &p, &e) < 0 && strstr(e.msg, "not a multiple"));
	/* A range at the very top of the address space: no wrap-around. */
	static const char top[] = "ffffffffffe00000-ffffffffffffffff : System RAM\n";
	CHECK(iomem_parse_ram(top, strlen(top), &m, &e) == 0);
	e.set = 0;
	CHECK(arm64_plan_segments(&m, &h, 4096, 0, 9000, 4096, &p, &e) < 0 && strstr(e.msg, "no RAM range"));
	/* The 32 GiB window: kernel and initrd in one range, but far apart cannot happen;
	 * a range just big enough fits exactly. */
	static char exact[128];
	snprintf(exact, sizeof(exact), "40000000-%llx : System RAM\n",
		 0x40000000ull + 0x2010000 + 0x1000 + 0x3000 + 0x1000 - 1);
	CHECK(iomem_parse_ram(exact, strlen(exact), &m, &e) == 0);
	CHECKF(arm64_plan_segments(&m, &h, 4096, 4096, 9000, 4096, &p, &e) == 0, "%s", e.msg);
	snprintf(exact, sizeof(exact), "40000000-%llx : System RAM\n",
		 0x40000000ull + 0x2010000 + 0x1000 + 0x3000 + 0x1000 - 2);
	CHECK(iomem_parse_ram(exact, strlen(exact), &m, &e) == 0);
	CHECK(arm64_plan_segments(&m, &h, 4096, 4096, 9000, 4096, &p, &e) < 0);
}

static void test_purgatory(void)
{
	uint8_t b[ARM64_PURGATORY_SIZE], want[ARM64_PURGATORY_SIZE];

	/* aarch64-linux-gnu-as + objdump -d of the listing in kexec_arm64.c,
	 * literals 0x1122334455667788 and 0x99aabbccddeeff00. */
	unhex("c0000058e4000058e1031faae2031faae3031faa80001fd6"
	      "887766554433221100ffeeddccbbaa99", want, sizeof(want));
	arm64_purgatory(b, 0x1122334455667788ull, 0x99aabbccddeeff00ull);
	CHECK(!memcmp(b, want, sizeof(b)));
}

static void test_prepare(void)
{
	static uint8_t fdt[4096], initrd[5000], seed[8 + ARM64_RNG_SEED];
	struct arm64_kexec k;
	struct arm64_kexec_in in = { 0 };
	struct errbuf e = { 0 };
	const uint8_t *v;
	size_t n;

	unhex(DEBIAN_HDR, img, 64);
	in.kernel = img;
	in.kernel_len = sizeof(img);
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.cmdline = "console=ttyAMA0 sztp.slot=a";
	in.fdt = fdt;
	in.fdt_len = unhex(DTB_CHOSEN_FULL, fdt, sizeof(fdt));
	in.iomem = IOMEM_QEMU_VIRT;
	in.iomem_len = strlen(IOMEM_QEMU_VIRT);
	in.page = 4096;
	in.seed = seed;
	memset(seed, 0x5a, sizeof(seed));
	CHECKF(arm64_kexec_prepare(&k, &in, &e) == 0, "%s", e.msg);
	CHECK(k.nseg == 4);
	CHECK(k.seg[0].buf == img && k.seg[0].bufsz == sizeof(img) && (uintptr_t)k.seg[0].mem == 0x42000000 &&
	      k.seg[0].memsz == 0x2010000);
	CHECK(k.seg[1].buf == initrd && k.seg[1].bufsz == sizeof(initrd) && (uintptr_t)k.seg[1].mem == 0x44010000 &&
	      k.seg[1].memsz == 0x2000);
	CHECK(k.seg[2].buf == k.dtb && k.seg[2].bufsz == k.dtb_len && (uintptr_t)k.seg[2].mem == 0x44012000);
	CHECK(k.seg[3].buf == k.purgatory && k.seg[3].bufsz == ARM64_PURGATORY_SIZE &&
	      (uintptr_t)k.seg[3].mem == k.entry && k.seg[3].memsz == 4096);
	CHECK(k.entry == (uintptr_t)k.seg[2].mem + k.seg[2].memsz);
	for (size_t i = 0; i < k.nseg; i++) {
		CHECK((uintptr_t)k.seg[i].mem % 4096 == 0 && k.seg[i].memsz % 4096 == 0);
		CHECK(k.seg[i].bufsz <= k.seg[i].memsz);
		if (i)
			CHECK((uintptr_t)k.seg[i - 1].mem + k.seg[i - 1].memsz <= (uintptr_t)k.seg[i].mem);
	}
	/* The tree says where the initrd is; the purgatory where the tree is. */
	CHECK(fdt_check(k.dtb, k.dtb_len, &e) == 0);
	CHECK(fdt_find_prop(k.dtb, k.dtb_len, "/chosen", "linux,initrd-start", &v, &n, &e) == 1 && n == 8 &&
	      !memcmp(v, "\0\0\0\0\x44\x01\0\0", 8));
	CHECK(fdt_find_prop(k.dtb, k.dtb_len, "/chosen", "linux,initrd-end", &v, &n, &e) == 1 && n == 8 &&
	      !memcmp(v, "\0\0\0\0\x44\x01\x13\x88", 8));
	CHECK(fdt_find_prop(k.dtb, k.dtb_len, "/chosen", "bootargs", &v, &n, &e) == 1 &&
	      !strcmp((const char *)v, "console=ttyAMA0 sztp.slot=a"));
	CHECK(fdt_find_prop(k.dtb, k.dtb_len, "/chosen", "kaslr-seed", &v, &n, &e) == 1 && n == 8);
	CHECK(fdt_find_prop(k.dtb, k.dtb_len, "/chosen", "rng-seed", &v, &n, &e) == 1 && n == ARM64_RNG_SEED);
	CHECK(!memcmp(k.purgatory + 24, "\0\x20\x01\x44\0\0\0\0", 8));
	CHECK(!memcmp(k.purgatory + 32, "\0\0\0\x42\0\0\0\0", 8));
	arm64_kexec_free(&k);

	/* Without seeds: none in the tree. */
	in.seed = NULL;
	CHECKF(arm64_kexec_prepare(&k, &in, &e) == 0, "%s", e.msg);
	CHECK(fdt_find_prop(k.dtb, k.dtb_len, "/chosen", "kaslr-seed", &v, &n, &e) == 0);
	arm64_kexec_free(&k);

	/* Each input refused on its own. */
	in.kernel_len = 63;
	e.set = 0;
	CHECK(arm64_kexec_prepare(&k, &in, &e) < 0 && strstr(e.msg, "too short"));
	in.kernel_len = KEXEC_KERNEL_MAX + 1;
	e.set = 0;
	CHECK(arm64_kexec_prepare(&k, &in, &e) < 0 && strstr(e.msg, "kernel: over the"));
	in.kernel_len = sizeof(img);
	in.initrd_len = KEXEC_INITRD_MAX + 1;
	e.set = 0;
	CHECK(arm64_kexec_prepare(&k, &in, &e) < 0 && strstr(e.msg, "initrd: over the"));
	in.initrd_len = sizeof(initrd);
	fdt[0] = 0;
	e.set = 0;
	CHECK(arm64_kexec_prepare(&k, &in, &e) < 0 && strstr(e.msg, "fdt: bad magic"));
	fdt[0] = 0xd0;
	in.iomem = "00000000-00000000 : System RAM\n";
	in.iomem_len = strlen(in.iomem);
	e.set = 0;
	CHECK(arm64_kexec_prepare(&k, &in, &e) < 0 && strstr(e.msg, "needs root"));
	in.iomem = IOMEM_QEMU_VIRT;
	in.iomem_len = strlen(IOMEM_QEMU_VIRT);
	static char longcmd[FDT_BOOTARGS_MAX + 1];
	memset(longcmd, 'c', FDT_BOOTARGS_MAX);
	in.cmdline = longcmd;
	e.set = 0;
	CHECK(arm64_kexec_prepare(&k, &in, &e) < 0 && strstr(e.msg, "bootargs over"));
	CHECK(k.dtb == NULL);
}

int main(void)
{
	test_image();
	test_iomem();
	test_plan();
	test_purgatory();
	test_prepare();
	TEST_END();
}
