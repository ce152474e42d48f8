#include <cstdio>
#include <cstring>
#include <string>

#include "app/commands.h"
#include "base/hexad_error.h"

namespace {

const char* kUsage =
    "usage: hexad run PROGRAM [--budget N] [--quiet] [-- GUEST-ARGS...]\n"
    "       hexad ppc-test [--verbose] FILE.s...\n"
    "\n"
    "  run       runs a static big-endian PowerPC ELF (32- or 64-bit) with a Linux-user\n"
    "            personality; exits with the guest's exit status\n"
    "  ppc-test  runs annotated-assembly conformance cases (REGISTER_IN/REGISTER_OUT)\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace hexad;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  app::Args rest(argv + 2, argv + argc);
  try {
    if (cmd == "run") {
      std::string program;
      app::Args options, guest_args;
      for (size_t k = 0; k < rest.size(); ++k) {
        if (rest[k] == "--") {
          guest_args.assign(rest.begin() + long(k) + 1, rest.end());
          break;
        }
        if (rest[k].rfind("--", 0) == 0) {
          options.push_back(rest[k]);
          if (rest[k] == "--budget" && k + 1 < rest.size()) options.push_back(rest[++k]);
        } else if (program.empty()) {
          program = rest[k];
        } else {
          guest_args.push_back(rest[k]);
        }
      }
      if (program.empty()) fail("run: no PROGRAM given\n{}", kUsage);
      return app::cmd_run_elf(program, guest_args, options);
    }
    if (cmd == "ppc-test") return app::cmd_ppc_test(rest);
    std::fprintf(stderr, "hexad: unknown command '%s'\n%s", cmd.c_str(), kUsage);
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "hexad: %s\n", e.what());
    return 2;
  }
}
