/* Private key loading on BearSSL's br_skey_decoder. */
#include <string.h>

#include "device_key.h"
#include "pem.h"

void device_key_wipe(struct device_key *k)
{
	sztp_wipe(k, sizeof(*k));
}

static int copy_rsa(struct device_key *k, const br_rsa_private_key *sk, struct errbuf *e)
{
	size_t need = sk->plen + sk->qlen + sk->dplen + sk->dqlen + sk->iqlen, o = 0;

	if (sk->n_bitlen < 1024 || sk->n_bitlen > 4096)
		return errf(e, "RSA key size %u bits not supported (1024 to 4096)", (unsigned)sk->n_bitlen);
	if (need > sizeof(k->mem))
		return errf(e, "RSA private key too large");
	k->rsa.n_bitlen = sk->n_bitlen;
#define TAKE(f) do { memcpy(k->mem + o, sk->f, sk->f##len); k->rsa.f = k->mem + o; \
		k->rsa.f##len = sk->f##len; o += sk->f##len; } while (0)
	TAKE(p);
	TAKE(q);
	TAKE(dp);
	TAKE(dq);
	TAKE(iq);
#undef TAKE
	k->type = BR_KEYTYPE_RSA;
	return 0;
}

static int copy_ec(struct device_key *k, const br_ec_private_key *sk, struct errbuf *e)
{
	/* RFC 5753 ECDH on the NIST curves we can multiply on. */
	if (sk->curve != BR_EC_secp256r1 && sk->curve != BR_EC_secp384r1 &&
	    sk->curve != BR_EC_secp521r1)
		return errf(e, "EC key on curve %d not supported (P-256, P-384, P-521)", sk->curve);
	if (!((br_ec_get_default()->supported_curves >> sk->curve) & 1))
		return errf(e, "EC curve %d not supported by this build", sk->curve);
	if (sk->xlen == 0 || sk->xlen > sizeof(k->mem))
		return errf(e, "malformed EC private key");
	memcpy(k->mem, sk->x, sk->xlen);
	k->ec.curve = sk->curve;
	k->ec.x = k->mem;
	k->ec.xlen = sk->xlen;
	k->type = BR_KEYTYPE_EC;
	return 0;
}

int device_key_load_der(struct device_key *k, const uint8_t *der, size_t len, struct errbuf *e)
{
	br_skey_decoder_context dc;
	int ret = -1, err;

	memset(k, 0, sizeof(*k));
	br_skey_decoder_init(&dc);
	br_skey_decoder_push(&dc, der, len);
	err = br_skey_decoder_last_error(&dc);
	if (err == BR_ERR_X509_UNSUPPORTED) {
		errf(e, "unsupported private key algorithm or curve");
		goto out;
	}
	if (err == BR_ERR_X509_LIMIT_EXCEEDED) {
		errf(e, "private key too large");
		goto out;
	}
	if (err != 0) {
		errf(e, "malformed private key (BearSSL error %d)", err);
		goto out;
	}
	switch (br_skey_decoder_key_type(&dc)) {
	case BR_KEYTYPE_RSA:
		ret = copy_rsa(k, br_skey_decoder_get_rsa(&dc), e);
		break;
	case BR_KEYTYPE_EC:
		ret = copy_ec(k, br_skey_decoder_get_ec(&dc), e);
		break;
	default:
		errf(e, "unsupported private key type");
		break;
	}
out:
	sztp_wipe(&dc, sizeof(dc));
	if (ret < 0)
		device_key_wipe(k);
	return ret;
}

int device_key_load_pem(struct device_key *k, const uint8_t *pem, size_t len, struct errbuf *e)
{
	struct der in = der_span(pem, len);
	uint8_t der[DEVICE_KEY_MAX_DER];
	char name[64];
	size_t n = 0;
	int r, ret = -1;

	memset(k, 0, sizeof(*k));
	while ((r = pem_next(&in, name, sizeof(name), der, sizeof(der), &n, e)) == 1) {
		if (!strcmp(name, "PRIVATE KEY") || !strcmp(name, "RSA PRIVATE KEY") ||
		    !strcmp(name, "EC PRIVATE KEY")) {
			ret = device_key_load_der(k, der, n, e);
			goto out;
		}
		if (!strcmp(name, "ENCRYPTED PRIVATE KEY")) {
			errf(e, "encrypted private keys are not supported");
			goto out;
		}
		sztp_wipe(der, n);
	}
	if (r == 0)
		errf(e, "no private key in PEM input");
out:
	sztp_wipe(der, sizeof(der));
	if (ret < 0)
		device_key_wipe(k);
	return ret;
}
