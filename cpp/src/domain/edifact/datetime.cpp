#include "mako/domain/edifact/datetime.hpp"

#include "../fixed_digits.hpp"

#include <cstdio>

namespace mako::edifact {
namespace {

using namespace std::chrono;

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<sys_days> ymd(std::string_view s) noexcept {
  int y = 0, m = 0, d = 0;
  if (!digits(s, 0, 4, y) || !digits(s, 4, 2, m) || !digits(s, 6, 2, d)) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return sys_days{date};
}

}  // namespace

std::optional<sys_seconds> parse_dtm_303(std::string_view v) noexcept {
  if (v.size() != 15) return std::nullopt;
  const auto date = ymd(v);
  int hh = 0, mm = 0, off = 0;
  if (!date || !digits(v, 8, 2, hh) || !digits(v, 10, 2, mm) || !digits(v, 13, 2, off)) return std::nullopt;
  if (hh > 23 || mm > 59 || off > 14 || (v[12] != '+' && v[12] != '-')) return std::nullopt;
  const int sign = v[12] == '+' ? 1 : -1;
  const sys_seconds utc = sys_seconds{*date} + hours{hh} + minutes{mm} - hours{sign * off};
  // Keep the UTC result formattable as CCYY (a +14 offset could push year 0000 into year -1).
  const int utc_year = static_cast<int>(year_month_day{floor<days>(utc)}.year());
  if (utc_year < 1 || utc_year > 9999) return std::nullopt;
  return utc;
}

std::string format_dtm_303(sys_seconds instant) {
  const auto day = floor<days>(instant);
  const year_month_day date{day};
  const hh_mm_ss tod{instant - day};
  using domain_detail::append_digits;
  std::string out;
  out.reserve(15);
  append_digits(out, static_cast<int>(date.year()), 4);
  append_digits(out, static_cast<unsigned>(date.month()), 2);
  append_digits(out, static_cast<unsigned>(date.day()), 2);
  append_digits(out, tod.hours().count(), 2);
  append_digits(out, tod.minutes().count(), 2);
  out += "+00";
  return out;
}

std::optional<sys_days> parse_dtm_102(std::string_view v) noexcept {
  if (v.size() != 8) return std::nullopt;
  return ymd(v);
}

std::string format_dtm_102(sys_days day) {
  const year_month_day date{day};
  using domain_detail::append_digits;
  std::string out;
  out.reserve(8);
  append_digits(out, static_cast<int>(date.year()), 4);
  append_digits(out, static_cast<unsigned>(date.month()), 2);
  append_digits(out, static_cast<unsigned>(date.day()), 2);
  return out;
}

std::optional<sys_seconds> parse_dtm(std::string_view value, std::string_view format) noexcept {
  if (format == kDtmFormat303) return parse_dtm_303(value);
  if (format == kDtmFormat102) {
    if (auto d = parse_dtm_102(value)) return sys_seconds{*d};
  }
  return std::nullopt;
}

std::string format_unb_date(sys_seconds instant) {
  const year_month_day date{floor<days>(instant)};
  using domain_detail::append_digits;
  std::string out;
  out.reserve(6);
  append_digits(out, static_cast<int>(date.year()) % 100, 2);
  append_digits(out, static_cast<unsigned>(date.month()), 2);
  append_digits(out, static_cast<unsigned>(date.day()), 2);
  return out;
}

std::string format_unb_time(sys_seconds instant) {
  const hh_mm_ss tod{instant - floor<days>(instant)};
  std::string out;
  out.reserve(4);
  domain_detail::append_digits(out, tod.hours().count(), 2);
  domain_detail::append_digits(out, tod.minutes().count(), 2);
  return out;
}

}  // namespace mako::edifact
