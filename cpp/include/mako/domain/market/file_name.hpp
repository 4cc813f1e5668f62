#pragma once
// Names of exchanged EDIFACT files:
//   <YYYYMMDDTHHMMSS>_<seq6>_<sender>_<receiver>_<kind>_<interchange ref>.edi
// e.g. "20260316T080000_000001_9904590000002_9900467000000_UTILMD55001_1A2B3C4D5E6F70.edi".
// The send instant (UTC) and a per-sender sequence come first, so sorting by name is sending
// order; sender and receiver let a courier route a file without parsing it; kind ("UTILMD55001",
// "CONTRL", "APERAK") is for people and traffic statistics only -- the pipeline reads the content.
#include <cstdint>
#include <optional>
#include <string>

#include "mako/domain/calendar/berlin_time.hpp"

namespace mako::market {

struct FileNameParts {
  std::string sender;
  std::string receiver;
  std::string kind;
  std::string interchange_reference;
};

std::string market_file_name(calendar::Instant sent_at, std::uint64_t sequence, const FileNameParts& parts);
// nullopt when `name` does not have the shape above.
std::optional<FileNameParts> parse_market_file_name(const std::string& name);

}  // namespace mako::market
