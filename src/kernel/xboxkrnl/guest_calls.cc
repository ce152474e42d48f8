#include "kernel/xboxkrnl/guest_calls.h"

#include <algorithm>

#include "base/hexad_error.h"
#include "cpu/sched/guest_thread.h"

namespace hexad::kernel {

std::vector<GuestCalls::Frame>& GuestCalls::frames_of(uint32_t tid) {
  if (tid >= frames_.size()) frames_.resize(tid + 1);
  return frames_[tid];
}

void GuestCalls::begin(cpu::sched::GuestThread& t, uint32_t tag, uint8_t kind) {
  const cpu::ThreadContext& c = *t.ctx;
  Frame f{};
  std::copy(std::begin(c.gpr), std::end(c.gpr), f.gpr);
  std::copy(std::begin(c.fpr), std::end(c.fpr), f.fpr);
  f.lr = c.lr;
  f.ctr = c.ctr;
  f.pc = c.pc;
  f.msr = c.msr;
  f.stop_pc = c.stop_pc;
  f.cr = c.cr_word();
  f.fpscr = c.fpscr;
  f.xer = c.xer();
  f.tag = tag;
  f.kind = kind;
  frames_of(t.tid).push_back(f);
}

void GuestCalls::defer(cpu::sched::GuestThread& t, uint32_t tag, uint8_t kind) {
  begin(t, tag, kind);
  t.ctx->pc = kKernelEntryPc;
  t.ctx->stop_pc = kKernelEntryPc;
}

void GuestCalls::call(cpu::sched::GuestThread& t, uint32_t routine, const std::array<uint32_t, 5>& args) {
  std::vector<Frame>& frames = frames_of(t.tid);
  if (frames.empty()) fail("thread {}: a guest call outside a sequence", t.tid);
  cpu::ThreadContext& c = *t.ctx;
  // Every call of the sequence starts from the frame's stack pointer, so a routine that left r1
  // unbalanced does not move the next one.
  c.gpr[1] = (uint32_t(frames.back().gpr[1]) - kGuestCallStackGap) & ~15u;
  for (size_t i = 0; i < args.size(); ++i) c.gpr[3 + i] = args[i];
  c.pc = routine;
  c.lr = kGuestCallReturn;
  c.stop_pc = kGuestCallReturn;
}

void GuestCalls::end(cpu::sched::GuestThread& t) {
  std::vector<Frame>& frames = frames_of(t.tid);
  if (frames.empty()) fail("thread {}: ends a guest-call sequence it is not in", t.tid);
  const Frame f = frames.back();
  frames.pop_back();
  cpu::ThreadContext& c = *t.ctx;
  std::copy(std::begin(f.gpr), std::end(f.gpr), c.gpr);
  std::copy(std::begin(f.fpr), std::end(f.fpr), c.fpr);
  c.lr = f.lr;
  c.ctr = f.ctr;
  c.pc = f.pc;
  c.msr = f.msr;
  c.stop_pc = f.stop_pc;
  c.set_cr_word(f.cr);
  c.fpscr = f.fpscr;
  c.set_xer(f.xer);
}

uint32_t GuestCalls::tag(uint32_t tid) const {
  return depth(tid) ? frames_[tid].back().tag : 0;
}

uint8_t GuestCalls::kind(uint32_t tid) const { return depth(tid) ? frames_[tid].back().kind : 0; }

void GuestCalls::set_tag(uint32_t tid, uint32_t tag) {
  if (depth(tid)) frames_[tid].back().tag = tag;
}

void GuestCalls::drop(uint32_t tid) {
  if (tid < frames_.size()) frames_[tid].clear();
}

}  // namespace hexad::kernel
