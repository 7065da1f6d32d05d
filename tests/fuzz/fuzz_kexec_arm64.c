/*
 * libFuzzer: the arm64 kexec_load inputs. The first byte picks what the
 * rest is:
 *   0  an arm64 Image (header)
 *   1  /proc/iomem text after 6 bytes of sizes (kernel image_size in
 *      MiB, initrd in 64 KiB units, device tree in KiB, text_offset in
 *      64 KiB units, page size choice, flags): the RAM map must come out
 *      sorted and disjoint, and any plan must put each segment aligned,
 *      in order, without overlap, inside one RAM range
 */
#include <stdlib.h>
#include <string.h>

#include "kexec_arm64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static struct ram_map m;

static void image(const uint8_t *d, size_t n)
{
	struct arm64_image h;
	struct errbuf e = { 0 };

	if (arm64_image_parse(d, n, &h, &e) < 0) {
		CHECK(e.set);
		return;
	}
	CHECK(n >= 64 && h.image_size >= n && h.image_size <= ARM64_IMAGE_SIZE_MAX);
	CHECK(h.text_offset < (2u << 20) && !(h.flags & ARM64_IMAGE_FLAG_BE));
}

static void plan(const uint8_t *d, size_t n)
{
	static const uint64_t pages[4] = { 4096, 16384, 65536, 4096 };
	struct arm64_image h;
	struct arm64_plan p;
	struct errbuf e = { 0 };
	size_t initrd, dtb;
	uint64_t page;

	if (n < 6)
		return;
	h.image_size = ((uint64_t)d[0] + 1) << 20;
	initrd = (size_t)d[1] << 16;
	dtb = ((size_t)d[2] + 1) << 10;
	h.text_offset = (uint64_t)(d[3] & 0x1f) << 16;
	page = pages[d[4] & 3];
	h.flags = d[5];
	d += 6;
	n -= 6;
	if (iomem_parse_ram((const char *)d, n, &m, &e) < 0) {
		CHECK(e.set);
		return;
	}
	CHECK(m.n >= 1 && m.n <= IOMEM_MAX_RANGES);
	for (size_t i = 0; i < m.n; i++) {
		CHECK(m.r[i].start <= m.r[i].last);
		CHECK(!i || m.r[i].start > m.r[i - 1].last);
	}
	if (arm64_plan_segments(&m, &h, 4096, initrd, dtb, page, &p, &e) < 0) {
		CHECK(e.set);
		return;
	}
	uint64_t seg[4][2] = { { p.kernel, p.kernel_mem }, { p.initrd, p.initrd_mem }, { p.dtb, p.dtb_mem },
			       { p.purgatory, p.purgatory_mem } };
	size_t r;

	CHECK(p.kernel % (2u << 20) == h.text_offset);
	CHECK(p.kernel_mem >= h.image_size && p.initrd_mem >= initrd && p.dtb_mem >= dtb);
	for (r = 0; r < m.n; r++)
		if (m.r[r].start <= p.kernel && p.kernel <= m.r[r].last)
			break;
	CHECK(r < m.n);
	for (int i = 0; i < 4; i++) {
		if (!seg[i][1])
			continue;
		CHECK(seg[i][0] % page == 0 && seg[i][1] % page == 0);
		CHECK(seg[i][0] >= m.r[r].start && seg[i][0] <= m.r[r].last);
		CHECK(seg[i][1] - 1 <= m.r[r].last - seg[i][0]);
		for (int j = i + 1; j < 4; j++)
			CHECK(!seg[j][1] || seg[i][0] + seg[i][1] <= seg[j][0]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		plan(data + 1, size - 1);
	else
		image(data + 1, size - 1);
	return 0;
}
