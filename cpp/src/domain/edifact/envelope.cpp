#include "mako/domain/edifact/envelope.hpp"

#include "mako/domain/edifact/datetime.hpp"

namespace mako::edifact {

Interchange make_interchange(const MarketPartner& sender, const MarketPartner& receiver, std::string reference,
                             std::chrono::sys_seconds prepared_at, std::vector<Message> messages) {
  Interchange ic;
  ic.has_una = true;
  ic.syntax_id = "UNOC";
  ic.syntax_version = "3";
  ic.sender = to_party(sender);
  ic.receiver = to_party(receiver);
  ic.date = format_unb_date(prepared_at);
  ic.time = format_unb_time(prepared_at);
  ic.reference = std::move(reference);
  ic.messages = std::move(messages);
  return ic;
}

}  // namespace mako::edifact
