#pragma once
// Check-digit procedures used by MaKo identifiers (docs/mako-domain.md, "Identifiers").
#include <string_view>

namespace mako::identifiers {

// BDEW "Lok-/Waggon" procedure (not Luhn) over a string of digits, positions counted from the
// left starting at 1: odd = sum of digits at odd positions, even = sum at even positions,
// check = (10 - ((odd + 2*even) % 10)) % 10. Used for MaLo-IDs (over 10 digits) and for BDEW/DVGW
// MP-IDs (over 12 digits). Precondition: `digits` consists of ASCII digits only.
int bdew_check_digit(std::string_view digits) noexcept;

// GS1 (EAN-13/GLN) check digit over 12 digits: weights 1,3,1,3,... from the left,
// check = (10 - (sum % 10)) % 10. Precondition: ASCII digits only.
int gs1_check_digit(std::string_view digits) noexcept;

}  // namespace mako::identifiers
