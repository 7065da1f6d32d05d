# The network test rig (sourced by test suites; POSIX sh): a private network
# namespace with the rig's addresses, a tap device for QEMU, dnsmasq (DHCP,
# DHCPv6, DNS) and the test bootstrap server (tests/netrig/sztp_server.py)
# running inside it. Nothing is connected to the host's network: no veth to
# the host, no default route, no NAT. tests/netrig/README.md is the manual.
#
#   . tests/netrig/netns.sh
#   trap netrig_down EXIT; trap 'exit 130' INT TERM HUP
#   netrig_up sztp-$$ "$T/net"                # namespace + work folder
#   netrig_dnsmasq --dhcp-option-force=143,"$(netrig_sztp_hex https://sztp.example.test)"
#   netrig_server --listen 10.99.0.1:443 --root "$T/root" --log "$T/server.log" \
#       --cert "$PKI/good.pem" --key "$PKI/good.key" --client-ca "$PKI/device-ca.pem"
#   netrig_exec qemu/run --tap "$NETRIG_TAP" ...   # the device, on the rig's link
#   netrig_down                                  # also on EXIT
#
# Functions (each returns non-zero and says why on stderr when it fails):
#   netrig_up NAME [DIR]   create namespace NAME (must not exist) and the link:
#                          bridge $NETRIG_IF (br0) holding $NETRIG_V4/24 and
#                          $NETRIG_V6/64 (nodad), port tap0 ($NETRIG_TAP) for
#                          QEMU, and an internal veth pair that keeps br0's
#                          carrier up. DIR (default ${TMPDIR:-/tmp}/netrig.NAME)
#                          holds logs, pid and ready files.
#   netrig_tap IFNAME      another tap on the bridge (a second device)
#   netrig_exec CMD...     run CMD in the namespace (foreground)
#   netrig_bg TAG CMD...   run CMD in the namespace in the background (output
#                          in DIR/TAG.log); its PID in NETRIG_LAST_PID, and
#                          netrig_down stops it
#   netrig_dnsmasq [OPT...]  dnsmasq in the background, bound to br0 only,
#                          log DIR/dnsmasq.log (queries and DHCP), leases
#                          DIR/dnsmasq.leases. Defaults (NETRIG_DNSMASQ_DEFAULTS=0
#                          drops them): DHCP 10.99.0.100-150, DHCPv6
#                          fd99::100-1ff with RA, domain example.test (answered
#                          locally only), sztp.example.test and
#                          sztp2.example.test -> 10.99.0.1 / fd99::1. OPTs are
#                          added as they are (--dhcp-option-force=143,HEX,
#                          --dhcp-option=option6:136,HEX, --srv-host=...,
#                          --txt-record=..., --host-record=...)
#   netrig_server ARG...   tests/netrig/sztp_server.py ARG... in the background;
#                          returns once it listens (its --ready-file, added as
#                          DIR/server-N.ready when not given). NETRIG_LAST_PID,
#                          NETRIG_SERVER_READY (the file: one ADDR:PORT a line)
#   netrig_sztp_hex URI... the RFC 8572 section 8.3 bootstrap-server-list of
#                          the URIs, as colon-separated hex (dnsmasq's form)
#   netrig_dns NAME [TYPE [SERVER]]  ask SERVER (default $NETRIG_V4) from inside
#                          the namespace; one answer a line (A/AAAA address,
#                          TXT "string" ..., SRV prio weight port target,
#                          CNAME/PTR name); exit 1 without answers. TC: TCP.
#   netrig_down            stop what was started (by PID, TERM then KILL),
#                          then any process still in the namespace, delete the
#                          namespace. Idempotent; meant for trap ... EXIT.
# Background processes are children of the caller's shell: never use a bare
# `wait` (it would wait for dnsmasq and the servers), wait for your own PIDs.
# Needs root, iproute2 (ip), dnsmasq (/usr/sbin/dnsmasq) and python3.
# shellcheck shell=sh

# sourced from the repository's top folder (as tests/run.sh runs suites), or
# with NETRIG_LIB set to this folder
NETRIG_LIB=${NETRIG_LIB:-$(pwd)/tests/netrig}
NETRIG_NS=''
NETRIG_DIR=''
NETRIG_PIDS=''
NETRIG_LAST_PID=''
NETRIG_SERVER_READY=''
NETRIG_SERVERS=0
NETRIG_IF=br0
NETRIG_TAP=tap0
NETRIG_V4=10.99.0.1
NETRIG_V6=fd99::1
NETRIG_PYTHON=${NETRIG_PYTHON:-python3}
NETRIG_DNSMASQ=${NETRIG_DNSMASQ:-/usr/sbin/dnsmasq}

netrig_err() { echo "netrig: $*" >&2; }

netrig_up() {
	[ $# -ge 1 ] || { netrig_err "usage: netrig_up NAME [DIR]"; return 2; }
	[ -z "$NETRIG_NS" ] || { netrig_err "namespace $NETRIG_NS is already up"; return 1; }
	case $1 in '' | *[!A-Za-z0-9._-]*) netrig_err "bad namespace name '$1'"; return 2 ;; esac
	[ "$(id -u)" = 0 ] || { netrig_err "needs root"; return 1; }
	command -v ip >/dev/null 2>&1 || { netrig_err "ip (iproute2) not found"; return 1; }
	if ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF "$1"; then
		netrig_err "network namespace $1 exists already (not ours: left alone)"
		return 1
	fi
	NETRIG_DIR=${2:-${TMPDIR:-/tmp}/netrig.$1}
	mkdir -p "$NETRIG_DIR" || return 1
	NETRIG_DIR=$(cd "$NETRIG_DIR" && pwd)
	ip netns add "$1" || { netrig_err "ip netns add $1 failed"; return 1; }
	NETRIG_NS=$1
	# shellcheck disable=SC2016
	if ! netrig_exec sh -euc '
		ip link set lo up
		# no forwarding, no router: nothing leaves (there is nowhere to go)
		sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
		ip link add "$1" address 52:54:00:99:00:01 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
		# an internal veth pair on the bridge keeps its carrier up without QEMU
		ip link add rigp0 type veth peer name rigp1
		ip tuntap add dev "$2" mode tap
		for i in rigp0 rigp1 "$2"; do sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"; done
		ip link set rigp0 master "$1" up
		ip link set rigp1 up
		ip link set "$2" master "$1" up
		sysctl -qw "net.ipv6.conf.$1.accept_dad=0" "net.ipv6.conf.$1.accept_ra=0"
		ip addr add "$3/24" dev "$1"
		ip addr add "$4/64" dev "$1" nodad
		ip link set "$1" up
	' netrig "$NETRIG_IF" "$NETRIG_TAP" "$NETRIG_V4" "$NETRIG_V6" >"$NETRIG_DIR/up.log" 2>&1; then
		netrig_err "cannot set up the link: $(tail -3 "$NETRIG_DIR/up.log" | tr '\n' ' ')"
		return 1
	fi
	# wait for the carrier and the link-local address (RA, DHCPv6 need it)
	_i=0
	while [ $_i -lt 50 ]; do
		netrig_exec ip -6 addr show dev "$NETRIG_IF" scope link 2>/dev/null | grep -q 'inet6 fe80' && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	netrig_err "$NETRIG_IF has no link-local address after 5 s"
	return 1
}

netrig_tap() {
	[ -n "$NETRIG_NS" ] || { netrig_err "no namespace (netrig_up)"; return 1; }
	netrig_exec sh -euc 'ip tuntap add dev "$1" mode tap
		sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
		ip link set "$1" master "$2" up' netrig "$1" "$NETRIG_IF"
}

netrig_exec() {
	[ -n "$NETRIG_NS" ] || { netrig_err "no namespace (netrig_up)"; return 1; }
	ip netns exec "$NETRIG_NS" "$@"
}

netrig_bg() {
	[ -n "$NETRIG_NS" ] || { netrig_err "no namespace (netrig_up)"; return 1; }
	_tag=$1
	shift
	ip netns exec "$NETRIG_NS" "$@" </dev/null >"$NETRIG_DIR/$_tag.log" 2>&1 &
	NETRIG_LAST_PID=$!
	NETRIG_PIDS="$NETRIG_LAST_PID $NETRIG_PIDS"
}

netrig_dnsmasq() {
	[ -n "$NETRIG_NS" ] || { netrig_err "no namespace (netrig_up)"; return 1; }
	[ -x "$NETRIG_DNSMASQ" ] || { netrig_err "$NETRIG_DNSMASQ not found (dnsmasq-base)"; return 1; }
	if [ "${NETRIG_DNSMASQ_DEFAULTS:-1}" = 1 ]; then
		set -- --dhcp-range=10.99.0.100,10.99.0.150,255.255.255.0,1h \
			--dhcp-range=fd99::100,fd99::1ff,64,1h --enable-ra \
			--domain=example.test --local=/example.test/ \
			--host-record=sztp.example.test,$NETRIG_V4,$NETRIG_V6 \
			--host-record=sztp2.example.test,$NETRIG_V4,$NETRIG_V6 "$@"
	fi
	: >"$NETRIG_DIR/dnsmasq.log"
	netrig_bg dnsmasq-run "$NETRIG_DNSMASQ" --keep-in-foreground --conf-file=/dev/null \
		--no-resolv --no-hosts --no-poll --pid-file= --user=root --group=root \
		--bind-interfaces --interface="$NETRIG_IF" --except-interface=lo \
		--no-ping --dhcp-authoritative --log-queries=extra --log-dhcp \
		--log-facility="$NETRIG_DIR/dnsmasq.log" \
		--dhcp-leasefile="$NETRIG_DIR/dnsmasq.leases" "$@"
	# ready once it answers DNS (or gone)
	_i=0
	while [ $_i -lt 50 ]; do
		netrig_alive "$NETRIG_LAST_PID" ||
			{ netrig_err "dnsmasq exited: $(cat "$NETRIG_DIR/dnsmasq-run.log" "$NETRIG_DIR/dnsmasq.log" 2>/dev/null | tail -3 | tr '\n' ' ')"; return 1; }
		grep -q 'started, version' "$NETRIG_DIR/dnsmasq.log" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	netrig_err "dnsmasq did not start within 5 s"
	return 1
}

netrig_server() {
	[ -n "$NETRIG_NS" ] || { netrig_err "no namespace (netrig_up)"; return 1; }
	[ -f "$NETRIG_LIB/sztp_server.py" ] || { netrig_err "$NETRIG_LIB/sztp_server.py not found (set NETRIG_LIB)"; return 1; }
	NETRIG_SERVERS=$((NETRIG_SERVERS + 1))
	NETRIG_SERVER_READY=''
	_prev=''
	for _a in "$@"; do
		[ "$_prev" = --ready-file ] && NETRIG_SERVER_READY=$_a
		case $_a in --ready-file=*) NETRIG_SERVER_READY=${_a#--ready-file=} ;; esac
		_prev=$_a
	done
	if [ -z "$NETRIG_SERVER_READY" ]; then
		NETRIG_SERVER_READY=$NETRIG_DIR/server-$NETRIG_SERVERS.ready
		set -- "$@" --ready-file "$NETRIG_SERVER_READY"
	fi
	rm -f "$NETRIG_SERVER_READY"
	netrig_bg "server-$NETRIG_SERVERS" "$NETRIG_PYTHON" "$NETRIG_LIB/sztp_server.py" "$@"
	_i=0
	while [ $_i -lt 100 ]; do
		[ -s "$NETRIG_SERVER_READY" ] && return 0
		netrig_alive "$NETRIG_LAST_PID" || break
		sleep 0.1
		_i=$((_i + 1))
	done
	netrig_err "sztp_server did not start: $(tail -3 "$NETRIG_DIR/server-$NETRIG_SERVERS.log" | tr '\n' ' ')"
	return 1
}

netrig_sztp_hex() {
	for _u in "$@"; do
		_n=$(printf '%s' "$_u" | wc -c)
		printf '%02x%02x' $((_n / 256)) $((_n % 256))
		printf '%s' "$_u" | od -An -v -tx1 | tr -d ' \n'
	done | sed 's/../&:/g; s/:$//'
	echo
}

# A minimal DNS client (UDP, TCP when truncated), standard library only.
NETRIG_DNS_PY='
import random, socket, struct, sys
name, qtype, server = sys.argv[1], sys.argv[2].upper(), sys.argv[3]
types = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "TXT": 16, "AAAA": 28, "SRV": 33, "ANY": 255}
qid = random.randrange(65536)
q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
for label in name.rstrip(".").split("."):
    q += bytes([len(label)]) + label.encode()
q += b"\0" + struct.pack(">HH", types[qtype], 1)
fam = socket.AF_INET6 if ":" in server else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(q, (server, 53))
r = s.recv(65535)
if struct.unpack(">H", r[2:4])[0] & 0x0200:
    t = socket.socket(fam, socket.SOCK_STREAM)
    t.settimeout(5)
    t.connect((server, 53))
    t.sendall(struct.pack(">H", len(q)) + q)
    def rd(n):
        b = b""
        while len(b) < n:
            c = t.recv(n - len(b))
            if not c:
                raise SystemExit("short TCP answer")
            b += c
        return b
    r = rd(struct.unpack(">H", rd(2))[0])
def dname(m, o):
    out, jumped, end = [], False, None
    while True:
        n = m[o]
        if n & 0xC0 == 0xC0:
            if end is None:
                end = o + 2
            o = ((n & 0x3F) << 8) | m[o + 1]
            continue
        o += 1
        if n == 0:
            break
        out.append(m[o:o + n].decode("ascii", "replace"))
        o += n
    return ".".join(out) + ".", (end if end is not None else o)
flags, qd, an = struct.unpack(">HHH", r[2:8])
rcode = flags & 15
o = 12
for _ in range(qd):
    _, o = dname(r, o)
    o += 4
found = 0
for _ in range(an):
    _, o = dname(r, o)
    typ, cls, ttl, rdl = struct.unpack(">HHIH", r[o:o + 10])
    o += 10
    rd_ = r[o:o + rdl]
    if typ == 1:
        print(socket.inet_ntop(socket.AF_INET, rd_))
    elif typ == 28:
        print(socket.inet_ntop(socket.AF_INET6, rd_))
    elif typ == 16:
        parts, i = [], 0
        while i < len(rd_):
            n = rd_[i]
            s_ = rd_[i + 1:i + 1 + n]
            parts.append("\"" + "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\%03d" % c for c in s_) + "\"")
            i += 1 + n
        print(" ".join(parts))
    elif typ == 33:
        p, w, port = struct.unpack(">HHH", rd_[:6])
        print(p, w, port, dname(r, o + 6)[0])
    elif typ in (2, 5, 12):
        print(dname(r, o)[0])
    else:
        print("type%d %s" % (typ, rd_.hex()))
    found += 1
    o += rdl
if not found:
    sys.stderr.write("netrig_dns: %s %s: no answer (rcode %d)\n" % (name, qtype, rcode))
    sys.exit(1)
'

netrig_dns() {
	[ $# -ge 1 ] || { netrig_err "usage: netrig_dns NAME [TYPE [SERVER]]"; return 2; }
	netrig_exec "$NETRIG_PYTHON" -c "$NETRIG_DNS_PY" "$1" "${2:-A}" "${3:-$NETRIG_V4}"
}

# netrig_alive PID: running (not gone, not a zombie waiting for us)
netrig_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$_st" ] && [ "$_st" != Z ]
}

netrig_down() {
	for _p in $NETRIG_PIDS; do
		kill -TERM "$_p" 2>/dev/null
	done
	for _p in $NETRIG_PIDS; do
		_i=0
		while netrig_alive "$_p" && [ $_i -lt 30 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		netrig_alive "$_p" && kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	NETRIG_PIDS=''
	if [ -n "$NETRIG_NS" ]; then
		# anything else still in our namespace (QEMU of an interrupted test...)
		_left=$(ip netns pids "$NETRIG_NS" 2>/dev/null)
		if [ -n "$_left" ]; then
			netrig_err "stopping processes left in $NETRIG_NS: $(echo $_left)"
			for _p in $_left; do kill -TERM "$_p" 2>/dev/null; done
			sleep 0.5
			for _p in $(ip netns pids "$NETRIG_NS" 2>/dev/null); do kill -KILL "$_p" 2>/dev/null; done
			sleep 0.1
		fi
		ip netns del "$NETRIG_NS" 2>/dev/null ||
			netrig_err "cannot delete network namespace $NETRIG_NS"
		NETRIG_NS=''
	fi
	return 0
}
