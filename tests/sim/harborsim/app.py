"""HTTPS server core of the Harbor simulator: routing, auth, CSRF cookie,
Harbor-style errors, pagination, fault injection and request counts."""

import base64
import hashlib
import hmac
import http.server
import json
import re
import secrets
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid

from .state import STATE

API = "/api/v2.0"

_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    412: "PRECONDITION",
    422: "UNPROCESSABLE_ENTITY",
    500: "UNKNOWN",
}

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class ApiError(Exception):
    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "UNKNOWN")


def error_body(code, message):
    return {"errors": [{"code": code, "message": message}]}


def error_response(status, code, message, headers=None):
    """Harbor's SendError: JSON array of errors, trailing newline."""
    body = (json.dumps(error_body(code, message), separators=(",", ":"))
            + "\n").encode()
    return Response(status, body, headers,
                    content_type="application/json; charset=utf-8")


class Response:
    def __init__(self, status=200, body=None, headers=None, content_type=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type

    def encode(self):
        """-> (bytes, content_type or None)."""
        b = self.body
        if b is None:
            return b"", self.content_type
        if isinstance(b, (bytes, bytearray)):
            return bytes(b), self.content_type
        if isinstance(b, str):
            return b.encode(), self.content_type or "text/plain; charset=utf-8"
        return (json.dumps(b, separators=(",", ":")).encode(),
                self.content_type or "application/json")


class Request:
    def __init__(self, method, raw_path, query_string, headers, body):
        self.method = method
        self.raw_path = raw_path
        self.path = urllib.parse.unquote(raw_path)
        self.query_string = query_string
        self.query = {}
        for k, v in urllib.parse.parse_qsl(query_string, keep_blank_values=True):
            self.query.setdefault(k, v)
        self.headers = headers
        self.body = body
        self.user = None

    def json(self):
        if not self.body:
            raise ApiError(400, "request body is empty")
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise ApiError(400, "parsing request body failed: %s" % e)

    def json_object(self):
        d = self.json()
        if not isinstance(d, dict):
            raise ApiError(400, "parsing request body failed: "
                           "expected a JSON object")
        return d

    def cookie(self, name):
        c = self.headers.get("Cookie") or ""
        for part in c.split(";"):
            k, _, v = part.strip().partition("=")
            if k == name:
                return v
        return None


# ---------------------------------------------------------------- routing

_ROUTES = []  # (method, compiled regex, auth, handler)


def route(method, pattern, auth="user"):
    rx = re.compile(pattern)

    def deco(fn):
        _ROUTES.append((method.upper(), rx, auth, fn))
        return fn
    return deco


def _find(method, raw_path):
    """-> (handler, auth, kwargs) or raises ApiError 404/405."""
    allowed = []
    for m, rx, auth, fn in _ROUTES:
        mo = rx.fullmatch(raw_path)
        if not mo:
            continue
        if m == method:
            kw = {k: urllib.parse.unquote(v) if v is not None else None
                  for k, v in mo.groupdict().items()}
            return fn, auth, kw
        if m not in allowed:
            allowed.append(m)
    if allowed:
        e = ApiError(405, "method %s is not allowed, but [%s] are"
                     % (method, ",".join(allowed)))
        e.allow = ", ".join(allowed)
        raise e
    raise ApiError(404, "path %s was not found" % raw_path)


# ---------------------------------------------------------------- auth

def check_basic(req):
    """User record for valid Basic credentials, else None."""
    h = req.headers.get("Authorization") or ""
    if not h[:6].lower() == "basic ":
        return None
    try:
        raw = base64.b64decode(h[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    user, sep, pw = raw.partition(":")
    if not sep:
        return None
    u = STATE.users.get(user)
    if u is None or not secrets.compare_digest(u["_password"], pw):
        return None
    return u


def require_admin(req):
    if req.user is None:
        raise ApiError(401, "unauthorized")
    if not req.user.get("sysadmin_flag"):
        raise ApiError(403, "forbidden")


# ---------------------------------------------------------------- paging

def _int_param(req, name, default):
    v = req.query.get(name)
    if v is None or v == "":
        return default
    try:
        return int(v)
    except ValueError:
        raise ApiError(422, "%s in query must be of type int64: \"%s\""
                       % (name, v))


def page_params(req):
    """-> (page, page_size) validated like Harbor's generated API."""
    page = _int_param(req, "page", 1)
    size = _int_param(req, "page_size", 10)
    if size > 100:
        raise ApiError(422, "validation failure list:\npage_size in query "
                       "should be less than or equal to 100")
    if page < 1:
        page = 1
    return page, size


def _go_query_encode(q):
    # Go's url.Values.Encode (keys sorted, QueryEscape), then Harbor
    # QueryUnescape()s the result before putting it into the link.
    enc = "&".join("%s=%s" % (urllib.parse.quote_plus(k, safe="-_.~"),
                              urllib.parse.quote_plus(v, safe="-_.~"))
                   for k, v in sorted(q.items()))
    return urllib.parse.unquote_plus(enc)


def links(req, total, page, size):
    """Harbor's Link header value ("" when none): relative URL with the
    request path as sent, page/page_size set, joined with " , "."""
    if size <= 0:
        return ""
    out = []
    q = dict(req.query)
    if page > 1 and (page - 1) * size < total:
        q["page"] = str(page - 1)
        q["page_size"] = str(size)
        out.append('<%s?%s>; rel="prev"' % (req.raw_path, _go_query_encode(q)))
    if size * page < total:
        q["page"] = str(page + 1)
        q["page_size"] = str(size)
        out.append('<%s?%s>; rel="next"' % (req.raw_path, _go_query_encode(q)))
    return " , ".join(out)


def paginate(req, items, to_json=lambda x: x):
    page, size = page_params(req)
    total = len(items)
    if size > 0:
        chunk = items[(page - 1) * size:page * size]
    else:
        chunk = items
    headers = {"X-Total-Count": str(total)}
    link = links(req, total, page, size)
    if link:
        headers["Link"] = link
    return Response(200, [to_json(x) for x in chunk], headers)


# ---------------------------------------------------------------- faults

FAULTS = []          # dicts: rx, method, count, action, status, delay_ms, retry_after
FAULT_LOCK = threading.Lock()
COUNTS = {}
COUNT_LOCK = threading.Lock()
_CSRF_KEY = secrets.token_bytes(32)


def csrf_token():
    """A token the server will accept: nonce + HMAC of it (no storage)."""
    nonce = secrets.token_hex(12)
    mac = hmac.new(_CSRF_KEY, nonce.encode(), hashlib.sha256).hexdigest()
    return "%s.%s" % (nonce, mac[:32])


def csrf_valid(tok):
    nonce, _, mac = (tok or "").partition(".")
    if not nonce or not mac:
        return False
    want = hmac.new(_CSRF_KEY, nonce.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(want[:32], mac)


def add_fault(spec):
    try:
        rx = re.compile(spec.get("path_regex") or ".*")
    except re.error as e:
        raise ApiError(400, "bad path_regex: %s" % e)
    action = spec.get("action", "status")
    if action not in ("status", "delay", "reset", "truncate", "invalid_json"):
        raise ApiError(400, "unknown action %r" % action)
    f = {
        "rx": rx,
        "method": (spec.get("method") or None),
        "count": int(spec.get("count", 1)),
        "action": action,
        "status": int(spec.get("status", 503)),
        "delay_ms": int(spec.get("delay_ms", 0)),
        "retry_after": spec.get("retry_after"),
        "message": spec.get("message"),
    }
    if f["method"]:
        f["method"] = f["method"].upper()
    with FAULT_LOCK:
        FAULTS.append(f)
    return f


def clear_faults():
    with FAULT_LOCK:
        FAULTS.clear()


def _take_fault(method, full_path):
    with FAULT_LOCK:
        for f in FAULTS:
            if f["count"] <= 0:
                continue
            if f["method"] and f["method"] != method:
                continue
            if not f["rx"].search(full_path):
                continue
            f["count"] -= 1
            if f["count"] <= 0:
                FAULTS.remove(f)
            return dict(f)
    return None


def count_request(method, raw_path):
    key = "%s %s" % (method, raw_path)
    with COUNT_LOCK:
        COUNTS[key] = COUNTS.get(key, 0) + 1


# ---------------------------------------------------------------- server

def _log(msg):
    sys.stderr.write("harborsim: %s\n" % msg)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "harborsim"
    sys_version = ""

    timeout = 120

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # quiet; errors go via _log
        if getattr(self.server, "verbose", False):
            _log(fmt % args)

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            parts = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    break
                n = int(line.split(b";")[0].strip() or b"0", 16)
                if n == 0:
                    while True:  # trailers
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    break
                parts.append(self.rfile.read(n))
                self.rfile.readline(3)
            return b"".join(parts)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _dispatch(self):
        method = self.command
        raw_path, _, qs = self.path.partition("?")
        if raw_path.startswith("http://") or raw_path.startswith("https://"):
            raw_path = "/" + raw_path.split("/", 3)[-1]
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        req = Request(method, raw_path, qs, self.headers, body)
        is_sim = raw_path.startswith("/_sim/") or raw_path == "/_sim"
        is_api = raw_path.startswith(API + "/") or raw_path == API
        fault = None
        if not is_sim:
            count_request(method, raw_path)
            fault = _take_fault(method, self.path)
        if is_api and STATE.latency_ms:
            time.sleep(STATE.latency_ms / 1000.0)
        if fault and fault["action"] == "delay":
            time.sleep(fault["delay_ms"] / 1000.0)
            fault = None
        if fault and fault["action"] == "reset":
            self._reset()
            return
        if fault and fault["action"] == "status":
            resp = error_response(fault["status"],
                                  _CODES.get(fault["status"], "UNKNOWN"),
                                  fault["message"] or "injected fault")
            if fault["retry_after"] is not None:
                resp.headers["Retry-After"] = str(fault["retry_after"])
        else:
            resp = self._handle(req, is_api)
        self._send(req, resp, is_api, fault)

    def _handle(self, req, is_api):
        try:
            # Harbor's CSRF middleware runs before routing and auth
            if is_api and req.method in UNSAFE and req.cookie("sid"):
                if not csrf_valid(req.headers.get("X-Harbor-Csrf-Token")):
                    raise ApiError(403, "CSRF token invalid")
            fn, auth, kw = _find(req.method, req.raw_path)
            if auth != "none":
                req.user = check_basic(req)
                if req.user is None and (auth in ("user", "admin") or
                                         req.headers.get("Authorization")):
                    raise ApiError(401, "unauthorized")
                if auth == "admin" and not req.user.get("sysadmin_flag"):
                    raise ApiError(403, "forbidden")
            resp = fn(req, **kw)
            if resp is None:
                resp = Response(200)
            return resp
        except ApiError as e:
            msg = e.message
            if e.status == 500:
                # Harbor's SendError logs 5xx details and answers this
                _log("500 %s %s: %s" % (req.method, req.raw_path, msg))
                msg = "internal server error"
            r = error_response(e.status, e.code, msg)
            if getattr(e, "allow", None):
                r.headers["Allow"] = e.allow
            return r
        except Exception as e:  # noqa: BLE001 - render as Harbor's 500
            import traceback
            traceback.print_exc()
            return error_response(500, "UNKNOWN", "internal server error")

    def _reset(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            sock = self.connection
            if isinstance(sock, ssl.SSLSocket):
                # drop without TLS close_notify
                raw = socket.socket(fileno=sock.detach())
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                               struct.pack("ii", 1, 0))
                raw.close()
            else:
                sock.close()
        except OSError:
            pass

    def _send(self, req, resp, is_api, fault):
        data, ctype = resp.encode()
        if fault and fault["action"] == "invalid_json":
            data = b'{"errors": [{"code": "sim", "message": '
            ctype = "application/json"
        self.send_response(resp.status)
        rid = self.headers.get("X-Request-Id") or str(uuid.uuid4())
        hdrs = {k.lower(): k for k in resp.headers}
        if "x-request-id" not in hdrs:
            self.send_header("X-Request-Id", rid)
        if ctype and "content-type" not in hdrs:
            self.send_header("Content-Type", ctype)
        if is_api:
            sid = secrets.token_hex(16)
            self.send_header("Set-Cookie", "sid=%s; Path=/; HttpOnly" % sid)
            self.send_header("X-Harbor-Csrf-Token", csrf_token())
        for k, v in resp.headers.items():
            if isinstance(v, (list, tuple)):
                for x in v:
                    self.send_header(k, x)
            else:
                self.send_header(k, str(v))
        if "content-length" not in hdrs:
            self.send_header("Content-Length", str(len(data)))
        if fault and fault["action"] == "truncate":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if req.method == "HEAD":
            return
        if fault and fault["action"] == "truncate":
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self._reset()
            return
        if data:
            self.wfile.write(data)

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, ssl_ctx):
        self.ssl_ctx = ssl_ctx
        self.verbose = False
        super().__init__(addr, Handler)

    def finish_request(self, request, client_address):
        # TLS handshake in the worker thread, not in the accept loop.
        try:
            request.settimeout(60)
            conn = self.ssl_ctx.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def make_server(host, port, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return Server((host, port), ctx)


# ---------------------------------------------------------------- q= query

def parse_q(s):
    """Harbor's q syntax: k=v (exact), k=~v (fuzzy, case-insensitive),
    k=[min~max] (range), k={a b} (or-list), k=(a b) (and-list), joined by
    ','.  -> list of (key, kind, value)."""
    out = []
    if not s:
        return out
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        k, sep, v = part.partition("=")
        k = k.strip()
        if not sep or not k:
            raise ApiError(400, "invalid query string %s" % part)
        v = v.strip()
        if v.startswith("~"):
            out.append((k, "fuzzy", v[1:]))
        elif v.startswith("[") and v.endswith("]") and "~" in v:
            lo, _, hi = v[1:-1].partition("~")
            out.append((k, "range", (lo.strip() or None, hi.strip() or None)))
        elif v.startswith("{") and v.endswith("}"):
            out.append((k, "or", v[1:-1].split()))
        elif v.startswith("(") and v.endswith(")"):
            out.append((k, "and", v[1:-1].split()))
        else:
            out.append((k, "exact", v))
    return out


def _cmp_val(a, b):
    try:
        return float(a), float(b)
    except (TypeError, ValueError):
        return str(a), str(b)


def match_q(item, conds, fields=None):
    """True if item (dict, Harbor field names) satisfies every condition.
    Keys not in fields (when given) or not in item are ignored, as
    Harbor's ORM ignores unknown columns."""
    for k, kind, v in conds:
        if fields is not None and k not in fields:
            continue
        if k not in item:
            continue
        x = item[k]
        if isinstance(x, bool):
            x = "true" if x else "false"
        if kind == "fuzzy":
            if str(v).lower() not in str(x).lower():
                return False
        elif kind == "exact":
            if str(x) != str(v):
                return False
        elif kind == "or":
            if str(x) not in [str(e) for e in v]:
                return False
        elif kind == "range":
            lo, hi = v
            if lo is not None:
                a, b = _cmp_val(x, lo)
                if a < b:
                    return False
            if hi is not None:
                a, b = _cmp_val(x, hi)
                if a > b:
                    return False
    return True


def sort_items(req, items, default, allowed=None):
    """Apply Harbor's sort=k1,-k2 query param, else the default key list."""
    s = req.query.get("sort")
    keys = []
    if s:
        for k in s.split(","):
            k = k.strip()
            if not k:
                continue
            desc = k.startswith("-")
            k = k.lstrip("-")
            if allowed is not None and k not in allowed:
                continue
            keys.append((k, desc))
    if not keys:
        keys = default
    for k, desc in reversed(keys):
        items.sort(key=lambda d: (d.get(k) is None, d.get(k) if d.get(k) is not None else 0),
                   reverse=desc)
    return items
