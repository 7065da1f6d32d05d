/* Handing over to an installed slot's kernel (no bootloader round trip). */
#ifndef SZTP_KEXEC_H
#define SZTP_KEXEC_H

#include "sztp.h"

/*
 * Load kernel + initrd with cmdline via kexec_file_load(2) (where the kernel
 * lacks it, on arm64: kexec_load(2), kexec_arm64.h), then sync and
 * reboot(RB_KEXEC). Returns only on failure (-1, reason in e).
 */
int kexec_boot(const char *kernel, const char *initrd, const char *cmdline, struct errbuf *e);

#endif
