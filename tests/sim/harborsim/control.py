"""Control endpoint /_sim/ (no auth, not under /api): faults, request
counts, bulk seeding, runtime configuration."""

import time

from . import app
from .app import ApiError, Response, route
from .state import STATE, now_iso

C = "/_sim"


@route("POST", C + "/faults", auth="none")
def add_fault(req):
    spec = req.json_object()
    try:
        f = app.add_fault(spec)
    except (TypeError, ValueError) as e:
        raise ApiError(400, "bad fault: %s" % e)
    return Response(201, {"path_regex": f["rx"].pattern, "method": f["method"],
                          "count": f["count"], "action": f["action"]})


@route("GET", C + "/faults", auth="none")
def list_faults(req):
    with app.FAULT_LOCK:
        out = [{"path_regex": f["rx"].pattern, "method": f["method"],
                "count": f["count"], "action": f["action"],
                "status": f["status"], "delay_ms": f["delay_ms"]}
               for f in app.FAULTS]
    return Response(200, out)


@route("DELETE", C + "/faults", auth="none")
def clear_faults(req):
    app.clear_faults()
    return Response(200, {})


@route("GET", C + "/requests", auth="none")
def get_counts(req):
    with app.COUNT_LOCK:
        counts = dict(app.COUNTS)
    return Response(200, {"counts": counts})


@route("DELETE", C + "/requests", auth="none")
def reset_counts(req):
    with app.COUNT_LOCK:
        app.COUNTS.clear()
    return Response(200, {})


@route("POST", C + "/config", auth="none")
def set_config(req):
    body = req.json_object()
    if "status_lag_s" in body:
        STATE.status_lag_s = float(body["status_lag_s"])
    if "latency_ms" in body:
        STATE.latency_ms = int(body["latency_ms"])
    if "registry_health_interval_s" in body:
        STATE.registry_health_interval_s = float(
            body["registry_health_interval_s"])
    return Response(200, {"status_lag_s": STATE.status_lag_s,
                          "latency_ms": STATE.latency_ms,
                          "registry_health_interval_s":
                              STATE.registry_health_interval_s})


@route("POST", C + "/registry-health", auth="none")
def refresh_health(req):
    """Run Harbor's periodic registry health check now."""
    from . import registries
    registries.refresh_status(only_unseeded=True)
    return Response(200, {})


def seed(projects=0, registries=0, execution_tasks=0):
    """Bulk-create data by building dicts directly (fast)."""
    from . import projects as proj_mod
    from . import registries as reg_mod
    from . import policies as pol_mod
    out = {"projects": [], "registries": [], "execution_id": None,
           "policy_id": None}
    now = now_iso()
    admin = STATE.users["admin"]
    with STATE.lock:
        base = STATE.next_id("seed")
        for i in range(int(registries)):
            rid = STATE.next_id("registry")
            STATE.registries[rid] = {
                "id": rid, "name": "seed-%d-registry-%05d" % (base, i),
                "url": "https://seed-%d-%05d.invalid" % (base, i),
                "type": "docker-registry",
                "credential": {"type": "basic", "access_key": "user%d" % i,
                               "access_secret": "secret%d" % i},
                "insecure": False, "description": "", "status": "healthy",
                "creation_time": now, "update_time": now, "_seeded": True,
            }
            out["registries"].append(rid)
        for i in range(int(projects)):
            pid = STATE.next_id("project")
            STATE.projects[pid] = {
                "project_id": pid, "owner_id": admin["user_id"],
                "owner_name": admin["username"],
                "name": "seed-%d-project-%05d" % (base, i),
                "registry_id": 0, "creation_time": now, "update_time": now,
                "metadata": {"public": "true" if i % 2 else "false"},
                "cve_allowlist": {"id": pid, "project_id": pid, "items": [],
                                  "creation_time": pol_mod.ZERO_TIME,
                                  "update_time": pol_mod.ZERO_TIME},
                "_storage_limit": -1,
                "_members": {admin["user_id"]: proj_mod.ROLE_PROJECT_ADMIN},
            }
            out["projects"].append(pid)
    if execution_tasks:
        try:
            from . import replication
        except ImportError:
            raise ApiError(501, "replication module not available")
        with STATE.lock:
            rid = out["registries"][0] if out["registries"] else None
            if rid is None:
                r = reg_mod.new_registry(
                    "seed-%d-exec-registry" % base,
                    "https://seed-%d-exec.invalid" % base)
                r["_seeded"] = True
                rid = r["id"]
            pid = STATE.next_id("policy")
            STATE.policies[pid] = {
                "id": pid, "name": "seed-%d-policy" % base,
                "description": "", "src_registry": {"id": rid},
                "dest_registry": {"id": 0}, "dest_namespace": "seed",
                "dest_namespace_replace_count": -1, "trigger": {"type": "manual"},
                "filters": [], "replicate_deletion": False, "deletion": False,
                "override": True, "enabled": True, "speed": 0,
                "copy_by_chunk": False, "creation_time": now,
                "update_time": now, "_creator": "admin",
            }
        out["policy_id"] = pid
        out["execution_id"] = replication.seed_execution(pid,
                                                         int(execution_tasks))
    return out


@route("POST", C + "/seed", auth="none")
def seed_route(req):
    body = req.json_object()
    t0 = time.time()
    out = seed(projects=body.get("projects", 0),
               registries=body.get("registries", 0),
               execution_tasks=body.get("execution_tasks", 0))
    res = {"projects": len(out["projects"]),
           "registries": len(out["registries"]),
           "policy_id": out["policy_id"], "execution_id": out["execution_id"],
           "seconds": round(time.time() - t0, 3)}
    if out["projects"]:
        res["first_project_id"] = out["projects"][0]
    if out["registries"]:
        res["first_registry_id"] = out["registries"][0]
    return Response(201, res)


@route("GET", C + "/state", auth="none")
def summary(req):
    with STATE.lock:
        return Response(200, {"projects": len(STATE.projects),
                              "registries": len(STATE.registries),
                              "policies": len(STATE.policies),
                              "executions": len(STATE.executions),
                              "tasks": len(STATE.tasks)})


@route("POST", C + "/images", auth="none")
def put_image(req):
    """Store a tiny single-layer OCI image in the simulator's own registry
    storage: {"repository": "project/name", "tag": "latest", "content": "x"}.
    The project must exist (as Harbor needs it for a push)."""
    import json
    from . import store
    body = req.json_object()
    repo = body.get("repository") or ""
    tag = body.get("tag") or "latest"
    if "/" not in repo:
        raise ApiError(400, "repository must be project/name")
    if STATE.project_by_name(repo.split("/", 1)[0]) is None:
        raise ApiError(404, "project %s not found" % repo.split("/", 1)[0])
    layer = (body.get("content") or repo).encode()
    cfg = json.dumps({"architecture": "amd64", "os": "linux",
                      "rootfs": {"type": "layers", "diff_ids": []},
                      "config": {}}, sort_keys=True).encode()
    ld = store.put_blob(layer)
    cd = store.put_blob(cfg)
    mt = "application/vnd.oci.image.manifest.v1+json"
    man = json.dumps({
        "schemaVersion": 2, "mediaType": mt,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": cd, "size": len(cfg)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": ld, "size": len(layer)}],
    }, sort_keys=True).encode()
    d = store.put_manifest(repo, man, mt, tag=tag)
    return Response(201, {"repository": repo, "tag": tag, "digest": d})
