#pragma once
// DTM value formats used by EDI@Energy.
// Instants are std::chrono::sys_seconds in UTC (pybind11 maps them to datetime); calendar dates
// (format 102) are std::chrono::sys_days.
//  * 303: CCYYMMDDHHMMZZZ, e.g. "202506012200+00" (on the wire "202506012200?+00" because '+' is
//    the element separator). ZZZ is the UTC offset in hours; the value is converted to UTC.
//  * 102: CCYYMMDD.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mako::edifact {

inline constexpr std::string_view kDtmFormat303 = "303";
inline constexpr std::string_view kDtmFormat102 = "102";

/// Parses an (unescaped) 303 value; nullopt if malformed (bad digits, invalid date/time, offset).
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_dtm_303(std::string_view value) noexcept;
/// Formats as UTC with "+00", e.g. "202506012200+00". Seconds are truncated to minutes.
[[nodiscard]] std::string format_dtm_303(std::chrono::sys_seconds instant);

[[nodiscard]] std::optional<std::chrono::sys_days> parse_dtm_102(std::string_view value) noexcept;
[[nodiscard]] std::string format_dtm_102(std::chrono::sys_days day);

/// Parses value in the given format code ("303" or "102"; 102 gives 00:00 UTC of that day).
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_dtm(std::string_view value,
                                                                std::string_view format) noexcept;

/// UNB S004: date YYMMDD and time HHMM of an instant (UTC).
[[nodiscard]] std::string format_unb_date(std::chrono::sys_seconds instant);
[[nodiscard]] std::string format_unb_time(std::chrono::sys_seconds instant);

}  // namespace mako::edifact
