#!/usr/bin/env python3
"""Fails if an implemented kernel export is called by no bundled title.

  check_export_coverage.py --exports-cmd "HEXAD exports" --golden-dir tests/golden

The implemented exports come from the command's output (`hexad exports`): one line per export,
`module<TAB>0xORD<TAB>name<TAB>implemented|stub<TAB>signature`. The calls come from the golden
traces (tests/golden/*/trace.jsonl.gz, one per title and option variant): every `import.call`
event with `implemented: true`. The golden traces are what every title does, recorded and
checked by the golden tests, so reading them is deterministic and needs no runs.

Prints the exports no title calls and exits 1 if there is any; exits 2 when the export list or
the traces cannot be read. Standard library only.
"""
import argparse
import glob
import gzip
import json
import os
import shlex
import subprocess
import sys


def die(message):
    print(f"export coverage: {message}", file=sys.stderr)
    sys.exit(2)


def module_stem(module):
    """`xboxkrnl.exe` and `xboxkrnl` name the same module."""
    return module.lower().rsplit(".", 1)[0] if module.lower().endswith((".exe", ".xex")) else module.lower()


def implemented_exports(cmd):
    """{(module, ordinal): name} of the exports the command lists as implemented."""
    try:
        proc = subprocess.run(shlex.split(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except OSError as e:
        die(f"cannot run the export-list command {cmd!r}: {e}")
    if proc.returncode != 0:
        die(f"the export-list command {cmd!r} exited {proc.returncode} "
                 f"(this check needs `hexad exports`, which prints one line per export: "
                 f"module, ordinal, name, implemented|stub, signature):\n"
                 f"{proc.stderr.decode('utf-8', 'replace').strip()}")
    exports = {}
    for n, line in enumerate(proc.stdout.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t", 4)  # the signature is the rest of the line
        if len(fields) != 5 or fields[3] not in ("implemented", "stub") or not fields[1].startswith("0x"):
            die(f"line {n} of the export list is not "
                     f"module<TAB>0xORD<TAB>name<TAB>implemented|stub<TAB>signature: {line!r}")
        if fields[3] == "implemented":
            exports[(module_stem(fields[0]), int(fields[1], 16))] = fields[2]
    if not exports:
        die(f"the export-list command {cmd!r} lists no implemented export")
    return exports


def called_exports(golden_dir):
    """{(module, ordinal): set of golden folders whose trace calls it}."""
    traces = sorted(glob.glob(os.path.join(golden_dir, "*", "trace.jsonl.gz")))
    if not traces:
        die(f"no golden traces in {golden_dir}/*/trace.jsonl.gz")
    called = {}
    for path in traces:
        name = os.path.basename(os.path.dirname(path))
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if '"import.call"' not in line:
                    continue
                e = json.loads(line)
                if e["kind"] == "import.call" and e["implemented"]:
                    called.setdefault((module_stem(e["module"]), e["ord"]), set()).add(name)
    return called, len(traces)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exports-cmd", required=True, help="command printing the export list (`hexad exports`)")
    ap.add_argument("--golden-dir", required=True, help="the golden folders (tests/golden)")
    args = ap.parse_args()

    exports = implemented_exports(args.exports_cmd)
    called, n_traces = called_exports(args.golden_dir)
    missing = sorted((key, name) for key, name in exports.items() if key not in called)
    print(f"export coverage: {len(exports) - len(missing)} of {len(exports)} implemented exports called "
          f"by the titles ({n_traces} golden traces)")
    for (module, ordinal), name in missing:
        print(f"FAIL export coverage: {module} ordinal 0x{ordinal:03x} {name} is implemented but no title calls it")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
