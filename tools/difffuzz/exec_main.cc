// difffuzz-exec: runs a batch of generated blocks (difffuzz-gen --bare, assembled and linked)
// in process under two execution backends (cpu/exec_backend.h) and compares what each run leaves
// (outcome.h). Each block runs from its seed-derived input state (the record's input half and
// scratch buffer), in 64- and/or 32-bit mode, in these scenarios:
//   full           to its end label (stop_pc)
//   budget B       B = 0 .. N+1 instructions (N: the full run's count), compared; then resumed to
//                  the end and compared again
//   stop_pc I      stop_pc at the block's I-th word (I = 0 .. L-1); a stop_pc the block branches
//                  over is never reached and the run ends at the `sc` after the end label
//   patched        the block's middle word replaced by a nop (host write + invalidate()), run, and
//                  restored (+ invalidate()): the scenarios after it run the original again, so
//                  code a backend kept from before the patch (or from the patched block) shows
//   step           one instruction per run() call to the end
//   page r, page - the scratch page read-only, then inaccessible: stores (and loads) fault
//
//   difffuzz-exec --elf B.elf --symbols B.nm --data B.bin --backends A,B [--modes 64,32]
//                 [--perturb KIND] [--max-report K]
//   difffuzz-exec --list-backends
//
// B.nm is `nm` output of the ELF (the blk_<G>_start/_end labels). Prints each mismatching run
// (up to K) and a last line "RESULT blocks=.. runs=.. mismatched_blocks=.. mismatched_runs=..".
// Exit status: 0 all runs agree, 1 a mismatch, 2 a setup error. --perturb corrupts one field of
// the second backend's outcomes (the comparator's self-test: it must then report mismatches).
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/endian.h"
#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/memory.h"
#include "layout.h"
#include "loader/elf/elf_loader.h"
#include "outcome.h"

namespace {

using namespace difffuzz;
namespace cpu = hexad::cpu;

constexpr uint64_t kBigBudget = 100000;  // blocks are forward-only and a few hundred words at most

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(sep, pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

struct BlockAddr {
  uint64_t index;
  uint32_t start = 0, end = 0;
};

// blk_<G>_start / blk_<G>_end from `nm` output, in block order.
std::vector<BlockAddr> block_addresses(const std::string& nm_text) {
  std::map<uint64_t, BlockAddr> by_index;
  std::istringstream in(nm_text);
  std::string addr, type, name;
  while (in >> addr >> type >> name) {
    if (name.rfind("blk_", 0) != 0) continue;
    const size_t us = name.find('_', 4);
    if (us == std::string::npos) continue;
    const uint64_t g = std::stoull(name.substr(4, us - 4));
    const uint32_t a = uint32_t(std::stoull(addr, nullptr, 16));
    BlockAddr& b = by_index[g];
    b.index = g;
    if (name.substr(us) == "_start") b.start = a;
    else if (name.substr(us) == "_end") b.end = a;
  }
  std::vector<BlockAddr> out;
  for (auto& [g, b] : by_index) {
    if (!b.start || !b.end || b.end < b.start) throw std::runtime_error(fmt::format("block {}: labels missing", g));
    out.push_back(b);
  }
  return out;
}

uint64_t be64(const uint8_t* p) { return hexad::load_be<uint64_t>(p); }
uint32_t be32(const uint8_t* p) { return hexad::load_be<uint32_t>(p); }

// The FPSCR as `mtfsf 0xff` leaves it (the harness loads it so): VX summarises the invalid-
// operation bits, FEX is 0 (no exception is enabled).
uint32_t fpscr_as_loaded(uint32_t v) {
  constexpr uint32_t kVxBits = 0x01F80700u, kVx = 0x20000000u, kFex = 0x40000000u;
  v &= ~(kVx | kFex);
  if (v & kVxBits) v |= kVx;
  return v;
}

// One backend over its own guest memory (the ELF's text and the scratch page).
struct Side {
  cpu::Memory mem;
  std::unique_ptr<cpu::ExecBackend> backend;
  cpu::ThreadContext ctx{};

  Side(const std::string& name, const std::string& elf_bytes, const std::string& elf_path) {
    backend = cpu::make_backend(name, mem);
    if (!backend) {
      std::string known;
      for (std::string_view n : cpu::backend_names()) known += (known.empty() ? "" : ", ") + std::string(n);
      throw std::runtime_error(fmt::format("no backend '{}' (known: {})", name, known));
    }
    hexad::loader::load_elf(elf_bytes, mem, elf_path);
    if (!mem.commit(kScratchPage, kScratchPageSize, cpu::kProtRW))
      throw std::runtime_error("the ELF overlaps the scratch page");
  }

  // The block's input state from its record, in the given mode, with the scratch page at `prot`.
  void prepare(const uint8_t* rec, bool sixty_four, uint32_t pc, uint32_t stop_pc, uint8_t prot) {
    mem.protect(kScratchPage, kScratchPageSize, cpu::kProtRW);
    mem.clear_reservation(1);
    mem.fill(kScratchPage, 0, kScratchPageSize);
    mem.write_bytes(kScratchR1 - kBufSize / 2, rec + kBuf, kBufSize);
    mem.protect(kScratchPage, kScratchPageSize, prot);
    cpu::reset_context(ctx, &mem, sixty_four);
    ctx.tid = 1;
    const uint8_t* in = rec + kInRegs;
    for (int k = 0; k < 32; ++k) ctx.gpr[k] = be64(in + kOffGpr + 8 * k);
    ctx.gpr[1] = kScratchR1;
    for (int k = 0; k < 32; ++k) ctx.fpr[k] = be64(in + kOffFpr + 8 * k);
    ctx.set_cr_word(be32(in + kOffCr));
    ctx.set_xer(be64(in + kOffXer));
    ctx.fpscr = fpscr_as_loaded(uint32_t(be64(in + kOffFpscr)));
    ctx.vscr = be32(in + kOffVscr + 12);
    ctx.ctr = be64(in + kOffCtr);
    ctx.lr = be64(in + kOffLr);
    for (int v = 0; v < 32; ++v)
      for (int w = 0; w < 4; ++w) ctx.vr[v][w] = be32(in + kOffVr + 16 * v + 4 * w);
    // VMX128's v32..v127 (the record has v0..v31): the same shaped values, words rotated per bank.
    for (int v = 32; v < 128; ++v)
      for (int w = 0; w < 4; ++w) ctx.vr[v][w] = ctx.vr[v % 32][(w + v / 32) % 4];
    ctx.pc = pc;
    ctx.stop_pc = stop_pc;
  }

  Outcome capture(cpu::RunResult r) const {
    Outcome o;
    o.result = r;
    o.ctx = ctx;
    std::copy(mem.host(kScratchPage), mem.host(kScratchPage) + kScratchPageSize, o.page.begin());
    for (uint32_t g = 0; g < kGranules; ++g)
      if (mem.reservation_held(1, kScratchPage + g * cpu::Memory::kReservationGranule)) o.reservations |= 1u << g;
    return o;
  }
};

struct Scenario {
  enum Kind { Full, Budget, StopAt, Patched, Step, PageReadOnly, PageNone } kind;
  uint64_t param = 0;
  std::string name() const {
    switch (kind) {
      case Full: return "full";
      case Budget: return fmt::format("budget {}", param);
      case StopAt: return fmt::format("stop_pc word {}", param);
      case Patched: return fmt::format("patched word {}", param);
      case Step: return "step";
      case PageReadOnly: return "page r";
      case PageNone: return "page -";
    }
    return "?";
  }
};

// Runs one scenario on one side: the outcomes to compare (budget runs give two, the cut and the end).
std::vector<Outcome> play(Side& s, const Scenario& sc, const uint8_t* rec, bool sf, const BlockAddr& b) {
  std::vector<Outcome> out;
  uint8_t prot = cpu::kProtRW;
  if (sc.kind == Scenario::PageReadOnly) prot = cpu::kProtRead;
  if (sc.kind == Scenario::PageNone) prot = cpu::kProtNone;
  const uint32_t stop_pc = sc.kind == Scenario::StopAt ? b.start + 4 * uint32_t(sc.param) : b.end;
  s.prepare(rec, sf, b.start, stop_pc, prot);
  switch (sc.kind) {
    case Scenario::Budget:
      out.push_back(s.capture(s.backend->run(s.ctx, sc.param)));
      out.push_back(s.capture(s.backend->run(s.ctx, kBigBudget)));
      break;
    case Scenario::Patched: {
      const uint32_t at = b.start + 4 * uint32_t(sc.param);
      const uint32_t original = s.mem.read32(at), nop = hexad::bswap(uint32_t(0x60000000));
      s.mem.write_bytes_raw(at, &nop, 4);
      s.backend->invalidate(at, 4);
      out.push_back(s.capture(s.backend->run(s.ctx, kBigBudget)));
      const uint32_t back = hexad::bswap(original);
      s.mem.write_bytes_raw(at, &back, 4);
      s.backend->invalidate(at, 4);
      break;
    }
    case Scenario::Step: {
      cpu::RunResult total{0, cpu::Stop::Budget};
      for (uint64_t k = 0; k < kBigBudget && total.why == cpu::Stop::Budget; ++k) {
        const cpu::RunResult r = s.backend->run(s.ctx, 1);
        total.retired += r.retired;
        total.why = r.why;
      }
      out.push_back(s.capture(total));
      break;
    }
    default: out.push_back(s.capture(s.backend->run(s.ctx, kBigBudget)));
  }
  return out;
}

struct Totals {
  uint64_t blocks = 0, runs = 0, mismatched_blocks = 0, mismatched_runs = 0, reported = 0;
  // How the full runs (first backend, per mode) stopped: at the end label, or earlier (a fault).
  uint64_t full_ended = 0, full_faulted = 0;
};

std::string block_words(const cpu::Memory& mem, const BlockAddr& b) {
  std::string s;
  for (uint32_t a = b.start; a < b.end; a += 4) s += fmt::format("{}{:08X}", a == b.start ? "" : " ", mem.read32(a));
  return s;
}

// The input state of a report (FPRs and VRs left out: the seed and block name them).
std::string input_text(const cpu::ThreadContext& c) {
  std::string s = "  input:";
  for (int k = 0; k < 32; ++k) s += fmt::format("{}r{}={:X}", k % 8 ? " " : "\n    ", k, c.gpr[k]);
  s += fmt::format("\n    cr={:08X} xer={:X} ctr={:X} lr={:X} fpscr={:08X} vscr={:08X} msr.sf={}", c.cr_word(), c.xer(),
                   c.ctr, c.lr, c.fpscr, c.vscr, c.sf() ? 1 : 0);
  return s;
}

int run(int argc, char** argv) {
  std::string elf_path, nm_path, data_path, backends_arg, modes_arg = "64,32", perturb_arg;
  uint64_t max_report = 5;
  bool list = false;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    auto val = [&]() -> std::string {
      if (k + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++k];
    };
    if (a == "--elf") elf_path = val();
    else if (a == "--symbols") nm_path = val();
    else if (a == "--data") data_path = val();
    else if (a == "--backends") backends_arg = val();
    else if (a == "--modes") modes_arg = val();
    else if (a == "--perturb") perturb_arg = val();
    else if (a == "--max-report") max_report = std::stoull(val());
    else if (a == "--list-backends") list = true;
    else throw std::runtime_error("unknown option " + a);
  }
  if (list) {
    for (std::string_view n : cpu::backend_names()) std::printf("%.*s\n", int(n.size()), n.data());
    return 0;
  }
  if (elf_path.empty() || nm_path.empty() || data_path.empty() || backends_arg.empty())
    throw std::runtime_error("usage: difffuzz-exec --elf B.elf --symbols B.nm --data B.bin --backends A,B "
                             "[--modes 64,32] [--perturb KIND] [--max-report K] | --list-backends");
  const std::vector<std::string> names = split(backends_arg, ',');
  if (names.size() != 2) throw std::runtime_error("--backends needs two names, A,B");
  std::vector<bool> modes;
  for (const std::string& m : split(modes_arg, ',')) {
    if (m == "64") modes.push_back(true);
    else if (m == "32") modes.push_back(false);
    else throw std::runtime_error("--modes takes 64 and/or 32, got '" + m + "'");
  }
  const Perturb corrupt = perturb_arg.empty() ? Perturb::None : parse_perturb(perturb_arg);

  const std::string elf = read_all(elf_path), data = read_all(data_path);
  const std::vector<BlockAddr> blocks = block_addresses(read_all(nm_path));
  if (data.size() != blocks.size() * kRecordSize)
    throw std::runtime_error(fmt::format("{}: {} bytes for {} blocks", data_path, data.size(), blocks.size()));
  Side a(names[0], elf, elf_path), b(names[1], elf, elf_path);

  Totals t;
  for (size_t k = 0; k < blocks.size(); ++k) {
    const BlockAddr& blk = blocks[k];
    const uint8_t* rec = reinterpret_cast<const uint8_t*>(data.data()) + k * kRecordSize;
    const uint32_t words = (blk.end - blk.start) / 4;
    bool block_bad = false, block_bad_reported = false;
    for (bool sf : modes) {
      // The full run first: its count bounds the budgets.
      std::vector<Scenario> scenarios{{Scenario::Full}};
      const Outcome first = play(a, scenarios[0], rec, sf, blk)[0];
      const uint64_t n = first.result.retired;
      // The interpreter checks stop_pc where a block starts only, so a run falling through into the
      // end label may run on to the `sc` after it: that is the end too.
      const bool ended = first.result.why == cpu::Stop::StopPc ||
                         (first.result.why == cpu::Stop::Syscall && first.ctx.pc == blk.end + 4);
      ++(ended ? t.full_ended : t.full_faulted);
      for (uint64_t budget = 0; budget <= n + 1; ++budget) scenarios.push_back({Scenario::Budget, budget});
      for (uint32_t w = 0; w < words; ++w) scenarios.push_back({Scenario::StopAt, w});
      if (words) scenarios.push_back({Scenario::Patched, words / 2});
      scenarios.push_back({Scenario::Step});
      scenarios.push_back({Scenario::PageReadOnly});
      scenarios.push_back({Scenario::PageNone});
      for (const Scenario& sc : scenarios) {
        const std::vector<Outcome> oa = play(a, sc, rec, sf, blk);
        std::vector<Outcome> ob = play(b, sc, rec, sf, blk);
        for (size_t i = 0; i < oa.size(); ++i) {
          ++t.runs;
          perturb(ob[i], corrupt);
          const std::vector<std::string> diff = differences(oa[i], ob[i]);
          if (diff.empty()) continue;
          ++t.mismatched_runs;
          block_bad = true;
          if (t.reported >= max_report) continue;
          ++t.reported;
          std::printf("MISMATCH block %llu, %d-bit mode, %s%s (%s vs %s)\n", (unsigned long long)blk.index,
                      sf ? 64 : 32, sc.name().c_str(), sc.kind == Scenario::Budget ? (i ? ", resumed" : ", cut") : "",
                      names[0].c_str(), names[1].c_str());
          std::printf("  block words at 0x%08X: %s\n", blk.start, block_words(a.mem, blk).c_str());
          if (!block_bad_reported) {
            Side& s = a;
            s.prepare(rec, sf, blk.start, blk.end, cpu::kProtRW);
            std::printf("%s\n", input_text(s.ctx).c_str());
            block_bad_reported = true;
          }
          for (const std::string& d : diff) std::printf("  %s\n", d.c_str());
        }
      }
    }
    ++t.blocks;
    if (block_bad) ++t.mismatched_blocks;
  }
  std::printf("RESULT blocks=%llu runs=%llu mismatched_blocks=%llu mismatched_runs=%llu full_ended=%llu "
              "full_stopped_early=%llu\n",
              (unsigned long long)t.blocks, (unsigned long long)t.runs, (unsigned long long)t.mismatched_blocks,
              (unsigned long long)t.mismatched_runs, (unsigned long long)t.full_ended,
              (unsigned long long)t.full_faulted);
  return t.mismatched_runs ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "difffuzz-exec: %s\n", e.what());
    return 2;
  }
}
