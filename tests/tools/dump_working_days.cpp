// Prints the BDEW calendar one line per date: "YYYY-MM-DD 0|1" (1 = working day), for comparison
// with bdew-datetimes (tests/python/test_calendar_vs_bdew_datetimes.py).
//   mako_dump_working_days [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--names]
// Defaults: 2000-01-01 .. 2100-12-31. --names appends "\t<holiday name>" to named non-working days.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "mako/domain/calendar/calendar.hpp"

int main(int argc, char** argv) {
  using namespace mako::calendar;
  try {
    Date from = make_date(2000, 1, 1);
    Date to = make_date(2100, 12, 31);
    bool names = false;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--names") {
        names = true;
      } else if ((arg == "--from" || arg == "--to") && i + 1 < argc) {
        (arg == "--from" ? from : to) = parse_iso_date(argv[++i]);
      } else {
        std::fprintf(stderr, "usage: %s [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--names]\n", argv[0]);
        return 2;
      }
    }
    const Calendar& cal = Calendar::bdew();
    std::string out;
    for (auto day = std::chrono::sys_days{from}; day <= std::chrono::sys_days{to}; day += std::chrono::days{1}) {
      const Date date{day};
      out += to_iso_string(date);
      out += cal.is_working_day(day) ? " 1" : " 0";
      if (names) {
        if (auto name = cal.holiday_name(date)) out += "\t" + *name;
      }
      out += '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mako_dump_working_days: %s\n", e.what());
    return 1;
  }
}
