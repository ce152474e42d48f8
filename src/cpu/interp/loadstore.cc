// loadstore unit.
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

constexpr OpEntry kOps[] = {
    {"(placeholder)", 0xFFFFFFFFu, 0xFFFFFFFFu, nullptr, kOpNone},
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> loadstore_ops() { return std::span<const OpEntry>(interp::kOps).first(0); }
}  // namespace hexad::cpu
