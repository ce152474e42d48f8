#include "cpu/exec_backend.h"

#include "cpu/interp/interpreter.h"

namespace hexad::cpu {

namespace {
constexpr std::string_view kNames[] = {"interp"};
}  // namespace

std::unique_ptr<ExecBackend> make_backend(std::string_view name, Memory& mem) {
  if (name == "interp") return std::make_unique<Interpreter>(mem);
  return nullptr;
}

std::span<const std::string_view> backend_names() { return kNames; }

}  // namespace hexad::cpu
