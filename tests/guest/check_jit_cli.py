#!/usr/bin/env python3
"""The JIT's diagnostics on a title: --jit-dump ADDR prints the counters and the block's guest
ops and disassembled host code; --jit-perf-map writes /tmp/perf-PID.map naming every translated
block's hot and cold code (perf's format: hex start, hex size, name) and changes nothing of the run; both refuse the
interpreter."""
import argparse
import json
import os
import re
import subprocess
import sys

from title_common import trace_without_host_ns

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--xex", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    plain, mapped = os.path.join(a.out, "plain"), os.path.join(a.out, "mapped")

    r = subprocess.run([a.hexad, "run", "--backend", "jit", a.xex, "--out", plain, "--quiet"], capture_output=True, text=True, timeout=300)
    check(r.returncode == 0, f"plain JIT run exited {r.returncode}: {r.stderr[-300:]}")
    p = subprocess.Popen([a.hexad, "run", "--backend", "jit", "--jit-perf-map", a.xex, "--out", mapped, "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = p.communicate(timeout=300)
    check(p.returncode == 0, f"--jit-perf-map run exited {p.returncode}: {err[-300:]}")
    map_path = f"/tmp/perf-{p.pid}.map"
    check(os.path.exists(map_path), f"no {map_path}")
    if os.path.exists(map_path):
        lines = open(map_path).read().splitlines()
        os.remove(map_path)
        # Two lines per translated block: its hot code (ops and exits), then its cold code.
        pat = re.compile(r"^([0-9a-f]+) ([0-9a-f]+) jit:0x([0-9a-f]{8}) \((32|64)-bit\) (\d+) ops( cold)?$")
        parsed = [pat.match(l) for l in lines]
        check(lines and all(parsed), f"perf map lines malformed: {[l for l, m in zip(lines, parsed) if not m][:3]}")
        dump = json.load(open(os.path.join(mapped, "exit-thread-state.json")))
        check(len(lines) == 2 * dump["jit"]["blocks_translated"],
              f"perf map has {len(lines)} lines, the dump counts {dump['jit']['blocks_translated']} translations (two lines each)")
        if all(parsed):
            pairs = list(zip(parsed[0::2], parsed[1::2]))
            check(all(not h.group(6) and c.group(6) and h.group(3) == c.group(3) for h, c in pairs),
                  "perf map lines are not (hot, cold) pairs of one block")
        starts = [int(m.group(1), 16) for m in parsed if m]
        check(len(set(starts)) == len(starts), "two blocks share a host start address")
        check(all(int(m.group(2), 16) > 0 and int(m.group(5)) > 0 for m in parsed if m), "a block with no code or no ops")
    check(trace_without_host_ns(plain) == trace_without_host_ns(mapped),
          "--jit-perf-map changed the trace")

    # HEXAD_JIT_CODE_OFFSET (tools/bench-layout) moves host code only: the trace is the same; a
    # value out of range is refused by name.
    shifted = os.path.join(a.out, "shifted")
    r = subprocess.run([a.hexad, "run", "--backend", "jit", a.xex, "--out", shifted, "--quiet"], capture_output=True,
                       text=True, timeout=300, env={**os.environ, "HEXAD_JIT_CODE_OFFSET": "48"})
    check(r.returncode == 0, f"run with HEXAD_JIT_CODE_OFFSET=48 exited {r.returncode}: {r.stderr[-300:]}")
    check(trace_without_host_ns(plain) == trace_without_host_ns(shifted), "HEXAD_JIT_CODE_OFFSET changed the trace")
    r = subprocess.run([a.hexad, "run", "--backend", "jit", a.xex, "--out", os.path.join(a.out, "bad_offset"), "--quiet"],
                       capture_output=True, text=True, timeout=300, env={**os.environ, "HEXAD_JIT_CODE_OFFSET": "64"})
    check(r.returncode != 0 and "HEXAD_JIT_CODE_OFFSET" in r.stderr,
          f"HEXAD_JIT_CODE_OFFSET=64 not refused by name: exit {r.returncode}, {r.stderr[-300:]}")

    # --jit-dump at the first block a thread ran (the title's entry point, from the trace).
    entry = None
    for line in open(os.path.join(plain, "trace.jsonl")):
        e = json.loads(line)
        if e.get("kind") == "thread.create" and "entry" in e:
            entry = int(e["entry"], 16)
            break
    if entry is not None:
        r = subprocess.run([a.hexad, "run", "--backend", "jit", "--jit-dump", hex(entry), a.xex, "--out", os.path.join(a.out, "dumped"), "--quiet"],
                           capture_output=True, text=True, timeout=300)
        check(r.returncode == 0, f"--jit-dump exited {r.returncode}: {r.stderr[-300:]}")
        check(f"jit block 0x{entry:08x}" in r.stderr, f"--jit-dump output names no block 0x{entry:08x}: {r.stderr[:300]}")
        check(re.search(r"^  guest 0x[0-9a-f]{8}  [0-9a-f]{8}  \S+", r.stderr, re.M), "--jit-dump lists no guest op")
        check(re.search(r"^  host \+0x0000  \S+", r.stderr, re.M), "--jit-dump lists no host instruction")
        check("jit counters: {" in r.stderr, "--jit-dump prints no counters")
    else:
        check(False, "no thread.create with an entry address in the trace")

    # capstone is loaded only by --jit-dump (above), and SDL2 only by hexad-studio: `hexad run`
    # starts without either (they took about 19 ms of every start, src/app/CMakeLists.txt).
    r = subprocess.run(["readelf", "-d", a.hexad], capture_output=True, text=True, timeout=60)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", r.stdout)
    check(r.returncode == 0 and "libc.so.6" in needed, f"readelf -d {a.hexad}: exit {r.returncode}, NEEDED {needed}")
    for lib in ("libcapstone", "libSDL2"):
        check(not any(n.startswith(lib) for n in needed), f"hexad links {lib} at start-up: NEEDED {needed}")

    for flag in (["--jit-perf-map"], ["--jit-dump", "0x82000000"]):
        r = subprocess.run([a.hexad, "run", "--backend", "interp", *flag, a.xex, "--out", os.path.join(a.out, "refused")],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 2 and "needs --backend jit" in r.stderr, f"{flag[0]} on the interpreter: exit {r.returncode}, {r.stderr[-200:]}")

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("jit diagnostics: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
