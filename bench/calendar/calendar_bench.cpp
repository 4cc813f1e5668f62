// Micro-benchmark of the BDEW calendar: ns per is_working_day (cached bit lookup, 1990-2200) and per
// add_working_days(date, 10). Usage: bench_calendar [output-file]; prints "name value unit" lines and
// writes the same lines to output-file when given.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "mako/domain/calendar/calendar.hpp"
#include "mako/domain/calendar/deadline_rule.hpp"

namespace {

using namespace mako::calendar;
using Clock = std::chrono::steady_clock;

template <class F>
double ns_per_op(std::size_t ops, F&& f) {
  const auto t0 = Clock::now();
  f();
  const auto t1 = Clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(ops);
}

}  // namespace

int main(int argc, char** argv) {
  const Calendar& cal = Calendar::bdew();
  // Dates spread over 2000-2100 (a fixed pseudo-random walk so the branch predictor cannot learn them).
  std::vector<Date> dates;
  std::vector<std::chrono::sys_days> days;
  std::uint64_t x = 88172645463325252ULL;
  const std::chrono::sys_days base{make_date(2000, 1, 1)};
  for (int i = 0; i < 4096; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    days.push_back(base + std::chrono::days{static_cast<int>(x % 36890)});
    dates.push_back(Date{days.back()});
  }

  volatile std::uint64_t sink = 0;
  const std::size_t rounds = 500;
  std::vector<std::string> lines;
  auto report = [&](const char* name, double value, const char* unit) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s %.2f %s", name, value, unit);
    lines.emplace_back(buf);
    std::puts(buf);
  };

  report("is_working_day(year_month_day)",
         ns_per_op(rounds * dates.size(),
                   [&] {
                     std::uint64_t n = 0;
                     for (std::size_t r = 0; r < rounds; ++r)
                       for (const auto& d : dates) n += cal.is_working_day(d);
                     sink = sink + n;
                   }),
         "ns/op");
  report("is_working_day(sys_days)",
         ns_per_op(rounds * days.size(),
                   [&] {
                     std::uint64_t n = 0;
                     for (std::size_t r = 0; r < rounds; ++r)
                       for (const auto d : days) n += cal.is_working_day(d);
                     sink = sink + n;
                   }),
         "ns/op");
  const std::size_t add_rounds = 50;
  report("add_working_days(date,10)",
         ns_per_op(add_rounds * dates.size(),
                   [&] {
                     std::uint64_t n = 0;
                     for (std::size_t r = 0; r < add_rounds; ++r)
                       for (const auto& d : dates) n += static_cast<unsigned>(cal.add_working_days(d, 10).day());
                     sink = sink + n;
                   }),
         "ns/op");
  const auto rule = DeadlineRule::at_time_on_nth_working_day(1, 7);
  report("DeadlineRule::evaluate(07:00 of 1st WT)",
         ns_per_op(add_rounds * days.size(),
                   [&] {
                     std::uint64_t n = 0;
                     for (std::size_t r = 0; r < add_rounds; ++r)
                       for (const auto d : days)
                         n += static_cast<std::uint64_t>(
                             rule.evaluate(Instant{d.time_since_epoch()} + std::chrono::hours{10}, cal)
                                 .time_since_epoch()
                                 .count());
                     sink = sink + n;
                   }),
         "ns/op");
  report("Calendar::bdew() copy + add_non_working_day",
         ns_per_op(200,
                   [&] {
                     for (int i = 0; i < 200; ++i) {
                       Calendar c = Calendar::bdew();
                       c.add_non_working_day(make_date(2030, 5, 2), "x");
                       sink = sink + c.is_working_day(make_date(2030, 5, 2));
                     }
                   }),
         "ns/op");
  report("Calendar(bdew rules) construction",
         ns_per_op(50,
                   [&] {
                     for (int i = 0; i < 50; ++i) {
                       Calendar c(cal.rules());
                       sink = sink + c.is_working_day(make_date(2030, 5, 2));
                     }
                   }),
         "ns/op");

  if (argc > 1) {
    if (FILE* f = std::fopen(argv[1], "a")) {  // bench/run.sh collects every section in one file
      std::fprintf(f, "## BDEW calendar and deadlines (`bench_calendar`)\n\n");
      for (const auto& l : lines) std::fprintf(f, "- %s\n", l.c_str());
      std::fprintf(f, "\n");
      std::fclose(f);
    } else {
      std::fprintf(stderr, "cannot write %s\n", argv[1]);
      return 1;
    }
  }
  return 0;
}
