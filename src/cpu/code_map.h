// Which guest pages hold code a backend has decoded, kept in step with Memory's code marks
// (Memory::mark_code): stores to a marked page reach the backend (CodeWriteListener), which drops
// the blocks overlapping the bytes written. Per page it counts the blocks and the span they
// cover, so a store beside the code (data sharing a page with code) costs no block search.
// One per backend; both backends drop blocks through drop_if, so their block sets, and so which
// guest words they hold, stay alike.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "cpu/memory.h"

namespace hexad::cpu {

class CodeMap {
 public:
  explicit CodeMap(Memory& mem) : mem_(mem) {}
  ~CodeMap();
  CodeMap(const CodeMap&) = delete;
  CodeMap& operator=(const CodeMap&) = delete;

  // A block of `bytes` bytes decoded at `pc` (within one page).
  void add(uint32_t pc, uint32_t bytes);
  // Whether a block may overlap [addr, addr + size).
  bool may_overlap(uint32_t addr, uint32_t size) const;

  // Moves the blocks of `blocks` (a map of unique_ptrs keyed by something whose low 32 bits are
  // the block's pc) for which drop(key, block) holds into `graveyard`: code may be running in
  // them, so they live until the backend's runner is back (it then empties the graveyard).
  template <typename Map, typename Pred>
  size_t drop_if(Map& blocks, std::vector<typename Map::mapped_type>& graveyard, Pred drop) {
    size_t dropped = 0;
    for (auto it = blocks.begin(); it != blocks.end();) {
      if (drop(it->first, *it->second)) {
        removed(uint32_t(it->first));
        graveyard.push_back(std::move(it->second));
        it = blocks.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
    return dropped;
  }

 private:
  void removed(uint32_t pc);
  struct Page {
    uint32_t blocks = 0;
    uint64_t lo = 0, hi = 0;  // [lo, hi): covers every block of the page (not shrunk on removal)
  };
  Memory& mem_;
  std::unordered_map<uint32_t, Page> pages_;  // by page number; lookups, and order-free clears
};

}  // namespace hexad::cpu
