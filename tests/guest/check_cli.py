#!/usr/bin/env python3
"""hexad run's CLI contract for titles: stopping by SIGINT/SIGTERM still writes the exit dump
(atomically, exit status 130/143, stop reason "interrupted"); malformed images and bad options
exit 2 with a message naming what is wrong; --no-trace removes a stale trace."""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def interrupted_run(hexad, xex, out, sig, expect_status):
    # starvation under --no-aging and no budget never ends: main waits forever on an event the
    # starved thread never gets to set, while a priority-15 thread spins.
    p = subprocess.Popen([hexad, "run", xex, "--out", out, "--no-aging", "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    check(p.poll() is None, f"{sig.name}: run ended by itself before the signal")
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, f"{sig.name}: hexad did not stop within 60 s")
        return
    check(p.returncode == expect_status, f"{sig.name}: exit status {p.returncode}, want {expect_status}")
    dump_path = os.path.join(out, "exit-thread-state.json")
    check(os.path.exists(dump_path), f"{sig.name}: no exit-thread-state.json")
    if not os.path.isdir(out):
        return
    check(not any(f.endswith(".tmp") for f in os.listdir(out)), f"{sig.name}: a temporary file was left behind")
    if os.path.exists(dump_path):
        dump = json.load(open(dump_path))
        check(dump["run"]["stop_reason"] == "interrupted", f"{sig.name}: stop reason {dump['run']['stop_reason']}")
        check(dump["run"]["instructions"] > 0, f"{sig.name}: no instructions recorded")
        states = {t["tid"]: t["state"] for t in dump["threads"]}
        check(states.get(1) == "Blocked", f"{sig.name}: main thread is {states.get(1)}, want Blocked")
        check(len(dump["wedge_map"]) >= 1, f"{sig.name}: empty wedge map")
    trace_path = os.path.join(out, "trace.jsonl")
    trace = open(trace_path).read().splitlines() if os.path.exists(trace_path) else ["{}"]
    last = json.loads(trace[-1])
    check(last.get("kind") == "run.stop" and last.get("reason") == "interrupted", f"{sig.name}: trace does not end with run.stop interrupted")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--xex-dir", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    starvation = os.path.join(a.xex_dir, "starvation.xex")

    interrupted_run(a.hexad, starvation, os.path.join(a.out, "sigterm"), signal.SIGTERM, 143)
    interrupted_run(a.hexad, starvation, os.path.join(a.out, "sigint"), signal.SIGINT, 130)

    # A truncated image: exit 2, the message names the field and an offset; nothing is written.
    data = open(os.path.join(a.xex_dir, "hello.xex"), "rb").read()
    bad = os.path.join(a.out, "truncated.xex")
    open(bad, "wb").write(data[:0x30])
    r = run([a.hexad, "run", bad, "--out", os.path.join(a.out, "bad")])
    check(r.returncode == 2, f"truncated image: exit status {r.returncode}, want 2")
    check("offset" in r.stderr and "malformed XEX" in r.stderr, f"truncated image: message {r.stderr.strip()!r}")
    check(not os.path.exists(os.path.join(a.out, "bad", "exit-thread-state.json")), "truncated image: a dump was written")

    # A corrupt field: the magic.
    corrupt = bytearray(data)
    corrupt[3] ^= 0xFF
    bad2 = os.path.join(a.out, "badmagic.xex")
    open(bad2, "wb").write(bytes(corrupt))
    r = run([a.hexad, "run", bad2, "--out", os.path.join(a.out, "bad2")])
    check(r.returncode == 2, f"bad magic: exit status {r.returncode}, want 2")

    # Shorter than any magic: named as too short (with its size), not as a bad ELF.
    for size in (0, 1, 3):
        tiny = os.path.join(a.out, f"tiny{size}.xex")
        open(tiny, "wb").write(data[:size])
        r = run([a.hexad, "run", tiny, "--out", os.path.join(a.out, f"tiny{size}")])
        check(r.returncode == 2 and f"{size} byte" in r.stderr and "too short to be an XEX2 or ELF image" in r.stderr
              and "not an ELF" not in r.stderr, f"{size}-byte image: status {r.returncode}, message {r.stderr.strip()!r}")

    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--quantum", "0"])
    check(r.returncode == 2 and "--quantum" in r.stderr, "--quantum 0 is not rejected with exit 2")
    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--frobnicate"])
    check(r.returncode == 2 and "--frobnicate" in r.stderr, "unknown option is not rejected with exit 2")
    r = run([a.hexad, "run", os.path.join(a.out, "does-not-exist.xex")])
    check(r.returncode == 2 and "does-not-exist" in r.stderr, "missing image is not rejected with exit 2")

    # --no-trace never leaves an older run's trace beside this run's dump.
    out = os.path.join(a.out, "notrace")
    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--out", out, "--quiet"])
    check(r.returncode == 0 and os.path.exists(os.path.join(out, "trace.jsonl")), "hello did not write a trace")
    r = run([a.hexad, "run", os.path.join(a.xex_dir, "hello.xex"), "--out", out, "--quiet", "--no-trace"])
    check(r.returncode == 0 and not os.path.exists(os.path.join(out, "trace.jsonl")), "--no-trace left a stale trace")

    print(f"cli: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
