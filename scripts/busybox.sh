#!/bin/sh
# BusyBox for the initramfs images: the static binary from Debian's
# busybox-static package, fetched with apt-get download and unpacked with
# dpkg -x (nothing is installed on the build machine).
#
#   scripts/busybox.sh [BUILD]     -> BUILD/busybox/busybox, BUILD/busybox/package
# Idempotent: nothing is done when BUILD/busybox/busybox exists.
set -eu
BUILD=${1:-build}
B=$BUILD/busybox
[ -x "$B/busybox" ] && exit 0

ver=$(apt-cache show busybox-static 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
[ -n "$ver" ] || { echo "busybox: busybox-static unknown to apt (apt-get update?)" >&2; exit 1; }
echo "  BUSYBOX busybox-static $ver"
rm -rf "$B"
mkdir -p "$B/debs"
(cd "$B/debs" && apt-get -o APT::Sandbox::User=root download -q busybox-static >/dev/null)
dpkg -x "$B"/debs/*.deb "$B/root"
file "$B/root/bin/busybox" | grep -q 'statically linked' || {
	echo "busybox: $B/root/bin/busybox is not static" >&2; exit 1; }
echo "busybox-static=$ver" >"$B/package"
cp "$B/root/bin/busybox" "$B/busybox.tmp"
mv "$B/busybox.tmp" "$B/busybox"
