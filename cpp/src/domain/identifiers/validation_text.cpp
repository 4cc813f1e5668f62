// Shared wording of validation reasons, so MaLo/MP/MeLo messages read alike.
#include "mako/domain/identifiers/validation_text.hpp"

#include <cstdio>

namespace mako::identifiers::detail {

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", u);
  return buf;
}

std::string wrong_length(std::size_t actual, std::size_t expected) {
  if (actual == 0) return "is empty, expected " + std::to_string(expected) + " characters";
  return "has " + std::to_string(actual) + " characters, expected " + std::to_string(expected);
}

std::optional<std::string> first_non_digit(std::string_view text, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to && i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return "contains non-digit " + describe_char(text[i]) + " at position " + std::to_string(i + 1);
    }
  }
  return std::nullopt;
}

std::string field_message(std::string_view field, std::string_view text, std::string_view reason) {
  std::string shown;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    shown += (u >= 0x20 && u < 0x7f) ? std::string(1, c) : describe_char(c);
  }
  return std::string(field) + " '" + shown + "': " + std::string(reason);
}

}  // namespace mako::identifiers::detail
