// Host-side errors that stop a command (bad input files, bad options). Guest faults are not
// errors of this kind: they are recorded and stop only the guest thread (see cpu/fault.h).
#pragma once
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace hexad {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

// Reads a whole file; throws Error naming the path on failure.
std::string read_file(const std::string& path);

}  // namespace hexad
