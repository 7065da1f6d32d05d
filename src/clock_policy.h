/*
 * The validation clock. A device without a real-time clock boots in 1970,
 * so a clock that reads earlier than the binary's build time is not
 * accurate (RFC 8572 9.1, R171). Then the checks that need an accurate
 * clock (voucher created-on, certificate notBefore) are skipped, and the
 * ones that bound validity from above (expires-on, notAfter) are checked
 * against the build time, a moment known to have passed.
 */
#ifndef SZTP_CLOCK_POLICY_H
#define SZTP_CLOCK_POLICY_H

#include <stdint.h>

struct validation_clock {
	int64_t now;     /* the time checks are made at */
	int accurate;    /* now is not earlier than the build time */
};

/* now = the given time; accuracy decided against the build time. */
void validation_clock_init(struct validation_clock *c, int64_t now);
#endif
