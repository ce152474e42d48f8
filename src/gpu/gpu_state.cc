#include "gpu/gpu_state.h"

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

void GpuState::initialize_ring_buffer(uint32_t base, uint32_t log2_size) {
  ring_base_ = base;
  ring_log2_size_ = log2_size;
  ring_size_bytes_ = log2_size < 29 ? uint32_t(1) << (log2_size + 3) : 0;
}

void GpuState::enable_read_pointer_write_back(uint32_t address, uint32_t block_log2) {
  rptr_write_back_ = address;
  rptr_block_log2_ = block_log2;
}

uint32_t GpuState::video_flags() const {
  return (video_mode_.widescreen ? 1u : 0u) | (video_mode_.width >= 1024 ? 2u : 0u) |
         (video_mode_.width >= 1920 ? 4u : 0u);
}

void GpuState::swap(const Frontbuffer& fb) {
  ++swap_count_;
  last_frontbuffer_ = fb;
}

}  // namespace hexad::gpu
