#!/bin/sh
# The network test rig (tests/netrig), checked from the host: the server PKI
# (mkserverpki.sh), per-device fixtures made by tools/mkbootstrap, a private
# network namespace with dnsmasq and the test bootstrap server, exercised
# with curl, openssl s_client and (when built) the project's BearSSL client
# driver. No QEMU. One line per check: "ok netrig/NAME",
# "FAIL netrig/NAME: reason" or "skip netrig/NAME: reason".
# Work files: $BUILD/t/netrig (server logs in net/, fixtures in root/).
# shellcheck disable=SC2086 # $DEV1, $DEV3: curl's --cert/--key, split on purpose
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${BUILD:-build}
K=$B/keys
T=$B/t/netrig
ok() { echo "ok netrig/$1"; }
fail() { echo "FAIL netrig/$1: $2"; }
skip() { echo "skip netrig/$1: $2"; }
oneline() { tr '\n\t' '  ' | cut -c1-300; }
t0=$(date +%s)

if [ "$(id -u)" != 0 ]; then skip all "needs root (network namespaces)"; exit 0; fi
for c in ip curl openssl python3 /usr/sbin/dnsmasq; do
	command -v "$c" >/dev/null 2>&1 || { skip all "$c not installed"; exit 0; }
done
rm -rf "$T"
mkdir -p "$T" || { fail setup "cannot create $T"; exit 0; }
T=$(cd "$T" && pwd)
case $K in /*) ;; *) K=$(pwd)/$K ;; esac
PKI=$T/pki
ROOT=$T/root
LOG=$T/net/server.log
# the YANG modules: shared/spec/yang beside the repository
Y=$(cd .. && pwd)/shared/spec/yang
[ -f "$Y/ietf-sztp-bootstrap-server@2019-04-30.yang" ] || Y=''

# --- PKI ---------------------------------------------------------------------------
if ! make --no-print-directory BUILD="$B" keys >"$T/keys.log" 2>&1; then
	fail keys "make keys: $(tail -3 "$T/keys.log" | oneline)"
	exit 0
fi
if tests/netrig/mkserverpki.sh --devpki "$K" "$PKI" >"$T/pki.log" 2>&1; then
	ok pki
else
	fail pki "$(tail -3 "$T/pki.log" | oneline)"
	exit 0
fi
v() { openssl verify -x509_strict -purpose sslserver -CAfile "$PKI/server-ca.pem" "$@" "$PKI/$c.pem" >/dev/null 2>&1; }
bad=
for c in good good-rsa; do
	for h in sztp.example.test sztp2.example.test; do v -verify_hostname $h || bad="$bad $c:$h"; done
	for a in 10.99.0.1 fd99::1; do v -verify_ip $a || bad="$bad $c:$a"; done
done
c=wronghost; v -verify_hostname sztp.example.test && bad="$bad wronghost-verifies"
c=wronghost; v -verify_hostname other.example.test || bad="$bad wronghost-own-name"
c=wrongip; v -verify_ip 10.99.0.1 && bad="$bad wrongip-verifies"
c=wrongip; v -verify_ip 10.99.0.77 || bad="$bad wrongip-own-ip"
c=untrusted; v && bad="$bad untrusted-verifies"
cmp -s "$PKI/device-ca.pem" "$K/idevid-ca.pem" || bad="$bad device-ca"
[ "$(openssl x509 -in "$PKI/server-ca.pem" -noout -text | grep -c 'prime256v1\|P-256')" -ge 1 ] || bad="$bad ca-not-p256"
if [ -z "$bad" ]; then ok pki-names; else fail pki-names "$bad"; fi

# --- fixtures ------------------------------------------------------------------------
mkdir -p "$ROOT/devices" "$ROOT/images" "$ROOT/by-port/8443/devices"
IMG=$ROOT/images/test.img
head -c 300000 /dev/urandom >"$IMG"
SIZE=300000
MK="tools/mkbootstrap --manufacturer example-oem --serial SN-1001
	--masa-cert $K/masa.pem --masa-key $K/masa.key
	--owner-cert $K/owner/owner.pem --owner-key $K/owner/owner.key
	--owner-chain $K/owner/owner-int.pem --pinned $K/owner/owner-ca.pem
	--idevid-cert $K/devices/SN-1001/idevid.pem"
# onboarding (a copy, plus a reporting level) on every port; redirect
# information on port 8443 only (a symlink to mkbootstrap's folder)
if $MK --out "$T/fix" --image "$IMG" --image-uri https://sztp.example.test/images/test.img \
	--os-name ExampleOS --os-version 2.0 >"$T/mk.log" 2>&1 &&
	$MK --out "$T/fix-redirect" --redirect sztp2.example.test:443 --trust-anchor "$PKI/server-ca.pem" \
		>>"$T/mk.log" 2>&1; then
	ok fixtures
else
	fail fixtures "$(tail -3 "$T/mk.log" | oneline)"
	exit 0
fi
ON=$T/fix/example-oem/SN-1001/bootstrapping-data
RE=$T/fix-redirect/example-oem/SN-1001/bootstrapping-data
cp -R "$ON" "$ROOT/devices/SN-1001"
echo verbose >"$ROOT/devices/SN-1001/reporting-level"
ln -s "$RE" "$ROOT/by-port/8443/devices/SN-1001"

# --- the rig ---------------------------------------------------------------------------
. tests/netrig/netns.sh
trap 'netrig_down' EXIT
trap 'exit 130' INT TERM HUP
NS=netrig-t$$
if ! netrig_up "$NS" "$T/net" 2>"$T/up.err"; then
	fail netns "$(oneline <"$T/up.err")"
	exit 0
fi
ok netns
# nothing but the rig's own link: no default route, no gateway, no other link
routes=$(netrig_exec ip route show; netrig_exec ip -6 route show)
links=$(netrig_exec ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
if ! printf '%s\n' "$routes" | grep -q 'default\| via ' && [ "$links" = "br0 lo rigp0 rigp1 tap0 " ]; then
	ok no-route-out
else
	fail no-route-out "links: $links routes: $(echo "$routes" | oneline)"
fi
O143=$(netrig_sztp_hex https://sztp.example.test https://[fd99::1]:8443)
if [ "$(netrig_sztp_hex https://sztp1.example.com:8443 'https://[2001:db8::1]')" = \
	"00:1e:68:74:74:70:73:3a:2f:2f:73:7a:74:70:31:2e:65:78:61:6d:70:6c:65:2e:63:6f:6d:3a:38:34:34:33:00:15:68:74:74:70:73:3a:2f:2f:5b:32:30:30:31:3a:64:62:38:3a:3a:31:5d" ]; then
	ok sztp-hex
else
	fail sztp-hex "netrig_sztp_hex differs from device-requirements N.1's example"
fi
if netrig_dnsmasq --dhcp-option-force=143,"$O143" --dhcp-option=option6:136,"$O143" \
	--srv-host=_sztp._tcp.example.test,sztp.example.test,443,0,0 \
	--txt-record=SN-1001._sztp.example.test,"ci=not really" 2>"$T/dnsmasq.err"; then
	ok dnsmasq
else
	fail dnsmasq "$(oneline <"$T/dnsmasq.err")"
fi
set -- --root "$ROOT" --client-ca "$PKI/device-ca.pem"
if [ -n "$Y" ]; then set -- "$@" --yang "$Y"; fi
if netrig_server --listen 10.99.0.1:443 --listen 10.99.0.1:8443 --listen '[fd99::1]:443' \
	--log "$LOG" --cert "$PKI/good.pem" --key "$PKI/good.key" "$@" 2>"$T/server.err" &&
	[ "$(cat "$NETRIG_SERVER_READY")" = "10.99.0.1:443
10.99.0.1:8443
[fd99::1]:443" ] &&
	netrig_server --listen 10.99.0.1:9443 --log "$T/net/rsa.log" \
		--cert "$PKI/good-rsa.pem" --key "$PKI/good-rsa.key" "$@" 2>>"$T/server.err" &&
	netrig_server --plain --listen 10.99.0.1:80 --root "$ROOT" --log "$T/net/plain.log" 2>>"$T/server.err"; then
	ok servers
else
	fail servers "$(oneline <"$T/server.err")"
	exit 0
fi

# --- client helpers ---------------------------------------------------------------------
DEV1="--cert $K/devices/SN-1001/idevid.pem --key $K/devices/SN-1001/idevid.key"
DEV3="--cert $K/devices/SN-1003/idevid.pem --key $K/devices/SN-1003/idevid.key"
# dc CURL-ARGS...: curl in the namespace, as SN-1001 unless told otherwise
dc() {
	netrig_exec curl -sS --max-time 10 --cacert "$PKI/server-ca.pem" \
		--resolve sztp.example.test:443:10.99.0.1 --resolve sztp.example.test:8443:10.99.0.1 "$@"
}
S=https://sztp.example.test
OPS=/restconf/operations/ietf-sztp-bootstrap-server
JT=application/yang-data+json
# rpc BASE RPC BODY OUT [curl args...]: prints the HTTP status
rpc() {
	_b=$1 _r=$2 _d=$3 _o=$4
	shift 4
	[ $# -gt 0 ] || set -- $DEV1
	dc "$@" -H "Content-Type: $JT" -H "Accept: $JT" --data-binary "$_d" -o "$_o" \
		-D "$_o.h" -w '%{http_code}' "$_b$OPS:$_r" 2>"$_o.err"
}
# lastlog FIELD...: those fields of the server log's last request line, one a line
lastlog() {
	python3 - "${LOGF:-$LOG}" "$@" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
recs = [r for r in recs if r.get("event") == "request"]
r = recs[-1] if recs else {}
for f in sys.argv[2:]:
    v = r.get(f)
    print(v if isinstance(v, str) else json.dumps(v))
EOF
}
# check NAME CMD...: ok when CMD succeeds, else FAIL with its output
check() { _n=$1; shift; if "$@" >"$T/check.out" 2>&1; then ok "$_n"; else fail "$_n" "$(head -c 300 "$T/check.out" | oneline)"; fi; }
# unwrap FILE: the output's members decoded into FILE.<member>
unwrap() {
	python3 - "$1" <<'EOF'
import base64, json, sys
doc = json.load(open(sys.argv[1]))
out = doc["ietf-sztp-bootstrap-server:output"]
for k, v in out.items():
    if k == "reporting-level":
        open(sys.argv[1] + "." + k, "w").write(v)
    else:
        open(sys.argv[1] + "." + k, "wb").write(base64.b64decode(v, validate=True))
print(" ".join(sorted(out)))
EOF
}
same3() { # FILE DIR: the three artifacts equal DIR's files
	for a in conveyed-information owner-certificate ownership-voucher; do
		cmp "$1.$a" "$2/$a.cms" || return 1
	done
}

# --- get-bootstrapping-data ---------------------------------------------------------------
R=$T/r
mkdir -p "$R"
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {"signed-data-preferred": [null]}}' "$R/gbd")
members=$(unwrap "$R/gbd" 2>&1)
if [ "$st" = 200 ] && grep -qi "^content-type: $JT" "$R/gbd.h" &&
	[ "$members" = "conveyed-information owner-certificate ownership-voucher reporting-level" ] &&
	same3 "$R/gbd" "$ON" >/dev/null 2>&1 && [ "$(cat "$R/gbd.reporting-level")" = verbose ]; then
	ok get-bootstrapping-data
else
	fail get-bootstrapping-data "status $st, members '$members' $(oneline <"$R/gbd.err")"
fi
check log-get-bootstrapping-data test "$(lastlog status serial tls yang data fault | tr '\n' ' ')" = \
	"200 SN-1001 true $([ -n "$Y" ] && echo ok || echo 'skipped: no YANG modules') devices/SN-1001 null "
full='{"ietf-sztp-bootstrap-server:input": {"signed-data-preferred": [null], "hw-model": "qemu-x86_64", "os-name": "ExampleOS", "os-version": "1.0", "nonce": "AAECAwQFBgcICQoLDA0ODw=="}}'
st=$(rpc "$S" get-bootstrapping-data "$full" "$R/full")
check get-bootstrapping-data-all-inputs test "$st/$(lastlog yang)" = "200/$([ -n "$Y" ] && echo ok || echo 'skipped: no YANG modules')"
st=$(rpc "$S:8443" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/p8443")
unwrap "$R/p8443" >/dev/null 2>&1
check by-port-data sh -c "[ '$st' = 200 ] && cmp '$R/p8443.conveyed-information' '$RE/conveyed-information.cms' && [ ! -e '$R/p8443.reporting-level' ] && [ '$(lastlog data)' = by-port/8443/devices/SN-1001 ]"
st=$(rpc "https://[fd99::1]" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/v6")
unwrap "$R/v6" >/dev/null 2>&1
check ipv6 sh -c "[ '$st' = 200 ] && cmp '$R/v6.conveyed-information' '$ON/conveyed-information.cms' && [ '$(lastlog listen)' = '[fd99::1]:443' ]"
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/sn3" $DEV3)
check unknown-serial-404 sh -c "[ '$st' = 404 ] && grep -q 'ietf-restconf:errors' '$R/sn3' && [ '$(lastlog serial)' = SN-1003 ]"
# an empty body: RFC 8040 allows an RPC without input
st=$(dc $DEV1 -X POST -H "Content-Type: $JT" -o /dev/null -w '%{http_code}' "$S$OPS:get-bootstrapping-data")
check empty-input test "$st/$(lastlog yang)" = "200/skipped: no input"

# --- RPC bodies that are wrong -------------------------------------------------------------
# bad NAME RPC BODY STATUS YANG-PREFIX [curl args]
bad() {
	_n=$1 _r=$2 _d=$3 _s=$4 _y=$5
	shift 5
	st=$(rpc "$S" "$_r" "$_d" "$R/bad" "$@")
	y=$(lastlog yang)
	case $y in
	"$_y"*) [ "$st" = "$_s" ] && ok "$_n" || fail "$_n" "status $st (want $_s), yang '$y'" ;;
	*) fail "$_n" "status $st, yang '$y' (want '$_y...')" ;;
	esac
}
bad not-json get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {' 400 "invalid: not JSON"
bad wrong-wrapper get-bootstrapping-data '{"input": {}}' 400 "invalid: the body must be"
bad wrong-wrapper-rpc-name get-bootstrapping-data '{"ietf-sztp-bootstrap-server:get-bootstrapping-data": {}}' 400 "invalid: the body must be"
st=$(dc $DEV1 -H 'Content-Type: application/json' --data-binary '{"ietf-sztp-bootstrap-server:input": {}}' \
	-o /dev/null -w '%{http_code}' "$S$OPS:get-bootstrapping-data")
check content-type-415 test "$st" = 415
st=$(dc $DEV1 -H "Content-Type: $JT" -H 'Accept: application/yang-data+xml' --data-binary '{"ietf-sztp-bootstrap-server:input": {}}' \
	-o /dev/null -w '%{http_code}' "$S$OPS:get-bootstrapping-data")
check accept-xml-406 test "$st" = 406
st=$(dc $DEV1 -o /dev/null -w '%{http_code}' "$S$OPS:get-bootstrapping-data")
check get-on-rpc-405 test "$st" = 405
st=$(rpc "$S" no-such-rpc '{"ietf-sztp-bootstrap-server:input": {}}' "$R/nsr")
check unknown-rpc-404 test "$st" = 404
if [ -n "$Y" ]; then
	bad yang-nonce-length get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {"nonce": "AAEC"}}' 400 "invalid: Unsatisfied length"
	bad yang-unknown-leaf get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {"trust-anchor": "AAAA"}}' 400 "invalid: "
	bad yang-empty-leaf-as-string get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {"signed-data-preferred": ""}}' 400 "invalid: "
	bad yang-progress-type get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {"progress-type": "bootstrap-initiated"}}' 400 "invalid: "
	bad yang-bad-enum report-progress '{"ietf-sztp-bootstrap-server:input": {"progress-type": "bootstrap-done"}}' 400 "invalid: Invalid enumeration value"
	bad yang-mandatory report-progress '{"ietf-sztp-bootstrap-server:input": {"message": "hello"}}' 400 "invalid: Mandatory node"
	bad yang-when report-progress '{"ietf-sztp-bootstrap-server:input": {"progress-type": "bootstrap-initiated", "ssh-host-keys": {"ssh-host-key": [{"algorithm": "ssh-ed25519", "key-data": "AAAA"}]}}}' 400 "invalid: When condition"
	bad yang-duplicate-leaf report-progress '{"ietf-sztp-bootstrap-server:input": {"progress-type": "bootstrap-initiated", "progress-type": "bootstrap-complete"}}' 400 "invalid: "
else
	skip yang "no YANG modules in ../shared/spec/yang"
fi
bad report-progress-without-input report-progress '' 400 "invalid: no input"

# --- report-progress ------------------------------------------------------------------------
st=$(rpc "$S" report-progress '{"ietf-sztp-bootstrap-server:input": {"progress-type": "bootstrap-initiated", "message": "starting"}}' "$R/rp1")
check report-progress-204 sh -c "[ '$st' = 204 ] && [ ! -s '$R/rp1' ] && [ '$(lastlog body | tr -d ' ')' = '{\"ietf-sztp-bootstrap-server:input\":{\"progress-type\":\"bootstrap-initiated\",\"message\":\"starting\"}}' ]"
# bootstrap-complete with SSH host keys and a trust anchor (a certs-only CMS)
ta=$(openssl crl2pkcs7 -nocrl -certfile "$K/idevid-ca.pem" -outform DER | openssl base64 -A)
hk=$(printf '\000\000\000\013ssh-ed25519\000\000\000\040%032d' 0 | openssl base64 -A)
st=$(rpc "$S" report-progress "{\"ietf-sztp-bootstrap-server:input\": {\"progress-type\": \"bootstrap-complete\", \"message\": \"done\", \"ssh-host-keys\": {\"ssh-host-key\": [{\"algorithm\": \"ssh-ed25519\", \"key-data\": \"$hk\"}]}, \"trust-anchor-certs\": {\"trust-anchor-cert\": [\"$ta\"]}}}" "$R/rp2")
check report-progress-complete test "$st/$(lastlog yang)" = "204/$([ -n "$Y" ] && echo ok || echo 'skipped: no YANG modules')"

# --- images -------------------------------------------------------------------------------
st=$(dc $DEV1 -o "$R/img" -w '%{http_code}' "$S/images/test.img")
check image-full sh -c "[ '$st' = 200 ] && cmp '$R/img' '$IMG' && [ '$(lastlog status bytes range | tr '\n' ' ')' = '200 $SIZE null ' ]"
st=$(dc $DEV1 -r 1000-1999 -D "$R/rng.h" -o "$R/rng" -w '%{http_code}' "$S/images/test.img")
dd if="$IMG" bs=1000 skip=1 count=1 of="$R/rng.want" 2>/dev/null
check image-range sh -c "[ '$st' = 206 ] && cmp '$R/rng' '$R/rng.want' && grep -qi '^content-range: bytes 1000-1999/$SIZE' '$R/rng.h' && [ '$(lastlog range status bytes | tr '\n' ' ')' = 'bytes=1000-1999 206 1000 ' ]"
st=$(dc $DEV1 -r 299000- -o "$R/rng2" -w '%{http_code}' "$S/images/test.img")
tail -c 1000 "$IMG" >"$R/rng2.want"
check image-range-open sh -c "[ '$st' = 206 ] && cmp '$R/rng2' '$R/rng2.want'"
st=$(dc $DEV1 -r -100 -o "$R/rng3" -w '%{http_code}' "$S/images/test.img")
tail -c 100 "$IMG" >"$R/rng3.want"
check image-range-suffix sh -c "[ '$st' = 206 ] && cmp '$R/rng3' '$R/rng3.want'"
st=$(dc $DEV1 -r $SIZE- -D "$R/rng4.h" -o /dev/null -w '%{http_code}' "$S/images/test.img")
check image-range-416 sh -c "[ '$st' = 416 ] && grep -qi '^content-range: bytes \*/$SIZE' '$R/rng4.h'"
st=$(dc $DEV1 -o /dev/null -w '%{http_code}' "$S/images/nothere.img")
check image-missing-404 test "$st" = 404
st=$(netrig_exec curl -sS --max-time 10 -o "$R/plain" -w '%{http_code}' "http://10.99.0.1/images/test.img")
check image-plain-http sh -c "[ '$st' = 200 ] && cmp '$R/plain' '$IMG'"
check log-plain sh -c "grep -q '\"tls\": false' '$T/net/plain.log'"

# --- connections: keep-alive, one id per TCP/TLS connection -------------------------------
: >"$T/conn.mark"
n0=$(wc -l <"$LOG")
dc $DEV1 -o /dev/null "$S/images/test.img" -o /dev/null -r 0-9 "$S/images/test.img" 2>/dev/null
dc $DEV1 -o /dev/null -r 0-9 "$S/images/test.img" 2>/dev/null
conns=$(tail -n +$((n0 + 1)) "$LOG" | python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["conn"]) for l in sys.stdin))')
set -- $conns
check keep-alive-conn-ids sh -c "[ $# = 3 ] && [ '$1' = '$2' ] && [ '$2' != '$3' ]"

# --- faults -------------------------------------------------------------------------------
fault() { printf '%s\n' "$1" >"$ROOT/faults.json.tmp" && mv "$ROOT/faults.json.tmp" "$ROOT/faults.json"; }
fault '{"drop-image-after": 5000}'
dc $DEV1 -o "$R/drop1" -w '%{http_code}' "$S/images/test.img" >"$R/drop1.st" 2>/dev/null
rc1=$?
f1=$(lastlog fault bytes | tr '\n' ' ')
st=$(dc $DEV1 -o "$R/drop2" -w '%{http_code}' "$S/images/test.img")
check fault-drop-image-after sh -c "[ $rc1 = 18 ] && [ \$(wc -c <'$R/drop1') = 5000 ] && [ '$f1' = 'drop-image-after 5000 ' ] && [ '$st' = 200 ] && cmp '$R/drop2' '$IMG' && [ '$(lastlog fault)' = null ]"
st=$(dc $DEV1 -o "$R/drop3" -w '%{http_code}' "$S/images/test.img")
check fault-drop-image-after-once test "$st/$(lastlog fault)" = "200/null"
fault '{"drop-image-after": 0, "_comment": "rewritten: fires once more"}'
got=$(dc $DEV1 -o "$R/drop4" -w '%{http_code} %{size_download}' "$S/images/test.img" 2>/dev/null)
rc=$?
check fault-drop-image-after-rearmed test "$rc/$got/$(lastlog fault)" = "18/200 0/drop-image-after"
fault '{"stal": true}'
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/ftypo")
check fault-unknown-key-500 sh -c "[ '$st' = 500 ] && grep -q 'unknown fault stal' '$R/ftypo'"
fault '{"status": 503}'
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/f503")
check fault-status sh -c "[ '$st' = 503 ] && grep -q 'ietf-restconf:errors' '$R/f503' && [ '$(lastlog fault)' = status ]"
fault '{"malformed-json": true}'
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/fmal")
check fault-malformed-json sh -c "[ '$st' = 200 ] && ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$R/fmal' 2>/dev/null"
fault '{"huge-reply": 5000000}'
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/fhuge")
sleep 0.2
check fault-huge-reply sh -c "[ '$st' = 200 ] && [ \$(wc -c <'$R/fhuge') = 5000000 ] && grep -qi '^content-length: 5000000' '$R/fhuge.h' && [ '$(lastlog fault bytes | tr '\n' ' ')' = 'huge-reply 5000000 ' ]"
fault '{"stall": true}'
ts=$(date +%s)
st=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/fstall" $DEV1 --max-time 2)
rc=$?
te=$(($(date +%s) - ts))
check fault-stall sh -c "[ '$st' = 200 ] && [ $te -ge 2 ] && [ \$(wc -c <'$R/fstall') -lt 100 ] && [ '$(lastlog fault)' = stall ]"
fault '{"progress-status": 500, "image-404": true}'
st=$(rpc "$S" report-progress '{"ietf-sztp-bootstrap-server:input": {"progress-type": "bootstrap-initiated"}}' "$R/fprog")
check fault-progress-status test "$st/$(lastlog fault)" = "500/progress-status"
st=$(dc $DEV1 -o /dev/null -w '%{http_code}' "$S/images/test.img")
check fault-image-404 test "$st/$(lastlog fault)" = "404/image-404"
rm -f "$ROOT/faults.json"
mkdir -p "$ROOT/by-port/8443"
printf '{"status": 500}\n' >"$ROOT/by-port/8443/faults.json"
st1=$(rpc "$S" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/pf1")
st2=$(rpc "$S:8443" get-bootstrapping-data '{"ietf-sztp-bootstrap-server:input": {}}' "$R/pf2")
check fault-by-port test "$st1/$st2" = "200/500"
rm -f "$ROOT/by-port/8443/faults.json"

# --- TLS ----------------------------------------------------------------------------------
n0=$(wc -l <"$LOG")
dc -o /dev/null "$S/images/test.img" >"$R/nocert.out" 2>&1
rc=$?
hs=$(tail -n +$((n0 + 1)) "$LOG" | grep -c '"event": "tls-handshake-failed"')
check tls-no-client-cert-refused sh -c "[ $rc != 0 ] && [ $hs = 1 ] && [ \$(tail -n +$((n0 + 1)) '$LOG' | grep -c '\"event\": \"request\"') = 0 ]"
dc --cert "$PKI/untrusted.pem" --key "$PKI/untrusted.key" -o /dev/null "$S/images/test.img" >/dev/null 2>&1
check tls-unknown-client-ca-refused test $? != 0
# s_client NAME SERVER-PORT CIPHER: TLS 1.2 with that suite, the server verified
s12() {
	printf 'GET /images/nothere HTTP/1.1\r\nHost: sztp.example.test\r\nConnection: close\r\n\r\n' |
		netrig_exec timeout 10 openssl s_client -tls1_2 -cipher "$3" -connect "10.99.0.1:$2" \
			-servername sztp.example.test -verify_hostname sztp.example.test -verify_return_error \
			-CAfile "$PKI/server-ca.pem" $DEV1 -ign_eof >"$R/s12.$1" 2>&1
	if grep -q "Cipher is $3" "$R/s12.$1" && grep -q '^HTTP/1.1 404' "$R/s12.$1" &&
		grep -q 'Protocol *: TLSv1.2' "$R/s12.$1"; then
		ok "tls12-$1"
	else
		fail "tls12-$1" "$(grep -E 'error|Cipher|Protocol|HTTP' "$R/s12.$1" | head -4 | oneline)"
	fi
}
s12 ecdsa-aes128-gcm 443 ECDHE-ECDSA-AES128-GCM-SHA256
s12 ecdsa-aes256-gcm 443 ECDHE-ECDSA-AES256-GCM-SHA384
s12 rsa-aes128-gcm 9443 ECDHE-RSA-AES128-GCM-SHA256
s12 rsa-aes256-gcm 9443 ECDHE-RSA-AES256-GCM-SHA384
check log-tls-version test "$(LOGF=$T/net/rsa.log lastlog tls-version cipher | tr '\n' ' ')" = "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384 "
n0=$(wc -l <"$LOG")
printf '' | netrig_exec timeout 10 openssl s_client -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' \
	-connect 10.99.0.1:443 $DEV1 >"$R/s11" 2>&1
check tls11-refused sh -c "grep -q 'alert protocol version' '$R/s11' && tail -n +$((n0 + 1)) '$LOG' | grep -q 'tls-handshake-failed.*UNSUPPORTED_PROTOCOL'"
# the project's own TLS client (BearSSL), when built (make HOST_CC=gcc host)
GET=$B/host-gcc/tls_get
if [ -x "$GET" ]; then
	for p in 443:ec 9443:rsa; do
		if netrig_exec "$GET" -a "$PKI/server-ca.pem" -c "$K/devices/SN-1001/idevid.pem" \
			-k "$K/devices/SN-1001/idevid.key" sztp.example.test 10.99.0.1 "${p%%:*}" >"$R/bear" 2>&1 &&
			grep -q '^HTTP/1.1 404' "$R/bear"; then
			ok "bearssl-client-${p#*:}"
		else
			fail "bearssl-client-${p#*:}" "$(oneline <"$R/bear")"
		fi
	done
	netrig_exec "$GET" -a "$PKI/server-ca.pem" -c "$K/devices/SN-1002/idevid.pem" \
		-k "$K/devices/SN-1002/idevid.key" sztp.example.test 10.99.0.1 443 >"$R/bear2" 2>&1
	check bearssl-client-rsa-idevid sh -c "grep -q '^HTTP/1.1 404' '$R/bear2' && [ '$(lastlog serial)' = SN-1002 ]"
else
	skip bearssl-client "$GET not built (make HOST_CC=gcc host)"
fi

# --- the log --------------------------------------------------------------------------------
if python3 - "$LOG" >"$R/logcheck" 2>&1 <<'EOF'
import json, sys
need = ["t", "listen", "peer", "tls", "serial", "method", "path", "range", "status",
        "body", "yang", "fault", "conn"]
n = 0
for i, line in enumerate(open(sys.argv[1]), 1):
    r = json.loads(line)
    miss = [k for k in need if k not in r]
    assert not miss, "line %d lacks %s" % (i, miss)
    assert isinstance(r["conn"], int) and r["tls"] is True, "line %d: conn/tls" % i
    assert isinstance(r["t"], float), "line %d: t" % i
    if r["event"] == "request":
        assert isinstance(r["status"], int) and r["method"] in ("GET", "POST"), "line %d" % i
        n += 1
assert n > 30, "only %d request lines" % n
print(n)
EOF
then
	ok "log-json ($(cat "$R/logcheck") lines)"
else
	fail log-json "$(tail -2 "$R/logcheck" | oneline)"
fi

# --- DNS ------------------------------------------------------------------------------------
check dns-a test "$(netrig_dns sztp.example.test A 2>&1)" = 10.99.0.1
check dns-aaaa test "$(netrig_dns sztp.example.test AAAA fd99::1 2>&1)" = fd99::1
check dns-srv test "$(netrig_dns _sztp._tcp.example.test SRV 2>&1)" = "0 0 443 sztp.example.test."
check dns-txt test "$(netrig_dns SN-1001._sztp.example.test TXT 2>&1)" = '"ci=not really"'
if netrig_dns nothere.example.test A >/dev/null 2>&1; then fail dns-nxdomain "answered"; else ok dns-nxdomain; fi

# --- cleanup -----------------------------------------------------------------------------------
pids=$NETRIG_PIDS
netrig_down 2>"$T/down.err"
left=
for p in $pids; do [ -d "/proc/$p" ] && left="$left $p"; done
if ip netns list | awk '{print $1}' | grep -qxF "$NS"; then left="$left namespace"; fi
if [ -z "$left" ]; then ok cleanup; else fail cleanup "left:$left"; fi
el=$(($(date +%s) - t0))
if [ $el -lt 60 ]; then ok "time (${el} s)"; else fail time "${el} s (want < 60)"; fi
