#include "mako/domain/calendar/format_versions.hpp"

#include <stdexcept>

namespace mako::calendar {

std::string FormatVersionInfo::core_name() const { return "FV" + to_iso_string(valid_from); }

const std::vector<FormatVersionInfo>& format_versions() {
  // docs/mako-domain.md, "Format versions": FV2504 took effect 2025-06-06 (planned for 2025-04-04, hence the name).
  static const std::vector<FormatVersionInfo> versions = {
      {"FV2310", make_date(2023, 10, 1)}, {"FV2404", make_date(2024, 4, 3)},  {"FV2410", make_date(2024, 10, 1)},
      {"FV2504", make_date(2025, 6, 6)},  {"FV2510", make_date(2025, 10, 1)}, {"FV2604", make_date(2026, 4, 1)},
      {"FV2610", make_date(2026, 10, 1)},
  };
  return versions;
}

std::optional<FormatVersionInfo> try_format_version_for(Instant message_date) {
  // Comparing Berlin-local dates is the same as comparing with 00:00 Berlin of valid_from.
  const Date local = berlin_date(message_date);
  std::optional<FormatVersionInfo> found;
  for (const auto& fv : format_versions()) {
    if (fv.valid_from <= local) found = fv;
  }
  return found;
}

FormatVersionInfo format_version_for(Instant message_date) {
  if (auto fv = try_format_version_for(message_date)) return *fv;
  const auto& first = format_versions().front();
  throw std::out_of_range("no format version is valid at " + format_utc(message_date) + " (Berlin " +
                          format_berlin(message_date) + "): the first known, " + first.name + ", is valid from " +
                          to_iso_string(first.valid_from) + " 00:00 Berlin");
}

std::optional<FormatVersionInfo> format_version_by_name(std::string_view name) {
  for (const auto& fv : format_versions()) {
    if (fv.name == name || fv.core_name() == name) return fv;
  }
  return std::nullopt;
}

std::string to_core_format_version(std::string_view short_name) {
  auto fv = format_version_by_name(short_name);
  if (!fv || fv->name != short_name) {
    throw std::invalid_argument("unknown format version '" + std::string(short_name) + "' (expected e.g. FV2510)");
  }
  return fv->core_name();
}

std::string to_short_format_version(std::string_view core_name) {
  auto fv = format_version_by_name(core_name);
  if (!fv || fv->core_name() != core_name) {
    throw std::invalid_argument("unknown format version '" + std::string(core_name) + "' (expected e.g. FV2025-10-01)");
  }
  return fv->name;
}

}  // namespace mako::calendar
