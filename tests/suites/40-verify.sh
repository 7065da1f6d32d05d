#!/bin/sh
# End-to-end tests of `sztpboot verify`: artifacts made at test time by the
# OpenSSL command line (tests/verify/mkfixtures.sh), expectations from the
# case table tests/verify/cases.txt (its header documents the format and the
# rules every case is held to). Each case runs on the static musl binary and
# on the ASan+UBSan host build; each run prints one line:
#   ok verify/NAME [musl]      FAIL verify/NAME [asan]: reason
# Outputs of every run are kept in $BUILD/t/verify/runs/NAME.BIN.{out,err}.
# Usage: sh tests/suites/40-verify.sh [NAME...]     (BUILD defaults to build)
set -u
B=${BUILD:-build}
T=$(cd "$(dirname "$0")/../verify" && pwd)
TABLE=$T/cases.txt
BINS="musl:$B/sztpboot asan:$B/host-gcc/sztpboot"
ONLY=${*:-}
TIMEOUT=${VERIFY_TIMEOUT:-120}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SANITIZER_RE='(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Leak|Undefined(Behavior)?)Sanitizer)'

# --- fixtures -------------------------------------------------------------
mkdir -p "$B/t"
FIX=$B/t/verify
t0=$(date +%s)
if log=$(sh "$T/mkfixtures.sh" "$FIX" 2>&1); then
	FIX=$(cd "$FIX" && pwd)
	echo "ok verify/fixtures ($(($(date +%s) - t0)) s)"
	fixerr=
else
	echo "$log" | tail -20
	fixerr=$(echo "$log" | grep -v '^mkfixtures: [0-9]* fixture' | tail -1)
	echo "FAIL verify/fixtures: $fixerr"
fi
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$FIX/runs"

# --- helpers --------------------------------------------------------------
trim() { printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }
# subst STRING PATTERN REPLACEMENT: replace every PATTERN (fixed string)
subst() {
	_s=$1 _r=
	while :; do
		case $_s in
		*"$2"*) _r=$_r${_s%%"$2"*}$3; _s=${_s#*"$2"} ;;
		*) break ;;
		esac
	done
	printf '%s' "$_r$_s"
}
oneline() { tr '\n\t' '  ' | cut -c1-300; }

# check NAME EXP RE OUTCHECKS OUT ERR RC -> prints nothing if ok, else reason
check() {
	_exp=$2 _re=$3 _oc=$4 _out=$5 _err=$6 _rc=$7
	if [ "$_rc" -eq 124 ]; then echo "timed out after ${TIMEOUT}s"; return; fi
	if grep -qE "$SANITIZER_RE" "$_err"; then
		echo "sanitizer: $(grep -E "$SANITIZER_RE" "$_err" | head -1 | oneline)"
		return
	fi
	if [ "$_rc" -ne "$_exp" ]; then
		echo "exit $_rc, expected $_exp; stderr: $(head -3 "$_err" | oneline)"
		return
	fi
	if [ -n "$_re" ] && ! grep -qE -- "$_re" "$_err"; then
		echo "stderr does not match /$_re/: $(head -3 "$_err" | oneline)"
		return
	fi
	case $_rc in
	0)
		grep -qE '"ietf-sztp-conveyed-info:(onboarding|redirect)-information"' "$_out" ||
			{ echo "stdout is not conveyed information: $(head -c 200 "$_out" | oneline)"; return; }
		grep -qE 'trusted|provisional' "$_err" ||
			{ echo "stderr says neither trusted nor provisional: $(head -3 "$_err" | oneline)"; return; }
		if grep -q provisional "$_err" && grep -q trust-anchor "$_out"; then
			echo "provisional result carries a trust-anchor"
			return
		fi
		;;
	1)
		[ ! -s "$_out" ] || { echo "rejected but stdout not empty: $(head -c 200 "$_out" | oneline)"; return; }
		_n=$(wc -l <"$_err")
		[ "$_n" -eq 1 ] || { echo "rejected: expected one stderr line, got $_n: $(head -3 "$_err" | oneline)"; return; }
		grep -q '^sztpboot: ' "$_err" || { echo "stderr line lacks 'sztpboot: ' prefix: $(oneline <"$_err")"; return; }
		;;
	esac
	set -f
	# shellcheck disable=SC2086
	set -- $_oc
	set +f
	for _w; do
		case $_w in
		+*) grep -qF -- "${_w#+}" "$_out" || { echo "stdout lacks ${_w#+}"; return; } ;;
		!*) ! grep -qF -- "${_w#!}" "$_out" || { echo "stdout contains ${_w#!}"; return; } ;;
		*) echo "bad stdout check '$_w' in cases.txt"; return ;;
		esac
	done
}

# --- the table ------------------------------------------------------------
seen=" "
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in '' | '#'*) continue ;; esac
	# name | code | regex (may contain '|') | args | stdout checks
	name=$(trim "${line%%|*}")
	rest=${line#*|}
	code=$(trim "${rest%%|*}")
	rest=${rest#*|}
	outc=$(trim "${rest##*|}")
	rest=${rest%|*}
	args=$(trim "${rest##*|}")
	re=$(trim "${rest%|*}")
	if [ -n "$ONLY" ]; then
		case " $ONLY " in *" $name "*) ;; *) continue ;; esac
	fi
	case $code in 0 | 1 | 2) ;; *)
		echo "FAIL verify/${name:-line$lineno}: cases.txt line $lineno: bad exit code '$code'"
		continue ;;
	esac
	case $rest in *'|'*) ;; *)
		echo "FAIL verify/$name: cases.txt line $lineno: needs 5 '|'-separated fields"
		continue ;;
	esac
	case $seen in *" $name "*)
		echo "FAIL verify/$name: cases.txt line $lineno: duplicate case name"
		continue ;;
	esac
	seen="$seen$name "
	args=$(subst "$args" @STD@ "--voucher-ta @FIX@/pki/mfg-ca.pem --idevid-cert @FIX@/pki/device-sn1.pem --now @NOW@")
	args=$(subst "$args" @FIX@ "$FIX")
	args=$(subst "$args" @NOW@ "$NOW")
	for b in $BINS; do
		tag=${b%%:*} bin=${b#*:}
		if [ -n "$fixerr" ]; then
			echo "FAIL verify/$name [$tag]: fixtures not built ($fixerr)"
			continue
		fi
		if [ ! -x "$bin" ]; then
			echo "FAIL verify/$name [$tag]: $bin not built"
			continue
		fi
		out=$FIX/runs/$name.$tag.out err=$FIX/runs/$name.$tag.err
		set -f
		# shellcheck disable=SC2086
		set -- $args
		set +f
		timeout "$TIMEOUT" "$bin" verify "$@" </dev/null >"$out" 2>"$err"
		rc=$?
		why=$(check "$name" "$code" "$re" "$outc" "$out" "$err" "$rc")
		if [ -z "$why" ]; then
			echo "ok verify/$name [$tag]"
		else
			echo "FAIL verify/$name [$tag]: $why"
		fi
	done
done <"$TABLE"
