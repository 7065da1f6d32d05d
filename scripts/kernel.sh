#!/bin/sh
# The boot rig's kernel: Debian's generic kernel for the board's
# architecture, resolved from the linux-image-ARCH metapackage (never a
# hard-coded version: old versions leave the mirror), fetched with apt-get
# download, unpacked with dpkg -x.
#
#   scripts/kernel.sh [BUILD [DEB_ARCH [METAPACKAGE]]]
#   DEB_ARCH: amd64 (default), arm64; METAPACKAGE: linux-image-DEB_ARCH (default)
#
# Result, under BUILD/kernel/ (idempotent: nothing is done when present):
#   vmlinuz          the kernel image; were it gzip-compressed (an arm64
#                    Image.gz), the raw image, which is what kexec_load and
#                    U-Boot's booti take
#   release          the kernel release (uname -r), one line
#   package          the Debian package it came from (name=version)
#   root/lib/modules/RELEASE/   the module tree, with modules.dep (depmod -b)
#   root/boot/config-RELEASE    the kernel configuration
# To move to a newer kernel: rm -rf BUILD/kernel and run again.
set -eu
BUILD=${1:-build}
arch=${2:-amd64}
meta=${3:-linux-image-$arch}
K=$BUILD/kernel

if [ -s "$K/vmlinuz" ] && [ -s "$K/release" ] &&
   [ -s "$K/root/lib/modules/$(cat "$K/release")/modules.dep" ]; then
	exit 0
fi

# The metapackage depends on exactly one versioned image package (apt
# names it PKG:ARCH when ARCH is not the build machine's).
[ "$arch" = "$(dpkg --print-architecture)" ] || meta=$meta:$arch
pkg=$(apt-cache depends "$meta" 2>/dev/null |
	sed -n "s/^ *Depends: \(linux-image-[0-9][^ :]*-$arch\)\(:$arch\)\{0,1\}\$/\1/p" | head -n1)
if [ -z "$pkg" ]; then
	echo "kernel: cannot resolve $meta (apt-get update? make deps)" >&2
	exit 1
fi
case $pkg in *cloud*|*rt-$arch*|*-16k-*) echo "kernel: unexpected flavour $pkg" >&2; exit 1;; esac
[ "$arch" = "$(dpkg --print-architecture)" ] || pkg=$pkg:$arch
ver=$(apt-cache show "$pkg" | sed -n 's/^Version: //p' | head -n1)
echo "  KERNEL  $pkg $ver"

rm -rf "$K"
mkdir -p "$K/debs"
(cd "$K/debs" && apt-get -o APT::Sandbox::User=root download -q "$pkg" >/dev/null)
deb=$(ls "$K"/debs/*.deb)
dpkg -x "$deb" "$K/root"

release=$(ls "$K/root/lib/modules" | head -n1)
[ -n "$release" ] && [ -f "$K/root/boot/vmlinuz-$release" ] || {
	echo "kernel: $deb has no vmlinuz/modules" >&2; exit 1; }
# The package ships no modules.dep & co.
depmod -b "$K/root" "$release"
if [ "$(head -c 2 "$K/root/boot/vmlinuz-$release" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
	gzip -dc "$K/root/boot/vmlinuz-$release" >"$K/vmlinuz.tmp"
else
	cp "$K/root/boot/vmlinuz-$release" "$K/vmlinuz.tmp"
fi
echo "$pkg=$ver" >"$K/package"
echo "$release" >"$K/release"
mv "$K/vmlinuz.tmp" "$K/vmlinuz"
echo "  KERNEL  $K/vmlinuz ($release)"
