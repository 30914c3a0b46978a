#!/usr/bin/python3
"""cgr.dev stand-in token service for the berth test stack.

Serves the Docker registry token protocol over HTTPS on 127.0.0.1:

  GET  /token?service=cgr-sim&scope=...   Basic credentials or anonymous
  POST /token                             OAuth2 form (grant_type=password)
  POST /_control/fail    {"count":N,"status":S}  fail the next N token requests
  POST /_control/expired {"count":N}      next N tokens are already 61 s stale
  GET  /_control/stats                    {"token_requests":N,"by_user":{..}}
  POST /_control/reset                    clear faults and counters

Tokens are RS256 JWTs signed by hand (pow() on the key's integers, parsed
from the PKCS#8 / PKCS#1 DER that openssl writes); the header's kid is the
libtrust fingerprint docker-registry derives from its rootcertbundle.

Configuration comes from a JSON file (kept out of argv because it holds the
pull-token secrets):
  {"service": "cgr-sim", "issuer": "cgr-sim", "key": "token.key",
   "cert": "server.crt", "tls_key": "server.key",
   "public_orgs": ["chainguard"],
   "users": [{"name": "a/b", "password": "...", "orgs": ["berth-test.dev"],
              "catalog": true, "push": false}]}
"orgs": ["*"] reads every repository; "push": true also grants push/delete.
"""

import argparse
import base64
import binascii
import hashlib
import http.server
import json
import os
import secrets
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

TOKEN_TTL = 300

# --- minimal DER -------------------------------------------------------------


def der_read(buf, pos):
    """Read one DER TLV at pos: return (tag, value bytes, next pos)."""
    tag = buf[pos]
    length = buf[pos + 1]
    pos += 2
    if length & 0x80:
        nbytes = length & 0x7F
        length = int.from_bytes(buf[pos:pos + nbytes], "big")
        pos += nbytes
    return tag, buf[pos:pos + length], pos + length


def der_seq_items(value):
    """Split the contents of a constructed value into (tag, value) items."""
    items, pos = [], 0
    while pos < len(value):
        tag, val, pos = der_read(value, pos)
        items.append((tag, val))
    return items


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_tlv(tag, value):
    return bytes([tag]) + der_len(len(value)) + value


def der_int(n):
    b = n.to_bytes(n.bit_length() // 8 + 1, "big")  # leading 0 keeps it positive
    return der_tlv(0x02, b)


RSA_OID = bytes.fromhex("06092a864886f70d010101")  # 1.2.840.113549.1.1.1


def load_rsa_key(path):
    """Return dict n, e, d, p, q, dp, dq, qi from a PEM RSA private key."""
    with open(path, "r", encoding="ascii") as f:
        pem = f.read()
    lines = [l for l in pem.splitlines() if l and not l.startswith("-----")]
    der = base64.b64decode("".join(lines))
    tag, body, _ = der_read(der, 0)
    items = der_seq_items(body)
    if "BEGIN PRIVATE KEY" in pem:  # PKCS#8 wraps PKCS#1 in an OCTET STRING
        if items[1][1].find(RSA_OID[2:]) < 0:
            raise ValueError("not an RSA key")
        _, body, _ = der_read(items[2][1], 0)
        items = der_seq_items(body)
    ints = [int.from_bytes(v, "big") for t, v in items if t == 0x02]
    names = ["version", "n", "e", "d", "p", "q", "dp", "dq", "qi"]
    return dict(zip(names, ints))


def spki_der(key):
    """SubjectPublicKeyInfo DER for an RSA public key."""
    rsapub = der_tlv(0x30, der_int(key["n"]) + der_int(key["e"]))
    alg = der_tlv(0x30, RSA_OID + b"\x05\x00")
    return der_tlv(0x30, alg + der_tlv(0x03, b"\x00" + rsapub))


def libtrust_kid(key):
    """libtrust key ID: base32 of sha256(SPKI)[:30], groups of 4 joined by ':'."""
    b32 = base64.b32encode(hashlib.sha256(spki_der(key)).digest()[:30])
    s = b32.decode("ascii").rstrip("=")
    return ":".join(s[i:i + 4] for i in range(0, len(s), 4))


SHA256_DIGESTINFO = bytes.fromhex("3031300d060960864801650304020105000420")


def rs256_sign(key, data):
    """RSASSA-PKCS1-v1_5 with SHA-256, CRT exponentiation."""
    k = (key["n"].bit_length() + 7) // 8
    t = SHA256_DIGESTINFO + hashlib.sha256(data).digest()
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    m = int.from_bytes(em, "big")
    s1 = pow(m, key["dp"], key["p"])
    s2 = pow(m, key["dq"], key["q"])
    h = (key["qi"] * (s1 - s2)) % key["p"]
    s = s2 + h * key["q"]
    return s.to_bytes(k, "big")


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


# --- policy -----------------------------------------------------------------


def parse_scopes(values):
    """Scope strings (possibly space-separated, repeated) -> [(type, name, actions)]."""
    out = []
    for v in values:
        for s in v.split():
            parts = s.split(":")
            if len(parts) < 3:
                continue
            typ, actions = parts[0], parts[-1]
            name = ":".join(parts[1:-1])
            out.append((typ, name, [a for a in actions.split(",") if a]))
    return out


class Policy:
    def __init__(self, conf):
        self.public_orgs = conf.get("public_orgs", ["chainguard"])
        self.users = {u["name"]: u for u in conf.get("users", [])}

    def authenticate(self, auth_header):
        """Return (user dict or None for anonymous, ok)."""
        if not auth_header:
            return None, True
        scheme, _, rest = auth_header.partition(" ")
        if scheme.lower() != "basic":
            return None, False
        try:
            raw = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, False
        name, sep, password = raw.partition(":")
        user = self.users.get(name)
        if not sep or user is None or not secrets.compare_digest(
                user["password"].encode(), password.encode()):
            return None, False
        return user, True

    def grant(self, user, scopes):
        access = []
        for typ, name, actions in scopes:
            granted = []
            if typ == "repository":
                org = name.split("/", 1)[0]
                orgs = (user or {}).get("orgs", [])
                readable = ("*" in orgs or org in orgs or
                            org in self.public_orgs) and "/" in name
                for a in actions:
                    if a == "pull" and readable:
                        granted.append(a)
                    elif a in ("push", "delete", "*") and user and user.get("push"):
                        granted.append(a)
            elif typ == "registry" and name == "catalog":
                if user and user.get("catalog"):
                    granted = [a for a in actions if a == "*"]
            if granted:
                access.append({"type": typ, "name": name, "actions": granted})
        return access


# --- server -----------------------------------------------------------------


class State:
    def __init__(self, conf, key):
        self.conf = conf
        self.key = key
        self.kid = libtrust_kid(key)
        self.policy = Policy(conf)
        self.lock = threading.Lock()
        self.fail_count = 0
        self.fail_status = 500
        self.expired_count = 0
        self.requests = 0
        self.by_user = {}

    def make_token(self, user, access, expired=False):
        now = int(time.time())
        if expired:
            now -= TOKEN_TTL + 61
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        claims = {
            "iss": self.conf.get("issuer", "cgr-sim"),
            "sub": user["name"] if user else "",
            "aud": self.conf.get("service", "cgr-sim"),
            "exp": now + TOKEN_TTL,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(12),
            "access": access,
        }
        signing = (b64url(json.dumps(header, separators=(",", ":")).encode()) +
                   "." +
                   b64url(json.dumps(claims, separators=(",", ":")).encode()))
        sig = rs256_sign(self.key, signing.encode("ascii"))
        return signing + "." + b64url(sig), now


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cgr-sim-token/1"
    state = None  # set in main()

    timeout = 30  # idle keep-alive connections and stalled handshakes

    def setup(self):
        # TLS handshake here, in the request thread, not in accept().
        self.request.settimeout(self.timeout)
        self.request = self.server.ssl_ctx.wrap_socket(
            self.request, server_side=True)
        super().setup()

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, message, headers=None):
        self.send_json(status, {"errors": [{"code": code, "message": message}]},
                       headers)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/token":
            self.token(urllib.parse.parse_qs(url.query), None)
        elif url.path == "/_control/stats":
            st = self.state
            with st.lock:
                self.send_json(200, {"token_requests": st.requests,
                                     "by_user": dict(st.by_user)})
        elif url.path in ("/", "/healthz"):
            self.send_json(200, {"ok": True})
        else:
            self.error(404, "NOT_FOUND", "not found")

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        body = self.read_body()
        if url.path == "/token":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            self.token(form, form)
            return
        if not url.path.startswith("/_control/"):
            self.error(404, "NOT_FOUND", "not found")
            return
        try:
            req = json.loads(body or b"{}")
            if not isinstance(req, dict):
                raise ValueError("not an object")
        except ValueError as e:
            self.error(400, "BAD_REQUEST", "bad JSON: %s" % e)
            return
        st = self.state
        with st.lock:
            what = url.path[len("/_control/"):]
            if what == "fail":
                st.fail_count = int(req.get("count", 1))
                st.fail_status = int(req.get("status", 500))
            elif what == "expired":
                st.expired_count = int(req.get("count", 1))
            elif what == "reset":
                st.fail_count = st.expired_count = st.requests = 0
                st.by_user = {}
            else:
                self.error(404, "NOT_FOUND", "no such control")
                return
        self.send_json(200, {"ok": True})

    def token(self, query, form):
        st = self.state
        with st.lock:
            st.requests += 1
            failing = st.fail_count > 0
            if failing:
                st.fail_count -= 1
                status = st.fail_status
        if failing:
            self.error(status, "UNAVAILABLE", "injected failure")
            return
        service = (query.get("service") or [""])[0]
        if service and service != st.conf.get("service", "cgr-sim"):
            self.error(400, "DENIED", "unknown service %r" % service)
            return
        if form is not None:  # OAuth2 password grant
            if (form.get("grant_type") or [""])[0] != "password":
                self.error(400, "UNSUPPORTED", "unsupported grant_type")
                return
            raw = "%s:%s" % ((form.get("username") or [""])[0],
                             (form.get("password") or [""])[0])
            auth = "Basic " + base64.b64encode(raw.encode()).decode()
        else:
            auth = self.headers.get("Authorization")
        user, ok = st.policy.authenticate(auth)
        if not ok:
            self.error(401, "UNAUTHORIZED", "invalid username or password",
                       {"WWW-Authenticate": 'Basic realm="cgr-sim"'})
            return
        access = st.policy.grant(user, parse_scopes(query.get("scope", [])))
        with st.lock:
            name = user["name"] if user else "<anonymous>"
            st.by_user[name] = st.by_user.get(name, 0) + 1
            expired = st.expired_count > 0
            if expired:
                st.expired_count -= 1
        tok, iat = st.make_token(user, access, expired)
        self.send_json(200, {
            "token": tok,
            "access_token": tok,
            "expires_in": TOKEN_TTL,
            "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(iat)),
        })


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # One line, not a traceback: clients that reject our CA, resets.
        e = sys.exc_info()[1]
        sys.stderr.write("%s %s:%d: %s: %s\n" % (
            time.strftime("%H:%M:%S"), client_address[0], client_address[1],
            type(e).__name__, e))
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--print-kid", action="store_true",
                    help="print the signing key's libtrust kid and exit")
    args = ap.parse_args()

    with open(args.config, encoding="utf-8") as f:
        conf = json.load(f)
    base = os.path.dirname(os.path.abspath(args.config))
    path = lambda p: os.path.join(base, p)
    key = load_rsa_key(path(conf["key"]))
    if args.print_kid:
        print(libtrust_kid(key))
        return
    Handler.state = State(conf, key)

    srv = Server((args.host, args.port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(path(conf["cert"]), path(conf["tls_key"]))
    srv.ssl_ctx = ctx
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    sys.stderr.write("tokensrv listening on %s:%d kid %s\n" %
                     (args.host, port, Handler.state.kid))
    sys.stderr.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
