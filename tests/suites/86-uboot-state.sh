#!/bin/sh
# State injection through U-Boot (qemu-x86_64): disks in the states a power
# cut or a bad disk can leave, written directly, then powered up through
# U-Boot. Killing QEMU (tests/powercut) never loses what QEMU had already
# written; these model what a real disk can do on top: tear a write, lose
# a flag update, keep half a slot.
#  1. a torn environment copy, either one: the other copy counts, and
#     U-Boot, fw_printenv and sztpboot agree on it;
#  2. two valid copies with equal (stale) flags and different contents:
#     copy 0, all three agree;
#  3. a half-written slot marked for trial: every attempt is counted in
#     U-Boot, the slot never comes up, and after the last one the
#     provisioning system falls back; a stick then provisions again;
#  4. a trial slot that boots but never confirms: counted down, then the
#     fallback to the previous slot (R144).
set -u
. tests/lib/device.sh
if ! make -s keys kernel initramfs newsystem disk uboot-disk >/dev/null 2>&1; then
	fail uboot-state/build "make keys kernel initramfs newsystem disk uboot-disk"
	exit 0
fi
ROM=${UBOOT_FW:-$BUILD/u-boot/u-boot.rom}
T=$BUILD/t/uboot-state
rm -rf "$T"
mkdir -p "$T"
UDISK=$BUILD/images/uboot-disk.img
SZ=$BUILD/sztpboot
IMG=$BUILD/images/exampleos-2.0.img

copy_off() { if [ "$1" = 0 ]; then echo $((ENV_OFFSET_1)); else echo $((ENV_OFFSET_2)); fi; }
sz_get() { "$SZ" env -c "$(fwcfg "$1")" -q print -n "$2" 2>/dev/null; }
# agree DISK NAME VALUE: fw_printenv and sztpboot both read VALUE
agree() { [ "$(env_get "$1" "$2")" = "$3" ] && [ "$(sz_get "$1" "$2")" = "$3" ]; }
UNTIL_DECIDED='sztp-boot: (command line|FAILED)'

# A trial disk: slot a holds the image, attempts 3, copy 1 current (flag 2).
base=$T/base.img
cp "$UDISK" "$base"
dd if="$IMG" of="$base" bs=1M seek="$SLOT_A_START_MIB" conv=notrunc status=none
"$SZ" env -c "$(fwcfg "$base")" -q set sztp_state=trial sztp_trial_slot=a sztp_trial_attempts=3 \
	sztp_slot_a_os_name=ExampleOS sztp_slot_a_os_version=2.0 >/dev/null 2>&1

# 1. Torn copies. The next write (attempts 2) is made on a scratch disk by
# fw_setenv; the "torn" disk gets only its first 100 bytes in the target
# copy, the rest of that copy as it was.
for target in 0 1; do
	d=$T/torn$target.img
	cp "$base" "$d"
	was=3
	if [ $target = 1 ]; then # make copy 0 current first (attempts 4), so copy 1 is the target
		fw_setenv -c "$(fwcfg "$d")" sztp_trial_attempts 4 >/dev/null 2>&1
		was=4
	fi
	cp "$d" "$T/new$target.img"
	fw_setenv -c "$(fwcfg "$T/new$target.img")" sztp_trial_attempts 2 >/dev/null 2>&1
	off=$(copy_off $target)
	dd if="$T/new$target.img" of="$d" bs=1 skip="$off" seek="$off" count=100 conv=notrunc status=none
	other=$((1 - target))
	check "uboot-state/torn copy $target: fw_printenv and sztpboot use copy $other (attempts $was)" agree "$d" sztp_trial_attempts $was
	check "uboot-state/torn copy $target: sztpboot names the torn copy" \
		sh -c "'$SZ' env -c '$(fwcfg "$d")' print 2>&1 >/dev/null | grep -q 'copy $target .* is invalid (bad CRC); using copy $other'"
	ub_boot "$d" "$T/torn$target.log" 'sztp-boot: trial: copy . written|sztp-boot: FAILED'
	check "uboot-state/torn copy $target: U-Boot sees the bad CRC and uses copy $other" \
		sh -c "grep -q 'copy 0 valid=$target copy 1 valid=$other' '$T/torn$target.log' && grep -q '^sztp-boot: using copy $other: .*sztp_trial_attempts=$was ' '$T/torn$target.log'"
	check "uboot-state/torn copy $target: U-Boot rewrites the torn copy whole (attempts $((was - 1)))" \
		sh -c "grep -q 'writing copy $target' '$T/torn$target.log' && [ \"\$(fw_printenv -c '$(fwcfg "$d")' -n sztp_trial_attempts)\" = $((was - 1)) ]"
	check "uboot-state/torn copy $target: both copies valid again" \
		sh -c "! '$SZ' env -c '$(fwcfg "$d")' print 2>&1 >/dev/null | grep -q invalid"
done

# 2. Equal flags, different contents (a flag update lost): copy 0 for all.
d=$T/stale.img
cp "$base" "$d"
fw_setenv -c "$(fwcfg "$d")" sztp_trial_attempts 1 >/dev/null 2>&1 # copy 0, flag 3
printf '\002' | dd of="$d" bs=1 seek=$((ENV_OFFSET_1 + 4)) conv=notrunc status=none # back to 2, as copy 1
check "uboot-state/equal flags: fw_printenv and sztpboot take copy 0" agree "$d" sztp_trial_attempts 1
ub_boot "$d" "$T/stale.log" 'sztp-boot: trial: copy . written|sztp-boot: FAILED'
check "uboot-state/equal flags: U-Boot takes copy 0 as well" log_has "$T/stale.log" '^sztp-boot: using copy 0: .*sztp_trial_attempts=1 '

# 3. A half-written slot on trial (the first 6 MiB of the image, zeros
# after: the kernel file is cut short), no previous system. Each power-up: U-Boot counts, the slot
# does not come up (the test cuts power when the console stalls).
d=$T/half.img
cp "$UDISK" "$d"
dd if="$IMG" of="$d" bs=1M seek="$SLOT_A_START_MIB" count=6 conv=notrunc status=none
"$SZ" env -c "$(fwcfg "$d")" -q set sztp_state=trial sztp_trial_slot=a sztp_trial_attempts=2 >/dev/null 2>&1
for i in 1 2; do
	ub_boot "$d" "$T/half$i.log" 'exampleos: up|sztp-boot: FAILED|sztpboot-init: ready' --timeout 60 --stall 15
done
check "uboot-state/half slot: attempt 1 counted (2 -> 1), slot a tried" \
	sh -c "grep -q 'slot a, 1 attempts left after this one' '$T/half1.log' && grep -q 'booting slot a' '$T/half1.log'"
check "uboot-state/half slot: attempt 2 counted (1 -> 0)" log_has "$T/half2.log" 'slot a, 0 attempts left after this one'
check "uboot-state/half slot: the slot never came up" sh -c "! grep -q 'exampleos: up' '$T/half1.log' '$T/half2.log'"
ub_boot "$d" "$T/half3.log" 'round 1: no bootstrapping data|sztp-boot: FAILED'
check "uboot-state/half slot: no attempts left: the provisioning system falls back to unprovisioned" \
	sh -c "grep -q 'no attempts left (0)' '$T/half3.log' && grep -q 'falling back to unprovisioned' '$T/half3.log'"
check "uboot-state/half slot: environment unprovisioned, one failure, no trial left" \
	sh -c "[ '$(env_get "$d" sztp_state)/$(env_get "$d" sztp_failures)' = unprovisioned/1 ] && ! fw_printenv -c '$(fwcfg "$d")' | grep -q '^sztp_trial'"
SN=SN-1001
mkstick "$T/good" $SN --image "$IMG" --os-name ExampleOS --os-version 2.0
qemu/mkusb "$T/good" "$T/good.img" >/dev/null
ub_boot "$d" "$T/half4.log" 'exampleos: up|refusing|onboarding failed|sztp-boot: FAILED' --timeout 150 \
	--usb "$T/good.img" --smbios-serial $SN \
	--idevid-cert "$KEYS/devices/$SN/idevid.pem" --idevid-key "$KEYS/devices/$SN/idevid.key"
check "uboot-state/half slot: a stick then provisions the device" \
	sh -c "grep -q 'sztpboot: confirmed: slot a is active' '$T/half4.log' && [ '$(env_get "$d" sztp_state)' = provisioned ]"

# 4. A trial slot that boots but never confirms (exampleos.noconfirm: it
# resets), with a previous system in slot b: counted down, then back to b.
d=$T/noconfirm.img
cp "$UDISK" "$d"
dd if="$IMG" of="$d" bs=1M seek="$SLOT_A_START_MIB" conv=notrunc status=none
dd if="$IMG" of="$d" bs=1M seek="$SLOT_B_START_MIB" conv=notrunc status=none
printf 'console=ttyS0 loglevel=4 exampleos.noconfirm\n' >"$T/cmdline"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$d@@${SLOT_A_START_MIB}M" "$T/cmdline" ::/boot/cmdline
"$SZ" env -c "$(fwcfg "$d")" -q set sztp_state=trial sztp_active_slot=b sztp_trial_slot=a \
	sztp_trial_attempts=2 sztp_config_active=none >/dev/null 2>&1
for i in 1 2; do
	ub_boot "$d" "$T/nc$i.log" 'sztp-boot: FAILED|sztpboot-init: ready' --timeout 60
done
check "uboot-state/no confirm: both attempts counted by U-Boot and booted" \
	sh -c "grep -q '1 attempts left after this one' '$T/nc1.log' && grep -q 'not confirming' '$T/nc1.log' && grep -q '0 attempts left after this one' '$T/nc2.log' && grep -q 'not confirming' '$T/nc2.log'"
ub_boot "$d" "$T/nc3.log" 'round 1: no bootstrapping data|sztp-boot: FAILED'
check "uboot-state/no confirm: the provisioning system falls back to the previous slot" \
	log_has "$T/nc3.log" 'trial of slot a was not confirmed after its boot attempts: falling back to the previous slot'
check "uboot-state/no confirm: environment: provisioned, slot b, one failure, no trial" \
	sh -c "[ '$(env_get "$d" sztp_state)/$(env_get "$d" sztp_active_slot)/$(env_get "$d" sztp_failures)' = provisioned/b/1 ] && ! fw_printenv -c '$(fwcfg "$d")' | grep -q '^sztp_trial'"
