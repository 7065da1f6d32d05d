/*
 * One bootstrapping artifact (RFC 8572 3): a DER ContentInfo, possibly
 * encrypted to this device. artifact_open() decrypts first (R25, 3.4) and
 * then says what the artifact really is, judged by the bytes rather than
 * by the labels around them.
 */
#ifndef SZTP_ARTIFACT_H
#define SZTP_ARTIFACT_H

#include "der.h"
#include "device_key.h"
#include "sztp.h"
#include "x509_cert.h"

/* The device's identity: IDevID certificate, its key, its serial number. */
#define DEVICE_INTERMEDIATES_MAX 4
struct device_identity {
	int has_cert;
	struct x509_cert cert;
	uint8_t cert_der[8192];
	size_t cert_len;
	/* Intermediates that follow it in its file: sent with it (R79). */
	uint8_t inter_der[16384];
	size_t inter_off[DEVICE_INTERMEDIATES_MAX], inter_len[DEVICE_INTERMEDIATES_MAX];
	size_t ninter;
	struct device_key key;   /* key.type == 0: no key */
	char serial[65];
};

enum artifact_form {
	ARTIFACT_SIGNED,   /* a SignedData (signed, or certs-only) */
	ARTIFACT_DATA,     /* unsigned content octets */
};

/* Content type of unsigned data, or the eContentType of signed data. */
enum content_type {
	CT_OTHER,
	CT_DATA,            /* id-data: the encoding is recognised from the content */
	CT_CONVEYED_JSON,
	CT_CONVEYED_XML,
	CT_VOUCHER_JSON,
};

struct artifact {
	const char *name;       /* as shown in messages: the file name */
	const uint8_t *der;     /* as received */
	size_t len;
	uint8_t *plain;         /* decrypted bytes, owned (NULL if not encrypted) */
	size_t plain_len;
	int encrypted;
	enum artifact_form form;
	struct der_tlv signed_data;   /* ARTIFACT_SIGNED: the SignedData SEQUENCE */
	enum content_type type;       /* ARTIFACT_DATA: its content type */
	const uint8_t *data;          /* ARTIFACT_DATA: content octets */
	size_t data_len;
};

enum content_type content_type_of(const struct der_tlv *oid);
/* Decrypt if needed and classify. -1 with the reason in e (no name prefix). */
int artifact_open(struct artifact *a, const struct device_identity *dev, struct errbuf *e);
void artifact_close(struct artifact *a);

/* Encoding of content octets labelled t: 'J' JSON, 'X' XML, 0 unknown.
 * id-data is recognised from the first non-blank byte (RFC 8572 3.1
 * leaves the signal out of band). */
int content_encoding(enum content_type t, const uint8_t *p, size_t len);

#endif
