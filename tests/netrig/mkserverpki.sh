#!/bin/sh
# Make the DEVELOPMENT ONLY bootstrap-server PKI of the network test rig
# (tests/netrig/README.md), with the OpenSSL command line.
#
# Usage: tests/netrig/mkserverpki.sh [OPTIONS] OUTDIR
#   --san SAN      a subjectAltName of the "good" certificates, as OpenSSL
#                  writes it (DNS:name or IP:address); repeatable. Default:
#                  DNS:sztp.example.test DNS:sztp2.example.test IP:10.99.0.1
#                  IP:fd99::1 (the rig's names and addresses)
#   --wrong-ip IP  the only SAN of "wrongip" (default 10.99.0.77)
#   --devpki DIR   the development PKI of `make keys` (default $BUILD/keys,
#                  BUILD defaulting to build): its idevid-ca.pem becomes
#                  OUTDIR/device-ca.pem
#
# OUTDIR (PEM; keys unencrypted PKCS#8, mode 0600):
#   server-ca.pem/.key    server CA, EC P-256: the trust anchor a device gets
#                         (baked in, or the trust-anchor of redirect information)
#   good.pem/.key         EC P-256, issued by server-ca, serverAuth, --san names
#   good-rsa.pem/.key     the same names, RSA-2048 (for the ECDHE-RSA suites)
#   wronghost.pem/.key    issued by server-ca, SAN DNS:other.example.test only
#   wrongip.pem/.key      issued by server-ca, SAN IP:10.99.0.77 only
#   untrusted.pem/.key    self-signed, the --san names (a server no anchor vouches
#                         for: provisional TLS, unsigned redirect information)
#   device-ca.pem         copy of DEVPKI/idevid-ca.pem: the server's --client-ca
#   .done                 what made it, with which names
# Certificates are valid from one day ago for ten years. A second run with the
# same options keeps OUTDIR (it only refreshes device-ca.pem); other options
# make it anew.
set -eu

usage() { sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "mkserverpki: $*" >&2; exit 1; }

SANS='' WRONGIP=10.99.0.77 DEVPKI=${BUILD:-build}/keys
while [ $# -gt 0 ]; do
	case $1 in
	--san) [ $# -ge 2 ] || usage; SANS="${SANS:+$SANS,}$2"; shift 2 ;;
	--wrong-ip) [ $# -ge 2 ] || usage; WRONGIP=$2; shift 2 ;;
	--devpki) [ $# -ge 2 ] || usage; DEVPKI=$2; shift 2 ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) echo "mkserverpki: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
OUT=${1%/}
[ -n "$SANS" ] || SANS=DNS:sztp.example.test,DNS:sztp2.example.test,IP:10.99.0.1,IP:fd99::1
for s in $(echo "$SANS" | tr ',' ' '); do
	case $s in DNS:?* | IP:?*) ;; *) die "--san $s: want DNS:name or IP:address" ;; esac
done
[ -f "$DEVPKI/idevid-ca.pem" ] || die "$DEVPKI/idevid-ca.pem missing (make keys)"
command -v openssl >/dev/null 2>&1 || die "openssl not found"

STAMP="sans=$SANS wrongip=$WRONGIP"
if [ -f "$OUT/.done" ] && grep -qxF "$STAMP" "$OUT/.done"; then
	cp "$DEVPKI/idevid-ca.pem" "$OUT/device-ca.pem"
	exit 0
fi

if [ -d "$OUT" ] && [ ! -f "$OUT/.done" ] && [ -n "$(ls -A "$OUT")" ]; then
	die "$OUT exists, is not empty and has no .done: not made here; refusing to overwrite it"
fi
mkdir -p "$(dirname "$OUT")"
S=$OUT.new.$$
rm -rf "$S"
trap 'rm -rf "$S"' EXIT
trap 'exit 1' HUP INT TERM
mkdir -p "$S/.ca"
W=$S/.ca

_from=$(date -u -d '-1 day' '+%Y-%m-%d %H:%M:%S')
START=$(date -u -d "$_from UTC" +%Y%m%d%H%M%SZ)
END=$(date -u -d "$_from UTC +10 years" +%Y%m%d%H%M%SZ)

: >"$W/index.txt"
cat >"$W/ca.cnf" <<EOF
[ ca ]
default_ca = d
[ d ]
database = $W/index.txt
new_certs_dir = $W
serial = $W/serial
default_md = sha256
policy = p
unique_subject = no
copy_extensions = none
email_in_dn = no
[ p ]
organizationName = optional
commonName = supplied
EOF
printf '[ req ]\ndistinguished_name = dn\n[ dn ]\n' >"$W/req.cnf"
cat >"$W/ext.cnf" <<EOF
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ good ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $SANS
[ good_rsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $SANS
[ wronghost ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:other.example.test
[ wrongip ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = IP:$WRONGIP
[ untrusted ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $SANS
EOF

key() { # NAME ec|rsa
	case $2 in
	ec) set -- "$1" -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve ;;
	rsa) set -- "$1" -algorithm RSA -pkeyopt rsa_keygen_bits:2048 ;;
	esac
	_k=$1
	shift
	(umask 077 && openssl genpkey "$@" -out "$S/$_k.key" 2>"$W/$_k.log") ||
		{ cat "$W/$_k.log" >&2; die "cannot make key $_k"; }
}
cert() { # NAME ISSUER|self SUBJECT PROFILE
	openssl req -new -config "$W/req.cnf" -key "$S/$1.key" -subj "$3" -out "$W/$1.csr" \
		2>"$W/$1.log" || { cat "$W/$1.log" >&2; die "req $1"; }
	if [ "$2" = self ]; then
		set -- "$@" -selfsign -keyfile "$S/$1.key"
	else
		set -- "$@" -cert "$S/$2.pem" -keyfile "$S/$2.key"
	fi
	_n=$1 _p=$4
	shift 4
	openssl ca -batch -config "$W/ca.cnf" "$@" -rand_serial -in "$W/$_n.csr" -out "$S/$_n.pem" \
		-startdate "$START" -enddate "$END" -extfile "$W/ext.cnf" -extensions "$_p" \
		-notext -preserveDN >"$W/$_n.log" 2>&1 || { cat "$W/$_n.log" >&2; die "ca $_n"; }
}

DEV="DEVELOPMENT ONLY"
key server-ca ec;  cert server-ca self "/O=Example Operator/CN=$DEV Bootstrap Server CA" root
key good ec;       cert good server-ca "/O=Example Operator/CN=$DEV bootstrap server" good
key good-rsa rsa;  cert good-rsa server-ca "/O=Example Operator/CN=$DEV bootstrap server (RSA)" good_rsa
key wronghost ec;  cert wronghost server-ca "/O=Example Operator/CN=$DEV other.example.test" wronghost
key wrongip ec;    cert wrongip server-ca "/O=Example Operator/CN=$DEV $WRONGIP" wrongip
key untrusted ec;  cert untrusted self "/O=Nobody/CN=$DEV untrusted bootstrap server" untrusted
cp "$DEVPKI/idevid-ca.pem" "$S/device-ca.pem"

for c in good good-rsa wronghost wrongip; do
	openssl verify -x509_strict -purpose sslserver -CAfile "$S/server-ca.pem" "$S/$c.pem" >"$W/verify.log" 2>&1 ||
		{ cat "$W/verify.log" >&2; die "check failed: $c"; }
done
if openssl verify -CAfile "$S/server-ca.pem" "$S/untrusted.pem" >/dev/null 2>&1; then
	die "check failed: untrusted verifies against server-ca"
fi

rm -rf "$W"
{
	echo "DEVELOPMENT ONLY bootstrap-server PKI: made by tests/netrig/mkserverpki.sh"
	echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "$STAMP"
} >"$S/.done"
rm -rf "$OUT"
mv -T "$S" "$OUT"
trap - EXIT
