#include "kernel/xboxkrnl/exports/shim.h"

namespace hexad::kernel {

std::string GuestCString::read(size_t max) const {
  std::string s;
  if (!addr_) return "(null)";
  for (size_t i = 0; i < max; ++i) {
    if (!mem_->accessible(addr_ + uint32_t(i), 1, cpu::kProtRead)) break;
    char ch = char(mem_->read8(addr_ + uint32_t(i)));
    if (!ch) break;
    s.push_back(ch);
  }
  return s;
}

std::string GuestCString::read_or_fault(size_t max) const {
  std::string s;
  if (!addr_) return "(null)";
  for (size_t i = 0; i < max; ++i) {
    const char ch = char(mem_->read8(addr_ + uint32_t(i)));
    if (!ch) break;
    s.push_back(ch);
  }
  return s;
}

}  // namespace hexad::kernel
