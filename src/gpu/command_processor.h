// The command processor's ring as hexad reads it: the ring the title set up
// (VdInitializeRingBuffer), read from the GPU's read pointer up to the write pointer each time the
// guest stores CP_RB_WPTR (an MMIO write: a deterministic guest time, the store's own), packet
// headers parsed (gpu/pm4.h) and counted by type and type-3 opcode, type-0/1 register writes
// applied to the register file, and the read pointer then written where the title asked
// (VdEnableRingBufferRPtrWriteBack), as xenia's CommandProcessor does after each batch
// (xenia-project/xenia src/xenia/gpu/command_processor.cc). Nothing is executed: no draws, no
// shaders, no indirect buffers followed, no waits honoured; this slice only counts.
//
// A malformed ring never stops anything: a packet whose count overruns the words written, a
// ring or write-back address that is not mapped, a write pointer past the ring, a register
// index past the register file — each is counted and the first kMalformedKept are recorded; the
// read pointer then jumps to the write pointer (what is left of the batch is skipped).
#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gpu/pm4.h"

namespace hexad::cpu {
class Memory;
}

namespace hexad::gpu {

// Register indices (xenia's register_table.inc); register = (MMIO address & 0xFFFF) / 4.
enum GpuRegister : uint32_t {
  kRegCpRbBase = 0x01C0,
  kRegCpRbCntl = 0x01C1,
  kRegCpRbRptrAddr = 0x01C3,
  kRegCpRbRptr = 0x01C4,
  kRegCpRbWptr = 0x01C5,
  kRegShaderConstantFetch00 = 0x4800,  // fetch constant 0, six words (VdSwap's front buffer)
};
constexpr uint32_t kGpuRegisterCount = 0x5003;  // xenia's RegisterFile::kRegisterCount

struct PacketCounts {
  uint64_t type0 = 0, type1 = 0, type2 = 0;
  std::array<uint64_t, kPm4Type3OpcodeCount> type3{};
  uint64_t malformed = 0;
  uint64_t draws() const { return type3[kPm4DrawIndx] + type3[kPm4DrawIndx2]; }
  uint64_t packets() const;
};

struct MalformedPacket {
  uint32_t read_index = 0;  // the ring word (dword index) where it was met
  uint32_t header = 0;
  std::string_view reason;
};

class CommandProcessor {
 public:
  static constexpr size_t kMalformedKept = 16;
  CommandProcessor();

  // `base` is the ring's guest (virtual) address, 0 when it maps nowhere; the pointers restart at 0.
  void set_ring(cpu::Memory& mem, uint32_t base, uint32_t size_bytes);
  // Virtual address the read pointer (dwords) is written to after each batch; 0 = none.
  void set_read_pointer_write_back(uint32_t address) { write_back_ = address; }

  // The guest stored `wptr` (dwords) into CP_RB_WPTR: reads the ring up to it.
  void write_pointer(cpu::Memory& mem, uint32_t wptr);

  uint32_t read_pointer() const { return rptr_; }
  uint32_t reg(uint32_t index) const { return index < regs_.size() ? regs_[index] : 0; }
  void set_reg(uint32_t index, uint32_t value);

  // Counts since the last take_frame_counts() (one frame: swap to swap), and over the run.
  const PacketCounts& frame_counts() const { return frame_; }
  PacketCounts take_frame_counts();
  const PacketCounts& total_counts() const { return total_; }
  const std::vector<MalformedPacket>& malformed() const { return malformed_; }
  uint64_t batches() const { return batches_; }

 private:
  void count_malformed(uint32_t read_index, uint32_t header, std::string_view reason);
  bool read_word(cpu::Memory& mem, uint32_t index, uint32_t& out) const;

  std::vector<uint32_t> regs_;
  uint32_t ring_base_ = 0, ring_dwords_ = 0;
  uint32_t rptr_ = 0, write_back_ = 0;
  uint64_t batches_ = 0;
  PacketCounts frame_, total_;
  std::vector<MalformedPacket> malformed_;
};

}  // namespace hexad::gpu
