#!/usr/bin/python3
"""rusage.py: run a command a few times and print what it cost (tests/bench/run).

    rusage.py [-n RUNS] [-o FILE] -- COMMAND [ARGS...]

Each run's stdout goes to FILE (default /dev/null; the last run's stays),
stderr to this script's stderr. Per run, os.wait4() gives that child's own
rusage (so max RSS is the child's, not the maximum over earlier children
as RUSAGE_CHILDREN would be). Prints one line:

    runs=N wall_ms=MEDIAN cpu_ms=MEDIAN maxrss_kib=MAX rc=LAST walls=A,B,...

wall is time.monotonic() around fork/exec/wait; cpu is user + system.
The exit status is the last run's. Standard library only.
"""
import os
import statistics
import sys
import time


def main():
    args = sys.argv[1:]
    runs, out = 1, os.devnull
    while args and args[0] != "--":
        if args[0] == "-n":
            runs = max(1, int(args[1]))
        elif args[0] == "-o":
            out = args[1]
        else:
            print("usage: rusage.py [-n RUNS] [-o FILE] -- COMMAND...",
                  file=sys.stderr)
            return 2
        args = args[2:]
    cmd = args[1:]
    if not cmd:
        print("rusage.py: no command", file=sys.stderr)
        return 2
    walls, cpus, rss, rc = [], [], 0, 0
    for _ in range(runs):
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.dup2(fd, 1)
            os.close(fd)
            try:
                os.execvp(cmd[0], cmd)
            finally:
                os._exit(127)
        os.close(fd)
        _, status, ru = os.wait4(pid, 0)
        walls.append((time.monotonic() - t0) * 1000.0)
        cpus.append((ru.ru_utime + ru.ru_stime) * 1000.0)
        rss = max(rss, ru.ru_maxrss)
        rc = os.waitstatus_to_exitcode(status)
    print("runs=%d wall_ms=%.0f cpu_ms=%.1f maxrss_kib=%d rc=%d walls=%s" % (
        runs, statistics.median(walls), statistics.median(cpus), rss, rc,
        ",".join("%.0f" % w for w in walls)))
    return rc


if __name__ == "__main__":
    sys.exit(main())
