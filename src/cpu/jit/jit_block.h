// A translated guest block: the decoded ops it was built from (the interpreter's handlers, for
// fallback and for partial runs), its host code, and the two exits the generated code chains
// through. Blocks are formed exactly as the interpreter forms them (same start pcs, same ends),
// so which guest words a block holds, and when they were read, never differs between backends.
#pragma once
#include <cstdint>
#include <vector>

#include "cpu/interp/op_table.h"
#include "cpu/isa/instr.h"
#include "cpu/isa/isa.h"

namespace hexad::cpu::jit {

struct JitBlock;

// One guest instruction as the block holds it: the interpreter's handler and the Instr it is
// called with (aux prepared), at its address.
struct JitOp {
  Handler fn;
  Instr instr;
  uint32_t pc;
  uint8_t flags;  // OpFlags
  isa::EntryId id;  // isa::kInvalidId for an invalid word
  // A memory op whose host access kept faulting (fault_sites.h): translated with inline checks.
  bool checked_access = false;
  // For an op that does not set pc: the interpreter's decoded op (its threaded step, with the
  // handler inlined) followed by a sentinel whose step just returns, so generated code can run
  // exactly the interpreter's step for one op.
  DecodedOp step[2];
};

// A block as a successor: generated code jumps to `entry` (a dynamic exit, through the successor
// cache; standard layout, addressed by offsetof); the runner reads `count` and `self`. The
// block's own start checks its count against what is left of the run.
struct ChainHead {
  const uint8_t* entry;  // host code (the code cache's execute view)
  uint64_t count;        // guest instructions
  JitBlock* self;
};

struct JitBlock {
  ChainHead head;
  uint32_t pc;
  bool sf;  // the MSR[SF] mode it was translated for (results differ by mode)
  // Its host code (execute view): code_size bytes from code_start (its ops and exits), then
  // cold_size bytes from cold_start (out-of-line paths); head.entry is in one or the other
  // (MemberCode).
  const uint8_t* code_start = nullptr;
  const uint8_t* cold_start = nullptr;
  uint32_t code_size = 0, cold_size = 0;
  std::vector<JitOp> ops;
  // Where the block went next: for an exit with a fixed target (a direct branch, the fall
  // through) the target is set at translation and `next` filled in by the runner the first time
  // it goes there; generated code then jumps straight to next->entry. A block whose end is
  // computed (blr, bctr, sc, ...) uses the pair as a two-entry successor cache, as the
  // interpreter does. `next` is cleared on any invalidation.
  // A fixed exit's jump is patched to next->entry (link_site holds its rel32, nullptr when the
  // block has no code; link_site and unlinked are write-view addresses, code_cache.h) and back to `unlinked` when links are cleared; a loop onto the block
  // itself starts linked.
  struct Exit {
    uint64_t pc = 1;  // never a valid (aligned) pc
    const ChainHead* next = nullptr;
    uint8_t* link_site = nullptr;
    const uint8_t* unlinked = nullptr;
    // The link is a conditional jump's rel32 (0F 8x rel32: a jump to a member of the unit, taken
    // when the member fits the budget), patched in its rel32 only (JitBackend::patch_jump).
    bool link_is_jcc = false;
    // A jump to a block of the same unit (pinned registers live) has a second jump, after its
    // unlinked path has written the pinned registers back: linked to the target's outer entry
    // when the target is no longer in this unit (out_site, back to out_unlinked when cleared).
    uint8_t* out_site = nullptr;
    const uint8_t* out_unlinked = nullptr;
  } exits[2];
  bool fixed_exits = false;
  uint8_t victim = 0;
  // The translation unit its code belongs to (JitBackend numbers them; 0 before translation) and
  // its entry from that unit's own blocks (execute view), which a link from a block of the same
  // unit jumps to: the unit's pinned guest registers are live there (BlockEmitter).
  uint64_t unit = 0;
  const uint8_t* inner_entry = nullptr;
  // How many loop units it was translated into (bounded, so loops that keep growing settle).
  uint8_t loop_units = 0;
};

}  // namespace hexad::cpu::jit
