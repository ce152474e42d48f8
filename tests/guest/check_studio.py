#!/usr/bin/env python3
"""hexad studio, driven by --script under xvfb-run (README "Using hexad studio").

  check_studio.py --hexad HEXAD --audit HEXAD_AUDIT --xex-dir DIR --out DIR

1. A title launched from the studio and run to its end writes the same trace (hexad-audit diff)
   and the same exit dump as `hexad run` with the same options.
2. Paused, stepped a round and then events, resumed: the pauses land where asked (round + 1,
   more events each step) and the trace and dump are still the CLI's.
3. A deadlocking title: the wedges are classified by explain's rules (three for waitcycle).
4. A recorded run folder opens offline with all its events.
5. Bad options and a bad script exit 2 with a message, before any window opens.
6. The input recorder: keys pressed in a studio run (press/release, at pauses break-print makes)
   are recorded to a file and noted in run.json; `hexad run --input FILE` gives the same trace.
7. Screenshots (screenshot PATH PANEL) of pingpong after N rounds: the timeline's lanes show both
   of its threads (the view model the frame was drawn from, and the lane pixels in their colours),
   the panels are not blank.
8. The screen panel on the drawing title shows its last frame's pixels.
Standard library only.
"""
import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys

from png_rgba import read_png_pixels as read_png

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")
    return cond


def studio(args, target, out, *extra):
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(args.out, "config"))
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", args.hexad, "studio", target] + (["--out", out] if out else []) + list(extra)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


def cli_run(args, xex, out, *extra):
    subprocess.run([args.hexad, "run", xex, "--out", out, "--quiet"] + list(extra), capture_output=True, timeout=300)


def same_run(args, a, b, what):
    d = subprocess.run([args.audit, "diff", os.path.join(a, "trace.jsonl"), os.path.join(b, "trace.jsonl")],
                       capture_output=True, text=True)
    check(d.returncode == 0, f"{what}: traces differ: {d.stdout[-400:]}")
    check(filecmp.cmp(os.path.join(a, "exit-thread-state.json"), os.path.join(b, "exit-thread-state.json"), shallow=False),
          f"{what}: exit dumps differ")


def draw_pattern(f):
    """The colours of draw.c's frame f (0-based), as check_frames.py computes them."""
    return {((4 * x + 8 * f) & 255, (5 * y + 3 * f) & 255, (x ^ y ^ (16 * f)) & 255) for x in range(80) for y in range(40)}


def thread_colour(tid):
    """timeline_view.cc's colour of a thread: hue from the tid, saturation 0.55, value 0.85."""
    import colorsys
    hue = (tid * 0.61803398875) % 1.0
    return tuple(round(v * 255) for v in colorsys.hsv_to_rgb(hue, 0.55, 0.85))


def near(c, want, tolerance=3):
    return all(abs(a - b) <= tolerance for a, b in zip(c, want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--xex-dir", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    if not shutil.which("xvfb-run"):
        print("FAIL: xvfb-run is not installed (Debian package xvfb; scripts/setup installs it)")
        return 1
    pingpong = os.path.join(args.xex_dir, "pingpong.xex")
    # `hexad studio` runs hexad-studio from beside hexad: a copy of hexad alone says so.
    lone = os.path.join(args.out, "lone")
    os.makedirs(lone)
    shutil.copy(args.hexad, lone)
    r = subprocess.run([os.path.join(lone, os.path.basename(args.hexad)), "studio", pingpong, "--script", "quit"],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 2 and "cannot run" in r.stderr and "hexad-studio" in r.stderr,
          f"studio without hexad-studio: status {r.returncode}: {r.stderr[-400:]}")
    cli = os.path.join(args.out, "cli")
    cli_run(args, pingpong, cli, "--quantum", "5000")

    # 1. Run to the end.
    out = os.path.join(args.out, "run")
    r = studio(args, pingpong, out, "--quantum", "5000", "--script", "wait-end; quit")
    check(r.returncode == 0, f"run: status {r.returncode}: {r.stderr[-400:]}")
    check("finished (exit)" in r.stdout, f"run: summary {r.stdout!r}")
    same_run(args, out, cli, "run to the end")

    # 2. Paused, stepped, resumed.
    out = os.path.join(args.out, "stepped")
    r = studio(args, pingpong, out, "--quantum", "5000", "--paused", "--script",
               "wait-paused; step-round; wait-paused; step-event; wait-paused; step-event; wait-paused; "
               "run; wait-end; quit")
    check(r.returncode == 0, f"stepped: status {r.returncode}: {r.stderr[-400:]}")
    pauses = [tuple(map(int, m)) for m in re.findall(r"paused at round (\d+), (\d+) events, (\d+) instructions", r.stdout)]
    if check(len(pauses) == 4, f"stepped: pauses {pauses} in {r.stdout!r}"):
        check(pauses[0][0] == 0 and pauses[0][2] == 0, f"the run starts paused before any instruction: {pauses[0]}")
        check(pauses[1][0] == pauses[0][0] + 1, f"step-round pauses at the next round: {pauses[:2]}")
        check(pauses[2][1] > pauses[1][1] and pauses[3][1] > pauses[2][1], f"step-event adds events: {pauses[1:]}")
    same_run(args, out, cli, "paused and stepped")

    # 3. A wedge, explained.
    out = os.path.join(args.out, "waitcycle")
    r = studio(args, os.path.join(args.xex_dir, "waitcycle.xex"), out, "--script", "wait-end; quit")
    check("3 wedges explained, finished (deadlock)" in r.stdout, f"waitcycle: {r.stdout!r} {r.stderr[-300:]}")

    # 4. A recorded run, offline.
    with open(os.path.join(cli, "trace.jsonl")) as f:
        events = sum(1 for _ in f)
    r = studio(args, cli, None, "--script", "wait-frames 3; quit")
    check(r.returncode == 0 and f"{events} events" in r.stdout, f"offline: {r.returncode} {r.stdout!r} {r.stderr[-300:]}")
    r = studio(args, os.path.join(args.out, "no-such-run"), None, "--script", "wait-frames 2; quit")
    check(r.returncode == 0 and ": 0 threads, 0 events" in r.stdout, f"a missing run folder is an error shown, not a crash: {r.stdout!r}")

    # 5. Bad input.
    r = studio(args, pingpong, None, "--bogus", "--script", "quit")
    check(r.returncode == 2 and "unknown option '--bogus'" in r.stderr, f"bad option: {r.returncode} {r.stderr!r}")
    r = studio(args, pingpong, None, "--script", "jump")
    check(r.returncode == 2 and "'jump' is not one of" in r.stderr, f"bad script: {r.returncode} {r.stderr!r}")

    # 6. The input recorder.
    echo = os.path.join(args.xex_dir, "input_echo.xex")
    recorded = os.path.join(args.out, "recorded-input.json")
    out = os.path.join(args.out, "input")
    r = studio(args, echo, out, "--paused", "--script",
               f"record-input {recorded}; wait-paused; break-print buttons 0x1000; press A; run; wait-paused; "
               "release A; run; wait-end; quit")
    check(r.returncode == 0 and "finished (exit)" in r.stdout, f"input: {r.returncode} {r.stdout!r} {r.stderr[-300:]}")
    with open(os.path.join(out, "stdout.log")) as f:
        log = f.read()
    check("input_echo: A pressed and released" in log, f"input: the title did not see A pressed and released: {log!r}")
    if check(os.path.exists(recorded), "input: no recorded file"):
        with open(recorded) as f:
            script = json.load(f)
        events = script.get("events", [])
        check([e.get("buttons") for e in events] == [0x1000, 0], f"input: recorded events {events}")
        with open(os.path.join(out, "run.json")) as f:
            run = json.load(f)
        check(run.get("input", {}).get("recorded") == recorded and run["input"].get("studio_events") == 2,
              f"input: run.json input {run.get('input')}")
        check("--input-data" in run.get("args", []), f"input: run.json args {run.get('args')}")
        replayed = os.path.join(args.out, "input-cli")
        cli_run(args, echo, replayed, "--input", recorded)
        same_run(args, out, replayed, "studio input and hexad run --input")
        # Without the input the title sees no controller: the recording is what made the run.
        bare = os.path.join(args.out, "input-none")
        cli_run(args, echo, bare)
        d = subprocess.run([args.audit, "diff", os.path.join(out, "trace.jsonl"), os.path.join(bare, "trace.jsonl")],
                           capture_output=True, text=True)
        check(d.returncode != 0, "input: a run without the input has the same trace (the input changed nothing)")

    # 7. Screenshots of pingpong after some rounds, paused.
    shots = os.path.join(args.out, "shots")
    os.makedirs(shots)
    out = os.path.join(args.out, "shots-run")
    panels = ["timeline", "threads", "events", "run"]
    steps = "; ".join(["step-round; wait-paused"] * 6)
    takes = "; ".join(f"screenshot {os.path.join(shots, p + '.png')} {p}" for p in panels)
    r = studio(args, pingpong, out, "--quantum", "5000", "--paused", "--script",
               f"wait-paused; {steps}; wait-frames 3; {takes}; wait-frames 2; quit")
    check(r.returncode == 0, f"shots: {r.returncode} {r.stderr[-300:]}")
    lanes = {}
    for m in re.finditer(r"studio: screenshot (\S+) (\d+)x(\d+) lanes(( \d:\[[\d,]*\])+) screen-frame (\d+)", r.stdout):
        lanes[os.path.basename(m.group(1))] = {int(k): [int(t) for t in v.split(",") if t]
                                               for k, v in re.findall(r"(\d):\[([\d,]*)\]", m.group(4))}
    if check(sorted(lanes) == sorted(p + ".png" for p in panels), f"shots: taken {sorted(lanes)} in {r.stdout!r}"):
        seen = sorted({t for ts in lanes["timeline.png"].values() for t in ts})
        # pingpong's two threads (tids 2 and 3, affinity slots 1 and 2) and main.
        check(2 in seen and 3 in seen, f"shots: the lanes show threads {seen}, not both of pingpong's")
        w, h, rows = read_png(os.path.join(shots, "timeline.png"))
        pixels = [p[:3] for row in rows for p in row]
        for tid in (2, 3):
            n = sum(1 for p in pixels if near(p, thread_colour(tid)))
            check(n > 50, f"shots: thread {tid}'s colour {thread_colour(tid)} covers {n} pixels of the timeline")
        for p in panels:
            w, h, rows = read_png(os.path.join(shots, p + ".png"))
            colours = {px for row in rows for px in row}
            check(w > 100 and h > 50 and len(colours) > 8, f"shots: {p}.png is blank ({w}x{h}, {len(colours)} colours)")

    # 8. The screen panel on the drawing title (tests/guest/draw.c): after its nine frames the
    # panel shows frame 9, and the picture holds that frame's pattern (check_frames.py's formula;
    # SDL scales a texture by repeating pixels, so the colours are exact).
    out = os.path.join(args.out, "draw")
    screen = os.path.join(shots, "screen.png")
    r = studio(args, os.path.join(args.xex_dir, "draw.xex"), out, "--script",
               f"wait-end; wait-frames 3; screenshot {screen} screen; quit")
    m = re.search(r"screenshot \S+ \d+x\d+ lanes.* screen-frame (\d+)", r.stdout)
    check(r.returncode == 0 and m and m.group(1) == "9", f"screen: {r.returncode} {r.stdout!r} {r.stderr[-300:]}")
    if check(os.path.exists(screen), "screen: no screenshot"):
        pattern = draw_pattern(8)  # frame 9, 0-based
        w, h, rows = read_png(screen)
        shown = sum(1 for row in rows for p in row if p[:3] in pattern)
        check(shown >= 80 * 40, f"screen: {shown} pixels of the {w}x{h} panel show frame 9's pattern")

    # 9. A recorded run folder shows the last frame the run wrote with --frames-dir (run.json's
    # args), and says why there is none when it wrote none.
    recorded, frames = os.path.join(args.out, "draw_recorded"), os.path.join(args.out, "draw_frames")
    r = subprocess.run([args.hexad, "run", os.path.join(args.xex_dir, "draw.xex"), "--out", recorded,
                        "--frames-dir", frames], capture_output=True, text=True)
    if check(r.returncode == 0, f"recorded screen: the draw run failed: {r.stderr[-300:]}"):
        shot = os.path.join(shots, "recorded_screen.png")
        r = studio(args, recorded, None, "--script", f"wait-frames 3; screenshot {shot} screen; quit")
        m = re.search(r"screenshot \S+ \d+x\d+ lanes.* screen-frame (\d+)", r.stdout)
        check(r.returncode == 0 and m and m.group(1) == "9",
              f"recorded screen: {r.returncode} {r.stdout!r} {r.stderr[-300:]}")
        if check(os.path.exists(shot), "recorded screen: no screenshot"):
            w, h, rows = read_png(shot)
            shown = sum(1 for row in rows for p in row if p[:3] in draw_pattern(8))
            check(shown >= 80 * 40, f"recorded screen: {shown} pixels of the {w}x{h} panel show frame 9's pattern")

    print("studio: all checks passed" if not failures else f"studio: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
