// Guest faults: thrown from instruction handlers and memory accessors, caught by the execution
// backend (cpu/exec_backend.h), which records them on the thread (FaultRecord) and returns
// Stop::Fault: they never cross the backend seam. Never a host crash.
#pragma once
#include <cstdint>
#include <string>

namespace hexad::cpu {

enum class Access : uint8_t { Read, Write, Execute };
const char* access_name(Access a);

enum class FaultKind : uint8_t {
  None,
  Memory,              // access to uncommitted memory or a page without the needed protection
  InvalidInstruction,  // unimplemented or invalid encoding
  Trap,                // tw/twi/td/tdi condition met
  Exception,           // RtlRaiseException of an exception no handler takes (hexad models none)
};
const char* fault_kind_name(FaultKind k);

// Thrown by Memory accessors. The runner adds the pc.
struct MemoryFault {
  uint32_t address;
  uint32_t size;
  Access access;
};

// Thrown by handlers for invalid encodings and taken traps.
struct InstructionFault {
  FaultKind kind;
  uint32_t word;
};

// What the runner records on the thread context when a fault stops it.
struct FaultRecord {
  FaultKind kind = FaultKind::None;
  uint64_t pc = 0;
  uint32_t word = 0;      // instruction word (InvalidInstruction, Trap); exception code (Exception)
  uint32_t address = 0;   // faulting effective address (Memory); ExceptionAddress (Exception)
  uint32_t size = 0;      // access size (Memory); NumberParameters (Exception)
  Access access = Access::Read;
  uint32_t flags = 0;     // ExceptionFlags (Exception)
  std::string describe() const;
};

}  // namespace hexad::cpu
