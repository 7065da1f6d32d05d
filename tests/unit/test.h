/* Minimal table-driven unit test support: one binary per module. */
#ifndef SZTP_TEST_H
#define SZTP_TEST_H

#include <stdio.h>
#include <string.h>

static int t_failed, t_run;

#define CHECK(cond) do { t_run++; if (!(cond)) { t_failed++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECKF(cond, ...) do { t_run++; if (!(cond)) { t_failed++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)
#define TEST_END() do { printf("%d checks, %d failed\n", t_run, t_failed); \
	return t_failed ? 1 : 0; } while (0)

#endif
