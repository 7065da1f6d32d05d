#!/usr/bin/env python3
"""Authoritative DNS responder for tests/suites/72-dns.sh (standard library only).

dnsmasq cannot serve the binary artifacts of RFC 8572 4.2.2 (its
--txt-record takes text: no NUL octets, no escapes), so this serves them:
UDP and TCP on one port of 127.0.0.1 (or --bind ADDR --port N), plus a second UDP port standing in for
an mDNS responder (RFC 6762 6.7 "legacy unicast" answers: id and question
echoed, sent from the responder's own port).

  --txt NAME KEY FILE         TXT record "KEY=<contents of FILE>", split into
                              255-octet character-strings (one record per use)
  --txt-raw NAME TEXT         TXT record of one character-string TEXT
  --srv NAME PRIO WEIGHT PORT TARGET
  --a NAME ADDR               A record, sent as additional data with SRV
  --behave NAME MODE          spoof    first a forged answer from another port
                              badid    first an answer with another id
                              mute     no answer over UDP
                              loop     an answer whose owner name loops
                              servfail RCODE 2
Names ending in ".local" are served on the mDNS port only (silence when
there is nothing to say), the others on the unicast ports (NXDOMAIN).
A UDP answer longer than 512 octets (or the EDNS(0) size offered, at most
4096) is replaced by a header and question with TC set (RFC 1035 4.2.1).
Every query is logged to --log as "udp|tcp|mdns NAME TYPE [truncated]".
With --mdns-group it also joins 224.0.0.251 on port 5353 (RFC 6762 3) and
answers ".local" names asked there, to exercise real multicast; the third
field of the port file says 5353, or 0 if that port could not be had.
When ready, "PORT MDNSPORT GROUPPORT" is written to --portfile.
"""
import argparse
import os
import select
import socket
import struct
import threading

T_A, T_TXT, T_SRV, T_OPT = 1, 16, 33, 41
TYPES = {1: "A", 16: "TXT", 28: "AAAA", 33: "SRV"}


def wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def strings(data):
    out = b""
    while True:
        out += bytes([min(len(data), 255)]) + data[:255]
        data = data[255:]
        if not data:
            return out


class Zone:
    def __init__(self, args):
        self.rr = {}       # (name, type) -> [rdata]
        self.addr = {}     # name -> [A rdata]
        self.behave = {}
        for name, key, path in args.txt:
            with open(path, "rb") as f:
                self.add(name, T_TXT, strings(key.encode() + b"=" + f.read()))
        for name, text in args.txt_raw:
            self.add(name, T_TXT, strings(text.encode()))
        for name, prio, weight, port, target in args.srv:
            self.add(name, T_SRV, struct.pack(">HHH", int(prio), int(weight), int(port)) + wire(target))
        for name, addr in args.a:
            self.addr.setdefault(name.lower(), []).append(socket.inet_aton(addr))
        for name, mode in args.behave:
            self.behave[name.lower()] = mode

    def add(self, name, rtype, rdata):
        self.rr.setdefault((name.lower(), rtype), []).append(rdata)


def parse_query(msg):
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", msg[:12])
    if flags & 0x8000 or qd != 1:
        return None
    i, labels = 12, []
    while msg[i]:
        labels.append(msg[i + 1:i + 1 + msg[i]].decode("latin-1"))
        i += 1 + msg[i]
    qend = i + 5
    qtype, qclass = struct.unpack(">HH", msg[i + 1:qend])
    edns = 0
    if ar and msg[qend:qend + 3] == b"\0\0\x29":
        edns = struct.unpack(">H", msg[qend + 3:qend + 5])[0]
    return qid, ".".join(labels), qtype, msg[12:qend], edns


def rr(owner, rtype, rdata, rclass=1):
    return owner + struct.pack(">HHIH", rtype, rclass, 60, len(rdata)) + rdata


def answer(zone, q, mdns):
    qid, name, qtype, question, _ = q
    key = name.lower()
    mode = zone.behave.get(key)
    rdatas = zone.rr.get((key, qtype), [])
    known = any(n == key for n, _ in zone.rr)
    if mdns and not rdatas:
        return None
    rcode = 0 if known else 3
    if mode == "servfail":
        rcode, rdatas = 2, []
    answers = b"".join(rr(b"\xc0\x0c", qtype, d) for d in rdatas)
    extra, nextra = b"", 0
    if qtype == T_SRV:
        for d in rdatas:
            target = d[6:]
            labels, i = [], 0
            while target[i]:
                labels.append(target[i + 1:i + 1 + target[i]].decode())
                i += 1 + target[i]
            for a in zone.addr.get(".".join(labels).lower(), []):
                extra += rr(target, T_A, a)
                nextra += 1
    flags = 0x8400 | rcode if mdns else 0x8580 | rcode
    if mode == "loop" and rdatas:
        # the owner of the first answer: a pointer to itself
        at = 12 + len(question)
        answers = struct.pack(">H", 0xc000 | at) + answers[2:]
    return struct.pack(">HHHHHH", qid, flags, 1, len(rdatas), 0, nextra) + question + answers + extra


def truncated(msg):
    qd_end = 12
    while msg[qd_end]:
        qd_end += 1 + msg[qd_end]
    qd_end += 5
    flags = struct.unpack(">H", msg[2:4])[0] | 0x0200
    return msg[:2] + struct.pack(">HHHHH", flags, 1, 0, 0, 0) + msg[12:qd_end]


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def serve_tcp(conn, zone, logpath):
    conn.settimeout(5)
    try:
        while True:
            hdr = conn.recv(2, socket.MSG_WAITALL)
            if len(hdr) < 2:
                return
            msg = conn.recv(struct.unpack(">H", hdr)[0], socket.MSG_WAITALL)
            q = parse_query(msg)
            if not q:
                return
            log(logpath, "tcp %s %s" % (q[1], TYPES.get(q[2], q[2])))
            resp = answer(zone, q, False)
            conn.sendall(struct.pack(">H", len(resp)) + resp)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--portfile", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--txt", nargs=3, action="append", default=[])
    ap.add_argument("--txt-raw", nargs=2, action="append", default=[])
    ap.add_argument("--srv", nargs=5, action="append", default=[])
    ap.add_argument("--a", nargs=2, action="append", default=[])
    ap.add_argument("--behave", nargs=2, action="append", default=[])
    ap.add_argument("--mdns-group", action="store_true")
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    zone = Zone(args)

    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((args.bind, args.port))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((args.bind, port))
            break
        except OSError:
            udp.close()
            tcp.close()
    tcp.listen(8)
    mdns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    mdns.bind((args.bind, 0))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # for forgeries
    other.bind((args.bind, 0))
    socks = [udp, tcp, mdns]
    group = None
    if args.mdns_group:
        try:
            group = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            group.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            group.bind(("0.0.0.0", 5353))
            group.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                             socket.inet_aton("224.0.0.251") + socket.inet_aton("0.0.0.0"))
            socks.append(group)
        except OSError:
            group = None
    tmp = args.portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d %d\n" % (port, mdns.getsockname()[1], 5353 if group else 0))
    os.rename(tmp, args.portfile)

    while True:
        ready, _, _ = select.select(socks, [], [])
        for s in ready:
            if s is tcp:
                conn, _ = tcp.accept()
                threading.Thread(target=serve_tcp, args=(conn, zone, args.log), daemon=True).start()
                continue
            msg, peer = s.recvfrom(65535)
            q = parse_query(msg)
            if not q:
                continue
            is_mdns = s is mdns or s is group
            if is_mdns != q[1].lower().endswith(".local"):
                continue
            resp = answer(zone, q, is_mdns)
            mode = zone.behave.get(q[1].lower())
            note = ""
            if resp is not None and not is_mdns:
                limit = min(max(q[4], 512), 4096)
                if len(resp) > limit:
                    resp, note = truncated(resp), " truncated"
            kind = "group" if s is group else "mdns" if is_mdns else "udp"
            log(args.log, "%s %s %s%s" % (kind, q[1], TYPES.get(q[2], q[2]), note))
            if resp is None or mode == "mute":
                continue
            if mode == "spoof":
                forged = answer(zone, q, is_mdns)
                forged = forged[:-1] + bytes([forged[-1] ^ 0xff])
                other.sendto(forged if len(forged) <= 512 else truncated(forged), peer)
            elif mode == "badid":
                s.sendto(struct.pack(">H", q[0] ^ 0x5555) + resp[2:], peer)
            s.sendto(resp, peer)


if __name__ == "__main__":
    main()
