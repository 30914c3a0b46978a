#!/usr/bin/python3
"""keytime.py: time one key press (or a few) in the console, for tests/bench/run.

    keytime.py --socket S --idle FILE --pid PID [--expect REGEX]
               [--deadline S] -- KEYS...

Sends KEYS with `tmux -L S send-keys`, then polls (1 ms) until berth's
idle counter (the BERTH_TEST_IDLE file) has advanced and, with --expect,
the pane matches REGEX (checked only once the counter moved). Prints

    wall_ms=W cpu_ms=C

W: from just before send-keys to the first poll that saw both (includes
tmux's delivery, about a millisecond). C: CPU time berth used meanwhile,
from /proc/PID/schedstat (nanoseconds on a CPU), read again after a short
quiet spell so that work after the first idle is counted too. Exit 1 when
the deadline (default 20 s) passed first. Standard library only.
"""
import argparse
import re
import subprocess
import sys
import time


def idle_count(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def cpu_ns(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, check=False).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--idle", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--expect")
    ap.add_argument("--deadline", type=float, default=20.0)
    ap.add_argument("keys", nargs="+")
    a = ap.parse_args()
    rx = re.compile(a.expect, re.M) if a.expect else None

    n = idle_count(a.idle)
    c0 = cpu_ns(a.pid)
    t0 = time.monotonic()
    tmux(a.socket, "send-keys", *a.keys)
    end = t0 + a.deadline
    while True:
        now = time.monotonic()
        if idle_count(a.idle) > n:
            if rx is None or rx.search(tmux(a.socket, "capture-pane", "-p")):
                break
        if now > end:
            print("keytime: deadline passed (idle %d -> %d)"
                  % (n, idle_count(a.idle)), file=sys.stderr)
            return 1
        time.sleep(0.001)
    wall = (time.monotonic() - t0) * 1000.0
    # CPU: wait until berth's run time stops growing (bounded: 0.5 s).
    c1 = cpu_ns(a.pid)
    quiet_end = time.monotonic() + 0.5
    while time.monotonic() < quiet_end:
        time.sleep(0.02)
        c2 = cpu_ns(a.pid)
        if c2 == c1:
            break
        c1 = c2
    print("wall_ms=%.0f cpu_ms=%.1f" % (wall, (c1 - c0) / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
