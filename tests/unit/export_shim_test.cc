// Typed export shims (kernel/xboxkrnl/exports/shim.h): argument decoding per parameter type, argc and the
// trace's args derived from a signature, results, signatures; the registry; and a bad guest
// pointer handed to an export faulting the calling thread (Kernel::call_export).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/ordinal_names.h"
#include "kernel/xboxkrnl/kernel.h"
#include "trace/sink.h"

using namespace hexad;
using namespace hexad::kernel;

namespace {

constexpr uint32_t kData = 0x40000000;  // a committed RW page for pointer tests
constexpr uint32_t kUnmapped = 0x00000010;

struct Regs {
  cpu::Memory mem;
  cpu::ThreadContext ctx{};
  Regs() {
    REQUIRE(mem.commit(kData, cpu::Memory::kPageSize, cpu::kProtRW));
    for (int i = 0; i < 32; ++i) ctx.gpr[i] = 0xDEAD0000DEAD0000ull | uint64_t(i);
  }
  template <auto Fn>
  auto decode() {
    return ShimTraits<decltype(Fn)>::decode(ctx, mem);
  }
};

// Signatures under test; the shims are never called, only decoded.
uint32_t Scalars(ExportContext&, uint32_t, int32_t, Handle, Boolean) { return 0; }
uint32_t Pointers(ExportContext&, GuestPtr<int32_t>, GuestPtr<Handle>, GuestPtr<GuestPtr<void>>, GuestPtr<void>) {
  return 0;
}
uint32_t Wide(ExportContext&, uint32_t, uint64_t, int64_t, uint32_t) { return 0; }
uint32_t Variadic(ExportContext&, GuestCString, uint32_t, VarArgs) { return 0; }
void NoResult(ExportContext&) {}
StatusOrBlocked MaybeBlocks(ExportContext&, Boolean block) { return block ? StatusOrBlocked{} : 0x102u; }
int32_t Negative(ExportContext&) { return -2; }
uint64_t Big(ExportContext&) { return 0x123456789ull; }
uint32_t EightArgs(ExportContext&, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                   GuestPtr<void>) {
  return 0;
}

// argc is derived from the signature: one word per 32-bit parameter, two per 64-bit one, none
// for the variadic tail.
static_assert(ShimTraits<decltype(&Scalars)>::kArgc == 4);
static_assert(ShimTraits<decltype(&Pointers)>::kArgc == 4);
static_assert(ShimTraits<decltype(&Wide)>::kArgc == 6);
static_assert(ShimTraits<decltype(&Wide)>::kRegistersUsed == 4);
static_assert(ShimTraits<decltype(&Variadic)>::kArgc == 2);
static_assert(ShimTraits<decltype(&NoResult)>::kArgc == 0);
static_assert(ShimTraits<decltype(&EightArgs)>::kArgc == 8);
static_assert(ShimTraits<decltype(&EightArgs)>::gpr_of(7) == 10);

}  // namespace

TEST_CASE("export shims decode 32-bit values and handles and BOOLEAN from the low bits of r3 onwards") {
  Regs r;
  r.ctx.gpr[3] = 0xFFFFFFFF00000007ull;  // upper half garbage (lis sign-extends in 32-bit mode)
  r.ctx.gpr[4] = 0x00000000FFFFFFFEull;
  r.ctx.gpr[5] = 0x12345678F8000004ull;
  r.ctx.gpr[6] = 0x0000000000000100ull;  // BOOLEAN: only the low byte counts
  auto [u, i, h, b] = r.decode<&Scalars>();
  CHECK(u == 7u);
  CHECK(i == -2);
  CHECK(h.value == 0xF8000004u);
  CHECK_FALSE(b);
  r.ctx.gpr[6] = 0xFFFFFF01ull;
  CHECK(std::get<3>(r.decode<&Scalars>()));
  r.ctx.gpr[6] = 0x80ull;
  CHECK(std::get<3>(r.decode<&Scalars>()).value);
}

TEST_CASE("export shims decode guest pointers that read and write through guest memory") {
  Regs r;
  r.ctx.gpr[3] = 0xABCD0000ull << 32 | kData;
  r.ctx.gpr[4] = kData + 0x10;
  r.ctx.gpr[5] = kData + 0x20;
  r.ctx.gpr[6] = 0;
  auto [out, handles, objects, opaque] = r.decode<&Pointers>();
  CHECK(out.addr() == kData);
  CHECK_FALSE(opaque);
  CHECK(opaque.addr() == 0);

  out.write(-5);
  CHECK(r.mem.read32(kData) == 0xFFFFFFFBu);  // big-endian, signed
  CHECK(out.read() == -5);
  r.mem.write32(kData + 0x10, 0xF8000004);
  r.mem.write32(kData + 0x14, 0xF8000008);
  CHECK(handles.read(0).value == 0xF8000004u);
  CHECK(handles.read(1).value == 0xF8000008u);
  handles.write(Handle{0xF800000C}, 2);
  CHECK(r.mem.read32(kData + 0x18) == 0xF800000Cu);
  r.mem.write32(kData + 0x24, kData + 0x100);
  CHECK(objects.read(1).addr() == kData + 0x100);
  objects.write(GuestPtr<void>(r.mem, 0x82000000), 0);
  CHECK(r.mem.read32(kData + 0x20) == 0x82000000u);
  CHECK(out.writable());
}

TEST_CASE("a null optional out-pointer is skipped and a bad one faults like a guest access") {
  Regs r;
  GuestPtr<uint32_t> null(r.mem, 0);
  null.write_if_set(1);  // nothing to write, no fault
  CHECK_FALSE(null);

  GuestPtr<uint32_t> bad(r.mem, kUnmapped);
  CHECK_FALSE(bad.writable());
  try {
    bad.write_if_set(1);
    FAIL("no fault");
  } catch (const cpu::MemoryFault& f) {
    CHECK(f.address == kUnmapped);
    CHECK(f.size == 4);
    CHECK(f.access == cpu::Access::Write);
  }
  try {
    (void)GuestPtr<uint64_t>(r.mem, kData + cpu::Memory::kPageSize - 4).read();  // straddles into unmapped
    FAIL("no fault");
  } catch (const cpu::MemoryFault& f) {
    CHECK(f.access == cpu::Access::Read);
    CHECK(f.size == 8);
  }
}

TEST_CASE("a 64-bit parameter takes one full 64-bit register as in the console ABI") {
  Regs r;
  r.ctx.gpr[3] = 0xFFFFFFFF00000001ull;
  r.ctx.gpr[4] = 0x1122334455667788ull;
  r.ctx.gpr[5] = 0xFFFFFFFFFFFFFFFEull;
  r.ctx.gpr[6] = 0x99;
  auto [a, wide, negative, d] = r.decode<&Wide>();
  CHECK(a == 1u);
  CHECK(wide == 0x1122334455667788ull);
  CHECK(negative == -2);
  CHECK(d == 0x99u);  // r6, not r7: the 64-bit values did not take register pairs

  TraceArgs t = ShimTraits<decltype(&Wide)>::trace_args(r.ctx);
  REQUIRE(t.count == 6);
  const uint32_t want[] = {0x00000001, 0x11223344, 0x55667788, 0xFFFFFFFF, 0xFFFFFFFE, 0x99};
  for (int i = 0; i < 6; ++i) CHECK(t.words[size_t(i)] == want[i]);
}

TEST_CASE("the trace args list one low word per 32-bit parameter in order") {
  Regs r;
  for (int i = 3; i <= 10; ++i) r.ctx.gpr[i] = 0xFFFFFFFF00000000ull | uint64_t(0x100 + i);
  TraceArgs t = ShimTraits<decltype(&EightArgs)>::trace_args(r.ctx);
  REQUIRE(t.count == 8);
  for (int i = 0; i < 8; ++i) CHECK(t.words[size_t(i)] == uint32_t(0x103 + i));
  CHECK(ShimTraits<decltype(&NoResult)>::trace_args(r.ctx).count == 0);
}

TEST_CASE("variadic exports - the tail starts after the fixed parameters and adds no trace words") {
  Regs r;
  r.ctx.gpr[3] = kData;
  r.ctx.gpr[4] = 5;
  std::memcpy(r.mem.host(kData), "fmt %d", 7);
  auto [format, n, va] = r.decode<&Variadic>();
  CHECK(format.read() == "fmt %d");
  CHECK(n == 5u);
  CHECK(va.first_gpr == 5);
  CHECK(va.ctx == &r.ctx);
  TraceArgs t = ShimTraits<decltype(&Variadic)>::trace_args(r.ctx);
  REQUIRE(t.count == 2);
  CHECK(t.words[0] == kData);
  CHECK(t.words[1] == 5u);
}

TEST_CASE("guest C strings read leniently - null and a string running into unmapped memory") {
  Regs r;
  CHECK(GuestCString(r.mem, 0).read() == "(null)");
  uint32_t tail = kData + cpu::Memory::kPageSize - 3;
  std::memcpy(r.mem.host(tail), "abc", 3);  // no terminator before the page ends
  CHECK(GuestCString(r.mem, tail).read() == "abc");
  CHECK(GuestCString(r.mem, kUnmapped).read().empty());
  std::memcpy(r.mem.host(kData), "abcdef", 7);
  CHECK(GuestCString(r.mem, kData).read(4) == "abcd");
}

TEST_CASE("signatures name the result and each parameter type") {
  CHECK(ShimTraits<decltype(&Scalars)>::signature() == "u32 (u32, i32, HANDLE, BOOLEAN)");
  CHECK(ShimTraits<decltype(&Pointers)>::signature() == "u32 (i32*, HANDLE*, void**, void*)");
  CHECK(ShimTraits<decltype(&Wide)>::signature() == "u32 (u32, u64, i64, u32)");
  CHECK(ShimTraits<decltype(&Variadic)>::signature() == "u32 (char*, u32, ...)");
  CHECK(ShimTraits<decltype(&NoResult)>::signature() == "void ()");
  CHECK(ShimTraits<decltype(&MaybeBlocks)>::signature() == "u32|blocked (BOOLEAN)");
  CHECK(ShimTraits<decltype(&Big)>::signature() == "u64 ()");
}

namespace {

// A kernel with no trace file, no title and one thread, for calling shims and imports.
struct KernelFixture {
  cpu::Memory mem;
  cpu::Interpreter cpu{mem};
  trace::NullSink sink;
  trace::Tracer trace{sink};
  Kernel k{mem, cpu, cpu::sched::SchedulerOptions{}, trace, nullptr, false};
};

constexpr uint32_t kImageBase = 0x82000000;

// An image with one function import per ordinal, thunks at kImageBase + 16 * i.
loader::XexImage image_importing(std::initializer_list<uint16_t> ordinals) {
  loader::XexImage image;
  image.name = "shim-test";
  image.base = kImageBase;
  image.entry = kImageBase + 0x800;
  uint32_t addr = kImageBase;
  for (uint16_t ord : ordinals) {
    image.imports.push_back({"xboxkrnl.exe", ord, true, addr});
    addr += 16;
  }
  return image;
}

}  // namespace

TEST_CASE("invoked shims turn void and blocked and signed and 64-bit returns into the r3 result") {
  KernelFixture f;
  cpu::sched::GuestThread* t = f.k.create_thread(0x82000000, 0, 0, 0x4000, cpu::sched::kAllSlots, 8, false, true);
  REQUIRE(t);
  ExportContext x(f.k, *t, f.mem, "test");
  CHECK_FALSE(invoke_shim<&NoResult>(x).has_value());
  t->ctx->gpr[3] = 1;
  CHECK_FALSE(invoke_shim<&MaybeBlocks>(x).has_value());
  t->ctx->gpr[3] = 0x100;  // BOOLEAN false: completes with STATUS_TIMEOUT
  CHECK(invoke_shim<&MaybeBlocks>(x) == ExportResult(0x102));
  CHECK(invoke_shim<&Negative>(x) == ExportResult(0xFFFFFFFE));
  CHECK(invoke_shim<&Big>(x) == ExportResult(0x123456789ull));
}

TEST_CASE("the export registry is sorted and unique and named as the ordinal tables name it") {
  auto all = all_exports();
  REQUIRE(all.size() >= 30);
  for (size_t i = 0; i < all.size(); ++i) {
    const ExportEntry& e = *all[i];
    INFO(e.module << " " << e.ordinal << " " << e.name);
    CHECK(export_name(e.module, e.ordinal) == e.name);
    CHECK(find_export(e.module, e.ordinal) == &e);
    CHECK(e.argc == e.trace_args(cpu::ThreadContext{}).count);
    if (i > 0) {
      int m = std::strcmp(all[i - 1]->module, e.module);
      CHECK((m < 0 || (m == 0 && all[i - 1]->ordinal < e.ordinal)));
    }
  }
  CHECK(find_export("xboxkrnl", 0x01B0) == nullptr);  // VdBlockUntilGUIIdle: not implemented
  CHECK(find_export("xam", 0x00F6) == nullptr);
  CHECK(find_export("nosuch", 0x00F6) == nullptr);
  const ExportEntry* wait = find_export("xboxkrnl", 0x00AF);
  REQUIRE(wait);
  CHECK(std::string(wait->name) == "KeWaitForMultipleObjects");
  CHECK(wait->argc == 8);
  CHECK(find_export("xboxkrnl", 0x0003)->argc == 1);  // DbgPrint: the format only
}

TEST_CASE("a bad guest pointer handed to an export faults the calling thread with no import.call") {
  KernelFixture f;
  REQUIRE(f.mem.commit(kImageBase, 0x1000, cpu::kProtRWX));
  REQUIRE(f.mem.commit(kData, cpu::Memory::kPageSize, cpu::kProtRW));
  f.k.start(image_importing({0x00D1 /* NtCreateEvent */, 0x00F6 /* NtSetEvent */, 0x00FD /* NtWaitForSingleObjectEx */}));
  cpu::sched::GuestThread* t = f.k.sched().find(f.k.thread_records().begin()->first);
  REQUIRE(t);
  auto call = [&](uint32_t import_index, std::initializer_list<uint32_t> args) {
    int r = 3;
    for (uint32_t a : args) t->ctx->gpr[r++] = a;
    t->ctx->pc = kImageBase + 16 * import_index + 12;  // after the rewritten thunk's sc
    f.k.on_syscall(*t);
  };

  call(0, {kData, 0, 0, 0});  // NtCreateEvent(&handle, NULL, NotificationEvent, FALSE)
  REQUIRE(t->ctx->gpr[3] == kStatusSuccess);
  uint32_t handle = f.mem.read32(kData);

  SECTION("an out-pointer the export writes") {
    uint64_t events = f.trace.events();
    call(1, {handle, kUnmapped});  // NtSetEvent(handle, bad previous_state)
    CHECK(t->state() == cpu::sched::ThreadState::Faulted);
    CHECK(t->ctx->fault.kind == cpu::FaultKind::Memory);
    CHECK(t->ctx->fault.address == kUnmapped);
    CHECK(t->ctx->fault.access == cpu::Access::Write);
    CHECK(t->ctx->fault.pc == kImageBase + 16 + 8);  // the thunk's sc
    // thread.fault, then the signal.match of the thread's own object (a fault ends the thread):
    // the bad pointer is found before the event is set (no signal.match of it), and no import.call.
    CHECK(f.trace.events() == events + 2);
    CHECK(f.k.objects().by_handle(handle)->signal_state == 0);
  }
  SECTION("a timeout the export reads") {
    uint64_t events = f.trace.events();
    call(2, {handle, 0, 0, kUnmapped});  // NtWaitForSingleObjectEx(handle, KernelMode, FALSE, bad timeout)
    CHECK(t->state() == cpu::sched::ThreadState::Faulted);
    CHECK(t->ctx->fault.address == kUnmapped);
    CHECK(t->ctx->fault.size == 8);
    CHECK(t->ctx->fault.access == cpu::Access::Read);
    CHECK(f.trace.events() == events + 2);  // thread.fault and its thread object's signal.match
  }
  SECTION("a null optional pointer is not a fault") {
    call(1, {handle, 0});
    CHECK(t->state() != cpu::sched::ThreadState::Faulted);
    CHECK(t->ctx->gpr[3] == kStatusSuccess);
  }
}

TEST_CASE("the export registry finds an ordinal only where one is registered, gaps between them included") {
  // An unimplemented ordinal between two implemented ones must not bind to a neighbour.
  for (const char* module : {"xboxkrnl", "xam"})
    for (uint32_t ordinal = 0; ordinal < 0x400; ++ordinal) {
      const ExportEntry* registered = nullptr;
      for (const ExportEntry* e : all_exports())
        if (!std::strcmp(e->module, module) && e->ordinal == ordinal) registered = e;
      INFO(module << " " << ordinal);
      CHECK(find_export(module, uint16_t(ordinal)) == registered);
    }
}
