#pragma once
// EDIFACT service characters (ISO 9735 "service string advice", the UNA segment).
#include <string>
#include <string_view>

namespace mako::edifact {

/// The six service characters. Defaults are the ISO 9735 level-A/UNOC defaults `:+.? '`.
/// The parser takes them from UNA when present; nothing else in this library hard-codes them.
struct Separators {
  char component = ':';  ///< component data element separator
  char element = '+';    ///< data element separator
  char decimal = '.';    ///< decimal mark (kept for round-trip only; values stay text)
  char release = '?';    ///< release (escape) character
  char reserved = ' ';   ///< reserved / repetition separator (syntax 4); plain data in syntax 3
  char segment = '\'';   ///< segment terminator

  /// True for characters that must be escaped with the release character inside data.
  [[nodiscard]] constexpr bool needs_release(char c) const noexcept {
    return c == component || c == element || c == segment || c == release;
  }
  /// The 9-byte UNA service string advice for these separators, e.g. `UNA:+.? '`.
  [[nodiscard]] std::string una() const;

  friend bool operator==(const Separators&, const Separators&) = default;
};

/// Length of a UNA segment including its terminator position ("UNA" + 6 characters).
inline constexpr std::size_t kUnaLength = 9;

}  // namespace mako::edifact
