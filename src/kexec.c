/* See kexec.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "kexec.h"
#include "kexec_arm64.h"

/* kexec_load(2) built here for this architecture (kexec_arm64.c). */
#if defined(__aarch64__)
#define HAVE_OWN_KEXEC_LOAD 1
#else
#define HAVE_OWN_KEXEC_LOAD 0
#endif

/* kexec_file_load(2). *nosys: the kernel has no such call. */
static int load_file(const char *kernel, const char *initrd, const char *cmdline, size_t *klen,
		     size_t *ilen, int *nosys, struct errbuf *e)
{
#ifdef SYS_kexec_file_load
	struct stat ks, is;
	int kfd, ifd = -1, r = -1;

	kfd = open(kernel, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		errf(e, "kexec: cannot open %s: %s", kernel, strerror(errno));
		goto out;
	}
	ifd = open(initrd, O_RDONLY | O_CLOEXEC);
	if (ifd < 0) {
		errf(e, "kexec: cannot open %s: %s", initrd, strerror(errno));
		goto out;
	}
	if (fstat(kfd, &ks) < 0 || fstat(ifd, &is) < 0) {
		errf(e, "kexec: cannot stat: %s", strerror(errno));
		goto out;
	}
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1, cmdline, 0UL) < 0) {
		*nosys = errno == ENOSYS;
		errf(e, "kexec_file_load: %s", strerror(errno));
		goto out;
	}
	*klen = (size_t)ks.st_size;
	*ilen = (size_t)is.st_size;
	r = 0;
out:
	if (kfd >= 0)
		close(kfd);
	if (ifd >= 0)
		close(ifd);
	return r;
#else
	(void)kernel;
	(void)initrd;
	(void)cmdline;
	(void)klen;
	(void)ilen;
	*nosys = 1;
	return errf(e, "kexec_file_load is not available on this architecture");
#endif
}

int kexec_boot(const char *kernel, const char *initrd, const char *cmdline, struct errbuf *e)
{
	struct errbuf fe = { 0 };
	const char *how = "kexec_file_load";
	size_t klen = 0, ilen = 0;
	int nosys = 0;

	/* kexec_file_load first: only there can the kernel check the new
	 * kernel's signature (KEXEC_SIG). */
	if (load_file(kernel, initrd, cmdline, &klen, &ilen, &nosys, &fe) < 0) {
		if (!nosys || !HAVE_OWN_KEXEC_LOAD)
			return errf(e, "%s", fe.msg);
		how = "kexec_load";
		if (kexec_load_arm64(kernel, initrd, cmdline, &klen, &ilen, e) < 0)
			return -1;
	}
	/* Both lines tell a test which side of the hand-over a cut hit. */
	sztp_log("kexec: loaded %s (%zu bytes), initrd (%zu bytes) via %s", kernel, klen, ilen, how);
	sync();
	sztp_log("kexec: starting the new kernel");
	/* A serial console sends asynchronously: let the line out first. */
	tcdrain(STDERR_FILENO);
	reboot(RB_KEXEC);
	return errf(e, "reboot(RB_KEXEC): %s", strerror(errno));
}
