// The GPU state a title's boot sets up through the kernel's video exports (VdInitializeEngines,
// VdInitializeRingBuffer, VdSwap...; src/kernel/xboxkrnl/exports/video.cc): the command ring's
// place, the read-pointer write-back, the graphics interrupt callback, the display mode, the
// system command buffer and the swaps; the GPU's MMIO registers (0x7FC80000.., register =
// (address & 0xFFFF) / 4, as xenia maps them), through which a CP_RB_WPTR store makes the command
// processor read the ring (gpu/command_processor.h); the last presented frame
// (gpu/framebuffer.h). The vblank and the interrupt callback are the kernel's (kernel/xboxkrnl/
// vblank.h): they call guest code. No shader or draw emulation.
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "cpu/memory.h"
#include "gpu/command_processor.h"

namespace hexad::gpu {

// The front buffer of the last VdSwap.
struct Frontbuffer {
  uint32_t address = 0;      // guest address the title passed (*frontbuffer_ptr)
  uint32_t width = 0, height = 0;
  uint32_t texture_format = 0;  // Xenos TextureFormat (6 = k_8_8_8_8)
  uint32_t virtual_address = 0;  // where hexad reads it (0: maps nowhere)
  bool tiled = false;
  uint32_t color_space = 0;     // 0 = RGB
};

// The display the HLE kernel reports (VdQueryVideoMode, VdGetCurrentDisplayInformation): 1280x720
// progressive widescreen HD at 60 Hz, NTSC, the mode xenia reports (xboxkrnl_video.cc).
struct VideoMode {
  uint32_t width = 1280, height = 720;
  bool interlaced = false, widescreen = true, hi_def = true;
  uint32_t refresh_rate_bits = 0x42700000;  // 60.0f
  uint32_t video_standard = 1;              // NTSC
};

// VdGetCurrentDisplayGamma: type 1 (sRGB), power 2.22222233f (xenia's values).
struct DisplayGamma {
  uint32_t type = 1;
  uint32_t power_bits = 0x400E38E4;  // 2.22222233f
};

// A presented frame as the host shows it (the studio's screen panel, --frames-dir): the front
// buffer of swap number `number` (1-based) converted to 8-bit RGBA.
struct Frame {
  uint64_t number = 0;
  uint32_t width = 0, height = 0;
  std::vector<uint32_t> rgba; /* width*height, 0xAABBGGRR little-endian bytes R,G,B,A */
};

constexpr uint32_t kGpuMmioBase = 0x7FC80000;
constexpr uint32_t kGpuMmioSize = 0x00080000;

class GpuState : public cpu::MmioHandler {
 public:
  // Maps the registers into `mem`. `to_virtual` turns an address the title gives the GPU (a
  // physical one, as MmGetPhysicalAddress returns, or a virtual one) into the virtual address
  // hexad reads, 0 when it maps nowhere.
  void attach(cpu::Memory& mem, std::function<uint32_t(uint32_t)> to_virtual);
  uint32_t mmio_read32(uint32_t addr) override;
  void mmio_write32(uint32_t addr, uint32_t value) override;
  uint64_t mmio_reads() const { return mmio_reads_; }
  uint64_t mmio_writes() const { return mmio_writes_; }
  CommandProcessor& command_processor() { return cp_; }
  const CommandProcessor& command_processor() const { return cp_; }

  // True once a title called any video export: the exit dump has a "gpu" section only then.
  bool touched() const { return touched_; }
  void touch() { touched_ = true; }

  void initialize_engines();
  void shutdown_engines();
  bool engines_initialized() const { return engines_initialized_; }
  uint32_t engine_initializations() const { return engine_initializations_; }

  void set_interrupt_callback(uint32_t callback, uint32_t argument);
  uint32_t interrupt_callback() const { return interrupt_callback_; }
  uint32_t interrupt_callback_argument() const { return interrupt_callback_argument_; }

  // VdInitializeRingBuffer(base, log2_size): the ring holds 2^(log2_size + 3) bytes (xenia's
  // CommandProcessor::InitializeRingBuffer). A size that does not fit 32 bits records 0.
  void initialize_ring_buffer(uint32_t base, uint32_t log2_size);
  uint32_t ring_base() const { return ring_base_; }
  uint32_t ring_log2_size() const { return ring_log2_size_; }
  uint32_t ring_size_bytes() const { return ring_size_bytes_; }

  // VdEnableRingBufferRPtrWriteBack(address, block_log2): where the GPU writes its read pointer.
  void enable_read_pointer_write_back(uint32_t address, uint32_t block_log2);
  uint32_t read_pointer_write_back() const { return rptr_write_back_; }
  uint32_t read_pointer_write_back_block_log2() const { return rptr_block_log2_; }

  void set_system_command_buffer(uint32_t address) { system_command_buffer_ = address; }
  uint32_t system_command_buffer() const { return system_command_buffer_; }
  void set_gpu_identifier_address(uint32_t address) { gpu_identifier_address_ = address; }
  uint32_t gpu_identifier_address() const { return gpu_identifier_address_; }

  void set_display_mode(uint32_t flags) { display_mode_flags_ = flags; }
  uint32_t display_mode_flags() const { return display_mode_flags_; }
  const VideoMode& video_mode() const { return video_mode_; }
  // VdQueryVideoFlags: bit 0 widescreen, bit 1 width >= 1024, bit 2 width >= 1920 (xenia).
  uint32_t video_flags() const;
  const DisplayGamma& gamma() const { return gamma_; }

  void set_clock_gating(bool enabled) { clock_gating_ = enabled; }
  bool clock_gating() const { return clock_gating_; }

  // One presented frame: the swap count goes up and `fb` becomes the last front buffer, read
  // through the fetch constant's words (gpu/framebuffer.h) into last_frame() when hexad can;
  // returns why it could not ("" when it did). on_frame, when set, sees each frame read.
  std::string_view swap(const Frontbuffer& fb, const uint32_t (&fetch)[6]);
  std::function<void(const Frame&)> on_frame;
  uint64_t frames_unreadable() const { return frames_unreadable_; }
  std::string_view last_unreadable_reason() const { return last_unreadable_; }
  uint64_t vblanks() const { return vblanks_; }
  void count_vblank() { ++vblanks_; }
  uint64_t swap_count() const { return swap_count_; }
  const Frontbuffer& last_frontbuffer() const { return last_frontbuffer_; }
  // The last frame hexad could read (gpu/framebuffer.h); nullptr before the first such swap.
  const Frame* last_frame() const { return frame_.number ? &frame_ : nullptr; }

 private:
  bool touched_ = false;
  bool engines_initialized_ = false;
  uint32_t engine_initializations_ = 0;
  uint32_t interrupt_callback_ = 0, interrupt_callback_argument_ = 0;
  uint32_t ring_base_ = 0, ring_log2_size_ = 0, ring_size_bytes_ = 0;
  uint32_t rptr_write_back_ = 0, rptr_block_log2_ = 0;
  uint32_t system_command_buffer_ = 0, gpu_identifier_address_ = 0;
  uint32_t display_mode_flags_ = 0;
  bool clock_gating_ = false;
  VideoMode video_mode_;
  DisplayGamma gamma_;
  uint64_t swap_count_ = 0;
  Frontbuffer last_frontbuffer_;
  Frame frame_;
  uint64_t frames_unreadable_ = 0;
  std::string_view last_unreadable_;
  uint64_t vblanks_ = 0;
  cpu::Memory* mem_ = nullptr;
  std::function<uint32_t(uint32_t)> to_virtual_;
  CommandProcessor cp_;
  uint64_t mmio_reads_ = 0, mmio_writes_ = 0;
};

}  // namespace hexad::gpu
