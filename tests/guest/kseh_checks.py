"""Checks of the raised-exception, alert and XAM enumeration titles (kraise, kalerts, xam_enum):
each title prints one ok/FAIL line per expectation; these checks add what only the trace and the
exit dump show — thread names in the trace, the dump and the wedge map, unhandled exceptions as
faults, alerted waits and interrupted waits, the enumerators in the dump's xam block.
Used by check_title.py. Standard library only."""
import re

from title_common import expect_common, expect_main_exit, expect_nothing_after_fault, expect_selftest_lines

FAULT = re.compile(r"kraise: fault (.+): tid (\d+)\n")


def check_kraise(f, r):
    faults = [(m.group(1), int(m.group(2))) for m in FAULT.finditer(r.stdout)]
    f.expect([tid for _, tid in faults] == [3, 4, 5, 6], f"faulting threads 3..6: {faults}")
    expect_common(f, r, 0, "exit", faulted=(3, 4, 5, 6))
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "kraise")
    names = [(e["tid"], e["thread"], e["name"]) for e in r.kinds("thread.name")]
    f.expect(names == [(1, 1, "kraise-main"), (1, 2, "sleeper")], f"thread.name events: {names}")
    f.expect(r.thread(1).get("name") == "kraise-main" and r.thread(2).get("name") == "sleeper",
             "the dump names main and the sleeper")
    f.expect(all("name" not in r.thread(t) for t in (3, 4, 5, 6, 7)), "no other thread is named")
    sleeper = [w for w in r.dump["wedge_map"] if w["type"] == "thread" and w.get("thread_name") == "sleeper"]
    f.expect(len(sleeper) == 1 and sleeper[0]["waiters_tid"] == [7],
             f"the wedge map shows the sleeper's name, its joiner waiting: {r.dump['wedge_map']}")
    want = {3: ("exception", 0xE06D7363, 0x82001234, 1, 3),
            4: ("exception", 0xC000000D, None, 0, 0),
            5: ("memory", None, 0, None, None),
            6: ("memory", None, 0x1000, None, None)}
    for tid, (kind, code, address, flags, params) in want.items():
        events = r.kinds("thread.fault", tid=tid)
        if not f.expect(len(events) == 1, f"thread {tid}: one thread.fault"):
            continue
        e = events[0]
        f.expect(e["fault"] == kind, f"thread {tid}: fault {e['fault']}, want {kind}")
        if code is not None:
            f.expect(int(e["word"], 16) == code, f"thread {tid}: code {e['word']}, want {code:#x}")
        if address is not None:
            f.expect(int(e["address"], 16) == address, f"thread {tid}: address {e['address']}, want {address:#x}")
        expect_nothing_after_fault(f, r, tid, e["idx"], f"thread {tid}")
        dumped = r.thread(tid)["fault"]
        f.expect(dumped["kind"] == kind, f"thread {tid}: the dump's fault kind {dumped['kind']}")
        if kind == "exception":
            ex = dumped["exception"]
            f.expect(int(ex["code"], 16) == code and int(ex["flags"], 16) == flags and ex["parameters"] == params,
                     f"thread {tid}: the dump's exception record {ex}")
    f.expect(int(r.thread(3)["fault"]["exception"]["address"], 16) == 0x82001234, "the throw's ExceptionAddress")


def check_kalerts(f, r):
    expect_common(f, r, 0, "exit")
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "kalerts")
    alerted_ends = [e for e in r.kinds("wait.end") if e["status"] == "0x00000101"]
    f.expect({e["tid"] for e in alerted_ends} == {1, 2, 3}, f"STATUS_ALERTED waits of threads 1, 2, 3: {alerted_ends}")
    alert_wakes = [e for e in r.kinds("wake.requested") if e["reason"] == "alert"]
    f.expect([e["target_tid"] for e in alert_wakes] == [2, 2],
             f"two blocked alertable waits of the waiter woken by an alert: {alert_wakes}")
    kapc = [e for e in r.kinds("wake.requested") if e["reason"] == "kernel_apc"]
    f.expect([e["target_tid"] for e in kapc] == [2, 2, 4], f"kernel APCs interrupted waits of 2, 2, 4: {kapc}")
    interrupted = [e for e in r.kinds("wait.end") if e["status"] == "0x00000100"]
    f.expect([e["tid"] for e in interrupted] == [2, 2, 4], f"STATUS_KERNEL_APC wait ends: {interrupted}")
    # The waiter's non-alertable wait: begun once, re-issued after each kernel APC, ended by the gate.
    gate_waits = [e for e in r.kinds("import.call", tid=2, name="NtWaitForSingleObjectEx")]
    f.expect(len(gate_waits) == 5, f"the waiter's wait calls: 2 alertable, 1 + 2 re-issued: {len(gate_waits)}")
    delivered = [e for e in r.kinds("apc.deliver") if e["tid"] == 2]
    f.expect([e["stage"] for e in delivered] == ["kernel", "kernel", "normal"],
             f"the waiter's kernel APCs: {[(e['stage'], e['routine']) for e in delivered]}")
    # The timed wait: re-issued with what remained of its 5 ms.
    begins = [e for e in r.kinds("wait.begin", tid=4)]
    if f.expect(len(begins) == 2, f"the timed thread's wait begun twice: {begins}"):
        f.expect(begins[0]["timeout_ns"] == 5_000_000 and 0 < begins[1]["timeout_ns"] < 5_000_000,
                 f"the re-issued wait keeps the deadline: {[b['timeout_ns'] for b in begins]}")
        ends = r.kinds("wait.end", tid=4)
        f.expect(ends and ends[-1]["status"] == "0x00000102", "the timed wait ends by its timeout")
    f.expect(r.thread(1).get("alerted") is None, "main took its alerts")
    f.expect(r.thread(2).get("alerted") == ["kernel", "user"], f"the waiter's flags: {r.thread(2).get('alerted')}")
    f.expect(r.thread(4).get("alerted") == ["user"], f"the timed thread's flag: {r.thread(4).get('alerted')}")
    f.expect(not r.kinds("thread.fault"), "no thread faulted")


CASE = re.compile(r"xam_enum: case (.+): tid (\d+) faults\n")


def check_xam_enum(f, r):
    cases = [(m.group(1), int(m.group(2))) for m in CASE.finditer(r.stdout)]
    f.expect([tid for _, tid in cases] == [2, 3, 4], f"faulting cases on tids 2..4: {cases}")
    expect_common(f, r, 0, "exit", faulted=(2, 3, 4))
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "xam_enum")
    for (name, tid), want in zip(cases, [("write", 0x1000), ("write", 0x1000), ("write", 0)]):
        e = r.kinds("thread.fault", tid=tid)
        f.expect(len(e) == 1 and e[0]["fault"] == "memory" and e[0]["access"] == want[0] and
                 int(e[0]["address"], 16) == want[1], f"{name}: {e}")
    enumerators = r.dump.get("xam", {}).get("enumerators", [])
    got = [(e["created_by"], e["item_size"], e["items_per_call"], e["items"], e["handed_out"]) for e in enumerators]
    f.expect(got == [("XamContentCreateDeviceEnumerator", 80, 1, 2, 2),
                     ("XamContentCreateDeviceEnumerator", 80, 2, 2, 2),
                     ("XamContentCreateEnumerator", 308, 4, 0, 0),
                     ("XamContentCreateDeviceEnumerator", 80, 1, 2, 1)], f"the dump's enumerators: {got}")


KSEH_CHECKS = {
    "kraise": check_kraise,
    "kalerts": check_kalerts,
    "xam_enum": check_xam_enum,
}
