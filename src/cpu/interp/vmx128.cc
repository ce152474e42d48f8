// vmx128 unit (issue: the whole Xenon user ISA). Empty until implemented.
#include "cpu/interp/helpers.h"

namespace hexad::cpu {
std::span<const OpEntry> vmx128_ops() { return {}; }
}  // namespace hexad::cpu
