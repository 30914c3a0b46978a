#!/usr/bin/python3
"""Build the test stack's seed images offline, reproducibly.

Writes one OCI image layout per repository under OUT (directory name = the
repository with '/' replaced by '+'), each tag named in index.json by
org.opencontainers.image.ref.name, ready for
`skopeo copy --all oci:OUT/REPO:TAG docker://HOST/REPO:TAG`.

Every layer is a tiny tar with fixed mtimes and owners, gzip'd with mtime 0,
and configs are canonical JSON, so digests are the same on every run.

  mkimages.py --out DIR [--scale small|large] [--list FILE] [--manifest FILE]
              [--storage REGISTRY_ROOT]

--list writes "LAYOUT TAG REPO DIGEST" lines for the images to push with
skopeo.
--manifest writes a JSON list describing every seeded tag (repo, tag, digest,
media_type, children, how it is seeded).
With --scale large, 40 more repositories x 3 tags (berth-test.dev/bulk-NN)
are written straight into docker-registry's filesystem storage under
--storage (pushing 120 tags with skopeo would take too long); they are left
out of --list.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import tarfile

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_NAME = "org.opencontainers.image.ref.name"
CREATED = "2024-01-02T03:04:05Z"
MTIME = 1704164645  # CREATED as a Unix time

# (repo, [(version, [tags], arches)]): each version is one artifact.
SMALL = [
    ("berth-test.dev/nginx", [("1.25.3", ["1.25.3"], ["amd64", "arm64"]),
                              ("1.25.4", ["1.25", "latest"],
                               ["amd64", "arm64"])]),
    ("berth-test.dev/python", [("3.12.1", ["3.12"], ["amd64"]),
                               ("3.13.0", ["latest"], ["amd64"])]),
    ("berth-test.dev/static", [("20240102", ["latest"], ["amd64"])]),
    ("berth-test.dev/tools/jq", [("1.7.1", ["latest"], ["amd64"])]),
    ("other-org/secret-app", [("0.1.0", ["latest"], ["amd64"])]),
    ("chainguard/static", [("20240102", ["latest"], ["amd64"])]),
]


def bulk():
    return [("berth-test.dev/bulk-%02d" % i,
             [("1.0.%d" % i, ["1.0"], ["amd64"]),
              ("1.1.%d" % i, ["1.1"], ["amd64"]),
              ("2.0.%d" % i, ["latest"], ["amd64"])])
            for i in range(1, 41)]


def canon(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def make_layer(repo, version, arch):
    """Return (gzip bytes, diff_id) of a tiny deterministic tar layer."""
    files = [
        ("etc/berth-sim/image", ("%s %s %s\n" % (repo, version, arch)).encode()),
        ("usr/share/doc/berth-sim/README",
         b"Seed image for the berth test stack. Not a real program.\n"),
    ]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        dirs = set()
        for name, _ in files:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]))
        for d in sorted(dirs):
            ti = tarfile.TarInfo(d + "/")
            ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, MTIME
            tar.addfile(ti)
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = len(data), 0o644, MTIME
            tar.addfile(ti, io.BytesIO(data))
    tarb = raw.getvalue()
    return gzip.compress(tarb, compresslevel=9, mtime=0), sha(tarb)


class Blobs:
    """Content-addressed blob sink: collects bytes by digest."""

    def __init__(self):
        self.blobs = {}

    def put(self, data):
        d = sha(data)
        self.blobs[d] = data
        return d

    def write_layout(self, path):
        bdir = os.path.join(path, "blobs", "sha256")
        os.makedirs(bdir, exist_ok=True)
        for d, data in self.blobs.items():
            with open(os.path.join(bdir, d.split(":", 1)[1]), "wb") as f:
                f.write(data)


def make_image(blobs, repo, version, arch):
    """Single-arch manifest; returns its descriptor."""
    layer, diff_id = make_layer(repo, version, arch)
    config = canon({
        "architecture": arch, "os": "linux", "created": CREATED,
        "config": {"Env": ["PATH=/usr/bin:/bin"],
                   "Labels": {"org.opencontainers.image.version": version,
                              "dev.berth.sim.repo": repo}},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": CREATED, "created_by": "mkimages.py"}],
    })
    manifest = canon({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": blobs.put(config),
                   "size": len(config)},
        "layers": [{"mediaType": OCI_LAYER, "digest": blobs.put(layer),
                    "size": len(layer)}],
        "annotations": {"org.opencontainers.image.created": CREATED},
    })
    return {"mediaType": OCI_MANIFEST, "digest": blobs.put(manifest),
            "size": len(manifest),
            "platform": {"architecture": arch, "os": "linux"}}


def make_version(blobs, repo, version, arches):
    """Descriptor of the artifact for one version: manifest or index."""
    kids = [make_image(blobs, repo, version, a) for a in arches]
    if len(arches) == 1:
        d = dict(kids[0])
        del d["platform"]
        return d, []
    index = canon({"schemaVersion": 2, "mediaType": OCI_INDEX,
                   "manifests": kids})
    return ({"mediaType": OCI_INDEX, "digest": blobs.put(index),
             "size": len(index)}, kids)


def build_repo(repo, versions):
    """Return (Blobs, [(tag, descriptor, children)])."""
    blobs, tags = Blobs(), []
    for version, tlist, arches in versions:
        desc, kids = make_version(blobs, repo, version, arches)
        for t in tlist:
            tags.append((t, desc, kids))
    return blobs, tags


def write_layout(path, blobs, tags):
    blobs.write_layout(path)
    with open(os.path.join(path, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        dict(desc, annotations={REF_NAME: t}) for t, desc, _ in tags]}
    with open(os.path.join(path, "index.json"), "wb") as f:
        f.write(canon(index))


def _link(path, digest):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "link"), "w") as f:
        f.write(digest)


def write_storage(root, repo, blobs, tags):
    """Write a repository straight into distribution's filesystem layout."""
    v2 = os.path.join(root, "docker", "registry", "v2")
    manifests = set()
    for _, desc, kids in tags:
        manifests.add(desc["digest"])
        manifests.update(k["digest"] for k in kids)
    rdir = os.path.join(v2, "repositories", repo)
    for d, data in blobs.blobs.items():
        hexd = d.split(":", 1)[1]
        bdir = os.path.join(v2, "blobs", "sha256", hexd[:2], hexd)
        os.makedirs(bdir, exist_ok=True)
        with open(os.path.join(bdir, "data"), "wb") as f:
            f.write(data)
        if d in manifests:
            _link(os.path.join(rdir, "_manifests", "revisions", "sha256", hexd), d)
        else:
            _link(os.path.join(rdir, "_layers", "sha256", hexd), d)
    for t, desc, _ in tags:
        tdir = os.path.join(rdir, "_manifests", "tags", t)
        _link(os.path.join(tdir, "current"), desc["digest"])
        _link(os.path.join(tdir, "index", "sha256",
                           desc["digest"].split(":", 1)[1]), desc["digest"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", choices=["small", "large"], default="small")
    ap.add_argument("--list")
    ap.add_argument("--manifest")
    ap.add_argument("--storage")
    args = ap.parse_args()
    if args.scale == "large" and not args.storage:
        ap.error("--scale large needs --storage")

    seeds = [(r, v, "skopeo") for r, v in SMALL]
    if args.scale == "large":
        seeds += [(r, v, "storage") for r, v in bulk()]
    push, described = [], []
    for repo, versions, how in seeds:
        blobs, tags = build_repo(repo, versions)
        layout = os.path.join(os.path.abspath(args.out), repo.replace("/", "+"))
        if how == "skopeo":
            write_layout(layout, blobs, tags)
            push += ["%s %s %s %s" % (layout, t, repo, d["digest"])
                     for t, d, _ in tags]
        else:
            write_storage(args.storage, repo, blobs, tags)
        for t, desc, kids in tags:
            described.append({
                "repo": repo, "tag": t, "digest": desc["digest"],
                "media_type": desc["mediaType"], "size": desc["size"],
                "children": [{"digest": k["digest"],
                              "platform": k["platform"]} for k in kids],
                "seeded_by": how})
    if args.list:
        with open(args.list, "w") as f:
            f.write("".join(l + "\n" for l in push))
    if args.manifest:
        with open(args.manifest, "w") as f:
            json.dump(described, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
