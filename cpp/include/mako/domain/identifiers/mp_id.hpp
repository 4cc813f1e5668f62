#pragma once
// MP-ID (Marktpartner-ID): 13 digits. Prefix 99 = BDEW code (Strom), 98 = DVGW code (Gas), both with
// the BDEW check digit over the first 12 digits; any other prefix is a GS1 GLN with the EAN-13 check
// digit (docs/mako-domain.md, "Identifiers").
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mako/domain/identifiers/validation.hpp"

namespace mako::identifiers {

enum class MpIdKind { Bdew, Dvgw, Gs1 };

// "BDEW", "DVGW", "GS1".
std::string to_string(MpIdKind kind);
// Kind implied by the first two digits (no validation beyond that).
MpIdKind mp_id_kind_of_prefix(std::string_view text) noexcept;

class MpId {
 public:
  static constexpr std::size_t length = 13;

  static Validation validate(std::string_view text);
  // Throws std::invalid_argument("MP-ID '<text>': <reason>") when invalid.
  static MpId parse(std::string_view text);
  static std::optional<MpId> try_parse(std::string_view text);
  // Appends the right check digit (chosen by prefix) to 12 digits; throws std::invalid_argument otherwise.
  static MpId from_base(std::string_view twelve_digits);
  // A valid id of `kind` derived deterministically from `seed`. GS1 ids get a German GS1 prefix (40-44).
  static MpId generate(std::uint64_t seed, MpIdKind kind = MpIdKind::Bdew);

  const std::string& str() const noexcept { return value_; }
  MpIdKind kind() const noexcept { return mp_id_kind_of_prefix(value_); }

  friend bool operator==(const MpId&, const MpId&) = default;
  friend auto operator<=>(const MpId&, const MpId&) = default;

 private:
  explicit MpId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

std::optional<std::string> why_invalid_mp_id(std::string_view text);
inline bool is_valid_mp_id(std::string_view text) { return MpId::validate(text).ok; }

}  // namespace mako::identifiers
