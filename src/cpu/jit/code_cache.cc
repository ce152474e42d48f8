#include "cpu/jit/code_cache.h"

#include <sys/mman.h>

#include "base/hexad_error.h"

namespace hexad::cpu::jit {

// One read-write-execute mapping: code is only written between guest blocks (never while the
// block being written runs), and flipping protections per translation would cost more than the
// whole translation.
CodeCache::CodeCache(size_t size) : size_(size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) fail("jit: cannot map {} bytes of executable memory for host code", size);
  base_ = static_cast<uint8_t*>(p);
}

CodeCache::~CodeCache() { munmap(base_, size_); }

void CodeCache::advance(size_t n) {
  used_ += n;
  used_ = (used_ + 15) & ~size_t(15);
  if (used_ > size_) used_ = size_;
}

}  // namespace hexad::cpu::jit
