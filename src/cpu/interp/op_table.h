// The interpreter's side of the instruction set: each entry binds a handler (and its threaded
// step) to a row of the ISA table (cpu/isa/ppc_table.h), found by mnemonic at compile time, so
// the binding costs nothing at run time and a mnemonic missing from the ISA fails to compile.
// Units (alu, branch, loadstore, ...) each export a table; the decoder (cpu/interp/decoder.h)
// indexes them by ISA entry id.
#pragma once
#include <cstdint>
#include <span>

#include "cpu/isa/instr.h"
#include "cpu/isa/isa.h"

namespace hexad::cpu {

struct ThreadContext;
using Handler = void (*)(ThreadContext&, Instr);

// Threaded dispatch: a decoded block is an array of DecodedOp ended by a sentinel. Each op's
// step runs its handler, advances ctx.pc and jumps straight to the next op's step, so every
// handler has its own dispatch jump (predicted per handler, not through one shared call site).
struct DecodedOp;
using StepFn = void (*)(ThreadContext&, const DecodedOp*);
struct DecodedOp {
  StepFn step;
  Handler fn;
  union {
    const void* block;  // the end sentinel's: its own block (for chaining)
    uint64_t aux;       // an op's: Instr::aux
  };
  uint32_t word;
  uint32_t pc;  // its address (the sentinel's: the address after the block)
  uint8_t flags;
  uint8_t f6, f11, f16;  // Instr's predecoded register fields
};

// The Instr a decoded op's handler is called with.
inline Instr instr_of(const DecodedOp& op) { return Instr(op.word, op.f6, op.f11, op.f16, op.aux); }

// The ISA entry's block-forming properties, as the interpreter's decoded ops carry them.
enum OpFlags : uint8_t {
  kOpNone = 0,
  kOpEndsBlock = isa::kEndsBlock,  // the block stops after this op (branches, sc, mftb, icbi, invalid)
  kOpSetsPc = isa::kSetsPc,        // the handler writes ctx.pc with the next address
};

// Derives Instr::aux from the word at decode time (work a handler would otherwise redo on
// every execution).
using PrepFn = uint64_t (*)(Instr);

struct OpEntry {
  isa::EntryId isa_id;    // the ISA row this implements (kInvalidId: the invalid-word entry)
  uint8_t flags;          // OpFlags, copied from the ISA row
  Handler fn;
  StepFn step = nullptr;  // threaded step (handler inlined); nullptr: the generic one
  PrepFn prep = nullptr;  // nullptr: aux is 0
};

// An entry for the ISA row named `mnemonic`, with its block-forming flags.
consteval OpEntry bind(const char* mnemonic, Handler fn, StepFn step, PrepFn prep = nullptr) {
  const isa::EntryId id = isa::id_of(mnemonic);
  return {id, uint8_t(isa::entry(id).flags & (kOpEndsBlock | kOpSetsPc)), fn, step, prep};
}

// ctx.pc = the op's address while it runs (defined in context.h). A plain store of a decoded
// constant, not an increment, so consecutive ops do not form a dependency chain through memory.
inline void set_pc(ThreadContext& c, uint32_t pc);

// flatten: the handler and what it calls (memory accessors, CR helpers) are inlined into the step.
template <Handler H>
[[gnu::flatten]] void threaded_step(ThreadContext& c, const DecodedOp* op) {
  set_pc(c, op->pc);
  H(c, instr_of(*op));
  const DecodedOp* next = op + 1;
  next->step(c, next);  // a sibling call: compiled as a jump
}

// The step for table entries without a generated one, and the fallback of direct_mem_step: the
// handler through its pointer (defined in interpreter.cc).
void generic_step(ThreadContext& c, const DecodedOp* op);

// A handler whose memory access may instead be attempted directly (Memory::direct_read/write):
// it returns false, having changed nothing, when the access needs the checked path.
using DirectHandler = bool (*)(ThreadContext&, Instr);

// Tries the direct handler and, only when it declines, runs the checked one via generic_step.
// The fallback is a tail call, so the common path needs no callee-saved registers or frame.
template <DirectHandler D>
[[gnu::flatten]] void direct_mem_step(ThreadContext& c, const DecodedOp* op) {
  set_pc(c, op->pc);
  if (!D(c, instr_of(*op))) [[unlikely]]
    return generic_step(c, op);
  const DecodedOp* next = op + 1;
  next->step(c, next);
}

// The handler is a template argument, so its step is generated with it inlined.
template <Handler H>
consteval OpEntry op(const char* name) {
  return bind(name, H, &threaded_step<H>);
}
// The same, for a handler that reads Instr::aux as `prep` computes it.
template <Handler H, PrepFn P>
consteval OpEntry op_prep(const char* name) {
  return bind(name, H, &threaded_step<H>, P);
}

// A memory op written once over an access policy (see interp/helpers.h): `Checked` is its
// handler, `Direct` the step's first attempt.
template <DirectHandler Checked, DirectHandler Direct>
void as_handler(ThreadContext& c, Instr i) { Checked(c, i); }
template <DirectHandler Checked, DirectHandler Direct>
consteval OpEntry mem_op(const char* name) {
  return bind(name, &as_handler<Checked, Direct>, &direct_mem_step<Direct>);
}

// Two ops that run as one step when they end a block in this order (a compare, then the
// branch on its result): the step runs both and chains on, sparing a dispatch between them.
struct FusedPair {
  Handler first, second;
  StepFn step;  // placed on the first op
};
std::span<const FusedPair> fused_pairs();  // branch.cc

// Each unit's table. Defined in cpu/interp/<unit>.cc; together they bind every ISA row once.
std::span<const OpEntry> alu_ops();
std::span<const OpEntry> rotate_shift_ops();
std::span<const OpEntry> compare_cr_ops();
std::span<const OpEntry> branch_ops();
std::span<const OpEntry> loadstore_ops();
std::span<const OpEntry> system_ops();
std::span<const OpEntry> fpu_loadstore_ops();
std::span<const OpEntry> fpu_arith_ops();
std::span<const OpEntry> fpu_convert_ops();
std::span<const OpEntry> fpscr_ops();
std::span<const OpEntry> vmx_int_ops();
std::span<const OpEntry> vmx_float_ops();
std::span<const OpEntry> vmx_permute_ops();
std::span<const OpEntry> vmx_loadstore_ops();
std::span<const OpEntry> vmx128_ops();

}  // namespace hexad::cpu
