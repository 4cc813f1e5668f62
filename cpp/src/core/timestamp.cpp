#include "mako/core/timestamp.hpp"

#include <cstdio>

#include "mako/core/errors.hpp"

namespace mako {

using namespace std::chrono;

Timestamp system_now() { return time_point_cast<nanoseconds>(system_clock::now()); }

std::string format_rfc3339(Timestamp t) {
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<nanoseconds> tod{t - day};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                        static_cast<int>(tod.seconds().count()));
  long long ns = tod.subseconds().count();
  if (ns != 0) {
    if (ns % 1000000 == 0) n += std::snprintf(buf + n, sizeof buf - n, ".%03lld", ns / 1000000);
    else if (ns % 1000 == 0) n += std::snprintf(buf + n, sizeof buf - n, ".%06lld", ns / 1000);
    else n += std::snprintf(buf + n, sizeof buf - n, ".%09lld", ns);
  }
  buf[n++] = 'Z';
  return std::string(buf, n);
}

Timestamp parse_rfc3339(std::string_view s) {
  auto fail = [&](const std::string& why) -> Timestamp {
    throw EngineError::invalid_input("invalid RFC 3339 timestamp '" + std::string(s.substr(0, 64)) + "': " + why);
  };
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int Y, M, D, h, m, sec;
  if (!num(0, 4, Y) || s.size() < 19 || s[4] != '-' || !num(5, 2, M) || s[7] != '-' || !num(8, 2, D) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !num(11, 2, h) || s[13] != ':' || !num(14, 2, m) ||
      s[16] != ':' || !num(17, 2, sec))
    return fail("expected YYYY-MM-DDTHH:MM:SS");
  year_month_day ymd{year{Y}, month{static_cast<unsigned>(M)}, day{static_cast<unsigned>(D)}};
  if (!ymd.ok()) return fail("not a calendar date");
  if (h > 23 || m > 59 || sec > 60) return fail("time of day out of range");
  std::size_t pos = 19;
  long long frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int count = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (count < 9) {
        frac = frac * 10 + (s[pos] - '0');
        ++count;
      }
      ++pos;
    }
    if (count == 0) return fail("empty fraction");
    while (count++ < 9) frac *= 10;
  }
  long long offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!num(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !num(pos + 4, 2, om))
      return fail("malformed UTC offset");
    offset_s = (oh * 3600LL + om * 60LL) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return fail("missing 'Z' or UTC offset");
  }
  if (pos != s.size()) return fail("trailing characters");
  return Timestamp{sys_days{ymd}} + hours{h} + minutes{m} + seconds{sec} + nanoseconds{frac} - seconds{offset_s};
}

}  // namespace mako
