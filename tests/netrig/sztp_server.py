#!/usr/bin/env python3
"""A test bootstrap server for sztpboot (RFC 8572 section 7, RESTCONF/JSON).

Python 3 standard library only. It serves per-device bootstrapping data,
accepts progress reports, serves boot images (with byte ranges), checks every
RPC body against the ietf-sztp-bootstrap-server YANG module with yanglint,
injects faults on request, and logs one JSON object per line for each
request. tests/netrig/README.md is the manual.

  sztp_server.py --listen ADDR:PORT [--listen ADDR:PORT ...] --root DIR
                 --log FILE [--cert PEM --key PEM --client-ca PEM] [--plain]
                 [--yang DIR | --no-yang] [--ready-file FILE]
"""

import argparse
import base64
import glob
import http.server
import itertools
import json
import os
import re
import select
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

MODULE = "ietf-sztp-bootstrap-server"
OPS_PREFIX = "/restconf/operations/" + MODULE + ":"
RPCS = ("get-bootstrapping-data", "report-progress")
JSON_TYPE = "application/yang-data+json"
MAX_BODY = 1 << 20            # request bodies larger than this: 413
HANDSHAKE_TIMEOUT = 30        # seconds for the TLS handshake
IDLE_TIMEOUT = 60             # seconds a kept-alive connection may idle
FAULTS = ("drop-image-after", "huge-reply", "stall", "malformed-json", "status",
          "progress-status", "image-404")
ARTIFACTS = (("conveyed-information", "conveyed-information.cms"),
             ("owner-certificate", "owner-certificate.cms"),
             ("ownership-voucher", "ownership-voucher.cms"))

STOP = threading.Event()
_conn_ids = itertools.count(1)
_conn_lock = threading.Lock()


def new_conn_id():
    with _conn_lock:
        return next(_conn_ids)


def hostport(addr):
    """('::1', 443, ...) -> '[::1]:443'; ('10.0.0.1', 443) -> '10.0.0.1:443'."""
    host, port = addr[0], addr[1]
    if ":" in host:
        return "[%s]:%d" % (host, port)
    return "%s:%d" % (host, port)


class Log:
    """One JSON object per line, flushed at once; shared by all threads."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "a", encoding="utf-8")

    def write(self, rec):
        line = json.dumps(rec, sort_keys=False, default=str)
        with self.lock:
            self.f.write(line + "\n")
            self.f.flush()


class Config:
    def __init__(self, args):
        self.root = os.path.abspath(args.root)
        self.log = Log(args.log)
        self.tls = not args.plain
        self.yang_dir = None
        self.yang_module = None
        self.yang_skip = None
        if args.no_yang:
            self.yang_skip = "skipped: --no-yang"
        else:
            ydir = args.yang
            if ydir is None:
                here = os.path.dirname(os.path.abspath(__file__))
                ydir = os.path.join(here, "..", "..", "..", "shared", "spec", "yang")
            ydir = os.path.abspath(ydir)
            mods = sorted(glob.glob(os.path.join(ydir, MODULE + "@*.yang")) +
                          glob.glob(os.path.join(ydir, MODULE + ".yang")))
            yl = shutil.which("yanglint")
            if not os.path.isdir(ydir) or not mods:
                self.yang_skip = "skipped: no YANG modules"
            elif yl is None:
                self.yang_skip = "skipped: yanglint not found"
            else:
                self.yang_dir, self.yang_module, self.yanglint = ydir, mods[-1], yl
        self.ctx = None
        if self.tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(args.cert, args.key)
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cafile=args.client_ca)
            self.ctx = ctx
        # faults that fired: (listen, image name, faults files' stamp)
        self.fired = set()
        self.fired_lock = threading.Lock()

    def fire_once(self, key):
        with self.fired_lock:
            if key in self.fired:
                return False
            self.fired.add(key)
            return True

    def faults(self, port):
        """DIR/faults.json merged with DIR/by-port/PORT/faults.json (which
        wins; a null or false value there unsets a key). Re-read on every
        request. Returns (faults, stamp): stamp changes whenever a faults
        file is written, which re-arms the once-only faults."""
        merged, stamp = {}, []
        for p in (os.path.join(self.root, "faults.json"),
                  os.path.join(self.root, "by-port", str(port), "faults.json")):
            try:
                with open(p, "rb") as f:
                    st = os.fstat(f.fileno())
                    stamp.append((st.st_ino, st.st_mtime_ns, st.st_size))
                    data = json.loads(f.read().decode("utf-8") or "{}")
            except FileNotFoundError:
                continue
            except (OSError, ValueError) as e:
                raise ValueError("%s: %s" % (p, e))
            if not isinstance(data, dict):
                raise ValueError("%s: not a JSON object" % p)
            unknown = [k for k in data if k not in FAULTS and not k.startswith("_")]
            if unknown:
                raise ValueError("%s: unknown fault %s" % (p, ", ".join(unknown)))
            for k in ("drop-image-after", "huge-reply", "status", "progress-status"):
                v = data.get(k)
                if v is None or v is False:
                    continue
                if isinstance(v, bool) or not isinstance(v, int) or v < 0 or \
                        (k.endswith("status") and not 100 <= v <= 599):
                    raise ValueError("%s: %s: not a valid number: %r" % (p, k, v))
            merged.update(data)
        return ({k: v for k, v in merged.items() if v is not None and v is not False
                 and not k.startswith("_")}, tuple(stamp))

    def lookup(self, port, *parts):
        """DIR/by-port/PORT/PARTS if it exists, else DIR/PARTS."""
        p = os.path.join(self.root, "by-port", str(port), *parts)
        if os.path.exists(p):
            return p
        return os.path.join(self.root, *parts)


# --- JSON that keeps duplicate members, for yanglint ------------------------

class Pairs(list):
    """A JSON object as the list of its (name, value) pairs, in order."""


def dump_pairs(v):
    if isinstance(v, Pairs):
        return "{" + ", ".join(json.dumps(k) + ": " + dump_pairs(x) for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(dump_pairs(x) for x in v) + "]"
    return json.dumps(v)


def no_constants(name):
    raise ValueError("not JSON: %s" % name)


def yang_check(cfg, rpc, inner_text):
    """Validate the input of RPC (JSON text of the input object) with
    yanglint. Returns "ok" or "invalid: MESSAGE"."""
    doc = '{"%s:%s": %s}' % (MODULE, rpc, inner_text)
    with tempfile.TemporaryDirectory(prefix="sztp-yang-") as d:
        p = os.path.join(d, "input.json")   # yanglint picks the format by the suffix
        with open(p, "w", encoding="utf-8") as f:
            f.write(doc)
        # No -f: with "-f json" yanglint 2.1.30 does not report a false
        # "when" (e.g. ssh-host-keys without bootstrap-complete).
        try:
            r = subprocess.run([cfg.yanglint, "-D", "-t", "rpc", "-p", cfg.yang_dir,
                                cfg.yang_module, p], cwd=d, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            return "invalid: yanglint did not run: %s" % e
    if r.returncode == 0:
        return "ok"
    errs = []
    for line in r.stderr.decode("utf-8", "replace").splitlines():
        m = re.match(r"\s*libyang err\s*:\s*(.*)", line)
        if m:
            errs.append(m.group(1).strip())
    if not errs:
        errs = [l.strip() for l in r.stderr.decode("utf-8", "replace").splitlines() if l.strip()][:2]
    return "invalid: " + ("; ".join(errs) or "yanglint exit %d" % r.returncode)


# --- HTTP ------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sztp-test-server"
    sys_version = ""
    timeout = IDLE_TIMEOUT

    def __init__(self, request, client_address, server, info):
        self.info = info
        super().__init__(request, client_address, server)

    def log_message(self, fmt, *args):   # our own log only
        pass

    def version_string(self):
        return self.server_version

    # -- plumbing --
    def begin(self):
        self.info["requests"] = self.info.get("requests", 0) + 1
        self.rec = {
            "t": round(time.time(), 6), "event": "request",
            "listen": self.server.listen_name, "peer": hostport(self.client_address),
            "tls": self.server.cfg.tls, "serial": self.info.get("serial"),
            "method": self.command, "path": self.path,
            "range": self.headers.get("Range"), "status": None, "body": None,
            "yang": None, "fault": None, "conn": self.info["conn"],
            "bytes": 0, "tls-version": self.info.get("tls-version"),
            "cipher": self.info.get("cipher"), "data": None, "error": None,
        }
        self.logged = False

    def finish_log(self):
        if not self.logged:
            self.logged = True
            self.server.cfg.log.write(self.rec)

    def send_head(self, status, headers=(), length=None, last=False):
        """Status line and headers. last: nothing follows, so the log line
        is written first (a request is always logged before the client has
        the whole response)."""
        self.rec["status"] = status
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", str(length))
        if last:
            self.finish_log()
        self.end_headers()

    def reply(self, status, body=b"", ctype=None, headers=()):
        h = list(headers)
        if ctype:
            h.append(("Content-Type", ctype))
        if status == 204 or status == 304 or 100 <= status < 200:
            self.send_head(status, h, last=True)
            return
        if self.command == "HEAD" or not body:
            self.send_head(status, h, len(body), last=True)
            return
        self.send_head(status, h, len(body))
        self.rec["bytes"] = len(body)
        self.finish_log()
        self.wfile.write(body)

    def error(self, status, tag, message, headers=()):
        """A RESTCONF error (RFC 8040 7.1) in JSON."""
        self.rec["error"] = message
        if status == 204 or status == 304 or 100 <= status < 200:
            self.reply(status, headers=headers)
            return
        etype = "protocol" if status < 500 else "application"
        body = json.dumps({"ietf-restconf:errors": {"error": [
            {"error-type": etype, "error-tag": tag, "error-message": message}]}}).encode()
        self.reply(status, body, JSON_TYPE, headers)

    def read_body(self):
        """The request body (bytes), or None after answering an error."""
        te = self.headers.get("Transfer-Encoding", "").lower()
        if te and te != "identity":
            if te != "chunked":
                self.close_connection = True
                self.error(501, "operation-not-supported", "Transfer-Encoding %s" % te)
                return None
            out = b""
            while True:
                line = self.rfile.readline(1024)
                try:
                    n = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    self.close_connection = True
                    self.error(400, "malformed-message", "bad chunk size")
                    return None
                if n == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                if len(out) + n > MAX_BODY:
                    self.close_connection = True
                    self.error(413, "too-big", "request body over %d bytes" % MAX_BODY)
                    return None
                out += self.rfile.read(n)
                self.rfile.readline(16)
        cl = self.headers.get("Content-Length")
        if cl is None:
            return b""
        try:
            n = int(cl)
            if n < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            self.error(400, "malformed-message", "bad Content-Length")
            return None
        if n > MAX_BODY:
            self.close_connection = True
            self.error(413, "too-big", "request body over %d bytes" % MAX_BODY)
            return None
        body = self.rfile.read(n)
        if len(body) != n:
            self.close_connection = True
            self.error(400, "malformed-message", "body shorter than Content-Length")
            return None
        return body

    def faults(self):
        try:
            f, self.fault_stamp = self.server.cfg.faults(self.server.port)
            return f
        except ValueError as e:
            self.error(500, "operation-failed", "faults: %s" % e)
            return None

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
            self.close_connection = True

    # -- methods --
    def do_GET(self):
        self.begin()
        try:
            self.get()
        finally:
            self.finish_log()

    do_HEAD = do_GET

    def do_POST(self):
        self.begin()
        try:
            self.post()
        finally:
            self.finish_log()

    def other(self):
        self.begin()
        try:
            self.read_body()
            self.error(405, "operation-not-supported", "method not allowed",
                       [("Allow", "POST" if self.path.startswith("/restconf/") else "GET, HEAD")])
        finally:
            self.finish_log()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = other

    # -- RPCs --
    def post(self):
        path = urllib.parse.urlsplit(self.path).path
        body = self.read_body()
        if body is None:
            return
        rpc = path[len(OPS_PREFIX):] if path.startswith(OPS_PREFIX) else None
        if rpc not in RPCS:
            self.error(404, "invalid-value", "no such operation: %s" % path)
            return
        ctype = self.headers.get("Content-Type", "")
        accept = self.headers.get("Accept")
        if accept is not None and not any(
                a.split(";")[0].strip().lower() in (JSON_TYPE, "*/*", "application/*")
                for a in accept.split(",")):
            self.error(406, "invalid-value", "cannot answer in %s" % accept)
            return
        cfg = self.server.cfg
        inner_text = None
        if body.strip():
            if ctype.split(";")[0].strip().lower() != JSON_TYPE:
                self.rec["yang"] = "skipped: Content-Type %s" % (ctype or "missing")
                self.error(415, "invalid-value", "Content-Type must be %s, not %r" % (JSON_TYPE, ctype))
                return
            try:
                text = body.decode("utf-8")
                self.rec["body"] = json.loads(text, parse_constant=no_constants)
                doc = json.loads(text, object_pairs_hook=Pairs, parse_constant=no_constants)
            except (UnicodeDecodeError, ValueError) as e:
                self.rec["body"] = body.decode("utf-8", "replace")
                self.rec["yang"] = "invalid: not JSON: %s" % e
                self.error(400, "malformed-message", "not JSON: %s" % e)
                return
            name = MODULE + ":input"
            if not (isinstance(doc, Pairs) and len(doc) == 1 and doc[0][0] == name
                    and isinstance(doc[0][1], Pairs)):
                self.rec["yang"] = 'invalid: the body must be {"%s": {...}}' % name
                self.error(400, "malformed-message", self.rec["yang"][9:])
                return
            inner_text = dump_pairs(doc[0][1])
        # YANG
        if inner_text is None:
            if rpc == "report-progress":
                self.rec["yang"] = "invalid: no input (progress-type is mandatory)"
            else:
                self.rec["yang"] = "skipped: no input"   # RFC 8040 3.6.1: allowed
        elif cfg.yang_skip:
            self.rec["yang"] = cfg.yang_skip
        else:
            self.rec["yang"] = yang_check(cfg, rpc, inner_text)
        if self.rec["yang"].startswith("invalid"):
            self.error(400, "invalid-value", self.rec["yang"][len("invalid: "):])
            return
        if rpc == "get-bootstrapping-data":
            self.get_bootstrapping_data()
        else:
            self.report_progress()

    def get_bootstrapping_data(self):
        faults = self.faults()
        if faults is None:
            return
        cfg = self.server.cfg
        if "status" in faults:
            self.rec["fault"] = "status"
            self.error(int(faults["status"]), "operation-failed", "fault: status %s" % faults["status"])
            return
        if faults.get("stall"):
            self.rec["fault"] = "stall"
            self.stall()
            return
        if "huge-reply" in faults:
            self.rec["fault"] = "huge-reply"
            self.huge(int(faults["huge-reply"]))
            return
        if faults.get("malformed-json"):
            self.rec["fault"] = "malformed-json"
            self.reply(200, b'{"ietf-sztp-bootstrap-server:output": {"conveyed-information": "MIIB', JSON_TYPE)
            return
        serial = self.info.get("serial")
        if not serial:
            self.error(401, "access-denied", "no client identity")
            return
        if serial in (".", "..") or "/" in serial or "\0" in serial:
            self.error(404, "invalid-value", "unusable serial number %r" % serial)
            return
        d = cfg.lookup(self.server.port, "devices", serial)
        ci = os.path.join(d, "conveyed-information.cms")
        if not os.path.isfile(ci):
            self.error(404, "invalid-value", "no bootstrapping data for %s" % serial)
            return
        out = {}
        rl = os.path.join(d, "reporting-level")
        if os.path.isfile(rl):
            with open(rl, encoding="utf-8") as f:
                out["reporting-level"] = f.read().strip()
        for member, fname in ARTIFACTS:
            p = os.path.join(d, fname)
            if os.path.isfile(p):
                with open(p, "rb") as f:
                    out[member] = base64.b64encode(f.read()).decode("ascii")
        body = json.dumps({MODULE + ":output": out}).encode()
        self.rec["data"] = os.path.relpath(d, cfg.root)
        self.reply(200, body, JSON_TYPE)

    def report_progress(self):
        faults = self.faults()
        if faults is None:
            return
        if "progress-status" in faults:
            self.rec["fault"] = "progress-status"
            code = int(faults["progress-status"])
            if code == 204:
                self.reply(204)
            else:
                self.error(code, "operation-failed", "fault: progress-status %d" % code)
            return
        self.reply(204)

    def stall(self):
        """Headers, the start of a body, then nothing until the client closes."""
        prefix = b'{"ietf-sztp-bootstrap-server:output": {'
        # logged now: the end may never come
        self.rec["status"] = 200
        self.rec["bytes"] = len(prefix)
        self.finish_log()
        self.send_head(200, [("Content-Type", JSON_TYPE)], 65536)
        self.wfile.write(prefix)
        self.close_connection = True
        sock = self.connection
        sock.settimeout(0)
        while not STOP.is_set():
            try:
                r, _, _ = select.select([sock], [], [], 1.0)
                if not r:
                    continue
                if not sock.recv(4096):
                    break
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                continue
            except (OSError, ssl.SSLError):
                break

    def huge(self, n):
        self.send_head(200, [("Content-Type", JSON_TYPE)], n)
        chunk = b'{"ietf-sztp-bootstrap-server:output": {"conveyed-information": "'
        chunk += b"A" * (65536 - len(chunk))
        sent = 0
        self.close_connection = True
        try:
            while sent < n and not STOP.is_set():
                part = chunk[:min(len(chunk), n - sent)]
                self.wfile.write(part)
                sent += len(part)
                chunk = b"A" * 65536
        except (OSError, ssl.SSLError):
            pass
        self.rec["bytes"] = sent

    # -- images --
    def get(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/restconf/"):
            self.error(405, "operation-not-supported", "RPCs take POST", [("Allow", "POST")])
            return
        if not path.startswith("/images/"):
            self.error(404, "invalid-value", "not found: %s" % path)
            return
        name = urllib.parse.unquote(path[len("/images/"):])
        if not name or "/" in name or name.startswith(".") or "\0" in name:
            self.error(404, "invalid-value", "not an image name: %r" % name)
            return
        faults = self.faults()
        if faults is None:
            return
        if faults.get("image-404"):
            self.rec["fault"] = "image-404"
            self.error(404, "invalid-value", "fault: image-404")
            return
        p = self.server.cfg.lookup(self.server.port, "images", name)
        if not os.path.isfile(p):
            self.error(404, "invalid-value", "no image %s" % name)
            return
        size = os.path.getsize(p)
        first, last = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        if rng is not None:
            r = parse_range(rng, size)
            if r == "unsatisfiable":
                self.rec["error"] = "range not satisfiable"
                self.reply(416, b"", None, [("Content-Range", "bytes */%d" % size),
                                            ("Accept-Ranges", "bytes")])
                return
            if r is not None:
                first, last = r
                status = 206
        headers = [("Content-Type", "application/octet-stream"), ("Accept-Ranges", "bytes")]
        if status == 206:
            headers.append(("Content-Range", "bytes %d-%d/%d" % (first, last, size)))
        length = last - first + 1
        drop = None
        if status == 200 and self.command == "GET" and "drop-image-after" in faults:
            if self.server.cfg.fire_once((self.server.listen_name, name, self.fault_stamp)):
                drop = max(0, min(int(faults["drop-image-after"]), length))
                self.rec["fault"] = "drop-image-after"
        if self.command == "HEAD":
            self.send_head(status, headers, length, last=True)
            return
        todo = length if drop is None else drop
        self.send_head(status, headers, length, last=(todo == 0))
        sent = 0
        with open(p, "rb") as f:
            f.seek(first)
            try:
                while sent < todo:
                    buf = f.read(min(65536, todo - sent))
                    if not buf:
                        break
                    if sent + len(buf) >= todo:     # the last piece: log first
                        self.rec["bytes"] = todo
                        self.finish_log()
                    self.wfile.write(buf)
                    sent += len(buf)
            except (OSError, ssl.SSLError):
                self.close_connection = True
        if not self.logged:
            self.rec["bytes"] = sent
        if drop is not None:
            # cut the TCP connection (for TLS: no close_notify)
            self.close_connection = True
            self.info["dropped"] = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def parse_range(value, size):
    """One "bytes=" range -> (first, last); "unsatisfiable"; or None to
    ignore the header (not bytes, several ranges, or not valid)."""
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", value)
    if not m or (m.group(1) == "" and m.group(2) == ""):
        return None
    a, b = m.group(1), m.group(2)
    if a == "":                      # suffix: the last b bytes
        n = int(b)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return (max(0, size - n), size - 1)
    first = int(a)
    if b != "" and int(b) < first:
        return None                  # not valid: ignored (RFC 7233 3.1)
    if first >= size:
        return "unsatisfiable"
    last = size - 1 if b == "" else min(int(b), size - 1)
    return (first, last)


class Listener(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, host, port, family, cfg):
        self.address_family = family
        self.cfg = cfg
        super().__init__((host, port), Handler)
        self.port = self.socket.getsockname()[1]
        self.listen_name = hostport((host, self.port))

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        socketserver.TCPServer.server_bind(self)     # no getfqdn(): no DNS here
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        info = {"conn": new_conn_id()}
        sock = request
        if self.cfg.tls:
            try:
                sock.settimeout(HANDSHAKE_TIMEOUT)
                sock = self.cfg.ctx.wrap_socket(sock, server_side=True)
            except (OSError, ssl.SSLError, ValueError) as e:
                self.log_event("tls-handshake-failed", client_address, info, str(e))
                try:
                    request.close()
                except OSError:
                    pass
                return
            info["serial"] = peer_serial(sock.getpeercert())
            info["tls-version"] = sock.version()
            c = sock.cipher()
            info["cipher"] = c[0] if c else None
        try:
            Handler(sock, client_address, self, info)
        finally:
            if not info.get("requests"):
                self.log_event("no-request", client_address, info,
                               "connection closed before a complete request")
            if self.cfg.tls and not info.get("dropped"):
                # close_notify before the TCP close (a strict client such as
                # BearSSL reports a close without it as truncation); do not
                # wait for the peer's
                try:
                    sock.setblocking(False)
                    sock.unwrap()
                except (OSError, ssl.SSLError, ValueError):
                    pass
            try:
                sock.close()
            except OSError:
                pass

    def log_event(self, event, client_address, info, error):
        """A log line for a connection without a request."""
        self.cfg.log.write({
            "t": round(time.time(), 6), "event": event,
            "listen": self.listen_name, "peer": hostport(client_address),
            "tls": self.cfg.tls, "serial": info.get("serial"), "method": None, "path": None,
            "range": None, "status": None, "body": None, "yang": None,
            "fault": None, "conn": info["conn"], "bytes": 0,
            "tls-version": info.get("tls-version"), "cipher": info.get("cipher"),
            "data": None, "error": error})

    def shutdown_request(self, request):   # finish_request closes the (wrapped) socket
        pass

    def handle_error(self, request, client_address):
        print("sztp_server: %s: error with %s: %s" % (self.listen_name, hostport(client_address),
                                                       sys.exc_info()[1]), file=sys.stderr)


def peer_serial(cert):
    """The serialNumber attribute of the subject, else its commonName."""
    cn = None
    for rdn in (cert or {}).get("subject", ()):
        for k, v in rdn:
            if k == "serialNumber":
                return v
            if k == "commonName" and cn is None:
                cn = v
    return cn


def parse_listen(s):
    m = re.fullmatch(r"\[([0-9A-Fa-f:.%a-zA-Z]+)\]:(\d+)", s)
    if m:
        return m.group(1), int(m.group(2)), socket.AF_INET6
    m = re.fullmatch(r"([^:\[\]]+):(\d+)", s)
    if m:
        return m.group(1), int(m.group(2)), socket.AF_INET
    raise argparse.ArgumentTypeError("--listen wants ADDR:PORT or [V6ADDR]:PORT, not %r" % s)


def main():
    ap = argparse.ArgumentParser(description="Test SZTP bootstrap server (RFC 8572, RESTCONF JSON).")
    ap.add_argument("--listen", action="append", required=True, type=parse_listen,
                    metavar="ADDR:PORT", help="address to listen on (repeatable; [v6]:port; port 0: any)")
    ap.add_argument("--root", required=True, help="fixtures directory")
    ap.add_argument("--log", required=True, help="JSON-lines request log")
    ap.add_argument("--cert", help="server certificate (PEM, may hold the chain)")
    ap.add_argument("--key", help="server private key (PEM)")
    ap.add_argument("--client-ca", help="CA for the required client certificate")
    ap.add_argument("--plain", action="store_true", help="plain HTTP, no TLS")
    ap.add_argument("--yang", help="folder with the YANG modules")
    ap.add_argument("--no-yang", action="store_true", help="skip the YANG check")
    ap.add_argument("--ready-file", help="written (listen addresses, one a line) once all listen")
    args = ap.parse_args()
    if not args.plain and not (args.cert and args.key and args.client_ca):
        ap.error("TLS needs --cert, --key and --client-ca (or give --plain)")
    if not os.path.isdir(args.root):
        ap.error("--root %s: not a directory" % args.root)
    try:
        cfg = Config(args)
    except (OSError, ssl.SSLError) as e:
        print("sztp_server: %s" % e, file=sys.stderr)
        return 1
    servers = []
    try:
        for host, port, fam in args.listen:
            servers.append(Listener(host, port, fam, cfg))
    except OSError as e:
        print("sztp_server: cannot listen on %s:%d: %s" % (host, port, e), file=sys.stderr)
        return 1

    def on_signal(signum, frame):
        STOP.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    threads = []
    for s in servers:
        t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        t.start()
        threads.append(t)
    if args.ready_file:
        tmp = args.ready_file + ".tmp.%d" % os.getpid()
        with open(tmp, "w") as f:
            for s in servers:
                f.write(s.listen_name + "\n")
        os.rename(tmp, args.ready_file)
    while not STOP.is_set():
        time.sleep(0.05)
    # Every log line is already written and flushed (under the lock, taken
    # here so that no line is cut): stop at once, connections and all.
    cfg.log.lock.acquire()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
