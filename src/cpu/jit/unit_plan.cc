// What a loop unit keeps in host registers across its blocks: the stack words (choose_slots)
// and the registers (choose_pins) its first emission used, uses weighted by loop nesting
// (nest_weights). Pure functions of the emission's counts and the unit's links.
#include <algorithm>
#include <utility>

#include "cpu/jit/emitter.h"

namespace hexad::cpu::jit {

std::vector<MemSlot> choose_slots(const GprUse& use) {
  if (use.handler_calls || use.direct_calls) return {};
  // Every store by one base register, never written by the unit.
  int base = -1;
  for (const GprUse::Access& a : use.accesses) {
    if (!a.store) continue;
    if (a.base < 0 || (base >= 0 && a.base != base)) return {};
    base = a.base;
  }
  if (base < 0 || use.writes[size_t(base)]) return {};
  // Words stored by plain stw and loaded by plain lwz, no other store touching them; by loads.
  std::vector<std::pair<uint32_t, MemSlot>> found;  // (loads, slot)
  for (const GprUse::Access& a : use.accesses) {
    if (a.store || !a.plain_word || a.base != base) continue;
    bool stored = false, clobbered = false;
    for (const GprUse::Access& s : use.accesses) {
      if (!s.store) continue;
      const bool same = s.plain_word && s.disp == a.disp;
      const bool overlaps = int64_t(s.disp) < int64_t(a.disp) + 4 && int64_t(a.disp) < int64_t(s.disp) + s.size;
      stored |= same;
      clobbered |= overlaps && !same;
    }
    if (!stored || clobbered) continue;
    auto it = std::find_if(found.begin(), found.end(), [&](const auto& f) { return f.second.disp == a.disp; });
    if (it == found.end()) found.push_back({1, MemSlot{uint8_t(base), a.disp}});
    else ++it->first;
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<MemSlot> slots;
  for (size_t j = 0; j < found.size() && j < size_t(kMaxSlots); ++j) slots.push_back(found[j].second);
  // Written back when every access is by the base register and touches a pinned word exactly
  // (a plain lwz/stw of it) or not at all.
  bool write_back = true;
  for (const GprUse::Access& a : use.accesses) {
    write_back &= a.base == base;
    for (const MemSlot& s : slots) {
      const bool exact = a.plain_word && a.disp == s.disp;
      const bool overlaps = int64_t(a.disp) < int64_t(s.disp) + 4 && int64_t(s.disp) < int64_t(a.disp) + a.size;
      write_back &= exact || !overlaps;
    }
  }
  for (MemSlot& s : slots) s.write_back = write_back;
  return slots;
}

PinMap choose_pins(const GprUse& use, int first) {
  // Score: uses (weighted by the caller), doubled for carried values (read before written in a
  // member, and written); ties by register number.
  std::array<uint64_t, kCachedRegs> score{};
  for (uint32_t n = 0; n < kCachedRegs; ++n) {
    const uint64_t uses = uint64_t(use.reads[n]) + use.writes[n];
    const bool carried = use.read_first[n] && use.writes[n];
    score[n] = use.reads[n] ? ((uses << uint32_t(carried)) << 8) | (63 - n) : 0;
  }
  PinMap pins = kNoPins;
  const int most = use.direct_calls ? kCalleeSavedCacheRegs : kMaxPins;
  for (int k = first; k < most; ++k) {
    uint32_t best = 0;
    for (uint32_t n = 1; n < kCachedRegs; ++n)
      if (score[n] > score[best]) best = n;
    if (!score[best]) break;
    pins[k] = int8_t(best);
    score[best] = 0;
  }
  return pins;
}

// Per member of a unit whose exits are set (an emission done), a weight for its register uses:
// 8 to the power of how many loops of the unit it is in, nested, so that an inner loop's
// registers win the pins. Loops by their blocks' links within the unit: the members on a cycle
// are one loop; its header is taken out (the member of least pc: compilers place a loop's
// entry first), and the cycles left are its inner loops.
std::vector<uint32_t> nest_weights(const std::vector<JitBlock*>& unit) {
  const size_t n = unit.size();
  std::vector<std::vector<size_t>> next(n);
  for (size_t i = 0; i < n; ++i)
    for (const auto& x : unit[i]->exits)
      for (size_t j = 0; j < n; ++j)
        if (x.next == &unit[j]->head) next[i].push_back(j);
  std::vector<bool> removed(n, false);
  std::vector<uint32_t> weight(n, 1);
  // Whether j can reach i through members not removed.
  const auto reaches = [&](size_t from, size_t to) {
    std::vector<bool> seen(n, false);
    std::vector<size_t> work{from};
    while (!work.empty()) {
      const size_t a = work.back();
      work.pop_back();
      for (size_t b : next[a]) {
        if (removed[b] || seen[b]) continue;
        if (b == to) return true;
        seen[b] = true;
        work.push_back(b);
      }
    }
    return false;
  };
  for (int depth = 0; depth < 4; ++depth) {
    std::vector<bool> on_cycle(n, false);
    bool any = false;
    for (size_t i = 0; i < n; ++i) any |= on_cycle[i] = !removed[i] && reaches(i, i);
    if (!any) break;
    for (size_t i = 0; i < n; ++i)
      if (on_cycle[i]) weight[i] *= 8;
    // Each cycle's header out: the member of least pc among those on a cycle with it.
    std::vector<bool> header(n, false);
    for (size_t i = 0; i < n; ++i) {
      header[i] = on_cycle[i];
      for (size_t j = 0; j < n && header[i]; ++j)
        header[i] = !(on_cycle[j] && j != i && unit[j]->pc < unit[i]->pc && reaches(i, j) && reaches(j, i));
    }
    for (size_t i = 0; i < n; ++i) removed[i] = removed[i] || header[i];
  }
  return weight;
}

}  // namespace hexad::cpu::jit
