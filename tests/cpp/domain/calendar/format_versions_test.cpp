#include <catch2/catch.hpp>

#include <stdexcept>

#include "mako/domain/calendar/format_versions.hpp"

using namespace mako::calendar;

namespace {
std::string fv_at(const char* utc_text) { return format_version_for(parse_utc(utc_text)).name; }
}  // namespace

TEST_CASE("Format version table", "[fv]") {
  const auto& fvs = format_versions();
  REQUIRE(fvs.size() == 7);
  CHECK(fvs.front().name == "FV2310");
  CHECK(fvs.back().name == "FV2610");
  for (std::size_t i = 1; i < fvs.size(); ++i) CHECK(fvs[i - 1].valid_from < fvs[i].valid_from);
  CHECK(format_version_by_name("FV2504")->valid_from == make_date(2025, 6, 6));
  CHECK(format_version_by_name("FV2504")->core_name() == "FV2025-06-06");
}

TEST_CASE("The message date selects the FV at 00:00 Berlin", "[fv]") {
  // FV2510 from 2025-10-01 00:00 CEST = 2025-09-30T22:00Z.
  CHECK(fv_at("2025-09-30T21:59:59Z") == "FV2504");
  CHECK(fv_at("2025-09-30T22:00:00Z") == "FV2510");
  // FV2504 from 2025-06-06 00:00 CEST.
  CHECK(fv_at("2025-06-05T21:59:59Z") == "FV2410");
  CHECK(fv_at("2025-06-05T22:00:00Z") == "FV2504");
  // FV2404 from 2024-04-03 00:00 CEST; FV2604 from 2026-04-01 00:00 CEST.
  CHECK(fv_at("2024-04-02T22:00:00Z") == "FV2404");
  CHECK(fv_at("2026-03-31T22:00:00Z") == "FV2604");
  // FV2310 from 2023-10-01 00:00 CEST; in winter the switch is at 23:00 UTC (none here, checked via offset).
  CHECK(fv_at("2023-09-30T22:00:00Z") == "FV2310");
  CHECK(fv_at("2030-01-01T00:00:00Z") == "FV2610");
  CHECK(format_versions().front().valid_from_instant() == parse_utc("2023-09-30T22:00:00Z"));
}

TEST_CASE("Before the first FV is a clear error", "[fv]") {
  CHECK_THROWS_AS(format_version_for(parse_utc("2023-09-30T21:59:59Z")), std::out_of_range);
  CHECK_THROWS_WITH(format_version_for(parse_utc("2023-09-30T21:59:59Z")),
                    "no format version is valid at 2023-09-30T21:59:59Z (Berlin 2023-09-30T23:59:59+02:00): "
                    "the first known, FV2310, is valid from 2023-10-01 00:00 Berlin");
  CHECK_FALSE(try_format_version_for(parse_utc("2020-01-01T00:00:00Z")).has_value());
}

TEST_CASE("Short and core FV names convert both ways", "[fv]") {
  CHECK(to_core_format_version("FV2510") == "FV2025-10-01");
  CHECK(to_short_format_version("FV2025-10-01") == "FV2510");
  CHECK(to_core_format_version("FV2404") == "FV2024-04-03");
  CHECK(format_version_by_name("FV2025-10-01")->name == "FV2510");
  CHECK_FALSE(format_version_by_name("FV2501").has_value());
  CHECK_THROWS_AS(to_core_format_version("FV2025-10-01"), std::invalid_argument);
  CHECK_THROWS_AS(to_short_format_version("FV2510"), std::invalid_argument);
  CHECK_THROWS_AS(to_core_format_version("FV9999"), std::invalid_argument);
  for (const auto& fv : format_versions()) {
    CHECK(to_short_format_version(to_core_format_version(fv.name)) == fv.name);
  }
}
