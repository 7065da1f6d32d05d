/*
 * The U-Boot environment, read and written exactly as libubootenv
 * (fw_printenv/fw_setenv) does: one copy, or two redundant copies, each
 * "CRC32 [flags] NAME=VALUE\0...NAME=VALUE\0\0 padding" on a block device
 * or file named by fw_env.config. The format, the flag schemes and how a
 * write survives a power cut are in uboot-env/README.md.
 *
 * In memory the environment is kept canonical: names unique and in
 * strcmp() order (the order libubootenv writes), so a store writes the
 * bytes fw_setenv would have written for the same variables.
 */
#ifndef SZTP_UBOOT_ENV_H
#define SZTP_UBOOT_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "fw_env_config.h"
#include "sztp.h"

#define UBOOT_ENV_MAX_SIZE (256 * 1024)
/*
 * At most this many variables. Real environments hold a few hundred;
 * the bound keeps loading a hostile image (which inserts in order) cheap.
 */
#define UBOOT_ENV_MAX_VARS 2048

struct uboot_env {
	size_t size;   /* ENVSIZE from fw_env.config: bytes per copy incl. header */
	int redundant; /* two copies */
	int active;    /* index of the copy loaded (0/1) */
	uint8_t flags; /* flag byte of the active copy */
	size_t used;   /* bytes of NAME=VALUE\0...\0 in data */
	char data[UBOOT_ENV_MAX_SIZE];
};

/*
 * Load from the copies fw_env_config names: the valid copy with the newer
 * flag wins; one bad CRC -> the other copy (logged); both bad -> -1
 * "no valid environment copy".
 */
int uboot_env_load(struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e);

/* The value of name, or NULL if unset. */
const char *uboot_env_get(const struct uboot_env *env, const char *name);

/*
 * Set name to value in memory; value NULL deletes. -1 if it would not fit
 * or the name or value is refused (uboot_env_set_err says why). Names:
 * non-empty, no '=', no blanks or control characters. Values: one line of
 * text (no control characters but TAB), see uboot-env/README.md.
 */
int uboot_env_set(struct uboot_env *env, const char *name, const char *value);
int uboot_env_set_err(struct uboot_env *env, const char *name, const char *value,
		      struct errbuf *e);

/*
 * Write the whole environment into the INACTIVE copy (redundant) with the
 * next flag, fsync, then it is the active one. Single copy: rewrite in
 * place. The active copy is never written in redundant mode, so a power
 * cut at any instant leaves at least one valid copy. Returns 0 or -1.
 */
int uboot_env_store(struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e);

/*
 * Factory write: the whole environment into EVERY copy, the inactive one
 * first (each fsync'd before the next is touched), both with the flag
 * after env->flags. Used by `sztpboot env init`, also over two bad copies.
 */
int uboot_env_store_all(struct uboot_env *env, const struct fw_env_config *cfg, struct errbuf *e);

/* Iterate: for (p = uboot_env_first(env); p; p = uboot_env_next(env, p)) -> "NAME=VALUE" */
const char *uboot_env_first(const struct uboot_env *env);
const char *uboot_env_next(const struct uboot_env *env, const char *cur);

/* --- building blocks (used by the above, the unit tests and the fuzzer) --- */

/* How the flag byte of redundant copies orders them (README, "Flags"). */
enum uboot_env_scheme {
	UBOOT_ENV_INCREMENTAL, /* counter, +1 per write, 255 -> 0: files, block devices, NAND, UBI */
	UBOOT_ENV_BOOLEAN,     /* 1 active, 0 obsolete, 0xff erased: NOR flash */
};

/* CRC-32 as zlib's crc32() (start with crc 0). */
uint32_t uboot_env_crc32(uint32_t crc, const void *buf, size_t len);

/* An empty environment for copies of size bytes. -1 if size is unusable. */
int uboot_env_init(struct uboot_env *env, size_t size, int redundant);

/* Header bytes before the data: 4 (CRC) or 5 (CRC, flags). */
size_t uboot_env_header_size(int redundant);

/*
 * Is this raw copy (size bytes) usable: CRC right, variables terminated
 * by an empty string inside the data area, not too many of them?
 * Returns 0, or -1 with the reason in e.
 */
int uboot_env_check_copy(const uint8_t *img, size_t size, int redundant, struct errbuf *e);

/*
 * Which of two copies is current, given whether each is valid and its
 * flag byte: 0 or 1, -1 if neither is valid. Same choice as libubootenv.
 */
int uboot_env_pick(int valid0, uint8_t flags0, int valid1, uint8_t flags1,
		   enum uboot_env_scheme scheme);

/* The flag byte a write after flags carries. */
uint8_t uboot_env_next_flags(uint8_t flags, enum uboot_env_scheme scheme);

/*
 * Import one raw copy (checked with uboot_env_check_copy) into env:
 * entries without '=' or with an empty name are skipped and a later
 * duplicate replaces an earlier one, as libubootenv and U-Boot do.
 * Sets size, redundant, flags, used and data; active is left 0 (the
 * caller knows which copy this was).
 */
int uboot_env_import(struct uboot_env *env, const uint8_t *img, size_t size, int redundant,
		     struct errbuf *e);

/* Build the raw copy (env->size bytes) carrying flags; padding is 0x00. */
void uboot_env_export(const struct uboot_env *env, uint8_t flags, uint8_t *img);

/*
 * Add "NAME=VALUE" lines to env (the format of mkenvimage's input and
 * uboot-env/default.env): empty lines and lines starting with '#' are
 * skipped; a line without '=', a refused name or value, or a name given
 * twice is an error naming the line. "NAME=" sets an empty value.
 */
int uboot_env_import_text(struct uboot_env *env, const char *text, size_t len, struct errbuf *e);

/* Number of variables. */
size_t uboot_env_count(const struct uboot_env *env);

/*
 * libubootenv's lock (flock on /var/lock/fw_printenv.lock), so a
 * read-modify-write does not interleave with fw_setenv. Returns the lock's
 * fd, or -1 when there is no /var/lock (as in an initramfs): then there is
 * no fw_setenv to race with either.
 */
int uboot_env_lock(void);
void uboot_env_unlock(int fd);

#endif
