# Shared helpers for the QEMU scenario suites (sourced). A "device" is a
# copy of the factory disk booted under qemu/run with a serial number and
# an IDevID from build/keys.
# shellcheck shell=sh

: "${BUILD:=build}"
TOP=$(pwd)
KEYS=$BUILD/keys
. "$TOP/board/qemu-x86_64/layout"

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # NAME COMMAND...: ok if the command succeeds
	n=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$n"; else fail "$n" "$*"; fi
}

# mkstick STICKDIR SERIAL [mkbootstrap options...]: bootstrapping data for
# a development device, signed by the EC development owner.
mkstick() {
	dir=$1 sn=$2
	shift 2
	tools/mkbootstrap --out "$dir" --manufacturer example-oem --serial "$sn" \
		--masa-cert "$KEYS/masa.pem" --masa-key "$KEYS/masa.key" \
		--owner-cert "$KEYS/owner/owner.pem" --owner-key "$KEYS/owner/owner.key" \
		--owner-chain "$KEYS/owner/owner-int.pem" --pinned "$KEYS/owner/owner-ca.pem" \
		--idevid-cert "$KEYS/devices/$sn/idevid.pem" "$@" >/dev/null
}

# boot DISK SERIAL LOG [qemu/run options...]
boot() {
	disk=$1 sn=$2 log=$3
	shift 3
	qemu/run --quiet --disk "$disk" --smbios-serial "$sn" \
		--idevid-cert "$KEYS/devices/$sn/idevid.pem" --idevid-key "$KEYS/devices/$sn/idevid.key" \
		--serial-log "$log" --timeout 240 --stall 90 "$@"
}

# Bytes of the two environment copies, slot A, slot B; and the env as text.
env_bytes() { dd if="$1" bs=64K skip=16 count=4 2>/dev/null | sha256sum | cut -d' ' -f1; }
slot_bytes() { # DISK a|b
	start=$SLOT_A_START_MIB
	[ "$2" = b ] && start=$SLOT_B_START_MIB
	dd if="$1" bs=1M skip="$start" count="$SLOT_A_SIZE_MIB" 2>/dev/null | sha256sum | cut -d' ' -f1
}
env_get() { # DISK NAME
	printf '%s %s %s\n%s %s %s\n' "$1" "$ENV_OFFSET_1" "$ENV_SIZE" "$1" "$ENV_OFFSET_2" "$ENV_SIZE" >"$1.fwenv"
	fw_printenv -c "$1.fwenv" -n "$2" 2>/dev/null
}
# fwcfg DISK: a fw_env.config naming the board's two copies on DISK (DISK.cfg).
fwcfg() {
	printf '%s %s %s\n%s %s %s\n' "$1" "$ENV_OFFSET_1" "$ENV_SIZE" "$1" "$ENV_OFFSET_2" "$ENV_SIZE" >"$1.cfg"
	echo "$1.cfg"
}
# ub_boot DISK LOG UNTIL [qemu/run options...]: power up through U-Boot
# ($ROM) until a console line matches UNTIL; LOG without CRs. Later
# options (--timeout, --stall) override the defaults.
ub_boot() {
	_d=$1 _l=$2 _u=$3
	shift 3
	qemu/run --quiet --bios "$ROM" --disk "$_d" --serial-log "$_l" \
		--timeout 90 --stall 30 --until "$_u" "$@" >/dev/null 2>&1
	tr -d '\r' <"$_l" >"$_l.txt" && mv "$_l.txt" "$_l"
}
data_ls() { mdir -b -i "$1@@${DATA_START_MIB}M" "::/$2" 2>/dev/null; }
log_has() { grep -qE "$2" "$1"; }
