#!/bin/sh
# The device tree rewrite that arm64 kexec_load hands the new kernel
# (src/fdt.c), on trees from independent producers: dtc-compiled
# tests/kexec/*.dts and QEMU's own virt machine tree (dumpdtb, with and
# without -kernel/-initrd/-append). Each result must decompile with dtc and
# fdtdump, carry the new bootargs, initrd range and seeds in /chosen, and
# leave everything else as it was: the dts text of every other node, the
# other /chosen properties, the memory reservations (less the old initrd's).
# Hostile blobs are refused with one line and no output file.
# The rewrite runs as build/host-gcc/unit/test_fdt IN OUT BOOTARGS ...
set -u
B=${BUILD:-build}
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
check() { _c=$1; shift; if "$@" >/dev/null 2>&1; then ok "$_c"; else fail "$_c" "$*"; fi; }

RW=$B/host-gcc/unit/test_fdt
T=$B/t/fdt
for tool in dtc fdtdump; do
	command -v $tool >/dev/null || { fail "fdt/tools" "no $tool (make deps: device-tree-compiler)"; exit 0; }
done
[ -x "$RW" ] || { fail "fdt/driver" "no $RW (make HOST_CC=gcc host)"; exit 0; }
rm -rf "$T"
mkdir -p "$T"

ARGS="console=ttyAMA0 root=/dev/vda2 sztp.slot=b sztp.config=sztp/config/7"
START=0x4a000000
END=0x4a123457
SEED=1122334455667788a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
DROPPED='bootargs|linux,initrd-start|linux,initrd-end|linux,elfcorehdr|linux,usable-memory-range|linux,ima-kexec-buffer|kaslr-seed|rng-seed'

dts() { dtc -q -I dtb -O dts "$1"; }
# The root's direct child "chosen" (dtc indents with one tab a level), and
# everything else but /memreserve/ lines and blank lines.
chosen_of() { awk '$0 == "\tchosen {" { on = 1 } on { print } on && $0 == "\t};" { on = 0 }'; }
others_of() { awk '$0 == "\tchosen {" { on = 1 } !on && NF && !/^\/memreserve\// { print } on && $0 == "\t};" { on = 0 }'; }

# rewritten NAME IN: rewrite IN and compare with it.
rewritten() {
	n=$1 in=$2 out=$T/$1.out.dtb
	if ! "$RW" "$in" "$out" "$ARGS" $START $END $SEED >"$T/$n.rw.log" 2>&1; then
		fail "fdt/$n: rewrite" "$(cat "$T/$n.rw.log")"
		return
	fi
	dts "$in" >"$T/$n.in.dts" 2>/dev/null
	check "fdt/$n: dtc decompiles the result, no warnings" \
		sh -c "dtc -I dtb -O dts '$out' >'$T/$n.out.dts' 2>'$T/$n.dtc.err' && ! test -s '$T/$n.dtc.err'"
	check "fdt/$n: fdtdump reads the result" sh -c "fdtdump '$out' >'$T/$n.fdtdump'"
	check "fdt/$n: fdtdump sees version 17" grep -q 'version:.*17' "$T/$n.fdtdump"
	chosen_of <"$T/$n.out.dts" >"$T/$n.out.chosen"
	chosen_of <"$T/$n.in.dts" >"$T/$n.in.chosen"
	check "fdt/$n: bootargs" grep -qxF "		bootargs = \"$ARGS\";" "$T/$n.out.chosen"
	check "fdt/$n: linux,initrd-start (two cells)" grep -qx '		linux,initrd-start = <0x00 0x4a000000>;' "$T/$n.out.chosen"
	check "fdt/$n: linux,initrd-end (two cells)" grep -qx '		linux,initrd-end = <0x00 0x4a123457>;' "$T/$n.out.chosen"
	check "fdt/$n: fresh kaslr-seed" grep -qx '		kaslr-seed = <0x11223344 0x55667788>;' "$T/$n.out.chosen"
	check "fdt/$n: fresh rng-seed" grep -qx '		rng-seed = <0xa0a1a2a3 0xa4a5a6a7 0xa8a9aaab 0xacadaeaf>;' "$T/$n.out.chosen"
	check "fdt/$n: no crash-kernel properties" sh -c "! grep -Eq 'linux,(elfcorehdr|usable-memory-range|ima-kexec-buffer)' '$T/$n.out.chosen'"
	grep -Ev "^		($DROPPED) = " "$T/$n.in.chosen" >"$T/$n.in.kept"
	grep -Ev "^		($DROPPED) = " "$T/$n.out.chosen" >"$T/$n.out.kept"
	if [ -s "$T/$n.in.chosen" ]; then
		check "fdt/$n: other /chosen properties and subnodes unchanged" cmp "$T/$n.in.kept" "$T/$n.out.kept"
	else
		check "fdt/$n: /chosen added" test -s "$T/$n.out.chosen"
	fi
	others_of <"$T/$n.in.dts" >"$T/$n.in.others"
	others_of <"$T/$n.out.dts" >"$T/$n.out.others"
	check "fdt/$n: every other node unchanged" cmp "$T/$n.in.others" "$T/$n.out.others"
}

# The unit tests' hex fixtures are what dtc makes of tests/kexec/*.dts.
for src in tests/kexec/*.dts; do
	n=$(basename "$src" .dts)
	dtc -q -I dts -O dtb -o "$T/$n.dtb" "$src" || { fail "fdt/$n: dtc" "cannot compile $src"; continue; }
	hex=$(awk -v want="/* $src */" '$0 == want { on = 1; next } on && /^\t;$/ { exit } on && /^\t"/ { gsub(/[\t"]/, ""); printf "%s", $0 }' tests/unit/fdt_fixture.h)
	check "fdt/$n: unit test fixture matches dtc" test "$hex" = "$(xxd -p "$T/$n.dtb" | tr -d '\n')"
	rewritten "$n" "$T/$n.dtb"
done
# chosen-full.dts: the old initrd's /memreserve/ goes, the firmware's stays.
check "fdt/chosen-full: old initrd's reservation dropped, the other kept" \
	sh -c "grep '^/memreserve/' '$T/chosen-full.out.dts' | tr -s ' \t' ' ' | grep -qx '/memreserve/ 0x000000004ff00000 0x0000000000001000;' && [ \$(grep -c '^/memreserve/' '$T/chosen-full.out.dts') = 1 ]"

# QEMU's own tree: as -M virt makes it, and with what -kernel/-initrd/-append add.
if command -v qemu-system-aarch64 >/dev/null; then
	head -c 65536 /dev/zero >"$T/k.bin"
	head -c 4096 /dev/zero >"$T/i.bin"
	if timeout 60 qemu-system-aarch64 -M virt,dumpdtb="$T/virt.dtb" -cpu max -m 1G -nographic >/dev/null 2>&1 &&
		timeout 60 qemu-system-aarch64 -M virt,dumpdtb="$T/virt-boot.dtb" -cpu max -m 1G -nographic \
			-kernel "$T/k.bin" -initrd "$T/i.bin" -append "console=ttyAMA0 old=1" >/dev/null 2>&1; then
		check "fdt/qemu-virt-boot: QEMU's /chosen has bootargs, initrd, seeds" sh -c \
			"dtc -q -I dtb -O dts '$T/virt-boot.dtb' | grep -q 'linux,initrd-start = <0x48000000>'"
		rewritten qemu-virt "$T/virt.dtb"
		rewritten qemu-virt-boot "$T/virt-boot.dtb"
		check "fdt/qemu-virt: result no larger than dtc's own compaction + 1 KiB" sh -c \
			"dtc -I dtb -O dtb -o '$T/virt.dtc.dtb' '$T/virt.dtb' && [ \$(stat -c %s '$T/qemu-virt.out.dtb') -le \$((\$(stat -c %s '$T/virt.dtc.dtb') + 1024)) ]"
	else
		fail "fdt/qemu-virt: dumpdtb" "qemu-system-aarch64 -M virt,dumpdtb failed"
	fi
else
	fail "fdt/qemu-virt" "no qemu-system-aarch64 (make deps: qemu-system-arm)"
fi

# Hostile blobs: one line, exit 1, no output file.
refused() { # NAME FILE REASON
	rm -f "$T/bad.out"
	if "$RW" "$2" "$T/bad.out" "$ARGS" >"$T/bad.log" 2>&1; then
		fail "fdt/refuses $1" "accepted"
	elif [ -e "$T/bad.out" ]; then
		fail "fdt/refuses $1" "left an output file"
	elif [ "$(wc -l <"$T/bad.log")" != 1 ] || ! grep -q "$3" "$T/bad.log"; then
		fail "fdt/refuses $1" "$(cat "$T/bad.log")"
	else
		ok "fdt/refuses $1"
	fi
}
good=$T/chosen-full.dtb
size=$(stat -c %s "$good")
head -c 30 "$good" >"$T/h30.dtb"
refused "a cut header" "$T/h30.dtb" "too short"
head -c $((size - 1)) "$good" >"$T/cut.dtb"
refused "a cut blob" "$T/cut.dtb" "does not fit"
{ printf '\320\015\376\356'; tail -c +5 "$good"; } >"$T/magic.dtb"
refused "a bad magic" "$T/magic.dtb" "bad magic"
{ head -c 8 "$good"; printf '\377\377\377\374'; tail -c +13 "$good"; } >"$T/off.dtb"
refused "a bad structure offset" "$T/off.dtb" "bad structure block"
{ head -c 12 "$good"; printf '\000\000\377\000'; tail -c +17 "$good"; } >"$T/soff.dtb"
refused "a bad strings offset" "$T/soff.dtb" "bad strings block"
head -c 1048576 /dev/urandom >"$T/random.dtb"
refused "random bytes" "$T/random.dtb" "bad magic"
: >"$T/empty.dtb"
refused "an empty file" "$T/empty.dtb" "too short"
head -c $((3 * 1024 * 1024)) /dev/zero >"$T/big.dtb"
refused "a 3 MiB file" "$T/big.dtb" "larger than"
