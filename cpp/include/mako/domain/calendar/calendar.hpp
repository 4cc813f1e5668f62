#pragma once
// BDEW working-day (Werktag, WT) calendar. A WT is not Saturday/Sunday and not a non-working day of
// the calendar's data (docs/mako-domain.md, "Working days and time"). The data is a list of HolidayRule plus single
// days added or removed by the user; is_working_day is an O(1) bit lookup for 1990-2200 (a bitset
// rebuilt whenever the rules change) and falls back to evaluating the rules outside that range.
//
// Thread safety: const member functions may run concurrently; mutation needs exclusive access.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mako/domain/calendar/date.hpp"
#include "mako/domain/calendar/holiday_rule.hpp"

namespace mako::calendar {

struct NamedDay {
  Date date;
  std::string name;
  friend bool operator==(const NamedDay&, const NamedDay&) = default;
};

class Calendar {
 public:
  static constexpr int cached_first_year = 1990;
  static constexpr int cached_last_year = 2200;

  // No holidays at all: only weekends are non-working.
  Calendar();
  explicit Calendar(std::vector<HolidayRule> rules, const std::vector<NamedDay>& extra_non_working_days = {});

  // The shared BDEW calendar (bdew_holidays.hpp). Copy it to extend it:
  //   Calendar c = Calendar::bdew(); c.add_non_working_day(make_date(2030, 5, 2), "Sondertag");
  static const Calendar& bdew();

  const std::vector<HolidayRule>& rules() const noexcept { return rules_; }
  void add_rule(HolidayRule rule);
  // Marks `date` non-working with `name` (a one-off day such as 2025-06-06).
  void add_non_working_day(const Date& date, std::string name);
  // Makes `date` a working day again unless it is a weekend day (weekends are never WTs).
  // Returns true if `date` was a named non-working day before.
  bool remove_non_working_day(const Date& date);

  bool is_working_day(const Date& date) const;
  bool is_working_day(std::chrono::sys_days day) const;
  static bool is_weekend(std::chrono::sys_days day) noexcept;
  // Name(s) of the holiday on `date` ("; "-joined when several fall together), or nullopt.
  // Weekends without a holiday have no name.
  std::optional<std::string> holiday_name(const Date& date) const;
  // Named non-working days in [from, to], in date order.
  std::vector<NamedDay> holidays_between(const Date& from, const Date& to) const;

  // First WT strictly after / before `date`.
  Date next_working_day(const Date& date) const;
  Date previous_working_day(const Date& date) const;
  // n > 0: the n-th WT strictly after `date`; n < 0: the |n|-th WT strictly before; n == 0: `date`.
  Date add_working_days(const Date& date, int n) const;
  // Signed count of WTs between the two dates: for from <= to the WTs in (from, to], for to < from
  // minus the WTs in [to, from). So add_working_days(from, working_days_between(from, to)) == to
  // whenever `to` is a WT.
  int working_days_between(const Date& from, const Date& to) const;

 private:
  void rebuild_cache();
  void set_cached_bit(std::chrono::sys_days day);
  bool computed_is_working(std::chrono::sys_days day) const;
  std::vector<std::string> names_on(std::chrono::sys_days day) const;

  std::vector<HolidayRule> rules_;
  std::map<std::chrono::sys_days, std::string> added_;  // user's one-off non-working days
  std::set<std::chrono::sys_days> removed_;             // holidays the user turned into working days
  std::vector<std::uint64_t> working_bits_;             // bit set = WT, days since 1990-01-01
};

}  // namespace mako::calendar
