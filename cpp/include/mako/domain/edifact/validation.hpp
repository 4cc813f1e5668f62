#pragma once
// Cross-segment checks that go beyond the envelope structure.
#include <string_view>

#include "mako/domain/edifact/interchange.hpp"

namespace mako::edifact {

/// UNB sender/receiver must agree with NAD+MS / NAD+MR of every message that carries them, both
/// the id and the code list (500<->293 BDEW, 502<->332 DVGW, 14<->9 GS1). Throws ParseError at
/// the offending NAD segment.
void check_market_partners(const Interchange& interchange);

/// Runs the typed view of every message whose type has one (UTILMD, APERAK, CONTRL), so that
/// content errors (unknown PID, PID in the wrong segment, ...) surface as ParseError.
void validate_messages(const Interchange& interchange);

}  // namespace mako::edifact
