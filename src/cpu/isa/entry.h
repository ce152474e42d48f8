// One instruction of the ISA as data: how to recognise it and what kind of instruction it is.
// Nothing here knows how an instruction executes; execution backends (the interpreter, a JIT)
// bind their own implementation to each entry by its id (see cpu/isa/isa.h).
#pragma once
#include <cstdint>

namespace hexad::cpu::isa {

// The unit an instruction belongs to. Load and Store are the integer (GPR) memory accesses;
// floating-point and vector memory accesses are Fp/Vmx/Vmx128 with kReadsMemory/kWritesMemory.
enum InstrClass : uint8_t { kInteger, kBranch, kLoad, kStore, kFp, kVmx, kVmx128, kSystem };
const char* class_name(InstrClass c);

enum EntryFlags : uint8_t {
  kNone = 0,
  kEndsBlock = 1,      // a block of straight-line code stops after it (branches, sc, mftb, icbi)
  kSetsPc = 2,         // it decides the next pc itself (branches, sc)
  kReadsMemory = 4,
  kWritesMemory = 8,
};

struct Entry {
  const char* mnemonic;  // unique; variants of one mnemonic are told apart as "bc(if-true)"
  uint32_t mask;         // the bits that identify the instruction ...
  uint32_t value;        // ... and their values
  InstrClass cls;
  uint8_t flags;         // EntryFlags
};

// An entry's index in the ISA table (isa::entries()).
using EntryId = uint16_t;
inline constexpr EntryId kInvalidId = 0xFFFF;

}  // namespace hexad::cpu::isa
