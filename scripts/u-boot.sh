#!/bin/sh
# Build a board's U-Boot from Debian's u-boot source package: the base
# defconfig named in board/BOARD/u-boot.config ("# base: NAME"), that file
# merged on top as a configuration fragment, the binary named there
# ("# binary: FILE") copied out. Cross compiler prefix: "# cross: PREFIX"
# (empty or "(native...)": the host compiler).
#
#   scripts/u-boot.sh BUILD BOARD    -> BUILD/u-boot/BINARY, BUILD/u-boot/package
# Idempotent: rebuilds only when the fragment or the package changed.
set -eu
BUILD=$1 board=$2
top=$(cd "$(dirname "$0")/.." && pwd)
frag=$top/board/$board/u-boot.config
[ -f "$frag" ] || { echo "u-boot: no board/$board/u-boot.config" >&2; exit 1; }
field() { sed -n "s/^# $1: *//p" "$frag" | head -n1; }
base=$(field base) bin=$(field binary) cross=$(field cross)
case $cross in '('*|'') cross='' ;; esac
[ -n "$base" ] && [ -n "$bin" ] || { echo "u-boot: $frag needs '# base:' and '# binary:'" >&2; exit 1; }

out=$BUILD/u-boot
src=$BUILD/u-boot-src
mkdir -p "$out"
ver=$(apt-cache showsrc u-boot 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1)
[ -n "$ver" ] || { echo "u-boot: no source package u-boot (run 'make deps')" >&2; exit 1; }
stamp="u-boot=$ver $(sha256sum "$frag" | cut -d' ' -f1)"
if [ -f "$out/$bin" ] && [ "$(cat "$out/package" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

if [ ! -f "$src/Makefile" ] || [ "$(cat "$src/.sztp-version" 2>/dev/null)" != "$ver" ]; then
	echo "  U-BOOT  apt-get source u-boot ($ver)"
	rm -rf "$BUILD/u-boot-fetch" "$src"
	mkdir -p "$BUILD/u-boot-fetch"
	(cd "$BUILD/u-boot-fetch" && apt-get source -qq u-boot >/dev/null 2>&1) || {
		echo "u-boot: 'apt-get source u-boot' failed (run 'make deps')" >&2; exit 1; }
	mv "$BUILD"/u-boot-fetch/u-boot-*/ "$src"
	rm -rf "$BUILD/u-boot-fetch"
	echo "$ver" >"$src/.sztp-version"
fi

obj=$BUILD/u-boot-obj/$board
rm -rf "$obj"
mkdir -p "$obj"
obj=$(cd "$obj" && pwd)
log=$obj/build.log
echo "  U-BOOT  $board: $base + board/$board/u-boot.config"
# U-Boot's own make must not see ours: `make BOARD=...` passes BOARD (a
# U-Boot variable too) down through MAKEFLAGS and the environment.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BOARD -u BUILD \
		make -C "$src" O="$obj" ${cross:+CROSS_COMPILE=$cross} "$@" >>"$log" 2>&1
}
# The build date is the commit's, as for everything else (reproducible).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 0)}
if ! { mk "$base" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >>"$log" 2>&1 &&
	mk olddefconfig; }; then
	tail -20 "$log" >&2; echo "u-boot: configuring $board failed (log: $log)" >&2; exit 1
fi
# Every line of the fragment must have taken: a misspelt or unmet option
# would otherwise vanish silently.
grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$frag" | while IFS= read -r line; do
	grep -qxF "$line" "$obj/.config" || { echo "u-boot: $board: '$line' did not take (see $obj/.config)" >&2; exit 1; }
done
if ! mk -j"$(nproc)"; then
	tail -20 "$log" >&2; echo "u-boot: building $board failed (log: $log)" >&2; exit 1
fi
cp "$obj/$bin" "$out/$bin.tmp"
mv "$out/$bin.tmp" "$out/$bin"
echo "$stamp" >"$out/package"
echo "  U-BOOT  $out/$bin"
