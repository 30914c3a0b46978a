#!/usr/bin/python3
"""Checks of tests/sim/ocilib.py against the running cgr.dev stand-in.

Reads the stack's BERTH_SIM_* variables from the environment; prints one
line per check, "PASS<TAB>name" or "FAIL<TAB>name<TAB>detail", then "DONE".
cgr-ocilib.t turns them into TAP.
"""

import hashlib
import json
import os
import socket
import sys
import urllib.request
import ssl

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import ocilib  # noqa: E402

E = os.environ
URL, CA, ORG = E["BERTH_SIM_CGR_URL"], E["BERTH_SIM_CA"], E["BERTH_SIM_ORG"]
TOKEN_URL = E["BERTH_SIM_CGR_TOKEN_URL"]
SEED = json.load(open(os.path.join(E["BERTH_SIM_DIR"], "images.json")))


def out(ok, name, detail=""):
    print("%s\t%s\t%s" % ("PASS" if ok else "FAIL", name,
                          str(detail).replace("\n", " ")[:300]))
    sys.stdout.flush()


def eq(name, got, want):
    out(got == want, name, "got %r want %r" % (got, want))


def raises(name, fn, status="any"):
    """fn() must raise RegistryError (with status, unless "any")."""
    try:
        r = fn()
    except ocilib.RegistryError as e:
        ok = status == "any" or e.status == status
        out(ok and bool(e.message), name, "status %r: %s" % (e.status, e))
        return
    except Exception as e:  # noqa: BLE001 - any other exception is a failure
        out(False, name, "raised %s: %s" % (type(e).__name__, e))
        return
    out(False, name, "no error, returned %r" % (r,))


def control(path, obj=None):
    ctx = ssl.create_default_context(cafile=CA)
    data = json.dumps(obj).encode() if obj is not None else None
    req = urllib.request.Request(TOKEN_URL + path, data=data,
                                 method="POST" if data else "GET")
    with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
        return json.loads(r.read())


def client(who="main", **kw):
    if who == "anon":
        return ocilib.Client(URL, ca_file=CA, **kw)
    pfx = {"main": "", "other": "OTHER_", "nocat": "NOCAT_"}.get(who, "")
    user = E["BERTH_SIM_CGR_%sUSER" % pfx]
    pw = "wrong" if who == "bad" else E["BERTH_SIM_CGR_%sPASSWORD" % pfx]
    return ocilib.Client(URL, user, pw, ca_file=CA, **kw)


def seeded(repo, tag):
    return next(e for e in SEED if e["repo"] == repo and e["tag"] == tag)


def check_www_authenticate():
    p = ocilib.parse_www_authenticate
    eq("www-auth: bearer with quoted comma in scope",
       p('Bearer realm="https://h/token",service="s",'
         'scope="repository:a/b:pull,push"'),
       [("bearer", {"realm": "https://h/token", "service": "s",
                    "scope": "repository:a/b:pull,push"})])
    eq("www-auth: spaces, unquoted values, case",
       p('BEARER  Realm = "r" , Service=s,error="insufficient_scope"'),
       [("bearer", {"realm": "r", "service": "s",
                    "error": "insufficient_scope"})])
    eq("www-auth: escaped quotes",
       p(r'Basic realm="a \"b\", c"'), [("basic", {"realm": 'a "b", c'})])
    eq("www-auth: two challenges in one header",
       p('Bearer realm="r",service="s", Basic realm="b"'),
       [("bearer", {"realm": "r", "service": "s"}), ("basic", {"realm": "b"})])
    eq("www-auth: token68 skipped",
       p("Negotiate abc==, Basic realm=x"),
       [("negotiate", {}), ("basic", {"realm": "x"})])
    eq("www-auth: empty", p(""), [])
    eq("www-auth: bare scheme", p("Basic"), [("basic", {})])


def check_ping():
    try:
        client().ping()
        out(True, "ping: main credentials")
    except ocilib.RegistryError as e:
        out(False, "ping: main credentials", e)
    raises("ping: bad credentials -> RegistryError 401",
           lambda: client("bad").ping(), 401)
    try:
        client("anon").ping()
        out(True, "ping: anonymous (cgr.dev allows it)")
    except ocilib.RegistryError as e:
        out(False, "ping: anonymous (cgr.dev allows it)", e)
    raises("ping: without the test CA -> TLS error, status None",
           lambda: ocilib.Client(URL).ping(), None)
    try:
        ocilib.Client(URL, insecure=True).ping()
        out(True, "ping: insecure skips verification")
    except ocilib.RegistryError as e:
        out(False, "ping: insecure skips verification", e)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    raises("ping: connection refused -> status None",
           lambda: ocilib.Client("https://127.0.0.1:%d" % port,
                                 ca_file=CA, timeout=2).ping(), None)
    control("/_control/fail", {"count": 1, "status": 503})
    raises("ping: token service 503 -> RegistryError 503",
           lambda: client().ping(), 503)


def check_reads():
    c = client()
    want = sorted({e["repo"] for e in SEED})
    got = c.catalog()
    eq("catalog: every repository", sorted(got), want)
    c2 = client()
    c2.page_size = 2
    pages = []
    real_http = c2._http

    def counting_http(method, url, headers=None):
        r = real_http(method, url, headers)
        if "/_catalog" in url and r[0] == 200:
            pages.append(url)
        return r
    c2._http = counting_http
    eq("catalog: pages of 2 follow Link", c2.catalog(), got)
    out(len(pages) >= (len(want) + 1) // 2, "catalog: several pages fetched",
        pages)
    raises("catalog: refused for NOCAT", lambda: client("nocat").catalog(), 401)
    eq("catalog: allowed for OTHER", sorted(client("other").catalog()), want)

    eq("tags: nginx", sorted(c.tags(ORG + "/nginx")), ["1.25", "1.25.3", "latest"])
    eq("tags: nested tools/jq", c.tags(ORG + "/tools/jq"), ["latest"])
    raises("tags: other-org refused to main token",
           lambda: c.tags("other-org/secret-app"), 401)
    eq("tags: anonymous public org", client("anon").tags("chainguard/static"),
       ["latest"])

    s = seeded(ORG + "/nginx", "latest")
    body, mt, digest = c.get_manifest(ORG + "/nginx", "latest")
    eq("manifest: index media type", mt, ocilib.ACCEPT.split(", ")[0])
    eq("manifest: index digest as seeded", digest, s["digest"])
    eq("manifest: digest is sha256 of body",
       "sha256:" + hashlib.sha256(body).hexdigest(), digest)
    eq("head: same media type and digest",
       c.head_manifest(ORG + "/nginx", "latest"), (mt, digest))
    eq("head: missing tag -> None", c.head_manifest(ORG + "/nginx", "nope"), None)
    raises("manifest: missing tag -> 404",
           lambda: c.get_manifest(ORG + "/nginx", "nope"), 404)
    kids = [m["digest"] for m in json.loads(body)["manifests"]]
    eq("manifest: two children as seeded", kids,
       [k["digest"] for k in s["children"]])
    kbody, kmt, kdigest = c.get_manifest(ORG + "/nginx", kids[0])
    eq("child manifest by digest", (kmt, kdigest),
       ("application/vnd.oci.image.manifest.v1+json", kids[0]))
    m = json.loads(kbody)
    for d in [m["config"]["digest"]] + [l["digest"] for l in m["layers"]]:
        b = c.get_blob(ORG + "/nginx", d)
        eq("blob %s verified" % d[:19], "sha256:" + hashlib.sha256(b).hexdigest(), d)
    cfg = json.loads(c.get_blob(ORG + "/nginx", m["config"]["digest"]))
    eq("config: amd64 child is amd64", cfg["architecture"], "amd64")
    raises("blob: unknown digest -> 404",
           lambda: c.get_blob(ORG + "/nginx", "sha256:" + "0" * 64), 404)


def check_tokens():
    c = client()
    c.tags(ORG + "/static")
    n0 = control("/_control/stats")["token_requests"]
    c.tags(ORG + "/static")
    c.get_manifest(ORG + "/static", "latest")
    eq("token cache: same scope asks no new token",
       control("/_control/stats")["token_requests"], n0)
    c.tags(ORG + "/python")
    eq("token cache: new scope asks one token",
       control("/_control/stats")["token_requests"], n0 + 1)

    # The cached token goes bad: one new token, then success.
    with c._lock:
        c._tokens["repository:%s/static:pull" % ORG] = ("garbage", 1e18)
    n0 = control("/_control/stats")["token_requests"]
    try:
        eq("401 with a cached token: retried with a new one",
           c.tags(ORG + "/static"), ["latest"])
    except ocilib.RegistryError as e:
        out(False, "401 with a cached token: retried with a new one", e)
    eq("401 retry: exactly one new token",
       control("/_control/stats")["token_requests"], n0 + 1)

    # A fresh token that is refused (expired) is also renewed once...
    control("/_control/expired", {"count": 1})
    try:
        eq("expired token: renewed once", client().tags(ORG + "/static"),
           ["latest"])
    except ocilib.RegistryError as e:
        out(False, "expired token: renewed once", e)
    # ...but not forever.
    control("/_control/expired", {"count": 2})
    n0 = control("/_control/stats")["token_requests"]
    raises("expired twice: 401", lambda: client().tags(ORG + "/static"), 401)
    eq("expired twice: two token requests, no loop",
       control("/_control/stats")["token_requests"], n0 + 2)


def fake_registry(handler_fn):
    """A plain-HTTP loopback server whose do_GET is handler_fn(h); URL."""
    import http.server
    import threading

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            handler_fn(self)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d" % srv.server_address[1]


def check_faults():
    import base64

    def basic(h):  # a Basic-auth registry (as Harbor's /v2/ is)
        want = "Basic " + base64.b64encode(b"robot$x:pw").decode()
        if h.headers.get("Authorization") != want:
            h.send_response(401)
            h.send_header("WWW-Authenticate", 'Basic realm="harbor, sim"')
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        body = b'{"name":"p/r","tags":["a","b"]}' if "tags" in h.path else b"{}"
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    srv, url = fake_registry(basic)
    try:
        ocilib.Client(url, "robot$x", "pw").ping()
        out(True, "basic challenge: ping with credentials")
    except ocilib.RegistryError as e:
        out(False, "basic challenge: ping with credentials", e)
    raises("basic challenge: wrong password -> 401",
           lambda: ocilib.Client(url, "robot$x", "no").ping(), 401)
    eq("basic challenge: tags", ocilib.Client(url, "robot$x", "pw").tags("p/r"),
       ["a", "b"])
    srv.shutdown()

    def bad(h):
        if "truncated" in h.path:
            h.send_response(200)
            h.send_header("Content-Length", "100")
            h.end_headers()
            h.wfile.write(b'{"tags"')
        elif "invalid" in h.path:
            h.send_response(200)
            h.send_header("Content-Length", "5")
            h.end_headers()
            h.wfile.write(b"nope!")
        elif "reset" in h.path:
            h.close_connection = True
            h.connection.shutdown(2)
        else:
            h.send_response(500)
            h.send_header("Content-Length", "0")
            h.end_headers()
    srv, url = fake_registry(bad)
    c = ocilib.Client(url)
    raises("truncated body -> RegistryError, no status",
           lambda: c.tags("x/truncated"), None)
    raises("invalid JSON -> RegistryError 200", lambda: c.tags("x/invalid"), 200)
    raises("connection closed -> RegistryError, no status",
           lambda: c.tags("x/reset"), None)
    raises("500 -> RegistryError 500", lambda: c.tags("x/other"), 500)
    raises("ping 500 -> RegistryError 500", c.ping, 500)
    srv.shutdown()


def main():
    for fn in (check_www_authenticate, check_ping, check_reads, check_tokens,
               check_faults):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - report and go on
            out(False, "%s ran to the end" % fn.__name__,
                "%s: %s" % (type(e).__name__, e))
    print("DONE")


if __name__ == "__main__":
    main()
