#include "mako/domain/identifiers/malo_id.hpp"

#include <stdexcept>

#include "mako/domain/identifiers/check_digits.hpp"
#include "mako/domain/identifiers/seeded_generator.hpp"
#include "mako/domain/identifiers/validation_text.hpp"

namespace mako::identifiers {

namespace {
constexpr std::string_view kField = "MaLo-ID";
}

Validation MaloId::validate(std::string_view text) {
  if (text.size() != length) return Validation::invalid(detail::wrong_length(text.size(), length));
  if (auto why = detail::first_non_digit(text, 0, length)) return Validation::invalid(*why);
  if (text[0] == '0') return Validation::invalid("must not start with 0");
  const int expected = bdew_check_digit(text.substr(0, length - 1));
  const int actual = text.back() - '0';
  if (actual != expected) {
    return Validation::invalid("check digit is " + std::to_string(actual) + ", expected " + std::to_string(expected));
  }
  return Validation::valid();
}

MaloId MaloId::parse(std::string_view text) {
  auto v = validate(text);
  if (!v.ok) throw std::invalid_argument(detail::field_message(kField, text, v.reason));
  return MaloId(std::string(text));
}

std::optional<MaloId> MaloId::try_parse(std::string_view text) {
  if (!validate(text).ok) return std::nullopt;
  return MaloId(std::string(text));
}

MaloId MaloId::from_base(std::string_view ten_digits) {
  std::string why;
  if (ten_digits.size() != length - 1) {
    why = detail::wrong_length(ten_digits.size(), length - 1);
  } else if (auto nd = detail::first_non_digit(ten_digits, 0, length - 1)) {
    why = *nd;
  } else if (ten_digits[0] == '0') {
    why = "must not start with 0";
  }
  if (!why.empty()) throw std::invalid_argument(detail::field_message("MaLo-ID base", ten_digits, why));
  std::string value(ten_digits);
  value += static_cast<char>('0' + bdew_check_digit(ten_digits));
  return MaloId(std::move(value));
}

MaloId MaloId::generate(std::uint64_t seed) {
  SeededGenerator rng(seed);
  std::string base;
  base += rng.nonzero_digit();
  while (base.size() < length - 1) base += rng.digit();
  return from_base(base);
}

std::optional<std::string> why_invalid_malo_id(std::string_view text) {
  auto v = MaloId::validate(text);
  if (v.ok) return std::nullopt;
  return std::move(v.reason);
}

}  // namespace mako::identifiers
