#!/bin/sh
# Board qemu-aarch64 (QEMU virt, Debian's arm64 kernel and busybox-static,
# the device binary cross-built against Debian's musl for arm64):
#  - make BOARD=qemu-aarch64 builds everything in its own directory
#    ($BUILD/qemu-aarch64; AARCH64_BUILD=DIR chooses another);
#  - the binary is a static, stripped aarch64 ELF that runs under
#    user-mode QEMU; the kernel is a raw Image; the slot image fits;
#  - the provisioning initramfs sees the board (sztp.debug=rig): virtio
#    disk, USB stick, fw_cfg (serial number, IDevID), the environment;
#  - first boot from a USB stick: serial number from fw_cfg, bootstrapping
#    data validated, the image streamed into slot a, the trial written;
#    then kexec into slot a (the Debian arm64 kernel has no kexec_file_load:
#    sztpboot's own kexec_load, src/kexec_arm64.c), where the new system
#    confirms, and a cold boot goes straight to it;
#  - through the board's U-Boot (make BOARD=qemu-aarch64 uboot-disk): the
#    same first boot from power-on, U-Boot counting a trial attempt in a
#    copy byte for byte fw_setenv's, and a cold boot to the new system.
set -u
A=${AARCH64_BUILD:-${BUILD:-build}/qemu-aarch64}
BUILD=$A
. tests/lib/device.sh
command -v skip >/dev/null 2>&1 || skip() { echo "skip $1: $2"; }
T=$A/t/aarch64
rm -rf "$T"
mkdir -p "$T"
MAKE=${MAKE:-make}

# --- build -----------------------------------------------------------------
# keys first: the images need them, and -j2 would not wait for them.
t0=$(date +%s)
if $MAKE --no-print-directory BOARD=qemu-aarch64 BUILD="$A" keys >"$T/make.log" 2>&1 &&
   $MAKE --no-print-directory -j2 BOARD=qemu-aarch64 BUILD="$A" \
	all kernel initramfs newsystem disk >>"$T/make.log" 2>&1; then
	ok "aarch64: make BOARD=qemu-aarch64 all keys kernel initramfs newsystem disk ($(( $(date +%s) - t0 )) s)"
else
	fail "aarch64: make BOARD=qemu-aarch64" "$(tail -5 "$T/make.log" | tr '\n' ' ')"
	exit 0
fi
SZ=$A/sztpboot
IMG=$A/images/exampleos-2.0.img
DISK=$A/images/factory-disk.img
INITRD=$A/initramfs-provision.cpio.gz

# --- host checks -------------------------------------------------------------
info=$(file -b "$SZ")
case $info in
"ELF 64-bit LSB executable, ARM aarch64"*"statically linked"*stripped*)
	ok "aarch64: sztpboot is a static, stripped aarch64 ELF ($(stat -c %s "$SZ") bytes)" ;;
*) fail "aarch64: sztpboot is a static aarch64 ELF" "$info" ;;
esac
if command -v qemu-aarch64 >/dev/null; then
	if qemu-aarch64 "$SZ" --version | grep -q '^sztpboot [0-9]' &&
	   qemu-aarch64 "$SZ" --help | grep -q verify; then
		ok "aarch64: sztpboot --version and --help under user-mode QEMU"
	else
		fail "aarch64: sztpboot under user-mode QEMU" "$(qemu-aarch64 "$SZ" --version 2>&1 | head -1)"
	fi
else
	skip "aarch64: sztpboot under user-mode QEMU" "no qemu-aarch64 (make deps: qemu-user)"
fi
check "aarch64: the kernel is a raw arm64 Image (what kexec_load and booti take)" \
	sh -c "file -b '$A/kernel/vmlinuz' | grep -q '^Linux kernel ARM64 boot executable Image'"
mkdir -p "$T/cpio"
gzip -dc "$INITRD" | (cd "$T/cpio" && cpio -id --quiet 2>/dev/null)
if cmp -s "$T/cpio/bin/sztpboot" "$SZ" && file -b "$T/cpio/bin/busybox" | grep -q 'ARM aarch64' &&
   [ -L "$T/cpio/bin/sh" ] && grep -q '^hw-model = qemu-aarch64$' "$T/cpio/etc/sztpboot/board.conf"; then
	ok "aarch64: initramfs holds the arm64 sztpboot and busybox and the board's files"
else
	fail "aarch64: initramfs contents" "$(file -b "$T/cpio/bin/busybox")"
fi
size=$(stat -c %s "$IMG")
if [ "$(mtype -i "$IMG" ::/boot/cmdline 2>/dev/null)" = "console=ttyAMA0 loglevel=4" ] &&
   [ "$size" -le $((SLOT_A_SIZE_MIB * 1048576)) ]; then
	ok "aarch64: new-system image: console ttyAMA0, $((size / 1048576)) MiB fits the ${SLOT_A_SIZE_MIB} MiB slot"
else
	fail "aarch64: new-system image" "cmdline '$(mtype -i "$IMG" ::/boot/cmdline 2>&1)', $size bytes"
fi

# --- QEMU boots --------------------------------------------------------------
# run NAME DISK SERIAL [qemu/run options]: boot() of tests/lib/device.sh on
# this board; exit status in $rc, console in $T/NAME.log (no CRs), time in $secs.
run() {
	n=$1 d=$2 sn=$3
	shift 3
	s=$(date +%s%N)
	boot "$d" "$sn" "$T/$n.log" --board qemu-aarch64 "$@" >"$T/$n.out" 2>&1
	rc=$?
	tr -d '\r' <"$T/$n.log" >"$T/$n.tmp" && mv "$T/$n.tmp" "$T/$n.log"
	secs=$(( ($(date +%s%N) - s) / 100000000 ))
	secs="$((secs / 10)).$((secs % 10))"
}
has() { grep -qE -- "$2" "$T/$1.log"; }

# The board as the provisioning system sees it.
mkdir -p "$T/rigstick/example-oem/SN-1001/bootstrapping-data"
echo rig >"$T/rigstick/example-oem/SN-1001/bootstrapping-data/conveyed-information.cms"
qemu/mkusb "$T/rigstick" "$T/rigstick.img" >/dev/null
cp "$DISK" "$T/rig.img"
run rig "$T/rig.img" SN-1001 --usb "$T/rigstick.img" --timeout 90 \
	--append-extra "sztp.debug=rig sztp.wait=sda1:15"
marker=$(grep '^sztpboot-init: ready' "$T/rig.log")
if [ $rc = 0 ] && [ -n "$marker" ] && has rig '^rig: done'; then
	ok "aarch64: provisioning initramfs boots to the marker (${secs} s: $marker)"
else
	fail "aarch64: provisioning boot" "exit $rc; $(tail -3 "$T/rig.log" "$T/rig.out" | tr '\n' ' ')"
fi
check "aarch64: guest sees /dev/vda1..3 and the stick's /dev/sda1 (FAT readable)" sh -c \
	"grep -q '^rig: block .*vda1 vda2 vda3' '$T/rig.log' && grep -q '^rig: mount /dev/sda1 vfat: .*conveyed-information.cms' '$T/rig.log'"
cert=$KEYS/devices/SN-1001/idevid.pem
check "aarch64: fw_cfg (device tree) holds the serial number and the IDevID" sh -c \
	"grep -q '^rig: fw_cfg opt/org.sztpboot/serial size=7 ' '$T/rig.log' && grep -q '^rig: fw_cfg opt/org.sztpboot/idevid-cert size=.* sha256=$(sha256sum <"$cert" | cut -d' ' -f1)' '$T/rig.log'"
check "aarch64: guest reads the U-Boot environment" log_has "$T/rig.log" '^rig: env sztp_state=unprovisioned'

# First boot from a USB stick.
printf 'hostname arm-one\n' >"$T/conf1"
sum1=$(sha256sum "$T/conf1" | cut -d' ' -f1)
mkstick "$T/good" SN-1001 --image "$IMG" --os-name ExampleOS --os-version 2.0 \
	--config-handling merge --config "$T/conf1"
qemu/mkusb "$T/good" "$T/good.img" >/dev/null
d=$T/first.img
cp "$DISK" "$d"
# A kexec that works ends in the new system's power-off; one that fails
# sends sztpboot into its next round.
run first "$d" SN-1001 --usb "$T/good.img" --timeout 240 --until 'round 1: no bootstrapping data'
check "aarch64/firstboot: serial number from fw_cfg" log_has "$T/first.log" \
	'provisioning: serial number SN-1001 \(from /sys/firmware/qemu_fw_cfg/by_name/opt/org.sztpboot/serial/raw\)'
check "aarch64/firstboot: bootstrapping data validated" log_has "$T/first.log" \
	'/dev/sda1: onboarding-information validated \(trusted\)'
check "aarch64/firstboot: image streamed into slot a, hash compared" sh -c \
	"grep -q 'boot image: $size bytes written to /dev/vda1 and synced' '$T/first.log' && grep -Eq 'boot image: sha-256 ([0-9a-f]{64}), image-verification \\1' '$T/first.log'"
check "aarch64/firstboot: slot a holds the image" test "$(slot_bytes "$d" a)" = \
	"$( (cat "$IMG"; head -c $((SLOT_A_SIZE_MIB * 1048576 - size)) /dev/zero) | sha256sum | cut -d' ' -f1)"
# On disk: the trial, or after a confirm the slot it made active.
st=$(env_get "$d" sztp_state)/$(env_get "$d" sztp_trial_slot)/$(env_get "$d" sztp_active_slot)
if has first 'sztpboot: trial: slot a, configuration 1' &&
   { [ "$st" = trial/a/none ] || [ "$st" = provisioned//a ]; }; then
	ok "aarch64/firstboot: trial written: slot a (${secs} s)"
else
	fail "aarch64/firstboot: trial written" "$(grep -E '^sztpboot' "$T/first.log" | tail -2 | tr '\n' ' ')"
fi
check "aarch64/firstboot: kexec into slot a with the board's console" log_has "$T/first.log" \
	'booting slot a: console=ttyAMA0 loglevel=4 sztp.slot=a sztp.config=sztp/config/1'
check "aarch64/firstboot: kexec_file_load is missing, sztpboot's kexec_load loads the slot" log_has "$T/first.log" \
	'kexec: loaded /run/sztpboot/boot-a/boot/vmlinuz \([0-9]+ bytes\), initrd \([0-9]+ bytes\) via kexec_load'
if has first 'exampleos: up'; then
	if has first "exampleos: configuration-handling=merge sha256=$sum1" &&
	   has first 'sztpboot: confirmed: slot a is active, configuration 1 committed' &&
	   [ "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_active_slot)" = provisioned/a ]; then
		ok "aarch64/firstboot: the new system comes up, confirms (${secs} s)"
	else
		fail "aarch64/firstboot: the new system confirms" "see $T/first.log"
	fi
	run cold "$d" SN-1001 --timeout 120
	if has cold "exampleos: configuration-handling=merge sha256=$sum1" && has cold 'exampleos: up' &&
	   ! has cold 'provisioning:'; then
		ok "aarch64/firstboot: cold boot goes straight to the new system (${secs} s)"
	else
		fail "aarch64/firstboot: cold boot" "see $T/cold.log"
	fi
else
	fail "aarch64/firstboot: the new system comes up" "exit $rc; $(grep -E 'sztpboot|exampleos|panic' "$T/first.log" | tail -3 | tr '\n' ' ')"
fi

# --- through U-Boot ------------------------------------------------------------
if ! $MAKE --no-print-directory BOARD=qemu-aarch64 BUILD="$A" uboot-disk >>"$T/make.log" 2>&1; then
	fail "aarch64/u-boot: make BOARD=qemu-aarch64 uboot-disk" "$(tail -5 "$T/make.log" | tr '\n' ' ')"
	exit 0
fi
FW=$A/u-boot/u-boot.bin
UDISK=$A/images/uboot-disk.img
# 1. Power-on, factory disk, the good stick: U-Boot -> provisioning system
# -> slot a (kexec_load) -> confirm; then a cold boot through U-Boot.
d=$T/ub.img
cp "$UDISK" "$d"
run ub1 "$d" SN-1001 --bios "$FW" --usb "$T/good.img" --timeout 240 \
	--until 'exampleos: up|sztp-boot: FAILED|refusing|onboarding failed'
check "aarch64/u-boot: U-Boot runs the boot script, which boots the provisioning system" \
	sh -c "grep -q '^sztp-boot: boot script for qemu-aarch64' '$T/ub1.log' && grep -q 'booting the provisioning system' '$T/ub1.log'"
check "aarch64/u-boot: first boot provisions and confirms (${secs} s)" \
	sh -c "grep -q 'via kexec_load' '$T/ub1.log' && grep -q 'sztpboot: confirmed: slot a is active, configuration 1 committed' '$T/ub1.log'"
run ub2 "$d" SN-1001 --bios "$FW" --timeout 120 --until 'exampleos: up|sztp-boot: FAILED'
check "aarch64/u-boot: cold boot: U-Boot boots slot a itself with booti (${secs} s)" \
	sh -c "grep -q 'sztp-boot: provisioned: booting slot a' '$T/ub2.log' && grep -q 'exampleos: configuration-handling=merge sha256=$sum1' '$T/ub2.log' && ! grep -q 'sztpboot-init: ready' '$T/ub2.log'"
# 2. A trial counted by U-Boot: the copy it writes is fw_setenv's, byte for byte.
d=$T/ubt.img
cp "$UDISK" "$d"
dd if="$IMG" of="$d" bs=1M seek="$SLOT_A_START_MIB" conv=notrunc status=none
# (the arm64 sztpboot, under user-mode QEMU, writes the trial: one write)
qemu-aarch64 "$SZ" env -c "$(fwcfg "$d")" -q set sztp_state=trial sztp_trial_slot=a sztp_trial_attempts=2 >/dev/null 2>&1
cp "$d" "$T/ubt-base.img"
cp "$d" "$T/ubt-fw.img"
fw_setenv -c "$(fwcfg "$T/ubt-fw.img")" sztp_trial_attempts 1 >/dev/null 2>&1
run ubt0 "$d" SN-1001 --bios "$FW" --timeout 60 --until 'sztp-boot: trial: copy . written|sztp-boot: FAILED'
check "aarch64/u-boot: U-Boot counts the trial attempt (2 -> 1) into the inactive copy" \
	log_has "$T/ubt0.log" '^sztp-boot: trial: slot a, 1 attempts left after this one: writing copy 0$'
check "aarch64/u-boot: U-Boot's copy is byte for byte fw_setenv's" test "$(env_bytes "$d")" = "$(env_bytes "$T/ubt-fw.img")"
run ubt "$d" SN-1001 --bios "$FW" --timeout 120 --until 'exampleos: up|sztp-boot: FAILED'
check "aarch64/u-boot: next power-up: 1 -> 0, slot a booted by U-Boot, confirmed" \
	sh -c "grep -q 'sztp-boot: trial: slot a, 0 attempts left after this one: writing copy 1' '$T/ubt.log' && grep -q 'sztpboot: confirmed: slot a is active' '$T/ubt.log'"
