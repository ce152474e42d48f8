"""Checks of the XAM titles (xam, xam_launch, xam_input; docs/xam.md): each title prints one
ok/FAIL line per expectation; these checks add what only the trace and the exit dump show — the
stop reasons of the loader, the faulting cases, the listeners and message boxes in the dump, the
guest time of the asynchronous answer. Used by check_title.py. Standard library only."""
import re

from title_common import (expect_common, expect_exited, expect_fault_case, expect_main_exit,
                          expect_selftest_lines)

CASE = re.compile(r"xam: case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")
ANSWER_NS = 100_000_000  # kMessageBoxAnswerNs


def rets(r, name):
    return [e["ret"] for e in r.kinds("import.call", name=name)]


def check_xam(f, r):
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in CASE.finditer(r.stdout)]
    f.expect(len(cases) == 12, f"12 faulting cases printed, got {len(cases)}")
    faulted = tuple(tid for _, tid, _, _ in cases)
    expect_common(f, r, 0, "title-terminate", faulted=faulted)
    expect_selftest_lines(f, r, "xam")
    f.expect("XamLoaderTerminateTitle returned" not in r.stdout, "XamLoaderTerminateTitle did not return")
    f.expect(faulted == tuple(range(3, 3 + len(cases))), f"case threads are tids 3.. in order: {faulted}")
    for name, tid, access, address in cases:
        expect_fault_case(f, r, name, tid, access, address)
    main = r.thread(1)
    f.expect(main and main["state"] in ("Running", "Ready"), f"main stopped in XamLoaderTerminateTitle: {main}")
    expect_exited(f, r, 2, 0)  # the listener waiter
    xam = r.dump.get("xam")
    if not f.expect(xam is not None, "the dump has an xam block"):
        return
    f.expect(xam["loader"]["call"] == "XamLoaderTerminateTitle" and xam["loader"]["target"] is None
             and xam["loader"]["tid"] == 1, f"loader exit: {xam['loader']}")
    f.expect(len(xam["listeners"]) == 203, f"203 listeners, got {len(xam['listeners'])}")
    first = xam["listeners"][0]
    f.expect(first["delivered"] == 10 and first["queued"] == [], f"first listener delivered 10, none queued: {first}")
    f.expect(xam["listeners"][2]["mask"] == "0x0000000000000002" and xam["listeners"][2]["delivered"] == 0,
             f"the live listener: {xam['listeners'][2]}")
    boxes = xam["message_boxes"]
    if f.expect(len(boxes) == 1, f"one asynchronous message box: {boxes}"):
        b = boxes[0]
        f.expect(b["answered"] and b["button"] == 0 and b["tid"] == 1, f"answered with button 0: {b}")
        f.expect(b["answer_ns"] - b["asked_ns"] in range(ANSWER_NS - 1, ANSWER_NS + 1), f"answered 100 ms later: {b}")
    # The answer set the XOVERLAPPED's event at its guest time, signaled by the box.
    sets = [e for e in r.kinds("signal.match", by="XamShowMessageBoxUI") if e["object_type"] == "event.notification"]
    f.expect(len(sets) == 1, f"one event set by the answer: {sets}")
    # The waiter on the second listener was woken by the box's XN_SYS_UI broadcast.
    woke = [e for e in r.kinds("signal.match", by="XamShowMessageBoxUI") if 2 in e["waiter_tids"]]
    f.expect(len(woke) == 1 and woke[0]["object_type"] == "xam.notify_listener", f"the listener waiter's wake: {woke}")
    f.expect(set(rets(r, "XamGetSystemVersion")) == {"0x20449700"}, "XamGetSystemVersion traced")
    f.expect(not r.dump["wedge_map"], f"nobody waits at the end: {r.dump['wedge_map']}")


def check_xam_launch(f, r):
    expect_common(f, r, 0, "title-launch")
    f.expect(r.stdout == "xam_launch: launching sequel.xex\n", f"stdout {r.stdout!r}")
    loader = r.dump.get("xam", {}).get("loader")
    f.expect(loader == {"call": "XamLoaderLaunchTitle", "target": "game:\\sequel.xex", "flags": "0x00000023",
                        "tid": 1, "guest_time_ns": loader and loader["guest_time_ns"]}, f"loader exit: {loader}")
    calls = r.kinds("import.call", name="XamLoaderLaunchTitle")
    f.expect(len(calls) == 1 and calls[0]["ret"] is None and calls[0]["args"][1] == "0x00000023",
             f"one XamLoaderLaunchTitle call, no return value: {calls}")
    t2 = r.thread(2)
    f.expect(t2 and t2["state"] == "Blocked", "the other thread stays blocked")


def check_xam_terminate(f, r):
    expect_common(f, r, 0, "title-terminate")
    f.expect(r.stdout.count(" FAIL") == 0, "no failed expectation")
    want = ["xam_terminate: terminating", "xam_terminate: first routine", "xam_terminate: second routine",
            "xam_terminate: PASS (0 failures)"]
    lines = [l for l in r.stdout.splitlines() if not l.endswith(" ok")]
    f.expect(lines == want, f"the two routines left ran in registration order, then nothing: {lines}")
    calls = r.kinds("kernel.call")
    f.expect([(e["reason"], e["tid"], e["arg1"]) for e in calls] == [("title-terminate", 1, "0x00000000")] * 2,
             f"two kernel.call title-terminate on thread 1: {calls}")
    term = r.kinds("import.call", name="XamLoaderTerminateTitle")
    stops = r.kinds("run.stop")
    f.expect(len(term) == 1 and calls and stops and term[0]["idx"] < calls[0]["idx"] and calls[-1]["idx"] < stops[0]["idx"],
             "XamLoaderTerminateTitle, then the routines, then run.stop")
    loader = r.dump.get("xam", {}).get("loader") or {}
    f.expect(loader.get("call") == "XamLoaderTerminateTitle" and loader.get("tid") == 1, f"loader exit: {loader}")
    f.expect("title_terminate_notifications" not in r.dump["run"].get("modules", {}),
             "the routines called are no longer registered")


def check_xam_input(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "xam_input")
    f.expect(r.dump.get("xam", {}).get("input_events") == 4, "the dump counts the script's 4 events")
    states = r.kinds("import.call", name="XamInputGetState")
    f.expect([e["ret"] for e in states].count("0x00000000") == 6, f"6 connected reads: {[e['ret'] for e in states]}")


XAM_CHECKS = {
    "xam": check_xam,
    "xam_launch": check_xam_launch,
    "xam_terminate": check_xam_terminate,
    "xam_input": check_xam_input,
}
