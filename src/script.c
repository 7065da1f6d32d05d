/* See script.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "script.h"

static void forward_output(const char *name, int fd)
{
	char line[512];
	size_t n = 0;
	time_t deadline = time(NULL) + SCRIPT_TIMEOUT_SECONDS;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		char c;
		int r = poll(&p, 1, 1000);

		if (r < 0 && errno == EINTR)
			continue;
		if (time(NULL) > deadline)
			break;
		if (r == 0)
			continue;
		if (read(fd, &c, 1) != 1)
			break;
		if (c == '\n' || n + 1 == sizeof(line)) {
			line[n] = 0;
			sztp_log("%s: %s", name, line);
			n = 0;
			if (c == '\n')
				continue;
		}
		line[n++] = c;
	}
	if (n) {
		line[n] = 0;
		sztp_log("%s: %s", name, line);
	}
}

enum script_result script_run(const char *name, const char *path, const uint8_t *body, size_t len,
			      char *const envp[], struct errbuf *e)
{
	int pipefd[2], status = SIGKILL; /* as if killed, should waitpid fail */
	pid_t pid;

	if (atomic_write_file(path, body, len, 0700, e) < 0)
		return SCRIPT_ERROR;
	if (pipe(pipefd) < 0) {
		errf(e, "%s: pipe: %s", name, strerror(errno));
		return SCRIPT_ERROR;
	}
	sztp_log("%s: running", name);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		errf(e, "%s: fork: %s", name, strerror(errno));
		return SCRIPT_ERROR;
	}
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execve(path, argv, envp);
		if (errno == ENOEXEC) {
			/* No interpreter line: a shell script, as tradition has it. */
			char *sh[] = { "/bin/sh", (char *)path, NULL };

			execve("/bin/sh", sh, envp);
		}
		_exit(127);
	}
	close(pipefd[1]);
	forward_output(name, pipefd[0]);
	close(pipefd[0]);
	/* Output closed, or the deadline passed: give it a second, then kill. */
	for (int i = 0; i < 10 && waitpid(pid, &status, WNOHANG) == 0; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (i == 9) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
	}
	unlink(path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		sztp_log("%s: succeeded", name);
		return SCRIPT_OK;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == SCRIPT_EXIT_WARNING) {
		sztp_log("%s: finished with a warning (exit %d)", name, SCRIPT_EXIT_WARNING);
		return SCRIPT_WARNING;
	}
	if (WIFEXITED(status))
		errf(e, "%s failed (exit %d)", name, WEXITSTATUS(status));
	else
		errf(e, "%s failed (killed by signal %d)", name, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return SCRIPT_ERROR;
}
