#include "mako/domain/calendar/bdew_holidays.hpp"

namespace mako::calendar {

namespace {

// Sources: docs/mako-domain.md, "Working days and time"; bdew-datetimes 0.12 calendar.py (BdewDefinedHolidays,
// create_bdew_calendar); holidays 0.109 countries/germany.py (per-state rules, GermanyStaticHolidays).
// Only the union over the 16 Länder matters, but each line keeps its states so the data can be read
// against the Länder laws. Holidays are never moved off weekends in Germany.
std::vector<HolidayRule> make_rules() {
  constexpr unsigned kWednesday = 3;
  std::vector<HolidayRule> r;
  auto add = [&](HolidayRule rule, const char* source) {
    rule.source = source;
    r.push_back(std::move(rule));
  };
  const char* de = "holidays.Germany (nationwide)";
  const char* land = "holidays.Germany (state law)";
  const char* bdew = "bdew-datetimes BdewDefinedHolidays";

  // Nationwide.
  add(HolidayRule::fixed("Neujahr", 1, 1, "DE"), de);
  add(HolidayRule::easter("Karfreitag", -2, "DE"), de);
  add(HolidayRule::easter("Ostermontag", 1, "DE"), de);
  add(HolidayRule::fixed("Erster Mai", 5, 1, "DE"), de);
  add(HolidayRule::easter("Christi Himmelfahrt", 39, "DE"), de);
  add(HolidayRule::easter("Pfingstmontag", 50, "DE"), de);
  add(HolidayRule::fixed("Tag der Deutschen Einheit", 10, 3, "DE"), de);
  add(HolidayRule::fixed("Erster Weihnachtstag", 12, 25, "DE"), de);
  add(HolidayRule::fixed("Zweiter Weihnachtstag", 12, 26, "DE"), de);
  // Buß- und Bettag: nationwide until 1994, Sachsen only from 1995 (Wednesday before 23.11.).
  add(HolidayRule::weekday_on_or_before("Buß- und Bettag", kWednesday, 11, 22, "DE", 0, 1994), de);
  add(HolidayRule::weekday_on_or_before("Buß- und Bettag", kWednesday, 11, 22, "SN", 1995), land);

  // Länder. Sundays (Ostersonntag, Pfingstsonntag in BB) are listed for the names only.
  add(HolidayRule::fixed("Heilige Drei Könige", 1, 6, "BW BY ST"), land);
  add(HolidayRule::fixed("Frauentag", 3, 8, "BE", 2019), land);
  add(HolidayRule::fixed("Frauentag", 3, 8, "MV", 2023), land);
  add(HolidayRule::easter("Ostersonntag", 0, "BB"), land);
  add(HolidayRule::easter("Pfingstsonntag", 49, "BB"), land);
  add(HolidayRule::easter("Fronleichnam", 60, "BW BY HE NW RP SL (SN TH partly)"), land);
  add(HolidayRule::fixed("Mariä Himmelfahrt", 8, 15, "SL (BY partly)"), land);
  add(HolidayRule::fixed("Weltkindertag", 9, 20, "TH", 2019), land);
  add(HolidayRule::fixed("Reformationstag", 10, 31, "BB MV SN ST TH"), land);
  add(HolidayRule::fixed("Reformationstag", 10, 31, "HB HH NI SH", 2018), land);
  add(HolidayRule::fixed("Allerheiligen", 11, 1, "BW BY NW RP SL"), land);

  // One-off public holidays.
  add(HolidayRule::one_off("Reformationstag", make_date(2017, 10, 31), "DE"),
      "holidays GermanyStaticHolidays (500 years Reformation)");
  add(HolidayRule::one_off("75. Jahrestag der Befreiung vom Nationalsozialismus und der Beendigung des "
                           "Zweiten Weltkriegs in Europa",
                           make_date(2020, 5, 8), "BE"),
      "holidays GermanyStaticHolidays (Berlin)");
  add(HolidayRule::one_off("80. Jahrestag der Befreiung vom Nationalsozialismus und der Beendigung des "
                           "Zweiten Weltkriegs in Europa",
                           make_date(2025, 5, 8), "BE"),
      "holidays GermanyStaticHolidays (Berlin)");
  add(HolidayRule::one_off("75. Jahrestag des Aufstandes vom 17. Juni 1953", make_date(2028, 6, 17), "BE"),
      "holidays GermanyStaticHolidays (Berlin)");

  // BDEW's own non-working days.
  add(HolidayRule::fixed("Heiligabend", 12, 24, "BDEW"), bdew);
  add(HolidayRule::fixed("Silvester", 12, 31, "BDEW"), bdew);
  add(HolidayRule::one_off("Sonderfeiertag", make_date(2025, 6, 6), "BDEW"),
      "bdew-datetimes BdewDefinedHolidays (LFW24 cut-over), mako-domain.md");
  return r;
}

}  // namespace

const std::vector<HolidayRule>& bdew_holiday_rules() {
  static const std::vector<HolidayRule> rules = make_rules();
  return rules;
}

}  // namespace mako::calendar
