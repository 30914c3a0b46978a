"""Shared in-memory state of the Harbor simulator.

Every module reads and writes STATE under STATE.lock.  The dicts use
Harbor's JSON field names (swagger definitions Registry, Project,
ReplicationPolicy, ReplicationExecution, ReplicationTask).  Keys that start
with "_" are simulator-private and are never rendered.  Secrets are stored
unmasked and masked only when rendered.
"""

import datetime
import threading
import time

# Users known to the simulator (Harbor's default admin plus one non-admin).
# Passwords are compared in app.check_basic; never logged.
USERS = {
    "admin": {
        "user_id": 1,
        "username": "admin",
        "email": "admin@example.com",
        "realname": "system admin",
        "comment": "admin user",
        "sysadmin_flag": True,
        "admin_role_in_auth": False,
        "_password": "Harbor12345",
    },
    "developer": {
        "user_id": 3,
        "username": "developer",
        "email": "developer@example.com",
        "realname": "developer",
        "comment": "",
        "sysadmin_flag": False,
        "admin_role_in_auth": False,
        "_password": "Developer12345",
    },
}


def now_iso(t=None):
    """Harbor's strfmt.DateTime rendering: 2006-01-02T15:04:05.000Z."""
    if t is None:
        t = time.time()
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def public(d):
    """Copy of a state dict without simulator-private ("_") keys."""
    return {k: v for k, v in d.items() if not k.startswith("_")}


class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.registries = {}
        self.projects = {}
        self.policies = {}
        self.executions = {}
        self.tasks = {}
        self.users = USERS
        self._ids = {}
        self.data_dir = None
        self.ca_file = None
        self.status_lag_s = 0.0
        self.latency_ms = 0
        self.started = time.time()

    def next_id(self, kind):
        with self.lock:
            n = self._ids.get(kind, 0) + 1
            self._ids[kind] = n
            return n

    def bump_id(self, kind, at_least):
        """Make sure next_id(kind) returns more than at_least."""
        with self.lock:
            if self._ids.get(kind, 0) < at_least:
                self._ids[kind] = at_least

    def project_by_name(self, name):
        with self.lock:
            for p in self.projects.values():
                if p["name"] == name:
                    return p
            return None

    def registry_by_name(self, name):
        with self.lock:
            for r in self.registries.values():
                if r["name"] == name:
                    return r
            return None

    def policy_by_name(self, name):
        with self.lock:
            for p in self.policies.values():
                if p["name"] == name:
                    return p
            return None


STATE = State()


def omitempty(d, keep=()):
    """Drop keys whose value is empty/false/zero, as go-swagger's omitempty
    does, except the keys in keep (x-omitempty: false)."""
    out = {}
    for k, v in d.items():
        if k.startswith("_"):
            continue
        if k in keep or not (v is None or v is False or v == "" or v == 0
                             and not isinstance(v, bool) or v == [] or v == {}):
            out[k] = v
    return out
