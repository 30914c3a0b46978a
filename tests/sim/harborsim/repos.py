"""/projects/{project_name}/repositories... and artifacts over the store.

The repository path parameter is double-encoded by clients (a/b -> a%252Fb);
the router decodes once, so a name that still holds a "/" after that was
encoded only once and, as in Harbor, matches no route (404).  The second
decode happens here.
"""

import urllib.parse

from . import store
from .app import API, ApiError, Response, paginate, route

ZERO_TIME = "0001-01-01T00:00:00.000Z"
P = API + r"/projects/(?P<project_name>[^/]+)/repositories"
R = P + r"/(?P<repository_name>[^/]+)"


def project_for_read(req, project_name):
    from . import projects
    p = projects.find(project_name, {"X-Is-Resource-Name": "true"})
    projects.require(p, req.user)
    return p


def project_for_write(req, project_name):
    from . import projects
    p = projects.find(project_name, {"X-Is-Resource-Name": "true"})
    projects.require(p, req.user, admin=True)
    return p


def repo_param(project_name, repository_name):
    if "/" in repository_name:
        # encoded once only: Harbor's router sees extra path segments
        raise ApiError(404, "path was not found")
    return project_name + "/" + urllib.parse.unquote(repository_name)


def _parse_q(req):
    """Harbor's q: k=v,k2=~v2 ... -> {k: v} (values keep ~, {}, ())."""
    out = {}
    q = req.query.get("q") or ""
    for part in q.split(","):
        if not part.strip():
            continue
        k, sep, v = part.partition("=")
        if not sep:
            raise ApiError(400, "invalid query string: %s" % part)
        out[k.strip()] = v.strip()
    return out


def _match(v, want):
    if want.startswith("~"):
        return want[1:] in v
    return v == want


def _sorted(items, req, default, keys):
    s = req.query.get("sort") or default
    for f in reversed([x.strip() for x in s.split(",") if x.strip()]):
        desc = f.startswith("-")
        k = f.lstrip("-")
        if k not in keys:
            raise ApiError(400, "the sort field %s is not supported" % k)
        items.sort(key=keys[k], reverse=desc)
    return items


# ---------------------------------------------------------- repositories

def repo_json(p, rec):
    return {
        "id": rec["id"], "project_id": p.get("project_id"), "name": rec["name"],
        "description": "", "artifact_count": len(store.top_artifacts(rec)),
        "pull_count": rec["pull_count"], "creation_time": rec["creation_time"],
        "update_time": rec["update_time"],
    }


@route("GET", P, auth="optional")
def list_repositories(req, project_name):
    p = project_for_read(req, project_name)
    q = _parse_q(req)
    recs = [store.repo_record(n) for n in store.repo_names(project_name)]
    recs = [r for r in recs if r is not None]
    if "name" in q:
        recs = [r for r in recs if _match(r["name"], q["name"])]
    _sorted(recs, req, "-creation_time,-id", {
        "name": lambda r: r["name"], "id": lambda r: r["id"],
        "creation_time": lambda r: r["creation_time"],
        "update_time": lambda r: r["update_time"],
        "pull_count": lambda r: r["pull_count"]})
    return paginate(req, recs, lambda r: repo_json(p, r))


def _repo(req, project_name, repository_name, write=False):
    p = (project_for_write if write else project_for_read)(req, project_name)
    name = repo_param(project_name, repository_name)
    rec = store.repo_record(name)
    if rec is None:
        raise ApiError(404, "repository %s not found" % name)
    return p, name, rec


@route("GET", R, auth="optional")
def get_repository(req, project_name, repository_name):
    p, _, rec = _repo(req, project_name, repository_name)
    return Response(200, repo_json(p, rec))


@route("DELETE", R, auth="user")
def delete_repository(req, project_name, repository_name):
    _, name, _ = _repo(req, project_name, repository_name, write=True)
    store.delete_repo(name)
    return Response(200)


# ------------------------------------------------------------- artifacts

def tag_json(rec, name, t):
    m = rec["manifests"].get(t["digest"]) or {}
    return {"id": t["id"], "repository_id": rec["id"], "artifact_id": m.get("id"),
            "name": name, "push_time": t["push_time"],
            "pull_time": t["pull_time"] or ZERO_TIME, "immutable": False}


def _tags_of(rec, digest):
    ts = [(n, t) for n, t in rec["tags"].items() if t["digest"] == digest]
    ts.sort(key=lambda x: (x[1]["push_time"], x[1]["id"]), reverse=True)
    return ts


def artifact_json(p, rec, digest, with_tag=True):
    m = rec["manifests"][digest]
    pname, rname = store.split_repo(rec["name"])
    is_index = m["media_type"] in store.INDEX_TYPES
    enc = urllib.parse.quote(urllib.parse.quote(rname, safe=""), safe="")
    base = "%s/projects/%s/repositories/%s/artifacts/%s/additions/" % (
        API, pname, enc, digest)
    refs = None
    if m["children"]:
        refs = []
        for c in m["children"]:
            cm = rec["manifests"].get(c["digest"])
            refs.append({"parent_id": m["id"], "child_id": cm["id"] if cm else 0,
                         "child_digest": c["digest"], "platform": c.get("platform"),
                         "annotations": c.get("annotations"), "urls": None})
    links = {"vulnerabilities": {"absolute": False, "href": base + "vulnerabilities"}}
    if not is_index:
        links["build_history"] = {"absolute": False, "href": base + "build_history"}
    a = {
        "id": m["id"], "type": "IMAGE",
        "media_type": m["media_type"] if is_index else (m["config_media_type"] or m["media_type"]),
        "manifest_media_type": m["media_type"], "artifact_type": m.get("artifact_type") or "",
        "project_id": p.get("project_id"), "repository_id": rec["id"],
        "repository_name": rec["name"], "digest": digest,
        "size": store.artifact_size(rec, digest), "icon": "",
        "push_time": m["push_time"], "pull_time": m["pull_time"] or ZERO_TIME,
        "extra_attrs": m["extra_attrs"] or None, "annotations": m["annotations"] or None,
        "references": refs, "addition_links": links, "labels": None,
        "accessories": None,
    }
    if with_tag:
        ts = _tags_of(rec, digest)
        a["tags"] = [tag_json(rec, n, t) for n, t in ts] or None
    return a


def _bool(req, name, default):
    v = req.query.get(name)
    if v is None or v == "":
        return default
    if v.lower() in ("true", "1"):
        return True
    if v.lower() in ("false", "0"):
        return False
    raise ApiError(422, "%s in query must be of type bool: \"%s\"" % (name, v))


@route("GET", R + r"/artifacts", auth="optional")
def list_artifacts(req, project_name, repository_name):
    p = project_for_read(req, project_name)
    name = repo_param(project_name, repository_name)
    rec = store.repo_record(name)
    if rec is None:
        # Harbor lists nothing for a repository it does not know
        return paginate(req, [])
    with_tag = _bool(req, "with_tag", True)
    q = _parse_q(req)
    ds = store.top_artifacts(rec)
    if "tags" in q:
        v = q["tags"]
        if v == "*":
            ds = [d for d in ds if _tags_of(rec, d)]
        elif v == "nil":
            ds = [d for d in ds if not _tags_of(rec, d)]
        else:
            ds = [d for d in ds if any(_match(n, v) for n, _ in _tags_of(rec, d))]
    if "digest" in q:
        ds = [d for d in ds if _match(d, q["digest"])]
    if "media_type" in q:
        ds = [d for d in ds if _match(rec["manifests"][d]["media_type"], q["media_type"])]
    return paginate(req, ds, lambda d: artifact_json(p, rec, d, with_tag))


def _artifact(req, project_name, repository_name, reference):
    p = project_for_read(req, project_name)
    name = repo_param(project_name, repository_name)
    rec = store.repo_record(name)
    d = None
    if rec is not None:
        if reference.startswith("sha256:"):
            d = reference if reference in rec["manifests"] else None
        elif reference in rec["tags"]:
            d = rec["tags"][reference]["digest"]
    if d is None:
        sep = "@" if reference.startswith("sha256:") else ":"
        raise ApiError(404, "artifact %s%s%s not found" % (name, sep, reference))
    return p, rec, d


@route("GET", R + r"/artifacts/(?P<reference>[^/]+)", auth="optional")
def get_artifact(req, project_name, repository_name, reference):
    p, rec, d = _artifact(req, project_name, repository_name, reference)
    return Response(200, artifact_json(p, rec, d, _bool(req, "with_tag", True)))


@route("GET", R + r"/artifacts/(?P<reference>[^/]+)/tags", auth="optional")
def list_artifact_tags(req, project_name, repository_name, reference):
    _, rec, d = _artifact(req, project_name, repository_name, reference)
    q = _parse_q(req)
    ts = _tags_of(rec, d)
    if "name" in q:
        ts = [x for x in ts if _match(x[0], q["name"])]
    return paginate(req, ts, lambda x: tag_json(rec, x[0], x[1]))
