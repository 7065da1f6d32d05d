/* Diagnostics: one line each, on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sztp.h"

int sztp_quiet;

static void vline(const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* Never let an input smuggle a second line or terminal escapes. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "sztpboot: %s\n", buf);
}

void sztp_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

void sztp_log(const char *fmt, ...)
{
	va_list ap;

	if (sztp_quiet)
		return;
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

void sztp_wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;

	while (len--)
		*v++ = 0;
}

int errf(struct errbuf *e, const char *fmt, ...)
{
	va_list ap;

	if (e && !e->set) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		e->set = 1;
	}
	return -1;
}

int errwrap(struct errbuf *e, const char *before, const char *after)
{
	char old[sizeof(e->msg)];

	memcpy(old, e->msg, sizeof(old));
	snprintf(e->msg, sizeof(e->msg), "%s%s%s", before, old, after);
	e->set = 1;
	return -1;
}
