#!/bin/sh
# Build an initramfs (newc cpio, gzip) from a staging directory: BusyBox
# (static) with its applet links in /bin, kernel modules with their
# dependencies, an /init script and extra files. No root needed: /dev is
# devtmpfs at run time, so the archive holds no device nodes.
#
#   initramfs/mkinitramfs.sh -o OUT.cpio.gz -k KERNELDIR -b BUSYBOX -i INIT
#                            -m MODLIST [-f SRC=DEST]... [-w STAGEDIR]
#
#   KERNELDIR  as made by scripts/kernel.sh (release, root/lib/modules/...)
#   MODLIST    lines "NAME [PARAM=VALUE...]"; '#' comments. Each module is
#              resolved through modules.dep (NAME: '-' and '_' alike) and
#              emitted after its dependencies; one this kernel has built in
#              (modules.builtin) is left out.
#   BUSYBOX    run with --list for its applets; for a binary of another
#              architecture, BUSYBOX.applets holds that list (scripts/busybox.sh)
#   -f         copy SRC to DEST in the image (DEST absolute; mode kept)
#
# In the image: /etc/modules.load (one "PATH [PARAMS]" per line, in load
# order, PATH relative to /lib/modules/RELEASE), /lib/modules/RELEASE with a
# modules.dep for busybox modprobe, /etc/kernel-release, and the network
# script both inits run, /etc/sztpboot/udhcpc.script (from this folder).
# Timestamps are SOURCE_DATE_EPOCH (default 0), owners 0:0, sorted names,
# gzip -n: the same inputs give the same bytes.
set -eu

out='' kdir='' bb='' init='' modlist='' stage=''
files=
nl='
'
while getopts o:k:b:i:m:f:w: opt; do
	case $opt in
	o) out=$OPTARG ;;
	k) kdir=$OPTARG ;;
	b) bb=$OPTARG ;;
	i) init=$OPTARG ;;
	m) modlist=$OPTARG ;;
	f) files="$files$OPTARG$nl" ;;
	w) stage=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$out" ] && [ -n "$kdir" ] && [ -n "$bb" ] && [ -n "$init" ] && [ -n "$modlist" ] || {
	echo "usage: $0 -o OUT -k KERNELDIR -b BUSYBOX -i INIT -m MODLIST [-f SRC=DEST]... [-w STAGE]" >&2
	exit 2
}
: "${stage:=$out.d}"
rel=$(cat "$kdir/release")
mods=$kdir/root/lib/modules/$rel
[ -f "$mods/modules.dep" ] || { echo "mkinitramfs: no $mods/modules.dep (make kernel)" >&2; exit 1; }

rm -rf "$stage"
mkdir -p "$stage"
for d in bin dev proc sys tmp run mnt data etc/sztpboot lib/modules/"$rel" usr media; do
	mkdir -p "$stage/$d"
done
ln -s bin "$stage/sbin"
ln -s ../bin "$stage/usr/bin"
ln -s ../bin "$stage/usr/sbin"

# BusyBox and its applets
cp "$bb" "$stage/bin/busybox"
chmod 0755 "$stage/bin/busybox"
if [ -f "$bb.applets" ]; then applets=$(cat "$bb.applets"); else applets=$("$bb" --list); fi
for a in $applets; do
	case $a in busybox|init|linuxrc) continue ;; esac
	ln -s busybox "$stage/bin/$a"
done

# Modules: resolve names and dependencies through modules.dep.
grep -v '^[[:space:]]*\(#\|$\)' "$modlist" | awk -v depfile="$mods/modules.dep" \
	-v builtinfile="$mods/modules.builtin" '
	function norm(s) { sub(/.*\//, "", s); sub(/\.ko(\.[a-z]+)?$/, "", s); gsub(/-/, "_", s); return s }
	function visit(p,    d, n, i) {
		if (p in seen) return
		seen[p] = 1
		n = split(deps[p], d, " ")
		# modules.dep lists dependencies so that the last loads first
		for (i = n; i >= 1; i--) visit(d[i])
		print p (p in params ? params[p] : "")
	}
	BEGIN {
		while ((getline line < depfile) > 0) {
			c = index(line, ":")
			p = substr(line, 1, c - 1)
			deps[p] = substr(line, c + 1)
			path[norm(p)] = p
		}
		while ((getline line < builtinfile) > 0)
			builtin[norm(line)] = 1
	}
	{
		n = $1; gsub(/-/, "_", n)
		if (!(n in path) && (n in builtin)) next
		if (!(n in path)) { print "mkinitramfs: no module " $1 > "/dev/stderr"; bad = 1; next }
		p = path[n]; extra = ""
		for (i = 2; i <= NF; i++) extra = extra " " $i
		params[p] = extra
		want[++nwant] = p
	}
	END {
		if (bad) exit 1
		for (i = 1; i <= nwant; i++) visit(want[i])
	}' >"$stage/etc/modules.load"
while read -r p _; do
	mkdir -p "$stage/lib/modules/$rel/$(dirname "$p")"
	cp "$mods/$p" "$stage/lib/modules/$rel/$p"
done <"$stage/etc/modules.load"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$mods/$f" ] && cp "$mods/$f" "$stage/lib/modules/$rel/"
done
depmod -b "$stage" "$rel"
echo "$rel" >"$stage/etc/kernel-release"

# /init, the network script and extra files
cp "$init" "$stage/init"
chmod 0755 "$stage/init"
cp "$(dirname "$0")/udhcpc.script" "$stage/etc/sztpboot/udhcpc.script"
chmod 0755 "$stage/etc/sztpboot/udhcpc.script"
printf '%s' "$files" | while IFS= read -r spec; do
	[ -n "$spec" ] || continue
	src=${spec%%=*}
	dst=${spec#*=}
	[ -f "$src" ] || { echo "mkinitramfs: missing $src" >&2; exit 1; }
	mkdir -p "$stage$(dirname "$dst")"
	cp "$src" "$stage$dst"
done

# Reproducible archive
epoch=${SOURCE_DATE_EPOCH:-0}
find "$stage" -exec touch -h -d "@$epoch" {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc --reproducible -R 0:0 --quiet) | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "  INITRD  $out ($(wc -l <"$stage/etc/modules.load") modules, $(stat -c %s "$out") bytes)"
