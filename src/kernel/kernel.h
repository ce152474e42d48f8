// The HLE kernel for XEX titles: owns the scheduler host side, objects, waits, the import
// thunks and the trace. Exports (exports/*.cc) act on it through ExportCall.
#pragma once
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cpu/memory.h"
#include "cpu/sched/scheduler.h"
#include "kernel/objects.h"
#include "kernel/trace.h"
#include "kernel/waits.h"
#include "kernel/xex/xex_loader.h"

namespace hexad::kernel {

class ExportCall;

// Guest memory map of the HLE kernel (titles sit at their image base, 0x82000000 by default).
constexpr uint32_t kKernelHeapBase = 0x70000000;   // thread stacks, KTHREADs, import variables
constexpr uint32_t kKernelHeapSize = 0x10000000;
constexpr uint32_t kObjectArenaBase = 0x7F000000;  // object headers, KTHREADs, variables
constexpr uint32_t kObjectArenaSize = 0x00400000;
constexpr uint32_t kReturnSentinel = 0xBCBC0000;   // LR of entry points; never mapped
// Guest time starts at this system time (100 ns units since 1601): 2005-11-22, the console's launch.
constexpr uint64_t kBootSystemTime = 127770624000000000ull;

struct ImportSlot {
  std::string module;
  uint16_t ordinal;
  std::string name;
  bool is_function;
  uint32_t record_addr;
  const struct ExportEntry* entry;  // nullptr: not implemented
};

struct ThreadRecord {
  uint32_t tid = 0;
  KernelObject* object = nullptr;  // the thread's dispatcher object (handle)
  uint32_t kthread_addr = 0;       // guest KTHREAD block (what Ke*Thread calls get)
  uint32_t stack_base = 0, stack_size = 0;
  uint32_t entry = 0;
  bool is_main = false;
};

class Kernel : public cpu::sched::SchedulerHost {
 public:
  Kernel(cpu::Memory& mem, cpu::ExecBackend& cpu, const cpu::sched::SchedulerOptions& opt, TraceWriter& trace,
         std::FILE* debug_log, bool echo_debug);

  // Patches the image's import thunks and variables, and creates the main thread at its entry.
  void start(const XexImage& image);
  cpu::sched::RunStop run();

  // For exports.
  cpu::Memory& mem() { return mem_; }
  cpu::sched::Scheduler& sched() { return sched_; }
  ObjectTable& objects() { return objects_; }
  Waits& waits() { return waits_; }
  TraceWriter& trace() { return trace_; }
  EventWhere where(uint32_t tid) const;
  EventWhere where(const cpu::sched::GuestThread& t) const { return where(t.tid); }
  uint64_t now_cycle() const { return sched_.guest_cycle(); }
  static uint64_t cycles_to_ns(uint64_t c);
  static uint64_t ns_to_cycles(uint64_t ns);
  // Reads an NT timeout (LARGE_INTEGER*, 100 ns units, negative = relative); nullptr = infinite.
  // Returns the absolute deadline and the requested timeout in ns for the trace.
  struct Timeout {
    std::optional<uint64_t> deadline;
    std::optional<int64_t> ns;
  };
  Timeout read_timeout(uint32_t ptr);
  uint64_t system_time() const;  // 100 ns units

  // nullptr when its stack cannot be allocated.
  cpu::sched::GuestThread* create_thread(uint32_t entry, uint32_t r3, uint32_t r4, uint32_t stack_size,
                                         uint8_t affinity, int32_t priority, bool suspended, bool is_main);
  void terminate_thread(cpu::sched::GuestThread& t, int64_t code);
  ThreadRecord* thread_record(uint32_t tid);
  ThreadRecord* thread_by_handle_or_kthread(uint32_t v);
  const std::map<uint32_t, ThreadRecord>& thread_records() const { return threads_; }

  void debug_print(const std::string& text);
  // Emits signal.match for a signal of `o` by `actor` through `by` that woke `woken`.
  void trace_signal(cpu::sched::GuestThread& actor, const KernelObject& o, const char* by,
                    const std::vector<uint32_t>& woken);
  // 32 zeroed bytes of kernel-owned guest memory for an object header, KTHREAD or variable.
  uint32_t alloc_object_header(uint32_t size = 32);
  const std::vector<ImportSlot>& imports() const { return imports_; }
  const std::map<std::string, uint64_t>& unimplemented_calls() const { return unimplemented_calls_; }
  cpu::GuestHeap& heap() { return heap_; }

  // SchedulerHost
  void on_syscall(cpu::sched::GuestThread& t) override;
  void on_thread_return(cpu::sched::GuestThread& t) override;
  void on_fault(cpu::sched::GuestThread& t) override;
  void expire_timeouts(uint64_t now_cycle, uint32_t slot) override { waits_.expire(now_cycle, slot); }
  std::optional<uint64_t> next_deadline() const override { return waits_.next_deadline(); }
  bool keep_going() override;

  // Progress and interruption, set by the CLI.
  void set_progress(bool on) { progress_ = on; }
  static void request_interrupt(int signal_number);
  static int interrupt_signal();

 private:
  void bind_imports(const XexImage& image);
  void call_export(cpu::sched::GuestThread& t, ImportSlot& slot);

  cpu::Memory& mem_;
  cpu::ExecBackend& cpu_;
  TraceWriter& trace_;
  cpu::sched::Scheduler sched_;
  ObjectTable objects_;
  Waits waits_;
  cpu::GuestHeap heap_;
  std::FILE* debug_log_;
  bool echo_debug_;
  bool progress_ = false;
  uint64_t next_progress_ = 0;
  std::vector<ImportSlot> imports_;
  std::map<uint32_t, uint32_t> thunk_to_import_;  // address after the thunk's sc -> import index
  std::map<uint32_t, ThreadRecord> threads_;
  std::map<std::string, uint64_t> unimplemented_calls_;
  uint32_t main_tid_ = 0;
  uint32_t main_stack_size_ = 0;
  uint32_t arena_next_ = kObjectArenaBase;
};

}  // namespace hexad::kernel
