/*
 * kexec_load(2) on arm64, for kernels built without KEXEC_FILE: the arm64
 * Image header, the RAM map from /proc/iomem, where each segment goes, the
 * device tree the new kernel gets and the few instructions that hand it
 * over. Everything but the system call builds on every architecture.
 */
#ifndef SZTP_KEXEC_ARM64_H
#define SZTP_KEXEC_ARM64_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

/* Files read into memory for kexec_load: the system call takes buffers. */
#define KEXEC_KERNEL_MAX (128u << 20)
#define KEXEC_INITRD_MAX (128u << 20)
#define IOMEM_TEXT_MAX   (1u << 20)
#define IOMEM_LINE_MAX   256
#define IOMEM_MAX_RANGES 256
#define ARM64_IMAGE_SIZE_MAX (512ull << 20)

/* The 64-byte arm64 Image header (Documentation/arch/arm64/booting.rst). */
struct arm64_image {
	uint64_t text_offset; /* from a 2 MiB aligned base */
	uint64_t image_size;  /* bytes the kernel occupies, BSS included */
	uint64_t flags;
};
#define ARM64_IMAGE_FLAG_BE        (1u << 0)
#define ARM64_IMAGE_FLAG_PLACEMENT (1u << 3) /* 1: anywhere in RAM */

int arm64_image_parse(const uint8_t *img, size_t len, struct arm64_image *h, struct errbuf *e);

/* RAM that segments may go to: inclusive ranges, sorted, disjoint. */
struct ram_range {
	uint64_t start, last;
};
struct ram_map {
	size_t n;
	struct ram_range r[IOMEM_MAX_RANGES];
};

/*
 * /proc/iomem text: top-level "System RAM" lines, minus every range nested
 * under them except the running kernel's own "Kernel code"/"Kernel data"
 * (kexec may overwrite those: the kernel copies the segments in place only
 * at the very end). Nested "reserved" ranges stay out: they hold what must
 * survive a kexec (firmware tables, the GICv3 LPI tables the interrupt
 * controller keeps writing).
 */
int iomem_parse_ram(const char *text, size_t len, struct ram_map *m, struct errbuf *e);

/* Where the segments go (physical addresses; *_mem: page-rounded sizes). */
struct arm64_plan {
	uint64_t kernel, kernel_mem; /* 2 MiB aligned base + text_offset */
	uint64_t initrd, initrd_mem; /* initrd_mem 0: none */
	uint64_t dtb, dtb_mem;
	uint64_t purgatory, purgatory_mem;
};

/*
 * All segments in the lowest RAM range that holds them, in this order:
 * kernel, initrd, device tree (at most dtb_len bytes), purgatory. page is
 * the running kernel's page size (a power of two, 4 KiB to 64 KiB).
 */
int arm64_plan_segments(const struct ram_map *m, const struct arm64_image *h, size_t kernel_len,
			size_t initrd_len, size_t dtb_len, uint64_t page, struct arm64_plan *p,
			struct errbuf *e);

#define ARM64_PURGATORY_SIZE 40
/* The purgatory: x0 = dtb, x1 = x2 = x3 = 0, branch to entry. */
void arm64_purgatory(uint8_t out[ARM64_PURGATORY_SIZE], uint64_t dtb, uint64_t entry);

/* struct kexec_segment of <linux/kexec.h> (UAPI). */
struct kexec_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

/* Everything kexec_load(2) is given. */
struct arm64_kexec {
	struct arm64_plan plan;
	uint8_t *dtb; /* heap */
	size_t dtb_len;
	uint8_t purgatory[ARM64_PURGATORY_SIZE];
	struct kexec_segment seg[4];
	size_t nseg;
	uint64_t entry;
};

struct arm64_kexec_in {
	const uint8_t *kernel;
	size_t kernel_len;
	const uint8_t *initrd; /* initrd_len 0: none */
	size_t initrd_len;
	const char *cmdline;
	const uint8_t *fdt; /* the running kernel's /sys/firmware/fdt */
	size_t fdt_len;
	const char *iomem; /* /proc/iomem */
	size_t iomem_len;
	uint64_t page;
	const uint8_t *seed; /* 8 bytes kaslr-seed + ARM64_RNG_SEED bytes, or NULL */
};
#define ARM64_RNG_SEED 64

/* Plan, rewrite the device tree, lay out the segments. */
int arm64_kexec_prepare(struct arm64_kexec *k, const struct arm64_kexec_in *in, struct errbuf *e);
void arm64_kexec_free(struct arm64_kexec *k);

/*
 * Read kernel and initrd (at most KEXEC_KERNEL_MAX/KEXEC_INITRD_MAX bytes),
 * the running kernel's device tree and /proc/iomem, and kexec_load() them.
 * Sets the sizes read. On other architectures: -1, "not supported".
 */
int kexec_load_arm64(const char *kernel, const char *initrd, const char *cmdline, size_t *kernel_len,
		     size_t *initrd_len, struct errbuf *e);

#endif
