#pragma once
// RFC 9562 UUIDs: random v4 ids and deterministic v5 ids (SHA-1 over namespace + name).
#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mako {

class Uuid {
 public:
  constexpr Uuid() = default;  // the nil UUID
  explicit constexpr Uuid(std::array<std::uint8_t, 16> bytes) : bytes_(bytes) {}

  static Uuid v4();  // random, from a per-thread generator seeded from std::random_device
  static Uuid v5(const Uuid& name_space, std::string_view name);
  static Uuid nil() { return Uuid{}; }
  // Accepts the hyphenated 36-character form (either case); throws EngineError(InvalidInput).
  static Uuid parse(std::string_view text);

  std::string to_string() const;  // lowercase, hyphenated
  void write_to(char* out36) const;
  bool is_nil() const;
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  int version() const { return bytes_[6] >> 4; }

  friend auto operator<=>(const Uuid&, const Uuid&) = default;
  friend bool operator==(const Uuid&, const Uuid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace mako

template <>
struct std::hash<mako::Uuid> {
  std::size_t operator()(const mako::Uuid& u) const noexcept {
    std::uint64_t a = 0, b = 0;
    for (int i = 0; i < 8; ++i) a = (a << 8) | u.bytes()[i];
    for (int i = 8; i < 16; ++i) b = (b << 8) | u.bytes()[i];
    return static_cast<std::size_t>(a ^ (b * 0x9E3779B97F4A7C15ULL));
  }
};
