#!/bin/sh
# The boot rig's kernel: Debian's generic amd64 kernel, resolved from the
# linux-image-amd64 metapackage (never a hard-coded version: old versions
# leave the mirror), fetched with apt-get download, unpacked with dpkg -x.
#
#   scripts/kernel.sh [BUILD]
#
# Result, under BUILD/kernel/ (idempotent: nothing is done when present):
#   vmlinuz          the kernel image
#   release          the kernel release (uname -r), one line
#   package          the Debian package it came from (name=version)
#   root/lib/modules/RELEASE/   the module tree, with modules.dep (depmod -b)
#   root/boot/config-RELEASE    the kernel configuration
# To move to a newer kernel: rm -rf BUILD/kernel and run again.
set -eu
BUILD=${1:-build}
K=$BUILD/kernel

if [ -s "$K/vmlinuz" ] && [ -s "$K/release" ] &&
   [ -s "$K/root/lib/modules/$(cat "$K/release")/modules.dep" ]; then
	exit 0
fi

# linux-image-amd64 depends on exactly one versioned image package.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1)
if [ -z "$pkg" ]; then
	echo "kernel: cannot resolve linux-image-amd64 (apt-get update?)" >&2
	exit 1
fi
case $pkg in *cloud*|*rt-amd64*) echo "kernel: unexpected flavour $pkg" >&2; exit 1;; esac
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
cp "$K/root/boot/vmlinuz-$release" "$K/vmlinuz.tmp"
echo "$pkg=$ver" >"$K/package"
echo "$release" >"$K/release"
mv "$K/vmlinuz.tmp" "$K/vmlinuz"
echo "  KERNEL  $K/vmlinuz ($release)"
