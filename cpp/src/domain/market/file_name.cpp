#include "mako/domain/market/file_name.hpp"

#include <cstdio>
#include <vector>

namespace mako::market {

std::string market_file_name(calendar::Instant sent_at, std::uint64_t sequence, const FileNameParts& p) {
    const auto day = std::chrono::floor<std::chrono::days>(sent_at);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{sent_at - day};
    char prefix[40];
    std::snprintf(prefix, sizeof prefix, "%04d%02u%02uT%02d%02d%02d_%06llu", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()), static_cast<unsigned long long>(sequence % 1000000));
    return std::string(prefix) + "_" + p.sender + "_" + p.receiver + "_" + p.kind + "_" + p.interchange_reference + ".edi";
}

std::optional<FileNameParts> parse_market_file_name(const std::string& name) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".edi") != 0) return std::nullopt;
    std::vector<std::string> parts;
    std::size_t begin = 0;
    const std::string stem = name.substr(0, name.size() - 4);
    for (std::size_t i = 0; i <= stem.size(); ++i)
        if (i == stem.size() || stem[i] == '_') {
            parts.push_back(stem.substr(begin, i - begin));
            begin = i + 1;
        }
    if (parts.size() != 6) return std::nullopt;
    return FileNameParts{parts[2], parts[3], parts[4], parts[5]};
}

}  // namespace mako::market
