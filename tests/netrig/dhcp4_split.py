#!/usr/bin/env python3
"""A small DHCPv4 server whose option 143 may be split (RFC 3396).

Python 3 standard library only; for tests/suites/74-dhcp.sh. It serves one
client address on one interface, which must be inside a network namespace
the test made: the socket is bound to that interface (SO_BINDTODEVICE) and
nothing else. DHCPDISCOVER gets a DHCPOFFER, DHCPREQUEST a DHCPACK (both
broadcast: the client may have no address yet), DHCPINFORM a DHCPACK
unicast to ciaddr (RFC 2131 4.3.5). Every reply carries options 1, 3, 6, 15,
51 (not to an INFORM: RFC 2131 4.3.5), 54 and, whether asked or not, 143:
the RFC 8572 8.3 bootstrap-server-list of the --uri values, as one instance
when it fits in 255 octets, else in 255-octet instances; --instances N
splits it into N instances of about equal size instead, so that entries
straddle instance boundaries; --spread puts the other options between the
instances. Each message received is logged as one line.

  dhcp4_split.py --netns NAME --interface IF --server-ip A --client-ip A --log FILE
                 [--netmask M] [--router A] [--dns A] [--domain NAME]
                 [--uri URI]... [--instances N] [--spread] [--no-inform]
                 [--ignore-max-size] [--ready-file FILE]

A reply larger than the client's maximum message size (option 57, else 576
octets: RFC 2131 2, RFC 2132 9.10) goes out without option 143, unless
--ignore-max-size. --no-inform: log DHCPINFORM but do not answer it (a
server that does not implement it). The ready file is written once the
socket is bound.
"""

import argparse
import ipaddress
import os
import signal
import socket
import struct
import sys
import time

SO_BINDTODEVICE = getattr(socket, "SO_BINDTODEVICE", 25)
COOKIE = bytes([99, 130, 83, 99])
NAMES = {1: "DHCPDISCOVER", 2: "DHCPOFFER", 3: "DHCPREQUEST", 4: "DHCPDECLINE",
         5: "DHCPACK", 6: "DHCPNAK", 7: "DHCPRELEASE", 8: "DHCPINFORM"}


def server_list(uris):
    """RFC 8572 8.3: 1*(uri-length(2, network order) URI)."""
    out = b""
    for u in uris:
        b = u.encode("ascii")
        out += struct.pack("!H", len(b)) + b
    return out


def instances(code, data, n):
    """data as a list of option instances: n of about equal size, or
    255-octet ones."""
    if n and n > 0:
        size = max(1, -(-len(data) // n))
    else:
        size = 255
    if size > 255:
        sys.exit("dhcp4_split: %d octets do not fit in %d instances" % (len(data), n))
    return [bytes([code, len(data[i:i + size])]) + data[i:i + size]
            for i in range(0, max(len(data), 1), size)]


def parse_options(p):
    """Options field of a request: {code: data} (instances concatenated)."""
    opts, i = {}, 0
    while i < len(p):
        c = p[i]
        if c == 0:
            i += 1
            continue
        if c == 255 or i + 1 >= len(p) or i + 2 + p[i + 1] > len(p):
            break
        opts[c] = opts.get(c, b"") + p[i + 2:i + 2 + p[i + 1]]
        i += 2 + p[i + 1]
    return opts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--netns", required=True)
    ap.add_argument("--interface", required=True)
    ap.add_argument("--server-ip", required=True)
    ap.add_argument("--client-ip", required=True)
    ap.add_argument("--netmask", default="255.255.255.0")
    ap.add_argument("--router")
    ap.add_argument("--dns")
    ap.add_argument("--domain")
    ap.add_argument("--uri", action="append", default=[])
    ap.add_argument("--instances", type=int, default=0)
    ap.add_argument("--spread", action="store_true")
    ap.add_argument("--lease", type=int, default=3600)
    ap.add_argument("--no-inform", action="store_true")
    ap.add_argument("--ignore-max-size", action="store_true")
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready-file")
    a = ap.parse_args()

    # Only ever inside the test's own namespace, never on the host's links.
    here, there = os.stat("/proc/self/ns/net"), os.stat("/run/netns/" + a.netns)
    if (here.st_dev, here.st_ino) != (there.st_dev, there.st_ino):
        sys.exit("dhcp4_split: not running in network namespace %s" % a.netns)

    sid = ipaddress.IPv4Address(a.server_ip).packed
    client = ipaddress.IPv4Address(a.client_ip).packed
    others = [bytes([54, 4]) + sid, bytes([1, 4]) + ipaddress.IPv4Address(a.netmask).packed]
    if a.router:
        others.append(bytes([3, 4]) + ipaddress.IPv4Address(a.router).packed)
    if a.dns:
        others.append(bytes([6, 4]) + ipaddress.IPv4Address(a.dns).packed)
    if a.domain:
        d = a.domain.encode("ascii")
        others.append(bytes([15, len(d)]) + d)
    split = instances(143, server_list(a.uri), a.instances) if a.uri else []
    if a.spread:
        # RFC 3396 lets other options sit between the instances.
        common = b""
        for i in range(max(len(split), len(others))):
            common += (split[i] if i < len(split) else b"") + (others[i] if i < len(others) else b"")
    else:
        common = b"".join(others) + b"".join(split)
    without143 = b"".join(others)

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, a.interface.encode() + b"\0")
    s.bind(("0.0.0.0", 67))
    log = open(a.log, "a", buffering=1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("%s:67\n" % a.server_ip)

    while True:
        msg, (src, sport) = s.recvfrom(4096)
        if len(msg) < 240 or msg[0] != 1 or msg[236:240] != COOKIE:
            log.write("%.3f ignored %d octets from %s:%d\n" % (time.time(), len(msg), src, sport))
            continue
        xid, ciaddr, chaddr = msg[4:8], msg[12:16], msg[28:44]
        opts = parse_options(msg[240:])
        mtype = opts.get(53, b"\0")[0]
        # RFC 2132 9.10: the largest message the client takes, IP and UDP
        # headers included; 576 when it does not say (RFC 2131 2).
        maxsize = struct.unpack("!H", opts[57])[0] if len(opts.get(57, b"")) == 2 else 576
        log.write("%.3f %s xid=%s from=%s:%d ciaddr=%s chaddr=%s max=%d prl=%s\n" % (
            time.time(), NAMES.get(mtype, "type-%d" % mtype), xid.hex(), src, sport,
            ipaddress.IPv4Address(ciaddr), chaddr[:6].hex(":"), maxsize,
            ",".join(str(c) for c in opts.get(55, b""))))
        if mtype == 1:
            reply, yiaddr, lease = 2, client, True
        elif mtype == 3:
            reply, yiaddr, lease = 5, client, True
        elif mtype == 8 and not a.no_inform:
            reply, yiaddr, lease = 5, b"\0" * 4, False
        else:
            continue
        out = bytearray(240)
        out[0:4] = bytes([2, 1, 6, 0])
        out[4:8] = xid
        out[10:12] = msg[10:12]  # flags
        out[12:16] = ciaddr
        out[16:20] = yiaddr
        out[20:24] = sid
        out[28:44] = chaddr
        out[236:240] = COOKIE
        out += bytes([53, 1, reply])
        if lease:
            out += bytes([51, 4]) + struct.pack("!I", a.lease)
        opts_out = common
        if 28 + len(out) + len(common) + 1 > maxsize and not a.ignore_max_size:
            # Too large for this client: what a server does is leave
            # options out (here: 143), never send more than it can take.
            opts_out = without143
            log.write("%.3f option 143 left out: %d octets > max %d\n" % (
                time.time(), 28 + len(out) + len(common) + 1, maxsize))
        out += opts_out + bytes([255])
        if mtype == 8:
            dest = str(ipaddress.IPv4Address(ciaddr))
        elif ciaddr != b"\0" * 4:
            dest = str(ipaddress.IPv4Address(ciaddr))  # renewing
        else:
            dest = "255.255.255.255"
        s.sendto(bytes(out), (dest, 68))


if __name__ == "__main__":
    main()
