#include "cpu/jit/code_cache.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/hexad_error.h"

namespace hexad::cpu::jit {

CodeCache::CodeCache(size_t size) : size_(size) {
  const int fd = memfd_create("hexad-jit-code", MFD_CLOEXEC);
  if (fd < 0) fail("jit: cannot create the code cache's memory object: {}", std::strerror(errno));
  if (ftruncate(fd, off_t(size)) != 0) {
    const int e = errno;
    close(fd);
    fail("jit: cannot size the code cache to {} bytes: {}", size, std::strerror(e));
  }
  void* x = mmap(nullptr, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
  void* w = x == MAP_FAILED ? MAP_FAILED : mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int e = errno;
  close(fd);  // the mappings keep the object
  if (x == MAP_FAILED || w == MAP_FAILED) {
    if (x != MAP_FAILED) munmap(x, size);
    fail("jit: cannot map {} bytes of code cache (an execute and a write view): {}", size, std::strerror(e));
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
  used_ = (used_ + 15) & ~size_t(15);
  if (used_ > size_) used_ = size_;
}

}  // namespace hexad::cpu::jit
