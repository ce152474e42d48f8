#!/usr/bin/env python3
"""hexad replay and the SIGUSR1 snapshot, on the bundled titles.

- Replay verifies recorded runs of several titles under several options (exit 0, "replay
  verified: N events" with N the recorded trace's length), including an interrupted run.
- A tampered trace line, a tampered recorded option, a trace cut short or run on: exit 1, the
  index, both events, the differing fields and the last 5 common events are printed.
- A changed or missing image, an engine version that differs, --out naming the recorded folder:
  exit 2 with a message naming what is wrong (--allow-version-mismatch replays with a warning).
- --until IDX: the new folder's trace is the recorded events 0..J (J >= IDX, the end of the
  operation that produced IDX) and a run.stop "until"; the dump describes that moment (its counts
  agree with that trace prefix) and is the same every time. --until-round R likewise.
- kill -USR1 writes snapshot-<round>.json (stop reason snapshot) that agrees with the trace
  prefix it counts, without changing the trace."""
import argparse
import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import time

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def events(path):
    """The trace's events, host_ns removed."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            e.pop("host_ns", None)
            out.append(e)
    return out


def record(hexad, xex, out, *opts):
    shutil.rmtree(out, ignore_errors=True)
    r = run([hexad, "run", xex, "--out", out, "--quiet", *opts])
    check(os.path.exists(os.path.join(out, "run.json")), f"record {xex} {opts}: no run.json ({r.stderr})")
    return r


def replay(hexad, run_dir, *opts, cwd=None):
    return run([hexad, "replay", run_dir, "--quiet", *opts], cwd=cwd)


def check_verified(hexad, run_dir, what):
    n = len(events(os.path.join(run_dir, "trace.jsonl")))
    r = replay(hexad, run_dir, "--out", run_dir + "-replay")
    check(r.returncode == 0 and r.stdout.strip() == f"replay verified: {n} events",
          f"{what}: replay exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")
    return r


def check_diverged(r, what, idx, fields=()):
    out = r.stdout
    check(r.returncode == 1, f"{what}: exit {r.returncode}, want 1 ({r.stderr!r})")
    check(f"replay diverged at event {idx}" in out, f"{what}: index {idx} not reported: {out!r}")
    check("recorded:" in out and "replayed:" in out, f"{what}: both events not shown: {out!r}")
    for f in fields:
        check(f"    {f}:" in out, f"{what}: differing field {f} not listed: {out!r}")
    if idx >= 5:
        check("last 5 common events:" in out, f"{what}: no context: {out!r}")
        lines = out.split("last 5 common events:\n", 1)[-1].splitlines()
        ctx = [json.loads(l) for l in lines[:5] if l.startswith("    {")]
        check([e.get("idx") for e in ctx] == list(range(idx - 5, idx)), f"{what}: context {[e.get('idx') for e in ctx]}")


def check_world(dump, prefix, what):
    """The dump agrees with the trace prefix it was taken after: thread set, exits, event counts."""
    threads = {t["tid"]: t for t in dump["threads"]}
    created = [e["new_tid"] for e in prefix if e["kind"] == "thread.create"]
    check(sorted(threads) == sorted(created), f"{what}: threads {sorted(threads)} vs created {created}")
    exited = {e["tid"] for e in prefix if e["kind"] == "thread.exit"}
    per_tid = collections.Counter(e["tid"] for e in prefix)
    for tid, t in threads.items():
        check((t["state"] == "Exited") == (tid in exited), f"{what}: thread {tid} is {t['state']}, exit traced: {tid in exited}")
        check(t["events"] == per_tid[tid], f"{what}: thread {tid} has {t['events']} events in the dump, {per_tid[tid]} in the trace")
    # A thread whose last wait.begin has no wait.end after it is blocked in that wait.
    open_wait = {}
    for e in prefix:
        if e["kind"] == "wait.begin":
            open_wait[e["tid"]] = True
        elif e["kind"] == "wait.end":
            open_wait[e["tid"]] = False
    for tid, waiting in open_wait.items():
        if tid in threads and threads[tid]["state"] not in ("Exited", "Faulted"):
            check(("wait" in threads[tid]) == waiting, f"{what}: thread {tid} wait in dump {('wait' in threads[tid])}, open in trace {waiting}")


def check_until(hexad, run_dir, recorded, idx, what):
    outs = []
    for k in range(2):
        out = f"{run_dir}-until-{idx}-{k}"
        shutil.rmtree(out, ignore_errors=True)
        r = replay(hexad, run_dir, "--until", str(idx), "--out", out)
        if not check(r.returncode == 0, f"{what} --until {idx}: exit {r.returncode} {r.stderr!r}"):
            return
        outs.append(out)
    trace = events(os.path.join(outs[0], "trace.jsonl"))
    dump = json.load(open(os.path.join(outs[0], "exit-thread-state.json")))
    stop = trace[-1]
    j = len(trace) - 2  # the last event before run.stop
    check(stop["kind"] == "run.stop" and stop["reason"] == "until", f"{what} --until {idx}: last event {stop}")
    check(j >= idx and trace[:-1] == recorded[: j + 1], f"{what} --until {idx}: trace is not the recorded prefix 0..{j}")
    # The stop is right after the operation of event IDX: the events after IDX up to J are that
    # operation's (no thread's next kernel call has begun: only the acting thread's own
    # import.call, or a wait.begin's immediate wait.end, can close it).
    check(j - idx <= 8, f"{what} --until {idx}: stopped {j - idx} events late")
    check(dump["run"]["stop_reason"] == "until" and dump["run"]["until"] == {"event": idx, "last_event": j},
          f"{what} --until {idx}: dump run {dump['run'].get('stop_reason')} {dump['run'].get('until')}")
    check(dump["run"]["trace_events"] == j + 2, f"{what} --until {idx}: trace_events {dump['run']['trace_events']}")
    check(dump["run"]["instructions"] == stop["instructions"] and dump["run"]["rounds"] == stop["rounds"],
          f"{what} --until {idx}: dump and run.stop disagree")
    check_world(dump, trace[:-1], f"{what} --until {idx}")
    # Deterministic: the second stop is the same world and the same trace.
    check(open(os.path.join(outs[0], "exit-thread-state.json")).read() == open(os.path.join(outs[1], "exit-thread-state.json")).read(),
          f"{what} --until {idx}: two dumps differ")
    check(trace == events(os.path.join(outs[1], "trace.jsonl")), f"{what} --until {idx}: two traces differ")
    # The until folder replays itself (its run.json records the --until).
    r = replay(hexad, outs[0], "--out", outs[0] + "-again")
    check(r.returncode == 0 and r.stdout.startswith(f"replay verified: {j + 1} events"),
          f"{what} --until {idx}: replaying the until folder: {r.returncode} {r.stdout!r} {r.stderr!r}")
    return trace, dump


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--xex-dir", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    hexad, xd, base = os.path.abspath(a.hexad), a.xex_dir, os.path.abspath(a.out)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    xex = lambda t: os.path.join(xd, t + ".xex")
    d = lambda name: os.path.join(base, name)

    # Replay verifies: titles that exit, deadlock, fault, time out; other scheduler options.
    cases = [("hello", []), ("pingpong", []), ("deadlock", []), ("fault", []), ("timeouts", []),
             ("prodcons", ["--quantum", "997"]), ("starvation", ["--no-aging", "--budget", "3000000"]),
             ("rotation", ["--quantum", "1000", "--aging-rounds-per-bonus", "3", "--max-age-bonus", "5"])]
    for title, opts in cases:
        record(hexad, xex(title), d(title), *opts)
        check_verified(hexad, d(title), f"{title} {opts}")
        rj = json.load(open(os.path.join(d(title), "run.json")))
        check(rj["args"] == opts, f"{title}: run.json args {rj['args']}, want {opts}")

    # From another working folder, with a relative recorded path: image_absolute finds the image.
    rel = os.path.relpath(xex("hello"), base)
    r = run([hexad, "run", rel, "--out", "rel", "--quiet"], cwd=base)
    r = replay(hexad, d("rel"), "--out", d("rel-replay"), cwd="/")
    check(r.returncode == 0, f"relative image: {r.returncode} {r.stderr!r}")

    # Divergence: a tampered trace line, by index and field.
    pp = d("pingpong")
    tampered = d("tampered")
    shutil.copytree(pp, tampered)
    lines = open(os.path.join(tampered, "trace.jsonl")).read().splitlines(True)
    e = json.loads(lines[700])
    e["guest_cycle"] += 1
    e["tid"] = 99
    lines[700] = json.dumps(e, separators=(",", ":")) + "\n"
    open(os.path.join(tampered, "trace.jsonl"), "w").writelines(lines)
    r = replay(hexad, tampered, "--out", d("tampered-replay"))
    check_diverged(r, "tampered trace", 700, ["guest_cycle", "tid"])
    dump = json.load(open(d("tampered-replay/exit-thread-state.json")))
    check(dump["run"]["stop_reason"] == "diverged", f"tampered trace: replay dump stop {dump['run']['stop_reason']}")

    # Divergence: a recorded option changed (the replay runs what run.json says).
    opt_run = d("tampered-option")
    shutil.copytree(d("rotation"), opt_run)
    rj = json.load(open(os.path.join(opt_run, "run.json")))
    rj["args"] = ["--quantum", "1001"] + rj["args"][2:]
    json.dump(rj, open(os.path.join(opt_run, "run.json"), "w"))
    r = replay(hexad, opt_run, "--out", d("tampered-option-replay"))
    check_diverged(r, "tampered option", 0, ["options"])
    # The whole trace as recorded under --quantum 1001 verifies under that option.
    record(hexad, xex("rotation"), d("rotation-1001"), "--quantum", "1001")
    check_verified(hexad, d("rotation-1001"), "rotation --quantum 1001")

    # Divergence: the recorded trace ends early, or goes on.
    short = d("short")
    shutil.copytree(pp, short)
    lines = open(os.path.join(short, "trace.jsonl")).read().splitlines(True)
    open(os.path.join(short, "trace.jsonl"), "w").writelines(lines[:-3])
    r = replay(hexad, short, "--out", d("short-replay"))
    check_diverged(r, "short trace", len(lines) - 3)
    check("the recorded trace ends after" in r.stdout, f"short trace: {r.stdout!r}")
    longer = d("long")
    shutil.copytree(pp, longer)
    open(os.path.join(longer, "trace.jsonl"), "a").write(lines[-1])
    r = replay(hexad, longer, "--out", d("long-replay"))
    check_diverged(r, "long trace", len(lines))
    check("the replay ended after" in r.stdout, f"long trace: {r.stdout!r}")

    # Bad input: a changed image, a missing image, another engine version, --out on the record.
    img = d("image-copy.xex")
    shutil.copy(xex("hello"), img)
    record(hexad, img, d("img"))
    sha = json.load(open(d("img/run.json")))["image_sha256"]
    data = bytearray(open(img, "rb").read())
    data[-1] ^= 0xFF
    open(img, "wb").write(data)
    r = replay(hexad, d("img"))
    check(r.returncode == 2 and "has changed" in r.stderr and img in r.stderr and sha in r.stderr,
          f"changed image: {r.returncode} {r.stderr!r}")
    os.remove(img)
    r = replay(hexad, d("img"))
    check(r.returncode == 2 and "is missing" in r.stderr and img in r.stderr, f"missing image: {r.returncode} {r.stderr!r}")
    ver = d("version")
    shutil.copytree(d("hello"), ver)
    rj = json.load(open(os.path.join(ver, "run.json")))
    rj["engine"]["version"] = "0.0.1+other"
    json.dump(rj, open(os.path.join(ver, "run.json"), "w"))
    r = replay(hexad, ver, "--out", d("version-replay"))
    check(r.returncode == 2 and "0.0.1+other" in r.stderr and "--allow-version-mismatch" in r.stderr,
          f"version: {r.returncode} {r.stderr!r}")
    r = replay(hexad, ver, "--out", d("version-replay"), "--allow-version-mismatch")
    check(r.returncode == 0 and "warning" in r.stderr and r.stdout.startswith("replay verified:"),
          f"version allowed: {r.returncode} {r.stdout!r} {r.stderr!r}")
    r = replay(hexad, d("hello"), "--out", d("hello") + "/.")
    check(r.returncode == 2 and "never overwrites" in r.stderr, f"--out on the record: {r.returncode} {r.stderr!r}")
    # A run.json that is not what hexad run writes: exit 2 naming it, never a crash.
    for name, edit in (("schema", lambda j: j.update(schema=5)), ("args", lambda j: j.update(args=[1, 2])),
                       ("replay", lambda j: j.update(replay={"until_event": "x"})),
                       ("unfinished", lambda j: j.update(state="running"))):
        bad = d("bad-" + name)
        shutil.copytree(d("hello"), bad)
        j = json.load(open(os.path.join(bad, "run.json")))
        edit(j)
        json.dump(j, open(os.path.join(bad, "run.json"), "w"))
        r = replay(hexad, bad, "--out", bad + "-replay")
        check(r.returncode == 2 and "run.json" in r.stderr, f"bad run.json ({name}): {r.returncode} {r.stderr!r}")
    open(os.path.join(d("bad-schema"), "run.json"), "w").write("{not json")
    r = replay(hexad, d("bad-schema"))
    check(r.returncode == 2 and "run.json" in r.stderr, f"corrupt run.json: {r.returncode} {r.stderr!r}")
    r = replay(hexad, d("nonexistent"))
    check(r.returncode == 2 and "run.json" in r.stderr, f"no run folder: {r.returncode} {r.stderr!r}")
    r = replay(hexad, d("hello"), "--until", "3", "--until-round", "2")
    check(r.returncode == 2, f"--until with --until-round: {r.returncode}")

    # --until IDX: exact, deterministic, a world that agrees with its trace. Timeouts' deadlines
    # expire in batches between kernel calls; pingpong stops mid-visit with a thread Running.
    pp_trace = events(os.path.join(pp, "trace.jsonl"))
    for idx in (1, 2, 57, 500, 4321):
        res = check_until(hexad, pp, pp_trace, idx, "pingpong")
        if res and idx == 500:
            check(any(t["state"] == "Running" for t in res[1]["threads"]), "pingpong --until 500: no thread Running")
    to_trace = events(os.path.join(d("timeouts"), "trace.jsonl"))
    # An expired deadline's wake.requested (a timeout) is the first event of its operation.
    timeout_idx = [e["idx"] for e in to_trace if e["kind"] == "wake.requested" and e["reason"] == "timeout"]
    check(len(timeout_idx) > 3, "timeouts: no timeout wakes")
    for idx in timeout_idx[:2] + timeout_idx[-1:]:
        check_until(hexad, d("timeouts"), to_trace, idx, "timeouts")
    check_until(hexad, d("prodcons"), events(os.path.join(d("prodcons"), "trace.jsonl")), 30000, "prodcons --quantum 997")
    # The last event before run.stop: the operation that produced it ended the run.
    last = len(pp_trace) - 2
    r = replay(hexad, pp, "--until", str(last), "--out", d("pp-until-last"))
    dump = json.load(open(d("pp-until-last/exit-thread-state.json")))
    check(r.returncode == 0 and dump["run"]["stop_reason"] == "exit" and dump["run"]["until"]["last_event"] == last,
          f"--until the last event: {r.returncode} {r.stdout!r} {dump['run']}")
    r = replay(hexad, pp, "--until", str(last + 1), "--out", d("pp-until-past"))
    check(r.returncode == 2 and "ended (exit) first" in r.stderr, f"--until past the end: {r.returncode} {r.stderr!r}")

    # --until-round R: the world after round R, before round R+1.
    for rnd in (0, 7, pp_trace[-1]["round"] - 1):  # the last: a round near the end of the run
        outs = []
        for k in range(2):
            out = d(f"pp-round-{rnd}-{k}")
            r = replay(hexad, pp, "--until-round", str(rnd), "--out", out)
            check(r.returncode == 0, f"--until-round {rnd}: {r.returncode} {r.stderr!r}")
            outs.append(out)
        trace = events(os.path.join(outs[0], "trace.jsonl"))
        dump = json.load(open(os.path.join(outs[0], "exit-thread-state.json")))
        n = len(trace) - 1
        check(trace[:-1] == pp_trace[:n] and all(e["round"] <= rnd for e in trace[:-1]) and pp_trace[n]["round"] > rnd,
              f"--until-round {rnd}: trace is not the recorded rounds 0..{rnd}")
        check(dump["run"]["rounds"] == rnd + 1 and dump["run"]["stop_reason"] == "until"
              and dump["run"]["until"] == {"round": rnd, "last_event": n - 1}, f"--until-round {rnd}: dump {dump['run']}")
        check_world(dump, trace[:-1], f"--until-round {rnd}")
        check(open(os.path.join(outs[0], "exit-thread-state.json")).read()
              == open(os.path.join(outs[1], "exit-thread-state.json")).read(), f"--until-round {rnd}: dumps differ")

    # A run stopped by SIGINT replays to the same stop (the end of the round it stopped at).
    intr = d("interrupted")
    p = subprocess.Popen([hexad, "run", xex("starvation"), "--out", intr, "--no-aging", "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=60)
    check(p.returncode == 130, f"interrupted: record exit {p.returncode}")
    check_verified(hexad, intr, "interrupted run")

    # SIGUSR1: snapshots of a running run, and the trace of a run without them.
    snap, plain = d("snap"), d("snap-plain")
    hl = xex("hostile_limits")
    record(hexad, hl, plain)
    p = subprocess.Popen([hexad, "run", hl, "--out", snap], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sent = 0
    for delay in (0.3, 0.3, 0.3):
        time.sleep(delay)
        if p.poll() is None:
            p.send_signal(signal.SIGUSR1)
            sent += 1
    _, err = p.communicate(timeout=300)
    check(p.returncode == 0, f"snapshot run: exit {p.returncode} {err!r}")
    check(sent >= 1, "snapshot run: hostile_limits ended before any SIGUSR1 could be sent")
    snaps = sorted(f for f in os.listdir(snap) if f.startswith("snapshot-"))
    check(len(snaps) >= 1 and "snapshot written to" in err, f"snapshot run: {snaps}, stderr {err[-300:]!r}")
    trace = events(os.path.join(snap, "trace.jsonl"))
    check(trace == events(os.path.join(plain, "trace.jsonl")), "snapshot run: the trace differs from the run without SIGUSR1")
    check(open(os.path.join(snap, "exit-thread-state.json")).read() == open(os.path.join(plain, "exit-thread-state.json")).read(),
          "snapshot run: the final dump differs from the run without SIGUSR1")
    for s in snaps:
        dump = json.load(open(os.path.join(snap, s)))
        n = dump["run"]["trace_events"]
        check(dump["run"]["stop_reason"] == "snapshot" and dump["run"].get("snapshot") is True, f"{s}: {dump['run']}")
        check(s == f"snapshot-{dump['run']['rounds']}.json", f"{s}: rounds {dump['run']['rounds']}")
        check(0 < n < len(trace), f"{s}: trace_events {n} of {len(trace)}")
        check_world(dump, trace[:n], s)
    check_verified(hexad, snap, "snapshot run")
    # SIGINT stops a replay like a run (130), naming what it verified so far: not a divergence.
    p = subprocess.Popen([hexad, "replay", plain, "--quiet", "--out", d("replay-int")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=300)
    check(p.returncode == 130 and "replay interrupted after" in err and "diverged" not in out,
          f"interrupted replay: {p.returncode} {out[-200:]!r} {err[-200:]!r}")
    # A new run in the folder removes the old snapshots.
    record(hexad, xex("hello"), snap)
    check(not any(f.startswith("snapshot-") for f in os.listdir(snap)), "stale snapshots kept beside a new run")

    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("replay: all checks passed")


if __name__ == "__main__":
    main()
