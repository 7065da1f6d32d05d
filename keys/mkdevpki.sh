#!/bin/sh
# Make the DEVELOPMENT ONLY PKI of the demo and the QEMU tests, with the
# OpenSSL command line. Every subject CN starts with "DEVELOPMENT ONLY"; the
# private keys are unencrypted and the CA keys sit next to them: never ship
# an image built with these keys (keys/README.md says how to supply real ones).
#
# Usage: keys/mkdevpki.sh OUTDIR          (`make keys` runs it on build/keys)
#
# Idempotent: an OUTDIR holding .done is left alone (remove OUTDIR to make a
# new PKI). The PKI is built in a sibling staging directory and renamed into
# place at the end, so OUTDIR is either complete or absent. An OUTDIR without
# .done that is not empty was not made here and is never overwritten.
#
# OUTDIR (all PEM; keys are unencrypted PKCS#8 "PRIVATE KEY", mode 0600):
#   voucher-ta.pem/.key    manufacturer (MASA) root CA: the voucher trust anchor
#   masa.pem/.key          voucher signer, issued by voucher-ta
#   idevid-ca.pem/.key     IDevID CA (subjectKeyIdentifier)
#   server-ta.pem/.key     bootstrap-server root CA: the anchor of the board's
#                          well-known servers (/etc/sztpboot/server-ta.pem)
#   exampleos/ssh_host_ed25519_key[.pub]  the demo system's SSH host key
#   server.pem/.key        a bootstrap server, issued by server-ta: SAN
#                          sztp.example.test, sztp2.example.test, 10.99.0.1, fd99::1
#   devices/SN-100N/idevid.pem/.key   IDevIDs, issued by idevid-ca:
#                          SN-1001 EC P-256, SN-1002 RSA-2048, SN-1003 EC P-256;
#                          subject "/CN=DEVELOPMENT ONLY device SN/serialNumber=SN"
#   owner/owner-ca.pem/.key     EC owner root CA (P-384)
#   owner/owner-int.pem/.key    its intermediate CA (P-256)
#   owner/owner.pem/.key        owner end entity (P-256, keyUsage digitalSignature),
#                               issued by owner-int
#   owner/owner-rsa-ca.pem/.key RSA owner root CA (RSA-2048)
#   owner/owner-rsa.pem/.key    RSA owner end entity, directly under owner-rsa-ca
#   .done                  marker: what made this PKI, and when
# Every certificate is valid from one day ago for ten years.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=${1%/}
die() { echo "mkdevpki: $*" >&2; exit 1; }

if [ -f "$OUT/.done" ]; then
	echo "mkdevpki: $OUT already holds a development PKI (remove it to make a new one)"
	exit 0
fi
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
	die "$OUT exists, is not empty and has no .done: not made by this script; refusing to overwrite it"
fi
command -v openssl >/dev/null 2>&1 || die "openssl not found"

mkdir -p "$(dirname "$OUT")"
S=$OUT.new.$$                      # staging directory, renamed to OUT at the end
rm -rf "$S"
trap 'rm -rf "$S"' EXIT
trap 'exit 1' HUP INT TERM
CA=$S/.ca                          # openssl ca scratch, removed at the end
mkdir -p "$CA/newcerts" "$S/owner" "$S/devices"
umask 022

# Valid from one day ago for ten years (GeneralizedTime input; openssl ca
# encodes dates before 2050 as UTCTime, RFC 5280 4.1.2.5).
_from=$(date -u -d '-1 day' '+%Y-%m-%d %H:%M:%S')
START=$(date -u -d "$_from UTC" +%Y%m%d%H%M%SZ)
END=$(date -u -d "$_from UTC +10 years" +%Y%m%d%H%M%SZ)

# --- openssl ca scaffolding (as tests/verify/mkfixtures.sh) -------------------
: >"$CA/index.txt"
cat >"$CA/ca.cnf" <<EOF
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $CA
database = $CA/index.txt
new_certs_dir = $CA/newcerts
serial = $CA/serial
default_md = sha256
policy = pol_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ pol_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
serialNumber = optional
EOF
printf '[ req ]\ndistinguished_name = dn\n[ dn ]\n' >"$CA/req.cnf"
cat >"$CA/ext.cnf" <<'EOF'
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ sign ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ dev_ec ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ srv ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:sztp.example.test,DNS:sztp2.example.test,IP:10.99.0.1,IP:fd99::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ dev_rsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# key PATH ec [CURVE] | rsa: unencrypted PKCS#8 PEM, mode 0600
key() {
	case $2 in
	ec) set -- "$1" -algorithm EC -pkeyopt "ec_paramgen_curve:${3:-P-256}" -pkeyopt ec_param_enc:named_curve ;;
	rsa) set -- "$1" -algorithm RSA -pkeyopt rsa_keygen_bits:2048 ;;
	esac
	_k=$1; shift
	( umask 077 && openssl genpkey "$@" -out "$S/$_k.key" 2>"$CA/genpkey.log" ) ||
		{ cat "$CA/genpkey.log" >&2; die "cannot make key $_k"; }
}

# cert PATH ISSUER|self SUBJECT PROFILE [MD]: PATH.pem from PATH.key
# (PATH and ISSUER relative to the staging directory)
cert() {
	_n=$1 _i=$2 _s=$3 _p=$4 _md=${5:-sha256}
	_t=$(echo "$_n" | tr / _)
	openssl req -new -config "$CA/req.cnf" -key "$S/$_n.key" -subj "$_s" -out "$CA/$_t.csr" \
		2>"$CA/$_t.log" || { cat "$CA/$_t.log" >&2; die "req $_n"; }
	if [ "$_i" = self ]; then
		set -- -selfsign -keyfile "$S/$_n.key"
	else
		set -- -cert "$S/$_i.pem" -keyfile "$S/$_i.key"
	fi
	openssl ca -batch -config "$CA/ca.cnf" "$@" -rand_serial -in "$CA/$_t.csr" -out "$S/$_n.pem" \
		-md "$_md" -startdate "$START" -enddate "$END" -extfile "$CA/ext.cnf" -extensions "$_p" \
		-notext -preserveDN >"$CA/$_t.log" 2>&1 || { cat "$CA/$_t.log" >&2; die "ca $_n"; }
}

DEV="DEVELOPMENT ONLY"

# --- manufacturer: voucher trust anchor -> MASA (voucher signer) -------------
key voucher-ta ec;  cert voucher-ta self "/O=Example OEM/CN=$DEV Example OEM Voucher Root CA" root
key masa ec;        cert masa voucher-ta "/O=Example OEM/CN=$DEV Example OEM MASA Voucher Signer" sign

# --- manufacturer: IDevID CA -> device identities ----------------------------
key idevid-ca ec;   cert idevid-ca self "/O=Example OEM/CN=$DEV Example OEM IDevID CA" root
for d in SN-1001:ec SN-1002:rsa SN-1003:ec; do
	sn=${d%%:*} alg=${d#*:}
	mkdir -p "$S/devices/$sn"
	key "devices/$sn/idevid" "$alg"
	cert "devices/$sn/idevid" idevid-ca "/CN=$DEV device $sn/serialNumber=$sn" "dev_$alg"
done

# --- bootstrap server: the well-known server's CA (baked into the image) ----
# and a server certificate for the test network (tests/netrig/README.md)
key server-ta ec;   cert server-ta self "/O=Example OEM/CN=$DEV Example OEM Bootstrap Server CA" root
key server ec;      cert server server-ta "/O=Example OEM/CN=$DEV Example OEM Bootstrap Server" srv

# --- the demo system's SSH host key (reported with bootstrap-complete) -------
mkdir -p "$S/exampleos"
( umask 077 && openssl genpkey -algorithm ED25519 -out "$S/exampleos/ssh_host_ed25519_key" ) 2>"$CA/genpkey.log" ||
	{ cat "$CA/genpkey.log" >&2; die "cannot make the SSH host key"; }
# OpenSSH public key: "ssh-ed25519 " base64(string "ssh-ed25519", string key)
# (RFC 4253 6.6, RFC 8709 4); the raw key is the last 32 octets of the SPKI.
{
	printf '\000\000\000\013ssh-ed25519\000\000\000\040'
	openssl pkey -in "$S/exampleos/ssh_host_ed25519_key" -pubout -outform DER | tail -c 32
} | openssl base64 -A | sed 's/^/ssh-ed25519 /; s/$/ exampleos\n/' >"$S/exampleos/ssh_host_ed25519_key.pub"

# --- owners ------------------------------------------------------------------
# EC: root CA (P-384) -> intermediate -> end entity that signs conveyed information
key owner/owner-ca ec P-384
cert owner/owner-ca self "/O=Example Owner/CN=$DEV Example Owner Root CA" root sha384
key owner/owner-int ec
cert owner/owner-int owner/owner-ca "/O=Example Owner/CN=$DEV Example Owner Intermediate CA" int sha384
key owner/owner ec
cert owner/owner owner/owner-int "/O=Example Owner/CN=$DEV Example Owner Signer" sign
# RSA: root CA -> end entity
key owner/owner-rsa-ca rsa
cert owner/owner-rsa-ca self "/O=Example RSA Owner/CN=$DEV Example RSA Owner Root CA" root
key owner/owner-rsa rsa
cert owner/owner-rsa owner/owner-rsa-ca "/O=Example RSA Owner/CN=$DEV Example RSA Owner Signer" sign

# --- self-check: every chain verifies ----------------------------------------
chk() { openssl verify -x509_strict "$@" >"$CA/verify.log" 2>&1 || { cat "$CA/verify.log" >&2; die "check failed: openssl verify $*"; }; }
chk -CAfile "$S/voucher-ta.pem" "$S/masa.pem"
chk -CAfile "$S/idevid-ca.pem" "$S"/devices/*/idevid.pem
chk -CAfile "$S/owner/owner-ca.pem" -untrusted "$S/owner/owner-int.pem" "$S/owner/owner.pem"
chk -CAfile "$S/owner/owner-rsa-ca.pem" "$S/owner/owner-rsa.pem"
chk -CAfile "$S/server-ta.pem" "$S/server.pem"

rm -rf "$CA"
{
	echo "DEVELOPMENT ONLY PKI: made by keys/mkdevpki.sh; never ship it (see keys/README.md)"
	echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "valid: $START - $END"
	echo "openssl: $(openssl version)"
} >"$S/.done"
# rename(2) onto OUT (absent, or an empty directory): OUT appears complete or
# not at all; if a concurrent run got there first, keep its PKI
if ! mv -T "$S" "$OUT" 2>/dev/null; then
	[ -f "$OUT/.done" ] || die "cannot rename $S to $OUT"
	echo "mkdevpki: $OUT was made meanwhile by another run; keeping it"
	exit 0
fi
trap - EXIT
echo "mkdevpki: DEVELOPMENT ONLY PKI in $OUT"
