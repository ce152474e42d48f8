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
constexpr uint8_t kKernelModeWait = 0, kUserModeWait = 1;
// A wait export's KPROCESSOR_MODE argument (a byte): 0 is KernelMode, anything else UserMode.
inline uint8_t wait_mode(uint32_t mode) { return (mode & 0xFF) ? kUserModeWait : kKernelModeWait; }

struct Wait {
  uint64_t seq = 0;
  uint32_t tid = 0;
  bool all = false;
  bool delay = false;      // KeDelayExecutionThread: expiry is success, not a timeout
  bool alertable = false;
  uint8_t mode = 0;        // the KPROCESSOR_MODE it waits in: 0 kernel, 1 user (alerts need it)
  std::vector<KernelObject*> objects;  // capacity kept between the thread's waits
  std::optional<uint64_t> deadline;  // guest cycle
  bool active = false;               // the thread is blocked in this wait
  // Re-run from its `sc` when the thread resumes (a suspension aborts it): only the wait
  // exports, whose second run is the same wait; an I/O completion delay is not restartable.
  bool restartable = false;
  // Aborted by a suspension: the next kernel call of the thread is the re-issued wait, which
  // keeps the aborted wait's deadline (NT recomputes the remaining timeout on a re-wait).
  bool reissue = false;
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
                                std::optional<uint64_t> deadline, bool alertable, std::optional<int64_t> timeout_ns,
                                uint8_t mode = kKernelModeWait);
  // KeDelayExecutionThread; `deadline` nullopt: an interval too long to ever end (blocks for good).
  enum class Restart : uint8_t { No, Yes };
  std::optional<uint32_t> delay(cpu::sched::GuestThread& t, std::optional<uint64_t> deadline, int64_t interval_ns,
                                bool alertable, Restart restart = Restart::No, uint8_t mode = kKernelModeWait);

  // NtSuspendThread on thread `t` blocked in a restartable wait (NT's suspend APC, a kernel APC,
  // breaks any wait): the wait ends with STATUS_KERNEL_APC (traced as wake.requested with reason
  // `suspend` by `actor`, then wait.end), leaves its objects' wait lists, so their signals go to
  // other waiters, and the thread is set back to its `sc`: on resume it runs the wait export
  // again (a second import.call), with the aborted wait's deadline. Other waits are left alone:
  // the thread is suspended when they end.
  void abort_for_suspend(cpu::sched::GuestThread& t, cpu::sched::GuestThread& actor);
  // A kernel-mode APC queued to `t` blocked in a restartable wait (NT delivers kernel APCs even in
  // non-alertable waits): the wait ends as for a suspension (wake.requested reason `kernel_apc`,
  // wait.end STATUS_KERNEL_APC, the thread set back to its `sc` and made Ready), but its deadline
  // is handed back rather than armed, so the APC routines' own waits do not take it: Deferred
  // arms it (arm_reissue) when the APCs have run, and the re-issued wait keeps it. nullopt: `t`
  // is in no restartable wait (nothing changed).
  struct Reissue {
    std::optional<uint64_t> deadline;
  };
  std::optional<Reissue> abort_for_kernel_apc(cpu::sched::GuestThread& t, uint32_t actor_tid);
  void arm_reissue(uint32_t tid, const Reissue& r);
  // KeAlertThread / KeAlertResumeThread: `t` is blocked in an alertable wait whose mode is at
  // least `alert_mode` (NT: AlertMode <= WaitMode): it ends with STATUS_ALERTED (wake.requested
  // reason `alert` by `actor_tid`) and true is returned; false: nothing changed.
  bool alert_waiting(cpu::sched::GuestThread& t, uint8_t alert_mode, uint32_t actor_tid);
  // After each kernel call of `tid`: a pending re-issue is used up by it.
  void end_reissue(uint32_t tid);
  // True while `tid`'s aborted wait waits to be re-issued (the dump's "wait_reissued_on_resume").
  bool reissue_pending(uint32_t tid) const { return tid < by_tid_.size() && by_tid_[tid] && by_tid_[tid]->reissue; }

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
  // Takes an ending wait off its objects' wait lists and cancels its deadline; not active after.
  void detach(Wait& w);
  void finish(Wait& w, uint32_t status, trace::WakeReason reason, const KernelObject* by, uint32_t actor_tid);
  // The thread's wait record (allocated on its first wait, reused after); not yet active.
  Wait& record_for(uint32_t tid);
  // For a re-issued wait: the aborted wait's deadline replaces the one just computed (and the
  // traced timeout becomes what remains of it).
  void apply_reissue(Wait& w, std::optional<uint64_t>& deadline, std::optional<int64_t>& timeout_ns);
  void emit_begin(cpu::sched::GuestThread& t, const Wait& w, std::optional<int64_t> timeout_ns);
  void block(cpu::sched::GuestThread& t, Wait& w);
  // An alertable wait begun by an alerted thread, or with user APCs queued, ends at once with
  // STATUS_ALERTED or STATUS_USER_APC (NT's KiCheckAlertability order); nullopt: it does not.
  std::optional<uint32_t> alerted_at_once(cpu::sched::GuestThread& t, const Wait& w);
  // Detaches an active restartable wait and sets its thread back to the `sc` (both aborts).
  void abort_to_reissue(cpu::sched::GuestThread& t, Wait& w, uint32_t actor_tid, trace::WakeReason why);

  Kernel& k_;
  uint64_t next_seq_ = 1;
  std::vector<std::unique_ptr<Wait>> by_tid_;            // at most one wait per thread; stable addresses
  std::vector<uint32_t> woken_;                          // signal()'s result, reused
};

}  // namespace hexad::kernel
