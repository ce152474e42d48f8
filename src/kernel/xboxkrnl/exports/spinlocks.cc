// Spinlocks, IRQL and critical regions.
//
// A KSPINLOCK is one guest word (xenia-canary xboxkrnl_threading.cc, X_KSPINLOCK
// prcb_of_owner): 0 when free, else it names its holder. The console stores the holding
// processor's PCR there (one hardware thread holds it at a time, at DISPATCH_LEVEL); hexad has
// no PCR blocks and stores the holder's KTHREAD, which is as unique and as nonzero. Each
// thread has an IRQL (0 passive, 1 APC, 2 DISPATCH), raised and lowered by these exports and
// shown in the exit dump; hexad's scheduler does not change what it does at raised IRQL.
//
// What the console does not survive, and what hexad does instead:
// - a spinlock held by another thread: the console spins. Spinning in guest code would flood
//   the trace and burn guest time for nothing, so the caller waits instead, on a kernel object
//   of type `spinlock` at the lock's address (owner: the holder), until the holder's release
//   hands the lock to it (first come, first served). A spinner whose holder never releases
//   shows in the wedge map. Its IRQL is raised before it waits, as the console raises before
//   it spins.
// - a spinlock the caller holds itself: the console spins forever on its own processor (a
//   debug kernel asserts). The caller faults with a trap at its `sc` (shim.h: guest_trap).
// - raising the IRQL below, or lowering it above, the current one: a bug check on the
//   console; a trap fault here.
// - holding a spinlock when the thread blocks or its quantum ends: the console would deadlock
//   or bug check. Traced as sync.hazard (spinlock_across_block / spinlock_across_quantum) and
//   counted in the dump's "locks" (Kernel::check_spinlocks_held).
// - releasing a spinlock the caller does not hold: the console clears the word anyway; so
//   does hexad, and traces sync.hazard spinlock_unowned_release.
#include <algorithm>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

ThreadRecord& record_of(ExportContext& x) {
  ThreadRecord* rec = x.k.thread_record(x.t.tid);
  if (!rec) throw guest_trap(*x.t.ctx, "the calling thread has no kernel record");
  return *rec;
}

// The kernel object threads wait on while another holds the spinlock at `addr`.
KernelObject& spin_object(ExportContext& x, uint32_t addr) {
  KernelObject* o = x.k.objects().by_handle_or_address(addr);
  if (!o || o->handle) {
    o = &x.k.objects().create(ObjectType::SpinLock, false);
    o->guest_addr = addr;
    x.k.objects().bind_address(*o);
  }
  o->type = ObjectType::SpinLock;
  x.k.name_object(*o, x.name);
  return *o;
}

// Takes the lock for the caller. Held by another thread: the caller waits (nullopt) until the
// holder's release hands the lock to it. `raise_to_dispatch`: KfAcquireSpinLock, which raises
// the IRQL first and returns the old one.
StatusOrBlocked acquire(ExportContext& x, GuestPtr<uint32_t> lock, bool raise_to_dispatch) {
  lock.probe(4, cpu::Access::Write);
  ThreadRecord& me = record_of(x);
  ThreadLockState& st = me.locks;
  const uint32_t word = lock.read();
  if (word == me.kthread_addr || st.holds(lock.addr())) throw guest_trap(*x.t.ctx, "the spinlock is already held by this thread");
  if (st.held == ThreadLockState::kMaxHeld) throw guest_trap(*x.t.ctx, "more spinlocks held at once than hexad tracks");
  const uint8_t old = st.irql;
  if (raise_to_dispatch) st.irql = std::max(st.irql, kDispatchLevel);
  if (word != 0) {
    KernelObject& o = spin_object(x, lock.addr());
    const ThreadRecord* holder = x.k.thread_by_handle_or_kthread(word);
    o.signal_state = 0;
    o.owner_tid = holder ? holder->tid : 0;
    st.spin_waiting = true;
    st.spin_result = raise_to_dispatch ? old : 0;
    KernelObject* const objects[] = {&o};
    StatusOrBlocked r = x.k.waits().begin(x.t, objects, false, std::nullopt, false, std::nullopt);
    st.spin_waiting = !r;
    return r;  // nullopt: it is not signaled, so the wait always blocks
  }
  lock.write(me.kthread_addr);
  st.take(lock.addr());
  return old;
}

// Forgets `lock` in the record that lists it (the caller's, or another thread's when the caller
// releases a lock it does not hold).
void forget(ThreadLockState& st, uint32_t lock) {
  for (uint32_t i = 0; i < st.held; ++i)
    if (st.spinlocks[i] == lock) {
      for (uint32_t j = i + 1; j < st.held; ++j) st.spinlocks[j - 1] = st.spinlocks[j];
      st.spinlocks[--st.held] = 0;
      return;
    }
}

// Frees the lock, or hands it to the first thread waiting for it (in wait order), which
// returns from its acquire holding it.
void release(ExportContext& x, GuestPtr<uint32_t> lock) {
  lock.probe(4, cpu::Access::Write);
  ThreadRecord& me = record_of(x);
  const uint32_t word = lock.read();
  if (word != me.kthread_addr) {
    x.k.lock_hazard(x.t, "spinlock_unowned_release", lock.addr());
    if (ThreadRecord* holder = word ? x.k.thread_by_handle_or_kthread(word) : nullptr) forget(holder->locks, lock.addr());
  }
  forget(me.locks, lock.addr());
  lock.write(0);
  KernelObject* o = x.k.objects().by_handle_or_address(lock.addr());
  if (!o || o->type != ObjectType::SpinLock) return;
  o->owner_tid = 0;
  o->signal_state = 1;
  if (o->waiters.empty()) return;
  x.k.signal(*o, x.t, x.name);
  ThreadRecord* next = o->owner_tid ? x.k.thread_record(o->owner_tid) : nullptr;
  cpu::sched::GuestThread* t = next ? x.k.sched().find(next->tid) : nullptr;
  if (!t) return;
  lock.write(next->kthread_addr);
  next->locks.take(lock.addr());
  next->locks.spin_waiting = false;
  t->ctx->gpr[3] = next->locks.spin_result;  // its acquire's result (the wait wrote a status)
}

uint8_t raise_irql(ExportContext& x, uint32_t new_irql) {
  ThreadLockState& st = record_of(x).locks;
  if (new_irql < st.irql || new_irql > 31) throw guest_trap(*x.t.ctx, "KfRaiseIrql to a lower or invalid IRQL (IRQL_NOT_GREATER_OR_EQUAL)");
  const uint8_t old = st.irql;
  st.irql = uint8_t(new_irql);
  return old;
}

void lower_irql(ExportContext& x, uint32_t new_irql) {
  ThreadLockState& st = record_of(x).locks;
  if (new_irql > st.irql) throw guest_trap(*x.t.ctx, "KfLowerIrql to a higher IRQL (IRQL_NOT_LESS_OR_EQUAL)");
  st.irql = uint8_t(new_irql);
}

HEXAD_EXPORTS_BEGIN;

// -> the IRQL before (the caller hands it back to KfReleaseSpinLock).
StatusOrBlocked KfAcquireSpinLock(ExportContext& x, GuestPtr<uint32_t> lock) { return acquire(x, lock, true); }
HEXAD_EXPORT(xboxkrnl, 0x00B1, KfAcquireSpinLock, Implemented);

// Void on the console, 0 in r3 here. Lowers the IRQL to `old_irql`.
uint32_t KfReleaseSpinLock(ExportContext& x, GuestPtr<uint32_t> lock, uint32_t old_irql) {
  release(x, lock);
  lower_irql(x, old_irql & 0xFF);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x00B4, KfReleaseSpinLock, Implemented);

// Void on the console; 0 in r3 here once taken. The IRQL stays as it is.
StatusOrBlocked KeAcquireSpinLockAtRaisedIrql(ExportContext& x, GuestPtr<uint32_t> lock) {
  StatusOrBlocked r = acquire(x, lock, false);
  return r ? StatusOrBlocked(0) : std::nullopt;
}
HEXAD_EXPORT(xboxkrnl, 0x004D, KeAcquireSpinLockAtRaisedIrql, Implemented);

// -> TRUE when taken; FALSE at once when another thread holds it (no wait).
uint32_t KeTryToAcquireSpinLockAtRaisedIrql(ExportContext& x, GuestPtr<uint32_t> lock) {
  lock.probe(4, cpu::Access::Write);
  if (lock.read() != 0 && lock.read() != record_of(x).kthread_addr) return 0;
  acquire(x, lock, false);  // free: taken at once (held by the caller: a trap)
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x00AE, KeTryToAcquireSpinLockAtRaisedIrql, Implemented);

uint32_t KeReleaseSpinLockFromRaisedIrql(ExportContext& x, GuestPtr<uint32_t> lock) {
  release(x, lock);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0089, KeReleaseSpinLockFromRaisedIrql, Implemented);

// -> the IRQL before.
uint32_t KeRaiseIrqlToDpcLevel(ExportContext& x) {
  ThreadLockState& st = record_of(x).locks;
  const uint8_t old = st.irql;
  st.irql = std::max(st.irql, kDispatchLevel);
  return old;
}
HEXAD_EXPORT(xboxkrnl, 0x0085, KeRaiseIrqlToDpcLevel, Implemented);

uint32_t KfRaiseIrql(ExportContext& x, uint32_t new_irql) { return raise_irql(x, new_irql & 0xFF); }
HEXAD_EXPORT(xboxkrnl, 0x00B2, KfRaiseIrql, Implemented);

// Void on the console, 0 in r3 here.
uint32_t KfLowerIrql(ExportContext& x, uint32_t new_irql) {
  lower_irql(x, new_irql & 0xFF);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x00B3, KfLowerIrql, Implemented);

// Kernel APCs off for the thread (KTHREAD.KernelApcDisable); hexad queues no kernel APCs to
// guest threads, so only the depth is kept (shown in the dump). Void on the console, 0 here.
uint32_t KeEnterCriticalRegion(ExportContext& x) {
  ++record_of(x).locks.critical_region;
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x005F, KeEnterCriticalRegion, Implemented);

// Unbalanced leaves are not checked on the console: the depth goes negative, as shown.
uint32_t KeLeaveCriticalRegion(ExportContext& x) {
  --record_of(x).locks.critical_region;
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x007D, KeLeaveCriticalRegion, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> spinlock_exports() { return kAreaExports; }

}  // namespace hexad::kernel
