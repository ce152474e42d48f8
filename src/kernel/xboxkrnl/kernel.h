// The HLE kernel for XEX titles: owns the scheduler host side, objects, waits, the import
// thunks and the trace. Exports (exports/*.cc) act on it through ExportContext.
#pragma once
#include <array>
#include <cstdint>
#include <array>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu/memory.h"
#include "cpu/sched/scheduler.h"
#include "kernel/xboxkrnl/deferred.h"
#include "gpu/gpu_state.h"
#include "kernel/xboxkrnl/files.h"
#include "kernel/xboxkrnl/guest_vm.h"
#include "kernel/xboxkrnl/lock_state.h"
#include "kernel/xboxkrnl/modules.h"
#include "kernel/xboxkrnl/objects.h"
#include "kernel/xboxkrnl/timers.h"
#include "kernel/xboxkrnl/vblank.h"
#include "kernel/xboxkrnl/waits.h"
#include "kernel/xboxkrnl/xam_state.h"
#include "loader/xex/xex_loader.h"
#include "trace/sink.h"

namespace hexad::kernel {


// Guest memory map of the HLE kernel (titles sit at their image base, 0x82000000 by default).
constexpr uint32_t kKernelHeapBase = 0x70000000;   // thread stacks, KTHREADs, import variables
constexpr uint32_t kKernelHeapSize = 0x10000000;
constexpr uint32_t kObjectArenaBase = 0x7F000000;  // object headers, KTHREADs, variables
constexpr uint32_t kObjectArenaSize = 0x00400000;
constexpr uint32_t kReturnSentinel = 0xBCBC0000;   // LR of entry points; never mapped
// A deadline later than this guest cycle (2^63 - 1: 91 years of guest time) is never reached:
// waits treat it as infinite, so guest time never jumps that far and arithmetic cannot overflow.
constexpr uint64_t kNeverCycle = uint64_t(INT64_MAX);
// Guest time starts at this system time (100 ns units since 1601): 2005-11-22, the console's launch.
constexpr uint64_t kBootSystemTime = 127770912000000000ull;  // 2005-11-22 00:00 UTC

struct ImportSlot {
  std::string module;
  std::string module_stem;  // "xboxkrnl", as the trace names it
  uint16_t ordinal;
  std::string name;
  bool is_function;
  uint32_t record_addr;
  const struct ExportEntry* entry;  // nullptr: not implemented
};

// KeTlsAlloc's slots: 64, shared by every thread, one value per thread and slot (xenia-canary
// src/xenia/kernel/kernel_state.cc, AllocateTLS/FreeTLS: a 64-bit slot bitmap; freeing a slot
// zeroes its value in every thread).
constexpr uint32_t kTlsSlots = 64;
constexpr uint32_t kTlsOutOfIndexes = 0xFFFFFFFF;  // X_TLS_OUT_OF_INDEXES
// What KeSetCurrentStackPointers last set for a thread (its stack's top and bottom).
struct StackLimits {
  uint32_t base = 0, limit = 0;
};

struct ThreadRecord {
  uint32_t tid = 0;
  KernelObject* object = nullptr;  // the thread's dispatcher object (handle)
  uint32_t kthread_addr = 0;       // guest KTHREAD block (what Ke*Thread calls get)
  uint32_t stack_base = 0, stack_size = 0;  // stack_base 0: freed (the thread exited)
  uint32_t entry = 0;
  bool is_main = false;
  // ExCreateThread flag 0x2: a thread of the system process (KeGetCurrentProcessType says 2).
  bool system_thread = false;
  bool boost_disabled = false;  // KeSetDisableBoostThread's byte (no policy boosts today)
  bool fpu_exceptions = false;  // KeEnableFpuExceptions' KTHREAD byte (exports/system.cc)
  bool fpu_saved = false;       // KeSaveFloatingPointState has run on the thread
  std::array<uint64_t, 32> fpu_context{};  // f0..f31 as KeSaveFloatingPointState saved them
  std::optional<StackLimits> stack_limits;  // set by KeSetCurrentStackPointers
  // Its identity across engine iterations (tids shift, keys do not): "main", or
  // "CREATOR/thread@ENTRY#K", the K-th thread (1-based) CREATOR created with that entry.
  std::string key;
  ThreadLockState locks;  // IRQL, spinlocks, critical region (exports/spinlocks.cc)
  std::array<uint32_t, kTlsSlots> tls{};  // KeTlsSetValue's values, by slot
};

class Kernel : public cpu::sched::SchedulerHost {
 public:
  Kernel(cpu::Memory& mem, cpu::ExecBackend& cpu, const cpu::sched::SchedulerOptions& opt, trace::Tracer& trace,
         std::FILE* debug_log, bool echo_debug);

  // Patches the image's import thunks and variables, registers it as the executable module
  // (named `file_name`, the image's file as run), and creates the main thread at its entry.
  void start(const loader::XexImage& image, const std::string& file_name = "default.xex");
  cpu::sched::RunStop run();

  // For exports.
  cpu::Memory& mem() { return mem_; }
  cpu::sched::Scheduler& sched() { return sched_; }
  ObjectTable& objects() { return objects_; }
  FileSystem& files() { return files_; }
  Modules& modules() { return modules_; }
  Waits& waits() { return waits_; }
  XamState& xam() { return xam_; }
  const XamState& xam() const { return xam_; }
  Timers& timers() { return timers_; }
  Deferred& deferred() { return deferred_; }
  gpu::GpuState& gpu() { return gpu_; }
  Vblank& vblank() { return vblank_; }
  const Vblank& vblank() const { return vblank_; }
  // The virtual address of an address the title gives the GPU: a physical one (below 512 MiB,
  // as MmGetPhysicalAddress returns) where a physical view holds it, any other as it is; 0 when a
  // physical address is allocated nowhere.
  uint32_t gpu_address(uint32_t addr) const;
  trace::Tracer& trace() { return trace_; }
  // The common trace fields for an event of thread `tid` (0 or unknown: the run itself).
  trace::Where where(uint32_t tid) const;
  trace::Where where(const cpu::sched::GuestThread& t) const;
  uint64_t now_cycle() const { return sched_.guest_cycle(); }
  static uint64_t cycles_to_ns(uint64_t c);
  static uint64_t ns_to_cycles(uint64_t ns);
  // Reads an NT timeout (LARGE_INTEGER*, 100 ns units, negative = relative); nullptr = infinite.
  // Returns the absolute deadline (nullopt: infinite — no pointer, or a deadline past
  // kNeverCycle) and the requested timeout in ns for the trace (saturated at INT64_MAX).
  struct Timeout {
    std::optional<uint64_t> deadline;
    std::optional<int64_t> ns;
  };
  Timeout read_timeout(uint32_t ptr);
  // The guest cycle an NT time (< 0: relative, in 100 ns units; > 0: absolute system time) falls
  // on, never before now; nullopt when it is past kNeverCycle (never reached).
  std::optional<uint64_t> nt_time_to_cycle(int64_t v) const;
  uint64_t system_time() const;  // 100 ns units

  // nullptr when its stack or KTHREAD cannot be allocated.
  cpu::sched::GuestThread* create_thread(uint32_t entry, uint32_t r3, uint32_t r4, uint32_t stack_size,
                                         uint8_t affinity, int32_t priority, bool suspended, bool is_main);
  void terminate_thread(cpu::sched::GuestThread& t, int64_t code);
  // NtSuspendThread / KeSuspendThread: the previous count, or the status that refuses it. A
  // thread blocked in a restartable wait has that wait aborted (NT's suspend APC) and re-issued
  // when it resumes, so what it waited for goes to others meanwhile (Waits::abort_for_suspend).
  struct SuspendResult {
    uint32_t status = 0;
    uint32_t previous = 0;
  };
  SuspendResult suspend_thread(cpu::sched::GuestThread& target, cpu::sched::GuestThread& actor);
  ThreadRecord* thread_record(uint32_t tid);
  ThreadRecord* thread_by_handle_or_kthread(uint32_t v);
  const std::map<uint32_t, ThreadRecord>& thread_records() const { return threads_; }
  // KeTlsAlloc's slots in use: bit i = slot i.
  uint64_t& tls_slots_in_use() { return tls_slots_in_use_; }
  // Zeroes slot `slot` in every thread (KeTlsFree).
  void clear_tls_slot(uint32_t slot);

  // A sync.hazard of thread `t` on `lock` (trace event, counted in its ThreadRecord).
  void lock_hazard(cpu::sched::GuestThread& t, std::string_view hazard, uint32_t lock);
  // The thread is about to block, or its quantum ended: every spinlock it holds is a hazard.
  void check_spinlocks_held(cpu::sched::GuestThread& t, std::string_view hazard);

  void debug_print(const std::string& text);
  // After `actor` made `o` (more) signaled through the API `by` (or "thread.exit"): records the
  // signaler, satisfies the waits it can in wait order, applies `after`, mirrors the state into
  // the guest header and emits signal.match. Every signaling site goes through here.
  enum class AfterSignal : uint8_t {
    Keep,   // the object keeps what the satisfied waits left
    Reset,  // NtPulseEvent: signaled only for the waits present, then not signaled
  };
  void signal(KernelObject& o, cpu::sched::GuestThread& actor, const char* by, AfterSignal after = AfterSignal::Keep);
  // The same, for a signal of the kernel itself (a timer's expiry): traced as tid 0, and recorded
  // as signaled by `on_behalf_tid` (the thread that set the timer) in the wedge map.
  void signal_from_kernel(KernelObject& o, uint32_t on_behalf_tid, const char* by);
  // The completion NtReadFile/NtWriteFile owe their caller (exports/file_io.cc) when their I/O
  // time ends: the event handle to set and the user APC to queue to the caller. complete_io runs
  // it (Waits::finish, when the thread's delay ends; or the export itself when there is none).
  struct IoCompletion {
    const char* by = nullptr;  // the export, for signal.match
    uint32_t event = 0;        // handle, 0: none
    uint32_t apc_routine = 0;  // 0: none
    uint32_t apc_context = 0, io_status = 0;
  };
  void owe_io_completion(uint32_t tid, const IoCompletion& c);
  void complete_io(uint32_t tid);
  // Gives `o` its stable key on first sight (a key never changes): a thread object is
  // "thread:THREAD-KEY"; an object whose header lies in the title's image is "mem:0xADDR"; any
  // other is "CREATOR-KEY:API#K", the K-th object (1-based) the current thread created or first
  // touched through `api` (the kernel itself: "kernel"). Not on a hot path: once per object.
  void name_object(KernelObject& o, std::string_view api);
  // 32 zeroed bytes of kernel-owned guest memory for an object header, KTHREAD or variable;
  // 0 when the arena is full (headers are never reused: objects are never deleted).
  uint32_t alloc_object_header(uint32_t size = 32);
  const std::deque<ImportSlot>& imports() const { return imports_; }
  const std::map<std::string, uint64_t>& unimplemented_calls() const { return unimplemented_calls_; }
  // A stop a system export asked for: KeBugCheck/KeBugCheckEx (stop reason "bugcheck") or
  // HalReturnToFirmware ("exit"). The run ends at the next safe point; the first request wins and
  // the dump's run.system_stop records it.
  struct SystemStop {
    const char* kind;  // "bugcheck" | "return_to_firmware"
    uint32_t tid;
    uint32_t code;                     // the bug check code, or the firmware routine
    std::array<uint32_t, 4> params{};  // KeBugCheckEx's four parameters
  };
  void request_system_stop(const SystemStop& s, cpu::sched::RunStop why);
  const std::optional<SystemStop>& system_stop() const { return system_stop_; }
  cpu::GuestHeap& heap() { return heap_; }
  GuestVm& vm() { return vm_; }
  const GuestVm& vm() const { return vm_; }
  // Binds an image's imports (rewrites its thunks and variable slots): at start, and for each
  // XEX XexLoadImage loads.
  void bind_imports(const loader::XexImage& image);
  // Writes a callable thunk for export `ordinal` of `module` ("xboxkrnl.exe") at `addr` (16
  // bytes of kernel-owned executable memory): XexGetProcedureAddress's result.
  void bind_thunk(const std::string& module, uint16_t ordinal, uint32_t addr);

  // SchedulerHost
  void on_syscall(cpu::sched::GuestThread& t) override;
  void on_thread_return(cpu::sched::GuestThread& t) override;
  void on_fault(cpu::sched::GuestThread& t) override;
  void on_quantum_expired(cpu::sched::GuestThread& t) override;
  bool keep_going() override;
  void on_starvation(const cpu::sched::GuestThread& starving, const cpu::sched::GuestThread* holder,
                     uint64_t rounds) override;

  // Progress and interruption, set by the CLI.
  void set_progress(bool on) { progress_ = on; }
  static void request_interrupt(int signal_number);
  static int interrupt_signal();

 private:
  // What NT's thread termination does to the kernel's objects, for an exit and a fault alike:
  // owned mutants are abandoned and the thread object is signaled, each traced with `by`.
  void release_thread_objects(cpu::sched::GuestThread& t, const char* by);
  void write_thunk(uint32_t addr, uint32_t import_index);
  void call_export(cpu::sched::GuestThread& t, ImportSlot& slot);
  // The import whose thunk's sc precedes `pc_after_sc`; nullptr when it is no thunk.
  ImportSlot* import_at_thunk(uint32_t pc_after_sc, uint32_t r11);
  void signal_as(KernelObject& o, uint32_t signaler_tid, uint32_t actor_tid, const char* by, AfterSignal after);

  cpu::Memory& mem_;
  cpu::ExecBackend& cpu_;
  trace::Tracer& trace_;
  cpu::sched::Scheduler sched_;
  ObjectTable objects_;
  FileSystem files_;
  Modules modules_;
  Waits waits_;
  XamState xam_;
  Timers timers_;
  Deferred deferred_;
  std::vector<IoCompletion> io_completions_;  // by tid; `by` nullptr: none owed
  gpu::GpuState gpu_;
  Vblank vblank_;
  cpu::GuestHeap heap_;  // thread stacks: the address map's kernel_stacks region
  GuestVm vm_;
  std::FILE* debug_log_;
  bool echo_debug_;
  bool progress_ = false;
  uint64_t next_progress_ = 0;
  // A deque: an export may add slots (XexLoadImage, XexGetProcedureAddress) while its own slot is in use.
  std::deque<ImportSlot> imports_;
  std::map<uint32_t, ThreadRecord> threads_;
  std::map<std::string, uint64_t> unimplemented_calls_;
  uint32_t main_tid_ = 0;
  uint32_t image_base_ = 0, image_end_ = 0;  // the title's image: objects there are keyed by address
  // Ordinals behind the keys: threads per (creator tid, entry), objects per (creator tid, API).
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> threads_created_;
  std::map<std::pair<uint32_t, std::string>, uint32_t> objects_named_;
  uint32_t main_stack_size_ = 0;
  bool sixty_four_bit_ = false;  // every thread runs in the mode the image's code needs (XexImage)
  uint32_t arena_next_ = kObjectArenaBase;
  std::optional<SystemStop> system_stop_;
  uint64_t tls_slots_in_use_ = 0;
};

}  // namespace hexad::kernel
