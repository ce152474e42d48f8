// `hexad studio`: runs hexad-studio, the executable beside this one that links SDL2 and Dear ImGui
// (src/app/CMakeLists.txt says why they are two), with the same arguments.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "app/commands.h"

namespace hexad::app {

namespace {
std::string studio_executable() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "hexad-studio";  // no /proc: looked up on PATH
  return (self.parent_path() / "hexad-studio").string();
}
}  // namespace

int cmd_studio_exec(const Args& args) {
  const std::string path = studio_executable();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("hexad-studio"));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  if (path.find('/') != std::string::npos) execv(path.c_str(), argv.data());
  else execvp(path.c_str(), argv.data());
  std::fprintf(stderr, "hexad studio: cannot run %s: %s (it is built beside hexad: cmake --build BUILD --target hexad-studio)\n",
               path.c_str(), std::strerror(errno));
  return 2;
}

}  // namespace hexad::app
