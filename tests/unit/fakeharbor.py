#!/usr/bin/python3
"""Loopback fake Harbor for tests/unit/test-harbor.c (plain HTTP).

Binds 127.0.0.1:0, prints the port on stdout (one line), serves until
killed. Standard library only. Everything is under /api/v2.0 and needs
Basic admin:s3cret except /systeminfo, /health and /ping. Every response
sets a "sid" cookie; a request that sends any Cookie gets 403 (as Harbor's
CSRF check would), so the client must never send cookies.

Fixtures:
  /systeminfo, /health, /users/current, /ping
  /registries              250 items, X-Total-Count, pages of page_size;
                           page 2 answers only once page 3 has arrived (or
                           after 5 s with 500), which proves the remaining
                           pages are fetched concurrently
  /registries?q=name=NAME  exact-name filter
  /registries/ID           one item; ID 901.. are error fixtures:
                           901 409 one error, 902 400 two errors,
                           903 404 empty body, 904 502 text body,
                           905 500 HTML body, 910 mistyped id,
                           911 missing name, 912 invalid json
  POST /registries         201, Location: /api/v2.0/registries/42;
                           the body is kept for /_last
  PUT /registries/ID       200; body kept
  /projects                250 items, no X-Total-Count, Link rel="next"
  /replication/executions  250 items, X-Total-Count; ?status=fail500 makes
                           page 3 a 500; ?status=hugetotal claims
                           X-Total-Count 10^12; ?status=oversize sends
                           all 150 items whatever page_size asks
  /replication/policies    two policies (pull with label filter, push)
  /_count                  JSON: requests per path (without query)
  /_last                   JSON: method, path (raw), headers, body of the
                           last non-/_ request
"""

import base64
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

API = "/api/v2.0"
USER, PASSWORD = "admin", "s3cret"
LOCK = threading.Lock()
COUNTS = {}
LAST = {}
PAGE3 = threading.Event()


def errors(*msgs):
    return json.dumps({"errors": [{"code": c, "message": m}
                                  for c, m in msgs]}).encode()


def registry(i):
    return {"id": i, "name": "r%03d" % i, "url": "https://r%d.example" % i,
            "type": "docker-registry", "insecure": False,
            "description": "", "status": "healthy",
            "credential": {"type": "basic", "access_key": "k%d" % i,
                           "access_secret": "*****"},
            "creation_time": "2024-05-01T12:00:00Z",
            "update_time": "2024-05-01T12:00:00.123Z",
            "unknown_field": {"ignored": [1, 2, 3]}}


def project(i):
    return {"project_id": i, "name": "p%03d" % i, "owner_id": 1,
            "owner_name": "admin", "repo_count": i % 7,
            "metadata": {"public": "true" if i % 2 else "false"},
            "creation_time": "2024-05-01T12:00:00Z"}


def execution(i):
    return {"id": i, "policy_id": 3, "status": "Succeed", "trigger": "manual",
            "start_time": "2024-05-01T12:00:00Z",
            "end_time": "2024-05-01T12:01:00Z", "status_text": "",
            "total": 4, "failed": 0, "succeed": 4, "in_progress": 0,
            "stopped": 0}


POLICIES = [
    {"id": 1, "name": "mirror", "description": "d",
     "src_registry": {"id": 5, "name": "cgr"},
     "dest_registry": {"id": 0, "name": "Local"},
     "dest_namespace": "mirror", "dest_namespace_replace_count": 1,
     "trigger": {"type": "scheduled",
                 "trigger_settings": {"cron": "0 0 * * * *"}},
     "filters": [{"type": "name", "value": "org/**"},
                 {"type": "label", "value": ["a", "b"],
                  "decoration": "matches"}],
     "replicate_deletion": False, "override": True, "enabled": True,
     "speed": -1, "creation_time": "2024-05-01T12:00:00Z"},
    {"id": 2, "name": "push", "dest_registry": {"id": 6, "name": "far"},
     "trigger": {"type": "manual", "trigger_settings": {"cron": ""}},
     "filters": [], "enabled": False},
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body=b"", ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "sid=abc123; Path=/; HttpOnly")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, code, obj, headers=()):
        self.send(code, json.dumps(obj).encode(), headers=headers)

    def authed(self):
        h = self.headers.get("Authorization", "")
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (USER, PASSWORD)).encode()).decode()
        return h == want

    def page(self, items, q, total=True, path=""):
        page = int(q.get("page", "1"))
        size = int(q.get("page_size", "10"))
        chunk = items[(page - 1) * size:page * size]
        hdrs = []
        if total:
            hdrs.append(("X-Total-Count", str(len(items))))
        elif page * size < len(items):
            hdrs.append(("Link", '<%s%s?page=%d&page_size=%d>; rel="next"'
                         % (API, path, page + 1, size)))
        return chunk, hdrs

    def handle_any(self):
        u = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n > 0 else b""
        if u.path == "/_count":
            with LOCK:
                return self.send_json(200, COUNTS)
        if u.path == "/_last":
            with LOCK:
                return self.send_json(200, LAST)
        with LOCK:
            COUNTS[u.path] = COUNTS.get(u.path, 0) + 1
            LAST.clear()
            LAST.update({"method": self.command, "path": self.path,
                         "headers": dict(self.headers.items()),
                         "body": body.decode("utf-8", "replace")})
        if self.headers.get("Cookie"):
            return self.send(403, errors(("FORBIDDEN", "CSRF token invalid")))
        if not u.path.startswith(API):
            return self.send(404, errors(("NOT_FOUND", "no such path")))
        path = u.path[len(API):]
        if path == "/ping":
            return self.send(200, b"Pong", "text/plain")
        if path == "/systeminfo":
            return self.send_json(200, {
                "harbor_version": "v2.11.0-fake", "auth_mode": "db_auth",
                "external_url": "https://fake", "read_only": False,
                "has_ca_root": False, "self_registration": False,
                "current_time": "2024-05-01T12:00:00Z"})
        if path == "/health":
            return self.send_json(200, {"status": "unhealthy", "components": [
                {"name": "core", "status": "healthy"},
                {"name": "redis", "status": "unhealthy",
                 "error": "dial tcp: i/o timeout"}]})
        if not self.authed():
            return self.send(401, errors(("UNAUTHORIZED", "unauthorized")))
        return self.route(path, q, body)

    def route(self, path, q, body):
        parts = path.strip("/").split("/")
        if path == "/users/current":
            return self.send_json(200, {
                "user_id": 1, "username": "admin", "sysadmin_flag": True,
                "email": "a@example", "creation_time": "2024-05-01T12:00:00Z"})
        if path == "/registries" and self.command == "GET":
            items = [registry(i) for i in range(1, 251)]
            if q.get("q", "").startswith("name="):
                items = [r for r in items if r["name"] == q["q"][5:]]
            chunk, hdrs = self.page(items, q)
            if q.get("page") == "3":
                PAGE3.set()
            if q.get("page") == "2" and not PAGE3.wait(5):
                return self.send(500, errors(("X", "page 3 never came")))
            return self.send_json(200, chunk, hdrs)
        if path == "/registries" and self.command == "POST":
            return self.send(201, b"", headers=[
                ("Location", API + "/registries/42")])
        if parts[0] == "registries" and len(parts) == 2:
            return self.registry_id(parts[1])
        if path == "/projects":
            chunk, hdrs = self.page([project(i) for i in range(1, 251)], q,
                                    total=False, path="/projects")
            return self.send_json(200, chunk, hdrs)
        if path == "/replication/executions":
            if q.get("status") == "fail500" and q.get("page") == "3":
                return self.send(500, errors(("INTERNAL", "boom")))
            if q.get("status") == "hugetotal":
                chunk, _ = self.page([execution(i) for i in range(1, 251)], q)
                return self.send_json(200, chunk, [
                    ("X-Total-Count", "1000000000000")])
            if q.get("status") == "oversize":
                items = [execution(i) for i in range(1, 151)]
                return self.send_json(200, items, [
                    ("X-Total-Count", str(len(items)))])
            chunk, hdrs = self.page([execution(i) for i in range(1, 251)], q)
            return self.send_json(200, chunk, hdrs)
        if path == "/replication/policies":
            chunk, hdrs = self.page(POLICIES, q)
            return self.send_json(200, chunk, hdrs)
        return self.send(404, errors(("NOT_FOUND", "no route " + path)))

    def registry_id(self, ident):
        ident = unquote(ident)
        if self.command in ("PUT", "DELETE"):
            return self.send(200)
        fixtures = {
            "901": (409, errors(("CONFLICT", 'registry "x" already exists'))),
            "902": (400, errors(("BAD_REQUEST", "url is required"),
                                ("BAD_REQUEST", "name is required"))),
            "903": (404, b""),
            "904": (502, b"upstream exploded\nsecond line\n"),
            "905": (500, b"<html><body>oops</body></html>"),
            "910": (200, b'{"id": "7", "name": "x"}'),
            "911": (200, b'{"id": 7}'),
            "912": (200, b'{"id": 7, "name": '),
        }
        if ident in fixtures:
            code, body = fixtures[ident]
            ctype = "application/json" if body[:1] in (b"{", b"") else \
                "text/plain"
            return self.send(code, body, ctype)
        if ident.isdigit() and 1 <= int(ident) <= 250:
            return self.send_json(200, registry(int(ident)))
        return self.send(404, errors(("NOT_FOUND", "registry not found")))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
