// SHA-256 (FIPS 180-4), for identifying images in run records.
#pragma once
#include <string>
#include <string_view>

namespace hexad {

std::string sha256_hex(std::string_view data);

}  // namespace hexad
