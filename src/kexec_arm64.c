/* See kexec_arm64.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdt.h"
#include "kexec_arm64.h"
#include "readfile.h"

/*
 * <linux/kexec.h> (UAPI), which musl does not ship: kexec_load's flags
 * carry the architecture in bits 16-31 as its ELF machine number
 * (KEXEC_ARCH_ARM64 = EM_AARCH64 << 16, EM_AARCH64 = 183), and at most
 * KEXEC_SEGMENT_MAX segments are accepted.
 */
#define KEXEC_ARCH_AARCH64 (183ul << 16)
#define KEXEC_SEGMENT_MAX  16

#define SZ_2M (2ull << 20)
#define SZ_1G (1ull << 30)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* booting.rst: code0, code1, text_offset, image_size, flags, res2-4,
 * magic "ARM\x64" at 0x38, res5; little-endian. */
int arm64_image_parse(const uint8_t *img, size_t len, struct arm64_image *h, struct errbuf *e)
{
	if (len >= 2 && img[0] == 0x1f && img[1] == 0x8b)
		return errf(e, "kernel: gzip-compressed (Image.gz); kexec_load needs the uncompressed Image");
	if (len >= 8 && img[0] == 'M' && img[1] == 'Z' && !memcmp(img + 4, "zimg", 4))
		return errf(e, "kernel: EFI zboot compressed; kexec_load needs the uncompressed Image");
	if (len < 64)
		return errf(e, "kernel: %zu bytes is too short for an arm64 Image", len);
	if (memcmp(img + 0x38, "ARM\x64", 4))
		return errf(e, "kernel: not an arm64 Image (no ARM\\x64 magic at 0x38)");
	h->text_offset = le64(img + 0x08);
	h->image_size = le64(img + 0x10);
	h->flags = le64(img + 0x18);
	if (h->flags & ARM64_IMAGE_FLAG_BE)
		return errf(e, "kernel: a big-endian Image");
	if (h->image_size == 0)
		return errf(e, "kernel: Image header without image_size (Linux before 3.17)");
	if (h->image_size > ARM64_IMAGE_SIZE_MAX)
		return errf(e, "kernel: image_size %llu is over the %llu-byte limit",
			    (unsigned long long)h->image_size, ARM64_IMAGE_SIZE_MAX);
	if (h->image_size < len)
		return errf(e, "kernel: image_size %llu is smaller than the file (%zu bytes)",
			    (unsigned long long)h->image_size, len);
	if (h->text_offset >= SZ_2M)
		return errf(e, "kernel: text_offset 0x%llx is not below 2 MiB",
			    (unsigned long long)h->text_offset);
	return 0;
}

static int hexnum(const char **p, const char *end, uint64_t *v)
{
	int n = 0;

	*v = 0;
	for (; *p < end; (*p)++, n++) {
		char c = **p;
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			break;
		if (n == 16)
			return -1;
		*v = *v << 4 | d;
	}
	return n ? 0 : -1;
}

/* Take [a, b] out of every range. */
static int cut(struct ram_map *m, uint64_t a, uint64_t b, struct errbuf *e)
{
	size_t i = 0;

	while (i < m->n) {
		struct ram_range *r = &m->r[i];

		if (b < r->start || a > r->last) {
			i++;
		} else if (a <= r->start && b >= r->last) {
			memmove(r, r + 1, (m->n - i - 1) * sizeof(*r));
			m->n--;
		} else if (a > r->start && b < r->last) {
			if (m->n == IOMEM_MAX_RANGES)
				return errf(e, "iomem: more than %d RAM ranges", IOMEM_MAX_RANGES);
			memmove(r + 2, r + 1, (m->n - i - 1) * sizeof(*r));
			r[1].start = b + 1;
			r[1].last = r->last;
			r->last = a - 1;
			m->n++;
			i += 2;
		} else {
			if (a <= r->start)
				r->start = b + 1;
			else
				r->last = a - 1;
			i++;
		}
	}
	return 0;
}

static int is_name(const char *s, size_t n, const char *name)
{
	return n == strlen(name) && !memcmp(s, name, n);
}

/* Lines: indentation (two spaces a level), "START-END : NAME", hex. */
int iomem_parse_ram(const char *text, size_t len, struct ram_map *m, struct errbuf *e)
{
	const char *p = text, *end = text + len;
	size_t line = 0;
	int in_ram = 0;

	m->n = 0;
	if (len > IOMEM_TEXT_MAX)
		return errf(e, "iomem: over %u bytes", IOMEM_TEXT_MAX);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *name;
		uint64_t a, b;
		size_t nlen;
		int indent = 0;

		line++;
		if (le - p > IOMEM_LINE_MAX)
			return errf(e, "iomem: line %zu is over %d bytes", line, IOMEM_LINE_MAX);
		for (; p < le && *p == ' '; p++)
			indent++;
		if (hexnum(&p, le, &a) < 0 || p == le || *p++ != '-' || hexnum(&p, le, &b) < 0 ||
		    le - p < 4 || memcmp(p, " : ", 3))
			return errf(e, "iomem: line %zu: not `START-END : NAME'", line);
		name = p + 3;
		nlen = (size_t)(le - name);
		if (b < a)
			return errf(e, "iomem: line %zu: range ends before it starts", line);
		if (indent == 0) {
			in_ram = is_name(name, nlen, "System RAM");
			if (in_ram) {
				if (a == 0 && b == 0)
					return errf(e, "iomem: addresses hidden (reading it needs root)");
				if (m->n == IOMEM_MAX_RANGES)
					return errf(e, "iomem: more than %d RAM ranges", IOMEM_MAX_RANGES);
				m->r[m->n].start = a;
				m->r[m->n++].last = b;
			}
		} else if (in_ram && !is_name(name, nlen, "Kernel code") && !is_name(name, nlen, "Kernel data")) {
			if (cut(m, a, b, e) < 0)
				return -1;
		}
		p = nl ? nl + 1 : end;
	}
	for (size_t i = 1; i < m->n; i++)
		for (size_t j = i; j > 0 && m->r[j].start < m->r[j - 1].start; j--) {
			struct ram_range t = m->r[j];

			m->r[j] = m->r[j - 1];
			m->r[j - 1] = t;
		}
	for (size_t i = 1; i < m->n; i++)
		if (m->r[i].start <= m->r[i - 1].last)
			return errf(e, "iomem: overlapping System RAM ranges");
	if (!m->n)
		return errf(e, "iomem: no usable System RAM");
	return 0;
}

/* *v = round_up(*v, align) + add, unless that passes 2^64. */
static int step(uint64_t *v, uint64_t align, uint64_t add)
{
	uint64_t x = *v;

	if (x > UINT64_MAX - (align - 1))
		return -1;
	x = (x + align - 1) & ~(align - 1);
	if (x > UINT64_MAX - add)
		return -1;
	*v = x + add;
	return 0;
}

static uint64_t round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

int arm64_plan_segments(const struct ram_map *m, const struct arm64_image *h, size_t kernel_len,
			size_t initrd_len, size_t dtb_len, uint64_t page, struct arm64_plan *p,
			struct errbuf *e)
{
	uint64_t total;

	if (page < 4096 || page > 65536 || (page & (page - 1)))
		return errf(e, "kexec: page size %llu", (unsigned long long)page);
	if (h->text_offset % page)
		return errf(e, "kernel: text_offset 0x%llx is not a multiple of the %llu-byte page",
			    (unsigned long long)h->text_offset, (unsigned long long)page);
	if (kernel_len > h->image_size || h->image_size > ARM64_IMAGE_SIZE_MAX ||
	    initrd_len > KEXEC_INITRD_MAX || dtb_len > 2 * FDT_MAX_SIZE)
		return errf(e, "kexec: segment sizes out of bounds");
	memset(p, 0, sizeof(*p));
	p->kernel_mem = round_up(h->image_size, page);
	p->initrd_mem = round_up(initrd_len, page);
	p->dtb_mem = round_up(dtb_len, page);
	p->purgatory_mem = page;
	/* Each size is bounded above, so the total is far below 2^64. */
	total = p->kernel_mem + p->initrd_mem + p->dtb_mem + p->purgatory_mem;
	for (size_t i = 0; i < m->n; i++) {
		uint64_t cur = m->r[i].start;

		if (step(&cur, SZ_2M, h->text_offset) < 0 || cur > UINT64_MAX - total)
			continue;
		p->kernel = cur;
		cur += p->kernel_mem;
		p->initrd = cur;
		cur += p->initrd_mem;
		p->dtb = cur;
		cur += p->dtb_mem;
		p->purgatory = cur;
		cur += p->purgatory_mem;
		if (cur - 1 > m->r[i].last)
			continue;
		/* booting.rst: the initrd within a 1 GiB aligned window of at
		 * most 32 GiB that also covers the kernel. */
		if (cur - (p->kernel & ~(SZ_1G - 1)) > 32 * SZ_1G)
			continue;
		if (!initrd_len)
			p->initrd = 0;
		return 0;
	}
	return errf(e, "kexec: no RAM range holds the kernel (%llu bytes), initrd (%zu), device tree and purgatory",
		    (unsigned long long)h->image_size, initrd_len);
}

static void put32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * The entry point kexec_load is given. Linux (arm64 machine_kexec.c and
 * relocate_kernel.S, 6.1) ends a kexec by jumping to the image's entry
 * with x0 = kimage->arch.dtb_mem, and only kexec_file_load's image
 * loader (machine_kexec_file.c) sets dtb_mem: after kexec_load, x0 is 0.
 * So the entry is this code, which sets up booting.rst's registers
 * (x0 = the device tree, x1 = x2 = x3 = 0) and jumps to the kernel. It
 * runs with the MMU off, where data accesses must be aligned: the two
 * literals sit at 8-byte aligned offsets of a page-aligned segment.
 *
 *    0: 580000c0   ldr  x0, 24      // the device tree's address
 *    4: 580000e4   ldr  x4, 32      // the kernel's entry
 *    8: aa1f03e1   mov  x1, xzr
 *   12: aa1f03e2   mov  x2, xzr
 *   16: aa1f03e3   mov  x3, xzr
 *   20: d61f0080   br   x4
 *   24: .quad dtb
 *   32: .quad entry
 */
void arm64_purgatory(uint8_t out[ARM64_PURGATORY_SIZE], uint64_t dtb, uint64_t entry)
{
	static const uint32_t code[6] = {
		0x580000c0, 0x580000e4, 0xaa1f03e1, 0xaa1f03e2, 0xaa1f03e3, 0xd61f0080,
	};

	for (int i = 0; i < 6; i++)
		put32le(out + 4 * i, code[i]);
	put32le(out + 24, (uint32_t)dtb);
	put32le(out + 28, (uint32_t)(dtb >> 32));
	put32le(out + 32, (uint32_t)entry);
	put32le(out + 36, (uint32_t)(entry >> 32));
}

static void add_seg(struct arm64_kexec *k, const void *buf, size_t bufsz, uint64_t mem, uint64_t memsz)
{
	struct kexec_segment *s = &k->seg[k->nseg++];

	s->buf = buf;
	s->bufsz = bufsz;
	s->mem = (const void *)(uintptr_t)mem;
	s->memsz = (size_t)memsz;
}

int arm64_kexec_prepare(struct arm64_kexec *k, const struct arm64_kexec_in *in, struct errbuf *e)
{
	struct arm64_image img;
	struct ram_map m;
	struct fdt_chosen c = { 0 };
	size_t bound;

	memset(k, 0, sizeof(*k));
	if (in->kernel_len > KEXEC_KERNEL_MAX)
		return errf(e, "kernel: over the %u-byte limit", KEXEC_KERNEL_MAX);
	if (in->initrd_len > KEXEC_INITRD_MAX)
		return errf(e, "initrd: over the %u-byte limit", KEXEC_INITRD_MAX);
	if (arm64_image_parse(in->kernel, in->kernel_len, &img, e) < 0 ||
	    iomem_parse_ram(in->iomem, in->iomem_len, &m, e) < 0 || fdt_check(in->fdt, in->fdt_len, e) < 0)
		return -1;
	c.bootargs = in->cmdline;
	if (in->seed) {
		c.kaslr_seed = in->seed;
		c.rng_seed = in->seed + 8;
		c.rng_seed_len = ARM64_RNG_SEED;
	}
	/* The tree's size does not depend on where the initrd goes. */
	bound = fdt_set_chosen_bound(in->fdt_len, &c);
	if (arm64_plan_segments(&m, &img, in->kernel_len, in->initrd_len, bound, in->page, &k->plan, e) < 0)
		return -1;
	if (in->initrd_len) {
		c.initrd_start = k->plan.initrd;
		c.initrd_end = k->plan.initrd + in->initrd_len;
	}
	k->dtb = malloc(bound);
	if (!k->dtb)
		return errf(e, "out of memory");
	if (fdt_set_chosen(in->fdt, in->fdt_len, &c, k->dtb, bound, &k->dtb_len, e) < 0) {
		arm64_kexec_free(k);
		return -1;
	}
	arm64_purgatory(k->purgatory, k->plan.dtb, k->plan.kernel);
	add_seg(k, in->kernel, in->kernel_len, k->plan.kernel, k->plan.kernel_mem);
	if (in->initrd_len)
		add_seg(k, in->initrd, in->initrd_len, k->plan.initrd, k->plan.initrd_mem);
	add_seg(k, k->dtb, k->dtb_len, k->plan.dtb, k->plan.dtb_mem);
	add_seg(k, k->purgatory, sizeof(k->purgatory), k->plan.purgatory, k->plan.purgatory_mem);
	k->entry = k->plan.purgatory;
	return 0;
}

void arm64_kexec_free(struct arm64_kexec *k)
{
	free(k->dtb);
	k->dtb = NULL;
	k->nseg = 0;
}

static long sys_kexec_load(uint64_t entry, size_t n, struct kexec_segment *seg)
{
#if defined(__aarch64__)
	if (n > KEXEC_SEGMENT_MAX) {
		errno = EINVAL;
		return -1;
	}
	return syscall(SYS_kexec_load, (unsigned long)entry, (unsigned long)n, seg, KEXEC_ARCH_AARCH64);
#else
	(void)entry;
	(void)n;
	(void)seg;
	errno = ENOSYS;
	return -1;
#endif
}

int kexec_load_arm64(const char *kernel, const char *initrd, const char *cmdline, size_t *kernel_len,
		     size_t *initrd_len, struct errbuf *e)
{
	static const char fdt_path[] = "/sys/firmware/fdt", iomem_path[] = "/proc/iomem";
	uint8_t *kb = NULL, *ib = NULL, *fb = NULL, *iob = NULL, seed[8 + ARM64_RNG_SEED];
	size_t kl = 0, il = 0, fl = 0, iol = 0;
	struct arm64_kexec k = { 0 };
	struct arm64_kexec_in in = { 0 };
	struct errbuf le = { 0 };
	const char *what = NULL;
	long page = sysconf(_SC_PAGESIZE);
	int r = -1;

	if (read_file(what = kernel, KEXEC_KERNEL_MAX, 0, &kb, &kl, &le) < 0 ||
	    read_file(what = initrd, KEXEC_INITRD_MAX, 0, &ib, &il, &le) < 0 ||
	    read_file(what = fdt_path, FDT_MAX_SIZE, 0, &fb, &fl, &le) < 0 ||
	    read_file(what = iomem_path, IOMEM_TEXT_MAX, 0, &iob, &iol, &le) < 0) {
		errf(e, "kexec: %s: %s", what, le.msg);
		goto out;
	}
	in.kernel = kb;
	in.kernel_len = kl;
	in.initrd = ib;
	in.initrd_len = il;
	in.cmdline = cmdline;
	in.fdt = fb;
	in.fdt_len = fl;
	in.iomem = (const char *)iob;
	in.iomem_len = iol;
	in.page = page > 0 ? (uint64_t)page : 0;
	/* Fresh seeds when the kernel has randomness to give now (fdt.c). */
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
		in.seed = seed;
	if (arm64_kexec_prepare(&k, &in, e) < 0)
		goto out;
	if (sys_kexec_load(k.entry, k.nseg, k.seg) < 0) {
		errf(e, "kexec_load: %s", strerror(errno));
		goto out;
	}
	*kernel_len = kl;
	*initrd_len = il;
	r = 0;
out:
	sztp_wipe(seed, sizeof(seed));
	if (k.dtb)
		sztp_wipe(k.dtb, k.dtb_len);
	arm64_kexec_free(&k);
	free(kb);
	free(ib);
	free(fb);
	free(iob);
	return r;
}
