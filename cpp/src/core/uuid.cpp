#include "mako/core/uuid.hpp"

#include <pthread.h>

#include <cstring>
#include <random>

#include "mako/core/errors.hpp"
#include "sha1.hpp"

namespace mako {

namespace {
// xoshiro256** (Blackman/Vigna), one per thread, seeded with 256 bits from std::random_device on
// first use. Statistically strong and a few instructions per draw; like the mt19937_64 it replaces,
// not cryptographic. Zero-initialised thread_local: no per-call initialisation guard.
struct ThreadRng {
  std::uint64_t s[4];

  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  bool unseeded() const { return (s[0] | s[1] | s[2] | s[3]) == 0; }
  void seed() {
    std::random_device rd;
    do {
      for (auto& word : s) word = (std::uint64_t{rd()} << 32) | rd();
    } while ((s[0] | s[1] | s[2] | s[3]) == 0);  // the one state the generator must not have
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};
thread_local ThreadRng thread_rng;
// A forked child would go on with its parent's generator state and draw the very ids the parent
// draws next (two engine processes writing the same event ids): the child reseeds instead. Only
// the forking thread lives on in the child, and the handler runs on it.
[[maybe_unused]] const int reseed_after_fork = pthread_atfork(nullptr, nullptr, [] { thread_rng = ThreadRng{}; });

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Uuid Uuid::v4() {
  ThreadRng& rng = thread_rng;  // one thread-local lookup per id
  if (rng.unseeded()) rng.seed();
  const std::uint64_t hi = rng.next(), lo = rng.next();
  std::array<std::uint8_t, 16> b{};
  std::memcpy(b.data(), &hi, 8);
  std::memcpy(b.data() + 8, &lo, 8);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  return Uuid(b);
}

Uuid Uuid::v5(const Uuid& name_space, std::string_view name) {
  detail::Sha1 sha;
  sha.update(name_space.bytes().data(), 16);
  sha.update(reinterpret_cast<const std::uint8_t*>(name.data()), name.size());
  auto digest = sha.finish();
  std::array<std::uint8_t, 16> b{};
  std::memcpy(b.data(), digest.data(), 16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x50);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  return Uuid(b);
}

Uuid Uuid::parse(std::string_view text) {
  auto fail = [&](const std::string& why) -> Uuid {
    throw EngineError::invalid_input("invalid UUID '" + std::string(text.substr(0, 64)) + "': " + why);
  };
  if (text.size() != 36)
    return fail("expected 36 characters (8-4-4-4-12 hex digits), got " + std::to_string(text.size()));
  std::array<std::uint8_t, 16> b{};
  int out = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return fail("expected '-' at position " + std::to_string(i + 1));
      ++i;
      continue;
    }
    int h = hex_value(text[i]), l = hex_value(text[i + 1]);
    if (h < 0 || l < 0) return fail("non-hex character at position " + std::to_string(i + 1 + (h < 0 ? 0 : 1)));
    b[out++] = static_cast<std::uint8_t>(h * 16 + l);
    i += 2;
  }
  return Uuid(b);
}

namespace {
// The two lowercase hex digits of every byte: one table lookup per byte instead of two.
struct HexPairs {
  char pair[256][2];
  constexpr HexPairs() : pair{} {
    constexpr char digits[] = "0123456789abcdef";
    for (int b = 0; b < 256; ++b) {
      pair[b][0] = digits[b >> 4];
      pair[b][1] = digits[b & 0x0F];
    }
  }
};
constexpr HexPairs kHexPairs;
}  // namespace

void Uuid::write_to(char* out) const {
  static constexpr int kPos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (int i = 0; i < 16; ++i) std::memcpy(out + kPos[i], kHexPairs.pair[bytes_[i]], 2);
  out[8] = out[13] = out[18] = out[23] = '-';
}

std::string Uuid::to_string() const {
  std::string s(36, '\0');
  write_to(s.data());
  return s;
}

bool Uuid::is_nil() const {
  for (auto b : bytes_)
    if (b) return false;
  return true;
}

}  // namespace mako
