#!/usr/bin/env python3
"""exports.sdk_resolves: every function the SDK declares (HX_IMPORT and HX_IMPORT_U64 in
sdk/include/hx/*.h) resolves to an export `hexad exports` lists as *implemented* under the same
(module, ordinal) and name. A title written against the SDK then never reaches an unimplemented
import or a stub. Fails on a declaration that is missing from the registry, named differently
there, or registered only as a stub. The exceptions are printed as NOT RESOLVED, and both lists
must shrink to nothing: an import listed in src/kernel/xboxkrnl/exports/known_gaps.tsv (exports
another slice of the kernel work is adding; exports.agreement checks the list itself), and a stub
named with --allow-stub MODULE!NAME (tests/exports/CMakeLists.txt says whose work it waits for).
Standard library only."""
import argparse
import re
import subprocess
import sys
from pathlib import Path

IMPORT_RE = re.compile(r"\b(HX_IMPORT|HX_IMPORT_U64|HX_IMPORT_U64_ARG1_64|HX_IMPORT_ARG4_64)\(\s*(\w+)\s*,\s*(0[xX][0-9A-Fa-f]+|\d+)\s*,\s*(\w+)\s*,")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--sdk", required=True)
    ap.add_argument("--gaps", required=True)
    ap.add_argument("--allow-stub", action="append", default=[], metavar="MODULE!NAME")
    args = ap.parse_args()

    out = subprocess.run([args.hexad, "exports"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"FAIL: `hexad exports` exited {out.returncode}: {out.stderr.strip()}")
        return 1
    registry = {}
    for line in out.stdout.splitlines():
        module, ordinal, name, status, _ = line.split("\t")
        registry[(module, int(ordinal, 16))] = (name, status)
    gaps = set()
    for line in Path(args.gaps).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            parts = line.split("\t")
            gaps.add((parts[0], int(parts[1], 0)))

    failures, declared, unresolved = [], 0, []
    for header in sorted(Path(args.sdk).glob("*.h")):
        text = header.read_text()
        for m in IMPORT_RE.finditer(text):
            module, ordinal, name = m.group(2), int(m.group(3), 0), m.group(4)
            where = f"{header.name}:{text.count(chr(10), 0, m.start()) + 1}"
            declared += 1
            entry = registry.get((module, ordinal))
            if entry is None:
                if (module, ordinal) in gaps:
                    unresolved.append(f"{module}!{name}")
                else:
                    failures.append(f"{where}: {module} 0x{ordinal:04X} {name} is not a registered export")
            elif entry[0] != name:
                failures.append(f"{where}: {module} 0x{ordinal:04X} is {entry[0]} in the registry, not {name}")
            elif entry[1] != "implemented" and f"{module}!{name}" in args.allow_stub:
                unresolved.append(f"{module}!{name} (a stub)")
            elif entry[1] != "implemented":
                failures.append(f"{where}: {name} is registered as a {entry[1]}: the SDK must declare only "
                                "implemented exports")
    if declared == 0:
        failures.append(f"no HX_IMPORT declarations found in {args.sdk}")
    for f in failures:
        print(f"FAIL: {f}")
    registered_stubs = {f"{m}!{n}" for (m, _), (n, st) in registry.items() if st == "stub"}
    for allowed in args.allow_stub:
        if allowed not in registered_stubs:
            failures.append(f"--allow-stub {allowed}: not a registered stub any more: remove the allowance")
            print(f"FAIL: {failures[-1]}")
    if unresolved:
        print(f"NOT RESOLVED (known gaps and allowed stubs, {len(unresolved)}): {', '.join(unresolved)}")
    print(f"exports.sdk_resolves: {declared} SDK function imports, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
