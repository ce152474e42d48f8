// Guest memory is big-endian; the host is little-endian x86-64.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>

namespace hexad {

static_assert(std::endian::native == std::endian::little, "hexad assumes a little-endian host");

inline uint16_t bswap(uint16_t v) { return __builtin_bswap16(v); }
inline uint32_t bswap(uint32_t v) { return __builtin_bswap32(v); }
inline uint64_t bswap(uint64_t v) { return __builtin_bswap64(v); }

template <typename T>
inline T load_be(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (sizeof(T) == 1) return v;
  else return bswap(v);
}

template <typename T>
inline void store_be(void* p, T v) {
  if constexpr (sizeof(T) != 1) v = bswap(v);
  std::memcpy(p, &v, sizeof v);
}

}  // namespace hexad
