#pragma once
// Where and why a received interchange fails the syntax check, in the terms of a rejecting
// CONTRL: a UN/EDIFACT syntax error code (DE0085) at the level it belongs to.
//   interchange (UCI 0085 + 0013 UNA/UNB/UNZ): separators, UNB, characters, UNZ count/reference,
//     the wrong recipient, a truncated file;
//   message (UCM 0085 + 0013 UNH/UNT): UNH unreadable, UNT count/reference, UNT missing;
//   segment (UCM + UCS 0096 position in the message, UNH = 1, + 0085 [+ UCD]): a body segment the
//     typed view of the message refuses.
// Codes used: 7 recipient not actual recipient, 12 invalid value, 13 missing, 15 not supported in
// this position, 16 too many constituents, 20 character set not supported, 21 invalid
// character(s), 28 references do not match, 29 control count does not match.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/parse_error.hpp"

namespace mako::edifact {

inline constexpr const char* kSyntaxWrongRecipient = "7";
inline constexpr const char* kSyntaxInvalidValue = "12";
inline constexpr const char* kSyntaxMissing = "13";
inline constexpr const char* kSyntaxNotSupportedInPosition = "15";
inline constexpr const char* kSyntaxTooManyConstituents = "16";
inline constexpr const char* kSyntaxCharsetNotSupported = "20";
inline constexpr const char* kSyntaxInvalidCharacter = "21";
inline constexpr const char* kSyntaxReferencesDoNotMatch = "28";
inline constexpr const char* kSyntaxCountMismatch = "29";

struct SyntaxFault {
  enum class Level { Interchange, Message, Segment };
  Level level = Level::Interchange;
  std::string error_code;       ///< DE0085
  std::string service_segment;  ///< DE0013: UNA/UNB/UNZ (Interchange) or UNH/UNT (Message); "" for Segment
  // Message and Segment level: the message concerned (UNH 0062 and S009).
  std::string message_reference;
  std::string message_type, version, release, agency, association;
  std::size_t segment_position = 0;  ///< Segment level: DE0096, UNH = 1
  // Segment level, a value at fault: UCD 0098 / 0104 (1-based; "" = unknown / absent).
  std::string element_position;
  std::string component_position;
};

/// The fault behind `error` (thrown by parse / parse_views / check_market_partners / a typed view
/// while reading `bytes`).
[[nodiscard]] SyntaxFault locate_syntax_fault(const ParseError& error, std::string_view bytes);
/// The fault for an interchange addressed to someone else (UNB recipient): 7 at UNB.
[[nodiscard]] SyntaxFault wrong_recipient_fault();

/// Rejects `contrl` (UCI action 4) for `fault`: the error code at UCI, or a UCM (+ UCS/UCD).
void add_syntax_fault(ContrlMessage& contrl, const SyntaxFault& fault);

}  // namespace mako::edifact
