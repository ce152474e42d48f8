// Load/store unit: integer loads and stores (D, DS and X forms, with update), byte-reversed
// forms, load/store multiple and string, load-reserve/store-conditional, cache-block ops.
//
// Conventions (Power ISA Book I 3.3, 64-bit implementation):
// - The effective address is computed in 64 bits; the access uses its low 32 bits (interp::ea()).
// - Update forms write the EA into RA, as a full 64-bit value in SF=1 and truncated to 32 bits in
//   SF=0 (mode_addr()).
// - Invalid forms fault with InvalidInstruction rather than giving boundedly-undefined results:
//   load with update with RA=0 or RA=RT, store with update with RA=0 (RA=RS is a valid store
//   form: the old RS is stored, then RA is updated). qemu (target/ppc/translate.c) raises the same
//   program interrupt (POWERPC_EXCP_INVAL) for exactly these cases.
// - Every memory read happens before any register write, and multi-element stores check every
//   element before writing any, so a fault leaves the thread and memory unchanged.
#include "cpu/interp/helpers.h"

#include <type_traits>

namespace hexad::cpu::interp {
namespace {

[[noreturn]] void invalid(Instr i) { throw InstructionFault{FaultKind::InvalidInstruction, i.w}; }

// Effective addresses of the three operand forms, before truncation.
uint64_t ea_d(const ThreadContext& c, Instr i) { return ra0(c, i) + uint64_t(i.simm()); }
uint64_t ea_ds(const ThreadContext& c, Instr i) { return ra0(c, i) + uint64_t(i.ds()); }
uint64_t ea_x(const ThreadContext& c, Instr i) { return ra0(c, i) + c.gpr[i.rb()]; }

// Loads and stores are written once over an access policy A (Checked or Direct, helpers.h) and
// return whether the access was made; a Direct attempt that declines has changed nothing.
template <typename T, bool kSigned>
uint64_t extend(T v) {
  if constexpr (kSigned) return uint64_t(int64_t(std::make_signed_t<T>(v)));
  else return uint64_t(v);
}

template <class A, typename T, bool kSigned = false>
bool load(ThreadContext& c, Instr i, uint64_t ea64) {
  T v;
  if (!A::read(c, ea(ea64), v)) return false;
  R(c, i.rt()) = extend<T, kSigned>(v);
  return true;
}

template <class A, typename T, bool kSigned = false>
bool load_update(ThreadContext& c, Instr i, uint64_t ea64) {
  if (i.ra() == 0 || i.ra() == i.rt()) invalid(i);
  T v;
  if (!A::read(c, ea(ea64), v)) return false;
  R(c, i.rt()) = extend<T, kSigned>(v);
  R(c, i.ra()) = mode_addr(c, ea64);
  return true;
}

template <class A, typename T>
bool store(ThreadContext& c, Instr i, uint64_t ea64) {
  return A::write(c, ea(ea64), T(c.gpr[i.rs()]));
}

template <class A, typename T>
bool store_update(ThreadContext& c, Instr i, uint64_t ea64) {
  if (i.ra() == 0) invalid(i);
  if (!A::write(c, ea(ea64), T(c.gpr[i.rs()]))) return false;
  R(c, i.ra()) = mode_addr(c, ea64);
  return true;
}

// EA of an update form: (RA) + displacement; RA=0 is rejected by the *_update helpers.
uint64_t ea_du(const ThreadContext& c, Instr i) { return c.gpr[i.ra()] + uint64_t(i.simm()); }
uint64_t ea_dsu(const ThreadContext& c, Instr i) { return c.gpr[i.ra()] + uint64_t(i.ds()); }
uint64_t ea_xu(const ThreadContext& c, Instr i) { return c.gpr[i.ra()] + c.gpr[i.rb()]; }

// --- D/DS-form loads and stores ---
template <class A> bool lbz(ThreadContext& c, Instr i) { return load<A, uint8_t>(c, i, ea_d(c, i)); }
template <class A> bool lbzu(ThreadContext& c, Instr i) { return load_update<A, uint8_t>(c, i, ea_du(c, i)); }
template <class A> bool lhz(ThreadContext& c, Instr i) { return load<A, uint16_t>(c, i, ea_d(c, i)); }
template <class A> bool lhzu(ThreadContext& c, Instr i) { return load_update<A, uint16_t>(c, i, ea_du(c, i)); }
template <class A> bool lha(ThreadContext& c, Instr i) { return load<A, uint16_t, true>(c, i, ea_d(c, i)); }
template <class A> bool lhau(ThreadContext& c, Instr i) { return load_update<A, uint16_t, true>(c, i, ea_du(c, i)); }
template <class A> bool lwz(ThreadContext& c, Instr i) { return load<A, uint32_t>(c, i, ea_d(c, i)); }
template <class A> bool lwzu(ThreadContext& c, Instr i) { return load_update<A, uint32_t>(c, i, ea_du(c, i)); }
template <class A> bool lwa(ThreadContext& c, Instr i) { return load<A, uint32_t, true>(c, i, ea_ds(c, i)); }
template <class A> bool ld(ThreadContext& c, Instr i) { return load<A, uint64_t>(c, i, ea_ds(c, i)); }
template <class A> bool ldu(ThreadContext& c, Instr i) { return load_update<A, uint64_t>(c, i, ea_dsu(c, i)); }

template <class A> bool stb(ThreadContext& c, Instr i) { return store<A, uint8_t>(c, i, ea_d(c, i)); }
template <class A> bool stbu(ThreadContext& c, Instr i) { return store_update<A, uint8_t>(c, i, ea_du(c, i)); }
template <class A> bool sth(ThreadContext& c, Instr i) { return store<A, uint16_t>(c, i, ea_d(c, i)); }
template <class A> bool sthu(ThreadContext& c, Instr i) { return store_update<A, uint16_t>(c, i, ea_du(c, i)); }
template <class A> bool stw(ThreadContext& c, Instr i) { return store<A, uint32_t>(c, i, ea_d(c, i)); }
template <class A> bool stwu(ThreadContext& c, Instr i) { return store_update<A, uint32_t>(c, i, ea_du(c, i)); }
template <class A> bool std_(ThreadContext& c, Instr i) { return store<A, uint64_t>(c, i, ea_ds(c, i)); }
template <class A> bool stdu(ThreadContext& c, Instr i) { return store_update<A, uint64_t>(c, i, ea_dsu(c, i)); }

// --- X-form (indexed) loads and stores ---
template <class A> bool lbzx(ThreadContext& c, Instr i) { return load<A, uint8_t>(c, i, ea_x(c, i)); }
template <class A> bool lbzux(ThreadContext& c, Instr i) { return load_update<A, uint8_t>(c, i, ea_xu(c, i)); }
template <class A> bool lhzx(ThreadContext& c, Instr i) { return load<A, uint16_t>(c, i, ea_x(c, i)); }
template <class A> bool lhzux(ThreadContext& c, Instr i) { return load_update<A, uint16_t>(c, i, ea_xu(c, i)); }
template <class A> bool lhax(ThreadContext& c, Instr i) { return load<A, uint16_t, true>(c, i, ea_x(c, i)); }
template <class A> bool lhaux(ThreadContext& c, Instr i) { return load_update<A, uint16_t, true>(c, i, ea_xu(c, i)); }
template <class A> bool lwzx(ThreadContext& c, Instr i) { return load<A, uint32_t>(c, i, ea_x(c, i)); }
template <class A> bool lwzux(ThreadContext& c, Instr i) { return load_update<A, uint32_t>(c, i, ea_xu(c, i)); }
template <class A> bool lwax(ThreadContext& c, Instr i) { return load<A, uint32_t, true>(c, i, ea_x(c, i)); }
template <class A> bool lwaux(ThreadContext& c, Instr i) { return load_update<A, uint32_t, true>(c, i, ea_xu(c, i)); }
template <class A> bool ldx(ThreadContext& c, Instr i) { return load<A, uint64_t>(c, i, ea_x(c, i)); }
template <class A> bool ldux(ThreadContext& c, Instr i) { return load_update<A, uint64_t>(c, i, ea_xu(c, i)); }

template <class A> bool stbx(ThreadContext& c, Instr i) { return store<A, uint8_t>(c, i, ea_x(c, i)); }
template <class A> bool stbux(ThreadContext& c, Instr i) { return store_update<A, uint8_t>(c, i, ea_xu(c, i)); }
template <class A> bool sthx(ThreadContext& c, Instr i) { return store<A, uint16_t>(c, i, ea_x(c, i)); }
template <class A> bool sthux(ThreadContext& c, Instr i) { return store_update<A, uint16_t>(c, i, ea_xu(c, i)); }
template <class A> bool stwx(ThreadContext& c, Instr i) { return store<A, uint32_t>(c, i, ea_x(c, i)); }
template <class A> bool stwux(ThreadContext& c, Instr i) { return store_update<A, uint32_t>(c, i, ea_xu(c, i)); }
template <class A> bool stdx(ThreadContext& c, Instr i) { return store<A, uint64_t>(c, i, ea_x(c, i)); }
template <class A> bool stdux(ThreadContext& c, Instr i) { return store_update<A, uint64_t>(c, i, ea_xu(c, i)); }

// --- Byte-reversed: the access is little-endian; loads zero-extend. ---
template <typename T>
void load_reversed(ThreadContext& c, Instr i) {
  R(c, i.rt()) = uint64_t(bswap(mem(c).read<T>(ea(ea_x(c, i)))));
}
template <typename T>
void store_reversed(ThreadContext& c, Instr i) {
  mem(c).write<T>(ea(ea_x(c, i)), bswap(T(c.gpr[i.rs()])));
}
void lhbrx(ThreadContext& c, Instr i) { load_reversed<uint16_t>(c, i); }
void lwbrx(ThreadContext& c, Instr i) { load_reversed<uint32_t>(c, i); }
void ldbrx(ThreadContext& c, Instr i) { load_reversed<uint64_t>(c, i); }
void sthbrx(ThreadContext& c, Instr i) { store_reversed<uint16_t>(c, i); }
void stwbrx(ThreadContext& c, Instr i) { store_reversed<uint32_t>(c, i); }
void stdbrx(ThreadContext& c, Instr i) { store_reversed<uint64_t>(c, i); }

// Throws the fault the first inaccessible element of a multi-element store would raise, so
// the store can then be made with nothing half-written.
void require_writable(const Memory& m, uint32_t addr, uint32_t count, uint32_t elem) {
  for (uint32_t k = 0; k < count; ++k) {
    uint32_t a = addr + k * elem;
    if (!m.accessible(a, elem, kProtWrite)) throw MemoryFault{a, elem, Access::Write};
  }
}

// --- Load/store multiple word: RT..r31, the low word of each register. ---
// lmw with RA in the range of registers to be loaded (RA >= RT, which includes RA=0 when RT=0)
// is an invalid form.
void lmw(ThreadContext& c, Instr i) {
  const uint32_t rt = i.rt();
  if (i.ra() >= rt) invalid(i);
  const uint32_t base = ea(ea_d(c, i));
  uint32_t words[32];
  for (uint32_t r = rt; r < 32; ++r) words[r] = mem(c).read32(base + 4 * (r - rt));
  for (uint32_t r = rt; r < 32; ++r) c.gpr[r] = words[r];
}

void stmw(ThreadContext& c, Instr i) {
  const uint32_t rs = i.rs();
  const uint32_t base = ea(ea_d(c, i));
  require_writable(mem(c), base, 32 - rs, 4);
  for (uint32_t r = rs; r < 32; ++r) mem(c).write32(base + 4 * (r - rs), uint32_t(c.gpr[r]));
}

// --- Load/store string: n bytes, four per register (its low word, left to right), starting
// at RT and wrapping from r31 to r0; the last register's unfilled low bytes are zeroed and the
// high word of every loaded register is zero. ---
// Invalid forms (ISA: "RA [or RB] in the range of registers to be loaded, including the case in
// which RA=0"): the register numbered RA - even when the field is 0 and r0 is not the base - or
// RB (lswx) among those to be loaded faults with InvalidInstruction.
bool in_string_range(uint32_t rt, uint32_t n, uint32_t r) {
  uint32_t regs = (n + 3) / 4;
  return ((r - rt) & 31) < regs;
}

void load_string(ThreadContext& c, Instr i, uint32_t addr, uint32_t n) {
  uint8_t bytes[128];
  for (uint32_t k = 0; k < n; ++k) bytes[k] = mem(c).read8(addr + k);
  uint32_t r = i.rt();
  for (uint32_t k = 0; k < n; k += 4, r = (r + 1) & 31) {
    uint32_t w = 0;
    for (uint32_t j = 0; j < 4; ++j) w = (w << 8) | (k + j < n ? bytes[k + j] : 0u);
    c.gpr[r] = w;
  }
}

void store_string(ThreadContext& c, Instr i, uint32_t addr, uint32_t n) {
  require_writable(mem(c), addr, n, 1);
  uint32_t r = i.rs();
  for (uint32_t k = 0; k < n; ++k) {
    if (k && (k & 3) == 0) r = (r + 1) & 31;
    mem(c).write8(addr + k, uint8_t(c.gpr[r] >> (24 - 8 * (k & 3))));
  }
}

void lswi(ThreadContext& c, Instr i) {
  uint32_t n = i.nb() ? i.nb() : 32;
  if (in_string_range(i.rt(), n, i.ra())) invalid(i);
  load_string(c, i, ea(ra0(c, i)), n);
}

void lswx(ThreadContext& c, Instr i) {
  uint32_t n = c.xer_bytes & 0x7F;
  if (n && (in_string_range(i.rt(), n, i.ra()) || in_string_range(i.rt(), n, i.rb()))) invalid(i);
  load_string(c, i, ea(ea_x(c, i)), n);  // n = 0: no access, no register changes
}

void stswi(ThreadContext& c, Instr i) { store_string(c, i, ea(ra0(c, i)), i.nb() ? i.nb() : 32); }
void stswx(ThreadContext& c, Instr i) { store_string(c, i, ea(ea_x(c, i)), c.xer_bytes & 0x7F); }

// --- Load-reserve / store-conditional. The reservation granule is the 128-byte line. ---
// The store-conditional stores only if this thread holds a reservation on the EA's granule; it
// clears this thread's reservation either way, and a store cancels every other thread's
// reservation on the granule. CR0 = 0b00 || stored || XER[SO].
template <typename T>
void load_reserve(ThreadContext& c, Instr i) {
  uint32_t a = ea(ea_x(c, i));
  T v = mem(c).read<T>(a);
  mem(c).reserve(c.tid, a);
  R(c, i.rt()) = uint64_t(v);
}

template <typename T>
void store_conditional(ThreadContext& c, Instr i) {
  uint32_t a = ea(ea_x(c, i));
  Memory& m = mem(c);
  bool stored = m.reservation_held(c.tid, a);
  if (stored) {
    m.write<T>(a, T(c.gpr[i.rs()]));  // a fault here leaves the reservation and CR0 untouched
    m.cancel_reservations(a);
  }
  m.clear_reservation(c.tid);
  c.cr[0] = uint8_t((stored ? kCrEQ : 0) | c.xer_so);
}

void lwarx(ThreadContext& c, Instr i) { load_reserve<uint32_t>(c, i); }
void ldarx(ThreadContext& c, Instr i) { load_reserve<uint64_t>(c, i); }
void stwcx(ThreadContext& c, Instr i) { store_conditional<uint32_t>(c, i); }
void stdcx(ThreadContext& c, Instr i) { store_conditional<uint64_t>(c, i); }

// --- Cache management ---
// dcbt/dcbtst are hints and never fault. dcbf/dcbst (and icbi) are treated as loads for
// protection (ISA Book II; qemu likewise performs a byte load): they fault on an unreadable
// address and otherwise have no effect, guest memory being coherent here.
void dcbt(ThreadContext& c, Instr i) {}
void dcbtst(ThreadContext& c, Instr i) {}
void dcbf(ThreadContext& c, Instr i) { (void)mem(c).read8(ea(ea_x(c, i))); }
void dcbst(ThreadContext& c, Instr i) { (void)mem(c).read8(ea(ea_x(c, i))); }

// icbi: the runner drops decoded blocks covering the address after this op (ends the block).
void icbi(ThreadContext& c, Instr i) {
  uint32_t a = ea(ea_x(c, i));
  (void)mem(c).read8(a);
  c.icbi_addr = a;
  c.icbi_pending = true;
  return_to_runner(c);
}

// dcbz / dcbz128. The Xenon's cache line is 128 bytes, but its plain dcbz (L=0, 0x7C0007EC)
// zeroes a 32-byte block, as on earlier 32-byte-line PowerPCs; the 128-byte form is dcbz128,
// the same opcode with bit 10 (the RT field's low bit, "L") set: 0x7C2007EC. This is how xenia
// (ppc_emit_memory.cc: RT==1 -> 128 bytes at EA & ~127, else 32 bytes at EA & ~31) and the
// Xbox 360 compiler's separate __dcbz128 intrinsic treat them; qemu has no Xenon/Cell model
// (its dcbz zeroes the CPU's dcache_line_size, and on the 970 only the dcbzl form, L=1, is
// guaranteed to be the full 128-byte line). dcbz is a store: it faults on unwritable memory
// and cancels other threads' reservations on the line.
void dcbz(ThreadContext& c, Instr i) { mem(c).fill(ea(ea_x(c, i)) & ~31u, 0, 32); }
void dcbz128(ThreadContext& c, Instr i) { mem(c).fill(ea(ea_x(c, i)) & ~127u, 0, 128); }

// dcbi is privileged: a problem-state program gets a privileged-instruction interrupt.
void dcbi(ThreadContext& c, Instr i) { invalid(i); }

constexpr OpEntry kOps[] = {
    mem_op<lbz<Checked>, lbz<Direct>>("lbz"),
    mem_op<lbzu<Checked>, lbzu<Direct>>("lbzu"),
    mem_op<lhz<Checked>, lhz<Direct>>("lhz"),
    mem_op<lhzu<Checked>, lhzu<Direct>>("lhzu"),
    mem_op<lha<Checked>, lha<Direct>>("lha"),
    mem_op<lhau<Checked>, lhau<Direct>>("lhau"),
    mem_op<lwz<Checked>, lwz<Direct>>("lwz"),
    mem_op<lwzu<Checked>, lwzu<Direct>>("lwzu"),
    mem_op<ld<Checked>, ld<Direct>>("ld"),
    mem_op<ldu<Checked>, ldu<Direct>>("ldu"),
    mem_op<lwa<Checked>, lwa<Direct>>("lwa"),
    mem_op<stb<Checked>, stb<Direct>>("stb"),
    mem_op<stbu<Checked>, stbu<Direct>>("stbu"),
    mem_op<sth<Checked>, sth<Direct>>("sth"),
    mem_op<sthu<Checked>, sthu<Direct>>("sthu"),
    mem_op<stw<Checked>, stw<Direct>>("stw"),
    mem_op<stwu<Checked>, stwu<Direct>>("stwu"),
    mem_op<std_<Checked>, std_<Direct>>("std"),
    mem_op<stdu<Checked>, stdu<Direct>>("stdu"),
    op<lmw>("lmw"),
    op<stmw>("stmw"),

    mem_op<lbzx<Checked>, lbzx<Direct>>("lbzx"),
    mem_op<lbzux<Checked>, lbzux<Direct>>("lbzux"),
    mem_op<lhzx<Checked>, lhzx<Direct>>("lhzx"),
    mem_op<lhzux<Checked>, lhzux<Direct>>("lhzux"),
    mem_op<lhax<Checked>, lhax<Direct>>("lhax"),
    mem_op<lhaux<Checked>, lhaux<Direct>>("lhaux"),
    mem_op<lwzx<Checked>, lwzx<Direct>>("lwzx"),
    mem_op<lwzux<Checked>, lwzux<Direct>>("lwzux"),
    mem_op<lwax<Checked>, lwax<Direct>>("lwax"),
    mem_op<lwaux<Checked>, lwaux<Direct>>("lwaux"),
    mem_op<ldx<Checked>, ldx<Direct>>("ldx"),
    mem_op<ldux<Checked>, ldux<Direct>>("ldux"),
    mem_op<stbx<Checked>, stbx<Direct>>("stbx"),
    mem_op<stbux<Checked>, stbux<Direct>>("stbux"),
    mem_op<sthx<Checked>, sthx<Direct>>("sthx"),
    mem_op<sthux<Checked>, sthux<Direct>>("sthux"),
    mem_op<stwx<Checked>, stwx<Direct>>("stwx"),
    mem_op<stwux<Checked>, stwux<Direct>>("stwux"),
    mem_op<stdx<Checked>, stdx<Direct>>("stdx"),
    mem_op<stdux<Checked>, stdux<Direct>>("stdux"),

    op<lhbrx>("lhbrx"),
    op<lwbrx>("lwbrx"),
    op<ldbrx>("ldbrx"),
    op<sthbrx>("sthbrx"),
    op<stwbrx>("stwbrx"),
    op<stdbrx>("stdbrx"),

    op<lswi>("lswi"),
    op<lswx>("lswx"),
    op<stswi>("stswi"),
    op<stswx>("stswx"),

    op<lwarx>("lwarx"),
    op<ldarx>("ldarx"),
    op<stwcx>("stwcx."),  // Rc=0 is not an instruction: decodes as invalid
    op<stdcx>("stdcx."),

    op<dcbt>("dcbt"),
    op<dcbtst>("dcbtst"),
    op<dcbf>("dcbf"),
    op<dcbst>("dcbst"),
    op<dcbi>("dcbi"),
    op<icbi>("icbi"),
    op<dcbz128>("dcbz128"),
    op<dcbz>("dcbz"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> loadstore_ops() { return interp::kOps; }
}  // namespace hexad::cpu
