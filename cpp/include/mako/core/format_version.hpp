#pragma once
// Format versions ("FV2025-10-01") and workflow ids (name + format version).
#include <compare>
#include <string>
#include <string_view>

namespace mako {

class FormatVersion {
 public:
  // "FV" + YYYY-MM-DD, a real calendar date, year >= 2000. Throws EngineError(InvalidInput)
  // naming what is wrong ("missing 'FV' prefix", "month 13 out of range", ...).
  static FormatVersion parse(std::string_view text);
  FormatVersion(int year, unsigned month, unsigned day);
  FormatVersion() = default;  // FV2000-01-01, a placeholder

  int year() const { return year_; }
  unsigned month() const { return month_; }
  unsigned day() const { return day_; }
  std::string to_string() const;

  friend auto operator<=>(const FormatVersion&, const FormatVersion&) = default;
  friend bool operator==(const FormatVersion&, const FormatVersion&) = default;

 private:
  int year_ = 2000;
  unsigned month_ = 1, day_ = 1;
};

class WorkflowId {
 public:
  WorkflowId() = default;  // an unnamed placeholder
  WorkflowId(std::string name, FormatVersion format_version);
  WorkflowId(std::string name, std::string_view format_version)
      : WorkflowId(std::move(name), FormatVersion::parse(format_version)) {}

  const std::string& name() const { return name_; }
  const FormatVersion& format_version() const { return format_version_; }
  std::string to_string() const;  // "name@FV2025-10-01"

  friend bool operator==(const WorkflowId&, const WorkflowId&) = default;

 private:
  std::string name_;
  FormatVersion format_version_;
};

}  // namespace mako
