#include "mako/core/format_version.hpp"

#include <chrono>
#include <cstdio>

#include "mako/core/errors.hpp"

namespace mako {

namespace {
[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw EngineError::invalid_input("invalid format version '" + std::string(text.substr(0, 64)) + "': " + why +
                                   " (expected FV followed by YYYY-MM-DD, e.g. FV2025-10-01)");
}

// The value of the decimal digits in `part`; explains the first offender otherwise.
unsigned digits(std::string_view text, std::string_view part, const char* what) {
  unsigned v = 0;
  bool ok = true;
  for (char c : part) {
    const unsigned digit = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
    ok &= digit <= 9;
    v = v * 10 + digit;
  }
  if (!ok) fail(text, std::string(what) + " '" + std::string(part) + "' is not a number");
  return v;
}
}  // namespace

FormatVersion::FormatVersion(int year, unsigned month, unsigned day) : year_(year), month_(month), day_(day) {
  if (year < 2000 || year > 9999)
    throw EngineError::invalid_input("format version year " + std::to_string(year) + " must be between 2000 and 9999");
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!ymd.ok())
    throw EngineError::invalid_input("format version date " + std::to_string(year) + "-" + std::to_string(month) + "-" +
                                     std::to_string(day) + " is not a calendar date");
}

FormatVersion FormatVersion::parse(std::string_view text) {
  if (text.size() < 2 || text.substr(0, 2) != "FV") fail(text, "missing 'FV' prefix");
  auto date = text.substr(2);
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') fail(text, "the date is not in YYYY-MM-DD form");
  unsigned y = digits(text, date.substr(0, 4), "year");
  unsigned m = digits(text, date.substr(5, 2), "month");
  unsigned d = digits(text, date.substr(8, 2), "day");
  if (y < 2000) fail(text, "year " + std::to_string(y) + " is before 2000");
  if (m < 1 || m > 12) fail(text, "month " + std::to_string(m) + " out of range 1-12");
  std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(y)}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) fail(text, "day " + std::to_string(d) + " does not exist in that month");
  FormatVersion fv;  // checked above: no need for the checking constructor
  fv.year_ = static_cast<int>(y);
  fv.month_ = m;
  fv.day_ = d;
  return fv;
}

std::string FormatVersion::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "FV%04d-%02u-%02u", year_, month_, day_);
  return buf;
}

WorkflowId::WorkflowId(std::string name, FormatVersion format_version)
    : name_(std::move(name)), format_version_(format_version) {
  for (char c : name_)
    if (c == '\0') throw EngineError::invalid_input("workflow name contains a NUL byte");
}

std::string WorkflowId::to_string() const { return name_ + "@" + format_version_.to_string(); }

}  // namespace mako
