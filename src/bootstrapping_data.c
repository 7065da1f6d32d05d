/* RFC 8572 5.3 and 5.4: may this bootstrapping data be acted upon? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrapping_data.h"
#include "cms.h"
#include "owner_certificate.h"
#include "readfile.h"
#include "yang_json.h"

/* Prefix the artifact's name to the reason recorded in local. */
static int fail(struct errbuf *e, const struct artifact *a, const struct errbuf *local)
{
	return errf(e, "%s: %s", a->name, local->msg);
}

/* Conveyed information content octets: JSON only for now. */
static int decode_content(enum content_type ct, const uint8_t *p, size_t len,
			  struct conveyed_info *ci, struct errbuf *e)
{
	if (ct != CT_CONVEYED_JSON && ct != CT_CONVEYED_XML && ct != CT_DATA)
		return errf(e, "content type is not a conveyed-information type (RFC 8572 3.1)");
	switch (content_encoding(ct, p, len)) {
	case 'J':
		if (conveyed_info_parse(ci, p, len, e) < 0)
			return -1;
		return 0;
	case 'X':
		return errf(e, "XML encoding not supported");
	default:
		return errf(e, "id-data content is neither JSON nor XML");
	}
}

/* RFC 8572 5.4: voucher (step 1), owner certificate (step 2), then the
 * conveyed information's signature by exactly that certificate (step 3). */
static int validate_signed(struct bootstrapping_data *bd, const struct trust_inputs *in,
			   struct validated_info *out, struct errbuf *e)
{
	static struct ownership_voucher ov;
	static struct owner_certificate oc;
	static struct cms_signed_data sd;
	struct voucher_policy vp = {
		.serial = in->dev->serial,
		.idevid = in->dev->has_cert ? &in->dev->cert : NULL,
		.anchors = in->voucher_anchors,
		.nanchors = in->nvoucher_anchors,
		.nonce = in->nonce,
		.nonce_len = in->nonce_len,
		.clk = in->clk,
	};
	struct errbuf le = { 0 };

	/* R108: signed data comes with a voucher and an owner certificate. */
	if (!bd->ov.der)
		return errf(e, "%s: signed, but there is no ownership voucher", bd->ci.name);
	if (!bd->oc.der)
		return errf(e, "%s: signed, but there is no owner certificate", bd->ci.name);
	if (in->nvoucher_anchors == 0)
		return errf(e, "%s: no voucher trust anchors configured (--voucher-ta)", bd->ov.name);

	if (artifact_open(&bd->ov, in->dev, &le) < 0 ||
	    ownership_voucher_validate(&bd->ov, &vp, &ov, &le) < 0)
		return fail(e, &bd->ov, &le);
	if (artifact_open(&bd->oc, in->dev, &le) < 0 ||
	    owner_certificate_validate(&bd->oc, &ov, in->clk, &oc, &le) < 0)
		return fail(e, &bd->oc, &le);

	if (cms_signed_data_parse(&bd->ci.signed_data, &sd, &le) < 0)
		return fail(e, &bd->ci, &le);
	enum content_type ct = content_type_of(&sd.econtent_type);
	if (ct != CT_CONVEYED_JSON && ct != CT_CONVEYED_XML && ct != CT_DATA) {
		errf(&le, "eContentType is not a conveyed-information content type (RFC 8572 3.1)");
		return fail(e, &bd->ci, &le);
	}
	/* R120: signed by the owner certificate itself, not merely by some
	 * certificate that chains to the pinned one. */
	if (cms_signer_cert(&sd, oc.ee, 1) != 0) {
		errf(&le, "not signed by the owner certificate");
		return fail(e, &bd->ci, &le);
	}
	if (cms_signer_verify(&sd, &oc.key, &le) < 0 ||
	    decode_content(ct, sd.econtent.val, sd.econtent.len, &out->ci, &le) < 0)
		return fail(e, &bd->ci, &le);
	out->was_signed = 1;
	out->trust = TRUSTED; /* R26 */
	return 0;
}

int bootstrapping_data_validate(struct bootstrapping_data *bd, const struct trust_inputs *in,
				struct validated_info *out, struct errbuf *e)
{
	struct errbuf le = { 0 };

	memset(out, 0, sizeof(*out) - sizeof(out->ci));
	/* R25: decrypt before anything else. */
	if (artifact_open(&bd->ci, in->dev, &le) < 0)
		return fail(e, &bd->ci, &le);
	out->was_encrypted = bd->ci.encrypted;
	if (bd->ci.form == ARTIFACT_SIGNED)
		return validate_signed(bd, in, out, e);

	/* Unsigned: the R106 grouping is conveyed information alone. */
	if (bd->ov.der || bd->oc.der) {
		errf(&le, "unsigned, but accompanied by a voucher or owner certificate");
		return fail(e, &bd->ci, &le);
	}
	if (decode_content(bd->ci.type, bd->ci.data, bd->ci.data_len, &out->ci, &le) < 0)
		return fail(e, &bd->ci, &le);
	if (in->trusted_source) {
		out->trust = TRUSTED; /* R24, R181 */
		return 0;
	}
	/* R23, R30, R38, R133: from an untrusted source, unsigned onboarding
	 * information is never acted on; unsigned redirect information is
	 * followed provisionally, without its trust anchors. */
	if (out->ci.type == ONBOARDING_INFORMATION) {
		errf(&le, "unsigned onboarding-information from an untrusted source");
		return fail(e, &bd->ci, &le);
	}
	out->trust = PROVISIONAL;
	return 0;
}

int bootstrapping_data_read_dir(struct bootstrapping_data *bd, const char *dir, struct errbuf *e)
{
	static const char *const files[] = { "conveyed-information.cms", "owner-certificate.cms", "ownership-voucher.cms" };
	static const size_t limits[] = { CONVEYED_INFO_CMS_MAX, OWNER_CERT_CMS_MAX, VOUCHER_CMS_MAX };
	struct artifact *arts[] = { &bd->ci, &bd->oc, &bd->ov };
	struct errbuf le = { 0 };

	for (int i = 0; i < 3; i++) {
		size_t len;
		int r;

		arts[i]->name = files[i];
		snprintf(bd->path[i], sizeof(bd->path[i]), "%s/%s", dir, files[i]);
		r = read_file(bd->path[i], limits[i], i > 0, &bd->owned[i], &len, &le);
		/* RFC 8366 8.3: a voucher may also be named .vcj. */
		if (r == 1 && i == 2) {
			snprintf(bd->path[i], sizeof(bd->path[i]), "%s/ownership-voucher.vcj", dir);
			r = read_file(bd->path[i], limits[i], 1, &bd->owned[i], &len, &le);
		}
		if (r < 0)
			return errf(e, "%s: %s", files[i], le.msg);
		if (r == 1)
			continue;
		arts[i]->der = bd->owned[i];
		arts[i]->len = len;
		/* Messages name the artifact file, as the operator knows it. */
		arts[i]->name = strrchr(bd->path[i], '/') + 1;
	}
	return 0;
}

/* See bootstrapping_data.h: RFC 8572 7.3 output, RFC 7951 JSON. */
int bootstrapping_data_from_reply(struct bootstrapping_data *bd, const uint8_t *json, size_t len,
				  char level[8], struct errbuf *e)
{
	static const char *const members[] = {
		"reporting-level", "conveyed-information", "owner-certificate", "ownership-voucher", NULL,
	};
	static const char *const leaves[] = { "conveyed-information", "owner-certificate", "ownership-voucher" };
	static const size_t limits[] = { CONVEYED_INFO_CMS_MAX, OWNER_CERT_CMS_MAX, VOUCHER_CMS_MAX };
	struct artifact *arts[] = { &bd->ci, &bd->oc, &bd->ov };
	struct json_tok tok[32];
	struct json_doc d;
	struct json_limits lim = json_default_limits;
	long out, idx[3], lv;

	lim.max_bytes = RPC_REPLY_MAX;
	lim.max_string = RPC_REPLY_MAX;
	if (json_parse(&d, (const char *)json, len, tok, 32, &lim, e) < 0)
		return -1;
	if (d.tok[0].type != JSON_OBJECT || d.tok[0].size != 1 ||
	    (out = json_get(&d, 0, "ietf-sztp-bootstrap-server:output")) < 0 || d.tok[out].type != JSON_OBJECT)
		return errf(e, "not an ietf-sztp-bootstrap-server:output document");
	if (yj_only_members(&d, (size_t)out, members, "output", e) < 0 ||
	    yj_member(&d, (size_t)out, "reporting-level", JSON_STRING, &lv, "output", e) < 0 ||
	    yj_mandatory(&d, (size_t)out, leaves[0], JSON_STRING, &idx[0], "output", e) < 0 ||
	    yj_member(&d, (size_t)out, leaves[1], JSON_STRING, &idx[1], "output", e) < 0 ||
	    yj_member(&d, (size_t)out, leaves[2], JSON_STRING, &idx[2], "output", e) < 0)
		return -1;
	if (lv >= 0 && !json_str_eq(&d, (size_t)lv, "minimal") && !json_str_eq(&d, (size_t)lv, "verbose"))
		return errf(e, "reporting-level must be minimal or verbose");
	if (level)
		strcpy(level, lv >= 0 && json_str_eq(&d, (size_t)lv, "verbose") ? "verbose" : "minimal");
	if ((idx[1] >= 0) != (idx[2] >= 0))
		return errf(e, "owner-certificate and ownership-voucher must come together");
	for (int i = 0; i < 3; i++) {
		long n;

		if (idx[i] < 0)
			continue;
		/* Refuse before decoding: base64 of limit bytes is 4 * ceil(limit / 3). */
		if (d.tok[idx[i]].len - 2 > (limits[i] + 2) / 3 * 4)
			return errf(e, "%s is larger than the %zu-byte limit", leaves[i], limits[i]);
		free(bd->owned[i]);
		bd->owned[i] = malloc(limits[i]);
		if (!bd->owned[i])
			return errf(e, "out of memory");
		n = yj_binary(&d, (size_t)idx[i], bd->owned[i], limits[i], leaves[i], e);
		if (n < 0)
			return -1;
		arts[i]->der = bd->owned[i];
		arts[i]->len = (size_t)n;
		arts[i]->name = leaves[i];
	}
	return 0;
}

void bootstrapping_data_close(struct bootstrapping_data *bd)
{
	artifact_close(&bd->ci);
	artifact_close(&bd->oc);
	artifact_close(&bd->ov);
	for (int i = 0; i < 3; i++) {
		free(bd->owned[i]);
		bd->owned[i] = NULL;
	}
}
