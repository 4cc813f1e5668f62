#include <catch2/catch.hpp>

#include <stdexcept>

#include "mako/domain/calendar/berlin_time.hpp"

using namespace mako::calendar;
using namespace std::chrono;

namespace {
Instant utc(const char* text) { return parse_utc(text); }
}  // namespace

TEST_CASE("EU summer-time switches at 01:00 UTC on the last Sundays of March and October", "[berlin]") {
  CHECK(format_utc(berlin_summer_time_start(2025)) == "2025-03-30T01:00:00Z");
  CHECK(format_utc(berlin_summer_time_end(2025)) == "2025-10-26T01:00:00Z");
  CHECK(format_utc(berlin_summer_time_start(2024)) == "2024-03-31T01:00:00Z");
  CHECK(format_utc(berlin_summer_time_end(2024)) == "2024-10-27T01:00:00Z");
  CHECK(format_utc(berlin_summer_time_start(2026)) == "2026-03-29T01:00:00Z");
  CHECK(format_utc(berlin_summer_time_end(2026)) == "2026-10-25T01:00:00Z");
  // Before 1996 summer time ended on the last Sunday of September.
  CHECK(format_utc(berlin_summer_time_end(1995)) == "1995-09-24T01:00:00Z");
  CHECK(berlin_summer_time_start(1975) == berlin_summer_time_end(1975));
}

TEST_CASE("UTC offset around the switches", "[berlin]") {
  CHECK(berlin_utc_offset(utc("2025-03-30T00:59:59Z")) == hours{1});
  CHECK(berlin_utc_offset(utc("2025-03-30T01:00:00Z")) == hours{2});
  CHECK(berlin_utc_offset(utc("2025-10-26T00:59:59Z")) == hours{2});
  CHECK(berlin_utc_offset(utc("2025-10-26T01:00:00Z")) == hours{1});
  CHECK(berlin_utc_offset(utc("2025-01-15T12:00:00Z")) == hours{1});
  CHECK(berlin_utc_offset(utc("2025-07-15T12:00:00Z")) == hours{2});
  CHECK(format_berlin(utc("2025-03-30T01:00:00Z")) == "2025-03-30T03:00:00+02:00");
  CHECK(format_berlin(utc("2025-03-30T00:59:59Z")) == "2025-03-30T01:59:59+01:00");
  CHECK(format_berlin(utc("2025-10-26T00:30:00Z")) == "2025-10-26T02:30:00+02:00");
  CHECK(format_berlin(utc("2025-10-26T01:30:00Z")) == "2025-10-26T02:30:00+01:00");
}

TEST_CASE("Berlin local date of an instant", "[berlin]") {
  CHECK(berlin_date(utc("2025-03-29T22:59:59Z")) == make_date(2025, 3, 29));
  CHECK(berlin_date(utc("2025-03-29T23:00:00Z")) == make_date(2025, 3, 30));
  CHECK(berlin_date(utc("2025-06-30T21:59:59Z")) == make_date(2025, 6, 30));
  CHECK(berlin_date(utc("2025-06-30T22:00:00Z")) == make_date(2025, 7, 1));
  CHECK(berlin_date(utc("2024-12-31T23:00:00Z")) == make_date(2025, 1, 1));
}

TEST_CASE("Local time to UTC, including the gap and the overlap", "[berlin]") {
  CHECK(format_utc(berlin_time_on(make_date(2025, 1, 15), 7)) == "2025-01-15T06:00:00Z");
  CHECK(format_utc(berlin_time_on(make_date(2025, 7, 15), 7)) == "2025-07-15T05:00:00Z");
  CHECK(format_utc(berlin_start_of_day(make_date(2025, 3, 30))) == "2025-03-29T23:00:00Z");
  CHECK(format_utc(berlin_start_of_day(make_date(2025, 3, 31))) == "2025-03-30T22:00:00Z");
  CHECK(format_utc(berlin_start_of_day(make_date(2025, 10, 26))) == "2025-10-25T22:00:00Z");
  CHECK(format_utc(berlin_start_of_day(make_date(2025, 10, 27))) == "2025-10-26T23:00:00Z");
  // Spring gap: 02:30 does not exist, it becomes 03:30 CEST.
  CHECK(format_utc(berlin_time_on(make_date(2025, 3, 30), 2, 30)) == "2025-03-30T01:30:00Z");
  CHECK(format_utc(berlin_time_on(make_date(2025, 3, 30), 3, 0)) == "2025-03-30T01:00:00Z");
  // Autumn overlap: 02:30 happens twice, the earlier (CEST) is chosen.
  CHECK(format_utc(berlin_time_on(make_date(2025, 10, 26), 2, 30)) == "2025-10-26T00:30:00Z");
  CHECK(format_utc(berlin_time_on(make_date(2025, 10, 26), 3, 0)) == "2025-10-26T02:00:00Z");
  CHECK(format_utc(berlin_time_on(make_date(2025, 10, 26), 24)) == "2025-10-26T23:00:00Z");
  CHECK_THROWS_AS(berlin_time_on(make_date(2025, 1, 1), 25), std::invalid_argument);
  CHECK_THROWS_AS(berlin_time_on(make_date(2025, 1, 1), 24, 1), std::invalid_argument);
}

TEST_CASE("Round trip UTC -> local -> UTC for every hour of 2025", "[berlin]") {
  for (Instant t = utc("2025-01-01T00:00:00Z"); t < utc("2026-01-01T00:00:00Z"); t += hours{1}) {
    const Instant back = from_berlin_local(to_berlin_local(t));
    // Only the second pass through the autumn overlap maps back to its earlier twin.
    if (t == utc("2025-10-26T01:00:00Z")) {
      CHECK(back == t - hours{1});
    } else {
      REQUIRE(back == t);
    }
  }
}

TEST_CASE("ISO UTC text", "[berlin]") {
  CHECK(format_utc(utc("2025-06-06T12:34:56Z")) == "2025-06-06T12:34:56Z");
  CHECK(utc("2025-06-06T12:34:56+00:00") == utc("2025-06-06T12:34:56Z"));
  CHECK_THROWS_AS(parse_utc("2025-06-06T12:34:56"), std::invalid_argument);
  CHECK_THROWS_AS(parse_utc("2025-06-06T24:00:00Z"), std::invalid_argument);
  CHECK_THROWS_AS(parse_utc("2025-06-06T12:34:56+02:00"), std::invalid_argument);
  CHECK_THROWS_AS(parse_utc("2025-02-30T12:34:56Z"), std::invalid_argument);
}
