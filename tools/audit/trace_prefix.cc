#include "trace_prefix.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "base/hexad_error.h"

namespace hexad::audit {

std::optional<uint64_t> complete_lines_before_cut(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail("{}: cannot open: {}", path, std::strerror(errno));
  const std::streamoff size = in.tellg();
  if (size <= 0) return std::nullopt;
  in.seekg(size - 1);
  char last = 0;
  if (!in.get(last)) fail("{}: read error", path);
  if (last == '\n') return std::nullopt;
  // Only a killed run gets here: count its newlines in one streaming pass.
  in.seekg(0);
  std::vector<char> buf(1 << 20);
  uint64_t lines = 0;
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    const std::streamsize got = in.gcount();
    for (std::streamsize i = 0; i < got; ++i) lines += buf[size_t(i)] == '\n';
  }
  if (in.bad()) fail("{}: read error", path);
  return lines;
}

}  // namespace hexad::audit
