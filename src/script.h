/*
 * Pre- and post-configuration scripts (RFC 8572 5.6, 6.3 typedef script).
 * RFC 8572 leaves the exit-code convention to the device (R167). Ours:
 *   0                 success
 *   100               warning: a soft error that does not affect manageability
 *   anything else     error (also: killed by a signal, timed out, not runnable);
 *                     the script is expected to clean up after itself (R166)
 */
#ifndef SZTP_SCRIPT_H
#define SZTP_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "sztp.h"

#define SCRIPT_EXIT_WARNING 100
#define SCRIPT_TIMEOUT_SECONDS 600

enum script_result { SCRIPT_OK, SCRIPT_WARNING, SCRIPT_ERROR };

/*
 * Write body to path (mode 0700) and run it with envp; its output is
 * copied line by line to stderr, prefixed by name. Returns the result; on
 * SCRIPT_ERROR e says why.
 */
enum script_result script_run(const char *name, const char *path, const uint8_t *body, size_t len,
			      char *const envp[], struct errbuf *e);

#endif
