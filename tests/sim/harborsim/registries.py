"""Registry endpoints (/registries, /registries/ping, /registries/{id}/info,
/replication/adapters, /replication/adapterinfos), modelled on Harbor's
registry controller: name checks, URL normalisation, health check on
create/update, 409 on duplicate names, 412 when still referenced."""

import threading
import time
import urllib.parse

from .app import API, ApiError, Response, match_q, paginate, parse_q, \
    route, sort_items
from .state import STATE, now_iso, omitempty

# Adapter types Harbor registers (the default adapter allow-list).
ADAPTERS = [
    "ali-acr", "aws-ecr", "azure-acr", "docker-hub", "docker-registry",
    "dtr", "github-ghcr", "gitlab", "google-gcr", "harbor", "huawei-SWR",
    "jfrog-artifactory", "quay", "tencent-tcr", "volcengine-cr",
]

# Endpoint / credential patterns of a few adapters (adapterinfos).
_INFOS = {
    "docker-hub": {"endpoint_pattern": {
        "endpoint_type": "EndpointPatternTypeFix",
        "endpoints": [{"key": "hub.docker.com",
                       "value": "https://hub.docker.com"}]}},
    "github-ghcr": {"endpoint_pattern": {
        "endpoint_type": "EndpointPatternTypeFix",
        "endpoints": [{"key": "ghcr.io", "value": "https://ghcr.io"}]}},
    "aws-ecr": {
        "endpoint_pattern": {"endpoint_type": "EndpointPatternTypeList",
                             "endpoints": [{"key": "us-east-1",
                                            "value": "https://api.ecr.us-east-1.amazonaws.com"}]},
        "credential_pattern": {"access_key_type": "AccessKeyTypeStandard",
                               "access_secret_type": "AccessSecretTypeStandard"}},
}

MASK = "*****"


# ---------------------------------------------------------------- helpers

def check_health(reg):
    """(healthy, reason) via S2b's ping module; healthy when it is absent."""
    try:
        from . import ping
    except ImportError:
        return True, ""
    return ping.check_health(reg)


def validate_http_url(s):
    """Harbor's lib.NormalizeAndValidateHTTPURL: trim spaces and trailing
    slashes, default scheme http, only http/https, and keep just
    scheme://host[:port]path with the host lower-cased (no user info, query
    or fragment: Harbor's SSRF guard)."""
    s = (s or "").strip(" ").rstrip("/")
    if not s:
        raise ApiError(400, "empty string")
    if "://" not in s:
        s = "http://" + s
    try:
        u = urllib.parse.urlsplit(s)
        u.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as e:
        raise ApiError(400, "invalid URL: %s" % e)
    if u.scheme not in ("http", "https"):
        raise ApiError(400, "invalid HTTP scheme: %s" % u.scheme)
    host = u.netloc.rpartition("@")[2].lower()
    return "%s://%s%s" % (u.scheme, host, urllib.parse.unquote(u.path))


def render_credential(c):
    c = dict(c or {})
    if c.get("access_secret"):
        c["access_secret"] = MASK
    return omitempty(c)


def render(r):
    d = omitempty(r, keep=("id",))
    d["credential"] = render_credential(r.get("credential"))
    return d


def get_registry(rid):
    """Registry dict by id (int or str) or ApiError 404 as Harbor."""
    try:
        i = int(rid)
    except (TypeError, ValueError):
        raise ApiError(400, "invalid registry ID %s" % rid)
    with STATE.lock:
        r = STATE.registries.get(i)
    if r is None:
        raise ApiError(404, "registry %d not found" % i)
    return r


def _adapter_known(t):
    if t not in ADAPTERS:
        # Harbor's reg manager: no factory -> plain error -> 500
        raise ApiError(500, "adapter factory for %s not found" % t)


def _validate(reg):
    """Harbor's controller.validate: name, URL, then the health check."""
    name = reg.get("name") or ""
    if not name:
        raise ApiError(400, "name cannot be empty")
    if len(name) > 64:
        raise ApiError(400, "the max length of name is 64")
    reg["url"] = validate_http_url(reg.get("url"))
    _adapter_known(reg.get("type") or "")
    ok, reason = check_health(reg)
    if not ok:
        raise ApiError(400, "the registry is unhealthy")
    reg["status"] = "healthy"


def _check_unique(name, exclude_id=None):
    for r in STATE.registries.values():
        if r["name"] == name and r["id"] != exclude_id:
            raise ApiError(409, "registry %s already exists" % name)


def _str(v, field):
    if v is None:
        return None
    if not isinstance(v, str):
        raise ApiError(400, "parsing registry body from \"\" failed, "
                       "because json: cannot unmarshal into %s" % field)
    return v


def new_registry(name, url, rtype="docker-registry", cred=None,
                 insecure=False, description="", status="healthy"):
    """Build and store a registry dict directly (seeding)."""
    now = now_iso()
    with STATE.lock:
        rid = STATE.next_id("registry")
        r = {
            "id": rid, "name": name, "url": url, "type": rtype,
            "credential": dict(cred or {"type": "basic", "access_key": "",
                                        "access_secret": ""}),
            "insecure": bool(insecure), "description": description,
            "status": status, "creation_time": now, "update_time": now,
        }
        STATE.registries[rid] = r
    return r


# ---------------------------------------------------------------- routes

R = API + "/registries"


@route("GET", R, auth="admin")
def list_registries(req):
    conds = parse_q(req.query.get("q"))
    name = req.query.get("name")
    with STATE.lock:
        items = [r for r in STATE.registries.values()
                 if match_q(r, conds) and
                 (name is None or name.lower() in r["name"].lower())]
    # Harbor's registry model has no default sort: rows come in id order
    sort_items(req, items, [("id", False)])
    return paginate(req, items, render)


@route("POST", R, auth="admin")
def create_registry(req):
    body = req.json_object()
    cred = body.get("credential") or {}
    if not isinstance(cred, dict):
        raise ApiError(400, "credential must be an object")
    reg = {
        "name": _str(body.get("name"), "name") or "",
        "url": _str(body.get("url"), "url") or "",
        "type": _str(body.get("type"), "type") or "",
        "description": _str(body.get("description"), "description") or "",
        "insecure": bool(body.get("insecure", False)),
        "credential": {
            "type": cred.get("type") or "basic",  # DB column default
            "access_key": cred.get("access_key") or "",
            "access_secret": cred.get("access_secret") or "",
        },
    }
    if body.get("ca_certificate"):
        reg["ca_certificate"] = body["ca_certificate"]
    _validate(reg)
    now = now_iso()
    with STATE.lock:
        _check_unique(reg["name"])
        rid = STATE.next_id("registry")
        reg.update(id=rid, creation_time=now, update_time=now)
        STATE.registries[rid] = reg
    return Response(201, None, {"Location": "%s/%d" % (R, rid)})


@route("GET", R + r"/(?P<rid>\d+)", auth="admin")
def get_one(req, rid):
    return Response(200, render(get_registry(rid)))


@route("PUT", R + r"/(?P<rid>\d+)", auth="admin")
def update_registry(req, rid):
    cur = get_registry(rid)
    body = req.json_object() if req.body else {}
    reg = dict(cur)
    reg["credential"] = dict(cur.get("credential") or {})
    for f in ("name", "description", "url"):
        if body.get(f) is not None:
            reg[f] = _str(body[f], f)
    if body.get("insecure") is not None:
        reg["insecure"] = bool(body["insecure"])
    if body.get("ca_certificate") is not None:
        reg["ca_certificate"] = body["ca_certificate"]
    for src, dst in (("credential_type", "type"), ("access_key", "access_key"),
                     ("access_secret", "access_secret")):
        if body.get(src) is not None:
            reg["credential"][dst] = _str(body[src], src)
    _validate(reg)
    with STATE.lock:
        if reg["id"] not in STATE.registries:
            raise ApiError(404, "registry %d not found" % reg["id"])
        _check_unique(reg["name"], exclude_id=reg["id"])
        reg["update_time"] = now_iso()
        STATE.registries[reg["id"]] = reg
    return Response(200)


@route("DELETE", R + r"/(?P<rid>\d+)", auth="admin")
def delete_registry(req, rid):
    r = get_registry(rid)
    i = r["id"]
    with STATE.lock:
        for p in STATE.policies.values():
            if (p.get("src_registry") or {}).get("id") == i or \
                    (p.get("dest_registry") or {}).get("id") == i:
                raise ApiError(412, "the registry %d is referenced by "
                               "replication policies, cannot delete it" % i)
        for p in STATE.projects.values():
            if p.get("registry_id") == i:
                raise ApiError(412, "the registry %d is referenced by proxy "
                               "cache project, cannot delete it" % i)
        STATE.registries.pop(i, None)
    return Response(200)


@route("POST", R + "/ping", auth="admin")
def ping_registry(req):
    body = req.json_object() if req.body else {}
    reg = {"type": "", "url": "", "insecure": False,
           "credential": {"type": "", "access_key": "", "access_secret": ""}}
    if body.get("id") is not None:
        cur = get_registry(body["id"])
        reg = dict(cur)
        reg["credential"] = dict(cur.get("credential") or {})
    if body.get("type") is not None:
        reg["type"] = body["type"]
    if body.get("url") is not None:
        reg["url"] = validate_http_url(body["url"])
    if body.get("insecure") is not None:
        reg["insecure"] = bool(body["insecure"])
    if body.get("ca_certificate") is not None:
        reg["ca_certificate"] = body["ca_certificate"]
    for src, dst in (("credential_type", "type"), ("access_key", "access_key"),
                     ("access_secret", "access_secret")):
        if body.get(src) is not None:
            reg["credential"][dst] = body[src]
    if not reg.get("type") or not reg.get("url"):
        raise ApiError(400, "type or url cannot be empty")
    _adapter_known(reg["type"])
    ok, reason = check_health(reg)
    if not ok:
        raise ApiError(400, "the registry is unhealthy")
    return Response(200)


def _info(rtype, local=False):
    filters = [{"type": "name", "style": "input"},
               {"type": "tag", "style": "input"}]
    triggers = ["manual", "scheduled"]
    if rtype == "harbor":
        filters.append({"type": "label", "style": "list"})
        triggers = ["manual", "scheduled"]
    if local:
        triggers = triggers + ["event_based"]
    values = ["image", "artifact"] if rtype == "harbor" else ["image"]
    filters.append({"type": "resource", "style": "radio", "values": values})
    return {"type": rtype, "description": "", "supported_resource_filters": filters,
            "supported_triggers": triggers}


@route("GET", R + r"/(?P<rid>\d+)/info", auth="admin")
def registry_info(req, rid):
    if rid == "0":
        return Response(200, omitempty(_info("harbor", local=True)))
    r = get_registry(rid)
    _adapter_known(r["type"])
    return Response(200, omitempty(_info(r["type"])))


@route("GET", API + "/replication/adapters", auth="admin")
def adapters(req):
    return Response(200, list(ADAPTERS))


@route("GET", API + "/replication/adapterinfos", auth="admin")
def adapter_infos(req):
    return Response(200, {t: _INFOS.get(t, {}) for t in ADAPTERS})


# ---------------------------------------------------------------- health

def refresh_status(only_unseeded=True):
    """Re-check every registry's health and store "healthy"/"unhealthy",
    as Harbor's regular health check does (every 5 minutes)."""
    with STATE.lock:
        regs = [r for r in STATE.registries.values()
                if not (only_unseeded and r.get("_seeded"))]
    for r in regs:
        try:
            ok, _ = check_health(dict(r))
        except Exception:  # noqa: BLE001
            ok = False
        with STATE.lock:
            cur = STATE.registries.get(r["id"])
            if cur is not None:
                cur["status"] = "healthy" if ok else "unhealthy"


def _health_loop():
    last = time.time()
    while True:
        time.sleep(0.5)
        iv = getattr(STATE, "registry_health_interval_s", 300.0) or 300.0
        if time.time() - last < max(0.5, float(iv)):
            continue
        last = time.time()
        try:
            refresh_status()
        except Exception:  # noqa: BLE001
            pass


# Harbor checks every 5 minutes; tests force a check via /_sim/registry-health
# (a short interval would put stray /v2/ requests into request counts).
STATE.registry_health_interval_s = 300.0
threading.Thread(target=_health_loop, name="registry-health",
                 daemon=True).start()
