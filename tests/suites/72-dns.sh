#!/bin/sh
# DNS source (src/source_dns.c, src/dns_msg.c; RFC 8572 4.2) against real
# responders on 127.0.0.1, driven by the ASan+UBSan $BUILD/host-gcc/dns_lookup:
#   - dnsmasq: SRV records (with its A records as hints), text TXT records;
#     a value longer than 512 octets makes it truncate, so the driver must
#     ask again over TCP. dnsmasq cannot serve the binary artifacts: its
#     --txt-record takes text (no NUL octet, no escapes), so
#   - tests/dns/txt_server.py serves DER artifacts made with `openssl cms`,
#     truncates over UDP, answers over TCP, misbehaves on request, and stands
#     in for an mDNS responder on a second port.
# Servers are killed by PID at the end.
#   ok dns/NAME     FAIL dns/NAME: reason     skip dns/NAME: reason
set -u
B=${BUILD:-build}
LOOKUP=$B/host-gcc/dns_lookup
D=$B/t/dns
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SANITIZER_RE='(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: .*Sanitizer)'
DNSMASQ=${DNSMASQ:-/usr/sbin/dnsmasq}

if [ ! -x "$LOOKUP" ]; then
	echo "FAIL dns/driver: $LOOKUP missing (make HOST_CC=gcc host)"
	exit 0
fi
rm -rf "$D"
mkdir -p "$D"
D=$(cd "$D" && pwd) # dnsmasq changes to /
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done' EXIT INT TERM

# --- artifacts -----------------------------------------------------------------
ossl() { openssl "$@" >>"$D/pki.log" 2>&1 || { echo "FAIL dns/artifacts: openssl $1 failed"; tail -5 "$D/pki.log"; exit 0; }; }
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/oc.key"
ossl req -new -x509 -key "$D/oc.key" -out "$D/oc.pem" -days 30 -subj "/CN=owner"
# Onboarding information with a 3 KB pre-configuration script: a signed CMS
# of a few KB, like a real one (RFC 8572 4.2.4).
{
	printf '{"ietf-sztp-conveyed-info:onboarding-information":{"pre-configuration-script":"'
	head -c 2400 /dev/urandom | base64 -w0
	printf '"}}'
} >"$D/ci.json"
printf '{"ietf-voucher:voucher":{"serial-number":"SN1"}}' >"$D/ov.json"
ossl cms -sign -binary -nodetach -in "$D/ci.json" -signer "$D/oc.pem" -inkey "$D/oc.key" -outform DER -out "$D/ci.cms"
ossl cms -sign -binary -nodetach -in "$D/ov.json" -signer "$D/oc.pem" -inkey "$D/oc.key" -outform DER -out "$D/ov.cms"
ossl crl2pkcs7 -nocrl -certfile "$D/oc.pem" -outform DER -out "$D/oc.cms"
head -c 600 /dev/urandom >"$D/small.bin" # fits EDNS(0)'s 1232, not 512
printf 'hello' >"$D/hello.txt"
base64 -w0 "$D/ci.cms" >"$D/ci.b64"
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c <"$1" | tr -d ' '; }
if od -An -tx1 "$D/ci.cms" | grep -q ' 00'; then
	echo "ok dns/artifacts ($(size "$D/ci.cms")-octet signed CMS with NUL octets)"
else
	echo "FAIL dns/artifacts: ci.cms has no NUL octet, not a binary test"
fi

# --- cases -----------------------------------------------------------------------
# case_ NAME ok|fail TEXT -- ARGS...: "ok" wants exit 0 and every line of
# TEXT (separated by '|') on stdout, in that order; "fail" wants exit 1 and
# TEXT in the reason. $D/NAME.err keeps stderr for further checks.
case_() {
	name=$1 want=$2 text=$3
	shift 4
	out=$D/$name.out err=$D/$name.err
	timeout 20 "$LOOKUP" "$@" >"$out" 2>"$err"
	rc=$?
	if grep -qE "$SANITIZER_RE" "$err"; then
		echo "FAIL dns/$name: sanitizer: $(grep -m1 -E "$SANITIZER_RE" "$err")"
		return 1
	elif [ "$want" = ok ] && [ $rc -ne 0 ]; then
		echo "FAIL dns/$name: exit $rc: $(tail -1 "$err")"
		return 1
	elif [ "$want" = ok ] && ! echo "$text" | tr '|' '\n' | diff -q - "$out" >/dev/null; then
		echo "FAIL dns/$name: output \`$(tr '\n' '|' <"$out")', wanted \`$text'"
		return 1
	elif [ "$want" = fail ] && [ $rc -ne 1 ]; then
		echo "FAIL dns/$name: exit $rc, wanted 1: $(tail -1 "$err")"
		return 1
	elif [ "$want" = fail ] && ! grep -q "$text" "$err"; then
		echo "FAIL dns/$name: reason \`$(tail -1 "$err")' lacks \`$text'"
		return 1
	fi
	return 0
}
ok() { echo "ok dns/$1"; }
# ... and the case's stderr says (or does not say) that TCP was used.
tcp_used() { grep -q "asking over TCP" "$D/$1.err"; }

# A port free for both UDP and TCP on 127.0.0.1.
free_port() {
	python3 -c 'import socket
for _ in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); p = u.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass' 2>/dev/null
}
wait_port() { # PORT: until something answers TCP connects there
	i=0
	while [ $i -lt 50 ]; do
		python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# A port nothing listens on: UDP queries there are refused at once.
CLOSED=$(free_port)

# --- dnsmasq -----------------------------------------------------------------------
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip dns/dnsmasq: no python3"
	echo "skip dns/txt-server: no python3"
	exit 0
fi
if [ -x "$DNSMASQ" ]; then
	P=$(free_port)
	"$DNSMASQ" -k --port="$P" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
		--conf-file=/dev/null --pid-file="$D/dnsmasq.pid" --log-facility="$D/dnsmasq.log" \
		--local=/example.test/ \
		--srv-host=_sztp._tcp.example.test,server2.example.test,9443,10,5 \
		--srv-host=_sztp._tcp.example.test,server1.example.test,8443,0,10 \
		--host-record=server1.example.test,192.0.2.1 \
		--txt-record=SN-SMALL._sztp.example.test,ci=hello \
		--txt-record=SN-TEXT._sztp.example.test,"ci=$(cat "$D/ci.b64")" \
		--txt-record=SN-TEXT._sztp.example.test,txtvers=1 \
		--srv-host=_sztp._tcp.none.example.test \
		>"$D/dnsmasq.out" 2>&1 &
	PIDS="$PIDS $!"
	if ! wait_port "$P"; then
		echo "FAIL dns/dnsmasq: did not start: $(tail -1 "$D/dnsmasq.out")"
	else
		S="-s 127.0.0.1:$P -d example.test -t 1000"
		case_ dnsmasq-srv ok "server server1.example.test 8443 0 10|hint server1.example.test 192.0.2.1|server server2.example.test 9443 10 5" -- $S srv &&
			ok dnsmasq-srv
		case_ dnsmasq-txt-udp ok "ci 5 $(sha "$D/hello.txt")" -- $S txt SN-SMALL &&
			if tcp_used dnsmasq-txt-udp; then echo "FAIL dns/dnsmasq-txt-udp: TCP used"; else ok dnsmasq-txt-udp; fi
		case_ dnsmasq-txt-tcp ok "ci $(size "$D/ci.b64") $(sha "$D/ci.b64")|ignored 1" -- $S txt SN-TEXT &&
			if tcp_used dnsmasq-txt-tcp; then ok dnsmasq-txt-tcp; else echo "FAIL dns/dnsmasq-txt-tcp: TCP not used"; fi
		case_ dnsmasq-nxdomain ok "not found" -- $S txt SN-NONE && ok dnsmasq-nxdomain
		case_ dnsmasq-srv-no-service ok "not found" -- -s "127.0.0.1:$P" -d none.example.test srv &&
			ok dnsmasq-srv-no-service
		case_ dnsmasq-refused fail "REFUSED" -- -s "127.0.0.1:$P" -d other.test txt SN-SMALL &&
			ok dnsmasq-refused
		case_ dnsmasq-second-server ok "ci 5 $(sha "$D/hello.txt")" -- -s "127.0.0.1:$CLOSED" $S txt SN-SMALL &&
			ok dnsmasq-second-server
	fi
else
	echo "skip dns/dnsmasq: $DNSMASQ not installed"
fi

# --- tests/dns/txt_server.py -------------------------------------------------------
Z=example.test
python3 tests/dns/txt_server.py --portfile "$D/py.port" --log "$D/py.log" \
	--txt SN1._sztp.$Z ci "$D/ci.cms" --txt SN1._sztp.$Z oc "$D/oc.cms" --txt SN1._sztp.$Z ov "$D/ov.cms" \
	--txt SN-EDNS._sztp.$Z ci "$D/small.bin" \
	--txt SN-DUP._sztp.$Z ci "$D/hello.txt" --txt SN-DUP._sztp.$Z ci "$D/hello.txt" \
	--txt-raw SN-KEYS._sztp.$Z "flag" --txt-raw SN-KEYS._sztp.$Z "txtvers=1" --txt SN-KEYS._sztp.$Z CI "$D/hello.txt" \
	--txt-raw SN-OC._sztp.$Z "oc=x" \
	--txt SN-SPOOF._sztp.$Z ci "$D/hello.txt" --behave SN-SPOOF._sztp.$Z spoof \
	--txt SN-BADID._sztp.$Z ci "$D/hello.txt" --behave SN-BADID._sztp.$Z badid \
	--txt SN-MUTE._sztp.$Z ci "$D/hello.txt" --behave SN-MUTE._sztp.$Z mute \
	--txt SN-LOOP._sztp.$Z ci "$D/hello.txt" --behave SN-LOOP._sztp.$Z loop \
	--txt SN-FAIL._sztp.$Z ci "$D/hello.txt" --behave SN-FAIL._sztp.$Z servfail \
	--srv _sztp._tcp.$Z 5 0 443 sztp1.$Z --srv _sztp._tcp.$Z 1 0 8443 sztp0.$Z \
	--srv _sztp._tcp.$Z 1 0 443 bad_name.$Z \
	--txt SNM._sztp.local ci "$D/ov.cms" \
	--srv _sztp._tcp.local 0 0 8443 box1.local --a box1.local 192.168.1.2 \
	--txt SNG._sztp.local ci "$D/hello.txt" --mdns-group \
	>"$D/py.out" 2>&1 &
PIDS="$PIDS $!"
i=0
while [ ! -s "$D/py.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$D/py.port" ]; then
	echo "FAIL dns/txt-server: did not start: $(tail -1 "$D/py.out")"
	exit 0
fi
read -r P M G <"$D/py.port"
S="-s 127.0.0.1:$P -d $Z -t 1000"
ARTS="ci $(size "$D/ci.cms") $(sha "$D/ci.cms")|oc $(size "$D/oc.cms") $(sha "$D/oc.cms")|ov $(size "$D/ov.cms") $(sha "$D/ov.cms")"
HELLO="ci 5 $(sha "$D/hello.txt")"

if case_ binary-tcp ok "$ARTS" -- $S txt SN1; then
	if ! tcp_used binary-tcp; then
		echo "FAIL dns/binary-tcp: TCP not used"
	elif ! grep -q "^udp SN1._sztp.$Z TXT truncated" "$D/py.log" || ! grep -q "^tcp SN1._sztp.$Z TXT" "$D/py.log"; then
		echo "FAIL dns/binary-tcp: server did not see UDP (truncated) then TCP"
	else
		ok "binary-tcp (ci, oc, ov: $(size "$D/ci.cms"), $(size "$D/oc.cms"), $(size "$D/ov.cms") octets over TCP)"
	fi
fi
case_ edns-udp ok "ci 600 $(sha "$D/small.bin")" -- $S txt SN-EDNS &&
	if tcp_used edns-udp; then echo "FAIL dns/edns-udp: TCP used"; else ok edns-udp; fi
case_ duplicate-key fail "in more than one record" -- $S txt SN-DUP && ok duplicate-key
case_ other-keys-ignored ok "$HELLO|ignored 2" -- $S txt SN-KEYS && ok other-keys-ignored
case_ oc-without-ci fail "but no \`ci'" -- $S txt SN-OC && ok oc-without-ci
case_ spoofed-port ok "$HELLO" -- $S txt SN-SPOOF && ok spoofed-port
case_ wrong-id-ignored ok "$HELLO" -- $S txt SN-BADID && ok wrong-id-ignored
case_ compression-loop fail "does not point back" -- $S txt SN-LOOP && ok compression-loop
case_ servfail fail "SERVFAIL" -- $S txt SN-FAIL && ok servfail
case_ nxdomain ok "not found" -- $S txt SN-NONE && ok nxdomain
case_ timeout fail "no answer within 200 ms" -- -s "127.0.0.1:$P" -d $Z -t 200 -a 2 txt SN-MUTE &&
	if [ "$(grep -c "^udp SN-MUTE" "$D/py.log")" = 2 ]; then ok timeout; else echo "FAIL dns/timeout: not 2 attempts"; fi
case_ refused-then-next ok "$HELLO" -- -s "127.0.0.1:$CLOSED" $S txt SN-SPOOF && ok refused-then-next
case_ serial-not-a-label fail "not one DNS label" -- $S txt SN.1 && ok serial-not-a-label
case_ srv ok "server sztp0.$Z 8443 1 0|server sztp1.$Z 443 5 0|skipped 1" -- $S srv && ok srv

# mDNS (R48: first), at the stand-in responder's port.
MD="-m 127.0.0.1:$M -w 300"
if case_ mdns-txt ok "ci $(size "$D/ov.cms") $(sha "$D/ov.cms")" -- $MD -s "127.0.0.1:$CLOSED" -d $Z txt SNM; then
	if grep -q "^mdns SNM._sztp.local TXT" "$D/py.log"; then ok mdns-txt; else echo "FAIL dns/mdns-txt: not asked"; fi
fi
if case_ mdns-then-unicast ok "$HELLO" -- $MD $S txt SN-BADID; then
	if grep -q "^mdns SN-BADID._sztp.local TXT" "$D/py.log"; then ok mdns-then-unicast
	else echo "FAIL dns/mdns-then-unicast: mDNS not asked first"; fi
fi
case_ mdns-srv ok "server box1.local 8443 0 0|hint box1.local 192.168.1.2" -- $MD srv && ok mdns-srv
case_ mdns-not-found ok "not found" -- $MD txt SN-NONE && ok mdns-not-found
# The real group, 224.0.0.251:5353, where this host loops multicast back.
if [ "$G" = 0 ]; then
	echo "skip dns/mdns-group: UDP port 5353 is taken"
else
	res=$(case_ mdns-group ok "$HELLO" -- -M -w 500 txt SNG)
	if ! grep -q "^group SNG._sztp.local TXT" "$D/py.log"; then
		echo "skip dns/mdns-group: multicast does not loop back here"
	elif [ -n "$res" ]; then
		echo "$res"
	else
		ok mdns-group
	fi
fi
exit 0
