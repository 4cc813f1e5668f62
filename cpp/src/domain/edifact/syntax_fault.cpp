#include "mako/domain/edifact/syntax_fault.hpp"

#include <utility>

#include "mako/domain/edifact/parser.hpp"

namespace mako::edifact {
namespace {

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }
bool starts(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Strings are built, not assigned from char pointers: GCC 12 warns falsely (-Wrestrict) on
// std::string::operator=(const char*) here.
SyntaxFault interchange_fault(std::string code, std::string service_segment) {
  SyntaxFault f;
  f.level = SyntaxFault::Level::Interchange;
  f.error_code = std::move(code);
  f.service_segment = std::move(service_segment);
  return f;
}

bool says_missing(std::string_view found) {
  return found == "nothing" || found == "none" || found == "missing" || found == "empty message" ||
         found == "end of data";
}

// The faults the parser finds before it knows the messages: the lexer and the envelope.
std::optional<SyntaxFault> envelope_fault(const ParseError& e) {
  const std::string& expected = e.expected();
  const std::string& found = e.found();
  const std::string& tag = e.segment_tag();
  if (tag == "UNA" || e.segment_number() == 0) return interchange_fault(kSyntaxInvalidValue, "UNA");
  if (has(expected, "ISO 8859-1 text")) return interchange_fault(kSyntaxCharsetNotSupported, "UNB");
  if (has(expected, "syntax identifier UNOA")) return interchange_fault(kSyntaxCharsetNotSupported, "UNB");
  if (has(expected, "declared repertoire") || has(expected, "after release character") ||
      has(expected, "segment tag (") || has(expected, "separator or segment terminator after tag"))
    return interchange_fault(kSyntaxInvalidCharacter, "UNB");
  if (starts(expected, "segment terminator")) return interchange_fault(kSyntaxMissing, "UNZ");
  if (starts(expected, "UNT closing")) return std::nullopt;  // a message without its UNT
  if (found == "end of data") {
    if (starts(expected, "UNB")) return interchange_fault(kSyntaxMissing, "UNB");
    if (starts(expected, "UNZ")) return interchange_fault(kSyntaxMissing, "UNZ");
    return std::nullopt;  // UNT missing: a message-level fault
  }
  if (tag == "UNB" || starts(expected, "UNB")) {
    if (has(expected, "at most")) return interchange_fault(kSyntaxTooManyConstituents, "UNB");
    return interchange_fault(
        says_missing(found) || starts(expected, "UNB segment") ? kSyntaxMissing : kSyntaxInvalidValue, "UNB");
  }
  if (tag == "UNZ") {
    if (has(expected, "message count")) return interchange_fault(kSyntaxCountMismatch, "UNZ");
    if (has(expected, "control reference")) return interchange_fault(kSyntaxReferencesDoNotMatch, "UNZ");
    if (has(expected, "2 data elements")) return interchange_fault(kSyntaxTooManyConstituents, "UNZ");
    return interchange_fault(kSyntaxInvalidValue, "UNZ");
  }
  return std::nullopt;
}

// The value `found` names ('x' quoted), located in `seg` as 1-based element:component.
void locate_value(const Segment& seg, std::string_view found, SyntaxFault& f) {
  if (found.size() >= 2 && found.front() == '\'' && found.back() == '\'') found = found.substr(1, found.size() - 2);
  for (std::size_t e = 0; e < seg.element_count(); ++e)
    for (std::size_t c = 0; c < seg.component_count(e); ++c)
      if (!found.empty() && seg.value(e, c) == found) {
        f.element_position = std::to_string(e + 1);
        if (seg.component_count(e) > 1) f.component_position = std::to_string(c + 1);
        return;
      }
  f.element_position = std::string("1");  // not found: the segment's first element stands for it
}

}  // namespace

SyntaxFault wrong_recipient_fault() { return interchange_fault(kSyntaxWrongRecipient, "UNB"); }

SyntaxFault locate_syntax_fault(const ParseError& e, std::string_view bytes) {
  if (auto f = envelope_fault(e)) return *f;

  // Within a message: find the segment and its UNH in the lexed stream (the lexer passed, or
  // envelope_fault would have answered).
  ParseOptions lenient;
  lenient.reject_utf8_in_unoc = false;
  lenient.check_market_partners = false;
  SegmentStream stream;
  try {
    stream = parse_segments(bytes, lenient);
  } catch (const ParseError&) {
    return interchange_fault(kSyntaxInvalidCharacter, "UNB");
  }
  const auto& segs = stream.segments;
  const Segment* unh = nullptr;
  std::size_t unh_index = 0, at = segs.size();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (segs[i].tag == "UNH") {
      unh = &segs[i];
      unh_index = i;
    } else if (segs[i].tag == "UNT" && segs[i].number < e.segment_number()) {
      unh = nullptr;
    }
    if (segs[i].number == e.segment_number()) {
      at = i;
      break;
    }
  }
  if (!unh) {
    // A segment outside any message (UNG, a body segment between messages, data after UNZ).
    return interchange_fault(kSyntaxInvalidValue, e.expected() == "end of data after UNZ" ? "UNZ" : "UNB");
  }

  SyntaxFault f;
  f.message_reference = unh->value(0);
  f.message_type = unh->value(1, 0);
  f.version = unh->value(1, 1);
  f.release = unh->value(1, 2);
  f.agency = unh->value(1, 3);
  f.association = unh->value(1, 4);
  const std::string& expected = e.expected();
  const std::string& found = e.found();
  auto message_fault = [&](const char* code, const char* service_segment) {
    f.level = SyntaxFault::Level::Message;
    f.error_code = std::string(code);
    f.service_segment = std::string(service_segment);
    return f;
  };
  if (found == "end of data" || at == segs.size() || starts(expected, "UNT closing"))
    return message_fault(kSyntaxMissing, "UNT");
  const Segment& seg = segs[at];
  if (seg.tag == "UNT") {
    if (has(expected, "segment count")) return message_fault(kSyntaxCountMismatch, "UNT");
    if (has(expected, "message reference")) return message_fault(kSyntaxReferencesDoNotMatch, "UNT");
    if (has(expected, "2 data elements")) return message_fault(kSyntaxTooManyConstituents, "UNT");
    return message_fault(kSyntaxInvalidValue, "UNT");
  }
  if (seg.tag == "UNH") {
    // UNH itself, or the typed view refusing the message as a whole (its type, its release,
    // mandatory content it lacks): reported at UNH.
    if (has(expected, "at most")) return message_fault(kSyntaxTooManyConstituents, "UNH");
    return message_fault(says_missing(found) || has(found, "data elements") ? kSyntaxMissing : kSyntaxInvalidValue,
                         "UNH");
  }
  f.level = SyntaxFault::Level::Segment;
  f.segment_position = at - unh_index + 1;
  if (starts(found, "segment ") || starts(found, "UCS without") || starts(found, "UCD without"))
    f.error_code = std::string(kSyntaxNotSupportedInPosition);
  else if (has(expected, "at most")) f.error_code = std::string(kSyntaxTooManyConstituents);
  else {
    // A value at fault: UCS names the segment, UCD the element with 12 (invalid) or 13 (missing).
    f.error_code = std::string(says_missing(found) ? kSyntaxMissing : kSyntaxInvalidValue);
    locate_value(seg, found, f);
  }
  return f;
}

void add_syntax_fault(ContrlMessage& c, const SyntaxFault& f) {
  c.action = std::string(kContrlRejected);
  if (f.level == SyntaxFault::Level::Interchange) {
    c.error_code = f.error_code;
    c.service_segment = f.service_segment;
    return;
  }
  ContrlMessageResponse r;
  r.message_reference = f.message_reference;
  r.message_type = f.message_type;
  r.version = f.version;
  r.release = f.release;
  r.agency = f.agency;
  r.association = f.association;
  r.action = std::string(kContrlRejected);
  if (f.level == SyntaxFault::Level::Message) {
    r.error_code = f.error_code;
    r.service_segment = f.service_segment;
  } else if (f.element_position.empty()) {
    r.segment_errors.push_back(ContrlSegmentError{std::to_string(f.segment_position), f.error_code, {}});
  } else {
    r.segment_errors.push_back(
        ContrlSegmentError{std::to_string(f.segment_position),
                           "",
                           {ContrlElementError{f.error_code, f.element_position, f.component_position}}});
  }
  c.messages.push_back(std::move(r));
}

}  // namespace mako::edifact
