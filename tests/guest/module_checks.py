"""Outcomes of the module and file-name titles (modules, fsnames, fileapc): see their C sources."""
import re

from title_common import (expect_common, expect_fault_case, expect_main_exit, expect_selftest_lines,
                          expect_selftest_title)

MODULE_CASE = re.compile(r"modules: case (.+): tid (\d+) faults (read|write) at ([0-9a-f]+)\n")


def check_modules(f, r):
    cases = [(m.group(1), int(m.group(2)), m.group(3), int(m.group(4), 16)) for m in MODULE_CASE.finditer(r.stdout)]
    f.expect(len(cases) == 6, f"6 faulting cases printed, got {len(cases)}")
    expect_common(f, r, 0, "exit", faulted=tuple(tid for _, tid, _, _ in cases))
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "modules")
    for name, tid, access, address in cases:
        expect_fault_case(f, r, name, tid, access, address, nothing_after=False)
    # The plugin's entry ran its own bound imports: its DbgPrint lines and its KeGetCurrentProcessType call.
    plugin_lines = [l for l in r.stdout.splitlines() if l.startswith("plugin:")]
    f.expect(plugin_lines == ["plugin: entry called (call 1)", "plugin: entry called (call 2)"],
             f"the plugin's entry ran twice: {plugin_lines}")
    f.expect("modules: printed through XexGetProcedureAddress 42\n" in r.stdout, "DbgPrint called through its thunk")
    loads = [e for e in r.events if e["kind"] == "io.open" and e["path"].endswith(".xex")]
    f.expect([(e["path"], e["status"]) for e in loads] == [
        ("game:\\plugin.xex", "0x00000000"), ("game:\\missing.xex", "0xc000000f"),
        ("game:\\..\\modules.xex", "0xc0000033"), ("game:\\hello.xex", "0xc0000018"),
        ("game:\\plugdll.xex", "0x00000000")],
        f"XexLoadImage io.open events: {[(e['path'], e['status']) for e in loads]}")
    # plugdll's DllMain: attach when first loaded, detach at load count 0, both on thread 1
    # through kernel.call events right after the XexLoadImage / XexUnloadImage call.
    dll_lines = [l for l in r.stdout.splitlines() if l.startswith("plugdll:")]
    f.expect(dll_lines == ["plugdll: DllMain reason 1", "plugdll: DllMain reason 0"], f"DllMain lines {dll_lines}")
    kcalls = r.kinds("kernel.call")
    f.expect([(e["reason"], e["tid"], e["arg2"], e["arg3"]) for e in kcalls] ==
             [("dll-process-attach", 1, "0x00000001", "0x00000000"), ("dll-process-detach", 1, "0x00000000", "0x00000000")]
             and kcalls[0]["arg1"] == kcalls[1]["arg1"], f"kernel.call events {kcalls}")
    for e in kcalls:
        before = [c for c in r.events if c["kind"] == "import.call" and c["idx"] < e["idx"]]
        want = "XexLoadImage" if e["reason"] == "dll-process-attach" else "XexUnloadImage"
        f.expect(before and before[-1]["name"] == want, f"{e['reason']} follows {want} at once")
    mods = r.dump["run"].get("modules", {})
    loaded = mods.get("loaded", [])
    f.expect(len(loaded) == 1 and loaded[0]["path"] == "game:\\plugin.xex" and loaded[0]["load_count"] == 2
             and loaded[0]["base"] == "0x85fff000", f"dump modules.loaded {loaded}")
    notes = mods.get("title_terminate_notifications", [])
    m = re.search(r"modules: notification routine ([0-9a-f]+) priority 7 left", r.stdout)
    f.expect(m is not None and len(notes) == 1 and int(notes[0]["routine"], 16) == int(m.group(1), 16)
             and notes[0]["priority"] == 7, f"dump title_terminate_notifications {notes}")


def check_fsnames(f, r):
    expect_selftest_title(f, r, "fsnames")
    links = r.dump["run"].get("symbolic_links", [])
    f.expect([l["name"] for l in links] == ["hexad:", "sub:"], f"dump symbolic_links {links}")


def check_fileapc(f, r):
    expect_selftest_title(f, r, "fileapc")
    # The read's completion sets the event when its I/O time ends: the signal.match by NtReadFile
    # comes 100 * 80 ns after the read's import.call (guest_cycle: the event's cycle).
    reads = r.kinds("import.call", name="NtReadFile")
    sets = [e for e in r.events if e["kind"] == "signal.match" and e["by"] == "NtReadFile"]
    f.expect(len(sets) == 2 and reads and sets[0]["guest_cycle"] > reads[0]["guest_cycle"],
             f"two signal.match by NtReadFile, the first after the read began: {sets}")
    apcs = [e for e in r.events if e["kind"] == "apc.deliver"]
    f.expect([e["context"] for e in apcs] == ["0x00001234", "0x00000007", "0x00000077"],
             f"three APCs delivered, by context: {apcs}")


MODULE_CHECKS = {
    "fileapc": check_fileapc,
    "modules": check_modules,
    "fsnames": check_fsnames,
}
