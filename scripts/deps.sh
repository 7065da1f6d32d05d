#!/bin/sh
# Install what the build and tests need, from Debian packages, by name.
# Idempotent: installs only what is missing; runs apt-get update only when it must.
set -eu

PKGS="make gcc clang libclang-rt-14-dev musl-tools openssl file dpkg-dev xxd u-boot-tools libubootenv-tool qemu-system-x86 cpio kmod mtools fdisk socat time u-boot-qemu e2fsprogs genisoimage dnsmasq-base libyang2-tools python3 iproute2 curl device-tree-compiler"
# Board qemu-aarch64: the cross compiler (musl itself is fetched for arm64 by
# scripts/musl-cross.sh), the QEMU machine, and user-mode QEMU, which lists
# the arm64 BusyBox's applets at build time and runs the arm64 binary in tests.
PKGS="$PKGS gcc-aarch64-linux-gnu qemu-system-arm qemu-user"
# U-Boot built from Debian's source package (scripts/u-boot.sh): what its
# build needs (the package's Build-Depends for the qemu targets).
PKGS="$PKGS bc bison flex swig python3-dev python3-setuptools python3-libfdt python3-pyelftools libssl-dev libgnutls28-dev uuid-dev"
[ -n "${SZTP_EXTRA_PKGS:-}" ] && PKGS="$PKGS $SZTP_EXTRA_PKGS"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done

updated=0
apt_update() { [ $updated = 1 ] || { as_root apt-get update -qq; updated=1; }; }

# arm64 packages (musl, the kernel, busybox-static for board qemu-aarch64)
# are fetched with apt-get download and unpacked, never installed: apt only
# needs to know the architecture to list them.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	as_root dpkg --add-architecture arm64
fi
if ! apt-cache show musl:arm64 >/dev/null 2>&1; then
	apt_update
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# A deb-src entry for source packages (BearSSL, later BusyBox/U-Boot),
# derived from apt's own configuration: same mirror, same suites.
srcfile=/etc/apt/sources.list.d/sztpboot-deb-src.sources
if [ ! -f "$srcfile" ]; then
	tmp=$(mktemp)
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -n 's/^Types:.*\bdeb\b.*$/Types: deb-src/; p' /etc/apt/sources.list.d/debian.sources >"$tmp"
	fi
	if [ -f /etc/apt/sources.list ]; then
		# one-line format: "deb URI suite comps" -> deb822 stanza
		grep -E '^deb[[:space:]]' /etc/apt/sources.list | while read -r _ uri suite comps; do
			printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n\n' "$uri" "$suite" "$comps"
		done >>"$tmp"
	fi
	if grep -q '^Types: deb-src' "$tmp"; then
		as_root install -m 0644 "$tmp" "$srcfile"
		updated=0
	fi
	rm -f "$tmp"
fi

# apt-get source needs the deb-src index.
if ! apt-cache showsrc bearssl 2>/dev/null | grep -q '^Package: bearssl'; then
	updated=0
	apt_update
fi
