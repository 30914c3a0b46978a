"""Replication policy endpoints modelled on Harbor's replication handler
and controller: validation (name, registries, filters, namespace, trigger,
6-field cron), PUT replaces the whole policy, speed < 0 stored as 0,
DELETE refused while an execution of the policy is running."""

import re

from .app import API, ApiError, Response, match_q, paginate, parse_q, \
    route, sort_items
from .registries import render as render_registry
from .state import STATE, now_iso, omitempty

P = API + "/replication/policies"

# lib.RepositoryNameRe (used for dest_namespace)
REPO_NAME_RE = re.compile(
    r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")

ZERO_TIME = "0001-01-01T00:00:00.000Z"


def local_registry(host="127.0.0.1"):
    """What Harbor's registry manager returns for id 0."""
    return {
        "id": 0, "name": "Local", "url": "http://harbor-core:8080",
        "type": "harbor", "insecure": True, "status": "healthy",
        "credential": {"type": "secret", "access_secret": "local-secret"},
        "creation_time": ZERO_TIME, "update_time": ZERO_TIME,
    }


# ---------------------------------------------------------------- cron

_MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}
_DOWS = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}
_BOUNDS = [(0, 59, None), (0, 59, None), (0, 23, None), (1, 31, None),
           (1, 12, _MONTHS), (0, 6, _DOWS)]
_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily",
                "@midnight", "@hourly")


def _num(s, names):
    if names and s.upper() in names:
        return names[s.upper()]
    if not s.isdigit():
        raise ValueError(s)
    return int(s)


def cron_valid(expr):
    """robfig/cron parser with Second|Minute|Hour|Dom|Month|Dow|Descriptor,
    as Harbor's utils.CronParser()."""
    expr = expr.strip()
    if expr.startswith("@"):
        if expr in _DESCRIPTORS:
            return True
        if expr.startswith("@every "):
            return bool(re.fullmatch(r"(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+",
                                     expr[7:].strip()))
        return False
    fields = expr.split()
    if len(fields) != 6:
        return False
    try:
        for i, f in enumerate(fields):
            lo, hi, names = _BOUNDS[i]
            for part in f.split(","):
                rng, _, step = part.partition("/")
                if step != "" and (not step.isdigit() or int(step) == 0):
                    return False
                if rng in ("*", "?"):
                    continue
                a, dash, b = rng.partition("-")
                a = _num(a, names)
                b = _num(b, names) if dash else a
                if a < lo or b > hi or a > b:
                    return False
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- validation

def _validate_filter(f):
    if not isinstance(f, dict):
        raise ApiError(400, "invalid filter type")
    t = f.get("type")
    v = f.get("value")
    if t in ("resource", "name", "tag"):
        if not isinstance(v, str):
            raise ApiError(400, "%s type filter must be string type" % t)
        if t == "resource" and v not in ("image", "artifact", "chart"):
            raise ApiError(400, "invalid resource filter: %s" % v)
    elif t == "label":
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ApiError(400, "label type filter must be array type")
    else:
        raise ApiError(400, "invalid filter type")
    d = f.get("decoration") or ""
    if d not in ("", "matches", "excludes"):
        raise ApiError(400, "invalid filter decoration, :%s" % d)
    out = {"type": t, "value": v}
    if d:
        out["decoration"] = d
    return out


def _reg_id(v, field):
    if v is None:
        return 0
    if not isinstance(v, dict):
        raise ApiError(400, "parsing policy body from \"\" failed, because "
                       "json: cannot unmarshal into %s" % field)
    i = v.get("id", 0) or 0
    if not isinstance(i, int) or isinstance(i, bool):
        raise ApiError(400, "parsing policy body from \"\" failed, because "
                       "json: cannot unmarshal into %s.id" % field)
    return i


def build_policy(body, pid=None):
    """Policy dict from a ReplicationPolicy body, validated as Harbor's
    controller does.  Absent fields take Go zero values (PUT replaces the
    whole object)."""
    if not isinstance(body, dict):
        raise ApiError(400, "parsing policy body failed")
    name = body.get("name") or ""
    if not isinstance(name, str):
        raise ApiError(400, "name must be a string")
    src = _reg_id(body.get("src_registry"), "src_registry")
    dst = _reg_id(body.get("dest_registry"), "dest_registry")
    rc = body.get("dest_namespace_replace_count")
    if rc is None:
        rc = -1
    if not isinstance(rc, int) or isinstance(rc, bool) or not -128 <= rc <= 127:
        raise ApiError(400, "parsing policy body from \"\" failed, because "
                       "json: cannot unmarshal number into Go struct field "
                       "ReplicationPolicy.dest_namespace_replace_count of "
                       "type int8")
    speed = body.get("speed")
    if speed is None:
        speed = 0
    if not isinstance(speed, int) or isinstance(speed, bool):
        raise ApiError(400, "speed must be an integer")
    if speed < 0:
        speed = 0
    dest_ns = body.get("dest_namespace") or ""
    filters_in = body.get("filters") or []
    if not isinstance(filters_in, list):
        raise ApiError(400, "filters must be an array")
    trig_in = body.get("trigger")

    # model.Policy.Validate()
    if not name:
        raise ApiError(400, "empty name")
    if (src != 0 and dst != 0) or (src == 0 and dst == 0):
        raise ApiError(400, "either src_registry or dest_registry should be "
                       "empty and the other one shouldn't be empty")
    filters = [_validate_filter(f) for f in filters_in]
    if dest_ns and not REPO_NAME_RE.match(dest_ns):
        raise ApiError(400, "invalid destination namespace: %s" % dest_ns)
    trigger = None
    if trig_in is not None:
        if not isinstance(trig_in, dict):
            raise ApiError(400, "invalid trigger type")
        ttype = trig_in.get("type") or ""
        settings = trig_in.get("trigger_settings")
        cron = ""
        if isinstance(settings, dict):
            cron = settings.get("cron") or ""
        if ttype in ("manual", "event_based"):
            pass
        elif ttype == "scheduled":
            if not cron:
                raise ApiError(400, "the cron string cannot be empty when "
                               "the trigger type is scheduled")
            if not cron_valid(cron):
                raise ApiError(400, "invalid cron string for scheduled "
                               "trigger: %s" % cron)
        else:
            raise ApiError(400, "invalid trigger type")
        trigger = {"type": ttype}
        if settings is not None:
            trigger["trigger_settings"] = {"cron": cron}
    # controller.validatePolicy: both registries must exist (0 = local)
    with STATE.lock:
        for rid in (src, dst):
            if rid and rid not in STATE.registries:
                raise ApiError(404, "registry %d not found" % rid)
    deletion = bool(body.get("deletion", False))
    return {
        "id": pid,
        "name": name,
        "description": body.get("description") or "",
        "src_registry": {"id": src},
        "dest_registry": {"id": dst},
        "dest_namespace": dest_ns,
        "dest_namespace_replace_count": rc,
        "trigger": trigger,
        "filters": filters,
        "replicate_deletion": deletion,
        "deletion": deletion,
        "override": bool(body.get("override", False)),
        "enabled": bool(body.get("enabled", False)),
        "speed": speed,
        "copy_by_chunk": bool(body.get("copy_by_chunk") or False),
    }


def render(p):
    d = {k: v for k, v in p.items() if not k.startswith("_")}
    for side in ("src_registry", "dest_registry"):
        rid = (p.get(side) or {}).get("id", 0)
        with STATE.lock:
            reg = STATE.registries.get(rid) if rid else local_registry()
        if reg is None:
            reg = {"id": rid}
        d[side] = render_registry(reg)
    if not p.get("filters"):
        d.pop("filters", None)
    out = omitempty(d, keep=("dest_namespace_replace_count", "speed",
                             "copy_by_chunk"))
    return out


def get_policy(pid):
    try:
        i = int(pid)
    except (TypeError, ValueError):
        raise ApiError(400, "invalid policy ID %s" % pid)
    with STATE.lock:
        p = STATE.policies.get(i)
    if p is None:
        raise ApiError(404, "replication policy %d not found" % i)
    return p


def _check_unique(name, exclude=None):
    for p in STATE.policies.values():
        if p["name"] == name and p["id"] != exclude:
            raise ApiError(409, "replication policy %s already exists" % name)


# ---------------------------------------------------------------- routes

@route("GET", P, auth="admin")
def list_policies(req):
    conds = parse_q(req.query.get("q"))
    name = req.query.get("name")
    with STATE.lock:
        items = [p for p in STATE.policies.values()
                 if match_q(p, conds) and
                 (name is None or name.lower() in p["name"].lower())]
    sort_items(req, items, [("creation_time", True), ("id", True)])
    return paginate(req, items, render)


@route("POST", P, auth="admin")
def create_policy(req):
    body = req.json_object()
    pol = build_policy(body)
    now = now_iso()
    with STATE.lock:
        _check_unique(pol["name"])
        pid = STATE.next_id("policy")
        pol.update(id=pid, creation_time=now, update_time=now,
                   _creator=req.user["username"])
        STATE.policies[pid] = pol
    return Response(201, None, {"Location": "%s/%d" % (P, pid)})


@route("GET", P + r"/(?P<pid>\d+)", auth="admin")
def get_one(req, pid):
    return Response(200, render(get_policy(pid)))


@route("PUT", P + r"/(?P<pid>\d+)", auth="admin")
def update_policy(req, pid):
    cur = get_policy(pid)
    body = req.json_object()
    pol = build_policy(body, cur["id"])
    with STATE.lock:
        if cur["id"] not in STATE.policies:
            raise ApiError(404, "replication policy %d not found" % cur["id"])
        _check_unique(pol["name"], exclude=cur["id"])
        pol["creation_time"] = cur["creation_time"]
        pol["update_time"] = now_iso()
        pol["_creator"] = cur.get("_creator", "")
        STATE.policies[cur["id"]] = pol
    return Response(200)


def _running_execution(pid):
    """Id of a running execution of the policy (0 if unknown), or None."""
    try:
        from . import replication
    except ImportError:
        return None
    if not replication.policy_in_use_running(pid):
        return None
    status_of = getattr(replication, "_status", None)
    with STATE.lock:
        for e in sorted(STATE.executions.values(), key=lambda x: x["id"]):
            if e.get("policy_id") != pid:
                continue
            st = status_of(e)[0] if status_of else e.get("status")
            if st == "InProgress":
                return e["id"]
    return 0


@route("DELETE", P + r"/(?P<pid>\d+)", auth="admin")
def delete_policy(req, pid):
    p = get_policy(pid)
    eid = _running_execution(p["id"])
    if eid is not None:
        raise ApiError(412, "the execution %d has tasks that aren't in final "
                       "status, stop the tasks first" % eid)
    with STATE.lock:
        STATE.policies.pop(p["id"], None)
        gone = set()
        for eid, e in list(STATE.executions.items()):
            if e.get("policy_id") == p["id"]:
                STATE.executions.pop(eid, None)
                gone.add(eid)
        if gone:
            for tid, t in list(STATE.tasks.items()):
                if t.get("execution_id") in gone:
                    STATE.tasks.pop(tid, None)
    return Response(200)
