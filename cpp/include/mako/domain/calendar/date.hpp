#pragma once
// Calendar dates for the domain layer: std::chrono::year_month_day, plus ISO text helpers.
#include <chrono>
#include <string>
#include <string_view>

namespace mako::calendar {

using Date = std::chrono::year_month_day;

// Throws std::invalid_argument when `d` is not a valid calendar date (e.g. 2023-02-30).
void require_valid(const Date& d, std::string_view what = "date");

// "2025-06-06".
std::string to_iso_string(const Date& d);
// Parses "YYYY-MM-DD"; throws std::invalid_argument on any other shape or an invalid date.
Date parse_iso_date(std::string_view text);

constexpr Date make_date(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace mako::calendar
