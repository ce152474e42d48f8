#include "gpu/gpu_state.h"

#include "gpu/framebuffer.h"

namespace hexad::gpu {

void GpuState::initialize_engines() {
  engines_initialized_ = true;
  ++engine_initializations_;
}

// Titles call an initialize/shutdown pair to query the GPU, then initialize again (xenia's
// note on VdShutdownEngines): the ring and callback stay recorded.
void GpuState::shutdown_engines() { engines_initialized_ = false; }

void GpuState::set_interrupt_callback(uint32_t callback, uint32_t argument) {
  interrupt_callback_ = callback;
  interrupt_callback_argument_ = argument;
}

void GpuState::attach(cpu::Memory& mem, std::function<uint32_t(uint32_t)> to_virtual) {
  mem_ = &mem;
  to_virtual_ = std::move(to_virtual);
  mem.map_mmio(kGpuMmioBase, kGpuMmioSize, *this);
}

uint32_t GpuState::mmio_read32(uint32_t addr) {
  ++mmio_reads_;
  return cp_.reg((addr & 0xFFFF) / 4);
}

// A store to CP_RB_WPTR hands the command processor the ring up to it; any other register just
// keeps the value (a read returns it).
void GpuState::mmio_write32(uint32_t addr, uint32_t value) {
  ++mmio_writes_;
  const uint32_t index = (addr & 0xFFFF) / 4;
  if (index == kRegCpRbWptr && mem_) {
    touch();
    cp_.write_pointer(*mem_, value);
  } else {
    cp_.set_reg(index, value);
  }
}

void GpuState::initialize_ring_buffer(uint32_t base, uint32_t log2_size) {
  ring_base_ = base;
  ring_log2_size_ = log2_size;
  ring_size_bytes_ = log2_size < 29 ? uint32_t(1) << (log2_size + 3) : 0;
  cp_.set_reg(kRegCpRbBase, base);
  cp_.set_reg(kRegCpRbCntl, log2_size);
  if (mem_) {
    const uint32_t virt = to_virtual_ ? to_virtual_(base) : base;
    // The whole ring must be mapped where hexad reads it; otherwise no ring (each batch is malformed).
    const bool mapped = virt && ring_size_bytes_ && mem_->accessible(virt, ring_size_bytes_, cpu::kProtRead);
    cp_.set_ring(*mem_, mapped ? virt : 0, ring_size_bytes_);
  }
}

void GpuState::enable_read_pointer_write_back(uint32_t address, uint32_t block_log2) {
  rptr_write_back_ = address;
  rptr_block_log2_ = block_log2;
  cp_.set_reg(kRegCpRbRptrAddr, address);
  cp_.set_read_pointer_write_back(to_virtual_ ? to_virtual_(address) : address);
}

uint32_t GpuState::video_flags() const {
  return (video_mode_.widescreen ? 1u : 0u) | (video_mode_.width >= 1024 ? 2u : 0u) |
         (video_mode_.width >= 1920 ? 4u : 0u);
}

std::string_view GpuState::swap(const Frontbuffer& fb, const uint32_t (&fetch)[6]) {
  ++swap_count_;
  last_frontbuffer_ = fb;
  FetchConstant f;
  for (int i = 0; i < 6; ++i) f.words[i] = fetch[i];
  // The format the title passed wins over the fetch constant's (they agree on the console).
  f.words[1] = (f.words[1] & ~0x3Fu) | (fb.texture_format & 0x3F);
  std::string_view why = "front buffer not mapped";
  if (mem_) why = read_frontbuffer(*mem_, fb.virtual_address, f, frame_);
  if (!why.empty()) {
    ++frames_unreadable_;
    last_unreadable_ = why;
    return why;
  }
  frame_.number = swap_count_;
  if (on_frame) on_frame(frame_);
  return why;
}

}  // namespace hexad::gpu
