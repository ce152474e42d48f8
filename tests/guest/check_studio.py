#!/usr/bin/env python3
"""hexad studio, driven by --script under xvfb-run (README "hexad studio").

  check_studio.py --hexad HEXAD --audit HEXAD_AUDIT --xex-dir DIR --out DIR

1. A title launched from the studio and run to its end writes the same trace (hexad-audit diff)
   and the same exit dump as `hexad run` with the same options.
2. Paused, stepped a round and then events, resumed: the pauses land where asked (round + 1,
   more events each step) and the trace and dump are still the CLI's.
3. A deadlocking title: the wedges are classified by explain's rules (three for waitcycle).
4. A recorded run folder opens offline with all its events.
5. Bad options and a bad script exit 2 with a message, before any window opens.
Standard library only.
"""
import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")
    return cond


def studio(args, target, out, *extra):
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(args.out, "config"))
    cmd = ["xvfb-run", "-a", args.hexad, "studio", target] + (["--out", out] if out else []) + list(extra)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


def cli_run(args, xex, out, *extra):
    subprocess.run([args.hexad, "run", xex, "--out", out, "--quiet"] + list(extra), capture_output=True, timeout=300)


def same_run(args, a, b, what):
    d = subprocess.run([args.audit, "diff", os.path.join(a, "trace.jsonl"), os.path.join(b, "trace.jsonl")],
                       capture_output=True, text=True)
    check(d.returncode == 0, f"{what}: traces differ: {d.stdout[-400:]}")
    check(filecmp.cmp(os.path.join(a, "exit-thread-state.json"), os.path.join(b, "exit-thread-state.json"), shallow=False),
          f"{what}: exit dumps differ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--xex-dir", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    if not shutil.which("xvfb-run"):
        print("FAIL: xvfb-run is not installed (Debian package xvfb; scripts/setup installs it)")
        return 1
    pingpong = os.path.join(args.xex_dir, "pingpong.xex")
    cli = os.path.join(args.out, "cli")
    cli_run(args, pingpong, cli, "--quantum", "5000")

    # 1. Run to the end.
    out = os.path.join(args.out, "run")
    r = studio(args, pingpong, out, "--quantum", "5000", "--script", "wait-end; quit")
    check(r.returncode == 0, f"run: status {r.returncode}: {r.stderr[-400:]}")
    check("finished (exit)" in r.stdout, f"run: summary {r.stdout!r}")
    same_run(args, out, cli, "run to the end")

    # 2. Paused, stepped, resumed.
    out = os.path.join(args.out, "stepped")
    r = studio(args, pingpong, out, "--quantum", "5000", "--paused", "--script",
               "wait-paused; step-round; wait-paused; step-event; wait-paused; step-event; wait-paused; "
               "run; wait-end; quit")
    check(r.returncode == 0, f"stepped: status {r.returncode}: {r.stderr[-400:]}")
    pauses = [tuple(map(int, m)) for m in re.findall(r"paused at round (\d+), (\d+) events, (\d+) instructions", r.stdout)]
    if check(len(pauses) == 4, f"stepped: pauses {pauses} in {r.stdout!r}"):
        check(pauses[0][0] == 0 and pauses[0][2] == 0, f"the run starts paused before any instruction: {pauses[0]}")
        check(pauses[1][0] == pauses[0][0] + 1, f"step-round pauses at the next round: {pauses[:2]}")
        check(pauses[2][1] > pauses[1][1] and pauses[3][1] > pauses[2][1], f"step-event adds events: {pauses[1:]}")
    same_run(args, out, cli, "paused and stepped")

    # 3. A wedge, explained.
    out = os.path.join(args.out, "waitcycle")
    r = studio(args, os.path.join(args.xex_dir, "waitcycle.xex"), out, "--script", "wait-end; quit")
    check("3 wedges explained, finished (deadlock)" in r.stdout, f"waitcycle: {r.stdout!r} {r.stderr[-300:]}")

    # 4. A recorded run, offline.
    with open(os.path.join(cli, "trace.jsonl")) as f:
        events = sum(1 for _ in f)
    r = studio(args, cli, None, "--script", "wait-frames 3; quit")
    check(r.returncode == 0 and f"{events} events" in r.stdout, f"offline: {r.returncode} {r.stdout!r} {r.stderr[-300:]}")
    r = studio(args, os.path.join(args.out, "no-such-run"), None, "--script", "wait-frames 2; quit")
    check(r.returncode == 0 and ": 0 threads, 0 events" in r.stdout, f"a missing run folder is an error shown, not a crash: {r.stdout!r}")

    # 5. Bad input.
    r = studio(args, pingpong, None, "--bogus", "--script", "quit")
    check(r.returncode == 2 and "unknown option '--bogus'" in r.stderr, f"bad option: {r.returncode} {r.stderr!r}")
    r = studio(args, pingpong, None, "--script", "jump")
    check(r.returncode == 2 and "'jump' is not one of" in r.stderr, f"bad script: {r.returncode} {r.stderr!r}")

    print("studio: all checks passed" if not failures else f"studio: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
