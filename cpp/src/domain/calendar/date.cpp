#include "mako/domain/calendar/date.hpp"

#include "../fixed_digits.hpp"

#include <cstdio>
#include <stdexcept>

namespace mako::calendar {

void require_valid(const Date& d, std::string_view what) {
  if (!d.ok()) {
    throw std::invalid_argument(
        std::string(what) + " is not a valid calendar date: " + std::to_string(static_cast<int>(d.year())) + "-" +
        std::to_string(static_cast<unsigned>(d.month())) + "-" + std::to_string(static_cast<unsigned>(d.day())));
  }
}

std::string to_iso_string(const Date& d) {
  std::string out;
  out.reserve(10);
  domain_detail::append_digits(out, static_cast<int>(d.year()), 4);
  out += '-';
  domain_detail::append_digits(out, static_cast<unsigned>(d.month()), 2);
  out += '-';
  domain_detail::append_digits(out, static_cast<unsigned>(d.day()), 2);
  return out;
}

Date parse_iso_date(std::string_view text) {
  auto fail = [&]() -> Date { throw std::invalid_argument("date '" + std::string(text) + "': expected YYYY-MM-DD"); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return fail();
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') fail();
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  Date d = make_date(num(0, 4), static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2)));
  if (!d.ok()) {
    throw std::invalid_argument("date '" + std::string(text) + "': not a valid calendar date");
  }
  return d;
}

}  // namespace mako::calendar
