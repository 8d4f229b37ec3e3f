#!/usr/bin/env python3
"""Run one load generator as a child process and measure it alone.

    proc.py --json OUT.json [--rss-every 1.0] -- CMD ARGS...

Writes {"wall_s", "user_s", "sys_s", "cpu_s", "rc", "rss_kb": [[t, kB], ...],
"rss_max_kb", "hwm_kb"} to OUT.json. CPU is getrusage(RUSAGE_CHILDREN) after the child
was waited for: the child and every descendant it waited for (node workers, etc.), and
nothing else (the mock runs in another process tree). RSS is sampled from
/proc/<pid>/status (VmRSS) of the direct child every --rss-every seconds; VmHWM is the
last peak read before the child exited.
"""
import argparse, json, os, resource, subprocess, sys, time


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", required=True)
    ap.add_argument("--rss-every", type=float, default=1.0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    child = subprocess.Popen(cmd)
    samples, hwm = [], None
    while child.poll() is None:
        rss = status_kb(child.pid, "VmRSS")
        h = status_kb(child.pid, "VmHWM")
        if h is not None:
            hwm = h
        if rss is not None:
            samples.append([round(time.monotonic() - t0, 2), rss])
        try:
            child.wait(timeout=a.rss_every)
        except subprocess.TimeoutExpired:
            pass
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    sys_ = after.ru_stime - before.ru_stime
    out = {
        "cmd": cmd, "rc": child.returncode, "wall_s": round(wall, 3),
        "user_s": round(user, 3), "sys_s": round(sys_, 3), "cpu_s": round(user + sys_, 3),
        "rss_max_kb": max((s[1] for s in samples), default=None), "hwm_kb": hwm,
        "rss_kb": samples,
    }
    with open(a.json, "w") as f:
        json.dump(out, f)
    sys.exit(0)


if __name__ == "__main__":
    main()
