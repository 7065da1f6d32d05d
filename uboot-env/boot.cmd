# U-Boot boot script of board @BOARD@ (uboot-env/README.md, "U-Boot").
# Made from uboot-env/boot.cmd by uboot-env/mkscript.sh, which fills in the
# board's addresses (board/@BOARD@/u-boot.vars) and the environment's place
# on the disk (board/@BOARD@/layout); compiled with mkimage -T script.
#
# Lives on the data partition as /boot/boot.scr; the board's U-Boot
# (board/@BOARD@/u-boot.config) runs only this script from only that
# partition: it never scans removable media, which are untrusted here.
#
# 1. Read both redundant environment copies (sectors @SECT0@ and @SECT1@,
#    @NSECT@ sectors each).
# 2. Check each copy's CRC with U-Boot's own `env import -c`: the four CRC
#    bytes are moved next to the data (over the flag byte, saved first),
#    so the copy becomes a single-layout block at +1.
# 3. Pick the current copy as U-Boot's env_import_redund does: the only
#    valid one; of two valid ones the newer flag (255 -> 0 is a wrap; equal:
#    copy 0). Import the sztp_* variables only, from that copy.
# 4. trial, slot a|b, 1..9 attempts left: count the attempt down in a new
#    environment written to the other copy (flag + 1, CRC), then boot the
#    trial slot. No attempts left, or a slot that does not load: the
#    provisioning system, whose `sztpboot run` falls back (R144).
# 5. provisioned and SZTP off, slot a|b: boot that slot.
# 6. Everything else: the provisioning system from /boot/provision/.
# Memory: copies @ENV0@/@ENV1@, flags @SCR@, new copy @WBUF@,
# command line @CMD@, kernel @KADDR@, initrd @IADDR@.

echo "sztp-boot: boot script for @BOARD@"
setenv sztp_dev 0
virtio dev ${sztp_dev}

# --- 1+2: read and check both copies -----------------------------------
setenv sztp_ok0 0
setenv sztp_ok1 0
mw.b @SCR@ 0 0x100
if virtio read @ENV0@ @SECT0@ @NSECT@; then
	cp.b @ENV0_4@ @SCR@ 1
	cp.b @ENV0@ @SCR_10@ 4
	cp.b @SCR_10@ @ENV0_1@ 4
	if env import -c @ENV0_1@ @DSIZE@ sztp__probe; then setenv sztp_ok0 1; fi
fi
if virtio read @ENV1@ @SECT1@ @NSECT@; then
	cp.b @ENV1_4@ @SCR_1@ 1
	cp.b @ENV1@ @SCR_10@ 4
	cp.b @SCR_10@ @ENV1_1@ 4
	if env import -c @ENV1_1@ @DSIZE@ sztp__probe; then setenv sztp_ok1 1; fi
fi
echo "sztp-boot: environment copy 0 valid=${sztp_ok0} copy 1 valid=${sztp_ok1}; flags:"
md.b @SCR@ 2

# --- 3: pick the current copy ------------------------------------------
setenv sztp_copy none
if test ${sztp_ok0} = 1 && test ${sztp_ok1} = 1; then
	setenv sztp_copy 0
	if itest.b *@SCR_1@ > *@SCR@; then setenv sztp_copy 1; fi
	if itest.b *@SCR@ == 0xff && itest.b *@SCR_1@ == 0; then setenv sztp_copy 1; fi
	if itest.b *@SCR_1@ == 0xff && itest.b *@SCR@ == 0; then setenv sztp_copy 0; fi
elif test ${sztp_ok0} = 1; then
	setenv sztp_copy 0
elif test ${sztp_ok1} = 1; then
	setenv sztp_copy 1
fi
if test ${sztp_copy} = 0; then
	env import -c @ENV0_1@ @DSIZE@ sztp_enabled sztp_state sztp_active_slot sztp_trial_slot sztp_trial_attempts sztp_config_active sztp_config_trial
elif test ${sztp_copy} = 1; then
	env import -c @ENV1_1@ @DSIZE@ sztp_enabled sztp_state sztp_active_slot sztp_trial_slot sztp_trial_attempts sztp_config_active sztp_config_trial
else
	echo "sztp-boot: no valid environment copy"
	env delete sztp_enabled sztp_state sztp_active_slot sztp_trial_slot sztp_trial_attempts sztp_config_active sztp_config_trial
fi
echo "sztp-boot: using copy ${sztp_copy}: sztp_enabled=${sztp_enabled} sztp_state=${sztp_state} sztp_active_slot=${sztp_active_slot} sztp_trial_slot=${sztp_trial_slot} sztp_trial_attempts=${sztp_trial_attempts} sztp_config_active=${sztp_config_active} sztp_config_trial=${sztp_config_trial}"

# --- 4: trial: count the attempt, boot the trial slot ------------------
# setexpr computes in hex: 1..9 are the same in both, and the board's
# trial-attempts is at most 9 (src/board.c). Anything else is not counted
# here but left to sztpboot, which refuses what it cannot parse.
setenv sztp_boot_slot
setenv sztp_boot_config
if test "${sztp_state}" = trial; then
	setenv sztp_n
	setenv sztp_a "${sztp_trial_attempts}"
	if test "${sztp_a}" = 1 || test "${sztp_a}" = 2 || test "${sztp_a}" = 3 || test "${sztp_a}" = 4 || test "${sztp_a}" = 5 || test "${sztp_a}" = 6 || test "${sztp_a}" = 7 || test "${sztp_a}" = 8 || test "${sztp_a}" = 9; then
		setenv sztp_n 1
	fi
	if test "${sztp_trial_slot}" != a && test "${sztp_trial_slot}" != b; then setenv sztp_n; fi
	if test -z "${sztp_n}"; then
		echo "sztp-boot: trial of slot ${sztp_trial_slot}: no attempts left (${sztp_trial_attempts}): the provisioning system falls back"
	else
		# The new environment is the current copy with one variable
		# changed: replace U-Boot's whole environment with that copy
		# (-d), change it, export it. From the import on, every value
		# this script uses is either a literal or set again below: the
		# copy's variables are all that is left.
		if test ${sztp_copy} = 0; then
			env import -d -c @ENV0_1@ @DSIZE@
			setexpr sztp_trial_attempts ${sztp_trial_attempts} - 1
			env export -c -s @DSIZE@ @WBUF_1@
			setexpr.b sztp_f *@SCR@ + 1
			setenv sztp_w 1
		else
			env import -d -c @ENV1_1@ @DSIZE@
			setexpr sztp_trial_attempts ${sztp_trial_attempts} - 1
			env export -c -s @DSIZE@ @WBUF_1@
			setexpr.b sztp_f *@SCR_1@ + 1
			setenv sztp_w 0
		fi
		setenv sztp_boot_slot
		setenv sztp_boot_config
		# CRC (over the data area) to the front, then the flag byte.
		cp.b @WBUF_1@ @SCR_10@ 4
		cp.b @SCR_10@ @WBUF@ 4
		mw.b @WBUF_4@ ${sztp_f}
		setenv sztp_dev 0
		echo "sztp-boot: trial: slot ${sztp_trial_slot}, ${sztp_trial_attempts} attempts left after this one: writing copy ${sztp_w}"
		setenv sztp_wok 0
		if test ${sztp_w} = 0; then
			if virtio write @WBUF@ @SECT0@ @NSECT@; then setenv sztp_wok 1; fi
		else
			if virtio write @WBUF@ @SECT1@ @NSECT@; then setenv sztp_wok 1; fi
		fi
		if test ${sztp_wok} = 1; then
			echo "sztp-boot: trial: copy ${sztp_w} written"
			setenv sztp_boot_slot ${sztp_trial_slot}
			setenv sztp_boot_config ${sztp_config_trial}
		else
			echo "sztp-boot: trial: writing copy ${sztp_w} failed: the provisioning system decides"
		fi
	fi
fi

# --- 5: provisioned: the active slot -------------------------------------
if test -z "${sztp_boot_slot}" && test "${sztp_state}" = provisioned && test "${sztp_enabled}" = 0; then
	if test "${sztp_active_slot}" = a || test "${sztp_active_slot}" = b; then
		setenv sztp_boot_slot ${sztp_active_slot}
		setenv sztp_boot_config ${sztp_config_active}
		echo "sztp-boot: provisioned: booting slot ${sztp_active_slot}"
	fi
fi

if test -n "${sztp_boot_slot}"; then
	setenv sztp_part 1
	if test "${sztp_boot_slot}" = b; then setenv sztp_part 2; fi
	setenv sztp_extra sztp.slot=${sztp_boot_slot}
	if test -n "${sztp_boot_config}" && test "${sztp_boot_config}" != none; then
		setenv sztp_extra ${sztp_extra} sztp.config=sztp/config/${sztp_boot_config}
	fi
	echo "sztp-boot: booting slot ${sztp_boot_slot} (virtio ${sztp_dev}:${sztp_part} /boot)"
	if load virtio ${sztp_dev}:${sztp_part} @KADDR@ /boot/vmlinuz && load virtio ${sztp_dev}:${sztp_part} @IADDR@ /boot/initrd.img; then
		setenv sztp_initrd_size ${filesize}
		mw.b @CMD@ 0 0x1000
		mw.l @CMD@ 0x70747a73
		mw.l @CMD_4@ 0x646d635f
		mw.l @CMD_8@ 0x656e696c
		mw.b @CMD_C@ 0x3d
		setenv sztp_cmdline
		if load virtio ${sztp_dev}:${sztp_part} @CMD_D@ /boot/cmdline 0xff0; then
			env import -t @CMD@ 0x1000 sztp_cmdline
		fi
		setenv bootargs ${sztp_cmdline} ${sztp_extra}
		echo "sztp-boot: command line: ${bootargs}"
		@BOOT_LINUX@
	fi
	echo "sztp-boot: slot ${sztp_boot_slot} did not boot: falling back to the provisioning system"
fi

# --- 6: the provisioning system --------------------------------------------
echo "sztp-boot: state ${sztp_state}: booting the provisioning system (virtio ${sztp_dev}:3 /boot/provision)"
if load virtio ${sztp_dev}:3 @KADDR@ /boot/provision/vmlinuz && load virtio ${sztp_dev}:3 @IADDR@ /boot/provision/initrd.img; then
	setenv sztp_initrd_size ${filesize}
	mw.b @CMD@ 0 0x1000
	mw.l @CMD@ 0x70747a73
	mw.l @CMD_4@ 0x646d635f
	mw.l @CMD_8@ 0x656e696c
	mw.b @CMD_C@ 0x3d
	setenv sztp_cmdline
	if load virtio ${sztp_dev}:3 @CMD_D@ /boot/provision/cmdline 0xff0; then
		env import -t @CMD@ 0x1000 sztp_cmdline
	fi
	if test -z "${sztp_cmdline}"; then setenv sztp_cmdline @CONSOLE_ARGS@; fi
	setenv bootargs ${sztp_cmdline}
	echo "sztp-boot: command line: ${bootargs}"
	@BOOT_LINUX@
fi
echo "sztp-boot: FAILED: nothing to boot"
