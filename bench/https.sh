#!/bin/sh
# Network install benchmark (bench/README.md, "HTTPS download"): one image
# over HTTPS on loopback into a slot file, through boot_image_download()
# (build/bench/https_install: TLS, HTTP, SHA-256, slot writes, fsync),
# beside `curl | sha256sum` and `curl | tee SLOT | sha256sum`, from two
# servers in the same run: tests/netrig/sztp_server.py (Python, client
# certificate required, as a bootstrap server) and `openssl s_server -WWW`.
# Prints median seconds, MB/s (10^6 bytes/s), peak RSS and, for ours, CPU
# seconds and TLS handshakes per download; checks every hash.
#
# Usage: bench/https.sh [BUILD_DIR]     (`make bench-https` builds and runs it)
# Env:   BENCH_HTTPS_MIB   image size in MiB    (default 1024)
#        BENCH_RUNS        runs per tool/server (default 1)
# The image, the slot and the server files live in BUILD_DIR/bench/https/
# and are removed on exit.
set -eu
BUILD=${1:-build}
MIB=${BENCH_HTTPS_MIB:-1024}
RUNS=${BENCH_RUNS:-1}
RSS_LIMIT_KIB=8192
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bin=$BUILD/bench/https_install
dir=$BUILD/bench/https
img=$dir/root/images/image.bin
slot=$dir/slot.bin
tv=$dir/time.txt
out=$dir/out.txt
samples=$dir/samples.txt
K=$BUILD/keys
DEV=$K/devices/SN-1001
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$bin" ] || die "$bin missing (run 'make bench-https')"
[ -x "$TIME" ] || die "$TIME missing (Debian package 'time'; run 'make deps')"
for t in openssl curl python3 sha256sum; do
	command -v $t >/dev/null || die "$t missing (run 'make deps')"
done
case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer" ;; esac
case $MIB in '' | *[!0-9]* | 0*) die "BENCH_HTTPS_MIB: \`$MIB' is not a size in MiB" ;; esac

PIDS=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$dir"
mkdir -p "$dir/root/images"
: >"$samples"

# --- keys, image, servers -----------------------------------------------------
[ -f "$K/.done" ] || make --no-print-directory BUILD="$BUILD" keys >/dev/null
BUILD=$BUILD sh tests/netrig/mkserverpki.sh --san DNS:localhost --san IP:127.0.0.1 --devpki "$K" \
	"$dir/pki" >/dev/null
avail=$(df -Pk "$dir" | awk 'NR==2 { print $4 }')
[ "$avail" -ge $(((2 * MIB + 256) * 1024)) ] ||
	die "$MIB MiB image: $((avail / 1024)) MiB free in $dir, need $((2 * MIB + 256))"
head -c "${MIB}M" /dev/urandom >"$img"
ref=$(sha256sum "$img" | cut -d' ' -f1)
ln "$img" "$dir/image.bin"   # s_server -WWW serves its working directory

python3 tests/netrig/sztp_server.py --listen 127.0.0.1:0 --root "$dir/root" --log "$dir/py.log" \
	--cert "$dir/pki/good.pem" --key "$dir/pki/good.key" --client-ca "$dir/pki/device-ca.pem" \
	--no-yang --ready-file "$dir/py.ready" >"$dir/py.out" 2>&1 </dev/null &
PIDS="$PIDS $!"
(cd "$dir" && exec openssl s_server -WWW -accept 127.0.0.1:0 -tls1_2 -cert pki/good.pem \
	-key pki/good.key >ossl.log 2>&1 </dev/null) &
PIDS="$PIDS $!"
i=0
while [ $i -lt 100 ]; do
	pyport=$(sed -n 's/^127\.0\.0\.1://p' "$dir/py.ready" 2>/dev/null || true)
	osport=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$dir/ossl.log" 2>/dev/null || true)
	[ -n "$pyport" ] && [ -n "$osport" ] && break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$pyport" ] || [ -z "$osport" ]; then die "servers did not start"; fi

# run LABEL SERVER CMD...: one timed run on an empty slot file; appends
# "LABEL SERVER NANOSECONDS RSS_KIB CPU_S HANDSHAKES SUITE" to $samples.
run() {
	label=$1 server=$2
	shift 2
	rm -f "$slot"
	: >"$slot"
	t0=$(date +%s%N)
	"$TIME" -v -o "$tv" "$@" >"$out" || { cat "$tv" >&2; die "$label from $server failed"; }
	t1=$(date +%s%N)
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tv")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tv")
	hs=$(sed -n 's/.*handshakes=\([0-9]*\).*/\1/p' "$out")
	suite=$(sed -n 's/.*suite=\(0x[0-9a-f]*\).*/\1/p' "$out")
	h=$(head -c 64 "$out")
	[ "$h" = "$ref" ] || { echo "FAIL $label from $server: sha-256 $h, image $ref" >&2; fail=1; }
	[ "$label" != ours ] || [ "$hs" = 1 ] || { echo "FAIL ours from $server: $hs TLS handshakes" >&2; fail=1; }
	echo "$label $server $((t1 - t0)) $rss $cpu ${hs:--} ${suite:--}" >>"$samples"
}

echo "sztpboot HTTPS download benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "host:    $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs, Linux $(uname -r)"
echo "image:   $MIB MiB from /dev/urandom, in the page cache (warm); loopback; TLS 1.2"
echo "tools:   $bin (boot_image_download, BearSSL); $(curl --version | head -1 | cut -d' ' -f1-2); $(openssl version | cut -d' ' -f1-2)"
echo "servers: python = tests/netrig/sztp_server.py (client certificate required), s_server = openssl s_server -WWW"
echo "runs:    $RUNS per tool and server; seconds are the median, RSS the maximum"
echo

fail=0
py=https://127.0.0.1:$pyport/images/image.bin
os=https://127.0.0.1:$osport/image.bin
cc="--cert $DEV/idevid.pem --key $DEV/idevid.key"
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	for server in python s_server; do
		if [ $server = python ]; then u=$py; else u=$os; fi
		run ours $server "$bin" -c "$DEV/idevid.pem" -k "$DEV/idevid.key" "$u" "$slot"
		# What ours wrote must be the image (untimed).
		s=$(sha256sum "$slot" | cut -d' ' -f1)
		[ "$s" = "$ref" ] || { echo "FAIL ours from $server: the slot hashes to $s" >&2; fail=1; }
		run curl "$server" sh -c "curl -skf $cc '$u' | sha256sum"
		run curl-tee "$server" sh -c "curl -skf $cc '$u' | tee '$slot' | sha256sum"
	done
done
echo "hashes:  every run = $ref"
echo

awk -v rsslimit="$RSS_LIMIT_KIB" -v mib="$MIB" '
function name(t) {
	return t == "ours" ? "ours (TLS+SHA-256+write+fsync)" : \
	       t == "curl" ? "curl | sha256sum" : "curl | tee slot | sha256sum"
}
{
	k = $1 SUBSEP $2
	if (!(k in n)) order[++no] = k
	tool[k] = $1; srv[k] = $2
	ns[k, ++n[k]] = $3
	if ($4 > rss[k]) rss[k] = $4
	cpu[k] = cpu[k] (cpu[k] == "" ? "" : " ") $5
	hs[k] = $6
	if ($1 == "ours") suite[$2] = $7
}
END {
	printf "%-31s %-9s %8s %8s %10s %9s %4s  %s\n", "tool", "server", "seconds", "MB/s", "RSS KiB", "CPU s", "hs", "runs (s)"
	for (j = 1; j <= no; j++) {
		k = order[j]; c = n[k]
		for (a = 1; a <= c; a++) v[a] = ns[k, a] / 1e9
		for (a = 2; a <= c; a++) for (b = a; b > 1 && v[b - 1] > v[b]; b--) { t = v[b]; v[b] = v[b - 1]; v[b - 1] = t }
		med = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
		all = ""
		for (a = 1; a <= c; a++) all = all sprintf("%s%.2f", a > 1 ? " " : "", ns[k, a] / 1e9)
		printf "%-31s %-9s %8.2f %8.1f %10d %9s %4s  %s\n", name(tool[k]), srv[k], med, mib * 1048576 / 1e6 / med, \
			rss[k], tool[k] == "ours" ? cpu[k] : "-", tool[k] == "ours" ? hs[k] : "-", all
		if (tool[k] == "ours" && rss[k] >= rsslimit) over = 1
	}
	sn["0xc02b"] = "ECDHE-ECDSA-AES128-GCM-SHA256"; sn["0xc02c"] = "ECDHE-ECDSA-AES256-GCM-SHA384"
	sn["0xc02f"] = "ECDHE-RSA-AES128-GCM-SHA256"; sn["0xc030"] = "ECDHE-RSA-AES256-GCM-SHA384"
	printf "\nsuites:  ours negotiated"
	for (s in suite) printf " %s from %s;", (suite[s] in sn ? sn[suite[s]] : suite[s]), s
	printf "\nours: one TLS handshake per download expected; peak RSS limit %d KiB: %s\n", rsslimit, over ? "FAIL" : "ok"
	exit over
}' "$samples" || fail=1
exit $fail
