#!/usr/bin/python3
"""Loopback HTTP(S) server with scripted responses for the http unit tests.

Binds 127.0.0.1:0 and prints the port on stdout (one line), then serves
until killed. With --tls DIR it makes a self-signed certificate for
127.0.0.1 in DIR (cert.pem, key.pem; openssl CLI) and serves HTTPS.

Paths (query parameters script the behaviour):
  /seq/NAME?codes=503,503,200&ra=S  status sequence per NAME (the last one
                                    repeats); Retry-After: S on non-2xx
  /count/NAME                       how often NAME was requested (any path)
  /status/CODE                      that status
  /delay?ms=N                       answer after N ms
  /gate/NAME?n=K                    200 once K requests for NAME are in
                                    flight together, 409 after 10 s
  /reset                            close with a TCP reset, no response
  /big?n=BYTES[&chunked=1]          a body of BYTES bytes
  /trickle?n=BYTES&ms=N             one byte every N ms
  /hdrs?n=N&size=S                  N extra headers of S bytes each
  /echo                             JSON: method, path, headers, body
  /cookie                           sets a cookie; reports the Cookie header
Standard library only.
"""

import argparse
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

COUNTS = {}
LOCK = threading.Lock()
GATES = {}
GATE = threading.Condition()


def bump(name):
    with LOCK:
        COUNTS[name] = COUNTS.get(name, 0) + 1
        return COUNTS[name]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body=b"", ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def handle_any(self):
        u = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        parts = u.path.strip("/").split("/")
        body = self.read_body()
        head = parts[0] if parts else ""
        key = "/".join(parts[:2])
        n = bump(key)
        if head == "seq":
            codes = [int(c) for c in q.get("codes", "200").split(",")]
            code = codes[min(n, len(codes)) - 1]
            hdrs = []
            if "ra" in q and code >= 300:
                hdrs.append(("Retry-After", q["ra"]))
            self.send(code, json.dumps({"n": n}).encode(), headers=hdrs)
        elif head == "count":
            name = "/".join(parts[1:])
            with LOCK:
                c = COUNTS.get(name, 0)
            self.send(200, json.dumps({"count": c}).encode())
        elif head == "status":
            self.send(int(parts[1]), b'{"status":true}')
        elif head == "delay":
            time.sleep(int(q.get("ms", "1000")) / 1000.0)
            self.send(200, b'{"delayed":true}')
        elif head == "gate":
            self.gate(parts[1], int(q.get("n", "2")))
        elif head == "reset":
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
            self.close_connection = True
            self.request.close()
        elif head == "big":
            self.big(int(q.get("n", "0")), q.get("chunked") == "1")
        elif head == "trickle":
            self.trickle(int(q.get("n", "10")), int(q.get("ms", "100")))
        elif head == "hdrs":
            size = int(q.get("size", "100"))
            hdrs = [("X-Fill-%d" % i, "v" * size)
                    for i in range(int(q.get("n", "10")))]
            self.send(200, b"{}", headers=hdrs)
        elif head == "echo":
            out = {"method": self.command, "path": self.path,
                   "headers": {k.lower(): v for k, v in self.headers.items()},
                   "body": body.decode("utf-8", "replace")}
            self.send(200, json.dumps(out).encode())
        elif head == "cookie":
            out = {"cookie": self.headers.get("Cookie")}
            self.send(200, json.dumps(out).encode(),
                      headers=[("Set-Cookie", "sid=s3cr3tsid; Path=/")])
        else:
            self.send(404, b'{"errors":[{"code":"NOT_FOUND"}]}')

    def gate(self, name, n):
        # Answer 200 once n requests for name are here at the same time;
        # 409 after 10 s (the client did not send them concurrently).
        with GATE:
            GATES[name] = GATES.get(name, 0) + 1
            GATE.notify_all()
            ok = GATE.wait_for(lambda: GATES[name] >= n, timeout=10)
        self.send(200 if ok else 409, json.dumps({"gate": ok}).encode())

    def big(self, n, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(n))
        self.end_headers()
        block = b"x" * 65536
        left = n
        try:
            while left > 0:
                b = block[:min(left, len(block))]
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
                else:
                    self.wfile.write(b)
                left -= len(b)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def trickle(self, n, ms):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        try:
            for _ in range(n):
                self.wfile.write(b"t")
                self.wfile.flush()
                time.sleep(ms / 1000.0)
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients hang up on purpose (timeouts, cancels, size caps).
        pass


def make_cert(d):
    cert = os.path.join(d, "cert.pem")
    key = os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return cert, key


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tls", metavar="DIR")
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    if args.tls:
        cert, key = make_cert(args.tls)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    sys.stdout.write("%d\n" % srv.server_address[1])
    sys.stdout.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
