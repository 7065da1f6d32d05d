#!/bin/sh
# Build the fixtures of tests/suites/40-verify.sh: a set of PKIs and one
# directory of SZTP artifacts per case, all made with the OpenSSL command
# line (an independent producer; no project code is used).
#
# Usage: tests/verify/mkfixtures.sh OUTDIR      (OUTDIR is wiped first)
#
# Layout of OUTDIR:
#   pki/NAME.pem, pki/NAME.key   certificates (PEM) and keys (PKCS#8 PEM)
#   pki/*.sec1.key, *.pkcs1.key  the device keys again, in "traditional" PEM
#   image.img, other.img         64 KiB random files; onboarding info pins image.img
#   content/                     the JSON/XML payloads before CMS wrapping
#   ov/ oc/ ci/                  vouchers, owner certificates, conveyed info
#   cases/NAME/                  one directory per case: conveyed-information.cms
#                                [owner-certificate.cms] [ownership-voucher.cms|.vcj]
#   rpc/*.json                   get-bootstrapping-data replies (--rpc-reply)
#   ca/                          openssl ca scratch (config, database, CSRs)
#
# After building, the script checks with openssl that every fixture is what
# its case claims (valid signatures verify, the sibling cert is embedded,
# tampered data fails, ...) and exits non-zero if any check fails.
#
# Fixed values the case table (tests/verify/cases.txt) relies on:
#   NONCE      voucher nonce of cases/voucher-nonce (hex, 16 octets)
#   device serial numbers SN-1 (this device) and SN-2
set -eu

NONCE=5a7b9c0d1e2f30415263748596a7b8c9

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
rm -rf "$1"
mkdir -p "$1"
O=$(cd "$1" && pwd)
P=$O/pki CA=$O/ca
mkdir -p "$P" "$CA/newcerts" "$O/content" "$O/ov" "$O/oc" "$O/ci" "$O/cases" "$O/rpc"

die() { echo "mkfixtures: $*" >&2; exit 1; }

# --- times -----------------------------------------------------------------
rfc3339() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
asn1t() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
CERT_START=$(asn1t '-30 days')        # every certificate: valid from a month ago
CERT_END=$(asn1t '+365 days')         # ... for a year
OV_CREATED=$(rfc3339 '-1 day')
OV_EXPIRES=$(rfc3339 '+30 days')

# --- openssl ca scaffolding ------------------------------------------------
: >"$CA/index.txt"
echo 1000 >"$CA/serial"
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
commonName = optional
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
[ nods ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ dev_ec ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ dev_rsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ tls ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:sztp.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

eckey() { openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${2:-P-256}" \
	-pkeyopt ec_param_enc:named_curve -out "$P/$1.key" 2>/dev/null || die "eckey $1"; }
rsakey() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$P/$1.key" 2>/dev/null || die "rsakey $1"; }

# cert NAME ISSUER|self SUBJECT PROFILE [MD [NOTBEFORE NOTAFTER]]; key: pki/NAME.key
cert() {
	_n=$1 _i=$2 _s=$3 _p=$4 _md=${5:-sha256} _nb=${6:-$CERT_START} _na=${7:-$CERT_END}
	openssl req -new -config "$CA/req.cnf" -key "$P/$_n.key" -subj "$_s" -out "$CA/$_n.csr" \
		|| die "req $_n"
	if [ "$_i" = self ]; then
		set -- -selfsign -keyfile "$P/$_n.key"
	else
		set -- -cert "$P/$_i.pem" -keyfile "$P/$_i.key"
	fi
	openssl ca -batch -config "$CA/ca.cnf" "$@" -in "$CA/$_n.csr" -out "$P/$_n.pem" \
		-md "$_md" -startdate "$_nb" -enddate "$_na" -extfile "$CA/ext.cnf" -extensions "$_p" \
		-notext -preserveDN >"$CA/$_n.log" 2>&1 || { cat "$CA/$_n.log" >&2; die "ca $_n"; }
}

# --- PKI -------------------------------------------------------------------
# Manufacturer (voucher signing): CA -> MASA; an unrelated rogue manufacturer.
eckey mfg-ca;      cert mfg-ca self "/O=Example Manufacturer/CN=Manufacturer Root CA" root
eckey masa;        cert masa mfg-ca "/O=Example Manufacturer/CN=MASA Voucher Signer" sign
eckey masa-old;    cert masa-old mfg-ca "/O=Example Manufacturer/CN=MASA Voucher Signer (expired)" sign \
	sha256 "$(asn1t '-400 days')" "$(asn1t '-1 day')"
eckey rogue-ca;    cert rogue-ca self "/O=Rogue Manufacturer/CN=Rogue Root CA" root
eckey rogue-masa;  cert rogue-masa rogue-ca "/O=Rogue Manufacturer/CN=Rogue Voucher Signer" sign

# Owner: P-384 CA -> P-256 intermediate -> EE (+ sibling, + EE without
# digitalSignature); an EE directly under the CA; an RSA CA + EE; an
# unrelated CA + EE. Every signing cert has its own key.
eckey owner-ca P-384; cert owner-ca self "/O=Example Owner/CN=Owner Root CA" root sha384
eckey owner-int;      cert owner-int owner-ca "/O=Example Owner/CN=Owner Intermediate CA" int sha384
eckey owner-ee;       cert owner-ee owner-int "/O=Example Owner/CN=Owner Signer" sign
eckey owner-sibling;  cert owner-sibling owner-int "/O=Example Owner/CN=Owner Signer Sibling" sign
eckey owner-nods;     cert owner-nods owner-int "/O=Example Owner/CN=Owner Encipherment Only" nods
eckey owner-direct;   cert owner-direct owner-ca "/O=Example Owner/CN=Owner Signer Direct" sign sha384
eckey owner-old;      cert owner-old owner-int "/O=Example Owner/CN=Owner Signer (expired)" sign \
	sha256 "$(asn1t '-400 days')" "$(asn1t '-1 day')"
rsakey rsa-owner-ca;  cert rsa-owner-ca self "/O=Example RSA Owner/CN=RSA Owner Root CA" root
rsakey rsa-owner-ee;  cert rsa-owner-ee rsa-owner-ca "/O=Example RSA Owner/CN=RSA Owner Signer" sign
eckey other-ca;       cert other-ca self "/O=Other Owner/CN=Other Owner Root CA" root
eckey other-ee;       cert other-ee other-ca "/O=Other Owner/CN=Other Owner Signer" sign

# IDevID: CA (subjectKeyIdentifier) -> device certs (authorityKeyIdentifier keyid).
eckey idevid-ca;      cert idevid-ca self "/O=Example Manufacturer/CN=IDevID CA" root
eckey device-sn1;     cert device-sn1 idevid-ca "/CN=device-1/serialNumber=SN-1" dev_ec
eckey device-sn2;     cert device-sn2 idevid-ca "/CN=device-2/serialNumber=SN-2" dev_ec
rsakey device-sn1-rsa; cert device-sn1-rsa idevid-ca "/CN=device-1/serialNumber=SN-1" dev_rsa
openssl pkey -in "$P/device-sn1.key" -traditional -out "$P/device-sn1.sec1.key"
openssl pkey -in "$P/device-sn1-rsa.key" -traditional -out "$P/device-sn1-rsa.pkcs1.key"

# Bootstrap server TLS: root -> server cert for sztp.example.com.
eckey tls-root;       cert tls-root self "/O=Example Owner/CN=Bootstrap Server Root CA" root
eckey tls-server;     cert tls-server tls-root "/O=Example Owner/CN=sztp.example.com" tls

# --- helpers for artifacts ------------------------------------------------
b64() { base64 -w0 "$1"; }                       # file -> base64, one line
derb64() { openssl x509 -in "$1" -outform DER | base64 -w0; }   # PEM cert -> b64 DER
hexb64() { printf '%s' "$1" | xxd -r -p | base64 -w0; }          # hex -> b64
# keyIdentifier of the authorityKeyIdentifier of a cert, as hex
akihex() {
	openssl x509 -in "$1" -noout -ext authorityKeyIdentifier |
		sed -n '2s/^[[:space:]]*\(keyid:\)\{0,1\}//p' | tr -d ':\n' | tr 'A-F' 'a-f'
}
AKI_HEX=$(akihex "$P/device-sn1.pem")
[ ${#AKI_HEX} -eq 40 ] || die "cannot read AKI of device-sn1.pem ($AKI_HEX)"
AKI_B64=$(hexb64 "$AKI_HEX")

# mkvoucher OUT [key=value...]: voucher JSON (content/voucher-OUT.json) signed by the
# MASA into ov/OUT.cms. Keys: created expires ("-" = absent) assertion serial
# issuer (b64) pinned (pki name) revoc nonce (hex, "" = absent) signer chain
# ctype ("data" = id-data).
mkvoucher() {
	_out=$1; shift
	created=$OV_CREATED expires=$OV_EXPIRES assertion=verified serial=SN-1 issuer=$AKI_B64
	pinned=owner-ca revoc=false nonce='' signer=masa chain=mfg-ca ctype=1.2.840.113549.1.9.16.1.40
	for _kv; do eval "${_kv%%=*}=\${_kv#*=}"; done
	{
		printf '{"ietf-voucher:voucher": {"created-on": "%s"' "$created"
		[ "$expires" = - ] || printf ', "expires-on": "%s"' "$expires"
		printf ', "assertion": "%s", "serial-number": "%s", "idevid-issuer": "%s"' \
			"$assertion" "$serial" "$issuer"
		printf ', "pinned-domain-cert": "%s", "domain-cert-revocation-checks": %s' \
			"$(derb64 "$P/$pinned.pem")" "$revoc"
		[ -z "$nonce" ] || printf ', "nonce": "%s"' "$(hexb64 "$nonce")"
		printf '}}'
	} >"$O/content/voucher-$_out.json"
	if [ "$ctype" = data ]; then set -- ; else set -- -econtent_type "$ctype"; fi
	openssl cms -sign -binary -nodetach -nosmimecap -md sha256 "$@" \
		-signer "$P/$signer.pem" -inkey "$P/$signer.key" -certfile "$P/$chain.pem" \
		-outform DER -in "$O/content/voucher-$_out.json" -out "$O/ov/$_out.cms" || die "voucher $_out"
}

# mkoc OUT CERT...: certs-only SignedData (owner certificate artifact)
mkoc() {
	_out=$1; shift
	_args=
	for _c; do _args="$_args -certfile $P/$_c.pem"; done
	# shellcheck disable=SC2086
	openssl crl2pkcs7 -nocrl $_args -outform DER -out "$O/oc/$_out.cms" || die "oc $_out"
}

# mkci OUT CONTENT SIGNER CTYPE [cms -sign options...]: signed conveyed
# information; CTYPE "data" = no -econtent_type (id-data). Default -nocerts
# unless options are given.
CT_JSON=1.2.840.113549.1.9.16.1.43 CT_XML=1.2.840.113549.1.9.16.1.42
mkci() {
	_out=$1 _in=$2 _s=$3 _ct=$4; shift 4
	[ $# -gt 0 ] || set -- -nocerts
	[ "$_ct" = data ] || set -- -econtent_type "$_ct" "$@"
	openssl cms -sign -binary -nodetach -nosmimecap -md sha256 "$@" \
		-signer "$P/$_s.pem" -inkey "$P/$_s.key" -outform DER \
		-in "$O/content/$_in" -out "$O/ci/$_out.cms" || die "ci $_out"
}

# mkunsigned OUT CONTENT [OID]: bare ContentInfo {OID, [0] EXPLICIT OCTET STRING}
mkunsigned() {
	{
		printf 'asn1 = SEQUENCE:ci\n[ ci ]\nct = OID:%s\n' "${3:-$CT_JSON}"
		printf 'content = EXPLICIT:0,FORMAT:HEX,OCTETSTRING:'
		xxd -p "$O/content/$2" | tr -d '\n'
		printf '\n'
	} >"$CA/unsigned-$1.cnf"
	openssl asn1parse -genconf "$CA/unsigned-$1.cnf" -noout -out "$O/ci/$1.cms" >/dev/null || die "unsigned $1"
}

# mkenc OUT IN RECIPIENT [-keyopt ...]: EnvelopedData (AES-256-CBC) of ci/IN.cms
mkenc() {
	_out=$1 _in=$2 _r=$3; shift 3
	openssl cms -encrypt -binary -aes256 -recip "$P/$_r.pem" "$@" -outform DER \
		-in "$O/ci/$_in.cms" -out "$O/ci/$_out.cms" || die "enc $_out"
}

# rfcform OUT IN: turn openssl's envelope form {ct id-data, content = whole
# ContentInfo(SignedData)} into RFC 8572 3.1's {ct id-signedData, content =
# SignedData}: re-encrypt the bare SignedData, then patch the last octet of
# the encryptedContentInfo's contentType OID (id-data ...07 01 -> ...07 02).
sdonly() { # ci/IN.cms -> ci/IN.sd.der (the SignedData inside the ContentInfo)
	_off=$(openssl asn1parse -inform DER -in "$O/ci/$1.cms" | awk '$1 ~ /:d=2$/ { print $1 + 0; exit }')
	tail -c +$((_off + 1)) "$O/ci/$1.cms" >"$O/ci/$1.sd.cms"
}
patch_ect() { # ci/F.cms: encryptedContentInfo contentType id-data -> id-signedData
	_off=$(openssl asn1parse -inform DER -in "$O/ci/$1.cms" | awk '/OBJECT *:pkcs7-data$/ { o = $1 + 0 } END { print o }')
	[ -n "$_off" ] || die "no id-data OID in $1"
	printf '\002' | dd of="$O/ci/$1.cms" bs=1 seek=$((_off + 10)) conv=notrunc 2>/dev/null
}

# mkcase NAME CI OC OV [OVFILE]: a case directory ("-" = artifact absent)
mkcase() {
	_d=$O/cases/$1
	mkdir -p "$_d"
	cp "$O/ci/$2.cms" "$_d/conveyed-information.cms"
	[ "$3" = - ] || cp "$O/oc/$3.cms" "$_d/owner-certificate.cms"
	[ "$4" = - ] || cp "$O/ov/$4.cms" "$_d/${5:-ownership-voucher.cms}"
}

# --- payloads ----------------------------------------------------------------
head -c 65536 /dev/urandom >"$O/image.img"
head -c 65536 /dev/urandom >"$O/other.img"
IMG_HASH=$(sha256sum "$O/image.img" | cut -c1-64 | sed 's/../&:/g; s/:$//')
PRE=$(printf '#!/bin/sh\necho pre-configuration\n' | base64 -w0)
CFG=$(printf 'hostname device-1\n' | base64 -w0)          # aG9zdG5hbWUgZGV2aWNlLTEK
POST=$(printf '#!/bin/sh\necho post-configuration\n' | base64 -w0)
boot_image='"boot-image": {"os-name": "ExampleOS", "os-version": "2.0", "download-uri": ["file:///images/exampleos-2.0.img"], "image-verification": [{"hash-algorithm": "ietf-sztp-conveyed-info:sha-256", "hash-value": "'$IMG_HASH'"}]}'
printf '{"ietf-sztp-conveyed-info:onboarding-information": {%s, "configuration-handling": "merge", "pre-configuration-script": "%s", "configuration": "%s", "post-configuration-script": "%s"}}' \
	"$boot_image" "$PRE" "$CFG" "$POST" >"$O/content/onboarding.json"
printf '{"ietf-sztp-conveyed-info:onboarding-information": {%s, "configuration-handling": "merge", "pre-configuration-script": "%s", "configuration": "%s", "configuration-handling": "replace", "post-configuration-script": "%s"}}' \
	"$boot_image" "$PRE" "$CFG" "$POST" >"$O/content/onboarding-dup.json"
openssl crl2pkcs7 -nocrl -certfile "$P/tls-root.pem" -outform DER -out "$O/content/tls-ta.cms"
printf '{"ietf-sztp-conveyed-info:redirect-information": {"bootstrap-server": [{"address": "sztp.example.com", "port": 8443, "trust-anchor": "%s"}, {"address": "192.0.2.10"}]}}' \
	"$(b64 "$O/content/tls-ta.cms")" >"$O/content/redirect.json"
printf '<onboarding-information xmlns="urn:ietf:params:xml:ns:yang:ietf-sztp-conveyed-info"><configuration-handling>merge</configuration-handling><configuration>%s</configuration></onboarding-information>' \
	"$CFG" >"$O/content/onboarding.xml"
{
	printf '{"ietf-sztp-conveyed-info:onboarding-information": {"configuration-handling": "merge", "configuration": "%s", "x": ' "$CFG"
	head -c 100000 /dev/zero | tr '\0' '['
	head -c 100000 /dev/zero | tr '\0' ']'
	printf '}}'
} >"$O/content/deep.json"

# --- vouchers -----------------------------------------------------------------
mkvoucher ca                                     # pins the EC owner CA
mkvoucher rsa pinned=rsa-owner-ca
mkvoucher ee pinned=owner-ee
mkvoucher sn2 serial=SN-2
mkvoucher expired created="$(rfc3339 '-7 days')" expires="$(rfc3339 '-1 day')"
mkvoucher future created="$(rfc3339 '+1 day')" expires="$(rfc3339 '+30 days')"
mkvoucher rogue signer=rogue-masa chain=rogue-ca
mkvoucher rogue-sn2 signer=rogue-masa chain=rogue-ca serial=SN-2
mkvoucher nonce expires=- nonce=$NONCE
mkvoucher idevid issuer="$(head -c 20 /dev/urandom | base64 -w0)"
mkvoucher proximity assertion=proximity
mkvoucher revocation revoc=true
mkvoucher masa-old created="$(rfc3339 '-10 days')" signer=masa-old
mkvoucher ctype-data ctype=data
mkvoucher ctype-ci ctype=$CT_JSON

# --- owner certificates --------------------------------------------------------
mkoc ec owner-ee owner-int
mkoc ec-full owner-ee owner-int owner-ca         # MAY include the pinned cert
mkoc ee owner-ee
mkoc direct owner-direct
mkoc rsa rsa-owner-ee
mkoc other other-ee
mkoc nods owner-nods owner-int
mkoc old owner-old owner-int

# --- conveyed information --------------------------------------------------------
mkci onb-ec onboarding.json owner-ee $CT_JSON
mkci onb-ec-keyid onboarding.json owner-ee $CT_JSON -nocerts -keyid
mkci onb-direct onboarding.json owner-direct $CT_JSON
mkci onb-rsa onboarding.json rsa-owner-ee $CT_JSON
mkci redir-ec redirect.json owner-ee $CT_JSON
mkci onb-other onboarding.json other-ee $CT_JSON -certfile "$P/other-ca.pem"    # embeds other-ee
mkci onb-other-nocerts onboarding.json other-ee $CT_JSON
mkci onb-sibling onboarding.json owner-sibling $CT_JSON -certfile "$P/owner-int.pem"  # embeds sibling
mkci onb-nods onboarding.json owner-nods $CT_JSON
mkci onb-old onboarding.json owner-old $CT_JSON
mkci onb-ct-other onboarding.json owner-ee 1.2.3.4
mkci onb-ct-voucher onboarding.json owner-ee 1.2.840.113549.1.9.16.1.40
mkci onb-ct-data onboarding.json owner-ee data
mkci onb-ct-data-noattr onboarding.json owner-ee data -nocerts -noattr
mkci onb-noattr onboarding.json owner-ee $CT_JSON -nocerts -noattr
mkci onb-xml onboarding.xml owner-ee $CT_XML
mkci onb-dup onboarding-dup.json owner-ee $CT_JSON
mkunsigned redir-unsigned redirect.json
mkunsigned onb-unsigned onboarding.json
mkunsigned deep-unsigned deep.json
openssl cms -data_create -binary -outform DER -in "$O/content/redirect.json" -out "$O/ci/redir-unsigned-data.cms"

# tampered: one byte of "ExampleOS" inside the signed eContent -> "ExampleXS"
cp "$O/ci/onb-ec.cms" "$O/ci/onb-tampered.cms"
_off=$(grep -obUa 'ExampleOS' "$O/ci/onb-tampered.cms" | head -1 | cut -d: -f1)
[ -n "$_off" ] || die "ExampleOS not found in onb-ec.cms"
printf 'X' | dd of="$O/ci/onb-tampered.cms" bs=1 seek=$((_off + 7)) conv=notrunc 2>/dev/null
# tampered voucher: "SN-1" inside the signed eContent -> "SN-7"
cp "$O/ov/ca.cms" "$O/ov/tampered.cms"
_off=$(grep -obUa '"serial-number": "SN-1"' "$O/ov/tampered.cms" | head -1 | cut -d: -f1)
[ -n "$_off" ] || die "serial-number not found in ov/ca.cms"
printf '7' | dd of="$O/ov/tampered.cms" bs=1 seek=$((_off + 21)) conv=notrunc 2>/dev/null
# truncated (first half) and trailing garbage
_sz=$(stat -c %s "$O/ci/onb-ec.cms")
head -c $((_sz / 2)) "$O/ci/onb-ec.cms" >"$O/ci/onb-truncated.cms"
{ cat "$O/ci/onb-ec.cms"; printf 'trailing garbage\n'; } >"$O/ci/onb-trailing.cms"
# 40 MiB: a ContentInfo(signedData) header declaring the full length, then zeros
_big=$((40 * 1024 * 1024))
printf '%s' "3084$(printf %08x $((_big - 6)))06092a864886f70d010702a084$(printf %08x $((_big - 23)))" |
	xxd -r -p >"$O/ci/huge.cms"
truncate -s $_big "$O/ci/huge.cms"

# encrypted (openssl's natural form: encrypted ContentInfo, ct id-data)
mkenc enc-rsa onb-ec device-sn1-rsa
mkenc enc-rsa-oaep onb-ec device-sn1-rsa -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256
mkenc enc-ec onb-ec device-sn1 -keyopt ecdh_kdf_md:sha256
mkenc enc-sn2 onb-ec device-sn2 -keyopt ecdh_kdf_md:sha256
# encrypted, RFC 8572 3.1 form: encrypted SignedData, ct id-signedData
sdonly onb-ec
mkenc enc-rsa-rfc onb-ec.sd device-sn1-rsa;                           patch_ect enc-rsa-rfc
mkenc enc-ec-rfc onb-ec.sd device-sn1 -keyopt ecdh_kdf_md:sha256;     patch_ect enc-ec-rfc

# --- case directories ------------------------------------------------------------
mkcase valid-ec              onb-ec            ec      ca
mkcase valid-ec-keyid        onb-ec-keyid      ec      ca
mkcase valid-ec-oc-pinned    onb-ec            ec-full ca
mkcase valid-ec-direct       onb-direct        direct  ca
mkcase valid-vcj             onb-ec            ec      ca ownership-voucher.vcj
mkcase valid-rsa             onb-rsa           rsa     rsa
mkcase valid-pinned-ee       onb-ec            ee      ee
mkcase redirect-signed       redir-ec          ec      ca
mkcase redirect-unsigned     redir-unsigned    -       -
mkcase redirect-unsigned-data redir-unsigned-data -    -
mkcase onboarding-unsigned   onb-unsigned      -       -
mkcase signer-unrelated      onb-other         ec      ca
mkcase signer-sibling        onb-sibling       ec      ca
mkcase owner-chain-unpinned  onb-other-nocerts other   ca
mkcase owner-ku-no-ds        onb-nods          nods    ca
mkcase voucher-serial        onb-ec            ec      sn2
mkcase voucher-expired       onb-ec            ec      expired
mkcase voucher-future        onb-ec            ec      future
mkcase voucher-rogue         onb-ec            ec      rogue
mkcase voucher-rogue-sn2     onb-ec            ec      rogue-sn2
mkcase voucher-nonce         onb-ec            ec      nonce
mkcase voucher-idevid-issuer onb-ec            ec      idevid
mkcase voucher-proximity     onb-ec            ec      proximity
mkcase voucher-revocation    onb-ec            ec      revocation
mkcase voucher-masa-expired  onb-ec            ec      masa-old
mkcase voucher-ctype-data    onb-ec            ec      ctype-data
mkcase voucher-ctype-ci      onb-ec            ec      ctype-ci
mkcase voucher-tampered      onb-ec            ec      tampered
mkcase owner-ee-expired      onb-old           old     ca
mkcase missing-owner-cert    onb-ec            -       ca
mkcase missing-voucher       onb-ec            ec      -
# two defects each: RFC 8572 5.4 says which one must be reported
mkcase order-voucher-first   onb-other         other   rogue
mkcase order-owner-first     onb-tampered      other   ca
mkcase tampered              onb-tampered      ec      ca
mkcase ctype-other           onb-ct-other      ec      ca
mkcase ctype-voucher         onb-ct-voucher    ec      ca
mkcase ctype-data            onb-ct-data       ec      ca
mkcase ctype-data-noattr     onb-ct-data-noattr ec     ca
mkcase json-noattr           onb-noattr        ec      ca
mkcase ctype-xml             onb-xml           ec      ca
mkcase der-truncated         onb-truncated     ec      ca
mkcase der-trailing          onb-trailing      ec      ca
mkcase json-duplicate        onb-dup           ec      ca
mkcase json-deep             deep-unsigned     -       -
mkcase too-large             huge              ec      ca
mkcase enc-rsa               enc-rsa           ec      ca
mkcase enc-rsa-oaep          enc-rsa-oaep      ec      ca
mkcase enc-ec                enc-ec            ec      ca
mkcase enc-rsa-rfc           enc-rsa-rfc       ec      ca
mkcase enc-ec-rfc            enc-ec-rfc        ec      ca
mkcase enc-wrong-device      enc-sn2           ec      ca
# (a directory with extra, ignored files: valid-ec plus junk)
mkcase extra-files           onb-ec            ec      ca
printf 'not an artifact\n' >"$O/cases/extra-files/README.txt"
cp "$O/ov/rogue.cms" "$O/cases/extra-files/ownership-voucher.cms.bak"

# --- get-bootstrapping-data replies --------------------------------------------
rpc() { # OUT CI-B64 OC-B64 OV-B64
	printf '{"ietf-sztp-bootstrap-server:output": {"conveyed-information": "%s", "owner-certificate": "%s", "ownership-voucher": "%s", "reporting-level": "verbose"}}\n' \
		"$2" "$3" "$4" >"$O/rpc/$1.json"
}
rpc valid "$(b64 "$O/ci/onb-ec.cms")" "$(b64 "$O/oc/ec.cms")" "$(b64 "$O/ov/ca.cms")"
rpc bad-base64 "MIIB*not base64*$(b64 "$O/ci/onb-ec.cms" | cut -c1-40)" "$(b64 "$O/oc/ec.cms")" "$(b64 "$O/ov/ca.cms")"

# =============================================================================
# Self-checks: every fixture is what its case claims, judged by openssl.
# =============================================================================
nfail=0
bad() { echo "mkfixtures: check failed: $*" >&2; nfail=$((nfail + 1)); }
# passes DESC CMD...: CMD must succeed;  fails DESC CMD...: CMD must fail
passes() { _d=$1; shift; "$@" >/dev/null 2>&1 || bad "$_d"; }
fails() { _d=$1; shift; ! "$@" >/dev/null 2>&1 || bad "$_d (unexpectedly succeeded)"; }
has() { _d=$1 _pat=$2; shift 2; "$@" 2>/dev/null | grep -qF -- "$_pat" || bad "$_d"; }
hasnt() { _d=$1 _pat=$2; shift 2; ! "$@" 2>/dev/null | grep -qF -- "$_pat" || bad "$_d"; }
ver() { openssl cms -verify -inform DER -purpose any -out /dev/null "$@"; }
econtent() { openssl cms -verify -noverify -inform DER -in "$1" -out - 2>/dev/null; }
cprint() { openssl cms -cmsout -print -inform DER -in "$1"; }
# payload of a ContentInfo / SignedData: the contents octets of its first OCTET STRING
payload() {
	openssl asn1parse -inform DER -in "$1" |
		sed -n 's/^ *\([0-9]*\):d=[0-9]* *hl=\([0-9]*\) *l= *\([0-9]*\) *prim: OCTET STRING.*/\1 \2 \3/p' | {
		read -r _o _h _l && tail -c +$((_o + _h + 1)) "$1" | head -c "$_l"; }
}
cat "$P/owner-ca.pem" "$P/owner-int.pem" >"$CA/owner-bundle.pem"   # (openssl 3.0 cms has no -untrusted)
C=$O/cases

# PKI shape
for c in masa masa-old; do passes "$c chains to mfg-ca" openssl verify -no_check_time -CAfile "$P/mfg-ca.pem" "$P/$c.pem"; done
passes "owner-ee chains to owner-ca" openssl verify -CAfile "$CA/owner-bundle.pem" "$P/owner-ee.pem"
passes "owner-sibling chains to owner-ca" openssl verify -CAfile "$CA/owner-bundle.pem" "$P/owner-sibling.pem"
passes "owner-direct chains to owner-ca" openssl verify -CAfile "$P/owner-ca.pem" "$P/owner-direct.pem"
passes "rsa-owner-ee chains to rsa-owner-ca" openssl verify -CAfile "$P/rsa-owner-ca.pem" "$P/rsa-owner-ee.pem"
fails "other-ee does not chain to owner-ca" openssl verify -CAfile "$CA/owner-bundle.pem" "$P/other-ee.pem"
fails "rogue-masa does not chain to mfg-ca" openssl verify -CAfile "$P/mfg-ca.pem" "$P/rogue-masa.pem"
fails "masa-old is expired" openssl verify -CAfile "$P/mfg-ca.pem" "$P/masa-old.pem"
fails "owner-old is expired" openssl verify -CAfile "$P/owner-ca.pem" -untrusted "$P/owner-int.pem" "$P/owner-old.pem"
passes "owner-old chains to owner-ca" openssl verify -no_check_time -CAfile "$P/owner-ca.pem" -untrusted "$P/owner-int.pem" "$P/owner-old.pem"
passes "tls-server chains to tls-root" openssl verify -CAfile "$P/tls-root.pem" -purpose sslserver -verify_hostname sztp.example.com "$P/tls-server.pem"
for d in device-sn1 device-sn2 device-sn1-rsa; do
	passes "$d chains to idevid-ca" openssl verify -CAfile "$P/idevid-ca.pem" "$P/$d.pem"
	[ "$(akihex "$P/$d.pem")" = "$AKI_HEX" ] || bad "$d AKI differs"
done
has "device-sn1 subject serialNumber" "serialNumber = SN-1" openssl x509 -in "$P/device-sn1.pem" -noout -subject
has "device-sn1-rsa subject serialNumber" "serialNumber = SN-1" openssl x509 -in "$P/device-sn1-rsa.pem" -noout -subject
has "device-sn2 subject serialNumber" "serialNumber = SN-2" openssl x509 -in "$P/device-sn2.pem" -noout -subject
has "device-sn1-rsa is RSA" "rsaEncryption" openssl x509 -in "$P/device-sn1-rsa.pem" -noout -text
has "owner-ca is P-384" "P-384" openssl x509 -in "$P/owner-ca.pem" -noout -text
has "idevid-ca has SKI" "$(echo "$AKI_HEX" | tr a-f A-F | sed 's/../&:/g; s/:$//')" \
	openssl x509 -in "$P/idevid-ca.pem" -noout -ext subjectKeyIdentifier
has "owner-ee keyUsage" "Digital Signature" openssl x509 -in "$P/owner-ee.pem" -noout -ext keyUsage
hasnt "owner-nods keyUsage lacks digitalSignature" "Digital Signature" openssl x509 -in "$P/owner-nods.pem" -noout -ext keyUsage
has "owner-nods keyUsage is keyEncipherment" "Key Encipherment" openssl x509 -in "$P/owner-nods.pem" -noout -ext keyUsage

# vouchers: signatures, content type, contents
for v in ca rsa ee sn2 expired future nonce idevid proximity revocation ctype-data ctype-ci; do
	passes "ov/$v verifies against mfg-ca" ver -in "$O/ov/$v.cms" -CAfile "$P/mfg-ca.pem"
	case $v in
	ctype-data) has "ov/$v eContentType id-data" "eContentType: pkcs7-data" cprint "$O/ov/$v.cms" ;;
	ctype-ci) has "ov/$v eContentType .43" "1.2.840.113549.1.9.16.1.43" cprint "$O/ov/$v.cms" ;;
	*) has "ov/$v eContentType .40" "1.2.840.113549.1.9.16.1.40" cprint "$O/ov/$v.cms" ;;
	esac
	has "ov/$v carries the MASA cert" "CN=MASA Voucher Signer" cprint "$O/ov/$v.cms"
	econtent "$O/ov/$v.cms" | cmp -s - "$O/content/voucher-$v.json" || bad "ov/$v content"
done
fails "ov/rogue does not verify against mfg-ca" ver -in "$O/ov/rogue.cms" -CAfile "$P/mfg-ca.pem"
fails "ov/tampered fails verification" ver -in "$O/ov/tampered.cms" -CAfile "$P/mfg-ca.pem"
has "ov/tampered says SN-7" '"serial-number": "SN-7"' payload "$O/ov/tampered.cms"
[ "$(cmp -l "$O/ov/ca.cms" "$O/ov/tampered.cms" | wc -l)" = 1 ] || bad "ov/tampered differs in exactly one byte"
passes "ov/rogue verifies against rogue-ca" ver -in "$O/ov/rogue.cms" -CAfile "$P/rogue-ca.pem"
fails "ov/rogue-sn2 does not verify against mfg-ca" ver -in "$O/ov/rogue-sn2.cms" -CAfile "$P/mfg-ca.pem"
has "ov/rogue-sn2 serial" '"serial-number": "SN-2"' payload "$O/ov/rogue-sn2.cms"
fails "ov/masa-old fails (expired signer)" ver -in "$O/ov/masa-old.cms" -CAfile "$P/mfg-ca.pem"
passes "ov/masa-old verifies ignoring time" ver -in "$O/ov/masa-old.cms" -CAfile "$P/mfg-ca.pem" -no_check_time
has "ov/ca pins owner-ca" "\"pinned-domain-cert\": \"$(derb64 "$P/owner-ca.pem")\"" econtent "$O/ov/ca.cms"
has "ov/rsa pins rsa-owner-ca" "\"pinned-domain-cert\": \"$(derb64 "$P/rsa-owner-ca.pem")\"" econtent "$O/ov/rsa.cms"
has "ov/ee pins owner-ee" "\"pinned-domain-cert\": \"$(derb64 "$P/owner-ee.pem")\"" econtent "$O/ov/ee.cms"
has "ov/ca idevid-issuer = AKI" "\"idevid-issuer\": \"$AKI_B64\"" econtent "$O/ov/ca.cms"
hasnt "ov/idevid idevid-issuer differs" "\"idevid-issuer\": \"$AKI_B64\"" econtent "$O/ov/idevid.cms"
has "ov/sn2 serial" '"serial-number": "SN-2"' econtent "$O/ov/sn2.cms"
has "ov/proximity" '"assertion": "proximity"' econtent "$O/ov/proximity.cms"
has "ov/revocation" '"domain-cert-revocation-checks": true' econtent "$O/ov/revocation.cms"
has "ov/nonce nonce" "\"nonce\": \"$(hexb64 $NONCE)\"" econtent "$O/ov/nonce.cms"
hasnt "ov/nonce has no expires-on" 'expires-on' econtent "$O/ov/nonce.cms"
has "ov/expired expires-on" "\"expires-on\": \"$(rfc3339 '-1 day' | cut -c1-10)" econtent "$O/ov/expired.cms"
has "ov/future created-on" "\"created-on\": \"$(rfc3339 '+1 day' | cut -c1-10)" econtent "$O/ov/future.cms"
[ "$(hexb64 $NONCE | base64 -d | xxd -p)" = "$NONCE" ] || bad "nonce round trip"

# owner certificates: certs-only SignedData holding exactly the named certs
occerts() { openssl pkcs7 -inform DER -in "$O/oc/$1.cms" -print_certs -noout | grep -c '^subject'; }
[ "$(occerts ec)" = 2 ] || bad "oc/ec has 2 certs"
[ "$(occerts ec-full)" = 3 ] || bad "oc/ec-full has 3 certs"
[ "$(occerts ee)" = 1 ] || bad "oc/ee has 1 cert"
has "oc/ec holds owner-ee" "CN = Owner Signer" openssl pkcs7 -inform DER -in "$O/oc/ec.cms" -print_certs -noout
has "oc/other holds other-ee" "CN = Other Owner Signer" openssl pkcs7 -inform DER -in "$O/oc/other.cms" -print_certs -noout
# next line after a "FIELD:" line of `openssl cms -cmsout -print`
after() { cprint "$1" | grep -A1 "^ *$2:\$" | sed -n 2p; }
case $(after "$O/oc/ec.cms" signerInfos) in *'<EMPTY>'*) ;; *) bad "oc/ec has no signers" ;; esac
has "oc/ec signerInfos empty" "<EMPTY>" cprint "$O/oc/ec.cms"

# conveyed information: who signed, what is embedded, what verifies
# ci_ok DESC CI SIGNER CA [INT]: ci/CI verifies with pki/SIGNER.pem alone (-nointern),
# chained to pki/CA.pem (through the owner intermediate when INT is given)
ci_ok() {
	_ca=$P/$4.pem; [ -z "${5:-}" ] || _ca=$CA/owner-bundle.pem
	passes "$1" ver -in "$O/ci/$2.cms" -certfile "$P/$3.pem" -nointern -CAfile "$_ca"
}
ci_ok "ci/onb-ec signed by owner-ee" onb-ec owner-ee owner-ca owner-int
ci_ok "ci/onb-ec-keyid signed by owner-ee" onb-ec-keyid owner-ee owner-ca owner-int
ci_ok "ci/onb-direct signed by owner-direct" onb-direct owner-direct owner-ca
ci_ok "ci/onb-rsa signed by rsa-owner-ee" onb-rsa rsa-owner-ee rsa-owner-ca
ci_ok "ci/redir-ec signed by owner-ee" redir-ec owner-ee owner-ca owner-int
ci_ok "ci/onb-nods signed by owner-nods" onb-nods owner-nods owner-ca owner-int
passes "ci/onb-old signed by owner-old (ignoring time)" ver -no_check_time -in "$O/ci/onb-old.cms" -certfile "$P/owner-old.pem" -nointern -CAfile "$CA/owner-bundle.pem"
fails "ci/onb-old fails: owner-old expired" ver -in "$O/ci/onb-old.cms" -certfile "$P/owner-old.pem" -nointern -CAfile "$CA/owner-bundle.pem"
ci_ok "ci/onb-ct-data signed by owner-ee" onb-ct-data owner-ee owner-ca owner-int
ci_ok "ci/onb-ct-data-noattr signed by owner-ee" onb-ct-data-noattr owner-ee owner-ca owner-int
ci_ok "ci/onb-xml signed by owner-ee" onb-xml owner-ee owner-ca owner-int
ci_ok "ci/onb-dup signed by owner-ee" onb-dup owner-ee owner-ca owner-int
ci_ok "ci/onb-other-nocerts signed by other-ee" onb-other-nocerts other-ee other-ca
has "ci/onb-ec-keyid uses subjectKeyIdentifier" "subjectKeyIdentifier" cprint "$O/ci/onb-ec-keyid.cms"
has "ci/onb-ec has signed attributes" "signedAttrs" cprint "$O/ci/onb-ec.cms"
case $(after "$O/ci/onb-noattr.cms" signedAttrs) in *'<ABSENT>'*) ;; *) bad "ci/onb-noattr has no signed attributes" ;; esac
case $(after "$O/ci/onb-ct-data-noattr.cms" signedAttrs) in *'<ABSENT>'*) ;; *) bad "ci/onb-ct-data-noattr has no signed attributes" ;; esac
hasnt "ci/onb-ec carries no certificates" "CN=Owner Signer" cprint "$O/ci/onb-ec.cms"
# the sibling / unrelated signer: verifies with its embedded cert, not with owner-ee
passes "ci/onb-sibling verifies with embedded cert" ver -in "$O/ci/onb-sibling.cms" -CAfile "$P/owner-ca.pem"
has "ci/onb-sibling embeds the sibling cert" "CN=Owner Signer Sibling" cprint "$O/ci/onb-sibling.cms"
fails "ci/onb-sibling not signed by owner-ee" ver -in "$O/ci/onb-sibling.cms" -certfile "$P/owner-ee.pem" -nointern -CAfile "$CA/owner-bundle.pem"
passes "ci/onb-other verifies with embedded cert" ver -in "$O/ci/onb-other.cms" -CAfile "$P/other-ca.pem"
has "ci/onb-other embeds other-ee" "CN=Other Owner Signer" cprint "$O/ci/onb-other.cms"
fails "ci/onb-other not signed by owner-ee" ver -in "$O/ci/onb-other.cms" -certfile "$P/owner-ee.pem" -nointern -CAfile "$CA/owner-bundle.pem"
# content types
has "ci/onb-ec eContentType .43" "1.2.840.113549.1.9.16.1.43" cprint "$O/ci/onb-ec.cms"
has "ci/onb-ct-other eContentType 1.2.3.4" "eContentType: undefined (1.2.3.4)" cprint "$O/ci/onb-ct-other.cms"
has "ci/onb-ct-voucher eContentType .40" "1.2.840.113549.1.9.16.1.40" cprint "$O/ci/onb-ct-voucher.cms"
has "ci/onb-ct-data eContentType id-data" "eContentType: pkcs7-data" cprint "$O/ci/onb-ct-data.cms"
has "ci/onb-xml eContentType .42" "1.2.840.113549.1.9.16.1.42" cprint "$O/ci/onb-xml.cms"
for u in redir-unsigned onb-unsigned deep-unsigned; do
	has "ci/$u is a bare .43 ContentInfo" ":1.2.840.113549.1.9.16.1.43" openssl asn1parse -inform DER -in "$O/ci/$u.cms"
done
payload "$O/ci/redir-unsigned.cms" | cmp -s - "$O/content/redirect.json" || bad "ci/redir-unsigned payload"
payload "$O/ci/onb-unsigned.cms" | cmp -s - "$O/content/onboarding.json" || bad "ci/onb-unsigned payload"
payload "$O/ci/deep-unsigned.cms" | cmp -s - "$O/content/deep.json" || bad "ci/deep-unsigned payload"
has "ci/redir-unsigned holds the redirect JSON" "redirect-information" openssl asn1parse -inform DER -in "$O/ci/redir-unsigned.cms"
has "ci/redir-unsigned-data is id-data" ":pkcs7-data" openssl asn1parse -inform DER -in "$O/ci/redir-unsigned-data.cms"
# tampered / truncated / trailing / huge
fails "ci/onb-tampered fails verification" ver -in "$O/ci/onb-tampered.cms" -certfile "$P/owner-ee.pem" -CAfile "$CA/owner-bundle.pem"
openssl cms -verify -inform DER -purpose any -out /dev/null -in "$O/ci/onb-tampered.cms" -certfile "$P/owner-ee.pem" \
	-CAfile "$CA/owner-bundle.pem" 2>&1 | grep -q 'CMS_SignerInfo_verify_content' || bad "ci/onb-tampered fails on the content digest"
grep -qa 'ExampleXS' "$O/ci/onb-tampered.cms" || bad "ci/onb-tampered patched"
[ "$(cmp -l "$O/ci/onb-ec.cms" "$O/ci/onb-tampered.cms" | wc -l)" = 1 ] || bad "ci/onb-tampered differs in exactly one byte"
fails "ci/onb-truncated does not parse" openssl asn1parse -inform DER -in "$O/ci/onb-truncated.cms"
toplen() { openssl asn1parse -inform DER -in "$1" 2>/dev/null |
	sed -n '1s/^ *0:d=0 *hl=\([0-9]*\) *l= *\([0-9]*\) .*/\1 \2/p' | { read -r _h _l && echo $((_h + _l)); }; }
[ "$(toplen "$O/ci/onb-trailing.cms")" = "$_sz" ] && [ "$(stat -c %s "$O/ci/onb-trailing.cms")" -gt "$_sz" ] ||
	bad "ci/onb-trailing is one DER object plus trailing bytes"
[ "$(toplen "$O/ci/onb-ec.cms")" = "$_sz" ] || bad "ci/onb-ec is exactly one DER object"
[ "$(stat -c %s "$O/ci/huge.cms")" = "$_big" ] || bad "ci/huge size"
# JSON payloads
[ "$(grep -o '"configuration-handling"' "$O/content/onboarding-dup.json" | wc -l)" = 2 ] || bad "onboarding-dup has a duplicate member"
[ "$(tr -cd '[' <"$O/content/deep.json" | wc -c)" = 100000 ] || bad "deep.json depth"
grep -q "\"hash-value\": \"$IMG_HASH\"" "$O/content/onboarding.json" || bad "onboarding hash"
[ "$(echo "$IMG_HASH" | tr -d ':')" = "$(sha256sum "$O/image.img" | cut -c1-64)" ] || bad "image hash"
payload "$O/ci/onb-ec.cms" | cmp -s - "$O/content/onboarding.json" || bad "ci/onb-ec content"
has "redirect trust-anchor is a certs-only CMS of tls-root" "CN = Bootstrap Server Root CA" openssl pkcs7 -inform DER -in "$O/content/tls-ta.cms" -print_certs -noout
# encryption: to whom, which form
dec() { openssl cms -decrypt -inform DER -in "$O/ci/$1.cms" -recip "$P/$2.pem" -inkey "$P/$2.key" -out "$CA/dec.bin"; }
for e in enc-rsa enc-rsa-oaep; do
	passes "ci/$e decrypts with device-sn1-rsa" dec $e device-sn1-rsa
	cmp -s "$CA/dec.bin" "$O/ci/onb-ec.cms" || bad "ci/$e plaintext is the signed CI"
done
passes "ci/enc-ec decrypts with device-sn1" dec enc-ec device-sn1
cmp -s "$CA/dec.bin" "$O/ci/onb-ec.cms" || bad "ci/enc-ec plaintext is the signed CI"
has "ci/enc-rsa-oaep uses OAEP" "rsaesOaep" cprint "$O/ci/enc-rsa-oaep.cms"
has "ci/enc-ec uses ECDH sha256 KDF" "dhSinglePass-stdDH-sha256kdf-scheme" cprint "$O/ci/enc-ec.cms"
passes "ci/enc-sn2 decrypts with device-sn2" dec enc-sn2 device-sn2
fails "ci/enc-sn2 does not decrypt with device-sn1" openssl cms -decrypt -debug_decrypt -inform DER -in "$O/ci/enc-sn2.cms" -recip "$P/device-sn1.pem" -inkey "$P/device-sn1.key" -out "$CA/dec.bin"
for e in enc-rsa-rfc:device-sn1-rsa enc-ec-rfc:device-sn1; do
	passes "ci/${e%%:*} decrypts" dec "${e%%:*}" "${e#*:}"
	cmp -s "$CA/dec.bin" "$O/ci/onb-ec.sd.cms" || bad "ci/${e%%:*} plaintext is the bare SignedData"
	has "ci/${e%%:*} encryptedContentInfo ct is id-signedData" "contentType: pkcs7-signedData" cprint "$O/ci/${e%%:*}.cms"
done
has "ci/enc-rsa encryptedContentInfo ct is id-data" "contentType: pkcs7-data" cprint "$O/ci/enc-rsa.cms"
# rpc replies
_rv=$(sed 's/.*"conveyed-information": "\([^"]*\)".*/\1/' "$O/rpc/valid.json")
[ "$(printf '%s' "$_rv" | base64 -d | base64 -w0)" = "$(b64 "$O/ci/onb-ec.cms")" ] || bad "rpc/valid conveyed-information"
_rb=$(sed 's/.*"conveyed-information": "\([^"]*\)".*/\1/' "$O/rpc/bad-base64.json")
fails "rpc/bad-base64 is not base64" sh -c 'printf "%s" "$1" | base64 -d' sh "$_rb"
# the key files in traditional PEM
has "device-sn1.sec1.key is SEC1" "BEGIN EC PRIVATE KEY" cat "$P/device-sn1.sec1.key"
has "device-sn1-rsa.pkcs1.key is PKCS#1" "BEGIN RSA PRIVATE KEY" cat "$P/device-sn1-rsa.pkcs1.key"
has "device-sn1.key is PKCS#8" "BEGIN PRIVATE KEY" cat "$P/device-sn1.key"
# case directories hold what they should
for d in "$C"/*/; do
	[ -f "$d/conveyed-information.cms" ] || bad "$d has no conveyed-information.cms"
done
[ ! -e "$C/redirect-unsigned/owner-certificate.cms" ] && [ ! -e "$C/redirect-unsigned/ownership-voucher.cms" ] ||
	bad "redirect-unsigned holds only conveyed-information.cms"
[ -f "$C/valid-vcj/ownership-voucher.vcj" ] && [ ! -e "$C/valid-vcj/ownership-voucher.cms" ] || bad "valid-vcj voucher name"

if [ $nfail -gt 0 ]; then
	die "$nfail fixture check(s) failed"
fi
echo "mkfixtures: $(ls "$C" | wc -l) case directories in $O"
