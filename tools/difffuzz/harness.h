// The harness ELF's assembly text: an ELFv1 entry descriptor, the state load/save macros, and
// per block: point r1 at its record, load the input state, run the block between the labels
// blk_<index>_start / blk_<index>_end, save the state, write(1, output, 1600). Then exit(0).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "grammar.h"

namespace difffuzz {

struct HarnessBlock {
  uint64_t index;  // global block index (names the labels)
  Block block;
};

// `data_file` is the path .incbin reads the records from (one per block, in order).
std::string emit_harness(const std::vector<HarnessBlock>& blocks, unsigned classes, const std::string& data_file);

// The blocks alone, for difffuzz-exec (backend against backend, in process): per block the labels
// blk_<index>_start / blk_<index>_end around its units and an `sc` after the end label, so a run
// that passes the end stops there. No state load/save: difffuzz-exec sets the state itself.
std::string emit_bare(const std::vector<HarnessBlock>& blocks);

}  // namespace difffuzz
