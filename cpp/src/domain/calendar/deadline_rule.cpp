#include "mako/domain/calendar/deadline_rule.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mako::calendar {

using namespace std::chrono;

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

void require_n(int n) {
  if (n < 1) throw std::invalid_argument("deadline rule: n must be >= 1, got " + std::to_string(n));
}

void require_time(int hour, int minute) {
  if (hour < 0 || hour > 23)
    throw std::invalid_argument("deadline rule: hour must be 0..23, got " + std::to_string(hour));
  if (minute < 0 || minute > 59) {
    throw std::invalid_argument("deadline rule: minute must be 0..59, got " + std::to_string(minute));
  }
}

std::string ordinal(int n) {
  const int mod100 = n % 100;
  const char* suffix = (mod100 >= 11 && mod100 <= 13) ? "th"
                       : n % 10 == 1                  ? "st"
                       : n % 10 == 2                  ? "nd"
                       : n % 10 == 3                  ? "rd"
                                                      : "th";
  return std::to_string(n) + suffix;
}

std::string two_digits(int v) {
  std::string out = std::to_string(v);
  if (out.size() < 2) out.insert(out.begin(), '0');
  return out;
}

int get_int(const nlohmann::json& j, const char* key, int fallback) {
  if (!j.contains(key)) return fallback;
  const auto& v = j.at(key);
  if (!v.is_number_integer())
    throw std::invalid_argument(std::string("deadline rule: '") + key + "' must be an integer");
  return v.get<int>();
}

int require_int(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) throw std::invalid_argument(std::string("deadline rule: missing '") + key + "'");
  return get_int(j, key, 0);
}

}  // namespace

Date transfer_day(Instant receipt) { return berlin_date(receipt); }

Instant at_time_on_nth_working_day_after(Instant receipt, int n, int hour, int minute, const Calendar& calendar) {
  require_n(n);
  require_time(hour, minute);
  return berlin_time_on(calendar.add_working_days(transfer_day(receipt), n), hour, minute);
}

Instant end_of_nth_working_day_after(Instant receipt, int n, const Calendar& calendar) {
  require_n(n);
  const Date wt = calendar.add_working_days(transfer_day(receipt), n);
  return berlin_start_of_day(Date{sys_days{wt} + days{1}});
}

Date latest_transfer_day_for_start(const Date& start, const Calendar& calendar) {
  const Date last_wt = calendar.previous_working_day(start);
  return Date{sys_days{last_wt} - days{1}};
}

Instant latest_transfer_deadline_for_start(Instant start, const Calendar& calendar) {
  const Date latest_ut = latest_transfer_day_for_start(berlin_date(start), calendar);
  return berlin_start_of_day(Date{sys_days{latest_ut} + days{1}});
}

Instant duration_after(Instant from, int hours_, int minutes_) {
  if (hours_ < 0 || minutes_ < 0) throw std::invalid_argument("deadline rule: duration must not be negative");
  return from + hours{hours_} + minutes{minutes_};
}

DeadlineRule DeadlineRule::at_time_on_nth_working_day(int n, int hour, int minute) {
  DeadlineRule r{AtTimeOnNthWorkingDay{n, hour, minute}};
  r.validate();
  return r;
}

DeadlineRule DeadlineRule::end_of_nth_working_day(int n) {
  DeadlineRule r{EndOfNthWorkingDay{n}};
  r.validate();
  return r;
}

DeadlineRule DeadlineRule::latest_transfer_day_before_start() { return DeadlineRule{LatestTransferDayBeforeStart{}}; }

DeadlineRule DeadlineRule::hours_after(int hours_, int minutes_) {
  DeadlineRule r{DurationAfter{hours_, minutes_}};
  r.validate();
  return r;
}

void DeadlineRule::validate() const {
  std::visit(overloaded{
                 [](const AtTimeOnNthWorkingDay& s) {
                   require_n(s.n);
                   require_time(s.hour, s.minute);
                 },
                 [](const EndOfNthWorkingDay& s) { require_n(s.n); },
                 [](const LatestTransferDayBeforeStart&) {},
                 [](const DurationAfter& s) {
                   if (s.hours < 0 || s.minutes < 0) {
                     throw std::invalid_argument("deadline rule: duration must not be negative");
                   }
                 },
             },
             shape);
}

Instant DeadlineRule::evaluate(Instant reference, const Calendar& calendar) const {
  return std::visit(
      overloaded{
          [&](const AtTimeOnNthWorkingDay& s) {
            return at_time_on_nth_working_day_after(reference, s.n, s.hour, s.minute, calendar);
          },
          [&](const EndOfNthWorkingDay& s) { return end_of_nth_working_day_after(reference, s.n, calendar); },
          [&](const LatestTransferDayBeforeStart&) { return latest_transfer_deadline_for_start(reference, calendar); },
          [&](const DurationAfter& s) { return duration_after(reference, s.hours, s.minutes); },
      },
      shape);
}

std::string DeadlineRule::describe() const {
  return std::visit(overloaded{
                        [](const AtTimeOnNthWorkingDay& s) {
                          return two_digits(s.hour) + ":" + two_digits(s.minute) + " of the " + ordinal(s.n) +
                                 " WT after the ÜT";
                        },
                        [](const EndOfNthWorkingDay& s) {
                          return "end of the " + ordinal(s.n) + " WT after the ÜT (exclusive, 00:00 of the next day)";
                        },
                        [](const LatestTransferDayBeforeStart&) {
                          return std::string("ÜT at the latest on the day before the last WT before the start date");
                        },
                        [](const DurationAfter& s) {
                          std::string out = std::to_string(s.hours);
                          out += " h";
                          if (s.minutes) {
                            out += ' ';
                            out += std::to_string(s.minutes);
                            out += " min";
                          }
                          out += " after the reference instant";
                          return out;
                        },
                    },
                    shape);
}

void to_json(nlohmann::json& j, const DeadlineRule& rule) {
  std::visit(overloaded{
                 [&](const AtTimeOnNthWorkingDay& s) {
                   j = {{"shape", "at_time_on_nth_working_day"}, {"n", s.n}, {"hour", s.hour}, {"minute", s.minute}};
                 },
                 [&](const EndOfNthWorkingDay& s) { j = {{"shape", "end_of_nth_working_day"}, {"n", s.n}}; },
                 [&](const LatestTransferDayBeforeStart&) { j = {{"shape", "latest_transfer_day_before_start"}}; },
                 [&](const DurationAfter& s) {
                   j = {{"shape", "duration_after"}, {"hours", s.hours}, {"minutes", s.minutes}};
                 },
             },
             rule.shape);
}

void from_json(const nlohmann::json& j, DeadlineRule& rule) {
  if (!j.is_object() || !j.contains("shape") || !j.at("shape").is_string()) {
    throw std::invalid_argument("deadline rule: expected an object with a string 'shape'");
  }
  const auto shape = j.at("shape").get<std::string>();
  if (shape == "at_time_on_nth_working_day") {
    rule = DeadlineRule{AtTimeOnNthWorkingDay{require_int(j, "n"), require_int(j, "hour"), get_int(j, "minute", 0)}};
  } else if (shape == "end_of_nth_working_day") {
    rule = DeadlineRule{EndOfNthWorkingDay{require_int(j, "n")}};
  } else if (shape == "latest_transfer_day_before_start") {
    rule = DeadlineRule{LatestTransferDayBeforeStart{}};
  } else if (shape == "duration_after") {
    rule = DeadlineRule{DurationAfter{get_int(j, "hours", 0), get_int(j, "minutes", 0)}};
  } else {
    throw std::invalid_argument("deadline rule: unknown shape '" + shape + "'");
  }
  rule.validate();
}

std::string DeadlineRule::to_json_string() const {
  nlohmann::json j = *this;
  return j.dump();
}

DeadlineRule DeadlineRule::from_json_string(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(std::string("deadline rule: invalid JSON: ") + e.what());
  }
  return j.get<DeadlineRule>();
}

}  // namespace mako::calendar
