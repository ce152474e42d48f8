#!/usr/bin/env python3
"""exports.agreement: the export registry (`hexad exports`), the SDK's import declarations
(sdk/include/hx/*.h), the names tables (src/kernel/xboxkrnl/exports/names/<module>.tsv), the known gaps
(src/kernel/xboxkrnl/exports/known_gaps.tsv) and, when present, the shared facts
(../shared/facts/<module>-ordinals.tsv) must agree on (module, ordinal, name).

Fails on: an SDK import whose name or ordinal disagrees with the names table; a registry entry
the names table names differently (or not at all); an SDK function import neither registered nor
a known gap; a known gap that is registered now or that the SDK does not declare; a names table
that differs from the facts. Reports the known gaps by name. Without the facts folder it skips
that part loudly, and fails under CI=true (the facts are part of the CI checkout).
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

MODULES = ("xboxkrnl", "xam")
IMPORT_RE = re.compile(r"\b(HX_IMPORT|HX_IMPORT_U64|HX_IMPORT_ARG2_64|HX_IMPORT_U64_ARG1_64|HX_IMPORT_ARG4_64|HX_IMPORT_VAR)\(\s*(\w+)\s*,\s*(0[xX][0-9A-Fa-f]+|\d+)\s*,\s*(\w+)\s*,")

errors = []


def error(msg):
    errors.append(msg)
    print(f"FAIL: {msg}")


def parse_sdk(sdk_dir):
    """(module, ordinal) -> (name, kind, where) for every HX_IMPORT* with a literal ordinal."""
    found = {}
    headers = sorted(Path(sdk_dir).glob("*.h"))
    if not headers:
        error(f"no SDK headers in {sdk_dir}")
    for path in headers:
        text = path.read_text()
        for m in IMPORT_RE.finditer(text):
            macro, module, ordinal, name = m.group(1), m.group(2), int(m.group(3), 0), m.group(4)
            line = text.count("\n", 0, m.start()) + 1
            where = f"{path.name}:{line}"
            kind = "Variable" if macro == "HX_IMPORT_VAR" else "Function"
            if module not in MODULES:
                error(f"{where}: {name}: unknown module '{module}'")
            elif (module, ordinal) in found:
                error(f"{where}: {module} 0x{ordinal:04X} {name} is declared twice (also {found[(module, ordinal)][2]})")
            else:
                found[(module, ordinal)] = (name, kind, where)
    return found


def parse_tsv(path, columns, ordinal_column, name_column, kind_column=None, comments=False):
    """(ordinal -> (name, kind, line)) keyed by module when the file has a module column."""
    rows = []
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        if comments and (line.startswith("#") or not line.strip()):
            continue
        parts = line.split("\t")
        if len(parts) < columns:
            error(f"{path}:{number}: expected {columns} tab-separated columns, got {len(parts)}: {line!r}")
            continue
        try:
            ordinal = int(parts[ordinal_column], 0)
        except ValueError:
            error(f"{path}:{number}: bad ordinal {parts[ordinal_column]!r}")
            continue
        rows.append((parts, ordinal, parts[name_column], parts[kind_column] if kind_column is not None else None, number))
    return rows


def load_names(names_dir):
    names = {}
    for module in MODULES:
        path = Path(names_dir) / f"{module}.tsv"
        for parts, ordinal, name, _, number in parse_tsv(path, 2, 0, 1):
            if (module, ordinal) in names:
                error(f"{path}:{number}: ordinal {ordinal} appears twice")
            names[(module, ordinal)] = name
    return names


def load_registry(hexad):
    out = subprocess.run([hexad, "exports"], capture_output=True, text=True)
    if out.returncode != 0:
        error(f"`hexad exports` exited {out.returncode}: {out.stderr.strip()}")
        return {}
    registry = {}
    for number, line in enumerate(out.stdout.splitlines(), 1):
        parts = line.split("\t")
        if len(parts) != 5 or parts[3] not in ("implemented", "stub") or not re.fullmatch(r"0x[0-9A-F]{4}", parts[1]):
            error(f"`hexad exports` line {number} is not module<TAB>0xORD<TAB>name<TAB>implemented|stub<TAB>signature: {line!r}")
            continue
        registry[(parts[0], int(parts[1], 16))] = (parts[2], parts[3], parts[4])
    if not registry:
        error("`hexad exports` listed no exports")
    return registry


def check_facts(facts_dir, names):
    for module in MODULES:
        path = Path(facts_dir) / f"{module}-ordinals.tsv"
        if not path.is_file():
            error(f"{path} is missing")
            continue
        facts = {}
        for parts, ordinal, name, kind, number in parse_tsv(path, 4, 1, 2, 3):
            if parts[0] != module:
                error(f"{path}:{number}: module {parts[0]!r}, expected {module!r}")
            facts[ordinal] = (name, kind)
        ours = {o: n for (m, o), n in names.items() if m == module}
        for ordinal in sorted(set(facts) | set(ours)):
            fact, mine = facts.get(ordinal, (None, None))[0], ours.get(ordinal)
            if fact != mine:
                error(f"names/{module}.tsv ordinal {ordinal} (0x{ordinal:04X}) is {mine!r}, the facts say {fact!r}")
        yield module, facts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--sdk", required=True, help="sdk/include/hx")
    ap.add_argument("--names", required=True, help="src/kernel/xboxkrnl/exports/names")
    ap.add_argument("--gaps", required=True, help="src/kernel/xboxkrnl/exports/known_gaps.tsv")
    ap.add_argument("--facts", required=True, help="../shared/facts")
    args = ap.parse_args()

    sdk = parse_sdk(args.sdk)
    names = load_names(args.names)
    registry = load_registry(args.hexad)
    gaps = {}
    for parts, ordinal, name, _, number in parse_tsv(args.gaps, 4, 1, 2, comments=True):
        gaps[(parts[0], ordinal)] = (name, number)

    for (module, ordinal), (name, kind, where) in sorted(sdk.items()):
        named = names.get((module, ordinal))
        if named != name:
            error(f"{where}: SDK declares {module} 0x{ordinal:04X} as {name}, names/{module}.tsv says {named!r}")
            others = [f"0x{o:04X}" for (m, o), n in names.items() if m == module and n == name]
            if others:
                print(f"      ({name} is ordinal {', '.join(others)} in names/{module}.tsv)")
    for (module, ordinal), (name, _, _) in sorted(registry.items()):
        named = names.get((module, ordinal))
        if named != name:
            error(f"registry: {module} 0x{ordinal:04X} is {name}, names/{module}.tsv says {named!r}")
        sdk_entry = sdk.get((module, ordinal))
        if sdk_entry and sdk_entry[1] != "Function":
            error(f"registry: {module} 0x{ordinal:04X} {name} is a function, the SDK declares a variable")

    missing = []
    for (module, ordinal), (name, kind, where) in sorted(sdk.items()):
        if kind != "Function" or (module, ordinal) in registry:
            continue
        if (module, ordinal) in gaps:
            missing.append(f"{module}!{name} (0x{ordinal:04X})")
        else:
            error(f"{where}: the SDK declares {module} 0x{ordinal:04X} {name}, which is neither registered "
                  f"(HEXAD_EXPORT) nor listed in {args.gaps}")
    for (module, ordinal), (name, number) in sorted(gaps.items()):
        if (module, ordinal) in registry:
            error(f"{args.gaps}:{number}: {module} 0x{ordinal:04X} {name} is registered now: remove it from the known gaps")
        elif (module, ordinal) not in sdk:
            error(f"{args.gaps}:{number}: {module} 0x{ordinal:04X} {name} is not declared by the SDK")
        elif sdk[(module, ordinal)][0] != name:
            error(f"{args.gaps}:{number}: 0x{ordinal:04X} is {sdk[(module, ordinal)][0]} in the SDK, not {name}")

    if Path(args.facts).is_dir():
        for module, facts in check_facts(args.facts, names):
            for (m, ordinal), (name, kind, where) in sorted(sdk.items()):
                if m == module and ordinal in facts and facts[ordinal][1] != kind:
                    error(f"{where}: {name} is declared as a {kind}, the facts say {facts[ordinal][1]}")
            for (m, ordinal), (name, _, _) in sorted(registry.items()):
                if m == module and ordinal in facts and facts[ordinal][1] != "Function":
                    error(f"registry: {name} is registered as a function, the facts say {facts[ordinal][1]}")
        facts_note = "names tables match the facts"
    else:
        msg = f"SKIPPED: the facts folder {args.facts} is missing: names/*.tsv NOT checked against the facts"
        print(("FAIL: " if os.environ.get("CI") == "true" else "") + msg, file=sys.stderr)
        if os.environ.get("CI") == "true":
            errors.append(msg)
        facts_note = "facts NOT checked (missing)"

    not_in_sdk = [f"{m}!{n} (0x{o:04X})" for (m, o), (n, _, _) in sorted(registry.items()) if (m, o) not in sdk]
    print(f"registry: {len(registry)} exports; SDK: {len(sdk)} imports; {facts_note}")
    print(f"registered but not declared by the SDK ({len(not_in_sdk)}): {', '.join(not_in_sdk) if not_in_sdk else 'none'}")
    print(f"known gaps (SDK imports not implemented, {len(missing)}): {', '.join(missing) if missing else 'none'}")
    if errors:
        print(f"exports.agreement: {len(errors)} problem(s)")
        return 1
    print("exports.agreement: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
