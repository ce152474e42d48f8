#!/usr/bin/env python3
"""Runs one title under every execution backend other than the default and compares each run with
the default backend's: `hexad-audit diff` of the traces must find them identical (apart from
host_ns), exit-thread-state.json must be identical once the backend's own `jit` section (JIT
counters, only present under the JIT) is removed, and stdout.log must match.

  check_backends.py --hexad HEXAD --audit HEXAD_AUDIT --backends-cmd "difffuzz-exec --list-backends"
                    --xex TITLE.xex --ref DIR --out DIR [-- EXTRA HEXAD RUN OPTIONS...]

--ref is the default backend's run of the same title with the same options (the title test's
run1, guest.<name>, which ctest runs first as this test's fixture); when it is missing it is made
here, into OUT/ref. With a single backend in the build there is nothing to compare it with, and
the default backend is run by name (--backend) against the reference instead. Standard library only.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys

from title_common import Failures


def run(hexad, xex, out_dir, extra):
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    cmd = [hexad, "run", xex, "--out", out_dir, "--quiet"] + extra
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=240)
    if p.stderr:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
    return p.returncode


def read(path):
    with open(path, "rb") as f:
        return f.read()


def dump_without_backend_section(path):
    d = json.loads(read(path))
    d.pop("jit", None)
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--backends-cmd", required=True)
    ap.add_argument("--xex", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("extra", nargs="*", help="options passed to hexad run (after --)")
    args = ap.parse_args()

    names = subprocess.run(shlex.split(args.backends_cmd), capture_output=True, text=True, check=True).stdout.split()
    if not names:
        print("FAIL: the build lists no execution backend")
        return 1
    default, others = names[0], names[1:] or names[:1]
    f = Failures()
    os.makedirs(args.out, exist_ok=True)
    ref = args.ref
    own_ref = not os.path.exists(os.path.join(ref, "run.json")) or os.path.dirname(os.path.abspath(ref)) == \
        os.path.abspath(args.out)
    if own_ref:
        ref = os.path.join(args.out, "ref")
        run(args.hexad, args.xex, ref, args.extra)
    ref_dump = json.loads(read(os.path.join(ref, "exit-thread-state.json")))
    ref_run = json.loads(read(os.path.join(ref, "run.json")))
    f.expect(("jit" in ref_dump) == (default == "jit"),
             f"the {default} backend's dump {'lacks' if default == 'jit' else 'has'} a jit section")
    ref_dump.pop("jit", None)

    for name in others:
        out = os.path.join(args.out, name)
        status = run(args.hexad, args.xex, out, args.extra + ["--backend", name])
        if not f.expect(os.path.exists(os.path.join(out, "exit-thread-state.json")),
                        f"{name}: no exit-thread-state.json (exit status {status})"):
            continue
        f.expect(status == ref_run["exit_status"], f"{name}: exit status {status}, {default} {ref_run['exit_status']}")
        diff = subprocess.run([args.audit, "diff", os.path.join(ref, "trace.jsonl"), os.path.join(out, "trace.jsonl")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        f.expect(diff.returncode == 0, f"{name}: hexad-audit diff against {default} exited {diff.returncode}: "
                                       f"{diff.stdout.decode('utf-8', 'replace')[:2000]}")
        f.expect(("jit" in json.loads(read(os.path.join(out, "exit-thread-state.json")))) == (name == "jit"),
                 f"{name}: the dump {'lacks' if name == 'jit' else 'has'} a jit section")
        f.expect(dump_without_backend_section(os.path.join(out, "exit-thread-state.json")) == ref_dump,
                 f"{name}: exit-thread-state.json (without its jit section) differs from {default}'s")
        f.expect(read(os.path.join(out, "stdout.log")) == read(os.path.join(ref, "stdout.log")),
                 f"{name}: stdout.log differs from {default}'s")
        run_json = json.loads(read(os.path.join(out, "run.json")))
        f.expect(run_json["stop_reason"] == ref_run["stop_reason"],
                 f"{name}: run.json stop_reason {run_json['stop_reason']}, {default} {ref_run['stop_reason']}")
        recorded = run_json.get("options", {}).get("backend", run_json.get("backend"))
        f.expect(recorded == name, f"{name}: run.json records backend {recorded!r}")

    print(f"{os.path.basename(args.xex)}: {', '.join(others)} against {default}"
          f" ({'own' if own_ref else 'reused'} reference run)")
    for m in f.items:
        print(f"FAIL {m}")
    return 1 if f.items else 0


if __name__ == "__main__":
    sys.exit(main())
