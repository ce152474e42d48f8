// `hexad ppc-test`: annotated-assembly conformance cases. (Being written.)
#include <cstdio>

#include "app/commands.h"

namespace hexad::app {

int cmd_ppc_test(const Args& args) {
  std::fprintf(stderr, "hexad ppc-test: not available yet\n");
  return 2;
}

}  // namespace hexad::app
