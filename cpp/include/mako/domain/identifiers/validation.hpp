#pragma once
// Result of validating an identifier: ok, or the reason it is not.
#include <string>
#include <utility>

namespace mako::identifiers {

struct Validation {
  bool ok = true;
  std::string reason;  // empty when ok; otherwise a human-readable reason without the field name

  static Validation valid() { return {}; }
  static Validation invalid(std::string why) { return Validation{false, std::move(why)}; }
  explicit operator bool() const noexcept { return ok; }
};

}  // namespace mako::identifiers
