/*
 * QEMU's firmware configuration device (fw_cfg) read from user space
 * through its x86 I/O ports, for boards whose firmware hides it from
 * Linux: under U-Boot the kernel's qemu_fw_cfg driver finds no ACPI
 * device and Debian's kernel has no ioport= parameter for it. Files are
 * named as in QEMU's -fw_cfg name=NAME (e.g. opt/org.sztpboot/serial).
 * Format: QEMU docs/specs/fw_cfg.rst (selector 0x510, data 0x511; key
 * 0x0000 signature "QEMU", key 0x0019 the big-endian file directory).
 */
#ifndef SZTP_FW_CFG_H
#define SZTP_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

#define FW_CFG_NAME_MAX 56     /* bytes per name in a directory entry, NUL included */
#define FW_CFG_FILES_MAX 4096  /* QEMU allows 0x1000 file slots at most */

/* Board file names of this form are read from fw_cfg: "fw_cfg:NAME". */
#define FW_CFG_PREFIX "fw_cfg:"

/*
 * Look NAME up in a file directory as key 0x0019 returns it (count, then
 * 64-byte entries). 0 with *select and *size; 1 if absent; -1 if the
 * directory is malformed (reason in e).
 */
int fw_cfg_dir_find(const uint8_t *dir, size_t len, const char *name, uint16_t *select,
		    uint32_t *size, struct errbuf *e);

/*
 * Read file NAME into a new buffer (plus a NUL, not counted) of at most
 * max bytes. 0; 1 if there is no fw_cfg device or no such file and
 * missing_ok; -1 with the reason in e. Needs CAP_SYS_RAWIO (ioperm).
 */
int fw_cfg_read(const char *name, size_t max, int missing_ok, uint8_t **buf, size_t *len,
		struct errbuf *e);

#endif
