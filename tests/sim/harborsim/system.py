"""/ping, /health, /systeminfo, /users/current."""

from .app import API, Response, route
from .state import STATE, now_iso, omitempty

VERSION = "v2.13.0-sim"

COMPONENTS = ["core", "database", "jobservice", "portal", "redis",
              "registry", "registryctl"]


@route("GET", API + "/ping", auth="none")
def ping(req):
    return Response(200, b"Pong", content_type="text/plain; charset=utf-8")


@route("GET", API + "/health", auth="none")
def health(req):
    comps = [{"name": c, "status": "healthy"} for c in COMPONENTS]
    return Response(200, {"status": "healthy", "components": comps})


def _host(req):
    return req.headers.get("Host") or "127.0.0.1"


@route("GET", API + "/systeminfo", auth="optional")
def systeminfo(req):
    info = {
        "auth_mode": "db_auth",
        "primary_auth_mode": False,
        "self_registration": False,
    }
    if req.user is not None:
        host = _host(req)
        info.update({
            "current_time": now_iso(),
            "registry_url": host,
            "external_url": "https://" + host,
            "project_creation_restriction": "everyone",
            "has_ca_root": False,
            "harbor_version": VERSION,
            "registry_storage_provider_name": "filesystem",
            "read_only": False,
            "notification_enable": True,
        })
    # x-omitempty on every field but these are x-nullable pointers: Harbor
    # sends false values too.
    return Response(200, info)


@route("GET", API + "/users/current", auth="user")
def current_user(req):
    u = dict(req.user)
    t = now_iso(STATE.started)
    u["creation_time"] = t
    u["update_time"] = t
    return Response(200, omitempty(u, keep=("sysadmin_flag",
                                            "admin_role_in_auth")))
