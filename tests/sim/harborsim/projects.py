"""Project endpoints modelled on Harbor's project API: list (filters,
detail, paging), HEAD by name, create (name rules, proxy cache, quota),
get/update/delete by name or id, _deletable, summary, metadatas."""

import re

from .app import API, ApiError, Response, match_q, paginate, parse_q, \
    route, sort_items
from .state import STATE, now_iso, omitempty

NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")

# config.GetPermittedRegistryTypesForProxyCache()
PROXY_TYPES = ("docker-hub", "harbor", "azure-acr", "ali-acr", "aws-ecr",
               "google-gcr", "quay", "docker-registry", "github-ghcr",
               "jfrog-artifactory")

PROXY_ONLY_META = ("proxy_speed_kb", "max_upstream_conn",
                   "proxy_cache_filter_pattern", "proxy_cache_filter_kind")

BOOL_META = ("public", "enable_content_trust", "enable_content_trust_cosign",
             "prevent_vul", "auto_scan", "auto_sbom_generation",
             "reuse_sys_cve_allowlist", "proxy_cache_local_on_not_found",
             "proxy_referrer_api")

KNOWN_META = BOOL_META + ("severity", "retention_id") + PROXY_ONLY_META

ROLE_PROJECT_ADMIN = 1

P = API + "/projects"


# ---------------------------------------------------------------- helpers

def _store():
    try:
        from . import store
        return store
    except ImportError:
        return None


def repo_count(name):
    s = _store()
    if s is None:
        return 0
    try:
        return int(s.project_repo_count(name))
    except Exception:  # noqa: BLE001
        return 0


def storage_used(name):
    """Bytes the project's repositories take (manifests + their blobs;
    blobs shared between manifests are counted once per manifest, where
    Harbor counts each blob once per project)."""
    s = _store()
    if s is None:
        return 0
    fn = getattr(s, "project_storage_used", None)
    try:
        if fn is not None:
            return int(fn(name))
        total = 0
        for repo in s.repo_names(name):
            rec = s.repo_record(repo) or {}
            for m in (rec.get("manifests") or {}).values():
                total += int(m.get("manifest_size") or 0)
                total += int(m.get("blob_size") or 0)
        return total
    except Exception:  # noqa: BLE001
        return 0


def is_public(p):
    return (p.get("metadata") or {}).get("public") == "true"


def role_of(p, user):
    if user is None:
        return 0
    return (p.get("_members") or {}).get(user["user_id"], 0)


def can_read(p, user):
    return is_public(p) or (user is not None and (
        user.get("sysadmin_flag") or role_of(p, user)))


def can_admin(p, user):
    return user is not None and (user.get("sysadmin_flag") or
                                 role_of(p, user) == ROLE_PROJECT_ADMIN)


def require(p, user, admin=False):
    ok = can_admin(p, user) if admin else can_read(p, user)
    if ok:
        return
    if user is None:
        raise ApiError(401, "unauthorized")
    raise ApiError(403, "forbidden")


def find(name_or_id, headers=None):
    """Harbor's parseProjectNameOrID + Get: 404 'project X not found'."""
    force_name = headers is not None and \
        (headers.get("X-Is-Resource-Name") or "").lower() == "true"
    pid = None
    if not force_name:
        try:
            pid = int(name_or_id)
        except ValueError:
            pid = None
    with STATE.lock:
        if pid is not None:
            p = STATE.projects.get(pid)
            if p is None:
                raise ApiError(404, "project %d not found" % pid)
            return p
        if " " in name_or_id:
            raise ApiError(400, "invalid project name: '%s'" % name_or_id)
        p = STATE.project_by_name(name_or_id)
    if p is None:
        raise ApiError(404, "project %s not found" % name_or_id)
    return p


def render(p, user=None, detail=True):
    d = {
        "project_id": p["project_id"],
        "owner_id": p["owner_id"],
        "name": p["name"],
        "registry_id": p.get("registry_id") or 0,
        "creation_time": p["creation_time"],
        "update_time": p["update_time"],
        "deleted": False,
        "owner_name": p.get("owner_name", ""),
        "repo_count": repo_count(p["name"]),
        "metadata": dict(p.get("metadata") or {}),
        "cve_allowlist": dict(p.get("cve_allowlist") or {}),
    }
    role = role_of(p, user)
    if user is not None:
        d["togglable"] = bool(user.get("sysadmin_flag") or
                              role == ROLE_PROJECT_ADMIN)
        if role:
            d["current_user_role_id"] = role
            d["current_user_role_ids"] = [role]
    return omitempty(d, keep=("repo_count",))


def new_project(name, owner, public=False, registry_id=None,
                storage_limit=-1, metadata=None):
    """Build and store a project dict directly (used by create and seeding)."""
    now = now_iso()
    md = {"public": "true" if public else "false"}
    md.update(metadata or {})
    with STATE.lock:
        pid = STATE.next_id("project")
        p = {
            "project_id": pid,
            "owner_id": owner["user_id"],
            "owner_name": owner["username"],
            "name": name,
            "registry_id": registry_id or 0,
            "creation_time": now,
            "update_time": now,
            "metadata": md,
            "cve_allowlist": {"id": pid, "project_id": pid, "items": [],
                              "creation_time": "0001-01-01T00:00:00.000Z",
                              "update_time": "0001-01-01T00:00:00.000Z"},
            "_storage_limit": storage_limit,
            "_members": {owner["user_id"]: ROLE_PROJECT_ADMIN},
        }
        STATE.projects[pid] = p
    return p


def seed_default():
    """Harbor ships with the public project "library" (id 1)."""
    with STATE.lock:
        if STATE.project_by_name("library") is None:
            new_project("library", STATE.users["admin"], public=True)


def _meta_value(k, v):
    if v is None:
        return None
    if isinstance(v, bool):
        v = "true" if v else "false"
    if not isinstance(v, str):
        raise ApiError(400, "parsing project body from \"\" failed, because "
                       "json: cannot unmarshal into metadata.%s of type "
                       "string" % k)
    return v


def _clean_meta(md):
    if md is None:
        return {}
    if not isinstance(md, dict):
        raise ApiError(400, "metadata must be an object")
    out = {}
    for k, v in md.items():
        if k not in KNOWN_META:
            continue  # unknown properties are dropped by the swagger model
        v = _meta_value(k, v)
        if v is not None:
            out[k] = v
    return out


# ---------------------------------------------------------------- routes

@route("GET", P, auth="optional")
def list_projects(req):
    user = req.user
    conds = parse_q(req.query.get("q"))
    name = req.query.get("name") or ""
    owner = req.query.get("owner") or ""
    public = req.query.get("public")
    if public is not None:
        if public.lower() not in ("true", "false", "1", "0"):
            raise ApiError(422, "public in query must be of type boolean: "
                           "\"%s\"" % public)
        public = public.lower() in ("true", "1")
    if user is None and public is False:
        return Response(200, [], {"X-Total-Count": "0"})
    detail = (req.query.get("with_detail") or "true").lower() != "false"
    with STATE.lock:
        items = []
        for p in STATE.projects.values():
            if name and name.lower() not in p["name"].lower():
                continue
            if owner and p.get("owner_name") != owner:
                continue
            if public is not None and is_public(p) != public:
                continue
            if not can_read(p, user):
                continue
            if conds and not match_q(p, conds):
                continue
            items.append(p)
    sort_items(req, items, [("name", False)])
    if not items:
        return Response(200, [], {"X-Total-Count": "0"})
    return paginate(req, items, lambda p: render(p, user, detail))


@route("HEAD", P, auth="optional")
def head_project(req):
    name = req.query.get("project_name")
    if name is None:
        raise ApiError(422, "validation failure list:\nproject_name in query "
                       "is required")
    p = STATE.project_by_name(name)
    if p is None:
        raise ApiError(404, "project %s not found" % name)
    require(p, req.user)
    return Response(200)


@route("POST", P, auth="user")
def create_project(req):
    body = req.json_object()
    user = req.user
    name = body.get("project_name")
    if name is not None and not isinstance(name, str):
        raise ApiError(400, "parsing project body from \"\" failed, because "
                       "json: cannot unmarshal into project_name of type "
                       "string")
    name = name or ""
    if len(name) > 255:
        raise ApiError(422, "validation failure list:\nproject_name in body "
                       "should be at most 255 chars long")
    reg_id = body.get("registry_id")
    if reg_id is not None and not user.get("sysadmin_flag"):
        raise ApiError(403, "Only system admin can create proxy cache "
                       "project")
    storage = body.get("storage_limit")
    if storage is not None and not isinstance(storage, int):
        raise ApiError(400, "storage_limit must be an integer")
    if storage is None or storage == 0 or not user.get("sysadmin_flag"):
        storage = -1
    md = _clean_meta(body.get("metadata"))
    pub = body.get("public")
    if pub is not None and not md.get("public"):
        md["public"] = "true" if pub else "false"
    if not md.get("public"):
        md["public"] = "false"
    if md["public"] not in ("true", "false"):
        raise ApiError(400, "metadata.public should only be 'true' or "
                       "'false', but got: '%s'" % md["public"])
    if reg_id is None:
        for k in PROXY_ONLY_META:
            md.pop(k, None)
    else:
        md.pop("enable_content_trust", None)
    if md.get("retention_id"):
        raise ApiError(400, "bad request: the retention_id in the request's "
                       "payload when creating a project should be omitted, "
                       "alternatively passing an empty string")
    md.pop("retention_id", None)
    if reg_id is not None:
        if not isinstance(reg_id, int) or isinstance(reg_id, bool):
            raise ApiError(400, "registry_id must be an integer")
        if reg_id <= 0:
            raise ApiError(400, "bad request: %d is invalid value of "
                           "registry_id, it should be geater than 0" % reg_id)
        with STATE.lock:
            reg = STATE.registries.get(reg_id)
        if reg is None:
            # Harbor wraps the not-found error with fmt.Errorf -> 500
            raise ApiError(500, "failed to get the registry %d: registry %d "
                           "not found" % (reg_id, reg_id))
        if reg["type"] not in PROXY_TYPES:
            raise ApiError(400, "bad request: unsupported registry type %s"
                           % reg["type"])
        for k in ("proxy_speed_kb", "max_upstream_conn"):
            if k in md:
                try:
                    v = int(md[k], 10)
                    if not -2**31 <= v < 2**31:
                        raise ValueError("value out of range")
                except ValueError as e:
                    raise ApiError(400, "metadata.%s should by an int32, but "
                                   "got: '%s', err: %s" % (k, md[k], e))
    if storage < -1:
        raise ApiError(400, "bad request: invalid value %d for storage"
                       % storage)
    if not 1 <= len(name) <= 255:
        raise ApiError(400, "Project name %s is illegal in length. (greater "
                       "than 255 or less than 1)" % name)
    if not NAME_RE.match(name):
        raise ApiError(400, "project name is not in lower case or contains "
                       "illegal characters")
    with STATE.lock:
        if STATE.project_by_name(name) is not None:
            raise ApiError(409, "The project named %s already exists" % name)
        p = new_project(name, user, registry_id=reg_id, storage_limit=storage,
                        metadata=md)
        if reg_id is not None:
            p["metadata"]["retention_id"] = str(STATE.next_id("retention"))
    if (req.headers.get("X-Resource-Name-In-Location") or "").lower() == "true":
        loc = "%s/%s" % (P, name)
    else:
        loc = "%s/%d" % (P, p["project_id"])
    return Response(201, None, {"Location": loc})


PNAME = P + r"/(?P<ref>[^/]+)"


@route("GET", PNAME, auth="optional")
def get_project(req, ref):
    p = find(ref, req.headers)
    require(p, req.user)
    return Response(200, render(p, req.user))


@route("PUT", PNAME, auth="user")
def update_project(req, ref):
    p = find(ref, req.headers)
    require(p, req.user, admin=True)
    body = req.json_object()
    if body.get("retention_days") is not None:
        raise ApiError(400, "retention_days is only supported when creating "
                       "a proxy cache project")
    md = body.get("metadata")
    new_md = None
    if md is not None:
        md = _clean_meta(md)
        if not p.get("registry_id"):
            for k in PROXY_ONLY_META:
                md.pop(k, None)
        else:
            md.pop("enable_content_trust", None)
        if "public" in md and md["public"] not in ("true", "false"):
            raise ApiError(400, "metadata.public should only be 'true' or "
                           "'false', but got: '%s'" % md["public"])
        if "retention_id" in md and \
                md["retention_id"] != p["metadata"].get("retention_id"):
            raise ApiError(400, "the retention_id in the request's payload "
                           "when updating a project should be omitted, "
                           "alternatively passing the one that has already "
                           "been associated to this project")
        new_md = dict(p["metadata"])
        new_md.update(md)
    with STATE.lock:
        if new_md is not None:
            p["metadata"] = new_md
        if isinstance(body.get("cve_allowlist"), dict):
            cl = dict(p.get("cve_allowlist") or {})
            items = body["cve_allowlist"].get("items")
            if isinstance(items, list):
                cl["items"] = items
            if "expires_at" in body["cve_allowlist"]:
                cl["expires_at"] = body["cve_allowlist"]["expires_at"]
            p["cve_allowlist"] = cl
        p["update_time"] = now_iso()
    return Response(200)


def _deletable(p):
    if repo_count(p["name"]) > 0:
        return {"deletable": False,
                "message": "the project contains repositories, can not be "
                           "deleted"}
    return {"deletable": True}


@route("DELETE", PNAME, auth="user")
def delete_project(req, ref):
    p = find(ref, req.headers)
    require(p, req.user, admin=True)
    d = _deletable(p)
    if not d["deletable"]:
        raise ApiError(412, "precondition failed: " + d["message"])
    with STATE.lock:
        STATE.projects.pop(p["project_id"], None)
    return Response(200)


@route("GET", PNAME + "/_deletable", auth="user")
def project_deletable(req, ref):
    p = find(ref, req.headers)
    require(p, req.user, admin=True)
    return Response(200, _deletable(p))


@route("GET", PNAME + "/summary", auth="optional")
def project_summary(req, ref):
    from .registries import render as render_registry
    p = find(ref, req.headers)
    require(p, req.user)
    s = {"repo_count": repo_count(p["name"])}
    if req.user is not None and can_read(p, req.user):
        s["quota"] = {"hard": {"storage": p.get("_storage_limit", -1)},
                      "used": {"storage": storage_used(p["name"])}}
        if role_of(p, req.user) or req.user.get("sysadmin_flag"):
            s["project_admin_count"] = sum(
                1 for r in (p.get("_members") or {}).values()
                if r == ROLE_PROJECT_ADMIN)
    if p.get("registry_id"):
        with STATE.lock:
            reg = STATE.registries.get(p["registry_id"])
        if reg is not None:
            s["registry"] = render_registry(reg)
    return Response(200, omitempty(s, keep=("repo_count",)))


@route("GET", PNAME + "/metadatas/?", auth="optional")
def get_metadatas(req, ref):
    p = find(ref, req.headers)
    require(p, req.user)
    return Response(200, dict(p.get("metadata") or {}))


def _validate_meta_values(md):
    for k, v in md.items():
        if k in BOOL_META and v not in ("true", "false"):
            raise ApiError(400, "invalid value: %s" % v)


@route("POST", PNAME + "/metadatas/?", auth="user")
def add_metadatas(req, ref):
    p = find(ref, req.headers)
    require(p, req.user, admin=True)
    body = req.json_object()
    md = {}
    for k, v in body.items():
        if k not in KNOWN_META:
            raise ApiError(400, "invalid metadata: %s" % k)
        md[k] = _meta_value(k, v)
    _validate_meta_values(md)
    with STATE.lock:
        p["metadata"].update(md)
    return Response(200)


@route("GET", PNAME + "/metadatas/(?P<meta>[^/]+)", auth="optional")
def get_metadata(req, ref, meta):
    p = find(ref, req.headers)
    require(p, req.user)
    md = p.get("metadata") or {}
    if meta not in md:
        raise ApiError(404, "metadata %s of project %d not found"
                       % (meta, p["project_id"]))
    return Response(200, {meta: md[meta]})


@route("PUT", PNAME + "/metadatas/(?P<meta>[^/]+)", auth="user")
def put_metadata(req, ref, meta):
    p = find(ref, req.headers)
    require(p, req.user, admin=True)
    body = req.json_object()
    if len(body) != 1 or meta not in body:
        raise ApiError(400, "only allowed to update the metadata %s" % meta)
    v = _meta_value(meta, body[meta])
    _validate_meta_values({meta: v})
    with STATE.lock:
        p["metadata"][meta] = v
    return Response(200)


@route("DELETE", PNAME + "/metadatas/(?P<meta>[^/]+)", auth="user")
def delete_metadata(req, ref, meta):
    p = find(ref, req.headers)
    require(p, req.user, admin=True)
    with STATE.lock:
        p["metadata"].pop(meta, None)
    return Response(200)
