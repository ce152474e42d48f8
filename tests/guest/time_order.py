#!/usr/bin/env python3
"""The trace as a timeline (README "Guest time"): two properties every hexad trace has.

1. Events are in non-decreasing guest_cycle: the kernel sees guest operations in guest-time
   order, so the trace is a total order in time.
2. Waits are served in guest-time order: when a signal wakes a thread blocked in a WaitAny on a
   single object, no other thread blocked in a single-object WaitAny on that object began
   waiting earlier (earlier guest_cycle, or the same cycle and earlier in the trace). Waits on
   several objects, WaitAll and delays are outside the rule (a later single-object waiter may
   rightly go first while an earlier WaitAll still lacks another object).

Usage: time_order.py TRACE...          (exit 1 naming the first violations of each trace)
       time_order.py GOLDEN-DIR       (every DIR/*/trace.jsonl.gz; exit 1 if there is none)
       time_order.py --selftest       (the checker itself catches both kinds of violation)
Also imported by title_common.expect_common, so every title check applies it. Standard library only."""
import glob
import gzip
import json
import os
import sys


def time_order_failures(events, limit=10):
    """Messages for each violation of the two properties in `events` (parsed trace events)."""
    failures = []
    last_cycle = None
    waiting = {}  # tid -> (handles, wait kind, guest_cycle, idx) of its blocked wait

    def begun_before(a, b):
        return (a[2], a[3]) < (b[2], b[3])

    for e in events:
        cycle = e["guest_cycle"]
        if last_cycle is not None and cycle < last_cycle:
            failures.append(f"idx {e['idx']} ({e['kind']}) at guest_cycle {cycle} after an event at {last_cycle}")
        last_cycle = cycle if last_cycle is None else max(last_cycle, cycle)
        kind = e["kind"]
        if kind == "wait.begin":
            waiting[e["tid"]] = (tuple(e["handles"]), e["wait"], cycle, e["idx"])
        elif kind == "wait.end" or kind == "thread.exit":
            waiting.pop(e["tid"], None)
        elif kind == "wake.requested" and e["reason"] == "signal":
            woken = waiting.get(e["target_tid"])
            if woken is None or woken[0] != (e["handle"],) or woken[1] != "any":
                continue
            for tid, w in waiting.items():
                if tid != e["target_tid"] and w[0] == woken[0] and w[1] == "any" and begun_before(w, woken):
                    failures.append(f"idx {e['idx']}: thread {e['target_tid']} (waiting since idx {woken[3]}, "
                                    f"cycle {woken[2]}) woken on {e['handle']} ahead of thread {tid} "
                                    f"(waiting since idx {w[3]}, cycle {w[2]})")
        if len(failures) >= limit:
            break
    return failures


def read_trace(path):
    """A trace.jsonl, or a golden trace.jsonl.gz."""
    with (gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")) as f:
        return [json.loads(line) for line in f if line.strip()]


def selftest():
    """Each property on a tiny synthetic trace: accepted when it holds, reported when broken."""
    def ev(idx, kind, tid, cycle, **fields):
        return dict(idx=idx, kind=kind, tid=tid, slot=0, round=0, guest_cycle=cycle, **fields)

    def wait(idx, tid, cycle, handles=("0x1",), kind="any"):
        return ev(idx, "wait.begin", tid, cycle, handles=list(handles), wait=kind, timeout_ns=None, alertable=False)

    def wake(idx, actor, cycle, target, handle="0x1"):
        return [ev(idx, "wake.requested", actor, cycle, target_tid=target, reason="signal", handle=handle),
                ev(idx + 1, "wait.end", target, cycle, status="0x00000000", index=0)]

    fifo = [wait(0, 2, 10), wait(1, 3, 20)] + wake(2, 1, 30, 2) + wake(4, 1, 40, 3)
    unfair = [wait(0, 2, 10), wait(1, 3, 20)] + wake(2, 1, 30, 3)
    # Thread 2's WaitAll and thread 4's two-object WaitAny do not hold back thread 3.
    exempt = [wait(0, 2, 5, ("0x1", "0x2"), "all"), wait(1, 4, 6, ("0x1", "0x2")), wait(2, 3, 20)] + wake(3, 1, 30, 3)
    timed_out = [wait(0, 2, 10), ev(1, "wait.end", 2, 15, status="0x00000102", index=None), wait(2, 3, 20)] + wake(3, 1, 30, 3)
    backwards = [ev(0, "run.start", 0, 0), ev(1, "debug.print", 1, 50), ev(2, "debug.print", 2, 49)]
    cases = [("FIFO wakes", fifo, 0), ("a later waiter first", unfair, 1), ("WaitAll and multi-object waits", exempt, 0),
             ("a timed-out waiter", timed_out, 0), ("guest_cycle going back", backwards, 1)]
    ok = True
    for name, events, want in cases:
        got = len(time_order_failures(events))
        if got != want:
            print(f"time_order selftest: {name}: {got} violations, want {want}")
            ok = False
    print("time_order selftest:", "ok" if ok else "FAIL")
    return ok


def main(argv):
    if argv == ["--selftest"]:
        return 0 if selftest() else 1
    if not argv:
        print(__doc__)
        return 2
    paths = []
    for arg in argv:
        if os.path.isdir(arg):
            found = sorted(glob.glob(os.path.join(arg, "*", "trace.jsonl.gz")))
            if not found:
                print(f"{arg}: no */trace.jsonl.gz")
                return 1
            paths += found
        else:
            paths.append(arg)
    bad = 0
    for path in paths:
        events = read_trace(path)
        failures = time_order_failures(events)
        for m in failures:
            print(f"{path}: {m}")
        bad += bool(failures)
        if not failures:
            print(f"{path}: {len(events)} events in guest-time order, waits served in order")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
