# Power-cut library (sourced by tests/powercut/run): boot board
# qemu-x86_64 through U-Boot, cut the power at a chosen point, check what
# the disk holds and what the next power-ups reach. See README.md here.
# shellcheck shell=sh disable=SC2034 # variables for the runner

. tests/lib/device.sh
SZ=$BUILD/sztpboot
SN='SN-1001'
NEW_VERSION=2.0
OLD_VERSION=1.0
# A power-up is over when the device reaches one of its ends (or fails).
END_RE='exampleos: up|sztpboot: round [0-9]+: no bootstrapping data|sztp-boot: FAILED|sztpboot-init: sztpboot run exited'

# Firmware: a U-Boot ROM (UBOOT_ROM or UBOOT_FW, else the one `make u-boot`,
# run by make uboot-disk, built into $BUILD/u-boot), or none
# (PC_DIRECT=1: QEMU loads the provisioning kernel itself, as the
# first-boot suites do).
pc_rom() {
	if [ -n "${UBOOT_ROM:-}" ]; then
		echo "$UBOOT_ROM"
	elif [ -n "${UBOOT_FW:-}" ]; then
		echo "$UBOOT_FW"
	else
		echo "$BUILD/u-boot/u-boot.rom"
	fi
}
pc_firmware() { # qemu/run options for the firmware
	[ "${PC_DIRECT:-0}" = 1 ] || echo "--bios $(pc_rom)"
}
pc_identity() {
	echo "--smbios-serial $SN --idevid-cert $KEYS/devices/$SN/idevid.pem --idevid-key $KEYS/devices/$SN/idevid.key"
}

# The watcher polls every 20 ms while QEMU hogs a CPU: shell builtins only,
# one grep per marker. PC_NOW: ms since boot of the host (/proc/uptime).
pc_now() {
	read -r _up _ </proc/uptime
	_cs=${_up#*.}
	_cs=${_cs#0}
	PC_NOW=$((${_up%.*} * 1000 + _cs * 10))
}
pc_strip() { tr -d '\r' <"$1" >"$1.tmp" && mv "$1.tmp" "$1"; }
# Console lines end in \r\n; no marker depends on the \r.
pc_seen() { [ -f "$1" ] && grep -Eq -- "$2" "$1"; }

# --- seeded choices: an LCG on 31 bits, the same in every POSIX shell ------
pc_srand() { PC_RNG=$(($1 % 2147483648)); }
pc_rand() { # N: sets RAND to 0..N-1 (not in a subshell: it keeps state)
	PC_RNG=$(((PC_RNG * 1103515245 + 12345) % 2147483648))
	RAND=$(((PC_RNG / 65536) % $1))
}

# --- the phases ------------------------------------------------------------
# Each phase: where it starts (START, a console line), the line before it at
# which the disk is slowed down (ARM, empty: from power-on), the QEMU
# throttle limits set then (LIMITS, ThrottleLimits members), and how long it
# lasts when slowed (WINDOW, ms): the cut comes at a random instant of it.
# Whether a cut fell into a phase is decided by the log alone (pc_classify).
# Slowing the disk: the system disk is a chain blkdebug (splits every request
# into 4 KiB pieces) -> throttle node (throttle group pc-tg) -> the file, so
# a 128 KiB environment copy takes seconds and a cut tears it page by page.
PC_PHASES_ALL='slot env-trial prekexec kexec trial env-confirm env-fallback uboot-env'

pc_have_kexec_lines() { grep -aq 'starting the new kernel' "$SZ" 2>/dev/null; }
pc_have_uboot_counting() { grep -aq 'writing copy' "$BUILD/u-boot/boot.scr" 2>/dev/null; }
pc_phase_available() { # PHASE: 0 when this build can show it in the log
	case $1 in
	uboot-env) [ "${PC_DIRECT:-0}" != 1 ] && pc_have_uboot_counting ;;
	prekexec) pc_have_kexec_lines ;;
	slot | env-trial | kexec | trial | env-confirm | env-fallback) return 0 ;;
	*) return 1 ;;
	esac
}
# The new system's kernel starts: after a kexec, or from U-Boot (a slot's
# command line, which carries sztp.slot=).
pc_new_kernel_re() {
	if pc_have_kexec_lines; then printf '%s' 'kexec: starting the new kernel'; else
		printf '%s' 'sztpboot: booting slot [ab]:'; fi
	printf '%s\n' '|^sztp-boot: command line: .*sztp\.slot='
}
# pc_phase PHASE PATH: sets ARM LIMITS START WINDOW. PATH first: the first
# boot with the stick; retry: a power-up of a disk left in state trial;
# fallback: of one whose trial has no attempts left.
pc_phase() {
	ARM='' LIMITS='' START='' WINDOW=2000
	case $1 in
	slot)
		ARM='differs from the installed one: installing into slot'
		LIMITS='"bps-write": 8388608'
		START='sztpboot: boot image: streaming .* into /dev/vda[12]'
		WINDOW=5000 ;;
	env-trial)
		# First boot: the stick's pre-configuration script sleeps 2 s
		# after the slot is synced, time enough to slow the disk down.
		# A later power-up counts its attempt as soon as sztpboot starts:
		# slowed from power-on (nothing writes before it).
		ARM='sztpboot: boot image: [0-9]+ bytes written to /dev/vda[12] and synced'
		[ "$2" = first ] || ARM=''
		LIMITS='"bps-write": 65536'
		START='sztpboot: environment: writing state trial to copy'
		WINDOW=1800 ;;
	prekexec)
		# kexec_file_load reads the slot's kernel and initrd: slow reads.
		ARM='sztpboot: boot image: [0-9]+ bytes written to /dev/vda[12] and synced'
		[ "$2" = first ] || ARM=''
		LIMITS='"bps-read": 4194304'
		START='sztpboot: booting slot [ab]:'
		WINDOW=2500 ;;
	kexec)
		# Until the new system's first line: its kernel boots (4-12 s,
		# with the machine's load).
		START='sztpboot: booting slot [ab]:'
		pc_have_kexec_lines && START='kexec: starting the new kernel'
		WINDOW=5500 ;;
	trial)
		# The new system reads its configuration, then confirm reads the
		# environment (256 KiB): slow reads from its kernel's start on.
		ARM=$(pc_new_kernel_re)
		LIMITS='"bps-read": 65536'
		START='^exampleos: os-name='
		WINDOW=4000 ;;
	env-confirm)
		ARM=$(pc_new_kernel_re)
		LIMITS='"bps-write": 65536'
		START='sztpboot: environment: writing state provisioned to copy'
		WINDOW=1700 ;;
	env-fallback)
		# No attempts left: U-Boot writes nothing, sztpboot falls back
		# as soon as it starts: slowed from power-on.
		LIMITS='"bps-write": 65536'
		START='sztpboot: environment: writing state (unprovisioned|provisioned) to copy'
		WINDOW=1800 ;;
	uboot-env)
		LIMITS='"bps-write": 65536'
		START='^sztp-boot: trial: slot [ab], .*: writing copy [01]'
		WINDOW=1800 ;;
	*) return 1 ;;
	esac
}

# pc_classify LOG: the phase the log proves the device was in when the power
# went: a phase's start line is there and its end line is not. Between
# phases: after-PHASE; before any: boot.
pc_classify() {
	_kx=0
	pc_have_kexec_lines && _kx=1
	tr -d '\r' <"$1" | awk -v kx=$_kx '
	/sztpboot: boot image: streaming .* into \/dev\/vda[12]/ { ph = "slot"; next }
	ph == "slot" && /sztpboot: boot image: [0-9]+ bytes written to \/dev\/vda[12] and synced/ { ph = "after-slot"; next }
	/sztpboot: environment: writing state trial to copy/ { ph = "env-trial"; next }
	/sztpboot: environment: writing state provisioned to copy/ { ph = ex ? "env-confirm" : "env-fallback"; next }
	/sztpboot: environment: writing state unprovisioned to copy/ { ph = "env-fallback"; next }
	ph ~ /^env-/ && /sztpboot: environment: copy [01] written and synced/ { ph = "after-" ph; next }
	/sztpboot: booting slot [ab]:/ { ph = "prekexec"; next }
	/kexec: starting the new kernel/ { ph = "kexec"; next }
	# Without the kexec lines, any line after "booting slot" and before
	# the new system proves the new kernel runs (and cuts there are kexec).
	kx == 0 && ph == "prekexec" && NF && !/^sztpboot: / { ph = "kexec"; next }
	/^exampleos: os-name=/ { ph = "trial"; ex = 1; next }
	/^sztpboot: confirmed: / { ph = "after-confirm"; next }
	/^sztp-boot: trial: slot [ab], .*: writing copy [01]/ { ph = "uboot-env"; next }
	ph == "uboot-env" && /^sztp-boot: trial: (copy [01] written|writing copy [01] failed)/ { ph = "after-uboot-env"; next }
	/^sztp-boot: / && ph == "" { ph = "boot" }
	/^exampleos: up/ { ph = "up" }
	END { print ph == "" ? "boot" : ph }'
}

# --- QEMU ------------------------------------------------------------------
# pc_boot DISK LOG [qemu/run options]: one power-up until an end; prints
# qemu/run's exit status. The log is stored without \r.
pc_boot() {
	_d=$1 _l=$2
	shift 2
	# shellcheck disable=SC2046
	qemu/run --quiet $(pc_firmware) $(pc_identity) --disk "$_d" --serial-log "$_l" \
		--timeout "${PC_TIMEOUT:-240}" --stall 60 --until "$END_RE" "$@" >"$_l.run" 2>&1
	_rc=$?
	pc_strip "$_l"
	echo $_rc
}

pc_qmp() { # SOCKET COMMAND-JSON
	printf '%s\n%s\n' '{"execute": "qmp_capabilities"}' "$2" |
		socat -t 0.5 - "UNIX-CONNECT:$1" >>"$1.out" 2>&1
}
pc_throttle() { # SOCKET LIMITS
	pc_qmp "$1" "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"pc-tg\", \"property\": \"limits\", \"value\": {$2}}}"
}
# pc_kill RUNPID PIDFILE: SIGKILL the QEMU that this qemu/run started, by its
# PID (checked to be qemu/run's child), nothing else.
pc_kill() {
	[ -s "$2" ] || return 1
	_p=$(cat "$2")
	[ -r "/proc/$_p/stat" ] || return 1
	[ "$(awk '{print $4}' "/proc/$_p/stat")" = "$1" ] || return 1
	kill -KILL "$_p"
}
pc_alive() { # PID: running, and not a zombie (qemu/run's name has no blank)
	[ -r "/proc/$1/stat" ] || return 1
	read -r _ _ _pst _ <"/proc/$1/stat" 2>/dev/null || return 1
	[ "$_pst" != Z ]
}

# pc_cut_boot DISK LOG PHASE PATH DELAY [qemu/run options]: power up, slow
# the disk from the phase's ARM line, cut DELAY ms after its START line.
# Sets CUT (1 if the power was cut), T_ARM T_START T_KILL (ms after
# power-on; - when not reached), RC (qemu/run's status).
pc_cut_boot() {
	_d=$1 _l=$2 _ph=$3 _path=$4 _delay=$5
	shift 5
	pc_phase "$_ph" "$_path"
	_dir=$(dirname "$_l")
	_sock=$_dir/qmp.sock _pidf=$_dir/qemu.pid
	rm -f "$_sock" "$_pidf" "$_l"
	_tg=pc-tg
	# Limits from power-on: set them on the command line.
	if [ -z "$ARM" ] && [ -n "$LIMITS" ]; then
		_tg="$_tg,x-$(echo "$LIMITS" | sed 's/"//g; s/: */=/')"
	fi
	_f=$(printf '%s' "$_d" | sed 's/,/,,/g')
	# shellcheck disable=SC2046
	qemu/run --quiet $(pc_firmware) $(pc_identity) --serial-log "$_l" \
		--timeout "${PC_TIMEOUT:-240}" --stall 60 --until "$END_RE" "$@" -- \
		-object "throttle-group,id=$_tg" \
		-blockdev "driver=file,node-name=pc-file,filename=$_f" \
		-blockdev driver=throttle,node-name=pc-thr,throttle-group=pc-tg,file=pc-file \
		-blockdev driver=blkdebug,node-name=pc-disk,max-transfer=4096,image=pc-thr \
		-device virtio-blk-pci,drive=pc-disk,addr=02.0 \
		-qmp "unix:$_sock,server=on,wait=off" -pidfile "$_pidf" >"$_l.run" 2>&1 &
	_qr=$!
	pc_now
	_t0=$PC_NOW
	T_ARM=- T_START=- T_KILL=- CUT=0
	_st=arm
	[ -z "$ARM" ] && _st=start T_ARM=0
	_thr=
	while pc_alive $_qr; do
		pc_now
		_now=$PC_NOW
		if [ $_st = arm ] && pc_seen "$_l" "$ARM"; then
			pc_throttle "$_sock" "$LIMITS" &
			_thr=$!
			T_ARM=$((_now - _t0)) _st=start
		fi
		if [ $_st = start ] && pc_seen "$_l" "$START"; then
			T_START=$((_now - _t0)) _st=wait
		fi
		if [ $_st = wait ] && [ $((_now - _t0 - T_START)) -ge "$_delay" ]; then
			if pc_kill $_qr "$_pidf"; then
				T_KILL=$((_now - _t0)) CUT=1
				break
			fi
		fi
		sleep 0.02
	done
	wait $_qr
	RC=$?
	[ -n "$_thr" ] && wait "$_thr" 2>/dev/null
	pc_strip "$_l"
}

# --- what a power-up reached -------------------------------------------------
# pc_end LOG RC: new | old | provisioning | "failed: why"
pc_end() {
	if grep -q '^exampleos: up' "$1"; then
		_v=$(sed -n 's/^exampleos: os-name=[^ ]* os-version=//p' "$1" | tail -1)
		case $_v in
		"$NEW_VERSION") echo new ;;
		"$OLD_VERSION") echo old ;;
		*) echo "failed: a system of version '$_v' came up" ;;
		esac
	elif grep -Eq 'sztpboot: round [0-9]+: no bootstrapping data' "$1"; then
		echo provisioning
	elif grep -q 'sztp-boot: FAILED' "$1"; then
		echo "failed: U-Boot: $(grep 'sztp-boot: FAILED' "$1" | head -1)"
	elif grep -q 'sztpboot-init: sztpboot run exited' "$1"; then
		echo "failed: sztpboot gave up: $(grep '^sztpboot: ' "$1" | tail -1)"
	elif [ "$2" = 1 ] || grep -q 'Kernel panic' "$1"; then
		echo "failed: kernel panic: $(grep -m1 'Kernel panic' "$1")"
	elif [ "$2" = 124 ]; then
		echo "failed: hang (no end before the timeout); last line: $(grep -v '^[[:space:]]*$' "$1" | tail -1 | cut -c1-100)"
	else
		echo "failed: qemu/run exit $2; last line: $(grep -v '^[[:space:]]*$' "$1" | tail -1 | cut -c1-100)"
	fi
}

# --- what the disk holds -----------------------------------------------------
pc_cfg() { # DISK: fw_env.config lines for the disk file
	printf '%s %s %s\n%s %s %s\n' "$1" "$ENV_OFFSET_1" "$ENV_SIZE" "$1" "$ENV_OFFSET_2" "$ENV_SIZE" >"$1.cfg"
}
pc_var() { sed -n "s/^$2=//p" "$1.env" | head -1; } # DISK NAME (after pc_check)
slot_start() { if [ "$1" = b ]; then echo "$SLOT_B_START_MIB"; else echo "$SLOT_A_START_MIB"; fi; }

# pc_slot_ok DISK SLOT VERSION: the slot holds that ExampleOS image, byte for
# byte, and its /boot/vmlinuz is the image's.
pc_slot_ok() {
	_img=$BUILD/images/exampleos-$3.img
	[ -f "$_img" ] || { echo "slot $2: no image of version '$3' to compare with"; return 1; }
	_sz=$(stat -c %s "$_img")
	_have=$(dd if="$1" bs=1M skip="$(slot_start "$2")" count=$((_sz / 1048576)) 2>/dev/null | sha256sum | cut -d' ' -f1)
	[ "$_have" = "$(pc_sum "$_img")" ] || { echo "slot $2: does not hold ExampleOS $3 (sha256 $_have)"; return 1; }
	_kern=$(MTOOLS_SKIP_CHECK=1 mtype -i "$1@@$(slot_start "$2")M" ::/boot/vmlinuz 2>/dev/null | sha256sum | cut -d' ' -f1)
	[ "$_kern" = "$(MTOOLS_SKIP_CHECK=1 mtype -i "$_img" ::/boot/vmlinuz | sha256sum | cut -d' ' -f1)" ] ||
		{ echo "slot $2: /boot/vmlinuz is not ExampleOS $3's (sha256 $_kern)"; return 1; }
}
pc_sum() { # FILE: sha256, cached beside the file's mtime
	_c=$W/sums/$(echo "$1" | tr / _).$(stat -c %Y "$1")
	[ -f "$_c" ] || { mkdir -p "$W/sums"; sha256sum "$1" | cut -d' ' -f1 >"$_c"; }
	cat "$_c"
}
pc_config_ok() { # DISK GENERATION
	[ "$2" = none ] && return 0
	MTOOLS_SKIP_CHECK=1 mdir -b -i "$1@@${DATA_START_MIB}M" "::/sztp/config/$2/configuration" >/dev/null 2>&1 ||
		{ echo "configuration $2: no sztp/config/$2/configuration on the data partition"; return 1; }
}

# pc_check DISK: the environment is readable by fw_printenv and sztpboot alike
# (never both copies bad) and says the same to both; a provisioned state has
# its slot and its committed configuration, a trial its slot and its staged
# configuration. Prints each problem; sets TORN (copies found invalid).
pc_check() {
	pc_cfg "$1"
	_bad=0 TORN=
	if ! fw_printenv -c "$1.cfg" >"$1.fwenv" 2>"$1.fwerr"; then
		echo "fw_printenv cannot read the environment: $(head -1 "$1.fwerr")"
		_bad=1
	fi
	if ! "$SZ" env -c "$1.cfg" print >"$1.env" 2>"$1.enverr"; then
		echo "sztpboot env cannot read the environment: $(head -1 "$1.enverr")"
		return 1
	fi
	TORN=$(sed -n 's/.*environment: copy \([01]\) .* is invalid.*/copy\1/p' "$1.enverr" | head -1)
	if [ $_bad = 0 ] && ! LC_ALL=C sort "$1.fwenv" | cmp -s - "$1.env"; then
		echo "fw_printenv and sztpboot env disagree: $(LC_ALL=C sort "$1.fwenv" | diff - "$1.env" | grep '^[<>]' | head -2 | tr '\n' ' ')"
		_bad=1
	fi
	_st=$(pc_var "$1" sztp_state)
	case $_st in
	provisioned)
		_s=$(pc_var "$1" sztp_active_slot)
		case $_s in a | b) ;; *) echo "provisioned, but sztp_active_slot='$_s'"; return 1 ;; esac
		pc_slot_ok "$1" "$_s" "$(pc_var "$1" "sztp_slot_${_s}_os_version")" || _bad=1
		pc_config_ok "$1" "$(pc_var "$1" sztp_config_active)" || _bad=1 ;;
	trial)
		_s=$(pc_var "$1" sztp_trial_slot)
		case $_s in a | b) ;; *) echo "trial, but sztp_trial_slot='$_s'"; return 1 ;; esac
		pc_slot_ok "$1" "$_s" "$(pc_var "$1" "sztp_slot_${_s}_os_version")" || _bad=1
		pc_config_ok "$1" "$(pc_var "$1" sztp_config_trial)" || _bad=1 ;;
	unprovisioned) ;;
	*) echo "sztp_state='$_st'"; _bad=1 ;;
	esac
	return $_bad
}

# pc_expect DISK (after pc_check): the end a power-up without the stick must
# reach from this environment.
pc_expect() {
	_st=$(pc_var "$1" sztp_state)
	_en=$(pc_var "$1" sztp_enabled)
	case $_st in
	trial)
		if [ "$(pc_var "$1" sztp_trial_attempts)" -gt 0 ] 2>/dev/null; then echo new; else echo 'old|provisioning'; fi ;;
	provisioned)
		if [ "$_en" = 0 ]; then
			_s=$(pc_var "$1" sztp_active_slot)
			case $(pc_var "$1" "sztp_slot_${_s}_os_version") in
			"$NEW_VERSION") echo new ;;
			*) echo old ;;
			esac
		else
			echo provisioning
		fi ;;
	*) echo provisioning ;;
	esac
}

# --- fixtures ----------------------------------------------------------------
# pc_setup: builds, the stick (ExampleOS 2.0 with a configuration), and the
# base disks: factory (the U-Boot factory disk) and update (ExampleOS 1.0
# provisioned from its own stick and confirmed, then SZTP switched back on
# with `sztpboot env set`, as an operator would: 2.0 goes into slot b).
pc_setup() {
	mkdir -p "$W"
	printf 'hostname powercut-device\n' >"$W/conf"
	printf 'hostname powercut-old\n' >"$W/conf-old"
	# An owner's script that takes its time (and gives pc_cut_boot time to
	# slow the disk down before the environment write).
	printf '#!/bin/sh\necho "powercut: pre-configuration script, 2 s"\nsleep 2\n' >"$W/pre.sh"
	rm -rf "$W/stick" "$W/stick-old"
	mkstick "$W/stick" $SN --image "$BUILD/images/exampleos-$NEW_VERSION.img" --os-name ExampleOS \
		--os-version $NEW_VERSION --config-handling merge --config "$W/conf" --pre-script "$W/pre.sh" || return 1
	qemu/mkusb "$W/stick" "$W/stick.img" >/dev/null || return 1
	cp "$BUILD/images/uboot-disk.img" "$W/base-factory.img"
}
pc_setup_update() {
	[ -f "$W/base-update.img" ] && return 0
	mkstick "$W/stick-old" $SN --image "$BUILD/images/exampleos-$OLD_VERSION.img" --os-name ExampleOS \
		--os-version $OLD_VERSION --config-handling merge --config "$W/conf-old" || return 1
	qemu/mkusb "$W/stick-old" "$W/stick-old.img" >/dev/null || return 1
	cp "$BUILD/images/uboot-disk.img" "$W/update.tmp"
	# A fixture, not under test: booted the quick way (no U-Boot).
	_rc=$(PC_DIRECT=1 pc_boot "$W/update.tmp" "$W/base-update.log" --usb "$W/stick-old.img")
	if ! pc_check "$W/update.tmp" >"$W/base-update.check" ||
	   [ "$(pc_var "$W/update.tmp" sztp_state)/$(pc_var "$W/update.tmp" sztp_slot_a_os_version)" != provisioned/$OLD_VERSION ]; then
		echo "powercut: cannot make the update base disk (ExampleOS $OLD_VERSION; qemu/run $_rc): see $W/base-update.log" >&2
		return 1
	fi
	"$SZ" env -c "$W/update.tmp.cfg" -q set sztp_enabled=1 || return 1
	mv "$W/update.tmp" "$W/base-update.img"
}
# pc_setup_trial VARIANT: the variant's disk just after the trial write (the
# first boot stopped at "booting slot"), for cuts of a later power-up.
pc_setup_trial() {
	[ -f "$W/base-$1-trial.img" ] && return 0
	cp "$W/base-$1.img" "$W/trial.tmp"
	_rc=$(pc_boot "$W/trial.tmp" "$W/base-$1-trial.log" --usb "$W/stick.img" --until 'sztpboot: booting slot')
	if ! pc_check "$W/trial.tmp" >"$W/base-$1-trial.check" || [ "$(pc_var "$W/trial.tmp" sztp_state)" != trial ]; then
		echo "powercut: cannot make the $1 trial disk (qemu/run $_rc; $(pc_end "$W/base-$1-trial.log" "$_rc")): see $W/base-$1-trial.log" >&2
		return 1
	fi
	mv "$W/trial.tmp" "$W/base-$1-trial.img"
}
# pc_setup_fallback VARIANT: the trial disk after power-ups that each used an
# attempt and were cut as the slot started booting, until none is left.
pc_setup_fallback() {
	[ -f "$W/base-$1-fallback.img" ] && return 0
	cp "$W/base-$1-trial.img" "$W/fallback.tmp"
	_i=0
	while pc_check "$W/fallback.tmp" >"$W/base-$1-fallback.check" &&
	      [ "$(pc_var "$W/fallback.tmp" sztp_state)" = trial ] &&
	      [ "$(pc_var "$W/fallback.tmp" sztp_trial_attempts)" != 0 ] && [ $_i -lt 5 ]; do
		_i=$((_i + 1))
		_rc=$(pc_boot "$W/fallback.tmp" "$W/base-$1-fallback-$_i.log" --until 'booting slot [ab]')
	done
	if [ "$(pc_var "$W/fallback.tmp" sztp_state)/$(pc_var "$W/fallback.tmp" sztp_trial_attempts)" != trial/0 ]; then
		echo "powercut: cannot use up the $1 trial's attempts: see $W/base-$1-fallback-*.log" >&2
		return 1
	fi
	mv "$W/fallback.tmp" "$W/base-$1-fallback.img"
}
