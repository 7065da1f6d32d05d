#!/bin/sh
# Build BearSSL from Debian's source package, twice: with musl-gcc for the
# static device binary, and with the host compiler for sanitizer builds,
# unit tests and fuzzers. Usage: bearssl.sh BUILD_DIR
# For a board of another architecture, once, with that board's musl-gcc
# (scripts/musl-cross.sh) and archiver: bearssl.sh BUILD_DIR NAME CC AR
# -> BUILD_DIR/bearssl-src/NAME/libbearssl.a
set -eu
out=$1
src=$out/bearssl-src
if [ ! -f "$src/Makefile" ]; then
	rm -rf "$out/bearssl-fetch"
	mkdir -p "$out/bearssl-fetch"
	(cd "$out/bearssl-fetch" && apt-get source -qq bearssl >/dev/null 2>&1) || {
		echo "bearssl: 'apt-get source bearssl' failed (run 'make deps')" >&2
		exit 1
	}
	rm -rf "$src"
	mv "$out"/bearssl-fetch/bearssl-*/ "$src"
	rm -rf "$out/bearssl-fetch"
fi
build() { # name cc cflags [make variables]
	if [ ! -f "$src/$1/libbearssl.a" ]; then
		n=$1 cc=$2 cflags=$3
		shift 3
		make -s -C "$src" -j"$(nproc)" BUILD="$n" CC="$cc" CFLAGS="$cflags" "$@" lib >/dev/null
	fi
}
musl_cflags="-W -Wall -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
if [ $# -ge 4 ]; then
	build "$2" "$3" "$musl_cflags" AR="$4"
	exit 0
fi
build musl musl-gcc "$musl_cflags"
build native cc "-W -Wall -O2 -fPIC -g"
