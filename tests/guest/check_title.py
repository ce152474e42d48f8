#!/usr/bin/env python3
"""Runs one spine guest title under `hexad run` and checks its outcome.

  check_title.py --hexad HEXAD --audit HEXAD_AUDIT --xex TITLE.xex --out DIR --check NAME
                 [-- EXTRA HEXAD RUN OPTIONS...]

1. runs the title into DIR/run1 and checks the outcome named NAME (exit status, stop reason,
   thread states, wedge map, trace events, stdout.log) — see CHECKS below;
2. runs it again into DIR/run2: `hexad-audit diff` must find the two traces identical (apart from
   host_ns), and the exit dumps, stdout.log and exit statuses must be identical too;
3. runs it a third time with --no-trace into DIR/notrace: the exit dump must be byte-identical
   to the traced run's (the dump must not depend on tracing) and no trace may be written.

Prints one line per failed expectation and exits 1 if there is any. Standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
import zlib

from hostile_checks import HOSTILE_CHECKS
from module_checks import MODULE_CHECKS
from policy_checks import POLICY_CHECKS, starvation_common
from wedge_checks import WEDGE_CHECKS
from memory_checks import MEMORY_CHECKS
from lock_checks import LOCK_CHECKS
from krtl_checks import KRTL_CHECKS
from xam_checks import XAM_CHECKS
from kthreads_checks import KTHREADS_CHECKS
from timer_checks import TIMER_CHECKS
from kseh_checks import KSEH_CHECKS
from kernel_checks import KERNEL_CHECKS, absolute_due_cycle, cycle_to_ns, printed_int64, relative_due_cycle
from title_common import (Failures, expect_common, expect_exited, expect_fault_case, expect_main_exit,
                          expect_selftest_lines, expect_selftest_title, run_hexad)


# --- per-title outcomes -------------------------------------------------------------------------

def check_hello(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect(r.stdout == "hello from hexad\nhello: sum(1..100) = 5050, hex 000013BA, signed -5050\n",
             f"stdout {r.stdout!r}")
    f.expect(len(r.dump["threads"]) == 1, "one thread")


def check_pingpong(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect("pingpong: pings 10000 pongs 10000\n" in r.stdout, "10000 turns each")
    f.expect(r.stdout.endswith("pingpong: OK\n"), "title reports OK")
    for tid, slot, aff in ((2, 1, "0x00000002"), (3, 2, "0x00000004")):
        expect_exited(f, r, tid, 0)  # exit code = alternation violations
        t = r.thread(tid)
        if t:
            f.expect(t["slot"] == slot and t["affinity"] == aff, f"thread {tid} slot {t['slot']} affinity {t['affinity']}")
    sets = {tid: len(r.kinds("signal.match", tid=tid, by="NtSetEvent")) for tid in (2, 3)}
    f.expect(sets == {2: 10000, 3: 10000}, f"NtSetEvent signal.match per thread: {sets}")
    waits = [e for e in r.kinds("wait.begin", tid=1)]
    f.expect(len(waits) == 1 and waits[0]["wait"] == "all" and len(waits[0]["handles"]) == 2, "main: one WaitAll on two handles")
    ends = r.kinds("wait.end", tid=1)
    f.expect(len(ends) == 1 and ends[0]["status"] == "0x00000000", "main's WaitAll succeeds")
    # The threads really handed off: most turns are wakes of a blocked thread by the other one.
    wakes = {tid: len(r.kinds("wake.requested", target_tid=tid, reason="signal")) for tid in (2, 3)}
    f.expect(all(w >= 5000 for w in wakes.values()), f"wakes by signal per thread: {wakes}")


def check_prodcons(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect(r.stdout.endswith("prodcons: OK\n"), "title reports OK")
    f.expect("items 4000, head 4000 tail 4000" in r.stdout, "4000 items through the ring")
    f.expect("consumer 0 took 2000" in r.stdout and "consumer 1 took 2000" in r.stdout, "2000 items per consumer")
    for tid in (2, 3, 4, 5):
        expect_exited(f, r, tid, 0)  # exit code = failed calls / overtakes
    slots = sorted(r.thread(t)["slot"] for t in (2, 3, 4, 5) if r.thread(t))
    f.expect(slots == [1, 2, 3, 4], f"workers spread over slots 1-4: {slots}")
    f.expect(len(r.kinds("signal.match", by="NtReleaseMutant")) == 8000, "8000 mutant releases")
    f.expect(len(r.kinds("signal.match", by="NtReleaseSemaphore")) == 8000, "8000 semaphore releases")
    # The ring really filled and emptied: producers and consumers both blocked at some point.
    blocked = {e["target_tid"] for e in r.kinds("wake.requested", reason="signal")}
    f.expect({2, 3, 4, 5} <= blocked, f"threads woken by signals: {sorted(blocked)}")


JOIN_PRIORITY = [0, 31, 8, 15, 4, 20, 12, 1]
JOIN_AFFINITY = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x06, 0x30]


def check_join(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect(r.stdout.endswith("join: OK\n"), "title reports OK")
    f.expect("previous affinity" not in r.stdout, "KeSetAffinityThread reported 0x3f as the previous affinity")
    for i in range(8):
        tid = i + 2
        expect_exited(f, r, tid, 0x100 + i)
        t = r.thread(tid)
        if not t:
            continue
        f.expect(t["base_priority"] == JOIN_PRIORITY[i], f"thread {tid} base priority {t['base_priority']}")
        f.expect(t["affinity"] == f"0x{JOIN_AFFINITY[i]:08x}", f"thread {tid} affinity {t['affinity']}")
        low = (JOIN_AFFINITY[i] & -JOIN_AFFINITY[i]).bit_length() - 1
        f.expect(t["slot"] == low, f"thread {tid} on slot {t['slot']}, want {low}")
        f.expect(f"join: worker {i} result" in r.stdout, f"worker {i} reported")
        exits = r.kinds("thread.exit", tid=tid)
        f.expect(len(exits) == 1 and exits[0]["exit_code"] == 0x100 + i, f"thread {tid} thread.exit event")
        f.expect(len(r.kinds("signal.match", tid=tid, by="thread.exit")) == 1, f"thread {tid} signals its handle")
    waits = r.kinds("wait.begin", tid=1)
    f.expect(len(waits) == 1 and waits[0]["wait"] == "all" and len(waits[0]["handles"]) == 8, "main: WaitAll on 8 handles")
    end = r.kinds("wait.end", tid=1)
    last_exit = max((e["idx"] for e in r.kinds("thread.exit") if e["tid"] != 1), default=-1)
    f.expect(len(end) == 1 and end[0]["status"] == "0x00000000" and end[0]["idx"] > last_exit,
             "main's WaitAll ends after the last worker exits")


def check_deadlock(f, r):
    expect_common(f, r, 3, "deadlock")
    f.expect(r.stdout == "deadlock: waiting for the workers\n", f"stdout {r.stdout!r}")
    ev_a, ev_b = r.first_wait_handles(2), r.first_wait_handles(3)
    if not f.expect(ev_a and ev_b and len(ev_a) == 1 and len(ev_b) == 1, "each worker waits on one event"):
        return
    ev_a, ev_b = ev_a[0], ev_b[0]
    for tid, handle in ((1, None), (2, ev_a), (3, ev_b)):
        t = r.thread(tid)
        if not f.expect(t is not None and t["state"] == "Blocked", f"thread {tid} is Blocked"):
            continue
        w = t.get("wait", {})
        if handle:
            f.expect(w.get("wait") == "any" and [o["handle"] for o in w.get("objects", [])] == [handle],
                     f"thread {tid} waits on {handle}: {w}")
            f.expect(w.get("deadline_ns_or_inf") == "inf", f"thread {tid} waits forever")
        else:
            f.expect(w.get("wait") == "all" and [o["type"] for o in w.get("objects", [])] == ["thread", "thread"],
                     f"main waits for both threads: {w}")
    for handle, waiter in ((ev_a, 2), (ev_b, 3)):
        w = r.wedge(handle)
        if f.expect(w is not None, f"event {handle} in the wedge map"):
            f.expect(w["type"] == "event.synchronization", f"{handle} type {w['type']}")
            f.expect(w["state"] == {"signaled": False}, f"{handle} state {w['state']}")
            f.expect(w["waiters_tid"] == [waiter], f"{handle} waiters {w['waiters_tid']}")
            f.expect(w["signaled_by_tids"] == [], f"{handle} signaled by {w['signaled_by_tids']}")
    threads_in_map = [w for w in r.dump["wedge_map"] if w["type"] == "thread"]
    f.expect(len(threads_in_map) == 2 and all(w["waiters_tid"] == [1] for w in threads_in_map),
             "both thread objects in the wedge map, waited on by main")
    f.expect(len(r.dump["wedge_map"]) == 4, f"wedge map has {len(r.dump['wedge_map'])} entries, want 4")
    f.expect(not r.kinds("signal.match", by="NtSetEvent"), "no event was ever set")


def check_starvation(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    event = starvation_common(f, r)
    f.expect(r.stdout == "starvation: event set, wait status 0, spinner ran yes\n", f"stdout {r.stdout!r}")
    expect_exited(f, r, 3, 0)
    matches = r.kinds("signal.match", tid=3, by="NtSetEvent", target_handle=event)
    f.expect(len(matches) == 1 and 1 in matches[0]["waiter_tids"],
             f"signal.match by tid 3 on {event} waking main: {matches}")
    f.expect(r.dump["run"]["scheduler"]["counters"]["picks_won_by_age"] >= 1, "a pick was won by age")
    if matches:
        f.expect(matches[0]["slot"] == 5, "the low thread ran on slot 5")
        # It needed the age bonus to reach the spinner's priority: at least 15 rounds of waiting.
        f.expect(matches[0]["round"] >= 15, f"the low thread ran at round {matches[0]['round']}")


def check_starvation_noaging(f, r):
    expect_common(f, r, 0, "budget")
    event = starvation_common(f, r)
    f.expect(r.dump["run"]["instructions"] == 5_000_000, f"instructions {r.dump['run']['instructions']}, want the budget")
    f.expect(r.dump["run"]["scheduler"]["aging"] is False, "aging off")
    f.expect(r.dump["run"]["scheduler"]["counters"]["picks_won_by_age"] == 0, "no pick won by age")
    f.expect(r.stdout == "", f"stdout {r.stdout!r}")
    main, low = r.thread(1), r.thread(3)
    if main:
        f.expect(main["state"] == "Blocked", f"main is {main['state']}, want Blocked")
        objs = main.get("wait", {}).get("objects", [])
        f.expect([o["handle"] for o in objs] == [event], f"main waits on {event}: {objs}")
    if low:
        f.expect(low["state"] == "Ready", f"the low thread is {low['state']}, want Ready")
        f.expect(low["instructions"] == 0, "the low thread never ran")
    w = r.wedge(event)
    if f.expect(w is not None, "the event is in the wedge map"):
        f.expect(w["waiters_tid"] == [1] and w["signaled_by_tids"] == [], f"wedge entry {w}")
    f.expect(not r.kinds("signal.match", target_handle=event), "the event was never set")


def check_waitall(f, r):
    expect_selftest_title(f, r, "waitall")
    expect_exited(f, r, 2, 0)  # the WaitAll waiter returns its wait status
    sem = None
    handles = r.first_wait_handles(2)
    if f.expect(handles and len(handles) == 2, "the waiter's WaitAll has two handles"):
        sem = handles[1]
    wakes = r.kinds("wake.requested", target_tid=2)
    f.expect(len(wakes) == 1 and wakes[0]["reason"] == "signal" and wakes[0]["handle"] == sem and wakes[0]["tid"] == 1,
             f"the waiter is woken once, by main releasing the semaphore: {wakes}")


# The timed waits that time out, per thread, as timeouts.c passes them: ("rel", ns) for a relative
# timeout or delay, ("abs", None) for main's absolute one (printed by the title).
TIMEOUTS_MAIN = [("rel", 10_000_000), ("rel", 5_000_000), ("abs", None), ("rel", 1_500_000_000)]
TIMEOUTS_SETTER = [("rel", 2_000_000)]
TIMEOUTS_SLEEPER = [("rel", (37 + 13 * i) * 100) for i in range(24)]


def check_timeouts(f, r):
    expect_selftest_title(f, r, "timeouts")
    expect_exited(f, r, 2, 0)
    timeouts = r.kinds("wake.requested", target_tid=1, reason="timeout")
    f.expect(len(timeouts) == 4, f"main woken by 4 timeouts (10 ms, delay 5 ms, absolute 3 ms, 1.5 s): {len(timeouts)}")
    f.expect(r.dump["run"]["scheduler"]["counters"]["idle_skips"] >= 3, "idle time was skipped to deadlines")
    expect_exited(f, r, 3, 0)  # the yielder
    expect_exited(f, r, 4, 0)  # the sleeper on the busy machine
    f.expect(len(r.kinds("wake.requested", target_tid=4, reason="timeout")) == 24, "24 timed waits of the sleeper")
    absolute, system_time = printed_int64(r, "timeouts: absolute timeout "), printed_int64(r, ", system time ")
    f.expect(absolute is not None and system_time is not None and absolute == system_time + 30000,
             f"the title printed its absolute timeout (3 ms ahead of its system time): {absolute} {system_time}")
    # System time starts at the console's launch, 2005-11-22 00:00 UTC (README, "Guest time"), and
    # advances with guest time: the title read it within its first guest second.
    launch = 127770912000000000  # 100 ns units since 1601-01-01
    f.expect(system_time is not None and launch <= system_time < launch + 10_000_000,
             f"system time {system_time} is within the first second after 2005-11-22 00:00 UTC ({launch})")
    # The anchor of system time to guest time: main's KeQuerySystemTime call that read `system_time`
    # (its last one before the absolute wait).
    abs_print = [e for e in r.kinds("debug.print", tid=1) if "absolute timeout" in e["text"]]
    anchor = [e for e in r.kinds("import.call", tid=1, name="KeQuerySystemTime")
              if abs_print and e["idx"] < abs_print[0]["idx"]]
    # No timed wait resumes before its deadline on the thread's own clock: the first event of the
    # thread after the wait (its next import call) is at or after the deadline computed from the
    # timeout the title passed (not from the trace's own timeout_ns, which is checked against it).
    expected = {1: list(TIMEOUTS_MAIN), 2: list(TIMEOUTS_SETTER), 4: list(TIMEOUTS_SLEEPER)}
    begun, timed_out = {}, {}
    checked = 0
    for e in r.events:
        if e["kind"] == "wait.begin" and e.get("timeout_ns"):
            begun[e["tid"]] = e
        elif e["kind"] == "wake.requested" and e["reason"] == "timeout" and e["target_tid"] in begun:
            timed_out[e["target_tid"]] = begun.pop(e["target_tid"])
        elif e["kind"] == "import.call" and e["tid"] in timed_out and e["name"] not in (
                "KeDelayExecutionThread", "NtWaitForSingleObjectEx", "NtWaitForMultipleObjectsEx"):
            b = timed_out.pop(e["tid"])
            queue = expected.get(e["tid"], [])
            if not f.expect(queue, f"thread {e['tid']}: a timed-out wait the title does not make at idx {b['idx']}"):
                continue
            form, ns = queue.pop(0)
            if form == "rel":
                f.expect(b["timeout_ns"] == ns, f"thread {e['tid']} passed {ns} ns, trace says {b['timeout_ns']}")
                deadline = relative_due_cycle(b["guest_cycle"], ns)
            elif not f.expect(anchor and absolute is not None, "the absolute wait's anchor and value"):
                continue
            else:
                deadline = absolute_due_cycle(absolute, system_time, anchor[-1]["guest_cycle"])
                # The trace's timeout_ns of an absolute wait is the time left when it began.
                boot = system_time - cycle_to_ns(anchor[-1]["guest_cycle"]) // 100
                left = (absolute - boot) * 100 - cycle_to_ns(b["guest_cycle"])
                f.expect(b["timeout_ns"] == left, f"absolute wait: {left} ns left, trace says {b['timeout_ns']}")
            f.expect(e["guest_cycle"] >= deadline,
                     f"thread {e['tid']} resumed at cycle {e['guest_cycle']} before its deadline {deadline}")
            checked += 1
    f.expect(checked == 29, f"{checked} timed-out waits checked, want 29 (main 4, setter 1, sleeper 24)")
    f.expect(all(not q for q in expected.values()), f"timed waits the title makes that did not time out: {expected}")


def check_mutant(f, r):
    expect_selftest_title(f, r, "mutant")
    expect_exited(f, r, 2, 7)
    expect_exited(f, r, 3, 0)
    abandoned = [e for e in r.kinds("wait.end", tid=1) if e["status"] in ("0x00000080", "0x00000081")]
    f.expect([e["status"] for e in abandoned] == ["0x00000080", "0x00000081"], f"abandoned wait ends: {abandoned}")
    handles = r.first_wait_handles(2)  # the owner's first wait is on the mutant
    mutant = handles[0] if handles else None
    by_exit = r.kinds("wake.requested", target_tid=1, reason="signal", tid=2, handle=mutant)
    f.expect(len(by_exit) == 1, "main woken by the owner's exit")
    # Abandonment is a signal like any other: traced as signal.match by thread.exit.
    matches = r.kinds("signal.match", by="thread.exit", target_handle=mutant)
    f.expect([(e["tid"], e["waiter_tids"]) for e in matches] == [(2, [1]), (3, [])],
             f"abandonment signal.match events: {matches}")
    w = r.kinds("wait.end", tid=1, status="0x00000080")
    f.expect(len(w) == 1 and by_exit and w[0]["idx"] == by_exit[0]["idx"] + 1, "the abandoned wait ends on that wake")


def check_semlimit(f, r):
    expect_selftest_title(f, r, "semlimit")
    over = [e for e in r.kinds("import.call", name="NtReleaseSemaphore") if e["ret"] == "0xc0000047"]
    f.expect(len(over) == 2, f"two releases beyond the limit: {len(over)}")


def check_unimpl(f, r):
    expect_common(f, r, 0, "exit", unimplemented={"xboxkrnl.exe!VdBlockUntilGUIIdle": 2})
    f.expect(r.stdout == "unimpl: VdBlockUntilGUIIdle returned C0000002 and C0000002\n", f"stdout {r.stdout!r}")
    reports = [l for l in r.stderr.splitlines() if "import not implemented" in l]
    f.expect(len(reports) == 1, f"{len(reports)} reports on stderr, want exactly 1")
    f.expect(reports and "xboxkrnl.exe" in reports[0] and "432" in reports[0] and "VdBlockUntilGUIIdle" in reports[0],
             f"report names module, ordinal and name: {reports}")
    calls = [e for e in r.kinds("import.call") if e["name"] == "VdBlockUntilGUIIdle"]
    f.expect(len(calls) == 2 and all(not e["implemented"] and e["ret"] == "0xc0000002" and e["ord"] == 432 for e in calls),
             f"two traced calls, not implemented, returning 0xc0000002: {calls}")


def check_migrate(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    f.expect(r.stdout == "migrate: 0 moves with time running backwards\nmigrate: OK\n", f"stdout {r.stdout!r}")
    expect_exited(f, r, 2, 0)
    t = r.thread(2)
    f.expect(t and t["slot"] == 0 and t["affinity"] == "0x00000001", "the worker ends on slot 0")
    # Each KeSetAffinityThread call is traced on the slot the worker runs on (the old one); it
    # leaves that slot at its next stop, so its next call is already on the new slot.
    calls = r.kinds("import.call", tid=2, name="KeSetAffinityThread")
    f.expect([e["slot"] for e in calls] == [2, 4, 1, 5, 3], f"slots of the moves: {[e['slot'] for e in calls]}")
    worker = [e for e in r.events if e["tid"] == 2 and e["kind"] == "import.call"]
    for k, e in enumerate(worker[:-1]):
        if e["name"] == "KeSetAffinityThread":
            new_slot = int(e["args"][1], 16).bit_length() - 1
            f.expect(worker[k + 1]["slot"] == new_slot,
                     f"after the move at idx {e['idx']} the worker runs on slot {worker[k + 1]['slot']}, want {new_slot}")
    cycles = [e["guest_cycle"] for e in r.events if e["tid"] == 2 and e["kind"] == "import.call"]
    f.expect(cycles == sorted(cycles), "the worker's guest_cycle never decreases")


def check_badtext(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    raw = open(os.path.join(r.dir, "stdout.log"), "rb").read()
    want = (b"badtext: \xc3\x28 is a broken sequence\n" b"badtext: caf\xc3\xa9 is valid\n"
            b"badtext: \xff\xfe and a lone continuation \x80\n" b"badtext: OK\n")
    f.expect(raw == want, f"stdout.log holds the raw bytes: {raw!r}")
    prints = r.kinds("debug.print")
    f.expect(len(prints) == 4, f"{len(prints)} debug.print events, want 4")
    if len(prints) == 4:
        f.expect(prints[0]["text"] == "badtext: \ufffd( is a broken sequence\n", f"replaced text {prints[0]['text']!r}")
        f.expect(prints[0].get("text_hex") == want.split(b"\n")[0].hex() + "0a", f"text_hex {prints[0].get('text_hex')}")
        f.expect("text_hex" not in prints[1] and "text_hex" not in prints[3], "valid UTF-8 has no text_hex")
        f.expect(prints[2]["text"] == "badtext: \ufffd\ufffd and a lone continuation \ufffd\n", f"{prints[2]['text']!r}")
        # Nothing is lost: the raw bytes of every print, in order, are stdout.log.
        joined = b"".join(bytes.fromhex(e["text_hex"]) if "text_hex" in e else e["text"].encode() for e in prints)
        f.expect(joined == raw, "the debug.print texts (raw bytes from text_hex) equal stdout.log")


def check_waitorder(f, r):
    # The title checks the wake order itself; the trace must show the same order, which
    # expect_common's time-order check enforces on every wake of the semaphore and the event.
    expect_selftest_title(f, r, "waitorder")
    for tid in range(2, 7):
        expect_exited(f, r, tid, 0)
    wakes = r.kinds("wake.requested", reason="signal")
    f.expect(len(wakes) >= 2 * 5, f"{len(wakes)} signal wakes, want at least 10 (5 per phase)")


def check_cpubound(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    # The digests, computed on the host by the title's recipe: a CRC-32 carried over 600 passes
    # (zlib's crc32 takes and returns the complemented register the title keeps).
    def digest(i):
        x, buf = (0x12345 + i) & 0xFFFFFFFF, bytearray(4096)
        for k in range(4096):
            x = (x * 1103515245 + 12345) & 0xFFFFFFFF
            buf[k] = (x >> 16) & 0xFF
        z = 0
        for rnd in range(600):
            z = zlib.crc32(buf, z)
            buf[rnd % 4096] ^= ~z & 0xFF
        return z
    want = "".join(f"cpubound: thread {i} digest {digest(i):08x}\n" for i in range(6))
    f.expect(r.stdout == want, f"stdout {r.stdout!r}, want {want!r}")
    slots = {t["tid"]: t["slot"] for t in r.dump["threads"]}
    f.expect(sorted(slots.values()) == list(range(6)), f"one thread per slot: {slots}")


# tests/guest/mode64.S: the checks it prints, and the three that depend on the processor mode.
MODE64_CHECKS = ("add. sets CR0 from 64 bits", "addic carries out of bit 63", "addic keeps bit 32", "mulld", "divd",
                 "sld", "srad", "cmpdi sees 64 bits", "cmpwi sees the low word",
                 "load through a sign-extended lis address", "load through an address with upper bits set",
                 "std then ld", "lwz reads the high word first", "KeQueryPerformanceFrequency in one register",
                 "NtCreateEvent through a pointer with upper bits set", "wait on a handle with upper bits set",
                 "ExCreateThread", "thread runs in 64-bit mode")
MODE64_MODE_DEPENDENT = ("add. sets CR0 from 64 bits", "addic carries out of bit 63", "thread runs in 64-bit mode")


def mode64_results(r):
    """{check: 'ok'|'FAIL'} from mode64's lines "mode64: WHAT = GOT (want WANT) ok|FAIL"."""
    out = {}
    for line in r.stdout.splitlines():
        if line.startswith("mode64: ") and " = " in line and line.endswith((" ok", " FAIL")):
            out[line[len("mode64: "):line.index(" = ")]] = line.rsplit(" ", 1)[1]
    return out


def check_mode64(f, r):
    """64-bit mode: every check passes, and DbgPrint read its variadic arguments by the console's
    convention (one register each, then 8-byte slots from r1+0x50)."""
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    expect_exited(f, r, 2, 0)
    results = mode64_results(r)
    f.expect(tuple(results) == MODE64_CHECKS, f"checks printed: {list(results)}")
    f.expect(all(v == "ok" for v in results.values()), f"failed: {[k for k, v in results.items() if v != 'ok']}")
    f.expect("mode64: llx 123456789abcdef then 7\n" in r.stdout, "%llx takes one 64-bit register")
    f.expect("mode64: stack args 1 2 3 4 5 6 7 8 9 a0b0c0d0e0f1011\n" in r.stdout,
             "variadic arguments after r10 come from the caller's 8-byte slots at r1+0x50")


def check_mode64_as32(f, r):
    """The same code packed with --code-mode 32 runs with MSR[SF]=0: exactly the mode-dependent
    checks fail (main returns their count), which shows mode64 ran in the mode it asked for."""
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, len(MODE64_MODE_DEPENDENT))
    results = mode64_results(r)
    f.expect(tuple(results) == MODE64_CHECKS, f"checks printed: {list(results)}")
    failed = tuple(k for k, v in results.items() if v != "ok")
    f.expect(failed == MODE64_MODE_DEPENDENT, f"failed in 32-bit mode: {failed}")
VIDEO_EXPORTS = {
    "VdInitializeEngines", "VdShutdownEngines", "VdSetGraphicsInterruptCallback", "VdInitializeRingBuffer",
    "VdEnableRingBufferRPtrWriteBack", "VdGetSystemCommandBuffer", "VdSetSystemCommandBufferGpuIdentifierAddress",
    "VdGetCurrentDisplayInformation", "VdGetCurrentDisplayGamma", "VdQueryVideoMode", "VdQueryVideoFlags",
    "VdSetDisplayMode", "VdInitializeScalerCommandBuffer", "VdIsHSIOTrainingSucceeded", "VdPersistDisplay",
    "VdRetrainEDRAM", "VdRetrainEDRAMWorker", "VdGetGraphicsAsicID", "VdCallGraphicsNotificationRoutines",
    "VdEnableDisableClockGating", "VdSwap"}
VIDEO_CASE = re.compile(r"video: case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")


def check_video(f, r):
    """The video title's own checks, plus what only the dump and trace show: the "gpu" section
    (what the boot set up, two swaps, the last front buffer) and the hostile cases' faults."""
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in VIDEO_CASE.finditer(r.stdout)]
    f.expect(len(cases) == 7, f"7 faulting cases printed, got {len(cases)}")
    faulted = tuple(tid for _, tid, _, _ in cases)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "video")
    for name, tid, access, address in cases:
        expect_fault_case(f, r, name, tid, access, address, nothing_after=False)
    called = {e["name"] for e in r.kinds("import.call") if e["implemented"]}
    f.expect(VIDEO_EXPORTS <= called, f"video exports never traced as implemented calls: {VIDEO_EXPORTS - called}")
    g = r.dump.get("gpu")
    if not f.expect(g is not None, "the exit dump has a gpu section"):
        return
    f.expect(g["engines_initialized"] and g["engine_initializations"] == 3, f"engines: {g}")
    f.expect(int(g["interrupt_callback"], 16) != 0 and g["interrupt_callback_argument"] == "0x00001234",
             f"interrupt callback: {g['interrupt_callback']} {g['interrupt_callback_argument']}")
    rb = g["ring_buffer"]
    f.expect(int(rb["base"], 16) != 0 and rb["log2_size"] == 9 and rb["size_bytes"] == 4096, f"ring buffer: {rb}")
    f.expect(int(g["rptr_write_back"]["address"], 16) != 0 and g["rptr_write_back"]["block_log2"] == 6,
             f"read-pointer write-back: {g['rptr_write_back']}")
    f.expect(int(g["system_command_buffer"], 16) != 0 and int(g["gpu_identifier_address"], 16) != 0,
             "system command buffer and GPU identifier recorded")
    f.expect(g["display_mode_flags"] == "0x40000000" and g["clock_gating"], f"display mode, clock gating: {g}")
    f.expect(g["gamma"] == {"type": 1, "power_bits": "0x400e38e4"}, f"gamma: {g['gamma']}")
    f.expect(g["swaps"] == 2, f"two swaps (the faulting ones do not count): {g['swaps']}")
    f.expect(g["last_frontbuffer"] == {"address": "0x1f000000", "width": 640, "height": 360, "texture_format": 6,
                                       "tiled": False, "color_space": 0}, f"last front buffer: {g['last_frontbuffer']}")
    f.expect(g["frames_presented"] == 0 and g["frames_unreadable"] == 2,
             f"a fetch constant of pitch 0, at physical 0x1f000000 allocated nowhere: nothing presented ({g})")
    swaps = r.kinds("gpu.swap")
    f.expect([(e["frame"], e["width"], e["presented"]) for e in swaps] == [(1, 1280, False), (2, 640, False)],
             f"gpu.swap events: {swaps}")


def check_gpuwedge(f, r):
    """A wedged title with a vblank callback still ends as a deadlock: the vblanks stop when idle."""
    expect_common(f, r, 3, "deadlock")
    f.expect("gpuwedge: PASS (0 failures), waiting forever\n" in r.stdout, f"stdout {r.stdout!r}")
    g = r.dump.get("gpu") or {}
    f.expect(g.get("vblanks_stopped") == "idle", f"the vblanks stopped as idle: {g.get('vblanks_stopped')}")
    calls = [e for e in r.kinds("kernel.call") if e["reason"] == "graphics-interrupt"]
    # Two idle vblanks after the last wake: the one that still calls the callback, then the one that stops.
    f.expect(g.get("vblanks") == len(calls) + 1, f"{g.get('vblanks')} vblanks, {len(calls)} callbacks")
    main = r.thread(1)
    f.expect(main is not None and main["state"] == "Blocked", "main is Blocked on its event")


DRAW_CASE = re.compile(r"draw: case (.+): tid (\d+) (faults|returns)\n")


def check_draw(f, r):
    """The drawing title (check_frames.py checks its pixels): its own checks, then what the trace and
    dump show — a frame and its packets per swap, one graphics-interrupt call per vblank at 60 Hz,
    the hostile cases' outcomes, the faulting callback that stops the vblanks."""
    cases = [(m.group(1), int(m.group(2)), m.group(3)) for m in DRAW_CASE.finditer(r.stdout)]
    f.expect(len(cases) == 5, f"5 hostile cases printed, got {len(cases)}")
    calls = r.kinds("kernel.call")
    interrupts = [e for e in calls if e["reason"] == "graphics-interrupt"]
    dpc_tid = interrupts[0]["tid"] if interrupts else -1
    faulted = tuple(tid for _, tid, kind in cases if kind == "faults") + (dpc_tid,)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "draw")
    m = re.search(r"draw: (\d+) frames, (\d+) callbacks\n", r.stdout)
    good = [e for e in interrupts if e["routine"] != "0xdead0000"]
    if f.expect(m is not None, "the title printed its frame and callback counts"):
        f.expect(len(good) == int(m.group(2)), f"{len(good)} graphics-interrupt calls traced, the title counted {m.group(2)}")
    f.expect(all(e["slot"] == 2 and e["arg1"] == "0x00000000" for e in interrupts), "the callback runs on slot 2 with source 0")
    # Vblank n falls at cycle_of(n) (n / 60 s, vblank.h); callback k runs on slot 2 at or after vblank k + 1
    # and before vblank k + 2 (slot 2's DPC thread runs at that slot's next pick).
    def cycle_of(n):
        return (n * 1_000_000_000 // 60) * 3_200_000_000 // 1_000_000_000
    late = [(k, e["guest_cycle"]) for k, e in enumerate(interrupts)
            if not cycle_of(k + 1) <= e["guest_cycle"] < cycle_of(k + 2)]
    f.expect(not late, f"callbacks outside their vblank's 1/60 s: {late}")
    swaps = r.kinds("gpu.swap")
    packets = r.kinds("gpu.packets")
    draws = r.kinds("gpu.draws")
    f.expect(len(swaps) == len(packets) == len(draws) == 11, f"11 swaps with packets and draws: {len(swaps)} {len(packets)} {len(draws)}")
    f.expect([e["presented"] for e in swaps] == [True] * 9 + [False, False], f"9 frames presented, then the two hostile swaps")
    f.expect([e["draws"] for e in draws][1:9] == [1] * 8, f"one DRAW_INDX per frame: {[e['draws'] for e in draws]}")
    f.expect(all(p["type3"].get("XE_SWAP") == 1 for p in packets[1:9]), "each frame's packets hold the previous swap's XE_SWAP")
    g = r.dump["gpu"]
    cp = g["command_processor"]
    f.expect(cp["read_pointer"] == cp["write_pointer"] and cp["malformed_count"] == 1
             and cp["malformed"][0]["reason"] == "count overruns the written ring", f"command processor: {cp}")
    f.expect(g["vblanks_stopped"] == "the interrupt callback's thread ended", f"vblanks stopped: {g['vblanks_stopped']}")
    f.expect(g["frames_presented"] == 9 and g["last_unreadable_reason"] == "pitch narrower than the width", f"frames: {g}")
    if f.expect(len(interrupts) >= 1, "graphics-interrupt calls traced"):
        faults = r.kinds("thread.fault", tid=dpc_tid)
        f.expect(len(faults) == 1 and faults[0]["address"] == "0xdead0000" and faults[0]["access"] == "execute",
                 f"the callback at 0xdead0000 faults slot 2's DPC thread: {faults}")


CHECKS = {
    "hello": check_hello,
    "mode64": check_mode64,
    "mode64_as32": check_mode64_as32,
    "badtext": check_badtext,
    "waitorder": check_waitorder,
    "cpubound": check_cpubound,
    "pingpong": check_pingpong,
    "prodcons": check_prodcons,
    "join": check_join,
    "deadlock": check_deadlock,
    "starvation": check_starvation,
    "starvation_noaging": check_starvation_noaging,
    "waitall": check_waitall,
    "timeouts": check_timeouts,
    "mutant": check_mutant,
    "semlimit": check_semlimit,
    "migrate": check_migrate,
    "unimpl": check_unimpl,
    "video": check_video,
    "draw": check_draw,
    "gpuwedge": check_gpuwedge,
    **KERNEL_CHECKS,
    **MEMORY_CHECKS,
    **KTHREADS_CHECKS,
    **TIMER_CHECKS,
    **KSEH_CHECKS,
    **HOSTILE_CHECKS,
    **MODULE_CHECKS,
    **POLICY_CHECKS,
    **WEDGE_CHECKS,
    **LOCK_CHECKS,
    **KRTL_CHECKS,
    **XAM_CHECKS,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--xex", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--check", required=True, choices=sorted(CHECKS))
    ap.add_argument("extra", nargs="*", help="options passed to hexad run (after --)")
    args = ap.parse_args()

    f = Failures()
    os.makedirs(args.out, exist_ok=True)
    r1 = run_hexad(args, os.path.join(args.out, "run1"), args.extra)
    CHECKS[args.check](f, r1)

    r2 = run_hexad(args, os.path.join(args.out, "run2"), args.extra)
    diff = subprocess.run([args.audit, "diff", r1.trace_path, r2.trace_path], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=240)
    f.expect(diff.returncode == 0,
             f"hexad-audit diff of two runs exited {diff.returncode}: {diff.stdout.decode('utf-8', 'replace')[:2000]}")
    f.expect(r1.status == r2.status, f"exit status differs between runs: {r1.status} vs {r2.status}")
    f.expect(r1.dump_bytes == r2.dump_bytes, "exit dumps of two traced runs differ")
    f.expect(r1.stdout == r2.stdout, "stdout.log differs between runs")

    r3 = run_hexad(args, os.path.join(args.out, "notrace"), args.extra + ["--no-trace"])
    f.expect(not os.path.exists(r3.trace_path), "--no-trace wrote a trace")
    f.expect(r3.status == r1.status, f"--no-trace exit status {r3.status}, traced {r1.status}")
    f.expect(r3.dump_bytes == r1.dump_bytes, "exit-thread-state.json differs between the traced and --no-trace runs")
    f.expect(r3.stdout == r1.stdout, "stdout.log differs with --no-trace")

    run = r1.dump["run"]
    print(f"{args.check}: status {r1.status}, stop {run['stop_reason']}, {run['instructions']} instructions, "
          f"{run['rounds']} rounds, {run['trace_events']} events")
    for m in f.items:
        print(f"FAIL {args.check}: {m}")
    return 1 if f.items else 0


if __name__ == "__main__":
    sys.exit(main())
