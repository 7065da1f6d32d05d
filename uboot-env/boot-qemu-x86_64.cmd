# U-Boot boot script of board qemu-x86_64 (uboot-env/README.md, "U-Boot").
# mkimage -T script -A x86 -C none -d boot-qemu-x86_64.cmd boot.scr
#
# Written for Debian's prebuilt u-boot-qemu 2023.01 qemu-x86 u-boot.rom:
# no environment storage, no setexpr, `env import -c` only knows the
# single-copy layout. Lives on the data partition as /boot/boot.scr (the
# partition carries the MBR boot flag, so distro boot scans only it).
#
# 1. Read both redundant environment copies (board/qemu-x86_64/layout:
#    disk offsets 0x100000 and 0x120000, 0x20000 bytes each = sectors
#    0x800 and 0x900, 0x100 sectors each).
# 2. Check each copy's CRC with U-Boot's own `env import -c`: the four CRC
#    bytes are moved next to the data (over the flag byte, which is saved
#    first), so the copy becomes a single-layout block at +1.
# 3. Pick the current copy as U-Boot's env_import_redund does: the only
#    valid one; of two valid ones the newer flag (255 -> 0 is a wrap; equal:
#    copy 0). Import the sztp_* variables only, from that copy.
# 4. provisioned and SZTP off, slot a|b: load /boot/vmlinuz, initrd.img,
#    cmdline from that slot, add sztp.slot= and sztp.config=, zboot.
#    Everything else (unprovisioned, trial, SZTP on, no valid copy, a slot
#    that does not load) boots the provisioning system from the data
#    partition's /boot/provision/, whose `sztpboot run` owns the state
#    machine (it counts trial attempts and kexecs the trial slot).
# Memory: environment copies 0x10000000/0x10100000, scratch 0x10200000,
# command line 0x10300000, kernel 0x1000000, initrd 0x4000000.

echo "sztp-boot: boot script for qemu-x86_64"
setenv sztp_dev ${devnum}
if test -z "${sztp_dev}"; then setenv sztp_dev 0; fi
virtio dev ${sztp_dev}

# --- 1+2: read and check both copies -----------------------------------
setenv sztp_ok0 0
setenv sztp_ok1 0
mw.b 0x10200000 0 0x100
if virtio read 0x10000000 0x800 0x100; then
	cp.b 0x10000004 0x10200000 1
	cp.b 0x10000000 0x10200010 4
	cp.b 0x10200010 0x10000001 4
	if env import -c 0x10000001 0x1ffff sztp__probe; then setenv sztp_ok0 1; fi
fi
if virtio read 0x10100000 0x900 0x100; then
	cp.b 0x10100004 0x10200001 1
	cp.b 0x10100000 0x10200010 4
	cp.b 0x10200010 0x10100001 4
	if env import -c 0x10100001 0x1ffff sztp__probe; then setenv sztp_ok1 1; fi
fi
echo "sztp-boot: environment copy 0 valid=${sztp_ok0} copy 1 valid=${sztp_ok1}; flags:"
md.b 0x10200000 2

# --- 3: pick the current copy ------------------------------------------
setenv sztp_copy none
if test ${sztp_ok0} = 1 && test ${sztp_ok1} = 1; then
	setenv sztp_copy 0
	if itest.b *0x10200001 > *0x10200000; then setenv sztp_copy 1; fi
	if itest.b *0x10200000 == 0xff && itest.b *0x10200001 == 0; then setenv sztp_copy 1; fi
	if itest.b *0x10200001 == 0xff && itest.b *0x10200000 == 0; then setenv sztp_copy 0; fi
elif test ${sztp_ok0} = 1; then
	setenv sztp_copy 0
elif test ${sztp_ok1} = 1; then
	setenv sztp_copy 1
fi
if test ${sztp_copy} = 0; then
	env import -c 0x10000001 0x1ffff sztp_enabled sztp_state sztp_active_slot sztp_trial_slot sztp_trial_attempts sztp_config_active sztp_config_trial
elif test ${sztp_copy} = 1; then
	env import -c 0x10100001 0x1ffff sztp_enabled sztp_state sztp_active_slot sztp_trial_slot sztp_trial_attempts sztp_config_active sztp_config_trial
else
	echo "sztp-boot: no valid environment copy"
	env delete sztp_enabled sztp_state sztp_active_slot sztp_trial_slot sztp_trial_attempts sztp_config_active sztp_config_trial
fi
echo "sztp-boot: using copy ${sztp_copy}: sztp_enabled=${sztp_enabled} sztp_state=${sztp_state} sztp_active_slot=${sztp_active_slot} sztp_trial_slot=${sztp_trial_slot} sztp_trial_attempts=${sztp_trial_attempts} sztp_config_active=${sztp_config_active} sztp_config_trial=${sztp_config_trial}"

# --- 4: boot -------------------------------------------------------------
setenv sztp_part
if test "${sztp_state}" = provisioned && test "${sztp_enabled}" = 0; then
	if test "${sztp_active_slot}" = a; then setenv sztp_part 1; fi
	if test "${sztp_active_slot}" = b; then setenv sztp_part 2; fi
fi
if test -n "${sztp_part}"; then
	setenv sztp_extra sztp.slot=${sztp_active_slot}
	if test -n "${sztp_config_active}" && test "${sztp_config_active}" != none; then
		setenv sztp_extra ${sztp_extra} sztp.config=sztp/config/${sztp_config_active}
	fi
	echo "sztp-boot: provisioned: booting slot ${sztp_active_slot} (virtio ${sztp_dev}:${sztp_part} /boot)"
	if load virtio ${sztp_dev}:${sztp_part} 0x1000000 /boot/vmlinuz && load virtio ${sztp_dev}:${sztp_part} 0x4000000 /boot/initrd.img; then
		setenv sztp_initrd_size ${filesize}
		mw.b 0x10300000 0 0x1000
		mw.l 0x10300000 0x70747a73
		mw.l 0x10300004 0x646d635f
		mw.l 0x10300008 0x656e696c
		mw.b 0x1030000c 0x3d
		setenv sztp_cmdline
		if load virtio ${sztp_dev}:${sztp_part} 0x1030000d /boot/cmdline 0xff0; then
			env import -t 0x10300000 0x1000 sztp_cmdline
		fi
		setenv bootargs ${sztp_cmdline} ${sztp_extra}
		echo "sztp-boot: command line: ${bootargs}"
		zboot 0x1000000 0 0x4000000 ${sztp_initrd_size}
	fi
	echo "sztp-boot: slot ${sztp_active_slot} did not boot: falling back to the provisioning system"
fi

echo "sztp-boot: state ${sztp_state}: booting the provisioning system (virtio ${sztp_dev}:3 /boot/provision)"
if load virtio ${sztp_dev}:3 0x1000000 /boot/provision/vmlinuz && load virtio ${sztp_dev}:3 0x4000000 /boot/provision/initrd.img; then
	setenv sztp_initrd_size ${filesize}
	mw.b 0x10300000 0 0x1000
	mw.l 0x10300000 0x70747a73
	mw.l 0x10300004 0x646d635f
	mw.l 0x10300008 0x656e696c
	mw.b 0x1030000c 0x3d
	setenv sztp_cmdline
	if load virtio ${sztp_dev}:3 0x1030000d /boot/provision/cmdline 0xff0; then
		env import -t 0x10300000 0x1000 sztp_cmdline
	fi
	if test -z "${sztp_cmdline}"; then setenv sztp_cmdline console=ttyS0 loglevel=4; fi
	setenv bootargs ${sztp_cmdline}
	echo "sztp-boot: command line: ${bootargs}"
	zboot 0x1000000 0 0x4000000 ${sztp_initrd_size}
fi
echo "sztp-boot: FAILED: nothing to boot"
