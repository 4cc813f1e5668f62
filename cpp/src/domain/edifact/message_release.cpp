#include "mako/domain/edifact/message_release.hpp"

#include <algorithm>
#include <stdexcept>

#include "mako/domain/calendar/format_versions.hpp"

namespace mako::edifact {

const std::vector<ReleaseRow>& release_table() {
  // EDI@Energy MIG releases (docs/mako-domain.md, "Format versions"; checked against makotest's
  // release_for, see docs/conformance.md). FV2504 is the LFW24 go-live (2025-06-06): the first FV
  // whose GPKE processes this library implements.
  static const std::vector<ReleaseRow> rows = {
      {"UTILMD", "S2.1", "FV2504", "FV2604"}, {"UTILMD", "S2.2", "FV2610", ""}, {"APERAK", "2.1i", "FV2504", "FV2604"},
      {"APERAK", "2.2", "FV2610", ""},        {"CONTRL", "2.0b", "FV2504", ""},
  };
  return rows;
}

namespace {

// Position of an FV in the ordered table of format versions (-1 when unknown).
int fv_index(std::string_view fv) {
  const auto& all = calendar::format_versions();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].name == fv) return static_cast<int>(i);
  if (fv.size() == 12)  // the core form "FV2025-10-01"
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].core_name() == fv) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::optional<std::string> release_for(std::string_view message_type, std::string_view fv) {
  const int at = fv_index(fv);
  if (at < 0) return std::nullopt;
  for (const auto& row : release_table()) {
    if (row.message_type != message_type) continue;
    const int first = fv_index(row.first_fv);
    const int last = row.last_fv.empty() ? 1 << 30 : fv_index(row.last_fv);
    if (first <= at && at <= last) return std::string(row.release);
  }
  return std::nullopt;
}

std::optional<std::string> release_for(std::string_view message_type, calendar::Instant message_date) {
  const auto fv = calendar::try_format_version_for(message_date);
  if (!fv) return std::nullopt;
  return release_for(message_type, fv->name);
}

std::string require_release(std::string_view message_type, calendar::Instant message_date) {
  if (auto r = release_for(message_type, message_date)) return *r;
  throw std::out_of_range("no " + std::string(message_type) + " release is supported for a message dated " +
                          calendar::format_utc(message_date) + " (supported from FV2504, 2025-06-06)");
}

std::vector<std::string> supported_releases(std::string_view message_type) {
  std::vector<std::string> out;
  for (const auto& row : release_table())
    if (row.message_type == message_type) out.emplace_back(row.release);
  return out;
}

}  // namespace mako::edifact
