/*
 * X9.63 KDF and ECC-CMS-SharedInfo. KDF vectors: NIST CAVS 12.0 (SP 800-135
 * "ansx963_2001") for SHA-256; the others were computed with OpenSSL 3.0
 * (`openssl kdf ... X963KDF`) and agree with pyca/cryptography's X963KDF.
 */
#include "test.h"
#include "x963_kdf.h"

static const struct {
	const char *name;
	const br_hash_class *hash;
	const char *z, *info, *out;
} kdf[] = {
	{ "CAVS SHA-256, no SharedInfo", &br_sha256_vtable,
	  "96c05619d56c328ab95fe84b18264b08725b85e33fd34f08", "",
	  "443024c3dae66b95e6f5670601558f71" },
	{ "CAVS SHA-256, SharedInfo, 1024 bits", &br_sha256_vtable,
	  "22518b10e70f2a3f243810ae3254139efbee04aa57c7af7d", "75eef81aa3041e33b80971203d2c0c52",
	  "c498af77161cc59f2962b9a713e2b215152d139766ce34a776df11866a69bf2e52a13d9c7c6fc878c50c5ea0bc7b00e0"
	  "da2447cfd874f6cf92f30d0097111485500c90c3af8b487872d04685d14c8d1dc8d7fa08beb0ce0ababc11f0bd4962"
	  "69142d43525a78e5bc79a17f59676a5706dc54d54d4d1f0bd7e386128ec26afc21" },
	{ "SHA-1, CMS SharedInfo", &br_sha1_vtable,
	  "00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10",
	  "3015300b060960864801650304012da206040400000100",
	  "709FE2DBC388D201A4AC3165AA42D28982C3F306BCFD3D6230274EE0CF4691D2" },
	{ "SHA-224, CMS SharedInfo", &br_sha224_vtable,
	  "00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10",
	  "3015300b060960864801650304012da206040400000100",
	  "872FE2EA15D2E95972DAC017FC514D687E3451CADF6A2D17A47DBFE611822581" },
	{ "SHA-384, CMS SharedInfo", &br_sha384_vtable,
	  "00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10",
	  "3015300b060960864801650304012da206040400000100",
	  "E2F0436F1C7BD69F2BD237FF175415215AA440CC7C4AF2F32F18EA03108948C1" },
	{ "SHA-512, CMS SharedInfo", &br_sha512_vtable,
	  "00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f10",
	  "3015300b060960864801650304012da206040400000100",
	  "C73B532B91AEDB716BA811A7403036BF13E388BAD8039341A64E3896AD097A48" },
	{ "SHA-1, 70 bytes (4 blocks)", &br_sha1_vtable, "8e3f0a", "",
	  "91B9DCB89DE7D2A2B10098472CDAA9D63AE4AD01874B5E2BDAA6A8907D7E176E7EB28E1ED78B48B49792A2759DC5B5"
	  "4BE2305DE55369835271D1020EFC47BE815209F661DC00" },
	{ "SHA-224, 70 bytes (3 blocks)", &br_sha224_vtable, "8e3f0a", "",
	  "A73FD693DBE6083C025C6FF689880D9346B93E0071A2938AF856663E824104E3B42265D4C4B0A183C7BAD61EDDB496"
	  "0CDEA3F958833C746B8746A8585702898434E8C87BB28A" },
	{ "SHA-384, 70 bytes (2 blocks)", &br_sha384_vtable, "8e3f0a", "",
	  "94E05A1D19B81F654A65EE28F9D74FAD4EAE0748737813E1F0F7ECACACA377315BC77F780E61D0D87D635212C120DF"
	  "F435E276E57CB7428C7C80C52D3DE545D92C2CE1EF2E25" },
	{ "SHA-512, 70 bytes (2 blocks)", &br_sha512_vtable, "8e3f0a", "",
	  "8A0CB77163FE7E1191564CCD29A998432382E2810AB3A51281602296D25E007E248CD42D548541586BA20DCE2AFA9B"
	  "7EC53883FCC3A83C95323CD5ACA4FE3F7835AB55473C19" },
};

/* RFC 5753 7.2 encodings, written out by hand from the ASN.1. */
#define AES128_WRAP "300b0609608648016503040105"
#define AES256_WRAP "300b060960864801650304012d"
static const struct {
	const char *name, *key_info, *ukm; /* ukm NULL: absent */
	uint32_t keybits;
	const char *der;
} shared_info[] = {
	{ "aes256-wrap, no ukm", AES256_WRAP, NULL, 256,
	  "3015" AES256_WRAP "a206040400000100" },
	{ "aes128-wrap, no ukm", AES128_WRAP, NULL, 128,
	  "3015" AES128_WRAP "a206040400000080" },
	{ "aes128-wrap, 5-byte ukm", AES128_WRAP, "0102030405", 128,
	  "301e" AES128_WRAP "a00704050102030405" "a206040400000080" },
	{ "aes128-wrap, empty ukm is present", AES128_WRAP, "", 128,
	  "3019" AES128_WRAP "a0020400" "a206040400000080" },
};

int main(void)
{
	unsigned char z[64], info[512], want[512], got[512], ukm[256];
	size_t zlen, infolen, wantlen, ukmlen, n;

	for (size_t i = 0; i < sizeof(kdf) / sizeof(kdf[0]); i++) {
		zlen = unhex(kdf[i].z, z, sizeof(z));
		infolen = unhex(kdf[i].info, info, sizeof(info));
		wantlen = unhex(kdf[i].out, want, sizeof(want));
		memset(got, 0, sizeof(got));
		CHECKF(x963_kdf(kdf[i].hash, z, zlen, info, infolen, got, wantlen) == 0 &&
		       !memcmp(got, want, wantlen), "%s", kdf[i].name);
		/* A prefix of the output is the output for a shorter length. */
		CHECKF(x963_kdf(kdf[i].hash, z, zlen, info, infolen, got, 5) == 0 &&
		       !memcmp(got, want, 5), "%s: prefix", kdf[i].name);
	}
	CHECK(x963_kdf(&br_sha256_vtable, z, 4, NULL, 0, got, 0) < 0);
	CHECK(x963_kdf(&br_sha256_vtable, z, 4, NULL, 0, got, X963_KDF_MAX_OUT + 1) < 0);
	CHECK(x963_kdf(&br_sha256_vtable, z, 4, NULL, 0, got, X963_KDF_MAX_OUT) == 0);

	for (size_t i = 0; i < sizeof(shared_info) / sizeof(shared_info[0]); i++) {
		size_t kilen = unhex(shared_info[i].key_info, info, sizeof(info));

		ukmlen = shared_info[i].ukm ? unhex(shared_info[i].ukm, ukm, sizeof(ukm)) : 0;
		wantlen = unhex(shared_info[i].der, want, sizeof(want));
		CHECKF(ecc_cms_shared_info(info, kilen, shared_info[i].ukm ? ukm : NULL, ukmlen,
					   shared_info[i].keybits, got, sizeof(got), &n) == 0 &&
		       n == wantlen && !memcmp(got, want, n), "%s", shared_info[i].name);
		/* Exactly enough room works; one byte less does not. */
		CHECKF(ecc_cms_shared_info(info, kilen, shared_info[i].ukm ? ukm : NULL, ukmlen,
					   shared_info[i].keybits, got, wantlen, &n) == 0, "%s: exact cap",
		       shared_info[i].name);
		CHECKF(ecc_cms_shared_info(info, kilen, shared_info[i].ukm ? ukm : NULL, ukmlen,
					   shared_info[i].keybits, got, wantlen - 1, &n) < 0, "%s: short cap",
		       shared_info[i].name);
	}

	/* Long-form lengths: a 200-byte ukm gives 81-prefixed lengths throughout. */
	{
		size_t kilen = unhex(AES128_WRAP, info, sizeof(info));
		static const unsigned char head[] = { 0x30, 0x81, 0xe3 };
		static const unsigned char ukm_head[] = { 0xa0, 0x81, 0xcb, 0x04, 0x81, 0xc8 };

		memset(ukm, 0x42, 200);
		CHECK(ecc_cms_shared_info(info, kilen, ukm, 200, 128, got, sizeof(got), &n) == 0);
		CHECK(n == 3 + 0xe3 && !memcmp(got, head, 3) && !memcmp(got + 3 + kilen, ukm_head, 6) &&
		      got[3 + kilen + 6] == 0x42 && got[n - 8] == 0xa2 && got[n - 1] == 0x80);
	}
	TEST_END();
}
