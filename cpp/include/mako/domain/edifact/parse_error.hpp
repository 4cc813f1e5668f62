#pragma once
// Typed error for everything that goes wrong while reading EDIFACT.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace mako::edifact {

/// Thrown by the parser, the structural validation and the typed views.
/// Carries where it happened (segment number, byte offset, segment tag) and what was
/// expected versus found; `what()` renders all of it in one line.
class ParseError : public std::runtime_error {
 public:
  /// `segment_number` is 1-based within the interchange (UNA is not counted, UNB is 1);
  /// 0 means the UNA service string advice, or "not tied to a read segment" (a message built
  /// in memory and then passed to a typed view).
  /// `byte_offset` is the offset of the segment start (or of the offending byte) in the input.
  ParseError(std::size_t segment_number, std::size_t byte_offset, std::string segment_tag, std::string expected,
             std::string found);

  [[nodiscard]] std::size_t segment_number() const noexcept { return segment_number_; }
  [[nodiscard]] std::size_t byte_offset() const noexcept { return byte_offset_; }
  [[nodiscard]] const std::string& segment_tag() const noexcept { return segment_tag_; }
  [[nodiscard]] const std::string& expected() const noexcept { return expected_; }
  [[nodiscard]] const std::string& found() const noexcept { return found_; }

 private:
  std::size_t segment_number_;
  std::size_t byte_offset_;
  std::string segment_tag_;
  std::string expected_;
  std::string found_;
};

}  // namespace mako::edifact
