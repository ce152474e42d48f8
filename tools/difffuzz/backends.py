"""difffuzz backend-against-backend mode (`tools/difffuzz/run --backends A,B`), no qemu involved.

Each class in --classes is its own stream of blocks (block G of class C is `difffuzz-gen --classes C`'s
block G; `mix` is every class in one block). A batch is generated with --bare, assembled, linked,
and run in process by difffuzz-exec under both backends in every scenario (full, every budget cut
and its resumption, stop_pc at every word, single steps, scratch page read-only and inaccessible),
in 64- and 32-bit mode. `--backends auto` pairs the default backend with every other one the
build knows (or with itself when there is no other). See docs/difffuzz.md.
"""
import concurrent.futures
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

STREAMS = ["int", "cr", "ldst", "fp", "vmx", "br", "ext", "vmx128", "mix"]
MIX = "int,cr,ldst,fp,vmx,br,ext,vmx128"
AS_FLAGS = ["-a64", "-mbig", "-mregnames", "-many", "-maltivec"]
RESULT = re.compile(r"^RESULT blocks=(\d+) runs=(\d+) mismatched_blocks=(\d+) mismatched_runs=(\d+) "
                    r"full_ended=(\d+) full_stopped_early=(\d+)$", re.M)


class Setup(Exception):
    pass


def checked(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise Setup(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p.stdout


def streams_of(classes):
    names = []
    for c in classes.split(","):
        names += STREAMS if c == "all" else [c]
    for c in names:
        if c not in STREAMS:
            raise Setup(f"unknown class '{c}' ({', '.join(STREAMS)}, all)")
    return names


def pairs_of(spec, exe):
    if spec != "auto":
        names = spec.split(",")
        if len(names) != 2 or not all(names):
            raise Setup("--backends needs A,B or auto")
        return [tuple(names)]
    known = checked([exe, "--list-backends"]).split()
    if not known:
        raise Setup("difffuzz-exec lists no backend")
    return [(known[0], other) for other in known[1:]] or [(known[0], known[0])]


def build(args, work, stream, first, count, replace=None):
    """Generates, assembles and links one batch in `work`: (elf, nm listing, records, units) paths."""
    asm, data, units, obj, elf, nm = (work / n for n in ("b.S", "b.bin", "b.txt", "b.o", "b.elf", "b.nm"))
    cmd = [args.gen, "--seed", str(args.seed), "--first", str(first), "--count", str(count),
           "--classes", MIX if stream == "mix" else stream, "--bare",
           "--asm", str(asm), "--data", str(data), "--units", str(units)]
    checked(cmd + (["--replace", str(replace)] if replace else []))
    checked([args.cross + "as"] + AS_FLAGS + ["-o", str(obj), str(asm)])
    checked([args.cross + "ld", "-static", "-e", "_start", "-o", str(elf), str(obj)])
    nm.write_text(checked([args.cross + "nm", str(elf)]))
    return elf, nm, data, units


def execute(args, pair, elf, nm, data):
    """difffuzz-exec on one batch: (its stdout, the RESULT match)."""
    cmd = [args.exec, "--elf", str(elf), "--symbols", str(nm), "--data", str(data), "--backends", ",".join(pair),
           "--modes", args.modes, "--max-report", str(args.max_report)]
    if args.perturb:
        cmd += ["--perturb", args.perturb]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    m = RESULT.search(p.stdout)
    if p.returncode not in (0, 1) or m is None:
        raise Setup(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return p.stdout, m


def run_batch(args, stream, pairs, first, count, keep_root):
    """Builds one batch and runs it under every pair: [(pair, blocks, runs, bad blocks, bad runs, early, report)]."""
    work = Path(tempfile.mkdtemp(prefix=f"difffuzz-{stream}-{first}-", dir=keep_root))
    keep = False
    try:
        elf, nm, data, units = build(args, work, stream, first, count)
        out = []
        for a, b in pairs:
            stdout, m = execute(args, (a, b), elf, nm, data)
            n_blocks, runs, bad_blocks, bad_runs, ended, early = map(int, m.groups())
            report = ""
            if bad_runs:
                keep = True
                report = stdout[:m.start()] + annotate(args, stream, units, stdout, work)
                first_bad = int(re.search(r"^MISMATCH block (\d+),", stdout, re.M).group(1))
                report = (stream, first_bad, (a, b), report)
            out.append(((a, b), n_blocks, runs, bad_blocks, bad_runs, early, report))
        return out
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def units_of(units_text, block):
    lines, on = [], False
    for line in units_text.splitlines():
        if line.startswith("block "):
            on = line == f"block {block}"
        elif on:
            lines.append(line)
    return lines


def minimize(args, stream, block, pair, keep_root):
    """Deletes units of a mismatching block while it still mismatches on its own: (report, units) or None."""
    work = Path(tempfile.mkdtemp(prefix=f"difffuzz-min-{stream}-{block}-", dir=keep_root))
    elf, nm, data, units_path = build(args, work, stream, block, 1)
    units = units_of(units_path.read_text(), block)
    replace = work / "units.txt"

    def attempt(candidate):
        replace.write_text("".join(u + "\n" for u in candidate))
        stdout, m = execute(args, pair, *build(args, work, stream, block, 1, replace)[:3])
        return stdout if int(m.group(4)) else None

    best = attempt(units)
    if best is None:
        return None
    i = len(units) - 1
    while i >= 0:
        candidate = units[:i] + units[i + 1:]
        if candidate:
            out = attempt(candidate)
            if out is not None:
                units, best = candidate, out
        i -= 1
    attempt(units)  # leave the final form's files in `work`
    return best[:RESULT.search(best).start()] + f"  batch kept in {work}\n", units


def annotate(args, stream, units_path, stdout, work):
    """The units and a reproduce command for each block named in the report."""
    text = units_path.read_text()
    lines = []
    for g in sorted({int(x) for x in re.findall(r"^MISMATCH block (\d+),", stdout, re.M)}):
        body = ["    " + u for u in units_of(text, g)]
        lines.append(f"  block {g} ({stream}) units:\n" + "\n".join(body))
        lines.append(f"  reproduce: tools/difffuzz/run --backends {args.backends} --seed {args.seed} --first {g} "
                     f"--blocks 1 --classes {stream}")
    lines.append(f"  batch kept in {work}")
    return "\n".join(lines) + "\n"


def main_backends(args):
    if args.exec is None:
        args.exec = str(Path(args.gen).parent / "difffuzz-exec")
    for exe in (args.gen, args.exec, args.cross + "as", args.cross + "ld", args.cross + "nm"):
        if shutil.which(exe) is None:
            print(f"difffuzz: {exe} not found")
            return 2
    keep_root = Path(args.keep) if args.keep else Path(tempfile.gettempdir())
    keep_root.mkdir(parents=True, exist_ok=True)
    try:
        streams = streams_of(args.classes)
        pairs = pairs_of(args.backends, args.exec)
    except Setup as e:
        print(f"difffuzz: {e}")
        return 2
    jobs = [(s, g, min(args.batch, args.first + args.blocks - g))
            for s in streams for g in range(args.first, args.first + args.blocks, args.batch)]
    totals = {(p, s): [0, 0, 0, 0, 0] for p in pairs for s in streams}
    reports = []
    t0 = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(run_batch, args, s, pairs, g, n, keep_root): s for s, g, n in jobs}
            for fut in concurrent.futures.as_completed(futures):
                for pair, *counts, report in fut.result():
                    row = totals[(pair, futures[fut])]
                    for k, v in enumerate(counts):
                        row[k] += v
                    if report:
                        reports.append(report)
    except Setup as e:
        print(f"difffuzz: {e}")
        return 2
    secs = time.monotonic() - t0
    reports.sort(key=lambda r: (STREAMS.index(r[0]), r[1]))
    for r in reports[:args.max_failures]:
        print(r[3])
    if reports and args.minimize:
        stream, block, pair, _ = reports[0]
        try:
            m = minimize(args, stream, block, pair, keep_root)
        except Setup as e:
            print(f"difffuzz: minimizing failed: {e}")
            m = None
        if m is None:
            print(f"minimize: block {block} ({stream}) does not mismatch on its own")
        else:
            print(f"MINIMIZED block {block} ({stream}, {len(m[1])} units):\n" + "".join(f"    {u}\n" for u in m[1]) + m[0])
    print(f"difffuzz: seed {args.seed}, blocks {args.first}..{args.first + args.blocks - 1} per class, "
          f"modes {args.modes}, {secs:.1f}s")
    # "early": full runs (per mode) that stopped before the block's end, i.e. at a fault.
    print(f"{'backends':<16} {'class':<6} {'blocks':>9} {'runs':>11} {'early':>7} {'bad blocks':>10} {'bad runs':>9}")
    bad = 0
    for (pair, s), (n, runs, bb, br, early) in totals.items():
        print(f"{pair[0] + ' vs ' + pair[1]:<16} {s:<6} {n:>9} {runs:>11} {early:>7} {bb:>10} {br:>9}")
        bad += br
    all_blocks = sum(v[0] for v in totals.values())
    print(f"difffuzz: {all_blocks} blocks, {sum(v[1] for v in totals.values())} runs, {bad} mismatching runs, "
          f"{all_blocks / secs if secs > 0 else 0:.0f} blocks/s")
    return 1 if bad else 0
