#pragma once
// parse() without the Segment model, for the inbound hot path: the same lexical and structural
// checks, in the same order, with the same ParseErrors, but segment values are string_views into
// the input (or into one buffer of unescaped / transcoded values) instead of a vector<string>
// per data element. A parsed file used to cost an allocation per element to build and again to
// destroy.
//
//   edifact::ParsedInterchange parsed;
//   edifact::parse_views(bytes, parsed);        // throws ParseError like parse(bytes)
//   for (const auto& m : parsed.messages) read_utilmd(m);
//
// The views are valid while `bytes` and the ParsedInterchange live and until it is parsed into
// again (it can be neither copied nor moved; reusing one keeps its lists' capacity).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mako/domain/edifact/interchange.hpp"
#include "mako/domain/edifact/parser.hpp"

namespace mako::edifact {

class ParsedInterchange;

namespace detail {
/// Where a component value is: a slice of the input, or (`decoded`) of the buffer of
/// unescaped / transcoded values. Offsets, not pointers: the buffer may still grow.
struct ValueSpan {
  std::size_t begin;
  std::size_t length : 63;
  std::size_t decoded : 1;
};
struct ElementSpan {
  std::size_t first;  ///< index of its first component value
  std::size_t count;  ///< number of components
};
}  // namespace detail

/// A read segment, as Segment but with string_view values.
class SegmentView {
 public:
  std::string_view tag;
  std::size_t number = 0;  ///< 1-based segment number in the interchange
  std::size_t offset = 0;  ///< byte offset of its first byte

  /// Component `component` of element `element`, or "" when absent (as Segment::value).
  [[nodiscard]] inline std::string_view value(std::size_t element, std::size_t component = 0) const noexcept;
  [[nodiscard]] bool has(std::size_t element, std::size_t component = 0) const noexcept;
  // Inlined at each call: with literal arguments the comparisons become a few instructions
  // (GCC otherwise calls it out of line, ~70 instructions a time in the UTILMD reader).
  [[nodiscard, gnu::always_inline]] bool is(std::string_view tag_, std::string_view qualifier) const noexcept {
    return same(tag, tag_) && same(value(0), qualifier);
  }
  /// a == b (GCC does not inline string_view's compare here; memcmp of a literal's size is).
  [[gnu::always_inline]] static bool same(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && (a.empty() || __builtin_memcmp(a.data(), b.data(), a.size()) == 0);
  }
  [[nodiscard]] std::size_t element_count() const noexcept { return element_count_; }
  [[nodiscard]] std::size_t component_count(std::size_t element) const noexcept;
  /// The Segment it stands for (tests, error paths).
  [[nodiscard]] Segment to_segment() const;

 private:
  friend class ParsedInterchange;
  friend struct ViewBuilder;
  const ParsedInterchange* owner_ = nullptr;
  std::size_t first_element_ = 0;
  std::size_t element_count_ = 0;
};

/// One message: the UNH data as in Message, and its body segments (UNH and UNT excluded).
struct MessageView {
  std::string reference;
  std::string type;
  std::string version;
  std::string release;
  std::string agency;
  std::string association;
  std::vector<std::string> identifier_extra;
  std::vector<Element> header_extra;
  std::span<const SegmentView> segments;
  std::size_t number = 0;
  std::size_t offset = 0;
  std::size_t body_begin = 0;  ///< index of the first body segment in the interchange's list
  std::size_t body_size = 0;

  [[nodiscard]] std::size_t segment_count() const noexcept { return body_size + 2; }
};

class ParsedInterchange {
 public:
  ParsedInterchange() = default;
  ParsedInterchange(const ParsedInterchange&) = delete;
  ParsedInterchange& operator=(const ParsedInterchange&) = delete;

  /// Everything of the Interchange parse() returns except its messages (left empty).
  Interchange header;
  std::vector<MessageView> messages;

  /// The Interchange parse() returns (tests).
  [[nodiscard]] Interchange to_interchange() const;
  /// Back to the state of a new one, keeping the capacity of its lists.
  void clear();

 private:
  friend class SegmentView;
  friend struct ViewBuilder;
  std::string_view input_;
  std::vector<detail::ValueSpan> values_;      // every component of every segment, in order
  std::vector<detail::ElementSpan> elements_;  // every data element, in order
  std::vector<SegmentView> segments_;          // every segment (UNB..UNZ), in order
  std::string decoded_;                        // unescaped / transcoded values
};

std::string_view SegmentView::value(std::size_t element, std::size_t component) const noexcept {
  if (element >= element_count_) return {};
  const detail::ElementSpan& e = owner_->elements_[first_element_ + element];
  if (component >= e.count) return {};
  const detail::ValueSpan& v = owner_->values_[e.first + component];
  return {(v.decoded ? owner_->decoded_.data() : owner_->input_.data()) + v.begin, v.length};
}

/// parse(bytes, options) into `out` (cleared first; what it held before is gone).
void parse_views(std::string_view bytes, ParsedInterchange& out, const ParseOptions& options = {});

}  // namespace mako::edifact
