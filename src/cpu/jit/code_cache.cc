#include "cpu/jit/code_cache.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "base/hexad_error.h"

namespace hexad::cpu::jit {

// Shared anonymous memory, mapped a second time by mremap with an old size of 0 (Linux: a new
// mapping of the same pages). No file backs it, so no file-size limit (RLIMIT_FSIZE, which a
// run's trace limit may set) applies.
CodeCache::CodeCache(size_t size) : size_(size) {
  void* w = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (w == MAP_FAILED) fail("jit: cannot map {} bytes of code cache: {}", size, std::strerror(errno));
  void* x = mremap(w, 0, size, MREMAP_MAYMOVE);
  if (x == MAP_FAILED || mprotect(x, size, PROT_READ | PROT_EXEC) != 0) {
    const int e = errno;
    if (x != MAP_FAILED) munmap(x, size);
    munmap(w, size);
    fail("jit: cannot map the code cache's execute view: {}", std::strerror(e));
  }
  exec_ = static_cast<uint8_t*>(x);
  write_ = static_cast<uint8_t*>(w);
}

CodeCache::~CodeCache() {
  munmap(exec_, size_);
  munmap(write_, size_);
}

void CodeCache::advance(size_t n) {
  used_ += n;
  if (layout_offset_ >= 0) used_ = ((used_ + 63) & ~size_t(63)) + size_t(layout_offset_);
  else used_ = (used_ + 15) & ~size_t(15);
  if (used_ > size_) used_ = size_;
}

}  // namespace hexad::cpu::jit
