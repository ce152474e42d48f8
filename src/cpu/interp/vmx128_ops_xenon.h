// VMX128 operations that exist only on the Xenon (no VMX counterpart): dot products, the
// rotate-and-insert and word-permute forms, and the D3D pack/unpack pair. Their handlers are
// listed in vmx128_ops() (vmx128.cc); the pack/unpack cores are exposed for unit tests.
#pragma once
#include <cstdint>

#include "cpu/context.h"
#include "cpu/isa/instr.h"

namespace hexad::cpu::interp::vmx128_xenon {

// D3D vertex formats of vpkd3d128 / vupkd3d128 (the TYPE operand).
enum D3dType : unsigned {
  kD3dColor = 0,      // 4 x u8 ARGB from floats of the form 3.0 + n * 2^-22
  kNormShort2 = 1,    // 2 x s16 (+-32767) from 3.0-biased floats
  kNormPacked32 = 2,  // w2:z10:y10:x10 (x, y, z signed +-511, w unsigned 0..3)
  kFloat16x2 = 3,     // 2 x IEEE half
  kNormShort4 = 4,    // 4 x s16
  kFloat16x4 = 5,     // 4 x IEEE half
  kNormPacked64 = 6,  // w4:z20:y20:x20 in words 2..3 (x, y, z signed, w unsigned 0..15)
};

// Packs the four floats of `in` (word 0 = x) into out[0..3] (only words 2 and 3 are ever
// non-zero). False for a TYPE the hardware does not define.
bool d3d_pack(unsigned type, const uint32_t in[4], uint32_t out[4]);
// Unpacks the packed words of `in` (words 2..3) into four floats. False for an undefined TYPE.
bool d3d_unpack(unsigned type, const uint32_t in[4], uint32_t out[4]);

// IEEE single <-> half (round to nearest even; NaN stays NaN, overflow gives infinity).
uint16_t float_to_half(uint32_t f);
uint32_t half_to_float(uint16_t h);

void vmsum3fp128(ThreadContext& c, Instr i);
void vmsum4fp128(ThreadContext& c, Instr i);
void vrlimi128(ThreadContext& c, Instr i);
void vpermwi128(ThreadContext& c, Instr i);
void vpkd3d128(ThreadContext& c, Instr i);
void vupkd3d128(ThreadContext& c, Instr i);

}  // namespace hexad::cpu::interp::vmx128_xenon
