#!/bin/sh
# CMS EnvelopedData (RFC 5652 6) made by OpenSSL, decrypted by sztpboot's
# enveloped_data module (RFC 8572 3.4: data encrypted to the IDevID cert).
# Keys, certificates and envelopes are generated fresh under
# $BUILD/t/enveloped; the decrypting driver is the unit-test binary
# test_enveloped_data (built by `make HOST_CC=gcc host` and
# `make HOST_CC=clang host`), run as `test_enveloped_data DIR PREFIX`.
# OpenSSL 3.0 defaults to 3DES and a SHA-1 KDF, so every algorithm is
# pinned on the command line, and checked in the output with asn1parse.
B=${BUILD:-build}
D=$B/t/enveloped
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

if ! command -v openssl >/dev/null 2>&1; then
	echo "skip enveloped: openssl not installed"
	exit 0
fi
rm -rf "$D"
mkdir -p "$D" || { fail enveloped "cannot create $D"; exit 0; }
: >"$D/cases"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1

# --- devices: key + self-signed certificate (with subjectKeyIdentifier) ---
# device NAME KEYGEN-ARGS...: PKCS#8 key NAME.key, certificate NAME.crt
device() {
	n=$1
	shift
	if openssl genpkey "$@" -out "$D/$n.key" 2>"$D/$n.err" &&
	   openssl req -x509 -new -key "$D/$n.key" -subj "/CN=sztpboot test $n" -days 2 \
		-out "$D/$n.crt" 2>>"$D/$n.err"; then
		ok "enveloped/device $n"
	else
		fail "enveloped/device $n" "$(tail -1 "$D/$n.err")"
	fi
}
device rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
device rsa4096 -algorithm RSA -pkeyopt rsa_keygen_bits:4096
device ec256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
device ec384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
device ec521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
device other-rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
device other-ec -algorithm EC -pkeyopt ec_paramgen_curve:P-256
# The same keys in the traditional encodings.
openssl ec -in "$D/ec256.key" -out "$D/ec256-sec1.key" 2>/dev/null
openssl rsa -traditional -in "$D/rsa.key" -out "$D/rsa-pkcs1.key" 2>/dev/null

# --- plaintexts: padding edge cases and a large one ----------------------
: >"$D/empty.bin"
printf 'x' >"$D/one.bin"
printf '0123456789abcdef' >"$D/block.bin"       # full block of padding
printf '0123456789abcde' >"$D/fifteen.bin"      # one octet of padding
printf '{"ietf-sztp-conveyed-info:redirect-information":{}}\n' >"$D/text.bin"
head -c 300000 /dev/urandom >"$D/large.bin"

# enc NAME RECIPIENTS PLAIN PATTERNS [openssl cms options...]
# RECIPIENTS: comma-separated device names; PATTERNS: comma-separated
# strings that `openssl asn1parse` of the result must show (proof that the
# algorithm we mean to test is the one OpenSSL used).
enc() {
	n=$1 plain=$3 pats=$4
	r=""
	for c in $(echo "$2" | tr , ' '); do r="$r -recip $D/$c.crt"; done
	shift 4
	# shellcheck disable=SC2086
	if ! openssl cms -encrypt -binary -outform DER -in "$D/$plain" $r -out "$D/$n.der" "$@" 2>"$D/$n.err"; then
		fail "enveloped/make $n" "$(tail -1 "$D/$n.err")"
		return 1
	fi
	openssl asn1parse -inform DER -in "$D/$n.der" >"$D/$n.asn1" 2>&1
	for p in $(echo "$pats" | tr , ' '); do
		if ! grep -q ":$p" "$D/$n.asn1"; then
			fail "enveloped/make $n" "OpenSSL did not use $p"
			return 1
		fi
	done
	return 0
}
# expect NAME KEY CERT ENVELOPE EXPECT: one line for the driver.
expect() {
	echo "$1 $2 $3 $4 $5" >>"$D/cases"
}
# A case that decrypts to its plaintext.
good() {
	n=$1 dev=$2 plain=$3
	shift 3
	enc "$n" "$dev" "$plain" "$@" && expect "$n" "$dev.key" "$dev.crt" "$n.der" "ok:$plain"
}

# RSA key transport (RFC 5652 6.2.1, RFC 8017).
good rsa-v15-aes256 rsa text.bin rsaEncryption,aes-256-cbc -aes256
good rsa-v15-aes128 rsa text.bin rsaEncryption,aes-128-cbc -aes128
good rsa-v15-aes192 rsa text.bin rsaEncryption,aes-192-cbc -aes192
good rsa-oaep-sha1 rsa text.bin rsaesOaep,aes-256-cbc -aes256 -keyopt rsa_padding_mode:oaep
good rsa-oaep-sha256 rsa text.bin rsaesOaep,sha256,mgf1,aes-128-cbc -aes128 \
	-keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256
good rsa-oaep-sha256-label rsa text.bin rsaesOaep,pSpecified -aes256 \
	-keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_oaep_label:737a7470
good rsa-keyid-v15 rsa text.bin rsaEncryption -aes256 -keyid
good rsa-keyid-oaep-sha256 rsa text.bin rsaesOaep,sha256 -aes256 -keyid \
	-keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256
good rsa-empty rsa empty.bin rsaEncryption -aes128
good rsa-one rsa one.bin rsaEncryption -aes128
good rsa-block rsa block.bin rsaEncryption -aes128
good rsa-fifteen rsa fifteen.bin rsaEncryption -aes128
good rsa-large rsa large.bin rsaEncryption,aes-256-cbc -aes256
good rsa4096-oaep-sha256 rsa4096 text.bin rsaesOaep,sha256 -aes256 \
	-keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256
good rsa4096-v15 rsa4096 text.bin rsaEncryption -aes256
if enc rsa-v15-pkcs1-key rsa text.bin rsaEncryption -aes256; then
	expect rsa-v15-pkcs1-key rsa-pkcs1.key rsa.crt rsa-v15-pkcs1-key.der ok:text.bin
fi

# ECDH ephemeral-static key agreement (RFC 5652 6.2.2, RFC 5753).
good ec256-sha256-aes256 ec256 text.bin dhSinglePass-stdDH-sha256kdf-scheme,id-aes256-wrap,aes-256-cbc \
	-aes256 -keyopt ecdh_kdf_md:sha256
good ec256-sha1-aes128 ec256 text.bin dhSinglePass-stdDH-sha1kdf-scheme,id-aes128-wrap,aes-128-cbc -aes128
good ec256-sha224 ec256 text.bin dhSinglePass-stdDH-sha224kdf-scheme -aes128 -keyopt ecdh_kdf_md:sha224
good ec256-sha384-aes192 ec256 text.bin dhSinglePass-stdDH-sha384kdf-scheme,id-aes192-wrap,aes-192-cbc \
	-aes192 -keyopt ecdh_kdf_md:sha384
good ec256-sha512 ec256 text.bin dhSinglePass-stdDH-sha512kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha512
good ec256-keyid ec256 text.bin dhSinglePass-stdDH-sha256kdf-scheme -aes256 -keyid -keyopt ecdh_kdf_md:sha256
good ec256-keyid-sha1 ec256 text.bin dhSinglePass-stdDH-sha1kdf-scheme -aes128 -keyid
good ec256-cofactor ec256 text.bin dhSinglePass-cofactorDH-sha256kdf-scheme -aes256 \
	-keyopt ecdh_cofactor_mode:1 -keyopt ecdh_kdf_md:sha256
good ec256-empty ec256 empty.bin dhSinglePass-stdDH-sha256kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha256
good ec256-block ec256 block.bin dhSinglePass-stdDH-sha256kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha256
good ec256-large ec256 large.bin dhSinglePass-stdDH-sha256kdf-scheme -aes128 -keyopt ecdh_kdf_md:sha256
good ec384-sha384-aes256 ec384 text.bin dhSinglePass-stdDH-sha384kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha384
good ec384-sha256-aes128 ec384 text.bin dhSinglePass-stdDH-sha256kdf-scheme -aes128 -keyopt ecdh_kdf_md:sha256
good ec384-sha1 ec384 text.bin dhSinglePass-stdDH-sha1kdf-scheme -aes256
good ec521-sha512-aes256 ec521 text.bin dhSinglePass-stdDH-sha512kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha512
good ec521-keyid ec521 fifteen.bin dhSinglePass-stdDH-sha256kdf-scheme -aes192 -keyid -keyopt ecdh_kdf_md:sha256
if enc ec256-sec1-key ec256 text.bin dhSinglePass-stdDH-sha256kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha256; then
	expect ec256-sec1-key ec256-sec1.key ec256.crt ec256-sec1-key.der ok:text.bin
fi

# Several recipients; ours is not the first. (-keyopt applies to the
# -recip before it.)
if enc multi other-rsa,other-ec,rsa,ec256 text.bin rsaEncryption,dhSinglePass-stdDH-sha256kdf-scheme \
	-aes256 -keyopt ecdh_kdf_md:sha256; then
	expect multi-as-rsa rsa.key rsa.crt multi.der ok:text.bin
	expect multi-as-ec256 ec256.key ec256.crt multi.der ok:text.bin
fi
# A password recipient alongside ours.
if enc with-pwri rsa text.bin id-alg-PWRI-KEK -aes128 -pwri_password sztp; then
	expect with-pwri rsa.key rsa.crt with-pwri.der ok:text.bin
fi

# --- must fail -------------------------------------------------------------
bad() { # NAME KEY CERT ENVELOPE MESSAGE
	expect "$1" "$2" "$3" "$4" "fail:$5"
}
enc to-other-rsa other-rsa text.bin rsaEncryption -aes256 &&
	bad to-other-rsa rsa.key rsa.crt to-other-rsa.der "not encrypted to this device"
enc to-other-ec other-ec text.bin dhSinglePass-stdDH-sha256kdf-scheme -aes256 -keyopt ecdh_kdf_md:sha256 &&
	bad to-other-ec ec256.key ec256.crt to-other-ec.der "not encrypted to this device"
bad ec-envelope-rsa-device rsa.key rsa.crt ec256-sha256-aes256.der "not encrypted to this device"
bad rsa-envelope-ec-device ec256.key ec256.crt rsa-v15-aes256.der "not encrypted to this device"
openssl cms -encrypt -binary -outform DER -in "$D/text.bin" -aes128 -pwri_password sztp \
	-out "$D/pwri-only.der" 2>/dev/null &&
	bad pwri-only rsa.key rsa.crt pwri-only.der "not encrypted to this device"
openssl cms -encrypt -binary -outform DER -in "$D/text.bin" -aes128 -secretkeyid 0a0b \
	-secretkey 000102030405060708090a0b0c0d0e0f -out "$D/kekri-only.der" 2>/dev/null &&
	bad kekri-only rsa.key rsa.crt kekri-only.der "not encrypted to this device"
enc rsa-oaep-mgf1-sha1 rsa text.bin rsaesOaep -aes256 -keyopt rsa_padding_mode:oaep \
	-keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha1 &&
	bad rsa-oaep-mgf1-sha1 rsa.key rsa.crt rsa-oaep-mgf1-sha1.der "unsupported OAEP parameters"
enc des3 rsa text.bin des-ede3-cbc -des3 &&
	bad des3 rsa.key rsa.crt des3.der "unsupported content encryption algorithm OID 1.2.840.113549.3.7"
openssl cms -sign -binary -nodetach -outform DER -in "$D/text.bin" -signer "$D/rsa.crt" \
	-inkey "$D/rsa.key" -out "$D/signed.der" 2>/dev/null &&
	bad signed-data rsa.key rsa.crt signed.der "not id-envelopedData"
head -c 256 /dev/urandom >"$D/garbage.der"
bad garbage rsa.key rsa.crt garbage.der "ContentInfo"

# Tampering. flip FILE OFFSET XOR (POSIX sh: od, printf, dd)
flip() {
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	v=$((b ^ $3))
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' "$v")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
size() { wc -c <"$1" | tr -d ' '; }
# copy SRC DST: a tampered copy
copy() { cp "$D/$1.der" "$D/$2.der"; }
# Offset of the content octets of the encryptedKey: the last OCTET STRING
# before the encryptedContentInfo (whose contentType is pkcs7-data).
wrapped_key_at() {
	openssl asn1parse -inform DER -in "$D/$1.der" |
		awk '/OCTET STRING/ { split($1, o, ":"); split($2, h, "="); at = o[1] + h[2] }
		     /:pkcs7-data/ { print at; exit }'
}

# CBC: flipping bit 5 of the last octet of the next-to-last block turns
# the padding octet p (1..16) into p ^ 0x20 > 16: deterministic failure.
for src in ec256-sha256-aes256 rsa-oaep-sha256 rsa-v15-aes128; do
	if [ -f "$D/$src.der" ]; then
		copy "$src" "$src-bad-content"
		flip "$D/$src-bad-content.der" $(($(size "$D/$src.der") - 17)) 32
		bad "$src-bad-content" "${src%%-*}.key" "${src%%-*}.crt" "$src-bad-content.der" "decryption failed"
	fi
done
# Wrapped keys: AES key unwrap and OAEP detect any change.
for src in ec256-sha256-aes256 ec384-sha384-aes256 ec521-sha512-aes256 rsa-oaep-sha1 rsa-oaep-sha256; do
	if [ -f "$D/$src.der" ] && at=$(wrapped_key_at "$src") && [ -n "$at" ]; then
		copy "$src" "$src-bad-key"
		flip "$D/$src-bad-key.der" $((at + 5)) 1
		bad "$src-bad-key" "${src%%-*}.key" "${src%%-*}.crt" "$src-bad-key.der" "decryption failed"
	fi
done
# PKCS#1 v1.5: a tampered key gives a substitute CEK, not an error (the
# Bleichenbacher countermeasure); see "garbled:" in test_enveloped_data.c.
if [ -f "$D/rsa-v15-aes256.der" ] && at=$(wrapped_key_at rsa-v15-aes256) && [ -n "$at" ]; then
	copy rsa-v15-aes256 rsa-v15-bad-key
	flip "$D/rsa-v15-bad-key.der" $((at + 100)) 1
	expect rsa-v15-bad-key rsa.key rsa.crt rsa-v15-bad-key.der garbled:text.bin
fi
# The ephemeral point moved off the curve.
if [ -f "$D/ec256-sha1-aes128.der" ]; then
	at=$(openssl asn1parse -inform DER -in "$D/ec256-sha1-aes128.der" |
		awk '/BIT STRING/ { split($1, o, ":"); split($2, h, "="); print o[1] + h[2]; exit }')
	copy ec256-sha1-aes128 ec256-bad-point
	flip "$D/ec256-bad-point.der" $((at + 10)) 1
	bad ec256-bad-point ec256.key ec256.crt ec256-bad-point.der "decryption failed"
fi
# Truncated by one octet.
if [ -f "$D/ec256-keyid.der" ]; then
	head -c $(($(size "$D/ec256-keyid.der") - 1)) "$D/ec256-keyid.der" >"$D/truncated.der"
	bad truncated ec256.key ec256.crt truncated.der "malformed ContentInfo"
fi

# --- run the driver, built by each compiler -------------------------------
for cc in gcc clang; do
	t=$B/host-$cc/unit/test_enveloped_data
	if [ ! -x "$t" ]; then
		fail "enveloped/$cc" "$t not built (make HOST_CC=$cc host)"
		continue
	fi
	"$t" "$D" "enveloped/$cc" >"$D/driver-$cc.log" 2>&1
	rc=$?
	grep -E '^(ok|FAIL) ' "$D/driver-$cc.log"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$D/driver-$cc.log"; then
		fail "enveloped/$cc" "driver exited $rc: $(tail -1 "$D/driver-$cc.log")"
	fi
done
