"""Checks of the titles that exercise the kernel exports one by one (kevents, multiwait, suspend,
rotation, fault, misc, deadlines): what each title's trace and exit dump must show, from what
the title does (its source and its DbgPrint output), on top of the title's own OK/FAIL lines.
Used by check_title.py. Standard library only."""
import os
import re

from title_common import (expect_common, expect_exited, expect_main_exit, expect_nothing_after_fault,
                          expect_selftest_lines, expect_selftest_title)

# Guest time (README, "Guest time"): 3.2 guest cycles per ns.
CYCLES_PER_NS_NUM, CYCLES_PER_NS_DEN = 16, 5


def cycle_to_ns(cycle):
    return cycle * CYCLES_PER_NS_DEN // CYCLES_PER_NS_NUM


def relative_due_cycle(begin_cycle, timeout_ns):
    """The first guest cycle at which a relative timeout of `timeout_ns` begun at `begin_cycle` is due."""
    return begin_cycle + -(-timeout_ns * CYCLES_PER_NS_NUM // CYCLES_PER_NS_DEN)


def absolute_due_cycle(due_system_time, anchor_system_time, anchor_cycle):
    """The first guest cycle at which system time (100 ns units) reaches `due_system_time`, given
    that KeQuerySystemTime returned `anchor_system_time` at `anchor_cycle` (system time is boot
    time + guest ns / 100, truncated)."""
    boot = anchor_system_time - cycle_to_ns(anchor_cycle) // 100
    due_ns = (due_system_time - boot) * 100
    return -(-due_ns * CYCLES_PER_NS_NUM // CYCLES_PER_NS_DEN)


def printed_int64(r, prefix):
    """The signed 64-bit value the title printed as 16 hex digits right after `prefix`."""
    m = re.search(re.escape(prefix) + r"([0-9a-fA-F]{16})", r.stdout)
    if not m:
        return None
    v = int(m.group(1), 16)
    return v - (1 << 64) if v >= 1 << 63 else v


def pending_waiters(r, handle, at_idx):
    """Tids with a wait on `handle` pending (begun, blocked, not ended) just before the signal
    traced at `at_idx`, in wait order: the order their wait.begin events were traced. The wakes a
    signal causes (wake.requested by the signaler, then the waiter's wait.end) are traced just
    before its signal.match, so they do not count as ended."""
    ev = r.events
    start = at_idx
    while start > 0 and ev[start - 1]["kind"] in ("wake.requested", "wait.end") and (
            ev[start - 1]["kind"] == "wait.end" or ev[start - 1]["tid"] == ev[at_idx]["tid"]):
        start -= 1
    pending = {}
    for e in ev[:start]:
        if e["kind"] == "wait.begin" and handle in e["handles"]:
            pending[e["tid"]] = e["idx"]
        elif e["kind"] == "wait.end":
            pending.pop(e["tid"], None)
    return sorted(pending, key=pending.get)


def signals(r, by, object_type=None, woke_someone=False):
    return [e for e in r.kinds("signal.match", by=by)
            if (object_type is None or e["object_type"] == object_type) and (e["waiter_tids"] or not woke_someone)]


def expect_wakes_in_wait_order(f, r, match, want_woken, want_pending):
    """`match` (a signal.match) woke `want_woken`, with `want_pending` waiting on it just before."""
    pending = pending_waiters(r, match["target_handle"], match["idx"])
    f.expect(pending == want_pending, f"waiters on {match['target_handle']} before idx {match['idx']}: {pending}, "
                                      f"want {want_pending}")
    f.expect(match["waiter_tids"] == want_woken, f"{match['by']} on {match['target_handle']} woke "
                                                 f"{match['waiter_tids']}, want {want_woken} (wait order)")


def rets(r, name, tid=None):
    return [e["ret"] for e in r.kinds("import.call", name=name) if tid is None or e["tid"] == tid]


def thread_handle(r, tid):
    created = r.kinds("thread.create", new_tid=tid)
    return created[0]["handle"] if created else None


# --- kevents ------------------------------------------------------------------------------------

def check_kevents(f, r):
    expect_selftest_title(f, r, "kevents")
    for tid, code in ((2, 0), (3, 1), (4, 2), (5, 0x10), (6, 0x11), (7, 0x12)):
        expect_exited(f, r, tid, code)
    f.expect(len(r.kinds("import.call", name="KeInitializeEvent")) == 3, "three KeInitializeEvent calls")
    f.expect(rets(r, "KeResetEvent") == ["0x00000001", "0x00000000", "0x00000001"],
             f"KeResetEvent returns the previous state: {rets(r, 'KeResetEvent')}")
    f.expect(rets(r, "KeSetEvent")[:2] == ["0x00000000", "0x00000001"],
             f"KeSetEvent returns the previous state: {rets(r, 'KeSetEvent')[:2]}")
    notif = signals(r, "KeSetEvent", "event.notification", woke_someone=True)
    if f.expect(len(notif) == 1, f"one KeSetEvent on the notification event woke threads: {notif}"):
        f.expect(not notif[0]["target_handle"].startswith("0xf8"), "a KEVENT is named by its guest address")
        expect_wakes_in_wait_order(f, r, notif[0], [2, 3, 4], [2, 3, 4])
    sync = signals(r, "KeSetEvent", "event.synchronization", woke_someone=True)
    if f.expect(len(sync) == 3, f"three KeSetEvent on the synchronization event woke a thread: {sync}"):
        for n, match in enumerate(sync):
            expect_wakes_in_wait_order(f, r, match, [5 + n], list(range(5 + n, 8)))
    # Main's WaitAny calls: indexes 1 then 2 (KeWaitForMultipleObjects, zero timeout).
    multi = [e for e in r.kinds("import.call", tid=1, name="KeWaitForMultipleObjects")]
    f.expect([e["ret"] for e in multi[:3]] == ["0x00000001", "0x00000002", "0x00000102"],
             f"WaitAny, WaitAny, WaitAll: {[e['ret'] for e in multi[:3]]}")


# --- multiwait ----------------------------------------------------------------------------------

def check_multiwait(f, r):
    expect_common(f, r, 3, "deadlock")
    expect_selftest_lines(f, r, "multiwait")
    for tid in range(2, 13):
        expect_exited(f, r, tid, 0x99 if tid == 9 else 0)
    notif = signals(r, "NtSetEvent", "event.notification", woke_someone=True)
    if f.expect(len(notif) == 1, f"one NtSetEvent woke the notification waiters: {notif}"):
        expect_wakes_in_wait_order(f, r, notif[0], [2, 3, 4], [2, 3, 4])
    sem = signals(r, "NtReleaseSemaphore")
    if f.expect(len(sem) == 2, f"two semaphore releases: {sem}"):
        expect_wakes_in_wait_order(f, r, sem[0], [5, 6, 7], [5, 6, 7, 8])
        expect_wakes_in_wait_order(f, r, sem[1], [8], [8])
    exit9 = r.kinds("signal.match", by="thread.exit", tid=9)
    if f.expect(len(exit9) == 1, "thread 9's exit signals its handle"):
        f.expect(exit9[0]["target_handle"] == thread_handle(r, 9), "the exiting thread's handle")
        expect_wakes_in_wait_order(f, r, exit9[0], [10, 11, 12], [10, 11, 12])
    # The deadlock: four waiters on one event, in wait order.
    never = r.first_wait_handles(13)
    never = never[0] if never and len(never) == 1 else None
    f.expect(len(r.dump["wedge_map"]) == 1, f"wedge map has {len(r.dump['wedge_map'])} entries, want 1")
    w = r.wedge(never)
    if f.expect(w is not None, f"the never-set event {never} is in the wedge map"):
        f.expect(w["type"] == "event.notification" and w["state"] == {"signaled": False}, f"wedge entry {w}")
        f.expect(w["waiters_tid"] == [13, 14, 15, 1], f"waiters_tid {w['waiters_tid']}, want [13, 14, 15, 1]")
        f.expect(w["waiters_tid"] == pending_waiters(r, never, len(r.events)), "waiters_tid is the trace's wait order")
        f.expect(w["signaled_by_tids"] == [], f"signaled by {w['signaled_by_tids']}")
    for tid in (13, 14, 15, 1):
        t = r.thread(tid)
        if f.expect(t and t["state"] == "Blocked", f"thread {tid} is Blocked"):
            wait = t["wait"]
            f.expect(wait["wait"] == "any" and [o["handle"] for o in wait["objects"]] == [never]
                     and wait["deadline_ns_or_inf"] == "inf", f"thread {tid} waits forever on {never}: {wait}")


# --- suspend ------------------------------------------------------------------------------------

def check_suspend(f, r):
    expect_selftest_title(f, r, "suspend")
    expect_exited(f, r, 2, 0)
    expect_exited(f, r, 3, 0)
    parked = r.thread(4)
    if f.expect(parked is not None, "thread 4 in the dump"):
        f.expect(parked["state"] == "Suspended" and parked.get("suspend_count") == 2,
                 f"thread 4 Suspended with suspend_count 2: {parked['state']} {parked.get('suspend_count')}")
        f.expect(parked["instructions"] == 0, "the thread left suspended never ran")
    created = r.kinds("thread.create", new_tid=4)
    f.expect(created and created[0]["suspended"] is True, "thread 4 created suspended")
    handles = {thread_handle(r, tid): tid for tid in (2, 3, 4)}
    calls = r.kinds("import.call", name="NtSuspendThread")
    f.expect([(handles.get(e["args"][0]), e["ret"]) for e in calls] ==
             [(2, "0x00000000"), (2, "0x00000000"), (3, "0x00000000"), (4, "0x00000000")],
             f"NtSuspendThread calls (thread, status): {[(handles.get(e['args'][0]), e['ret']) for e in calls]}")
    # Thread 3, suspended while blocked, does nothing between its suspension and its resume (its
    # wait.end is not an action of its own: it is traced when the waker satisfies the wait).
    resumes = [e for e in r.kinds("import.call", name="NtResumeThread") if handles.get(e["args"][0]) == 3]
    if f.expect(len(calls) == 4 and len(resumes) == 1, "one suspension and one resume of thread 3"):
        between = [e for e in r.events if e["tid"] == 3 and e["kind"] != "wait.end"
                   and calls[2]["idx"] < e["idx"] < resumes[0]["idx"]]
        f.expect(not between, f"thread 3 ran while suspended: {between}")
        after = [e for e in r.kinds("thread.exit", tid=3) if e["idx"] > resumes[0]["idx"]]
        f.expect(len(after) == 1, "thread 3 exits after its resume")


# --- rotation -----------------------------------------------------------------------------------

ROTATION_WORKERS = (2, 3, 4)
ROTATION_ITERATIONS = 400


def check_rotation(f, r, quantum=20000, aging=True):
    expect_selftest_title(f, r, "rotation")
    f.expect(r.dump["run"]["scheduler"]["quantum"] == quantum, f"quantum {r.dump['run']['scheduler']['quantum']}")
    f.expect(r.dump["run"]["scheduler"]["aging"] is aging, f"aging {r.dump['run']['scheduler']['aging']}")
    for i, tid in enumerate(ROTATION_WORKERS):
        t = r.thread(tid)
        m = re.search(rf"rotation: worker {i} saw the others progress in (\d+) of its rounds", r.stdout)
        if f.expect(t and m, f"worker {tid} in the dump and its report"):
            f.expect(t["state"] == "Exited" and t["exit_code"] == int(m.group(1)) > 0,
                     f"worker {tid} exit code {t.get('exit_code')} is its reported count {m.group(1)}, > 0")
            f.expect(t["slot"] == 3 and t["affinity"] == "0x00000008", f"worker {tid} on slot 3 only")
    # Each worker's progress is its KeGetCurrentProcessType calls; collapse them into turns.
    ev = [e for e in r.events if e["tid"] in ROTATION_WORKERS
          and (e["kind"] == "thread.exit" or (e["kind"] == "import.call" and e["name"] == "KeGetCurrentProcessType"))]
    for tid in ROTATION_WORKERS:
        n = sum(1 for e in ev if e["tid"] == tid and e["kind"] == "import.call")
        f.expect(n == ROTATION_ITERATIONS, f"worker {tid} made {n} calls, want {ROTATION_ITERATIONS}")
        f.expect(all(e["slot"] == 3 for e in ev if e["tid"] == tid), f"worker {tid} ran on slot 3 only")
    turns = []
    alive = list(ROTATION_WORKERS)
    for e in ev:
        if e["kind"] == "thread.exit":
            continue
        if turns and turns[-1][0] == e["tid"]:
            continue
        # Round robin: the next turn is the next live worker after the previous one.
        if turns:
            prev = turns[-1][0]
            exited = {x["tid"] for x in ev if x["kind"] == "thread.exit" and x["idx"] < e["idx"]}
            alive = [t for t in ROTATION_WORKERS if t not in exited]
            order = sorted(alive + ([prev] if prev not in alive else []))
            want = order[(order.index(prev) + 1) % len(order)] if prev in order else None
            f.expect(e["tid"] == want, f"turn {len(turns)} by worker {e['tid']} at idx {e['idx']}, want {want} "
                                       f"(round robin after {prev})")
        turns.append((e["tid"], e["idx"]))
    counters = r.dump["run"]["scheduler"]["counters"]
    # Every turn but each worker's last ends in a rotation (the quantum expires with peers Ready).
    f.expect(counters["rotations"] == len(turns) - len(ROTATION_WORKERS) > 0,
             f"rotations {counters['rotations']}, want {len(turns)} turns - {len(ROTATION_WORKERS)}")
    # While all three run, each turn is one quantum: at least min(instructions) / quantum turns each.
    least = min(r.thread(t)["instructions"] for t in ROTATION_WORKERS if r.thread(t))
    f.expect(len(turns) >= len(ROTATION_WORKERS) * (least // quantum),
             f"{len(turns)} turns, want at least 3 x {least} // {quantum}")


def check_rotation_q1000(f, r):
    check_rotation(f, r, quantum=1000)


def check_rotation_noaging(f, r):
    """Strict priority: rotation among equal-priority peers must not depend on the age bonus."""
    check_rotation(f, r, aging=False)


# --- fault --------------------------------------------------------------------------------------

def check_fault(f, r):
    expect_common(f, r, 4, "fault", faulted=(1, 2))
    m = re.search(r"fault: handle pointer ([0-9A-F]{8}), load address ([0-9A-F]{8})", r.stdout)
    if not f.expect(m, f"the title printed its bad addresses: {r.stdout!r}"):
        return
    bad_handle_ptr, bad_load = f"0x{m.group(1).lower()}", f"0x{m.group(2).lower()}"
    f.expect("join of the faulted worker returned 0" in r.stdout, "the join of the faulted worker succeeded")
    f.expect("NtCreateEvent with a bad handle pointer returned" not in r.stdout, "the bad NtCreateEvent never returned")
    f.expect("the load returned" not in r.stdout, "main's bad load never completed")
    for tid, address, access in ((2, bad_handle_ptr, "write"), (1, bad_load, "read")):
        faults = r.kinds("thread.fault", tid=tid)
        t = r.thread(tid)
        if not f.expect(len(faults) == 1 and t, f"thread {tid}: one thread.fault event"):
            continue
        e = faults[0]
        f.expect(e["fault"] == "memory" and e["address"] == address and e["access"] == access,
                 f"thread {tid} fault {e['fault']} {e['access']} at {e['address']}, want memory {access} at {address}")
        f.expect(address[2:] in e["message"] and e["pc"] in e["message"], f"thread {tid} fault message {e['message']!r}")
        f.expect(t["fault"] == {"kind": "memory", "message": e["message"]}, f"thread {tid} dump fault {t.get('fault')}")
        expect_nothing_after_fault(f, r, tid, e["idx"], f"thread {tid}")
    # The worker faulted inside the kernel call, at its sc: no import.call was traced for it and
    # the thread's pc is the instruction after the sc.
    f.expect(not r.kinds("import.call", tid=2, name="NtCreateEvent"), "the faulting NtCreateEvent is not traced as a call")
    wf, worker = r.kinds("thread.fault", tid=2), r.thread(2)
    if wf and worker:
        f.expect(int(worker["pc"], 16) == int(wf[0]["pc"], 16) + 4, f"worker pc {worker['pc']} after the sc {wf[0]['pc']}")
    # A fault ends the thread as an exit does (Kernel::on_fault): its handle is signaled, by thread.fault.
    worker_signals = r.kinds("signal.match", target_handle=thread_handle(r, 2))
    f.expect([(x["tid"], x["by"]) for x in worker_signals] == [(2, "thread.fault")],
             f"the faulted worker's handle is signaled once by thread.fault: {worker_signals}")
    stop = r.events[-1]
    f.expect(stop["idx"] > max((e["idx"] for e in r.kinds("thread.fault")), default=-1), "the run stops after both faults")


# --- misc ---------------------------------------------------------------------------------------

def check_fileio(f, r):
    expect_selftest_title(f, r, "fileio")
    io = [e for e in r.events if e["kind"].startswith("io.")]
    opens = [e for e in io if e["kind"] == "io.open"]
    f.expect(any(e["path"] == "game:\\hello.txt" and e["status"] == "0x00000000" for e in opens), "io.open of hello.txt")
    f.expect(any(e["path"] == "game:\\missing.txt" and e["status"] == "0xc0000034" for e in opens),
             "io.open of missing.txt with STATUS_OBJECT_NAME_NOT_FOUND")
    reads = [e for e in io if e["kind"] == "io.read"]
    f.expect(any(e["offset"] == 95 and e["length"] == 10 and e["transferred"] == 5 for e in reads), "io.read at 95")
    f.expect(any(e["status"] == "0xc0000011" for e in reads), "io.read at EOF")
    writes = [e for e in io if e["kind"] == "io.write"]
    f.expect(any(e["transferred"] == 13 and e["status"] == "0x00000000" for e in writes), "io.write of 13 bytes")
    scratch = os.path.join(r.dir, "scratch", "out.txt")
    f.expect(os.path.isfile(scratch) and open(scratch, "rb").read() == b"scratch bytes",
             f"{scratch} holds the bytes written to cache:\\out.txt")


def check_confine(f, r):
    expect_selftest_title(f, r, "confine")
    opens = [e for e in r.events if e["kind"] == "io.open"]
    f.expect(all(e["status"] != "0x00000000" for e in opens if "outside" in e["path"] or ".." in e["path"]),
             "no escaping path opened")


def check_misc(f, r):
    expect_selftest_title(f, r, "misc")
    for tid, code in ((2, 0), (3, 0), (4, 0), (5, 0), (6, 0x102), (7, 0)):
        expect_exited(f, r, tid, code)
    f.expect(set(rets(r, "KeQueryPerformanceFrequency")) == {f"0x{50_000_000:08x}"}, "KeQueryPerformanceFrequency")
    f.expect(set(rets(r, "KeGetCurrentProcessType")) == {"0x00000001"}, "KeGetCurrentProcessType")
    f.expect(rets(r, "NtClose") == ["0x00000000", "0xc0000008"], f"NtClose: {rets(r, 'NtClose')}")
    pulses = r.kinds("signal.match", by="NtPulseEvent")
    if f.expect(len(pulses) == 4, f"four pulses: {[(e['object_type'], e['waiter_tids']) for e in pulses]}"):
        f.expect([e["waiter_tids"] for e in pulses[:2]] == [[], []], "the pulses with nobody waiting woke nobody")
        expect_wakes_in_wait_order(f, r, pulses[2], [2, 3], [2, 3])
        expect_wakes_in_wait_order(f, r, pulses[3], [4], [4, 5])
    alertable = [e for e in r.kinds("wait.begin", tid=1) if e["alertable"]]
    f.expect(len(alertable) == 3 and all(e["timeout_ns"] == 1_000_000 for e in alertable),
             f"three alertable 1 ms waits of main: {alertable}")
    owned = [e for e in r.kinds("import.call", name="NtCreateMutant")]
    f.expect([(e["tid"], e["args"][2], e["ret"]) for e in owned] == [(1, "0x00000001", "0x00000000"),
                                                                     (7, "0x00000001", "0x00000000")],
             f"two mutants created owned: {[(e['tid'], e['args'][2], e['ret']) for e in owned]}")
    all_waits = [e for e in r.kinds("wait.begin", tid=1) if e["wait"] == "all"]
    if f.expect(len(all_waits) == 2, "two WaitAll calls of main"):
        mutant = all_waits[0]["handles"][1]
        abandon = r.kinds("signal.match", by="thread.exit", tid=7, target_handle=mutant)
        f.expect(len(abandon) == 1 and abandon[0]["waiter_tids"] == [], f"thread 7's exit abandons {mutant}: {abandon}")
        ends = [e["status"] for e in r.kinds("wait.end", tid=1) if e["idx"] > all_waits[0]["idx"]][:1]
        f.expect(ends == ["0x00000080"], f"the WaitAll over the abandoned mutant ends with 0x80: {ends}")


# --- deadlines ----------------------------------------------------------------------------------

# deadlines.c's constants (100 ns units) and who waits how.
REL_WAIT, REL_DELAY, ABS_AHEAD, REL_KWAIT = 10_000_000, 20_000_000, 300_000_000, 5_000_000


def check_deadlines(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    printed = {k: printed_int64(r, f"deadlines: {k} ") for k in
               ("wait timeout", "delay timeout", "system time", "absolute timeout", "kwait timeout")}
    f.expect(printed["wait timeout"] == -REL_WAIT and printed["delay timeout"] == -REL_DELAY
             and printed["kwait timeout"] == -REL_KWAIT, f"the title printed the timeouts it passes: {printed}")
    if not f.expect(None not in printed.values() and printed["absolute timeout"] == printed["system time"] + ABS_AHEAD,
                    f"absolute timeout = system time + {ABS_AHEAD}: {printed}"):
        return
    anchor = r.kinds("import.call", tid=4, name="KeQuerySystemTime")
    if not f.expect(len(anchor) == 1, "thread 4 read the system time once"):
        return
    due_abs = absolute_due_cycle(printed["absolute timeout"], printed["system time"], anchor[0]["guest_cycle"])
    expected = {2: ("any", True, REL_WAIT), 3: ("delay", False, REL_DELAY), 4: ("all", False, None),
                5: ("any", False, REL_KWAIT), 6: ("any", False, "inf")}
    for tid, (kind, alertable, units) in expected.items():
        t = r.thread(tid)
        begins = r.kinds("wait.begin", tid=tid)
        if not f.expect(t and t["state"] == "Blocked" and len(begins) == 1, f"thread {tid} Blocked in its one wait"):
            continue
        w = t["wait"]
        f.expect(w["wait"] == kind and w["alertable"] is alertable, f"thread {tid} wait {w['wait']} alertable "
                                                                    f"{w['alertable']}, want {kind} {alertable}")
        if units == "inf":
            want = "inf"
        elif units is None:
            want = cycle_to_ns(due_abs)
        else:
            want = cycle_to_ns(relative_due_cycle(begins[0]["guest_cycle"], units * 100))
            f.expect(begins[0]["timeout_ns"] == units * 100, f"thread {tid} trace timeout_ns {begins[0]['timeout_ns']}, "
                                                             f"the title passed {units * 100} ns")
        f.expect(w["deadline_ns_or_inf"] == want, f"thread {tid} deadline {w['deadline_ns_or_inf']}, want {want}")
    kw = r.thread(5)
    if kw:
        f.expect(not kw["wait"]["objects"][0]["handle"].startswith("0xf8"), "thread 5 waits on a KEVENT (an address)")
    f.expect(r.dump["run"]["guest_time_ns"] < min(v for v in (REL_KWAIT * 100, REL_WAIT * 100)),
             "the run ended before the first deadline")


def check_kobjects(f, r):
    expect_common(f, r, 0, "exit", faulted=(11, 12, 13, 14))
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "kobjects")
    main = [t for t in r.dump["threads"] if t["main"]]
    f.expect(main and main[0].get("tls") == {"1": "0x00c0ffee"}, f"the main thread's TLS in the dump: {main and main[0].get('tls')}")
    tls = [t for t in r.dump["threads"] if t["tid"] == 3]
    f.expect(tls and tls[0].get("tls") is None, "thread 3's slot was zeroed by KeTlsFree")
    for tid in (11, 12, 13, 14):
        th = [t for t in r.dump["threads"] if t["tid"] == tid]
        f.expect(th and th[0]["state"] == "Faulted" and th[0]["fault"]["kind"] == "memory",
                 f"thread {tid}'s bad argument faulted it: {th and th[0]['state']}")
    named = r.kinds("import.call", name="NtCreateEvent")
    f.expect(any(e["ret"] == "0x40000000" for e in named), "a create returned STATUS_OBJECT_NAME_EXISTS")


KERNEL_CHECKS = {
    "kobjects": check_kobjects,
    "kevents": check_kevents,
    "multiwait": check_multiwait,
    "suspend": check_suspend,
    "rotation": check_rotation,
    "rotation_q1000": check_rotation_q1000,
    "rotation_noaging": check_rotation_noaging,
    "fault": check_fault,
    "misc": check_misc,
    "fileio": check_fileio,
    "confine": check_confine,
    "deadlines": check_deadlines,
}
