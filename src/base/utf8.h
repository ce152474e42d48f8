// UTF-8 validation and the one replacement rule hexad uses wherever text from a guest or a file
// is written as JSON: an ill-formed sequence becomes U+FFFD, as nlohmann's
// error_handler_t::replace does, and the raw bytes are kept beside it as hex (docs/trace.md).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace hexad {

// The sequence starting at text[i] (i < text.size()): `length` bytes, well formed or not. An
// ill-formed sequence covers a bad lead byte alone, or a lead byte and the continuations before the
// first bad one (that byte then starts what follows), as nlohmann's decoder reads it.
struct Utf8Step {
  size_t length;
  bool valid;
};
Utf8Step utf8_step(std::string_view text, size_t i);

bool is_valid_utf8(std::string_view text);

// `text` with each ill-formed sequence replaced by U+FFFD (EF BF BD).
std::string utf8_replaced(std::string_view text);

// The bytes as lowercase hex, two digits each ("c328").
std::string hex_bytes(std::string_view bytes);

}  // namespace hexad
