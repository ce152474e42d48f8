// vmx128 unit: the Xenon's VMX128 instructions (primary opcodes 4, 5 and 6). Opcode bits and
// register fields come from cpu/ppc/vmx128_fields.h; the handlers decode the 7-bit fields and
// run the shared operation.
#include <string_view>

#include "cpu/interp/helpers.h"
#include "cpu/interp/vmx128_ops_xenon.h"
#include "cpu/ppc/vmx128_fields.h"

namespace hexad::cpu {

namespace {

namespace f128 = vmx128;
namespace xo = interp::vmx128_xenon;

// An entry named after a row of vmx128::kOpcodes (a name missing there fails to compile).
consteval OpEntry op128(const char* name, Handler fn) {
  const f128::Opcode* o = f128::find_opcode(name);
  if (!o) throw "unknown VMX128 mnemonic";
  return {o->mnemonic, o->mask(), o->value, fn, kOpNone};
}

constexpr OpEntry kOps[] = {
    op128("vmsum3fp128", &xo::vmsum3fp128),
    op128("vmsum4fp128", &xo::vmsum4fp128),
    op128("vrlimi128", &xo::vrlimi128),
    op128("vpermwi128", &xo::vpermwi128),
    op128("vpkd3d128", &xo::vpkd3d128),
    op128("vupkd3d128", &xo::vupkd3d128),
};

}  // namespace

std::span<const OpEntry> vmx128_ops() { return kOps; }

}  // namespace hexad::cpu
