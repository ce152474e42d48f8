// The video exports a boot calls (Vd*): they record what the title sets up in the GPU state
// (gpu/gpu_state.h) and report a fixed 1280x720 display. Console semantics, layouts and values
// follow xenia's src/xenia/kernel/xboxkrnl/xboxkrnl_video.cc (xenia-project/xenia) and the
// X_VIDEO_MODE of src/xenia/xbox.h. Pointer arguments the console writes through are probed
// first, so a NULL or unmapped one faults the caller with nothing half written.
// The vblank that calls the interrupt callback is kernel/xboxkrnl/vblank.h; the ring, MMIO and
// front-buffer reading are src/gpu. VdSwap emits the trace's gpu.swap, gpu.packets and gpu.draws.
#include <array>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "gpu/framebuffer.h"
#include "gpu/pm4.h"

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

// The callback is called with (0 = interrupt / 1 = acquire, user_data) at each vblank while
// it is set (kernel/xboxkrnl/vblank.h); 0 clears it and the vblanks stop.
void VdSetGraphicsInterruptCallback(ExportContext& x, uint32_t callback, uint32_t user_data) {
  gpu_of(x).set_interrupt_callback(callback, user_data);
  if (callback) x.k.vblank().callback_set();
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

// VdInitializeScalerCommandBuffer(source xy, source wh, output xy, output wh, front buffer wh,
// vertical filter type, its parameters, horizontal filter type; on the stack: its parameters, an
// unknown pointer, the destination buffer and its size in words). xenia fills the destination
// with type-2 (NOP) packets and returns the word count (xboxkrnl_video.cc): so does hexad. The
// destination is probed whole first: an unmapped or read-only one faults the caller with nothing
// written. A count past 64 Ki words (256 KiB; the console's buffer is a few hundred words) is
// refused with 0, the failure value.
constexpr uint32_t kScalerMaxWords = 0x10000;
uint32_t VdInitializeScalerCommandBuffer(ExportContext& x, uint32_t source_xy, uint32_t source_wh,
                                         uint32_t output_xy, uint32_t output_wh, uint32_t front_buffer_wh,
                                         uint32_t vertical_filter_type, GuestPtr<void> vertical_filter,
                                         uint32_t horizontal_filter_type, StackArgs stack) {
  gpu_of(x);
  const uint32_t dest = stack.word(2), words = stack.word(3);
  if (words > kScalerMaxWords) return 0;
  GuestPtr<uint32_t> out(x.k.mem(), dest);
  if (words) out.probe(words * 4, cpu::Access::Write);
  for (uint32_t i = 0; i < words; ++i) out.write(gpu::make_pm4_type2(), i);
  return words;
}
HEXAD_EXPORT(xboxkrnl, 0x01C5, VdInitializeScalerCommandBuffer, Implemented);

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

// The trace's name of a type-3 opcode: xenos.h's, else "op_0xNN".
std::string_view opcode_trace_name(uint32_t opcode) {
  static const std::array<std::string, gpu::kPm4Type3OpcodeCount> kUnnamed = [] {
    std::array<std::string, gpu::kPm4Type3OpcodeCount> a;
    for (uint32_t i = 0; i < a.size(); ++i) a[i] = fmt::format("op_0x{:02x}", i);
    return a;
  }();
  const std::string_view name = gpu::pm4_opcode_name(opcode);
  return name.empty() ? std::string_view(kUnnamed[opcode]) : name;
}

// The frame that swap `frame` ends: gpu.swap, then the packets the command processor read since
// the previous swap (gpu.packets) and the draws among them (gpu.draws).
void trace_frame(ExportContext& x, const gpu::Frontbuffer& fb, bool presented) {
  gpu::GpuState& g = x.k.gpu();
  const uint64_t frame = g.swap_count();
  const trace::Where where = x.k.where(x.t);
  x.k.trace().emit(where, trace::GpuSwap{frame, fb.address, fb.texture_format, fb.width, fb.height, fb.tiled, presented});
  const gpu::PacketCounts counts = g.command_processor().take_frame_counts();
  std::array<trace::OpcodeCount, gpu::kPm4Type3OpcodeCount> type3;
  size_t n = 0;
  for (uint32_t op = 0; op < gpu::kPm4Type3OpcodeCount; ++op)
    if (counts.type3[op]) type3[n++] = {opcode_trace_name(op), counts.type3[op]};
  x.k.trace().emit(where, trace::GpuPackets{frame, counts.type0, counts.type1, counts.type2,
                                            std::span<const trace::OpcodeCount>(type3.data(), n), counts.malformed});
  x.k.trace().emit(where, trace::GpuDraws{frame, counts.draws()});
}

// VdSwap(ring space, frontbuffer texture fetch (6 words), write-back, system command buffer,
// its identifier, &frontbuffer address, &texture format, &colour space; on the stack: &width,
// &height). Every pointer is required (xenia asserts each); they are all probed before anything
// is written, so a bad one faults the caller with nothing changed. Into the 64 ring words the
// caller reserved it writes what xenia's VdSwap writes (xboxkrnl_video.cc): a type-0 packet
// loading the fetch constant into SHADER_CONSTANT_FETCH_00_0 (its base address made physical),
// the type-3 XE_SWAP packet ('SWAP', the physical front buffer, width, height), type-2 NOPs for
// the rest. The front buffer is presented at once (gpu/framebuffer.h reads it when it can), with
// the size of the fetch constant (the console checks *width and *height equal to it); a size,
// pitch or format hexad cannot read, or a buffer not mapped, leaves the frame not presented.
constexpr uint32_t kSwapRingWords = 64;
constexpr uint32_t kSwapSignature = 0x53574150;  // 'SWAP'
void VdSwap(ExportContext& x, GuestPtr<uint32_t> ring, GuestPtr<uint32_t> fetch, GuestPtr<void> write_back,
            GuestPtr<void> system_buffer, GuestPtr<void> identifier, GuestPtr<uint32_t> frontbuffer,
            GuestPtr<uint32_t> texture_format, GuestPtr<uint32_t> color_space, StackArgs stack) {
  gpu::GpuState& g = gpu_of(x);
  cpu::Memory& mem = x.k.mem();
  GuestPtr<uint32_t> width(mem, stack.word(0)), height(mem, stack.word(1));
  ring.probe(kSwapRingWords * 4, cpu::Access::Write);
  fetch.probe(6 * 4, cpu::Access::Read);
  frontbuffer.probe(4, cpu::Access::Read);
  texture_format.probe(4, cpu::Access::Read);
  color_space.probe(4, cpu::Access::Read);
  width.probe(4, cpu::Access::Read);
  height.probe(4, cpu::Access::Read);
  uint32_t words[6];
  for (uint32_t i = 0; i < 6; ++i) words[i] = fetch.read(i);
  gpu::Frontbuffer fb;
  fb.address = frontbuffer.read();
  fb.texture_format = texture_format.read();
  fb.color_space = color_space.read();
  gpu::FetchConstant f;
  for (uint32_t i = 0; i < 6; ++i) f.words[i] = words[i];
  fb.width = f.width();
  fb.height = f.height();
  fb.tiled = f.tiled();
  fb.virtual_address = x.k.gpu_address(fb.address);
  const uint32_t physical = fb.address & 0x1FFFFFFF;

  uint32_t at = 0;
  ring.write(gpu::make_pm4_type0(gpu::kRegShaderConstantFetch00, 6), at++);
  for (uint32_t i = 0; i < 6; ++i)
    ring.write(i == 1 ? (words[1] & 0xFFF) | (physical & 0x1FFFF000) : words[i], at++);
  ring.write(gpu::make_pm4_type3(gpu::kPm4XeSwap, 4), at++);
  ring.write(kSwapSignature, at++);
  ring.write(physical, at++);
  ring.write(width.read(), at++);
  ring.write(height.read(), at++);
  while (at < kSwapRingWords) ring.write(gpu::make_pm4_type2(), at++);

  const bool presented = g.swap(fb, words).empty();
  trace_frame(x, fb, presented);
}
HEXAD_EXPORT(xboxkrnl, 0x025B, VdSwap, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> video_exports() { return kAreaExports; }

}  // namespace hexad::kernel
