#include <catch2/catch.hpp>

#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/calendar/date.hpp"
#include "mako/domain/edifact/message_release.hpp"

using namespace mako;
using calendar::make_date;

TEST_CASE("the message date selects the MIG release through the FV table", "[edifact][release]") {
  auto at = [](int y, unsigned m, unsigned d) { return calendar::berlin_time_on(make_date(y, m, d), 12); };
  CHECK(edifact::release_for("UTILMD", at(2025, 6, 6)) == "S2.1");
  CHECK(edifact::release_for("UTILMD", at(2026, 9, 30)) == "S2.1");
  CHECK(edifact::release_for("UTILMD", at(2026, 10, 1)) == "S2.2");
  CHECK(edifact::release_for("APERAK", at(2026, 4, 2)) == "2.1i");
  CHECK(edifact::release_for("APERAK", at(2026, 10, 2)) == "2.2");
  CHECK(edifact::release_for("CONTRL", at(2026, 12, 3)) == "2.0b");
  CHECK(edifact::release_for("UTILMD", "FV2025-10-01") == "S2.1");
  CHECK(edifact::release_for("UTILMD", "FV2610") == "S2.2");
  // Before LFW24 (FV2504, 2025-06-06) no release is supported: refused, not guessed.
  CHECK_FALSE(edifact::release_for("UTILMD", at(2025, 6, 2)));
  CHECK_THROWS_WITH(edifact::require_release("UTILMD", at(2025, 6, 2)), Catch::Contains("no UTILMD release"));
  CHECK_FALSE(edifact::release_for("MSCONS", at(2026, 1, 5)));
  CHECK(edifact::supported_releases("UTILMD") == std::vector<std::string>{"S2.1", "S2.2"});
}
