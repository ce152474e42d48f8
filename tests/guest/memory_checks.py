"""The memory title (vmem.c): what its trace and exit dump must show besides its own checks."""
import re

from title_common import expect_common, expect_main_exit, expect_selftest_lines


def check_vmem(f, r):
    # Three workers fault on purpose (tids 2-4); main goes on and exits 0.
    expect_common(f, r, 0, "exit", faulted=(2, 3, 4))
    expect_main_exit(f, r, 0)
    expect_selftest_lines(f, r, "vmem")
    printed = {int(m.group(1)): f"0x{m.group(2).lower()}"
               for m in re.finditer(r"vmem: worker (\d) faults at ([0-9a-fA-F]+)", r.stdout)}
    f.expect(sorted(printed) == [2, 3, 4], f"the title printed its fault addresses: {printed}")
    for tid, access in ((2, "write"), (3, "read"), (4, "write")):
        faults = r.kinds("thread.fault", tid=tid)
        if not f.expect(len(faults) == 1, f"thread {tid}: one thread.fault event"):
            continue
        e = faults[0]
        want = printed.get(tid, "0x0")
        f.expect(e["fault"] == "memory" and e["access"] == access and int(e["address"], 16) == int(want, 16),
                 f"thread {tid}: fault {e['fault']} {e['access']} at {e['address']}, want memory {access} at {want}")
    # The bad pointer faulted inside NtAllocateVirtualMemory: no import.call for it.
    f.expect(not r.kinds("import.call", tid=4, name="NtAllocateVirtualMemory"), "the faulting call is not traced")
    calls = r.kinds("import.call", name="NtAllocateVirtualMemory", tid=1)
    f.expect(len(calls) >= 20 and all(len(e["args"]) == 5 for e in calls), "NtAllocateVirtualMemory traced with 5 args")

    mem = r.dump.get("memory")
    if not f.expect(mem is not None, "the dump has a memory section"):
        return
    regions = {x["name"]: x for x in mem["regions"]}
    f.expect(list(regions) == ["v00000000", "v40000000", "kernel_stacks", "pool", "kernel_objects", "v80000000",
                               "v90000000", "vA0000000", "vC0000000", "vE0000000"], f"regions {list(regions)}")
    f.expect(mem["committed_bytes"] == sum(x["committed_bytes"] for x in mem["regions"]), "committed bytes add up")
    # Physical memory left allocated at the end: 3 + 1 4 KiB pages, one 64 KiB page, one 16 MiB page.
    f.expect(mem["physical_bytes_in_use"] == 0x4000 + 0x10000 + 0x1000000,
             f"physical bytes in use {mem['physical_bytes_in_use']:#x}")
    f.expect(regions["vC0000000"]["committed_bytes"] == 0x1000000, "the 16 MiB page is committed")
    f.expect(regions["vE0000000"]["allocations"] == 2, "two allocations in the 4 KiB physical view")
    # MmFreePhysicalMemory twice and ExFreePool twice on addresses never given out.
    f.expect(mem["invalid_frees"] == 4, f"invalid frees {mem['invalid_frees']}")
    allocs = {(a["region"], a["base"]): a for a in mem["allocations"]}
    f.expect(("v00000000", "0x00000000") in allocs and allocs[("v00000000", "0x00000000")]["committed_bytes"] == 0,
             "the NULL guard is reserved, never committed")
    f.expect(allocs.get(("v40000000", "0x50000000"), {}).get("committed_bytes") == 0, "the fixed reservation")
    f.expect(allocs.get(("v40000000", "0x40000000"), {}).get("allocation_protect") == "0x00000002",
             "the large-page allocation is read-only")
    f.expect(mem["allocations_omitted"] == 0, "no allocation omitted")


MEMORY_CHECKS = {
    "vmem": check_vmem,
}
