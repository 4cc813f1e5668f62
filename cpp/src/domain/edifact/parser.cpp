#include "mako/domain/edifact/parser.hpp"

#include <algorithm>
#include <optional>

#include "assembler.hpp"
#include "lexer.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "view_builder.hpp"

// The parser's entry points; the lexer (lexer.hpp) and the structural layer (assembler.hpp) are
// its two sections.
namespace mako::edifact {

using assembly::Assembler;
using lexing::Lexer;

Separators read_separators(std::string_view bytes, bool* has_una) {
  Separators s;
  const bool una = bytes.substr(0, 3) == "UNA";
  if (has_una) *has_una = una;
  if (!una) return s;
  if (bytes.size() < kUnaLength)
    throw ParseError(0, bytes.size(), "UNA", "6 service characters after UNA", "end of data");
  s.component = bytes[3];
  s.element = bytes[4];
  s.decimal = bytes[5];
  s.release = bytes[6];
  s.reserved = bytes[7];
  s.segment = bytes[8];
  const char roles[] = {s.component, s.element, s.release, s.segment};
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = i + 1; j < 4; ++j)
      if (roles[i] == roles[j])
        throw ParseError(0, 3, "UNA", "distinct component, element, release and segment characters",
                         "'" + std::string(1, roles[i]) + "' used twice");
  for (char c : roles) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
      throw ParseError(0, 3, "UNA", "separators that are not letters or digits", "'" + std::string(1, c) + "'");
  }
  return s;
}

SegmentStream parse_segments(std::string_view bytes, const ParseOptions& options) {
  Lexer lexer(bytes, options);
  lexer.begin();
  SegmentStream out;
  out.segments.reserve(bytes.size() / 24 + 4);
  while (lexer.next(out.segments.emplace_back())) {}
  out.segments.pop_back();
  out.separators = lexer.separators();
  out.has_una = lexer.has_una();
  out.line_break = lexer.line_break();
  out.charset = lexer.charset();
  out.end_offset = bytes.size();
  return out;
}

Interchange assemble(SegmentStream&& stream, const ParseOptions& options) {
  Interchange ic;
  Assembler<Segment, Message> a(ic, ic.messages, stream.separators, stream.has_una, stream.line_break);
  for (Segment& seg : stream.segments) a.feed(std::move(seg));
  a.finish(stream.segments.size() + 1, stream.end_offset, options);
  return ic;
}

Interchange parse(std::string_view bytes, const ParseOptions& options) {
  // Streaming: segments go straight into their message, no intermediate segment list.
  Lexer lexer(bytes, options);
  lexer.begin();
  Segment seg;
  Interchange ic;
  std::optional<Assembler<Segment, Message>> a;
  const auto terminators = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), lexer.separators().segment));
  while (lexer.next(seg)) {
    if (!a) a.emplace(ic, ic.messages, lexer.separators(), lexer.has_una(), lexer.line_break(), terminators);
    a->feed(std::move(seg));
  }
  if (!a) a.emplace(ic, ic.messages, lexer.separators(), lexer.has_una(), lexer.line_break());
  a->finish(lexer.count() + 1, bytes.size(), options);
  return ic;
}

// ---- view model ------------------------------------------------------------------------------

void ViewBuilder::begin(ParsedInterchange& out, std::string_view bytes, std::size_t segments) {
  out.input_ = bytes;
  out.segments_.reserve(segments);
  out.elements_.reserve(segments * 3);
  out.values_.reserve(bytes.size() / 8 + 8);
}

void ViewBuilder::finish(ParsedInterchange& out) {
  for (MessageView& m : out.messages)
    m.segments = std::span<const SegmentView>(out.segments_.data() + m.body_begin, m.body_size);
}

void parse_views(std::string_view bytes, ParsedInterchange& out, const ParseOptions& options) {
  // As parse(), with the segments kept as views in `out` instead of built as Segments.
  out.clear();
  Lexer lexer(bytes, options, out);
  lexer.begin();
  std::optional<Assembler<SegmentView, MessageView>> a;
  const auto terminators = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), lexer.separators().segment));
  ViewBuilder::begin(out, bytes, terminators);
  while (lexer.next_view(out)) {
    if (!a) a.emplace(out.header, out.messages, lexer.separators(), lexer.has_una(), lexer.line_break(), terminators);
    a->feed(ViewBuilder::last(out));
  }
  if (!a) a.emplace(out.header, out.messages, lexer.separators(), lexer.has_una(), lexer.line_break());
  ViewBuilder::finish(out);  // all segments read: the messages' spans no longer move
  a->finish(lexer.count() + 1, bytes.size(), options);
}

}  // namespace mako::edifact
