// The JIT's host code buffer, filled front to back, emptied all at once when full (the backend
// then drops every block and translates again; see JitBackend::translate).
//
// W^X: the buffer is shared memory mapped twice, an execute view (read + execute)
// that generated code runs from, and a write view (read + write) that the emitter and the link
// patcher write through; no mapping is both writable and executable. Code is emitted in write-view
// addresses: jumps and RIP-relative references between two places in the buffer are the same
// distance apart in either view, so only addresses used at run time (block entries, the enter
// stub) are converted to the execute view (exec()). Absolute host addresses (handlers, the
// context, blocks' bookkeeping) are outside the buffer and unaffected.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hexad::cpu::jit {

class CodeCache {
 public:
  explicit CodeCache(size_t size);
  ~CodeCache();
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  // Where the next code is written (write view).
  uint8_t* cursor() const { return write_ + used_; }
  size_t left() const { return size_ - used_; }
  size_t used() const { return used_; }
  size_t size() const { return size_; }
  // `n` bytes at cursor() now hold code; the next code starts 16-byte aligned after them, or, with
  // a layout offset set, at that offset past a 64-byte boundary.
  void advance(size_t n);
  // For measurement only (README "The JIT", tools/bench-layout): host code layout moves the
  // JIT's speed by several percent, so A/B comparisons average over offsets 0, 16, 32, 48. -1: off.
  void set_layout_offset(int offset) { layout_offset_ = offset; }
  // Forget all code after the first `keep` bytes (the permanent stubs).
  void truncate(size_t keep) { used_ = keep; }

  // The execute-view address of write-view address `w`, and back.
  const uint8_t* exec(const uint8_t* w) const { return exec_ + (w - write_); }
  const uint8_t* exec_begin() const { return exec_; }
  uint8_t* writable(const uint8_t* x) const { return write_ + (x - exec_); }

 private:
  uint8_t* exec_ = nullptr;
  uint8_t* write_ = nullptr;
  size_t size_;
  size_t used_ = 0;
  int layout_offset_ = -1;
};

}  // namespace hexad::cpu::jit
