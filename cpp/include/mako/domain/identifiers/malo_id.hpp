#pragma once
// MaLo-ID (Marktlokations-ID): 11 digits `^[1-9]\d{10}$`, the last one a BDEW check digit over the
// first 10 (docs/mako-domain.md, "Identifiers"; vectors 4137355924 -> 41373559241, 5123869601 -> 51238696012).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mako/domain/identifiers/validation.hpp"

namespace mako::identifiers {

class MaloId {
 public:
  static constexpr std::size_t length = 11;

  // Why `text` is not a valid MaLo-ID, or ok.
  static Validation validate(std::string_view text);
  // Throws std::invalid_argument("MaLo-ID '<text>': <reason>") when invalid.
  static MaloId parse(std::string_view text);
  static std::optional<MaloId> try_parse(std::string_view text);
  // Appends the check digit to 10 digits (first digit 1-9); throws std::invalid_argument otherwise.
  static MaloId from_base(std::string_view ten_digits);
  // A valid id derived deterministically from `seed` (for tests and fixtures).
  static MaloId generate(std::uint64_t seed);

  const std::string& str() const noexcept { return value_; }
  int check_digit() const noexcept { return value_.back() - '0'; }

  friend bool operator==(const MaloId&, const MaloId&) = default;
  friend auto operator<=>(const MaloId&, const MaloId&) = default;

 private:
  explicit MaloId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// Convenience for bindings and boundary code: the reason, or nullopt when valid.
std::optional<std::string> why_invalid_malo_id(std::string_view text);
inline bool is_valid_malo_id(std::string_view text) { return MaloId::validate(text).ok; }

}  // namespace mako::identifiers
