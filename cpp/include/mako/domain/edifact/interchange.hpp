#pragma once
// The interchange model: UNB envelope, messages (UNH..UNT), UNZ trailer.
// UNT and UNZ counts/references are *derived* (segments and messages are counted), so they are
// not stored: the parser checks them against the file, the writer recomputes them.
#include <cstddef>
#include <string>
#include <vector>

#include "mako/domain/edifact/charset.hpp"
#include "mako/domain/edifact/segment.hpp"
#include "mako/domain/edifact/separators.hpp"

namespace mako::edifact {

/// UNB S002/S003: interchange sender or recipient.
struct Party {
  std::string id;         ///< e.g. market-partner id "9900467000000"
  std::string qualifier;  ///< 500 BDEW, 502 DVGW, 14 GS1
  std::string routing;    ///< optional (reverse) routing address; empty = absent
  friend bool operator==(const Party&, const Party&) = default;
};

/// One message: UNH header data plus the body segments strictly between UNH and UNT.
struct Message {
  std::string reference;                      ///< UNH 0062 message reference number
  std::string type;                           ///< S009 0065, e.g. "UTILMD"
  std::string version;                        ///< S009 0052, e.g. "D"
  std::string release;                        ///< S009 0054, e.g. "11A"
  std::string agency;                         ///< S009 0051, e.g. "UN"
  std::string association;                    ///< S009 0057, e.g. "S2.1" (EDI@Energy MIG release)
  std::vector<std::string> identifier_extra;  ///< further S009 components, if any
  std::vector<Element> header_extra;          ///< UNH elements after S009 (e.g. common access ref)
  std::vector<Segment> segments;              ///< body, UNH and UNT excluded
  /// Where UNH was read (segment number, byte offset); 0/0 when built. Not part of equality.
  std::size_t number = 0;
  std::size_t offset = 0;

  /// UNT segment count: body plus UNH and UNT.
  [[nodiscard]] std::size_t segment_count() const noexcept { return segments.size() + 2; }
  friend bool operator==(const Message& a, const Message& b) {
    return a.reference == b.reference && a.type == b.type && a.version == b.version && a.release == b.release &&
           a.agency == b.agency && a.association == b.association && a.identifier_extra == b.identifier_extra &&
           a.header_extra == b.header_extra && a.segments == b.segments;
  }
};

struct Interchange {
  Separators separators;  ///< service characters (from UNA, or defaults)
  bool has_una = true;    ///< whether a UNA service string advice is written/was read
  /// Line break written after each segment terminator ("", "\n" or "\r\n"). The parser sets it
  /// from the bytes following the first segment; see writer.hpp for the round-trip rule.
  std::string line_break;

  std::string syntax_id = "UNOC";  ///< S001 0001: UNOA / UNOB / UNOC
  std::string syntax_version = "3";
  std::vector<std::string> syntax_extra;  ///< further S001 components, if any
  Party sender;
  Party receiver;
  std::string date;                   ///< S004 0017, YYMMDD
  std::string time;                   ///< S004 0019, HHMM
  std::string reference;              ///< 0020 interchange control reference (repeated in UNZ)
  std::vector<Element> header_extra;  ///< UNB elements after 0020 (application ref, test flag...)
  std::vector<Message> messages;

  friend bool operator==(const Interchange&, const Interchange&) = default;
};

}  // namespace mako::edifact
