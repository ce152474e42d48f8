// GpuState (src/gpu): what the video exports record.
#include <catch2/catch.hpp>

#include "gpu/gpu_state.h"

using hexad::gpu::Frontbuffer;
using hexad::gpu::GpuState;

TEST_CASE("gpu state - the ring holds 2^(log2 + 3) bytes, and a size past 32 bits records 0") {
  GpuState g;
  g.initialize_ring_buffer(0x1000, 9);
  CHECK(g.ring_base() == 0x1000);
  CHECK(g.ring_log2_size() == 9);
  CHECK(g.ring_size_bytes() == 4096);
  g.initialize_ring_buffer(0x2000, 28);
  CHECK(g.ring_size_bytes() == 0x80000000u);
  g.initialize_ring_buffer(0x2000, 29);
  CHECK(g.ring_size_bytes() == 0);
  g.initialize_ring_buffer(0x2000, 0xFFFFFFFFu);  // log2 + 3 wraps: still no shift past 31
  CHECK(g.ring_size_bytes() == 0);
}

TEST_CASE("gpu state - engines, swaps and the untouched state") {
  GpuState g;
  CHECK_FALSE(g.touched());
  CHECK(g.swap_count() == 0);
  CHECK(g.video_flags() == 3);  // 1280x720 widescreen: widescreen | width >= 1024
  g.initialize_engines();
  g.shutdown_engines();
  g.initialize_engines();
  CHECK(g.engines_initialized());
  CHECK(g.engine_initializations() == 2);
  const uint32_t fetch[6] = {};
  CHECK(g.swap(Frontbuffer{0x1F000000, 1280, 720, 6, 0}, fetch) == "front buffer not mapped");  // not attached
  g.swap(Frontbuffer{0x1F100000, 640, 360, 6, 0}, fetch);
  CHECK(g.swap_count() == 2);
  CHECK(g.last_frame() == nullptr);
  CHECK(g.frames_unreadable() == 2);
  CHECK(g.last_frontbuffer().address == 0x1F100000);
  CHECK(g.last_frontbuffer().height == 360);
}
