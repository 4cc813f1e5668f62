#include "mako/domain/identifiers/check_digits.hpp"

namespace mako::identifiers {

int bdew_check_digit(std::string_view digits) noexcept {
  int odd = 0;
  int even = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const int d = digits[i] - '0';
    // i is 0-based, so i even <=> 1-based position odd.
    (i % 2 == 0 ? odd : even) += d;
  }
  return (10 - ((odd + 2 * even) % 10)) % 10;
}

int gs1_check_digit(std::string_view digits) noexcept {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  }
  return (10 - (sum % 10)) % 10;
}

}  // namespace mako::identifiers
