#!/bin/sh
# The boot rig: kernel, initramfs images, system disk and USB stick images,
# qemu/run. Builds with the Makefile (make keys kernel initramfs newsystem
# disk), checks the images on the host, then boots under QEMU (TCG):
#  - the provisioning initramfs with disk + cold-plugged stick, in the
#    rig self-test mode (sztp.debug=rig): marker line, virtio partitions,
#    /dev/sda + sda1, fw_cfg IDevID files, SMBIOS serial, stick contents;
#  - the same with a superfloppy stick hot-plugged while the guest waits;
#  - the new-system image (its kernel, initrd and cmdline, booted directly:
#    the kexec path needs `sztpboot run`) with a configuration on the data
#    partition;
#  - qemu/run's own guards: timeout (124) and kernel panic (1).
set -u
B=${BUILD:-build}
T=$B/t/rig
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }
rm -rf "$T"
mkdir -p "$T"
MAKE=${MAKE:-make}
export MTOOLS_SKIP_CHECK=1
. board/qemu-x86_64/layout

# --- build ---------------------------------------------------------------
t0=$(date +%s)
if ! $MAKE --no-print-directory BUILD="$B" keys >"$T/make-keys.log" 2>&1; then
	fail "rig: make keys" "$(tail -3 "$T/make-keys.log" | tr '\n' ' ')"
fi
if $MAKE --no-print-directory BUILD="$B" kernel initramfs newsystem disk >"$T/make.log" 2>&1; then
	ok "rig: make kernel initramfs newsystem disk ($(( $(date +%s) - t0 )) s)"
else
	fail "rig: make kernel initramfs newsystem disk" "$(tail -5 "$T/make.log" | tr '\n' ' ')"
	exit 0
fi
INITRD=$B/initramfs-provision.cpio.gz
IMG=$B/images/exampleos-2.0.img
DISK=$B/images/factory-disk.img

# --- host checks -----------------------------------------------------------
rel=$(cat "$B/kernel/release")
if [ -s "$B/kernel/vmlinuz" ] && [ -s "$B/kernel/root/lib/modules/$rel/modules.dep" ]; then
	ok "rig: kernel $rel with modules.dep"
else
	fail "rig: kernel" "no vmlinuz or modules.dep"
fi

gzip -dc "$INITRD" | (cd "$T" && mkdir -p cpio && cd cpio && cpio -id --quiet 2>/dev/null)
missing=
for f in init bin/busybox bin/sh bin/sztpboot etc/sztpboot/board.conf etc/fw_env.config \
	etc/sztpboot/voucher-ta.pem etc/modules.load etc/kernel-release; do
	[ -e "$T/cpio/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "rig: initramfs holds init, busybox, sztpboot, board files"
else fail "rig: initramfs contents" "missing$missing"; fi
nmods=0 badmods=''
while read -r p _; do
	nmods=$((nmods + 1))
	[ -f "$T/cpio/lib/modules/$rel/$p" ] || badmods="$badmods $p"
done <"$T/cpio/etc/modules.load"
for m in virtio_blk xhci-pci usb-storage uas sd_mod vfat nls_ascii nls_cp437 qemu_fw_cfg; do
	grep -q "/$m\.ko" "$T/cpio/etc/modules.load" || badmods="$badmods $m"
done
if [ -z "$badmods" ] && [ $nmods -gt 0 ]; then ok "rig: initramfs modules ($nmods, dependencies first)"
else fail "rig: initramfs modules" "missing$badmods"; fi
if cmp -s "$T/cpio/bin/sztpboot" "$B/sztpboot"; then ok "rig: initramfs has the current sztpboot"
else fail "rig: initramfs sztpboot" "differs from $B/sztpboot"; fi

parts=$(sfdisk -d "$DISK" 2>/dev/null | grep -c 'type=c')
mib=2048
if [ "$parts" = 3 ] && sfdisk -d "$DISK" | grep -q "start= *$((SLOT_A_START_MIB * mib)), size= *$((SLOT_A_SIZE_MIB * mib))" &&
   sfdisk -d "$DISK" | grep -q "start= *$((DATA_START_MIB * mib)), size= *$((DATA_SIZE_MIB * mib))" &&
   mdir -i "$DISK@@$((DATA_START_MIB * 1048576))" :: >/dev/null 2>&1; then
	ok "rig: factory disk: 3 partitions as in layout, FAT32 data"
else
	fail "rig: factory disk layout" "$(sfdisk -d "$DISK" 2>&1 | tail -3 | tr '\n' ' ')"
fi
printf '%s %s %s\n%s %s %s\n' "$DISK" "$ENV_OFFSET_1" "$ENV_SIZE" "$DISK" "$ENV_OFFSET_2" "$ENV_SIZE" >"$T/fw_env.config"
if command -v fw_printenv >/dev/null; then
	if fw_printenv -c "$T/fw_env.config" 2>/dev/null | grep -q '^sztp_state='; then
		ok "rig: factory disk environment readable (fw_printenv)"
	else
		fail "rig: factory disk environment" "fw_printenv: $(fw_printenv -c "$T/fw_env.config" 2>&1 | head -1)"
	fi
fi
if [ "$(mtype -i "$IMG" ::/boot/cmdline 2>/dev/null)" = "console=ttyS0 loglevel=4" ] &&
   mdir -i "$IMG" ::/boot/vmlinuz >/dev/null 2>&1 && mdir -i "$IMG" ::/boot/initrd.img >/dev/null 2>&1; then
	ok "rig: new-system image has /boot/vmlinuz, initrd.img, cmdline"
else
	fail "rig: new-system image" "$(mdir -/ -i "$IMG" :: 2>&1 | head -3 | tr '\n' ' ')"
fi

mkdir -p "$T/stick/example-oem/SN-1001/bootstrapping-data"
echo rig >"$T/stick/example-oem/SN-1001/bootstrapping-data/conveyed-information.cms"
if qemu/mkusb "$T/stick" "$T/usb.img" && [ "$(sfdisk -d "$T/usb.img" | grep -c 'start=')" = 1 ] &&
   qemu/mkusb --superfloppy "$T/stick" "$T/usbsf.img" && [ "$(sfdisk -d "$T/usbsf.img" | grep -c 'start=')" = 0 ] &&
   mdir -i "$T/usbsf.img" ::/example-oem >/dev/null 2>&1; then
	ok "rig: mkusb (partitioned and superfloppy)"
else
	fail "rig: mkusb" "bad images"
fi

# --- QEMU boots ------------------------------------------------------------
keys=$B/keys/devices/SN-1001
if [ -f "$keys/idevid.pem" ]; then cert=$keys/idevid.pem key=$keys/idevid.key
else cert=$T/stick/example-oem/SN-1001/bootstrapping-data/conveyed-information.cms key=$cert; fi
boot() { # NAME ARGS...: qemu/run; sets rc, secs; console in $T/NAME.log
	n=$1; shift
	s=$(date +%s%N)
	qemu/run --quiet --serial-log "$T/$n.log" "$@" >"$T/$n.out" 2>&1
	rc=$?
	tr -d '\r' <"$T/$n.log" >"$T/$n.tmp" && mv "$T/$n.tmp" "$T/$n.log"
	secs=$(( ($(date +%s%N) - s) / 100000000 ))
	secs="$((secs / 10)).$((secs % 10))"
}
has() { grep -q "$2" "$T/$1.log"; }

cp "$DISK" "$T/disk.img"
boot cold --disk "$T/disk.img" --usb "$T/usb.img" --smbios-serial SN-1001 \
	--idevid-cert "$cert" --idevid-key "$key" --timeout 60 \
	--append-extra "sztp.debug=rig sztp.wait=sda1:15"
marker=$(grep '^sztpboot-init: ready' "$T/cold.log")
if [ $rc = 0 ] && [ -n "$marker" ] && has cold '^rig: done'; then
	ok "rig: provisioning initramfs boots to the marker (${secs} s: $marker)"
else
	fail "rig: provisioning boot" "exit $rc; $(tail -5 "$T/cold.log" "$T/cold.out" | tr '\n' ' ')"
fi
if has cold '^rig: block .*vda1 vda2 vda3'; then ok "rig: guest sees /dev/vda1..3"
else fail "rig: guest disk" "$(grep '^rig: block' "$T/cold.log")"; fi
if has cold '^rig: dev /dev/sda size=' && has cold '^rig: dev /dev/sda1 .*ro=1' &&
   has cold '^rig: mount /dev/sda1 vfat: .*example-oem/SN-1001/bootstrapping-data/conveyed-information.cms'; then
	ok "rig: guest sees the USB stick (/dev/sda, sda1 read-only, FAT readable)"
else fail "rig: guest USB" "$(grep -E '^rig: (block|mount)' "$T/cold.log" | tr '\n' ' ')"; fi
if has cold "^rig: fw_cfg opt/org.sztpboot/idevid-cert size=.* sha256=$(sha256sum <"$cert" | cut -d' ' -f1)" &&
   has cold "^rig: fw_cfg opt/org.sztpboot/idevid-key size=.* sha256=$(sha256sum <"$key" | cut -d' ' -f1)"; then
	ok "rig: fw_cfg IDevID cert and key readable in the guest"
else fail "rig: fw_cfg" "$(grep '^rig: fw_cfg' "$T/cold.log" | tr '\n' ' ')"; fi
if has cold '^rig: serial=SN-1001$'; then ok "rig: SMBIOS serial in /sys/class/dmi/id/product_serial"
else fail "rig: serial" "$(grep '^rig: serial' "$T/cold.log")"; fi
if has cold '^rig: env sztp_state='; then ok "rig: guest reads the U-Boot environment (sztpboot env)"
elif has cold "^rig: env unreadable: .*unknown command"; then skip "rig: guest environment" "no sztpboot env yet"
else fail "rig: guest environment" "$(grep '^rig: env' "$T/cold.log" | head -3 | tr '\n' ' ')"; fi

boot hot --disk "$T/disk.img" --hotplug-usb "$T/usbsf.img" --hotplug-after 8 --timeout 60 \
	--append-extra "sztp.debug=rig sztp.wait=sda:30"
if [ $rc = 0 ] && has hot '^rig: dev /dev/sda size=' && ! has hot '/dev/sda1' &&
   has hot '^rig: mount /dev/sda vfat: .*conveyed-information.cms'; then
	ok "rig: hot-plugged superfloppy stick appears as /dev/sda (${secs} s)"
else fail "rig: hot-plug" "exit $rc; $(grep -E '^(rig: (block|mount)|sztpboot-init)' "$T/hot.log" | tr '\n' ' ')"; fi

# The new-system image, booted directly from its files.
cp "$DISK" "$T/disk2.img"
off=$((DATA_START_MIB * 1048576))
printf 'interface eth0\n' >"$T/configuration"
echo merge >"$T/configuration-handling"
mmd -i "$T/disk2.img@@$off" ::/rigcfg &&
	mcopy -i "$T/disk2.img@@$off" "$T/configuration" "$T/configuration-handling" ::/rigcfg/
mcopy -n -i "$IMG" ::/boot/vmlinuz ::/boot/initrd.img ::/boot/cmdline "$T/"
boot newsys --disk "$T/disk2.img" --kernel "$T/vmlinuz" --initrd "$T/initrd.img" \
	--append "$(cat "$T/cmdline") sztp.config=rigcfg" --timeout 60
sum=$(sha256sum <"$T/configuration" | cut -d' ' -f1)
if [ $rc = 0 ] && has newsys '^exampleos: os-name=ExampleOS os-version=2.0' &&
   has newsys "^exampleos: configuration-handling=merge sha256=$sum" &&
   has newsys '^exampleos: confirm exit=' && has newsys '^exampleos: up'; then
	ok "rig: new-system image boots, reads its configuration (${secs} s)"
else fail "rig: new-system boot" "exit $rc; $(grep -E 'exampleos' "$T/newsys.log" | tr '\n' ' ')"; fi

# qemu/run guards: -S freezes the CPU, so only the timeout ends it.
boot timeout --timeout 3 -- -S
if [ $rc = 124 ]; then ok "rig: qemu/run --timeout stops QEMU, exit 124 (${secs} s)"
else fail "rig: qemu/run --timeout" "exit $rc"; fi
boot stall --stall 2 --timeout 30 -- -S
if [ $rc = 124 ] && grep -q 'no console output' "$T/stall.out"; then
	ok "rig: qemu/run --stall stops a silent QEMU, exit 124 (${secs} s)"
else fail "rig: qemu/run --stall" "exit $rc; $(cat "$T/stall.out")"; fi
printf 'not a cpio archive' >"$T/bad.img"
boot panic --initrd "$T/bad.img" --timeout 60
if [ $rc = 1 ] && has panic 'Kernel panic'; then ok "rig: qemu/run sees a guest kernel panic, exit 1 (${secs} s)"
else fail "rig: qemu/run panic" "exit $rc; $(tail -3 "$T/panic.log" | tr '\n' ' ')"; fi
