#include "outcome.h"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace difffuzz {

namespace {

using hexad::cpu::StopReason;

const char* stop_name(StopReason s) {
  switch (s) {
    case StopReason::None: return "none";
    case StopReason::Syscall: return "syscall";
    case StopReason::Fault: return "fault";
    case StopReason::Budget: return "budget";
    case StopReason::StopPc: return "stop_pc";
  }
  return "?";
}

// Field names are formatted only for a difference: comparing two equal outcomes formats nothing.
class Diff {
 public:
  explicit Diff(std::vector<std::string>& out) : out_(out) {}
  void u64(const char* name, uint64_t a, uint64_t b, int index = -1) {
    if (a != b) out_.push_back(fmt::format("{}: 0x{:016X} vs 0x{:016X}", label(name, index), a, b));
  }
  void u32(const char* name, uint32_t a, uint32_t b, int index = -1) {
    if (a != b) out_.push_back(fmt::format("{}: 0x{:08X} vs 0x{:08X}", label(name, index), a, b));
  }
  void text(const char* name, const char* a, const char* b) {
    if (std::string_view(a) != b) out_.push_back(fmt::format("{}: {} vs {}", name, a, b));
  }
  void vec(int index, const uint32_t (&a)[4], const uint32_t (&b)[4]) {
    if (std::memcmp(a, b, sizeof a) != 0)
      out_.push_back(fmt::format("v{}: {:08X} {:08X} {:08X} {:08X} vs {:08X} {:08X} {:08X} {:08X}", index, a[0], a[1],
                                 a[2], a[3], b[0], b[1], b[2], b[3]));
  }

 private:
  // "r5" for ("r", 5); "cr[3] byte" for ("cr[] byte", 3); the name itself without an index.
  static std::string label(const char* name, int index) {
    if (index < 0) return name;
    std::string n = name;
    const size_t at = n.find("[]");
    return at == std::string::npos ? n + std::to_string(index)
                                    : n.substr(0, at) + "[" + std::to_string(index) + "]" + n.substr(at + 2);
  }
  std::vector<std::string>& out_;
};

}  // namespace

std::vector<std::string> differences(const Outcome& a, const Outcome& b) {
  std::vector<std::string> out;
  Diff d(out);
  d.text("run.why", stop_name(a.result.why), stop_name(b.result.why));
  d.u64("run.retired", a.result.retired, b.result.retired);
  const auto &x = a.ctx, &y = b.ctx;
  d.text("stop", stop_name(x.stop), stop_name(y.stop));
  d.u64("instructions", x.instructions, y.instructions);
  d.u64("pc", x.pc, y.pc);
  d.u64("msr", x.msr, y.msr);
  for (int k = 0; k < 32; ++k) d.u64("r", x.gpr[k], y.gpr[k], k);
  d.u64("lr", x.lr, y.lr);
  d.u64("ctr", x.ctr, y.ctr);
  d.u32("cr", x.cr_word(), y.cr_word());
  d.u64("xer", x.xer(), y.xer());
  // The raw CR/XER bytes too: a backend leaving bits above a field's 4 (or 1) in them differs.
  for (int k = 0; k < 8; ++k) d.u32("cr[] byte", x.cr[k], y.cr[k], k);
  d.u32("xer_so byte", x.xer_so, y.xer_so);
  d.u32("xer_ov byte", x.xer_ov, y.xer_ov);
  d.u32("xer_ca byte", x.xer_ca, y.xer_ca);
  d.u32("xer_bytes byte", x.xer_bytes, y.xer_bytes);
  d.u32("fpscr", x.fpscr, y.fpscr);
  d.u32("vscr", x.vscr, y.vscr);
  for (int k = 0; k < 4; ++k) d.u64("sprg", x.sprg[k], y.sprg[k], k);
  for (int k = 0; k < 32; ++k) d.u64("f", x.fpr[k], y.fpr[k], k);
  for (int k = 0; k < 128; ++k) d.vec(k, x.vr[k], y.vr[k]);
  d.u64("stop_pc", x.stop_pc, y.stop_pc);
  d.u32("tid", x.tid, y.tid);
  d.text("fault.kind", hexad::cpu::fault_kind_name(x.fault.kind), hexad::cpu::fault_kind_name(y.fault.kind));
  d.u64("fault.pc", x.fault.pc, y.fault.pc);
  d.u32("fault.word", x.fault.word, y.fault.word);
  d.u32("fault.address", x.fault.address, y.fault.address);
  d.u32("fault.size", x.fault.size, y.fault.size);
  d.text("fault.access", hexad::cpu::access_name(x.fault.access), hexad::cpu::access_name(y.fault.access));
  if (a.page != b.page) {
    for (uint32_t off = 0; off < kScratchPageSize; off += 8) {
      uint64_t p = 0, q = 0;
      for (int k = 0; k < 8; ++k) p = p << 8 | a.page[off + k], q = q << 8 | b.page[off + k];
      if (p != q) out.push_back(fmt::format("mem[0x{:08X}]: 0x{:016X} vs 0x{:016X}", kScratchPage + off, p, q));
    }
  }
  d.u32("reservations (granule bits)", a.reservations, b.reservations);
  return out;
}

namespace {

struct Named {
  const char* name;
  Perturb kind;
};
constexpr Named kPerturbs[] = {
    {"gpr", Perturb::Gpr},     {"fpr", Perturb::Fpr},       {"vr", Perturb::Vr},         {"cr", Perturb::Cr},
    {"xer", Perturb::Xer},     {"fpscr", Perturb::Fpscr},   {"vscr", Perturb::Vscr},     {"lr", Perturb::Lr},
    {"ctr", Perturb::Ctr},     {"pc", Perturb::Pc},         {"msr", Perturb::Msr},       {"mem", Perturb::Mem},
    {"count", Perturb::Count}, {"retired", Perturb::Retired}, {"stop", Perturb::Stop},   {"fault", Perturb::Fault},
    {"reservation", Perturb::Reservation},
};

}  // namespace

const std::vector<std::string>& perturb_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Named& n : kPerturbs) v.push_back(n.name);
    return v;
  }();
  return names;
}

Perturb parse_perturb(const std::string& name) {
  for (const Named& n : kPerturbs)
    if (name == n.name) return n.kind;
  std::string known;
  for (const std::string& n : perturb_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::runtime_error("unknown --perturb kind '" + name + "' (" + known + ")");
}

void perturb(Outcome& o, Perturb kind) {
  auto& c = o.ctx;
  switch (kind) {
    case Perturb::None: break;
    case Perturb::Gpr: c.gpr[5] ^= 1; break;
    case Perturb::Fpr: c.fpr[9] ^= 1; break;
    case Perturb::Vr: c.vr[7][2] ^= 0x100; break;
    case Perturb::Cr: c.cr[3] ^= hexad::cpu::kCrEQ; break;
    case Perturb::Xer: c.xer_ca ^= 1; break;
    case Perturb::Fpscr: c.fpscr ^= 0x00000002u; break;  // RN's low bit
    case Perturb::Vscr: c.vscr ^= 1; break;              // SAT
    case Perturb::Lr: c.lr += 4; break;
    case Perturb::Ctr: c.ctr -= 1; break;
    case Perturb::Pc: c.pc += 4; break;
    case Perturb::Msr: c.msr ^= 1ull << 63; break;
    case Perturb::Mem: o.page[kScratchPageSize / 2 + 3] ^= 0x40; break;
    case Perturb::Count: c.instructions += 1; break;
    case Perturb::Retired: o.result.retired += 1; break;
    case Perturb::Stop:
      o.result.why = o.result.why == StopReason::Budget ? StopReason::StopPc : StopReason::Budget;
      break;
    case Perturb::Fault:
      c.fault.kind = c.fault.kind == hexad::cpu::FaultKind::Trap ? hexad::cpu::FaultKind::InvalidInstruction
                                                                 : hexad::cpu::FaultKind::Trap;
      break;
    case Perturb::Reservation: o.reservations ^= 1u << 5; break;
  }
}

}  // namespace difffuzz
