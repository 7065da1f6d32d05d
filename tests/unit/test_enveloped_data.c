/*
 * EnvelopedData decryption.
 *
 * With no arguments: built-in checks on envelopes that OpenSSL 3.0 made
 * (`openssl cms -encrypt -binary`) for two throwaway devices whose keys
 * are below (P-256, and RSA-1024 to keep the file short), plus a table of
 * single-byte forgeries at known offsets and an exhaustive one-byte
 * corruption sweep that must never crash.
 *
 * With arguments DIR [PREFIX]: the file-based cases that
 * tests/suites/30-enveloped.sh wrote to DIR/cases, one per line:
 *   NAME KEYFILE CERTFILE ENVELOPEFILE EXPECT
 * with EXPECT one of
 *   ok:FILE       decrypts to exactly FILE's contents
 *   fail:MESSAGE  fails with a reason containing MESSAGE (may hold spaces)
 *   garbled:FILE  fails with "decryption failed", or decrypts to something
 *                 other than FILE: a PKCS#1 v1.5 wrapped key that was
 *                 tampered with yields a substitute CEK (Bleichenbacher
 *                 countermeasure) and unauthenticated CBC then passes its
 *                 padding check about once in 256 tries.
 * Paths are relative to DIR. Prints "ok PREFIX/NAME" or
 * "FAIL PREFIX/NAME: reason" per case.
 */
#include <stdio.h>
#include <string.h>

#include "enveloped_data.h"
#include "pem.h"
#include "test.h"

/* Throwaway test keys: never used for anything but these tests. */
static const char EC_KEY_SEC1[] =
	"-----BEGIN EC PARAMETERS-----\n"
	"BggqhkjOPQMBBw==\n"
	"-----END EC PARAMETERS-----\n"
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIGTzx46x+hBy+3LC9es2CTiljUa30FwYzYngqggH/UNYoAoGCCqGSM49\n"
	"AwEHoUQDQgAEtFsoCHiz6jCkOdZWHBarE+OXdG0EYFilP1NvPxGkB3sEh4JStGlb\n"
	"eYL6acpgxqu3PrSMRHGvXD0adrC6+XW95g==\n"
	"-----END EC PRIVATE KEY-----\n"
	;
static const char EC_KEY_PKCS8[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZPPHjrH6EHL7csL1\n"
	"6zYJOKWNRrfQXBjNieCqCAf9Q1ihRANCAAS0WygIeLPqMKQ51lYcFqsT45d0bQRg\n"
	"WKU/U28/EaQHewSHglK0aVt5gvppymDGq7c+tIxEca9cPRp2sLr5db3m\n"
	"-----END PRIVATE KEY-----\n"
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
static const char RSA_KEY_PKCS1[] =
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
/* Rejected by device_key: too small, and a curve we do not do ECDH on. */
static const char RSA512_KEY[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIIBPAIBAAJBAMuU01EcmFReihdPYJXmPfBXVct7iIX6VX0Pgp4U4P+V8trQwjo8\n"
	"jjvpykuZHmXuWLyBJdQ8mpYdGj1n89AQMxkCAwEAAQJARcpgYycdZZb/WhxhLSJA\n"
	"S5t1Ewvncp6uHfBqQ80+kP93HwXM/E3J1vZ+MBWk5R0La1nivj2WDdUAF6HA3ITI\n"
	"gQIhAOzlFrOSbJBV8P3eV8CKF0YZaDdOdOHzkT2daToWNgqpAiEA2//y0xKR7KN1\n"
	"XIPRfuq7wQ83Wpv5DlbrpQ7pJm0jGvECIQCZzes9T5X46DN9QDyNH5sYwiotrlyo\n"
	"zvC/plHJit4vcQIhALiIzGn4HabcxUjA2S0YQD0EQm4ifppklmxxQWgWC2hBAiEA\n"
	"jkkSxh0W+fvZ5eTjlAXS0rDAqv6spDMPyM0Nq82QtMM=\n"
	"-----END RSA PRIVATE KEY-----\n"
	;
static const char SECP256K1_KEY[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHQCAQEEINIGXswN68MfUhjczJ1fY8pmVL4LdyPKbkkjECTBjyPMoAcGBSuBBAAK\n"
	"oUQDQgAEWjoT9rl+URSDl07YBZG4E+G7LOu/kpglcGvnhlj6BVgJxTo2ddHl88Bd\n"
	"vqc8ftxJAwbe0ErrCEPRsFXhTxilUA==\n"
	"-----END EC PRIVATE KEY-----\n"
	;

/* What every envelope below carries. */
static const char PLAINTEXT[] = "RFC 8572 conveyed-information test\n";

enum { ENV_EC256, ENV_EC_SHA1_KEYID, ENV_RSA_V15, ENV_RSA_OAEP_KEYID, ENV_BOTH, N_ENV };
static const char *const envelopes[N_ENV] = {
	/* -aes256 -recip ec.crt -keyopt ecdh_kdf_md:sha256 */
	[ENV_EC256] =
		"-----BEGIN CMS-----\n"
		"MIIBUQYJKoZIhvcNAQcDoIIBQjCCAT4CAQIxgdqhgdcCAQOgUaFPMAkGByqGSM49\n"
		"AgEDQgAEtfnJMuMbtPCTQzBjG9HqO+cx9lodw7ijuavsS07x9mM87wsyg9n6KK6U\n"
		"VGZRSGh81w5D9JZfKHDlC02D0NUYVDAVBgYrgQQBCwEwCwYJYIZIAWUDBAEtMGgw\n"
		"ZjA6MCIxIDAeBgNVBAMMF3N6dHBib290IGZ1enogZGV2aWNlIEVDAhQpf745w8UJ\n"
		"XTm/RqHjxSg6lJsmIgQoRXjbXeNy1jCCPCUzn97uiw01rMYcKXx9GpPwm/R1Ivio\n"
		"IV1jL2lFLTBcBgkqhkiG9w0BBwEwHQYJYIZIAWUDBAEqBBAmhwenNfsMSk6nwxsO\n"
		"1fRTgDCpXSdx8tTgZVzQK6ioxdyXo7bvPtQ4Qxfjq3CrQRlsph6COCgvBQbP3ZsP\n"
		"THV0gPw=\n"
		"-----END CMS-----\n"
	,
	/* -aes128 -recip ec.crt -keyid (dhSinglePass-stdDH-sha1kdf-scheme) */
	[ENV_EC_SHA1_KEYID] =
		"-----BEGIN CMS-----\n"
		"MIIBIAYJKoZIhvcNAQcDoIIBETCCAQ0CAQIxgamhgaYCAQOgUaFPMAkGByqGSM49\n"
		"AgEDQgAELBHVg+Z4nbbJn6Q0OAkNPPiLO13P/zGs+0GuLZBVcLbUH7F7nulIU/QC\n"
		"jjFKhuqjGhlLl1N+a6qj7R2UeVxQgDAYBgkrgQUQhkg/AAIwCwYJYIZIAWUDBAEF\n"
		"MDQwMqAWBBS7J0TY4UFKn8wBN7IHciAZYkQJ/gQY8jAp7hZJ2juny7PzS07x+0BM\n"
		"CrQBJZB2MFwGCSqGSIb3DQEHATAdBglghkgBZQMEAQIEEA9Jp9MKTT8onKgucMBH\n"
		"H/OAMDaQol30TCBr1cd8J9XnUP2xbE51geu3704PHDCMpxGOMrVK2y3wOnvoUfNh\n"
		"TOQIHQ==\n"
		"-----END CMS-----\n"
	,
	/* -aes128 -recip rsa.crt (rsaEncryption, PKCS#1 v1.5) */
	[ENV_RSA_V15] =
		"-----BEGIN CMS-----\n"
		"MIIBTAYJKoZIhvcNAQcDoIIBPTCCATkCAQAxgdUwgdICAQAwOzAjMSEwHwYDVQQD\n"
		"DBhzenRwYm9vdCBmdXp6IGRldmljZSBSU0ECFEcVC9W5o2iJYyt/BlyspFimvu8w\n"
		"MA0GCSqGSIb3DQEBAQUABIGAI5Z+1u8pJi+QnuCkcU+SiJ2/SPUGrOUHXQqTXy8m\n"
		"puPCHMNB0+FgNRgTJ0Ku7yNdNW6VjyVI7RM+fW7f4BV6YdS/915Kkiq0N+yALkhM\n"
		"KZEuXtEh8iej8QaAAiktTK46za3EYPKhoTgixRdzAyvBTEvTyZKK2t4vX8tGCoRZ\n"
		"zAcwXAYJKoZIhvcNAQcBMB0GCWCGSAFlAwQBAgQQ3TVjFaVTp5HdoN7EsOT944Aw\n"
		"wPOXPZg4B1WGVTBxnUXKp7J2Fe9OdtZjFH96FIx/lq8I+kG5NUGmVjPfDyUfPRaN\n"
		"-----END CMS-----\n"
	,
	/* -aes256 -recip rsa.crt -keyid -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 */
	[ENV_RSA_OAEP_KEYID] =
		"-----BEGIN CMS-----\n"
		"MIIBUAYJKoZIhvcNAQcDoIIBQTCCAT0CAQIxgdkwgdYCAQKAFCkzZbwHow5aQrUX\n"
		"ovboDzOqbGENMDgGCSqGSIb3DQEBBzAroA0wCwYJYIZIAWUDBAIBoRowGAYJKoZI\n"
		"hvcNAQEIMAsGCWCGSAFlAwQCAQSBgBHa6/AXUAO+LYz+GT/1DjMWRMERB6ZGXgc2\n"
		"Q+o0VxCwkcb64VBBOXt01jKId+/GrZWfLVDJl8fL/+Pn+FTH4rpnUF4md26F319R\n"
		"ahJbvGKIjtqgqZ38i7+4rydGEgAAag6DCgV+MWyPqqwTSHKNI0TmRi0vkRgXBLLC\n"
		"dm9juG0qMFwGCSqGSIb3DQEHATAdBglghkgBZQMEASoEEPEEX5trWD4iGEo6PnjM\n"
		"VU2AMMXQ3CpIgFraM1zC9ZzkyQhO2GW3hYdDptADj3PW4NP/jpc/Z+qGr8nK6w8N\n"
		"tdQNJg==\n"
		"-----END CMS-----\n"
	,
	/* -aes192 -recip rsa.crt -recip ec.crt -keyopt ecdh_kdf_md:sha384 */
	[ENV_BOTH] =
		"-----BEGIN CMS-----\n"
		"MIICHwYJKoZIhvcNAQcDoIICEDCCAgwCAQIxggGnMIHSAgEAMDswIzEhMB8GA1UE\n"
		"AwwYc3p0cGJvb3QgZnV6eiBkZXZpY2UgUlNBAhRHFQvVuaNoiWMrfwZcrKRYpr7v\n"
		"MDANBgkqhkiG9w0BAQEFAASBgI3Xsd6p7TrbXiyyf9+GdbYCATXv/RJnJZ0x6a/0\n"
		"EgFGZY6UPtq2Ij6vjgteVwCqIciGUvjp8xabzZFKh/KxPavCZh8ntAGNoXJKCXvW\n"
		"uZuYTqyBONQm6K3KLYOA/Lnn2IOInDVlY7KOT17t3Rkhwpum3cbe2PGwSscG/BY4\n"
		"TTbpoYHPAgEDoFGhTzAJBgcqhkjOPQIBA0IABJDkZNm0E4DGnf3Qr4uaBDyjdEWJ\n"
		"EVkGWuxR5UcaVhJdYtdpWXvOJYxte3b4sUX1E1ExUpz5v3IKp9jFwjTt0sAwFQYG\n"
		"K4EEAQsCMAsGCWCGSAFlAwQBGTBgMF4wOjAiMSAwHgYDVQQDDBdzenRwYm9vdCBm\n"
		"dXp6IGRldmljZSBFQwIUKX++OcPFCV05v0ah48UoOpSbJiIEIEZd7+7p5JBQ4drJ\n"
		"WYVRFsQCt+NR0sm9tnRp4hlu1mKEMFwGCSqGSIb3DQEHATAdBglghkgBZQMEARYE\n"
		"EMHRV0Rk5vRVPxUg480lRBGAMJbOnGPDddGuygOABL0H84/8ud7tIN3pHWSb5PLy\n"
		"03xeHumjyZF7ONyXYuvwNxZXMg==\n"
		"-----END CMS-----\n"
	,
};

/* Devices: a key and the certificate the sender encrypted to. */
enum { DEV_EC, DEV_RSA, DEV_ECKEY_RSACERT, DEV_RSAKEY_ECCERT, N_DEV };
struct device {
	struct device_key key;
	uint8_t cert[2048];
	size_t certlen;
};
static struct device devs[N_DEV];

/* Each row decrypts to PLAINTEXT. */
static const struct {
	const char *name;
	int env, dev;
} good[] = {
	{ "EC P-256, sha256 KDF, aes256-wrap, AES-256-CBC", ENV_EC256, DEV_EC },
	{ "EC P-256, sha1 KDF, rKeyId, aes128-wrap, AES-128-CBC", ENV_EC_SHA1_KEYID, DEV_EC },
	{ "RSA PKCS#1 v1.5, AES-128-CBC", ENV_RSA_V15, DEV_RSA },
	{ "RSA OAEP SHA-256, subjectKeyIdentifier, AES-256-CBC", ENV_RSA_OAEP_KEYID, DEV_RSA },
	{ "two recipients, RSA device", ENV_BOTH, DEV_RSA },
	{ "two recipients, EC device (sha384 KDF, aes192-wrap)", ENV_BOTH, DEV_EC },
};

/*
 * Forgeries: XOR bytes at offsets into the ContentInfo DER (read off
 * `openssl asn1parse`), then decrypt. want: NULL = decrypts to PLAINTEXT,
 * "" = decrypts to something else (CBC is malleable: RFC 5652 gives no
 * integrity without a signature or MAC), else a substring of the error.
 */
#define DIFFERENT ""
static const struct {
	const char *name;
	int env, dev;
	struct { int off; uint8_t x; } flip[2];
	const char *want;
} forgeries[] = {
	{ "EnvelopedData version 5", ENV_EC256, DEV_EC, { { 25, 0x07 } }, "unsupported EnvelopedData version 5" },
	{ "kari becomes kekri: skipped", ENV_EC256, DEV_EC, { { 29, 0x03 } }, "not encrypted to this device" },
	{ "KeyAgreeRecipientInfo version 2", ENV_EC256, DEV_EC, { { 34, 0x01 } }, "unsupported KeyAgreeRecipientInfo version 2" },
	{ "ephemeral point compressed", ENV_EC256, DEV_EC, { { 53, 0x06 } }, "not an uncompressed point" },
	{ "ephemeral point off the curve", ENV_EC256, DEV_EC, { { 60, 0x01 } }, "decryption failed" },
	{ "sha256 KDF becomes sha224 KDF", ENV_EC256, DEV_EC, { { 127, 0x01 } }, "decryption failed" },
	{ "unknown KDF scheme", ENV_EC256, DEV_EC, { { 127, 0x7e } },
	  "unsupported key agreement algorithm OID 1.3.132.1.11.127" },
	{ "unknown key wrap", ENV_EC256, DEV_EC, { { 140, 0x03 } },
	  "unsupported key wrap algorithm OID 2.16.840.1.101.3.4.1.46" },
	{ "aes256-wrap becomes aes128-wrap", ENV_EC256, DEV_EC, { { 140, 0x28 } }, "decryption failed" },
	{ "serial number of the recipient", ENV_EC256, DEV_EC, { { 204, 0x01 } }, "not encrypted to this device" },
	{ "wrapped key", ENV_EC256, DEV_EC, { { 220, 0x01 } }, "decryption failed" },
	{ "AES-256-CBC becomes AES-128-CBC", ENV_EC256, DEV_EC, { { 272, 0x28 } }, "decryption failed" },
	{ "unknown content encryption", ENV_EC256, DEV_EC, { { 272, 0x29 } },
	  "unsupported content encryption algorithm OID 2.16.840.1.101.3.4.1.3" },
	{ "IV length 17", ENV_EC256, DEV_EC, { { 274, 0x01 } }, "malformed EnvelopedData" },
	{ "IV", ENV_EC256, DEV_EC, { { 275, 0x01 } }, DIFFERENT },
	{ "encryptedContent constructed", ENV_EC256, DEV_EC, { { 291, 0x20 } }, "constructed (BER) encryptedContent" },
	{ "encryptedContent absent", ENV_EC256, DEV_EC, { { 291, 0x01 } }, "encryptedContent absent" },
	{ "first ciphertext block", ENV_EC256, DEV_EC, { { 293, 0x01 } }, DIFFERENT },
	{ "padding octet made > 16", ENV_EC256, DEV_EC, { { 324, 0x20 } }, "decryption failed" },
	{ "rKeyId tag", ENV_EC_SHA1_KEYID, DEV_EC, { { 148, 0x10 } }, "malformed EnvelopedData" },
	{ "rKeyId subjectKeyIdentifier", ENV_EC_SHA1_KEYID, DEV_EC, { { 171, 0x01 } }, "not encrypted to this device" },
	{ "wrapped key (sha1 KDF)", ENV_EC_SHA1_KEYID, DEV_EC, { { 180, 0x80 } }, "decryption failed" },
	{ "KeyTransRecipientInfo version 1", ENV_RSA_V15, DEV_RSA, { { 34, 0x01 } },
	  "unsupported KeyTransRecipientInfo version 1" },
	{ "serial number (RSA)", ENV_RSA_V15, DEV_RSA, { { 95, 0x01 } }, "not encrypted to this device" },
	{ "rsaEncryption becomes RSASSA-PSS", ENV_RSA_V15, DEV_RSA, { { 108, 0x0b } },
	  "unsupported key transport algorithm OID 1.2.840.113549.1.1.10" },
	{ "rsaEncryption parameters not NULL", ENV_RSA_V15, DEV_RSA, { { 109, 0x01 } }, "malformed EnvelopedData" },
	/* Bad PKCS#1 padding: a substitute CEK, so the CBC padding fails. */
	{ "RSA v1.5 wrapped key", ENV_RSA_V15, DEV_RSA, { { 150, 0x01 } }, "decryption failed" },
	{ "AES-128-CBC becomes AES-256-CBC (v1.5)", ENV_RSA_V15, DEV_RSA, { { 267, 0x28 } }, "decryption failed" },
	{ "padding octet made > 16 (RSA)", ENV_RSA_V15, DEV_RSA, { { 319, 0x20 } }, "decryption failed" },
	{ "subjectKeyIdentifier (RSA)", ENV_RSA_OAEP_KEYID, DEV_RSA, { { 40, 0x01 } }, "not encrypted to this device" },
	{ "OAEP hash sha384, MGF1 sha256", ENV_RSA_OAEP_KEYID, DEV_RSA, { { 86, 0x03 } },
	  "MGF1 hash differs from the OAEP hash" },
	{ "OAEP hash and MGF1 sha384", ENV_RSA_OAEP_KEYID, DEV_RSA, { { 86, 0x03 }, { 114, 0x03 } }, "decryption failed" },
	{ "OAEP mask generation function", ENV_RSA_OAEP_KEYID, DEV_RSA, { { 101, 0x01 } },
	  "unsupported OAEP mask generation function OID 1.2.840.113549.1.1.9" },
	{ "RSA OAEP wrapped key", ENV_RSA_OAEP_KEYID, DEV_RSA, { { 200, 0x01 } }, "decryption failed" },
	{ "ContentInfo type", ENV_EC256, DEV_EC, { { 12, 0x01 } }, "not id-envelopedData" },
	/* Not for this device at all. */
	{ "EC envelope, RSA device", ENV_EC256, DEV_RSA, { { -1, 0 } }, "not encrypted to this device" },
	{ "RSA envelope, EC device", ENV_RSA_V15, DEV_EC, { { -1, 0 } }, "not encrypted to this device" },
	{ "RSA envelope, EC key with the RSA cert", ENV_RSA_V15, DEV_ECKEY_RSACERT, { { -1, 0 } },
	  "not encrypted to this device" },
	{ "EC envelope, RSA key with the EC cert", ENV_EC256, DEV_RSAKEY_ECCERT, { { -1, 0 } },
	  "not encrypted to this device" },
};

static const struct {
	const char *name, *pem; /* NULL: RSA_CERT followed by RSA_KEY_PKCS1 */
	int type;
	const char *want; /* error substring, NULL if it loads */
} keys[] = {
	{ "EC PRIVATE KEY after EC PARAMETERS", EC_KEY_SEC1, BR_KEYTYPE_EC, NULL },
	{ "EC in PKCS#8", EC_KEY_PKCS8, BR_KEYTYPE_EC, NULL },
	{ "RSA PRIVATE KEY", RSA_KEY_PKCS1, BR_KEYTYPE_RSA, NULL },
	{ "certificate, then the key", NULL /* RSA_CERT then RSA_KEY_PKCS1 */, BR_KEYTYPE_RSA, NULL },
	{ "RSA-512", RSA512_KEY, 0, "RSA key size 512 bits not supported" },
	{ "secp256k1", SECP256K1_KEY, 0, "unsupported private key algorithm or curve" },
	{ "certificate only", EC_CERT, 0, "no private key" },
	{ "empty", "", 0, "no private key" },
	{ "encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n",
	  0, "encrypted private keys are not supported" },
	{ "garbage DER", "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n", 0,
	  "malformed private key" },
	{ "bad base64", "-----BEGIN PRIVATE KEY-----\nM*A=\n-----END PRIVATE KEY-----\n", 0, "PEM" },
};

static uint8_t envbuf[N_ENV][1024];
static size_t envlen[N_ENV];
static uint8_t out[1 << 21];

static size_t pem_one(const char *pem, uint8_t *buf, size_t cap)
{
	struct der in = der_span(pem, strlen(pem));
	struct errbuf e = { 0 };
	char name[64];
	size_t n = 0;

	return pem_next(&in, name, sizeof(name), buf, cap, &n, &e) == 1 ? n : 0;
}

static int decrypt(const uint8_t *ci, size_t cilen, const struct device *d, size_t cap, size_t *outlen,
		   struct der_tlv *ctype, struct errbuf *e)
{
	struct der_tlv env;

	if (enveloped_data_from_content_info(ci, cilen, &env, e) < 0)
		return -1;
	return enveloped_data_decrypt(&env, &d->key, d->cert, d->certlen, out, cap, outlen, ctype, e);
}

static void builtin(void)
{
	static const uint8_t id_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
	const size_t ptlen = strlen(PLAINTEXT);
	struct der_tlv ctype;
	struct errbuf e;
	size_t n;
	uint8_t buf[1024];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct device_key k;
		char pem[4096];
		int r;

		if (keys[i].pem)
			snprintf(pem, sizeof(pem), "%s", keys[i].pem);
		else
			snprintf(pem, sizeof(pem), "%s%s", RSA_CERT, RSA_KEY_PKCS1);
		memset(&e, 0, sizeof(e));
		memset(&k, 0x5a, sizeof(k));
		r = device_key_load_pem(&k, (const uint8_t *)pem, strlen(pem), &e);
		if (keys[i].want)
			CHECKF(r < 0 && strstr(e.msg, keys[i].want) && k.type == 0, "key %s: %s", keys[i].name, e.msg);
		else
			CHECKF(r == 0 && k.type == keys[i].type, "key %s: %s", keys[i].name, e.msg);
		device_key_wipe(&k);
		CHECK(k.type == 0 && k.mem[0] == 0 && k.mem[sizeof(k.mem) - 1] == 0);
	}

	memset(&e, 0, sizeof(e));
	CHECK(device_key_load_pem(&devs[DEV_EC].key, (const uint8_t *)EC_KEY_SEC1, strlen(EC_KEY_SEC1), &e) == 0);
	CHECK(device_key_load_pem(&devs[DEV_RSA].key, (const uint8_t *)RSA_KEY_PKCS1, strlen(RSA_KEY_PKCS1), &e) == 0);
	CHECK(!e.set && devs[DEV_EC].key.ec.curve == BR_EC_secp256r1 && devs[DEV_RSA].key.rsa.n_bitlen == 1024);
	CHECK((devs[DEV_EC].certlen = pem_one(EC_CERT, devs[DEV_EC].cert, sizeof(devs[DEV_EC].cert))) > 0);
	CHECK((devs[DEV_RSA].certlen = pem_one(RSA_CERT, devs[DEV_RSA].cert, sizeof(devs[DEV_RSA].cert))) > 0);
	/* The mismatched pairs point into the real ones' key bytes: copy
	 * the structs and fix the pointers. */
	devs[DEV_ECKEY_RSACERT] = devs[DEV_RSA];
	devs[DEV_ECKEY_RSACERT].key = devs[DEV_EC].key;
	devs[DEV_ECKEY_RSACERT].key.ec.x = devs[DEV_ECKEY_RSACERT].key.mem;
	devs[DEV_RSAKEY_ECCERT] = devs[DEV_EC];
	CHECK(device_key_load_pem(&devs[DEV_RSAKEY_ECCERT].key, (const uint8_t *)RSA_KEY_PKCS1,
				  strlen(RSA_KEY_PKCS1), &e) == 0);
	for (int i = 0; i < N_ENV; i++)
		CHECK((envlen[i] = pem_one(envelopes[i], envbuf[i], sizeof(envbuf[i]))) > 0);

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&e, 0, sizeof(e));
		n = 0;
		CHECKF(decrypt(envbuf[good[i].env], envlen[good[i].env], &devs[good[i].dev], sizeof(out), &n,
			       &ctype, &e) == 0 && n == ptlen && !memcmp(out, PLAINTEXT, n) &&
		       DER_OID_IS(&ctype, id_data), "%s: %s", good[i].name, e.msg);
		/* A plaintext buffer one byte short of the ciphertext is refused. */
		memset(&e, 0, sizeof(e));
		CHECKF(decrypt(envbuf[good[i].env], envlen[good[i].env], &devs[good[i].dev], 47, &n, &ctype, &e) < 0 &&
		       strstr(e.msg, "plaintext buffer too small (48 bytes needed"), "%s: short cap: %s", good[i].name, e.msg);
	}

	for (size_t i = 0; i < sizeof(forgeries) / sizeof(forgeries[0]); i++) {
		int env = forgeries[i].env, r;

		memcpy(buf, envbuf[env], envlen[env]);
		for (int j = 0; j < 2; j++)
			if (forgeries[i].flip[j].x)
				buf[forgeries[i].flip[j].off] ^= forgeries[i].flip[j].x;
		memset(&e, 0, sizeof(e));
		n = 0;
		r = decrypt(buf, envlen[env], &devs[forgeries[i].dev], sizeof(out), &n, &ctype, &e);
		if (!forgeries[i].want)
			CHECKF(r == 0 && n == ptlen && !memcmp(out, PLAINTEXT, n), "%s: %s", forgeries[i].name, e.msg);
		else if (!*forgeries[i].want)
			CHECKF(r == 0 && (n != ptlen || memcmp(out, PLAINTEXT, n)), "%s: %s", forgeries[i].name, e.msg);
		else
			CHECKF(r < 0 && strstr(e.msg, forgeries[i].want), "%s: got \"%s\"", forgeries[i].name,
			       r < 0 ? e.msg : "success");
	}

	/* No key, no usable certificate. */
	{
		struct device none = devs[DEV_EC];

		memset(&none.key, 0, sizeof(none.key));
		memset(&e, 0, sizeof(e));
		CHECK(decrypt(envbuf[0], envlen[0], &none, sizeof(out), &n, &ctype, &e) < 0 &&
		      strstr(e.msg, "no device key loaded"));
		none = devs[DEV_EC];
		none.certlen -= 1;
		memset(&e, 0, sizeof(e));
		CHECK(decrypt(envbuf[0], envlen[0], &none, sizeof(out), &n, &ctype, &e) < 0 &&
		      strstr(e.msg, "malformed device certificate"));
	}

	/* Every single-byte corruption and every truncation, of every
	 * envelope, for both devices: an answer each time, never a crash,
	 * and on success never more plaintext than ciphertext. */
	for (int env = 0; env < N_ENV; env++) {
		for (size_t off = 0; off < envlen[env]; off++) {
			static const uint8_t xs[] = { 0x01, 0x80, 0xff };

			for (size_t k = 0; k < sizeof(xs); k++) {
				memcpy(buf, envbuf[env], envlen[env]);
				buf[off] ^= xs[k];
				for (int dv = DEV_EC; dv <= DEV_RSA; dv++) {
					memset(&e, 0, sizeof(e));
					int r = decrypt(buf, envlen[env], &devs[dv], sizeof(out), &n, &ctype, &e);
					CHECKF(r < 0 ? e.set && e.msg[0] : n < envlen[env], "env %d byte %zu ^%02x", env, off, xs[k]);
				}
			}
			memset(&e, 0, sizeof(e));
			CHECKF(decrypt(envbuf[env], off, &devs[DEV_EC], sizeof(out), &n, &ctype, &e) < 0,
			       "env %d truncated to %zu", env, off);
		}
	}
	for (int i = 0; i < N_DEV; i++)
		device_key_wipe(&devs[i].key);
}

/* --- file-based cases (tests/suites/30-enveloped.sh) --------------------- */

static uint8_t filebuf[3][1 << 21];

static int read_file(const char *dir, const char *name, uint8_t *buf, size_t cap, size_t *len)
{
	char path[1024];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) || !(f = fopen(path, "rb")))
		return -1;
	*len = fread(buf, 1, cap, f);
	if (ferror(f) || !feof(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* One case; returns NULL on success, else the reason (in why). */
static const char *file_case(const char *dir, const char *keyf, const char *certf, const char *envf,
			     const char *expect, char *why, size_t whycap)
{
	static struct device_key key;
	struct der_tlv ctype;
	struct errbuf e = { 0 };
	uint8_t *cert = filebuf[1];
	size_t keylen, certlen, envlen_, plainlen = 0, n = 0;
	int r, garbled = !strncmp(expect, "garbled:", 8);

	if (read_file(dir, keyf, filebuf[0], sizeof(filebuf[0]), &keylen) < 0 ||
	    read_file(dir, certf, filebuf[1], sizeof(filebuf[1]), &certlen) < 0 ||
	    read_file(dir, envf, filebuf[2], sizeof(filebuf[2]), &envlen_) < 0)
		return "cannot read an input file";
	if (device_key_load_pem(&key, filebuf[0], keylen, &e) < 0) {
		snprintf(why, whycap, "device key: %s", e.msg);
		return why;
	}
	if (certlen && cert[0] == '-') { /* PEM certificate: decode in place */
		struct der in = der_span(filebuf[1], certlen);
		char name[64];

		if (pem_next(&in, name, sizeof(name), filebuf[0], sizeof(filebuf[0]), &certlen, &e) != 1)
			return "cannot decode the certificate";
		cert = filebuf[0];
	}
	{
		struct der_tlv env;

		r = enveloped_data_from_content_info(filebuf[2], envlen_, &env, &e);
		if (r == 0)
			r = enveloped_data_decrypt(&env, &key, cert, certlen, out, sizeof(out), &n, &ctype, &e);
	}
	device_key_wipe(&key);

	if (!strncmp(expect, "ok:", 3) || garbled) {
		const char *pf = expect + (garbled ? 8 : 3);

		if (garbled && r < 0) {
			if (strstr(e.msg, "decryption failed"))
				return NULL;
			snprintf(why, whycap, "expected \"decryption failed\", got \"%s\"", e.msg);
			return why;
		}
		if (r < 0) {
			snprintf(why, whycap, "%s", e.msg);
			return why;
		}
		if (read_file(dir, pf, filebuf[1], sizeof(filebuf[1]), &plainlen) < 0)
			return "cannot read the plaintext file";
		if (garbled)
			return n == plainlen && !memcmp(out, filebuf[1], n) ? "tampered envelope decrypted to the original" : NULL;
		if (n != plainlen || memcmp(out, filebuf[1], n)) {
			snprintf(why, whycap, "plaintext differs (%zu bytes, expected %zu)", n, plainlen);
			return why;
		}
		return NULL;
	}
	if (!strncmp(expect, "fail:", 5)) {
		if (r == 0)
			return "decrypted, expected a failure";
		if (!strstr(e.msg, expect + 5)) {
			snprintf(why, whycap, "expected \"%s\", got \"%s\"", expect + 5, e.msg);
			return why;
		}
		return NULL;
	}
	return "bad EXPECT in the cases file";
}

static int file_cases(const char *dir, const char *prefix)
{
	char path[1024], line[2048], why[512];
	int failed = 0, ran = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cases", dir);
	if (!(f = fopen(path, "r"))) {
		printf("FAIL %s/cases: cannot open %s\n", prefix, path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[256], keyf[256], certf[256], envf[256];
		int used = 0;
		const char *res;

		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (sscanf(line, "%255s %255s %255s %255s %n", name, keyf, certf, envf, &used) != 4 || !used) {
			printf("FAIL %s/cases: bad line `%s'\n", prefix, line);
			failed++;
			continue;
		}
		res = file_case(dir, keyf, certf, envf, line + used, why, sizeof(why));
		ran++;
		if (res) {
			printf("FAIL %s/%s: %s\n", prefix, name, res);
			failed++;
		} else {
			printf("ok %s/%s\n", prefix, name);
		}
	}
	fclose(f);
	if (!ran) {
		printf("FAIL %s/cases: no cases in %s\n", prefix, path);
		failed++;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return file_cases(argv[1], argc > 2 ? argv[2] : "enveloped");
	builtin();
	TEST_END();
}
