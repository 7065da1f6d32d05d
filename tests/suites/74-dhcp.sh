#!/bin/sh
# DHCP as a source (RFC 8572 4.3, 8): src/dhcp_client.c, src/source_dhcp.c
# and initramfs/udhcpc.script, on the host, in two private network
# namespaces joined by a veth pair (srv0 10.99.0.1/24 fd99::1/64 <-> dev0).
# Nothing is connected to the host's links; every server is bound to srv0.
#   server side: dnsmasq (DHCPv4 with option 143, stateless DHCPv6 with
#                option 136), then tests/netrig/dhcp4_split.py (option 143
#                split over several instances, RFC 3396)
#   device side: BusyBox udhcpc with initramfs/udhcpc.script (writing into
#                $BUILD/t/dhcp, not /etc or /run), and the ASan+UBSan driver
#                $BUILD/host-gcc/dhcp_probe (DHCPINFORM, Information-request,
#                source_dhcp_collect())
# Needs root, ip, dnsmasq, python3. Processes are stopped by PID, then the
# namespaces (and anything left in them) are removed.
#   ok dhcp/NAME     FAIL dhcp/NAME: reason     skip dhcp/NAME: reason
set -u
B=${BUILD:-build}
top=$(pwd)
PROBE=$top/$B/host-gcc/dhcp_probe
case $B in /*) PROBE=$B/host-gcc/dhcp_probe ;; esac
D=$top/$B/t/dhcp
case $B in /*) D=$B/t/dhcp ;; esac
SCRIPT=$top/initramfs/udhcpc.script
SPLIT=$top/tests/netrig/dhcp4_split.py
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SANITIZER_RE='(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: .*Sanitizer)'

if [ "$(id -u)" != 0 ]; then
	echo "skip dhcp/all: needs root (network namespaces)"
	exit 0
fi
for t in ip dnsmasq python3; do
	command -v $t >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v $t >/dev/null 2>&1 || { echo "skip dhcp/all: no $t"; exit 0; }
done
if [ ! -x "$PROBE" ]; then
	echo "FAIL dhcp/driver: $PROBE missing (make HOST_CC=gcc host)"
	exit 0
fi
# BusyBox with udhcpc: the rig's (scripts/busybox.sh), else busybox-static's;
# DHCP_TEST_BUSYBOX=none runs the rest without (hand-made lease files).
BB=''
for b in ${DHCP_TEST_BUSYBOX:-"$top/$B/busybox/busybox" "$B/busybox/busybox" /bin/busybox}; do
	[ -x "$b" ] && "$b" udhcpc --help >/dev/null 2>&1 && { BB=$b; break; }
done

SRV=sztpt-srv-$$ DEV=sztpt-dev-$$
PIDS=''
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	for ns in $SRV $DEV; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
	done
	sleep 0.2
	for ns in $SRV $DEV; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

rm -rf "$D"
mkdir -p "$D/bin" "$D/net"
if ! { ip netns add "$SRV" && ip netns add "$DEV" &&
	ip link add srv0 netns "$SRV" type veth peer name dev0 netns "$DEV" &&
	ip -n "$SRV" addr add 10.99.0.1/24 dev srv0 &&
	ip -n "$SRV" addr add fd99::1/64 nodad dev srv0 &&
	ip -n "$SRV" link set lo up && ip -n "$SRV" link set srv0 up &&
	ip -n "$DEV" link set lo up && ip -n "$DEV" link set dev0 up; }; then
	echo "FAIL dhcp/netns: cannot set up the namespaces"
	exit 0
fi
dev() { ip netns exec "$DEV" "$@"; }

# hex URI...: a bootstrap-server-list (RFC 8572 8.3) as dnsmasq takes it.
hex() {
	python3 -c 'import sys, struct
print(":".join("%02x" % b for b in b"".join(
    struct.pack("!H", len(u)) + u.encode() for u in sys.argv[1:])))' "$@"
}

# probe NAME ARGS...: run dhcp_probe in the device namespace; output in
# $D/NAME.out, reasons and log lines in $D/NAME.err; returns its status
# (86 and a FAIL line on a sanitizer report).
probe() {
	n=$1
	shift
	dev timeout 30 "$PROBE" "$@" >"$D/$n.out" 2>"$D/$n.err"
	rc=$?
	if grep -qE "$SANITIZER_RE" "$D/$n.err"; then
		echo "FAIL dhcp/$n: sanitizer: $(grep -m1 -E "$SANITIZER_RE" "$D/$n.err")"
		return 86
	fi
	return $rc
}
# want_lines NAME WANT RC: ok when probe NAME exited 0 and printed exactly
# the lines of WANT.
want_lines() {
	n=$1 want=$2 rc=$3
	if [ "$rc" = 86 ]; then
		return
	elif [ "$rc" != 0 ]; then
		echo "FAIL dhcp/$n: exit $rc: $(tail -1 "$D/$n.err")"
	elif ! printf '%s\n' "$want" | diff -u - "$D/$n.out" >"$D/$n.diff"; then
		echo "FAIL dhcp/$n: unexpected output: $(grep '^[-+][^-+]' "$D/$n.diff" | head -3 | tr '\n' ' ')"
	else
		echo "ok dhcp/$n"
	fi
}

# The udhcpc script under BusyBox sh (as in the initramfs), writing into $D.
cat >"$D/bin/script" <<EOF
#!/bin/sh
SZTP_NETDIR=$D/net SZTP_RESOLV_CONF=$D/resolv.conf "${BB:-/bin/sh}" ${BB:+sh} "$SCRIPT" "\$@"
rc=\$?
echo "\$1" >>"$D/events"
exit \$rc
EOF
chmod 755 "$D/bin/script"
udhcpc_once() { # LOG: one lease, then exit (-q)
	dev env -i PATH="$PATH" "$BB" udhcpc -i dev0 -O 143 -s "$D/bin/script" -q -n -t 5 -T 1 \
		>"$D/$1" 2>&1
}
# Without BusyBox: the address and lease file udhcpc would have made.
static_lease() { # OPT143-HEX
	dev ip -4 addr flush dev dev0
	dev ip addr add 10.99.0.77/24 dev dev0
	printf 'interface=dev0\nip=10.99.0.77\nsubnet=255.255.255.0\nrouter=10.99.0.1\ndns=10.99.0.1\ndomain=example.test\nserverid=10.99.0.1\nlease=3600\nopt143=%s\n' \
		"$1" >"$D/net/dev0.lease4"
}

# --- (a) dnsmasq: option 143 and option 136 ----------------------------------
U4_1=https://sztp1.example.test:8443 U4_2='https://[fd99::1]'
U6=https://sztp6.example.test:9443
H4=$(hex "$U4_1" "$U4_2")
ip netns exec "$SRV" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --port=0 --no-ping \
	--interface=srv0 --bind-interfaces --user=root --group=root \
	--pid-file="$D/dnsmasq.pid" --dhcp-leasefile="$D/dnsmasq.leases" \
	--log-facility="$D/dnsmasq.log" --log-dhcp \
	--dhcp-range=10.99.0.50,10.99.0.99,255.255.255.0,1h \
	--dhcp-range=::,constructor:srv0,ra-stateless \
	--dhcp-option=3,10.99.0.1 --dhcp-option=6,10.99.0.1 --dhcp-option=15,example.test \
	--dhcp-option-force=143,"$H4" \
	--dhcp-option='option6:23,[fd99::1]' --dhcp-option=option6:24,six.example.test \
	--dhcp-option=option6:136,"$(hex "$U6")" &
PIDS="$PIDS $!"
i=0
while ! grep -q 'DHCPv6 stateless' "$D/dnsmasq.log" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q 'DHCPv6 stateless' "$D/dnsmasq.log" 2>/dev/null ||
	echo "FAIL dhcp/dnsmasq: did not start: $(tail -2 "$D/dnsmasq.log" 2>/dev/null)"

if [ -n "$BB" ]; then
	if ! udhcpc_once udhcpc.log; then
		echo "FAIL dhcp/udhcpc-lease: udhcpc: $(tail -1 "$D/udhcpc.log")"
	elif ! grep -qx 'interface=dev0' "$D/net/dev0.lease4" 2>/dev/null ||
	     ! grep -qx 'serverid=10.99.0.1' "$D/net/dev0.lease4" ||
	     ! grep -qx "opt143=$(echo "$H4" | tr -d :)" "$D/net/dev0.lease4"; then
		echo "FAIL dhcp/udhcpc-lease: lease file: $(tr '\n' ' ' <"$D/net/dev0.lease4" 2>/dev/null)"
	elif ! grep -q '^sztpboot-init: dhcp: dev0 bound 10\.99\.0\.[0-9]* (option 143: yes)$' \
			"$D/udhcpc.log"; then
		echo "FAIL dhcp/udhcpc-lease: no console line: $(grep sztpboot "$D/udhcpc.log")"
	elif ! dev ip -4 addr show dev0 | grep -q 'inet 10\.99\.0\.'; then
		echo "FAIL dhcp/udhcpc-lease: dev0 has no address"
	elif ! dev ip -4 route | grep -q '^default via 10.99.0.1 dev dev0'; then
		echo "FAIL dhcp/udhcpc-lease: no default route"
	else
		echo "ok dhcp/udhcpc-lease"
	fi
	if printf 'nameserver 10.99.0.1\nsearch example.test\n' | cmp -s - "$D/resolv.conf"; then
		echo "ok dhcp/udhcpc-resolv-conf"
	else
		echo "FAIL dhcp/udhcpc-resolv-conf: $(tr '\n' ' ' <"$D/resolv.conf" 2>/dev/null)"
	fi
else
	echo "skip dhcp/udhcpc-lease: no BusyBox with udhcpc (scripts/busybox.sh $B)"
	static_lease "$(echo "$H4" | tr -d :)"
fi

probe lease-opt143 lease "$D/net/dev0.lease4"
want_lines lease-opt143 "interface dev0
server sztp1.example.test 8443
server fd99::1 443
skipped 0
dns 10.99.0.1
domain example.test" $?

probe inform inform "$D/net/dev0.lease4"
want_lines inform "from 10.99.0.1
server sztp1.example.test 8443
server fd99::1 443
skipped 0
dns 10.99.0.1
domain example.test" $?
grep -q 'DHCPINFORM(srv0)' "$D/dnsmasq.log" || echo "FAIL dhcp/inform: dnsmasq saw no DHCPINFORM"

probe info6 info6 dev0
want_lines info6 "server sztp6.example.test 9443
skipped 0
dns fd99::1
domain six.example.test" $?

probe collect -t 3000 collect "$D/net"
want_lines collect "origin dhcpv4 dev0
server sztp1.example.test 8443
server fd99::1 443
skipped 0
origin dhcpv6 dev0
server sztp6.example.test 9443
skipped 0
dns 10.99.0.1
dns fd99::1
domain example.test
domain six.example.test" $?
if grep -q 'dhcp: dev0: option 143: 2 bootstrap servers (0 skipped)' "$D/collect.err" &&
   grep -q 'dhcp: dev0: option 136: 1 bootstrap servers (0 skipped)' "$D/collect.err"; then
	echo "ok dhcp/collect-log"
else
	echo "FAIL dhcp/collect-log: $(tr '\n' ' ' <"$D/collect.err")"
fi

# Port 68 beside a running udhcpc: bound (no socket of its own), then in the
# middle of a renewal (its UDP socket on 0.0.0.0:68 open, the server held).
if [ -n "$BB" ]; then
	: >"$D/events"
	# (not through dev(): $! must be udhcpc itself, which ip and env exec)
	ip netns exec "$DEV" env -i PATH="$PATH" "$BB" udhcpc -f -i dev0 -O 143 \
		-s "$D/bin/script" -t 5 -T 1 >"$D/udhcpc-bg.log" 2>&1 &
	UPID=$!
	PIDS="$PIDS $UPID"
	i=0
	while ! grep -q bound "$D/events" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	probe beside-udhcpc inform "$D/net/dev0.lease4"
	rc=$?
	if [ $rc = 0 ] && grep -q '^server fd99::1 443$' "$D/beside-udhcpc.out"; then
		echo "ok dhcp/beside-udhcpc"
	elif [ $rc != 86 ]; then
		echo "FAIL dhcp/beside-udhcpc: exit $rc: $(tail -1 "$D/beside-udhcpc.err")"
	fi

	DPID=$(cat "$D/dnsmasq.pid")
	kill -STOP "$DPID"
	kill -USR1 "$UPID" # renew now: udhcpc opens 0.0.0.0:68 and waits
	sleep 0.5
	probe during-renew -t 4000 inform "$D/net/dev0.lease4" &
	PPID_=$!
	sleep 1
	kill -CONT "$DPID"
	wait "$PPID_"
	rc=$?
	i=0
	while ! grep -q renew "$D/events" && [ $i -lt 80 ]; do sleep 0.1; i=$((i + 1)); done
	if [ $rc != 0 ]; then
		[ $rc = 86 ] || echo "FAIL dhcp/during-renew: exit $rc: $(tail -1 "$D/during-renew.err")"
	elif ! grep -q renew "$D/events"; then
		echo "FAIL dhcp/during-renew: udhcpc did not complete its renewal"
	else
		echo "ok dhcp/during-renew"
	fi
	kill "$UPID" 2>/dev/null
	wait "$UPID" 2>/dev/null
fi

# DHCPv6 right after the link comes up: the link-local address is tentative
# (duplicate address detection) and cannot be bound for a second or so.
dev ip link set dev0 down
dev ip link set dev0 up
probe info6-dad -t 5000 info6 dev0
want_lines info6-dad "server sztp6.example.test 9443
skipped 0
dns fd99::1
domain six.example.test" $?

# IPv6 off on the interface: a reason at once, no waiting.
dev sh -c 'echo 1 >/proc/sys/net/ipv6/conf/dev0/disable_ipv6'
t0=$(date +%s%N)
probe info6-disabled -t 5000 info6 dev0
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
if [ $rc = 1 ] && grep -q 'IPv6 is disabled' "$D/info6-disabled.err" && [ $ms -lt 2000 ]; then
	echo "ok dhcp/info6-disabled"
else
	[ $rc = 86 ] || echo "FAIL dhcp/info6-disabled: exit $rc after ${ms} ms: $(tail -1 "$D/info6-disabled.err")"
fi
dev sh -c 'echo 0 >/proc/sys/net/ipv6/conf/dev0/disable_ipv6'

kill "$(cat "$D/dnsmasq.pid")" 2>/dev/null
sleep 0.3

# --- (b) option 143 split over several instances (RFC 3396, R67) -------------
set --
for k in 0 1 2 3 4 5 6 7 8 9; do set -- "$@" --uri "https://sztp$k.example.test:$((8440 + k))"; done
TEN="$*"
SPLIT_PID=''
split() { # NAME OPTIONS...: a dhcp4_split.py, stopping the previous one
	n=$1
	shift
	if [ -n "$SPLIT_PID" ]; then
		kill "$SPLIT_PID" 2>/dev/null
		wait "$SPLIT_PID" 2>/dev/null
	fi
	rm -f "$D/$n.ready"
	ip netns exec "$SRV" python3 "$SPLIT" --netns "$SRV" --interface srv0 \
		--server-ip 10.99.0.1 --client-ip 10.99.0.60 --router 10.99.0.1 --dns 10.99.0.1 \
		--domain split.test --log "$D/$n.log" --ready-file "$D/$n.ready" "$@" \
		2>"$D/$n.stderr" &
	SPLIT_PID=$!
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$D/$n.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$D/$n.ready" ] || echo "FAIL dhcp/$n: server did not start: $(tail -1 "$D/$n.stderr")"
}
# want_servers N FIRST: the INFORM output for hosts sztpFIRST.. (N of them)
want_servers() {
	printf 'from 10.99.0.1\n'
	k=$2
	while [ "$k" -lt $(($2 + $1)) ]; do
		printf 'server sztp%d.example.test %d\n' "$k" $((8440 + k))
		k=$((k + 1))
	done
	printf 'skipped 0\ndns 10.99.0.1\ndomain split.test\n'
}

# Ten URIs: too long for udhcpc's 576-octet messages, so the server leaves
# option 143 out of its OFFER and ACK; our DHCPINFORM offers 1500 octets.
# shellcheck disable=SC2086 # TEN: words
split split2 --instances 2 $TEN
rm -f "$D/net/dev0.lease4"
if [ -n "$BB" ]; then
	if ! udhcpc_once udhcpc-split.log || [ ! -f "$D/net/dev0.lease4" ]; then
		echo "FAIL dhcp/udhcpc-no-room: no lease: $(tail -1 "$D/udhcpc-split.log")"
	elif grep -qx 'opt143=' "$D/net/dev0.lease4" &&
	     grep -q 'option 143 left out: .* > max 576' "$D/split2.log" &&
	     grep -q 'dev0 bound 10.99.0.60 (option 143: no)' "$D/udhcpc-split.log"; then
		echo "ok dhcp/udhcpc-no-room"
	else
		echo "FAIL dhcp/udhcpc-no-room: $(grep opt143 "$D/net/dev0.lease4")"
	fi
else
	static_lease ''
fi
probe inform-split inform "$D/net/dev0.lease4"
want_lines inform-split "$(want_servers 10 0)" $?
if grep -q 'DHCPINFORM .* max=1500 prl=6,15,143$' "$D/split2.log"; then
	echo "ok dhcp/inform-request"
else
	echo "FAIL dhcp/inform-request: $(grep DHCPINFORM "$D/split2.log" | head -1)"
fi

# Forty instances with the other options in between; twenty URIs in three.
# shellcheck disable=SC2086
split split40 --instances 40 --spread $TEN
probe inform-split40 inform "$D/net/dev0.lease4"
want_lines inform-split40 "$(want_servers 10 0)" $?
set --
for k in $(seq 10 29); do set -- "$@" --uri "https://sztp$k.example.test:$((8440 + k))"; done
split split20 --instances 3 --spread "$@"
probe inform-split20 inform "$D/net/dev0.lease4"
want_lines inform-split20 "$(want_servers 20 10)" $?

# What udhcpc itself makes of a split option that fits its messages (five
# URIs in three instances, other options between): a record of the BusyBox
# in use, for R71; either answer is fine for sztpboot.
if [ -n "$BB" ]; then
	set --
	for k in 0 1 2 3 4; do set -- "$@" --uri "https://sztp$k.example.test:$((8440 + k))"; done
	split spread --instances 3 --spread "$@"
	rm -f "$D/net/dev0.lease4"
	if udhcpc_once udhcpc-spread.log && [ -f "$D/net/dev0.lease4" ]; then
		probe udhcpc-spread lease "$D/net/dev0.lease4"
		n=$(grep -c '^server ' "$D/udhcpc-spread.out")
		if [ "$n" = 5 ]; then
			echo "ok dhcp/udhcpc-spread (BusyBox concatenates the 3 instances)"
		elif [ "$n" -ge 1 ]; then
			echo "ok dhcp/udhcpc-spread (BusyBox keeps $n of 5: the first instance only)"
		else
			echo "FAIL dhcp/udhcpc-spread: $(tr '\n' ' ' <"$D/udhcpc-spread.out")"
		fi
	else
		echo "FAIL dhcp/udhcpc-spread: no lease: $(tail -1 "$D/udhcpc-spread.log")"
	fi
fi

# A server that ignores DHCPINFORM: the lease's list, and the log says so.
split noinform --no-inform --uri https://sztp0.example.test:8440 --uri https://sztp1.example.test:8441
if [ -n "$BB" ]; then
	rm -f "$D/net/dev0.lease4"
	udhcpc_once udhcpc-noinform.log
else
	static_lease "$(hex https://sztp0.example.test:8440 https://sztp1.example.test:8441 | tr -d :)"
fi
probe collect-fallback -t 1500 collect "$D/net"
rc=$?
if [ $rc = 0 ] && grep -q "falling back to the lease's option 143" "$D/collect-fallback.err" &&
   grep -q 'no DHCPACK in 1500 ms' "$D/collect-fallback.err" &&
   [ "$(sed -n '1,4p' "$D/collect-fallback.out")" = "origin dhcpv4 dev0
server sztp0.example.test 8440
server sztp1.example.test 8441
skipped 0" ]; then
	echo "ok dhcp/collect-fallback"
elif [ $rc != 86 ]; then
	echo "FAIL dhcp/collect-fallback: exit $rc: $(tr '\n' ' ' <"$D/collect-fallback.err")"
fi
kill "$SPLIT_PID" 2>/dev/null
wait "$SPLIT_PID" 2>/dev/null
SPLIT_PID=''

# Nobody answers: a bounded wait and a reason.
t0=$(date +%s%N)
probe inform-timeout -t 1000 inform "$D/net/dev0.lease4"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
if [ $rc = 1 ] && grep -q 'no DHCPACK in 1000 ms' "$D/inform-timeout.err" && [ $ms -lt 2500 ]; then
	echo "ok dhcp/inform-timeout"
elif [ $rc != 86 ]; then
	echo "FAIL dhcp/inform-timeout: exit $rc after $ms ms: $(tail -1 "$D/inform-timeout.err")"
fi

# --- `udhcpc.script up`: the board's interfaces, or every Ethernet one -------
if [ -n "$BB" ]; then
	ln -sf "$BB" "$D/bin/udhcpc"
	ln -sf "$BB" "$D/bin/usleep"
	split upsrv --uri https://sztp0.example.test:8440
	for board in "network-interfaces = dev0 nosuch0" "# no key" "network-interfaces = none"; do
		rm -rf "$D/net" "$D/events"
		mkdir -p "$D/net"
		echo "$board" >"$D/board.conf"
		t0=$(date +%s%N)
		dev env -i PATH="$D/bin:$PATH" SZTP_BOARD_CONF="$D/board.conf" SZTP_NETDIR="$D/net" \
			SZTP_RESOLV_CONF="$D/resolv.conf" SZTP_UDHCPC="$BB udhcpc -q" \
			"$SCRIPT" up >"$D/up.log" 2>&1
		ms=$((($(date +%s%N) - t0) / 1000000))
		i=0
		while [ ! -f "$D/net/dev0.lease4" ] && [ $i -lt 50 ] && [ "$board" != "network-interfaces = none" ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sleep 0.2
		case $board in *nosuch0)
			i=0
			while ! grep -q 'no interface nosuch0' "$D/up.log" && [ $i -lt 70 ]; do
				sleep 0.1
				i=$((i + 1))
			done ;;
		esac
		case $board in
		*none)
			t0=$(date +%s%N)
			dev env -i PATH="$D/bin:$PATH" SZTP_NETDIR="$D/net" "$SCRIPT" wait 5 >>"$D/up.log" 2>&1
			ms=$((($(date +%s%N) - t0) / 1000000))
			if [ ! -f "$D/net/dev0.lease4" ] && [ ! -s "$D/up.log" ] && [ $ms -lt 1000 ]; then
				echo "ok dhcp/up-none"
			else echo "FAIL dhcp/up-none: ${ms} ms: $(tr '\n' ' ' <"$D/up.log")"; fi ;;
		*nosuch0)
			if grep -q '^sztpboot-init: network: no interface nosuch0$' "$D/up.log" &&
			   grep -q '^sztpboot-init: network: dev0 up, DHCP started$' "$D/up.log" &&
			   [ -f "$D/net/dev0.lease4" ] && [ $ms -lt 1000 ]; then echo "ok dhcp/up-board"
			else echo "FAIL dhcp/up-board: ${ms} ms: $(tr '\n' ' ' <"$D/up.log")"; fi ;;
		*)
			t0=$(date +%s%N)
			dev env -i PATH="$D/bin:$PATH" SZTP_NETDIR="$D/net" "$SCRIPT" wait 5 >>"$D/up.log" 2>&1
			ms=$((($(date +%s%N) - t0) / 1000000))
			if grep -q '^sztpboot-init: network: dev0 up, DHCP started$' "$D/up.log" && [ $ms -lt 1000 ] &&
			   ! grep -q 'network: lo' "$D/up.log" && [ -f "$D/net/dev0.lease4" ]; then
				echo "ok dhcp/up-default"
			else echo "FAIL dhcp/up-default: ${ms} ms: $(tr '\n' ' ' <"$D/up.log")"; fi ;;
		esac
	done
	# DHCP started but nobody answers: the wait ends, and says so.
	kill "$SPLIT_PID" 2>/dev/null
	wait "$SPLIT_PID" 2>/dev/null
	rm -f "$D/net/dev0.lease4"
	: >"$D/net/.dev0.dhcp"
	t0=$(date +%s%N)
	dev env -i PATH="$D/bin:$PATH" SZTP_NETDIR="$D/net" "$SCRIPT" wait 1 >"$D/wait.log" 2>&1
	ms=$((($(date +%s%N) - t0) / 1000000))
	if grep -q '^sztpboot-init: network: no DHCP lease after 1s$' "$D/wait.log" && [ $ms -ge 900 ] &&
	   [ $ms -lt 3000 ]; then
		echo "ok dhcp/wait-timeout"
	else
		echo "FAIL dhcp/wait-timeout: ${ms} ms: $(cat "$D/wait.log")"
	fi
fi
exit 0
