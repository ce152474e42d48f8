#!/usr/bin/env python3
"""Checks the drawing title's frames under `hexad run --frames-dir` (issue #13, "Must show").

  check_frames.py --hexad HEXAD --xex draw.xex --out DIR

1. runs draw.xex with --frames-dir DIR/run1/frames: the title must pass its own checks, and each
   frame-NNNNNN.png must hold exactly the pattern draw.c documents, computed here independently:
   frame f (0-based; the file is f + 1) at (x, y) is R = (4x + 8f) & 255, G = (5y + 3f) & 255,
   B = (x ^ y ^ 16f) & 255, A = 255, 80x40 — whatever the format and tiling the title used;
   the trace's gpu.swap events must say which frames were presented, and only those have files;
2. runs it again into DIR/run2: the PNG files and the exit dumps must be byte-identical;
3. a --frames-dir that is a file is refused before the run starts (exit status 2, no run folder).
Standard library only (PNGs are decoded by png_rgba.py: zlib plus the five row filters).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

from png_rgba import read_png

FRAMES, W, H = 9, 80, 40


def pattern(f, x, y):
    return ((4 * x + 8 * f) & 255, (5 * y + 3 * f) & 255, (x ^ y ^ (16 * f)) & 255, 255)


def run(hexad, xex, out, frames):
    shutil.rmtree(out, ignore_errors=True)
    return subprocess.run([hexad, "run", xex, "--out", out, "--quiet", "--frames-dir", frames],
                          capture_output=True, text=True, timeout=240)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--xex", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    problems = []
    outs = []
    for name in ("run1", "run2"):
        out = os.path.join(a.out, name)
        frames = os.path.join(out + "-frames")
        shutil.rmtree(frames, ignore_errors=True)
        p = run(a.hexad, a.xex, out, frames)
        stdout = open(os.path.join(out, "stdout.log")).read() if os.path.exists(os.path.join(out, "stdout.log")) else ""
        if "draw: PASS" not in stdout:
            problems.append(f"{name}: the title did not pass (exit {p.returncode}): {stdout[-2000:]} {p.stderr[-500:]}")
        swaps = [json.loads(l) for l in open(os.path.join(out, "trace.jsonl")) if '"gpu.swap"' in l]
        presented = {e["frame"] for e in swaps if e["presented"]}
        files = sorted(os.listdir(frames))
        want_files = [f"frame-{n:06}.png" for n in sorted(presented)]
        if files != want_files:
            problems.append(f"{name}: frame files {files}, want {want_files} (the presented swaps)")
        if sorted(presented)[:FRAMES] != list(range(1, FRAMES + 1)):
            problems.append(f"{name}: swaps 1..{FRAMES} must all be presented, got {sorted(presented)}")
        for f in range(FRAMES):
            path = os.path.join(frames, f"frame-{f + 1:06}.png")
            if not os.path.exists(path):
                continue
            width, height, rows = read_png(path)
            if (width, height) != (W, H):
                problems.append(f"{path}: {width}x{height}, want {W}x{H}")
                continue
            bad = [(x, y) for y in range(H) for x in range(W)
                   if tuple(rows[y][4 * x:4 * x + 4]) != pattern(f, x, y)]
            if bad:
                x, y = bad[0]
                problems.append(f"{path}: {len(bad)} pixels differ from the pattern; first ({x},{y}) = "
                                f"{tuple(rows[y][4 * x:4 * x + 4])}, want {pattern(f, x, y)}")
        outs.append((out, frames, files))
    (o1, f1, files1), (o2, f2, files2) = outs
    for n in files1:
        if n in files2 and open(os.path.join(f1, n), "rb").read() != open(os.path.join(f2, n), "rb").read():
            problems.append(f"{n} differs between two runs")
    if open(os.path.join(o1, "exit-thread-state.json"), "rb").read() != open(os.path.join(o2, "exit-thread-state.json"), "rb").read():
        problems.append("the exit dumps of two runs differ")
    bad_dir = os.path.join(a.out, "not-a-folder")
    open(bad_dir, "w").write("x")
    bad_out = os.path.join(a.out, "bad")
    p = run(a.hexad, a.xex, bad_out, bad_dir)
    if p.returncode != 2 or "--frames-dir" not in p.stderr or os.path.exists(os.path.join(bad_out, "trace.jsonl")):
        problems.append(f"a file as --frames-dir: exit {p.returncode}, stderr {p.stderr!r}; want 2 and a clear error")
    for problem in problems:
        print(problem)
    print(f"check_frames: {'FAIL' if problems else 'ok'} ({len(files1)} frames checked)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
