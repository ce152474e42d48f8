// The video exports a boot calls (Vd*): they record what the title sets up in the GPU state
// (gpu/gpu_state.h) and report a fixed 1280x720 display. Console semantics, layouts and values
// follow xenia's src/xenia/kernel/xboxkrnl/xboxkrnl_video.cc (xenia-project/xenia) and the
// X_VIDEO_MODE of src/xenia/xbox.h. Pointer arguments the console writes through are probed
// first, so a NULL or unmapped one faults the caller with nothing half written.
// Not modelled here: vblank interrupts and calling the interrupt callback, reading the ring
// (PM4), MMIO, showing the front buffer.
#include <cstdint>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// Every video export marks the GPU as touched (the exit dump's "gpu" section).
gpu::GpuState& gpu_of(ExportContext& x) {
  x.k.gpu().touch();
  return x.k.gpu();
}

// Zeroes `size` bytes at `p` after probing them for writing.
void clear_out(const GuestPtr<void>& p, uint32_t size) {
  p.probe(size, cpu::Access::Write);
  p.mem().fill(p.addr(), 0, size);
}

// VdInitializeEngines(unknown, cleanup callback, its argument, PFP microcode, ME microcode):
// 1 = the engines run.
uint32_t VdInitializeEngines(ExportContext& x, uint32_t unknown, uint32_t callback, uint32_t argument,
                             GuestPtr<void> pfp_microcode, GuestPtr<void> me_microcode) {
  gpu_of(x).initialize_engines();
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x01C2, VdInitializeEngines, Implemented);

void VdShutdownEngines(ExportContext& x) { gpu_of(x).shutdown_engines(); }
HEXAD_EXPORT(xboxkrnl, 0x01DC, VdShutdownEngines, Implemented);

// The callback is called later with (0 = interrupt / 1 = acquire, user_data); it is only
// recorded here (guest-callback delivery is another slice).
void VdSetGraphicsInterruptCallback(ExportContext& x, uint32_t callback, uint32_t user_data) {
  gpu_of(x).set_interrupt_callback(callback, user_data);
}
HEXAD_EXPORT(xboxkrnl, 0x01D5, VdSetGraphicsInterruptCallback, Implemented);

// r3: the ring's physical address (MmGetPhysicalAddress), r4: log2 of its size in quadwords.
void VdInitializeRingBuffer(ExportContext& x, uint32_t base, uint32_t log2_size) {
  gpu_of(x).initialize_ring_buffer(base, log2_size);
}
HEXAD_EXPORT(xboxkrnl, 0x01C3, VdInitializeRingBuffer, Implemented);

void VdEnableRingBufferRPtrWriteBack(ExportContext& x, uint32_t address, uint32_t block_log2) {
  gpu_of(x).enable_read_pointer_write_back(address, block_log2);
}
HEXAD_EXPORT(xboxkrnl, 0x01B6, VdEnableRingBufferRPtrWriteBack, Implemented);

// VdGetSystemCommandBuffer(buffer, identifier): the kernel clears the 0x94-byte system command
// buffer descriptor at `buffer` and writes the placeholder words xenia uses (0xBEEF0000 into
// the buffer, 0xBEEF0001 into *identifier); VdSwap's caller passes both back.
constexpr uint32_t kSystemCommandBufferSize = 0x94;
void VdGetSystemCommandBuffer(ExportContext& x, GuestPtr<uint32_t> buffer, GuestPtr<uint32_t> identifier) {
  GuestPtr<void>(buffer.mem(), buffer.addr()).probe(kSystemCommandBufferSize, cpu::Access::Write);
  identifier.probe(4, cpu::Access::Write);
  clear_out(GuestPtr<void>(buffer.mem(), buffer.addr()), kSystemCommandBufferSize);
  buffer.write(0xBEEF0000);
  identifier.write(0xBEEF0001);
  gpu_of(x).set_system_command_buffer(buffer.addr());
}
HEXAD_EXPORT(xboxkrnl, 0x01BD, VdGetSystemCommandBuffer, Implemented);

void VdSetSystemCommandBufferGpuIdentifierAddress(ExportContext& x, uint32_t address) {
  gpu_of(x).set_gpu_identifier_address(address);
}
HEXAD_EXPORT(xboxkrnl, 0x01D9, VdSetSystemCommandBufferGpuIdentifierAddress, Implemented);

// X_VIDEO_MODE (48 bytes): width, height, interlaced, widescreen, hi_def, refresh rate (float),
// video standard, two words xenia sets to 0x4A and 0x01, three reserved words.
constexpr uint32_t kVideoModeSize = 48;
void VdQueryVideoMode(ExportContext& x, GuestPtr<void> mode) {
  const gpu::VideoMode& m = gpu_of(x).video_mode();
  clear_out(mode, kVideoModeSize);
  cpu::Memory& mem = mode.mem();
  const uint32_t a = mode.addr();
  mem.write32(a + 0x00, m.width);
  mem.write32(a + 0x04, m.height);
  mem.write32(a + 0x08, m.interlaced);
  mem.write32(a + 0x0C, m.widescreen);
  mem.write32(a + 0x10, m.hi_def);
  mem.write32(a + 0x14, m.refresh_rate_bits);
  mem.write32(a + 0x18, m.video_standard);
  mem.write32(a + 0x1C, 0x4A);
  mem.write32(a + 0x20, 0x01);
}
HEXAD_EXPORT(xboxkrnl, 0x01CA, VdQueryVideoMode, Implemented);

uint32_t VdQueryVideoFlags(ExportContext& x) { return gpu_of(x).video_flags(); }
HEXAD_EXPORT(xboxkrnl, 0x01C9, VdQueryVideoFlags, Implemented);

// X_DISPLAY_INFO (0x58 bytes): front buffer 16-bit width/height at 0/2, scaler source rect
// (x1, y1, x2, y2) at 8, scaled output width/height at 0x18/0x1C, vertical filter type at 0x20,
// horizontal at 0x30, overscan left/top/right/bottom (16-bit) at 0x40..0x46, display width/height
// at 0x48/0x4A, refresh rate (float) at 0x4C, actual display width at 0x56. Overscan 320/180 and
// filter type 1 are xenia's values.
constexpr uint32_t kDisplayInfoSize = 0x58;
void VdGetCurrentDisplayInformation(ExportContext& x, GuestPtr<void> info) {
  const gpu::VideoMode& m = gpu_of(x).video_mode();
  clear_out(info, kDisplayInfoSize);
  cpu::Memory& mem = info.mem();
  const uint32_t a = info.addr();
  const auto w = uint16_t(m.width), h = uint16_t(m.height);
  mem.write<uint16_t>(a + 0x00, w);
  mem.write<uint16_t>(a + 0x02, h);
  mem.write32(a + 0x08 + 0x08, m.width);   // scaler source rect x2
  mem.write32(a + 0x08 + 0x0C, m.height);  // scaler source rect y2
  mem.write32(a + 0x08 + 0x10, m.width);   // scaled output width
  mem.write32(a + 0x08 + 0x14, m.height);  // scaled output height
  mem.write32(a + 0x08 + 0x18, 1);         // vertical filter type
  mem.write32(a + 0x08 + 0x28, 1);         // horizontal filter type
  mem.write<uint16_t>(a + 0x40, 320);
  mem.write<uint16_t>(a + 0x42, 180);
  mem.write<uint16_t>(a + 0x44, 320);
  mem.write<uint16_t>(a + 0x46, 180);
  mem.write<uint16_t>(a + 0x48, w);
  mem.write<uint16_t>(a + 0x4A, h);
  mem.write32(a + 0x4C, m.refresh_rate_bits);
  mem.write<uint16_t>(a + 0x56, w);
}
HEXAD_EXPORT(xboxkrnl, 0x01BA, VdGetCurrentDisplayInformation, Implemented);

// VdGetCurrentDisplayGamma(type, power): 1 (sRGB) and 2.22222233f. Both are required.
void VdGetCurrentDisplayGamma(ExportContext& x, GuestPtr<uint32_t> type, GuestPtr<uint32_t> power) {
  const gpu::DisplayGamma& g = gpu_of(x).gamma();
  type.probe(4, cpu::Access::Write);
  power.probe(4, cpu::Access::Write);
  type.write(g.type);
  power.write(g.power_bits);
}
HEXAD_EXPORT(xboxkrnl, 0x01B9, VdGetCurrentDisplayGamma, Implemented);

// Flags (often 0x40000000): bit 1 SD resolution, bit 27 a 2_10_10_10 front buffer, bits 28-29
// the colour space. Recorded; 0 = success.
uint32_t VdSetDisplayMode(ExportContext& x, uint32_t flags) {
  gpu_of(x).set_display_mode(flags);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x01D3, VdSetDisplayMode, Implemented);

// VdInitializeScalerCommandBuffer takes 12 arguments: the destination buffer and its word count
// (the 11th and 12th) are stack arguments, which the shims do not read (shim.h). So the NOP fill
// xenia performs is not done: callable, nonzero (success), nothing written.
uint32_t VdInitializeScalerCommandBuffer(ExportContext& x, uint32_t source_xy, uint32_t source_wh,
                                         uint32_t output_xy, uint32_t output_wh, uint32_t front_buffer_wh,
                                         uint32_t vertical_filter_type, GuestPtr<void> vertical_filter,
                                         uint32_t horizontal_filter_type) {
  gpu_of(x);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x01C5, VdInitializeScalerCommandBuffer, Stub);

// BOOL: the high-speed I/O link to the GPU trained.
uint32_t VdIsHSIOTrainingSucceeded(ExportContext& x) {
  gpu_of(x);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x01C6, VdIsHSIOTrainingSucceeded, Implemented);

// VdPersistDisplay(unknown, out): *out receives a 64-byte allocation the title later frees
// (MmFreePhysicalMemory); out may be NULL. 1 = success.
uint32_t VdPersistDisplay(ExportContext& x, uint32_t unknown, GuestPtr<uint32_t> out) {
  gpu_of(x);
  if (!out) return 1;
  out.probe(4, cpu::Access::Write);
  out.write(x.k.heap().alloc(64, 32, cpu::kProtRead | cpu::kProtWrite));
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x01C7, VdPersistDisplay, Implemented);

// EDRAM retraining: nothing to retrain; 0 = success.
uint32_t VdRetrainEDRAM(ExportContext& x, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
                        uint32_t a5) {
  gpu_of(x);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0269, VdRetrainEDRAM, Implemented);

uint32_t VdRetrainEDRAMWorker(ExportContext& x, uint32_t unknown) {
  gpu_of(x);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x026A, VdRetrainEDRAMWorker, Implemented);

// Titles compare it with 0x10 (below: VdInitializeEDRAM; else retrain); 0x11 as xenia.
uint32_t VdGetGraphicsAsicID(ExportContext& x) {
  gpu_of(x);
  return 0x11;
}
HEXAD_EXPORT(xboxkrnl, 0x01BC, VdGetGraphicsAsicID, Implemented);

// Calls the routines VdRegisterGraphicsNotification registered; hexad implements no
// registration, so there are none to call. 0 = success.
uint32_t VdCallGraphicsNotificationRoutines(ExportContext& x, uint32_t reason, GuestPtr<void> scaling) {
  gpu_of(x);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x01B1, VdCallGraphicsNotificationRoutines, Implemented);

uint32_t VdEnableDisableClockGating(ExportContext& x, uint32_t enabled) {
  gpu_of(x).set_clock_gating(enabled != 0);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x01B4, VdEnableDisableClockGating, Implemented);

// VdSwap(ring space, frontbuffer texture fetch (6 words), write-back, system command buffer,
// its identifier, &frontbuffer address, &texture format, &colour space, &width, &height). The
// width and height pointers are stack arguments (9th and 10th), so the size is taken from the
// fetch constant instead (dword 2: width - 1 in bits 0-12, height - 1 in bits 13-25; xenia's
// xe_gpu_texture_fetch_t), which the console checks equal. The 64 words of ring space the
// caller reserved are filled with type-2 (NOP) packets, as xenia fills what its swap packet
// leaves; the swap packet itself belongs to the PM4 slice. Every pointer is required.
constexpr uint32_t kSwapRingWords = 64;
constexpr uint32_t kPm4Type2Nop = 0x80000000;
void VdSwap(ExportContext& x, GuestPtr<uint32_t> ring, GuestPtr<uint32_t> fetch, GuestPtr<void> write_back,
            GuestPtr<void> system_buffer, GuestPtr<void> identifier, GuestPtr<uint32_t> frontbuffer,
            GuestPtr<uint32_t> texture_format, GuestPtr<uint32_t> color_space) {
  gpu::GpuState& g = gpu_of(x);
  ring.probe(kSwapRingWords * 4, cpu::Access::Write);
  fetch.probe(6 * 4, cpu::Access::Read);
  frontbuffer.probe(4, cpu::Access::Read);
  texture_format.probe(4, cpu::Access::Read);
  color_space.probe(4, cpu::Access::Read);
  const uint32_t size_2d = fetch.read(2);
  gpu::Frontbuffer fb;
  fb.address = frontbuffer.read();
  fb.texture_format = texture_format.read();
  fb.color_space = color_space.read();
  fb.width = (size_2d & 0x1FFF) + 1;
  fb.height = ((size_2d >> 13) & 0x1FFF) + 1;
  for (uint32_t i = 0; i < kSwapRingWords; ++i) ring.write(kPm4Type2Nop, i);
  g.swap(fb);
}
HEXAD_EXPORT(xboxkrnl, 0x025B, VdSwap, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> video_exports() { return kAreaExports; }

}  // namespace hexad::kernel
