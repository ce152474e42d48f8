// Sorts a conformance file into a class by the mnemonics it uses and the registers its
// annotations name: vector (VMX / VMX128) over floating-point over integer.
#pragma once
#include <string>
#include <string_view>

#include "conformance/parser.h"

namespace hexad::conformance {

enum class CaseClass : uint8_t { Int, Fp, Vector };

inline const char* class_name(CaseClass c) {
  switch (c) {
    case CaseClass::Int: return "int";
    case CaseClass::Fp: return "fp";
    case CaseClass::Vector: return "vector";
  }
  return "?";
}

// VMX128 mnemonics are vector mnemonics ending in "128" (vaddfp128, lvewx128, stvx128,
// vcmpeqfp128.); dcbz128, the Xenon's 128-byte cache-line zero, is an integer store.
inline bool is_vmx128_mnemonic(std::string_view m) {
  if (!m.empty() && m.back() == '.') m.remove_suffix(1);
  if (m.size() <= 3 || m.substr(m.size() - 3) != "128") return false;
  for (std::string_view p : {"v", "lv", "stv"})
    if (m.substr(0, p.size()) == p) return true;
  return false;
}

inline bool is_vector_mnemonic(std::string_view m) {
  if (is_vmx128_mnemonic(m)) return true;
  if (!m.empty() && m[0] == 'v') return true;  // every VMX ALU op starts with v
  for (std::string_view p : {"lv", "stv", "mfvscr", "mtvscr", "dst"})
    if (m.substr(0, p.size()) == p) return true;
  return false;
}

inline bool is_fp_mnemonic(std::string_view m) {
  if (!m.empty() && m[0] == 'f') return true;  // fadd, fmr, fctiwz, frsp, ...
  for (std::string_view p : {"lfs", "lfd", "stfs", "stfd", "stfiwx", "mffs", "mtfs"})
    if (m.substr(0, p.size()) == p) return true;
  return false;
}

inline bool file_uses_vmx128(const CaseFile& f) {
  for (const std::string& m : f.mnemonics)
    if (is_vmx128_mnemonic(m)) return true;
  return false;
}

inline CaseClass classify(const CaseFile& f) {
  bool vec = false, fp = false;
  for (const std::string& m : f.mnemonics) {
    vec = vec || is_vector_mnemonic(m);
    fp = fp || is_fp_mnemonic(m);
  }
  for (const Case& c : f.cases) {
    for (const auto* list : {&c.reg_in, &c.reg_out}) {
      for (const RegValue& r : *list) {
        vec = vec || r.kind == RegKind::Vr || r.kind == RegKind::Vscr;
        fp = fp || r.kind == RegKind::Fpr || r.kind == RegKind::Fpscr;
      }
    }
  }
  return vec ? CaseClass::Vector : fp ? CaseClass::Fp : CaseClass::Int;
}

}  // namespace hexad::conformance
