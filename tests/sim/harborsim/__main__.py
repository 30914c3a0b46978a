"""Entry point: python3 -m harborsim --host H --port P --port-file F
--cert C --key K --data-dir D --ca-file CA [--scale small|large]
[--latency-ms N] [--status-lag-s N]"""

import argparse
import importlib
import os
import signal
import sys
import threading

from . import app
from .state import STATE

# Route modules; S2b's may be absent while they are being written.
MODULES = ["system", "registries", "projects", "policies", "control",
           "store", "v2", "repos", "replication", "ping"]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="harborsim")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--ca-file")
    ap.add_argument("--scale", choices=("small", "large"), default="small")
    ap.add_argument("--latency-ms", type=int, default=0)
    ap.add_argument("--status-lag-s", type=float, default=0.0)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args(argv)

    os.makedirs(a.data_dir, exist_ok=True)
    STATE.data_dir = a.data_dir
    STATE.ca_file = a.ca_file
    STATE.latency_ms = a.latency_ms
    STATE.status_lag_s = a.status_lag_s

    for m in MODULES:
        try:
            importlib.import_module("harborsim." + m)
        except ModuleNotFoundError as e:
            if e.name != "harborsim." + m:
                raise
            sys.stderr.write("harborsim: module %s missing, skipped\n" % m)

    from . import control, projects
    projects.seed_default()
    if a.scale == "large":
        control.seed(projects=5000, registries=2000)

    srv = app.make_server(a.host, a.port, a.cert, a.key)
    srv.verbose = a.verbose
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    sys.stderr.write("harborsim: listening on https://%s:%d\n" % (a.host, port))

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
