/* video: the video exports a boot calls (Vd*), in the order a D3D boot calls them, each checked
 * against the console's semantics (xenia's xboxkrnl_video.cc):
 *   - the queries report a 1280x720 progressive widescreen HD display at 60 Hz (NTSC), flags 3,
 *     gamma type 1 (sRGB) with power 2.22222233f, ASIC id 0x11, HSIO training succeeded;
 *   - VdQueryVideoMode / VdGetCurrentDisplayInformation clear their whole structure first;
 *   - VdGetSystemCommandBuffer clears the 0x94-byte buffer, writes 0xBEEF0000 into it and
 *     0xBEEF0001 into *identifier;
 *   - VdSwap writes xenia's packets into the 64 ring words it is given (the fetch constant, XE_SWAP,
 *     NOPs); two swaps are made, the last of a 640x360 k_8_8_8_8 front buffer (the exit dump's
 *     "gpu" section shows it; at physical 0x1F000000, allocated nowhere, it is not presented).
 * Then the hostile cases: each runs in its own thread (tids 2, 3, ...), faults on the pointer
 * printed, and changes nothing (the swap count stays 2; the command buffer keeps its bytes). */
#define TITLE "video"
#include "title_util.h"
#include "stub_imports.h"

#define BAD 0x00001000u      /* unmapped */
#define BAD_HIGH 0xDEAD0000u /* unmapped */

static uint32_t ring[1024] __attribute__((aligned(256)));
static uint32_t write_back;
static uint32_t system_buffer[0x94 / 4], identifier;
static uint32_t swap_ring[64];
static uint32_t fetch[6];
static uint32_t frontbuffer = 0x1F000000, texture_format = 6 /* k_8_8_8_8 */, color_space = 0;
static uint32_t width = 1280, height = 720;
static volatile uint32_t returned;

static void interrupt_callback(void) {}

static void c_video_mode_null(void) { VdQueryVideoMode(NULL); }
static void c_display_info_bad(void) { VdGetCurrentDisplayInformation((X_DISPLAY_INFO*)BAD_HIGH); }
static void c_gamma_power_null(void) {
  DWORD type;
  VdGetCurrentDisplayGamma(&type, NULL);
}
static void c_command_buffer_identifier_bad(void) { VdGetSystemCommandBuffer(system_buffer, (DWORD*)BAD); }
static void c_persist_display_bad(void) { VdPersistDisplay(0, (DWORD*)BAD_HIGH); }
static void c_swap_fetch_null(void) {
  VdSwap(swap_ring, NULL, &write_back, system_buffer, &identifier, &frontbuffer, &texture_format, &color_space,
         &width, &height);
}
static void c_swap_ring_bad(void) {
  VdSwap((DWORD*)BAD_HIGH, fetch, &write_back, system_buffer, &identifier, &frontbuffer, &texture_format,
         &color_space, &width, &height);
}

static const struct {
  const char* name;
  void (*call)(void);
  const char* access;
  uint32_t address;
} kCases[] = {
    {"VdQueryVideoMode(NULL)", c_video_mode_null, "write", 0},
    {"VdGetCurrentDisplayInformation(unmapped)", c_display_info_bad, "write", BAD_HIGH},
    {"VdGetCurrentDisplayGamma power NULL", c_gamma_power_null, "write", 0},
    {"VdGetSystemCommandBuffer identifier unmapped", c_command_buffer_identifier_bad, "write", BAD},
    {"VdPersistDisplay out unmapped", c_persist_display_bad, "write", BAD_HIGH},
    {"VdSwap fetch NULL", c_swap_fetch_null, "read", 0},
    {"VdSwap ring unmapped", c_swap_ring_bad, "write", BAD_HIGH},
};

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

static void swap(void) {
  VdSwap(swap_ring, fetch, &write_back, system_buffer, &identifier, &frontbuffer, &texture_format, &color_space,
         &width, &height);
}

int main(void) {
  uint32_t i, bad;
  expect("VdInitializeEngines", VdInitializeEngines(0x4F810000, NULL, NULL, NULL, NULL), 1);
  VdShutdownEngines();
  expect("VdInitializeEngines again", VdInitializeEngines(0x4F810000, NULL, NULL, NULL, NULL), 1);
  expect("VdGetGraphicsAsicID", VdGetGraphicsAsicID(), 0x11);
  expect("VdIsHSIOTrainingSucceeded", VdIsHSIOTrainingSucceeded(), 1);
  expect("VdRetrainEDRAM", VdRetrainEDRAM(0, 0, 0, 0, 0, 0), 0);
  expect("VdRetrainEDRAMWorker", VdRetrainEDRAMWorker(0), 0);
  expect("VdEnableDisableClockGating", VdEnableDisableClockGating(1), 0);

  X_VIDEO_MODE mode;
  for (i = 0; i < sizeof mode / 4; ++i) ((uint32_t*)&mode)[i] = 0xAAAAAAAA;
  VdQueryVideoMode(&mode);
  expect("mode width", mode.display_width, 1280);
  expect("mode height", mode.display_height, 720);
  expect("mode interlaced", mode.is_interlaced, 0);
  expect("mode widescreen", mode.is_widescreen, 1);
  expect("mode hi-def", mode.is_hi_def, 1);
  expect("mode refresh rate (60.0f)", mode.refresh_rate, 0x42700000);
  expect("mode standard (NTSC)", mode.video_standard, 1);
  expect("mode reserved cleared", mode.reserved[0] | mode.reserved[1] | mode.reserved[2], 0);
  expect("VdQueryVideoFlags", VdQueryVideoFlags(), 3);

  X_DISPLAY_INFO info;
  for (i = 0; i < sizeof info / 4; ++i) ((uint32_t*)&info)[i] = 0xAAAAAAAA;
  VdGetCurrentDisplayInformation(&info);
  expect("display info size", sizeof info, 0x58);
  expect("front buffer width", info.front_buffer_width, 1280);
  expect("front buffer height", info.front_buffer_height, 720);
  expect("front buffer formats cleared", info.front_buffer_color_format | info.front_buffer_pixel_format, 0);
  expect("scaler source x2", info.scaler_source_rect[2], 1280);
  expect("scaler source y2", info.scaler_source_rect[3], 720);
  expect("scaled output width", info.scaled_output_width, 1280);
  expect("vertical filter type", info.vertical_filter_type, 1);
  expect("horizontal filter type", info.horizontal_filter_type, 1);
  expect("overscan left", info.overscan_left, 320);
  expect("overscan bottom", info.overscan_bottom, 180);
  expect("display height", info.display_height, 720);
  expect("display refresh rate", info.display_refresh_rate, 0x42700000);
  expect("display interlaced cleared", info.display_interlaced, 0);
  expect("actual display width", info.actual_display_width, 1280);

  DWORD gamma_type = 0, gamma_power = 0;
  VdGetCurrentDisplayGamma(&gamma_type, &gamma_power);
  expect("gamma type (sRGB)", gamma_type, 1);
  expect("gamma power (2.22222233f)", gamma_power, 0x400E38E4);

  VdSetGraphicsInterruptCallback((void*)interrupt_callback, (void*)0x1234);
  VdInitializeRingBuffer((uint32_t)ring, 9); /* 2^(9+3) = 4096 bytes */
  VdEnableRingBufferRPtrWriteBack((uint32_t)&write_back, 6);
  for (i = 0; i < 0x94 / 4; ++i) system_buffer[i] = 0x55555555;
  VdGetSystemCommandBuffer(system_buffer, &identifier);
  expect("system command buffer word 0", system_buffer[0], 0xBEEF0000);
  expect("system command buffer cleared", system_buffer[1] | system_buffer[0x94 / 4 - 1], 0);
  expect("system command buffer identifier", identifier, 0xBEEF0001);
  VdSetSystemCommandBufferGpuIdentifierAddress((uint32_t)&identifier);
  expect("VdSetDisplayMode", VdSetDisplayMode(0x40000000), 0);
  expect("VdInitializeScalerCommandBuffer succeeds",
         VdInitializeScalerCommandBuffer(0, 1280 | 720 << 16, 0, 1280 | 720 << 16, 1280 | 720 << 16, 7, NULL, 7, NULL,
                                         NULL, swap_ring, 8),
         8);
  expect("VdCallGraphicsNotificationRoutines", VdCallGraphicsNotificationRoutines(1, NULL), 0);
  DWORD persisted = 0;
  expect("VdPersistDisplay", VdPersistDisplay(0, &persisted), 1);
  expect("VdPersistDisplay gave an allocation", persisted != 0, 1);
  expect("VdPersistDisplay(NULL out)", VdPersistDisplay(0, NULL), 1);

  /* Two frames: 1280x720, then 640x360 (width - 1 | (height - 1) << 13 in fetch word 2). */
  fetch[1] = frontbuffer;
  fetch[2] = (1280 - 1) | (720 - 1) << 13;
  swap();
  for (i = 0; i < 64; ++i) swap_ring[i] = 0;
  fetch[2] = (640 - 1) | (360 - 1) << 13;
  width = 640;
  height = 360;
  swap();
  /* xenia's packets: fetch constant 0 (type 0, 6 registers from 0x4800), XE_SWAP (type 3,
   * opcode 0x64, 4 words: 'SWAP', the physical front buffer, width, height), then NOPs. */
  expect("VdSwap's type-0 fetch-constant packet", swap_ring[0], 0x00054800);
  expect("  with the fetch constant's size word", swap_ring[3], fetch[2]);
  expect("VdSwap's XE_SWAP packet", swap_ring[7], 0xC0036400);
  expect("  'SWAP'", swap_ring[8], 0x53574150);
  expect("  the front buffer", swap_ring[9], 0x1F000000);
  expect("  width, height", swap_ring[10] << 16 | swap_ring[11], 640 << 16 | 360);
  for (bad = 0, i = 12; i < 64; ++i) bad += swap_ring[i] != 0x80000000;
  expect("VdSwap filled the rest of its 64 ring words with NOPs", bad, 0);
  VdShutdownEngines();
  VdInitializeEngines(0x4F810000, NULL, NULL, NULL, NULL);

  for (i = 0; i < 0x94 / 4; ++i) system_buffer[i] = 0x55555555;
  for (i = 0; i < sizeof kCases / sizeof kCases[0]; ++i) {
    HANDLE h;
    DWORD tid;
    LARGE_INTEGER t;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    DbgPrint("video: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access, kCases[i].address);
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (a faulted thread is signaled, as an exited one)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t),
           STATUS_WAIT_0);
    expect("the call never returned", returned, 0);
    NtClose(h);
  }
  expect("the faulting VdGetSystemCommandBuffer wrote nothing", system_buffer[0] & system_buffer[1], 0x55555555);
  DbgPrint("video: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
