#pragma once
// EDI@Energy format versions and the date each takes effect (00:00 Europe/Berlin), docs/mako-domain.md,
// "Format versions". A message's date selects its FV. Two spellings: the EDI@Energy short name "FV2510" and
// the engine core's FormatVersion string "FV2025-10-01" (FV + valid-from date).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/calendar/berlin_time.hpp"

namespace mako::calendar {

struct FormatVersionInfo {
  std::string name;  // "FV2504"; named after the planned month, so it can differ from valid_from
  Date valid_from;   // first day, 00:00 Berlin

  // "FV2025-06-06": the core's FormatVersion form (FV + YYYY-MM-DD of valid_from).
  std::string core_name() const;
  Instant valid_from_instant() const { return berlin_start_of_day(valid_from); }
  friend bool operator==(const FormatVersionInfo&, const FormatVersionInfo&) = default;
};

// All known versions, oldest first.
const std::vector<FormatVersionInfo>& format_versions();
// The FV in force at `message_date` (UTC, compared in Berlin local time). Throws std::out_of_range
// when the instant lies before the first known version.
FormatVersionInfo format_version_for(Instant message_date);
std::optional<FormatVersionInfo> try_format_version_for(Instant message_date);
// Looks up "FV2510" or "FV2025-10-01"; nullopt when unknown.
std::optional<FormatVersionInfo> format_version_by_name(std::string_view name);
// "FV2510" <-> "FV2025-10-01"; throw std::invalid_argument for unknown names.
std::string to_core_format_version(std::string_view short_name);
std::string to_short_format_version(std::string_view core_name);

}  // namespace mako::calendar
