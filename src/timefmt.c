/* Calendar conversions: days-from-civil (H. Hinnant's algorithm). */
#include <stdio.h>

#include "timefmt.h"

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int civil_to_epoch(int y, int mo, int d, int h, int mi, int s, int64_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 || s > 60)
		return -1;
	int64_t yy = y - (mo <= 2);
	int64_t era = yy / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;

	/* A leap second counts as the next second's start. */
	*out = days * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

static int num(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int rfc3339_parse(const char *s, size_t len, int64_t *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	size_t i = 19;
	int64_t t;

	if (len < 20 || num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' ||
	    num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || num(s + 11, 2, &h) ||
	    s[13] != ':' || num(s + 14, 2, &mi) || s[16] != ':' || num(s + 17, 2, &sec))
		return -1;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 12)
			i++;
		if (i == start)
			return -1;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && !num(s + i + 1, 2, &oh) &&
		   s[i + 3] == ':' && !num(s + i + 4, 2, &om) && oh < 24 && om < 60) {
		if (s[i] == '+') {
			oh = -oh;
			om = -om;
		}
		i += 6;
	} else {
		return -1;
	}
	if (i != len || civil_to_epoch(y, mo, d, h, mi, sec, &t) < 0)
		return -1;
	*out = t + oh * 3600 + om * 60;
	return 0;
}

void rfc3339_format(int64_t t, char *buf, size_t cap)
{
	int64_t days = t / 86400, rem = t % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}
