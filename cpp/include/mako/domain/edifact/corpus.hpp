#pragma once
// Generated EDIFACT test corpus, built with this library's builders (no third-party fixtures).
// Public so that tests, fuzzing seeds, benchmarks and simulations share one source.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace mako::edifact::corpus {

/// Market partners used by the corpus (valid BDEW MP-IDs) and MaLo-IDs (valid check digits).
inline constexpr const char* kNb = "9900467000000";   ///< Netzbetreiber
inline constexpr const char* kLfn = "9904590000002";  ///< new supplier
inline constexpr const char* kLfa = "9910960000001";  ///< old supplier
inline constexpr const char* kMaloA = "41373559241";
inline constexpr const char* kMaloB = "51238696012";

struct Example {
  std::string name;  ///< stable identifier, usable as a file name
  std::string description;
  std::string bytes;  ///< the interchange as it is on the wire
};

struct InvalidExample {
  std::string name;
  std::string description;
  std::string bytes;
  /// true: parse() must throw; false: parse() succeeds and validate_messages() throws.
  bool fails_in_parse = true;
  std::size_t segment_number = 0;  ///< expected ParseError::segment_number()
  std::size_t byte_offset = 0;     ///< expected ParseError::byte_offset()
  std::string segment_tag;         ///< expected ParseError::segment_tag()
};

/// 2026-03-02 10:00 UTC: the default message date of the examples (FV2604: UTILMD S2.1).
inline constexpr std::chrono::sys_seconds kDefaultMessageDate{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} +
                                                              std::chrono::hours{10}};

/// One valid interchange per GPKE step (55001 ... 55018), complete as the AHB of its PID asks
/// (each passes check_utilmd_ahb), plus APERAK 312/313 and CONTRL 7/4, plus layout variants
/// (CRLF line breaks, non-default UNA separators, Latin-1 text), dated `message_date` (which
/// selects the MIG release: pass a date from 2026-10-01 for S2.2).
[[nodiscard]] std::vector<Example> gpke_examples(std::chrono::sys_seconds message_date = kDefaultMessageDate);

/// Broken interchanges with the exact error location they must produce.
[[nodiscard]] std::vector<InvalidExample> invalid_examples();

/// A UTILMD interchange with `message_count` 55001 messages (benchmarks, stress tests).
[[nodiscard]] std::string utilmd_bulk_interchange(std::size_t message_count);

}  // namespace mako::edifact::corpus
