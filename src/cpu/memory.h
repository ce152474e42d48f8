// The guest's 4 GiB address space: one host reservation, pages committed on allocation, a
// per-page protection table checked on every access, big-endian accessors.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "base/endian.h"
#include "cpu/fault.h"

namespace hexad::cpu {

// A device's registers in the guest address space (the GPU's at 0x7FC80000): its pages carry no
// permission, so the accessors' inline check fails and their failure path asks the handler
// instead of faulting. Aligned 32-bit accesses only; any other access to MMIO faults.
class MmioHandler {
 public:
  virtual ~MmioHandler() = default;
  virtual uint32_t mmio_read32(uint32_t addr) = 0;
  virtual void mmio_write32(uint32_t addr, uint32_t value) = 0;
};

enum Prot : uint8_t {
  kProtNone = 0,
  kProtRead = 1,
  kProtWrite = 2,
  kProtExec = 4,
  kProtRW = kProtRead | kProtWrite,
  kProtRX = kProtRead | kProtExec,
  kProtRWX = kProtRead | kProtWrite | kProtExec,
  kPageCommitted = 0x80,  // internal: set on every committed page, whatever its protection
  // Internal: a backend holds code decoded from the page (Memory::mark_code), so a store to it
  // must tell the backends (CodeWriteListener) to drop what they derived from the bytes written.
  kPageHasCode = 0x40,
  // Internal, derived: writable and no code on the page. The one bit the interpreter's inline
  // store check tests (and the JIT's, as the read view's write permission); every other store
  // takes Memory's checked path.
  kPageStoreDirect = 0x10,
};

// Told of every store (guest or host) to bytes of a page marked as holding code, after the
// bytes are written, and of a decommit or a protection change that takes execute away, as a
// write of those pages: a backend drops the blocks that overlap them (see ExecBackend).
class CodeWriteListener {
 public:
  virtual ~CodeWriteListener() = default;
  virtual void code_written(uint32_t addr, uint32_t size) = 0;
};

class Memory {
 public:
  static constexpr uint64_t kSpaceSize = 1ull << 32;
  static constexpr uint32_t kPageShift = 12;
  static constexpr uint32_t kPageSize = 1u << kPageShift;
  static constexpr uint32_t kReservationGranule = 128;  // Xenon cache line

  Memory();
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  // Page-granular; base and size are rounded out to pages. Newly committed pages read as zero.
  // Returns false if any page of the range is already committed.
  bool commit(uint32_t base, uint32_t size, uint8_t prot);
  void protect(uint32_t base, uint32_t size, uint8_t prot);
  void decommit(uint32_t base, uint32_t size);
  bool is_committed(uint32_t addr) const { return prot_->pages[addr >> kPageShift] & kPageCommitted; }
  uint8_t prot(uint32_t addr) const { return prot_->pages[addr >> kPageShift] & kProtRWX; }

  // True when every byte of [addr, addr+size) is accessible with `need`.
  bool accessible(uint32_t addr, uint32_t size, uint8_t need) const {
    // size <= kPageSize first: kPageSize - size would wrap for a larger size (a multi-page probe
    // must check every page). Guest loads pass a constant size, so the test folds away there.
    if (size <= kPageSize && (addr & (kPageSize - 1)) <= kPageSize - size)
      return (prot_->pages[addr >> kPageShift] & need) == need;
    return accessible_slow(addr, size, need);
  }

  uint8_t* host_base() const { return base_; }
  // The read view: the same pages mapped a second time, where the host's protection follows the
  // guest's: a page is readable exactly when the guest may read it, and writable when, besides,
  // a store to it needs only the host store (kPageStoreDirect: writable, no code); else the
  // access faults on the host. A JIT loads and stores through it with no page check and catches
  // the host fault (cpu/jit/fault_sites.h); everything else uses host_base(), where every
  // committed page is accessible.
  uint8_t* read_view_base() const { return read_view_; }
  uint8_t* host(uint32_t addr) const { return base_ + addr; }

  // Off the inline check's failure path: an MMIO register, else a MemoryFault.
  template <typename T>
  T read(uint32_t addr) const {
    if (!accessible(addr, sizeof(T), kProtRead)) return T(mmio_read(addr, sizeof(T)));
    return load_be<T>(base_ + addr);
  }
  template <typename T>
  void write(uint32_t addr, T value) {
    if (!store_direct(addr, sizeof(T))) return write_checked(addr, sizeof(T), uint64_t(value));
    if (prot_->active_reservations) break_reservations(addr, sizeof(T));
    store_be<T>(base_ + addr, value);
  }
  uint8_t read8(uint32_t a) const { return read<uint8_t>(a); }
  uint16_t read16(uint32_t a) const { return read<uint16_t>(a); }
  uint32_t read32(uint32_t a) const { return read<uint32_t>(a); }
  uint64_t read64(uint32_t a) const { return read<uint64_t>(a); }
  void write8(uint32_t a, uint8_t v) { write<uint8_t>(a, v); }
  void write16(uint32_t a, uint16_t v) { write<uint16_t>(a, v); }
  void write32(uint32_t a, uint32_t v) { write<uint32_t>(a, v); }
  void write64(uint32_t a, uint64_t v) { write<uint64_t>(a, v); }

  // Whether a guest access needs nothing beyond the host load or store at host(addr): it stays
  // within one page that allows it and, for a store, no reservation can be affected. When not,
  // read()/write() must be used instead (they fault or do the extra work).
  template <typename T>
  bool direct_readable(uint32_t addr) const {
    return (addr & (kPageSize - 1)) <= kPageSize - sizeof(T) && (prot_->pages[addr >> kPageShift] & kProtRead);
  }
  template <typename T>
  bool direct_writable(uint32_t addr) const {
    return store_direct(addr, sizeof(T)) && !prot_->active_reservations;
  }

  // For a JIT's inline fast path (cpu/jit): the protection table, one byte per page, and the
  // number of active reservations (a store may skip write() only while it is 0), which lies
  // 4 bytes before the table. The JIT calls
  // back into read()/write() whenever its inline check fails.
  const uint8_t* page_prot_table() const { return prot_->pages; }
  const uint32_t* active_reservations_counter() const { return &prot_->active_reservations; }

  // Code watching. A backend marks each page it decodes code from and unmarks it when it holds
  // none from there any more; stores to a marked page reach every listener (after the store).
  // A mark is one bit, not a count: one backend per Memory, as every make_backend() caller has.
  void mark_code(uint32_t addr);
  void unmark_code(uint32_t addr);
  bool has_code(uint32_t addr) const { return prot_->pages[addr >> kPageShift] & kPageHasCode; }
  void add_code_listener(CodeWriteListener& l) { code_listeners_.push_back(&l); }
  void remove_code_listener(CodeWriteListener& l) { std::erase(code_listeners_, &l); }

  // Instruction fetch: needs kProtExec.
  uint32_t fetch32(uint32_t addr) const {
    if (!accessible(addr, 4, kProtExec)) throw MemoryFault{addr, 4, Access::Execute};
    return load_be<uint32_t>(base_ + addr);
  }

  // Bulk copies for loaders and the kernel. `checked` ones honour guest protections; the
  // `_raw` ones only need the pages committed (a loader writes into read-only sections).
  void read_bytes(uint32_t addr, void* out, uint32_t size) const;
  void write_bytes(uint32_t addr, const void* in, uint32_t size);
  void write_bytes_raw(uint32_t addr, const void* in, uint32_t size);
  void fill(uint32_t addr, uint8_t value, uint32_t size);  // checked, breaks reservations

  // Routes aligned 32-bit accesses to [base, base+size) (whole pages, never committed) to
  // `handler`. Few regions: the failure path walks them in order.
  void map_mmio(uint32_t base, uint32_t size, MmioHandler& handler);

  // Load-reserve / store-conditional. A reservation is held per owner (a guest thread id);
  // any store by anyone else to the reserved granule cancels it.
  void reserve(uint32_t owner, uint32_t addr);
  bool reservation_held(uint32_t owner, uint32_t addr) const;
  void clear_reservation(uint32_t owner);
  // A successful store-conditional's store: cancels every reservation on addr's granule,
  // whoever holds it (the writer's own included).
  void cancel_reservations(uint32_t addr);
  // The thread whose stores are being made: its own reservation survives its ordinary stores.
  void set_current_writer(uint32_t owner) { current_writer_ = owner; }

 private:
  bool accessible_slow(uint32_t addr, uint32_t size, uint8_t need) const;
  // A store needing only the host store (and the reservation check): one page, kPageStoreDirect.
  bool store_direct(uint32_t addr, uint32_t size) const {
    return (addr & (kPageSize - 1)) <= kPageSize - size && (prot_->pages[addr >> kPageShift] & kPageStoreDirect);
  }
  // Every other store of write(): across pages, to a page with code, to MMIO, or a fault.
  void write_checked(uint32_t addr, uint32_t size, uint64_t value);
  // Tells the listeners when [addr, addr+size) touches a page with code.
  void notify_if_code(uint32_t addr, uint32_t size);
  std::vector<CodeWriteListener*> code_listeners_;
  // The accessors' failure path: the MMIO handler of addr, or throw MemoryFault.
  uint64_t mmio_read(uint32_t addr, uint32_t size) const;
  void mmio_write(uint32_t addr, uint32_t size, uint64_t value);
  struct MmioRegion {
    uint32_t base, size;
    MmioHandler* handler;
  };
  const MmioRegion* mmio_region(uint32_t addr, uint32_t size) const;
  std::vector<MmioRegion> mmio_;
  void break_reservations(uint32_t addr, uint32_t size);

  void sync_read_view(uint64_t start, uint64_t end);
  void set_code_mark(uint32_t addr, bool code);
  uint8_t* base_ = nullptr;
  uint8_t* read_view_ = nullptr;
  // The protection table, one byte per 4 KiB page (1 MiB), behind the count of active
  // reservations: one allocation, so a JIT reaches both from one register (the count sits
  // just before page 0's byte; see active_reservations_counter()).
  // It comes from mmap, whose pages read zero (kProtNone, no reservation) until written: the
  // host touches only the pages of the table a run uses (zeroing all of it took about 2 ms of every
  // start, each of its 256 pages faulted in).
  struct ProtTable {
    alignas(64) uint32_t active_reservations;
    uint8_t pages[kSpaceSize >> kPageShift];
  };
  struct UnmapProtTable {
    void operator()(ProtTable* t) const;
  };
  std::unique_ptr<ProtTable, UnmapProtTable> prot_;
  struct Reservation {
    uint32_t owner;
    uint32_t granule;
  };
  std::vector<Reservation> reservations_;  // few; ordered by insertion
  uint32_t current_writer_ = 0;
};

// Deterministic first-fit allocator over a guest address range. Kernel heaps build on it.
class GuestHeap {
 public:
  GuestHeap(Memory& mem, uint32_t base, uint32_t size);
  // Returns 0 when the request cannot be met. Pages are committed with `prot` and read as zero.
  uint32_t alloc(uint32_t size, uint32_t align, uint8_t prot);
  bool free(uint32_t addr);  // false if addr is not the start of a live allocation
  uint32_t base() const { return base_; }
  uint32_t size() const { return size_; }
  uint64_t bytes_in_use() const { return in_use_; }
  const std::map<uint32_t, uint32_t>& live() const { return live_; }  // start -> length

 private:
  Memory& mem_;
  uint32_t base_, size_;
  std::map<uint32_t, uint32_t> free_;   // start -> length (page-granular)
  std::map<uint32_t, uint32_t> live_;   // start -> length
  uint64_t in_use_ = 0;
};

}  // namespace hexad::cpu
