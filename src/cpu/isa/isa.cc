#include "cpu/isa/isa.h"

#include <algorithm>
#include <bit>

namespace hexad::cpu::isa {

const char* class_name(InstrClass c) {
  switch (c) {
    case kInteger: return "integer";
    case kBranch: return "branch";
    case kLoad: return "load";
    case kStore: return "store";
    case kFp: return "fp";
    case kVmx: return "vmx";
    case kVmx128: return "vmx128";
    case kSystem: return "system";
  }
  return "?";
}

const Decoder& Decoder::instance() {
  static const Decoder d;
  return d;
}

Decoder::Decoder() {
  for (size_t id = 0; id < kEntryCount; ++id) by_primary_[kEntries[id].value >> 26].push_back(EntryId(id));
  for (auto& list : by_primary_)
    std::stable_sort(list.begin(), list.end(), [](EntryId a, EntryId b) {
      return std::popcount(kEntries[a].mask) > std::popcount(kEntries[b].mask);
    });
}

EntryId Decoder::decode(uint32_t word) const {
  for (EntryId id : by_primary_[word >> 26])
    if ((word & kEntries[id].mask) == kEntries[id].value) return id;
  return kInvalidId;
}

}  // namespace hexad::cpu::isa
