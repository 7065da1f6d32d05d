/* See kexec.h. x86_64's Debian kernel has KEXEC_FILE; boards without it
 * use kexec-tools (later). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kexec.h"

int kexec_boot(const char *kernel, const char *initrd, const char *cmdline, struct errbuf *e)
{
#ifdef SYS_kexec_file_load
	int kfd = open(kernel, O_RDONLY | O_CLOEXEC);
	int ifd = open(initrd, O_RDONLY | O_CLOEXEC);
	long r;

	if (kfd < 0 || ifd < 0) {
		int err = errno;

		if (kfd >= 0)
			close(kfd);
		if (ifd >= 0)
			close(ifd);
		return errf(e, "kexec: cannot open %s: %s", kfd < 0 ? kernel : initrd, strerror(err));
	}
	r = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1, cmdline, 0UL);
	close(kfd);
	close(ifd);
	if (r < 0)
		return errf(e, "kexec_file_load: %s", strerror(errno));
	sync();
	reboot(RB_KEXEC);
	return errf(e, "reboot(RB_KEXEC): %s", strerror(errno));
#else
	(void)kernel;
	(void)initrd;
	(void)cmdline;
	return errf(e, "kexec_file_load is not available on this architecture");
#endif
}
