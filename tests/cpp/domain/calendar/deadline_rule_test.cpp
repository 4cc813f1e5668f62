#include <catch2/catch.hpp>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "mako/domain/calendar/deadline_rule.hpp"

using namespace mako::calendar;
using namespace std::chrono;

namespace {
Instant utc(const char* text) { return parse_utc(text); }
std::string at(const DeadlineRule& rule, const char* reference, const Calendar& cal = Calendar::bdew()) {
  return format_utc(rule.evaluate(utc(reference), cal));
}
}  // namespace

TEST_CASE("ÜT is the Berlin-local date of the receipt", "[deadline]") {
  const auto seven = DeadlineRule::at_time_on_nth_working_day(1, 7);
  // Thursday 23:30 local (CET) -> ÜT Thursday -> Friday 07:00 CET.
  CHECK(at(seven, "2025-03-27T22:30:00Z") == "2025-03-28T06:00:00Z");
  // 00:30 local on Friday -> ÜT Friday -> Monday 07:00, already CEST.
  CHECK(at(seven, "2025-03-27T23:30:00Z") == "2025-03-31T05:00:00Z");
  CHECK(transfer_day(utc("2025-03-27T23:30:00Z")) == make_date(2025, 3, 28));
}

TEST_CASE("HH:00 of the 1st WT across the DST switches", "[deadline][dst]") {
  const auto seven = DeadlineRule::at_time_on_nth_working_day(1, 7);
  // March: ÜT Friday 2025-03-28 (CET) -> Monday 2025-03-31 07:00 CEST = 05:00 UTC.
  CHECK(at(seven, "2025-03-28T10:00:00Z") == "2025-03-31T05:00:00Z");
  // A weekend ÜT counts too: Saturday and Sunday of the switch -> the same Monday.
  CHECK(at(seven, "2025-03-29T10:00:00Z") == "2025-03-31T05:00:00Z");
  CHECK(at(seven, "2025-03-30T10:00:00Z") == "2025-03-31T05:00:00Z");
  // Within the week before: Thursday -> Friday, still CET.
  CHECK(at(seven, "2025-03-27T10:00:00Z") == "2025-03-28T06:00:00Z");
  // October: ÜT Friday 2025-10-24 (CEST) -> Monday 2025-10-27 07:00 CET = 06:00 UTC.
  CHECK(at(seven, "2025-10-24T10:00:00Z") == "2025-10-27T06:00:00Z");
  CHECK(at(seven, "2025-10-23T10:00:00Z") == "2025-10-24T05:00:00Z");
  // n-th WT: 3rd WT after Thursday 2025-10-23 is Tuesday 2025-10-28 (CET).
  CHECK(at(DeadlineRule::at_time_on_nth_working_day(3, 12, 30), "2025-10-23T10:00:00Z") == "2025-10-28T11:30:00Z");
}

TEST_CASE("A holiday moves the 1st WT: ÜT Thursday before Easter", "[deadline]") {
  // ÜT Thursday 2025-04-17 -> Karfreitag, weekend, Ostermontag -> 1st WT Tuesday 2025-04-22.
  CHECK(at(DeadlineRule::at_time_on_nth_working_day(1, 7), "2025-04-17T10:00:00Z") == "2025-04-22T05:00:00Z");
  CHECK(at(DeadlineRule::end_of_nth_working_day(1), "2025-04-17T10:00:00Z") == "2025-04-22T22:00:00Z");
  // 24.12. and 31.12.: ÜT Monday 2024-12-23 -> Friday 2024-12-27; ÜT 2024-12-30 -> 2025-01-02.
  CHECK(at(DeadlineRule::at_time_on_nth_working_day(1, 11), "2024-12-23T10:00:00Z") == "2024-12-27T10:00:00Z");
  CHECK(at(DeadlineRule::at_time_on_nth_working_day(1, 11), "2024-12-30T10:00:00Z") == "2025-01-02T10:00:00Z");
}

TEST_CASE("End of the n-th WT is 00:00 local of the next day (exclusive)", "[deadline][dst]") {
  const auto end1 = DeadlineRule::end_of_nth_working_day(1);
  // ÜT Thursday 2025-03-27 -> 1st WT Friday -> end = Saturday 00:00 CET.
  CHECK(at(end1, "2025-03-27T10:00:00Z") == "2025-03-28T23:00:00Z");
  // ÜT Friday 2025-03-28 -> Monday 2025-03-31 -> end = Tuesday 00:00 CEST.
  CHECK(at(end1, "2025-03-28T10:00:00Z") == "2025-03-31T22:00:00Z");
  // ÜT Friday 2025-10-24 -> Monday 2025-10-27 -> end = Tuesday 00:00 CET.
  CHECK(at(end1, "2025-10-24T10:00:00Z") == "2025-10-27T23:00:00Z");
  CHECK(at(DeadlineRule::end_of_nth_working_day(2), "2025-10-23T10:00:00Z") == "2025-10-27T23:00:00Z");
}

TEST_CASE("Worked example: latest ÜT of an Anmeldung (mako-domain.md)", "[deadline][worked-example]") {
  const Calendar& cal = Calendar::bdew();
  // Start Wednesday 2025-10-22 00:00 -> last WT before is Tuesday -> latest ÜT Monday 2025-10-20.
  CHECK(latest_transfer_day_for_start(make_date(2025, 10, 22), cal) == make_date(2025, 10, 20));
  const auto rule = DeadlineRule::latest_transfer_day_before_start();
  const Instant start = berlin_start_of_day(make_date(2025, 10, 22));
  // The receipt must happen before Tuesday 00:00 local (exclusive end of the Monday).
  CHECK(format_utc(rule.evaluate(start, cal)) == "2025-10-20T22:00:00Z");
  // A receipt late on that Monday gets its answers on Tuesday 07/09/11/12 -- all before the start.
  const Instant last_receipt = utc("2025-10-20T21:59:59Z");
  CHECK(transfer_day(last_receipt) == make_date(2025, 10, 20));
  for (int hour : {7, 9, 11, 12}) {
    const Instant deadline = at_time_on_nth_working_day_after(last_receipt, 1, hour, 0, cal);
    CHECK(berlin_date(deadline) == make_date(2025, 10, 21));
    CHECK(deadline < start);
  }

  // A holiday on Tuesday moves everything one WT earlier: the last WT is Monday, the 1st-WT
  // deadlines fall on Monday, and the latest ÜT is the calendar day before it -- Sunday.
  Calendar holiday_tuesday = Calendar::bdew();
  holiday_tuesday.add_non_working_day(make_date(2025, 10, 21), "test holiday");
  CHECK(latest_transfer_day_for_start(make_date(2025, 10, 22), holiday_tuesday) == make_date(2025, 10, 19));
  CHECK(format_utc(rule.evaluate(start, holiday_tuesday)) == "2025-10-19T22:00:00Z");
  CHECK(berlin_date(at_time_on_nth_working_day_after(utc("2025-10-19T12:00:00Z"), 1, 12, 0, holiday_tuesday)) ==
        make_date(2025, 10, 20));

  // Reading check: "the day before" is a calendar day, not a WT. Start Tuesday 2025-10-21:
  // last WT Monday -> latest ÜT Sunday 2025-10-19 (a WT reading would give Friday 2025-10-17).
  CHECK(latest_transfer_day_for_start(make_date(2025, 10, 21), cal) == make_date(2025, 10, 19));
  // The same with a real non-working Tuesday: start Wednesday 2025-01-01, 31.12. is not a WT.
  CHECK(latest_transfer_day_for_start(make_date(2025, 1, 1), cal) == make_date(2024, 12, 29));
}

TEST_CASE("n hours after an instant is elapsed time", "[deadline][dst]") {
  // Saturday 12:00 CET + 24 h = Sunday 13:00 CEST.
  const Instant t = utc("2025-03-29T11:00:00Z");
  const Instant due = DeadlineRule::hours_after(24).evaluate(t);
  CHECK(format_utc(due) == "2025-03-30T11:00:00Z");
  CHECK(format_berlin(due) == "2025-03-30T13:00:00+02:00");
  CHECK(format_utc(DeadlineRule::hours_after(0, 45).evaluate(t)) == "2025-03-29T11:45:00Z");
  CHECK(format_utc(duration_after(t, 6)) == "2025-03-29T17:00:00Z");
}

TEST_CASE("DeadlineRule JSON round trip", "[deadline][json]") {
  const std::vector<DeadlineRule> rules = {
      DeadlineRule::at_time_on_nth_working_day(1, 7),
      DeadlineRule::at_time_on_nth_working_day(2, 23, 59),
      DeadlineRule::end_of_nth_working_day(1),
      DeadlineRule::latest_transfer_day_before_start(),
      DeadlineRule::hours_after(6, 30),
  };
  for (const auto& rule : rules) {
    const std::string text = rule.to_json_string();
    INFO(text);
    CHECK(DeadlineRule::from_json_string(text) == rule);
    nlohmann::json j = rule;
    CHECK(j.get<DeadlineRule>() == rule);
  }
  CHECK(rules[0].to_json_string() == R"({"hour":7,"minute":0,"n":1,"shape":"at_time_on_nth_working_day"})");
  CHECK(rules[2].to_json_string() == R"({"n":1,"shape":"end_of_nth_working_day"})");
  CHECK(rules[3].to_json_string() == R"({"shape":"latest_transfer_day_before_start"})");
  CHECK(rules[4].to_json_string() == R"({"hours":6,"minutes":30,"shape":"duration_after"})");
  // Optional fields default to 0.
  CHECK(DeadlineRule::from_json_string(R"({"shape":"at_time_on_nth_working_day","n":1,"hour":9})") ==
        DeadlineRule::at_time_on_nth_working_day(1, 9));
}

TEST_CASE("DeadlineRule rejects bad parameters and JSON", "[deadline][json]") {
  CHECK_THROWS_AS(DeadlineRule::at_time_on_nth_working_day(0, 7), std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::at_time_on_nth_working_day(1, 24), std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::at_time_on_nth_working_day(1, 7, 60), std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::end_of_nth_working_day(-1), std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::hours_after(-1), std::invalid_argument);
  CHECK_THROWS_WITH(DeadlineRule::from_json_string(R"({"shape":"fortnight"})"),
                    "deadline rule: unknown shape 'fortnight'");
  CHECK_THROWS_WITH(DeadlineRule::from_json_string(R"({"shape":"end_of_nth_working_day"})"),
                    "deadline rule: missing 'n'");
  CHECK_THROWS_AS(DeadlineRule::from_json_string(R"({"shape":"end_of_nth_working_day","n":"1"})"),
                  std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::from_json_string(R"({"shape":"end_of_nth_working_day","n":0})"), std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::from_json_string("[1,2]"), std::invalid_argument);
  CHECK_THROWS_AS(DeadlineRule::from_json_string("{"), std::invalid_argument);
}

TEST_CASE("DeadlineRule describes itself", "[deadline]") {
  CHECK(DeadlineRule::at_time_on_nth_working_day(1, 7).describe() == "07:00 of the 1st WT after the ÜT");
  CHECK(DeadlineRule::at_time_on_nth_working_day(2, 9, 5).describe() == "09:05 of the 2nd WT after the ÜT");
  CHECK(DeadlineRule::end_of_nth_working_day(3).describe() ==
        "end of the 3rd WT after the ÜT (exclusive, 00:00 of the next day)");
  CHECK(DeadlineRule::hours_after(6).describe() == "6 h after the reference instant");
  CHECK(DeadlineRule::hours_after(0, 45).describe() == "0 h 45 min after the reference instant");
}
