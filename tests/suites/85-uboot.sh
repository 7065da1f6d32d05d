#!/bin/sh
# U-Boot and our environment on qemu-x86_64 (uboot-env/README.md, "U-Boot"):
# the board's U-Boot built from Debian's source package (make u-boot) as
# firmware, boot.scr on the data partition. (a) the boot script reads what
# `sztpboot env set` and `fw_setenv` wrote and picks the current redundant
# copy (flags of both schemes, wrap, CRC); (b) U-Boot counts a trial
# attempt itself: it writes the other copy, which fw_printenv and sztpboot
# read and which is byte for byte what fw_setenv writes for the same
# change, then boots the trial slot, which confirms; the provisioned disk
# then boots straight from U-Boot; (c) the whole first boot through U-Boot:
# factory disk and a good stick -> provisioning system (serial number and
# IDevID from fw_cfg, read through its I/O ports) -> install -> kexec ->
# confirm; then a cold boot goes straight from U-Boot to the new system.
# Under U-Boot the guest cannot power itself off (U-Boot's ACPI tables), so
# every boot ends with --until.
set -u
. tests/lib/device.sh
if ! make -s keys kernel initramfs newsystem disk uboot-disk >/dev/null 2>&1; then
	fail uboot/build "make keys kernel initramfs newsystem disk uboot-disk"
	exit 0
fi
ROM=${UBOOT_FW:-$BUILD/u-boot/u-boot.rom}
check "uboot/build: U-Boot from Debian's source package with the board's fragment" \
	sh -c "[ -s '$ROM' ] && grep -q '^u-boot=' '$BUILD/u-boot/package'"
T=$BUILD/t/uboot
rm -rf "$T"
mkdir -p "$T"
UDISK=$BUILD/images/uboot-disk.img
SZ=$BUILD/sztpboot

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
check "uboot/factory: U-Boot runs boot.scr from the data partition, scans nothing else" \
	sh -c "grep -q '## Executing script at' '$T/a1.log' && ! grep -Eqi 'scanning usb|dhcp|tftp' '$T/a1.log'"
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
check "uboot/env: provisioned, SZTP off: U-Boot tries slot b itself" sh -c "grep -q 'sztp-boot: provisioned: booting slot b' '$T/a2.log' && grep -q 'booting slot b (virtio 0:2 /boot)' '$T/a2.log'"
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
# ... and the boolean scheme of NOR flash (1 active, 0 obsolete), both ways;
# fw_printenv and sztpboot agree each time.
flag "$d" 0 0
flag "$d" 1 1
ub_boot "$d" "$T/a4c.log" "$UNTIL_DECIDED"
check "uboot/env: boolean flags 0/1: copy 1" using "$T/a4c.log" 1 provisioned b none
check "uboot/env: fw_printenv and sztpboot agree on 0/1" sh -c "[ '$(env_get "$d" sztp_config_active)' = none ] && [ \"\$('$SZ' env -c '$(fwcfg "$d")' -q print -n sztp_config_active)\" = none ]"
flag "$d" 0 1
flag "$d" 1 0
ub_boot "$d" "$T/a4d.log" "$UNTIL_DECIDED"
check "uboot/env: boolean flags 1/0: copy 0" using "$T/a4d.log" 0 provisioned b 42
check "uboot/env: fw_printenv and sztpboot agree on 1/0" sh -c "[ '$(env_get "$d" sztp_config_active)' = 42 ] && [ \"\$('$SZ' env -c '$(fwcfg "$d")' -q print -n sztp_config_active)\" = 42 ]"

# 5. Both copies bad: no environment, provisioning system.
d=$T/a5.img
cp "$T/a2-base.img" "$d"
corrupt "$d" 0
corrupt "$d" 1
ub_boot "$d" "$T/a5.log" "$UNTIL_DECIDED"
check "uboot/env: two bad copies -> provisioning system" sh -c "grep -q 'no valid environment copy' '$T/a5.log' && grep -q 'booting the provisioning system' '$T/a5.log'"

# (b) Trial attempts counted by U-Boot ------------------------------------
# A slot on trial (as the provisioning flow leaves it after its kexec): on
# the next power-up U-Boot counts the attempt down itself, in a new copy of
# the environment, and boots the trial slot, which confirms.
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
	sztp_slot_a_os_name=ExampleOS sztp_slot_a_os_version=2.0 'oem_note=kept as it is' >/dev/null 2>&1
cp "$d" "$T/b-base.img"
# 1. Stop as soon as U-Boot has written: what did it write?
ub_boot "$d" "$T/b0.log" 'sztp-boot: trial: copy . written|sztp-boot: FAILED'
check "uboot/trial: U-Boot counts the attempt (3 -> 2) into copy 0" log_has "$T/b0.log" "^sztp-boot: trial: slot a, 2 attempts left after this one: writing copy 0\$"
check "uboot/trial: fw_printenv reads what U-Boot wrote" \
	test "$(env_get "$d" sztp_trial_attempts)/$(env_get "$d" sztp_state)/$(env_get "$d" oem_note)" = "2/trial/kept as it is"
check "uboot/trial: sztpboot reads it, from copy 0, no complaint" \
	sh -c "'$SZ' env -c '$cfg' print >'$T/b0.env' 2>'$T/b0.err' && grep -qx sztp_trial_attempts=2 '$T/b0.env' && ! [ -s '$T/b0.err' ]"
# fw_setenv making the same change on the same disk writes the same bytes.
cp "$T/b-base.img" "$T/b-fw.img"
fw_setenv -c "$(fwcfg "$T/b-fw.img")" sztp_trial_attempts 2 >/dev/null 2>&1
check "uboot/trial: U-Boot's copy is byte for byte fw_setenv's (flag 3, CRC, sorted, zero padding)" \
	test "$(env_bytes "$d")" = "$(env_bytes "$T/b-fw.img")"
check "uboot/trial: only the attempt count changed" \
	sh -c "fw_printenv -c '$(fwcfg "$T/b-base.img")' | sed 's/^sztp_trial_attempts=3\$/sztp_trial_attempts=2/' | cmp -s - '$T/b0.env'"
# 2. Power up again: 2 -> 1, U-Boot boots slot a itself, the new system confirms.
ub_boot "$d" "$T/b1.log" 'exampleos: up|sztp-boot: FAILED'
check "uboot/trial: 2 -> 1 into copy 1, then slot a booted by U-Boot" sh -c "grep -q 'sztp-boot: trial: slot a, 1 attempts left after this one: writing copy 1' '$T/b1.log' && grep -q 'sztp-boot: booting slot a (virtio 0:1 /boot)' '$T/b1.log' && ! grep -q 'sztpboot-init: ready' '$T/b1.log'"
check "uboot/trial: the trial slot gets its staged configuration" log_has "$T/b1.log" '^Kernel command line: "console=ttyS0 loglevel=4 sztp.slot=a sztp.config=sztp/config/1"'
check "uboot/trial: the new system confirms" log_has "$T/b1.log" "sztpboot: confirmed: slot a is active, configuration 1 committed"
check "uboot/trial: environment now provisioned" test "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_enabled)/$(env_get "$d" sztp_active_slot)/$(env_get "$d" oem_note)" = "provisioned/0/a/kept as it is"
check "uboot/trial: the trial variables are gone" sh -c "! fw_printenv -c '$cfg' | grep -q '^sztp_trial'"
# 3. Cold boot: provisioned, straight to slot a, nothing written.
before=$(env_bytes "$d")
ub_boot "$d" "$T/b2.log" 'exampleos: up|sztp-boot: FAILED'
check "uboot/provisioned: U-Boot boots slot a itself" sh -c "grep -q 'sztp-boot: provisioned: booting slot a' '$T/b2.log' && ! grep -q 'sztpboot-init: ready' '$T/b2.log' && ! grep -q 'sztp-boot: trial' '$T/b2.log'"
check "uboot/provisioned: /boot/cmdline plus sztp.slot and sztp.config" log_has "$T/b2.log" '^Kernel command line: "console=ttyS0 loglevel=4 sztp.slot=a sztp.config=sztp/config/1"'
check "uboot/provisioned: the new system gets its configuration" log_has "$T/b2.log" "exampleos: configuration-handling=merge sha256=$sum"
check "uboot/provisioned: exampleos: up" log_has "$T/b2.log" "exampleos: up"
check "uboot/provisioned: U-Boot wrote nothing" test "$(env_bytes "$d")" = "$before"
# 4. No attempts left: U-Boot writes nothing and hands over to the
# provisioning system, whose sztpboot falls back (R144).
d=$T/b4.img
cp "$T/b-base.img" "$d"
"$SZ" env -c "$(fwcfg "$d")" -q set sztp_trial_attempts=0 >/dev/null 2>&1
before=$(env_bytes "$d")
ub_boot "$d" "$T/b4.log" 'sztpboot: state: unprovisioned|round 1|sztp-boot: FAILED'
check "uboot/trial: 0 attempts: nothing written by U-Boot, the provisioning system" sh -c "grep -q 'sztp-boot: trial of slot a: no attempts left (0)' '$T/b4.log' && grep -q 'booting the provisioning system' '$T/b4.log'"
check "uboot/trial: 0 attempts: sztpboot falls back to unprovisioned" sh -c "grep -q 'trial of slot a was not confirmed after its boot attempts: falling back to unprovisioned' '$T/b4.log' && [ '$(env_get "$d" sztp_state)' = unprovisioned ]"
# 5. An attempt count U-Boot cannot count (12): not counted there, left to sztpboot.
d=$T/b5.img
cp "$T/b-base.img" "$d"
"$SZ" env -c "$(fwcfg "$d")" -q set sztp_trial_attempts=12 >/dev/null 2>&1
ub_boot "$d" "$T/b5.log" 'sztpboot: trial: booting|sztpboot: refusing|sztp-boot: FAILED'
check "uboot/trial: a count above 9 is left to the provisioning system" sh -c "grep -q 'no attempts left (12)' '$T/b5.log' && ! grep -q 'writing copy' '$T/b5.log'"

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
check "uboot/firstboot: serial number from fw_cfg through its I/O ports (no SMBIOS serial, no fw_cfg in sysfs)" \
	log_has "$T/c1.log" "provisioning: serial number $SN \\(from fw_cfg:opt/org.sztpboot/serial\\)"
check "uboot/firstboot: bootstrapping data found on the stick" log_has "$T/c1.log" "found example-oem/$SN/bootstrapping-data/"
check "uboot/firstboot: image streamed and hash compared" log_has "$T/c1.log" "boot image: sha-256 ([0-9a-f]{64}), image-verification \\1"
check "uboot/firstboot: kexec into slot a" log_has "$T/c1.log" "booting slot a: console=ttyS0 loglevel=4 sztp.slot=a sztp.config=sztp/config/1"
check "uboot/firstboot: new system booted with its configuration" log_has "$T/c1.log" "exampleos: configuration-handling=merge sha256=$sumc"
check "uboot/firstboot: the new system confirms" log_has "$T/c1.log" "sztpboot: confirmed: slot a is active, configuration 1 committed, SZTP disabled"
check "uboot/firstboot: environment says provisioned" test "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_enabled)/$(env_get "$d" sztp_active_slot)/$(env_get "$d" sztp_config_active)" = provisioned/0/a/1
# 2. Cold boot, no stick: U-Boot boots slot a itself.
# shellcheck disable=SC2086
ub_boot "$d" "$T/c2.log" 'exampleos: up|sztp-boot: FAILED' --smbios-serial $SN $ID
check "uboot/firstboot: cold boot: U-Boot boots slot a itself" sh -c "grep -q 'sztp-boot: provisioned: booting slot a' '$T/c2.log' && ! grep -q 'sztpboot-init: ready' '$T/c2.log'"
check "uboot/firstboot: cold boot: the new system with its configuration" sh -c "grep -q 'exampleos: configuration-handling=merge sha256=$sumc' '$T/c2.log' && grep -q 'exampleos: up' '$T/c2.log'"
