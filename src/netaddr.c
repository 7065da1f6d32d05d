/* See netaddr.h. */
#include <netinet/in.h>
#include <stdio.h>

#include "netaddr.h"

/* RFC 5952 4.2: the longest run of two or more zero groups becomes "::". */
void ip6_text(const uint8_t *a, char *buf, size_t cap)
{
	int best = -1, bestlen = 1;
	size_t n = 0;

	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && !a[2 * j] && !a[2 * j + 1])
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	buf[0] = '\0';
	for (int i = 0; i < 8 && n < cap; i++) {
		if (i == best) {
			n += (size_t)snprintf(buf + n, cap - n, "::");
			i += bestlen - 1;
			continue;
		}
		n += (size_t)snprintf(buf + n, cap - n, "%s%x", i > 0 && i != best + bestlen ? ":" : "",
				      a[2 * i] << 8 | a[2 * i + 1]);
	}
}

void ip_text(const struct sockaddr *sa, char *buf, size_t cap)
{
	if (sa->sa_family == AF_INET) {
		const uint8_t *a = (const uint8_t *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;

		snprintf(buf, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (sa->sa_family == AF_INET6) {
		ip6_text(((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr, buf, cap);
	} else {
		snprintf(buf, cap, "(address family %d)", sa->sa_family);
	}
}

void sockaddr_text(const struct sockaddr *sa, char *buf, size_t cap)
{
	char h[48];
	unsigned port = sa->sa_family == AF_INET ? ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port)
			: sa->sa_family == AF_INET6 ? ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port)
						    : 0;

	ip_text(sa, h, sizeof(h));
	if (sa->sa_family == AF_INET6)
		snprintf(buf, cap, "[%s]:%u", h, port);
	else if (sa->sa_family == AF_INET)
		snprintf(buf, cap, "%s:%u", h, port);
	else
		snprintf(buf, cap, "%s", h);
}
