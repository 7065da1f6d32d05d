#!/bin/sh
# `sztpboot env` against the real tools, both ways: images made by
# mkenvimage (u-boot-tools), read and written by Debian's fw_printenv and
# fw_setenv (libubootenv-tool), on a 4 MiB "disk" file with the board's
# layout (two copies of 0x20000 at 0x100000 and 0x120000, see
# board/qemu-x86_64/layout) and on a plain single-copy file. Every case
# runs on the static musl binary and on the ASan+UBSan host build:
#   ok env/NAME [musl]      FAIL env/NAME [asan]: reason
# Files of the last run stay in $BUILD/t/env/.
set -u
B=${BUILD:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BINS="musl:$B/sztpboot asan:$B/host-gcc/sztpboot"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LC_ALL=C
SAN_RE='(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Leak|Undefined(Behavior)?)Sanitizer)'

for tool in mkenvimage fw_printenv fw_setenv; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "FAIL env/tools: $tool not installed (make deps: u-boot-tools, libubootenv-tool)"
		exit 0
	fi
done

T=$B/t/env
rm -rf "$T"
mkdir -p "$T"
T=$(cd "$T" && pwd)

SIZE=0x20000 OFF0=0x100000 OFF1=0x120000
truncate -s $((SIZE)) "$T/zero"

# --- helpers --------------------------------------------------------------
# sz ARGS: the binary under test on $CFG; $T/out, $T/err, $rc
sz() {
	"$S" env -c "$CFG" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if grep -qE "$SAN_RE" "$T/err"; then
		san="$(grep -E "$SAN_RE" "$T/err" | head -1)"
	fi
	return 0
}
fwp() { fw_printenv -c "$CFG" "$@" 2>/dev/null; }
fws() { fw_setenv -c "$CFG" "$@" 2>/dev/null; }
# result NAME: ok unless a check set $why (or the sanitizer spoke)
result() {
	[ -z "$why" ] && [ -n "$san" ] && why="sanitizer: $san"
	if [ -z "$why" ]; then echo "ok env/$1 [$K]"; else echo "FAIL env/$1 [$K]: $why"; fi
	why= san=
}
# fail REASON: keep the first reason
fail() { [ -n "$why" ] || why=$1; }
redundant_cfg() { printf '%s %s %s\n%s %s %s\n' "$1" $OFF0 $SIZE "$1" $OFF1 $SIZE >"$2"; }
# put IMAGE DISK OFFSET
put() { dd if="$1" of="$2" bs=4096 seek=$(($3 / 4096)) conv=notrunc status=none; }
# copyof DISK OFFSET OUT: the raw copy
copyof() { dd if="$1" of="$3" bs=4096 skip=$(($2 / 4096)) count=$((SIZE / 4096)) status=none; }
flag() { od -An -tu1 -j $(($2 + 4)) -N1 "$1" | tr -d ' '; }
setflag() { printf "\\$(printf %03o "$3")" | dd of="$1" bs=1 seek=$(($2 + 4)) conv=notrunc status=none; }
# corrupt DISK OFFSET: invert the first CRC byte, as a torn write would leave it
corrupt() {
	_b=$(od -An -tu1 -j $(($2)) -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((_b ^ 255)))" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}
# readcopy DISK OFFSET: that copy alone, read by fw_printenv (fails if invalid)
readcopy() {
	printf '%s %s %s\n%s 0 %s\n' "$1" $2 $SIZE "$T/zero" $SIZE >"$T/one.config"
	fw_printenv -c "$T/one.config" 2>/dev/null
}
defaults() { grep -v '^#' "$TOP/uboot-env/default.env" | grep -v '^$' | sort; }

printf '# a comment\nfoo=bar\nbaz=qux\nbootcmd=echo a; echo b\nempty=\n' >"$T/input.env"
expected_input='baz=qux
bootcmd=echo a; echo b
empty=
foo=bar'

for bin in $BINS; do
	K=${bin%%:*} S=${bin#*:}
	why= san=
	if [ ! -x "$S" ]; then
		echo "FAIL env/binary [$K]: $S not built"
		continue
	fi
	D=$T/$K
	mkdir -p "$D"

	# --- single copy on a plain file ---------------------------------------
	mkenvimage -s 0x4000 -o "$D/single.bin" "$T/input.env"
	CFG=$D/single.config
	printf '%s 0 0x4000\n' "$D/single.bin" >"$CFG"
	sz print
	[ $rc = 0 ] || fail "exit $rc: $(head -1 "$T/err")"
	[ "$(cat "$T/out")" = "$expected_input" ] || fail "print: $(tr '\n' '|' <"$T/out")"
	[ "$(cat "$T/out")" = "$(fwp)" ] || fail "differs from fw_printenv"
	result "mkenvimage single -> print"

	sz set foo=baz new=1
	[ $rc = 0 ] || fail "exit $rc: $(head -1 "$T/err")"
	[ "$(fwp -n foo)" = baz ] && [ "$(fwp -n new)" = 1 ] || fail "fw_printenv: $(fwp | tr '\n' '|')"
	result "single: set -> fw_printenv"

	fws foo again
	sz print -n foo
	[ "$(cat "$T/out")" = again ] || fail "after fw_setenv: $(cat "$T/out" "$T/err")"
	result "single: fw_setenv -> print"

	# --- two copies at the board's offsets in a disk file -----------------
	DISK=$D/disk.img
	truncate -s 4M "$DISK"
	mkenvimage -r -s $SIZE -o "$D/redund.bin" "$T/input.env"
	put "$D/redund.bin" "$DISK" $OFF0
	put "$D/redund.bin" "$DISK" $OFF1
	CFG=$D/fw_env.config
	redundant_cfg "$DISK" "$CFG"
	[ "$(flag "$DISK" $OFF0)" = 1 ] || fail "mkenvimage -r flag is $(flag "$DISK" $OFF0), not 1"
	sz print
	[ $rc = 0 ] || fail "exit $rc: $(head -1 "$T/err")"
	[ "$(cat "$T/out")" = "$expected_input" ] || fail "print: $(tr '\n' '|' <"$T/out")"
	[ "$(cat "$T/out")" = "$(fwp)" ] || fail "differs from fw_printenv"
	sz print -n bootcmd
	[ "$(cat "$T/out")" = "echo a; echo b" ] || fail "print -n: $(cat "$T/out")"
	sz print foo baz
	[ "$(cat "$T/out")" = "foo=bar
baz=qux" ] || fail "print NAME...: $(tr '\n' '|' <"$T/out")"
	result "mkenvimage -r at 0x100000/0x120000 -> print"

	# One write for several variables: copy 1 (inactive), flag 1 -> 2.
	copyof "$DISK" $OFF0 "$D/c0.before"
	sz set a=1 b=2 foo=
	[ $rc = 0 ] || fail "exit $rc: $(head -1 "$T/err")"
	copyof "$DISK" $OFF0 "$D/c0.after"
	cmp -s "$D/c0.before" "$D/c0.after" || fail "the active copy 0 was written"
	[ "$(flag "$DISK" $OFF1)" = 2 ] || fail "copy 1 flag $(flag "$DISK" $OFF1), want 2 (one write)"
	[ "$(fwp | tr '\n' ' ')" = "a=1 b=2 baz=qux bootcmd=echo a; echo b empty= " ] ||
		fail "fw_printenv: $(fwp | tr '\n' '|')"
	result "set NAME=VALUE... -> fw_printenv (one write, inactive copy)"

	fws c 3
	[ "$(flag "$DISK" $OFF0)" = 3 ] || fail "fw_setenv wrote flag $(flag "$DISK" $OFF0) to copy 0"
	sz print
	[ "$(cat "$T/out")" = "$(fwp)" ] || fail "differs from fw_printenv"
	sz print -n c
	[ "$(cat "$T/out")" = 3 ] || fail "print -n c: $(cat "$T/out")"
	result "fw_setenv -> print"

	# The same change by either tool gives the same bytes.
	cp "$DISK" "$D/disk2.img"
	redundant_cfg "$D/disk2.img" "$D/fw_env2.config"
	fw_setenv -c "$D/fw_env2.config" d 'x y' 2>/dev/null
	sz set 'd=x y'
	cmp -s "$DISK" "$D/disk2.img" || fail "images differ: $(cmp "$DISK" "$D/disk2.img" 2>&1)"
	result "set writes the bytes fw_setenv writes"

	# Alternating writes by both tools across the counter's 255 -> 0 wrap.
	setflag "$DISK" $OFF0 253
	setflag "$DISK" $OFF1 254
	next=$OFF0 other=$OFF1
	for i in 1 2 3 4 5 6 7 8; do
		if [ $((i % 2)) = 1 ]; then sz set k=$i; else fws k $i; fi
		want=$(((254 + i) % 256))
		[ "$(flag "$DISK" $next)" = $want ] || fail "write $i: flag $(flag "$DISK" $next) at $next, want $want"
		[ "$(fwp -n k)" = $i ] || fail "write $i: fw_printenv reads $(fwp -n k)"
		sz print -n k
		[ "$(cat "$T/out")" = $i ] || fail "write $i: sztpboot reads $(cat "$T/out" "$T/err")"
		t=$next next=$other other=$t
	done
	result "alternating writes, both tools, across the 255->0 wrap"

	# Torn active copy: the other (older) copy is read, and written next.
	# After 8 writes copy 1 ($other) is active (k=8), copy 0 holds k=7.
	corrupt "$DISK" $other
	sz print -n k
	[ "$(cat "$T/out")" = 7 ] || fail "read $(cat "$T/out") after tearing the active copy"
	grep -q "copy 1 ($DISK at 0x120000) is invalid (bad CRC); using copy 0" "$T/err" ||
		fail "no log line: $(head -1 "$T/err")"
	[ "$(fwp -n k)" = 7 ] || fail "fw_printenv reads $(fwp -n k)"
	copyof "$DISK" $next "$D/good.before"
	sz set k=torn
	copyof "$DISK" $next "$D/good.after"
	cmp -s "$D/good.before" "$D/good.after" || fail "the valid copy was written"
	[ "$(readcopy "$DISK" $other | grep '^k=')" = k=torn ] || fail "the torn copy was not rewritten"
	[ "$(flag "$DISK" $other)" = $(($(flag "$DISK" $next) + 1)) ] || fail "flag not next"
	[ "$(fwp -n k)" = torn ] || fail "fw_printenv reads $(fwp -n k)"
	result "torn active copy -> older copy read, next write repairs the torn one"

	# Torn inactive copy: nothing changes for readers; the write goes there.
	corrupt "$DISK" $next
	sz print -n k
	[ "$(cat "$T/out")" = torn ] || fail "read $(cat "$T/out")"
	grep -q "copy 0 ($DISK at 0x100000) is invalid (bad CRC); using copy 1" "$T/err" ||
		fail "no log line: $(head -1 "$T/err")"
	copyof "$DISK" $other "$D/good.before"
	sz set k=inactive
	copyof "$DISK" $other "$D/good.after"
	cmp -s "$D/good.before" "$D/good.after" || fail "the active copy was written"
	[ "$(readcopy "$DISK" $next | grep '^k=')" = k=inactive ] || fail "the torn copy was not rewritten"
	[ "$(fwp -n k)" = inactive ] || fail "fw_printenv reads $(fwp -n k)"
	result "torn inactive copy -> active copy read, next write repairs the torn one"

	# fw_setenv over a torn copy; sztpboot reads what it wrote.
	corrupt "$DISK" $next
	fws k fromfw
	sz print -n k
	[ "$(cat "$T/out")" = fromfw ] || fail "read $(cat "$T/out" "$T/err")"
	result "torn copy, fw_setenv writes -> print"

	# Two bad copies: no reading, no set; init writes a fresh environment.
	corrupt "$DISK" $OFF0
	corrupt "$DISK" $OFF1
	cp "$DISK" "$D/bad.img"
	sz print
	[ $rc = 1 ] && grep -q 'no valid environment copy (copy 0: bad CRC; copy 1: bad CRC)' "$T/err" ||
		fail "print: exit $rc, $(head -1 "$T/err")"
	fwp >/dev/null && fail "fw_printenv read two bad copies"
	sz set x=1
	[ $rc = 1 ] && grep -q 'env init' "$T/err" || fail "set: exit $rc, $(head -1 "$T/err")"
	cmp -s "$DISK" "$D/bad.img" || fail "set wrote over two bad copies"
	result "both copies bad -> clear error, set refuses"

	sz init
	[ $rc = 0 ] || fail "init: exit $rc: $(head -1 "$T/err")"
	[ "$(fwp)" = "$(defaults)" ] || fail "fw_printenv after init: $(fwp | tr '\n' '|')"
	[ "$(readcopy "$DISK" $OFF0)" = "$(defaults)" ] && [ "$(readcopy "$DISK" $OFF1)" = "$(defaults)" ] ||
		fail "not both copies"
	[ "$(flag "$DISK" $OFF0)" = 1 ] && [ "$(flag "$DISK" $OFF1)" = 1 ] ||
		fail "flags $(flag "$DISK" $OFF0)/$(flag "$DISK" $OFF1), want 1/1 as mkenvimage -r"
	result "init over two bad copies -> both copies hold uboot-env/default.env"

	# init -f continues the counter of a valid environment.
	sz set y=1
	sz init -f "$T/input.env"
	[ $rc = 0 ] || fail "init -f: exit $rc: $(head -1 "$T/err")"
	[ "$(flag "$DISK" $OFF0)" = 3 ] && [ "$(flag "$DISK" $OFF1)" = 3 ] ||
		fail "flags $(flag "$DISK" $OFF0)/$(flag "$DISK" $OFF1), want 3/3"
	[ "$(fwp)" = "$expected_input" ] || fail "fw_printenv: $(fwp | tr '\n' '|')"
	fws after 1
	[ "$(fwp -n after)" = 1 ] && [ "$(flag "$DISK" $OFF1)" = 4 ] || fail "fw_setenv after init"
	result "init -f FILE over a valid environment"

	# Refusals leave the disk as it was.
	cp "$DISK" "$D/before.img"
	sz set 'a=x
y'
	[ $rc = 1 ] && grep -q 'newline in value' "$T/err" || fail "newline: exit $rc, $(head -1 "$T/err")"
	sz set ok=1 '=x'
	[ $rc = 1 ] && grep -q 'empty name' "$T/err" || fail "empty name: exit $rc, $(head -1 "$T/err")"
	sz set 'a b=1'
	[ $rc = 1 ] || fail "blank in name: exit $rc"
	sz set noequals
	[ $rc = 2 ] || fail "no '=': exit $rc"
	cmp -s "$DISK" "$D/before.img" || fail "a refused set wrote"
	sz print nosuch
	[ $rc = 1 ] && grep -q "nosuch' is not set" "$T/err" || fail "unset name: exit $rc"
	sz frobnicate
	[ $rc = 2 ] || fail "unknown action: exit $rc"
	result "refused input writes nothing"

	# init -f on a fresh single-copy file, then fw_printenv.
	truncate -s 16384 "$D/fresh.bin"
	CFG=$D/fresh.config
	printf '%s 0 4000\n' "$D/fresh.bin" >"$CFG"
	sz init -f "$T/input.env"
	[ $rc = 0 ] && [ "$(fwp)" = "$expected_input" ] || fail "exit $rc: $(fwp | tr '\n' '|') $(head -1 "$T/err")"
	result "init -f FILE on a single-copy file -> fw_printenv"

	# fw_env.config as libubootenv reads it: sizes are hex even without 0x,
	# so 16384 is 0x16384, past the end of this 0x4000-byte file.
	printf '%s 0 16384\n' "$D/fresh.bin" >"$CFG"
	sz print
	[ $rc = 1 ] && grep -q 'ends before offset+ENVSIZE' "$T/err" || fail "ENVSIZE 16384: exit $rc, $(head -1 "$T/err")"
	fwp >/dev/null && fail "fw_printenv read ENVSIZE 16384 (0x16384) from a 0x4000 file"
	printf '%s 0 131072\n' "$D/fresh.bin" >"$CFG"
	sz print
	[ $rc = 1 ] && grep -q 'always hex' "$T/err" || fail "ENVSIZE 131072: exit $rc, $(head -1 "$T/err")"
	CFG=$D/nonexistent.config
	sz print
	[ $rc = 1 ] && grep -q "$CFG: cannot open" "$T/err" || fail "missing config: exit $rc, $(head -1 "$T/err")"
	result "fw_env.config errors"
done

# The built-in factory defaults are uboot-env/default.env (checked above via
# init without -f); default.env itself must be what mkenvimage accepts.
why= san= K=tools
mkenvimage -r -s $SIZE -o "$T/default.bin" "$TOP/uboot-env/default.env" || fail "mkenvimage"
truncate -s 4M "$T/d.img"
put "$T/default.bin" "$T/d.img" $OFF0
put "$T/default.bin" "$T/d.img" $OFF1
redundant_cfg "$T/d.img" "$T/d.config"
[ "$(fw_printenv -c "$T/d.config")" = "$(defaults)" ] || fail "fw_printenv of mkenvimage default.env"
result "uboot-env/default.env through mkenvimage -r and fw_printenv"
