"""Checks of the wedge titles (waitcycle, underrun, lostwake, joinblocked): each one wedges on
purpose, in one way `hexad-audit explain` must recognise. These checks hold the runs to the shape
the titles promise (stop reason, who is blocked on what, who signaled what); check_wedges.py
holds explain and wedge-diff to their classes and verdicts. Used by check_title.py. Standard
library only."""
from title_common import expect_common, expect_exited


def blocked_on(f, r, tid, types):
    """Thread `tid` is Blocked, waiting on objects of these types; returns their handles."""
    t = r.thread(tid)
    if not f.expect(t is not None and t["state"] == "Blocked", f"thread {tid} is Blocked: {t and t['state']}"):
        return []
    objs = t.get("wait", {}).get("objects", [])
    f.expect([o["type"] for o in objs] == types, f"thread {tid} waits on {types}: {objs}")
    return [o["handle"] for o in objs]


def check_waitcycle(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "waitcycle: holder got the first pong, waits for the second\n", f"stdout {r.stdout!r}")
    (holder_join,) = blocked_on(f, r, 1, ["thread"]) or [None]
    (pong,) = blocked_on(f, r, 2, ["event.synchronization"]) or [None]
    (mutant,) = blocked_on(f, r, 3, ["mutant"]) or [None]
    w = r.wedge(mutant)
    if f.expect(w is not None, "the mutant is in the wedge map"):
        f.expect(w["state"].get("owner") == 2, f"holder (tid 2) owns the mutant: {w['state']}")
        f.expect(w["waiters_tid"] == [3], f"taker (tid 3) waits on it: {w['waiters_tid']}")
    w = r.wedge(pong)
    if f.expect(w is not None, "the pong event is in the wedge map"):
        f.expect(w["signaled_by_tids"] == [3], f"only taker ever signaled pong: {w['signaled_by_tids']}")
    f.expect(r.wedge(holder_join) is not None, "main's join is in the wedge map")


def check_underrun(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "", f"stdout {r.stdout!r}")
    sems = [blocked_on(f, r, tid, ["semaphore"]) for tid in (2, 3, 4)]
    f.expect(all(s == sems[0] for s in sems), f"the consumers wait on one semaphore: {sems}")
    blocked_on(f, r, 5, ["event.notification"])
    w = r.wedge(sems[0][0]) if sems[0] else None
    if f.expect(w is not None, "the semaphore is in the wedge map"):
        f.expect(w["state"] == {"signaled": False, "count": 0, "max": 8}, f"semaphore state {w['state']}")
        f.expect(w["waiters_tid"] == [2, 3, 4] and w["signaled_by_tids"] == [5], f"semaphore wedge {w}")
    f.expect(len(r.kinds("signal.match", by="NtReleaseSemaphore")) == 3, "three items were released")


def check_lostwake(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "lostwake: the notifier has signaled and exited; waiting for the event\n",
             f"stdout {r.stdout!r}")
    expect_exited(f, r, 2, 0)
    (ev,) = blocked_on(f, r, 1, ["event.notification"]) or [None]
    (ready,) = blocked_on(f, r, 3, ["event.synchronization"]) or [None]
    pulses = r.kinds("signal.match", by="NtPulseEvent", target_handle=ev)
    f.expect(len(pulses) == 1 and pulses[0]["waiter_tids"] == [], f"one pulse that woke nobody: {pulses}")
    sets = r.kinds("signal.match", by="NtSetEvent", target_handle=ready)
    f.expect(len(sets) == 2 and all(s["waiter_tids"] == [] for s in sets), f"two sets that woke nobody: {sets}")
    waits = r.kinds("wait.begin", tid=1)
    f.expect(pulses and waits and waits[-1]["handles"] == [ev] and waits[-1]["idx"] > pulses[0]["idx"],
             "main began waiting on ev after the pulse")
    counter_waits = r.kinds("wait.begin", tid=3)
    f.expect(len(counter_waits) == 2 and len(r.kinds("wait.end", tid=3)) == 1,
             "the counter's first wait took the one set, its second blocks")


def check_joinblocked(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "", f"stdout {r.stdout!r}")
    blocked_on(f, r, 1, ["thread"])
    blocked_on(f, r, 2, ["thread"])
    (start,) = blocked_on(f, r, 3, ["event.synchronization"]) or [None]
    f.expect(not r.kinds("signal.match", target_handle=start), "the start event was never set")
    creates = {e["new_tid"]: e["tid"] for e in r.kinds("thread.create")}
    f.expect(creates == {1: 0, 2: 1, 3: 2}, f"main created parent, parent created child: {creates}")
    keys = [t["key"] for t in r.dump["threads"]]
    f.expect(len(keys) == 3 and keys[0] == "main" and keys[2].startswith(keys[1] + "/thread@"),
             f"the child's key extends the parent's: {keys}")
    w = r.wedge(start)
    f.expect(w is not None and w["key"] == keys[1] + ":KeInitializeEvent#1",
             f"the stack KEVENT is keyed by the thread that initialised it: {w}")


WEDGE_CHECKS = {
    "waitcycle": check_waitcycle,
    "underrun": check_underrun,
    "lostwake": check_lostwake,
    "joinblocked": check_joinblocked,
}
