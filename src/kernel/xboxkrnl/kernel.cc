#include "kernel/xboxkrnl/kernel.h"

#include <csignal>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/ordinal_names.h"
#include "kernel/xboxkrnl/object_classes.h"

namespace hexad::kernel {

using cpu::sched::GuestThread;
using cpu::sched::RunStop;

namespace {
volatile std::sig_atomic_t g_interrupt = 0;
constexpr uint32_t kDefaultStackSize = 256 * 1024;
constexpr uint32_t kMainPriority = 8;
constexpr uint64_t kProgressEvery = 200'000'000;  // instructions between progress lines

// The rewritten import thunk: r11 = import index; sc; blr.
uint32_t lis_r11(uint32_t v) { return 0x3D600000u | (v & 0xFFFF); }
uint32_t ori_r11(uint32_t v) { return 0x616B0000u | (v & 0xFFFF); }
constexpr uint32_t kSc = 0x44000002u, kBlr = 0x4E800020u;
}  // namespace

void Kernel::request_interrupt(int signal_number) { g_interrupt = signal_number; }
int Kernel::interrupt_signal() { return g_interrupt; }

Kernel::Kernel(cpu::Memory& mem, cpu::ExecBackend& cpu, const cpu::sched::SchedulerOptions& opt, trace::Tracer& trace,
               std::FILE* debug_log, bool echo_debug)
    : mem_(mem),
      cpu_(cpu),
      trace_(trace),
      sched_(mem, cpu, opt, *this),
      objects_(mem),
      modules_(*this, mem),
      waits_(*this),
      xam_(*this),
      timers_(*this),
      deferred_(*this),
      vblank_(*this),
      heap_(mem, kKernelHeapBase, region_of(kKernelHeapBase)->size),
      vm_(mem, heap_),
      debug_log_(debug_log),
      echo_debug_(echo_debug) {
  mem_.commit(kObjectArenaBase, kObjectArenaSize, cpu::kProtRW);
  gpu_.attach(mem_, [this](uint32_t addr) { return gpu_address(addr); });
}

uint32_t Kernel::gpu_address(uint32_t addr) const { return addr < kPhysicalMemorySize ? vm_.view_address(addr) : addr; }

void Kernel::name_object(KernelObject& o, std::string_view api) {
  if (!o.key.empty()) return;
  if (o.guest_addr >= image_base_ && o.guest_addr < image_end_) {
    // A header re-initialised over waiters makes a new object there: "mem:0xADDR/N" after N orphans.
    const uint32_t orphans = objects_.orphans_at(o.guest_addr);
    o.key = orphans ? fmt::format("mem:0x{:08x}/{}", o.guest_addr, orphans) : fmt::format("mem:0x{:08x}", o.guest_addr);
    return;
  }
  const GuestThread* creator = sched_.current();
  const ThreadRecord* rec = creator ? thread_record(creator->tid) : nullptr;
  uint32_t ordinal = ++objects_named_[{rec ? rec->tid : 0, std::string(api)}];
  o.key = fmt::format("{}:{}#{}", rec ? rec->key : "kernel", api, ordinal);
}

uint32_t Kernel::alloc_object_header(uint32_t size) {
  size = (size + 15) & ~15u;
  if (arena_next_ + size > kObjectArenaBase + kObjectArenaSize) return 0;  // the caller reports it
  uint32_t a = arena_next_;
  arena_next_ += size;
  return a;
}

uint64_t Kernel::cycles_to_ns(uint64_t c) { return uint64_t((unsigned __int128)c * 1'000'000'000 / cpu::kGuestCyclesPerSecond); }
uint64_t Kernel::ns_to_cycles(uint64_t ns) { return uint64_t((unsigned __int128)ns * cpu::kGuestCyclesPerSecond / 1'000'000'000); }

uint64_t Kernel::system_time() const { return kBootSystemTime + cycles_to_ns(sched_.guest_cycle()) / 100; }

Kernel::Timeout Kernel::read_timeout(uint32_t ptr) {
  if (!ptr) return {};
  const int64_t v = int64_t(mem_.read64(ptr));
  const uint64_t now = now_cycle();
  using u128 = unsigned __int128;
  // The requested interval in ns for the trace, in 128 bits: INT64_MIN units of 100 ns is 9.2e20 ns.
  const u128 now_ns = cycles_to_ns(now);
  u128 due_ns;  // guest nanoseconds since boot at which the wait is due
  if (v <= 0) {
    due_ns = now_ns + u128(0 - uint64_t(v)) * 100;  // 0 - v in unsigned: no overflow for INT64_MIN
  } else {
    due_ns = uint64_t(v) > kBootSystemTime ? u128(uint64_t(v) - kBootSystemTime) * 100 : 0;
    if (due_ns < now_ns) due_ns = now_ns;
  }
  const u128 requested_ns = due_ns - now_ns;
  const int64_t traced_ns = requested_ns > u128(INT64_MAX) ? INT64_MAX : int64_t(requested_ns);
  // A deadline beyond kNeverCycle cannot be reached by any run: the wait has none (README
  // "Guest time"), so a wait with nothing else to end it is a deadlock, not an idle skip.
  return {nt_time_to_cycle(v), traced_ns};
}

std::optional<uint64_t> Kernel::nt_time_to_cycle(int64_t v) const {
  const uint64_t now = sched_.guest_cycle();
  using u128 = unsigned __int128;
  u128 due;
  if (v <= 0) {
    // A relative deadline keeps the sub-ns part: now + floor(interval_ns * rate / 1e9).
    due = now + u128(0 - uint64_t(v)) * 100 * cpu::kGuestCyclesPerSecond / 1'000'000'000;
  } else {
    // Absolute: due when system time (kBootSystemTime + guest ns / 100) reaches v; the first
    // cycle at or after that guest nanosecond.
    const u128 due_ns = uint64_t(v) > kBootSystemTime ? u128(uint64_t(v) - kBootSystemTime) * 100 : 0;
    due = (due_ns * cpu::kGuestCyclesPerSecond + 999'999'999) / 1'000'000'000;
  }
  if (due < now) due = now;
  if (due > kNeverCycle) return std::nullopt;
  return uint64_t(due);
}

trace::Where Kernel::where(uint32_t tid) const {
  if (const GuestThread* t = const_cast<cpu::sched::Scheduler&>(sched_).find(tid)) return where(*t);
  return {tid, -1, sched_.round(), sched_.guest_cycle()};
}

trace::Where Kernel::where(const GuestThread& t) const {
  // A Running thread is on the slot it holds, even after KeSetAffinityThread moved its home slot
  // (it leaves at its next stop).
  return {t.tid, int(sched_.running_slot(t)), sched_.round(), sched_.guest_cycle()};
}

void Kernel::bind_imports(const loader::XexImage& image) {
  for (const loader::XexImport& imp : image.imports) {
    std::string stem = module_stem(imp.module);
    ImportSlot slot{imp.module,      stem, imp.ordinal, export_name(imp.module, imp.ordinal), imp.is_function,
                    imp.record_addr, find_export(stem, imp.ordinal)};
    if (slot.name.empty()) slot.name = fmt::format("ordinal_{}", imp.ordinal);
    if (imp.is_function) {
      write_thunk(imp.record_addr, uint32_t(imports_.size()));
    } else {
      // Kernel variables: each gets its own storage; only XboxKrnlVersion has content so far.
      uint32_t storage = alloc_object_header(64);
      if (!storage) fail("the kernel object arena cannot hold the image's {} kernel variables", image.imports.size());
      uint32_t be = bswap(storage);
      mem_.write_bytes_raw(imp.record_addr, &be, 4);
      if (slot.name == "XboxKrnlVersion") {
        const uint16_t version[4] = {bswap(uint16_t(2)), bswap(uint16_t(0)), bswap(uint16_t(17559)), 0};
        mem_.write_bytes_raw(storage, version, sizeof version);
      } else if (slot.name == "XexExecutableModuleHandle" && modules_.executable()) {
        // A pointer to the executable's HMODULE (its loader entry), as titles' CRTs read it.
        const uint32_t hmodule = bswap(modules_.executable()->ldr);
        mem_.write_bytes_raw(storage, &hmodule, 4);
      } else {
        std::fprintf(stderr, "hexad: kernel variable %s!%s (ordinal %u) is not modelled: it reads as zeroes\n",
                     imp.module.c_str(), slot.name.c_str(), imp.ordinal);
      }
    }
    imports_.push_back(std::move(slot));
  }
  cpu_.invalidate_all();
}

void Kernel::write_thunk(uint32_t addr, uint32_t import_index) {
  const uint32_t words[4] = {bswap(lis_r11(import_index >> 16)), bswap(ori_r11(import_index)), bswap(kSc), bswap(kBlr)};
  mem_.write_bytes_raw(addr, words, sizeof words);
}

void Kernel::bind_thunk(const std::string& module, uint16_t ordinal, uint32_t addr) {
  const std::string stem = module_stem(module);
  ImportSlot slot{module, stem, ordinal, export_name(module, ordinal), true, addr, find_export(stem, ordinal)};
  if (slot.name.empty()) slot.name = fmt::format("ordinal_{}", ordinal);
  write_thunk(addr, uint32_t(imports_.size()));
  imports_.push_back(std::move(slot));
  cpu_.invalidate_all();
}

void Kernel::start(const loader::XexImage& image, const std::string& file_name) {
  image_base_ = image.base;
  image_end_ = image.base + image.image_size;
  vm_.note_image(image.base, image.image_size);
  xam_.set_execution_info(image.headers.execution);
  modules_.add_executable(image, file_name);
  bind_imports(image);
  main_stack_size_ = image.stack_size ? image.stack_size : kDefaultStackSize;
  sixty_four_bit_ = image.sixty_four_bit;
  GuestThread* t = create_thread(image.entry, 0, 0, main_stack_size_, cpu::sched::kAllSlots, kMainPriority, false, true);
  if (!t) fail("cannot allocate the main thread's stack of {} bytes", main_stack_size_);
}

GuestThread* Kernel::create_thread(uint32_t entry, uint32_t r3, uint32_t r4, uint32_t stack_size, uint8_t affinity,
                                   int32_t priority, bool suspended, bool is_main) {
  if (!stack_size) stack_size = main_stack_size_ ? main_stack_size_ : kDefaultStackSize;
  stack_size = (stack_size + 0xFFF) & ~0xFFFu;
  uint32_t stack = heap_.alloc(stack_size, 0x1000, cpu::kProtRW);
  if (!stack) return nullptr;
  const uint32_t kthread = alloc_object_header(64);
  if (!kthread) {
    heap_.free(stack);
    return nullptr;
  }
  GuestThread& t = sched_.spawn(affinity, priority, suspended, sixty_four_bit_);
  ThreadRecord rec;
  rec.tid = t.tid;
  rec.stack_base = stack;
  rec.stack_size = stack_size;
  rec.entry = entry;
  rec.is_main = is_main;
  rec.kthread_addr = kthread;
  GuestThread* creator = sched_.current();
  const uint32_t creator_tid = creator ? creator->tid : 0;
  if (is_main) {
    rec.key = "main";
  } else {
    const ThreadRecord* parent = thread_record(creator_tid);
    uint32_t ordinal = ++threads_created_[{creator_tid, entry}];
    rec.key = fmt::format("{}/thread@0x{:08x}#{}", parent ? parent->key : "kernel", entry, ordinal);
  }
  KernelObject& obj = objects_.create(ObjectType::Thread, true);
  obj.key = "thread:" + rec.key;
  obj.owner_tid = t.tid;
  obj.guest_addr = rec.kthread_addr;
  objects_.init_guest_header(obj);
  rec.object = &obj;
  threads_[t.tid] = rec;
  if (is_main) main_tid_ = t.tid;

  cpu::ThreadContext& c = *t.ctx;
  c.pc = entry;
  c.gpr[1] = stack + stack_size - 80;  // room for a frame; back chain 0
  c.gpr[3] = r3;
  c.gpr[4] = r4;
  c.lr = kReturnSentinel;
  c.stop_pc = kReturnSentinel;

  trace_.emit(where(creator_tid),
              trace::ThreadCreate{t.tid, obj.handle, entry, t.base_priority, t.affinity, suspended});
  return &t;
}

ThreadRecord* Kernel::thread_record(uint32_t tid) {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : &it->second;
}

void Kernel::clear_tls_slot(uint32_t slot) {
  for (auto& [tid, rec] : threads_) rec.tls[slot] = 0;
}

ThreadRecord* Kernel::thread_by_handle_or_kthread(uint32_t v) {
  KernelObject* o = objects_.by_handle_or_address(v);
  if (!o || o->type != ObjectType::Thread) return nullptr;
  return thread_record(o->owner_tid);
}

void Kernel::terminate_thread(GuestThread& t, int64_t code) {
  sched_.exit_thread(t, code);
  deferred_.thread_gone(t.tid);
  trace_.emit(where(t), trace::ThreadExit{code});
  ThreadRecord* rec = thread_record(t.tid);
  release_thread_objects(t, "thread.exit");
  // The thread never runs again, so its stack goes back to the kernel heap now, as NT's reaper
  // frees a terminated thread's kernel stack while its object lives on behind open handles.
  if (rec && rec->stack_base) {
    heap_.free(rec->stack_base);
    rec->stack_base = 0;
  }
  if (t.tid == main_tid_) sched_.stop(RunStop::Exit);
}

void Kernel::release_thread_objects(GuestThread& t, const char* by) {
  // Mutants it still owns are abandoned: freed, and their next acquirer is told. Traced like
  // every other signal (a new owner is never woken by a signal no signal.match accounts for).
  for (const auto& [id, o] : objects_.all())
    if (o->type == ObjectType::Mutant && o->owner_tid == t.tid) {
      MutantClass::abandon(*o);
      signal(*o, t, by);
    }
  ThreadRecord* rec = thread_record(t.tid);
  if (rec && rec->object) {
    rec->object->signal_state = 1;
    signal(*rec->object, t, by);
  }
}

Kernel::SuspendResult Kernel::suspend_thread(GuestThread& target, GuestThread& actor) {
  // NT's MAXIMUM_SUSPEND_COUNT (MAXCHAR): the 128th suspension is refused and changes nothing.
  constexpr uint32_t kMaxSuspendCount = 127;
  // A thread that exited or faulted is terminating (xenia's NtSuspendThread: KTHREAD.terminated).
  if (!target.alive()) return {kStatusThreadIsTerminating, 0};
  if (target.suspend_count() >= kMaxSuspendCount) return {kStatusSuspendCountExceeded, 0};
  const uint32_t previous = *sched_.suspend(target);
  // The suspend APC interrupts the target's wait; it re-issues the wait once resumed.
  if (target.state() == cpu::sched::ThreadState::Blocked) waits_.abort_for_suspend(target, actor);
  return {kStatusSuccess, previous};
}

void Kernel::call_export(GuestThread& t, ImportSlot& slot) {
  // The arguments as they were on entry (r3.. are results once the export ran).
  TraceArgs args = slot.entry ? slot.entry->trace_args(*t.ctx) : TraceArgs{};
  std::optional<uint64_t> result;
  if (slot.entry) {
    ExportContext call(*this, t, mem_, slot.entry->name);
    const ThreadRecord* caller = thread_record(t.tid);
    objects_.set_current_thread(caller ? caller->object : nullptr);  // what NtCurrentThread() names
    try {
      result = slot.entry->invoke(call);
      waits_.end_reissue(t.tid);
    } catch (const cpu::MemoryFault& f) {
      waits_.end_reissue(t.tid);
      // A bad pointer handed to the kernel is the guest's fault, recorded like any other.
      t.ctx->fault = {cpu::FaultKind::Memory, t.ctx->pc - 4, 0, f.address, f.size, f.access};
      sched_.fault(t);
      on_fault(t);
      return;
    } catch (const ExportFault& f) {
      if (f.why) std::fprintf(stderr, "hexad: %s refused: %s\n", slot.name.c_str(), f.why);
      t.ctx->fault = f.fault;
      sched_.fault(t);
      on_fault(t);
      return;
    }
  } else {
    std::string key = fmt::format("{}!{}", slot.module, slot.name);
    if (unimplemented_calls_[key]++ == 0)
      std::fprintf(stderr, "hexad: import not implemented: %s ordinal %u (0x%03x) %s; returning STATUS_NOT_IMPLEMENTED\n",
                   slot.module.c_str(), slot.ordinal, slot.ordinal, slot.name.c_str());
    result = kStatusNotImplemented;
  }
  if (result) t.ctx->gpr[3] = uint32_t(*result);
  std::optional<uint32_t> ret;
  if (result) ret = uint32_t(*result);
  trace_.emit(where(t), trace::ImportCall{slot.module_stem, slot.ordinal, slot.name, {args.words.data(), args.count}, ret, slot.entry != nullptr});
  deferred_.after_kernel_call(t);  // a wait that returned STATUS_USER_APC runs the APCs now
}

ImportSlot* Kernel::import_at_thunk(uint32_t pc_after_sc, uint32_t r11) {
  auto is_thunk = [&](const ImportSlot& s) { return s.is_function && s.record_addr + 12 == pc_after_sc; };
  // A patched thunk loads its import index into r11 just before the sc.
  if (r11 < imports_.size() && is_thunk(imports_[r11])) return &imports_[r11];
  // Guest code that jumped straight to a thunk's sc with another r11 (not seen in titles).
  for (ImportSlot& s : imports_)
    if (is_thunk(s)) return &s;
  return nullptr;
}

void Kernel::on_syscall(GuestThread& t) {
  ImportSlot* slot = import_at_thunk(uint32_t(t.ctx->pc), uint32_t(t.ctx->gpr[11]));
  if (!slot) {
    t.ctx->fault = {cpu::FaultKind::InvalidInstruction, t.ctx->pc - 4, kSc, 0, 0, cpu::Access::Execute};
    sched_.fault(t);
    on_fault(t);
    return;
  }
  call_export(t, *slot);
}

void Kernel::on_thread_return(GuestThread& t) {
  // A kernel-made guest call returned, or a parked thread or DPC thread trapped (guest_calls.h).
  if (t.ctx->pc == kGuestCallReturn || t.ctx->pc == kKernelEntryPc) {
    deferred_.on_sentinel(t);
    return;
  }
  terminate_thread(t, int32_t(t.ctx->gpr[3]));
}

void Kernel::on_fault(GuestThread& t) {
  deferred_.thread_gone(t.tid);
  std::fprintf(stderr, "hexad: guest fault on thread %u: %s\n", t.tid, t.ctx->fault.describe().c_str());
  const cpu::FaultRecord& f = t.ctx->fault;
  const std::string message = f.describe();
  trace_.emit(where(t), trace::ThreadFault{cpu::fault_kind_name(f.kind), f.pc, f.word, f.address,
                                           cpu::access_name(f.access), message});
  // A fault ends the thread as NT's termination of a thread by an unhandled exception does:
  // its object is signaled (joins return) and its mutants are abandoned (their next owner gets
  // STATUS_ABANDONED_WAIT_0), so a fault never leaves others waiting on a dead owner.
  release_thread_objects(t, "thread.fault");
}

void Kernel::on_starvation(const GuestThread& starving, const GuestThread* holder, uint64_t rounds) {
  std::optional<int32_t> holder_priority;
  if (holder) holder_priority = holder->base_priority;
  trace_.emit(where(starving), trace::SchedStarvation{rounds, starving.base_priority, sched_.effective_priority(starving),
                                                      holder ? holder->tid : 0, holder_priority});
}

bool Kernel::keep_going() {
  if (g_interrupt) return false;
  if (progress_ && sched_.instructions() >= next_progress_) {
    if (next_progress_)
      std::fprintf(stderr, "hexad: %llu instructions, %llu rounds, %llu events\n", (unsigned long long)sched_.instructions(),
                   (unsigned long long)sched_.round(), (unsigned long long)trace_.events());
    next_progress_ = sched_.instructions() + kProgressEvery;
  }
  return true;
}

void Kernel::signal(KernelObject& o, GuestThread& actor, const char* by, AfterSignal after) {
  signal_as(o, actor.tid, actor.tid, by, after);
}

void Kernel::signal_from_kernel(KernelObject& o, uint32_t on_behalf_tid, const char* by) {
  signal_as(o, on_behalf_tid, 0, by, AfterSignal::Keep);
}

void Kernel::owe_io_completion(uint32_t tid, const IoCompletion& c) {
  if (tid >= io_completions_.size()) io_completions_.resize(tid + 1);
  io_completions_[tid] = c;
}

// The event is set as NtSetEvent sets it, on behalf of the thread that made the I/O call; the
// APC runs ApcRoutine(ApcContext, IoStatusBlock, 0) in the caller's next alertable wait (xenia
// NtReadFile: EnqueueApc(apc_routine & ~1, apc_context, io_status_block, 0)).
void Kernel::complete_io(uint32_t tid) {
  if (tid >= io_completions_.size() || !io_completions_[tid].by) return;
  const IoCompletion c = io_completions_[tid];
  io_completions_[tid] = {};
  if (KernelObject* o = c.event ? objects_.by_handle(c.event) : nullptr; o && o->is_event()) {
    o->signal_state = 1;
    signal_from_kernel(*o, tid, c.by);
  }
  if (c.apc_routine) deferred_.queue_apc(tid, {0, 0, c.apc_routine, c.apc_context, c.io_status, 0}, tid);
}

void Kernel::signal_as(KernelObject& o, uint32_t signaler_tid, uint32_t actor_tid, const char* by, AfterSignal after) {
  o.note_signaler(signaler_tid);
  std::span<const uint32_t> woken = waits_.signal(o, actor_tid);
  if (after == AfterSignal::Reset) o.signal_state = 0;
  objects_.mirror(o);
  trace_.emit(where(actor_tid), trace::SignalMatch{by, o.label(), object_type_name(o.type), woken});
}

void Kernel::lock_hazard(GuestThread& t, std::string_view hazard, uint32_t lock) {
  ThreadRecord* rec = thread_record(t.tid);
  if (rec) ++rec->locks.hazards;
  trace_.emit(where(t), trace::SyncHazard{hazard, lock, rec ? rec->locks.irql : 0u});
}

void Kernel::check_spinlocks_held(GuestThread& t, std::string_view hazard) {
  const ThreadRecord* rec = thread_record(t.tid);
  // A thread waiting for a spinlock while it holds others is nesting them, as the console allows.
  if (!rec || rec->locks.spin_waiting) return;
  const ThreadLockState locks = rec->locks;  // lock_hazard counts into the record
  for (uint32_t i = 0; i < locks.held; ++i) lock_hazard(t, hazard, locks.spinlocks[i]);
}

void Kernel::on_quantum_expired(GuestThread& t) { check_spinlocks_held(t, "spinlock_across_quantum"); }

void Kernel::debug_print(const std::string& text) {
  if (debug_log_) std::fwrite(text.data(), 1, text.size(), debug_log_);
  if (echo_debug_) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  GuestThread* t = sched_.current();
  trace_.emit(where(t ? t->tid : 0), trace::DebugPrint{text});
}

void Kernel::request_system_stop(const SystemStop& s, RunStop why) {
  if (system_stop_) return;
  system_stop_ = s;
  sched_.stop(why);
}

RunStop Kernel::run() { return sched_.run(); }

}  // namespace hexad::kernel
