#include "conformance/execute.h"

#include <cstring>

#include <fmt/format.h>

#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/memory.h"

namespace hexad::conformance {

namespace {

using cpu::Memory;

void commit_missing(Memory& mem, uint32_t addr, uint64_t size, uint8_t prot) {
  if (size == 0) return;
  uint64_t a = addr & ~uint64_t(Memory::kPageSize - 1);
  uint64_t end = uint64_t(addr) + size;
  for (; a < end && a < Memory::kSpaceSize; a += Memory::kPageSize)
    if (!mem.is_committed(uint32_t(a))) mem.commit(uint32_t(a), Memory::kPageSize, prot);
}

void apply(cpu::ThreadContext& ctx, const RegValue& r) {
  switch (r.kind) {
    case RegKind::Gpr: ctx.gpr[r.index] = r.bits; break;
    case RegKind::Fpr: ctx.fpr[r.index] = r.bits; break;
    case RegKind::Vr: std::memcpy(ctx.vr[r.index], r.words, sizeof r.words); break;
    case RegKind::Cr: ctx.set_cr_word(uint32_t(r.bits)); break;
    case RegKind::Ctr: ctx.ctr = r.bits; break;
    case RegKind::Xer: ctx.set_xer(r.bits); break;
    case RegKind::Fpscr: ctx.fpscr = uint32_t(r.bits); break;
    case RegKind::Vscr: ctx.vscr = uint32_t(r.bits); break;
  }
}

std::string hex64(uint64_t v) { return fmt::format("0x{:016X}", v); }
std::string hex32(uint64_t v) { return fmt::format("0x{:08X}", v); }
std::string vec(const uint32_t w[4]) { return fmt::format("[{:08X}, {:08X}, {:08X}, {:08X}]", w[0], w[1], w[2], w[3]); }
std::string fp_text(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  return fmt::format("{} (0x{:016X})", d, bits);
}

void check(const cpu::ThreadContext& ctx, const RegValue& r, std::vector<Mismatch>& out) {
  auto mismatch = [&](std::string e, std::string a) { out.push_back({r.name, std::move(e), std::move(a)}); };
  switch (r.kind) {
    case RegKind::Gpr:
      if (ctx.gpr[r.index] != r.bits) mismatch(hex64(r.bits), hex64(ctx.gpr[r.index]));
      break;
    case RegKind::Fpr: {
      // Bit for bit, decimal expectations included (their encoding is fixed by parse_fp_value):
      // -0.0 does not match 0.0 and a NaN matches only the NaN the expectation names.
      uint64_t actual = ctx.fpr[r.index];
      if (actual != r.bits) {
        if (r.fp_is_bits) mismatch(hex64(r.bits), hex64(actual));
        else mismatch(fp_text(r.bits), fp_text(actual));
      }
      break;
    }
    case RegKind::Vr:
      if (std::memcmp(ctx.vr[r.index], r.words, sizeof r.words) != 0) mismatch(vec(r.words), vec(ctx.vr[r.index]));
      break;
    case RegKind::Cr:
      if (ctx.cr_word() != r.bits) mismatch(hex32(r.bits), hex32(ctx.cr_word()));
      break;
    case RegKind::Ctr:
      if (ctx.ctr != r.bits) mismatch(hex64(r.bits), hex64(ctx.ctr));
      break;
    case RegKind::Xer:
      if (ctx.xer() != r.bits) mismatch(hex32(r.bits), hex32(ctx.xer()));
      break;
    case RegKind::Fpscr:
      if (ctx.fpscr != r.bits) mismatch(hex32(r.bits), hex32(ctx.fpscr));
      break;
    case RegKind::Vscr:
      if (ctx.vscr != r.bits) mismatch(hex32(r.bits), hex32(ctx.vscr));
      break;
  }
}

std::string bytes_text(const uint8_t* p, size_t n) {
  std::string s;
  for (size_t k = 0; k < n; ++k) s += fmt::format("{}{:02X}", k ? " " : "", p[k]);
  return s;
}

}  // namespace

CaseResult run_case(const AssembledImage& img, const Case& c, uint32_t entry, uint64_t budget,
                    std::string_view backend_name) {
  CaseResult res;
  Memory mem;
  commit_missing(mem, img.base, img.text.size(), cpu::kProtRWX);
  mem.write_bytes_raw(img.base, img.text.data(), uint32_t(img.text.size()));
  commit_missing(mem, kDataBase, kDataSize, cpu::kProtRW);
  for (const auto* list : {&c.mem_in, &c.mem_out})
    for (const MemoryBlock& m : *list) commit_missing(mem, m.address, m.bytes.size(), cpu::kProtRW);
  for (const MemoryBlock& m : c.mem_in) mem.write_bytes_raw(m.address, m.bytes.data(), uint32_t(m.bytes.size()));

  cpu::ThreadContext ctx;
  cpu::reset_context(ctx, &mem, c.sixty_four_bit);
  ctx.tid = 1;
  for (const RegValue& r : c.reg_in) apply(ctx, r);
  ctx.lr = kReturnSentinel;
  ctx.stop_pc = kReturnSentinel;
  ctx.pc = entry;

  const std::unique_ptr<cpu::ExecBackend> backend = cpu::make_backend(backend_name, mem);
  if (!backend) {
    res.error = fmt::format("no execution backend '{}'", backend_name);
    return res;
  }
  cpu::Stop why = backend->run(ctx, budget).why;
  res.instructions = ctx.instructions;
  // The budget may run out on the very block that returned.
  if (why == cpu::StopReason::Budget && ctx.pc == kReturnSentinel) why = cpu::StopReason::StopPc;
  switch (why) {
    case cpu::StopReason::StopPc: break;
    case cpu::StopReason::Fault: res.error = "guest fault: " + ctx.fault.describe(); return res;
    case cpu::StopReason::Budget:
      res.error = fmt::format("did not reach blr within {} instructions (pc 0x{:08X})", budget, ctx.pc);
      return res;
    case cpu::StopReason::Syscall:
      res.error = fmt::format("unexpected sc at pc 0x{:08X}", ctx.pc - 4);
      return res;
    case cpu::StopReason::None: res.error = "the backend stopped without a reason"; return res;
  }
  for (const RegValue& r : c.reg_out) check(ctx, r, res.mismatches);
  for (const MemoryBlock& m : c.mem_out) {
    const uint8_t* actual = mem.host(m.address);
    if (std::memcmp(actual, m.bytes.data(), m.bytes.size()) != 0)
      res.mismatches.push_back({fmt::format("mem[0x{:08X}]", m.address), bytes_text(m.bytes.data(), m.bytes.size()),
                                bytes_text(actual, m.bytes.size())});
  }
  res.passed = res.mismatches.empty();
  return res;
}

}  // namespace hexad::conformance
