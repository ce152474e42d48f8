#!/usr/bin/env python3
"""Checks that difffuzz reports a divergence: runs it against a stand-in "hexad" that is
qemu-ppc64 with the POWER9 model (XER OV32/CA32, ISA 3.0), which must mismatch the 970 model,
and that the minimizer shrinks the finding to at most three units.

usage: selftest.py RUN GEN QEMU WORKDIR
"""
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path


def main():
    run, gen, qemu, work = sys.argv[1:5]
    work = Path(work)
    shutil.rmtree(work, ignore_errors=True)  # failing batches of earlier runs are kept there
    work.mkdir(parents=True)
    fake = work / "fake-hexad"
    # Called as: fake-hexad run --quiet ELF
    fake.write_text(f'#!/bin/sh\nexec "{qemu}" -cpu power9 "$3"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    p = subprocess.run([sys.executable, run, "--seed", "3", "--blocks", "300", "--classes", "int,cr",
                        "--hexad", str(fake), "--gen", gen, "-j", "2", "--minimize", "--keep", str(work)],
                       capture_output=True, text=True)
    out = p.stdout + p.stderr
    ok = (p.returncode == 1 and "MISMATCH: seed 3, block" in out and "xer" in out
          and re.search(r"MINIMIZED \([123] units\)", out) is not None)
    if not ok:
        print(out)
        print(f"selftest: expected exit 1, a MISMATCH in xer and a minimized block of at most 3 units (exit was {p.returncode})")
        return 1
    print("selftest: the POWER9 stand-in was caught and minimized")
    return 0


if __name__ == "__main__":
    sys.exit(main())
