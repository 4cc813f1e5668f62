#include "mako/domain/edifact/market_partner.hpp"

namespace mako::edifact {

std::string_view unb_qualifier_for_code_list(std::string_view code_list) noexcept {
  if (code_list == "293") return "500";
  if (code_list == "332") return "502";
  if (code_list == "9") return "14";
  return "";
}

std::string_view code_list_for_unb_qualifier(std::string_view qualifier) noexcept {
  if (qualifier == "500") return "293";
  if (qualifier == "502") return "332";
  if (qualifier == "14") return "9";
  return "";
}

Party to_party(const MarketPartner& partner) {
  return Party{partner.id, std::string(unb_qualifier_for_code_list(partner.code_list)), ""};
}

Segment make_nad(std::string_view qualifier, const MarketPartner& partner) {
  return Segment("NAD", {Element{std::string(qualifier)}, Element{partner.id, "", partner.code_list}});
}

MarketPartner read_nad(const Segment& nad) { return MarketPartner{nad.value(1, 0), nad.value(1, 2)}; }

}  // namespace mako::edifact
