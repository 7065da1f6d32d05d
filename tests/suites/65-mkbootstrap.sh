#!/bin/sh
# The development PKI (`make keys`, keys/mkdevpki.sh) and the bootstrapping
# data generator (tools/mkbootstrap), judged by the device's own verifier:
# every stick directory mkbootstrap writes must pass `sztpboot verify` and
# yield exactly the conveyed information asked for; tampered data must not.
# One line per check: "ok mkbootstrap/NAME" or "FAIL mkbootstrap/NAME: reason".
# Work files: $BUILD/t/mkbootstrap (sticks, verify stdout/stderr).
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${BUILD:-build}
K=$B/keys
T=$B/t/mkbootstrap
V=$B/sztpboot
MK=tools/mkbootstrap
ok() { echo "ok mkbootstrap/$1"; }
fail() { echo "FAIL mkbootstrap/$1: $2"; }
oneline() { tr '\n\t' '  ' | cut -c1-300; }
t0=$(date +%s)

rm -rf "$T"
mkdir -p "$T" || { fail setup "cannot create $T"; exit 0; }

# --- make keys ---------------------------------------------------------------------
if make --no-print-directory BUILD="$B" keys >"$T/keys.log" 2>&1 && [ -f "$K/.done" ]; then
	ok keys
else
	fail keys "make keys: $(tail -3 "$T/keys.log" | oneline)"
	exit 0
fi
_m=$(stat -c %Y "$K/voucher-ta.pem")
if make --no-print-directory BUILD="$B" keys >"$T/keys2.log" 2>&1 && [ ! -s "$T/keys2.log" ] &&
	[ "$(stat -c %Y "$K/voucher-ta.pem")" = "$_m" ]; then
	ok keys-idempotent
else
	fail keys-idempotent "second make keys did something: $(oneline <"$T/keys2.log")"
fi

# --- the PKI's shape ---------------------------------------------------------------
# check NAME CMD...: ok if CMD succeeds (its output in $T/check.log)
check() { _n=$1; shift; if "$@" >"$T/check.log" 2>&1; then ok "$_n"; else fail "$_n" "$(head -3 "$T/check.log" | oneline)"; fi; }
has() { _f=$1; shift; "$@" 2>&1 | grep -qF -- "$_f"; }
bad=
for c in $(find "$K" -name '*.pem' | sort); do
	cn=$(openssl x509 -in "$c" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p')
	case $cn in "DEVELOPMENT ONLY "*) ;; *) bad="$bad ${c#"$K"/}:'$cn'" ;; esac
	# its key: plain PKCS#8 PEM, no passphrase
	[ "$(head -1 "${c%.pem}.key" 2>/dev/null)" = "-----BEGIN PRIVATE KEY-----" ] || bad="$bad ${c#"$K"/}:key"
	[ "$(openssl x509 -in "$c" -noout -pubkey)" = "$(openssl pkey -in "${c%.pem}.key" -passin pass: -pubout 2>/dev/null)" ] ||
		bad="$bad ${c#"$K"/}:keymismatch"
	nb=$(date -u -d "$(openssl x509 -in "$c" -noout -startdate | cut -d= -f2)" +%s)
	na=$(date -u -d "$(openssl x509 -in "$c" -noout -enddate | cut -d= -f2)" +%s)
	days=$(((na - nb) / 86400))
	{ [ "$nb" -le $(($(date +%s) - 86400 + 300)) ] && [ "$days" -ge 3652 ] && [ "$days" -le 3653 ]; } ||
		bad="$bad ${c#"$K"/}:validity($days days)"
done
if [ -z "$bad" ]; then ok pki-names-keys-validity; else fail pki-names-keys-validity "$bad"; fi
check pki-masa openssl verify -x509_strict -CAfile "$K/voucher-ta.pem" "$K/masa.pem"
check pki-devices openssl verify -x509_strict -CAfile "$K/idevid-ca.pem" \
	"$K/devices/SN-1001/idevid.pem" "$K/devices/SN-1002/idevid.pem" "$K/devices/SN-1003/idevid.pem"
check pki-owner-ec openssl verify -x509_strict -CAfile "$K/owner/owner-ca.pem" -untrusted "$K/owner/owner-int.pem" "$K/owner/owner.pem"
check pki-owner-rsa openssl verify -x509_strict -CAfile "$K/owner/owner-rsa-ca.pem" "$K/owner/owner-rsa.pem"
check pki-owner-ku has "Digital Signature" openssl x509 -in "$K/owner/owner.pem" -noout -ext keyUsage
ski=$(openssl x509 -in "$K/idevid-ca.pem" -noout -ext subjectKeyIdentifier | sed -n '2s/^ *//p')
bad=
for d in SN-1001:prime256v1 SN-1002:rsaEncryption SN-1003:prime256v1; do
	sn=${d%%:*} c=$K/devices/${d%%:*}/idevid.pem
	has "subject=CN = DEVELOPMENT ONLY device $sn, serialNumber = $sn" \
		openssl x509 -in "$c" -noout -subject -nameopt oneline || bad="$bad $sn:subject"
	has "${d#*:}" openssl x509 -in "$c" -noout -text || bad="$bad $sn:not-${d#*:}"
	[ -z "$ski" ] || has "$ski" openssl x509 -in "$c" -noout -ext authorityKeyIdentifier || bad="$bad $sn:aki"
done
has "Public-Key: (2048 bit)" openssl x509 -in "$K/devices/SN-1002/idevid.pem" -noout -text || bad="$bad SN-1002:not-2048"
[ -n "$ski" ] || bad="$bad idevid-ca:no-ski"
if [ -z "$bad" ]; then ok pki-idevids; else fail pki-idevids "$bad"; fi

# --- the verifier --------------------------------------------------------------------
[ -x "$V" ] || make --no-print-directory BUILD="$B" all >"$T/build.log" 2>&1
if [ ! -x "$V" ]; then
	fail verifier "$V not built: $(tail -3 "$T/build.log" | oneline)"
	exit 0
fi

# mk NAME ARGS...: run tools/mkbootstrap; record its failure as a check
mk() {
	_n=$1; shift
	if sh "$MK" "$@" >"$T/$_n.mk" 2>&1; then return 0; fi
	fail "$_n" "mkbootstrap failed: $(oneline <"$T/$_n.mk")"
	return 1
}
# verify NAME RC STDERR-RE EXPECTED-STDOUT|- ARGS...: sztpboot verify must exit
# RC, stderr must match STDERR-RE and stdout equal EXPECTED-STDOUT ("-": not checked)
verify() {
	_n=$1 _rc=$2 _re=$3 _exp=$4; shift 4
	"$V" verify "$@" >"$T/$_n.out" 2>"$T/$_n.err" </dev/null
	_got=$?
	if [ "$_got" != "$_rc" ]; then
		fail "$_n" "exit $_got, expected $_rc: $(head -2 "$T/$_n.err" | oneline)"
	elif ! grep -qE -- "$_re" "$T/$_n.err"; then
		fail "$_n" "stderr does not match /$_re/: $(head -2 "$T/$_n.err" | oneline)"
	elif [ "$_exp" != - ] && [ "$(cat "$T/$_n.out")" != "$_exp" ]; then
		fail "$_n" "stdout $(head -c 300 "$T/$_n.out" | oneline), expected $(printf '%s' "$_exp" | cut -c1-300)"
	else
		ok "$_n"
	fi
}
b64() { base64 -w0 "$1"; }

S=$T/stick                     # one stick, several devices
MFG=example-oem
VTA="--voucher-ta $K/voucher-ta.pem"
EC_OWNER="--masa-cert $K/masa.pem --masa-key $K/masa.key --owner-cert $K/owner/owner.pem --owner-key $K/owner/owner.key --owner-chain $K/owner/owner-int.pem --pinned $K/owner/owner-ca.pem"
RSA_OWNER="--masa-cert $K/masa.pem --masa-key $K/masa.key --owner-cert $K/owner/owner-rsa.pem --owner-key $K/owner/owner-rsa.key --pinned $K/owner/owner-rsa-ca.pem"
dev() { echo "--idevid-cert $K/devices/$1/idevid.pem"; }
devkey() { echo "--idevid-cert $K/devices/$1/idevid.pem --idevid-key $K/devices/$1/idevid.key"; }
bd() { echo "$S/$MFG/$1/bootstrapping-data"; }

# payloads
head -c 100000 /dev/urandom >"$T/exampleos-2.0.img"
head -c 100000 /dev/urandom >"$T/other.img"
printf 'hostname sn-1001\ninterface eth0 up\n' >"$T/config.txt"
printf '#!/bin/sh\necho pre-configuration\n' >"$T/pre.sh"
printf '#!/bin/sh\necho post-configuration\n' >"$T/post.sh"
HASH=$(sha256sum "$T/exampleos-2.0.img" | cut -c1-64 | sed 's/../&:/g; s/:$//')
ONB1='{"ietf-sztp-conveyed-info:onboarding-information":{"boot-image":{"os-name":"ExampleOS","os-version":"2.0","download-uri":["file:///images/exampleos-2.0.img"],"image-verification":[{"hash-algorithm":"ietf-sztp-conveyed-info:sha-256","hash-value":"'$HASH'"}]},"configuration-handling":"merge","pre-configuration-script":"'$(b64 "$T/pre.sh")'","configuration":"'$(b64 "$T/config.txt")'","post-configuration-script":"'$(b64 "$T/post.sh")'"}}'
ONB2='{"ietf-sztp-conveyed-info:onboarding-information":{"configuration-handling":"replace","configuration":"'$(b64 "$T/config.txt")'"}}'

# --- SN-1001: EC owner through an intermediate, pinned owner CA, boot image ----------
# shellcheck disable=SC2046,SC2086
if mk sn1001 --out "$S" --manufacturer $MFG --serial SN-1001 $EC_OWNER $(dev SN-1001) \
	--image "$T/exampleos-2.0.img" --image-uri file:///images/exampleos-2.0.img \
	--os-name ExampleOS --os-version 2.0 --config "$T/config.txt" --config-handling merge \
	--pre-script "$T/pre.sh" --post-script "$T/post.sh"; then
	verify sn1001 0 'trusted' "$ONB1" $VTA $(dev SN-1001) --image "$S/images/exampleos-2.0.img" "$(bd SN-1001)"
	check sn1001-image-on-stick cmp "$T/exampleos-2.0.img" "$S/images/exampleos-2.0.img"
	check sn1001-layout test -f "$(bd SN-1001)/conveyed-information.cms" -a -f "$(bd SN-1001)/owner-certificate.cms" \
		-a -f "$(bd SN-1001)/ownership-voucher.cms"
	# the voucher names the IDevID issuer, so the verifier did check it
	aki=$(openssl x509 -in "$K/devices/SN-1001/idevid.pem" -noout -ext authorityKeyIdentifier |
		sed -n '2{s/^ *//; s/^keyid://; s/://g; p}' | xxd -r -p | base64 -w0)
	check sn1001-voucher-idevid-issuer has "\"idevid-issuer\": \"$aki\"" \
		openssl cms -verify -inform DER -in "$(bd SN-1001)/ownership-voucher.cms" -CAfile "$K/voucher-ta.pem" -purpose any -out -
	verify sn1001-wrong-image 1 'sha-256 does not match' - $VTA $(dev SN-1001) --image "$T/other.img" "$(bd SN-1001)"
fi

# --- SN-1002: RSA owner, conveyed information encrypted to the RSA IDevID -------------
# shellcheck disable=SC2046,SC2086
if mk sn1002 --out "$S" --manufacturer $MFG --serial SN-1002 $RSA_OWNER $(dev SN-1002) --encrypt \
	--config "$T/config.txt" --config-handling replace; then
	verify sn1002-encrypted 0 'trusted' "$ONB2" $VTA $(devkey SN-1002) "$(bd SN-1002)"
	verify sn1002-no-key 1 'conveyed-information.cms' - $VTA $(dev SN-1002) "$(bd SN-1002)"
	openssl cms -cmsout -print -inform DER -in "$(bd SN-1002)/conveyed-information.cms" >"$T/sn1002.print" 2>&1
	check sn1002-oaep-aes256 grep -q 'rsaesOaep' "$T/sn1002.print"
	check sn1002-aes256 grep -q 'aes-256-cbc' "$T/sn1002.print"
	check sn1002-rfc8572-form grep -q 'contentType: pkcs7-signedData' "$T/sn1002.print"
	# one stick, many devices: SN-1001's data is untouched and is not SN-1002's
	verify stick-sn1001-still-valid 0 'trusted' "$ONB1" $VTA $(dev SN-1001) "$(bd SN-1001)"
	verify stick-sn1001-not-for-sn1002 1 'serial-number' - $VTA $(devkey SN-1002) "$(bd SN-1001)"
fi

# --- SN-1003: signed redirect information, encrypted to the EC IDevID ----------------
openssl crl2pkcs7 -nocrl -certfile "$K/owner/owner-ca.pem" -outform DER -out "$T/ta.cms"
RED='{"ietf-sztp-conveyed-info:redirect-information":{"bootstrap-server":[{"address":"sztp.example.com","port":8443,"trust-anchor":"'$(b64 "$T/ta.cms")'"},{"address":"192.0.2.10"}]}}'
RED_PROV='{"ietf-sztp-conveyed-info:redirect-information":{"bootstrap-server":[{"address":"sztp.example.com","port":8443},{"address":"192.0.2.10"}]}}'
# shellcheck disable=SC2046,SC2086
if mk sn1003-redirect --out "$S" --manufacturer $MFG --serial SN-1003 $EC_OWNER $(dev SN-1003) --encrypt \
	--redirect sztp.example.com:8443 --trust-anchor "$K/owner/owner-ca.pem" --redirect 192.0.2.10; then
	verify sn1003-redirect 0 'trusted' "$RED" $VTA $(devkey SN-1003) "$(bd SN-1003)"
	check sn1003-ecdh-sha256 has 'dhSinglePass-stdDH-sha256kdf-scheme' \
		openssl cms -cmsout -print -inform DER -in "$(bd SN-1003)/conveyed-information.cms"
fi
# the same device again, unsigned: provisional, and no stale voucher/owner certificate
# shellcheck disable=SC2046,SC2086
if mk sn1003-unsigned --out "$S" --manufacturer $MFG --serial SN-1003 --unsigned \
	--redirect sztp.example.com:8443 --trust-anchor "$K/owner/owner-ca.pem" --redirect 192.0.2.10; then
	verify sn1003-unsigned 0 'provisional' "$RED_PROV" $VTA $(dev SN-1003) "$(bd SN-1003)"
	check sn1003-unsigned-alone test "$(ls "$(bd SN-1003)")" = conveyed-information.cms
fi

# --- forgeries and voucher options -----------------------------------------------------
# shellcheck disable=SC2046,SC2086
if mk tamper --out "$T/tampered" --manufacturer $MFG --serial SN-1001 $EC_OWNER $(dev SN-1001) \
	--config "$T/config.txt" --config-handling merge --tamper; then
	verify tamper 1 '^sztpboot: conveyed-information.cms: .*(digest|signature)' '' $VTA $(dev SN-1001) "$T/tampered/$MFG/SN-1001/bootstrapping-data"
fi
# shellcheck disable=SC2046,SC2086
if mk tamper-encrypted --out "$T/tampered" --manufacturer $MFG --serial SN-1002 $RSA_OWNER $(dev SN-1002) \
	--encrypt --redirect sztp.example.com --tamper; then
	verify tamper-encrypted 1 '^sztpboot: conveyed-information.cms: .*(digest|signature)' '' $VTA $(devkey SN-1002) "$T/tampered/$MFG/SN-1002/bootstrapping-data"
fi
NONCE=0123456789abcdef0011223344556677
# shellcheck disable=SC2046,SC2086
if mk nonce --out "$T/nonce" --manufacturer $MFG --serial SN-1001 $EC_OWNER --nonce $NONCE --assertion logged \
	--config "$T/config.txt" --config-handling merge; then
	verify nonce 0 'trusted' - $VTA $(dev SN-1001) --nonce $NONCE "$T/nonce/$MFG/SN-1001/bootstrapping-data"
	verify nonce-not-sent 1 'ownership-voucher.cms' - $VTA $(dev SN-1001) "$T/nonce/$MFG/SN-1001/bootstrapping-data"
fi

# --- mkbootstrap refuses what a device would reject ------------------------------------
# refuses NAME RC ARGS...: mkbootstrap must exit RC and write no device directory
refuses() {
	_n=$1 _rc=$2; shift 2
	rm -rf "$T/refused"
	sh "$MK" --out "$T/refused" --manufacturer $MFG "$@" >"$T/$_n.mk" 2>&1
	_got=$?
	if [ "$_got" != "$_rc" ]; then
		fail "$_n" "exit $_got, expected $_rc: $(oneline <"$T/$_n.mk")"
	elif [ -e "$T/refused/$MFG" ]; then
		fail "$_n" "wrote $T/refused/$MFG anyway"
	else
		ok "$_n"
	fi
}
# shellcheck disable=SC2086
refuses refuse-unpinned-owner 1 --serial SN-1001 $RSA_OWNER --pinned "$K/owner/owner-ca.pem" --redirect a.example
# shellcheck disable=SC2086
refuses refuse-wrong-owner-key 1 --serial SN-1001 $EC_OWNER --owner-key "$K/owner/owner-rsa.key" --redirect a.example
# shellcheck disable=SC2046,SC2086
refuses refuse-serial-mismatch 1 --serial SN-1002 $EC_OWNER $(dev SN-1001) --redirect a.example
refuses refuse-missing-pinned 2 --serial SN-1001 --masa-cert "$K/masa.pem" --masa-key "$K/masa.key" \
	--owner-cert "$K/owner/owner.pem" --owner-key "$K/owner/owner.key" --redirect a.example
# shellcheck disable=SC2046,SC2086
refuses refuse-image-name-taken 1 --serial SN-1001 $EC_OWNER --out "$S" --image "$T/other.img" \
	--image-uri file:///images/exampleos-2.0.img
check image-name-taken-kept cmp "$T/exampleos-2.0.img" "$S/images/exampleos-2.0.img"
# shellcheck disable=SC2046,SC2086
verify image-name-taken-sn1001-kept 0 'trusted' "$ONB1" $VTA $(dev SN-1001) --image "$S/images/exampleos-2.0.img" "$(bd SN-1001)"

echo "# mkbootstrap suite: $(($(date +%s) - t0)) s"
