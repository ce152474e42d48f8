// Host tools for `hexad ppc-test`: a scratch directory and the cross binutils that turn a case
// file into code placed at a fixed guest address.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hexad::conformance {

// A private directory made with mkdtemp, removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ToolResult {
  int status = -1;     // exit status; -1 when the tool could not be started or was killed
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] (looked up in PATH) with stdout+stderr captured through a file in `scratch`.
ToolResult run_tool(const std::vector<std::string>& argv, const std::string& scratch);

struct AssembledImage {
  bool ok = false;
  std::string message;               // the failing tool's command line and output when !ok
  std::vector<uint8_t> text;         // .text bytes, loaded at `base`
  uint32_t base = 0;
  std::map<std::string, uint32_t> symbols;  // defined symbols by name
};

// Assembles `source` (32-bit big-endian PowerPC, VMX and Cell extensions) and links it so that
// .text starts at `base`. `work` is a per-file scratch directory.
AssembledImage assemble(const std::string& source, uint32_t base, const std::string& work, bool verbose);

}  // namespace hexad::conformance
