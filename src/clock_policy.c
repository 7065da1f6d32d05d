/* See clock_policy.h. */
#include "clock_policy.h"

void validation_clock_init(struct validation_clock *c, int64_t now)
{
	c->accurate = now >= SZTP_BUILD_EPOCH;
	/* An inaccurate clock is replaced by the build time as a lower bound. */
	c->now = c->accurate ? now : SZTP_BUILD_EPOCH;
}
