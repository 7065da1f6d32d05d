#!/bin/sh
# Board policies and media beyond the default: ext4 and ISO 9660 sticks, and a board
# that boots its installed system after N rounds without bootstrapping
# data (rounds-before-boot, a documented deviation from RFC 8572 5.2).
set -u
. tests/lib/device.sh
if ! make -s keys kernel initramfs newsystem disk >/dev/null 2>&1; then
	fail board-policy/build "make keys kernel initramfs newsystem disk"
	exit 0
fi
T=$BUILD/t/board-policy
rm -rf "$T"
mkdir -p "$T"
IMG=$BUILD/images/exampleos-2.0.img
printf 'hostname ext4-device\n' >"$T/conf"
sum=$(sha256sum "$T/conf" | cut -d' ' -f1)

# An ext4 stick without a partition table (mkfs.ext4 -d: no loop mount).
mkstick "$T/stick" SN-1001 --image "$IMG" --os-name ExampleOS --os-version 2.0 \
	--config "$T/conf" --config-handling replace
size=$(( $(du -sm "$T/stick" | cut -f1) + 32 ))
mkfs.ext4 -q -F -L STICK -d "$T/stick" "$T/ext4.img" "${size}M"
d=$T/ext4-disk.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1001 "$T/ext4.log" --usb "$T/ext4.img"
check "board-policy/ext4-stick: mounted and provisioned" sh -c \
	"grep -q 'removable storage /dev/sda mounted read-only' '$T/ext4.log' && grep -q 'exampleos: configuration-handling=replace sha256=$sum' '$T/ext4.log'"

# An ISO 9660 stick (Rock Ridge + Joliet keeps the names): a CD image
# written to a USB stick, as operators do.
genisoimage -quiet -R -J -V STICK -o "$T/stick.iso" "$T/stick"
d=$T/iso-disk.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1001 "$T/iso.log" --usb "$T/stick.iso"
check "board-policy/iso9660-stick: mounted and provisioned" sh -c \
	"grep -q 'removable storage /dev/sda mounted read-only' '$T/iso.log' && grep -q 'exampleos: configuration-handling=replace sha256=$sum' '$T/iso.log'"

# rounds-before-boot = 2: SZTP switched on again on a provisioned device,
# no stick: after two rounds the installed system boots.
sed 's/^rounds-before-boot = .*/rounds-before-boot = 2/; s/^retry-delay = .*/retry-delay = 1/' \
	board/qemu-x86_64/board.conf >"$T/board.conf"
grep -q '^rounds-before-boot = 2' "$T/board.conf" || fail board-policy/rounds "board.conf has no rounds-before-boot line"
SOURCE_DATE_EPOCH=0 sh initramfs/mkinitramfs.sh -o "$T/initrd.cpio.gz" -w "$T/initrd.d" \
	-k "$BUILD/kernel" -b "$BUILD/busybox/busybox" -i initramfs/init -m board/qemu-x86_64/modules \
	-f "$BUILD/sztpboot=/bin/sztpboot" -f "$T/board.conf=/etc/sztpboot/board.conf" \
	-f board/qemu-x86_64/fw_env.config=/etc/fw_env.config \
	-f "$KEYS/voucher-ta.pem=/etc/sztpboot/voucher-ta.pem" >/dev/null
env_set() { # DISK NAME=VALUE...
	disk=$1
	shift
	printf '%s %s %s\n%s %s %s\n' "$disk" "$ENV_OFFSET_1" "$ENV_SIZE" "$disk" "$ENV_OFFSET_2" "$ENV_SIZE" >"$disk.fwenv"
	"$BUILD/sztpboot" env -c "$disk.fwenv" set "$@"
}
# ext4-disk.img is provisioned now; switch SZTP on again.
env_set "$d" sztp_enabled=1 >/dev/null 2>&1
boot "$d" SN-1001 "$T/rounds.log" --initrd "$T/initrd.cpio.gz"
check "board-policy/rounds: provisioning ran first" log_has "$T/rounds.log" "round 1: no bootstrapping data"
check "board-policy/rounds: boots the installed system after 2 rounds" sh -c \
	"grep -q 'no source succeeded in 2 rounds: booting the installed system (board policy)' '$T/rounds.log' && grep -q 'exampleos: up' '$T/rounds.log'"
