// Host faults of generated code's memory accesses. Loads (and stores) go through Memory's read
// view, where a page the guest may not read is inaccessible on the host too, so a load needs no
// inline check: when the host faults, the handler installed here moves the faulting thread to
// that access's out-of-line path (the interpreter's handler, which faults the guest exactly or
// asks the MMIO handler), as if an inline check had failed. A fault anywhere else is not ours:
// the previous disposition gets it (by default the process dies, as it would without us).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hexad::cpu::jit {

// Where each access is, and its out-of-line path, as offsets from the code cache's execute view;
// appended in code order (the cache fills front to back), so a lookup is a binary search.
class FaultSites {
 public:
  struct Site {
    uint32_t access;  // the host instruction that touches guest memory
    uint32_t slow;    // where the thread goes instead when it faults
  };
  FaultSites(const uint8_t* exec_base, size_t exec_size) : base_(exec_base), size_(exec_size) {}
  void add(uint32_t access, uint32_t slow) { sites_.push_back({access, slow}); }
  // Forget the sites at or after `offset` (code dropped from there on: a flush).
  void truncate(uint32_t offset);
  // The out-of-line path of the access at host pc `pc`, or nullptr when pc is none of ours.
  // Async-signal-safe: reads only.
  const uint8_t* redirect(uintptr_t pc) const;
  size_t size() const { return sites_.size(); }

 private:
  const uint8_t* base_;
  size_t size_;
  std::vector<Site> sites_;
};

// Installs the process's SIGSEGV handler unless it is the current one. Thread-safe; the runner
// calls it before entering generated code.
void install_fault_handler();
// The sites the calling thread's generated code uses while it runs (nullptr: none): set by the
// runner around entering generated code, read by the handler on this thread.
void set_running_sites(const FaultSites* sites);
const FaultSites* running_sites();

}  // namespace hexad::cpu::jit
