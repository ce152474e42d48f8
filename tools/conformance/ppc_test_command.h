// `hexad ppc-test`: runs annotated-assembly conformance cases (REGISTER_IN/REGISTER_OUT) on the
// interpreter and compares every expectation. The runner is a library of its own (tools/, not the
// product's app folder); the hexad CLI only dispatches to it.
#pragma once
#include <string>
#include <vector>

namespace hexad::conformance {

// Returns the process exit status: 0 all passed, 1 a case failed, 2 bad usage or input.
int cmd_ppc_test(const std::vector<std::string>& args);

}  // namespace hexad::conformance
