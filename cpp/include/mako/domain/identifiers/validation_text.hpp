#pragma once
// Internal helpers that word validation reasons uniformly (used by the identifier types).
#include <optional>
#include <string>
#include <string_view>

namespace mako::identifiers::detail {

std::string describe_char(char c);
std::string wrong_length(std::size_t actual, std::size_t expected);
// "contains non-digit 'x' at position 3" for the first non-digit in [from, to), 1-based position.
std::optional<std::string> first_non_digit(std::string_view text, std::size_t from, std::size_t to);
// "<field> '<text>': <reason>", with non-printable characters escaped.
std::string field_message(std::string_view field, std::string_view text, std::string_view reason);

}  // namespace mako::identifiers::detail
