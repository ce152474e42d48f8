// Places hand-encoded guest code for the CPU unit tests: the words, then a blr, written even
// into read-only or execute-only pages, with the thread pointed at them and its return address
// set to a sentinel so Interpreter::run stops with StopReason::StopPc when the code returns.
#pragma once
#include <cstdint>
#include <initializer_list>

#include "base/endian.h"
#include "cpu/context.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"

namespace guest_code {

constexpr uint32_t kBlr = 0x4E800020;

// Returns the address just past the blr.
inline uint32_t place(hexad::cpu::Memory& mem, hexad::cpu::Interpreter& interp, hexad::cpu::ThreadContext& t,
                      uint32_t at, std::initializer_list<uint32_t> words, uint32_t return_sentinel) {
  uint32_t a = at;
  auto put = [&](uint32_t w) {
    uint32_t be = hexad::bswap(w);
    mem.write_bytes_raw(a, &be, 4);
    a += 4;
  };
  for (uint32_t w : words) put(w);
  put(kBlr);
  interp.invalidate(at, a - at);
  t.pc = at;
  t.lr = t.stop_pc = return_sentinel;
  return a;
}

}  // namespace guest_code
