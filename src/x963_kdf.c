/* X9.63 KDF and the RFC 5753 ECC-CMS-SharedInfo it is fed in CMS. */
#include <string.h>

#include "sztp.h"
#include "x963_kdf.h"

int x963_kdf(const br_hash_class *hash, const uint8_t *z, size_t zlen,
	     const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
	br_hash_compat_context hc;
	uint8_t block[64];
	size_t hlen = (hash->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK, done = 0;
	uint32_t counter = 1;

	if (outlen == 0 || outlen > X963_KDF_MAX_OUT || hlen == 0 || hlen > sizeof(block))
		return -1;
	while (done < outlen) {
		uint8_t c[4] = { (uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
				 (uint8_t)(counter >> 8), (uint8_t)counter };
		size_t n = outlen - done < hlen ? outlen - done : hlen;

		hash->init(&hc.vtable);
		hash->update(&hc.vtable, z, zlen);
		hash->update(&hc.vtable, c, sizeof(c));
		if (infolen)
			hash->update(&hc.vtable, info, infolen);
		hash->out(&hc.vtable, block);
		memcpy(out + done, block, n);
		done += n;
		counter++;
	}
	sztp_wipe(&hc, sizeof(hc));
	sztp_wipe(block, sizeof(block));
	return 0;
}

/* DER identifier and length octets; returns their count, 0 if len is absurd. */
static size_t der_header(uint8_t *p, unsigned tag, size_t len)
{
	p[0] = (uint8_t)tag;
	if (len < 0x80) {
		p[1] = (uint8_t)len;
		return 2;
	}
	if (len < 0x100) {
		p[1] = 0x81;
		p[2] = (uint8_t)len;
		return 3;
	}
	if (len < 0x10000) {
		p[1] = 0x82;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		return 4;
	}
	return 0;
}

static size_t der_header_len(size_t len)
{
	return len < 0x80 ? 2 : len < 0x100 ? 3 : 4;
}

int ecc_cms_shared_info(const uint8_t *key_info, size_t key_info_len,
			const uint8_t *ukm, size_t ukmlen, uint32_t keybits,
			uint8_t *out, size_t cap, size_t *outlen)
{
	/* Fixed size: [2] { OCTET STRING (4) }. */
	const size_t supp = 2 + 2 + 4;
	size_t ukm_os = 0, ukm_tag = 0, body, total, o = 0;

	if (key_info_len >= 0x4000 || ukmlen >= 0x4000)
		return -1;
	if (ukm) {
		ukm_os = der_header_len(ukmlen) + ukmlen;
		ukm_tag = der_header_len(ukm_os) + ukm_os;
	}
	body = key_info_len + ukm_tag + supp;
	total = der_header_len(body) + body;
	if (total > cap)
		return -1;

	o += der_header(out + o, 0x30, body);
	memcpy(out + o, key_info, key_info_len);
	o += key_info_len;
	if (ukm) {
		o += der_header(out + o, 0xa0, ukm_os);
		o += der_header(out + o, 0x04, ukmlen);
		if (ukmlen)
			memcpy(out + o, ukm, ukmlen);
		o += ukmlen;
	}
	o += der_header(out + o, 0xa2, 6);
	o += der_header(out + o, 0x04, 4);
	out[o++] = (uint8_t)(keybits >> 24);
	out[o++] = (uint8_t)(keybits >> 16);
	out[o++] = (uint8_t)(keybits >> 8);
	out[o++] = (uint8_t)keybits;
	*outlen = o;
	return 0;
}
