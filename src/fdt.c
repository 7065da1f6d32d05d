/* See fdt.h. Layout: Devicetree Specification 0.4, chapter 5. */
#include <string.h>

#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define HDR_SIZE       40u /* version 17: ten big-endian 32-bit fields */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

struct hdr {
	uint32_t totalsize, off_struct, off_strings, off_rsv, version, last_comp, cpuid;
	uint32_t size_strings, size_struct;
	size_t nrsv; /* reservation entries before the terminating (0, 0) */
};

/* [a, a + la) and [b, b + lb) share no byte (all within 2 MiB: no overflow). */
static int disjoint(size_t a, size_t la, size_t b, size_t lb)
{
	return a + la <= b || b + lb <= a;
}

static int get_header(const uint8_t *f, size_t len, struct hdr *h, struct errbuf *e)
{
	if (len < HDR_SIZE)
		return errf(e, "fdt: %zu bytes is too short for a header", len);
	if (be32(f) != FDT_MAGIC)
		return errf(e, "fdt: bad magic 0x%08x", (unsigned)be32(f));
	h->totalsize = be32(f + 4);
	h->off_struct = be32(f + 8);
	h->off_strings = be32(f + 12);
	h->off_rsv = be32(f + 16);
	h->version = be32(f + 20);
	h->last_comp = be32(f + 24);
	h->cpuid = be32(f + 28);
	h->size_strings = be32(f + 32);
	h->size_struct = be32(f + 36);
	if (h->version < 17)
		return errf(e, "fdt: version %u (17 or later needed)", (unsigned)h->version);
	if (h->last_comp > 17)
		return errf(e, "fdt: not readable as version 17 (last compatible version %u)",
			    (unsigned)h->last_comp);
	if (h->totalsize > FDT_MAX_SIZE)
		return errf(e, "fdt: total size %u is over the %u-byte limit", (unsigned)h->totalsize,
			    FDT_MAX_SIZE);
	if (h->totalsize < HDR_SIZE || h->totalsize > len)
		return errf(e, "fdt: total size %u does not fit the %zu bytes given", (unsigned)h->totalsize,
			    len);
	if (h->off_rsv % 8 || h->off_rsv < HDR_SIZE || h->off_rsv > h->totalsize)
		return errf(e, "fdt: bad memory reservation block offset %u", (unsigned)h->off_rsv);
	if (h->off_struct % 4 || h->off_struct < HDR_SIZE || h->off_struct > h->totalsize ||
	    h->size_struct > h->totalsize - h->off_struct || h->size_struct % 4)
		return errf(e, "fdt: bad structure block (offset %u, %u bytes)", (unsigned)h->off_struct,
			    (unsigned)h->size_struct);
	if (h->off_strings < HDR_SIZE || h->off_strings > h->totalsize ||
	    h->size_strings > h->totalsize - h->off_strings)
		return errf(e, "fdt: bad strings block (offset %u, %u bytes)", (unsigned)h->off_strings,
			    (unsigned)h->size_strings);
	for (size_t i = 0;; i++) {
		size_t at = h->off_rsv + 16 * i;

		if (at > h->totalsize || h->totalsize - at < 16)
			return errf(e, "fdt: memory reservation block runs past the blob");
		if (be64(f + at) == 0 && be64(f + at + 8) == 0) {
			h->nrsv = i;
			break;
		}
		if (i == FDT_MAX_RSV)
			return errf(e, "fdt: more than %d memory reservations", FDT_MAX_RSV);
	}
	/* Disjoint blocks keep a copy no larger than the input. */
	if (!disjoint(h->off_rsv, 16 * (h->nrsv + 1), h->off_struct, h->size_struct) ||
	    !disjoint(h->off_rsv, 16 * (h->nrsv + 1), h->off_strings, h->size_strings) ||
	    !disjoint(h->off_struct, h->size_struct, h->off_strings, h->size_strings))
		return errf(e, "fdt: overlapping blocks");
	return 0;
}

/* Printable ASCII without space or '/': what DTS source can spell. */
static int good_name(const uint8_t *n, size_t len)
{
	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (n[i] <= 0x20 || n[i] >= 0x7f || n[i] == '/')
			return 0;
	return 1;
}

struct walk {
	const uint8_t *s;   /* structure block */
	size_t size;
	const uint8_t *str; /* strings block */
	size_t str_size;
	size_t pos;
	int depth;          /* nodes open, the root included */
	int root_done;
	uint8_t has_child[FDT_MAX_DEPTH + 2];
};

struct tok {
	uint32_t type;
	const uint8_t *name;
	size_t name_len;
	const uint8_t *val;
	size_t val_len;
	uint32_t nameoff;
};

static void walk_init(struct walk *w, const uint8_t *f, const struct hdr *h)
{
	memset(w, 0, sizeof(*w));
	w->s = f + h->off_struct;
	w->size = h->size_struct;
	w->str = f + h->off_strings;
	w->str_size = h->size_strings;
}

/* The next token other than FDT_NOP, checked; FDT_END only after the root. */
static int next_tok(struct walk *w, struct tok *t, struct errbuf *e)
{
	for (;;) {
		size_t at = w->pos, max;
		const uint8_t *z;

		if (w->size - w->pos < 4)
			return errf(e, "fdt: structure block ends without FDT_END");
		t->type = be32(w->s + w->pos);
		w->pos += 4;
		max = w->size - w->pos;
		switch (t->type) {
		case FDT_NOP:
			continue;
		case FDT_BEGIN_NODE:
			t->name = w->s + w->pos;
			z = memchr(t->name, 0, max < FDT_MAX_NAME + 1 ? max : FDT_MAX_NAME + 1);
			if (!z)
				return errf(e, "fdt: node name at structure offset %zu is unterminated or over %d bytes",
					    at, FDT_MAX_NAME);
			t->name_len = (size_t)(z - t->name);
			if (pad4(t->name_len + 1) > max)
				return errf(e, "fdt: node name at structure offset %zu runs past the block", at);
			if (w->root_done)
				return errf(e, "fdt: a second root node at structure offset %zu", at);
			if (w->depth == 0 && t->name_len)
				return errf(e, "fdt: the root node has a name");
			if (w->depth > 0 && !good_name(t->name, t->name_len))
				return errf(e, "fdt: bad node name at structure offset %zu", at);
			if (w->depth > FDT_MAX_DEPTH)
				return errf(e, "fdt: nodes nested deeper than %d", FDT_MAX_DEPTH);
			w->has_child[w->depth] = 1;
			w->depth++;
			w->has_child[w->depth] = 0;
			w->pos += pad4(t->name_len + 1);
			return 0;
		case FDT_END_NODE:
			if (w->depth == 0)
				return errf(e, "fdt: FDT_END_NODE outside any node at structure offset %zu", at);
			if (--w->depth == 0)
				w->root_done = 1;
			return 0;
		case FDT_PROP:
			if (w->depth == 0)
				return errf(e, "fdt: property outside any node at structure offset %zu", at);
			/* The specification's order; /chosen's new properties rely on it. */
			if (w->has_child[w->depth])
				return errf(e, "fdt: property after a subnode at structure offset %zu", at);
			if (max < 8)
				return errf(e, "fdt: property at structure offset %zu runs past the block", at);
			t->val_len = be32(w->s + w->pos);
			t->nameoff = be32(w->s + w->pos + 4);
			w->pos += 8;
			if (t->val_len > max - 8 || pad4(t->val_len) > max - 8)
				return errf(e, "fdt: property at structure offset %zu: %zu-byte value runs past the block",
					    at, t->val_len);
			t->val = w->s + w->pos;
			w->pos += pad4(t->val_len);
			if (t->nameoff >= w->str_size)
				return errf(e, "fdt: property at structure offset %zu: name offset %u outside the strings block",
					    at, (unsigned)t->nameoff);
			t->name = w->str + t->nameoff;
			max = w->str_size - t->nameoff;
			z = memchr(t->name, 0, max < FDT_MAX_NAME + 1 ? max : FDT_MAX_NAME + 1);
			if (!z)
				return errf(e, "fdt: property name at strings offset %u is unterminated or over %d bytes",
					    (unsigned)t->nameoff, FDT_MAX_NAME);
			t->name_len = (size_t)(z - t->name);
			if (!good_name(t->name, t->name_len))
				return errf(e, "fdt: bad property name at strings offset %u", (unsigned)t->nameoff);
			return 0;
		case FDT_END:
			if (!w->root_done)
				return errf(e, "fdt: FDT_END at structure offset %zu before the root node's end", at);
			return 0;
		default:
			return errf(e, "fdt: unknown token 0x%x at structure offset %zu", (unsigned)t->type, at);
		}
	}
}

static int is(const struct tok *t, const char *name)
{
	size_t n = strlen(name);

	return t->name_len == n && !memcmp(t->name, name, n);
}

int fdt_check(const uint8_t *fdt, size_t len, struct errbuf *e)
{
	struct hdr h;
	struct walk w;
	struct tok t;

	if (get_header(fdt, len, &h, e) < 0)
		return -1;
	walk_init(&w, fdt, &h);
	do {
		if (next_tok(&w, &t, e) < 0)
			return -1;
	} while (t.type != FDT_END);
	return 0;
}

int fdt_find_prop(const uint8_t *fdt, size_t len, const char *path, const char *name,
		  const uint8_t **val, size_t *vlen, struct errbuf *e)
{
	const char *comp[FDT_MAX_DEPTH];
	size_t clen[FDT_MAX_DEPTH];
	int want = 0, matched = 0;
	struct hdr h;
	struct walk w;
	struct tok t;

	if (path[0] != '/')
		return errf(e, "fdt: path `%s' is not absolute", path);
	for (const char *p = path + 1; *p;) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);

		if (!n)
			return errf(e, "fdt: bad path `%s'", path);
		if (want == FDT_MAX_DEPTH)
			return errf(e, "fdt: path `%s' is too deep", path);
		comp[want] = p;
		clen[want++] = n;
		p += n + (s != NULL);
	}
	if (get_header(fdt, len, &h, e) < 0)
		return -1;
	walk_init(&w, fdt, &h);
	/* matched: how many components the open branch has matched so far;
	 * a node at level L (the root is level 0) is open at depth L + 1. */
	for (;;) {
		if (next_tok(&w, &t, e) < 0)
			return -1;
		switch (t.type) {
		case FDT_BEGIN_NODE: {
			int level = w.depth - 1;

			if (level >= 1 && level <= want && matched == level - 1 &&
			    t.name_len == clen[level - 1] && !memcmp(t.name, comp[level - 1], t.name_len))
				matched = level;
			break;
		}
		case FDT_END_NODE:
			if (matched > 0 && matched == w.depth)
				matched--;
			break;
		case FDT_PROP:
			if (matched == want && w.depth - 1 == want && is(&t, name)) {
				*val = t.val;
				*vlen = t.val_len;
				return 1;
			}
			break;
		case FDT_END:
			return 0;
		}
	}
}

/* Output with a sticky overflow flag. */
struct out {
	uint8_t *p;
	size_t cap, n;
	int over;
};

static void put(struct out *o, const void *d, size_t len)
{
	if (o->over || o->cap - o->n < len) {
		o->over = 1;
		return;
	}
	if (len)
		memcpy(o->p + o->n, d, len);
	o->n += len;
}

static void put32(struct out *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	put(o, b, 4);
}

static void put64(struct out *o, uint64_t v)
{
	put32(o, (uint32_t)(v >> 32));
	put32(o, (uint32_t)v);
}

static void put_pad(struct out *o)
{
	static const uint8_t zero[4];

	put(o, zero, pad4(o->n) - o->n);
}

static void put_node(struct out *o, const void *name, size_t len)
{
	put32(o, FDT_BEGIN_NODE);
	put(o, name, len);
	put(o, "", 1);
	put_pad(o);
}

static void put_prop(struct out *o, uint32_t nameoff, const void *val, size_t len)
{
	put32(o, FDT_PROP);
	put32(o, (uint32_t)len);
	put32(o, nameoff);
	put(o, val, len);
	put_pad(o);
}

/*
 * Properties of /chosen dropped from the old tree. Why each:
 * - bootargs, linux,initrd-start/-end: replaced by the new values.
 * - linux,elfcorehdr, linux,usable-memory-range: a crash kernel's; they
 *   would confine a normal kernel to the crash region.
 * - linux,ima-kexec-buffer: memory only kexec_file_load hands over.
 * - kaslr-seed, rng-seed: the running kernel consumed them (arm64 zeroes
 *   kaslr-seed in place, drivers/of/fdt.c turns rng-seed into NOPs), so a
 *   copy would say "no seed". Fresh values come from the caller, as
 *   kexec_file_load writes fresh ones (drivers/of/kexec.c); without
 *   randomness they are left out, which is what the copy would mean.
 */
static const char *const dropped[] = {
	"bootargs", "linux,initrd-start", "linux,initrd-end", "linux,elfcorehdr",
	"linux,usable-memory-range", "linux,ima-kexec-buffer", "kaslr-seed", "rng-seed",
};

enum { N_BOOTARGS, N_INITRD_START, N_INITRD_END, N_KASLR, N_RNG, N_NEW };
static const char *const added[N_NEW] = {
	"bootargs", "linux,initrd-start", "linux,initrd-end", "kaslr-seed", "rng-seed",
};

/* Offset of name in the strings block: a NUL-terminated match anywhere
 * (suffixes shared, as dtc does), else -1. */
static long find_string(const uint8_t *str, size_t size, const char *name)
{
	size_t n = strlen(name) + 1;

	for (size_t i = 0; size >= n && i <= size - n; i++)
		if (!memcmp(str + i, name, n))
			return (long)i;
	return -1;
}

/* A cell-encoded number of 1 or 2 cells (Linux: of_read_number(p, len / 4)). */
static int read_cells(const uint8_t *v, size_t len, uint64_t *out)
{
	if (len == 4)
		*out = be32(v);
	else if (len == 8)
		*out = be64(v);
	else
		return -1;
	return 0;
}

size_t fdt_set_chosen_bound(size_t in_len, const struct fdt_chosen *c)
{
	size_t extra = 512; /* node, headers, names, padding */

	if (c->bootargs)
		extra += strnlen(c->bootargs, FDT_BOOTARGS_MAX) + 1;
	if (c->rng_seed && c->rng_seed_len <= FDT_RNG_SEED_MAX)
		extra += c->rng_seed_len;
	return in_len + extra;
}

static void put_chosen(struct out *o, const struct fdt_chosen *c, const uint32_t *off)
{
	if (c->bootargs)
		put_prop(o, off[N_BOOTARGS], c->bootargs, strlen(c->bootargs) + 1);
	if (c->initrd_end > c->initrd_start) {
		uint8_t b[8];

		/* Two cells: Linux reads len / 4 cells, whatever #address-cells says. */
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(c->initrd_start >> (56 - 8 * i));
		put_prop(o, off[N_INITRD_START], b, 8);
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(c->initrd_end >> (56 - 8 * i));
		put_prop(o, off[N_INITRD_END], b, 8);
	}
	if (c->kaslr_seed)
		put_prop(o, off[N_KASLR], c->kaslr_seed, 8);
	if (c->rng_seed)
		put_prop(o, off[N_RNG], c->rng_seed, c->rng_seed_len);
}

int fdt_set_chosen(const uint8_t *in, size_t in_len, const struct fdt_chosen *c, uint8_t *out,
		   size_t cap, size_t *out_len, struct errbuf *e)
{
	struct out o = { out, cap, 0, 0 };
	uint64_t old_start = 0, old_end = 0;
	uint32_t off[N_NEW];
	size_t extra_strings = 0, off_struct, off_strings;
	int chosen_depth = 0, chosen_seen = 0, chosen_done = 0;
	const uint8_t *v1, *v2;
	size_t l1, l2;
	struct hdr h;
	struct walk w;
	struct tok t;

	if (c->bootargs && strnlen(c->bootargs, FDT_BOOTARGS_MAX) >= FDT_BOOTARGS_MAX)
		return errf(e, "fdt: bootargs over the %d-byte limit", FDT_BOOTARGS_MAX - 1);
	if (c->initrd_end < c->initrd_start || (c->initrd_start && c->initrd_end == c->initrd_start))
		return errf(e, "fdt: bad initrd range 0x%llx-0x%llx", (unsigned long long)c->initrd_start,
			    (unsigned long long)c->initrd_end);
	if (c->rng_seed && (!c->rng_seed_len || c->rng_seed_len > FDT_RNG_SEED_MAX))
		return errf(e, "fdt: rng-seed of %zu bytes (1 to %d)", c->rng_seed_len, FDT_RNG_SEED_MAX);
	if (fdt_check(in, in_len, e) < 0 || get_header(in, in_len, &h, e) < 0)
		return -1;
	if (fdt_find_prop(in, in_len, "/chosen", "linux,initrd-start", &v1, &l1, e) == 1 &&
	    fdt_find_prop(in, in_len, "/chosen", "linux,initrd-end", &v2, &l2, e) == 1 &&
	    (read_cells(v1, l1, &old_start) < 0 || read_cells(v2, l2, &old_end) < 0))
		old_start = old_end = 0;
	for (int i = 0; i < N_NEW; i++) {
		long k = find_string(in + h.off_strings, h.size_strings, added[i]);

		if (k < 0) {
			k = (long)(h.size_strings + extra_strings);
			extra_strings += strlen(added[i]) + 1;
		}
		off[i] = (uint32_t)k;
	}

	/* Header, filled in at the end. */
	put(&o, in, HDR_SIZE);
	for (size_t i = 0; i < h.nrsv; i++) {
		const uint8_t *r = in + h.off_rsv + 16 * i;

		if (old_end > old_start && be64(r) == old_start && be64(r + 8) == old_end - old_start)
			continue;
		put(&o, r, 16);
	}
	put64(&o, 0);
	put64(&o, 0);

	off_struct = o.n;
	walk_init(&w, in, &h);
	do {
		if (next_tok(&w, &t, e) < 0)
			return -1;
		switch (t.type) {
		case FDT_BEGIN_NODE:
			if (chosen_depth && w.depth - 1 == chosen_depth && !chosen_done) {
				put_chosen(&o, c, off);
				chosen_done = 1;
			}
			if (w.depth == 2 && is(&t, "chosen")) {
				if (chosen_seen)
					return errf(e, "fdt: two /chosen nodes");
				chosen_seen = 1;
				chosen_depth = 2;
			}
			put_node(&o, t.name, t.name_len);
			break;
		case FDT_END_NODE:
			if (chosen_depth && w.depth + 1 == chosen_depth) {
				if (!chosen_done)
					put_chosen(&o, c, off);
				chosen_done = 1;
				chosen_depth = 0;
			}
			if (w.depth == 0 && !chosen_seen) {
				put_node(&o, "chosen", 6);
				put_chosen(&o, c, off);
				put32(&o, FDT_END_NODE);
			}
			put32(&o, FDT_END_NODE);
			break;
		case FDT_PROP: {
			int drop = 0;

			if (chosen_depth && w.depth == chosen_depth)
				for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
					drop |= is(&t, dropped[i]);
			if (!drop)
				put_prop(&o, t.nameoff, t.val, t.val_len);
			break;
		}
		case FDT_END:
			put32(&o, FDT_END);
			break;
		}
	} while (t.type != FDT_END);

	off_strings = o.n;
	put(&o, in + h.off_strings, h.size_strings);
	for (int i = 0; i < N_NEW; i++)
		if (off[i] >= h.size_strings)
			put(&o, added[i], strlen(added[i]) + 1);
	if (o.over)
		return errf(e, "fdt: result does not fit %zu bytes", cap);
	if (o.n > FDT_MAX_SIZE)
		return errf(e, "fdt: result of %zu bytes is over the %u-byte limit", o.n, FDT_MAX_SIZE);

	o.n = 0;
	put32(&o, FDT_MAGIC);
	put32(&o, (uint32_t)off_strings + h.size_strings + (uint32_t)extra_strings);
	put32(&o, (uint32_t)off_struct);
	put32(&o, (uint32_t)off_strings);
	put32(&o, HDR_SIZE);
	put32(&o, 17);
	put32(&o, 16);
	put32(&o, h.cpuid);
	put32(&o, h.size_strings + (uint32_t)extra_strings);
	put32(&o, (uint32_t)(off_strings - off_struct));
	*out_len = off_strings + h.size_strings + extra_strings;
	return 0;
}
