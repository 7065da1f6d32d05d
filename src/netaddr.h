/*
 * Socket addresses as text for messages, without inet_ntop (which brings
 * about 1 KB into a static binary for what is two lines of formatting):
 * "192.0.2.1:443", "[2001:db8::1]:443" (RFC 5952 compressed IPv6).
 */
#ifndef SZTP_NETADDR_H
#define SZTP_NETADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* The 16 octets of an IPv6 address, RFC 5952 text (no brackets). */
void ip6_text(const uint8_t *a, char *buf, size_t cap);
/* The address of an IPv4 or IPv6 socket address, without the port. */
void ip_text(const struct sockaddr *sa, char *buf, size_t cap);
/* An IPv4 or IPv6 socket address with its port. */
void sockaddr_text(const struct sockaddr *sa, char *buf, size_t cap);

#endif
