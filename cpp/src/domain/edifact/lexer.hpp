#pragma once
// The EDIFACT lexer: one pass over the bytes, one table lookup per byte, segments out one at a
// time (as Segments for parse(), or straight into a ParsedInterchange's lists for parse_views()).
// Internal to the parser: included by parser.cpp only, so everything here inlines as before.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "view_builder.hpp"
#include "view_support.hpp"

namespace mako::edifact::lexing {

// Byte classes for the single-pass lexer: one table lookup per input byte.
enum ByteClass : std::uint8_t { kData, kComponent, kElement, kTerminator, kRelease, kHigh, kBad };
using ClassTable = std::array<std::uint8_t, 256>;

// The repertoire's classes, computed once per charset: a parse of a small file (one GPKE message)
// used to spend more on building this table than on lexing.
inline const ClassTable& charset_table(Charset charset) {
  static const auto make = [](Charset cs) {
    ClassTable t{};
    for (unsigned b = 0; b < 256; ++b) {
      const auto c = static_cast<unsigned char>(b);
      t[b] = is_allowed_byte(cs, c) ? (c >= 0x80 ? kHigh : kData) : kBad;
    }
    return t;
  };
  static const ClassTable unoa = make(Charset::UNOA), unob = make(Charset::UNOB), unoc = make(Charset::UNOC);
  return charset == Charset::UNOA ? unoa : charset == Charset::UNOB ? unob : unoc;
}

inline ClassTable make_table(const Separators& s, Charset charset) {
  ClassTable t = charset_table(charset);
  // Separators are structure, whatever the repertoire says about them.
  t[static_cast<unsigned char>(s.component)] = kComponent;
  t[static_cast<unsigned char>(s.element)] = kElement;
  t[static_cast<unsigned char>(s.segment)] = kTerminator;
  t[static_cast<unsigned char>(s.release)] = kRelease;
  return t;
}

// Upper-case letters and digits: the bytes a segment tag may have (a table: one load per byte).
inline constexpr std::array<bool, 256> kTagByte = [] {
  std::array<bool, 256> t{};
  for (unsigned c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (unsigned c = '0'; c <= '9'; ++c) t[c] = true;
  return t;
}();

inline std::string describe_byte(unsigned char c) {
  char buf[48];
  if (c >= 0x20 && c < 0x7F) std::snprintf(buf, sizeof buf, "'%c' (0x%02X)", c, c);
  else std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
  return buf;
}

inline std::string hex_bytes(std::string_view bytes) {
  std::string s;
  char buf[4];
  for (char ch : bytes) {
    if (!s.empty()) s.push_back(' ');
    std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned char>(ch));
    s += buf;
  }
  return s;
}

inline bool is_layout(unsigned char c, const ClassTable& t) {
  // CR/LF between segments is layout unless the UNA made it a separator.
  return (c == '\r' || c == '\n') && t[c] != kComponent && t[c] != kElement && t[c] != kTerminator && t[c] != kRelease;
}

class Lexer {
 public:
  Lexer(std::string_view in, const ParseOptions& options) : in_(in), options_(options) {
    // Scratch for one segment at a time: sized once for the largest usual segment.
    own_values_.reserve(16);
    own_elements_.reserve(8);
  }

  /// Lexes straight into `out`'s lists (for next_view), which are kept whole.
  Lexer(std::string_view in, const ParseOptions& options, ParsedInterchange& out)
      : in_(in),
        options_(options),
        values_(&ViewBuilder::values(out)),
        elements_(&ViewBuilder::elements(out)),
        decoded_(&ViewBuilder::decoded(out)) {}

  /// Reads the UNA (if any); UNB is then read with the 7-bit repertoire and its S001
  /// selects the real one for the rest of the input.
  void begin() {
    seps_ = read_separators(in_, &has_una_);
    pos_ = has_una_ ? kUnaLength : 0;
    table_ = make_table(seps_, Charset::UNOB);
    if (has_una_) capture_line_break();
  }

  /// Reads the next segment into `seg`; false at end of input.
  bool next(Segment& seg) {
    if (!lex_next()) return false;
    seg.number = number_;
    seg.offset = offset_;
    seg.tag.assign(tag_);
    // Build the elements in place: each Element gets its exact size at once, and a segment
    // the assembler did not move away (UNB, UNH, UNT, UNZ) is overwritten without new
    // allocations.
    const std::size_t count = elements_->size() - first_element_;
    seg.elements.resize(count);
    for (std::size_t e = 0; e < count; ++e) {
      const detail::ElementSpan& span = (*elements_)[first_element_ + e];
      Element& element = seg.elements[e];
      element.resize(span.count);
      for (std::size_t c = 0; c < span.count; ++c) element[c].assign(view_of((*values_)[span.first + c]));
    }
    // The scratch is the Lexer's own here: reused for the next segment.
    values_->clear();
    elements_->clear();
    decoded_->clear();
    return true;
  }

  /// Reads the next segment as views appended to `out`; false at end of input.
  /// The decoded values stay in `out`'s buffer (the Lexer was built on it).
  bool next_view(ParsedInterchange& out) {
    if (!lex_next()) return false;
    ViewBuilder::add_segment(out, tag_, number_, offset_, first_element_);
    return true;
  }

  [[nodiscard]] const Separators& separators() const noexcept { return seps_; }
  [[nodiscard]] bool has_una() const noexcept { return has_una_; }
  [[nodiscard]] const std::string& line_break() const noexcept { return line_break_; }
  [[nodiscard]] Charset charset() const noexcept { return charset_; }
  [[nodiscard]] std::size_t count() const noexcept { return count_; }

 private:
  std::string_view view_of(const detail::ValueSpan& span) const {
    return {(span.decoded ? decoded_->data() : in_.data()) + span.begin, span.length};
  }

  // Lexes the next segment (tag_, and its elements and values appended to *elements_ /
  // *values_ from first_element_ on) and checks the UNB charset.
  bool lex_next() {
    skip_layout();
    if (pos_ >= in_.size()) return false;
    read_segment(++count_);
    if (count_ == 1) {
      if (tag_ == "UNB") {
        const std::string_view syntax_id = elements_->size() == first_element_
                                               ? std::string_view{}
                                               : view_of((*values_)[(*elements_)[first_element_].first]);
        const auto cs = charset_from_syntax_id(syntax_id);
        if (!cs)
          throw ParseError(number_, offset_, std::string(tag_), "syntax identifier UNOA, UNOB or UNOC in UNB S001",
                           "'" + std::string(syntax_id) + "'");
        charset_ = *cs;
        table_ = make_table(seps_, charset_);
        // UNB itself was read with the 7-bit repertoire (UNOB); it must keep to the one it
        // declares too (UNOA has no lower case), or write() could not write it back.
        for (std::size_t at = offset_; at < pos_; ++at)
          if (table_[static_cast<unsigned char>(in_[at])] == kBad) fail_byte(at);
      } else {
        charset_ = Charset::UNOC;
        table_ = make_table(seps_, charset_);
      }
    }
    capture_line_break();
    return true;
  }

  // The end of the run of plain data bytes from `from` (the hot loop: kept in registers).
  std::size_t scan_data(std::size_t from) const {
    const auto* const begin = reinterpret_cast<const unsigned char*>(in_.data());
    const auto* p = begin + from;
    const auto* const end = begin + in_.size();
    while (p < end && table_[*p] == kData) ++p;
    return static_cast<std::size_t>(p - begin);
  }

  void skip_layout() {
    while (pos_ < in_.size() && is_layout(static_cast<unsigned char>(in_[pos_]), table_)) ++pos_;
  }

  // The CR/LF run after the first segment (UNA counts) defines the interchange's line style.
  void capture_line_break() {
    if (line_break_captured_) return;
    line_break_captured_ = true;
    std::size_t end = pos_;
    while (end < in_.size() && is_layout(static_cast<unsigned char>(in_[end]), table_)) ++end;
    line_break_.assign(in_.substr(pos_, end - pos_));
  }

  [[noreturn]] void fail(std::size_t offset, std::string expected, std::string found) const {
    throw ParseError(number_, offset, std::string(tag_), std::move(expected), std::move(found));
  }

  [[noreturn]] void fail_end() const {
    fail(in_.size(), "segment terminator '" + std::string(1, seps_.segment) + "'",
         "end of data (truncated interchange)");
  }

  [[noreturn]] void fail_byte(std::size_t at) const {
    const auto c = static_cast<unsigned char>(in_[at]);
    const std::size_t u8 = utf8_sequence_length(in_, at);
    std::string found = describe_byte(c);
    if (u8 >= 2) found = "UTF-8 multi-byte sequence " + hex_bytes(in_.substr(at, u8));
    else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) found = "control character " + describe_byte(c);
    fail(at, "a character of the declared repertoire " + std::string(to_string(charset_)), found);
  }

  void read_segment(std::size_t number) {
    const std::size_t n = in_.size();
    number_ = number;
    offset_ = pos_;
    const std::size_t tag_start = pos_;
    pos_ = scan_data(tag_start);
    tag_ = in_.substr(tag_start, pos_ - tag_start);
    bool tag_ok = !tag_.empty() && tag_.size() <= 3;
    for (char c : tag_) tag_ok &= kTagByte[static_cast<unsigned char>(c)];
    if (!tag_ok)
      fail(tag_start, "segment tag (up to 3 upper-case letters/digits)",
           tag_.empty() ? (pos_ < n ? describe_byte(static_cast<unsigned char>(in_[pos_])) : std::string{"end of data"})
                        : "'" + std::string(tag_) + "'");
    if (pos_ >= n) fail_end();
    std::uint8_t cls = table_[static_cast<unsigned char>(in_[pos_])];
    if (cls != kElement && cls != kTerminator) {
      if (cls == kBad) fail_byte(pos_);
      fail(pos_, "data element separator or segment terminator after tag",
           describe_byte(static_cast<unsigned char>(in_[pos_])));
    }
    // The whole segment is lexed into spans first; the caller builds from them.
    first_element_ = elements_->size();
    while (cls == kElement) {
      ++pos_;
      const std::size_t first = values_->size();
      while (true) {
        cls = read_component();
        if (cls != kComponent) break;
        ++pos_;
      }
      elements_->push_back({first, values_->size() - first});
    }
    // cls == kTerminator here
    ++pos_;
  }

  // Reads one component value starting at pos_; stops on (without consuming) the next
  // component/element separator or segment terminator and returns its class.
  // The value is recorded in *values_: a slice of the input, or of decoded_ when it had escapes
  // or Latin-1 bytes.
  std::uint8_t read_component() {
    const std::size_t n = in_.size();
    const std::size_t start = pos_;
    pos_ = scan_data(start);
    if (pos_ >= n) fail_end();
    std::uint8_t cls = table_[static_cast<unsigned char>(in_[pos_])];
    if (cls == kComponent || cls == kElement || cls == kTerminator) {
      values_->push_back({start, pos_ - start, false});  // fast path: no escapes, no transcoding
      return cls;
    }
    // Slow path: release characters and/or Latin-1 high bytes.
    std::string& value = *decoded_;
    const std::size_t decoded_start = value.size();
    value.append(in_.data() + start, pos_ - start);
    while (true) {
      if (pos_ >= n) fail_end();
      const auto c = static_cast<unsigned char>(in_[pos_]);
      cls = table_[c];
      switch (cls) {
        case kData:
          value.push_back(static_cast<char>(c));
          ++pos_;
          break;
        case kRelease: {
          if (pos_ + 1 >= n)
            fail(pos_,
                 "a separator or release character after release character '" + std::string(1, seps_.release) + "'",
                 "end of data");
          const char next = in_[pos_ + 1];
          if (!seps_.needs_release(next))
            fail(pos_ + 1,
                 "a separator or release character after release character '" + std::string(1, seps_.release) + "'",
                 describe_byte(static_cast<unsigned char>(next)));
          // An escaped separator is data; a Latin-1 separator byte is transcoded like
          // any other (UNOA/UNOB cannot carry bytes >= 0x80 at all).
          if (static_cast<unsigned char>(next) >= 0x80) {
            if (charset_ != Charset::UNOC) fail_byte(pos_ + 1);
            append_latin1_as_utf8(in_.substr(pos_ + 1, 1), value);
          } else {
            value.push_back(next);
          }
          pos_ += 2;
          break;
        }
        case kHigh: {
          if (options_.reject_utf8_in_unoc && utf8_sequence_length(in_, pos_) >= 2)
            fail(pos_, "ISO 8859-1 text (UNOC), not UTF-8",
                 "UTF-8 multi-byte sequence " + hex_bytes(in_.substr(pos_, utf8_sequence_length(in_, pos_))));
          append_latin1_as_utf8(in_.substr(pos_, 1), value);
          ++pos_;
          break;
        }
        case kBad: fail_byte(pos_);
        default: values_->push_back({decoded_start, value.size() - decoded_start, true}); return cls;
      }
    }
  }

  std::string_view in_;
  const ParseOptions& options_;
  Separators seps_;
  Charset charset_ = Charset::UNOB;
  ClassTable table_{};
  std::size_t pos_ = 0;
  std::size_t count_ = 0;
  bool has_una_ = false;
  bool line_break_captured_ = false;
  std::string line_break_;
  // The segment being read (for errors and for the caller).
  std::size_t number_ = 0;
  std::size_t offset_ = 0;
  std::string_view tag_;
  std::size_t first_element_ = 0;  // the segment's first element in *elements_
  // Component values and data elements, in order; unescaped / transcoded values. The Lexer's
  // own scratch (reused per segment) for next(), a ParsedInterchange's lists for next_view().
  std::vector<detail::ValueSpan> own_values_;
  std::vector<detail::ElementSpan> own_elements_;
  std::string own_decoded_;
  std::vector<detail::ValueSpan>* values_ = &own_values_;
  std::vector<detail::ElementSpan>* elements_ = &own_elements_;
  std::string* decoded_ = &own_decoded_;
};

}  // namespace mako::edifact::lexing
