/*
 * Flattened device tree (DTB, version 17 as the Devicetree Specification
 * 0.4 chapter 5 defines it): a bounded reader, and the one rewrite that
 * kexec_load(2) needs: the running kernel's tree with a new /chosen.
 *
 * Every offset, length and alignment of the input is checked before use;
 * the limits below are hard. Nothing is allocated: the caller owns every
 * buffer.
 */
#ifndef SZTP_FDT_H
#define SZTP_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

#define FDT_MAX_SIZE (2u << 20)  /* whole blob, in and out */
#define FDT_MAX_DEPTH 64         /* nesting below the root (Linux's FDT_MAX_DEPTH) */
#define FDT_MAX_NAME 255         /* node or property name, without its NUL */
#define FDT_MAX_RSV 256          /* memory reservation entries */
/* Linux's COMMAND_LINE_SIZE on arm64, the NUL included. */
#define FDT_BOOTARGS_MAX 2048
#define FDT_RNG_SEED_MAX 512

/*
 * What /chosen is to say. The properties named here, and those a previous
 * boot or kexec left that must not carry over (linux,elfcorehdr,
 * linux,usable-memory-range, linux,ima-kexec-buffer), are removed first;
 * then the ones given are added.
 */
struct fdt_chosen {
	const char *bootargs;            /* NULL: no bootargs */
	uint64_t initrd_start;           /* initrd_end > initrd_start: set both */
	uint64_t initrd_end;             /* (exclusive, as Linux reads it) */
	const uint8_t *kaslr_seed;       /* 8 bytes, or NULL: none */
	const uint8_t *rng_seed;         /* rng_seed_len bytes, or NULL: none */
	size_t rng_seed_len;
};

/* Check a whole blob: header, memory reservations, structure, strings. */
int fdt_check(const uint8_t *fdt, size_t len, struct errbuf *e);

/*
 * Find property name of the node at path ("/" or "/a/b", unit addresses
 * spelled out) in a blob that passed fdt_check. Returns 1 with *val, *vlen
 * pointing into fdt, 0 if there is no such node or property, -1 on a
 * malformed blob.
 */
int fdt_find_prop(const uint8_t *fdt, size_t len, const char *path, const char *name,
		  const uint8_t **val, size_t *vlen, struct errbuf *e);

/* Output bytes fdt_set_chosen() needs at most for this input and c. */
size_t fdt_set_chosen_bound(size_t in_len, const struct fdt_chosen *c);

/*
 * Write into out (cap bytes) a copy of the blob in with /chosen as c says
 * (created under the root if missing). Every other node and property is
 * copied as it is, NOPs dropped; the memory reservation block is kept,
 * except an entry that is exactly the previous linux,initrd-start/end
 * range (that initrd is gone: Linux's kexec_file_load drops it too). The
 * result is a version 17 blob of *out_len bytes.
 */
int fdt_set_chosen(const uint8_t *in, size_t in_len, const struct fdt_chosen *c, uint8_t *out,
		   size_t cap, size_t *out_len, struct errbuf *e);

#endif
