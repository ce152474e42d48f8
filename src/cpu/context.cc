#include "cpu/context.h"

namespace hexad::cpu {

void reset_context(ThreadContext& ctx, Memory* mem, bool sixty_four_bit) {
  ctx = ThreadContext{};
  ctx.mem = mem;
  ctx.set_sf(sixty_four_bit);
}

}  // namespace hexad::cpu
