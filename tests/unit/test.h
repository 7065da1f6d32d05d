/* Minimal table-driven unit test support: one binary per module. */
#ifndef SZTP_TEST_H
#define SZTP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed, t_run;

#define CHECK(cond) do { t_run++; if (!(cond)) { t_failed++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECKF(cond, ...) do { t_run++; if (!(cond)) { t_failed++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)
#define TEST_END() do { printf("%d checks, %d failed\n", t_run, t_failed); \
	return t_failed ? 1 : 0; } while (0)

/* Hex string to bytes (test vectors). A row that is not hex or does not
 * fit is a broken test: abort. */
static inline size_t unhex(const char *h, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (h[0] && h[1] && n < cap) {
		unsigned v;

		if (sscanf(h, "%2x", &v) != 1)
			abort();
		out[n++] = (unsigned char)v;
		h += 2;
	}
	if (h[0])
		abort();
	return n;
}

#endif
