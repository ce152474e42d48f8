"""Checks of the Rtl, system and crypto titles (rtl, crypt, hostile_rtl, bugcheck, firmware):
each self-checking title prints one ok/FAIL line per expectation; these checks add what only
the trace and the exit dump show — the stop reason and run.system_stop of a bug check or a return
to the firmware, which threads faulted and how, and that faulting calls left nothing behind.
Used by check_title.py. Standard library only."""
import re

from title_common import (expect_common, expect_fault_case, expect_main_exit, expect_selftest_lines,
                          expect_selftest_title)


def import_rets(r, name):
    return [e.get("ret") for e in r.kinds("import.call") if e["name"] == name]


def check_rtl(f, r):
    expect_selftest_title(f, r, "rtl")
    f.expect(len(import_rets(r, "DbgBreakPoint")) == 1, "DbgBreakPoint traced once")
    f.expect("RtlRip: rtl an assertion report\n" in r.stdout, "RtlRip's report in the debug output")
    f.expect(import_rets(r, "HalGetCurrentAVPack") == ["0x00000006"], "HalGetCurrentAVPack returns 6")
    f.expect("system_stop" not in r.dump["run"], "no system stop")
    main = next(t for t in r.dump["threads"] if t.get("main"))
    f.expect(main.get("fpu_exceptions") is True, "KeEnableFpuExceptions(0xFFFFFFFF) left the byte set")
    f.expect(main.get("fpu_saved") is True, "KeSaveFloatingPointState saved the main thread's FPRs")
    f.expect(len(import_rets(r, "KeRestoreFloatingPointState")) == 2, "KeRestoreFloatingPointState traced twice")


def check_crypt(f, r):
    expect_selftest_title(f, r, "crypt")
    f.expect(not r.kinds("thread.fault"), "no thread faulted")


CASE = re.compile(r"hostile_rtl: case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")
RAISE = re.compile(r"hostile_rtl: raise: tid (\d+) traps with code ([0-9a-f]+)\n")


def check_hostile_rtl(f, r):
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in CASE.finditer(r.stdout)]
    f.expect(len(cases) == 29, f"29 faulting cases printed, got {len(cases)}")
    raised = RAISE.search(r.stdout)
    f.expect(raised is not None, "the RtlRaiseException case is printed")
    raise_tid = int(raised.group(1)) if raised else -1
    faulted = tuple(tid for _, tid, _, _ in cases) + (raise_tid,)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "hostile_rtl")
    f.expect(faulted == tuple(range(2, 2 + len(cases) + 1)), f"case threads are tids 2.. in order: {faulted}")
    for name, tid, access, address in cases:
        # It faulted inside the kernel call: the call is not traced as returning; nothing after it
        # but the signal of its thread object (a fault ends the thread).
        expect_fault_case(f, r, name, tid, access, address)
    traps = r.kinds("thread.fault", tid=raise_tid)
    if f.expect(len(traps) == 1, "the raising thread has one thread.fault"):
        f.expect(traps[0]["fault"] == "exception" and int(traps[0]["word"], 16) == 0xC0000005,
                 f"RtlRaiseException: an unhandled exception with its code as the word: {traps[0]}")
        t = r.thread(raise_tid)
        f.expect(t and t["fault"]["kind"] == "exception" and t["fault"]["exception"]["code"] == "0xc0000005",
                 "the dump records the unhandled exception")


def check_fault_case_title(f, r, name):
    """A self-checking title with fault_cases.h cases: each printed case is one thread that faulted
    once, inside the call, at the printed address and access, after main's checks all passed."""
    pattern = re.compile(name + r": case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in pattern.finditer(r.stdout)]
    f.expect(len(cases) >= 5, f"at least 5 faulting cases printed, got {len(cases)}")
    faulted = tuple(tid for _, tid, _, _ in cases)
    expect_common(f, r, 0, "exit", faulted=faulted)
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, name)
    for case, tid, access, address in cases:
        expect_fault_case(f, r, case, tid, access, address)


def check_bugcheck(f, r):
    expect_common(f, r, 6, "bugcheck")
    f.expect("FAIL" not in r.stdout, f"nothing ran after the bug check: {r.stdout!r}")
    f.expect("*** STOP: 0x000000DE (0x00000001, 0x00000002, 0x00000003, 0x00000004)\n" in r.stdout,
             "the STOP line in the debug output")
    f.expect(r.dump["run"].get("system_stop") == {
        "kind": "bugcheck", "tid": 2, "code": "0x000000de",
        "params": ["0x00000001", "0x00000002", "0x00000003", "0x00000004"]},
        f"run.system_stop: {r.dump['run'].get('system_stop')}")
    states = {t["tid"]: t["state"] for t in r.dump["threads"]}
    f.expect(states.get(1) == "Blocked" and states.get(2) != "Exited", f"neither thread went on: {states}")
    f.expect(len(import_rets(r, "KeBugCheck")) == 0, "main's KeBugCheck never ran")


def check_bugcheck0(f, r):
    expect_common(f, r, 6, "bugcheck")
    f.expect("FAIL" not in r.stdout, f"nothing ran after the bug check: {r.stdout!r}")
    f.expect(r.dump["run"].get("system_stop") == {
        "kind": "bugcheck", "tid": 1, "code": "0x0000004e", "params": ["0x00000000"] * 4},
        f"run.system_stop: {r.dump['run'].get('system_stop')}")
    f.expect(len(import_rets(r, "KeBugCheck")) == 1, "one KeBugCheck import.call")


def check_firmware(f, r):
    expect_common(f, r, 0, "exit")
    f.expect("FAIL" not in r.stdout, f"HalReturnToFirmware did not return: {r.stdout!r}")
    f.expect(r.dump["run"].get("system_stop") == {"kind": "return_to_firmware", "tid": 1, "code": "0x00000001"},
             f"run.system_stop: {r.dump['run'].get('system_stop')}")
    states = {t["tid"]: t["state"] for t in r.dump["threads"]}
    f.expect(states.get(1) != "Exited" and states.get(2) == "Blocked", f"main did not exit, the waiter waits: {states}")


KRTL_CHECKS = {
    "rtl": check_rtl,
    "crypt": check_crypt,
    "kcrypt": lambda f, r: check_fault_case_title(f, r, "kcrypt"),
    "kstrings": lambda f, r: check_fault_case_title(f, r, "kstrings"),
    "hostile_rtl": check_hostile_rtl,
    "bugcheck": check_bugcheck,
    "bugcheck0": check_bugcheck0,
    "firmware": check_firmware,
}
