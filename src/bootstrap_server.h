/*
 * The two RPCs of a bootstrap server (RFC 8572 7, module
 * ietf-sztp-bootstrap-server), RESTCONF (RFC 8040) over an http_conn, JSON
 * encoded (RFC 7951, media type application/yang-data+json, R87, R88). The
 * RESTCONF root is "/restconf", as in the RFC's examples (R75, R90).
 *
 * What is sent depends on whether the server was authenticated (R81, R82,
 * R178, 9.6):
 *   untrusted  {"signed-data-preferred": [null]} and nothing else: no
 *              hw-model, no OS, no nonce (the device insists on signed
 *              data instead, R177);
 *   trusted    hw-model, os-name, os-version and a fresh nonce (R80), the
 *              nonce to be matched by a returned voucher's (RFC 8366).
 * report-progress is only ever called on trusted servers (R92, R141): the
 * caller decides; this module only encodes.
 */
#ifndef SZTP_BOOTSTRAP_SERVER_H
#define SZTP_BOOTSTRAP_SERVER_H

#include "bootstrapping_data.h"
#include "http_client.h"

#define BS_PATH_GET "/restconf/operations/ietf-sztp-bootstrap-server:get-bootstrapping-data"
#define BS_PATH_REPORT "/restconf/operations/ietf-sztp-bootstrap-server:report-progress"
#define BS_MEDIA_TYPE "application/yang-data+json"
#define BS_NONCE_LEN 32           /* R80: 16..32 octets */
#define BS_MESSAGE_MAX 512        /* report-progress message, as sent */
#define BS_REPORT_MAX (64 * 1024) /* a report body */
#define BS_SSH_KEYS_MAX 4
#define BS_TA_CERTS_MAX 4

struct bs_request {
	int trusted;
	const char *hw_model, *os_name, *os_version; /* trusted only; NULL or "": left out */
	const uint8_t *nonce;                         /* trusted only; NULL: none */
	size_t nonce_len;
};

/*
 * POST get-bootstrapping-data. 200 with a valid output document: 0, the
 * artifacts in bd (owned by bd) and level "minimal" or "verbose". Any other
 * status, or a malformed or oversized reply: -1 with the reason in e
 * (naming the status).
 */
int bs_get_bootstrapping_data(struct http_conn *c, const struct bs_request *rq,
			      struct bootstrapping_data *bd, char level[8], struct errbuf *e);

struct bs_report {
	const char *type;           /* a progress-type enum value (7.3) */
	const char *message;        /* NULL: none; cut at BS_MESSAGE_MAX */
	/* bootstrap-complete only (R164): */
	const char *ssh_alg[BS_SSH_KEYS_MAX];      /* e.g. "ssh-ed25519" */
	const char *ssh_key_b64[BS_SSH_KEYS_MAX];  /* RFC 4253 6.6 blob, base64 */
	size_t nssh;
	const uint8_t *ta_der[BS_TA_CERTS_MAX];    /* CMS certs-only (R85) */
	size_t ta_len[BS_TA_CERTS_MAX];
	size_t nta;
};

/* Encode a report-progress input (exposed for tests). Length, or -1. */
long bs_report_body(const struct bs_report *r, char *out, size_t cap);
/* Encode a get-bootstrapping-data input (exposed for tests). Length, or -1. */
long bs_request_body(const struct bs_request *rq, char *out, size_t cap);

/* POST report-progress: 0 on "204 No Content" (R86), else -1 (reason in e). */
int bs_report_progress(struct http_conn *c, const struct bs_report *r, struct errbuf *e);

#endif
