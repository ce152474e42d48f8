"""What every title check shares: a finished `hexad run` (Run), the failure list (Failures),
and the expectations common to all titles. Used by check_title.py and kernel_checks.py.
Standard library only."""
import json
import os
import shutil
import subprocess
import sys

from time_order import time_order_failures


class Failures:
    def __init__(self):
        self.items = []

    def expect(self, cond, message):
        if not cond:
            self.items.append(message)
        return cond


class Run:
    """One finished `hexad run`: its exit status and audit folder."""

    def __init__(self, status, out_dir):
        self.status = status
        self.dir = out_dir
        with open(os.path.join(out_dir, "exit-thread-state.json"), "rb") as f:
            self.dump_bytes = f.read()
        self.dump = json.loads(self.dump_bytes)
        with open(os.path.join(out_dir, "stdout.log"), "rb") as f:
            self.stdout = f.read().decode("utf-8", "replace")
        self._events = None

    @property
    def trace_path(self):
        return os.path.join(self.dir, "trace.jsonl")

    @property
    def events(self):
        if self._events is None:
            with open(self.trace_path, encoding="utf-8") as f:
                self._events = [json.loads(line) for line in f if line.strip()]
        return self._events

    def kinds(self, kind, **match):
        return [e for e in self.events if e["kind"] == kind and all(e.get(k) == v for k, v in match.items())]

    @property
    def stop_reason(self):
        return self.dump["run"]["stop_reason"]

    def thread(self, tid):
        for t in self.dump["threads"]:
            if t["tid"] == tid:
                return t
        return None

    def wedge(self, handle):
        for w in self.dump["wedge_map"]:
            if w["handle"] == handle:
                return w
        return None

    def first_wait_handles(self, tid):
        """The handles of the first wait.begin of thread `tid`."""
        for e in self.kinds("wait.begin", tid=tid):
            return e["handles"]
        return None


def run_hexad(args, out_dir, extra):
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    cmd = [args.hexad, "run", args.xex, "--out", out_dir, "--quiet"] + extra
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=240)
    if proc.stderr:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
    run = Run(proc.returncode, out_dir)
    run.stderr = proc.stderr.decode("utf-8", "replace")
    return run


# --- shared expectations ------------------------------------------------------------------------

def expect_common(f, r, status, stop, unimplemented=None, faulted=()):
    f.expect(r.status == status, f"exit status {r.status}, want {status}")
    f.expect(r.stop_reason == stop, f"stop reason {r.stop_reason!r}, want {stop!r}")
    f.expect(r.dump["schema"] == "hexad.exit-thread-state/1", "exit dump schema")
    f.expect(r.dump["run"]["unimplemented_imports"] == (unimplemented or {}),
             f"unimplemented imports: {r.dump['run']['unimplemented_imports']}")
    ev = r.events
    f.expect(ev and ev[0]["kind"] == "run.start" and ev[0].get("schema") == "hexad.trace/1", "trace starts with run.start")
    if f.expect(ev and ev[-1]["kind"] == "run.stop", "trace ends with run.stop"):
        last = ev[-1]
        f.expect(last["reason"] == stop, f"run.stop reason {last['reason']!r}")
        f.expect(last["instructions"] == r.dump["run"]["instructions"], "run.stop instructions match the dump")
        f.expect(last["rounds"] == r.dump["run"]["rounds"], "run.stop rounds match the dump")
    f.expect([e["idx"] for e in ev] == list(range(len(ev))), "trace idx is 0..n-1")
    f.expect(r.dump["run"]["trace_events"] == len(ev), "dump trace_events equals the trace's length")
    f.expect(sorted(t["tid"] for t in r.dump["threads"] if t["state"] == "Faulted") == sorted(faulted),
             f"faulted threads: want {sorted(faulted)}")
    expect_sched_accounting(f, r)
    # Every debug.print is in stdout.log, in order.
    f.expect("".join(e["text"] for e in r.kinds("debug.print")) == r.stdout, "stdout.log equals the debug.print texts")
    # The trace is a timeline: non-decreasing in guest_cycle, and waits on one object served in
    # the order they began (time_order.py).
    for m in time_order_failures(ev):
        f.expect(False, f"time order: {m}")


def expect_sched_accounting(f, r):
    """Every title: the policy named alike in run.start and the dump; per thread, its time in each
    state adds up to no more than the run; per slot, busy + idle is the run; Running time is busy
    time."""
    run = r.dump["run"]
    sched = run["scheduler"]
    start = r.events[0] if r.events and r.events[0]["kind"] == "run.start" else None
    if start:
        o = start["options"]
        f.expect(o["policy"] == sched["policy"] and o["policy_params"] == sched["policy_params"],
                 f"run.start policy {o['policy']} {o['policy_params']}, dump {sched['policy']} {sched['policy_params']}")
    total = run["guest_cycle"]
    running = 0
    for t in r.dump["threads"]:
        s = t["sched"]
        spent = s["cycles_ready"] + s["cycles_running"] + s["cycles_blocked"] + s["cycles_suspended"]
        f.expect(spent <= total, f"thread {t['tid']}: {spent} cycles in states, more than the run's {total}")
        f.expect(s["ready_to_running_mean_cycles"] <= s["ready_to_running_max_cycles"], f"thread {t['tid']} latency {s}")
        f.expect(s["dispatches"] > 0 or t["instructions"] == 0, f"thread {t['tid']} ran without a dispatch")
        running += s["cycles_running"]
    slots = sched["slots"]
    f.expect([s["slot"] for s in slots] == list(range(6)), "six slots in the dump")
    f.expect(all(s["busy_cycles"] + s["idle_cycles"] == total for s in slots), f"slot busy + idle is the run: {slots}")
    f.expect(sum(s["busy_cycles"] for s in slots) == running, "the threads' Running time is the slots' busy time")


def expect_exited(f, r, tid, code):
    t = r.thread(tid)
    if not f.expect(t is not None, f"thread {tid} missing from the dump"):
        return
    f.expect(t["state"] == "Exited", f"thread {tid} state {t['state']}, want Exited")
    f.expect(t.get("exit_code") == code, f"thread {tid} exit code {t.get('exit_code')}, want {code}")


def expect_main_exit(f, r, code=0):
    main = [t for t in r.dump["threads"] if t["main"]]
    f.expect(len(main) == 1 and main[0]["tid"] == 1, "thread 1 is the main thread")
    expect_exited(f, r, 1, code)


def expect_nothing_after_fault(f, r, tid, fault_idx, name):
    """A faulted thread does nothing after its thread.fault but what its end causes (Kernel::on_fault):
    the signal.match events by `thread.fault` (its abandoned mutants, its thread object) and the
    wakes they bring."""
    after = [x for x in r.events if x["tid"] == tid and x["idx"] > fault_idx]
    f.expect(all(x["kind"] == "wake.requested" or (x["kind"] == "signal.match" and x["by"] == "thread.fault")
                 for x in after), f"{name}: nothing after the fault but the signals its end causes: {after[:3]}")
    f.expect(len([x for x in after if x["kind"] == "signal.match" and x["object_type"] == "thread"]) == 1,
             f"{name}: the fault signals thread {tid}'s object once")


def expect_fault_case(f, r, name, tid, access, address, nothing_after=True):
    """A hostile case's thread `tid` faulted once: a memory fault of `access` ("read", "write") at
    `address`, or with access "trap" a trap at its sc; with `nothing_after`, inside its kernel call
    (expect_nothing_after_fault). Returns its thread.fault event, or None."""
    faults = r.kinds("thread.fault", tid=tid)
    if not f.expect(len(faults) == 1, f"{name}: thread {tid} has one thread.fault"):
        return None
    e = faults[0]
    if access == "trap":
        f.expect(e["fault"] == "trap" and e["word"] == "0x44000002", f"{name}: a trap at its sc: {e}")
    else:
        f.expect(e["fault"] == "memory" and e["access"] == access and int(e["address"], 16) == address,
                 f"{name}: thread {tid} fault {e['fault']} {e['access']} at {e['address']}, "
                 f"want {access} at {address:#x}")
    if nothing_after:
        expect_nothing_after_fault(f, r, tid, e["idx"], name)
    return e


def expect_selftest_title(f, r, name):
    """The NT-semantics titles print one line per expectation and a PASS/FAIL summary."""
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, name)


def expect_selftest_lines(f, r, name):
    lines = r.stdout.splitlines()
    checks = [l for l in lines if l.endswith(" ok") or l.endswith(" FAIL")]
    f.expect(len(checks) >= 5, f"only {len(checks)} checks printed")
    for l in lines:
        f.expect("FAIL" not in l, f"title reports: {l}")
    f.expect(lines and lines[-1] == f"{name}: PASS (0 failures)", f"last line {lines[-1] if lines else None!r}")


def trace_without_host_ns(run_dir):
    """The events of RUN_DIR/trace.jsonl without their host_ns, the one field two runs of the
    same title and options may differ in."""
    out = []
    with open(os.path.join(run_dir, "trace.jsonl")) as f:
        for line in f:
            e = json.loads(line)
            e.pop("host_ns", None)
            out.append(e)
    return out
