#include <catch2/catch.hpp>

#include <stdexcept>

#include "mako/domain/calendar/bdew_holidays.hpp"
#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/calendar/easter.hpp"

using namespace mako::calendar;

namespace {
Date d(int y, unsigned m, unsigned day) { return make_date(y, m, day); }
const Calendar& bdew() { return Calendar::bdew(); }
}  // namespace

TEST_CASE("Easter Sunday", "[calendar]") {
  CHECK(easter_sunday(1990) == d(1990, 4, 15));
  CHECK(easter_sunday(2000) == d(2000, 4, 23));
  CHECK(easter_sunday(2024) == d(2024, 3, 31));
  CHECK(easter_sunday(2025) == d(2025, 4, 20));
  CHECK(easter_sunday(2038) == d(2038, 4, 25));  // latest possible date
  CHECK(easter_sunday(2285) == d(2285, 3, 22));  // earliest possible date
}

TEST_CASE("BDEW non-working weekdays of 2025", "[calendar]") {
  const auto h = bdew().holidays_between(d(2025, 1, 1), d(2025, 12, 31));
  std::vector<std::string> weekday_dates;
  for (const auto& day : h) {
    if (!Calendar::is_weekend(std::chrono::sys_days{day.date})) weekday_dates.push_back(to_iso_string(day.date));
  }
  // Frauentag (08.03.), Weltkindertag (20.09.), Allerheiligen (01.11.) fall on Saturdays in 2025.
  CHECK(weekday_dates == std::vector<std::string>{"2025-01-01", "2025-01-06", "2025-04-18", "2025-04-21", "2025-05-01",
                                                  "2025-05-08", "2025-05-29", "2025-06-06", "2025-06-09", "2025-06-19",
                                                  "2025-08-15", "2025-10-03", "2025-10-31", "2025-11-19", "2025-12-24",
                                                  "2025-12-25", "2025-12-26", "2025-12-31"});
  CHECK(bdew().holiday_name(d(2025, 6, 6)) == std::optional<std::string>("Sonderfeiertag"));
  CHECK(bdew().holiday_name(d(2025, 11, 19)) == std::optional<std::string>("Buß- und Bettag"));
  CHECK_FALSE(bdew().is_working_day(d(2025, 6, 6)));
  CHECK(bdew().is_working_day(d(2025, 6, 5)));
}

TEST_CASE("Year-dependent Länder holidays", "[calendar]") {
  // Frauentag: Berlin from 2019.
  CHECK(bdew().is_working_day(d(2018, 3, 8)));
  CHECK_FALSE(bdew().is_working_day(d(2019, 3, 8)));
  CHECK(bdew().holiday_name(d(2019, 3, 8)) == std::optional<std::string>("Frauentag"));
  // Weltkindertag: Thüringen from 2019.
  CHECK(bdew().is_working_day(d(2018, 9, 20)));
  CHECK_FALSE(bdew().is_working_day(d(2019, 9, 20)));
  // Reformationstag: the eastern states always, so in the union every year (2016 was a Monday).
  CHECK_FALSE(bdew().is_working_day(d(2016, 10, 31)));
  CHECK_FALSE(bdew().is_working_day(d(2017, 10, 31)));
  // Buß- und Bettag: Wednesday on or before 22.11.
  CHECK_FALSE(bdew().is_working_day(d(2023, 11, 22)));
  CHECK(bdew().is_working_day(d(2023, 11, 15)));
  CHECK_FALSE(bdew().is_working_day(d(2024, 11, 20)));
  CHECK(bdew().is_working_day(d(2024, 11, 27)));
  // Easter-dependent days of 2024.
  for (auto day : {d(2024, 3, 29), d(2024, 4, 1), d(2024, 5, 9), d(2024, 5, 20), d(2024, 5, 30)}) {
    INFO(to_iso_string(day));
    CHECK_FALSE(bdew().is_working_day(day));
  }
  // Berlin one-off 2025-05-08 (bdew-datetimes via holidays' GermanyStaticHolidays).
  CHECK_FALSE(bdew().is_working_day(d(2025, 5, 8)));
  CHECK(bdew().is_working_day(d(2024, 5, 8)));
}

TEST_CASE("24.12. and 31.12. are never working days, neighbours are", "[calendar]") {
  CHECK_FALSE(bdew().is_working_day(d(2024, 12, 24)));  // Tuesday
  CHECK_FALSE(bdew().is_working_day(d(2024, 12, 31)));  // Tuesday
  CHECK(bdew().holiday_name(d(2024, 12, 24)) == std::optional<std::string>("Heiligabend"));
  CHECK(bdew().holiday_name(d(2024, 12, 31)) == std::optional<std::string>("Silvester"));
  CHECK(bdew().is_working_day(d(2024, 12, 23)));
  CHECK(bdew().is_working_day(d(2024, 12, 27)));
  CHECK(bdew().is_working_day(d(2024, 12, 30)));
  CHECK(bdew().next_working_day(d(2024, 12, 23)) == d(2024, 12, 27));
  CHECK(bdew().next_working_day(d(2024, 12, 30)) == d(2025, 1, 2));
}

TEST_CASE("Weekends are non-working and have no name, coinciding holidays join names", "[calendar]") {
  CHECK_FALSE(bdew().is_working_day(d(2025, 3, 15)));  // Saturday
  CHECK_FALSE(bdew().is_working_day(d(2025, 3, 16)));  // Sunday
  CHECK(bdew().holiday_name(d(2025, 3, 15)) == std::nullopt);
  CHECK(bdew().holiday_name(d(2025, 3, 17)) == std::nullopt);
  // 2008: Christi Himmelfahrt fell on 1 May.
  CHECK(bdew().holiday_name(d(2008, 5, 1)) == std::optional<std::string>("Erster Mai; Christi Himmelfahrt"));
  // 2017-10-31 is produced by three rules but named once.
  CHECK(bdew().holiday_name(d(2017, 10, 31)) == std::optional<std::string>("Reformationstag"));
}

TEST_CASE("Working-day arithmetic", "[calendar]") {
  // Thursday before Easter 2025 -> Tuesday after Ostermontag.
  CHECK(bdew().next_working_day(d(2025, 4, 17)) == d(2025, 4, 22));
  CHECK(bdew().previous_working_day(d(2025, 4, 22)) == d(2025, 4, 17));
  CHECK(bdew().add_working_days(d(2025, 4, 17), 1) == d(2025, 4, 22));
  CHECK(bdew().add_working_days(d(2025, 4, 17), 2) == d(2025, 4, 23));
  CHECK(bdew().add_working_days(d(2025, 4, 22), -2) == d(2025, 4, 16));
  CHECK(bdew().add_working_days(d(2025, 4, 19), 0) == d(2025, 4, 19));
  // Starting on a non-working day: the 1st WT after a Saturday is Monday.
  CHECK(bdew().add_working_days(d(2025, 3, 15), 1) == d(2025, 3, 17));
  CHECK(bdew().add_working_days(d(2025, 3, 15), -1) == d(2025, 3, 14));
  CHECK(bdew().add_working_days(d(2025, 3, 3), 10) == d(2025, 3, 17));

  CHECK(bdew().working_days_between(d(2025, 4, 17), d(2025, 4, 22)) == 1);
  CHECK(bdew().working_days_between(d(2025, 4, 22), d(2025, 4, 17)) == -1);
  CHECK(bdew().working_days_between(d(2025, 4, 22), d(2025, 4, 22)) == 0);
  CHECK(bdew().working_days_between(d(2025, 1, 1), d(2025, 12, 31)) == 243);
}

TEST_CASE("working_days_between inverts add_working_days", "[calendar]") {
  const std::chrono::sys_days base{d(2024, 1, 1)};
  for (int i = 0; i < 400; i += 7) {
    for (int n : {-15, -3, -1, 1, 2, 10, 40}) {
      const Date from{base + std::chrono::days{i}};
      const Date to = bdew().add_working_days(from, n);
      INFO(to_iso_string(from) << " n=" << n);
      REQUIRE(bdew().is_working_day(to));
      REQUIRE(bdew().working_days_between(from, to) == n);
    }
  }
}

TEST_CASE("Calendar data is extendable per copy, the shared BDEW calendar is unchanged", "[calendar]") {
  Calendar cal = Calendar::bdew();
  const Date extra = d(2030, 5, 2);  // a Thursday
  REQUIRE(cal.is_working_day(extra));
  cal.add_non_working_day(extra, "Betriebsruhe");
  CHECK_FALSE(cal.is_working_day(extra));
  CHECK(cal.holiday_name(extra) == std::optional<std::string>("Betriebsruhe"));
  CHECK(Calendar::bdew().is_working_day(extra));
  CHECK(cal.next_working_day(d(2030, 5, 1)) == d(2030, 5, 3));

  CHECK(cal.remove_non_working_day(extra));
  CHECK(cal.is_working_day(extra));
  CHECK(cal.holiday_name(extra) == std::nullopt);

  // Removing a rule-based holiday makes it a working day (an override).
  const Date unity = d(2030, 10, 3);  // Thursday
  REQUIRE_FALSE(cal.is_working_day(unity));
  CHECK(cal.remove_non_working_day(unity));
  CHECK(cal.is_working_day(unity));
  CHECK_FALSE(cal.remove_non_working_day(unity));
  cal.add_non_working_day(unity, "Tag der Deutschen Einheit");
  CHECK_FALSE(cal.is_working_day(unity));

  // Weekends stay non-working.
  cal.remove_non_working_day(d(2030, 5, 4));
  CHECK_FALSE(cal.is_working_day(d(2030, 5, 4)));

  // Adding a rule rebuilds the cache.
  cal.add_rule(HolidayRule::fixed("Stadtfest", 7, 14, "test"));
  CHECK_FALSE(cal.is_working_day(d(2031, 7, 14)));  // Monday
  CHECK(Calendar::bdew().is_working_day(d(2031, 7, 14)));
}

TEST_CASE("Calendar built from data: empty and with extra days", "[calendar]") {
  Calendar empty;
  CHECK(empty.is_working_day(d(2025, 12, 25)));
  CHECK_FALSE(empty.is_working_day(d(2025, 12, 27)));
  Calendar custom({HolidayRule::fixed("Neujahr", 1, 1, "DE")}, {NamedDay{d(2026, 2, 16), "Rosenmontag"}});
  CHECK_FALSE(custom.is_working_day(d(2026, 1, 1)));
  CHECK_FALSE(custom.is_working_day(d(2026, 2, 16)));
  CHECK(custom.is_working_day(d(2026, 12, 24)));
  CHECK(custom.rules().size() == 1);
}

TEST_CASE("Outside the cached years the rules are evaluated directly", "[calendar]") {
  // Same answers as the cached path for the rules; 2201-12-25 is a Friday, 1989-05-01 a Monday.
  CHECK_FALSE(bdew().is_working_day(d(2201, 12, 25)));
  CHECK(bdew().holiday_name(d(2201, 12, 25)) == std::optional<std::string>("Erster Weihnachtstag"));
  CHECK(bdew().is_working_day(d(2201, 12, 28)));
  CHECK_FALSE(bdew().is_working_day(d(1989, 5, 1)));
  CHECK(bdew().is_working_day(d(1989, 5, 2)));
  // Boundaries of the cache agree with rule evaluation.
  CHECK_FALSE(bdew().is_working_day(d(1990, 1, 1)));
  CHECK_FALSE(bdew().is_working_day(d(2200, 12, 31)));
  CHECK(bdew().add_working_days(d(2200, 12, 30), 1) == d(2201, 1, 2));
  Calendar cal = Calendar::bdew();
  cal.add_non_working_day(d(2300, 3, 1), "far future");  // a Thursday
  CHECK_FALSE(cal.is_working_day(d(2300, 3, 1)));
}

TEST_CASE("Invalid dates and rules are rejected", "[calendar]") {
  CHECK_THROWS_AS(bdew().is_working_day(d(2023, 2, 29)), std::invalid_argument);
  CHECK_THROWS_AS(bdew().add_working_days(d(2023, 13, 1), 1), std::invalid_argument);
  CHECK_THROWS_AS(HolidayRule::fixed("x", 2, 30, "x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_iso_date("2025-6-6"), std::invalid_argument);
  CHECK_THROWS_AS(parse_iso_date("2025-02-29"), std::invalid_argument);
  CHECK(parse_iso_date("2024-02-29") == d(2024, 2, 29));
  // A 29.02. rule simply does not apply in common years.
  Calendar leap({HolidayRule::fixed("Schalttag", 2, 29, "test")});
  CHECK_FALSE(leap.is_working_day(d(2028, 2, 29)));
  CHECK(leap.is_working_day(d(2027, 3, 1)));
}

TEST_CASE("BDEW rules carry regions and sources", "[calendar]") {
  for (const auto& rule : bdew_holiday_rules()) {
    INFO(rule.name);
    CHECK_FALSE(rule.regions.empty());
    CHECK_FALSE(rule.source.empty());
  }
}
