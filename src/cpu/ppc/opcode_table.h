// An instruction set is data: each entry names a mnemonic, the bits that identify it (mask and
// value over the whole word), its handler and how it affects block formation. Units
// (alu, branch, loadstore, ...) each export a table; the decoder merges them.
#pragma once
#include <cstdint>
#include <span>

#include "cpu/ppc/instr.h"

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

enum OpFlags : uint8_t {
  kOpNone = 0,
  kOpEndsBlock = 1,  // the block stops after this op (branches, sc, mftb, icbi, invalid)
  kOpSetsPc = 2,     // the handler writes ctx.pc with the next address
};

// Derives Instr::aux from the word at decode time (work a handler would otherwise redo on
// every execution).
using PrepFn = uint64_t (*)(Instr);

struct OpEntry {
  const char* mnemonic;
  uint32_t mask;
  uint32_t value;
  Handler fn;
  uint8_t flags;
  StepFn step = nullptr;  // threaded step (handler inlined); nullptr: the generic one
  PrepFn prep = nullptr;  // nullptr: aux is 0
};

// ctx.pc = the op's address while it runs (defined in context.h). A plain store of a decoded
// constant, not an increment, so consecutive ops do not form a dependency chain through memory.
inline void set_pc(ThreadContext& c, uint32_t pc);

// Mask/value builders named after the instruction forms of the ISA manual. The Rc bit (31) is
// left to the handler; the OE bit (21) too for XO-form arithmetic.
constexpr uint32_t op_primary(uint32_t opcd) { return opcd << 26; }
struct Form {
  uint32_t mask, value;
};
constexpr Form form_d(uint32_t opcd) { return {0xFC000000u, opcd << 26}; }
constexpr Form form_ds(uint32_t opcd, uint32_t xo) { return {0xFC000003u, opcd << 26 | xo}; }
constexpr Form form_x(uint32_t opcd, uint32_t xo) { return {0xFC0007FEu, opcd << 26 | xo << 1}; }
constexpr Form form_x_rc1(uint32_t opcd, uint32_t xo) { return {0xFC0007FFu, opcd << 26 | xo << 1 | 1}; }
constexpr Form form_xo(uint32_t opcd, uint32_t xo) { return {0xFC0003FEu, opcd << 26 | xo << 1}; }
constexpr Form form_xs(uint32_t opcd, uint32_t xo) { return {0xFC0007FCu, opcd << 26 | xo << 2}; }  // sradi
constexpr Form form_md(uint32_t opcd, uint32_t xo) { return {0xFC00001Cu, opcd << 26 | xo << 2}; }
constexpr Form form_mds(uint32_t opcd, uint32_t xo) { return {0xFC00001Eu, opcd << 26 | xo << 1}; }
constexpr Form form_a(uint32_t opcd, uint32_t xo) { return {0xFC00003Eu, opcd << 26 | xo << 1}; }
constexpr Form form_vx(uint32_t xo) { return {0xFC0007FFu, 4u << 26 | xo}; }
constexpr Form form_va(uint32_t xo) { return {0xFC00003Fu, 4u << 26 | xo}; }
constexpr Form form_vc(uint32_t xo) { return {0xFC0003FFu, 4u << 26 | xo}; }

constexpr OpEntry op(const char* name, Form f, Handler fn, uint8_t flags = kOpNone) {
  return {name, f.mask, f.value, fn, flags};
}

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

// Preferred form: the handler is a template argument, so its step is generated with it inlined.
template <Handler H>
constexpr OpEntry op(const char* name, Form f, uint8_t flags = kOpNone) {
  return {name, f.mask, f.value, H, flags, &threaded_step<H>};
}
// The same, for a handler that reads Instr::aux as `prep` computes it.
template <Handler H, PrepFn P>
constexpr OpEntry op_prep(const char* name, Form f, uint8_t flags = kOpNone) {
  return {name, f.mask, f.value, H, flags, &threaded_step<H>, P};
}

// A memory op written once over an access policy (see interp/helpers.h): `Checked` is its
// handler, `Direct` the step's first attempt.
template <DirectHandler Checked, DirectHandler Direct>
void as_handler(ThreadContext& c, Instr i) { Checked(c, i); }
template <DirectHandler Checked, DirectHandler Direct>
constexpr OpEntry mem_op(const char* name, Form f, uint8_t flags = kOpNone) {
  return {name, f.mask, f.value, &as_handler<Checked, Direct>, flags, &direct_mem_step<Direct>};
}

// Two ops that run as one step when they end a block in this order (a compare, then the
// branch on its result): the step runs both and chains on, sparing a dispatch between them.
struct FusedPair {
  Handler first, second;
  StepFn step;  // placed on the first op
};
std::span<const FusedPair> fused_pairs();  // branch.cc

// Each unit's table. Defined in cpu/interp/<unit>.cc.
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
