#!/bin/sh
# Make a board's U-Boot boot script from uboot-env/boot.cmd: fill in the
# addresses of board/BOARD/u-boot.vars and the environment copies of
# board/BOARD/layout, then compile it with mkimage.
#
#   uboot-env/mkscript.sh BOARD OUT.scr      (also writes OUT.scr.cmd, the text)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
board=$1 out=$2
dir=$top/board/$board
[ -f "$dir/u-boot.vars" ] && [ -f "$dir/layout" ] || {
	echo "mkscript: board/$board has no u-boot.vars or layout" >&2; exit 1; }
. "$dir/layout"
. "$dir/u-boot.vars"

hex() { printf '0x%x' "$(($1))"; }
[ $((ENV_OFFSET_1 % SECTOR)) = 0 ] && [ $((ENV_OFFSET_2 % SECTOR)) = 0 ] && [ $((ENV_SIZE % SECTOR)) = 0 ] || {
	echo "mkscript: environment copies must be whole sectors" >&2; exit 1; }
# Buffers for the copies must hold them whole.
[ $((UB_ENV1 - UB_ENV0)) -ge $((ENV_SIZE)) ] && [ $((UB_SCRATCH - UB_ENV1)) -ge $((ENV_SIZE)) ] &&
	[ $((UB_CMDLINE - UB_SCRATCH)) -ge 256 ] || {
	echo "mkscript: board/$board/u-boot.vars: buffers overlap" >&2; exit 1; }

sed -e "s|@BOARD@|$board|g" \
	-e "s|@SECT0@|$(hex "$ENV_OFFSET_1 / $SECTOR")|g" \
	-e "s|@SECT1@|$(hex "$ENV_OFFSET_2 / $SECTOR")|g" \
	-e "s|@NSECT@|$(hex "$ENV_SIZE / $SECTOR")|g" \
	-e "s|@DSIZE@|$(hex "$ENV_SIZE - 1")|g" \
	-e "s|@ENV0_1@|$(hex "$UB_ENV0 + 1")|g" -e "s|@ENV0_4@|$(hex "$UB_ENV0 + 4")|g" -e "s|@ENV0@|$(hex "$UB_ENV0")|g" \
	-e "s|@ENV1_1@|$(hex "$UB_ENV1 + 1")|g" -e "s|@ENV1_4@|$(hex "$UB_ENV1 + 4")|g" -e "s|@ENV1@|$(hex "$UB_ENV1")|g" \
	-e "s|@SCR_10@|$(hex "$UB_SCRATCH + 16")|g" -e "s|@SCR_1@|$(hex "$UB_SCRATCH + 1")|g" -e "s|@SCR@|$(hex "$UB_SCRATCH")|g" \
	-e "s|@WBUF_1@|$(hex "$UB_NEWENV + 1")|g" -e "s|@WBUF_4@|$(hex "$UB_NEWENV + 4")|g" -e "s|@WBUF@|$(hex "$UB_NEWENV")|g" \
	-e "s|@CMD_4@|$(hex "$UB_CMDLINE + 4")|g" -e "s|@CMD_8@|$(hex "$UB_CMDLINE + 8")|g" \
	-e "s|@CMD_C@|$(hex "$UB_CMDLINE + 12")|g" -e "s|@CMD_D@|$(hex "$UB_CMDLINE + 13")|g" -e "s|@CMD@|$(hex "$UB_CMDLINE")|g" \
	-e "s|@KADDR@|$UB_KERNEL|g" -e "s|@IADDR@|$UB_INITRD|g" \
	-e "s|@BOOT_LINUX@|$UB_BOOT_LINUX|g" -e "s|@CONSOLE_ARGS@|$UB_CONSOLE_ARGS|g" \
	"$top/uboot-env/boot.cmd" >"$out.cmd"
if grep -n '@[A-Z_0-9]*@' "$out.cmd" >&2; then
	echo "mkscript: placeholders left in $out.cmd" >&2; exit 1
fi
mkimage -T script -A "$UB_ARCH" -C none -n "sztpboot $board" -d "$out.cmd" "$out" >/dev/null
