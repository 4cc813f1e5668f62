#pragma once
// Deadline shapes of MaKo processes, evaluated in Europe/Berlin local time over UTC instants
// (docs/mako-domain.md, "Working days and time" and "The GPKE table").
//
// Terms: the ÜT (Übertragungstag) is the Berlin-local date of the receipt instant; it may be a
// weekend day or holiday. "The n-th WT after the ÜT" counts working days strictly after the ÜT
// (the 1st WT after a Thursday-before-Easter ÜT is the Tuesday after Ostermontag).
// End dates are exclusive: "end of a day" is 00:00 local of the following calendar day.
#include <string>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/calendar/calendar.hpp"

namespace mako::calendar {

// "hh:mm of the n-th WT after the ÜT" (e.g. 55036: 07:00 of the 1st WT).
struct AtTimeOnNthWorkingDay {
  int n = 1;
  int hour = 0;
  int minute = 0;
  friend bool operator==(const AtTimeOnNthWorkingDay&, const AtTimeOnNthWorkingDay&) = default;
};

// "End of the n-th WT after the ÜT" = 00:00 local of the calendar day after that WT (exclusive).
struct EndOfNthWorkingDay {
  int n = 1;
  friend bool operator==(const EndOfNthWorkingDay&, const EndOfNthWorkingDay&) = default;
};

// "The ÜT is the day before the last WT before the start date X" (latest ÜT of an Anmeldung 55001
// for a Zuordnungsbeginn X). The reference instant is X; the result is the exclusive end of the
// latest ÜT (00:00 local of the last WT before X). Reading: "the day before" is a CALENDAR day, since
// the ÜT may be any day and only the 1st WT after it must be the last WT before X -- see
// latest_transfer_day_for_start.
struct LatestTransferDayBeforeStart {
  friend bool operator==(const LatestTransferDayBeforeStart&, const LatestTransferDayBeforeStart&) = default;
};

// "n hours (and m minutes) after an instant": elapsed time, not wall-clock time (across a DST switch
// 24 h after 12:00 local is 11:00 or 13:00 local).
struct DurationAfter {
  int hours = 0;
  int minutes = 0;
  friend bool operator==(const DurationAfter&, const DurationAfter&) = default;
};

using DeadlineShape =
    std::variant<AtTimeOnNthWorkingDay, EndOfNthWorkingDay, LatestTransferDayBeforeStart, DurationAfter>;

struct DeadlineRule {
  DeadlineShape shape;

  static DeadlineRule at_time_on_nth_working_day(int n, int hour, int minute = 0);
  static DeadlineRule end_of_nth_working_day(int n);
  static DeadlineRule latest_transfer_day_before_start();
  static DeadlineRule hours_after(int hours, int minutes = 0);

  // The deadline as a UTC instant. `reference` is the receipt instant (WT shapes), the start
  // instant X (LatestTransferDayBeforeStart) or the instant to count from (DurationAfter).
  Instant evaluate(Instant reference, const Calendar& calendar = Calendar::bdew()) const;
  // Short English description, e.g. "07:00 of the 1st WT after the ÜT".
  std::string describe() const;
  // Throws std::invalid_argument when a parameter is out of range (n < 1, hour > 23, ...).
  void validate() const;

  // JSON: {"shape": "at_time_on_nth_working_day", "n": 1, "hour": 7, "minute": 0},
  // {"shape": "end_of_nth_working_day", "n": 1}, {"shape": "latest_transfer_day_before_start"},
  // {"shape": "duration_after", "hours": 6, "minutes": 0}.
  std::string to_json_string() const;
  static DeadlineRule from_json_string(const std::string& text);

  friend bool operator==(const DeadlineRule&, const DeadlineRule&) = default;
};

// nlohmann_json ADL hooks (throw std::invalid_argument on an unknown shape or a bad parameter).
void to_json(nlohmann::json& j, const DeadlineRule& rule);
void from_json(const nlohmann::json& j, DeadlineRule& rule);

// The shapes as plain functions.
Date transfer_day(Instant receipt);  // ÜT = Berlin-local date of the receipt
Instant at_time_on_nth_working_day_after(Instant receipt, int n, int hour, int minute, const Calendar& calendar);
Instant end_of_nth_working_day_after(Instant receipt, int n, const Calendar& calendar);
// Latest ÜT for a start date X: the calendar day before the last WT before X.
// Worked example (docs/mako-domain.md, "Worked example"): X = Wednesday -> last WT before = Tuesday -> latest ÜT =
// Monday; with a holiday on Tuesday: last WT = Monday -> latest ÜT = Sunday (any ÜT up to Sunday has its 1st WT on
// Monday, so all 1st-WT deadlines move one WT earlier, to Monday).
Date latest_transfer_day_for_start(const Date& start, const Calendar& calendar);
Instant latest_transfer_deadline_for_start(Instant start, const Calendar& calendar);
Instant duration_after(Instant from, int hours, int minutes = 0);

}  // namespace mako::calendar
