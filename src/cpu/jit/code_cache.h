// The JIT's host code buffer: one mapping, filled front to back, emptied all at once when full
// (the backend then drops every block and translates again; see JitBackend::translate).
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

  uint8_t* cursor() const { return base_ + used_; }
  size_t left() const { return size_ - used_; }
  size_t used() const { return used_; }
  size_t size() const { return size_; }
  // `n` bytes at cursor() now hold code; the next code starts 16-byte aligned after them.
  void advance(size_t n);
  // Forget all code after the first `keep` bytes (the permanent stubs).
  void truncate(size_t keep) { used_ = keep; }
  bool contains(const void* p) const { return p >= base_ && p < base_ + size_; }

 private:
  uint8_t* base_ = nullptr;
  size_t size_;
  size_t used_ = 0;
};

}  // namespace hexad::cpu::jit
