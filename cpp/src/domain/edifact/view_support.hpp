#pragma once
// Internal helpers shared by the typed message views (not installed API).
#include <chrono>
#include <string>
#include <string_view>

#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/parse_error.hpp"
#include "mako/domain/edifact/segment.hpp"

namespace mako::edifact::detail {

[[noreturn]] inline void fail(const Segment& seg, std::string expected, std::string found) {
    throw ParseError(seg.number, seg.offset, seg.tag, std::move(expected), std::move(found));
}

[[noreturn]] inline void fail_message(const Message& m, std::string expected, std::string found) {
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

inline void require_type(const Message& m, std::string_view type) {
    if (m.type != type) fail_message(m, "message type " + std::string(type), quoted(m.type));
}

/// DTM+<qualifier>:<value>:<format> -> UTC instant; throws at the segment when malformed.
inline std::chrono::sys_seconds read_dtm(const Segment& dtm) {
    const auto v = parse_dtm(dtm.value(0, 1), dtm.value(0, 2));
    if (!v)
        fail(dtm, "DTM value in format 303 (CCYYMMDDHHMM+00) or 102 (CCYYMMDD)",
             quoted(dtm.value(0, 1)) + " with format " + quoted(dtm.value(0, 2)));
    return *v;
}

inline Segment make_dtm_303(std::string_view qualifier, std::chrono::sys_seconds instant) {
    return Segment("DTM", {Element{std::string(qualifier), format_dtm_303(instant), std::string(kDtmFormat303)}});
}

}  // namespace mako::edifact::detail
