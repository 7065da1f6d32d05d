/*
 * libFuzzer harness: CMS EnvelopedData decryption (RFC 5652 6), with two
 * throwaway devices built in, so that inputs addressed to them (the seeds
 * in tests/fuzz/seeds/fuzz_enveloped/ were made for these certificates by
 * `openssl cms -encrypt`) reach ECDH, RSA, the KDF, key unwrap and CBC.
 * The input is a ContentInfo, or a bare EnvelopedData.
 */
#include <stdlib.h>
#include <string.h>

#include "enveloped_data.h"
#include "pem.h"

/* Throwaway P-256 and RSA-1024 keys: test data, never used for anything else. */
static const char EC_KEY[] =
	"-----BEGIN EC PARAMETERS-----\n"
	"BggqhkjOPQMBBw==\n"
	"-----END EC PARAMETERS-----\n"
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIGTzx46x+hBy+3LC9es2CTiljUa30FwYzYngqggH/UNYoAoGCCqGSM49\n"
	"AwEHoUQDQgAEtFsoCHiz6jCkOdZWHBarE+OXdG0EYFilP1NvPxGkB3sEh4JStGlb\n"
	"eYL6acpgxqu3PrSMRHGvXD0adrC6+XW95g==\n"
	"-----END EC PRIVATE KEY-----\n"
	;
static const char EC_CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBmzCCAUGgAwIBAgIUKX++OcPFCV05v0ah48UoOpSbJiIwCgYIKoZIzj0EAwIw\n"
	"IjEgMB4GA1UEAwwXc3p0cGJvb3QgZnV6eiBkZXZpY2UgRUMwIBcNMjYxMTI3MDAw\n"
	"NjI1WhgPMjEyNjExMDMwMDA2MjVaMCIxIDAeBgNVBAMMF3N6dHBib290IGZ1enog\n"
	"ZGV2aWNlIEVDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtFsoCHiz6jCkOdZW\n"
	"HBarE+OXdG0EYFilP1NvPxGkB3sEh4JStGlbeYL6acpgxqu3PrSMRHGvXD0adrC6\n"
	"+XW95qNTMFEwHQYDVR0OBBYEFLsnRNjhQUqfzAE3sgdyIBliRAn+MB8GA1UdIwQY\n"
	"MBaAFLsnRNjhQUqfzAE3sgdyIBliRAn+MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI\n"
	"zj0EAwIDSAAwRQIhAO4m4sv7vaCn79Bu5QqEAypZNGp73T5J1XKC41/SeossAiAj\n"
	"pXFXt6NHsxpZpx7j8DxJ8iJ5VEWK30PMAfNM9g2kgQ==\n"
	"-----END CERTIFICATE-----\n"
	;
static const char RSA_KEY[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIICXAIBAAKBgQCsR7trJvorMTuwWkPIzY0AvTwnKcNDYaDb4fvd4rwbtlyKiDaX\n"
	"9FHgkdoqz2Ftmp3xSofCbnlCdDAAqi2gt2ZECloY3GTSfU8Yb3yuBo3Cga2ZZQ42\n"
	"MLW1TFAodZiT/EUNPKbwN4jgW+3zYDn/5INRmeX7wDly5zxJ9ala5eJxMQIDAQAB\n"
	"AoGBAKSgEx7sawgVDsWRK87ZZND9A1slFDryMsWK56P7Aue0Vi/mw8xmokrm9MQN\n"
	"0TrsEds97gbEjEkNP8WS2PEH78aog0eOTJabEphc2PKMoBBDiaTQFkgvPrCTuSs7\n"
	"eXXda85Eg1qRsMUb4SiTedcPKRBtP16Bg6a7SG7GSaoI1Y9BAkEA4W0+Ju+NZQht\n"
	"gXpzfvNUi66T9EFElJXYwvdULKIwHZA+Ki4VZwX4NmA5bJLp0PkRpA6Rta3fH/9x\n"
	"De+RmsZVyQJBAMOlQXyTTsBsfZTowoZyrhN0Ex2RZ0zdu8ROhRnpsSNz29Q2RJD7\n"
	"KL9955Xs40K1fQsceqFLnTNzLJrCJQOTFCkCQDBp4M5F5m0LaVFEdieOpNq27Kmp\n"
	"lsv+fqYorhhD4OeIggFXEluk6ZDsC4ko6DRsOYCtbFfDdscNej9O80t1SxkCQF80\n"
	"BGjtec3zPS0AEuC/32uB+WdTATSLVbqSBvz0FgnNcDSU78qpHUwJpW70ZiZpEF8e\n"
	"zaG9nNKTgioQvVg+8vkCQAJHiJbk8Ew0BnH7C066Mvm3T2XWclNvFEQCBu0fIVN1\n"
	"tW30D9q/JBR4hIL4TbLIOtEdF18bdfxenFPNkFH6XmU=\n"
	"-----END RSA PRIVATE KEY-----\n"
	;
static const char RSA_CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICJDCCAY2gAwIBAgIURxUL1bmjaIljK38GXKykWKa+7zAwDQYJKoZIhvcNAQEL\n"
	"BQAwIzEhMB8GA1UEAwwYc3p0cGJvb3QgZnV6eiBkZXZpY2UgUlNBMCAXDTI2MTEy\n"
	"NzAwMDYyNVoYDzIxMjYxMTAzMDAwNjI1WjAjMSEwHwYDVQQDDBhzenRwYm9vdCBm\n"
	"dXp6IGRldmljZSBSU0EwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBAKxHu2sm\n"
	"+isxO7BaQ8jNjQC9PCcpw0NhoNvh+93ivBu2XIqINpf0UeCR2irPYW2anfFKh8Ju\n"
	"eUJ0MACqLaC3ZkQKWhjcZNJ9TxhvfK4GjcKBrZllDjYwtbVMUCh1mJP8RQ08pvA3\n"
	"iOBb7fNgOf/kg1GZ5fvAOXLnPEn1qVrl4nExAgMBAAGjUzBRMB0GA1UdDgQWBBQp\n"
	"M2W8B6MOWkK1F6L26A8zqmxhDTAfBgNVHSMEGDAWgBQpM2W8B6MOWkK1F6L26A8z\n"
	"qmxhDTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBAJbTeHCzMiYE\n"
	"8RfR61VTBQfWyQzQV91O/3Lu8APmZi/du1PwfkNLkiLVnHYmaXX0BnZa7kpibivg\n"
	"6q+r2L1nyV3GMPNYw96gIk6yzOsQR5KqmRXz38I2HW8VMOiIw4/WiiwJC3pK8EL3\n"
	"zTYR3+qJh9iO+272MXn0Y0sKc2RyY+Cv\n"
	"-----END CERTIFICATE-----\n"
	;

static struct device {
	struct device_key key;
	uint8_t cert[2048];
	size_t certlen;
} devs[2];
static int ready;
static uint8_t out[1 << 16];

static void load(struct device *d, const char *key, const char *cert)
{
	struct der in = der_span(cert, strlen(cert));
	struct errbuf e = { 0 };
	char name[64];

	if (device_key_load_pem(&d->key, (const uint8_t *)key, strlen(key), &e) < 0 ||
	    pem_next(&in, name, sizeof(name), d->cert, sizeof(d->cert), &d->certlen, &e) != 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct der_tlv env, ctype;
	struct errbuf e = { 0 };

	if (!ready) {
		load(&devs[0], EC_KEY, EC_CERT);
		load(&devs[1], RSA_KEY, RSA_CERT);
		ready = 1;
	}
	if (enveloped_data_from_content_info(data, size, &env, &e) < 0 && der_whole(data, size, &env) < 0)
		return 0;
	for (int i = 0; i < 2; i++) {
		size_t n = 0;
		int r;

		memset(&e, 0, sizeof(e));
		r = enveloped_data_decrypt(&env, &devs[i].key, devs[i].cert, devs[i].certlen, out, sizeof(out),
					   &n, &ctype, &e);
		/* Every failure says why; no success yields more than came in. */
		if ((r < 0 && (!e.set || !e.msg[0])) || (r == 0 && (n >= size || ctype.tag != DER_OID)))
			abort();
	}
	return 0;
}
