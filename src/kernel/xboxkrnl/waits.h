// NT wait semantics over kernel objects: WaitAny / WaitAll (atomic), timeouts on the guest
// clock, and the signal path that satisfies waiters in wait order. Every decision is traced.
#pragma once
#include <cstdint>
#include <optional>
#include <memory>
#include <span>
#include <vector>

#include "cpu/sched/event_queue.h"
#include "kernel/xboxkrnl/objects.h"
#include "trace/events.h"

namespace hexad::cpu::sched {
struct GuestThread;
}

namespace hexad::kernel {

class Kernel;

constexpr uint32_t kMaxWaitObjects = 64;  // MAXIMUM_WAIT_OBJECTS

struct Wait {
  uint64_t seq = 0;
  uint32_t tid = 0;
  bool all = false;
  bool delay = false;      // KeDelayExecutionThread: expiry is success, not a timeout
  bool alertable = false;
  std::vector<KernelObject*> objects;  // capacity kept between the thread's waits
  std::optional<uint64_t> deadline;  // guest cycle
  bool active = false;               // the thread is blocked in this wait
  cpu::sched::EventId deadline_event;  // its timeout on the scheduler's event queue
};

// Deadlines are events of the waiting thread on the scheduler's queue: they expire at their
// cycle in guest-time order, equal deadlines in wait order; and idle time skips to the earliest.
class Waits : public cpu::sched::EventClient {
 public:
  explicit Waits(Kernel& k) : k_(k) {}

  // Starts a wait for thread `t`. Returns the status when it completes at once (satisfied, or
  // a zero timeout); otherwise the thread is Blocked and nullopt is returned — its r3 is set
  // when it wakes. `deadline` is an absolute guest cycle, nullopt = infinite.
  // At most kMaxWaitObjects objects (the callers check).
  std::optional<uint32_t> begin(cpu::sched::GuestThread& t, std::span<KernelObject* const> objects, bool all,
                                std::optional<uint64_t> deadline, bool alertable, std::optional<int64_t> timeout_ns);
  // KeDelayExecutionThread; `deadline` nullopt: an interval too long to ever end (blocks for good).
  std::optional<uint32_t> delay(cpu::sched::GuestThread& t, std::optional<uint64_t> deadline, int64_t interval_ns,
                                bool alertable);

  // After `o` became (more) signaled: satisfy waiters in wait order while it stays signaled.
  // Returns the tids woken, in wake order (valid until the next signal).
  std::span<const uint32_t> signal(KernelObject& o, uint32_t actor_tid);

  // A user APC was queued to `t` (deferred.h): an alertable wait it is blocked in ends with
  // STATUS_USER_APC (wake.requested reason "alert"), and its APCs run when it next runs.
  void alert(cpu::sched::GuestThread& t, uint32_t actor_tid);

  // A deadline fired: times out the wait of thread `tid` (the payload).
  void on_event(uint64_t tid, uint64_t now) override;
  const Wait* wait_of(uint32_t tid) const;

 private:
  bool try_satisfy(Wait& w, uint32_t& status);
  // Consumes `o` for a satisfied wait of `tid` and mirrors it; true: an abandoned mutant.
  bool acquire(KernelObject& o, uint32_t tid);
  void finish(Wait& w, uint32_t status, trace::WakeReason reason, const KernelObject* by, uint32_t actor_tid);
  // The thread's wait record (allocated on its first wait, reused after); not yet active.
  Wait& record_for(uint32_t tid);
  void emit_begin(cpu::sched::GuestThread& t, const Wait& w, std::optional<int64_t> timeout_ns);
  void block(cpu::sched::GuestThread& t, Wait& w);
  // An alertable wait begun with user APCs queued: it ends at once with STATUS_USER_APC.
  std::optional<uint32_t> alerted_at_once(cpu::sched::GuestThread& t, const Wait& w);

  Kernel& k_;
  uint64_t next_seq_ = 1;
  std::vector<std::unique_ptr<Wait>> by_tid_;            // at most one wait per thread; stable addresses
  std::vector<uint32_t> woken_;                          // signal()'s result, reused
};

}  // namespace hexad::kernel
