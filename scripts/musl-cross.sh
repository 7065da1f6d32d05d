#!/bin/sh
# musl-gcc for another architecture: Debian's musl-dev for DEB_ARCH, fetched
# with apt-get download and unpacked with dpkg -x (nothing is installed),
# driven by Debian's GNU cross compiler (PREFIXgcc) through the specs file
# musl-dev ships, its paths moved to the unpacked tree. The same recipe as
# musl-tools' musl-gcc, which is for the build machine's own architecture.
#
#   scripts/musl-cross.sh BUILD DEB_ARCH PREFIX     e.g. BUILD arm64 aarch64-linux-gnu-
#
# Result, under BUILD/musl-cross/ (idempotent: nothing is done when present):
#   musl-gcc       the compiler driver (a shell wrapper, like musl-gcc)
#   musl-gcc.specs
#   package        the Debian package it came from (name=version)
#   root/usr/{include,lib}/TRIPLET/   musl's headers, crt files and libc.a
set -eu
[ $# = 3 ] || { echo "usage: $0 BUILD DEB_ARCH PREFIX" >&2; exit 2; }
BUILD=$1 arch=$2 prefix=$3
M=$BUILD/musl-cross
[ -x "$M/musl-gcc" ] && [ -s "$M/musl-gcc.specs" ] && exit 0

command -v "${prefix}gcc" >/dev/null ||
	{ echo "musl-cross: no ${prefix}gcc (make deps)" >&2; exit 1; }
ver=$(apt-cache show "musl-dev:$arch" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
[ -n "$ver" ] || { echo "musl-cross: musl-dev:$arch unknown to apt (make deps)" >&2; exit 1; }
echo "  MUSL    musl-dev:$arch $ver"
rm -rf "$M"
mkdir -p "$M/debs"
(cd "$M/debs" && apt-get -o APT::Sandbox::User=root download -q "musl-dev:$arch" >/dev/null)
dpkg -x "$M"/debs/musl-dev_*.deb "$M/root"
root=$(cd "$M/root" && pwd)
specs=$(ls "$root"/usr/lib/*-linux-musl/musl-gcc.specs)
triplet=$(basename "$(dirname "$specs")")
[ -f "$root/usr/lib/$triplet/libc.a" ] && [ -d "$root/usr/include/$triplet" ] ||
	{ echo "musl-cross: musl-dev:$arch has no libc.a or headers" >&2; exit 1; }
# musl-dev's specs name /usr/include/TRIPLET and /usr/lib/TRIPLET.
sed -e "s|/usr/include/$triplet|$root/usr/include/$triplet|g" \
	-e "s|/usr/lib/$triplet|$root/usr/lib/$triplet|g" "$specs" >"$M/musl-gcc.specs"
printf '#!/bin/sh\nexec %sgcc "$@" -specs "%s"\n' "$prefix" "$(cd "$M" && pwd)/musl-gcc.specs" >"$M/musl-gcc.tmp"
chmod 0755 "$M/musl-gcc.tmp"
echo "musl-dev:$arch=$ver" >"$M/package"
mv "$M/musl-gcc.tmp" "$M/musl-gcc"
