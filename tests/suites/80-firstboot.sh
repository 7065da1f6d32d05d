#!/bin/sh
# First boot, end to end, under QEMU: an unprovisioned device finds its
# bootstrapping data on a USB stick, installs, kexecs into the new system,
# which confirms. Negative scenarios show that nothing changed, and end by
# showing that a good stick, plugged in afterwards, still provisions.
set -u
. tests/lib/device.sh
if ! make -s keys kernel initramfs newsystem disk >/dev/null 2>&1; then
	fail firstboot/build "make keys kernel initramfs newsystem disk"
	exit 0
fi
T=$BUILD/t/firstboot
rm -rf "$T"
mkdir -p "$T"
IMG=$BUILD/images/exampleos-2.0.img
printf 'hostname device-one\nntp pool.example.com\n' >"$T/conf1"
printf 'hostname device-three\n' >"$T/conf3"
printf '#!/bin/sh\necho "PRE-SCRIPT-RAN slot=$SZTP_SLOT"\n' >"$T/pre.sh"
printf '#!/bin/sh\necho "POST-SCRIPT-RAN config=$SZTP_CONFIG_DIR"\n' >"$T/post.sh"
printf '#!/bin/sh\necho "PRE-SCRIPT-FAILING"\nexit 1\n' >"$T/pre-fail.sh"
sum1=$(sha256sum "$T/conf1" | cut -d' ' -f1)
sum3=$(sha256sum "$T/conf3" | cut -d' ' -f1)
onboard="--image $IMG --os-name ExampleOS --os-version 2.0 --config-handling merge"

# A good stick for SN-1001 (EC) and SN-1003 (EC), one stick for both.
mkstick "$T/good" SN-1001 $onboard --config "$T/conf1" --pre-script "$T/pre.sh" --post-script "$T/post.sh"
mkstick "$T/good" SN-1003 $onboard --config "$T/conf3"
qemu/mkusb "$T/good" "$T/good.img" >/dev/null

# good_stick_provisions NAME DISK SERIAL SUM: the closing act of every
# negative scenario, and the heart of the positive ones.
good_stick_provisions() {
	boot "$2" "$3" "$T/$1.good.log" --usb "$T/good.img"
	if log_has "$T/$1.good.log" "exampleos: configuration-handling=merge sha256=$4" &&
	   log_has "$T/$1.good.log" "sztpboot: confirmed: slot a is active" &&
	   [ "$(env_get "$2" sztp_state)" = provisioned ]; then
		ok "firstboot/$1: a good stick afterwards provisions the device"
	else
		fail "firstboot/$1: a good stick afterwards provisions the device" "see $T/$1.good.log"
	fi
}

# unchanged NAME DISK ENV SLOTA: environment, slot A, committed configuration.
unchanged() {
	check "firstboot/$1: environment unchanged" test "$(env_bytes "$2")" = "$3"
	check "firstboot/$1: slot a unchanged" test "$(slot_bytes "$2" a)" = "$4"
	check "firstboot/$1: no configuration committed or staged" test -z "$(data_ls "$2" sztp/config)"
}

# 1. Signed onboarding (EC): provision, confirm, cold boot without stick.
d=$T/s1.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1001 "$T/s1.log" --usb "$T/good.img"
check "firstboot/ec: image streamed and hash compared" log_has "$T/s1.log" "boot image: sha-256 ([0-9a-f]{64}), image-verification \\1"
check "firstboot/ec: pre-configuration script ran" log_has "$T/s1.log" "PRE-SCRIPT-RAN slot=a"
check "firstboot/ec: post-configuration script saw the staged configuration" log_has "$T/s1.log" "POST-SCRIPT-RAN config=.*/sztp/config/1"
check "firstboot/ec: new system booted with its configuration" log_has "$T/s1.log" "exampleos: configuration-handling=merge sha256=$sum1"
check "firstboot/ec: confirmed" log_has "$T/s1.log" "sztpboot: confirmed: slot a is active, configuration 1 committed, SZTP disabled"
check "firstboot/ec: environment says provisioned" test "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_enabled)/$(env_get "$d" sztp_active_slot)" = provisioned/0/a
check "firstboot/ec: status in the new system says provisioned" log_has "$T/s1.log" "^state: +provisioned"
check "firstboot/ec: status --json" log_has "$T/s1.log" '^\{"state":"provisioned","sztp-enabled":false,"active-slot":"a"'
check "firstboot/ec: slot a records ExampleOS 2.0" test "$(env_get "$d" sztp_slot_a_os_name) $(env_get "$d" sztp_slot_a_os_version)" = "ExampleOS 2.0"
boot "$d" SN-1001 "$T/s1b.log"
check "firstboot/ec: cold boot goes straight to the new system" log_has "$T/s1b.log" "exampleos: configuration-handling=merge sha256=$sum1"
check "firstboot/ec: cold boot does not provision" sh -c "! grep -q 'provisioning:' '$T/s1b.log'"
# 7. Provisioned device with a stick in: SZTP does not run.
boot "$d" SN-1001 "$T/s7.log" --usb "$T/good.img"
check "firstboot/provisioned-with-stick: SZTP does not run" sh -c "grep -q 'SZTP disabled' '$T/s7.log' && ! grep -q 'provisioning:' '$T/s7.log' && grep -q 'exampleos: up' '$T/s7.log'"

# 1b. Signed onboarding, RSA: RSA device, RSA owner, encrypted to the device.
mkdir -p "$T/rsa"
tools/mkbootstrap --out "$T/rsa" --manufacturer example-oem --serial SN-1002 \
	--masa-cert "$KEYS/masa.pem" --masa-key "$KEYS/masa.key" \
	--owner-cert "$KEYS/owner/owner-rsa.pem" --owner-key "$KEYS/owner/owner-rsa.key" \
	--pinned "$KEYS/owner/owner-rsa-ca.pem" --idevid-cert "$KEYS/devices/SN-1002/idevid.pem" --encrypt \
	$onboard --config "$T/conf1" >/dev/null
qemu/mkusb "$T/rsa" "$T/rsa.img" >/dev/null
d=$T/s1r.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1002 "$T/s1r.log" --usb "$T/rsa.img"
check "firstboot/rsa-encrypted: provisions and confirms" sh -c "grep -q 'exampleos: configuration-handling=merge sha256=$sum1' '$T/s1r.log' && grep -q 'confirmed: slot a' '$T/s1r.log'"

# 2. One disk image, two devices, one stick: each installs its own data.
d=$T/s2.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1003 "$T/s2.log" --usb "$T/good.img"
check "firstboot/two-devices: SN-1003 gets its own configuration" log_has "$T/s2.log" "exampleos: configuration-handling=merge sha256=$sum3"
check "firstboot/two-devices: SN-1003 looked in its own directory" log_has "$T/s2.log" "found example-oem/SN-1003/bootstrapping-data/"

# 3. Tampered conveyed information: rejected by the signature check.
mkstick "$T/tampered" SN-1001 $onboard --config "$T/conf1" --pre-script "$T/pre.sh" --tamper
qemu/mkusb "$T/tampered" "$T/tampered.img" >/dev/null
d=$T/s3.img
cp "$BUILD/images/factory-disk.img" "$d"
e0=$(env_bytes "$d") a0=$(slot_bytes "$d" a)
boot "$d" SN-1001 "$T/s3.log" --usb "$T/tampered.img" --until "round 1: no bootstrapping data"
check "firstboot/tampered: rejected, naming the file and the check" log_has "$T/s3.log" "sztpboot: rejected: conveyed-information.cms: message-digest does not match the content"
check "firstboot/tampered: no script ran" sh -c "! grep -q PRE-SCRIPT-RAN '$T/s3.log'"
check "firstboot/tampered: nothing was fetched" sh -c "! grep -q 'boot image: streaming' '$T/s3.log'"
unchanged tampered "$d" "$e0" "$a0"
good_stick_provisions tampered "$d" SN-1001 "$sum1"

# 4. Boot image hash mismatch: streamed, compared, never made bootable.
mkstick "$T/mismatch" SN-1001 $onboard --config "$T/conf1" --pre-script "$T/pre.sh"
head -c 1M /dev/urandom | dd of="$T/mismatch/images/exampleos-2.0.img" bs=1M seek=1 conv=notrunc 2>/dev/null
qemu/mkusb "$T/mismatch" "$T/mismatch.img" >/dev/null
d=$T/s4.img
cp "$BUILD/images/factory-disk.img" "$d"
e0=$(env_bytes "$d") a0=$(slot_bytes "$d" a)
boot "$d" SN-1001 "$T/s4.log" --usb "$T/mismatch.img" --until "round 1: no bootstrapping data"
check "firstboot/hash-mismatch: image streamed and hash compared" sh -c "grep -q 'boot image: 41943040 bytes written to /dev/vda1' '$T/s4.log' && grep -q 'boot image: sha-256' '$T/s4.log'"
check "firstboot/hash-mismatch: rejected" log_has "$T/s4.log" "onboarding failed: boot image sha-256 does not match image-verification"
check "firstboot/hash-mismatch: no script ran" sh -c "! grep -q PRE-SCRIPT-RAN '$T/s4.log'"
check "firstboot/hash-mismatch: environment unchanged" test "$(env_bytes "$d")" = "$e0"
check "firstboot/hash-mismatch: the written slot is not bootable" test "$(env_get "$d" sztp_state)/$(env_get "$d" sztp_active_slot)" = unprovisioned/none
check "firstboot/hash-mismatch: no configuration staged" test -z "$(data_ls "$d" sztp/config)"
good_stick_provisions hash-mismatch "$d" SN-1001 "$sum1"

# 5. No stick at boot; plugged in 20 s later.
d=$T/s5.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1001 "$T/s5.log" --hotplug-usb "$T/good.img" --hotplug-after 20
check "firstboot/hotplug: waited for a source" log_has "$T/s5.log" "round 1: no bootstrapping data"
check "firstboot/hotplug: provisions from the stick plugged in later" log_has "$T/s5.log" "exampleos: configuration-handling=merge sha256=$sum1"

# 6. A stick with data for another serial number only.
mkstick "$T/other" SN-1003 $onboard --config "$T/conf3"
qemu/mkusb "$T/other" "$T/other.img" >/dev/null
d=$T/s6.img
cp "$BUILD/images/factory-disk.img" "$d"
e0=$(env_bytes "$d") a0=$(slot_bytes "$d" a)
boot "$d" SN-1001 "$T/s6.log" --usb "$T/other.img" --until "round 1: no bootstrapping data"
check "firstboot/other-serial: says no data for this serial number" log_has "$T/s6.log" "no bootstrapping data for serial number SN-1001"
unchanged other-serial "$d" "$e0" "$a0"
good_stick_provisions other-serial "$d" SN-1001 "$sum1"

# The board's serial number and the IDevID certificate's disagree.
d=$T/sm.img
cp "$BUILD/images/factory-disk.img" "$d"
e0=$(env_bytes "$d")
qemu/run --quiet --disk "$d" --smbios-serial SN-1003 --usb "$T/good.img" \
	--idevid-cert "$KEYS/devices/SN-1001/idevid.pem" --idevid-key "$KEYS/devices/SN-1001/idevid.key" \
	--serial-log "$T/sm.log" --timeout 120
check "firstboot/serial-mismatch: refuses to provision and says why" log_has "$T/sm.log" \
	'refusing to provision: serial number mismatch: /sys/class/dmi/id/product_serial says "SN-1003", the IDevID certificate says "SN-1001"'
check "firstboot/serial-mismatch: environment unchanged" test "$(env_bytes "$d")" = "$e0"

# 8. A pre-configuration script that fails: nothing activated.
mkstick "$T/prefail" SN-1001 $onboard --config "$T/conf1" --pre-script "$T/pre-fail.sh"
qemu/mkusb "$T/prefail" "$T/prefail.img" >/dev/null
d=$T/s8.img
cp "$BUILD/images/factory-disk.img" "$d"
e0=$(env_bytes "$d")
boot "$d" SN-1001 "$T/s8.log" --usb "$T/prefail.img" --until "round 1: no bootstrapping data"
check "firstboot/pre-script-fails: reported on the console" log_has "$T/s8.log" "onboarding failed: pre-configuration-script failed \\(exit 1\\)"
check "firstboot/pre-script-fails: environment unchanged" test "$(env_bytes "$d")" = "$e0"
check "firstboot/pre-script-fails: no configuration staged" test -z "$(data_ls "$d" sztp/config)"
good_stick_provisions pre-script-fails "$d" SN-1001 "$sum1"

# 9. A new system that never confirms: attempts run out, fall back, provision again.
cp "$IMG" "$T/noconfirm.img"
mtype -i "$T/noconfirm.img" ::/boot/cmdline | tr -d '\n' >"$T/cmdline"
printf ' exampleos.noconfirm\n' >>"$T/cmdline"
mcopy -o -i "$T/noconfirm.img" "$T/cmdline" ::/boot/cmdline
mkdir -p "$T/nc"
mkstick "$T/nc" SN-1001 --image "$T/noconfirm.img" --image-uri file:///images/exampleos-2.0.img \
	--os-name ExampleOS --os-version 2.0 --config "$T/conf1" --config-handling merge
qemu/mkusb "$T/nc" "$T/nc.img" >/dev/null
d=$T/s9.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1001 "$T/s9-1.log" --usb "$T/nc.img"
check "firstboot/no-confirm: first trial boot does not confirm" log_has "$T/s9-1.log" "not confirming"
boot "$d" SN-1001 "$T/s9-2.log"
boot "$d" SN-1001 "$T/s9-3.log"
check "firstboot/no-confirm: each reset uses up an attempt" sh -c "grep -q 'trial: booting slot a (1 attempts left)' '$T/s9-2.log' && grep -q 'trial: booting slot a (0 attempts left)' '$T/s9-3.log'"
boot "$d" SN-1001 "$T/s9-4.log" --until "round 1: no bootstrapping data"
check "firstboot/no-confirm: falls back when the attempts run out" log_has "$T/s9-4.log" "trial of slot a was not confirmed after its boot attempts: falling back to unprovisioned"
check "firstboot/no-confirm: provisions again" log_has "$T/s9-4.log" "provisioning: serial number SN-1001"
check "firstboot/no-confirm: staged configuration discarded" test -z "$(data_ls "$d" sztp/config)"
check "firstboot/no-confirm: failure recorded" sh -c "data_ls() { :; }; mtype -i '$d@@${DATA_START_MIB}M' ::/sztp/failures.log | grep -q 'not confirmed'"
good_stick_provisions no-confirm "$d" SN-1001 "$sum1"

# 10. An image that verifies but whose kernel cannot be kexec'd (garbage
# where /boot/vmlinuz should be): the slot is on trial, so nothing may be
# installed over it in the same run; its attempts are counted down right
# there, then the fallback (R144). (QEMU is stopped a little after the
# fallback line: what follows it, a new round, is not looked at.)
cp "$IMG" "$T/nokexec.img"
head -c 65536 /dev/urandom >"$T/garbage"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$T/nokexec.img" "$T/garbage" ::/boot/vmlinuz
mkdir -p "$T/nk"
mkstick "$T/nk" SN-1001 --image "$T/nokexec.img" --image-uri file:///images/exampleos-2.0.img \
	--os-name ExampleOS --os-version 2.0
qemu/mkusb "$T/nk" "$T/nk.img" >/dev/null
d=$T/s10.img
cp "$BUILD/images/factory-disk.img" "$d"
boot "$d" SN-1001 "$T/s10.log" --usb "$T/nk.img" --until "falling back to unprovisioned"
check "firstboot/no-kexec: the hand-over fails with a clear reason" log_has "$T/s10.log" "kexec_file_load: "
check "firstboot/no-kexec: counted down, not installed again" \
	sh -c "grep -q 'slot a was installed but did not start: counting its boot attempts' '$T/s10.log' && grep -q 'trial: booting slot a (1 attempts left)' '$T/s10.log' && grep -q 'trial: booting slot a (0 attempts left)' '$T/s10.log' && [ \$(sed -n '1,/falling back to unprovisioned/p' '$T/s10.log' | grep -c 'boot image: streaming') = 1 ]"
check "firstboot/no-kexec: falls back" log_has "$T/s10.log" "trial of slot a was not confirmed after its boot attempts: falling back to unprovisioned"
