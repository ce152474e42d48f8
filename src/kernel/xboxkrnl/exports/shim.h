// Typed export shims: an export is a C++ function `R Fn(ExportContext& x, P1 p1, P2 p2, ...)`,
// and everything the kernel needs to call it from a guest `sc` is derived from that signature:
// which registers each parameter comes from, how many argument words the trace's import.call
// lists, what goes back into r3, and a printable signature for `hexad exports`.
//
// Calling convention (the console's): parameters take r3..r10 in order, one register each. The
// console runs 64-bit registers with 32-bit pointers, so a 64-bit parameter (uint64_t, int64_t)
// takes ONE full 64-bit register, not the 32-bit SysV register pair; every other parameter uses
// the register's low 32 bits (in 32-bit mode the upper half may hold anything, e.g. after `lis`).
// SDK titles are built with -m32 and so cannot pass 64-bit values by value (docs/sdk.md); no
// export implemented today takes one. Variadic exports (DbgPrint) end with VarArgs, which takes
// the registers after the fixed parameters and then the caller's parameter save area.
//
// Decoding reads registers only, never guest memory: pointers are read or written when the
// handler asks, through cpu::Memory, so a bad guest pointer raises cpu::MemoryFault at the same
// point of the handler as before, and Kernel::call_export turns it into a thread fault.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "cpu/context.h"
#include "cpu/memory.h"
#include "cpu/sched/guest_thread.h"

namespace hexad::kernel {

class Kernel;

// What a handler acts on: the kernel, the calling thread, guest memory, and the export's name
// (used as the `by` of the signal.match events it causes).
class ExportContext {
 public:
  ExportContext(Kernel& k, cpu::sched::GuestThread& t, cpu::Memory& mem, const char* name)
      : k(k), t(t), name(name), mem_(mem) {}
  Kernel& k;
  cpu::sched::GuestThread& t;
  const char* name;
  cpu::Memory& mem() { return mem_; }

 private:
  cpu::Memory& mem_;
};

// Thrown by a handler to fault the calling thread with this record; Kernel::call_export records
// it as it records a bad pointer's cpu::MemoryFault. RtlRaiseException's unhandled exception
// throws its own record; misuse the console's kernel stops on (an assertion or bug check) where
// hexad cannot go on sensibly, e.g. acquiring a spinlock the thread already holds, throws
// guest_trap(), and `why` goes to stderr with the fault.
struct ExportFault {
  cpu::FaultRecord fault;
  const char* why = nullptr;
};
// A trap at the caller's `sc` (the word 0x44000002), the fault of a refused call.
inline ExportFault guest_trap(const cpu::ThreadContext& ctx, const char* why) {
  return {{cpu::FaultKind::Trap, uint32_t(ctx.pc - 4), 0x44000002u, 0, 0, cpu::Access::Execute}, why};
}

// ---- parameter types ----------------------------------------------------------------------

// A kernel handle (HANDLE): a 32-bit number, not a pointer.
struct Handle {
  uint32_t value = 0;
};

// BOOLEAN: one byte; only the register's low byte counts (the rest may be garbage).
struct Boolean {
  bool value = false;
  operator bool() const { return value; }
};

template <typename T>
class GuestPtr;

// How a T is stored in guest memory (big-endian, pointers and handles 32 bits).
template <typename T>
struct GuestValue {
  static_assert(std::is_integral_v<T>, "GuestPtr<T>: T must be an integer, Handle, GuestPtr<U> or void");
  using Bits = std::make_unsigned_t<T>;  // Memory's big-endian accessors work on unsigned words
  static constexpr uint32_t kSize = sizeof(T);
  static T read(const cpu::Memory& mem, uint32_t addr) { return T(mem.read<Bits>(addr)); }
  static void write(cpu::Memory& mem, uint32_t addr, T v) { mem.write<Bits>(addr, Bits(v)); }
};
template <>
struct GuestValue<Handle> {
  static constexpr uint32_t kSize = 4;
  static Handle read(const cpu::Memory& mem, uint32_t addr) { return {mem.read32(addr)}; }
  static void write(cpu::Memory& mem, uint32_t addr, Handle v) { mem.write32(addr, v.value); }
};
template <typename U>
struct GuestValue<GuestPtr<U>> {
  static constexpr uint32_t kSize = 4;
  static GuestPtr<U> read(cpu::Memory& mem, uint32_t addr) { return GuestPtr<U>(mem, mem.read32(addr)); }
  static void write(cpu::Memory& mem, uint32_t addr, GuestPtr<U> v) { mem.write32(addr, v.addr()); }
};

// A guest pointer to T (T = void: opaque, address only). Reads and writes go through
// cpu::Memory and throw cpu::MemoryFault on an inaccessible address, as guest loads do.
template <typename T>
class GuestPtr {
 public:
  GuestPtr(cpu::Memory& mem, uint32_t addr) : mem_(&mem), addr_(addr) {}
  uint32_t addr() const { return addr_; }
  explicit operator bool() const { return addr_ != 0; }
  cpu::Memory& mem() const { return *mem_; }

  // Element `index` of an array at the pointer (guest address arithmetic wraps at 32 bits).
  T read(uint32_t index = 0) const
    requires(!std::is_void_v<T>)
  {
    return GuestValue<T>::read(*mem_, element(index));
  }
  template <typename U = T>
    requires(!std::is_void_v<U>)
  void write(std::type_identity_t<U> value, uint32_t index = 0) const {
    GuestValue<T>::write(*mem_, element(index), value);
  }
  // The optional out-parameter idiom: writes only when the pointer is not null.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  void write_if_set(std::type_identity_t<U> value) const {
    if (addr_) write(value);
  }
  // Faults the caller (throws cpu::MemoryFault, as the access itself would) unless `size` bytes
  // at the pointer can be accessed as `access`: for an export that must find a bad pointer
  // before it changes anything, so a fault leaves no half-done call behind.
  void probe(uint32_t size, cpu::Access access) const {
    const uint8_t need = access == cpu::Access::Write ? cpu::kProtWrite : cpu::kProtRead;
    if (!mem_->accessible(addr_, size, need)) throw cpu::MemoryFault{addr_, size, access};
  }
  // probe() for a non-null out-parameter of type T.
  void probe_if_set() const
    requires(!std::is_void_v<T>)
  {
    if (addr_) probe(GuestValue<T>::kSize, cpu::Access::Write);
  }
  // True when the whole pointee can be written (for exports that skip, rather than fault on,
  // an unwritable out-parameter).
  bool writable() const
    requires(!std::is_void_v<T>)
  {
    return mem_->accessible(addr_, GuestValue<T>::kSize, cpu::kProtWrite);
  }

 private:
  uint32_t element(uint32_t index) const
    requires(!std::is_void_v<T>)
  {
    return addr_ + GuestValue<T>::kSize * index;
  }
  cpu::Memory* mem_;
  uint32_t addr_;
};

// A NUL-terminated guest string (const char*), read leniently: up to `max` bytes, stopping at
// the first unreadable byte instead of faulting (debug output must not kill a title).
class GuestCString {
 public:
  GuestCString(cpu::Memory& mem, uint32_t addr) : mem_(&mem), addr_(addr) {}
  uint32_t addr() const { return addr_; }
  std::string read(size_t max = 4096) const;  // "(null)" for a null pointer
  // As read(), but an unreadable byte before the NUL faults the caller (cpu::MemoryFault) instead
  // of ending the string: the C runtime's view (sprintf's format and %s arguments).
  std::string read_or_fault(size_t max) const;

 private:
  cpu::Memory* mem_;
  uint32_t addr_;
};

// A NUL-terminated guest wide string (const wchar_t*: 16-bit big-endian units), read as
// GuestCString reads a narrow one: up to `max` units, u"(null)" for a null pointer; the units are
// kept as they are (UTF-16 code units, never transcoded).
class GuestWString {
 public:
  GuestWString(cpu::Memory& mem, uint32_t addr) : mem_(&mem), addr_(addr) {}
  uint32_t addr() const { return addr_; }
  std::u16string read(size_t max = 4096) const;
  std::u16string read_or_fault(size_t max) const;

 private:
  cpu::Memory* mem_;
  uint32_t addr_;
};

// Where the caller put its `index`th 32-bit argument past r10 (index 0 is the ninth parameter,
// or the first variadic argument after the registers). 64-bit-mode (console) code passes them in
// 8-byte slots of its parameter save area from r1+0x50, a 32-bit value in the slot's low word:
// r1+0x54+8*index, as xenia's get_arg_stack_ptr (kernel/util/shim_utils.h) reads them. The
// SDK's 32-bit-mode titles use the SysV convention: 4-byte words from r1+8.
inline uint32_t stack_argument_address(const cpu::ThreadContext& ctx, uint32_t index) {
  const uint32_t sp = uint32_t(ctx.gpr[1]);
  return ctx.sf() ? sp + 0x54 + 8 * index : sp + 8 + 4 * index;
}

// The variadic tail of a `...` export: where its first argument is. Read it with a
// FormatArgs source (GuestVarArgs in guest_varargs.h); it adds nothing to the trace's args.
struct VarArgs {
  const cpu::ThreadContext* ctx;
  cpu::Memory* mem;
  int first_gpr;  // the register holding the first variadic argument
};

// The stack arguments, the ninth parameter on, where the caller's mode puts them
// (stack_argument_address). Read on demand, like a GuestPtr: a bad r1 faults the caller. They
// take no register and are not in the trace's args. Last parameter only.
struct StackArgs {
  const cpu::ThreadContext* ctx;
  cpu::Memory* mem;
  uint32_t word(uint32_t i) const { return mem->read32(stack_argument_address(*ctx, i)); }
};

// ---- what a call produces ----------------------------------------------------------------

// For waits: the status when the call completed, nullopt when the thread blocked (its r3 is
// written when it wakes, and the import.call's ret is null).
using StatusOrBlocked = std::optional<uint32_t>;
// What call_export writes back to r3 and traces as ret: nothing for void and blocked calls.
using ExportResult = std::optional<uint64_t>;

// The trace's import.call args: the argument words, in parameter order.
constexpr int kMaxArgRegisters = 8;  // r3..r10; no export takes stack arguments
constexpr int kMaxTraceArgs = 2 * kMaxArgRegisters;
struct TraceArgs {
  std::array<uint32_t, kMaxTraceArgs> words{};
  uint8_t count = 0;
};

// ---- per-type decoding --------------------------------------------------------------------
// ParamCodec<T>: registers taken, trace words written, its name in signatures, and decode().

inline uint32_t low32(const cpu::ThreadContext& ctx, int gpr) { return uint32_t(ctx.gpr[gpr]); }

template <typename T>
struct ParamCodec;

struct Word32Codec {
  static constexpr int kRegisters = 1, kTraceWords = 1;
  static void trace(const cpu::ThreadContext& ctx, int gpr, uint32_t* out) { out[0] = low32(ctx, gpr); }
};

template <>
struct ParamCodec<uint32_t> : Word32Codec {
  static constexpr const char* kName = "u32";
  static uint32_t decode(const cpu::ThreadContext& ctx, cpu::Memory&, int gpr) { return low32(ctx, gpr); }
};
template <>
struct ParamCodec<int32_t> : Word32Codec {
  static constexpr const char* kName = "i32";
  static int32_t decode(const cpu::ThreadContext& ctx, cpu::Memory&, int gpr) { return int32_t(low32(ctx, gpr)); }
};
template <>
struct ParamCodec<Handle> : Word32Codec {
  static constexpr const char* kName = "HANDLE";
  static Handle decode(const cpu::ThreadContext& ctx, cpu::Memory&, int gpr) { return {low32(ctx, gpr)}; }
};
template <>
struct ParamCodec<Boolean> : Word32Codec {
  static constexpr const char* kName = "BOOLEAN";
  static Boolean decode(const cpu::ThreadContext& ctx, cpu::Memory&, int gpr) { return {(ctx.gpr[gpr] & 0xFF) != 0}; }
};
template <>
struct ParamCodec<GuestCString> : Word32Codec {
  static constexpr const char* kName = "char*";
  static GuestCString decode(const cpu::ThreadContext& ctx, cpu::Memory& mem, int gpr) { return {mem, low32(ctx, gpr)}; }
};
template <>
struct ParamCodec<GuestWString> : Word32Codec {
  static constexpr const char* kName = "wchar_t*";
  static GuestWString decode(const cpu::ThreadContext& ctx, cpu::Memory& mem, int gpr) { return {mem, low32(ctx, gpr)}; }
};

// A type's name in `hexad exports` signatures.
template <typename T>
std::string type_name();

template <typename T>
struct ParamCodec<GuestPtr<T>> : Word32Codec {
  static std::string name() { return type_name<T>() + "*"; }
  static GuestPtr<T> decode(const cpu::ThreadContext& ctx, cpu::Memory& mem, int gpr) { return {mem, low32(ctx, gpr)}; }
};

// 64-bit values: one full register; traced as two words, high then low.
template <typename T>
struct Word64Codec {
  static constexpr int kRegisters = 1, kTraceWords = 2;
  static void trace(const cpu::ThreadContext& ctx, int gpr, uint32_t* out) {
    out[0] = uint32_t(ctx.gpr[gpr] >> 32);
    out[1] = uint32_t(ctx.gpr[gpr]);
  }
  static T decode(const cpu::ThreadContext& ctx, cpu::Memory&, int gpr) { return T(ctx.gpr[gpr]); }
};
template <>
struct ParamCodec<uint64_t> : Word64Codec<uint64_t> {
  static constexpr const char* kName = "u64";
};
template <>
struct ParamCodec<int64_t> : Word64Codec<int64_t> {
  static constexpr const char* kName = "i64";
};

template <>
struct ParamCodec<VarArgs> {
  static constexpr int kRegisters = 0, kTraceWords = 0;
  static constexpr const char* kName = "...";
  static void trace(const cpu::ThreadContext&, int, uint32_t*) {}
  static VarArgs decode(const cpu::ThreadContext& ctx, cpu::Memory& mem, int gpr) { return {&ctx, &mem, gpr}; }
};

template <>
struct ParamCodec<StackArgs> {
  static constexpr int kRegisters = 0, kTraceWords = 0;
  static constexpr const char* kName = "stack...";
  static void trace(const cpu::ThreadContext&, int, uint32_t*) {}
  static StackArgs decode(const cpu::ThreadContext& ctx, cpu::Memory& mem, int) { return {&ctx, &mem}; }
};

template <typename T>
std::string type_name() {
  if constexpr (std::is_void_v<T>) return "void";
  else if constexpr (std::is_same_v<T, uint8_t>) return "u8";
  else if constexpr (std::is_same_v<T, uint16_t>) return "u16";
  else if constexpr (requires { ParamCodec<T>::kName; }) return ParamCodec<T>::kName;
  else return ParamCodec<T>::name();
}

// ---- results ------------------------------------------------------------------------------

template <typename R>
struct ResultCodec;
template <>
struct ResultCodec<void> {
  static constexpr const char* kName = "void";
};
template <>
struct ResultCodec<uint32_t> {
  static constexpr const char* kName = "u32";
  static ExportResult to_result(uint32_t v) { return v; }
};
template <>
struct ResultCodec<int32_t> {
  static constexpr const char* kName = "i32";
  static ExportResult to_result(int32_t v) { return uint32_t(v); }
};
template <>
struct ResultCodec<uint64_t> {
  static constexpr const char* kName = "u64";
  static ExportResult to_result(uint64_t v) { return v; }
};
template <>
struct ResultCodec<StatusOrBlocked> {
  static constexpr const char* kName = "u32|blocked";
  static ExportResult to_result(StatusOrBlocked v) { return v ? ExportResult(*v) : std::nullopt; }
};

// ---- a whole signature --------------------------------------------------------------------

template <typename Fn>
struct ShimTraits;

template <typename R, typename... P>
struct ShimTraits<R (*)(ExportContext&, P...)> {
  using Result = R;
  static constexpr int kParams = int(sizeof...(P));
  static constexpr std::array<int, sizeof...(P) + 1> kRegisters = {ParamCodec<P>::kRegisters..., 0};
  static constexpr std::array<int, sizeof...(P) + 1> kTraceWords = {ParamCodec<P>::kTraceWords..., 0};

  // Register (gpr index) of parameter i: r3 plus the registers of the parameters before it.
  static constexpr int gpr_of(int i) {
    int g = 3;
    for (int j = 0; j < i; ++j) g += kRegisters[size_t(j)];
    return g;
  }
  static constexpr int trace_offset_of(int i) {
    int w = 0;
    for (int j = 0; j < i; ++j) w += kTraceWords[size_t(j)];
    return w;
  }
  static constexpr int kRegistersUsed = gpr_of(kParams) - 3;
  static constexpr int kArgc = trace_offset_of(kParams);
  static_assert(kRegistersUsed <= kMaxArgRegisters, "exports with stack arguments are not supported");
  static constexpr bool vararg_is_last() {
    constexpr bool is_va[] = {(std::is_same_v<P, VarArgs> || std::is_same_v<P, StackArgs>)..., false};
    for (int i = 0; i + 1 < kParams; ++i)
      if (is_va[i]) return false;
    return true;
  }
  static_assert(vararg_is_last(), "VarArgs and StackArgs must be the last parameter");

  static std::tuple<P...> decode(const cpu::ThreadContext& ctx, cpu::Memory& mem) {
    return decode_each(ctx, mem, std::index_sequence_for<P...>{});
  }
  static TraceArgs trace_args(const cpu::ThreadContext& ctx) {
    TraceArgs a;
    trace_each(ctx, a, std::index_sequence_for<P...>{});
    a.count = uint8_t(kArgc);
    return a;
  }
  static std::string signature() {
    std::string params;
    ((params += (params.empty() ? "" : ", ") + type_name<P>()), ...);
    return std::string(ResultCodec<R>::kName) + " (" + params + ")";
  }

 private:
  template <size_t... I>
  static std::tuple<P...> decode_each(const cpu::ThreadContext& ctx, cpu::Memory& mem, std::index_sequence<I...>) {
    return std::tuple<P...>{ParamCodec<P>::decode(ctx, mem, gpr_of(int(I)))...};
  }
  template <size_t... I>
  static void trace_each(const cpu::ThreadContext& ctx, TraceArgs& a, std::index_sequence<I...>) {
    (ParamCodec<P>::trace(ctx, gpr_of(int(I)), a.words.data() + trace_offset_of(int(I))), ...);
  }
};

// The trampoline call_export runs: decode, call, turn the return value into r3's.
template <auto Fn>
ExportResult invoke_shim(ExportContext& x) {
  using Traits = ShimTraits<decltype(Fn)>;
  auto args = Traits::decode(*x.t.ctx, x.mem());
  if constexpr (std::is_void_v<typename Traits::Result>) {
    std::apply([&](auto... a) { Fn(x, a...); }, args);
    return std::nullopt;
  } else {
    return ResultCodec<typename Traits::Result>::to_result(std::apply([&](auto... a) { return Fn(x, a...); }, args));
  }
}

}  // namespace hexad::kernel
