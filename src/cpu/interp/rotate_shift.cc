// Rotate and shift unit: rlw*, rld*, slw/srw/sraw(i), sld/srd/srad(i).
#include <bit>

#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

// MASK(mb, me) in IBM bit numbering over 64 bits: ones from bit mb through bit me, wrapping
// around (bits mb..63 and 0..me) when mb > me.
constexpr uint64_t mask64(uint32_t mb, uint32_t me) {
  uint64_t from_mb = ~0ull >> mb;         // bits mb..63
  uint64_t to_me = ~0ull << (63 - me);    // bits 0..me
  return mb <= me ? (from_mb & to_me) : (from_mb | to_me);
}
static_assert(mask64(0, 63) == ~0ull);
static_assert(mask64(63, 0) == 0x8000000000000001ull);
static_assert(mask64(32, 63) == 0xFFFFFFFFull);

// ROTL32: the low word replicated into both halves, rotated left as a 64-bit value.
inline uint64_t rotl32(uint64_t x, uint32_t n) {
  uint64_t w = x & 0xFFFFFFFFull;
  return std::rotl(w | (w << 32), int(n & 31));
}

inline void write_ra(ThreadContext& c, Instr i, uint64_t v) {
  R(c, i.ra()) = v;
  if (i.rc()) set_cr0(c, v);
}

// ---- 32-bit rotates (M-form) ---------------------------------------------------------------
// Their mask, MASK(mb+32, me+32), is computed once per decoded word (rlw_mask, Instr::aux).

uint64_t rlw_mask(Instr i) { return mask64(i.mb() + 32, i.me() + 32); }

void rlwinm(ThreadContext& c, Instr i) { write_ra(c, i, rotl32(R(c, i.rs()), i.sh()) & i.aux); }
void rlwnm(ThreadContext& c, Instr i) { write_ra(c, i, rotl32(R(c, i.rs()), uint32_t(R(c, i.rb()) & 31)) & i.aux); }
void rlwimi(ThreadContext& c, Instr i) {
  write_ra(c, i, (rotl32(R(c, i.rs()), i.sh()) & i.aux) | (R(c, i.ra()) & ~i.aux));
}

// ---- 64-bit rotates (MD/MDS-form) ----------------------------------------------------------

inline uint64_t rotl64(uint64_t x, uint32_t n) { return std::rotl(x, int(n & 63)); }

void rldicl(ThreadContext& c, Instr i) { write_ra(c, i, rotl64(R(c, i.rs()), i.sh64()) & mask64(i.mbe64(), 63)); }
void rldicr(ThreadContext& c, Instr i) { write_ra(c, i, rotl64(R(c, i.rs()), i.sh64()) & mask64(0, i.mbe64())); }
void rldic(ThreadContext& c, Instr i) {
  write_ra(c, i, rotl64(R(c, i.rs()), i.sh64()) & mask64(i.mbe64(), 63 - i.sh64()));
}
void rldimi(ThreadContext& c, Instr i) {
  uint64_t m = mask64(i.mbe64(), 63 - i.sh64());
  write_ra(c, i, (rotl64(R(c, i.rs()), i.sh64()) & m) | (R(c, i.ra()) & ~m));
}
void rldcl(ThreadContext& c, Instr i) {
  write_ra(c, i, rotl64(R(c, i.rs()), uint32_t(R(c, i.rb()) & 63)) & mask64(i.mbe64(), 63));
}
void rldcr(ThreadContext& c, Instr i) {
  write_ra(c, i, rotl64(R(c, i.rs()), uint32_t(R(c, i.rb()) & 63)) & mask64(0, i.mbe64()));
}

// ---- 32-bit shifts: amount is RB[58:63]; 32..63 shift everything out ----------------------

void slw(ThreadContext& c, Instr i) {
  uint32_t n = uint32_t(R(c, i.rb()) & 63);
  write_ra(c, i, n < 32 ? uint64_t(uint32_t(R(c, i.rs())) << n) : 0);
}
void srw(ThreadContext& c, Instr i) {
  uint32_t n = uint32_t(R(c, i.rb()) & 63);
  write_ra(c, i, n < 32 ? uint64_t(uint32_t(R(c, i.rs())) >> n) : 0);
}
// Algebraic: the sign-extended result; CA = source negative and a 1 bit shifted out.
inline void sraw_common(ThreadContext& c, Instr i, uint32_t n) {
  int32_t s = int32_t(uint32_t(R(c, i.rs())));
  int64_t v;
  bool lost;
  if (n < 32) {
    v = int64_t(s) >> n;
    lost = (uint32_t(s) & ((1u << n) - 1)) != 0;
  } else {
    v = s < 0 ? -1 : 0;
    lost = s != 0;
  }
  c.xer_ca = s < 0 && lost;
  write_ra(c, i, uint64_t(v));
}
void sraw(ThreadContext& c, Instr i) { sraw_common(c, i, uint32_t(R(c, i.rb()) & 63)); }
void srawi(ThreadContext& c, Instr i) { sraw_common(c, i, i.sh()); }

// ---- 64-bit shifts: amount is RB[57:63]; 64..127 shift everything out ---------------------

void sld(ThreadContext& c, Instr i) {
  uint32_t n = uint32_t(R(c, i.rb()) & 127);
  write_ra(c, i, n < 64 ? R(c, i.rs()) << n : 0);
}
void srd(ThreadContext& c, Instr i) {
  uint32_t n = uint32_t(R(c, i.rb()) & 127);
  write_ra(c, i, n < 64 ? R(c, i.rs()) >> n : 0);
}
inline void srad_common(ThreadContext& c, Instr i, uint32_t n) {
  int64_t s = int64_t(R(c, i.rs()));
  int64_t v;
  bool lost;
  if (n < 64) {
    v = s >> n;
    lost = n && (uint64_t(s) << (64 - n)) != 0;
  } else {
    v = s < 0 ? -1 : 0;
    lost = s != 0;
  }
  c.xer_ca = s < 0 && lost;
  write_ra(c, i, uint64_t(v));
}
void srad(ThreadContext& c, Instr i) { srad_common(c, i, uint32_t(R(c, i.rb()) & 127)); }
void sradi(ThreadContext& c, Instr i) { srad_common(c, i, i.sh64()); }  // XS-form: sh[5] is bit 30

constexpr OpEntry kOps[] = {
    op_prep<rlwinm, rlw_mask>("rlwinm"),
    op_prep<rlwnm, rlw_mask>("rlwnm"),
    op_prep<rlwimi, rlw_mask>("rlwimi"),
    op<rldicl>("rldicl"),
    op<rldicr>("rldicr"),
    op<rldic>("rldic"),
    op<rldimi>("rldimi"),
    op<rldcl>("rldcl"),
    op<rldcr>("rldcr"),
    op<slw>("slw"),
    op<srw>("srw"),
    op<sraw>("sraw"),
    op<srawi>("srawi"),
    op<sld>("sld"),
    op<srd>("srd"),
    op<srad>("srad"),
    op<sradi>("sradi"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> rotate_shift_ops() { return interp::kOps; }
}  // namespace hexad::cpu
