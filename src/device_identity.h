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
 * The IDevID certificate (first certificate of cert_path; NULL: none) and
 * the intermediates after it (at most DEVICE_INTERMEDIATES_MAX), its key
 * (key_path; NULL: none) and the serial number (serial, else the
 * certificate's serialNumber attribute; dev->serial is "" if neither).
 */
int device_identity_load(struct device_identity *dev, const char *cert_path, const char *key_path,
			 const char *serial, struct errbuf *e);

/*
 * The certificates a TLS client sends (R79): the IDevID, then its
 * intermediates, as the arrays struct tls_params and struct http_tls take.
 * Returns how many (0 without a certificate); cap must be at least
 * 1 + DEVICE_INTERMEDIATES_MAX.
 */
size_t device_identity_chain(const struct device_identity *dev, const uint8_t **der, size_t *len,
			     size_t cap);

/*
 * A TLS client identity (R77, R79) for the host drivers: every certificate
 * of chain_path (the device's first, then its intermediates), as the
 * arrays struct tls_params and struct http_tls take, and the key of
 * key_path. client_identity_free() wipes the key and frees the DER.
 */
#define CLIENT_CHAIN_MAX 8
struct client_identity {
	struct x509_cert chain[CLIENT_CHAIN_MAX];
	const uint8_t *der[CLIENT_CHAIN_MAX];
	size_t len[CLIENT_CHAIN_MAX];
	size_t n;
	uint8_t *mem;
	struct device_key key;
};
int client_identity_load(struct client_identity *ci, const char *chain_path, const char *key_path,
			 struct errbuf *e);
void client_identity_free(struct client_identity *ci);

/* Wipe the private key (R12-R15: key material lives no longer than needed). */
void device_identity_wipe(struct device_identity *dev);

#endif
