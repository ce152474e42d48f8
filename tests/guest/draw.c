/* draw: a title that draws with the CPU and presents through the GPU slice (issue #13):
 *   - sets up the command ring (MmAllocatePhysicalMemoryEx, VdInitializeRingBuffer with its
 *     physical address), the read-pointer write-back and the graphics interrupt callback;
 *   - for each of FRAMES frames: waits for the vblank (the callback sets an event), writes a moving
 *     pattern into the front buffer, queues a few PM4 packets (a type-0 register write, a type-3
 *     NOP and a DRAW_INDX that hexad only counts), reserves 64 ring words for VdSwap, calls it and
 *     stores the new write pointer into CP_RB_WPTR (MMIO): the command processor reads the ring at
 *     that store, so the write-back and CP_RB_RPTR show the new read pointer at once;
 *   - the frames cycle through the formats hexad reads: 8_8_8_8 linear, 8_8_8_8 tiled (the title
 *     tiles with its own copy of the Xenos 32bpp tiling), 2_10_10_10 linear;
 *   - VdInitializeScalerCommandBuffer fills its (stack-argument) destination with NOPs.
 * The pattern of frame f at (x, y) is R = (4x + 8f) & 255, G = (5y + 3f) & 255,
 * B = (x ^ y ^ 16f) & 255, A = 255; tests/guest/check_frames.py recomputes it from the PNGs.
 * Then the hostile cases, each in its own thread: a swap of an absurd size or pitch (recorded,
 * not presented, no fault), a ring packet whose count overruns what was written (counted as
 * malformed), a 16-bit MMIO read (MMIO is 32-bit only) and a scaler destination that is unmapped (guest faults), and
 * last an interrupt callback at an unmapped address (slot 2's DPC thread faults; the vblanks stop). */
#define TITLE "draw"
#include "title_util.h"

#define FRAMES 9
#define W 80
#define H 40
#define PITCH 96     /* texels: a multiple of 32 */
#define TILED_ROWS 64 /* H rounded up to whole 32-row tiles */
#define RING_LOG2 8  /* 2^(8+3) = 2048 bytes = 512 words: the frames wrap around it */
#define RING_WORDS 512
#define FMT_8888 6
#define FMT_2101010 7
#define MMIO_CP_RB_RPTR ((volatile uint32_t*)0x7FC80710u)
#define MMIO_CP_RB_WPTR ((volatile uint32_t*)0x7FC80714u)
#define BAD 0xDEAD0000u

static uint32_t* ring;
static uint32_t* fb;
static uint32_t fb_phys;
static volatile uint32_t rptr_write_back = 0xFFFFFFFF;
static uint32_t wptr;
static HANDLE vblank_event;
static volatile uint32_t callbacks, callback_bad_args;
static uint32_t system_buffer[0x94 / 4], identifier;
static volatile uint32_t returned;

static void interrupt_callback(uint32_t source, uint32_t user_data) {
  ++callbacks;
  if (source != 0 || user_data != 0xC0FFEE) ++callback_bad_args;
  NtSetEvent(vblank_event, NULL);
}

/* The Xenos 32bpp 2D tiling (xenia's TiledOffset2DOuter/Inner, log2 bpp 2): byte offset of (x, y). */
static uint32_t tiled_offset(uint32_t x, uint32_t y, uint32_t pitch) {
  uint32_t macro_row = ((y >> 5) * (pitch >> 5)) << 9;
  uint32_t micro_row = ((y & 6) << 2) << 2;
  uint32_t outer = macro_row + ((micro_row & ~15u) << 1) + (micro_row & 15) + ((y & 8) << 5) + ((y & 1) << 4);
  uint32_t macro = (x >> 5) << 9;
  uint32_t micro = (x & 7) << 2;
  uint32_t offset = outer + macro + ((micro & ~15u) << 1) + (micro & 15);
  return ((offset & ~511u) << 3) + ((offset & 448) << 2) + (offset & 63) + ((y & 16) << 7) +
         (((((y & 8) >> 2) + (x >> 3)) & 3) << 6);
}

static uint32_t format_of(uint32_t f) { return f % 3 == 2 ? FMT_2101010 : FMT_8888; }
static uint32_t tiled_of(uint32_t f) { return f % 3 == 1; }

static void draw_frame(uint32_t f) {
  uint32_t x, y;
  for (y = 0; y < H; ++y)
    for (x = 0; x < W; ++x) {
      uint32_t r = (4 * x + 8 * f) & 255, g = (5 * y + 3 * f) & 255, b = (x ^ y ^ (16 * f)) & 255, word;
      if (format_of(f) == FMT_8888) word = 0xFF000000u | r << 16 | g << 8 | b; /* A8R8G8B8 */
      else word = 3u << 30 | (r << 2) << 20 | (g << 2) << 10 | (b << 2);   /* A2R10G10B10 */
      if (tiled_of(f)) fb[tiled_offset(x, y, PITCH) / 4] = word;
      else fb[y * PITCH + x] = word;
    }
}

/* The fetch constant of the front buffer: pitch and tiling (word 0), format, 8in32 endianness and
 * physical base (word 1), size (word 2), swizzle R=Z G=Y B=X A=W (word 3), 2D (word 5). */
static void make_fetch(uint32_t* fetch, uint32_t format, uint32_t tiled, uint32_t w, uint32_t h, uint32_t pitch) {
  fetch[0] = 2 | (pitch / 32) << 22 | tiled << 31;
  fetch[1] = format | 2 << 6 | (fb_phys & 0xFFFFF000u);
  fetch[2] = (w - 1) | (h - 1) << 13;
  fetch[3] = (2 | 1 << 3 | 0 << 6 | 3 << 9) << 1;
  fetch[4] = 0;
  fetch[5] = 1 << 9;
}

static void put(uint32_t word) {
  ring[wptr] = word;
  wptr = (wptr + 1) % RING_WORDS;
}

/* Room for `words` contiguous ring words: the tail is padded with type-2 NOPs when they do not fit. */
static void reserve(uint32_t words) {
  if (wptr + words <= RING_WORDS) return;
  while (wptr != 0) put(0x80000000u);
}

static void swap(uint32_t* fetch, uint32_t format, uint32_t w, uint32_t h) {
  uint32_t dummy_write_back = 0;
  reserve(64);
  VdSwap(&ring[wptr], fetch, (void*)&dummy_write_back, system_buffer, &identifier, &fb_phys, &format,
         &(uint32_t){0}, &w, &h);
  wptr = (wptr + 64) % RING_WORDS;
}

static void submit(void) { *MMIO_CP_RB_WPTR = wptr; }

static uint32_t hostile_fetch[6];
static void c_absurd_size(void) {
  make_fetch(hostile_fetch, FMT_8888, 0, 8192, 8192, PITCH);
  swap(hostile_fetch, FMT_8888, 8192, 8192);
  submit();
}
static void c_narrow_pitch(void) {
  make_fetch(hostile_fetch, FMT_8888, 0, W, H, 32);
  swap(hostile_fetch, FMT_8888, W, H);
  submit();
}
static void c_overrun(void) {
  reserve(2);
  put(0xC0000000u | (100 - 1) << 16 | 0x10 << 8); /* NOP claiming 100 data words */
  put(0);
  submit();
}
static void c_mmio_16(void) { returned = *(volatile uint16_t*)0x7FC80710u; }
static void c_scaler_bad(void) {
  VdInitializeScalerCommandBuffer(0, W | H << 16, 0, W | H << 16, W | H << 16, 7, NULL, 7, NULL, NULL, (DWORD*)BAD,
                                  16);
}

static const struct {
  const char* name;
  void (*call)(void);
  int faults;
} kCases[] = {
    {"VdSwap 8192x8192", c_absurd_size, 0},
    {"VdSwap pitch narrower than width", c_narrow_pitch, 0},
    {"ring packet overrunning the written words", c_overrun, 0},
    {"16-bit MMIO read", c_mmio_16, 1},
    {"VdInitializeScalerCommandBuffer unmapped destination", c_scaler_bad, 1},
};

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

int main(void) {
  uint32_t f, i, fetch[6], scaler[32];
  LARGE_INTEGER timeout;
  expect("VdInitializeEngines", VdInitializeEngines(0x4F810000, NULL, NULL, NULL, NULL), 1);
  ring = (uint32_t*)MmAllocatePhysicalMemoryEx(0, RING_WORDS * 4, PAGE_READWRITE, 0, 0xFFFFFFFF, 0x1000);
  fb = (uint32_t*)MmAllocatePhysicalMemoryEx(0, PITCH * TILED_ROWS * 4, PAGE_READWRITE, 0, 0xFFFFFFFF, 0x1000);
  expect("ring and front buffer allocated", ring != NULL && fb != NULL, 1);
  fb_phys = MmGetPhysicalAddress(fb);
  VdInitializeRingBuffer(MmGetPhysicalAddress(ring), RING_LOG2);
  VdEnableRingBufferRPtrWriteBack((uint32_t)&rptr_write_back, 6);
  VdGetSystemCommandBuffer(system_buffer, &identifier);
  NtCreateEvent(&vblank_event, NULL, SynchronizationEvent, FALSE);
  VdSetGraphicsInterruptCallback((void*)interrupt_callback, (void*)0xC0FFEE);

  for (i = 0; i < 32; ++i) scaler[i] = 0xAAAAAAAA;
  expect("VdInitializeScalerCommandBuffer returns the word count",
         VdInitializeScalerCommandBuffer(0, W | H << 16, 0, W | H << 16, W | H << 16, 7, NULL, 7, NULL, NULL, scaler,
                                         31),
         31);
  for (f = 0, i = 0; i < 31; ++i) f += scaler[i] != 0x80000000u;
  expect("  it filled them with type-2 NOPs", f, 0);
  expect("  and nothing past them", scaler[31], 0xAAAAAAAA);
  expect("VdInitializeScalerCommandBuffer refuses 1M words", VdInitializeScalerCommandBuffer(0, 0, 0, 0, 0, 0, NULL, 0,
                                                                                             NULL, NULL, scaler, 1u << 20),
         0);

  timeout.QuadPart = HX_RELATIVE_MS(100);
  for (f = 0; f < FRAMES; ++f) {
    uint32_t waited = (uint32_t)NtWaitForSingleObjectEx(vblank_event, UserMode, FALSE, &timeout);
    if (waited != STATUS_WAIT_0) expect("the vblank came", waited, STATUS_WAIT_0);
    draw_frame(f);
    reserve(6);
    put(0x00000000u | 0x0578);  /* type 0: SCRATCH_REG0 = frame */
    put(f);
    put(0xC0000000u | 0x10 << 8); /* type 3 NOP, one data word */
    put(0);
    put(0xC0000000u | 0x22 << 8); /* type 3 DRAW_INDX, one data word (counted, not drawn) */
    put(0);
    make_fetch(fetch, format_of(f), tiled_of(f), W, H, PITCH);
    swap(fetch, format_of(f), W, H);
    submit();
    if (rptr_write_back != wptr) expect("the write-back shows the read pointer at the write pointer", rptr_write_back, wptr);
    if (*MMIO_CP_RB_RPTR != wptr) expect("CP_RB_RPTR reads the read pointer", *MMIO_CP_RB_RPTR, wptr);
  }
  expect("the read pointer wrapped around the ring", rptr_write_back == wptr && wptr < FRAMES * 70, 1);
  expect("the callback's arguments were (0, 0xC0FFEE) every time", callback_bad_args, 0);
  expect("one callback per frame waited for, at most one more", callbacks >= FRAMES && callbacks <= FRAMES + 1, 1);
  DbgPrint("draw: %u frames, %u callbacks\n", FRAMES, callbacks);

  for (i = 0; i < sizeof kCases / sizeof kCases[0]; ++i) {
    HANDLE h;
    DWORD tid;
    LARGE_INTEGER t;
    returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t), STATUS_WAIT_0);
    DbgPrint("draw: case %s: tid %u %s\n", kCases[i].name, tid, kCases[i].faults ? "faults" : "returns");
    expect(kCases[i].faults ? "  the call never returned" : "  the call returned", returned, !kCases[i].faults);
    NtClose(h);
  }
  expect("the overrun skipped to the write pointer", rptr_write_back, wptr);

  /* Last: a callback that faults at the next vblank (slot 2's DPC thread), then the title goes on. */
  VdSetGraphicsInterruptCallback((void*)BAD, NULL);
  sleep_ms(40);
  DbgPrint("draw: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
