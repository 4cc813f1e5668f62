#pragma once
// MeLo-ID (Messlokations-ID): 33 characters `^[A-Z]{2}\d{6}\d{5}[A-Z\d]{20}$` -- country code,
// 6-digit grid operator number, 5-digit postcode, 20 alphanumerics. No check digit
// (docs/mako-domain.md, "Identifiers").
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mako/domain/identifiers/validation.hpp"

namespace mako::identifiers {

class MeloId {
 public:
  static constexpr std::size_t length = 33;

  static Validation validate(std::string_view text);
  // Throws std::invalid_argument("MeLo-ID '<text>': <reason>") when invalid.
  static MeloId parse(std::string_view text);
  static std::optional<MeloId> try_parse(std::string_view text);
  // A valid "DE..." id derived deterministically from `seed` (for tests and fixtures).
  static MeloId generate(std::uint64_t seed);

  const std::string& str() const noexcept { return value_; }
  std::string country_code() const { return value_.substr(0, 2); }
  std::string grid_operator_number() const { return value_.substr(2, 6); }
  std::string postcode() const { return value_.substr(8, 5); }
  std::string counter_part() const { return value_.substr(13); }

  friend bool operator==(const MeloId&, const MeloId&) = default;
  friend auto operator<=>(const MeloId&, const MeloId&) = default;

 private:
  explicit MeloId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

std::optional<std::string> why_invalid_melo_id(std::string_view text);
inline bool is_valid_melo_id(std::string_view text) { return MeloId::validate(text).ok; }

}  // namespace mako::identifiers
