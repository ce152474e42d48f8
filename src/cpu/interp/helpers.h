// Semantics shared by the interpreter's instruction units: mode-dependent results (MSR[SF]),
// CR0 and XER updates, effective addresses.
#pragma once
#include <cstdint>

#include "cpu/context.h"
#include "cpu/memory.h"
#include "cpu/isa/instr.h"
#include "cpu/interp/op_table.h"

namespace hexad::cpu::interp {

inline uint64_t& R(ThreadContext& c, uint32_t n) { return c.gpr[n]; }
// (RA|0): register RA, or 0 when the field is r0.
inline uint64_t ra0(const ThreadContext& c, Instr i) { return i.ra() ? c.gpr[i.ra()] : 0; }

// Effective addresses are 64-bit in SF=1 and 32-bit in SF=0; the guest space is 4 GiB, so the
// access uses the low 32 bits in both modes (as titles keep 32-bit pointers in 64-bit mode).
inline uint32_t ea(uint64_t a) { return uint32_t(a); }
// Next-instruction and branch-target addresses are truncated to 32 bits in SF=0.
inline uint64_t mode_addr(const ThreadContext& c, uint64_t a) { return c.sf() ? a : (a & 0xFFFFFFFFull); }

// CR0 from a result: LT/GT/EQ of the (mode-sized) signed value, plus XER[SO].
inline void set_cr0(ThreadContext& c, uint64_t result) {
  int64_t v = c.sf() ? int64_t(result) : int64_t(int32_t(uint32_t(result)));
  c.cr[0] = uint8_t((v < 0 ? kCrLT : v > 0 ? kCrGT : kCrEQ) | c.xer_so);
}
inline void set_cr_field_signed(ThreadContext& c, uint32_t field, int64_t a, int64_t b) {
  c.cr[field] = uint8_t((a < b ? kCrLT : a > b ? kCrGT : kCrEQ) | c.xer_so);
}
inline void set_cr_field_unsigned(ThreadContext& c, uint32_t field, uint64_t a, uint64_t b) {
  c.cr[field] = uint8_t((a < b ? kCrLT : a > b ? kCrGT : kCrEQ) | c.xer_so);
}
inline void set_ov(ThreadContext& c, bool ov) {
  c.xer_ov = ov;
  c.xer_so |= ov;
}

// CR bit n (0 = CR0[LT]) as a bool, and its update.
inline bool cr_bit(const ThreadContext& c, uint32_t n) { return (c.cr[n >> 2] >> (3 - (n & 3))) & 1; }
inline void set_cr_bit(ThreadContext& c, uint32_t n, bool v) {
  uint8_t m = uint8_t(1u << (3 - (n & 3)));
  c.cr[n >> 2] = uint8_t(v ? (c.cr[n >> 2] | m) : (c.cr[n >> 2] & ~m));
}

// x + y + carry_in with the mode's carry-out (bit 0 in SF=1, bit 32 in SF=0) and signed overflow.
struct AddResult {
  uint64_t value;
  bool ca, ov;
};
inline AddResult add_with_carry(const ThreadContext& c, uint64_t x, uint64_t y, uint64_t cin) {
  uint64_t r = x + y + cin;
  if (c.sf()) {
    bool ca = (r < x) || (cin && r == x);
    bool ov = ((~(x ^ y) & (x ^ r)) >> 63) & 1;
    return {r, ca, ov};
  }
  uint64_t r32 = (x & 0xFFFFFFFFull) + (y & 0xFFFFFFFFull) + cin;
  bool ca = r32 >> 32;
  uint32_t a = uint32_t(x), b = uint32_t(y), s = uint32_t(r);
  bool ov = ((~(a ^ b) & (a ^ s)) >> 31) & 1;
  return {r, ca, ov};
}

inline Memory& mem(ThreadContext& c) { return *c.mem; }

// Access policies for memory ops written once (see mem_op in opcode_table.h). Both return
// whether the access was made; Checked always makes it (or throws the guest fault), Direct
// declines, with nothing done, whenever Memory's direct path does not apply.
struct Checked {
  template <typename T>
  static bool read(ThreadContext& c, uint32_t a, T& v) {
    v = mem(c).read<T>(a);
    return true;
  }
  template <typename T>
  static bool write(ThreadContext& c, uint32_t a, T v) {
    mem(c).write<T>(a, v);
    return true;
  }
};
struct Direct {
  template <typename T>
  static bool read(ThreadContext& c, uint32_t a, T& v) {
    if (!mem(c).direct_readable<T>(a)) return false;
    v = load_be<T>(mem(c).host(a));
    return true;
  }
  template <typename T>
  static bool write(ThreadContext& c, uint32_t a, T v) {
    if (!mem(c).direct_writable<T>(a)) return false;
    store_be<T>(mem(c).host(a), v);
    return true;
  }
};

}  // namespace hexad::cpu::interp
