#include "mako/domain/identifiers/mp_id.hpp"

#include <stdexcept>

#include "mako/domain/identifiers/check_digits.hpp"
#include "mako/domain/identifiers/seeded_generator.hpp"
#include "mako/domain/identifiers/validation_text.hpp"

namespace mako::identifiers {

namespace {
constexpr std::string_view kField = "MP-ID";

int expected_check_digit(std::string_view twelve_digits) {
  return mp_id_kind_of_prefix(twelve_digits) == MpIdKind::Gs1 ? gs1_check_digit(twelve_digits)
                                                              : bdew_check_digit(twelve_digits);
}
}  // namespace

std::string to_string(MpIdKind kind) {
  switch (kind) {
    case MpIdKind::Bdew: return "BDEW";
    case MpIdKind::Dvgw: return "DVGW";
    case MpIdKind::Gs1: return "GS1";
  }
  return "unknown";
}

MpIdKind mp_id_kind_of_prefix(std::string_view text) noexcept {
  if (text.size() >= 2 && text[0] == '9') {
    if (text[1] == '9') return MpIdKind::Bdew;
    if (text[1] == '8') return MpIdKind::Dvgw;
  }
  return MpIdKind::Gs1;
}

Validation MpId::validate(std::string_view text) {
  if (text.size() != length) return Validation::invalid(detail::wrong_length(text.size(), length));
  if (auto why = detail::first_non_digit(text, 0, length)) return Validation::invalid(*why);
  const int expected = expected_check_digit(text.substr(0, length - 1));
  const int actual = text.back() - '0';
  if (actual != expected) {
    return Validation::invalid("check digit is " + std::to_string(actual) + ", expected " + std::to_string(expected) +
                               " (" + to_string(mp_id_kind_of_prefix(text)) + " procedure)");
  }
  return Validation::valid();
}

MpId MpId::parse(std::string_view text) {
  auto v = validate(text);
  if (!v.ok) throw std::invalid_argument(detail::field_message(kField, text, v.reason));
  return MpId(std::string(text));
}

std::optional<MpId> MpId::try_parse(std::string_view text) {
  if (!validate(text).ok) return std::nullopt;
  return MpId(std::string(text));
}

MpId MpId::from_base(std::string_view twelve_digits) {
  std::string why;
  if (twelve_digits.size() != length - 1) {
    why = detail::wrong_length(twelve_digits.size(), length - 1);
  } else if (auto nd = detail::first_non_digit(twelve_digits, 0, length - 1)) {
    why = *nd;
  }
  if (!why.empty()) throw std::invalid_argument(detail::field_message("MP-ID base", twelve_digits, why));
  std::string value(twelve_digits);
  value += static_cast<char>('0' + expected_check_digit(twelve_digits));
  return MpId(std::move(value));
}

MpId MpId::generate(std::uint64_t seed, MpIdKind kind) {
  SeededGenerator rng(seed);
  std::string base;
  switch (kind) {
    case MpIdKind::Bdew: base = "99"; break;
    case MpIdKind::Dvgw: base = "98"; break;
    case MpIdKind::Gs1:
      base = "4";
      base += static_cast<char>('0' + rng.below(5));  // 40-44: GS1 Germany
      break;
  }
  while (base.size() < length - 1) base += rng.digit();
  return from_base(base);
}

std::optional<std::string> why_invalid_mp_id(std::string_view text) {
  auto v = MpId::validate(text);
  if (v.ok) return std::nullopt;
  return std::move(v.reason);
}

}  // namespace mako::identifiers
