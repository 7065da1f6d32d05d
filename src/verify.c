/*
 * sztpboot verify: validate bootstrapping artifacts exactly as the device
 * does in the field (RFC 8572 5.3, 5.4) and print the validated conveyed
 * information. Exit 0 accepted, 1 rejected, 2 usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "bootstrapping_data.h"
#include "device_identity.h"
#include "pem.h"
#include "readfile.h"
#include "sztp.h"
#include "timefmt.h"
#include "yang_json.h"
#include "hex.h"

#define MAX_TA_FILES 4

static const char usage_text[] =
	"Usage: sztpboot verify [OPTIONS] DIR\n"
	"       sztpboot verify [OPTIONS] --rpc-reply FILE\n\n"
	"Validate bootstrapping data as the device does (RFC 8572 5.4) and print the\n"
	"conveyed information as JSON. DIR holds conveyed-information.cms and, for signed\n"
	"data, owner-certificate.cms and ownership-voucher.cms (or .vcj).\n\n"
	"  --rpc-reply FILE     a get-bootstrapping-data reply body (RFC 7951 JSON)\n"
	"  --serial SN          this device's serial number (default: from the IDevID certificate)\n"
	"  --idevid-cert FILE   this device's IDevID certificate (PEM)\n"
	"  --idevid-key FILE    its private key (PEM), to decrypt encrypted artifacts\n"
	"  --voucher-ta FILE    voucher trust anchors (PEM certificates; may repeat)\n"
	"  --trusted-source     the data came from a TLS-authenticated bootstrap server\n"
	"  --image FILE         also check FILE against the image-verification list\n"
	"  --nonce HEX          the nonce this device sent in its request\n"
	"  --now TIME           validation time, RFC 3339 (default: the system clock)\n"
	"  -q, --quiet          no informational messages\n\n"
	"Exit status: 0 accepted, 1 rejected (one line on stderr says why), 2 usage error.\n";

struct verify_opts {
	const char *dir, *rpc_reply, *serial, *idevid_cert, *idevid_key, *image, *now;
	const char *ta_files[MAX_TA_FILES];
	size_t nta_files;
	int trusted_source;
	uint8_t nonce[32];
	size_t nonce_len;
	int has_nonce;
};

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

static int parse_args(int argc, char **argv, struct verify_opts *o)
{
	enum { O_RPC = 256, O_SERIAL, O_CERT, O_KEY, O_TA, O_TRUSTED, O_IMAGE, O_NONCE, O_NOW };
	static const struct option longopts[] = {
		{ "rpc-reply", required_argument, NULL, O_RPC },
		{ "serial", required_argument, NULL, O_SERIAL },
		{ "idevid-cert", required_argument, NULL, O_CERT },
		{ "idevid-key", required_argument, NULL, O_KEY },
		{ "voucher-ta", required_argument, NULL, O_TA },
		{ "trusted-source", no_argument, NULL, O_TRUSTED },
		{ "image", required_argument, NULL, O_IMAGE },
		{ "nonce", required_argument, NULL, O_NONCE },
		{ "now", required_argument, NULL, O_NOW },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case O_RPC: o->rpc_reply = optarg; break;
		case O_SERIAL: o->serial = optarg; break;
		case O_CERT: o->idevid_cert = optarg; break;
		case O_KEY: o->idevid_key = optarg; break;
		case O_TRUSTED: o->trusted_source = 1; break;
		case O_IMAGE: o->image = optarg; break;
		case O_NOW: o->now = optarg; break;
		case 'q': sztp_quiet = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			exit(SZTP_EXIT_OK);
		case O_TA:
			if (o->nta_files == MAX_TA_FILES) {
				sztp_err("verify: at most %d --voucher-ta files", MAX_TA_FILES);
				return -1;
			}
			o->ta_files[o->nta_files++] = optarg;
			break;
		case O_NONCE:
			if (parse_hex(optarg, o->nonce, sizeof(o->nonce), &o->nonce_len) < 0 || o->nonce_len < 8) {
				sztp_err("verify: bad --nonce `%s' (8 to 32 bytes in hex)", optarg);
				return -1;
			}
			o->has_nonce = 1;
			break;
		default:
			sztp_err("verify: unknown or incomplete option `%s' (try --help)", argv[optind - 1]);
			return -1;
		}
	}
	if (o->rpc_reply ? optind != argc : optind != argc - 1) {
		sztp_err("verify: %s (try --help)", o->rpc_reply ? "--rpc-reply takes no DIR" : "expected one DIR");
		return -1;
	}
	if (!o->rpc_reply)
		o->dir = argv[optind];
	return 0;
}

/* A get-bootstrapping-data reply body from a file. */
static int load_rpc_reply(const char *path, uint8_t **file, struct bootstrapping_data *bd, struct errbuf *e)
{
	struct errbuf le = { 0 };
	size_t len;

	if (read_file(path, RPC_REPLY_MAX, 0, file, &len, &le) < 0 ||
	    bootstrapping_data_from_reply(bd, *file, len, NULL, &le) < 0)
		return errf(e, "%s: %s", path, le.msg);
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static struct device_identity dev;
	static struct x509_cert anchors[VOUCHER_MAX_ANCHORS];
	static struct bootstrapping_data bd;
	static struct validated_info vi;
	struct verify_opts o = { 0 };
	struct validation_clock clk;
	struct errbuf e = { 0 };
	uint8_t *ta_mem[MAX_TA_FILES] = { 0 }, *rpc = NULL;
	size_t nanchors = 0;
	int64_t now;
	int rc = SZTP_EXIT_REJECT;

	if (parse_args(argc, argv, &o) < 0)
		return SZTP_EXIT_USAGE;
	if (o.now) {
		if (rfc3339_parse(o.now, strlen(o.now), &now) < 0) {
			sztp_err("verify: bad --now `%s' (RFC 3339, e.g. 2026-01-31T12:00:00Z)", o.now);
			return SZTP_EXIT_USAGE;
		}
	} else {
		now = (int64_t)time(NULL);
	}
	validation_clock_init(&clk, now);
	if (!clk.accurate) {
		char t1[32], t2[32];

		rfc3339_format(now, t1, sizeof(t1));
		rfc3339_format(SZTP_BUILD_EPOCH, t2, sizeof(t2));
		sztp_log("clock reads %s, before this build (%s): not accurate; created-on and notBefore "
			 "checks skipped, expires-on and notAfter checked against the build time", t1, t2);
	}

	if (device_identity_load(&dev, o.idevid_cert, o.idevid_key, o.serial, &e) < 0)
		goto out;
	if (!dev.serial[0]) {
		sztp_err("verify: no serial number: give --serial, or --idevid-cert with a serialNumber");
		rc = SZTP_EXIT_USAGE;
		goto out_quiet;
	}
	for (size_t i = 0; i < o.nta_files; i++) {
		struct errbuf le = { 0 };

		if (cert_file_load(o.ta_files[i], &ta_mem[i], anchors, VOUCHER_MAX_ANCHORS, &nanchors, &le) < 0) {
			errf(&e, "%s: %s", o.ta_files[i], le.msg);
			goto out;
		}
	}

	bd.ci.name = "conveyed-information";
	bd.oc.name = "owner-certificate";
	bd.ov.name = "ownership-voucher";
	if (o.rpc_reply ? load_rpc_reply(o.rpc_reply, &rpc, &bd, &e) < 0
			: bootstrapping_data_read_dir(&bd, o.dir, &e) < 0)
		goto out;

	struct trust_inputs in = {
		.dev = &dev,
		.voucher_anchors = anchors,
		.nvoucher_anchors = nanchors,
		.nonce = o.has_nonce ? o.nonce : NULL,
		.nonce_len = o.nonce_len,
		.clk = &clk,
		.trusted_source = o.trusted_source,
	};
	if (bootstrapping_data_validate(&bd, &in, &vi, &e) < 0)
		goto out;
	if (o.image && conveyed_info_check_image(&vi.ci, o.image, &e) < 0)
		goto out;

	const char *what = vi.ci.type == REDIRECT_INFORMATION ? "redirect-information" : "onboarding-information";
	if (vi.trust == PROVISIONAL)
		sztp_log("accepted: provisional %s (unsigned, untrusted source): trust anchors dropped", what);
	else
		sztp_log("accepted: trusted %s (%s%s)", what,
			 vi.was_signed ? "signed and validated" : "unsigned, trusted source",
			 vi.was_encrypted ? ", was encrypted" : "");
	if (conveyed_info_write(&vi.ci, vi.trust == PROVISIONAL, stdout) < 0 || fflush(stdout)) {
		errf(&e, "cannot write the conveyed information");
		goto out;
	}
	rc = SZTP_EXIT_OK;
out:
	if (rc != SZTP_EXIT_OK)
		sztp_err("%s", e.msg);
out_quiet:
	bootstrapping_data_close(&bd);
	device_key_wipe(&dev.key);
	for (size_t i = 0; i < MAX_TA_FILES; i++)
		free(ta_mem[i]);
	free(rpc);
	return rc;
}
