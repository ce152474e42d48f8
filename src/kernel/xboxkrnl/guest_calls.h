// The one path by which the kernel runs guest code of its own choosing on a guest thread: a DPC
// routine on its slot's DPC thread, an APC's kernel and normal routines on the APC's target.
//
// A *sequence* of calls runs on a thread between two of its kernel boundaries. begin() saves the
// registers the thread will resume with (a frame); call() makes the thread call a routine, with
// the arguments in r3..r7, a stack below the frame's r1, and LR = kGuestCallReturn, an address
// that is never mapped and is the thread's stop_pc while it is in a sequence. When the routine
// returns there, the CPU stops (StopReason::StopPc) and the kernel (Kernel::on_thread_return)
// either calls the next routine or end()s the sequence, restoring the frame. Sequences nest (an
// APC routine may make an alertable wait that delivers more APCs): frames are a stack per thread.
//
// A sequence is begun only at a kernel boundary of a thread that is Running (the kernel call it
// made, or a stop at a sentinel). For a thread that is not Running (woken from a wait to deliver
// APCs), defer() saves the frame and parks the thread at kKernelEntryPc: when it next runs it
// stops there at once, having run nothing, and the kernel goes on from that very moment — so
// every routine starts, and is traced, on the slot and at the guest time it actually runs.
//
// Registers saved: GPRs, FPRs, LR, CTR, CR, XER, FPSCR, MSR, pc and stop_pc. VMX registers are
// not: a sequence begins only at a kernel call or a sentinel, where the console ABI treats the
// volatile vector registers as dead and the routines preserve the non-volatile ones.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hexad::cpu::sched {
struct GuestThread;
}

namespace hexad::kernel {

constexpr uint32_t kGuestCallReturn = 0xBCBC0010;  // LR of a kernel-made call; never mapped
constexpr uint32_t kKernelEntryPc = 0xBCBC0020;    // a parked thread traps here at once; never mapped
// The routine's stack starts this far below the interrupted code's r1 (more than any red zone).
constexpr uint32_t kGuestCallStackGap = 512;

class GuestCalls {
 public:
  // Saves `t`'s registers as the frame the sequence ends with. `tag` is the sequence's own datum
  // (GuestCalls keeps it with the frame: tag() / set_tag()); `kind`, fixed for the sequence, says
  // what it is for (the caller's own numbering: kind()).
  void begin(cpu::sched::GuestThread& t, uint32_t tag = 0, uint8_t kind = 0);
  // As begin(), for a thread that is not Running: it stops at kKernelEntryPc when it next runs.
  void defer(cpu::sched::GuestThread& t, uint32_t tag = 0, uint8_t kind = 0);
  // Makes `t` (in a sequence) call routine(args[0..4]); it starts at the thread's next run.
  void call(cpu::sched::GuestThread& t, uint32_t routine, const std::array<uint32_t, 5>& args);
  // Ends the innermost sequence: the thread resumes with the frame's registers.
  void end(cpu::sched::GuestThread& t);
  size_t depth(uint32_t tid) const { return tid < frames_.size() ? frames_[tid].size() : 0; }
  uint32_t tag(uint32_t tid) const;
  uint8_t kind(uint32_t tid) const;  // the innermost sequence's kind (0 outside any)
  void set_tag(uint32_t tid, uint32_t tag);
  // The thread exited or faulted inside a sequence: its frames are dropped.
  void drop(uint32_t tid);

 private:
  struct Frame {
    uint64_t gpr[32];
    uint64_t fpr[32];
    uint64_t lr, ctr, pc, msr, stop_pc;
    uint32_t cr, fpscr;
    uint64_t xer;
    uint32_t tag;
    uint8_t kind;
  };
  std::vector<Frame>& frames_of(uint32_t tid);
  std::vector<std::vector<Frame>> frames_;  // by tid
};

}  // namespace hexad::kernel
