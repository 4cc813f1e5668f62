#pragma once
// Internal helpers shared by the typed message views (not installed API).
#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/market_partner.hpp"
#include "mako/domain/edifact/parse_error.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/segment.hpp"

// The views are written once for both segment models: Segment / Message (parse) and
// SegmentView / MessageView (parse_views), so both give the same values and the same errors.
namespace mako::edifact::detail {

/// The segment type of a message model (Segment or SegmentView).
template <class Msg>
using SegmentOf = std::remove_cvref_t<decltype(std::declval<const Msg&>().segments[0])>;

/// seg.tag == tag, compared inline for either model.
template <class Seg>
[[gnu::always_inline]] inline bool tag_is(const Seg& seg, std::string_view tag) noexcept {
  return SegmentView::same(seg.tag, tag);
}

template <class Seg>
[[noreturn]] void fail(const Seg& seg, std::string expected, std::string found) {
  throw ParseError(seg.number, seg.offset, std::string(seg.tag), std::move(expected), std::move(found));
}

template <class Msg>
[[noreturn]] void fail_message(const Msg& m, std::string expected, std::string found) {
  throw ParseError(m.number, m.offset, "UNH", std::move(expected), std::move(found));
}

inline std::string quoted(std::string_view s) {
  std::string out;  // built by append: GCC 12 warns falsely (-Wrestrict) on "'" + std::string
  out.reserve(s.size() + 2);
  out.push_back('\'');
  out.append(s);
  out.push_back('\'');
  return out;
}

template <class Msg>
void require_type(const Msg& m, std::string_view type) {
  if (m.type != type) fail_message(m, "message type " + std::string(type), quoted(m.type));
}

/// DTM+<qualifier>:<value>:<format> -> UTC instant; throws at the segment when malformed.
template <class Seg>
std::chrono::sys_seconds read_dtm(const Seg& dtm) {
  const auto v = parse_dtm(dtm.value(0, 1), dtm.value(0, 2));
  if (!v)
    fail(dtm, "DTM value in format 303 (CCYYMMDDHHMM+00) or 102 (CCYYMMDD)",
         quoted(dtm.value(0, 1)) + " with format " + quoted(dtm.value(0, 2)));
  return *v;
}

/// read_nad for either segment model.
template <class Seg>
MarketPartner nad_of(const Seg& nad) {
  return MarketPartner{std::string(nad.value(1, 0)), std::string(nad.value(1, 2))};
}

/// check_market_partners for a parse_views result.
void check_market_partners(const Interchange& header, const std::vector<MessageView>& messages);

inline Segment make_dtm_303(std::string_view qualifier, std::chrono::sys_seconds instant) {
  return Segment("DTM", {Element{std::string(qualifier), format_dtm_303(instant), std::string(kDtmFormat303)}});
}

}  // namespace mako::edifact::detail
