// Dispatcher object semantics: each class on its own (no guest), then the kernel's one signal
// path (Kernel::signal) with threads blocked in waits, checked through the trace (a ring sink)
// and the guest header's SignalState.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "kernel/xboxkrnl/kernel.h"
#include "kernel/xboxkrnl/object_classes.h"
#include "trace/ring_sink.h"

namespace {

using namespace hexad::kernel;
using hexad::cpu::sched::GuestThread;
using hexad::cpu::sched::ThreadState;

KernelObject object(ObjectType type, int32_t state, uint32_t owner = 0) {
  KernelObject o;
  o.type = type;
  o.signal_state = state;
  o.owner_tid = owner;
  return o;
}

std::string describe(const KernelObject& o) {
  nlohmann::ordered_json s;
  o.cls().describe(o, s);
  return s.dump();
}

}  // namespace

TEST_CASE("object classes name their types as the trace does") {
  CHECK(std::string(object_class(ObjectType::NotificationEvent).name()) == "event.notification");
  CHECK(std::string(object_class(ObjectType::SynchronizationEvent).name()) == "event.synchronization");
  CHECK(std::string(object_class(ObjectType::Semaphore).name()) == "semaphore");
  CHECK(std::string(object_class(ObjectType::Mutant).name()) == "mutant");
  CHECK(std::string(object_class(ObjectType::Thread).name()) == "thread");
  CHECK(std::string(object_type_name(ObjectType::Mutant)) == "mutant");
}

TEST_CASE("a notification event stays signaled for every waiter") {
  KernelObject o = object(ObjectType::NotificationEvent, 0);
  CHECK_FALSE(o.cls().is_signaled(o, 1));
  o.signal_state = 1;
  CHECK(o.cls().is_signaled(o, 1));
  CHECK_FALSE(o.cls().consume(o, 1));
  CHECK(o.cls().is_signaled(o, 2));
  CHECK(o.signal_state == 1);
  CHECK(describe(o) == R"({"signaled":true})");
}

TEST_CASE("a synchronization event is cleared by the wait it satisfies") {
  KernelObject o = object(ObjectType::SynchronizationEvent, 1);
  CHECK(o.cls().is_signaled(o, 1));
  CHECK_FALSE(o.cls().consume(o, 1));
  CHECK(o.signal_state == 0);
  CHECK_FALSE(o.cls().is_signaled(o, 2));
  CHECK(describe(o) == R"({"signaled":false})");
}

TEST_CASE("a semaphore gives one unit per satisfied wait") {
  KernelObject o = object(ObjectType::Semaphore, 2);
  o.limit = 5;
  CHECK(describe(o) == R"({"signaled":true,"count":2,"max":5})");
  CHECK_FALSE(o.cls().consume(o, 1));
  CHECK(o.cls().is_signaled(o, 3));
  CHECK_FALSE(o.cls().consume(o, 3));
  CHECK(o.signal_state == 0);
  CHECK_FALSE(o.cls().is_signaled(o, 1));
  CHECK(describe(o) == R"({"signaled":false,"count":0,"max":5})");
}

TEST_CASE("a thread object is signaled once exited and waits take nothing") {
  KernelObject o = object(ObjectType::Thread, 0, 4);
  CHECK_FALSE(o.cls().is_signaled(o, 4));  // not even for itself
  o.signal_state = 1;
  CHECK_FALSE(o.cls().consume(o, 2));
  CHECK(o.cls().is_signaled(o, 3));
  CHECK(describe(o) == R"({"signaled":true})");
}

TEST_CASE("a mutant is owned recursively and only its owner passes while owned") {
  KernelObject o = object(ObjectType::Mutant, 1);
  CHECK(describe(o) == R"({"signaled":true,"owner":null,"abandoned":false})");
  CHECK(o.cls().is_signaled(o, 7));
  CHECK_FALSE(o.cls().consume(o, 7));
  CHECK(o.owner_tid == 7);
  CHECK(o.signal_state == 0);
  CHECK_FALSE(o.cls().is_signaled(o, 8));
  CHECK(o.cls().is_signaled(o, 7));  // recursive acquisition by the owner
  CHECK_FALSE(o.cls().consume(o, 7));
  CHECK(o.signal_state == -1);
  CHECK(describe(o) == R"({"signaled":false,"owner":7,"abandoned":false})");
}

TEST_CASE("an abandoned mutant reports abandonment to its next acquirer only") {
  KernelObject o = object(ObjectType::Mutant, -2, 7);  // owned three deep when its owner exits
  MutantClass::abandon(o);
  CHECK(describe(o) == R"({"signaled":true,"owner":null,"abandoned":true})");
  CHECK(o.cls().is_signaled(o, 8));
  CHECK(o.cls().consume(o, 8));  // abandoned: STATUS_ABANDONED_WAIT_0
  CHECK(o.owner_tid == 8);
  CHECK_FALSE(o.abandoned);
  o.signal_state = 1;
  o.owner_tid = 0;
  CHECK_FALSE(o.cls().consume(o, 9));  // told once
}

namespace {

// A kernel with no title: threads are created directly and waits begun as an export would.
struct KernelRig {
  hexad::cpu::Memory mem;
  hexad::cpu::Interpreter cpu{mem};
  hexad::trace::RingSink ring{64};
  hexad::trace::Tracer tracer{ring};
  Kernel k{mem, cpu, hexad::cpu::sched::SchedulerOptions{}, tracer, nullptr, false};

  GuestThread& thread() {
    GuestThread* t = k.create_thread(0x82000000, 0, 0, 0x4000, hexad::cpu::sched::kAllSlots, 8, false, false);
    REQUIRE(t);
    return *t;
  }
  KernelObject& make(ObjectType type, int32_t state) {
    KernelObject& o = k.objects().create(type, true);
    o.signal_state = state;
    o.guest_addr = k.alloc_object_header();
    k.objects().init_guest_header(o);
    return o;
  }
  int32_t header_state(const KernelObject& o) { return int32_t(mem.read32(o.guest_addr + 4)); }
  std::optional<uint32_t> wait(GuestThread& t, KernelObject& o) {
    KernelObject* objs[] = {&o};
    return k.waits().begin(t, objs, false, std::nullopt, false, std::nullopt);
  }
  // The kinds (and for signal.match its tail) of the events after the first `skip`.
  std::vector<std::string> lines_after(uint64_t mark) {
    std::vector<std::string> out;
    for (size_t i = 0; i < ring.size(); ++i) {
      std::string_view l = ring.line(i);
      uint64_t idx = ring.written() - ring.size() + i;
      if (idx < mark) continue;
      auto kind_at = l.find("\"kind\":\"") + 8;
      std::string kind(l.substr(kind_at, l.find('"', kind_at) - kind_at));
      auto tail = l.find("\"host_ns\":");
      tail = l.find(',', tail);
      out.push_back(kind + std::string(l.substr(tail, l.size() - tail)));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("Kernel::signal on a synchronization event wakes one waiter and mirrors the header") {
  KernelRig r;
  GuestThread &a = r.thread(), &b = r.thread(), &setter = r.thread();
  KernelObject& e = r.make(ObjectType::SynchronizationEvent, 0);
  CHECK(r.wait(a, e) == std::nullopt);
  CHECK(r.wait(b, e) == std::nullopt);
  CHECK(a.state() == ThreadState::Blocked);
  uint64_t mark = r.tracer.events();
  e.signal_state = 1;
  r.k.signal(e, setter, "NtSetEvent");
  CHECK(a.state() == ThreadState::Ready);
  CHECK(a.ctx->gpr[3] == kStatusWait0);
  CHECK(b.state() == ThreadState::Blocked);
  CHECK(e.signal_state == 0);
  CHECK(r.header_state(e) == 0);
  CHECK(e.signalers == std::vector<uint32_t>{setter.tid});
  std::string h = fmt::format("\"0x{:08x}\"", e.handle);
  CHECK(r.lines_after(mark) ==
        std::vector<std::string>{
            fmt::format(R"(wake.requested,"target_tid":{},"reason":"signal","handle":{}}})", a.tid, h),
            R"(wait.end,"status":"0x00000000","index":0})",
            fmt::format(R"(signal.match,"by":"NtSetEvent","target_handle":{},"object_type":"event.synchronization","waiter_tids":[{}]}})",
                        h, a.tid)});
  // The wake counts for the setter, the wait's end for the waiter, the signal for the setter.
  CHECK(r.tracer.events_of(setter.tid) == 2);
}

TEST_CASE("Kernel::signal with AfterSignal::Reset pulses a notification event") {
  KernelRig r;
  GuestThread &a = r.thread(), &b = r.thread(), &setter = r.thread();
  KernelObject& e = r.make(ObjectType::NotificationEvent, 0);
  r.wait(a, e);
  r.wait(b, e);
  e.signal_state = 1;
  r.k.signal(e, setter, "NtPulseEvent", Kernel::AfterSignal::Reset);
  CHECK(a.state() == ThreadState::Ready);
  CHECK(b.state() == ThreadState::Ready);  // every waiter present is released
  CHECK(e.signal_state == 0);
  CHECK(r.header_state(e) == 0);  // and the guest sees it reset
  CHECK(r.lines_after(r.tracer.events() - 1).back().find(fmt::format(R"("waiter_tids":[{},{}]}})", a.tid, b.tid)) !=
        std::string::npos);
  // Nobody waiting: a pulse leaves nothing behind.
  e.signal_state = 1;
  r.k.signal(e, setter, "NtPulseEvent", Kernel::AfterSignal::Reset);
  CHECK(r.header_state(e) == 0);
  CHECK(r.wait(a, e) == std::nullopt);
}

TEST_CASE("a semaphore release satisfies as many waits as it has units") {
  KernelRig r;
  GuestThread &a = r.thread(), &b = r.thread(), &c = r.thread(), &releaser = r.thread();
  KernelObject& s = r.make(ObjectType::Semaphore, 0);
  r.wait(a, s);
  r.wait(b, s);
  r.wait(c, s);
  s.signal_state += 2;
  r.k.signal(s, releaser, "NtReleaseSemaphore");
  CHECK(a.state() == ThreadState::Ready);
  CHECK(b.state() == ThreadState::Ready);
  CHECK(c.state() == ThreadState::Blocked);
  CHECK(s.signal_state == 0);
  CHECK(r.header_state(s) == 0);
  REQUIRE(s.waiters.size() == 1);
  CHECK(s.waiters[0]->tid == c.tid);
}

TEST_CASE("a thread exiting while it owns a mutant abandons it to the next waiter") {
  KernelRig r;
  GuestThread &owner = r.thread(), &waiter = r.thread(), &joiner = r.thread();
  KernelObject& m = r.make(ObjectType::Mutant, 1);
  CHECK(r.wait(owner, m) == kStatusWait0);
  CHECK(r.wait(owner, m) == kStatusWait0);  // recursion
  CHECK(m.signal_state == -1);
  CHECK(r.header_state(m) == -1);
  CHECK(r.wait(waiter, m) == std::nullopt);
  KernelObject* owner_thread = r.k.thread_record(owner.tid)->object;
  CHECK(r.wait(joiner, *owner_thread) == std::nullopt);
  uint64_t mark = r.tracer.events();
  r.k.terminate_thread(owner, 3);
  CHECK(owner.state() == ThreadState::Exited);
  CHECK(waiter.state() == ThreadState::Ready);
  CHECK(waiter.ctx->gpr[3] == kStatusAbandonedWait0);
  CHECK(m.owner_tid == waiter.tid);
  CHECK_FALSE(m.abandoned);
  CHECK(m.signal_state == 0);
  CHECK(r.header_state(m) == 0);
  CHECK(joiner.state() == ThreadState::Ready);
  CHECK(joiner.ctx->gpr[3] == kStatusWait0);
  std::vector<std::string> kinds;
  for (const std::string& l : r.lines_after(mark)) kinds.push_back(l.substr(0, l.find(',')));
  CHECK(kinds == std::vector<std::string>{"thread.exit", "wake.requested", "wait.end", "signal.match", "wake.requested",
                                          "wait.end", "signal.match"});
  CHECK(r.lines_after(mark)[2] == R"(wait.end,"status":"0x00000080","index":0})");
  CHECK(r.lines_after(mark)[3].find(R"("by":"thread.exit")") != std::string::npos);
  CHECK(r.lines_after(mark)[3].find(R"("object_type":"mutant")") != std::string::npos);
  CHECK(r.lines_after(mark)[6].find(R"("object_type":"thread")") != std::string::npos);
}

TEST_CASE("a wait signaled before its deadline leaves no deadline pending") {
  KernelRig r;
  GuestThread &a = r.thread(), &setter = r.thread();
  KernelObject& e = r.make(ObjectType::SynchronizationEvent, 0);
  KernelObject* objs[] = {&e};
  auto& events = r.k.sched().events();
  CHECK(r.k.waits().begin(a, objs, false, r.k.now_cycle() + 3200, false, 1000) == std::nullopt);
  CHECK(events.size() == 1);
  e.signal_state = 1;
  r.k.signal(e, setter, "NtSetEvent");
  CHECK(a.ctx->gpr[3] == kStatusWait0);
  // Left pending, the old deadline would end the thread's next wait early with STATUS_TIMEOUT.
  CHECK(events.size() == 0);
}
