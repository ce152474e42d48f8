#!/usr/bin/env python3
"""exports.agreement_selftest: check_exports.py must fail, naming the problem, on each kind of
disagreement it exists to catch (applied to copies of the SDK headers, names tables, known gaps
and facts), and pass on the unmodified copies."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(hexad, root, ci=None, facts="facts"):
    env = dict(os.environ)
    env.pop("CI", None)
    if ci:
        env["CI"] = ci
    out = subprocess.run([sys.executable, str(HERE / "check_exports.py"), "--hexad", hexad, "--sdk", str(root / "hx"),
                          "--names", str(root / "names"), "--gaps", str(root / "known_gaps.tsv"),
                          "--facts", str(root / facts)], capture_output=True, text=True, env=env)
    return out.returncode, out.stdout + out.stderr


def edit(path, old, new):
    text = path.read_text()
    if old not in text:
        raise SystemExit(f"selftest setup: {old!r} not in {path}")
    path.write_text(text.replace(old, new, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--source", required=True, help="the repository root")
    ap.add_argument("--facts", required=True)
    args = ap.parse_args()
    src = Path(args.source)
    if not Path(args.facts).is_dir():
        print(f"SKIPPED: {args.facts} is missing", file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else 0

    # (name, mutation on the copy, expected exit status, text the output must contain, CI)
    cases = [
        ("unmodified", lambda r: None, 0, "exports.agreement: OK", None),
        ("SDK ordinal moved", lambda r: edit(r / "hx/kernel.h", "0x00F6, NtSetEvent", "0x00F8, NtSetEvent"), 1,
         "SDK declares xboxkrnl 0x00F8 as NtSetEvent, names/xboxkrnl.tsv says 'NtSetIoCompletion'", None),
        ("SDK name misspelt", lambda r: edit(r / "hx/kernel.h", "0x0153, KeTlsFree,", "0x0153, KeTlsFre,"), 1,
         "SDK declares xboxkrnl 0x0153 as KeTlsFre", None),
        # An SDK declaration of an export hexad lacks, not listed as a known gap (the list is empty
        # now that every SDK import is implemented).
        ("SDK import neither registered nor a known gap",
         lambda r: (r / "hx/kernel.h").write_text((r / "hx/kernel.h").read_text().replace(
             "#endif", "HX_IMPORT(xboxkrnl, 0x01B0, VdBlockUntilGUIIdle, void, (void));\n#endif", 1)), 1,
         "0x01B0 VdBlockUntilGUIIdle, which is neither registered", None),
        ("known gap registered now",
         lambda r: (r / "known_gaps.tsv").write_text((r / "known_gaps.tsv").read_text() + "xboxkrnl\t0x00F6\tNtSetEvent\tx\n"),
         1, "0x00F6 NtSetEvent is registered now", None),
        ("names table disagrees with the registry and the facts",
         lambda r: edit(r / "names/xboxkrnl.tsv", "207\tNtClose\n", "207\tNtCloseX\n"), 1,
         "registry: xboxkrnl 0x00CF is NtClose, names/xboxkrnl.tsv says 'NtCloseX'", None),
        ("SDK variable declared as a function",
         lambda r: edit(r / "hx/kernel.h", "HX_IMPORT_VAR(xboxkrnl, 0x0158, XboxKrnlVersion, XBOX_KRNL_VERSION)",
                        "HX_IMPORT(xboxkrnl, 0x0158, XboxKrnlVersion, int, (void))"), 1,
         "XboxKrnlVersion is declared as a Function, the facts say Variable", None),
        ("facts missing, CI=true", lambda r: shutil.rmtree(r / "facts"), 1, "SKIPPED", "true"),
        ("facts missing, not CI", lambda r: shutil.rmtree(r / "facts"), 0, "SKIPPED", None),
    ]
    failures = 0
    for name, mutate, want_status, want_text, ci in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            shutil.copytree(src / "sdk/include/hx", root / "hx")
            shutil.copytree(src / "src/kernel/xboxkrnl/exports/names", root / "names")
            shutil.copy(src / "src/kernel/xboxkrnl/exports/known_gaps.tsv", root / "known_gaps.tsv")
            shutil.copytree(args.facts, root / "facts")
            mutate(root)
            status, output = run(args.hexad, root, ci)
            ok = status == want_status and want_text in output
            print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {status} (want {want_status})")
            if not ok:
                failures += 1
                print(f"     expected output to contain {want_text!r}; got:\n{output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
