"""Checks of the hostile-guest titles (hostile_handles, hostile_pointers, hostile_limits,
hostile_forever): each title prints one ok/FAIL line per expected NTSTATUS; these checks add
what only the trace and the exit dump show — which threads faulted, where, and that the calls
that faulted left nothing behind; waits that never expire; the trace's timeout_ns.
Used by check_title.py. Standard library only."""
import os
import re

from title_common import (expect_common, expect_exited, expect_fault_case, expect_main_exit,
                          expect_selftest_lines, expect_selftest_title)

INT64_MAX = (1 << 63) - 1


def check_hostile_handles(f, r):
    expect_selftest_title(f, r, "hostile_handles")
    f.expect(len(r.dump["threads"]) == 2, "main and the one worker, nothing else")
    expect_exited(f, r, 2, 7)
    f.expect(not r.kinds("thread.fault"), "no thread faulted")
    # A failed call on an object signals nothing: the only signals are main's own successful
    # NtSetEvent/NtPulseEvent on its event and the worker's exit.
    bys = sorted({e["by"] for e in r.kinds("signal.match")})
    f.expect(bys == ["NtPulseEvent", "NtSetEvent", "thread.exit"], f"signal.match sources: {bys}")


CASE = re.compile(r"hostile_pointers: case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")


def check_hostile_pointers(f, r):
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in CASE.finditer(r.stdout)]
    f.expect(len(cases) == 36, f"36 faulting cases printed, got {len(cases)}")
    faulted = tuple(tid for _, tid, _, _ in cases)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "hostile_pointers")
    f.expect(faulted == tuple(range(3, 3 + len(cases))), f"case threads are tids 3.. in order: {faulted}")
    for name, tid, access, address in cases:
        # It faulted inside the kernel call: that call is not traced as returning, and the
        # thread did nothing after it.
        e = expect_fault_case(f, r, name, tid, access, address)
        if e is None:
            continue
        f.expect(not r.kinds("thread.create", tid=tid), f"{name}: thread {tid} created no thread")
        t = r.thread(tid)
        f.expect(t and t["fault"]["kind"] == "memory", f"{name}: the dump records thread {tid}'s fault")
    # The threads: main, the two victims, the cases, and the NULL-handle ExCreateThread's thread.
    f.expect(len(r.dump["threads"]) == 3 + len(cases) + 1, f"{len(r.dump['threads'])} threads in the dump")
    # No faulting call signaled anything: a faulted thread's only signals are its end's.
    stray = [e for e in r.kinds("signal.match") if e["tid"] in faulted and e["by"] != "thread.fault"]
    f.expect(not stray, f"signals by faulted threads: {stray[:3]}")


FILE_CASE = re.compile(r"hostile_files: case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")


def check_hostile_files(f, r):
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in FILE_CASE.finditer(r.stdout)]
    f.expect(len(cases) == 16, f"16 faulting cases printed, got {len(cases)}")
    faulted = tuple(tid for _, tid, _, _ in cases)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "hostile_files")
    for name, tid, access, address in cases:
        expect_fault_case(f, r, name, tid, access, address)
    big = os.path.join(r.dir, "scratch", "big")
    f.expect(os.path.isfile(big) and os.path.getsize(big) == 0, "the refused write left cache:\\big empty")


def check_hostile_limits(f, r):
    expect_selftest_title(f, r, "hostile_limits")
    first = 10002  # main is 1, the churn threads 2..10001
    threads = {t["tid"]: t for t in r.dump["threads"]}
    for tid in range(2, first):
        t = threads.get(tid)
        if not f.expect(t and t["state"] == "Exited" and t.get("exit_code") == tid - 2, f"churn thread {tid} exited"):
            break
    creates = r.kinds("import.call", name="ExCreateThread")
    f.expect(sum(e["ret"] == "0x00000000" for e in creates) == 10000 + 5, "10,005 threads created")
    f.expect(creates and creates[-1]["ret"] == "0xc0000017", "the last ExCreateThread ran out of memory")
    dup, far, delay, abs_max, three_years = range(first, first + 5)
    expect_exited(f, r, dup, 0)
    expect_exited(f, r, far, 0)
    # The duplicate waiter's WaitAny named one event twice; one set woke it once.
    begins = r.kinds("wait.begin", tid=dup)
    f.expect(len(begins) == 1 and len(begins[0]["handles"]) == 2 and len(set(begins[0]["handles"])) == 1,
             f"thread {dup} waits on one handle twice: {begins}")
    wakes = r.kinds("wake.requested", target_tid=dup)
    f.expect(len(wakes) == 1, f"thread {dup} woken once: {wakes}")
    # Too long to represent: the trace says INT64_MAX ns (saturated), the dump "inf".
    for tid, want_ns in ((far, INT64_MAX), (delay, INT64_MAX), (abs_max, INT64_MAX), (three_years, 10 ** 17)):
        b = r.kinds("wait.begin", tid=tid)
        got = [e["timeout_ns"] for e in b]
        f.expect(got == [want_ns], f"thread {tid} timeout_ns {got}, want [{want_ns}]")
    for tid, want in ((delay, "inf"), (abs_max, "inf")):
        t = r.thread(tid)
        f.expect(t and t["state"] == "Blocked" and t["wait"]["deadline_ns_or_inf"] == want,
                 f"thread {tid} Blocked with deadline {want}: {t and t.get('wait')}")
    t = r.thread(three_years)
    if f.expect(t and t["state"] == "Blocked", f"thread {three_years} Blocked"):
        d = t["wait"]["deadline_ns_or_inf"]
        f.expect(isinstance(d, int) and 10 ** 17 <= d < 10 ** 17 + 10 ** 10, f"thread {three_years} deadline {d}")
    f.expect(r.dump["run"]["guest_time_ns"] < 2 * 10 ** 9, f"guest time {r.dump['run']['guest_time_ns']} ns")
    # Idle time is main's 1 ms and 2 ms sleeps: no skip towards a deadline that never fires.
    skipped = r.dump["run"]["scheduler"]["counters"]["idle_cycles_skipped"]
    f.expect(skipped <= 3_200_000 * 3, f"{skipped} idle cycles skipped, at most 3 ms worth")
    mix = [e for e in r.kinds("import.call") if e["ret"] == "0xc0000030"]
    f.expect(len(mix) == 2 and not [e for e in r.kinds("wait.begin", tid=1) if len(e["handles"]) == 2
                                    and len(set(e["handles"])) == 1 and e["wait"] == "all"],
             "two WaitAll duplicates refused before any wait began")


def check_hostile_forever(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "hostile_forever: delaying forever\n", f"stdout {r.stdout!r}")
    t = r.thread(1)
    if f.expect(t and t["state"] == "Blocked", "main is Blocked in its delay"):
        f.expect(t["wait"]["wait"] == "delay" and t["wait"]["deadline_ns_or_inf"] == "inf", f"main's wait {t['wait']}")
    b = r.kinds("wait.begin", tid=1)
    f.expect(len(b) == 1 and b[0]["timeout_ns"] == INT64_MAX, f"timeout_ns saturated at INT64_MAX: {b}")
    f.expect(not r.kinds("wait.end"), "the delay never ended")
    f.expect(r.dump["run"]["guest_time_ns"] < 10 ** 6, f"guest time did not jump: {r.dump['run']['guest_time_ns']} ns")


HOSTILE_CHECKS = {
    "hostile_handles": check_hostile_handles,
    "hostile_pointers": check_hostile_pointers,
    "hostile_files": check_hostile_files,
    "hostile_limits": check_hostile_limits,
    "hostile_forever": check_hostile_forever,
}
