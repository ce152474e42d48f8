"""Checks of the kthreads titles (ksuspend, kfault, kthreadx): what their traces and exit dumps must
show on top of the titles' own OK/FAIL lines. Used by check_title.py. Standard library only."""
from title_common import expect_common, expect_main_exit, expect_selftest_lines, expect_selftest_title
from kernel_checks import thread_handle

STATUS_KERNEL_APC = "0x00000100"


def aborted_waits(r, tid):
    """(wake.requested, wait.end) pairs of `tid`'s waits aborted by a suspension."""
    ev = r.events
    return [(e, ev[e["idx"] + 1]) for e in r.kinds("wake.requested", target_tid=tid, reason="suspend")]


def check_ksuspend(f, r):
    expect_selftest_title(f, r, "ksuspend")
    # A (tid 3), the timed waiter (5), the sleeper (6) and the forever waiter (8) each had one wait
    # aborted: wake.requested (reason suspend, by main) then its wait.end with STATUS_KERNEL_APC.
    for tid in (3, 5, 6, 8):
        pairs = aborted_waits(r, tid)
        if not f.expect(len(pairs) == 1, f"thread {tid}: one aborted wait, got {len(pairs)}"):
            continue
        wake, end = pairs[0]
        f.expect(wake["tid"] == 1 and wake["handle"] is None, f"thread {tid}: main aborted it: {wake}")
        f.expect(end["kind"] == "wait.end" and end["tid"] == tid and end["status"] == STATUS_KERNEL_APC
                 and end["index"] is None, f"thread {tid}: its wait.end is STATUS_KERNEL_APC: {end}")
        # The suspension's own call follows, and succeeded.
        call = next((e for e in r.events[end["idx"]:] if e["kind"] == "import.call" and e["tid"] == 1), None)
        f.expect(call and call["name"] == "NtSuspendThread" and call["ret"] == "0x00000000"
                 and call["args"][0] == thread_handle(r, tid), f"thread {tid}: aborted by NtSuspendThread: {call}")
    # A re-issues its wait after its resume: a second wait.begin on the event, after NtResumeThread.
    a_handle = thread_handle(r, 3)
    resume = [e for e in r.kinds("import.call", name="NtResumeThread") if e["args"][0] == a_handle]
    begins = r.kinds("wait.begin", tid=3)
    if f.expect(len(resume) == 1 and len(begins) == 2, f"A: one resume, two wait.begin: {len(resume)} {len(begins)}"):
        f.expect(begins[0]["handles"] == begins[1]["handles"] and begins[1]["idx"] > resume[0]["idx"],
                 "A's wait is re-issued on the same event after its resume")
        # Between its suspension and its resume A does nothing (its wait.end is main's doing).
        abort_idx = aborted_waits(r, 3)[0][0]["idx"]
        between = [e for e in r.events if e["tid"] == 3 and abort_idx + 1 < e["idx"] < resume[0]["idx"]]
        f.expect(not between, f"A ran while suspended: {between[:3]}")
    # B (tid 4) got the first set: the signal's waiter_tids are [4].
    sets = r.kinds("signal.match", by="NtSetEvent")
    f.expect(sets and sets[0]["waiter_tids"] == [4], f"the first NtSetEvent woke B only: {sets[:1]}")
    f.expect(len(sets) >= 2 and sets[1]["waiter_tids"] == [3], f"the second woke A's re-issued wait: {sets[1:2]}")
    # The re-issued delay keeps its deadline: its wait.begin's timeout is what remained.
    sleeper = r.kinds("wait.begin", tid=6)
    if f.expect(len(sleeper) == 2, f"the sleeper began two delays (one re-issued): {len(sleeper)}"):
        first, second = sleeper
        elapsed = (second["guest_cycle"] - first["guest_cycle"]) * 5 // 16
        f.expect(abs(second["timeout_ns"] - (first["timeout_ns"] - elapsed)) <= 1,
                 f"re-issued delay: {second['timeout_ns']} ns left of {first['timeout_ns']} after {elapsed} ns")
    # The limit: 126 successful NtSuspendThread of the parked thread (tid 7), then refusals.
    park = thread_handle(r, 7)
    rets = [e["ret"] for e in r.kinds("import.call", name="NtSuspendThread") if e["args"][0] == park]
    f.expect(rets.count("0x00000000") == 126 and rets.count("0xc000004a") == 2,
             f"parked thread: 126 suspensions, 2 refusals: {sorted(set(rets))}")
    # The exited thread: STATUS_THREAD_IS_TERMINATING.
    done = thread_handle(r, 2)
    f.expect([e["ret"] for e in r.kinds("import.call", name="NtSuspendThread") if e["args"][0] == done]
             == ["0xc000004b"], "NtSuspendThread of the exited thread is STATUS_THREAD_IS_TERMINATING")
    # Tid 8 ends Suspended, its wait to be re-issued, and waits on nothing: no wedge names it.
    forever = r.thread(8)
    if f.expect(forever is not None, "thread 8 in the dump"):
        f.expect(forever["state"] == "Suspended" and forever.get("suspend_count") == 1 and
                 forever.get("wait_reissued_on_resume") is True and "wait" not in forever,
                 f"thread 8 Suspended with its wait to re-issue: {forever}")
    f.expect(all(8 not in w["waiters_tid"] for w in r.dump["wedge_map"]), "no object lists thread 8 as a waiter")


def check_kfault(f, r):
    expect_common(f, r, 0, "exit", faulted=(2, 4, 5, 6))
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "kfault")
    owner = thread_handle(r, 2)
    mutant_signals = [e for e in r.kinds("signal.match", tid=2, by="thread.fault") if e["object_type"] == "mutant"]
    thread_signals = r.kinds("signal.match", tid=2, by="thread.fault", target_handle=owner)
    # The mutant is abandoned first (its waiter, tid 3, woken), then the thread object signaled.
    if f.expect(len(mutant_signals) == 1 and len(thread_signals) == 1,
                "the owner's fault signals its mutant and itself"):
        f.expect(mutant_signals[0]["waiter_tids"] == [3], f"the abandoned mutant woke the waiter: {mutant_signals[0]}")
        f.expect(mutant_signals[0]["idx"] < thread_signals[0]["idx"],
                 "mutants are abandoned before the thread is signaled")
        fault = r.kinds("thread.fault", tid=2)
        f.expect(fault and fault[0]["idx"] < mutant_signals[0]["idx"], "both after the thread.fault")
    waiter_end = [e for e in r.kinds("wait.end", tid=3)]
    f.expect(waiter_end and waiter_end[0]["status"] == "0x00000080",
             f"the waiter's wait: ABANDONED_WAIT_0: {waiter_end[:1]}")
    # The bad-pointer cases faulted in the kernel call, before it acted: no import.call traced,
    # and main's thread object has no reference (the dump shows none).
    for tid, name, address in ((4, "NtDuplicateObject", "0x00001000"), (5, "ObLookupThreadByThreadId", "0x00000000"),
                               (6, "ObOpenObjectByPointer", "0x00001000")):
        f.expect(not r.kinds("import.call", tid=tid, name=name), f"the faulting {name} is not traced")
        fault = r.kinds("thread.fault", tid=tid)
        f.expect(fault and fault[0]["address"] == address and fault[0]["access"] == "write",
                 f"thread {tid} ({name}) faults writing {address}: {fault}")
    f.expect("pointer_refs" not in r.thread(1), "the faulting ObLookupThreadByThreadId took no reference")


def check_kthreadx(f, r):
    expect_selftest_title(f, r, "kthreadx")
    threads = {t["tid"]: t for t in r.dump["threads"]}
    created = {e["new_tid"]: e for e in r.kinds("thread.create")}
    # Flags as the trace records them: tid 2 on hardware thread 3 only, suspended; priorities.
    f.expect(created[2]["affinity"] == "0x00000008" and created[2]["suspended"] is True,
             f"tid 2 created on slot 3, suspended: {created.get(2)}")
    f.expect([created[t]["priority"] for t in (5, 6, 7)] == [9, 8, 9], "0x20/0x40/0x60 priorities 9, 8, 9")
    f.expect(threads[3].get("system_thread") is True
             and all("system_thread" not in t for k, t in threads.items() if k != 3),
             "only tid 3 is a system thread")
    f.expect(threads[1].get("boost_disabled") is True, "main's boost is disabled")
    f.expect(threads[2].get("pointer_refs") == 2, f"tid 2 keeps two references: {threads[2].get('pointer_refs')}")
    limits = threads[8].get("stack_limits")
    f.expect(limits is not None and int(limits["base"], 16) - int(limits["limit"], 16) == 16384,
             f"tid 8's stack limits span the title's 16 KiB stack: {limits}")
    f.expect(threads[8]["state"] == "Exited" and threads[8]["exit_code"] == 7, "tid 8 ended on its new stack")
    # The 0x80 creation returned no handle: the KTHREAD pointer went to the guest, and Ke calls
    # on that pointer are traced with it.
    resume = r.kinds("import.call", name="KeResumeThread")
    f.expect(resume and not resume[0]["args"][0].startswith("0xf8"),
             f"KeResumeThread got a KTHREAD pointer: {resume[:1]}")
    # A thread's handle duplicated by itself (tid 4, NtCurrentThread()) is a new handle.
    dups = r.kinds("import.call", tid=4, name="NtDuplicateObject")
    f.expect(dups and dups[0]["args"][0] == "0xfffffffe" and dups[0]["ret"] == "0x00000000",
             f"tid 4 duplicated NtCurrentThread(): {dups[:1]}")


KTHREADS_CHECKS = {
    "ksuspend": check_ksuspend,
    "kfault": check_kfault,
    "kthreadx": check_kthreadx,
}
