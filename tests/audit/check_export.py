#!/usr/bin/env python3
"""Checks `hexad-audit export --format perfetto` on one run, or its command-line contract.

  check_export.py title --audit BIN (--golden DIR | --run DIR | --hexad BIN --xex TITLE) --out DIR
      Exports the run (a golden directory's trace.jsonl.gz and exit-thread-state.json are unpacked
      into a run folder first), then checks:
      - structure: check_perfetto.py's rules (the Trace Event Format document), with every slice's
        thread and process named and integer timestamps;
      - determinism: a second export, and an export of the trace file instead of its folder, are
        byte-identical to the first;
      - content against the trace and the dump: six named slot tracks; a named track per guest
        thread; slices on a slot track never overlap; one completed wait slice per wait.end; one
        flow arrow per wake.requested with reason "signal", from the signaler's track to the
        woken thread's; a wait slice that never ends for exactly the threads the dump shows
        Blocked (the deadlock title: all of them); signal slices sit at their guest cycle.
  check_export.py cli --audit BIN --golden DIR --out DIR
      Bad input exits 2 naming file:line; an unfinished trace is refused unless --allow-unfinished;
      an unknown --format exits 2 listing the formats; a failed export leaves no output file.
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_perfetto  # noqa: E402

SLOT_PID, THREAD_PID, SLOT_TID_BASE = 1, 2, 1000000
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL {what}")
    return cond


def unpack_golden(golden, run_dir):
    if os.path.exists(run_dir):
        shutil.rmtree(run_dir)
    os.makedirs(run_dir)
    with gzip.open(os.path.join(golden, "trace.jsonl.gz"), "rb") as src, \
            open(os.path.join(run_dir, "trace.jsonl"), "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.copy(os.path.join(golden, "exit-thread-state.json"), run_dir)


def export(audit, run, out, *extra):
    p = subprocess.run([audit, "export", run, "--format", "perfetto", "-o", out, *extra],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def read_trace(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def check_title(a):
    run = a.run
    if a.xex:  # a fresh run, as an engineer makes it: run.json, host_ns and all
        run = os.path.join(a.out, "run")
        p = subprocess.run([a.hexad, "run", a.xex, "--out", run, "--quiet"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, timeout=240)
        if not check(os.path.exists(os.path.join(run, "trace.jsonl")), f"hexad run wrote a trace: {p.stderr}"):
            return
    elif a.golden:
        run = os.path.join(a.out, "run")
        unpack_golden(a.golden, run)
    os.makedirs(a.out, exist_ok=True)
    first, second, by_file = (os.path.join(a.out, n) for n in ("timeline.json", "again.json", "by_file.json"))
    rc, text = export(a.audit, run, first)
    if not check(rc == 0, f"export exits 0 (got {rc}): {text.strip()}"):
        return
    print(text.strip())

    doc = check_perfetto.load(first)
    c = check_perfetto.Checker(require_names=True, integer_ts=True, perfetto_layout=True).check(doc)
    for p in c.problems[:20]:
        print(f"  {p}")
    check(not c.problems, f"the timeline is valid Trace Event Format ({len(c.problems)} problems)")

    export(a.audit, run, second)
    export(a.audit, os.path.join(run, "trace.jsonl"), by_file)
    with open(first, "rb") as f1, open(second, "rb") as f2, open(by_file, "rb") as f3:
        one = f1.read()
        check(one == f2.read(), "a second export is byte-identical")
        check(one == f3.read(), "exporting the trace file instead of its folder is byte-identical")

    trace = read_trace(os.path.join(run, "trace.jsonl"))
    with open(os.path.join(run, "exit-thread-state.json"), encoding="utf-8") as f:
        dump = json.load(f)
    events = doc["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}

    for s in range(6):
        check(names.get((SLOT_PID, SLOT_TID_BASE + s), "").startswith(f"slot {s} "), f"slot {s} has a named track")
    created = [e["new_tid"] for e in trace if e["kind"] == "thread.create"]
    for tid in created:
        check(names.get((THREAD_PID, tid), "").startswith(f"T{tid} "), f"guest thread T{tid} has a named track")

    slot_slices = sorted((e["tid"], e["ts"], e["ts"] + e["dur"]) for e in events if e["ph"] == "X" and e["pid"] == SLOT_PID)
    overlaps = sum(1 for x, y in zip(slot_slices, slot_slices[1:]) if x[0] == y[0] and y[1] < x[2])
    check(overlaps == 0, f"slices on a slot track never overlap ({overlaps} overlaps)")
    check(len(slot_slices) > 0, "the slot tracks hold slices")

    wait_ends = sum(1 for e in trace if e["kind"] == "wait.end")
    wait_slices = [e for e in events if e["pid"] == THREAD_PID and e["ph"] == "X"
                   and (e["name"].startswith("wait ") or e["name"] == "delay")]
    check(len(wait_slices) == wait_ends, f"one wait slice per wait.end ({len(wait_slices)} slices, {wait_ends} wait.end)")
    check(all("outcome" in e["args"] for e in wait_slices), "every wait slice states its outcome")

    wakes = [e for e in trace if e["kind"] == "wake.requested" and e["reason"] == "signal"]
    producers = {e["bind_id"]: e for e in events if e.get("flow_out")}
    consumers = [e for e in events if e.get("flow_in")]
    check(len(consumers) == len(wakes), f"one flow arrow per signal wake ({len(consumers)} arrows, {len(wakes)} wakes)")
    pairs = sorted((producers[e["bind_id"]]["tid"], e["tid"]) for e in consumers if e["bind_id"] in producers)
    expected = sorted((w["tid"], w["target_tid"]) for w in wakes)
    check(pairs == expected, "each arrow runs from the signaler's track to the woken thread's")

    signals = [e for e in events if e["pid"] == THREAD_PID and e["name"].startswith("signal ")]
    check(len(signals) == sum(1 for e in trace if e["kind"] == "signal.match"), "one signal slice per signal.match")
    check(all(e["ts"] == e["args"]["guest_cycle"] and e["dur"] == 0 for e in signals),
          "signal slices are instants at their guest cycle (1 us = 1 guest cycle)")

    never = sorted(e["tid"] for e in events if e["ph"] == "B" and e["pid"] == THREAD_PID)
    # An idle DPC thread (key kernel/dpc@slotN, docs/architecture.md) is Blocked with no wait.
    blocked = sorted(t["tid"] for t in dump["threads"]
                     if t["state"] == "Blocked" and not (t["key"] or "").startswith("kernel/dpc@"))
    check(never == blocked, f"waits that never end are exactly the dump's Blocked threads ({never} vs {blocked})")
    if a.expect_all_blocked:
        alive = sorted(t["tid"] for t in dump["threads"] if t["state"] not in ("Exited", "Faulted"))
        check(never and never == alive, f"every live thread's wait never ends ({never} vs live {alive})")
    if a.expect_flows:
        check(len(consumers) > 0, "the title has wake arrows")


def check_cli(a):
    run = os.path.join(a.out, "run")
    unpack_golden(a.golden, run)
    trace = os.path.join(run, "trace.jsonl")
    out = os.path.join(a.out, "out.json")
    with open(trace, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)

    def variant(name, text):
        d = os.path.join(a.out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "trace.jsonl"), "w", encoding="utf-8") as f:
            f.write(text)
        return d

    def expect(name, args, code, patterns, no_output=False):
        if os.path.exists(out):
            os.remove(out)
        p = subprocess.run([a.audit, *args], capture_output=True, text=True)
        text = p.stdout + p.stderr
        patterns = [patterns] if isinstance(patterns, str) else patterns
        ok = p.returncode == code and all(pattern in text for pattern in patterns)
        if no_output:
            ok = ok and not os.path.exists(out) and not os.path.exists(out + ".partial")
        print(("ok   " if ok else "FAIL ") + name)
        if not ok:
            failures.append(name)
            print(f"    exit {p.returncode} (expected {code}), looking for {patterns!r}:\n    " + text.replace("\n", "\n    "))

    corrupt = variant("corrupt", "".join(lines[:5]) + '{"idx":5,"kind":\n' + "".join(lines[6:]))
    expect("corrupt-json", ["export", corrupt, "--format", "perfetto", "-o", out], 2,
           os.path.join(corrupt, "trace.jsonl") + ":6:", no_output=True)
    # A wait.end with no wait.begin is bad input too, named by its line: the first wait.begin
    # becomes a DbgPrint (idx kept, so the line itself is well formed).
    begin_at = next(i for i, l in enumerate(lines) if '"kind":"wait.begin"' in l)
    begin = json.loads(lines[begin_at])
    end_at = next(i for i, l in enumerate(lines) if i > begin_at and '"kind":"wait.end"' in l
                  and json.loads(l)["tid"] == begin["tid"])
    stub = {k: begin[k] for k in ("idx", "tid", "slot", "round", "guest_cycle", "host_ns") if k in begin}
    stub.update(kind="debug.print", text="x")
    orphan = variant("orphan", "".join(json.dumps(stub) + "\n" if i == begin_at else l for i, l in enumerate(lines)))
    expect("orphan-wait-end", ["export", orphan, "--format", "perfetto", "-o", out], 2,
           [f"{os.path.join(orphan, 'trace.jsonl')}:{end_at + 1}:", "without a wait.begin"], no_output=True)
    # A thread's own events never go back in guest time.
    seen = set()
    for back_at, line in enumerate(lines):  # an event of a thread that has had an event before
        tid = json.loads(line)["tid"]
        if tid != 0 and tid in seen and json.loads(line)["guest_cycle"] > 0:
            break
        seen.add(tid)
    back_event = json.loads(lines[back_at])
    back_event["guest_cycle"] = 0
    back = variant("back", "".join(json.dumps(back_event) + "\n" if i == back_at else l for i, l in enumerate(lines)))
    expect("back-in-time", ["export", back, "--format", "perfetto", "-o", out], 2,
           [f"{os.path.join(back, 'trace.jsonl')}:{back_at + 1}:", "back in guest time"], no_output=True)
    cut = variant("cut", "".join(lines[:len(lines) // 2]))
    expect("unfinished-refused", ["export", cut, "--format", "perfetto", "-o", out], 2, "incomplete trace", no_output=True)
    expect("unfinished-allowed", ["export", cut, "--format", "perfetto", "-o", out, "--allow-unfinished"], 0, "")
    if os.path.exists(out):
        c = check_perfetto.Checker(require_names=True, integer_ts=True, perfetto_layout=True).check(check_perfetto.load(out))
        check(not c.problems, f"an unfinished trace's timeline is valid ({c.problems[:3]})")
        check(json.load(open(out))["otherData"]["stop_reason"] is None, "an unfinished trace has no stop reason")
    expect("unknown-format", ["export", run, "--format", "svg", "-o", out], 2, "unknown format 'svg' (formats: perfetto)")
    expect("format-required", ["export", run, "-o", out], 2, "--format is required (formats: perfetto)")
    expect("output-required", ["export", run, "--format", "perfetto"], 2, "-o OUT.json is required")
    expect("missing-run", ["export", os.path.join(a.out, "nonexistent"), "--format", "perfetto", "-o", out], 2,
           "nonexistent")
    os.makedirs(os.path.join(a.out, "a_directory"), exist_ok=True)
    expect("output-is-a-directory", ["export", run, "--format", "perfetto", "-o", os.path.join(a.out, "a_directory")],
           2, "a_directory: cannot write")
    expect("stdout", ["export", run, "--format", "perfetto", "-o", "-"], 0, '{"traceEvents":[')
    expect("help", ["export", "--help"], 0, "export RUN --format perfetto")
    # A window keeps the slices overlapping it, whole; arrows only with both ends inside.
    lo, hi = 100000, 120000
    expect("window", ["export", run, "--format", "perfetto", "-o", out, "--from", str(lo), "--to", str(hi)], 0, "")
    if os.path.exists(out):
        doc = check_perfetto.load(out)
        c = check_perfetto.Checker(require_names=True, integer_ts=True, perfetto_layout=True).check(doc)
        check(not c.problems, f"a window's timeline is valid ({c.problems[:3]})")
        slices = [e for e in doc["traceEvents"] if e["ph"] == "X"]
        check(slices and all(e["ts"] <= hi and e["ts"] + e["dur"] >= lo for e in slices),
              "every slice of a window overlaps it")
        arrows = [e for e in slices if e.get("flow_in")]
        # A wake's arrow runs from its signal (the wake.requested's cycle) to the woken wait's end
        # (the waiter's next wait.end); both must lie in the window.
        inside, pending = 0, {}
        for e in map(json.loads, lines):
            if e["kind"] == "wake.requested" and e["reason"] == "signal":
                pending[e["target_tid"]] = e["guest_cycle"]
            elif e["kind"] == "wait.end" and e["tid"] in pending:
                signal_at = pending.pop(e["tid"])
                inside += lo <= signal_at <= hi and lo <= e["guest_cycle"] <= hi
        check(len(arrows) > 0 and len(arrows) == inside,
              f"a window keeps exactly the arrows with both ends inside ({len(arrows)} arrows, {inside} expected)")
        check(doc["otherData"]["window"] == {"from_cycle": lo, "to_cycle": hi}, "otherData names the window")
    expect("window-reversed", ["export", run, "--format", "perfetto", "-o", out, "--from", "5", "--to", "4"], 2,
           "--from is after --to")
    expect("window-not-a-number", ["export", run, "--format", "perfetto", "-o", out, "--to", "1e6"], 2,
           "--to: not a guest cycle: '1e6'")
    # Stable keys from the dump name threads and the objects waited on (a dump that has them).
    keyed = os.path.join(a.out, "keyed")
    unpack_golden(os.path.join(os.path.dirname(os.path.abspath(a.golden)), "deadlock"), keyed)
    dump_path = os.path.join(keyed, "exit-thread-state.json")
    with open(dump_path, encoding="utf-8") as f:
        dump = json.load(f)
    for t in dump["threads"]:
        t["key"] = f"key-of-T{t['tid']}"
        for o in (t.get("wait") or {}).get("objects", []):
            o["key"] = f"key-of-{o['handle']}"
    for o in dump["wedge_map"]:
        o["key"] = f"key-of-{o['handle']}"
    with open(dump_path, "w", encoding="utf-8") as f:
        json.dump(dump, f, indent=1)
    expect("keyed-dump", ["export", keyed, "--format", "perfetto", "-o", out], 0, "")
    if os.path.exists(out):
        events = json.load(open(out))["traceEvents"]
        names = [e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
        waits = [e["name"] for e in events if e["ph"] == "B"]
        check(any("[key-of-T2]" in n for n in names), f"a thread's track name carries its key ({names})")
        check(waits and all("[key-of-0x" in w for w in waits), f"never-ending waits name their objects' keys ({waits})")
    killed = variant("killed", "".join(lines))
    with open(os.path.join(killed, "run.json"), "w") as f:
        f.write('{\n  "schema": "hexad.run/1",\n  "state": "running"\n}\n')
    expect("killed-run-refused", ["export", killed, "--format", "perfetto", "-o", out], 2, "did not finish",
           no_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["title", "cli"])
    ap.add_argument("--audit", required=True)
    ap.add_argument("--golden")
    ap.add_argument("--run")
    ap.add_argument("--hexad")
    ap.add_argument("--xex", help="run this title with --hexad first and export that run")
    ap.add_argument("--out", required=True)
    ap.add_argument("--expect-all-blocked", action="store_true", help="every live thread ends in a wait (deadlock)")
    ap.add_argument("--expect-flows", action="store_true", help="the title wakes threads by signals")
    a = ap.parse_args()
    if not (a.golden or a.run or (a.xex and a.hexad)):
        ap.error("--golden, --run or --hexad with --xex is required")
    os.makedirs(a.out, exist_ok=True)
    (check_title if a.mode == "title" else check_cli)(a)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
