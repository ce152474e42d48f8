#!/usr/bin/env python3
"""check_golden.py's own checks must be able to fail: runs it against a stand-in for hexad that
writes a given trace and dump, and checks that it passes an identical run (host_ns aside) and
fails every kind of difference, byte-level ones that are equal as JSON included (key order and
formatting are part of the contract).

  selftest_check_golden.py --audit HEXAD_AUDIT

Standard library only."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# hexad stand-in: `FAKE run XEX --out DIR --quiet --from SRC` copies SRC's trace and dump into DIR.
FAKE_HEXAD = """#!/usr/bin/env python3
import os, shutil, sys
a = sys.argv
out, src = a[a.index("--out") + 1], a[a.index("--from") + 1]
os.makedirs(out, exist_ok=True)
for name in ("trace.jsonl", "exit-thread-state.json"):
    shutil.copy(os.path.join(src, name), os.path.join(out, name))
"""

TRACE = [
    '{"idx":0,"kind":"run.start","tid":0,"slot":-1,"round":0,"guest_cycle":0,"host_ns":%d,"schema":"hexad.trace/1"}',
    '{"idx":1,"kind":"wait.begin","tid":1,"slot":0,"round":3,"guest_cycle":120,"host_ns":%d,"handles":["0x00001000"]}',
    '{"idx":2,"kind":"run.stop","tid":1,"slot":0,"round":4,"guest_cycle":160,"host_ns":%d,"reason":"exit"}',
]
DUMP = {"schema": "hexad.exit-thread-state/1", "run": {"image_sha256": "ab" * 32, "rounds": 4},
        "threads": [{"tid": 1, "state": "Exited"}]}


def write_run(root, name, trace_lines, dump_text):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "trace.jsonl"), "w") as f:
        f.write("".join(line + "\n" for line in trace_lines))
    with open(os.path.join(d, "exit-thread-state.json"), "w") as f:
        f.write(dump_text)
    return d


def trace(host_seed, edit=None):
    lines = [t % (1000 * i + host_seed) for i, t in enumerate(TRACE)]
    if edit:
        lines[1] = edit(lines[1])
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--audit", required=True)
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="hexad_golden_selftest_")
    failures = 0
    try:
        fake = os.path.join(root, "fake-hexad")
        with open(fake, "w") as f:
            f.write(FAKE_HEXAD)
        os.chmod(fake, 0o755)
        golden = os.path.join(root, "golden")
        dump = json.dumps(DUMP, indent=2) + "\n"

        def check(source, env_extra=None):
            out = os.path.join(root, "out")
            cmd = [sys.executable, os.path.join(HERE, "check_golden.py"), "--hexad", fake, "--audit", args.audit,
                   "--xex", "title.xex", "--golden", golden, "--out", out, "--", "--from", source]
            env = {k: v for k, v in os.environ.items() if k != "HEXAD_GOLDEN_UPDATE"}
            env.update(env_extra or {})
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=120)
            return p.returncode, p.stdout.decode("utf-8", "replace")

        def expect(name, source, code, pattern):
            nonlocal failures
            rc, text = check(source)
            if rc != code or pattern not in text:
                failures += 1
                print(f"FAIL {name}: exit {rc} (expected {code}), output should contain {pattern!r}:")
                print("    " + text.replace("\n", "\n    "))
            else:
                print(f"ok   {name}")

        base = write_run(root, "base", trace(0), dump)
        rc, text = check(base, {"HEXAD_GOLDEN_UPDATE": "1"})
        if rc != 0 or not os.path.exists(os.path.join(golden, "trace.jsonl.gz")):
            print(f"FAIL record: exit {rc}:\n{text}")
            return 1

        expect("identical", base, 0, "dump identical")
        expect("other-host-ns", write_run(root, "host", trace(777), dump), 0, "dump identical")
        expect("trace-field", write_run(root, "field", trace(0, lambda l: l.replace('"round":3', '"round":2')), dump),
               1, "trace differs from the golden trace")
        # Equal as JSON, not byte for byte: keys swapped, or a space added.
        expect("trace-key-order", write_run(root, "order", trace(0, lambda l: l.replace(
            '"tid":1,"slot":0', '"slot":0,"tid":1')), dump), 1, "not byte for byte, first at line 2")
        expect("trace-spacing", write_run(root, "space", trace(0, lambda l: l.replace('"round":3', '"round": 3')), dump),
               1, "not byte for byte, first at line 2")
        expect("dump-value", write_run(root, "dvalue", trace(0), dump.replace('"rounds": 4', '"rounds": 5')), 1,
               "exit-thread-state.json differs from the golden dump")
        expect("dump-formatting", write_run(root, "dformat", trace(0), json.dumps(DUMP, indent=1) + "\n"), 1,
               "exit-thread-state.json differs from the golden dump")
        expect("dump-key-order", write_run(root, "dorder", trace(0), json.dumps(DUMP, indent=2, sort_keys=True) + "\n"),
               1, "exit-thread-state.json differs from the golden dump")
        expect("dump-final-newline", write_run(root, "dnewline", trace(0), dump.rstrip("\n")), 1,
               "exit-thread-state.json differs from the golden dump")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if failures:
        print(f"{failures} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
