#!/bin/sh
# BusyBox for the initramfs images: the static binary from Debian's
# busybox-static package for the board's architecture, fetched with apt-get
# download and unpacked with dpkg -x (nothing is installed on the build
# machine).
#
#   scripts/busybox.sh [BUILD [DEB_ARCH]]   -> BUILD/busybox/busybox, BUILD/busybox/package
#                                              (DEB_ARCH: amd64 (default), arm64)
# For another architecture than the build machine's, also
# BUILD/busybox/busybox.applets, its `busybox --list` (run under user-mode
# QEMU, qemu-user): initramfs/mkinitramfs.sh cannot run the binary itself.
# Idempotent: nothing is done when BUILD/busybox/busybox exists.
set -eu
BUILD=${1:-build}
arch=${2:-amd64}
B=$BUILD/busybox
[ -x "$B/busybox" ] && exit 0

pkg=busybox-static
[ "$arch" = "$(dpkg --print-architecture)" ] || pkg=$pkg:$arch
ver=$(apt-cache show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
[ -n "$ver" ] || { echo "busybox: $pkg unknown to apt (apt-get update? make deps)" >&2; exit 1; }
echo "  BUSYBOX $pkg $ver"
rm -rf "$B"
mkdir -p "$B/debs"
(cd "$B/debs" && apt-get -o APT::Sandbox::User=root download -q "$pkg" >/dev/null)
dpkg -x "$B"/debs/*.deb "$B/root"
file "$B/root/bin/busybox" | grep -q 'statically linked' || {
	echo "busybox: $B/root/bin/busybox is not static" >&2; exit 1; }
if [ "$pkg" != busybox-static ]; then
	case $arch in
	arm64) qemu=qemu-aarch64 ;;
	*) echo "busybox: no user-mode QEMU known for $arch" >&2; exit 1 ;;
	esac
	command -v $qemu >/dev/null || { echo "busybox: no $qemu (make deps: qemu-user)" >&2; exit 1; }
	$qemu "$B/root/bin/busybox" --list >"$B/busybox.applets.tmp"
	grep -qx sh "$B/busybox.applets.tmp" || { echo "busybox: $qemu busybox --list failed" >&2; exit 1; }
	mv "$B/busybox.applets.tmp" "$B/busybox.applets"
fi
echo "$pkg=$ver" >"$B/package"
cp "$B/root/bin/busybox" "$B/busybox.tmp"
mv "$B/busybox.tmp" "$B/busybox"
