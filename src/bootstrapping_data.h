/*
 * Deciding whether bootstrapping data may be acted upon: RFC 8572 5.3
 * (trust state) and 5.4 (validating signed data), for data from any
 * source. The caller reads the artifacts; this module decrypts, validates
 * and classifies them.
 */
#ifndef SZTP_BOOTSTRAPPING_DATA_H
#define SZTP_BOOTSTRAPPING_DATA_H

#include "artifact.h"
#include "clock_policy.h"
#include "conveyed_info.h"
#include "ownership_voucher.h"

/* Hard limits on artifacts as received (README, "Limits"). */
#define CONVEYED_INFO_CMS_MAX (CONVEYED_INFO_MAX + 64u * 1024)
#define OWNER_CERT_CMS_MAX (256u * 1024)
/* A get-bootstrapping-data reply: three base64 artifacts and some JSON. */
#define RPC_REPLY_MAX (2 * CONVEYED_INFO_CMS_MAX + 1024 * 1024)

struct bootstrapping_data {
	struct artifact ci;     /* conveyed information: always present */
	struct artifact oc;     /* owner certificate: der == NULL if absent */
	struct artifact ov;     /* ownership voucher: der == NULL if absent */
	uint8_t *owned[3];      /* buffers freed by bootstrapping_data_close() */
	char path[3][4096];
};

/*
 * Read the artifact files of RFC 8572 4.1 from dir: conveyed-information.cms
 * and, where present, owner-certificate.cms and ownership-voucher.cms (or
 * .vcj), each within its limit. Returns 0, or -1 with the reason in e.
 */
int bootstrapping_data_read_dir(struct bootstrapping_data *bd, const char *dir, struct errbuf *e);

/*
 * The artifacts of a get-bootstrapping-data reply body (RFC 8572 7.3
 * output, RFC 7951 JSON), checked against the module and decoded into
 * buffers owned by bd. level (if not NULL) gets "minimal" or "verbose"
 * (the default when absent is minimal). -1 with the reason in e.
 */
int bootstrapping_data_from_reply(struct bootstrapping_data *bd, const uint8_t *json, size_t len,
				  char level[8], struct errbuf *e);

struct trust_inputs {
	const struct device_identity *dev;
	const struct x509_cert *voucher_anchors;
	size_t nvoucher_anchors;
	const uint8_t *nonce;           /* sent by this device, or NULL */
	size_t nonce_len;
	const struct validation_clock *clk;
	int trusted_source;             /* TLS-authenticated bootstrap server (R24) */
};

enum trust_outcome {
	TRUSTED = 1,        /* signed and valid, or from a trusted source */
	PROVISIONAL,        /* unsigned redirect information from an untrusted source */
};

struct validated_info {
	enum trust_outcome trust;
	int was_signed;
	int was_encrypted;
	struct conveyed_info ci;        /* points into the artifacts */
};

/*
 * Validate. On failure returns -1 and e->msg reads "FILE: reason", naming
 * the artifact that failed. The artifacts must stay alive (and open) as
 * long as out is used; bootstrapping_data_close() releases them.
 */
int bootstrapping_data_validate(struct bootstrapping_data *bd, const struct trust_inputs *in,
				struct validated_info *out, struct errbuf *e);
void bootstrapping_data_close(struct bootstrapping_data *bd);

#endif
