/*
 * Removable storage as a bootstrapping source (RFC 8572 4.1): USB mass
 * storage, mounted read-only, with the artifacts at
 *   <manufacturer>/<serial-number>/bootstrapping-data/
 * so one stick carries data for many devices of many makers (R42, R43).
 * Always an untrusted source (R38).
 */
#ifndef SZTP_SOURCE_REMOVABLE_H
#define SZTP_SOURCE_REMOVABLE_H

#include "device.h"

enum source_result {
	SOURCE_NOTHING,      /* no medium, or no data for this device */
	SOURCE_FAILED,       /* data found, but rejected or processing failed */
};

/* Try every removable medium now present. Returns only when none led to
 * a boot (a successful onboarding kexecs). */
enum source_result source_removable_try(struct device *d);
/* A fingerprint of the attached removable disks, to notice hot-plugs. */
unsigned long source_removable_fingerprint(void);

#endif
