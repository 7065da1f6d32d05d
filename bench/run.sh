#!/bin/sh
# Install pipeline benchmark (bench/README.md): source file -> SHA-256 ->
# slot file with fsync, through boot_image_stream() (build/bench/install),
# beside `openssl dgst -sha256` (hash only) and `dd bs=64K conv=fsync` (copy
# only) on the same image in the same run. Prints median seconds, MB/s
# (10^6 bytes/s) and peak RSS, checks that the hashes agree and that our
# pipeline's peak RSS stays under 8 MiB at every size.
#
# Usage: bench/run.sh [BUILD_DIR]            (`make bench` builds and runs it)
# Env:   BENCH_SIZES  image sizes in MiB     (default "64 1024")
#        BENCH_RUNS   runs per tool and size (default 3)
# Images live in BUILD_DIR/bench/; those over 64 MiB and every slot file are
# removed on exit, the 64 MiB image is kept for the next run.
set -eu
BUILD=${1:-build}
SIZES=${BENCH_SIZES:-64 1024}
RUNS=${BENCH_RUNS:-3}
KEEP_MIB=64
RSS_LIMIT_KIB=8192
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bin=$BUILD/bench/install
dir=$BUILD/bench
slot=$dir/slot.bin
tv=$dir/time.txt
out=$dir/out.txt
samples=$dir/samples.txt
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$bin" ] || die "$bin missing (run 'make bench')"
[ -x "$TIME" ] || die "$TIME missing (Debian package 'time'; run 'make deps')"
command -v openssl >/dev/null || die "openssl missing (run 'make deps')"
case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer" ;; esac
for m in $SIZES; do
	case $m in *[!0-9]* | 0*) die "BENCH_SIZES: \`$m' is not a size in MiB" ;; esac
done

image() { echo "$dir/image-${1}M.bin"; }
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	rm -f "$slot" "$tv" "$out" "$samples"
	for m in $SIZES; do
		[ "$m" -le "$KEEP_MIB" ] || rm -f "$(image "$m")" "$(image "$m").tmp"
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$dir"
: >"$samples"

# Cold caches when we may drop them (root), else one warm-up read per image
# so that every tool sees the same (warm) page cache.
if sync && (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
	cold=1
	caches="dropped before every run (sync; echo 3 > /proc/sys/vm/drop_caches)"
else
	cold=0
	caches="WARM: cannot write /proc/sys/vm/drop_caches (not root); one warm-up read per image"
fi
drop() { sync; [ $cold = 0 ] || echo 3 >/proc/sys/vm/drop_caches; }

# run LABEL MIB CMD...: one timed run on an empty slot file; appends
# "LABEL MIB NANOSECONDS RSS_KIB" to $samples, the command's stdout in $out.
run() {
	label=$1 mib=$2
	shift 2
	rm -f "$slot"
	: >"$slot"
	drop
	t0=$(date +%s%N)
	"$TIME" -v -o "$tv" "$@" >"$out" || { cat "$tv" >&2; die "$label failed on $mib MiB"; }
	t1=$(date +%s%N)
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tv")
	echo "$label $mib $((t1 - t0)) $rss" >>"$samples"
}

echo "sztpboot install pipeline benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "host:    $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs, Linux $(uname -r)"
echo "disk:    $(df -hT "$dir" | awk 'NR==2 { print $1 " (" $2 "), " $5 " free" }')"
echo "tools:   $bin (boot_image_stream, BearSSL SHA-256, 64 KiB chunks); $(openssl version | cut -d' ' -f1-2); dd $(dd --version | sed -n '1s/.* //p')"
echo "caches:  $caches"
echo "runs:    $RUNS per tool and size, round-robin; seconds are the median, RSS the maximum"
echo

fail=0
for mib in $SIZES; do
	img=$(image "$mib")
	if [ "$(stat -c %s "$img" 2>/dev/null || echo 0)" != $((mib * 1048576)) ]; then
		# image plus slot, and 256 MiB to spare
		avail=$(df -Pk "$dir" | awk 'NR==2 { print $4 }')
		[ "$avail" -ge $(((2 * mib + 256) * 1024)) ] ||
			die "$mib MiB image: $((avail / 1024)) MiB free in $dir, need $((2 * mib + 256))"
		echo "creating $img ($mib MiB from /dev/urandom)"
		head -c "${mib}M" /dev/urandom >"$img.tmp"
		mv "$img.tmp" "$img"
	fi
	[ $cold = 1 ] || cat "$img" >/dev/null
	ref="" slotsum=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		run "openssl" "$mib" openssl dgst -sha256 -r "$img"
		h=$(cut -d' ' -f1 "$out")
		[ -n "$ref" ] || ref=$h
		[ "$h" = "$ref" ] || { echo "FAIL $mib MiB: openssl dgst gave $h, then $ref" >&2; fail=1; }
		run "install" "$mib" "$bin" "$img" "$slot"
		h=$(cat "$out")
		[ "$h" = "$ref" ] || { echo "FAIL $mib MiB: install gave $h, openssl dgst $ref" >&2; fail=1; }
		# What was written must be the image (untimed).
		slotsum=$(openssl dgst -sha256 -r "$slot" | cut -d' ' -f1)
		[ "$slotsum" = "$ref" ] || { echo "FAIL $mib MiB: slot written by install hashes to $slotsum" >&2; fail=1; }
		run "dd" "$mib" dd if="$img" of="$slot" bs=64K conv=fsync status=none
	done
	[ $fail = 1 ] || echo "hashes:  $mib MiB: install = slot = openssl dgst = $ref"
	[ "$mib" -le "$KEEP_MIB" ] || rm -f "$img"
done
rm -f "$slot"

echo
awk -v runs="$RUNS" -v rsslimit="$RSS_LIMIT_KIB" '
function name(t) {
	return t == "install" ? "install (SHA-256 + write + fsync)" : \
	       t == "openssl" ? "openssl dgst -sha256 (hash only)" : "dd bs=64K conv=fsync (copy only)"
}
{
	if (!($2 in seen)) { seen[$2] = 1; sizes[++ns_] = $2 }
	k = $1 SUBSEP $2
	tool[k] = $1; mib[k] = $2
	ns[k, ++n[k]] = $3
	if ($4 > rss[k]) rss[k] = $4
}
END {
	printf "%-34s %9s %9s %8s %13s  %s\n", "tool", "size", "seconds", "MB/s", "peak RSS KiB", "runs (s)"
	split("install openssl dd", tools, " ")
	for (j = 1; j <= ns_ * 3; j++) {
		k = tools[(j - 1) % 3 + 1] SUBSEP sizes[int((j - 1) / 3) + 1]
		if (!(k in n)) continue
		c = n[k]
		for (a = 1; a <= c; a++) v[a] = ns[k, a] / 1e9
		for (a = 2; a <= c; a++) for (b = a; b > 1 && v[b - 1] > v[b]; b--) { t = v[b]; v[b] = v[b - 1]; v[b - 1] = t }
		med = c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
		all = ""
		for (a = 1; a <= c; a++) all = all sprintf("%s%.3f", a > 1 ? " " : "", ns[k, a] / 1e9)
		printf "%-34s %5d MiB %9.3f %8.1f %13d  %s\n", name(tool[k]), mib[k], med, mib[k] * 1048576 / 1e6 / med, rss[k], all
		if (tool[k] == "install") { peak = peak sprintf("%s%d KiB at %d MiB", peak == "" ? "" : ", ", rss[k], mib[k]); if (rss[k] >= rsslimit) over = 1 }
	}
	printf "\ninstall peak RSS: %s (limit %d KiB): %s\n", peak, rsslimit, over ? "FAIL" : "ok"
	exit over
}' "$samples" || fail=1
exit $fail
