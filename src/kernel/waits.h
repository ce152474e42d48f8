// NT wait semantics over kernel objects: WaitAny / WaitAll (atomic), timeouts on the guest
// clock, and the signal path that satisfies waiters in wait order. Every decision is traced.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "cpu/sched/event_queue.h"
#include "kernel/objects.h"

namespace hexad::cpu::sched {
struct GuestThread;
}

namespace hexad::kernel {

class Kernel;

struct Wait {
  uint64_t seq = 0;
  uint32_t tid = 0;
  bool all = false;
  bool delay = false;      // KeDelayExecutionThread: expiry is success, not a timeout
  bool alertable = false;
  std::vector<KernelObject*> objects;
  std::optional<uint64_t> deadline;  // guest cycle
  cpu::sched::EventId deadline_event;  // its timeout on the scheduler's event queue
};

// Deadlines are events bound to the waiting thread on the scheduler's queue: they expire while
// the thread's home slot is visited, at that slot's clock, in (deadline, wait) order; and idle
// time skips to the earliest one.
class Waits : public cpu::sched::EventClient {
 public:
  explicit Waits(Kernel& k) : k_(k) {}

  // Starts a wait for thread `t`. Returns the status when it completes at once (satisfied, or
  // a zero timeout); otherwise the thread is Blocked and nullopt is returned — its r3 is set
  // when it wakes. `deadline` is an absolute guest cycle, nullopt = infinite.
  std::optional<uint32_t> begin(cpu::sched::GuestThread& t, std::vector<KernelObject*> objects, bool all,
                                std::optional<uint64_t> deadline, bool alertable, std::optional<int64_t> timeout_ns);
  std::optional<uint32_t> delay(cpu::sched::GuestThread& t, uint64_t deadline, int64_t interval_ns, bool alertable);

  // After `o` became (more) signaled: satisfy waiters in wait order while it stays signaled.
  // Returns the tids woken, in wake order.
  std::vector<uint32_t> signal(KernelObject& o, uint32_t actor_tid);

  // A deadline fired: times out the wait of thread `tid` (the payload).
  void on_event(uint64_t tid, uint64_t now) override;
  const Wait* wait_of(uint32_t tid) const;
  bool is_signaled(const KernelObject& o, uint32_t tid) const;

 private:
  bool try_satisfy(Wait& w, uint32_t& status);
  void consume(KernelObject& o, uint32_t tid);
  void finish(Wait& w, uint32_t status, const char* reason, const KernelObject* by, uint32_t actor_tid);
  void block(cpu::sched::GuestThread& t, Wait& w);

  Kernel& k_;
  uint64_t next_seq_ = 1;
  std::map<uint32_t, Wait> waits_;  // by tid: at most one wait per thread
};

}  // namespace hexad::kernel
