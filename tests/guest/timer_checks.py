"""Checks of the timer, DPC and APC titles (ktimers, kapcs): what the trace and the exit dump must
show on top of the titles' own OK/FAIL lines (docs/architecture.md, "Timers, DPCs and APCs").
Used by check_title.py. Standard library only."""
from title_common import expect_common, expect_main_exit, expect_selftest_lines, expect_selftest_title

STATUS_USER_APC = "0x000000c0"


def check_ktimers(f, r):
    # The five hostile bad-pointer cases fault their own threads (3..7; tid 2 is the DPC thread).
    expect_common(f, r, 0, "exit", faulted=[3, 4, 5, 6, 7])
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "ktimers")
    fires = r.kinds("timer.fire")
    periodic = [e for e in fires if e["period_ms"] == 5]
    f.expect(len(periodic) == 5, f"{len(periodic)} expiries of the 5 ms periodic timer, want 5")
    # Expiries are events of the kernel (tid 0) on the guest-time queue, one period apart.
    f.expect(all(e["tid"] == 0 and e["slot"] == -1 for e in fires), "timer.fire is the kernel's (tid 0, slot -1)")
    gaps = {b["guest_cycle"] - a["guest_cycle"] for a, b in zip(periodic, periodic[1:])}
    f.expect(gaps == {16_000_000}, f"periodic expiries {gaps} cycles apart, want 5 ms = 16,000,000 cycles")
    f.expect(all(a["next_due_ns"] is not None for a in periodic), "a periodic expiry says when it is next due")
    ticking = [e for e in fires if e["period_ms"] == 1]
    f.expect(len(ticking) == 10, f"{len(ticking)} expiries of the 1 ms DPC timer, want 10")
    runs = r.kinds("dpc.run")
    dpc_tids = {e["tid"] for e in runs}
    f.expect(len(dpc_tids) == 1, f"DPCs run on one DPC thread (the main thread's slot): {dpc_tids}")
    for tid in dpc_tids:
        t = r.thread(tid)
        f.expect(t is not None and t["key"].startswith("kernel/dpc@slot") and t["base_priority"] == 31,
                 f"DPC thread {tid}: {t and t['key']}")
        f.expect(t is not None and t["slot"] == r.thread(1)["slot"], "the DPC thread is on the main thread's slot")
    # Each timer DPC runs after its expiry and before the next one.
    tick_runs = [e for e in runs if e["routine"] == runs[0]["routine"]]
    f.expect(len(tick_runs) == 10, f"{len(tick_runs)} runs of the tick DPC, want 10")
    for fire, run in zip(ticking, tick_runs):
        f.expect(run["guest_cycle"] >= fire["guest_cycle"], f"DPC run at {run['guest_cycle']} before its expiry")
    # KeInsertQueueDpc: the DPC runs before the caller's next event.
    insert = [e for e in r.kinds("import.call", name="KeInsertQueueDpc") if e["tid"] == 1]
    f.expect(len(insert) == 1 and insert[0]["ret"] == "0x00000001", "main's KeInsertQueueDpc returned TRUE")
    if insert:
        after = [e for e in r.events if e["idx"] > insert[0]["idx"]]
        first_dpc = next((e for e in after if e["kind"] == "dpc.run"), None)
        first_main = next((e for e in after if e["tid"] == 1), None)
        f.expect(first_dpc is not None and first_main is not None and first_dpc["idx"] < first_main["idx"],
                 "the inserted DPC runs before the caller goes on")
    faults = r.kinds("thread.fault")
    f.expect(len(faults) == 5, f"{len(faults)} faulting hostile cases, want 5")
    f.expect(all(e["fault"] == "memory" for e in faults), "the hostile cases fault on memory")
    f.expect(r.kinds("signal.match", by="timer"), "timer expiries are traced as signal.match by timer")


def check_kapcs(f, r):
    expect_selftest_title(f, r, "kapcs")
    alerted = r.kinds("wait.alerted")
    f.expect(len(alerted) == 5, f"{len(alerted)} alerted waits, want 5")
    f.expect(all(e["tid"] == 2 for e in alerted), "only the worker's waits are alerted")
    wakes = [e for e in r.kinds("wake.requested") if e["reason"] == "alert"]
    f.expect(len(wakes) >= 2, f"{len(wakes)} wakes by an APC (the blocked alertable waits)")
    ends = [e for e in r.kinds("wait.end", tid=2) if e["status"] == STATUS_USER_APC]
    f.expect(len(ends) == 5, f"{len(ends)} waits of the worker returned STATUS_USER_APC, want 5")
    delivered = r.kinds("apc.deliver")
    f.expect(all(e["tid"] == 2 for e in delivered if e["apc"] == "0x00000000"), "queued APCs run on the worker")
    normal = [e for e in delivered if e["stage"] == "normal"]
    f.expect(len(normal) == 7, f"{len(normal)} normal routines delivered, want 7")
    kernel = [e for e in delivered if e["stage"] == "kernel"]
    f.expect(len(kernel) == 1 and kernel[0]["apc"] != "0x00000000", "one KAPC kernel routine")
    # No APC is delivered while the worker's non-alertable wait is pending: the second APC runs
    # after that wait's wait.end (STATUS_WAIT_0).
    non_alertable = [e for e in r.kinds("wait.end", tid=2) if e["status"] == "0x00000000"]
    f.expect(non_alertable and normal[1]["idx"] > non_alertable[0]["idx"],
             "the APC queued during the non-alertable wait ran after it")


TIMER_CHECKS = {
    "ktimers": check_ktimers,
    "kapcs": check_kapcs,
}
