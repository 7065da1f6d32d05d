/*
 * RFC 8572 5.6, boot image: download, verify and install, streamed. The
 * image never sits in memory: it flows from its download-uri through
 * SHA-256 into the inactive slot, and only a matching hash counts.
 */
#ifndef SZTP_BOOT_IMAGE_H
#define SZTP_BOOT_IMAGE_H

#include "conveyed_info.h"
#include "http_client.h"

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
 * Network access for http: and https: download-uris (R151). The image
 * server is authenticated as tls says: provisionally is allowed (R152,
 * the hash decides), anchored when the caller has anchors; the client
 * certificate is offered when given. conn is shared with whoever else
 * talks to servers (keep-alive: one handshake per server), and left open.
 */
struct boot_image_net {
	struct http_conn *conn;
	struct http_tls tls;
	unsigned timeout_ms;        /* connect, and each read or write */
	unsigned max_resumes;       /* Range requests after a drop, per download */
	/* Set by each download (tests, benchmark). */
	uint64_t bytes;             /* image octets in the slot */
	unsigned resumes;           /* Range requests it took */
};

/*
 * Try each download-uri in order until one installs: file: URIs resolve
 * against media_root (removable storage) and cannot leave it; http: and
 * https: URIs need net (NULL: no network, such URIs are skipped with a
 * reason). Writes the slot, fsyncs it and checks the SHA-256 (R153): a
 * mismatch moves on to the next URI. -1 with the reason in e when no URI
 * gave a verified image. Nothing is activated here.
 */
int boot_image_install(const struct conveyed_info *ci, const struct boot_image_info *bi,
		       const char *media_root, struct boot_image_net *net, const char *slot_dev,
		       struct errbuf *e);

/*
 * The slot: a block device, or a regular file standing in for one (tests,
 * benchmark). It is written from offset 0, never created or truncated, and
 * an image larger than the slot is refused: larger than the block device,
 * or than the regular file when it is not empty (preallocate it, e.g.
 * `truncate -s`). An empty regular file takes an image of any size.
 */

/* Stream src into slot_dev (from offset 0), hashing; fsync. */
int boot_image_stream(int src, const char *slot_dev, uint64_t total, uint8_t sha256[32],
		      struct errbuf *e);

/*
 * Download one http: or https: URI into slot_dev, hashing; fsync. Each
 * address of the host is tried in turn (R129) until one serves the image
 * (a 200); a connection lost in the body is resumed with a Range request
 * on a fresh connection, up to net->max_resumes times. sha256 is what was
 * written; the caller compares it.
 */
int boot_image_download(struct boot_image_net *net, const char *uri, const char *slot_dev,
			uint8_t sha256[32], struct errbuf *e);

#endif
