#!/bin/sh
# U-Boot and our environment on qemu-x86_64 (uboot-env/README.md, "U-Boot"):
# Debian's prebuilt qemu-x86 u-boot.rom as firmware, boot.scr on the data
# partition. (a) the boot script reads what `sztpboot env set` and
# `fw_setenv` wrote, picks the current redundant copy (flags, wrap, CRC);
# (b) a trial slot goes through the provisioning initramfs to a confirmed
# new system, and the provisioned disk then boots straight from U-Boot to
# `exampleos: up`. (c) the serial number's second source (fw_cfg), and the
# whole first boot through U-Boot: factory disk and a good stick ->
# provisioning system -> install -> kexec -> confirm; then a cold boot goes
# straight from U-Boot to the new system. Today Linux sees no fw_cfg under
# U-Boot, so that chain stops at "refusing to provision" and is reported
# as skipped.
# Under U-Boot the guest cannot power itself off (U-Boot's ACPI tables), so
# every boot ends with --until.
set -u
. tests/lib/device.sh
ROM=${UBOOT_ROM:-/usr/lib/u-boot/qemu-x86/u-boot.rom}
if [ ! -f "$ROM" ]; then
	fail uboot/rom "no $ROM (make deps: u-boot-qemu)"
	exit 0
fi
if ! make -s keys kernel initramfs newsystem disk uboot-disk >/dev/null 2>&1; then
	fail uboot/build "make keys kernel initramfs newsystem disk uboot-disk"
	exit 0
fi
T=$BUILD/t/uboot
rm -rf "$T"
mkdir -p "$T"
UDISK=$BUILD/images/uboot-disk.img
SZ=$BUILD/sztpboot

# ub_boot DISK LOG UNTIL [qemu/run options...]: boot through U-Boot until a
# console line matches.
ub_boot() {
	_d=$1 _l=$2 _u=$3
	shift 3
	qemu/run --quiet --bios "$ROM" --disk "$_d" --serial-log "$_l" \
		--timeout 60 --stall 30 --until "$_u" "$@" >/dev/null 2>&1
	tr -d '\r' <"$_l" >"$_l.txt" && mv "$_l.txt" "$_l"
}
fwcfg() { printf '%s %s %s\n%s %s %s\n' "$1" "$ENV_OFFSET_1" "$ENV_SIZE" "$1" "$ENV_OFFSET_2" "$ENV_SIZE" >"$1.cfg"; echo "$1.cfg"; }
# flag DISK COPY(0|1) BYTE: set a copy's flag byte (not covered by the CRC)
flag() {
	off=$ENV_OFFSET_1
	[ "$2" = 1 ] && off=$ENV_OFFSET_2
	printf '%b' "\\0$(printf %o "$3")" | dd of="$1" bs=1 seek=$((off + 4)) conv=notrunc status=none
}
# corrupt DISK COPY: one byte of the copy's padding (the CRC covers it)
corrupt() {
	off=$ENV_OFFSET_1
	[ "$2" = 1 ] && off=$ENV_OFFSET_2
	printf 'X' | dd of="$1" bs=1 seek=$((off + 0x10000)) conv=notrunc status=none
}
# using LOG COPY STATE ACTIVE CONFIG: the script's "using copy" line
using() {
	log_has "$1" "^sztp-boot: using copy $2: sztp_enabled=[01]* sztp_state=$3 sztp_active_slot=$4 .* sztp_config_active=$5 "
}
UNTIL_DECIDED='sztp-boot: (command line|FAILED)'

# (a) Reading the environment ------------------------------------------------
# 1. Factory environment (both copies flags 1): copy 0; provisioning system.
d=$T/a1.img
cp "$UDISK" "$d"
ub_boot "$d" "$T/a1.log" 'sztpboot: state: unprovisioned'
check "uboot/factory: boot.scr found on the data partition" log_has "$T/a1.log" "Found U-Boot script /boot/boot.scr"
check "uboot/factory: both copies valid, copy 0 used" sh -c "grep -q 'copy 0 valid=1 copy 1 valid=1' '$T/a1.log' && grep -Eq '^sztp-boot: using copy 0: sztp_enabled=1 sztp_state=unprovisioned sztp_active_slot=none' '$T/a1.log'"
check "uboot/factory: unprovisioned boots the provisioning initramfs" sh -c "grep -q 'booting the provisioning system' '$T/a1.log' && grep -q 'sztpboot-init: ready' '$T/a1.log'"

# 2. sztpboot writes copy 1 (flags 2), fw_setenv then copy 0 (flags 3).
d=$T/a2.img
cp "$UDISK" "$d"
cfg=$(fwcfg "$d")
"$SZ" env -c "$cfg" -q set sztp_state=provisioned sztp_enabled=0 sztp_active_slot=b >/dev/null 2>&1
fw_setenv -c "$cfg" sztp_config_active 42 >/dev/null 2>&1
cp "$d" "$T/a2-base.img"
ub_boot "$d" "$T/a2.log" "$UNTIL_DECIDED"
check "uboot/env: reads what sztpboot env set and fw_setenv wrote (newest copy 0)" using "$T/a2.log" 0 provisioned b 42
check "uboot/env: flags 3 and 2 seen" log_has "$T/a2.log" "^10200000: 03 02 "
check "uboot/env: provisioned, SZTP off: U-Boot tries slot b itself" log_has "$T/a2.log" "booting slot b \\(virtio 0:2 /boot\\)"
check "uboot/env: empty slot b falls back to the provisioning system" sh -c "grep -q 'slot b did not boot: falling back' '$T/a2.log' && grep -q '^sztp-boot: command line: console=ttyS0 loglevel=4\$' '$T/a2.log'"

# 3. Copy 0 (the newer) has a bad CRC: copy 1 is used.
d=$T/a3.img
cp "$T/a2-base.img" "$d"
corrupt "$d" 0
ub_boot "$d" "$T/a3.log" "$UNTIL_DECIDED"
check "uboot/env: bad CRC in the newer copy -> the older copy" sh -c "grep -q 'copy 0 valid=0 copy 1 valid=1' '$T/a3.log' && grep -q 'bad CRC' '$T/a3.log'"
check "uboot/env: older copy's values" using "$T/a3.log" 1 provisioned b none

# 4. Flag wrap: copy 0 flag 0, copy 1 flag 255 -> copy 0 is newer.
d=$T/a4.img
cp "$T/a2-base.img" "$d"
flag "$d" 0 0
flag "$d" 1 255
ub_boot "$d" "$T/a4.log" "$UNTIL_DECIDED"
check "uboot/env: flags 0 vs 255 is a wrap: copy 0" using "$T/a4.log" 0 provisioned b 42
check "uboot/env: fw_printenv agrees on the wrap" test "$(env_get "$d" sztp_config_active)" = 42
# ... and 255 vs 254: copy 0 (plain greater; fw_printenv agrees)
flag "$d" 0 255
flag "$d" 1 254
ub_boot "$d" "$T/a4b.log" "$UNTIL_DECIDED"
check "uboot/env: flags 255 vs 254: copy 0" using "$T/a4b.log" 0 provisioned b 42

# 5. Both copies bad: no environment, provisioning system.
d=$T/a5.img
cp "$T/a2-base.img" "$d"
corrupt "$d" 0
corrupt "$d" 1
ub_boot "$d" "$T/a5.log" "$UNTIL_DECIDED"
check "uboot/env: two bad copies -> provisioning system" sh -c "grep -q 'no valid environment copy' '$T/a5.log' && grep -q 'booting the provisioning system' '$T/a5.log'"

# (b) Booting the installed system ------------------------------------------
# A slot on trial (as the provisioning flow leaves it): U-Boot hands over to
# the initramfs, which counts the attempt and kexecs the slot; it confirms.
d=$T/b.img
cp "$UDISK" "$d"
cfg=$(fwcfg "$d")
dd if="$BUILD/images/exampleos-2.0.img" of="$d" bs=1M seek="$SLOT_A_START_MIB" conv=notrunc status=none
printf 'hostname uboot-device\n' >"$T/conf"
printf 'merge\n' >"$T/handling"
sum=$(sha256sum "$T/conf" | cut -d' ' -f1)
p="$d@@${DATA_START_MIB}M"
MTOOLS_SKIP_CHECK=1 mmd -i "$p" ::/sztp ::/sztp/config ::/sztp/config/1
MTOOLS_SKIP_CHECK=1 mcopy -i "$p" "$T/conf" ::/sztp/config/1/configuration
MTOOLS_SKIP_CHECK=1 mcopy -i "$p" "$T/handling" ::/sztp/config/1/configuration-handling
"$SZ" env -c "$cfg" -q set sztp_state=trial sztp_trial_slot=a sztp_trial_attempts=3 sztp_config_trial=1 \
	sztp_slot_a_os_name=ExampleOS sztp_slot_a_os_version=2.0 >/dev/null 2>&1
ub_boot "$d" "$T/b1.log" 'exampleos: up|sztp-boot: FAILED'
check "uboot/trial: U-Boot hands the trial to the provisioning initramfs" sh -c "grep -q 'sztp_state=trial' '$T/b1.log' && grep -q 'sztp-boot: state trial: booting the provisioning system' '$T/b1.log'"
check "uboot/trial: the initramfs counts the attempt and boots slot a" log_has "$T/b1.log" "trial: booting slot a \\(2 attempts left\\)"
check "uboot/trial: the new system confirms" log_has "$T/b1.log" "sztpboot: confirmed: slot a is active, configuration 1 committed"
check "uboot/trial: environment now provisioned" test "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_enabled)/$(env_get "$d" sztp_active_slot)" = provisioned/0/a
ub_boot "$d" "$T/b2.log" 'exampleos: up|sztp-boot: FAILED'
check "uboot/provisioned: U-Boot boots slot a itself" sh -c "grep -q 'sztp-boot: provisioned: booting slot a (virtio 0:1 /boot)' '$T/b2.log' && ! grep -q 'sztpboot-init: ready' '$T/b2.log'"
check "uboot/provisioned: /boot/cmdline plus sztp.slot and sztp.config" log_has "$T/b2.log" '^Kernel command line: "console=ttyS0 loglevel=4 sztp.slot=a sztp.config=sztp/config/1"'
check "uboot/provisioned: the new system gets its configuration" log_has "$T/b2.log" "exampleos: configuration-handling=merge sha256=$sum"
check "uboot/provisioned: exampleos: up" log_has "$T/b2.log" "exampleos: up"

# (c) First boot through U-Boot, end to end ----------------------------------
SN=SN-1001
ID="--idevid-cert $KEYS/devices/$SN/idevid.pem --idevid-key $KEYS/devices/$SN/idevid.key"
FWSERIAL=/sys/firmware/qemu_fw_cfg/by_name/opt/org.sztpboot/serial/raw
printf 'hostname uboot-first\n' >"$T/conf-c"
sumc=$(sha256sum "$T/conf-c" | cut -d' ' -f1)
mkstick "$T/good" $SN --image "$BUILD/images/exampleos-2.0.img" --os-name ExampleOS --os-version 2.0 \
	--config-handling merge --config "$T/conf-c"
qemu/mkusb "$T/good" "$T/good.img" >/dev/null

# 0. The board's second serial source, without U-Boot: no SMBIOS serial,
# only fw_cfg opt/org.sztpboot/serial (what --smbios-serial also passes).
printf '%s' $SN >"$T/serial"
d=$T/c0.img
cp "$BUILD/images/factory-disk.img" "$d"
# shellcheck disable=SC2086
qemu/run --quiet --disk "$d" $ID --fw-cfg "opt/org.sztpboot/serial=$T/serial" --serial-log "$T/c0.log" \
	--timeout 60 --until 'provisioning: serial number|refusing to provision' >/dev/null 2>&1
check "uboot/serial: no SMBIOS serial -> the fw_cfg one, and the log names it" \
	log_has "$T/c0.log" "provisioning: serial number $SN \\(from $FWSERIAL\\)"

# 1. Factory U-Boot disk, a good stick at power-on. U-Boot has no USB here
# (xhci sits at 00:01.0), so only Linux sees the stick.
d=$T/c.img
cp "$UDISK" "$d"
# shellcheck disable=SC2086
ub_boot "$d" "$T/c1.log" 'exampleos: up|refusing to provision|sztp-boot: FAILED|onboarding failed' \
	--timeout 150 --usb "$T/good.img" --smbios-serial $SN $ID
check "uboot/firstboot: U-Boot boots the provisioning system" sh -c "grep -q 'sztp_state=unprovisioned' '$T/c1.log' && grep -q 'booting the provisioning system' '$T/c1.log' && grep -q 'sztpboot-init: ready' '$T/c1.log'"
check "uboot/firstboot: SMBIOS serial empty under U-Boot, the fw_cfg source is tried next" \
	sh -c "grep -q 'provisioning: serial number $SN (from $FWSERIAL)' '$T/c1.log' || grep -q '/sys/class/dmi/id/product_serial is empty, $FWSERIAL ' '$T/c1.log'"
if grep -q "refusing to provision: serial number: .*$FWSERIAL does not exist" "$T/c1.log"; then
	# Under U-Boot's ACPI tables Linux has no fw_cfg device (QEMU0002), and
	# Debian's kernel lacks CONFIG_FW_CFG_SYSFS_CMDLINE: neither the serial
	# nor the IDevID reaches sztpboot. Run the rest once that is fixed.
	echo "skip uboot/firstboot: provision, kexec, confirm, cold boot: no /sys/firmware/qemu_fw_cfg under U-Boot (no ACPI fw_cfg device; see $T/c1.log)"
else
	check "uboot/firstboot: serial number from fw_cfg (U-Boot's SMBIOS has none)" \
		log_has "$T/c1.log" "provisioning: serial number $SN \\(from $FWSERIAL\\)"
	check "uboot/firstboot: bootstrapping data found on the stick" log_has "$T/c1.log" "found example-oem/$SN/bootstrapping-data/"
	check "uboot/firstboot: image streamed and hash compared" log_has "$T/c1.log" "boot image: sha-256 ([0-9a-f]{64}), image-verification \\1"
	check "uboot/firstboot: kexec into slot a" log_has "$T/c1.log" "booting slot a: console=ttyS0 loglevel=4 sztp.slot=a sztp.config=sztp/config/1"
	check "uboot/firstboot: new system booted with its configuration" log_has "$T/c1.log" "exampleos: configuration-handling=merge sha256=$sumc"
	check "uboot/firstboot: the new system confirms" log_has "$T/c1.log" "sztpboot: confirmed: slot a is active, configuration 1 committed, SZTP disabled"
	check "uboot/firstboot: environment says provisioned" test "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_enabled)/$(env_get "$d" sztp_active_slot)/$(env_get "$d" sztp_config_active)" = provisioned/0/a/1
	# 2. Cold boot, no stick: U-Boot boots slot a itself.
	# shellcheck disable=SC2086
	ub_boot "$d" "$T/c2.log" 'exampleos: up|sztp-boot: FAILED' --smbios-serial $SN $ID
	check "uboot/firstboot: cold boot: U-Boot boots slot a itself" sh -c "grep -q 'sztp-boot: provisioned: booting slot a (virtio 0:1 /boot)' '$T/c2.log' && ! grep -q 'sztpboot-init: ready' '$T/c2.log'"
	check "uboot/firstboot: cold boot: the new system with its configuration" sh -c "grep -q 'exampleos: configuration-handling=merge sha256=$sumc' '$T/c2.log' && grep -q 'exampleos: up' '$T/c2.log'"
fi
