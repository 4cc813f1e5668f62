#pragma once
// Prüfidentifikatoren (PIDs): the 5-digit AHB use-case ids carried in RFF+Z13.
// Both tables are data, not logic, so they can be extended when a new format version arrives.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mako::edifact {

struct PidInfo {
  std::string pid;        ///< e.g. "55001"
  std::string name;       ///< German AHB use case name
  std::string direction;  ///< e.g. "LFN->NB"
  std::string answer_to;  ///< PID this one answers ("" for requests)
};

/// Known UTILMD Strom (S2.1) PIDs of the GPKE supplier-switch family (BK6-24-174). Source: the
/// GPKE tables of docs/mako-domain.md ("The GPKE table", "Related use cases"); PIDs not listed
/// there were not sourced and are therefore absent (extend this table, do not guess).
[[nodiscard]] const std::vector<PidInfo>& utilmd_strom_pids();
[[nodiscard]] const PidInfo* find_utilmd_strom_pid(std::string_view pid) noexcept;

struct PidPrefixFormat {
  std::string prefix;  ///< first two digits of the PID
  std::string format;  ///< EDIFACT message type, e.g. "UTILMD", "APERAK"
  std::string note;    ///< e.g. "Strom" / "Gas"
};

/// PID prefix -> format. (verify) Follows the `efoli` package (PyPI, efoli 2.4.2, EdifactFormat
/// prefix map); 92 and 99 both map to APERAK there (docs/open-questions.md, "PID prefix map").
[[nodiscard]] const std::vector<PidPrefixFormat>& pid_prefix_formats();
/// The format entry for a 5-digit PID by its prefix, or nullptr.
[[nodiscard]] const PidPrefixFormat* format_of_pid(std::string_view pid) noexcept;

/// A Prüfidentifikator as a value: five ASCII digits. RFF+Z13 carries the text ("55001"); the
/// GPKE deadline tables key the number (55001). Both come from here: nothing else parses a PID.
class Pid {
 public:
  /// The PID, or nullopt unless `text` is exactly five ASCII digits.
  [[nodiscard]] static std::optional<Pid> parse(std::string_view text) noexcept;
  /// The same; throws std::invalid_argument ("pid: five digits expected, got '...'") instead.
  [[nodiscard]] static Pid require(std::string_view text);
  [[nodiscard]] std::uint32_t number() const noexcept { return number_; }
  [[nodiscard]] std::string str() const;
  friend bool operator==(Pid, Pid) = default;

 private:
  explicit Pid(std::uint32_t number) : number_(number) {}
  std::uint32_t number_;
};

/// True for exactly five ASCII digits (Pid::parse succeeds).
[[nodiscard]] bool looks_like_pid(std::string_view value) noexcept;

}  // namespace mako::edifact
