// src/gpu: PM4 decoding, the command processor's ring reading and MMIO, front-buffer reading.
#include <catch2/catch.hpp>

#include <set>

#include "cpu/memory.h"
#include "gpu/command_processor.h"
#include "gpu/framebuffer.h"
#include "gpu/gpu_state.h"
#include "gpu/pm4.h"

using namespace hexad::gpu;
using hexad::cpu::Memory;

TEST_CASE("pm4 - headers of the four types decode as xenia's command processor reads them") {
  const Pm4Header t0 = decode_pm4(make_pm4_type0(0x4800, 6));
  CHECK((t0.type == 0 && t0.base_index == 0x4800 && t0.data_words == 6 && !t0.one_register));
  CHECK(decode_pm4(0x00008000u | 0x0578).one_register);
  const Pm4Header t1 = decode_pm4(0x40000000u | 0x123 << 11 | 0x45);
  CHECK((t1.type == 1 && t1.base_index == 0x45 && t1.second_index == 0x123 && t1.data_words == 2));
  CHECK(decode_pm4(make_pm4_type2()).data_words == 0);
  const Pm4Header t3 = decode_pm4(make_pm4_type3(kPm4XeSwap, 4));
  CHECK((t3.type == 3 && t3.opcode == 0x64 && t3.data_words == 4));
  CHECK(pm4_opcode_name(0x22) == "DRAW_INDX");
  CHECK(pm4_opcode_name(0x64) == "XE_SWAP");
  CHECK(pm4_opcode_name(0x01).empty());
}

namespace {
struct Ring {
  Memory mem;
  static constexpr uint32_t kBase = 0x40000000, kWords = 64, kWriteBack = 0x40001000;
  CommandProcessor cp;
  Ring() {
    mem.commit(kBase, 0x2000, hexad::cpu::kProtRW);
    cp.set_ring(mem, kBase, kWords * 4);
    cp.set_read_pointer_write_back(kWriteBack);
  }
  void put(uint32_t index, uint32_t word) { mem.write32(kBase + 4 * index, word); }
};
}  // namespace

TEST_CASE("command processor - packets up to the write pointer are counted, registers written, rptr written back") {
  Ring r;
  r.put(0, make_pm4_type0(0x0578, 2));
  r.put(1, 11);
  r.put(2, 22);
  r.put(3, make_pm4_type2());
  r.put(4, make_pm4_type3(kPm4DrawIndx, 1));
  r.put(5, 0);
  r.cp.write_pointer(r.mem, 6);
  CHECK(r.cp.read_pointer() == 6);
  CHECK(r.mem.read32(Ring::kWriteBack) == 6);
  CHECK(r.cp.reg(0x0578) == 11);
  CHECK(r.cp.reg(0x0579) == 22);
  CHECK(r.cp.reg(kRegCpRbRptr) == 6);
  const PacketCounts c = r.cp.take_frame_counts();
  CHECK((c.type0 == 1 && c.type2 == 1 && c.type3[kPm4DrawIndx] == 1 && c.draws() == 1 && c.packets() == 3));
  CHECK(r.cp.frame_counts().packets() == 0);
  CHECK(r.cp.total_counts().packets() == 3);
}

TEST_CASE("command processor - a packet wrapping the ring end is read across it") {
  Ring r;
  r.put(62, make_pm4_type3(kPm4Nop, 3));
  r.put(63, 1);
  r.put(0, 2);
  r.put(1, 3);
  r.cp.write_pointer(r.mem, 62);  // skip to 62: 62 words of zeros are type-0 writes of register 0
  r.cp.write_pointer(r.mem, 2);
  CHECK(r.cp.read_pointer() == 2);
  CHECK(r.cp.total_counts().type3[kPm4Nop] == 1);
  CHECK(r.cp.total_counts().malformed == 0);
}

TEST_CASE("command processor - malformed rings are counted and skipped, never fatal") {
  Ring r;
  r.put(0, make_pm4_type3(kPm4Nop, 100));  // claims 100 words, 3 written
  r.cp.write_pointer(r.mem, 4);
  CHECK(r.cp.read_pointer() == 4);
  REQUIRE(r.cp.malformed().size() == 1);
  CHECK(r.cp.malformed()[0].reason == "count overruns the written ring");
  r.cp.write_pointer(r.mem, 1000);  // past the ring: taken modulo its size
  CHECK(r.cp.read_pointer() == 1000 % Ring::kWords);
  CHECK(r.cp.total_counts().malformed >= 2);
  r.put(r.cp.read_pointer(), make_pm4_type0(0x7FFF, 1));  // a register past the file
  r.cp.write_pointer(r.mem, (r.cp.read_pointer() + 2) % Ring::kWords);
  CHECK(r.cp.malformed().back().reason == "register write out of range or not mapped");
  CommandProcessor none;
  none.write_pointer(r.mem, 4);
  CHECK(none.malformed()[0].reason == "no ring");
  r.cp.set_ring(r.mem, 0x50000000, 256);  // never committed: the caller (GpuState) passes 0 then
  r.cp.set_ring(r.mem, 0, 256);
  r.cp.write_pointer(r.mem, 4);
  CHECK(r.cp.malformed().back().reason == "no ring");
}

TEST_CASE("gpu mmio - a CP_RB_WPTR store through Memory reads the ring and other sizes fault") {
  Memory mem;
  GpuState g;
  g.attach(mem, [](uint32_t a) { return a; });
  mem.commit(0x40000000, 0x1000, hexad::cpu::kProtRW);
  g.initialize_ring_buffer(0x40000000, 5);  // 256 bytes
  mem.write32(0x40000000, make_pm4_type3(kPm4Nop, 1));
  mem.write32(kGpuMmioBase + kRegCpRbWptr * 4, 2);
  CHECK(mem.read32(kGpuMmioBase + kRegCpRbRptr * 4) == 2);
  CHECK(g.mmio_writes() == 1);
  CHECK(g.mmio_reads() == 1);
  CHECK_THROWS_AS(mem.read16(kGpuMmioBase), hexad::cpu::MemoryFault);
  CHECK_THROWS_AS(mem.write32(kGpuMmioBase + 2, 0), hexad::cpu::MemoryFault);
  CHECK_THROWS_AS(mem.read32(kGpuMmioBase + kGpuMmioSize), hexad::cpu::MemoryFault);
  CHECK_FALSE(mem.accessible(kGpuMmioBase, 4, hexad::cpu::kProtRead));  // the inline check fails
}

TEST_CASE("framebuffer - the tiled 32bpp layout is a permutation of the texels of whole tiles") {
  constexpr uint32_t kPitch = 96, kRows = 64;
  std::set<uint32_t> seen;
  for (uint32_t y = 0; y < kRows; ++y)
    for (uint32_t x = 0; x < kPitch; ++x) {
      const uint32_t off = tiled_offset_32bpp(x, y, kPitch);
      CHECK(off % 4 == 0);
      CHECK(off < kPitch * kRows * 4);
      seen.insert(off);
    }
  CHECK(seen.size() == kPitch * kRows);
  CHECK(tiled_offset_32bpp(0, 0, kPitch) == 0);
}

TEST_CASE("framebuffer - linear A8R8G8B8 and A2R10G10B10 read through the fetch constant's swizzle") {
  Memory mem;
  mem.commit(0x40000000, 0x10000, hexad::cpu::kProtRW);
  FetchConstant f;
  f.words[0] = (32 / 32) << 22;  // pitch 32 texels, linear
  f.words[1] = kFormat8888 | 2 << 6;
  f.words[2] = (2 - 1) | (1 - 1) << 13;  // 2x1
  f.words[3] = (2 | 1 << 3 | 0 << 6 | 3 << 9) << 1;  // R=Z G=Y B=X A=W
  mem.write32(0x40000000, 0x80112233);  // A=0x80 R=0x11 G=0x22 B=0x33
  mem.write32(0x40000004, 0xFF0000FF);
  Frame out;
  REQUIRE(read_frontbuffer(mem, 0x40000000, f, out).empty());
  CHECK((out.width == 2 && out.height == 1));
  CHECK(out.rgba[0] == 0x80332211u);  // bytes R, G, B, A
  CHECK(out.rgba[1] == 0xFFFF0000u);
  f.words[1] = kFormat2101010 | 2 << 6;
  mem.write32(0x40000000, 3u << 30 | (0x11u << 2) << 20 | (0x22u << 2) << 10 | (0x33u << 2));
  REQUIRE(read_frontbuffer(mem, 0x40000000, f, out).empty());
  CHECK(out.rgba[0] == 0xFF332211u);
  f.words[2] = 8191 | 8191u << 13;
  CHECK(read_frontbuffer(mem, 0x40000000, f, out) == "larger than hexad reads");
  f.words[2] = 63;
  CHECK(read_frontbuffer(mem, 0x40000000, f, out) == "pitch narrower than the width");
  f.words[2] = 1;
  f.words[1] = 18 | 2 << 6;  // k_DXT1
  CHECK(read_frontbuffer(mem, 0x40000000, f, out) == "format not readable");
  f.words[1] = kFormat8888;
  CHECK(read_frontbuffer(mem, 0x50000000, f, out) == "front buffer not mapped");
}
