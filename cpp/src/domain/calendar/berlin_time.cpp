#include "mako/domain/calendar/berlin_time.hpp"

#include "../fixed_digits.hpp"

#include <cstdio>
#include <stdexcept>

namespace mako::calendar {

using namespace std::chrono;

namespace {

// Last Sunday of `m` in `year`, 01:00 UTC.
Instant last_sunday_0100_utc(int year, month m) {
  const sys_days last{year_month_day_last{std::chrono::year{year}, month_day_last{m}}};
  const unsigned back = weekday{last}.c_encoding();  // Sunday = 0
  return Instant{(last - days{back}).time_since_epoch()} + hours{1};
}

constexpr int kFirstSummerTimeYear = 1981;
constexpr int kEuOctoberEndFrom = 1996;

}  // namespace

Instant berlin_summer_time_start(int year) {
  if (year < kFirstSummerTimeYear) return Instant{sys_days{make_date(year, 1, 1)}.time_since_epoch()};
  return last_sunday_0100_utc(year, March);
}

Instant berlin_summer_time_end(int year) {
  if (year < kFirstSummerTimeYear) return berlin_summer_time_start(year);
  return last_sunday_0100_utc(year, year >= kEuOctoberEndFrom ? October : September);
}

bool is_berlin_summer_time(Instant t) {
  const int year = static_cast<int>(year_month_day{floor<days>(t)}.year());
  return t >= berlin_summer_time_start(year) && t < berlin_summer_time_end(year);
}

seconds berlin_utc_offset(Instant t) { return is_berlin_summer_time(t) ? hours{2} : hours{1}; }

LocalTime to_berlin_local(Instant t) { return LocalTime{(t + berlin_utc_offset(t)).time_since_epoch()}; }

Date berlin_date(Instant t) { return Date{floor<days>(sys_seconds{to_berlin_local(t).time_since_epoch()})}; }

Instant from_berlin_local(LocalTime local) {
  const Instant as_if_utc{local.time_since_epoch()};
  const Instant summer = as_if_utc - hours{2};
  const Instant winter = as_if_utc - hours{1};
  if (berlin_utc_offset(summer) == hours{2}) return summer;  // earlier of the two in the overlap
  if (berlin_utc_offset(winter) == hours{1}) return winter;
  return winter;  // spring gap: winter reading = the same wall time moved forward by one hour
}

Instant berlin_time_on(const Date& date, int hour, int minute) {
  require_valid(date);
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59 || (hour == 24 && minute != 0)) {
    throw std::invalid_argument("local time " + std::to_string(hour) + ":" + std::to_string(minute) +
                                " is out of range (00:00-24:00)");
  }
  return from_berlin_local(LocalTime{local_days{sys_days{date}.time_since_epoch()}.time_since_epoch()} + hours{hour} +
                           minutes{minute});
}

Instant berlin_start_of_day(const Date& date) { return berlin_time_on(date, 0, 0); }

namespace {
std::string format_fields(sys_seconds t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> tod{t - day};
  using domain_detail::append_digits;
  std::string out;
  out.reserve(26);
  append_digits(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  append_digits(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_digits(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  append_digits(out, tod.hours().count(), 2);
  out += ':';
  append_digits(out, tod.minutes().count(), 2);
  out += ':';
  append_digits(out, tod.seconds().count(), 2);
  return out;
}
}  // namespace

std::string format_utc(Instant t) { return format_fields(t) + "Z"; }

std::string format_berlin(Instant t) {
  const auto offset = berlin_utc_offset(t);
  return format_fields(t + offset) + (offset == hours{2} ? "+02:00" : "+01:00");
}

Instant parse_utc(const std::string& text) {
  auto fail = [&]() -> Instant {
    throw std::invalid_argument("instant '" + text + "': expected YYYY-MM-DDTHH:MM:SSZ");
  };
  std::string rest;
  if (text.size() == 20 && text[19] == 'Z') {
    rest = text.substr(0, 19);
  } else if (text.size() == 25 && text.compare(19, 6, "+00:00") == 0) {
    rest = text.substr(0, 19);
  } else {
    return fail();
  }
  if (rest[10] != 'T' && rest[10] != ' ') return fail();
  if (rest[13] != ':' || rest[16] != ':') return fail();
  const Date date = parse_iso_date(rest.substr(0, 10));
  auto two = [&](std::size_t pos) {
    if (rest[pos] < '0' || rest[pos] > '9' || rest[pos + 1] < '0' || rest[pos + 1] > '9') fail();
    return (rest[pos] - '0') * 10 + (rest[pos + 1] - '0');
  };
  const int h = two(11), m = two(14), s = two(17);
  if (h > 23 || m > 59 || s > 59) return fail();
  return Instant{sys_days{date}.time_since_epoch()} + hours{h} + minutes{m} + seconds{s};
}

}  // namespace mako::calendar
