#!/usr/bin/env python3
"""Checks that difffuzz-exec's comparison of two backends can fail: builds one batch of blocks, runs
it with both sides on the same backend (every run must agree), then once per --perturb kind, which
corrupts one field of the second side's outcomes: each must exit 1 naming that field.

usage: selftest_backends.py GEN EXEC CROSS_PREFIX WORKDIR
"""
import shutil
import subprocess
import sys
from pathlib import Path

# --perturb kind -> text the mismatch report must contain (outcome.cc's field names).
EXPECTED = {
    "gpr": "  r5: ", "fpr": "  f9: ", "vr": "  v7: ", "cr": "  cr: ", "xer": "  xer: ", "fpscr": "  fpscr: ",
    "vscr": "  vscr: ", "lr": "  lr: ", "ctr": "  ctr: ", "pc": "  pc: ", "msr": "  msr: ",
    "mem": "  mem[0x40000800]: ", "count": "  instructions: ", "retired": "  run.retired: ", "stop": "  run.why: ",
    "fault": "  fault.kind: ", "reservation": "  reservations (granule bits): ",
}


def main():
    gen, exe, cross, work = sys.argv[1:5]
    work = Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    asm, data, obj, elf, nm = (work / n for n in ("b.S", "b.bin", "b.o", "b.elf", "b.nm"))
    subprocess.run([gen, "--seed", "5", "--count", "8", "--classes", "int,ldst,br", "--bare", "--asm", str(asm),
                    "--data", str(data)], check=True)
    subprocess.run([cross + "as", "-a64", "-mbig", "-mregnames", "-many", "-maltivec", "-o", str(obj), str(asm)],
                   check=True, capture_output=True)
    subprocess.run([cross + "ld", "-static", "-e", "_start", "-o", str(elf), str(obj)], check=True)
    nm.write_text(subprocess.run([cross + "nm", str(elf)], capture_output=True, text=True, check=True).stdout)
    default = subprocess.run([exe, "--list-backends"], capture_output=True, text=True, check=True).stdout.split()[0]
    base = [exe, "--elf", str(elf), "--symbols", str(nm), "--data", str(data), "--backends", f"{default},{default}",
            "--max-report", "1"]
    failures = []
    p = subprocess.run(base, capture_output=True, text=True)
    if p.returncode != 0 or "mismatched_runs=0" not in p.stdout:
        failures.append(f"unperturbed: exit {p.returncode}, want 0 and no mismatch:\n{p.stdout[-1500:]}{p.stderr}")
    for kind, text in EXPECTED.items():
        p = subprocess.run(base + ["--perturb", kind], capture_output=True, text=True)
        if p.returncode != 1 or text not in p.stdout:
            failures.append(f"--perturb {kind}: exit {p.returncode}, want 1 and {text.strip()!r} in:\n"
                            f"{p.stdout[-1500:]}{p.stderr}")
    p = subprocess.run(base + ["--perturb", "no-such-field"], capture_output=True, text=True)
    if p.returncode != 2:
        failures.append(f"--perturb no-such-field: exit {p.returncode}, want 2")
    for f in failures:
        print("FAIL " + f)
    if not failures:
        print(f"selftest_backends: {default} vs {default} agrees; all {len(EXPECTED)} perturbations caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
