#!/bin/sh
# Build the demo's new-system boot image (ExampleOS): a FAT32 file system
# image (no partition table; written as a whole into a slot partition)
# holding
#   /boot/vmlinuz      the kernel (the same Debian kernel as the rig's)
#   /boot/initrd.img   BusyBox, virtio/vfat/fw_cfg/virtio-net modules,
#                      sztpboot, the board files, newsystem/init, the network
#                      script, /etc/os-release
#   /boot/cmdline      the kernel command line, one line
#
#   newsystem/mkimage.sh -o OUT -n OS_NAME -v OS_VERSION [-b BUILD] [-s MiB]
#                        [-B BOARDDIR]
#
# BOARDDIR (default board/qemu-x86_64) gives the board files and, from its
# board.mk, the console. Needs BUILD/kernel (make kernel), BUILD/busybox
# (scripts/busybox.sh) and BUILD/sztpboot, all built for that board.
# Timestamps are SOURCE_DATE_EPOCH (default 0) and the volume serial is
# fixed, so equal inputs give equal bytes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out='' name='' version='' build=build size=40 board=$top/board/qemu-x86_64
while getopts o:n:v:b:s:B: opt; do
	case $opt in
	o) out=$OPTARG ;; n) name=$OPTARG ;; v) version=$OPTARG ;;
	b) build=$OPTARG ;; s) size=$OPTARG ;; B) board=$OPTARG ;; *) exit 2 ;;
	esac
done
[ -n "$out" ] && [ -n "$name" ] && [ -n "$version" ] || {
	echo "usage: $0 -o OUT -n OS_NAME -v OS_VERSION [-b BUILD] [-s MiB] [-B BOARDDIR]" >&2; exit 2; }
[ -f "$board/board.mk" ] || { echo "mkimage: no $board/board.mk" >&2; exit 2; }
BOARD_CONSOLE=
. "$board/board.mk"
[ -n "$BOARD_CONSOLE" ] || { echo "mkimage: $board/board.mk: no BOARD_CONSOLE" >&2; exit 2; }
case "$name$version" in *[!A-Za-z0-9._+-]*)
	echo "mkimage: OS_NAME/OS_VERSION: letters, digits, . _ + - only" >&2; exit 2 ;; esac

work=$build/newsystem/$version
rm -rf "$work"
mkdir -p "$work/boot"
epoch=${SOURCE_DATE_EPOCH:-0}
export SOURCE_DATE_EPOCH=$epoch

printf 'NAME=%s\nVERSION_ID=%s\nPRETTY_NAME="%s %s"\n' "$name" "$version" "$name" "$version" \
	>"$work/os-release"
# The NIC too (virtio-net; net_failover and failover come with it), for
# `sztpboot confirm`; mkinitramfs.sh adds the network script.
{ cat "$top/newsystem/modules"; echo virtio_net; } >"$work/modules"
# What `sztpboot confirm` reports with bootstrap-complete (board.conf
# ssh-host-key, trust-anchor-cert): the system's SSH host key and a CMS
# certs-only bundle of the trust anchor it would authenticate its manager
# with, both from the development PKI (make keys) when it is there.
extra=''
keys=${KEYS_DIR:-$build/keys}
if [ -f "$keys/exampleos/ssh_host_ed25519_key.pub" ]; then
	extra="$extra -f $keys/exampleos/ssh_host_ed25519_key.pub=/etc/ssh/ssh_host_ed25519_key.pub"
fi
if [ -f "$keys/server-ta.pem" ]; then
	openssl crl2pkcs7 -nocrl -certfile "$keys/server-ta.pem" -outform DER -out "$work/trust-anchor-cert.cms"
	extra="$extra -f $work/trust-anchor-cert.cms=/etc/sztpboot/trust-anchor-cert.cms"
fi
sh "$top/initramfs/mkinitramfs.sh" -o "$work/boot/initrd.img" -w "$work/initrd.d" \
	-k "$build/kernel" -b "$build/busybox/busybox" \
	-i "$top/newsystem/init" -m "$work/modules" \
	-f "$build/sztpboot=/bin/sztpboot" \
	-f "$board/board.conf=/etc/sztpboot/board.conf" \
	-f "$board/fw_env.config=/etc/fw_env.config" \
	-f "$work/os-release=/etc/os-release" $extra
cp "$build/kernel/vmlinuz" "$work/boot/vmlinuz"
echo "console=$BOARD_CONSOLE loglevel=4" >"$work/boot/cmdline"
find "$work/boot" -exec touch -h -d "@$epoch" {} +

need=$(( ($(du -sb "$work/boot" | cut -f1) + 4 * 1048576 + 1048575) / 1048576 ))
[ "$size" -ge "$need" ] || size=$need
[ "$size" -ge 34 ] || size=34 # FAT32 with 512-byte clusters: >= 65525 clusters
img=$work/image.tmp
rm -f "$img"
truncate -s "${size}M" "$img"
export MTOOLS_SKIP_CHECK=1
mformat -i "$img" -F -c 1 -T $((size * 2048)) -h 64 -s 32 -v EXAMPLEOS -N 5a7b0200 ::
mcopy -s -m -Q -i "$img" "$work/boot" ::/
mkdir -p "$(dirname "$out")"
mv "$img" "$out"
echo "  IMAGE   $out ($name $version, ${size} MiB, sha256 $(sha256sum "$out" | cut -d' ' -f1))"
