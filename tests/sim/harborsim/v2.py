"""Harbor's /v2/ registry API (read side) over the simulator's store, with
proxy-cache pull-through for projects that have a registry_id.

Auth: Basic credentials (checked with app.check_basic); without them the
answer is 401 with `WWW-Authenticate: Basic realm="harbor"`, except for
reads in public projects.  Pushes are not modelled (405 UNSUPPORTED).

Proxy cache (as Harbor's repoproxy middleware): a manifest GET of
PROJECT/REPO:REF fetches REPO:REF from the project's registry endpoint,
stores the manifest, the children of an index and every blob under
PROJECT/REPO, then serves it; a digest already cached is served locally.
A manifest HEAD asks the endpoint for the digest and media type but stores
nothing.  When the endpoint fails with anything but 404, the local copy (if
any) is served.
"""

import urllib.parse

from . import store
from .app import Response, check_basic, route
from .state import STATE

V2_HEADERS = {"Docker-Distribution-Api-Version": "registry/2.0"}
CHALLENGE = 'Basic realm="harbor"'

NAME = r"(?P<name>[a-z0-9][a-z0-9._/-]*?)"


def _err(status, code, message, extra_headers=None):
    h = dict(V2_HEADERS)
    if extra_headers:
        h.update(extra_headers)
    return Response(status, {"errors": [{"code": code, "message": message}]}, h)


def _unauthorized(message="unauthorized to access repository"):
    return _err(401, "UNAUTHORIZED", message, {"WWW-Authenticate": CHALLENGE})


class _Deny(Exception):
    def __init__(self, resp):
        super().__init__("denied")
        self.resp = resp


def _user(req):
    """User record, None for anonymous; raises _Deny on bad credentials."""
    h = req.headers.get("Authorization") or ""
    if h and h.strip().lower() not in ("basic og==", "basic"):
        # (clients without credentials may send an empty "Basic Og==")
        u = check_basic(req)
        if u is None:
            raise _Deny(_unauthorized("authentication required"))
        return u
    return None


def _may_read(user, p):
    from . import projects
    return bool(projects.can_read(p, user))


def _access(req, name):
    """-> project dict; raises _Deny with the proper answer."""
    user = _user(req)
    pname = name.split("/", 1)[0]
    p = STATE.project_by_name(pname)
    if p is None or "/" not in name:
        if user is None:
            raise _Deny(_unauthorized())
        raise _Deny(_err(404, "NAME_UNKNOWN", "repository name not known to registry"))
    if not _may_read(user, p):
        if user is None:
            raise _Deny(_unauthorized("unauthorized to access repository: %s, action: pull: "
                                      "unauthorized to access repository: %s, action: pull"
                                      % (name, name)))
        raise _Deny(_err(403, "DENIED", "requested access to the resource is denied"))
    return p


def _proxy_registry(p):
    rid = p.get("registry_id")
    if not rid:
        return None
    with STATE.lock:
        r = STATE.registries.get(int(rid))
        if r is None:
            return None
        r = dict(r)
    if r.get("status") == "unhealthy":
        return None
    return r


# ------------------------------------------------------------------ /v2/

@route("GET", r"/v2/?", auth="none")
def v2_ping(req):
    if check_basic(req) is None:
        return _unauthorized("unauthorized")
    return Response(200, {}, dict(V2_HEADERS))


@route("HEAD", r"/v2/?", auth="none")
def v2_ping_head(req):
    return v2_ping(req)


@route("GET", r"/v2/_catalog", auth="none")
def v2_catalog(req):
    try:
        user = _user(req)
    except _Deny as d:
        return d.resp
    if user is None:
        return _unauthorized()
    if not user.get("sysadmin_flag"):
        return _err(401, "UNAUTHORIZED", "unauthorized to list catalog",
                    {"WWW-Authenticate": CHALLENGE})
    names = store.repo_names()
    return _paged(req, "/v2/_catalog", "repositories", names)


def _paged(req, path, key, items):
    last = req.query.get("last")
    if last:
        items = [x for x in items if x > last]
    headers = dict(V2_HEADERS)
    n = req.query.get("n")
    if n not in (None, ""):
        try:
            n = int(n)
        except ValueError:
            return _err(400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested")
        if 0 <= n < len(items):
            items = items[:n]
            if items:
                headers["Link"] = '<%s?last=%s&n=%d>; rel="next"' % (
                    path, urllib.parse.quote(items[-1], safe=""), n)
    body = {key: items}
    if key == "tags":
        body = {"name": path[4:-len("/tags/list")], "tags": items}
    return Response(200, body, headers)


@route("GET", r"/v2/" + NAME + r"/tags/list", auth="none")
def v2_tags(req, name):
    try:
        _access(req, name)
    except _Deny as d:
        return d.resp
    tags = store.list_tags(name)
    if tags is None:
        return _err(404, "NAME_UNKNOWN", "repository name not known to registry")
    return _paged(req, "/v2/%s/tags/list" % name, "tags", tags)


# ------------------------------------------------------------- manifests

def _manifest_response(req, body, mt, digest):
    h = dict(V2_HEADERS)
    h["Docker-Content-Digest"] = digest
    h["Etag"] = '"%s"' % digest
    return Response(200, body, h, content_type=mt)


def _not_found(name, ref):
    sep = "@" if ref.startswith("sha256:") else ":"
    return _err(404, "NOT_FOUND", "artifact %s%s%s not found" % (name, sep, ref))


def cache_from_upstream(client, up_repo, local_repo, ref, body=None, mt=None):
    """Copy up_repo:ref (manifest, index children, blobs) from client into
    local_repo; tag it when ref is a tag.  Returns (body, mt, digest)."""
    if body is None:
        body, mt, _ = client.get_manifest(up_repo, ref)
    children, blobs = store.manifest_refs(body, mt)
    for c in children:
        if store.resolve(local_repo, c["digest"]) is None:
            cache_from_upstream(client, up_repo, local_repo, c["digest"])
    for b in blobs:
        if not store.has_blob(b["digest"]):
            store.put_blob(client.get_blob(up_repo, b["digest"]), b["digest"])
    tag = None if ref.startswith("sha256:") else ref
    digest = store.put_manifest(local_repo, body, mt, tag=tag)
    return body, mt, digest


def _proxy_get(p, reg, name, ref, head):
    import ocilib
    from . import ping
    up_repo = name.split("/", 1)[1]
    client = ping.client_for(reg)
    try:
        body, mt, digest = client.get_manifest(up_repo, ref)
    except ocilib.RegistryError as e:
        if e.status == 404:
            return "notfound"
        return None
    except Exception:  # noqa: BLE001 - unreachable endpoint: use the cache
        return None
    if head:
        return body, mt, digest
    local = store.get_manifest(name, ref)
    if local is not None and local[2] == digest:
        return local
    try:
        return cache_from_upstream(client, up_repo, name, ref, body, mt)
    except Exception:  # noqa: BLE001
        return None


def _manifest(req, name, ref, head):
    try:
        p = _access(req, name)
    except _Deny as d:
        return d.resp
    reg = _proxy_registry(p)
    local = store.get_manifest(name, ref)
    got = None
    if reg is not None and not (local is not None and ref.startswith("sha256:")):
        got = _proxy_get(p, reg, name, ref, head)
        if got == "notfound":
            return _not_found(name, ref)
    if got is None:
        got = local
    if got is None:
        return _not_found(name, ref)
    if not head:
        store.note_pull(name, ref)
    return _manifest_response(req, got[0], got[1], got[2])


@route("GET", r"/v2/" + NAME + r"/manifests/(?P<ref>[^/]+)", auth="none")
def v2_manifest_get(req, name, ref):
    return _manifest(req, name, ref, head=False)


@route("HEAD", r"/v2/" + NAME + r"/manifests/(?P<ref>[^/]+)", auth="none")
def v2_manifest_head(req, name, ref):
    return _manifest(req, name, ref, head=True)


# ----------------------------------------------------------------- blobs

def _blob(req, name, digest):
    try:
        p = _access(req, name)
    except _Deny as d:
        return d.resp
    if not store.valid_digest(digest):
        return _err(400, "DIGEST_INVALID", "provided digest did not match uploaded content")
    data = None
    if store.repo_record(name) is not None:
        data = store.get_blob(digest)
    if data is None:
        reg = _proxy_registry(p)
        if reg is not None:
            from . import ping
            try:
                data = ping.client_for(reg).get_blob(name.split("/", 1)[1], digest)
                store.put_blob(data, digest)
            except Exception:  # noqa: BLE001
                data = None
    if data is None:
        return _err(404, "BLOB_UNKNOWN", "blob unknown to registry")
    h = dict(V2_HEADERS)
    h["Docker-Content-Digest"] = digest
    h["Etag"] = '"%s"' % digest
    h["Accept-Ranges"] = "bytes"
    return Response(200, data, h, content_type="application/octet-stream")


@route("GET", r"/v2/" + NAME + r"/blobs/(?P<digest>[^/]+)", auth="none")
def v2_blob_get(req, name, digest):
    return _blob(req, name, digest)


@route("HEAD", r"/v2/" + NAME + r"/blobs/(?P<digest>[^/]+)", auth="none")
def v2_blob_head(req, name, digest):
    return _blob(req, name, digest)


# ------------------------------------------------------- not modelled

def _unsupported(req, **kw):
    if check_basic(req) is None:
        return _unauthorized()
    return _err(405, "UNSUPPORTED", "the Harbor simulator does not accept pushes")


for _m in ("POST", "PUT", "PATCH", "DELETE"):
    route(_m, r"/v2/.+", auth="none")(_unsupported)
