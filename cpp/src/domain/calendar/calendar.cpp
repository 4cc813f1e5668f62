#include "mako/domain/calendar/calendar.hpp"

#include <algorithm>
#include <stdexcept>

#include "mako/domain/calendar/bdew_holidays.hpp"

namespace mako::calendar {

using namespace std::chrono;

namespace {

constexpr sys_days kCacheBegin{make_date(Calendar::cached_first_year, 1, 1)};
constexpr sys_days kCacheEnd{make_date(Calendar::cached_last_year + 1, 1, 1)};  // exclusive
constexpr std::size_t kCacheDays = static_cast<std::size_t>((kCacheEnd - kCacheBegin).count());

std::size_t cache_index(sys_days day) { return static_cast<std::size_t>((day - kCacheBegin).count()); }
bool in_cache(sys_days day) { return day >= kCacheBegin && day < kCacheEnd; }

sys_days to_days(const Date& date) {
  require_valid(date);
  return sys_days{date};
}

}  // namespace

Calendar::Calendar() : Calendar(std::vector<HolidayRule>{}) {}

Calendar::Calendar(std::vector<HolidayRule> rules, const std::vector<NamedDay>& extra_non_working_days)
    : rules_(std::move(rules)) {
  for (const auto& d : extra_non_working_days) added_[to_days(d.date)] = d.name;
  rebuild_cache();
}

const Calendar& Calendar::bdew() {
  static const Calendar calendar(bdew_holiday_rules());
  return calendar;
}

void Calendar::add_rule(HolidayRule rule) {
  rules_.push_back(std::move(rule));
  rebuild_cache();
}

void Calendar::add_non_working_day(const Date& date, std::string name) {
  const sys_days day = to_days(date);
  removed_.erase(day);
  added_[day] = std::move(name);
  set_cached_bit(day);
}

bool Calendar::remove_non_working_day(const Date& date) {
  const sys_days day = to_days(date);
  const bool was_named = !names_on(day).empty();
  added_.erase(day);
  if (!names_on(day).empty()) removed_.insert(day);  // a rule still produces it: override
  set_cached_bit(day);
  return was_named;
}

bool Calendar::is_weekend(sys_days day) noexcept {
  const unsigned wd = weekday{day}.c_encoding();
  return wd == 0 || wd == 6;
}

std::vector<std::string> Calendar::names_on(sys_days day) const {
  std::vector<std::string> names;
  if (removed_.count(day)) return names;
  const Date date{day};
  const int year = static_cast<int>(date.year());
  for (const auto& rule : rules_) {
    auto d = rule.date_in(year);
    if (d && *d == date && std::find(names.begin(), names.end(), rule.name) == names.end()) {
      names.push_back(rule.name);
    }
  }
  if (auto it = added_.find(day); it != added_.end()) {
    if (std::find(names.begin(), names.end(), it->second) == names.end()) names.push_back(it->second);
  }
  return names;
}

bool Calendar::computed_is_working(sys_days day) const { return !is_weekend(day) && names_on(day).empty(); }

void Calendar::set_cached_bit(sys_days day) {
  if (!in_cache(day)) return;
  const std::size_t i = cache_index(day);
  const std::uint64_t mask = std::uint64_t{1} << (i % 64);
  if (computed_is_working(day)) {
    working_bits_[i / 64] |= mask;
  } else {
    working_bits_[i / 64] &= ~mask;
  }
}

void Calendar::rebuild_cache() {
  // Weekdays first, then clear every rule date year by year: ~211 years x a few dozen rules.
  working_bits_.assign((kCacheDays + 63) / 64, 0);
  for (sys_days day = kCacheBegin; day < kCacheEnd; day += days{1}) {
    if (!is_weekend(day)) {
      const std::size_t i = cache_index(day);
      working_bits_[i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }
  auto clear = [&](sys_days day) {
    if (!in_cache(day)) return;
    const std::size_t i = cache_index(day);
    working_bits_[i / 64] &= ~(std::uint64_t{1} << (i % 64));
  };
  for (int year = cached_first_year; year <= cached_last_year; ++year) {
    for (const auto& rule : rules_) {
      if (auto d = rule.date_in(year)) clear(sys_days{*d});
    }
  }
  for (const auto& [day, name] : added_) clear(day);
  for (sys_days day : removed_) set_cached_bit(day);
}

bool Calendar::is_working_day(sys_days day) const {
  if (in_cache(day)) {
    const std::size_t i = cache_index(day);
    return (working_bits_[i / 64] >> (i % 64)) & 1U;
  }
  return computed_is_working(day);
}

bool Calendar::is_working_day(const Date& date) const { return is_working_day(to_days(date)); }

std::optional<std::string> Calendar::holiday_name(const Date& date) const {
  auto names = names_on(to_days(date));
  if (names.empty()) return std::nullopt;
  std::string joined = names.front();
  for (std::size_t i = 1; i < names.size(); ++i) joined += "; " + names[i];
  return joined;
}

std::vector<NamedDay> Calendar::holidays_between(const Date& from, const Date& to) const {
  std::vector<NamedDay> out;
  for (sys_days day = to_days(from), end = to_days(to); day <= end; day += days{1}) {
    if (auto name = holiday_name(Date{day})) out.push_back({Date{day}, *name});
  }
  return out;
}

Date Calendar::next_working_day(const Date& date) const { return add_working_days(date, 1); }

Date Calendar::previous_working_day(const Date& date) const { return add_working_days(date, -1); }

Date Calendar::add_working_days(const Date& date, int n) const {
  sys_days day = to_days(date);
  const days step{n >= 0 ? 1 : -1};
  for (int remaining = n >= 0 ? n : -n; remaining > 0;) {
    day += step;
    if (is_working_day(day)) --remaining;
  }
  return Date{day};
}

int Calendar::working_days_between(const Date& from, const Date& to) const {
  const sys_days a = to_days(from);
  const sys_days b = to_days(to);
  int count = 0;
  if (a <= b) {
    for (sys_days day = a + days{1}; day <= b; day += days{1}) count += is_working_day(day) ? 1 : 0;
    return count;
  }
  for (sys_days day = b; day < a; day += days{1}) count += is_working_day(day) ? 1 : 0;
  return -count;
}

}  // namespace mako::calendar
