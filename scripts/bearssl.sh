#!/bin/sh
# Build BearSSL from Debian's source package, twice: with musl-gcc for the
# static device binary, and with the host compiler for sanitizer builds,
# unit tests and fuzzers. Usage: bearssl.sh BUILD_DIR
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
build() { # name cc cflags
	if [ ! -f "$src/$1/libbearssl.a" ]; then
		make -s -C "$src" -j"$(nproc)" BUILD="$1" CC="$2" CFLAGS="$3" lib >/dev/null
	fi
}
build musl musl-gcc "-W -Wall -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
build native cc "-W -Wall -O2 -fPIC -g"
