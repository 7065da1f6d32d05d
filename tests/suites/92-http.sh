#!/bin/sh
# HTTP client (src/http_client.c) and the http(s) boot image download
# (src/boot_image.c, RFC 8572 5.6) against tests/netrig/sztp_server.py on
# 127.0.0.1 (and ::1 when there is IPv6) with ports the kernel picks: one
# TLS server (client certificate required, as on a bootstrap server), one
# plain server, and two small inline servers (a keep-alive race, a mute
# listener). The ASan+UBSan driver $BUILD/host-gcc/http_fetch runs each case;
# downloads go into a regular file standing in for the slot. The device
# PKI is `make keys`' ($BUILD/keys, made if missing); the server PKI is made
# here by tests/netrig/mkserverpki.sh. Servers are killed by PID at the end.
#   ok http/NAME     FAIL http/NAME: reason     skip http/NAME: reason
# shellcheck disable=SC2086 # $TLS is several options on purpose
set -u
B=${BUILD:-build}
FETCH=$B/host-gcc/http_fetch
D=$B/t/http
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SANITIZER_RE='(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: .*Sanitizer)'

if [ ! -x "$FETCH" ]; then
	echo "FAIL http/driver: $FETCH missing (make HOST_CC=gcc host)"
	exit 0
fi
command -v python3 >/dev/null || { echo "FAIL http/server: python3 missing (make deps)"; exit 0; }
rm -rf "$D"
mkdir -p "$D/root/images" "$D/plain/images"
PIDS=
HOSTS=
# shellcheck disable=SC2317 # run by the trap
stop_servers() { for pid in $PIDS; do kill "$pid" 2>/dev/null; done; }
trap stop_servers EXIT INT TERM

# --- PKI -----------------------------------------------------------------------
K=$B/keys
[ -f "$K/.done" ] || make --no-print-directory BUILD="$B" keys >"$D/keys.log" 2>&1
V6=
python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && V6=1
if ! BUILD=$B sh tests/netrig/mkserverpki.sh --san DNS:localhost --san IP:127.0.0.1 --san IP:::1 \
	--devpki "$K" "$D/pki" >"$D/pki.log" 2>&1; then
	echo "FAIL http/pki: $(tail -1 "$D/pki.log")"
	exit 0
fi
P=$D/pki
DEV=$K/devices/SN-1001
TLS="-a $P/server-ca.pem -c $DEV/idevid.pem -k $DEV/idevid.key"
echo "ok http/pki"

# --- images --------------------------------------------------------------------
# An odd size, so no piece of the transfer lines up with a buffer.
head -c 3000001 /dev/urandom >"$D/root/images/os.img"
SIZE=3000001
SHA=$(sha256sum "$D/root/images/os.img" | cut -d' ' -f1)
case $SHA in 0*) BADSHA=1${SHA#?} ;; *) BADSHA=0${SHA#?} ;; esac
# The drop-image-after fault fires once per image name: one name per case.
for n in drop drop-plain drop-exhausted; do cp "$D/root/images/os.img" "$D/root/images/$n.img"; done
cp "$D/root/images/os.img" "$D/plain/images/os.img"
cp "$D/root/images/os.img" "$D/plain/images/drop-plain.img"

# --- servers -------------------------------------------------------------------
# serve NAME ARGS...: start sztp_server.py; its addresses in $D/NAME.ready.
serve() {
	n=$1
	shift
	python3 tests/netrig/sztp_server.py --log "$D/$n.log" --ready-file "$D/$n.ready" --no-yang "$@" \
		>"$D/$n.out" 2>&1 </dev/null &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 100 ] && [ ! -s "$D/$n.ready" ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$D/$n.ready" ] || { echo "FAIL http/server-$n: did not start: $(tail -1 "$D/$n.out")"; exit 0; }
}
serve tls --listen 127.0.0.1:0 ${V6:+--listen [::1]:0} --root "$D/root" \
	--cert "$P/good.pem" --key "$P/good.key" --client-ca "$P/device-ca.pem"
serve plain --listen 127.0.0.1:0 --root "$D/plain" --plain
TPORT=$(sed -n 's/^127\.0\.0\.1://p' "$D/tls.ready")
T6PORT=$(sed -n 's/^\[::1\]://p' "$D/tls.ready")
PPORT=$(sed -n 's/^127\.0\.0\.1://p' "$D/plain.ready")
HTTPS=https://127.0.0.1:$TPORT
HTTP=http://127.0.0.1:$PPORT

# --- cases ---------------------------------------------------------------------
# case_ NAME ok|fail TEXT SLOTSIZE -- ARGS...: run the driver (with -o a
# fresh slot file of SLOTSIZE bytes when SLOTSIZE is not "-"; with $HOSTS
# bind-mounted over /etc/hosts in a private mount namespace when set). "ok" expects
# exit 0 and TEXT in stdout; "fail" expects exit 1 and TEXT in stderr.
# Prints the result; true when the case passed.
case_() {
	name=$1 want=$2 text=$3 slotsize=$4
	shift 5
	out=$D/$name.out err=$D/$name.err slot=$D/$name.slot
	[ "$slotsize" = - ] || set -- -o "$slot" "$@"
	rm -f "$slot"
	[ "$slotsize" = - ] || truncate -s "$slotsize" "$slot"
	if [ -n "$HOSTS" ]; then
		# shellcheck disable=SC2016 # expanded by the inner shell
		timeout 60 unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$HOSTS" "$FETCH" "$@" \
			>"$out" 2>"$err"
	else
		timeout 60 "$FETCH" "$@" >"$out" 2>"$err"
	fi
	rc=$?
	if grep -qE "$SANITIZER_RE" "$err"; then
		echo "FAIL http/$name: sanitizer: $(grep -m1 -E "$SANITIZER_RE" "$err")"
	elif [ "$want" = ok ] && [ $rc -ne 0 ]; then
		echo "FAIL http/$name: exit $rc: $(tail -1 "$err")"
	elif [ "$want" = ok ] && ! grep -q -- "$text" "$out"; then
		echo "FAIL http/$name: output \`$(head -1 "$out")' lacks \`$text'"
	elif [ "$want" = fail ] && [ $rc -ne 1 ]; then
		echo "FAIL http/$name: exit $rc, wanted 1: $(tail -1 "$err")"
	elif [ "$want" = fail ] && ! grep -q -- "$text" "$err"; then
		echo "FAIL http/$name: reason \`$(tail -1 "$err")' lacks \`$text'"
	else
		echo "ok http/$name"
		return 0
	fi
	return 1
}
# check NAME CMD...: one more condition of a case that passed.
check() {
	n=$1
	shift
	if "$@"; then echo "ok http/$n"; else echo "FAIL http/$n: $*"; fi
}
# shellcheck disable=SC2317 # slot_ok and logged are run through check
# The slot of case NAME begins with the image.
slot_ok() { cmp -s -n "$SIZE" "$D/$1.slot" "$D/root/images/os.img"; }
# logged SERVER FRAGMENT...: one line of the server's log has all of them.
# shellcheck disable=SC2317
logged() {
	cp "$D/$1.log" "$D/logged.tmp"
	shift
	for frag; do
		grep -F -- "$frag" "$D/logged.tmp" >"$D/logged.tmp2"
		mv "$D/logged.tmp2" "$D/logged.tmp"
	done
	[ -s "$D/logged.tmp" ]
}
# Start each case with a fresh server log view.
mark() { : >"$D/tls.log"; : >"$D/plain.log"; rm -f "$D/root/faults.json" "$D/plain/faults.json"; }

mark
case_ https-anchored ok "ok bytes=$SIZE resumes=0 handshakes=1" 4194304 -- $TLS -s "$SHA" "$HTTPS/images/os.img" &&
	check https-anchored-slot slot_ok https-anchored
mark
# R152: provisional TLS for an image server is allowed; the hash decides.
case_ https-provisional ok "ok bytes=$SIZE resumes=0 handshakes=1" 4194304 -- \
	-c "$DEV/idevid.pem" -k "$DEV/idevid.key" -s "$SHA" "$HTTPS/images/os.img" &&
	check https-provisional-slot slot_ok https-provisional
mark
case_ https-dns-name ok "ok bytes=$SIZE" 0 -- $TLS -s "$SHA" "https://localhost:$TPORT/images/os.img" &&
	check https-dns-name-slot slot_ok https-dns-name
if [ -n "$V6" ] && [ -n "$T6PORT" ]; then
	mark
	case_ https-ipv6 ok "ok bytes=$SIZE" 0 -- $TLS -s "$SHA" "https://[::1]:$T6PORT/images/os.img" &&
		check https-ipv6-slot slot_ok https-ipv6
else
	echo "skip http/https-ipv6: no IPv6 loopback"
fi
mark
case_ hash-mismatch fail "sha-256 does not match image-verification" 4194304 -- \
	$TLS -s "$BADSHA" "$HTTPS/images/os.img"
mark
# 404 on the first download-uri, the next one works, on the same connection.
case_ 404-then-next ok "ok bytes=$SIZE resumes=0 handshakes=1" 4194304 -- $TLS -s "$SHA" \
	"$HTTPS/images/missing.img" "$HTTPS/images/os.img" &&
	check 404-then-next-log sh -c "grep -q '\"path\": \"/images/missing.img\".*\"status\": 404' '$D/tls.log' &&
		grep -q '\"path\": \"/images/os.img\".*\"status\": 200' '$D/tls.log'" &&
	check 404-then-next-slot slot_ok 404-then-next
mark
echo '{"image-404": true}' >"$D/root/faults.json"
case_ all-404 fail "HTTP status 404" 4194304 -- $TLS -s "$SHA" "$HTTPS/images/os.img"
mark
# A TLS connection cut (no close_notify) mid-body: resumed with Range.
echo '{"drop-image-after": 1000000}' >"$D/root/faults.json"
case_ resume ok "ok bytes=$SIZE resumes=1 handshakes=2" 4194304 -- $TLS -s "$SHA" "$HTTPS/images/drop.img" &&
	check resume-range-logged logged tls '"path": "/images/drop.img"' '"range": "bytes=1000000-"' '"status": 206' &&
	check resume-log-line grep -q "connection dropped at 1000000 bytes: resuming with Range" "$D/resume.err" &&
	check resume-slot slot_ok resume
mark
echo '{"drop-image-after": 1000000}' >"$D/root/faults.json"
case_ resume-exhausted fail "(0 Range requests made)" 4194304 -- -r 0 $TLS -s "$SHA" \
	"$HTTPS/images/drop-exhausted.img"
mark
case_ plain ok "ok bytes=$SIZE resumes=0 handshakes=0" 4194304 -- -s "$SHA" "$HTTP/images/os.img" &&
	check plain-slot slot_ok plain
mark
echo '{"drop-image-after": 777777}' >"$D/plain/faults.json"
case_ plain-resume ok "ok bytes=$SIZE resumes=1 handshakes=0" 4194304 -- -s "$SHA" \
	"$HTTP/images/drop-plain.img" &&
	check plain-resume-range-logged logged plain '"range": "bytes=777777-"' '"status": 206' &&
	check plain-resume-slot slot_ok plain-resume
mark
# Keep-alive: five GETs, one TLS handshake, one server connection.
case_ keep-alive ok "ok requests=5 status=200 bytes=$((5 * SIZE)) handshakes=1" - -- $TLS -n 5 \
	"$HTTPS/images/os.img" &&
	check keep-alive-one-conn sh -c "[ \$(grep -c '\"status\": 200' '$D/tls.log') = 5 ] &&
		[ \$(sed -n 's/.*\"conn\": \([0-9]*\).*/\1/p' '$D/tls.log' | sort -u | wc -l) = 1 ]"
mark
case_ wrong-anchor fail "no path to a trust anchor" 4194304 -- -a "$P/untrusted.pem" \
	-c "$DEV/idevid.pem" -k "$DEV/idevid.key" -s "$SHA" "$HTTPS/images/os.img"
mark
case_ no-client-cert fail "TLS" 4194304 -- -a "$P/server-ca.pem" -s "$SHA" "$HTTPS/images/os.img"
mark
# The slot's size is the limit: exactly the image fits, one octet more is refused.
case_ limit-exact ok "ok bytes=$SIZE" $SIZE -- $TLS -s "$SHA" "$HTTPS/images/os.img" &&
	check limit-exact-slot slot_ok limit-exact
mark
case_ limit-over fail "body of $SIZE octets is larger than the limit of $((SIZE - 1))" $((SIZE - 1)) -- \
	$TLS -s "$SHA" "$HTTPS/images/os.img"
mark
case_ unsupported-scheme fail "unsupported download-uri scheme" 4194304 -- -s "$SHA" "ftp://127.0.0.1/os.img"
mark
case_ uri-fragment fail "fragment" 4194304 -- -s "$SHA" "$HTTPS/images/os.img#x"
mark
# A RESTCONF-like POST (RFC 8572 7.2): report-progress answers 204.
printf '{"ietf-sztp-bootstrap-server:input":{"progress-type":"bootstrap-initiated"}}' >"$D/progress.json"
case_ post ok "status 204" - -- $TLS -X POST -d "$D/progress.json" -T application/yang-data+json \
	"$HTTPS/restconf/operations/ietf-sztp-bootstrap-server:report-progress" &&
	check post-logged logged tls '"method": "POST"' '"status": 204'
mark
case_ refused fail "cannot connect to 127.0.0.1:1: Connection refused" 4194304 -- -s "$SHA" \
	"http://127.0.0.1:1/os.img"

# A keep-alive race: the server answers one request, then closes the
# connection when the next one arrives, unanswered. The client sends it
# again on a fresh connection (RFC 9112 9.3.1).
cat >"$D/race.py" <<'EOF'
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
print(s.getsockname()[1], flush=True)
ans = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
def request(c):
    b = b""
    while b"\r\n\r\n" not in b:
        d = c.recv(4096)
        if not d:
            return False
        b += d
    return True
c, _ = s.accept()
request(c); c.sendall(ans)
request(c); c.close()
c, _ = s.accept()
request(c); c.sendall(ans)
print("connections=2", flush=True)
request(c)
EOF
# A listener that never accepts: connect works (the kernel's backlog), no answer.
cat >"$D/mute.py" <<'EOF'
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
print(s.getsockname()[1], flush=True)
time.sleep(120)
EOF
start_py() { # NAME: run $D/NAME.py, its port in $D/NAME.port
	python3 "$D/$1.py" >"$D/$1.port" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 50 ] && [ ! -s "$D/$1.port" ]; do sleep 0.1; i=$((i + 1)); done
}
start_py race
RPORT=$(head -1 "$D/race.port")
case_ keep-alive-race ok "ok requests=2 status=200 bytes=10" - -- -n 2 "http://127.0.0.1:$RPORT/x" &&
	check keep-alive-race-reconnected grep -q connections=2 "$D/race.port"
start_py mute
MPORT=$(head -1 "$D/mute.port")
case_ timeout fail "read failed: timed out" - -- -t 500 -n 1 "http://127.0.0.1:$MPORT/x"

# R129: every address of a name, in order. The name is given ::1 (where
# nothing listens on the plain server's port) and then 127.0.0.1, in a
# hosts file bind-mounted over /etc/hosts in a private mount namespace
# (root only; the host's /etc/hosts is untouched).
printf '::1 two-addresses.test\n127.0.0.1 two-addresses.test\n' >"$D/hosts"
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
	unshare -m sh -c "mount --bind '$D/hosts' /etc/hosts && getent ahosts two-addresses.test" 2>/dev/null |
	awk '{ print $1 }' | uniq | tr '\n' ' ' | grep -qx '::1 127.0.0.1 '; then
	mark
	HOSTS=$D/hosts
	case_ next-address ok "ok bytes=$SIZE" 4194304 -- -s "$SHA" "http://two-addresses.test:$PPORT/images/os.img" &&
		check next-address-tried-both sh -c "grep -q 'cannot connect to \[::1\]:$PPORT' '$D/next-address.err' &&
			grep -q 'fetching .* (127.0.0.1:$PPORT)' '$D/next-address.err'"
	HOSTS=
else
	echo "skip http/next-address: needs root and unshare(1) for a private /etc/hosts"
fi
exit 0
