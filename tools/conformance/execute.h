// Runs one conformance case on a fresh guest (new memory, zeroed registers) and compares the
// outcome with its REGISTER_OUT / MEMORY_OUT annotations.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/parser.h"
#include "conformance/toolchain.h"

namespace hexad::conformance {

// Code is linked and placed here (the address the case files are written for).
constexpr uint32_t kCodeBase = 0x82010000;
// Scratch data committed read/write for every case; covers the 0x10001000.. block the case
// files point their loads and stores at. MEMORY_IN/OUT pages outside it are committed too.
constexpr uint32_t kDataBase = 0x10000000;
constexpr uint32_t kDataSize = 0x00020000;
// Return address given to the case in lr. It is never fetched: the interpreter stops when
// control reaches it (ThreadContext::stop_pc).
constexpr uint32_t kReturnSentinel = 0x00000100;

struct Mismatch {
  std::string what;      // "r3", "cr", "mem[0x10001050]"
  std::string expected;
  std::string actual;
};

struct CaseResult {
  bool passed = false;
  std::string error;  // guest fault, budget exhausted, ... (empty when the case returned)
  std::vector<Mismatch> mismatches;
  uint64_t instructions = 0;
};

// Runs under the execution backend `backend` (a name cpu::make_backend knows).
CaseResult run_case(const AssembledImage& img, const Case& c, uint32_t entry, uint64_t budget,
                    std::string_view backend);

}  // namespace hexad::conformance
