#pragma once
// EDIFACT reader in two layers:
//  1. parse_segments(): lexical, generic. UNA/separators, release character, charset checks and
//     Latin-1 -> UTF-8 transcoding, CR/LF layout between segments. One pass over the input.
//  2. parse(): structural. UNB / UNH..UNT / UNZ assembly with the count and reference checks,
//     and (by default) the UNB <-> NAD+MS/NAD+MR market-partner check.
// Every failure is a ParseError with segment number, byte offset and tag.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/charset.hpp"
#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/parse_error.hpp"
#include "mako/domain/edifact/segment.hpp"
#include "mako/domain/edifact/separators.hpp"

namespace mako::edifact {

struct ParseOptions {
  /// UNOC only: reject byte runs that form valid multi-byte UTF-8 (see charset.hpp).
  bool reject_utf8_in_unoc = true;
  /// Check that NAD+MS / NAD+MR in each message name the UNB sender / receiver.
  bool check_market_partners = true;
};

/// Result of the lexical layer: every segment in file order (UNA excluded).
struct SegmentStream {
  Separators separators;
  bool has_una = false;
  std::string line_break;           ///< CR/LF run found after the first segment ("" if none)
  Charset charset = Charset::UNOC;  ///< from UNB S001 (UNOC if there is no UNB)
  std::vector<Segment> segments;
  std::size_t end_offset = 0;  ///< input size, for "missing ..." errors at end of data
};

/// Reads the separators: from a leading UNA if present, else the ISO 9735 defaults.
/// Throws ParseError if the input starts with "UNA" but is shorter than 9 bytes or reuses a
/// character for two roles.
[[nodiscard]] Separators read_separators(std::string_view bytes, bool* has_una = nullptr);

[[nodiscard]] SegmentStream parse_segments(std::string_view bytes, const ParseOptions& options = {});

/// Builds the interchange structure from a segment stream (moves the segments out of it).
[[nodiscard]] Interchange assemble(SegmentStream&& stream, const ParseOptions& options = {});

/// parse_segments + assemble.
[[nodiscard]] Interchange parse(std::string_view bytes, const ParseOptions& options = {});

}  // namespace mako::edifact
