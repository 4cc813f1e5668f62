#pragma once
// Zero-padded decimal fields for dates, times and file names. snprintf did this before and was
// the single largest cost of rendering timestamps in the market simulation (~9% of its
// instructions): every outbound file formats several.
#include <string>

namespace mako::domain_detail {

// Appends `value` as exactly `width` digits (the lowest ones), left-padded with zeros.
inline void append_digits(std::string& out, long long value, int width) {
  unsigned long long v = value < 0 ? 0ULL : static_cast<unsigned long long>(value);
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

}  // namespace mako::domain_detail
