// fpu arith unit (issue: the whole Xenon user ISA). Empty until implemented.
#include "cpu/interp/helpers.h"

namespace hexad::cpu {
std::span<const OpEntry> fpu_arith_ops() { return {}; }
}  // namespace hexad::cpu
