#!/usr/bin/env python3
"""Golden trace and dump check: traces are a contract.

  check_golden.py --hexad HEXAD --audit HEXAD_AUDIT --xex TITLE.xex --golden DIR --out DIR
                  [-- EXTRA HEXAD RUN OPTIONS...]

Runs the title once and compares its audit run with the golden files recorded in DIR:

- trace.jsonl.gz: the trace, `host_ns` removed (the one field allowed to differ), gzip'd.
  Compared with `hexad-audit diff`, which names the first differing event and field, then byte
  for byte (key order and formatting are part of the contract).
- exit-thread-state.json: the exit dump, compared byte for byte (a unified diff is printed), less
  the `jit` section a run on the JIT appends (backend counters: they describe the host code, not
  the title; backends.<title> checks that the rest is the interpreter's, and the golden files
  are recorded without it, so they hold for every backend).

A change that alters traces on purpose regenerates the golden files in the same commit and says
why in its message:

  HEXAD_GOLDEN_UPDATE=1 ctest -L golden      # from the build folder; rewrites tests/golden/*/

The golden files record the title images by SHA-256 (in run.start and the dump): a different
cross compiler or SDK produces different images, which this check reports as such.

--digest (for stress titles whose traces run to tens of megabytes, e.g. hostile_limits): the
golden folder holds only digest.json — the SHA-256 and event count of the normalised trace and
the SHA-256 of the dump — and a difference is reported without a field-level diff. To see what
changed, run the title at the old and new commit and `hexad-audit diff` the two traces.
Standard library only.
"""
import argparse
import difflib
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

HOST_NS = re.compile(rb'"host_ns":[0-9]+,')


def normalised_trace(path):
    """The trace's bytes without host_ns (every event has it right after guest_cycle)."""
    with open(path, "rb") as f:
        data = f.read()
    out = HOST_NS.sub(b"", data)
    lines = data.count(b"\n")
    if len(HOST_NS.findall(data)) != lines:
        raise SystemExit(f"{path}: not every event carries host_ns exactly once")
    return out


def write_gzip(path, data):
    # mtime=0 and no file name: regenerating unchanged goldens gives unchanged bytes.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)


def without_backend_section(dump_bytes):
    """The dump without a JIT run's "jit" section, byte for byte as the interpreter writes it.
    The section is the dump's last member: `,\n  "jit": {...\n  }` before the closing `\n}`."""
    start = dump_bytes.rfind(b',\n  "jit": {')
    if start < 0:
        return dump_bytes
    end = dump_bytes.rfind(b"\n  }")
    return dump_bytes[:start] + dump_bytes[end + len(b"\n  }"):]


def image_sha(dump_bytes):
    try:
        return json.loads(dump_bytes)["run"]["image_sha256"]
    except (ValueError, KeyError):
        return None


def check_digest(golden_dir, trace_bytes, dump_bytes, status):
    """The --digest form of the check: hashes instead of files."""
    got = {"image_sha256": image_sha(dump_bytes), "exit_status": status,
           "trace_events": trace_bytes.count(b"\n"), "trace_sha256": hashlib.sha256(trace_bytes).hexdigest(),
           "dump_sha256": hashlib.sha256(dump_bytes).hexdigest()}
    path = os.path.join(golden_dir, "digest.json")
    if os.environ.get("HEXAD_GOLDEN_UPDATE") == "1":
        os.makedirs(golden_dir, exist_ok=True)
        with open(path, "w") as f:
            json.dump(got, f, indent=2)
            f.write("\n")
        print(f"updated {path} (exit status {status})")
        return 0
    if not os.path.exists(path):
        print(f"FAIL: golden file {path} is missing (record it with HEXAD_GOLDEN_UPDATE=1 ctest -L golden)")
        return 1
    with open(path) as f:
        want = json.load(f)
    differing = [k for k in got if got[k] != want.get(k)]
    if not differing:
        print(f"golden digest: {got['trace_events']} events, trace and dump identical")
        return 0
    for k in differing:
        print(f"FAIL: {k} {got[k]!r}, golden {want.get(k)!r}")
    print("Compare traces with hexad-audit diff (old commit's run against this one); if the change is meant, "
          "regenerate with HEXAD_GOLDEN_UPDATE=1 ctest -L golden and say why in the commit message.")
    return 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--xex", required=True)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--digest", action="store_true", help="golden = digest.json (hashes), not the files")
    ap.add_argument("extra", nargs="*", help="options passed to hexad run (after --)")
    args = ap.parse_args()

    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    run_dir = os.path.join(args.out, "run")
    cmd = [args.hexad, "run", args.xex, "--out", run_dir, "--quiet"] + args.extra
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    trace = os.path.join(run_dir, "trace.jsonl")
    dump = os.path.join(run_dir, "exit-thread-state.json")
    if not os.path.exists(trace) or not os.path.exists(dump):
        print(f"FAIL: hexad run exited {proc.returncode} without a trace or dump:\n"
              f"{proc.stderr.decode('utf-8', 'replace')[:2000]}")
        return 1
    with open(dump, "rb") as f:
        dump_bytes = without_backend_section(f.read())

    if args.digest:
        return check_digest(args.golden, normalised_trace(trace), dump_bytes, proc.returncode)

    golden_trace = os.path.join(args.golden, "trace.jsonl.gz")
    golden_dump = os.path.join(args.golden, "exit-thread-state.json")
    if os.environ.get("HEXAD_GOLDEN_UPDATE") == "1":
        os.makedirs(args.golden, exist_ok=True)
        write_gzip(golden_trace, normalised_trace(trace))
        with open(golden_dump, "wb") as f:
            f.write(dump_bytes)
        print(f"updated {args.golden} (exit status {proc.returncode})")
        return 0

    for p in (golden_trace, golden_dump):
        if not os.path.exists(p):
            print(f"FAIL: golden file {p} is missing (record it with HEXAD_GOLDEN_UPDATE=1 ctest -L golden)")
            return 1
    with open(golden_dump, "rb") as f:
        want_dump = f.read()
    failures = []
    if image_sha(want_dump) != image_sha(dump_bytes):
        failures.append(f"the title image differs from the one the golden files were recorded with "
                        f"(sha256 {image_sha(dump_bytes)} vs {image_sha(want_dump)}): a different cross compiler "
                        f"or SDK? Everything below follows from that.")

    expanded = os.path.join(args.out, "golden-trace.jsonl")
    with gzip.open(golden_trace, "rb") as src, open(expanded, "wb") as dst:
        shutil.copyfileobj(src, dst)
    diff = subprocess.run([args.audit, "diff", expanded, trace, "--max-show", "3"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600)
    text = diff.stdout.decode("utf-8", "replace")
    if diff.returncode != 0:
        failures.append(f"trace differs from the golden trace (hexad-audit diff GOLDEN NEW exited "
                        f"{diff.returncode}):\n{text[:4000]}")
    else:
        # Equal as JSON; the writer's bytes (key order, number and string formatting) are part
        # of the contract too.
        with open(expanded, "rb") as f:
            want = f.read().split(b"\n")
        got = normalised_trace(trace).split(b"\n")
        for i, (a, b) in enumerate(zip(want, got)):
            if a != b:
                failures.append(f"trace equals the golden trace as JSON but not byte for byte, first at line {i + 1}:"
                                f"\n  golden: {a[:600].decode('utf-8', 'replace')}\n  new:    {b[:600].decode('utf-8', 'replace')}")
                break

    if dump_bytes != want_dump:
        lines = list(difflib.unified_diff(want_dump.decode("utf-8", "replace").splitlines(),
                                          dump_bytes.decode("utf-8", "replace").splitlines(),
                                          "golden/exit-thread-state.json", "new/exit-thread-state.json", lineterm=""))
        failures.append("exit-thread-state.json differs from the golden dump:\n" + "\n".join(lines[:80]))

    if failures:
        for m in failures:
            print(f"FAIL: {m}")
        print("If the change is meant to alter what titles do or how it is traced: regenerate with "
              "HEXAD_GOLDEN_UPDATE=1 ctest -L golden (in the build folder) and say why in the commit message.")
        return 1
    print(f"golden: {text.strip()}; dump identical ({len(dump_bytes)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
