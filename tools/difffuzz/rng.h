// Seeded pseudo-random numbers for the differential fuzzer: splitmix64 to derive stream seeds,
// xoshiro256** for the streams. Never seeded from the host (no time, no random_device), so a
// (seed, block index) pair names one block forever.
#pragma once
#include <cstdint>
#include <initializer_list>

namespace difffuzz {

constexpr uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // One independent stream per (seed, block, purpose).
  Rng(uint64_t seed, uint64_t block, uint64_t purpose) {
    uint64_t s = seed;
    s ^= splitmix64(s) + block * 0xD1B54A32D192ED03ull;
    s ^= splitmix64(s) + purpose * 0x8CB92BA72F3D8DD7ull;
    for (auto& w : s_) w = splitmix64(s);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (n > 0); the tiny modulo bias is irrelevant here.
  uint32_t below(uint32_t n) { return uint32_t(next() % n); }
  // Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo + 1)); }
  bool chance(uint32_t percent) { return below(100) < percent; }
  template <typename T>
  T pick(std::initializer_list<T> xs) {
    return xs.begin()[below(uint32_t(xs.size()))];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace difffuzz
