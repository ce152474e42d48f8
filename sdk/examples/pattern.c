/* The SDK's drawing example: a moving colour pattern written by the CPU into a 320x180 front
 * buffer and presented with VdSwap at each vblank, for two seconds (120 frames). What a title does
 * to get a picture out of hexad's GPU slice (README "GPU"):
 *   1. allocate the command ring and the front buffer in physical memory;
 *   2. VdInitializeRingBuffer(the ring's physical address, log2 of its size in bytes minus 3) and
 *      VdSetGraphicsInterruptCallback: the callback runs at each 60 Hz vblank;
 *   3. each frame: draw, VdSwap into 64 words of ring, then store the write pointer into
 *      CP_RB_WPTR (0x7FC80714) to hand the packets to the GPU.
 * `hexad run build/guest/pattern.xex --frames-dir frames` writes the frames as PNGs; `hexad studio`
 * shows them. */
#include "hx/kernel.h"

#define W 320
#define H 180
#define PITCH 320 /* texels, a multiple of 32 */
#define RING_LOG2 10 /* 2^(10+3) bytes = 2048 words */
#define RING_WORDS 2048
#define CP_RB_WPTR ((volatile uint32_t*)0x7FC80714u)

static HANDLE vblank;
static uint32_t system_buffer[0x94 / 4], identifier;

static void on_vblank(uint32_t source, uint32_t user_data) {
  (void)source;
  (void)user_data;
  NtSetEvent(vblank, NULL);
}

int main(void) {
  uint32_t* ring = (uint32_t*)MmAllocatePhysicalMemoryEx(0, RING_WORDS * 4, PAGE_READWRITE, 0, 0xFFFFFFFF, 0x1000);
  uint32_t* fb = (uint32_t*)MmAllocatePhysicalMemoryEx(0, PITCH * H * 4, PAGE_READWRITE, 0, 0xFFFFFFFF, 0x1000);
  uint32_t fb_phys = MmGetPhysicalAddress(fb), wptr = 0, frame, x, y;
  uint32_t fetch[6], format = 6 /* k_8_8_8_8 */, color_space = 0, width = W, height = H, write_back = 0;
  if (!ring || !fb) return 1;
  VdInitializeEngines(0x4F810000, NULL, NULL, NULL, NULL);
  VdInitializeRingBuffer(MmGetPhysicalAddress(ring), RING_LOG2);
  VdGetSystemCommandBuffer(system_buffer, &identifier);
  NtCreateEvent(&vblank, NULL, SynchronizationEvent, FALSE);
  VdSetGraphicsInterruptCallback((void*)on_vblank, NULL);
  /* The front buffer's texture fetch constant: linear, pitch, k_8_8_8_8 with 8in32 endianness,
   * 320x180, swizzle R=Z G=Y B=X A=W (words stored as 0xAARRGGBB). */
  fetch[0] = 2 | (PITCH / 32) << 22;
  fetch[1] = format | 2 << 6 | (fb_phys & 0xFFFFF000u);
  fetch[2] = (W - 1) | (H - 1) << 13;
  fetch[3] = (2 | 1 << 3 | 0 << 6 | 3 << 9) << 1;
  fetch[4] = 0;
  fetch[5] = 1 << 9;
  for (frame = 0; frame < 120; ++frame) {
    NtWaitForSingleObjectEx(vblank, UserMode, FALSE, NULL);
    for (y = 0; y < H; ++y)
      for (x = 0; x < W; ++x)
        fb[y * PITCH + x] = 0xFF000000u | ((x + 2 * frame) & 255) << 16 | ((y + frame) & 255) << 8 | ((x ^ y) & 255);
    if (wptr + 64 > RING_WORDS) wptr = 0; /* 2048 is a multiple of 64: the swaps tile the ring */
    VdSwap(&ring[wptr], fetch, &write_back, system_buffer, &identifier, &fb_phys, &format, &color_space, &width,
           &height);
    wptr = (wptr + 64) % RING_WORDS;
    *CP_RB_WPTR = wptr;
  }
  DbgPrint("pattern: %u frames presented\n", frame);
  return 0;
}
