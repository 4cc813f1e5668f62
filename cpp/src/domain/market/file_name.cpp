#include "mako/domain/market/file_name.hpp"

#include <string_view>

#include "../fixed_digits.hpp"

#include <cstdio>
#include <vector>

namespace mako::market {

std::string market_file_name(calendar::Instant sent_at, std::uint64_t sequence, const FileNameParts& p) {
  const auto day = std::chrono::floor<std::chrono::days>(sent_at);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{sent_at - day};
  using domain_detail::append_digits;
  std::string name;
  name.reserve(64 + p.sender.size() + p.receiver.size() + p.kind.size() + p.interchange_reference.size());
  append_digits(name, int(ymd.year()), 4);
  append_digits(name, unsigned(ymd.month()), 2);
  append_digits(name, unsigned(ymd.day()), 2);
  name += 'T';
  append_digits(name, hms.hours().count(), 2);
  append_digits(name, hms.minutes().count(), 2);
  append_digits(name, hms.seconds().count(), 2);
  name += '_';
  append_digits(name, static_cast<long long>(sequence % 1000000), 6);
  name.append("_").append(p.sender).append("_").append(p.receiver).append("_").append(p.kind).append("_");
  name.append(p.interchange_reference).append(".edi");
  return name;
}

std::optional<FileNameParts> parse_market_file_name(const std::string& name) {
  if (name.size() < 4 || name.compare(name.size() - 4, 4, ".edi") != 0) return std::nullopt;
  // Six '_'-separated fields; views first, strings only for the four that are kept.
  const std::string_view stem = std::string_view(name).substr(0, name.size() - 4);
  std::string_view parts[6];
  std::size_t count = 0, begin = 0;
  for (std::size_t i = 0; i <= stem.size(); ++i)
    if (i == stem.size() || stem[i] == '_') {
      if (count == 6) return std::nullopt;
      parts[count++] = stem.substr(begin, i - begin);
      begin = i + 1;
    }
  if (count != 6) return std::nullopt;
  return FileNameParts{std::string(parts[2]), std::string(parts[3]), std::string(parts[4]), std::string(parts[5])};
}

}  // namespace mako::market
