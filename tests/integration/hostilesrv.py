#!/usr/bin/python3
"""A hostile Harbor and registry for tests/integration/hostile-text.t.

Plain HTTP on 127.0.0.1:0; prints the port (one line), serves until
killed. Standard library only. Every answer carries bytes a terminal would
act on or that are not UTF-8, where the simulator cannot put them (its
JSON is always valid UTF-8):

  GET /api/v2.0/registries   one registry whose description and access key
                             hold raw invalid UTF-8, a cut sequence, a raw
                             C1 CSI (U+009B) and U+202E (valid JSON bytes)
  GET /api/v2.0/systeminfo   502, text/plain body with ESC [2J, an OSC
                             title sequence and invalid UTF-8
  GET /v2/                   401, Bearer challenge with realm /tok; with
                             Host: localhost:P a 500 with a hostile
                             error message
  GET /tok                   403 with an error message holding raw ESC,
                             C1 and invalid UTF-8
  anything else              404 with a Harbor error body whose message
                             has raw invalid UTF-8 and a C1 CSI
"""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOSTILE = b"A\xff\xfeB\xe2\x80C\xc2\x9b2JD\xe2\x80\xaeE"


def registries():
    return (b'[{"id":1,"name":"evil","url":"https://evil.example",'
            b'"type":"docker-registry","description":"' + HOSTILE + b'",'
            b'"status":"healthy","insecure":false,'
            b'"credential":{"type":"basic","access_key":"k' + HOSTILE +
            b'","access_secret":"*****"},'
            b'"creation_time":"2024-05-01T12:00:00Z",'
            b'"update_time":"2024-05-01T12:00:00Z"}]')


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            # raw bytes in a header value: http.server encodes latin-1
            self.send_header(k.decode(), v.decode("latin-1"))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            self.rfile.read(n)
        path = self.path.split("?")[0]
        if path == "/api/v2.0/registries":
            return self.reply(200, registries(),
                              headers=[(b"X-Total-Count", b"1")])
        if path == "/api/v2.0/systeminfo":
            return self.reply(502, b"bad gateway\x1b[2J\x1b]0;owned\x07"
                              b"\xff\xfe" + HOSTILE + b"\n", "text/plain")
        if path == "/v2/" and self.headers.get("Host", "").startswith(
                "localhost"):
            return self.reply(500, b'{"errors":[{"code":"UNKNOWN",'
                              b'"message":"v2\x1b[2J' + HOSTILE + b'"}]}')
        if path == "/v2/":
            port = self.server.server_address[1]
            realm = b"http://127.0.0.1:%d/tok" % port
            return self.reply(401, b"{}", headers=[
                (b"WWW-Authenticate",
                 b'Bearer realm="' + realm + b'",service="s"')])
        if path == "/tok":
            return self.reply(403, b'{"errors":[{"code":"DENIED","message":'
                              b'"tok\x1b[2J' + HOSTILE + b'"}]}')
        return self.reply(404, b'{"errors":[{"code":"NOT_FOUND","message":'
                          b'"no ' + HOSTILE + b'"}]}')

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET


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
