#pragma once
// One line of holiday data: which day of a year is a non-working day, in which years, and why.
// The BDEW calendar is a list of these (bdew_holidays.hpp); users can add their own.
#include <optional>
#include <string>

#include "mako/domain/calendar/date.hpp"

namespace mako::calendar {

enum class HolidayRuleKind {
  FixedDate,          // month/day every year (e.g. 03.10.)
  EasterOffset,       // easter_offset_days after Easter Sunday (Karfreitag = -2)
  WeekdayOnOrBefore,  // the last `weekday` on or before month/day (Buß- und Bettag: Wed on/before 22.11.)
  OneOff,             // a single date (first_year == last_year == its year)
};

struct HolidayRule {
  std::string name;
  HolidayRuleKind kind = HolidayRuleKind::FixedDate;
  unsigned month = 1;          // FixedDate, WeekdayOnOrBefore, OneOff
  unsigned day = 1;            // FixedDate, WeekdayOnOrBefore, OneOff
  int easter_offset_days = 0;  // EasterOffset
  unsigned weekday = 0;        // WeekdayOnOrBefore: 0 = Sunday ... 6 = Saturday (C encoding)
  int first_year = 0;          // inclusive
  int last_year = 9999;        // inclusive
  std::string regions;         // where it holds, for the record: "DE", "BE", "BB MV SN ST TH", "BDEW"
  std::string source;          // which source this line follows

  // The date in `year`, or nullopt when the rule does not apply that year.
  std::optional<Date> date_in(int year) const;

  static HolidayRule fixed(std::string name, unsigned month, unsigned day, std::string regions, int first_year = 0,
                           int last_year = 9999);
  static HolidayRule easter(std::string name, int offset_days, std::string regions, int first_year = 0,
                            int last_year = 9999);
  static HolidayRule weekday_on_or_before(std::string name, unsigned weekday, unsigned month, unsigned day,
                                          std::string regions, int first_year = 0, int last_year = 9999);
  static HolidayRule one_off(std::string name, const Date& date, std::string regions);
};

}  // namespace mako::calendar
