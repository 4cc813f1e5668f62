#include "mako/domain/edifact/validation.hpp"

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/market_partner.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "view_support.hpp"

namespace mako::edifact {
namespace {

template <class Seg>
void check_nad(const Seg& nad, const Party& party, const char* role) {
  // Compared in place (what read_nad would return): no MarketPartner copy per message.
  const std::string_view id = nad.value(1, 0);
  if (id != party.id)
    detail::fail(nad, "NAD+" + std::string(nad.value(0)) + " id " + detail::quoted(party.id) + " (UNB " + role + ")",
                 detail::quoted(id));
  const auto expected_list = code_list_for_unb_qualifier(party.qualifier);
  const std::string_view code_list = nad.value(1, 2);
  if (!expected_list.empty() && code_list != expected_list)
    detail::fail(nad,
                 "NAD+" + std::string(nad.value(0)) + " code list " + detail::quoted(expected_list) + " matching UNB " +
                     role + " qualifier " + detail::quoted(party.qualifier),
                 detail::quoted(code_list));
}

template <class Msg>
void check_partners(const Interchange& ic, const std::vector<Msg>& messages) {
  for (const Msg& m : messages) {
    // Only the message-level NADs (before the first transaction / error group) name the
    // partners; stop at the first IDE so transaction-level NADs (e.g. customers) are ignored.
    for (const auto& s : m.segments) {
      if (detail::tag_is(s, "IDE")) break;
      if (s.is("NAD", "MS")) check_nad(s, ic.sender, "sender");
      else if (s.is("NAD", "MR")) check_nad(s, ic.receiver, "recipient");
    }
  }
}

}  // namespace

void check_market_partners(const Interchange& ic) { check_partners(ic, ic.messages); }

void detail::check_market_partners(const Interchange& header, const std::vector<MessageView>& messages) {
  check_partners(header, messages);
}

void validate_messages(const Interchange& ic) {
  for (const Message& m : ic.messages) {
    if (m.type == "UTILMD") (void)read_utilmd(m);
    else if (m.type == "APERAK") (void)read_aperak(m);
    else if (m.type == "CONTRL") (void)read_contrl(m);
  }
}

}  // namespace mako::edifact
