#pragma once
// Deterministic pseudo-random source for the `generate(seed)` helpers of the identifier types.
// SplitMix64 (Steele, Lea, Flood 2014): tiny, stateless apart from one word, same output on every
// platform -- so a seed names the same id everywhere (tests, fixtures, the Python side).
#include <cstdint>

namespace mako::identifiers {

class SeededGenerator {
 public:
  explicit SeededGenerator(std::uint64_t seed) noexcept : state_(seed) {}

  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, bound) for test data (bound is tiny, modulo bias is negligible).
  unsigned below(unsigned bound) noexcept { return static_cast<unsigned>(next() % bound); }
  char digit() noexcept { return static_cast<char>('0' + below(10)); }
  char nonzero_digit() noexcept { return static_cast<char>('1' + below(9)); }

 private:
  std::uint64_t state_;
};

}  // namespace mako::identifiers
