"""Small OCI distribution client for the berth test stack (standard library).

Used by the Harbor simulator to health-check registry endpoints and to copy
images during replication and proxy-cache pulls, and by the stack's tests.

    c = Client("https://127.0.0.1:PORT", "org/user", "secret", ca_file=CA)
    c.ping()                          # Harbor's health check
    c.catalog()                       # ['org/img', ...]
    c.tags("org/img")                 # ['latest', ...]
    body, media_type, digest = c.get_manifest("org/img", "latest")
    c.head_manifest("org/img", "latest")   # (media_type, digest) or None
    c.get_blob("org/img", "sha256:...")    # bytes, sha256 verified

Authentication follows the registry's challenge: Bearer (token service with
Basic credentials, or anonymous; one token cached per scope until shortly
before it expires; a 401 with a cached token fetches a new one once) or Basic.
Every failure raises RegistryError(message, status). Use one Client per
thread if you like; the token cache is locked so sharing one is also fine.
"""

import base64
import hashlib
import http.client
import json
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ACCEPT = ", ".join([
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
])
CATALOG_SCOPE = "registry:catalog:*"
MAX_PAGES = 10000


class RegistryError(Exception):
    """A registry operation failed: status is the HTTP status or None."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self):
        return self.message


def parse_www_authenticate(value):
    """Parse a WWW-Authenticate value into [(scheme, {param: value})].

    Scheme and parameter names are lower-cased; quoted values may contain
    commas and backslash escapes; several challenges may share one header;
    a token68 (e.g. "Negotiate abc==") is skipped.
    """
    value = value or ""
    n = len(value)

    def ws(i, chars=" \t"):
        while i < n and value[i] in chars:
            i += 1
        return i

    def tok(i):
        j = i
        while j < n and value[j] not in ' \t,="':
            j += 1
        return value[i:j], j

    def param_at(i):
        key, j = tok(i)
        j = ws(j)
        if not key or j >= n or value[j] != "=":
            return False
        # "abc==" or "abc=" at the end: a token68's padding, not a param.
        return j + 1 < n and value[j + 1] not in "=,"

    out, i = [], 0
    while True:
        i = ws(i, " \t,")
        if i >= n:
            return out
        scheme, i = tok(i)
        if not scheme:  # junk such as a stray '=' or quote
            i += 1
            continue
        params = {}
        out.append((scheme.lower(), params))
        i = ws(i)
        if i < n and value[i] != "," and not param_at(i):
            _, i = tok(i)  # token68
            while i < n and value[i] == "=":
                i += 1
            continue
        while True:
            i = ws(i, " \t,")
            if i >= n or not param_at(i):
                break
            key, i = tok(i)
            i = ws(ws(i) + 1)
            if i < n and value[i] == '"':
                i += 1
                buf = []
                while i < n and value[i] != '"':
                    if value[i] == "\\" and i + 1 < n:
                        i += 1
                    buf.append(value[i])
                    i += 1
                i += 1
                val = "".join(buf)
            else:
                j = i
                while j < n and value[j] not in " \t,":
                    j += 1
                val, i = value[i:j], j
            params[key.lower()] = val


def _errors_text(body):
    """Render a registry/token error body for a message."""
    try:
        doc = json.loads(body)
        errs = doc.get("errors") or []
        parts = ["%s: %s" % (e.get("code", "?"), e.get("message", ""))
                 for e in errs if isinstance(e, dict)]
        if parts:
            return "; ".join(parts)
        if isinstance(doc.get("details"), str):
            return doc["details"]
    except (ValueError, AttributeError):
        pass
    text = body[:200].decode("utf-8", "replace").strip()
    return text or "empty body"


def _next_link(headers):
    """URL of rel="next" in a Link header, or None."""
    link = headers.get("Link")
    if not link:
        return None
    for part in link.split(","):
        if 'rel="next"' in part or "rel=next" in part:
            lt, gt = part.find("<"), part.find(">")
            if lt >= 0 and gt > lt:
                return part[lt + 1:gt]
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but never carry Authorization to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and (urllib.parse.urlsplit(newurl).netloc !=
                                urllib.parse.urlsplit(req.full_url).netloc):
            new.remove_header("Authorization")
        return new


class Client:
    """OCI distribution client for one registry base URL."""

    page_size = 100  # catalog page size (n=)

    def __init__(self, base_url, username=None, password=None, ca_file=None,
                 insecure=False, timeout=10.0):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.password = password
        self.timeout = timeout
        if insecure:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        else:
            ctx = ssl.create_default_context(cafile=ca_file)
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ctx), _NoRedirect())
        self._lock = threading.Lock()
        self._challenge = None      # (scheme, params) from the last 401
        self._tokens = {}           # scope -> (token, expires at)

    # -- plumbing --------------------------------------------------------

    def _basic(self):
        raw = "%s:%s" % (self.username or "", self.password or "")
        return "Basic " + base64.b64encode(raw.encode("utf-8")).decode("ascii")

    def _http(self, method, url, headers=None):
        """One HTTP exchange: (status, headers, body). Raises on no answer."""
        req = urllib.request.Request(url, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            try:
                body = e.read()
            except (OSError, http.client.HTTPException):
                body = b""
            return e.code, e.headers, body
        except (urllib.error.URLError, OSError, ValueError,
                http.client.HTTPException) as e:
            reason = getattr(e, "reason", e)
            raise RegistryError("%s %s: %s" % (method, url, reason)) from None

    def _fetch_token(self, params, scope, key=None):
        """Ask the challenge's realm for a token for scope (None: no scope);
        cache it under key (default: scope)."""
        realm = params.get("realm")
        if not realm:
            raise RegistryError("bearer challenge without realm")
        q = []
        if params.get("service"):
            q.append(("service", params["service"]))
        if scope:
            q.append(("scope", scope))
        url = realm + ("&" if "?" in realm else "?") + urllib.parse.urlencode(q)
        headers = {}
        if self.username is not None:
            headers["Authorization"] = self._basic()
        status, _, body = self._http("GET", url, headers)
        if status != 200:
            raise RegistryError("token service: HTTP %d: %s" %
                                (status, _errors_text(body)), status)
        try:
            doc = json.loads(body)
            tok = doc.get("token") or doc.get("access_token")
            ttl = int(doc.get("expires_in") or 60)
        except (ValueError, AttributeError, TypeError):
            tok = None
        if not tok:
            raise RegistryError("token service: no token in answer", status)
        with self._lock:
            self._tokens[key if key is not None else (scope or "")] = (
                tok, time.monotonic() + max(ttl - 10, 1))
        return tok

    def _auth_for(self, scope):
        """Authorization value to send first, from what we know so far."""
        with self._lock:
            ch = self._challenge
            cached = self._tokens.get(scope or "")
        if ch is None:
            return None
        if ch[0] == "basic":
            return self._basic() if self.username is not None else None
        if ch[0] == "bearer" and cached and cached[1] > time.monotonic():
            return "Bearer " + cached[0]
        return None

    def _request(self, method, path_or_url, scope, accept=None):
        """Authenticated request. A 401 to a request sent without credentials
        is answered with the challenge's auth; a 401 to a bearer token
        (cached, or just fetched) gets one more, new token; then the 401
        is the answer."""
        url = path_or_url
        if url.startswith("/"):
            url = self.base_url + url
        renewed = False
        auth = self._auth_for(scope)
        while True:
            headers = {}
            if accept:
                headers["Accept"] = accept
            if auth:
                headers["Authorization"] = auth
            status, hdrs, body = self._http(method, url, headers)
            if status != 401:
                return status, hdrs, body
            chs = parse_www_authenticate(hdrs.get("WWW-Authenticate", ""))
            ch = next((c for c in chs if c[0] == "bearer"), None) or \
                next((c for c in chs if c[0] == "basic"), None)
            if ch is None:
                return status, hdrs, body
            with self._lock:
                self._challenge = ch
            if ch[0] == "bearer":
                if auth and auth.startswith("Bearer "):
                    if renewed:
                        return status, hdrs, body
                    renewed = True
                auth = "Bearer " + self._fetch_token(
                    ch[1], ch[1].get("scope") or scope, scope or "")
            elif auth is None and self.username is not None:
                auth = self._basic()
            else:
                return status, hdrs, body

    def _check(self, what, status, body, ok=(200,)):
        if status not in ok:
            raise RegistryError("%s: HTTP %d: %s" %
                                (what, status, _errors_text(body)), status)

    # -- API -------------------------------------------------------------

    def ping(self):
        """Harbor's health check; raises RegistryError when unhealthy."""
        url = self.base_url + "/v2/"
        status, hdrs, body = self._http("GET", url)
        if status == 200:
            return
        if status != 401:
            raise RegistryError("GET /v2/: unexpected HTTP %d" % status, status)
        chs = parse_www_authenticate(hdrs.get("WWW-Authenticate", ""))
        ch = next((c for c in chs if c[0] in ("bearer", "basic")), None)
        if ch is None:
            raise RegistryError("GET /v2/: 401 without a usable challenge", 401)
        with self._lock:
            self._challenge = ch
        if ch[0] == "bearer":
            auth = "Bearer " + self._fetch_token(ch[1], None)
        else:
            auth = self._basic()
        status, _, body = self._http("GET", url, {"Authorization": auth})
        self._check("GET /v2/ (authorised)", status, body)

    def catalog(self):
        """Every repository name, following Link pages of 100."""
        repos, url = [], "/v2/_catalog?n=%d" % self.page_size
        for _ in range(MAX_PAGES):
            status, hdrs, body = self._request("GET", url, CATALOG_SCOPE)
            self._check("catalog", status, body)
            try:
                repos += json.loads(body).get("repositories") or []
            except (ValueError, AttributeError):
                raise RegistryError("catalog: invalid JSON", status) from None
            nxt = _next_link(hdrs)
            if not nxt:
                return repos
            url = urllib.parse.urljoin(self.base_url + "/", nxt)
        raise RegistryError("catalog: too many pages")

    def tags(self, repo):
        """Tag names of repo (following Link pages if the registry pages)."""
        tags, url = [], "/v2/%s/tags/list" % repo
        scope = "repository:%s:pull" % repo
        for _ in range(MAX_PAGES):
            status, hdrs, body = self._request("GET", url, scope)
            self._check("tags of %s" % repo, status, body)
            try:
                tags += json.loads(body).get("tags") or []
            except (ValueError, AttributeError):
                raise RegistryError("tags: invalid JSON", status) from None
            nxt = _next_link(hdrs)
            if not nxt:
                return tags
            url = urllib.parse.urljoin(self.base_url + "/", nxt)
        raise RegistryError("tags: too many pages")

    def get_manifest(self, repo, ref):
        """(body, media_type, digest) of repo:ref; digest checked by ref."""
        status, hdrs, body = self._request(
            "GET", "/v2/%s/manifests/%s" % (repo, ref),
            "repository:%s:pull" % repo, ACCEPT)
        self._check("manifest %s:%s" % (repo, ref), status, body)
        computed = "sha256:" + hashlib.sha256(body).hexdigest()
        if ref.startswith("sha256:") and ref != computed:
            raise RegistryError("manifest %s@%s: digest mismatch (got %s)" %
                                (repo, ref, computed))
        mt = (hdrs.get("Content-Type") or "").split(";")[0].strip()
        if not mt or mt in ("application/json", "application/octet-stream"):
            try:
                mt = json.loads(body).get("mediaType") or mt
            except (ValueError, AttributeError):
                pass
        return body, mt, computed

    def head_manifest(self, repo, ref):
        """(media_type, digest) of repo:ref, or None when it is not there."""
        status, hdrs, body = self._request(
            "HEAD", "/v2/%s/manifests/%s" % (repo, ref),
            "repository:%s:pull" % repo, ACCEPT)
        if status == 404:
            return None
        self._check("manifest %s:%s" % (repo, ref), status, body)
        digest = hdrs.get("Docker-Content-Digest")
        mt = (hdrs.get("Content-Type") or "").split(";")[0].strip()
        if not digest:
            _, mt, digest = self.get_manifest(repo, ref)
        return mt, digest

    def get_blob(self, repo, digest):
        """Blob bytes; raises RegistryError when the sha256 does not match."""
        status, _, body = self._request(
            "GET", "/v2/%s/blobs/%s" % (repo, digest),
            "repository:%s:pull" % repo)
        self._check("blob %s@%s" % (repo, digest), status, body)
        algo, _, want = digest.partition(":")
        if algo != "sha256":
            raise RegistryError("blob %s: unsupported digest algorithm" % digest)
        got = hashlib.sha256(body).hexdigest()
        if got != want:
            raise RegistryError("blob %s@%s: digest mismatch (got sha256:%s)" %
                                (repo, digest, got))
        return body
