// The pseudo-random numbers behind schedule exploration (perturb.h), fully specified so a seed
// means the same schedule on every host and standard library:
//   - SplitMix64 (Steele, Lea and Flood; Vigna's splitmix64.c) expands a 64-bit seed into the
//     generator's state, as xoshiro's authors recommend;
//   - xoshiro256** 1.0 (Blackman and Vigna, xoshiro256starstar.c) produces the numbers;
//   - uniform_below maps them onto [0, n) with Lemire's multiply-shift and rejection ("Fast
//     Random Integer Generation in an Interval", ACM TOMS 2019), exactly uniform.
// std::uniform_int_distribution is never used: its mapping differs between standard libraries.
// The unit tests hold both generators to their published reference outputs.
#pragma once
#include <cstdint>

namespace hexad::cpu::sched {

class SplitMix64 {
 public:
  explicit constexpr SplitMix64(uint64_t seed) : x_(seed) {}
  constexpr uint64_t next() {
    uint64_t z = (x_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t x_;
};

class Xoshiro256StarStar {
 public:
  // The state is four SplitMix64 outputs of the seed (never all zero: SplitMix64 is a bijection
  // of its counter, and four consecutive outputs cannot all be 0).
  explicit constexpr Xoshiro256StarStar(uint64_t seed) {
    SplitMix64 sm(seed);
    for (uint64_t& w : s_) w = sm.next();
  }
  // The state as given (the reference test vectors start from a literal state).
  static constexpr Xoshiro256StarStar from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
    Xoshiro256StarStar g(0);
    g.s_[0] = s0;
    g.s_[1] = s1;
    g.s_[2] = s2;
    g.s_[3] = s3;
    return g;
  }

  constexpr uint64_t next() {
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

  // Uniform in [0, n) for n >= 1 (Lemire): the high 64 bits of x * n, rejecting the x whose low
  // 64 bits fall below 2^64 mod n, the only ones that would make some results more likely.
  constexpr uint64_t uniform_below(uint64_t n) {
    if (n <= 1) return 0;
    unsigned __int128 m = (unsigned __int128)next() * n;
    uint64_t low = uint64_t(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
      while (low < threshold) {
        m = (unsigned __int128)next() * n;
        low = uint64_t(m);
      }
    }
    return uint64_t(m >> 64);
  }
  // Uniform in [lo, hi] (lo <= hi).
  constexpr uint64_t uniform_in(uint64_t lo, uint64_t hi) {
    const uint64_t span = hi - lo;
    return span == UINT64_MAX ? next() : lo + uniform_below(span + 1);
  }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {};
};

}  // namespace hexad::cpu::sched
