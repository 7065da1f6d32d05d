/*
 * One round over the board's sources, in the board's order (RFC 8572 5.2,
 * App. C.3: local first, R33, R180): the words of `sources`:
 *   usb      removable storage (4.1)
 *   dns      TXT records for this serial number, then SRV records for
 *            bootstrap servers (4.2, R47), mDNS before unicast (R48)
 *   dhcp     option 143 / option 136 server lists (4.3, 8)
 *   servers  the board's well-known bootstrap servers (4.4)
 * A successful onboarding never returns (it kexecs).
 */
#ifndef SZTP_SOURCES_H
#define SZTP_SOURCES_H

#include "device.h"
#include "source_removable.h"

enum source_result sources_round(struct device *d);

#endif
