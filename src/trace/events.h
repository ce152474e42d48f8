// The trace schema hexad.trace/1 (docs/trace.md) as types: one struct per event kind, in the
// field order of the contract. Events hold non-owning views (std::string_view, std::span) of
// data the emitter owns for the duration of the emit call, so emitting allocates nothing.
// Field names and the JSON spelling of each field live in one place: the writer (jsonl.cc).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <variant>

namespace hexad::trace {

inline constexpr std::string_view kSchema = "hexad.trace/1";

// Common fields of every event besides idx, kind and host_ns (which the Tracer assigns).
struct Where {
  uint32_t tid = 0;  // the acting guest thread; 0 = the kernel/run itself
  int slot = -1;     // hardware slot 0..5; -1 outside any slot visit
  uint64_t round = 0;
  uint64_t guest_cycle = 0;
};

// Values the writer spells as "0x%08x" are uint32_t fields named in jsonl.cc; handles and
// guest addresses are numbers here.

// One parameter of the scheduling policy: a number, or text when `is_text`.
struct PolicyParamField {
  std::string_view name;
  uint64_t number = 0;
  std::string_view text;
  bool is_text = false;
};

struct RunOptionsFields {
  std::optional<uint64_t> budget;  // nullopt = unlimited (null)
  uint64_t quantum = 0;
  uint64_t slice = 0;
  bool aging = false;
  uint32_t aging_rounds_per_bonus = 0;
  uint32_t max_age_bonus = 0;
  std::string_view policy;                       // a name in sched_policies()
  std::span<const PolicyParamField> policy_params;  // the policy's own, in its order
  std::optional<uint64_t> starvation_alarm;      // nullopt = off (null)
  bool trace = false;
  // Schedule exploration; written only when seed != 0, so unperturbed traces are unchanged.
  uint64_t seed = 0;
  std::string_view strategy = {};
  uint32_t depth = 0;       // pct only
  uint64_t pct_steps = 0;   // pct only
};

struct RunStart {
  static constexpr std::string_view kKind = "run.start";
  std::string_view image_name;
  std::string_view image_sha256;
  RunOptionsFields options;
};

struct ThreadCreate {
  static constexpr std::string_view kKind = "thread.create";
  uint32_t new_tid = 0;
  uint32_t handle = 0;
  uint32_t entry = 0;
  int32_t priority = 0;
  uint32_t affinity = 0;
  bool suspended = false;
};

struct ThreadExit {
  static constexpr std::string_view kKind = "thread.exit";
  int64_t exit_code = 0;
};

struct ThreadFault {
  static constexpr std::string_view kKind = "thread.fault";
  std::string_view fault;  // memory, invalid-instruction, trap
  uint64_t pc = 0;
  uint32_t word = 0;
  uint32_t address = 0;
  std::string_view access;
  std::string_view message;
};

struct ImportCall {
  static constexpr std::string_view kKind = "import.call";
  std::string_view module;  // module stem: xboxkrnl, xam
  uint16_t ord = 0;
  std::string_view name;
  std::span<const uint32_t> args;
  std::optional<uint32_t> ret;  // nullopt: the call blocked (null)
  bool implemented = false;
};

struct DebugPrint {
  static constexpr std::string_view kKind = "debug.print";
  std::string_view text;
};

struct WaitBegin {
  static constexpr std::string_view kKind = "wait.begin";
  std::span<const uint32_t> handles;  // handle or guest address of each object
  bool all = false;                   // "all" / "any"
  std::optional<int64_t> timeout_ns;  // nullopt = infinite (null)
  bool alertable = false;
};

struct WaitEnd {
  static constexpr std::string_view kKind = "wait.end";
  uint32_t status = 0;
  std::optional<uint32_t> index;  // nullopt on timeout or delay (null)
};

struct SignalMatch {
  static constexpr std::string_view kKind = "signal.match";
  std::string_view by;  // the API, or "thread.exit"
  uint32_t target_handle = 0;
  std::string_view object_type;
  std::span<const uint32_t> waiter_tids;
};

// Suspend: NtSuspendThread/KeSuspendThread aborted the wait (Waits::abort_for_suspend); the
// thread becomes Suspended, not Ready, and re-issues the wait when resumed.
// Alert: an alertable wait ended because a user APC was queued to the waiter (STATUS_USER_APC).
enum class WakeReason : uint8_t { Signal, Timeout, Suspend, Alert };

struct WakeRequested {
  static constexpr std::string_view kKind = "wake.requested";
  uint32_t target_tid = 0;
  WakeReason reason = WakeReason::Signal;
  std::optional<uint32_t> handle;  // the signaling object; nullopt on timeout (null)
};

// --starvation-alarm: the thread (the event's tid and slot) has been Ready `ready_rounds` rounds
// without running; the last pick on its slot chose `holder_tid` (0: the policy kept the slot
// idle). Once per Ready stretch.
struct SchedStarvation {
  static constexpr std::string_view kKind = "sched.starvation";
  uint64_t ready_rounds = 0;
  int32_t priority = 0;            // its base priority
  int32_t effective_priority = 0;  // under the run's policy
  uint32_t holder_tid = 0;
  std::optional<int32_t> holder_priority;  // the holder's base priority; nullopt when idle (null)
};

// A lock misused in a way the console would not survive cleanly (exports/spinlocks.cc, locks.cc):
// `hazard` is spinlock_across_block (the thread blocked holding spinlock `lock`),
// spinlock_across_quantum (its quantum ended while it held it) or critical_section_unowned_leave
// (it left critical section `lock`, which it did not own). `irql` is the thread's IRQL then.
struct SyncHazard {
  static constexpr std::string_view kKind = "sync.hazard";
  std::string_view hazard;
  uint32_t lock = 0;  // the lock's guest address
  uint32_t irql = 0;
};

// File I/O (kernel/xboxkrnl/files.h): an open or create by guest path, and each read and write.
struct IoOpen {
  static constexpr std::string_view kKind = "io.open";
  std::string_view path;  // as the guest named it
  uint32_t status = 0;
  uint32_t handle = 0;    // 0 when the open failed
};

struct IoTransfer {
  uint32_t handle = 0;
  uint64_t offset = 0;
  uint32_t length = 0;      // asked for
  uint64_t transferred = 0;
  uint32_t status = 0;
};
struct IoRead : IoTransfer {
  static constexpr std::string_view kKind = "io.read";
};
struct IoWrite : IoTransfer {
  static constexpr std::string_view kKind = "io.write";
};

// Timers, DPCs and APCs (kernel/xboxkrnl/timers.h, deferred.h; docs/architecture.md).
// A timer expired at its due cycle (tid 0): it is signaled, its DPC queued, and a periodic one
// re-armed for `next_due_ns` (guest ns since boot; nullopt when it is not periodic: null).
struct TimerFire {
  static constexpr std::string_view kKind = "timer.fire";
  uint32_t timer = 0;  // handle or guest address
  uint32_t period_ms = 0;
  uint32_t dpc = 0;    // 0 = none
  std::optional<uint64_t> next_due_ns;
};

// A DPC routine is called on its slot's DPC thread (the event's tid and slot).
struct DpcRun {
  static constexpr std::string_view kKind = "dpc.run";
  uint32_t dpc = 0;
  uint32_t routine = 0;
  uint32_t context = 0;
  uint32_t arg1 = 0, arg2 = 0;
};

// An APC's routine is called on its target thread (the event's tid): `apc` is the guest KAPC,
// 0 for one NtQueueApcThread or a timer's completion routine queued; `stage` says which routine.
struct ApcDeliver {
  static constexpr std::string_view kKind = "apc.deliver";
  uint32_t apc = 0;
  std::string_view stage;  // "kernel" (KAPC.KernelRoutine) or "normal"
  uint32_t routine = 0;
  uint32_t context = 0;
  uint32_t arg1 = 0, arg2 = 0;
};

// The kernel calls a guest routine on the event's thread when a kernel call returns, before the
// thread's next instruction: a loaded DLL's entry point (DllMain) or a title-terminate
// notification routine. `reason` says which; arg1..arg3 are r3..r5.
struct KernelCall {
  static constexpr std::string_view kKind = "kernel.call";
  std::string_view reason;  // "dll-process-attach", "dll-process-detach", "title-terminate"
  uint32_t routine = 0;
  uint32_t arg1 = 0, arg2 = 0, arg3 = 0;
};

// An alertable wait of the event's thread ends (or never blocks) because user APCs are queued to
// it: they run now, then the wait returns STATUS_USER_APC (its wait.end follows).
struct WaitAlerted {
  static constexpr std::string_view kKind = "wait.alerted";
  uint32_t apcs = 0;  // queued user APCs about to run
};

// The GPU (src/gpu): one VdSwap of the event's thread. `frame` counts swaps from 1; `presented`
// says whether hexad could read the front buffer (gpu/framebuffer.h).
struct GpuSwap {
  static constexpr std::string_view kKind = "gpu.swap";
  uint64_t frame = 0;
  uint32_t frontbuffer = 0;  // the address the title passed
  uint32_t format = 0;       // Xenos TextureFormat
  uint32_t width = 0, height = 0;
  bool tiled = false;
  bool presented = false;
};
// The PM4 packets the command processor read during the frame that swap `frame` ends (since
// the previous swap): counts by type, type-3 ones by opcode name (xenos.h, "op_0xNN" unnamed).
struct OpcodeCount {
  std::string_view name;
  uint64_t count = 0;
};
struct GpuPackets {
  static constexpr std::string_view kKind = "gpu.packets";
  uint64_t frame = 0;
  uint64_t type0 = 0, type1 = 0, type2 = 0;
  std::span<const OpcodeCount> type3;  // opcode order, nonzero only
  uint64_t malformed = 0;
};
// The draw packets (DRAW_INDX, DRAW_INDX_2) of that frame; hexad executes none of them.
struct GpuDraws {
  static constexpr std::string_view kKind = "gpu.draws";
  uint64_t frame = 0;
  uint64_t draws = 0;
};

struct RunStop {
  static constexpr std::string_view kKind = "run.stop";
  std::string_view reason;
  uint64_t instructions = 0;
  uint64_t rounds = 0;
};

using Event = std::variant<RunStart, ThreadCreate, ThreadExit, ThreadFault, ImportCall, DebugPrint, WaitBegin, WaitEnd,
                           SignalMatch, WakeRequested, SchedStarvation, IoOpen, IoRead, IoWrite, TimerFire, DpcRun, ApcDeliver, WaitAlerted,
                           RunStop, SyncHazard, KernelCall, GpuSwap, GpuPackets, GpuDraws>;

inline std::string_view kind_name(const Event& e) {
  return std::visit([](const auto& ev) { return ev.kKind; }, e);
}

// Whether `kind` names an event kind of the schema (for readers such as hexad-audit).
inline bool is_known_kind(std::string_view kind) {
  return []<size_t... I>(std::string_view k, std::index_sequence<I...>) {
    return ((std::variant_alternative_t<I, Event>::kKind == k) || ...);
  }(kind, std::make_index_sequence<std::variant_size_v<Event>>{});
}

// What a sink receives besides the event: the fields the Tracer fills in one place.
struct Stamp {
  uint64_t idx = 0;
  Where where;
  uint64_t host_ns = 0;
};

}  // namespace hexad::trace
