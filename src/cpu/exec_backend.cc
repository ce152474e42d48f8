#include "cpu/exec_backend.h"

#include "cpu/interp/interpreter.h"
#include "cpu/jit/jit_backend.h"
#include "cpu/memory.h"

namespace hexad::cpu {

namespace {
constexpr std::string_view kNames[] = {"jit", "interp"};
}  // namespace

bool stop_pc_needs_block_checks(const ThreadContext& ctx, const Memory& mem) {
  // Blocks are looked up by 32-bit pc: a stop_pc beyond that is checked at every block, to be safe.
  return ctx.stop_pc && (ctx.stop_pc > 0xFFFFFFFFull || mem.accessible(uint32_t(ctx.stop_pc), 4, kProtExec));
}

std::unique_ptr<ExecBackend> make_backend(std::string_view name, Memory& mem) {
  if (name == "interp") return std::make_unique<Interpreter>(mem);
  if (name == "jit") return std::make_unique<jit::JitBackend>(mem);
  return nullptr;
}

std::span<const std::string_view> backend_names() { return kNames; }

bool is_backend_name(std::string_view name) {
  for (std::string_view n : kNames)
    if (n == name) return true;
  return false;
}

std::string backend_name_list() {
  std::string out;
  for (std::string_view n : kNames) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace hexad::cpu
