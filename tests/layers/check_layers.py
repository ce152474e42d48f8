#!/usr/bin/env python3
"""The layering rule of docs/architecture.md, checked on every #include "..." of src/ and tools/.

  check_layers.py SOURCE_ROOT

Each component may include only itself and the components listed for it. A component is the
longest matching path prefix below. Fails (exit 1) naming every offending include; standard
library only.
"""
import os
import re
import sys

# component: the components it may include (besides itself). The table is the rule.
ALLOWED = {
    "src/base": [],
    "src/trace": ["src/base"],
    "src/cpu/isa": ["src/base"],
    "src/cpu": ["src/base", "src/cpu/isa"],                      # memory, context, exec_backend
    "src/cpu/interp": ["src/base", "src/cpu", "src/cpu/isa"],
    "src/cpu/jit": ["src/base", "src/cpu", "src/cpu/isa", "src/cpu/interp"],  # falls back to the interpreter's handlers
    "src/cpu/sched": ["src/base", "src/cpu"],                    # knows threads and time, not NT objects
    "src/loader": ["src/base", "src/cpu"],
    "src/gpu": ["src/base", "src/cpu", "src/trace"],               # the GPU state a boot sets up
    "src/kernel/xboxkrnl": ["src/base", "src/cpu", "src/cpu/sched", "src/trace", "src/loader", "src/gpu"],
    "src/kernel/linux_user": ["src/base", "src/cpu", "src/loader"],
    "tools/conformance": ["src/base", "src/cpu", "src/cpu/isa"],
    "tools/audit": ["src/base", "src/trace"],
    "tools/xexpack": ["src/base", "src/cpu", "src/loader"],
    "tools/difffuzz": ["src/base", "src/cpu", "src/cpu/isa", "src/loader"],  # difffuzz-exec loads the batch ELF
    "tools/fuzz": ["src/base", "src/cpu", "src/cpu/isa", "src/loader", "src/kernel/xboxkrnl", "tools/audit"],
    "src/app": ["src/base", "src/trace", "src/cpu", "src/cpu/isa", "src/cpu/interp", "src/cpu/jit", "src/cpu/sched",
                "src/loader", "src/gpu", "src/kernel/xboxkrnl", "src/kernel/linux_user", "tools/conformance", "tools/audit"],
}
# The sanctioned exceptions: the backend factory names the backends (exec_backend.h says so).
EXCEPTIONS = {("src/cpu/exec_backend.cc", "src/cpu/interp"), ("src/cpu/exec_backend.cc", "src/cpu/jit")}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def component(path):
    best = None
    for c in ALLOWED:
        if path == c or path.startswith(c + "/"):
            if best is None or len(c) > len(best):
                best = c
    return best


def resolve(include, including_file, root):
    """The repository path an include names: src/-relative, tools/-relative, or beside the file."""
    for base in ("src", "tools", os.path.dirname(including_file)):
        candidate = os.path.normpath(os.path.join(base, include))
        if os.path.exists(os.path.join(root, candidate)):
            return candidate
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems, checked = [], 0
    for top in ("src", "tools"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".cc", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                mine = component(rel)
                if mine is None:
                    problems.append(f"{rel}: in no component of the layering table")
                    continue
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    text = f.read()
                for inc in INCLUDE.findall(text):
                    target = resolve(inc, rel, root)
                    if target is None:
                        continue  # generated or system-like header (build tree)
                    checked += 1
                    theirs = component(target)
                    if theirs == mine or theirs in ALLOWED[mine] or (rel, theirs) in EXCEPTIONS:
                        continue
                    problems.append(f"{rel}: includes \"{inc}\" ({theirs}), but {mine} may include only "
                                    f"{', '.join(ALLOWED[mine]) or 'itself'}")
    for p in problems:
        print(f"FAIL {p}")
    print(f"layers: {checked} includes checked, {len(problems)} outside the rule")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
