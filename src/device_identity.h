/* The device's identity and trust anchors, from PEM files. */
#ifndef SZTP_DEVICE_IDENTITY_H
#define SZTP_DEVICE_IDENTITY_H

#include "artifact.h"

/*
 * Certificates from a PEM file appended to certs[*n..cap); their DER is
 * kept in *mem (malloc'd, the caller frees it). Other PEM objects are
 * skipped; a file without certificates is an error.
 */
int cert_file_load(const char *path, uint8_t **mem, struct x509_cert *certs, size_t cap,
		   size_t *n, struct errbuf *e);
/*
 * The IDevID certificate (first certificate of cert_path; NULL: none), its
 * key (key_path; NULL: none) and the serial number (serial, else the
 * certificate's serialNumber attribute; dev->serial is "" if neither).
 */
int device_identity_load(struct device_identity *dev, const char *cert_path, const char *key_path,
			 const char *serial, struct errbuf *e);

/* Wipe the private key (R12-R15: key material lives no longer than needed). */
void device_identity_wipe(struct device_identity *dev);

#endif
