#!/bin/sh
# TLS client (src/tls_client.c) against `openssl s_server`: a PKI made at
# test time under $BUILD/t/tls, one server per certificate on 127.0.0.1
# (free ports chosen by the kernel), the ASan+UBSan driver
# $BUILD/host-gcc/tls_get per case. Servers are killed by PID at the end.
#   ok tls/NAME     FAIL tls/NAME: reason
set -u
B=${BUILD:-build}
GET=$B/host-gcc/tls_get
D=$B/t/tls
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SANITIZER_RE='(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: .*Sanitizer)'

if [ ! -x "$GET" ]; then
	echo "FAIL tls/driver: $GET missing (make HOST_CC=gcc host)"
	exit 0
fi
rm -rf "$D"
mkdir -p "$D"
PIDS=
trap 'for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done' EXIT INT TERM

# --- PKI ---------------------------------------------------------------------
ossl() { openssl "$@" >>"$D/pki.log" 2>&1 || { echo "FAIL tls/pki: openssl $1 failed"; tail -5 "$D/pki.log"; exit 0; }; }
cat >"$D/ext.cnf" <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[srv]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[srv2]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:sztp.example
[dev]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
CNF
eckey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/$1.key"; }
rsakey() { ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$D/$1.key"; }
ca() { # NAME CN
	eckey "$1"
	ossl req -new -x509 -key "$D/$1.key" -out "$D/$1.pem" -days 30 -subj "/CN=$2" \
		-config "$D/ext.cnf" -extensions ca
}
leaf() { # NAME CN ISSUER EXT
	ossl req -new -key "$D/$1.key" -out "$D/$1.csr" -subj "/CN=$2"
	ossl x509 -req -in "$D/$1.csr" -CA "$D/$3.pem" -CAkey "$D/$3.key" -CAcreateserial \
		-days 30 -out "$D/$1.pem" -extfile "$D/ext.cnf" -extensions "$4"
}
ca srvca "Bootstrap Server CA"
ca othca "Unrelated CA"
ca devca "Device CA"
eckey srv;    leaf srv "localhost" srvca srv
rsakey srv2;  leaf srv2 "sztp.example" srvca srv2
eckey oth;    leaf oth "localhost" othca srv
eckey devec;  leaf devec "device EC" devca dev
rsakey devrsa; leaf devrsa "device RSA" devca dev
# R79: a device whose IDevID is issued by an intermediate the server does
# not know; its file holds the IDevID, then the intermediate.
ca devroot "Device Root CA"
eckey devint; leaf devint "Device Intermediate CA" devroot ca
eckey devch;  leaf devch "device chained" devint dev
cat "$D/devch.pem" "$D/devint.pem" >"$D/devch-chain.pem"
# Expired: `openssl ca` with an end date in the past.
mkdir -p "$D/ca"; : >"$D/ca/index.txt"; echo 01 >"$D/ca/serial"
cat >"$D/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $D/ca/index.txt
serial = $D/ca/serial
new_certs_dir = $D/ca
default_md = sha256
policy = p
copy_extensions = none
[p]
commonName = supplied
CNF
eckey exp
ossl req -new -key "$D/exp.key" -out "$D/exp.csr" -subj "/CN=localhost"
ossl ca -batch -config "$D/ca.cnf" -cert "$D/srvca.pem" -keyfile "$D/srvca.key" \
	-startdate 20200101000000Z -enddate 20200201000000Z -in "$D/exp.csr" -out "$D/exp.pem" \
	-extfile "$D/ext.cnf" -extensions srv
echo "ok tls/pki"

# --- servers -----------------------------------------------------------------
# serve NAME CERT [s_server options...]: start, wait for its port in PORT_NAME.
serve() {
	n=$1 c=$2
	shift 2
	(cd "$D" && exec openssl s_server -accept 127.0.0.1:0 -www -tls1_2 -cert "$c.pem" -key "$c.key" \
		"$@" >"srv-$n.log" 2>&1 </dev/null) &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 50 ]; do
		port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$D/srv-$n.log" 2>/dev/null)
		[ -n "$port" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$port" ] || { echo "FAIL tls/server-$n: did not start"; tail -3 "$D/srv-$n.log"; }
	eval "PORT_$n=\$port"
}
serve ec srv
serve rsa srv2
serve oth oth
serve auth srv -Verify 1 -verify_return_error -CAfile devca.pem
serve authroot srv -Verify 2 -verify_return_error -CAfile devroot.pem
serve exp exp
# A server that accepts TCP connections (the kernel does) but never answers.
serve mute srv
for p in $PIDS; do :; done
kill -STOP "$p"

# --- cases -------------------------------------------------------------------
# case NAME ok|fail EXPECTED-TEXT -- tls_get ARGS...: "ok" expects exit 0 and
# the text in the response; "fail" expects exit 1 and the text in the reason.
case_() {
	name=$1 want=$2 text=$3
	shift 4
	out=$D/$name.out err=$D/$name.err
	timeout 20 "$GET" "$@" >"$out" 2>"$err"
	rc=$?
	if grep -qE "$SANITIZER_RE" "$err"; then
		echo "FAIL tls/$name: sanitizer: $(grep -m1 -E "$SANITIZER_RE" "$err")"
	elif [ "$want" = ok ] && [ $rc -ne 0 ]; then
		echo "FAIL tls/$name: exit $rc: $(tail -1 "$err")"
	elif [ "$want" = ok ] && ! grep -q "$text" "$out"; then
		echo "FAIL tls/$name: response lacks \`$text'"
	elif [ "$want" = fail ] && [ $rc -ne 1 ]; then
		echo "FAIL tls/$name: exit $rc, wanted 1: $(tail -1 "$err")"
	elif [ "$want" = fail ] && ! grep -q "$text" "$err"; then
		echo "FAIL tls/$name: reason \`$(tail -1 "$err")' lacks \`$text'"
	else
		echo "ok tls/$name"
	fi
}
L=127.0.0.1
case_ anchors-ip ok "HTTP/1.0 200" -- -a "$D/srvca.pem" $L $L "$PORT_ec"
case_ anchors-dns ok "HTTP/1.0 200" -- -a "$D/srvca.pem" localhost $L "$PORT_ec"
case_ anchors-rsa-server-dns ok "HTTP/1.0 200" -- -a "$D/srvca.pem" sztp.example $L "$PORT_rsa"
case_ anchors-several ok "HTTP/1.0 200" -- -a "$D/othca.pem" -a "$D/srvca.pem" $L $L "$PORT_ec"
case_ wrong-anchor fail "no path to a trust anchor" -- -a "$D/othca.pem" $L $L "$PORT_ec"
case_ ip-not-in-san fail "server certificate does not name IP address 127.0.0.1" -- \
	-a "$D/srvca.pem" $L $L "$PORT_rsa"
case_ dns-not-in-san fail "does not name the host" -- -a "$D/srvca.pem" other.example $L "$PORT_ec"
case_ provisional-unrelated-ca ok "HTTP/1.0 200" -- $L $L "$PORT_oth"
case_ provisional-rsa ok "HTTP/1.0 200" -- sztp.example $L "$PORT_rsa"
case_ client-ec ok "HTTP/1.0 200" -- -a "$D/srvca.pem" -c "$D/devec.pem" -k "$D/devec.key" $L $L "$PORT_auth"
case_ client-rsa ok "HTTP/1.0 200" -- -a "$D/srvca.pem" -c "$D/devrsa.pem" -k "$D/devrsa.key" $L $L "$PORT_auth"
# -D: the device's own identity loader (what sztpboot run uses).
case_ client-intermediate-sent ok "HTTP/1.0 200" -- -a "$D/srvca.pem" -D -c "$D/devch-chain.pem" -k "$D/devch.key" $L $L "$PORT_authroot"
case_ client-intermediate-missing fail "" -- -a "$D/srvca.pem" -D -c "$D/devch.pem" -k "$D/devch.key" $L $L "$PORT_authroot"
case_ client-none fail "TLS handshake failed" -- -a "$D/srvca.pem" $L $L "$PORT_auth"
case_ expired fail "server certificate expired at 2020-02-01" -- -a "$D/srvca.pem" $L $L "$PORT_exp"
# Clock policy: a clock before the build time (no RTC) skips notBefore but
# still bounds notAfter by the build time.
case_ expired-no-rtc fail "expired at 2020-02-01" -- -n 0 -a "$D/srvca.pem" $L $L "$PORT_exp"
case_ no-rtc ok "HTTP/1.0 200" -- -n 0 -a "$D/srvca.pem" $L $L "$PORT_ec"
case_ timeout fail "TLS handshake failed: timed out after 500 ms" -- -t 500 $L $L "$PORT_mute"
case_ refused fail "cannot connect to 127.0.0.1:1: Connection refused" -- $L $L 1
exit 0
