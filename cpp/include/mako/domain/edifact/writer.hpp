#pragma once
// EDIFACT writer: the inverse of parse().
//
// Round-trip rule: parse(bytes) -> write() reproduces `bytes` exactly when the input is canonical:
//  * UNA presence and all six service characters are kept (Interchange::has_una / separators);
//  * escapes are canonical: exactly the component/element/segment separators and the release
//    character are escaped (the parser rejects any other use of the release character);
//  * the line style is normalised to Interchange::line_break, i.e. the CR/LF run that followed the
//    first segment (after UNA if present) is written after *every* segment terminator, including
//    the last one. Files with no newlines, or with the same newline after every segment (which is
//    what this writer produces), round-trip byte for byte; mixed styles are normalised;
//  * UNT / UNZ counts and references are recomputed (parse() rejects files where they are wrong);
//  * Party::routing is written only when non-empty, so a trailing empty component in UNB S002/S003
//    is not preserved (ISO 9735 says trailing empty components shall be omitted anyway).
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mako/domain/edifact/charset.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/segment.hpp"
#include "mako/domain/edifact/separators.hpp"

namespace mako::edifact {

/// A value cannot be written: it is not valid UTF-8 or not representable in the declared
/// repertoire (e.g. "€" in UNOC, lower case in UNOA), or the syntax identifier is unknown.
class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Serialises the whole interchange (UNA?, UNB, messages with UNH/UNT, UNZ).
[[nodiscard]] std::string write(const Interchange& interchange);

/// Appends one segment (with terminator, without line break) to `out`.
void write_segment(std::string& out, const Segment& segment, const Separators& separators, Charset charset);

/// Writes segments straight into a string, without building Segment objects (rendering hot path;
/// a Segment costs an allocation per element). Same escaping and repertoire checks as
/// write_segment:
///   w.begin("NAD").element("MS").element("9900467000000").component("").component("293").end();
/// writes `NAD+MS+9900467000000::293'` followed by the line break.
class SegmentWriter {
 public:
  SegmentWriter(std::string& out, const Separators& separators, Charset charset, std::string_view line_break = {});

  /// Starts a segment with its tag (written as is).
  SegmentWriter& begin(std::string_view tag) {
    out_.append(tag);
    return *this;
  }
  /// Starts the next data element with its first component.
  SegmentWriter& element(std::string_view first_component);
  /// Adds a component to the current data element.
  SegmentWriter& component(std::string_view value);
  /// The segment terminator and the line break.
  void end() {
    out_.push_back(separators_.segment);
    out_.append(line_break_);
  }
  /// A whole Segment (e.g. a body segment of a Message), terminator and line break included.
  void segment(const Segment& segment);

  [[nodiscard]] std::string& out() noexcept { return out_; }

 private:
  std::string& out_;
  const Separators& separators_;
  Charset charset_;
  std::string_view line_break_;
  // What to do with each byte of a value (copy, escape, transcode, refuse), looked up once
  // here instead of for every value.
  std::array<unsigned char, 256> actions_;
};

}  // namespace mako::edifact
