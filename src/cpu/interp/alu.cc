// Integer arithmetic and logical unit.
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

void addi(ThreadContext& c, Instr i) { R(c, i.rt()) = ra0(c, i) + uint64_t(i.simm()); }
void addis(ThreadContext& c, Instr i) { R(c, i.rt()) = ra0(c, i) + (uint64_t(i.simm()) << 16); }

constexpr OpEntry kOps[] = {
    op("addi", form_d(14), addi),
    op("addis", form_d(15), addis),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> alu_ops() { return interp::kOps; }
}  // namespace hexad::cpu
