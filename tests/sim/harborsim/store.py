"""Image storage of the Harbor simulator (content-addressed, on disk).

Layout under STATE.data_dir:
  blobs/sha256/<hex>        every blob and every manifest, by digest
  repos/<quoted name>.json  one index per repository: its tags (tag ->
                            manifest digest), the manifests it holds (media
                            type, size, push time, children of an index) and
                            Harbor's ids for repository, artifacts and tags.
Every write goes to a temporary file first and is renamed into place, so a
reader never sees half a file.  The repository indexes are also kept in
memory (loaded lazily from disk) and guarded by one lock.
"""

import hashlib
import json
import os
import tempfile
import threading
import urllib.parse

from .state import STATE, now_iso

MT_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MT_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MT_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_TYPES = (MT_OCI_INDEX, MT_DOCKER_LIST)
MANIFEST_TYPES = (MT_OCI_INDEX, MT_OCI_MANIFEST, MT_DOCKER_LIST,
                  MT_DOCKER_MANIFEST,
                  "application/vnd.docker.distribution.manifest.v1+json",
                  "application/vnd.docker.distribution.manifest.v1+prettyjws")

_lock = threading.RLock()
_repos = None          # name -> record (see _new_record)
_loaded_dir = None


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def valid_digest(d):
    if not isinstance(d, str) or not d.startswith("sha256:"):
        return False
    h = d[7:]
    return len(h) == 64 and all(c in "0123456789abcdef" for c in h)


def _root():
    if not STATE.data_dir:
        raise RuntimeError("STATE.data_dir is not set")
    return STATE.data_dir


def atomic_write(path, data):
    d = os.path.dirname(path)
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- blobs

def blob_path(digest):
    return os.path.join(_root(), "blobs", "sha256", digest[7:])


def has_blob(digest):
    return valid_digest(digest) and os.path.exists(blob_path(digest))


def put_blob(data, digest=None):
    """Store data; returns its digest.  Raises ValueError on a mismatch."""
    d = sha256_digest(data)
    if digest is not None and digest != d:
        raise ValueError("digest mismatch: want %s, got %s" % (digest, d))
    p = blob_path(d)
    if not os.path.exists(p):
        atomic_write(p, data)
    return d


def get_blob(digest):
    if not valid_digest(digest):
        return None
    try:
        with open(blob_path(digest), "rb") as f:
            return f.read()
    except OSError:
        return None


def blob_size(digest):
    try:
        return os.path.getsize(blob_path(digest))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------- repositories

def _repo_file(name):
    return os.path.join(_root(), "repos", urllib.parse.quote(name, safe="") + ".json")


def _load():
    global _repos, _loaded_dir
    with _lock:
        if _repos is not None and _loaded_dir == STATE.data_dir:
            return _repos
        _repos = {}
        _loaded_dir = STATE.data_dir
        d = os.path.join(_root(), "repos")
        if os.path.isdir(d):
            for fn in sorted(os.listdir(d)):
                if not fn.endswith(".json") or fn.startswith("."):
                    continue
                try:
                    with open(os.path.join(d, fn), "rb") as f:
                        rec = json.loads(f.read())
                except (OSError, ValueError):
                    continue
                _repos[rec["name"]] = rec
                STATE.bump_id("repository", rec["id"])
                for m in rec["manifests"].values():
                    STATE.bump_id("artifact", m["id"])
                for t in rec["tags"].values():
                    STATE.bump_id("tag", t["id"])
        return _repos


def _save(rec):
    atomic_write(_repo_file(rec["name"]),
                 json.dumps(rec, sort_keys=True).encode())


def split_repo(name):
    """'proj/a/b' -> ('proj', 'a/b')."""
    p, _, rest = name.partition("/")
    return p, rest


def _new_record(name):
    t = now_iso()
    return {"id": STATE.next_id("repository"), "name": name,
            "creation_time": t, "update_time": t, "pull_count": 0,
            "manifests": {}, "tags": {}}


def _parse_manifest(body, media_type):
    """Returns (media_type, info) where info has config, layers, children."""
    try:
        doc = json.loads(body)
    except ValueError:
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    mt = media_type or doc.get("mediaType") or MT_OCI_MANIFEST
    info = {"children": [], "blobs": [], "config": None,
            "annotations": doc.get("annotations") or {},
            "artifact_type": doc.get("artifactType") or ""}
    if mt in INDEX_TYPES:
        for m in doc.get("manifests") or []:
            info["children"].append({
                "digest": m.get("digest"), "media_type": m.get("mediaType"),
                "size": m.get("size", 0), "platform": m.get("platform"),
                "annotations": m.get("annotations")})
    else:
        cfg = doc.get("config")
        if isinstance(cfg, dict):
            info["config"] = {"digest": cfg.get("digest"),
                              "media_type": cfg.get("mediaType"),
                              "size": cfg.get("size", 0)}
            info["blobs"].append(info["config"])
        for layer in doc.get("layers") or []:
            info["blobs"].append({"digest": layer.get("digest"),
                                  "media_type": layer.get("mediaType"),
                                  "size": layer.get("size", 0)})
    return mt, info


def manifest_refs(body, media_type):
    """Descriptors a manifest refers to: (children, blobs) lists of dicts
    with digest, media_type, size (children also platform)."""
    _, info = _parse_manifest(body, media_type)
    return info["children"], info["blobs"]


def put_manifest(repo, body, media_type, tag=None):
    """Store a manifest in repo (creating the repository); tag it if tag is
    given.  Returns the digest.  The caller stores blobs/children first."""
    digest = put_blob(body)
    mt, info = _parse_manifest(body, media_type)
    with _lock:
        repos = _load()
        rec = repos.get(repo)
        if rec is None:
            rec = repos[repo] = _new_record(repo)
        now = now_iso()
        m = rec["manifests"].get(digest)
        if m is None:
            extra = {}
            if info["config"] and info["config"]["digest"]:
                cfgb = get_blob(info["config"]["digest"])
                if cfgb:
                    try:
                        c = json.loads(cfgb)
                        for k in ("architecture", "os", "created", "author"):
                            if c.get(k):
                                extra[k] = c[k]
                        if isinstance(c.get("config"), dict):
                            extra["config"] = c["config"]
                    except ValueError:
                        pass
            m = rec["manifests"][digest] = {
                "id": STATE.next_id("artifact"), "media_type": mt,
                "config_media_type": (info["config"] or {}).get("media_type"),
                "manifest_size": len(body),
                "blob_size": sum(int(b.get("size") or 0) for b in info["blobs"]),
                "children": info["children"], "annotations": info["annotations"],
                "artifact_type": info["artifact_type"],
                "extra_attrs": extra, "push_time": now, "pull_time": None}
        if tag:
            old = rec["tags"].get(tag)
            if old is None or old["digest"] != digest:
                rec["tags"][tag] = {"id": STATE.next_id("tag"), "digest": digest,
                                    "push_time": now, "pull_time": None}
        rec["update_time"] = now
        _save(rec)
    return digest


def resolve(repo, ref):
    """Digest for a tag or digest reference in repo, or None."""
    with _lock:
        rec = _load().get(repo)
        if rec is None:
            return None
        if ref.startswith("sha256:"):
            return ref if ref in rec["manifests"] else None
        t = rec["tags"].get(ref)
        return t["digest"] if t else None


def get_manifest(repo, ref):
    """(body, media_type, digest) or None."""
    with _lock:
        d = resolve(repo, ref)
        if d is None:
            return None
        mt = _load()[repo]["manifests"][d]["media_type"]
    body = get_blob(d)
    if body is None:
        return None
    return body, mt, d


def note_pull(repo, ref):
    with _lock:
        rec = _load().get(repo)
        if rec is None:
            return
        d = resolve(repo, ref)
        now = now_iso()
        rec["pull_count"] += 1
        if d and d in rec["manifests"]:
            rec["manifests"][d]["pull_time"] = now
        if not ref.startswith("sha256:") and ref in rec["tags"]:
            rec["tags"][ref]["pull_time"] = now
        # pull times are not worth a disk write per pull


def repo_blob_ok(repo, digest):
    """Whether a blob is reachable from repo (Harbor checks the repository)."""
    with _lock:
        rec = _load().get(repo)
        return rec is not None and has_blob(digest)


def list_tags(repo):
    with _lock:
        rec = _load().get(repo)
        return None if rec is None else sorted(rec["tags"])


def repo_names(project_name=None):
    with _lock:
        names = sorted(_load())
    if project_name is None:
        return names
    pre = project_name + "/"
    return [n for n in names if n.startswith(pre)]


def repo_record(repo):
    """A deep copy of the repository record, or None."""
    with _lock:
        rec = _load().get(repo)
        return None if rec is None else json.loads(json.dumps(rec))


def project_repo_count(project_name):
    return len(repo_names(project_name))


def delete_repo(repo):
    with _lock:
        repos = _load()
        if repo not in repos:
            return False
        del repos[repo]
        try:
            os.unlink(_repo_file(repo))
        except OSError:
            pass
        return True


def delete_project_repos(project_name):
    for n in repo_names(project_name):
        delete_repo(n)


def child_digests(rec):
    s = set()
    for m in rec["manifests"].values():
        for c in m["children"]:
            s.add(c["digest"])
    return s


def top_artifacts(rec):
    """Digests of the artifacts Harbor lists: not referenced by an index,
    or tagged; newest push first."""
    tagged = {t["digest"] for t in rec["tags"].values()}
    kids = child_digests(rec)
    ds = [d for d in rec["manifests"] if d not in kids or d in tagged]
    ds.sort(key=lambda d: (rec["manifests"][d]["push_time"], rec["manifests"][d]["id"]),
            reverse=True)
    return ds


def artifact_size(rec, digest):
    m = rec["manifests"].get(digest)
    if m is None:
        return 0
    size = m["manifest_size"] + m["blob_size"]
    for c in m["children"]:
        cm = rec["manifests"].get(c["digest"])
        size += (cm["manifest_size"] + cm["blob_size"]) if cm else int(c.get("size") or 0)
    return size
