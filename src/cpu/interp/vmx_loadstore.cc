// VMX load/store unit: lvx/stvx (and the LRU-hint forms lvxl/stvxl, identical here), element
// loads/stores, lvsl/lvsr, and the Cell/Xenon unaligned family lvlx/lvrx/stvlx/stvrx (+ the
// LRU-hint forms lvlxl/lvrxl/stvlxl/stvrxl).
//
// - Every access stays inside the aligned 16-byte block of its EA, so it never crosses a page:
//   one protection check covers it, and a fault leaves registers and memory unchanged.
// - lvebx/lvehx/lvewx: the ISA leaves the other elements of vD undefined. They load the whole
//   aligned quadword, i.e. the addressed element lands in its ISA position and the others get
//   the neighbouring memory, which is what xenia (and its test suite) do.
// - lvlx: the bytes from EA to the end of its quadword, left-justified, zeros after.
//   lvrx: the bytes from the start of the quadword up to EA-1, right-justified, zeros before
//   (EA aligned: all zeros, no memory access). stvlx/stvrx store the same byte ranges from the
//   left/right end of vS (stvrx at an aligned EA stores nothing).
#include <cstdint>
#include <cstring>

#include "cpu/interp/helpers.h"
#include "cpu/interp/vmx_impl.h"

namespace hexad::cpu::vmx {
namespace {

// Reads n bytes at addr (inside one quadword) into out; throws MemoryFault before anything is
// written anywhere.
void read_block(ThreadContext& c, uint32_t addr, uint8_t* out, uint32_t n) {
  if (n == 0) return;
  Memory& m = *c.mem;
  if (!m.accessible(addr, n, kProtRead)) throw MemoryFault{addr, n, Access::Read};
  std::memcpy(out, m.host(addr), n);
}
void write_block(ThreadContext& c, uint32_t addr, const uint8_t* in, uint32_t n) {
  if (n == 0) return;
  c.mem->write_bytes(addr, in, n);  // checked, breaks reservations
}

Vec from_bytes(const uint8_t* p) {
  Vec v{};
  for (unsigned k = 0; k < 4; ++k) v.w[k] = load_be<uint32_t>(p + 4 * k);
  return v;
}
void to_bytes(const Vec& v, uint8_t* p) {
  for (unsigned k = 0; k < 4; ++k) store_be<uint32_t>(p + 4 * k, v.w[k]);
}

}  // namespace

void lvx(ThreadContext& c, unsigned vd, uint32_t ea) {
  uint32_t a = ea & ~15u;
  uint64_t hi = c.mem->read<uint64_t>(a), lo = c.mem->read<uint64_t>(a + 8);
  put(c, vd, Vec{{uint32_t(hi >> 32), uint32_t(hi), uint32_t(lo >> 32), uint32_t(lo)}});
}
void lvebx(ThreadContext& c, unsigned vd, uint32_t ea) { lvx(c, vd, ea); }
void lvehx(ThreadContext& c, unsigned vd, uint32_t ea) { lvx(c, vd, ea); }
void lvewx(ThreadContext& c, unsigned vd, uint32_t ea) { lvx(c, vd, ea); }

void lvsl(ThreadContext& c, unsigned vd, uint32_t ea) {
  uint32_t sh = ea & 15u;
  Vec v{};
  for (unsigned i = 0; i < 16; ++i) v.set_b(i, uint8_t(sh + i));
  put(c, vd, v);
}
void lvsr(ThreadContext& c, unsigned vd, uint32_t ea) {
  uint32_t sh = ea & 15u;
  Vec v{};
  for (unsigned i = 0; i < 16; ++i) v.set_b(i, uint8_t(16 - sh + i));
  put(c, vd, v);
}

void stvx(ThreadContext& c, unsigned vs, uint32_t ea) {
  uint8_t buf[16];
  to_bytes(get(c, vs), buf);
  write_block(c, ea & ~15u, buf, 16);
}
void stvebx(ThreadContext& c, unsigned vs, uint32_t ea) { c.mem->write<uint8_t>(ea, get(c, vs).b(ea & 15u)); }
void stvehx(ThreadContext& c, unsigned vs, uint32_t ea) {
  uint32_t a = ea & ~1u;
  c.mem->write<uint16_t>(a, get(c, vs).h((a & 15u) >> 1));
}
void stvewx(ThreadContext& c, unsigned vs, uint32_t ea) {
  uint32_t a = ea & ~3u;
  c.mem->write<uint32_t>(a, c.vr[vs][(a & 15u) >> 2]);
}

void lvlx(ThreadContext& c, unsigned vd, uint32_t ea) {
  uint32_t sh = ea & 15u;
  uint8_t buf[16] = {};
  read_block(c, ea, buf, 16 - sh);
  put(c, vd, from_bytes(buf));
}
void lvrx(ThreadContext& c, unsigned vd, uint32_t ea) {
  uint32_t sh = ea & 15u;
  uint8_t buf[16] = {};
  read_block(c, ea & ~15u, buf + (16 - sh), sh);
  put(c, vd, from_bytes(buf));
}
void stvlx(ThreadContext& c, unsigned vs, uint32_t ea) {
  uint32_t sh = ea & 15u;
  uint8_t buf[16];
  to_bytes(get(c, vs), buf);
  write_block(c, ea, buf, 16 - sh);
}
void stvrx(ThreadContext& c, unsigned vs, uint32_t ea) {
  uint32_t sh = ea & 15u;
  uint8_t buf[16];
  to_bytes(get(c, vs), buf);
  write_block(c, ea & ~15u, buf + (16 - sh), sh);
}

}  // namespace hexad::cpu::vmx

// ------------------------------------------------------------------------------ decoders
namespace hexad::cpu::interp {
namespace {

// X-form: vD/vS (6-10), EA = (RA|0) + (RB), truncated to the guest's 32 bits.
template <void (*F)(ThreadContext&, unsigned, uint32_t)>
void vx_mem(ThreadContext& c, Instr i) { F(c, i.rt(), ea(ra0(c, i) + c.gpr[i.rb()])); }

constexpr OpEntry kOps[] = {
    op<vx_mem<vmx::lvsl>>("lvsl"),
    op<vx_mem<vmx::lvsr>>("lvsr"),
    op<vx_mem<vmx::lvebx>>("lvebx"),
    op<vx_mem<vmx::lvehx>>("lvehx"),
    op<vx_mem<vmx::lvewx>>("lvewx"),
    op<vx_mem<vmx::lvx>>("lvx"),
    op<vx_mem<vmx::lvx>>("lvxl"),
    op<vx_mem<vmx::stvebx>>("stvebx"),
    op<vx_mem<vmx::stvehx>>("stvehx"),
    op<vx_mem<vmx::stvewx>>("stvewx"),
    op<vx_mem<vmx::stvx>>("stvx"),
    op<vx_mem<vmx::stvx>>("stvxl"),
    op<vx_mem<vmx::lvlx>>("lvlx"),
    op<vx_mem<vmx::lvrx>>("lvrx"),
    op<vx_mem<vmx::stvlx>>("stvlx"),
    op<vx_mem<vmx::stvrx>>("stvrx"),
    op<vx_mem<vmx::lvlx>>("lvlxl"),
    op<vx_mem<vmx::lvrx>>("lvrxl"),
    op<vx_mem<vmx::stvlx>>("stvlxl"),
    op<vx_mem<vmx::stvrx>>("stvrxl"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> vmx_loadstore_ops() { return interp::kOps; }
}  // namespace hexad::cpu
