/* sztpboot: shared declarations for subcommands and diagnostics. */
#ifndef SZTP_H
#define SZTP_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes of every subcommand. */
enum {
	SZTP_EXIT_OK = 0,
	SZTP_EXIT_REJECT = 1, /* input rejected, or the operation failed */
	SZTP_EXIT_USAGE = 2,
};

/* One line on stderr, prefixed "sztpboot: ". */
void sztp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational line on stderr, prefixed "sztpboot: "; silenced by -q. */
void sztp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int sztp_quiet;

/* Wipe secrets so the compiler cannot elide it. */
void sztp_wipe(void *p, size_t len);

/* Subcommands: one per file. */
int cmd_verify(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_confirm(int argc, char **argv);

/*
 * Sticky error: the first failure is recorded, later ones are ignored, and
 * one check at the end says what failed (BearSSL's idiom). Functions that
 * fail return -1 after calling errf(); callers pass the same errbuf down.
 */
struct errbuf {
	int set;
	char msg[240];
};
int errf(struct errbuf *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Put the recorded reason in context: "<before><reason><after>". */
int errwrap(struct errbuf *e, const char *before, const char *after);

#endif
