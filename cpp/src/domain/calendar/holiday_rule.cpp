#include "mako/domain/calendar/holiday_rule.hpp"

#include <stdexcept>

#include "mako/domain/calendar/easter.hpp"

namespace mako::calendar {

using namespace std::chrono;

std::optional<Date> HolidayRule::date_in(int year) const {
  if (year < first_year || year > last_year) return std::nullopt;
  switch (kind) {
    case HolidayRuleKind::FixedDate:
    case HolidayRuleKind::OneOff: {
      Date d = make_date(year, month, day);
      if (!d.ok()) return std::nullopt;  // e.g. a 29.02. rule in a common year
      return d;
    }
    case HolidayRuleKind::EasterOffset: return Date{sys_days{easter_sunday(year)} + days{easter_offset_days}};
    case HolidayRuleKind::WeekdayOnOrBefore: {
      const sys_days anchor{make_date(year, month, day)};
      const std::chrono::weekday wd{anchor};
      const unsigned back = (wd.c_encoding() + 7 - weekday) % 7;
      return Date{anchor - days{back}};
    }
  }
  return std::nullopt;
}

namespace {
void check_month_day(unsigned month, unsigned day, const std::string& name) {
  // 2000 is a leap year, so 29.02. passes here and is skipped in common years by date_in.
  if (!make_date(2000, month, day).ok()) {
    throw std::invalid_argument("holiday rule '" + name + "': invalid month/day " + std::to_string(month) + "/" +
                                std::to_string(day));
  }
}
}  // namespace

HolidayRule HolidayRule::fixed(std::string name, unsigned month, unsigned day, std::string regions, int first_year,
                               int last_year) {
  check_month_day(month, day, name);
  HolidayRule r;
  r.name = std::move(name);
  r.kind = HolidayRuleKind::FixedDate;
  r.month = month;
  r.day = day;
  r.regions = std::move(regions);
  r.first_year = first_year;
  r.last_year = last_year;
  return r;
}

HolidayRule HolidayRule::easter(std::string name, int offset_days, std::string regions, int first_year, int last_year) {
  HolidayRule r;
  r.name = std::move(name);
  r.kind = HolidayRuleKind::EasterOffset;
  r.easter_offset_days = offset_days;
  r.regions = std::move(regions);
  r.first_year = first_year;
  r.last_year = last_year;
  return r;
}

HolidayRule HolidayRule::weekday_on_or_before(std::string name, unsigned weekday, unsigned month, unsigned day,
                                              std::string regions, int first_year, int last_year) {
  check_month_day(month, day, name);
  if (weekday > 6) throw std::invalid_argument("holiday rule '" + name + "': weekday must be 0..6");
  HolidayRule r = fixed(std::move(name), month, day, std::move(regions), first_year, last_year);
  r.kind = HolidayRuleKind::WeekdayOnOrBefore;
  r.weekday = weekday;
  return r;
}

HolidayRule HolidayRule::one_off(std::string name, const Date& date, std::string regions) {
  require_valid(date, "holiday rule '" + name + "'");
  const int y = static_cast<int>(date.year());
  HolidayRule r = fixed(std::move(name), static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                        std::move(regions), y, y);
  r.kind = HolidayRuleKind::OneOff;
  return r;
}

}  // namespace mako::calendar
