#include "mako/domain/identifiers/melo_id.hpp"

#include <stdexcept>

#include "mako/domain/identifiers/seeded_generator.hpp"
#include "mako/domain/identifiers/validation_text.hpp"

namespace mako::identifiers {

namespace {
constexpr std::string_view kField = "MeLo-ID";

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

Validation MeloId::validate(std::string_view text) {
  if (text.size() != length) return Validation::invalid(detail::wrong_length(text.size(), length));
  for (std::size_t i = 0; i < 2; ++i) {
    if (!is_upper(text[i])) {
      return Validation::invalid("country code has " + detail::describe_char(text[i]) + " at position " +
                                 std::to_string(i + 1) + ", expected an upper-case letter A-Z");
    }
  }
  // Positions 3-13: 6-digit grid operator number and 5-digit postcode.
  if (auto why = detail::first_non_digit(text, 2, 13)) return Validation::invalid(*why);
  for (std::size_t i = 13; i < length; ++i) {
    if (!is_upper(text[i]) && !is_digit(text[i])) {
      return Validation::invalid("contains " + detail::describe_char(text[i]) + " at position " +
                                 std::to_string(i + 1) + ", expected A-Z or 0-9");
    }
  }
  return Validation::valid();
}

MeloId MeloId::parse(std::string_view text) {
  auto v = validate(text);
  if (!v.ok) throw std::invalid_argument(detail::field_message(kField, text, v.reason));
  return MeloId(std::string(text));
}

std::optional<MeloId> MeloId::try_parse(std::string_view text) {
  if (!validate(text).ok) return std::nullopt;
  return MeloId(std::string(text));
}

MeloId MeloId::generate(std::uint64_t seed) {
  static constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  SeededGenerator rng(seed);
  std::string value = "DE";
  while (value.size() < 13) value += rng.digit();
  while (value.size() < length) value += kAlnum[rng.below(static_cast<unsigned>(kAlnum.size()))];
  return parse(value);
}

std::optional<std::string> why_invalid_melo_id(std::string_view text) {
  auto v = MeloId::validate(text);
  if (v.ok) return std::nullopt;
  return std::move(v.reason);
}

}  // namespace mako::identifiers
