// GuestCalls: the one path by which the kernel calls guest routines (kernel/xboxkrnl/guest_calls.h).
#include <catch2/catch.hpp>

#include "cpu/sched/guest_thread.h"
#include "kernel/xboxkrnl/guest_calls.h"

using hexad::cpu::sched::GuestThread;
using namespace hexad::kernel;

namespace {
GuestThread make_thread(uint32_t tid) {
  GuestThread t;
  t.tid = tid;
  t.ctx = std::make_unique<hexad::cpu::ThreadContext>();
  hexad::cpu::reset_context(*t.ctx, nullptr, false);
  auto& c = *t.ctx;
  c.pc = 0x82001234;
  c.lr = 0x82005678;
  c.stop_pc = 0xBCBC0000;
  c.gpr[1] = 0x7000F0F8;
  c.gpr[3] = 0xC0;
  c.gpr[14] = 0x1414;
  c.ctr = 99;
  c.fpr[1] = 0x3FF0000000000000ull;
  c.set_cr_word(0x12345678);
  c.set_xer(0xE000007F);
  return t;
}
}  // namespace

TEST_CASE("a guest call runs the routine with its arguments below the frame's stack and returns to the sentinel") {
  GuestThread t = make_thread(3);
  GuestCalls calls;
  calls.begin(t);
  calls.call(t, 0x82009000, {1, 2, 3, 4, 5});
  const auto& c = *t.ctx;
  CHECK(c.pc == 0x82009000);
  CHECK(c.gpr[3] == 1);
  CHECK(c.gpr[7] == 5);
  CHECK(c.lr == kGuestCallReturn);
  CHECK(c.stop_pc == kGuestCallReturn);
  CHECK(c.gpr[1] == ((0x7000F0F8u - kGuestCallStackGap) & ~15u));
  CHECK(c.gpr[1] % 16 == 0);
  CHECK(calls.depth(3) == 1);
}

TEST_CASE("ending a sequence restores every saved register, whatever the routines did") {
  GuestThread t = make_thread(2);
  GuestCalls calls;
  calls.begin(t);
  calls.call(t, 0x82009000, {});
  auto& c = *t.ctx;
  c.gpr[14] = 0;
  c.gpr[1] = 0x1000;  // an unbalanced routine: the next call still starts from the frame's r1
  c.ctr = 0;
  c.fpr[1] = 0;
  c.set_cr_word(0);
  c.set_xer(0);
  calls.call(t, 0x8200A000, {});
  CHECK(c.gpr[1] == ((0x7000F0F8u - kGuestCallStackGap) & ~15u));
  calls.end(t);
  CHECK(c.pc == 0x82001234);
  CHECK(c.lr == 0x82005678);
  CHECK(c.stop_pc == 0xBCBC0000);
  CHECK(c.gpr[1] == 0x7000F0F8);
  CHECK(c.gpr[3] == 0xC0);  // the interrupted kernel call's result
  CHECK(c.gpr[14] == 0x1414);
  CHECK(c.ctr == 99);
  CHECK(c.fpr[1] == 0x3FF0000000000000ull);
  CHECK(c.cr_word() == 0x12345678);
  CHECK(c.xer() == (0xE000007Full & 0xE000007Full));
  CHECK(calls.depth(2) == 0);
}

TEST_CASE("sequences nest and keep their own tags") {
  GuestThread t = make_thread(4);
  GuestCalls calls;
  calls.begin(t, 7);
  calls.call(t, 0x82009000, {});
  t.ctx->pc = 0x82009010;  // inside the outer routine, it opens an inner sequence
  calls.begin(t, 9);
  CHECK(calls.depth(4) == 2);
  CHECK(calls.tag(4) == 9);
  calls.call(t, 0x8200B000, {});
  calls.end(t);
  CHECK(t.ctx->pc == 0x82009010);
  CHECK(t.ctx->stop_pc == kGuestCallReturn);  // back inside the outer call
  CHECK(calls.tag(4) == 7);
  calls.end(t);
  CHECK(t.ctx->pc == 0x82001234);
}

TEST_CASE("a parked thread stops at the kernel entry sentinel and resumes its frame") {
  GuestThread t = make_thread(5);
  GuestCalls calls;
  calls.defer(t);
  CHECK(t.ctx->pc == kKernelEntryPc);
  CHECK(t.ctx->stop_pc == kKernelEntryPc);
  calls.end(t);
  CHECK(t.ctx->pc == 0x82001234);
  calls.drop(5);
  CHECK(calls.depth(5) == 0);
}
