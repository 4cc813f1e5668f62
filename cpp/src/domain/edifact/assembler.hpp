#pragma once
// The structural layer of the EDIFACT parser: UNB, then UNH..UNT messages, then UNZ, checked as
// the segments stream in, written once for both segment models (Segment for parse(), SegmentView
// for parse_views()). Internal to the parser: included by parser.cpp only.
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "view_support.hpp"

namespace mako::edifact::assembly {

// ---- structural layer ------------------------------------------------------------------------
// Written once for both segment models: Segment (parse) and SegmentView (parse_views).

template <class Seg>
[[noreturn]] void fail_at(const Seg& seg, std::string expected, std::string found) {
  throw ParseError(seg.number, seg.offset, std::string(seg.tag), std::move(expected), std::move(found));
}

using detail::quoted;
using detail::tag_is;

template <class Seg>
void require_components(const Seg& seg, std::size_t element, std::size_t max_components, const char* what) {
  if (seg.element_count() > element && seg.component_count(element) > max_components)
    fail_at(seg, std::string(what) + " with at most " + std::to_string(max_components) + " components",
            std::to_string(seg.component_count(element)) + " components");
}

template <class Seg>
void require_value(const Seg& seg, std::size_t element, std::size_t component, const char* what) {
  if (seg.value(element, component).empty()) fail_at(seg, what, "nothing");
}

inline std::optional<std::size_t> to_count(std::string_view s) {
  std::size_t v = 0;
  if (s.empty()) return std::nullopt;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Elements [from, end) as Elements (the rarely used "extra" header elements).
template <class Seg>
void copy_elements(const Seg& seg, std::size_t from, std::vector<Element>& out) {
  for (std::size_t e = from; e < seg.element_count(); ++e) {
    Element& element = out.emplace_back();
    for (std::size_t c = 0; c < seg.component_count(e); ++c) element.emplace_back(seg.value(e, c));
  }
}

template <class Seg>
void copy_components(const Seg& seg, std::size_t element, std::size_t from, std::vector<std::string>& out) {
  for (std::size_t c = from; c < seg.component_count(element); ++c) out.emplace_back(seg.value(element, c));
}

template <class Seg>
Party party_of(const Seg& seg, std::size_t element) {
  return Party{std::string(seg.value(element, 0)), std::string(seg.value(element, 1)),
               std::string(seg.value(element, 2))};
}

template <class Seg>
void read_unb(const Seg& unb, Interchange& ic) {
  if (unb.element_count() < 5)
    fail_at(unb, "UNB with syntax identifier, sender, recipient, date/time and control reference",
            std::to_string(unb.element_count()) + " data elements");
  require_components(unb, 1, 3, "UNB sender (S002)");
  require_components(unb, 2, 3, "UNB recipient (S003)");
  require_components(unb, 3, 2, "UNB date/time (S004)");
  require_components(unb, 4, 1, "UNB control reference (0020)");
  require_value(unb, 0, 0, "UNB syntax identifier (S001/0001)");
  require_value(unb, 0, 1, "UNB syntax version (S001/0002)");
  require_value(unb, 1, 0, "UNB sender id (S002/0004)");
  require_value(unb, 2, 0, "UNB recipient id (S003/0010)");
  require_value(unb, 3, 0, "UNB date YYMMDD (S004/0017)");
  require_value(unb, 3, 1, "UNB time HHMM (S004/0019)");
  require_value(unb, 4, 0, "UNB interchange control reference (0020)");
  ic.syntax_id = unb.value(0, 0);
  ic.syntax_version = unb.value(0, 1);
  ic.syntax_extra.clear();
  copy_components(unb, 0, 2, ic.syntax_extra);
  ic.sender = party_of(unb, 1);
  ic.receiver = party_of(unb, 2);
  ic.date = unb.value(3, 0);
  ic.time = unb.value(3, 1);
  ic.reference = unb.value(4, 0);
  ic.header_extra.clear();
  copy_elements(unb, 5, ic.header_extra);
}

template <class Seg, class Msg>
void read_unh(const Seg& unh, Msg& m) {
  if (unh.element_count() < 2)
    fail_at(unh, "UNH with message reference and message identifier",
            std::to_string(unh.element_count()) + " data elements");
  require_components(unh, 0, 1, "UNH message reference (0062)");
  require_value(unh, 0, 0, "UNH message reference (0062)");
  require_value(unh, 1, 0, "UNH message type (S009/0065)");
  m.reference = unh.value(0);
  m.type = unh.value(1, 0);
  m.version = unh.value(1, 1);
  m.release = unh.value(1, 2);
  m.agency = unh.value(1, 3);
  m.association = unh.value(1, 4);
  copy_components(unh, 1, 5, m.identifier_extra);
  copy_elements(unh, 2, m.header_extra);
  m.number = unh.number;
  m.offset = unh.offset;
}

// A body segment joins its message: moved into it, or (views) counted.
inline void add_body(Message& m, Segment&& seg) { m.segments.push_back(std::move(seg)); }
inline void add_body(MessageView& m, const SegmentView& seg) {
  if (m.body_size++ == 0) m.body_begin = seg.number - 1;  // segments are numbered from 1
}

inline void check_partners(const Interchange& ic, const std::vector<Message>&) { check_market_partners(ic); }
inline void check_partners(const Interchange& ic, const std::vector<MessageView>& messages) {
  detail::check_market_partners(ic, messages);
}

// Streaming structure check: UNB, then UNH..UNT messages, then UNZ, then nothing.
// Fills `ic` (header) and `messages` (ic.messages for the Segment model).
template <class Seg, class Msg>
class Assembler {
 public:
  /// `terminator_bytes`: how many segment terminator bytes the input holds (escaped ones and
  /// the UNA included), an upper bound for the segments still to come; SIZE_MAX if unknown.
  Assembler(Interchange& ic, std::vector<Msg>& messages, const Separators& separators, bool has_una,
            const std::string& line_break, std::size_t terminator_bytes = SIZE_MAX)
      : ic_(ic), messages_(messages), terminator_bytes_(terminator_bytes) {
    ic_.separators = separators;
    ic_.has_una = has_una;
    ic_.line_break = line_break;
  }

  template <class S>
  void feed(S&& seg) {
    switch (state_) {
      case State::ExpectUnb:
        if (!tag_is(seg, "UNB")) fail_at(seg, "UNB segment", "segment " + std::string(seg.tag));
        read_unb(seg, ic_);
        state_ = State::BetweenMessages;
        return;
      case State::InMessage: {
        Msg& m = messages_.back();
        if (tag_is(seg, "UNT")) {
          close_message(m, seg);
          state_ = State::BetweenMessages;
        } else if (tag_is(seg, "UNH") || tag_is(seg, "UNZ")) {
          fail_at(seg, "UNT closing message " + quoted(m.reference), "segment " + std::string(seg.tag));
        } else {
          add_body(m, std::forward<S>(seg));
        }
        return;
      }
      case State::BetweenMessages:
        if (tag_is(seg, "UNH")) {
          Msg& m = messages_.emplace_back();
          read_unh(seg, m);
          if constexpr (std::is_same_v<Msg, Message>) m.segments.reserve(body_bound(seg));
          state_ = State::InMessage;
        } else if (tag_is(seg, "UNZ")) {
          close_interchange(seg);
          state_ = State::Done;
        } else if (tag_is(seg, "UNG")) {
          fail_at(seg, "UNH or UNZ (functional groups are not used in EDI@Energy)", "segment UNG");
        } else if (tag_is(seg, "UNT")) {
          fail_at(seg, "UNH or UNZ", "UNT without UNH");
        } else {
          fail_at(seg, "UNH or UNZ", "segment " + std::string(seg.tag) + " outside a message");
        }
        return;
      case State::Done: fail_at(seg, "end of data after UNZ", "segment " + std::string(seg.tag));
    }
  }

  void finish(std::size_t end_number, std::size_t end_offset, const ParseOptions& options) {
    std::string expected;
    switch (state_) {
      case State::ExpectUnb: expected = "UNB segment"; break;
      case State::InMessage: expected = "UNT closing message " + quoted(messages_.back().reference); break;
      case State::BetweenMessages: expected = "UNZ closing interchange " + quoted(ic_.reference); break;
      case State::Done: break;
    }
    if (!expected.empty()) throw ParseError(end_number, end_offset, "", expected, "end of data");
    if (options.check_market_partners) check_partners(ic_, messages_);
  }

 private:
  enum class State { ExpectUnb, BetweenMessages, InMessage, Done };

  template <class S>
  static void close_message(const Msg& m, const S& unt) {
    const std::size_t counted = m.segment_count();
    const auto declared = to_count(unt.value(0));
    if (!declared || *declared != counted)
      fail_at(unt, "UNT segment count " + std::to_string(counted) + " (UNH..UNT inclusive)", quoted(unt.value(0)));
    if (unt.value(1) != m.reference)
      fail_at(unt, "UNT message reference " + quoted(m.reference) + " (as in UNH)", quoted(unt.value(1)));
    if (unt.element_count() > 2) fail_at(unt, "UNT with 2 data elements", std::to_string(unt.element_count()));
  }

  template <class S>
  void close_interchange(const S& unz) const {
    const auto declared = to_count(unz.value(0));
    if (!declared || *declared != messages_.size())
      fail_at(unz, "UNZ message count " + std::to_string(messages_.size()), quoted(unz.value(0)));
    if (unz.value(1) != ic_.reference)
      fail_at(unz, "UNZ control reference " + quoted(ic_.reference) + " (as in UNB)", quoted(unz.value(1)));
    if (unz.element_count() > 2) fail_at(unz, "UNZ with 2 data elements", std::to_string(unz.element_count()));
  }

  // Capacity for a message body: at most 16 up front, fewer when the input cannot hold more.
  // A typical GPKE message has ~11 segments, and 16 Segments (1152 bytes) are past glibc's
  // small-allocation cache: that one allocation used to cost ~2,400 instructions per file.
  template <class S>
  std::size_t body_bound(const S& unh) const {
    const std::size_t used = unh.number + (ic_.has_una ? 1 : 0);  // UNA, UNB .. UNH
    const std::size_t left = terminator_bytes_ > used ? terminator_bytes_ - used : 0;
    return std::min<std::size_t>(left > 0 ? left - 1 : 0, 16);  // minus UNT
  }

  Interchange& ic_;
  std::vector<Msg>& messages_;
  State state_ = State::ExpectUnb;
  std::size_t terminator_bytes_;
};

}  // namespace mako::edifact::assembly
