#pragma once
// The MIG release of each message type in each EDI@Energy format version: the last component of
// UNH (S009 0057). The message date selects the FV (calendar/format_versions.hpp), the FV selects
// the release. Writers put the release in force into UNH; readers refuse a release that is not the
// one in force (docs/mako-domain.md, "Format versions"). Adding the next FV is adding a row here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/calendar/berlin_time.hpp"

namespace mako::edifact {

struct ReleaseRow {
  std::string_view message_type;  ///< "UTILMD", "APERAK", "CONTRL"
  std::string_view release;       ///< "S2.1", "2.1i", ...
  std::string_view first_fv;      ///< first format version (short name, "FV2504") it is in force
  std::string_view last_fv;       ///< last one; empty while no successor is published
};

/// Every row, oldest first per message type.
[[nodiscard]] const std::vector<ReleaseRow>& release_table();

/// The release of `message_type` in force in format version `fv` ("FV2510" or "FV2025-10-01");
/// nullopt when the type or FV is not supported.
[[nodiscard]] std::optional<std::string> release_for(std::string_view message_type, std::string_view fv);
/// The same for the FV in force at `message_date`.
[[nodiscard]] std::optional<std::string> release_for(std::string_view message_type, calendar::Instant message_date);
/// The release in force at `message_date`; throws std::out_of_range naming the type and date when
/// none is (a message dated before the first supported FV).
[[nodiscard]] std::string require_release(std::string_view message_type, calendar::Instant message_date);
/// All releases of `message_type` this library reads and writes.
[[nodiscard]] std::vector<std::string> supported_releases(std::string_view message_type);

}  // namespace mako::edifact
