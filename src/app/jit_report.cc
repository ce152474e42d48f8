#include "app/jit_report.h"

#include <capstone/capstone.h>
#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <string>

#include "base/hexad_error.h"
#include "cpu/isa/isa.h"
#include "cpu/jit/jit_backend.h"

namespace hexad::app {

namespace {
// capstone's functions, from the library loaded when a dump asks for them (linked, its start-up
// relocations cost every run about 6 ms: src/app/CMakeLists.txt). HEXAD_CAPSTONE_SONAME is the
// library the build found.
struct Capstone {
  decltype(&cs_open) open;
  decltype(&cs_disasm) disasm;
  decltype(&cs_free) free;
  decltype(&cs_close) close;
};

const Capstone& load_capstone() {
  static const Capstone loaded = [] {
    void* lib = dlopen(HEXAD_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) fail("--jit-dump: cannot load capstone ({}): {} (Debian package libcapstone4 or later)", HEXAD_CAPSTONE_SONAME, dlerror());
    const auto symbol = [&](const char* name) {
      void* p = dlsym(lib, name);
      if (!p) fail("--jit-dump: {} has no {}", HEXAD_CAPSTONE_SONAME, name);
      return p;
    };
    return Capstone{reinterpret_cast<decltype(&cs_open)>(symbol("cs_open")),
                    reinterpret_cast<decltype(&cs_disasm)>(symbol("cs_disasm")),
                    reinterpret_cast<decltype(&cs_free)>(symbol("cs_free")),
                    reinterpret_cast<decltype(&cs_close)>(symbol("cs_close"))};
  }();
  return loaded;
}
}  // namespace

std::optional<nlohmann::ordered_json> jit_dump_section(const cpu::ExecBackend& cpu) {
  const auto* jit = dynamic_cast<const cpu::jit::JitBackend*>(&cpu);
  if (!jit) return std::nullopt;
  const cpu::jit::JitStats& s = jit->stats();
  nlohmann::ordered_json fallbacks = nlohmann::ordered_json::object();
  for (const auto& [mnemonic, runs] : jit->fallback_runs()) fallbacks[std::string(mnemonic)] = runs;
  return nlohmann::ordered_json{{"blocks_translated", s.blocks_translated},
                                {"native_ops", s.native_ops},
                                {"fallback_ops", s.fallback_ops},
                                {"code_bytes", s.code_bytes},
                                {"invalidations", s.invalidations},
                                {"blocks_invalidated", s.blocks_invalidated},
                                {"flushes", s.flushes},
                                {"partial_runs", s.partial_runs},
                                {"entries", s.entries},
                                {"loop_units", s.loop_units},
                                {"slot_pins", s.slot_pins},
                                {"slot_write_back_units", s.slot_write_back_units},
                                {"slot_entries_interpreted", s.slot_entries_interpreted},
                                {"host_faults", jit->host_faults()},
                                {"checked_sites", s.checked_sites},
                                {"fallback_runs", fallbacks}};
}

void start_jit_perf_map(cpu::ExecBackend& cpu) {
  auto* jit = dynamic_cast<cpu::jit::JitBackend*>(&cpu);
  if (!jit) fail("--jit-perf-map needs --backend jit");
  const std::string path = fmt::format("/tmp/perf-{}.map", getpid());
  if (!jit->start_perf_map(path)) fail("--jit-perf-map: cannot write {}", path);
}

void print_jit_block(cpu::ExecBackend& cpu, uint32_t addr, bool sf, std::FILE* out) {
  auto* jit = dynamic_cast<cpu::jit::JitBackend*>(&cpu);
  if (!jit) fail("--jit-dump needs --backend jit");
  // The run's counters first (before translating the block, which would count).
  const nlohmann::ordered_json counters = *jit_dump_section(cpu);
  std::fprintf(out, "jit counters: %s\n", counters.dump().c_str());
  const cpu::jit::JitBlock* b = jit->block_at(addr, sf);
  if (!b) fail("--jit-dump: no code can be fetched at 0x{:08x}", addr);
  std::fprintf(out, "jit block 0x%08x (%s mode): %zu guest instructions, %u bytes of host code (%u hot, %u cold)\n", b->pc,
               sf ? "64-bit" : "32-bit", b->ops.size(), b->code_size + b->cold_size, b->code_size, b->cold_size);
  for (const cpu::jit::JitOp& op : b->ops)
    std::fprintf(out, "  guest 0x%08x  %08x  %s\n", op.pc, op.instr.w,
                 op.id == cpu::isa::kInvalidId ? "(invalid)" : cpu::isa::entry(op.id).mnemonic);
  const Capstone& cs = load_capstone();
  csh handle;
  if (cs.open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) fail("--jit-dump: capstone cannot open x86-64");
  // Its hot code (ops and exits), then its cold code (out-of-line paths), each from its first
  // byte; the entry from outside the unit (where the runner and other units come in) is marked.
  const uint64_t entry = uint64_t(uintptr_t(b->head.entry));
  const auto disassemble = [&](const uint8_t* code, uint32_t size, const char* what) {
    std::fprintf(out, "  %s:\n", what);
    const uint64_t start = uint64_t(uintptr_t(code));
    cs_insn* insn = nullptr;
    const size_t n = cs.disasm(handle, code, size, start, 0, &insn);
    for (size_t k = 0; k < n; ++k)
      std::fprintf(out, "  host +0x%04llx  %-8s %s%s\n", (unsigned long long)(insn[k].address - start), insn[k].mnemonic,
                   insn[k].op_str, insn[k].address == entry ? "  ; entry" : "");
    if (n) cs.free(insn, n);
  };
  disassemble(b->code_start, b->code_size, "hot");
  disassemble(b->cold_start, b->cold_size, "cold");
  cs.close(&handle);
}

}  // namespace hexad::app
