#include "gpu/command_processor.h"

#include "cpu/memory.h"

namespace hexad::gpu {

uint64_t PacketCounts::packets() const {
  uint64_t n = type0 + type1 + type2;
  for (uint64_t c : type3) n += c;
  return n;
}

CommandProcessor::CommandProcessor() : regs_(kGpuRegisterCount, 0) { malformed_.reserve(kMalformedKept); }

void CommandProcessor::set_ring(cpu::Memory& mem, uint32_t base, uint32_t size_bytes) {
  (void)mem;
  ring_base_ = base;
  ring_dwords_ = base ? size_bytes / 4 : 0;
  rptr_ = 0;
  regs_[kRegCpRbRptr] = 0;
  regs_[kRegCpRbWptr] = 0;
}

void CommandProcessor::set_reg(uint32_t index, uint32_t value) {
  if (index < regs_.size()) regs_[index] = value;
}

PacketCounts CommandProcessor::take_frame_counts() {
  PacketCounts f = frame_;
  frame_ = PacketCounts{};
  return f;
}

void CommandProcessor::count_malformed(uint32_t read_index, uint32_t header, std::string_view reason) {
  ++frame_.malformed;
  ++total_.malformed;
  if (malformed_.size() < kMalformedKept) malformed_.push_back({read_index, header, reason});
}

bool CommandProcessor::read_word(cpu::Memory& mem, uint32_t index, uint32_t& out) const {
  const uint32_t addr = ring_base_ + index * 4;
  if (!mem.accessible(addr, 4, cpu::kProtRead)) return false;
  out = mem.read32(addr);
  return true;
}

void CommandProcessor::write_pointer(cpu::Memory& mem, uint32_t wptr) {
  regs_[kRegCpRbWptr] = wptr;
  ++batches_;
  if (!ring_dwords_) {
    count_malformed(wptr, 0, "no ring");
    return;
  }
  if (wptr >= ring_dwords_) {
    count_malformed(wptr, 0, "write pointer past the ring");
    wptr %= ring_dwords_;
  }
  while (rptr_ != wptr) {
    const uint32_t available = (wptr + ring_dwords_ - rptr_) % ring_dwords_;
    uint32_t header = 0;
    if (!read_word(mem, rptr_, header)) {
      count_malformed(rptr_, 0, "ring not mapped");
      rptr_ = wptr;
      break;
    }
    const Pm4Header h = decode_pm4(header);
    if (h.data_words >= available) {
      count_malformed(rptr_, header, "count overruns the written ring");
      rptr_ = wptr;
      break;
    }
    const uint32_t data = (rptr_ + 1) % ring_dwords_;
    bool ok = true;
    switch (h.type) {
      case 0:
        for (uint32_t i = 0; i < h.data_words && ok; ++i) {
          const uint32_t index = h.one_register ? h.base_index : h.base_index + i;
          uint32_t v = 0;
          ok = index < kGpuRegisterCount && read_word(mem, (data + i) % ring_dwords_, v);
          if (ok) regs_[index] = v;
        }
        if (ok) {
          ++frame_.type0;
          ++total_.type0;
        }
        break;
      case 1: {
        uint32_t v0 = 0, v1 = 0;
        ok = read_word(mem, data, v0) && read_word(mem, (data + 1) % ring_dwords_, v1);
        if (ok) {
          regs_[h.base_index] = v0;  // 11-bit indices: always inside the register file
          regs_[h.second_index] = v1;
          ++frame_.type1;
          ++total_.type1;
        }
        break;
      }
      case 2:
        ++frame_.type2;
        ++total_.type2;
        break;
      default:
        ++frame_.type3[h.opcode];
        ++total_.type3[h.opcode];
        break;
    }
    if (!ok) {
      count_malformed(rptr_, header, "register write out of range or not mapped");
      rptr_ = wptr;
      break;
    }
    rptr_ = (rptr_ + 1 + h.data_words) % ring_dwords_;
  }
  regs_[kRegCpRbRptr] = rptr_;
  if (write_back_) {
    if (mem.accessible(write_back_, 4, cpu::kProtWrite)) mem.write32(write_back_, rptr_);
    else count_malformed(rptr_, 0, "read-pointer write-back not mapped");
  }
}

}  // namespace hexad::gpu
