#pragma once
// Internal: the envelope of make_interchange() + write() written straight to bytes, for the
// direct writers of built messages (write_*_interchange). Keep in step with both.
#include <chrono>
#include <string_view>

#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/market_partner.hpp"
#include "mako/domain/edifact/writer.hpp"

namespace mako::edifact::detail {

/// The text of a single-message interchange as make_interchange() + write() produce it: UNA with
/// the default separators, UNOC, no line breaks. Write UNB, the message and the trailer through `w`.
struct InterchangeText {
  explicit InterchangeText(std::size_t reserve) {
    out.reserve(reserve);
    out += seps.una();
  }
  const Separators seps;
  std::string out;
  SegmentWriter w{out, seps, Charset::UNOC};
};

/// UNB as make_interchange builds it: UNOC:3, parties without routing, date/time in UTC.
inline void write_unb(SegmentWriter& w, const MarketPartner& sender, const MarketPartner& receiver,
                      std::string_view reference, std::chrono::sys_seconds prepared_at) {
  w.begin("UNB").element("UNOC").component("3");
  w.element(sender.id).component(unb_qualifier_for_code_list(sender.code_list));
  w.element(receiver.id).component(unb_qualifier_for_code_list(receiver.code_list));
  w.element(format_unb_date(prepared_at)).component(format_unb_time(prepared_at));
  w.element(reference).end();
}

/// UNH as write() writes it: trailing empty S009 components are omitted.
inline void write_unh(SegmentWriter& w, std::string_view reference, std::string_view type, std::string_view version,
                      std::string_view release, std::string_view agency, std::string_view association) {
  w.begin("UNH").element(reference).element(type);
  const std::string_view s009[] = {version, release, agency, association};
  std::size_t n = 4;
  while (n > 0 && s009[n - 1].empty()) --n;
  for (std::size_t i = 0; i < n; ++i) w.component(s009[i]);
  w.end();
}

/// UNT (body segments + UNH + UNT) and UNZ for a single-message interchange.
inline void write_trailer(SegmentWriter& w, std::size_t body_segments, std::string_view message_reference,
                          std::string_view interchange_reference) {
  w.begin("UNT").element(std::to_string(body_segments + 2)).element(message_reference).end();
  w.begin("UNZ").element("1").element(interchange_reference).end();
}

}  // namespace mako::edifact::detail
