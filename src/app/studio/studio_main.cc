// hexad-studio: the desktop frontend's executable, which `hexad studio ARGS...` runs as
// `hexad-studio ARGS...` (studio_exec.cc).
#include <cstdio>
#include <string>

#include "app/commands.h"
#include "base/hexad_error.h"

int main(int argc, char** argv) {
  const hexad::app::Args args(argv + 1, argv + argc);
  try {
    return hexad::app::studio::cmd_studio(args);
  } catch (const hexad::Error& e) {
    std::fprintf(stderr, "hexad: %s\n", e.what());
    return 2;
  }
}
