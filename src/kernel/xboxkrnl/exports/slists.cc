// Interlocked singly linked lists: SLIST_HEADER in guest memory with the console's layout.
//
// Layout (xenia-canary src/xenia/xbox.h, X_SLIST_HEADER, 8 bytes): Next (the first entry's
// address, each entry's first word the next one's) at 0x0, Depth (u16) at 0x4, Sequence (u16)
// at 0x6, all big-endian. Semantics are xenia's: a push bumps Depth and Sequence and returns
// the old first entry; a pop lowers Depth, keeps Sequence and returns the entry (0 when empty);
// a flush empties the list (Depth and Sequence 0) and returns the old first entry. Each call is
// atomic by construction (no other guest thread runs during a kernel call). A NULL or unmapped
// header or entry faults the caller before the list changes, as the console's code
// dereferences them; a pop whose first entry is unmapped faults likewise.
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

constexpr uint32_t kHeaderSize = 8, kDepth = 4, kSequence = 6;

struct ListHeader {
  uint32_t next = 0;
  uint16_t depth = 0, sequence = 0;
};

ListHeader load(GuestPtr<void> h) {
  h.probe(kHeaderSize, cpu::Access::Write);
  cpu::Memory& mem = h.mem();
  return {mem.read32(h.addr()), mem.read16(h.addr() + kDepth), mem.read16(h.addr() + kSequence)};
}

void store(GuestPtr<void> h, const ListHeader& v) {
  cpu::Memory& mem = h.mem();
  mem.write32(h.addr(), v.next);
  mem.write16(h.addr() + kDepth, v.depth);
  mem.write16(h.addr() + kSequence, v.sequence);
}

HEXAD_EXPORTS_BEGIN;

// -> the previous first entry.
uint32_t InterlockedPushEntrySList(ExportContext& x, GuestPtr<void> head, GuestPtr<uint32_t> entry) {
  ListHeader h = load(head);
  entry.write(h.next);  // a NULL or unmapped entry faults here, before the header changes
  const uint32_t old_first = h.next;
  h.next = entry.addr();
  ++h.depth;
  ++h.sequence;
  store(head, h);
  return old_first;
}
HEXAD_EXPORT(xboxkrnl, 0x002D, InterlockedPushEntrySList, Implemented);

// -> the entry taken off, or 0 when the list is empty.
uint32_t InterlockedPopEntrySList(ExportContext& x, GuestPtr<void> head) {
  ListHeader h = load(head);
  if (!h.next) return 0;
  const uint32_t first = h.next;
  h.next = x.mem().read32(first);
  --h.depth;
  store(head, h);
  return first;
}
HEXAD_EXPORT(xboxkrnl, 0x002C, InterlockedPopEntrySList, Implemented);

// -> the old first entry (the whole chain, still linked), or 0.
uint32_t InterlockedFlushSList(ExportContext& x, GuestPtr<void> head) {
  const uint32_t first = load(head).next;
  store(head, ListHeader{});
  return first;
}
HEXAD_EXPORT(xboxkrnl, 0x002B, InterlockedFlushSList, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> slist_exports() { return kAreaExports; }

}  // namespace hexad::kernel
