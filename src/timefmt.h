/* Calendar time without the C library's time zone machinery. */
#ifndef SZTP_TIMEFMT_H
#define SZTP_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Proleptic Gregorian UTC date to seconds since 1970; -1 if out of range. */
int civil_to_epoch(int y, int mo, int d, int h, int mi, int s, int64_t *out);
/* RFC 3339 date-time (yang:date-and-time): "2026-01-02T03:04:05Z",
 * optional fraction, "Z" or "+hh:mm"/"-hh:mm". -1 if malformed. */
int rfc3339_parse(const char *s, size_t len, int64_t *out);
/* Seconds since 1970 to "YYYY-MM-DDTHH:MM:SSZ" (buf >= 21 bytes). */
void rfc3339_format(int64_t t, char *buf, size_t cap);

#endif
