#include "base/hexad_error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hexad {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot open '{}': {}", path, std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) fail("cannot read '{}'", path);
  return ss.str();
}

}  // namespace hexad
