/* vmem: the memory exports with the console's semantics (docs/memory.md).
 *   - NtAllocateVirtualMemory: reserve then commit inside the reservation, sizes rounded to 64 KiB
 *     without a base and to the heap's pages with one, the 4 KiB heap at 0x00010000 (the first
 *     64 KiB stay reserved), MEM_TOP_DOWN from 0x40000000 down, MEM_LARGE_PAGES in the 64 KiB heap
 *     at 0x40000000, fixed bases, committed pages read as zero, re-committing keeps the contents;
 *   - NtProtectVirtualMemory (previous protection, ranges not committed), NtQueryVirtualMemory
 *     (MEMORY_BASIC_INFORMATION of reserved, committed, free, image and stack pages),
 *     NtFreeVirtualMemory (decommit, release at the base only);
 *   - MmAllocatePhysicalMemory(Ex): the three views, top-down, alignment, physical ranges,
 *     MmGetPhysicalAddress, MmFreePhysicalMemory and reuse of the same address;
 *   - MmQueryAddressProtect, MmSetAddressProtect (ignored on the image and for bad protections),
 *     MmQueryAllocationSize, MmIsAddressValid, MmQueryStatistics;
 *   - the pool: a small block has an 8-byte header (mark 170, tag), a large one is page-aligned;
 *   - hostile arguments: the console's statuses; bad pointers and accesses to read-only and
 *     decommitted pages fault the thread that made them (tids 2-4), recorded in the trace.
 * Every address is deterministic: the same calls give the same addresses in every run. */
#define TITLE "vmem"
#include "title_util.h"

static uint32_t image_data = 7;
static volatile uint32_t reached[5];
static volatile uint32_t* fault_target[5];

static NTSTATUS alloc(uint32_t* base, uint32_t* size, DWORD type, DWORD protect) {
  return NtAllocateVirtualMemory((void**)base, size, type, protect, FALSE);
}
static NTSTATUS vfree(uint32_t* base, uint32_t* size, DWORD type) {
  return NtFreeVirtualMemory((void**)base, size, type, FALSE);
}
static NTSTATUS vprotect(uint32_t* base, uint32_t* size, DWORD protect, DWORD* old) {
  return NtProtectVirtualMemory((void**)base, size, protect, old, FALSE);
}
static MEMORY_BASIC_INFORMATION query(uint32_t addr, NTSTATUS* st) {
  MEMORY_BASIC_INFORMATION m = {0, 0, 0, 0, 0, 0, 0};
  *st = NtQueryVirtualMemory((void*)addr, &m, 0);
  return m;
}
static uint32_t word(uint32_t addr) { return *(volatile uint32_t*)addr; }

static uint32_t store_worker(void* ctx) {
  uint32_t i = (uint32_t)ctx;
  *fault_target[i] = 1;
  reached[i] = 1;
  return 0;
}
static uint32_t load_worker(void* ctx) {
  uint32_t i = (uint32_t)ctx;
  reached[i] = *fault_target[i] + 1;
  return 0;
}
static uint32_t bad_pointer_worker(void* ctx) {
  uint32_t i = (uint32_t)ctx, size = 0x1000;
  NtAllocateVirtualMemory((void**)fault_target[i], &size, MEM_COMMIT, PAGE_READWRITE, FALSE);
  reached[i] = 1;
  return 0;
}
static void run_faulting(uint32_t i, HX_THREAD_START start, uint32_t target) {
  HANDLE h;
  LARGE_INTEGER t;
  fault_target[i] = (volatile uint32_t*)target;
  DbgPrint(TITLE ": worker %d faults at %x\n", i, target);
  ExCreateThread(&h, 0, NULL, NULL, start, (void*)i, 0);
  t.QuadPart = HX_RELATIVE_MS(1);
  NtWaitForSingleObjectEx(h, UserMode, FALSE, &t);
  expect("the faulting worker stopped at its fault", reached[i], 0);
}

static void virtual_memory(void) {
  uint32_t b = 0, s = 0x12345, b2, s2, old = 0;
  NTSTATUS st;
  MEMORY_BASIC_INFORMATION m;

  expect("reserve", alloc(&b, &s, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
  expect("reserve: the 4 KiB heap's first address above the guard", b, 0x00010000);
  expect("reserve: size rounded up to 64 KiB", s, 0x20000);
  m = query(b, &st);
  expect("query reserved: status", st, STATUS_SUCCESS);
  expect("query reserved: state", m.State, MEM_RESERVE);
  expect("query reserved: protect", m.Protect, 0);
  expect("query reserved: allocation base", m.AllocationBase, b);
  expect("query reserved: allocation protect", m.AllocationProtect, PAGE_READWRITE);
  expect("query reserved: region size", m.RegionSize, 0x20000);
  expect("query reserved: type", m.Type, MEM_PRIVATE);
  expect("reserved page is not valid", MmIsAddressValid((void*)b), 0);

  b2 = b + 0x1800, s2 = 0x10;
  expect("commit inside the reservation", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
  expect("commit: base rounded down to the page", b2, b + 0x1000);
  expect("commit: size rounded up to the page", s2, 0x1000);
  expect("a newly committed page reads zero", word(b + 0x1ffc), 0);
  *(volatile uint32_t*)(b + 0x1000) = 0xdeadbeef;
  expect("committed page holds a store", word(b + 0x1000), 0xdeadbeef);
  m = query(b, &st);
  expect("query below the commit: reserved run", m.RegionSize, 0x1000);
  m = query(b + 0x1010, &st);
  expect("query committed: base", m.BaseAddress, b + 0x1000);
  expect("query committed: state", m.State, MEM_COMMIT);
  expect("query committed: protect", m.Protect, PAGE_READWRITE);
  expect("query committed: region size", m.RegionSize, 0x1000);
  m = query(b + 0x2000, &st);
  expect("query above the commit: reserved to the end", m.RegionSize, 0x1e000);
  expect("MmIsAddressValid on a committed page", MmIsAddressValid((void*)(b + 0x1000)), 1);
  expect("MmQueryAddressProtect", MmQueryAddressProtect((void*)(b + 0x1000)), PAGE_READWRITE);
  expect("MmQueryAllocationSize inside the reservation", MmQueryAllocationSize((void*)(b + 0x1234)), 0x20000);

  b2 = b + 0x1000, s2 = 4;
  expect("protect read-only", vprotect(&b2, &s2, PAGE_READONLY, &old), STATUS_SUCCESS);
  expect("protect: previous protection", old, PAGE_READWRITE);
  expect("protect: size rounded to the page", s2, 0x1000);
  expect("protect: MmQueryAddressProtect", MmQueryAddressProtect((void*)(b + 0x1000)), PAGE_READONLY);
  expect("a read-only page still reads", word(b + 0x1000), 0xdeadbeef);
  b2 = b + 0x2000, s2 = 0x1000;
  expect("protect a reserved page", vprotect(&b2, &s2, PAGE_READWRITE, &old), STATUS_ACCESS_DENIED);
  b2 = b + 0x1000, s2 = 0x1000;
  expect("protect execute", vprotect(&b2, &s2, PAGE_EXECUTE_READ, &old), STATUS_INVALID_PAGE_PROTECTION);
  expect("protect NULL base pointer", NtProtectVirtualMemory(NULL, &s2, PAGE_READONLY, &old, FALSE),
         STATUS_INVALID_PARAMETER);
  b2 = 0x82000000, s2 = 0x1000;
  expect("protect the image", vprotect(&b2, &s2, PAGE_READWRITE, &old), STATUS_INVALID_PARAMETER);

  b2 = b + 0x1000, s2 = 0x1000;
  expect("re-commit read-write", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
  expect("re-commit keeps the contents", word(b + 0x1000), 0xdeadbeef);
  expect("re-commit sets the protection", MmQueryAddressProtect((void*)(b + 0x1000)), PAGE_READWRITE);

  b2 = b + 0x1000, s2 = 0x1000;
  expect("decommit", vfree(&b2, &s2, MEM_DECOMMIT), STATUS_SUCCESS);
  expect("decommitted page is not valid", MmIsAddressValid((void*)(b + 0x1000)), 0);
  m = query(b + 0x1000, &st);
  expect("query decommitted: reserved again", m.State, MEM_RESERVE);
  expect("query decommitted: one run over the reservation", m.RegionSize, 0x1f000);
  b2 = b + 0x1000, s2 = 0x1000;
  alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE);
  expect("re-committed after decommit reads zero", word(b + 0x1000), 0);

  b2 = b + 0x1000, s2 = 0;
  expect("release not at the base", vfree(&b2, &s2, MEM_RELEASE), STATUS_UNSUCCESSFUL);
  b2 = b, s2 = 0;
  expect("release", vfree(&b2, &s2, MEM_RELEASE), STATUS_SUCCESS);
  expect("release: the whole allocation's size", s2, 0x20000);
  m = query(b + 0x1000, &st);
  expect("query released: free", m.State, MEM_FREE);
  expect("query released: no allocation base", m.AllocationBase, 0);
  expect("MmQueryAllocationSize of freed memory", MmQueryAllocationSize((void*)b), 0);
  b2 = b, s2 = 0;
  expect("release again", vfree(&b2, &s2, MEM_RELEASE), STATUS_UNSUCCESSFUL);

  b2 = 0, s2 = 0x1000;
  expect("reserve+commit after release", alloc(&b2, &s2, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
  expect("the same call gives the same address", b2, 0x00010000);
  b2 = 0, s2 = 0x1000;
  expect("top-down", alloc(&b2, &s2, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN, PAGE_READWRITE), STATUS_SUCCESS);
  expect("top-down: the 4 KiB heap's last 64 KiB", b2, 0x3fff0000);
  b2 = 0, s2 = 0x1000;
  expect("large pages", alloc(&b2, &s2, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READONLY), STATUS_SUCCESS);
  expect("large pages: the 64 KiB heap", b2, 0x40000000);
  expect("large pages: size", s2, 0x10000);
  expect("large pages: read-only", MmQueryAddressProtect((void*)b2), PAGE_READONLY);
  b2 = 0x50001234, s2 = 0x100;
  expect("fixed base", alloc(&b2, &s2, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
  expect("fixed base: rounded to the heap's 64 KiB page", b2, 0x50000000);
  expect("fixed base: size in 64 KiB pages", s2, 0x10000);
  b2 = 0x50008000, s2 = 0x100;
  expect("fixed reserve over a reservation", alloc(&b2, &s2, MEM_RESERVE, PAGE_READWRITE), STATUS_NO_MEMORY);
  b2 = 0x60000000, s2 = 0x1000;
  expect("commit where nothing is reserved", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_NO_MEMORY);
  b2 = 0x50000000, s2 = 0x20000;
  expect("commit past the reservation's end", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_NO_MEMORY);

  /* Hostile arguments. */
  b2 = 0, s2 = 0;
  expect("size 0", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_INVALID_PARAMETER);
  s2 = 0x1000;
  expect("NULL base pointer", NtAllocateVirtualMemory(NULL, &s2, MEM_COMMIT, PAGE_READWRITE, FALSE),
         STATUS_INVALID_PARAMETER);
  expect("no allocation type", alloc(&b2, &s2, 0, PAGE_READWRITE), STATUS_INVALID_PARAMETER);
  expect("MEM_RESET with MEM_COMMIT", alloc(&b2, &s2, MEM_RESET | MEM_COMMIT, PAGE_READWRITE), STATUS_INVALID_PARAMETER);
  expect("protection 0", alloc(&b2, &s2, MEM_COMMIT, 0), STATUS_INVALID_PAGE_PROTECTION);
  expect("two protections", alloc(&b2, &s2, MEM_COMMIT, PAGE_READONLY | PAGE_READWRITE), STATUS_INVALID_PAGE_PROTECTION);
  b2 = 0, s2 = 0xfffff000;
  expect("huge size", alloc(&b2, &s2, MEM_RESERVE, PAGE_READWRITE), STATUS_NO_MEMORY);
  expect("huge size: out values untouched", s2, 0xfffff000);
  b2 = 0x40000000, s2 = 0x40000000;
  expect("fixed base, size past the heap", alloc(&b2, &s2, MEM_RESERVE, PAGE_READWRITE), STATUS_NO_MEMORY);
  b2 = 0x82000000, s2 = 0x1000;
  expect("base in the image", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_INVALID_PARAMETER);
  b2 = 0xa0000000, s2 = 0x1000;
  expect("base in a physical view", alloc(&b2, &s2, MEM_RESERVE, PAGE_READWRITE), STATUS_INVALID_PARAMETER);
  b2 = 0x1000, s2 = 0x1000;
  expect("reserve in the NULL guard", alloc(&b2, &s2, MEM_RESERVE, PAGE_READWRITE), STATUS_NO_MEMORY);
  b2 = 0x1000, s2 = 0x1000;
  expect("commit in the NULL guard", alloc(&b2, &s2, MEM_COMMIT, PAGE_READWRITE), STATUS_NO_MEMORY);
  b2 = 0, s2 = 0x1000;
  expect("free base 0", vfree(&b2, &s2, MEM_RELEASE), STATUS_MEMORY_NOT_ALLOCATED);
  b2 = 0x82000000;
  expect("free the image", vfree(&b2, &s2, MEM_RELEASE), STATUS_INVALID_PARAMETER);
  b2 = 0x20000000;
  expect("free what was never allocated", vfree(&b2, &s2, MEM_RELEASE), STATUS_UNSUCCESSFUL);
  b2 = 0x00000100;
  expect("free the NULL guard", vfree(&b2, &s2, MEM_RELEASE), STATUS_UNSUCCESSFUL);
  b2 = 0x00010000;
  expect("free with a bad free type", vfree(&b2, &s2, MEM_RELEASE | MEM_DECOMMIT), STATUS_INVALID_PARAMETER);
  expect("free NULL size pointer", NtFreeVirtualMemory((void**)&b2, NULL, MEM_RELEASE, FALSE), STATUS_INVALID_PARAMETER);

  m = query(0x82000000, &st);
  expect("query the image: status", st, STATUS_SUCCESS);
  expect("query the image: committed", m.State, MEM_COMMIT);
  expect("query the image: one allocation holds the image's start",
         m.AllocationBase <= 0x82000000 && m.AllocationBase + MmQueryAllocationSize((void*)0x82000000) > 0x82000000, 1);
  m = query((uint32_t)&b, &st);
  expect("query the stack: committed", m.State, MEM_COMMIT);
  expect("query the stack: read-write", m.Protect, PAGE_READWRITE);
  expect("MmQueryAllocationSize of the stack is its allocation",
         MmQueryAllocationSize(&b) != 0 && MmQueryAllocationSize(&b) == m.RegionSize + (m.BaseAddress - m.AllocationBase), 1);
  m = query(0x7ff00000, &st);
  expect("query an address in no region", st, STATUS_INVALID_PARAMETER);
  expect("query region type 3", NtQueryVirtualMemory((void*)0x82000000, &m, 3), STATUS_INVALID_PARAMETER);
  m = query(0x30000000, &st);
  expect("query free memory: status", st, STATUS_SUCCESS);
  expect("query free memory: free up to the next allocation", m.RegionSize, 0x3fff0000 - 0x30000000);
  expect("MmIsAddressValid(NULL)", MmIsAddressValid(NULL), 0);
  expect("MmIsAddressValid of the image", MmIsAddressValid((void*)0x82000000), 1);
  expect("MmQueryAddressProtect of an unmapped page", MmQueryAddressProtect((void*)0x30000000), 0);
}

static void physical_memory(void) {
  uint32_t p, q, r, h;
  p = (uint32_t)MmAllocatePhysicalMemory(0, 0x3000, PAGE_READWRITE);
  expect("physical 4 KiB: top of the 0xE0000000 view", p, 0xffffc000);
  expect("physical 4 KiB: physical address (the view shows physical + 0x1000)", MmGetPhysicalAddress((void*)p),
         0x1fffd000);
  expect("physical 4 KiB: allocation size", MmQueryAllocationSize((void*)(p + 0x2000)), 0x3000);
  expect("physical 4 KiB: zeroed", word(p + 0x2ffc), 0);
  *(volatile uint32_t*)p = 0x5a5a5a5a;
  expect("physical 4 KiB: writable", word(p), 0x5a5a5a5a);
  q = (uint32_t)MmAllocatePhysicalMemoryEx(0, 0x10000, PAGE_READWRITE | MEM_LARGE_PAGES, 0, 0xffffffff, 0);
  expect("physical 64 KiB: the 0xA0000000 view, below the 4 KiB block's physical pages", q, 0xbffe0000);
  expect("physical 64 KiB: physical address", MmGetPhysicalAddress((void*)q), 0x1ffe0000);
  r = (uint32_t)MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READWRITE, 0x01000000, 0x01ffffff, 0x100000);
  expect("physical in a range: view address aligned", r & 0xfffff, 0);
  expect("physical in a range: at the top of the range", r, 0xe1f00000);
  expect("physical in a range: physical address inside it",
         MmGetPhysicalAddress((void*)r) >= 0x01000000 && MmGetPhysicalAddress((void*)r) + 0x1000 <= 0x02000000, 1);
  h = (uint32_t)MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READONLY | MEM_16MB_PAGES, 0, 0xffffffff, 0);
  expect("physical 16 MiB: the 0xC0000000 view", h, 0xde000000);
  expect("physical 16 MiB: a whole 16 MiB page", MmQueryAllocationSize((void*)h), 0x1000000);
  expect("physical 16 MiB: read-only", MmQueryAddressProtect((void*)h), PAGE_READONLY);

  expect("physical, no read or write protection", (uint32_t)MmAllocatePhysicalMemory(0, 0x1000, PAGE_NOACCESS), 0);
  expect("physical, size 0", (uint32_t)MmAllocatePhysicalMemory(0, 0, PAGE_READWRITE), 0);
  expect("physical, more than 512 MiB", (uint32_t)MmAllocatePhysicalMemory(0, 0x40000000, PAGE_READWRITE), 0);
  expect("physical, alignment not a power of two",
         (uint32_t)MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READWRITE, 0, 0xffffffff, 0x3000), 0);
  expect("physical, range smaller than the size",
         (uint32_t)MmAllocatePhysicalMemoryEx(0, 0x2000, PAGE_READWRITE, 0x01000000, 0x01000fff, 0), 0);
  expect("physical, empty range",
         (uint32_t)MmAllocatePhysicalMemoryEx(0, 0x1000, PAGE_READWRITE, 0x02000000, 0x01000000, 0), 0);
  expect("MmGetPhysicalAddress of virtual memory", MmGetPhysicalAddress((void*)0x00010000), 0);

  MmFreePhysicalMemory(0, (void*)p);
  expect("freed physical memory is not valid", MmIsAddressValid((void*)p), 0);
  expect("freed physical memory has no allocation", MmQueryAllocationSize((void*)p), 0);
  expect("the same allocation again gives the same address", (uint32_t)MmAllocatePhysicalMemory(0, 0x3000, PAGE_READWRITE), p);
  expect("and it reads zero again", word(p), 0);
  MmFreePhysicalMemory(0, (void*)0x12345678); /* hostile: counted in the dump's invalid_frees */
  MmFreePhysicalMemory(0, (void*)(q + 0x1000)); /* not an allocation's start: counted too */
  expect("a bad MmFreePhysicalMemory leaves the allocation", MmQueryAllocationSize((void*)q), 0x10000);
}

static void protections_and_statistics(void) {
  uint32_t v = 0, s = 0x2000;
  MM_STATISTICS st;
  alloc(&v, &s, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  MmSetAddressProtect((void*)v, 0x1000, PAGE_READONLY);
  expect("MmSetAddressProtect", MmQueryAddressProtect((void*)v), PAGE_READONLY);
  expect("MmSetAddressProtect leaves the next page", MmQueryAddressProtect((void*)(v + 0x1000)), PAGE_READWRITE);
  MmSetAddressProtect((void*)v, 0x1000, PAGE_READONLY | PAGE_READWRITE);
  expect("MmSetAddressProtect with two protections is ignored", MmQueryAddressProtect((void*)v), PAGE_READONLY);
  MmSetAddressProtect(&image_data, 4, PAGE_READONLY);
  expect("MmSetAddressProtect on the image is ignored", MmQueryAddressProtect(&image_data), PAGE_READWRITE);
  image_data = 8;

  st.Length = 100;
  expect("MmQueryStatistics, wrong length", MmQueryStatistics(&st), STATUS_BUFFER_TOO_SMALL);
  expect("MmQueryStatistics(NULL)", MmQueryStatistics(NULL), STATUS_INVALID_PARAMETER);
  st.Length = sizeof st;
  expect("MM_STATISTICS is 104 bytes", sizeof st, 104);
  expect("MmQueryStatistics", MmQueryStatistics(&st), STATUS_SUCCESS);
  expect("statistics: total physical pages", st.TotalPhysicalPages, 0x20000);
  expect("statistics: highest physical page", st.HighestPhysicalPage, 0x1ffff);
  expect("statistics: physical pages in use (3 + 16 + 1 + 4096 pages)", st.Title.PhysicalPages, 3 + 16 + 1 + 4096);
  expect("statistics: the pages add up",
         st.Title.AvailablePages + st.KernelPages + st.Title.PhysicalPages + st.Title.PoolPages + st.Title.StackPages +
             st.Title.ImagePages + st.Title.VirtualPages,
         st.TotalPhysicalPages);
  expect("statistics: virtual pages include this block", st.Title.VirtualPages >= 2, 1);
}

static void pool(void) {
  uint32_t a = (uint32_t)ExAllocatePoolWithTag(100, 0x54657374), b, c;
  expect("pool: small block after an 8-byte header", a & 63, 8);
  expect("pool: the header's tag", word(a - 4), 0x54657374);
  expect("pool: the header's mark", *(volatile uint8_t*)(a - 6), 170);
  *(volatile uint32_t*)(a + 96) = 1;
  b = (uint32_t)ExAllocatePool(0x2000);
  expect("pool: a large block is page-aligned", b & 0xfff, 0);
  expect("pool: a large block is committed", MmIsAddressValid((void*)(b + 0x1ffc)), 1);
  c = (uint32_t)ExAllocatePoolTypeWithTag(16, 0x54797065, 1);
  expect("pool: typed allocation", c != 0 && c != a, 1);
  ExFreePool((void*)a);
  ExFreePool((void*)b);
  expect("pool: a freed block is gone", MmIsAddressValid((void*)a), 0);
  expect("pool: the same request gets the same block", (uint32_t)ExAllocatePoolWithTag(100, 0x54737432), a);
  expect("pool: huge request", (uint32_t)ExAllocatePool(0xffffffff), 0);
  ExFreePool((void*)0x12345678); /* hostile: counted in the dump's invalid_frees */
  ExFreePool((void*)(c + 16));
  expect("pool: a bad free leaves the block", word(c - 4), 0x54797065);
}

int main(void) {
  uint32_t ro = 0, s = 0x1000, dec = 0;
  virtual_memory();
  physical_memory();
  protections_and_statistics();
  pool();

  alloc(&ro, &s, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY);
  run_faulting(2, store_worker, ro + 0x10);
  s = 0x1000;
  alloc(&dec, &s, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  s = 0x1000;
  vfree(&dec, &s, MEM_DECOMMIT);
  run_faulting(3, load_worker, dec + 0x20);
  run_faulting(4, bad_pointer_worker, 0x00001000);

  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
