#include "kernel/xboxkrnl/deferred.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

using cpu::sched::GuestThread;
using cpu::sched::ThreadState;

namespace {
constexpr uint32_t kDpcThreadStack = 64 * 1024;
// The GuestCalls tag of a sequence of owed calls (call_on_return); APC sequences tag a KAPC's
// address or 0, never 1.
constexpr uint32_t kOwedCallsTag = 1;
constexpr int32_t kDpcThreadPriority = 31;  // above every title thread: a DPC runs at the slot's next pick
}  // namespace

int Deferred::dpc_slot_of(uint32_t tid) const {
  for (uint32_t s = 0; s < cpu::sched::kSlotCount; ++s)
    if (tid && dpc_threads_[s] == tid) return int(s);
  return -1;
}

bool Deferred::queue_dpc(uint32_t dpc, uint32_t arg1, uint32_t arg2, uint8_t slot) {
  for (const auto& q : dpcs_)
    for (const QueuedDpc& d : q)
      if (!d.interrupt && d.dpc == dpc) return false;
  cpu::Memory& mem = k_.mem();
  if (!mem.accessible(dpc, kKdpcSize, cpu::kProtRead | cpu::kProtWrite)) return false;
  mem.write32(dpc + 0x14, arg1);
  mem.write32(dpc + 0x18, arg2);
  mem.write8(dpc + 2, slot);  // selected_cpu_number: where it runs
  dpcs_[slot].push_back({dpc, mem.read32(dpc + 0xC), mem.read32(dpc + 0x10), arg1, arg2});
  wake_dpc_thread(slot);  // without a thread the DPC stays queued (the dump shows it) and never runs
  return true;
}

bool Deferred::queue_interrupt(uint8_t slot, const char* reason, uint32_t routine, uint32_t arg1, uint32_t arg2) {
  if (!wake_dpc_thread(slot)) return false;
  dpcs_[slot].push_back({0, routine, 0, arg1, arg2, reason});
  return true;
}

bool Deferred::wake_dpc_thread(uint8_t slot) {
  if (!dpc_threads_[slot]) {
    GuestThread* t = k_.create_thread(kKernelEntryPc, 0, 0, kDpcThreadStack, uint8_t(1u << slot), kDpcThreadPriority,
                                      false, false);
    if (!t) {
      std::fprintf(stderr, "hexad: no memory for slot %u's DPC thread: its DPCs do not run\n", slot);
      return false;
    }
    t->ctx->stop_pc = kKernelEntryPc;  // it has no code of its own: each run stops here at once
    dpc_threads_[slot] = t->tid;
    ThreadRecord* rec = k_.thread_record(t->tid);
    rec->key = fmt::format("kernel/dpc@slot{}", slot);
    rec->object->key = "thread:" + rec->key;
  } else if (dpc_idle_[slot]) {
    dpc_idle_[slot] = false;
    if (GuestThread* t = k_.sched().find(dpc_threads_[slot])) k_.sched().make_ready(*t);
  }
  return true;
}

bool Deferred::remove_dpc(uint32_t dpc) {
  for (auto& q : dpcs_) {
    auto it = std::find_if(q.begin(), q.end(), [&](const QueuedDpc& d) { return !d.interrupt && d.dpc == dpc; });
    if (it != q.end()) {
      q.erase(it);
      return true;
    }
  }
  return false;
}

// `t`, the DPC thread of `slot`, is Running at a sentinel: it calls the next queued DPC, or ends
// its sequence and blocks until a DPC is queued.
void Deferred::next_dpc(GuestThread& t, uint8_t slot) {
  if (dpcs_[slot].empty()) {
    if (calls_.depth(t.tid)) calls_.end(t);
    dpc_idle_[slot] = true;
    k_.sched().block(t);
    return;
  }
  const QueuedDpc d = dpcs_[slot].front();
  dpcs_[slot].pop_front();
  if (!calls_.depth(t.tid)) calls_.begin(t);
  if (d.interrupt) {
    k_.trace().emit(k_.where(t), trace::KernelCall{d.interrupt, d.routine, d.arg1, d.arg2, 0});
    calls_.call(t, d.routine, {d.arg1, d.arg2, 0, 0, 0});
    return;
  }
  k_.trace().emit(k_.where(t), trace::DpcRun{d.dpc, d.routine, d.context, d.arg1, d.arg2});
  calls_.call(t, d.routine, {d.dpc, d.context, d.arg1, d.arg2, 0});
}

bool Deferred::queue_apc(uint32_t tid, const Apc& apc, uint32_t actor_tid) {
  GuestThread* t = k_.sched().find(tid);
  if (!t || !t->alive()) return false;
  if (tid >= apcs_.size()) apcs_.resize(tid + 1);
  apcs_[tid].push_back(apc);
  if (apc.kapc && k_.mem().accessible(apc.kapc, kKapcSize, cpu::kProtWrite)) k_.mem().write8(apc.kapc + 3, 1);
  k_.waits().alert(*t, actor_tid);
  return true;
}

bool Deferred::remove_apc(uint32_t kapc) {
  for (auto& q : apcs_) {
    auto it = std::find_if(q.begin(), q.end(), [&](const Apc& a) { return a.kapc == kapc; });
    if (it != q.end()) {
      q.erase(it);
      if (k_.mem().accessible(kapc, kKapcSize, cpu::kProtWrite)) k_.mem().write8(kapc + 3, 0);
      return true;
    }
  }
  return false;
}

bool Deferred::apc_queued(uint32_t kapc) const {
  for (const auto& q : apcs_)
    for (const Apc& a : q)
      if (a.kapc == kapc) return true;
  return false;
}

void Deferred::deliver_after_call(uint32_t tid) {
  if (tid >= deliver_after_call_.size()) deliver_after_call_.resize(tid + 1);
  deliver_after_call_[tid] = 1;
}

void Deferred::deliver_when_running(GuestThread& t) { calls_.defer(t); }

void Deferred::call_on_return(uint32_t tid, const char* reason, uint32_t routine, const std::array<uint32_t, 3>& args) {
  if (tid >= pending_.size()) pending_.resize(tid + 1);
  pending_[tid].calls.push_back({reason, routine, args});
}

void Deferred::then_on_return(uint32_t tid, AfterCalls then) {
  if (tid >= pending_.size()) pending_.resize(tid + 1);
  pending_[tid].then = std::move(then);
}

// `t` is Running in its innermost sequence of owed calls: it calls the next, or ends the
// sequence (the export's return value is back in r3) and runs what follows them.
void Deferred::next_owed(GuestThread& t) {
  Owed& o = owed_[t.tid].back();
  if (!o.calls.empty()) {
    const OwedCall c = o.calls.front();
    o.calls.pop_front();
    k_.trace().emit(k_.where(t), trace::KernelCall{c.reason, c.routine, c.args[0], c.args[1], c.args[2]});
    calls_.call(t, c.routine, {c.args[0], c.args[1], c.args[2], 0, 0});
    return;
  }
  const AfterCalls then = std::move(o.then);
  owed_[t.tid].pop_back();
  calls_.end(t);
  if (then) then(k_, t);
}

void Deferred::after_kernel_call(GuestThread& t) {
  if (t.tid < pending_.size() && (!pending_[t.tid].calls.empty() || pending_[t.tid].then)) {
    Owed owed = std::move(pending_[t.tid]);
    pending_[t.tid] = {};
    if (t.state() == ThreadState::Running) {  // (a call that blocked or ended its thread owes nothing)
      if (t.tid >= owed_.size()) owed_.resize(t.tid + 1);
      owed_[t.tid].push_back(std::move(owed));
      calls_.begin(t, kOwedCallsTag);  // the frame holds the export's return value in r3
      next_owed(t);
      return;
    }
  }
  if (t.tid >= deliver_after_call_.size() || !deliver_after_call_[t.tid]) return;
  deliver_after_call_[t.tid] = 0;
  if (t.state() != ThreadState::Running) return;
  calls_.begin(t);  // the frame holds the wait's STATUS_USER_APC in r3
  next_apc(t);
}

// `t` is Running inside its APC sequence: the normal routine of a KAPC whose kernel routine just
// returned (the sequence's tag), else the next queued APC, else the sequence ends and the wait
// returns STATUS_USER_APC.
void Deferred::next_apc(GuestThread& t) {
  cpu::Memory& mem = k_.mem();
  if (const uint32_t kapc = calls_.tag(t.tid)) {
    calls_.set_tag(t.tid, 0);
    // The kernel routine may have changed or cleared the normal routine and its arguments.
    if (mem.accessible(kapc, kKapcSize, cpu::kProtRead)) {
      const uint32_t normal = mem.read32(kapc + 24), context = mem.read32(kapc + 28);
      const uint32_t arg1 = mem.read32(kapc + 32), arg2 = mem.read32(kapc + 36);
      if (normal) {
        k_.trace().emit(k_.where(t), trace::ApcDeliver{kapc, "normal", normal, context, arg1, arg2});
        calls_.call(t, normal, {context, arg1, arg2, 0, 0});
        return;
      }
    }
  }
  if (t.tid < apcs_.size() && !apcs_[t.tid].empty()) {
    const Apc a = apcs_[t.tid].front();
    apcs_[t.tid].pop_front();
    if (a.kapc && mem.accessible(a.kapc, kKapcSize, cpu::kProtWrite)) mem.write8(a.kapc + 3, 0);  // no longer inserted
    if (a.kernel_routine) {
      calls_.set_tag(t.tid, a.kapc);
      k_.trace().emit(k_.where(t), trace::ApcDeliver{a.kapc, "kernel", a.kernel_routine, a.context, a.arg1, a.arg2});
      calls_.call(t, a.kernel_routine, {a.kapc, a.kapc + 24, a.kapc + 28, a.kapc + 32, a.kapc + 36});
      return;
    }
    k_.trace().emit(k_.where(t), trace::ApcDeliver{a.kapc, "normal", a.normal_routine, a.context, a.arg1, a.arg2});
    calls_.call(t, a.normal_routine, {a.context, a.arg1, a.arg2, 0, 0});
    return;
  }
  calls_.end(t);
}

void Deferred::on_sentinel(GuestThread& t) {
  const int slot = dpc_slot_of(t.tid);
  if (slot >= 0) {
    next_dpc(t, uint8_t(slot));
    return;
  }
  if (calls_.tag(t.tid) == kOwedCallsTag) {
    next_owed(t);
    return;
  }
  next_apc(t);
}

void Deferred::thread_gone(uint32_t tid) {
  calls_.drop(tid);
  if (tid < apcs_.size()) apcs_[tid].clear();
  if (tid < deliver_after_call_.size()) deliver_after_call_[tid] = 0;
  if (tid < owed_.size()) owed_[tid].clear();
  if (tid < pending_.size()) pending_[tid] = {};
}

}  // namespace hexad::kernel
