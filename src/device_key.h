/*
 * The device's private key (the one matching its IDevID certificate,
 * RFC 8572 3.4), loaded into a caller-owned struct with no allocation.
 */
#ifndef SZTP_DEVICE_KEY_H
#define SZTP_DEVICE_KEY_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "sztp.h"

struct device_key {
	int type;                   /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC; 0 = none loaded */
	br_rsa_private_key rsa;
	br_ec_private_key ec;
	unsigned char mem[4096];    /* owns the key bytes the structs point into */
};

/* Largest DER private key we decode (RSA-4096 PKCS#8 is about 2.4 KB). */
#define DEVICE_KEY_MAX_DER 6144

/*
 * Load the first private key in a PEM file: "PRIVATE KEY" (unencrypted
 * PKCS#8), "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC 1); other
 * objects (certificates, "EC PARAMETERS") are skipped. RSA keys must be
 * 1024 to 4096 bits; EC keys on P-256, P-384 or P-521. Returns 0, or -1
 * with a reason in e and k wiped.
 */
int device_key_load_pem(struct device_key *k, const uint8_t *pem, size_t len, struct errbuf *e);
/* The same from DER (any of the three encodings above). */
int device_key_load_der(struct device_key *k, const uint8_t *der, size_t len, struct errbuf *e);
void device_key_wipe(struct device_key *k);

#endif
