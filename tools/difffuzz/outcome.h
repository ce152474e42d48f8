// What one run of a block under one execution backend leaves behind, and the comparison of two
// of them (difffuzz-exec, backend against backend). An outcome holds everything the ExecBackend
// contract (cpu/exec_backend.h) makes guest-visible: the architected registers, the retired count
// and the stop, the fault record, the run() result, the scratch page's bytes and the thread's
// reservations on it. The backends' private fields of the context (block chaining) are not compared.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/memory.h"

namespace difffuzz {

// The one data page a block may touch; r1 points at its middle while a block runs (the ldst
// grammar keeps every effective address within r1 +- kReach, layout.h).
constexpr uint32_t kScratchPage = 0x40000000;
constexpr uint32_t kScratchPageSize = 4096;
constexpr uint32_t kScratchR1 = kScratchPage + kScratchPageSize / 2;
constexpr uint32_t kGranules = kScratchPageSize / hexad::cpu::Memory::kReservationGranule;

struct Outcome {
  hexad::cpu::RunResult result{};
  hexad::cpu::ThreadContext ctx{};
  std::array<uint8_t, kScratchPageSize> page{};
  uint32_t reservations = 0;  // bit k: the thread holds a reservation on granule k of the page
};

// Every field in which `a` and `b` differ, as "name: A-value vs B-value"; empty when they agree.
std::vector<std::string> differences(const Outcome& a, const Outcome& b);

// The self-test's deliberate corruption of one side's outcome (difffuzz-exec --perturb): each
// kind changes one field, which differences() must then report.
enum class Perturb { None, Gpr, Fpr, Vr, Cr, Xer, Fpscr, Vscr, Lr, Ctr, Pc, Msr, Mem, Count, Retired, Stop, Fault,
                     Reservation };
// Throws std::runtime_error naming the known kinds for an unknown one.
Perturb parse_perturb(const std::string& name);
const std::vector<std::string>& perturb_names();
void perturb(Outcome& o, Perturb kind);

}  // namespace difffuzz
