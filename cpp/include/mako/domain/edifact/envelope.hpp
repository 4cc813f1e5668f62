#pragma once
// Builder for the interchange envelope around built messages.
#include <chrono>
#include <string>
#include <vector>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"

namespace mako::edifact {

/// UNA + UNB (UNOC:3, ids and qualifiers derived from the market partners' code lists, date/time
/// from `prepared_at` in UTC) + messages + UNZ. No line breaks (set Interchange::line_break).
[[nodiscard]] Interchange make_interchange(const MarketPartner& sender, const MarketPartner& receiver,
                                           std::string reference, std::chrono::sys_seconds prepared_at,
                                           std::vector<Message> messages);

}  // namespace mako::edifact
