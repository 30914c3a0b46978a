"""Replication executions, tasks, logs and the worker that really copies.

Modelled on Harbor's replication controller, copy flow and image transfer:
- POST /replication/executions {"policy_id": N}: 404 for an unknown policy,
  412 "the policy N is disabled"; else 201 with Location.  A worker thread
  then fetches the resources from the source registry (literal names when
  the name filter is a specific path, the catalog otherwise), applies the
  name and tag filters (doublestar), maps names onto the destination
  namespace (dest_namespace_replace_count: -1 = namespace/last component,
  N = drop the first N components), creates missing destination projects,
  skips repositories whose destination project is a proxy cache, and runs
  one task per repository, a few at a time.
- Execution status is derived from the task counts; the final status shows
  only STATE.status_lag_s seconds after the last task ended (Harbor refreshes
  it asynchronously), while the counts are always live.
Only pull replication (source = remote registry, destination = this Harbor)
is modelled.
"""

import queue
import re
import secrets
import threading
import time

from . import store
from .app import API, ApiError, Response, paginate, route
from .state import STATE, now_iso, public

ZERO_TIME = "0001-01-01T00:00:00.000Z"
WORKERS_PER_EXECUTION = 3
BLOB_DELAY_S = 0.0     # /_sim/replication {"blob_delay_ms": N}: slow copies
TRANSFER = "/controller/replication/transfer/image/transfer.go"
EXEC_PATH = API + "/replication/executions"


class Stopped(Exception):
    pass


class TaskFailed(Exception):
    pass


# ------------------------------------------------------------ filters

def _component_re(c):
    out = []
    i = 0
    depth = 0
    while i < len(c):
        ch = c[i]
        if ch == "\\" and i + 1 < len(c):
            out.append(re.escape(c[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = c.find("]", i + 1)
            if j < 0:
                raise ValueError("syntax error in pattern")
            body = c[i + 1:j]
            if body[:1] in ("^", "!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j + 1
            continue
        elif ch == "{":
            depth += 1
            out.append("(?:")
        elif ch == "}" and depth:
            depth -= 1
            out.append(")")
        elif ch == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    if depth:
        raise ValueError("syntax error in pattern")
    return "".join(out)


def glob_to_regex(pattern):
    """doublestar (v1) pattern -> regex: `**` as a whole path component
    matches zero or more components; `*` and `?` stay inside a component;
    `[...]` classes; `{a,b}` alternatives."""
    comps = pattern.split("/")
    out = ""
    need_sep = False
    for i, c in enumerate(comps):
        last = i == len(comps) - 1
        if c == "**":
            if last:
                out += "(?:/.*)?" if need_sep else ".*"
            else:
                out += ("/" if need_sep else "") + "(?:.*/)?"
            need_sep = False
        else:
            out += ("/" if need_sep else "") + _component_re(c)
            need_sep = True
    return out


def match(pattern, s):
    """Harbor's util.Match: an empty pattern matches everything."""
    if not pattern:
        return True
    return re.fullmatch(glob_to_regex(pattern), s) is not None


def specific_paths(pattern):
    """Harbor's util.IsSpecificPath: list of names, or None."""
    if not pattern:
        return None
    result = []
    for comp in pattern.split("/"):
        strs = _specific_component(comp)
        if strs is None:
            return None
        if not result:
            result = strs
        else:
            result = [a + "/" + b for a in result for b in strs]
    return result


def _specific_component(c):
    if not c or any(ch in c for ch in "*?[\\]^"):
        return None
    if not any(ch in c for ch in "{},"):
        return [c]
    if c.count("{") > 1:
        return None
    i, j = c.find("{"), c.rfind("}")
    if i < 0 or j < 0 or i > j:
        return None
    return [c[:i] + s + c[j + 1:] for s in c[i + 1:j].split(",")]


def _filters(policy):
    name_pat, tag_filters, label_filters = "", [], []
    for f in policy.get("filters") or []:
        t = f.get("type")
        if t == "name" and not name_pat:
            name_pat = f.get("value") or ""
        elif t == "tag":
            tag_filters.append((f.get("value") or "", f.get("decoration") or "matches"))
        elif t == "label":
            label_filters.append((f.get("value") or [], f.get("decoration") or "matches"))
    return name_pat, tag_filters, label_filters


def filter_tags(tags, tag_filters, label_filters):
    out = list(tags)
    for pat, deco in tag_filters:
        if not pat:
            continue
        out = [t for t in out if match(pat, t) != (deco == "excludes")]
    for labels, deco in label_filters:
        if labels:  # the sources carry no labels
            out = out if deco == "excludes" else []
    return out


def replace_namespace(repo, namespace, count):
    """Harbor's replaceNamespace for a destination that needs >= 2 parts."""
    if not namespace:
        return repo
    comps = repo.split("/")
    n = len(comps)
    if count is None or count < 0:
        prefix = namespace
    elif count > n - 1:
        raise ApiError(400, "the source repository \"%s\" contains only %d path components "
                       "[%s] excepting the last one, but the destination namespace "
                       "flattening level is %d" % (repo, n - 1, " ".join(comps[:-1]), count))
    else:
        prefix = "/".join([namespace] + comps[count:n - 1])
    dst = prefix + "/" + comps[-1]
    parts = dst.split("/")
    if len(parts) < 2:
        raise ApiError(400, "the destination repository \"%s\" contains only %d path "
                       "components [%s], but the destination registry requires at "
                       "least 2" % (dst, len(parts), " ".join(parts)))
    return dst


# ------------------------------------------------------------ rendering

def _task_counts(ex):
    c = {"total": 0, "failed": 0, "succeed": 0, "in_progress": 0, "stopped": 0}
    for tid in ex["_task_ids"]:
        st = STATE.tasks[tid]["status"]
        c["total"] += 1
        if st == "Succeed":
            c["succeed"] += 1
        elif st == "Failed":
            c["failed"] += 1
        elif st == "Stopped":
            c["stopped"] += 1
        else:
            c["in_progress"] += 1
    return c


def _status(ex, counts=None):
    """(status, end_time, status_text) as Harbor would show them now."""
    with STATE.lock:
        if ex.get("_final_at") is None:
            return "InProgress", ZERO_TIME, ex.get("status_text", "")
        if time.time() < ex["_final_at"] + (STATE.status_lag_s or 0):
            return "InProgress", ZERO_TIME, ""
        st = ex.get("_final_status")
        if st is None:
            c = counts or _task_counts(ex)
            if c["stopped"]:
                st = "Stopped"
            elif c["failed"]:
                st = "Failed"
            else:
                st = "Succeed"
        return st, ex.get("_end_time") or ZERO_TIME, ex.get("status_text", "")


def render_execution(ex):
    with STATE.lock:
        c = _task_counts(ex)
        st, end, text = _status(ex, c)
        d = {"id": ex["id"], "policy_id": ex["policy_id"], "status": st,
             "trigger": ex["trigger"], "start_time": ex["start_time"],
             "end_time": end, "status_text": text}
        d.update(c)
        return d


def render_task(t):
    return public(t)


def policy_in_use_running(policy_id):
    with STATE.lock:
        exs = [e for e in STATE.executions.values() if e["policy_id"] == int(policy_id)]
    return any(_status(e)[0] == "InProgress" for e in exs)


# ------------------------------------------------------------- logging

def _log(task, level, line, msg):
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with STATE.lock:
        task["_log"].append("%s [%s] [%s:%d]: %s" % (ts, level, TRANSFER, line, msg))


# -------------------------------------------------------------- worker

def _new_execution(policy_id, trigger="manual"):
    with STATE.lock:
        eid = STATE.next_id("execution")
        ex = {"id": eid, "policy_id": policy_id, "trigger": trigger,
              "start_time": now_iso(), "status_text": "", "_task_ids": [],
              "_final_at": None, "_final_status": None, "_end_time": None,
              "_stop": threading.Event()}
        STATE.executions[eid] = ex
        return ex


def _finish(ex, status=None, text=None):
    with STATE.lock:
        if ex["_final_at"] is not None:
            return
        if status:
            ex["_final_status"] = status
        if text is not None:
            ex["status_text"] = text
        ex["_end_time"] = now_iso()
        ex["_final_at"] = time.time()


def _new_task(ex, src, dst, ntags):
    with STATE.lock:
        tid = STATE.next_id("task")
        t = {"id": tid, "execution_id": ex["id"], "status": "Pending",
             "job_id": secrets.token_hex(12), "operation": "copy",
             "resource_type": "image",
             "src_resource": "%s [%d item(s) in total]" % (src, ntags),
             "dst_resource": "%s [%d item(s) in total]" % (dst, ntags),
             "start_time": ZERO_TIME, "end_time": ZERO_TIME, "_log": []}
        STATE.tasks[tid] = t
        ex["_task_ids"].append(tid)
        return t


def _registry(ref):
    if not isinstance(ref, dict) or not ref.get("id"):
        return None
    with STATE.lock:
        r = STATE.registries.get(int(ref["id"]))
        return dict(r) if r else None


def _fetch_resources(client, policy):
    """[(repo, [tags])] from the source, filtered as Harbor's native adapter."""
    import concurrent.futures
    name_pat, tag_filters, label_filters = _filters(policy)
    names = specific_paths(name_pat)
    if names is None:
        names = client.catalog()
    names = [n for n in names if match(name_pat, n)]

    def one(n):
        try:
            tags = client.tags(n)
        except Exception as e:  # noqa: BLE001
            raise RuntimeError("failed to fetch artifacts: failed to list artifacts of "
                               "repository %s: %s" % (n, _reason(e)))
        return n, filter_tags(sorted(tags or []), tag_filters, label_filters)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        res = list(pool.map(one, names))
    return [(n, tags) for n, tags in res if tags]


def _reason(e):
    return getattr(e, "message", None) or str(e) or e.__class__.__name__


def _ensure_project(name):
    """Create a missing destination project (private, owned by admin) as
    Harbor's adapter does in PrepareForPush; returns the project dict."""
    from . import projects
    with STATE.lock:
        p = STATE.project_by_name(name)
        if p is None:
            p = projects.new_project(name, STATE.users["admin"])
        return p


def _run_execution(ex, policy):
    import ocilib
    from . import ping
    try:
        src = _registry(policy.get("src_registry"))
        if src is None:
            raise RuntimeError("the Harbor simulator models pull replication only "
                               "(source must be a registry endpoint)")
        client = ping.client_for(src)
        try:
            resources = _fetch_resources(client, policy)
        except RuntimeError as e:
            raise RuntimeError("failed to fetch artifacts: %s" % e)
        except ocilib.RegistryError as e:
            raise RuntimeError("failed to fetch artifacts: %s" % _reason(e))
        except Exception as e:  # noqa: BLE001 - connection errors
            raise RuntimeError("failed to fetch artifacts: %s" % _reason(e))
        if ex["_stop"].is_set():
            _finish(ex, "Stopped")
            return
        if not resources:
            _finish(ex, "Succeed", "no resources need to be replicated")
            return
        ns = policy.get("dest_namespace") or ""
        cnt = policy.get("dest_namespace_replace_count")
        if cnt is None:
            cnt = -1
        plan = []
        for repo, tags in resources:
            try:
                dst = replace_namespace(repo, ns, int(cnt))
            except ApiError as e:
                raise RuntimeError(e.message)
            plan.append((repo, dst, tags))
        proxies = set()
        for pname in sorted({d.split("/", 1)[0] for _, d, _ in plan}):
            p = _ensure_project(pname)
            if p.get("registry_id"):
                proxies.add(pname)
        tasks = []
        for repo, dst, tags in plan:
            if dst.split("/", 1)[0] in proxies:
                continue
            tasks.append((_new_task(ex, repo, dst, len(tags)), repo, dst, tags))
        if not tasks:
            _finish(ex, "Succeed", "no resources need to be replicated")
            return
        q = queue.Queue()
        for t in tasks:
            q.put(t)

        def worker():
            c = ping.client_for(src)
            while True:
                try:
                    t = q.get_nowait()
                except queue.Empty:
                    return
                _run_task(ex, t, c, src, bool(policy.get("override")), int(policy.get("speed") or 0))

        ths = [threading.Thread(target=worker, daemon=True)
               for _ in range(min(WORKERS_PER_EXECUTION, len(tasks)))]
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        _finish(ex)
    except Exception as e:  # noqa: BLE001 - Harbor's markError
        with STATE.lock:
            for tid in ex["_task_ids"]:
                t = STATE.tasks[tid]
                if t["status"] in ("Pending", "InProgress"):
                    t["status"] = "Stopped"
                    t["end_time"] = now_iso()
        _finish(ex, "Failed", _reason(e))


def _set_task(t, **kw):
    with STATE.lock:
        t.update(kw)


def _run_task(ex, item, client, src_reg, override, speed):
    t, src_repo, dst_repo, tags = item
    if ex["_stop"].is_set():
        _set_task(t, status="Stopped", end_time=now_iso())
        return
    _set_task(t, status="InProgress", start_time=now_iso())
    _log(t, "INFO", 140, "client for source registry [type: %s, URL: %s, insecure: %s] created"
         % (src_reg.get("type", "docker-registry"), src_reg.get("url"),
            "true" if src_reg.get("insecure") else "false"))
    _log(t, "INFO", 150, "client for destination registry [type: harbor, URL: %s, insecure: true] created"
         % "http://core:8080")
    joined = ",".join(tags)
    _log(t, "INFO", 183, "copying %s:[%s](source registry) to %s:[%s](destination registry)..."
         % (src_repo, joined, dst_repo, joined))
    if speed > 0:
        _log(t, "INFO", 186, "limit network speed at %d kb/s" % speed)
    failed = False
    try:
        for tag in tags:
            try:
                _copy_artifact(ex, t, client, src_repo, tag, dst_repo, tag, override)
            except TaskFailed as e:
                _log(t, "ERROR", 195, str(e))
                failed = True
    except Stopped:
        _set_task(t, status="Stopped", end_time=now_iso())
        return
    if failed:
        _log(t, "ERROR", 200, "got error during the whole transfer period, mark the job failure")
        _set_task(t, status="Failed", end_time=now_iso())
        return
    _log(t, "INFO", 205, "copy %s:[%s](source registry) to %s:[%s](destination registry) completed"
         % (src_repo, joined, dst_repo, joined))
    _set_task(t, status="Succeed", end_time=now_iso())


def _check_stop(ex, t):
    if ex["_stop"].is_set():
        _log(t, "INFO", 175, "the job is stopped")
        raise Stopped()


def _copy_artifact(ex, t, client, src_repo, src_ref, dst_repo, dst_ref, override):
    _check_stop(ex, t)
    _log(t, "INFO", 211, "copying %s:%s(source registry) to %s:%s(destination registry)..."
         % (src_repo, src_ref, dst_repo, dst_ref))
    _log(t, "INFO", 465, "pulling the manifest of artifact %s:%s ..." % (src_repo, src_ref))
    try:
        body, mt, digest = client.get_manifest(src_repo, src_ref)
    except Exception as e:  # noqa: BLE001
        msg = "failed to pull the manifest of artifact %s:%s: %s" % (src_repo, src_ref, _reason(e))
        _log(t, "ERROR", 468, msg)
        raise TaskFailed(msg)
    _log(t, "INFO", 471, "the manifest of artifact %s:%s pulled" % (src_repo, src_ref))
    have = store.resolve(dst_repo, dst_ref)
    if have is not None:
        if have == digest:
            _log(t, "INFO", 227, "the artifact %s:%s already exists on the destination "
                 "registry, skip" % (dst_repo, dst_ref))
            return
        if not override:
            _log(t, "WARNING", 233, "the same name artifact %s:%s exists on the destination "
                 "registry, but the \"override\" is set to false, skip" % (dst_repo, dst_ref))
            return
        _log(t, "WARNING", 238, "the same name artifact %s:%s exists on the destination "
             "registry and the \"override\" is set to true, continue..." % (dst_repo, dst_ref))
    children, blobs = store.manifest_refs(body, mt)
    for c in children:
        _copy_artifact(ex, t, client, src_repo, c["digest"], dst_repo, c["digest"], True)
    for b in blobs:
        _copy_blob(ex, t, client, src_repo, b["digest"])
    _check_stop(ex, t)
    _log(t, "INFO", 494, "pushing the manifest of artifact %s:%s ..." % (dst_repo, dst_ref))
    tag = None if dst_ref.startswith("sha256:") else dst_ref
    store.put_manifest(dst_repo, body, mt, tag=tag)
    _log(t, "INFO", 506, "the manifest of artifact %s:%s pushed" % (dst_repo, dst_ref))
    _log(t, "INFO", 254, "copy %s:%s(source registry) to %s:%s(destination registry) completed"
         % (src_repo, src_ref, dst_repo, dst_ref))


def _copy_blob(ex, t, client, src_repo, digest):
    _check_stop(ex, t)
    if BLOB_DELAY_S > 0:
        ex["_stop"].wait(BLOB_DELAY_S)
        _check_stop(ex, t)
    _log(t, "INFO", 290, "copying the blob %s(the 1th running)..." % digest)
    if store.has_blob(digest):
        _log(t, "INFO", 340, "the blob %s already exists on the destination registry, skip"
             % digest)
    else:
        try:
            data = client.get_blob(src_repo, digest)
            store.put_blob(data, digest)
        except Exception as e:  # noqa: BLE001
            msg = "failed to pulling the blob %s: %s" % (digest, _reason(e))
            _log(t, "ERROR", 380, msg)
            raise TaskFailed(msg)
    _log(t, "INFO", 292, "copy the blob %s completed" % digest)


# --------------------------------------------------------------- API

def _get_execution(eid):
    with STATE.lock:
        ex = STATE.executions.get(int(eid))
    if ex is None:
        raise ApiError(404, "replication execution %s not found" % int(eid))
    return ex


def _int(v, name):
    try:
        return int(v)
    except (TypeError, ValueError):
        raise ApiError(422, "%s in query must be of type int64: \"%s\"" % (name, v))


def _sort(req, items, default, keys):
    """Harbor's sort=[-]field[,...]; unknown fields are ignored as Harbor's
    orm does (only sortable keys apply); default when none applies."""
    fields = [f.strip() for f in (req.query.get("sort") or "").split(",") if f.strip()]
    fields = [f for f in fields if f.lstrip("-") in keys] or default
    for f in reversed(fields):
        items.sort(key=keys[f.lstrip("-")], reverse=f.startswith("-"))
    return items


@route("POST", EXEC_PATH, auth="admin")
def start_replication(req):
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("policy_id"), int) \
            or isinstance(body.get("policy_id"), bool):
        raise ApiError(400, "parsing request body failed: policy_id must be an integer")
    pid = body["policy_id"]
    with STATE.lock:
        pol = STATE.policies.get(pid)
        if pol is None:
            raise ApiError(404, "replication policy %d not found" % pid)
        if not pol.get("enabled"):
            raise ApiError(412, "the policy %d is disabled" % pid)
        policy = dict(pol)
    trigger = "scheduled" if req.query.get("trigger") == "scheduled" else "manual"
    ex = _new_execution(pid, trigger)
    threading.Thread(target=_run_execution, args=(ex, policy), daemon=True).start()
    return Response(201, None, {"Location": "%s/%d" % (req.raw_path.rstrip("/"), ex["id"])})


@route("GET", EXEC_PATH, auth="admin")
def list_executions(req):
    pid = req.query.get("policy_id")
    status = req.query.get("status")
    trigger = req.query.get("trigger")
    with STATE.lock:
        exs = list(STATE.executions.values())
        if pid not in (None, ""):
            pid = _int(pid, "policy_id")
            exs = [e for e in exs if e["policy_id"] == pid]
        if trigger:
            exs = [e for e in exs if e["trigger"] == trigger]
        if status:
            exs = [e for e in exs if _status(e)[0] == status]
        # Harbor has no default order for executions; newest first here
        _sort(req, exs, ["-id"], {
            "id": lambda e: e["id"], "start_time": lambda e: e["start_time"],
            "end_time": lambda e: e.get("_end_time") or ZERO_TIME,
            "status": lambda e: _status(e)[0]})
    return paginate(req, exs, render_execution)


@route("GET", EXEC_PATH + r"/(?P<eid>[0-9]+)", auth="admin")
def get_execution(req, eid):
    return Response(200, render_execution(_get_execution(eid)))


@route("PUT", EXEC_PATH + r"/(?P<eid>[0-9]+)", auth="admin")
def stop_execution(req, eid):
    ex = _get_execution(eid)
    ex["_stop"].set()
    with STATE.lock:
        if ex["_final_at"] is None:
            for tid in ex["_task_ids"]:
                t = STATE.tasks[tid]
                if t["status"] == "Pending":
                    t["status"] = "Stopped"
                    t["end_time"] = now_iso()
            if not ex["_task_ids"]:
                _finish(ex, "Stopped")
    return Response(200)


@route("GET", EXEC_PATH + r"/(?P<eid>[0-9]+)/tasks", auth="admin")
def list_tasks(req, eid):
    ex = _get_execution(eid)
    status = req.query.get("status")
    rtype = req.query.get("resource_type")
    with STATE.lock:
        ts = [STATE.tasks[t] for t in ex["_task_ids"]]
    if status:
        ts = [t for t in ts if t["status"] == status]
    if rtype:
        ts = [t for t in ts if t["resource_type"] == rtype]
    # Harbor's default for tasks: start_time desc, id desc
    _sort(req, ts, ["-start_time", "-id"], {
        "id": lambda t: t["id"], "start_time": lambda t: t["start_time"],
        "end_time": lambda t: t["end_time"], "status": lambda t: t["status"]})
    return paginate(req, ts, render_task)


@route("GET", EXEC_PATH + r"/(?P<eid>[0-9]+)/tasks/(?P<tid>[0-9]+)/log", auth="admin")
def task_log(req, eid, tid):
    ex = _get_execution(eid)
    with STATE.lock:
        t = STATE.tasks.get(int(tid))
        if t is None:
            raise ApiError(404, "replication task %d not found" % int(tid))
        if t["execution_id"] != ex["id"]:
            raise ApiError(404, "execution %d contains no task with ID %d" % (ex["id"], int(tid)))
        text = "".join(line + "\n" for line in t["_log"])
    return Response(200, text.encode(), content_type="text/plain")


@route("POST", "/_sim/replication", auth="none")
def sim_replication_config(req):
    """Control: {"blob_delay_ms": N} slows every blob copy (stop tests)."""
    global BLOB_DELAY_S
    body = req.json_object()
    if "blob_delay_ms" in body:
        BLOB_DELAY_S = max(0, int(body["blob_delay_ms"])) / 1000.0
    return Response(200, {"blob_delay_ms": int(BLOB_DELAY_S * 1000)})


# ------------------------------------------------------------- seeding

def seed_execution(policy_id, ntasks):
    """A finished execution with ntasks succeeded tasks (benchmarks)."""
    ex = _new_execution(int(policy_id))
    t0 = now_iso()
    with STATE.lock:
        for i in range(int(ntasks)):
            tid = STATE.next_id("task")
            name = "berth-test.dev/bulk-%05d" % i
            STATE.tasks[tid] = {
                "id": tid, "execution_id": ex["id"], "status": "Succeed",
                "job_id": "%024x" % tid, "operation": "copy", "resource_type": "image",
                "src_resource": "%s [1 item(s) in total]" % name,
                "dst_resource": "cgr-mirror/bulk-%05d [1 item(s) in total]" % i,
                "start_time": t0, "end_time": t0,
                "_log": ["%s [INFO] [%s:205]: copy %s:[latest](source registry) to "
                         "cgr-mirror/bulk-%05d:[latest](destination registry) completed"
                         % (t0[:19] + "Z", TRANSFER, name, i)]}
            ex["_task_ids"].append(tid)
        ex["_end_time"] = t0
        ex["_final_at"] = time.time() - 3600
    return ex["id"]
