/*
 * RFC 8572 5.6, boot image: download, verify and install, streamed. The
 * image never sits in memory: it flows from its download-uri through
 * SHA-256 into the inactive slot, and only a matching hash counts.
 */
#ifndef SZTP_BOOT_IMAGE_H
#define SZTP_BOOT_IMAGE_H

#include "conveyed_info.h"

struct boot_image_info {
	int present;                /* onboarding information has a boot-image */
	char os_name[128];
	char os_version[128];
	int has_hash;
	uint8_t sha256[32];
};

/* The boot-image node of onboarding information. */
int boot_image_info(const struct conveyed_info *ci, struct boot_image_info *bi, struct errbuf *e);
/*
 * Try each download-uri in order until one installs: file: URIs resolve
 * against media_root (removable storage) and cannot leave it. Writes the
 * slot, fsyncs it and checks the SHA-256. -1 with the reason in e when no
 * URI gave a verified image.
 */
int boot_image_install(const struct conveyed_info *ci, const struct boot_image_info *bi,
		       const char *media_root, const char *slot_dev, struct errbuf *e);
/* Stream src into slot_dev (from offset 0), hashing; fsync. */
int boot_image_stream(int src, const char *slot_dev, uint64_t total, uint8_t sha256[32],
		      struct errbuf *e);

#endif
