#include "cpu/code_map.h"

#include <algorithm>

namespace hexad::cpu {

CodeMap::~CodeMap() {
  for (const auto& kv : pages_) mem_.unmark_code(kv.first << Memory::kPageShift);
}

void CodeMap::add(uint32_t pc, uint32_t bytes) {
  Page& p = pages_[pc >> Memory::kPageShift];
  const uint64_t end = uint64_t(pc) + bytes;
  if (p.blocks++ == 0) {
    p.lo = pc, p.hi = end;
    mem_.mark_code(pc);
  } else {
    p.lo = std::min<uint64_t>(p.lo, pc), p.hi = std::max(p.hi, end);
  }
}

void CodeMap::removed(uint32_t pc) {
  auto it = pages_.find(pc >> Memory::kPageShift);
  if (it == pages_.end() || --it->second.blocks) return;
  mem_.unmark_code(pc);
  pages_.erase(it);
}

bool CodeMap::may_overlap(uint32_t addr, uint32_t size) const {
  if (size == 0) return false;
  const uint64_t end = uint64_t(addr) + size;
  const auto overlaps = [&](const Page& p) { return p.blocks && p.lo < end && p.hi > addr; };
  const uint64_t first = addr >> Memory::kPageShift, last = (end - 1) >> Memory::kPageShift;
  if (last - first >= pages_.size()) {
    for (const auto& kv : pages_)
      if (overlaps(kv.second)) return true;
    return false;
  }
  for (uint64_t n = first; n <= last; ++n) {
    auto it = pages_.find(uint32_t(n));
    if (it != pages_.end() && overlaps(it->second)) return true;
  }
  return false;
}

}  // namespace hexad::cpu
