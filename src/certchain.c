/* Path building and validation on BearSSL's minimal X.509 engine. */
#include <string.h>

#include "certchain.h"
#include "timefmt.h"

static int check_validity(const struct x509_cert *c, const struct validation_clock *clk,
			  const char *what, struct errbuf *e)
{
	char t[32];

	if (c->not_after < clk->now) {
		rfc3339_format(c->not_after, t, sizeof(t));
		return errf(e, "%s certificate expired at %s", what, t);
	}
	if (clk->accurate && c->not_before > clk->now) {
		rfc3339_format(c->not_before, t, sizeof(t));
		return errf(e, "%s certificate not valid before %s", what, t);
	}
	return 0;
}

static void copy_key(struct chain_key *dst, const br_x509_pkey *pk, unsigned usages)
{
	dst->pkey.key_type = pk->key_type;
	dst->usages = usages;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		const br_rsa_public_key *r = &pk->key.rsa;

		memcpy(dst->data, r->n, r->nlen);
		memcpy(dst->data + r->nlen, r->e, r->elen);
		dst->pkey.key.rsa.n = dst->data;
		dst->pkey.key.rsa.nlen = r->nlen;
		dst->pkey.key.rsa.e = dst->data + r->nlen;
		dst->pkey.key.rsa.elen = r->elen;
	} else {
		const br_ec_public_key *k = &pk->key.ec;

		memcpy(dst->data, k->q, k->qlen);
		dst->pkey.key.ec.curve = k->curve;
		dst->pkey.key.ec.q = dst->data;
		dst->pkey.key.ec.qlen = k->qlen;
	}
}

int certchain_cert_key(const struct x509_cert *c, struct chain_key *key)
{
	br_x509_decoder_context dc;
	const br_x509_pkey *pk;

	br_x509_decoder_init(&dc, NULL, NULL);
	br_x509_decoder_push(&dc, c->whole.raw, c->whole.rawlen);
	pk = br_x509_decoder_get_pkey(&dc);
	if (!pk || br_x509_decoder_last_error(&dc) != 0)
		return -1;
	if (pk->key_type == BR_KEYTYPE_RSA ? pk->key.rsa.nlen + pk->key.rsa.elen > sizeof(key->data)
					   : pk->key.ec.qlen > sizeof(key->data))
		return -1;
	copy_key(key, pk, 0);
	return 0;
}

static const char *x509_reason(int err)
{
	switch (err) {
	case BR_ERR_X509_BAD_SIGNATURE: return "bad certificate signature";
	case BR_ERR_X509_NOT_CA: return "issuer is not a CA";
	case BR_ERR_X509_CRITICAL_EXTENSION: return "unsupported critical extension";
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE: return "key usage forbids certificate signing";
	case BR_ERR_X509_WEAK_PUBLIC_KEY: return "public key too weak";
	case BR_ERR_X509_NOT_TRUSTED: return "no path to a trust anchor";
	case BR_ERR_X509_UNSUPPORTED: return "unsupported algorithm";
	case BR_ERR_X509_EXPIRED: return "validity";
	default: return "malformed certificate";
	}
}

int certchain_validate(const struct x509_cert *leaf, const struct x509_cert *pool, size_t npool,
		       const struct x509_cert *anchors, size_t nanchors,
		       const struct validation_clock *clk, struct chain_key *key, struct errbuf *e)
{
	const struct x509_cert *path[CERTCHAIN_MAX_DEPTH];
	const struct x509_cert *anchor = NULL;
	size_t depth = 0;
	const struct x509_cert *cur = leaf;

	/* A leaf that is itself an anchor (e.g. the pinned owner certificate). */
	for (size_t i = 0; i < nanchors; i++)
		if (x509_cert_same(leaf, &anchors[i])) {
			if (check_validity(leaf, clk, "end-entity", e) < 0)
				return -1;
			if (certchain_cert_key(leaf, key) < 0)
				return errf(e, "cannot decode the signer's public key");
			key->usages = leaf->has_key_usage
				? ((leaf->key_usage & KU_DIGITAL_SIGNATURE) ? BR_KEYTYPE_SIGN : 0)
				: BR_KEYTYPE_SIGN | BR_KEYTYPE_KEYX;
			return 0;
		}

	/* Build the path: prefer an anchor as issuer, else a pool certificate
	 * not yet on the path. Greedy; duplicate subjects fail closed. */
	for (;;) {
		const struct x509_cert *next = NULL;

		if (depth == CERTCHAIN_MAX_DEPTH)
			return errf(e, "certificate path longer than %d", CERTCHAIN_MAX_DEPTH);
		path[depth++] = cur;
		for (size_t i = 0; i < nanchors && !anchor; i++)
			if (x509_names_issue(&anchors[i], cur))
				anchor = &anchors[i];
		if (anchor)
			break;
		for (size_t i = 0; i < npool && !next; i++) {
			int used = 0;

			if (!x509_names_issue(&pool[i], cur))
				continue;
			for (size_t j = 0; j < depth; j++)
				used |= x509_cert_same(path[j], &pool[i]);
			if (!used)
				next = &pool[i];
		}
		if (!next)
			return errf(e, "no issuer found for a certificate in the path");
		cur = next;
	}

	/* Validity under our clock policy; BearSSL then runs at a moment that
	 * lies inside every period (the latest notBefore), so it checks only
	 * what we cannot: signatures and constraints. */
	int64_t when = clk->now;
	if (!clk->accurate) {
		when = INT64_MIN;
		for (size_t i = 0; i < depth; i++)
			if (path[i]->not_before > when)
				when = path[i]->not_before;
	}
	for (size_t i = 0; i < depth; i++) {
		if (check_validity(path[i], clk, i ? "intermediate" : "end-entity", e) < 0)
			return -1;
		if (path[i]->not_after < when)
			return errf(e, "certificate validity periods in the path do not overlap");
	}

	/* The anchor as BearSSL wants it: DN and key. */
	struct chain_key ta_key;
	br_x509_trust_anchor ta;
	br_x509_minimal_context mc;
	const br_x509_class **xc = &mc.vtable;
	const br_x509_pkey *pk;
	unsigned usages = 0;
	int err;

	if (certchain_cert_key(anchor, &ta_key) < 0)
		return errf(e, "cannot decode the trust anchor's public key");
	ta.dn.data = (unsigned char *)anchor->subject.raw;
	ta.dn.len = anchor->subject.rawlen;
	ta.flags = BR_X509_TA_CA;
	ta.pkey = ta_key.pkey;

	br_x509_minimal_init_full(&mc, &ta, 1);
	br_x509_minimal_set_minrsa(&mc, 256); /* 2048-bit RSA at least */
	int64_t days = when / 86400, secs = when % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* BearSSL counts days from 0000-01-01; 1970-01-01 is day 719528. */
	br_x509_minimal_set_time(&mc, (uint32_t)(days + 719528), (uint32_t)secs);
	(*xc)->start_chain(xc, NULL);
	for (size_t i = 0; i < depth; i++) {
		(*xc)->start_cert(xc, (uint32_t)path[i]->whole.rawlen);
		(*xc)->append(xc, path[i]->whole.raw, path[i]->whole.rawlen);
		(*xc)->end_cert(xc);
	}
	err = (*xc)->end_chain(xc);
	if (err != 0)
		return errf(e, "certificate path rejected: %s", x509_reason(err));
	pk = (*xc)->get_pkey(xc, &usages);
	if (!pk)
		return errf(e, "certificate path rejected: no key");
	copy_key(key, pk, usages);
	return 0;
}
