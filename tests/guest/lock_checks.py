"""Checks of the lock titles (locks, cswedge): critical sections, read/write locks, spinlocks
and SLists on the console's structures (src/kernel/xboxkrnl/exports/{critical_sections,rw_locks,
spinlocks,slists}.cc). Used by check_title.py. Standard library only."""
import re

from title_common import (expect_common, expect_exited, expect_fault_case, expect_main_exit,
                          expect_selftest_lines, expect_selftest_title)


def check_locks(f, r):
    expect_selftest_title(f, r, "locks")
    # Contention was real: the workers blocked in RtlEnterCriticalSection on the section's
    # address, and the owner's leave handed the section over through a signal.
    enters = [e for e in r.kinds("import.call", name="RtlEnterCriticalSection") if e["ret"] is None]
    f.expect(len(enters) >= 3, f"RtlEnterCriticalSection calls that blocked: {len(enters)}")
    hand = [e for e in r.kinds("signal.match", by="RtlLeaveCriticalSection") if e["waiter_tids"]]
    f.expect(len(hand) >= 3 and all(e["object_type"] == "critical_section" for e in hand),
             f"leaves that handed the section to a waiter: {len(hand)}")
    # Hazards: one unowned leave (main), and the spinlock holder's block and quantum end.
    hazards = [(e["tid"], e["hazard"]) for e in r.kinds("sync.hazard")]
    f.expect(hazards.count((1, "critical_section_unowned_leave")) == 1, f"unowned leave hazard: {hazards}")
    holder = r.kinds("thread.create")[-1]["new_tid"] if r.kinds("thread.create") else None
    f.expect((holder, "spinlock_across_block") in hazards, f"spinlock held across a block: {hazards}")
    f.expect((holder, "spinlock_across_quantum") in hazards, f"spinlock held across a quantum: {hazards}")
    # The spin: main's second KfAcquireSpinLock waited on the lock (a `spinlock` object at its
    # address, owned by the holder) until the holder's KfReleaseSpinLock handed it over.
    spins = r.kinds("import.call", tid=1, name="KfAcquireSpinLock")
    f.expect(len(spins) == 2 and spins[1]["ret"] is None, f"main's KfAcquireSpinLock calls: {spins}")
    handoff = [e for e in r.kinds("signal.match", by="KfReleaseSpinLock") if e["waiter_tids"] == [1]]
    f.expect(len(handoff) == 1 and handoff[0]["object_type"] == "spinlock" and handoff[0]["tid"] == holder,
             f"the holder handed the spinlock to main: {handoff}")
    t = r.thread(holder)
    if f.expect(t is not None and "locks" in t, f"the holder's dump shows its locks: {t}"):
        n = len([h for h in hazards if h[0] == holder])
        f.expect(t["locks"] == {"irql": 0, "spinlocks_held": [], "critical_region": 0, "hazards": n},
                 f"holder locks {t['locks']} ({n} hazards traced)")
    f.expect(r.thread(1).get("locks", {}).get("hazards") == 1, f"main's locks: {r.thread(1).get('locks')}")


def check_cswedge(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "cswedge: both threads started\n", f"stdout {r.stdout!r}")
    sections = {}
    for tid, other in ((2, 3), (3, 2)):
        t = r.thread(tid)
        if not f.expect(t is not None and t["state"] == "Blocked", f"thread {tid} Blocked: {t and t['state']}"):
            continue
        objs = t.get("wait", {}).get("objects", [])
        if f.expect(len(objs) == 1 and objs[0]["type"] == "critical_section", f"thread {tid} waits on a section: {objs}"):
            sections[tid] = objs[0]["handle"]
            w = r.wedge(objs[0]["handle"])
            if f.expect(w is not None, f"thread {tid}'s section is in the wedge map"):
                f.expect(w["type"] == "critical_section", f"wedge type {w['type']}")
                f.expect(w["state"] == {"signaled": False, "owner": other}, f"owned by thread {other}: {w['state']}")
                f.expect(w["waiters_tid"] == [tid], f"waiters {w['waiters_tid']}")
    f.expect(len(set(sections.values())) == 2, f"two different sections: {sections}")
    # The section its exited owner (tid 4) left held: tid 5 waits on it for good.
    expect_exited(f, r, 4, 3)
    t = r.thread(5)
    objs = t.get("wait", {}).get("objects", []) if t else []
    if f.expect(t is not None and t["state"] == "Blocked" and len(objs) == 1, f"tid 5 waits on one object: {t}"):
        w = r.wedge(objs[0]["handle"])
        f.expect(w is not None and w["type"] == "critical_section" and w["state"] == {"signaled": False, "owner": 4}
                 and w["waiters_tid"] == [5], f"the orphaned section, owned by the exited tid 4: {w}")
    f.expect(r.thread(1) and r.thread(1)["state"] == "Blocked", "main is Blocked in its join")


HOSTILE_CASE = re.compile(r"hostile_locks: case (.+): tid (\d+) faults (read|write|trap) at ([0-9a-f]+)\n")


def check_hostile_locks(f, r):
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in HOSTILE_CASE.finditer(r.stdout)]
    f.expect(len(cases) == 26, f"26 faulting cases printed, got {len(cases)}")
    faulted = tuple(tid for _, tid, _, _ in cases)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "hostile_locks")
    for name, tid, access, address in cases:
        expect_fault_case(f, r, name, tid, access, address)
    # The thread that faulted acquiring its own spinlock still holds it, at DISPATCH_LEVEL.
    twice = [tid for name, tid, _, _ in cases if name == "KfAcquireSpinLock held by the caller"]
    t = r.thread(twice[0]) if twice else None
    if f.expect(t is not None and "locks" in t, f"the self-deadlocking thread's locks: {t}"):
        f.expect(t["locks"]["irql"] == 2 and len(t["locks"]["spinlocks_held"]) == 1, f"its locks: {t['locks']}")


LOCK_CHECKS = {
    "hostile_locks": check_hostile_locks,
    "locks": check_locks,
    "cswedge": check_cswedge,
}
