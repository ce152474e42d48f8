#!/usr/bin/env python3
"""The scripted controller on the command line (docs/xam.md, docs/run-json.md):

  check_xam_input.py --hexad HEXAD --xex xam_input.xex --script xam_input.json --out DIR

1. `hexad run --input SCRIPT` passes the title's checks; run.json records the file (absolute),
   its SHA-256 and event count under "input", and the canonical script in "args" as --input-data;
2. `hexad replay` of that folder verifies (it needs no file: the script is in args), also after
   the file is gone;
3. `--input-data TEXT` (the canonical text) gives the identical trace and dump;
4. the same title without --input fails its checks (the controller really came from the script);
5. bad scripts exit 2 before any run, naming the problem: not JSON, wrong schema, unknown field,
   user out of range, both frame and time_ns, out of time order, a value out of range, a
   disconnected event with buttons, a missing file, --input twice.
Standard library only."""
import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys

from title_common import trace_without_host_ns

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print(f"FAIL: {msg}")
    return cond


def run(hexad, *args):
    return subprocess.run([hexad, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=240)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--xex", required=True)
    ap.add_argument("--script", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    script_copy = os.path.join(a.out, "script.json")
    shutil.copy(a.script, script_copy)

    d1 = os.path.join(a.out, "file")
    r = run(a.hexad, "run", a.xex, "--out", d1, "--quiet", "--input", script_copy)
    check(r.returncode == 0, f"--input run: exit {r.returncode} {r.stderr!r}")
    stdout = open(os.path.join(d1, "stdout.log")).read()
    check(stdout.endswith("xam_input: PASS (0 failures)\n"), "--input run passes its checks")
    run_json = json.load(open(os.path.join(d1, "run.json")))
    data = open(script_copy, "rb").read()
    check(run_json.get("input") == {"file": os.path.abspath(script_copy), "sha256": hashlib.sha256(data).hexdigest(),
                                    "events": 4}, f"run.json input: {run_json.get('input')}")
    recorded = run_json["args"]
    check(len(recorded) == 2 and recorded[0] == "--input-data", f"args: {recorded}")
    canonical = recorded[1] if len(recorded) == 2 else ""
    check(json.loads(canonical)["events"][1] == {"time_ns": 100000000, "user": 0, "connected": True, "buttons": 4096,
                                                 "left_trigger": 0, "right_trigger": 255, "thumb_lx": -32768,
                                                 "thumb_ly": 32767, "thumb_rx": 0, "thumb_ry": 0},
          f"canonical event 1 keyed by time_ns: {canonical}")

    os.remove(script_copy)  # replay needs no file
    r = run(a.hexad, "replay", d1, "--out", os.path.join(a.out, "replay"), "--quiet")
    n = len(trace_without_host_ns(d1))
    check(r.returncode == 0 and r.stdout.strip() == f"replay verified: {n} events",
          f"replay: exit {r.returncode} {r.stdout!r} {r.stderr!r}")

    d2 = os.path.join(a.out, "data")
    r = run(a.hexad, "run", a.xex, "--out", d2, "--quiet", "--input-data", canonical)
    check(r.returncode == 0, f"--input-data run: exit {r.returncode} {r.stderr!r}")
    check(trace_without_host_ns(d1) == trace_without_host_ns(d2), "--input-data gives the --input run's trace")
    check(open(os.path.join(d1, "exit-thread-state.json")).read() == open(os.path.join(d2, "exit-thread-state.json")).read(),
          "--input-data gives the --input run's dump")
    check("input" in json.load(open(os.path.join(d2, "run.json"))) and "file" not in json.load(
        open(os.path.join(d2, "run.json")))["input"], "an --input-data run records no file")

    d3 = os.path.join(a.out, "none")
    r = run(a.hexad, "run", a.xex, "--out", d3, "--quiet")
    check(r.returncode == 0 and "xam_input: FAIL" in open(os.path.join(d3, "stdout.log")).read(),
          "without --input the title's controller checks fail")

    bad = {
        "not json": ("{", "not JSON"),
        "schema": ('{"schema": "other", "events": []}', "schema"),
        "unknown top field": ('{"schema": "hexad.input/1", "events": [], "x": 1}', "unknown field 'x'"),
        "unknown event field": ('{"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "button": 1}]}',
                                "unknown field 'button'"),
        "user": ('{"schema": "hexad.input/1", "events": [{"frame": 0, "user": 4}]}', "user 4 is outside 0..3"),
        "no user": ('{"schema": "hexad.input/1", "events": [{"frame": 0}]}', "no user"),
        "both keys": ('{"schema": "hexad.input/1", "events": [{"frame": 0, "time_ns": 0, "user": 0}]}', "not both"),
        "no key": ('{"schema": "hexad.input/1", "events": [{"user": 0}]}', "no frame or time_ns"),
        "order": ('{"schema": "hexad.input/1", "events": [{"frame": 2, "user": 0}, {"frame": 1, "user": 0}]}',
                  "time order"),
        "range": ('{"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "thumb_lx": 40000}]}',
                  "thumb_lx 40000 is outside -32768..32767"),
        "bad number": ('{"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "buttons": "0xZZ"}]}',
                       "not an integer"),
        "late frame": ('{"schema": "hexad.input/1", "events": [{"frame": 9223372036854775807, "user": 0}]}', "too late"),
        "disconnected with buttons": (
            '{"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "connected": false, "buttons": 1}]}',
            "disconnected controller"),
    }
    for name, (text, want) in bad.items():
        p = os.path.join(a.out, "bad.json")
        with open(p, "w") as f:
            f.write(text)
        bd = os.path.join(a.out, "bad")
        r = run(a.hexad, "run", a.xex, "--out", bd, "--quiet", "--input", p)
        check(r.returncode == 2 and want in r.stderr and not os.path.exists(bd),
              f"bad script ({name}): exit {r.returncode}, stderr {r.stderr!r}, want {want!r}")
    r = run(a.hexad, "run", a.xex, "--out", os.path.join(a.out, "bad"), "--input", os.path.join(a.out, "missing.json"))
    check(r.returncode == 2 and "missing.json" in r.stderr, f"missing file: {r.returncode} {r.stderr!r}")
    r = run(a.hexad, "run", a.xex, "--out", os.path.join(a.out, "bad"), "--input-data", canonical, "--input-data", canonical)
    check(r.returncode == 2 and "only one" in r.stderr, f"twice: {r.returncode} {r.stderr!r}")

    print(f"xam_input_cli: {'FAIL' if failures else 'ok'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
