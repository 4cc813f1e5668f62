#pragma once
// Market partners as named in NAD+MS (sender) / NAD+MR (receiver), and how their code list
// relates to the UNB identification code qualifier.
#include <string>
#include <string_view>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/segment.hpp"

namespace mako::edifact {

/// NAD C082: party id and code list responsible agency (3055): 293 BDEW, 332 DVGW, 9 GS1.
struct MarketPartner {
  std::string id;
  std::string code_list = "293";
  friend bool operator==(const MarketPartner&, const MarketPartner&) = default;
};

/// 293 -> "500", 332 -> "502", 9 -> "14"; "" for unknown code lists.
[[nodiscard]] std::string_view unb_qualifier_for_code_list(std::string_view code_list) noexcept;
/// "500" -> 293, "502" -> 332, "14" -> 9; "" for unknown qualifiers.
[[nodiscard]] std::string_view code_list_for_unb_qualifier(std::string_view qualifier) noexcept;

/// The UNB party matching a NAD market partner (qualifier derived from the code list).
[[nodiscard]] Party to_party(const MarketPartner& partner);

/// NAD+<qualifier>+<id>::<code list>
[[nodiscard]] Segment make_nad(std::string_view qualifier, const MarketPartner& partner);
[[nodiscard]] MarketPartner read_nad(const Segment& nad);

}  // namespace mako::edifact
