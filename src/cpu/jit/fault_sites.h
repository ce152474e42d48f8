// Host faults of generated code's memory accesses. Loads (and stores) go through Memory's read
// view, where a page the guest may not read is inaccessible on the host too, so a load needs no
// inline check: when the host faults, the handler installed here moves the faulting thread to
// that access's out-of-line path (the interpreter's handler, which faults the guest exactly or
// asks the MMIO handler), as if an inline check had failed. A fault anywhere else is not ours:
// the previous disposition gets it (by default the process dies, as it would without us).
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hexad::cpu::jit {

// Where each access is, and its out-of-line path, as offsets from the code cache's execute view;
// appended in code order (the cache fills front to back), so a lookup is a binary search.
//
// A host fault costs microseconds where a failed inline check costs nanoseconds, so an access
// that keeps faulting (a guest polling a device register, storing to a page that also holds code)
// is reported hot after kHotFaults faults: the backend then translates its op again with the
// inline checks (JitOp::checked_access).
class FaultSites {
 public:
  static constexpr uint32_t kHotFaults = 32;
  struct Site {
    uint32_t access;  // the host instruction that touches guest memory
    uint32_t slow;    // where the thread goes instead when it faults
    uint32_t guest_pc;
    bool sf;
    uint32_t faults = 0;
  };
  FaultSites(const uint8_t* exec_base, size_t exec_size) : base_(exec_base), size_(exec_size) {}
  void add(uint32_t access, uint32_t slow, uint32_t guest_pc, bool sf) { sites_.push_back({access, slow, guest_pc, sf}); }
  // Forget the sites at or after `offset` (code dropped from there on: a flush).
  void truncate(uint32_t offset);
  // The out-of-line path of the access at host pc `pc`, counting the fault, or nullptr when pc is
  // none of ours. Async-signal-safe: no allocation, no lock.
  const uint8_t* redirect(uintptr_t pc);
  // Whether a site reached kHotFaults since take_hot(); and those sites (guest pc, mode), each
  // reported once.
  bool any_hot() const { return hot_; }
  std::vector<std::pair<uint32_t, bool>> take_hot();
  uint64_t faults() const { return faults_; }

 private:
  const uint8_t* base_;
  size_t size_;
  std::vector<Site> sites_;
  volatile bool hot_ = false;
  uint64_t faults_ = 0;
};

// Installs the process's SIGSEGV handler unless it is the current one. Thread-safe; every
// JitBackend calls it when made. A component that installs its own handler later must chain to
// the previous one (test frameworks and fuzzers do), else generated code's host faults kill the
// process.
void install_fault_handler();
// The sites the calling thread's generated code uses while it runs (nullptr: none): set by the
// runner around entering generated code, read by the handler on this thread.
void set_running_sites(FaultSites* sites);
FaultSites* running_sites();

}  // namespace hexad::cpu::jit
